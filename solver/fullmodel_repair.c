/* fullmodel_repair.c - G6 and G7 on the plan read back from the full model, by
 * local moves that never cost more and keep every other rule: two care groups of
 * small classes that fit in one (and may merge by G4/G5) become one, in a venue
 * that holds them; a lone small class takes the place of a larger class of its
 * grade in a merged group when the swap fits (the venues follow).  Each merge
 * saves a group, each swap makes a lone class larger, so the repair ends. */
#include "fullmodel_int.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    int *cnt, *parts, *total; /* per class: care count and groups at the slot; per grade: care count */
} slot_counts;

static void count_slot(const rd *r, int d, int p, int act, slot_counts *sc)
{
    const pp_school *s = r->s;
    memset(sc->cnt, 0, (size_t)s->nclasses * sizeof *sc->cnt);
    memset(sc->parts, 0, (size_t)s->nclasses * sizeof *sc->parts);
    memset(sc->total, 0, (PP_MAX_GRADE + 1) * sizeof *sc->total);
    for (int i = 0; i < r->ng; i++) {
        const rg *g = &r->g[i];
        if (g->dead || g->club || g->day != d || g->period != p || g->act != act)
            continue;
        for (int j = 0; j < g->n; j++) {
            int k = s->students[g->stu[j]].cls;
            sc->cnt[k]++;
            sc->total[s->classes[k].grade]++;
        }
        for (int k = 0; k < s->nclasses; k++)
            for (int j = 0; j < g->n; j++)
                if (s->students[g->stu[j]].cls == k) {
                    sc->parts[k]++;
                    break;
                }
    }
}

/* Grades of g as a mask; *small: every class below the threshold, whole, within group-max. */
static uint32_t group_grades(const rd *r, const rg *g, const slot_counts *sc, int *small, int *nclasses)
{
    const pp_school *s = r->s;
    const pp_activity *a = &s->activities[g->act];
    uint32_t mask = 0;
    *small = 1;
    *nclasses = 0;
    for (int j = 0; j < g->n; j++) {
        int k = s->students[g->stu[j]].cls, seen = 0;
        for (int q = 0; q < j && !seen; q++)
            seen = s->students[g->stu[q]].cls == k;
        if (seen)
            continue;
        (*nclasses)++;
        mask |= 1u << s->classes[k].grade;
        *small &= sc->cnt[k] < a->merge_threshold && sc->cnt[k] <= s->policy.group_max && sc->parts[k] == 1;
    }
    return mask;
}

static int whole_grade(const rd *r, const rg *g, uint32_t mask, const slot_counts *sc)
{
    int l = __builtin_ctz(mask);
    return g->n == sc->total[l] && sc->total[l] < r->s->activities[g->act].merge_threshold;
}

/* G6: two groups of small classes that fit in one and may merge (G4/G5). */
static int mergeable(const rd *r, const rg *a, const rg *b, const slot_counts *sc)
{
    const pp_school *s = r->s;
    int sa, sb, na, nb;
    uint32_t ma = group_grades(r, a, sc, &sa, &na), mb = group_grades(r, b, sc, &sb, &nb);
    if (!sa || !sb || a->n + b->n > s->policy.group_max)
        return 0;
    if (s->activities[a->act].tier == PP_TIER_SCHOOL)
        return 1;
    if (__builtin_popcount(ma) != 1 || __builtin_popcount(mb) != 1)
        return 0;
    if (ma == mb)
        return 1;
    int la = __builtin_ctz(ma), lb = __builtin_ctz(mb);
    return s->policy.adjacent_grade_merge && (la - lb == 1 || lb - la == 1) &&
           (whole_grade(r, a, ma, sc) || whole_grade(r, b, mb, sc));
}

static int append(rd *r, rg *to, const rg *from)
{
    for (int j = 0; j < from->n; j++)
        pp_fm_put(r, to, from->stu[j]);
    return r->oom ? -1 : 0;
}

/* Merges group j into i when a venue holds both; 1 when done. */
static int try_merge(rd *r, vstate *vs, int i, int j)
{
    rg *a = &r->g[i], *b = &r->g[j];
    int vi = a->venue, vj = b->venue, total = a->n + b->n;
    if (append(r, a, b))
        return 0;
    pp_fm_venue_marks(r, vs);
    if (vi >= 0)
        vs->used[vi * PP_DAYS + a->day] &= ~(1u << a->period);
    if (vj >= 0)
        vs->used[vj * PP_DAYS + b->day] &= ~(1u << b->period);
    int v = vi >= 0 && pp_fm_venue_fits(r, vs, a, vi, total) ? vi
            : vj >= 0 && pp_fm_venue_fits(r, vs, a, vj, total) ? vj
                                                         : pp_fm_pick_venue(r, vs, a, total);
    if (v < 0) {
        a->n -= b->n; /* undo */
        return 0;
    }
    a->venue = v;
    b->dead = 1;
    return 1;
}

