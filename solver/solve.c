/* solve.c - the week, stage by stage (see solve.h), into a pp_plan.
 *
 * Working groups ("wgroups") are kept per slot while the stages run: club groups
 * from the integer program, then care groups packed from whatever students of
 * each class are not at a club, then venues and staff.  A club group that cannot
 * get a venue or its staff is dissolved and its students return to care, so a
 * plan always comes out; care groups left without staff or room become unserved
 * demand, with the short resource named. */
#include "solve.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "care.h"
#include "clubs.h"
#include "match.h"
#include "perturb.h"
#include "priority.h"
#include "replan.h"
#include "staff.h"

void pp_solve_params_init(pp_solve_params *p)
{
    memset(p, 0, sizeof *p);
    p->time_limit = 60;
    p->gap = 0.005;
    p->use_heuristic = 1;
    p->cuts = 1;
    p->presolve = 1;
}

/* Why a care group could not run (wgroup.why), named in the unserved reasons. */
static const char NO_ROOM[] = "no free room", NO_STAFF[] = "no free staff";

typedef struct {
    int activity, day, period;
    int club;           /* club/course group (else care) */
    int dead;           /* dissolved */
    int n, *students;   /* owned */
    int venue;
    int nstaff, staff[4];
    int nprio;
    const char *why;    /* set when a care group could not run: the short resource (NO_ROOM, NO_STAFF) */
    int src;            /* club groups: index of the pp_club_group it meets for (whole_plan), -1 */
    int prev;           /* re-plan: the published group it continues, -1 none (set by match_prev) */
} wgroup;

typedef struct {
    const pp_school *s;
    const pp_solve_params *prm;
    wgroup *g;
    int ng, cap;
    double start;
    double bound_parts;     /* lower bound of the parts solved apart */
    int nonclub_sessions;
    int *nonclub_posts;     /* per slot: the staff posts the care there needs at least (slots without clubs) */
    int staff_flow;         /* a plan ran short of care staff: model who leads what in the week */
    int staff_short;        /* set by whole_plan when its first plan left care short of staff */
    double nonclub_minutes; /* staff minutes the slots without clubs need at least */
    pp_staffing *staffing;
    const int *src;         /* club group i given to finish_stages is the caller's src[i]; NULL: i */
    const pp_perturb *pert; /* re-plan: the charges against the published plan; NULL from scratch */
} sctx;

static int add_wgroup(sctx *c, const wgroup *w)
{
    if (c->ng == c->cap) {
        int cap = c->cap ? 2 * c->cap : 256;
        wgroup *g = realloc(c->g, (size_t)cap * sizeof *g);
        if (!g)
            return -1;
        c->g = g;
        c->cap = cap;
    }
    c->g[c->ng++] = *w;
    return 0;
}

static int stays(const pp_student *st, int d, int p)
{
    return (st->stay[d] >> p) & 1u;
}

static int slot_runs(const pp_school *s, int d, int p)
{
    return (s->day_mask & (1u << d)) && (s->periods[p].days & (1u << d));
}

/* ---------- care groups ------------------------------------------------------ */

/* Packs the care groups of slot (d, p) from the students who stay and are in no
 * club group there; appends them.  *lower receives the packing's lower bound. */
static int pack_slot(sctx *c, int d, int p, double *lower, int *lower_groups)
{
    const pp_school *s = c->s;
    int ns = s->nstudents, nc = s->nclasses, rc = -1;
    char *busy = calloc((size_t)ns + 1, 1);
    int *cnt = calloc((size_t)nc + 1, sizeof *cnt), *gof = malloc((size_t)(nc + 1) * sizeof *gof);
    pp_care_item *items = malloc((size_t)(nc + 1) * sizeof *items);
    int *prefer = c->pert ? malloc((size_t)(nc + 1) * sizeof *prefer) : NULL; /* re-plan: the published groups */
    if (!busy || !cnt || !gof || !items || (c->pert && !prefer))
        goto out;
    for (int i = 0; i < c->ng; i++)
        if (c->g[i].club && !c->g[i].dead && c->g[i].day == d && c->g[i].period == p)
            for (int j = 0; j < c->g[i].n; j++)
                busy[c->g[i].students[j]] = 1;
    for (int i = 0; i < ns; i++)
        if (!busy[i] && stays(&s->students[i], d, p))
            cnt[s->students[i].cls]++;
    int n = 0;
    for (int k = 0; k < nc; k++)
        if (cnt[k]) {
            if (prefer)
                prefer[n] = 1 + pp_perturb_care_group(c->pert, k, d, p);
            items[n++] = (pp_care_item){ k, s->classes[k].grade, cnt[k] };
        }
    pp_care_rules r = pp_care_rules_of(s, p);
    pp_care_result res;
    if (pp_care_pack_prefer(items, n, &r, prefer, gof, &res))
        goto out;
    *lower = s->policy.w_unserved >= s->policy.w_group ? res.lower : 0;
    *lower_groups = s->policy.w_unserved >= s->policy.w_group ? res.lower_groups : 0;
    int base = c->ng;
    for (int q = 0; q < res.ngroups; q++) {
        wgroup w = { .activity = s->periods[p].care, .day = d, .period = p, .venue = -1, .src = -1 };
        if (add_wgroup(c, &w))
            goto out;
    }
    int *grp_of_class = cnt; /* reuse: class -> group, -1 none */
    for (int k = 0; k < nc; k++)
        grp_of_class[k] = -1;
    for (int i = 0; i < n; i++)
        grp_of_class[items[i].cls] = base + gof[i];
    for (int i = 0; i < ns; i++)
        if (!busy[i] && stays(&s->students[i], d, p)) {
            wgroup *w = &c->g[grp_of_class[s->students[i].cls]];
            int *m = realloc(w->students, (size_t)(w->n + 1) * sizeof *m);
            if (!m)
                goto out;
            w->students = m;
            w->students[w->n++] = i;
            w->nprio += s->students[i].priority != 0;
        }
    rc = 0;
out:
    free(busy);
    free(cnt);
    free(gof);
    free(items);
    free(prefer);
    return rc;
}

/* Care at slots no club can use is independent of everything else: packed first,
 * its exact (or bounded) cost enters the bound as it is. */
static int pack_nonclub_slots(sctx *c)
{
    const pp_school *s = c->s;
    for (int d = 0; d < PP_DAYS; d++)
        for (int p = 0; p < s->nperiods; p++) {
            if (!slot_runs(s, d, p) || pp_clubs_slot_possible(s, d, p))
                continue;
            int lower_groups;
            double lower;
            if (pack_slot(c, d, p, &lower, &lower_groups))
                return -1;
            c->bound_parts += lower;
            c->nonclub_minutes += (double)lower_groups * s->activities[s->periods[p].care].staff_per_group *
                                  pp_staff_post_minutes(s, p);
            /* the load row of the club program must hold for every plan: count
             * the fewest groups any packing needs, not the ones this one made */
            c->nonclub_sessions += lower_groups * s->activities[s->periods[p].care].staff_per_group;
            if (c->nonclub_posts)
                c->nonclub_posts[d * s->nperiods + p] = lower_groups * s->activities[s->periods[p].care].staff_per_group;
        }
    return 0;
}

