/* replan.h - a solve that starts from a published plan (paipian solve --from):
 * the locks, the view of the school the solver sees, and the figures of the plan
 * that comes out.  The charges themselves are solver/perturb.h.
 *
 * Locks (pp_solve_params.locks): a locked published group is kept entirely - its
 * students still in the school, slot, venue, staff.  A club/course group that
 * meets several times a week is locked at all its meetings.  The solve runs on a
 * *view* of the school in which the locked students no longer stay at the locked
 * slots (and a locked club's students choose nothing else: with the default
 * max-activities-per-student 1 they attend only it; with more, the view offers
 * them no second club, a restriction of the locked problem), and the locked
 * venues and staff are taken then (their periods and those at the same clock
 * time; the staff's weekly limits less the locked sessions).  The locked groups
 * are added back afterwards.  Bound: every cost term but the largest teacher
 * load is a sum over groups and students, so the locked problem's cost is the
 * view's plus the locked groups' exact part, and the view's bound plus that part
 * is a lower bound of the locked problem (the view's load bound uses the staff's
 * reduced capacity, which only lowers it). */
#ifndef PP_REPLAN_H
#define PP_REPLAN_H

#include "perturb.h"

/* Checks that each lock (an index into previous) can be kept in school s: its
 * slot still runs and its activity may meet then; its venue and staff are still
 * in the school, there then, of the right type or speciality, and within their
 * limits with the other locks; each of its students still asks for the slot and
 * (clubs) still chooses the activity, and the group keeps its size limits; (care)
 * every other student of its classes who asks for the slot is in another locked
 * group then (a class's care students are one group, RULES.md G2).  numbers[g]
 * names group g (gN) in the messages (NULL: g + 1).  Appends one message per
 * impossible lock to d; returns their number. */
int pp_replan_check_locks(const pp_school *s, const pp_plan *previous, const int *numbers, const int *locks,
                          int nlocks, pp_diags *d);

typedef struct pp_replan pp_replan;

/* Prepares the re-plan of s from prm->previous with prm->locks: checks the locks
 * (NULL with the messages in d when one is impossible; NULL too when out of
 * memory), builds the view and its charges.  Free with pp_replan_free. */
pp_replan *pp_replan_new(const pp_school *s, const pp_solve_params *prm, pp_diags *d);
void pp_replan_free(pp_replan *r);        /* NULL is a no-op */

const pp_school *pp_replan_school(const pp_replan *r);    /* the view to solve */
const pp_perturb *pp_replan_perturb(const pp_replan *r);  /* its charges */

/* Turns the view's plan into the school's: adds the locked groups and sets the
 * objective (the school's cost plus the charges), the bound (the view's plus the
 * locked groups' exact cost), gap and status (proven when the gap is at most
 * gap_target).  When the plan is the published one unchanged, the bound is the
 * lower of the published one and its own - the lower of two lower bounds is one
 * too - or the published one whenever digest (the school file's, solve.h) is the
 * published plan's: the same file, the same plan, the same bytes.
 * 0, or -1 when out of memory. */
int pp_replan_finish(pp_replan *r, pp_plan *plan, double gap_target, const char *digest);

#endif
