/* test_xlsx.c - timetable.xlsx as Excel reads it: the workbook is opened as the zip
 * it is (libzip) and its sheet XML read with libxml2, so the tests see what a user's
 * Excel sees: the sheet names, the 学生 sheet header of the shared contract, totals
 * that are formulas, frozen and repeated header rows, A4 landscape, one class per
 * printed page, and the same bytes on every write. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <zip.h>

#include "io/report.h"
#include "io/xlsx.h"
#include "model/plan.h"
#include "tests/fixture.h"
#include "tests/demo_school.h"
}

/* ---- reading the workbook back ------------------------------------------------- */

typedef struct {
    char dir[64];
    char path[128];
} tmp_book;

/* Writes the demo's workbook into a fresh temporary folder. */
static void write_book(const demo *d, tmp_book *t)
{
    snprintf(t->dir, sizeof t->dir, "/tmp/pp_xlsx_XXXXXX");
    assert_non_null(mkdtemp(t->dir));
    snprintf(t->path, sizeof t->path, "%s/timetable.xlsx", t->dir);
    char err[512] = "";
    assert_int_equal(pp_xlsx_write(t->path, d->s, d->p, err, sizeof err), 0);
    assert_string_equal(err, "");
}

static void remove_book(tmp_book *t)
{
    unlink(t->path);
    rmdir(t->dir);
}

/* The bytes of one member of the zip (NUL-terminated; caller frees); NULL if absent. */
static char *zip_member(const char *path, const char *name, size_t *len)
{
    int e = 0;
    zip_t *z = zip_open(path, ZIP_RDONLY, &e);
    assert_non_null(z);
    zip_stat_t st;
    char *buf = NULL;
    if (zip_stat(z, name, 0, &st) == 0) {
        zip_file_t *f = zip_fopen(z, name, 0);
        assert_non_null(f);
        buf = malloc(st.size + 1);
        assert_non_null(buf);
        assert_int_equal(zip_fread(f, buf, st.size), (zip_int64_t)st.size);
        buf[st.size] = 0;
        zip_fclose(f);
        if (len)
            *len = st.size;
    }
    zip_close(z);
    return buf;
}

static xmlDocPtr zip_doc(const char *path, const char *name)
{
    size_t len = 0;
    char *t = zip_member(path, name, &len);
    assert_non_null(t);
    xmlDocPtr doc = xmlReadMemory(t, (int)len, name, NULL, XML_PARSE_NONET);
    free(t);
    assert_non_null(doc);
    return doc;
}

/* The nodes matching an XPath with prefix m for the spreadsheet namespace. */
static xmlXPathObjectPtr xp(xmlDocPtr doc, const char *expr)
{
    xmlXPathContextPtr c = xmlXPathNewContext(doc);
    xmlXPathRegisterNs(c, BAD_CAST "m", BAD_CAST "http://schemas.openxmlformats.org/spreadsheetml/2006/main");
    xmlXPathObjectPtr o = xmlXPathEvalExpression(BAD_CAST expr, c);
    xmlXPathFreeContext(c);
    assert_non_null(o);
    return o;
}

static int count(xmlDocPtr doc, const char *expr)
{
    xmlXPathObjectPtr o = xp(doc, expr);
    int n = o->nodesetval ? o->nodesetval->nodeNr : 0;
    xmlXPathFreeObject(o);
    return n;
}

/* The string value of an XPath expression (caller frees). */
static char *str(xmlDocPtr doc, const char *expr)
{
    char full[512];
    snprintf(full, sizeof full, "string(%s)", expr);
    xmlXPathObjectPtr o = xp(doc, full);
    char *t = strdup((const char *)o->stringval);
    xmlXPathFreeObject(o);
    return t;
}

typedef struct {
    const char *path;
    xmlDocPtr shared, sheet;
} sheet_view;

/* Opens sheet number k (1-based, the order of workbook.xml) of the workbook. */
static void open_sheet(sheet_view *v, const char *path, int k)
{
    char name[64];
    snprintf(name, sizeof name, "xl/worksheets/sheet%d.xml", k);
    v->path = path;
    v->shared = zip_doc(path, "xl/sharedStrings.xml");
    v->sheet = zip_doc(path, name);
}

static void close_sheet(sheet_view *v)
{
    xmlFreeDoc(v->shared);
    xmlFreeDoc(v->sheet);
}

