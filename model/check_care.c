/* check_care.c - the merge rules of care groups (G1-G7 of docs/RULES.md), per slot
 * and care activity: the groups of one (slot, activity) are contiguous in the
 * sorted plan, so each run is read once for the class and grade counts, and then
 * each rule looks at each group, class or grade of the run a bounded number of
 * times (the pair rules G6 and G7 keep the smallest groups and classes of each
 * grade instead of comparing pairs): O(members + classes + grades) per run.
 *
 * The counts are of the run: the care count of a class is its students in groups of
 * this care activity at this slot (a care group of another activity is reported
 * under C3).  G4 forbids nothing of its own: for care kinds tier class and grade
 * both let the classes of a grade merge, tier school any classes; what G4 does not
 * allow is said by G3 (a class at the threshold) and G5 (across grades). */
#include "check_int.h"

#include <stdlib.h>
#include <string.h>

#define NG (PP_MAX_GRADE + 1)

typedef struct {
    /* per class of the school; count/parts/first/second are reset for the classes a run touched */
    int *count, *parts, *first, *second, *stamp;
    int *touched, ntouched;
    /* per group of the run (index j = i - from) */
    int *cls_from, *cls;    /* its distinct classes: cls[cls_from[j] .. cls_from[j + 1]) */
    uint32_t *gmask;        /* its grades */
    unsigned char *small;   /* only whole classes below the threshold (and within group-max) */
    /* per grade of the run */
    int total[NG], groups[NG], only[NG]; /* care count, groups holding it, the group when one */
    /* the run */
    int from, to, act, thr, gm;
} care_run;

static int level_ok(int l) { return l >= 0 && l < NG; }

static int lowest(uint32_t m) { return m ? __builtin_ctz(m) : -1; }

static int highest(uint32_t m) { return m ? 31 - __builtin_clz(m) : -1; }

/* "c3-1 12, c3-2 10" for group i: its classes and their care counts. */
static void put_classes(pp_ck_text *t, const pp_ck *c, const care_run *r, int i)
{
    int j = i - r->from, n = r->cls_from[j + 1] - r->cls_from[j];
    for (int k = 0; k < n && k < 6; k++) {
        int cl = r->cls[r->cls_from[j] + k];
        pp_ck_put(t, "%s%s %d", k ? ", " : "", c->s->classes[cl].id, r->count[cl]);
    }
    if (n > 6)
        pp_ck_put(t, " and %d more classes", n - 6);
}

/* Class and grade counts of the run; the groups' classes and grades. */
static void count_run(pp_ck *c, care_run *r)
{
    const pp_school *s = c->s;
    for (int k = 0; k < r->ntouched; k++) {
        int cl = r->touched[k];
        r->count[cl] = r->parts[cl] = 0;
        r->first[cl] = r->second[cl] = -1;
    }
    r->ntouched = 0;
    memset(r->total, 0, sizeof r->total);
    memset(r->groups, 0, sizeof r->groups);
    int pos = 0;
    for (int i = r->from; i < r->to; i++) {
        const pp_group *g = &c->g[i];
        int j = i - r->from;
        r->cls_from[j] = pos;
        r->gmask[j] = 0;
        for (int m = 0; m < g->nstudents; m++) {
            int cl = s->students[g->students[m]].cls, l = s->classes[cl].grade;
            r->count[cl]++;
            if (level_ok(l)) {
                r->total[l]++;
                r->gmask[j] |= 1u << l;
            }
            if (r->stamp[cl] == i + 1)
                continue;
            r->stamp[cl] = i + 1;
            r->cls[pos++] = cl;
            r->parts[cl]++;
            if (r->first[cl] < 0) {
                r->first[cl] = i;
                r->touched[r->ntouched++] = cl;
            } else if (r->second[cl] < 0)
                r->second[cl] = i;
        }
        for (uint32_t m = r->gmask[j]; m; m &= m - 1) {
            r->groups[lowest(m)]++;
            r->only[lowest(m)] = i;
        }
    }
    r->cls_from[r->to - r->from] = pos;
    for (int i = r->from; i < r->to; i++) {
        int j = i - r->from, ok = 1;
        for (int k = r->cls_from[j]; k < r->cls_from[j + 1]; k++)
            ok &= r->count[r->cls[k]] < r->thr && r->count[r->cls[k]] <= r->gm && r->parts[r->cls[k]] == 1;
        r->small[j] = (unsigned char)(ok && c->g[i].nstudents > 0);
    }
}

static int nclasses_of(const care_run *r, int i)
{
    return r->cls_from[i - r->from + 1] - r->cls_from[i - r->from];
}

/* G1, G2, G3: merged groups within group-max, classes kept whole, classes at the
 * threshold alone. */
