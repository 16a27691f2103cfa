/* test_explain.c - explained infeasibility (solver/explain.h) on three small
 * schools under tests/data/explain/, each solved in-process and by the command
 * line:
 *   football_one_field.xml     90 students want football, one field on Wednesday:
 *                              3 groups wanted, 1 can run, venue type field short
 *                              by 2; exit 0 (the 50 others are in care).
 *   noon_friday_one_teacher    two grades of 30 at noon that may not merge, one
 *                              teacher available on Friday: a grade without a
 *                              group, care-capable staff short by 1; exit 3.
 *   coach_unavailable.xml      the wushu club's only coach cannot come on Friday,
 *                              its only day: speciality wushu short by 1; exit 0.
 *   one_classroom_two_classes  two classes of 40 at homework, one classroom:
 *                              classrooms short by 1; exit 3.
 * Run from the repository root (make test does). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "io/school_xml.h"
#include "solver/explain.h"
#include "solver/solve.h"

#define DATA "tests/data/explain/"
#define OUT "/tmp/pp_explain_test"

typedef struct {
    pp_school *s;
    pp_plan *p;
} solved;

static solved solve_file(const char *path)
{
    pp_diags *d = pp_diags_new();
    solved r = { pp_xml_load_school(path, d), NULL };
    for (int i = 0; i < pp_diags_count(d); i++)
        print_message("  %s\n", pp_diags_get(d, i));
    assert_non_null(r.s);
    pp_solve_params prm;
    pp_solve_params_init(&prm);
    prm.quiet = 1;
    prm.time_limit = 20;
    assert_int_equal(pp_solve(r.s, &prm, &r.p, d), PP_SOLVE_OK);
    assert_true(pp_explain_plan(r.s, r.p) >= 0);
    for (int i = 0; i < r.p->nshortages; i++)
        print_message("  %s\n", r.p->shortages[i].text);
    pp_diags_free(d);
    return r;
}

static void solved_free(solved *r)
{
    pp_plan_free(r->p);
    pp_school_free(r->s);
}

static int venue_type(const pp_school *s, const char *name)
{
    for (int i = 0; i < s->nvenue_types; i++)
        if (!strcmp(s->venue_types[i], name))
            return i;
    return -2;
}

static int speciality(const pp_school *s, const char *name)
{
    for (int i = 0; i < s->nspecialities; i++)
        if (!strcmp(s->specialities[i], name))
            return i;
    return -2;
}

/* Exit code of `paipian solve path`; the shortage text must be in OUT/stats.txt. */
static int cli_solve(const char *path, const char *expect_in_stats)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf " OUT " && ./paipian solve %s -o " OUT " --quiet 2>/dev/null >/dev/null", path);
    int rc = system(cmd);
    assert_true(WIFEXITED(rc));
    FILE *f = fopen(OUT "/stats.txt", "r");
    assert_non_null(f);
    char line[4096];
    int found = 0;
    while (fgets(line, sizeof line, f))
        found |= strncmp(line, "shortage=", 9) == 0 && strstr(line, expect_in_stats) != NULL;
    fclose(f);
    assert_true(found);
    snprintf(cmd, sizeof cmd, OUT "/timetable.html");
    f = fopen(cmd, "r");
    assert_non_null(f);
    found = 0;
    while (fgets(line, sizeof line, f))
        found |= strstr(line, "id=\"shortages\"") != NULL;
    fclose(f);
    assert_true(found);
    assert_int_equal(system("rm -rf " OUT), 0);
    return WEXITSTATUS(rc);
}

static void three_football_groups_one_field_on_wednesday(void **state)
{
    (void)state;
    solved r = solve_file(DATA "football_one_field.xml");
    assert_int_equal(r.p->nunserved, 0);
    assert_int_equal(r.p->nshortages, 1);
    const pp_shortage *sh = &r.p->shortages[0];
    assert_int_equal(sh->kind, PP_SHORT_VENUE);
    assert_int_equal(sh->activity, pp_school_find_activity(r.s, "football"));
    assert_int_equal(sh->resource, venue_type(r.s, "field"));
    assert_int_equal(sh->day, 2); /* Wed */
    assert_int_equal(sh->period, pp_school_find_period(r.s, "after"));
    assert_int_equal(sh->wanted, 3);
    assert_int_equal(sh->available, 1);
    assert_int_equal(sh->students, 50);
    assert_int_equal(sh->no_choice, 50);
    assert_non_null(strstr(sh->text, "3 groups wanted for 90 students, 1 can run (Wed 课后服务: 1 venue of type field free); short 2 groups"));
    assert_false(pp_explain_partial(r.p));
    solved_free(&r);
    assert_int_equal(cli_solve(DATA "football_one_field.xml", "short 2 groups"), 0);
}

