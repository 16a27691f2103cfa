/* clubs.h - the hard core of the week: which clubs and courses open, when, how
 * many parallel groups, and which students go to them (one GLPK integer program).
 *
 * Internal to solver/: solve.c calls it and turns its result into plan groups. */
#ifndef PP_CLUBS_H
#define PP_CLUBS_H

#include "solve.h"

/* One weekly club/course group: meets at every slot of its pattern. */
typedef struct {
    int activity;
    int nslots;
    int day[PP_DAYS], period[PP_DAYS];
    int nstudents;
    int *students;      /* owned by the result */
} pp_club_group;

typedef struct {
    int ngroups;
    pp_club_group *groups;
    /* The same openings with the students the program itself placed, when that
     * assignment is whole and differs from groups' (which maximises the choices
     * granted alone): the program's care counts were worked out for it, so its
     * care may pack tighter.  The caller keeps the cheaper whole plan. */
    int nalt;
    pp_club_group *alt;
    double objective;       /* integer program objective of the plan found (incl. constant) */
    double bound;           /* its bound (incl. constant): valid for the whole problem */
    double first_feasible;  /* seconds since start when the first plan was known; -1 none */
    int rows, cols, int_cols;
    int optimal;            /* search finished within the gap */
    double *care_at;        /* per slot (day * nperiods + period): care groups the program counts for
                               the groups above (sum of g less joins); NULL when not known */
    unsigned char *staff_at; /* [staff * slots + slot]: the program's staff flow has that person lead a
                               post then (pp_staffing_plan); NULL when the program had no flow */
    /* peak resident memory (MiB) of the search process and of the fix-and-optimise
     * helper (each counts the pages it shares with this one); 0: it did not run */
    double search_peak_rss_mib, helper_peak_rss_mib;
} pp_clubs_result;

typedef struct {
    double start;           /* monotonic clock at the start of the solve */
    double deadline;        /* monotonic clock time to stop the search */
    double const_cost;      /* cost of parts solved apart (reported with progress) */
    double const_bound;     /* their lower bound */
    int nonclub_staff_sessions; /* staff sessions the slots without clubs already need */
    const struct pp_perturb *pert; /* re-plan: charges for changing the published plan (perturb.h); NULL none */
    const char *apart_slots;    /* per slot (day * nperiods + period): model which classes' care
                                   cannot share a group there (tighter, slower); NULL none */
    int start_only;             /* return the first plan (greedy), without the search */
    int staff_flow;             /* model the week's in-house posts per person (weekly limits, who is there) */
    const int *nonclub_posts;   /* per slot: staff posts the care of slots without clubs needs; NULL none */
    double later_excess;        /* what the later stages were seen to add to a plan of the program
                                   (care packed exactly, the largest load): the search stops when
                                   the plan so raised is within the user's gap */
} pp_clubs_ctx;

/* Solves the club program.  Returns 0 with res filled (free with pp_clubs_result_free;
 * a school without clubs gives 0 groups), -1 on error with a message in d. */
int pp_clubs_solve(const pp_school *s, const pp_solve_params *prm, const pp_clubs_ctx *ctx,
                   pp_clubs_result *res, pp_diags *d);

void pp_clubs_result_free(pp_clubs_result *res);

/* Monotonic clock in seconds. */
double pp_clock(void);

/* Whether slot (day, period) can host any club or course of s. */
int pp_clubs_slot_possible(const pp_school *s, int day, int period);

/* Choice penalty of a student given the number of clubs granted at each rank:
 * granted_rank[r] = 1 if the student got its choice r.  Shared with the plan cost. */
double pp_choice_penalty(const pp_school *s, int student, const int *granted_rank);

#endif
