/* test_check.c - the independent checker on a school small enough to plan by hand:
 * the hand-made plan keeps every rule, and each test makes one change to the plan
 * (or to one number of the school) and expects exactly the violations that change
 * causes, of one rule, with the rule id and the ids in the message.  Also: the
 * counts, the bounded listing and the summary line, on 20,000 groups in one slot.
 * The merge, priority and duty cases of issue 12 are schools of their own under
 * tests/data/rules/ (tests/test_check_rules.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "model/check.h"
#include "model/plan.h"

#define MON 0
#define WED 2
#define DAYS_MON_WED ((1u << MON) | (1u << WED))

/* Indices of the hand-built school (see setup). */
enum { A_HOMEWORK, A_READING, A_FOOTBALL };
enum { C31, C32, C41 };
enum { T1, T2, T3, K1 };
enum { P_AFTER };

typedef struct {
    pp_school *s;
    pp_plan *p;
    int field;              /* venue index of field1 */
    int room[3];            /* home rooms of the classes */
} world;

/* Grade 3: c3-1 has students 0..4 (0, 1, 2 chose football), c3-2 has 5..8; grade 4:
 * c4-1 has 9..11, and 11 stays on Monday only.  Everyone else stays Mon and Wed;
 * service runs on Mon and Wed.  Grades do not merge (adjacent-grade-merge off), so
 * grade 4 keeps its own group beside grade 3's. */
static pp_school *build_school(world *w)
{
    pp_school *s = fx_school();
    fx_grade(s, 3);
    fx_grade(s, 4);
    s->policy.adjacent_grade_merge = 0;
    assert_int_equal(fx_care(s, "homework", PP_ACT_HOMEWORK, PP_TIER_GRADE, 20), A_HOMEWORK);
    assert_int_equal(fx_care(s, "reading", PP_ACT_READING, PP_TIER_GRADE, 40), A_READING);
    assert_int_equal(fx_club(s, "football", WED, P_AFTER, 2, 10, "field", "football"), A_FOOTBALL);
    assert_int_equal(fx_period(s, "after", PP_PERIOD_AFTER, DAYS_MON_WED, 16 * 60, 17 * 60, A_HOMEWORK), P_AFTER);
    w->room[C31] = s->nvenues;
    assert_int_equal(fx_class(s, "c3-1", 3), C31);
    w->room[C32] = s->nvenues;
    assert_int_equal(fx_class(s, "c3-2", 3), C32);
    w->room[C41] = s->nvenues;
    assert_int_equal(fx_class(s, "c4-1", 4), C41);
    w->field = fx_venue(s, "field1", "field", 30);
    fx_staff(s, "t1", PP_STAFF_TEACHER, "", 5);
    fx_staff(s, "t2", PP_STAFF_TEACHER, "", 5);
    fx_staff(s, "t3", PP_STAFF_TEACHER, "", 5);
    fx_staff(s, "k1", PP_STAFF_EXTERNAL, "football", 5);
    s->staff[K1].duty_leader = 0;
    int football[] = { A_FOOTBALL, -1 };
    fx_students(s, C31, 3, P_AFTER, DAYS_MON_WED, football, 0);
    fx_students(s, C31, 2, P_AFTER, DAYS_MON_WED, NULL, 0);
    fx_students(s, C32, 4, P_AFTER, DAYS_MON_WED, NULL, 0);
    fx_students(s, C41, 2, P_AFTER, DAYS_MON_WED, NULL, 0);
    fx_students(s, C41, 1, P_AFTER, 1u << MON, NULL, 0);
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
    assert_true(pp_plan_add_group(w->p, w->s, act, day, P_AFTER, venue, &staff, 1, stu, n) >= 0);
}

/* In timetable order: g1 Mon homework c3-1+c3-2, g2 Mon homework c4-1, g3 Wed
 * homework c3-1 (not at football)+c3-2, g4 Wed homework c4-1, g5 Wed football. */
static pp_plan *build_plan(world *w)
{
    w->p = pp_plan_new();
    int mon_a[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8 }, mon_b[] = { 9, 10, 11 };
    int wed_a[] = { 2, 3, 4, 5, 6, 7, 8 }, wed_b[] = { 9, 10 }, club[] = { 0, 1 };
    add(w, A_FOOTBALL, WED, w->field, K1, club, 2); /* added out of order on purpose */
    add(w, A_HOMEWORK, MON, w->room[C31], T1, mon_a, 9);
    add(w, A_HOMEWORK, MON, w->room[C41], T2, mon_b, 3);
    add(w, A_HOMEWORK, WED, w->room[C31], T1, wed_a, 7);
    add(w, A_HOMEWORK, WED, w->room[C41], T2, wed_b, 2);
    int mon_duty[] = { T3, T1 }, wed_duty[] = { T3, T2 };
    assert_int_equal(pp_plan_set_duty(w->p, MON, mon_duty, 2), 0);
    assert_int_equal(pp_plan_set_duty(w->p, WED, wed_duty, 2), 0);
    return w->p;
}