static int pack_club_slots(sctx *c)
{
    const pp_school *s = c->s;
    for (int d = 0; d < PP_DAYS; d++)
        for (int p = 0; p < s->nperiods; p++) {
            double lower;
            int lower_groups;
            if (slot_runs(s, d, p) && pp_clubs_slot_possible(s, d, p) && pack_slot(c, d, p, &lower, &lower_groups))
                return -1;
        }
    return 0;
}

/* ---------- clubs -------------------------------------------------------------- */

static int add_club_groups(sctx *c, const pp_club_group *groups, int n)
{
    for (int i = 0; i < n; i++) {
        const pp_club_group *cg = &groups[i];
        for (int q = 0; q < cg->nslots; q++) {
            wgroup w = { .activity = cg->activity, .day = cg->day[q], .period = cg->period[q], .club = 1, .venue = -1,
                         .src = c->src ? c->src[i] : i };
            w.students = malloc((size_t)(cg->nstudents + 1) * sizeof(int));
            if (!w.students)
                return -1;
            memcpy(w.students, cg->students, (size_t)cg->nstudents * sizeof(int));
            w.n = cg->nstudents;
            for (int j = 0; j < w.n; j++)
                w.nprio += c->s->students[w.students[j]].priority != 0;
            if (add_wgroup(c, &w)) {
                free(w.students);
                return -1;
            }
        }
    }
    return 0;
}

/* ---------- venues ------------------------------------------------------------- */


/* How much a club taking each venue at (d, p) costs the care groups, into cost[]:
 * 0 for a room that is nobody's home, 1 for the home of a class nobody stays in
 * then, 2 otherwise.  One pass over the students per slot. */
static void home_costs(const pp_school *s, int d, int p, unsigned char *cost, unsigned char *staying)
{
    memset(cost, 0, (size_t)s->nvenues + 1);
    memset(staying, 0, (size_t)s->nclasses + 1);
    for (int i = 0; i < s->nstudents; i++)
        if (stays(&s->students[i], d, p))
            staying[s->students[i].cls] = 1;
    for (int k = 0; k < s->nclasses; k++) {
        int v = s->classes[k].room;
        if (v >= 0 && cost[v] < 1 + staying[k])
            cost[v] = (unsigned char)(1 + staying[k]);
    }
}

/* The scratch of one slot's placement. */
typedef struct {
    const pp_school *s;
    unsigned char *used;    /* venue taken at an overlapping period already */
    unsigned char *cost;    /* home_costs of the slot */
    unsigned char *staying; /* scratch of home_costs */
    int *cnt;               /* per class: members of the group being listed */
    int *vord;              /* venues in preference order */
} vctx;

static int vctx_init(vctx *v, const pp_school *s)
{
    v->s = s;
    v->used = malloc((size_t)s->nvenues + 1);
    v->cost = malloc((size_t)s->nvenues + 1);
    v->staying = malloc((size_t)s->nclasses + 1);
    v->cnt = calloc((size_t)s->nclasses + 1, sizeof *v->cnt);
    v->vord = malloc((size_t)(s->nvenues + 1) * sizeof *v->vord);
    return v->used && v->cost && v->staying && v->cnt && v->vord ? 0 : -1;
}

static void vctx_free(vctx *v)
{
    free(v->used);
    free(v->cost);
    free(v->staying);
    free(v->cnt);
    free(v->vord);
}

/* Lists group w's venues at its slot in preference order into m as left vertex
 * l: the right type (docs/RULES.md V1), room for all (V2), there and free (V3);
 * a care group's own classrooms first (its largest class's first), then rooms
 * nobody's class needs, smaller rooms before larger. */
static int list_venues(vctx *v, const wgroup *w, pp_match *m, int l)
{
    const pp_school *s = v->s;
    int n = 0, type;
    if (w->club)
        type = s->activities[w->activity].venue_type;
    else {
        int first = w->n ? s->students[w->students[0]].cls : 0;
        type = pp_care_room_type(s, w->period, first);
        for (int j = 0; j < w->n; j++)
            v->cnt[s->students[w->students[j]].cls]++;
        for (int done = 0; !done;) { /* home rooms by class size, largest first */
            int best = -1;
            for (int k = 0; k < s->nclasses; k++)
                if (v->cnt[k] > 0 && (best < 0 || v->cnt[k] > v->cnt[best]))
                    best = k;
            if (best < 0)
                break;
            int r = s->classes[best].room;
            v->cnt[best] = 0;
            if (r >= 0 && s->venues[r].type == type && s->venues[r].capacity >= w->n && !v->used[r] &&
                (s->venues[r].avail[w->day] & (1u << w->period)))
                v->vord[n++] = r;
        }
    }
    int first_other = n;
    for (int r = 0; r < s->nvenues; r++) {
        const pp_venue *ve = &s->venues[r];
        int listed = 0;
        for (int q = 0; q < first_other && !listed; q++)
            listed = v->vord[q] == r;
        if (!listed && ve->type == type && ve->capacity >= w->n && !v->used[r] && (ve->avail[w->day] & (1u << w->period)))
            v->vord[n++] = r;
    }
    for (int a = first_other + 1; a < n; a++) /* insertion sort: home cost, then capacity */
        for (int b = a; b > first_other; b--) {
            int x = v->vord[b - 1], y = v->vord[b];
            int kx = v->cost[x] * 100000 + s->venues[x].capacity, ky = v->cost[y] * 100000 + s->venues[y].capacity;
            if (kx <= ky)
                break;
            v->vord[b - 1] = y;
            v->vord[b] = x;
        }
    for (int q = 0; q < n; q++)
        if (pp_match_add(m, l, v->vord[q]))
            return -1;
    return 0;
}

/* Places the groups ord[0..n) of one slot by a maximum matching, in that order of
 * importance; writes each one's venue (-1 none) into got[].  0, or -1 when out of
 * memory. */
static int match_venues(vctx *v, const sctx *c, const int *ord, int n, int *got)
{
    pp_match *m = pp_match_new(n, v->s->nvenues);
    if (!m)
        return -1;
    for (int q = 0; q < n; q++)
        if (list_venues(v, &c->g[ord[q]], m, q)) {
            pp_match_free(m);
            return -1;
        }
    pp_match_run(m);
    for (int q = 0; q < n; q++)
        got[q] = pp_match_of(m, q);
    pp_match_free(m);
    return 0;
}

