/* check.h - the independent checker: re-verifies every hard rule of DOMAIN.md on a
 * plan, whatever made it (the solver, a hand-edited timetable.xml, another tool).
 * It shares no code with solver/ (only the model), so a solver bug cannot hide
 * itself; `paipian check` and every solver test use it.
 *
 * Groups are named as in timetable.xml: "football (g3, Wed after)", where g3 is the
 * group's number in pp_plan_sort order, the order pp_ttxml_write numbers them in.
 *
 * Rules (the numbers are fields of s->policy and of the activities):
 *   coverage   every student staying for a slot is in exactly one group there or
 *              listed unserved there, never both, never two groups; nobody is in a
 *              group (or listed unserved) at a slot they did not ask for or whose
 *              period does not run for their grade;
 *   slots      a group meets on a day its period runs; a club/course only in one
 *              of its allowed slots;
 *   clubs      members chose it and are of its grades; one grade per group unless
 *              its tier is school; size within min..max and group-max; per
 *              student at most `sessions` meetings of it and at most
 *              max-activities-per-student clubs/courses a week;
 *   care       the period's care activity; whole admin classes; a class at or over
 *              the merge threshold alone; merged groups within group-max; no merge
 *              in class tier; grade tier mixes at most two adjacent grades and
 *              only when adjacent-grade-merge is on (school tier: any grades);
 *   venues     present, of the activity's type (care without a type: the type of
 *              the home classroom; the home classroom itself is preferred but not
 *              required, as a class's room may be in use), big enough unless it is
 *              a member class's home room, available, one group at a time (periods
 *              at the same clock time count as the same time);
 *   staff      staff-per-group people with the speciality (without one: not
 *              external), available, one group at a time, within max-sessions and
 *              max-minutes a week (minutes of a period: its longest season);
 *   duty       every service day with groups has duty-leaders-per-day distinct
 *              staff who may lead duty and are in school that day. */
#ifndef PP_CHECK_H
#define PP_CHECK_H

#include "diag.h"
#include "model.h"
#include "plan.h"

/* Checks plan p against school s; adds one line per violation to d (owned by d),
 * naming the rule, the group (activity, number, day, period) and the ids involved.
 * Returns the number of violations: 0 means the plan keeps every hard rule.  A plan
 * that refers to entities s does not have counts as one violation and is not
 * checked further; running out of memory counts as one violation too. */
int pp_check_plan(const pp_school *s, const pp_plan *p, pp_diags *d);

#endif
