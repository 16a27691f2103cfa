/* test_replan.c - re-planning from a published plan (solver/perturb.h,
 * solver/replan.h, io/changes.h, paipian solve --from / --lock), on the
 * hand-made schools of tests/data/replan/: club.xml has a full chess club (10 of
 * 10), an art club with room and homework care; club_join.xml adds one priority
 * student whose first choice is chess (club_join_plain.xml: not a priority
 * student); club_changed.xml has s03 drop chess. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "io/changes.h"
#include "io/school_xml.h"
#include "io/timetable_xml.h"
#include "io/xlsx_read.h"
#include "model/check.h"
#include "solver/care.h"
#include "solver/perturb.h"
#include "solver/replan.h"
#include "solver/solve.h"
#include "util.h"

#define DATA "tests/data/replan/"

static char tmpdir[64];

static int setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/pp_replan_XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static pp_school *load(const char *path)
{
    pp_diags *d = pp_diags_new();
    pp_school *s = pp_xml_load_school(path, d);
    if (!s)
        pp_diags_print(d, stderr);
    assert_non_null(s);
    pp_diags_free(d);
    return s;
}

/* Solves s (from pub when not NULL, with the given locks) and checks the plan. */
static pp_plan *solve(const pp_school *s, const pp_published *pub, const int *locks, int nlocks)
{
    pp_solve_params prm;
    pp_solve_params_init(&prm);
    prm.quiet = 1;
    prm.time_limit = 20;
    prm.gap = 0;
    if (pub) {
        prm.previous = pp_published_plan(pub);
        prm.previous_numbers = pp_published_numbers(pub);
        prm.locks = locks;
        prm.nlocks = nlocks;
    }
    pp_diags *d = pp_diags_new();
    pp_plan *p = NULL;
    assert_int_equal(pp_solve(s, &prm, &p, d), PP_SOLVE_OK);
    int v = pp_check_plan(s, p, d);
    if (v)
        pp_diags_print(d, stderr);
    assert_int_equal(v, 0);
    assert_true(p->stats.bound <= p->stats.objective + 1e-9);
    pp_diags_free(d);
    return p;
}

/* Writes plan p of s as dir/name and reads it back as a published plan of s2. */
static pp_published *publish(const pp_school *s, const pp_plan *p, const char *name, const pp_school *s2)
{
    char path[160];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(pp_ttxml_write(f, s, p), 0);
    assert_int_equal(fclose(f), 0);
    pp_diags *d = pp_diags_new();
    pp_published *pub = pp_published_read(path, s2, d);
    if (!pub)
        pp_diags_print(d, stderr);
    assert_non_null(pub);
    pp_diags_free(d);
    return pub;
}

static int find_group(const pp_school *s, const pp_plan *p, const char *activity)
{
    for (int g = 0; g < p->ngroups; g++)
        if (!strcmp(s->activities[p->groups[g].activity].id, activity))
            return g;
    return -1;
}

static int in_group(const pp_group *g, int stu)
{
    for (int j = 0; j < g->nstudents; j++)
        if (g->students[j] == stu)
            return 1;
    return 0;
}

/* The published group g is in plan p with the same slot, venue, staff and
 * students (plus the listed extra student, -1 none). */
static int kept(const pp_group *o, const pp_plan *p, int extra)
{
    for (int h = 0; h < p->ngroups; h++) {
        const pp_group *g = &p->groups[h];
        if (g->activity != o->activity || g->day != o->day || g->period != o->period || g->venue != o->venue ||
            g->nstaff != o->nstaff || memcmp(g->staff, o->staff, (size_t)o->nstaff * sizeof(int)))
            continue;
        int n = 0;
        for (int j = 0; j < g->nstudents; j++)
            n += in_group(o, g->students[j]) || g->students[j] == extra;
        return n == g->nstudents && g->nstudents == o->nstudents + (extra >= 0);
    }
    return 0;
}

/* One priority student joins a full club: the known minimal answer is that
 * nobody moves and nothing changes but the new student's own week - they get
 * their second choice (art, which has room), not a place taken from a chess
 * member (which from scratch is cheaper: their choices count twice), and no
 * second chess group (which would need five members moved). */
