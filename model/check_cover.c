/* check_cover.c - coverage (C1-C3: who asked is in exactly one group or listed
 * unserved, nobody else; groups only where their period runs) and priority first
 * at care (P1).  One pass over the members, one over the unserved entries and one
 * over the student-slots of the school: O(members + unserved + students * slots),
 * plus the sorted uses of the student clash check. */
#include "check_int.h"

#include <stdlib.h>
#include <string.h>

/* "Mon Tue Wed" into t: the days period p runs on. */
static void put_days(pp_ck_text *t, const pp_school *s, int p)
{
    const char *sep = "";
    for (int d = 0; d < PP_DAYS; d++)
        if (pp_ck_runs(s, d, p)) {
            pp_ck_put(t, "%s%s", sep, pp_day_name(d));
            sep = " ";
        }
    if (!*sep)
        pp_ck_put(t, "no day");
}

/* The slots activity a may meet in, "Wed after, Fri after", at most 10. */
static void put_allowed(pp_ck_text *t, const pp_school *s, const pp_activity *a)
{
    int n = 0;
    char b[PP_CK_LABEL];
    for (int d = 0; d < PP_DAYS; d++)
        for (int p = 0; p < s->nperiods && p < PP_MAX_PERIODS; p++)
            if ((a->slots[d] & (1u << p)) && pp_ck_runs(s, d, p)) {
                if (n < 10)
                    pp_ck_put(t, "%s%s", n ? ", " : "", pp_ck_slot(s, d, p, b));
                n++;
            }
    if (n > 10)
        pp_ck_put(t, " and %d more", n - 10);
    if (!n)
        pp_ck_put(t, "(none that runs)");
}

/* C3: each group at a slot its period runs, a club/course in a slot its activity
 * allows, a care group of the period's care activity. */
void pp_ck_slots(pp_ck *c)
{
    const pp_school *s = c->s;
    char b[PP_CK_LABEL], list[512];
    for (int i = 0; i < c->ng; i++) {
        const pp_group *g = &c->g[i];
        const pp_activity *a = &s->activities[g->activity];
        pp_ck_text t = { list, sizeof list, 0 };
        list[0] = '\0';
        if (!pp_ck_runs(s, g->day, g->period)) {
            put_days(&t, s, g->period);
            pp_ck_viol(c, PP_RULE_C3, "%s meets when period %s does not run (%s%s); expected a day it runs: %s",
                       pp_ck_group(c, i, b), s->periods[g->period].id, pp_day_name(g->day),
                       (s->day_mask & (1u << g->day)) ? " is not one of its days" : " has no service", list);
        } else if (!pp_activity_is_care(a) && !(a->slots[g->day] & (1u << g->period))) {
            if (pp_ck_listed(c, PP_RULE_C3))
                put_allowed(&t, s, a);
            pp_ck_viol(c, PP_RULE_C3, "%s meets outside the slots activity %s allows; expected one of: %s",
                       pp_ck_group(c, i, b), a->id, list);
        } else if (pp_activity_is_care(a) && g->activity != s->periods[g->period].care) {
            int want = s->periods[g->period].care;
            const char *w = want >= 0 ? s->activities[want].id : "(none)";
            pp_ck_viol(c, PP_RULE_C3, "%s is care, but the care activity of period %s is %s; expected %s",
                       pp_ck_group(c, i, b), s->periods[g->period].id, w, want >= 0 ? w : "no care group then");
        }
    }
}

/* Whether student stu may be in group i (C2); reports why not. */
static int member_asked(pp_ck *c, int i, int stu)
{
    const pp_school *s = c->s;
    const pp_group *g = &c->g[i];
    int gr = pp_ck_grade_of(s, stu);
    char b[PP_CK_LABEL], sl[PP_CK_LABEL];
    if (!pp_ck_for_grade(s, g->period, gr)) {
        pp_ck_viol(c, PP_RULE_C2, "student %s (grade %d) is in %s, but period %s does not run for grade %d; expected "
                   "only students of the period's grades", s->students[stu].id, gr, pp_ck_group(c, i, b),
                   s->periods[g->period].id, gr);
        return 0;
    }
    if (!(s->students[stu].stay[g->day] & (1u << g->period))) {
        pp_ck_viol(c, PP_RULE_C2, "student %s is in %s but did not ask to stay on %s; expected only students who stay "
                   "then", s->students[stu].id, pp_ck_group(c, i, b), pp_ck_slot(s, g->day, g->period, sl));
        return 0;
    }
    return 1;
}

typedef struct {
    int *where;             /* per student-slot: index + 1 of a group holding it; 0 none */
    unsigned char *listed;  /* per student-slot: listed unserved */
    size_t np;
} cover;

static size_t cell(const cover *v, int stu, int d, int p)
{
    return ((size_t)stu * PP_DAYS + (size_t)d) * v->np + (size_t)p;
}

