/* xlsx_read.c - .xlsx sheets through libzip and libxml2 (see xlsx_read.h).
 *
 * Every part is inflated into memory with a hard cap (PP_SHEET_MAX_FILE) counted
 * on the bytes actually produced, then parsed by libxml2 without network access;
 * entity declarations are refused before parsing.  Shared strings are read once
 * at open; sheets on demand. */
#include "xlsx_read.h"

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
    zip_error_t err;
    zip_error_init(&err);
    zip_source_t *src = zip_source_file_create(path, 0, -1, &err);
    if (!src) {
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
    int errors = sh ? 0 : 1, nomem = !sh;
    xmlNodePtr data = NULL;
    for (xmlNodePtr c = xmlDocGetRootElement(doc) ? xmlDocGetRootElement(doc)->children : NULL; c; c = c->next)
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
            errors++;
            break;
        }
        rownum = n;
        int col = -1;
        for (xmlNodePtr c = r->children; c && !nomem; c = c->next) {
            if (!is_el(c, "c"))
                continue;
            char *ref = prop(c, "r"), *t = prop(c, "t");
            long rw = rownum;
            int cc;
            if (ref && parse_ref(ref, &cc, &rw) == 0 && rw == rownum)
                col = cc;
            else
                col++;
            char *v = NULL;
            if (t && strcmp(t, "inlineStr") == 0) {
                for (xmlNodePtr k = c->children; k; k = k->next)
                    if (is_el(k, "is"))
                        v = rich_text(k);
                if (v) { /* rich_text returns malloc'ed text; keep one free path */
                    char *xv = (char *)xmlStrdup((const xmlChar *)v);
                    free(v);
                    v = xv;
                }
            } else {
                v = child_text(c, "v");
                if (v && t && strcmp(t, "s") == 0) {
                    long k = atol(v);
                    xmlFree(v);
                    v = k >= 0 && k < x->nstrings ? (char *)xmlStrdup((const xmlChar *)x->strings[k]) : NULL;
                    if (k < 0 || k >= x->nstrings) {
                        char cn[8];
                        pp_diags_add(d, NULL, 0, "%s:%s:%ld:%s: shared string %ld does not exist; expected an intact "
                                     ".xlsx workbook", x->file, x->names[i], rownum, pp_sheet_col_name(col, cn), k);
                        errors++;
                    }
                }
            }
            if (v && strlen(v) > PP_SHEET_MAX_CELL) {
                char cn[8];
                pp_diags_add(d, NULL, 0, "%s:%s:%ld:%s: the cell holds %zu bytes; expected at most %d bytes in one cell",
                             x->file, x->names[i], rownum, pp_sheet_col_name(col, cn), strlen(v), PP_SHEET_MAX_CELL);
                errors++;
            } else if (v && col >= PP_SHEET_MAX_COLS) {
                pp_diags_add(d, NULL, 0, "%s:%s:%ld: a cell beyond column %d; expected at most %d columns", x->file,
                             x->names[i], rownum, PP_SHEET_MAX_COLS, PP_SHEET_MAX_COLS);
                errors++;
            } else if (v && *v && pp_sheet_set(sh, rownum, col, v, strlen(v)))
                nomem = 1;
            xmlFree(v);
            xmlFree(ref);
            xmlFree(t);
        }
    }
    xmlFreeDoc(doc);
    if (nomem)
        pp_diags_add(d, x->file, 0, "out of memory reading sheet \"%s\"", x->names[i]);
    if (errors || nomem) {
        pp_sheet_free(sh);
        return NULL;
    }
    pp_sheet_finish(sh);
    return sh;
}
