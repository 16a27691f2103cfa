/* test_import.c - the spreadsheet importer (`paipian import`, io/import.c) and its
 * readers: RFC 4180 CSV in UTF-8 (with and without BOM) and GBK, .xlsx workbooks
 * (made here with libxlsxwriter: shared strings, inline strings, numbers, dates
 * as serial numbers), the sample folder instances/sheets importing to exactly
 * instances/default.xml, and the bad-input corpus tests/bad_sheets/.
 *
 * The corpus: tests/bad_sheets/base/ is a small good school (instances/tiny.xml
 * exported); each tests/bad_sheets/NAME.expected names a case whose source is
 * base with the files of tests/bad_sheets/NAME/ laid over it (a file replaces
 * base's file of the same table), or, for inputs too big to commit (a 10 MB
 * cell, a 33 MiB file, a zip bomb) or binary (a workbook missing a sheet), one
 * made here.  The
 * import must fail with exactly the lines of NAME.expected, "SRC/" standing for
 * the temporary folder.  Run from the repository root (make test does). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <xlsxwriter.h>
#include <zip.h>

#include "util.h"
#include "io/csv_read.h"
#include "io/import.h"
#include "io/school_write.h"
#include "io/school_xml.h"
#include "io/sheet.h"

#define BAD_DIR "tests/bad_sheets"
#define BASE_DIR BAD_DIR "/base"

static char tmp_root[256];

static void print_diags(const pp_diags *d)
{
    for (int i = 0; i < pp_diags_count(d); i++)
        print_message("  %s\n", pp_diags_get(d, i));
}


static void spit(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

/* Canonical bytes of a school (caller frees). */
static char *canon(const pp_school *s)
{
    size_t n;
    char *x = pp_xml_write_school_memory(s, &n);
    assert_non_null(x);
    return x;
}

static char *canon_file(const char *path)
{
    pp_diags *d = pp_diags_new();
    pp_school *s = pp_xml_load_school(path, d);
    if (!s)
        print_diags(d);
    assert_non_null(s);
    char *x = canon(s);
    pp_school_free(s);
    pp_diags_free(d);
    return x;
}

/* Imports src; returns the canonical school (caller frees) or fails. */
static char *import_ok(const char *src, const char *enc)
{
    pp_diags *d = pp_diags_new();
    pp_school *s = pp_import_path(src, enc, d);
    if (!s)
        print_diags(d);
    assert_non_null(s);
    assert_int_equal(pp_diags_count(d), 0);
    char *x = canon(s);
    pp_school_free(s);
    pp_diags_free(d);
    return x;
}

static void rm_rf(const char *dir)
{
    DIR *dp = opendir(dir);
    if (!dp) {
        remove(dir);
        return;
    }
    for (struct dirent *e; (e = readdir(dp)) != NULL;) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        char p[2048];
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        rm_rf(p);
    }
    closedir(dp);
    rmdir(dir);
}

static void copy_file(const char *from, const char *to)
{
    size_t n;
    char *b = tu_slurp(from, &n);
    assert_non_null(b);
    spit(to, b, n);
    free(b);
}

/* Name without extension. */
static void stem(const char *name, char *out, size_t size)
{
    snprintf(out, size, "%s", name);
    char *dot = strrchr(out, '.');
    if (dot)
        *dot = '\0';
}

/* Removes dir's files whose stem is that of name (the table it replaces). */
static void drop_table(const char *dir, const char *name)
{
    char st[256], s2[256];
    stem(name, st, sizeof st);
    DIR *dp = opendir(dir);
    assert_non_null(dp);
    for (struct dirent *e; (e = readdir(dp)) != NULL;) {
        stem(e->d_name, s2, sizeof s2);
        if (e->d_name[0] != '.' && !strcmp(st, s2)) {
            char p[2048];
            snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
            remove(p);
        }
    }
    closedir(dp);
}

/* Copies every file of from into to (created). */
static void copy_dir(const char *from, const char *to, int replace_tables)
{
    mkdir(to, 0777);
    DIR *dp = opendir(from);
    assert_non_null(dp);
    for (struct dirent *e; (e = readdir(dp)) != NULL;) {
        if (e->d_name[0] == '.')
            continue;
        char a[1024], b[1024];
        snprintf(a, sizeof a, "%s/%s", from, e->d_name);
        snprintf(b, sizeof b, "%s/%s", to, e->d_name);
        if (replace_tables)
            drop_table(to, e->d_name);
        copy_file(a, b);
    }
    closedir(dp);
}

