/* report.c - staff workload and the CSV outputs.
 *
 * The workload is one pass over the groups (each led group adds its minutes in
 * every season to each of its staff), then per-person figures and totals.  The
 * weekly load that max_minutes limits counts each group at its longest season,
 * exactly as the solver does (solver/staff.c), so the over-limit flag here agrees
 * with what the solver believed it respected.
 *
 * CSV writers ignore the return values of fprintf/fputc and ask the stream once at
 * the end (fflush + ferror): a write error sticks on a FILE, so one check suffices
 * and the writing code stays readable. */
#include "report.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "io/sheet.h"

/* ---- workload -------------------------------------------------------------- */

pp_pay_kind pp_report_pay_kind(pp_staff_type t)
{
    switch (t) {
    case PP_STAFF_EXTERNAL: return PP_PAY_EXTERNAL;
    case PP_STAFF_VOLUNTEER: return PP_PAY_VOLUNTEER;
    default: return PP_PAY_INHOUSE;
    }
}

const char *pp_report_pay_kind_zh(pp_pay_kind k)
{
    static const char *n[] = { "在职", "校外", "志愿者" };
    return (unsigned)k < PP_PAY_KINDS ? n[k] : "?";
}

static int nseasons(const pp_school *s)
{
    return s->nseasons < PP_MAX_SEASONS ? s->nseasons : PP_MAX_SEASONS;
}

static int group_valid(const pp_school *s, const pp_group *g)
{
    return g->activity >= 0 && g->activity < s->nactivities && g->period >= 0 && g->period < s->nperiods &&
           g->day >= 0 && g->day < PP_DAYS;
}

static int longest_minutes(const pp_school *s, int period)
{
    int m = 0;
    for (int k = 0; k < nseasons(s); k++) {
        int x = pp_period_minutes(&s->periods[period], k);
        m = x > m ? x : m;
    }
    return m;
}

static void add_group_load(pp_workload *w, const pp_school *s, const pp_group *g)
{
    const pp_period *pe = &s->periods[g->period];
    double weight = s->policy.workload_weight[s->activities[g->activity].kind];
    int peak = longest_minutes(s, g->period);
    for (int i = 0; i < g->nstaff; i++) {
        int who = g->staff[i];
        if (who < 0 || who >= s->nstaff)
            continue;
        pp_staff_load *L = &w->staff[who];
        L->sessions++;
        L->load_minutes += peak;
        for (int k = 0; k < nseasons(s); k++) {
            int m = pp_period_minutes(pe, k);
            L->minutes[k] += m;
            L->weighted[k] += m * weight;
        }
    }
}

static void finish_staff_load(pp_staff_load *L, const pp_school *s, const pp_staff *st)
{
    for (int k = 0; k < nseasons(s); k++) {
        L->term_hours += s->seasons[k].weeks * L->minutes[k] / 60.0;
        L->term_weighted_hours += s->seasons[k].weeks * L->weighted[k] / 60.0;
    }
    L->rate = st->rate > 0 ? st->rate : s->policy.subsidy_per_hour[st->type];
    L->subsidy = L->term_hours * L->rate;
    L->over_sessions = L->sessions > st->max_sessions ? L->sessions - st->max_sessions : 0;
    L->over_minutes = L->load_minutes > st->max_minutes ? L->load_minutes - st->max_minutes : 0;
}

static void add_total(pp_load_total *t, const pp_staff_load *L)
{
    t->staff++;
    t->active += L->sessions > 0;
    t->sessions += L->sessions;
    for (int k = 0; k < PP_MAX_SEASONS; k++)
        t->minutes[k] += L->minutes[k];
    t->term_hours += L->term_hours;
    t->term_weighted_hours += L->term_weighted_hours;
    t->subsidy += L->subsidy;
}

static void compute_fairness(pp_workload *w, const pp_school *s)
{
    pp_fairness *f = &w->fairness;
    long sum = 0;
    for (int i = 0; i < s->nstaff; i++) {
        if (s->staff[i].type != PP_STAFF_TEACHER)
            continue;
        int m = w->staff[i].load_minutes;
        if (f->n == 0 || m < f->min)
            f->min = m;
        if (f->n == 0 || m > f->max)
            f->max = m;
        f->idle += w->staff[i].sessions == 0;
        sum += m;
        f->n++;
    }
    f->spread = f->max - f->min;
    f->mean = f->n ? (double)sum / f->n : 0;
}

