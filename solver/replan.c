/* replan.c - locks, the view of the school with the locked groups taken out, and
 * the figures of a re-plan (see replan.h). */
#include "replan.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "staff.h"

struct pp_replan {
    const pp_school *s;
    const pp_plan *previous;
    pp_school view;         /* s with its own students, staff and venues arrays (owned) */
    int viewed;             /* view differs from s */
    pp_plan *prev_view;     /* previous without the locked groups (owned; NULL: previous itself) */
    pp_perturb *pert;       /* charges in the view */
    pp_perturb *pert_real;  /* charges in s (NULL: pert) */
    char *locked;           /* per group of previous */
};

static int runs(const pp_school *s, int d, int p)
{
    return (s->day_mask & (1u << d)) && (s->periods[p].days & (1u << d));
}

static int number_of(const int *numbers, int g)
{
    return numbers ? numbers[g] : g + 1;
}

/* A club group meets at every slot of its week: the published groups of one
 * activity with the same students are locked together. */
static void expand_locks(const pp_school *s, const pp_plan *pv, const int *locks, int n, char *locked)
{
    for (int q = 0; q < n; q++) {
        if (locks[q] < 0 || locks[q] >= pv->ngroups)
            continue;
        const pp_group *g = &pv->groups[locks[q]];
        locked[locks[q]] = 1;
        if (pp_activity_is_care(&s->activities[g->activity]) || g->nstudents == 0)
            continue;
        for (int h = 0; h < pv->ngroups; h++) {
            const pp_group *o = &pv->groups[h];
            if (o->activity == g->activity && o->nstudents == g->nstudents &&
                !memcmp(o->students, g->students, (size_t)g->nstudents * sizeof(int)))
                locked[h] = 1;
        }
    }
}

typedef struct {
    const pp_school *s;
    const pp_plan *pv;
    const int *numbers;
    const char *locked;
    pp_diags *d;
    int bad;
} lock_ctx;

