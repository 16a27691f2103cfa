/* match.c - Kuhn's algorithm with candidate lists kept per left vertex as
 * growable arrays; the search is recursive in depth at most the number of left
 * vertices matched so far (a slot's groups: dozens). */
#include "match.h"

#include <stdlib.h>

struct pp_match {
    int nl, nr;
    int **cand, *ncand, *capcand;
    int *left_of;   /* right -> left or -1 */
    int *right_of;  /* left -> right or -1 */
    int *seen;      /* right -> stamp */
    int stamp;
};

pp_match *pp_match_new(int nleft, int nright)
{
    pp_match *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->nl = nleft;
    m->nr = nright;
    size_t nl = (size_t)nleft + 1, nr = (size_t)nright + 1;
    m->cand = calloc(nl, sizeof *m->cand);
    m->ncand = calloc(nl, sizeof *m->ncand);
    m->capcand = calloc(nl, sizeof *m->capcand);
    m->right_of = malloc(nl * sizeof *m->right_of);
    m->left_of = malloc(nr * sizeof *m->left_of);
    m->seen = calloc(nr, sizeof *m->seen);
    if (!m->cand || !m->ncand || !m->capcand || !m->right_of || !m->left_of || !m->seen) {
        pp_match_free(m);
        return NULL;
    }
    for (int i = 0; i < nleft; i++)
        m->right_of[i] = -1;
    for (int r = 0; r < nright; r++)
        m->left_of[r] = -1;
    return m;
}

void pp_match_free(pp_match *m)
{
    if (!m)
        return;
    for (int i = 0; m->cand && i < m->nl; i++)
        free(m->cand[i]);
    free(m->cand);
    free(m->ncand);
    free(m->capcand);
    free(m->right_of);
    free(m->left_of);
    free(m->seen);
    free(m);
}

int pp_match_add(pp_match *m, int l, int r)
{
    if (m->ncand[l] == m->capcand[l]) {
        int cap = m->capcand[l] ? 2 * m->capcand[l] : 8;
        int *c = realloc(m->cand[l], (size_t)cap * sizeof *c);
        if (!c)
            return -1;
        m->cand[l] = c;
        m->capcand[l] = cap;
    }
    m->cand[l][m->ncand[l]++] = r;
    return 0;
}

static int augment(pp_match *m, int l)
{
    for (int i = 0; i < m->ncand[l]; i++) {
        int r = m->cand[l][i];
        if (m->seen[r] == m->stamp)
            continue;
        m->seen[r] = m->stamp;
        if (m->left_of[r] < 0 || augment(m, m->left_of[r])) {
            m->left_of[r] = l;
            m->right_of[l] = r;
            return 1;
        }
    }
    return 0;
}

int pp_match_run(pp_match *m)
{
    int n = 0;
    for (int l = 0; l < m->nl; l++) {
        m->stamp++;
        n += augment(m, l);
    }
    return n;
}

int pp_match_of(const pp_match *m, int l)
{
    return m->right_of[l];
}
