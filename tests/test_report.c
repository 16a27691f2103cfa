/* test_report.c - workload figures worked out by hand, and the CSV files: BOM, CRLF,
 * quoting, Chinese headers, stable bytes, write errors. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "io/report.h"
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

static int count_lines(const char *t)
{
    int n = 0;
    for (; (t = strstr(t, "\r\n")) != NULL; t += 2)
        n++;
    return n;
}

/* 张老师: two homework groups of 65 minutes in both seasons; weeks 4 + 15.
 * term hours = 19 x 130 / 60 = 41.1667; subsidy 50/h = 2058.33; weighted x1.2 = 49.40 h. */
static void workload_of_a_teacher_by_hand(void **state)
{
    (void)state;
    demo d;
    demo_build(&d);
    pp_workload *w = pp_report_workload(d.s, d.p);
    assert_non_null(w);
    const pp_staff_load *L = &w->staff[d.t1];
    assert_int_equal(L->sessions, 2);
    assert_int_equal(L->minutes[0], 130);
    assert_int_equal(L->minutes[1], 130);
    assert_int_equal(L->load_minutes, 130);
    assert_float_equal(L->term_hours, 19 * 130 / 60.0, 1e-9);
    assert_float_equal(L->rate, 50, 1e-9);
    assert_float_equal(L->subsidy, 19 * 130 / 60.0 * 50, 1e-9);
    assert_float_equal(L->weighted[0], 156, 1e-9);
    assert_float_equal(L->term_weighted_hours, 19 * 156 / 60.0, 1e-9);
    assert_int_equal(L->over_sessions, 0);
    assert_int_equal(L->over_minutes, 0);
    assert_int_equal(L->duty_days, 2);
    pp_report_workload_free(w);
    demo_free(&d);
}

/* 李,老师: noon care 110 min in summer, 80 in winter: (4x110 + 15x80)/60 = 27.333 h.
 * The external coach has no own rate: the policy's 100/h for external staff. */
static void seasons_differ_and_rates_follow_type(void **state)
{
    (void)state;
    demo d;
    demo_build(&d);
    d.s->staff[d.k1].rate = 0;
    pp_workload *w = pp_report_workload(d.s, d.p);
    const pp_staff_load *L = &w->staff[d.t2];
    assert_int_equal(L->minutes[0], 110);
    assert_int_equal(L->minutes[1], 80);
    assert_int_equal(L->load_minutes, 110);
    assert_float_equal(L->term_hours, (4 * 110 + 15 * 80) / 60.0, 1e-9);
    assert_float_equal(L->subsidy, (4 * 110 + 15 * 80) / 60.0 * 50, 1e-9);
    const pp_staff_load *K = &w->staff[d.k1];
    assert_float_equal(K->term_hours, 19 * 65 / 60.0, 1e-9);
    assert_float_equal(K->subsidy, 19 * 65 / 60.0 * 100, 1e-9);
    assert_float_equal(K->term_weighted_hours, 19 * 65 * 1.5 / 60.0, 1e-9);
    pp_report_workload_free(w);
    /* a personal rate wins over the policy */
    d.s->staff[d.k1].rate = 120;
    w = pp_report_workload(d.s, d.p);
    assert_float_equal(w->staff[d.k1].subsidy, 19 * 65 / 60.0 * 120, 1e-9);
    pp_report_workload_free(w);
    demo_free(&d);
}

static void over_limits_are_flagged(void **state)
{
    (void)state;
    demo d;
    demo_build(&d);
    d.s->staff[d.t1].max_sessions = 1;
    d.s->staff[d.t1].max_minutes = 100;
    pp_workload *w = pp_report_workload(d.s, d.p);
    assert_int_equal(w->staff[d.t1].over_sessions, 1);
    assert_int_equal(w->staff[d.t1].over_minutes, 30);
    assert_int_equal(w->staff[d.t2].over_sessions, 0);
    pp_report_workload_free(w);
    demo_free(&d);
}

