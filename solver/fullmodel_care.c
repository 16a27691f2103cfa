/* fullmodel_care.c - the care rows of the full model, slot by slot: care counts,
 * unserved students, hosts and pairs (G1-G4), joins of small grades (G5) and
 * priority first (P1).  A class's care is always one group (G2), however large;
 * only a group that merges classes is held to group-max (G1).  The rows are
 * listed in the header comment of fullmodel.c. */
#include "fullmodel_int.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    int t, d, p, act, nk;
    int *k;              /* classes asking, ascending */
    int *w, *q;          /* [i * nk + j]: columns of pair (class k[i], host k[j]); 0 none */
    int *c, *bb, *un, *up; /* per class i; 0 none */
    int nj, *jl, *jcol; /* join columns of the slot and their grades */
} slot_care;

static int grade_of(const pp_school *s, int k) { return s->classes[k].grade; }

static int pair_ok(const pp_school *s, const pp_activity *a, int k, int h)
{
    if (a->tier == PP_TIER_SCHOOL)
        return h <= k;
    return grade_of(s, k) == grade_of(s, h) && h <= k;
}

static int adjacent(const pp_school *s, const pp_activity *a, int k, int h)
{
    int d = grade_of(s, k) - grade_of(s, h);
    return a->tier != PP_TIER_SCHOOL && s->policy.adjacent_grade_merge && (d == 1 || d == -1);
}

/* Unserved students are counted apart by priority: the non-priority ones left
 * unserved and at clubs are at most the class's non-priority stayers (and the same
 * for priority), so the program cannot call a priority student's place a cheaper
 * non-priority one. */
static void priority_counts(bld *b, int un, int up, int k, int t)
{
    int n = b->cnt[t * b->nc + k], np = b->cntp[t * b->nc + k], from, to, nf, nt;
    pp_fm_bag_range(&b->club_np, t * b->nc + k, &nf, &nt);
    pp_fm_add(b, un, 1);
    for (int e = nf; e < nt; e++)
        pp_fm_add(b, b->club_np.t[e].col, 1);
    pp_fm_row(b, GLP_UP, 0, n - np, "cnn_%d_%d", k, t);
    pp_fm_bag_range(&b->club_at, t * b->nc + k, &from, &to);
    pp_fm_add(b, up, 1);
    for (int e = from; e < to; e++)
        pp_fm_add(b, b->club_at.t[e].col, 1);
    for (int e = nf; e < nt; e++)
        pp_fm_add(b, b->club_np.t[e].col, -1);
    pp_fm_row(b, GLP_UP, 0, np, "cnp_%d_%d", k, t);
}

/* Care counts, unserved and thresholds of each class at the slot. */
static void build_care_counts(bld *b, slot_care *sc)
{
    const pp_school *s = b->s;
    const pp_activity *a = &s->activities[sc->act];
    int t = sc->t, gm = s->policy.group_max, thr = a->merge_threshold;
    const pp_policy *pol = &s->policy;
    for (int i = 0; i < sc->nk; i++) {
        int k = sc->k[i], n = b->cnt[t * b->nc + k], np = b->cntp[t * b->nc + k], from, to;
        sc->c[i] = pp_fm_col(b, FV_C, k, 0, t, GLP_CV, 0, n, 0, "c_%d_%d", k, t);
        sc->un[i] = n > np ? pp_fm_col(b, FV_UN, k, 0, t, GLP_IV, 0, n - np, pol->w_unserved, "un_%d_%d", k, t) : 0;
        sc->up[i] = np ? pp_fm_col(b, FV_UP, k, 0, t, GLP_IV, 0, np, pol->w_unserved_priority, "up_%d_%d", k, t) : 0;
        pp_fm_bag_range(&b->club_at, t * b->nc + k, &from, &to);
        pp_fm_add(b, sc->c[i], 1);
        pp_fm_add(b, sc->un[i], 1);
        pp_fm_add(b, sc->up[i], 1);
        for (int e = from; e < to; e++)
            pp_fm_add(b, b->club_at.t[e].col, 1);
        pp_fm_row(b, GLP_FX, n, n, "cnt_%d_%d", k, t);
        priority_counts(b, sc->un[i], sc->up[i], k, t);
        /* G3: at the threshold, alone.  A threshold above group-max needs no column:
         * a care count that high already exceeds what a merged group may hold (G1). */
        if (n >= thr && thr <= gm) {
            sc->bb[i] = pp_fm_col(b, FV_B, k, 0, t, GLP_BV, 0, 1, 0, "b_%d_%d", k, t);
            pp_fm_add(b, sc->c[i], 1), pp_fm_add(b, sc->bb[i], -(n - thr + 1)), pp_fm_row(b, GLP_UP, 0, thr - 1, "thr_%d_%d", k, t);
        }
    }
}

