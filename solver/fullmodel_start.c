/* fullmodel_start.c - any plan of the school (paipian's own, a hand-made one) as
 * values of the full model's columns: a start for a MIP solver (CBC's -mips) and
 * the way back of pp_full_plan (a plan read back maps onto values of the same cost).
 * A group the program cannot express (a section it does not have, a venue class
 * it lacks) leaves its columns unset, and a plan that breaks a rule (a class's
 * care split between groups) gets values that break the matching rows: the solver
 * then repairs or drops the start there. */
#include "fullmodel_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "staff.h"

/* Adds v to the column named by fmt (or sets it, for binaries); no such column: nothing. */
static void put_value(const pp_full *m, pp_full_solution *sol, int set, double v, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static void put_value(const pp_full *m, pp_full_solution *sol, int set, double v, const char *fmt, ...)
{
    char name[128];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(name, sizeof name, fmt, ap);
    va_end(ap);
    int j = glp_find_col(m->lp, name);
    if (j > 0)
        sol->x[j] = set ? v : sol->x[j] + v;
}

static int vclass_of(const pp_full *m, int venue)
{
    for (int c = 0; c < m->nvc; c++)
        for (int i = 0; i < m->vc[c].n; i++)
            if (m->vc[c].venues[i] == venue)
                return c;
    return -1;
}

static int same_members(const pp_group *a, const pp_group *b)
{
    return a->activity == b->activity && a->nstudents == b->nstudents &&
           !memcmp(a->students, b->students, (size_t)a->nstudents * sizeof *a->students);
}

/* A weekly club group: its meetings (groups with the same members) make a pattern. */
static void club_values(const pp_full *m, const pp_plan *p, pp_full_solution *sol, unsigned char *used)
{
    const pp_school *s = m->s;
    for (int i = 0; i < p->ngroups; i++) {
        const pp_group *g = &p->groups[i];
        if (used[i] || pp_activity_is_care(&s->activities[g->activity]) || !g->nstudents)
            continue;
        int slots[PP_DAYS], n = 0;
        for (int j = i; j < p->ngroups && n < PP_DAYS; j++)
            if (!used[j] && same_members(g, &p->groups[j])) {
                used[j] = 1;
                slots[n++] = p->groups[j].day * m->np + p->groups[j].period;
            }
        for (int a = 1; a < n; a++) /* sections list their slots ascending */
            for (int b = a; b > 0 && slots[b - 1] > slots[b]; b--) {
                int t = slots[b];
                slots[b] = slots[b - 1];
                slots[b - 1] = t;
            }
        int grade = s->activities[g->activity].tier == PP_TIER_SCHOOL ? -1 : s->classes[s->students[g->students[0]].cls].grade;
        for (int k = 0; k < m->nsec; k++) {
            const fm_section *sec = &m->sec[k];
            if (sec->act != g->activity || sec->grade != grade || sec->nslots != n ||
                memcmp(sec->slot, slots, (size_t)n * sizeof *slots))
                continue;
            for (int q = 0; q < g->nstudents; q++)
                put_value(m, sol, 1, 1, "x_%d_%d", g->students[q], k);
            put_value(m, sol, 0, 1, "n_%d_%d", k, g->venue >= 0 ? vclass_of(m, g->venue) : 0);
            break;
        }
    }
}

/* Care at slot (d, per): hosts, pairs, joins and counts. */
static void care_values(const pp_full *m, const pp_plan *p, pp_full_solution *sol, int d, int per, int *cnt, int *tot)
{
    const pp_school *s = m->s;
    int act = s->periods[per].care, t = d * m->np + per, nc = s->nclasses;
    if (act < 0)
        return;
    const pp_activity *a = &s->activities[act];
    memset(cnt, 0, (size_t)nc * sizeof *cnt);
    memset(tot, 0, (PP_MAX_GRADE + 1) * sizeof *tot);
    for (int i = 0; i < p->ngroups; i++) {
        const pp_group *g = &p->groups[i];
        if (g->day != d || g->period != per || g->activity != act)
            continue;
        for (int q = 0; q < g->nstudents; q++) {
            int k = s->students[g->students[q]].cls;
            cnt[k]++;
            tot[s->classes[k].grade]++;
        }
    }
    for (int k = 0; k < nc; k++)
        if (cnt[k]) {
            put_value(m, sol, 1, cnt[k], "c_%d_%d", k, t);
            put_value(m, sol, 1, cnt[k] >= a->merge_threshold, "b_%d_%d", k, t);
        }
    for (int i = 0; i < p->ngroups; i++) {
        const pp_group *g = &p->groups[i];
        if (g->day != d || g->period != per || g->activity != act || !g->nclasses)
            continue;
        int v = g->venue >= 0 ? vclass_of(m, g->venue) : 0;
        /* the host: the smallest class, or for a join the smallest of the grade that receives */
        int lo = PP_MAX_GRADE + 1, hi = -1, host = g->classes[0], join = -1;
        for (int q = 0; q < g->nclasses; q++) {
            int l = s->classes[g->classes[q]].grade;
            lo = l < lo ? l : lo;
            hi = l > hi ? l : hi;
        }
        if (hi > lo && a->tier != PP_TIER_SCHOOL) {
            int in_lo = 0;
            for (int q = 0; q < g->nstudents; q++)
                in_lo += s->classes[s->students[g->students[q]].cls].grade == lo;
            join = in_lo == tot[lo] && tot[lo] < a->merge_threshold ? lo : hi;
            for (int q = 0; q < g->nclasses; q++)
                if (s->classes[g->classes[q]].grade != join) {
                    host = g->classes[q];
                    break;
                }
            put_value(m, sol, 1, 1, "j_%d_%d_%d", join, host, t);
        }
        for (int q = 0; q < g->nclasses; q++) {
            put_value(m, sol, 1, 1, "w_%d_%d_%d", g->classes[q], host, t);
            put_value(m, sol, 1, cnt[g->classes[q]], "q_%d_%d_%d", g->classes[q], host, t);
        }
        put_value(m, sol, 1, 1, "vc_%d_%d_%d", host, v, t);
    }
}

int pp_full_values_of_plan(const pp_full *m, const pp_plan *p, pp_full_solution *sol, pp_diags *d)
{
    const pp_school *s = m->s;
    unsigned char *used = calloc((size_t)p->ngroups + 1, 1);
    int *cnt = calloc((size_t)s->nclasses + 1, sizeof *cnt);
    int tot[PP_MAX_GRADE + 1];
    long *minutes = calloc((size_t)s->nstaff + 1, sizeof *minutes);
    if (!used || !cnt || !minutes || pp_full_solution_init(m, sol)) {
        free(used);
        free(cnt);
        free(minutes);
        pp_diags_add(d, NULL, 0, "out of memory while mapping a plan onto the full model");
        return -1;
    }
    put_value(m, sol, 1, 1, "one");
    club_values(m, p, sol, used);
    for (int dd = 0; dd < PP_DAYS; dd++)
        for (int per = 0; per < s->nperiods; per++)
            if (pp_fm_runs(s, dd, per))
                care_values(m, p, sol, dd, per, cnt, tot);
    for (int i = 0; i < p->nunserved; i++) {
        const pp_unserved *u = &p->unserved[i];
        const pp_student *st = &s->students[u->student];
        int t = u->day * m->np + u->period;
        put_value(m, sol, 0, 1, st->priority ? "up_%d_%d" : "un_%d_%d", st->cls, t);
        if (st->priority)
            put_value(m, sol, 1, 1, "vp_%d_%d", s->classes[st->cls].grade, t);
    }
    long most = 0;
    for (int i = 0; i < p->ngroups; i++) {
        const pp_group *g = &p->groups[i];
        for (int k = 0; k < g->nstaff; k++) {
            put_value(m, sol, 1, 1, "u_%d_%d_%d", g->staff[k], g->activity, g->day * m->np + g->period);
            minutes[g->staff[k]] += pp_staff_post_minutes(s, g->period);
        }
    }
    for (int k = 0; k < s->nstaff; k++)
        if (s->staff[k].type == PP_STAFF_TEACHER && minutes[k] > most)
            most = minutes[k];
    put_value(m, sol, 1, (double)most, "L");
    for (int i = 0; i < p->nduty; i++)
        for (int k = 0; k < p->duty[i].nstaff; k++)
            put_value(m, sol, 1, 1, "dl_%d_%d", p->duty[i].staff[k], p->duty[i].day);
    sol->objective = pp_full_objective(m, sol);
    free(used);
    free(cnt);
    free(minutes);
    return 0;
}

int pp_full_write_solution(const pp_full *m, const pp_full_solution *sol, const char *path, pp_diags *d)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        pp_diags_add(d, path, 0, "cannot write the solution");
        return -1;
    }
    fprintf(f, "Stopped on time - objective value %.8f\n", pp_full_objective(m, sol));
    for (int j = 1, k = 0; j <= glp_get_num_cols(m->lp); j++)
        if (sol->x[j] != 0)
            fprintf(f, "%7d %-22s %23.15g %23.15g\n", k++, glp_get_col_name(m->lp, j), sol->x[j], 0.0);
    if (fclose(f) != 0) {
        pp_diags_add(d, path, 0, "cannot write the solution (disk full?)");
        return -1;
    }
    return 0;
}
