/* write.c - the school file (docs/FORMAT.md "School") and the certificate as a
 * timetable (docs/FORMAT.md "Timetable"), written into memory so the generator can
 * load the school with paipian's own loader before anything reaches a file.
 * Written by hand, not through io/school_write.c, so the loader also meets a writer
 * it was not developed with.  Output is a function of the generated school only. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "bench/gen2/gen2.h"

#define BIT(i) (1u << (i))

void g2_printf(g2_buf *b, const char *fmt, ...)
{
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        size_t room = b->cap - b->len;
        int n = vsnprintf(b->p ? b->p + b->len : NULL, b->p ? room : 0, fmt, ap);
        va_end(ap);
        if (n < 0)
            return;
        if (b->p && (size_t)n < room) {
            b->len += (size_t)n;
            return;
        }
        b->cap = (b->cap + (size_t)n + 1) * 2;
        b->p = g2_grow(b->p, b->cap);
    }
}

void g2_esc(g2_buf *b, const char *text)
{
    for (const char *c = text; *c; c++)
        switch (*c) {
        case '&': g2_printf(b, "&amp;"); break;
        case '<': g2_printf(b, "&lt;"); break;
        case '>': g2_printf(b, "&gt;"); break;
        case '"': g2_printf(b, "&quot;"); break;
        default: g2_printf(b, "%c", *c);
        }
}

const char *g2_day_name(int d)
{
    static const char *const DAYS[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    return d >= 0 && d < G2_DAYS ? DAYS[d] : "?";
}

static void day_list(g2_buf *b, unsigned days)
{
    const char *sep = "";
    for (int d = 0; d < G2_DAYS; d++)
        if (days & BIT(d)) {
            g2_printf(b, "%s%s", sep, g2_day_name(d));
            sep = " ";
        }
}

static void period_list(g2_buf *b, const g2_school *s, unsigned periods)
{
    const char *sep = "";
    for (int p = 0; p < s->nperiods; p++)
        if (periods & BIT(p)) {
            g2_printf(b, "%s%s", sep, s->periods[p].id);
            sep = " ";
        }
}

static void attr(g2_buf *b, const char *name, const char *value)
{
    g2_printf(b, " %s=\"", name);
    g2_esc(b, value);
    g2_printf(b, "\"");
}

static unsigned days_of(const g2_school *s, int p)
{
    unsigned m = 0;
    for (int d = 0; d < G2_DAYS; d++)
        if (g2_period_runs(s, p, d))
            m |= BIT(d);
    return m;
}

/* <unavailable> elements for off[d] (periods unusable on day d, among those that
 * run): whole days first, then one element per set of periods off on the same days. */
static void unavailable(g2_buf *b, const g2_school *s, const unsigned off_in[G2_DAYS])
{
    unsigned off[G2_DAYS], whole = 0;
    for (int d = 0; d < G2_DAYS; d++) {
        off[d] = off_in[d] & g2_running(s, d);
        if (g2_running(s, d) && off[d] == g2_running(s, d))
            whole |= BIT(d), off[d] = 0;
    }
    if (whole) {
        g2_printf(b, "      <unavailable days=\"");
        day_list(b, whole);
        g2_printf(b, "\"/>\n");
    }
    unsigned done = 0;
    for (int p = 0; p < s->nperiods; p++) {
        unsigned ds = 0;
        for (int d = 0; d < G2_DAYS; d++)
            if (off[d] & BIT(p))
                ds |= BIT(d);
        if (!ds || (done & BIT(p)))
            continue;
        unsigned ps = 0;
        for (int q = p; q < s->nperiods; q++) {
            unsigned dq = 0;
            for (int d = 0; d < G2_DAYS; d++)
                if (off[d] & BIT(q))
                    dq |= BIT(d);
            if (dq == ds)
                ps |= BIT(q);
        }
        done |= ps;
        g2_printf(b, "      <unavailable days=\"");
        day_list(b, ds);
        g2_printf(b, "\" periods=\"");
        period_list(b, s, ps);
        g2_printf(b, "\"/>\n");
    }
}

static const char *season_id(const g2_school *s, int k)
{
    if (s->cfg.seasons < 2)
        return "term";
    return k == G2_SUMMER ? "summer" : "winter";
}

