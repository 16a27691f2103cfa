/* fullmodel_read.c - a solver's values of the full model back into a plan.
 *
 * The values say which sections open in which venue classes and who attends,
 * which class's care goes to which host, how many students are left unserved,
 * who leads what at each slot and who is on duty; the concrete venue of each group
 * (one of its class, free at every overlapping period), the split of a section's
 * takers into its groups and the staff of each group are then dealt here, as any
 * such choice keeps the rows.  Last comes the local repair for G6 and G7, which
 * the program leaves to optimality (a merge saves a group) or does not see (a swap
 * costs nothing). */
#include "fullmodel_int.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "solve.h"

/* ---------- values ------------------------------------------------------------------ */

int pp_full_solution_init(const pp_full *m, pp_full_solution *sol)
{
    memset(sol, 0, sizeof *sol);
    sol->objective = NAN;
    sol->x = calloc((size_t)glp_get_num_cols(m->lp) + 1, sizeof *sol->x);
    return sol->x ? 0 : -1;
}

void pp_full_solution_free(pp_full_solution *sol)
{
    free(sol->x);
    sol->x = NULL;
}

int pp_full_set(const pp_full *m, pp_full_solution *sol, const char *name, double value)
{
    int j = glp_find_col(m->lp, name);
    if (j <= 0)
        return -1;
    sol->x[j] = value;
    return 0;
}

double pp_full_objective(const pp_full *m, const pp_full_solution *sol)
{
    double z = glp_get_obj_coef(m->lp, 0);
    for (int j = 1; j <= glp_get_num_cols(m->lp); j++)
        z += glp_get_obj_coef(m->lp, j) * sol->x[j];
    return z;
}

static int parse_num(const char *tok, double *v)
{
    char *end;
    errno = 0;
    *v = strtod(tok, &end);
    return errno || end == tok || *end ? -1 : 0;
}

/* CBC's first line: "Optimal - objective value 12.5", "Stopped on time - objective value ...". */
static int cbc_status(const char *line, pp_full_solution *sol)
{
    const char *dash = strstr(line, " - objective value ");
    if (!dash)
        return 0;
    size_t n = (size_t)(dash - line);
    snprintf(sol->status, sizeof sol->status, "%.*s", (int)(n < sizeof sol->status ? n : sizeof sol->status - 1), line);
    parse_num(dash + strlen(" - objective value "), &sol->objective);
    sol->optimal = !strncmp(line, "Optimal", 7);
    return 1;
}

/* One "name value" pair of any of the formats; returns 0, or -1 with a message. */
static int set_pair(const pp_full *m, pp_full_solution *sol, const char *path, long ln, const char *name,
                    const char *value, pp_diags *d)
{
    double v;
    if (parse_num(value, &v)) {
        pp_diags_add(d, path, ln, "value \"%s\" of column %s is not a number; expected a decimal", value, name);
        return -1;
    }
    if (pp_full_set(m, sol, name, v)) {
        pp_diags_add(d, path, ln, "column \"%s\" is not in the full model of this school; expected a solution of the LP "
                     "written by --write-full-lp for the same school file", name);
        return -1;
    }
    return 0;
}