/* Moves class `out` of group gi into group li and class `in` of li into gi. */
static int swap_classes(rd *r, rg *gi, rg *li, int out, int in)
{
    const pp_school *s = r->s;
    int *keep = malloc(((size_t)gi->n + (size_t)li->n + 1) * sizeof *keep), nk = 0, *mv = keep;
    if (!keep) {
        r->oom = 1;
        return -1;
    }
    int nout = 0;
    for (int j = 0; j < gi->n; j++)
        if (s->students[gi->stu[j]].cls == out)
            nout++;
    mv = keep + gi->n + li->n - nout; /* the tail holds the leaving class */
    int nm = 0;
    for (int j = 0; j < gi->n; j++)
        if (s->students[gi->stu[j]].cls == out)
            mv[nm++] = gi->stu[j];
        else
            keep[nk++] = gi->stu[j];
    for (int j = 0; j < li->n; j++)
        if (s->students[li->stu[j]].cls == in)
            keep[nk++] = li->stu[j];
    gi->n = 0;
    li->n = 0;
    for (int j = 0; j < nk; j++)
        pp_fm_put(r, gi, keep[j]);
    for (int j = 0; j < nm; j++)
        pp_fm_put(r, li, mv[j]);
    free(keep);
    return r->oom ? -1 : 0;
}

/* G7: a lone small class never smaller than a class it could replace in a merged
 * group of its grade.  1 when a swap was made. */
static int try_swap(rd *r, vstate *vs, int li, int gi, const slot_counts *sc)
{
    const pp_school *s = r->s;
    rg *lone = &r->g[li], *grp = &r->g[gi];
    int sl, sg, nl, ngc;
    uint32_t ml = group_grades(r, lone, sc, &sl, &nl), mg = group_grades(r, grp, sc, &sg, &ngc);
    if (nl != 1 || !sl || ngc < 2 || ml != mg || __builtin_popcount(mg) != 1)
        return 0;
    int L = s->students[lone->stu[0]].cls, B = -1, thr = s->activities[grp->act].merge_threshold;
    for (int j = 0; j < grp->n; j++) {
        int k = s->students[grp->stu[j]].cls;
        if (sc->cnt[k] < thr && sc->parts[k] == 1 && (B < 0 || sc->cnt[k] > sc->cnt[B]))
            B = k;
    }
    if (B < 0 || sc->cnt[L] >= sc->cnt[B] || grp->n - sc->cnt[B] + sc->cnt[L] > s->policy.group_max)
        return 0;
    int newg = grp->n - sc->cnt[B] + sc->cnt[L], newl = sc->cnt[B], vl = lone->venue, vg = grp->venue;
    if (swap_classes(r, grp, lone, B, L))
        return 0;
    pp_fm_venue_marks(r, vs);
    if (vl >= 0)
        vs->used[vl * PP_DAYS + lone->day] &= ~(1u << lone->period);
    if (vg >= 0)
        vs->used[vg * PP_DAYS + grp->day] &= ~(1u << grp->period);
    int a = -1, b = -1;
    if (vl >= 0 && pp_fm_venue_fits(r, vs, lone, vl, newl) && vg >= 0 && pp_fm_venue_fits(r, vs, grp, vg, newg))
        a = vl, b = vg;
    else if (vg >= 0 && vl >= 0 && pp_fm_venue_fits(r, vs, lone, vg, newl) && pp_fm_venue_fits(r, vs, grp, vl, newg))
        a = vg, b = vl;
    else if (vg >= 0 && pp_fm_venue_fits(r, vs, grp, vg, newg)) {
        vs->used[vg * PP_DAYS + grp->day] |= 1u << grp->period;
        a = pp_fm_pick_venue(r, vs, lone, newl);
        b = vg;
    }
    if (a < 0) { /* no room for the swap: undo it */
        swap_classes(r, grp, lone, L, B);
        return 0;
    }
    lone->venue = a;
    grp->venue = b;
    return 1;
}

static int repair_slot(rd *r, vstate *vs, int d, int p, int act, slot_counts *sc)
{
    int changed = 0;
    for (int round = 0; round < 10000; round++) {
        int did = 0;
        count_slot(r, d, p, act, sc);
        for (int i = 0; i < r->ng && !did; i++) {
            rg *a = &r->g[i];
            if (a->dead || a->club || a->day != d || a->period != p || a->act != act)
                continue;
            for (int j = i + 1; j < r->ng && !did; j++) {
                rg *b = &r->g[j];
                if (b->dead || b->club || b->day != d || b->period != p || b->act != act)
                    continue;
                if (mergeable(r, a, b, sc))
                    did = try_merge(r, vs, i, j);
                else
                    did = try_swap(r, vs, i, j, sc) || try_swap(r, vs, j, i, sc);
            }
        }
        if (!did || r->oom)
            break;
        changed = 1;
    }
    return changed;
}

void pp_fm_repair(rd *r, vstate *vs)
{
    const pp_school *s = r->s;
    slot_counts sc = { calloc((size_t)s->nclasses + 1, sizeof(int)), calloc((size_t)s->nclasses + 1, sizeof(int)),
                       calloc(PP_MAX_GRADE + 2, sizeof(int)) };
    if (!sc.cnt || !sc.parts || !sc.total)
        r->oom = 1;
    for (int d = 0; d < PP_DAYS && !r->oom; d++)
        for (int p = 0; p < s->nperiods && !r->oom; p++)
            if (pp_fm_runs(s, d, p) && s->periods[p].care >= 0)
                repair_slot(r, vs, d, p, s->periods[p].care, &sc);
    free(sc.cnt);
    free(sc.parts);
    free(sc.total);
}