static int setup(void **state)
{
    world *w = calloc(1, sizeof *w);
    w->s = build_school(w);
    build_plan(w);
    *state = w;
    return 0;
}

static int teardown(void **state)
{
    world *w = *state;
    pp_plan_free(w->p);
    pp_school_free(w->s);
    free(w);
    return 0;
}

/* The plan's group at (day, activity) whose first class is cls. */
static pp_group *group(world *w, int day, int act, int cls)
{
    for (int i = 0; i < w->p->ngroups; i++) {
        pp_group *g = &w->p->groups[i];
        if (g->day == day && g->activity == act && g->classes[0] == cls)
            return g;
    }
    fail_msg("no such group");
    return NULL;
}

/* Asserts the checker finds exactly `want` violations, all of rule r (when want >
 * 0), one of them containing text, and no note. */
static void expect_rule(world *w, int want, pp_check_rule r, const char *text)
{
    pp_diags *d = pp_diags_new(), *notes = pp_diags_new();
    pp_check_counts k;
    int n = pp_check_run(w->s, w->p, d, notes, &k), found = text == NULL;
    for (int i = 0; i < pp_diags_count(d); i++)
        found |= text && strstr(pp_diags_get(d, i), text) != NULL;
    if (n != want || !found || (want && k.by_rule[r] != want) || pp_diags_count(notes)) {
        fprintf(stderr, "expected %d [%s] violation(s) with \"%s\", got %d:\n", want, pp_check_rule_id(r),
                text ? text : "", n);
        pp_diags_print(d, stderr);
        pp_diags_print(notes, stderr);
    }
    assert_int_equal(n, want);
    assert_int_equal(k.violations, want);
    assert_int_equal(pp_diags_count(d), want); /* under the listing cap every violation is listed */
    if (want)
        assert_int_equal(k.by_rule[r], want);
    assert_int_equal(pp_diags_count(notes), 0);
    assert_true(found);
    pp_diags_free(d);
    pp_diags_free(notes);
}

static void expect_none(world *w)
{
    expect_rule(w, 0, PP_RULE_C1, NULL);
}

/* ---------- the valid plan ------------------------------------------------------ */

static void hand_made_plan_keeps_every_rule(void **state)
{
    expect_none(*state);
}

static void C1_unserved_student_listed_with_reason_is_no_violation(void **state)
{
    world *w = *state;
    w->p->groups[2].nstudents--; /* Mon c4-1 group loses student 11 */
    assert_int_equal(pp_plan_add_unserved(w->p, 11, MON, P_AFTER, "no free staff"), 0);
    expect_none(w);
}

/* ---------- coverage ------------------------------------------------------------- */

static void C1_missing_student(void **state)
{
    world *w = *state;
    group(w, MON, A_HOMEWORK, C31)->nstudents--; /* student 8 (c3-2) drops out */
    expect_rule(w, 1, PP_RULE_C1, "[C1] student c3-2-s008 asked to stay on Mon after and has no group there (and is not "
                                  "listed unserved); expected a group, or an unserved entry with the reason");
}

static void C1_student_in_two_groups(void **state)
{
    world *w = *state;
    pp_group *club = group(w, WED, A_FOOTBALL, C31);
    int stu[] = { 0, 1, 2 }; /* 2 chose football but is in homework */
    club->students = stu;
    club->nstudents = 3;
    expect_rule(w, 1, PP_RULE_C1, "[C1] student c3-1-s002 is in two groups at once at Wed after: homework g3, football "
                                  "g5; expected exactly one group at a time");
}

static void C1_unserved_without_a_reason(void **state)
{
    world *w = *state;
    w->p->groups[2].nstudents--;
    assert_int_equal(pp_plan_add_unserved(w->p, 11, MON, P_AFTER, ""), 0);
    expect_rule(w, 1, PP_RULE_C1, "[C1] student c4-1-s011 is listed unserved on Mon after without a reason");
}

static void C2_member_who_did_not_ask(void **state)
{
    world *w = *state;
    pp_group *g = group(w, WED, A_HOMEWORK, C41);
    int stu[] = { 9, 10, 11 };  /* 11 stays on Mondays only */
    g->students = stu;
    g->nstudents = 3;
    expect_rule(w, 1, PP_RULE_C2, "[C2] student c4-1-s011 is in homework g4 (Wed after) but did not ask to stay on Wed "
                                  "after; expected only students who stay then");
}

static void C2_period_not_for_members_grade(void **state)
{
    world *w = *state;
    w->s->periods[P_AFTER].grade_mask = 1u << 3;
    /* the 3 grade-4 students on Monday and the 2 on Wednesday */
    expect_rule(w, 5, PP_RULE_C2, "[C2] student c4-1-s009 (grade 4) is in homework g2 (Mon after), but period after does "
                                  "not run for grade 4");
}

