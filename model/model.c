/* model.c - construction, lookup and validation of a school.
 *
 * Validation is the last gate before GLPK, which aborts on bad arguments: every
 * index must be in range and every number sane once it returns 0. */
#include "model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void pp_policy_defaults(pp_policy *p)
{
    memset(p, 0, sizeof *p);
    p->group_max = 40;
    p->class_merge_threshold = 40;
    p->qa_min = 20;
    p->course_min = 15;
    p->site_min = 25;
    p->duty_leaders_per_day = 2;
    p->max_activities_per_student = 1;
    p->adjacent_grade_merge = 1;
    p->workload_weight[PP_ACT_CARE] = 1.0;
    p->workload_weight[PP_ACT_HOMEWORK] = 1.2;
    p->workload_weight[PP_ACT_READING] = 1.0;
    p->workload_weight[PP_ACT_CLUB] = 1.5;
    p->workload_weight[PP_ACT_COURSE] = 1.5;
    p->subsidy_per_hour[PP_STAFF_TEACHER] = 50;
    p->subsidy_per_hour[PP_STAFF_RETIRED] = 40;
    p->subsidy_per_hour[PP_STAFF_EXTERNAL] = 100;
    p->subsidy_per_hour[PP_STAFF_VOLUNTEER] = 0;
    p->fee_per_session = 20;
    p->w_unserved = 1000;
    p->w_unserved_priority = 10000;
    p->w_rank[0] = 0;
    p->w_rank[1] = 3;
    p->w_rank[2] = 6;
    p->nranks_weighted = 3;
    p->w_no_choice = 10;
    p->priority_choice_factor = 2;
    p->w_group = 2;
    /* below w_group: joining an adjacent grade (003) saves a teacher, worth a small penalty */
    p->w_cross_grade = 1;
    p->w_external_hour = 0.5;
    p->w_max_load = 0.01;
    /* above 20, the largest choice swing of one student (10 x priority factor 2):
     * a re-plan never moves a student to better someone's choices by one rank */
    p->w_moved = 30;
    p->w_group_changed = 25;
    p->w_staff_changed = 25;
}

pp_school *pp_school_new(void)
{
    pp_school *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->arena = pp_arena_new();
    if (!s->arena) {
        free(s);
        return NULL;
    }
    pp_policy_defaults(&s->policy);
    s->id = s->name = s->source = "";
    s->day_mask = 0x1f; /* Mon..Fri */
    return s;
}

void pp_school_free(pp_school *s)
{
    if (!s)
        return;
    free(s->student_by_id);
    pp_arena_free(s->arena);
    free(s);
}

static int intern(pp_arena *a, char ***names, int *n, const char *name)
{
    for (int i = 0; i < *n; i++)
        if (strcmp((*names)[i], name) == 0)
            return i;
    /* grow by copying into the arena: these lists are short */
    char **v = pp_arena_alloc(a, (size_t)(*n + 1) * sizeof *v);
    char *c = pp_arena_strdup(a, name);
    if (!v || !c)
        return -1;
    if (*n)
        memcpy(v, *names, (size_t)*n * sizeof *v);
    v[*n] = c;
    *names = v;
    return (*n)++;
}

int pp_school_intern_venue_type(pp_school *s, const char *name)
{
    return intern(s->arena, &s->venue_types, &s->nvenue_types, name);
}

int pp_school_intern_speciality(pp_school *s, const char *name)
{
    return intern(s->arena, &s->specialities, &s->nspecialities, name);
}

#define FIND_BY_ID(fn, arr, cnt)                                   \
    int fn(const pp_school *s, const char *id)                     \
    {                                                              \
        for (int i = 0; i < s->cnt; i++)                           \
            if (strcmp(s->arr[i].id, id) == 0)                     \
                return i;                                          \
        return -1;                                                 \
    }
FIND_BY_ID(pp_school_find_period, periods, nperiods)
FIND_BY_ID(pp_school_find_class, classes, nclasses)
FIND_BY_ID(pp_school_find_activity, activities, nactivities)
FIND_BY_ID(pp_school_find_staff, staff, nstaff)
FIND_BY_ID(pp_school_find_venue, venues, nvenues)
FIND_BY_ID(pp_school_find_season, seasons, nseasons)

