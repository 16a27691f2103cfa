/* import.c - spreadsheets to school (see import.h).
 *
 * Three passes over the tables:
 *   1. headers: each table's header row is matched against its column names
 *      (Chinese or English); a missing required column is reported;
 *   2. identities: the id and name of every season, period, grade, venue, class
 *      and activity are collected, so a cell may name them either way and in any
 *      table order (a period's care activity, an activity's periods);
 *   3. cells: every row is checked and written as one XML element, in the
 *      FORMAT.md section order.  Each output line remembers the (table, row) it
 *      came from, so a problem found later by the XML loader is reported at
 *      that row of that sheet.
 * Only when no cell problem was found is the document handed to the loader. */
#include "import.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "io/csv_read.h"
#include "io/files.h"
#include "io/school_write.h"
#include "io/school_xml.h"
#include "io/xlsx_read.h"

/* ---------- tables and their columns ------------------------------------------ */

static const char *const table_zh[PP_TABLES] = { "学校", "规则", "时令", "时段", "年级",
                                                 "场地", "班级", "活动", "教职工", "学生" };
static const char *const table_en[PP_TABLES] = { "school", "policy", "seasons", "periods", "grades",
                                                 "venues", "classes", "activities", "staff", "students" };
/* further names a school may give its files */
static const char *const table_alt[PP_TABLES] = { "学校信息", "参数|政策", "作息|季节", "作息时间|时间段", "",
                                                  "教室|场所", "", "课程|社团", "教师|教职员工|老师", "学生名单|征询单" };

/* A column: '|'-separated header names, the first is the template's; required
 * columns must be present (their cells may still be empty where a default
 * exists). */
typedef struct {
    const char *names;
    int required;
} colspec;

enum { SC_ID, SC_NAME, SC_DAYS, SC_N };
static const colspec school_cols[] = { { "学校代码|代码|编号|id", 1 }, { "学校名称|名称|name", 1 }, { "服务日|days", 0 } };
enum { PO_KEY, PO_VALUE, PO_NOTE, PO_N };
static const colspec policy_cols[] = { { "项目|key", 1 }, { "值|数值|value", 1 }, { "说明|备注|note", 0 } };
enum { SE_ID, SE_NAME, SE_START, SE_END, SE_WEEKS, SE_N };
static const colspec season_cols[] = { { "编号|id", 1 }, { "名称|name", 0 }, { "开始日期|start", 1 },
                                       { "结束日期|end", 1 }, { "周数|weeks", 0 } };
enum { PE_ID, PE_NAME, PE_KIND, PE_DAYS, PE_GRADES, PE_CARE, PE_N };
static const colspec period_cols[] = { { "编号|id", 1 }, { "名称|name", 0 }, { "类型|kind", 0 },
                                       { "星期|days", 0 }, { "年级|grades", 0 }, { "托管活动|care", 1 } };
enum { GR_LEVEL, GR_NAME, GR_N };
static const colspec grade_cols[] = { { "年级|level", 1 }, { "名称|name", 0 } };
enum { VE_ID, VE_NAME, VE_TYPE, VE_CAP, VE_UNAVAIL, VE_N };
static const colspec venue_cols[] = { { "编号|id", 1 }, { "名称|name", 0 }, { "类型|type", 1 },
                                      { "容纳人数|capacity", 1 }, { "不可用时段|unavailable", 0 } };
enum { CL_ID, CL_NAME, CL_GRADE, CL_ROOM, CL_N };
static const colspec class_cols[] = { { "编号|id", 1 }, { "名称|name", 0 }, { "年级|grade", 1 }, { "教室|room", 0 } };
enum { AC_ID, AC_NAME, AC_KIND, AC_CAT, AC_TIER, AC_SESSIONS, AC_GRADES, AC_MIN, AC_MAX, AC_MERGE,
       AC_VTYPE, AC_SPEC, AC_SPG, AC_FEE, AC_PROVIDER, AC_SLOTS, AC_N };
static const colspec activity_cols[] = {
    { "编号|id", 1 }, { "名称|name", 0 }, { "类型|kind", 1 }, { "类别|category", 0 }, { "组班方式|tier", 0 },
    { "每周次数|sessions", 0 }, { "年级|grades", 0 }, { "最少人数|min", 0 }, { "最多人数|max", 0 },
    { "并班阈值|merge-threshold", 0 }, { "场地类型|venue-type", 0 }, { "所需专长|专长|speciality", 0 },
    { "每组教师数|staff-per-group", 0 }, { "每次收费|收费|fee", 0 }, { "提供方|provider", 0 },
    { "上课时段|时段|slots", 0 }
};
enum { ST_ID, ST_NAME, ST_TYPE, ST_SPECS, ST_UNAVAIL, ST_MAXSES, ST_MAXMIN, ST_DUTY, ST_RATE, ST_N };
static const colspec staff_cols[] = {
    { "工号|编号|id", 1 }, { "姓名|name", 0 }, { "类型|type", 0 }, { "专长|specialities", 0 },
    { "不可用时段|unavailable", 0 }, { "每周最多次数|max-sessions", 0 }, { "每周最多分钟|max-minutes", 0 },
    { "值日领导|duty-leader", 0 }, { "课时费|rate", 0 }
};
enum { SU_ID, SU_NAME, SU_CLASS, SU_PRIO, SU_N };
static const colspec student_cols[] = { { "学号|id", 1 }, { "姓名|name", 0 }, { "班级|class", 1 },
                                        { "重点保障|priority", 0 } };

static const struct {
    const colspec *cols;
    int n;
} table_cols[PP_TABLES] = {
    { school_cols, SC_N }, { policy_cols, PO_N }, { season_cols, SE_N }, { period_cols, PE_N },
    { grade_cols, GR_N }, { venue_cols, VE_N }, { class_cols, CL_N }, { activity_cols, AC_N },
    { staff_cols, ST_N }, { student_cols, SU_N },
};

const char *pp_import_table_name(pp_table t)
{
    return (unsigned)t < PP_TABLES ? table_zh[t] : "?";
}

const char *pp_import_table_name_en(pp_table t)
{
    return (unsigned)t < PP_TABLES ? table_en[t] : "?";
}

/* Whether s equals one of the '|'-separated names (ASCII case ignored). */
static int name_in(const char *s, const char *names)
{
    size_t n = strlen(s);
    for (const char *p = names; *p;) {
        const char *e = strchr(p, '|');
        size_t k = e ? (size_t)(e - p) : strlen(p);
        if (k == n && strncasecmp(s, p, k) == 0)
            return 1;
        if (!e)
            break;
        p = e + 1;
    }
    return 0;
}

int pp_import_table_of(const char *name)
{
    for (int t = 0; t < PP_TABLES; t++)
        if (!strcasecmp(name, table_zh[t]) || !strcasecmp(name, table_en[t]) || (*table_alt[t] && name_in(name, table_alt[t])))
            return t;
    return -1;
}

int pp_import_ncolumns(pp_table t)
{
    return (unsigned)t < PP_TABLES ? table_cols[t].n : 0;
}

const char *pp_import_column(pp_table t, int c, int *len)
{
    if ((unsigned)t >= PP_TABLES || c < 0 || c >= table_cols[t].n) {
        *len = 0;
        return "";
    }
    const char *n = table_cols[t].cols[c].names, *e = strchr(n, '|');
    *len = e ? (int)(e - n) : (int)strlen(n);
    return n;
}

/* ---------- small text helpers --------------------------------------------------- */

static int has_ext(const char *name, const char *ext)
{
    size_t n = strlen(name), k = strlen(ext);
    return n > k && strcasecmp(name + n - k, ext) == 0;
}

/* Length of the first name of a '|' list. */
static int first_len(const char *names)
{
    const char *e = strchr(names, '|');
    return e ? (int)(e - names) : (int)strlen(names);
}

/* Growing output buffer that remembers, per line, the sheet row it came from. */
typedef struct {
    char *p;
    size_t n, cap;
    int nomem;
    int origin_t, origin_r;       /* table and row index of the element being written */
    int nlines, linecap;
    int *line_t, *line_r;         /* per output line (0-based): origin */
} outbuf;

static void ob_write(outbuf *o, const char *s, size_t k)
{
    if (o->nomem)
        return;
    if (o->n + k + 1 > o->cap) {
        size_t nc = o->cap ? o->cap : 1 << 16;
        while (o->n + k + 1 > nc)
            nc *= 2;
        char *np = realloc(o->p, nc);
        if (!np) {
            o->nomem = 1;
            return;
        }
        o->p = np;
        o->cap = nc;
    }
    memcpy(o->p + o->n, s, k);
    o->n += k;
    o->p[o->n] = '\0';
    for (size_t i = 0; i < k; i++)
        if (s[i] == '\n') {
            if (o->nlines == o->linecap) {
                int nc = o->linecap ? 2 * o->linecap : 1024;
                int *a = realloc(o->line_t, (size_t)nc * sizeof *a);
                if (a)
                    o->line_t = a;
                int *b = a ? realloc(o->line_r, (size_t)nc * sizeof *b) : NULL;
                if (!a || !b) {
                    o->nomem = 1;
                    return;
                }
                o->line_r = b;
                o->linecap = nc;
            }
            o->line_t[o->nlines] = o->origin_t;
            o->line_r[o->nlines++] = o->origin_r;
        }
}

static void ob_puts(outbuf *o, const char *s)
{
    ob_write(o, s, strlen(s));
}

