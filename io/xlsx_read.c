/* xlsx_read.c - .xlsx sheets through libzip and libxml2 (see xlsx_read.h).
 *
 * Every part is inflated into memory with a hard cap (PP_SHEET_MAX_FILE) counted
 * on the bytes actually produced, then parsed by libxml2 without network access;
 * entity declarations are refused before parsing.  Shared strings are read once
 * at open; sheets on demand. */
#include "xlsx_read.h"
#include "io/files.h"

#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <zip.h>

struct pp_xlsx {
    char *file;
    void *data;              /* the copy of an in-memory workbook, or NULL */
    zip_t *zip;
    int nsheets;
    char **names, **parts;   /* sheet names and their part paths */
    int nstrings;
    char **strings;          /* shared strings */
};

/* The uncompressed bytes of the named part into a heap buffer (caller frees);
 * NULL when absent (missing set, no message) or refused (message in d). */
static char *read_part(pp_xlsx *x, const char *part, size_t *len, int *missing, pp_diags *d)
{
    *missing = 0;
    zip_int64_t idx = zip_name_locate(x->zip, part, 0);
    if (idx < 0) {
        *missing = 1;
        return NULL;
    }
    zip_stat_t st;
    if (zip_stat_index(x->zip, (zip_uint64_t)idx, 0, &st) == 0 && (st.valid & ZIP_STAT_SIZE) &&
        st.size > (zip_uint64_t)PP_SHEET_MAX_FILE) {
        pp_diags_add(d, x->file, 0, "part %s would inflate to %llu bytes; expected at most %ld bytes per part "
                     "(a zip bomb, or a sheet far larger than a school's)", part, (unsigned long long)st.size,
                     PP_SHEET_MAX_FILE);
        return NULL;
    }
    zip_file_t *zf = zip_fopen_index(x->zip, (zip_uint64_t)idx, 0);
    if (!zf) {
        pp_diags_add(d, x->file, 0, "cannot open part %s (%s); expected an intact .xlsx workbook", part,
                     zip_strerror(x->zip));
        return NULL;
    }
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap + 1);
    for (;;) {
        if (!buf) {
            pp_diags_add(d, x->file, 0, "out of memory reading part %s", part);
            break;
        }
        zip_int64_t got = zip_fread(zf, buf + n, cap - n);
        if (got < 0) {
            pp_diags_add(d, x->file, 0, "cannot inflate part %s (%s); expected an intact .xlsx workbook", part,
                         zip_file_strerror(zf));
            free(buf);
            buf = NULL;
            break;
        }
        if (got == 0)
            break;
        n += (size_t)got;
        if (n > (size_t)PP_SHEET_MAX_FILE) {
            /* the directory may lie about the size: the cap counts real bytes */
            pp_diags_add(d, x->file, 0, "part %s inflates to more than %ld bytes; expected at most that per part "
                         "(a zip bomb, or a sheet far larger than a school's)", part, PP_SHEET_MAX_FILE);
            free(buf);
            buf = NULL;
            break;
        }
        if (n == cap) {
            char *nb = realloc(buf, 2 * cap + 1);
            if (!nb)
                free(buf);
            buf = nb;
            cap *= 2;
        }
    }
    zip_fclose(zf);
    if (buf) {
        buf[n] = '\0';
        *len = n;
    }
    return buf;
}

static xmlDocPtr parse_part(pp_xlsx *x, const char *part, int *missing, pp_diags *d)
{
    size_t len;
    char *buf = read_part(x, part, &len, missing, d);
    if (!buf)
        return NULL;
    xmlDocPtr doc = NULL;
    if (strstr(buf, "<!DOCTYPE") || strstr(buf, "<!ENTITY"))
        pp_diags_add(d, x->file, 0, "part %s declares a document type or entities; expected plain .xlsx XML", part);
    else if (len > (size_t)0x7fffffff ||
             !(doc = xmlReadMemory(buf, (int)len, part, NULL,
                                   XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA)))
        pp_diags_add(d, x->file, 0, "part %s is not well-formed XML; expected a workbook saved by Excel or WPS", part);
    free(buf);
    return doc;
}