int pp_school_find_student(const pp_school *s, const char *id)
{
    if (!s->student_by_id) {
        for (int i = 0; i < s->nstudents; i++)
            if (strcmp(s->students[i].id, id) == 0)
                return i;
        return -1;
    }
    int lo = 0, hi = s->nstudents - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2, k = s->student_by_id[mid];
        int c = strcmp(s->students[k].id, id);
        if (c == 0)
            return k;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return -1;
}

int pp_school_find_grade(const pp_school *s, int level)
{
    for (int i = 0; i < s->ngrades; i++)
        if (s->grades[i].level == level)
            return i;
    return -1;
}

/* ---- validation ---------------------------------------------------------- */

typedef struct {
    pp_school *s;
    pp_diags *d;
    int n;
} vctx;

#define VERR(v, line, ...)                                      \
    do {                                                        \
        pp_diags_add((v)->d, (v)->s->source, (line), __VA_ARGS__); \
        (v)->n++;                                               \
    } while (0)

typedef struct {
    const char *id;
    int idx;
} id_ref;

static int cmp_id_ref(const void *a, const void *b)
{
    const id_ref *x = a, *y = b;
    int c = strcmp(x->id, y->id);
    return c ? c : (x->idx > y->idx) - (x->idx < y->idx);
}

/* Builds the sorted id index and reports duplicate student ids (the linear
 * duplicate check used for the short lists would be quadratic on 6,000 students). */
static void build_student_index(vctx *v)
{
    pp_school *s = v->s;
    free(s->student_by_id);
    s->student_by_id = NULL;
    if (s->nstudents == 0)
        return;
    id_ref *r = malloc((size_t)s->nstudents * sizeof *r);
    int *idx = malloc((size_t)s->nstudents * sizeof *idx);
    if (!r || !idx) {
        free(r);
        free(idx);
        return;
    }
    for (int i = 0; i < s->nstudents; i++)
        r[i] = (id_ref){ s->students[i].id, i };
    qsort(r, (size_t)s->nstudents, sizeof *r, cmp_id_ref);
    int dup = 0;
    for (int i = 0; i < s->nstudents; i++) {
        idx[i] = r[i].idx;
        if (i > 0 && strcmp(r[i - 1].id, r[i].id) == 0) {
            const pp_student *first = &s->students[r[i - 1].idx], *later = &s->students[r[i].idx];
            VERR(v, later->line, "<student id=\"%s\">: duplicate id, already used at line %ld; expected a unique student id",
                 later->id, first->line);
            dup = 1;
        }
    }
    free(r);
    if (dup)
        free(idx);
    else
        s->student_by_id = idx;
}

#define CHECK_DUP_IDS(v, arr, cnt, tag)                                                        \
    for (int i = 0; i < (v)->s->cnt; i++)                                                      \
        for (int j = 0; j < i; j++)                                                            \
            if (strcmp((v)->s->arr[i].id, (v)->s->arr[j].id) == 0) {                           \
                VERR(v, (v)->s->arr[i].line, "<" tag " id=\"%s\">: duplicate id, already used at line %ld; expected a unique id", \
                     (v)->s->arr[i].id, (v)->s->arr[j].line);                                  \
                break;                                                                         \
            }

