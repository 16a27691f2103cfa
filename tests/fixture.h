/* fixture.h - builds small schools in memory for tests whose right answer is
 * known by hand.  Header-only (static functions) so every test binary stays one
 * .c file.  Capacities are fixed and generous; a test that exceeds them fails. */
#ifndef PP_TEST_FIXTURE_H
#define PP_TEST_FIXTURE_H

#include <stdio.h>
#include <string.h>

#include "model/model.h"

#ifndef FX_CAP
#define FX_CAP 2048
#endif

static inline char *fx_str(pp_school *s, const char *t) { return pp_arena_strdup(s->arena, t); }

/* A school with one season (4 weeks), Mon..Fri, and room for FX_CAP of everything. */
static inline pp_school *fx_school(void)
{
    pp_school *s = pp_school_new();
    s->id = fx_str(s, "fx");
    s->name = fx_str(s, "测试小学");
    s->source = fx_str(s, "fixture");
    s->seasons = pp_arena_alloc(s->arena, 2 * sizeof *s->seasons);
    s->seasons[0] = (pp_season){ fx_str(s, "summer"), fx_str(s, "夏令时"), pp_parse_date("2026-09-01"),
                                 pp_parse_date("2026-09-28"), 4, 0 };
    s->nseasons = 1;
    s->periods = pp_arena_alloc(s->arena, PP_MAX_PERIODS * sizeof *s->periods);
    s->grades = pp_arena_alloc(s->arena, (PP_MAX_GRADE + 1) * sizeof *s->grades);
    s->classes = pp_arena_alloc(s->arena, FX_CAP * sizeof *s->classes);
    s->students = pp_arena_alloc(s->arena, FX_CAP * sizeof *s->students);
    s->activities = pp_arena_alloc(s->arena, FX_CAP * sizeof *s->activities);
    s->staff = pp_arena_alloc(s->arena, FX_CAP * sizeof *s->staff);
    s->venues = pp_arena_alloc(s->arena, FX_CAP * sizeof *s->venues);
    return s;
}

static inline int fx_grade(pp_school *s, int level)
{
    char name[32];
    snprintf(name, sizeof name, "%d年级", level);
    s->grades[s->ngrades] = (pp_grade){ level, fx_str(s, name) };
    return s->ngrades++;
}

static inline int fx_venue(pp_school *s, const char *id, const char *type, int cap)
{
    pp_venue *v = &s->venues[s->nvenues];
    memset(v, 0, sizeof *v);
    v->id = fx_str(s, id);
    v->name = fx_str(s, id);
    v->type = pp_school_intern_venue_type(s, type);
    v->capacity = cap;
    for (int d = 0; d < PP_DAYS; d++)
        v->avail[d] = ~0u;
    return s->nvenues++;
}

/* A class with its own classroom (type "classroom", capacity 60). */
static inline int fx_class(pp_school *s, const char *id, int grade)
{
    char room[64];
    snprintf(room, sizeof room, "room-%s", id);
    int v = fx_venue(s, room, "classroom", 60);
    pp_class *c = &s->classes[s->nclasses];
    *c = (pp_class){ fx_str(s, id), fx_str(s, id), grade, v, 0 };
    return s->nclasses++;
}

static inline int fx_care(pp_school *s, const char *id, pp_activity_kind kind, pp_tier tier, int threshold)
{
    pp_activity *a = &s->activities[s->nactivities];
    memset(a, 0, sizeof *a);
    a->id = fx_str(s, id);
    a->name = fx_str(s, id);
    a->kind = kind;
    a->category = fx_str(s, "");
    a->provider = fx_str(s, "");
    a->tier = tier;
    a->sessions = 1;
    a->grade_mask = ~0u;
    a->min_size = 0;
    a->max_size = s->policy.group_max;
    a->merge_threshold = threshold;
    a->venue_type = -1;
    a->speciality = -1;
    a->staff_per_group = 1;
    return s->nactivities++;
}

/* A club meeting once a week in (day, period); venue type and speciality by name ("" none). */
static inline int fx_club(pp_school *s, const char *id, int day, int period, int min, int max, const char *vtype,
                          const char *spec)
{
    int a = fx_care(s, id, PP_ACT_CLUB, PP_TIER_SCHOOL, 1);
    pp_activity *ac = &s->activities[a];
    ac->slots[day] = 1u << period;
    ac->min_size = min;
    ac->max_size = max;
    ac->venue_type = pp_school_intern_venue_type(s, vtype);
    ac->speciality = spec[0] ? pp_school_intern_speciality(s, spec) : -1;
    return a;
}

/* A period on the days of day_bits, start..end in minutes, with its care activity. */
static inline int fx_period(pp_school *s, const char *id, pp_period_kind kind, unsigned day_bits, int start, int end,
                            int care)
{
    pp_period *p = &s->periods[s->nperiods];
    memset(p, 0, sizeof *p);
    p->id = fx_str(s, id);
    p->name = fx_str(s, id);
    p->kind = kind;
    p->grade_mask = ~0u;
    p->days = (uint8_t)day_bits;
    p->care = care;
    for (int k = 0; k < PP_MAX_SEASONS; k++)
        p->start_min[k] = p->end_min[k] = -1;
    p->start_min[0] = start;
    p->end_min[0] = end;
    return s->nperiods++;
}

static inline int fx_staff(pp_school *s, const char *id, pp_staff_type type, const char *spec, int max_sessions)
{
    pp_staff *m = &s->staff[s->nstaff];
    memset(m, 0, sizeof *m);
    m->id = fx_str(s, id);
    m->name = fx_str(s, id);
    m->type = type;
    if (spec[0]) {
        m->spec = pp_arena_alloc(s->arena, sizeof(int));
        m->spec[0] = pp_school_intern_speciality(s, spec);
        m->nspec = 1;
    }
    for (int d = 0; d < PP_DAYS; d++)
        m->avail[d] = ~0u;
    m->max_sessions = max_sessions;
    m->max_minutes = 10000;
    m->duty_leader = 1;
    return s->nstaff++;
}

/* n students of class cls staying in `period` on the days of day_bits, each with the
 * given choices (activity indices, -1 terminated; NULL none). */
static inline int fx_students(pp_school *s, int cls, int n, int period, unsigned day_bits, const int *choices,
                              unsigned priority)
{
    int first = s->nstudents;
    int nc = 0;
    while (choices && choices[nc] >= 0)
        nc++;
    for (int i = 0; i < n; i++) {
        pp_student *st = &s->students[s->nstudents];
        memset(st, 0, sizeof *st);
        char id[64];
        snprintf(id, sizeof id, "%s-s%03d", s->classes[cls].id, s->nstudents);
        st->id = fx_str(s, id);
        st->name = fx_str(s, id);
        st->cls = cls;
        st->priority = priority;
        for (int d = 0; d < PP_DAYS; d++)
            if (day_bits & (1u << d))
                st->stay[d] |= 1u << period;
        st->nchoices = nc;
        st->choices = pp_arena_alloc(s->arena, (size_t)(nc + 1) * sizeof(int));
        for (int k = 0; k < nc; k++)
            st->choices[k] = choices[k];
        s->nstudents++;
    }
    return first;
}

#endif
