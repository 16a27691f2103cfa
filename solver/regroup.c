/* regroup.c - the published care groups kept together (see regroup.h). */
#include "regroup.h"

#include <stdlib.h>
#include <string.h>

#define PP_REGROUP_NODE_LIMIT 200000

/* Search for the packing into at most maxb bins that keeps most pairs of items
 * with the same label together: depth-first over the items, largest first, each
 * into a bin it fits (most agreeing bins first) or a new one, cut when what is
 * left cannot beat the best. */
typedef struct {
    const pp_care_item *items;
    const int *list, *prefer;
    int m, cap, maxb;
    int *order, *rest;          /* items by size, descending; the most agreement left from position k */
    int *load, *cur, *best;
    int nbins, score, best_score;
    long nodes;
} pf_ctx;

static int pf_gain(const pf_ctx *c, int k, int b)
{
    int i = c->order[k], g = 0;
    for (int q = 0; q < k && c->prefer[c->list[i]]; q++)
        g += c->cur[c->order[q]] == b && c->prefer[c->list[c->order[q]]] == c->prefer[c->list[i]];
    return g;
}

static void pf_dfs(pf_ctx *c, int k)
{
    if (++c->nodes > PP_REGROUP_NODE_LIMIT || c->score + c->rest[k] <= c->best_score)
        return;
    if (k == c->m) {
        c->best_score = c->score;
        memcpy(c->best, c->cur, (size_t)c->m * sizeof *c->best);
        return;
    }
    int i = c->order[k], size = c->items[c->list[i]].count;
    for (int want = k; want >= 0; want--) /* bins by agreement, most first */
        for (int b = 0; b < c->nbins; b++) {
            if (c->load[b] + size > c->cap || pf_gain(c, k, b) != want)
                continue;
            c->load[b] += size;
            c->cur[i] = b;
            c->score += want;
            pf_dfs(c, k + 1);
            c->score -= want;
            c->load[b] -= size;
        }
    if (c->nbins < c->maxb) {
        c->load[c->nbins++] = size;
        c->cur[i] = c->nbins - 1;
        pf_dfs(c, k + 1);
        c->nbins--;
    }
}

/* The search above into bin[]; returns the bins used, -1 when none was found
 * (or out of memory). */
static int preferred_search(const pp_care_item *items, const int *list, int m, const int *prefer, int cap, int maxb,
                            int *bin)
{
    pf_ctx c = { items, list, prefer, m, cap, maxb, NULL, NULL, NULL, NULL, NULL, 0, 0, -1, 0 };
    c.order = malloc((size_t)(m + 1) * sizeof *c.order);
    c.rest = calloc((size_t)(m + 2), sizeof *c.rest);
    c.load = malloc((size_t)(m + 1) * sizeof *c.load);
    c.cur = malloc((size_t)(m + 1) * sizeof *c.cur);
    c.best = malloc((size_t)(m + 1) * sizeof *c.best);
    int nb = -1;
    if (!c.order || !c.rest || !c.load || !c.cur || !c.best)
        goto out;
    for (int i = 0; i < m; i++)
        c.order[i] = i;
    for (int a = 1; a < m; a++) /* insertion sort: size descending, then position */
        for (int b = a; b > 0 && items[list[c.order[b - 1]]].count < items[list[c.order[b]]].count; b--) {
            int t = c.order[b];
            c.order[b] = c.order[b - 1];
            c.order[b - 1] = t;
        }
    for (int k = m - 1; k >= 0; k--) {
        int same = 0, i = c.order[k];
        for (int q = 0; q < k && prefer[list[i]]; q++)
            same += prefer[list[c.order[q]]] == prefer[list[i]];
        c.rest[k] = c.rest[k + 1] + same;
    }
    pf_dfs(&c, 0);
    if (c.best_score >= 0) {
        nb = 0;
        for (int i = 0; i < m; i++) {
            bin[i] = c.best[i];
            nb = bin[i] + 1 > nb ? bin[i] + 1 : nb;
        }
    }
out:
    free(c.order);
    free(c.rest);
    free(c.load);
    free(c.cur);
    free(c.best);
    return nb;
}

/* Puts the items without a bin (bin -1), largest first, into the first of the nb
 * open bins (load >= 0; -1: closed) with room, else into a new one; returns the
 * bins there are then. */