static void C2_unserved_and_in_a_group(void **state)
{
    world *w = *state;
    pp_plan_add_unserved(w->p, 3, MON, P_AFTER, "no room");
    expect_rule(w, 1, PP_RULE_C2, "[C2] student c3-1-s003 is listed unserved on Mon after but is in homework g1 (Mon "
                                  "after)");
}

static void C2_unserved_without_asking(void **state)
{
    world *w = *state;
    pp_plan_add_unserved(w->p, 11, WED, P_AFTER, "no room");
    expect_rule(w, 1, PP_RULE_C2, "[C2] student c4-1-s011 is listed unserved on Wed after but did not ask to stay then");
}

static void C2_unserved_twice(void **state)
{
    world *w = *state;
    w->p->groups[2].nstudents--;
    pp_plan_add_unserved(w->p, 11, MON, P_AFTER, "no room");
    pp_plan_add_unserved(w->p, 11, MON, P_AFTER, "no room");
    expect_rule(w, 1, PP_RULE_C2, "[C2] student c4-1-s011 is listed unserved twice on Mon after; expected one entry");
}

/* ---------- slots ------------------------------------------------------------------- */

static void C3_group_on_a_day_the_period_does_not_run(void **state)
{
    world *w = *state;
    w->s->periods[P_AFTER].days = 1u << MON;
    expect_rule(w, 3, PP_RULE_C3, "[C3] football g5 (Wed after) meets when period after does not run (Wed is not one of "
                                  "its days); expected a day it runs: Mon");
}

static void C3_club_outside_its_slots(void **state)
{
    world *w = *state;
    w->s->activities[A_FOOTBALL].slots[WED] = 0;
    w->s->activities[A_FOOTBALL].slots[MON] = 1u << P_AFTER;
    expect_rule(w, 1, PP_RULE_C3, "[C3] football g5 (Wed after) meets outside the slots activity football allows; "
                                  "expected one of: Mon after");
}

static void C3_wrong_care_activity(void **state)
{
    world *w = *state;
    group(w, MON, A_HOMEWORK, C41)->activity = A_READING;
    expect_rule(w, 1, PP_RULE_C3, "[C3] reading g2 (Mon after) is care, but the care activity of period after is "
                                  "homework; expected homework");
}

/* ---------- clubs ------------------------------------------------------------------- */

static void K1_club_under_minimum(void **state)
{
    world *w = *state;
    w->s->activities[A_FOOTBALL].min_size = 3;
    expect_rule(w, 1, PP_RULE_K1, "[K1] football g5 (Wed after) has 2 students; expected 3..10 (opening minimum and cap");
}

static void K1_club_over_its_max(void **state)
{
    world *w = *state;
    w->s->activities[A_FOOTBALL].min_size = 1;
    w->s->activities[A_FOOTBALL].max_size = 1;
    expect_rule(w, 1, PP_RULE_K1, "[K1] football g5 (Wed after) has 2 students; expected 1..1");
}

static void K1_club_member_who_did_not_choose_it(void **state)
{
    world *w = *state;
    w->s->students[1].nchoices = 0;
    expect_rule(w, 1, PP_RULE_K1, "[K1] student c3-1-s001 is in football g5 (Wed after) without having chosen it");
}

static void K1_club_member_of_another_grade(void **state)
{
    world *w = *state;
    w->s->activities[A_FOOTBALL].grade_mask = 1u << 4;
    expect_rule(w, 2, PP_RULE_K1, "[K1] student c3-1-s000 (grade 3) is in football g5 (Wed after), which is not open to "
                                  "grade 3");
}

static void K1_grade_tier_club_of_two_grades(void **state)
{
    world *w = *state;
    w->s->activities[A_FOOTBALL].tier = PP_TIER_GRADE;
    w->s->students[9].nchoices = 1;
    w->s->students[9].choices[0] = A_FOOTBALL;
    pp_group *club = group(w, WED, A_FOOTBALL, C31), *hw = group(w, WED, A_HOMEWORK, C41);
    int stu[] = { 0, 1, 9 }, rest[] = { 10 };
    club->students = stu;
    club->nstudents = 3;
    hw->students = rest;
    hw->nstudents = 1;
    expect_rule(w, 1, PP_RULE_K1, "[K1] football g5 (Wed after) mixes grades 3..4; expected one grade (tier grade)");
}

static void K2_too_many_clubs_and_sessions(void **state)
{
    world *w = *state;
    w->s->policy.max_activities_per_student = 0;
    expect_rule(w, 2, PP_RULE_K2, "[K2] student c3-1-s000 has 1 clubs/courses a week (football); expected at most 0");
    w->s->policy.max_activities_per_student = 1;
    w->s->activities[A_FOOTBALL].sessions = 0;
    expect_rule(w, 2, PP_RULE_K2, "[K2] student c3-1-s001 attends football 1 times a week; expected at most 0");
}