/* Orders the groups to place: care with priority students first, then larger first. */
static void order_groups(const sctx *c, int *ord, int n)
{
    for (int a = 1; a < n; a++)
        for (int b = a; b > 0; b--) {
            const wgroup *x = &c->g[ord[b - 1]], *y = &c->g[ord[b]];
            int before = (y->nprio > 0) > (x->nprio > 0) || ((y->nprio > 0) == (x->nprio > 0) && y->n > x->n);
            if (!before)
                break;
            int t = ord[b];
            ord[b] = ord[b - 1];
            ord[b - 1] = t;
        }
}

/* Re-plan: the venue of the published group w continues, when it still suits
 * (the type, room and availability list_venues asks for). */
static int keep_venue(const sctx *c, const wgroup *w, const unsigned char *used)
{
    const pp_school *s = c->s;
    const pp_group *o = w->prev >= 0 ? pp_perturb_group(c->pert, w->prev) : NULL;
    if (!o || o->venue < 0 || used[o->venue])
        return -1;
    const pp_venue *v = &s->venues[o->venue];
    int type = w->club ? s->activities[w->activity].venue_type
                       : pp_care_room_type(s, w->period, w->n ? s->students[w->students[0]].cls : 0);
    return v->type == type && v->capacity >= w->n && (v->avail[w->day] & (1u << w->period)) ? o->venue : -1;
}

/* Places the groups of the given kind (club or care) at slot (d, p); venues taken
 * by groups placed earlier at an overlapping period stay taken.  When care groups
 * are left without a room, the slot is matched again with its club groups' rooms
 * freed, care first, and taken when that places every group (a club in a room
 * another one would do for no longer keeps care out).  Returns -1 when out of
 * memory. */
static int place_slot(sctx *c, vctx *v, int d, int p, int club, int *ord, int *got)
{
    const pp_school *s = c->s;
    memset(v->used, 0, (size_t)s->nvenues + 1);
    int n = 0;
    for (int i = 0; i < c->ng; i++) {
        wgroup *w = &c->g[i];
        if (w->day != d || w->dead)
            continue;
        if (w->venue >= 0 && pp_periods_overlap(s, p, w->period))
            v->used[w->venue] = 1; /* taken then, here or in a period at the same time */
        else if (w->period == p && w->venue < 0 && w->club == club)
            ord[n++] = i;
    }
    if (!n)
        return 0;
    home_costs(s, d, p, v->cost, v->staying);
    order_groups(c, ord, n);
    int kept = 0; /* a re-plan: groups continuing a published one take its venue first */
    for (int q = 0; c->pert && q < n; q++) {
        wgroup *w = &c->g[ord[q]];
        int r = keep_venue(c, w, v->used);
        if (r >= 0) {
            w->venue = r;
            v->used[r] = 1;
            kept++;
        } else
            ord[q - kept] = ord[q];
    }
    n -= kept;
    if (match_venues(v, c, ord, n, got))
        return -1;
    int missing = 0;
    for (int q = 0; q < n; q++)
        missing += got[q] < 0;
    if (missing && !club) {
        int m = n;
        for (int i = 0; i < c->ng; i++) { /* the clubs of this very slot, rooms freed */
            wgroup *w = &c->g[i];
            if (w->club && !w->dead && w->day == d && w->period == p && w->venue >= 0) {
                v->used[w->venue] = 0;
                ord[m++] = i;
            }
        }
        if (m > n) {
            int *got2 = got + m + 1;
            if (match_venues(v, c, ord, m, got2))
                return -1;
            int all = 1;
            for (int q = 0; q < m; q++)
                all &= got2[q] >= 0;
            if (all) {
                for (int q = n; q < m; q++)
                    c->g[ord[q]].venue = got2[q];
                memcpy(got, got2, (size_t)n * sizeof *got);
            }
        }
    }
    for (int q = 0; q < n; q++) {
        wgroup *w = &c->g[ord[q]];
        if (got[q] >= 0)
            w->venue = got[q];
        else if (club)
            w->dead = 1;
        else
            w->why = NO_ROOM;
    }
    return 0;
}

static int place_venues(sctx *c, int club)
{
    const pp_school *s = c->s;
    vctx v;
    int *ord = malloc((size_t)(c->ng + 1) * sizeof *ord), *got = malloc((size_t)(2 * c->ng + 2) * sizeof *got);
    int rc = -1;
    if (vctx_init(&v, s) == 0 && ord && got) {
        rc = 0;
        for (int d = 0; d < PP_DAYS && rc == 0; d++)
            for (int p = 0; p < s->nperiods && rc == 0; p++)
                rc = place_slot(c, &v, d, p, club, ord, got);
    }
    vctx_free(&v);
    free(ord);
    free(got);
    return rc;
}

/* ---------- staff -------------------------------------------------------------- */

static int staff_groups(sctx *c, int club)
{
    const pp_school *s = c->s;
    int n = 0;
    pp_post *posts = malloc((size_t)(c->ng + 1) * sizeof *posts);
    int *map = malloc((size_t)(c->ng + 1) * sizeof *map);
    if (!posts || !map) {
        free(posts);
        free(map);
        return -1;
    }
    for (int i = 0; i < c->ng; i++) {
        wgroup *w = &c->g[i];
        if (w->club != club || w->dead || w->why)
            continue;
        posts[n] = (pp_post){ w->day, w->period, w->activity, w->n, w->nprio,
                              s->activities[w->activity].staff_per_group, 0, { 0 }, NULL, 0 };
        const pp_group *o = c->pert && w->prev >= 0 ? pp_perturb_group(c->pert, w->prev) : NULL;
        if (o) { /* a re-plan keeps the published staff */
            posts[n].prefer = o->staff;
            posts[n].nprefer = o->nstaff;
        }
        map[n++] = i;
    }
    int rc = pp_staffing_assign(c->staffing, posts, n);
    for (int q = 0; q < n && rc == 0; q++) {
        wgroup *w = &c->g[map[q]];
        if (posts[q].got == posts[q].need) {
            w->nstaff = posts[q].got;
            memcpy(w->staff, posts[q].staff, sizeof w->staff);
        } else if (club)
            w->dead = 1;
        else
            w->why = NO_STAFF;
    }
    free(posts);
    free(map);
    return rc;
}

/* The most minutes staff member i can lead in a week: its limit, and one post
 * at a time in the slots it is there. */
static double staff_capacity(const pp_school *s, int i)
{
    double avail = 0;
    for (int d = 0; d < PP_DAYS; d++)
        for (int p = 0; p < s->nperiods; p++)
            if (slot_runs(s, d, p) && (s->staff[i].avail[d] & (1u << p)))
                avail += pp_staff_post_minutes(s, p);
    return s->staff[i].max_minutes < avail ? s->staff[i].max_minutes : avail;
}

