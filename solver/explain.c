/* explain.c - shortages behind unmet demand (see explain.h).
 *
 * Everything is counted from the plan's groups: who is in which activity, which
 * venue and which staff are taken at each slot (a period overlapping in clock
 * time counts as the same time, as for the solver), and each staff member's
 * sessions and minutes of the week.  The counts are lower bounds on what a
 * school must add, not a re-solve: one more field on Wednesday may still leave a
 * group without its coach, which the next run then names. */
#include "explain.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "staff.h"

typedef struct {
    const pp_school *s;
    pp_plan *p;
    unsigned char *in;  /* [student * nactivities + activity]: in a group of it */
    int *got;           /* per student: best choice rank obtained, -1 none */
    int *sessions;      /* per staff member: groups led this week */
    int *minutes;       /* per staff member: minutes led this week (longest season) */
    unsigned char *mark;/* scratch, one per venue / staff member */
} ectx;

static int slot_runs(const pp_school *s, int d, int p)
{
    return (s->day_mask & (1u << d)) && (s->periods[p].days & (1u << d));
}

static int same_time(const pp_school *s, const pp_group *g, int d, int p)
{
    return g->day == d && pp_periods_overlap(s, p, g->period);
}

static int rank_of(const pp_student *st, int a)
{
    for (int r = 0; r < st->nchoices; r++)
        if (st->choices[r] == a)
            return r;
    return -1;
}

static int staff_can_lead(const pp_staff *m, const pp_activity *a)
{
    return a->speciality >= 0 ? pp_staff_has_spec(m, a->speciality) : m->type != PP_STAFF_EXTERNAL;
}

/* Marks in c->mark the venues (what = 0) or staff (what = 1) taken at (d, p) by
 * groups of activities other than skip. */
static void mark_taken(ectx *c, int d, int p, int skip, int what)
{
    const pp_school *s = c->s;
    memset(c->mark, 0, (size_t)(s->nvenues > s->nstaff ? s->nvenues : s->nstaff) + 1);
    for (int i = 0; i < c->p->ngroups; i++) {
        const pp_group *g = &c->p->groups[i];
        if (g->activity == skip || !same_time(s, g, d, p))
            continue;
        if (what == 0 && g->venue >= 0 && g->venue < s->nvenues)
            c->mark[g->venue] = 1;
        for (int k = 0; what == 1 && k < g->nstaff; k++)
            if (g->staff[k] >= 0 && g->staff[k] < s->nstaff)
                c->mark[g->staff[k]] = 1;
    }
}

/* Free venues of type `type` (-1: the home classrooms' types) fitting `fit`
 * students at (d, p); *taken receives those of the type taken by others then. */
static int free_venues(ectx *c, int d, int p, int type, int fit, int skip, int *taken)
{
    const pp_school *s = c->s;
    mark_taken(c, d, p, skip, 0);
    int n = 0;
    *taken = 0;
    for (int v = 0; v < s->nvenues; v++) {
        const pp_venue *ve = &s->venues[v];
        int ok = 0;
        if (type >= 0)
            ok = ve->type == type;
        else
            for (int k = 0; k < s->nclasses && !ok; k++)
                ok = s->classes[k].room >= 0 && s->venues[s->classes[k].room].type == ve->type;
        if (!ok || !(ve->avail[d] & (1u << p)) || ve->capacity < fit)
            continue;
        if (c->mark[v])
            (*taken)++;
        else
            n++;
    }
    return n;
}

/* Staff able to lead a at (d, p) and free then; *busy: able and available but
 * leading another group then; *limit: free then but at their weekly limit (only
 * counted when weekly is set). */
static int free_staff(ectx *c, int d, int p, const pp_activity *a, int skip, int weekly, int *busy, int *limit)
{
    const pp_school *s = c->s;
    mark_taken(c, d, p, skip, 1);
    int n = 0, post = pp_staff_post_minutes(s, p);
    *busy = *limit = 0;
    for (int i = 0; i < s->nstaff; i++) {
        const pp_staff *m = &s->staff[i];
        if (!staff_can_lead(m, a) || !(m->avail[d] & (1u << p)))
            continue;
        if (c->mark[i])
            (*busy)++;
        else if (weekly && (c->sessions[i] + 1 > m->max_sessions || c->minutes[i] + post > m->max_minutes))
            (*limit)++;
        else
            n++;
    }
    return n;
}

