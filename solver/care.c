/* care.c - exact bin packing of small classes, and the cross-grade joins chosen
 * with it (a dynamic programme along the grades, see best_joins).
 *
 * Within a grade the minimum number of groups is found by depth-first search over
 * items in descending order (a grade has at most a dozen small classes, so this is
 * instant; a node limit falls back to first-fit-decreasing and the sum bound).
 * Among packings with that minimum, the one DOMAIN.md asks for is preferred: the
 * small classes join the smallest ones (003 "与同年级人数最少的班合并"), which is
 * what first-fit in ascending order produces whenever it reaches the minimum. */
#include "care.h"
#include "regroup.h"

#include <math.h>
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

/* First fit over items in the given order, into the nopen bins whose loads are
 * already in load[], then new ones; returns the bins used. */
static int first_fit(const int *size, int n, int cap, int *load, int nopen, int *assign)
{
    int nb = nopen;
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

/* 003 merges a small class with the smallest of its grade (docs/RULES.md G7): a
 * class alone in its bin must not be smaller than a class of a merged bin, for
 * it could take that class's place.  Swaps the smallest lone class with the
 * largest merged one until none is smaller; the bin count stays, every bin
 * still fits (the merged bin only shrinks).  Bins below nx hold a joining grade
 * and take no part.  count[b] is scratch of nb entries. */
static void smallest_first(const pp_care_item *items, const int *list, int m, int nx, int nb, int *bin, int *count)
{
    for (int guard = 0; guard < m * m + 1; guard++) {
        for (int b = 0; b < nb; b++)
            count[b] = 0;
        for (int i = 0; i < m; i++)
            count[bin[i]]++;
        int lone = -1, big = -1;
        for (int i = 0; i < m; i++) {
            if (bin[i] < nx)
                continue;
            int sz = items[list[i]].count;
            if (count[bin[i]] == 1 && (lone < 0 || sz < items[list[lone]].count))
                lone = i;
            if (count[bin[i]] > 1 && (big < 0 || sz > items[list[big]].count))
                big = i;
        }
        if (lone < 0 || big < 0 || items[list[lone]].count >= items[list[big]].count)
            return;
        int t = bin[lone];
        bin[lone] = bin[big];
        bin[big] = t;
    }
}

/* Packs the listed items (indices into items[]) into the fewest bins of cap,
 * together with nx extras (none: extra may be NULL): the whole care counts of
 * small neighbouring grades joining (003).  Each extra opens a bin of its own, so
 * that no group spans three grades; extras are bins 0..nx-1.  Writes a bin per
 * listed item into bin[]; returns the bin count, or -1 when out of memory, and
 * sets *lower to a proven lower bound on it.  Among packings with that count the
 * one DOMAIN.md asks for is preferred: ascending first fit (the small classes
 * join the smallest ones, 003) whenever it reaches it. */
static int pack_bins(const pp_care_item *items, const int *list, int m, const int *extra, int nx, int cap,
                     const int *prefer, int *bin, int *lower)
{
    sized *sz = malloc((size_t)(m + 1) * sizeof *sz);
    int *size = malloc((size_t)(2 * m + 1) * sizeof *size), *load = malloc((size_t)(m + nx + 1) * sizeof *load);
    int *assign = malloc((size_t)(m + 1) * sizeof *assign), *best = malloc((size_t)(m + 1) * sizeof *best);
    int nb = -1;
    *lower = 0;
    if (!sz || !size || !load || !assign || !best)
        goto out;
    long total = 0;
    for (int i = 0; i < nx; i++)
        total += extra[i];
    for (int i = 0; i < m; i++) {
        sz[i] = (sized){ i, items[list[i]].count };
        total += sz[i].size;
    }
    qsort(sz, (size_t)m, sizeof *sz, cmp_sized_desc);
    for (int i = 0; i < m; i++)
        size[i] = sz[i].size;
    /* first fit decreasing with the extras' bins open */
    for (int b = 0; b < nx; b++)
        load[b] = extra[b];
    nb = first_fit(size, m, cap, load, nx, best);
    int lb = (int)((total + cap - 1) / cap);
    lb = lb > nx ? lb : nx;
    if (nb > lb) {
        for (int b = 0; b < nx; b++)
            load[b] = extra[b];
        bp_ctx c = { size, m, cap, load, assign, best, nx, nb, 0 };
        bp_dfs(&c, 0);
        nb = c.best_bins;
        if (c.nodes <= PP_CARE_NODE_LIMIT)
            lb = nb;
    }
    *lower = lb;
    /* ascending first fit, used when as good */
    int *asc = size + m;
    for (int i = 0; i < m; i++)
        asc[i] = size[m - 1 - i];
    for (int b = 0; b < nx; b++)
        load[b] = extra[b];
    int na = first_fit(asc, m, cap, load, nx, assign);
    for (int i = 0; i < m; i++)
        bin[sz[i].item] = na == nb ? assign[m - 1 - i] : best[i];
    if (prefer && nx == 0) { /* a re-plan: the published grouping, when as good */
        int np = pp_regroup_bins(items, list, m, prefer, cap, nb, assign, load);
        for (int i = 0; np >= 0 && np <= nb && i < m; i++)
            bin[i] = assign[i];
        nb = np >= 0 && np < nb ? np : nb;
    }
    smallest_first(items, list, m, nx, nb, bin, load);
out:
    free(sz);
    free(size);
    free(load);
    free(assign);
    free(best);
    return nb;
}

/* Renumbers group ids so groups are numbered by their smallest item index. */
static void renumber(int *group_of, int n, int *map)
{
    for (int i = 0; i < n; i++)
        map[i] = -1;
    int next = 0;
    for (int i = 0; i < n; i++) {
        if (map[group_of[i]] < 0)
            map[group_of[i]] = next++;
        group_of[i] = map[group_of[i]];
    }
}

/* Join options of the adjacent grades g, g+1 (003): none, g joins a group of g+1
 * (UP), or g+1 joins a group of g (DOWN). */
enum { JOIN_NONE, JOIN_UP, JOIN_DOWN };

#define NG (PP_MAX_GRADE + 2)

/* One slot's classes by grade, and the packings of each grade with the joins it
 * might take, computed when first asked for. */
typedef struct {
    const pp_care_item *items;
    const int *prefer;          /* re-plan: pp_care_pack_prefer's labels; NULL none */
    const unsigned char *alone; /* per item: stands alone (threshold, size, tier) */
    int n, cap, joins_ok, oom;
    long tot[NG];
    int nalone[NG];
    int small[NG];              /* below the threshold and one group: may join (003) */
    int bins[NG][4], lb[NG][4]; /* small classes packed with extras {}, {g-1}, {g+1}, both; -1 not yet */
    int *list, *bin;            /* scratch */
} gctx;

static int grade_list(const gctx *c, int g, int *list)
{
    int m = 0;
    for (int i = 0; i < c->n; i++)
        if (c->items[i].grade == g && !c->alone[i])
            list[m++] = i;
    return m;
}

/* Packs grade g's small classes with the extras of joins set R (bit 0 from g-1, bit
 * 1 from g+1) into c->bin; returns the bin count, -1 when out of memory. */
static int pack_with_joins(gctx *c, int g, int R, int *lower)
{
    int extra[2], nx = 0;
    if (R & 1)
        extra[nx++] = (int)c->tot[g - 1];
    if (R & 2)
        extra[nx++] = (int)c->tot[g + 1];
    int m = grade_list(c, g, c->list);
    return pack_bins(c->items, c->list, m, extra, nx, c->cap, c->prefer, c->bin, lower);
}

/* Groups grade g leads given the options of its pairs with g-1 (a) and g+1 (b),
 * from the packings (use_lb 0) or their lower bounds (1); -1 when not allowed. */
static int grade_groups(gctx *c, int g, int a, int b, int use_lb)
{
    int recv_l = a == JOIN_UP, send_l = a == JOIN_DOWN, send_r = b == JOIN_UP, recv_r = b == JOIN_DOWN;
    if (c->small[g]) {
        if (recv_l + send_l + send_r + recv_r > 1)
            return -1; /* the joined group then spans two grades and takes nobody else */
        if (send_l || send_r)
            return 0;
        if ((recv_l && c->tot[g] + c->tot[g - 1] > c->cap) || (recv_r && c->tot[g] + c->tot[g + 1] > c->cap))
            return -1;
        return 1;
    }
    if (send_l || send_r)
        return -1;
    int R = recv_l | recv_r << 1;
    if (c->bins[g][R] < 0) {
        c->bins[g][R] = pack_with_joins(c, g, R, &c->lb[g][R]);
        if (c->bins[g][R] < 0) {
            c->oom = 1;
            return -1;
        }
    }
    return c->nalone[g] + (use_lb ? c->lb[g][R] : c->bins[g][R]);
}

/* The least w_group * groups + w_cross * joins over all join patterns, by dynamic
 * programming along the path of grades; choice[g] receives the option of the pair
 * (g, g+1). */
static double best_joins(gctx *c, double wg, double wc, int use_lb, int *choice)
{
    double V[NG + 1][3];
    int arg[NG + 1][3];
    for (int g = 0; g <= NG; g++)
        for (int a = 0; a < 3; a++) {
            V[g][a] = INFINITY;
            arg[g][a] = 0;
        }
    V[1][JOIN_NONE] = 0;
    for (int g = 1; g <= PP_MAX_GRADE; g++)
        for (int a = 0; a < 3; a++) {
            if (isinf(V[g][a]))
                continue;
            for (int b = 0; b < 3; b++) {
                if (b != JOIN_NONE && !(c->joins_ok && g < PP_MAX_GRADE && c->tot[g] && c->tot[g + 1]))
                    continue;
                int q = c->tot[g] ? grade_groups(c, g, a, b, use_lb) : 0;
                if (q < 0)
                    continue;
                double v = V[g][a] + wg * q + (b != JOIN_NONE ? wc : 0);
                if (v < V[g + 1][b] - 1e-9) {
                    V[g + 1][b] = v;
                    arg[g + 1][b] = a;
                }
            }
        }
    int cur = JOIN_NONE;
    for (int g = PP_MAX_GRADE; g >= 1; g--) {
        choice[g] = cur;
        cur = arg[g + 1][cur];
    }
    choice[0] = JOIN_NONE;
    return V[PP_MAX_GRADE + 1][JOIN_NONE];
}

/* Writes the groups of the chosen joins into group_of (ids from *ng on). */
static int build_grades(gctx *c, const int *choice, int *group_of, int *ng)
{
    for (int g = 1; g <= PP_MAX_GRADE; g++) {
        if (!c->tot[g] || (c->small[g] && (choice[g - 1] == JOIN_DOWN || choice[g] == JOIN_UP)))
            continue; /* none, or inside a group of a neighbour */
        int from[2], nx = 0, nb = 1, lower;
        if (choice[g - 1] == JOIN_UP)
            from[nx++] = g - 1;
        if (choice[g] == JOIN_DOWN)
            from[nx++] = g + 1;
        int m = grade_list(c, g, c->list);
        if (c->small[g]) {
            for (int k = 0; k < m; k++)
                c->bin[k] = 0;
        } else if ((nb = pack_with_joins(c, g, (choice[g - 1] == JOIN_UP) | (choice[g] == JOIN_DOWN) << 1,
                                         &lower)) < 0)
            return -1;
        for (int k = 0; k < m; k++)
            group_of[c->list[k]] = *ng + c->bin[k];
        for (int e = 0; e < nx; e++) /* extra e is bin e (a small receiver has one bin) */
            for (int i = 0; i < c->n; i++)
                if (c->items[i].grade == from[e])
                    group_of[i] = *ng + e;
        *ng += nb;
    }
    return 0;
}

int pp_care_room_type(const pp_school *s, int period, int cls)
{
    const pp_activity *care = &s->activities[s->periods[period].care];
    if (care->venue_type >= 0)
        return care->venue_type;
    if (s->classes[cls].room >= 0)
        return s->venues[s->classes[cls].room].type;
    int best = -1, best_n = 0;
    for (int v = 0; v < s->nvenue_types; v++) {
        int n = 0;
        for (int k = 0; k < s->nclasses; k++)
            n += s->classes[k].room >= 0 && s->venues[s->classes[k].room].type == v;
        if (n > best_n) {
            best = v;
            best_n = n;
        }
    }
    return best;
}

pp_care_rules pp_care_rules_of(const pp_school *s, int period)
{
    const pp_activity *care = &s->activities[s->periods[period].care];
    /* for care kinds a tier of class reads as grade: classes are the units and
     * those below the threshold merge within their grade (docs/RULES.md G4) */
    int tier = care->tier == PP_TIER_SCHOOL ? PP_TIER_SCHOOL : PP_TIER_GRADE;
    return (pp_care_rules){ tier, care->merge_threshold, s->policy.group_max, s->policy.adjacent_grade_merge,
                            s->policy.w_group, s->policy.w_cross_grade };
}

int pp_care_pack(const pp_care_item *items, int n, const pp_care_rules *r, int *group_of, pp_care_result *res)
{
    return pp_care_pack_prefer(items, n, r, NULL, group_of, res);
}

int pp_care_pack_prefer(const pp_care_item *items, int n, const pp_care_rules *r, const int *prefer, int *group_of,
                        pp_care_result *res)
{
    memset(res, 0, sizeof *res);
    size_t sz = (size_t)(n > 0 ? n : 1);
    gctx c = { .items = items, .prefer = prefer, .n = n, .cap = r->group_max };
    unsigned char *alone = malloc(sz);
    c.list = calloc(sz, sizeof *c.list); /* calloc: GCC cannot see that only written entries are read */
    c.bin = malloc(sz * sizeof *c.bin);
    int rc = -1, ng = 0, lower = 0, choice[NG];
    if (!alone || !c.list || !c.bin)
        goto out;
    c.alone = alone;
    c.joins_ok = r->tier != PP_TIER_SCHOOL && r->adjacent_grade_merge && r->w_cross < r->w_group;
    memset(c.bins, -1, sizeof c.bins);
    /* classes at or above the threshold, or too big to merge, stand alone (a
     * class stays whole whatever its size, docs/RULES.md G2) */
    for (int i = 0; i < n; i++) {
        alone[i] = items[i].count >= r->threshold || items[i].count > r->group_max;
        c.tot[items[i].grade] += items[i].count;
        c.nalone[items[i].grade] += alone[i];
        group_of[i] = alone[i] ? ng++ : -1;
    }
    if (r->tier == PP_TIER_SCHOOL) { /* small classes, if any, all together (school level) */
        int m = 0;
        for (int i = 0; i < n; i++)
            if (!alone[i])
                c.list[m++] = i;
        int nb = pack_bins(items, c.list, m, NULL, 0, r->group_max, prefer, c.bin, &lower);
        if (nb < 0)
            goto out;
        for (int k = 0; k < m; k++)
            group_of[c.list[k]] = ng + c.bin[k];
        lower += ng;
        ng += nb;
        res->ngroups = ng;
        res->cost = ng * r->w_group;
        res->lower = lower * r->w_group;
        res->lower_groups = lower;
    } else {
        for (int g = 1; g <= PP_MAX_GRADE; g++)
            c.small[g] = c.tot[g] && c.tot[g] < r->threshold && c.tot[g] <= r->group_max && !c.nalone[g];
        best_joins(&c, r->w_group, r->w_cross, 0, choice);
        if (c.oom || build_grades(&c, choice, group_of, &ng))
            goto out;
        for (int g = 1; g < PP_MAX_GRADE; g++)
            res->ncross += choice[g] != JOIN_NONE;
        res->ngroups = ng;
        res->cost = ng * r->w_group + res->ncross * r->w_cross;
        res->lower = best_joins(&c, r->w_group, r->w_cross, 1, choice);
        res->lower_groups = (int)best_joins(&c, 1, 0, 1, choice);
        if (c.oom)
            goto out;
    }
    if (res->lower > res->cost)
        res->lower = res->cost;
    renumber(group_of, n, c.list);
    rc = 0;
out:
    free(alone);
    free(c.list);
    free(c.bin);
    return rc;
}
