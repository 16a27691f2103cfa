/* perturb.h - re-planning from a published plan (准入准出, DOMAIN.md: "a new plan
 * should change as little as possible of the published one").
 *
 * The published plan is read against the school as it is now
 * (pp_ttxml_read_published): students who left, removed venues, staff, activities
 * and periods are already gone from it.  This module says what a new plan is
 * charged for departing from it, and what each stage of the solver should prefer
 * so that it departs little.  The charges, added to the school's objective after
 * serving everyone and before choices (weights in policy, model.h):
 *
 *   moved (w_moved)      per student and published group they were in whose
 *                        activity and slots they keep: a club/course entry is the
 *                        activity with the set of slots the student attended it
 *                        at; a care entry one slot of the period's care activity.
 *                        An entry is *kept* when the new plan has the student in
 *                        the same activity at exactly the same slot(s) - the group
 *                        may differ (parallel groups, care regrouped).  An entry
 *                        the student no longer can keep (no longer stays then,
 *                        dropped the choice, the activity may no longer meet then
 *                        or no longer takes the grade) is the family's own change:
 *                        not charged; such a student is *directly affected*.
 *   group changed        per published group not continued by a new group of the
 *     (w_group_changed)  same activity, day, period, venue and staff (students may
 *                        differ: they are charged as moves).  A group that lost
 *                        its venue or staff, or whose venue or staff is no longer
 *                        there then, is changed in every plan (*forced*).
 *   staff changed        per staff member whose week differs: the multiset of
 *     (w_staff_changed)  (activity, day, period, venue) they lead, or their duty days.
 *
 * Bound (solve.h): the club program carries the move charges of clubs exactly
 * (per student-section edge: minus w_moved on the section that keeps a club
 * entry, plus w_moved per care entry at a slot the section meets in; the kept
 * club entries as a constant), and a lower bound on the changed club groups: per
 * (activity, slot), at least (published groups there) - (new groups there) change.
 * Forced changes are a constant.  Everything else (care groups regrouped, venues,
 * staff, staff weeks, moves to unserved) is a nonnegative charge left out of the
 * program, so its bound stays a lower bound of the charged objective.
 *
 * Locks and the solve around these charges: solver/replan.h. */
#ifndef PP_PERTURB_H
#define PP_PERTURB_H

#include "clubs.h"
#include "solve.h"

typedef struct pp_perturb pp_perturb;

/* The charges against previous (a plan in s's indices, as read by
 * pp_ttxml_read_published); both must outlive the result.  NULL when out of
 * memory.  Free with pp_perturb_free. */
pp_perturb *pp_perturb_new(const pp_school *s, const pp_plan *previous);
void pp_perturb_free(pp_perturb *p);      /* NULL is a no-op */

/* Whether student i of s asks for slot (d, p) (RULES.md: p runs on d, the
 * student's grade is one of p's, and they stay then). */
int pp_perturb_asks(const pp_school *s, int i, int d, int p);

/* ---- for the club program (clubs.c); slots are t = day * nperiods + period ---- */

/* Objective coefficient to add to the edge "student stu attends activity act at
 * the slots slots[0..n-1]". */
double pp_perturb_edge_cost(const pp_perturb *p, int stu, int act, const int *slots, int n);
/* Whether that edge keeps a club entry of the student. */
int pp_perturb_keeps(const pp_perturb *p, int stu, int act, const int *slots, int n);
/* The certain part of the charges: w_moved per kept-able club entry, w_group_changed
 * per forced change and per published club group counted by pp_perturb_club_groups,
 * w_staff_changed per staff member whose week must change (a published session of
 * theirs can no longer be held as it was: its venue is gone or not there then,
 * they are not there then, its activity may not meet then; or a duty day). */
double pp_perturb_constant(const pp_perturb *p);
/* Published club groups (not forced) of activity act at slot t: that many minus the
 * new groups of act at t is a lower bound on the changed ones. */
int pp_perturb_club_groups(const pp_perturb *p, int act, int t);
/* Published weekly groups of act meeting at exactly those slots (of one grade when
 * grade > 0): the parallel groups the plan that changes nothing would open. */
int pp_perturb_weekly_groups(const pp_perturb *p, int act, const int *slots, int n, int grade);

/* ---- for the later stages (solve.c) ---- */

/* Deals the students of parallel club groups (same activity, slots and grade) so
 * that each new group continues one published group: a student returns to the
 * group continuing theirs; the others fill what is left.  Keeps the sizes within
 * the activity's limits, else leaves those groups as they are.  0, or -1 when out
 * of memory (groups unchanged). */
int pp_perturb_redeal(const pp_perturb *p, pp_club_group *groups, int n);

/* For the n new groups of slot (day, period) (activity and students of each),
 * the published group each continues: prev[i] = its index in previous, or -1.
 * Each published group is continued at most once, by a group of its activity:
 * most shared students first, then in order.  0, or -1 when out of memory. */
int pp_perturb_match_slot(const pp_perturb *p, int day, int period, int n, const int *activity,
                          const int *const *students, const int *nstudents, int *prev);

/* The published care group class cls was in at slot (day, period), or -1: the care
 * packer's preference (care.h pp_care_pack_prefer). */
int pp_perturb_care_group(const pp_perturb *p, int cls, int day, int period);

/* Published group g (index in previous). */
const pp_group *pp_perturb_group(const pp_perturb *p, int g);

/* The published duty leaders of day when all of them may still lead duty that day
 * and they are as many as the policy wants: their count, written to out (at most
 * max); 0 otherwise. */
int pp_perturb_duty(const pp_perturb *p, int day, int *out, int max);

/* ---- what a plan is charged ---- */

typedef struct {
    int moved_entries;     /* kept-able entries not kept */
    int moved_students;    /* students with at least one */
    int groups_changed;    /* published groups not continued unchanged (forced ones included) */
    int groups_forced;     /* of them, forced */
    int groups_new;        /* new groups continuing no published group */
    int staff_changed;     /* staff members whose week differs */
    int affected;          /* directly affected students: new, with an entry they cannot keep, or in a
                              published group of an activity and slot where a group was forced to
                              change (its coach or room is gone: they compete for what is left) */
    int moved_unaffected;  /* moved students who are not directly affected */
    int students;          /* students of the school now */
    double cost;           /* the charges */
} pp_perturb_counts;

/* Counts the charges of plan (in the same school); moved, when not NULL, gets one
 * flag per student (1: moved).  0, or -1 when out of memory. */
int pp_perturb_count(const pp_perturb *p, const pp_plan *plan, pp_perturb_counts *c, unsigned char *moved);

/* The charges of plan; NAN when out of memory. */
double pp_perturb_cost(const pp_perturb *p, const pp_plan *plan);

#endif