static void validate_policy(vctx *v)
{
    const pp_policy *p = &v->s->policy;
    if (p->group_max < 1 || p->group_max > 1000)
        VERR(v, 0, "<policy>: group-max=%d is out of range; expected 1..1000 (default 40)", p->group_max);
    if (p->class_merge_threshold < 1 || p->class_merge_threshold > 1000)
        VERR(v, 0, "<policy>: class-merge-threshold=%d is out of range; expected 1..1000 (default 40)", p->class_merge_threshold);
    if (p->qa_min < 1 || p->qa_min > p->group_max)
        VERR(v, 0, "<policy>: qa-min=%d is out of range; expected 1..group-max (default 20)", p->qa_min);
    if (p->course_min < 1 || p->course_min > p->group_max)
        VERR(v, 0, "<policy>: course-min=%d is out of range; expected 1..group-max (default 15)", p->course_min);
    if (p->duty_leaders_per_day < 0 || p->duty_leaders_per_day > 50)
        VERR(v, 0, "<policy>: duty-leaders-per-day=%d is out of range; expected 0..50 (default 2)", p->duty_leaders_per_day);
    if (p->max_activities_per_student < 0 || p->max_activities_per_student > 7)
        VERR(v, 0, "<policy>: max-activities-per-student=%d is out of range; expected 0..7 (default 1)", p->max_activities_per_student);
}

static void validate_seasons(vctx *v)
{
    pp_school *s = v->s;
    if (s->nseasons < 1 || s->nseasons > PP_MAX_SEASONS)
        VERR(v, 0, "<seasons>: %d seasons; expected 1..%d <season> elements", s->nseasons, PP_MAX_SEASONS);
    for (int i = 0; i < s->nseasons && i < PP_MAX_SEASONS; i++) {
        pp_season *se = &s->seasons[i];
        if (se->start_days < 0 || se->end_days < se->start_days)
            VERR(v, se->line, "<season id=\"%s\">: the date range ends before it starts; expected start <= end", se->id);
        if (se->weeks < 0 || se->weeks > 60)
            VERR(v, se->line, "<season id=\"%s\">: %d weeks; expected 0..60", se->id, se->weeks);
        /* a day in two seasons would count twice in term hours and subsidies */
        for (int j = 0; j < i; j++) {
            const pp_season *o = &s->seasons[j];
            if (se->start_days < 0 || o->start_days < 0 || se->end_days < se->start_days || o->end_days < o->start_days ||
                se->start_days > o->end_days || o->start_days > se->end_days)
                continue;
            char a[16], b[16], c[16], e[16];
            VERR(v, se->line, "<season id=\"%s\">: %s..%s overlaps season \"%s\" (%s..%s, line %ld); expected seasons "
                 "whose date ranges do not overlap (each day of the term in one season)", se->id,
                 pp_format_date(se->start_days, a), pp_format_date(se->end_days, b), o->id,
                 pp_format_date(o->start_days, c), pp_format_date(o->end_days, e), o->line);
        }
    }
}

static void validate_periods(vctx *v)
{
    pp_school *s = v->s;
    if (s->nperiods < 1 || s->nperiods > PP_MAX_PERIODS)
        VERR(v, 0, "<periods>: %d periods; expected 1..%d <period> elements", s->nperiods, PP_MAX_PERIODS);
    CHECK_DUP_IDS(v, periods, nperiods, "period");
    for (int i = 0; i < s->nperiods; i++) {
        pp_period *p = &s->periods[i];
        int any = 0;
        for (int k = 0; k < s->nseasons && k < PP_MAX_SEASONS; k++) {
            if (p->start_min[k] < 0 && p->end_min[k] < 0)
                continue;
            any = 1;
            if (p->start_min[k] < 0 || p->end_min[k] <= p->start_min[k] || p->end_min[k] > 24 * 60)
                VERR(v, p->line, "<period id=\"%s\">: in season \"%s\" the window ends before it starts; expected start < end within the day",
                     p->id, s->seasons[k].id);
        }
        if (!any)
            VERR(v, p->line, "<period id=\"%s\">: no <window> in any season; expected one per season the period runs in", p->id);
        if ((p->days & s->day_mask) == 0)
            VERR(v, p->line, "<period id=\"%s\">: runs on no service day; expected days among the school's days", p->id);
        if (p->care == -1)
            continue; /* the loader reported the unknown care activity */
        if (p->care < 0 || p->care >= s->nactivities)
            VERR(v, p->line, "<period id=\"%s\">: no care activity; expected care=\"ID\" naming a care/homework/reading activity", p->id);
        else if (!pp_activity_is_care(&s->activities[p->care]))
            VERR(v, p->line, "<period id=\"%s\">: care=\"%s\" is a %s; expected a care, homework or reading activity",
                 p->id, s->activities[p->care].id, pp_activity_kind_name(s->activities[p->care].kind));
    }
}

