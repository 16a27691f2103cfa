/* grid.c - the index behind the week grids (see grid.h).  A school of 80 classes
 * and 250 staff costs three sorts of a few thousand entries. */
#include "grid.h"

#include <stdlib.h>
#include <string.h>

static int cmp_entry(const void *a, const void *b)
{
    const pp_grid_entry *x = a, *y = b;
    const int kx[] = { x->owner, x->period, x->day, x->rank, x->activity, x->group };
    const int ky[] = { y->owner, y->period, y->day, y->rank, y->activity, y->group };
    for (int i = 0; i < 6; i++)
        if (kx[i] != ky[i])
            return kx[i] < ky[i] ? -1 : 1;
    return 0;
}

static int group_ok(const pp_school *s, const pp_group *g)
{
    return g->activity >= 0 && g->activity < s->nactivities && g->period >= 0 && g->period < s->nperiods &&
           g->day >= 0 && g->day < PP_DAYS;
}

static pp_grid_entry make_entry(const pp_school *s, const pp_group *g, int gi, int owner, int count)
{
    return (pp_grid_entry){ owner, g->period, g->day, pp_activity_is_care(&s->activities[g->activity]) ? 0 : 1,
                            g->activity, gi, count };
}

static void add(pp_grid *g, pp_grid_mode m, pp_grid_entry e)
{
    g->by[m][g->n[m]++] = e;
}

static int build_index(pp_grid *gr, const pp_school *s, const pp_plan *p)
{
    size_t n[PP_GRID_MODES] = { 0, 0, 0 };
    for (int i = 0; i < p->ngroups; i++) {
        n[PP_GRID_CLASS] += (size_t)p->groups[i].nclasses;
        n[PP_GRID_VENUE]++;
        n[PP_GRID_STAFF] += (size_t)p->groups[i].nstaff;
    }
    int *per_class = calloc((size_t)s->nclasses + 1, sizeof *per_class);
    for (int m = 0; m < PP_GRID_MODES; m++)
        gr->by[m] = malloc((n[m] + 1) * sizeof(pp_grid_entry));
    if (!per_class || !gr->by[0] || !gr->by[1] || !gr->by[2]) {
        free(per_class);
        return -1;
    }
    for (int i = 0; i < p->ngroups; i++) {
        const pp_group *g = &p->groups[i];
        if (!group_ok(s, g))
            continue;
        for (int j = 0; j < g->nstudents; j++)
            if (g->students[j] >= 0 && g->students[j] < s->nstudents)
                per_class[s->students[g->students[j]].cls]++;
        for (int j = 0; j < g->nclasses; j++) {
            add(gr, PP_GRID_CLASS, make_entry(s, g, i, g->classes[j], per_class[g->classes[j]]));
            per_class[g->classes[j]] = 0;
        }
        if (g->venue >= 0 && g->venue < s->nvenues)
            add(gr, PP_GRID_VENUE, make_entry(s, g, i, g->venue, g->nstudents));
        for (int j = 0; j < g->nstaff; j++)
            if (g->staff[j] >= 0 && g->staff[j] < s->nstaff)
                add(gr, PP_GRID_STAFF, make_entry(s, g, i, g->staff[j], g->nstudents));
    }
    free(per_class);
    for (int m = 0; m < PP_GRID_MODES; m++)
        qsort(gr->by[m], (size_t)gr->n[m], sizeof(pp_grid_entry), cmp_entry);
    return 0;
}

