/* sheet_export.c - a school as import sheets (see sheet_export.h).
 *
 * Availability is written the way the XML loader builds it: the unavailable
 * periods of each day, days with the same set sharing one entry.  Slots and
 * stays always name their days.  A name is used for a period or an activity
 * only when the importer would resolve it back to the same entity (unique, not
 * another entity's id, free of the separators a cell is split at). */
#include "sheet_export.h"

#include <iconv.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/import.h"
#include "io/school_write.h"
#include "io/sheet.h"

static int has_sep(const char *s)
{
    static const char *const seps[] = { "、", ",", "，", ";", "；", ":", "：", " ", "\t", "\n", "　", NULL };
    for (int i = 0; seps[i]; i++)
        if (strstr(s, seps[i]))
            return 1;
    return pp_day_parse(s) >= 0;
}

/* Name when it resolves back to entity i of n (ids[] and names[] by stride). */
static const char *ref(const char *id, const char *name, int i, int n, const char *(*id_of)(const pp_school *, int),
                       const char *(*name_of)(const pp_school *, int), const pp_school *s)
{
    if (has_sep(name) || !*name)
        return id;
    for (int j = 0; j < n; j++)
        if (j != i && (!strcmp(name_of(s, j), name) || !strcmp(id_of(s, j), name)))
            return id;
    return name;
}

static const char *period_id(const pp_school *s, int i) { return s->periods[i].id; }
static const char *period_name(const pp_school *s, int i) { return s->periods[i].name; }
static const char *activity_id(const pp_school *s, int i) { return s->activities[i].id; }
static const char *activity_name(const pp_school *s, int i) { return s->activities[i].name; }

static const char *period_ref(const pp_school *s, int p)
{
    return ref(s->periods[p].id, s->periods[p].name, p, s->nperiods, period_id, period_name, s);
}

static const char *activity_ref(const pp_school *s, int a)
{
    return ref(s->activities[a].id, s->activities[a].name, a, s->nactivities, activity_id, activity_name, s);
}

static void put_days(FILE *f, unsigned mask)
{
    int first = 1;
    for (int d = 0; d < PP_DAYS; d++)
        if (mask & (1u << d)) {
            fprintf(f, "%s%s", first ? "" : "、", pp_day_name_zh(d));
            first = 0;
        }
}

static void put_periods(FILE *f, const pp_school *s, uint32_t mask)
{
    int first = 1;
    for (int p = 0; p < s->nperiods; p++)
        if (mask & (1u << p)) {
            fprintf(f, "%s%s", first ? "" : "、", period_ref(s, p));
            first = 0;
        }
}

static uint32_t all_periods(const pp_school *s)
{
    return s->nperiods >= 32 ? ~0u : (1u << s->nperiods) - 1;
}

/* One cell of entries "days periods" joined by "；"; for unavailability
 * (unavail set) all periods are left out and all seven days too. */
static void slot_cell(const pp_school *s, const uint32_t m[PP_DAYS], int unavail, char **out)
{
    size_t n;
    FILE *f = open_memstream(out, &n);
    if (!f) {
        *out = NULL;
        return;
    }
    unsigned done = 0;
    int first = 1;
    for (int d = 0; d < PP_DAYS; d++) {
        if (!m[d] || (done & (1u << d)))
            continue;
        unsigned days = 0;
        for (int e = d; e < PP_DAYS; e++)
            if (m[e] == m[d])
                days |= 1u << e;
        done |= days;
        if (!first)
            fputs("；", f);
        first = 0;
        int all_p = unavail && m[d] == all_periods(s);
        if (!(unavail && days == 0x7f && !all_p))
            put_days(f, days);
        if (!all_p) {
            if (!(unavail && days == 0x7f))
                fputc(' ', f);
            put_periods(f, s, m[d]);
        }
    }
    fclose(f);
}

static void cell_str(FILE *f, const char *v, int last)
{
    pp_csv_put_cell(f, v ? v : "");
    fputs(last ? "\r\n" : ",", f);
}

