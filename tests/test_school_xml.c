/* test_school_xml.c - the school loader: the FORMAT.md example loads with the
 * documented defaults, good fixtures under tests/data/school/ load, every file of
 * the bad-input corpus tests/bad/NAME.xml is refused with the message of
 * tests/bad/NAME.expected, and a 6,000-student school loads fast.
 *
 * The corpus is read from the directory at run time, so adding a NAME.xml with its
 * NAME.expected adds a test case.  Run from the repository root (make test does). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util.h"
#include "io/school_xml.h"

#define BAD_DIR "tests/bad"
#define GOOD_DIR "tests/data/school"
#define XXE_SECRET "PAIPIAN-XXE-SECRET-7f3a"


/* The first ```xml block of docs/FORMAT.md (caller frees). */
static char *format_example(size_t *len)
{
    char *md = tu_slurp("docs/FORMAT.md", NULL);
    assert_non_null(md);
    char *a = strstr(md, "```xml\n");
    assert_non_null(a);
    a += 7;
    char *b = strstr(a, "```");
    assert_non_null(b);
    *len = (size_t)(b - a);
    char *x = malloc(*len + 1);
    memcpy(x, a, *len);
    x[*len] = '\0';
    free(md);
    return x;
}

static void print_diags(const pp_diags *d)
{
    for (int i = 0; i < pp_diags_count(d); i++)
        print_message("  %s\n", pp_diags_get(d, i));
}

static double seconds_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0->tv_nsec);
}

/* Valgrind runs code ~50 times slower; time limits are for native runs. */
static double time_limit(double native)
{
    const char *pre = getenv("LD_PRELOAD");
    return pre && strstr(pre, "vgpreload") ? native * 60 : native;
}

static void embedded_xsd_is_io_school_xsd(void **state)
{
    (void)state;
    size_t flen, elen;
    char *file = tu_slurp("io/school.xsd", &flen);
    const char *emb = pp_xml_school_xsd(&elen);
    assert_non_null(file);
    assert_int_equal(flen, elen);
    assert_memory_equal(file, emb, flen);
    assert_int_equal(emb[elen], '\0');
    free(file);
}

