/* staff.c - Kuhn's augmenting paths per slot, over "units" (one unit per staff
 * seat of a post), with candidates ordered by preference.  A unit, once matched,
 * stays matched while later units augment, so units are processed most important
 * first. */
#include "staff.h"

#include <glpk.h>
#include <stdlib.h>
#include <string.h>

struct pp_staffing {
    const pp_school *s;
    int *sessions, *minutes, *duty_days;
    unsigned char *busy;        /* [staff * nslots + slot] */
    int nslots;
    int *held_sessions, *held_minutes; /* re-plan: what later posts preferring each one will want (NULL none) */
    const unsigned char *plan;  /* [staff * nslots + slot]: the club program's flow (pp_staffing_plan), NULL none */
    int *plan_left, *plan_left_min; /* with plan: each person's planned slots not yet taken, and their minutes */
};

/* Sets each person's planned slots not yet taken from st->busy. */
static void plan_recount(pp_staffing *st)
{
    const pp_school *s = st->s;
    for (int i = 0; i < s->nstaff; i++) {
        st->plan_left[i] = st->plan_left_min[i] = 0;
        for (int u = 0; u < st->nslots; u++)
            if (st->plan[(size_t)i * st->nslots + u] && !st->busy[(size_t)i * st->nslots + u]) {
                st->plan_left[i]++;
                st->plan_left_min[i] += pp_staff_post_minutes(s, u % s->nperiods);
            }
    }
}

int pp_staffing_plan(pp_staffing *st, const unsigned char *at)
{
    free(st->plan_left);
    free(st->plan_left_min);
    st->plan = at;
    st->plan_left = st->plan_left_min = NULL;
    if (!at)
        return 0;
    int n = st->s->nstaff > 0 ? st->s->nstaff : 1;
    st->plan_left = malloc((size_t)n * sizeof *st->plan_left);
    st->plan_left_min = malloc((size_t)n * sizeof *st->plan_left_min);
    if (!st->plan_left || !st->plan_left_min) {
        pp_staffing_plan(st, NULL);
        return -1;
    }
    plan_recount(st);
    return 0;
}

/* Books person w for post p (its slot busy, a session and its minutes). */
static void book(pp_staffing *st, int w, const pp_post *p, int minutes)
{
    size_t at = (size_t)w * st->nslots + p->day * st->s->nperiods + p->period;
    st->sessions[w]++;
    st->minutes[w] += minutes;
    if (st->plan && st->plan[at] && !st->busy[at]) {
        st->plan_left[w]--;
        st->plan_left_min[w] -= minutes;
    }
    st->busy[at] = 1;
}

/* How far the program's flow (st->plan) would have person i, not planned at
 * this post's slot, off it: 0 planned there; 1 not, with weekly room for the
 * slots still planned for them; 2 not, and taking it would leave a planned slot
 * of theirs without them (the week's limits are what the flow kept). */
static int off_plan(const pp_staffing *st, int i, const pp_post *p, int minutes)
{
    const pp_school *s = st->s;
    if (st->plan[(size_t)i * st->nslots + p->day * s->nperiods + p->period])
        return 0;
    const pp_staff *m = &s->staff[i];
    return st->sessions[i] + 1 + st->plan_left[i] > m->max_sessions ||
                   st->minutes[i] + minutes + st->plan_left_min[i] > m->max_minutes
               ? 2
               : 1;
}

pp_staffing *pp_staffing_new(const pp_school *s)
{
    pp_staffing *st = calloc(1, sizeof *st);
    if (!st)
        return NULL;
    st->s = s;
    st->nslots = PP_DAYS * s->nperiods;
    int n = s->nstaff > 0 ? s->nstaff : 1;
    st->sessions = calloc((size_t)n, sizeof(int));
    st->minutes = calloc((size_t)n, sizeof(int));
    st->duty_days = calloc((size_t)n, sizeof(int));
    st->busy = calloc((size_t)n * (size_t)st->nslots, 1);
    if (!st->sessions || !st->minutes || !st->duty_days || !st->busy) {
        pp_staffing_free(st);
        return NULL;
    }
    return st;
}

