/* perturb.c - the charges of a re-plan against the published plan, and the
 * preferences the solver's stages ask for (see perturb.h).
 *
 * Built once per solve from the published plan: each student's entries (club
 * entries merged over the slots of one activity), which of them the student can
 * still keep, which published groups are forced to change, and the published
 * weekly club groups.  Every query afterwards is read-only. */
#include "perturb.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "staff.h"

typedef struct {
    int act;
    int care;               /* a care entry: one slot */
    int nslots;
    int slot[PP_DAYS];      /* ascending */
    int keep;               /* the student can still keep it */
} entry;

typedef struct {
    int act, grade;         /* grade of its students; -1 none */
    int nslots;
    int slot[PP_DAYS];
    int first;              /* a published group of it (the students' list) */
} weekly;

struct pp_perturb {
    const pp_school *s;
    const pp_plan *prev;
    int np, nt;
    int *first;             /* entries of student i: first[i] .. first[i+1]-1 */
    entry *ent;
    char *forced;           /* per published group */
    int nforced;
    int *club_m;            /* [act * nt + t]: published club groups there, not forced */
    int nclub_m;
    int nkeep_club;         /* kept-able club entries */
    int nforced_staff;      /* staff whose week must change (forced_staff) */
    char *seen;             /* per student: in the published plan (a group or unserved) */
    weekly *wk;
    int nwk;
};

static int slot_of(const pp_perturb *p, int d, int per)
{
    return d * p->np + per;
}

static int runs(const pp_school *s, int d, int p)
{
    return (s->day_mask & (1u << d)) && (s->periods[p].days & (1u << d));
}

int pp_perturb_asks(const pp_school *s, int i, int d, int p)
{
    const pp_student *st = &s->students[i];
    return runs(s, d, p) && (s->periods[p].grade_mask & (1u << s->classes[st->cls].grade)) &&
           (st->stay[d] & (1u << p));
}

static int chooses(const pp_student *st, int act)
{
    for (int r = 0; r < st->nchoices; r++)
        if (st->choices[r] == act)
            return 1;
    return 0;
}

static int entry_keepable(const pp_perturb *p, int i, const entry *e)
{
    const pp_school *s = p->s;
    const pp_activity *a = &s->activities[e->act];
    const pp_student *st = &s->students[i];
    if (e->care) {
        int d = e->slot[0] / p->np, per = e->slot[0] % p->np;
        return pp_perturb_asks(s, i, d, per) && s->periods[per].care == e->act;
    }
    if (pp_activity_is_care(a) || e->nslots != a->sessions || !chooses(st, e->act) ||
        !(a->grade_mask & (1u << s->classes[st->cls].grade)))
        return 0;
    for (int k = 0; k < e->nslots; k++) {
        int d = e->slot[k] / p->np, per = e->slot[k] % p->np;
        if (!pp_perturb_asks(s, i, d, per) || !(a->slots[d] & (1u << per)))
            return 0;
        for (int j = 0; j < k; j++)
            if (e->slot[j] / p->np == d)
                return 0; /* a section meets on distinct days */
    }
    return 1;
}

