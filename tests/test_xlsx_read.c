/* test_xlsx_read.c - the .xlsx reader (io/xlsx_read.h) on cells a workbook
 * can hold but a school's sheet must not: a shared-string cell whose value is
 * not an index, a formula saved without its value, a formula error, a merged
 * range; and on workbooks written by LibreOffice, which must import as the
 * CSV sheets they came from (tests/data/xlsx_libreoffice/README.md).
 * Workbooks are zipped here from their XML parts, so each case shows the
 * exact cell it is about.  Run from the repository root. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zip.h>

#include "util.h"
#include "io/import.h"
#include "io/school_write.h"
#include "io/xlsx_read.h"

#define NS "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" " \
           "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\""

/* A one-sheet workbook (sheet 学生) whose sheet part is rows (+ after
 * sheetData), with shared strings 0 学号, 1 姓名, 2 班级; opened, its sheet read.
 * Returns the sheet or NULL, the messages in d. */
static pp_sheet *read_book(const char *rows, const char *after, pp_diags *d)
{
    static const char wb[] = "<workbook " NS "><sheets><sheet name=\"学生\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
    static const char rels[] = "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                               "<Relationship Id=\"rId1\" Target=\"worksheets/sheet1.xml\"/></Relationships>";
    static const char sst[] = "<sst " NS "><si><t>学号</t></si><si><t>姓名</t></si><si><t>班级</t></si></sst>";
    char *sheet = NULL;
    size_t sl = 0;
    FILE *m = open_memstream(&sheet, &sl);
    fprintf(m, "<worksheet " NS "><sheetData>%s</sheetData>%s</worksheet>", rows, after ? after : "");
    fclose(m);
    zip_error_t e;
    zip_error_init(&e);
    zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &e);
    zip_source_keep(src);
    zip_t *z = zip_open_from_source(src, ZIP_TRUNCATE, &e);
    assert_non_null(z);
    const char *names[] = { "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/sharedStrings.xml", "xl/worksheets/sheet1.xml" };
    const char *datas[] = { wb, rels, sst, sheet };
    for (int i = 0; i < 4; i++)
        assert_true(zip_file_add(z, names[i], zip_source_buffer(z, datas[i], strlen(datas[i]), 0), 0) >= 0);
    assert_int_equal(zip_close(z), 0);
    assert_int_equal(zip_source_open(src), 0);
    zip_source_seek(src, 0, SEEK_END);
    zip_int64_t n = zip_source_tell(src);
    zip_source_seek(src, 0, SEEK_SET);
    char *buf = malloc((size_t)n);
    assert_int_equal(zip_source_read(src, buf, (zip_uint64_t)n), n);
    zip_source_close(src);
    zip_source_free(src);
    zip_error_fini(&e);
    free(sheet);
    pp_xlsx *x = pp_xlsx_open_memory(buf, (size_t)n, "book.xlsx", d);
    free(buf);
    assert_non_null(x);
    pp_sheet *sh = pp_xlsx_read_sheet(x, 0, d);
    pp_xlsx_close(x);
    return sh;
}

#define HEADER "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c><c r=\"C1\" t=\"s\"><v>2</v></c></row>"

/* Reads a book that must be refused with exactly one message, expected. */
static void refused_with(const char *rows, const char *after, const char *expected)
{
    pp_diags *d = pp_diags_new();
    pp_sheet *sh = read_book(rows, after, d);
    if (sh || pp_diags_count(d) != 1 || strcmp(pp_diags_get(d, 0), expected)) {
        for (int i = 0; i < pp_diags_count(d); i++)
            print_message("got: %s\n", pp_diags_get(d, i));
        print_message("expected: %s\n", expected);
    }
    assert_null(sh);
    assert_int_equal(pp_diags_count(d), 1);
    assert_string_equal(pp_diags_get(d, 0), expected);
    pp_diags_free(d);
}

/* t="s" with a value that is not the index of a shared string: never read as
 * some other string (atol("49.99") would be 49, of "1e308" 1, of "NaN" 0). */
static void shared_string_cell_must_hold_an_index(void **state)
{
    (void)state;
    static const char *const bad[] = { "NaN", "1e308", "49.99", "", "-1", "3", " 1", "0x1", "99999999999" };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char rows[512], want[512];
        snprintf(rows, sizeof rows, HEADER "<row r=\"2\"><c r=\"B2\" t=\"s\"><v>%s</v></c></row>", bad[i]);
        snprintf(want, sizeof want, "book.xlsx:学生:2:B: a shared-string cell (t=\"s\") holds \"%s\", which is not the index "
                 "of one of the workbook's shared strings; expected an intact .xlsx workbook", bad[i]);
        refused_with(rows, NULL, want);
    }
    /* a real index still reads its string */
    pp_diags *d = pp_diags_new();
    pp_sheet *sh = read_book(HEADER "<row r=\"2\"><c r=\"B2\" t=\"s\"><v>2</v></c></row>", NULL, d);
    assert_non_null(sh);
    assert_string_equal(pp_sheet_cell(sh, 1, 1), "班级");
    pp_sheet_free(sh);
    pp_diags_free(d);
}