static void totals_and_fairness(void **state)
{
    (void)state;
    demo d;
    demo_build(&d);
    pp_workload *w = pp_report_workload(d.s, d.p);
    const pp_load_total *in = &w->total[PP_PAY_INHOUSE], *ex = &w->total[PP_PAY_EXTERNAL],
                        *vo = &w->total[PP_PAY_VOLUNTEER];
    assert_int_equal(in->staff, 3);
    assert_int_equal(in->active, 2);
    assert_float_equal(in->term_hours, 19 * 130 / 60.0 + (4 * 110 + 15 * 80) / 60.0, 1e-9);
    assert_float_equal(in->subsidy, 50 * (19 * 130 / 60.0 + (4 * 110 + 15 * 80) / 60.0), 1e-9);
    assert_int_equal(ex->staff, 1);
    assert_float_equal(ex->subsidy, 19 * 65 / 60.0 * 100, 1e-9);
    assert_int_equal(vo->staff, 1);
    assert_int_equal(vo->active, 0);
    assert_float_equal(vo->subsidy, 0, 1e-9);
    assert_int_equal(w->all.staff, 5);
    assert_int_equal(w->all.sessions, 4);
    /* teachers: 130, 110 and an idle 0 */
    assert_int_equal(w->fairness.n, 3);
    assert_int_equal(w->fairness.idle, 1);
    assert_int_equal(w->fairness.min, 0);
    assert_int_equal(w->fairness.max, 130);
    assert_int_equal(w->fairness.spread, 130);
    assert_float_equal(w->fairness.mean, 80, 1e-9);
    /* report order: teachers, then external, then volunteer */
    assert_int_equal(w->order[0], d.t1);
    assert_int_equal(w->order[3], d.k1);
    assert_int_equal(w->order[4], d.v1);
    pp_report_workload_free(w);
    demo_free(&d);
}

static void group_classes_text(void **state)
{
    (void)state;
    demo d;
    demo_build(&d);
    char buf[256];
    const pp_group *noon = NULL;
    for (int i = 0; i < d.p->ngroups; i++)
        if (d.p->groups[i].activity == d.noon_care)
            noon = &d.p->groups[i];
    assert_string_equal(pp_report_group_classes(d.s, noon, buf, sizeof buf), "三年级2班、四年级1班");
    /* five classes: summarised per grade */
    pp_school *s = d.s;
    int extra[3];
    for (int i = 0; i < 3; i++) {
        char id[16];
        snprintf(id, sizeof id, "c3-%d", i + 3);
        int c = fx_class(s, id, 3);
        extra[i] = fx_students(s, c, 1, P_AFTER, 1, NULL, 0);
    }
    int who[5] = { d.first[0], d.first[1], extra[0], extra[1], extra[2] };
    int g = pp_plan_add_group(d.p, s, d.homework, 0, P_NOON, -1, NULL, 0, who, 5);
    assert_string_equal(pp_report_group_classes(s, &d.p->groups[g], buf, sizeof buf), "三年级全体");
    who[4] = d.first[2];
    g = pp_plan_add_group(d.p, s, d.homework, 0, P_NOON, -1, NULL, 0, who, 5);
    assert_string_equal(pp_report_group_classes(s, &d.p->groups[g], buf, sizeof buf), "三年级4个班、四年级全体");
    /* a small buffer cuts between characters, never inside one */
    assert_string_equal(pp_report_group_classes(s, &d.p->groups[g], buf, 8), "三年");
    char t[16];
    assert_string_equal(pp_report_period_time(s, P_AFTER, 1, t), "15:45-16:50");
    demo_free(&d);
}

static void timetable_csv_bom_crlf_quoting(void **state)
{
    (void)state;
    demo d;
    demo_build(&d);
    size_t len;
    char *t = capture(pp_report_timetable_csv, &d, &len);
    assert_memory_equal(t, "\xEF\xBB\xBF", 3);
    const char *head = "星期,时段,夏令时时间,冬令时时间,活动内容,类别,形式,场地,负责人员,年级/班级,人数\r\n";
    assert_int_equal(strncmp(t + 3, head, strlen(head)), 0);
    assert_int_equal(count_lines(t), 1 + d.p->ngroups);
    for (const char *c = t; (c = strchr(c, '\n')) != NULL; c++)
        assert_true(c > t && c[-1] == '\r'); /* every line ends CRLF */
    assert_non_null(strstr(t, ",\"李,老师\","));
    assert_non_null(strstr(t, "周一,午间托管,12:10-14:00,12:10-13:30,午间托管,托管,跨年级并班,"));
    assert_non_null(strstr(t, "周三,课后服务,16:15-17:20,15:45-16:50,足球,社团/体质健康,走班,操场,王<教练>,"
                              "三年级1班、四年级1班,3\r\n"));
    /* rows come in pp_plan_sort order although the plan was built Wed first */
    assert_true(strstr(t, "周一,午间托管") < strstr(t, "周一,课后服务"));
    assert_true(strstr(t, "周二,课后服务") < strstr(t, "周三,课后服务"));
    free(t);
    demo_free(&d);
}

static void csv_bytes_are_stable(void **state)
{
    (void)state;
    demo d;
    demo_build(&d);
    int (*writers[])(FILE *, const pp_school *, const pp_plan *) = { pp_report_timetable_csv, pp_report_students_csv,
                                                                     pp_report_workload_csv };
    for (size_t i = 0; i < 3; i++) {
        size_t n1, n2;
        char *a = capture(writers[i], &d, &n1);
        pp_plan_sort(d.p, d.s); /* a different group order in memory must not show */
        char *b = capture(writers[i], &d, &n2);
        assert_int_equal(n1, n2);
        assert_memory_equal(a, b, n1);
        free(a);
        free(b);
    }
    demo_free(&d);
}

