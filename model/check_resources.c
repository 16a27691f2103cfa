/* check_resources.c - venues (V1-V3), staff (S1-S4) and duty leaders (D1), and the
 * clash check shared with students (C1).  Per group: O(staff); double bookings from
 * the uses of each venue, staff member or student sorted by (resource, day, period):
 * O(uses log uses), one violation per resource, day and set of overlapping periods
 * however many groups share it; loads and duty: O(groups + staff * days). */
#include "check_int.h"

#include <stdlib.h>
#include <string.h>

/* ---------- clashes --------------------------------------------------------------- */

static int cmp_use(const void *x, const void *y)
{
    const pp_ck_use *a = x, *b = y;
    int ka[] = { a->res, a->day, a->period, a->group }, kb[] = { b->res, b->day, b->period, b->group };
    return pp_ck_cmp_ints(ka, kb, 4);
}

static const char *count_word(int n, char *buf)
{
    if (n == 2)
        return "two";
    snprintf(buf, 16, "%d", n);
    return buf;
}

/* The periods of `used` that overlap p, directly or through others: one clash. */
static uint32_t component(const pp_ck *c, uint32_t used, int p)
{
    uint32_t comp = 1u << p, grow;
    do {
        grow = comp;
        for (uint32_t m = comp; m; m &= m - 1)
            grow |= c->overlap[__builtin_ctz(m)] & used;
        grow &= used;
        if (grow == comp)
            break;
        comp = grow;
    } while (1);
    return comp;
}

/* One clash: the uses u[0..n) of one resource on one day at the periods of comp,
 * holding `groups` distinct groups. */
static void report_clash(pp_ck *c, const pp_ck_use *u, size_t n, uint32_t comp, int groups, pp_ck_kind kind,
                         pp_check_rule r)
{
    const pp_school *s = c->s;
    if (!pp_ck_listed(c, r)) {
        pp_ck_viol(c, r, "-");
        return;
    }
    char list[700], b[PP_CK_LABEL], w[16];
    pp_ck_text t = { list, sizeof list, 0 };
    int one = __builtin_popcount(comp) == 1, named = 0, last = -1;
    if (one)
        pp_ck_put(&t, "at %s: ", pp_ck_slot(s, u[0].day, __builtin_ctz(comp), b));
    else {
        pp_ck_put(&t, "on %s, at overlapping periods", pp_day_name(u[0].day));
        for (uint32_t m = comp; m; m &= m - 1)
            pp_ck_put(&t, " %.60s", s->periods[__builtin_ctz(m)].id);
        pp_ck_put(&t, ": ");
    }
    for (size_t k = 0; k < n && named < PP_CHECK_LIST_GROUPS; k++) {
        if (!(comp & (1u << u[k].period)) || u[k].group == last)
            continue;
        last = u[k].group;
        const pp_group *g = &c->g[u[k].group];
        pp_ck_put(&t, "%s%.100s g%d", named ? ", " : "", s->activities[g->activity].id, u[k].group + 1);
        if (!one)
            pp_ck_put(&t, " (%.60s)", s->periods[g->period].id);
        named++;
    }
    if (groups > named)
        pp_ck_put(&t, " and %d more", groups - named);
    const char *id = kind == PP_CK_VENUE ? s->venues[u[0].res].id
                     : kind == PP_CK_STAFF ? s->staff[u[0].res].id
                                           : s->students[u[0].res].id;
    if (kind == PP_CK_VENUE)
        pp_ck_viol(c, r, "venue %s holds %s groups at once %s; expected one group at a time", id, count_word(groups, w),
                   list);
    else if (kind == PP_CK_STAFF)
        pp_ck_viol(c, r, "staff %s leads %s groups at once %s; expected one group at a time", id, count_word(groups, w),
                   list);
    else
        pp_ck_viol(c, r, "student %s is in %s groups at once %s; expected exactly one group at a time", id,
                   count_word(groups, w), list);
}

