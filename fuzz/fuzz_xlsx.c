/* fuzz_xlsx.c - libFuzzer harness for the .xlsx reader (io/xlsx_read.h) and,
 * through it, the sheet importer.
 *
 * Two kinds of input:
 *   - raw bytes of a workbook (anything not starting with "@@@ "): fuzzes the
 *     zip layer (libzip) and, when the archive survives, the parts;
 *   - parts: lines "@@@ NAME" each followed by the bytes of that part, e.g.
 *     "@@@ xl/workbook.xml\n<workbook ...>...\n@@@ xl/worksheets/sheet1.xml\n...".
 *     The harness zips them (stored, valid CRCs) and hands the archive to the
 *     reader, so the fuzzer mutates the XML itself instead of compressed bytes
 *     that would only ever fail a checksum.
 * Every sheet of an opened workbook is read; a sheet named like a table (学生,
 * 班级, ...) replaces that table of the small good school tests/bad_sheets/base
 * and the whole import runs.  Checks beyond the sanitizers: no workbook or sheet
 * refused without a message, a sheet XOR new messages, row numbers ascending, every cell valid UTF-8 within the limits.
 * Seeds: fuzz/corpus/xlsx/ (workbooks saved by LibreOffice and by paipian, and
 * the same in parts form; fuzz/README.md).  Run from the repository root. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zip.h>

#include "io/csv_read.h"
#include "io/import.h"
#include "io/sheet.h"
#include "io/xlsx_read.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_SHEETS 16
#define MAX_PARTS 32

/* The base school's tables, read once (harness state; released at exit). */
static pp_sheet *base[PP_TABLES];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    for (int t = 0; t < PP_TABLES; t++) {
        char path[256];
        snprintf(path, sizeof path, "tests/bad_sheets/base/%s.csv", pp_import_table_name((pp_table)t));
        pp_diags *d = pp_diags_new();
        base[t] = pp_csv_read(path, pp_import_table_name((pp_table)t), NULL, d);
        pp_diags_free(d);
    }
    return 0;
}

/* Zips the "@@@ NAME" parts of data into a new buffer (*len bytes; free);
 * NULL when the input does not make an archive. */
static void *zip_parts(const uint8_t *data, size_t size, size_t *len)
{
    zip_error_t e;
    zip_error_init(&e);
    zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &e);
    zip_t *z = src ? zip_open_from_source(src, ZIP_TRUNCATE, &e) : NULL;
    zip_error_fini(&e);
    if (!z) {
        zip_source_free(src);
        return NULL;
    }
    zip_source_keep(src); /* kept past zip_close, to read the archive back */
    const char *p = (const char *)data, *end = p + size;
    int nparts = 0;
    while (p + 4 <= end && !memcmp(p, "@@@ ", 4) && nparts < MAX_PARTS) {
        const char *name = p + 4, *nl = memchr(name, '\n', (size_t)(end - name));
        if (!nl)
            break;
        const char *body = nl + 1, *next = body;
        while (next < end && !(next + 5 <= end && !memcmp(next, "\n@@@ ", 5)))
            next++;
        char *nm = strndup(name, (size_t)(nl - name));
        zip_source_t *ps = nm ? zip_source_buffer(z, body, (size_t)(next - body), 0) : NULL;
        zip_int64_t idx = ps ? zip_file_add(z, nm, ps, ZIP_FL_OVERWRITE | ZIP_FL_ENC_UTF_8) : -1;
        if (idx < 0)
            zip_source_free(ps);
        else
            zip_set_file_compression(z, (zip_uint64_t)idx, ZIP_CM_STORE, 0);
        free(nm);
        nparts++;
        p = next < end ? next + 1 : end;
    }
    void *buf = NULL;
    if (zip_close(z) != 0)
        zip_discard(z);
    else if (zip_source_open(src) == 0) {
        zip_source_seek(src, 0, SEEK_END);
        zip_int64_t n = zip_source_tell(src);
        zip_source_seek(src, 0, SEEK_SET);
        buf = n > 0 ? malloc((size_t)n) : NULL;
        if (buf && zip_source_read(src, buf, (zip_uint64_t)n) != n) {
            free(buf);
            buf = NULL;
        }
        *len = buf ? (size_t)n : 0;
        zip_source_close(src);
    }
    zip_source_free(src);
    return buf;
}

static void check_sheet(const pp_sheet *sh)
{
    long last = 0;
    for (int r = 0; r < sh->nrows; r++) {
        const pp_sheet_row *row = &sh->rows[r];
        if (row->num <= last || row->ncells > PP_SHEET_MAX_COLS)
            abort();
        last = row->num;
        for (int c = 0; c < row->ncells; c++) {
            const char *v = row->cells[c] ? row->cells[c] : "";
            size_t n = strlen(v);
            if (n > PP_SHEET_MAX_CELL || !pp_utf8_valid(v, n))
                abort();
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t len = size;
    void *zipped = NULL;
    if (size >= 4 && !memcmp(data, "@@@ ", 4)) {
        zipped = zip_parts(data, size, &len);
        if (!zipped)
            return 0;
    }
    pp_diags *d = pp_diags_new();
    if (!d) {
        free(zipped);
        return 0;
    }
    pp_xlsx *x = pp_xlsx_open_memory(zipped ? zipped : data, len, "fuzz.xlsx", d);
    if (!x && pp_diags_count(d) == 0) /* an opened workbook may come with notes (a sheet without a part) */
        abort();
    pp_sheet *tables[PP_TABLES], *read[MAX_SHEETS] = { 0 };
    memcpy(tables, base, sizeof tables);
    int replaced = 0;
    for (int i = 0; x && i < pp_xlsx_nsheets(x) && i < MAX_SHEETS; i++) {
        int before = pp_diags_count(d);
        read[i] = pp_xlsx_read_sheet(x, i, d);
        if (!read[i] != (pp_diags_count(d) > before))
            abort();
        if (!read[i])
            continue;
        check_sheet(read[i]);
        int t = pp_import_table_of(pp_xlsx_sheet_name(x, i));
        if (t >= 0 && base[0]) {
            tables[t] = read[i];
            replaced = 1;
        }
    }
    if (replaced && pp_diags_count(d) == 0) {
        pp_school *s = pp_import_sheets(tables, "fuzz.xlsx", d);
        if (!s == (pp_diags_count(d) == 0))
            abort();
        pp_school_free(s);
    }
    for (int i = 0; i < MAX_SHEETS; i++)
        pp_sheet_free(read[i]);
    pp_xlsx_close(x);
    pp_diags_free(d);
    free(zipped);
    return 0;
}