static void refuse(lock_ctx *c, int g, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void refuse(lock_ctx *c, int g, const char *fmt, ...)
{
    char msg[900];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    const pp_group *gr = &c->pv->groups[g];
    pp_diags_add(c->d, NULL, 0, "--lock g%d (%s, %s %s) cannot be kept: %s", number_of(c->numbers, g),
                 c->s->activities[gr->activity].name, pp_day_name(gr->day), c->s->periods[gr->period].name, msg);
    c->bad++;
}

static int check_venue(lock_ctx *c, int g)
{
    const pp_school *s = c->s;
    const pp_group *gr = &c->pv->groups[g];
    const pp_activity *a = &s->activities[gr->activity];
    if (gr->venue < 0) {
        refuse(c, g, "its venue is no longer in the school; expected a lock of a group whose venue is still there");
        return 0;
    }
    const pp_venue *v = &s->venues[gr->venue];
    int home = 0;
    for (int k = 0; k < gr->nclasses; k++)
        home |= s->classes[gr->classes[k]].room == gr->venue;
    if (!(v->avail[gr->day] & (1u << gr->period)))
        refuse(c, g, "venue %s (%s) is not available on %s %s (RULES.md V2)", v->id, v->name, pp_day_name(gr->day),
               s->periods[gr->period].name);
    else if (a->venue_type >= 0 && v->type != a->venue_type)
        refuse(c, g, "venue %s is of type %s; %s needs %s (V1)", v->id, s->venue_types[v->type], a->name,
               s->venue_types[a->venue_type]);
    else if (v->capacity < gr->nstudents && !home)
        refuse(c, g, "venue %s holds %d, the group has %d students (V2)", v->id, v->capacity, gr->nstudents);
    else
        return 1;
    return 0;
}

static int check_staff(lock_ctx *c, int g)
{
    const pp_school *s = c->s;
    const pp_group *gr = &c->pv->groups[g];
    const pp_activity *a = &s->activities[gr->activity];
    if (gr->nstaff != a->staff_per_group) {
        refuse(c, g, "it has %d of its %d staff still in the school (S1)", gr->nstaff, a->staff_per_group);
        return 0;
    }
    for (int k = 0; k < gr->nstaff; k++) {
        const pp_staff *m = &s->staff[gr->staff[k]];
        if (!(m->avail[gr->day] & (1u << gr->period))) {
            refuse(c, g, "staff %s (%s) is not available on %s %s (S3)", m->id, m->name, pp_day_name(gr->day),
                   s->periods[gr->period].name);
            return 0;
        }
        if (a->speciality >= 0 ? !pp_staff_has_spec(m, a->speciality) : m->type == PP_STAFF_EXTERNAL) {
            refuse(c, g, "staff %s (%s) may not lead %s (S2)", m->id, m->name, a->name);
            return 0;
        }
    }
    return 1;
}

static int check_students(lock_ctx *c, int g)
{
    const pp_school *s = c->s;
    const pp_group *gr = &c->pv->groups[g];
    const pp_activity *a = &s->activities[gr->activity];
    for (int j = 0; j < gr->nstudents; j++) {
        const pp_student *st = &s->students[gr->students[j]];
        if (!pp_perturb_asks(s, gr->students[j], gr->day, gr->period)) {
            refuse(c, g, "student %s (%s) no longer stays on %s %s (C2)", st->id, st->name, pp_day_name(gr->day),
                   s->periods[gr->period].name);
            return 0;
        }
        if (pp_activity_is_care(a))
            continue;
        int chose = 0;
        for (int r = 0; r < st->nchoices; r++)
            chose |= st->choices[r] == gr->activity;
        if (!chose || !(a->grade_mask & (1u << s->classes[st->cls].grade))) {
            refuse(c, g, "student %s (%s) no longer %s %s (K1)", st->id, st->name,
                   chose ? "is of a grade that may take" : "chooses", a->name);
            return 0;
        }
    }
    if (pp_activity_is_care(a)) {
        if (gr->nstudents > s->policy.group_max) {
            refuse(c, g, "it has %d students, more than group-max %d (G1)", gr->nstudents, s->policy.group_max);
            return 0;
        }
        return 1;
    }
    int lo = a->min_size > 0 ? a->min_size : 1, hi = a->max_size < s->policy.group_max ? a->max_size : s->policy.group_max;
    if (gr->nstudents < lo || gr->nstudents > hi) {
        refuse(c, g, "%d of its students are still in the school; %s takes %d to %d (K1)", gr->nstudents, a->name, lo, hi);
        return 0;
    }
    return 1;
}

/* A class's care students at a slot are one group: every other student of the
 * group's classes who asks for the slot must be held by another locked group. */
static int check_classmates(lock_ctx *c, int g)
{
    const pp_school *s = c->s;
    const pp_plan *pv = c->pv;
    const pp_group *gr = &pv->groups[g];
    if (!pp_activity_is_care(&s->activities[gr->activity]))
        return 1;
    for (int i = 0; i < s->nstudents; i++) {
        int mine = 0;
        for (int k = 0; k < gr->nclasses && !mine; k++)
            mine = s->students[i].cls == gr->classes[k];
        if (!mine || !pp_perturb_asks(s, i, gr->day, gr->period))
            continue;
        int held = 0;
        for (int h = 0; h < pv->ngroups && !held; h++) {
            const pp_group *o = &pv->groups[h];
            if (!c->locked[h] || o->day != gr->day || o->period != gr->period)
                continue;
            for (int j = 0; j < o->nstudents && !held; j++)
                held = o->students[j] == i;
        }
        if (!held) {
            refuse(c, g, "student %s (%s) of class %s also stays then and is in no locked group; a class's care "
                   "students form one group (G2), so g%d cannot keep exactly its published students",
                   s->students[i].id, s->students[i].name, s->classes[s->students[i].cls].name, number_of(c->numbers, g));
            return 0;
        }
    }
    return 1;
}

/* Locked groups must not share a venue or a person at the same time, and the
 * staff's weekly limits must hold for the locked sessions alone. */
static void check_together(lock_ctx *c)
{
    const pp_school *s = c->s;
    const pp_plan *pv = c->pv;
    int *sessions = calloc((size_t)s->nstaff + 1, sizeof *sessions), *minutes = calloc((size_t)s->nstaff + 1, sizeof *minutes);
    if (!sessions || !minutes) {
        pp_diags_add(c->d, NULL, 0, "out of memory while checking the locks");
        c->bad++;
        free(sessions);
        free(minutes);
        return;
    }
    for (int g = 0; g < pv->ngroups; g++) {
        const pp_group *a = &pv->groups[g];
        if (!c->locked[g])
            continue;
        for (int h = 0; h < g; h++) {
            const pp_group *b = &pv->groups[h];
            if (!c->locked[h] || a->day != b->day || !pp_periods_overlap(s, a->period, b->period))
                continue;
            if (a->venue >= 0 && a->venue == b->venue)
                refuse(c, g, "venue %s is also held by locked g%d at the same time (V3)", s->venues[a->venue].id,
                       number_of(c->numbers, h));
            for (int k = 0; k < a->nstaff; k++)
                for (int j = 0; j < b->nstaff; j++)
                    if (a->staff[k] == b->staff[j])
                        refuse(c, g, "staff %s also leads locked g%d at the same time (S3)", s->staff[a->staff[k]].id,
                               number_of(c->numbers, h));
        }
        for (int k = 0; k < a->nstaff; k++) {
            sessions[a->staff[k]]++;
            minutes[a->staff[k]] += pp_staff_post_minutes(s, a->period);
        }
    }
    for (int m = 0; m < s->nstaff; m++)
        if (sessions[m] > s->staff[m].max_sessions || minutes[m] > s->staff[m].max_minutes) {
            pp_diags_add(c->d, NULL, 0, "--lock: staff %s (%s) would lead %d sessions, %d minutes a week in the locked "
                         "groups alone; max-sessions %d, max-minutes %d (S4)", s->staff[m].id, s->staff[m].name,
                         sessions[m], minutes[m], s->staff[m].max_sessions, s->staff[m].max_minutes);
            c->bad++;
        }
    free(sessions);
    free(minutes);
}

int pp_replan_check_locks(const pp_school *s, const pp_plan *previous, const int *numbers, const int *locks,
                          int nlocks, pp_diags *d)
{
    char *locked = calloc((size_t)previous->ngroups + 1, 1);
    if (!locked) {
        pp_diags_add(d, NULL, 0, "out of memory while checking the locks");
        return 1;
    }
    lock_ctx c = { s, previous, numbers, locked, d, 0 };
    for (int q = 0; q < nlocks; q++)
        if (locks[q] < 0 || locks[q] >= previous->ngroups) {
            pp_diags_add(d, NULL, 0, "--lock: no group %d in the published plan", locks[q] + 1);
            c.bad++;
        }
    expand_locks(s, previous, locks, nlocks, locked);
    for (int g = 0; g < previous->ngroups; g++) {
        const pp_group *gr = &previous->groups[g];
        if (!locked[g])
            continue;
        const pp_activity *a = &s->activities[gr->activity];
        if (!runs(s, gr->day, gr->period) ||
            (pp_activity_is_care(a) ? s->periods[gr->period].care != gr->activity : !(a->slots[gr->day] & (1u << gr->period))))
            refuse(&c, g, "%s may no longer meet on %s %s (C3)", a->name, pp_day_name(gr->day), s->periods[gr->period].name);
        else if (check_venue(&c, g) && check_staff(&c, g) && check_students(&c, g))
            check_classmates(&c, g);
    }
    if (c.bad == 0)
        check_together(&c);
    free(locked);
    return c.bad;
}

/* ---------- the view ---------------------------------------------------------- */

/* Periods at the same clock time as p (p included): a room or a person taken at
 * p is taken at all of them. */
static uint32_t same_time(const pp_school *s, int p)
{
    uint32_t m = 0;
    for (int q = 0; q < s->nperiods; q++)
        if (pp_periods_overlap(s, p, q))
            m |= 1u << q;
    return m;
}

static int build_view(pp_replan *r)
{
    const pp_school *s = r->s;
    const pp_plan *pv = r->previous;
    r->view = *s;
    r->view.students = malloc((size_t)s->nstudents * sizeof *s->students + 1);
    r->view.staff = malloc((size_t)s->nstaff * sizeof *s->staff + 1);
    r->view.venues = malloc((size_t)s->nvenues * sizeof *s->venues + 1);
    r->prev_view = pp_plan_new();
    if (!r->view.students || !r->view.staff || !r->view.venues || !r->prev_view)
        return -1;
    r->viewed = 1;
    memcpy(r->view.students, s->students, (size_t)s->nstudents * sizeof *s->students);
    memcpy(r->view.staff, s->staff, (size_t)s->nstaff * sizeof *s->staff);
    memcpy(r->view.venues, s->venues, (size_t)s->nvenues * sizeof *s->venues);
    for (int g = 0; g < pv->ngroups; g++) {
        const pp_group *gr = &pv->groups[g];
        if (!r->locked[g]) {
            if (pp_plan_add_group(r->prev_view, s, gr->activity, gr->day, gr->period, gr->venue, gr->staff, gr->nstaff,
                                  gr->students, gr->nstudents) < 0)
                return -1;
            continue;
        }
        uint32_t at = same_time(s, gr->period);
        int club = !pp_activity_is_care(&s->activities[gr->activity]);
        for (int j = 0; j < gr->nstudents; j++) {
            pp_student *st = &r->view.students[gr->students[j]];
            st->stay[gr->day] &= ~(1u << gr->period);
            if (club)
                st->nchoices = 0;
        }
        if (gr->venue >= 0)
            r->view.venues[gr->venue].avail[gr->day] &= ~at;
        for (int k = 0; k < gr->nstaff; k++) {
            pp_staff *m = &r->view.staff[gr->staff[k]];
            m->avail[gr->day] &= ~at;
            m->max_sessions--;
            m->max_minutes -= pp_staff_post_minutes(s, gr->period);
        }
    }
    for (int u = 0; u < pv->nunserved; u++)
        if (pp_plan_add_unserved(r->prev_view, pv->unserved[u].student, pv->unserved[u].day, pv->unserved[u].period,
                                 pv->unserved[u].reason))
            return -1;
    for (int i = 0; i < pv->nduty; i++)
        if (pp_plan_set_duty(r->prev_view, pv->duty[i].day, pv->duty[i].staff, pv->duty[i].nstaff))
            return -1;
    return 0;
}

pp_replan *pp_replan_new(const pp_school *s, const pp_solve_params *prm, pp_diags *d)
{
    if (pp_replan_check_locks(s, prm->previous, prm->previous_numbers, prm->locks, prm->nlocks, d))
        return NULL;
    pp_replan *r = calloc(1, sizeof *r);
    if (!r) {
        pp_diags_add(d, NULL, 0, "out of memory while preparing the re-plan");
        return NULL;
    }
    r->s = s;
    r->previous = prm->previous;
    r->locked = calloc((size_t)prm->previous->ngroups + 1, 1);
    int bad = !r->locked;
    if (!bad)
        expand_locks(s, prm->previous, prm->locks, prm->nlocks, r->locked);
    if (!bad && prm->nlocks > 0) {
        bad = build_view(r) || !(r->pert = pp_perturb_new(&r->view, r->prev_view)) ||
              !(r->pert_real = pp_perturb_new(s, prm->previous));
    } else if (!bad)
        bad = !(r->pert = pp_perturb_new(s, prm->previous));
    if (bad) {
        pp_diags_add(d, NULL, 0, "out of memory while preparing the re-plan");
        pp_replan_free(r);
        return NULL;
    }
    return r;
}

void pp_replan_free(pp_replan *r)
{
    if (!r)
        return;
    if (r->viewed) {
        free(r->view.students);
        free(r->view.staff);
        free(r->view.venues);
    }
    pp_plan_free(r->prev_view);
    pp_perturb_free(r->pert);
    pp_perturb_free(r->pert_real);
    free(r->locked);
    free(r);
}

const pp_school *pp_replan_school(const pp_replan *r)
{
    return r->viewed ? &r->view : r->s;
}

const pp_perturb *pp_replan_perturb(const pp_replan *r)
{
    return r->pert;
}

/* ---------- the plan's figures -------------------------------------------------- */

static double additive(const pp_cost_parts *c)
{
    return c->unserved + c->choices + c->groups + c->cross_grade + c->external;
}

static int same_group(const pp_group *a, const pp_group *b)
{
    return a->activity == b->activity && a->day == b->day && a->period == b->period && a->venue == b->venue &&
           a->nstaff == b->nstaff && !memcmp(a->staff, b->staff, (size_t)a->nstaff * sizeof(int)) &&
           a->nstudents == b->nstudents && !memcmp(a->students, b->students, (size_t)a->nstudents * sizeof(int));
}

/* Whether plan is previous group for group (both in pp_plan_sort order), with the
 * same unserved entries and duty leaders. */
static int unchanged(const pp_school *s, const pp_plan *previous, const pp_plan *plan)
{
    if (previous->ngroups != plan->ngroups || previous->nunserved != plan->nunserved || previous->nduty != plan->nduty)
        return 0;
    pp_plan *copy = pp_plan_new();
    int same = copy != NULL;
    for (int g = 0; g < previous->ngroups && same; g++) {
        const pp_group *o = &previous->groups[g];
        same = pp_plan_add_group(copy, s, o->activity, o->day, o->period, o->venue, o->staff, o->nstaff, o->students,
                                 o->nstudents) >= 0;
    }
    if (same)
        pp_plan_sort(copy, s);
    for (int g = 0; g < plan->ngroups && same; g++)
        same = same_group(&copy->groups[g], &plan->groups[g]);
    pp_plan_free(copy);
    for (int u = 0; u < plan->nunserved && same; u++) {
        int found = 0;
        for (int v = 0; v < previous->nunserved && !found; v++)
            found = previous->unserved[v].student == plan->unserved[u].student &&
                    previous->unserved[v].day == plan->unserved[u].day &&
                    previous->unserved[v].period == plan->unserved[u].period;
        same = found;
    }
    for (int i = 0; i < plan->nduty && same; i++) {
        int found = 0;
        for (int j = 0; j < previous->nduty && !found; j++)
            found = previous->duty[j].day == plan->duty[i].day && previous->duty[j].nstaff == plan->duty[i].nstaff &&
                    !memcmp(previous->duty[j].staff, plan->duty[i].staff, (size_t)plan->duty[i].nstaff * sizeof(int));
        same = found;
    }
    return same;
}

int pp_replan_finish(pp_replan *r, pp_plan *plan, double gap_target, const char *digest)
{
    const pp_school *s = r->s;
    const pp_plan *pv = r->previous;
    pp_cost_parts view, real;
    if (pp_plan_cost_parts(pp_replan_school(r), plan, &view))
        return -1;
    for (int g = 0; g < pv->ngroups; g++) {
        const pp_group *o = &pv->groups[g];
        if (r->locked[g] && pp_plan_add_group(plan, s, o->activity, o->day, o->period, o->venue, o->staff, o->nstaff,
                                              o->students, o->nstudents) < 0)
            return -1;
    }
    pp_plan_sort(plan, s);
    const pp_perturb *pert = r->pert_real ? r->pert_real : r->pert;
    for (int i = 0; r->pert_real && i < plan->nduty; i++) {
        /* the view took the locked staff's slots away, which may have cost them a
         * published duty day they can still take */
        int who[64], n = pp_perturb_duty(pert, plan->duty[i].day, who, 64);
        if (n > 0 && pp_plan_set_duty(plan, plan->duty[i].day, who, n))
            return -1;
    }
    double charges = pp_perturb_cost(pert, plan);
    if (pp_plan_cost_parts(s, plan, &real) || isnan(charges))
        return -1;
    pp_plan_stats *st = &plan->stats;
    st->objective = real.total + charges;
    st->bound += additive(&real) - additive(&view);
    int same_file = digest && *digest && !strcmp(digest, pv->stats.school_digest);
    /* the published plan kept: its bound, which holds for it (the charges of
     * keeping it are 0) and, for the same file, for the school; the new search's
     * bound differs from run to run (issue 15: the same file gives the same
     * timetable.xml) */
    if (isfinite(pv->stats.bound) && (same_file || pv->stats.bound < st->bound) && unchanged(s, pv, plan))
        st->bound = pv->stats.bound;
    if (st->bound > st->objective)
        st->bound = st->objective;
    st->gap = (st->objective - st->bound) / fmax(fabs(st->objective), 1e-9);
    st->status = plan->nunserved ? PP_STATUS_PARTIAL : st->gap <= gap_target + 1e-9 ? PP_STATUS_OPTIMAL : PP_STATUS_FEASIBLE;
    return 0;
}