static int is_el(xmlNodePtr n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

static char *prop(xmlNodePtr n, const char *name)
{
    return (char *)xmlGetProp(n, (const xmlChar *)name);
}

/* Text of the <t> descendants of n, skipping phonetic runs (<rPh>); xmlFree. */
static void collect_text(xmlNodePtr n, xmlBufferPtr b)
{
    for (xmlNodePtr c = n->children; c; c = c->next) {
        if (is_el(c, "rPh") || is_el(c, "phoneticPr"))
            continue;
        if (is_el(c, "t")) {
            xmlChar *t = xmlNodeGetContent(c);
            if (t)
                xmlBufferCat(b, t);
            xmlFree(t);
        } else if (c->type == XML_ELEMENT_NODE)
            collect_text(c, b);
    }
}

static char *rich_text(xmlNodePtr n)
{
    xmlBufferPtr b = xmlBufferCreate();
    if (!b)
        return NULL;
    collect_text(n, b);
    char *s = strdup((const char *)xmlBufferContent(b));
    xmlBufferFree(b);
    return s;
}

static int read_shared_strings(pp_xlsx *x, pp_diags *d)
{
    int missing;
    xmlDocPtr doc = parse_part(x, "xl/sharedStrings.xml", &missing, d);
    if (!doc)
        return missing ? 0 : -1;
    xmlNodePtr root = xmlDocGetRootElement(doc);
    int n = 0;
    for (xmlNodePtr c = root ? root->children : NULL; c; c = c->next)
        n += is_el(c, "si");
    x->strings = calloc((size_t)(n ? n : 1), sizeof *x->strings);
    int rc = x->strings ? 0 : -1;
    for (xmlNodePtr c = root ? root->children : NULL; c && rc == 0; c = c->next)
        if (is_el(c, "si")) {
            if (!(x->strings[x->nstrings] = rich_text(c)))
                rc = -1;
            else
                x->nstrings++;
        }
    if (rc)
        pp_diags_add(d, x->file, 0, "out of memory reading the shared strings");
    xmlFreeDoc(doc);
    return rc;
}

/* Sheet names from xl/workbook.xml, part paths through its relationships. */
static int read_sheet_list(pp_xlsx *x, pp_diags *d)
{
    int missing;
    xmlDocPtr wb = parse_part(x, "xl/workbook.xml", &missing, d);
    if (!wb) {
        if (missing)
            pp_diags_add(d, x->file, 0, "the archive has no xl/workbook.xml; expected an .xlsx workbook "
                         "(an .xls or .ods file must be saved again as .xlsx)");
        return -1;
    }
    xmlDocPtr rels = parse_part(x, "xl/_rels/workbook.xml.rels", &missing, d);
    if (!rels) {
        if (missing)
            pp_diags_add(d, x->file, 0, "the archive has no xl/_rels/workbook.xml.rels; expected an intact .xlsx workbook");
        xmlFreeDoc(wb);
        return -1;
    }
    xmlNodePtr sheets = NULL;
    for (xmlNodePtr c = xmlDocGetRootElement(wb) ? xmlDocGetRootElement(wb)->children : NULL; c; c = c->next)
        if (is_el(c, "sheets"))
            sheets = c;
    int n = 0, rc = 0;
    for (xmlNodePtr c = sheets ? sheets->children : NULL; c; c = c->next)
        n += is_el(c, "sheet");
    x->names = calloc((size_t)(n ? n : 1), sizeof *x->names);
    x->parts = calloc((size_t)(n ? n : 1), sizeof *x->parts);
    if (!x->names || !x->parts)
        rc = -1;
    for (xmlNodePtr c = sheets ? sheets->children : NULL; c && rc == 0; c = c->next) {
        if (!is_el(c, "sheet"))
            continue;
        char *name = prop(c, "name");
        xmlChar *rid = xmlGetNsProp(c, (const xmlChar *)"id",
                                    (const xmlChar *)"http://schemas.openxmlformats.org/officeDocument/2006/relationships");
        char *target = NULL;
        for (xmlNodePtr r = xmlDocGetRootElement(rels)->children; r && rid && !target; r = r->next) {
            char *id = is_el(r, "Relationship") ? prop(r, "Id") : NULL;
            if (id && strcmp(id, (const char *)rid) == 0)
                target = prop(r, "Target");
            xmlFree(id);
        }
        if (name && target) {
            char path[1024];
            /* targets are relative to xl/, or absolute from the package root */
            snprintf(path, sizeof path, "%s%s", target[0] == '/' ? "" : "xl/", target[0] == '/' ? target + 1 : target);
            x->names[x->nsheets] = strdup(name);
            x->parts[x->nsheets] = strdup(path);
            if (!x->names[x->nsheets] || !x->parts[x->nsheets])
                rc = -1;
            x->nsheets++;
        } else
            pp_diags_add(d, x->file, 0, "sheet \"%s\" has no part in the workbook's relationships; expected an intact "
                         ".xlsx workbook", name ? name : "");
        xmlFree(name);
        xmlFree(rid);
        xmlFree(target);
    }
    if (rc)
        pp_diags_add(d, x->file, 0, "out of memory reading the sheet list");
    xmlFreeDoc(wb);
    xmlFreeDoc(rels);
    return rc;
}

static pp_xlsx *open_zip(pp_xlsx *x, zip_source_t *src, pp_diags *d)
{
    zip_error_t err;
    zip_error_init(&err);
    x->zip = zip_open_from_source(src, ZIP_RDONLY, &err);
    if (!x->zip) {
        if (zip_error_code_zip(&err) == ZIP_ER_NOZIP)
            pp_diags_add(d, x->file, 0, "the file is not an .xlsx workbook (not a zip archive); expected a workbook saved "
                         "by Excel or WPS as .xlsx, or a CSV file named .csv");
        else
            pp_diags_add(d, x->file, 0, "cannot open the workbook (%s); expected an intact .xlsx file",
                         zip_error_strerror(&err));
        zip_error_fini(&err);
        zip_source_free(src);
        pp_xlsx_close(x);
        return NULL;
    }
    zip_error_fini(&err);
    if (read_sheet_list(x, d) || read_shared_strings(x, d)) {
        pp_xlsx_close(x);
        return NULL;
    }
    return x;
}

pp_xlsx *pp_xlsx_open_memory(const void *buf, size_t len, const char *name, pp_diags *d)
{
    pp_xlsx *x = calloc(1, sizeof *x);
    if (!x || !(x->file = strdup(name ? name : "(memory)")) || !(x->data = malloc(len ? len : 1))) {
        pp_diags_add(d, name, 0, "out of memory opening the workbook");
        pp_xlsx_close(x);
        return NULL;
    }
    memcpy(x->data, buf, len);
    zip_error_t err;
    zip_error_init(&err);
    zip_source_t *src = zip_source_buffer_create(x->data, len, 0, &err);
    zip_error_fini(&err);
    if (!src) {
        pp_diags_add(d, name, 0, "out of memory opening the workbook");
        pp_xlsx_close(x);
        return NULL;
    }
    return open_zip(x, src, d);
}

pp_xlsx *pp_xlsx_open(const char *path, pp_diags *d)
{
    pp_xlsx *x = calloc(1, sizeof *x);
    if (!x || !(x->file = strdup(path))) {
        pp_diags_add(d, path, 0, "out of memory opening the workbook");
        free(x);
        return NULL;
    }
    char why[600];
    FILE *f = pp_file_open_input(path, "a readable .xlsx workbook", why, sizeof why); /* a FIFO or a device is refused */
    if (!f) {
        pp_diags_add(d, path, 0, "%s", why);
        pp_xlsx_close(x);
        return NULL;
    }
    zip_error_t err;
    zip_error_init(&err);
    zip_source_t *src = zip_source_filep_create(f, 0, -1, &err); /* takes f when it succeeds */
    if (!src) {
        fclose(f);
        pp_diags_add(d, path, 0, "cannot open the file (%s); expected a readable .xlsx workbook", zip_error_strerror(&err));
        zip_error_fini(&err);
        pp_xlsx_close(x);
        return NULL;
    }
    zip_error_fini(&err);
    return open_zip(x, src, d);
}

void pp_xlsx_close(pp_xlsx *x)
{
    if (!x)
        return;
    if (x->zip)
        zip_discard(x->zip);
    for (int i = 0; i < x->nsheets; i++) {
        free(x->names[i]);
        free(x->parts[i]);
    }
    free(x->names);
    free(x->parts);
    for (int i = 0; i < x->nstrings; i++)
        free(x->strings[i]);
    free(x->strings);
    free(x->data);
    free(x->file);
    free(x);
}

int pp_xlsx_nsheets(const pp_xlsx *x)
{
    return x->nsheets;
}

const char *pp_xlsx_sheet_name(const pp_xlsx *x, int i)
{
    return i >= 0 && i < x->nsheets ? x->names[i] : "";
}

/* "BC12" -> column 54 (0-based) and row 12; -1 when not a cell reference. */
static int parse_ref(const char *r, int *col, long *row)
{
    int c = 0, nl = 0;
    for (; *r >= 'A' && *r <= 'Z' && nl < 4; r++, nl++)
        c = c * 26 + (*r - 'A' + 1);
    long w = 0;
    int nd = 0;
    for (; *r >= '0' && *r <= '9' && nd < 8; r++, nd++)
        w = w * 10 + (*r - '0');
    if (!nl || !nd || *r)
        return -1;
    *col = c - 1;
    *row = w;
    return 0;
}

static char *child_text(xmlNodePtr n, const char *name)
{
    for (xmlNodePtr c = n->children; c; c = c->next)
        if (is_el(c, name))
            return (char *)xmlNodeGetContent(c);
    return NULL;
}

/* Cell-level problems of one sheet, capped so a sheet of broken formulas does
 * not bury everything else. */
#define MAX_CELL_MESSAGES 20

typedef struct {
    pp_xlsx *x;
    int sheet;
    pp_diags *d;
    int errors, told;
} sheet_ctx;

static void cell_problem(sheet_ctx *c, long row, int col, const char *fmt, const char *arg)
    __attribute__((format(printf, 4, 0)));
static void cell_problem(sheet_ctx *c, long row, int col, const char *fmt, const char *arg)
{
    c->errors++;
    if (c->told++ >= MAX_CELL_MESSAGES)
        return;
    char cn[8], what[600];
    snprintf(what, sizeof what, fmt, arg);
    pp_diags_add(c->d, NULL, 0, "%s:%s:%ld:%s: %s", c->x->file, c->x->names[c->sheet], row, pp_sheet_col_name(col, cn),
                 what);
}

/* The shared string a t="s" cell's value v names, or NULL when v is not the
 * index of one: only plain digits, as every writer stores it ("49.99", "NaN",
 * "1e308", "-1" and "" are not read as some other string). */
static const char *shared_string(const pp_xlsx *x, const char *v)
{
    long k = 0;
    int nd = 0;
    for (const char *p = v; *p; p++, nd++) {
        if (*p < '0' || *p > '9' || nd >= 9)
            return NULL;
        k = k * 10 + (*p - '0');
    }
    return nd > 0 && k < x->nstrings ? x->strings[k] : NULL;
}

/* The text of cell c (xmlFree), NULL for an empty cell; a cell that holds
 * no usable value is reported. */
static char *cell_value(sheet_ctx *sc, xmlNodePtr c, long row, int col)
{
    char *t = prop(c, "t"), *v = NULL;
    xmlChar *formula = NULL;
    for (xmlNodePtr k = c->children; k; k = k->next)
        if (is_el(k, "f") && !formula)
            formula = xmlNodeGetContent(k);
    if (t && strcmp(t, "inlineStr") == 0) {
        for (xmlNodePtr k = c->children; k; k = k->next)
            if (is_el(k, "is")) {
                char *r = rich_text(k); /* malloc'ed: keep one free path */
                xmlFree(v);
                v = r ? (char *)xmlStrdup((const xmlChar *)r) : NULL;
                free(r);
            }
    } else
        v = child_text(c, "v");
    if (v && t && strcmp(t, "s") == 0) {
        const char *str = shared_string(sc->x, v);
        if (!str) {
            char shown[40];
            snprintf(shown, sizeof shown, "%.32s%s", v, strlen(v) > 32 ? "..." : "");
            cell_problem(sc, row, col, "a shared-string cell (t=\"s\") holds \"%s\", which is not the index of one of the "
                         "workbook's shared strings; expected an intact .xlsx workbook", shown);
        }
        xmlFree(v);
        v = str ? (char *)xmlStrdup((const xmlChar *)str) : NULL;
    } else if (v && t && strcmp(t, "e") == 0) {
        cell_problem(sc, row, col, "the cell holds the formula error %s; expected a value", v);
        xmlFree(v);
        v = NULL;
    } else if (formula && !v && !(t && strcmp(t, "inlineStr") == 0)) {
        char shown[80];
        snprintf(shown, sizeof shown, "%.60s%s", (const char *)formula, xmlStrlen(formula) > 60 ? "..." : "");
        cell_problem(sc, row, col, "a formula without a value (=%s): the workbook was saved without its calculated "
                     "results; expected a value: open and save it again in Excel or WPS, or type the value", shown);
        xmlFree(v);
        v = NULL;
    }
    xmlFree(formula);
    xmlFree(t);
    return v;
}

/* "B3" or "B3:D7" into 0-based columns and rows; -1 when it is neither. */
static int parse_range(const char *ref, int *c1, long *r1, int *c2, long *r2)
{
    char a[16], b[16];
    const char *colon = strchr(ref, ':');
    size_t la = colon ? (size_t)(colon - ref) : strlen(ref);
    if (la >= sizeof a || (colon && strlen(colon + 1) >= sizeof b))
        return -1;
    memcpy(a, ref, la);
    a[la] = '\0';
    snprintf(b, sizeof b, "%s", colon ? colon + 1 : a);
    return parse_ref(a, c1, r1) || parse_ref(b, c2, r2) || *c2 < *c1 || *r2 < *r1 ? -1 : 0;
}

/* Merged ranges below the header row whose first cell holds a value: the
 * other cells of the range read as empty, which is not what the school meant
 * (a class name merged down the rows of its students).  Reported as merged. */
static void check_merged(sheet_ctx *sc, xmlNodePtr root, const pp_sheet *sh)
{
    for (xmlNodePtr m = root ? root->children : NULL; m; m = m->next) {
        if (!is_el(m, "mergeCells"))
            continue;
        for (xmlNodePtr c = m->children; c; c = c->next) {
            char *ref = is_el(c, "mergeCell") ? prop(c, "ref") : NULL;
            int c1, c2;
            long r1, r2;
            if (ref && parse_range(ref, &c1, &r1, &c2, &r2) == 0 && r2 >= 2 && (c2 > c1 || r2 > r1)) {
                const char *first = "";
                for (int r = 0; r < sh->nrows; r++)
                    if (sh->rows[r].num == r1)
                        first = pp_sheet_cell(sh, r, c1);
                if (*first) {
                    char cn[8], at[40];
                    snprintf(at, sizeof at, "%s%ld", pp_sheet_col_name(c1, cn), r1);
                    long row = r1 == r2 ? r1 : r1 + 1;
                    int col = r1 == r2 ? c1 + 1 : c1;
                    char what[200];
                    snprintf(what, sizeof what, "%s, whose value is in %s only", ref, at);
                    cell_problem(sc, row, col, "a merged cell (part of %s); expected one value in every cell: unmerge "
                                 "the cells and fill each one", what);
                }
            }
            xmlFree(ref);
        }
    }
}

pp_sheet *pp_xlsx_read_sheet(pp_xlsx *x, int i, pp_diags *d)
{
    if (i < 0 || i >= x->nsheets)
        return NULL;
    int missing;
    xmlDocPtr doc = parse_part(x, x->parts[i], &missing, d);
    if (!doc) {
        if (missing)
            pp_diags_add(d, x->file, 0, "sheet \"%s\": part %s is missing; expected an intact .xlsx workbook", x->names[i],
                         x->parts[i]);
        return NULL;
    }
    pp_sheet *sh = pp_sheet_new(x->file, x->names[i]);
    sheet_ctx sc = { x, i, d, sh ? 0 : 1, 0 };
    int nomem = !sh;
    xmlNodePtr data = NULL, root = xmlDocGetRootElement(doc);
    for (xmlNodePtr c = root ? root->children : NULL; c; c = c->next)
        if (is_el(c, "sheetData"))
            data = c;
    long rownum = 0;
    for (xmlNodePtr r = data ? data->children : NULL; r && !nomem; r = r->next) {
        if (!is_el(r, "row"))
            continue;
        char *rr = prop(r, "r");
        long n = rr ? atol(rr) : rownum + 1;
        xmlFree(rr);
        if (n <= rownum) { /* rows must ascend; a broken file is read in its order */
            pp_diags_add(d, NULL, 0, "%s:%s:%ld: row number out of order (after row %ld); expected an intact .xlsx "
                         "workbook", x->file, x->names[i], n, rownum);
            sc.errors++;
            break;
        }
        rownum = n;
        int col = -1;
        for (xmlNodePtr c = r->children; c && !nomem; c = c->next) {
            if (!is_el(c, "c"))
                continue;
            char *ref = prop(c, "r");
            long rw = rownum;
            int cc;
            if (ref && parse_ref(ref, &cc, &rw) == 0 && rw == rownum)
                col = cc;
            else
                col++;
            xmlFree(ref);
            char *v = cell_value(&sc, c, rownum, col);
            if (v && strlen(v) > PP_SHEET_MAX_CELL) {
                char cn[8];
                pp_diags_add(d, NULL, 0, "%s:%s:%ld:%s: the cell holds %zu bytes; expected at most %d bytes in one cell",
                             x->file, x->names[i], rownum, pp_sheet_col_name(col, cn), strlen(v), PP_SHEET_MAX_CELL);
                sc.errors++;
            } else if (v && col >= PP_SHEET_MAX_COLS) {
                pp_diags_add(d, NULL, 0, "%s:%s:%ld: a cell beyond column %d; expected at most %d columns", x->file,
                             x->names[i], rownum, PP_SHEET_MAX_COLS, PP_SHEET_MAX_COLS);
                sc.errors++;
            } else if (v && *v && pp_sheet_set(sh, rownum, col, v, strlen(v)))
                nomem = 1;
            xmlFree(v);
        }
    }
    if (!nomem && sh)
        check_merged(&sc, root, sh);
    if (sc.told > MAX_CELL_MESSAGES)
        pp_diags_add(d, NULL, 0, "%s:%s: %d more cell problems like those above", x->file, x->names[i],
                     sc.told - MAX_CELL_MESSAGES);
    xmlFreeDoc(doc);
    if (nomem)
        pp_diags_add(d, x->file, 0, "out of memory reading sheet \"%s\"", x->names[i]);
    if (sc.errors || nomem) {
        pp_sheet_free(sh);
        return NULL;
    }
    pp_sheet_finish(sh);
    return sh;
}