static void check_unserved(pp_ck *c, cover *v)
{
    const pp_school *s = c->s;
    char b[PP_CK_LABEL], sl[PP_CK_LABEL];
    for (int i = 0; i < c->p->nunserved; i++) {
        const pp_unserved *u = &c->p->unserved[i];
        const char *who = s->students[u->student].id;
        size_t at = cell(v, u->student, u->day, u->period);
        pp_ck_slot(s, u->day, u->period, sl);
        if (!pp_ck_asks(s, u->student, u->day, u->period))
            pp_ck_viol(c, PP_RULE_C2, "student %s is listed unserved on %s but did not ask to stay then; expected "
                       "unserved entries only for slots asked for", who, sl);
        else if (v->where[at] > 0)
            pp_ck_viol(c, PP_RULE_C2, "student %s is listed unserved on %s but is in %s; expected either a group or an "
                       "unserved entry", who, sl, pp_ck_group(c, v->where[at] - 1, b));
        else if (v->listed[at])
            pp_ck_viol(c, PP_RULE_C2, "student %s is listed unserved twice on %s; expected one entry", who, sl);
        else {
            v->listed[at] = 1;
            if (!u->reason || !u->reason[0])
                pp_ck_viol(c, PP_RULE_C1, "student %s is listed unserved on %s without a reason; expected the reason "
                           "(the short resource)", who, sl);
        }
    }
}

/* P1: a priority student unserved at a slot where a non-priority student of the
 * same grade is in a group of the period's care activity.  first[(slot) * G + grade]
 * is 1 + the index of such a group's member entry. */
static void check_priority_care(pp_ck *c)
{
    const pp_school *s = c->s;
    size_t ng = PP_MAX_GRADE + 1, nslot = (size_t)PP_DAYS * (size_t)s->nperiods;
    int *grp = calloc(nslot * ng + 1, sizeof *grp), *who = calloc(nslot * ng + 1, sizeof *who);
    if (!grp || !who) {
        free(grp);
        free(who);
        pp_ck_oom(c, "priority students (P1)");
        return;
    }
    for (int i = 0; i < c->ng; i++) {
        const pp_group *g = &c->g[i];
        if (g->activity != s->periods[g->period].care || !pp_ck_runs(s, g->day, g->period))
            continue;
        size_t base = ((size_t)g->day * (size_t)s->nperiods + (size_t)g->period) * ng;
        for (int j = 0; j < g->nstudents; j++) {
            int stu = g->students[j], gr = pp_ck_grade_of(s, stu);
            if (s->students[stu].priority || gr < 0 || gr > PP_MAX_GRADE || grp[base + (size_t)gr])
                continue;
            grp[base + (size_t)gr] = i + 1;
            who[base + (size_t)gr] = stu;
        }
    }
    char b[PP_CK_LABEL], sl[PP_CK_LABEL];
    for (int i = 0; i < c->p->nunserved; i++) {
        const pp_unserved *u = &c->p->unserved[i];
        int gr = pp_ck_grade_of(s, u->student);
        if (!s->students[u->student].priority || gr < 0 || gr > PP_MAX_GRADE ||
            !pp_ck_asks(s, u->student, u->day, u->period))
            continue;
        size_t k = ((size_t)u->day * (size_t)s->nperiods + (size_t)u->period) * ng + (size_t)gr;
        if (grp[k])
            pp_ck_viol(c, PP_RULE_P1, "priority student %s (grade %d) is listed unserved on %s while non-priority "
                       "student %s of grade %d is in %s; expected priority students served first",
                       s->students[u->student].id, gr, pp_ck_slot(s, u->day, u->period, sl), s->students[who[k]].id, gr,
                       pp_ck_group(c, grp[k] - 1, b));
    }
    free(grp);
    free(who);
}

/* C1, C2: every student-slot asked for is in exactly one group or listed unserved;
 * nobody is in a group or listed where they did not ask; a student is in one group
 * at a time (overlapping periods of a day count as one time). */
void pp_ck_coverage(pp_ck *c)
{
    const pp_school *s = c->s;
    cover v = { NULL, NULL, (size_t)s->nperiods };
    size_t cells = (size_t)s->nstudents * PP_DAYS * v.np + 1, nuse = 0;
    for (int i = 0; i < c->ng; i++)
        nuse += (size_t)c->g[i].nstudents;
    v.where = calloc(cells, sizeof *v.where);
    v.listed = calloc(cells, 1);
    pp_ck_use *use = malloc((nuse + 1) * sizeof *use);
    if (!v.where || !v.listed || !use) {
        pp_ck_oom(c, "coverage (C1, C2)");
        goto out;
    }
    nuse = 0;
    for (int i = 0; i < c->ng; i++) {
        const pp_group *g = &c->g[i];
        if (!pp_ck_runs(s, g->day, g->period))
            continue; /* the group itself is reported under C3 */
        for (int j = 0; j < g->nstudents; j++) {
            int stu = g->students[j];
            if (!member_asked(c, i, stu))
                continue;
            size_t at = cell(&v, stu, g->day, g->period);
            if (!v.where[at])
                v.where[at] = i + 1;
            use[nuse++] = (pp_ck_use){ stu, g->day, g->period, i };
        }
    }
    pp_ck_clashes(c, use, nuse, PP_CK_STUDENT, PP_RULE_C1);
    check_unserved(c, &v);
    char sl[PP_CK_LABEL];
    for (int stu = 0; stu < s->nstudents; stu++)
        for (int d = 0; d < PP_DAYS; d++) {
            uint32_t stay = s->students[stu].stay[d];
            for (int p = 0; stay && p < s->nperiods && p < PP_MAX_PERIODS; p++) {
                size_t at = cell(&v, stu, d, p);
                if ((stay & (1u << p)) && pp_ck_asks(s, stu, d, p) && !v.where[at] && !v.listed[at])
                    pp_ck_viol(c, PP_RULE_C1, "student %s asked to stay on %s and has no group there (and is not "
                               "listed unserved); expected a group, or an unserved entry with the reason",
                               s->students[stu].id, pp_ck_slot(s, d, p, sl));
            }
        }
    check_priority_care(c);
out:
    free(v.where);
    free(v.listed);
    free(use);
}
