/* xlsx.c - timetable.xlsx with libxlsxwriter (see xlsx.h).
 *
 * The grid sheets are drawn from the index of io/grid.h, the same as the HTML
 * page, so the workbook and the page show the same cells.  Each sheet remembers the
 * widest text of every column (sheet_w) while its cells are written and sets the
 * column widths at the end; then each row's height from how many lines its wrapped
 * cells take at those widths (Excel does not grow rows for wrapped text by itself
 * when it opens a file), so the wrapped texts are kept until the sheet is done.
 *
 * libxlsxwriter keeps every cell until workbook_close, which writes the file; the
 * first error of any call is kept and reported. */
#include "xlsx.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xlsxwriter.h>

#include "changes.h"
#include "grid.h"
#include "report.h"

enum {
    MAX_COLS = 64,        /* the widest sheet: 4 + 7 days + choices + 7 days */
    GRID_DAY_WIDTH = 24,  /* a day column of a grid at most this wide; longer text wraps */
    TEXT_WIDTH_MAX = 60,  /* any other column at most this wide */
};
#define LINE_POINTS 15.0  /* row height per text line (11 pt text) */

/* ---- text --------------------------------------------------------------------- */

typedef struct {
    char *s;
    size_t n, cap;
    int oom;
} text;

static void tx_reset(text *t)
{
    t->n = 0;
    if (t->s)
        t->s[0] = 0;
}

static void tx_add(text *t, const char *a)
{
    size_t k = strlen(a);
    if (t->oom)
        return;
    if (t->n + k + 1 > t->cap) {
        size_t cap = (t->n + k + 1) * 2;
        char *s = realloc(t->s, cap);
        if (!s) {
            t->oom = 1;
            return;
        }
        t->s = s;
        t->cap = cap;
    }
    memcpy(t->s + t->n, a, k + 1);
    t->n += k;
}

static void tx_addf(text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void tx_addf(text *t, const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    tx_add(t, buf);
}

static const char *tx_str(const text *t)
{
    return t->s && !t->oom ? t->s : "";
}

/* Width units of one code point: East Asian wide and full-width ranges count 2. */
static int cp_width(unsigned cp)
{
    return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) || (cp >= 0xAC00 && cp <= 0xD7A3) ||
                   (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
                   (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD)
               ? 2
               : 1;
}

/* Calls back the width of each line of t (0 for an empty line). */
static void line_widths(const char *t, void (*fn)(void *ctx, int w), void *ctx)
{
    const unsigned char *u = (const unsigned char *)t;
    int w = 0;
    while (*u) {
        if (*u == '\n') {
            fn(ctx, w);
            w = 0;
            u++;
            continue;
        }
        unsigned cp = *u;
        int len = *u < 0x80 ? 1 : *u < 0xE0 ? 2 : *u < 0xF0 ? 3 : 4;
        if (len > 1)
            cp &= 0x3Fu >> (len - 1);
        for (int i = 1; i < len && (u[i] & 0xC0) == 0x80; i++)
            cp = cp << 6 | (u[i] & 0x3F);
        for (int i = 0; i < len && *u; i++)
            u++;
        w += cp_width(cp);
    }
    fn(ctx, w);
}

static void keep_max(void *ctx, int w)
{
    int *m = ctx;
    if (w > *m)
        *m = w;
}

int pp_xlsx_text_width(const char *t)
{
    int m = 0;
    line_widths(t, keep_max, &m);
    return m;
}

typedef struct {
    double width;
    int lines;
} wrap_count;

static void count_wrapped(void *ctx, int w)
{
    wrap_count *c = ctx;
    int per = (int)c->width > 1 ? (int)c->width - 1 : 1; /* the cell's padding */
    c->lines += w <= per ? 1 : (w + per - 1) / per;
}

/* Lines t takes in a wrapped cell of this column width. */
static int wrapped_lines(const char *t, double width)
{
    wrap_count c = { width, 0 };
    line_widths(t, count_wrapped, &c);
    return c.lines;
}

/* ---- the workbook and its sheets ------------------------------------------------ */

typedef struct {
    lxw_workbook *wb;
    const pp_school *s;
    const pp_plan *p;
    pp_grid grid;
    pp_workload *w;
    lxw_format *head, *cell, *wrap, *off, *owner, *num, *num2, *bold, *bold_num, *bold_num2;
    lxw_error err;        /* the first libxlsxwriter error */
    text tx;              /* scratch text of the cell being built */
    int days[PP_DAYS], ndays; /* the school's service days */
} book;

typedef struct {
    int row, col;
    char *text;
} wrapped;

typedef struct {
    book *b;
    lxw_worksheet *ws;
    wrapped *wr;          /* the wrapped cells, in the order written (rows ascending) */
    int nwr, capwr;
    int ncols;
    int width[MAX_COLS];  /* widest text per column, in width units */
    int cap[MAX_COLS];    /* widest the column may become (0: TEXT_WIDTH_MAX) */
} sheet;

static void keep_err(book *b, lxw_error e)
{
    if (e != LXW_NO_ERROR && b->err == LXW_NO_ERROR)
        b->err = e;
}

static double col_width(const sheet *sh, int c)
{
    int cap = sh->cap[c] ? sh->cap[c] : TEXT_WIDTH_MAX;
    int w = sh->width[c] < cap ? sh->width[c] : cap;
    return (w < 6 ? 6 : w) + 2.0;
}

static void note_width(sheet *sh, int col, const char *t)
{
    if (col < 0 || col >= MAX_COLS)
        return;
    int w = pp_xlsx_text_width(t);
    if (w > sh->width[col])
        sh->width[col] = w;
    if (col >= sh->ncols)
        sh->ncols = col + 1;
}

static void put_str(sheet *sh, int row, int col, const char *t, lxw_format *fmt)
{
    keep_err(sh->b, worksheet_write_string(sh->ws, (lxw_row_t)row, (lxw_col_t)col, t, fmt));
    note_width(sh, col, t);
}

static void put_num(sheet *sh, int row, int col, double x, lxw_format *fmt)
{
    char buf[32];
    snprintf(buf, sizeof buf, fmt == sh->b->num2 || fmt == sh->b->bold_num2 ? "%.2f" : "%.0f", x);
    keep_err(sh->b, worksheet_write_number(sh->ws, (lxw_row_t)row, (lxw_col_t)col, x, fmt));
    note_width(sh, col, buf);
}

/* A formula with its value cached, so a reader that does not recalculate (and the
 * byte comparison of two runs) sees the computed figure. */
static void put_formula(sheet *sh, int row, int col, const char *formula, double value, lxw_format *fmt)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%.2f", value);
    keep_err(sh->b, worksheet_write_formula_num(sh->ws, (lxw_row_t)row, (lxw_col_t)col, formula, fmt, value));
    note_width(sh, col, buf);
}

