/* fullmodel.c - the whole week as one MIP (see fullmodel.h for the columns).
 *
 * Rows, by rule of docs/RULES.md (t a slot, k/h classes, K a section, V a venue class):
 *   K1  size:  min * sum_V n[K][V] <= sum_s x[s][K] <= sum_V cap(V) n[K][V]
 *       link:  x[s][K] <= sum_V n[K][V]  (the strong form: a lone taker cannot open
 *              a fraction of a group in the relaxation)
 *   K2  per student: one section per activity, one section per slot, at most
 *       max-activities-per-student sections
 *   C1  care count: c[k][t] + (students of k at a club at t) + un + up = stayers;
 *       un + (non-priority ones at a club) <= non-priority stayers, and the same for
 *       up and the priority ones (each unserved place is weighed as whose it is)
 *   G1  a merged group: sum_k q[k][h] <= group-max for a host of at most group-max
 *       stayers n_h, else sum_k q[k][h] + (n_h - gm) w[g][h] <= n_h per guest g;
 *       q[k][h] <= min(stayers, group-max) w[k][h] for a guest k != h;  w[k][h] <= w[h][h];
 *       (n_k + n_h - gm) w[k][h] + c[k] + c[h] <= n_k + n_h for stayers n_k + n_h > gm
 *       (valid: both in one group means at least that many left care; it makes the
 *       relaxation count a group per large class instead of a fraction)
 *   G2  sum_h q[k][h] = c[k];  sum_h w[k][h] <= 1: a class's care is one group;
 *       q[h][h] <= stayers w[h][h], so a class alone is never capped by group-max
 *   V2  (care) sum_k q[k][h] <= sum_V cap(V) vc[h][V], sum_V vc[h][V] = w[h][h]
 *   G3  c[k] >= threshold forces b[k] = 1, and b[k] = 1 forbids every pair with k
 *   G4  pairs (k, h) only within a grade (any classes for tier school); the host is
 *       the pair's smaller index, so a group has one name
 *   G5  a cross-grade pair only through j[l][h]: the whole of grade l (all its care,
 *       fewer than the threshold) in h's group, one joining grade per host
 *   P1  vp[l][t] = 1 when a priority student of grade l is unserved; then no
 *       non-priority student of grade l is in care at t
 *   P2  a priority student who may take section K and got none of their choices
 *       leaves K without non-priority members: sum_{non-priority} x[.][K] <= M sum x[p][.]
 *   S1-S3  per (activity, slot): sum_st u = staff-per-group * groups; per staff
 *       member, day and set of overlapping periods: sum u <= 1 (u exists only where
 *       the member is there and may lead the activity)
 *   S4  per staff member: sessions and minutes a week
 *   V1-V3  per venue class, day and set of overlapping periods: groups <= venues
 *       (only classes of the right type, available then, holding the minimum)
 *   D1  per day: duty leaders = min(duty-leaders-per-day, staff who may)
 * Objective: pp_plan_cost term by term - unserved, choice penalties (a constant for
 * "no choice" plus a saving per x), 2 per group meeting, 1 per join, external
 * minutes, w_max_load * L with L >= each teacher's minutes. */
#include "fullmodel_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "clubs.h"
#include "model/grow.h"
#include "staff.h"

#define MAX_PATTERNS 200

/* ---------- helpers ---------------------------------------------------------------- */

int pp_fm_runs(const pp_school *s, int d, int p)
{
    return (s->day_mask & (1u << d)) && (s->periods[p].days & (1u << d));
}

int pp_fm_asks(const pp_school *s, int stu, int d, int p)
{
    const pp_student *st = &s->students[stu];
    int g = s->classes[st->cls].grade;
    return pp_fm_runs(s, d, p) && (st->stay[d] & (1u << p)) && g >= 0 && g < 32 &&
           (s->periods[p].grade_mask & (1u << g));
}

int pp_fm_care_type(const pp_full *m, int act, int h)
{
    const pp_school *s = m->s;
    if (act >= 0 && s->activities[act].venue_type >= 0)
        return s->activities[act].venue_type;
    int room = s->classes[h].room;
    return room >= 0 ? s->venues[room].type : m->home_type;
}