static void check_classes(pp_ck *c, care_run *r)
{
    const pp_school *s = c->s;
    const char *act = s->activities[r->act].id;
    char b[PP_CK_LABEL], b2[PP_CK_LABEL], sl[PP_CK_LABEL], list[400];
    pp_ck_slot(s, c->g[r->from].day, c->g[r->from].period, sl);
    for (int i = r->from; i < r->to; i++)
        if (c->g[i].nstudents > r->gm && nclasses_of(r, i) > 1) {
            pp_ck_text t = { list, sizeof list, 0 };
            put_classes(&t, c, r, i);
            pp_ck_put(&t, "); expected at most %d (group-max) in a group that merges classes", r->gm);
            pp_ck_viol(c, PP_RULE_G1, "%s has %d students (%s", pp_ck_group(c, i, b), c->g[i].nstudents, list);
        }
    for (int k = 0; k < r->ntouched; k++) {
        int cl = r->touched[k], n = r->count[cl], parts = r->parts[cl];
        if (parts > 1)
            pp_ck_viol(c, PP_RULE_G2, "class %s (%d students in %s at %s) is split between %d groups: %s, %s%s; expected "
                       "all of them in one group (a class stays whole whatever its size)", s->classes[cl].id, n, act, sl,
                       parts, pp_ck_gname(c, r->first[cl], b), pp_ck_gname(c, r->second[cl], b2),
                       parts > 2 ? " and more" : "");
    }
    for (int i = r->from; i < r->to; i++) {
        int j = i - r->from;
        if (nclasses_of(r, i) < 2)
            continue;
        for (int k = r->cls_from[j]; k < r->cls_from[j + 1]; k++) {
            int cl = r->cls[k], n = r->count[cl];
            if (n >= r->thr)
                pp_ck_viol(c, PP_RULE_G3, "class %s has %d students in %s at %s, at least the merge threshold %d, yet %s "
                           "merges it with %d other class%s; expected %s in a group of its own", s->classes[cl].id, n,
                           act, sl, r->thr, pp_ck_gname(c, i, b), nclasses_of(r, i) - 1,
                           nclasses_of(r, i) == 2 ? "" : "es", s->classes[cl].id);

        }
    }
}

/* Grade l joins group i whole: its care count is below the threshold and all of it is in i. */
static int joins_whole(const care_run *r, int l, int i)
{
    return level_ok(l) && r->total[l] < r->thr && r->groups[l] == 1 && r->only[l] == i;
}

/* G5: a group of two grades is a small grade, whole, joining an adjacent one. */
static void check_cross(pp_ck *c, care_run *r)
{
    const pp_school *s = c->s;
    char b[PP_CK_LABEL], list[400];
    for (int i = r->from; i < r->to; i++) {
        uint32_t m = r->gmask[i - r->from];
        int k = __builtin_popcount(m), lo = lowest(m), hi = highest(m);
        if (k < 2)
            continue;
        pp_ck_text t = { list, sizeof list, 0 };
        put_classes(&t, c, r, i);
        pp_ck_group(c, i, b);
        if (k > 2)
            pp_ck_viol(c, PP_RULE_G5, "%s mixes %d grades, %d to %d (%s); expected at most two adjacent grades", b, k, lo,
                       hi, list);
        else if (!s->policy.adjacent_grade_merge)
            pp_ck_viol(c, PP_RULE_G5, "%s mixes grades %d and %d (%s) while adjacent-grade-merge is off; expected one "
                       "grade", b, lo, hi, list);
        else if (hi - lo != 1)
            pp_ck_viol(c, PP_RULE_G5, "%s mixes grades %d and %d (%s); expected one grade, or two adjacent ones", b, lo,
                       hi, list);
        else if (!joins_whole(r, lo, i) && !joins_whole(r, hi, i))
            pp_ck_viol(c, PP_RULE_G5, "%s mixes grades %d and %d (%s), but neither joins whole and below the merge "
                       "threshold %d: grade %d has %d in care there (in %d group%s), grade %d has %d (in %d group%s); "
                       "expected one grade, or a grade whose whole care count is below the threshold joining the other",
                       b, lo, hi, list, r->thr, lo, r->total[lo], r->groups[lo], r->groups[lo] == 1 ? "" : "s", hi,
                       r->total[hi], r->groups[hi], r->groups[hi] == 1 ? "" : "s");
    }
}

/* Keeps the two smallest of the candidates offered (by size, then number). */
typedef struct {
    int a, b; /* group indices, -1 none; a is the smallest */
} two;