static void formula_without_a_value_is_said_so(void **state)
{
    (void)state;
    refused_with(HEADER "<row r=\"2\"><c r=\"C2\" t=\"str\"><f>VLOOKUP(A2,班级!A:B,2,0)</f></c></row>", NULL,
                 "book.xlsx:学生:2:C: a formula without a value (=VLOOKUP(A2,班级!A:B,2,0)): the workbook was saved without "
                 "its calculated results; expected a value: open and save it again in Excel or WPS, or type the value");
    refused_with(HEADER "<row r=\"2\"><c r=\"A2\" t=\"e\"><f>1/0</f><v>#DIV/0!</v></c></row>", NULL,
                 "book.xlsx:学生:2:A: the cell holds the formula error #DIV/0!; expected a value");
    /* a formula saved with its value reads the value; an empty string result is an empty cell */
    pp_diags *d = pp_diags_new();
    pp_sheet *sh = read_book(HEADER "<row r=\"2\"><c r=\"A2\"><f>1+1</f><v>2</v></c><c r=\"B2\" t=\"str\"><f>\"\"</f><v></v></c>"
                                    "<c r=\"C2\" t=\"str\"><f>\"c3\"&amp;\"-1\"</f><v>c3-1</v></c></row>",
                             NULL, d);
    assert_non_null(sh);
    assert_int_equal(pp_diags_count(d), 0);
    assert_string_equal(pp_sheet_cell(sh, 1, 0), "2");
    assert_string_equal(pp_sheet_cell(sh, 1, 1), "");
    assert_string_equal(pp_sheet_cell(sh, 1, 2), "c3-1");
    pp_sheet_free(sh);
    pp_diags_free(d);
}

/* A class merged down the rows of its students: the rows below the first
 * would read as "no class"; said as a merged cell, not as empty. */
static void merged_data_cells_are_said_so(void **state)
{
    (void)state;
    const char *rows = HEADER "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>s1</t></is></c>"
                              "<c r=\"C2\" t=\"inlineStr\"><is><t>c3-1</t></is></c></row>"
                              "<row r=\"3\"><c r=\"A3\" t=\"inlineStr\"><is><t>s2</t></is></c></row>"
                              "<row r=\"4\"><c r=\"A4\" t=\"inlineStr\"><is><t>s3</t></is></c></row>";
    refused_with(rows, "<mergeCells count=\"1\"><mergeCell ref=\"C2:C4\"/></mergeCells>",
                 "book.xlsx:学生:3:C: a merged cell (part of C2:C4, whose value is in C2 only); expected one value in every "
                 "cell: unmerge the cells and fill each one");
    /* across columns the first cell to the right is named */
    refused_with(rows, "<mergeCells count=\"1\"><mergeCell ref=\"A2:B2\"/></mergeCells>",
                 "book.xlsx:学生:2:B: a merged cell (part of A2:B2, whose value is in A2 only); expected one value in every "
                 "cell: unmerge the cells and fill each one");
    /* a merged title over the header row, or a merged range with nothing in it, is no problem */
    pp_diags *d = pp_diags_new();
    pp_sheet *sh = read_book(rows, "<mergeCells count=\"2\"><mergeCell ref=\"A1:C1\"/><mergeCell ref=\"B3:B4\"/></mergeCells>", d);
    assert_non_null(sh);
    assert_int_equal(pp_diags_count(d), 0);
    pp_sheet_free(sh);
    pp_diags_free(d);
}

static char *canonical_import(const char *src)
{
    pp_diags *d = pp_diags_new();
    pp_school *s = pp_import_path(src, NULL, d);
    if (!s)
        pp_diags_print(d, stderr);
    assert_non_null(s);
    size_t n;
    char *x = pp_xml_write_school_memory(s, &n);
    pp_school_free(s);
    pp_diags_free(d);
    return x;
}

/* The base sheets saved as .xlsx by LibreOffice import to the same school as
 * the CSV files; so does a paipian workbook opened and saved again by it. */
static void workbooks_written_by_libreoffice_import(void **state)
{
    (void)state;
    char *csv = canonical_import("tests/bad_sheets/base");
    char *lo = canonical_import("tests/data/xlsx_libreoffice");
    assert_string_equal(csv, lo);
    char dir[64];
    snprintf(dir, sizeof dir, "/tmp/pp_lo_XXXXXX");
    assert_non_null(mkdtemp(dir));
    char cmd[512];
    snprintf(cmd, sizeof cmd, "cp tests/bad_sheets/base/*.csv %s/ && rm %s/学生.csv && cp tests/data/xlsx_libreoffice_resaved/学生.xlsx %s/",
             dir, dir, dir);
    assert_int_equal(system(cmd), 0);
    char *resaved = canonical_import(dir);
    assert_string_equal(csv, resaved);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
    free(csv);
    free(lo);
    free(resaved);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(shared_string_cell_must_hold_an_index),
        cmocka_unit_test(formula_without_a_value_is_said_so),
        cmocka_unit_test(merged_data_cells_are_said_so),
        cmocka_unit_test(workbooks_written_by_libreoffice_import),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
