/* sheet.c - rows of cells (see sheet.h).  Cells and rows are malloc'ed one by
 * one; sheets are small (a school has thousands of rows, not millions). */
#include "sheet.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "io/outdir.h"

pp_sheet *pp_sheet_new(const char *file, const char *name)
{
    pp_sheet *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->file = strdup(file ? file : "");
    s->name = strdup(name ? name : "");
    if (!s->file || !s->name) {
        pp_sheet_free(s);
        return NULL;
    }
    return s;
}

static void row_free(pp_sheet_row *r)
{
    for (int c = 0; c < r->ncells; c++)
        free(r->cells[c]);
    free(r->cells);
    r->cells = NULL;
    r->ncells = 0;
}

void pp_sheet_free(pp_sheet *s)
{
    if (!s)
        return;
    for (int r = 0; r < s->nrows; r++)
        row_free(&s->rows[r]);
    free(s->rows);
    free(s->file);
    free(s->name);
    free(s);
}

static int row_empty(const pp_sheet_row *r)
{
    for (int c = 0; c < r->ncells; c++)
        if (r->cells[c] && r->cells[c][0])
            return 0;
    return 1;
}

void pp_sheet_finish(pp_sheet *s)
{
    if (s->nrows > 0 && row_empty(&s->rows[s->nrows - 1]))
        row_free(&s->rows[--s->nrows]);
}

/* The characters that start a formula (or, for tab and CR, hide one behind
 * white space) in Excel, LibreOffice and Google Sheets. */
