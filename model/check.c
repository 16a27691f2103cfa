/* check.c - one pass per rule over the plan's groups, taken in timetable.xml order:
 * the numbers in messages then match the file the administrator has open, and the
 * groups of one day (and of one slot) are contiguous, which the pairwise and
 * per-slot passes rely on. */
#include "check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const pp_school *s;
    const pp_plan *p;
    pp_group *g;    /* copy of p->groups in pp_plan_sort order; g[i] is "g<i+1>" */
    int ng;
    pp_diags *d;
    int n;          /* violations so far */
} ck;

#define VIOL(c, ...)                                \
    do {                                            \
        pp_diags_add((c)->d, NULL, 0, __VA_ARGS__); \
        (c)->n++;                                   \
    } while (0)

#define LABEL 256

/* "football (g3, Wed after)" */
static const char *label(const ck *c, int i, char *buf)
{
    const pp_group *g = &c->g[i];
    snprintf(buf, LABEL, "%s (g%d, %s %s)", c->s->activities[g->activity].id, i + 1, pp_day_name(g->day),
             c->s->periods[g->period].id);
    return buf;
}

/* Two groups of one day: "on Wed after: football (g3) and basketball (g7)", or with
 * each period named when they differ (periods at the same clock time). */
static const char *pair(const ck *c, int i, int j, char *buf, size_t n)
{
    const pp_school *s = c->s;
    const pp_group *a = &c->g[i], *b = &c->g[j];
    if (a->period == b->period)
        snprintf(buf, n, "on %s %s: %s (g%d) and %s (g%d)", pp_day_name(a->day), s->periods[a->period].id,
                 s->activities[a->activity].id, i + 1, s->activities[b->activity].id, j + 1);
    else
        snprintf(buf, n, "on %s: %s (g%d, %s) and %s (g%d, %s)", pp_day_name(a->day),
                 s->activities[a->activity].id, i + 1, s->periods[a->period].id, s->activities[b->activity].id, j + 1,
                 s->periods[b->period].id);
    return buf;
}

static int runs(const pp_school *s, int d, int p)
{
    return (s->day_mask & (1u << d)) && (s->periods[p].days & (1u << d));
}

static int grade_of(const pp_school *s, int stu)
{
    return s->classes[s->students[stu].cls].grade;
}

static int for_grade(const pp_school *s, int p, int grade)
{
    return grade >= 0 && grade < 32 && (s->periods[p].grade_mask & (1u << grade));
}

static int asks(const pp_school *s, int stu, int d, int p)
{
    return runs(s, d, p) && (s->students[stu].stay[d] & (1u << p)) && for_grade(s, p, grade_of(s, stu));
}

static int in_range(int v, int n) { return v >= 0 && v < n; }

/* A plan made for another school (or corrupted) would make every later pass index
 * out of bounds: refuse it as a whole. */
static int plan_fits_school(ck *c)
{
    const pp_school *s = c->s;
    for (int i = 0; i < c->p->ngroups; i++) {
        const pp_group *g = &c->p->groups[i];
        int ok = in_range(g->activity, s->nactivities) && in_range(g->day, PP_DAYS) &&
                 in_range(g->period, s->nperiods) && (g->venue == -1 || in_range(g->venue, s->nvenues));
        for (int k = 0; ok && k < g->nstaff; k++)
            ok = in_range(g->staff[k], s->nstaff);
        for (int k = 0; ok && k < g->nstudents; k++)
            ok = in_range(g->students[k], s->nstudents);
        for (int k = 0; ok && k < g->nclasses; k++)
            ok = in_range(g->classes[k], s->nclasses);
        if (!ok) {
            VIOL(c, "group %d of the plan refers to an activity, slot, venue, staff member, class or student that "
                    "school \"%s\" does not have; expected a plan made for this school", i + 1, s->id);
            return 0;
        }
    }
    for (int i = 0; i < c->p->nunserved; i++) {
        const pp_unserved *u = &c->p->unserved[i];
        if (!in_range(u->student, s->nstudents) || !in_range(u->day, PP_DAYS) || !in_range(u->period, s->nperiods)) {
            VIOL(c, "unserved entry %d refers to a student or slot school \"%s\" does not have", i + 1, s->id);
            return 0;
        }
    }
    for (int i = 0; i < c->p->nduty; i++) {
        const pp_duty *t = &c->p->duty[i];
        int ok = in_range(t->day, PP_DAYS);
        for (int k = 0; ok && k < t->nstaff; k++)
            ok = in_range(t->staff[k], s->nstaff);
        if (!ok) {
            VIOL(c, "a duty entry refers to a day or staff member school \"%s\" does not have", s->id);
            return 0;
        }
    }
    return 1;
}

