/* html.c - timetable.html and students.html.
 *
 * The three grids of the timetable (by class, by venue, by staff) are drawn from
 * the index of io/grid.h (also behind the workbook's grid sheets), in its order:
 * period rows, day columns, one cursor per grid and no search.
 *
 * Like the CSV writers, printing ignores per-call results and asks the stream once
 * at the end: a write error sticks on the FILE. */
#include "html.h"

#include <stdlib.h>
#include <string.h>

#include "grid.h"
#include "report.h"

/* ---- small output helpers ------------------------------------------------------ */

void pp_html_escape(FILE *f, const char *t)
{
    for (; *t; t++)
        switch (*t) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&#39;", f); break;
        default: fputc(*t, f);
        }
}

static void esc(FILE *f, const char *t)
{
    pp_html_escape(f, t);
}

static int stream_result(FILE *f)
{
    return fflush(f) != 0 || ferror(f) ? -1 : 0;
}

static int nseasons(const pp_school *s)
{
    return s->nseasons < PP_MAX_SEASONS ? s->nseasons : PP_MAX_SEASONS;
}

static void format_date(int days, char buf[32])
{
    /* Howard Hinnant's civil_from_days, the inverse of pp_parse_date */
    long z = (long)days + 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long y = (long)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    unsigned d = doy - (153 * mp + 2) / 5 + 1;
    unsigned m = mp < 10 ? mp + 3 : mp - 9;
    snprintf(buf, 32, "%04ld-%02u-%02u", y + (m <= 2), m % 100, d % 100);
}

static const char *const css_common =
    "*{box-sizing:border-box}"
    /* CJK fonts first, by the names Linux (fonts-noto-cjk), macOS and Windows give them */
    "body{font-family:\"Noto Sans CJK SC\",\"Noto Sans SC\",\"Source Han Sans SC\",\"Noto Serif CJK SC\","
    "\"WenQuanYi Micro Hei\",\"PingFang SC\",\"Microsoft YaHei\",\"SimHei\",\"SimSun\",sans-serif;"
    "font-size:12px;line-height:1.35;color:#111;margin:14px;-webkit-print-color-adjust:exact;print-color-adjust:exact}"
    "h1{font-size:20px;margin:0 0 4px}"
    "h2{font-size:16px;border-bottom:2px solid #333;margin:18px 0 8px;padding-bottom:2px}"
    "h3{font-size:14px;margin:10px 0 4px}"
    "h3 small,.sub{font-weight:normal;color:#444;font-size:12px}"
    ".meta{margin:2px 0;color:#333}"
    "table{border-collapse:collapse;width:100%}"
    "th,td{border:1px solid #999;padding:3px 4px;vertical-align:top;text-align:left;overflow-wrap:anywhere;word-break:break-word}"
    "thead{display:table-header-group}"
    "thead th{background:#e8e8e8}"
    "tr{break-inside:avoid}"
    ".blk{break-inside:avoid;margin-bottom:12px}"
    ".num{text-align:right;white-space:nowrap}"
    ".un{color:#b00000;font-weight:bold}"
    ".t{display:block;color:#333;font-size:11px}"
    ".hm{white-space:nowrap}"
    "a{color:#1a4f9c;text-decoration:none}"
    /* the week grids of both pages */
    ".grid{table-layout:fixed}"
    ".grid col.p{width:12%}"
    "th.per{background:#f4f4f4;font-weight:normal}"
    "th.per b{display:block}"
    "td.off{background:#ececec;color:#999;text-align:center}"
    ".g{border-left:3px solid #888;padding:1px 4px;margin:2px 0;background:#f7f7f7}"
    ".g .n{color:#333;white-space:nowrap}"
    ".g .d{display:block;font-size:11px;color:#333}"
    ".k0{border-color:#4a7bd0;background:#edf2fb}"
    ".k1{border-color:#7a5bc4;background:#f2eefb}"
    ".k2{border-color:#2f9aa0;background:#eaf6f6}"
    ".k3{border-color:#2e9d57;background:#ecf7f0}"
    ".k4{border-color:#d98a1c;background:#fdf3e4}";

