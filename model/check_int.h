/* check_int.h - what the checker's files share (check.c, check_cover.c,
 * check_clubs.c, check_care.c, check_resources.c); not for use outside them.
 * The checker is split by rule family of docs/RULES.md; each pass reads the
 * sorted copy of the plan's groups and reports through pp_ck_viol, which counts
 * every violation and lists the first PP_CHECK_LIST_MAX of each rule. */
#ifndef PP_CHECK_INT_H
#define PP_CHECK_INT_H

#include <stddef.h>
#include <stdint.h>

#include "check.h"

typedef struct {
    const pp_school *s;
    const pp_plan *p;
    pp_group *g;                     /* p->groups in pp_plan_sort order: g[i] is "g<i+1>" */
    int ng;
    uint32_t overlap[PP_MAX_PERIODS];/* bit q of overlap[p]: periods p and q meet at the same time (p itself too) */
    pp_diags *list[PP_CHECK_NRULES]; /* the listed violations of each rule */
    pp_diags *notes;                 /* NULL: notes are counted only */
    pp_check_counts n;
    int oom;                         /* a pass ran out of memory */
} pp_ck;

#define PP_CK_LABEL 320 /* a group label or a slot name; ids are cut to fit */

/* Reports one violation of rule r (the "[r] " prefix is added). */
void pp_ck_viol(pp_ck *c, pp_check_rule r, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Whether the next violation of r is listed: passes skip building long texts otherwise. */
int pp_ck_listed(const pp_ck *c, pp_check_rule r);
void pp_ck_note(pp_ck *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Out of memory in a pass: recorded once per pass name, and the check returns -1. */
void pp_ck_oom(pp_ck *c, const char *pass);

/* "homework g12 (Mon after)" for group index i; pp_ck_gname without the slot. */
const char *pp_ck_group(const pp_ck *c, int i, char *buf);
const char *pp_ck_gname(const pp_ck *c, int i, char *buf);
/* "Mon after" */
const char *pp_ck_slot(const pp_school *s, int day, int period, char *buf);

/* A bounded text being built: appends never overflow, a full buffer is cut. */
typedef struct {
    char *b;
    size_t cap, len;
} pp_ck_text;
void pp_ck_put(pp_ck_text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static inline int pp_ck_runs(const pp_school *s, int d, int p)
{
    return (s->day_mask & (1u << d)) && (s->periods[p].days & (1u << d));
}

static inline int pp_ck_grade_of(const pp_school *s, int stu)
{
    return s->classes[s->students[stu].cls].grade;
}

static inline int pp_ck_for_grade(const pp_school *s, int p, int grade)
{
    return grade >= 0 && grade < 32 && (s->periods[p].grade_mask & (1u << grade));
}

/* Student stu asks for slot (d, p): the period runs, it is for the student's grade
 * and the student stays then (RULES.md, "asks for"). */
static inline int pp_ck_asks(const pp_school *s, int stu, int d, int p)
{
    return pp_ck_runs(s, d, p) && (s->students[stu].stay[d] & (1u << p)) && pp_ck_for_grade(s, p, pp_ck_grade_of(s, stu));
}

static inline int pp_ck_chose(const pp_student *st, int a)
{
    for (int r = 0; r < st->nchoices; r++)
        if (st->choices[r] == a)
            return 1;
    return 0;
}

/* Orders two tuples of n ints lexicographically: a qsort comparison of index keys. */
static inline int pp_ck_cmp_ints(const int *a, const int *b, int n)
{
    for (int i = 0; i < n; i++)
        if (a[i] != b[i])
            return a[i] < b[i] ? -1 : 1;
    return 0;
}

/* The rule families, each one pass or a few; called in this order by pp_check_run. */
void pp_ck_slots(pp_ck *c);      /* C3 */
void pp_ck_coverage(pp_ck *c);   /* C1, C2, P1 */
void pp_ck_clubs(pp_ck *c);      /* K1, K2, P2 */
void pp_ck_care(pp_ck *c);       /* G1-G7 */
void pp_ck_resources(pp_ck *c);  /* V1-V3, S1-S4 */
void pp_ck_duty(pp_ck *c);       /* D1 */

/* One use of a resource: a student, venue or staff member in group g. */
typedef struct {
    int res, day, period, group;
} pp_ck_use;

typedef enum { PP_CK_STUDENT, PP_CK_VENUE, PP_CK_STAFF } pp_ck_kind;

/* Sorts the n uses (reordering u) and reports, under rule r, each resource that is
 * in two groups at overlapping periods of a day: one violation per resource, day
 * and set of overlapping periods, listing its groups.  A use repeated within one
 * group counts once.  O(n log n). */
void pp_ck_clashes(pp_ck *c, pp_ck_use *u, size_t n, pp_ck_kind kind, pp_check_rule r);

#endif