/* The fairness term weighs the largest in-house teacher load.  Whatever the
 * plan, the care minutes of slots without clubs must be led by someone; what the
 * other staff cannot take falls on the teachers.  The smallest largest load L
 * then satisfies sum_i min(L, capacity_i) >= need over the teachers (a teacher
 * who is seldom there takes less than an even share, so the others take more). */
static double max_load_bound(const sctx *c)
{
    const pp_school *s = c->s;
    double others = 0, externals = 0;
    double *cap = calloc((size_t)s->nstaff + 1, sizeof *cap);
    int teachers = 0;
    if (!cap)
        return 0;
    for (int i = 0; i < s->nstaff; i++) {
        double m = staff_capacity(s, i);
        if (s->staff[i].type == PP_STAFF_TEACHER)
            cap[teachers++] = m;
        else if (s->staff[i].type != PP_STAFF_EXTERNAL)
            others += m;
        else
            externals += m;
    }
    /* at a club slot every stayer is in some group of at most max(group-max, the
     * largest class) students: that many groups at least, led by anyone, externals
     * included (they lead clubs) */
    double club_minutes = 0;
    int *cnt = calloc((size_t)s->nclasses + 1, sizeof *cnt);
    for (int d = 0; d < PP_DAYS && cnt; d++)
        for (int p = 0; p < s->nperiods; p++) {
            if (!slot_runs(s, d, p) || !pp_clubs_slot_possible(s, d, p))
                continue;
            memset(cnt, 0, (size_t)s->nclasses * sizeof *cnt);
            long stay = 0;
            int gmax = s->policy.group_max;
            for (int i = 0; i < s->nstudents; i++)
                if (stays(&s->students[i], d, p)) {
                    stay++;
                    cnt[s->students[i].cls]++;
                }
            for (int k = 0; k < s->nclasses; k++)
                gmax = cnt[k] > gmax ? cnt[k] : gmax;
            club_minutes += (double)((stay + gmax - 1) / gmax) * pp_staff_post_minutes(s, p);
        }
    free(cnt);
    double need = c->nonclub_minutes - others;
    double need_all = c->nonclub_minutes + club_minutes - others - externals;
    need = need_all > need ? need_all : need;
    double lo = 0, hi = 0;
    for (int i = 0; i < teachers; i++)
        hi = cap[i] > hi ? cap[i] : hi;
    if (teachers == 0 || need <= 0) {
        free(cap);
        return 0;
    }
    /* bisection on L: sum min(L, cap) is increasing in L */
    for (int it = 0; it < 60; it++) {
        double mid = (lo + hi) / 2, sum = 0;
        for (int i = 0; i < teachers; i++)
            sum += cap[i] < mid ? cap[i] : mid;
        if (sum >= need)
            hi = mid;
        else
            lo = mid;
    }
    free(cap);
    return s->policy.w_max_load * lo;
}

/* ---------- plan --------------------------------------------------------------- */

static int short_count(const sctx *c, const wgroup *w)
{
    int n = 0;
    for (int i = 0; i < c->ng; i++)
        n += c->g[i].why && c->g[i].day == w->day && c->g[i].period == w->period && c->g[i].why == w->why;
    return n;
}

static int build_plan(sctx *c, pp_plan *plan)
{
    const pp_school *s = c->s;
    char reason[512];
    for (int i = 0; i < c->ng; i++) {
        wgroup *w = &c->g[i];
        if (w->dead)
            continue;
        if (w->why) {
            const pp_activity *a = &s->activities[w->activity];
            snprintf(reason, sizeof reason, "%s for %s on %s %s (short %d group%s)", w->why, a->name,
                     pp_day_name(w->day), s->periods[w->period].name, short_count(c, w), short_count(c, w) > 1 ? "s" : "");
            for (int j = 0; j < w->n; j++)
                if (pp_plan_add_unserved(plan, w->students[j], w->day, w->period, reason))
                    return -1;
            continue;
        }
        if (pp_plan_add_group(plan, s, w->activity, w->day, w->period, w->venue, w->staff, w->nstaff, w->students, w->n) < 0)
            return -1;
    }
    for (int d = 0; d < PP_DAYS; d++) { /* every service day with a period (docs/RULES.md D1) */
        int any = 0;
        for (int p = 0; p < s->nperiods && !any; p++)
            any = slot_runs(s, d, p);
        if (!any)
            continue;
        int who[64];
        int n = c->pert ? pp_perturb_duty(c->pert, d, who, 64) : 0; /* a re-plan keeps the published leaders */
        if (n == 0)
            n = pp_staffing_duty(c->staffing, d, who, 64);
        if (pp_plan_set_duty(plan, d, who, n))
            return -1;
    }
    pp_plan_sort(plan, s);
    return 0;
}

static void free_wgroups(sctx *c)
{
    for (int i = 0; i < c->ng; i++)
        free(c->g[i].students);
    free(c->g);
}

static void default_progress(void *ctx, const pp_progress *p)
{
    (void)ctx;
    if (isnan(p->objective))
        fprintf(stderr, "[%7.1fs] %-6s searching, bound %.1f\n", p->elapsed, p->phase, p->bound);
    else if (isinf(p->bound))
        fprintf(stderr, "[%7.1fs] %-6s best %.1f\n", p->elapsed, p->phase, p->objective);
    else
        fprintf(stderr, "[%7.1fs] %-6s best %.1f  bound %.1f  gap %.2f%%\n", p->elapsed, p->phase, p->objective, p->bound,
                100 * (p->objective - p->bound) / fmax(fabs(p->objective), 1e-9));
}

/* Re-plan: which published group each live group continues (w->prev), slot by
 * slot; a no-op from scratch. */
static int match_prev(sctx *c)
{
    if (!c->pert)
        return 0;
    int *act = malloc((size_t)(c->ng + 1) * sizeof *act), *nst = malloc((size_t)(c->ng + 1) * sizeof *nst);
    int *idx = malloc((size_t)(c->ng + 1) * sizeof *idx), *prev = malloc((size_t)(c->ng + 1) * sizeof *prev);
    const int **stu = malloc((size_t)(c->ng + 1) * sizeof *stu);
    int rc = act && nst && idx && prev && stu ? 0 : -1;
    for (int d = 0; d < PP_DAYS && rc == 0; d++)
        for (int p = 0; p < c->s->nperiods && rc == 0; p++) {
            int n = 0;
            for (int i = 0; i < c->ng; i++) {
                wgroup *w = &c->g[i];
                if (w->day != d || w->period != p || w->dead)
                    continue;
                act[n] = w->activity;
                stu[n] = w->students;
                nst[n] = w->n;
                idx[n++] = i;
            }
            if (n && (rc = pp_perturb_match_slot(c->pert, d, p, n, act, (const int *const *)stu, nst, prev)) == 0)
                for (int q = 0; q < n; q++)
                    c->g[idx[q]].prev = prev[q];
        }
    free(act);
    free(nst);
    free(idx);
    free(prev);
    free(stu);
    return rc;
}

