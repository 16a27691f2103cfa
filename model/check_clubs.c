/* check_clubs.c - clubs and courses: each group's size, members and grades (K1),
 * each student's meetings and clubs a week (K2), and priority students given a
 * choice first (P2).  K1 is one pass over the members; K2 sorts the (student,
 * activity) memberships; P2 indexes the groups holding a non-priority student by
 * (activity, slot, grade), so each priority student left without a choice is
 * compared with at most one group per slot and grade of each activity they chose:
 * O(members log members + priority students * choices * slots). */
#include "check_int.h"

#include <stdlib.h>
#include <string.h>

static int is_club(const pp_ck *c, int i)
{
    return !pp_activity_is_care(&c->s->activities[c->g[i].activity]);
}

/* K1 for club/course group i. */
static void check_club_group(pp_ck *c, int i)
{
    const pp_school *s = c->s;
    const pp_group *g = &c->g[i];
    const pp_activity *a = &s->activities[g->activity];
    int cap = a->max_size < s->policy.group_max ? a->max_size : s->policy.group_max;
    char b[PP_CK_LABEL];
    if (g->nstudents < a->min_size || g->nstudents > cap)
        pp_ck_viol(c, PP_RULE_K1, "%s has %d students; expected %d..%d (opening minimum and cap: the activity's min and "
                   "the smaller of its max and group-max)", pp_ck_group(c, i, b), g->nstudents, a->min_size, cap);
    int lo = PP_MAX_GRADE + 1, hi = -1;
    for (int j = 0; j < g->nstudents; j++) {
        int stu = g->students[j], gr = pp_ck_grade_of(s, stu);
        lo = gr < lo ? gr : lo;
        hi = gr > hi ? gr : hi;
        if (!pp_ck_chose(&s->students[stu], g->activity))
            pp_ck_viol(c, PP_RULE_K1, "student %s is in %s without having chosen it; expected only students who chose %s",
                       s->students[stu].id, pp_ck_group(c, i, b), a->id);
        if (gr < 0 || gr >= 32 || !(a->grade_mask & (1u << gr)))
            pp_ck_viol(c, PP_RULE_K1, "student %s (grade %d) is in %s, which is not open to grade %d; expected only its "
                       "grades", s->students[stu].id, gr, pp_ck_group(c, i, b), gr);
    }
    if (a->tier != PP_TIER_SCHOOL && hi > lo)
        pp_ck_viol(c, PP_RULE_K1, "%s mixes grades %d..%d; expected one grade (tier %s)", pp_ck_group(c, i, b), lo, hi,
                   pp_tier_name(a->tier));
}

typedef struct {
    int stu, act;
} membership;

static int cmp_membership(const void *x, const void *y)
{
    const membership *a = x, *b = y;
    int ka[] = { a->stu, a->act }, kb[] = { b->stu, b->act };
    return pp_ck_cmp_ints(ka, kb, 2);
}

/* K2 over the sorted memberships m[0..n). */
static void check_week(pp_ck *c, const membership *m, size_t n)
{
    const pp_school *s = c->s;
    int lim = s->policy.max_activities_per_student;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        int distinct = 0;
        char list[400];
        pp_ck_text t = { list, sizeof list, 0 };
        list[0] = '\0';
        while (j < n && m[j].stu == m[i].stu) {
            size_t k = j;
            while (k < n && m[k].stu == m[j].stu && m[k].act == m[j].act)
                k++;
            const pp_activity *a = &s->activities[m[j].act];
            if ((int)(k - j) > a->sessions)
                pp_ck_viol(c, PP_RULE_K2, "student %s attends %s %d times a week; expected at most %d (its sessions)",
                           s->students[m[j].stu].id, a->id, (int)(k - j), a->sessions);
            pp_ck_put(&t, "%s%s", distinct ? ", " : "", a->id);
            distinct++;
            j = k;
        }
        if (distinct > lim)
            pp_ck_viol(c, PP_RULE_K2, "student %s has %d clubs/courses a week (%s); expected at most %d "
                       "(max-activities-per-student)", s->students[m[i].stu].id, distinct, list, lim);
        i = j;
    }
}

/* A club group holding a non-priority student, keyed for P2. */
typedef struct {
    int act, day, period, grade; /* grade -1: the activity mixes grades (tier school) */
    int group, who;              /* the group and one non-priority member */
} offer;

static int cmp_offer(const void *x, const void *y)
{
    const offer *a = x, *b = y;
    int ka[] = { a->act, a->day, a->period, a->grade, a->group }, kb[] = { b->act, b->day, b->period, b->grade, b->group };
    return pp_ck_cmp_ints(ka, kb, 5);
}

typedef struct {
    offer *o;
    size_t n;
    size_t *from;       /* offers of activity a: o[from[a] .. from[a + 1]) */
    unsigned char *got; /* per student: in a club/course they chose */
    uint32_t *busy;     /* per student and day: periods at a club/course */
} p2_index;