/* A fresh copy of the base school under the temporary root; returns its path. */
static const char *base_copy(const char *name, char *buf, size_t size)
{
    snprintf(buf, size, "%s/%s", tmp_root, name);
    rm_rf(buf);
    copy_dir(BASE_DIR, buf, 0);
    return buf;
}

/* ---------- workbooks made with libxlsxwriter ----------------------------------- */

static int integer_text(const char *s)
{
    size_t n = strlen(s);
    if (!n || n > 9 || (s[0] == '0' && n > 1))
        return 0;
    return strspn(s, "0123456789") == n;
}

/* Writes the CSV tables of folder dir into one workbook at path, a sheet per
 * table named after the file (or `rename` for a single table), whole numbers as
 * number cells, season dates as date serial numbers; `skip` (a stem) left out.
 * constant_memory makes libxlsxwriter write inline strings instead of shared. */
static void make_workbook(const char *dir, const char *path, const char *only, const char *skip, const char *rename,
                          int constant_memory)
{
    lxw_workbook_options opt = { .constant_memory = constant_memory, .tmpdir = tmp_root };
    lxw_workbook *wb = workbook_new_opt(path, &opt);
    assert_non_null(wb);
    DIR *dp = opendir(dir);
    assert_non_null(dp);
    char *names[64];
    int n = 0;
    for (struct dirent *e; (e = readdir(dp)) != NULL && n < 64;)
        if (e->d_name[0] != '.' && strstr(e->d_name, ".csv"))
            names[n++] = strdup(e->d_name);
    closedir(dp);
    for (int i = 0; i < n; i++) {
        char st[256], p[1024];
        stem(names[i], st, sizeof st);
        if ((skip && !strcmp(st, skip)) || (only && strcmp(st, only)))
            continue;
        snprintf(p, sizeof p, "%s/%s", dir, names[i]);
        pp_diags *d = pp_diags_new();
        pp_sheet *sh = pp_csv_read(p, st, NULL, d);
        if (!sh)
            print_diags(d);
        assert_non_null(sh);
        lxw_worksheet *ws = workbook_add_worksheet(wb, rename ? rename : st);
        assert_non_null(ws);
        int dates = pp_import_table_of(st) == PP_TABLE_SEASONS;
        for (int r = 0; r < sh->nrows; r++)
            for (int c = 0; c < sh->rows[r].ncells; c++) {
                const char *v = pp_sheet_cell(sh, r, c);
                lxw_row_t row = (lxw_row_t)(sh->rows[r].num - 1);
                int day;
                if (!*v)
                    continue;
                if (integer_text(v) && r > 0)
                    worksheet_write_number(ws, row, (lxw_col_t)c, atof(v), NULL);
                else if (dates && r > 0 && (day = pp_parse_date(v)) >= 0)
                    worksheet_write_number(ws, row, (lxw_col_t)c, day + 25569.0, NULL); /* Excel's date serial */
                else
                    worksheet_write_string(ws, row, (lxw_col_t)c, v, NULL);
            }
        pp_sheet_free(sh);
        pp_diags_free(d);
    }
    for (int i = 0; i < n; i++)
        free(names[i]);
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
}

/* ---------- CSV reading ------------------------------------------------------------ */

static pp_sheet *parse(const char *text, size_t len, const char *enc, pp_diags *d)
{
    return pp_csv_parse(text, len, "t.csv", "t", enc, d);
}

static void csv_rfc4180_quotes_commas_newlines(void **state)
{
    (void)state;
    const char *text = "a,b,c\r\n\"x, y\",\"line1\nline2\",\"say \"\"hi\"\"\"\r\n\r\n last , ,z\n";
    pp_diags *d = pp_diags_new();
    pp_sheet *s = parse(text, strlen(text), NULL, d);
    print_diags(d);
    assert_non_null(s);
    assert_int_equal(s->nrows, 3);
    assert_string_equal(pp_sheet_cell(s, 1, 0), "x, y");
    assert_string_equal(pp_sheet_cell(s, 1, 1), "line1\nline2");
    assert_string_equal(pp_sheet_cell(s, 1, 2), "say \"hi\"");
    /* the quoted line break stays in row 2; the blank line is row 3 */
    assert_int_equal(s->rows[1].num, 2);
    assert_int_equal(s->rows[2].num, 4);
    assert_string_equal(pp_sheet_cell(s, 2, 0), "last");
    assert_string_equal(pp_sheet_cell(s, 2, 1), "");
    assert_string_equal(pp_sheet_cell(s, 2, 5), "");
    pp_sheet_free(s);
    pp_diags_free(d);
}