/* The text shown in cell ref ("A1"): shared strings resolved; "" when empty. */
static char *cell(const sheet_view *v, const char *ref)
{
    char e[128];
    snprintf(e, sizeof e, "//m:c[@r='%s']/@t", ref);
    char *type = str(v->sheet, e);
    snprintf(e, sizeof e, "//m:c[@r='%s']/m:v", ref);
    char *val = str(v->sheet, e);
    if (strcmp(type, "s") != 0) {
        free(type);
        return val;
    }
    char si[128];
    snprintf(si, sizeof si, "/m:sst/m:si[%d]", atoi(val) + 1);
    free(type);
    free(val);
    return str(v->shared, si);
}

static void assert_cell(const sheet_view *v, const char *ref, const char *want)
{
    char *t = cell(v, ref);
    if (strcmp(t, want) != 0)
        fail_msg("cell %s is \"%s\", expected \"%s\"", ref, t, want);
    free(t);
}

static const char *col_letter(int c, char buf[4])
{
    if (c < 26)
        snprintf(buf, 4, "%c", 'A' + c);
    else
        snprintf(buf, 4, "%c%c", 'A' + c / 26 - 1, 'A' + c % 26);
    return buf;
}

/* ---- the tests -------------------------------------------------------------------- */

static const char *const sheet_names[] = { "排片表-按班级", "排片表-按场地", "排片表-按人员", "学生", "工作量" };
#define NSHEETS 5

static void workbook_has_the_five_sheets_in_order(void **state)
{
    (void)state;
    demo d;
    demo_build(&d);
    tmp_book t;
    write_book(&d, &t);
    xmlDocPtr wb = zip_doc(t.path, "xl/workbook.xml");
    assert_int_equal(count(wb, "/m:workbook/m:sheets/m:sheet"), NSHEETS);
    for (int i = 0; i < NSHEETS; i++) {
        char e[128];
        snprintf(e, sizeof e, "/m:workbook/m:sheets/m:sheet[%d]/@name", i + 1);
        char *name = str(wb, e);
        assert_string_equal(name, sheet_names[i]);
        free(name);
    }
    xmlFreeDoc(wb);
    remove_book(&t);
    demo_free(&d);
}

/* The header row follows HELPERS.md's contract: 学号 姓名 班级 重点保障, the service
 * days, 志愿1.. (at least 3, as many as the most choices), then the extra columns. */
static void student_sheet_header_follows_the_contract(void **state)
{
    (void)state;
    demo d;
    demo_build(&d);
    pp_school *s = d.s;
    pp_student *x = &s->students[d.first[0]];
    x->choices = pp_arena_alloc(s->arena, 4 * sizeof *x->choices);
    x->choices[0] = d.football;
    x->choices[1] = d.homework;
    x->choices[2] = d.noon_care;
    x->choices[3] = d.football;
    x->nchoices = 4; /* one student with 4 choices: a 志愿4 column */
    tmp_book t;
    write_book(&d, &t);
    sheet_view v;
    open_sheet(&v, t.path, 4);
    const char *want[32];
    int n = 0;
    want[n++] = "学号";
    want[n++] = "姓名";
    want[n++] = "班级";
    want[n++] = "重点保障";
    int ndays = 0;
    for (int day = 0; day < PP_DAYS; day++)
        if (s->day_mask & (1u << day)) {
            want[n++] = pp_day_name_zh(day);
            ndays++;
        }
    assert_int_equal(ndays, 5);
    const char *choice[] = { "志愿1", "志愿2", "志愿3", "志愿4" };
    for (int k = 0; k < 4; k++)
        want[n++] = choice[k];
    for (int i = 0; i < n; i++) {
        char ref[8], c[4];
        snprintf(ref, sizeof ref, "%s1", col_letter(i, c));
        assert_cell(&v, ref, want[i]);
    }
    char ref[8], c[4];
    snprintf(ref, sizeof ref, "%s1", col_letter(n, c));
    assert_cell(&v, ref, "周一安排"); /* the first extra column, which the importer ignores */
    /* row 2 is the first student in class order: 三年级1班's first, with the choices */
    assert_cell(&v, "A2", x->id);
    assert_cell(&v, "B2", x->name);
    assert_cell(&v, "C2", s->classes[x->cls].id);
    assert_cell(&v, "D2", "");
    assert_cell(&v, "E2", "午间托管、课后服务"); /* Monday: both periods, by name */
    assert_cell(&v, "F2", "课后服务");
    assert_cell(&v, "J2", "足球");
    assert_cell(&v, "K2", "作业辅导");
    assert_cell(&v, "M2", "足球");
    char *mon = cell(&v, "N2"); /* what the student was given on Monday */
    assert_non_null(strstr(mon, "作业辅导"));
    assert_non_null(strstr(mon, "张老师"));
    free(mon);
    assert_int_equal(count(v.sheet, "//m:row"), s->nstudents + 1);
    close_sheet(&v);
    remove_book(&t);
    demo_free(&d);
}