int pp_full_read_solution(const pp_full *m, const char *path, pp_full_solution *sol, pp_diags *d)
{
    if (pp_full_solution_init(m, sol)) {
        pp_diags_add(d, NULL, 0, "out of memory while reading a solution");
        return -1;
    }
    FILE *f = fopen(path, "r");
    if (!f) {
        pp_diags_add(d, path, 0, "cannot read the solution: %s", strerror(errno));
        return -1;
    }
    char line[4096];
    long ln = 0, columns = -1;
    int bad = 0, cbc = 0, highs = 0, pairs = 0, in_cols = 0;
    while (fgets(line, sizeof line, f) && bad < 10) {
        ln++;
        line[strcspn(line, "\r\n")] = '\0';
        if (ln == 1 && cbc_status(line, sol)) {
            cbc = 1;
            if (strstr(sol->status, "nfeasible") || strstr(sol->status, "nbounded")) {
                pp_diags_add(d, path, 1, "the solver found no solution (%s); expected a solution file with values",
                             sol->status);
                bad++;
            }
            continue;
        }
        if (ln == 1 && !strcmp(line, "Model status"))
            highs = 1;
        char *tok[6];
        int nt = 0;
        for (char *p = strtok(line, " \t"); p && nt < 6; p = strtok(NULL, " \t"))
            tok[nt++] = p;
        if (!nt)
            continue;
        if (highs) {
            if (ln == 2)
                snprintf(sol->status, sizeof sol->status, "%s", tok[0]), sol->optimal = !strcmp(tok[0], "Optimal");
            if (!strcmp(tok[0], "Objective") && nt == 2)
                parse_num(tok[1], &sol->objective);
            if (nt == 3 && !strcmp(tok[0], "#") && !strcmp(tok[1], "Columns")) {
                columns = strtol(tok[2], NULL, 10);
                in_cols = columns > 0;
                continue;
            }
            if (nt >= 2 && !strcmp(tok[0], "#") && (!strcmp(tok[1], "Dual") || !strcmp(tok[1], "Basis")))
                break; /* the dual values repeat "# Columns": only the primal ones are the solution */
            if (tok[0][0] == '#')
                in_cols = 0;
            if (in_cols && nt >= 2) {
                bad += set_pair(m, sol, path, ln, tok[0], tok[1], d) != 0;
                pairs++;
                in_cols = pairs < columns;
            }
            continue;
        }
        if (cbc) { /* "[**] index name value [reduced cost]" */
            int o = !strcmp(tok[0], "**");
            if (nt - o < 3 || !isdigit((unsigned char)tok[o][0])) {
                pp_diags_add(d, path, ln, "expected \"index name value\" as CBC writes solutions");
                bad++;
                continue;
            }
            bad += set_pair(m, sol, path, ln, tok[o + 1], tok[o + 2], d) != 0;
            pairs++;
            continue;
        }
        if (tok[0][0] == '#')
            continue;
        if (nt != 2) {
            pp_diags_add(d, path, ln, "expected \"name value\" (or a CBC or HiGHS solution file)");
            bad++;
            continue;
        }
        bad += set_pair(m, sol, path, ln, tok[0], tok[1], d) != 0;
        pairs++;
    }
    fclose(f);
    if (!bad && !pairs && !cbc) {
        pp_diags_add(d, path, 0, "no values found; expected a CBC `solu` file, a HiGHS solution file or \"name value\" lines");
        bad++;
    }
    return bad ? -1 : 0;
}

/* ---------- working groups ------------------------------------------------------------ */

static int val(const rd *r, int j)
{
    return (int)floor(r->x[j] + 0.5);
}

static rg *new_group(rd *r, int act, int day, int period, int club, int vclass)
{
    if (r->ng == r->capg) {
        int cap = r->capg ? 2 * r->capg : 128;
        rg *g = realloc(r->g, (size_t)cap * sizeof *g);
        if (!g) {
            r->oom = 1;
            return NULL;
        }
        r->g = g;
        r->capg = cap;
    }
    rg *g = &r->g[r->ng++];
    *g = (rg){ act, day, period, club, 0, vclass, -1, 0, { 0 }, 0, 0, NULL };
    return g;
}

void pp_fm_put(rd *r, rg *g, int stu)
{
    if (r->oom)
        return;
    if (g->n == g->cap) {
        int cap = g->cap ? 2 * g->cap : 16;
        int *v = realloc(g->stu, (size_t)cap * sizeof *v);
        if (!v) {
            r->oom = 1;
            return;
        }
        g->stu = v;
        g->cap = cap;
    }
    g->stu[g->n++] = stu;
}

/* ---------- clubs ------------------------------------------------------------------ */

typedef struct {
    int stu, cls;
} member;

static int cmp_member(const void *x, const void *y)
{
    const member *a = x, *b = y;
    if (a->cls != b->cls)
        return a->cls < b->cls ? -1 : 1;
    return (a->stu > b->stu) - (a->stu < b->stu);
}

/* The groups of section k: its takers (classmates together) dealt into groups of
 * the venue classes chosen, each at least the minimum and within its cap. */