void pp_staffing_free(pp_staffing *st)
{
    if (!st)
        return;
    free(st->sessions);
    free(st->minutes);
    free(st->duty_days);
    free(st->busy);
    free(st->plan_left);
    free(st->plan_left_min);
    free(st);
}

int pp_staff_post_minutes(const pp_school *s, int period)
{
    int m = 0;
    for (int k = 0; k < s->nseasons && k < PP_MAX_SEASONS; k++) {
        int x = pp_period_minutes(&s->periods[period], k);
        m = x > m ? x : m;
    }
    return m;
}

static int eligible(const pp_staffing *st, int who, const pp_post *p, int minutes)
{
    const pp_school *s = st->s;
    const pp_staff *m = &s->staff[who];
    const pp_activity *a = &s->activities[p->activity];
    if (!(m->avail[p->day] & (1u << p->period)))
        return 0;
    for (int q = 0; q < s->nperiods; q++) /* also busy at a period overlapping this one */
        if (st->busy[(size_t)who * st->nslots + p->day * s->nperiods + q] && pp_periods_overlap(s, p->period, q))
            return 0;
    if (a->speciality >= 0 ? !pp_staff_has_spec(m, a->speciality) : m->type == PP_STAFF_EXTERNAL)
        return 0;
    return st->sessions[who] + 1 <= m->max_sessions && st->minutes[who] + minutes <= m->max_minutes;
}

typedef struct {
    int who;
    long key;
} cand;

static int cmp_cand(const void *a, const void *b)
{
    const cand *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return x->who - y->who;
}

/* In-house before external (cost), then the least loaded (fairness).  In a
 * re-plan a post's preferred staff come before all, and a person whom later posts
 * prefer comes after the others when their weekly limits would not leave room
 * for those posts. */
static int candidates(const pp_staffing *st, const pp_post *p, int minutes, cand *out)
{
    int n = 0;
    for (int i = 0; i < st->s->nstaff; i++)
        if (eligible(st, i, p, minutes)) {
            long ext = st->s->staff[i].type == PP_STAFF_EXTERNAL, key = ext * 1000000L + st->minutes[i];
            if (st->plan)
                key += 3000000L * off_plan(st, i, p, minutes);
            if (st->held_sessions && (st->sessions[i] + 1 + st->held_sessions[i] > st->s->staff[i].max_sessions ||
                                      st->minutes[i] + minutes + st->held_minutes[i] > st->s->staff[i].max_minutes))
                key += 500000;
            for (int q = 0; q < p->nprefer; q++)
                key = p->prefer[q] == i ? q - p->nprefer : key; /* a re-plan keeps the published staff */
            out[n++] = (cand){ i, key };
        }
    qsort(out, (size_t)n, sizeof *out, cmp_cand);
    return n;
}

typedef struct {
    int nunits;
    int *unit_post;     /* unit -> post index */
    int *ncand, **cand; /* unit -> candidate staff, preferred first */
    int *match_staff;   /* staff -> unit or -1 */
    int *match_unit;    /* unit -> staff or -1 */
    int *seen;          /* staff -> stamp */
    int stamp;
} kuhn;

static int augment(kuhn *k, int u)
{
    for (int i = 0; i < k->ncand[u]; i++) {
        int w = k->cand[u][i];
        if (k->seen[w] == k->stamp)
            continue;
        k->seen[w] = k->stamp;
        if (k->match_staff[w] < 0 || augment(k, k->match_staff[w])) {
            k->match_staff[w] = u;
            k->match_unit[u] = w;
            return 1;
        }
    }
    return 0;
}

/* Re-plan: unit u takes its first free candidate, if any, before an augmenting
 * path may move a unit already matched (off its preferred person). */
static int take_free(kuhn *k, int u)
{
    for (int i = 0; i < k->ncand[u]; i++) {
        int w = k->cand[u][i];
        if (k->match_staff[w] < 0) {
            k->match_staff[w] = u;
            k->match_unit[u] = w;
            return 1;
        }
    }
    return 0;
}

