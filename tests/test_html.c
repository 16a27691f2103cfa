/* test_html.c - the printable pages: self-contained, every class and staff member
 * present with both seasons' times, text escaped, stable bytes, write errors.
 * With PP_HTML_DUMP=DIR set, the demo pages are also written to DIR for a look. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "io/html.h"
#include "model/plan.h"
#include "tests/fixture.h"

/* ---- the demo school and plan (same in test_report.c and test_html.c) ----------
 * Two seasons: 夏令时 4 weeks, 冬令时 15 weeks.  noon: 12:10-14:00 / 12:10-13:30
 * (110 / 80 minutes); after: 16:15-17:20 / 15:45-16:50 (65 / 65 minutes).
 * Plan: 张老师 leads homework of 三年级1班 Mon and Tue after school; 王<教练>
 * (external) leads football Wed; 李,老师 leads a cross-grade noon care Mon; one
 * student is unserved Tue noon; duty: Mon 张老师 李,老师, Tue 张老师. */
#include "tests/demo_school.h"
}
/* ---- end of the demo school -------------------------------------------------------- */

static void dump(const char *name, const char *t, size_t len)
{
    const char *dir = getenv("PP_HTML_DUMP");
    if (!dir)
        return;
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (f) {
        fwrite(t, 1, len, f);
        fclose(f);
    }
}

static int occurrences(const char *t, const char *what)
{
    int n = 0;
    for (; (t = strstr(t, what)) != NULL; t += strlen(what))
        n++;
    return n;
}

static void timetable_is_one_self_contained_page(void **state)
{
    (void)state;
    demo d;
    demo_build(&d);
    size_t len;
    char *t = capture(pp_html_timetable, &d, &len);
    dump("timetable.html", t, len);
    assert_int_equal(strncmp(t, "<!DOCTYPE html>", 15), 0);
    assert_non_null(strstr(t, "<html lang=\"zh-CN\">"));
    assert_non_null(strstr(t, "<meta charset=\"utf-8\">"));
    assert_non_null(strstr(t, "\"Noto Sans CJK SC\""));
    assert_non_null(strstr(t, "@page{size:A4 landscape;margin:10mm}"));
    assert_non_null(strstr(t, "thead{display:table-header-group}"));
    assert_non_null(strstr(t, "break-inside:avoid"));
    assert_non_null(strstr(t, "break-before:page"));
    assert_null(strstr(t, "<script"));
    assert_null(strstr(t, "http://"));
    assert_null(strstr(t, "https://"));
    assert_null(strstr(t, "<link"));
    assert_non_null(strstr(t, "</html>\n"));
    free(t);
    demo_free(&d);
}

static void timetable_shows_classes_staff_times(void **state)
{
    (void)state;
    demo d;
    demo_build(&d);
    size_t len;
    char *t = capture(pp_html_timetable, &d, &len);
    assert_non_null(strstr(t, "测试小学 课后服务排片表"));
    for (int c = 0; c < d.s->nclasses; c++)
        assert_non_null(strstr(t, d.s->classes[c].name));
    assert_non_null(strstr(t, "张老师"));
    assert_non_null(strstr(t, "李,老师"));
    assert_non_null(strstr(t, "赵老师"));
    assert_non_null(strstr(t, "王&lt;教练&gt;"));
    assert_non_null(strstr(t, "志愿者&quot;小周&quot;"));
    assert_null(strstr(t, "王<教练>"));
    for (const char *w = "夏令时 <span class=\"hm\">12:10-14:00</span>\0冬令时 <span class=\"hm\">12:10-13:30</span>\0夏令时 <span class=\"hm\">16:15-17:20</span>\0冬令时 <span class=\"hm\">15:45-16:50</span>\0"; *w;
         w += strlen(w) + 1)
        assert_non_null(strstr(t, w));
    /* the sections and what the header says about the solve */
    for (const char *w = "id=\"by-class\"\0id=\"by-venue\"\0id=\"by-staff\"\0id=\"workload\"\0id=\"unserved\"\0"
                         "id=\"duty\"\0目标值 1234.50 · 下界 1200.00 · 差距 2.79%\0部分\0";
         *w; w += strlen(w) + 1)
        assert_non_null(strstr(t, w));
    /* 三年级1班 sees its own football player as 1 of 3, the merged noon group as 3 of 6 */
    assert_non_null(strstr(t, "<b>足球</b> <span class=\"n\">本班1人/共3人</span>"));
    assert_non_null(strstr(t, "<b>午间托管</b> <span class=\"n\">本班3人/共6人</span>"));
    assert_non_null(strstr(t, "跨年级并班"));
    assert_non_null(strstr(t, "no free staff for 午间托管 (short 1)"));
    assert_non_null(strstr(t, "<div class=\"un\">未安排1人</div>"));
    /* the duty table: Mon both, Tue 张老师 */
    assert_non_null(strstr(t, "<tr><td>周一</td><td>张老师、李,老师</td></tr>"));
    assert_non_null(strstr(t, "<tr><td>周二</td><td>张老师</td></tr>"));
    /* one block per class and per staff member with groups; the idle ones are listed */
    assert_int_equal(occurrences(t, "<div class=\"blk\" id=\"c"), d.s->nclasses);
    assert_int_equal(occurrences(t, "<div class=\"blk\" id=\"s"), 3);
    assert_non_null(strstr(t, "本周无服务安排的人员（2）：赵老师、志愿者&quot;小周&quot;"));
    free(t);
    demo_free(&d);
}

