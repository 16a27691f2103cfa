/* staff.h - who leads each group and where it meets, once the groups are known.
 *
 * With groups and times fixed this is a matching problem per slot (MODEL-NOTES:
 * "a flow/transportation problem"): staff to posts, venues to groups.  Weekly load
 * limits couple the slots; posts are matched slot by slot with augmenting paths
 * (a maximum matching per slot), trying the least-loaded eligible person first so
 * the load spreads, and scarce slots and specialist posts first. */
#ifndef PP_STAFF_H
#define PP_STAFF_H

#include "model/model.h"

typedef struct {
    int day, period, activity;
    int size;           /* students */
    int importance;     /* higher is staffed first when staff are short (priority students) */
    int need;           /* staff per group */
    int got;
    int staff[4];
    const int *prefer;  /* re-plan (solver/perturb.h): the published group's staff, tried first in this
                           order when eligible; NULL none */
    int nprefer;
} pp_post;

typedef struct pp_staffing pp_staffing;

/* Load bookkeeping for one week; free with pp_staffing_free.  NULL on OOM. */
pp_staffing *pp_staffing_new(const pp_school *s);
void pp_staffing_free(pp_staffing *st);

/* Staffs as many of the posts as the rules allow; posts left short have got < need
 * (their staff[] holds nothing then: a group runs with all its staff or none).
 * Returns 0, or -1 when out of memory. */
int pp_staffing_assign(pp_staffing *st, pp_post *posts, int nposts);

/* Minutes a group of period p takes from a staff member's weekly limit (the longest season). */
int pp_staff_post_minutes(const pp_school *s, int period);

/* Picks the duty leaders of day d (policy.duty_leaders_per_day, fewest duty days so
 * far first); writes up to max indices to out and returns how many were found. */
int pp_staffing_duty(pp_staffing *st, int day, int *out, int max);

#endif
