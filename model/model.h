/* model.h - the in-memory school: what a loader builds, what the solver, the
 * checker and the writers read.
 *
 * A pp_school is built once (by io/school_xml.c or a test), validated with
 * pp_school_validate, and then never changes; every solve, plan, check and report
 * takes it read-only, so many plans can share one school.  All strings and arrays
 * of a school live in its arena and are freed with pp_school_free.
 *
 * Entities refer to each other by index (0-based position in their array), never
 * by pointer; ids are the user's strings, kept for messages and outputs.
 *
 * Time is a week of slots: a slot is (day, period).  Days are 0..6 = Mon..Sun;
 * a school uses the days in day_mask.  Per day, a set of periods is a uint32_t
 * bit mask over period indices, so a school has at most PP_MAX_PERIODS periods.
 * Grade sets are uint32_t masks with bit g for grade level g (1..PP_MAX_GRADE).
 *
 * Every numeric rule of DOMAIN.md (40 per group, 20 for Q&A, 15 to open...) is a
 * field of pp_policy with that default, set by pp_policy_defaults. */
#ifndef PP_MODEL_H
#define PP_MODEL_H

#include <stdint.h>

#include "arena.h"
#include "diag.h"

#define PP_DAYS 7
#define PP_MAX_PERIODS 32
#define PP_MAX_GRADE 12
#define PP_MAX_SEASONS 4
#define PP_MAX_RANKS 8

typedef enum { PP_PERIOD_MORNING, PP_PERIOD_NOON, PP_PERIOD_AFTER, PP_PERIOD_LATE, PP_PERIOD_EVENING } pp_period_kind;
typedef enum { PP_ACT_CARE, PP_ACT_HOMEWORK, PP_ACT_READING, PP_ACT_CLUB, PP_ACT_COURSE, PP_ACT_KINDS } pp_activity_kind;
typedef enum { PP_TIER_CLASS, PP_TIER_GRADE, PP_TIER_SCHOOL } pp_tier;
typedef enum { PP_STAFF_TEACHER, PP_STAFF_RETIRED, PP_STAFF_EXTERNAL, PP_STAFF_VOLUNTEER, PP_STAFF_TYPES } pp_staff_type;

enum { /* student priority flags (重点保障群体) */
    PP_PRIO_DISABLED = 1, PP_PRIO_LEFT_BEHIND = 2, PP_PRIO_MIGRANT = 4, PP_PRIO_LOW_INCOME = 8
};

/* School policy: the thresholds and weights that differ between schools. */
typedef struct {
    int group_max;              /* 临时班 at most this many students (003): 40 */
    int class_merge_threshold;  /* care: a class with at least this many stays whole (003): 40 */
    int qa_min;                 /* homework Q&A by class from this size, smaller classes merge (001): 20 */
    int course_min;             /* a club/course opens with at least this many (002): 15; activity min overrides */
    int site_min;               /* summer care site minimum before merging (002): 25 (reported only) */
    int duty_leaders_per_day;   /* 值日领导 per service day (003): 2 */
    int max_activities_per_student; /* clubs/courses a student is given per week: 1 */
    int adjacent_grade_merge;   /* 1: small grades may merge with an adjacent grade (003); 0: never */
    double workload_weight[PP_ACT_KINDS];  /* credited minutes per led minute, by kind (000) */
    double subsidy_per_hour[PP_STAFF_TYPES]; /* yuan per led hour, by staff type (000, 004) */
    double fee_per_session;     /* default fee of a paid course session, yuan (002): 20 */
    /* objective weights, applied in the order of DOMAIN.md "What a good plan optimises" */
    double w_unserved;          /* per student-slot left without a group */
    double w_unserved_priority; /* the same for a priority student: larger, so they are served first */
    double w_rank[PP_MAX_RANKS];/* penalty when a student gets choice rank r+1 (w_rank[0] is usually 0) */
    int nranks_weighted;        /* entries of w_rank that are set */
    double w_no_choice;         /* a student with choices who gets none of them */
    double priority_choice_factor; /* choice penalties of priority students count this many times (000, 003) */
    double w_group;             /* per group formed */
    double w_cross_grade;       /* per care group mixing grades */
    double w_external_hour;     /* per external-staff hour a week */
    double w_max_load;          /* per minute of the largest in-house weekly load (fairness) */
    /* re-planning from a published plan (准入准出, solver/perturb.h): after serving
     * everyone and before choices, so each exceeds the largest change in one
     * student's choice penalty (w_no_choice x priority_choice_factor) */
    double w_moved;             /* per student moved out of a group whose activity and slots they keep */
    double w_group_changed;     /* per published group whose time, venue or staff changes (or that closes) */
    double w_staff_changed;     /* per staff member whose week (sessions or duty days) changes */
} pp_policy;