static const char *plural(int n)
{
    return n == 1 ? "" : "s";
}

/* "venue(s) of type field" / "staff with speciality football" / ... */
static void resource_name(const pp_school *s, pp_short_kind kind, int res, int n, char *buf, size_t size)
{
    if (kind == PP_SHORT_VENUE && res >= 0)
        snprintf(buf, size, "venue%s of type %s", plural(n), s->venue_types[res]);
    else if (kind == PP_SHORT_VENUE)
        snprintf(buf, size, "classroom%s", plural(n));
    else if (res >= 0)
        snprintf(buf, size, "staff with speciality %s", s->specialities[res]);
    else
        snprintf(buf, size, "care-capable staff");
}

/* ---- clubs and courses -------------------------------------------------- */

static int explain_activity(ectx *c, int a)
{
    const pp_school *s = c->s;
    const pp_activity *act = &s->activities[a];
    int per_grade[PP_MAX_GRADE + 1] = { 0 }, placed_grade[PP_MAX_GRADE + 1] = { 0 };
    int denied = 0, none = 0, placed = 0;
    for (int i = 0; i < s->nstudents; i++) {
        const pp_student *st = &s->students[i];
        int grade = s->classes[st->cls].grade;
        if (c->in[(size_t)i * s->nactivities + a]) {
            placed++;
            placed_grade[grade]++;
            continue;
        }
        int r = rank_of(st, a);
        if (r < 0 || (c->got[i] >= 0 && c->got[i] < r) || !(act->grade_mask & (1u << grade)))
            continue;
        int stays = 0;
        for (int d = 0; d < PP_DAYS && !stays; d++)
            stays = (st->stay[d] & act->slots[d]) != 0;
        if (!stays)
            continue;
        denied++;
        none += c->got[i] < 0;
        per_grade[grade]++;
    }
    if (denied == 0)
        return 0;
    int size = act->max_size > 0 ? act->max_size : 1, wanted = 0;
    if (act->tier == PP_TIER_SCHOOL)
        wanted = (placed + denied + size - 1) / size;
    else
        for (int g = 0; g <= PP_MAX_GRADE; g++)
            wanted += (placed_grade[g] + per_grade[g] + size - 1) / size;
    int sessions = act->sessions > 0 ? act->sessions : 1, spg = act->staff_per_group > 0 ? act->staff_per_group : 1;
    int fit = act->min_size > 1 ? act->min_size : 1;

    char slots[1024] = "", res[128];
    size_t used = 0;
    int total = 0, best = -1, bd = -1, bp = -1, bres = -1, nslots = 0;
    pp_short_kind bkind = PP_SHORT_VENUE;
    for (int d = 0; d < PP_DAYS; d++)
        for (int p = 0; p < s->nperiods; p++) {
            if (!(act->slots[d] & (1u << p)) || !slot_runs(s, d, p))
                continue;
            int vtaken, busy, limit;
            int v = free_venues(c, d, p, act->venue_type, fit, a, &vtaken);
            int t = free_staff(c, d, p, act, a, 0, &busy, &limit) / spg;
            int cap = v < t ? v : t;
            pp_short_kind kind = v <= t ? PP_SHORT_VENUE : PP_SHORT_STAFF;
            int r = kind == PP_SHORT_VENUE ? act->venue_type : act->speciality;
            total += cap;
            nslots++;
            if (best < 0 || cap < best) {
                best = cap;
                bd = d;
                bp = p;
                bkind = kind;
                bres = r;
            }
            resource_name(s, kind, r, cap, res, sizeof res);
            int taken = kind == PP_SHORT_VENUE ? vtaken : busy;
            if (used < sizeof slots)
                used += (size_t)snprintf(slots + used, sizeof slots - used, "%s%s %s: %d %s free%s%.0d%s", nslots > 1 ? "; " : "",
                                         pp_day_name(d), s->periods[p].name, cap, res, taken ? " (" : "", taken,
                                         taken ? " taken by other groups)" : "");
        }
    int available = total / sessions;
    if (available >= wanted || bd < 0)
        return 0; /* not for lack of rooms or staff */
    int shortby = wanted - available;
    char text[1600];
    snprintf(text, sizeof text,
             "%s (%s): %d group%s wanted for %d students, %d can run (%s); short %d group%s: %d student%s got none of their "
             "choices, %d a lower one",
             act->name, act->id, wanted, plural(wanted), placed + denied, available, slots, shortby, plural(shortby), none,
             plural(none), denied - none);
    pp_shortage sh = { bkind, a, bd, bp, bres, wanted, available, denied, none, text };
    return pp_plan_add_shortage(c->p, &sh) ? -1 : 1;
}