/* Whether published group g can no longer be continued unchanged by any plan. */
static int group_forced(const pp_school *s, const pp_group *g)
{
    const pp_activity *a = &s->activities[g->activity];
    int d = g->day, per = g->period;
    if (!runs(s, d, per) || g->venue < 0 || !(s->venues[g->venue].avail[d] & (1u << per)))
        return 1;
    if (pp_activity_is_care(a) ? s->periods[per].care != g->activity : !(a->slots[d] & (1u << per)))
        return 1;
    if (a->venue_type >= 0 && s->venues[g->venue].type != a->venue_type)
        return 1;
    if (g->nstaff != a->staff_per_group)
        return 1;
    for (int k = 0; k < g->nstaff; k++) {
        const pp_staff *m = &s->staff[g->staff[k]];
        if (!(m->avail[d] & (1u << per)))
            return 1;
        if (a->speciality >= 0 ? !pp_staff_has_spec(m, a->speciality) : m->type == PP_STAFF_EXTERNAL)
            return 1;
    }
    return 0;
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* Adds group g's slot to student i's entries (entries of i start at base). */
static int add_entry(pp_perturb *p, int *n, int base, const pp_group *g)
{
    const pp_activity *a = &p->s->activities[g->activity];
    int t = slot_of(p, g->day, g->period);
    if (!pp_activity_is_care(a))
        for (int k = base; k < *n; k++) {
            entry *e = &p->ent[k];
            if (e->care || e->act != g->activity)
                continue;
            if (e->nslots < PP_DAYS)
                e->slot[e->nslots++] = t;
            else
                e->keep = -1; /* more meetings than a week has days: cannot be a section */
            return 0;
        }
    p->ent[*n] = (entry){ .act = g->activity, .care = pp_activity_is_care(a), .nslots = 1, .slot = { t } };
    (*n)++;
    return 0;
}

static int build_entries(pp_perturb *p)
{
    const pp_school *s = p->s;
    const pp_plan *pv = p->prev;
    int ns = s->nstudents;
    int *cnt = calloc((size_t)ns + 1, sizeof *cnt), *gfirst = calloc((size_t)ns + 2, sizeof *gfirst);
    int *glist = NULL, rc = -1;
    long total = 0;
    if (!cnt || !gfirst)
        goto out;
    for (int g = 0; g < pv->ngroups; g++)
        for (int j = 0; j < pv->groups[g].nstudents; j++)
            cnt[pv->groups[g].students[j]]++;
    for (int i = 0; i < ns; i++) {
        gfirst[i + 1] = gfirst[i] + cnt[i];
        total += cnt[i];
    }
    glist = malloc((size_t)(total + 1) * sizeof *glist);
    p->ent = calloc((size_t)(total + 1), sizeof *p->ent);
    if (!glist || !p->ent)
        goto out;
    memset(cnt, 0, (size_t)ns * sizeof *cnt);
    for (int g = 0; g < pv->ngroups; g++)
        for (int j = 0; j < pv->groups[g].nstudents; j++) {
            int i = pv->groups[g].students[j];
            glist[gfirst[i] + cnt[i]++] = g;
            p->seen[i] = 1;
        }
    int n = 0;
    for (int i = 0; i < ns; i++) {
        p->first[i] = n;
        for (int q = gfirst[i]; q < gfirst[i + 1]; q++)
            add_entry(p, &n, p->first[i], &pv->groups[glist[q]]);
        for (int k = p->first[i]; k < n; k++) {
            entry *e = &p->ent[k];
            qsort(e->slot, (size_t)e->nslots, sizeof *e->slot, cmp_int);
            e->keep = e->keep < 0 ? 0 : entry_keepable(p, i, e);
            p->nkeep_club += e->keep && !e->care;
        }
    }
    p->first[ns] = n;
    for (int u = 0; u < pv->nunserved; u++)
        p->seen[pv->unserved[u].student] = 1;
    rc = 0;
out:
    free(cnt);
    free(gfirst);
    free(glist);
    return rc;
}

static int same_students(const pp_group *a, const pp_group *b)
{
    return a->nstudents == b->nstudents && !memcmp(a->students, b->students, (size_t)a->nstudents * sizeof(int));
}

/* Published club groups with the same activity and students are one weekly group. */
static int build_weekly(pp_perturb *p)
{
    const pp_school *s = p->s;
    const pp_plan *pv = p->prev;
    p->wk = calloc((size_t)pv->ngroups + 1, sizeof *p->wk);
    if (!p->wk)
        return -1;
    for (int g = 0; g < pv->ngroups; g++) {
        const pp_group *gr = &pv->groups[g];
        if (pp_activity_is_care(&s->activities[gr->activity]) || gr->nstudents == 0)
            continue;
        int w = 0;
        while (w < p->nwk && !(p->wk[w].act == gr->activity && same_students(&pv->groups[p->wk[w].first], gr)))
            w++;
        if (w == p->nwk) {
            const pp_activity *a = &s->activities[gr->activity];
            p->wk[p->nwk++] = (weekly){ gr->activity,
                                        a->tier == PP_TIER_SCHOOL ? -1 : s->classes[gr->classes[0]].grade, 0, { 0 }, g };
        }
        weekly *wk = &p->wk[w];
        if (wk->nslots < PP_DAYS)
            wk->slot[wk->nslots++] = slot_of(p, gr->day, gr->period);
        qsort(wk->slot, (size_t)wk->nslots, sizeof *wk->slot, cmp_int);
    }
    return 0;
}

/* Staff whose week changes in every plan: a published session of theirs can no
 * longer be held as it was (its venue is gone or not there then, they are not
 * there then, or its activity may no longer meet then), or a published duty day
 * they can no longer take. */
static int forced_staff(const pp_school *s, const pp_plan *pv)
{
    char *f = calloc((size_t)s->nstaff + 1, 1);
    int n = 0;
    if (!f)
        return 0; /* 0 is a valid (weaker) bound */
    for (int g = 0; g < pv->ngroups; g++) {
        const pp_group *o = &pv->groups[g];
        const pp_activity *a = &s->activities[o->activity];
        int place = !runs(s, o->day, o->period) || o->venue < 0 ||
                    !(s->venues[o->venue].avail[o->day] & (1u << o->period)) ||
                    (pp_activity_is_care(a) ? s->periods[o->period].care != o->activity
                                            : !(a->slots[o->day] & (1u << o->period)));
        for (int k = 0; k < o->nstaff; k++)
            f[o->staff[k]] |= place || !(s->staff[o->staff[k]].avail[o->day] & (1u << o->period));
    }
    for (int i = 0; i < pv->nduty; i++)
        for (int k = 0; k < pv->duty[i].nstaff; k++) {
            const pp_staff *m = &s->staff[pv->duty[i].staff[k]];
            f[pv->duty[i].staff[k]] |= !m->duty_leader || !m->avail[pv->duty[i].day];
        }
    for (int m = 0; m < s->nstaff; m++)
        n += f[m];
    free(f);
    return n;
}

pp_perturb *pp_perturb_new(const pp_school *s, const pp_plan *previous)
{
    pp_perturb *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->s = s;
    p->prev = previous;
    p->np = s->nperiods;
    p->nt = PP_DAYS * s->nperiods;
    p->first = calloc((size_t)s->nstudents + 1, sizeof *p->first);
    p->seen = calloc((size_t)s->nstudents + 1, 1);
    p->forced = calloc((size_t)previous->ngroups + 1, 1);
    p->club_m = calloc((size_t)s->nactivities * (size_t)p->nt + 1, sizeof *p->club_m);
    if (!p->first || !p->seen || !p->forced || !p->club_m || build_entries(p) || build_weekly(p)) {
        pp_perturb_free(p);
        return NULL;
    }
    p->nforced_staff = forced_staff(s, previous);
    for (int g = 0; g < previous->ngroups; g++) {
        const pp_group *gr = &previous->groups[g];
        p->forced[g] = (char)group_forced(s, gr);
        p->nforced += p->forced[g];
        if (!p->forced[g] && !pp_activity_is_care(&s->activities[gr->activity])) {
            p->club_m[gr->activity * p->nt + slot_of(p, gr->day, gr->period)]++;
            p->nclub_m++;
        }
    }
    return p;
}

void pp_perturb_free(pp_perturb *p)
{
    if (!p)
        return;
    free(p->first);
    free(p->ent);
    free(p->seen);
    free(p->forced);
    free(p->club_m);
    free(p->wk);
    free(p);
}

/* ---------- the club program ---------------------------------------------------- */

static int same_slots(const int *a, int na, const int *b, int nb)
{
    if (na != nb)
        return 0;
    for (int k = 0; k < na; k++) { /* b may be unsorted (a section's pattern is in day order) */
        int found = 0;
        for (int j = 0; j < nb && !found; j++)
            found = a[k] == b[j];
        if (!found)
            return 0;
    }
    return 1;
}

int pp_perturb_keeps(const pp_perturb *p, int stu, int act, const int *slots, int n)
{
    for (int k = p->first[stu]; k < p->first[stu + 1]; k++) {
        const entry *e = &p->ent[k];
        if (!e->care && e->keep && e->act == act && same_slots(e->slot, e->nslots, slots, n))
            return 1;
    }
    return 0;
}

double pp_perturb_edge_cost(const pp_perturb *p, int stu, int act, const int *slots, int n)
{
    double w = p->s->policy.w_moved, c = 0;
    for (int k = p->first[stu]; k < p->first[stu + 1]; k++) {
        const entry *e = &p->ent[k];
        if (!e->keep)
            continue;
        if (!e->care && e->act == act && same_slots(e->slot, e->nslots, slots, n))
            c -= w;
        for (int j = 0; e->care && j < n; j++)
            c += w * (slots[j] == e->slot[0]);
    }
    return c;
}

double pp_perturb_constant(const pp_perturb *p)
{
    const pp_policy *pol = &p->s->policy;
    return pol->w_moved * p->nkeep_club + pol->w_group_changed * (p->nforced + p->nclub_m) +
           pol->w_staff_changed * p->nforced_staff;
}

int pp_perturb_club_groups(const pp_perturb *p, int act, int t)
{
    return act >= 0 && act < p->s->nactivities && t >= 0 && t < p->nt ? p->club_m[act * p->nt + t] : 0;
}

int pp_perturb_weekly_groups(const pp_perturb *p, int act, const int *slots, int n, int grade)
{
    int m = 0;
    for (int w = 0; w < p->nwk; w++)
        m += p->wk[w].act == act && (grade <= 0 || p->wk[w].grade == grade) &&
             same_slots(p->wk[w].slot, p->wk[w].nslots, slots, n);
    return m;
}

/* ---------- continuing published groups --------------------------------------- */

int pp_perturb_care_group(const pp_perturb *p, int cls, int day, int period)
{
    for (int g = 0; g < p->prev->ngroups; g++) {
        const pp_group *o = &p->prev->groups[g];
        if (o->day != day || o->period != period || !pp_activity_is_care(&p->s->activities[o->activity]))
            continue;
        for (int k = 0; k < o->nclasses; k++)
            if (o->classes[k] == cls)
                return g;
    }
    return -1;
}

const pp_group *pp_perturb_group(const pp_perturb *p, int g)
{
    return g >= 0 && g < p->prev->ngroups ? &p->prev->groups[g] : NULL;
}

static int shared(const int *a, int na, const int *b, int nb)
{
    int n = 0;
    for (int i = 0, j = 0; i < na && j < nb;) { /* both ascending */
        if (a[i] == b[j]) {
            n++;
            i++;
            j++;
        } else if (a[i] < b[j])
            i++;
        else
            j++;
    }
    return n;
}

typedef struct {
    int score, i, g;
} pair;

static int cmp_pair(const void *a, const void *b)
{
    const pair *x = a, *y = b;
    if (x->score != y->score)
        return y->score - x->score;
    if (x->i != y->i)
        return x->i - y->i;
    return x->g - y->g;
}

/* Greedy matching of new items to published candidates: pairs by score, most
 * first; then items left without a partner take the candidates left, in order. */
static int match(int n, int m, const int *cand, int (*score)(void *, int, int), int (*compatible)(void *, int, int),
                 void *ctx, int *out)
{
    pair *pr = malloc((size_t)n * (size_t)m * sizeof *pr + 1);
    char *taken = calloc((size_t)m + 1, 1);
    if (!pr || !taken) {
        free(pr);
        free(taken);
        return -1;
    }
    int np = 0;
    for (int i = 0; i < n; i++) {
        out[i] = -1;
        for (int j = 0; j < m; j++)
            if (compatible(ctx, i, cand[j])) {
                int sc = score(ctx, i, cand[j]);
                if (sc > 0)
                    pr[np++] = (pair){ sc, i, j };
            }
    }
    qsort(pr, (size_t)np, sizeof *pr, cmp_pair);
    for (int q = 0; q < np; q++)
        if (out[pr[q].i] < 0 && !taken[pr[q].g]) {
            out[pr[q].i] = cand[pr[q].g];
            taken[pr[q].g] = 1;
        }
    for (int i = 0; i < n; i++)
        for (int j = 0; j < m && out[i] < 0; j++)
            if (!taken[j] && compatible(ctx, i, cand[j])) {
                out[i] = cand[j];
                taken[j] = 1;
            }
    free(pr);
    free(taken);
    return 0;
}

typedef struct {
    const pp_perturb *p;
    const int *activity;
    const int *const *students;
    const int *nstudents;
} slot_ctx;

static int slot_score(void *ctx, int i, int g)
{
    slot_ctx *c = ctx;
    const pp_group *pg = &c->p->prev->groups[g];
    return shared(c->students[i], c->nstudents[i], pg->students, pg->nstudents);
}

static int slot_compatible(void *ctx, int i, int g)
{
    slot_ctx *c = ctx;
    return c->p->prev->groups[g].activity == c->activity[i];
}

int pp_perturb_match_slot(const pp_perturb *p, int day, int period, int n, const int *activity,
                          const int *const *students, const int *nstudents, int *prev)
{
    int *cand = malloc((size_t)p->prev->ngroups * sizeof *cand + 1), m = 0;
    if (!cand)
        return -1;
    for (int g = 0; g < p->prev->ngroups; g++)
        if (p->prev->groups[g].day == day && p->prev->groups[g].period == period)
            cand[m++] = g;
    slot_ctx c = { p, activity, students, nstudents };
    int rc = match(n, m, cand, slot_score, slot_compatible, &c, prev);
    free(cand);
    return rc;
}

/* Parallel club groups: those of one activity, slots and grade. */
typedef struct {
    const pp_perturb *p;
    const pp_club_group *groups;
    const int *members;     /* indices into groups */
} deal_ctx;

static int deal_score(void *ctx, int i, int w)
{
    deal_ctx *c = ctx;
    const pp_club_group *g = &c->groups[c->members[i]];
    const pp_group *pg = &c->p->prev->groups[c->p->wk[w].first];
    int *sorted = malloc((size_t)g->nstudents * sizeof *sorted + 1);
    if (!sorted)
        return 0;
    memcpy(sorted, g->students, (size_t)g->nstudents * sizeof *sorted);
    qsort(sorted, (size_t)g->nstudents, sizeof *sorted, cmp_int);
    int n = shared(sorted, g->nstudents, pg->students, pg->nstudents);
    free(sorted);
    return n;
}

static int deal_compatible(void *ctx, int i, int w)
{
    (void)ctx;
    (void)i;
    (void)w;
    return 1;
}

static int club_grade(const pp_school *s, const pp_club_group *g)
{
    if (s->activities[g->activity].tier == PP_TIER_SCHOOL || g->nstudents == 0)
        return -1;
    return s->classes[s->students[g->students[0]].cls].grade;
}

static int same_section(const pp_school *s, const pp_club_group *a, const pp_club_group *b, int np)
{
    int sa[PP_DAYS], sb[PP_DAYS];
    for (int k = 0; k < a->nslots; k++)
        sa[k] = a->day[k] * np + a->period[k];
    for (int k = 0; k < b->nslots; k++)
        sb[k] = b->day[k] * np + b->period[k];
    return a->activity == b->activity && same_slots(sa, a->nslots, sb, b->nslots) && club_grade(s, a) == club_grade(s, b);
}

/* The published weekly group student stu was in among cand[0..m-1], or -1. */
static int weekly_of(const pp_perturb *p, const int *cand, int m, int stu)
{
    for (int j = 0; j < m; j++) {
        const pp_group *pg = &p->prev->groups[p->wk[cand[j]].first];
        if (bsearch(&stu, pg->students, (size_t)pg->nstudents, sizeof stu, cmp_int))
            return cand[j];
    }
    return -1;
}

/* Re-deals one set of n parallel groups; leaves them as they are when the sizes
 * would leave the activity's limits. */
static int redeal_set(const pp_perturb *p, pp_club_group *groups, const int *mem, int n)
{
    const pp_school *s = p->s;
    const pp_club_group *g0 = &groups[mem[0]];
    const pp_activity *a = &s->activities[g0->activity];
    int lo = a->min_size > 0 ? a->min_size : 1, hi = a->max_size < s->policy.group_max ? a->max_size : s->policy.group_max;
    int slots[PP_DAYS], total = 0, m = 0, rc = -1;
    for (int k = 0; k < g0->nslots; k++)
        slots[k] = g0->day[k] * p->np + g0->period[k];
    for (int i = 0; i < n; i++)
        total += groups[mem[i]].nstudents;
    int *cand = malloc((size_t)p->nwk * sizeof *cand + 1), *to = malloc((size_t)n * sizeof *to);
    int *stu = malloc((size_t)total * sizeof *stu + 1), *dest = malloc((size_t)total * sizeof *dest + 1);
    int *size = calloc((size_t)n, sizeof *size);
    if (!cand || !to || !stu || !dest || !size)
        goto out;
    for (int w = 0; w < p->nwk; w++)
        if (p->wk[w].act == g0->activity && same_slots(p->wk[w].slot, p->wk[w].nslots, slots, g0->nslots))
            cand[m++] = w;
    deal_ctx c = { p, groups, mem };
    if (match(n, m, cand, deal_score, deal_compatible, &c, to))
        goto out;
    /* who goes where: back to the group continuing theirs, else where they are */
    int q = 0;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < groups[mem[i]].nstudents; j++, q++) {
            stu[q] = groups[mem[i]].students[j];
            int w = weekly_of(p, cand, m, stu[q]);
            dest[q] = i;
            for (int k = 0; k < n && w >= 0; k++)
                if (to[k] == w)
                    dest[q] = k;
            size[dest[q]]++;
        }
    for (int i = 0; i < n; i++)
        if (size[i] < lo || size[i] > hi) {
            rc = 0; /* the dealing made in clubs.c stands */
            goto out;
        }
    for (int i = 0; i < n; i++) {
        pp_club_group *g = &groups[mem[i]];
        int *buf = malloc((size_t)size[i] * sizeof *buf + 1), k = 0;
        if (!buf)
            goto out;
        for (int j = 0; j < total; j++)
            if (dest[j] == i)
                buf[k++] = stu[j];
        free(g->students);
        g->students = buf;
        g->nstudents = k;
    }
    rc = 0;
out:
    free(cand);
    free(to);
    free(stu);
    free(dest);
    free(size);
    return rc;
}

