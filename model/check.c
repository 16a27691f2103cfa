/* check.c - the checker's frame: refuses a plan of another school, sorts a copy of
 * the groups into timetable.xml order (the numbers in messages then match the file
 * the administrator has open, and the groups of a slot are contiguous, which the
 * per-slot passes rely on), runs the rule families, and keeps the counts and the
 * bounded listing.  The rules themselves are in check_cover.c (C, P1),
 * check_clubs.c (K, P2), check_care.c (G) and check_resources.c (V, S, D). */
#include "check_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const rule_ids[PP_CHECK_NRULES] = {
    "C1", "C2", "C3", "P1", "P2", "K1", "K2", "G1", "G2", "G3", "G4", "G5", "G6", "G7",
    "V1", "V2", "V3", "S1", "S2", "S3", "S4", "D1", "plan",
};

const char *pp_check_rule_id(pp_check_rule r)
{
    return r >= 0 && r < PP_CHECK_NRULES ? rule_ids[r] : "?";
}

int pp_ck_listed(const pp_ck *c, pp_check_rule r)
{
    return c->n.by_rule[r] < PP_CHECK_LIST_MAX;
}

/* Appends "PREFIXtext" to d, text formatted from fmt and ap. */
static void add_v(pp_diags *d, const char *prefix, const char *fmt, va_list ap)
{
    char body[1024];
    vsnprintf(body, sizeof body, fmt, ap);
    pp_diags_add(d, NULL, 0, "%s%s", prefix, body);
}

void pp_ck_viol(pp_ck *c, pp_check_rule r, const char *fmt, ...)
{
    c->n.violations++;
    if (++c->n.by_rule[r] > PP_CHECK_LIST_MAX)
        return;
    char prefix[16];
    snprintf(prefix, sizeof prefix, "[%s] ", rule_ids[r]);
    va_list ap;
    va_start(ap, fmt);
    add_v(c->list[r], prefix, fmt, ap);
    va_end(ap);
}

void pp_ck_note(pp_ck *c, const char *fmt, ...)
{
    c->n.notes++;
    if (!c->notes)
        return;
    va_list ap;
    va_start(ap, fmt);
    add_v(c->notes, "", fmt, ap);
    va_end(ap);
}

void pp_ck_oom(pp_ck *c, const char *pass)
{
    c->oom = 1;
    pp_diags_add(c->list[PP_RULE_PLAN], NULL, 0, "out of memory while checking %s; the check is incomplete", pass);
}

void pp_ck_put(pp_ck_text *t, const char *fmt, ...)
{
    if (t->len + 1 >= t->cap)
        return;
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(t->b + t->len, t->cap - t->len, fmt, ap);
    va_end(ap);
    if (k > 0)
        t->len = t->len + (size_t)k < t->cap ? t->len + (size_t)k : t->cap - 1;
}

const char *pp_ck_slot(const pp_school *s, int day, int period, char *buf)
{
    snprintf(buf, PP_CK_LABEL, "%s %.200s", pp_day_name(day), s->periods[period].id);
    return buf;
}

const char *pp_ck_group(const pp_ck *c, int i, char *buf)
{
    const pp_group *g = &c->g[i];
    snprintf(buf, PP_CK_LABEL, "%.150s g%d (%s %.120s)", c->s->activities[g->activity].id, i + 1, pp_day_name(g->day),
             c->s->periods[g->period].id);
    return buf;
}

const char *pp_ck_gname(const pp_ck *c, int i, char *buf)
{
    snprintf(buf, PP_CK_LABEL, "%.200s g%d", c->s->activities[c->g[i].activity].id, i + 1);
    return buf;
}

static int in_range(int v, int n) { return v >= 0 && v < n; }

/* A plan made for another school (or corrupted) would make every later pass index
 * out of bounds: refuse it as a whole. */
static int plan_fits_school(pp_ck *c)
{
    const pp_school *s = c->s;
    for (int i = 0; i < c->p->ngroups; i++) {
        const pp_group *g = &c->p->groups[i];
        int ok = in_range(g->activity, s->nactivities) && in_range(g->day, PP_DAYS) &&
                 in_range(g->period, s->nperiods) && (g->venue == -1 || in_range(g->venue, s->nvenues)) &&
                 g->nstaff >= 0 && g->nstudents >= 0 && g->nclasses >= 0;
        for (int k = 0; ok && k < g->nstaff; k++)
            ok = in_range(g->staff[k], s->nstaff);
        for (int k = 0; ok && k < g->nstudents; k++)
            ok = in_range(g->students[k], s->nstudents);
        for (int k = 0; ok && k < g->nclasses; k++)
            ok = in_range(g->classes[k], s->nclasses);
        if (!ok) {
            pp_ck_viol(c, PP_RULE_PLAN, "group %d of the plan refers to an activity, slot, venue, staff member, class or "
                       "student that school \"%s\" does not have; expected a plan made for this school", i + 1, s->id);
            return 0;
        }
    }
    for (int i = 0; i < c->p->nunserved; i++) {
        const pp_unserved *u = &c->p->unserved[i];
        if (!in_range(u->student, s->nstudents) || !in_range(u->day, PP_DAYS) || !in_range(u->period, s->nperiods)) {
            pp_ck_viol(c, PP_RULE_PLAN, "unserved entry %d refers to a student or slot school \"%s\" does not have; "
                       "expected a plan made for this school", i + 1, s->id);
            return 0;
        }
    }
    for (int i = 0; i < c->p->nduty; i++) {
        const pp_duty *t = &c->p->duty[i];
        int ok = in_range(t->day, PP_DAYS) && t->nstaff >= 0;
        for (int k = 0; ok && k < t->nstaff; k++)
            ok = in_range(t->staff[k], s->nstaff);
        if (!ok) {
            pp_ck_viol(c, PP_RULE_PLAN, "a duty entry refers to a day or staff member school \"%s\" does not have; "
                       "expected a plan made for this school", s->id);
            return 0;
        }
    }
    return 1;
}