/* ---------- coverage ------------------------------------------------------------ */

/* Member of group i at a slot: reports why they should not be there, or returns 1. */
static int member_asked(ck *c, int i, int stu)
{
    const pp_school *s = c->s;
    const pp_group *g = &c->g[i];
    char b[LABEL];
    if (!runs(s, g->day, g->period))
        return 0; /* the group itself is reported by check_slots */
    if (!for_grade(s, g->period, grade_of(s, stu))) {
        VIOL(c, "student %s (grade %d) is in %s, but period %s does not run for grade %d", s->students[stu].id,
             grade_of(s, stu), label(c, i, b), s->periods[g->period].id, grade_of(s, stu));
        return 0;
    }
    if (!(s->students[stu].stay[g->day] & (1u << g->period))) {
        VIOL(c, "student %s is in %s but did not ask to stay on %s %s", s->students[stu].id, label(c, i, b),
             pp_day_name(g->day), s->periods[g->period].id);
        return 0;
    }
    return 1;
}

static void check_unserved(ck *c, int *where, unsigned char *listed)
{
    const pp_school *s = c->s;
    size_t np = (size_t)s->nperiods;
    char b[LABEL];
    for (int i = 0; i < c->p->nunserved; i++) {
        const pp_unserved *u = &c->p->unserved[i];
        const char *who = s->students[u->student].id, *day = pp_day_name(u->day), *per = s->periods[u->period].id;
        size_t at = ((size_t)u->student * PP_DAYS + (size_t)u->day) * np + (size_t)u->period;
        if (!asks(s, u->student, u->day, u->period))
            VIOL(c, "student %s is listed unserved on %s %s but did not ask to stay then", who, day, per);
        else if (where[at] > 0)
            VIOL(c, "student %s is listed unserved on %s %s but is in %s", who, day, per, label(c, where[at] - 1, b));
        else if (listed[at]++)
            VIOL(c, "student %s is listed unserved twice on %s %s", who, day, per);
    }
}

/* Every student who asks is in exactly one group or listed unserved; nobody else. */
static void check_coverage(ck *c)
{
    const pp_school *s = c->s;
    size_t np = (size_t)s->nperiods, cells = (size_t)s->nstudents * PP_DAYS * np + 1;
    int *where = calloc(cells, sizeof *where); /* group index + 1 holding the student-slot; 0 none */
    unsigned char *listed = calloc(cells, 1);
    if (!where || !listed) {
        free(where);
        free(listed);
        VIOL(c, "out of memory while checking coverage");
        return;
    }
    char b[512];
    for (int i = 0; i < c->ng; i++) {
        const pp_group *g = &c->g[i];
        for (int j = 0; j < g->nstudents; j++) {
            int stu = g->students[j];
            size_t at = ((size_t)stu * PP_DAYS + (size_t)g->day) * np + (size_t)g->period;
            if (!member_asked(c, i, stu))
                continue;
            if (where[at])
                VIOL(c, "student %s is in two groups at once %s", s->students[stu].id, pair(c, where[at] - 1, i, b, sizeof b));
            else
                where[at] = i + 1;
        }
    }
    check_unserved(c, where, listed);
    for (int stu = 0; stu < s->nstudents; stu++)
        for (int d = 0; d < PP_DAYS; d++)
            for (size_t p = 0; p < np; p++) {
                size_t at = ((size_t)stu * PP_DAYS + (size_t)d) * np + p;
                if (asks(s, stu, d, (int)p) && !where[at] && !listed[at])
                    VIOL(c, "student %s asked to stay on %s %s and has no group there (and is not listed unserved)",
                         s->students[stu].id, pp_day_name(d), s->periods[p].id);
            }
    free(where);
    free(listed);
}