/* The venue type of home classrooms: "classroom" when the school has a venue
 * of that type (the name docs/FORMAT.md uses), otherwise the type most home
 * rooms have (ties: the type met first in class order); -1 when no class
 * names a room. */
static int home_room_type(const pp_school *s)
{
    for (int k = 0; k < s->nvenues; k++)
        if (s->venues[k].type >= 0 && s->venues[k].type < s->nvenue_types && !strcmp(s->venue_types[s->venues[k].type], "classroom"))
            return s->venues[k].type;
    int best = -1, best_n = 0;
    for (int i = 0; i < s->nclasses; i++) {
        int r = s->classes[i].room;
        if (r < 0 || r >= s->nvenues)
            continue;
        int t = s->venues[r].type, n = 0;
        for (int j = 0; j < s->nclasses; j++) {
            int q = s->classes[j].room;
            n += q >= 0 && q < s->nvenues && s->venues[q].type == t;
        }
        if (n > best_n) {
            best = t;
            best_n = n;
        }
    }
    return best;
}

static void validate_classes(vctx *v)
{
    pp_school *s = v->s;
    int home = home_room_type(s);
    if (s->nclasses < 1)
        VERR(v, 0, "<classes>: the school has no class; expected at least one <class>");
    CHECK_DUP_IDS(v, classes, nclasses, "class");
    for (int i = 0; i < s->nclasses; i++) {
        pp_class *c = &s->classes[i];
        if (pp_school_find_grade(s, c->grade) < 0)
            VERR(v, c->line, "<class id=\"%s\">: grade %d is not defined; expected the level of a <grade>", c->id, c->grade);
        if (c->room >= s->nvenues)
            VERR(v, c->line, "<class id=\"%s\">: room index out of range", c->id);
        else if (c->room >= 0 && s->venues[c->room].type != home && home >= 0 && home < s->nvenue_types) {
            const pp_venue *ve = &s->venues[c->room];
            /* care of the class is held there every day: a field or a hall is not a classroom */
            VERR(v, c->line, "<class id=\"%s\">: room \"%s\" is a venue of type \"%s\"; expected a home classroom, a "
                 "<venue type=\"%s\"> (the type of the school's classrooms: the class's care is held in its room)", c->id, ve->id,
                 ve->type >= 0 && ve->type < s->nvenue_types ? s->venue_types[ve->type] : "", s->venue_types[home]);
        }
    }
}