static void format_example_loads_with_defaults(void **state)
{
    (void)state;
    size_t len;
    char *xml = format_example(&len);
    pp_diags *d = pp_diags_new();
    pp_school *s = pp_xml_load_school_memory(xml, len, "FORMAT.md", d);
    print_diags(d);
    assert_non_null(s);
    assert_int_equal(pp_diags_count(d), 0);

    assert_string_equal(s->id, "demo");
    assert_string_equal(s->name, "示例小学");
    assert_string_equal(s->source, "FORMAT.md");
    assert_int_equal(s->day_mask, 0x1f);
    /* policy: given values and the defaults of the rest */
    assert_int_equal(s->policy.group_max, 40);
    assert_int_equal(s->policy.course_min, 15);
    assert_int_equal(s->policy.qa_min, 20);
    assert_int_equal(s->policy.class_merge_threshold, 40);

    /* seasons: weeks = round(days / 7) */
    assert_int_equal(s->nseasons, 2);
    assert_string_equal(s->seasons[0].name, "夏令时");
    assert_int_equal(s->seasons[0].start_days, pp_parse_date("2026-09-01"));
    assert_int_equal(s->seasons[0].weeks, 4);   /* 30 days */
    assert_int_equal(s->seasons[1].weeks, 15);  /* 107 days */

    /* periods: windows per season, care resolved to an index */
    assert_int_equal(s->nperiods, 2);
    int noon = pp_school_find_period(s, "noon"), after = pp_school_find_period(s, "after");
    assert_int_equal(noon, 0);
    assert_int_equal(after, 1);
    assert_string_equal(s->periods[noon].name, "午间托管");
    assert_int_equal(s->periods[noon].kind, PP_PERIOD_NOON);
    assert_int_equal(s->periods[after].kind, PP_PERIOD_AFTER);
    assert_int_equal(s->periods[noon].start_min[0], 12 * 60 + 10);
    assert_int_equal(s->periods[noon].end_min[0], 14 * 60);
    assert_int_equal(s->periods[noon].end_min[1], 13 * 60 + 30);
    assert_int_equal(s->periods[after].start_min[1], 15 * 60 + 45);
    assert_int_equal(s->periods[noon].start_min[2], -1);
    assert_int_equal(s->periods[noon].care, pp_school_find_activity(s, "noon-care"));
    assert_int_equal(s->periods[after].care, pp_school_find_activity(s, "homework"));
    assert_int_equal(s->periods[noon].days, 0x1f);
    assert_int_equal(s->periods[noon].grade_mask, 1u << 3);
    assert_true(s->periods[noon].line > 1);

    assert_int_equal(s->ngrades, 1);
    assert_int_equal(s->grades[0].level, 3);
    assert_string_equal(s->grades[0].name, "三年级");

    assert_int_equal(s->nvenues, 2);
    int field = pp_school_find_venue(s, "field");
    assert_string_equal(s->venue_types[s->venues[field].type], "field");
    assert_int_equal(s->venues[field].capacity, 60);
    assert_int_equal(s->venues[field].avail[0], 0x3);

    assert_int_equal(s->nclasses, 1);
    assert_int_equal(s->classes[0].grade, 3);
    assert_int_equal(s->classes[0].room, pp_school_find_venue(s, "r301"));
    assert_string_equal(s->classes[0].name, "三年级1班");

    /* activities: defaults depend on the kind */
    const pp_activity *care = &s->activities[pp_school_find_activity(s, "noon-care")];
    const pp_activity *hw = &s->activities[pp_school_find_activity(s, "homework")];
    const pp_activity *fb = &s->activities[pp_school_find_activity(s, "football")];
    assert_int_equal(care->kind, PP_ACT_CARE);
    assert_int_equal(care->tier, PP_TIER_GRADE);
    assert_int_equal(care->min_size, 0);
    assert_int_equal(care->max_size, 40);
    assert_int_equal(care->merge_threshold, 40);
    assert_int_equal(care->venue_type, -1);
    assert_int_equal(hw->merge_threshold, 20);
    assert_int_equal(fb->kind, PP_ACT_CLUB);
    assert_int_equal(fb->tier, PP_TIER_SCHOOL);
    assert_int_equal(fb->min_size, 1);
    assert_int_equal(fb->max_size, 40);
    assert_int_equal(fb->sessions, 1);
    assert_string_equal(fb->category, "体质健康");
    assert_string_equal(s->venue_types[fb->venue_type], "field");
    assert_string_equal(s->specialities[fb->speciality], "football");
    assert_true(fb->fee == 0);
    assert_int_equal(fb->slots[2], 1u << after);
    assert_int_equal(fb->slots[4], 1u << after);
    assert_int_equal(fb->slots[0], 0);
    assert_int_equal(fb->grade_mask, 1u << 3);

    /* staff: availability minus <unavailable>, specialities interned */
    assert_int_equal(s->nstaff, 3);
    const pp_staff *t1 = &s->staff[pp_school_find_staff(s, "t1")];
    const pp_staff *k1 = &s->staff[pp_school_find_staff(s, "k1")];
    assert_string_equal(t1->name, "张老师");
    assert_true(t1->duty_leader);
    assert_int_equal(t1->max_sessions, 10);
    assert_int_equal(t1->max_minutes, 600);
    assert_int_equal(k1->type, PP_STAFF_EXTERNAL);
    assert_true(pp_staff_has_spec(k1, fb->speciality));
    assert_int_equal(k1->avail[0], 0);
    assert_int_equal(k1->avail[1], 0);
    assert_int_equal(k1->avail[2], 0x3);

    /* students: stays on all days the periods run unless days are given */
    assert_int_equal(s->nstudents, 2);
    const pp_student *s1 = &s->students[pp_school_find_student(s, "s1")];
    const pp_student *s2 = &s->students[pp_school_find_student(s, "s2")];
    assert_string_equal(s1->name, "王小明");
    assert_int_equal(s1->cls, 0);
    assert_int_equal(s1->nchoices, 1);
    assert_int_equal(s1->choices[0], pp_school_find_activity(s, "football"));
    for (int day = 0; day < 5; day++)
        assert_int_equal(s1->stay[day], 0x3);
    assert_int_equal(s1->stay[5], 0);
    assert_int_equal(s2->priority, PP_PRIO_LEFT_BEHIND);
    assert_int_equal(s2->nchoices, 0);
    assert_int_equal(s2->stay[2], 1u << after);
    assert_int_equal(s2->stay[3], 0);

    pp_school_free(s);
    pp_diags_free(d);
    free(xml);
}