/* ---------- slots and clubs ------------------------------------------------------ */

static void check_slots(ck *c)
{
    const pp_school *s = c->s;
    char b[LABEL];
    for (int i = 0; i < c->ng; i++) {
        const pp_group *g = &c->g[i];
        const pp_activity *a = &s->activities[g->activity];
        if (!runs(s, g->day, g->period))
            VIOL(c, "%s meets when period %s does not run (it runs on other days, or %s has no service)",
                 label(c, i, b), s->periods[g->period].id, pp_day_name(g->day));
        else if (!pp_activity_is_care(a) && !(a->slots[g->day] & (1u << g->period)))
            VIOL(c, "%s meets outside the slots activity %s allows", label(c, i, b), a->id);
    }
}

static int chose(const pp_student *st, int a)
{
    for (int r = 0; r < st->nchoices; r++)
        if (st->choices[r] == a)
            return 1;
    return 0;
}

/* One club/course group: size, grades, choices; counts meetings per student. */
static void check_club_group(ck *c, int i, int *times)
{
    const pp_school *s = c->s;
    const pp_group *g = &c->g[i];
    const pp_activity *a = &s->activities[g->activity];
    int cap = a->max_size < s->policy.group_max ? a->max_size : s->policy.group_max;
    char b[LABEL];
    if (g->nstudents < a->min_size || g->nstudents > cap)
        VIOL(c, "%s has %d students; expected %d..%d (opening minimum and cap: the activity's min and the smaller of "
                "its max and group-max)", label(c, i, b), g->nstudents, a->min_size, cap);
    int lo = PP_MAX_GRADE + 1, hi = -1;
    for (int j = 0; j < g->nstudents; j++) {
        int stu = g->students[j], gr = grade_of(s, stu);
        lo = gr < lo ? gr : lo;
        hi = gr > hi ? gr : hi;
        if (!chose(&s->students[stu], g->activity))
            VIOL(c, "student %s is in %s without having chosen it", s->students[stu].id, label(c, i, b));
        if (gr < 0 || gr >= 32 || !(a->grade_mask & (1u << gr)))
            VIOL(c, "student %s (grade %d) is in %s, which is not open to grade %d", s->students[stu].id, gr,
                 label(c, i, b), gr);
        times[(size_t)stu * (size_t)s->nactivities + (size_t)g->activity]++;
    }
    if (a->tier != PP_TIER_SCHOOL && hi > lo)
        VIOL(c, "%s mixes grades %d..%d; expected one grade (tier %s)", label(c, i, b), lo, hi, pp_tier_name(a->tier));
}

static void check_clubs(ck *c)
{
    const pp_school *s = c->s;
    size_t ns = (size_t)s->nstudents, na = (size_t)s->nactivities;
    int *times = calloc(ns * na + 1, sizeof *times);
    if (!times) {
        VIOL(c, "out of memory while checking clubs");
        return;
    }
    for (int i = 0; i < c->ng; i++)
        if (!pp_activity_is_care(&s->activities[c->g[i].activity]))
            check_club_group(c, i, times);
    for (size_t stu = 0; stu < ns; stu++) {
        int distinct = 0;
        for (size_t a = 0; a < na; a++) {
            int k = times[stu * na + a];
            distinct += k > 0;
            if (k > s->activities[a].sessions)
                VIOL(c, "student %s attends %s %d times a week; expected at most %d (its sessions)",
                     s->students[stu].id, s->activities[a].id, k, s->activities[a].sessions);
        }
        if (distinct > s->policy.max_activities_per_student)
            VIOL(c, "student %s has %d clubs/courses a week; expected at most %d (max-activities-per-student)",
                 s->students[stu].id, distinct, s->policy.max_activities_per_student);
    }
    free(times);
}

/* ---------- care ---------------------------------------------------------------- */

/* The merge rules of one merged care group (2+ classes); count[k] is class k's
 * students in care at the slot. */
