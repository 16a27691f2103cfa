/* fullmodel.h - the whole week as one plain integer program: the yardstick the
 * decomposition (solve.h) is measured against on small schools.
 *
 * pp_full_build writes every hard rule of docs/RULES.md (C1-C3, P1, P2, K1, K2,
 * G1-G5, V1-V3, S1-S4, D1) as rows of one MIP whose objective is exactly
 * pp_plan_cost; pp_full_write_lp saves it in CPLEX LP format for any solver
 * (CBC, HiGHS, GLPK); a solver's values, read with pp_full_read_solution (CBC's
 * and HiGHS's solution files, or "name value" lines) or set one by one with
 * pp_full_set, become a plan with pp_full_plan, which finally keeps G6 and G7
 * (merges of two lone small groups that fit, and swaps of a lone class into a
 * merged group, both moves that never cost more) by local repair.
 *
 * It shares nothing with the decomposition's program (solver/clubs.c): only the
 * model, the plan and pp_staff_post_minutes.  Unserved students are columns, so
 * the program always has a solution; a school too short of staff or rooms still
 * gets a plan.
 *
 * Model (the header comment of fullmodel.c has the rows):
 *   clubs   a section is (activity, pattern of slots - one per meeting a week -,
 *           grade for tier grade/class); x = student attends section, binary;
 *           n = groups of the section per venue class, integer: identical groups
 *           are one count, so no group index and no symmetry between groups;
 *   care    per slot, a group is named by a host class; w[k][h] = class k's care
 *           is in host h's group, q[k][h] its students there; a class is never
 *           split (G2): alone it is one group of any size, merged ones hold at
 *           most group-max (G1); a whole small grade may join a host of an
 *           adjacent grade (G5);
 *   staff   u = staff member leads a group of activity a at slot t, per activity
 *           and slot (groups of one activity at one slot are interchangeable);
 *   venues  per venue class, day and set of overlapping periods, groups <= venues;
 *   duty    per day, binaries. */
#ifndef PP_FULLMODEL_H
#define PP_FULLMODEL_H

#include <stdio.h>

#include "model/diag.h"
#include "model/model.h"
#include "model/plan.h"

typedef struct pp_full pp_full;

/* Builds the program of school s (validated; s must outlive it).  Returns 0 with
 * *out set (free with pp_full_free), or -1 with a message in d (out of memory). */
int pp_full_build(const pp_school *s, pp_full **out, pp_diags *d);
void pp_full_free(pp_full *m); /* NULL is a no-op */

/* Rows, columns and integer columns of the program. */
void pp_full_size(const pp_full *m, int *rows, int *cols, int *int_cols);

/* The name of column j (1..cols) as the LP file writes it. */
const char *pp_full_col_name(const pp_full *m, int j);

/* Writes the program in CPLEX LP format to path.  0, or -1 with a message in d. */
int pp_full_write_lp(const pp_full *m, const char *path, pp_diags *d);

/* A solution: one value per column (index 1..cols), all 0 at first. */
typedef struct {
    double *x;            /* x[1..cols]; owned */
    char status[64];      /* the solver's word for it ("Optimal", "Stopped on time", ...), "" unknown */
    int optimal;          /* the solver says it proved optimality */
    double objective;     /* the objective the solver reports; NAN unknown */
} pp_full_solution;

/* An all-zero solution for m; -1 when out of memory.  Free with pp_full_solution_free. */
int pp_full_solution_init(const pp_full *m, pp_full_solution *sol);
void pp_full_solution_free(pp_full_solution *sol);

/* Sets the value of the column named name; -1 when m has no such column. */
int pp_full_set(const pp_full *m, pp_full_solution *sol, const char *name, double value);

/* Reads a solver's solution file into sol (initialised by the call): CBC's
 * `solu` file, a HiGHS solution file, or lines "name value".  0, or -1 with a
 * message naming file and line in d (unknown column, bad number, unreadable file,
 * a solver that found no solution). */
int pp_full_read_solution(const pp_full *m, const char *path, pp_full_solution *sol, pp_diags *d);

/* The program's objective at sol (constant included). */
double pp_full_objective(const pp_full *m, const pp_full_solution *sol);

/* Turns sol into a plan of the school (*out, free with pp_plan_free): groups with
 * their venues and staff, unserved student-slots, duty leaders, then the G6/G7
 * repair.  Its stats hold the plan's cost, the program's size and objective, and
 * as bound the objective when the solver proved optimality (else -INFINITY).
 * 0, or -1 with a message in d (values that break the program's rows beyond
 * rounding, out of memory). */
int pp_full_plan(const pp_full *m, const pp_full_solution *sol, pp_plan **out, pp_diags *d);

/* The values of plan p (made by any solver for m's school) in m's columns: a start
 * for a MIP solver.  Groups the program cannot express (a section it lacks, a
 * class's care split between groups, which no valid plan has) leave their rows
 * broken.  sol is initialised by the call; 0, or -1 with a message in d (out of
 * memory). */
int pp_full_values_of_plan(const pp_full *m, const pp_plan *p, pp_full_solution *sol, pp_diags *d);

/* Writes sol as CBC writes solutions ("index name value" of the non-zero columns),
 * which CBC also reads as a start (cbc FILE.lp -mips START -solve).  0 or -1. */
int pp_full_write_solution(const pp_full *m, const pp_full_solution *sol, const char *path, pp_diags *d);

#endif