static void test_joining_a_full_club_changes_only_the_newcomer(void **state)
{
    (void)state;
    pp_school *s = load(DATA "club.xml"), *s2 = load(DATA "club_join.xml");
    pp_plan *p = solve(s, NULL, NULL, 0);
    pp_published *pub = publish(s, p, "club.xml", s2);
    pp_plan *q = solve(s2, pub, NULL, 0);
    int n1 = pp_school_find_student(s2, "n1"), art = find_group(s2, q, "art");
    assert_true(art >= 0 && in_group(&q->groups[art], n1));
    const pp_plan *pv = pp_published_plan(pub);
    assert_int_equal(q->ngroups, pv->ngroups);
    for (int g = 0; g < pv->ngroups; g++)
        assert_true(kept(&pv->groups[g], q, pv->groups[g].activity == q->groups[art].activity ? n1 : -1));
    pp_perturb *pert = pp_perturb_new(s2, pv);
    pp_perturb_counts c;
    assert_int_equal(pp_perturb_count(pert, q, &c, NULL), 0);
    assert_int_equal(c.moved_students, 0);
    assert_int_equal(c.groups_changed, 0);
    assert_int_equal(c.staff_changed, 0);
    assert_int_equal(c.affected, 1); /* n1 */
    /* the bound holds for the charged objective: the plan from scratch, charged,
     * costs at least the bound */
    pp_plan *scratch = solve(s2, NULL, NULL, 0);
    assert_true(in_group(&scratch->groups[find_group(s2, scratch, "chess")], n1)); /* the test has teeth */
    assert_true(pp_plan_cost(s2, scratch) + pp_perturb_cost(pert, scratch) >= q->stats.bound - 1e-9);
    pp_perturb_free(pert);
    pp_plan_free(scratch);
    pp_plan_free(q);
    pp_published_free(pub);
    pp_plan_free(p);
    pp_school_free(s2);
    pp_school_free(s);
}

/* A lock keeps the art group as published: n1, who would have joined it, goes
 * to homework care instead (chess is full; n1 is no priority student, who would
 * take a chess seat, RULES.md P2). */
static void test_lock_keeps_the_group_entirely(void **state)
{
    (void)state;
    pp_school *s = load(DATA "club.xml"), *s2 = load(DATA "club_join_plain.xml");
    pp_plan *p = solve(s, NULL, NULL, 0);
    pp_published *pub = publish(s, p, "club.xml", s2);
    const pp_plan *pv = pp_published_plan(pub);
    int lock = find_group(s2, pv, "art");
    pp_plan *q = solve(s2, pub, &lock, 1), *free_plan = solve(s2, pub, NULL, 0);
    assert_true(kept(&pv->groups[lock], q, -1));
    int n1 = pp_school_find_student(s2, "n1"), hw = find_group(s2, q, "homework");
    assert_true(in_group(&q->groups[hw], n1));
    assert_true(in_group(&free_plan->groups[find_group(s2, free_plan, "art")], n1)); /* without the lock */
    pp_plan_free(free_plan);
    pp_plan_free(q);
    pp_published_free(pub);
    pp_plan_free(p);
    pp_school_free(s2);
    pp_school_free(s);
}

/* A lock the new school makes impossible is refused, naming why: s03 of the
 * chess group no longer chooses chess. */
static void test_impossible_lock_is_refused(void **state)
{
    (void)state;
    pp_school *s = load(DATA "club.xml"), *s2 = load(DATA "club_changed.xml");
    pp_plan *p = solve(s, NULL, NULL, 0);
    pp_published *pub = publish(s, p, "club.xml", s2);
    const pp_plan *pv = pp_published_plan(pub);
    int lock = find_group(s2, pv, "chess"), art = find_group(s2, pv, "art");
    pp_diags *d = pp_diags_new();
    assert_int_equal(pp_replan_check_locks(s2, pv, pp_published_numbers(pub), &lock, 1, d), 1);
    assert_non_null(strstr(pp_diags_get(d, 0), "s03"));
    assert_non_null(strstr(pp_diags_get(d, 0), "no longer chooses"));
    assert_int_equal(pp_replan_check_locks(s2, pv, pp_published_numbers(pub), &art, 1, d), 0);
    pp_solve_params prm; /* pp_solve refuses it too */
    pp_solve_params_init(&prm);
    prm.quiet = 1;
    prm.previous = pv;
    prm.locks = &lock;
    prm.nlocks = 1;
    pp_plan *q = NULL;
    assert_int_equal(pp_solve(s2, &prm, &q, d), PP_SOLVE_ERROR);
    assert_null(q);
    pp_diags_free(d);
    pp_published_free(pub);
    pp_plan_free(p);
    pp_school_free(s2);
    pp_school_free(s);
}

/* Read against the school as it is now, students who left vanish from the
 * published plan and a group whose activity is gone is left out (and cannot be
 * locked). */
