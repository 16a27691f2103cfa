/* compare.c - pair figures, per-pair result files, comparison.csv and .html.
 *
 * The figures come from the plan and the workload report (io/report.c), never
 * from a second computation of the same thing: hours and money are the workload
 * totals by pay kind, over-limit staff are its over_* flags.  District totals
 * add counts and recompute rates from the sums (a rate of rates would weigh a
 * school of 300 like one of 3,000). */
#include "io/compare.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "io/html.h"
#include "io/report.h"
#include "io/sheet.h"

void pp_compare_copy(char *dst, size_t n, const char *src)
{
    size_t len = strlen(src);
    if (len >= n) {
        len = n - 1;
        while (len > 0 && ((unsigned char)src[len] & 0xC0) == 0x80)
            len--; /* src[len] would be a continuation byte: cut before its lead byte */
    }
    memcpy(dst, src, len);
    dst[len] = '\0';
}

/* ---- measuring --------------------------------------------------------- */

typedef struct {
    const char *reason;
    long n;
} reason_count;

static int cmp_reason(const void *a, const void *b)
{
    return strcmp(((const reason_count *)a)->reason, ((const reason_count *)b)->reason);
}

/* "no free staff for 作业辅导 on Fri 课后服务 (short 3 groups)" without the
 * "(short ...)" tail, so equal shortages of different size count together. */
static void reason_key(const char *reason, char *out, size_t n)
{
    snprintf(out, n, "%s", reason);
    char *p = strstr(out, " (short ");
    if (p)
        *p = '\0';
}

int pp_compare_measure(const pp_school *s, const pp_plan *p, pp_pair_result *r)
{
    pp_workload *w = pp_report_workload(s, p);
    char *bad = calloc((size_t)s->nstudents + 1, 1);
    char *first = calloc((size_t)s->nstudents + 1, 1);
    reason_count *rc = malloc(((size_t)p->nunserved + 1) * sizeof *rc);
    char (*keys)[300] = malloc(((size_t)p->nunserved + 1) * sizeof *keys);
    int ok = w && bad && first && rc && keys;
    if (ok) {
        pp_compare_copy(r->status, sizeof r->status, pp_status_name(p->stats.status));
        r->students = s->nstudents;
        r->asked = 0;
        for (int i = 0; i < s->nstudents; i++) {
            const pp_student *st = &s->students[i];
            for (int d = 0; d < PP_DAYS; d++)
                if (s->day_mask & (1u << d))
                    for (int q = 0; q < s->nperiods; q++)
                        r->asked += (st->stay[d] >> q & 1u) && (s->periods[q].days & (1u << d));
            r->priority_students += st->priority != 0;
            r->with_choices += st->nchoices > 0;
        }
        r->unserved = p->nunserved;
        r->served = r->asked - r->unserved;
        for (int u = 0; u < p->nunserved; u++) {
            bad[p->unserved[u].student] = 1;
            reason_key(p->unserved[u].reason ? p->unserved[u].reason : "", keys[u], sizeof keys[u]);
            rc[u] = (reason_count){ keys[u], 1 };
        }
        for (int i = 0; i < s->nstudents; i++)
            r->priority_served += s->students[i].priority != 0 && !bad[i];
        /* the most frequent reason; ties to the alphabetically first, so the choice is stable */
        qsort(rc, (size_t)p->nunserved, sizeof *rc, cmp_reason);
        r->short_reason[0] = '\0';
        r->short_count = 0;
        for (int u = 0; u < p->nunserved;) {
            int v = u;
            while (v < p->nunserved && strcmp(rc[v].reason, rc[u].reason) == 0)
                v++;
            if (v - u > r->short_count) {
                r->short_count = v - u;
                pp_compare_copy(r->short_reason, sizeof r->short_reason, rc[u].reason);
            }
            u = v;
        }
        r->groups = p->ngroups;
        for (int g = 0; g < p->ngroups; g++) {
            const pp_group *gr = &p->groups[g];
            const pp_activity *a = &s->activities[gr->activity];
            if (pp_activity_is_care(a)) {
                r->cross_grade += pp_group_grade_count(s, gr) > 1;
                continue;
            }
            for (int j = 0; j < gr->nstudents; j++) {
                const pp_student *st = &s->students[gr->students[j]];
                if (st->nchoices > 0 && st->choices[0] == gr->activity)
                    first[gr->students[j]] = 1;
            }
        }
        for (int i = 0; i < s->nstudents; i++)
            r->first_choice += first[i];
        r->hours_inhouse = w->total[PP_PAY_INHOUSE].term_hours;
        r->hours_external = w->total[PP_PAY_EXTERNAL].term_hours;
        r->subsidy = w->total[PP_PAY_INHOUSE].subsidy;
        r->external_cost = w->total[PP_PAY_EXTERNAL].subsidy;
        for (int i = 0; i < w->nstaff; i++)
            r->over_limit += w->staff[i].over_sessions > 0 || w->staff[i].over_minutes > 0;
        r->objective = p->stats.objective;
        r->seconds = p->stats.seconds;
        r->gap = p->stats.gap;
    }
    pp_report_workload_free(w);
    free(bad);
    free(first);
    free(rc);
    free(keys);
    return ok ? 0 : -1;
}