/* ---------- care ---------------------------------------------------------------------- */

static void G1_merged_group_over_group_max(void **state)
{
    world *w = *state;
    w->s->policy.group_max = 8; /* Monday's c3-1+c3-2 group has 9, Wednesday's 7 */
    expect_rule(w, 1, PP_RULE_G1, "[G1] homework g1 (Mon after) has 9 students (c3-1 5, c3-2 4); expected at most 8 "
                                  "(group-max)");
}

/* Adds n students to c4-1 staying on Monday (indices from 12) and validates again. */
static void grow_c41(world *w, int n)
{
    assert_int_equal(fx_students(w->s, C41, n, P_AFTER, 1u << MON, NULL, 0), 12);
    pp_diags *d = pp_diags_new();
    assert_int_equal(pp_school_validate(w->s, d), 0);
    pp_diags_free(d);
}

/* 003: a class of 40 or more is its own group, the original class: group-max
 * caps merged groups only (docs/RULES.md G1, G2). */
static void G2_lone_class_over_group_max_stays_whole(void **state)
{
    world *w = *state;
    grow_c41(w, 38); /* c4-1 has 41 on Monday, all in its group */
    pp_group *g = group(w, MON, A_HOMEWORK, C41);
    int all[41];
    for (int i = 0; i < 41; i++)
        all[i] = i < 3 ? 9 + i : 12 + i - 3;
    g->students = all;
    g->nstudents = 41;
    expect_none(w);
}

static void G2_class_over_group_max_split(void **state)
{
    world *w = *state;
    int extra = fx_venue(w->s, "r-extra", "classroom", 60), t4 = fx_staff(w->s, "t4", PP_STAFF_TEACHER, "", 5);
    grow_c41(w, 38); /* c4-1 has 41 on Monday: 2 groups wanted, given 3 (20, 20 and 1) */
    int a[20], b[20], one = 49, t3 = T3;
    for (int i = 0; i < 20; i++) {
        a[i] = i < 3 ? 9 + i : 12 + i - 3; /* 9, 10, 11, 12..28 */
        b[i] = 29 + i;                     /* 29..48 */
    }
    pp_group *g = group(w, MON, A_HOMEWORK, C41);
    g->students = a;
    g->nstudents = 20;
    assert_true(pp_plan_add_group(w->p, w->s, A_HOMEWORK, MON, P_AFTER, w->room[C32], &t3, 1, b, 20) >= 0);
    assert_true(pp_plan_add_group(w->p, w->s, A_HOMEWORK, MON, P_AFTER, extra, &t4, 1, &one, 1) >= 0);
    expect_rule(w, 1, PP_RULE_G2, "[G2] class c4-1 (41 students in homework at Mon after) is split between 3 groups: "
                                  "homework g2, homework g3 and more; expected all of them in one group (a class stays "
                                  "whole whatever its size)");
}

static void G2_class_split_across_care_groups(void **state)
{
    world *w = *state;
    pp_group *a = group(w, WED, A_HOMEWORK, C31);
    a->nstudents--; /* student 8 (c3-2) goes to a group of their own, in their home room */
    int alone = 8, staff = T3;
    pp_plan_add_group(w->p, w->s, A_HOMEWORK, WED, P_AFTER, w->room[C32], &staff, 1, &alone, 1);
    expect_rule(w, 1, PP_RULE_G2, "[G2] class c3-2 (4 students in homework at Wed after) is split between 2 groups: "
                                  "homework g3, homework g4; expected all of them in one group (a class stays whole "
                                  "whatever its size)");
}

static void G3_class_at_threshold_merged(void **state)
{
    world *w = *state;
    w->s->activities[A_HOMEWORK].merge_threshold = 5; /* c3-1 has 5 in care on Monday, 3 on Wednesday */
    expect_rule(w, 1, PP_RULE_G3, "[G3] class c3-1 has 5 students in homework at Mon after, at least the merge threshold "
                                  "5, yet homework g1 merges it with 1 other class; expected c3-1 in a group of its own");
}

/* G4: for care kinds tier class reads as tier grade; the classes of a grade merge. */
static void G4_class_tier_merges_within_the_grade(void **state)
{
    world *w = *state;
    w->s->activities[A_HOMEWORK].tier = PP_TIER_CLASS;
    expect_none(w);
}