static void students_csv_rows(void **state)
{
    (void)state;
    demo d;
    demo_build(&d);
    size_t len;
    char *t = capture(pp_report_students_csv, &d, &len);
    assert_memory_equal(t, "\xEF\xBB\xBF", 3);
    assert_non_null(strstr(t, "学号,姓名,班级,星期,时段,夏令时时间,冬令时时间,活动,场地,负责人员,说明\r\n"));
    int stays = 0;
    for (int i = 0; i < d.s->nstudents; i++)
        for (int k = 0; k < PP_DAYS; k++)
            stays += __builtin_popcount(d.s->students[i].stay[k]);
    assert_int_equal(count_lines(t), 1 + stays);
    char want[256];
    snprintf(want, sizeof want, "%s,%s,三年级2班,周二,午间托管,12:10-14:00,12:10-13:30,未安排,,,no free staff for 午间托管 (short 1)\r\n",
             d.s->students[d.first[1]].id, d.s->students[d.first[1]].name);
    assert_non_null(strstr(t, want));
    snprintf(want, sizeof want, "%s,%s,三年级1班,周三,课后服务,16:15-17:20,15:45-16:50,足球,操场,王<教练>,\r\n",
             d.s->students[d.first[0]].id, d.s->students[d.first[0]].name);
    assert_non_null(strstr(t, want));
    free(t);
    demo_free(&d);
}

static void workload_csv_rows(void **state)
{
    (void)state;
    demo d;
    demo_build(&d);
    d.s->staff[d.t1].max_sessions = 1;
    size_t len;
    char *t = capture(pp_report_workload_csv, &d, &len);
    assert_memory_equal(t, "\xEF\xBB\xBF", 3);
    assert_non_null(strstr(t, "工号,姓名,类型,每周节数,夏令时每周分钟,冬令时每周分钟,学期课时,"));
    assert_non_null(strstr(t, "\r\nt1,张老师,在职教师,2,130,130,41.17,49.40,2058.33,1,0,2\r\n"));
    assert_non_null(strstr(t, "\r\nt2,\"李,老师\",在职教师,1,110,80,27.33,"));
    assert_non_null(strstr(t, "\r\nv1,\"志愿者\"\"小周\"\"\",志愿者,0,0,0,0.00,0.00,0.00,0,0,0\r\n"));
    assert_non_null(strstr(t, "\r\n在职合计,3人（有安排2人）,,3,240,210,68.50,"));
    assert_non_null(strstr(t, "\r\n校外合计,1人（有安排1人）,,1,65,65,20.58,30.88,2058.33\r\n"));
    assert_non_null(strstr(t, "\r\n极差,130\r\n"));
    assert_non_null(strstr(t, "\r\n平均,80.0\r\n"));
    free(t);
    demo_free(&d);
}

static void empty_plan_gives_headers_and_zero_totals(void **state)
{
    (void)state;
    demo d;
    demo_build(&d);
    pp_plan_free(d.p);
    d.p = pp_plan_new();
    size_t len;
    char *t = capture(pp_report_timetable_csv, &d, &len);
    assert_int_equal(count_lines(t), 1);
    free(t);
    t = capture(pp_report_workload_csv, &d, &len);
    assert_non_null(strstr(t, "\r\n全部合计,5人（有安排0人）,,0,0,0,0.00,0.00,0.00\r\n"));
    free(t);
    t = capture(pp_report_students_csv, &d, &len);
    assert_non_null(strstr(t, ",未安排,,,\r\n")); /* staying, no group, no recorded reason */
    free(t);
    demo_free(&d);
}

static void write_error_is_reported(void **state)
{
    (void)state;
    demo d;
    demo_build(&d);
    FILE *f = fopen("/dev/full", "w");
    if (!f) {
        demo_free(&d);
        skip();
    }
    assert_int_equal(pp_report_timetable_csv(f, d.s, d.p), -1);
    fclose(f);
    demo_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(workload_of_a_teacher_by_hand),
        cmocka_unit_test(seasons_differ_and_rates_follow_type),
        cmocka_unit_test(over_limits_are_flagged),
        cmocka_unit_test(totals_and_fairness),
        cmocka_unit_test(group_classes_text),
        cmocka_unit_test(timetable_csv_bom_crlf_quoting),
        cmocka_unit_test(csv_bytes_are_stable),
        cmocka_unit_test(students_csv_rows),
        cmocka_unit_test(workload_csv_rows),
        cmocka_unit_test(empty_plan_gives_headers_and_zero_totals),
        cmocka_unit_test(write_error_is_reported),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