static const char *const css_timetable =
    "@page{size:A4 landscape;margin:10mm}"
    "nav ul{margin:2px 0 6px;padding-left:18px}"
    "nav ul.in{padding:0;margin:2px 0 6px 18px}"
    "nav ul.in li{display:inline;margin-right:10px}"
    ".st{font-size:11px;color:#555}"
    "section{break-before:page}"
    "section.pages>div.blk+div.blk{break-before:page}"
    ".over{color:#b00000;font-weight:bold}"
    "tfoot td{background:#f4f4f4;font-weight:bold}"
    "tfoot{display:table-row-group}" /* the totals once, under the last staff row: not on every printed page */
    /* Print: one class, venue or staff member a page (section.pages), table headers
     * repeated on a continued page (thead), and no text cut: cells wrap, grow with
     * their text and never hide an overflow. */
    "@media print{body{margin:0;font-size:13px}.t,.st,.g .d{font-size:11.5px}a{color:inherit}"
    "th,td,.g{overflow:visible;height:auto}}";

static const char *const css_students =
    "@page{size:A4 portrait;margin:10mm}"
    "section+section{break-before:page}"
    ".card{border:1px solid #777;padding:4px 6px;margin-bottom:6px;break-inside:avoid}"
    ".card .grid col.p{width:19%}"
    ".card h3{margin:0 0 4px;font-size:14px}"
    ".why{margin:3px 0 0;font-size:11px}"
    "@media print{body{margin:0;font-size:11px}.t,.g .d,.why{font-size:10px}}";

static void write_head(FILE *f, const pp_school *s, const char *title, const char *css)
{
    fputs("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
          f);
    esc(f, s->name);
    fputc(' ', f);
    esc(f, title);
    fprintf(f, "</title>\n<style>%s%s</style>\n</head>\n<body>\n", css_common, css);
}

/* The clock times of a period, one line per season ("夏令时 16:15-17:20"). */
static void write_period_times(FILE *f, const pp_school *s, int period)
{
    char t[16];
    for (int k = 0; k < nseasons(s); k++) {
        fputs("<span class=\"t\">", f);
        esc(f, s->seasons[k].name);
        pp_report_period_time(s, period, k, t);
        fprintf(f, " <span class=\"hm\">%s</span></span>", t[0] ? t : "不开设"); /* a long season name wraps, the time never */
    }
}

static void write_staff_names(FILE *f, const pp_school *s, const pp_group *g)
{
    int k = 0;
    for (int i = 0; i < g->nstaff; i++) {
        if (g->staff[i] < 0 || g->staff[i] >= s->nstaff)
            continue;
        if (k++)
            fputs("、", f);
        esc(f, s->staff[g->staff[i]].name);
    }
    if (!k)
        fputs("<span class=\"un\">未配人员</span>", f);
}

static void write_venue_name(FILE *f, const pp_school *s, const pp_group *g)
{
    if (g->venue >= 0 && g->venue < s->nvenues)
        esc(f, s->venues[g->venue].name);
    else
        fputs("<span class=\"un\">场地未定</span>", f);
}

/* ---- the view: what the grids are drawn from ----------------------------------- */

typedef struct {
    FILE *f;
    const pp_school *s;
    const pp_plan *p;
    pp_workload *w;
    pp_grid g;           /* the entries of every grid, the class counts and order (io/grid.h) */
} view;

static void view_free(view *v)
{
    pp_grid_free(&v->g);
    pp_report_workload_free(v->w);
}

static int view_init(view *v, FILE *f, const pp_school *s, const pp_plan *p)
{
    memset(v, 0, sizeof *v);
    v->f = f;
    v->s = s;
    v->p = p;
    v->w = pp_report_workload(s, p);
    if (!v->w || pp_grid_build(&v->g, s, p)) {
        view_free(v);
        return -1;
    }
    return 0;
}

/* ---- grids ----------------------------------------------------------------------- */

