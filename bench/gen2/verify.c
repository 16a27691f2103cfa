/* verify.c - checks the certificate against the school file as paipian's loader read
 * it (so a slip of the writer is caught as surely as one of the construction), by
 * the rules of docs/RULES.md that a plan without clubs must keep:
 *   C1/C2  every student-slot asked for is in exactly one group; nobody else is;
 *   G1/G2  a group holds all care students of one class at the slot, whatever their
 *          number (G2: a class is never split; G1 caps only groups that merge
 *          classes, and the certificate merges none);
 *   V1-V3  a venue of the home classroom's type that holds the group (capacity >=
 *          students, the class's own room included), available, never two groups at
 *          overlapping periods of a day; and the premise of merging: every home
 *          classroom holds its whole class and every room of that type group-max;
 *   S1-S4  staff-per-group distinct people, none external, available, never in two
 *          groups at overlapping periods, within max-sessions and max-minutes
 *          (minutes of a period: its longest season);
 *   D1     duty-leaders-per-day eligible staff there on every service day, except
 *          the day the shape makes short on purpose (and only that day).
 * It also measures how tight the school is, for instances/robust/README.md. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/gen2/gen2.h"

#define BIT(i) (1u << (i))

static int fail(g2_buf *m, int *n, const char *what)
{
    if (*n < 50)
        g2_printf(m, "%s\n", what);
    return ++*n;
}

static int runs(const pp_school *s, int p, int d)
{
    return (s->day_mask >> d & 1) && (s->periods[p].days >> d & 1);
}

static int asks(const pp_school *s, int stu, int d, int p)
{
    const pp_student *st = &s->students[stu];
    int grade = s->classes[st->cls].grade;
    return runs(s, p, d) && (s->periods[p].grade_mask >> grade & 1) && (st->stay[d] >> p & 1);
}

static int minutes(const pp_school *s, int p)
{
    int m = 0;
    for (int k = 0; k < s->nseasons && k < PP_MAX_SEASONS; k++)
        if (pp_period_minutes(&s->periods[p], k) > m)
            m = pp_period_minutes(&s->periods[p], k);
    return m;
}

static int care_count(const pp_school *s, int cls, int d, int p)
{
    int n = 0;
    for (int i = 0; i < s->nstudents; i++)
        n += s->students[i].cls == cls && asks(s, i, d, p);
    return n;
}

/* Ids of the generator's entities resolved in the loaded school. */
typedef struct {
    int *period, *venue, *cls, *staff, *act;
} idmap;

static int map_ids(const g2_school *g, const pp_school *s, idmap *m, g2_buf *msgs, int *nf)
{
    m->period = g2_alloc(sizeof(int) * (size_t)g->nperiods);
    m->venue = g2_alloc(sizeof(int) * (size_t)g->nvenues);
    m->cls = g2_alloc(sizeof(int) * (size_t)g->nclasses);
    m->staff = g2_alloc(sizeof(int) * (size_t)g->nstaff);
    m->act = g2_alloc(sizeof(int) * (size_t)g->nacts);
    int bad = 0;
    for (int i = 0; i < g->nperiods; i++)
        bad |= (m->period[i] = pp_school_find_period(s, g->periods[i].id)) < 0;
    for (int i = 0; i < g->nvenues; i++)
        bad |= (m->venue[i] = pp_school_find_venue(s, g->venues[i].id)) < 0;
    for (int i = 0; i < g->nclasses; i++)
        bad |= (m->cls[i] = pp_school_find_class(s, g->classes[i].id)) < 0;
    for (int i = 0; i < g->nstaff; i++)
        bad |= (m->staff[i] = pp_school_find_staff(s, g->staff[i].id)) < 0;
    for (int i = 0; i < g->nacts; i++)
        bad |= (m->act[i] = pp_school_find_activity(s, g->acts[i].id)) < 0;
    bad |= s->nstudents != g->nstudents;
    if (bad)
        fail(msgs, nf, "the loaded school lacks an entity the generator wrote");
    return bad ? -1 : 0;
}

static void free_map(idmap *m)
{
    free(m->period);
    free(m->venue);
    free(m->cls);
    free(m->staff);
    free(m->act);
}