/* Matches the posts of one slot (indices in idx, most important first). */
static int assign_slot(pp_staffing *st, pp_post *posts, const int *idx, int n)
{
    const pp_school *s = st->s;
    int units = 0;
    for (int i = 0; i < n; i++)
        units += posts[idx[i]].need;
    kuhn k = { 0 };
    k.unit_post = malloc((size_t)(units + 1) * sizeof(int));
    k.ncand = calloc((size_t)units + 1, sizeof(int));
    k.cand = calloc((size_t)units + 1, sizeof(int *));
    k.match_unit = malloc((size_t)(units + 1) * sizeof(int));
    k.match_staff = malloc((size_t)(s->nstaff + 1) * sizeof(int));
    k.seen = calloc((size_t)s->nstaff + 1, sizeof(int));
    cand *buf = malloc((size_t)(s->nstaff + 1) * sizeof *buf);
    int rc = -1;
    if (!k.unit_post || !k.ncand || !k.cand || !k.match_unit || !k.match_staff || !k.seen || !buf)
        goto out;
    for (int w = 0; w < s->nstaff; w++)
        k.match_staff[w] = -1;
    for (int i = 0; i < n && st->held_sessions; i++) /* this slot's preferences are its own now */
        for (int q = 0; q < posts[idx[i]].nprefer; q++) {
            st->held_sessions[posts[idx[i]].prefer[q]]--;
            st->held_minutes[posts[idx[i]].prefer[q]] -= pp_staff_post_minutes(s, posts[idx[i]].period);
        }
    for (int i = 0, u = 0; i < n; i++) {
        pp_post *p = &posts[idx[i]];
        int minutes = pp_staff_post_minutes(s, p->period);
        int nc = candidates(st, p, minutes, buf);
        for (int j = 0; j < p->need; j++, u++) {
            k.unit_post[u] = idx[i];
            k.match_unit[u] = -1;
            k.cand[u] = malloc((size_t)(nc + 1) * sizeof(int));
            if (!k.cand[u])
                goto out;
            for (int q = 0; q < nc; q++)
                k.cand[u][q] = buf[q].who;
            k.ncand[u] = nc;
        }
    }
    int prefs = 0;
    for (int i = 0; i < n; i++)
        prefs |= posts[idx[i]].nprefer > 0;
    for (int u = 0; u < units; u++) {
        if (prefs && take_free(&k, u))
            continue;
        k.stamp++;
        augment(&k, u);
    }
    /* a post runs with all its seats filled or not at all */
    for (int i = 0, u = 0; i < n; i++) {
        pp_post *p = &posts[idx[i]];
        int full = 1;
        for (int j = 0; j < p->need; j++)
            full &= k.match_unit[u + j] >= 0;
        p->got = 0;
        int minutes = pp_staff_post_minutes(s, p->period);
        for (int j = 0; j < p->need; j++, u++) {
            int w = k.match_unit[u];
            if (!full || w < 0)
                continue;
            p->staff[p->got++] = w;
            book(st, w, p, minutes);
        }
    }
    rc = 0;
out:
    for (int u = 0; u < units; u++)
        if (k.cand)
            free(k.cand[u]);
    free(k.unit_post);
    free(k.ncand);
    free(k.cand);
    free(k.match_unit);
    free(k.match_staff);
    free(k.seen);
    free(buf);
    return rc;
}

typedef struct {
    int idx;
    long key[3];
} keyed;

static int cmp_keyed(const void *a, const void *b)
{
    const keyed *x = a, *y = b;
    for (int i = 0; i < 3; i++)
        if (x->key[i] != y->key[i])
            return x->key[i] < y->key[i] ? -1 : 1;
    return x->idx - y->idx;
}