static void write_cell_group(const view *v, pp_grid_mode mode, const pp_grid_entry *e)
{
    FILE *f = v->f;
    const pp_school *s = v->s;
    const pp_group *g = &v->p->groups[e->group];
    const pp_activity *a = &s->activities[g->activity];
    char buf[512];
    fprintf(f, "<div class=\"g k%d\"><b>", (int)a->kind);
    esc(f, a->name);
    fputs("</b> <span class=\"n\">", f);
    if (mode == PP_GRID_CLASS && e->count != g->nstudents)
        fprintf(f, "本班%d人/共%d人", e->count, g->nstudents);
    else
        fprintf(f, "%d人", g->nstudents);
    fputs("</span><span class=\"d\">", f);
    if (mode != PP_GRID_CLASS) {
        esc(f, pp_report_group_classes(s, g, buf, sizeof buf));
        fputs(" · ", f);
    }
    if (mode != PP_GRID_VENUE) {
        write_venue_name(f, s, g);
        fputs(" · ", f);
    }
    esc(f, pp_group_format_zh(s, g));
    if (mode != PP_GRID_STAFF) {
        fputs(" · ", f);
        write_staff_names(f, s, g);
    }
    fputs("</span></div>", f);
}

/* One grid: rows are the periods in `rows`, columns the school's days; entries
 * [lo, hi) of the mode's index belong to the owner. */
static void write_grid(const view *v, pp_grid_mode mode, int owner, uint32_t rows, int lo, int hi)
{
    FILE *f = v->f;
    const pp_school *s = v->s;
    const pp_grid_entry *e = v->g.by[mode];
    fputs("<table class=\"grid\"><colgroup><col class=\"p\"></colgroup><thead><tr><th>时段 / 时间</th>", f);
    for (int d = 0; d < PP_DAYS; d++)
        if (s->day_mask & (1u << d))
            fprintf(f, "<th>%s</th>", pp_day_name_zh(d));
    fputs("</tr></thead><tbody>\n", f);
    int grade = mode == PP_GRID_CLASS ? s->classes[owner].grade : -1;
    for (int pe = 0; pe < s->nperiods; pe++) {
        if (!(rows & (1u << pe)))
            continue;
        const pp_period *per = &s->periods[pe];
        fputs("<tr><th class=\"per\"><b>", f);
        esc(f, per->name);
        fputs("</b>", f);
        write_period_times(f, s, pe);
        fputs("</th>", f);
        for (int d = 0; d < PP_DAYS; d++) {
            if (!(s->day_mask & (1u << d)))
                continue;
            while (lo < hi && (e[lo].period < pe || (e[lo].period == pe && e[lo].day < d)))
                lo++; /* entries of rows not shown */
            int runs = pp_grid_runs(s, pe, d, grade);
            int any = lo < hi && e[lo].period == pe && e[lo].day == d;
            if (!runs && !any) {
                fputs("<td class=\"off\">—</td>", f);
                continue;
            }
            fputs("<td>", f);
            if (mode == PP_GRID_CLASS) {
                int stay = v->g.stay[PP_GRID_CDP(s, owner, d, pe)], un = v->g.unserved[PP_GRID_CDP(s, owner, d, pe)];
                if (stay)
                    fprintf(f, "<div class=\"st\">留校%d人</div>", stay);
                if (un)
                    fprintf(f, "<div class=\"un\">未安排%d人</div>", un);
            }
            for (; lo < hi && e[lo].period == pe && e[lo].day == d; lo++)
                write_cell_group(v, mode, &e[lo]);
            fputs("</td>", f);
        }
        fputs("</tr>\n", f);
    }
    fputs("</tbody></table>\n", f);
}

/* ---- sections --------------------------------------------------------------------- */

static void write_header(const view *v)
{
    FILE *f = v->f;
    const pp_school *s = v->s;
    const pp_plan *p = v->p;
    fputs("<header><h1>", f);
    esc(f, s->name);
    fputs(" 课后服务排片表</h1>\n<p class=\"meta\">求解状态：", f);
    fputs(pp_report_status_zh(p->stats.status), f);
    if (p->stats.status != PP_STATUS_NONE)
        fprintf(f, " · 目标值 %.2f · 下界 %.2f · 差距 %.2f%%", p->stats.objective, p->stats.bound, 100.0 * p->stats.gap);
    fprintf(f, "</p>\n<p class=\"meta\">%d 个班级 · %d 名学生 · %d 个服务组 · %d 名负责人员 · 未安排 %d 人次</p>\n",
            s->nclasses, s->nstudents, p->ngroups, s->nstaff, p->nunserved);
    fputs("<p class=\"meta\">季节：", f);
    for (int k = 0; k < nseasons(s); k++) {
        char a[32], b[32];
        format_date(s->seasons[k].start_days, a);
        format_date(s->seasons[k].end_days, b);
        fputs(k ? "；" : "", f);
        esc(f, s->seasons[k].name);
        fprintf(f, " %s 至 %s（%d 周）", a, b, s->seasons[k].weeks);
    }
    fputs("</p></header>\n", f);
}

