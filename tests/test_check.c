/* test_check.c - the independent checker on a school small enough to plan by hand:
 * the hand-made plan keeps every rule, and each test makes one change to the plan
 * (or to one number of the school) and expects exactly the violations that change
 * causes, with the rule and the ids in the message. */
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
 * c4-1 has 9..11, and 11 stays on Monday only.  Everyone else stays Mon and Wed. */
static pp_school *build_school(world *w)
{
    pp_school *s = fx_school();
    fx_grade(s, 3);
    fx_grade(s, 4);
    assert_int_equal(fx_care(s, "homework", PP_ACT_HOMEWORK, PP_TIER_GRADE, 20), A_HOMEWORK);
    assert_int_equal(fx_care(s, "reading", PP_ACT_READING, PP_TIER_GRADE, 40), A_READING);
    assert_int_equal(fx_club(s, "football", WED, P_AFTER, 2, 10, "field", "football"), A_FOOTBALL);
    assert_int_equal(fx_period(s, "after", PP_PERIOD_AFTER, 0x1f, 16 * 60, 17 * 60, A_HOMEWORK), P_AFTER);
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

/* Asserts the checker finds exactly `want` violations, one of them containing text. */
static void expect(world *w, int want, const char *text)
{
    pp_diags *d = pp_diags_new();
    int n = pp_check_plan(w->s, w->p, d), found = text == NULL;
    for (int i = 0; i < pp_diags_count(d); i++)
        found |= text && strstr(pp_diags_get(d, i), text) != NULL;
    if (n != want || !found || n != pp_diags_count(d)) {
        fprintf(stderr, "expected %d violation(s) with \"%s\", got %d:\n", want, text ? text : "", n);
        pp_diags_print(d, stderr);
    }
    assert_int_equal(n, pp_diags_count(d));
    assert_int_equal(n, want);
    assert_true(found);
    pp_diags_free(d);
}

/* ---------- the valid plan ------------------------------------------------------ */

static void hand_made_plan_keeps_every_rule(void **state)
{
    expect(*state, 0, NULL);
}

static void unserved_student_listed_is_no_violation(void **state)
{
    world *w = *state;
    w->p->groups[2].nstudents--; /* Mon c4-1 group loses student 11 */
    assert_int_equal(pp_plan_add_unserved(w->p, 11, MON, P_AFTER, "no free staff"), 0);
    expect(w, 0, NULL);
}

static void cross_grade_merge_allowed_when_adjacent(void **state)
{
    world *w = *state;
    pp_plan_free(w->p);
    w->p = pp_plan_new();
    int all[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 };
    int wed_a[] = { 2, 3, 4, 5, 6, 7, 8 }, wed_b[] = { 9, 10 }, club[] = { 0, 1 }, duty[] = { T1, T3 };
    add(w, A_HOMEWORK, MON, w->room[C31], T1, all, 12);
    add(w, A_HOMEWORK, WED, w->room[C31], T1, wed_a, 7);
    add(w, A_HOMEWORK, WED, w->room[C41], T2, wed_b, 2);
    add(w, A_FOOTBALL, WED, w->field, K1, club, 2);
    pp_plan_set_duty(w->p, MON, duty, 2);
    pp_plan_set_duty(w->p, WED, duty, 2);
    expect(w, 0, NULL);
    w->s->policy.adjacent_grade_merge = 0;
    expect(w, 1, "homework (g1, Mon after) mixes grades 3..4; expected one grade (adjacent-grade-merge is off)");
}

/* ---------- coverage ------------------------------------------------------------- */

static void missing_student(void **state)
{
    world *w = *state;
    group(w, MON, A_HOMEWORK, C31)->nstudents--; /* student 8 (c3-2) drops out */
    expect(w, 1, "student c3-2-s008 asked to stay on Mon after and has no group there (and is not listed unserved)");
}

static void student_in_two_groups(void **state)
{
    world *w = *state;
    pp_group *club = group(w, WED, A_FOOTBALL, C31);
    int stu[] = { 0, 1, 2 }; /* 2 chose football but is in homework */
    club->students = stu;
    club->nstudents = 3;
    expect(w, 1, "student c3-1-s002 is in two groups at once on Wed after: homework (g3) and football (g5)");
}

static void member_who_did_not_ask(void **state)
{
    world *w = *state;
    pp_group *g = group(w, WED, A_HOMEWORK, C41);
    int stu[] = { 9, 10, 11 };  /* 11 stays on Mondays only */
    g->students = stu;
    g->nstudents = 3;
    expect(w, 1, "student c4-1-s011 is in homework (g4, Wed after) but did not ask to stay on Wed after");
}

static void period_not_for_members_grade(void **state)
{
    world *w = *state;
    w->s->periods[P_AFTER].grade_mask = 1u << 3;
    /* the 3 grade-4 students on Monday and the 2 on Wednesday */
    expect(w, 5, "student c4-1-s009 (grade 4) is in homework (g2, Mon after), but period after does not run for grade 4");
}

static void unserved_and_in_a_group(void **state)
{
    world *w = *state;
    pp_plan_add_unserved(w->p, 3, MON, P_AFTER, "no room");
    expect(w, 1, "student c3-1-s003 is listed unserved on Mon after but is in homework (g1, Mon after)");
}

static void unserved_without_asking(void **state)
{
    world *w = *state;
    pp_plan_add_unserved(w->p, 11, WED, P_AFTER, "no room");
    expect(w, 1, "student c4-1-s011 is listed unserved on Wed after but did not ask to stay then");
}

/* ---------- slots and clubs --------------------------------------------------------- */

static void group_on_a_day_the_period_does_not_run(void **state)
{
    world *w = *state;
    w->s->periods[P_AFTER].days = 0x1f & ~(1u << WED);
    expect(w, 3, "football (g5, Wed after) meets when period after does not run");
}

static void club_outside_its_slots(void **state)
{
    world *w = *state;
    w->s->activities[A_FOOTBALL].slots[WED] = 0;
    w->s->activities[A_FOOTBALL].slots[3] = 1u << P_AFTER;
    expect(w, 1, "football (g5, Wed after) meets outside the slots activity football allows");
}

static void club_under_minimum(void **state)
{
    world *w = *state;
    w->s->activities[A_FOOTBALL].min_size = 3;
    expect(w, 1, "football (g5, Wed after) has 2 students; expected 3..10 (opening minimum and cap");
}

static void club_over_group_max(void **state)
{
    world *w = *state;
    w->s->policy.group_max = 1;
    w->s->activities[A_FOOTBALL].min_size = 1;
    /* the merged care groups are over group-max too */
    expect(w, 3, "football (g5, Wed after) has 2 students; expected 1..1");
}

static void club_member_who_did_not_choose_it(void **state)
{
    world *w = *state;
    w->s->students[1].nchoices = 0;
    expect(w, 1, "student c3-1-s001 is in football (g5, Wed after) without having chosen it");
}

static void club_member_of_another_grade(void **state)
{
    world *w = *state;
    w->s->activities[A_FOOTBALL].grade_mask = 1u << 4;
    expect(w, 2, "student c3-1-s000 (grade 3) is in football (g5, Wed after), which is not open to grade 3");
}

static void too_many_clubs_and_sessions(void **state)
{
    world *w = *state;
    w->s->policy.max_activities_per_student = 0;
    expect(w, 2, "student c3-1-s000 has 1 clubs/courses a week; expected at most 0");
    w->s->policy.max_activities_per_student = 1;
    w->s->activities[A_FOOTBALL].sessions = 0;
    expect(w, 2, "student c3-1-s001 attends football 1 times a week; expected at most 0");
}

/* ---------- care -------------------------------------------------------------------- */

static void wrong_care_activity(void **state)
{
    world *w = *state;
    group(w, MON, A_HOMEWORK, C41)->activity = A_READING;
    expect(w, 1, "reading (g2, Mon after) is care, but the care activity of period after is homework");
}

static void class_split_across_care_groups(void **state)
{
    world *w = *state;
    pp_group *a = group(w, WED, A_HOMEWORK, C31);
    a->nstudents--; /* student 8 (c3-2) goes to a group of their own, in their home room */
    int alone = 8, staff = T3;
    pp_plan_add_group(w->p, w->s, A_HOMEWORK, WED, P_AFTER, w->room[C32], &staff, 1, &alone, 1);
    expect(w, 1, "class c3-2 is split between care groups on Wed after: homework (g3) and homework (g4)");
}

static void merged_group_over_group_max(void **state)
{
    world *w = *state;
    w->s->policy.group_max = 8; /* Monday's c3-1+c3-2 group has 9, Wednesday's 7 */
    expect(w, 1, "homework (g1, Mon after) merges classes into 9 students; expected at most 8 (group-max)");
}

static void class_at_threshold_merged(void **state)
{
    world *w = *state;
    w->s->activities[A_HOMEWORK].merge_threshold = 5; /* c3-1 has 5 in care on Monday, 3 on Wednesday */
    expect(w, 1, "class c3-1 has 5 students in care, at least the merge threshold 5, yet is merged in homework (g1, Mon after)");
}

static void class_tier_never_merges(void **state)
{
    world *w = *state;
    w->s->activities[A_HOMEWORK].tier = PP_TIER_CLASS;
    expect(w, 2, "homework (g3, Wed after) merges 2 classes; expected one admin class per group (tier class)");
}

static void grades_two_apart(void **state)
{
    world *w = *state;
    w->s->classes[C41].grade = 5;
    w->s->grades[1].level = 5;
    pp_group *g = group(w, MON, A_HOMEWORK, C31);
    int all[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 }, classes[] = { C31, C32, C41 };
    g->students = all;
    g->nstudents = 12;
    g->classes = classes;
    g->nclasses = 3;
    *group(w, MON, A_HOMEWORK, C41) = w->p->groups[--w->p->ngroups]; /* c4-1's own group goes */
    expect(w, 1, "homework (g1, Mon after) mixes grades 3..5; expected one grade, or two adjacent ones");
}

/* ---------- venues -------------------------------------------------------------------- */

static void double_booked_venue(void **state)
{
    world *w = *state;
    group(w, WED, A_HOMEWORK, C41)->venue = w->room[C31];
    expect(w, 1, "venue \"room-c3-1\" holds two groups at once on Wed after: homework (g3) and homework (g4)");
}

static void venue_of_wrong_type(void **state)
{
    world *w = *state;
    group(w, WED, A_FOOTBALL, C31)->venue = w->room[C32];
    expect(w, 1, "football (g5, Wed after) meets in room-c3-2, a classroom; expected a field");
}

static void venue_too_small(void **state)
{
    world *w = *state;
    w->s->venues[w->field].capacity = 1;
    expect(w, 1, "football (g5, Wed after) has 2 students in field1, which holds 1");
}

static void home_room_needs_no_capacity(void **state)
{
    world *w = *state;
    w->s->venues[w->room[C31]].capacity = 1; /* a class's own room holds the class */
    expect(w, 0, NULL);
}

static void venue_unavailable(void **state)
{
    world *w = *state;
    w->s->venues[w->field].avail[WED] = 0;
    expect(w, 1, "football (g5, Wed after) uses venue field1, which is unavailable on Wed after");
}

static void group_without_venue(void **state)
{
    world *w = *state;
    group(w, MON, A_HOMEWORK, C41)->venue = -1;
    expect(w, 1, "homework (g2, Mon after) has no venue");
}

/* ---------- staff ------------------------------------------------------------------------ */

static void staff_without_speciality(void **state)
{
    world *w = *state;
    group(w, WED, A_FOOTBALL, C31)->staff[0] = T3;
    expect(w, 1, "football (g5, Wed after) is led by t3, who lacks the speciality football");
}

static void external_staff_on_care(void **state)
{
    world *w = *state;
    group(w, MON, A_HOMEWORK, C41)->staff[0] = K1;
    expect(w, 1, "homework (g2, Mon after) is led by k1, an external professional");
}

static void double_booked_staff(void **state)
{
    world *w = *state;
    group(w, WED, A_HOMEWORK, C41)->staff[0] = T1;
    expect(w, 1, "staff t1 leads two groups at once on Wed after: homework (g3) and homework (g4)");
}

static void wrong_staff_count(void **state)
{
    world *w = *state;
    w->s->activities[A_FOOTBALL].staff_per_group = 2;
    expect(w, 1, "football (g5, Wed after) has 1 staff; expected 2 (staff-per-group of football)");
}

static void staff_unavailable(void **state)
{
    world *w = *state;
    w->s->staff[K1].avail[WED] = 0;
    expect(w, 1, "football (g5, Wed after) is led by k1, who is unavailable on Wed after");
}

static void staff_over_max_sessions(void **state)
{
    world *w = *state;
    w->s->staff[T1].max_sessions = 1;
    expect(w, 1, "staff t1 leads 2 sessions a week; expected at most 1 (max-sessions)");
}

static void staff_over_max_minutes(void **state)
{
    world *w = *state;
    w->s->staff[T2].max_minutes = 119;
    expect(w, 1, "staff t2 leads 120 minutes a week; expected at most 119 (max-minutes)");
}

/* ---------- duty ------------------------------------------------------------------------- */

static void duty_day_short(void **state)
{
    world *w = *state;
    int one[] = { T3 };
    pp_plan_set_duty(w->p, MON, one, 1);
    expect(w, 1, "Mon has 1 duty leader; expected 2 (duty-leaders-per-day)");
}

static void duty_leader_not_allowed(void **state)
{
    world *w = *state;
    int two[] = { T3, K1 };
    pp_plan_set_duty(w->p, WED, two, 2);
    /* k1 may not lead duty, and so Wednesday is one short */
    expect(w, 2, "k1 is duty leader on Wed but may not lead duty");
}

static void duty_shortage_named(void **state)
{
    world *w = *state;
    w->s->policy.duty_leaders_per_day = 4; /* t1, t2, t3 may lead duty */
    expect(w, 2, "Mon has 2 duty leaders; expected 4 (duty-leaders-per-day), but only 3 staff members may lead duty "
                 "and are in school that day: the school is short of 1");
}

/* ---------- a plan of another school -------------------------------------------------------- */

static void plan_of_another_school(void **state)
{
    world *w = *state;
    w->p->groups[0].activity = 99;
    expect(w, 1, "group 1 of the plan refers to an activity");
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(hand_made_plan_keeps_every_rule),
        T(unserved_student_listed_is_no_violation),
        T(cross_grade_merge_allowed_when_adjacent),
        T(missing_student),
        T(student_in_two_groups),
        T(member_who_did_not_ask),
        T(period_not_for_members_grade),
        T(unserved_and_in_a_group),
        T(unserved_without_asking),
        T(group_on_a_day_the_period_does_not_run),
        T(club_outside_its_slots),
        T(club_under_minimum),
        T(club_over_group_max),
        T(club_member_who_did_not_choose_it),
        T(club_member_of_another_grade),
        T(too_many_clubs_and_sessions),
        T(wrong_care_activity),
        T(class_split_across_care_groups),
        T(merged_group_over_group_max),
        T(class_at_threshold_merged),
        T(class_tier_never_merges),
        T(grades_two_apart),
        T(double_booked_venue),
        T(venue_of_wrong_type),
        T(venue_too_small),
        T(home_room_needs_no_capacity),
        T(venue_unavailable),
        T(group_without_venue),
        T(staff_without_speciality),
        T(external_staff_on_care),
        T(double_booked_staff),
        T(wrong_staff_count),
        T(staff_unavailable),
        T(staff_over_max_sessions),
        T(staff_over_max_minutes),
        T(duty_day_short),
        T(duty_leader_not_allowed),
        T(duty_shortage_named),
        T(plan_of_another_school),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
