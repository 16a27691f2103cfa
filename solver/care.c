/* care.c - exact bin packing of small classes, then cross-grade joins.
 *
 * Within a grade the minimum number of groups is found by depth-first search over
 * items in descending order (a grade has at most a dozen small classes, so this is
 * instant; a node limit falls back to first-fit-decreasing and the sum bound).
 * Among packings with that minimum, the one DOMAIN.md asks for is preferred: the
 * small classes join the smallest ones (003 "与同年级人数最少的班合并"), which is
 * what first-fit in ascending order produces whenever it reaches the minimum. */
#include "care.h"

#include <stdlib.h>
#include <string.h>

#include "model/model.h"

#define PP_CARE_NODE_LIMIT 200000

typedef struct {
    const int *size;    /* item sizes, descending */
    int n, cap;
    int *load, *assign, *best;
    int nbins, best_bins;
    long nodes;
} bp_ctx;

static void bp_dfs(bp_ctx *c, int i)
{
    if (++c->nodes > PP_CARE_NODE_LIMIT || c->nbins >= c->best_bins)
        return;
    if (i == c->n) {
        c->best_bins = c->nbins;
        memcpy(c->best, c->assign, (size_t)c->n * sizeof *c->best);
        return;
    }
    for (int b = 0; b < c->nbins; b++) {
        if (c->load[b] + c->size[i] > c->cap)
            continue;
        /* bins with equal load are interchangeable: try only the first */
        int seen = 0;
        for (int e = 0; e < b && !seen; e++)
            seen = c->load[e] == c->load[b];
        if (seen)
            continue;
        c->load[b] += c->size[i];
        c->assign[i] = b;
        bp_dfs(c, i + 1);
        c->load[b] -= c->size[i];
    }
    c->load[c->nbins++] = c->size[i];
    c->assign[i] = c->nbins - 1;
    bp_dfs(c, i + 1);
    c->nbins--;
}

/* First fit over items in the given order; returns bins used. */
static int first_fit(const int *size, int n, int cap, int *load, int *assign)
{
    int nb = 0;
    for (int i = 0; i < n; i++) {
        int b = 0;
        while (b < nb && load[b] + size[i] > cap)
            b++;
        if (b == nb)
            load[nb++] = 0;
        load[b] += size[i];
        assign[i] = b;
    }
    return nb;
}

typedef struct {
    int item, size;
} sized;

static int cmp_sized_desc(const void *a, const void *b)
{
    const sized *x = a, *y = b;
    if (x->size != y->size)
        return y->size - x->size;
    return x->item - y->item;
}

/* Packs the listed items (indices into items[]) into bins of cap; writes a bin
 * number (0-based, local) per listed item into bin[].  Returns the bin count and
 * sets *lower to a proven lower bound on it. */
static int pack_min_bins(const pp_care_item *items, const int *list, int m, int cap, int *bin, int *lower)
{
    if (m == 0) {
        *lower = 0;
        return 0;
    }
    sized *sz = malloc((size_t)m * sizeof *sz);
    int *size = malloc((size_t)m * 4 * sizeof *size);
    if (!sz || !size) {
        free(sz);
        free(size);
        for (int i = 0; i < m; i++)
            bin[i] = i;
        *lower = 0;
        return m;
    }
    int *load = size + m, *assign = size + 2 * m, *best = size + 3 * m;
    long total = 0;
    for (int i = 0; i < m; i++) {
        sz[i] = (sized){ i, items[list[i]].count };
        total += sz[i].size;
    }
    qsort(sz, (size_t)m, sizeof *sz, cmp_sized_desc);
    for (int i = 0; i < m; i++)
        size[i] = sz[i].size;
    int lb = (int)((total + cap - 1) / cap);
    int ffd = first_fit(size, m, cap, load, best);
    int nb = ffd;
    if (ffd > lb) {
        bp_ctx c = { size, m, cap, load, assign, best, 0, ffd, 0 };
        bp_dfs(&c, 0);
        nb = c.best_bins;
        if (c.nodes <= PP_CARE_NODE_LIMIT)
            lb = nb; /* search completed: proven */
    }
    *lower = lb;
    /* Ascending first fit: the small classes join the smallest (003); used when it is minimal. */
    int *asc_assign = assign;
    int *asc_size = malloc((size_t)m * sizeof *asc_size);
    int use_asc = 0;
    if (asc_size) {
        for (int i = 0; i < m; i++)
            asc_size[i] = size[m - 1 - i];
        use_asc = first_fit(asc_size, m, cap, load, asc_assign) == nb;
        free(asc_size);
    }
    for (int i = 0; i < m; i++)
        bin[sz[i].item] = use_asc ? asc_assign[m - 1 - i] : best[i];
    free(sz);
    free(size);
    return nb;
}