/* A wrapped text cell; kept for the row heights (see finish_sheet). */
static void put_wrapped(sheet *sh, int row, int col, const char *t, lxw_format *fmt)
{
    put_str(sh, row, col, t, fmt);
    if (!strchr(t, '\n') && pp_xlsx_text_width(t) <= 6)
        return; /* one short line fits any column */
    if (sh->nwr == sh->capwr) {
        int cap = sh->capwr ? 2 * sh->capwr : 256;
        wrapped *w = realloc(sh->wr, (size_t)cap * sizeof *w);
        if (!w) {
            keep_err(sh->b, LXW_ERROR_MEMORY_MALLOC_FAILED);
            return;
        }
        sh->wr = w;
        sh->capwr = cap;
    }
    char *copy = strdup(t);
    if (!copy) {
        keep_err(sh->b, LXW_ERROR_MEMORY_MALLOC_FAILED);
        return;
    }
    sh->wr[sh->nwr++] = (wrapped){ row, col, copy };
}

/* "&" starts a code in Excel's page header: a school name keeps its "&" doubled.
 * Cut to n bytes between characters, never inside one. */
static void header_escape(char *out, size_t n, const char *t)
{
    size_t k = 0;
    for (; *t && k + (*t == '&' ? 2 : 1) < n; t++) {
        if (*t == '&')
            out[k++] = '&';
        out[k++] = *t;
    }
    if (((unsigned char)*t & 0xC0) == 0x80) { /* stopped inside a character: drop its first bytes */
        while (k > 0 && ((unsigned char)out[k - 1] & 0xC0) == 0x80)
            k--;
        if (k > 0)
            k--;
    }
    out[k] = 0;
}

static void print_setup(sheet *sh, const char *title, int header_rows, int freeze_cols)
{
    book *b = sh->b;
    lxw_worksheet *ws = sh->ws;
    worksheet_set_landscape(ws);
    worksheet_set_paper(ws, 9); /* A4 */
    worksheet_set_margins(ws, 0.4, 0.4, 0.6, 0.6);
    worksheet_fit_to_pages(ws, 1, 0); /* fit the width; as many pages down as needed */
    worksheet_gridlines(ws, LXW_SHOW_ALL_GRIDLINES);
    keep_err(b, worksheet_repeat_rows(ws, 0, (lxw_row_t)(header_rows - 1)));
    worksheet_freeze_panes(ws, (lxw_row_t)header_rows, (lxw_col_t)freeze_cols);
    char name[160], h[400];
    header_escape(name, sizeof name, b->s->name);
    snprintf(h, sizeof h, "&L%s&R%s", name, title);
    keep_err(b, worksheet_set_header(ws, h));
    keep_err(b, worksheet_set_footer(ws, "&C第 &P 页，共 &N 页"));
}