/* Students and classes: C1, C2, G1, G2 (with C1's "exactly one group", a group of a
 * class's whole care count is the class's only group at the slot). */
static void check_coverage(const g2_school *g, const pp_school *s, const idmap *m, g2_buf *msgs, int *nf)
{
    unsigned char *seen = g2_alloc((size_t)s->nstudents * PP_DAYS * PP_MAX_PERIODS);
    char line[256];
    for (int i = 0; i < g->ngroups; i++) {
        const g2_group *x = &g->groups[i];
        int p = m->period[x->period], c = m->cls[x->cls];
        int count = care_count(s, c, x->day, p);
        if (x->size != count || x->size < 1) {
            snprintf(line, sizeof line, "G2: group g%d of %s holds %d of the class's %d care students at %s %s", i + 1,
                     s->classes[c].id, x->size, count, pp_day_name(x->day), s->periods[p].id);
            fail(msgs, nf, line);
        }
        for (int k = 0; k < x->size; k++) {
            int stu = x->students[k];
            if (s->students[stu].cls != c || !asks(s, stu, x->day, p)) {
                snprintf(line, sizeof line, "C2: %s in group g%d did not ask for %s %s or is of another class",
                         s->students[stu].id, i + 1, pp_day_name(x->day), s->periods[p].id);
                fail(msgs, nf, line);
            }
            seen[((size_t)stu * PP_DAYS + (size_t)x->day) * PP_MAX_PERIODS + (size_t)p]++;
        }
    }
    for (int stu = 0; stu < s->nstudents; stu++)
        for (int d = 0; d < PP_DAYS; d++)
            for (int p = 0; p < s->nperiods; p++) {
                int n = seen[((size_t)stu * PP_DAYS + (size_t)d) * PP_MAX_PERIODS + (size_t)p];
                if (n != (asks(s, stu, d, p) ? 1 : 0)) {
                    snprintf(line, sizeof line, "C1: %s on %s %s is in %d certificate groups", s->students[stu].id,
                             pp_day_name(d), s->periods[p].id, n);
                    fail(msgs, nf, line);
                }
            }
    free(seen);
}

static int busy_overlaps(const pp_school *s, uint32_t busy, int p)
{
    for (int q = 0; q < s->nperiods; q++)
        if ((busy >> q & 1) && pp_periods_overlap(s, p, q))
            return 1;
    return 0;
}

/* Venues and staff: V1-V3, S1-S4. */
static void check_resources(const g2_school *g, const pp_school *s, const idmap *m, g2_buf *msgs, int *nf)
{
    uint32_t *vbusy = g2_alloc(sizeof *vbusy * (size_t)s->nvenues * PP_DAYS);
    uint32_t *sbusy = g2_alloc(sizeof *sbusy * (size_t)s->nstaff * PP_DAYS);
    int *sessions = g2_alloc(sizeof(int) * (size_t)s->nstaff), *mins = g2_alloc(sizeof(int) * (size_t)s->nstaff);
    char line[256];
    for (int i = 0; i < g->ngroups; i++) {
        const g2_group *x = &g->groups[i];
        int p = m->period[x->period], c = m->cls[x->cls], v = m->venue[x->venue], d = x->day;
        const pp_venue *ve = &s->venues[v];
        int home = s->classes[c].room;
        if (ve->type != s->venues[home].type || ve->capacity < x->size || !(ve->avail[d] >> p & 1) ||
            busy_overlaps(s, vbusy[(size_t)v * PP_DAYS + (size_t)d], p)) {
            snprintf(line, sizeof line, "V1-V3: group g%d in %s (%s %s)", i + 1, ve->id, pp_day_name(d),
                     s->periods[p].id);
            fail(msgs, nf, line);
        }
        vbusy[(size_t)v * PP_DAYS + (size_t)d] |= 1u << p;
        const pp_activity *a = &s->activities[s->periods[p].care];
        if (x->nstaff != a->staff_per_group) {
            snprintf(line, sizeof line, "S1: group g%d has %d staff, %s wants %d", i + 1, x->nstaff, a->id,
                     a->staff_per_group);
            fail(msgs, nf, line);
        }
        for (int k = 0; k < x->nstaff; k++) {
            int w = m->staff[x->staff[k]];
            const pp_staff *st = &s->staff[w];
            int twice = k == 1 && x->staff[0] == x->staff[1];
            if (st->type == PP_STAFF_EXTERNAL || !(st->avail[d] >> p & 1) || twice ||
                busy_overlaps(s, sbusy[(size_t)w * PP_DAYS + (size_t)d], p)) {
                snprintf(line, sizeof line, "S2/S3: %s in group g%d (%s %s)", st->id, i + 1, pp_day_name(d),
                         s->periods[p].id);
                fail(msgs, nf, line);
            }
            sbusy[(size_t)w * PP_DAYS + (size_t)d] |= 1u << p;
            sessions[w]++;
            mins[w] += minutes(s, p);
        }
    }
    for (int w = 0; w < s->nstaff; w++)
        if (sessions[w] > s->staff[w].max_sessions || mins[w] > s->staff[w].max_minutes) {
            snprintf(line, sizeof line, "S4: %s leads %d sessions, %d minutes (limits %d, %d)", s->staff[w].id,
                     sessions[w], mins[w], s->staff[w].max_sessions, s->staff[w].max_minutes);
            fail(msgs, nf, line);
        }
    free(vbusy);
    free(sbusy);
    free(sessions);
    free(mins);
}

