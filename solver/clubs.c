/* clubs.c - the club/course integer program and its greedy first plan.
 *
 * Columns (GLPK indices are 1-based; the layout is fixed in build_columns):
 *   x[e]   continuous 0..1   student e.stu attends section e.sec (an edge)
 *   n[k]   integer 0..nmax   parallel groups of section k
 *   o[k]   binary            section k opens (o = n when nmax = 1)
 *   g[c]   integer >= 0      care groups of care cluster c (slot x grade/class/school)
 *   u[c], up[c] continuous   students of cluster c left unserved (priority apart)
 * A section is (activity, pattern of slots it meets in, grade or any grade).
 * Identical groups of a section are one integer count, so the usual symmetry of
 * "group 1, group 2, ..." binaries never arises; students are dealt into the
 * parallel groups afterwards.
 *
 * Rows, and why each is there:
 *   student:  sum_k x <= max-activities-per-student (and per slot / per activity)
 *   size:     min*n <= sum_s x <= max*n
 *   linking:  x[e] <= o[k] for every edge - the strong form: with sum_s x <= max*n
 *             alone the LP opens a tenth of a group for a club of 4 (MODEL-NOTES)
 *   resource: per slot, groups needing a venue type <= venues of that type free;
 *             staff needed per speciality <= staff having it; club + care staff <=
 *             staff available; care groups <= staff who may lead care
 *   care:     cap*g[c] + u + up + (students of c at a club then) >= stayers of c:
 *             the number of care groups at a club slot is relaxed to a count
 *             (cap = the largest group a rule allows), a valid relaxation of the
 *             exact packing done later, so the bound stays valid for the whole week
 *   load:     all staff sessions of the week <= sum of staff max-sessions
 * The objective is the whole plan's cost restricted to what this program decides,
 * plus a constant (every student with choices starts at the "no choice" penalty). */
#define _DEFAULT_SOURCE /* wait4: the helper processes' peak memory, for stats.txt */
#include "clubs.h"
#include "model/grow.h"
#include "care.h"
#include "perturb.h"
#include "staff.h"

#include <errno.h>
#include <glpk.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_PATTERNS 40