void pp_compare_set_error(pp_pair_result *r, const char *msg)
{
    r->failed = 1;
    snprintf(r->status, sizeof r->status, "error");
    if (strstr(msg, "<student"))
        snprintf(r->error, sizeof r->error,
                 "a <student> entry of the school is invalid (not shown: student data stays at the school); "
                 "run paipian solve on the school file to see it");
    else
        pp_compare_copy(r->error, sizeof r->error, msg);
    for (char *c = r->error; *c; c++)
        if (*c == '\n' || *c == '\r')
            *c = ' ';
}

/* ---- result files ------------------------------------------------------ */

/* A string value on one line (line breaks would end it). */
static void put_str(FILE *f, const char *key, const char *v)
{
    fprintf(f, "%s=", key);
    for (; *v; v++)
        fputc(*v == '\n' || *v == '\r' ? ' ' : *v, f);
    fputc('\n', f);
}

int pp_compare_write_result(FILE *f, const pp_pair_result *r)
{
    fprintf(f, "paipian-pair=1\nschool_index=%d\nscenario_index=%d\n", r->school_index, r->scenario_index);
    put_str(f, "school_file", r->school_file);
    put_str(f, "school_id", r->school_id);
    put_str(f, "school_name", r->school_name);
    put_str(f, "scenario_id", r->scenario_id);
    put_str(f, "scenario_name", r->scenario_name);
    fprintf(f, "failed=%d\n", r->failed);
    put_str(f, "error", r->error);
    put_str(f, "status", r->status);
    fprintf(f, "students=%d\npriority_students=%d\npriority_served=%d\nasked=%ld\nserved=%ld\n", r->students,
            r->priority_students, r->priority_served, r->asked, r->served);
    fprintf(f, "with_choices=%d\nfirst_choice=%d\ngroups=%d\ncross_grade=%d\n", r->with_choices, r->first_choice,
            r->groups, r->cross_grade);
    fprintf(f, "hours_inhouse=%.4f\nhours_external=%.4f\nsubsidy=%.4f\nexternal_cost=%.4f\nover_limit=%d\n",
            r->hours_inhouse, r->hours_external, r->subsidy, r->external_cost, r->over_limit);
    fprintf(f, "unserved=%ld\n", r->unserved);
    put_str(f, "short_reason", r->short_reason);
    fprintf(f, "short_count=%ld\nobjective=%.4f\nseconds=%.3f\ngap=%.6f\nnmarginal=%d\n", r->short_count, r->objective,
            r->seconds, r->gap, r->nmarginal);
    for (int i = 0; i < r->nmarginal; i++) {
        fprintf(f, "m%d_gain=%.4f\nm%d_served=%ld\n", i, r->marginal[i].gain, i, r->marginal[i].served_gain);
        char k[32];
        snprintf(k, sizeof k, "m%d_resource", i);
        put_str(f, k, r->marginal[i].resource);
        snprintf(k, sizeof k, "m%d_label", i);
        put_str(f, k, r->marginal[i].label);
    }
    fputs("end=1\n", f);
    return fflush(f) != 0 || ferror(f) ? -1 : 0;
}