static int fit_largest(const pp_care_item *items, const int *list, int m, int cap, int *bin, int *load, int nb)
{
    for (;;) {
        int i = -1;
        for (int j = 0; j < m; j++)
            if (bin[j] < 0 && (i < 0 || items[list[j]].count > items[list[i]].count))
                i = j;
        if (i < 0)
            return nb;
        int b = 0;
        while (b < nb && (load[b] < 0 || load[b] + items[list[i]].count > cap))
            b++;
        if (b == nb)
            load[nb++] = 0;
        load[b] += items[list[i]].count;
        bin[i] = b;
    }
}

/* Frees the items of the nfree least loaded bins and puts them back largest
 * first, into the room the other bins have or new bins; renumbers the bins.
 * Returns the bins used. */
static int repack_smallest(const pp_care_item *items, const int *list, int m, int cap, int nb, int nfree, int *bin,
                           int *load)
{
    for (int f = 0; f < nfree; f++) {
        int b = -1;
        for (int q = 0; q < nb; q++)
            if (load[q] >= 0 && (b < 0 || load[q] < load[b]))
                b = q;
        for (int i = 0; i < m; i++)
            if (bin[i] == b)
                bin[i] = -1;
        load[b] = -1; /* closed */
    }
    nb = fit_largest(items, list, m, cap, bin, load, nb);
    int used = 0, *map = load + nb; /* load has room for 4m bins: nb <= 2m, and the map */
    for (int b = 0; b < nb; b++)
        map[b] = -1;
    for (int i = 0; i < m; i++) {
        if (map[bin[i]] < 0)
            map[bin[i]] = used++;
        bin[i] = map[bin[i]];
    }
    for (int b = 0; b < used; b++)
        load[b] = 0;
    for (int i = 0; i < m; i++)
        load[bin[i]] += items[list[i]].count;
    return used;
}

/* The steps of regroup.h, cheapest first. */
int pp_regroup_bins(const pp_care_item *items, const int *list, int m, const int *prefer, int cap, int maxb, int *bin,
                    int *load)
{
    int nb = 0, any = 0;
    for (int i = 0; i < m; i++) {
        bin[i] = -1;
        for (int j = 0; j < i && prefer[list[i]] && bin[i] < 0; j++)
            if (prefer[list[j]] == prefer[list[i]])
                bin[i] = bin[j];
        if (bin[i] < 0 && prefer[list[i]]) {
            load[nb] = 0;
            bin[i] = nb++;
        }
        any |= prefer[list[i]] != 0;
        if (bin[i] >= 0)
            load[bin[i]] += items[list[i]].count;
    }
    if (!any)
        return -1;
    for (int b = 0; b < nb; b++)
        while (load[b] > cap) { /* the class that grew stays; the smallest ones move */
            int out = -1;
            for (int i = 0; i < m; i++)
                if (bin[i] == b && (out < 0 || items[list[i]].count < items[list[out]].count))
                    out = i;
            load[b] -= items[list[out]].count;
            bin[out] = -1;
        }
    nb = fit_largest(items, list, m, cap, bin, load, nb);
    int *keep = nb > maxb ? malloc((size_t)(m + 1) * sizeof *keep) : NULL, *kload = NULL;
    if (keep && (kload = malloc((size_t)(4 * m + 4) * sizeof *kload))) { /* bins: at most 2m, and as many for the map */
        for (int nfree = 1; nfree <= nb && nb > maxb; nfree++) {
            memcpy(keep, bin, (size_t)m * sizeof *bin);
            memcpy(kload, load, (size_t)nb * sizeof *load);
            int got = repack_smallest(items, list, m, cap, nb, nfree, keep, kload);
            if (got <= maxb) {
                memcpy(bin, keep, (size_t)m * sizeof *bin);
                memcpy(load, kload, (size_t)got * sizeof *load);
                nb = got;
            }
        }
    }
    free(keep);
    free(kload);
    if (nb > maxb) {
        if ((nb = preferred_search(items, list, m, prefer, cap, maxb, bin)) < 0)
            return -1;
        for (int b = 0; b < nb; b++)
            load[b] = 0;
        for (int i = 0; i < m; i++)
            load[bin[i]] += items[list[i]].count;
    }
    return nb;
}