int pp_staffing_assign(pp_staffing *st, pp_post *posts, int nposts)
{
    const pp_school *s = st->s;
    if (nposts == 0)
        return 0;
    /* slot scarcity: staff available minus seats wanted, scarce slots first */
    int nt = st->nslots;
    long *slack = calloc((size_t)nt, sizeof *slack);
    keyed *ord = malloc((size_t)nposts * sizeof *ord);
    int *idx = malloc((size_t)nposts * sizeof *idx);
    int rc = -1;
    if (!slack || !ord || !idx)
        goto out;
    for (int t = 0; t < nt; t++)
        for (int w = 0; w < s->nstaff; w++)
            slack[t] += (s->staff[w].avail[t / s->nperiods] & (1u << (t % s->nperiods))) != 0;
    for (int i = 0; i < nposts; i++)
        slack[posts[i].day * s->nperiods + posts[i].period] -= posts[i].need;
    int prefs = 0;
    for (int i = 0; i < nposts; i++)
        prefs += posts[i].nprefer;
    if (prefs) { /* a re-plan: who the posts prefer, held for them (see candidates) */
        st->held_sessions = calloc((size_t)s->nstaff + 1, sizeof *st->held_sessions);
        st->held_minutes = calloc((size_t)s->nstaff + 1, sizeof *st->held_minutes);
        if (!st->held_sessions || !st->held_minutes)
            goto out;
        for (int i = 0; i < nposts; i++)
            for (int q = 0; q < posts[i].nprefer; q++) {
                st->held_sessions[posts[i].prefer[q]]++;
                st->held_minutes[posts[i].prefer[q]] += pp_staff_post_minutes(s, posts[i].period);
            }
    }
    for (int i = 0; i < nposts; i++) {
        int t = posts[i].day * s->nperiods + posts[i].period;
        ord[i] = (keyed){ i, { slack[t] * 1000 + t, -posts[i].importance, -posts[i].size } };
    }
    qsort(ord, (size_t)nposts, sizeof *ord, cmp_keyed);
    for (int i = 0; i < nposts;) {
        int j = i, n = 0;
        long slot = ord[i].key[0];
        while (j < nposts && ord[j].key[0] == slot)
            idx[n++] = ord[j++].idx;
        if (assign_slot(st, posts, idx, n))
            goto out;
        i = j;
    }
    rc = 0;
out:
    free(st->held_sessions);
    free(st->held_minutes);
    st->held_sessions = st->held_minutes = NULL;
    free(slack);
    free(ord);
    free(idx);
    return rc;
}

int pp_staffing_duty(pp_staffing *st, int day, int *out, int max)
{
    const pp_school *s = st->s;
    int want = s->policy.duty_leaders_per_day < max ? s->policy.duty_leaders_per_day : max, got = 0;
    while (got < want) {
        int best = -1;
        for (int w = 0; w < s->nstaff; w++) {
            const pp_staff *m = &s->staff[w];
            if (!m->duty_leader || !pp_staff_there_on(s, m, day))
                continue;
            int taken = 0;
            for (int i = 0; i < got && !taken; i++)
                taken = out[i] == w;
            if (taken)
                continue;
            if (best < 0 || st->duty_days[w] < st->duty_days[best] ||
                (st->duty_days[w] == st->duty_days[best] && st->minutes[w] < st->minutes[best]))
                best = w;
        }
        if (best < 0)
            break;
        out[got++] = best;
        st->duty_days[best]++;
    }
    return got;
}

/* ---------- the week at once -------------------------------------------------- */

/* Whether staff member w may hold a seat of post p, ignoring the loads. */
static int may_hold(const pp_school *s, int w, const pp_post *p)
{
    const pp_staff *m = &s->staff[w];
    const pp_activity *a = &s->activities[p->activity];
    if (!(m->avail[p->day] & (1u << p->period)))
        return 0;
    return a->speciality >= 0 ? pp_staff_has_spec(m, a->speciality) : m->type != PP_STAFF_EXTERNAL;
}