int pp_fm_vclass_ok(const pp_full *m, int v, int type, int d, int p)
{
    const fm_vclass *c = &m->vc[v];
    return (type < 0 || c->type == type) && (m->s->venues[c->venues[0]].avail[d] & (1u << p));
}

/* ---------- setup: venue classes, sections, edges ------------------------------------- */

static int same_avail(const pp_venue *a, const pp_venue *b)
{
    return !memcmp(a->avail, b->avail, sizeof a->avail);
}

/* Venues of one type and availability whose capacities are both at least top (the
 * largest group there can be) hold the same groups, so they are one class. */
static int build_vclasses(pp_full *m)
{
    const pp_school *s = m->s;
    int top = s->policy.group_max; /* clubs and merged care; a class alone (G2) may be larger */
    m->vc = calloc((size_t)s->nvenues + 1, sizeof *m->vc);
    int *of = malloc(((size_t)s->nvenues + 1) * sizeof *of);
    int *size = calloc((size_t)s->nclasses + 1, sizeof *size);
    if (!m->vc || !of || !size) {
        free(of);
        free(size);
        return -1;
    }
    for (int i = 0; i < s->nstudents; i++)
        if (++size[s->students[i].cls] > top)
            top = size[s->students[i].cls];
    free(size);
    for (int v = 0; v < s->nvenues; v++) {
        const pp_venue *ve = &s->venues[v];
        int cap = ve->capacity < top ? ve->capacity : top, c = 0;
        while (c < m->nvc && !(m->vc[c].type == ve->type && m->vc[c].cap == cap &&
                               same_avail(&s->venues[m->vc[c].venues[0]], ve)))
            c++;
        if (c == m->nvc) {
            m->vc[c] = (fm_vclass){ ve->type, cap, 0, malloc(((size_t)s->nvenues + 1) * sizeof(int)) };
            if (!m->vc[c].venues) {
                free(of);
                return -1;
            }
            m->nvc++;
        }
        m->vc[c].venues[m->vc[c].n++] = v;
        of[v] = c;
    }
    free(of);
    /* the type most home classrooms have: clubs without a venue type meet in one */
    int *n = calloc((size_t)s->nvenue_types + 1, sizeof *n), best = -1;
    if (!n)
        return -1;
    for (int k = 0; k < s->nclasses; k++)
        if (s->classes[k].room >= 0)
            n[s->venues[s->classes[k].room].type]++;
    for (int t = 0; t < s->nvenue_types; t++)
        if (n[t] && (best < 0 || n[t] > n[best]))
            best = t;
    m->home_type = best;
    free(n);
    return 0;
}

/* Patterns of activity a: sessions allowed slots on distinct days. */
static int patterns(const pp_full *m, const pp_activity *a, int (*pat)[PP_DAYS])
{
    const pp_school *s = m->s;
    int allowed[PP_DAYS * PP_MAX_PERIODS], na = 0, k = a->sessions, idx[PP_DAYS], n = 0;
    for (int d = 0; d < PP_DAYS; d++)
        for (int p = 0; p < m->np; p++)
            if ((a->slots[d] & (1u << p)) && pp_fm_runs(s, d, p))
                allowed[na++] = d * m->np + p;
    if (k < 1 || k > na || k > PP_DAYS)
        return 0;
    for (int i = 0; i < k; i++)
        idx[i] = i;
    while (n < MAX_PATTERNS) {
        int ok = 1;
        for (int i = 1; i < k && ok; i++)
            for (int j = 0; j < i && ok; j++)
                ok = allowed[idx[i]] / m->np != allowed[idx[j]] / m->np;
        if (ok) {
            for (int i = 0; i < k; i++)
                pat[n][i] = allowed[idx[i]];
            n++;
        }
        int i = k - 1;
        while (i >= 0 && idx[i] == na - k + i)
            i--;
        if (i < 0)
            break;
        idx[i]++;
        for (int j = i + 1; j < k; j++)
            idx[j] = idx[j - 1] + 1;
    }
    return n;
}

/* Whether venue class v can hold a group of section k at all its slots. */
static int section_vclass(const pp_full *m, const fm_section *k, int v)
{
    int cap = m->vc[v].cap < k->max ? m->vc[v].cap : k->max;
    if (cap < k->min)
        return 0;
    for (int i = 0; i < k->nslots; i++)
        if (!pp_fm_vclass_ok(m, v, k->type, k->slot[i] / m->np, k->slot[i] % m->np))
            return 0;
    return 1;
}

