/* test_fuzz_regress.c - every input the fuzzers (fuzz/) once crashed on, kept in
 * tests/fuzz_regress/<harness>/, goes through the same calls as its harness:
 *   school_xml/NAME     pp_xml_load_school_memory
 *   timetable_xml/NAME  pp_ttxml_read against instances/tiny.xml, then the checker,
 *                       pp_explain_plan and the writers.
 * Each must end in a school/plan or in messages, never both or neither.  Under
 * `make check` (ASan+UBSan) this also proves the memory errors stay fixed.
 *
 * Files are listed at run time, so dropping a crasher into the folder adds a
 * case.  Run from the repository root (make test does). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "io/html.h"
#include "io/report.h"
#include "io/school_xml.h"
#include "io/timetable_xml.h"
#include "model/check.h"
#include "solver/explain.h"

#define REGRESS_DIR "tests/fuzz_regress"
#define TINY "instances/tiny.xml"


static void school_input_is_handled(void **state)
{
    const char *path = *state;
    size_t len = 0;
    char *buf = tu_slurp(path, &len);
    assert_non_null(buf);
    pp_diags *d = pp_diags_new();
    pp_school *s = pp_xml_load_school_memory(buf, len, path, d);
    assert_true((s == NULL) != (pp_diags_count(d) == 0));
    for (int i = 0; i < pp_diags_count(d); i++)
        assert_true(pp_diags_get(d, i)[0] != '\0');
    pp_school_free(s);
    pp_diags_free(d);
    free(buf);
}

static void timetable_input_is_handled(void **state)
{
    const char *path = *state;
    pp_diags *d = pp_diags_new();
    pp_school *s = pp_xml_load_school(TINY, d);
    assert_non_null(s);
    pp_plan *p = pp_ttxml_read(path, s, d);
    assert_true((p == NULL) != (pp_diags_count(d) == 0));
    if (p) {
        pp_check_plan(s, p, d);
        assert_true(pp_explain_plan(s, p) >= 0);
        FILE *null = fopen("/dev/null", "wb");
        assert_non_null(null);
        pp_ttxml_write(null, s, p);
        pp_html_timetable(null, s, p);
        pp_report_workload_csv(null, s, p);
        fclose(null);
    }
    pp_plan_free(p);
    pp_school_free(s);
    pp_diags_free(d);
}

int main(void)
{
    int nschool, ntt;
    char **school = tu_list_files(REGRESS_DIR "/school_xml", NULL, &nschool);
    char **tt = tu_list_files(REGRESS_DIR "/timetable_xml", NULL, &ntt);
    size_t total = (size_t)nschool + (size_t)ntt;
    if (total == 0) {
        fprintf(stderr, "test_fuzz_regress: no files under %s\n", REGRESS_DIR);
        return 1;
    }
    struct CMUnitTest *tests = calloc(total, sizeof *tests);
    size_t k = 0;
    for (int i = 0; i < nschool; i++)
        tests[k++] = (struct CMUnitTest){ school[i], school_input_is_handled, NULL, NULL, school[i] };
    for (int i = 0; i < ntt; i++)
        tests[k++] = (struct CMUnitTest){ tt[i], timetable_input_is_handled, NULL, NULL, tt[i] };
    int rc = _cmocka_run_group_tests("fuzz_regress", tests, total, NULL, NULL);
    for (int i = 0; i < nschool; i++)
        free(school[i]);
    for (int i = 0; i < ntt; i++)
        free(tt[i]);
    free(school);
    free(tt);
    free(tests);
    return rc;
}
