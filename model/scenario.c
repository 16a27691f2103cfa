/* scenario.c - applying a scenario's changes to a loaded school.
 *
 * Arrays of the school live in its arena, so growing one (more staff, more
 * venues) allocates a larger copy in the same arena; the old block is released
 * with the school.  Removing staff compacts the array in school order: nothing in
 * a school refers to staff by index (only plans do, and no plan exists yet).
 * Choices between equal candidates go by rank_staff (hash of scenario id + staff
 * id), never by position, so they do not depend on how a file was ordered. */
#include "model/scenario.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

pp_scenario *pp_scenario_new(const char *id, const char *name)
{
    pp_arena *a = pp_arena_new();
    pp_scenario *sc = a ? pp_arena_alloc(a, sizeof *sc) : NULL;
    if (!sc) {
        pp_arena_free(a);
        return NULL;
    }
    sc->arena = a;
    sc->id = pp_arena_strdup(a, id ? id : "baseline");
    sc->name = pp_arena_strdup(a, name ? name : (id ? id : "baseline"));
    sc->source = pp_arena_strdup(a, "");
    if (!sc->id || !sc->name || !sc->source) {
        pp_arena_free(a);
        return NULL;
    }
    return sc;
}

void pp_scenario_free(pp_scenario *sc)
{
    if (sc)
        pp_arena_free(sc->arena);
}

pp_change *pp_scenario_add(pp_scenario *sc, pp_change_kind kind, long line)
{
    pp_change *v = pp_arena_alloc(sc->arena, (size_t)(sc->nchanges + 1) * sizeof *v);
    if (!v)
        return NULL;
    if (sc->nchanges)
        memcpy(v, sc->changes, (size_t)sc->nchanges * sizeof *v);
    sc->changes = v;
    pp_change *c = &v[sc->nchanges++];
    memset(c, 0, sizeof *c);
    c->kind = kind;
    c->line = line;
    c->staff_type = -1;
    c->speciality = "";
    c->season = "";
    c->fraction = 1;
    c->policy = (pp_policy_change){ -1, -1, -1, -1, -1, -1, -1 };
    return c;
}

const char *pp_change_kind_name(pp_change_kind k)
{
    static const char *const n[] = { "add-staff", "remove-staff", "availability", "add-venues", "policy", "season" };
    return (unsigned)k < sizeof n / sizeof *n ? n[k] : "?";
}

/* ---- helpers ----------------------------------------------------------- */

typedef struct {
    const pp_scenario *sc;
    const pp_change *c;
    pp_school *s;
    pp_diags *d;
    int nerr;
} ctx;

static void err(ctx *x, const char *fmt, const char *a, const char *b)
{
    char body[600];
    snprintf(body, sizeof body, fmt, a ? a : "", b ? b : "");
    pp_diags_add(x->d, x->sc->source[0] ? x->sc->source : x->sc->id, x->c ? x->c->line : 0, "<%s>: %s",
                 x->c ? pp_change_kind_name(x->c->kind) : "scenario", body);
    x->nerr++;
}

static uint64_t fnv1a(uint64_t h, const char *t)
{
    for (; *t; t++) {
        h ^= (unsigned char)*t;
        h *= 1099511628211ull;
    }
    return h;
}

typedef struct {
    uint64_t key;
    int idx;
} ranked;

static int cmp_ranked(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return (x->idx > y->idx) - (x->idx < y->idx);
}

static int staff_matches(const pp_school *s, const pp_change *c, const pp_staff *m)
{
    if (c->staff_type >= 0 && (int)m->type != c->staff_type)
        return 0;
    if (c->speciality[0]) {
        for (int i = 0; i < m->nspec; i++)
            if (strcmp(s->specialities[m->spec[i]], c->speciality) == 0)
                return 1;
        return 0;
    }
    return 1;
}

/* Indices of the staff matching c, in rank order (hash of scenario id, change
 * line and staff id).  Caller frees; *n receives the count; NULL when out of
 * memory (and *n = -1). */