/* Resets st's loads to the assignment in posts. */
static void take_posts(pp_staffing *st, const pp_post *posts, int nposts)
{
    const pp_school *s = st->s;
    int n = s->nstaff > 0 ? s->nstaff : 1;
    memset(st->sessions, 0, (size_t)n * sizeof *st->sessions);
    memset(st->minutes, 0, (size_t)n * sizeof *st->minutes);
    memset(st->busy, 0, (size_t)n * (size_t)st->nslots);
    if (st->plan)
        plan_recount(st);
    for (int i = 0; i < nposts; i++)
        for (int k = 0; k < posts[i].got; k++)
            book(st, posts[i].staff[k], &posts[i], pp_staff_post_minutes(s, posts[i].period));
}

typedef struct {
    int *ia, *ja;
    double *ar;
    int n, cap;
} triplets;

static int trip_add(triplets *t, int r, int j, double v)
{
    if (t->n + 1 >= t->cap) {
        int cap = t->cap ? 2 * t->cap : 1024;
        int *ia = realloc(t->ia, (size_t)cap * sizeof *ia);
        if (!ia)
            return -1;
        t->ia = ia;
        int *ja = realloc(t->ja, (size_t)cap * sizeof *ja);
        if (!ja)
            return -1;
        t->ja = ja;
        double *ar = realloc(t->ar, (size_t)cap * sizeof *ar);
        if (!ar)
            return -1;
        t->ar = ar;
        t->cap = cap;
    }
    t->n++;
    t->ia[t->n] = r;
    t->ja[t->n] = j;
    t->ar[t->n] = v;
    return 0;
}

/* ---------- the week at once (pp_staffing_assign_week) ------------------------
 * The week's posts fall in classes of interchangeable ones: same slot, same
 * kind (the speciality they need, or none: in-house staff).  Who leads a
 * class's posts matters, not which post of it they lead, so the program decides
 * per person and class, y[w][c] binary, and per post whether it is staffed,
 * v[i] binary:
 *   sum_w y[w][c] = sum_{i in c} need_i v_i,  v ordered by worth within a class,
 *   per person: sessions, minutes, one post at a time (overlapping periods).
 * The first version had a column per post and person: a copy of every person
 * for every post of a slot, symmetric, and it found no whole week in 1.5 s
 * where one existed (r10: 150 care posts, the teachers' minutes tight, 81
 * children left without care). */
typedef struct {
    int t, kind;
    int first, n;           /* its posts: order[first .. first+n-1], most worth first, must posts apart */
    int row;
} week_class;

typedef struct {
    const pp_school *s;
    const pp_post *posts;
    const unsigned char *must;
    int nposts;
    int *order;             /* posts by class */
    week_class *cls;
    int ncls;
    int *yfirst, *ystaff;   /* class c's y columns: ybase + yfirst[c] .. ybase + yfirst[c+1]-1 */
    int ybase;              /* v of post order[k] is column 1 + k */
} week_prog;

static int post_kind(const pp_school *s, const pp_post *p)
{
    return s->activities[p->activity].speciality;
}

static int post_slot(const pp_school *s, const pp_post *p)
{
    return p->day * s->nperiods + p->period;
}

/* Whether post i comes before post j in its class: must posts last (they are
 * fixed, outside the order), then the most worth, then the index. */
static int week_before(const week_prog *w, int i, int j)
{
    if (w->must[i] != w->must[j])
        return w->must[i] < w->must[j];
    double a = pp_staffing_post_worth(&w->posts[i]), b = pp_staffing_post_worth(&w->posts[j]);
    return a != b ? a > b : i < j;
}