static void validate_activities(vctx *v)
{
    pp_school *s = v->s;
    CHECK_DUP_IDS(v, activities, nactivities, "activity");
    for (int i = 0; i < s->nactivities; i++) {
        pp_activity *a = &s->activities[i];
        if (a->min_size < 0 || a->max_size < 1 || a->max_size > 1000)
            VERR(v, a->line, "<activity id=\"%s\">: group size %d..%d; expected 0 <= min <= max <= 1000, max >= 1", a->id, a->min_size, a->max_size);
        else if (a->min_size > a->max_size)
            VERR(v, a->line, "<activity id=\"%s\">: min=%d is larger than max=%d; expected min <= max", a->id, a->min_size, a->max_size);
        if (a->staff_per_group < 1 || a->staff_per_group > 4)
            VERR(v, a->line, "<activity id=\"%s\">: staff-per-group=%d; expected 1..4", a->id, a->staff_per_group);
        if (!pp_activity_is_care(a)) {
            if (a->sessions < 1 || a->sessions > 7)
                VERR(v, a->line, "<activity id=\"%s\">: sessions=%d; expected 1..7 meetings a week", a->id, a->sessions);
            int nslots = 0;
            for (int d = 0; d < PP_DAYS; d++)
                if (s->day_mask & (1u << d))
                    nslots += __builtin_popcount(a->slots[d]);
            if (nslots == 0)
                VERR(v, a->line, "<activity id=\"%s\">: may meet in no slot; expected days and periods where it can run", a->id);
            else if (nslots < a->sessions)
                VERR(v, a->line, "<activity id=\"%s\">: sessions=%d but only %d allowed slots; expected at least as many slots as sessions", a->id, a->sessions, nslots);
            if (a->venue_type < 0)
                VERR(v, a->line, "<activity id=\"%s\">: a club or course needs venue-type; expected a venue type such as \"field\"", a->id);
        } else if (a->merge_threshold < 1)
            VERR(v, a->line, "<activity id=\"%s\">: merge-threshold=%d; expected at least 1", a->id, a->merge_threshold);
        if (a->venue_type >= 0) {
            int cap = 0, any = 0;
            for (int k = 0; k < s->nvenues; k++)
                if (s->venues[k].type == a->venue_type) {
                    any = 1;
                    cap = s->venues[k].capacity > cap ? s->venues[k].capacity : cap;
                }
            if (!any)
                VERR(v, a->line, "<activity id=\"%s\">: no venue has type \"%s\"; expected at least one <venue type=\"%s\">",
                     a->id, s->venue_types[a->venue_type], s->venue_types[a->venue_type]);
            else if (!pp_activity_is_care(a) && cap > 0 && cap < a->min_size)
                VERR(v, a->line, "<activity id=\"%s\">: the largest \"%s\" holds %d, fewer than min=%d; expected a venue that fits a group",
                     a->id, s->venue_types[a->venue_type], cap, a->min_size);
        }
        if (a->speciality >= 0) {
            int any = 0;
            for (int k = 0; k < s->nstaff && !any; k++)
                any = pp_staff_has_spec(&s->staff[k], a->speciality);
            if (!any)
                VERR(v, a->line, "<activity id=\"%s\">: no staff member has speciality \"%s\"; expected at least one <member> with it",
                     a->id, s->specialities[a->speciality]);
        }
    }
}

static void validate_staff_venues(vctx *v)
{
    pp_school *s = v->s;
    CHECK_DUP_IDS(v, staff, nstaff, "member");
    CHECK_DUP_IDS(v, venues, nvenues, "venue");
    for (int i = 0; i < s->nstaff; i++) {
        pp_staff *st = &s->staff[i];
        if (st->max_sessions < 0 || st->max_sessions > 100)
            VERR(v, st->line, "<member id=\"%s\">: max-sessions=%d; expected 0..100 a week", st->id, st->max_sessions);
        if (st->max_minutes < 0 || st->max_minutes > 7 * 24 * 60)
            VERR(v, st->line, "<member id=\"%s\">: max-minutes=%d; expected 0..10080 a week", st->id, st->max_minutes);
        if (st->rate < 0 || st->rate > 100000)
            VERR(v, st->line, "<member id=\"%s\">: rate=%g; expected 0..100000 yuan an hour", st->id, st->rate);
    }
    for (int i = 0; i < s->nvenues; i++) {
        pp_venue *ve = &s->venues[i];
        if (ve->capacity < 1 || ve->capacity > 100000)
            VERR(v, ve->line, "<venue id=\"%s\">: capacity=%d; expected 1..100000", ve->id, ve->capacity);
    }
}