static void G5_cross_grade_merge_allowed_when_adjacent(void **state)
{
    world *w = *state;
    pp_plan_free(w->p);
    w->p = pp_plan_new();
    int all[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 };
    int wed[] = { 2, 3, 4, 5, 6, 7, 8, 9, 10 }, club[] = { 0, 1 }, duty[] = { T1, T3 };
    add(w, A_HOMEWORK, MON, w->room[C31], T1, all, 12);
    add(w, A_HOMEWORK, WED, w->room[C31], T1, wed, 9);
    add(w, A_FOOTBALL, WED, w->field, K1, club, 2);
    pp_plan_set_duty(w->p, MON, duty, 2);
    pp_plan_set_duty(w->p, WED, duty, 2);
    w->s->policy.adjacent_grade_merge = 1;
    expect_none(w);
    w->s->policy.adjacent_grade_merge = 0;
    expect_rule(w, 2, PP_RULE_G5, "[G5] homework g1 (Mon after) mixes grades 3 and 4 (c3-1 5, c3-2 4, c4-1 3) while "
                                  "adjacent-grade-merge is off; expected one grade");
}

static void G5_grades_two_apart(void **state)
{
    world *w = *state;
    w->s->policy.adjacent_grade_merge = 1;
    w->s->classes[C41].grade = 5;
    w->s->grades[1].level = 5;
    pp_group *g = group(w, MON, A_HOMEWORK, C31);
    int all[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 }, classes[] = { C31, C32, C41 };
    g->students = all;
    g->nstudents = 12;
    g->classes = classes;
    g->nclasses = 3;
    *group(w, MON, A_HOMEWORK, C41) = w->p->groups[--w->p->ngroups]; /* c4-1's own group goes */
    expect_rule(w, 1, PP_RULE_G5, "[G5] homework g1 (Mon after) mixes grades 3 and 5 (c3-1 5, c3-2 4, c4-1 3); expected "
                                  "one grade, or two adjacent ones");
}

/* ---------- venues -------------------------------------------------------------------- */

static void V1_group_without_venue(void **state)
{
    world *w = *state;
    group(w, MON, A_HOMEWORK, C41)->venue = -1;
    expect_rule(w, 1, PP_RULE_V1, "[V1] homework g2 (Mon after) has no venue; expected a classroom");
}

static void V1_venue_of_wrong_type(void **state)
{
    world *w = *state;
    group(w, WED, A_FOOTBALL, C31)->venue = w->room[C32];
    expect_rule(w, 1, PP_RULE_V1, "[V1] football g5 (Wed after) meets in room-c3-2, a classroom; expected a field");
}

static void V1_care_in_a_field(void **state)
{
    world *w = *state;
    group(w, MON, A_HOMEWORK, C41)->venue = w->field;
    expect_rule(w, 1, PP_RULE_V1, "[V1] homework g2 (Mon after) meets in field1, a field; expected a classroom like the "
                                  "home classroom");
}

static void V2_venue_too_small(void **state)
{
    world *w = *state;
    w->s->venues[w->field].capacity = 1;
    expect_rule(w, 1, PP_RULE_V2, "[V2] football g5 (Wed after) has 2 students in field1, which holds 1; expected a "
                                  "venue holding 2");
}

static void V2_home_room_holds_the_group_too(void **state)
{
    world *w = *state;
    w->s->venues[w->room[C31]].capacity = 8; /* Monday's c3-1+c3-2 group of 9 meets in c3-1's room */
    expect_rule(w, 1, PP_RULE_V2, "[V2] homework g1 (Mon after) has 9 students in room-c3-1, which holds 8");
}

static void V2_venue_unavailable(void **state)
{
    world *w = *state;
    w->s->venues[w->field].avail[WED] = 0;
    expect_rule(w, 1, PP_RULE_V2, "[V2] football g5 (Wed after) uses venue field1, which is unavailable on Wed after");
}

static void V3_double_booked_venue(void **state)
{
    world *w = *state;
    group(w, WED, A_HOMEWORK, C41)->venue = w->room[C31];
    expect_rule(w, 1, PP_RULE_V3, "[V3] venue room-c3-1 holds two groups at once at Wed after: homework g3, homework g4; "
                                  "expected one group at a time");
}

/* ---------- staff ------------------------------------------------------------------------ */

static void S1_wrong_staff_count(void **state)
{
    world *w = *state;
    w->s->activities[A_FOOTBALL].staff_per_group = 2;
    expect_rule(w, 1, PP_RULE_S1, "[S1] football g5 (Wed after) has 1 staff; expected 2 (staff-per-group of football)");
}

static void S1_staff_listed_twice(void **state)
{
    world *w = *state;
    w->s->activities[A_FOOTBALL].staff_per_group = 2;
    pp_group *g = group(w, WED, A_FOOTBALL, C31);
    int two[] = { K1, K1 };
    g->staff = two;
    g->nstaff = 2;
    /* one duplicate, and so one distinct leader where two are wanted */
    expect_rule(w, 2, PP_RULE_S1, "[S1] football g5 (Wed after) lists staff k1 twice; expected distinct staff");
}