/* Column widths from the widest texts, then the height of every row holding a
 * wrapped cell from its lines at those widths; frees the kept texts. */
static void finish_sheet(sheet *sh)
{
    for (int c = 0; c < sh->ncols; c++)
        keep_err(sh->b, worksheet_set_column(sh->ws, (lxw_col_t)c, (lxw_col_t)c, col_width(sh, c), NULL));
    for (int i = 0; i < sh->nwr;) {
        int row = sh->wr[i].row, lines = 1;
        for (; i < sh->nwr && sh->wr[i].row == row; i++) {
            int n = wrapped_lines(sh->wr[i].text, col_width(sh, sh->wr[i].col));
            lines = n > lines ? n : lines;
            free(sh->wr[i].text);
        }
        double h = LINE_POINTS * lines + 3;
        if (lines > 1) /* 409 points is the tallest row Excel has */
            keep_err(sh->b, worksheet_set_row(sh->ws, (lxw_row_t)row, h < 409 ? h : 409, NULL));
    }
    free(sh->wr);
    sh->wr = NULL;
    sh->nwr = sh->capwr = 0;
}

static lxw_worksheet *add_sheet(book *b, sheet *sh, const char *name)
{
    memset(sh, 0, sizeof *sh);
    sh->b = b;
    sh->ws = workbook_add_worksheet(b->wb, name);
    if (!sh->ws)
        keep_err(b, LXW_ERROR_MEMORY_MALLOC_FAILED);
    return sh->ws;
}

/* ---- grid sheets (by class, venue, staff) ------------------------------------------ */

/* The period cell: its name, then one line per season with its clock times. */
static void period_text(book *b, int pe)
{
    const pp_school *s = b->s;
    tx_reset(&b->tx);
    tx_add(&b->tx, s->periods[pe].name);
    char t[16];
    for (int k = 0; k < s->nseasons && k < PP_MAX_SEASONS; k++) {
        pp_report_period_time(s, pe, k, t);
        tx_add(&b->tx, "\n");
        tx_add(&b->tx, s->seasons[k].name);
        tx_add(&b->tx, " ");
        tx_add(&b->tx, t[0] ? t : "不开设");
    }
}

/* One group in a cell: "活动 N人" then where, how and who (what the owner is not). */
static void group_text(book *b, pp_grid_mode mode, const pp_grid_entry *e)
{
    const pp_school *s = b->s;
    const pp_group *g = &b->p->groups[e->group];
    char buf[512];
    text *t = &b->tx;
    if (t->n)
        tx_add(t, "\n");
    tx_add(t, s->activities[g->activity].name);
    if (mode == PP_GRID_CLASS && e->count != g->nstudents)
        tx_addf(t, " 本班%d人/共%d人", e->count, g->nstudents);
    else
        tx_addf(t, " %d人", g->nstudents);
    tx_add(t, "\n");
    if (mode != PP_GRID_CLASS) {
        tx_add(t, pp_report_group_classes(s, g, buf, sizeof buf));
        tx_add(t, " · ");
    }
    if (mode != PP_GRID_VENUE) {
        tx_add(t, g->venue >= 0 && g->venue < s->nvenues ? s->venues[g->venue].name : "场地未定");
        tx_add(t, " · ");
    }
    tx_add(t, pp_group_format_zh(s, g));
    if (mode != PP_GRID_STAFF) {
        tx_add(t, " · ");
        tx_add(t, g->nstaff ? pp_report_staff_names(s, g, buf, sizeof buf) : "未配人员");
    }
}

/* The owner's label in column A. */
static void owner_text(book *b, pp_grid_mode mode, int owner)
{
    const pp_school *s = b->s;
    text *t = &b->tx;
    tx_reset(t);
    if (mode == PP_GRID_CLASS) {
        const pp_class *c = &s->classes[owner];
        tx_add(t, c->name);
        tx_addf(t, "\n学生%d人", pp_grid_class_size(s, owner));
        if (c->room >= 0 && c->room < s->nvenues) {
            tx_add(t, "\n教室：");
            tx_add(t, s->venues[c->room].name);
        }
    } else if (mode == PP_GRID_VENUE) {
        const pp_venue *v = &s->venues[owner];
        tx_add(t, v->name);
        tx_addf(t, "\n容纳%d人", v->capacity);
    } else {
        const pp_staff *st = &s->staff[owner];
        const pp_staff_load *L = &b->w->staff[owner];
        tx_add(t, st->name);
        tx_add(t, "\n");
        tx_add(t, st->id);
        tx_add(t, " · ");
        tx_add(t, pp_staff_type_zh(st->type));
        tx_addf(t, "\n每周%d节", L->sessions);
    }
}

