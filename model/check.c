/* check.c - one pass per rule over the plan, with per-slot occupancy tables.
 * Messages name the group as "activity (Mon period)" and use the school's ids. */
#include "check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const pp_school *s;
    const pp_plan *p;
    pp_diags *d;
    int n;
} ck;

#define VIOL(c, ...)                                   \
    do {                                               \
        pp_diags_add((c)->d, NULL, 0, __VA_ARGS__);    \
        (c)->n++;                                      \
    } while (0)

static const char *gname(const ck *c, const pp_group *g, char *buf, size_t n)
{
    snprintf(buf, n, "%s (%s %s)", c->s->activities[g->activity].id, pp_day_name(g->day), c->s->periods[g->period].id);
    return buf;
}

static int runs(const pp_school *s, int d, int p)
{
    return d >= 0 && d < PP_DAYS && p >= 0 && p < s->nperiods && (s->day_mask & (1u << d)) &&
           (s->periods[p].days & (1u << d));
}

static int asks(const pp_school *s, int stu, int d, int p)
{
    const pp_student *st = &s->students[stu];
    return runs(s, d, p) && (st->stay[d] & (1u << p)) &&
           (s->periods[p].grade_mask & (1u << s->classes[st->cls].grade));
}

static int week_minutes(const pp_school *s, int p)
{
    int m = 0;
    for (int k = 0; k < s->nseasons && k < PP_MAX_SEASONS; k++) {
        int x = pp_period_minutes(&s->periods[p], k);
        m = x > m ? x : m;
    }
    return m;
}

/* Every student who asks is in exactly one group or listed unserved; nobody else. */
static void check_coverage(ck *c)
{
    const pp_school *s = c->s;
    int np = s->nperiods, ns = s->nstudents;
    unsigned char *seen = calloc((size_t)ns * PP_DAYS * (size_t)np + 1, 1);
    if (!seen) {
        VIOL(c, "out of memory while checking");
        return;
    }
#define AT(stu, d, p) seen[((size_t)(stu) * PP_DAYS + (size_t)(d)) * (size_t)np + (size_t)(p)]
    char b[256];
    for (int i = 0; i < c->p->ngroups; i++) {
        const pp_group *g = &c->p->groups[i];
        for (int j = 0; j < g->nstudents; j++) {
            int stu = g->students[j];
            if (!asks(s, stu, g->day, g->period))
                VIOL(c, "student %s is in %s but did not ask to stay then", s->students[stu].id, gname(c, g, b, sizeof b));
            else if (AT(stu, g->day, g->period)++)
                VIOL(c, "student %s is in two groups at once on %s %s", s->students[stu].id, pp_day_name(g->day),
                     s->periods[g->period].id);
        }
    }
    for (int i = 0; i < c->p->nunserved; i++) {
        const pp_unserved *u = &c->p->unserved[i];
        if (asks(s, u->student, u->day, u->period) && AT(u->student, u->day, u->period)++)
            VIOL(c, "student %s is listed unserved on %s %s but also has a group", s->students[u->student].id,
                 pp_day_name(u->day), s->periods[u->period].id);
    }
    for (int stu = 0; stu < ns; stu++)
        for (int d = 0; d < PP_DAYS; d++)
            for (int p = 0; p < np; p++)
                if (asks(s, stu, d, p) && !AT(stu, d, p))
                    VIOL(c, "student %s asked to stay on %s %s and has no group (and is not listed unserved)",
                         s->students[stu].id, pp_day_name(d), s->periods[p].id);
#undef AT
    free(seen);
}

static int chose(const pp_student *st, int a)
{
    for (int r = 0; r < st->nchoices; r++)
        if (st->choices[r] == a)
            return 1;
    return 0;
}

/* Clubs and courses: allowed slot, chosen by members of eligible grades, size, and
 * per student the week's limits. */