static void csv_utf8_with_and_without_bom(void **state)
{
    (void)state;
    const char *with = "\xEF\xBB\xBF学号,姓名\r\ns1,王小明\r\n";
    for (int k = 0; k < 2; k++) {
        const char *t = k ? with + 3 : with;
        pp_diags *d = pp_diags_new();
        pp_sheet *s = parse(t, strlen(t), NULL, d);
        assert_non_null(s);
        assert_string_equal(pp_sheet_cell(s, 0, 0), "学号");
        assert_string_equal(pp_sheet_cell(s, 1, 1), "王小明");
        pp_sheet_free(s);
        pp_diags_free(d);
    }
}

/* UTF-8 text as GBK bytes (caller frees). */
static char *to_gbk(const char *u, size_t *len)
{
    iconv_t cd = iconv_open("GBK", "UTF-8");
    assert_true(cd != (iconv_t)-1);
    size_t inl = strlen(u), cap = 2 * inl + 4, outl = cap;
    char *out = malloc(cap), *in = (char *)u, *o = out;
    assert_true(iconv(cd, &in, &inl, &o, &outl) != (size_t)-1);
    iconv_close(cd);
    *len = (size_t)(o - out);
    return out;
}

static void csv_gbk_detected_and_named(void **state)
{
    (void)state;
    size_t len;
    char *g = to_gbk("学号,姓名,班级\r\ns1,谢诺,三年级1班\r\ns2,王丽,c3-1\r\n", &len);
    assert_false(pp_utf8_valid(g, len));
    static const char *const encs[] = { NULL, "gbk", "GB18030" };
    for (int k = 0; k < 3; k++) {
        pp_diags *d = pp_diags_new();
        pp_sheet *s = parse(g, len, encs[k], d);
        print_diags(d);
        assert_non_null(s);
        assert_string_equal(pp_sheet_cell(s, 0, 2), "班级");
        assert_string_equal(pp_sheet_cell(s, 1, 1), "谢诺");
        assert_string_equal(pp_sheet_cell(s, 1, 2), "三年级1班");
        pp_sheet_free(s);
        pp_diags_free(d);
    }
    /* named UTF-8, GBK bytes are refused with the line */
    pp_diags *d = pp_diags_new();
    assert_null(parse(g, len, "utf-8", d));
    assert_int_equal(pp_diags_count(d), 1);
    assert_non_null(strstr(pp_diags_get(d, 0), "t.csv:t:1: the line is not valid UTF-8"));
    pp_diags_free(d);
    free(g);
}

/* ---------- whole imports ---------------------------------------------------------- */

static void sample_folder_imports_to_default_instance(void **state)
{
    (void)state;
    /* the sample's students sheet is GBK, as Chinese Excel saves CSV */
    size_t len;
    char *stu = tu_slurp("instances/sheets/学生.csv", &len);
    assert_non_null(stu);
    assert_false(pp_utf8_valid(stu, len));
    free(stu);
    char *want = canon_file("instances/default.xml");
    char *got = import_ok("instances/sheets", NULL);
    assert_string_equal(got, want);
    free(got);
    /* --encoding gbk: the GBK file by name, the UTF-8 files by their BOM */
    got = import_ok("instances/sheets", "gbk");
    assert_string_equal(got, want);
    free(got);
    free(want);
}

static void base_imports_to_tiny_instance(void **state)
{
    (void)state;
    char *want = canon_file("instances/tiny.xml");
    char *got = import_ok(BASE_DIR, NULL);
    assert_string_equal(got, want);
    free(got);
    free(want);
}

/* Replaces text a by b in file path (first occurrence; must exist). */
static void edit(const char *path, const char *a, const char *b)
{
    size_t n;
    char *t = tu_slurp(path, &n);
    assert_non_null(t);
    char *m = strstr(t, a);
    assert_non_null(m);
    size_t la = strlen(a), lb = strlen(b);
    char *o = malloc(n - la + lb + 1);
    memcpy(o, t, (size_t)(m - t));
    memcpy(o + (m - t), b, lb);
    memcpy(o + (m - t) + lb, m + la, n - (size_t)(m - t) - la + 1);
    spit(path, o, n - la + lb);
    free(o);
    free(t);
}