static int club_section(rd *r, int k, const int *nv, const unsigned char *takes, unsigned char *busy)
{
    const pp_full *m = r->m;
    const pp_school *s = r->s;
    const fm_section *sec = &m->sec[k];
    int ngr = 0, nmem = 0;
    for (int v = 0; v < m->nvc; v++)
        ngr += nv[v];
    if (!ngr)
        return 0;
    member *mem = malloc(((size_t)m->nedge + 1) * sizeof *mem);
    int *cls = malloc(((size_t)ngr + 1) * sizeof *cls), *size = calloc((size_t)ngr + 1, sizeof *size);
    if (!mem || !cls || !size) {
        free(mem);
        free(cls);
        free(size);
        r->oom = 1;
        return -1;
    }
    for (int e = 0; e < m->nedge; e++)
        if (m->edge[e].sec == k && takes[e])
            mem[nmem++] = (member){ m->edge[e].stu, s->students[m->edge[e].stu].cls };
    qsort(mem, (size_t)nmem, sizeof *mem, cmp_member);
    int q = 0, room = 0;
    for (int v = m->nvc - 1; v >= 0; v--) /* larger classes were made first for equal types: any order is valid */
        for (int i = 0; i < nv[v]; i++)
            cls[q++] = v;
    for (int i = 0; i < ngr; i++) {
        int cap = m->vc[cls[i]].cap < sec->max ? m->vc[cls[i]].cap : sec->max;
        size[i] = sec->min;
        room += cap - sec->min;
    }
    int rest = nmem - ngr * sec->min, rc = 0;
    if (rest < 0 || rest > room) {
        pp_diags_add(r->d, NULL, 0, "the solution gives section %d (%s) %d groups and %d takers, which do not fit their "
                     "sizes; expected values that keep the program's rows", k, s->activities[sec->act].id, ngr, nmem);
        rc = -1;
    }
    while (rest > 0 && rc == 0) /* one at a time, round the groups with room, so sizes stay even */
        for (int i = 0; i < ngr && rest > 0; i++) {
            int cap = m->vc[cls[i]].cap < sec->max ? m->vc[cls[i]].cap : sec->max;
            if (size[i] < cap) {
                size[i]++;
                rest--;
            }
        }
    for (int i = 0, at = 0; i < ngr && rc == 0; i++) {
        for (int t = 0; t < sec->nslots; t++) {
            rg *g = new_group(r, sec->act, sec->slot[t] / m->np, sec->slot[t] % m->np, 1, cls[i]);
            for (int j = 0; g && j < size[i]; j++) {
                pp_fm_put(r, g, mem[at + j].stu);
                busy[(size_t)mem[at + j].stu * (size_t)m->nt + (size_t)sec->slot[t]] = 1;
            }
        }
        at += size[i];
    }
    free(mem);
    free(cls);
    free(size);
    return r->oom ? -1 : rc;
}

/* ---------- care ------------------------------------------------------------------ */

typedef struct {
    int *host;         /* [t * nc + k]: host of class k's care, -1 none */
    int *hvc;          /* [t * nc + h]: venue class of h's group, -1 */
    int *un, *up;      /* [t * nc + k] */
} care_vals;

/* The students of class k asking for slot t and not at a club, less those the
 * solution leaves unserved (the last ones, priority and others apart). */
static int care_students(rd *r, pp_plan *plan, const care_vals *cv, int t, int k, const unsigned char *busy, int *out)
{
    const pp_full *m = r->m;
    const pp_school *s = r->s;
    int nc = s->nclasses, n = 0, d = t / m->np, p = t % m->np;
    int un = cv->un[t * nc + k], up = cv->up[t * nc + k];
    for (int i = s->nstudents - 1; i >= 0; i--) {
        if (s->students[i].cls != k || !pp_fm_asks(s, i, d, p) || busy[(size_t)i * (size_t)m->nt + (size_t)t])
            continue;
        int *left = s->students[i].priority ? &up : &un;
        if (*left > 0) {
            (*left)--;
            if (pp_plan_add_unserved(plan, i, d, p, "full model: no group (the program left this student unserved)"))
                r->oom = 1;
            continue;
        }
        out[n++] = i;
    }
    for (int a = 0, b = n - 1; a < b; a++, b--) { /* ascending */
        int tmp = out[a];
        out[a] = out[b];
        out[b] = tmp;
    }
    return n;
}

static int first_vclass(const pp_full *m, int act, int k, int d, int p)
{
    int type = pp_fm_care_type(m, act, k);
    for (int v = 0; v < m->nvc; v++)
        if (pp_fm_vclass_ok(m, v, type, d, p))
            return v;
    return -1;
}