int pp_compare_read_result(FILE *f, pp_pair_result *r)
{
    memset(r, 0, sizeof *r);
    char line[2048];
    int magic = 0, end = 0;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        char *v = strchr(line, '=');
        if (!v)
            continue;
        *v++ = '\0';
        const char *k = line;
        int mi;
        char mk[32];
#define STR(name) else if (!strcmp(k, #name)) pp_compare_copy(r->name, sizeof r->name, v)
#define INT(name) else if (!strcmp(k, #name)) r->name = atoi(v)
#define LNG(name) else if (!strcmp(k, #name)) r->name = atol(v)
#define DBL(name) else if (!strcmp(k, #name)) r->name = strtod(v, NULL)
        if (!strcmp(k, "paipian-pair"))
            magic = 1;
        else if (!strcmp(k, "end"))
            end = 1;
        INT(school_index); INT(scenario_index); STR(school_file); STR(school_id); STR(school_name);
        STR(scenario_id); STR(scenario_name); INT(failed); STR(error); STR(status);
        INT(students); INT(priority_students); INT(priority_served); LNG(asked); LNG(served);
        INT(with_choices); INT(first_choice); INT(groups); INT(cross_grade);
        DBL(hours_inhouse); DBL(hours_external); DBL(subsidy); DBL(external_cost); INT(over_limit);
        LNG(unserved); STR(short_reason); LNG(short_count); DBL(objective); DBL(seconds); DBL(gap);
        else if (!strcmp(k, "nmarginal")) {
            r->nmarginal = atoi(v);
            if (r->nmarginal < 0 || r->nmarginal > PP_COMPARE_MAX_MARGINAL)
                r->nmarginal = 0;
        } else if (sscanf(k, "m%d_%31s", &mi, mk) == 2 && mi >= 0 && mi < PP_COMPARE_MAX_MARGINAL) {
            pp_marginal *m = &r->marginal[mi];
            if (!strcmp(mk, "gain"))
                m->gain = strtod(v, NULL);
            else if (!strcmp(mk, "served"))
                m->served_gain = atol(v);
            else if (!strcmp(mk, "resource"))
                pp_compare_copy(m->resource, sizeof m->resource, v);
            else if (!strcmp(mk, "label"))
                pp_compare_copy(m->label, sizeof m->label, v);
        }
#undef STR
#undef INT
#undef LNG
#undef DBL
    }
    if (!magic || !end || ferror(f)) {
        memset(r, 0, sizeof *r);
        return -1;
    }
    return 0;
}

/* ---- totals ------------------------------------------------------------ */

typedef struct {
    int scenario_index;
    const char *id, *name;
    int schools, failed;
    pp_pair_result sum;      /* counts and money added over the schools that solved */
    double max_gap;
} total;

/* Totals per scenario, in scenario order; *nt receives the count.  Caller frees. */
static total *totals(const pp_pair_result *r, int n, int *nt)
{
    int ns = 0;
    for (int i = 0; i < n; i++)
        ns = r[i].scenario_index + 1 > ns ? r[i].scenario_index + 1 : ns;
    total *t = calloc((size_t)ns + 1, sizeof *t);
    *nt = 0;
    if (!t)
        return NULL;
    for (int k = 0; k < ns; k++) {
        t[k].scenario_index = k;
        t[k].id = t[k].name = "";
    }
    for (int i = 0; i < n; i++) {
        total *x = &t[r[i].scenario_index];
        const pp_pair_result *a = &r[i];
        if (!x->id[0]) {
            x->id = a->scenario_id;
            x->name = a->scenario_name;
        }
        x->schools++;
        if (a->failed) {
            x->failed++;
            continue;
        }
        pp_pair_result *s = &x->sum;
        s->students += a->students;
        s->priority_students += a->priority_students;
        s->priority_served += a->priority_served;
        s->asked += a->asked;
        s->served += a->served;
        s->with_choices += a->with_choices;
        s->first_choice += a->first_choice;
        s->groups += a->groups;
        s->cross_grade += a->cross_grade;
        s->hours_inhouse += a->hours_inhouse;
        s->hours_external += a->hours_external;
        s->subsidy += a->subsidy;
        s->external_cost += a->external_cost;
        s->over_limit += a->over_limit;
        s->unserved += a->unserved;
        s->objective += a->objective;
        s->seconds += a->seconds;
        x->max_gap = a->gap > x->max_gap ? a->gap : x->max_gap;
    }
    *nt = ns;
    return t;
}

