/* school_write.c - canonical school XML writer (see school_write.h).
 *
 * Everything the loader (io/school_xml.c) turns into a field is written back
 * explicitly.  Availability is written as the complement the loader subtracts:
 * days with the same unavailable periods share one <unavailable>; slots and stays
 * always name their days, because "absent days" means "the days the period runs",
 * which is not an exact inverse.  Element order matters for the interned venue
 * types and specialities (venues, then activities; activities, then staff), and
 * is the loader's order. */
#include "school_write.h"

#include <stdlib.h>
#include <string.h>

#include "xsd.h"


static void attr(FILE *f, const char *name, const char *value)
{
    fprintf(f, " %s=\"", name);
    pp_xml_put_escaped(f, value);
    fputc('"', f);
}

static void attr_int(FILE *f, const char *name, int v)
{
    fprintf(f, " %s=\"%d\"", name, v);
}

/* The shortest "%.Nf" that reads back as x (the loader reads decimals without
 * exponent); "C" locale digits are what printf gives under the project's LC_ALL. */
const char *pp_xml_format_number(double x, char buf[64])
{
    for (int prec = 0; prec <= 17; prec++) {
        snprintf(buf, 64, "%.*f", prec, x);
        if (strtod(buf, NULL) == x)
            break;
    }
    return buf;
}

static void put_num(FILE *f, double x)
{
    char b[64];
    fputs(pp_xml_format_number(x, b), f);
}

static void attr_num(FILE *f, const char *name, double v)
{
    fprintf(f, " %s=\"", name);
    put_num(f, v);
    fputc('"', f);
}

static void put_days(FILE *f, const char *name, unsigned mask)
{
    fprintf(f, " %s=\"", name);
    int first = 1;
    for (int d = 0; d < PP_DAYS; d++)
        if (mask & (1u << d)) {
            fprintf(f, "%s%s", first ? "" : " ", pp_day_name(d));
            first = 0;
        }
    fputc('"', f);
}

static void put_periods(FILE *f, const pp_school *s, uint32_t mask)
{
    fputs(" periods=\"", f);
    int first = 1;
    for (int p = 0; p < s->nperiods; p++)
        if (mask & (1u << p)) {
            if (!first)
                fputc(' ', f);
            pp_xml_put_escaped(f, s->periods[p].id);
            first = 0;
        }
    fputc('"', f);
}

static void put_grades(FILE *f, uint32_t mask)
{
    if (!mask) /* the schema wants at least one level; an empty set is not loadable anyway */
        return;
    fputs(" grades=\"", f);
    int first = 1;
    for (int g = 1; g <= PP_MAX_GRADE; g++)
        if (mask & (1u << g)) {
            fprintf(f, "%s%d", first ? "" : " ", g);
            first = 0;
        }
    fputc('"', f);
}

static uint32_t all_periods(const pp_school *s)
{
    return s->nperiods >= 32 ? ~0u : (1u << s->nperiods) - 1;
}

/* One child element per distinct non-empty per-day mask, days grouped, in the
 * order of the first day that has it.  For <unavailable>, mask is the complement
 * of the availability. */
static void put_day_masks(FILE *f, const pp_school *s, const char *elem, const uint32_t m[PP_DAYS], const char *indent)
{
    unsigned done = 0;
    for (int d = 0; d < PP_DAYS; d++) {
        if (!m[d] || (done & (1u << d)))
            continue;
        unsigned days = 0;
        for (int e = d; e < PP_DAYS; e++)
            if (m[e] == m[d])
                days |= 1u << e;
        done |= days;
        fprintf(f, "%s<%s", indent, elem);
        put_days(f, "days", days);
        put_periods(f, s, m[d]);
        fputs("/>\n", f);
    }
}

static void put_unavailable(FILE *f, const pp_school *s, const uint32_t avail[PP_DAYS])
{
    uint32_t un[PP_DAYS];
    for (int d = 0; d < PP_DAYS; d++)
        un[d] = all_periods(s) & ~avail[d];
    put_day_masks(f, s, "unavailable", un, "      ");
}

const char *pp_xml_format_date(int days, char buf[16])
{
    return pp_format_date(days, buf);
}

static void put_date(FILE *f, const char *name, int days)
{
    char b[16];
    fprintf(f, " %s=\"%s\"", name, pp_xml_format_date(days, b));
}