static void fullwidth_colon_and_names_accepted(void **state)
{
    (void)state;
    char dir[512], p[1024];
    base_copy("fullwidth", dir, sizeof dir);
    snprintf(p, sizeof p, "%s/时段.csv", dir);
    edit(p, "16:15-17:20", "16：15 - 17：20");
    /* class by name, choices by id, periods by id and space-separated, English priority */
    snprintf(p, sizeof p, "%s/学生.csv", dir);
    edit(p, "s3,陈思远,c3-1,", "s3,陈思远,三年级1班,");
    edit(p, "s4,赵雨涵,c3-2,,,,午间托管、课后服务,", "s4,赵雨涵,c3-2,,,,noon after,");
    edit(p, "随迁、低保", "migrant;low-income");
    char *want = canon_file("instances/tiny.xml");
    char *got = import_ok(dir, NULL);
    assert_string_equal(got, want);
    free(got);
    free(want);
}

static void xlsx_workbook_imports(void **state)
{
    (void)state;
    char *want = canon_file("instances/tiny.xml");
    char path[2048];
    for (int cm = 0; cm < 2; cm++) { /* shared strings, then inline strings */
        snprintf(path, sizeof path, "%s/school%d.xlsx", tmp_root, cm);
        make_workbook(BASE_DIR, path, NULL, NULL, NULL, cm);
        char *got = import_ok(path, NULL);
        assert_string_equal(got, want);
        free(got);
    }
    /* in a folder, a workbook named after its table with one sheet "Sheet1" */
    char dir[512];
    base_copy("one_table_workbook", dir, sizeof dir);
    snprintf(path, sizeof path, "%s/学生.xlsx", dir);
    drop_table(dir, "学生.csv");
    make_workbook(BASE_DIR, path, "学生", NULL, "Sheet1", 0);
    char *got = import_ok(dir, NULL);
    assert_string_equal(got, want);
    free(got);
    /* a workbook named 学生.xlsx with every table's sheet (like timetable.xlsx
     * with its 学生 sheet among others) gives only its 学生 sheet: no table twice */
    make_workbook(BASE_DIR, path, NULL, NULL, NULL, 0);
    got = import_ok(dir, NULL);
    assert_string_equal(got, want);
    free(got);
    free(want);
}

static void templates_are_written_and_read(void **state)
{
    (void)state;
    char dir[512];
    snprintf(dir, sizeof dir, "%s/templates", tmp_root);
    pp_diags *d = pp_diags_new();
    assert_int_equal(pp_import_write_templates(dir, d), 0);
    char p[2048];
    snprintf(p, sizeof p, "%s/学生.csv", dir);
    size_t n;
    char *t = tu_slurp(p, &n);
    assert_non_null(t);
    assert_memory_equal(t, "\xEF\xBB\xBF学号,姓名,班级,重点保障,周一,周二,周三,周四,周五,志愿1,志愿2,志愿3\r\n", n);
    free(t);
    /* empty templates import with messages, not a crash: the example season
     * columns of 时段 name seasons the empty 时令 table does not have */
    assert_null(pp_import_path(dir, NULL, d));
    assert_int_equal(pp_diags_count(d), 2);
    assert_non_null(strstr(pp_diags_get(d, 0), "时段.csv:时段:1:G(夏令时): column \"夏令时\" is unknown"));
    pp_diags_free(d);
}

/* ---------- the bad-input corpus ------------------------------------------------------ */

static void gen_cell_10mb(const char *dir)
{
    char p[2048];
    snprintf(p, sizeof p, "%s/学生.csv", dir);
    size_t big = 10u << 20;
    char *name = malloc(big + 1);
    memset(name, 'x', big);
    name[big] = '\0';
    edit(p, "王小明", name);
    free(name);
}

