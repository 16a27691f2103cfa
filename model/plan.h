/* plan.h - one timetable (排片表) of a school: the groups of the week, who is in
 * them, who leads them and where; the demand left unserved; the duty leaders; and
 * the figures of the solve that made it.
 *
 * A plan refers to the school's entities by index and is only meaningful with the
 * school it was made from (KHE's soln/instance split).  The solver builds plans,
 * io/timetable_xml.c reads and writes them, the checker and the report writers read
 * them.  Everything a plan holds lives in its own arena; pp_plan_free releases it.
 *
 * Groups are stored in the order they were added; writers sort for output, so
 * outputs do not depend on the order a solver happened to emit groups in. */
#ifndef PP_PLAN_H
#define PP_PLAN_H

#include "model.h"

typedef struct {
    int activity;       /* activity index */
    int day, period;    /* the slot */
    int venue;          /* venue index; -1 none assigned */
    int nstaff;   int *staff;     /* staff indices */
    int nstudents; int *students; /* student indices, ascending */
    int nclasses; int *classes;   /* admin classes the students come from, ascending */
} pp_group;

typedef struct {
    int student;        /* student index */
    int day, period;    /* slot the student asked for and did not get a group in */
    char *reason;       /* short cause naming the short resource, e.g. "no free staff for 午间托管 (short 2)" */
} pp_unserved;

/* A resource too short for the demand at a slot, found after the solve by
 * solver/explain.h: which venue type or speciality, where, wanted vs available. */
typedef enum { PP_SHORT_VENUE, PP_SHORT_STAFF, PP_SHORT_DUTY } pp_short_kind;

typedef struct {
    pp_short_kind kind;
    int activity;       /* whose demand is unmet (for care: the period's care activity) */
    int day, period;    /* the slot where the resource binds */
    int resource;       /* VENUE: venue type index, -1 home classrooms; STAFF: speciality index, -1 any care-capable
                           staff; DUTY: -1 (activity and period -1 too: duty leaders of a day) */
    int wanted;         /* groups wanted there */
    int available;      /* groups the resource allows there; short by wanted - available */
    int students;       /* students affected: unserved student-slots (care) or students who got a lower choice or none (clubs) */
    int no_choice;      /* of those, students left with none of their choices (clubs); 0 for care */
    char *text;         /* one sentence naming all of the above, for stats.txt, stderr and the HTML */
} pp_shortage;

typedef struct {
    int day;
    int nstaff; int *staff;
} pp_duty;

typedef enum {
    PP_STATUS_NONE,       /* no plan */
    PP_STATUS_OPTIMAL,    /* proven optimal within the requested gap */
    PP_STATUS_FEASIBLE,   /* a plan, not proven within the gap (time limit or interrupt) */
    PP_STATUS_PARTIAL     /* a plan that leaves demand unserved */
} pp_status;

typedef struct {
    pp_status status;
    double objective;   /* total cost of the plan (minimised) */
    double bound;       /* lower bound valid for the whole problem */
    double gap;         /* (objective - bound) / max(|objective|, 1e-9), as a fraction */
    double seconds;     /* wall time of the solve */
    double first_feasible_seconds; /* wall time to the first complete plan; -1 none */
    int rows, cols, int_cols;      /* size of the integer program(s) solved */
    double ip_objective, ip_bound; /* the integer program's own objective and bound, as written by --write-lp */
    double search_peak_rss_mib, helper_peak_rss_mib; /* the solver's helper processes (solver/clubs.h); 0 none */
    char school_digest[17]; /* FNV-1a of the school file the plan was made for, 16 hex digits; "" unknown */
} pp_plan_stats;

typedef struct pp_plan {
    pp_arena *arena;
    int ngroups, cap_groups;   pp_group *groups;
    int nunserved, cap_unserved; pp_unserved *unserved;
    int nduty;                 pp_duty duty[PP_DAYS];
    int nshortages, cap_shortages; pp_shortage *shortages; /* filled by pp_explain_plan */
    pp_plan_stats stats;
} pp_plan;

/* Returns an empty plan (status NONE), NULL when out of memory.  Free with pp_plan_free. */
pp_plan *pp_plan_new(void);
void pp_plan_free(pp_plan *p);            /* NULL is a no-op */

/* Appends a group, copying the arrays (students sorted ascending on the way in) and
 * deriving its classes from the students' admin classes in s.  Returns its index, or -1 when out of memory (the plan is unchanged). */
int pp_plan_add_group(pp_plan *p, const pp_school *s, int activity, int day, int period,
                      int venue, const int *staff, int nstaff, const int *students, int nstudents);

/* Appends one unserved student-slot; reason is copied.  Returns 0, or -1 when out of memory. */
int pp_plan_add_unserved(pp_plan *p, int student, int day, int period, const char *reason);

/* Appends a shortage, copying it and its text.  Returns 0, or -1 when out of memory. */
int pp_plan_add_shortage(pp_plan *p, const pp_shortage *sh);

/* Sets the duty leaders of a day (replacing any earlier setting); copies staff.  0 or -1. */
int pp_plan_set_duty(pp_plan *p, int day, const int *staff, int nstaff);

/* Sorts groups into output order: day, period, activity, first class, first student. */
void pp_plan_sort(pp_plan *p, const pp_school *s);

/* The 形式 (format) of a group in Chinese: 本班 (one admin class), 年级内并班 (classes of
 * one grade), 跨年级并班 (several grades, care kinds), 走班 (a club/course group).  */
const char *pp_group_format_zh(const pp_school *s, const pp_group *g);

/* Number of distinct grades among the group's classes. */
int pp_group_grade_count(const pp_school *s, const pp_group *g);

const char *pp_status_name(pp_status st); /* "none","optimal","feasible","partial" */

#endif