static void write_seasons(g2_buf *b, const g2_school *s)
{
    g2_printf(b, "  <seasons>\n");
    if (s->cfg.seasons < 2)
        g2_printf(b, "    <season id=\"term\" name=\"全学期\" start=\"2026-09-01\" end=\"2027-01-22\"/>\n");
    else if (s->cfg.spring) { /* spring term: winter times first (003 冬春季 / 夏秋季) */
        g2_printf(b, "    <season id=\"winter\" name=\"冬令时\" start=\"2027-02-22\" end=\"2027-04-30\"/>\n");
        g2_printf(b, "    <season id=\"summer\" name=\"夏令时\" start=\"2027-05-01\" end=\"2027-07-02\"/>\n");
    } else {
        g2_printf(b, "    <season id=\"summer\" name=\"夏令时\" start=\"2026-09-01\" end=\"2026-10-07\"/>\n");
        g2_printf(b, "    <season id=\"winter\" name=\"冬令时\" start=\"2026-10-08\" end=\"2027-01-22\"/>\n");
    }
    g2_printf(b, "  </seasons>\n");
}

static void write_periods(g2_buf *b, const g2_school *s)
{
    unsigned all = 0;
    for (int i = 0; i < s->ngrades; i++)
        all |= BIT(s->grades[i]);
    g2_printf(b, "  <periods>\n");
    for (int p = 0; p < s->nperiods; p++) {
        const g2_period *x = &s->periods[p];
        g2_printf(b, "    <period id=\"%s\"", x->id);
        attr(b, "name", x->name);
        g2_printf(b, " kind=\"%s\"", x->kind);
        if ((x->days & s->days) != s->days) {
            g2_printf(b, " days=\"");
            day_list(b, x->days & s->days);
            g2_printf(b, "\"");
        }
        if (x->grades != all) {
            g2_printf(b, " grades=\"");
            const char *sep = "";
            for (int g = 1; g <= 12; g++)
                if (x->grades & BIT(g))
                    g2_printf(b, "%s%d", sep, g), sep = " ";
            g2_printf(b, "\"");
        }
        g2_printf(b, " care=\"%s\">\n", s->acts[x->care].id);
        for (int k = 0; k < G2_SEASONS; k++)
            if (x->start[k] >= 0)
                g2_printf(b, "      <window season=\"%s\" start=\"%02d:%02d\" end=\"%02d:%02d\"/>\n", season_id(s, k),
                          x->start[k] / 60, x->start[k] % 60, x->end[k] / 60, x->end[k] % 60);
        g2_printf(b, "    </period>\n");
    }
    g2_printf(b, "  </periods>\n");
}

static void write_venues(g2_buf *b, const g2_school *s)
{
    g2_printf(b, "  <venues>\n");
    for (int v = 0; v < s->nvenues; v++) {
        const g2_venue *x = &s->venues[v];
        int off = 0;
        for (int d = 0; d < G2_DAYS; d++)
            off |= (x->unavail[d] & g2_running(s, d)) != 0;
        g2_printf(b, "    <venue id=\"%s\"", x->id);
        attr(b, "name", x->name);
        g2_printf(b, " type=\"%s\" capacity=\"%d\"%s\n", x->type, x->cap, off ? ">" : "/>");
        if (off) {
            unavailable(b, s, x->unavail);
            g2_printf(b, "    </venue>\n");
        }
    }
    g2_printf(b, "  </venues>\n");
}

static void grade_list(g2_buf *b, unsigned grades)
{
    const char *sep = "";
    for (int g = 1; g <= 12; g++)
        if (grades & BIT(g))
            g2_printf(b, "%s%d", sep, g), sep = " ";
}

static void write_activity(g2_buf *b, const g2_school *s, const g2_activity *x)
{
    g2_printf(b, "    <activity id=\"%s\"", x->id);
    attr(b, "name", x->name);
    g2_printf(b, " kind=\"%s\"", x->kind);
    if (x->category)
        attr(b, "category", x->category);
    if (x->tier)
        g2_printf(b, " tier=\"%s\"", x->tier);
    if (x->sessions > 1)
        g2_printf(b, " sessions=\"%d\"", x->sessions);
    if (x->grades) {
        g2_printf(b, " grades=\"");
        grade_list(b, x->grades);
        g2_printf(b, "\"");
    }
    if (x->min >= 0)
        g2_printf(b, " min=\"%d\"", x->min);
    if (x->max >= 0)
        g2_printf(b, " max=\"%d\"", x->max);
    if (x->merge >= 0)
        g2_printf(b, " merge-threshold=\"%d\"", x->merge);
    if (x->venue_type)
        g2_printf(b, " venue-type=\"%s\"", x->venue_type);
    if (x->spec)
        g2_printf(b, " speciality=\"%s\"", x->spec);
    if (x->spg > 1)
        g2_printf(b, " staff-per-group=\"%d\"", x->spg);
    if (x->fee && x->fee != 20)
        g2_printf(b, " fee=\"%d\"", x->fee);
    if (x->provider)
        attr(b, "provider", x->provider);
    unsigned any = 0;
    for (int d = 0; d < G2_DAYS; d++)
        any |= x->slots[d];
    if (!any) {
        g2_printf(b, "/>\n");
        return;
    }
    g2_printf(b, ">\n");
    for (int p = 0; p < s->nperiods; p++) {
        unsigned ds = 0;
        for (int d = 0; d < G2_DAYS; d++)
            if (x->slots[d] & BIT(p))
                ds |= BIT(d);
        if (!ds)
            continue;
        g2_printf(b, "      <slot days=\"");
        day_list(b, ds);
        g2_printf(b, "\" periods=\"%s\"/>\n", s->periods[p].id);
    }
    g2_printf(b, "    </activity>\n");
}