static void check_merged(ck *c, int i, const int *count)
{
    const pp_school *s = c->s;
    const pp_group *g = &c->g[i];
    const pp_activity *a = &s->activities[g->activity];
    char b[LABEL];
    if (a->tier == PP_TIER_CLASS)
        VIOL(c, "%s merges %d classes; expected one admin class per group (tier class)", label(c, i, b), g->nclasses);
    if (g->nstudents > s->policy.group_max)
        VIOL(c, "%s merges classes into %d students; expected at most %d (group-max)", label(c, i, b), g->nstudents,
             s->policy.group_max);
    int lo = PP_MAX_GRADE + 1, hi = -1;
    for (int k = 0; k < g->nclasses; k++) {
        int cls = g->classes[k], gr = s->classes[cls].grade;
        lo = gr < lo ? gr : lo;
        hi = gr > hi ? gr : hi;
        if (count[cls] >= a->merge_threshold)
            VIOL(c, "class %s has %d students in care, at least the merge threshold %d, yet is merged in %s",
                 s->classes[cls].id, count[cls], a->merge_threshold, label(c, i, b));
    }
    if (a->tier == PP_TIER_GRADE && hi > lo && (!s->policy.adjacent_grade_merge || hi - lo > 1))
        VIOL(c, "%s mixes grades %d..%d; expected one grade%s", label(c, i, b), lo, hi,
             s->policy.adjacent_grade_merge ? ", or two adjacent ones" : " (adjacent-grade-merge is off)");
}

/* Care groups at one slot: g[from..to) are the groups of that slot. */
static void check_care_slot(ck *c, int from, int to, int *count, int *where, unsigned char *split)
{
    const pp_school *s = c->s;
    size_t nc = (size_t)s->nclasses;
    memset(count, 0, nc * sizeof *count);
    memset(split, 0, nc);
    for (size_t k = 0; k < nc; k++)
        where[k] = -1;
    char b[LABEL], b2[512];
    for (int i = from; i < to; i++) {
        const pp_group *g = &c->g[i];
        if (!pp_activity_is_care(&s->activities[g->activity]))
            continue;
        int want = s->periods[g->period].care;
        if (g->activity != want)
            VIOL(c, "%s is care, but the care activity of period %s is %s", label(c, i, b), s->periods[g->period].id,
                 want >= 0 ? s->activities[want].id : "(none)");
        for (int j = 0; j < g->nstudents; j++) {
            int k = s->students[g->students[j]].cls;
            count[k]++;
            if (where[k] >= 0 && where[k] != i && !split[k]++)
                VIOL(c, "class %s is split between care groups %s; expected all of a class's students in care in "
                        "one group", s->classes[k].id, pair(c, where[k], i, b2, sizeof b2));
            where[k] = i;
        }
    }
    for (int i = from; i < to; i++)
        if (pp_activity_is_care(&s->activities[c->g[i].activity]) && c->g[i].nclasses > 1)
            check_merged(c, i, count);
}

static void check_care(ck *c)
{
    size_t nc = (size_t)c->s->nclasses;
    int *count = malloc((nc + 1) * sizeof *count), *where = malloc((nc + 1) * sizeof *where);
    unsigned char *split = malloc(nc + 1);
    if (count && where && split)
        for (int from = 0, to; from < c->ng; from = to) {
            to = from + 1;
            while (to < c->ng && c->g[to].day == c->g[from].day && c->g[to].period == c->g[from].period)
                to++;
            check_care_slot(c, from, to, count, where, split);
        }
    else
        VIOL(c, "out of memory while checking care groups");
    free(count);
    free(where);
    free(split);
}

/* ---------- venues and staff ------------------------------------------------------ */

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

static void check_venue(ck *c, int i)
{
    const pp_school *s = c->s;
    const pp_group *g = &c->g[i];
    const pp_activity *a = &s->activities[g->activity];
    char b[LABEL];
    if (g->venue < 0) {
        VIOL(c, "%s has no venue", label(c, i, b));
        return;
    }
    const pp_venue *v = &s->venues[g->venue];
    int want = a->venue_type >= 0 ? a->venue_type : home_type(s, g);
    if (want >= 0 && v->type != want)
        VIOL(c, "%s meets in %s, a %s; expected a %s%s", label(c, i, b), v->id, s->venue_types[v->type],
             s->venue_types[want], a->venue_type >= 0 ? "" : " like the home classroom");
    if (v->capacity < g->nstudents && !is_home_of_member(s, g, g->venue))
        VIOL(c, "%s has %d students in %s, which holds %d", label(c, i, b), g->nstudents, v->id, v->capacity);
    if (!(v->avail[g->day] & (1u << g->period)))
        VIOL(c, "%s uses venue %s, which is unavailable on %s %s", label(c, i, b), v->id, pp_day_name(g->day),
             s->periods[g->period].id);
}