static void put_policy(FILE *f, const pp_policy *p)
{
    fputs("  <policy", f);
    attr_int(f, "group-max", p->group_max);
    attr_int(f, "class-merge-threshold", p->class_merge_threshold);
    attr_int(f, "qa-min", p->qa_min);
    attr_int(f, "course-min", p->course_min);
    attr_int(f, "site-min", p->site_min);
    attr_int(f, "duty-leaders-per-day", p->duty_leaders_per_day);
    attr_int(f, "max-activities-per-student", p->max_activities_per_student);
    attr(f, "adjacent-grade-merge", p->adjacent_grade_merge ? "true" : "false");
    attr_num(f, "fee-per-session", p->fee_per_session);
    fputs(">\n", f);
    for (int k = 0; k < PP_ACT_KINDS; k++) {
        fputs("    <workload-weight", f);
        attr(f, "kind", pp_activity_kind_name((pp_activity_kind)k));
        attr_num(f, "value", p->workload_weight[k]);
        fputs("/>\n", f);
    }
    for (int t = 0; t < PP_STAFF_TYPES; t++) {
        fputs("    <subsidy", f);
        attr(f, "staff-type", pp_staff_type_name((pp_staff_type)t));
        attr_num(f, "per-hour", p->subsidy_per_hour[t]);
        fputs("/>\n", f);
    }
    fputs("    <objective", f);
    attr_num(f, "unserved", p->w_unserved);
    attr_num(f, "unserved-priority", p->w_unserved_priority);
    if (p->nranks_weighted > 0) {
        fputs(" rank=\"", f);
        for (int r = 0; r < p->nranks_weighted && r < PP_MAX_RANKS; r++) {
            if (r)
                fputc(' ', f);
            put_num(f, p->w_rank[r]);
        }
        fputc('"', f);
    }
    attr_num(f, "no-choice", p->w_no_choice);
    attr_num(f, "group", p->w_group);
    attr_num(f, "cross-grade", p->w_cross_grade);
    attr_num(f, "external-hour", p->w_external_hour);
    attr_num(f, "max-load", p->w_max_load);
    attr_num(f, "priority-choice-factor", p->priority_choice_factor);
    attr_num(f, "moved", p->w_moved);
    attr_num(f, "group-changed", p->w_group_changed);
    attr_num(f, "staff-changed", p->w_staff_changed);
    fputs("/>\n  </policy>\n", f);
}

static void put_periods_section(FILE *f, const pp_school *s)
{
    char b[8];
    fputs("  <periods>\n", f);
    for (int i = 0; i < s->nperiods; i++) {
        const pp_period *p = &s->periods[i];
        fputs("    <period", f);
        attr(f, "id", p->id);
        attr(f, "name", p->name);
        attr(f, "kind", pp_period_kind_name(p->kind));
        put_days(f, "days", p->days);
        put_grades(f, p->grade_mask);
        attr(f, "care", p->care >= 0 && p->care < s->nactivities ? s->activities[p->care].id : "");
        fputs(">\n", f);
        for (int k = 0; k < s->nseasons && k < PP_MAX_SEASONS; k++) {
            if (p->start_min[k] < 0)
                continue;
            fputs("      <window", f);
            attr(f, "season", s->seasons[k].id);
            attr(f, "start", pp_format_hhmm(p->start_min[k], b));
            attr(f, "end", pp_format_hhmm(p->end_min[k], b));
            fputs("/>\n", f);
        }
        fputs("    </period>\n", f);
    }
    fputs("  </periods>\n", f);
}

static void put_activity(FILE *f, const pp_school *s, const pp_activity *a)
{
    fputs("    <activity", f);
    attr(f, "id", a->id);
    attr(f, "name", a->name);
    attr(f, "kind", pp_activity_kind_name(a->kind));
    attr(f, "category", a->category);
    attr(f, "tier", pp_tier_name(a->tier));
    attr_int(f, "sessions", a->sessions);
    put_grades(f, a->grade_mask);
    attr_int(f, "min", a->min_size);
    attr_int(f, "max", a->max_size);
    attr_int(f, "merge-threshold", a->merge_threshold);
    if (a->venue_type >= 0)
        attr(f, "venue-type", s->venue_types[a->venue_type]);
    if (a->speciality >= 0)
        attr(f, "speciality", s->specialities[a->speciality]);
    attr_int(f, "staff-per-group", a->staff_per_group);
    attr_num(f, "fee", a->fee);
    attr(f, "provider", a->provider);
    int any = 0;
    for (int d = 0; d < PP_DAYS; d++)
        any |= a->slots[d] != 0;
    if (!any) {
        fputs("/>\n", f);
        return;
    }
    fputs(">\n", f);
    put_day_masks(f, s, "slot", a->slots, "      ");
    fputs("    </activity>\n", f);
}

static void put_staff(FILE *f, const pp_school *s, const pp_staff *st)
{
    fputs("    <member", f);
    attr(f, "id", st->id);
    attr(f, "name", st->name);
    attr(f, "type", pp_staff_type_name(st->type));
    fputs(" specialities=\"", f);
    for (int k = 0; k < st->nspec; k++) {
        if (k)
            fputc(' ', f);
        pp_xml_put_escaped(f, s->specialities[st->spec[k]]);
    }
    fputc('"', f);
    attr_int(f, "max-sessions", st->max_sessions);
    attr_int(f, "max-minutes", st->max_minutes);
    attr(f, "duty-leader", st->duty_leader ? "true" : "false");
    attr_num(f, "rate", st->rate);
    int any = 0;
    for (int d = 0; d < PP_DAYS; d++)
        any |= (st->avail[d] & all_periods(s)) != all_periods(s);
    if (!any) {
        fputs("/>\n", f);
        return;
    }
    fputs(">\n", f);
    put_unavailable(f, s, st->avail);
    fputs("    </member>\n", f);
}

