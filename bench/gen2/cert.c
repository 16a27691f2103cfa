/* cert.c - the certificate that every student can be served, and the spare rooms,
 * staff and duty leaders built around it.
 *
 * The certificate is the plan without clubs or courses: at every slot each class's
 * staying students form one care group, whatever their number (RULES.md G2: the
 * class is the unit and is never split; group-max caps only groups that merge
 * classes, G1), in the class's home classroom, which holds the whole class
 * (build.c).  Spare classrooms are only the shape's margin.
 * Staff are assigned week-wide, the slots with the least slack first, each group the
 * care activity's staff-per-group people who are there, lead nothing at an
 * overlapping period that day and stay within max-sessions and max-minutes (minutes
 * of a period: its longest season).  Where nobody can, a teacher who was away is made
 * available (excused from training; never one away the whole day) or a volunteer or
 * retired teacher is added.  So the school admits the certificate by construction;
 * verify.c checks it against the written file.
 *
 * Tightening then takes away what the certificate does not use: at Friday's
 * afternoon slots (training) and, for stafftight shapes, a few other slots, every
 * care-capable person not in a certificate group there is made unavailable but 0 or
 * 1; tightload sets weekly limits to the certificate's load plus 0..1 session.  A
 * solver that lets clubs or courses take the people or rooms care needs then fails. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/gen2/gen2.h"

#define BIT(i) (1u << (i))

int g2_period_runs(const g2_school *s, int p, int day)
{
    return (s->days & BIT(day)) && (s->periods[p].days & BIT(day));
}

unsigned g2_running(const g2_school *s, int d)
{
    unsigned m = 0;
    for (int p = 0; p < s->nperiods; p++)
        if (g2_period_runs(s, p, d))
            m |= BIT(p);
    return m;
}

int g2_overlap(const g2_school *s, int p, int q)
{
    if (p == q)
        return 1;
    const g2_period *a = &s->periods[p], *b = &s->periods[q];
    for (int k = 0; k < G2_SEASONS; k++)
        if (a->start[k] >= 0 && b->start[k] >= 0 && a->start[k] < b->end[k] && b->start[k] < a->end[k])
            return 1;
    return 0;
}

int g2_period_len(const g2_period *p)
{
    int m = 0;
    for (int k = 0; k < G2_SEASONS; k++)
        if (p->start[k] >= 0 && p->end[k] - p->start[k] > m)
            m = p->end[k] - p->start[k];
    return m;
}

int g2_staff_add(g2_school *s, int type)
{
    if (s->nstaff == s->capstaff) {
        s->capstaff = s->capstaff ? 2 * s->capstaff : 64;
        s->staff = g2_grow(s->staff, sizeof *s->staff * (size_t)s->capstaff);
    }
    int n = 0;
    for (int i = 0; i < s->nstaff; i++)
        n += s->staff[i].type == type;
    g2_staff *m = &s->staff[s->nstaff];
    memset(m, 0, sizeof *m);
    m->type = type;
    static const char *const PREFIX[] = {"t%03d", "r%02d", "e%02d", "v%02d"};
    snprintf(m->id, sizeof m->id, PREFIX[type], n + 1);
    return s->nstaff++;
}

int g2_venue_add(g2_school *s, const char *type, int cap)
{
    if (s->nvenues == s->capvenues) {
        s->capvenues = s->capvenues ? 2 * s->capvenues : 64;
        s->venues = g2_grow(s->venues, sizeof *s->venues * (size_t)s->capvenues);
    }
    g2_venue *v = &s->venues[s->nvenues];
    memset(v, 0, sizeof *v);
    v->type = type;
    v->cap = cap;
    return s->nvenues++;
}

int g2_act_add(g2_school *s)
{
    if (s->nacts == s->capacts) {
        s->capacts = s->capacts ? 2 * s->capacts : 32;
        s->acts = g2_grow(s->acts, sizeof *s->acts * (size_t)s->capacts);
    }
    memset(&s->acts[s->nacts], 0, sizeof s->acts[0]);
    return s->nacts++;
}

const char *g2_keep(g2_school *s, const char *text)
{
    if (s->nowned == s->capowned) {
        s->capowned = s->capowned ? 2 * s->capowned : 32;
        s->owned = g2_grow(s->owned, sizeof *s->owned * (size_t)s->capowned);
    }
    return s->owned[s->nowned++] = g2_strdup(text);
}

void g2_school_free(g2_school *s)
{
    for (int i = 0; i < s->nowned; i++)
        free(s->owned[i]);
    free(s->owned);
    for (int i = 0; i < s->ngroups; i++)
        free(s->groups[i].students);
    free(s->groups);
    free(s->students);
    free(s->staff);
    free(s->acts);
    free(s->classes);
    free(s->venues);
}

/* ---------------------------------------------------------------- groups */

static void add_group(g2_school *s, const g2_group *g)
{
    if (s->ngroups == s->capgroups) {
        s->capgroups = s->capgroups ? 2 * s->capgroups : 256;
        s->groups = g2_grow(s->groups, sizeof *s->groups * (size_t)s->capgroups);
    }
    s->groups[s->ngroups++] = *g;
}