static void grid_header(sheet *sh, const char *owner_head)
{
    book *b = sh->b;
    put_str(sh, 0, 0, owner_head, b->head);
    put_str(sh, 0, 1, "时段 / 时间", b->head);
    for (int i = 0; i < b->ndays; i++) {
        put_str(sh, 0, 2 + i, pp_day_name_zh(b->days[i]), b->head);
        sh->cap[2 + i] = GRID_DAY_WIDTH;
        sh->width[2 + i] = 14; /* room for a short activity name with its details on the next line */
    }
    sh->cap[0] = 16;
    sh->cap[1] = 20;
}

/* One owner's block from row `row`: a row per period in `rows`, its label merged
 * down column A.  Returns the next free row. */
static int grid_block(sheet *sh, pp_grid_mode mode, int owner, uint32_t rows, int lo, int hi, int row)
{
    book *b = sh->b;
    const pp_school *s = b->s;
    const pp_grid_entry *e = b->grid.by[mode];
    int grade = mode == PP_GRID_CLASS ? s->classes[owner].grade : -1;
    int first = row;
    for (int pe = 0; pe < s->nperiods; pe++) {
        if (!(rows & (1u << pe)))
            continue;
        period_text(b, pe);
        put_wrapped(sh, row, 1, tx_str(&b->tx), b->wrap);
        for (int i = 0; i < b->ndays; i++) {
            int d = b->days[i];
            while (lo < hi && (e[lo].period < pe || (e[lo].period == pe && e[lo].day < d)))
                lo++; /* entries of rows not shown */
            int any = lo < hi && e[lo].period == pe && e[lo].day == d;
            if (!pp_grid_runs(s, pe, d, grade) && !any) {
                put_str(sh, row, 2 + i, "—", b->off);
                continue;
            }
            tx_reset(&b->tx);
            if (mode == PP_GRID_CLASS) {
                int stay = b->grid.stay[PP_GRID_CDP(s, owner, d, pe)], un = b->grid.unserved[PP_GRID_CDP(s, owner, d, pe)];
                if (stay)
                    tx_addf(&b->tx, "留校%d人", stay);
                if (un)
                    tx_addf(&b->tx, "%s未安排%d人", stay ? "，" : "", un);
            }
            for (; lo < hi && e[lo].period == pe && e[lo].day == d; lo++)
                group_text(b, mode, &e[lo]);
            put_wrapped(sh, row, 2 + i, tx_str(&b->tx), b->wrap);
        }
        row++;
    }
    owner_text(b, mode, owner);
    if (row - first > 1)
        keep_err(b, worksheet_merge_range(sh->ws, (lxw_row_t)first, 0, (lxw_row_t)(row - 1), 0, tx_str(&b->tx), b->owner));
    else if (row > first)
        put_wrapped(sh, first, 0, tx_str(&b->tx), b->owner);
    note_width(sh, 0, tx_str(&b->tx));
    return row;
}

/* Rows where a new owner starts get a page break before them (one owner a page). */
typedef struct {
    lxw_row_t *v;
    int n;
} breaks;

static void grid_sheet(book *b, pp_grid_mode mode, const char *name, const char *owner_head)
{
    const pp_school *s = b->s;
    sheet sh;
    if (!add_sheet(b, &sh, name))
        return;
    grid_header(&sh, owner_head);
    int nowners = mode == PP_GRID_CLASS ? s->nclasses : mode == PP_GRID_VENUE ? s->nvenues : s->nstaff;
    breaks br = { calloc((size_t)nowners + 1, sizeof(lxw_row_t)), 0 };
    if (!br.v) {
        keep_err(b, LXW_ERROR_MEMORY_MALLOC_FAILED);
        return;
    }
    int row = 1;
    for (int i = 0; i < nowners; i++) {
        int owner = mode == PP_GRID_CLASS ? b->grid.class_order[i] : mode == PP_GRID_STAFF ? b->w->order[i] : i, lo, hi;
        pp_grid_owner_range(&b->grid, mode, owner, &lo, &hi);
        uint32_t rows = mode == PP_GRID_CLASS ? pp_grid_class_rows(&b->grid, s, owner, lo, hi)
                                             : pp_grid_used_periods(&b->grid, mode, lo, hi);
        if (!rows)
            continue; /* a venue not used, a staff member without a session */
        if (row > 1 && br.n < 1022) /* Excel keeps at most 1023 manual breaks */
            br.v[br.n++] = (lxw_row_t)row;
        row = grid_block(&sh, mode, owner, rows, lo, hi, row);
    }
    if (br.n)
        keep_err(b, worksheet_set_h_pagebreaks(sh.ws, br.v)); /* the list ends with 0 (calloc) */
    free(br.v);
    finish_sheet(&sh);
    print_setup(&sh, name, 1, 2);
}

