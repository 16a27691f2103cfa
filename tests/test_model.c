/* test_model.c - the shared helpers of model/: times, dates, policy defaults, validation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "model/model.h"
#include "model/plan.h"

static void hhmm_accepts_fullwidth_colon_and_rejects_25h(void **state)
{
    (void)state;
    assert_int_equal(pp_parse_hhmm("17:30"), 17 * 60 + 30);
    assert_int_equal(pp_parse_hhmm("17\xef\xbc\x9a" "30"), 17 * 60 + 30);
    assert_int_equal(pp_parse_hhmm("7:05"), 7 * 60 + 5);
    assert_int_equal(pp_parse_hhmm("25:00"), -1);
    assert_int_equal(pp_parse_hhmm("12:60"), -1);
    assert_int_equal(pp_parse_hhmm("noon"), -1);
}

static void date_parse_counts_days(void **state)
{
    (void)state;
    assert_int_equal(pp_parse_date("1970-01-01"), 0);
    assert_int_equal(pp_parse_date("2026-09-08") - pp_parse_date("2026-09-01"), 7);
    assert_int_equal(pp_parse_date("2027-02-29"), -1);
    assert_int_equal(pp_parse_date("2028-02-29") - pp_parse_date("2028-02-28"), 1);
    assert_int_equal(pp_parse_date("2026-13-01"), -1);
}

static void policy_defaults_follow_domain(void **state)
{
    (void)state;
    pp_policy p;
    pp_policy_defaults(&p);
    assert_int_equal(p.group_max, 40);
    assert_int_equal(p.class_merge_threshold, 40);
    assert_int_equal(p.qa_min, 20);
    assert_int_equal(p.course_min, 15);
    assert_int_equal(p.duty_leaders_per_day, 2);
}

static void empty_school_is_invalid(void **state)
{
    (void)state;
    pp_school *s = pp_school_new();
    pp_diags *d = pp_diags_new();
    assert_true(pp_school_validate(s, d) > 0);
    int found = 0;
    for (int i = 0; i < pp_diags_count(d); i++)
        found |= strstr(pp_diags_get(d, i), "no student") != NULL;
    assert_true(found);
    pp_diags_free(d);
    pp_school_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hhmm_accepts_fullwidth_colon_and_rejects_25h),
        cmocka_unit_test(date_parse_counts_days),
        cmocka_unit_test(policy_defaults_follow_domain),
        cmocka_unit_test(empty_school_is_invalid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