static void fullwidth_colon_time_is_accepted(void **state)
{
    (void)state;
    pp_diags *d = pp_diags_new();
    pp_school *s = pp_xml_load_school(GOOD_DIR "/fullwidth_colon.xml", d);
    print_diags(d);
    assert_non_null(s);
    int late = pp_school_find_period(s, "after");
    assert_int_equal(s->periods[late].end_min[0], 17 * 60 + 30);
    pp_school_free(s);
    pp_diags_free(d);
}

static void policy_and_explicit_attributes_override_defaults(void **state)
{
    (void)state;
    pp_diags *d = pp_diags_new();
    pp_school *s = pp_xml_load_school(GOOD_DIR "/policy_full.xml", d);
    print_diags(d);
    assert_non_null(s);
    const pp_policy *p = &s->policy;
    assert_int_equal(p->group_max, 35);
    assert_int_equal(p->course_min, 10);
    assert_int_equal(p->qa_min, 18);
    assert_int_equal(p->adjacent_grade_merge, 0);
    assert_true(p->fee_per_session == 25.5);
    assert_true(p->workload_weight[PP_ACT_CLUB] == 2);
    assert_true(p->workload_weight[PP_ACT_HOMEWORK] == 1.2);
    assert_true(p->subsidy_per_hour[PP_STAFF_EXTERNAL] == 120);
    assert_true(p->subsidy_per_hour[PP_STAFF_TEACHER] == 50);
    assert_int_equal(p->nranks_weighted, 4);
    assert_true(p->w_rank[3] == 8);
    assert_true(p->w_unserved == 500);
    assert_true(p->w_max_load == 0.02);
    assert_true(p->w_group == 2);
    assert_int_equal(s->seasons[1].weeks, 14);

    /* defaults follow the policy of this file */
    const pp_activity *hw = &s->activities[pp_school_find_activity(s, "homework")];
    const pp_activity *art = &s->activities[pp_school_find_activity(s, "art")];
    const pp_activity *fb = &s->activities[pp_school_find_activity(s, "football")];
    assert_int_equal(hw->tier, PP_TIER_CLASS);
    assert_int_equal(hw->merge_threshold, 18);
    assert_int_equal(hw->max_size, 35);
    assert_int_equal(art->kind, PP_ACT_COURSE);
    assert_true(art->fee == 25.5);
    assert_string_equal(art->provider, "某艺术中心");
    /* a slot without days: every day its period runs */
    for (int day = 0; day < 5; day++)
        assert_int_equal(art->slots[day], 1u << pp_school_find_period(s, "after"));
    /* Chinese day names */
    assert_int_equal(fb->slots[2], 1u << pp_school_find_period(s, "after"));
    assert_int_equal(fb->slots[4], 1u << pp_school_find_period(s, "after"));
    assert_int_equal(fb->slots[3], 0);
    pp_school_free(s);
    pp_diags_free(d);
}