pp_workload *pp_report_workload(const pp_school *s, const pp_plan *p)
{
    pp_workload *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    size_t n = (size_t)(s->nstaff > 0 ? s->nstaff : 1);
    w->nstaff = s->nstaff;
    w->staff = calloc(n, sizeof *w->staff);
    w->order = malloc(n * sizeof *w->order);
    if (!w->staff || !w->order) {
        pp_report_workload_free(w);
        return NULL;
    }
    for (int i = 0; i < p->ngroups; i++)
        if (group_valid(s, &p->groups[i]))
            add_group_load(w, s, &p->groups[i]);
    for (int d = 0; d < p->nduty; d++)
        for (int i = 0; i < p->duty[d].nstaff; i++) {
            int who = p->duty[d].staff[i];
            if (who >= 0 && who < s->nstaff)
                w->staff[who].duty_days++;
        }
    int k = 0;
    for (int t = 0; t < PP_STAFF_TYPES; t++) /* report order: by type, then as the school lists them */
        for (int i = 0; i < s->nstaff; i++)
            if ((int)s->staff[i].type == t)
                w->order[k++] = i;
    for (int i = 0; i < s->nstaff; i++) {
        finish_staff_load(&w->staff[i], s, &s->staff[i]);
        add_total(&w->total[pp_report_pay_kind(s->staff[i].type)], &w->staff[i]);
        add_total(&w->all, &w->staff[i]);
    }
    compute_fairness(w, s);
    return w;
}

void pp_report_workload_free(pp_workload *w)
{
    if (!w)
        return;
    free(w->staff);
    free(w->order);
    free(w);
}

/* ---- shared helpers ----------------------------------------------------------- */

const char *pp_report_status_zh(pp_status st)
{
    switch (st) {
    case PP_STATUS_OPTIMAL: return "最优";
    case PP_STATUS_FEASIBLE: return "可行(未证明最优)";
    case PP_STATUS_PARTIAL: return "部分(有未安排的需求)";
    default: return "无方案";
    }
}

const char *pp_report_period_time(const pp_school *s, int period, int season, char *buf)
{
    const pp_period *pe = &s->periods[period];
    buf[0] = 0;
    if (season < 0 || season >= nseasons(s) || pe->start_min[season] < 0)
        return buf;
    char a[8], b[8];
    snprintf(buf, 16, "%s-%s", pp_format_hhmm(pe->start_min[season], a), pp_format_hhmm(pe->end_min[season], b));
    return buf;
}

/* Appends t to buf (capacity n), cutting at a UTF-8 character boundary when full. */
static void append(char *buf, size_t n, const char *t)
{
    size_t len = strlen(buf), add = strlen(t);
    if (len + add >= n) {
        add = n - 1 - len;
        while (add > 0 && ((unsigned char)t[add] & 0xC0) == 0x80)
            add--; /* t[add] would start the cut-off part: back up to a lead byte */
    }
    memcpy(buf + len, t, add);
    buf[len + add] = 0;
}

static int classes_in_grade(const pp_school *s, int level)
{
    int n = 0;
    for (int c = 0; c < s->nclasses; c++)
        n += s->classes[c].grade == level;
    return n;
}

const char *pp_report_group_classes(const pp_school *s, const pp_group *g, char *buf, size_t n)
{
    if (n == 0)
        return buf;
    buf[0] = 0;
    if (g->nclasses <= 4) {
        for (int i = 0; i < g->nclasses; i++) {
            if (i)
                append(buf, n, "、");
            append(buf, n, s->classes[g->classes[i]].name);
        }
        return buf;
    }
    int count[PP_MAX_GRADE + 1] = { 0 };
    for (int i = 0; i < g->nclasses; i++) {
        int lv = s->classes[g->classes[i]].grade;
        if (lv >= 0 && lv <= PP_MAX_GRADE)
            count[lv]++;
    }
    int first = 1;
    for (int lv = 0; lv <= PP_MAX_GRADE; lv++) {
        if (!count[lv])
            continue;
        int gi = pp_school_find_grade(s, lv);
        char piece[160];
        const char *gname = gi >= 0 ? s->grades[gi].name : "";
        if (count[lv] == classes_in_grade(s, lv))
            snprintf(piece, sizeof piece, "%.120s全体", gname);
        else
            snprintf(piece, sizeof piece, "%.120s%d个班", gname, count[lv]);
        if (!first)
            append(buf, n, "、");
        append(buf, n, piece);
        first = 0;
    }
    return buf;
}

typedef struct {
    long long key[5];
} group_key;