static int fits(const pp_full *m, int stu, const fm_section *k)
{
    const pp_school *s = m->s;
    int g = s->classes[s->students[stu].cls].grade;
    if ((k->grade >= 0 && g != k->grade) || g < 0 || g >= 32 || !(s->activities[k->act].grade_mask & (1u << g)))
        return 0;
    for (int i = 0; i < k->nslots; i++)
        if (!pp_fm_asks(s, stu, k->slot[i] / m->np, k->slot[i] % m->np))
            return 0;
    return 1;
}

/* Sections with enough takers and a venue class; edges per student in rank order. */
static int build_sections(pp_full *m)
{
    const pp_school *s = m->s;
    int cap = 0, (*pat)[PP_DAYS] = malloc(MAX_PATTERNS * sizeof *pat);
    if (!pat)
        return -1;
    for (int a = 0; a < s->nactivities; a++) {
        const pp_activity *ac = &s->activities[a];
        if (pp_activity_is_care(ac))
            continue;
        int np = patterns(m, ac, pat);
        int single = ac->tier == PP_TIER_SCHOOL;
        for (int q = 0; q < np; q++)
            for (int gi = 0; gi < (single ? 1 : s->ngrades); gi++) {
                fm_section k = { .act = a, .grade = single ? -1 : s->grades[gi].level, .nslots = ac->sessions };
                if (!single && (k.grade >= 32 || !(ac->grade_mask & (1u << k.grade))))
                    continue;
                memcpy(k.slot, pat[q], sizeof k.slot);
                k.min = ac->min_size > 0 ? ac->min_size : 1;
                k.max = ac->max_size < s->policy.group_max ? ac->max_size : s->policy.group_max;
                k.type = ac->venue_type >= 0 ? ac->venue_type : m->home_type;
                int nt = 0, any = 0;
                for (int v = 0; v < m->nvc && !any; v++)
                    any = section_vclass(m, &k, v);
                for (int i = 0; i < s->nstudents && any && k.max >= k.min; i++)
                    for (int r = 0; r < s->students[i].nchoices; r++)
                        nt += s->students[i].choices[r] == a && fits(m, i, &k);
                if (!any || k.max < k.min || nt < k.min)
                    continue;
                if (pp_grow((void **)&m->sec, &cap, m->nsec + 1, sizeof *m->sec)) {
                    free(pat);
                    return -1;
                }
                m->sec[m->nsec++] = k;
            }
    }
    free(pat);
    int *first = malloc(((size_t)s->nactivities + 2) * sizeof *first), cape = 0;
    if (!first)
        return -1;
    for (int a = 0, k = 0; a <= s->nactivities; a++) {
        while (k < m->nsec && m->sec[k].act < a)
            k++;
        first[a] = k;
    }
    for (int i = 0; i < s->nstudents; i++)
        for (int r = 0; r < s->students[i].nchoices; r++) {
            int a = s->students[i].choices[r];
            for (int k = first[a]; k < first[a + 1]; k++) {
                if (!fits(m, i, &m->sec[k]))
                    continue;
                if (pp_grow((void **)&m->edge, &cape, m->nedge + 1, sizeof *m->edge)) {
                    free(first);
                    return -1;
                }
                m->edge[m->nedge++] = (fm_edge){ i, k, r };
            }
        }
    free(first);
    return 0;
}

/* Maximal sets of pairwise overlapping periods among mask (Bron-Kerbosch). */
static void cliques(const pp_school *s, uint32_t r, uint32_t p, uint32_t x, uint32_t *out, int *n)
{
    if (!p && !x) {
        if (*n < 4 * PP_MAX_PERIODS)
            out[(*n)++] = r;
        return;
    }
    for (int v = 0; v < 32 && p; v++) {
        if (!(p & (1u << v)))
            continue;
        uint32_t nb = 0;
        for (int q = 0; q < s->nperiods; q++)
            if (q != v && pp_periods_overlap(s, v, q))
                nb |= 1u << q;
        cliques(s, r | (1u << v), p & nb, x & nb, out, n);
        p &= ~(1u << v);
        x |= 1u << v;
    }
}