/* ---- care --------------------------------------------------------------- */

static int explain_care_slot(ectx *c, int d, int p)
{
    const pp_school *s = c->s;
    int per_grade[PP_MAX_GRADE + 1] = { 0 }, n = 0;
    for (int u = 0; u < c->p->nunserved; u++) {
        const pp_unserved *x = &c->p->unserved[u];
        if (x->day != d || x->period != p || x->student < 0 || x->student >= s->nstudents)
            continue;
        per_grade[s->classes[s->students[x->student].cls].grade]++;
        n++;
    }
    if (n == 0)
        return 0;
    int gmax = s->policy.group_max > 0 ? s->policy.group_max : 1, wanted = 0;
    for (int g = 0; g <= PP_MAX_GRADE; g++)
        wanted += (per_grade[g] + gmax - 1) / gmax;
    int care = s->periods[p].care;
    pp_activity any = { 0 }; /* a period without care (not in a validated school): any staff, home rooms */
    any.speciality = -1;
    any.venue_type = -1;
    const pp_activity *act = care >= 0 ? &s->activities[care] : &any;
    int spg = act->staff_per_group > 0 ? act->staff_per_group : 1;
    int busy, limit, vtaken;
    int t = free_staff(c, d, p, act, -1, 1, &busy, &limit) / spg;
    int v = free_venues(c, d, p, act->venue_type, 1, -1, &vtaken);
    pp_short_kind kind = t <= v ? PP_SHORT_STAFF : PP_SHORT_VENUE;
    int available = t < v ? t : v;
    int res = kind == PP_SHORT_STAFF ? act->speciality : act->venue_type;
    char sres[128], vres[128], text[1200];
    resource_name(s, PP_SHORT_STAFF, act->speciality, t, sres, sizeof sres);
    resource_name(s, PP_SHORT_VENUE, act->venue_type, v, vres, sizeof vres);
    snprintf(text, sizeof text,
             "%s on %s %s: %d student%s without a group, %d group%s wanted; %d %s free (available but leading other groups: %d; at "
             "their weekly limit: %d), %d %s free; short %d group%s of %s",
             care >= 0 ? act->name : "care", pp_day_name(d), s->periods[p].name, n, plural(n), wanted, plural(wanted), t, sres,
             busy, limit, v, vres, wanted - available > 0 ? wanted - available : 0, plural(wanted - available),
             kind == PP_SHORT_STAFF ? sres : vres);
    pp_shortage sh = { kind, care, d, p, res, wanted, available, n, 0, text };
    return pp_plan_add_shortage(c->p, &sh) ? -1 : 1;
}

/* A day whose duty leaders are fewer than the policy wants: the school has too
 * few staff who may lead duty and are there that day (the staffing takes all
 * of them), named so the school can act. */