typedef struct {
    char *id, *name;
    int start_days, end_days;   /* dates as days since 1970-01-01 */
    int weeks;                  /* weeks of this season in the term */
    long line;
} pp_season;

typedef struct {
    char *id, *name;
    pp_period_kind kind;
    uint32_t grade_mask;        /* grades in school at this period */
    uint8_t days;               /* bit d: the period runs on day d */
    int care;                   /* activity index that students not at a club are in; -1 none */
    int start_min[PP_MAX_SEASONS], end_min[PP_MAX_SEASONS]; /* minutes after midnight; -1: absent in that season */
    long line;                  /* source line, for messages */
} pp_period;

typedef struct {
    int level;                  /* 1..PP_MAX_GRADE */
    char *name;                 /* e.g. 三年级 */
} pp_grade;

typedef struct {
    char *id, *name;
    int grade;                  /* grade level */
    int room;                   /* venue index of the home classroom; -1 none */
    long line;
} pp_class;

typedef struct {
    char *id, *name;
    int cls;                    /* class index */
    unsigned priority;          /* PP_PRIO_* flags; 0 = none */
    uint32_t stay[PP_DAYS];     /* per day, periods the student stays for */
    int nchoices;
    int *choices;               /* activity indices, best first (rank 1 = choices[0]) */
    long line;
} pp_student;

typedef struct {
    char *id, *name;
    pp_activity_kind kind;
    char *category;             /* e.g. 体质健康; "" if none */
    pp_tier tier;               /* class: one admin class per group; grade: one grade per group; school: any */
    int sessions;               /* meetings per week (clubs/courses) */
    uint32_t slots[PP_DAYS];    /* per day, periods it may meet in */
    uint32_t grade_mask;        /* grades that may take it */
    int min_size, max_size;     /* group size limits */
    int merge_threshold;        /* care kinds: a class with >= this many stays whole; smaller ones merge */
    int venue_type;             /* index into school venue_types; -1: the group's home classroom */
    int speciality;             /* index into school specialities; -1: any care-capable staff */
    int staff_per_group;        /* 1, or 2 for 双师课堂 */
    double fee;                 /* per session, yuan; 0 free */
    char *provider;             /* third-party provider; "" in-house */
    long line;
} pp_activity;

typedef struct {
    char *id, *name;
    pp_staff_type type;
    int nspec;
    int *spec;                  /* speciality indices */
    uint32_t avail[PP_DAYS];    /* per day, periods available */
    int max_sessions;           /* per week */
    int max_minutes;            /* per week, in the longest season */
    int duty_leader;            /* may be a duty leader */
    double rate;                /* yuan per hour; 0: the policy's subsidy for the type */
    long line;
} pp_staff;

typedef struct {
    char *id, *name;
    int type;                   /* index into school venue_types */
    int capacity;
    uint32_t avail[PP_DAYS];
    long line;
} pp_venue;

typedef struct pp_school {
    pp_arena *arena;            /* owns everything below */
    char *id, *name;
    char *source;               /* file it was loaded from, for messages; "" if built in memory */
    uint8_t day_mask;           /* days with service */
    pp_policy policy;
    int nseasons;   pp_season *seasons;
    int nperiods;   pp_period *periods;
    int ngrades;    pp_grade *grades;
    int nclasses;   pp_class *classes;
    int nstudents;  pp_student *students;
    int nactivities; pp_activity *activities;
    int nstaff;     pp_staff *staff;
    int nvenues;    pp_venue *venues;
    int nvenue_types; char **venue_types;
    int nspecialities; char **specialities;
    int *student_by_id;         /* internal: student indices sorted by id (pp_school_validate) */
} pp_school;

