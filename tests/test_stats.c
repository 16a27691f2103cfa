/* test_stats.c - what stats.txt says about a run, for the benchmark: the peak
 * memory of each process of a solve (the parent, GLPK's search process, the
 * fix-and-optimise helper) and their sum, and when the integer program's gap was
 * first reported at most 1% and at its final value.  Through the command line,
 * as bench/run.sh reads them. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util.h"

/* seed000 (3,462 columns) is large enough for the search and the helper to run
 * in processes of their own (solver/clubs.c, PP_PRESOLVE_MIN_COLS) and solves
 * in seconds; tiny.xml is solved in the parent alone. */
#define LARGE "instances/seed000.xml"
#define SMALL "instances/tiny.xml"

typedef struct {
    char dir[64];
    char *large, *small; /* stats.txt of each */
} runs;

static int solve(const char *school, const char *out)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "./paipian solve %s -o %s --quiet --time-limit 60 > /dev/null 2>&1", school, out);
    int rc = system(cmd);
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

static int setup(void **state)
{
    runs *r = calloc(1, sizeof *r);
    if (!r)
        return -1;
    snprintf(r->dir, sizeof r->dir, "/tmp/pp_stats_XXXXXX");
    if (!mkdtemp(r->dir))
        return -1;
    char out[128], path[160];
    snprintf(out, sizeof out, "%s/large", r->dir);
    if (solve(LARGE, out) != 0)
        return -1;
    snprintf(path, sizeof path, "%s/stats.txt", out);
    r->large = tu_slurp(path, NULL);
    snprintf(out, sizeof out, "%s/small", r->dir);
    if (solve(SMALL, out) != 0)
        return -1;
    snprintf(path, sizeof path, "%s/stats.txt", out);
    r->small = tu_slurp(path, NULL);
    *state = r;
    return r->large && r->small ? 0 : -1;
}

static int teardown(void **state)
{
    runs *r = *state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", r->dir);
    int rc = system(cmd);
    free(r->large);
    free(r->small);
    free(r);
    return rc == 0 ? 0 : -1;
}

/* The number after "key=" at the start of a line; NAN when absent or empty. */
static double stat(const char *stats, const char *key)
{
    size_t k = strlen(key);
    for (const char *p = stats; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
        if (!strncmp(p, key, k) && p[k] == '=') {
            char *end;
            double v = strtod(p + k + 1, &end);
            return end == p + k + 1 ? NAN : v;
        }
    return NAN;
}

static void stats_report_the_peak_of_each_helper_process_and_the_sum(void **state)
{
    const char *s = ((runs *)*state)->large;
    double parent = stat(s, "peak_rss_parent_mib"), search = stat(s, "peak_rss_search_mib"),
           helper = stat(s, "peak_rss_helper_mib"), sum = stat(s, "peak_rss_sum_mib");
    assert_true(parent > 0);
    assert_true(search > 0);
    assert_true(helper > 0);
    assert_true(fabs(sum - (parent + search + helper)) <= 0.15); /* each rounded to 0.1 */
}

/* A small program is searched in the solve's own process (the plan helper beside
 * it still runs): no search process is counted, the sum is the parent and the
 * helper. */
static void stats_of_a_small_solve_count_no_search_process(void **state)
{
    const char *s = ((runs *)*state)->small;
    double parent = stat(s, "peak_rss_parent_mib"), helper = stat(s, "peak_rss_helper_mib");
    assert_true(parent > 0);
    assert_true(stat(s, "peak_rss_search_mib") == 0);
    assert_true(fabs(stat(s, "peak_rss_sum_mib") - parent - helper) <= 0.15);
}

/* The program's gap is reported at most 1% no later than at its final value (at
 * most 1% here), and both within the solve. */
static void stats_time_to_1pct_and_to_the_final_gap_lie_within_the_solve(void **state)
{
    const char *s = ((runs *)*state)->large;
    double obj = stat(s, "ip_objective"), bound = stat(s, "ip_bound");
    assert_true((obj - bound) / fabs(obj) <= 0.01);
    double t1 = stat(s, "time_to_1pct_s"), tf = stat(s, "time_to_final_s"), total = stat(s, "total_s");
    assert_true(t1 >= 0);
    assert_true(t1 <= tf + 0.0005);
    assert_true(tf <= total + 0.0005);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(stats_report_the_peak_of_each_helper_process_and_the_sum),
        cmocka_unit_test(stats_of_a_small_solve_count_no_search_process),
        cmocka_unit_test(stats_time_to_1pct_and_to_the_final_gap_lie_within_the_solve),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
