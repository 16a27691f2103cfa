/* test_check_rules.c - the hand-made schools of tests/data/rules/: each folder is
 * one rule's case (a school.xml whose right answer is known, said in its comment)
 * with timetables that keep the rules and timetables that break exactly that rule.
 * Each timetable says what the checker must find, in a comment at its top:
 *
 *   <!-- expect violations="1" notes="0"
 *   [G6] at Mon noon, noon-care g1 (c3-1 3) and noon-care g2 (c3-2 4) are both kept
 *   -->
 *
 * the exact counts, and lines each of which must be part of one message (violation
 * or note).  Also `paipian check` on them: exit 3 with violations, 0 without, and
 * the summary line last. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "io/school_xml.h"
#include "io/timetable_xml.h"
#include "model/check.h"
#include "tests/util.h"

#define RULES "tests/data/rules"

typedef struct {
    int violations, notes;
    char *lines[16];
    int nlines;
} expectation;

/* Reads the expect comment of a timetable file; 0 when it has none. */
static int read_expectation(const char *path, expectation *e)
{
    memset(e, 0, sizeof *e);
    char *text = tu_slurp(path, NULL);
    assert_non_null(text);
    char *at = strstr(text, "<!-- expect ");
    if (!at || sscanf(at, "<!-- expect violations=\"%d\" notes=\"%d\"", &e->violations, &e->notes) != 2) {
        free(text);
        return 0;
    }
    char *end = strstr(at, "-->"), *line = strchr(at, '\n');
    assert_non_null(end);
    while (line && line + 1 < end && e->nlines < 16) {
        char *next = strchr(line + 1, '\n');
        size_t n = (size_t)((next && next < end ? next : end) - (line + 1));
        if (n > 0) {
            e->lines[e->nlines] = strndup(line + 1, n);
            e->nlines++;
        }
        line = next;
    }
    free(text);
    return 1;
}

static int in_any(const pp_diags *a, const pp_diags *b, const char *want)
{
    for (int i = 0; i < pp_diags_count(a); i++)
        if (strstr(pp_diags_get(a, i), want))
            return 1;
    for (int i = 0; i < pp_diags_count(b); i++)
        if (strstr(pp_diags_get(b, i), want))
            return 1;
    return 0;
}

/* Checks one timetable against its expectation; returns the violations found. */
static int check_case(const pp_school *s, const char *path)
{
    expectation e;
    assert_true(read_expectation(path, &e));
    pp_diags *d = pp_diags_new(), *notes = pp_diags_new();
    pp_plan *p = pp_ttxml_read(path, s, d);
    if (!p)
        pp_diags_print(d, stderr);
    assert_non_null(p);
    pp_check_counts k;
    int n = pp_check_run(s, p, d, notes, &k), ok = n == e.violations && k.notes == e.notes;
    for (int i = 0; i < e.nlines; i++)
        ok &= in_any(d, notes, e.lines[i]);
    if (!ok) {
        fprintf(stderr, "%s: expected %d violations and %d notes, got %d and %d:\n", path, e.violations, e.notes, n,
                k.notes);
        pp_diags_print(d, stderr);
        pp_diags_print(notes, stderr);
        for (int i = 0; i < e.nlines; i++)
            fprintf(stderr, "  %s: %s\n", in_any(d, notes, e.lines[i]) ? "found" : "MISSING", e.lines[i]);
    }
    assert_true(ok);
    for (int i = 0; i < e.nlines; i++)
        free(e.lines[i]);
    pp_plan_free(p);
    pp_diags_free(d);
    pp_diags_free(notes);
    return n;
}

/* Every case folder: its timetables give what they say; each folder has a plan
 * that keeps every rule and one that breaks its rule. */
static void every_rule_case_gives_its_known_answer(void **state)
{
    (void)state;
    int ncases = 0;
    char **cases = tu_list_files(RULES, NULL, &ncases);
    assert_true(ncases > 0);
    int folders = 0;
    for (int c = 0; c < ncases; c++) {
        struct stat st;
        if (stat(cases[c], &st) != 0 || !S_ISDIR(st.st_mode)) { /* README.md */
            free(cases[c]);
            continue;
        }
        folders++;
        char school[512];
        snprintf(school, sizeof school, "%s/school.xml", cases[c]);
        pp_diags *d = pp_diags_new();
        pp_school *s = pp_xml_load_school(school, d);
        if (!s)
            pp_diags_print(d, stderr);
        assert_non_null(s);
        int nt = 0, keeps = 0, breaks = 0;
        char **tt = tu_list_files(cases[c], ".xml", &nt);
        for (int t = 0; t < nt; t++) {
            if (strstr(tt[t], "/school.xml"))
                continue;
            int v = check_case(s, tt[t]);
            keeps += strstr(tt[t], "/keeps") && v == 0;
            breaks += strstr(tt[t], "/breaks-") && v > 0;
        }
        if (!keeps || !breaks)
            fprintf(stderr, "%s: needs a keeps*.xml without and a breaks-*.xml with violations\n", cases[c]);
        assert_true(keeps > 0 && breaks > 0);
        for (int t = 0; t < nt; t++)
            free(tt[t]);
        free(tt);
        pp_school_free(s);
        pp_diags_free(d);
        free(cases[c]);
    }
    free(cases);
    assert_true(folders >= 10);
}

/* The output of `paipian check`, and its exit code. */
static int run_check(const char *dir, const char *timetable, char *out, size_t n)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "./paipian check %s/%s/school.xml %s/%s/%s", RULES, dir, RULES, dir, timetable);
    FILE *f = popen(cmd, "r");
    assert_non_null(f);
    size_t len = fread(out, 1, n - 1, f);
    out[len] = '\0';
    int st = pclose(f);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void paipian_check_prints_violations_then_notes_then_summary(void **state)
{
    (void)state;
    char out[8192];
    assert_int_equal(run_check("d1_friday_one_eligible", "breaks-d1.xml", out, sizeof out), 3);
    char *viol = strstr(out, "[D1] Fri has 0 duty leaders"), *note = strstr(out, "[D1 note] Fri:");
    char *sum = strstr(out, "1 violation (by rule: D1 1), 1 note\n");
    assert_non_null(viol);
    assert_non_null(note);
    assert_non_null(sum);
    assert_true(viol < note && note < sum);
    assert_string_equal(sum, "1 violation (by rule: D1 1), 1 note\n"); /* the last line */
    assert_int_equal(run_check("d1_friday_one_eligible", "keeps-with-note.xml", out, sizeof out), 0);
    assert_non_null(strstr(out, "[D1 note] Fri:"));
    assert_non_null(strstr(out, "0 violations, 1 note\n"));
    assert_int_equal(run_check("g6_lone_small_class", "breaks-g6.xml", out, sizeof out), 3);
    assert_non_null(strstr(out, "\n1 violation (by rule: G6 1), 0 notes\n"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_rule_case_gives_its_known_answer),
        cmocka_unit_test(paipian_check_prints_violations_then_notes_then_summary),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