/* The most students of class k[i] that host k[j]'s group may take: all of them in
 * its own group, however many (G2), at most group-max as a guest (G1). */
static int q_bound(const bld *b, const slot_care *sc, int i, int j)
{
    int n = b->cnt[sc->t * b->nc + sc->k[i]], gm = b->s->policy.group_max;
    return i == j || n < gm ? n : gm;
}

/* G1: host k[j]'s group holds at most group-max students once it merges a class.
 * A host of at most group-max stayers: one row on the group.  A larger host, whose
 * group alone may exceed group-max (G2): one row per possible guest g,
 * sum_i q[i][h] + (n_h - gm) w[g][h] <= n_h.  Where no venue class the group may
 * use holds more than group-max, the venue row gcap already says all this. */
static void build_merge_cap(bld *b, slot_care *sc, int j)
{
    const pp_full *m = b->m;
    int nk = sc->nk, t = sc->t, h = sc->k[j], nh = b->cnt[t * b->nc + h], gm = b->s->policy.group_max, most = 0;
    int type = pp_fm_care_type(m, sc->act, h), big = 0;
    for (int v = 0; v < m->nvc && !big; v++)
        big = m->vc[v].cap > gm && pp_fm_vclass_ok(m, v, type, sc->d, sc->p);
    if (!big)
        return;
    for (int i = 0; i < nk; i++)
        if (sc->q[i * nk + j])
            most += q_bound(b, sc, i, j);
    if (most <= gm || most == nh) /* never above group-max, or nobody can join it */
        return;
    if (nh <= gm) {
        for (int i = 0; i < nk; i++)
            pp_fm_add(b, sc->q[i * nk + j], 1);
        pp_fm_row(b, GLP_UP, 0, gm, "g1_%d_%d", h, t);
        return;
    }
    for (int g = 0; g < nk; g++) {
        if (g == j || !sc->w[g * nk + j])
            continue;
        for (int i = 0; i < nk; i++)
            pp_fm_add(b, sc->q[i * nk + j], 1);
        pp_fm_add(b, sc->w[g * nk + j], nh - gm);
        pp_fm_row(b, GLP_UP, 0, nh, "g1_%d_%d_%d", sc->k[g], h, t);
    }
}

