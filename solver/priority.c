/* priority.c - the seat swaps of priority.h.  Students are visited in school
 * order, their choices best first, groups in the order the program made them, so
 * the result is deterministic.  A displaced student is the non-priority member
 * who ranked the activity lowest (they lose least), the later one on a tie. */
#include "priority.h"

#include <stdlib.h>

static int grade_of(const pp_school *s, int stu)
{
    return s->classes[s->students[stu].cls].grade;
}

static int rank_of(const pp_student *st, int a)
{
    for (int r = 0; r < st->nchoices; r++)
        if (st->choices[r] == a)
            return r;
    return -1;
}

/* Whether student stu may sit in group g (grade, tier, stays at every meeting)
 * given the clubs it already has (busy: meetings per day-period bit). */
static int may_join(const pp_school *s, const pp_club_group *g, int stu, const uint32_t *busy)
{
    const pp_activity *a = &s->activities[g->activity];
    int gr = grade_of(s, stu);
    if (gr < 0 || gr >= 32 || !(a->grade_mask & (1u << gr)))
        return 0;
    if (a->tier != PP_TIER_SCHOOL && g->nstudents > 0 && grade_of(s, g->students[0]) != gr)
        return 0;
    for (int i = 0; i < g->nslots; i++) {
        uint32_t bit = 1u << g->period[i];
        if (!(s->students[stu].stay[g->day[i]] & bit) || (busy[g->day[i]] & bit))
            return 0;
    }
    return 1;
}

static void mark(const pp_club_group *g, uint32_t *busy, int on)
{
    for (int i = 0; i < g->nslots; i++) {
        if (on)
            busy[g->day[i]] |= 1u << g->period[i];
        else
            busy[g->day[i]] &= ~(1u << g->period[i]);
    }
}

typedef struct {
    const pp_school *s;
    pp_club_group *g;
    int n;
    int *nclubs;        /* per student: clubs held */
    uint32_t *busy;     /* per student x day: periods at a club */
    unsigned char *has; /* per student x activity */
} pctx;

static int cap_of(const pp_school *s, const pp_club_group *g)
{
    const pp_activity *a = &s->activities[g->activity];
    return a->max_size < s->policy.group_max ? a->max_size : s->policy.group_max;
}

static void seat(pctx *c, int k, int pos, int stu)
{
    pp_club_group *g = &c->g[k];
    int old = pos < g->nstudents ? g->students[pos] : -1;
    size_t na = (size_t)c->s->nactivities;
    if (old >= 0) {
        c->nclubs[old]--;
        mark(g, &c->busy[(size_t)old * PP_DAYS], 0);
        c->has[(size_t)old * na + g->activity] = 0;
    }
    g->students[pos] = stu;
    c->nclubs[stu]++;
    mark(g, &c->busy[(size_t)stu * PP_DAYS], 1);
    c->has[(size_t)stu * na + g->activity] = 1;
}

/* Gives the displaced student q a seat in another group of its choices with room. */
static int reseat(pctx *c, int q)
{
    const pp_school *s = c->s;
    const pp_student *st = &s->students[q];
    if (c->nclubs[q] >= s->policy.max_activities_per_student)
        return 0;
    for (int r = 0; r < st->nchoices; r++)
        for (int k = 0; k < c->n; k++) {
            pp_club_group *g = &c->g[k];
            if (g->activity != st->choices[r] || c->has[(size_t)q * s->nactivities + g->activity] ||
                g->nstudents >= cap_of(s, g) || !may_join(s, g, q, &c->busy[(size_t)q * PP_DAYS]))
                continue;
            int *m = realloc(g->students, (size_t)(g->nstudents + 1) * sizeof *m);
            if (!m)
                return -1;
            g->students = m;
            g->students[g->nstudents++] = -1; /* a new seat: nobody leaves it */
            seat(c, k, g->nstudents - 1, q);
            return 1;
        }
    return 0;
}

/* One priority student without any of their choices: the first seat it may take. */
static int swap_in(pctx *c, int p)
{
    const pp_school *s = c->s;
    const pp_student *st = &s->students[p];
    for (int r = 0; r < st->nchoices; r++)
        for (int k = 0; k < c->n; k++) {
            pp_club_group *g = &c->g[k];
            if (g->activity != st->choices[r] || !may_join(s, g, p, &c->busy[(size_t)p * PP_DAYS]))
                continue;
            int out = -1, worst = -2;
            for (int i = 0; i < g->nstudents; i++) {
                int q = g->students[i];
                if (s->students[q].priority)
                    continue;
                int rq = rank_of(&s->students[q], g->activity);
                if (rq >= worst) {
                    worst = rq;
                    out = i;
                }
            }
            if (out < 0)
                continue;
            int q = g->students[out];
            seat(c, k, out, p);
            return reseat(c, q) < 0 ? -1 : 1;
        }
    return 0;
}

int pp_priority_first(const pp_school *s, pp_club_group *groups, int n)
{
    size_t ns = (size_t)s->nstudents + 1;
    pctx c = { s, groups, n, calloc(ns, sizeof(int)), calloc(ns * PP_DAYS, sizeof(uint32_t)),
               calloc(ns * (size_t)s->nactivities + 1, 1) };
    int swaps = -1;
    if (!c.nclubs || !c.busy || !c.has)
        goto out;
    for (int k = 0; k < n; k++)
        for (int i = 0; i < groups[k].nstudents; i++) {
            int stu = groups[k].students[i];
            c.nclubs[stu]++;
            mark(&groups[k], &c.busy[(size_t)stu * PP_DAYS], 1);
            c.has[(size_t)stu * s->nactivities + groups[k].activity] = 1;
        }
    swaps = 0;
    for (int p = 0; p < s->nstudents; p++) {
        const pp_student *st = &s->students[p];
        if (!st->priority || c.nclubs[p] > 0 || st->nchoices == 0 || s->policy.max_activities_per_student < 1)
            continue;
        int r = swap_in(&c, p);
        if (r < 0) {
            swaps = -1;
            goto out;
        }
        swaps += r;
    }
out:
    free(c.nclubs);
    free(c.busy);
    free(c.has);
    return swaps;
}