static void write_toc(const view *v)
{
    FILE *f = v->f;
    const pp_school *s = v->s;
    fputs("<nav><h2>目录</h2><ul>\n<li><a href=\"#by-class\">排片表（按年级和班级）</a>", f);
    int open = 0, lv = -1;
    for (int i = 0; i < s->nclasses; i++) {
        const pp_class *c = &s->classes[v->g.class_order[i]];
        if (!open || c->grade != lv) {
            int gi = pp_school_find_grade(s, c->grade);
            fputs(open ? "</ul>\n" : "", f);
            fputs("<ul class=\"in\"><li><b>", f);
            esc(f, gi >= 0 ? s->grades[gi].name : "");
            fputs("</b>：</li>", f);
            open = 1;
            lv = c->grade;
        }
        fprintf(f, "<li><a href=\"#c%d\">", v->g.class_order[i]);
        esc(f, c->name);
        fputs("</a></li>", f);
    }
    fputs(open ? "</ul>" : "", f);
    fputs("</li>\n<li><a href=\"#by-venue\">按场地</a></li>\n<li><a href=\"#by-staff\">按负责人员</a><ul class=\"in\">", f);
    for (int i = 0; i < s->nstaff; i++) {
        int who = v->w->order[i];
        if (v->w->staff[who].sessions == 0)
            continue;
        fprintf(f, "<li><a href=\"#s%d\">", who);
        esc(f, s->staff[who].name);
        fputs("</a></li>", f);
    }
    fputs("</ul></li>\n<li><a href=\"#workload\">工作量与补助</a></li>\n", f);
    if (v->p->nunserved)
        fprintf(f, "<li><a href=\"#unserved\">未安排的需求（%d 人次）</a></li>\n", v->p->nunserved);
    if (v->p->nshortages)
        fprintf(f, "<li><a href=\"#shortages\">资源不足（%d 项）</a></li>\n", v->p->nshortages);
    fputs("<li><a href=\"#duty\">值日领导</a></li>\n</ul></nav>\n", f);
}

static void write_classes(const view *v)
{
    FILE *f = v->f;
    const pp_school *s = v->s;
    fputs("<section id=\"by-class\" class=\"pages\"><h2>排片表 · 按年级和班级</h2>\n", f);
    for (int i = 0; i < s->nclasses; i++) {
        int c = v->g.class_order[i], lo, hi;
        const pp_class *cl = &s->classes[c];
        pp_grid_owner_range(&v->g, PP_GRID_CLASS, c, &lo, &hi);
        uint32_t rows = pp_grid_class_rows(&v->g, s, c, lo, hi);
        int stay = pp_grid_class_size(s, c);
        int gi = pp_school_find_grade(s, cl->grade);
        fprintf(f, "<div class=\"blk\" id=\"c%d\"><h3>", c);
        esc(f, gi >= 0 ? s->grades[gi].name : "");
        fputs(" · ", f);
        esc(f, cl->name);
        fprintf(f, " <small>学生 %d 人", stay);
        if (cl->room >= 0 && cl->room < s->nvenues) {
            fputs(" · 教室：", f);
            esc(f, s->venues[cl->room].name);
        }
        fputs("</small></h3>\n", f);
        write_grid(v, PP_GRID_CLASS, c, rows, lo, hi);
        fputs("</div>\n", f);
    }
    fputs("</section>\n", f);
}