/* ---- 学生: the shared student-sheet contract, then what each student was given ---- */

static const char *choice_label(const pp_school *s, int a)
{
    for (int i = 0; i < s->nactivities; i++) /* a name two activities share would be ambiguous: use the id */
        if (i != a && !strcmp(s->activities[i].name, s->activities[a].name))
            return s->activities[a].id;
    return s->activities[a].name;
}

static void priority_text(text *t, unsigned flags)
{
    static const struct {
        unsigned flag;
        const char *zh;
    } names[] = { { PP_PRIO_DISABLED, "残疾" }, { PP_PRIO_LEFT_BEHIND, "留守" }, { PP_PRIO_MIGRANT, "随迁" },
                  { PP_PRIO_LOW_INCOME, "低保" } };
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (flags & names[i].flag) {
            if (t->n)
                tx_add(t, "、");
            tx_add(t, names[i].zh);
        }
}

/* What student st was given on day d: "时段：活动（场地，人员）" per period, 、-joined;
 * an unserved period says 未安排 and why. */
static void given_text(book *b, const int *at, int st, int d)
{
    const pp_school *s = b->s;
    text *t = &b->tx;
    char buf[512];
    tx_reset(t);
    for (int pe = 0; pe < s->nperiods; pe++) {
        int where = at[PP_SLOT(s, st, d, pe)];
        if (where == -1)
            continue;
        if (t->n)
            tx_add(t, "\n");
        tx_add(t, s->periods[pe].name);
        tx_add(t, "：");
        if (where >= 0) {
            const pp_group *g = &b->p->groups[where];
            tx_add(t, s->activities[g->activity].name);
            tx_add(t, "（");
            tx_add(t, g->venue >= 0 && g->venue < s->nvenues ? s->venues[g->venue].name : "场地未定");
            tx_add(t, "，");
            tx_add(t, pp_report_staff_names(s, g, buf, sizeof buf));
            tx_add(t, "）");
        } else {
            tx_add(t, "未安排（");
            tx_add(t, b->p->unserved[PP_SLOT_UNSERVED(where)].reason);
            tx_add(t, "）");
        }
    }
}

static void student_row(sheet *sh, const int *at, int st, int row, int nchoice)
{
    book *b = sh->b;
    const pp_school *s = b->s;
    const pp_student *x = &s->students[st];
    text *t = &b->tx;
    int col = 0;
    put_str(sh, row, col++, x->id, b->cell);
    put_str(sh, row, col++, x->name, b->cell);
    put_str(sh, row, col++, x->cls >= 0 && x->cls < s->nclasses ? s->classes[x->cls].id : "", b->cell);
    tx_reset(t);
    priority_text(t, x->priority);
    put_str(sh, row, col++, tx_str(t), b->cell);
    for (int i = 0; i < b->ndays; i++) {
        tx_reset(t);
        for (int pe = 0; pe < s->nperiods; pe++)
            if (x->stay[b->days[i]] & (1u << pe)) {
                if (t->n)
                    tx_add(t, "、");
                tx_add(t, s->periods[pe].name);
            }
        put_str(sh, row, col++, tx_str(t), b->cell);
    }
    for (int k = 0; k < nchoice; k++, col++)
        if (k < x->nchoices && x->choices[k] >= 0 && x->choices[k] < s->nactivities)
            put_str(sh, row, col, choice_label(s, x->choices[k]), b->cell);
    for (int i = 0; i < b->ndays; i++) {
        if (at)
            given_text(b, at, st, b->days[i]);
        else
            tx_reset(t);
        put_wrapped(sh, row, col++, tx_str(t), b->wrap);
    }
}