static void offer2(const pp_ck *c, two *t, int i)
{
    int n = c->g[i].nstudents;
    if (t->a < 0 || n < c->g[t->a].nstudents) {
        t->b = t->a;
        t->a = i;
    } else if (t->b < 0 || n < c->g[t->b].nstudents)
        t->b = i;
}

static void report_pair(pp_ck *c, care_run *r, int x, int y, const char *why)
{
    if (x > y) {
        int t = x;
        x = y;
        y = t;
    }
    char bx[PP_CK_LABEL], by[PP_CK_LABEL], sl[PP_CK_LABEL], lx[400], ly[400];
    pp_ck_text tx = { lx, sizeof lx, 0 }, ty = { ly, sizeof ly, 0 };
    put_classes(&tx, c, r, x);
    put_classes(&ty, c, r, y);
    pp_ck_viol(c, PP_RULE_G6, "at %s, %s (%s) and %s (%s) are both kept, though they hold only classes %sbelow the merge "
               "threshold %d and fit in one group (%d students, group-max %d); expected them merged%s",
               pp_ck_slot(c->s, c->g[x].day, c->g[x].period, sl), pp_ck_gname(c, x, bx), lx, pp_ck_gname(c, y, by), ly,
               why, r->thr, c->g[x].nstudents + c->g[y].nstudents, r->gm,
               c->s->activities[r->act].tier == PP_TIER_SCHOOL ? " (tier school: any classes may merge)" : "");
}

/* G6, cross-grade case: the whole care of small grade l in one group beside a group
 * of an adjacent grade it fits in.  done[j]: group j already named in such a pair. */
static void check_join(pp_ck *c, care_run *r, const two *best, int l, unsigned char *done)
{
    int w = r->groups[l] == 1 ? r->only[l] : -1;
    if (w < 0 || r->total[l] >= r->thr || r->gmask[w - r->from] != 1u << l || !r->small[w - r->from] ||
        done[w - r->from])
        return;
    int partner = -1;
    for (int n = l - 1; n <= l + 1; n += 2) {
        int q = level_ok(n) ? best[n].a : -1;
        if (q >= 0 && q != w && c->g[w].nstudents + c->g[q].nstudents <= r->gm &&
            (partner < 0 || c->g[q].nstudents < c->g[partner].nstudents))
            partner = q;
    }
    if (partner < 0 || done[partner - r->from])
        return;
    done[w - r->from] = done[partner - r->from] = 1;
    char bw[PP_CK_LABEL], bp[PP_CK_LABEL], sl[PP_CK_LABEL], lw[400], lp[400];
    pp_ck_text tw = { lw, sizeof lw, 0 }, tp = { lp, sizeof lp, 0 };
    put_classes(&tw, c, r, w);
    put_classes(&tp, c, r, partner);
    int pl = lowest(r->gmask[partner - r->from]);
    pp_ck_viol(c, PP_RULE_G6, "at %s, %s (%s: the whole of grade %d, below the merge threshold %d) and %s (%s, of the "
               "adjacent grade %d) are both kept, though they fit in one group (%d students, group-max %d); expected grade "
               "%d to join that group", pp_ck_slot(c->s, c->g[w].day, c->g[w].period, sl), pp_ck_gname(c, w, bw), lw, l,
               r->thr, pp_ck_gname(c, partner, bp), lp, pl, c->g[w].nstudents + c->g[partner].nstudents, r->gm, l);
}

/* G6: no two groups of small classes kept apart when one group would hold them and
 * keep G4/G5.  Only the two smallest candidates of each grade need looking at. */
static void check_lone(pp_ck *c, care_run *r, unsigned char *done)
{
    const pp_activity *a = &c->s->activities[r->act];
    two best[NG], all = { -1, -1 };
    for (int l = 0; l < NG; l++)
        best[l] = (two){ -1, -1 };
    for (int i = r->from; i < r->to; i++) {
        int j = i - r->from;
        done[j] = 0;
        if (!r->small[j])
            continue;
        offer2(c, &all, i);
        if (__builtin_popcount(r->gmask[j]) == 1)
            offer2(c, &best[lowest(r->gmask[j])], i);
    }
    if (a->tier == PP_TIER_SCHOOL) {
        if (all.b >= 0 && c->g[all.a].nstudents + c->g[all.b].nstudents <= r->gm)
            report_pair(c, r, all.a, all.b, "");
        return;
    }
    char why[64];
    for (int l = 0; l < NG; l++)
        if (best[l].b >= 0 && c->g[best[l].a].nstudents + c->g[best[l].b].nstudents <= r->gm) {
            snprintf(why, sizeof why, "of grade %d ", l);
            report_pair(c, r, best[l].a, best[l].b, why);
        }
    if (c->s->policy.adjacent_grade_merge)
        for (int l = 0; l < NG; l++)
            check_join(c, r, best, l, done);
}