static void build_groups(g2_school *s)
{
    int *first = g2_alloc(sizeof *first * (size_t)(s->nclasses + 1));
    for (int i = s->nstudents - 1; i >= 0; i--)
        first[s->students[i].cls] = i;
    first[s->nclasses] = s->nstudents;
    int *stay = g2_alloc(sizeof *stay * (size_t)(s->nstudents + 1));
    for (int d = 0; d < G2_DAYS; d++)
        for (int p = 0; p < s->nperiods; p++) {
            if (!g2_period_runs(s, p, d))
                continue;
            for (int c = 0; c < s->nclasses; c++) {
                if (!(s->periods[p].grades & BIT(s->classes[c].grade)))
                    continue;
                int n = 0;
                for (int i = first[c]; i < s->nstudents && s->students[i].cls == c; i++)
                    if (s->students[i].stay[d] & BIT(p))
                        stay[n++] = i;
                if (!n)
                    continue;
                g2_group g = {.day = d, .period = p, .cls = c, .size = n, .venue = s->classes[c].room};
                g.students = g2_alloc(sizeof *g.students * (size_t)n);
                memcpy(g.students, stay, sizeof *g.students * (size_t)n);
                add_group(s, &g);
            }
        }
    free(stay);
    free(first);
}

/* Whether a person or room busy at the periods `busy` of a day is taken at p. */
static int conflicts(const g2_school *s, unsigned busy, int p)
{
    for (int q = 0; q < s->nperiods; q++)
        if ((busy & BIT(q)) && g2_overlap(s, p, q))
            return 1;
    return 0;
}

/* ---------------------------------------------------------------- rooms */

/* A classroom that is no class's home: it holds any merged care group (RULES.md G1:
 * at most group-max), so merging classes never needs a larger room. */
static void spare_room(g2_school *s, int n)
{
    int v = g2_venue_add(s, "classroom", s->gm + g2_range(&s->rng, 0, 10));
    snprintf(s->venues[v].id, sizeof s->venues[v].id, "rx%d", n);
    snprintf(s->venues[v].name, sizeof s->venues[v].name, "备用教室%d", n);
    s->venues[v].spare = 1;
}

/* Every certificate group meets in its class's home room (build_groups); the spare
 * classrooms are the shape's margin: none for roomtight, else 1..3 or 5. */
static void spare_rooms(g2_school *s)
{
    int margin = s->cfg.room_margin >= 0 ? s->cfg.room_margin : g2_range(&s->rng, 1, 3);
    for (int k = 0; k < margin; k++)
        spare_room(s, k + 1);
}

/* ---------------------------------------------------------------- staff */

typedef struct {
    int day, period, need, slack, first, n;
} slot;

static int can_lead(const g2_school *s, const g2_staff *m, int d, int p)
{
    int len = g2_period_len(&s->periods[p]);
    return m->type != G2_EXTERNAL && !conflicts(s, m->busy[d], p) && m->used_s < m->max_sessions &&
           m->used_m + len <= m->max_minutes;
}

static int in_group(const g2_group *g, int i)
{
    for (int k = 0; k < g->nstaff; k++)
        if (g->staff[k] == i)
            return 1;
    return 0;
}

/* Best care-capable person for group g: available (or, when flip, one who could be
 * made available), lightest relative load first, then the least widely available. */
static int best(const g2_school *s, const g2_group *g, const int *nav, int flip)
{
    int d = g->day, p = g->period, b = -1;
    long bk = 0;
    for (int i = 0; i < s->nstaff; i++) {
        const g2_staff *m = &s->staff[i];
        int there = (m->avail[d] & BIT(p)) != 0;
        if (flip ? (there || m->locked[d]) : !there)
            continue;
        if (in_group(g, i) || !can_lead(s, m, d, p))
            continue;
        long key = (long)m->used_m * 1000 / (m->max_minutes ? m->max_minutes : 1) * 10000 + nav[i];
        if (b < 0 || key < bk)
            b = i, bk = key;
    }
    return b;
}

static int new_helper(g2_school *s, int d, int p)
{
    int type = g2_chance(&s->rng, 500) ? G2_VOLUNTEER : G2_RETIRED;
    int i = g2_staff_add(s, type);
    g2_staff *m = &s->staff[i];
    g2_person(&s->rng, m->name, sizeof m->name, type == G2_VOLUNTEER ? "（志愿者）" : "老师（退休）");
    for (int e = 0; e < G2_DAYS; e++)
        if (g2_period_runs(s, p, e) && (e == d || g2_chance(&s->rng, 500)))
            m->avail[e] |= BIT(p);
    m->max_sessions = g2_range(&s->rng, 4, 8);
    m->max_minutes = 60 * g2_range(&s->rng, 5, 10);
    return i;
}

static int by_slack(const void *a, const void *b)
{
    const slot *x = a, *y = b;
    if (x->slack != y->slack)
        return x->slack < y->slack ? -1 : 1;
    if (x->day != y->day)
        return x->day - y->day;
    return x->period - y->period;
}