static int build_counts(pp_grid *g, const pp_school *s, const pp_plan *p)
{
    size_t n = (size_t)(s->nclasses > 0 ? s->nclasses : 1) * PP_DAYS * (size_t)(s->nperiods > 0 ? s->nperiods : 1);
    g->stay = calloc(n, sizeof *g->stay);
    g->unserved = calloc(n, sizeof *g->unserved);
    if (!g->stay || !g->unserved)
        return -1;
    for (int i = 0; i < s->nstudents; i++) {
        const pp_student *st = &s->students[i];
        if (st->cls < 0 || st->cls >= s->nclasses)
            continue;
        for (int d = 0; d < PP_DAYS; d++)
            for (int pe = 0; pe < s->nperiods; pe++)
                if (st->stay[d] & (1u << pe))
                    g->stay[PP_GRID_CDP(s, st->cls, d, pe)]++;
    }
    for (int u = 0; u < p->nunserved; u++) {
        const pp_unserved *x = &p->unserved[u];
        if (x->student < 0 || x->student >= s->nstudents || x->day < 0 || x->day >= PP_DAYS || x->period < 0 ||
            x->period >= s->nperiods)
            continue;
        int c = s->students[x->student].cls;
        if (c >= 0 && c < s->nclasses)
            g->unserved[PP_GRID_CDP(s, c, x->day, x->period)]++;
    }
    return 0;
}

int *pp_grid_class_order(const pp_school *s)
{
    int *order = malloc((size_t)(s->nclasses > 0 ? s->nclasses : 1) * sizeof *order);
    if (!order)
        return NULL;
    int k = 0;
    for (int lv = 0; lv <= PP_MAX_GRADE; lv++) /* grades ascending; a class keeps its place within its grade */
        for (int c = 0; c < s->nclasses; c++)
            if (s->classes[c].grade == lv)
                order[k++] = c;
    for (int c = 0; c < s->nclasses; c++)
        if (s->classes[c].grade < 0 || s->classes[c].grade > PP_MAX_GRADE)
            order[k++] = c;
    return order;
}

void pp_grid_free(pp_grid *g)
{
    for (int m = 0; m < PP_GRID_MODES; m++)
        free(g->by[m]);
    free(g->stay);
    free(g->unserved);
    free(g->class_order);
    memset(g, 0, sizeof *g);
}

int pp_grid_build(pp_grid *g, const pp_school *s, const pp_plan *p)
{
    memset(g, 0, sizeof *g);
    if (build_index(g, s, p) || build_counts(g, s, p) || !(g->class_order = pp_grid_class_order(s))) {
        pp_grid_free(g);
        return -1;
    }
    return 0;
}

void pp_grid_owner_range(const pp_grid *g, pp_grid_mode m, int owner, int *lo, int *hi)
{
    const pp_grid_entry *e = g->by[m];
    int a = 0, b = g->n[m];
    while (a < b) { /* first entry with owner >= owner */
        int mid = (a + b) / 2;
        if (e[mid].owner < owner)
            a = mid + 1;
        else
            b = mid;
    }
    *lo = a;
    while (a < g->n[m] && e[a].owner == owner)
        a++;
    *hi = a;
}

uint32_t pp_grid_used_periods(const pp_grid *g, pp_grid_mode m, int lo, int hi)
{
    uint32_t mask = 0;
    for (int i = lo; i < hi; i++)
        mask |= 1u << g->by[m][i].period;
    return mask;
}

uint32_t pp_grid_class_rows(const pp_grid *g, const pp_school *s, int cls, int lo, int hi)
{
    uint32_t rows = pp_grid_used_periods(g, PP_GRID_CLASS, lo, hi);
    int grade = s->classes[cls].grade;
    for (int pe = 0; pe < s->nperiods; pe++)
        if (grade >= 0 && grade < 32 && (s->periods[pe].grade_mask & (1u << grade)) &&
            (s->periods[pe].days & s->day_mask))
            rows |= 1u << pe;
    return rows;
}

int pp_grid_runs(const pp_school *s, int pe, int d, int grade)
{
    const pp_period *per = &s->periods[pe];
    return (per->days & (1u << d)) && (grade < 0 || (grade < 32 && (per->grade_mask & (1u << grade))));
}

int pp_grid_class_size(const pp_school *s, int cls)
{
    int n = 0;
    for (int st = 0; st < s->nstudents; st++)
        n += s->students[st].cls == cls;
    return n;
}