/* Groups the posts into classes (by slot, then kind) into w->order and w->cls. */
static int week_classes(week_prog *w)
{
    const pp_school *s = w->s;
    int n = w->nposts;
    w->order = malloc((size_t)(n + 1) * sizeof *w->order);
    w->cls = malloc((size_t)(n + 1) * sizeof *w->cls);
    if (!w->order || !w->cls)
        return -1;
    for (int i = 0; i < n; i++)
        w->order[i] = i;
    for (int a = 1; a < n; a++) /* insertion sort: by slot, kind, then week_before */
        for (int b = a; b > 0; b--) {
            const pp_post *x = &w->posts[w->order[b - 1]], *y = &w->posts[w->order[b]];
            int tx = post_slot(s, x), ty = post_slot(s, y), kx = post_kind(s, x), ky = post_kind(s, y);
            int swap = tx != ty ? tx > ty : kx != ky ? kx > ky : week_before(w, w->order[b], w->order[b - 1]);
            if (!swap)
                break;
            int tmp = w->order[b];
            w->order[b] = w->order[b - 1];
            w->order[b - 1] = tmp;
        }
    w->ncls = 0;
    for (int k = 0; k < n; k++) {
        const pp_post *p = &w->posts[w->order[k]];
        week_class *c = w->ncls ? &w->cls[w->ncls - 1] : NULL;
        if (!c || c->t != post_slot(s, p) || c->kind != post_kind(s, p))
            w->cls[w->ncls++] = (week_class){ post_slot(s, p), post_kind(s, p), k, 0, 0 };
        w->cls[w->ncls - 1].n++;
    }
    return 0;
}

/* Person m leads at most one post at period p of day d and those overlapping it. */
static int week_overlap_row(const week_prog *w, glp_prob *lp, triplets *t, int m, int d, int p)
{
    const pp_school *s = w->s;
    int cnt = 0, r = 0;
    for (int pass = 0; pass < 2; pass++) {
        for (int c = 0; c < w->ncls; c++) {
            if (w->cls[c].t / s->nperiods != d || !pp_periods_overlap(s, p, w->cls[c].t % s->nperiods))
                continue;
            for (int q = w->yfirst[c]; q < w->yfirst[c + 1]; q++)
                if (w->ystaff[q] == m && (pass == 0 ? (cnt++, 0) : trip_add(t, r, w->ybase + q, 1)))
                    return -1;
        }
        if (cnt < 2)
            return 0;
        if (pass == 0) {
            r = glp_add_rows(lp, 1);
            glp_set_row_bnds(lp, r, GLP_UP, 0, 1);
        }
    }
    return 0;
}