int pp_perturb_redeal(const pp_perturb *p, pp_club_group *groups, int n)
{
    int *mem = malloc((size_t)n * sizeof *mem + 1);
    char *done = calloc((size_t)n + 1, 1);
    int rc = 0;
    if (!mem || !done)
        rc = -1;
    for (int i = 0; i < n && rc == 0; i++) {
        if (done[i])
            continue;
        int k = 0;
        for (int j = i; j < n; j++)
            if (!done[j] && same_section(p->s, &groups[i], &groups[j], p->np)) {
                mem[k++] = j;
                done[j] = 1;
            }
        if (k > 1)
            rc = redeal_set(p, groups, mem, k);
    }
    free(mem);
    free(done);
    return rc;
}

int pp_perturb_duty(const pp_perturb *p, int day, int *out, int max)
{
    const pp_school *s = p->s;
    for (int i = 0; i < p->prev->nduty; i++) {
        const pp_duty *du = &p->prev->duty[i];
        if (du->day != day || du->nstaff != s->policy.duty_leaders_per_day || du->nstaff > max)
            continue;
        for (int k = 0; k < du->nstaff; k++)
            if (!s->staff[du->staff[k]].duty_leader || !s->staff[du->staff[k]].avail[day])
                return 0;
        memcpy(out, du->staff, (size_t)du->nstaff * sizeof *out);
        return du->nstaff;
    }
    return 0;
}