static void cell_int(FILE *f, long v, int last)
{
    fprintf(f, "%ld%s", v, last ? "\r\n" : ",");
}

static void cell_num(FILE *f, double v, int last)
{
    char b[64];
    pp_csv_put_number(f, pp_xml_format_number(v, b));
    fputs(last ? "\r\n" : ",", f);
}

static void header(FILE *f, pp_table t, int more)
{
    for (int c = 0; c < pp_import_ncolumns(t); c++) {
        int len;
        const char *n = pp_import_column(t, c, &len);
        fprintf(f, "%s%.*s", c ? "," : "", len, n);
    }
    fputs(more ? "," : "\r\n", f);
}

static void grades_cell(FILE *f, const pp_school *s, uint32_t mask, int last)
{
    uint32_t all = 0;
    for (int i = 0; i < s->ngrades; i++)
        all |= 1u << s->grades[i].level;
    char b[64] = "";
    if (mask != all)
        for (int g = 1; g <= PP_MAX_GRADE; g++)
            if (mask & (1u << g))
                snprintf(b + strlen(b), sizeof b - strlen(b), "%s%d", b[0] ? "、" : "", g);
    cell_str(f, b, last);
}

static const char *tier_zh(pp_tier t)
{
    static const char *const n[] = { "本班", "年级", "全校" };
    return (unsigned)t < 3 ? n[t] : "";
}

static const char *period_kind_zh(pp_period_kind k)
{
    static const char *const n[] = { "晨间", "午间", "课后", "延时", "晚间" };
    return (unsigned)k < 5 ? n[k] : "";
}

static void write_school(FILE *f, const pp_school *s)
{
    header(f, PP_TABLE_SCHOOL, 0);
    cell_str(f, s->id, 0);
    cell_str(f, s->name, 0);
    char *days;
    size_t n;
    FILE *g = open_memstream(&days, &n);
    if (g) {
        put_days(g, s->day_mask);
        fclose(g);
        cell_str(f, days, 1);
        free(days);
    }
}

static void write_policy(FILE *f, const pp_school *s)
{
    const pp_policy *p = &s->policy;
    header(f, PP_TABLE_POLICY, 0);
    for (int k = 0; k < pp_import_npolicy(); k++) {
        const char *key, *zh = pp_import_policy_label(k, &key);
        char v[512] = "", b[64];
        if (!strcmp(key, "group-max")) snprintf(v, sizeof v, "%d", p->group_max);
        else if (!strcmp(key, "class-merge-threshold")) snprintf(v, sizeof v, "%d", p->class_merge_threshold);
        else if (!strcmp(key, "qa-min")) snprintf(v, sizeof v, "%d", p->qa_min);
        else if (!strcmp(key, "course-min")) snprintf(v, sizeof v, "%d", p->course_min);
        else if (!strcmp(key, "site-min")) snprintf(v, sizeof v, "%d", p->site_min);
        else if (!strcmp(key, "duty-leaders-per-day")) snprintf(v, sizeof v, "%d", p->duty_leaders_per_day);
        else if (!strcmp(key, "max-activities-per-student")) snprintf(v, sizeof v, "%d", p->max_activities_per_student);
        else if (!strcmp(key, "adjacent-grade-merge")) snprintf(v, sizeof v, "%s", p->adjacent_grade_merge ? "是" : "否");
        else if (!strcmp(key, "fee-per-session")) pp_xml_format_number(p->fee_per_session, v);
        else if (!strncmp(key, "workload-weight.", 16)) {
            for (int a = 0; a < PP_ACT_KINDS; a++)
                if (!strcmp(key + 16, pp_activity_kind_name((pp_activity_kind)a)))
                    pp_xml_format_number(p->workload_weight[a], v);
        } else if (!strncmp(key, "subsidy.", 8)) {
            for (int t = 0; t < PP_STAFF_TYPES; t++)
                if (!strcmp(key + 8, pp_staff_type_name((pp_staff_type)t)))
                    pp_xml_format_number(p->subsidy_per_hour[t], v);
        } else if (!strcmp(key, "objective.rank")) {
            for (int r = 0; r < p->nranks_weighted && r < PP_MAX_RANKS; r++)
                snprintf(v + strlen(v), sizeof v - strlen(v), "%s%s", r ? " " : "", pp_xml_format_number(p->w_rank[r], b));
        } else {
            static const struct { const char *k; size_t off; } o[] = {
                { "objective.unserved", offsetof(pp_policy, w_unserved) },
                { "objective.unserved-priority", offsetof(pp_policy, w_unserved_priority) },
                { "objective.no-choice", offsetof(pp_policy, w_no_choice) },
                { "objective.group", offsetof(pp_policy, w_group) },
                { "objective.cross-grade", offsetof(pp_policy, w_cross_grade) },
                { "objective.external-hour", offsetof(pp_policy, w_external_hour) },
                { "objective.max-load", offsetof(pp_policy, w_max_load) },
                { "objective.priority-choice-factor", offsetof(pp_policy, priority_choice_factor) },
                { "objective.moved", offsetof(pp_policy, w_moved) },
                { "objective.group-changed", offsetof(pp_policy, w_group_changed) },
                { "objective.staff-changed", offsetof(pp_policy, w_staff_changed) },
            };
            for (size_t i = 0; i < sizeof o / sizeof o[0]; i++)
                if (!strcmp(key, o[i].k))
                    pp_xml_format_number(*(const double *)((const char *)p + o[i].off), v);
        }
        cell_str(f, zh, 0);
        pp_csv_put_number(f, v); /* our figure (text such as 是 goes through pp_csv_put_cell) */
        fputc(',', f);
        cell_str(f, key, 1);
    }
}