static int cmp_group_key(const void *a, const void *b)
{
    const group_key *x = a, *y = b;
    for (int i = 0; i < 5; i++)
        if (x->key[i] != y->key[i])
            return x->key[i] < y->key[i] ? -1 : 1;
    return 0;
}

int *pp_report_group_order(const pp_plan *p)
{
    if (p->ngroups <= 0)
        return NULL;
    group_key *k = malloc((size_t)p->ngroups * sizeof *k);
    int *order = malloc((size_t)p->ngroups * sizeof *order);
    if (!k || !order) {
        free(k);
        free(order);
        return NULL;
    }
    for (int i = 0; i < p->ngroups; i++) {
        const pp_group *g = &p->groups[i];
        k[i].key[0] = (long long)g->day * 64 + g->period; /* the key of pp_plan_sort, then position */
        k[i].key[1] = g->activity;
        k[i].key[2] = g->nclasses ? g->classes[0] : -1;
        k[i].key[3] = g->nstudents ? g->students[0] : -1;
        k[i].key[4] = i;
    }
    qsort(k, (size_t)p->ngroups, sizeof *k, cmp_group_key);
    for (int i = 0; i < p->ngroups; i++)
        order[i] = (int)k[i].key[4];
    free(k);
    return order;
}

int *pp_report_student_slots(const pp_school *s, const pp_plan *p)
{
    if (s->nstudents <= 0 || s->nperiods <= 0)
        return NULL;
    size_t n = (size_t)s->nstudents * PP_DAYS * (size_t)s->nperiods;
    int *at = malloc(n * sizeof *at);
    if (!at)
        return NULL;
    for (size_t i = 0; i < n; i++)
        at[i] = -1;
    for (int i = 0; i < p->ngroups; i++) {
        const pp_group *g = &p->groups[i];
        if (!group_valid(s, g))
            continue;
        for (int j = 0; j < g->nstudents; j++) {
            int st = g->students[j];
            if (st >= 0 && st < s->nstudents && at[PP_SLOT(s, st, g->day, g->period)] == -1)
                at[PP_SLOT(s, st, g->day, g->period)] = i; /* a doubly placed student shows the first group; the checker reports the clash */
        }
    }
    for (int u = 0; u < p->nunserved; u++) {
        const pp_unserved *x = &p->unserved[u];
        if (x->student >= 0 && x->student < s->nstudents && x->day >= 0 && x->day < PP_DAYS && x->period >= 0 &&
            x->period < s->nperiods && at[PP_SLOT(s, x->student, x->day, x->period)] == -1)
            at[PP_SLOT(s, x->student, x->day, x->period)] = PP_SLOT_UNSERVED(u);
    }
    return at;
}

/* ---- CSV ------------------------------------------------------------------------ */

typedef struct {
    FILE *f;
    int col;
} csv;

static void csv_cell(csv *c, const char *t)
{
    if (c->col++)
        fputc(',', c->f);
    pp_csv_put_cell(c->f, t);
}