/* Care left without staff by the slot-by-slot matching: the whole week staffed
 * at once (staff.h pp_staffing_assign_week; the club groups kept filled unless
 * `drop` lets it give them up, marked there), taken when it staffs more.
 * Returns -1 when out of memory. */
static int restaff_week(sctx *c, double seconds, unsigned char *drop)
{
    const pp_school *s = c->s;
    int short_care = 0, n = 0;
    double full = 0;
    for (int i = 0; i < c->ng; i++)
        short_care += !c->g[i].club && c->g[i].why == NO_STAFF;
    if (!short_care)
        return 0;
    pp_post *posts = malloc((size_t)(c->ng + 1) * sizeof *posts);
    int *map = malloc((size_t)(c->ng + 1) * sizeof *map);
    unsigned char *must = malloc((size_t)c->ng + 1);
    int rc = -1;
    if (!posts || !map || !must)
        goto out;
    for (int i = 0; i < c->ng; i++) {
        wgroup *w = &c->g[i];
        if (w->dead || (w->why && w->why != NO_STAFF))
            continue;
        posts[n] = (pp_post){ w->day, w->period, w->activity, w->n, (w->club ? 0 : 100000) + 100 * w->nprio + w->n,
                              s->activities[w->activity].staff_per_group, w->nstaff, { 0 }, NULL, 0 };
        memcpy(posts[n].staff, w->staff, sizeof posts[n].staff);
        must[n] = (unsigned char)(w->club && !drop);
        if (w->why == NULL)
            full += pp_staffing_post_worth(&posts[n]);
        map[n++] = i;
    }
    int got = pp_staffing_assign_week(c->staffing, posts, n, must, full, seconds);
    if (got < 0)
        goto out;
    for (int q = 0; q < n && got > 0; q++) {
        wgroup *w = &c->g[map[q]];
        w->nstaff = posts[q].got;
        memcpy(w->staff, posts[q].staff, sizeof w->staff);
        if (w->club && posts[q].got < posts[q].need) /* given up for care: dissolved by the caller */
            drop[w->src] = 1;
        else
            w->why = posts[q].got == posts[q].need ? NULL : NO_STAFF;
    }
    rc = 0;
out:
    free(posts);
    free(map);
    free(must);
    return rc;
}

/* Seconds for the week-wide staffing: it starts from the slot-by-slot
 * assignment and finds the posts that can be added in a fraction of a second
 * mostly (r10, 150 posts: all served at 0.5 s at best, 1.5 s at worst); `last`
 * is the try when no club group is left to dissolve, which gets more, and
 * 1.5 s even past the deadline: a child's care is worth it. */
static double week_seconds(const sctx *c, int last)
{
    double left = c->start + c->prm->time_limit - pp_clock(), cap = (last ? 0.15 : 0.03) * c->prm->time_limit;
    double lo = last ? 1.5 : 0.3, hi = last ? 5.0 : 1.5;
    cap = cap < lo ? lo : cap > hi ? hi : cap;
    if (last) /* the school would otherwise leave children without care: at least lo */
        return left > cap ? cap : left > lo ? left : lo;
    left = left < 0.5 ? 0.5 : left;
    return left < cap ? left : cap;
}

/* Everything after the club program for the given club groups, but the plan;
 * the week-wide staffing only when `week` (it costs up to a second a call). */
static int finish_stages(sctx *c, const pp_club_group *groups, int n, int week)
{
    return add_club_groups(c, groups, n) || match_prev(c) || place_venues(c, 1) || staff_groups(c, 1) ||
                   pack_club_slots(c) || match_prev(c) || place_venues(c, 0) || staff_groups(c, 0) ||
                   (week && restaff_week(c, week_seconds(c, 0), NULL))
               ? -1
               : 0;
}

/* What the solve minimises: the school's objective, plus in a re-plan the charges
 * for changing the published plan. */
static double total_cost(const sctx *c, const pp_plan *plan)
{
    return pp_plan_cost(c->s, plan) + (c->pert ? pp_perturb_cost(c->pert, plan) : 0);
}

/* ---------- a whole plan from club groups, repaired ---------------------------- */

/* Whether dissolving club group w frees what short_care lacks: a room of its
 * type, or an in-house leader, at an overlapping period that day; or, when
 * `week`, an in-house leader who is there at short_care's slot (spent on a club
 * another day: the session goes back to the weekly limits). */
static int club_frees(const pp_school *s, const wgroup *w, const wgroup *short_care, int type, int week)
{
    int rooms = short_care->why == NO_ROOM;
    if (!week && (w->day != short_care->day || !pp_periods_overlap(s, w->period, short_care->period)))
        return 0;
    if (rooms)
        return w->venue >= 0 && s->venues[w->venue].type == type;
    for (int k = 0; k < w->nstaff; k++) {
        const pp_staff *m = &s->staff[w->staff[k]];
        if (m->type != PP_STAFF_EXTERNAL && (!week || (m->avail[short_care->day] & (1u << short_care->period))))
            return 1;
    }
    return 0;
}

/* The club group to dissolve so that care short of rooms or staff at slot (d, p)
 * gets them: one meeting then that holds what care lacks (a room of the care
 * group's type; an in-house person), else for staff one whose in-house leader is
 * there at (d, p); the smallest (the fewest choices lost).  -1 when none does. */
static int group_to_dissolve(const sctx *c, const wgroup *short_care, const pp_club_group *groups,
                             const unsigned char *banned)
{
    const pp_school *s = c->s;
    int rooms = short_care->why == NO_ROOM;
    int type = -1;
    if (rooms && short_care->n > 0)
        type = pp_care_room_type(s, short_care->period, s->students[short_care->students[0]].cls);
    int best = -1;
    /* the room or leader at that slot first; for a leader, then anyone's weekly session */
    for (int week = 0; week <= !rooms && best < 0; week++)
        for (int i = 0; i < c->ng; i++) {
            const wgroup *w = &c->g[i];
            if (!w->club || w->dead || w->src < 0 || banned[w->src] || !club_frees(s, w, short_care, type, week))
                continue;
            if (best < 0 || groups[w->src].nstudents < groups[best].nstudents)
                best = w->src;
        }
    return best;
}

/* Care groups per slot (index day * nperiods + period) of a finished plan's
 * working groups, those that could not run included. */
static void care_per_slot(const sctx *c, int *out)
{
    memset(out, 0, (size_t)PP_DAYS * (size_t)c->s->nperiods * sizeof *out);
    for (int i = 0; i < c->ng; i++)
        if (!c->g[i].club && !c->g[i].dead)
            out[c->g[i].day * c->s->nperiods + c->g[i].period]++;
}