static void write_seasons(FILE *f, const pp_school *s)
{
    header(f, PP_TABLE_SEASONS, 0);
    for (int i = 0; i < s->nseasons; i++) {
        const pp_season *se = &s->seasons[i];
        cell_str(f, se->id, 0);
        cell_str(f, se->name, 0);
        char b[16];
        cell_str(f, pp_xml_format_date(se->start_days, b), 0);
        cell_str(f, pp_xml_format_date(se->end_days, b), 0);
        cell_int(f, se->weeks, 1);
    }
}

static void write_periods(FILE *f, const pp_school *s)
{
    header(f, PP_TABLE_PERIODS, 1);
    for (int k = 0; k < s->nseasons; k++)
        cell_str(f, s->seasons[k].name, k == s->nseasons - 1);
    for (int i = 0; i < s->nperiods; i++) {
        const pp_period *p = &s->periods[i];
        cell_str(f, p->id, 0);
        cell_str(f, p->name, 0);
        cell_str(f, period_kind_zh(p->kind), 0);
        char *days = NULL;
        size_t n;
        FILE *g = p->days != s->day_mask ? open_memstream(&days, &n) : NULL;
        if (g) {
            put_days(g, p->days);
            fclose(g);
        }
        cell_str(f, days, 0);
        free(days);
        grades_cell(f, s, p->grade_mask, 0);
        cell_str(f, p->care >= 0 ? activity_ref(s, p->care) : "", s->nseasons == 0);
        for (int k = 0; k < s->nseasons; k++) {
            char a[8], b[8], w[32] = "";
            if (p->start_min[k] >= 0)
                snprintf(w, sizeof w, "%s-%s", pp_format_hhmm(p->start_min[k], a), pp_format_hhmm(p->end_min[k], b));
            cell_str(f, w, k == s->nseasons - 1);
        }
    }
}

static void write_grades(FILE *f, const pp_school *s)
{
    header(f, PP_TABLE_GRADES, 0);
    for (int i = 0; i < s->ngrades; i++) {
        cell_int(f, s->grades[i].level, 0);
        cell_str(f, s->grades[i].name, 1);
    }
}