/* The most cross-grade joins any packing can make.  A small grade (care count below
 * the threshold, so one group) joins a neighbour's group once, and that group then
 * spans two grades and takes no further join; a larger grade has a group to spare
 * on each side.  A join also needs the small grade's group and the neighbour's
 * smallest class to fit in one group.  So joins form a matching on the path of
 * grades in which larger grades never block; taking the leftmost possible join
 * first is optimal on a path.  Each join saves at most one group: this bounds the
 * saving in the lower bound. */
static int max_joins(const pp_care_item *items, int n, int threshold, int group_max)
{
    long tot[PP_MAX_GRADE + 2] = { 0 };
    int least[PP_MAX_GRADE + 2];
    for (int g = 0; g < PP_MAX_GRADE + 2; g++)
        least[g] = 1 << 30;
    for (int i = 0; i < n; i++) {
        tot[items[i].grade] += items[i].count;
        /* only a class below the threshold can share its group */
        if (items[i].count < threshold && items[i].count < least[items[i].grade])
            least[items[i].grade] = items[i].count;
    }
    int joins = 0, used[PP_MAX_GRADE + 2] = { 0 };
    for (int g = 1; g < PP_MAX_GRADE; g++) {
        int h = g + 1;
        if (!tot[g] || !tot[h])
            continue;
        int sg = tot[g] < threshold, sh = tot[h] < threshold;
        int fits = (sg && tot[g] + least[h] <= group_max) || (sh && tot[h] + least[g] <= group_max);
        if (!fits || (sg && used[g]) || (sh && used[h]) || (!sg && !sh))
            continue;
        used[g] |= sg;
        used[h] |= sh;
        joins++;
    }
    return joins;
}

/* Renumbers group ids so groups are numbered by their smallest item index. */
static void renumber(int *group_of, int n, int ngroups)
{
    int *map = malloc((size_t)(ngroups > 0 ? ngroups : 1) * sizeof *map);
    if (!map)
        return;
    for (int g = 0; g < ngroups; g++)
        map[g] = -1;
    int next = 0;
    for (int i = 0; i < n; i++) {
        if (map[group_of[i]] < 0)
            map[group_of[i]] = next++;
        group_of[i] = map[group_of[i]];
    }
    free(map);
}

typedef struct {
    int size, grade_lo, grade_hi;
    int alive;
    int whole;          /* a class alone by the threshold: takes no one else */
} gstat;

/* A grade whose whole care count is below the threshold joins the smallest group of
 * an adjacent grade it fits with (003); each join saves a group at a cross penalty. */
static int cross_grade_joins(const pp_care_item *items, int n, const pp_care_rules *r, int *group_of,
                             gstat *gs, int ng, int *ncross)
{
    int grade_total[PP_MAX_GRADE + 2] = { 0 };
    for (int i = 0; i < n; i++)
        grade_total[items[i].grade] += items[i].count;
    int merged = 0;
    for (int g = 1; g <= PP_MAX_GRADE; g++) {
        if (grade_total[g] == 0 || grade_total[g] >= r->threshold)
            continue;
        int src = -1; /* the single group holding this small grade, if it is single */
        for (int k = 0; k < ng; k++)
            if (gs[k].alive && gs[k].grade_lo == g && gs[k].grade_hi == g)
                src = (src == -1) ? k : -2;
        if (src < 0)
            continue;
        int dst = -1;
        for (int k = 0; k < ng; k++) {
            if (k == src || !gs[k].alive || gs[k].whole)
                continue;
            int lo = gs[k].grade_lo < g ? gs[k].grade_lo : g, hi = gs[k].grade_hi > g ? gs[k].grade_hi : g;
            if (hi - lo != 1 || gs[k].size + gs[src].size > r->group_max)
                continue;
            if (dst < 0 || gs[k].size < gs[dst].size)
                dst = k;
        }
        if (dst < 0)
            continue;
        for (int i = 0; i < n; i++)
            if (group_of[i] == src)
                group_of[i] = dst;
        if (gs[dst].grade_lo == gs[dst].grade_hi)
            (*ncross)++;
        gs[dst].size += gs[src].size;
        gs[dst].grade_lo = gs[dst].grade_lo < g ? gs[dst].grade_lo : g;
        gs[dst].grade_hi = gs[dst].grade_hi > g ? gs[dst].grade_hi : g;
        gs[src].alive = 0;
        merged++;
    }
    return merged;
}