static int day_cliques(const pp_full *m, int d, uint32_t *out)
{
    uint32_t run = 0;
    for (int p = 0; p < m->np; p++)
        if (pp_fm_runs(m->s, d, p))
            run |= 1u << p;
    int n = 0;
    cliques(m->s, 0, run, 0, out, &n);
    return n;
}

/* ---------- clubs and courses ------------------------------------------------------ */

static double rank_saving(const pp_school *s, int stu, int rank, int *granted)
{
    int n = s->students[stu].nchoices;
    memset(granted, 0, (size_t)(n + 1) * sizeof *granted);
    double none = pp_choice_penalty(s, stu, granted);
    granted[rank] = 1;
    return pp_choice_penalty(s, stu, granted) - none;
}

static void build_clubs(bld *b)
{
    pp_full *m = b->m;
    const pp_school *s = b->s;
    int maxc = 1;
    for (int i = 0; i < s->nstudents; i++)
        maxc = s->students[i].nchoices > maxc ? s->students[i].nchoices : maxc;
    int *granted = calloc((size_t)maxc + 1, sizeof *granted);
    int *xcol = malloc(((size_t)m->nedge + 1) * sizeof *xcol);
    int *ncol = calloc((size_t)m->nsec * (size_t)m->nvc + 1, sizeof *ncol);
    if (!granted || !xcol || !ncol) {
        b->oom = 1;
        goto out;
    }
    for (int i = 0; i < s->nstudents; i++) {
        memset(granted, 0, (size_t)(maxc + 1) * sizeof *granted);
        m->constant += pp_choice_penalty(s, i, granted);
    }
    for (int e = 0; e < m->nedge; e++) {
        const fm_edge *ed = &m->edge[e];
        xcol[e] = pp_fm_col(b, FV_X, e, 0, 0, GLP_BV, 0, 1, rank_saving(s, ed->stu, ed->rank, granted), "x_%d_%d", ed->stu,
                      ed->sec);
        const fm_section *k = &m->sec[ed->sec];
        int cls = s->students[ed->stu].cls;
        for (int i = 0; i < k->nslots; i++) {
            pp_fm_bag_add(b, &b->club_at, k->slot[i] * b->nc + cls, xcol[e], 1);
            if (!s->students[ed->stu].priority)
                pp_fm_bag_add(b, &b->club_np, k->slot[i] * b->nc + cls, xcol[e], 1);
        }
    }
    for (int k = 0; k < m->nsec; k++) {
        const fm_section *sec = &m->sec[k];
        const pp_activity *a = &s->activities[sec->act];
        for (int v = 0; v < m->nvc; v++) {
            if (!section_vclass(m, sec, v))
                continue;
            int j = ncol[k * m->nvc + v] = pp_fm_col(b, FV_N, k, v, 0, GLP_IV, 0, m->vc[v].n,
                                              s->policy.w_group * sec->nslots, "n_%d_%d", k, v);
            for (int i = 0; i < sec->nslots; i++) {
                pp_fm_bag_add(b, &b->need, sec->slot[i] * b->na + sec->act, j, -a->staff_per_group);
                pp_fm_bag_add(b, &b->vuse, sec->slot[i] * m->nvc + v, j, 1);
            }
        }
    }
    /* K1: sizes and the link of each taker to the section's groups */
    int e0 = 0;
    for (int k = 0; k < m->nsec; k++) {
        const fm_section *sec = &m->sec[k];
        for (int e = 0; e < m->nedge; e++)
            if (m->edge[e].sec == k)
                pp_fm_add(b, xcol[e], 1);
        for (int v = 0; v < m->nvc; v++)
            pp_fm_add(b, ncol[k * m->nvc + v], -sec->min);
        pp_fm_row(b, GLP_LO, 0, 0, "kmin_%d", k);
        for (int e = 0; e < m->nedge; e++)
            if (m->edge[e].sec == k)
                pp_fm_add(b, xcol[e], 1);
        for (int v = 0; v < m->nvc; v++)
            pp_fm_add(b, ncol[k * m->nvc + v], -(m->vc[v].cap < sec->max ? m->vc[v].cap : sec->max));
        pp_fm_row(b, GLP_UP, 0, 0, "kmax_%d", k);
    }
    for (int e = 0; e < m->nedge; e++) {
        pp_fm_add(b, xcol[e], 1);
        for (int v = 0; v < m->nvc; v++)
            pp_fm_add(b, ncol[m->edge[e].sec * m->nvc + v], -1);
        pp_fm_row(b, GLP_UP, 0, 0, "link_%d", e);
    }
    /* K2 and C1 for clubs: per student, per activity / per slot / per week */
    for (int i = 0; i < s->nstudents; i++) {
        int e1 = e0;
        while (e1 < m->nedge && m->edge[e1].stu == i)
            e1++;
        for (int e = e0; e < e1; e++) {
            int n = 0, a = m->sec[m->edge[e].sec].act, first = 1;
            for (int f = e0; f < e; f++)
                first &= m->sec[m->edge[f].sec].act != a;
            for (int f = e; f < e1 && first; f++)
                if (m->sec[m->edge[f].sec].act == a) {
                    pp_fm_add(b, xcol[f], 1);
                    n++;
                }
            if (n > 1)
                pp_fm_row(b, GLP_UP, 0, 1, "kact_%d_%d", i, a);
            b->nr = 0;
        }
        for (int t = 0; t < m->nt; t++) {
            int n = 0;
            for (int e = e0; e < e1; e++) {
                const fm_section *k = &m->sec[m->edge[e].sec];
                for (int q = 0; q < k->nslots; q++)
                    if (k->slot[q] == t) {
                        pp_fm_add(b, xcol[e], 1);
                        n++;
                    }
            }
            if (n > 1)
                pp_fm_row(b, GLP_UP, 0, 1, "kslot_%d_%d", i, t);
            b->nr = 0;
        }
        int distinct = 0;
        for (int e = e0; e < e1; e++) {
            int first = 1;
            for (int f = e0; f < e; f++)
                first &= m->sec[m->edge[f].sec].act != m->sec[m->edge[e].sec].act;
            distinct += first;
            pp_fm_add(b, xcol[e], 1);
        }
        if (distinct > s->policy.max_activities_per_student)
            pp_fm_row(b, GLP_UP, 0, s->policy.max_activities_per_student, "kweek_%d", i);
        b->nr = 0;
        /* P2: a priority student left with none of their choices keeps non-priority
         * students out of every section they may take */
        if (s->students[i].priority && s->policy.max_activities_per_student > 0)
            for (int e = e0; e < e1; e++) {
                int k = m->edge[e].sec, big = 0;
                for (int f = 0; f < m->nedge; f++)
                    if (m->edge[f].sec == k && !s->students[m->edge[f].stu].priority) {
                        pp_fm_add(b, xcol[f], 1);
                        big++;
                    }
                for (int f = e0; f < e1 && big; f++)
                    pp_fm_add(b, xcol[f], -big);
                if (big)
                    pp_fm_row(b, GLP_UP, 0, 0, "prio2_%d_%d", i, k);
                b->nr = 0;
            }
        e0 = e1;
    }
out:
    free(granted);
    free(xcol);
    free(ncol);
}

