/* report.h - what a plan means for people: the staff workload that pays the
 * subsidies (工作量, 课时补助) and the CSV files the academic affairs office opens
 * in Excel (排片表, each student's week, the workload report).
 *
 * Everything here reads a school and a plan and never changes them.  Output is
 * deterministic: no clock, fixed number formats, rows in a stable order (groups in
 * the pp_plan_sort order, staff by type then school order, students by class then
 * id), so two runs on the same plan give the same bytes.
 *
 * CSV files are UTF-8 with a byte order mark (EF BB BF) so Excel shows the Chinese
 * text, CRLF line ends and RFC 4180 quoting (a field with a comma, quote or line
 * break is quoted, quotes doubled); column headers are Chinese.
 *
 * Writers take an open FILE (the command line writes to a temporary file and
 * renames it when complete) and return 0, or -1 when writing failed or memory ran
 * out; the file then holds a truncated output that the caller discards. */
#ifndef PP_REPORT_H
#define PP_REPORT_H

#include <stddef.h>
#include <stdio.h>

#include "model/model.h"
#include "model/plan.h"

/* One staff member's week and term. */
typedef struct {
    int sessions;                      /* groups led per week */
    int minutes[PP_MAX_SEASONS];       /* minutes led per week, by season */
    int load_minutes;                  /* per week with each group at its longest season: what max_minutes limits (as the solver counts it) */
    double weighted[PP_MAX_SEASONS];   /* credited minutes per week by season: minutes x policy.workload_weight[kind] */
    double term_hours;                 /* sum over seasons of weeks x minutes / 60 */
    double term_weighted_hours;        /* the same with weighted minutes */
    double rate;                       /* yuan per hour applied: staff.rate, else policy.subsidy_per_hour[type] */
    double subsidy;                    /* term_hours x rate, yuan */
    int over_sessions;                 /* sessions beyond max_sessions; 0 within the limit */
    int over_minutes;                  /* load_minutes beyond max_minutes; 0 within the limit */
    int duty_days;                     /* days on the duty-leader roster (值日领导) */
} pp_staff_load;

/* Who pays: in-house (teacher, retired), external professionals, volunteers. */
typedef enum { PP_PAY_INHOUSE, PP_PAY_EXTERNAL, PP_PAY_VOLUNTEER, PP_PAY_KINDS } pp_pay_kind;

typedef struct {
    int staff;                         /* members of this kind in the school */
    int active;                        /* of them, with at least one session */
    int sessions;
    int minutes[PP_MAX_SEASONS];       /* per week, by season */
    double term_hours, term_weighted_hours, subsidy;
} pp_load_total;

/* Spread of weekly load (load_minutes) over every in-house teacher (type teacher),
 * including those with no session: an idle teacher is part of the unfairness. */
typedef struct {
    int n;                             /* teachers counted */
    int idle;                          /* of them, with no session */
    int min, max, spread;              /* minutes per week; spread = max - min; all 0 when n == 0 */
    double mean;
} pp_fairness;

typedef struct {
    int nstaff;
    pp_staff_load *staff;              /* indexed like school->staff */
    int *order;                        /* staff indices in report order: type, then school order */
    pp_load_total total[PP_PAY_KINDS];
    pp_load_total all;
    pp_fairness fairness;
} pp_workload;

/* Computes the workload of every staff member in plan p of school s.  Groups or
 * duty entries naming staff out of range are ignored.  Returns a new pp_workload
 * that the caller frees with pp_report_workload_free; NULL when out of memory. */
pp_workload *pp_report_workload(const pp_school *s, const pp_plan *p);
void pp_report_workload_free(pp_workload *w);   /* NULL is a no-op */

pp_pay_kind pp_report_pay_kind(pp_staff_type t);
const char *pp_report_pay_kind_zh(pp_pay_kind k);  /* 在职, 校外, 志愿者 */

/* CSV writers (see the header comment).  0, or -1 on write error or out of memory. */
/* 排片表: one row per group. */
int pp_report_timetable_csv(FILE *f, const pp_school *s, const pp_plan *p);
/* Each student's week: one row per student per slot stayed (or placed). */
int pp_report_students_csv(FILE *f, const pp_school *s, const pp_plan *p);
/* One row per staff member, then totals by pay kind and the fairness figures. */
int pp_report_workload_csv(FILE *f, const pp_school *s, const pp_plan *p);

/* ---- helpers shared with the HTML writer ------------------------------------ */

/* "16:15-17:20" for period in season into buf (at least 16 bytes); "" when the
 * period does not run in that season.  Returns buf. */
const char *pp_report_period_time(const pp_school *s, int period, int season, char *buf);

/* The 年级/班级 text of a group: its class names joined by 、 (up to 4 classes),
 * else per grade "三年级全体" or "三年级3个班".  Writes at most n bytes including
 * the NUL into buf, cutting only between UTF-8 characters; returns buf. */
const char *pp_report_group_classes(const pp_school *s, const pp_group *g, char *buf, size_t n);

/* The staff names of a group joined by 、 ("" when none), cut between UTF-8
 * characters to at most n bytes including the NUL, into buf; returns buf. */
const char *pp_report_staff_names(const pp_school *s, const pp_group *g, char *buf, size_t n);

/* Group indices of p in pp_plan_sort order (day, period, activity, first class,
 * first student; then position), without touching p.  Caller frees; NULL when out
 * of memory (or when p has no group). */
int *pp_report_group_order(const pp_plan *p);

/* Where each student is at each slot: a new array of nstudents x PP_DAYS x
 * nperiods entries, entry PP_SLOT(s, student, day, period) holding the group index,
 * PP_SLOT_UNSERVED(u) for unserved entry u, or -1 for neither.  Caller frees; NULL
 * when out of memory or when the school has no student. */
int *pp_report_student_slots(const pp_school *s, const pp_plan *p);
#define PP_SLOT(s, st, day, period) (((size_t)(st) * PP_DAYS + (size_t)(day)) * (size_t)(s)->nperiods + (size_t)(period))
#define PP_SLOT_UNSERVED(u) (-2 - (u))

/* Student indices by admin class (index order), then id: the order of every
 * per-student output.  Caller frees; NULL when out of memory or no student. */
int *pp_report_student_order(const pp_school *s);

/* 最优 / 可行 / 部分 / 无方案 */
const char *pp_report_status_zh(pp_status st);

#endif