static void missing_file_is_reported(void **state)
{
    (void)state;
    pp_diags *d = pp_diags_new();
    assert_null(pp_xml_load_school(BAD_DIR "/no-such-file.xml", d));
    assert_int_equal(pp_diags_count(d), 1);
    assert_non_null(strstr(pp_diags_get(d, 0), "no-such-file.xml: cannot open"));
    pp_diags_free(d);
}

/* Appends printf output to a growing buffer. */
typedef struct {
    char *p;
    size_t n, cap;
} strbuf;

static void sb_printf(strbuf *b, const char *fmt, ...)
{
    va_list ap;
    for (;;) {
        va_start(ap, fmt);
        int k = vsnprintf(b->p + b->n, b->cap - b->n, fmt, ap);
        va_end(ap);
        if ((size_t)k < b->cap - b->n) {
            b->n += (size_t)k;
            return;
        }
        b->cap = 2 * b->cap + (size_t)k;
        b->p = realloc(b->p, b->cap);
        assert_non_null(b->p);
    }
}

/* 6,000 students in 150 classes of grades 1..6, three clubs each, as a solve of a
 * large school would see them. */
static char *big_school(int nstudents, size_t *len)
{
    strbuf b = { malloc(1 << 20), 0, 1 << 20 };
    sb_printf(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<school xmlns=\"urn:paipian:school:1\" id=\"big\" name=\"大学校\">\n"
                  "<seasons><season id=\"autumn\" name=\"秋\" start=\"2026-09-01\" end=\"2027-01-15\"/></seasons>\n<periods>\n"
                  "<period id=\"noon\" kind=\"noon\" care=\"care\"><window season=\"autumn\" start=\"12:00\" end=\"13:30\"/></period>\n"
                  "<period id=\"after\" kind=\"after-school\" care=\"hw\"><window season=\"autumn\" start=\"16:00\" end=\"17:30\"/></period>\n"
                  "</periods>\n<grades>");
    for (int g = 1; g <= 6; g++)
        sb_printf(&b, "<grade level=\"%d\" name=\"%d年级\"/>", g, g);
    sb_printf(&b, "</grades>\n<venues><venue id=\"field\" type=\"field\" capacity=\"200\"/>\n");
    int nclasses = 150;
    for (int c = 0; c < nclasses; c++)
        sb_printf(&b, "<venue id=\"r%d\" type=\"classroom\" capacity=\"50\"/>\n", c);
    sb_printf(&b, "</venues>\n<classes>\n");
    for (int c = 0; c < nclasses; c++)
        sb_printf(&b, "<class id=\"c%d\" name=\"%d年级%d班\" grade=\"%d\" room=\"r%d\"/>\n", c, c % 6 + 1, c / 6 + 1, c % 6 + 1, c);
    sb_printf(&b, "</classes>\n<activities><activity id=\"care\" kind=\"care\"/><activity id=\"hw\" kind=\"homework\"/>\n");
    for (int a = 0; a < 60; a++)
        sb_printf(&b, "<activity id=\"club%d\" name=\"社团%d\" kind=\"club\" venue-type=\"field\"><slot days=\"Wed\" periods=\"after\"/></activity>\n", a, a);
    sb_printf(&b, "</activities>\n<staff>\n");
    for (int t = 0; t < 200; t++)
        sb_printf(&b, "<member id=\"t%d\" type=\"teacher\"/>\n", t);
    sb_printf(&b, "</staff>\n<students>\n");
    for (int i = 0; i < nstudents; i++)
        sb_printf(&b, "<student id=\"s%05d\" name=\"学生%d\" class=\"c%d\" choices=\"club%d club%d club%d\"><stay periods=\"noon after\"/></student>\n",
                  (i * 7919) % nstudents, i, i % nclasses, i % 60, (i + 1) % 60, (i + 2) % 60);
    sb_printf(&b, "</students>\n</school>\n");
    *len = b.n;
    return b.p;
}