/* Hosts and pairs: G1, G2 (one group per class), G3, G4, the venue of each group. */
static void build_care_groups(bld *b, slot_care *sc)
{
    pp_full *m = b->m;
    const pp_school *s = b->s;
    const pp_activity *a = &s->activities[sc->act];
    int nk = sc->nk, t = sc->t, gm = s->policy.group_max, spg = a->staff_per_group;
    for (int j = 0; j < nk; j++) {
        int h = sc->k[j];
        for (int i = 0; i < nk; i++) {
            int k = sc->k[i];
            if (!pair_ok(s, a, k, h) && !adjacent(s, a, k, h))
                continue;
            sc->w[i * nk + j] = pp_fm_col(b, FV_W, k, h, t, GLP_BV, 0, 1, k == h ? s->policy.w_group : 0, "w_%d_%d_%d", k, h, t);
            sc->q[i * nk + j] = pp_fm_col(b, FV_Q, k, h, t, GLP_CV, 0, q_bound(b, sc, i, j), 0, "q_%d_%d_%d", k, h, t);
        }
        build_merge_cap(b, sc, j);
        int hh = sc->w[j * nk + j];
        pp_fm_bag_add(b, &b->need, t * b->na + sc->act, hh, -spg);
        int type = pp_fm_care_type(m, sc->act, h), first = m->ncol + 1, nv = 0;
        for (int v = 0; v < m->nvc; v++)
            if (pp_fm_vclass_ok(m, v, type, sc->d, sc->p)) {
                int c = pp_fm_col(b, FV_VC, h, v, t, GLP_BV, 0, 1, 0, "vc_%d_%d_%d", h, v, t);
                pp_fm_bag_add(b, &b->vuse, t * m->nvc + v, c, 1);
                nv++;
            }
        for (int i = 0; i < nk; i++)
            pp_fm_add(b, sc->q[i * nk + j], 1);
        for (int c = first; c < first + nv; c++)
            pp_fm_add(b, c, -m->vc[m->col[c].b].cap);
        pp_fm_row(b, GLP_UP, 0, 0, "gcap_%d_%d", h, t);
        for (int c = first; c < first + nv; c++)
            pp_fm_add(b, c, 1);
        pp_fm_add(b, hh, -1);
        pp_fm_row(b, GLP_FX, 0, 0, "gven_%d_%d", h, t);
    }
    for (int i = 0; i < nk; i++) {
        int k = sc->k[i], n = b->cnt[t * b->nc + k];
        for (int j = 0; j < nk; j++)
            pp_fm_add(b, sc->q[i * nk + j], 1);
        pp_fm_add(b, sc->c[i], -1);
        pp_fm_row(b, GLP_FX, 0, 0, "cq_%d_%d", k, t);
        for (int j = 0; j < nk; j++)
            pp_fm_add(b, sc->w[i * nk + j], 1);
        pp_fm_row(b, GLP_UP, 0, 1, "one_%d_%d", k, t);
        for (int j = 0; j < nk; j++) {
            int w = sc->w[i * nk + j], h = sc->k[j];
            if (!w)
                continue;
            pp_fm_add(b, sc->q[i * nk + j], 1), pp_fm_add(b, w, -q_bound(b, sc, i, j)), pp_fm_row(b, GLP_UP, 0, 0, "qw_%d_%d_%d", k, h, t);
            if (i == j)
                continue;
            pp_fm_add(b, w, 1), pp_fm_add(b, sc->w[j * nk + j], -1), pp_fm_row(b, GLP_UP, 0, 0, "wh_%d_%d_%d", k, h, t);
            int nh = b->cnt[t * b->nc + h];
            if (n + nh > gm) { /* together too many: they share a group only when enough leave care */
                pp_fm_add(b, w, n + nh - gm), pp_fm_add(b, sc->c[i], 1), pp_fm_add(b, sc->c[j], 1);
                pp_fm_row(b, GLP_UP, 0, n + nh, "pair_%d_%d_%d", k, h, t);
            }
            if (sc->bb[i])
                pp_fm_add(b, w, 1), pp_fm_add(b, sc->bb[i], 1), pp_fm_row(b, GLP_UP, 0, 1, "g3a_%d_%d_%d", k, h, t);
            if (sc->bb[j])
                pp_fm_add(b, w, 1), pp_fm_add(b, sc->bb[j], 1), pp_fm_row(b, GLP_UP, 0, 1, "g3b_%d_%d_%d", k, h, t);
        }
    }
}