static int formula_start(char c)
{
    return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

/* Leading/trailing ASCII white space and U+3000 (ideographic space, E3 80 80). */
static void trim(const char **v, size_t *len)
{
    const char *p = *v, *e = *v + *len;
    for (;;) {
        if (p < e && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
            p++;
        else if (e - p >= 3 && memcmp(p, "\xE3\x80\x80", 3) == 0)
            p += 3;
        else
            break;
    }
    for (;;) {
        if (e > p && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
            e--;
        else if (e - p >= 3 && memcmp(e - 3, "\xE3\x80\x80", 3) == 0)
            e -= 3;
        else
            break;
    }
    *v = p;
    *len = (size_t)(e - p);
}

int pp_sheet_set(pp_sheet *s, long num, int col, const char *v, size_t len)
{
    if (col < 0 || col >= PP_SHEET_MAX_COLS)
        return 0;
    if (s->nrows == 0 || s->rows[s->nrows - 1].num != num) {
        pp_sheet_finish(s);
        if (s->nrows == s->cap) {
            int ncap = s->cap ? 2 * s->cap : 64;
            pp_sheet_row *nr = realloc(s->rows, (size_t)ncap * sizeof *nr);
            if (!nr)
                return -1;
            s->rows = nr;
            s->cap = ncap;
        }
        s->rows[s->nrows++] = (pp_sheet_row){ num, 0, NULL };
    }
    pp_sheet_row *r = &s->rows[s->nrows - 1];
    if (col >= r->ncells) {
        char **nc = realloc(r->cells, (size_t)(col + 1) * sizeof *nc);
        if (!nc)
            return -1;
        for (int c = r->ncells; c <= col; c++)
            nc[c] = NULL;
        r->cells = nc;
        r->ncells = col + 1;
    }
    trim(&v, &len);
    /* the apostrophe pp_csv_put_cell puts before formula-like text */
    if (len >= 2 && v[0] == '\'') {
        size_t k = 1;
        while (k < len && v[k] == '\'')
            k++;
        if (k < len && formula_start(v[k]))
            v++, len--;
    }
    char *t = malloc(len + 1);
    if (!t)
        return -1;
    memcpy(t, v, len);
    t[len] = '\0';
    free(r->cells[col]);
    r->cells[col] = t;
    return 0;
}

const char *pp_sheet_cell(const pp_sheet *s, int r, int col)
{
    if (r < 0 || r >= s->nrows || col < 0 || col >= s->rows[r].ncells || !s->rows[r].cells[col])
        return "";
    return s->rows[r].cells[col];
}

const char *pp_sheet_col_name(int col, char *buf)
{
    char tmp[8];
    int n = 0;
    for (int c = col + 1; c > 0 && n < 7; c = (c - 1) / 26)
        tmp[n++] = (char)('A' + (c - 1) % 26);
    for (int i = 0; i < n; i++)
        buf[i] = tmp[n - 1 - i];
    buf[n] = '\0';
    return buf;
}

int pp_utf8_valid(const char *p, size_t len)
{
    const unsigned char *s = (const unsigned char *)p, *e = s + len;
    while (s < e) {
        unsigned c = *s;
        if (c < 0x80) {
            s++;
            continue;
        }
        int n;
        unsigned min;
        if (c >= 0xC2 && c <= 0xDF)
            n = 1, min = 0x80;
        else if (c >= 0xE0 && c <= 0xEF)
            n = 2, min = 0x800;
        else if (c >= 0xF0 && c <= 0xF4)
            n = 3, min = 0x10000;
        else
            return 0;
        if (e - s <= n)
            return 0;
        unsigned cp = c & (0x3F >> n);
        for (int i = 1; i <= n; i++) {
            if ((s[i] & 0xC0) != 0x80)
                return 0;
            cp = cp << 6 | (s[i] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return 0;
        s += n + 1;
    }
    return 1;
}

int pp_csv_formula_like(const char *v)
{
    while (*v == '\'')
        v++; /* "'=x" must become "''=x": the reader drops one apostrophe */
    return formula_start(*v);
}

/* A decimal number as printf writes it: -?digits[.digits][e[+-]digits]. */
static int plain_number(const char *v)
{
    const char *p = v + (*v == '-');
    if (!(*p >= '0' && *p <= '9'))
        return 0;
    while (*p >= '0' && *p <= '9')
        p++;
    if (*p == '.') {
        if (!(p[1] >= '0' && p[1] <= '9'))
            return 0;
        for (p++; *p >= '0' && *p <= '9'; p++)
            ;
    }
    if (*p == 'e' || *p == 'E') {
        p += 1 + (p[1] == '+' || p[1] == '-');
        if (!(*p >= '0' && *p <= '9'))
            return 0;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    return *p == '\0';
}

void pp_csv_put_number(FILE *f, const char *v)
{
    if (plain_number(v))
        fputs(v, f);
    else
        pp_csv_put_cell(f, v);
}

void pp_csv_put_cell(FILE *f, const char *v)
{
    int guard = pp_csv_formula_like(v);
    size_t n = strlen(v);
    int quote = n > 0 && (v[0] == ' ' || v[n - 1] == ' ' || strpbrk(v, ",\"\r\n") != NULL);
    if (!quote) {
        if (guard)
            fputc('\'', f);
        fputs(v, f);
        return;
    }
    fputc('"', f);
    if (guard)
        fputc('\'', f); /* inside the quotes: the field's text is what the spreadsheet sees */
    for (; *v; v++) {
        if (*v == '"')
            fputc('"', f);
        fputc(*v, f);
    }
    fputc('"', f);
}

int pp_write_files_atomic(const char *dir, int n, const char *const *names, char *const *datas, const size_t *lens,
                          pp_diags *d)
{
    pp_outdir *o = pp_outdir_open(dir, d);
    if (!o)
        return -1;
    int rc = pp_outdir_check(o, n, names, d);
    for (int i = 0; i < n && rc == 0; i++) {
        FILE *f = pp_outdir_create(o, names[i], d);
        if (!f)
            rc = -1;
        else {
            size_t w = fwrite(datas[i], 1, lens[i], f);
            rc = pp_outdir_finish(o, names[i], f, 0, d) || w != lens[i] ? -1 : 0;
        }
    }
    if (rc == 0)
        rc = pp_outdir_commit(o, d);
    pp_outdir_close(o);
    return rc;
}