static void S2_staff_without_speciality(void **state)
{
    world *w = *state;
    group(w, WED, A_FOOTBALL, C31)->staff[0] = T3;
    expect_rule(w, 1, PP_RULE_S2, "[S2] football g5 (Wed after) is led by t3, who lacks the speciality football");
}

static void S2_external_staff_on_care(void **state)
{
    world *w = *state;
    group(w, MON, A_HOMEWORK, C41)->staff[0] = K1;
    expect_rule(w, 1, PP_RULE_S2, "[S2] homework g2 (Mon after) is led by k1, an external professional");
}

static void S3_staff_unavailable(void **state)
{
    world *w = *state;
    w->s->staff[K1].avail[WED] = 0;
    expect_rule(w, 1, PP_RULE_S3, "[S3] football g5 (Wed after) is led by k1, who is unavailable on Wed after");
}

static void S3_double_booked_staff(void **state)
{
    world *w = *state;
    group(w, WED, A_HOMEWORK, C41)->staff[0] = T1;
    expect_rule(w, 1, PP_RULE_S3, "[S3] staff t1 leads two groups at once at Wed after: homework g3, homework g4; "
                                  "expected one group at a time");
}

static void S3_overlapping_periods_are_one_time(void **state)
{
    world *w = *state;
    /* a second period 16:30-17:30 overlaps after (16:00-17:00); k1 leads football in it too */
    int late = fx_period(w->s, "late", PP_PERIOD_LATE, DAYS_MON_WED, 16 * 60 + 30, 17 * 60 + 30, A_READING);
    w->s->activities[A_FOOTBALL].slots[WED] |= 1u << late;
    for (int stu = 0; stu < 2; stu++)
        w->s->students[9 + stu].stay[WED] |= 1u << late;
    w->s->students[9].choices = w->s->students[0].choices;
    w->s->students[9].nchoices = 1;
    w->s->students[10].choices = w->s->students[0].choices;
    w->s->students[10].nchoices = 1;
    int pair[] = { 9, 10 }, k1 = K1;
    assert_true(pp_plan_add_group(w->p, w->s, A_FOOTBALL, WED, late, w->field, &k1, 1, pair, 2) >= 0);
    /* the field, k1 and students 9, 10 (also in homework g4 then) are each in two groups at once */
    pp_diags *d = pp_diags_new();
    pp_check_counts k;
    pp_check_run(w->s, w->p, d, NULL, &k);
    const char *want[] = { "[S3] staff k1 leads two groups at once on Wed, at overlapping periods after late: football g5 "
                           "(after), football g6 (late); expected one group at a time",
                           "[V3] venue field1 holds two groups at once on Wed, at overlapping periods after late",
                           "[C1] student c4-1-s009 is in two groups at once on Wed, at overlapping periods after late: "
                           "homework g4 (after), football g6 (late)" };
    for (size_t q = 0; q < sizeof want / sizeof *want; q++) {
        int found = 0;
        for (int i = 0; i < pp_diags_count(d); i++)
            found |= strstr(pp_diags_get(d, i), want[q]) != NULL;
        if (!found)
            pp_diags_print(d, stderr);
        assert_true(found);
    }
    assert_int_equal(k.by_rule[PP_RULE_S3], 1);
    assert_int_equal(k.by_rule[PP_RULE_V3], 1);
    assert_int_equal(k.by_rule[PP_RULE_C1], 2);
    pp_diags_free(d);
}

static void S4_staff_over_max_sessions(void **state)
{
    world *w = *state;
    w->s->staff[T1].max_sessions = 1;
    expect_rule(w, 1, PP_RULE_S4, "[S4] staff t1 leads 2 sessions a week; expected at most 1 (max-sessions)");
}

static void S4_staff_over_max_minutes(void **state)
{
    world *w = *state;
    w->s->staff[T2].max_minutes = 119;
    expect_rule(w, 1, PP_RULE_S4, "[S4] staff t2 leads 120 minutes a week; expected at most 119 (max-minutes)");
}

/* ---------- duty ------------------------------------------------------------------------- */

static void D1_day_short_of_duty_leaders(void **state)
{
    world *w = *state;
    int one[] = { T3 };
    pp_plan_set_duty(w->p, MON, one, 1);
    expect_rule(w, 1, PP_RULE_D1, "[D1] Mon has 1 duty leader; expected 2 (duty-leaders-per-day) of the 3 staff who may "
                                  "lead duty and are there that day: t1, t2, t3");
}

static void D1_duty_leader_not_allowed(void **state)
{
    world *w = *state;
    int two[] = { T3, K1 };
    pp_plan_set_duty(w->p, WED, two, 2);
    /* k1 may not lead duty, and so Wednesday is one short */
    expect_rule(w, 2, PP_RULE_D1, "[D1] k1 is duty leader on Wed but may not lead duty");
}