static void write_venues(const view *v)
{
    FILE *f = v->f;
    const pp_school *s = v->s;
    fputs("<section id=\"by-venue\" class=\"pages\"><h2>排片表 · 按场地</h2>\n", f); /* a page per room, for its door */
    int unused = 0;
    for (int ve = 0; ve < s->nvenues; ve++) {
        int lo, hi;
        pp_grid_owner_range(&v->g, PP_GRID_VENUE, ve, &lo, &hi);
        if (lo == hi) {
            unused++;
            continue;
        }
        const pp_venue *x = &s->venues[ve];
        fprintf(f, "<div class=\"blk\" id=\"v%d\"><h3>", ve);
        esc(f, x->name);
        fputs(" <small>", f);
        esc(f, x->type >= 0 && x->type < s->nvenue_types ? s->venue_types[x->type] : "");
        fprintf(f, " · 容纳 %d 人 · 每周 %d 组</small></h3>\n", x->capacity, hi - lo);
        write_grid(v, PP_GRID_VENUE, ve, pp_grid_used_periods(&v->g, PP_GRID_VENUE, lo, hi), lo, hi);
        fputs("</div>\n", f);
    }
    if (unused) {
        fprintf(f, "<p class=\"sub\">本周未使用的场地（%d）：", unused);
        int k = 0;
        for (int ve = 0; ve < s->nvenues; ve++) {
            int lo, hi;
            pp_grid_owner_range(&v->g, PP_GRID_VENUE, ve, &lo, &hi);
            if (lo != hi)
                continue;
            fputs(k++ ? "、" : "", f);
            esc(f, s->venues[ve].name);
        }
        fputs("</p>\n", f);
    }
    fputs("</section>\n", f);
}

static void write_staff_summary(const view *v, int who)
{
    FILE *f = v->f;
    const pp_school *s = v->s;
    const pp_staff_load *L = &v->w->staff[who];
    fprintf(f, "<p class=\"sub\">每周 %d 节", L->sessions);
    for (int k = 0; k < nseasons(s); k++) {
        fputs(" · ", f);
        esc(f, s->seasons[k].name);
        fprintf(f, " %d 分钟/周", L->minutes[k]);
    }
    fprintf(f, " · 学期 %.2f 课时 · 补助 %.2f 元", L->term_hours, L->subsidy);
    if (L->over_sessions)
        fprintf(f, " · <span class=\"over\">超出每周节数上限 %d 节</span>", L->over_sessions);
    if (L->over_minutes)
        fprintf(f, " · <span class=\"over\">超出每周时长上限 %d 分钟</span>", L->over_minutes);
    if (L->duty_days) {
        fputs(" · 值日：", f);
        int k = 0;
        for (int d = 0; d < v->p->nduty; d++)
            for (int i = 0; i < v->p->duty[d].nstaff; i++)
                if (v->p->duty[d].staff[i] == who)
                    fprintf(f, "%s%s", k++ ? "、" : "", pp_day_name_zh(v->p->duty[d].day));
    }
    fputs("</p>\n", f);
}

static void write_staff(const view *v)
{
    FILE *f = v->f;
    const pp_school *s = v->s;
    fputs("<section id=\"by-staff\" class=\"pages\"><h2>排片表 · 按负责人员</h2>\n", f);
    int idle = 0;
    for (int i = 0; i < s->nstaff; i++) {
        int who = v->w->order[i], lo, hi;
        pp_grid_owner_range(&v->g, PP_GRID_STAFF, who, &lo, &hi);
        if (lo == hi) {
            idle++;
            continue;
        }
        const pp_staff *st = &s->staff[who];
        fprintf(f, "<div class=\"blk\" id=\"s%d\"><h3>", who);
        esc(f, st->name);
        fputs(" <small>", f);
        esc(f, st->id);
        fprintf(f, " · %s</small></h3>\n", pp_staff_type_zh(st->type));
        write_staff_summary(v, who);
        write_grid(v, PP_GRID_STAFF, who, pp_grid_used_periods(&v->g, PP_GRID_STAFF, lo, hi), lo, hi);
        fputs("</div>\n", f);
    }
    if (idle) {
        fprintf(f, "<p class=\"sub\">本周无服务安排的人员（%d）：", idle);
        int k = 0;
        for (int i = 0; i < s->nstaff; i++) {
            int who = v->w->order[i], lo, hi;
            pp_grid_owner_range(&v->g, PP_GRID_STAFF, who, &lo, &hi);
            if (lo != hi)
                continue;
            fputs(k++ ? "、" : "", f);
            esc(f, s->staff[who].name);
        }
        fputs("</p>\n", f);
    }
    fputs("</section>\n", f);
}