static int *ranked_matching_staff(ctx *x, int *n)
{
    const pp_school *s = x->s;
    ranked *r = malloc((size_t)(s->nstaff > 0 ? s->nstaff : 1) * sizeof *r);
    int *out = malloc((size_t)(s->nstaff > 0 ? s->nstaff : 1) * sizeof *out);
    *n = -1;
    if (!r || !out) {
        free(r);
        free(out);
        return NULL;
    }
    char salt[64];
    snprintf(salt, sizeof salt, "/%ld/", x->c->line);
    uint64_t h0 = fnv1a(fnv1a(14695981039346656037ull, x->sc->id), salt);
    int k = 0;
    for (int i = 0; i < s->nstaff; i++)
        if (staff_matches(s, x->c, &s->staff[i]))
            r[k++] = (ranked){ fnv1a(h0, s->staff[i].id), i };
    qsort(r, (size_t)k, sizeof *r, cmp_ranked);
    for (int i = 0; i < k; i++)
        out[i] = r[i].idx;
    free(r);
    *n = k;
    return out;
}

/* Periods of the school the change names (by id or kind), as a mask; all when the
 * change names none.  Reports a list that matches no period of this school. */
static uint32_t period_mask(ctx *x)
{
    const pp_school *s = x->s;
    const pp_change *c = x->c;
    uint32_t all = s->nperiods >= 32 ? ~0u : (1u << s->nperiods) - 1;
    if (c->nperiods == 0)
        return all;
    uint32_t m = 0;
    for (int i = 0; i < c->nperiods; i++)
        for (int p = 0; p < s->nperiods; p++)
            if (strcmp(s->periods[p].id, c->periods[i]) == 0 || strcmp(pp_period_kind_name(s->periods[p].kind), c->periods[i]) == 0)
                m |= 1u << p;
    /* one scenario serves many schools: a name that fits only some of them is
     * fine, a list that fits no period of this school is a mistake */
    if (!m)
        err(x, "none of periods=\"%s...\" is a period id or a period kind of school \"%s\"; expected <period> ids of "
               "the school or kinds among morning, noon, after-school, late, evening", c->periods[0], s->id);
    return m;
}

static uint8_t day_mask(const pp_school *s, const pp_change *c)
{
    return c->days ? (uint8_t)(c->days & s->day_mask) : s->day_mask;
}

/* Unique id "<base>-<k>" not used by any staff (venues when venue) of s, into buf. */
static void fresh_id(const pp_school *s, int venue, const char *base, int *k, char *buf, size_t n)
{
    for (;;) {
        snprintf(buf, n, "%s-%d", base, ++*k);
        if ((venue ? pp_school_find_venue(s, buf) : pp_school_find_staff(s, buf)) < 0)
            return;
    }
}

/* ---- the changes ------------------------------------------------------- */

