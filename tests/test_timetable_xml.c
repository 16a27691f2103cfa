/* test_timetable_xml.c - timetable.xml on a school built in memory: the embedded
 * schema is io/timetable.xsd, writing is deterministic and survives a round trip
 * byte for byte (escapes included), and every kind of bad file is refused with
 * "file:line: <group id=...>: ...; expected ..." messages. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"
#include "fixture.h"
#include "io/school_xml.h"
#include "io/timetable_xml.h"
#include "model/check.h"
#include "model/plan.h"

enum { A_CARE, A_CHESS };
enum { C31, C41 };
enum { T1, T2 };

typedef struct {
    pp_school *s;
    pp_plan *p;
    char path[64];          /* a temporary file the test may write; removed in teardown */
} world;

/* Two classes of 3 staying Mon and Tue after school; students 0 and 3 chose chess,
 * which meets on Tuesdays in the hall. */
static pp_school *build_school(void)
{
    pp_school *s = fx_school();
    fx_grade(s, 3);
    fx_grade(s, 4);
    fx_care(s, "care", PP_ACT_CARE, PP_TIER_GRADE, 40);
    fx_club(s, "chess", 1, 0, 1, 10, "hall", "chess");
    /* Mon and Tue, the days with groups and duty leaders (D1: every day a period runs) */
    fx_period(s, "after", PP_PERIOD_AFTER, 0x3, 16 * 60, 17 * 60, A_CARE);
    fx_class(s, "c3-1", 3);
    fx_class(s, "c4-1", 4);
    fx_venue(s, "hall", "hall", 100);
    fx_staff(s, "t1", PP_STAFF_TEACHER, "chess", 10);
    fx_staff(s, "t2", PP_STAFF_TEACHER, "", 10);
    int chess[] = { A_CHESS, -1 };
    fx_students(s, C31, 1, 0, 0x3, chess, 0);
    fx_students(s, C31, 2, 0, 0x3, NULL, 0);
    fx_students(s, C41, 1, 0, 0x3, chess, 0);
    fx_students(s, C41, 2, 0, 0x3, NULL, 0);
    pp_diags *d = pp_diags_new();
    int bad = pp_school_validate(s, d);
    if (bad)
        pp_diags_print(d, stderr);
    assert_int_equal(bad, 0);
    pp_diags_free(d);
    return s;
}

static void add(world *w, int act, int day, int venue, int staff, const int *stu, int n)
{
    assert_true(pp_plan_add_group(w->p, w->s, act, day, 0, venue, &staff, 1, stu, n) >= 0);
}

/* Monday: everyone in care, grades 3 and 4 merged.  Tuesday: chess for 0 and 3,
 * care for the rest, except student 5, left unserved with a reason that needs
 * escaping. */
static void build_plan(world *w)
{
    int all[] = { 0, 1, 2, 3, 4, 5 }, chess[] = { 3, 0 }, care[] = { 2, 1, 4 };
    int room0 = w->s->classes[C31].room, hall = pp_school_find_venue(w->s, "hall");
    w->p = pp_plan_new();
    add(w, A_CHESS, 1, hall, T1, chess, 2);
    add(w, A_CARE, 1, room0, T2, care, 3);
    add(w, A_CARE, 0, room0, T2, all, 6);
    assert_int_equal(pp_plan_add_unserved(w->p, 5, 1, 0, "no room <hall> & \"more\"\nline2\ttab\x01"), 0);
    int duty[] = { T2, T1 };
    assert_int_equal(pp_plan_set_duty(w->p, 1, duty, 2), 0);
    assert_int_equal(pp_plan_set_duty(w->p, 0, duty, 2), 0);
    w->p->stats = (pp_plan_stats){ .status = PP_STATUS_PARTIAL, .objective = 1234.56789, .bound = -INFINITY,
                                   .gap = 0.25, .seconds = 1.5, .first_feasible_seconds = -1 };
}

static int setup(void **state)
{
    world *w = calloc(1, sizeof *w);
    w->s = build_school();
    build_plan(w);
    snprintf(w->path, sizeof w->path, "/tmp/pp_ttxml_XXXXXX");
    int fd = mkstemp(w->path);
    assert_true(fd >= 0);
    close(fd);
    *state = w;
    return 0;
}

static int teardown(void **state)
{
    world *w = *state;
    remove(w->path);
    pp_plan_free(w->p);
    pp_school_free(w->s);
    free(w);
    return 0;
}


static char *write_string(const pp_school *s, const pp_plan *p, size_t *len)
{
    FILE *f = tmpfile();
    assert_non_null(f);
    assert_int_equal(pp_ttxml_write(f, s, p), 0);
    long n = ftell(f);
    rewind(f);
    char *b = malloc((size_t)n + 1);
    *len = fread(b, 1, (size_t)n, f);
    b[*len] = 0;
    fclose(f);
    return b;
}

