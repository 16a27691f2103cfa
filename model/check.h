/* check.h - the independent checker: re-verifies every hard rule of DOMAIN.md on a
 * plan, whatever made it.  It shares no code with solver/ (only the model), so a
 * solver bug cannot hide itself; `paipian check` and every solver test use it. */
#ifndef PP_CHECK_H
#define PP_CHECK_H

#include "diag.h"
#include "model.h"
#include "plan.h"

/* Checks plan p against school s; adds one line per violation to d, naming the rule,
 * the group (activity, day, period) and the ids involved.  Returns the number of
 * violations: 0 means the plan keeps every hard rule. */
int pp_check_plan(const pp_school *s, const pp_plan *p, pp_diags *d);

#endif