static int add_staff(ctx *x)
{
    pp_school *s = x->s;
    const pp_change *c = x->c;
    uint32_t pm = period_mask(x);
    uint8_t dm = day_mask(s, c);
    /* speciality indices of the new staff: named ones, or with "*" every speciality an activity asks for */
    int *spec = pp_arena_alloc(s->arena, (size_t)(c->nspecialities + s->nactivities + 1) * sizeof *spec);
    pp_staff *v = pp_arena_alloc(s->arena, (size_t)(s->nstaff + c->count) * sizeof *v);
    if (!spec || !v)
        return -1;
    int nspec = 0;
    for (int i = 0; i < c->nspecialities; i++) {
        if (strcmp(c->specialities[i], "*") == 0) {
            for (int a = 0; a < s->nactivities; a++) {
                int sp = s->activities[a].speciality, dup = 0;
                for (int j = 0; j < nspec; j++)
                    dup |= spec[j] == sp;
                if (sp >= 0 && !dup)
                    spec[nspec++] = sp;
            }
            continue;
        }
        int sp = pp_school_intern_speciality(s, c->specialities[i]), dup = 0;
        if (sp < 0)
            return -1;
        for (int j = 0; j < nspec; j++)
            dup |= spec[j] == sp;
        if (!dup)
            spec[nspec++] = sp;
    }
    if (s->nstaff)
        memcpy(v, s->staff, (size_t)s->nstaff * sizeof *v);
    s->staff = v;
    char base[160], id[200], name[200];
    snprintf(base, sizeof base, "%s-%s", x->sc->id, pp_staff_type_name((pp_staff_type)c->staff_type));
    int k = 0;
    for (int i = 0; i < c->count; i++) {
        pp_staff *m = &v[s->nstaff];
        memset(m, 0, sizeof *m);
        fresh_id(s, 0, base, &k, id, sizeof id);
        snprintf(name, sizeof name, "新增%s%d", pp_staff_type_zh((pp_staff_type)c->staff_type), k);
        m->id = pp_arena_strdup(s->arena, id);
        m->name = pp_arena_strdup(s->arena, name);
        if (!m->id || !m->name)
            return -1;
        m->type = (pp_staff_type)c->staff_type;
        m->nspec = nspec;
        m->spec = spec;
        for (int d = 0; d < PP_DAYS; d++)
            if (dm & (1u << d))
                for (int p = 0; p < s->nperiods; p++)
                    if ((pm & (1u << p)) && (s->periods[p].days & (1u << d)))
                        m->avail[d] |= 1u << p;
        m->max_sessions = c->max_sessions > 0 ? c->max_sessions : 10;
        m->max_minutes = c->max_minutes > 0 ? c->max_minutes : 600;
        m->rate = c->rate;
        m->line = c->line;
        s->nstaff++;
    }
    return 0;
}

static int remove_staff(ctx *x)
{
    pp_school *s = x->s;
    int n;
    int *r = ranked_matching_staff(x, &n);
    if (!r)
        return -1;
    int drop = x->c->count > 0 ? (x->c->count < n ? x->c->count : n) : (int)lround(x->c->fraction * n);
    char *gone = calloc((size_t)(s->nstaff > 0 ? s->nstaff : 1), 1);
    if (!gone) {
        free(r);
        return -1;
    }
    for (int i = 0; i < drop; i++)
        gone[r[i]] = 1;
    int k = 0;
    for (int i = 0; i < s->nstaff; i++)
        if (!gone[i])
            s->staff[k++] = s->staff[i];
    s->nstaff = k;
    free(gone);
    free(r);
    return 0;
}

/* In every named slot, the matching staff available there are counted and the
 * first (1 - factor) of them in rank order lose the slot; the same ranking for
 * every slot, so "Friday afternoon training" takes whole afternoons of the same
 * people rather than scattered periods of many. */
static int scale_availability(ctx *x)
{
    pp_school *s = x->s;
    uint32_t pm = period_mask(x);
    uint8_t dm = day_mask(s, x->c);
    int n;
    int *r = ranked_matching_staff(x, &n);
    if (!r)
        return -1;
    for (int d = 0; d < PP_DAYS; d++) {
        if (!(dm & (1u << d)))
            continue;
        for (int p = 0; p < s->nperiods; p++) {
            if (!(pm & (1u << p)))
                continue;
            int avail = 0;
            for (int i = 0; i < n; i++)
                avail += (s->staff[r[i]].avail[d] >> p) & 1u;
            int drop = (int)lround((1 - x->c->fraction) * avail);
            for (int i = 0; i < n && drop > 0; i++)
                if (s->staff[r[i]].avail[d] & (1u << p)) {
                    s->staff[r[i]].avail[d] &= ~(1u << p);
                    drop--;
                }
        }
    }
    free(r);
    return 0;
}