static void put_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* Reads text as a timetable of w's school; expects failure with exactly `want`
 * messages (-1: any number), one of them containing `needle` after "path:". */
static void expect_refused(world *w, const char *text, int want, const char *needle)
{
    put_file(w->path, text);
    pp_diags *d = pp_diags_new();
    pp_plan *p = pp_ttxml_read(w->path, w->s, d);
    char full[512];
    snprintf(full, sizeof full, "%s:%s", w->path, needle);
    int found = 0;
    for (int i = 0; i < pp_diags_count(d); i++)
        found |= strstr(pp_diags_get(d, i), full) != NULL;
    if (!found || (want >= 0 && pp_diags_count(d) != want)) {
        fprintf(stderr, "expected %d message(s) with \"%s\":\n", want, full);
        pp_diags_print(d, stderr);
    }
    assert_null(p);
    assert_true(found);
    if (want >= 0)
        assert_int_equal(pp_diags_count(d), want);
    pp_diags_free(d);
}

#define HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<timetable xmlns=\"urn:paipian:timetable:1\" school=\"fx\">\n"

/* ---------- the schema ------------------------------------------------------------ */

static void embedded_schema_is_the_xsd_file(void **state)
{
    (void)state;
    size_t n, len;
    char *file = tu_slurp("io/timetable.xsd", &n);
    const char *xsd = pp_ttxml_xsd(&len);
    assert_int_equal(len, n);
    assert_memory_equal(xsd, file, n);
    assert_int_equal(xsd[len], 0);
    free(file);
}

/* ---------- writing ---------------------------------------------------------------- */

static void writes_groups_sorted_with_escapes_and_stats(void **state)
{
    world *w = *state;
    size_t n;
    char *t = write_string(w->s, w->p, &n);
    const char *want =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<timetable xmlns=\"urn:paipian:timetable:1\" school=\"fx\" status=\"partial\" objective=\"1234.5679\" "
        "bound=\"-INF\" gap=\"0.250000\">\n"
        "  <group id=\"g1\" activity=\"care\" day=\"Mon\" period=\"after\" venue=\"room-c3-1\" format=\"跨年级并班\" "
        "staff=\"t2\" classes=\"c3-1 c4-1\" students=\"c3-1-s000 c3-1-s001 c3-1-s002 c4-1-s003 c4-1-s004 c4-1-s005\"/>\n"
        "  <group id=\"g2\" activity=\"care\" day=\"Tue\" period=\"after\" venue=\"room-c3-1\" format=\"跨年级并班\" "
        "staff=\"t2\" classes=\"c3-1 c4-1\" students=\"c3-1-s001 c3-1-s002 c4-1-s004\"/>\n"
        "  <group id=\"g3\" activity=\"chess\" day=\"Tue\" period=\"after\" venue=\"hall\" format=\"走班\" "
        "staff=\"t1\" classes=\"c3-1 c4-1\" students=\"c3-1-s000 c4-1-s003\"/>\n"
        "  <unserved student=\"c4-1-s005\" day=\"Tue\" period=\"after\" "
        "reason=\"no room &lt;hall&gt; &amp; &quot;more&quot;&#10;line2&#9;tab\xEF\xBF\xBD\"/>\n"
        "  <duty day=\"Mon\" staff=\"t2 t1\"/>\n"
        "  <duty day=\"Tue\" staff=\"t2 t1\"/>\n"
        "</timetable>\n";
    if (strcmp(t, want) != 0)
        fprintf(stderr, "got:\n%s", t);
    assert_string_equal(t, want);
    assert_int_equal(w->p->groups[0].activity, A_CHESS); /* the plan itself is not reordered */
    free(t);
}

static void output_does_not_depend_on_insertion_order(void **state)
{
    world *w = *state;
    size_t n1, n2;
    char *a = write_string(w->s, w->p, &n1);
    pp_plan *q = pp_plan_new();
    for (int i = w->p->ngroups - 1; i >= 0; i--) {
        const pp_group *g = &w->p->groups[i];
        pp_plan_add_group(q, w->s, g->activity, g->day, g->period, g->venue, g->staff, g->nstaff, g->students,
                          g->nstudents);
    }
    for (int i = 0; i < w->p->nunserved; i++)
        pp_plan_add_unserved(q, w->p->unserved[i].student, w->p->unserved[i].day, w->p->unserved[i].period,
                             w->p->unserved[i].reason);
    for (int i = w->p->nduty - 1; i >= 0; i--)
        pp_plan_set_duty(q, w->p->duty[i].day, w->p->duty[i].staff, w->p->duty[i].nstaff);
    q->stats = w->p->stats;
    char *b = write_string(w->s, q, &n2);
    assert_int_equal(n1, n2);
    assert_memory_equal(a, b, n1);
    pp_plan_free(q);
    free(a);
    free(b);
}