/* ---------- staff, venues, duty ------------------------------------------------------- */

static int may_lead(const pp_staff *st, const pp_activity *a)
{
    return a->speciality >= 0 ? pp_staff_has_spec(st, a->speciality) : st->type != PP_STAFF_EXTERNAL;
}

static void build_staff(bld *b)
{
    pp_full *m = b->m;
    const pp_school *s = b->s;
    const pp_policy *pol = &s->policy;
    /* u for every (activity, slot) that has groups, and its row */
    for (int key = 0; key < m->nt * b->na && !b->oom; key++) {
        int from, to, t = key / b->na, a = key % b->na, d = t / m->np, p = t % m->np;
        pp_fm_bag_range(&b->need, key, &from, &to);
        if (from == to)
            continue;
        int min = pp_staff_post_minutes(s, p);
        for (int e = from; e < to; e++)
            pp_fm_add(b, b->need.t[e].col, b->need.t[e].coef);
        for (int st = 0; st < s->nstaff; st++) {
            const pp_staff *w = &s->staff[st];
            if (!(w->avail[d] & (1u << p)) || !may_lead(w, &s->activities[a]))
                continue;
            double cost = w->type == PP_STAFF_EXTERNAL ? pol->w_external_hour * min / 60.0 : 0;
            int j = pp_fm_col(b, FV_U, st, a, t, GLP_BV, 0, 1, cost, "u_%d_%d_%d", st, a, t);
            pp_fm_add(b, j, 1);
            pp_fm_bag_add(b, &b->uslot, st * m->nt + t, j, min);
        }
        pp_fm_row(b, GLP_FX, 0, 0, "staff_%d_%d", a, t);
    }
    int L = 0;
    for (int st = 0; st < s->nstaff && !L; st++)
        if (s->staff[st].type == PP_STAFF_TEACHER && pol->w_max_load != 0)
            L = pp_fm_col(b, FV_L, 0, 0, 0, GLP_CV, 0, INFINITY, pol->w_max_load, "L");
    uint32_t cl[4 * PP_MAX_PERIODS];
    for (int st = 0; st < s->nstaff && !b->oom; st++) {
        const pp_staff *w = &s->staff[st];
        int n = 0, from, to;
        double minutes = 0;
        for (int d = 0; d < PP_DAYS; d++) {
            int ncl = day_cliques(m, d, cl);
            for (int c = 0; c < ncl; c++) {
                int terms = 0;
                for (int p = 0; p < m->np; p++)
                    if (cl[c] & (1u << p)) {
                        pp_fm_bag_range(&b->uslot, st * m->nt + d * m->np + p, &from, &to);
                        for (int e = from; e < to; e++, terms++)
                            pp_fm_add(b, b->uslot.t[e].col, 1);
                    }
                if (terms > 1)
                    pp_fm_row(b, GLP_UP, 0, 1, "once_%d_%d_%d", st, d, c);
                b->nr = 0;
            }
        }
        for (int t = 0; t < m->nt; t++) {
            pp_fm_bag_range(&b->uslot, st * m->nt + t, &from, &to);
            for (int e = from; e < to; e++, n++) {
                pp_fm_add(b, b->uslot.t[e].col, 1);
                minutes += b->uslot.t[e].coef;
            }
        }
        if (n > w->max_sessions)
            pp_fm_row(b, GLP_UP, 0, w->max_sessions, "sess_%d", st);
        b->nr = 0;
        for (int t = 0; t < m->nt; t++) {
            pp_fm_bag_range(&b->uslot, st * m->nt + t, &from, &to);
            for (int e = from; e < to; e++)
                pp_fm_add(b, b->uslot.t[e].col, b->uslot.t[e].coef);
        }
        if (minutes > w->max_minutes)
            pp_fm_row(b, GLP_UP, 0, w->max_minutes, "mins_%d", st);
        b->nr = 0;
        if (L && w->type == PP_STAFF_TEACHER && n) {
            for (int t = 0; t < m->nt; t++) {
                pp_fm_bag_range(&b->uslot, st * m->nt + t, &from, &to);
                for (int e = from; e < to; e++)
                    pp_fm_add(b, b->uslot.t[e].col, b->uslot.t[e].coef);
            }
            pp_fm_add(b, L, -1);
            pp_fm_row(b, GLP_UP, 0, 0, "load_%d", st);
        }
    }
}