/* Fills p with the defaults of DOMAIN.md. */
void pp_policy_defaults(pp_policy *p);

/* Returns an empty school with default policy and its own arena; NULL when out of
 * memory.  The caller fills it (arrays from pp_arena_alloc(s->arena, ...)) and frees
 * it with pp_school_free. */
pp_school *pp_school_new(void);
void pp_school_free(pp_school *s);        /* NULL is a no-op */

/* Interns a venue type / speciality name, returning its index (adding it when new);
 * -1 when out of memory. */
int pp_school_intern_venue_type(pp_school *s, const char *name);
int pp_school_intern_speciality(pp_school *s, const char *name);

/* Index of the entity with that id, or -1.  Linear scans except students, which are
 * looked up through a sorted index built by pp_school_validate. */
int pp_school_find_period(const pp_school *s, const char *id);
int pp_school_find_class(const pp_school *s, const char *id);
int pp_school_find_activity(const pp_school *s, const char *id);
int pp_school_find_staff(const pp_school *s, const char *id);
int pp_school_find_venue(const pp_school *s, const char *id);
int pp_school_find_season(const pp_school *s, const char *id);
int pp_school_find_student(const pp_school *s, const char *id);
int pp_school_find_grade(const pp_school *s, int level); /* index in grades[] */

/* Checks the meaning of a filled school (references, ranges, consistency) and
 * builds lookup indexes.  Appends one message per problem to d, each prefixed with
 * s->source and the entity's line.  Returns the number of problems (0 = valid). */
int pp_school_validate(pp_school *s, pp_diags *d);

/* Helpers shared by every module. */
const char *pp_day_name(int day);         /* "Mon".."Sun" */
const char *pp_day_name_zh(int day);      /* "周一".."周日" */
int pp_day_parse(const char *s);          /* "Mon" or "周一" -> 0; -1 unknown */
const char *pp_activity_kind_name(pp_activity_kind k);  /* "care","homework","reading","club","course" */
const char *pp_activity_kind_zh(pp_activity_kind k);    /* 托管, 作业辅导, 阅读, 社团, 课程 */
const char *pp_period_kind_name(pp_period_kind k);      /* "morning","noon","after-school","late","evening" */
const char *pp_staff_type_name(pp_staff_type t);        /* "teacher","retired","external","volunteer" */
const char *pp_staff_type_zh(pp_staff_type t);          /* 在职教师, 退休教师, 校外专业人员, 志愿者 */
const char *pp_tier_name(pp_tier t);                    /* "class","grade","school" */
int pp_activity_is_care(const pp_activity *a);          /* care, homework or reading */
/* Whether period p runs on day d: d is a service day of the school and one of p's days. */
int pp_slot_runs(const pp_school *s, int d, int p);
/* Whether staff member m is there on day d: available at some period that runs
 * that day (docs/RULES.md D1: a duty leader must be). */
int pp_staff_there_on(const pp_school *s, const pp_staff *m, int d);
int pp_staff_has_spec(const pp_staff *st, int spec);
/* Whether periods p and q of s meet at the same clock time in some season (a period
 * overlaps itself).  A person or a room can be in only one of them on a day. */
int pp_periods_overlap(const pp_school *s, int p, int q);
/* Minutes of period p in season k; 0 when absent in that season. */
int pp_period_minutes(const pp_period *p, int season);
/* Formats minutes after midnight as "17:05" into buf (at least 6 bytes). */
const char *pp_format_hhmm(int minutes, char *buf);
/* Parses "17:05" (also with a full-width colon "17：05"); -1 when not a valid time of day. */
int pp_parse_hhmm(const char *s);
/* Parses "2026-09-01" into days since 1970-01-01; -1 when not a valid date. */
int pp_parse_date(const char *s);
/* days (as pp_parse_date returns them) as YYYY-MM-DD into buf; returns buf. */
const char *pp_format_date(int days, char buf[16]);

#endif