static void validate_students(vctx *v)
{
    pp_school *s = v->s;
    if (s->nstudents < 1)
        VERR(v, 0, "<students>: the school has no student; expected at least one <student>");
    build_student_index(v);
    for (int i = 0; i < s->nstudents; i++) {
        pp_student *st = &s->students[i];
        if (st->cls < 0 || st->cls >= s->nclasses)
            continue; /* the loader reported the unknown class */
        int grade = s->classes[st->cls].grade;
        if (pp_school_find_grade(s, grade) < 0)
            continue; /* reported with the class */
        uint32_t told = 0; /* one message per period, not one per day */
        for (int d = 0; d < PP_DAYS; d++)
            for (int p = 0; p < s->nperiods; p++) {
                if (!(st->stay[d] & (1u << p)) || (told & (1u << p)))
                    continue;
                /* a period fine on Monday may still be wrong on Saturday: only a
                 * reported period is skipped on the following days */
                const pp_period *pe = &s->periods[p];
                if (!(s->day_mask & (1u << d)) || !(pe->days & (1u << d))) {
                    VERR(v, st->line, "<student id=\"%s\">: stays for period \"%s\" on %s, which has no such service; expected a day the period runs",
                         st->id, pe->id, pp_day_name(d));
                    told |= 1u << p;
                } else if (!(pe->grade_mask & (1u << grade))) {
                    VERR(v, st->line, "<student id=\"%s\">: stays for period \"%s\", which is not for grade %d; expected a period of the student's grade",
                         st->id, pe->id, grade);
                    told |= 1u << p;
                }
            }
        for (int c = 0; c < st->nchoices; c++) {
            int a = st->choices[c];
            if (a < 0 || a >= s->nactivities)
                continue;
            const pp_activity *ac = &s->activities[a];
            for (int e = 0; e < c; e++)
                if (st->choices[e] == a)
                    VERR(v, st->line, "<student id=\"%s\">: chooses \"%s\" twice (ranks %d and %d); expected each activity once",
                         st->id, ac->id, e + 1, c + 1);
            if (pp_activity_is_care(ac))
                VERR(v, st->line, "<student id=\"%s\">: choice \"%s\" is %s, given to everyone; expected a club or course",
                     st->id, ac->id, pp_activity_kind_name(ac->kind));
            else if (!(ac->grade_mask & (1u << grade)))
                VERR(v, st->line, "<student id=\"%s\">: choice \"%s\" is not open to grade %d; expected an activity for the student's grade",
                     st->id, ac->id, grade);
        }
    }
}

int pp_school_validate(pp_school *s, pp_diags *d)
{
    vctx v = { s, d, 0 };
    validate_policy(&v);
    validate_seasons(&v);
    validate_periods(&v);
    validate_classes(&v);
    validate_activities(&v);
    validate_staff_venues(&v);
    validate_students(&v);
    return v.n;
}

/* ---- small shared helpers ------------------------------------------------ */

static const char *const day_en[PP_DAYS] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
static const char *const day_zh[PP_DAYS] = { "周一", "周二", "周三", "周四", "周五", "周六", "周日" };

const char *pp_day_name(int day) { return (unsigned)day < PP_DAYS ? day_en[day] : "?"; }
const char *pp_day_name_zh(int day) { return (unsigned)day < PP_DAYS ? day_zh[day] : "?"; }

int pp_day_parse(const char *s)
{
    static const char *const zh2[PP_DAYS] = { "星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日" };
    for (int d = 0; d < PP_DAYS; d++)
        if (strcmp(s, day_en[d]) == 0 || strcmp(s, day_zh[d]) == 0 || strcmp(s, zh2[d]) == 0)
            return d;
    return -1;
}

const char *pp_activity_kind_name(pp_activity_kind k)
{
    static const char *n[] = { "care", "homework", "reading", "club", "course" };
    return (unsigned)k < PP_ACT_KINDS ? n[k] : "?";
}

const char *pp_activity_kind_zh(pp_activity_kind k)
{
    static const char *n[] = { "托管", "作业辅导", "阅读", "社团", "课程" };
    return (unsigned)k < PP_ACT_KINDS ? n[k] : "?";
}

const char *pp_period_kind_name(pp_period_kind k)
{
    static const char *n[] = { "morning", "noon", "after-school", "late", "evening" };
    return (unsigned)k <= PP_PERIOD_EVENING ? n[k] : "?";
}

const char *pp_staff_type_name(pp_staff_type t)
{
    static const char *n[] = { "teacher", "retired", "external", "volunteer" };
    return (unsigned)t < PP_STAFF_TYPES ? n[t] : "?";
}

const char *pp_staff_type_zh(pp_staff_type t)
{
    static const char *n[] = { "在职教师", "退休教师", "校外专业人员", "志愿者" };
    return (unsigned)t < PP_STAFF_TYPES ? n[t] : "?";
}