static double pct(double a, double b)
{
    return b > 0 ? 100.0 * a / b : 100.0;
}

/* ---- CSV ------------------------------------------------------------------- */

/* One field, RFC 4180 quoted when needed, followed by sep. */
static void csv_field(FILE *f, const char *v, const char *sep)
{
    pp_csv_put_cell(f, v);
    fputs(sep, f);
}

static void csv_str(FILE *f, const char *v)
{
    csv_field(f, v, ",");
}

#define CSV_MARGINAL 3

/* The gap in percent, or `none` when the solve proved no bound (it stopped on
 * its time limit first: the gap is then infinite). */
static const char *gap_text(double gap, const char *none, char buf[32])
{
    if (!isfinite(gap))
        return none;
    snprintf(buf, 32, "%.2f", 100 * gap);
    return buf;
}

static void csv_figures(FILE *f, const pp_pair_result *a, double gap)
{
    char g[32];
    fprintf(f, "%s,%d,%ld,%ld,%.2f,%d,%d,%d,%d,%.2f,%d,%d,%.1f,%.1f,%.2f,%.2f,%d,%ld,", a->status, a->students,
            a->asked, a->served, pct((double)a->served, (double)a->asked), a->priority_students, a->priority_served,
            a->with_choices, a->first_choice, pct(a->first_choice, a->with_choices), a->groups, a->cross_grade,
            a->hours_inhouse, a->hours_external, a->subsidy, a->external_cost, a->over_limit, a->unserved);
    csv_str(f, a->short_reason);
    fprintf(f, "%ld,%.2f,%.2f,%s,", a->short_count, a->objective, a->seconds, gap_text(gap, "", g));
}

int pp_compare_csv(FILE *f, const pp_pair_result *r, int n)
{
    fputs("\xEF\xBB\xBF", f);
    fputs("学校,学校名称,情景,情景名称,状态,学生数,需求人次,已安排人次,覆盖率%,重点保障学生,重点保障全部安排,"
          "有志愿学生,得第一志愿,第一志愿率%,组数,跨年级并班,校内课时(学期),校外课时(学期),校内补助(元),"
          "校外费用(元),超限人员,未安排人次,主要短缺,短缺人次,目标值,求解秒,差距%",
          f);
    for (int m = 1; m <= CSV_MARGINAL; m++)
        fprintf(f, ",紧缺资源%d,加1单位目标改善%d,加1单位多安排人次%d", m, m, m);
    fputs(",错误\r\n", f);
    for (int i = 0; i < n; i++) {
        const pp_pair_result *a = &r[i];
        csv_str(f, a->school_id);
        csv_str(f, a->school_name);
        csv_str(f, a->scenario_id);
        csv_str(f, a->scenario_name);
        if (a->failed)
            fputs("error,,,,,,,,,,,,,,,,,,,,,,,", f);
        else
            csv_figures(f, a, a->gap);
        for (int m = 0; m < CSV_MARGINAL; m++) {
            if (m < a->nmarginal && !a->failed) {
                csv_str(f, a->marginal[m].label);
                fprintf(f, "%.2f,%ld,", a->marginal[m].gain, a->marginal[m].served_gain);
            } else
                fputs(",,,", f);
        }
        csv_field(f, a->error, "\r\n");
    }
    int nt;
    total *t = totals(r, n, &nt);
    if (!t)
        return -1;
    for (int k = 0; k < nt; k++) {
        char label[64];
        snprintf(label, sizeof label, "%d所学校（失败%d）", t[k].schools, t[k].failed);
        csv_str(f, "全区合计");
        csv_str(f, label);
        csv_str(f, t[k].id);
        csv_str(f, t[k].name);
        pp_pair_result s = t[k].sum;
        pp_compare_copy(s.status, sizeof s.status, t[k].failed ? "partial-run" : "total");
        s.short_reason[0] = '\0';
        csv_figures(f, &s, t[k].max_gap);
        fputs(",,,,,,,,,\r\n", f);
    }
    free(t);
    return fflush(f) != 0 || ferror(f) ? -1 : 0;
}

/* ---- HTML ------------------------------------------------------------------ */