static void care_slot(rd *r, pp_plan *plan, const care_vals *cv, int t, const unsigned char *busy, int *buf)
{
    const pp_full *m = r->m;
    const pp_school *s = r->s;
    int nc = s->nclasses, d = t / m->np, p = t % m->np, act = s->periods[p].care;
    int *of_host = malloc(((size_t)nc + 1) * sizeof *of_host); /* group index; groups move as they grow */
    if (!of_host) {
        r->oom = 1;
        return;
    }
    for (int k = 0; k < nc; k++)
        of_host[k] = -1;
    for (int k = 0; k < nc && !r->oom; k++) {
        int n = care_students(r, plan, cv, t, k, busy, buf);
        if (!n)
            continue;
        if (act < 0) { /* no care activity: the program left them unserved; a stray value stays visible */
            for (int i = 0; i < n; i++)
                pp_plan_add_unserved(plan, buf[i], d, p, "full model: no care activity in this period");
            continue;
        }
        int h = cv->host[t * nc + k];
        if (h < 0)
            h = k; /* values outside the rows: the class stands alone, and the checker says what is wrong */
        if (of_host[h] < 0) {
            int v = cv->hvc[t * nc + h];
            if (!new_group(r, act, d, p, 0, v >= 0 ? v : first_vclass(m, act, h, d, p)))
                break;
            of_host[h] = r->ng - 1;
        }
        for (int i = 0; i < n; i++)
            pp_fm_put(r, &r->g[of_host[h]], buf[i]);
    }
    free(of_host);
}

/* ---------- venues ------------------------------------------------------------------ */

void pp_fm_venue_marks(const rd *r, vstate *vs)
{
    memset(vs->used, 0, ((size_t)r->s->nvenues * PP_DAYS + 1) * sizeof *vs->used);
    for (int i = 0; i < r->ng; i++)
        if (!r->g[i].dead && r->g[i].venue >= 0)
            vs->used[r->g[i].venue * PP_DAYS + r->g[i].day] |= 1u << r->g[i].period;
}

/* V1 as the checker reads it: the activity's type, or for care without one the
 * type of a member class's home room (any type when no member has a room). */
static int type_ok(const rd *r, const rg *g, int v)
{
    const pp_school *s = r->s;
    int want = s->activities[g->act].venue_type, t = s->venues[v].type;
    if (want >= 0)
        return t == want;
    if (g->club)
        return r->m->home_type < 0 || t == r->m->home_type;
    int any = 0;
    for (int i = 0; i < g->n; i++) {
        int room = s->classes[s->students[g->stu[i]].cls].room;
        if (room >= 0 && s->venues[room].type == t)
            return 1;
        any |= room >= 0;
    }
    return !any;
}

int pp_fm_venue_fits(const rd *r, const vstate *vs, const rg *g, int v, int size)
{
    const pp_venue *ve = &r->s->venues[v];
    return (ve->avail[g->day] & (1u << g->period)) && ve->capacity >= size &&
           !(vs->used[v * PP_DAYS + g->day] & vs->ov[g->period]) && type_ok(r, g, v);
}

/* A free venue for group g holding size students: its class first (a member's home
 * room first for care), then any that fits; -1 none. */
int pp_fm_pick_venue(const rd *r, const vstate *vs, const rg *g, int size)
{
    const pp_school *s = r->s;
    if (!g->club)
        for (int i = 0; i < g->n; i++) {
            int room = s->classes[s->students[g->stu[i]].cls].room;
            if (room >= 0 && pp_fm_venue_fits(r, vs, g, room, size) &&
                (g->vclass < 0 || r->m->vc[g->vclass].type == s->venues[room].type))
                return room;
        }
    if (g->vclass >= 0)
        for (int i = 0; i < r->m->vc[g->vclass].n; i++)
            if (pp_fm_venue_fits(r, vs, g, r->m->vc[g->vclass].venues[i], size))
                return r->m->vc[g->vclass].venues[i];
    for (int v = 0; v < s->nvenues; v++)
        if (pp_fm_venue_fits(r, vs, g, v, size))
            return v;
    return -1;
}

static int period_start(const pp_school *s, int p)
{
    int m = 24 * 60 + 1;
    for (int k = 0; k < s->nseasons && k < PP_MAX_SEASONS; k++)
        if (s->periods[p].start_min[k] >= 0 && s->periods[p].start_min[k] < m)
            m = s->periods[p].start_min[k];
    return m;
}

/* Per day in clock order, so a venue's class always has one free where the
 * program counted one (intervals are coloured greedily by start time). */