/* The whole plan for the given club groups: care, venues, staff, duty.  When
 * care at a club slot is left short of rooms or staff, the club group holding
 * what it lacks is dissolved (its students return to care) and the plan is made
 * again: a child in care matters more than a club choice (docs/RULES.md, 愿留尽留).
 * care_at, when not NULL, receives the care groups per slot.  0, or -1 when out
 * of memory. */
static int whole_plan(sctx *proto, const pp_club_group *groups, int n, const unsigned char *staff_at, pp_plan **out,
                      int *care_at)
{
    const pp_school *s = proto->s;
    unsigned char *banned = calloc((size_t)n + 1, 1), *drop = calloc((size_t)n + 1, 1);
    pp_club_group *kept = malloc((size_t)(n + 1) * sizeof *kept);
    int *src = malloc((size_t)(n + 1) * sizeof *src);
    int rc = -1;
    *out = NULL;
    if (!banned || !kept || !src || !drop)
        goto done;
    for (int round = 0; round <= n; round++) {
        int m = 0, bad = 0;
        for (int i = 0; i < n && !bad; i++)
            if (!banned[i]) {
                src[m] = i;
                kept[m] = groups[i];
                kept[m].students = malloc((size_t)(groups[i].nstudents + 1) * sizeof(int));
                bad = !kept[m].students;
                if (!bad)
                    memcpy(kept[m].students, groups[i].students, (size_t)groups[i].nstudents * sizeof(int));
                m += !bad;
            }
        /* seats freed by a dissolved group go to priority students first again (P2) */
        bad = bad || pp_priority_first(s, kept, m) < 0;
        sctx c = { .s = s, .prm = proto->prm, .start = proto->start, .staffing = pp_staffing_new(s), .src = src,
                   .pert = proto->pert };
        pp_plan *plan = pp_plan_new();
        /* dissolved groups leave the flow's posts behind: the hint is for the first round */
        bad = bad || !plan || !c.staffing || (round == 0 && pp_staffing_plan(c.staffing, staff_at)) || pack_nonclub_slots(&c) || finish_stages(&c, kept, m, round == 0);
        for (int i = 0; i < m; i++)
            free(kept[i].students);
        int ban = -1, shortage = 0;
        for (int i = 0; i < c.ng && !bad; i++)
            if (!c.g[i].club && c.g[i].why) {
                shortage = 1;
                if (round == 0 && c.g[i].why == NO_STAFF)
                    proto->staff_short = 1;
                if (ban < 0)
                    ban = group_to_dissolve(&c, &c.g[i], groups, banned);
            }
        /* nothing left to dissolve at the short slot: the week's staff at once,
         * given longer, and free to give up club groups whose staff care needs */
        if (!bad && shortage && ban < 0) {
            memset(drop, 0, (size_t)n + 1);
            bad = restaff_week(&c, week_seconds(&c, 1), drop);
            for (int i = 0; i < n && !bad; i++)
                if (drop[i] && !banned[i]) {
                    banned[i] = 1;
                    ban = -2; /* several at once: made again */
                }
        }
        bad = bad || (ban == -1 || round == n ? build_plan(&c, plan) : 0);
        if (!bad && (ban == -1 || round == n)) {
            if (care_at)
                care_per_slot(&c, care_at);
            *out = plan;
            plan = NULL;
            rc = 0;
        }
        free_wgroups(&c);
        pp_staffing_free(c.staffing);
        pp_plan_free(plan);
        if (bad || rc == 0)
            break;
        if (ban >= 0)
            banned[ban] = 1;
    }
done:
    free(banned);
    free(drop);
    free(kept);
    free(src);
    return rc;
}

/* Keeps the cheaper of *best and cand (freeing the other); a NULL best takes cand. */
static void keep_cheaper(const sctx *c, pp_plan **best, pp_plan *cand)
{
    if (!cand)
        return;
    if (!*best || total_cost(c, cand) < total_cost(c, *best) - 1e-9) {
        pp_plan_free(*best);
        *best = cand;
    } else
        pp_plan_free(cand);
}

/* Flags the club slots where the plan needed more care groups than the program
 * counted for its solution: the count rows were loose there (classes that cannot
 * share a group), and the next program models which classes stay apart.
 * Returns how many slots were newly flagged. */
static int flag_loose_slots(const pp_school *s, const pp_clubs_result *clubs, const int *care_at, char *apart)
{
    int n = 0;
    if (!clubs->care_at)
        return 0;
    for (int t = 0; t < PP_DAYS * s->nperiods; t++)
        if (care_at[t] > clubs->care_at[t] + 0.5 && !apart[t] && pp_clubs_slot_possible(s, t / s->nperiods, t % s->nperiods)) {
            apart[t] = 1;
            n++;
        }
    return n;
}

/* With time left, the plan above its gap target and nothing flagged: the program
 * once more with every club slot modelled exactly (the tightest bound it has),
 * rather than ending early (issue 12: a search does not stop while time is left
 * and the gap is above the target).  Returns whether a slot was newly flagged. */
static int model_every_slot(const sctx *c, const pp_plan *plan, double ip_bound, char *apart)
{
    const pp_school *s = c->s;
    double cost = pp_plan_cost(s, plan), bound = ip_bound + c->bound_parts;
    if ((cost - bound) / fmax(fabs(cost), 1e-9) <= c->prm->gap)
        return 0;
    int n = 0;
    for (int d = 0; d < PP_DAYS; d++)
        for (int p = 0; p < s->nperiods; p++)
            if (pp_clubs_slot_possible(s, d, p) && !apart[d * s->nperiods + p]) {
                apart[d * s->nperiods + p] = 1;
                n++;
            }
    return n > 0;
}

/* The gap of plan against the bound the solve has so far. */
static double whole_gap(const sctx *c, const pp_plan *plan, double ip_bound)
{
    double cost = total_cost(c, plan), bound = ip_bound + c->bound_parts + max_load_bound(c);
    return (cost - bound) / fmax(fabs(cost), 1e-9);
}

/* One run of the club program (apart rows at the flagged slots, ending at
 * `until`) and the best whole plan from its groups and its alternative
 * assignment, into *best.  Returns 0, 1 when the program failed (message in d),
 * -1 when out of memory. */