static void gen_zip_bomb(const char *dir)
{
    /* a valid-looking workbook whose sheet inflates to 48 MiB of blanks (a few
     * tens of KB compressed) */
    char p[2048];
    snprintf(p, sizeof p, "%s/学生.xlsx", dir);
    drop_table(dir, "学生.csv");
    int err;
    zip_t *z = zip_open(p, ZIP_CREATE | ZIP_TRUNCATE, &err);
    assert_non_null(z);
    static const char wb[] = "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
                             "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
                             "<sheets><sheet name=\"学生\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
    static const char rels[] = "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                               "<Relationship Id=\"rId1\" Target=\"worksheets/sheet1.xml\"/></Relationships>";
    size_t big = 48u << 20;
    char *blank = malloc(big);
    memset(blank, ' ', big);
    zip_source_t *s1 = zip_source_buffer(z, wb, sizeof wb - 1, 0);
    zip_source_t *s2 = zip_source_buffer(z, rels, sizeof rels - 1, 0);
    zip_source_t *s3 = zip_source_buffer(z, blank, big, 0);
    assert_true(zip_file_add(z, "xl/workbook.xml", s1, 0) >= 0);
    assert_true(zip_file_add(z, "xl/_rels/workbook.xml.rels", s2, 0) >= 0);
    zip_int64_t big_idx = zip_file_add(z, "xl/worksheets/sheet1.xml", s3, 0);
    assert_true(big_idx >= 0);
    /* fastest deflate: the test (also under sanitizers) should not spend its time compressing */
    assert_int_equal(zip_set_file_compression(z, (zip_uint64_t)big_idx, ZIP_CM_DEFLATE, 1), 0);
    assert_int_equal(zip_close(z), 0);
    free(blank);
    struct stat sb;
    assert_int_equal(stat(p, &sb), 0);
    assert_true(sb.st_size < 1 << 20); /* small on disk: that is the point */
}

static void gen_file_over_limit(const char *dir)
{
    /* a sparse file: 33 MiB long, nothing on disk */
    char p[2048];
    snprintf(p, sizeof p, "%s/学生.csv", dir);
    FILE *f = fopen(p, "r+b");
    assert_non_null(f);
    assert_int_equal(ftruncate(fileno(f), 33L << 20), 0);
    fclose(f);
}

/* Builds the named generated case under the temporary root; returns the source. */
static const char *make_case(const char *name, char *buf, size_t size)
{
    char dir[512];
    snprintf(dir, sizeof dir, BAD_DIR "/%s", name);
    struct stat sb;
    if (stat(dir, &sb) == 0 && S_ISDIR(sb.st_mode)) {
        base_copy(name, buf, size);
        copy_dir(dir, buf, 1);
        return buf;
    }
    if (!strcmp(name, "cell_10mb")) {
        base_copy(name, buf, size);
        gen_cell_10mb(buf);
        return buf;
    }
    if (!strcmp(name, "csv_over_32mib")) {
        base_copy(name, buf, size);
        gen_file_over_limit(buf);
        return buf;
    }
    if (!strcmp(name, "zip_bomb")) {
        base_copy(name, buf, size);
        gen_zip_bomb(buf);
        return buf;
    }
    if (!strcmp(name, "workbook_missing_sheet")) {
        snprintf(buf, size, "%s/%s.xlsx", tmp_root, name);
        make_workbook(BASE_DIR, buf, NULL, "学生", NULL, 0);
        return buf;
    }
    fail_msg("%s.expected has neither a folder %s nor a generator in test_import.c", name, dir);
    return NULL;
}

static void bad_sheets_corpus(void **state)
{
    (void)state;
    DIR *dp = opendir(BAD_DIR);
    assert_non_null(dp);
    char *names[128];
    int n = 0;
    for (struct dirent *e; (e = readdir(dp)) != NULL && n < 128;) {
        size_t l = strlen(e->d_name);
        if (l > 9 && !strcmp(e->d_name + l - 9, ".expected"))
            names[n++] = strndup(e->d_name, l - 9);
    }
    closedir(dp);
    assert_true(n >= 12);
    int failed = 0;
    for (int i = 0; i < n; i++) {
        char src[1024], ep[1024];
        make_case(names[i], src, sizeof src);
        snprintf(ep, sizeof ep, BAD_DIR "/%s.expected", names[i]);
        char *expected = tu_slurp(ep, NULL);
        assert_non_null(expected);
        pp_diags *d = pp_diags_new();
        pp_school *s = pp_import_path(src, NULL, d);
        /* messages with the temporary root written as SRC */
        size_t cap = 1 << 16, len = 0;
        char *got = calloc(cap, 1);
        for (int k = 0; k < pp_diags_count(d); k++) {
            const char *m = pp_diags_get(d, k);
            const char *r = strstr(m, tmp_root);
            char line[4096];
            if (r)
                snprintf(line, sizeof line, "%.*sSRC%s\n", (int)(r - m), m, r + strlen(tmp_root));
            else
                snprintf(line, sizeof line, "%s\n", m);
            if (len + strlen(line) + 1 < cap) {
                memcpy(got + len, line, strlen(line) + 1);
                len += strlen(line);
            }
        }
        if (s || strcmp(got, expected)) {
            print_message("case %s: %s\n--- expected\n%s--- got\n%s", names[i], s ? "imported" : "messages differ",
                          expected, got);
            failed++;
        }
        pp_school_free(s);
        pp_diags_free(d);
        free(got);
        free(expected);
        free(names[i]);
    }
    assert_int_equal(failed, 0);
}

