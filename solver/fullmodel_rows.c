/* fullmodel_rows.c - how the full model's columns and rows are written into the
 * GLPK problem: a column with what it stands for (fm_col), a row built term by
 * term and ended with its bounds (repeated columns summed), and bags that collect
 * terms under a key while the columns are made, to become rows later.  Kept apart
 * from fullmodel.c, which says which rows the rules need. */
#include "fullmodel_int.h"
#include "model/grow.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

void pp_fm_bag_add(bld *b, bag *g, int key, int col, double coef)
{
    if (b->oom || pp_grow((void **)&g->t, &g->cap, g->n + 1, sizeof *g->t)) {
        b->oom = 1;
        return;
    }
    g->t[g->n++] = (term){ key, col, coef };
    g->sorted = 0;
}

static int cmp_term(const void *x, const void *y)
{
    const term *a = x, *b = y;
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    return (a->col > b->col) - (a->col < b->col);
}

/* Terms of key: g->t[*from .. *to). */
void pp_fm_bag_range(bag *g, int key, int *from, int *to)
{
    if (!g->sorted) {
        if (g->n)
            qsort(g->t, (size_t)g->n, sizeof *g->t, cmp_term);
        g->sorted = 1;
    }
    int lo = 0, hi = g->n;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (g->t[mid].key < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    *from = lo;
    while (lo < g->n && g->t[lo].key == key)
        lo++;
    *to = lo;
}

static void name_col(glp_prob *lp, int j, const char *fmt, va_list ap)
{
    char name[128];
    vsnprintf(name, sizeof name, fmt, ap);
    glp_set_col_name(lp, j, name);
}

/* A new column; returns its index, 0 when out of memory. */
int pp_fm_col(bld *b, fm_kind kind, int a, int bb, int c, int type, double lo, double hi, double cost,
               const char *fmt, ...)
{
    pp_full *m = b->m;
    if (b->oom || pp_grow((void **)&m->col, &m->capcol, m->ncol + 2, sizeof *m->col)) {
        b->oom = 1;
        return 0;
    }
    int j = glp_add_cols(m->lp, 1);
    m->col[j] = (fm_col){ (unsigned char)kind, a, bb, c };
    m->ncol = j;
    va_list ap;
    va_start(ap, fmt);
    name_col(m->lp, j, fmt, ap);
    va_end(ap);
    glp_set_col_kind(m->lp, j, type);
    if (type != GLP_BV)
        glp_set_col_bnds(m->lp, j, lo == hi ? GLP_FX : isinf(hi) ? GLP_LO : GLP_DB, lo, hi);
    glp_set_obj_coef(m->lp, j, cost);
    m->nint += type != GLP_CV;
    return j;
}

void pp_fm_add(bld *b, int j, double coef)
{
    if (b->oom || j <= 0 || coef == 0)
        return;
    if (b->nr + 2 > b->capr) {
        int cap = b->capr ? 2 * b->capr : 64;
        int *ind = realloc(b->ind, (size_t)cap * sizeof *ind);
        if (ind)
            b->ind = ind;
        double *val = ind ? realloc(b->val, (size_t)cap * sizeof *val) : NULL;
        if (!val) {
            b->oom = 1;
            return;
        }
        b->val = val;
        b->capr = cap;
    }
    b->nr++;
    b->ind[b->nr] = j;
    b->val[b->nr] = coef;
}

static int cmp_int(const void *x, const void *y)
{
    int a = *(const int *)x, b = *(const int *)y;
    return (a > b) - (a < b);
}

/* Ends the row being built: type GLP_UP (<= hi), GLP_LO (>= lo), GLP_FX (= lo).
 * Repeated columns are summed. */
void pp_fm_row(bld *b, int type, double lo, double hi, const char *fmt, ...)
{
    int n = b->nr;
    b->nr = 0;
    if (b->oom || n == 0)
        return;
    /* sum repeated columns: sort pairs by column through an index */
    int *ord = malloc((size_t)n * 2 * sizeof *ord);
    if (!ord) {
        b->oom = 1;
        return;
    }
    for (int i = 0; i < n; i++) {
        ord[2 * i] = b->ind[i + 1];
        ord[2 * i + 1] = i + 1;
    }
    qsort(ord, (size_t)n, 2 * sizeof *ord, cmp_int);
    int *ind = malloc((size_t)(n + 1) * sizeof *ind);
    double *val = malloc((size_t)(n + 1) * sizeof *val);
    int k = 0;
    if (ind && val)
        for (int i = 0; i < n; i++) {
            double v = b->val[ord[2 * i + 1]];
            if (k > 0 && ind[k] == ord[2 * i])
                val[k] += v;
            else {
                ind[++k] = ord[2 * i];
                val[k] = v;
            }
        }
    else
        b->oom = 1;
    if (!b->oom) {
        glp_prob *lp = b->m->lp;
        int r = glp_add_rows(lp, 1);
        char name[128];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(name, sizeof name, fmt, ap);
        va_end(ap);
        glp_set_row_name(lp, r, name);
        glp_set_row_bnds(lp, r, type, lo, hi);
        glp_set_mat_row(lp, r, k, ind, val);
    }
    free(ord);
    free(ind);
    free(val);
}