/* G7: a lone class below the threshold is not smaller than a class it could replace
 * in a merged group of its grade.  Per grade, the smallest lone class against the
 * largest small class of each merged single-grade group. */
static void check_smallest(pp_ck *c, care_run *r)
{
    const pp_school *s = c->s;
    int lone[NG], lone_group[NG];
    for (int l = 0; l < NG; l++)
        lone[l] = -1;
    for (int i = r->from; i < r->to; i++) {
        int j = i - r->from, l = lowest(r->gmask[j]);
        if (nclasses_of(r, i) != 1 || !r->small[j] || !level_ok(l))
            continue;
        int cl = r->cls[r->cls_from[j]];
        if (lone[l] < 0 || r->count[cl] < r->count[lone[l]]) {
            lone[l] = cl;
            lone_group[l] = i;
        }
    }
    char bl[PP_CK_LABEL], bg[PP_CK_LABEL], sl[PP_CK_LABEL], list[400];
    for (int i = r->from; i < r->to; i++) {
        int j = i - r->from, l = lowest(r->gmask[j]);
        if (nclasses_of(r, i) < 2 || __builtin_popcount(r->gmask[j]) != 1 || !level_ok(l) || lone[l] < 0)
            continue;
        int big = -1;
        for (int k = r->cls_from[j]; k < r->cls_from[j + 1]; k++) {
            int cl = r->cls[k];
            if (r->count[cl] < r->thr && r->parts[cl] == 1 && (big < 0 || r->count[cl] > r->count[big]))
                big = cl;
        }
        int L = r->count[lone[l]], swapped = big < 0 ? 0 : c->g[i].nstudents - r->count[big] + L;
        if (big < 0 || L >= r->count[big] || swapped > r->gm)
            continue;
        pp_ck_text t = { list, sizeof list, 0 };
        put_classes(&t, c, r, i);
        pp_ck_viol(c, PP_RULE_G7, "at %s, class %s (%d students) is alone in %s while the larger class %s (%d) of grade "
                   "%d is merged in %s (%s: %d students); expected the smallest classes merged first: %s in place of %s "
                   "would make %d (group-max %d)", pp_ck_slot(s, c->g[i].day, c->g[i].period, sl),
                   s->classes[lone[l]].id, L, pp_ck_gname(c, lone_group[l], bl), s->classes[big].id, r->count[big], l,
                   pp_ck_gname(c, i, bg), list, c->g[i].nstudents, s->classes[lone[l]].id, s->classes[big].id, swapped,
                   r->gm);
    }
}

void pp_ck_care(pp_ck *c)
{
    const pp_school *s = c->s;
    size_t nc = (size_t)s->nclasses + 1, ng = (size_t)c->ng + 1, nm = 1;
    for (int i = 0; i < c->ng; i++)
        nm += (size_t)c->g[i].nstudents;
    care_run r;
    memset(&r, 0, sizeof r);
    int *block = malloc((6 * nc + 2 * ng + nm) * sizeof *block);
    r.gmask = malloc(ng * sizeof *r.gmask);
    r.small = malloc(2 * ng);
    if (!block || !r.gmask || !r.small) {
        pp_ck_oom(c, "care groups (G1-G7)");
        goto out;
    }
    r.count = block;
    r.parts = r.count + nc;
    r.first = r.parts + nc;
    r.second = r.first + nc;
    r.stamp = r.second + nc;
    r.touched = r.stamp + nc;
    r.cls_from = r.touched + nc;
    r.cls = r.cls_from + ng;
    for (size_t k = 0; k < nc; k++) {
        r.count[k] = r.parts[k] = r.stamp[k] = 0;
        r.first[k] = r.second[k] = -1;
    }
    unsigned char *done = r.small + ng;
    for (int from = 0, to; from < c->ng; from = to) {
        const pp_group *g = &c->g[from];
        to = from + 1;
        while (to < c->ng && c->g[to].day == g->day && c->g[to].period == g->period && c->g[to].activity == g->activity)
            to++;
        const pp_activity *a = &s->activities[g->activity];
        if (!pp_activity_is_care(a))
            continue;
        r.from = from;
        r.to = to;
        r.act = g->activity;
        r.thr = a->merge_threshold;
        r.gm = s->policy.group_max > 0 ? s->policy.group_max : 1;
        count_run(c, &r);
        check_classes(c, &r);
        if (a->tier != PP_TIER_SCHOOL)
            check_cross(c, &r);
        check_lone(c, &r, done);
        check_smallest(c, &r);
    }
out:
    free(block);
    free(r.gmask);
    free(r.small);
}