/* The uses u[0..n) of one resource on one day. */
static void day_clashes(pp_ck *c, const pp_ck_use *u, size_t n, pp_ck_kind kind, pp_check_rule r)
{
    uint32_t used = 0;
    int per[PP_MAX_PERIODS] = { 0 }, last = -1;
    for (size_t k = 0; k < n; k++)
        if (u[k].group != last) {
            last = u[k].group;
            used |= 1u << u[k].period;
            per[u[k].period]++;
        }
    for (uint32_t left = used; left;) {
        uint32_t comp = component(c, used, __builtin_ctz(left));
        left &= ~comp;
        int groups = 0;
        for (uint32_t m = comp; m; m &= m - 1)
            groups += per[__builtin_ctz(m)];
        if (groups > 1)
            report_clash(c, u, n, comp, groups, kind, r);
    }
}

void pp_ck_clashes(pp_ck *c, pp_ck_use *u, size_t n, pp_ck_kind kind, pp_check_rule r)
{
    qsort(u, n, sizeof *u, cmp_use);
    for (size_t i = 0, j; i < n; i = j) {
        for (j = i + 1; j < n && u[j].res == u[i].res && u[j].day == u[i].day; j++)
            ;
        if (j - i > 1)
            day_clashes(c, u + i, j - i, kind, r);
    }
}

/* ---------- venues ---------------------------------------------------------------- */

/* Whether venue type t is the type of a member class's home classroom (or no member
 * class has one); *want receives the first such type, -1 none. */
static int home_type_ok(const pp_school *s, const pp_group *g, int t, int *want)
{
    *want = -1;
    for (int k = 0; k < g->nclasses; k++) {
        int room = s->classes[g->classes[k]].room;
        if (room < 0)
            continue;
        if (*want < 0)
            *want = s->venues[room].type;
        if (s->venues[room].type == t)
            return 1;
    }
    return *want < 0;
}

static void check_venue(pp_ck *c, int i)
{
    const pp_school *s = c->s;
    const pp_group *g = &c->g[i];
    const pp_activity *a = &s->activities[g->activity];
    char b[PP_CK_LABEL], sl[PP_CK_LABEL];
    int want = a->venue_type, ok;
    if (g->venue < 0) {
        if (want < 0)
            home_type_ok(s, g, -1, &want);
        pp_ck_viol(c, PP_RULE_V1, "%s has no venue; expected a %s", pp_ck_group(c, i, b),
                   want >= 0 ? s->venue_types[want] : "venue");
        return;
    }
    const pp_venue *v = &s->venues[g->venue];
    ok = want >= 0 ? v->type == want : home_type_ok(s, g, v->type, &want);
    if (!ok)
        pp_ck_viol(c, PP_RULE_V1, "%s meets in %s, a %s; expected a %s%s", pp_ck_group(c, i, b), v->id,
                   s->venue_types[v->type], s->venue_types[want], a->venue_type >= 0 ? "" : " like the home classroom");
    if (v->capacity < g->nstudents)
        pp_ck_viol(c, PP_RULE_V2, "%s has %d students in %s, which holds %d; expected a venue holding %d",
                   pp_ck_group(c, i, b), g->nstudents, v->id, v->capacity, g->nstudents);
    if (!(v->avail[g->day] & (1u << g->period)))
        pp_ck_viol(c, PP_RULE_V2, "%s uses venue %s, which is unavailable on %s; expected a venue available then",
                   pp_ck_group(c, i, b), v->id, pp_ck_slot(s, g->day, g->period, sl));
}

/* ---------- staff ----------------------------------------------------------------- */