static int week_build(week_prog *w, glp_prob *lp)
{
    const pp_school *s = w->s;
    triplets t = { 0 };
    int n = w->nposts, nz = 0;
    glp_set_obj_dir(lp, GLP_MAX);
    glp_add_cols(lp, n);
    for (int k = 0; k < n; k++) {
        int i = w->order[k];
        glp_set_col_kind(lp, 1 + k, GLP_BV);
        glp_set_obj_coef(lp, 1 + k, pp_staffing_post_worth(&w->posts[i]));
        if (w->must[i])
            glp_set_col_bnds(lp, 1 + k, GLP_FX, 1, 1);
    }
    w->yfirst = malloc((size_t)(w->ncls + 2) * sizeof *w->yfirst);
    w->ystaff = malloc(((size_t)w->ncls * (size_t)(s->nstaff > 0 ? s->nstaff : 1) + 1) * sizeof *w->ystaff);
    if (!w->yfirst || !w->ystaff)
        return -1;
    for (int c = 0; c < w->ncls; c++) {
        w->yfirst[c] = nz;
        const pp_post *p = &w->posts[w->order[w->cls[c].first]];
        for (int m = 0; m < s->nstaff; m++)
            if (may_hold(s, m, p))
                w->ystaff[nz++] = m;
    }
    w->yfirst[w->ncls] = nz;
    w->ybase = n + 1;
    if (nz)
        glp_add_cols(lp, nz);
    int rc = -1;
    for (int c = 0; c < w->ncls; c++) {
        const week_class *wc = &w->cls[c];
        int minutes = pp_staff_post_minutes(s, wc->t % s->nperiods);
        for (int q = w->yfirst[c]; q < w->yfirst[c + 1]; q++) {
            glp_set_col_kind(lp, w->ybase + q, GLP_BV);
            if (s->staff[w->ystaff[q]].type == PP_STAFF_EXTERNAL)
                glp_set_obj_coef(lp, w->ybase + q, -0.001 * minutes);
        }
        int r = glp_add_rows(lp, 1);
        glp_set_row_bnds(lp, r, GLP_FX, 0, 0);
        for (int q = w->yfirst[c]; q < w->yfirst[c + 1]; q++)
            if (trip_add(&t, r, w->ybase + q, 1))
                goto out;
        for (int k = wc->first; k < wc->first + wc->n; k++) {
            if (trip_add(&t, r, 1 + k, -w->posts[w->order[k]].need))
                goto out;
            if (k > wc->first && !w->must[w->order[k]]) { /* v[k] <= v[k-1]: identical posts in one order */
                int ro = glp_add_rows(lp, 1);
                glp_set_row_bnds(lp, ro, GLP_UP, 0, 0);
                if (trip_add(&t, ro, 1 + k, 1) || trip_add(&t, ro, k, -1))
                    goto out;
            }
        }
    }
    for (int m = 0; m < s->nstaff; m++) {
        int rs = 0, rm = 0;
        for (int c = 0; c < w->ncls; c++)
            for (int q = w->yfirst[c]; q < w->yfirst[c + 1]; q++) {
                if (w->ystaff[q] != m)
                    continue;
                if (!rs) {
                    rs = glp_add_rows(lp, 1);
                    rm = glp_add_rows(lp, 1);
                    glp_set_row_bnds(lp, rs, GLP_UP, 0, s->staff[m].max_sessions);
                    glp_set_row_bnds(lp, rm, GLP_UP, 0, s->staff[m].max_minutes);
                }
                if (trip_add(&t, rs, w->ybase + q, 1) ||
                    trip_add(&t, rm, w->ybase + q, pp_staff_post_minutes(s, w->cls[c].t % s->nperiods)))
                    goto out;
            }
        for (int d = 0; d < PP_DAYS && rs; d++)
            for (int p = 0; p < s->nperiods; p++)
                if (week_overlap_row(w, lp, &t, m, d, p))
                    goto out;
    }
    if (t.n)
        glp_load_matrix(lp, t.n, t.ia, t.ja, t.ar);
    rc = 0;
out:
    free(t.ia);
    free(t.ja);
    free(t.ar);
    return rc;
}

typedef struct {
    double *x;  /* 1-based column values of the start */
    int given;
} week_start;

static void week_heuristic(glp_tree *tree, void *info)
{
    week_start *w = info;
    if (glp_ios_reason(tree) == GLP_IHEUR && !w->given) {
        w->given = 1;
        glp_ios_heur_sol(tree, w->x);
    }
}

double pp_staffing_post_worth(const pp_post *p)
{
    return 1000.0 + p->importance;
}

/* The assignment in posts as values of the program (x, 1-based): per class the
 * first posts in its order that its staffed seats fill, led by those people.
 * Returns 0 when no start follows from it (a must post short). */
static int week_start_values(const week_prog *w, double *x)
{
    for (int c = 0; c < w->ncls; c++) {
        const week_class *wc = &w->cls[c];
        int seats = 0;
        for (int k = wc->first; k < wc->first + wc->n; k++) {
            const pp_post *p = &w->posts[w->order[k]];
            if (w->must[w->order[k]] && p->got < p->need)
                return 0;
            seats += p->got == p->need ? p->need : 0;
        }
        int used = 0;
        for (int k = wc->first; k < wc->first + wc->n; k++) { /* must posts (last) first: they are fixed */
            int i = w->order[k];
            if (w->must[i]) {
                x[1 + k] = 1;
                used += w->posts[i].need;
            }
        }
        for (int k = wc->first; k < wc->first + wc->n; k++) {
            int i = w->order[k];
            if (w->must[i] || used + w->posts[i].need > seats)
                break;
            x[1 + k] = 1;
            used += w->posts[i].need;
        }
        int given = 0; /* as many of the people who lead these posts now as the seats taken */
        for (int k = wc->first; k < wc->first + wc->n && given < used; k++) {
            const pp_post *p = &w->posts[w->order[k]];
            if (p->got < p->need)
                continue;
            for (int j = 0; j < p->got && given < used; j++)
                for (int q = w->yfirst[c]; q < w->yfirst[c + 1]; q++)
                    if (w->ystaff[q] == p->staff[j] && !x[w->ybase + q]) {
                        x[w->ybase + q] = 1;
                        given++;
                        break;
                    }
        }
        if (given < used)
            return 0;
    }
    return 1;
}