/* Priorities join with 、 in the contract's order; a choice whose name two
 * activities share is written as its id so the importer can tell them apart. */
static void student_sheet_priorities_and_ambiguous_choices(void **state)
{
    (void)state;
    demo d;
    demo_build(&d);
    pp_school *s = d.s;
    pp_student *x = &s->students[d.first[0]];
    x->priority = PP_PRIO_LOW_INCOME | PP_PRIO_LEFT_BEHIND;
    x->choices = pp_arena_alloc(s->arena, sizeof *x->choices);
    x->choices[0] = d.football;
    x->nchoices = 1;
    s->activities[d.homework].name = fx_str(s, "足球"); /* now two activities are called 足球 */
    tmp_book t;
    write_book(&d, &t);
    sheet_view v;
    open_sheet(&v, t.path, 4);
    assert_cell(&v, "D2", "留守、低保");
    assert_cell(&v, "J2", "football");
    assert_cell(&v, "K2", "");
    assert_cell(&v, "L1", "志愿3"); /* three choice columns even when nobody has three */
    assert_cell(&v, "M1", "周一安排");
    close_sheet(&v);
    remove_book(&t);
    demo_free(&d);
}

/* The totals under the staff rows are SUMIF/SUM/COUNTIF formulas over those rows,
 * with the computed totals cached as their values. */
static void workload_totals_are_formulas(void **state)
{
    (void)state;
    demo d;
    demo_build(&d);
    tmp_book t;
    write_book(&d, &t);
    sheet_view v;
    open_sheet(&v, t.path, 5);
    int nstaff = d.s->nstaff;
    assert_cell(&v, "A1", "工号");
    /* staff rows 2..nstaff+1; totals: 在职, 校外, 志愿者, 全部 */
    char ref[16], e[128];
    int all_row = nstaff + 2 + PP_PAY_KINDS;
    snprintf(ref, sizeof ref, "A%d", nstaff + 2);
    assert_cell(&v, ref, "在职合计");
    snprintf(ref, sizeof ref, "A%d", all_row);
    assert_cell(&v, ref, "全部合计");
    /* sessions (E) of everyone: =SUM(E2:E<last>) */
    snprintf(e, sizeof e, "//m:c[@r='E%d']/m:f", all_row);
    char *f = str(v.sheet, e);
    char want[64];
    snprintf(want, sizeof want, "SUM(E2:E%d)", nstaff + 1);
    assert_string_equal(f, want);
    free(f);
    snprintf(e, sizeof e, "//m:c[@r='E%d']/m:f", nstaff + 2);
    f = str(v.sheet, e);
    snprintf(want, sizeof want, "SUMIF($D$2:$D$%d,\"在职\",E$2:E$%d)", nstaff + 1, nstaff + 1);
    assert_string_equal(f, want);
    free(f);
    /* every figure of the four total rows is a formula: sessions, 2 seasons, 3 money columns, and the head count */
    snprintf(e, sizeof e, "//m:row[@r>=%d and @r<=%d]/m:c[m:f]", nstaff + 2, all_row);
    assert_int_equal(count(v.sheet, e), (PP_PAY_KINDS + 1) * (1 + 1 + d.s->nseasons + 3));
    /* the cached values are the report's totals */
    pp_workload *w = pp_report_workload(d.s, d.p);
    assert_non_null(w);
    snprintf(ref, sizeof ref, "E%d", all_row);
    char *val = cell(&v, ref);
    assert_int_equal(atoi(val), w->all.sessions);
    free(val);
    snprintf(ref, sizeof ref, "%c%d", 'E' + 1 + d.s->nseasons + 2, all_row); /* subsidy */
    val = cell(&v, ref);
    assert_float_equal(atof(val), w->all.subsidy, 1e-6);
    free(val);
    pp_report_workload_free(w);
    close_sheet(&v);
    remove_book(&t);
    demo_free(&d);
}