static void unavail_cell(FILE *f, const pp_school *s, const uint32_t avail[PP_DAYS], int last)
{
    uint32_t un[PP_DAYS];
    for (int d = 0; d < PP_DAYS; d++)
        un[d] = all_periods(s) & ~avail[d];
    char *c = NULL;
    slot_cell(s, un, 1, &c);
    cell_str(f, c, last);
    free(c);
}

static void write_venues(FILE *f, const pp_school *s)
{
    header(f, PP_TABLE_VENUES, 0);
    for (int i = 0; i < s->nvenues; i++) {
        const pp_venue *v = &s->venues[i];
        cell_str(f, v->id, 0);
        cell_str(f, v->name, 0);
        cell_str(f, v->type >= 0 ? s->venue_types[v->type] : "", 0);
        cell_int(f, v->capacity, 0);
        unavail_cell(f, s, v->avail, 1);
    }
}

static void write_classes(FILE *f, const pp_school *s)
{
    header(f, PP_TABLE_CLASSES, 0);
    for (int i = 0; i < s->nclasses; i++) {
        const pp_class *c = &s->classes[i];
        cell_str(f, c->id, 0);
        cell_str(f, c->name, 0);
        cell_int(f, c->grade, 0);
        cell_str(f, c->room >= 0 ? s->venues[c->room].id : "", 1);
    }
}

static void write_activities(FILE *f, const pp_school *s)
{
    header(f, PP_TABLE_ACTIVITIES, 0);
    for (int i = 0; i < s->nactivities; i++) {
        const pp_activity *a = &s->activities[i];
        cell_str(f, a->id, 0);
        cell_str(f, a->name, 0);
        cell_str(f, pp_activity_kind_zh(a->kind), 0);
        cell_str(f, a->category, 0);
        cell_str(f, tier_zh(a->tier), 0);
        cell_int(f, a->sessions, 0);
        grades_cell(f, s, a->grade_mask, 0);
        cell_int(f, a->min_size, 0);
        cell_int(f, a->max_size, 0);
        cell_int(f, a->merge_threshold, 0);
        cell_str(f, a->venue_type >= 0 ? s->venue_types[a->venue_type] : "", 0);
        cell_str(f, a->speciality >= 0 ? s->specialities[a->speciality] : "", 0);
        cell_int(f, a->staff_per_group, 0);
        cell_num(f, a->fee, 0);
        cell_str(f, a->provider, 0);
        char *c = NULL;
        slot_cell(s, a->slots, 0, &c);
        cell_str(f, c, 1);
        free(c);
    }
}

static void write_staff(FILE *f, const pp_school *s)
{
    header(f, PP_TABLE_STAFF, 0);
    for (int i = 0; i < s->nstaff; i++) {
        const pp_staff *st = &s->staff[i];
        cell_str(f, st->id, 0);
        cell_str(f, st->name, 0);
        cell_str(f, pp_staff_type_zh(st->type), 0);
        char specs[2048] = "";
        for (int k = 0; k < st->nspec; k++)
            snprintf(specs + strlen(specs), sizeof specs - strlen(specs), "%s%s", k ? "、" : "",
                     s->specialities[st->spec[k]]);
        cell_str(f, specs, 0);
        unavail_cell(f, s, st->avail, 0);
        cell_int(f, st->max_sessions, 0);
        cell_int(f, st->max_minutes, 0);
        cell_str(f, st->duty_leader ? "是" : "否", 0);
        cell_num(f, st->rate, 1);
    }
}