static void esc(FILE *f, const char *t)
{
    pp_html_escape(f, t);
}

typedef struct {
    const char *label, *unit;
    int higher_better;   /* 1: more is better, 0: less is better, -1: neither */
    int decimals;
} metric;

static const metric metrics[] = {
    { "覆盖率（已安排/需求人次）", "%", 1, 2 },
    { "重点保障学生全部安排", "%", 1, 2 },
    { "第一志愿率", "%", 1, 1 },
    { "未安排人次", "", 0, 0 },
    { "组数", "", -1, 0 },
    { "跨年级并班", "", 0, 0 },
    { "校内课时（学期）", "小时", -1, 0 },
    { "校外课时（学期）", "小时", -1, 0 },
    { "校内补助（学期）", "元", -1, 0 },
    { "校外费用（学期）", "元", 0, 0 },
    { "超限人员", "人", 0, 0 },
    { "求解时间合计", "秒", -1, 1 },
};
#define NMETRICS (int)(sizeof metrics / sizeof *metrics)

static double metric_value(const total *t, int m)
{
    const pp_pair_result *s = &t->sum;
    switch (m) {
    case 0: return pct((double)s->served, (double)s->asked);
    case 1: return pct(s->priority_served, s->priority_students);
    case 2: return pct(s->first_choice, s->with_choices);
    case 3: return (double)s->unserved;
    case 4: return s->groups;
    case 5: return s->cross_grade;
    case 6: return s->hours_inhouse;
    case 7: return s->hours_external;
    case 8: return s->subsidy;
    case 9: return s->external_cost;
    case 10: return s->over_limit;
    default: return s->seconds;
    }
}

static void delta_text(FILE *f, const metric *m, double d)
{
    if (fabs(d) < 0.5 * pow(10, -m->decimals)) {
        fputs("±0", f);
        return;
    }
    fprintf(f, "%+.*f%s", m->decimals, d, !strcmp(m->unit, "%") ? "个百分点" : m->unit);
}

static const char *delta_colour(const metric *m, double d)
{
    if (m->higher_better < 0 || fabs(d) < 1e-9)
        return "#555";
    return (d > 0) == (m->higher_better == 1) ? "#1a7f37" : "#c62828";
}

/* One chart: a horizontal bar per scenario, value and delta against baseline. */
static void svg_chart(FILE *f, const total *t, int nt, int m)
{
    const metric *me = &metrics[m];
    double max = 0;
    for (int k = 0; k < nt; k++)
        max = fmax(max, fabs(metric_value(&t[k], m)));
    const int row = 26, left = 190, width = 300;
    fprintf(f, "<figure><figcaption>%s%s%s%s</figcaption>\n", me->label, me->unit[0] ? "（" : "", me->unit,
            me->unit[0] ? "）" : "");
    fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"720\" height=\"%d\" role=\"img\">\n", nt * row + 6);
    for (int k = 0; k < nt; k++) {
        double v = metric_value(&t[k], m), d = v - metric_value(&t[0], m);
        int y = 3 + k * row;
        int w = max > 0 ? (int)lround(width * fabs(v) / max) : 0;
        fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" font-size=\"13\">", left - 8, y + 17);
        esc(f, t[k].name);
        fprintf(f, "</text><rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"20\" fill=\"%s\"/>", left, y, w,
                k == 0 ? "#9e9e9e" : "#3b73b9");
        fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"13\">%.*f</text>", left + w + 6, y + 15, me->decimals, v);
        if (k > 0) {
            fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"13\" fill=\"%s\">", left + width + 80, y + 15, delta_colour(me, d));
            delta_text(f, me, d);
            fputs("</text>", f);
        }
        fputs("\n", f);
    }
    fputs("</svg></figure>\n", f);
}

static const char *const css =
    "body{font-family:'Noto Sans CJK SC','Noto Sans SC','Microsoft YaHei',sans-serif;margin:1.5em;color:#222}"
    "table{border-collapse:collapse;margin:.5em 0 1.5em;font-size:13px}"
    "th,td{border:1px solid #bbb;padding:3px 6px;text-align:right}th{background:#eef2f7}"
    "td.t,th.t{text-align:left}.up{color:#1a7f37}.down{color:#c62828}.err{color:#c62828;text-align:left}"
    "figure{display:inline-block;margin:0 1.5em 1em 0;vertical-align:top;break-inside:avoid}"
    "figcaption{font-weight:bold;margin-bottom:.2em}"
    "td small{color:#666}"
    "@media print{@page{size:A4 landscape;margin:10mm}body{margin:0}h2{break-before:page}h2.first{break-before:auto}"
    "table{font-size:9.5px}th,td{padding:2px 3px}tr{break-inside:avoid}}";