static int explain_duty(ectx *c, int d)
{
    const pp_school *s = c->s;
    int want = s->policy.duty_leaders_per_day, have = 0, runs = 0;
    for (int q = 0; q < s->nperiods && !runs; q++)
        runs = pp_slot_runs(s, d, q);
    for (int i = 0; i < c->p->nduty; i++)
        if (c->p->duty[i].day == d)
            have = c->p->duty[i].nstaff;
    if (!runs || have >= want)
        return 0;
    char who[512] = "";
    size_t len = 0;
    int n = 0;
    for (int w = 0; w < s->nstaff; w++)
        if (s->staff[w].duty_leader && pp_staff_there_on(s, &s->staff[w], d)) {
            int k = snprintf(who + len, sizeof who - len, "%s%s", n ? ", " : "", s->staff[w].name);
            if (k > 0 && (size_t)k < sizeof who - len)
                len += (size_t)k;
            n++;
        }
    char text[768];
    snprintf(text, sizeof text,
             "duty leaders on %s: %d wanted (duty-leaders-per-day), %d of the staff may lead duty and are there that day%s%s; "
             "short %d",
             pp_day_name_zh(d), want, n, n ? ": " : "", who, want - have);
    pp_shortage sh = { PP_SHORT_DUTY, -1, d, -1, -1, want, have, 0, 0, text };
    return pp_plan_add_shortage(c->p, &sh) ? -1 : 1;
}

/* ---- entry points --------------------------------------------------------- */

int pp_explain_plan(const pp_school *s, pp_plan *p)
{
    p->nshortages = 0;
    ectx c = { s, p, NULL, NULL, NULL, NULL, NULL };
    size_t big = (size_t)(s->nvenues > s->nstaff ? s->nvenues : s->nstaff) + 1;
    c.in = calloc((size_t)s->nstudents * (size_t)s->nactivities + 1, 1);
    c.got = malloc(((size_t)s->nstudents + 1) * sizeof *c.got);
    c.sessions = calloc((size_t)s->nstaff + 1, sizeof *c.sessions);
    c.minutes = calloc((size_t)s->nstaff + 1, sizeof *c.minutes);
    c.mark = malloc(big);
    int rc = -1, n = 0;
    if (!c.in || !c.got || !c.sessions || !c.minutes || !c.mark)
        goto out;
    for (int i = 0; i < s->nstudents; i++)
        c.got[i] = -1;
    for (int k = 0; k < p->ngroups; k++) {
        const pp_group *g = &p->groups[k];
        if (g->activity < 0 || g->activity >= s->nactivities)
            continue;
        for (int j = 0; j < g->nstudents; j++) {
            int i = g->students[j];
            if (i < 0 || i >= s->nstudents)
                continue;
            c.in[(size_t)i * s->nactivities + g->activity] = 1;
            int r = pp_activity_is_care(&s->activities[g->activity]) ? -1 : rank_of(&s->students[i], g->activity);
            if (r >= 0 && (c.got[i] < 0 || r < c.got[i]))
                c.got[i] = r;
        }
        for (int j = 0; j < g->nstaff; j++)
            if (g->staff[j] >= 0 && g->staff[j] < s->nstaff) {
                c.sessions[g->staff[j]]++;
                c.minutes[g->staff[j]] += pp_staff_post_minutes(s, g->period);
            }
    }
    for (int d = 0; d < PP_DAYS; d++)
        for (int q = 0; q < s->nperiods; q++) {
            int k = explain_care_slot(&c, d, q);
            if (k < 0)
                goto out;
            n += k;
        }
    for (int d = 0; d < PP_DAYS; d++) {
        int k = explain_duty(&c, d);
        if (k < 0)
            goto out;
        n += k;
    }
    for (int a = 0; a < s->nactivities; a++) {
        if (pp_activity_is_care(&s->activities[a]))
            continue;
        int k = explain_activity(&c, a);
        if (k < 0)
            goto out;
        n += k;
    }
    rc = n;
out:
    free(c.in);
    free(c.got);
    free(c.sessions);
    free(c.minutes);
    free(c.mark);
    return rc;
}

int pp_explain_partial(const pp_plan *p)
{
    return p->nunserved > 0;
}