/* ---------- charges -------------------------------------------------------------- */

/* [student * nt + t]: the plan's group there, -1 none. */
static int *slot_map(const pp_perturb *p, const pp_plan *plan)
{
    size_t n = (size_t)p->s->nstudents * (size_t)p->nt;
    int *at = malloc(n * sizeof *at + 1);
    if (!at)
        return NULL;
    for (size_t k = 0; k < n; k++)
        at[k] = -1;
    for (int g = 0; g < plan->ngroups; g++)
        for (int j = 0; j < plan->groups[g].nstudents; j++)
            at[(size_t)plan->groups[g].students[j] * p->nt + slot_of(p, plan->groups[g].day, plan->groups[g].period)] = g;
    return at;
}

static int entry_kept(const pp_perturb *p, const pp_plan *plan, const int *at, int i, const entry *e)
{
    const int *mine = at + (size_t)i * p->nt;
    if (e->care)
        return mine[e->slot[0]] >= 0 && plan->groups[mine[e->slot[0]]].activity == e->act;
    int n = 0;
    for (int t = 0; t < p->nt; t++)
        if (mine[t] >= 0 && plan->groups[mine[t]].activity == e->act) {
            int in = 0;
            for (int k = 0; k < e->nslots; k++)
                in |= e->slot[k] == t;
            if (!in)
                return 0;
            n++;
        }
    return n == e->nslots;
}