static void html_totals(FILE *f, const total *t, int nt)
{
    char g[32];
    fputs("<table><tr><th class=\"t\">指标</th>", f);
    for (int k = 0; k < nt; k++) {
        fputs("<th>", f);
        esc(f, t[k].name);
        fputs("</th>", f);
    }
    fputs("</tr>\n<tr><td class=\"t\">学校（失败）</td>", f);
    for (int k = 0; k < nt; k++)
        fprintf(f, "<td>%d（%d）</td>", t[k].schools, t[k].failed);
    fputs("</tr>\n", f);
    for (int m = 0; m < NMETRICS; m++) {
        const metric *me = &metrics[m];
        fprintf(f, "<tr><td class=\"t\">%s%s%s%s</td>", me->label, me->unit[0] ? "（" : "", me->unit, me->unit[0] ? "）" : "");
        for (int k = 0; k < nt; k++) {
            double v = metric_value(&t[k], m), d = v - metric_value(&t[0], m);
            fprintf(f, "<td>%.*f", me->decimals, v);
            if (k > 0) {
                fprintf(f, "<br><small style=\"color:%s\">", delta_colour(me, d));
                delta_text(f, me, d);
                fputs("</small>", f);
            }
            fputs("</td>", f);
        }
        fputs("</tr>\n", f);
    }
    fputs("<tr><td class=\"t\">最大差距</td>", f);
    for (int k = 0; k < nt; k++)
        fprintf(f, "<td>%s%s</td>", gap_text(t[k].max_gap, "无下界", g), isfinite(t[k].max_gap) ? "%" : "");
    fputs("</tr></table>\n", f);
}

/* 育才小学 <small>seed003-650-26</small>: generated and real districts repeat
 * school names, the id tells them apart. */
static void school_cell(FILE *f, const pp_pair_result *a)
{
    fputs("<td class=\"t\">", f);
    esc(f, a->school_name[0] ? a->school_name : a->school_file);
    if (a->school_id[0] && strcmp(a->school_id, a->school_name)) {
        fputs("<br><small>", f);
        esc(f, a->school_id);
        fputs("</small>", f);
    }
    fputs("</td>", f);
}

static const char *status_short_zh(const char *status)
{
    if (!strcmp(status, "optimal"))
        return "最优";
    if (!strcmp(status, "feasible"))
        return "可行";
    if (!strcmp(status, "partial"))
        return "有未安排";
    return "无方案";
}

static void html_pairs(FILE *f, const pp_pair_result *r, int n)
{
    char g[32];
    fputs("<table><tr><th class=\"t\">学校</th><th class=\"t\">情景</th><th>状态</th><th>学生</th><th>覆盖率%</th>"
          "<th>重点保障全部安排</th><th>第一志愿率%</th><th>组数</th><th>跨年级并班</th><th>校内课时</th>"
          "<th>校外课时</th><th>校内补助元</th><th>校外费用元</th><th>超限</th><th>未安排人次</th>"
          "<th class=\"t\">主要短缺</th><th>秒</th><th>差距%</th></tr>\n",
          f);
    for (int i = 0; i < n; i++) {
        const pp_pair_result *a = &r[i];
        fputs("<tr>", f);
        school_cell(f, a);
        fputs("<td class=\"t\">", f);
        esc(f, a->scenario_name);
        fputs("</td>", f);
        if (a->failed) {
            fputs("<td>失败</td><td class=\"err\" colspan=\"15\">", f);
            esc(f, a->error);
            fputs("</td></tr>\n", f);
            continue;
        }
        fprintf(f, "<td>%s</td><td>%d</td><td>%.2f</td><td>%d/%d</td><td>%.1f</td><td>%d</td><td>%d</td><td>%.0f</td>"
                   "<td>%.0f</td><td>%.0f</td><td>%.0f</td><td>%d</td><td>%ld</td><td class=\"t\">",
                status_short_zh(a->status),
                a->students, pct((double)a->served, (double)a->asked), a->priority_served, a->priority_students,
                pct(a->first_choice, a->with_choices), a->groups, a->cross_grade, a->hours_inhouse, a->hours_external,
                a->subsidy, a->external_cost, a->over_limit, a->unserved);
        if (a->short_count) {
            esc(f, a->short_reason);
            fprintf(f, "（%ld人次）", a->short_count);
        }
        fprintf(f, "</td><td>%.1f</td><td>%s</td></tr>\n", a->seconds, gap_text(a->gap, "无下界", g));
    }
    fputs("</table>\n", f);
}