static void six_thousand_students_load_fast(void **state)
{
    (void)state;
    size_t len;
    char *xml = big_school(6000, &len);
    pp_diags *d = pp_diags_new();
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pp_school *s = pp_xml_load_school_memory(xml, len, "big.xml", d);
    double sec = seconds_since(&t0);
    print_diags(d);
    assert_non_null(s);
    assert_int_equal(s->nstudents, 6000);
    assert_int_equal(s->students[pp_school_find_student(s, "s00042")].nchoices, 3);
    print_message("  6000 students loaded in %.3f s\n", sec);
    assert_true(sec < time_limit(1.0));
    pp_school_free(s);
    pp_diags_free(d);
    free(xml);
}

/* ---- corpus cases, one per file ------------------------------------------ */

static void good_fixture_loads(void **state)
{
    const char *path = *state;
    pp_diags *d = pp_diags_new();
    pp_school *s = pp_xml_load_school(path, d);
    print_diags(d);
    assert_non_null(s);
    assert_int_equal(pp_diags_count(d), 0);
    assert_string_equal(s->source, path);
    pp_school_free(s);
    pp_diags_free(d);
}

static void bad_input_is_refused(void **state)
{
    const char *path = *state;
    char exp_path[1024];
    snprintf(exp_path, sizeof exp_path, "%.*s.expected", (int)(strlen(path) - 4), path);
    char *expected = tu_slurp(exp_path, NULL);
    if (!expected)
        fail_msg("%s has no %s naming the expected message", path, exp_path);
    expected[strcspn(expected, "\r\n")] = '\0';
    assert_true(expected[0] != '\0');

    pp_diags *d = pp_diags_new();
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pp_school *s = pp_xml_load_school(path, d);
    double sec = seconds_since(&t0);
    int found = 0;
    for (int i = 0; i < pp_diags_count(d); i++) {
        const char *m = pp_diags_get(d, i);
        found |= strstr(m, expected) != NULL;
        /* the XXE case points at a file holding this text: it must never be read */
        assert_null(strstr(m, XXE_SECRET));
    }
    if (s || !found) {
        print_message("  expected a message containing: %s\n  got:\n", expected);
        print_diags(d);
    }
    assert_null(s);
    assert_true(found);
    assert_true(sec < time_limit(1.0)); /* entity bombs and deep nesting are refused quickly */
    pp_diags_free(d);
    free(expected);
}

int main(void)
{
    static const struct CMUnitTest fixed[] = {
        cmocka_unit_test(embedded_xsd_is_io_school_xsd),
        cmocka_unit_test(format_example_loads_with_defaults),
        cmocka_unit_test(fullwidth_colon_time_is_accepted),
        cmocka_unit_test(policy_and_explicit_attributes_override_defaults),
        cmocka_unit_test(missing_file_is_reported),
        cmocka_unit_test(six_thousand_students_load_fast),
    };
    int nbad, ngood;
    char **bad = tu_list_files(BAD_DIR, ".xml", &nbad);
    char **good = tu_list_files(GOOD_DIR, ".xml", &ngood);
    size_t nfixed = sizeof fixed / sizeof *fixed, total = nfixed + (size_t)nbad + (size_t)ngood;
    struct CMUnitTest *tests = calloc(total, sizeof *tests);
    memcpy(tests, fixed, sizeof fixed);
    size_t k = nfixed;
    for (int i = 0; i < ngood; i++)
        tests[k++] = (struct CMUnitTest){ good[i], good_fixture_loads, NULL, NULL, good[i] };
    for (int i = 0; i < nbad; i++)
        tests[k++] = (struct CMUnitTest){ bad[i], bad_input_is_refused, NULL, NULL, bad[i] };
    int rc = _cmocka_run_group_tests("school_xml", tests, total, NULL, NULL);
    for (int i = 0; i < nbad; i++)
        free(bad[i]);
    for (int i = 0; i < ngood; i++)
        free(good[i]);
    free(bad);
    free(good);
    free(tests);
    return rc;
}