static void student_sheet(book *b)
{
    const pp_school *s = b->s;
    sheet sh;
    if (!add_sheet(b, &sh, "学生"))
        return;
    int nchoice = 3; /* the contract: at least 3 choice columns, more when a student has more */
    for (int i = 0; i < s->nstudents; i++)
        if (s->students[i].nchoices > nchoice)
            nchoice = s->students[i].nchoices;
    if (nchoice > MAX_COLS - 4 - 2 * PP_DAYS)
        nchoice = MAX_COLS - 4 - 2 * PP_DAYS;
    int col = 0;
    static const char *const head[] = { "学号", "姓名", "班级", "重点保障" };
    for (size_t i = 0; i < sizeof head / sizeof *head; i++)
        put_str(&sh, 0, col++, head[i], b->head);
    for (int i = 0; i < b->ndays; i++)
        put_str(&sh, 0, col++, pp_day_name_zh(b->days[i]), b->head);
    for (int k = 0; k < nchoice; k++) {
        char h[16];
        snprintf(h, sizeof h, "志愿%d", k + 1);
        put_str(&sh, 0, col++, h, b->head);
    }
    int last = col + b->ndays - 1;
    for (int i = 0; i < b->ndays; i++) {
        char h[32];
        snprintf(h, sizeof h, "%s安排", pp_day_name_zh(b->days[i]));
        sh.cap[col] = 36;
        put_str(&sh, 0, col++, h, b->head);
    }
    int *at = pp_report_student_slots(s, b->p), *order = pp_report_student_order(s);
    if (s->nstudents > 0 && ((s->nperiods > 0 && !at) || !order))
        keep_err(b, LXW_ERROR_MEMORY_MALLOC_FAILED);
    else
        for (int i = 0; i < s->nstudents; i++)
            student_row(&sh, at, order[i], i + 1, nchoice);
    free(at);
    free(order);
    keep_err(b, worksheet_autofilter(sh.ws, 0, 0, (lxw_row_t)(s->nstudents > 0 ? s->nstudents : 1), (lxw_col_t)last));
    finish_sheet(&sh);
    print_setup(&sh, "学生", 1, 2);
}

/* ---- 工作量 ---------------------------------------------------------------------------- */

/* "E" for column 4: the column letters of a 0-based index. */
static const char *col_name(int c, char buf[4])
{
    if (c < 26)
        snprintf(buf, 4, "%c", 'A' + c);
    else
        snprintf(buf, 4, "%c%c", 'A' + c / 26 - 1, 'A' + c % 26);
    return buf;
}

typedef struct {
    int col;
    const char *head;
    int decimals; /* 0 whole numbers; 2 hours and yuan */
} load_col;

static void load_figures(const pp_school *s, const pp_staff_load *L, double *v)
{
    int k = 0;
    v[k++] = L->sessions;
    for (int j = 0; j < s->nseasons && j < PP_MAX_SEASONS; j++)
        v[k++] = L->minutes[j];
    v[k++] = L->term_hours;
    v[k++] = L->term_weighted_hours;
    v[k++] = L->subsidy;
}

static void total_figures(const pp_school *s, const pp_load_total *t, double *v)
{
    int k = 0;
    v[k++] = t->sessions;
    for (int j = 0; j < s->nseasons && j < PP_MAX_SEASONS; j++)
        v[k++] = t->minutes[j];
    v[k++] = t->term_hours;
    v[k++] = t->term_weighted_hours;
    v[k++] = t->subsidy;
}