/* Writes the program's solution into the posts: each class's people dealt to
 * its staffed posts in order. */
static void week_read(const week_prog *w, glp_prob *lp, pp_post *posts)
{
    for (int c = 0; c < w->ncls; c++) {
        const week_class *wc = &w->cls[c];
        int q = w->yfirst[c];
        for (int k = wc->first; k < wc->first + wc->n; k++) {
            pp_post *p = &posts[w->order[k]];
            p->got = 0;
            if (glp_mip_col_val(lp, 1 + k) < 0.5)
                continue;
            for (; q < w->yfirst[c + 1] && p->got < p->need && p->got < 4; q++)
                if (glp_mip_col_val(lp, w->ybase + q) > 0.5)
                    p->staff[p->got++] = w->ystaff[q];
        }
    }
}

int pp_staffing_assign_week(pp_staffing *st, pp_post *posts, int nposts, const unsigned char *must,
                            double better_than, double seconds)
{
    if (nposts == 0 || seconds < 0.05)
        return 0;
    week_prog w = { .s = st->s, .posts = posts, .must = must, .nposts = nposts };
    glp_prob *lp = glp_create_prob();
    week_start ws = { NULL, 0 };
    int rc = -1;
    if (!lp || week_classes(&w) || week_build(&w, lp))
        goto out;
    ws.x = calloc((size_t)glp_get_num_cols(lp) + 1, sizeof(double));
    if (!ws.x)
        goto out;
    /* the slot-by-slot assignment as the first incumbent: GLPK only has to
     * find the posts it left short */
    ws.given = !week_start_values(&w, ws.x);
    glp_smcp sm;
    glp_init_smcp(&sm);
    sm.msg_lev = GLP_MSG_OFF;
    sm.tm_lim = (int)(seconds * 500);
    rc = 0;
    if (glp_simplex(lp, &sm) != 0 || glp_get_status(lp) != GLP_OPT)
        goto out;
    glp_iocp io;
    glp_init_iocp(&io);
    io.msg_lev = GLP_MSG_OFF;
    io.tm_lim = (int)(seconds * 1000);
    io.mip_gap = 1e-3; /* a post weighs 1000 and more of about 100 per post: exact in posts */
    io.cb_func = week_heuristic;
    io.cb_info = &ws;
    /* the minutes rows are knapsacks: without cuts GLPK proved nothing in 20 s
     * and ended a post short (r10); with them, and proximity search from the
     * start, every post in 0.3 s */
    io.mir_cuts = io.cov_cuts = io.gmi_cuts = io.clq_cuts = GLP_ON;
    io.ps_heur = GLP_ON;
    io.ps_tm_lim = io.tm_lim / 2 > 1 ? io.tm_lim / 2 : 1; /* its own limit is 60 s by default */
    glp_intopt(lp, &io);
    int stt = glp_mip_status(lp);
    if (stt != GLP_OPT && stt != GLP_FEAS)
        goto out;
    int full = 0;
    double worth = 0;
    for (int k = 0; k < nposts; k++)
        if (glp_mip_col_val(lp, 1 + k) > 0.5) {
            full++;
            worth += pp_staffing_post_worth(&posts[w.order[k]]);
        }
    if (worth <= better_than + 1e-6)
        goto out;
    week_read(&w, lp, posts);
    take_posts(st, posts, nposts);
    rc = full;
out:
    if (lp)
        glp_delete_prob(lp);
    free(ws.x);
    free(w.order);
    free(w.cls);
    free(w.yfirst);
    free(w.ystaff);
    return rc;
}