double pp_clock(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

typedef struct {
    int act, grade;             /* grade -1: any grade */
    int nslots, slot[PP_DAYS];  /* slot t = day * nperiods + period */
    int nmax, min, max;
    int col_n, col_o;
    int nedges;
} section;

typedef struct {
    int stu, sec, rank, col;
} edge;

typedef struct {
    int t, key;                 /* key: grade level, class index or -1 (school) */
    int count, prio, cap;
    int col_g, col_u, col_up;
    int row;                    /* its care row */
    int col_j, row_j, thr;      /* the grade is small (may join a neighbour, 003), and the row that allows it */
    int col_e;                  /* a join between this grade and the next one */
    int nwin, win[6];           /* the window rows it is in (build_window_rows) */
    int excess;                 /* sum over its classes of stayers beyond group_max */
    int fixlb;                  /* groups its stayers with no club then need (build_fixed_care_rows) */
    int alllb;                  /* groups all its stayers need, nobody at a club (the greedy's room reserve) */
    int room_type;              /* venue type its care groups meet in (pp_care_room_type); -1 mixed or none */
    int row_apart;              /* groups >= its apart classes (build_apart_rows) */
    int row_pack;               /* groups not apart hold the care of the classes that share */
    int row_alone;              /* groups of classes not alone for sure hold their care (build_fixed_care_rows) */
    int alone_cap;              /* its coefficient of g */
    int worst;                  /* classes with stayers: groups if nobody went to a club and none merged */
    int fixed;                  /* its stayers with no edge into a section meeting then */
    int spg;                    /* staff per care group */
} cluster;

typedef struct {
    const pp_school *s;
    const pp_solve_params *prm;
    const pp_clubs_ctx *ctx;
    int np, nt;                 /* periods, slots */
    section *sec; int nsec, capsec;
    edge *edge; int nedge, capedge;
    int *stu_first;             /* edges of student i: stu_first[i] .. stu_first[i+1]-1 */
    cluster *cl; int ncl;
    int *slot_cl_first;         /* clusters of slot t: slot_cl_first[t] .. [t+1]-1 */
    int *staff_all, *staff_care;/* per slot */
    int *ext_col;               /* [slot * nspecialities + sp]: external posts there, 0 none */
    int *apart_col, *apart_row; /* [slot * nclasses + class]: see build_apart_rows; 0 none */
    int *shared_col, *shared_row; /* [slot * nclasses + class]: its care in shared groups (build_apart_rows) */
    int *stayers;               /* [slot * nclasses + class]: students of the class staying then */
    int *fixed_cls;             /* [slot * nclasses + class]: its stayers with no edge into a section then */
    unsigned char *alone_cls;   /* [slot * nclasses + class]: so many of them that it stands alone */
    int *inhouse;               /* [slot * nspecialities + sp]: see inhouse_with */
    int *extall_col;            /* [slot]: all external posts there beyond the forced ones, 0 none */
    int *flow_col;              /* [(staff * nt + slot) * (nspecialities + 1) + sp + 1]: the staff flow (flow_at), 0 none */
    int extall_row;             /* while building a slot's rows */
    int ncols;
    double constant;
    /* matrix under construction */
    int *ia, *ja; double *ar; int nnz, capnz;
    glp_prob *lp;
    /* greedy plan */
    double *start;              /* 1-based column values, NULL if none */
    int start_ok;
    /* search state (callback) */
    double best_bound, last_print, first_feasible;
    int heur_given;
    double cut_start, cut_longest; /* GLPK's last cut round began at; longest so far (-1 none) */
    double start_obj;           /* objective of c->start when start_ok; the fallback plan */
    /* fix-and-optimise in a helper process (see lns_spawn) */
    int lns_out;                /* helper: where it writes its plans; -1 */
    int lns_stop;               /* helper: read end the search closes to stop it; -1 */
    pid_t lns_pid;              /* search: the helper, 0 none */
    int lns_in, lns_halt;       /* search: its plans; the end that stops it */
    double lns_obj;             /* search: the helper's best so far, INFINITY none */
    int prm_quiet;              /* the helper process reports nothing itself */
    int search_out;             /* search process: where it sends its bounds and result; -1 */
    int lns_state;              /* search: 0 reading progress, 1 its final plan follows, 2 gone */
    int gap_met;                /* the search was ended on the user's gap (whole_gap_met) */
    /* re-plan (ctx->pert): per (activity, slot) with published club groups, the
     * column of those continued (build_kept) */
    struct kept { int col, act, t, m; } *kept;
    int nkept, capkept;
    /* partner rows (build_partner_rows) at slot t: coef times the students of
     * cluster cl, of class cls (-1 none) and of the classes of cluster pack (-1
     * none) with no apart column there who are at a club then */
    struct partner { int t, cl, cls, pack, row; double coef; } *partner;
    int npartner, cappartner;
    /* the options of each join (add_partner), for the starts (start_partners):
     * setting option z to 1 adds coef[i] to row[i] */
    struct popt { int z, nrow, row[2]; double coef[2]; } *popt;
    int npopt, cappopt;
    struct pjoin { int e, row, first, n; } *pjoin;
    int npjoin, cappjoin;
    double search_rss_mib, lns_rss_mib; /* peak memory of the search process and the helper, once reaped */
} cctx;

/* ---------- helpers ------------------------------------------------------ */

static int slot_runs(const pp_school *s, int d, int p)
{
    return (s->day_mask & (1u << d)) && (s->periods[p].days & (1u << d));
}

int pp_clubs_slot_possible(const pp_school *s, int day, int period)
{
    if (!slot_runs(s, day, period))
        return 0;
    for (int a = 0; a < s->nactivities; a++)
        if (!pp_activity_is_care(&s->activities[a]) && (s->activities[a].slots[day] & (1u << period)))
            return 1;
    return 0;
}

static double prio_factor(const pp_school *s, int stu)
{
    /* priority students are served first: their choice penalties weigh more */
    return s->students[stu].priority ? s->policy.priority_choice_factor : 1.0;
}

static double rank_weight(const pp_policy *p, int r)
{
    int n = p->nranks_weighted > 0 ? p->nranks_weighted : 1;
    return p->w_rank[r < n ? r : n - 1];
}

static int desired(const pp_school *s, int stu)
{
    int n = s->students[stu].nchoices, m = s->policy.max_activities_per_student;
    return n < m ? n : m;
}

double pp_choice_penalty(const pp_school *s, int stu, const int *granted_rank)
{
    const pp_student *st = &s->students[stu];
    int got = 0;
    double pen = 0;
    for (int r = 0; r < st->nchoices; r++)
        if (granted_rank[r]) {
            got++;
            pen += rank_weight(&s->policy, r);
        }
    int want = desired(s, stu);
    if (got < want)
        pen += (want - got) * s->policy.w_no_choice;
    return pen * prio_factor(s, stu);
}

/* ---------- sections and edges ------------------------------------------- */

static int add_section(cctx *c, const section *k)
{
    if (pp_grow((void **)&c->sec, &c->capsec, c->nsec + 1, sizeof *c->sec))
        return -1;
    c->sec[c->nsec++] = *k;
    return 0;
}

/* Patterns: for one meeting a week every allowed slot; for more, combinations of
 * allowed slots on distinct days (capped: a club meets at most a few times). */
static int enum_patterns(const cctx *c, const pp_activity *a, int pat[][PP_DAYS], int *npat)
{
    int allowed[PP_DAYS * PP_MAX_PERIODS], na = 0;
    for (int d = 0; d < PP_DAYS; d++)
        for (int p = 0; p < c->np; p++)
            if ((a->slots[d] & (1u << p)) && slot_runs(c->s, d, p))
                allowed[na++] = d * c->np + p;
    int k = a->sessions, idx[PP_DAYS];
    *npat = 0;
    if (k < 1 || k > na)
        return 0;
    for (int i = 0; i < k; i++)
        idx[i] = i;
    while (*npat < MAX_PATTERNS) {
        int ok = 1;
        for (int i = 1; i < k && ok; i++)
            for (int j = 0; j < i && ok; j++)
                ok = allowed[idx[i]] / c->np != allowed[idx[j]] / c->np;
        if (ok) {
            for (int i = 0; i < k; i++)
                pat[*npat][i] = allowed[idx[i]];
            (*npat)++;
        }
        int i = k - 1;
        while (i >= 0 && idx[i] == na - k + i)
            i--;
        if (i < 0)
            break;
        idx[i]++;
        for (int j = i + 1; j < k; j++)
            idx[j] = idx[j - 1] + 1;
    }
    return 0;
}

static int venues_free(const pp_school *s, int type, int t, int np)
{
    int d = t / np, p = t % np, n = 0;
    for (int v = 0; v < s->nvenues; v++)
        n += s->venues[v].type == type && (s->venues[v].avail[d] & (1u << p));
    return n;
}

/* In-house staff (not external) there at slot t with speciality spec: counted
 * once in setup, read by the external-post rows, the forced external cost and
 * the start plan. */
static int inhouse_with(const cctx *c, int spec, int t)
{
    return c->inhouse[t * c->s->nspecialities + spec];
}

static int staff_with(const pp_school *s, int spec, int t, int np)
{
    int d = t / np, p = t % np, n = 0;
    for (int i = 0; i < s->nstaff; i++)
        n += (s->staff[i].avail[d] & (1u << p)) && pp_staff_has_spec(&s->staff[i], spec);
    return n;
}

static int slot_in(const section *k, int t)
{
    for (int i = 0; i < k->nslots; i++)
        if (k->slot[i] == t)
            return 1;
    return 0;
}

static int build_sections(cctx *c)
{
    const pp_school *s = c->s;
    int (*pat)[PP_DAYS] = malloc(MAX_PATTERNS * sizeof *pat);
    if (!pat)
        return -1;
    for (int a = 0; a < s->nactivities; a++) {
        const pp_activity *ac = &s->activities[a];
        if (pp_activity_is_care(ac))
            continue;
        int npat;
        enum_patterns(c, ac, pat, &npat);
        for (int q = 0; q < npat; q++)
            for (int g = (ac->tier == PP_TIER_SCHOOL ? -1 : 1); g <= (ac->tier == PP_TIER_SCHOOL ? -1 : PP_MAX_GRADE); g++) {
                if (g > 0 && (!(ac->grade_mask & (1u << g)) || pp_school_find_grade(s, g) < 0))
                    continue;
                section k = { .act = a, .grade = g, .nslots = ac->sessions, .col_n = 0, .col_o = 0 };
                memcpy(k.slot, pat[q], sizeof k.slot);
                k.min = ac->min_size > 0 ? ac->min_size : 1;
                k.max = ac->max_size < s->policy.group_max ? ac->max_size : s->policy.group_max;
                if (k.max < k.min)
                    continue;
                if (add_section(c, &k)) {
                    free(pat);
                    return -1;
                }
            }
    }
    free(pat);
    return 0;
}

static int student_fits(const cctx *c, int stu, const section *k)
{
    const pp_student *st = &c->s->students[stu];
    if (k->grade > 0 && c->s->classes[st->cls].grade != k->grade)
        return 0;
    for (int i = 0; i < k->nslots; i++)
        if (!(st->stay[k->slot[i] / c->np] & (1u << (k->slot[i] % c->np))))
            return 0;
    return 1;
}

/* Edges per student in rank order; sections without enough takers, venues or
 * staff for one group are dropped before any column exists. */
static int build_edges(cctx *c)
{
    const pp_school *s = c->s;
    int *first_sec = malloc((size_t)(s->nactivities + 1) * sizeof *first_sec);
    if (!first_sec)
        return -1;
    /* sections are built grouped by activity: index their ranges */
    for (int a = 0, k = 0; a <= s->nactivities; a++) {
        while (k < c->nsec && c->sec[k].act < a)
            k++;
        first_sec[a] = k;
    }
    for (int pass = 0; pass < 2; pass++) {
        c->nedge = 0;
        for (int k = 0; k < c->nsec; k++)
            if (pass == 0)
                c->sec[k].nedges = 0;
        for (int i = 0; i < s->nstudents; i++) {
            c->stu_first[i] = c->nedge;
            const pp_student *st = &s->students[i];
            for (int r = 0; r < st->nchoices; r++) {
                int a = st->choices[r];
                for (int k = first_sec[a]; k < first_sec[a + 1]; k++) {
                    if ((pass == 1 && c->sec[k].nmax == 0) || !student_fits(c, i, &c->sec[k]))
                        continue;
                    if (pp_grow((void **)&c->edge, &c->capedge, c->nedge + 1, sizeof *c->edge)) {
                        free(first_sec);
                        return -1;
                    }
                    c->edge[c->nedge++] = (edge){ i, k, r, 0 };
                    if (pass == 0)
                        c->sec[k].nedges++;
                }
            }
        }
        c->stu_first[s->nstudents] = c->nedge;
        if (pass == 0)
            for (int k = 0; k < c->nsec; k++) {
                section *sk = &c->sec[k];
                const pp_activity *ac = &s->activities[sk->act];
                int nmax = sk->nedges / sk->min;
                for (int i = 0; i < sk->nslots; i++) {
                    int v = venues_free(s, ac->venue_type, sk->slot[i], c->np);
                    nmax = v < nmax ? v : nmax;
                    if (ac->speciality >= 0) {
                        int f = staff_with(s, ac->speciality, sk->slot[i], c->np) / ac->staff_per_group;
                        nmax = f < nmax ? f : nmax;
                    }
                }
                sk->nmax = nmax;
            }
    }
    free(first_sec);
    return 0;
}

/* Care clusters: one per (club slot, grade / class / school) with stayers. */
/* The care cluster key of class k under a care tier: the class, its grade, or
 * the whole school (-1). */
static int cluster_key(const pp_school *s, int tier, int k)
{
    return tier == PP_TIER_SCHOOL ? -1 : s->classes[k].grade; /* class reads as grade (care.h) */
}

static int build_clusters(cctx *c)
{
    const pp_school *s = c->s;
    int maxcl = c->nt * (s->nclasses + 1);
    c->cl = calloc((size_t)(maxcl > 0 ? maxcl : 1), sizeof *c->cl);
    int *cnt = calloc((size_t)s->nclasses, sizeof *cnt), *pri = calloc((size_t)s->nclasses, sizeof *pri);
    int *fix = calloc((size_t)s->nclasses + 1, sizeof *fix);
    if (!c->cl || !cnt || !pri || !fix) {
        free(cnt);
        free(pri);
        free(fix);
        return -1;
    }
    for (int t = 0; t < c->nt; t++) {
        c->slot_cl_first[t] = c->ncl;
        int d = t / c->np, p = t % c->np;
        if (!pp_clubs_slot_possible(s, d, p))
            continue;
        memset(cnt, 0, (size_t)s->nclasses * sizeof *cnt);
        memset(pri, 0, (size_t)s->nclasses * sizeof *pri);
        memset(fix, 0, (size_t)s->nclasses * sizeof *fix);
        for (int i = 0; i < s->nstudents; i++)
            if (s->students[i].stay[d] & (1u << p)) {
                cnt[s->students[i].cls]++;
                pri[s->students[i].cls] += s->students[i].priority != 0;
                int moves = 0;
                for (int e = c->stu_first[i]; e < c->stu_first[i + 1] && !moves; e++)
                    moves = c->sec[c->edge[e].sec].nmax > 0 && slot_in(&c->sec[c->edge[e].sec], t);
                fix[s->students[i].cls] += !moves;
            }
        memcpy(&c->fixed_cls[t * s->nclasses], fix, (size_t)s->nclasses * sizeof *fix);
        const pp_activity *care = &s->activities[s->periods[p].care];
        int biggest = 0;
        for (int k = 0; k < s->nclasses; k++)
            biggest = cnt[k] > biggest ? cnt[k] : biggest;
        for (int k = 0; k < s->nclasses; k++) {
            if (!cnt[k])
                continue;
            int key = cluster_key(s, care->tier, k);
            int found = -1;
            for (int j = c->slot_cl_first[t]; j < c->ncl && found < 0; j++)
                if (c->cl[j].key == key)
                    found = j;
            int rt = pp_care_room_type(s, p, k);
            if (found < 0) {
                found = c->ncl++;
                c->cl[found] = (cluster){ .t = t, .key = key, .room_type = rt, .spg = care->staff_per_group };
                /* the largest group any rule allows: merged groups hold group_max,
                 * a class staying whole holds all its stayers */
                c->cl[found].cap = biggest > s->policy.group_max ? biggest : s->policy.group_max;
            }
            if (c->cl[found].room_type != rt)
                c->cl[found].room_type = -1; /* classes of several room types: left out of the venue rows */
            c->cl[found].count += cnt[k];
            c->cl[found].fixed += fix[k];
            c->cl[found].worst++;
            if (cnt[k] > s->policy.group_max)
                c->cl[found].excess += cnt[k] - s->policy.group_max;
            c->cl[found].prio += pri[k];
        }
    }
    c->slot_cl_first[c->nt] = c->ncl;
    free(cnt);
    free(pri);
    free(fix);
    return 0;
}

static int cluster_of(const cctx *c, int stu, int t)
{
    const pp_school *s = c->s;
    const pp_activity *care = &s->activities[s->periods[t % c->np].care];
    int cls = s->students[stu].cls;
    int key = cluster_key(s, care->tier, cls);
    for (int j = c->slot_cl_first[t]; j < c->slot_cl_first[t + 1]; j++)
        if (c->cl[j].key == key)
            return j;
    return -1;
}

/* ---------- the GLPK program ---------------------------------------------- */

static int nz(cctx *c, int row, int col, double v)
{
    if (pp_grow((void **)&c->ia, &c->capnz, c->nnz + 2, sizeof *c->ia))
        return -1;
    int cap = c->capnz;
    /* ja and ar follow ia's capacity */
    int *ja = realloc(c->ja, (size_t)cap * sizeof *ja);
    if (!ja)
        return -1;
    c->ja = ja;
    double *ar = realloc(c->ar, (size_t)cap * sizeof *ar);
    if (!ar)
        return -1;
    c->ar = ar;
    c->nnz++;
    c->ia[c->nnz] = row;
    c->ja[c->nnz] = col;
    c->ar[c->nnz] = v;
    return 0;
}

static int new_row(cctx *c, const char *name, int type, double lo, double hi)
{
    int r = glp_add_rows(c->lp, 1);
    if (name)
        glp_set_row_name(c->lp, r, name);
    glp_set_row_bnds(c->lp, r, type, lo, hi);
    return r;
}

static int new_col(cctx *c, const char *name, int kind, int type, double lo, double hi, double obj)
{
    int j = glp_add_cols(c->lp, 1);
    glp_set_col_name(c->lp, j, name);
    glp_set_col_kind(c->lp, j, kind);
    glp_set_col_bnds(c->lp, j, type, lo, hi);
    glp_set_obj_coef(c->lp, j, obj);
    return j;
}

/* A group whose speciality no in-house person has at that slot must be led by
 * external staff: that cost is certain, so it belongs in the bound. */

static double forced_external_cost(const cctx *c, const section *sk)
{
    const pp_school *s = c->s;
    const pp_activity *ac = &s->activities[sk->act];
    if (ac->speciality < 0)
        return 0;
    double cost = 0;
    for (int i = 0; i < sk->nslots; i++) {
        if (!inhouse_with(c, ac->speciality, sk->slot[i]))
            cost += s->policy.w_external_hour * ac->staff_per_group *
                    pp_staff_post_minutes(s, sk->slot[i] % c->np) / 60.0;
    }
    return cost;
}

/* The cluster of grade q->key + dir at q's slot, or NULL. */
static const cluster *neighbour(const cctx *c, const cluster *q, int dir)
{
    for (int j = c->slot_cl_first[q->t]; j < c->slot_cl_first[q->t + 1]; j++)
        if (c->cl[j].key == q->key + dir)
            return &c->cl[j];
    return NULL;
}

/* Whether cluster q is a grade whose care group may join an adjacent grade's. */
static int may_join(const cctx *c, cluster *q)
{
    const pp_school *s = c->s;
    const pp_activity *care = &s->activities[s->periods[q->t % c->np].care];
    if (care->tier == PP_TIER_SCHOOL || !s->policy.adjacent_grade_merge || s->policy.w_cross_grade >= s->policy.w_group)
        return 0;
    q->thr = care->merge_threshold;
    for (int j = c->slot_cl_first[q->t]; j < c->slot_cl_first[q->t + 1]; j++)
        if (c->cl[j].key == q->key - 1 || c->cl[j].key == q->key + 1)
            return 1;
    return 0;
}

/* The care count of a class from which it can share a group with no other
 * class of that size or more: two classes above half of group-max never fit
 * together, and a class at the merge threshold stays alone (docs/RULES.md G3). */
static int apart_size(const cctx *c, int t)
{
    pp_care_rules r = pp_care_rules_of(c->s, t % c->np);
    int half = r.group_max / 2 + 1;
    return r.threshold < half ? r.threshold : half;
}

/* ---------- the staff flow (ctx->staff_flow) ------------------------------ */

static int add_care_groups(cctx *c, int r, int t, int room_type, double coef, int staff);

/* Whether slot t has posts for the flow: club slots with groups or care, and
 * slots without clubs whose care needs staff. */
static int flow_slot(const cctx *c, int t)
{
    if (c->ctx->nonclub_posts && c->ctx->nonclub_posts[t] > 0)
        return 1;
    if (c->slot_cl_first[t] < c->slot_cl_first[t + 1])
        return 1;
    for (int k = 0; k < c->nsec; k++)
        if (c->sec[k].nmax && slot_in(&c->sec[k], t))
            return 1;
    return 0;
}

/* The speciality care at slot t needs of its leaders, -1 none (in-house staff). */
static int care_spec(const cctx *c, int t)
{
    return c->s->activities[c->s->periods[t % c->np].care].speciality;
}

/* Whether slot t has posts of kind sp (a speciality; -1: posts without one,
 * which in-house staff lead) for the flow. */
static int flow_kind_used(const cctx *c, int t, int sp)
{
    if (care_spec(c, t) == sp &&
        ((c->ctx->nonclub_posts && c->ctx->nonclub_posts[t] > 0) || c->slot_cl_first[t] < c->slot_cl_first[t + 1]))
        return 1;
    for (int k = 0; k < c->nsec; k++)
        if (c->sec[k].nmax && slot_in(&c->sec[k], t) && c->s->activities[c->sec[k].act].speciality == sp)
            return 1;
    return 0;
}

/* The column of person w leading a post of kind sp at slot t, 0 none. */
static size_t flow_index(const cctx *c, int w, int t, int sp)
{
    return ((size_t)w * c->nt + t) * (c->s->nspecialities + 1) + (sp + 1);
}

static int flow_at(const cctx *c, int w, int t, int sp)
{
    return c->flow_col[flow_index(c, w, t, sp)];
}

/* Whether person w may lead a post of kind sp at slot t (staff.c's eligibility
 * without the loads, which the flow's rows carry). */
static int flow_may(const cctx *c, int w, int t, int sp)
{
    const pp_staff *m = &c->s->staff[w];
    if (!(m->avail[t / c->np] & (1u << (t % c->np))))
        return 0;
    return sp >= 0 ? pp_staff_has_spec(m, sp) : m->type != PP_STAFF_EXTERNAL;
}

/* Whether person w's weekly minutes can stop them before their sessions do:
 * their sessions at the longest posts of the week take more minutes than they
 * have.  Their flow is then integer, since fractional posts would let them
 * share a long noon post with a short one (r10: 140-minute noon care, 280
 * minutes a week: two noon posts, or one and two after school). */
static int minutes_bind(const cctx *c, int w, int longest)
{
    return (long)c->s->staff[w].max_sessions * longest > c->s->staff[w].max_minutes;
}

/* f[w][t][sp] in [0, 1]: person w leads a post of kind sp at slot t; integer
 * where the person's minutes bind (minutes_bind). */
static void build_flow_columns(cctx *c)
{
    const pp_school *s = c->s;
    char name[64];
    if (!c->ctx->staff_flow)
        return;
    int longest = 0; /* the week's longest post, for minutes_bind */
    for (int p = 0; p < c->np; p++)
        longest = pp_staff_post_minutes(s, p) > longest ? pp_staff_post_minutes(s, p) : longest;
    for (int t = 0; t < c->nt; t++) {
        if (!flow_slot(c, t))
            continue;
        for (int sp = -1; sp < s->nspecialities; sp++) {
            if (!flow_kind_used(c, t, sp))
                continue;
            for (int w = 0; w < s->nstaff; w++)
                if (flow_may(c, w, t, sp)) {
                    snprintf(name, sizeof name, "f_%d_%d_%d", w, t, sp + 1);
                    c->flow_col[flow_index(c, w, t, sp)] =
                        new_col(c, name, minutes_bind(c, w, longest) ? GLP_BV : GLP_CV, GLP_DB, 0, 1, 0);
                }
        }
    }
}

/* The posts of kind sp at slot t into row r with coefficient -1: the groups of
 * sections of that kind, and care when it is care's kind. */
static int flow_posts(cctx *c, int r, int t, int sp)
{
    const pp_school *s = c->s;
    for (int k = 0; k < c->nsec; k++) {
        const pp_activity *ac = &s->activities[c->sec[k].act];
        if (c->sec[k].nmax && slot_in(&c->sec[k], t) && ac->speciality == sp &&
            nz(c, r, c->sec[k].col_n, -ac->staff_per_group))
            return -1;
    }
    return care_spec(c, t) == sp ? add_care_groups(c, r, t, -2, -1, 1) : 0;
}

/* The week's posts as a flow over the people who may lead them, within each
 * one's weekly sessions and minutes (staff.c's rules but the overlap of periods):
 *   sum_w f[w][t][sp] >= posts of kind sp at t   (the slots without clubs: their care),
 *   sum_sp f[w][t][sp] <= 1,   sum_t,sp f[w][t][sp] <= max-sessions (and minutes).
 * With the group counts integer this is a transportation problem, so the rows
 * hold exactly when staff.c can staff every post (but for minutes).  The load
 * row and the per-slot counts see the week in sums: a plan fits them while the
 * teachers who are there on Wednesday have spent theirs by Tuesday, or lead
 * the science club that also counted them for care (r10: 200 students without
 * care).  Built only where a plan ran short of staff. */
static int build_flow_rows(cctx *c)
{
    const pp_school *s = c->s;
    int nk = s->nspecialities + 1;
    if (!c->ctx->staff_flow)
        return 0;
    for (int t = 0; t < c->nt; t++) {
        if (!flow_slot(c, t))
            continue;
        for (int sp = -1; sp < s->nspecialities; sp++) {
            if (!flow_kind_used(c, t, sp))
                continue;
            double fixed = c->ctx->nonclub_posts && care_spec(c, t) == sp ? c->ctx->nonclub_posts[t] : 0;
            int r = new_row(c, NULL, GLP_LO, fixed, 0);
            for (int w = 0; w < s->nstaff; w++)
                if (flow_at(c, w, t, sp) && nz(c, r, flow_at(c, w, t, sp), 1))
                    return -1;
            if (flow_posts(c, r, t, sp))
                return -1;
        }
        for (int w = 0; w < s->nstaff; w++) {
            int n = 0, r = 0;
            for (int k = 0; k < nk; k++)
                n += flow_at(c, w, t, k - 1) != 0;
            if (n > 1)
                r = new_row(c, NULL, GLP_UP, 0, 1);
            for (int k = 0; k < nk && r; k++)
                if (flow_at(c, w, t, k - 1) && nz(c, r, flow_at(c, w, t, k - 1), 1))
                    return -1;
        }
    }
    for (int w = 0; w < s->nstaff; w++) {
        int rs = 0, rm = 0;
        for (int t = 0; t < c->nt; t++)
            for (int k = 0; k < nk; k++) {
                int f = flow_at(c, w, t, k - 1);
                if (!f)
                    continue;
                if (!rs) {
                    rs = new_row(c, NULL, GLP_UP, 0, s->staff[w].max_sessions);
                    rm = new_row(c, NULL, GLP_UP, 0, s->staff[w].max_minutes);
                }
                if (nz(c, rs, f, 1) || nz(c, rm, f, pp_staff_post_minutes(s, t % c->np)))
                    return -1;
            }
    }
    return 0;
}

/* Staff posts of the groups of sections of speciality sp (-1: none) meeting at
 * slot t in start plan x. */
static double start_posts(const cctx *c, const double *x, int sp, int t)
{
    double posts = 0;
    for (int k = 0; k < c->nsec; k++) {
        const pp_activity *ac = &c->s->activities[c->sec[k].act];
        if (c->sec[k].nmax && slot_in(&c->sec[k], t) && (sp < 0 ? ac->speciality < 0 : ac->speciality == sp))
            posts += x[c->sec[k].col_n] * ac->staff_per_group;
    }
    return posts;
}

/* Care posts at slot t in start plan x, the fixed ones of slots without clubs included. */
static double start_care_posts(const cctx *c, const double *x, int t)
{
    double d = c->ctx->nonclub_posts ? c->ctx->nonclub_posts[t] : 0;
    for (int j = c->slot_cl_first[t]; j < c->slot_cl_first[t + 1]; j++) {
        d += x[c->cl[j].col_g] * c->cl[j].spg;
        if (c->cl[j].col_e && neighbour(c, &c->cl[j], +1))
            d -= x[c->cl[j].col_e] * c->cl[j].spg;
    }
    return d;
}

/* Deals the posts of kind sp at slot t of start x, one at a time, to the person
 * who may lead them, is free then and has the most weekly sessions left
 * (externals first for a speciality: they lead nothing else).  What cannot be
 * dealt leaves the start short of the rows (GLPK then has no start from it). */
static void start_deal(const cctx *c, double *x, int t, int sp, double need, double *left, double *mleft, char *used)
{
    const pp_school *s = c->s;
    double mins = pp_staff_post_minutes(s, t % c->np);
    while (need > 1e-9) {
        int best = -1;
        for (int w = 0; w < s->nstaff; w++) {
            if (!flow_at(c, w, t, sp) || used[w] || left[w] < 1 - 1e-9 || mleft[w] < mins - 1e-9)
                continue;
            int ext = s->staff[w].type == PP_STAFF_EXTERNAL, bext = best >= 0 && s->staff[best].type == PP_STAFF_EXTERNAL;
            if (best < 0 || ext > bext || (ext == bext && left[w] > left[best]))
                best = w;
        }
        if (best < 0)
            return;
        x[flow_at(c, best, t, sp)] = 1;
        used[best] = 1;
        left[best] -= 1;
        mleft[best] -= mins;
        need -= 1;
    }
}

/* The flow of a start plan x: each slot's posts dealt to the people there, the
 * slots with the fewest people first, and in a slot the specialities before
 * the posts anyone in-house may lead. */
static void start_flow(const cctx *c, double *x)
{
    const pp_school *s = c->s;
    if (!c->ctx->staff_flow)
        return;
    int ns = s->nstaff;
    double *left = malloc((size_t)(ns + 1) * sizeof *left), *mleft = malloc((size_t)(ns + 1) * sizeof *mleft);
    int *ord = malloc((size_t)(c->nt + 1) * sizeof *ord), n = 0;
    char *used = malloc((size_t)ns + 1);
    if (!left || !mleft || !ord || !used)
        goto out;
    for (int w = 0; w < ns; w++) {
        left[w] = s->staff[w].max_sessions;
        mleft[w] = s->staff[w].max_minutes;
    }
    for (int t = 0; t < c->nt; t++)
        if (flow_slot(c, t))
            ord[n++] = t;
    for (int a = 1; a < n; a++) /* fewest people there first */
        for (int b = a; b > 0 && c->staff_care[ord[b]] < c->staff_care[ord[b - 1]]; b--) {
            int tmp = ord[b];
            ord[b] = ord[b - 1];
            ord[b - 1] = tmp;
        }
    for (int q = 0; q < n; q++) {
        int t = ord[q];
        memset(used, 0, (size_t)ns + 1);
        for (int sp = 0; sp < s->nspecialities; sp++)
            if (flow_kind_used(c, t, sp))
                start_deal(c, x, t, sp, start_posts(c, x, sp, t) + (care_spec(c, t) == sp ? start_care_posts(c, x, t) : 0),
                           left, mleft, used);
        if (flow_kind_used(c, t, -1))
            start_deal(c, x, t, -1, start_posts(c, x, -1, t) + (care_spec(c, t) < 0 ? start_care_posts(c, x, t) : 0),
                       left, mleft, used);
    }
out:
    free(left);
    free(mleft);
    free(ord);
    free(used);
}

/* apart[t][k] = 1 when class k's care count at club slot t is at least
 * apart_size: such classes are pairwise in different groups, so a cluster needs
 * at least as many groups as it has of them.  The count rows alone let the LP
 * pack care counts perfectly (four classes of 24 in 2.4 groups where four are
 * needed), and a course then took the room the fourth group needed.  They cost
 * time (the 800-student default school: 1 s -> 4 s to the same plan), so they are
 * built only at the slots the caller names: where a plan of the program without
 * them left care short of rooms or staff (solve.c). */
static void build_apart_columns(cctx *c)
{
    const pp_school *s = c->s;
    int *cnt = calloc((size_t)s->nclasses + 1, sizeof *cnt);
    char name[64];
    if (!cnt)
        return; /* the rows are a tightening: the program stays valid without them */
    for (int t = 0; t < c->nt; t++) {
        if (c->slot_cl_first[t] == c->slot_cl_first[t + 1])
            continue;
        int d = t / c->np, p = t % c->np, b = apart_size(c, t);
        memset(cnt, 0, (size_t)s->nclasses * sizeof *cnt);
        for (int i = 0; i < s->nstudents; i++)
            cnt[s->students[i].cls] += (s->students[i].stay[d] >> p) & 1u;
        memcpy(&c->stayers[t * s->nclasses], cnt, (size_t)s->nclasses * sizeof *cnt);
        for (int k = 0; k < s->nclasses; k++) {
            if (cnt[k] >= b && b > 0 && c->ctx->apart_slots && c->ctx->apart_slots[t]) {
                snprintf(name, sizeof name, "apart_%d_%d", t, k);
                c->apart_col[t * s->nclasses + k] = new_col(c, name, GLP_BV, GLP_DB, 0, 1, 0);
                if (c->fixed_cls[t * s->nclasses + k] >= b) /* its students without a club there */
                    glp_set_col_bnds(c->lp, c->apart_col[t * s->nclasses + k], GLP_FX, 1, 1);
                name[0] = 'w';
                c->shared_col[t * s->nclasses + k] = new_col(c, name, GLP_CV, GLP_LO, 0, 0, 0);
            }
        }
    }
    free(cnt);
}

static void build_columns(cctx *c)
{
    const pp_school *s = c->s;
    const pp_policy *pol = &s->policy;
    char name[256];
    for (int e = 0; e < c->nedge; e++) {
        edge *ed = &c->edge[e];
        double coef = (rank_weight(pol, ed->rank) - pol->w_no_choice) * prio_factor(s, ed->stu);
        if (c->ctx->pert) /* re-plan: keeping a club entry, leaving a care entry */
            coef += pp_perturb_edge_cost(c->ctx->pert, ed->stu, c->sec[ed->sec].act, c->sec[ed->sec].slot,
                                         c->sec[ed->sec].nslots);
        snprintf(name, sizeof name, "x_%d_%d", ed->stu, ed->sec);
        ed->col = new_col(c, name, GLP_CV, GLP_DB, 0, 1, coef);
    }
    for (int k = 0; k < c->nsec; k++) {
        section *sk = &c->sec[k];
        if (sk->nmax == 0)
            continue;
        snprintf(name, sizeof name, "n_%s_%d_%d", s->activities[sk->act].id, sk->slot[0], sk->grade);
        double w = pol->w_group * sk->nslots + forced_external_cost(c, sk);
        if (sk->nmax == 1) {
            sk->col_n = sk->col_o = new_col(c, name, GLP_BV, GLP_DB, 0, 1, w);
        } else {
            sk->col_n = new_col(c, name, GLP_IV, GLP_DB, 0, sk->nmax, w);
            name[0] = 'o';
            sk->col_o = new_col(c, name, GLP_BV, GLP_DB, 0, 1, 0);
        }
    }
    for (int j = 0; j < c->ncl; j++) {
        cluster *q = &c->cl[j];
        snprintf(name, sizeof name, "g_%d_%d", q->t, q->key);
        q->col_g = new_col(c, name, GLP_IV, GLP_LO, 0, 0, pol->w_group);
        name[0] = 'u';
        q->col_u = new_col(c, name, GLP_CV, GLP_DB, 0, q->count - q->prio > 0 ? q->count - q->prio : 0, pol->w_unserved);
        if (q->count - q->prio <= 0)
            glp_set_col_bnds(c->lp, q->col_u, GLP_FX, 0, 0);
        snprintf(name, sizeof name, "up_%d_%d", q->t, q->key);
        q->col_up = new_col(c, name, GLP_CV, q->prio > 0 ? GLP_DB : GLP_FX, 0, q->prio, pol->w_unserved_priority);
        if (may_join(c, q)) {
            /* a small grade joining a neighbour's group saves a group at the cross-grade
             * penalty: without this the per-grade rounding of g would overcount */
            snprintf(name, sizeof name, "small_%d_%d", q->t, q->key);
            q->col_j = new_col(c, name, GLP_BV, GLP_DB, 0, 1, 0);
            /* its stayers without a club then keep it above the threshold: it may
             * still take a small neighbour in */
            if (q->fixed >= q->thr)
                glp_set_col_bnds(c->lp, q->col_j, GLP_FX, 0, 0);
        }
    }
    for (int j = 0; j < c->ncl; j++) {
        cluster *q = &c->cl[j];
        const cluster *next = neighbour(c, q, +1);
        if (q->col_j && next && next->col_j) {
            snprintf(name, sizeof name, "join_%d_%d", q->t, q->key);
            q->col_e = new_col(c, name, GLP_BV, GLP_DB, 0, 1, -(pol->w_group - pol->w_cross_grade));
        }
    }
    /* External posts per club slot beyond those no in-house staff could take (the
     * sections' own forced cost): a speciality's posts beyond the in-house staff
     * who have it and are there, and all posts (care is in-house only) beyond all
     * in-house staff there, go to externals.  Costed once, per slot. */
    for (int t = 0; t < c->nt; t++) {
        int any = 0;
        for (int sp = 0; sp < s->nspecialities; sp++) {
            int posts = 0;
            for (int k = 0; k < c->nsec; k++)
                posts += c->sec[k].nmax && slot_in(&c->sec[k], t) && s->activities[c->sec[k].act].speciality == sp;
            if (!posts || !inhouse_with(c, sp, t))
                continue;
            snprintf(name, sizeof name, "ext_%d_%d", t, sp);
            c->ext_col[t * s->nspecialities + sp] = new_col(c, name, GLP_CV, GLP_LO, 0, 0, 0);
            }
        for (int k = 0; k < c->nsec && !any; k++)
            any = c->sec[k].nmax && slot_in(&c->sec[k], t);
        if (any) {
            snprintf(name, sizeof name, "extall_%d", t);
            c->extall_col[t] = new_col(c, name, GLP_CV, GLP_LO, 0, 0,
                                       pol->w_external_hour * pp_staff_post_minutes(s, t % c->np) / 60.0);
        }
    }
    build_apart_columns(c);
    build_flow_columns(c);
    c->ncols = glp_get_num_cols(c->lp);
}

static int build_student_rows(cctx *c)
{
    const pp_school *s = c->s;
    int m = s->policy.max_activities_per_student;
    for (int i = 0; i < s->nstudents; i++) {
        int e0 = c->stu_first[i], e1 = c->stu_first[i + 1];
        if (e1 - e0 > m || m == 0) {
            int r = new_row(c, NULL, GLP_UP, 0, m);
            for (int e = e0; e < e1; e++)
                if (nz(c, r, c->edge[e].col, 1))
                    return -1;
        }
        if (m <= 1)
            continue; /* one activity a week cannot clash with itself */
        for (int t = 0; t < c->nt; t++) { /* at most one club at a time */
            int cnt = 0;
            for (int e = e0; e < e1; e++)
                for (int q = 0; q < c->sec[c->edge[e].sec].nslots; q++)
                    cnt += c->sec[c->edge[e].sec].slot[q] == t;
            if (cnt < 2)
                continue;
            int r = new_row(c, NULL, GLP_UP, 0, 1);
            for (int e = e0; e < e1; e++)
                for (int q = 0; q < c->sec[c->edge[e].sec].nslots; q++)
                    if (c->sec[c->edge[e].sec].slot[q] == t && nz(c, r, c->edge[e].col, 1))
                        return -1;
        }
        for (int e = e0; e < e1;) { /* each activity once: edges of one rank are contiguous */
            int f = e;
            while (f < e1 && c->edge[f].rank == c->edge[e].rank)
                f++;
            if (f - e > 1) {
                int r = new_row(c, NULL, GLP_UP, 0, 1);
                for (int q = e; q < f; q++)
                    if (nz(c, r, c->edge[q].col, 1))
                        return -1;
            }
            e = f;
        }
    }
    return 0;
}

static int build_section_rows(cctx *c)
{
    int *rmax = malloc((size_t)(c->nsec + 1) * 2 * sizeof *rmax);
    if (!rmax)
        return -1;
    int *rmin = rmax + c->nsec + 1;
    for (int k = 0; k < c->nsec; k++) {
        section *sk = &c->sec[k];
        rmax[k] = rmin[k] = 0;
        if (!sk->nmax)
            continue;
        rmax[k] = new_row(c, NULL, GLP_UP, 0, 0);
        rmin[k] = new_row(c, NULL, GLP_LO, 0, 0);
        if (nz(c, rmax[k], sk->col_n, -sk->max) || nz(c, rmin[k], sk->col_n, -sk->min))
            goto fail;
        if (sk->nmax > 1) {
            int r1 = new_row(c, NULL, GLP_LO, 0, 0), r2 = new_row(c, NULL, GLP_UP, 0, 0);
            if (nz(c, r1, sk->col_n, 1) || nz(c, r1, sk->col_o, -1) || nz(c, r2, sk->col_n, 1) ||
                nz(c, r2, sk->col_o, -sk->nmax))
                goto fail;
        }
    }
    for (int e = 0; e < c->nedge; e++) {
        edge *ed = &c->edge[e];
        section *sk = &c->sec[ed->sec];
        int r = new_row(c, NULL, GLP_UP, 0, 0);
        if (nz(c, rmax[ed->sec], ed->col, 1) || nz(c, rmin[ed->sec], ed->col, 1) || nz(c, r, ed->col, 1) ||
            nz(c, r, sk->col_o, -1))
            goto fail;
    }
    free(rmax);
    return 0;
fail:
    free(rmax);
    return -1;
}


/* Joins form a matching on the path of grades: a small grade takes part in at most
 * one join (its single group moves or receives), a larger grade in two (one per
 * side), and every join has a small end:
 *   e(g-1,g) + e(g,g+1) + small(g) <= 2,   e(g,g+1) <= small(g) + small(g+1). */
static int build_join_rows(cctx *c, const cluster *q)
{
    if (!q->col_j)
        return 0;
    const cluster *prev = neighbour(c, q, -1), *next = neighbour(c, q, +1);
    int left = prev && prev->col_e ? prev->col_e : 0;
    if (left || q->col_e) {
        int r = new_row(c, NULL, GLP_UP, 0, 2);
        if (nz(c, r, q->col_j, 1) || (left && nz(c, r, left, 1)) || (q->col_e && nz(c, r, q->col_e, 1)))
            return -1;
    }
    if (q->col_e) {
        int r = new_row(c, NULL, GLP_UP, 0, 0);
        if (nz(c, r, q->col_e, 1) || nz(c, r, q->col_j, -1) || nz(c, r, next->col_j, -1))
            return -1;
    }
    return 0;
}

/* Window rows: the groups of a run of adjacent grades, less the joins inside the
 * run, hold the run's care students.  Merged groups hold at most group_max and a
 * class kept whole exceeds that by at most its excess, so
 *   group_max * (sum g - sum e) + unserved + away >= stayers - excess.
 * Without them a join saves a group whatever the sizes (measured: 300 students,
 * the program counted 2 groups where 4 were needed, twice a week).  Joins form
 * paths of at most three grades (a small grade joins once), so runs of one, two
 * and three grades cover every case; a run of one also corrects the count row,
 * whose capacity is the largest class. */
static int add_window(cctx *c, cluster **w, int n)
{
    int C = c->s->policy.group_max;
    double rhs = 0;
    for (int i = 0; i < n; i++)
        rhs += w[i]->count - w[i]->excess;
    int r = new_row(c, NULL, GLP_LO, rhs, 0);
    for (int i = 0; i < n; i++) {
        if (nz(c, r, w[i]->col_g, C) || nz(c, r, w[i]->col_u, 1) || nz(c, r, w[i]->col_up, 1))
            return -1;
        if (i + 1 < n && nz(c, r, w[i]->col_e, -C))
            return -1;
        if (w[i]->nwin < 6)
            w[i]->win[w[i]->nwin++] = r;
    }
    return 0;
}

static int build_window_rows(cctx *c)
{
    for (int j = 0; j < c->ncl; j++) {
        cluster *q = &c->cl[j];
        /* a group spanning two grades takes no third (care.c): each join needs a
         * group of its own on this side, e(left) + e(right) <= g */
        const cluster *prev = neighbour(c, q, -1);
        int left = prev && prev->col_e ? prev->col_e : 0;
        if (left && q->col_e) {
            int r = new_row(c, NULL, GLP_UP, 0, 0);
            if (nz(c, r, left, 1) || nz(c, r, q->col_e, 1) || nz(c, r, q->col_g, -1))
                return -1;
        }
        cluster *w[3] = { q, NULL, NULL };
        if (q->cap > c->s->policy.group_max && add_window(c, w, 1))
            return -1;
        if (!q->col_e)
            continue;
        w[1] = (cluster *)neighbour(c, q, +1);
        if (add_window(c, w, 2))
            return -1;
        if (w[1]->col_e) {
            w[2] = (cluster *)neighbour(c, w[1], +1);
            if (add_window(c, w, 3))
                return -1;
        }
    }
    return 0;
}

/* Fixed-care rows: a stayer with no edge into any section meeting at t is in
 * care there whatever the program decides, so each cluster needs at least the
 * groups those students alone need (care.c's bound on their class counts; one
 * grade, or the school, so no join enters), less one per unserved student
 * (taking one student out of a grouping saves at most one group).  The count
 * row alone lets the LP save a fraction of a group per student sent to a club
 * (measured: 1,500 students, a root bound 70 points under the final one). */
/* A class whose stayers without a club at t reach the merge threshold stands
 * alone there whatever the program decides (docs/RULES.md G3): the cluster's other
 * groups hold the care of its other classes,
 *   cap (g - alone) + unserved + their students at clubs >= their stayers,
 * with cap the largest group any of them makes.  The count row lets those
 * classes' students fill the lone classes' groups (homework by class, 20 of 40:
 * half the groups).  The club terms are added with the care rows. */
static int build_alone_row(cctx *c, cluster *q, const int *fixed, int threshold)
{
    const pp_school *s = c->s;
    int t = q->t, tier = s->activities[s->periods[t % c->np].care].tier, alone = 0, cap = s->policy.group_max;
    double rest = 0;
    for (int k = 0; k < s->nclasses; k++) {
        if (cluster_key(s, tier, k) != q->key || !c->stayers[t * s->nclasses + k])
            continue;
        if (fixed[k] >= threshold) {
            alone++;
            c->alone_cls[t * s->nclasses + k] = 1;
        } else {
            rest += c->stayers[t * s->nclasses + k];
            cap = c->stayers[t * s->nclasses + k] > cap ? c->stayers[t * s->nclasses + k] : cap;
        }
    }
    if (!alone || rest <= 0)
        return 0;
    q->row_alone = new_row(c, NULL, GLP_LO, rest + (double)cap * alone, 0);
    q->alone_cap = cap;
    return nz(c, q->row_alone, q->col_g, cap) || nz(c, q->row_alone, q->col_u, 1) ||
                   nz(c, q->row_alone, q->col_up, 1)
               ? -1
               : 0;
}

/* Cluster q's classes with a count in cnt[class] as packing items; returns how many. */
static int cluster_items(const cctx *c, const cluster *q, const int *cnt, int tier, pp_care_item *items)
{
    const pp_school *s = c->s;
    int n = 0;
    for (int k = 0; k < s->nclasses; k++)
        if (cnt[k] && cluster_key(s, tier, k) == q->key)
            items[n++] = (pp_care_item){ k, s->classes[k].grade, cnt[k] };
    return n;
}

static int build_fixed_care_rows(cctx *c, int t)
{
    const pp_school *s = c->s;
    int d = t / c->np, p = t % c->np, rc = -1;
    char *busy = calloc((size_t)s->nstudents + 1, 1);
    int *fixed = calloc((size_t)s->nclasses + 1, sizeof *fixed), *gof = malloc((size_t)(s->nclasses + 1) * sizeof *gof);
    pp_care_item *items = malloc((size_t)(s->nclasses + 1) * sizeof *items);
    if (!busy || !fixed || !gof || !items)
        goto out;
    for (int e = 0; e < c->nedge; e++)
        if (slot_in(&c->sec[c->edge[e].sec], t))
            busy[c->edge[e].stu] = 1;
    for (int i = 0; i < s->nstudents; i++)
        if (!busy[i] && (s->students[i].stay[d] & (1u << p)))
            fixed[s->students[i].cls]++;
    pp_care_rules r = pp_care_rules_of(s, p);
    for (int j = c->slot_cl_first[t]; j < c->slot_cl_first[t + 1]; j++) {
        cluster *q = &c->cl[j];
        pp_care_result res;
        int n = cluster_items(c, q, &c->stayers[t * s->nclasses], r.tier, items);
        if (n && pp_care_pack(items, n, &r, gof, &res))
            goto out;
        q->alllb = n ? res.lower_groups : 0;
        n = cluster_items(c, q, fixed, r.tier, items);
        if (n && pp_care_pack(items, n, &r, gof, &res))
            goto out;
        if (!n || res.lower_groups <= 0)
            continue;
        q->fixlb = res.lower_groups;
        int row = new_row(c, NULL, GLP_LO, res.lower_groups, 0);
        if (nz(c, row, q->col_g, 1) || nz(c, row, q->col_u, 1) || nz(c, row, q->col_up, 1) ||
            build_alone_row(c, q, fixed, r.threshold))
            goto out;
    }
    rc = 0;
out:
    free(busy);
    free(fixed);
    free(gof);
    free(items);
    return rc;
}

/* Adds coef per care group of slot t to row r (coef times the staff per group
 * when staff), over the clusters whose rooms are of type room_type (any type
 * when -2).  A join makes one group of two clusters' (see the window rows), so
 * it takes one back when both sides are counted. */
static int add_care_groups(cctx *c, int r, int t, int room_type, double coef, int staff)
{
    for (int j = c->slot_cl_first[t]; j < c->slot_cl_first[t + 1]; j++) {
        const cluster *q = &c->cl[j];
        if (room_type != -2 && q->room_type != room_type)
            continue;
        double w = coef * (staff ? q->spg : 1);
        if (nz(c, r, q->col_g, w))
            return -1;
        const cluster *next = q->col_e ? neighbour(c, q, +1) : NULL;
        if (next && (room_type == -2 || next->room_type == room_type) && nz(c, r, q->col_e, -w))
            return -1;
    }
    return 0;
}

/* For each class with an apart column at t: the class is apart unless enough
 * of its stayers are at clubs (or unserved) to bring its care count below
 * apart_size,
 *   (stayers - b + 1) apart + at clubs + unserved of its cluster >= stayers - b + 1
 * (the club terms are added with the care rows); each cluster has at least as
 * many groups as apart classes, and the slot as a whole too where joins put two
 * grades in one group. */
/* The packing row of cluster q, where apart classes are modelled: its groups
 * that are not an apart class's hold the care of every class that shares,
 *   group_max (g - sum apart) >= sum shared + care of the classes never apart.
 * The count row lets the students of the classes that stay apart fill the
 * others' groups (seed004's Q&A: 4 groups counted where 5 were needed). */
static int pack_row(cctx *c, cluster *q)
{
    const pp_school *s = c->s;
    int t = q->t, key_tier = s->activities[s->periods[t % c->np].care].tier;
    double rhs = 0;
    for (int k = 0; k < s->nclasses; k++)
        if (!c->apart_col[t * s->nclasses + k] && cluster_key(s, key_tier, k) == q->key)
            rhs += c->stayers[t * s->nclasses + k];
    q->row_pack = new_row(c, NULL, GLP_LO, rhs, 0);
    return nz(c, q->row_pack, q->col_g, s->policy.group_max) || nz(c, q->row_pack, q->col_u, 1) ||
                   nz(c, q->row_pack, q->col_up, 1)
               ? -1
               : 0;
}

static int build_apart_rows(cctx *c, int t)
{
    const pp_school *s = c->s;
    int d = t / c->np, p = t % c->np, b = apart_size(c, t), any_join = 0;
    int slot_row = 0;
    for (int j = c->slot_cl_first[t]; j < c->slot_cl_first[t + 1]; j++)
        any_join |= c->cl[j].col_e != 0;
    if (any_join) {
        slot_row = new_row(c, NULL, GLP_UP, 0, 0);
        if (add_care_groups(c, slot_row, t, -2, -1, 0))
            return -1;
    }
    for (int k = 0; k < s->nclasses; k++) {
        int col = c->apart_col[t * s->nclasses + k];
        if (!col)
            continue;
        int stay = 0;
        for (int i = 0; i < s->nstudents; i++)
            stay += s->students[i].cls == k && ((s->students[i].stay[d] >> p) & 1u);
        int j = -1, key = cluster_key(s, s->activities[s->periods[p].care].tier, k);
        for (int q = c->slot_cl_first[t]; q < c->slot_cl_first[t + 1] && j < 0; q++)
            if (c->cl[q].key == key)
                j = q;
        if (j < 0)
            continue;
        cluster *q = &c->cl[j];
        double m = stay - b + 1;
        int r = new_row(c, NULL, GLP_LO, m, 0);
        c->apart_row[t * s->nclasses + k] = r;
        if (nz(c, r, col, m) || nz(c, r, q->col_u, 1) || nz(c, r, q->col_up, 1))
            return -1;
        if (!q->row_apart) {
            q->row_apart = new_row(c, NULL, GLP_UP, 0, 0);
            if (nz(c, q->row_apart, q->col_g, -1))
                return -1;
        }
        if (nz(c, q->row_apart, col, 1) || (slot_row && nz(c, slot_row, col, 1)))
            return -1;
        /* a class apart is alone only when apart_size is the threshold itself: a
         * class of 25 (threshold 40) keeps out another of 21 but may take one of
         * 15, so its group does not count out of the packing then */
        if (b < pp_care_rules_of(s, p).threshold)
            continue;
        /* shared >= care - stayers * apart: the care of a class that shares */
        int w = c->shared_col[t * s->nclasses + k];
        c->shared_row[t * s->nclasses + k] = r = new_row(c, NULL, GLP_LO, stay, 0);
        if (nz(c, r, w, 1) || nz(c, r, col, stay) || nz(c, r, q->col_u, 1) || nz(c, r, q->col_up, 1))
            return -1;
        if (!q->row_pack && pack_row(c, q))
            return -1;
        if (nz(c, q->row_pack, col, -s->policy.group_max) || nz(c, q->row_pack, w, -1))
            return -1;
    }
    return 0;
}

/* Partner rows, at slots whose apart classes are modelled: a join puts the care
 * of a small grade S into one group of its neighbour B: a class of B that stands
 * apart, or B's shared groups.  Sized with the neighbour as a whole (the window
 * rows), a join fits wherever B's groups have seats in all, although no single
 * group has room (r10: a grade of 17 joined to four classes of 27-32 at
 * group-max 40; the program counted 6 care groups where 7 were needed, and the
 * staff it planned ran short).  So each join picks its partner:
 *   e <= sum_j z[S,j] + z[S,shared]  over both directions of the join,
 *   z[S,j] <= apart[j],  care(S) + care(j) <= group_max + M (1 - z[S,j]),
 *   care = stayers - away - unserved,
 *   z[S,shared] <= groups of B not apart.
 * Valid for every plan: a join has a partner, and a group holds group_max. */
/* Records option z of the join being built, with the rows it enters. */
static int add_popt(cctx *c, int z, int r1, double c1, int r2, double c2)
{
    if (pp_grow((void **)&c->popt, &c->cappopt, c->npopt + 1, sizeof *c->popt))
        return -1;
    c->popt[c->npopt++] = (struct popt){ z, r2 ? 2 : 1, { r1, r2 }, { c1, c2 } };
    c->pjoin[c->npjoin - 1].n++;
    return 0;
}

static int add_partner_entry(cctx *c, struct partner pr)
{
    if (pp_grow((void **)&c->partner, &c->cappartner, c->npartner + 1, sizeof *c->partner))
        return -1;
    c->partner[c->npartner++] = pr;
    return 0;
}

/* S joining B's shared groups (zs): they hold S's care besides their own, the
 * packing row of B (pack_row) with care(S) on its right when zs is set:
 *   gm (g - sum apart) + u(B) - sum w + away(never apart) + u(S) + away(S) - M zs
 *     >= stayers(never apart) + count(S) - M,   M = count(S). */
static int partner_pack(cctx *c, int t, const cluster *S, const cluster *B, int zs, int *row)
{
    const pp_school *s = c->s;
    int tier = s->activities[s->periods[t % c->np].care].tier, gm = s->policy.group_max;
    double rhs = 0;
    for (int k = 0; k < s->nclasses; k++)
        if (!c->apart_col[t * s->nclasses + k] && cluster_key(s, tier, k) == B->key)
            rhs += c->stayers[t * s->nclasses + k];
    int r = new_row(c, NULL, GLP_LO, rhs, 0);
    if (nz(c, r, B->col_g, gm) || nz(c, r, B->col_u, 1) || nz(c, r, B->col_up, 1) || nz(c, r, S->col_u, 1) ||
        nz(c, r, S->col_up, 1) || nz(c, r, zs, -S->count))
        return -1;
    *row = r;
    for (int k = 0; k < s->nclasses; k++) {
        int ac = c->apart_col[t * s->nclasses + k];
        if (!ac || cluster_key(s, tier, k) != B->key)
            continue;
        if (nz(c, r, ac, -gm) || (c->shared_col[t * s->nclasses + k] && nz(c, r, c->shared_col[t * s->nclasses + k], -1)))
            return -1;
    }
    return add_partner_entry(c, (struct partner){ t, (int)(S - c->cl), -1, (int)(B - c->cl), r, 1 });
}

/* S joining B's shared groups where B has no packing row: S's care fits one
 * group, care(S) <= gm + M (1 - zs). */
static int partner_small(cctx *c, int t, const cluster *S, int zs, int *row)
{
    double m = S->count - c->s->policy.group_max;
    if (m <= 0)
        return 0;
    int r = new_row(c, NULL, GLP_UP, 0, c->s->policy.group_max + m - S->count);
    if (nz(c, r, zs, m) || nz(c, r, S->col_u, -1) || nz(c, r, S->col_up, -1))
        return -1;
    *row = r;
    return add_partner_entry(c, (struct partner){ t, (int)(S - c->cl), -1, -1, r, -1 });
}

static int add_partner(cctx *c, int t, const cluster *S, const cluster *B, int jrow)
{
    const pp_school *s = c->s;
    int gm = s->policy.group_max, rsh = 0;
    char name[64];
    for (int k = 0; k < s->nclasses; k++) {
        int ac = c->apart_col[t * s->nclasses + k];
        if (!ac || cluster_key(s, s->activities[s->periods[t % c->np].care].tier, k) != B->key)
            continue;
        int stay = c->stayers[t * s->nclasses + k];
        double m = S->count + stay - gm;
        snprintf(name, sizeof name, "z_%d_%d_%d", t, S->key, k);
        int z = new_col(c, name, GLP_BV, GLP_DB, 0, 1, 0);
        /* the partner's group is its own (it counts apart): sharing with B's
         * other classes is the shared option's */
        int ra = new_row(c, NULL, GLP_UP, 0, 0);
        if (nz(c, jrow, z, -1) || nz(c, ra, z, 1) || nz(c, ra, ac, -1))
            return -1;
        if (m <= 0) {
            if (add_popt(c, z, ra, 1, 0, 0))
                return -1;
            continue;
        }
        /* -away(S) - u(S) - away(k) - u(B) + m z <= group_max + m - count(S) - stay = 0 */
        int r = new_row(c, NULL, GLP_UP, 0, gm + m - S->count - stay);
        if (nz(c, r, z, m) || nz(c, r, S->col_u, -1) || nz(c, r, S->col_up, -1) || nz(c, r, B->col_u, -1) ||
            nz(c, r, B->col_up, -1))
            return -1;
        if (add_partner_entry(c, (struct partner){ t, (int)(S - c->cl), k, -1, r, -1 }) || add_popt(c, z, ra, 1, r, m))
            return -1;
    }
    /* B with no class apart still has its shared groups to join */
    snprintf(name, sizeof name, "zs_%d_%d", t, S->key);
    int zs = new_col(c, name, GLP_BV, GLP_DB, 0, 1, 0);
    rsh = new_row(c, NULL, GLP_UP, 0, 0);
    if (nz(c, jrow, zs, -1) || nz(c, rsh, zs, 1) || nz(c, rsh, B->col_g, -1))
        return -1;
    for (int k = 0; k < s->nclasses; k++)
        if (c->apart_col[t * s->nclasses + k] &&
            cluster_key(s, s->activities[s->periods[t % c->np].care].tier, k) == B->key &&
            nz(c, rsh, c->apart_col[t * s->nclasses + k], 1))
            return -1;
    int r = 0;
    if (B->row_pack ? partner_pack(c, t, S, B, zs, &r) : partner_small(c, t, S, zs, &r))
        return -1;
    return add_popt(c, zs, rsh, 1, r, B->row_pack ? -S->count : S->count - s->policy.group_max);
}

static int build_partner_rows(cctx *c, int t)
{
    int has = 0; /* apart classes are modelled at t */
    for (int k = 0; k < c->s->nclasses && !has; k++)
        has = c->apart_col[t * c->s->nclasses + k] != 0;
    for (int j = c->slot_cl_first[t]; j < c->slot_cl_first[t + 1] && has; j++) {
        cluster *q = &c->cl[j];
        const cluster *next = q->col_e ? neighbour(c, q, +1) : NULL;
        if (!next)
            continue;
        int r = new_row(c, NULL, GLP_UP, 0, 0);
        if (pp_grow((void **)&c->pjoin, &c->cappjoin, c->npjoin + 1, sizeof *c->pjoin))
            return -1;
        c->pjoin[c->npjoin++] = (struct pjoin){ q->col_e, r, c->npopt, 0 };
        if (nz(c, r, q->col_e, 1) || add_partner(c, t, q, next, r) || add_partner(c, t, next, q, r))
            return -1;
    }
    return 0;
}

static int build_slot_rows(cctx *c)
{
    const pp_school *s = c->s;
    for (int t = 0; t < c->nt; t++) {
        int any = c->slot_cl_first[t] < c->slot_cl_first[t + 1];
        for (int k = 0; k < c->nsec && !any; k++)
            any = c->sec[k].nmax && slot_in(&c->sec[k], t);
        if (!any)
            continue;
        /* venues per type, staff per speciality; care groups take rooms of their
         * type like any group, so a course never takes the room care needs */
        for (int v = 0; v < s->nvenue_types; v++) {
            int r = 0;
            for (int j = c->slot_cl_first[t]; j < c->slot_cl_first[t + 1] && !r; j++)
                if (c->cl[j].room_type == v)
                    r = new_row(c, NULL, GLP_UP, 0, venues_free(s, v, t, c->np));
            for (int k = 0; k < c->nsec; k++)
                if (c->sec[k].nmax && slot_in(&c->sec[k], t) && s->activities[c->sec[k].act].venue_type == v) {
                    if (!r)
                        r = new_row(c, NULL, GLP_UP, 0, venues_free(s, v, t, c->np));
                    if (nz(c, r, c->sec[k].col_n, 1))
                        return -1;
                }
            if (r && add_care_groups(c, r, t, v, 1, 0))
                return -1;
        }
        c->extall_row = 0;
        if (c->extall_col[t]) {
            /* extall >= sum of ext (below), and >= non-forced posts - in-house staff there */
            c->extall_row = new_row(c, NULL, GLP_LO, 0, 0);
            int ra = new_row(c, NULL, GLP_LO, -c->staff_care[t], 0);
            if (nz(c, c->extall_row, c->extall_col[t], 1) || nz(c, ra, c->extall_col[t], 1))
                return -1;
            for (int k = 0; k < c->nsec; k++) {
                const pp_activity *ac = &s->activities[c->sec[k].act];
                if (c->sec[k].nmax && slot_in(&c->sec[k], t) &&
                    (ac->speciality < 0 || inhouse_with(c, ac->speciality, t)) &&
                    nz(c, ra, c->sec[k].col_n, -ac->staff_per_group))
                    return -1;
            }
            if (add_care_groups(c, ra, t, -2, -1, 1))
                return -1;
        }
        for (int sp = 0; sp < s->nspecialities; sp++) {
            int r = 0;
            for (int k = 0; k < c->nsec; k++) {
                const pp_activity *ac = &s->activities[c->sec[k].act];
                if (c->sec[k].nmax && slot_in(&c->sec[k], t) && ac->speciality == sp) {
                    if (!r)
                        r = new_row(c, NULL, GLP_UP, 0, staff_with(s, sp, t, c->np));
                    if (nz(c, r, c->sec[k].col_n, ac->staff_per_group))
                        return -1;
                }
            }
            int ext = c->ext_col[t * s->nspecialities + sp];
            if (ext) { /* ext >= posts - in-house staff with sp;  extall >= sum of ext */
                int re = new_row(c, NULL, GLP_LO, -inhouse_with(c, sp, t), 0);
                if (nz(c, re, ext, 1) || nz(c, c->extall_row, ext, -1))
                    return -1;
                for (int k = 0; k < c->nsec; k++) {
                    const pp_activity *ac = &s->activities[c->sec[k].act];
                    if (c->sec[k].nmax && slot_in(&c->sec[k], t) && ac->speciality == sp &&
                        nz(c, re, c->sec[k].col_n, -ac->staff_per_group))
                        return -1;
                }
            }
        }
        int rall = new_row(c, NULL, GLP_UP, 0, c->staff_all[t]);
        /* care without a speciality is led by in-house staff or volunteers only */
        int open_care = s->activities[s->periods[t % c->np].care].speciality >= 0;
        int rcare = new_row(c, NULL, GLP_UP, 0, open_care ? c->staff_all[t] : c->staff_care[t]);
        for (int k = 0; k < c->nsec; k++)
            if (c->sec[k].nmax && slot_in(&c->sec[k], t) &&
                nz(c, rall, c->sec[k].col_n, s->activities[c->sec[k].act].staff_per_group))
                return -1;
        if (add_care_groups(c, rall, t, -2, 1, 1) || add_care_groups(c, rcare, t, -2, 1, 1))
            return -1;
        for (int j = c->slot_cl_first[t]; j < c->slot_cl_first[t + 1]; j++) {
            cluster *q = &c->cl[j];
            if (q->col_j && q->count >= q->thr) {
                /* joining needs a small grade: care count = count - clubs - unserved < thr */
                double big = q->count - q->thr + 1;
                q->row_j = new_row(c, NULL, GLP_LO, 0, 0);
                if (nz(c, q->row_j, q->col_j, -big) || nz(c, q->row_j, q->col_u, 1) || nz(c, q->row_j, q->col_up, 1))
                    return -1;
            }
            if (build_join_rows(c, q))
                return -1;
            q->row = new_row(c, NULL, GLP_LO, q->count, 0);
            if (nz(c, q->row, q->col_g, q->cap) || nz(c, q->row, q->col_u, 1) || nz(c, q->row, q->col_up, 1))
                return -1;
        }
        if (build_fixed_care_rows(c, t) || build_apart_rows(c, t) || build_partner_rows(c, t))
            return -1;
    }
    if (build_window_rows(c))
        return -1;
    /* care rows: students of the cluster who are at a club at that slot */
    for (int e = 0; e < c->nedge; e++) {
        const section *sk = &c->sec[c->edge[e].sec];
        for (int i = 0; i < sk->nslots; i++) {
            int j = cluster_of(c, c->edge[e].stu, sk->slot[i]);
            if (j >= 0 && c->cl[j].row && nz(c, c->cl[j].row, c->edge[e].col, 1))
                return -1;
            if (j >= 0 && c->cl[j].row_j && nz(c, c->cl[j].row_j, c->edge[e].col, 1))
                return -1;
            for (int w = 0; j >= 0 && w < c->cl[j].nwin; w++)
                if (nz(c, c->cl[j].win[w], c->edge[e].col, 1))
                    return -1;
            size_t at = (size_t)sk->slot[i] * s->nclasses + s->students[c->edge[e].stu].cls;
            int ar = c->apart_row[at];
            if (ar && (nz(c, ar, c->edge[e].col, 1) ||
                       (c->shared_row[at] && nz(c, c->shared_row[at], c->edge[e].col, 1))))
                return -1;
            if (!ar && j >= 0 && c->cl[j].row_pack && nz(c, c->cl[j].row_pack, c->edge[e].col, 1))
                return -1;
            if (j >= 0 && c->cl[j].row_alone && !c->alone_cls[at] && nz(c, c->cl[j].row_alone, c->edge[e].col, 1))
                return -1;
            for (int q = 0; q < c->npartner; q++) {
                const struct partner *pr = &c->partner[q];
                if (pr->t == sk->slot[i] &&
                    (pr->cl == j || pr->cls == s->students[c->edge[e].stu].cls || (pr->pack >= 0 && pr->pack == j && !ar)) &&
                    nz(c, pr->row, c->edge[e].col, pr->coef))
                    return -1;
            }

        }
    }
    return 0;
}

static int build_load_row(cctx *c)
{
    const pp_school *s = c->s;
    long cap = 0;
    for (int i = 0; i < s->nstaff; i++)
        cap += s->staff[i].max_sessions;
    cap -= c->ctx->nonclub_staff_sessions;
    if (cap < 0)
        return 0; /* already short without clubs: the staff stage reports it */
    int r = new_row(c, "weekly_load", GLP_UP, 0, (double)cap);
    for (int k = 0; k < c->nsec; k++)
        if (c->sec[k].nmax &&
            nz(c, r, c->sec[k].col_n, s->activities[c->sec[k].act].staff_per_group * c->sec[k].nslots))
            return -1;
    for (int t = 0; t < c->nt; t++)
        if (add_care_groups(c, r, t, -2, 1, 1))
            return -1;
    return 0;
}

/* Re-plan: the published club groups of activity a at slot t that continue are
 * at most the new groups there, kept <= sum n, and at most their number m; each
 * is worth w_group_changed back from the constant, which counts all m as changed
 * (perturb.h).  A lower bound on the changes: venue and staff may change later. */
static int build_kept(cctx *c)
{
    const pp_school *s = c->s;
    char name[64];
    for (int a = 0; a < s->nactivities; a++)
        for (int t = 0; t < c->nt; t++) {
            int m = pp_perturb_club_groups(c->ctx->pert, a, t);
            if (!m)
                continue;
            if (pp_grow((void **)&c->kept, &c->capkept, c->nkept + 1, sizeof *c->kept))
                return -1;
            snprintf(name, sizeof name, "kept_%d_%d", a, t);
            int col = new_col(c, name, GLP_CV, GLP_DB, 0, m, -s->policy.w_group_changed);
            int r = new_row(c, NULL, GLP_UP, 0, 0);
            if (nz(c, r, col, 1))
                return -1;
            for (int k = 0; k < c->nsec; k++)
                if (c->sec[k].nmax && c->sec[k].act == a && slot_in(&c->sec[k], t) && nz(c, r, c->sec[k].col_n, -1))
                    return -1;
            c->kept[c->nkept++] = (struct kept){ col, a, t, m };
        }
    c->ncols = glp_get_num_cols(c->lp);
    return 0;
}

static int build_program(cctx *c)
{
    c->lp = glp_create_prob();
    glp_set_prob_name(c->lp, "paipian_clubs");
    glp_set_obj_dir(c->lp, GLP_MIN);
    build_columns(c);
    if (build_student_rows(c) || build_section_rows(c) || build_slot_rows(c) || build_load_row(c) ||
        build_flow_rows(c) || (c->ctx->pert && build_kept(c)))
        return -1;
    c->ncols = glp_get_num_cols(c->lp); /* the rows add columns of their own (build_partner_rows) */
    if (c->nnz)
        glp_load_matrix(c->lp, c->nnz, c->ia, c->ja, c->ar);
    glp_set_obj_coef(c->lp, 0, c->constant);
    return 0;
}

static int assign_fixed(cctx *c, const int *ng, char *on);

/* ---------- greedy first plan --------------------------------------------- */

typedef struct {
    int *ng, *cnt;              /* per section: open groups, students */
    int *taken;                 /* per student: activities granted */
    char *on;                   /* per edge: chosen */
    int *venue_left;            /* [t * nvenue_types + v] */
    int *spec_left;             /* [t * nspecialities + sp] */
    int *staff_left;            /* [t]: staff not leading a club group */
    int *away;                  /* per care cluster: its students at a club then */
    long load_left;             /* weekly sessions not taken by club groups */
} greedy;

/* Puts edge e on or off, keeping the counts that depend on it. */
static void g_set(const cctx *c, greedy *g, int e, int on)
{
    if (g->on[e] == on)
        return;
    int d = on ? 1 : -1;
    const edge *ed = &c->edge[e];
    const section *sk = &c->sec[ed->sec];
    g->on[e] = (char)on;
    g->cnt[ed->sec] += d;
    g->taken[ed->stu] += d;
    for (int i = 0; i < sk->nslots; i++) {
        int j = cluster_of(c, ed->stu, sk->slot[i]);
        if (j >= 0)
            g->away[j] += d;
    }
}

/* Staff posts the care groups of slot t need with the students now at clubs
 * (the program's rows). */
static int g_care_need(const cctx *c, const greedy *g, int t)
{
    int need = 0;
    for (int j = c->slot_cl_first[t]; j < c->slot_cl_first[t + 1]; j++) {
        int left = c->cl[j].count - g->away[j];
        int n = left > 0 ? (left + c->cl[j].cap - 1) / c->cl[j].cap : 0;
        need += (n > c->cl[j].fixlb ? n : c->cl[j].fixlb) * c->cl[j].spg;
    }
    return need;
}

static int g_can_open(const cctx *c, greedy *g, int k)
{
    const pp_school *s = c->s;
    const section *sk = &c->sec[k];
    const pp_activity *ac = &s->activities[sk->act];
    if (g->ng[k] >= sk->nmax)
        return 0;
    /* a new group takes about one care group's students out of care: count on that,
     * and let g_fix_staff close groups where the hope fails */
    long care = -sk->nslots;
    for (int t = 0; t < c->nt; t++)
        care += g_care_need(c, g, t);
    if (g->load_left - care < (long)ac->staff_per_group * sk->nslots)
        return 0;
    for (int i = 0; i < sk->nslots; i++) {
        int t = sk->slot[i];
        if (g->venue_left[t * s->nvenue_types + ac->venue_type] < 1 ||
            g->staff_left[t] - (g_care_need(c, g, t) - 1) < ac->staff_per_group)
            return 0;
        if (ac->speciality >= 0 && g->spec_left[t * s->nspecialities + ac->speciality] < ac->staff_per_group)
            return 0;
    }
    return 1;
}

static void g_open(const cctx *c, greedy *g, int k, int delta)
{
    const pp_school *s = c->s;
    const section *sk = &c->sec[k];
    const pp_activity *ac = &s->activities[sk->act];
    g->ng[k] += delta;
    g->load_left -= (long)delta * ac->staff_per_group * sk->nslots;
    for (int i = 0; i < sk->nslots; i++) {
        int t = sk->slot[i];
        g->venue_left[t * s->nvenue_types + ac->venue_type] -= delta;
        g->staff_left[t] -= delta * ac->staff_per_group;
        if (ac->speciality >= 0)
            g->spec_left[t * s->nspecialities + ac->speciality] -= delta * ac->staff_per_group;
    }
}

static int g_conflicts(const cctx *c, greedy *g, int e)
{
    const edge *ed = &c->edge[e];
    if (g->taken[ed->stu] >= c->s->policy.max_activities_per_student)
        return 1;
    for (int f = c->stu_first[ed->stu]; f < c->stu_first[ed->stu + 1]; f++) {
        if (!g->on[f])
            continue;
        if (c->edge[f].rank == ed->rank)
            return 1;
        const section *a = &c->sec[c->edge[f].sec], *b = &c->sec[ed->sec];
        for (int i = 0; i < a->nslots; i++)
            if (slot_in(b, a->slot[i]))
                return 1;
    }
    return 0;
}

/* Students in order: priority first, then those with fewest options, then index. */
static int *g_order(const cctx *c)
{
    const pp_school *s = c->s;
    int n = s->nstudents, *ord = malloc((size_t)(n > 0 ? n : 1) * sizeof *ord);
    if (!ord)
        return NULL;
    int k = 0;
    for (int pass = 0; pass < 2; pass++)
        for (int deg = 1; deg <= 64; deg++)
            for (int i = 0; i < n; i++) {
                int d = c->stu_first[i + 1] - c->stu_first[i];
                d = d > 64 ? 64 : d;
                if (d == deg && (s->students[i].priority != 0) == (pass == 0))
                    ord[k++] = i;
            }
    for (int i = k; i < n; i++)
        ord[i] = -1;
    return ord;
}

static void g_assign(const cctx *c, greedy *g, const int *ord)
{
    for (int q = 0; q < c->s->nstudents && ord[q] >= 0; q++) {
        int i = ord[q];
        for (int e = c->stu_first[i]; e < c->stu_first[i + 1]; e++) {
            int k = c->edge[e].sec;
            if (g->on[e] || !g->ng[k] || g->cnt[k] >= g->ng[k] * c->sec[k].max || g_conflicts(c, g, e))
                continue;
            g_set(c, g, e, 1);
        }
    }
}

/* Closes groups below the minimum; returns whether anything changed. */
static int g_close_small(const cctx *c, greedy *g)
{
    int changed = 0;
    for (int k = 0; k < c->nsec; k++) {
        const section *sk = &c->sec[k];
        if (!g->ng[k] || g->cnt[k] >= sk->min * g->ng[k])
            continue;
        int keep = g->cnt[k] / sk->min;
        if (keep * sk->max < g->cnt[k])
            keep = 0;
        g_open(c, g, k, keep - g->ng[k]);
        changed = 1;
        if (keep)
            continue;
        for (int e = 0; e < c->nedge; e++)
            if (g->on[e] && c->edge[e].sec == k)
                g_set(c, g, e, 0);
    }
    return changed;
}

/* Where clubs leave too few staff for care (the hope of g_can_open failed, or the
 * week's load is short), closes the emptiest group there and re-places its students. */
static int g_fix_staff(const cctx *c, greedy *g, const int *ord)
{
    int changed = 0;
    for (int guard = 0; guard < 10000; guard++) {
        long week = 0;
        int bad = -1;
        for (int t = 0; t < c->nt; t++) {
            int need = g_care_need(c, g, t);
            week += need;
            if (bad < 0 && need > g->staff_left[t] && need <= c->staff_care[t])
                bad = t; /* clubs, not a shortage of carers, are the cause */
        }
        int worst = -1;
        for (int k = 0; k < c->nsec; k++)
            if (g->ng[k] && (bad < 0 ? week > g->load_left : slot_in(&c->sec[k], bad)) &&
                (worst < 0 || g->cnt[k] * c->sec[worst].max < g->cnt[worst] * c->sec[k].max))
                worst = k;
        if ((bad < 0 && week <= g->load_left) || worst < 0)
            break;
        g_open(c, g, worst, -1);
        int room = g->ng[worst] * c->sec[worst].max;
        for (int e = c->nedge - 1; e >= 0 && g->cnt[worst] > room; e--)
            if (g->on[e] && c->edge[e].sec == worst)
                g_set(c, g, e, 0);
        g_assign(c, g, ord);
        for (int it = 0; it < 100 && g_close_small(c, g); it++)
            g_assign(c, g, ord);
        changed = 1;
    }
    return changed;
}

/* Opens sections for the students still wanting one, most wanted first.  The
 * first round counts only each student's best open-able choice (so first choices
 * open first); later rounds count every choice of the students still without one,
 * so a club that is everyone's second choice opens too. */
static int g_open_by_demand(const cctx *c, greedy *g, int any_rank)
{
    double *dem = calloc((size_t)c->nsec, sizeof *dem);
    int *cntd = calloc((size_t)c->nsec + 1, sizeof *cntd);
    if (!dem || !cntd) {
        free(dem);
        free(cntd);
        return 0;
    }
    const pp_policy *pol = &c->s->policy;
    for (int i = 0; i < c->s->nstudents; i++) {
        if (g->taken[i] >= desired(c->s, i))
            continue;
        for (int e = c->stu_first[i]; e < c->stu_first[i + 1]; e++) {
            int k = c->edge[e].sec;
            int full = g->cnt[k] >= g->ng[k] * c->sec[k].max && g->ng[k] >= c->sec[k].nmax;
            if (!g->on[e] && !full && !g_conflicts(c, g, e)) {
                /* what opening k would gain for this student */
                dem[k] += (pol->w_no_choice - rank_weight(pol, c->edge[e].rank)) * prio_factor(c->s, i);
                cntd[k]++;
                if (!any_rank)
                    break;
            }
        }
    }
    int best = -1;
    for (int k = 0; k < c->nsec; k++) {
        int spare = g->ng[k] * c->sec[k].max - g->cnt[k];
        if (cntd[k] - spare >= c->sec[k].min && g_can_open(c, g, k) && (best < 0 || dem[k] > dem[best]))
            best = k;
    }
    if (best >= 0)
        g_open(c, g, best, 1);
    free(dem);
    free(cntd);
    return best >= 0;
}

/* The external-post columns of slot t in plan x: the least the rows allow. */
static double start_external_posts(const cctx *c, double *x, int t)
{
    const pp_school *s = c->s;
    double sum = 0, all = -c->staff_care[t];
    for (int sp = 0; sp < s->nspecialities; sp++) {
        int col = c->ext_col[t * s->nspecialities + sp];
        if (!col)
            continue;
        double posts = start_posts(c, x, sp, t) - inhouse_with(c, sp, t);
        x[col] = posts > 0 ? posts : 0;
        sum += x[col];
    }
    for (int k = 0; k < c->nsec; k++) {
        const pp_activity *ac = &s->activities[c->sec[k].act];
        if (c->sec[k].nmax && slot_in(&c->sec[k], t) && (ac->speciality < 0 || inhouse_with(c, ac->speciality, t)))
            all += x[c->sec[k].col_n] * ac->staff_per_group;
    }
    for (int j = c->slot_cl_first[t]; j < c->slot_cl_first[t + 1]; j++)
        all += x[c->cl[j].col_g];
    return sum > all ? sum : (all > 0 ? all : 0);
}

/* Sets the apart columns of cluster q in the start plan x from its classes'
 * students at clubs and its unserved students; returns how many are set (the
 * fewest groups the apart rows then allow the cluster). */
static int start_apart(const cctx *c, double *x, const int *away_cls, const cluster *q, int unserved)
{
    const pp_school *s = c->s;
    int t = q->t, n = 0, p = t % c->np;
    double shared = 0, away_rest = 0;
    for (int k = 0; k < s->nclasses; k++) {
        size_t at = (size_t)t * s->nclasses + k;
        if (cluster_key(s, s->activities[s->periods[p].care].tier, k) != q->key)
            continue;
        double away = away_cls[at] + unserved, stay = c->stayers[at], care = stay - away > 0 ? stay - away : 0;
        if (!c->alone_cls[at])
            away_rest += away_cls[at];
        if (c->apart_col[at]) {
            x[c->apart_col[at]] = away < glp_get_row_lb(c->lp, c->apart_row[at]);
            n += (int)x[c->apart_col[at]];
            x[c->shared_col[at]] = x[c->apart_col[at]] ? 0 : care;
            shared += x[c->shared_col[at]];
        } else
            shared += care;
    }
    if (q->row_alone) { /* cap (g - alone) >= the others' care */
        double cap = q->alone_cap;
        int need = (int)ceil((glp_get_row_lb(c->lp, q->row_alone) - unserved - away_rest) / cap - 1e-9);
        n = need > n ? need : n;
    }
    if (!q->row_pack)
        return n;
    int need = (int)ceil(shared / s->policy.group_max - 1e-9);
    for (int k = 0; k < s->nclasses; k++)
        need += c->apart_col[t * s->nclasses + k] && cluster_key(s, s->activities[s->periods[p].care].tier, k) == q->key &&
                x[c->apart_col[t * s->nclasses + k]] > 0.5;
    return need > n ? need : n;
}

/* How far row r (0: none) is from its bounds at x: below its lower or above its upper. */
static double row_lack(const cctx *c, const double *x, int r)
{
    if (!r)
        return 0;
    int n = glp_get_mat_row(c->lp, r, NULL, NULL);
    int *ind = malloc((size_t)(n + 1) * sizeof *ind);
    double *val = malloc((size_t)(n + 1) * sizeof *val), act = 0;
    if (!ind || !val) {
        free(ind);
        free(val);
        return 0;
    }
    n = glp_get_mat_row(c->lp, r, ind, val);
    for (int i = 1; i <= n; i++)
        act += val[i] * x[ind[i]];
    free(ind);
    free(val);
    int ty = glp_get_row_type(c->lp, r);
    double lack = 0;
    if (ty == GLP_LO || ty == GLP_DB || ty == GLP_FX)
        lack = glp_get_row_lb(c->lp, r) - act;
    if (ty == GLP_UP || ty == GLP_DB || ty == GLP_FX)
        lack = fmax(lack, act - glp_get_row_ub(c->lp, r));
    return lack;
}

/* Cluster q's unserved students in x: ordinary students first, priority ones last. */
static void start_unserved(double *x, const cluster *q, int unserved)
{
    int u = unserved < q->count - q->prio ? unserved : q->count - q->prio;
    x[q->col_u] = u;
    x[q->col_up] = unserved - u;
}

static void g_fill_start(cctx *c, greedy *g)
{
    const pp_school *s = c->s;
    double *x = c->start;
    for (int e = 0; e < c->nedge; e++)
        x[c->edge[e].col] = g->on[e];
    for (int k = 0; k < c->nsec; k++) {
        if (!c->sec[k].nmax)
            continue;
        /* as few groups as hold the students; a re-plan keeps the parallel groups opened */
        int need = (g->cnt[k] + c->sec[k].max - 1) / c->sec[k].max;
        if (c->ctx->pert && g->ng[k] > need && g->cnt[k] >= g->ng[k] * c->sec[k].min)
            need = g->ng[k];
        x[c->sec[k].col_n] = need;
        x[c->sec[k].col_o] = need > 0;
    }
    int *away = calloc((size_t)(c->ncl > 0 ? c->ncl : 1), sizeof *away);
    int *away_cls = calloc((size_t)c->nt * (size_t)s->nclasses + 1, sizeof *away_cls);
    if (!away || !away_cls) {
        free(away);
        free(away_cls);
        return;
    }
    for (int e = 0; e < c->nedge; e++)
        if (g->on[e]) {
            const section *sk = &c->sec[c->edge[e].sec];
            for (int i = 0; i < sk->nslots; i++) {
                int j = cluster_of(c, c->edge[e].stu, sk->slot[i]);
                if (j >= 0)
                    away[j]++;
                away_cls[sk->slot[i] * s->nclasses + s->students[c->edge[e].stu].cls]++;
            }
        }
    int gmax = s->policy.group_max;
    int *rooms = malloc((size_t)(s->nvenue_types + 1) * sizeof *rooms);
    for (int t = 0; t < c->nt && rooms; t++) {
        int used = 0;
        for (int v = 0; v < s->nvenue_types; v++)
            rooms[v] = venues_free(s, v, t, c->np);
        for (int k = 0; k < c->nsec; k++)
            if (c->sec[k].nmax && slot_in(&c->sec[k], t)) {
                used += (int)x[c->sec[k].col_n] * s->activities[c->sec[k].act].staff_per_group;
                rooms[s->activities[c->sec[k].act].venue_type] -= (int)x[c->sec[k].col_n];
            }
        int room = c->staff_all[t] - used < c->staff_care[t] ? c->staff_all[t] - used : c->staff_care[t];
        for (int j = c->slot_cl_first[t]; j < c->slot_cl_first[t + 1]; j++) {
            cluster *q = &c->cl[j];
            int left = q->count - away[j];
            int gr = (left + q->cap - 1) / q->cap;
            /* the window row of one grade: merged groups hold group_max */
            int gw = q->cap > gmax && left - q->excess > 0 ? (left - q->excess + gmax - 1) / gmax : 0;
            gr = gw > gr ? gw : gr;
            gr = q->fixlb > gr ? q->fixlb : gr;
            int apart = start_apart(c, x, away_cls, q, 0);
            gr = apart > gr ? apart : gr;
            int fit = room / q->spg;
            if (q->room_type >= 0 && rooms[q->room_type] < fit)
                fit = rooms[q->room_type];
            if (gr > fit)
                gr = fit > 0 ? fit : 0;
            room -= gr * q->spg;
            if (q->room_type >= 0)
                rooms[q->room_type] -= gr;
            int over = left - gr * q->cap, overw = q->cap > gmax ? left - q->excess - gr * gmax : 0;
            int unserved = over > overw ? over : overw;
            unserved = unserved > q->fixlb - gr ? unserved : q->fixlb - gr;
            unserved = unserved > 0 ? unserved : 0;
            x[q->col_g] = gr;
            start_unserved(x, q, unserved);
            start_apart(c, x, away_cls, q, unserved);
            /* groups cut by the rooms or staff left: the alone and packing rows
             * then need their shortfall unserved too (r23: no start plan at all) */
            for (int it = 0; it <= q->count && unserved < q->count; it++) {
                double lack = fmax(row_lack(c, x, q->row_alone), row_lack(c, x, q->row_pack));
                if (lack <= 1e-9 && row_lack(c, x, q->row_apart) <= 1e-9)
                    break;
                /* more classes apart than groups: one more unserved at a time
                 * until enough of them fall below the apart size */
                unserved += lack > 1 ? (int)ceil(lack - 1e-9) : 1;
                unserved = unserved < q->count ? unserved : q->count;
                start_unserved(x, q, unserved);
                start_apart(c, x, away_cls, q, unserved);
            }
        }
    }
    free(rooms);
    free(away);
    free(away_cls);
    for (int t = 0; t < c->nt; t++)
        if (c->extall_col[t])
            x[c->extall_col[t]] = start_external_posts(c, x, t);
    start_flow(c, x);
    for (int q = 0; q < c->nkept; q++) { /* re-plan: as many continue as the groups there allow */
        double n = 0;
        const struct kept *kp = &c->kept[q];
        for (int k = 0; k < c->nsec; k++)
            if (c->sec[k].nmax && c->sec[k].act == kp->act && slot_in(&c->sec[k], kp->t))
                n += x[c->sec[k].col_n];
        x[kp->col] = n < kp->m ? n : kp->m;
    }
}

/* Whether row r keeps its bounds at activity a. */
static int row_holds(const cctx *c, int r, double a)
{
    int ty = glp_get_row_type(c->lp, r);
    return !((ty == GLP_LO || ty == GLP_DB || ty == GLP_FX) && a < glp_get_row_lb(c->lp, r) - 1e-6) &&
           !((ty == GLP_UP || ty == GLP_DB || ty == GLP_FX) && a > glp_get_row_ub(c->lp, r) + 1e-6);
}

/* The partner of each join a start makes (its z are 0 on entry, act its row
 * activities): the first option whose rows hold, as the starts know nothing of
 * partners (the greedy packs care exactly, so one exists; an LP rounding may
 * have none, and is then no start). */
static void start_partners(cctx *c, double *act)
{
    for (int j = 0; j < c->npjoin; j++) {
        const struct pjoin *pj = &c->pjoin[j];
        if (c->start[pj->e] < 0.5)
            continue;
        for (int q = pj->first; q < pj->first + pj->n; q++) {
            const struct popt *o = &c->popt[q];
            int fits = 1;
            for (int i = 0; i < o->nrow && fits; i++)
                fits = row_holds(c, o->row[i], act[o->row[i]] + o->coef[i]);
            if (!fits)
                continue;
            c->start[o->z] = 1;
            for (int i = 0; i < o->nrow; i++)
                act[o->row[i]] += o->coef[i];
            act[pj->row] -= 1;
            break;
        }
    }
}

/* Whether the start point keeps every row and bound (GLPK does not check a
 * solution handed to glp_ios_heur_sol against the rows). */
static int start_feasible(cctx *c)
{
    int m = glp_get_num_rows(c->lp);
    double *act = calloc((size_t)m + 1, sizeof *act);
    if (!act)
        return 0;
    for (int q = 0; q < c->npopt; q++)
        c->start[c->popt[q].z] = 0;
    for (int i = 1; i <= c->nnz; i++)
        act[c->ia[i]] += c->ar[i] * c->start[c->ja[i]];
    start_partners(c, act);
    int ok = 1;
    for (int r = 1; r <= m && ok; r++) {
        int ty = glp_get_row_type(c->lp, r);
        double lo = glp_get_row_lb(c->lp, r), hi = glp_get_row_ub(c->lp, r);
        if ((ty == GLP_LO || ty == GLP_DB || ty == GLP_FX) && act[r] < lo - 1e-6)
            ok = 0;
        if ((ty == GLP_UP || ty == GLP_DB || ty == GLP_FX) && act[r] > hi + 1e-6)
            ok = 0;
    }
    for (int j = 1; j <= c->ncols && ok; j++) {
        int ty = glp_get_col_type(c->lp, j);
        double lo = glp_get_col_lb(c->lp, j), hi = glp_get_col_ub(c->lp, j);
        if ((ty != GLP_FR && ty != GLP_UP && c->start[j] < lo - 1e-9) ||
            ((ty == GLP_UP || ty == GLP_DB || ty == GLP_FX) && c->start[j] > hi + 1e-9))
            ok = 0;
    }
    free(act);
    return ok;
}

static void greedy_free(greedy *g)
{
    free(g->ng);
    free(g->cnt);
    free(g->taken);
    free(g->on);
    free(g->venue_left);
    free(g->spec_left);
    free(g->staff_left);
    free(g->away);
}

static int greedy_init(const cctx *c, greedy *g, int whole)
{
    const pp_school *s = c->s;
    int nt = c->nt;
    memset(g, 0, sizeof *g);
    g->ng = calloc((size_t)c->nsec + 1, sizeof(int));
    g->cnt = calloc((size_t)c->nsec + 1, sizeof(int));
    g->taken = calloc((size_t)s->nstudents + 1, sizeof(int));
    g->on = calloc((size_t)c->nedge + 1, 1);
    g->venue_left = calloc((size_t)nt * (s->nvenue_types + 1), sizeof(int));
    g->spec_left = calloc((size_t)nt * (s->nspecialities + 1), sizeof(int));
    g->staff_left = calloc((size_t)nt, sizeof(int));
    g->away = calloc((size_t)c->ncl + 1, sizeof(int));
    if (!g->ng || !g->cnt || !g->taken || !g->on || !g->venue_left || !g->spec_left || !g->staff_left || !g->away)
        return -1;
    long cap = 0;
    for (int i = 0; i < s->nstaff; i++)
        cap += s->staff[i].max_sessions;
    g->load_left = cap - c->ctx->nonclub_staff_sessions;
    for (int t = 0; t < nt; t++) {
        for (int v = 0; v < s->nvenue_types; v++)
            g->venue_left[t * s->nvenue_types + v] = venues_free(s, v, t, c->np);
        for (int sp = 0; sp < s->nspecialities; sp++)
            g->spec_left[t * s->nspecialities + sp] = staff_with(s, sp, t, c->np);
        g->staff_left[t] = c->staff_all[t]; /* care is counted live, see g_care_need */
        /* care's rooms stay with care as if nobody went to a club; `whole`: in
         * whole classes (r23: the reserve of count / cap left the start 2-4 rooms
         * short at 6 slots and no start plan at all; where it does fit, it opens
         * more clubs: r22 1.2% against 11.6% with whole classes alone) */
        for (int j = c->slot_cl_first[t]; j < c->slot_cl_first[t + 1]; j++)
            if (c->cl[j].room_type >= 0) {
                int need = (c->cl[j].count + c->cl[j].cap - 1) / c->cl[j].cap;
                need = whole && c->cl[j].alllb > need ? c->cl[j].alllb : need;
                g->venue_left[t * s->nvenue_types + c->cl[j].room_type] -= need;
            }
    }
    return 0;
}

/* Opens groups for whoever still wants one, closes what falls below a minimum or
 * squeezes care, then gives the open groups their best assignment (one LP). */
static void greedy_complete(cctx *c, greedy *g, const int *ord, int rounds)
{
    for (int round = 0; round < rounds; round++) {
        for (int guard = 0; guard < 100000 && g_open_by_demand(c, g, round > 0); guard++)
            g_assign(c, g, ord);
        for (int it = 0; it < 100 && g_close_small(c, g); it++)
            g_assign(c, g, ord);
        g_fix_staff(c, g, ord);
    }
    char *best = calloc((size_t)c->nedge + 1, 1);
    if (best && c->ncols > 0 && assign_fixed(c, g->ng, best) == 0)
        for (int e = 0; e < c->nedge; e++)
            g_set(c, g, e, best[e]);
    free(best);
}

static double start_objective(const cctx *c, const double *x)
{
    double z = c->constant;
    for (int j = 1; j <= c->ncols; j++)
        z += glp_get_obj_coef(c->lp, j) * x[j];
    return z;
}

/* Makes a plan from g into a fresh column vector; keeps it as the start when it
 * keeps every row and beats the start there is. */
static int offer_start(cctx *c, greedy *g)
{
    double *old = c->start;
    int old_ok = c->start_ok;
    c->start = calloc((size_t)c->ncols + 1, sizeof *c->start);
    if (!c->start) {
        c->start = old;
        return -1;
    }
    g_fill_start(c, g);
    c->start_ok = start_feasible(c);
    if (old && (!c->start_ok || (old_ok && start_objective(c, old) <= start_objective(c, c->start)))) {
        free(c->start);
        c->start = old;
        c->start_ok = old_ok;
    } else
        free(old);
    return 0;
}

static int run_greedy(cctx *c)
{
    greedy g;
    int *ord = g_order(c);
    int rc = -1;
    if (!ord)
        return -1;
    /* rooms kept for care by count, then by whole classes; offer_start keeps the better plan */
    for (int whole = 0; whole < 2; whole++) {
        rc = -1;
        if (!greedy_init(c, &g, whole)) {
            greedy_complete(c, &g, ord, 3);
            rc = offer_start(c, &g);
        }
        greedy_free(&g);
        if (rc)
            break;
    }
    free(ord);
    return rc;
}

/* Re-plan: the published plan as a start.  Per section its parallel groups open
 * where the resources allow, with its students who keep their entry; groups left
 * below their minimum close; then the transportation LP, whose edges carry the
 * charges, assigns the openings (it moves nobody it need not). */
static int run_previous(cctx *c)
{
    greedy g;
    int *ord = g_order(c), rc = -1;
    char *on = calloc((size_t)c->nedge + 1, 1);
    int *keep = malloc((size_t)(c->nedge + 1) * sizeof *keep), nkeep = 0; /* edges keeping an entry, by section */
    if (!ord || !on || !keep || greedy_init(c, &g, 0))
        goto out;
    for (int e = 0; e < c->nedge; e++) {
        const section *sk = &c->sec[c->edge[e].sec];
        if (pp_perturb_keeps(c->ctx->pert, c->edge[e].stu, sk->act, sk->slot, sk->nslots))
            keep[nkeep++] = e;
    }
    for (int a = 1; a < nkeep; a++) /* insertion sort by section (edges come by student) */
        for (int b = a; b > 0 && c->edge[keep[b - 1]].sec > c->edge[keep[b]].sec; b--) {
            int t = keep[b];
            keep[b] = keep[b - 1];
            keep[b - 1] = t;
        }
    for (int k = 0, q = 0; k < c->nsec; k++) {
        const section *sk = &c->sec[k];
        int want = sk->nmax ? pp_perturb_weekly_groups(c->ctx->pert, sk->act, sk->slot, sk->nslots, sk->grade) : 0;
        while (g.ng[k] < want && g_can_open(c, &g, k))
            g_open(c, &g, k, 1);
        for (; q < nkeep && c->edge[keep[q]].sec == k; q++)
            if (g.cnt[k] < g.ng[k] * sk->max && !g_conflicts(c, &g, keep[q]))
                g_set(c, &g, keep[q], 1);
    }
    for (int it = 0; it < 100 && g_close_small(c, &g); it++)
        ;
    if (g_fix_staff(c, &g, ord))
        for (int it = 0; it < 100 && g_close_small(c, &g); it++)
            ;
    if (assign_fixed(c, g.ng, on) == 0)
        for (int e = 0; e < c->nedge; e++)
            g_set(c, &g, e, on[e]);
    rc = offer_start(c, &g);
out:
    greedy_free(&g);
    free(ord);
    free(on);
    free(keep);
    return rc;
}

/* LP rounding: open what the root LP opens (rounded, most open first, within the
 * resources), then complete and repair as the greedy does.  The LP sees which
 * openings serve everyone together, which a one-at-a-time greedy cannot. */
static int run_lp_rounding(cctx *c, double up)
{
    greedy g;
    int *ord = g_order(c), rc = -1;
    int *by = malloc((size_t)(c->nsec + 1) * sizeof *by);
    if (!ord || !by || greedy_init(c, &g, 0))
        goto out;
    int n = 0;
    for (int k = 0; k < c->nsec; k++)
        if (c->sec[k].nmax)
            by[n++] = k;
    for (int a = 1; a < n; a++) /* insertion sort: LP value descending */
        for (int b = a; b > 0 && glp_get_col_prim(c->lp, c->sec[by[b - 1]].col_n) <
                                     glp_get_col_prim(c->lp, c->sec[by[b]].col_n); b--) {
            int tmp = by[b];
            by[b] = by[b - 1];
            by[b - 1] = tmp;
        }
    for (int q = 0; q < n; q++) {
        int k = by[q];
        int want = (int)floor(glp_get_col_prim(c->lp, c->sec[k].col_n) + 1 - up);
        while (g.ng[k] < want && g_can_open(c, &g, k))
            g_open(c, &g, k, 1);
    }
    g_assign(c, &g, ord);
    greedy_complete(c, &g, ord, 2);
    rc = offer_start(c, &g);
out:
    greedy_free(&g);
    free(ord);
    free(by);
    return rc;
}

/* GLPK's MIP presolver pays on large programs (measured: 1,500 students 9.5 s
 * instead of 13 s to the same plan; 3,600 students bound 9,339 instead of 9,208
 * after 30 s) and costs on small ones (300 students: 1.8 s instead of 0.2 s, as
 * the greedy plan cannot be handed in): used from this many columns on. */
#define PP_PRESOLVE_MIN_COLS 3000

/* Share of the time left after the LP roundings that fix-and-optimise may use. */
#define PP_LNS_SHARE 0.35

static int use_presolve(const cctx *c)
{
    return c->prm->presolve && c->ncols >= PP_PRESOLVE_MIN_COLS;
}

/* Whether the search must end now: the time is up or the user asked to stop. */
static int stopped(const cctx *c)
{
    if (pp_clock() >= c->ctx->deadline || (c->prm->interrupt && *c->prm->interrupt))
        return 1;
    if (c->lns_stop >= 0) { /* a helper: the search closed its end, or ended */
        struct pollfd pf = { .fd = c->lns_stop, .events = POLLIN };
        return poll(&pf, 1, 0) > 0;
    }
    return 0;
}

/* ---------- search --------------------------------------------------------- */

static void report(cctx *c, double obj, double bound, int force)
{
    double now = pp_clock();
    if (!force && now - c->last_print < 1.0)
        return;
    c->last_print = now;
    if (c->prm_quiet)
        return;
    if (c->lns_obj < obj)
        obj = c->lns_obj;
    pp_progress pr = { now - c->ctx->start, obj + c->ctx->const_cost, bound + c->ctx->const_bound, "clubs", obj, bound };
    if (c->prm->progress)
        c->prm->progress(c->prm->progress_ctx, &pr);
}

static void lns_poll(cctx *c);
static int write_all(int fd, const void *buf, size_t n);

/* Whether the plan, with the parts solved apart and what the later stages were
 * seen to add (ctx->later_excess), is within the gap the user asked for.  GLPK's
 * own gap target is a tenth of the user's, for the later stages' sake; once the
 * user's gap is met, searching on buys nothing asked for (500 students: 12 s
 * instead of 45). */
static int whole_gap_met(const cctx *c, double inc)
{
    if (c->lns_obj < inc)
        inc = c->lns_obj;
    if (isnan(inc) || !isfinite(c->best_bound))
        return 0;
    double obj = inc + c->ctx->const_cost + c->ctx->later_excess, bound = c->best_bound + c->ctx->const_bound;
    return obj - bound <= c->prm->gap * fmax(fabs(obj), 1e-9);
}

static void callback(glp_tree *tree, void *info)
{
    cctx *c = info;
    int reason = glp_ios_reason(tree);
    double now = pp_clock();
    if (c->cut_start >= 0 && now - c->cut_start > c->cut_longest)
        c->cut_longest = now - c->cut_start;
    c->cut_start = -1;
    if (reason == GLP_ICUTGEN) {
        /* GLPK's own cut generators run after this call and cannot be stopped:
         * measured on 3,600 students, rounds at the root took 0.5-1 s and then
         * one took 19 s, 12 s past the deadline.  Start a round only with three
         * times the longest so far left, and at least 15% of the search budget;
         * otherwise the search ends here, a little early rather than late. */
        double budget = c->ctx->deadline - c->ctx->start, need = 3 * c->cut_longest;
        need = need > 0.15 * budget ? need : 0.15 * budget;
        if (now + need > c->ctx->deadline) {
            /* (switching the cuts off here instead did not help: the long step
             * came all the same) */
            glp_ios_terminate(tree);
            return;
        }
        c->cut_start = now;
    }
    if (reason == GLP_IHEUR && !c->heur_given && c->start_ok && c->prm->use_heuristic && !use_presolve(c)) {
        c->heur_given = 1;
        if (glp_ios_heur_sol(tree, c->start) == 0 && c->first_feasible < 0)
            c->first_feasible = pp_clock() - c->ctx->start;
    }
    if (reason == GLP_IBINGO && c->first_feasible < 0)
        c->first_feasible = pp_clock() - c->ctx->start;
    int best = glp_ios_best_node(tree);
    if (best) {
        double b = glp_ios_node_bound(tree, best);
        if (b > c->best_bound) {
            c->best_bound = b;
            if (c->search_out >= 0) { /* the search process tells the solve */
                char msg[1 + sizeof b];
                msg[0] = 'b';
                memcpy(msg + 1, &b, sizeof b);
                (void)write_all(c->search_out, msg, sizeof msg);
            }
        }
    }
    lns_poll(c);
    glp_prob *mip = glp_ios_get_prob(tree);
    double inc = glp_mip_status(mip) == GLP_FEAS ? glp_mip_obj_val(mip) : NAN;
    if (c->start_ok && (isnan(inc) || c->start_obj < inc))
        inc = c->start_obj; /* the plan kept aside counts as found */
    report(c, inc, c->best_bound, 0);
    if (!stopped(c) && whole_gap_met(c, inc))
        c->gap_met = 1;
    if (stopped(c) || c->gap_met)
        glp_ios_terminate(tree);
}

/* ---------- fix-and-optimise ------------------------------------------------ */

/* The searches below work on copies of the program in which the openings of
 * every section outside a neighbourhood are fixed at the start plan's values:
 * what remains is a small integer program GLPK closes in seconds where the whole
 * one would take hours (3,600 students: the plan's cost falls by 5% in 15 s
 * where GLPK's own search finds nothing better in 50).  Venues, coaches and care
 * counts bind per slot, so a neighbourhood is a set of sections meeting in one
 * club slot (see lns_build). */

/* The small programs stop with the whole solve. */
static void lns_callback(glp_tree *tree, void *info)
{
    if (stopped(info))
        glp_ios_terminate(tree);
}

/* Solves the program with the openings of the sections outside `freed` fixed at
 * the start plan, and everything that cannot change with them (students with no
 * edge into a freed section, care counts at slots no freed section meets in);
 * adopts the result when it is better.  Returns 1 when the start improved, 0
 * when not, -1 when out of memory. */
static int lns_round(cctx *c, const char *freed, double tm_end)
{
    glp_prob *sub = glp_create_prob();
    char *tfree = calloc((size_t)c->nt + 1, 1);
    if (!sub || !tfree) {
        if (sub)
            glp_delete_prob(sub);
        free(tfree);
        return -1;
    }
    glp_copy_prob(sub, c->lp, GLP_OFF);
    for (int k = 0; k < c->nsec; k++) {
        const section *sk = &c->sec[k];
        if (!sk->nmax)
            continue;
        if (freed[k]) {
            for (int i = 0; i < sk->nslots; i++)
                tfree[sk->slot[i]] = 1;
            continue;
        }
        double n = round(c->start[sk->col_n]), o = round(c->start[sk->col_o]);
        glp_set_col_bnds(sub, sk->col_n, GLP_FX, n, n);
        glp_set_col_bnds(sub, sk->col_o, GLP_FX, o, o);
    }
    /* the presolver drops every fixed column: what is left is small */
    for (int i = 0; i < c->s->nstudents; i++) {
        int moves = 0;
        for (int e = c->stu_first[i]; e < c->stu_first[i + 1] && !moves; e++)
            moves = freed[c->edge[e].sec];
        for (int e = c->stu_first[i]; e < c->stu_first[i + 1] && !moves; e++)
            glp_set_col_bnds(sub, c->edge[e].col, GLP_FX, c->start[c->edge[e].col], c->start[c->edge[e].col]);
    }
    for (int j = 0; j < c->ncl; j++) {
        const cluster *q = &c->cl[j];
        if (tfree[q->t])
            continue;
        double g = round(c->start[q->col_g]);
        glp_set_col_bnds(sub, q->col_g, GLP_FX, g, g);
        if (q->col_j) {
            double v = round(c->start[q->col_j]);
            glp_set_col_bnds(sub, q->col_j, GLP_FX, v, v);
        }
    }
    free(tfree);
    int improved = 0;
    double left = tm_end - pp_clock();
    if (left <= 0.05)
        goto out;
    glp_iocp io;
    glp_init_iocp(&io);
    io.msg_lev = GLP_MSG_OFF;
    io.presolve = GLP_ON;
    io.br_tech = GLP_BR_PCH;
    io.bt_tech = GLP_BT_BLB;
    io.mir_cuts = GLP_ON;
    io.cb_func = lns_callback;
    io.cb_info = c;
    io.mip_gap = c->prm->gap / 4;
    io.tm_lim = (int)(left * 1000);
    glp_intopt(sub, &io);
    int st = glp_mip_status(sub);
    if (st != GLP_OPT && st != GLP_FEAS)
        goto out;
    double *x = malloc((size_t)(c->ncols + 1) * sizeof *x);
    if (!x) {
        improved = -1;
        goto out;
    }
    x[0] = 0;
    for (int j = 1; j <= c->ncols; j++) {
        x[j] = glp_mip_col_val(sub, j);
        if (glp_get_col_kind(sub, j) != GLP_CV)
            x[j] = round(x[j]);
    }
    double *old = c->start;
    c->start = x;
    if (start_feasible(c) && start_objective(c, x) < start_objective(c, old) - 1e-6) {
        free(old);
        improved = 1;
    } else {
        c->start = old;
        free(x);
    }
out:
    glp_delete_prob(sub);
    return improved;
}

/* Neighbourhoods are sets of sections: those meeting in one club slot, cut into
 * pieces of at most `piece` sections (whole activities kept together) where a
 * slot has many, then the union of two small neighbourhoods.  Measured on 3,600
 * students: pieces of 10 sections at a busy slot ran out of time without a plan,
 * pieces of 5 close in well under a second.  When a pass at one size finds
 * nothing better, the next pass doubles the pieces (the fixed-care rows made the
 * larger programs close too), up to PP_LNS_PIECE_MAX: the second core would
 * otherwise sit idle for most of a long solve (6,000 students: from 60 s on). */
#define PP_LNS_PIECE 5
#define PP_LNS_PIECE_MAX 40

typedef struct {
    int n, cap;
    char **set;         /* each nsec flags, owned */
    int *size;
} lns_hoods;

static void lns_hoods_free(lns_hoods *h)
{
    for (int i = 0; i < h->n; i++)
        free(h->set[i]);
    free(h->set);
    free(h->size);
}

/* A new empty neighbourhood (owned by h), or NULL when out of memory. */
static char *lns_hood_add(cctx *c, lns_hoods *h)
{
    if (h->n == h->cap) {
        int cap = h->cap ? 2 * h->cap : 32;
        char **set = realloc(h->set, (size_t)cap * sizeof *set);
        if (!set)
            return NULL;
        h->set = set;
        int *size = realloc(h->size, (size_t)cap * sizeof *size);
        if (!size)
            return NULL;
        h->size = size;
        h->cap = cap;
    }
    h->set[h->n] = calloc((size_t)c->nsec + 1, 1);
    if (!h->set[h->n])
        return NULL;
    h->size[h->n] = 0;
    return h->set[h->n++];
}

static int lns_build(cctx *c, lns_hoods *h, int piece)
{
    int singles;
    for (int t = 0; t < c->nt; t++) {
        char *cur = NULL;
        int last_act = -1;
        for (int k = 0; k < c->nsec; k++) {
            const section *sk = &c->sec[k];
            if (!sk->nmax || !slot_in(sk, t))
                continue;
            if (!cur || (h->size[h->n - 1] >= piece && sk->act != last_act))
                if (!(cur = lns_hood_add(c, h)))
                    return -1;
            cur[k] = 1;
            h->size[h->n - 1]++;
            last_act = sk->act;
        }
    }
    singles = h->n;
    for (int a = 0; a < singles; a++)
        for (int b = a + 1; b < singles; b++) {
            if (h->size[a] + h->size[b] > piece)
                continue;
            char *u = lns_hood_add(c, h);
            if (!u)
                return -1;
            for (int k = 0; k < c->nsec; k++)
                u[k] = h->set[a][k] | h->set[b][k];
            h->size[h->n - 1] = h->size[a] + h->size[b];
        }
    return 0;
}

/* Passes over the neighbourhoods until tm_end or until a pass with the largest
 * pieces finds nothing better; after a pass without a better plan the pieces
 * double, after one with it they start small again.  Each round may use a third
 * of what is left, so one hard neighbourhood cannot eat the whole budget. */
static void lns_send(cctx *c);

static int improve_start(cctx *c, double tm_end)
{
    int rc = 0;
    for (int piece = PP_LNS_PIECE; piece <= PP_LNS_PIECE_MAX && rc == 0;) {
        lns_hoods h = { 0 };
        int better = 0;
        rc = lns_build(c, &h, piece) ? -1 : 0;
        for (int i = 0; i < h.n && rc == 0; i++) {
            double now = pp_clock();
            if (now >= tm_end || stopped(c)) {
                lns_hoods_free(&h);
                return rc;
            }
            double share = (tm_end - now) / 3;
            int r = lns_round(c, h.set[i], now + (share > 1 ? share : 1));
            if (r < 0)
                rc = -1;
            else if (r > 0) {
                better = 1;
                if (c->lns_out >= 0)
                    lns_send(c);
                else
                    report(c, start_objective(c, c->start), c->best_bound, 1);
            }
        }
        lns_hoods_free(&h);
        piece = better ? PP_LNS_PIECE : 2 * piece;
    }
    return rc;
}

/* ---------- fix-and-optimise beside the search ------------------------------ */

/* On two cores the search (which proves the bound) and fix-and-optimise (which
 * finds the plan) run at once: a forked helper process improves the start plan
 * and sends it back through a pipe, so neither takes time from the other
 * (3,600 students, 60 s: the search keeps its whole minute for the bound).  The
 * helper stops at the deadline, when a pass finds nothing better, or when the
 * search closes the helper's stop pipe (an interrupt) or ends. */

static int write_all(int fd, const void *buf, size_t n)
{
    const char *p = buf;
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

static int read_all(int fd, void *buf, size_t n)
{
    char *p = buf;
    while (n) {
        ssize_t r = read(fd, p, n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return -1;
        p += r;
        n -= (size_t)r;
    }
    return 0;
}

/* Helper side: one progress message, a tag and the objective (atomic: < PIPE_BUF). */
static void lns_send(cctx *c)
{
    char msg[1 + sizeof(double)];
    double obj = start_objective(c, c->start);
    msg[0] = 'o';
    memcpy(msg + 1, &obj, sizeof obj);
    (void)write_all(c->lns_out, msg, sizeof msg);
}

static void lns_child(cctx *c, int out, int stop)
{
    c->lns_out = out;
    c->lns_stop = stop;
    c->prm_quiet = 1;
    improve_start(c, c->ctx->deadline); /* out of memory: what it has is still a plan */
    char tag = 'x';
    if (write_all(out, &tag, 1) == 0)
        (void)write_all(out, c->start, (size_t)(c->ncols + 1) * sizeof *c->start);
    _exit(0);
}

/* Starts the helper; -1 when no process could be made (the caller then improves
 * the plan itself). */
static int lns_spawn(cctx *c)
{
    int plans[2], halt[2];
    if (pipe(plans))
        return -1;
    if (pipe(halt)) {
        close(plans[0]);
        close(plans[1]);
        return -1;
    }
    fflush(stdout); /* nothing buffered may be written twice */
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) {
        close(plans[0]);
        close(plans[1]);
        close(halt[0]);
        close(halt[1]);
        return -1;
    }
    if (pid == 0) {
        close(plans[0]);
        close(halt[1]);
        lns_child(c, plans[1], halt[0]);
    }
    close(plans[1]);
    close(halt[0]);
    c->lns_pid = pid;
    c->lns_in = plans[0];
    c->lns_halt = halt[1];
    c->lns_state = 0;
    return 0;
}

/* Search side: one message if there is one; returns 0 when it read one. */
static int lns_read(cctx *c, int wait)
{
    if (!wait) {
        struct pollfd pf = { .fd = c->lns_in, .events = POLLIN };
        if (poll(&pf, 1, 0) <= 0)
            return -1;
    }
    char tag;
    double obj;
    if (read_all(c->lns_in, &tag, 1)) {
        c->lns_state = 2;
        return -1;
    }
    if (tag == 'x') {
        c->lns_state = 1;
        return -1;
    }
    if (tag != 'o' || read_all(c->lns_in, &obj, sizeof obj)) {
        c->lns_state = 2;
        return -1;
    }
    if (obj < c->lns_obj)
        c->lns_obj = obj;
    return 0;
}

/* Search side, from its callback: the helper's progress, for the reports. */
static void lns_poll(cctx *c)
{
    while (c->lns_pid > 0 && c->lns_state == 0 && lns_read(c, 0) == 0)
        ;
}

/* Search side, when the search has ended: waits for the helper (stopping it at
 * once if halt) and adopts its plan when it is better.  Returns -1 when out of
 * memory. */
static int lns_collect(cctx *c, int halt)
{
    if (c->lns_pid <= 0)
        return 0;
    if (halt) {
        close(c->lns_halt);
        c->lns_halt = -1;
    }
    while (c->lns_state == 0)
        lns_read(c, 1);
    int rc = 0;
    double *x = c->lns_state == 1 ? malloc((size_t)(c->ncols + 1) * sizeof *x) : NULL;
    if (c->lns_state == 1 && !x)
        rc = -1;
    if (x && read_all(c->lns_in, x, (size_t)(c->ncols + 1) * sizeof *x) == 0) {
        double *old = c->start;
        c->start = x;
        if (start_feasible(c) && start_objective(c, x) < start_objective(c, old) - 1e-6) {
            free(old);
            x = NULL;
        } else
            c->start = old;
    }
    free(x);
    close(c->lns_in);
    if (c->lns_halt >= 0)
        close(c->lns_halt);
    c->lns_halt = -1;
    struct rusage ru = { 0 };
    while (wait4(c->lns_pid, NULL, 0, &ru) < 0 && errno == EINTR)
        ;
    c->lns_rss_mib = fmax(c->lns_rss_mib, ru.ru_maxrss / 1024.0);
    c->lns_pid = 0;
    return rc;
}

/* The root LP, with GLPK's LP presolver; its value is the first valid bound. */
static int solve_root(cctx *c, double *root)
{
    glp_smcp sm;
    glp_init_smcp(&sm);
    sm.msg_lev = GLP_MSG_OFF;
    sm.presolve = GLP_ON;
    double left = c->ctx->deadline - pp_clock();
    sm.tm_lim = left > 0 ? (int)(left * 1000) : 1;
    int rc = glp_simplex(c->lp, &sm);
    if (rc == 0 && glp_get_status(c->lp) == GLP_OPT) {
        *root = glp_get_obj_val(c->lp);
        return 0;
    }
    if (sm.presolve && rc == 0)
        return -1;
    return rc == GLP_ETMLIM ? 1 : -1;
}

static int run_search(cctx *c, int *optimal)
{
    glp_iocp io;
    glp_init_iocp(&io);
    io.msg_lev = GLP_MSG_OFF;
    /* with the presolver GLPK searches a transformed program: no incumbent can be
     * handed in (see pp_solve_params.presolve) */
    io.presolve = use_presolve(c) ? GLP_ON : GLP_OFF;
    io.cb_func = callback;
    io.cb_info = c;
    /* the later stages add to the gap (on 300 students: care at club slots, staff
     * load): leave them most of it */
    io.mip_gap = c->prm->gap / 10;
    /* measured on generated schools of 300-3,600 students: hybrid pseudocost
     * branching closes the gap 3-4 times faster than Driebeck-Tomlin; MIR, cover
     * and clique cuts help, Gomory cuts slow the search down */
    io.br_tech = GLP_BR_PCH;
    io.bt_tech = GLP_BT_BLB;
    if (c->prm->cuts) {
        io.mir_cuts = GLP_ON;
        io.cov_cuts = GLP_ON;
        io.clq_cuts = GLP_ON;
    }
    io.fp_heur = GLP_OFF;
    double left = c->ctx->deadline - pp_clock();
    io.tm_lim = left > 0 ? (int)(left * 1000) : 1;
    int rc = glp_intopt(c->lp, &io);
    int st = glp_mip_status(c->lp);
    /* GLPK returns GLP_EMIPGAP when it stopped on mip_gap: within the gap too;
     * and so is a search the callback ended on the user's gap */
    *optimal = (rc == 0 && st == GLP_OPT) || (rc == GLP_EMIPGAP && (st == GLP_OPT || st == GLP_FEAS)) ||
               (c->gap_met && (st == GLP_OPT || st == GLP_FEAS));
    if (*optimal && !c->gap_met) {
        /* GLPK stops when |best - bound| <= mip_gap * (|best| + eps): that bound is implied
         * (not when the callback ended it: the bound is then the one it last saw) */
        double z = glp_mip_obj_val(c->lp), implied = z - io.mip_gap * (fabs(z) + 2.3e-16);
        if (implied > c->best_bound)
            c->best_bound = implied;
    }
    if (st == GLP_OPT || st == GLP_FEAS)
        return 0;
    return 1; /* no incumbent from the search */
}

/* On large programs the search runs in a process of its own, which this one
 * ends at the deadline: a single step inside GLPK's root processing was measured
 * to take 10-20 s on 3,600 students, past any deadline a callback can enforce.
 * The process sends each better bound ('b' + bound) and, when GLPK returns, its
 * result ('e' + optimal + bound + found + objective [+ the column values]); when
 * it has to be ended, the bounds it sent stand and the plan kept aside is used
 * (with the presolver GLPK's own plans exist only once it returns). */
#define PP_SEARCH_GRACE 1.0

static void search_child(cctx *c, int out)
{
    if (c->lns_pid > 0) { /* the fix-and-optimise pipes belong to the solve */
        close(c->lns_in);
        close(c->lns_halt);
        c->lns_pid = 0;
    }
    c->search_out = out;
    c->prm_quiet = 1;
    int optimal = 0, found = run_search(c, &optimal) == 0;
    double obj = found ? glp_mip_obj_val(c->lp) : NAN;
    char tag = 'e';
    int ok = write_all(out, &tag, 1) == 0 && write_all(out, &optimal, sizeof optimal) == 0 &&
             write_all(out, &c->best_bound, sizeof c->best_bound) == 0 && write_all(out, &found, sizeof found) == 0 &&
             write_all(out, &obj, sizeof obj) == 0;
    for (int j = 1; ok && found && j <= c->ncols; j++) {
        double v = glp_mip_col_val(c->lp, j);
        ok = write_all(out, &v, sizeof v) == 0;
    }
    _exit(0);
}

/* Runs the search in a process of its own (see above); returns as run_search,
 * with the plan's column values in *vals (caller frees) when it found one, or -2
 * when no process could be made. */
static int run_search_apart(cctx *c, int *optimal, double **vals, double *obj)
{
    int fds[2];
    *vals = NULL;
    *optimal = 0;
    if (pipe(fds))
        return -2;
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return -2;
    }
    if (pid == 0) {
        close(fds[0]);
        search_child(c, fds[1]);
    }
    close(fds[1]);
    int done = 0, found = 0;
    for (;;) {
        double now = pp_clock();
        int halt = (c->prm->interrupt && *c->prm->interrupt) || now > c->ctx->deadline + PP_SEARCH_GRACE;
        if (halt)
            break;
        struct pollfd pf = { .fd = fds[0], .events = POLLIN };
        int r = poll(&pf, 1, 200);
        lns_poll(c);
        report(c, c->start_ok ? c->start_obj : NAN, c->best_bound, 0);
        if (r <= 0)
            continue;
        char tag;
        if (read_all(fds[0], &tag, 1))
            break;
        if (tag == 'b') {
            double b;
            if (read_all(fds[0], &b, sizeof b))
                break;
            if (b > c->best_bound)
                c->best_bound = b;
            continue;
        }
        double bound;
        if (tag != 'e' || read_all(fds[0], optimal, sizeof *optimal) || read_all(fds[0], &bound, sizeof bound) ||
            read_all(fds[0], &found, sizeof found) || read_all(fds[0], obj, sizeof *obj))
            break;
        if (bound > c->best_bound)
            c->best_bound = bound;
        if (found) {
            *vals = malloc((size_t)(c->ncols + 1) * sizeof **vals);
            if (*vals && read_all(fds[0], *vals + 1, (size_t)c->ncols * sizeof **vals)) {
                free(*vals);
                *vals = NULL;
            }
            if (*vals)
                (*vals)[0] = 0;
        }
        done = 1;
        break;
    }
    if (!done) {
        *optimal = 0;
        kill(pid, SIGKILL);
    }
    close(fds[0]);
    struct rusage ru = { 0 };
    while (wait4(pid, NULL, 0, &ru) < 0 && errno == EINTR)
        ;
    c->search_rss_mib = fmax(c->search_rss_mib, ru.ru_maxrss / 1024.0);
    return *vals ? 0 : 1;
}

/* ---------- extraction ------------------------------------------------------ */

/* With the open groups fixed, who goes where is a transportation problem whose
 * basic solutions are integral: solve it as an LP (MODEL-NOTES). */
static int assign_fixed(cctx *c, const int *ng, char *on)
{
    const pp_school *s = c->s;
    glp_prob *lp = glp_create_prob();
    glp_set_obj_dir(lp, GLP_MIN);
    int *col = calloc((size_t)c->nedge + 1, sizeof *col);
    int *rmax = calloc((size_t)c->nsec + 1, sizeof *rmax);
    int rc = -1, cap = 1024, n = 0;
    int *ia = malloc((size_t)(cap + 1) * sizeof *ia), *ja = malloc((size_t)(cap + 1) * sizeof *ja);
    double *ar = malloc((size_t)(cap + 1) * sizeof *ar);
    if (!col || !rmax || !ia || !ja || !ar)
        goto out;
#define ADD(r, j, v)                                                                              \
    do {                                                                                          \
        if (n + 1 > cap) {                                                                        \
            cap *= 2;                                                                             \
            int *i2 = realloc(ia, (size_t)(cap + 1) * sizeof *ia);                                \
            if (!i2)                                                                              \
                goto out;                                                                         \
            ia = i2;                                                                              \
            int *j2 = realloc(ja, (size_t)(cap + 1) * sizeof *ja);                                \
            if (!j2)                                                                              \
                goto out;                                                                         \
            ja = j2;                                                                              \
            double *a2 = realloc(ar, (size_t)(cap + 1) * sizeof *ar);                             \
            if (!a2)                                                                              \
                goto out;                                                                         \
            ar = a2;                                                                              \
        }                                                                                         \
        n++;                                                                                      \
        ia[n] = (r);                                                                              \
        ja[n] = (j);                                                                              \
        ar[n] = (v);                                                                              \
    } while (0)
    for (int e = 0; e < c->nedge; e++) {
        if (!ng[c->edge[e].sec])
            continue;
        col[e] = glp_add_cols(lp, 1);
        glp_set_col_bnds(lp, col[e], GLP_DB, 0, 1);
        glp_set_obj_coef(lp, col[e], glp_get_obj_coef(c->lp, c->edge[e].col));
    }
    for (int k = 0; k < c->nsec; k++)
        if (ng[k]) {
            rmax[k] = glp_add_rows(lp, 1);
            glp_set_row_bnds(lp, rmax[k], GLP_DB, (double)c->sec[k].min * ng[k], (double)c->sec[k].max * ng[k]);
        }
    for (int e = 0; e < c->nedge; e++)
        if (col[e])
            ADD(rmax[c->edge[e].sec], col[e], 1);
    int m = s->policy.max_activities_per_student;
    for (int i = 0; i < s->nstudents; i++) {
        int r = 0;
        for (int e = c->stu_first[i]; e < c->stu_first[i + 1]; e++)
            if (col[e]) {
                if (!r) {
                    r = glp_add_rows(lp, 1);
                    glp_set_row_bnds(lp, r, GLP_UP, 0, m);
                }
                ADD(r, col[e], 1);
            }
        if (m > 1) /* one activity at a time, each activity once */
            for (int e = c->stu_first[i]; e < c->stu_first[i + 1]; e++)
                for (int f = e + 1; f < c->stu_first[i + 1]; f++) {
                    if (!col[e] || !col[f])
                        continue;
                    int clash = c->edge[e].rank == c->edge[f].rank;
                    for (int q = 0; q < c->sec[c->edge[e].sec].nslots && !clash; q++)
                        clash = slot_in(&c->sec[c->edge[f].sec], c->sec[c->edge[e].sec].slot[q]);
                    if (!clash)
                        continue;
                    int r2 = glp_add_rows(lp, 1);
                    glp_set_row_bnds(lp, r2, GLP_UP, 0, 1);
                    ADD(r2, col[e], 1);
                    ADD(r2, col[f], 1);
                }
    }
#undef ADD
    if (glp_get_num_cols(lp) == 0) {
        rc = 0;
        goto out;
    }
    glp_load_matrix(lp, n, ia, ja, ar);
    glp_smcp sm;
    glp_init_smcp(&sm);
    sm.msg_lev = GLP_MSG_OFF;
    sm.presolve = GLP_ON;
    if (glp_simplex(lp, &sm) != 0 || glp_get_status(lp) != GLP_OPT)
        goto out;
    for (int e = 0; e < c->nedge; e++)
        on[e] = col[e] && glp_get_col_prim(lp, col[e]) > 0.5;
    rc = 0;
out:
    glp_delete_prob(lp);
    free(col);
    free(rmax);
    free(ia);
    free(ja);
    free(ar);
    return rc;
}

/* Whether edge e of a student clashes with the student's edges already on:
 * the same choice, a shared slot, or the weekly number of activities. */
static int clashes(const cctx *c, const char *on, int e)
{
    const edge *ed = &c->edge[e];
    int taken = 0;
    for (int f = c->stu_first[ed->stu]; f < c->stu_first[ed->stu + 1]; f++) {
        if (!on[f] || f == e)
            continue;
        taken++;
        if (c->edge[f].rank == ed->rank)
            return 1;
        for (int i = 0; i < c->sec[c->edge[f].sec].nslots; i++)
            if (slot_in(&c->sec[ed->sec], c->sec[c->edge[f].sec].slot[i]))
                return 1;
    }
    return taken >= c->s->policy.max_activities_per_student;
}

typedef struct {
    int e;
    double v;
} valued;

static int cmp_valued(const void *a, const void *b)
{
    const valued *x = a, *y = b;
    if (x->v != y->v)
        return x->v > y->v ? -1 : 1;
    return x->e - y->e;
}

/* The program's own assignment, rounded, when it is fractional: edges taken by
 * value, largest first, while the student and the section have room.  It keeps
 * what the program did with the classes (which class sends enough students to
 * clubs to fall below the merge threshold), which assign_fixed's assignment,
 * granting choices alone, spreads again (1,500 students, Q&A by class: 16 more
 * care groups than the program counted).  The caller compares the whole plans. */
static int round_assignment(cctx *c, const double *val, const int *ng, char *on)
{
    valued *ord = malloc((size_t)(c->nedge + 1) * sizeof *ord);
    int *cnt = calloc((size_t)c->nsec + 1, sizeof *cnt);
    if (!ord || !cnt) {
        free(ord);
        free(cnt);
        return -1;
    }
    int n = 0;
    for (int e = 0; e < c->nedge; e++) {
        on[e] = 0;
        if (ng[c->edge[e].sec] && val[c->edge[e].col] > 1e-6)
            ord[n++] = (valued){ e, val[c->edge[e].col] };
    }
    qsort(ord, (size_t)n, sizeof *ord, cmp_valued);
    for (int i = 0; i < n; i++) {
        int e = ord[i].e, k = c->edge[e].sec;
        if (cnt[k] < ng[k] * c->sec[k].max && !clashes(c, on, e)) {
            on[e] = 1;
            cnt[k]++;
        }
    }
    free(ord);
    free(cnt);
    return 0;
}

typedef struct {
    int stu, cls;
} member;

static int cmp_member(const void *a, const void *b)
{
    const member *x = a, *y = b;
    if (x->cls != y->cls)
        return x->cls - y->cls;
    return x->stu - y->stu;
}

/* Deals a section's students into its parallel groups: classmates stay together
 * as far as sizes allow; sizes differ by at most one (all within min..max since
 * min*n <= count <= max*n). */
static int make_groups(cctx *c, const int *ng, const char *on, pp_clubs_result *res)
{
    const pp_school *s = c->s;
    member *mem = malloc((size_t)(s->nstudents > 0 ? s->nstudents : 1) * sizeof *mem);
    int total = 0;
    for (int k = 0; k < c->nsec; k++)
        total += ng[k];
    res->groups = calloc((size_t)(total > 0 ? total : 1), sizeof *res->groups);
    if (!mem || !res->groups) {
        free(mem);
        return -1;
    }
    for (int k = 0; k < c->nsec; k++) {
        if (!ng[k])
            continue;
        int m = 0;
        for (int e = 0; e < c->nedge; e++)
            if (on[e] && c->edge[e].sec == k)
                mem[m++] = (member){ c->edge[e].stu, s->students[c->edge[e].stu].cls };
        qsort(mem, (size_t)m, sizeof *mem, cmp_member);
        int groups = ng[k];
        while (groups > 1 && m < groups * c->sec[k].min)
            groups--;
        for (int q = 0, pos = 0; q < groups; q++) {
            int size = m / groups + (q < m % groups);
            pp_club_group *gr = &res->groups[res->ngroups++];
            gr->activity = c->sec[k].act;
            gr->nslots = c->sec[k].nslots;
            for (int i = 0; i < gr->nslots; i++) {
                gr->day[i] = c->sec[k].slot[i] / c->np;
                gr->period[i] = c->sec[k].slot[i] % c->np;
            }
            gr->students = malloc((size_t)(size > 0 ? size : 1) * sizeof(int));
            if (!gr->students) {
                free(mem);
                return -1;
            }
            for (int i = 0; i < size; i++)
                gr->students[i] = mem[pos + i].stu;
            gr->nstudents = size;
            pos += size;
        }
    }
    free(mem);
    return 0;
}

/* Open groups per section from the chosen column values, then the assignment. */
/* Drops groups an assignment left below their minimum and adds groups where it
 * put more than the openings hold. */
static void settle_assignment(cctx *c, int *ng, char *on)
{
    for (int k = 0; k < c->nsec; k++) {
        int cnt = 0;
        for (int e = 0; e < c->nedge; e++)
            cnt += on[e] && c->edge[e].sec == k;
        if (ng[k] && cnt < c->sec[k].min) {
            ng[k] = 0;
            for (int e = 0; e < c->nedge; e++)
                if (c->edge[e].sec == k)
                    on[e] = 0;
        } else if (ng[k] && cnt > ng[k] * c->sec[k].max)
            ng[k] = (cnt + c->sec[k].max - 1) / c->sec[k].max;
    }
}

/* The care groups per slot the program counts in solution val: its g, less a
 * group per join. */
static int care_counts(const cctx *c, const double *val, pp_clubs_result *res)
{
    res->care_at = calloc((size_t)c->nt + 1, sizeof *res->care_at);
    if (!res->care_at)
        return -1;
    for (int j = 0; j < c->ncl; j++) {
        const cluster *q = &c->cl[j];
        res->care_at[q->t] += round(val[q->col_g]) - (q->col_e ? round(val[q->col_e]) : 0);
    }
    if (!c->ctx->staff_flow)
        return 0;
    const pp_school *s = c->s;
    res->staff_at = calloc((size_t)s->nstaff * (size_t)c->nt + 1, 1);
    if (!res->staff_at)
        return -1;
    for (int w = 0; w < s->nstaff; w++)
        for (int t = 0; t < c->nt; t++)
            for (int sp = -1; sp < s->nspecialities; sp++)
                if (flow_at(c, w, t, sp) && val[flow_at(c, w, t, sp)] > 0.5)
                    res->staff_at[(size_t)w * c->nt + t] = 1;
    return 0;
}

static int extract(cctx *c, const double *val, pp_clubs_result *res)
{
    if (care_counts(c, val, res))
        return -1;
    int *ng = calloc((size_t)c->nsec + 1, sizeof *ng), *ng2 = calloc((size_t)c->nsec + 1, sizeof *ng2);
    char *on = calloc((size_t)c->nedge + 1, 1), *on2 = calloc((size_t)c->nedge + 1, 1);
    int rc = -1;
    if (!ng || !on || !ng2 || !on2)
        goto out;
    for (int k = 0; k < c->nsec; k++)
        ng[k] = ng2[k] = c->sec[k].nmax ? (int)floor(val[c->sec[k].col_n] + 0.5) : 0;
    int whole = 1;
    for (int e = 0; e < c->nedge; e++) {
        on2[e] = val[c->edge[e].col] > 0.5;
        whole &= fabs(val[c->edge[e].col] - on2[e]) < 1e-6;
    }
    if (assign_fixed(c, ng, on) != 0) {
        memcpy(on, on2, (size_t)c->nedge);
        whole = 0;
    }
    settle_assignment(c, ng, on);
    if (make_groups(c, ng, on, res))
        goto out;
    if (!whole && round_assignment(c, val, ng2, on2))
        goto out;
    {
        settle_assignment(c, ng2, on2);
        if (memcmp(on, on2, (size_t)c->nedge) || memcmp(ng, ng2, (size_t)c->nsec * sizeof *ng)) {
            pp_clubs_result alt = { 0 };
            int bad = make_groups(c, ng2, on2, &alt);
            res->alt = alt.groups;
            res->nalt = alt.ngroups;
            if (bad)
                goto out;
        }
    }
    rc = 0;
out:
    free(ng);
    free(on);
    free(ng2);
    free(on2);
    return rc;
}

/* ---------- entry ------------------------------------------------------------ */

static int setup(cctx *c)
{
    const pp_school *s = c->s;
    c->np = s->nperiods;
    c->nt = PP_DAYS * c->np;
    c->stu_first = calloc((size_t)s->nstudents + 1, sizeof *c->stu_first);
    c->slot_cl_first = calloc((size_t)c->nt + 1, sizeof *c->slot_cl_first);
    c->staff_all = calloc((size_t)c->nt, sizeof(int));
    c->staff_care = calloc((size_t)c->nt, sizeof(int));
    c->ext_col = calloc((size_t)c->nt * (size_t)(s->nspecialities + 1), sizeof(int));
    c->extall_col = calloc((size_t)c->nt, sizeof(int));
    c->flow_col = c->ctx->staff_flow ? calloc((size_t)c->nt * (size_t)(s->nstaff + 1) * (size_t)(s->nspecialities + 1), sizeof(int))
                                     : calloc(1, sizeof(int));
    c->inhouse = calloc((size_t)c->nt * (size_t)(s->nspecialities + 1), sizeof(int));
    c->apart_col = calloc((size_t)c->nt * (size_t)(s->nclasses + 1), sizeof(int));
    c->apart_row = calloc((size_t)c->nt * (size_t)(s->nclasses + 1), sizeof(int));
    c->shared_col = calloc((size_t)c->nt * (size_t)(s->nclasses + 1), sizeof(int));
    c->shared_row = calloc((size_t)c->nt * (size_t)(s->nclasses + 1), sizeof(int));
    c->stayers = calloc((size_t)c->nt * (size_t)(s->nclasses + 1), sizeof(int));
    c->fixed_cls = calloc((size_t)c->nt * (size_t)(s->nclasses + 1), sizeof(int));
    c->alone_cls = calloc((size_t)c->nt * (size_t)(s->nclasses + 1), 1);

    if (!c->stu_first || !c->slot_cl_first || !c->staff_all || !c->staff_care || !c->ext_col || !c->extall_col || !c->flow_col ||
        !c->inhouse || !c->apart_col || !c->apart_row || !c->shared_col || !c->shared_row || !c->stayers ||
        !c->fixed_cls || !c->alone_cls)
        return -1;
    for (int i = 0; i < s->nstaff; i++)
        for (int t = 0; t < c->nt && s->staff[i].type != PP_STAFF_EXTERNAL; t++)
            if (s->staff[i].avail[t / c->np] & (1u << (t % c->np)))
                for (int k = 0; k < s->nspecialities; k++)
                    c->inhouse[t * s->nspecialities + k] += pp_staff_has_spec(&s->staff[i], k);
    for (int t = 0; t < c->nt; t++)
        for (int i = 0; i < s->nstaff; i++)
            if (s->staff[i].avail[t / c->np] & (1u << (t % c->np))) {
                c->staff_all[t]++;
                c->staff_care[t] += s->staff[i].type != PP_STAFF_EXTERNAL;
            }
    for (int i = 0; i < s->nstudents; i++)
        c->constant += desired(s, i) * s->policy.w_no_choice * prio_factor(s, i);
    if (c->ctx->pert)
        c->constant += pp_perturb_constant(c->ctx->pert);
    if (build_sections(c) || build_edges(c) || build_clusters(c))
        return -1;
    return 0;
}

static void teardown(cctx *c)
{
    if (c->lp)
        glp_delete_prob(c->lp);
    free(c->sec);
    free(c->edge);
    free(c->stu_first);
    free(c->cl);
    free(c->slot_cl_first);
    free(c->staff_all);
    free(c->staff_care);
    free(c->ext_col);
    free(c->extall_col);
    free(c->flow_col);
    free(c->inhouse);
    free(c->kept);
    free(c->partner);
    free(c->popt);
    free(c->pjoin);
    free(c->apart_col);
    free(c->apart_row);
    free(c->shared_col);
    free(c->shared_row);
    free(c->stayers);
    free(c->fixed_cls);
    free(c->alone_cls);
    free(c->ia);
    free(c->ja);
    free(c->ar);
    free(c->start);
}

static int export_model(cctx *c, pp_diags *d)
{
    if (c->prm->write_lp && glp_write_lp(c->lp, NULL, c->prm->write_lp) != 0) {
        pp_diags_add(d, c->prm->write_lp, 0, "cannot write the model (CPLEX LP format); expected a writable path");
        return -1;
    }
    if (c->prm->write_mps && glp_write_mps(c->lp, GLP_MPS_FILE, NULL, c->prm->write_mps) != 0) {
        pp_diags_add(d, c->prm->write_mps, 0, "cannot write the model (free MPS format); expected a writable path");
        return -1;
    }
    return 0;
}

int pp_clubs_solve(const pp_school *s, const pp_solve_params *prm, const pp_clubs_ctx *ctx,
                   pp_clubs_result *res, pp_diags *d)
{
    memset(res, 0, sizeof *res);
    res->first_feasible = -1;
    cctx c = { .s = s, .prm = prm, .ctx = ctx, .best_bound = -INFINITY, .first_feasible = -1,
               .cut_start = -1, .cut_longest = -1,
               .lns_out = -1, .lns_stop = -1, .lns_in = -1, .lns_halt = -1, .lns_obj = INFINITY,
               .search_out = -1 };
    int rc = -1;
    glp_term_out(GLP_OFF);
    if (setup(&c) || build_program(&c)) {
        pp_diags_add(d, NULL, 0, "out of memory while building the club program");
        goto out;
    }
    res->rows = glp_get_num_rows(c.lp);
    res->cols = glp_get_num_cols(c.lp);
    res->int_cols = glp_get_num_int(c.lp);
    if (export_model(&c, d))
        goto out;
    if (run_greedy(&c) || (ctx->pert && run_previous(&c))) {
        pp_diags_add(d, NULL, 0, "out of memory in the greedy plan");
        goto out;
    }
    double greedy_obj = c.constant;
    for (int j = 1; j <= c.ncols; j++)
        greedy_obj += glp_get_obj_coef(c.lp, j) * c.start[j];
    if (c.start_ok) {
        c.first_feasible = pp_clock() - ctx->start;
        report(&c, greedy_obj, -INFINITY, 1);
    }
    if (ctx->start_only) { /* the first plan as it is: no bound */
        res->objective = greedy_obj;
        res->bound = -INFINITY;
        res->first_feasible = c.first_feasible;
        rc = extract(&c, c.start, res);
        if (rc)
            pp_diags_add(d, NULL, 0, "out of memory while extracting the club groups");
        goto out;
    }
    double root = -INFINITY;
    double *mipval = NULL;
    int optimal = 0;
    if (res->cols > 0 && solve_root(&c, &root) == 0) {
        if (root > c.best_bound)
            c.best_bound = root;
        int had = c.start_ok;
        double before = c.start_ok ? start_objective(&c, c.start) : INFINITY;
        /* round up from several thresholds: each opens a different mix; keep the best */
        static const double ups[] = { 0.5, 0.2, 0.8, 0.35, 0.65 };
        for (size_t q = 0; q < sizeof ups / sizeof ups[0] && !stopped(&c); q++)
            if (run_lp_rounding(&c, ups[q]))
                break;
        /* on large programs the search cannot take the plan in (presolver): it is
         * improved apart, beside the search, or before it when no process can be made */
        if (c.start_ok && !stopped(&c) && lns_spawn(&c)) {
            double now = pp_clock();
            if (improve_start(&c, now + (ctx->deadline - now) * PP_LNS_SHARE)) {
                pp_diags_add(d, NULL, 0, "out of memory while improving the club plan");
                goto out;
            }
        }
        if (c.start_ok && (!had || start_objective(&c, c.start) < before)) {
            greedy_obj = start_objective(&c, c.start);
            if (c.first_feasible < 0)
                c.first_feasible = pp_clock() - ctx->start;
        }
        c.start_obj = c.start_ok ? greedy_obj : INFINITY;
        report(&c, c.start_ok ? greedy_obj : NAN, c.best_bound, 1);
        int apart = -2, found = 0;
        double sobj = NAN;
        if (!stopped(&c) && use_presolve(&c))
            apart = run_search_apart(&c, &optimal, &mipval, &sobj);
        if (apart == -2) {
            found = !stopped(&c) && run_search(&c, &optimal) == 0;
            if (found && !(mipval = malloc((size_t)(c.ncols + 1) * sizeof *mipval))) {
                pp_diags_add(d, NULL, 0, "out of memory after the search");
                goto out;
            }
            for (int j = 1; found && j <= c.ncols; j++)
                mipval[j] = glp_mip_col_val(c.lp, j);
            if (found)
                res->objective = glp_mip_obj_val(c.lp);
        } else if (mipval)
            res->objective = sobj;
        /* the helper would go on with larger pieces until the deadline: a search
         * that proved its plan within the gap ends it */
        if (lns_collect(&c, optimal || (prm->interrupt && *prm->interrupt))) {
            pp_diags_add(d, NULL, 0, "out of memory while improving the club plan");
            goto out;
        }
        if (c.start_ok)
            greedy_obj = start_objective(&c, c.start);
        if (mipval && c.start_ok && greedy_obj < res->objective - 1e-9) {
            free(mipval); /* the plan kept aside is better than the search's */
            mipval = NULL;
        }
    } else if (res->cols == 0) {
        c.best_bound = c.constant;
        optimal = 1;
    }
    /* read c.start only now: the LP roundings replace (and free) earlier starts */
    const double *val = mipval ? mipval : c.start;
    if (!mipval)
        res->objective = greedy_obj;
    res->bound = c.best_bound;
    res->optimal = optimal;
    res->first_feasible = c.first_feasible;
    res->search_peak_rss_mib = c.search_rss_mib;
    res->helper_peak_rss_mib = c.lns_rss_mib;
    rc = extract(&c, val, res);
    free(mipval);
    if (rc)
        pp_diags_add(d, NULL, 0, "out of memory while extracting the club groups");
    report(&c, res->objective, res->bound, 1);
out:
    if (c.lns_pid > 0 && lns_collect(&c, 1)) /* on an error path: ends the helper */
        rc = -1;
    teardown(&c);
    if (rc)
        pp_clubs_result_free(res);
    return rc;
}

void pp_clubs_result_free(pp_clubs_result *res)
{
    for (int i = 0; i < res->ngroups; i++)
        free(res->groups[i].students);
    free(res->groups);
    for (int i = 0; i < res->nalt; i++)
        free(res->alt[i].students);
    free(res->alt);
    free(res->care_at);
    free(res->staff_at);
    res->staff_at = NULL;
    res->groups = res->alt = NULL;
    res->care_at = NULL;
    res->ngroups = res->nalt = 0;
}