/* G5: the whole of a small grade l joins host h of an adjacent grade. */
static void build_joins(bld *b, slot_care *sc)
{
    const pp_school *s = b->s;
    const pp_activity *a = &s->activities[sc->act];
    int nk = sc->nk, t = sc->t, thr = a->merge_threshold;
    sc->nj = 0;
    if (a->tier == PP_TIER_SCHOOL || !s->policy.adjacent_grade_merge)
        return;
    for (int j = 0; j < nk; j++) {
        int h = sc->k[j], gh = grade_of(s, h), mine[2], nj = 0;
        for (int l = gh - 1; l <= gh + 1; l += 2) {
            int total = 0, any = 0;
            for (int i = 0; i < nk; i++)
                if (grade_of(s, sc->k[i]) == l) {
                    total += b->cnt[t * b->nc + sc->k[i]];
                    any = 1;
                }
            if (!any)
                continue;
            int jc = pp_fm_col(b, FV_J, l, h, t, GLP_BV, 0, 1, s->policy.w_cross_grade, "j_%d_%d_%d", l, h, t);
            mine[nj++] = jc;
            sc->jcol[sc->nj] = jc;
            sc->jl[sc->nj++] = l;
            for (int i = 0; i < nk; i++) {
                int k = sc->k[i], n = b->cnt[t * b->nc + k];
                if (grade_of(s, k) != l)
                    continue;
                pp_fm_add(b, sc->w[i * nk + j], 1), pp_fm_add(b, jc, -1), pp_fm_row(b, GLP_UP, 0, 0, "jw_%d_%d_%d", k, h, t);
                /* q >= c - n (1 - j): all of the class in h's group */
                pp_fm_add(b, sc->q[i * nk + j], 1), pp_fm_add(b, sc->c[i], -1), pp_fm_add(b, jc, -n);
                pp_fm_row(b, GLP_LO, -n, 0, "jq_%d_%d_%d", k, h, t);
            }
            if (total >= thr) { /* the grade's care count below the threshold */
                int big = total - thr + 1;
                for (int i = 0; i < nk; i++)
                    if (grade_of(s, sc->k[i]) == l)
                        pp_fm_add(b, sc->c[i], 1);
                pp_fm_add(b, jc, big);
                pp_fm_row(b, GLP_UP, 0, thr - 1 + big, "jt_%d_%d_%d", l, h, t);
            }
        }
        if (!nj)
            continue;
        /* one joining grade per host: the group spans at most two grades */
        for (int q = 0; q < nj; q++)
            pp_fm_add(b, mine[q], 1);
        pp_fm_add(b, sc->w[j * nk + j], -1);
        pp_fm_row(b, GLP_UP, 0, 0, "jh_%d_%d", h, t);
    }
    for (int l = 0; l <= PP_MAX_GRADE; l++) { /* a grade joins at most one host */
        int n = 0;
        for (int q = 0; q < sc->nj; q++)
            if (sc->jl[q] == l) {
                pp_fm_add(b, sc->jcol[q], 1);
                n++;
            }
        if (n > 1)
            pp_fm_row(b, GLP_UP, 0, 1, "jg_%d_%d", l, t);
        b->nr = 0;
    }
}

/* P1: a priority student of grade l unserved only when no non-priority student
 * of grade l is in care. */
static void build_priority(bld *b, slot_care *sc)
{
    const pp_school *s = b->s;
    int t = sc->t;
    for (int l = 0; l <= PP_MAX_GRADE; l++) {
        int sp = 0, sn = 0;
        for (int i = 0; i < sc->nk; i++)
            if (grade_of(s, sc->k[i]) == l) {
                sp += b->cntp[t * b->nc + sc->k[i]];
                sn += b->cnt[t * b->nc + sc->k[i]] - b->cntp[t * b->nc + sc->k[i]];
            }
        if (!sp || !sn)
            continue;
        int vp = pp_fm_col(b, FV_VP, l, 0, t, GLP_BV, 0, 1, 0, "vp_%d_%d", l, t);
        for (int i = 0; i < sc->nk; i++)
            if (grade_of(s, sc->k[i]) == l && sc->up[i])
                pp_fm_add(b, sc->up[i], 1), pp_fm_add(b, vp, -b->cntp[t * b->nc + sc->k[i]]),
                    pp_fm_row(b, GLP_UP, 0, 0, "p1u_%d_%d", sc->k[i], t);
        pp_fm_add(b, vp, sn);
        for (int i = 0; i < sc->nk; i++) {
            if (grade_of(s, sc->k[i]) != l)
                continue;
            int from, to;
            pp_fm_add(b, sc->un[i], -1);
            pp_fm_bag_range(&b->club_np, t * b->nc + sc->k[i], &from, &to);
            for (int e = from; e < to; e++)
                pp_fm_add(b, b->club_np.t[e].col, -1);
        }
        pp_fm_row(b, GLP_UP, 0, 0, "p1_%d_%d", l, t);
    }
}