static void D1_duty_leader_not_there(void **state)
{
    world *w = *state;
    w->s->staff[T3].avail[WED] = 0;
    /* t3 is listed on Wednesday; t1 and t2 remain, so the day is one short too */
    expect_rule(w, 2, PP_RULE_D1, "[D1] t3 is duty leader on Wed but is not there that day (available at no period that "
                                  "runs then)");
}

static void D1_day_without_groups_needs_duty_leaders(void **state)
{
    world *w = *state;
    w->s->periods[P_AFTER].days |= 1u << 4; /* Friday runs; nobody stays, no groups, no duty listed */
    expect_rule(w, 1, PP_RULE_D1, "[D1] Fri has 0 duty leaders; expected 2");
}

/* A school with fewer eligible staff than it wants: a note naming who could, no violation. */
static void D1_school_short_of_duty_leaders_is_a_note(void **state)
{
    world *w = *state;
    w->s->policy.duty_leaders_per_day = 4; /* t1, t2, t3 may lead duty */
    int three[] = { T1, T2, T3 };
    pp_plan_set_duty(w->p, MON, three, 3);
    pp_plan_set_duty(w->p, WED, three, 3);
    pp_diags *d = pp_diags_new(), *notes = pp_diags_new();
    pp_check_counts k;
    assert_int_equal(pp_check_run(w->s, w->p, d, notes, &k), 0);
    assert_int_equal(k.notes, 2);
    assert_int_equal(pp_diags_count(notes), 2);
    assert_string_equal(pp_diags_get(notes, 0), "[D1 note] Mon: 4 duty leaders wanted (duty-leaders-per-day), but only 3 "
                                                "staff members may lead duty and are there that day: t1, t2, t3; the "
                                                "school is short of 1");
    /* listing fewer than the eligible ones is still a violation */
    pp_plan_set_duty(w->p, WED, three, 2);
    pp_diags_free(notes);
    notes = pp_diags_new();
    assert_int_equal(pp_check_run(w->s, w->p, d, notes, &k), 1);
    assert_int_equal(k.by_rule[PP_RULE_D1], 1);
    assert_non_null(strstr(pp_diags_get(d, 0), "[D1] Wed has 2 duty leaders; expected all 3 staff who may lead duty and "
                                               "are there that day (t1, t2, t3), since the school has fewer than 4"));
    assert_int_equal(pp_diags_count(notes), 2);
    pp_diags_free(d);
    pp_diags_free(notes);
}

/* ---------- a plan of another school -------------------------------------------------------- */

static void plan_of_another_school(void **state)
{
    world *w = *state;
    w->p->groups[0].activity = 99;
    expect_rule(w, 1, PP_RULE_PLAN, "[plan] group 1 of the plan refers to an activity");
}

/* ---------- counts, listing and summary ------------------------------------------------------ */

static void summary_line_counts_by_rule(void **state)
{
    world *w = *state;
    char line[256];
    pp_check_counts k;
    pp_check_run(w->s, w->p, NULL, NULL, &k);
    assert_string_equal(pp_check_summary(&k, line, sizeof line), "0 violations, 0 notes");
    group(w, WED, A_HOMEWORK, C41)->venue = w->room[C31];
    w->s->staff[T1].max_sessions = 1;
    w->s->staff[T2].max_sessions = 1;
    w->s->policy.duty_leaders_per_day = 4; /* 3 may lead duty: a note on Mon and Wed, listing all 3 */
    int three[] = { T1, T2, T3 };
    pp_plan_set_duty(w->p, MON, three, 3);
    pp_plan_set_duty(w->p, WED, three, 3);
    pp_check_run(w->s, w->p, NULL, NULL, &k);
    assert_string_equal(pp_check_summary(&k, line, sizeof line), "3 violations (by rule: V3 1, S4 2), 2 notes");
}

/* 20,000 groups in one slot, all in one room, led by one teacher, each holding one
 * of 40 students of one class (issue 14: a timetable like this once made the
 * checker report every pair).  The right counts, by hand:
 *   C1 40: each student is in 500 groups at once (one violation per student);
 *   G2 1: the class is split between 20,000 groups;
 *   V2 20,000: the room holds 0 (set after validation);
 *   V3 1, S3 1: the room and the teacher at the slot, each once;
 *   S4 2: 20,000 sessions and 1,200,000 minutes a week. */