static void write_students(FILE *f, const pp_school *s)
{
    static const char *const prio[] = { "残疾", "留守", "随迁", "低保" };
    int nchoice = 3;
    for (int i = 0; i < s->nstudents; i++)
        if (s->students[i].nchoices > nchoice)
            nchoice = s->students[i].nchoices;
    header(f, PP_TABLE_STUDENTS, 1);
    for (int d = 0; d < PP_DAYS; d++)
        if (s->day_mask & (1u << d))
            fprintf(f, "%s,", pp_day_name_zh(d));
    for (int k = 0; k < nchoice; k++)
        fprintf(f, "志愿%d%s", k + 1, k == nchoice - 1 ? "\r\n" : ",");
    for (int i = 0; i < s->nstudents; i++) {
        const pp_student *st = &s->students[i];
        cell_str(f, st->id, 0);
        cell_str(f, st->name, 0);
        cell_str(f, s->classes[st->cls].id, 0);
        char p[128] = "";
        for (int k = 0; k < 4; k++)
            if (st->priority & (1u << k))
                snprintf(p + strlen(p), sizeof p - strlen(p), "%s%s", p[0] ? "、" : "", prio[k]);
        cell_str(f, p, 0);
        for (int d = 0; d < PP_DAYS; d++) {
            if (!(s->day_mask & (1u << d)))
                continue;
            char *c = NULL;
            size_t n;
            FILE *g = open_memstream(&c, &n);
            if (g) {
                put_periods(g, s, st->stay[d]);
                fclose(g);
            }
            cell_str(f, c, 0);
            free(c);
        }
        for (int k = 0; k < nchoice; k++)
            cell_str(f, k < st->nchoices ? activity_ref(s, st->choices[k]) : "", k == nchoice - 1);
    }
}

/* UTF-8 -> GBK in place of *data; -1 with a message when a character has no GBK form. */
static int to_gbk(char **data, size_t *len, const char *file, pp_diags *d)
{
    iconv_t cd = iconv_open("GBK", "UTF-8");
    if (cd == (iconv_t)-1) {
        pp_diags_add(d, file, 0, "cannot convert to GBK on this system");
        return -1;
    }
    size_t cap = *len + 16;
    char *out = malloc(cap), *in = *data, *o = out;
    size_t inleft = *len, oleft = cap;
    int rc = 0;
    if (!out || iconv(cd, &in, &inleft, &o, &oleft) == (size_t)-1) {
        pp_diags_add(d, file, 0, "a character has no GBK form (near \"%.12s\"); expected text GBK can hold, or UTF-8 output",
                     in);
        free(out);
        rc = -1;
    } else {
        free(*data);
        *data = out;
        *len = (size_t)(o - out);
    }
    iconv_close(cd);
    return rc;
}

int pp_sheets_export(const pp_school *s, const char *dir, int students_gbk, pp_diags *d)
{
    static void (*const writers[PP_TABLES])(FILE *, const pp_school *) = {
        write_school, write_policy, write_seasons, write_periods, write_grades,
        write_venues, write_classes, write_activities, write_staff, write_students,
    };
    char *datas[PP_TABLES] = { 0 };
    size_t lens[PP_TABLES] = { 0 };
    char names[PP_TABLES][64];
    const char *np[PP_TABLES];
    int rc = 0;
    for (int t = 0; t < PP_TABLES && rc == 0; t++) {
        snprintf(names[t], sizeof names[t], "%s.csv", pp_import_table_name((pp_table)t));
        np[t] = names[t];
        FILE *f = open_memstream(&datas[t], &lens[t]);
        if (!f) {
            rc = -1;
            pp_diags_add(d, dir, 0, "out of memory writing the sheets");
            break;
        }
        int gbk = students_gbk && t == PP_TABLE_STUDENTS;
        if (!gbk)
            fputs("\xEF\xBB\xBF", f); /* BOM: Excel opens UTF-8 CSV correctly only with it */
        writers[t](f, s);
        if (fclose(f) != 0) {
            rc = -1;
            pp_diags_add(d, dir, 0, "out of memory writing the sheets");
        } else if (gbk)
            rc = to_gbk(&datas[t], &lens[t], names[t], d);
    }
    if (rc == 0)
        rc = pp_write_files_atomic(dir, PP_TABLES, np, datas, lens, d);
    for (int t = 0; t < PP_TABLES; t++)
        free(datas[t]);
    return rc;
}
