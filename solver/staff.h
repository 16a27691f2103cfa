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

/* The club program's staff flow as a hint: at[w * slots + (day * nperiods +
 * period)] set when the program had person w lead a post then (slots = 5 *
 * nperiods).  The matching tries those people first and keeps the others off
 * slots whose people the week's later planned posts need.  `at` is borrowed
 * (it must outlive st's use); NULL drops the hint. */
int pp_staffing_plan(pp_staffing *st, const unsigned char *at); /* 0, or -1 when out of memory */

/* Staffs as many of the posts as the rules allow; posts left short have got < need
 * (their staff[] holds nothing then: a group runs with all its staff or none).
 * Returns 0, or -1 when out of memory. */
int pp_staffing_assign(pp_staffing *st, pp_post *posts, int nposts);

/* Staffs the posts of the whole week at once, as an integer program (GLPK, at
 * most `seconds`): posts with must[i] set are staffed in full or the program
 * fails; the others are staffed as many as possible, the more important first
 * (post.importance), then the fewest external minutes.  Used where the slot by
 * slot matching of pp_staffing_assign left posts short although the week's
 * limits would allow them (a teacher's weekly sessions spent early).  On success
 * the posts' staff and st's loads are the new assignment, and the number of posts
 * staffed in full is returned; when no better assignment was found in time, or
 * on failure, posts and st are unchanged and 0 or -1 (out of memory) is
 * returned.  `better_than`: the worth of the posts staffed now, to beat. */
int pp_staffing_assign_week(pp_staffing *st, pp_post *posts, int nposts, const unsigned char *must,
                            double better_than, double seconds);

/* What staffing post p in full is worth to pp_staffing_assign_week (1000 plus its
 * importance): `better_than` is the sum of it over the posts staffed now. */
double pp_staffing_post_worth(const pp_post *p);

/* Minutes a group of period p takes from a staff member's weekly limit (the longest season). */
int pp_staff_post_minutes(const pp_school *s, int period);

/* Picks the duty leaders of day d (policy.duty_leaders_per_day, fewest duty days so
 * far first); writes up to max indices to out and returns how many were found. */
int pp_staffing_duty(pp_staffing *st, int day, int *out, int max);

#endif