static void write_staff(g2_buf *b, const g2_school *s)
{
    static const char *const TYPES[] = {"teacher", "retired", "external", "volunteer"};
    g2_printf(b, "  <staff>\n");
    for (int i = 0; i < s->nstaff; i++) {
        const g2_staff *m = &s->staff[i];
        g2_printf(b, "    <member id=\"%s\"", m->id);
        attr(b, "name", m->name);
        g2_printf(b, " type=\"%s\"", TYPES[m->type]);
        if (m->nspec) {
            g2_printf(b, " specialities=\"");
            for (int k = 0; k < m->nspec; k++)
                g2_printf(b, "%s%s", k ? " " : "", m->spec[k]);
            g2_printf(b, "\"");
        }
        if (m->max_sessions != 10)
            g2_printf(b, " max-sessions=\"%d\"", m->max_sessions);
        if (m->max_minutes != 600)
            g2_printf(b, " max-minutes=\"%d\"", m->max_minutes);
        if (m->duty)
            g2_printf(b, " duty-leader=\"true\"");
        unsigned off[G2_DAYS];
        int any = 0;
        for (int d = 0; d < G2_DAYS; d++)
            any |= (off[d] = ~m->avail[d] & g2_running(s, d)) != 0;
        if (!any) {
            g2_printf(b, "/>\n");
            continue;
        }
        g2_printf(b, ">\n");
        unavailable(b, s, off);
        g2_printf(b, "    </member>\n");
    }
    g2_printf(b, "  </staff>\n");
}

static void student_id(char *buf, size_t n, const g2_school *s, int i)
{
    snprintf(buf, n, s->nstudents > 9999 ? "s%05d" : "s%04d", i + 1);
}

static void write_stays(g2_buf *b, const g2_school *s, const g2_student *st)
{
    unsigned mask[G2_MAXP], full = 0, done = 0;
    for (int p = 0; p < s->nperiods; p++) {
        mask[p] = 0;
        for (int d = 0; d < G2_DAYS; d++)
            if (st->stay[d] & BIT(p))
                mask[p] |= BIT(d);
        if (mask[p] && mask[p] == days_of(s, p))
            full |= BIT(p);
    }
    if (full) { /* a stay without days covers the days each period runs */
        g2_printf(b, "      <stay periods=\"");
        period_list(b, s, full);
        g2_printf(b, "\"/>\n");
    }
    done = full;
    for (int p = 0; p < s->nperiods; p++) {
        if (!mask[p] || (done & BIT(p)))
            continue;
        unsigned ps = 0;
        for (int q = p; q < s->nperiods; q++)
            if (!(done & BIT(q)) && mask[q] == mask[p])
                ps |= BIT(q);
        done |= ps;
        g2_printf(b, "      <stay days=\"");
        day_list(b, mask[p]);
        g2_printf(b, "\" periods=\"");
        period_list(b, s, ps);
        g2_printf(b, "\"/>\n");
    }
}

static void write_students(g2_buf *b, const g2_school *s)
{
    static const char *const PRIO[] = {"disabled", "left-behind", "migrant", "low-income"};
    g2_printf(b, "  <students>\n");
    for (int i = 0; i < s->nstudents; i++) {
        const g2_student *st = &s->students[i];
        char id[16];
        student_id(id, sizeof id, s, i);
        g2_printf(b, "    <student id=\"%s\"", id);
        attr(b, "name", st->name);
        g2_printf(b, " class=\"%s\"", s->classes[st->cls].id);
        if (st->prio) {
            g2_printf(b, " priority=\"");
            const char *sep = "";
            for (int k = 0; k < 4; k++)
                if (st->prio & BIT(k))
                    g2_printf(b, "%s%s", sep, PRIO[k]), sep = " ";
            g2_printf(b, "\"");
        }
        if (st->nchoice) {
            g2_printf(b, " choices=\"");
            for (int k = 0; k < st->nchoice; k++)
                g2_printf(b, "%s%s", k ? " " : "", s->acts[st->choice[k]].id);
            g2_printf(b, "\"");
        }
        int stays = 0;
        for (int d = 0; d < G2_DAYS; d++)
            stays |= st->stay[d] != 0;
        if (!stays) {
            g2_printf(b, "/>\n");
            continue;
        }
        g2_printf(b, ">\n");
        write_stays(b, s, st);
        g2_printf(b, "    </student>\n");
    }
    g2_printf(b, "  </students>\n");
}

