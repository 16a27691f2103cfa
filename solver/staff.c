/* staff.c - Kuhn's augmenting paths per slot, over "units" (one unit per staff
 * seat of a post), with candidates ordered by preference.  A unit, once matched,
 * stays matched while later units augment, so units are processed most important
 * first. */
#include "staff.h"

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