static void write_error_is_reported(void **state)
{
    world *w = *state;
    FILE *f = fopen("/dev/full", "w");
    if (!f)
        skip();
    setvbuf(f, NULL, _IONBF, 0);
    assert_int_equal(pp_ttxml_write(f, w->s, w->p), -1);
    fclose(f);
}

/* ---------- round trip ----------------------------------------------------------------- */

static void round_trip_is_byte_identical(void **state)
{
    world *w = *state;
    size_t n1, n2;
    char *a = write_string(w->s, w->p, &n1);
    put_file(w->path, a);
    pp_diags *d = pp_diags_new();
    pp_plan *back = pp_ttxml_read(w->path, w->s, d);
    if (!back)
        pp_diags_print(d, stderr);
    assert_non_null(back);
    assert_int_equal(pp_diags_count(d), 0);
    assert_int_equal(back->ngroups, 3);
    assert_int_equal(back->nunserved, 1);
    assert_int_equal(back->nduty, 2);
    assert_int_equal(back->stats.status, PP_STATUS_PARTIAL);
    assert_true(isinf(back->stats.bound) && back->stats.bound < 0);
    assert_string_equal(back->unserved[0].reason, "no room <hall> & \"more\"\nline2\ttab\xEF\xBF\xBD");
    char *b = write_string(w->s, back, &n2);
    assert_int_equal(n1, n2);
    assert_memory_equal(a, b, n1);
    assert_int_equal(pp_check_plan(w->s, back, d), 0); /* the plan read is the plan written */
    pp_plan_free(back);
    pp_diags_free(d);
    free(a);
    free(b);
}

static void reads_seconds_and_other_day_spellings(void **state)
{
    world *w = *state;
    put_file(w->path, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                      "<timetable xmlns=\"urn:paipian:timetable:1\" school=\"fx\" status=\"optimal\" seconds=\"2.5\">\n"
                      "  <duty day=\"周二\" staff=\"t1\"/>\n"
                      "</timetable>\n");
    pp_diags *d = pp_diags_new();
    pp_plan *p = pp_ttxml_read(w->path, w->s, d);
    assert_non_null(p);
    assert_int_equal(p->stats.status, PP_STATUS_OPTIMAL);
    assert_true(p->stats.seconds == 2.5);
    assert_int_equal(p->nduty, 1);
    assert_int_equal(p->duty[0].day, 1);
    pp_plan_free(p);
    pp_diags_free(d);
}

/* ---------- bad files ----------------------------------------------------------------- */

/* libxml2 numbers an element by the line its start tag ends on. */
static void unknown_student_is_reported_with_file_and_line(void **state)
{
    expect_refused(*state,
                   HEAD "  <group id=\"g1\" activity=\"care\" day=\"Mon\" period=\"after\" staff=\"t2\" students=\"c3-1-s000\"/>\n"
                        "  <group id=\"g2\" activity=\"care\" day=\"Tue\" period=\"after\" staff=\"t2\"\n"
                        "         students=\"c3-1-s001 nobody\"/>\n"
                        "</timetable>\n",
                   1, "5: <group id=\"g2\">: students \"nobody\" is not in school \"fx\"; expected the id of a <student>");
}

static void every_unknown_id_and_bad_day_is_reported(void **state)
{
    expect_refused(*state,
                   HEAD "  <group id=\"g1\" activity=\"golf\" day=\"Funday\" period=\"night\" venue=\"moon\" staff=\"t9\"/>\n"
                        "  <unserved student=\"ghost\" day=\"Mon\" period=\"after\"/>\n"
                        "  <duty day=\"Mon\" staff=\"t1 t8\"/>\n"
                        "</timetable>\n",
                   7, "3: <group id=\"g1\">: day \"Funday\" is not a day; expected Mon, Tue, Wed, Thu, Fri, Sat or Sun");
}

static void classes_not_matching_students_are_reported(void **state)
{
    expect_refused(*state,
                   HEAD "  <group id=\"g1\" activity=\"care\" day=\"Mon\" period=\"after\" staff=\"t2\" classes=\"c4-1\" "
                        "students=\"c3-1-s000\"/>\n"
                        "</timetable>\n",
                   1, "3: <group id=\"g1\">: classes \"c4-1\" are not the admin classes of the group's students");
}