/* The first offer of a chosen activity priority student stu could take, or NULL. */
static const offer *open_offer(const pp_ck *c, const p2_index *x, int stu)
{
    const pp_school *s = c->s;
    const pp_student *st = &s->students[stu];
    int gr = pp_ck_grade_of(s, stu);
    for (int r = 0; r < st->nchoices; r++) {
        int a = st->choices[r];
        if (a < 0 || a >= s->nactivities || gr < 0 || gr >= 32 || !(s->activities[a].grade_mask & (1u << gr)) ||
            s->activities[a].sessions < 1)
            continue;
        for (size_t k = x->from[a]; k < x->from[a + 1]; k++) {
            const offer *o = &x->o[k];
            if ((o->grade < 0 || o->grade == gr) && pp_ck_asks(s, stu, o->day, o->period) &&
                !(x->busy[(size_t)stu * PP_DAYS + (size_t)o->day] & (1u << o->period)))
                return o;
        }
    }
    return NULL;
}

static void check_priority_choices(pp_ck *c, p2_index *x)
{
    const pp_school *s = c->s;
    if (s->policy.max_activities_per_student < 1)
        return;
    qsort(x->o, x->n, sizeof *x->o, cmp_offer);
    size_t w = 0; /* one offer per (activity, slot, grade): the first group */
    for (size_t i = 0; i < x->n; i++) {
        const offer *o = &x->o[i], *q = w ? &x->o[w - 1] : NULL;
        if (q && q->act == o->act && q->day == o->day && q->period == o->period && q->grade == o->grade)
            continue;
        x->o[w++] = *o;
    }
    x->n = w;
    for (size_t i = 0, a = 0; a <= (size_t)s->nactivities; a++) {
        while (i < x->n && (size_t)x->o[i].act < a)
            i++;
        x->from[a] = i;
    }
    char b[PP_CK_LABEL], sl[PP_CK_LABEL], list[400];
    for (int stu = 0; stu < s->nstudents; stu++) {
        const pp_student *st = &s->students[stu];
        if (!st->priority || !st->nchoices || x->got[stu])
            continue;
        const offer *o = open_offer(c, x, stu);
        if (!o)
            continue;
        pp_ck_text t = { list, sizeof list, 0 };
        list[0] = '\0';
        for (int r = 0; r < st->nchoices; r++)
            if (st->choices[r] >= 0 && st->choices[r] < s->nactivities)
                pp_ck_put(&t, "%s%s", r ? ", " : "", s->activities[st->choices[r]].id);
        pp_ck_viol(c, PP_RULE_P2, "priority student %s (grade %d) got none of their choices (%s), while %s holds "
                   "non-priority student %s and %s may join it (grade allowed, stays on %s, at no other club then); "
                   "expected priority students given a choice first", st->id, pp_ck_grade_of(s, stu), list,
                   pp_ck_group(c, o->group, b), s->students[o->who].id, st->id, pp_ck_slot(s, o->day, o->period, sl));
    }
}

/* K1, K2, P2. */
void pp_ck_clubs(pp_ck *c)
{
    const pp_school *s = c->s;
    size_t nm = 0, no = 0;
    for (int i = 0; i < c->ng; i++)
        if (is_club(c, i)) {
            check_club_group(c, i);
            nm += (size_t)c->g[i].nstudents;
            no++;
        }
    membership *m = malloc((nm + 1) * sizeof *m);
    p2_index x = { malloc((no + 1) * sizeof *x.o), 0, calloc((size_t)s->nactivities + 2, sizeof *x.from),
                   calloc((size_t)s->nstudents + 1, 1), calloc((size_t)s->nstudents * PP_DAYS + 1, sizeof *x.busy) };
    if (!m || !x.o || !x.from || !x.got || !x.busy) {
        pp_ck_oom(c, "clubs and courses (K2, P2)");
        goto out;
    }
    nm = 0;
    for (int i = 0; i < c->ng; i++) {
        const pp_group *g = &c->g[i];
        if (!is_club(c, i))
            continue;
        int who = -1;
        for (int j = 0; j < g->nstudents; j++) {
            int stu = g->students[j];
            m[nm++] = (membership){ stu, g->activity };
            x.got[stu] |= pp_ck_chose(&s->students[stu], g->activity);
            x.busy[(size_t)stu * PP_DAYS + (size_t)g->day] |= 1u << g->period;
            if (who < 0 && !s->students[stu].priority)
                who = stu;
        }
        if (who >= 0) {
            const pp_activity *a = &s->activities[g->activity];
            int gr = a->tier == PP_TIER_SCHOOL || !g->nstudents ? -1 : pp_ck_grade_of(s, g->students[0]);
            x.o[x.n++] = (offer){ g->activity, g->day, g->period, gr, i, who };
        }
    }
    qsort(m, nm, sizeof *m, cmp_membership);
    check_week(c, m, nm);
    check_priority_choices(c, &x);
out:
    free(m);
    free(x.o);
    free(x.from);
    free(x.got);
    free(x.busy);
}