static void check_clubs(ck *c)
{
    const pp_school *s = c->s;
    const pp_policy *pol = &s->policy;
    int ns = s->nstudents, na = s->nactivities;
    int *times = calloc((size_t)ns * (size_t)na + 1, sizeof *times);
    if (!times) {
        VIOL(c, "out of memory while checking");
        return;
    }
    char b[256];
    for (int i = 0; i < c->p->ngroups; i++) {
        const pp_group *g = &c->p->groups[i];
        const pp_activity *a = &s->activities[g->activity];
        if (!runs(s, g->day, g->period))
            VIOL(c, "%s meets when the period does not run", gname(c, g, b, sizeof b));
        if (pp_activity_is_care(a))
            continue;
        if (!(a->slots[g->day] & (1u << g->period)))
            VIOL(c, "%s meets outside the slots the activity allows", gname(c, g, b, sizeof b));
        int cap = a->max_size < pol->group_max ? a->max_size : pol->group_max;
        if (g->nstudents < a->min_size || g->nstudents > cap)
            VIOL(c, "%s has %d students; expected %d..%d (opening minimum and cap)", gname(c, g, b, sizeof b),
                 g->nstudents, a->min_size, cap);
        for (int j = 0; j < g->nstudents; j++) {
            const pp_student *st = &s->students[g->students[j]];
            if (!chose(st, g->activity))
                VIOL(c, "student %s is in %s without having chosen it", st->id, gname(c, g, b, sizeof b));
            if (!(a->grade_mask & (1u << s->classes[st->cls].grade)))
                VIOL(c, "student %s (grade %d) is in %s, which is not open to that grade", st->id,
                     s->classes[st->cls].grade, gname(c, g, b, sizeof b));
            times[(size_t)g->students[j] * na + g->activity]++;
        }
    }
    for (int stu = 0; stu < ns; stu++) {
        int distinct = 0;
        for (int a = 0; a < na; a++) {
            int k = times[(size_t)stu * na + a];
            distinct += k > 0;
            if (k > s->activities[a].sessions)
                VIOL(c, "student %s attends %s %d times a week; expected at most %d", s->students[stu].id,
                     s->activities[a].id, k, s->activities[a].sessions);
        }
        if (distinct > pol->max_activities_per_student)
            VIOL(c, "student %s has %d clubs/courses a week; expected at most %d", s->students[stu].id, distinct,
                 pol->max_activities_per_student);
    }
    free(times);
}

/* Care groups: the period's care activity, whole classes, the merge rules. */
static void check_care(ck *c)
{
    const pp_school *s = c->s;
    const pp_policy *pol = &s->policy;
    int nc = s->nclasses;
    int *count = calloc((size_t)nc + 1, sizeof *count);
    int *where = malloc(((size_t)nc + 1) * sizeof *where);
    if (!count || !where) {
        free(count);
        free(where);
        VIOL(c, "out of memory while checking");
        return;
    }
    char b[256];
    for (int d = 0; d < PP_DAYS; d++)
        for (int p = 0; p < s->nperiods; p++) {
            memset(count, 0, (size_t)nc * sizeof *count);
            for (int k = 0; k < nc; k++)
                where[k] = -1;
            for (int i = 0; i < c->p->ngroups; i++) {
                const pp_group *g = &c->p->groups[i];
                if (g->day != d || g->period != p || !pp_activity_is_care(&s->activities[g->activity]))
                    continue;
                if (g->activity != s->periods[p].care)
                    VIOL(c, "%s is care but the period's care activity is %s", gname(c, g, b, sizeof b),
                         s->activities[s->periods[p].care].id);
                for (int j = 0; j < g->nstudents; j++) {
                    int k = s->students[g->students[j]].cls;
                    count[k]++;
                    if (where[k] >= 0 && where[k] != i)
                        VIOL(c, "class %s is split between care groups on %s %s; expected whole classes",
                             s->classes[k].id, pp_day_name(d), s->periods[p].id);
                    where[k] = i;
                }
            }
            for (int i = 0; i < c->p->ngroups; i++) {
                const pp_group *g = &c->p->groups[i];
                const pp_activity *a = &s->activities[g->activity];
                if (g->day != d || g->period != p || !pp_activity_is_care(a) || g->nclasses < 2)
                    continue;
                if (a->tier == PP_TIER_CLASS)
                    VIOL(c, "%s merges %d classes; class-level service keeps each class apart", gname(c, g, b, sizeof b),
                         g->nclasses);
                if (g->nstudents > pol->group_max)
                    VIOL(c, "%s merges classes into %d students; expected at most group-max %d", gname(c, g, b, sizeof b),
                         g->nstudents, pol->group_max);
                int lo = PP_MAX_GRADE + 1, hi = 0;
                for (int k = 0; k < g->nclasses; k++) {
                    int cls = g->classes[k], gr = s->classes[cls].grade;
                    lo = gr < lo ? gr : lo;
                    hi = gr > hi ? gr : hi;
                    if (count[cls] >= a->merge_threshold)
                        VIOL(c, "class %s has %d in care, at least the threshold %d, yet is merged in %s",
                             s->classes[cls].id, count[cls], a->merge_threshold, gname(c, g, b, sizeof b));
                }
                if (a->tier == PP_TIER_GRADE && hi > lo && (!pol->adjacent_grade_merge || hi - lo > 1))
                    VIOL(c, "%s mixes grades %d..%d; expected one grade, or two adjacent ones when allowed",
                         gname(c, g, b, sizeof b), lo, hi);
            }
        }
    free(count);
    free(where);
}

