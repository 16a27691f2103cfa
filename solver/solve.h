/* solve.h - the contract of the solver: a validated school in, a plan out.
 *
 * The week is solved in the order of its structure (MODEL-NOTES.md):
 *   1. clubs and courses - the hard core - as one integer program in GLPK, whose
 *      rows also carry a relaxation of everything the later stages decide (care
 *      groups per slot and grade, staff and venues per slot, weekly staff load),
 *      so its bound is a lower bound for the whole problem;
 *   2. care groups per slot from whole admin classes by the merge rules (exact
 *      bin packing; slots without clubs are independent and solved apart);
 *   3. venues, staff and duty leaders slot by slot (matching with load limits).
 * The reported objective is the cost of the final plan; the reported bound is the
 * integer program's bound plus the exact or bounded cost of the independent parts,
 * so the gap is honest for the whole problem.
 *
 * Parameters follow GLPK's habit: a struct filled with defaults by an init call. */
#ifndef PP_SOLVE_H
#define PP_SOLVE_H

#include <signal.h>

#include "model/diag.h"
#include "model/model.h"
#include "model/plan.h"

typedef struct {
    double elapsed;      /* seconds since the solve started */
    double objective;    /* best plan cost so far (of the integer program part + constants); NAN if none */
    double bound;        /* bound valid for the whole problem; -INFINITY if none */
    const char *phase;   /* "clubs", "care", "staff" */
    double ip_objective; /* the integer program's own objective and bound (incl. its constant), */
    double ip_bound;     /* as --write-lp writes it: what another solver of that file reports */
} pp_progress;

typedef struct {
    double time_limit;   /* seconds for the whole solve; default 60 */
    double gap;          /* relative gap at which the search stops; default 0.005 */
    int quiet;           /* no progress on stderr */
    int use_heuristic;   /* hand the greedy plan to GLPK as first incumbent; default 1 */
    int cuts;            /* GLPK cut generators on; default 1 */
    int presolve;        /* GLPK's MIP presolver on large programs; default 1.  It tightens the
                            program (on 3,600 students the bound after 30 s rises from 9,208 to
                            9,339) but works on a transformed program, so the greedy plan cannot
                            be handed in as an incumbent: it is kept aside and the better of the
                            two plans is used */
    const char *write_lp;   /* if set, the integer program is written there (CPLEX LP) */
    const char *write_mps;  /* if set, written there (free MPS) */
    /* Set by a signal handler to stop early; the best plan so far is returned. */
    volatile sig_atomic_t *interrupt;
    /* Progress reports, at most about once a second; NULL: printed on stderr unless quiet. */
    void (*progress)(void *ctx, const pp_progress *p);
    void *progress_ctx;
    /* Re-plan (solver/perturb.h, replan.h): the published plan in this school's
     * indices (io/timetable_xml.h pp_ttxml_read_published); the objective then adds
     * the charges for changing it.  NULL (the default): a solve from scratch. */
    const pp_plan *previous;
    const int *previous_numbers; /* gN of each group of previous, for messages; NULL: index + 1 */
    const int *locks;            /* groups of previous kept entirely (indices) */
    int nlocks;
    /* The school file's digest (plan.h's school_digest), copied into the plan.  A
     * re-plan of the very file its published plan was made for that keeps that
     * plan returns it whole, its bound included (the bound of a search is not
     * the same from run to run; the published one holds for that file). */
    const char *school_digest;
} pp_solve_params;

void pp_solve_params_init(pp_solve_params *p);

typedef enum {
    PP_SOLVE_OK = 0,        /* a plan; see plan->stats.status */
    PP_SOLVE_NO_PLAN = 1,   /* stopped before any plan existed */
    PP_SOLVE_ERROR = 2      /* internal error (out of memory, GLPK failure); message in d */
} pp_solve_rc;

/* Solves the week of school s (validated).  On PP_SOLVE_OK *out receives a plan the
 * caller frees with pp_plan_free; otherwise *out is NULL and d says why. */
pp_solve_rc pp_solve(const pp_school *s, const pp_solve_params *prm, pp_plan **out, pp_diags *d);

/* The cost of a plan under the school's objective weights (what pp_solve minimises).
 * Used for the reported objective and by tests. */
double pp_plan_cost(const pp_school *s, const pp_plan *p);

/* The same cost split by the terms of DOMAIN.md's order, so a user (and the
 * benchmark) sees what the objective is made of; total is pp_plan_cost. */
typedef struct {
    double unserved, choices, groups, cross_grade, external, max_load, total;
} pp_cost_parts;

/* Fills *parts; returns 0, or -1 when out of memory (*parts then all NAN). */
int pp_plan_cost_parts(const pp_school *s, const pp_plan *p, pp_cost_parts *parts);

#endif