static void check_leaders(ck *c, int i)
{
    const pp_school *s = c->s;
    const pp_group *g = &c->g[i];
    const pp_activity *a = &s->activities[g->activity];
    char b[LABEL];
    if (g->nstaff != a->staff_per_group)
        VIOL(c, "%s has %d staff; expected %d (staff-per-group of %s)", label(c, i, b), g->nstaff, a->staff_per_group,
             a->id);
    for (int k = 0; k < g->nstaff; k++) {
        const pp_staff *m = &s->staff[g->staff[k]];
        for (int q = 0; q < k; q++)
            if (g->staff[q] == g->staff[k])
                VIOL(c, "%s lists staff %s twice; expected distinct staff", label(c, i, b), m->id);
        if (a->speciality >= 0 && !pp_staff_has_spec(m, a->speciality))
            VIOL(c, "%s is led by %s, who lacks the speciality %s", label(c, i, b), m->id, s->specialities[a->speciality]);
        if (a->speciality < 0 && m->type == PP_STAFF_EXTERNAL)
            VIOL(c, "%s is led by %s, an external professional; expected the school's own staff or volunteers for an "
                    "activity without a speciality", label(c, i, b), m->id);
        if (!(m->avail[g->day] & (1u << g->period)))
            VIOL(c, "%s is led by %s, who is unavailable on %s %s", label(c, i, b), m->id, pp_day_name(g->day),
                 s->periods[g->period].id);
    }
}

/* No venue or person in two groups at one time; groups of a day are g[day_from..i). */
static void check_clashes(ck *c, int i, int day_from)
{
    const pp_school *s = c->s;
    const pp_group *g = &c->g[i];
    char b[512];
    for (int j = day_from; j < i; j++) {
        const pp_group *h = &c->g[j];
        if (!pp_periods_overlap(s, g->period, h->period))
            continue;
        if (g->venue >= 0 && g->venue == h->venue)
            VIOL(c, "venue \"%s\" holds two groups at once %s", s->venues[g->venue].id, pair(c, j, i, b, sizeof b));
        for (int k = 0; k < g->nstaff; k++)
            for (int q = 0; q < h->nstaff; q++)
                if (g->staff[k] == h->staff[q])
                    VIOL(c, "staff %s leads two groups at once %s", s->staff[g->staff[k]].id, pair(c, j, i, b, sizeof b));
    }
}

static void check_resources(ck *c)
{
    for (int i = 0, day_from = 0; i < c->ng; i++) {
        if (c->g[i].day != c->g[day_from].day)
            day_from = i;
        check_venue(c, i);
        check_leaders(c, i);
        check_clashes(c, i, day_from);
    }
}

/* Minutes a period is credited in the week: its longest season, so a load limit
 * holds in every season. */
static int period_week_minutes(const pp_school *s, int p)
{
    int m = 0;
    for (int k = 0; k < s->nseasons && k < PP_MAX_SEASONS; k++) {
        int x = pp_period_minutes(&s->periods[p], k);
        m = x > m ? x : m;
    }
    return m;
}

static void check_load(ck *c)
{
    const pp_school *s = c->s;
    int *sessions = calloc((size_t)s->nstaff + 1, sizeof *sessions);
    int *minutes = calloc((size_t)s->nstaff + 1, sizeof *minutes);
    if (sessions && minutes) {
        for (int i = 0; i < c->ng; i++)
            for (int k = 0; k < c->g[i].nstaff; k++) {
                sessions[c->g[i].staff[k]]++;
                minutes[c->g[i].staff[k]] += period_week_minutes(s, c->g[i].period);
            }
        for (int w = 0; w < s->nstaff; w++) {
            const pp_staff *m = &s->staff[w];
            if (sessions[w] > m->max_sessions)
                VIOL(c, "staff %s leads %d sessions a week; expected at most %d (max-sessions)", m->id, sessions[w],
                     m->max_sessions);
            if (minutes[w] > m->max_minutes)
                VIOL(c, "staff %s leads %d minutes a week; expected at most %d (max-minutes)", m->id, minutes[w],
                     m->max_minutes);
        }
    } else
        VIOL(c, "out of memory while checking staff load");
    free(sessions);
    free(minutes);
}