static int is_home_of_member(const pp_school *s, const pp_group *g, int v)
{
    for (int k = 0; k < g->nclasses; k++)
        if (s->classes[g->classes[k]].room == v)
            return 1;
    return 0;
}

static int home_type(const pp_school *s, const pp_group *g)
{
    for (int k = 0; k < g->nclasses; k++)
        if (s->classes[g->classes[k]].room >= 0)
            return s->venues[s->classes[g->classes[k]].room].type;
    return -1;
}

/* Venues and staff: type, capacity, speciality, availability, one place at a time. */
static void check_resources(ck *c)
{
    const pp_school *s = c->s;
    char b[256], b2[256];
    for (int i = 0; i < c->p->ngroups; i++) {
        const pp_group *g = &c->p->groups[i];
        const pp_activity *a = &s->activities[g->activity];
        if (g->venue < 0) {
            VIOL(c, "%s has no venue", gname(c, g, b, sizeof b));
        } else {
            const pp_venue *v = &s->venues[g->venue];
            int want = a->venue_type >= 0 ? a->venue_type : home_type(s, g);
            if (want >= 0 && v->type != want)
                VIOL(c, "%s meets in %s (%s); expected a venue of type %s", gname(c, g, b, sizeof b), v->id,
                     s->venue_types[v->type], s->venue_types[want]);
            if (v->capacity < g->nstudents && !is_home_of_member(s, g, g->venue))
                VIOL(c, "%s has %d students in %s, which holds %d", gname(c, g, b, sizeof b), g->nstudents, v->id,
                     v->capacity);
            if (!(v->avail[g->day] & (1u << g->period)))
                VIOL(c, "%s uses %s when it is unavailable", gname(c, g, b, sizeof b), v->id);
        }
        if (g->nstaff != a->staff_per_group)
            VIOL(c, "%s has %d staff; expected %d", gname(c, g, b, sizeof b), g->nstaff, a->staff_per_group);
        for (int k = 0; k < g->nstaff; k++) {
            const pp_staff *m = &s->staff[g->staff[k]];
            if (a->speciality >= 0 && !pp_staff_has_spec(m, a->speciality))
                VIOL(c, "%s is led by %s, who lacks the speciality %s", gname(c, g, b, sizeof b), m->id,
                     s->specialities[a->speciality]);
            if (a->speciality < 0 && m->type == PP_STAFF_EXTERNAL)
                VIOL(c, "%s is led by external %s; care is led by the school's own staff or volunteers",
                     gname(c, g, b, sizeof b), m->id);
            if (!(m->avail[g->day] & (1u << g->period)))
                VIOL(c, "%s is led by %s when they are unavailable", gname(c, g, b, sizeof b), m->id);
        }
        for (int j = 0; j < i; j++) {
            const pp_group *h = &c->p->groups[j];
            if (h->day != g->day || !pp_periods_overlap(s, g->period, h->period))
                continue;
            if (g->venue >= 0 && g->venue == h->venue)
                VIOL(c, "venue %s holds two groups at once: %s and %s", s->venues[g->venue].id,
                     gname(c, h, b, sizeof b), gname(c, g, b2, sizeof b2));
            for (int k = 0; k < g->nstaff; k++)
                for (int q = 0; q < h->nstaff; q++)
                    if (g->staff[k] == h->staff[q])
                        VIOL(c, "staff %s leads two groups at once: %s and %s", s->staff[g->staff[k]].id,
                             gname(c, h, b, sizeof b), gname(c, g, b2, sizeof b2));
        }
    }
}