static void no_unserved_section_when_all_served(void **state)
{
    (void)state;
    demo d;
    demo_build(&d);
    d.p->nunserved = 0;
    d.p->stats.status = PP_STATUS_OPTIMAL;
    size_t len;
    char *t = capture(pp_html_timetable, &d, &len);
    assert_null(strstr(t, "id=\"unserved\""));
    assert_non_null(strstr(t, "最优"));
    free(t);
    demo_free(&d);
}

static void html_bytes_are_stable(void **state)
{
    (void)state;
    demo d;
    demo_build(&d);
    int (*writers[])(FILE *, const pp_school *, const pp_plan *) = { pp_html_timetable, pp_html_students };
    for (size_t i = 0; i < 2; i++) {
        size_t n1, n2;
        char *a = capture(writers[i], &d, &n1);
        pp_plan_sort(d.p, d.s);
        char *b = capture(writers[i], &d, &n2);
        assert_int_equal(n1, n2);
        assert_memory_equal(a, b, n1);
        free(a);
        free(b);
    }
    demo_free(&d);
}

static void students_page_is_a_notice_per_student(void **state)
{
    (void)state;
    demo d;
    demo_build(&d);
    size_t len;
    char *t = capture(pp_html_students, &d, &len);
    dump("students.html", t, len);
    assert_non_null(strstr(t, "<html lang=\"zh-CN\">"));
    assert_non_null(strstr(t, "@page{size:A4 portrait;margin:10mm}"));
    assert_null(strstr(t, "<script"));
    assert_int_equal(occurrences(t, "<div class=\"card\">"), d.s->nstudents);
    for (int i = 0; i < d.s->nstudents; i++)
        assert_non_null(strstr(t, d.s->students[i].name));
    for (int c = 0; c < d.s->nclasses; c++)
        assert_non_null(strstr(t, d.s->classes[c].name));
    /* the student's week: both seasons' times in the row head, Wednesday's football cell */
    assert_non_null(strstr(t, "<th class=\"per\"><b>课后服务</b><span class=\"t\">夏令时 <span class=\"hm\">16:15-17:20</span></span>"
                              "<span class=\"t\">冬令时 <span class=\"hm\">15:45-16:50</span></span></th>"));
    assert_non_null(strstr(t, "<td><div class=\"g k3\"><b>足球</b><span class=\"d\">操场</span><span class=\"d\">王&lt;教练&gt;</span></div></td>"));
    assert_non_null(strstr(t, "<span class=\"un\">未安排</span> 周二 午间托管：no free staff for 午间托管 (short 1)"));
    free(t);
    demo_free(&d);
}

/* A school before any solve: every page still writes, saying there is no plan. */
static void empty_plan_still_writes(void **state)
{
    (void)state;
    demo d;
    demo_build(&d);
    pp_plan_free(d.p);
    d.p = pp_plan_new();
    size_t len;
    char *t = capture(pp_html_timetable, &d, &len);
    assert_non_null(strstr(t, "求解状态：无方案"));
    assert_null(strstr(t, "目标值"));
    assert_non_null(strstr(t, "未安排值日领导"));
    free(t);
    t = capture(pp_html_students, &d, &len);
    assert_non_null(strstr(t, "未安排"));
    free(t);
    demo_free(&d);
}

static void html_write_error_is_reported(void **state)
{
    (void)state;
    demo d;
    demo_build(&d);
    FILE *f = fopen("/dev/full", "w");
    if (!f) {
        demo_free(&d);
        skip();
    }
    assert_int_equal(pp_html_timetable(f, d.s, d.p), -1);
    clearerr(f);
    assert_int_equal(pp_html_students(f, d.s, d.p), -1);
    fclose(f);
    demo_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(timetable_is_one_self_contained_page),
        cmocka_unit_test(timetable_shows_classes_staff_times),
        cmocka_unit_test(no_unserved_section_when_all_served),
        cmocka_unit_test(html_bytes_are_stable),
        cmocka_unit_test(students_page_is_a_notice_per_student),
        cmocka_unit_test(empty_plan_still_writes),
        cmocka_unit_test(html_write_error_is_reported),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