/* The sorted copy of the groups and the overlap table. */
static int prepare(pp_ck *c)
{
    const pp_school *s = c->s;
    c->ng = c->p->ngroups;
    c->g = malloc((size_t)(c->ng + 1) * sizeof *c->g);
    if (!c->g)
        return 0;
    if (c->ng)
        memcpy(c->g, c->p->groups, (size_t)c->ng * sizeof *c->g);
    pp_plan copy = *c->p;
    copy.groups = c->g;
    pp_plan_sort(&copy, s);
    for (int i = 1; i < c->ng; i++) { /* pp_plan_sort leaves the order alone when out of memory */
        const pp_group *a = &c->g[i - 1], *b = &c->g[i];
        int ka[] = { a->day, a->period, a->activity }, kb[] = { b->day, b->period, b->activity };
        if (pp_ck_cmp_ints(ka, kb, 3) > 0)
            return 0; /* the per-slot passes need each (slot, activity) contiguous */
    }
    for (int p = 0; p < s->nperiods && p < PP_MAX_PERIODS; p++)
        for (int q = 0; q < s->nperiods && q < PP_MAX_PERIODS; q++)
            if (pp_periods_overlap(s, p, q))
                c->overlap[p] |= 1u << q;
    return 1;
}

/* Each rule's listed messages in RULES.md order, then how many were not listed. */
static void flush(pp_ck *c, pp_diags *out)
{
    if (!out)
        return;
    for (int r = 0; r < PP_CHECK_NRULES; r++) {
        if (!c->list[r])
            continue;
        for (int i = 0; i < pp_diags_count(c->list[r]); i++)
            pp_diags_add(out, NULL, 0, "%s", pp_diags_get(c->list[r], i));
        if (c->n.by_rule[r] > PP_CHECK_LIST_MAX)
            pp_diags_add(out, NULL, 0, "... and %d more [%s] violations", c->n.by_rule[r] - PP_CHECK_LIST_MAX,
                         rule_ids[r]);
    }
}

int pp_check_run(const pp_school *s, const pp_plan *p, pp_diags *violations, pp_diags *notes, pp_check_counts *counts)
{
    pp_ck c;
    memset(&c, 0, sizeof c);
    c.s = s;
    c.p = p;
    c.notes = notes;
    int lists = 1;
    for (int r = 0; r < PP_CHECK_NRULES; r++)
        lists &= (c.list[r] = pp_diags_new()) != NULL;
    if (!lists) {
        c.oom = 1;
        if (violations)
            pp_diags_add(violations, NULL, 0, "out of memory while checking; the check is incomplete");
    } else if (plan_fits_school(&c)) {
        if (!prepare(&c))
            pp_ck_oom(&c, "the plan");
        else {
            pp_ck_slots(&c);
            pp_ck_coverage(&c);
            pp_ck_clubs(&c);
            pp_ck_care(&c);
            pp_ck_resources(&c);
            pp_ck_duty(&c);
        }
    }
    flush(&c, violations);
    for (int r = 0; r < PP_CHECK_NRULES; r++)
        pp_diags_free(c.list[r]);
    free(c.g);
    if (counts)
        *counts = c.n;
    return c.oom ? -1 : c.n.violations;
}

int pp_check_plan(const pp_school *s, const pp_plan *p, pp_diags *d)
{
    pp_check_counts n;
    int v = pp_check_run(s, p, d, NULL, &n);
    return v < 0 ? n.violations + 1 : v;
}

const char *pp_check_summary(const pp_check_counts *n, char *buf, size_t size)
{
    pp_ck_text t = { buf, size, 0 };
    if (size)
        buf[0] = '\0';
    pp_ck_put(&t, "%d violation%s", n->violations, n->violations == 1 ? "" : "s");
    const char *sep = " (by rule: ";
    for (int r = 0; r < PP_CHECK_NRULES; r++)
        if (n->by_rule[r]) {
            pp_ck_put(&t, "%s%s %d", sep, rule_ids[r], n->by_rule[r]);
            sep = ", ";
        }
    if (n->violations)
        pp_ck_put(&t, ")");
    pp_ck_put(&t, ", %d note%s", n->notes, n->notes == 1 ? "" : "s");
    return buf;
}