const char *pp_tier_name(pp_tier t)
{
    static const char *n[] = { "class", "grade", "school" };
    return (unsigned)t <= PP_TIER_SCHOOL ? n[t] : "?";
}

int pp_slot_runs(const pp_school *s, int d, int p)
{
    return d >= 0 && d < PP_DAYS && (s->day_mask & (1u << d)) && (s->periods[p].days & (1u << d));
}

int pp_staff_there_on(const pp_school *s, const pp_staff *m, int d)
{
    for (int p = 0; p < s->nperiods; p++)
        if (pp_slot_runs(s, d, p) && (m->avail[d] & (1u << p)))
            return 1;
    return 0;
}

int pp_activity_is_care(const pp_activity *a)
{
    return a->kind == PP_ACT_CARE || a->kind == PP_ACT_HOMEWORK || a->kind == PP_ACT_READING;
}

int pp_staff_has_spec(const pp_staff *st, int spec)
{
    for (int i = 0; i < st->nspec; i++)
        if (st->spec[i] == spec)
            return 1;
    return 0;
}

int pp_periods_overlap(const pp_school *s, int p, int q)
{
    if (p == q)
        return 1;
    const pp_period *a = &s->periods[p], *b = &s->periods[q];
    for (int k = 0; k < s->nseasons && k < PP_MAX_SEASONS; k++)
        if (a->start_min[k] >= 0 && b->start_min[k] >= 0 && a->start_min[k] < b->end_min[k] &&
            b->start_min[k] < a->end_min[k])
            return 1;
    return 0;
}

int pp_period_minutes(const pp_period *p, int season)
{
    if (season < 0 || season >= PP_MAX_SEASONS || p->start_min[season] < 0)
        return 0;
    return p->end_min[season] - p->start_min[season];
}

const char *pp_format_hhmm(int minutes, char *buf)
{
    if (minutes < 0)
        snprintf(buf, 6, "--:--");
    else
        snprintf(buf, 6, "%02d:%02d", (minutes / 60) % 100, minutes % 60);
    return buf;
}

int pp_parse_hhmm(const char *s)
{
    int h = 0, m = 0, nd = 0;
    while (*s == ' ')
        s++;
    for (; *s >= '0' && *s <= '9'; s++, nd++)
        if (nd < 3) /* a long digit run is refused below; never overflow on it */
            h = h * 10 + (*s - '0');
    if (nd < 1 || nd > 2)
        return -1;
    if (*s == ':')
        s++;
    else if (strncmp(s, "\xef\xbc\x9a", 3) == 0) /* U+FF1A full-width colon */
        s += 3;
    else
        return -1;
    nd = 0;
    for (; *s >= '0' && *s <= '9'; s++, nd++)
        if (nd < 3)
            m = m * 10 + (*s - '0');
    while (*s == ' ')
        s++;
    if (nd != 2 || *s || h > 24 || m > 59 || (h == 24 && m > 0))
        return -1;
    return h * 60 + m;
}

static long days_from_civil(long y, unsigned m, unsigned d)
{
    /* Howard Hinnant's algorithm: exact for the proleptic Gregorian calendar */
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (long)doe - 719468;
}

const char *pp_format_date(int days, char buf[16])
{
    /* civil_from_days (H. Hinnant), the inverse of days_from_civil */
    long z = days + 719468L;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long y = yoe + era * 400;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    long dd = doy - (153 * mp + 2) / 5 + 1;
    long mm = mp < 10 ? mp + 3 : mp - 9;
    snprintf(buf, 16, "%04d-%02d-%02d", (int)((y + (mm <= 2)) % 10000), (int)mm % 100, (int)dd % 100);
    return buf;
}

int pp_parse_date(const char *s)
{
    int y, m, d;
    char tail;
    if (sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || strlen(s) != 10)
        return -1;
    static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (y < 1970 || y > 2999 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
        return -1;
    if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return -1;
    return (int)days_from_civil(y, (unsigned)m, (unsigned)d);
}