static int same_staff(const pp_group *a, const pp_group *b)
{
    if (a->nstaff != b->nstaff)
        return 0;
    for (int i = 0; i < a->nstaff; i++) {
        int found = 0;
        for (int j = 0; j < b->nstaff && !found; j++)
            found = a->staff[i] == b->staff[j];
        if (!found)
            return 0;
    }
    return 1;
}

/* Published groups continued unchanged: slot by slot, each new group continues
 * the published one pp_perturb_match_slot gives it (most shared students), and
 * it is unchanged when venue and staff are the same.  used[] marks the plan's
 * groups that continue one.  -1 when out of memory. */
static int continued(const pp_perturb *p, const pp_plan *plan, char *used)
{
    int n = plan->ngroups, kept = 0, rc = 0;
    int *act = malloc((size_t)n * sizeof *act + 1), *nst = malloc((size_t)n * sizeof *nst + 1);
    int *idx = malloc((size_t)n * sizeof *idx + 1), *prev = malloc((size_t)n * sizeof *prev + 1);
    const int **stu = malloc((size_t)n * sizeof *stu + 1);
    if (!act || !nst || !idx || !prev || !stu)
        rc = -1;
    for (int t = 0; t < p->nt && rc == 0; t++) {
        int m = 0;
        for (int h = 0; h < n; h++)
            if (slot_of(p, plan->groups[h].day, plan->groups[h].period) == t) {
                act[m] = plan->groups[h].activity;
                stu[m] = plan->groups[h].students;
                nst[m] = plan->groups[h].nstudents;
                idx[m++] = h;
            }
        if (m && pp_perturb_match_slot(p, t / p->np, t % p->np, m, act, (const int *const *)stu, nst, prev))
            rc = -1;
        for (int q = 0; q < m && rc == 0; q++) {
            if (prev[q] < 0)
                continue;
            used[idx[q]] = 1;
            const pp_group *o = &p->prev->groups[prev[q]], *g = &plan->groups[idx[q]];
            kept += !p->forced[prev[q]] && g->venue == o->venue && same_staff(g, o);
        }
    }
    free(act);
    free(nst);
    free(idx);
    free(prev);
    free(stu);
    return rc ? -1 : kept;
}