static void write_load_figures(FILE *f, const pp_school *s, int sessions, const int *minutes, double hours,
                               double weighted, double subsidy)
{
    fprintf(f, "<td class=\"num\">%d</td>", sessions);
    for (int k = 0; k < nseasons(s); k++)
        fprintf(f, "<td class=\"num\">%d</td>", minutes[k]);
    fprintf(f, "<td class=\"num\">%.2f</td><td class=\"num\">%.2f</td><td class=\"num\">%.2f</td>", hours, weighted,
            subsidy);
}

static void write_workload_rows(const view *v)
{
    FILE *f = v->f;
    const pp_school *s = v->s;
    for (int i = 0; i < s->nstaff; i++) {
        int who = v->w->order[i];
        const pp_staff *st = &s->staff[who];
        const pp_staff_load *L = &v->w->staff[who];
        fputs("<tr><td>", f);
        esc(f, st->id);
        fputs("</td><td>", f);
        esc(f, st->name);
        fprintf(f, "</td><td>%s</td>", pp_staff_type_zh(st->type));
        write_load_figures(f, s, L->sessions, L->minutes, L->term_hours, L->term_weighted_hours, L->subsidy);
        fprintf(f, "<td class=\"num%s\">%d</td><td class=\"num%s\">%d</td><td class=\"num\">%d</td></tr>\n",
                L->over_sessions ? " over" : "", L->over_sessions, L->over_minutes ? " over" : "", L->over_minutes,
                L->duty_days);
    }
}

static void write_workload(const view *v)
{
    FILE *f = v->f;
    const pp_school *s = v->s;
    const pp_workload *w = v->w;
    fputs("<section id=\"workload\"><h2>工作量与补助</h2>\n<table><thead><tr><th>工号</th><th>姓名</th><th>类型</th>"
          "<th>每周节数</th>",
          f);
    for (int k = 0; k < nseasons(s); k++) {
        fputs("<th>", f);
        esc(f, s->seasons[k].name);
        fputs("每周分钟</th>", f);
    }
    fputs("<th>学期课时</th><th>加权工作量(学期小时)</th><th>补助(元)</th><th>超节数</th><th>超时长(分钟)</th>"
          "<th>值日天数</th></tr></thead>\n<tbody>\n",
          f);
    write_workload_rows(v);
    fputs("</tbody><tfoot>\n", f);
    static const char *const labels[PP_PAY_KINDS] = { "在职合计", "校外合计", "志愿者合计" };
    for (int k = 0; k <= PP_PAY_KINDS; k++) {
        const pp_load_total *t = k < PP_PAY_KINDS ? &w->total[k] : &w->all;
        fprintf(f, "<tr><td>%s</td><td colspan=\"2\">%d 人（有安排 %d 人）</td>", k < PP_PAY_KINDS ? labels[k] : "全部合计",
                t->staff, t->active);
        write_load_figures(f, s, t->sessions, t->minutes, t->term_hours, t->term_weighted_hours, t->subsidy);
        fputs("<td colspan=\"3\"></td></tr>\n", f);
    }
    const pp_fairness *fa = &w->fairness;
    fprintf(f, "</tfoot></table>\n<p class=\"meta\">公平性（在职教师 %d 人，每周分钟按最长季节计）：最少 %d · 最多 %d · "
               "平均 %.1f · 极差 %d · 无安排 %d 人</p>\n</section>\n",
            fa->n, fa->min, fa->max, fa->mean, fa->spread, fa->idle);
}

static void write_unserved(const view *v)
{
    FILE *f = v->f;
    const pp_school *s = v->s;
    const pp_plan *p = v->p;
    if (!p->nunserved)
        return;
    fprintf(f, "<section id=\"unserved\"><h2>未安排的需求（%d 人次）</h2>\n<table><thead><tr><th>学号</th><th>姓名</th>"
               "<th>班级</th><th>星期</th><th>时段</th><th>原因</th></tr></thead><tbody>\n",
            p->nunserved);
    for (int u = 0; u < p->nunserved; u++) {
        const pp_unserved *x = &p->unserved[u];
        if (x->student < 0 || x->student >= s->nstudents || x->period < 0 || x->period >= s->nperiods)
            continue;
        const pp_student *st = &s->students[x->student];
        fputs("<tr><td>", f);
        esc(f, st->id);
        fputs("</td><td>", f);
        esc(f, st->name);
        fputs("</td><td>", f);
        esc(f, st->cls >= 0 && st->cls < s->nclasses ? s->classes[st->cls].name : "");
        fprintf(f, "</td><td>%s</td><td>", pp_day_name_zh(x->day));
        esc(f, s->periods[x->period].name);
        fputs("</td><td>", f);
        esc(f, x->reason);
        fputs("</td></tr>\n", f);
    }
    fputs("</tbody></table></section>\n", f);
}