static void test_published_plan_read_against_the_new_school(void **state)
{
    (void)state;
    pp_school *s = load(DATA "club_join.xml");
    pp_plan *p = solve(s, NULL, NULL, 0);
    char path[160];
    snprintf(path, sizeof path, "%s/edited.xml", tmpdir);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(pp_ttxml_write(f, s, p), 0);
    assert_int_equal(fclose(f), 0);
    /* the published plan as another tool might have it: a student and an
     * activity the school no longer has */
    char *text = tu_slurp(path, NULL), *at = strstr(text, "\"s01 ");
    assert_non_null(at);
    memcpy(at, "\"x01 ", 5);
    at = strstr(text, "activity=\"art\"");
    assert_non_null(at);
    memcpy(at, "activity=\"zzz\"", 14);
    f = fopen(path, "wb");
    fputs(text, f);
    fclose(f);
    free(text);
    pp_diags *d = pp_diags_new();
    pp_published *pub = pp_published_read(path, s, d);
    assert_non_null(pub);
    const pp_plan *pv = pp_published_plan(pub);
    assert_int_equal(pv->ngroups, p->ngroups - 1);
    int chess = find_group(s, pv, "chess");
    assert_int_equal(pv->groups[chess].nstudents, 9);
    char why[300];
    int art_number = 0;
    for (int g = 0; g < p->ngroups; g++)
        if (!strcmp(s->activities[p->groups[g].activity].id, "art"))
            art_number = g + 1; /* pp_ttxml_write numbers groups in plan order after sorting: p is sorted */
    char gid[16];
    snprintf(gid, sizeof gid, "g%d", art_number);
    assert_int_equal(pp_published_group(pub, gid, why, sizeof why), -1);
    assert_non_null(strstr(why, "zzz"));
    pp_published_free(pub);
    pp_diags_free(d);
    pp_plan_free(p);
    pp_school_free(s);
}

/* The care packer keeps published groups where the rules let it: the grouping
 * is kept as it was when it still fits, and when one pair outgrows the cap the
 * other pairs stay together (the counts of the 1,500-student benchmark). */
static void test_care_packing_keeps_the_published_groups(void **state)
{
    (void)state;
    pp_care_rules r = { PP_TIER_GRADE, 40, 40, 1, 2, 1 };
    pp_care_item it[] = { { 0, 2, 17 }, { 1, 2, 14 }, { 2, 2, 17 }, { 3, 2, 13 }, { 4, 2, 18 }, { 5, 2, 21 } };
    int label[] = { 1, 2, 3, 2, 3, 1 }, gof[6], plain[6];
    pp_care_result res, res0;
    assert_int_equal(pp_care_pack_prefer(it, 6, &r, label, gof, &res), 0);
    assert_int_equal(pp_care_pack(it, 6, &r, plain, &res0), 0);
    assert_int_equal(res.ngroups, res0.ngroups);
    assert_true(fabs(res.lower - res0.lower) < 1e-9);
    for (int i = 0; i < 6; i++)
        for (int j = 0; j < 6; j++)
            assert_int_equal(gof[i] == gof[j], label[i] == label[j]);
    pp_care_item grown[] = { { 0, 2, 19 }, { 1, 2, 14 }, { 2, 2, 18 }, { 3, 2, 14 }, { 4, 2, 20 }, { 5, 2, 24 } };
    assert_int_equal(pp_care_pack_prefer(grown, 6, &r, label, gof, &res), 0);
    assert_int_equal(res.ngroups, 3);
    assert_int_equal(gof[2], gof[4]); /* 18 + 20: still one group */
    assert_int_not_equal(gof[0], gof[5]); /* 19 + 24 > 40 */
}