static int add_venues(ctx *x)
{
    pp_school *s = x->s;
    const pp_change *c = x->c;
    uint32_t pm = period_mask(x);
    uint8_t dm = day_mask(s, c);
    int type = pp_school_intern_venue_type(s, c->speciality);
    pp_venue *v = pp_arena_alloc(s->arena, (size_t)(s->nvenues + c->count) * sizeof *v);
    if (type < 0 || !v)
        return -1;
    int cap = c->capacity;
    for (int i = 0; i < s->nvenues && c->capacity <= 0; i++)
        if (s->venues[i].type == type && s->venues[i].capacity > cap)
            cap = s->venues[i].capacity;
    if (cap <= 0)
        cap = 40;
    if (s->nvenues)
        memcpy(v, s->venues, (size_t)s->nvenues * sizeof *v);
    s->venues = v;
    char base[160], id[200], name[300];
    snprintf(base, sizeof base, "%s-%s", x->sc->id, c->speciality);
    int k = 0;
    for (int i = 0; i < c->count; i++) {
        pp_venue *m = &v[s->nvenues];
        memset(m, 0, sizeof *m);
        fresh_id(s, 1, base, &k, id, sizeof id);
        snprintf(name, sizeof name, "新增%s%d", c->speciality, k);
        m->id = pp_arena_strdup(s->arena, id);
        m->name = pp_arena_strdup(s->arena, name);
        if (!m->id || !m->name)
            return -1;
        m->type = type;
        m->capacity = cap;
        for (int d = 0; d < PP_DAYS; d++)
            m->avail[d] = (dm & (1u << d)) ? pm : 0;
        m->line = c->line;
        s->nvenues++;
    }
    return 0;
}

/* Policy values were copied into activities when the school was read (an
 * activity's max defaults to group-max, ...); an activity that took the old
 * default takes the new one, and no activity may exceed a lowered group-max. */
static void set_policy(ctx *x)
{
    pp_school *s = x->s;
    const pp_policy_change *c = &x->c->policy;
    pp_policy *p = &s->policy;
    for (int i = 0; i < s->nactivities; i++) {
        pp_activity *a = &s->activities[i];
        int care = pp_activity_is_care(a);
        if (c->group_max > 0 && (a->max_size == p->group_max || a->max_size > c->group_max))
            a->max_size = c->group_max;
        if (c->course_min > 0 && !care && a->min_size == p->course_min)
            a->min_size = c->course_min;
        if (c->qa_min > 0 && a->kind == PP_ACT_HOMEWORK && a->merge_threshold == p->qa_min)
            a->merge_threshold = c->qa_min;
        if (c->class_merge_threshold > 0 && (a->kind == PP_ACT_CARE || a->kind == PP_ACT_READING) &&
            a->merge_threshold == p->class_merge_threshold)
            a->merge_threshold = c->class_merge_threshold;
    }
    if (c->group_max > 0)
        p->group_max = c->group_max;
    if (c->class_merge_threshold > 0)
        p->class_merge_threshold = c->class_merge_threshold;
    if (c->qa_min > 0)
        p->qa_min = c->qa_min;
    if (c->course_min > 0)
        p->course_min = c->course_min;
    if (c->duty_leaders_per_day >= 0)
        p->duty_leaders_per_day = c->duty_leaders_per_day;
    if (c->max_activities_per_student >= 0)
        p->max_activities_per_student = c->max_activities_per_student;
    if (c->adjacent_grade_merge >= 0)
        p->adjacent_grade_merge = c->adjacent_grade_merge;
}

/* Bit i of the result is the i-th set bit of keep taken from m: period masks
 * after the periods outside keep are removed. */
static uint32_t compact_bits(uint32_t m, uint32_t keep)
{
    uint32_t out = 0;
    int j = 0;
    for (int i = 0; i < 32; i++)
        if (keep & (1u << i)) {
            if (m & (1u << i))
                out |= 1u << j;
            j++;
        }
    return out;
}