typedef struct {
    long long *key;
    int n;
} week;

static int cmp_ll(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;
    return (x > y) - (x < y);
}

/* Each staff member's week as sorted keys (activity, day, period, venue), then
 * the duty days; NULL when out of memory. */
static week *staff_weeks(const pp_school *s, const pp_plan *plan)
{
    week *w = calloc((size_t)s->nstaff + 1, sizeof *w);
    int *cnt = calloc((size_t)s->nstaff + 1, sizeof *cnt);
    if (!w || !cnt) {
        free(w);
        free(cnt);
        return NULL;
    }
    for (int g = 0; g < plan->ngroups; g++)
        for (int k = 0; k < plan->groups[g].nstaff; k++)
            cnt[plan->groups[g].staff[k]]++;
    for (int i = 0; i < plan->nduty; i++)
        for (int k = 0; k < plan->duty[i].nstaff; k++)
            cnt[plan->duty[i].staff[k]]++;
    int bad = 0;
    for (int m = 0; m < s->nstaff && !bad; m++)
        bad = !(w[m].key = malloc((size_t)cnt[m] * sizeof *w[m].key + 1));
    for (int g = 0; g < plan->ngroups && !bad; g++) {
        const pp_group *q = &plan->groups[g];
        long long key = (((long long)q->activity * PP_DAYS + q->day) * PP_MAX_PERIODS + q->period) * (s->nvenues + 1) +
                        q->venue + 1;
        for (int k = 0; k < q->nstaff; k++)
            w[q->staff[k]].key[w[q->staff[k]].n++] = key;
    }
    for (int i = 0; i < plan->nduty && !bad; i++)
        for (int k = 0; k < plan->duty[i].nstaff; k++)
            w[plan->duty[i].staff[k]].key[w[plan->duty[i].staff[k]].n++] = -1 - plan->duty[i].day;
    for (int m = 0; m < s->nstaff && !bad; m++)
        qsort(w[m].key, (size_t)w[m].n, sizeof *w[m].key, cmp_ll);
    free(cnt);
    if (bad) {
        for (int m = 0; m < s->nstaff; m++)
            free(w[m].key);
        free(w);
        return NULL;
    }
    return w;
}