static void bounded_report_on_20000_groups_in_one_slot(void **state)
{
    (void)state;
    pp_school *s = fx_school();
    fx_grade(s, 3);
    int hw = fx_care(s, "homework", PP_ACT_HOMEWORK, PP_TIER_GRADE, 20);
    int per = fx_period(s, "after", PP_PERIOD_AFTER, 1u << MON, 16 * 60, 17 * 60, hw);
    int cls = fx_class(s, "c3-1", 3), room = s->classes[cls].room;
    int t1 = fx_staff(s, "t1", PP_STAFF_TEACHER, "", 10);
    fx_staff(s, "t2", PP_STAFF_TEACHER, "", 10);
    fx_students(s, cls, 40, per, 1u << MON, NULL, 0);
    pp_diags *d = pp_diags_new();
    assert_int_equal(pp_school_validate(s, d), 0);
    s->venues[room].capacity = 0;
    pp_plan *p = pp_plan_new();
    for (int i = 0; i < 20000; i++) {
        int stu = i % 40;
        assert_true(pp_plan_add_group(p, s, hw, MON, per, room, &t1, 1, &stu, 1) >= 0);
    }
    int duty[] = { 0, 1 };
    pp_plan_set_duty(p, MON, duty, 2);
    pp_diags *notes = pp_diags_new();
    pp_check_counts k;
    assert_int_equal(pp_check_run(s, p, d, notes, &k), 40 + 1 + 20000 + 1 + 1 + 2);
    assert_int_equal(k.by_rule[PP_RULE_C1], 40);
    assert_int_equal(k.by_rule[PP_RULE_G2], 1);
    assert_int_equal(k.by_rule[PP_RULE_V2], 20000);
    assert_int_equal(k.by_rule[PP_RULE_V3], 1);
    assert_int_equal(k.by_rule[PP_RULE_S3], 1);
    assert_int_equal(k.by_rule[PP_RULE_S4], 2);
    assert_int_equal(k.notes, 0);
    /* listed: C1 20 + its tail line, G2 1, V2 20 + tail, V3 1, S3 1, S4 2 */
    assert_int_equal(pp_diags_count(d), 21 + 1 + 21 + 1 + 1 + 2);
    int tails = 0, v3 = -1;
    for (int i = 0; i < pp_diags_count(d); i++) {
        const char *m = pp_diags_get(d, i);
        assert_true(strlen(m) < 1100);
        tails += !strcmp(m, "... and 20 more [C1] violations") || !strcmp(m, "... and 19980 more [V2] violations");
        if (!strncmp(m, "[V3]", 4))
            v3 = i;
    }
    assert_int_equal(tails, 2);
    assert_true(v3 >= 0);
    assert_string_equal(pp_diags_get(d, v3), "[V3] venue room-c3-1 holds 20000 groups at once at Mon after: homework g1, "
                                             "homework g2, homework g3, homework g4, homework g5, homework g6, homework "
                                             "g7, homework g8, homework g9, homework g10 and 19990 more; expected one "
                                             "group at a time");
    pp_diags_free(notes);
    pp_diags_free(d);
    pp_plan_free(p);
    pp_school_free(s);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(hand_made_plan_keeps_every_rule),
        T(C1_unserved_student_listed_with_reason_is_no_violation),
        T(C1_missing_student),
        T(C1_student_in_two_groups),
        T(C1_unserved_without_a_reason),
        T(C2_member_who_did_not_ask),
        T(C2_period_not_for_members_grade),
        T(C2_unserved_and_in_a_group),
        T(C2_unserved_without_asking),
        T(C2_unserved_twice),
        T(C3_group_on_a_day_the_period_does_not_run),
        T(C3_club_outside_its_slots),
        T(C3_wrong_care_activity),
        T(K1_club_under_minimum),
        T(K1_club_over_its_max),
        T(K1_club_member_who_did_not_choose_it),
        T(K1_club_member_of_another_grade),
        T(K1_grade_tier_club_of_two_grades),
        T(K2_too_many_clubs_and_sessions),
        T(G1_merged_group_over_group_max),
        T(G2_lone_class_over_group_max_stays_whole),
        T(G2_class_over_group_max_split),
        T(G2_class_split_across_care_groups),
        T(G3_class_at_threshold_merged),
        T(G4_class_tier_merges_within_the_grade),
        T(G5_cross_grade_merge_allowed_when_adjacent),
        T(G5_grades_two_apart),
        T(V1_group_without_venue),
        T(V1_venue_of_wrong_type),
        T(V1_care_in_a_field),
        T(V2_venue_too_small),
        T(V2_home_room_holds_the_group_too),
        T(V2_venue_unavailable),
        T(V3_double_booked_venue),
        T(S1_wrong_staff_count),
        T(S1_staff_listed_twice),
        T(S2_staff_without_speciality),
        T(S2_external_staff_on_care),
        T(S3_staff_unavailable),
        T(S3_double_booked_staff),
        T(S3_overlapping_periods_are_one_time),
        T(S4_staff_over_max_sessions),
        T(S4_staff_over_max_minutes),
        T(D1_day_short_of_duty_leaders),
        T(D1_duty_leader_not_allowed),
        T(D1_duty_leader_not_there),
        T(D1_day_without_groups_needs_duty_leaders),
        T(D1_school_short_of_duty_leaders_is_a_note),
        T(plan_of_another_school),
        T(summary_line_counts_by_rule),
        cmocka_unit_test(bounded_report_on_20000_groups_in_one_slot),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