/* Removes the periods outside keep: the period array and every per-day period
 * mask of the school (students' stays, activities' slots, staff and venue
 * availability) are compacted, so indices stay dense. */
static void drop_periods(pp_school *s, uint32_t keep)
{
    int j = 0;
    for (int p = 0; p < s->nperiods; p++)
        if (keep & (1u << p))
            s->periods[j++] = s->periods[p];
    if (j == s->nperiods)
        return;
    s->nperiods = j;
    for (int d = 0; d < PP_DAYS; d++) {
        for (int i = 0; i < s->nstudents; i++)
            s->students[i].stay[d] = compact_bits(s->students[i].stay[d], keep);
        for (int i = 0; i < s->nactivities; i++)
            s->activities[i].slots[d] = compact_bits(s->activities[i].slots[d], keep);
        for (int i = 0; i < s->nstaff; i++)
            s->staff[i].avail[d] = compact_bits(s->staff[i].avail[d], keep);
        for (int i = 0; i < s->nvenues; i++)
            s->venues[i].avail[d] = compact_bits(s->venues[i].avail[d], keep);
    }
}

/* The whole term in one season: that season's clock times, the term's weeks.
 * Periods without a window in that season do not run then and are removed (a
 * summer-only late care: its students simply do not stay). */
static int choose_season(ctx *x)
{
    pp_school *s = x->s;
    int k = pp_school_find_season(s, x->c->season);
    if (k < 0) {
        char list[400] = "";
        for (int i = 0; i < s->nseasons; i++)
            snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? ", " : "", s->seasons[i].id);
        err(x, "school has no season \"%s\"; expected one of its seasons: %s", x->c->season, list);
        return 0;
    }
    uint32_t keep = 0;
    for (int p = 0; p < s->nperiods; p++)
        if (s->periods[p].start_min[k] >= 0)
            keep |= 1u << p;
    if (!keep) {
        err(x, "no period of the school runs in season \"%s\"; expected a season with <window>s%s", x->c->season, "");
        return 0;
    }
    drop_periods(s, keep);
    pp_season one = s->seasons[k];
    one.weeks = 0;
    for (int i = 0; i < s->nseasons; i++) {
        one.weeks += s->seasons[i].weeks;
        if (s->seasons[i].start_days < one.start_days)
            one.start_days = s->seasons[i].start_days;
        if (s->seasons[i].end_days > one.end_days)
            one.end_days = s->seasons[i].end_days;
    }
    s->seasons[0] = one;
    s->nseasons = 1;
    for (int p = 0; p < s->nperiods; p++) {
        pp_period *pe = &s->periods[p];
        int st = pe->start_min[k], en = pe->end_min[k];
        for (int j = 0; j < PP_MAX_SEASONS; j++)
            pe->start_min[j] = pe->end_min[j] = -1;
        pe->start_min[0] = st;
        pe->end_min[0] = en;
    }
    return 0;
}

int pp_scenario_apply(const pp_scenario *sc, pp_school *s, pp_diags *d)
{
    ctx x = { sc, NULL, s, d, 0 };
    for (int i = 0; i < sc->nchanges; i++) {
        x.c = &sc->changes[i];
        int rc = 0;
        switch (x.c->kind) {
        case PP_CHANGE_ADD_STAFF: rc = add_staff(&x); break;
        case PP_CHANGE_REMOVE_STAFF: rc = remove_staff(&x); break;
        case PP_CHANGE_AVAILABILITY: rc = scale_availability(&x); break;
        case PP_CHANGE_ADD_VENUES: rc = add_venues(&x); break;
        case PP_CHANGE_POLICY: set_policy(&x); break;
        case PP_CHANGE_SEASON: rc = choose_season(&x); break;
        }
        if (rc) {
            err(&x, "out of memory while applying the change to school \"%s\"%s", s->id, "");
            return x.nerr;
        }
    }
    if (x.nerr)
        return x.nerr;
    return pp_school_validate(s, d);
}