/* ---------- duty ------------------------------------------------------------------ */

static int may_lead_duty(const pp_staff *m, int d)
{
    return m->duty_leader && m->avail[d] != 0;
}

/* Counts the valid distinct duty leaders of day d, reporting the invalid ones. */
static int duty_leaders(ck *c, int d)
{
    const pp_school *s = c->s;
    int have = 0;
    for (int i = 0; i < c->p->nduty; i++) {
        const pp_duty *t = &c->p->duty[i];
        if (t->day != d)
            continue;
        for (int k = 0; k < t->nstaff; k++) {
            const pp_staff *m = &s->staff[t->staff[k]];
            int dup = 0;
            for (int q = 0; q < k; q++)
                dup |= t->staff[q] == t->staff[k];
            if (dup)
                VIOL(c, "%s is listed twice as duty leader on %s; expected distinct duty leaders", m->id, pp_day_name(d));
            else if (!m->duty_leader)
                VIOL(c, "%s is duty leader on %s but may not lead duty", m->id, pp_day_name(d));
            else if (!m->avail[d])
                VIOL(c, "%s is duty leader on %s but is not in school that day", m->id, pp_day_name(d));
            else
                have++;
        }
    }
    return have;
}

static void check_duty(ck *c)
{
    const pp_school *s = c->s;
    uint8_t days = 0;
    for (int i = 0; i < c->ng; i++)
        days |= (uint8_t)(1u << c->g[i].day);
    days &= s->day_mask;
    for (int d = 0; d < PP_DAYS; d++) {
        if (!(days & (1u << d)))
            continue;
        int have = duty_leaders(c, d), want = s->policy.duty_leaders_per_day, eligible = 0;
        for (int w = 0; w < s->nstaff; w++)
            eligible += may_lead_duty(&s->staff[w], d);
        if (have >= want)
            continue;
        if (eligible < want)
            VIOL(c, "%s has %d duty leader%s; expected %d (duty-leaders-per-day), but only %d staff member%s may lead "
                    "duty and %s in school that day: the school is short of %d",
                 pp_day_name(d), have, have == 1 ? "" : "s", want, eligible, eligible == 1 ? "" : "s",
                 eligible == 1 ? "is" : "are", want - eligible);
        else
            VIOL(c, "%s has %d duty leader%s; expected %d (duty-leaders-per-day)", pp_day_name(d), have,
                 have == 1 ? "" : "s", want);
    }
}

int pp_check_plan(const pp_school *s, const pp_plan *p, pp_diags *d)
{
    ck c = { s, p, NULL, p->ngroups, d, 0 };
    if (!plan_fits_school(&c))
        return c.n;
    pp_plan copy = *p;
    c.g = malloc((size_t)(p->ngroups + 1) * sizeof *c.g);
    if (!c.g) {
        VIOL(&c, "out of memory while checking");
        return c.n;
    }
    if (p->ngroups)
        memcpy(c.g, p->groups, (size_t)p->ngroups * sizeof *c.g);
    copy.groups = c.g;
    pp_plan_sort(&copy, s);
    for (int i = 1; i < c.ng; i++)
        if (c.g[i - 1].day * PP_MAX_PERIODS + c.g[i - 1].period > c.g[i].day * PP_MAX_PERIODS + c.g[i].period) {
            /* pp_plan_sort leaves the order alone when out of memory */
            VIOL(&c, "out of memory while checking");
            free(c.g);
            return c.n;
        }
    check_slots(&c);
    check_coverage(&c);
    check_clubs(&c);
    check_care(&c);
    check_resources(&c);
    check_load(&c);
    check_duty(&c);
    free(c.g);
    return c.n;
}