/* The command line writes nothing when a sheet has a problem, and exits 2. */
static void cli_writes_nothing_on_error(void **state)
{
    (void)state;
    char src[512], out[1024], cmd[2048];
    base_copy("cli", src, sizeof src);
    snprintf(out, sizeof out, "%s/out.xml", tmp_root);
    remove(out);
    snprintf(cmd, sizeof cmd, "./paipian import %s -o %s >/dev/null 2>&1", src, out);
    assert_int_equal(system(cmd), 0);
    struct stat sb;
    assert_int_equal(stat(out, &sb), 0);
    remove(out);
    char p[2048];
    snprintf(p, sizeof p, "%s/学生.csv", src);
    edit(p, "s3,陈思远,c3-1,", "s3,陈思远,c3-9,");
    int rc = system(cmd);
    assert_true(WIFEXITED(rc));
    assert_int_equal(WEXITSTATUS(rc), 2);
    assert_int_not_equal(stat(out, &sb), 0);
    /* and no temporary file is left behind */
    snprintf(p, sizeof p, "%s/.out.xml.tmp", tmp_root);
    assert_int_not_equal(stat(p, &sb), 0);
}

/* Issue 5.4: the students sheet of the timetable workbook that `solve` writes,
 * put back in the folder in place of the students table, imports to the same
 * school (ids, names, classes, priority flags, stays, choices). */
static void workbook_students_sheet_round_trips(void **state)
{
    (void)state;
    char src[512], out[1024], cmd[2048], p[2048];
    base_copy("roundtrip", src, sizeof src);
    snprintf(out, sizeof out, "%s/rt-out", tmp_root);
    rm_rf(out);
    snprintf(cmd, sizeof cmd, "./paipian solve instances/tiny.xml -o %s --quiet >/dev/null 2>&1", out);
    assert_int_equal(system(cmd), 0);
    drop_table(src, "学生.csv");
    drop_table(src, "students.csv");
    char from[2048];
    snprintf(from, sizeof from, "%s/timetable.xlsx", out);
    snprintf(p, sizeof p, "%s/学生.xlsx", src);
    copy_file(from, p);
    char *want = canon_file("instances/tiny.xml");
    char *got = import_ok(src, NULL);
    assert_string_equal(got, want);
    free(got);
    free(want);
}

static int setup(void **state)
{
    (void)state;
    snprintf(tmp_root, sizeof tmp_root, "/tmp/pp_import_XXXXXX");
    return mkdtemp(tmp_root) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    rm_rf(tmp_root);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(csv_rfc4180_quotes_commas_newlines),
        cmocka_unit_test(csv_utf8_with_and_without_bom),
        cmocka_unit_test(csv_gbk_detected_and_named),
        cmocka_unit_test(sample_folder_imports_to_default_instance),
        cmocka_unit_test(base_imports_to_tiny_instance),
        cmocka_unit_test(fullwidth_colon_and_names_accepted),
        cmocka_unit_test(xlsx_workbook_imports),
        cmocka_unit_test(templates_are_written_and_read),
        cmocka_unit_test(bad_sheets_corpus),
        cmocka_unit_test(cli_writes_nothing_on_error),
        cmocka_unit_test(workbook_students_sheet_round_trips),
    };
    /* PP_TEST_SKIP=pattern skips tests (cmocka's filter), e.g. to run one part
     * under a debugger; the whole file takes about 25 s under valgrind */
    if (getenv("PP_TEST_SKIP"))
        cmocka_set_skip_filter(getenv("PP_TEST_SKIP"));
    return cmocka_run_group_tests(tests, setup, teardown);
}