static void build_venues(bld *b)
{
    pp_full *m = b->m;
    uint32_t cl[4 * PP_MAX_PERIODS];
    for (int d = 0; d < PP_DAYS; d++) {
        int ncl = day_cliques(m, d, cl);
        for (int v = 0; v < m->nvc; v++)
            for (int c = 0; c < ncl; c++) {
                int from, to;
                double most = 0;
                for (int p = 0; p < m->np; p++)
                    if (cl[c] & (1u << p)) {
                        pp_fm_bag_range(&b->vuse, (d * m->np + p) * m->nvc + v, &from, &to);
                        for (int e = from; e < to; e++) {
                            pp_fm_add(b, b->vuse.t[e].col, 1);
                            most += glp_get_col_ub(m->lp, b->vuse.t[e].col);
                        }
                    }
                if (most > m->vc[v].n)
                    pp_fm_row(b, GLP_UP, 0, m->vc[v].n, "venue_%d_%d_%d", v, d, c);
                b->nr = 0;
            }
    }
}

static void build_duty(bld *b)
{
    pp_full *m = b->m;
    const pp_school *s = b->s;
    for (int d = 0; d < PP_DAYS; d++) {
        uint32_t run = 0;
        for (int p = 0; p < m->np; p++)
            if (pp_fm_runs(s, d, p))
                run |= 1u << p;
        if (!run)
            continue;
        int n = 0;
        for (int st = 0; st < s->nstaff; st++)
            if (s->staff[st].duty_leader && (s->staff[st].avail[d] & run)) {
                pp_fm_add(b, pp_fm_col(b, FV_DL, st, d, 0, GLP_BV, 0, 1, 0, "dl_%d_%d", st, d), 1);
                n++;
            }
        int want = s->policy.duty_leaders_per_day < n ? s->policy.duty_leaders_per_day : n;
        if (n)
            pp_fm_row(b, GLP_FX, want, want, "duty_%d", d);
    }
}