/* A text cell built with printf: text, so protected like any other. */
static void csv_cellf(csv *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void csv_cellf(csv *c, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    csv_cell(c, buf);
}

/* A number cell (a figure of ours, never user text): written as a number even
 * when negative (pp_csv_put_number). */
static void csv_numf(csv *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void csv_numf(csv *c, const char *fmt, ...)
{
    char buf[64];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (c->col++)
        fputc(',', c->f);
    pp_csv_put_number(c->f, buf);
}

static void csv_end(csv *c)
{
    fputs("\r\n", c->f);
    c->col = 0;
}

static void csv_start(csv *c, FILE *f)
{
    c->f = f;
    c->col = 0;
    fputs("\xEF\xBB\xBF", f);
}

static int stream_result(FILE *f)
{
    return fflush(f) != 0 || ferror(f) ? -1 : 0;
}

const char *pp_report_staff_names(const pp_school *s, const pp_group *g, char *buf, size_t n)
{
    buf[0] = 0;
    for (int i = 0, k = 0; i < g->nstaff; i++) {
        if (g->staff[i] < 0 || g->staff[i] >= s->nstaff)
            continue;
        if (k++)
            append(buf, n, "、");
        append(buf, n, s->staff[g->staff[i]].name);
    }
    return buf;
}

static const char *venue_name(const pp_school *s, const pp_group *g)
{
    return g->venue >= 0 && g->venue < s->nvenues ? s->venues[g->venue].name : "";
}

static void season_time_headers(csv *c, const pp_school *s, const char *suffix)
{
    for (int k = 0; k < nseasons(s); k++)
        csv_cellf(c, "%s%s", s->seasons[k].name, suffix);
}

static void season_times(csv *c, const pp_school *s, int period)
{
    char t[16];
    for (int k = 0; k < nseasons(s); k++)
        csv_cell(c, pp_report_period_time(s, period, k, t));
}

int pp_report_timetable_csv(FILE *f, const pp_school *s, const pp_plan *p)
{
    int *order = pp_report_group_order(p);
    if (!order && p->ngroups > 0)
        return -1;
    csv c;
    csv_start(&c, f);
    csv_cell(&c, "星期");
    csv_cell(&c, "时段");
    season_time_headers(&c, s, "时间");
    static const char *const head[] = { "活动内容", "类别", "形式", "场地", "负责人员", "年级/班级", "人数" };
    for (size_t i = 0; i < sizeof head / sizeof *head; i++)
        csv_cell(&c, head[i]);
    csv_end(&c);
    char buf[512];
    for (int i = 0; i < p->ngroups; i++) {
        const pp_group *g = &p->groups[order[i]];
        if (!group_valid(s, g))
            continue;
        const pp_activity *a = &s->activities[g->activity];
        csv_cell(&c, pp_day_name_zh(g->day));
        csv_cell(&c, s->periods[g->period].name);
        season_times(&c, s, g->period);
        csv_cell(&c, a->name);
        if (a->category[0])
            csv_cellf(&c, "%s/%.200s", pp_activity_kind_zh(a->kind), a->category);
        else
            csv_cell(&c, pp_activity_kind_zh(a->kind));
        csv_cell(&c, pp_group_format_zh(s, g));
        csv_cell(&c, venue_name(s, g));
        csv_cell(&c, pp_report_staff_names(s, g, buf, sizeof buf));
        csv_cell(&c, pp_report_group_classes(s, g, buf, sizeof buf));
        csv_numf(&c, "%d", g->nstudents);
        csv_end(&c);
    }
    free(order);
    return stream_result(f);
}

typedef struct {
    int cls;
    const char *id;
    int idx;
} student_key;

static int cmp_student_key(const void *a, const void *b)
{
    const student_key *x = a, *y = b;
    if (x->cls != y->cls)
        return x->cls < y->cls ? -1 : 1;
    int c = strcmp(x->id, y->id);
    return c ? c : (x->idx > y->idx) - (x->idx < y->idx);
}

int *pp_report_student_order(const pp_school *s)
{
    if (s->nstudents <= 0)
        return NULL;
    student_key *k = malloc((size_t)s->nstudents * sizeof *k);
    int *order = malloc((size_t)s->nstudents * sizeof *order);
    if (!k || !order) {
        free(k);
        free(order);
        return NULL;
    }
    for (int i = 0; i < s->nstudents; i++)
        k[i] = (student_key){ s->students[i].cls, s->students[i].id, i };
    qsort(k, (size_t)s->nstudents, sizeof *k, cmp_student_key);
    for (int i = 0; i < s->nstudents; i++)
        order[i] = k[i].idx;
    free(k);
    return order;
}

static void student_row(csv *c, const pp_school *s, const pp_plan *p, int st, int day, int period, int where)
{
    const pp_student *x = &s->students[st];
    char buf[512];
    csv_cell(c, x->id);
    csv_cell(c, x->name);
    csv_cell(c, x->cls >= 0 && x->cls < s->nclasses ? s->classes[x->cls].name : "");
    csv_cell(c, pp_day_name_zh(day));
    csv_cell(c, s->periods[period].name);
    season_times(c, s, period);
    if (where >= 0) {
        const pp_group *g = &p->groups[where];
        csv_cell(c, s->activities[g->activity].name);
        csv_cell(c, venue_name(s, g));
        csv_cell(c, pp_report_staff_names(s, g, buf, sizeof buf));
        csv_cell(c, "");
    } else {
        csv_cell(c, "未安排");
        csv_cell(c, "");
        csv_cell(c, "");
        csv_cell(c, where == -1 ? "" : p->unserved[PP_SLOT_UNSERVED(where)].reason); /* the map is its own inverse */
    }
    csv_end(c);
}

int pp_report_students_csv(FILE *f, const pp_school *s, const pp_plan *p)
{
    int *at = pp_report_student_slots(s, p);
    int *order = pp_report_student_order(s);
    if (s->nstudents > 0 && s->nperiods > 0 && (!at || !order)) {
        free(at);
        free(order);
        return -1;
    }
    csv c;
    csv_start(&c, f);
    static const char *const head1[] = { "学号", "姓名", "班级", "星期", "时段" };
    static const char *const head2[] = { "活动", "场地", "负责人员", "说明" };
    for (size_t i = 0; i < sizeof head1 / sizeof *head1; i++)
        csv_cell(&c, head1[i]);
    season_time_headers(&c, s, "时间");
    for (size_t i = 0; i < sizeof head2 / sizeof *head2; i++)
        csv_cell(&c, head2[i]);
    csv_end(&c);
    for (int i = 0; at && i < s->nstudents; i++) {
        int st = order[i];
        for (int d = 0; d < PP_DAYS; d++)
            for (int pe = 0; pe < s->nperiods; pe++) {
                int where = at[PP_SLOT(s, st, d, pe)];
                if (where != -1 || (s->students[st].stay[d] & (1u << pe)))
                    student_row(&c, s, p, st, d, pe, where);
            }
    }
    free(at);
    free(order);
    return stream_result(f);
}

static void load_row_figures(csv *c, const pp_school *s, int sessions, const int *minutes, double hours, double weighted,
                             double subsidy)
{
    csv_numf(c, "%d", sessions);
    for (int k = 0; k < nseasons(s); k++)
        csv_numf(c, "%d", minutes[k]);
    csv_numf(c, "%.2f", hours);
    csv_numf(c, "%.2f", weighted);
    csv_numf(c, "%.2f", subsidy);
}

static void workload_staff_rows(csv *c, const pp_school *s, const pp_workload *w)
{
    for (int i = 0; i < s->nstaff; i++) {
        int who = w->order[i];
        const pp_staff *st = &s->staff[who];
        const pp_staff_load *L = &w->staff[who];
        csv_cell(c, st->id);
        csv_cell(c, st->name);
        csv_cell(c, pp_staff_type_zh(st->type));
        load_row_figures(c, s, L->sessions, L->minutes, L->term_hours, L->term_weighted_hours, L->subsidy);
        csv_numf(c, "%d", L->over_sessions);
        csv_numf(c, "%d", L->over_minutes);
        csv_numf(c, "%d", L->duty_days);
        csv_end(c);
    }
}

static void workload_total_row(csv *c, const pp_school *s, const char *label, const pp_load_total *t)
{
    csv_cell(c, label);
    csv_cellf(c, "%d人（有安排%d人）", t->staff, t->active);
    csv_cell(c, "");
    load_row_figures(c, s, t->sessions, t->minutes, t->term_hours, t->term_weighted_hours, t->subsidy);
    csv_end(c);
}

static void workload_fairness_rows(csv *c, const pp_fairness *fa)
{
    csv_end(c); /* a blank line sets the fairness block apart in Excel */
    csv_cell(c, "公平性：在职教师每周分钟（按最长季节）");
    csv_cell(c, "值");
    csv_end(c);
    const struct {
        const char *label;
        int value;
    } rows[] = { { "教师人数", fa->n }, { "无安排人数", fa->idle }, { "最少", fa->min }, { "最多", fa->max },
                 { "极差", fa->spread } };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        csv_cell(c, rows[i].label);
        csv_numf(c, "%d", rows[i].value);
        csv_end(c);
        if (i == 3) {
            csv_cell(c, "平均");
            csv_numf(c, "%.1f", fa->mean);
            csv_end(c);
        }
    }
}

int pp_report_workload_csv(FILE *f, const pp_school *s, const pp_plan *p)
{
    pp_workload *w = pp_report_workload(s, p);
    if (!w)
        return -1;
    csv c;
    csv_start(&c, f);
    csv_cell(&c, "工号");
    csv_cell(&c, "姓名");
    csv_cell(&c, "类型");
    csv_cell(&c, "每周节数");
    season_time_headers(&c, s, "每周分钟");
    static const char *const head[] = { "学期课时", "加权工作量(学期小时)", "补助(元)", "超节数", "超时长(分钟)", "值日天数" };
    for (size_t i = 0; i < sizeof head / sizeof *head; i++)
        csv_cell(&c, head[i]);
    csv_end(&c);
    workload_staff_rows(&c, s, w);
    static const char *const labels[PP_PAY_KINDS] = { "在职合计", "校外合计", "志愿者合计" };
    for (int k = 0; k < PP_PAY_KINDS; k++)
        workload_total_row(&c, s, labels[k], &w->total[k]);
    workload_total_row(&c, s, "全部合计", &w->all);
    workload_fairness_rows(&c, &w->fairness);
    pp_report_workload_free(w);
    return stream_result(f);
}