/* S1, S2, S3 (availability) of group i; seen[] is a per-staff stamp (group + 1). */
static void check_leaders(pp_ck *c, int i, int *seen)
{
    const pp_school *s = c->s;
    const pp_group *g = &c->g[i];
    const pp_activity *a = &s->activities[g->activity];
    char b[PP_CK_LABEL], sl[PP_CK_LABEL];
    int distinct = 0;
    for (int k = 0; k < g->nstaff; k++) {
        const pp_staff *m = &s->staff[g->staff[k]];
        if (seen[g->staff[k]] == i + 1) {
            pp_ck_viol(c, PP_RULE_S1, "%s lists staff %s twice; expected distinct staff", pp_ck_group(c, i, b), m->id);
            continue;
        }
        seen[g->staff[k]] = i + 1;
        distinct++;
        if (a->speciality >= 0 && !pp_staff_has_spec(m, a->speciality))
            pp_ck_viol(c, PP_RULE_S2, "%s is led by %s, who lacks the speciality %s; expected staff with it",
                       pp_ck_group(c, i, b), m->id, s->specialities[a->speciality]);
        if (a->speciality < 0 && m->type == PP_STAFF_EXTERNAL)
            pp_ck_viol(c, PP_RULE_S2, "%s is led by %s, an external professional; expected the school's own staff or "
                       "volunteers for an activity without a speciality", pp_ck_group(c, i, b), m->id);
        if (!(m->avail[g->day] & (1u << g->period)))
            pp_ck_viol(c, PP_RULE_S3, "%s is led by %s, who is unavailable on %s; expected staff available then",
                       pp_ck_group(c, i, b), m->id, pp_ck_slot(s, g->day, g->period, sl));
    }
    if (distinct != a->staff_per_group)
        pp_ck_viol(c, PP_RULE_S1, "%s has %d staff; expected %d (staff-per-group of %s)", pp_ck_group(c, i, b), distinct,
                   a->staff_per_group, a->id);
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

/* S4 from the uses of staff (sorted, one per staff member and group). */
static void check_load(pp_ck *c, const pp_ck_use *u, size_t n)
{
    const pp_school *s = c->s;
    for (size_t i = 0, j; i < n; i = j) {
        long sessions = 0, minutes = 0;
        for (j = i; j < n && u[j].res == u[i].res; j++)
            if (j == i || u[j].group != u[j - 1].group) {
                sessions++;
                minutes += period_week_minutes(s, u[j].period);
            }
        const pp_staff *m = &s->staff[u[i].res];
        if (sessions > m->max_sessions)
            pp_ck_viol(c, PP_RULE_S4, "staff %s leads %ld sessions a week; expected at most %d (max-sessions)", m->id,
                       sessions, m->max_sessions);
        if (minutes > m->max_minutes)
            pp_ck_viol(c, PP_RULE_S4, "staff %s leads %ld minutes a week; expected at most %d (max-minutes)", m->id,
                       minutes, m->max_minutes);
    }
}

/* V1-V3, S1-S4. */
void pp_ck_resources(pp_ck *c)
{
    const pp_school *s = c->s;
    size_t nv = 0, ns = 0;
    for (int i = 0; i < c->ng; i++) {
        nv += c->g[i].venue >= 0;
        ns += (size_t)c->g[i].nstaff;
    }
    pp_ck_use *venues = malloc((nv + 1) * sizeof *venues), *staff = malloc((ns + 1) * sizeof *staff);
    int *seen = calloc((size_t)s->nstaff + 1, sizeof *seen);
    if (!venues || !staff || !seen) {
        pp_ck_oom(c, "venues and staff (V, S)");
        goto out;
    }
    nv = ns = 0;
    for (int i = 0; i < c->ng; i++) {
        const pp_group *g = &c->g[i];
        check_venue(c, i);
        check_leaders(c, i, seen);
        if (g->venue >= 0)
            venues[nv++] = (pp_ck_use){ g->venue, g->day, g->period, i };
        for (int k = 0; k < g->nstaff; k++)
            staff[ns++] = (pp_ck_use){ g->staff[k], g->day, g->period, i };
    }
    pp_ck_clashes(c, venues, nv, PP_CK_VENUE, PP_RULE_V3);
    pp_ck_clashes(c, staff, ns, PP_CK_STAFF, PP_RULE_S3);
    check_load(c, staff, ns);
out:
    free(venues);
    free(staff);
    free(seen);
}

/* ---------- duty leaders ------------------------------------------------------------ */

/* Periods that run on day d. */
static uint32_t running(const pp_school *s, int d)
{
    uint32_t m = 0;
    for (int p = 0; p < s->nperiods && p < PP_MAX_PERIODS; p++)
        if (pp_ck_runs(s, d, p))
            m |= 1u << p;
    return m;
}

/* The distinct valid duty leaders listed for day d; reports the invalid ones. */
static int listed_leaders(pp_ck *c, int d, uint32_t run, int *seen)
{
    const pp_school *s = c->s;
    int have = 0;
    for (int i = 0; i < c->p->nduty; i++) {
        const pp_duty *t = &c->p->duty[i];
        if (t->day != d)
            continue;
        for (int k = 0; k < t->nstaff; k++) {
            const pp_staff *m = &s->staff[t->staff[k]];
            if (seen[t->staff[k]] == d + 1)
                pp_ck_viol(c, PP_RULE_D1, "%s is listed twice as duty leader on %s; expected distinct duty leaders",
                           m->id, pp_day_name(d));
            else if (!m->duty_leader)
                pp_ck_viol(c, PP_RULE_D1, "%s is duty leader on %s but may not lead duty; expected staff with "
                           "duty-leader=\"true\"", m->id, pp_day_name(d));
            else if (!(m->avail[d] & run))
                pp_ck_viol(c, PP_RULE_D1, "%s is duty leader on %s but is not there that day (available at no period "
                           "that runs then); expected staff who are there", m->id, pp_day_name(d));
            else
                have++;
            seen[t->staff[k]] = d + 1;
        }
    }
    return have;
}

/* D1: duty-leaders-per-day valid leaders every day a period runs; a school with
 * fewer eligible staff lists them all, and the shortage is a note. */
void pp_ck_duty(pp_ck *c)
{
    const pp_school *s = c->s;
    int *seen = calloc((size_t)s->nstaff + 1, sizeof *seen);
    if (!seen) {
        pp_ck_oom(c, "duty leaders (D1)");
        return;
    }
    int want = s->policy.duty_leaders_per_day;
    for (int d = 0; d < PP_DAYS; d++) {
        uint32_t run = running(s, d);
        if (!run)
            continue;
        int have = listed_leaders(c, d, run, seen), eligible = 0;
        char who[600];
        pp_ck_text t = { who, sizeof who, 0 };
        who[0] = '\0';
        for (int w = 0; w < s->nstaff; w++)
            if (s->staff[w].duty_leader && (s->staff[w].avail[d] & run)) {
                if (eligible < 20)
                    pp_ck_put(&t, "%s%s", eligible ? ", " : "", s->staff[w].id);
                eligible++;
            }
        if (eligible > 20)
            pp_ck_put(&t, " and %d more", eligible - 20);
        if (!eligible)
            pp_ck_put(&t, "nobody");
        const char *day = pp_day_name(d);
        if (eligible >= want && have < want)
            pp_ck_viol(c, PP_RULE_D1, "%s has %d duty leader%s; expected %d (duty-leaders-per-day) of the %d staff who may "
                       "lead duty and are there that day: %s", day, have, have == 1 ? "" : "s", want, eligible, who);
        else if (eligible < want && have < eligible)
            pp_ck_viol(c, PP_RULE_D1, "%s has %d duty leader%s; expected all %d staff who may lead duty and are there that "
                       "day (%s), since the school has fewer than %d (duty-leaders-per-day)", day, have,
                       have == 1 ? "" : "s", eligible, who, want);
        if (eligible < want)
            pp_ck_note(c, "[D1 note] %s: %d duty leader%s wanted (duty-leaders-per-day), but only %d staff member%s may "
                       "lead duty and %s there that day: %s; the school is short of %d", day, want, want == 1 ? "" : "s",
                       eligible, eligible == 1 ? "" : "s", eligible == 1 ? "is" : "are", who, want - eligible);
    }
    free(seen);
}
