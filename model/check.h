/* check.h - the independent checker: re-verifies every hard rule of docs/RULES.md
 * (C1-C3, P1-P2, K1-K2, G1-G7, V1-V3, S1-S4, D1) on a plan, whatever made it (the
 * solver, a hand-edited timetable.xml, the full model read back, another tool).
 *
 * It is the independent reading of the rules: it shares no code with solver/ and
 * calls none of it (only model/), so a solver bug cannot hide itself behind a
 * shared helper.  Where the solver and this file disagree, docs/RULES.md decides.
 *
 * Messages.  Every violation is one line that starts with the rule id in brackets,
 * names the groups by their numbers in timetable.xml ("homework g12 (Mon after)":
 * g12 is the group's place in pp_plan_sort order, the order pp_ttxml_write numbers
 * them in), the students, classes, staff and venues involved, and says what was
 * expected:
 *   [V3] venue r301 holds two groups at once at Wed after: homework g3, homework g4;
 *        expected one group at a time
 * A resource double-booked at a slot is one violation listing its groups (at most
 * PP_CHECK_LIST_GROUPS named); each rule lists its first PP_CHECK_LIST_MAX
 * violations and then one line "... and K more [RULE] violations", so a hostile
 * timetable gives a bounded report; the counts are exact whatever is listed.
 *
 * Notes.  A school with fewer duty-eligible staff than it wants on a day (D1) has a
 * shortage, not a faulty plan: it is a note, returned apart, naming the day, the
 * number wanted and who could lead duty.
 *
 * Cost.  Every pass is near-linear in the size of the plan and the school: per group
 * and member, per slot, and per resource and day through sorted indexes; nothing
 * compares all pairs of groups of a slot. */
#ifndef PP_CHECK_H
#define PP_CHECK_H

#include "diag.h"
#include "model.h"
#include "plan.h"

/* The rules of docs/RULES.md, in its order; PP_RULE_PLAN is a plan that refers to
 * entities the school does not have (checked before anything else). */
typedef enum {
    PP_RULE_C1, PP_RULE_C2, PP_RULE_C3,
    PP_RULE_P1, PP_RULE_P2,
    PP_RULE_K1, PP_RULE_K2,
    PP_RULE_G1, PP_RULE_G2, PP_RULE_G3, PP_RULE_G4, PP_RULE_G5, PP_RULE_G6, PP_RULE_G7,
    PP_RULE_V1, PP_RULE_V2, PP_RULE_V3,
    PP_RULE_S1, PP_RULE_S2, PP_RULE_S3, PP_RULE_S4,
    PP_RULE_D1,
    PP_RULE_PLAN,
    PP_CHECK_NRULES
} pp_check_rule;

#define PP_CHECK_LIST_MAX 20    /* violations listed per rule; the rest are counted */
#define PP_CHECK_LIST_GROUPS 10 /* groups named in one message */

typedef struct {
    int violations;                   /* all violations found, listed or not */
    int by_rule[PP_CHECK_NRULES];     /* the same per rule */
    int notes;                        /* shortage notes */
} pp_check_counts;

/* "C1", "G6", ..., "plan". */
const char *pp_check_rule_id(pp_check_rule r);

/* Checks plan p against school s.  Violations go to violations (grouped by rule in
 * the order of RULES.md, each rule's first PP_CHECK_LIST_MAX then a "... and K more"
 * line), shortage notes to notes (either list may be NULL: not kept, still counted); counts
 * (may be NULL) receives the exact counts.  Messages are owned by the lists.
 * Returns the number of violations (0: the plan keeps every hard rule), or -1 when
 * out of memory (a message says so in violations).  Deterministic. */
int pp_check_run(const pp_school *s, const pp_plan *p, pp_diags *violations, pp_diags *notes,
                 pp_check_counts *counts);

/* pp_check_run without the notes; out of memory counts as one violation.  For
 * callers that only ask "does the plan keep the rules". */
int pp_check_plan(const pp_school *s, const pp_plan *p, pp_diags *d);

/* The summary line of counts into buf: "3 violations (by rule: G6 2, V3 1), 1 note",
 * "0 violations, 0 notes".  Returns buf. */
const char *pp_check_summary(const pp_check_counts *counts, char *buf, size_t n);

#endif
