/* demo_school.h - the demo school and plan shared by test_report.c and test_html.c
 * (header-only, static functions, so each test binary stays one .c file). */
#ifndef PP_TEST_DEMO_SCHOOL_H
#define PP_TEST_DEMO_SCHOOL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/plan.h"
#include "tests/fixture.h"

enum { P_NOON, P_AFTER };
typedef struct {
    pp_school *s;
    pp_plan *p;
    int noon_care, homework, football;
    int c31, c32, c41;
    int t1, t2, t3, k1, v1;
    int first[3]; /* first student of each class; 3 students each */
} demo;

static void demo_window(pp_school *s, int period, int season, const char *a, const char *b)
{
    s->periods[period].start_min[season] = pp_parse_hhmm(a);
    s->periods[period].end_min[season] = pp_parse_hhmm(b);
}

static int demo_named_class(pp_school *s, const char *id, const char *name, int grade)
{
    int c = fx_class(s, id, grade);
    s->classes[c].name = fx_str(s, name);
    return c;
}

static int demo_named_staff(pp_school *s, const char *id, const char *name, pp_staff_type type, const char *spec)
{
    int k = fx_staff(s, id, type, spec, 10);
    s->staff[k].name = fx_str(s, name);
    s->staff[k].max_minutes = 600;
    return k;
}

static void demo_build(demo *d)
{
    memset(d, 0, sizeof *d);
    pp_school *s = d->s = fx_school();
    s->seasons[1] = (pp_season){ fx_str(s, "winter"), fx_str(s, "冬令时"), pp_parse_date("2026-10-01"),
                                 pp_parse_date("2027-01-14"), 15, 0 };
    s->nseasons = 2;
    fx_grade(s, 3);
    fx_grade(s, 4);
    s->grades[0].name = fx_str(s, "三年级");
    s->grades[1].name = fx_str(s, "四年级");
    d->c31 = demo_named_class(s, "c3-1", "三年级1班", 3);
    d->c32 = demo_named_class(s, "c3-2", "三年级2班", 3);
    d->c41 = demo_named_class(s, "c4-1", "四年级1班", 4);
    fx_venue(s, "field", "field", 60);
    s->venues[s->nvenues - 1].name = fx_str(s, "操场");
    d->noon_care = fx_care(s, "noon-care", PP_ACT_CARE, PP_TIER_GRADE, 40);
    s->activities[d->noon_care].name = fx_str(s, "午间托管");
    d->homework = fx_care(s, "homework", PP_ACT_HOMEWORK, PP_TIER_CLASS, 20);
    s->activities[d->homework].name = fx_str(s, "作业辅导");
    fx_period(s, "noon", PP_PERIOD_NOON, 0x1f, 0, 1, d->noon_care);
    fx_period(s, "after", PP_PERIOD_AFTER, 0x1f, 0, 1, d->homework);
    s->periods[P_NOON].name = fx_str(s, "午间托管");
    s->periods[P_AFTER].name = fx_str(s, "课后服务");
    demo_window(s, P_NOON, 0, "12:10", "14:00");
    demo_window(s, P_NOON, 1, "12:10", "13:30");
    demo_window(s, P_AFTER, 0, "16:15", "17:20");
    demo_window(s, P_AFTER, 1, "15:45", "16:50");
    d->football = fx_club(s, "football", 2, P_AFTER, 1, 30, "field", "football");
    s->activities[d->football].name = fx_str(s, "足球");
    s->activities[d->football].category = fx_str(s, "体质健康");
    d->t1 = demo_named_staff(s, "t1", "张老师", PP_STAFF_TEACHER, "");
    d->t2 = demo_named_staff(s, "t2", "李,老师", PP_STAFF_TEACHER, "");
    d->t3 = demo_named_staff(s, "t3", "赵老师", PP_STAFF_TEACHER, "");
    d->k1 = demo_named_staff(s, "k1", "王<教练>", PP_STAFF_EXTERNAL, "football");
    d->v1 = demo_named_staff(s, "v1", "志愿者\"小周\"", PP_STAFF_VOLUNTEER, "");
    int classes[3] = { d->c31, d->c32, d->c41 };
    for (int i = 0; i < 3; i++) {
        d->first[i] = fx_students(s, classes[i], 3, P_AFTER, 0x1f, NULL, 0);
        for (int k = 0; k < 3; k++)
            s->students[d->first[i] + k].stay[0] |= 1u << P_NOON;
    }
    s->students[d->first[1]].stay[1] |= 1u << P_NOON; /* the one left unserved */
    pp_diags *dg = pp_diags_new();
    int problems = pp_school_validate(s, dg);
    if (problems)
        pp_diags_print(dg, stderr);
    assert_int_equal(problems, 0);
    pp_diags_free(dg);

    pp_plan *p = d->p = pp_plan_new();
    int a31[3] = { d->first[0], d->first[0] + 1, d->first[0] + 2 };
    int noon[6] = { d->first[1], d->first[1] + 1, d->first[1] + 2, d->first[2], d->first[2] + 1, d->first[2] + 2 };
    int ball[3] = { d->first[0], d->first[2], d->first[2] + 1 };
    assert_true(pp_plan_add_group(p, s, d->football, 2, P_AFTER, s->nvenues - 1, &d->k1, 1, ball, 3) >= 0);
    assert_true(pp_plan_add_group(p, s, d->homework, 0, P_AFTER, s->classes[d->c31].room, &d->t1, 1, a31, 3) >= 0);
    assert_true(pp_plan_add_group(p, s, d->homework, 1, P_AFTER, s->classes[d->c31].room, &d->t1, 1, a31, 3) >= 0);
    assert_true(pp_plan_add_group(p, s, d->noon_care, 0, P_NOON, s->classes[d->c32].room, &d->t2, 1, noon, 6) >= 0);
    assert_int_equal(pp_plan_add_unserved(p, d->first[1], 1, P_NOON, "no free staff for 午间托管 (short 1)"), 0);
    int mon[2] = { d->t1, d->t2 };
    assert_int_equal(pp_plan_set_duty(p, 0, mon, 2), 0);
    assert_int_equal(pp_plan_set_duty(p, 1, &d->t1, 1), 0);
    p->stats.status = PP_STATUS_PARTIAL;
    p->stats.objective = 1234.5;
    p->stats.bound = 1200;
    p->stats.gap = (1234.5 - 1200) / 1234.5;
}

static void demo_free(demo *d)
{
    pp_plan_free(d->p);
    pp_school_free(d->s);
}

/* Runs a writer into memory; returns the bytes (caller frees) and their length. */
static char *capture(int (*w)(FILE *, const pp_school *, const pp_plan *), const demo *d, size_t *len)
{
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);
    assert_non_null(f);
    assert_int_equal(w(f, d->s, d->p), 0);
    assert_int_equal(fclose(f), 0);
    return buf;

#endif
