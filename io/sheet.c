/* sheet.c - rows of cells (see sheet.h).  Cells and rows are malloc'ed one by
 * one; sheets are small (a school has thousands of rows, not millions). */
#include "sheet.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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

void pp_csv_put_cell(FILE *f, const char *v)
{
    size_t n = strlen(v);
    int quote = n > 0 && (v[0] == ' ' || v[n - 1] == ' ' || strpbrk(v, ",\"\r\n") != NULL);
    if (!quote) {
        fputs(v, f);
        return;
    }
    fputc('"', f);
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
    struct stat sb;
    if (stat(dir, &sb) != 0 ? mkdir(dir, 0777) != 0 : !S_ISDIR(sb.st_mode)) {
        pp_diags_add(d, dir, 0, "cannot create the folder (%s); expected a writable folder", strerror(errno));
        return -1;
    }
    char tmp[4096], fin[4096];
    int done = 0, rc = 0;
    for (; done < n && rc == 0; done++) {
        snprintf(tmp, sizeof tmp, "%s/.%s.tmp", dir, names[done]);
        FILE *f = fopen(tmp, "wb");
        if (!f) {
            pp_diags_add(d, tmp, 0, "cannot write (%s); expected a writable folder", strerror(errno));
            rc = -1;
            break;
        }
        size_t w = fwrite(datas[done], 1, lens[done], f);
        if (fclose(f) != 0 || w != lens[done]) {
            pp_diags_add(d, tmp, 0, "write failed (disk full?)");
            rc = -1;
        }
    }
    for (int i = 0; i < done; i++) {
        snprintf(tmp, sizeof tmp, "%s/.%s.tmp", dir, names[i]);
        snprintf(fin, sizeof fin, "%s/%s", dir, names[i]);
        if (rc != 0)
            remove(tmp);
        else if (rename(tmp, fin) != 0) {
            pp_diags_add(d, fin, 0, "cannot rename into place (%s)", strerror(errno));
            rc = -1;
        }
    }
    return rc;
}