/* Every sheet: frozen header row, A4 (paperSize 9) landscape fitted to the width,
 * gridlines printed, and its header row repeated on every printed page. */
static void every_sheet_prints_on_a4_landscape_with_frozen_repeated_headers(void **state)
{
    (void)state;
    demo d;
    demo_build(&d);
    tmp_book t;
    write_book(&d, &t);
    xmlDocPtr wb = zip_doc(t.path, "xl/workbook.xml");
    for (int k = 1; k <= NSHEETS; k++) {
        sheet_view v;
        open_sheet(&v, t.path, k);
        assert_int_equal(count(v.sheet, "//m:sheetView/m:pane[@state='frozen' and @ySplit='1']"), 1);
        assert_int_equal(count(v.sheet, "//m:pageSetup[@paperSize='9' and @orientation='landscape' and @fitToHeight='0']"), 1);
        assert_int_equal(count(v.sheet, "//m:sheetPr/m:pageSetUpPr[@fitToPage='1']"), 1);
        assert_int_equal(count(v.sheet, "//m:printOptions[@gridLines='1']"), 1);
        assert_int_equal(count(v.sheet, "//m:cols/m:col[@customWidth='1']") > 0, 1);
        assert_int_equal(count(v.sheet, "//m:row[@r='1']/m:c[@s]"), count(v.sheet, "//m:row[@r='1']/m:c"));
        close_sheet(&v);
        char e[160];
        snprintf(e, sizeof e, "//m:definedName[@name='_xlnm.Print_Titles' and @localSheetId='%d']", k - 1);
        assert_int_equal(count(wb, e), 1);
        char *titles = str(wb, e);
        assert_non_null(strstr(titles, "!$1:$1"));
        free(titles);
    }
    xmlFreeDoc(wb);
    remove_book(&t);
    demo_free(&d);
}

/* The grid sheets break the page before each class / staff member after the first,
 * so each prints on its own page; the class grid shows its groups. */
static void grids_break_the_page_per_class_and_staff(void **state)
{
    (void)state;
    demo d;
    demo_build(&d);
    tmp_book t;
    write_book(&d, &t);
    sheet_view v;
    open_sheet(&v, t.path, 1);
    assert_int_equal(count(v.sheet, "//m:rowBreaks/m:brk[@man='1']"), d.s->nclasses - 1);
    assert_cell(&v, "A1", "班级");
    assert_cell(&v, "C1", "周一");
    char *a2 = cell(&v, "A2");
    assert_non_null(strstr(a2, "三年级1班"));
    free(a2);
    close_sheet(&v);
    open_sheet(&v, t.path, 3);
    int active = 0; /* staff leading a group in the demo plan: 张老师, 李,老师, 王<教练> */
    pp_workload *w = pp_report_workload(d.s, d.p);
    for (int i = 0; i < d.s->nstaff; i++)
        active += w->staff[i].sessions > 0;
    pp_report_workload_free(w);
    assert_int_equal(active, 3);
    assert_int_equal(count(v.sheet, "//m:rowBreaks/m:brk[@man='1']"), active - 1);
    close_sheet(&v);
    remove_book(&t);
    demo_free(&d);
}

static void same_plan_gives_the_same_bytes(void **state)
{
    (void)state;
    demo d;
    demo_build(&d);
    tmp_book a, b;
    write_book(&d, &a);
    write_book(&d, &b);
    FILE *fa = fopen(a.path, "rb"), *fb = fopen(b.path, "rb");
    assert_non_null(fa);
    assert_non_null(fb);
    int ca, cb;
    long n = 0;
    do {
        ca = fgetc(fa);
        cb = fgetc(fb);
        n++;
    } while (ca == cb && ca != EOF);
    assert_int_equal(ca, cb);
    assert_true(n > 1000);
    fclose(fa);
    fclose(fb);
    char *core = zip_member(a.path, "docProps/core.xml", NULL);
    assert_non_null(strstr(core, "<dcterms:created xsi:type=\"dcterms:W3CDTF\">2026-09-01T00:00:00Z</dcterms:created>"));
    free(core);
    remove_book(&a);
    remove_book(&b);
    demo_free(&d);
}