/* The resources too short for the demand (solver/explain.h), one line each. */
static void write_shortages(const view *v)
{
    FILE *f = v->f;
    const pp_plan *p = v->p;
    if (!p->nshortages)
        return;
    fprintf(f, "<section id=\"shortages\"><h2>资源不足（%d 项）</h2>\n<p class=\"sub\">需求与场地、人员的缺口："
               "缺多少个组，在哪一天哪个时段，缺哪类场地或哪种专长的人员。</p>\n<ul>\n",
            p->nshortages);
    for (int i = 0; i < p->nshortages; i++) {
        fputs("<li>", f);
        esc(f, p->shortages[i].text);
        fputs("</li>\n", f);
    }
    fputs("</ul></section>\n", f);
}

static void write_duty(const view *v)
{
    FILE *f = v->f;
    const pp_school *s = v->s;
    const pp_plan *p = v->p;
    fputs("<section id=\"duty\" class=\"blk\"><h2>值日领导</h2>\n", f);
    if (!p->nduty) {
        fputs("<p class=\"sub\">未安排值日领导。</p></section>\n", f);
        return;
    }
    fputs("<table style=\"width:auto\"><thead><tr><th>星期</th><th>值日领导</th></tr></thead><tbody>\n", f);
    for (int d = 0; d < PP_DAYS; d++) /* by day, whatever order the plan holds them in */
        for (int i = 0; i < p->nduty; i++) {
            if (p->duty[i].day != d)
                continue;
            fprintf(f, "<tr><td>%s</td><td>", pp_day_name_zh(d));
            for (int j = 0, k = 0; j < p->duty[i].nstaff; j++) {
                int who = p->duty[i].staff[j];
                if (who < 0 || who >= s->nstaff)
                    continue;
                fputs(k++ ? "、" : "", f);
                esc(f, s->staff[who].name);
            }
            fputs("</td></tr>\n", f);
        }
    fputs("</tbody></table></section>\n", f);
}

int pp_html_timetable(FILE *f, const pp_school *s, const pp_plan *p)
{
    view v;
    if (view_init(&v, f, s, p))
        return -1;
    write_head(f, s, "课后服务排片表", css_timetable);
    write_header(&v);
    write_toc(&v);
    write_classes(&v);
    write_venues(&v);
    write_staff(&v);
    write_workload(&v);
    write_unserved(&v);
    write_shortages(&v);
    write_duty(&v);
    fputs("</body>\n</html>\n", f);
    view_free(&v);
    return stream_result(f);
}

/* ---- students.html ------------------------------------------------------------------ */

/* One cell of a student's week: what they do there, or why nothing. */
static void write_student_cell(FILE *f, const pp_school *s, const pp_plan *p, const pp_student *x, int day, int period,
                               int where)
{
    if (where >= 0) {
        const pp_group *g = &p->groups[where];
        fprintf(f, "<td><div class=\"g k%d\"><b>", (int)s->activities[g->activity].kind);
        esc(f, s->activities[g->activity].name);
        fputs("</b><span class=\"d\">", f);
        write_venue_name(f, s, g);
        fputs("</span><span class=\"d\">", f);
        write_staff_names(f, s, g);
        fputs("</span></div></td>", f);
    } else if (where != -1 || (x->stay[day] & (1u << period)))
        fputs("<td><span class=\"un\">未安排</span></td>", f);
    else
        fputs("<td class=\"off\">—</td>", f);
}

/* A parent's notice: the student's week as a small grid (rows: the periods they
 * stay for, with both seasons' times; columns: the school days), then why any
 * slot is unserved.  A grid keeps 120 notices to about 15 printed pages. */