static void place_venues(rd *r, vstate *vs)
{
    const pp_school *s = r->s;
    int order[PP_MAX_PERIODS];
    for (int p = 0; p < s->nperiods; p++)
        order[p] = p;
    for (int a = 1; a < s->nperiods; a++)
        for (int b = a; b > 0 && period_start(s, order[b - 1]) > period_start(s, order[b]); b--) {
            int t = order[b];
            order[b] = order[b - 1];
            order[b - 1] = t;
        }
    pp_fm_venue_marks(r, vs);
    for (int d = 0; d < PP_DAYS; d++)
        for (int q = 0; q < s->nperiods; q++)
            for (int i = 0; i < r->ng; i++) {
                rg *g = &r->g[i];
                if (g->dead || g->day != d || g->period != order[q] || g->venue >= 0)
                    continue;
                g->venue = pp_fm_pick_venue(r, vs, g, g->n);
                if (g->venue >= 0)
                    vs->used[g->venue * PP_DAYS + d] |= 1u << g->period;
            }
}

/* ---------- staff ------------------------------------------------------------------ */

/* The staff the solution puts on activity a at slot t, dealt to its groups in order. */
static void deal_staff(rd *r, const int *ucol, int nu)
{
    const pp_full *m = r->m;
    const pp_school *s = r->s;
    for (int i = 0; i < r->ng; i++) {
        rg *g = &r->g[i];
        int t = g->day * m->np + g->period, need = s->activities[g->act].staff_per_group;
        /* ucol is in (slot, activity, staff) order: find this group's (slot, activity) */
        int lo = 0, hi = nu;
        while (lo < hi) {
            int mid = (lo + hi) / 2;
            const fm_col *c = &m->col[ucol[mid]];
            if (c->c < t || (c->c == t && c->b < g->act))
                lo = mid + 1;
            else
                hi = mid;
        }
        for (int k = lo; k < nu && g->nstaff < need && g->nstaff < 4; k++) {
            const fm_col *c = &m->col[ucol[k]];
            if (c->c != t || c->b != g->act)
                break;
            if (r->x[ucol[k]] > 0.5) {
                g->staff[g->nstaff++] = c->a;
                ((double *)r->x)[ucol[k]] = 0; /* taken: on a private copy of the values */
            }
        }
    }
}

/* ---------- the plan ---------------------------------------------------------------- */

static int read_care(rd *r, care_vals *cv)
{
    const pp_full *m = r->m;
    int nc = r->s->nclasses;
    size_t cells = (size_t)m->nt * (size_t)nc + 1;
    cv->host = malloc(cells * sizeof *cv->host);
    cv->hvc = malloc(cells * sizeof *cv->hvc);
    cv->un = calloc(cells, sizeof *cv->un);
    cv->up = calloc(cells, sizeof *cv->up);
    if (!cv->host || !cv->hvc || !cv->un || !cv->up)
        return -1;
    for (size_t i = 0; i < cells; i++)
        cv->host[i] = cv->hvc[i] = -1;
    for (int j = 1; j <= m->ncol; j++) {
        const fm_col *c = &m->col[j];
        int v = val(r, j);
        if (v <= 0)
            continue;
        size_t at = (size_t)c->c * nc + (size_t)c->a;
        switch (c->kind) {
        case FV_W: cv->host[at] = c->b; break;
        case FV_VC: cv->hvc[at] = c->b; break;
        case FV_UN: cv->un[at] = v; break;
        case FV_UP: cv->up[at] = v; break;
        default: break;
        }
    }
    return 0;
}

static void free_care(care_vals *cv)
{
    free(cv->host);
    free(cv->hvc);
    free(cv->un);
    free(cv->up);
}

static int build_groups(rd *r, pp_plan *plan)
{
    const pp_full *m = r->m;
    const pp_school *s = r->s;
    unsigned char *takes = calloc((size_t)m->nedge + 1, 1);
    unsigned char *busy = calloc((size_t)s->nstudents * (size_t)m->nt + 1, 1);
    int *nv = calloc((size_t)m->nsec * (size_t)m->nvc + 1, sizeof *nv);
    int *buf = malloc(((size_t)s->nstudents + 1) * sizeof *buf), rc = -1;
    care_vals cv = { 0 };
    if (!takes || !busy || !nv || !buf || read_care(r, &cv))
        goto out;
    for (int j = 1; j <= m->ncol; j++) {
        const fm_col *c = &m->col[j];
        if (c->kind == FV_X)
            takes[c->a] = val(r, j) > 0;
        else if (c->kind == FV_N)
            nv[c->a * m->nvc + c->b] = val(r, j) > 0 ? val(r, j) : 0;
    }
    for (int k = 0; k < m->nsec; k++)
        if (club_section(r, k, nv + (size_t)k * m->nvc, takes, busy))
            goto out;
    for (int t = 0; t < m->nt && !r->oom; t++)
        if (pp_fm_runs(s, t / m->np, t % m->np))
            care_slot(r, plan, &cv, t, busy, buf);
    rc = r->oom ? -1 : 0;
out:
    free(takes);
    free(busy);
    free(nv);
    free(buf);
    free_care(&cv);
    return rc;
}