static uint32_t running(const pp_school *s, int d)
{
    uint32_t m = 0;
    for (int p = 0; p < s->nperiods; p++)
        if (runs(s, p, d))
            m |= 1u << p;
    return m;
}

/* The premise of "merging only lowers the needs": a whole class fits its home room
 * whatever its care count (so does the unmerged certificate), and a merged care group
 * (at most group-max, G1) fits every room of the home classrooms' type. */
static void check_rooms(const pp_school *s, g2_buf *msgs, int *nf)
{
    char line[256];
    int *size = g2_alloc(sizeof(int) * (size_t)(s->nclasses + 1));
    for (int i = 0; i < s->nstudents; i++)
        size[s->students[i].cls]++;
    for (int c = 0; c < s->nclasses; c++) {
        int r = s->classes[c].room;
        if (r < 0) {
            snprintf(line, sizeof line, "V1: class %s has no home classroom", s->classes[c].id);
            fail(msgs, nf, line);
        } else if (s->venues[r].capacity < size[c]) {
            snprintf(line, sizeof line, "V2: %s, the home of %s, holds %d, less than the class's %d students",
                     s->venues[r].id, s->classes[c].id, s->venues[r].capacity, size[c]);
            fail(msgs, nf, line);
        }
    }
    for (int v = 0; v < s->nvenues; v++)
        for (int c = 0; c < s->nclasses; c++)
            if (s->classes[c].room >= 0 && s->venues[v].type == s->venues[s->classes[c].room].type &&
                s->venues[v].capacity < s->policy.group_max) {
                snprintf(line, sizeof line, "V2: %s holds %d, less than group-max %d", s->venues[v].id,
                         s->venues[v].capacity, s->policy.group_max);
                fail(msgs, nf, line);
                break;
            }
    free(size);
}

/* D1, and the day that is short on purpose. */
static void check_duty(const g2_school *g, const pp_school *s, const idmap *m, g2_buf *msgs, int *nf, g2_figures *f)
{
    char line[256];
    f->duty_min = 1 << 30;
    f->short_day = -1;
    for (int d = 0; d < PP_DAYS; d++) {
        if (!running(s, d))
            continue;
        int there = 0;
        for (int w = 0; w < s->nstaff; w++)
            there += s->staff[w].duty_leader && (s->staff[w].avail[d] & running(s, d));
        if (there < f->duty_min)
            f->duty_min = there, f->duty_min_day = d;
        int want = s->policy.duty_leaders_per_day;
        if (there < want)
            f->short_day = d;
        if ((there < want) != (d == g->cfg.duty_short) || (d == g->cfg.duty_short && there != want - 1)) {
            snprintf(line, sizeof line, "D1: %s has %d eligible duty leaders, %d wanted%s", pp_day_name(d), there, want,
                     d == g->cfg.duty_short ? " (short by one on purpose)" : "");
            fail(msgs, nf, line);
        }
        int listed = g->nduty[d], ok = listed == (there < want ? there : want);
        for (int k = 0; k < listed; k++) {
            const pp_staff *st = &s->staff[m->staff[g->duty[d][k]]];
            ok &= st->duty_leader && (st->avail[d] & running(s, d)) != 0;
            for (int j = 0; j < k; j++)
                ok &= g->duty[d][j] != g->duty[d][k];
        }
        if (!ok) {
            snprintf(line, sizeof line, "D1: the certificate's duty leaders on %s are wrong", pp_day_name(d));
            fail(msgs, nf, line);
        }
    }
}

