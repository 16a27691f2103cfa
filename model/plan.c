/* plan.c - growable arrays in the plan's arena (old arrays are abandoned to the
 * arena on growth: plans are built once, so the waste is bounded by a factor 2). */
#include "plan.h"

#include <stdlib.h>
#include <string.h>

pp_plan *pp_plan_new(void)
{
    pp_plan *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->arena = pp_arena_new();
    if (!p->arena) {
        free(p);
        return NULL;
    }
    p->stats.first_feasible_seconds = -1;
    return p;
}

void pp_plan_free(pp_plan *p)
{
    if (!p)
        return;
    pp_arena_free(p->arena);
    free(p);
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static int *copy_ints(pp_arena *a, const int *v, int n)
{
    int *c = pp_arena_alloc(a, (size_t)(n > 0 ? n : 1) * sizeof *c);
    if (c && n > 0)
        memcpy(c, v, (size_t)n * sizeof *c);
    return c;
}

int pp_plan_add_group(pp_plan *p, const pp_school *s, int activity, int day, int period,
                      int venue, const int *staff, int nstaff, const int *students, int nstudents)
{
    if (p->ngroups == p->cap_groups) {
        int cap = p->cap_groups ? 2 * p->cap_groups : 64;
        pp_group *g = pp_arena_alloc(p->arena, (size_t)cap * sizeof *g);
        if (!g)
            return -1;
        if (p->ngroups)
            memcpy(g, p->groups, (size_t)p->ngroups * sizeof *g);
        p->groups = g;
        p->cap_groups = cap;
    }
    pp_group g = { .activity = activity, .day = day, .period = period, .venue = venue,
                   .nstaff = nstaff, .nstudents = nstudents };
    g.staff = copy_ints(p->arena, staff, nstaff);
    g.students = copy_ints(p->arena, students, nstudents);
    g.classes = pp_arena_alloc(p->arena, (size_t)(nstudents > 0 ? nstudents : 1) * sizeof(int));
    if (!g.staff || !g.students || !g.classes)
        return -1;
    qsort(g.students, (size_t)nstudents, sizeof(int), cmp_int);
    for (int i = 0; i < nstudents; i++)
        g.classes[i] = s->students[g.students[i]].cls;
    qsort(g.classes, (size_t)nstudents, sizeof(int), cmp_int);
    int k = 0;
    for (int i = 0; i < nstudents; i++)
        if (k == 0 || g.classes[k - 1] != g.classes[i])
            g.classes[k++] = g.classes[i];
    g.nclasses = k;
    p->groups[p->ngroups] = g;
    return p->ngroups++;
}

int pp_plan_add_unserved(pp_plan *p, int student, int day, int period, const char *reason)
{
    if (p->nunserved == p->cap_unserved) {
        int cap = p->cap_unserved ? 2 * p->cap_unserved : 64;
        pp_unserved *u = pp_arena_alloc(p->arena, (size_t)cap * sizeof *u);
        if (!u)
            return -1;
        if (p->nunserved)
            memcpy(u, p->unserved, (size_t)p->nunserved * sizeof *u);
        p->unserved = u;
        p->cap_unserved = cap;
    }
    char *r = pp_arena_strdup(p->arena, reason ? reason : "");
    if (!r)
        return -1;
    p->unserved[p->nunserved++] = (pp_unserved){ student, day, period, r };
    return 0;
}

int pp_plan_add_shortage(pp_plan *p, const pp_shortage *sh)
{
    if (p->nshortages == p->cap_shortages) {
        int cap = p->cap_shortages ? 2 * p->cap_shortages : 16;
        pp_shortage *v = pp_arena_alloc(p->arena, (size_t)cap * sizeof *v);
        if (!v)
            return -1;
        if (p->nshortages)
            memcpy(v, p->shortages, (size_t)p->nshortages * sizeof *v);
        p->shortages = v;
        p->cap_shortages = cap;
    }
    pp_shortage c = *sh;
    c.text = pp_arena_strdup(p->arena, sh->text ? sh->text : "");
    if (!c.text)
        return -1;
    p->shortages[p->nshortages++] = c;
    return 0;
}

int pp_plan_set_duty(pp_plan *p, int day, const int *staff, int nstaff)
{
    int *c = copy_ints(p->arena, staff, nstaff);
    if (!c)
        return -1;
    for (int i = 0; i < p->nduty; i++)
        if (p->duty[i].day == day) {
            p->duty[i].staff = c;
            p->duty[i].nstaff = nstaff;
            return 0;
        }
    if (p->nduty >= PP_DAYS)
        return -1;
    p->duty[p->nduty++] = (pp_duty){ day, nstaff, c };
    return 0;
}

/* qsort has no context argument in C11; the key is precomputed per group instead. */
typedef struct {
    long long key[4];
    pp_group g;
} keyed_group;

static int cmp_keyed(const void *a, const void *b)
{
    const keyed_group *x = a, *y = b;
    for (int i = 0; i < 4; i++)
        if (x->key[i] != y->key[i])
            return x->key[i] < y->key[i] ? -1 : 1;
    return 0;
}

void pp_plan_sort(pp_plan *p, const pp_school *s)
{
    (void)s;
    if (p->ngroups < 2)
        return;
    keyed_group *k = malloc((size_t)p->ngroups * sizeof *k);
    if (!k)
        return; /* order stays as built: still deterministic */
    for (int i = 0; i < p->ngroups; i++) {
        pp_group *g = &p->groups[i];
        k[i].g = *g;
        k[i].key[0] = (long long)g->day * 64 + g->period;
        k[i].key[1] = g->activity;
        k[i].key[2] = g->nclasses ? g->classes[0] : -1;
        k[i].key[3] = g->nstudents ? g->students[0] : -1;
    }
    qsort(k, (size_t)p->ngroups, sizeof *k, cmp_keyed);
    for (int i = 0; i < p->ngroups; i++)
        p->groups[i] = k[i].g;
    free(k);
    for (int i = 1; i < p->nduty; i++) /* few days: insertion sort */
        for (int j = i; j > 0 && p->duty[j - 1].day > p->duty[j].day; j--) {
            pp_duty t = p->duty[j];
            p->duty[j] = p->duty[j - 1];
            p->duty[j - 1] = t;
        }
}

int pp_group_grade_count(const pp_school *s, const pp_group *g)
{
    uint32_t m = 0;
    for (int i = 0; i < g->nclasses; i++)
        m |= 1u << s->classes[g->classes[i]].grade;
    return __builtin_popcount(m);
}

const char *pp_group_format_zh(const pp_school *s, const pp_group *g)
{
    const pp_activity *a = &s->activities[g->activity];
    if (!pp_activity_is_care(a))
        return g->nclasses > 1 ? "走班" : "本班";
    if (g->nclasses <= 1)
        return "本班";
    return pp_group_grade_count(s, g) > 1 ? "跨年级并班" : "年级内并班";
}

const char *pp_status_name(pp_status st)
{
    static const char *n[] = { "none", "optimal", "feasible", "partial" };
    return (unsigned)st < 4 ? n[st] : "none";
}