static int solve_round(sctx *c, const char *apart, double until, int start_only, double *excess,
                       pp_clubs_result *clubs, pp_plan **best, int *care_at, pp_diags *d)
{
    const pp_school *s = c->s;
    pp_clubs_ctx cc = { .start = c->start, .deadline = until, .const_cost = c->bound_parts,
                        .const_bound = c->bound_parts, .nonclub_staff_sessions = c->nonclub_sessions,
                        .apart_slots = apart, .start_only = start_only, .pert = c->pert,
                        .later_excess = *excess, .staff_flow = c->staff_flow, .nonclub_posts = c->nonclub_posts };
    memset(clubs, 0, sizeof *clubs);
    if (pp_clubs_solve(s, c->prm, &cc, clubs, d))
        return 1;
    if (pp_priority_first(s, clubs->groups, clubs->ngroups) < 0 || pp_priority_first(s, clubs->alt, clubs->nalt) < 0)
        return -1;
    if (c->pert && (pp_perturb_redeal(c->pert, clubs->groups, clubs->ngroups) ||
                    pp_perturb_redeal(c->pert, clubs->alt, clubs->nalt)))
        return -1;
    pp_plan *p1 = NULL, *p2 = NULL;
    int *alt_care = malloc((size_t)PP_DAYS * (size_t)s->nperiods * sizeof *alt_care);
    if (!alt_care || whole_plan(c, clubs->groups, clubs->ngroups, clubs->staff_at, &p1, care_at) ||
        (clubs->nalt && whole_plan(c, clubs->alt, clubs->nalt, clubs->staff_at, &p2, alt_care))) {
        free(alt_care);
        pp_plan_free(p1);
        pp_plan_free(p2);
        return -1;
    }
    /* the program's own assignment wins when the whole plan is cheaper: the care
     * counts that flag loose slots are then its own */
    if (p2 && total_cost(c, p2) < total_cost(c, p1) - 1e-9)
        memcpy(care_at, alt_care, (size_t)PP_DAYS * (size_t)s->nperiods * sizeof *care_at);
    free(alt_care);
    keep_cheaper(c, &p1, p2);
    /* what the later stages added to this program's plan: the next search's margin */
    double seen = total_cost(c, p1) - clubs->objective - c->bound_parts;
    *excess = seen > 0 ? seen : 0;
    keep_cheaper(c, best, p1);
    return 0;
}

/* Whether club group g meets at a slot where plan left a student without a group. */
static int meets_short(const pp_club_group *g, const pp_plan *plan)
{
    for (int i = 0; i < plan->nunserved; i++)
        for (int k = 0; k < g->nslots; k++)
            if (g->day[k] == plan->unserved[i].day && g->period[k] == plan->unserved[i].period)
                return 1;
    return 0;
}

/* A plan that leaves children without a group is the worst a solve can return
 * while a plan serving them exists: the program's club groups less those
 * meeting where children were left, then no club at all (every child in care,
 * the shape every school's rules admit when its staff can cover its care), each
 * made whole; the cheaper plan stays (a child's care costs more than any club
 * choice, policy w-unserved).  -1 when out of memory. */
static int serve_fallback(sctx *c, const pp_clubs_result *clubs, pp_plan **best)
{
    pp_club_group *kept = malloc((size_t)(clubs->ngroups + 1) * sizeof *kept);
    if (!kept)
        return -1;
    int m = 0;
    for (int i = 0; i < clubs->ngroups; i++)
        if (!meets_short(&clubs->groups[i], *best))
            kept[m++] = clubs->groups[i]; /* whole_plan copies the students it keeps */
    pp_plan *p = NULL;
    int rc = 0;
    if (m < clubs->ngroups && m > 0) {
        rc = whole_plan(c, kept, m, NULL, &p, NULL);
        keep_cheaper(c, best, p);
    }
    if (rc == 0 && (*best)->nunserved) {
        p = NULL;
        rc = whole_plan(c, kept, 0, NULL, &p, NULL);
        keep_cheaper(c, best, p);
    }
    free(kept);
    return rc;
}

/* Fills the figures of the solve into plan->stats.  The bound is the raw sum of
 * the parts' bounds: a bound above the plan's cost beyond rounding is a fault of
 * the solver, reported as an error rather than hidden (issue 13). */
static int set_stats(const sctx *c, pp_plan *plan, const pp_clubs_result *clubs, double ip_bound, pp_diags *d)
{
    plan->stats.objective = total_cost(c, plan);
    plan->stats.bound = ip_bound + c->bound_parts + max_load_bound(c);
    double tol = 1e-6 * fmax(1, fabs(plan->stats.objective));
    if (plan->stats.bound > plan->stats.objective + tol) {
        pp_diags_add(d, NULL, 0,
                     "internal error: the bound %.4f is above the cost %.4f of a plan that keeps every rule; "
                     "please report this school",
                     plan->stats.bound, plan->stats.objective);
        return -1;
    }
    if (plan->stats.bound > plan->stats.objective)
        plan->stats.bound = plan->stats.objective; /* within rounding */
    plan->stats.gap = (plan->stats.objective - plan->stats.bound) / fmax(fabs(plan->stats.objective), 1e-9);
    plan->stats.seconds = pp_clock() - c->start;
    if (c->prm->school_digest)
        snprintf(plan->stats.school_digest, sizeof plan->stats.school_digest, "%s", c->prm->school_digest);
    plan->stats.first_feasible_seconds = clubs->first_feasible >= 0 ? clubs->first_feasible : plan->stats.seconds;
    plan->stats.rows = clubs->rows;
    plan->stats.cols = clubs->cols;
    plan->stats.int_cols = clubs->int_cols;
    plan->stats.ip_objective = clubs->objective;
    plan->stats.ip_bound = ip_bound;
    plan->stats.status = plan->nunserved ? PP_STATUS_PARTIAL
                         : plan->stats.gap <= c->prm->gap + 1e-9 ? PP_STATUS_OPTIMAL : PP_STATUS_FEASIBLE;
    return 0;
}