static void workload_sheet(book *b)
{
    const pp_school *s = b->s;
    const pp_workload *w = b->w;
    sheet sh;
    if (!add_sheet(b, &sh, "工作量"))
        return;
    int ns = s->nseasons < PP_MAX_SEASONS ? s->nseasons : PP_MAX_SEASONS;
    int nfig = 1 + ns + 3; /* sessions, minutes per season, hours, weighted hours, subsidy */
    const int F = 4;       /* first figure column (E) */
    int col = 0;
    static const char *const head[] = { "工号", "姓名", "类型", "类别" };
    for (size_t i = 0; i < sizeof head / sizeof *head; i++)
        put_str(&sh, 0, col++, head[i], b->head);
    put_str(&sh, 0, col++, "每周节数", b->head);
    for (int k = 0; k < ns; k++) {
        char h[160];
        snprintf(h, sizeof h, "%.120s每周分钟", s->seasons[k].name);
        put_str(&sh, 0, col++, h, b->head);
    }
    static const char *const tail[] = { "学期课时", "加权工作量(学期小时)", "补助(元)", "超节数", "超时长(分钟)", "值日天数" };
    for (size_t i = 0; i < sizeof tail / sizeof *tail; i++)
        put_str(&sh, 0, col++, tail[i], b->head);
    double v[PP_MAX_SEASONS + 4];
    int row = 1;
    for (int i = 0; i < s->nstaff; i++, row++) {
        int who = w->order[i];
        const pp_staff *st = &s->staff[who];
        const pp_staff_load *L = &w->staff[who];
        put_str(&sh, row, 0, st->id, b->cell);
        put_str(&sh, row, 1, st->name, b->cell);
        put_str(&sh, row, 2, pp_staff_type_zh(st->type), b->cell);
        put_str(&sh, row, 3, pp_report_pay_kind_zh(pp_report_pay_kind(st->type)), b->cell);
        load_figures(s, L, v);
        for (int k = 0; k < nfig; k++)
            put_num(&sh, row, F + k, v[k], k < nfig - 3 ? b->num : b->num2);
        put_num(&sh, row, F + nfig, L->over_sessions, b->num);
        put_num(&sh, row, F + nfig + 1, L->over_minutes, b->num);
        put_num(&sh, row, F + nfig + 2, L->duty_days, b->num);
    }
    /* totals: formulas over the staff rows 2..last, so a figure changed by hand in
     * Excel (a swapped session) carries into the totals */
    int last = s->nstaff + 1;
    char f[256], cn[4];
    for (int k = 0; k <= PP_PAY_KINDS; k++, row++) {
        const pp_load_total *t = k < PP_PAY_KINDS ? &w->total[k] : &w->all;
        const char *kind = k < PP_PAY_KINDS ? pp_report_pay_kind_zh((pp_pay_kind)k) : NULL;
        char label[32];
        snprintf(label, sizeof label, "%s合计", kind ? kind : "全部");
        put_str(&sh, row, 0, label, b->bold);
        put_str(&sh, row, 2, "人数", b->bold);
        if (kind)
            snprintf(f, sizeof f, "=COUNTIF($D$2:$D$%d,\"%s\")", last, kind);
        else
            snprintf(f, sizeof f, "=COUNTA($A$2:$A$%d)", last);
        put_formula(&sh, row, 3, f, t->staff, b->bold_num);
        total_figures(s, t, v);
        for (int j = 0; j < nfig; j++) {
            col_name(F + j, cn);
            if (kind)
                snprintf(f, sizeof f, "=SUMIF($D$2:$D$%d,\"%s\",%s$2:%s$%d)", last, kind, cn, cn, last);
            else
                snprintf(f, sizeof f, "=SUM(%s2:%s%d)", cn, cn, last);
            put_formula(&sh, row, F + j, f, v[j], j < nfig - 3 ? b->bold_num : b->bold_num2);
        }
    }
    const pp_fairness *fa = &w->fairness;
    row++;
    put_str(&sh, row++, 0, "公平性：在职教师每周分钟（按最长季节计）", b->bold);
    const struct {
        const char *label;
        double value;
    } fair[] = { { "教师人数", fa->n }, { "无安排人数", fa->idle }, { "最少", fa->min }, { "最多", fa->max },
                 { "平均", fa->mean }, { "极差", fa->spread } };
    for (size_t i = 0; i < sizeof fair / sizeof *fair; i++, row++) {
        put_str(&sh, row, 0, fair[i].label, b->cell);
        put_num(&sh, row, 1, fair[i].value, i == 4 ? b->num2 : b->num);
    }
    sh.width[0] = sh.width[0] > 12 ? 12 : sh.width[0]; /* the fairness title may run over the next cells */
    finish_sheet(&sh);
    print_setup(&sh, "工作量", 1, 2);
}

/* ---- 变更 (a re-plan) ---------------------------------------------------------------------- */

static void changes_sheet(book *b, const pp_changes *ch)
{
    sheet sh;
    if (!add_sheet(b, &sh, "变更"))
        return;
    char a[64], c[64];
    static const char *const head1[] = { "项目", "本次调整", "重新排" };
    for (int i = 0; i < 3; i++)
        put_str(&sh, 0, i, head1[i], b->head);
    int row = 1;
    for (int i = 0; i < pp_changes_nsummary(); i++, row++) {
        put_str(&sh, row, 0, pp_changes_summary(ch, i, a, c, sizeof a), b->cell);
        put_str(&sh, row, 1, a, b->cell);
        put_str(&sh, row, 2, c, b->cell);
    }
    sh.width[0] = sh.width[0] > 16 ? 16 : sh.width[0]; /* the labels may run over the next cells */
    int hdr = ++row;
    static const char *const head[] = { "类别", "编号", "姓名", "班级/类型", "星期", "时段", "原安排", "新安排", "说明" };
    for (int i = 0; i < 9; i++)
        put_str(&sh, hdr, i, head[i], b->head);
    sh.cap[6] = sh.cap[7] = 40;
    for (int r = 0; r < pp_changes_nrows(ch); r++) {
        const pp_change_row *w = pp_changes_row(ch, r);
        const char *v[6] = { w->kind, w->id, w->name, w->where, w->day >= 0 ? pp_day_name_zh(w->day) : "", w->period };
        for (int i = 0; i < 6; i++)
            put_str(&sh, hdr + 1 + r, i, v[i], b->cell);
        put_wrapped(&sh, hdr + 1 + r, 6, w->before, b->wrap);
        put_wrapped(&sh, hdr + 1 + r, 7, w->after, b->wrap);
        put_str(&sh, hdr + 1 + r, 8, w->note, b->cell);
    }
    keep_err(b, worksheet_autofilter(sh.ws, (lxw_row_t)hdr, 0, (lxw_row_t)(hdr + (pp_changes_nrows(ch) > 0 ? pp_changes_nrows(ch) : 1)), 8));
    finish_sheet(&sh);
    print_setup(&sh, "变更", hdr + 1, 0);
    keep_err(b, worksheet_repeat_rows(sh.ws, (lxw_row_t)hdr, (lxw_row_t)hdr)); /* the table's header, not the counts */
}