static int run(const char *cmd)
{
    int rc = system(cmd);
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

/* Re-planning an unchanged school file returns the published timetable.xml byte
 * for byte (the hand-made school, and a generated one of 500 students), its
 * bound too: a search stops at bounds a hair apart from run to run (seed002:
 * 1364.73 and 1364.93 with the same plan), and the published bound holds for
 * the file its school-digest names. */
static void test_replan_without_change_returns_the_published_plan(void **state)
{
    (void)state;
    static const char *const schools[] = { DATA "club.xml", "instances/seed002.xml" };
    for (size_t k = 0; k < sizeof schools / sizeof *schools; k++) {
        char cmd[600], a[200], b[200];
        snprintf(cmd, sizeof cmd, "./paipian solve %s -o %s/pub%zu --quiet > /dev/null 2>&1", schools[k], tmpdir, k);
        assert_int_equal(run(cmd), 0);
        snprintf(cmd, sizeof cmd, "./paipian solve %s --from %s/pub%zu/timetable.xml -o %s/re%zu --quiet "
                 "> /dev/null 2>&1", schools[k], tmpdir, k, tmpdir, k);
        assert_int_equal(run(cmd), 0);
        snprintf(a, sizeof a, "%s/pub%zu/timetable.xml", tmpdir, k);
        snprintf(b, sizeof b, "%s/re%zu/timetable.xml", tmpdir, k);
        size_t la, lb;
        char *x = tu_slurp(a, &la), *y = tu_slurp(b, &lb);
        assert_non_null(x);
        assert_non_null(y);
        assert_non_null(strstr(x, " school-digest=\""));
        assert_int_equal(la, lb);
        assert_memory_equal(x, y, la);
        free(x);
        free(y);
    }
}

/* The command line: a published plan of another school is refused with exit 2
 * and a message naming both schools; an impossible lock too; a re-plan writes
 * the notices, the new student among them, and `paipian check` accepts it. */
static void test_command_line_refuses_and_notifies(void **state)
{
    (void)state;
    char cmd[800], path[200];
    snprintf(cmd, sizeof cmd, "./paipian solve instances/tiny.xml -o %s/tiny --quiet > /dev/null 2>&1", tmpdir);
    assert_int_equal(run(cmd), 0);
    snprintf(cmd, sizeof cmd, "./paipian solve " DATA "club.xml --from %s/tiny/timetable.xml -o %s/x 2> %s/err.txt",
             tmpdir, tmpdir, tmpdir);
    assert_int_equal(run(cmd), 2);
    snprintf(path, sizeof path, "%s/err.txt", tmpdir);
    char *err = tu_slurp(path, NULL);
    assert_non_null(strstr(err, "made for school \"demo\", not \"replan-demo\""));
    free(err);
    snprintf(path, sizeof path, "%s/x", tmpdir);
    assert_int_not_equal(access(path, F_OK), 0); /* nothing written */

    snprintf(cmd, sizeof cmd, "./paipian solve " DATA "club.xml -o %s/club --quiet > /dev/null 2>&1", tmpdir);
    assert_int_equal(run(cmd), 0);
    snprintf(cmd, sizeof cmd, "./paipian solve " DATA "club_changed.xml --from %s/club/timetable.xml --lock g2 -o %s/y "
             "2> %s/err.txt", tmpdir, tmpdir, tmpdir);
    assert_int_equal(run(cmd), 2);
    snprintf(path, sizeof path, "%s/err.txt", tmpdir);
    err = tu_slurp(path, NULL);
    assert_non_null(strstr(err, "--lock g2"));
    assert_non_null(strstr(err, "no longer chooses"));
    free(err);

    snprintf(cmd, sizeof cmd, "./paipian solve " DATA "club_join.xml --from %s/club/timetable.xml -o %s/z --quiet "
             "> /dev/null 2>&1 && ./paipian check " DATA "club_join.xml %s/z/timetable.xml > /dev/null", tmpdir, tmpdir,
             tmpdir);
    assert_int_equal(run(cmd), 0);
    snprintf(path, sizeof path, "%s/z/changes.csv", tmpdir);
    char *csv = tu_slurp(path, NULL);
    assert_non_null(csv);
    assert_non_null(strstr(csv, "学生,n1,新同学,三年级1班,周三,课后服务,—,美术 · 美术室"));
    assert_non_null(strstr(csv, "新加入"));
    free(csv);
    snprintf(path, sizeof path, "%s/z/changes.html", tmpdir);
    char *html = tu_slurp(path, NULL);
    assert_non_null(html);
    assert_non_null(strstr(html, "新同学"));
    free(html);
    /* the workbook's 变更 sheet holds the same row */
    snprintf(path, sizeof path, "%s/z/timetable.xlsx", tmpdir);
    pp_diags *d = pp_diags_new();
    pp_xlsx *x = pp_xlsx_open(path, d);
    assert_non_null(x);
    int found = 0;
    for (int i = 0; i < pp_xlsx_nsheets(x); i++) {
        if (strcmp(pp_xlsx_sheet_name(x, i), "变更"))
            continue;
        pp_sheet *sh = pp_xlsx_read_sheet(x, i, d);
        assert_non_null(sh);
        for (int r = 0; r < sh->nrows; r++)
            found |= !strcmp(pp_sheet_cell(sh, r, 1), "n1") && !strcmp(pp_sheet_cell(sh, r, 8), "新加入");
        pp_sheet_free(sh);
    }
    assert_true(found);
    pp_xlsx_close(x);
    pp_diags_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_joining_a_full_club_changes_only_the_newcomer),
        cmocka_unit_test(test_lock_keeps_the_group_entirely),
        cmocka_unit_test(test_impossible_lock_is_refused),
        cmocka_unit_test(test_published_plan_read_against_the_new_school),
        cmocka_unit_test(test_care_packing_keeps_the_published_groups),
        cmocka_unit_test(test_replan_without_change_returns_the_published_plan),
        cmocka_unit_test(test_command_line_refuses_and_notifies),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