static void ob_printf(outbuf *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void ob_printf(outbuf *o, const char *fmt, ...)
{
    char b[512];
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(b, sizeof b, fmt, ap);
    va_end(ap);
    ob_write(o, b, k < 0 ? 0 : (size_t)k < sizeof b ? (size_t)k : sizeof b - 1);
}

/* name="value" with XML escapes; white-space controls as references. */
static void ob_attr(outbuf *o, const char *name, const char *v)
{
    ob_printf(o, " %s=\"", name);
    for (const char *s = v; *s; s++) {
        switch (*s) {
        case '&': ob_puts(o, "&amp;"); break;
        case '<': ob_puts(o, "&lt;"); break;
        case '>': ob_puts(o, "&gt;"); break;
        case '"': ob_puts(o, "&quot;"); break;
        case '\t': ob_puts(o, "&#9;"); break;
        case '\n': ob_puts(o, "&#10;"); break;
        case '\r': ob_puts(o, "&#13;"); break;
        default:
            if ((unsigned char)*s < 0x20)
                ob_puts(o, "\xEF\xBF\xBD");
            else
                ob_write(o, s, 1);
        }
    }
    ob_puts(o, "\"");
}

/* days="Mon Wed" of a day mask. */
static void ob_days(outbuf *o, unsigned mask)
{
    char dl[64] = "";
    for (int d = 0; d < PP_DAYS; d++)
        if (mask & (1u << d))
            snprintf(dl + strlen(dl), sizeof dl - strlen(dl), "%s%s", dl[0] ? " " : "", pp_day_name(d));
    ob_attr(o, "days", dl);
}

/* Token iterator: separators are the listed strings (UTF-8). */
static const char *const SEP_LIST[] = { "、", ",", "，", ";", "；", " ", "\t", "\n", "\r", "　", NULL };
static const char *const SEP_STAY[] = { "、", ",", "，", ";", "；", "\n", "\r", NULL };
static const char *const SEP_ENTRY[] = { ";", "；", "\n", "\r", NULL };
static const char *const SEP_SLOT[] = { "、", ",", "，", ":", "：", " ", "\t", "　", NULL };

static size_t sep_at(const char *p, const char *const *seps)
{
    for (int i = 0; seps[i]; i++) {
        size_t k = strlen(seps[i]);
        if (strncmp(p, seps[i], k) == 0)
            return k;
    }
    return 0;
}

/* Next token of *p into tok (cut to size); 0 at the end. */
static int next_tok(const char **p, const char *const *seps, char *tok, size_t size)
{
    size_t k;
    while (**p && (k = sep_at(*p, seps)) > 0)
        *p += k;
    if (!**p)
        return 0;
    size_t n = 0;
    while (**p && sep_at(*p, seps) == 0) {
        if (n + 1 < size)
            tok[n++] = **p;
        (*p)++;
    }
    tok[n] = '\0';
    return 1;
}

static int valid_id(const char *s)
{
    if (!*s || strlen(s) > 200)
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '-' ||
              *s == '_' || *s == '.'))
            return 0;
    return 1;
}

/* An xlsx number cell of an integer may read "15" or "15.0". */
static int parse_int(const char *s, long *out)
{
    char *e;
    errno = 0;
    long v = strtol(s, &e, 10);
    if (e == s || errno)
        return -1;
    if (*e == '.') {
        for (e++; *e == '0'; e++)
            ;
    }
    if (*e)
        return -1;
    *out = v;
    return 0;
}

/* A decimal without exponent (what the XML loader accepts). */
static int is_decimal(const char *s)
{
    int digits = 0;
    if (*s == '+' || *s == '-')
        s++;
    for (; *s >= '0' && *s <= '9'; s++)
        digits++;
    if (*s == '.')
        for (s++; *s >= '0' && *s <= '9'; s++)
            digits++;
    return digits > 0 && !*s;
}

static int parse_bool(const char *s, int *out)
{
    if (name_in(s, "是|y|yes|true|1|√|✓|✔|对"))
        *out = 1;
    else if (name_in(s, "否|n|no|false|0|×|✗|不"))
        *out = 0;
    else
        return -1;
    return 0;
}

/* Index of s in a table of '|' name lists; -1 none. */
static int enum_of(const char *s, const char *const *names, int n)
{
    for (int i = 0; i < n; i++)
        if (name_in(s, names[i]))
            return i;
    return -1;
}

static const char *const period_kinds[] = { "晨间|早晨|早上|morning", "午间|中午|noon", "课后|课后服务|放学后|after-school",
                                            "延时|延时服务|傍晚|late", "晚间|晚上|晚自习|evening" };
static const char *const activity_kinds[] = { "托管|看管|care", "作业辅导|作业|答疑|homework", "阅读|reading",
                                              "社团|club", "课程|收费课程|course" };
static const char *const tiers[] = { "本班|班级|class", "年级|grade", "全校|跨年级|school" };
static const char *const staff_types[] = { "在职教师|教师|teacher", "退休教师|退休|retired",
                                           "校外专业人员|校外|外聘|external", "志愿者|volunteer" };
static const char *const prio_en[] = { "disabled", "left-behind", "migrant", "low-income" };
static const char *const priorities[] = { "残疾|残疾儿童|disabled", "留守|留守儿童|left-behind",
                                          "随迁|随迁子女|migrant", "低保|低保家庭|low-income" };

/* ---------- the import context --------------------------------------------------- */

typedef struct {
    int n;
    char **id, **name;
    int *row;                     /* row index in its table */
} idlist;

typedef struct {
    pp_sheet *sh;
    int col[32];                  /* spec -> sheet column; -1 absent */
} table;

typedef struct {
    table tab[PP_TABLES];
    idlist ids[PP_TABLES];        /* seasons, periods, venues, classes, activities, staff, students */
    int grade_level[PP_MAX_GRADE + 1]; /* level -> row index in the grades table (or -1) */
    char grade_name[PP_MAX_GRADE + 1][128];
    int season_col[PP_MAX_SEASONS];    /* periods table: column of each season */
    int day_col[PP_DAYS];              /* students table: column of each day */
    int nchoice, choice_col[64];       /* students table: choice columns, in rank order */
    unsigned day_mask;
    pp_diags *d;
    int problems;
    int nomem;
    outbuf o;
} imp;

static const char *cell(const imp *I, int t, int r, int spec)
{
    const table *tb = &I->tab[t];
    return tb->sh && tb->col[spec] >= 0 ? pp_sheet_cell(tb->sh, r, tb->col[spec]) : "";
}

/* "file:sheet:row:C(header): " for the column of spec (or a raw column). */
static void prefix(const imp *I, int t, int r, int rawcol, char *buf, size_t size)
{
    const pp_sheet *sh = I->tab[t].sh;
    long row = r >= 0 && r < sh->nrows ? sh->rows[r].num : 1;
    if (rawcol < 0) {
        snprintf(buf, size, "%s:%s:%ld:", sh->file, sh->name, row);
        return;
    }
    char cn[8];
    const char *h = sh->nrows > 0 ? pp_sheet_cell(sh, 0, rawcol) : "";
    snprintf(buf, size, "%s:%s:%ld:%s%s%s%s:", sh->file, sh->name, row, pp_sheet_col_name(rawcol, cn), *h ? "(" : "", h,
             *h ? ")" : "");
}

static void vproblem(imp *I, int t, int r, int rawcol, const char *fmt, va_list ap)
{
    char pre[512], msg[1024];
    prefix(I, t, r, rawcol, pre, sizeof pre);
    vsnprintf(msg, sizeof msg, fmt, ap);
    pp_diags_add(I->d, NULL, 0, "%s %s", pre, msg);
    I->problems++;
}