static int collect_slots(const g2_school *s, slot *sl)
{
    int n = 0;
    for (int i = 0; i < s->ngroups;) {
        const g2_group *g = &s->groups[i];
        slot x = {.day = g->day, .period = g->period, .first = i};
        int spg = s->acts[s->periods[g->period].care].spg;
        while (i < s->ngroups && s->groups[i].day == x.day && s->groups[i].period == x.period)
            x.need += spg, x.n++, i++;
        int there = 0;
        for (int k = 0; k < s->nstaff; k++)
            there += s->staff[k].type != G2_EXTERNAL && (s->staff[k].avail[x.day] & BIT(x.period));
        x.slack = there - x.need;
        sl[n++] = x;
    }
    return n;
}

static void assign_staff(g2_school *s)
{
    slot *sl = g2_alloc(sizeof *sl * (size_t)(s->ngroups + 1));
    int ns = collect_slots(s, sl);
    qsort(sl, (size_t)ns, sizeof *sl, by_slack);
    int cap = s->nstaff + G2_MAXSPG * s->ngroups + 1; /* each post may add one helper */
    int *nav = g2_alloc(sizeof *nav * (size_t)cap);
    for (int i = 0; i < s->nstaff; i++)
        for (int k = 0; k < ns; k++)
            nav[i] += (s->staff[i].avail[sl[k].day] & BIT(sl[k].period)) != 0;
    for (int k = 0; k < ns; k++)
        for (int j = sl[k].first; j < sl[k].first + sl[k].n; j++) {
            g2_group *g = &s->groups[j];
            int spg = s->acts[s->periods[g->period].care].spg;
            while (g->nstaff < spg) {
                int i = best(s, g, nav, 0);
                if (i < 0 && (i = best(s, g, nav, 1)) >= 0)
                    s->staff[i].avail[g->day] |= BIT(g->period);
                if (i < 0)
                    i = new_helper(s, g->day, g->period);
                g2_staff *m = &s->staff[i];
                m->busy[g->day] |= BIT(g->period);
                m->used_s++;
                m->used_m += g2_period_len(&s->periods[g->period]);
                g->staff[g->nstaff++] = i;
            }
        }
    free(nav);
    free(sl);
}

/* ---------------------------------------------------------------- tightening */

/* Leaves `margin` care-capable people not in a certificate group available at (d, p);
 * a duty leader keeps it only when it is their last period there that day. */
static void tighten_slot(g2_school *s, int d, int p, int margin)
{
    for (int i = 0; i < s->nstaff; i++) {
        g2_staff *m = &s->staff[i];
        if (m->type == G2_EXTERNAL || !(m->avail[d] & BIT(p)) || (m->busy[d] & BIT(p)))
            continue;
        if (m->duty && !(m->avail[d] & g2_running(s, d) & ~BIT(p)))
            continue;
        if (margin > 0 && g2_chance(&s->rng, 300)) {
            margin--;
            continue;
        }
        m->avail[d] &= ~BIT(p);
    }
    s->tight[d] |= BIT(p);
}

static int has_groups(const g2_school *s, int d, int p)
{
    for (int i = 0; i < s->ngroups; i++)
        if (s->groups[i].day == d && s->groups[i].period == p)
            return 1;
    return 0;
}

static void tighten(g2_school *s)
{
    if (s->cfg.friday) /* 002: Friday afternoon is teacher training */
        for (int p = 0; p < s->nperiods; p++) {
            const char *k = s->periods[p].kind;
            if (g2_period_runs(s, p, 4) && (!strcmp(k, "after-school") || !strcmp(k, "late")) && has_groups(s, 4, p))
                tighten_slot(s, 4, p, s->cfg.stafftight ? 0 : g2_range(&s->rng, 0, 1));
        }
    if (s->cfg.stafftight)
        for (int k = 0; k < 3; k++) {
            int d = g2_range(&s->rng, 0, 4), p = g2_range(&s->rng, 0, s->nperiods - 1);
            if (g2_period_runs(s, p, d) && has_groups(s, d, p) && !(s->tight[d] & BIT(p)))
                tighten_slot(s, d, p, g2_range(&s->rng, 0, 1));
        }
    if (s->cfg.tightload)
        for (int i = 0; i < s->nstaff; i++) {
            g2_staff *m = &s->staff[i];
            if (m->type == G2_EXTERNAL || !m->used_s)
                continue;
            m->max_sessions = m->used_s + g2_range(&s->rng, 0, 1);
            m->max_minutes = (m->used_m + 9) / 10 * 10 + 10 * g2_range(&s->rng, 0, 2);
        }
}

static void duty(g2_school *s)
{
    for (int d = 0; d < G2_DAYS; d++) {
        if (!g2_running(s, d))
            continue;
        for (int i = 0; i < s->nstaff && s->nduty[d] < s->dlpd && s->nduty[d] < 8; i++)
            if (s->staff[i].duty && (s->staff[i].avail[d] & g2_running(s, d)))
                s->duty[d][s->nduty[d]++] = i;
    }
}

void g2_certify(g2_school *s)
{
    build_groups(s);
    spare_rooms(s);
    assign_staff(s);
    tighten(s);
    duty(s);
}