static void put_student(FILE *f, const pp_school *s, const pp_student *st)
{
    static const char *const prio[] = { "disabled", "left-behind", "migrant", "low-income" };
    fputs("    <student", f);
    attr(f, "id", st->id);
    attr(f, "name", st->name);
    attr(f, "class", st->cls >= 0 && st->cls < s->nclasses ? s->classes[st->cls].id : "");
    fputs(" priority=\"", f);
    for (int i = 0, first = 1; i < 4; i++)
        if (st->priority & (1u << i)) {
            fprintf(f, "%s%s", first ? "" : " ", prio[i]);
            first = 0;
        }
    fputs("\" choices=\"", f);
    for (int k = 0; k < st->nchoices; k++) {
        if (k)
            fputc(' ', f);
        if (st->choices[k] >= 0 && st->choices[k] < s->nactivities)
            pp_xml_put_escaped(f, s->activities[st->choices[k]].id);
    }
    fputc('"', f);
    int any = 0;
    for (int d = 0; d < PP_DAYS; d++)
        any |= st->stay[d] != 0;
    if (!any) {
        fputs("/>\n", f);
        return;
    }
    fputs(">\n", f);
    put_day_masks(f, s, "stay", st->stay, "      ");
    fputs("    </student>\n", f);
}

int pp_xml_write_school(FILE *f, const pp_school *s)
{
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<school xmlns=\"urn:paipian:school:1\"", f);
    attr(f, "id", s->id);
    attr(f, "name", s->name);
    put_days(f, "days", s->day_mask);
    fputs(">\n", f);
    put_policy(f, &s->policy);
    fputs("  <seasons>\n", f);
    for (int i = 0; i < s->nseasons; i++) {
        const pp_season *se = &s->seasons[i];
        fputs("    <season", f);
        attr(f, "id", se->id);
        attr(f, "name", se->name);
        put_date(f, "start", se->start_days);
        put_date(f, "end", se->end_days);
        attr_int(f, "weeks", se->weeks);
        fputs("/>\n", f);
    }
    fputs("  </seasons>\n", f);
    put_periods_section(f, s);
    fputs("  <grades>\n", f);
    for (int i = 0; i < s->ngrades; i++) {
        fputs("    <grade", f);
        attr_int(f, "level", s->grades[i].level);
        attr(f, "name", s->grades[i].name);
        fputs("/>\n", f);
    }
    fputs("  </grades>\n  <venues>\n", f);
    for (int i = 0; i < s->nvenues; i++) {
        const pp_venue *v = &s->venues[i];
        fputs("    <venue", f);
        attr(f, "id", v->id);
        attr(f, "name", v->name);
        attr(f, "type", v->type >= 0 ? s->venue_types[v->type] : "");
        attr_int(f, "capacity", v->capacity);
        int any = 0;
        for (int d = 0; d < PP_DAYS; d++)
            any |= (v->avail[d] & all_periods(s)) != all_periods(s);
        if (!any) {
            fputs("/>\n", f);
            continue;
        }
        fputs(">\n", f);
        put_unavailable(f, s, v->avail);
        fputs("    </venue>\n", f);
    }
    fputs("  </venues>\n  <classes>\n", f);
    for (int i = 0; i < s->nclasses; i++) {
        const pp_class *c = &s->classes[i];
        fputs("    <class", f);
        attr(f, "id", c->id);
        attr(f, "name", c->name);
        attr_int(f, "grade", c->grade);
        if (c->room >= 0 && c->room < s->nvenues)
            attr(f, "room", s->venues[c->room].id);
        fputs("/>\n", f);
    }
    fputs("  </classes>\n  <activities>\n", f);
    for (int i = 0; i < s->nactivities; i++)
        put_activity(f, s, &s->activities[i]);
    fputs("  </activities>\n  <staff>\n", f);
    for (int i = 0; i < s->nstaff; i++)
        put_staff(f, s, &s->staff[i]);
    fputs("  </staff>\n  <students>\n", f);
    for (int i = 0; i < s->nstudents; i++)
        put_student(f, s, &s->students[i]);
    fputs("  </students>\n</school>\n", f);
    return ferror(f) ? -1 : 0;
}

char *pp_xml_write_school_memory(const pp_school *s, size_t *len)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    if (!f)
        return NULL;
    int rc = pp_xml_write_school(f, s);
    if (fclose(f) != 0 || rc != 0) {
        free(buf);
        return NULL;
    }
    if (len)
        *len = n;
    return buf;
}