static pp_solve_rc solve_week(const pp_school *s, const pp_solve_params *prm_in, const pp_perturb *pert,
                              pp_plan **out, pp_diags *d)
{
    *out = NULL;
    pp_solve_params prm = *prm_in;
    if (!prm.progress && !prm.quiet)
        prm.progress = default_progress;
    if (prm.quiet)
        prm.progress = NULL;
    sctx c = { .s = s, .prm = &prm, .start = pp_clock(), .staffing = pp_staffing_new(s), .pert = pert };
    pp_clubs_result clubs = { 0 };
    pp_plan *plan = NULL;
    int nt = PP_DAYS * s->nperiods;
    char *apart = calloc((size_t)nt + 1, 1);
    int *care_at = calloc((size_t)nt + 1, sizeof *care_at);
    c.nonclub_posts = calloc((size_t)nt + 1, sizeof *c.nonclub_posts);
    pp_solve_rc rc = PP_SOLVE_ERROR;
    if (!c.staffing || !apart || !care_at || !c.nonclub_posts) {
        pp_diags_add(d, NULL, 0, "out of memory");
        goto out;
    }
    if (pack_nonclub_slots(&c))
        goto oom;
    double reserve = prm.time_limit * 0.1 < 5 ? prm.time_limit * 0.1 : 5;
    double end = c.start + prm.time_limit - reserve;
    if (pert) /* a re-plan starts from the published plan, which the search seldom betters (3,600 students:
                 the same plan at 30 s as at 60 s): half the time */
        end = c.start + (end - c.start) / 2;
    /* a probe: the first plan, through the later stages, shows where the count
     * rows undercount care; the program then models those slots exactly */
    double excess = 0, used = 0;
    int r = solve_round(&c, apart, end, 1, &excess, &clubs, &plan, care_at, d);
    if (r)
        goto fail;
    flag_loose_slots(s, &clubs, care_at, apart);
    c.staff_flow = c.staff_short;
    double ip_bound = -INFINITY, search_rss = 0, helper_rss = 0;
    /* the first program counts care loosely everywhere: its search stops on the
     * user's gap alone (the probe's excess is the greedy plan's, far above) */
    excess = 0;
    for (int round = 0; round < 5; round++) {
        pp_clubs_result_free(&clubs);
        used = excess;
        r = solve_round(&c, apart, end, 0, &excess, &clubs, &plan, care_at, d);
        if (r)
            goto fail;
        ip_bound = clubs.bound > ip_bound ? clubs.bound : ip_bound; /* each program is a relaxation */
        search_rss = fmax(search_rss, clubs.search_peak_rss_mib);
        helper_rss = fmax(helper_rss, clubs.helper_peak_rss_mib);
        double left = end - pp_clock();
        if ((prm.interrupt && *prm.interrupt) || left < 0.25 * prm.time_limit)
            break;
        int flow = c.staff_short && !c.staff_flow; /* the next program models the week's staff */
        c.staff_flow |= c.staff_short;
        if (flow | flag_loose_slots(s, &clubs, care_at, apart) || model_every_slot(&c, plan, ip_bound, apart)) {
            excess /= 2; /* the new program counts part of it itself */
            continue;
        }
        /* the program is as exact as it gets: search it again, deeper by what the
         * later stages add, when the last search ended on its gap and the plan is
         * still above the user's */
        if (!clubs.optimal || whole_gap(&c, plan, ip_bound) <= prm.gap || excess <= used + 1e-9)
            break;
    }
    if (plan->nunserved && !(prm.interrupt && *prm.interrupt) && serve_fallback(&c, &clubs, &plan))
        goto oom;
    if (set_stats(&c, plan, &clubs, ip_bound, d))
        goto out;
    plan->stats.search_peak_rss_mib = search_rss;
    plan->stats.helper_peak_rss_mib = helper_rss;
    if (prm.progress) {
        pp_progress pr = { plan->stats.seconds, plan->stats.objective, plan->stats.bound, "plan",
                           plan->stats.ip_objective, plan->stats.ip_bound };
        prm.progress(prm.progress_ctx, &pr);
    }
    *out = plan;
    plan = NULL;
    rc = PP_SOLVE_OK;
    goto out;
fail:
    if (r > 0)
        goto out;
oom:
    if (pp_diags_count(d) == 0)
        pp_diags_add(d, NULL, 0, "out of memory while solving");
out:
    pp_clubs_result_free(&clubs);
    free_wgroups(&c);
    pp_staffing_free(c.staffing);
    pp_plan_free(plan);
    free(apart);
    free(care_at);
    free(c.nonclub_posts);
    return rc;
}

pp_solve_rc pp_solve(const pp_school *s, const pp_solve_params *prm, pp_plan **out, pp_diags *d)
{
    if (!prm->previous)
        return solve_week(s, prm, NULL, out, d);
    *out = NULL;
    pp_replan *r = pp_replan_new(s, prm, d);
    if (!r)
        return PP_SOLVE_ERROR;
    pp_solve_rc rc = solve_week(pp_replan_school(r), prm, pp_replan_perturb(r), out, d);
    if (rc == PP_SOLVE_OK && pp_replan_finish(r, *out, prm->gap, prm->school_digest)) {
        pp_plan_free(*out);
        *out = NULL;
        pp_diags_add(d, NULL, 0, "out of memory while finishing the re-plan");
        rc = PP_SOLVE_ERROR;
    }
    pp_replan_free(r);
    return rc;
}

/* ---------- cost --------------------------------------------------------------- */

double pp_plan_cost(const pp_school *s, const pp_plan *p)
{
    pp_cost_parts parts;
    pp_plan_cost_parts(s, p, &parts);
    return parts.total;
}

int pp_plan_cost_parts(const pp_school *s, const pp_plan *p, pp_cost_parts *parts)
{
    const pp_policy *pol = &s->policy;
    memset(parts, 0, sizeof *parts);
    for (int i = 0; i < p->nunserved; i++)
        parts->unserved += s->students[p->unserved[i].student].priority ? pol->w_unserved_priority : pol->w_unserved;
    int maxr = 0;
    for (int i = 0; i < s->nstudents; i++)
        maxr = s->students[i].nchoices > maxr ? s->students[i].nchoices : maxr;
    int *granted = calloc((size_t)s->nstudents * (size_t)(maxr + 1) + 1, sizeof *granted);
    long *minutes = calloc((size_t)s->nstaff + 1, sizeof *minutes);
    if (!granted || !minutes) {
        free(granted);
        free(minutes);
        parts->unserved = parts->choices = parts->groups = parts->cross_grade = NAN;
        parts->external = parts->max_load = parts->total = NAN;
        return -1;
    }
    double ext_minutes = 0;
    for (int i = 0; i < p->ngroups; i++) {
        const pp_group *g = &p->groups[i];
        const pp_activity *a = &s->activities[g->activity];
        parts->groups += pol->w_group;
        if (pp_activity_is_care(a) && a->tier != PP_TIER_SCHOOL && pp_group_grade_count(s, g) > 1)
            parts->cross_grade += pol->w_cross_grade;
        if (!pp_activity_is_care(a))
            for (int j = 0; j < g->nstudents; j++) {
                const pp_student *st = &s->students[g->students[j]];
                for (int r = 0; r < st->nchoices; r++)
                    if (st->choices[r] == g->activity)
                        granted[(size_t)g->students[j] * (maxr + 1) + r] = 1;
            }
        int m = pp_staff_post_minutes(s, g->period);
        for (int k = 0; k < g->nstaff; k++) {
            minutes[g->staff[k]] += m;
            if (s->staff[g->staff[k]].type == PP_STAFF_EXTERNAL)
                ext_minutes += m;
        }
    }
    for (int i = 0; i < s->nstudents; i++)
        parts->choices += pp_choice_penalty(s, i, &granted[(size_t)i * (maxr + 1)]);
    long maxload = 0;
    for (int k = 0; k < s->nstaff; k++)
        if (s->staff[k].type == PP_STAFF_TEACHER && minutes[k] > maxload)
            maxload = minutes[k];
    parts->external = pol->w_external_hour * ext_minutes / 60.0;
    parts->max_load = pol->w_max_load * (double)maxload;
    parts->total = parts->unserved + parts->choices + parts->groups + parts->cross_grade + parts->external +
                   parts->max_load;
    free(granted);
    free(minutes);
    return 0;
}