/* Students of a slot without a care activity are at a club or unserved. */
static void build_no_care(bld *b, int t)
{
    const pp_school *s = b->s;
    for (int k = 0; k < s->nclasses; k++) {
        int n = b->cnt[t * b->nc + k], np = b->cntp[t * b->nc + k], from, to;
        if (!n)
            continue;
        int un = n > np ? pp_fm_col(b, FV_UN, k, 0, t, GLP_IV, 0, n - np, s->policy.w_unserved, "un_%d_%d", k, t) : 0;
        int up = np ? pp_fm_col(b, FV_UP, k, 0, t, GLP_IV, 0, np, s->policy.w_unserved_priority, "up_%d_%d", k, t) : 0;
        pp_fm_add(b, un, 1);
        pp_fm_add(b, up, 1);
        pp_fm_bag_range(&b->club_at, t * b->nc + k, &from, &to);
        for (int e = from; e < to; e++)
            pp_fm_add(b, b->club_at.t[e].col, 1);
        pp_fm_row(b, GLP_FX, n, n, "cnt_%d_%d", k, t);
        priority_counts(b, un, up, k, t);
    }
}

void pp_fm_build_care(bld *b)
{
    pp_full *m = b->m;
    const pp_school *s = b->s;
    int nc = s->nclasses, per = 4;
    slot_care sc = { 0 };
    sc.k = malloc(((size_t)nc + 1) * sizeof *sc.k);
    sc.w = malloc(((size_t)nc * nc + 1) * sizeof *sc.w);
    sc.q = malloc(((size_t)nc * nc + 1) * sizeof *sc.q);
    sc.jcol = malloc(((size_t)nc * 2 + 1) * sizeof *sc.jcol);
    sc.jl = malloc(((size_t)nc * 2 + 1) * sizeof *sc.jl);
    int *blk = malloc(((size_t)nc + 1) * (size_t)per * sizeof *blk);
    if (!sc.k || !sc.w || !sc.q || !sc.jcol || !sc.jl || !blk) {
        b->oom = 1;
        goto out;
    }
    int **arr[] = { &sc.c, &sc.bb, &sc.un, &sc.up };
    for (int i = 0; i < per; i++)
        *arr[i] = blk + (size_t)i * (nc + 1);
    for (int t = 0; t < m->nt && !b->oom; t++) {
        int d = t / m->np, p = t % m->np;
        if (!pp_fm_runs(s, d, p))
            continue;
        if (s->periods[p].care < 0) {
            build_no_care(b, t);
            continue;
        }
        sc.t = t;
        sc.d = d;
        sc.p = p;
        sc.act = s->periods[p].care;
        sc.nk = 0;
        for (int k = 0; k < nc; k++)
            if (b->cnt[t * nc + k])
                sc.k[sc.nk++] = k;
        memset(sc.w, 0, ((size_t)sc.nk * sc.nk + 1) * sizeof *sc.w);
        memset(sc.q, 0, ((size_t)sc.nk * sc.nk + 1) * sizeof *sc.q);
        memset(blk, 0, ((size_t)nc + 1) * (size_t)per * sizeof *blk);
        build_care_counts(b, &sc);
        build_care_groups(b, &sc);
        build_joins(b, &sc);
        build_priority(b, &sc);
    }
out:
    free(sc.k);
    free(sc.w);
    free(sc.q);
    free(sc.jcol);
    free(sc.jl);
    free(blk);
}