/* Spare rooms of the home type and spare care-capable staff per slot, as the
 * school file has them. */
static void measure(const g2_school *g, const pp_school *s, const idmap *m, g2_figures *f)
{
    f->groups = g->ngroups;
    f->spare_rooms_min = f->spare_staff_min = 1 << 30;
    f->course_slot_rooms_min = -1;
    int classroom = s->nclasses ? s->venues[s->classes[0].room].type : -1;
    for (int d = 0; d < PP_DAYS; d++)
        for (int p = 0; p < s->nperiods; p++) {
            if (!runs(s, p, d))
                continue;
            int groups = 0, need = 0, rooms = 0, staff = 0, course = 0;
            for (int i = 0; i < g->ngroups; i++) {
                const g2_group *x = &g->groups[i];
                if (x->day != d || !pp_periods_overlap(s, p, m->period[x->period]))
                    continue;
                groups++;
                if (m->period[x->period] == p)
                    need += x->nstaff;
            }
            if (!need)
                continue;
            for (int v = 0; v < s->nvenues; v++)
                rooms += s->venues[v].type == classroom && (s->venues[v].avail[d] >> p & 1);
            for (int w = 0; w < s->nstaff; w++)
                staff += s->staff[w].type != PP_STAFF_EXTERNAL && (s->staff[w].avail[d] >> p & 1);
            for (int a = 0; a < s->nactivities; a++)
                course |= !pp_activity_is_care(&s->activities[a]) && (s->activities[a].slots[d] >> p & 1);
            if (rooms - groups < f->spare_rooms_min)
                f->spare_rooms_min = rooms - groups, f->spare_rooms_day = d, f->spare_rooms_period = p;
            if (staff - need < f->spare_staff_min)
                f->spare_staff_min = staff - need, f->spare_staff_day = d, f->spare_staff_period = p;
            if (course && (f->course_slot_rooms_min < 0 || rooms - groups < f->course_slot_rooms_min))
                f->course_slot_rooms_min = rooms - groups;
        }
    int *sessions = g2_alloc(sizeof(int) * (size_t)s->nstaff), *mins = g2_alloc(sizeof(int) * (size_t)s->nstaff);
    for (int i = 0; i < g->ngroups; i++)
        for (int k = 0; k < g->groups[i].nstaff; k++) {
            int w = m->staff[g->groups[i].staff[k]];
            sessions[w]++;
            mins[w] += minutes(s, m->period[g->groups[i].period]);
        }
    for (int w = 0; w < s->nstaff; w++) {
        if (s->staff[w].type == PP_STAFF_EXTERNAL)
            continue;
        f->care_capable++;
        f->load_full += sessions[w] && (sessions[w] >= s->staff[w].max_sessions || s->staff[w].max_minutes - mins[w] < 40);
    }
    free(sessions);
    free(mins);
}

int g2_verify(const g2_school *g, const pp_school *s, g2_buf *msgs, g2_figures *f)
{
    int nf = 0;
    idmap m;
    memset(f, 0, sizeof *f);
    if (map_ids(g, s, &m, msgs, &nf) == 0) {
        check_coverage(g, s, &m, msgs, &nf);
        check_resources(g, s, &m, msgs, &nf);
        check_rooms(s, msgs, &nf);
        check_duty(g, s, &m, msgs, &nf, f);
        measure(g, s, &m, f);
    }
    free_map(&m);
    return nf;
}