static void schema_violations_are_reported_with_line(void **state)
{
    expect_refused(*state,
                   HEAD "  <group id=\"g1\" activity=\"care\" day=\"Mon\" period=\"after\" colour=\"red\"/>\n"
                        "</timetable>\n",
                   1, "3: <group id=\"g1\">: Element 'group', attribute 'colour': The attribute 'colour' is not allowed; "
                      "expected the structure of docs/FORMAT.md (Timetable)");
}

static void duplicate_group_ids_are_refused(void **state)
{
    expect_refused(*state,
                   HEAD "  <group id=\"g1\" activity=\"care\" day=\"Mon\" period=\"after\"/>\n"
                        "  <group id=\"g1\" activity=\"care\" day=\"Tue\" period=\"after\"/>\n"
                        "</timetable>\n",
                   1, "4: <group id=\"g1\">: Element 'group': Duplicate key-sequence ['g1']");
}

static void doctype_is_refused(void **state)
{
    expect_refused(*state,
                   "<?xml version=\"1.0\"?>\n<!DOCTYPE timetable [ <!ENTITY x SYSTEM \"file:///etc/passwd\"> ]>\n"
                   "<timetable xmlns=\"urn:paipian:timetable:1\" school=\"&x;\"/>\n",
                   1, "2: <!DOCTYPE timetable>: document type declarations are refused");
}

static void malformed_xml_is_refused(void **state)
{
    expect_refused(*state, HEAD "  <group id=\"g1\"\n</timetable>\n", -1, "4: XML syntax error: ");
}

static void timetable_of_another_school_is_refused(void **state)
{
    expect_refused(*state,
                   "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                   "<timetable xmlns=\"urn:paipian:timetable:1\" school=\"other\"/>\n",
                   1, "2: <timetable>: made for school \"other\", not \"fx\"");
}

static void wrong_root_is_refused(void **state)
{
    expect_refused(*state, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<school xmlns=\"urn:paipian:school:1\"/>\n", 1,
                   "2: <school>: ");
}

static void missing_file_is_reported(void **state)
{
    world *w = *state;
    pp_diags *d = pp_diags_new();
    assert_null(pp_ttxml_read("/nonexistent/timetable.xml", w->s, d));
    assert_true(pp_diags_count(d) >= 1);
    assert_non_null(strstr(pp_diags_get(d, 0), "/nonexistent/timetable.xml"));
    pp_diags_free(d);
}

/* ---------- the FORMAT.md examples ----------------------------------------------------- */

/* The n-th ```xml block of docs/FORMAT.md (0-based), or NULL; the caller frees it. */
static char *format_example(int n)
{
    size_t len;
    char *doc = tu_slurp("docs/FORMAT.md", &len), *p = doc, *out = NULL;
    for (int i = 0; (p = strstr(p, "```xml\n")) != NULL; i++) {
        p += 7;
        char *end = strstr(p, "```");
        if (!end)
            break;
        if (i == n) {
            out = strndup(p, (size_t)(end - p));
            break;
        }
    }
    free(doc);
    return out;
}

static void format_md_example_reads_against_its_school(void **state)
{
    world *w = *state;
    char *school = format_example(0), *tt = format_example(1);
    assert_non_null(school);
    assert_non_null(tt);
    pp_diags *d = pp_diags_new();
    pp_school *s = pp_xml_load_school_memory(school, strlen(school), "FORMAT.md", d);
    if (!s)
        pp_diags_print(d, stderr);
    assert_non_null(s);
    put_file(w->path, tt);
    pp_plan *p = pp_ttxml_read(w->path, s, d);
    if (!p)
        pp_diags_print(d, stderr);
    assert_non_null(p);
    assert_int_equal(p->ngroups, 1);
    assert_int_equal(p->nunserved, 1);
    assert_int_equal(p->nduty, 1);
    pp_plan_free(p);
    pp_school_free(s);
    pp_diags_free(d);
    free(school);
    free(tt);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(embedded_schema_is_the_xsd_file),
        T(writes_groups_sorted_with_escapes_and_stats),
        T(output_does_not_depend_on_insertion_order),
        T(write_error_is_reported),
        T(round_trip_is_byte_identical),
        T(reads_seconds_and_other_day_spellings),
        T(unknown_student_is_reported_with_file_and_line),
        T(every_unknown_id_and_bad_day_is_reported),
        T(classes_not_matching_students_are_reported),
        T(schema_violations_are_reported_with_line),
        T(duplicate_group_ids_are_refused),
        T(doctype_is_refused),
        T(malformed_xml_is_refused),
        T(timetable_of_another_school_is_refused),
        T(wrong_root_is_refused),
        T(missing_file_is_reported),
        T(format_md_example_reads_against_its_school),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