static int set_duty(const rd *r, pp_plan *plan)
{
    const pp_full *m = r->m;
    int who[PP_DAYS][64], n[PP_DAYS] = { 0 };
    for (int j = 1; j <= m->ncol; j++)
        if (m->col[j].kind == FV_DL && val(r, j) > 0 && n[m->col[j].b] < 64)
            who[m->col[j].b][n[m->col[j].b]++] = m->col[j].a;
    for (int d = 0; d < PP_DAYS; d++)
        if (n[d] && pp_plan_set_duty(plan, d, who[d], n[d]))
            return -1;
    return 0;
}

static void set_stats(const pp_full *m, const pp_full_solution *sol, pp_plan *plan)
{
    pp_plan_stats *st = &plan->stats;
    pp_full_size(m, &st->rows, &st->cols, &st->int_cols);
    st->objective = pp_plan_cost(m->s, plan);
    st->ip_objective = pp_full_objective(m, sol);
    st->ip_bound = sol->optimal ? st->ip_objective : -INFINITY;
    st->bound = sol->optimal ? fmin(st->ip_objective, st->objective) : -INFINITY;
    st->gap = sol->optimal ? (st->objective - st->bound) / fmax(fabs(st->objective), 1e-9) : 1;
    st->first_feasible_seconds = -1;
    st->status = plan->nunserved ? PP_STATUS_PARTIAL : sol->optimal ? PP_STATUS_OPTIMAL : PP_STATUS_FEASIBLE;
}

int pp_full_plan(const pp_full *m, const pp_full_solution *sol, pp_plan **out, pp_diags *d)
{
    *out = NULL;
    const pp_school *s = m->s;
    int nc = glp_get_num_cols(m->lp), nu = 0;
    double *x = malloc(((size_t)nc + 1) * sizeof *x);
    int *ucol = malloc(((size_t)nc + 1) * sizeof *ucol);
    vstate vs = { calloc((size_t)s->nvenues * PP_DAYS + 1, sizeof(uint32_t)), { 0 } };
    rd r = { .m = m, .s = s, .x = x, .d = d };
    pp_plan *plan = pp_plan_new();
    int rc = -1;
    if (!x || !ucol || !vs.used || !plan)
        goto oom;
    memcpy(x, sol->x, ((size_t)nc + 1) * sizeof *x);
    for (int p = 0; p < s->nperiods; p++)
        for (int q = 0; q < s->nperiods; q++)
            if (pp_periods_overlap(s, p, q))
                vs.ov[p] |= 1u << q;
    for (int j = 1; j <= nc; j++)
        if (m->col[j].kind == FV_U)
            ucol[nu++] = j;
    if (build_groups(&r, plan)) {
        if (r.oom)
            goto oom;
        goto out;
    }
    place_venues(&r, &vs);
    deal_staff(&r, ucol, nu);
    pp_fm_repair(&r, &vs);
    if (r.oom)
        goto oom;
    for (int i = 0; i < r.ng; i++) {
        const rg *g = &r.g[i];
        if (!g->dead && g->n > 0 &&
            pp_plan_add_group(plan, s, g->act, g->day, g->period, g->venue, g->staff, g->nstaff, g->stu, g->n) < 0)
            goto oom;
    }
    if (set_duty(&r, plan))
        goto oom;
    pp_plan_sort(plan, s);
    set_stats(m, sol, plan);
    *out = plan;
    plan = NULL;
    rc = 0;
    goto out;
oom:
    pp_diags_add(d, NULL, 0, "out of memory while reading the full model's solution");
out:
    for (int i = 0; i < r.ng; i++)
        free(r.g[i].stu);
    free(r.g);
    free(x);
    free(ucol);
    free(vs.used);
    pp_plan_free(plan);
    return rc;
}