int pp_care_pack(const pp_care_item *items, int n, const pp_care_rules *r, int *group_of, pp_care_result *res)
{
    memset(res, 0, sizeof *res);
    int *list = malloc((size_t)(n > 0 ? n : 1) * sizeof *list);
    int *bin = malloc((size_t)(n > 0 ? n : 1) * sizeof *bin);
    gstat *gs = malloc((size_t)(n > 0 ? n : 1) * sizeof *gs);
    if (!list || !bin || !gs) {
        free(list);
        free(bin);
        free(gs);
        return -1;
    }
    int ng = 0, lower = 0, small_grades = 0;
    /* classes at or above the threshold, or too big to merge, stand alone */
    for (int i = 0; i < n; i++)
        if (r->tier == PP_TIER_CLASS || items[i].count >= r->threshold || items[i].count > r->group_max) {
            group_of[i] = ng;
            gs[ng++] = (gstat){ items[i].count, items[i].grade, items[i].grade, 1, 1 };
            lower++;
        } else
            group_of[i] = -1;
    /* small classes: per grade, or all together for a school-level activity */
    for (int g = (r->tier == PP_TIER_SCHOOL ? -1 : 1); g <= (r->tier == PP_TIER_SCHOOL ? -1 : PP_MAX_GRADE); g++) {
        int m = 0;
        for (int i = 0; i < n; i++)
            if (group_of[i] == -1 && (g == -1 || items[i].grade == g))
                list[m++] = i;
        if (m == 0)
            continue;
        int lb;
        int nb = pack_min_bins(items, list, m, r->group_max, bin, &lb);
        lower += lb;
        for (int b = 0; b < nb; b++)
            gs[ng + b] = (gstat){ 0, PP_MAX_GRADE + 1, 0, 1, 0 };
        for (int k = 0; k < m; k++) {
            gstat *t = &gs[ng + bin[k]];
            const pp_care_item *it = &items[list[k]];
            group_of[list[k]] = ng + bin[k];
            t->size += it->count;
            t->grade_lo = it->grade < t->grade_lo ? it->grade : t->grade_lo;
            t->grade_hi = it->grade > t->grade_hi ? it->grade : t->grade_hi;
        }
        ng += nb;
    }
    if (r->tier == PP_TIER_GRADE)
        small_grades = max_joins(items, n, r->threshold, r->group_max);
    int ncross = 0, merged = 0;
    if (r->tier == PP_TIER_GRADE && r->adjacent_grade_merge && r->w_cross < r->w_group)
        merged = cross_grade_joins(items, n, r, group_of, gs, ng, &ncross);
    int live = ng - merged;
    renumber(group_of, n, ng);
    res->ngroups = live;
    res->ncross = ncross;
    res->cost = live * r->w_group + ncross * r->w_cross;
    double save = (r->tier == PP_TIER_GRADE && r->adjacent_grade_merge && r->w_cross < r->w_group)
                      ? small_grades * (r->w_group - r->w_cross) : 0;
    res->lower = lower * r->w_group - save;
    res->lower_groups = lower - (save > 0 ? small_grades : 0);
    if (res->lower > res->cost)
        res->lower = res->cost;
    free(list);
    free(bin);
    free(gs);
    return 0;
}