/* ---- the workbook ------------------------------------------------------------------------ */

static lxw_format *fmt(book *b, int bold, int wrap, const char *num)
{
    lxw_format *f = workbook_add_format(b->wb);
    if (!f) {
        keep_err(b, LXW_ERROR_MEMORY_MALLOC_FAILED);
        return NULL;
    }
    format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
    if (bold)
        format_set_bold(f);
    if (wrap)
        format_set_text_wrap(f);
    if (num)
        format_set_num_format(f, num);
    return f;
}

static void make_formats(book *b)
{
    b->head = fmt(b, 1, 1, NULL);
    if (b->head) {
        format_set_bg_color(b->head, 0xE8E8E8);
        format_set_border(b->head, LXW_BORDER_THIN);
    }
    b->cell = fmt(b, 0, 0, NULL);
    b->wrap = fmt(b, 0, 1, NULL);
    b->owner = fmt(b, 1, 1, NULL);
    b->off = fmt(b, 0, 0, NULL);
    if (b->off) {
        format_set_bg_color(b->off, 0xECECEC);
        format_set_font_color(b->off, 0x999999);
        format_set_align(b->off, LXW_ALIGN_CENTER);
    }
    b->num = fmt(b, 0, 0, "0");
    b->num2 = fmt(b, 0, 0, "0.00");
    b->bold = fmt(b, 1, 0, NULL);
    b->bold_num = fmt(b, 1, 0, "0");
    b->bold_num2 = fmt(b, 1, 0, "0.00");
}

/* The fixed creation time: the first season's start at 00:00 UTC; 2000-01-01 for a
 * school without seasons (0 would make libxlsxwriter use the clock). */
static time_t creation_time(const pp_school *s)
{
    long days = 0;
    for (int k = 0; k < s->nseasons; k++)
        if (s->seasons[k].start_days > 0 && (days == 0 || s->seasons[k].start_days < days))
            days = s->seasons[k].start_days;
    return (time_t)(days > 0 ? days : 10957) * 86400;
}

int pp_xlsx_write(const char *path, const pp_school *s, const pp_plan *p, char *err, size_t errlen)
{
    return pp_xlsx_write_changes(path, s, p, NULL, err, errlen);
}

int pp_xlsx_write_changes(const char *path, const pp_school *s, const pp_plan *p, const pp_changes *ch, char *err,
                          size_t errlen)
{
    book b = { 0 };
    b.s = s;
    b.p = p;
    for (int d = 0; d < PP_DAYS; d++)
        if (s->day_mask & (1u << d))
            b.days[b.ndays++] = d;
    lxw_workbook_options opt = { 0 };
    b.wb = workbook_new_opt(path, &opt);
    b.w = pp_report_workload(s, p);
    if (!b.wb || !b.w || pp_grid_build(&b.grid, s, p)) {
        snprintf(err, errlen, "%s: cannot start the workbook (out of memory?)", path);
        if (b.wb)
            workbook_close(b.wb);
        pp_report_workload_free(b.w);
        return -1;
    }
    char title[300];
    snprintf(title, sizeof title, "%.250s 课后服务排片表", s->name);
    lxw_doc_properties props = { .title = title, .company = s->name, .created = creation_time(s) };
    keep_err(&b, workbook_set_properties(b.wb, &props));
    make_formats(&b);
    grid_sheet(&b, PP_GRID_CLASS, "排片表-按班级", "班级");
    grid_sheet(&b, PP_GRID_VENUE, "排片表-按场地", "场地");
    grid_sheet(&b, PP_GRID_STAFF, "排片表-按人员", "人员");
    student_sheet(&b);
    workload_sheet(&b);
    if (ch)
        changes_sheet(&b, ch);
    if (b.tx.oom)
        keep_err(&b, LXW_ERROR_MEMORY_MALLOC_FAILED);
    lxw_error close = workbook_close(b.wb); /* writes the file; frees the workbook either way */
    keep_err(&b, close);
    free(b.tx.s);
    pp_grid_free(&b.grid);
    pp_report_workload_free(b.w);
    if (b.err != LXW_NO_ERROR) {
        snprintf(err, errlen, "%s: the workbook could not be written: %s", path, lxw_strerror(b.err));
        return -1;
    }
    return 0;
}