static void check_load_and_duty(ck *c)
{
    const pp_school *s = c->s;
    int *sessions = calloc((size_t)s->nstaff + 1, sizeof *sessions), *minutes = calloc((size_t)s->nstaff + 1, sizeof *minutes);
    if (!sessions || !minutes) {
        free(sessions);
        free(minutes);
        VIOL(c, "out of memory while checking");
        return;
    }
    uint8_t days = 0;
    for (int i = 0; i < c->p->ngroups; i++) {
        const pp_group *g = &c->p->groups[i];
        days |= (uint8_t)(1u << g->day);
        for (int k = 0; k < g->nstaff; k++) {
            sessions[g->staff[k]]++;
            minutes[g->staff[k]] += week_minutes(s, g->period);
        }
    }
    for (int w = 0; w < s->nstaff; w++) {
        if (sessions[w] > s->staff[w].max_sessions)
            VIOL(c, "staff %s leads %d sessions a week; expected at most %d", s->staff[w].id, sessions[w],
                 s->staff[w].max_sessions);
        if (minutes[w] > s->staff[w].max_minutes)
            VIOL(c, "staff %s leads %d minutes a week; expected at most %d", s->staff[w].id, minutes[w],
                 s->staff[w].max_minutes);
    }
    for (int d = 0; d < PP_DAYS; d++) {
        if (!(days & (1u << d)))
            continue;
        int have = 0;
        for (int i = 0; i < c->p->nduty; i++)
            if (c->p->duty[i].day == d)
                for (int k = 0; k < c->p->duty[i].nstaff; k++) {
                    const pp_staff *m = &s->staff[c->p->duty[i].staff[k]];
                    int dup = 0;
                    for (int q = 0; q < k; q++)
                        dup |= c->p->duty[i].staff[q] == c->p->duty[i].staff[k];
                    if (!m->duty_leader)
                        VIOL(c, "%s is duty leader on %s but may not be one", m->id, pp_day_name(d));
                    else if (!m->avail[d])
                        VIOL(c, "%s is duty leader on %s but is not in school that day", m->id, pp_day_name(d));
                    else if (!dup)
                        have++;
                }
        if (have < s->policy.duty_leaders_per_day)
            VIOL(c, "%s has %d duty leader%s; expected %d (duty-leaders-per-day)", pp_day_name(d), have,
                 have == 1 ? "" : "s", s->policy.duty_leaders_per_day);
    }
    free(sessions);
    free(minutes);
}

int pp_check_plan(const pp_school *s, const pp_plan *p, pp_diags *d)
{
    ck c = { s, p, d, 0 };
    check_coverage(&c);
    check_clubs(&c);
    check_care(&c);
    check_resources(&c);
    check_load_and_duty(&c);
    return c.n;
}
