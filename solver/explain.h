/* explain.h - explained infeasibility: after a solve, which demand the plan leaves
 * unmet and which resource is too short for it, at which slot, by how much.
 *
 * The solver already gives each unserved care student-slot a reason ("no free
 * staff ..."); what it cannot say from inside one stage is the shortage behind a
 * club or course that some students wanted and did not get.  This module reads
 * only the school and the finished plan (so it also explains a plan read back
 * from timetable.xml) and adds pp_shortage entries to the plan:
 *
 *   - a club/course with unmet demand: the students who chose it, are of its
 *     grades, stay at one of its slots, are not in it, and got a lower choice or
 *     none.  Groups wanted = placed + unmet students over the group size (per
 *     grade for tier="grade"), times its sessions.  Per slot the activity may meet
 *     in, the groups it can have are min(free venues of its type that fit min,
 *     free staff with its speciality / staff per group), where "free" leaves out
 *     what other activities' groups use at that time.  When the groups it can
 *     have over the week are fewer than wanted, the entry names the binding
 *     resource (venue type or speciality) at the slot where it binds hardest:
 *     "short by wanted - available".  Demand unmet for other reasons (minimum
 *     sizes, one club a week, the optimiser trading one choice for another) gives
 *     no entry.
 *   - a slot with unserved care: the groups that got no group there (per grade,
 *     students over group-max) against the care-capable staff still free then
 *     (available, not leading anything at that time, under their weekly limits)
 *     and against the free classrooms; the shorter of the two is named.
 *
 * Entries are in a fixed order (care slots by day and period, then activities in
 * school order), so outputs stay deterministic. */
#ifndef PP_EXPLAIN_H
#define PP_EXPLAIN_H

#include "model/model.h"
#include "model/plan.h"

/* Appends to p every shortage found (see above), replacing any found before.
 * Returns the number of entries, or -1 when out of memory (p keeps the entries
 * added so far). */
int pp_explain_plan(const pp_school *s, pp_plan *p);

/* Whether the plan is partial, exit code 3 of `paipian solve`: some student-slot
 * has no group (愿留尽留, "every student who asks must be served", is the one hard
 * demand of DOMAIN.md).  Club and course shortages are reported but do not make a
 * plan partial, even for a student left with none of their choices: DOMAIN.md
 * honours choices "as far as capacity, minimum sizes, rooms and staff allow", so
 * such a plan keeps every rule, and the student is in care.  (Counting them would
 * also flag every generated instance but the smallest: the shortages of
 * instances/default.xml count 220 students with none of their choices; exit 3
 * would then no longer single out a child without supervision.) */
int pp_explain_partial(const pp_plan *p);

#endif