void g2_write_school(g2_buf *b, const g2_school *s)
{
    const g2_config *c = &s->cfg;
    g2_printf(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    g2_printf(b, "<!-- generated by build/bench/gen2 (name %s, students %d, seed %llu, shape: %s); "
                 "see instances/robust/README.md -->\n",
              c->name, c->students, (unsigned long long)c->seed, c->shape);
    g2_printf(b, "<school xmlns=\"urn:paipian:school:1\" id=\"%s\"", c->name);
    attr(b, "name", s->name);
    g2_printf(b, " days=\"");
    day_list(b, s->days);
    g2_printf(b, "\">\n");
    if (c->gm >= 0 || c->cmt >= 0 || c->qa >= 0 || c->cmin >= 0 || c->dlpd >= 0 || c->adj == 0) {
        g2_printf(b, "  <policy");
        if (c->gm >= 0)
            g2_printf(b, " group-max=\"%d\"", c->gm);
        if (c->cmt >= 0)
            g2_printf(b, " class-merge-threshold=\"%d\"", c->cmt);
        if (c->qa >= 0)
            g2_printf(b, " qa-min=\"%d\"", c->qa);
        if (c->cmin >= 0)
            g2_printf(b, " course-min=\"%d\"", c->cmin);
        if (c->dlpd >= 0)
            g2_printf(b, " duty-leaders-per-day=\"%d\"", c->dlpd);
        if (c->adj == 0)
            g2_printf(b, " adjacent-grade-merge=\"false\"");
        g2_printf(b, "/>\n");
    }
    write_seasons(b, s);
    write_periods(b, s);
    g2_printf(b, "  <grades>\n");
    static const char *const GRADE_ZH[] = {"", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
    for (int i = 0; i < s->ngrades; i++)
        g2_printf(b, "    <grade level=\"%d\" name=\"%s年级\"/>\n", s->grades[i], GRADE_ZH[s->grades[i]]);
    g2_printf(b, "  </grades>\n");
    write_venues(b, s);
    g2_printf(b, "  <classes>\n");
    for (int i = 0; i < s->nclasses; i++) {
        const g2_class *k = &s->classes[i];
        g2_printf(b, "    <class id=\"%s\"", k->id);
        attr(b, "name", k->name);
        g2_printf(b, " grade=\"%d\" room=\"%s\"/>\n", k->grade, s->venues[k->room].id);
    }
    g2_printf(b, "  </classes>\n  <activities>\n");
    for (int a = 0; a < s->nacts; a++)
        write_activity(b, s, &s->acts[a]);
    g2_printf(b, "  </activities>\n");
    write_staff(b, s);
    write_students(b, s);
    g2_printf(b, "</school>\n");
}

void g2_write_certificate(g2_buf *b, const g2_school *s)
{
    g2_printf(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    g2_printf(b, "<!-- the certificate of %s: every student in care with the own class, no club or course -->\n",
              s->cfg.name);
    g2_printf(b, "<timetable xmlns=\"urn:paipian:timetable:1\" school=\"%s\" status=\"feasible\">\n", s->cfg.name);
    for (int i = 0; i < s->ngroups; i++) {
        const g2_group *g = &s->groups[i];
        g2_printf(b, "  <group id=\"g%d\" activity=\"%s\" day=\"%s\" period=\"%s\" venue=\"%s\" staff=\"", i + 1,
                  s->acts[s->periods[g->period].care].id, g2_day_name(g->day), s->periods[g->period].id,
                  s->venues[g->venue].id);
        for (int k = 0; k < g->nstaff; k++)
            g2_printf(b, "%s%s", k ? " " : "", s->staff[g->staff[k]].id);
        g2_printf(b, "\" students=\"");
        for (int k = 0; k < g->size; k++) {
            char id[16];
            student_id(id, sizeof id, s, g->students[k]);
            g2_printf(b, "%s%s", k ? " " : "", id);
        }
        g2_printf(b, "\"/>\n");
    }
    for (int d = 0; d < G2_DAYS; d++) {
        if (!s->nduty[d])
            continue;
        g2_printf(b, "  <duty day=\"%s\" staff=\"", g2_day_name(d));
        for (int k = 0; k < s->nduty[d]; k++)
            g2_printf(b, "%s%s", k ? " " : "", s->staff[s->duty[d][k]].id);
        g2_printf(b, "\"/>\n");
    }
    g2_printf(b, "</timetable>\n");
}