static void unwritable_path_is_reported(void **state)
{
    (void)state;
    demo d;
    demo_build(&d);
    char err[512] = "";
    assert_int_equal(pp_xlsx_write("/nonexistent-dir/timetable.xlsx", d.s, d.p, err, sizeof err), -1);
    assert_non_null(strstr(err, "/nonexistent-dir/timetable.xlsx"));
    demo_free(&d);
}

/* ---- the command line: solve writes timetable.xlsx; --pdf without Chromium ---- */

static int run(const char *cmd)
{
    int rc = system(cmd);
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

static void cli_solve_writes_the_same_workbook_twice(void **state)
{
    (void)state;
    assert_int_equal(run("rm -rf /tmp/pp_xlsx_cli_a /tmp/pp_xlsx_cli_b"), 0);
    assert_int_equal(run("./paipian solve instances/tiny.xml -o /tmp/pp_xlsx_cli_a --quiet"), 0);
    assert_int_equal(run("./paipian solve instances/tiny.xml -o /tmp/pp_xlsx_cli_b --quiet"), 0);
    assert_int_equal(run("cmp -s /tmp/pp_xlsx_cli_a/timetable.xlsx /tmp/pp_xlsx_cli_b/timetable.xlsx"), 0);
    assert_int_equal(run("ls -a /tmp/pp_xlsx_cli_a | grep -q tmp"), 1); /* no temporary left behind */
    assert_int_equal(run("rm -rf /tmp/pp_xlsx_cli_a /tmp/pp_xlsx_cli_b"), 0);
}

/* --pdf with no Chromium on PATH: exit 1 before solving, nothing written. */
static void cli_pdf_without_chromium_exits_1_and_writes_nothing(void **state)
{
    (void)state;
    assert_int_equal(run("rm -rf /tmp/pp_xlsx_cli_pdf"), 0);
    assert_int_equal(run("PATH=/nonexistent ./paipian solve instances/tiny.xml -o /tmp/pp_xlsx_cli_pdf --quiet --pdf "
                         "2>/tmp/pp_xlsx_cli_pdf.err"),
                     1);
    assert_int_equal(run("test -e /tmp/pp_xlsx_cli_pdf"), 1);
    assert_int_equal(run("grep -q 'needs Chromium on PATH' /tmp/pp_xlsx_cli_pdf.err"), 0);
    remove("/tmp/pp_xlsx_cli_pdf.err");
}

static void cjk_characters_count_two_width_units(void **state)
{
    (void)state;
    assert_int_equal(pp_xlsx_text_width(""), 0);
    assert_int_equal(pp_xlsx_text_width("abc"), 3);
    assert_int_equal(pp_xlsx_text_width("三年级"), 6);
    assert_int_equal(pp_xlsx_text_width("三年级1班"), 9);
    assert_int_equal(pp_xlsx_text_width("17：30"), 6); /* a full-width colon is wide */
    assert_int_equal(pp_xlsx_text_width("ab\n三年级1班\nc"), 9); /* the longest line */
    assert_int_equal(pp_xlsx_text_width("夏令时 16:15-17:20"), 18);
}

int main(void)
{
    (void)capture; /* demo_school.h's stream helper: the workbook is written by path */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(workbook_has_the_five_sheets_in_order),
        cmocka_unit_test(student_sheet_header_follows_the_contract),
        cmocka_unit_test(student_sheet_priorities_and_ambiguous_choices),
        cmocka_unit_test(workload_totals_are_formulas),
        cmocka_unit_test(every_sheet_prints_on_a4_landscape_with_frozen_repeated_headers),
        cmocka_unit_test(grids_break_the_page_per_class_and_staff),
        cmocka_unit_test(same_plan_gives_the_same_bytes),
        cmocka_unit_test(unwritable_path_is_reported),
        cmocka_unit_test(cjk_characters_count_two_width_units),
        cmocka_unit_test(cli_solve_writes_the_same_workbook_twice),
        cmocka_unit_test(cli_pdf_without_chromium_exits_1_and_writes_nothing),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    xmlCleanupParser();
    return rc;
}