static void write_student_card(FILE *f, const pp_school *s, const pp_plan *p, const int *at, int st)
{
    const pp_student *x = &s->students[st];
    uint32_t rows = 0;
    for (int d = 0; d < PP_DAYS; d++)
        for (int pe = 0; pe < s->nperiods; pe++)
            if ((x->stay[d] & (1u << pe)) || at[PP_SLOT(s, st, d, pe)] != -1)
                rows |= 1u << pe;
    fputs("<div class=\"card\"><h3>", f);
    esc(f, x->name);
    fputs(" <small>学号 ", f);
    esc(f, x->id);
    fputs(" · ", f);
    esc(f, x->cls >= 0 && x->cls < s->nclasses ? s->classes[x->cls].name : "");
    fputs("</small></h3>\n", f);
    if (!rows) {
        fputs("<p class=\"sub\">本学期未报名课后服务。</p></div>\n", f);
        return;
    }
    fputs("<table class=\"grid\"><colgroup><col class=\"p\"></colgroup><thead><tr><th>时段 / 时间</th>", f);
    for (int d = 0; d < PP_DAYS; d++)
        if (s->day_mask & (1u << d))
            fprintf(f, "<th>%s</th>", pp_day_name_zh(d));
    fputs("</tr></thead><tbody>\n", f);
    for (int pe = 0; pe < s->nperiods; pe++) {
        if (!(rows & (1u << pe)))
            continue;
        fputs("<tr><th class=\"per\"><b>", f);
        esc(f, s->periods[pe].name);
        fputs("</b>", f);
        write_period_times(f, s, pe);
        fputs("</th>", f);
        for (int d = 0; d < PP_DAYS; d++)
            if (s->day_mask & (1u << d))
                write_student_cell(f, s, p, x, d, pe, at[PP_SLOT(s, st, d, pe)]);
        fputs("</tr>\n", f);
    }
    fputs("</tbody></table>\n", f);
    for (int d = 0; d < PP_DAYS; d++)
        for (int pe = 0; pe < s->nperiods; pe++) {
            int where = at[PP_SLOT(s, st, d, pe)];
            if (where >= -1)
                continue;
            fprintf(f, "<p class=\"why\"><span class=\"un\">未安排</span> %s ", pp_day_name_zh(d));
            esc(f, s->periods[pe].name);
            fputs("：", f);
            esc(f, p->unserved[PP_SLOT_UNSERVED(where)].reason);
            fputs("</p>\n", f);
        }
    fputs("</div>\n", f);
}

int pp_html_students(FILE *f, const pp_school *s, const pp_plan *p)
{
    int *at = NULL, *order = NULL, *class_order = pp_grid_class_order(s); /* the grids are not drawn here */
    if (!class_order || (s->nstudents > 0 && s->nperiods > 0 &&
                         (!(at = pp_report_student_slots(s, p)) || !(order = pp_report_student_order(s))))) {
        free(at);
        free(order);
        free(class_order);
        return -1;
    }
    write_head(f, s, "课后服务安排(学生)", css_students);
    fputs("<header><h1>", f);
    esc(f, s->name);
    fputs(" 课后服务安排通知</h1><p class=\"meta\">每位学生每周留校的时段、活动、场地和负责人员；时间按季节（",
          f);
    for (int k = 0; k < nseasons(s); k++) {
        fputs(k ? "、" : "", f);
        esc(f, s->seasons[k].name);
    }
    fputs("）分列。</p></header>\n", f);
    for (int i = 0; at && i < s->nclasses; i++) {
        int c = class_order[i];
        fprintf(f, "<section id=\"c%d\"><h2>", c);
        esc(f, s->classes[c].name);
        fputs("</h2><div class=\"cards\">\n", f);
        int next = 0; /* order is by class index: each class is one run of it */
        while (next < s->nstudents && s->students[order[next]].cls != c)
            next++;
        for (; next < s->nstudents && s->students[order[next]].cls == c; next++)
            write_student_card(f, s, p, at, order[next]);
        fputs("</div></section>\n", f);
    }
    fputs("</body>\n</html>\n", f);
    free(at);
    free(order);
    free(class_order);
    return stream_result(f);
}
