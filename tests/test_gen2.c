/* test_gen2.c - the second school generator (bench/gen2.c, built as build/bench/gen2)
 * keeps its promise: the same arguments give the same bytes, the school loads, and
 * the certificate it writes (every student in care with the own class, no clubs)
 * keeps every rule the independent checker (model/check.h) knows but the
 * merge-quality rules G6/G7, which an unmerged plan breaks by design (merging only
 * frees rooms and staff, so it still proves a plan serving everyone exists).  Run
 * from the repository root. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "io/school_xml.h"
#include "io/timetable_xml.h"
#include "model/check.h"
#include "tests/util.h"

#define GEN "build/bench/gen2"

typedef struct {
    char dir[64];
    char school[96], cert[96];
} files;

/* Runs gen2 for shape into a fresh temporary folder; returns its exit status. */
static int generate(files *f, const char *shape, int students, int seed)
{
    snprintf(f->dir, sizeof f->dir, "/tmp/pp_gen2_XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    snprintf(f->school, sizeof f->school, "%s/school.xml", f->dir);
    snprintf(f->cert, sizeof f->cert, "%s/cert.xml", f->dir);
    char cmd[512];
    snprintf(cmd, sizeof cmd, GEN " --name t --students %d --seed %d --shape '%s' -o %s --certificate %s", students,
             seed, shape, f->school, f->cert);
    return system(cmd);
}

static void cleanup(files *f)
{
    unlink(f->school);
    unlink(f->cert);
    rmdir(f->dir);
}

/* Loads the school and the certificate and returns the checker's violations other
 * than G6 and G7: the certificate keeps every class in a group of its own, which
 * the merge rules would merge, and merging only frees rooms and staff, so it
 * proves a plan serving everyone exists without being one.  msgs receives the
 * first violation (or ""), *notes the shortage notes. */
static int check_certificate(const files *f, char *msgs, size_t n, int *notes)
{
    pp_diags *d = pp_diags_new();
    pp_school *s = pp_xml_load_school(f->school, d);
    assert_non_null(s);
    pp_plan *p = pp_ttxml_read(f->cert, s, d);
    assert_non_null(p);
    pp_check_counts k;
    int v = pp_check_run(s, p, d, NULL, &k) - k.by_rule[PP_RULE_G6] - k.by_rule[PP_RULE_G7];
    msgs[0] = 0;
    for (int i = 0; i < pp_diags_count(d) && !msgs[0]; i++)
        if (strncmp(pp_diags_get(d, i), "[G6]", 4) && strncmp(pp_diags_get(d, i), "[G7]", 4))
            snprintf(msgs, n, "%s", pp_diags_get(d, i));
    *notes = k.notes;
    assert_int_equal(p->nunserved, 0);
    pp_plan_free(p);
    pp_school_free(s);
    pp_diags_free(d);
    return v;
}

/* C1..D1 but G6/G7: the certificate serves everyone and keeps every rule, with Friday
 * training, courses taking classrooms, tight weekly limits and rooms cut to it, big
 * and mixed classes, a middle school's two lessons and group-max changed. */
static void test_certificate_keeps_every_rule(void **state)
{
    (void)state;
    static const struct { const char *shape; int students; } SHAPES[] = {
        {"primary onepergrade noadj friday dutyexact courses tightload", 180},
        {"nine onepergrade noadj sat9 morning stafftight twincare roomtight", 270},
        {"primary bigclass gm35 roomtight courses friday", 400},
        {"middle sat9 mixedsize qa15 gm45 courses partdays", 450},
        {"nine mixedsize hwclass noonreading boarding prio twin", 500},
    };
    for (size_t i = 0; i < sizeof SHAPES / sizeof SHAPES[0]; i++) {
        files f;
        assert_int_equal(generate(&f, SHAPES[i].shape, SHAPES[i].students, 7 + (int)i), 0);
        char first[1024];
        int notes;
        int v = check_certificate(&f, first, sizeof first, &notes);
        if (v)
            print_message("%s: %s\n", SHAPES[i].shape, first);
        assert_int_equal(v, 0);
        cleanup(&f);
    }
}

/* G2, V2: a class whose care count is above group-max stays one group in its home
 * classroom, which holds it (a class is never split; group-max caps merged groups). */
static void test_G2_class_above_group_max_stays_whole_in_home_room(void **state)
{
    (void)state;
    files f;
    assert_int_equal(generate(&f, "primary bigclass gm35 stayhigh roomtight", 300, 11), 0);
    char first[1024];
    int notes;
    int v = check_certificate(&f, first, sizeof first, &notes);
    if (v)
        print_message("%s\n", first);
    assert_int_equal(v, 0);
    pp_diags *d = pp_diags_new();
    pp_school *s = pp_xml_load_school(f.school, d);
    assert_non_null(s);
    pp_plan *p = pp_ttxml_read(f.cert, s, d);
    assert_non_null(p);
    int above = 0;
    for (int i = 0; i < p->ngroups; i++) {
        const pp_group *g = &p->groups[i];
        assert_int_equal(g->nclasses, 1);
        assert_int_equal(g->venue, s->classes[g->classes[0]].room);
        above += g->nstudents > s->policy.group_max;
    }
    assert_true(above > 0); /* the shape has such classes, else the test proves nothing */
    pp_plan_free(p);
    pp_school_free(s);
    pp_diags_free(d);
    cleanup(&f);
}

/* D1: a dutyshort:Wed school is short of one duty leader on Wednesday: the
 * certificate lists the one there is, which is the school's shortage (a note),
 * not a fault of the plan. */
static void test_D1_duty_short_day_is_a_note_not_a_violation(void **state)
{
    (void)state;
    files f;
    assert_int_equal(generate(&f, "primary onepergrade noadj dutyshort:Wed", 180, 3), 0);
    char first[1024];
    int notes;
    assert_int_equal(check_certificate(&f, first, sizeof first, &notes), 0);
    assert_int_equal(notes, 1);
    cleanup(&f);
}

/* Determinism: two runs with the same arguments write the same bytes; another seed
 * writes another school. */
static void test_same_arguments_same_bytes(void **state)
{
    (void)state;
    files a, b, c;
    const char *shape = "nine mixedsize courses latecourses twin partdays prio";
    assert_int_equal(generate(&a, shape, 700, 5), 0);
    assert_int_equal(generate(&b, shape, 700, 5), 0);
    assert_int_equal(generate(&c, shape, 700, 6), 0);
    size_t la, lb, lc;
    char *x = tu_slurp(a.school, &la), *y = tu_slurp(b.school, &lb), *z = tu_slurp(c.school, &lc);
    assert_non_null(x);
    assert_non_null(y);
    assert_non_null(z);
    assert_true(la == lb && memcmp(x, y, la) == 0);
    assert_false(la == lc && memcmp(x, z, la) == 0);
    free(x);
    free(y);
    free(z);
    cleanup(&a);
    cleanup(&b);
    cleanup(&c);
}

/* A shape keyword gen2 does not know is refused, and nothing is written. */
static void test_unknown_keyword_refused(void **state)
{
    (void)state;
    files f;
    int rc = generate(&f, "primary no-such-keyword", 300, 1);
    assert_int_not_equal(rc, 0);
    assert_int_equal(access(f.school, F_OK), -1);
    cleanup(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_certificate_keeps_every_rule),
        cmocka_unit_test(test_G2_class_above_group_max_stays_whole_in_home_room),
        cmocka_unit_test(test_D1_duty_short_day_is_a_note_not_a_violation),
        cmocka_unit_test(test_same_arguments_same_bytes),
        cmocka_unit_test(test_unknown_keyword_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