static void problem(imp *I, int t, int r, int spec, const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void problem(imp *I, int t, int r, int spec, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vproblem(I, t, r, spec >= 0 ? I->tab[t].col[spec] : -1, fmt, ap);
    va_end(ap);
}

static void problem_col(imp *I, int t, int r, int rawcol, const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void problem_col(imp *I, int t, int r, int rawcol, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vproblem(I, t, r, rawcol, fmt, ap);
    va_end(ap);
}

static char *dup(imp *I, const char *s)
{
    char *c = strdup(s);
    if (!c)
        I->nomem = 1;
    return c;
}

/* ---------- pass 1: headers ------------------------------------------------------- */

static int choice_number(const char *h)
{
    long k;
    const char *p = NULL;
    if (!strncmp(h, "志愿", 6))
        p = h + 6;
    else if (!strncasecmp(h, "choice", 6))
        p = h + 6;
    else if (!strncmp(h, "第", 3)) { /* 第1志愿 */
        char b[32];
        size_t n = strlen(h);
        if (n > 9 && n < sizeof b && !strcmp(h + n - 6, "志愿")) {
            memcpy(b, h + 3, n - 9);
            b[n - 9] = '\0';
            return parse_int(b, &k) == 0 && k >= 1 && k <= 64 ? (int)k : 0;
        }
    }
    while (p && *p == ' ')
        p++;
    return p && parse_int(p, &k) == 0 && k >= 1 && k <= 64 ? (int)k : 0;
}

static void read_headers(imp *I, int t)
{
    table *tb = &I->tab[t];
    for (int c = 0; c < 32; c++)
        tb->col[c] = -1;
    pp_sheet *sh = tb->sh;
    if (!sh)
        return;
    if (sh->nrows == 0 || sh->rows[0].num != 1) {
        pp_diags_add(I->d, NULL, 0, "%s:%s:1: the header row is missing; expected row 1 to name the columns, e.g. %.*s",
                     sh->file, sh->name, first_len(table_cols[t].cols[0].names), table_cols[t].cols[0].names);
        I->problems++;
        return;
    }
    const colspec *cs = table_cols[t].cols;
    int ncs = table_cols[t].n;
    for (int c = 0; c < sh->rows[0].ncells; c++) {
        const char *h = pp_sheet_cell(sh, 0, c);
        if (!*h)
            continue;
        int found = 0;
        for (int k = 0; k < ncs && !found; k++)
            if (name_in(h, cs[k].names)) {
                found = 1;
                if (tb->col[k] >= 0)
                    problem_col(I, t, 0, c, "column \"%s\" appears twice (also column %s); expected each column once", h,
                                pp_sheet_col_name(tb->col[k], (char[8]){ 0 }));
                else
                    tb->col[k] = c;
            }
        if (found)
            continue;
        if (t == PP_TABLE_STUDENTS) {
            int day = pp_day_parse(h), k = choice_number(h);
            if (day >= 0 && I->day_col[day] < 0)
                I->day_col[day] = c;
            else if (k > 0 && k <= 64) {
                if (k > I->nchoice) {
                    for (int j = I->nchoice; j < k; j++)
                        I->choice_col[j] = -1;
                    I->nchoice = k;
                }
                I->choice_col[k - 1] = c;
            }
            /* any other column (e.g. assignments a workbook writer added) is ignored */
            continue;
        }
        if (t == PP_TABLE_PERIODS) {
            const idlist *se = &I->ids[PP_TABLE_SEASONS];
            int k = -1;
            for (int j = 0; j < se->n && k < 0; j++)
                if (!strcmp(h, se->id[j]) || !strcmp(h, se->name[j]))
                    k = j;
            if (k >= 0 && k < PP_MAX_SEASONS) {
                I->season_col[k] = c;
                continue;
            }
        }
        char list[512] = "";
        for (int k = 0; k < ncs; k++)
            snprintf(list + strlen(list), sizeof list - strlen(list), "%s%.*s", k ? " " : "", first_len(cs[k].names),
                     cs[k].names);
        problem_col(I, t, 0, c, "column \"%s\" is unknown; expected one of %s%s", h, list,
                    t == PP_TABLE_PERIODS ? " or the name or id of a season (a column of times per season)" : "");
    }
    for (int k = 0; k < ncs; k++)
        if (cs[k].required && tb->col[k] < 0) {
            pp_diags_add(I->d, NULL, 0, "%s:%s:1: column %.*s is missing; expected it in the header row (see docs/SHEETS.md)",
                         sh->file, sh->name, first_len(cs[k].names), cs[k].names);
            I->problems++;
        }
}

/* ---------- pass 2: identities --------------------------------------------------- */

/* Collects ids and names of table t (id column spec idc, name column namec),
 * reporting bad and duplicate ids. */
static void collect_ids(imp *I, int t, int idc, int namec, const char *what)
{
    table *tb = &I->tab[t];
    idlist *L = &I->ids[t];
    if (!tb->sh || tb->col[idc] < 0)
        return;
    int n = tb->sh->nrows;
    L->id = calloc((size_t)n, sizeof *L->id);
    L->name = calloc((size_t)n, sizeof *L->name);
    L->row = calloc((size_t)n, sizeof *L->row);
    if (!L->id || !L->name || !L->row) {
        I->nomem = 1;
        return;
    }
    for (int r = 1; r < n; r++) {
        const char *id = cell(I, t, r, idc);
        if (!valid_id(id)) {
            problem(I, t, r, idc, "%s \"%s\" is not a usable id; expected letters, digits, - _ . (no spaces, at most 200)",
                    what, id);
            continue;
        }
        int dupl = -1;
        if (t != PP_TABLE_STUDENTS) /* students are checked through a sorted index below */
            for (int j = 0; j < L->n && dupl < 0; j++)
                if (!strcmp(L->id[j], id))
                    dupl = j;
        if (dupl >= 0) {
            problem(I, t, r, idc, "%s id \"%s\" is used again (first in row %ld); expected a unique id", what, id,
                    tb->sh->rows[L->row[dupl]].num);
            continue;
        }
        const char *nm = namec >= 0 ? cell(I, t, r, namec) : "";
        L->id[L->n] = dup(I, id);
        L->name[L->n] = dup(I, *nm ? nm : id);
        L->row[L->n++] = r;
    }
}

/* Duplicate student ids in O(n log n): thousands of rows. */
static void check_student_dups(imp *I)
{
    idlist *L = &I->ids[PP_TABLE_STUDENTS];
    if (L->n < 2)
        return;
    int *ix = malloc((size_t)L->n * sizeof *ix);
    if (!ix) {
        I->nomem = 1;
        return;
    }
    /* indices sorted by id, stable, so the first of equal ids is the first row */
    for (int i = 0; i < L->n; i++)
        ix[i] = i;
    int *tmp = malloc((size_t)L->n * sizeof *tmp);
    if (!tmp)
        I->nomem = 1;
    for (int w = 1; tmp && w < L->n; w *= 2) { /* bottom-up merge sort, stable */
        for (int lo = 0; lo < L->n; lo += 2 * w) {
            int mid = lo + w < L->n ? lo + w : L->n, hi = lo + 2 * w < L->n ? lo + 2 * w : L->n;
            int a = lo, b = mid, k = lo;
            while (a < mid && b < hi)
                tmp[k++] = strcmp(L->id[ix[b]], L->id[ix[a]]) < 0 ? ix[b++] : ix[a++];
            while (a < mid)
                tmp[k++] = ix[a++];
            while (b < hi)
                tmp[k++] = ix[b++];
        }
        memcpy(ix, tmp, (size_t)L->n * sizeof *ix);
    }
    free(tmp);
    /* report in row order: mark duplicates, then walk rows */
    char *dupof = calloc((size_t)L->n, 1);
    int *first = malloc((size_t)L->n * sizeof *first);
    if (dupof && first && !I->nomem) {
        for (int i = 1, start = 0; i < L->n; i++) {
            if (strcmp(L->id[ix[i]], L->id[ix[start]]) != 0)
                start = i; /* a new id: its run of equal ids starts here */
            else {
                dupof[ix[i]] = 1;
                first[ix[i]] = ix[start];
            }
        }
        for (int i = 0; i < L->n; i++)
            if (dupof[i])
                problem(I, PP_TABLE_STUDENTS, L->row[i], SU_ID,
                        "student id \"%s\" is used again (first in row %ld); expected a unique 学号", L->id[i],
                        I->tab[PP_TABLE_STUDENTS].sh->rows[L->row[first[i]]].num);
    } else
        I->nomem = 1;
    free(dupof);
    free(first);
    free(ix);
}

/* Periods are bits of a 32-bit mask and seasons index fixed arrays: entities
 * beyond the limit are reported and dropped, so no mask is ever shifted past 31. */
static void limit_ids(imp *I, int t, int max, const char *what)
{
    idlist *L = &I->ids[t];
    if (L->n <= max)
        return;
    problem(I, t, L->row[max], -1, "a %s beyond the %dth; expected at most %d %ss", what, max, max, what);
    for (int i = max; i < L->n; i++) {
        free(L->id[i]);
        free(L->name[i]);
    }
    L->n = max;
}

/* Finds the entity of table t that token names (id first, then a unique name).
 * Returns its index, -1 when unknown, -2 when the name is ambiguous (the
 * candidates are written to amb). */
static int lookup(const imp *I, int t, const char *tok, char *amb, size_t size)
{
    const idlist *L = &I->ids[t];
    for (int i = 0; i < L->n; i++)
        if (!strcmp(L->id[i], tok))
            return i;
    int found = -1, count = 0;
    if (amb && size)
        amb[0] = '\0';
    for (int i = 0; i < L->n; i++)
        if (!strcmp(L->name[i], tok)) {
            if (count++ == 0)
                found = i;
            if (amb)
                snprintf(amb + strlen(amb), size - strlen(amb), "%s%s", count > 1 ? ", " : "", L->id[i]);
        }
    return count > 1 ? -2 : found;
}

/* An example of what a column expects, for messages: the first entity. */
static const char *example(const imp *I, int t)
{
    return I->ids[t].n > 0 ? I->ids[t].name[0] : "";
}

/* Looks a reference up and reports unknown or ambiguous ones; -1 when bad. */
static int resolve(imp *I, int t, int r, int rawcol, int target, const char *tok, const char *what)
{
    char amb[512];
    int i = lookup(I, target, tok, amb, sizeof amb);
    if (i == -2)
        problem_col(I, t, r, rawcol, "%s \"%s\" is ambiguous: several have that name (%s); expected the id of one", what,
                    tok, amb);
    else if (i < 0)
        problem_col(I, t, r, rawcol, "%s \"%s\" does not exist; expected the id or name of one in the %s table (e.g. %s)",
                    what, tok, table_zh[target], example(I, target));
    return i < 0 ? -1 : i;
}

/* ---------- cell formats ------------------------------------------------------------ */

/* Days of one token: "周一", "Mon", or a range "周一至周五", "Mon-Fri"; 0 when
 * it is none of these. */
static unsigned day_token(const char *tok)
{
    static const char *const range[] = { "至", "-", "~", "～", "—", "–", "－", "到", NULL };
    int d = pp_day_parse(tok);
    if (d >= 0)
        return 1u << d;
    for (int k = 0; range[k]; k++) {
        const char *m = strstr(tok, range[k]);
        char a[128];
        size_t la = m ? (size_t)(m - tok) : 0;
        if (!m || la >= sizeof a)
            continue;
        memcpy(a, tok, la);
        a[la] = '\0';
        int d1 = pp_day_parse(a), d2 = pp_day_parse(m + strlen(range[k]));
        if (d1 >= 0 && d2 >= d1) {
            unsigned mask = 0;
            for (int e = d1; e <= d2; e++)
                mask |= 1u << e;
            return mask;
        }
    }
    return 0;
}

/* Days "周一、周三", "Mon Wed", "周一至周五", "Mon-Fri"; returns the mask, 0 with a
 * problem reported when a token is not a day. */
static unsigned parse_days(imp *I, int t, int r, int rawcol, const char *v)
{
    unsigned mask = 0;
    char tok[256];
    const char *p = v;
    while (next_tok(&p, SEP_LIST, tok, sizeof tok)) {
        unsigned m = day_token(tok);
        mask |= m;
        if (!m) {
            problem_col(I, t, r, rawcol, "day \"%s\" is unknown; expected 周一..周日 (or Mon..Sun), e.g. 周一、周三 or 周一至周五",
                        tok);
            return 0;
        }
    }
    return mask;
}

static const char *const zh_num[] = { "", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二" };

/* A grade level from "3", "三", "三年级", "初一"... or a grade's name; 0 unknown. */
static int grade_of(const imp *I, const char *tok)
{
    long k;
    if (parse_int(tok, &k) == 0)
        return k >= 1 && k <= PP_MAX_GRADE ? (int)k : 0;
    for (int g = 1; g <= PP_MAX_GRADE; g++)
        if (I->grade_name[g][0] && !strcmp(I->grade_name[g], tok))
            return g;
    char b[64];
    for (int g = 1; g <= PP_MAX_GRADE; g++) {
        snprintf(b, sizeof b, "%s年级", zh_num[g]);
        if (!strcmp(tok, zh_num[g]) || !strcmp(tok, b))
            return g;
    }
    return 0;
}

/* Grades "1 2 3", "1-4", "一年级、二年级"; "" = all (attribute left out). Writes
 * the XML list into out; -1 with a problem reported. */
static int parse_grades(imp *I, int t, int r, int rawcol, const char *v, char *out, size_t size)
{
    static const char *const range[] = { "至", "-", "~", "～", "—", "–", "－", "到", NULL };
    uint32_t mask = 0;
    char tok[256];
    const char *p = v;
    while (next_tok(&p, SEP_LIST, tok, sizeof tok)) {
        int g = grade_of(I, tok);
        if (g) {
            mask |= 1u << g;
            continue;
        }
        int ok = 0;
        for (int k = 0; range[k] && !ok; k++) {
            char *m = strstr(tok, range[k]);
            if (!m || m == tok)
                continue;
            char a[128];
            size_t la = (size_t)(m - tok);
            if (la >= sizeof a)
                continue;
            memcpy(a, tok, la);
            a[la] = '\0';
            int g1 = grade_of(I, a), g2 = grade_of(I, m + strlen(range[k]));
            if (g1 && g2 >= g1) {
                for (int e = g1; e <= g2; e++)
                    mask |= 1u << e;
                ok = 1;
            }
        }
        if (!ok) {
            problem_col(I, t, r, rawcol, "grade \"%s\" is unknown; expected grade levels 1..12 or grade names, e.g. 1-3 or "
                        "一年级、二年级", tok);
            return -1;
        }
    }
    out[0] = '\0';
    for (int g = 1; g <= PP_MAX_GRADE; g++)
        if (mask & (1u << g))
            snprintf(out + strlen(out), size - strlen(out), "%s%d", out[0] ? " " : "", g);
    return 0;
}

/* A time of day: "17:30", "17：30", "7:05", "17:30:00", or a spreadsheet time
 * (fraction of a day, 0.7291666...).  Minutes, or -1. */
static int parse_time(const char *s)
{
    char b[32];
    size_t n = strlen(s);
    if (n >= sizeof b)
        return -1;
    memcpy(b, s, n + 1);
    if (n > 3 && !strcmp(b + n - 3, ":00") && strchr(b, ':') != b + n - 3) /* 17:30:00 */
        b[n - 3] = '\0';
    int m = pp_parse_hhmm(b);
    if (m >= 0)
        return m;
    if (b[0] == '0' && b[1] == '.' && is_decimal(b)) {
        double f = strtod(b, NULL);
        long mm = (long)(f * 1440 + 0.5);
        return mm >= 0 && mm <= 1440 ? (int)mm : -1;
    }
    return -1;
}

/* A date "2026-09-01", "2026/9/1" or an Excel serial number (days since
 * 1899-12-30); writes YYYY-MM-DD into out.  -1 when not a date. */
static int parse_date(const char *s, char out[16])
{
    long serial;
    if (parse_int(s, &serial) == 0) {
        if (serial < 25569 || serial > 401768) /* 1970-01-01 .. 2999-12-31 */
            return -1;
        pp_xml_format_date((int)(serial - 25569), out); /* Excel counts days from 1899-12-30 */
        return 0;
    }
    int y, m, d;
    char sep1, sep2, tail;
    if (sscanf(s, "%4d%c%2d%c%2d%c", &y, &sep1, &m, &sep2, &d, &tail) != 5 || sep1 != sep2 || (sep1 != '-' && sep1 != '/' && sep1 != '.'))
        return -1;
    snprintf(out, 16, "%04d-%02d-%02d", y % 10000, m % 100, d % 100);
    return pp_parse_date(out) < 0 ? -1 : 0;
}

/* Period references of a cell: ids or names.  Returns the mask, or sets *bad. */
static uint32_t periods_mask_tok(imp *I, int t, int r, int rawcol, const char *tok, int *bad)
{
    int p = resolve(I, t, r, rawcol, PP_TABLE_PERIODS, tok, "period");
    if (p < 0) {
        *bad = 1;
        return 0;
    }
    return 1u << p;
}

/* Slot expression: entries separated by ; or line breaks, each a mix of days and
 * periods ("周三、周五 课后服务").  Writes one <elem> per entry; an entry without
 * periods is an error for slots (need_periods), "every period" for unavailability. */
static void emit_slots(imp *I, int t, int r, int spec, const char *v, const char *elem, int need_periods)
{
    int rawcol = I->tab[t].col[spec];
    const char *p = v;
    char entry[4096];
    while (next_tok(&p, SEP_ENTRY, entry, sizeof entry)) {
        unsigned days = 0;
        uint32_t pm = 0;
        int bad = 0;
        char tok[512];
        const char *q = entry;
        char ids[2048] = "";
        while (next_tok(&q, SEP_SLOT, tok, sizeof tok)) {
            unsigned dm = lookup(I, PP_TABLE_PERIODS, tok, NULL, 0) < 0 ? day_token(tok) : 0;
            if (dm) {
                days |= dm;
                continue;
            }
            char amb[512];
            int pi = lookup(I, PP_TABLE_PERIODS, tok, amb, sizeof amb);
            if (pi < 0) {
                if (pi == -2)
                    problem_col(I, t, r, rawcol, "period \"%s\" is ambiguous: several have that name (%s); expected the "
                                "id of one", tok, amb);
                else
                    problem_col(I, t, r, rawcol, "\"%s\" is neither a day nor a period; expected days (周一..周日, "
                                "周一至周五) and periods (id or name in the %s table, e.g. %s), e.g. 周三、周五 %s",
                                tok, table_zh[PP_TABLE_PERIODS], example(I, PP_TABLE_PERIODS), example(I, PP_TABLE_PERIODS));
                bad = 1;
                continue;
            }
            uint32_t m = 1u << pi;
            if (m && !(pm & m)) {
                pm |= m;
                int k = 0;
                while (!(m & (1u << k)))
                    k++;
                snprintf(ids + strlen(ids), sizeof ids - strlen(ids), "%s%s", ids[0] ? " " : "",
                         I->ids[PP_TABLE_PERIODS].id[k]);
            }
        }
        if (bad)
            continue;
        if (!pm && need_periods) {
            problem(I, t, r, spec, "\"%s\" names no period; expected days and periods, e.g. 周三、周五 %s", entry,
                    example(I, PP_TABLE_PERIODS));
            continue;
        }
        ob_printf(&I->o, "      <%s", elem);
        if (days) {
            ob_days(&I->o, days);
        }
        if (pm)
            ob_attr(&I->o, "periods", ids);
        ob_puts(&I->o, "/>\n");
    }
}

/* Integer cell into attribute name; empty = left out. */
static void emit_int(imp *I, int t, int r, int spec, const char *name, long lo, long hi)
{
    const char *v = cell(I, t, r, spec);
    long k;
    if (!*v)
        return;
    if (parse_int(v, &k) || k < lo || k > hi) {
        problem(I, t, r, spec, "\"%s\" is not a whole number from %ld to %ld; expected e.g. %ld", v, lo, hi, lo > 15 ? lo : 15);
        return;
    }
    ob_printf(&I->o, " %s=\"%ld\"", name, k);
}

static void emit_amount(imp *I, int t, int r, int spec, const char *name)
{
    const char *v = cell(I, t, r, spec);
    if (!*v)
        return;
    if (!is_decimal(v) || v[0] == '-') {
        problem(I, t, r, spec, "\"%s\" is not an amount; expected a number without unit, e.g. 20 or 12.5", v);
        return;
    }
    ob_attr(&I->o, name, v);
}

static void emit_text(imp *I, int t, int r, int spec, const char *name)
{
    const char *v = cell(I, t, r, spec);
    if (*v)
        ob_attr(&I->o, name, v);
}

/* A one-word value (venue type, speciality): no spaces. */
static int check_word(imp *I, int t, int r, int spec, const char *v)
{
    for (const char *s = v; *s; s++)
        if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') {
            problem(I, t, r, spec, "\"%s\" contains a space; expected one word, e.g. field or 足球", v);
            return -1;
        }
    return 0;
}

static void emit_enum(imp *I, int t, int r, int spec, const char *name, const char *const *names, int n,
                      const char *(*en)(int))
{
    const char *v = cell(I, t, r, spec);
    if (!*v)
        return;
    int k = enum_of(v, names, n);
    if (k < 0) {
        char list[512] = "";
        for (int i = 0; i < n; i++)
            snprintf(list + strlen(list), sizeof list - strlen(list), "%s%.*s", i ? ", " : "", first_len(names[i]), names[i]);
        problem(I, t, r, spec, "\"%s\" is not a known value; expected one of %s", v, list);
        return;
    }
    ob_attr(&I->o, name, en(k));
}

static const char *period_kind_en(int k) { return pp_period_kind_name((pp_period_kind)k); }
static const char *activity_kind_en(int k) { return pp_activity_kind_name((pp_activity_kind)k); }
static const char *tier_en(int k) { return pp_tier_name((pp_tier)k); }
static const char *staff_type_en(int k) { return pp_staff_type_name((pp_staff_type)k); }

static void origin(imp *I, int t, int r)
{
    I->o.origin_t = t;
    I->o.origin_r = r;
}

/* ---------- pass 3: sections ------------------------------------------------------- */

static void emit_school(imp *I)
{
    int t = PP_TABLE_SCHOOL;
    pp_sheet *sh = I->tab[t].sh;
    origin(I, t, 1);
    I->day_mask = 0x1f;
    if (sh->nrows < 2) {
        pp_diags_add(I->d, NULL, 0, "%s:%s:2: the school row is missing; expected one row with 学校代码, 学校名称, 服务日",
                     sh->file, sh->name);
        I->problems++;
        return;
    }
    if (sh->nrows > 2)
        problem(I, t, 2, -1, "a second school row; expected exactly one row below the header");
    const char *id = cell(I, t, 1, SC_ID);
    if (!valid_id(id))
        problem(I, t, 1, SC_ID, "school id \"%s\" is not a usable id; expected letters, digits, - _ . (no spaces)", id);
    ob_puts(&I->o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<school xmlns=\"urn:paipian:school:1\"");
    ob_attr(&I->o, "id", id);
    emit_text(I, t, 1, SC_NAME, "name");
    const char *days = cell(I, t, 1, SC_DAYS);
    if (*days) {
        unsigned m = parse_days(I, t, 1, I->tab[t].col[SC_DAYS], days);
        if (m) {
            I->day_mask = m;
            ob_days(&I->o, m);
        }
    }
    ob_puts(&I->o, ">\n");
}

/* Policy keys: XML attribute (of <policy>, or "kind.x" for a child), Chinese label. */
typedef struct {
    const char *key, *zh;
    int integer;
} policy_key;

static const policy_key policy_keys[] = {
    { "group-max", "临时班最多人数", 1 },
    { "class-merge-threshold", "整班不并班人数", 1 },
    { "qa-min", "答疑分班最少人数", 1 },
    { "course-min", "开班最少人数", 1 },
    { "site-min", "托管点最少人数", 1 },
    { "duty-leaders-per-day", "每日值日领导人数", 1 },
    { "max-activities-per-student", "每生每周社团课程数", 1 },
    { "adjacent-grade-merge", "相邻年级可并班", 2 },
    { "fee-per-session", "每次课收费", 0 },
    { "workload-weight.care", "工作量系数.托管", 0 },
    { "workload-weight.homework", "工作量系数.作业辅导", 0 },
    { "workload-weight.reading", "工作量系数.阅读", 0 },
    { "workload-weight.club", "工作量系数.社团", 0 },
    { "workload-weight.course", "工作量系数.课程", 0 },
    { "subsidy.teacher", "课时补贴.在职教师", 0 },
    { "subsidy.retired", "课时补贴.退休教师", 0 },
    { "subsidy.external", "课时补贴.校外专业人员", 0 },
    { "subsidy.volunteer", "课时补贴.志愿者", 0 },
    { "objective.unserved", "目标权重.未安排", 0 },
    { "objective.unserved-priority", "目标权重.重点保障未安排", 0 },
    { "objective.rank", "目标权重.志愿名次", 3 },
    { "objective.no-choice", "目标权重.未得志愿", 0 },
    { "objective.group", "目标权重.每组", 0 },
    { "objective.cross-grade", "目标权重.跨年级", 0 },
    { "objective.external-hour", "目标权重.校外人员每小时", 0 },
    { "objective.max-load", "目标权重.最大工作量", 0 },
    { "objective.priority-choice-factor", "目标权重.重点保障志愿倍数", 0 },
    { "objective.moved", "目标权重.调动学生", 0 },
    { "objective.group-changed", "目标权重.变更组", 0 },
    { "objective.staff-changed", "目标权重.变更人员", 0 },
};
#define NPOLICY ((int)(sizeof policy_keys / sizeof policy_keys[0]))

static void emit_policy(imp *I)
{
    int t = PP_TABLE_POLICY;
    pp_sheet *sh = I->tab[t].sh;
    if (!sh)
        return;
    const char *val[NPOLICY] = { 0 };
    int row[NPOLICY];
    for (int r = 1; r < sh->nrows; r++) {
        const char *k = cell(I, t, r, PO_KEY), *v = cell(I, t, r, PO_VALUE);
        int i = 0;
        while (i < NPOLICY && strcasecmp(k, policy_keys[i].key) && strcmp(k, policy_keys[i].zh))
            i++;
        if (i == NPOLICY) {
            problem(I, t, r, PO_KEY, "\"%s\" is not a known rule; expected one of the 项目 of docs/SHEETS.md, e.g. %s", k,
                    policy_keys[0].zh);
            continue;
        }
        if (val[i]) {
            problem(I, t, r, PO_KEY, "\"%s\" is given twice (also row %ld); expected each rule once", k,
                    sh->rows[row[i]].num);
            continue;
        }
        if (!*v)
            continue;
        long n;
        int b, ok = 1;
        if (policy_keys[i].integer == 1)
            ok = parse_int(v, &n) == 0 && n >= 0 && n <= 100000;
        else if (policy_keys[i].integer == 2)
            ok = parse_bool(v, &b) == 0;
        else if (policy_keys[i].integer == 3) {
            char tok[64];
            const char *p = v;
            while (ok && next_tok(&p, SEP_LIST, tok, sizeof tok))
                ok = is_decimal(tok);
        } else
            ok = is_decimal(v) && v[0] != '-';
        if (!ok) {
            problem(I, t, r, PO_VALUE, "\"%s\" is not a valid value of %s; expected %s", v, policy_keys[i].zh,
                    policy_keys[i].integer == 1 ? "a whole number" : policy_keys[i].integer == 2 ? "是 or 否"
                    : policy_keys[i].integer == 3 ? "numbers, one per choice rank, e.g. 0 3 6" : "a number, e.g. 1.5");
            continue;
        }
        val[i] = v;
        row[i] = r;
    }
    origin(I, t, 1);
    ob_puts(&I->o, "  <policy");
    for (int i = 0; i < NPOLICY; i++)
        if (val[i] && !strchr(policy_keys[i].key, '.')) {
            int b = 0;
            if (policy_keys[i].integer == 2) {
                parse_bool(val[i], &b);
                ob_attr(&I->o, policy_keys[i].key, b ? "true" : "false");
            } else {
                long n;
                if (policy_keys[i].integer == 1 && parse_int(val[i], &n) == 0)
                    ob_printf(&I->o, " %s=\"%ld\"", policy_keys[i].key, n);
                else
                    ob_attr(&I->o, policy_keys[i].key, val[i]);
            }
        }
    ob_puts(&I->o, ">\n");
    for (int i = 0; i < NPOLICY; i++) {
        const char *k = policy_keys[i].key;
        if (!val[i] || strncmp(k, "workload-weight.", 16))
            continue;
        origin(I, t, row[i]);
        ob_puts(&I->o, "    <workload-weight");
        ob_attr(&I->o, "kind", k + 16);
        ob_attr(&I->o, "value", val[i]);
        ob_puts(&I->o, "/>\n");
    }
    for (int i = 0; i < NPOLICY; i++) {
        const char *k = policy_keys[i].key;
        if (!val[i] || strncmp(k, "subsidy.", 8))
            continue;
        origin(I, t, row[i]);
        ob_puts(&I->o, "    <subsidy");
        ob_attr(&I->o, "staff-type", k + 8);
        ob_attr(&I->o, "per-hour", val[i]);
        ob_puts(&I->o, "/>\n");
    }
    int any = 0;
    for (int i = 0; i < NPOLICY; i++)
        any |= val[i] && !strncmp(policy_keys[i].key, "objective.", 10);
    if (any) {
        origin(I, t, 1);
        ob_puts(&I->o, "    <objective");
        for (int i = 0; i < NPOLICY; i++)
            if (val[i] && !strncmp(policy_keys[i].key, "objective.", 10)) {
                char tok[64], list[512] = "";
                const char *p = val[i];
                while (next_tok(&p, SEP_LIST, tok, sizeof tok)) /* rank: "0、3、6" -> "0 3 6" */
                    snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", list[0] ? " " : "", tok);
                ob_attr(&I->o, policy_keys[i].key + 10, list);
            }
        ob_puts(&I->o, "/>\n");
    }
    origin(I, t, 1);
    ob_puts(&I->o, "  </policy>\n");
}

static void emit_seasons(imp *I)
{
    int t = PP_TABLE_SEASONS;
    const idlist *L = &I->ids[t];
    origin(I, t, 0);
    ob_puts(&I->o, "  <seasons>\n");
    for (int i = 0; i < L->n; i++) {
        int r = L->row[i];
        origin(I, t, r);
        ob_puts(&I->o, "    <season");
        ob_attr(&I->o, "id", L->id[i]);
        emit_text(I, t, r, SE_NAME, "name");
        static const int cols[2] = { SE_START, SE_END };
        for (int k = 0; k < 2; k++) {
            char date[16];
            const char *v = cell(I, t, r, cols[k]);
            if (parse_date(v, date))
                problem(I, t, r, cols[k], "\"%s\" is not a date; expected YYYY-MM-DD (e.g. 2026-09-01) or a spreadsheet "
                        "date from 1970 to 2999", v);
            else
                ob_attr(&I->o, k ? "end" : "start", date);
        }
        emit_int(I, t, r, SE_WEEKS, "weeks", 0, 60);
        ob_puts(&I->o, "/>\n");
    }
    ob_puts(&I->o, "  </seasons>\n");
}

static void emit_periods(imp *I)
{
    int t = PP_TABLE_PERIODS;
    const idlist *L = &I->ids[t];
    origin(I, t, 0);
    ob_puts(&I->o, "  <periods>\n");
    int nseason = I->ids[PP_TABLE_SEASONS].n < PP_MAX_SEASONS ? I->ids[PP_TABLE_SEASONS].n : PP_MAX_SEASONS;
    for (int k = 0; k < nseason; k++)
        if (I->season_col[k] < 0 && I->tab[t].sh) {
            pp_diags_add(I->d, NULL, 0, "%s:%s:1: no column for season %s (%s); expected a column headed by the season's "
                         "name with the period's times, e.g. 16:15-17:20 (empty: not in that season)",
                         I->tab[t].sh->file, I->tab[t].sh->name, I->ids[PP_TABLE_SEASONS].name[k],
                         I->ids[PP_TABLE_SEASONS].id[k]);
            I->problems++;
        }
    for (int i = 0; i < L->n; i++) {
        int r = L->row[i];
        origin(I, t, r);
        ob_puts(&I->o, "    <period");
        ob_attr(&I->o, "id", L->id[i]);
        emit_text(I, t, r, PE_NAME, "name");
        emit_enum(I, t, r, PE_KIND, "kind", period_kinds, 5, period_kind_en);
        const char *days = cell(I, t, r, PE_DAYS);
        if (*days) {
            unsigned m = parse_days(I, t, r, I->tab[t].col[PE_DAYS], days);
            if (m)
                ob_days(&I->o, m);
        }
        char gl[64];
        const char *grades = cell(I, t, r, PE_GRADES);
        if (*grades && parse_grades(I, t, r, I->tab[t].col[PE_GRADES], grades, gl, sizeof gl) == 0)
            ob_attr(&I->o, "grades", gl);
        const char *care = cell(I, t, r, PE_CARE);
        int a = *care ? resolve(I, t, r, I->tab[t].col[PE_CARE], PP_TABLE_ACTIVITIES, care, "activity") : -1;
        if (!*care)
            problem(I, t, r, PE_CARE, "the care activity is empty; expected the care, homework or reading activity "
                    "students are in when not at a club");
        ob_attr(&I->o, "care", a >= 0 ? I->ids[PP_TABLE_ACTIVITIES].id[a] : care);
        ob_puts(&I->o, ">\n");
        for (int k = 0; k < nseason; k++) {
            int c = I->season_col[k];
            const char *v = c >= 0 ? pp_sheet_cell(I->tab[t].sh, r, c) : "";
            if (!*v)
                continue;
            static const char *const seps[] = { "-", "~", "～", "—", "–", "－", "至", "到", NULL };
            const char *m = NULL;
            size_t sl = 0;
            for (int j = 0; seps[j] && !m; j++)
                if ((m = strstr(v, seps[j])) != NULL)
                    sl = strlen(seps[j]);
            char a1[64] = "", a2[64] = "";
            if (m && (size_t)(m - v) < sizeof a1 && strlen(m + sl) < sizeof a2) {
                memcpy(a1, v, (size_t)(m - v));
                a1[m - v] = '\0';
                snprintf(a2, sizeof a2, "%s", m + sl);
            }
            /* trim the halves: "16:15 - 17:20" */
            char *x1 = a1, *x2 = a2;
            while (*x1 == ' ')
                x1++;
            while (*x2 == ' ')
                x2++;
            for (char *e = x1 + strlen(x1); e > x1 && e[-1] == ' ';)
                *--e = '\0';
            int s1 = m ? parse_time(x1) : -1, s2 = m ? parse_time(x2) : -1;
            if (s1 < 0 || s2 < 0) {
                const char *bad = !m ? v : s1 < 0 ? x1 : x2;
                problem_col(I, t, r, c, "\"%s\" is not a time range%s%s%s; expected start-end times HH:MM from 0:00 to "
                            "24:00, e.g. 16:15-17:20 (17：30 with a full-width colon is fine)",
                            v, m ? ": \"" : "", m ? bad : "", m ? "\" is not a time of day" : "");
                continue;
            }
            char b1[8], b2[8];
            ob_puts(&I->o, "      <window");
            ob_attr(&I->o, "season", I->ids[PP_TABLE_SEASONS].id[k]);
            ob_attr(&I->o, "start", pp_format_hhmm(s1, b1));
            ob_attr(&I->o, "end", pp_format_hhmm(s2, b2));
            ob_puts(&I->o, "/>\n");
        }
        ob_puts(&I->o, "    </period>\n");
    }
    ob_puts(&I->o, "  </periods>\n");
}

/* Grades from the grades table, or (when it is left out) from the classes. */
static void collect_grades(imp *I)
{
    int t = PP_TABLE_GRADES;
    for (int g = 0; g <= PP_MAX_GRADE; g++) {
        I->grade_level[g] = -1;
        I->grade_name[g][0] = '\0';
    }
    pp_sheet *sh = I->tab[t].sh;
    if (!sh)
        return;
    for (int r = 1; r < sh->nrows; r++) {
        const char *v = cell(I, t, r, GR_LEVEL);
        int g = grade_of(I, v);
        if (!g) {
            problem(I, t, r, GR_LEVEL, "\"%s\" is not a grade level; expected 1..12 (or 一年级..十二年级)", v);
            continue;
        }
        if (I->grade_level[g] >= 0) {
            problem(I, t, r, GR_LEVEL, "grade %d is given twice (also row %ld); expected each grade once", g,
                    sh->rows[I->grade_level[g]].num);
            continue;
        }
        I->grade_level[g] = r;
        const char *nm = cell(I, t, r, GR_NAME);
        snprintf(I->grade_name[g], sizeof I->grade_name[g], "%s", *nm ? nm : v);
    }
}

static void emit_grades(imp *I)
{
    origin(I, PP_TABLE_GRADES, 0);
    ob_puts(&I->o, "  <grades>\n");
    uint32_t used = 0;
    if (!I->tab[PP_TABLE_GRADES].sh) { /* no grades table: the grades of the classes */
        int t = PP_TABLE_CLASSES;
        for (int i = 0; i < I->ids[t].n; i++) {
            int g = grade_of(I, cell(I, t, I->ids[t].row[i], CL_GRADE));
            used |= g ? 1u << g : 0;
        }
    }
    for (int g = 1; g <= PP_MAX_GRADE; g++) {
        if (I->grade_level[g] >= 0) {
            origin(I, PP_TABLE_GRADES, I->grade_level[g]);
            ob_printf(&I->o, "    <grade level=\"%d\"", g);
            ob_attr(&I->o, "name", I->grade_name[g]);
            ob_puts(&I->o, "/>\n");
        } else if (used & (1u << g)) {
            ob_printf(&I->o, "    <grade level=\"%d\" name=\"%s年级\"/>\n", g, zh_num[g]);
        }
    }
    ob_puts(&I->o, "  </grades>\n");
}

static void emit_venues(imp *I)
{
    int t = PP_TABLE_VENUES;
    const idlist *L = &I->ids[t];
    origin(I, t, 0);
    ob_puts(&I->o, "  <venues>\n");
    for (int i = 0; i < L->n; i++) {
        int r = L->row[i];
        origin(I, t, r);
        ob_puts(&I->o, "    <venue");
        ob_attr(&I->o, "id", L->id[i]);
        emit_text(I, t, r, VE_NAME, "name");
        const char *type = cell(I, t, r, VE_TYPE);
        if (!*type)
            problem(I, t, r, VE_TYPE, "the venue type is empty; expected one word, e.g. classroom, field, hall");
        else if (check_word(I, t, r, VE_TYPE, type) == 0)
            ob_attr(&I->o, "type", type);
        if (!*cell(I, t, r, VE_CAP))
            problem(I, t, r, VE_CAP, "the capacity is empty; expected the number of students the venue holds, e.g. 50");
        emit_int(I, t, r, VE_CAP, "capacity", 1, 100000);
        ob_puts(&I->o, ">\n");
        emit_slots(I, t, r, VE_UNAVAIL, cell(I, t, r, VE_UNAVAIL), "unavailable", 0);
        ob_puts(&I->o, "    </venue>\n");
    }
    ob_puts(&I->o, "  </venues>\n");
}

static void emit_classes(imp *I)
{
    int t = PP_TABLE_CLASSES;
    const idlist *L = &I->ids[t];
    origin(I, t, 0);
    ob_puts(&I->o, "  <classes>\n");
    for (int i = 0; i < L->n; i++) {
        int r = L->row[i];
        origin(I, t, r);
        ob_puts(&I->o, "    <class");
        ob_attr(&I->o, "id", L->id[i]);
        emit_text(I, t, r, CL_NAME, "name");
        const char *gv = cell(I, t, r, CL_GRADE);
        int g = grade_of(I, gv);
        if (!g)
            problem(I, t, r, CL_GRADE, "\"%s\" is not a grade; expected a grade level 1..12 or a grade's name", gv);
        else if (I->tab[PP_TABLE_GRADES].sh && I->grade_level[g] < 0)
            problem(I, t, r, CL_GRADE, "grade %d is not in the %s table; expected one of its grades", g, table_zh[PP_TABLE_GRADES]);
        else
            ob_printf(&I->o, " grade=\"%d\"", g);
        const char *room = cell(I, t, r, CL_ROOM);
        if (*room) {
            int v = resolve(I, t, r, I->tab[t].col[CL_ROOM], PP_TABLE_VENUES, room, "venue");
            if (v >= 0)
                ob_attr(&I->o, "room", I->ids[PP_TABLE_VENUES].id[v]);
        }
        ob_puts(&I->o, "/>\n");
    }
    ob_puts(&I->o, "  </classes>\n");
}

static void emit_activities(imp *I)
{
    int t = PP_TABLE_ACTIVITIES;
    const idlist *L = &I->ids[t];
    origin(I, t, 0);
    ob_puts(&I->o, "  <activities>\n");
    for (int i = 0; i < L->n; i++) {
        int r = L->row[i];
        origin(I, t, r);
        ob_puts(&I->o, "    <activity");
        ob_attr(&I->o, "id", L->id[i]);
        emit_text(I, t, r, AC_NAME, "name");
        if (!*cell(I, t, r, AC_KIND))
            problem(I, t, r, AC_KIND, "the kind is empty; expected 托管, 作业辅导, 阅读, 社团 or 课程");
        emit_enum(I, t, r, AC_KIND, "kind", activity_kinds, PP_ACT_KINDS, activity_kind_en);
        emit_text(I, t, r, AC_CAT, "category");
        emit_enum(I, t, r, AC_TIER, "tier", tiers, 3, tier_en);
        emit_int(I, t, r, AC_SESSIONS, "sessions", 1, 50);
        char gl[64];
        const char *grades = cell(I, t, r, AC_GRADES);
        if (*grades && parse_grades(I, t, r, I->tab[t].col[AC_GRADES], grades, gl, sizeof gl) == 0)
            ob_attr(&I->o, "grades", gl);
        emit_int(I, t, r, AC_MIN, "min", 0, 100000);
        emit_int(I, t, r, AC_MAX, "max", 1, 100000);
        emit_int(I, t, r, AC_MERGE, "merge-threshold", 0, 100000);
        const char *vt = cell(I, t, r, AC_VTYPE), *sp = cell(I, t, r, AC_SPEC);
        if (*vt && check_word(I, t, r, AC_VTYPE, vt) == 0)
            ob_attr(&I->o, "venue-type", vt);
        if (*sp && check_word(I, t, r, AC_SPEC, sp) == 0)
            ob_attr(&I->o, "speciality", sp);
        emit_int(I, t, r, AC_SPG, "staff-per-group", 1, 10);
        emit_amount(I, t, r, AC_FEE, "fee");
        emit_text(I, t, r, AC_PROVIDER, "provider");
        ob_puts(&I->o, ">\n");
        emit_slots(I, t, r, AC_SLOTS, cell(I, t, r, AC_SLOTS), "slot", 1);
        ob_puts(&I->o, "    </activity>\n");
    }
    ob_puts(&I->o, "  </activities>\n");
}

static void emit_staff(imp *I)
{
    int t = PP_TABLE_STAFF;
    const idlist *L = &I->ids[t];
    origin(I, t, 0);
    ob_puts(&I->o, "  <staff>\n");
    for (int i = 0; i < L->n; i++) {
        int r = L->row[i];
        origin(I, t, r);
        ob_puts(&I->o, "    <member");
        ob_attr(&I->o, "id", L->id[i]);
        emit_text(I, t, r, ST_NAME, "name");
        emit_enum(I, t, r, ST_TYPE, "type", staff_types, PP_STAFF_TYPES, staff_type_en);
        char tok[256], list[2048] = "";
        const char *p = cell(I, t, r, ST_SPECS);
        while (next_tok(&p, SEP_LIST, tok, sizeof tok))
            snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", list[0] ? " " : "", tok);
        if (list[0])
            ob_attr(&I->o, "specialities", list);
        emit_int(I, t, r, ST_MAXSES, "max-sessions", 0, 1000);
        emit_int(I, t, r, ST_MAXMIN, "max-minutes", 0, 100000);
        const char *duty = cell(I, t, r, ST_DUTY);
        int b;
        if (*duty && parse_bool(duty, &b))
            problem(I, t, r, ST_DUTY, "\"%s\" is not yes or no; expected 是 or 否 (empty: 否)", duty);
        else if (*duty)
            ob_attr(&I->o, "duty-leader", b ? "true" : "false");
        emit_amount(I, t, r, ST_RATE, "rate");
        ob_puts(&I->o, ">\n");
        emit_slots(I, t, r, ST_UNAVAIL, cell(I, t, r, ST_UNAVAIL), "unavailable", 0);
        ob_puts(&I->o, "    </member>\n");
    }
    ob_puts(&I->o, "  </staff>\n");
}

static void emit_students(imp *I)
{
    int t = PP_TABLE_STUDENTS;
    const idlist *L = &I->ids[t];
    origin(I, t, 0);
    ob_puts(&I->o, "  <students>\n");
    for (int d = 0; d < PP_DAYS; d++)
        if ((I->day_mask & (1u << d)) && I->day_col[d] < 0 && I->tab[t].sh) {
            pp_diags_add(I->d, NULL, 0, "%s:%s:1: no column %s; expected one column per service day with the periods the "
                         "student stays for", I->tab[t].sh->file, I->tab[t].sh->name, pp_day_name_zh(d));
            I->problems++;
        }
    for (int i = 0; i < L->n; i++) {
        int r = L->row[i];
        origin(I, t, r);
        ob_puts(&I->o, "    <student");
        ob_attr(&I->o, "id", L->id[i]);
        emit_text(I, t, r, SU_NAME, "name");
        const char *cls = cell(I, t, r, SU_CLASS);
        int c = -1;
        if (!*cls)
            problem(I, t, r, SU_CLASS, "the class is empty; expected the id or name of the student's class");
        else
            c = resolve(I, t, r, I->tab[t].col[SU_CLASS], PP_TABLE_CLASSES, cls, "class");
        ob_attr(&I->o, "class", c >= 0 ? I->ids[PP_TABLE_CLASSES].id[c] : "");
        char tok[512], list[4096] = "";
        const char *p = cell(I, t, r, SU_PRIO);
        while (next_tok(&p, SEP_LIST, tok, sizeof tok)) {
            int k = enum_of(tok, priorities, 4);
            if (k < 0)
                problem(I, t, r, SU_PRIO, "\"%s\" is not a priority group; expected 残疾, 留守, 随迁 or 低保, joined by 、", tok);
            else if (!strstr(list, prio_en[k]))
                snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", list[0] ? " " : "", prio_en[k]);
        }
        if (list[0])
            ob_attr(&I->o, "priority", list);
        list[0] = '\0';
        for (int k = 0; k < I->nchoice; k++) {
            int col = I->choice_col[k];
            const char *v = col >= 0 ? pp_sheet_cell(I->tab[t].sh, r, col) : "";
            if (!*v)
                continue;
            int a = resolve(I, t, r, col, PP_TABLE_ACTIVITIES, v, "activity");
            if (a >= 0)
                snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", list[0] ? " " : "",
                         I->ids[PP_TABLE_ACTIVITIES].id[a]);
        }
        if (list[0])
            ob_attr(&I->o, "choices", list);
        ob_puts(&I->o, ">\n");
        for (int d = 0; d < PP_DAYS; d++) {
            int col = I->day_col[d];
            const char *v = col >= 0 ? pp_sheet_cell(I->tab[t].sh, r, col) : "";
            if (!*v)
                continue;
            uint32_t pm = 0;
            int bad = 0;
            p = v;
            while (next_tok(&p, SEP_STAY, tok, sizeof tok)) {
                if (lookup(I, PP_TABLE_PERIODS, tok, NULL, 0) < 0 && strpbrk(tok, " \t")) {
                    char sub[512]; /* "noon after": ids separated by spaces */
                    const char *q = tok;
                    while (next_tok(&q, SEP_LIST, sub, sizeof sub))
                        pm |= periods_mask_tok(I, t, r, col, sub, &bad);
                } else
                    pm |= periods_mask_tok(I, t, r, col, tok, &bad);
            }
            if (bad || !pm)
                continue;
            ob_printf(&I->o, "      <stay days=\"%s\" periods=\"", pp_day_name(d));
            int first = 1;
            for (int k = 0; k < I->ids[PP_TABLE_PERIODS].n && k < 32; k++)
                if (pm & (1u << k)) {
                    ob_printf(&I->o, "%s", first ? "" : " ");
                    ob_write(&I->o, I->ids[PP_TABLE_PERIODS].id[k], strlen(I->ids[PP_TABLE_PERIODS].id[k]));
                    first = 0;
                }
            ob_puts(&I->o, "\"/>\n");
        }
        ob_puts(&I->o, "    </student>\n");
    }
    ob_puts(&I->o, "  </students>\n</school>\n");
}

/* ---------- loader problems back to sheets ------------------------------------------- */

#define DOC_NAME "(imported school)"

/* "(imported school):LINE: rest" -> "file:sheet:row: rest" */
static void map_loader_messages(imp *I, const pp_diags *ld, const char *src)
{
    size_t pl = strlen(DOC_NAME);
    for (int i = 0; i < pp_diags_count(ld); i++) {
        const char *m = pp_diags_get(ld, i);
        long line = 0;
        const char *rest = m;
        if (!strncmp(m, DOC_NAME ":", pl + 1)) {
            char *e;
            line = strtol(m + pl + 1, &e, 10);
            rest = *e == ':' ? e + 1 : m + pl + 1;
            while (*rest == ' ')
                rest++;
        }
        if (line >= 1 && line <= I->o.nlines && I->tab[I->o.line_t[line - 1]].sh) {
            int t = I->o.line_t[line - 1], r = I->o.line_r[line - 1];
            char pre[512];
            prefix(I, t, r, -1, pre, sizeof pre);
            pp_diags_add(I->d, NULL, 0, "%s %s", pre, rest);
        } else
            pp_diags_add(I->d, NULL, 0, "%s: %s", src, rest);
    }
}

pp_school *pp_import_sheets(pp_sheet *const tables[PP_TABLES], const char *src, pp_diags *d)
{
    imp *I = calloc(1, sizeof *I);
    if (!I) {
        pp_diags_add(d, src, 0, "out of memory");
        return NULL;
    }
    I->d = d;
    for (int k = 0; k < PP_MAX_SEASONS; k++)
        I->season_col[k] = -1;
    for (int k = 0; k < PP_DAYS; k++)
        I->day_col[k] = -1;
    for (int t = 0; t < PP_TABLES; t++) {
        I->tab[t].sh = tables[t];
        if (!tables[t] && t != PP_TABLE_POLICY && t != PP_TABLE_GRADES) {
            if (has_ext(src, ".xlsx"))
                pp_diags_add(d, NULL, 0, "%s: the workbook has no sheet %s (or %s); expected one sheet per table, named "
                             "学校 规则 时令 时段 年级 场地 班级 活动 教职工 学生 (规则 and 年级 may be left out); see "
                             "docs/SHEETS.md", src, table_zh[t], table_en[t]);
            else
                pp_diags_add(d, NULL, 0, "%s: table %s is missing; expected a file %s.csv (or %s.csv, or a workbook %s.xlsx) "
                             "or a sheet %s in a workbook of the folder; see docs/SHEETS.md", src, table_zh[t],
                             table_zh[t], table_en[t], table_zh[t], table_zh[t]);
            I->problems++;
        }
    }
    pp_school *s = NULL;
    if (I->problems)
        goto out;
    /* seasons first: their names head the periods table's columns */
    read_headers(I, PP_TABLE_SEASONS);
    collect_ids(I, PP_TABLE_SEASONS, SE_ID, SE_NAME, "season");
    for (int t = 0; t < PP_TABLES; t++)
        if (t != PP_TABLE_SEASONS)
            read_headers(I, t);
    if (I->problems)
        goto out;
    collect_grades(I);
    collect_ids(I, PP_TABLE_PERIODS, PE_ID, PE_NAME, "period");
    limit_ids(I, PP_TABLE_PERIODS, PP_MAX_PERIODS, "period");
    limit_ids(I, PP_TABLE_SEASONS, PP_MAX_SEASONS, "season");
    collect_ids(I, PP_TABLE_VENUES, VE_ID, VE_NAME, "venue");
    collect_ids(I, PP_TABLE_CLASSES, CL_ID, CL_NAME, "class");
    collect_ids(I, PP_TABLE_ACTIVITIES, AC_ID, AC_NAME, "activity");
    collect_ids(I, PP_TABLE_STAFF, ST_ID, ST_NAME, "staff");
    collect_ids(I, PP_TABLE_STUDENTS, SU_ID, SU_NAME, "student");
    check_student_dups(I);
    emit_school(I);
    emit_policy(I);
    emit_seasons(I);
    emit_periods(I);
    emit_grades(I);
    emit_venues(I);
    emit_classes(I);
    emit_activities(I);
    emit_staff(I);
    emit_students(I);
    if (I->nomem || I->o.nomem) {
        pp_diags_add(d, src, 0, "out of memory building the school");
        I->problems++;
    }
    if (I->problems)
        goto out;
    pp_diags *ld = pp_diags_new();
    if (!ld) {
        pp_diags_add(d, src, 0, "out of memory building the school");
        goto out;
    }
    s = pp_xml_load_school_memory(I->o.p, I->o.n, DOC_NAME, ld);
    if (!s)
        map_loader_messages(I, ld, src);
    else
    {
        char *so = pp_arena_strdup(s->arena, src);
        if (so)
            s->source = so;
    }
    pp_diags_free(ld);
out:
    for (int t = 0; t < PP_TABLES; t++) {
        for (int i = 0; i < I->ids[t].n; i++) {
            free(I->ids[t].id[i]);
            free(I->ids[t].name[i]);
        }
        free(I->ids[t].id);
        free(I->ids[t].name);
        free(I->ids[t].row);
    }
    free(I->o.p);
    free(I->o.line_t);
    free(I->o.line_r);
    free(I);
    return s;
}

int pp_import_npolicy(void)
{
    return NPOLICY;
}

const char *pp_import_policy_label(int k, const char **key)
{
    if (k < 0 || k >= NPOLICY) {
        *key = "";
        return "";
    }
    *key = policy_keys[k].key;
    return policy_keys[k].zh;
}

/* ---------- sources: folders and workbooks ------------------------------------------ */


/* Registers sheet sh as table t from origin, refusing a table given twice. */
static int put_table(pp_sheet *tables[PP_TABLES], char where[PP_TABLES][512], int t, pp_sheet *sh, const char *origin_,
                     pp_diags *d)
{
    if (tables[t]) {
        pp_diags_add(d, NULL, 0, "%s: table %s is given twice (also %s); expected one file or sheet per table", origin_,
                     table_zh[t], where[t]);
        pp_sheet_free(sh);
        return -1;
    }
    tables[t] = sh;
    snprintf(where[t], sizeof where[t], "%s", origin_);
    return 0;
}

/* The tables of one workbook.  A workbook named after table ft gives that table
 * only (its sheet of that name, else its first sheet), so that e.g. paipian's
 * own timetable.xlsx copied as 学生.xlsx contributes its 学生 sheet and not its
 * other sheets; any other workbook gives every sheet named after a table. */
static int read_workbook(const char *path, int ft, pp_sheet *tables[PP_TABLES], char where[PP_TABLES][512], pp_diags *d)
{
    pp_xlsx *x = pp_xlsx_open(path, d);
    if (!x)
        return -1;
    int rc = 0;
    for (int i = 0; ft < 0 && i < pp_xlsx_nsheets(x); i++) {
        int t = pp_import_table_of(pp_xlsx_sheet_name(x, i));
        if (t < 0)
            continue;
        pp_sheet *sh = pp_xlsx_read_sheet(x, i, d);
        char o[512];
        snprintf(o, sizeof o, "%s:%s", path, pp_xlsx_sheet_name(x, i));
        if (!sh || put_table(tables, where, t, sh, o, d))
            rc = -1;
    }
    if (ft >= 0 && pp_xlsx_nsheets(x) > 0) {
        int pick = 0;
        for (int i = 0; i < pp_xlsx_nsheets(x); i++)
            if (pp_import_table_of(pp_xlsx_sheet_name(x, i)) == ft) {
                pick = i;
                break;
            }
        pp_sheet *sh = pp_xlsx_read_sheet(x, pick, d);
        char o[512];
        snprintf(o, sizeof o, "%s:%s", path, pp_xlsx_sheet_name(x, pick));
        if (!sh || put_table(tables, where, ft, sh, o, d))
            rc = -1;
    }
    pp_xlsx_close(x);
    return rc;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int read_folder(const char *dir, const char *encoding, pp_sheet *tables[PP_TABLES], char where[PP_TABLES][512],
                       pp_diags *d)
{
    DIR *dp = opendir(dir);
    if (!dp) {
        pp_diags_add(d, dir, 0, "cannot open the folder (%s); expected a folder of sheets or an .xlsx workbook",
                     strerror(errno));
        return -1;
    }
    int n = 0, cap = 0, rc = 0;
    char **names = NULL;
    for (struct dirent *e; (e = readdir(dp)) != NULL;) {
        if (e->d_name[0] == '.' || (!has_ext(e->d_name, ".csv") && !has_ext(e->d_name, ".xlsx")))
            continue;
        if (n == cap) {
            char **nn = realloc(names, (size_t)(cap = cap ? 2 * cap : 32) * sizeof *nn);
            if (!nn) {
                rc = -1;
                break;
            }
            names = nn;
        }
        if (!(names[n] = strdup(e->d_name))) {
            rc = -1;
            break;
        }
        n++;
    }
    closedir(dp);
    if (rc)
        pp_diags_add(d, dir, 0, "out of memory listing the folder");
    qsort(names, (size_t)n, sizeof *names, cmp_str); /* directory order is not deterministic */
    for (int i = 0; i < n && rc == 0; i++) {
        char base[512], *path = pp_path_join(dir, names[i]);
        if (!path) {
            pp_diags_add(d, dir, 0, "out of memory listing the folder");
            rc = -1;
            break;
        }
        int csv = has_ext(names[i], ".csv");
        size_t bl = strlen(names[i]) - (csv ? 4 : 5);
        snprintf(base, sizeof base, "%.*s", (int)(bl < sizeof base ? bl : sizeof base - 1), names[i]);
        int t = pp_import_table_of(base);
        if (csv) {
            pp_sheet *sh = t < 0 ? NULL : pp_csv_read(path, base, encoding, d); /* a CSV of something else is not ours */
            if (t >= 0 && (!sh || put_table(tables, where, t, sh, path, d)))
                rc = rc ? rc : 1; /* keep reading the others: report all problems */
        } else if (read_workbook(path, t, tables, where, d))
            rc = rc ? rc : 1;
        free(path);
    }
    for (int i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return rc ? -1 : 0;
}

pp_school *pp_import_path(const char *src, const char *encoding, pp_diags *d)
{
    pp_sheet *tables[PP_TABLES] = { 0 };
    char(*w)[512] = calloc(PP_TABLES, sizeof *w); /* where each table came from, for messages */
    if (!w) {
        pp_diags_add(d, src, 0, "out of memory");
        return NULL;
    }
    struct stat sb;
    int rc;
    if (stat(src, &sb) != 0) {
        pp_diags_add(d, src, 0, "cannot open (%s); expected a folder of sheets or an .xlsx workbook", strerror(errno));
        rc = -1;
    } else if (S_ISDIR(sb.st_mode))
        rc = read_folder(src, encoding, tables, w, d);
    else if (has_ext(src, ".xlsx") || !has_ext(src, ".csv"))
        rc = read_workbook(src, -1, tables, w, d);
    else {
        pp_diags_add(d, src, 0, "a single CSV file holds one table; expected a folder with one CSV file per table, or an "
                     ".xlsx workbook with one sheet per table");
        rc = -1;
    }
    pp_school *s = rc == 0 ? pp_import_sheets(tables, src, d) : NULL;
    for (int t = 0; t < PP_TABLES; t++)
        pp_sheet_free(tables[t]);
    free(w);
    return s;
}

/* ---------- templates --------------------------------------------------------------- */

static void put_header(FILE *f, pp_table t)
{
    for (int c = 0; c < table_cols[t].n; c++) {
        if (c)
            fputc(',', f);
        fprintf(f, "%.*s", first_len(table_cols[t].cols[c].names), table_cols[t].cols[c].names);
    }
}

int pp_import_write_templates(const char *dir, pp_diags *d)
{
    char *datas[PP_TABLES] = { 0 };
    size_t lens[PP_TABLES] = { 0 };
    char names[PP_TABLES][64];
    const char *np[PP_TABLES];
    int rc = 0;
    for (int t = 0; t < PP_TABLES && rc == 0; t++) {
        snprintf(names[t], sizeof names[t], "%s.csv", table_zh[t]);
        np[t] = names[t];
        FILE *f = open_memstream(&datas[t], &lens[t]);
        if (!f) {
            rc = -1;
            break;
        }
        fputs("\xEF\xBB\xBF", f); /* BOM: Excel then opens the UTF-8 file correctly */
        put_header(f, (pp_table)t);
        if (t == PP_TABLE_PERIODS)
            fputs(",夏令时,冬令时", f);
        if (t == PP_TABLE_STUDENTS)
            fputs(",周一,周二,周三,周四,周五,志愿1,志愿2,志愿3", f);
        fputs("\r\n", f);
        if (t == PP_TABLE_POLICY)
            for (int k = 0; k < NPOLICY; k++)
                fprintf(f, "%s,,%s\r\n", policy_keys[k].zh, policy_keys[k].key);
        if (fclose(f) != 0)
            rc = -1;
    }
    if (rc)
        pp_diags_add(d, dir, 0, "out of memory writing the templates");
    else
        rc = pp_write_files_atomic(dir, PP_TABLES, np, datas, lens, d);
    for (int t = 0; t < PP_TABLES; t++)
        free(datas[t]);
    return rc;
}