/* ---------- the program ------------------------------------------------------------ */

static int count_stayers(bld *b)
{
    pp_full *m = b->m;
    const pp_school *s = b->s;
    b->cnt = calloc((size_t)m->nt * (size_t)b->nc + 1, sizeof *b->cnt);
    b->cntp = calloc((size_t)m->nt * (size_t)b->nc + 1, sizeof *b->cntp);
    if (!b->cnt || !b->cntp)
        return -1;
    for (int i = 0; i < s->nstudents; i++)
        for (int t = 0; t < m->nt; t++)
            if (pp_fm_asks(s, i, t / m->np, t % m->np)) {
                b->cnt[t * b->nc + s->students[i].cls]++;
                b->cntp[t * b->nc + s->students[i].cls] += s->students[i].priority != 0;
            }
    return 0;
}

int pp_full_build(const pp_school *s, pp_full **out, pp_diags *d)
{
    *out = NULL;
    pp_full *m = calloc(1, sizeof *m);
    bld b = { .m = m, .s = s, .nc = s->nclasses, .na = s->nactivities };
    if (!m)
        goto oom;
    m->s = s;
    m->np = s->nperiods;
    m->nt = PP_DAYS * s->nperiods;
    m->lp = glp_create_prob();
    glp_set_prob_name(m->lp, s->id);
    glp_set_obj_dir(m->lp, GLP_MIN);
    glp_set_obj_name(m->lp, "cost");
    if (build_vclasses(m) || build_sections(m) || count_stayers(&b))
        goto oom;
    int one = pp_fm_col(&b, FV_ONE, 0, 0, 0, GLP_CV, 1, 1, 0, "one");
    build_clubs(&b);
    pp_fm_build_care(&b);
    build_staff(&b);
    build_venues(&b);
    build_duty(&b);
    if (b.oom)
        goto oom;
    glp_set_obj_coef(m->lp, one, m->constant);
    glp_create_index(m->lp);
    *out = m;
    m = NULL;
oom:
    if (m || b.oom)
        pp_diags_add(d, NULL, 0, "out of memory while building the full model");
    free(b.ind);
    free(b.val);
    free(b.cnt);
    free(b.cntp);
    free(b.club_at.t);
    free(b.club_np.t);
    free(b.need.t);
    free(b.uslot.t);
    free(b.vuse.t);
    pp_full_free(m);
    return *out ? 0 : -1;
}

void pp_full_free(pp_full *m)
{
    if (!m)
        return;
    if (m->lp)
        glp_delete_prob(m->lp);
    for (int v = 0; v < m->nvc; v++)
        free(m->vc[v].venues);
    free(m->vc);
    free(m->sec);
    free(m->edge);
    free(m->col);
    free(m);
}

void pp_full_size(const pp_full *m, int *rows, int *cols, int *int_cols)
{
    *rows = glp_get_num_rows(m->lp);
    *cols = glp_get_num_cols(m->lp);
    *int_cols = m->nint;
}

const char *pp_full_col_name(const pp_full *m, int j)
{
    return glp_get_col_name(m->lp, j);
}

int pp_full_write_lp(const pp_full *m, const char *path, pp_diags *d)
{
    glp_term_out(GLP_OFF); /* library code prints nothing */
    int rc = glp_write_lp(m->lp, NULL, path);
    glp_term_out(GLP_ON);
    if (rc) {
        pp_diags_add(d, path, 0, "cannot write the full model (CPLEX LP)");
        return -1;
    }
    return 0;
}
