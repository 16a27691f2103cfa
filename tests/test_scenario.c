/* test_scenario.c - scenario overlays (model/scenario.h, io/scenario_xml.h): each
 * kind of change alters the shipped tiny school exactly as docs/DISTRICT.md says,
 * choices are deterministic, bad scenario and manifest files are refused with
 * "file:line: <element>: what; expected ..." messages (every problem, not only
 * the first), and a change that does not fit a school is reported on applying.
 * Scenario files are written to a temporary folder by each test. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "io/scenario_xml.h"
#include "io/school_xml.h"
#include "model/scenario.h"

#define TINY "instances/tiny.xml"
#define HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
#define OPEN "<scenario xmlns=\"urn:paipian:district:1\" id=\"sc\" name=\"测试\">\n"

typedef struct {
    char dir[64];
} tmp;

static int setup(void **state)
{
    tmp *t = malloc(sizeof *t);
    snprintf(t->dir, sizeof t->dir, "/tmp/pp-scenario-XXXXXX");
    if (!t || !mkdtemp(t->dir))
        return -1;
    *state = t;
    return 0;
}

static int teardown(void **state)
{
    tmp *t = *state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", t->dir);
    int rc = system(cmd);
    free(t);
    return rc == 0 ? 0 : -1;
}

/* Writes text to DIR/name; returns the path (static buffer per call site use). */
static const char *put(const tmp *t, const char *name, const char *text, char *path, size_t n)
{
    snprintf(path, n, "%s/%s", t->dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return path;
}

static pp_school *tiny(void)
{
    pp_diags *d = pp_diags_new();
    pp_school *s = pp_xml_load_school(TINY, d);
    assert_non_null(s);
    pp_diags_free(d);
    return s;
}

/* Loads the scenario text and applies it to a fresh tiny school; asserts success. */
static pp_school *applied(const tmp *t, const char *body)
{
    char path[256], text[4096];
    snprintf(text, sizeof text, HEAD OPEN "%s</scenario>\n", body);
    pp_diags *d = pp_diags_new();
    pp_scenario *sc = pp_scenario_load(put(t, "sc.xml", text, path, sizeof path), d);
    if (!sc)
        pp_diags_print(d, stderr);
    assert_non_null(sc);
    pp_school *s = tiny();
    int n = pp_scenario_apply(sc, s, d);
    if (n)
        pp_diags_print(d, stderr);
    assert_int_equal(n, 0);
    pp_scenario_free(sc);
    pp_diags_free(d);
    return s;
}

/* The messages of loading (and, if it loads, applying to tiny) the scenario, joined by newlines. */
static char *problems(const tmp *t, const char *text)
{
    char path[256];
    pp_diags *d = pp_diags_new();
    pp_scenario *sc = pp_scenario_load(put(t, "bad.xml", text, path, sizeof path), d);
    if (sc) {
        pp_school *s = tiny();
        pp_scenario_apply(sc, s, d);
        pp_school_free(s);
        pp_scenario_free(sc);
    }
    size_t cap = 1;
    for (int i = 0; i < pp_diags_count(d); i++)
        cap += strlen(pp_diags_get(d, i)) + 1;
    char *all = calloc(cap, 1);
    for (size_t i = 0, at = 0; i < (size_t)pp_diags_count(d); i++)
        at += (size_t)snprintf(all + at, cap - at, "%s\n", pp_diags_get(d, (int)i));
    pp_diags_free(d);
    return all;
}

static int count_type(const pp_school *s, pp_staff_type ty)
{
    int n = 0;
    for (int i = 0; i < s->nstaff; i++)
        n += s->staff[i].type == ty;
    return n;
}

static void add_staff_has_type_specialities_and_only_the_named_slots(void **state)
{
    pp_school *s = applied(*state, "<add-staff type=\"external\" count=\"2\" specialities=\"football chess\" days=\"Wed\" periods=\"after\" max-sessions=\"3\"/>\n");
    assert_int_equal(s->nstaff, 6);
    int after = pp_school_find_period(s, "after"), chess = -1;
    for (int i = 0; i < s->nspecialities; i++)
        if (!strcmp(s->specialities[i], "chess"))
            chess = i;
    assert_true(chess >= 0);
    for (int i = 4; i < 6; i++) {
        const pp_staff *m = &s->staff[i];
        assert_int_equal(m->type, PP_STAFF_EXTERNAL);
        assert_int_equal(m->max_sessions, 3);
        assert_int_equal(m->max_minutes, 600);
        assert_true(pp_staff_has_spec(m, chess));
        assert_true(pp_staff_has_spec(m, s->activities[pp_school_find_activity(s, "football")].speciality));
        for (int d = 0; d < PP_DAYS; d++)
            assert_int_equal(m->avail[d], d == 2 ? 1u << after : 0u);
    }
    assert_string_not_equal(s->staff[4].id, s->staff[5].id);
    assert_int_equal(pp_school_find_staff(s, s->staff[4].id), 4);
    pp_school_free(s);
}

static void add_staff_star_takes_every_speciality_activities_ask_for(void **state)
{
    pp_school *s = applied(*state, "<add-staff type=\"external\" count=\"1\" specialities=\"*\"/>\n");
    assert_int_equal(s->staff[4].nspec, 1);
    assert_string_equal(s->specialities[s->staff[4].spec[0]], "football");
    assert_int_equal(s->staff[4].avail[0], 3u); /* both periods every school day */
    assert_int_equal(s->staff[4].avail[5], 0u);
    pp_school_free(s);
}

static void remove_staff_by_count_and_by_fraction(void **state)
{
    pp_school *s = applied(*state, "<remove-staff type=\"teacher\" count=\"1\"/>\n");
    assert_int_equal(count_type(s, PP_STAFF_TEACHER), 2);
    assert_int_equal(count_type(s, PP_STAFF_EXTERNAL), 1);
    pp_school_free(s);
    s = applied(*state, "<add-staff type=\"external\" count=\"3\" specialities=\"football\"/>\n"
                        "<remove-staff speciality=\"football\" fraction=\"0.5\"/>\n");
    assert_int_equal(count_type(s, PP_STAFF_EXTERNAL), 2);
    assert_int_equal(count_type(s, PP_STAFF_TEACHER), 3);
    pp_school_free(s);
    s = applied(*state, "<remove-staff type=\"teacher\" fraction=\"0.34\"/>\n"); /* round(1.02) = 1 */
    assert_int_equal(count_type(s, PP_STAFF_TEACHER), 2);
    pp_school_free(s);
}

static int available(const pp_school *s, pp_staff_type ty, int day, int period)
{
    int n = 0;
    for (int i = 0; i < s->nstaff; i++)
        n += s->staff[i].type == ty && (s->staff[i].avail[day] >> period & 1u);
    return n;
}

static void availability_keeps_the_factor_of_staff_at_the_named_slots_only(void **state)
{
    pp_school *base = tiny();
    int after = pp_school_find_period(base, "after"), noon = pp_school_find_period(base, "noon");
    /* Wed after: 3 teachers available; keep 1/3 -> 2 lose the slot.  Fri after: 2 available -> round(2*2/3)=1 loses it. */
    pp_school *s = applied(*state, "<availability type=\"teacher\" days=\"Wed Fri\" periods=\"after-school\" factor=\"0.3333\"/>\n");
    assert_int_equal(available(base, PP_STAFF_TEACHER, 2, after), 3);
    assert_int_equal(available(s, PP_STAFF_TEACHER, 2, after), 1);
    assert_int_equal(available(s, PP_STAFF_TEACHER, 4, after), 1);
    assert_int_equal(available(s, PP_STAFF_TEACHER, 2, noon), 3);
    assert_int_equal(available(s, PP_STAFF_TEACHER, 1, after), 3);
    assert_int_equal(available(s, PP_STAFF_EXTERNAL, 2, after), 1);
    /* the same file on a fresh school removes the same people */
    pp_school *again = applied(*state, "<availability type=\"teacher\" days=\"Wed Fri\" periods=\"after-school\" factor=\"0.3333\"/>\n");
    for (int i = 0; i < s->nstaff; i++)
        assert_memory_equal(s->staff[i].avail, again->staff[i].avail, sizeof s->staff[i].avail);
    pp_school_free(again);
    pp_school_free(s);
    pp_school_free(base);
}

static void add_venues_of_a_type_with_its_largest_capacity(void **state)
{
    pp_school *s = applied(*state, "<add-venues type=\"field\" count=\"2\"/>\n<add-venues type=\"lab\" count=\"1\" days=\"Mon\"/>\n");
    assert_int_equal(s->nvenues, 6);
    assert_int_equal(s->venues[3].capacity, 60);
    assert_string_equal(s->venue_types[s->venues[4].type], "field");
    assert_string_equal(s->venue_types[s->venues[5].type], "lab");
    assert_int_equal(s->venues[5].capacity, 40);
    assert_int_equal(s->venues[5].avail[0], 3u);
    assert_int_equal(s->venues[5].avail[1], 0u);
    pp_school_free(s);
}

static void policy_caps_groups_and_moves_defaults_taken_by_activities(void **state)
{
    pp_school *s = applied(*state, "<policy group-max=\"35\" qa-min=\"15\" duty-leaders-per-day=\"1\" adjacent-grade-merge=\"false\"/>\n");
    assert_int_equal(s->policy.group_max, 35);
    assert_int_equal(s->policy.duty_leaders_per_day, 1);
    assert_int_equal(s->policy.adjacent_grade_merge, 0);
    for (int i = 0; i < s->nactivities; i++)
        assert_true(s->activities[i].max_size <= 35);
    assert_int_equal(s->activities[pp_school_find_activity(s, "homework")].merge_threshold, 15);
    assert_int_equal(s->activities[pp_school_find_activity(s, "noon-care")].merge_threshold, 40);
    pp_school_free(s);
}

static void season_puts_the_whole_term_in_winter_times(void **state)
{
    pp_school *base = tiny();
    int weeks = base->seasons[0].weeks + base->seasons[1].weeks;
    pp_school_free(base);
    pp_school *s = applied(*state, "<season id=\"winter\"/>\n");
    assert_int_equal(s->nseasons, 1);
    assert_string_equal(s->seasons[0].id, "winter");
    assert_int_equal(s->seasons[0].weeks, weeks);
    const pp_period *after = &s->periods[pp_school_find_period(s, "after")];
    assert_int_equal(after->start_min[0], pp_parse_hhmm("15:45"));
    assert_int_equal(after->end_min[0], pp_parse_hhmm("16:50"));
    assert_int_equal(after->start_min[1], -1);
    pp_school_free(s);
}

static void bad_scenarios_name_file_line_element_and_what_is_expected(void **state)
{
    tmp *t = *state;
    char *m = problems(t, HEAD OPEN "  <add-staff type=\"coach\" count=\"1\"/>\n  <remove-staff type=\"teacher\"/>\n"
                                    "  <remove-staff count=\"1\" fraction=\"0.5\"/>\n</scenario>\n");
    char want[512];
    snprintf(want, sizeof want, "%s/bad.xml:3: <add-staff>: ", t->dir);
    assert_non_null(strstr(m, want));
    assert_non_null(strstr(m, "coach"));
    /* the schema stops the walk, so the remove-staff checks of meaning are not reached; fix the first and see them */
    free(m);
    m = problems(t, HEAD OPEN "  <remove-staff type=\"teacher\"/>\n  <remove-staff count=\"1\" fraction=\"0.5\"/>\n</scenario>\n");
    snprintf(want, sizeof want,
             "%s/bad.xml:3: <remove-staff>: neither count nor fraction is given; expected exactly one of count=\"N\" or fraction=\"0.1\"\n"
             "%s/bad.xml:4: <remove-staff>: both count and fraction are given; expected exactly one of count=\"N\" or fraction=\"0.1\"\n",
             t->dir, t->dir);
    assert_string_equal(m, want);
    free(m);
    m = problems(t, HEAD OPEN "  <season id=\"spring\"/>\n  <availability periods=\"evening\" factor=\"0.5\"/>\n</scenario>\n");
    snprintf(want, sizeof want,
             "%s/bad.xml:3: <season>: school has no season \"spring\"; expected one of its seasons: summer, winter\n"
             "%s/bad.xml:4: <availability>: none of periods=\"evening...\" is a period id or a period kind of school \"demo\"; "
             "expected <period> ids of the school or kinds among morning, noon, after-school, late, evening\n",
             t->dir, t->dir);
    assert_string_equal(m, want);
    free(m);
    m = problems(t, HEAD "<!DOCTYPE scenario [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n" OPEN "</scenario>\n");
    assert_non_null(strstr(m, "<!DOCTYPE>: document type declarations are refused"));
    free(m);
    m = problems(t, HEAD "<school xmlns=\"urn:paipian:school:1\"/>\n");
    assert_non_null(strstr(m, "bad.xml:2: <school>: not a district file; expected the root element <scenario"));
    free(m);
    m = problems(t, HEAD OPEN "<policy group-max=\"0\"/>\n</scenario>\n");
    assert_non_null(strstr(m, "bad.xml:3: <policy>: "));
    free(m);
}

static void a_change_that_breaks_the_school_is_reported_by_validation(void **state)
{
    char *m = problems(*state, HEAD OPEN "<policy group-max=\"10\" course-min=\"12\"/>\n</scenario>\n");
    assert_non_null(strstr(m, "course-min=12 is out of range; expected 1..group-max"));
    free(m);
    m = problems(*state, HEAD OPEN "<remove-staff speciality=\"football\" fraction=\"1\"/>\n</scenario>\n");
    assert_string_equal(m, "instances/tiny.xml:34: <activity id=\"football\">: no staff member has speciality \"football\"; "
                           "expected at least one <member> with it\n");
    free(m);
}

static void manifest_lists_baseline_first_and_resolves_paths_against_its_folder(void **state)
{
    tmp *t = *state;
    char path[256], man[256];
    put(t, "a.xml", HEAD "<scenario xmlns=\"urn:paipian:district:1\" id=\"a\"><policy group-max=\"30\"/></scenario>\n", path, sizeof path);
    put(t, "b.xml", HEAD "<scenario xmlns=\"urn:paipian:district:1\" id=\"a\" name=\"B\"/>\n", path, sizeof path);
    put(t, "m.xml", HEAD "<district xmlns=\"urn:paipian:district:1\" name=\"区\">\n  <school file=\"x/s1.xml\"/>\n"
                         "  <school file=\"/abs/s2.xml\"/>\n  <scenario file=\"a.xml\"/>\n</district>\n", man, sizeof man);
    pp_diags *d = pp_diags_new();
    pp_manifest *m = pp_manifest_load(man, d);
    assert_non_null(m);
    assert_string_equal(m->name, "区");
    assert_int_equal(m->nschools, 2);
    char want[512];
    snprintf(want, sizeof want, "%s/x/s1.xml", t->dir);
    assert_string_equal(m->schools[0], want);
    assert_string_equal(m->schools[1], "/abs/s2.xml");
    assert_int_equal(m->nscenarios, 2);
    assert_string_equal(m->scenarios[0]->id, "baseline");
    assert_int_equal(m->scenarios[0]->nchanges, 0);
    assert_string_equal(m->scenarios[1]->id, "a");
    pp_manifest_free(m);
    /* a duplicate id and a missing scenario file: both reported */
    put(t, "m.xml", HEAD "<district xmlns=\"urn:paipian:district:1\">\n  <school file=\"s.xml\"/>\n  <scenario file=\"a.xml\"/>\n"
                         "  <scenario file=\"b.xml\"/>\n  <scenario file=\"nope.xml\"/>\n</district>\n", man, sizeof man);
    m = pp_manifest_load(man, d);
    assert_null(m);
    assert_int_equal(pp_diags_count(d), 2);
    snprintf(want, sizeof want, "%s:5: <scenario file=\"b.xml\">: scenario id \"a\" is already used at line 4; expected a unique id per scenario", man);
    int found = 0;
    for (int i = 0; i < pp_diags_count(d); i++)
        found |= !strcmp(pp_diags_get(d, i), want);
    assert_true(found);
    pp_diags_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(add_staff_has_type_specialities_and_only_the_named_slots, setup, teardown),
        cmocka_unit_test_setup_teardown(add_staff_star_takes_every_speciality_activities_ask_for, setup, teardown),
        cmocka_unit_test_setup_teardown(remove_staff_by_count_and_by_fraction, setup, teardown),
        cmocka_unit_test_setup_teardown(availability_keeps_the_factor_of_staff_at_the_named_slots_only, setup, teardown),
        cmocka_unit_test_setup_teardown(add_venues_of_a_type_with_its_largest_capacity, setup, teardown),
        cmocka_unit_test_setup_teardown(policy_caps_groups_and_moves_defaults_taken_by_activities, setup, teardown),
        cmocka_unit_test_setup_teardown(season_puts_the_whole_term_in_winter_times, setup, teardown),
        cmocka_unit_test_setup_teardown(bad_scenarios_name_file_line_element_and_what_is_expected, setup, teardown),
        cmocka_unit_test_setup_teardown(a_change_that_breaks_the_school_is_reported_by_validation, setup, teardown),
        cmocka_unit_test_setup_teardown(manifest_lists_baseline_first_and_resolves_paths_against_its_folder, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
