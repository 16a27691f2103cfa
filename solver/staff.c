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
};

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
            st->sessions[w]++;
            st->minutes[w] += minutes;
            st->busy[(size_t)w * st->nslots + p->day * s->nperiods + p->period] = 1;
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
    for (int i = 0; i < nposts; i++)
        for (int k = 0; k < posts[i].got; k++) {
            int w = posts[i].staff[k];
            st->sessions[w]++;
            st->minutes[w] += pp_staff_post_minutes(s, posts[i].period);
            st->busy[(size_t)w * st->nslots + posts[i].day * s->nperiods + posts[i].period] = 1;
        }
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

/* Columns: y[i] (post i staffed in full) and z[i][w] for each person who may hold
 * it; rows: seats (sum z = need y), one post at a time per person and day among
 * overlapping periods, weekly sessions and minutes. */
static int build_week(const pp_school *s, const pp_post *posts, int nposts, const unsigned char *must, glp_prob *lp,
                      int *ycol, int *zfirst, int *zstaff)
{
    triplets t = { 0 };
    int rc = -1, nz = 0;
    glp_set_obj_dir(lp, GLP_MAX);
    glp_add_cols(lp, nposts);
    for (int i = 0; i < nposts; i++) {
        ycol[i] = i + 1;
        glp_set_col_kind(lp, ycol[i], GLP_BV);
        glp_set_obj_coef(lp, ycol[i], pp_staffing_post_worth(&posts[i]));
        if (must[i])
            glp_set_col_bnds(lp, ycol[i], GLP_FX, 1, 1);
    }
    for (int i = 0; i < nposts; i++) {
        zfirst[i] = nz;
        for (int w = 0; w < s->nstaff; w++)
            if (may_hold(s, w, &posts[i]))
                zstaff[nz++] = w;
    }
    zfirst[nposts] = nz;
    if (nz)
        glp_add_cols(lp, nz);
    for (int i = 0; i < nposts; i++)
        for (int q = zfirst[i]; q < zfirst[i + 1]; q++) {
            int j = nposts + 1 + q;
            glp_set_col_kind(lp, j, GLP_BV);
            if (s->staff[zstaff[q]].type == PP_STAFF_EXTERNAL)
                glp_set_obj_coef(lp, j, -0.001 * pp_staff_post_minutes(s, posts[i].period));
        }
    for (int i = 0; i < nposts; i++) { /* seats */
        int r = glp_add_rows(lp, 1);
        glp_set_row_bnds(lp, r, GLP_FX, 0, 0);
        if (trip_add(&t, r, ycol[i], -posts[i].need))
            goto out;
        for (int q = zfirst[i]; q < zfirst[i + 1]; q++)
            if (trip_add(&t, r, nposts + 1 + q, 1))
                goto out;
    }
    /* the seats of each person, by person (counting sort of the z columns) */
    int *first = calloc((size_t)s->nstaff + 2, sizeof *first), *byw = malloc(((size_t)nz + 1) * sizeof *byw);
    int *post_of = malloc(((size_t)nz + 1) * sizeof *post_of);
    if (!first || !byw || !post_of) {
        free(first);
        free(byw);
        free(post_of);
        goto out;
    }
    for (int i = 0; i < nposts; i++)
        for (int q = zfirst[i]; q < zfirst[i + 1]; q++) {
            post_of[q] = i;
            first[zstaff[q] + 1]++;
        }
    for (int w = 0; w < s->nstaff; w++)
        first[w + 1] += first[w];
    int *fill = calloc((size_t)s->nstaff + 1, sizeof *fill);
    if (!fill) {
        free(first);
        free(byw);
        free(post_of);
        goto out;
    }
    for (int q = 0; q < nz; q++)
        byw[first[zstaff[q]] + fill[zstaff[q]]++] = q;
    free(fill);
    int bad = 0;
    for (int w = 0; w < s->nstaff && !bad; w++) {
        int rs = glp_add_rows(lp, 1), rm = glp_add_rows(lp, 1);
        glp_set_row_bnds(lp, rs, GLP_UP, 0, s->staff[w].max_sessions);
        glp_set_row_bnds(lp, rm, GLP_UP, 0, s->staff[w].max_minutes);
        for (int a = first[w]; a < first[w + 1] && !bad; a++) {
            int q = byw[a], i = post_of[q];
            bad = trip_add(&t, rs, nposts + 1 + q, 1) ||
                  trip_add(&t, rm, nposts + 1 + q, pp_staff_post_minutes(s, posts[i].period));
        }
        for (int d = 0; d < PP_DAYS && !bad; d++)
            for (int p = 0; p < s->nperiods && !bad; p++) {
                int r = 0, n = 0; /* at period p of day d, and those overlapping it */
                for (int a = first[w]; a < first[w + 1]; a++)
                    n += posts[post_of[byw[a]]].day == d && pp_periods_overlap(s, p, posts[post_of[byw[a]]].period);
                if (n < 2)
                    continue;
                r = glp_add_rows(lp, 1);
                glp_set_row_bnds(lp, r, GLP_UP, 0, 1);
                for (int a = first[w]; a < first[w + 1] && !bad; a++) {
                    const pp_post *po = &posts[post_of[byw[a]]];
                    if (po->day == d && pp_periods_overlap(s, p, po->period))
                        bad = trip_add(&t, r, nposts + 1 + byw[a], 1);
                }
            }
    }
    free(first);
    free(byw);
    free(post_of);
    if (bad)
        goto out;
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

int pp_staffing_assign_week(pp_staffing *st, pp_post *posts, int nposts, const unsigned char *must,
                            double better_than, double seconds)
{
    const pp_school *s = st->s;
    if (nposts == 0 || seconds < 0.05)
        return 0;
    size_t maxz = (size_t)nposts * (size_t)(s->nstaff > 0 ? s->nstaff : 1);
    int *ycol = malloc((size_t)(nposts + 1) * sizeof *ycol), *zfirst = malloc((size_t)(nposts + 2) * sizeof *zfirst);
    int *zstaff = malloc((maxz + 1) * sizeof *zstaff);
    glp_prob *lp = glp_create_prob();
    int rc = -1;
    if (!ycol || !zfirst || !zstaff || !lp || build_week(s, posts, nposts, must, lp, ycol, zfirst, zstaff))
        goto out;
    /* the slot-by-slot assignment as the first incumbent: GLPK starts from
     * it and only has to find the posts it left short (r10, 150 posts: no plan
     * within 6 s from scratch) */
    week_start ws = { calloc((size_t)glp_get_num_cols(lp) + 1, sizeof(double)), 0 };
    if (!ws.x)
        goto out;
    for (int i = 0; i < nposts; i++) {
        if (posts[i].got < posts[i].need)
            continue;
        ws.x[ycol[i]] = 1;
        for (int k = 0; k < posts[i].got; k++)
            for (int q = zfirst[i]; q < zfirst[i + 1]; q++)
                if (zstaff[q] == posts[i].staff[k])
                    ws.x[nposts + 1 + q] = 1;
    }
    glp_smcp sm;
    glp_init_smcp(&sm);
    sm.msg_lev = GLP_MSG_OFF;
    sm.tm_lim = (int)(seconds * 500);
    rc = 0;
    if (glp_simplex(lp, &sm) != 0 || glp_get_status(lp) != GLP_OPT) {
        free(ws.x);
        goto out;
    }
    glp_iocp io;
    glp_init_iocp(&io);
    io.msg_lev = GLP_MSG_OFF;
    io.tm_lim = (int)(seconds * 1000);
    io.mip_gap = 1e-3; /* a post weighs 1000 and more of about 100 per post: exact in posts */
    io.cb_func = week_heuristic;
    io.cb_info = &ws;
    glp_intopt(lp, &io);
    free(ws.x);
    int stt = glp_mip_status(lp);
    if (stt != GLP_OPT && stt != GLP_FEAS)
        goto out;
    int full = 0;
    double worth = 0;
    for (int i = 0; i < nposts; i++)
        if (glp_mip_col_val(lp, ycol[i]) > 0.5) {
            full++;
            worth += pp_staffing_post_worth(&posts[i]);
        }
    if (worth <= better_than + 1e-6)
        goto out;
    for (int i = 0; i < nposts; i++) {
        posts[i].got = 0;
        if (glp_mip_col_val(lp, ycol[i]) < 0.5)
            continue;
        for (int q = zfirst[i]; q < zfirst[i + 1] && posts[i].got < 4; q++)
            if (glp_mip_col_val(lp, nposts + 1 + q) > 0.5)
                posts[i].staff[posts[i].got++] = zstaff[q];
    }
    take_posts(st, posts, nposts);
    rc = full;
out:
    if (lp)
        glp_delete_prob(lp);
    free(ycol);
    free(zfirst);
    free(zstaff);
    return rc;
}