static void weeks_free(week *w, int n)
{
    for (int m = 0; w && m < n; m++)
        free(w[m].key);
    free(w);
}

static int staff_changed(const pp_perturb *p, const pp_plan *plan)
{
    const pp_school *s = p->s;
    week *a = staff_weeks(s, p->prev), *b = staff_weeks(s, plan);
    int n = -1;
    if (a && b) {
        n = 0;
        for (int m = 0; m < s->nstaff; m++)
            n += a[m].n != b[m].n || memcmp(a[m].key, b[m].key, (size_t)a[m].n * sizeof *a[m].key);
    }
    weeks_free(a, s->nstaff);
    weeks_free(b, s->nstaff);
    return n;
}

int pp_perturb_count(const pp_perturb *p, const pp_plan *plan, pp_perturb_counts *c, unsigned char *moved)
{
    const pp_school *s = p->s;
    memset(c, 0, sizeof *c);
    int *at = slot_map(p, plan);
    char *used = calloc((size_t)plan->ngroups + 1, 1);
    int nstaff = at && used ? staff_changed(p, plan) : -1;
    if (nstaff < 0) {
        free(at);
        free(used);
        return -1;
    }
    c->students = s->nstudents;
    /* hit: in a published group of an activity and slot where a group was forced
     * to change (its room or coach is gone: its students compete for what is left) */
    unsigned char *hit = calloc((size_t)s->nstudents + 1, 1);
    if (!hit) {
        free(at);
        free(used);
        return -1;
    }
    for (int g = 0; g < p->prev->ngroups; g++) {
        const pp_group *o = &p->prev->groups[g];
        int near = 0;
        for (int h = 0; h < p->prev->ngroups && !near; h++) {
            const pp_group *f = &p->prev->groups[h];
            near = p->forced[h] && f->activity == o->activity && f->day == o->day && f->period == o->period;
        }
        for (int j = 0; near && j < o->nstudents; j++)
            hit[o->students[j]] = 1;
    }
    for (int i = 0; i < s->nstudents; i++) {
        int mv = 0, lost = 0, asked = 0;
        for (int k = p->first[i]; k < p->first[i + 1]; k++) {
            const entry *e = &p->ent[k];
            if (!e->keep)
                lost = 1;
            else if (!entry_kept(p, plan, at, i, e)) {
                c->moved_entries++;
                mv = 1;
            }
        }
        for (int t = 0; t < p->nt && !p->seen[i] && !asked; t++)
            asked = pp_perturb_asks(s, i, t / p->np, t % p->np);
        int affected = lost || hit[i] || (!p->seen[i] && asked);
        c->moved_students += mv;
        c->affected += affected;
        c->moved_unaffected += mv && !affected;
        if (moved)
            moved[i] = (unsigned char)mv;
    }
    int kept = continued(p, plan, used), fresh = 0;
    if (kept < 0) {
        free(at);
        free(used);
        free(hit);
        return -1;
    }
    for (int h = 0; h < plan->ngroups; h++)
        fresh += !used[h];
    c->groups_changed = p->prev->ngroups - kept;
    c->groups_forced = p->nforced;
    c->groups_new = fresh;
    c->staff_changed = nstaff;
    const pp_policy *pol = &s->policy;
    c->cost = pol->w_moved * c->moved_entries + pol->w_group_changed * c->groups_changed +
              pol->w_staff_changed * c->staff_changed;
    free(at);
    free(used);
    free(hit);
    return 0;
}

double pp_perturb_cost(const pp_perturb *p, const pp_plan *plan)
{
    pp_perturb_counts c;
    return pp_perturb_count(p, plan, &c, NULL) ? NAN : c.cost;
}