static void a_grade_without_a_teacher_at_noon_on_friday(void **state)
{
    (void)state;
    solved r = solve_file(DATA "noon_friday_one_teacher.xml");
    int noon = pp_school_find_period(r.s, "noon");
    assert_int_equal(r.p->nunserved, 30);
    for (int i = 0; i < r.p->nunserved; i++) {
        assert_int_equal(r.p->unserved[i].day, 4);
        assert_int_equal(r.p->unserved[i].period, noon);
    }
    assert_int_equal(r.p->nshortages, 1);
    const pp_shortage *sh = &r.p->shortages[0];
    assert_int_equal(sh->kind, PP_SHORT_STAFF);
    assert_int_equal(sh->resource, -1); /* any care-capable staff */
    assert_int_equal(sh->activity, pp_school_find_activity(r.s, "noon-care"));
    assert_int_equal(sh->day, 4); /* Fri */
    assert_int_equal(sh->period, noon);
    assert_int_equal(sh->wanted, 1);
    assert_int_equal(sh->available, 0);
    assert_int_equal(sh->students, 30);
    assert_non_null(strstr(sh->text, "on Fri 午间托管: 30 students without a group, 1 group wanted; 0 care-capable staff free "
                                     "(available but leading other groups: 1; at their weekly limit: 0)"));
    assert_true(pp_explain_partial(r.p));
    solved_free(&r);
    assert_int_equal(cli_solve(DATA "noon_friday_one_teacher.xml", "short 1 group of care-capable staff"), 3);
}

static void the_only_coach_cannot_come_on_the_club_day(void **state)
{
    (void)state;
    solved r = solve_file(DATA "coach_unavailable.xml");
    assert_int_equal(r.p->nunserved, 0);
    assert_int_equal(r.p->nshortages, 1);
    const pp_shortage *sh = &r.p->shortages[0];
    assert_int_equal(sh->kind, PP_SHORT_STAFF);
    assert_int_equal(sh->resource, speciality(r.s, "wushu"));
    assert_int_equal(sh->activity, pp_school_find_activity(r.s, "wushu"));
    assert_int_equal(sh->day, 4);
    assert_int_equal(sh->wanted, 1);
    assert_int_equal(sh->available, 0);
    assert_int_equal(sh->no_choice, 20);
    assert_non_null(strstr(sh->text, "0 staff with speciality wushu free); short 1 group: 20 students got none of their choices"));
    solved_free(&r);
    assert_int_equal(cli_solve(DATA "coach_unavailable.xml", "speciality wushu"), 0);
}

static void two_classes_one_classroom(void **state)
{
    (void)state;
    solved r = solve_file(DATA "one_classroom_two_classes.xml");
    assert_int_equal(r.p->nunserved, 40);
    assert_int_equal(r.p->nshortages, 1);
    const pp_shortage *sh = &r.p->shortages[0];
    assert_int_equal(sh->kind, PP_SHORT_VENUE);
    assert_int_equal(sh->resource, -1); /* the home classrooms' type */
    assert_int_equal(sh->day, 1);       /* Tue */
    assert_int_equal(sh->wanted, 1);
    assert_int_equal(sh->available, 0);
    assert_int_equal(sh->students, 40);
    assert_non_null(strstr(sh->text, "2 care-capable staff free"));
    assert_non_null(strstr(sh->text, "0 classrooms free; short 1 group of classrooms"));
    solved_free(&r);
    assert_int_equal(cli_solve(DATA "one_classroom_two_classes.xml", "short 1 group of classrooms"), 3);
}

/* A school with enough of everything has nothing to explain. */
static void enough_of_everything_gives_no_shortage(void **state)
{
    (void)state;
    solved r = solve_file("instances/tiny.xml");
    assert_int_equal(r.p->nshortages, 0);
    assert_false(pp_explain_partial(r.p));
    /* explaining twice replaces, never appends */
    assert_int_equal(pp_explain_plan(r.s, r.p), 0);
    solved_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(three_football_groups_one_field_on_wednesday),
        cmocka_unit_test(a_grade_without_a_teacher_at_noon_on_friday),
        cmocka_unit_test(the_only_coach_cannot_come_on_the_club_day),
        cmocka_unit_test(two_classes_one_classroom),
        cmocka_unit_test(enough_of_everything_gives_no_shortage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