static void html_marginal(FILE *f, const pp_pair_result *r, int n)
{
    int any = 0;
    for (int i = 0; i < n; i++)
        any |= !r[i].failed && r[i].nmarginal > 0;
    if (!any) {
        fputs("<p>没有计算（--marginal 0）或没有用尽的资源。</p>\n", f);
        return;
    }
    fputs("<p>对每个学校和情景，取计划中用尽或被列为短缺的资源（某节次某专长的人员、某节次某类场地），"
          "各加一个单位重新求解，比较目标值（越低越好；每少一个未安排人次约改善1000）。"
          "重新求解有时间限制，差值小于几点属于求解误差。</p>\n"
          "<table><tr><th class=\"t\">学校</th><th class=\"t\">情景</th><th class=\"t\">资源（加1）</th><th>目标改善</th>"
          "<th>多安排人次</th></tr>\n",
          f);
    for (int i = 0; i < n; i++) {
        const pp_pair_result *a = &r[i];
        for (int m = 0; m < a->nmarginal && !a->failed; m++) {
            fputs("<tr>", f);
            school_cell(f, a);
            fputs("<td class=\"t\">", f);
            esc(f, a->scenario_name);
            fputs("</td><td class=\"t\">", f);
            esc(f, a->marginal[m].label);
            fprintf(f, "</td><td class=\"%s\">%.1f</td><td>%ld</td></tr>\n", a->marginal[m].gain > 0.5 ? "up" : "",
                    a->marginal[m].gain, a->marginal[m].served_gain);
        }
    }
    fputs("</table>\n", f);
}

int pp_compare_html(FILE *f, const char *district, const pp_pair_result *r, int n)
{
    int nt;
    total *t = totals(r, n, &nt);
    if (!t)
        return -1;
    fputs("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>课后服务情景比较 — ", f);
    esc(f, district);
    fprintf(f, "</title><style>%s</style></head><body>\n<h1>课后服务人员配置情景比较：", css);
    esc(f, district);
    int nschools = nt > 0 ? t[0].schools : 0;
    fprintf(f, "</h1>\n<p>%d 所学校 × %d 个情景（含基线）。每个情景的数值是全区合计；绿色/红色为相对基线的改善/变差。"
               "本页不含任何学生姓名或学号。</p>\n",
            nschools, nt);
    fputs("<h2 class=\"first\">全区合计</h2>\n", f);
    if (nt > 0) {
        int uneven = 0;
        for (int k = 1; k < nt; k++)
            uneven |= t[k].failed != t[0].failed;
        if (uneven)
            fputs("<p class=\"err\">注意：各情景求解失败的学校数不同，合计所含学校不同，差值不能直接比较；失败原因见“各校明细”。</p>\n", f);
        else if (t[0].failed)
            fprintf(f, "<p class=\"err\">注意：%d 所学校求解失败，未计入合计；原因见“各校明细”。</p>\n", t[0].failed);
        html_totals(f, t, nt);
        fputs("<h2>各情景对比图</h2>\n", f);
        for (int m = 0; m < NMETRICS; m++)
            svg_chart(f, t, nt, m);
    }
    fputs("<h2>哪种资源最紧缺（加一个单位的边际价值）</h2>\n", f);
    html_marginal(f, r, n);
    fputs("<h2>各校明细</h2>\n", f);
    html_pairs(f, r, n);
    fputs("</body></html>\n", f);
    free(t);
    return fflush(f) != 0 || ferror(f) ? -1 : 0;
}
