/* compare_run.c - worker processes, marginal re-solves, result files, merge,
 * Slurm script.
 *
 * A worker is a fork of the command that runs pp_compare_task and _exits; the
 * parent never solves.  The parent keeps up to `jobs` children and, when one
 * ends without a result file (a crash, a kill), writes that pair's failed result
 * itself, so every pair has a file once the run ends. */
#define _XOPEN_SOURCE 700 /* realpath */
#include "solver/compare_run.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "io/files.h"
#include "io/school_xml.h"
#include "model/scenario.h"
#include "solver/solve.h"

void pp_compare_params_init(pp_compare_params *p)
{
    p->time_limit = 20;
    p->marginal = 3;
    p->marginal_time_limit = 5;
    p->jobs = 1;
    p->quiet = 0;
}

int pp_compare_npairs(const pp_manifest *m)
{
    return m->nschools * m->nscenarios;
}

/* ---- one pair ---------------------------------------------------------- */

/* Loads the school of pair k and applies its scenario and, when extra is not
 * NULL, that scenario too.  NULL with the first message in r->error. */
static pp_school *load_pair(const pp_manifest *m, int k, const pp_scenario *extra, pp_pair_result *r)
{
    pp_diags *d = pp_diags_new();
    if (!d)
        return NULL;
    const char *file = m->schools[k / m->nscenarios];
    const pp_scenario *sc = m->scenarios[k % m->nscenarios];
    pp_school *s = pp_xml_load_school(file, d);
    int bad = !s;
    if (s && (pp_scenario_apply(sc, s, d) || (extra && pp_scenario_apply(extra, s, d))))
        bad = 1;
    if (bad) {
        char msg[600];
        int n = pp_diags_count(d);
        snprintf(msg, sizeof msg, "%s%s", n ? pp_diags_get(d, 0) : "out of memory", n > 1 ? " (and more problems)" : "");
        pp_compare_set_error(r, msg);
        pp_school_free(s);
        s = NULL;
    }
    pp_diags_free(d);
    return s;
}

static pp_plan *solve_quiet(const pp_school *s, double limit, pp_pair_result *r)
{
    pp_solve_params prm;
    pp_solve_params_init(&prm);
    prm.time_limit = limit;
    prm.quiet = 1;
    pp_diags *d = pp_diags_new();
    pp_plan *plan = NULL;
    if (d && pp_solve(s, &prm, &plan, d) != PP_SOLVE_OK && r)
        pp_compare_set_error(r, pp_diags_count(d) ? pp_diags_get(d, 0) : "no plan was made within the time limit");
    pp_diags_free(d);
    return plan;
}

/* A scarce resource of a plan: staff of speciality spec (-1: care-capable, any
 * non-external staff) or a venue of type vtype at (day, period). */
typedef struct {
    int venue;          /* 0 staff, 1 venue */
    int what;           /* speciality or venue type index; -1 care staff */
    int day, period;
    long score;
} candidate;

static int cmp_candidate(const void *a, const void *b)
{
    const candidate *x = a, *y = b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    if (x->venue != y->venue)
        return x->venue - y->venue;
    if (x->what != y->what)
        return x->what - y->what;
    if (x->day != y->day)
        return x->day - y->day;
    return x->period - y->period;
}

static int staff_fits(const pp_staff *st, int what)
{
    return what < 0 ? st->type != PP_STAFF_EXTERNAL : pp_staff_has_spec(st, what);
}

/* Candidates of plan p, best first; *n receives the count.  Caller frees. */
static candidate *candidates(const pp_school *s, const pp_plan *p, int *n)
{
    int nwhat = s->nspecialities + 1 > s->nvenue_types ? s->nspecialities + 1 : s->nvenue_types;
    size_t cap = (size_t)PP_DAYS * (size_t)s->nperiods * (size_t)(s->nspecialities + 1 + s->nvenue_types) + 1;
    candidate *c = malloc(cap * sizeof *c);
    char *busy = malloc((size_t)(s->nstaff + s->nvenues) + 1);
    long *need = malloc((size_t)(nwhat + 1) * 2 * sizeof *need);
    *n = 0;
    if (!c || !busy || !need) {
        free(c);
        free(busy);
        free(need);
        return NULL;
    }
    for (int d = 0; d < PP_DAYS; d++)
        for (int q = 0; q < s->nperiods; q++) {
            if (!(s->day_mask & s->periods[q].days & (1u << d)))
                continue;
            memset(busy, 0, (size_t)(s->nstaff + s->nvenues) + 1);
            memset(need, 0, (size_t)(nwhat + 1) * 2 * sizeof *need);
            long *staff_need = need, *venue_need = need + nwhat + 1; /* staff_need[what + 1] */
            for (int g = 0; g < p->ngroups; g++) {
                const pp_group *gr = &p->groups[g];
                if (gr->day != d || gr->period != q)
                    continue;
                const pp_activity *a = &s->activities[gr->activity];
                for (int j = 0; j < gr->nstaff; j++)
                    busy[gr->staff[j]] = 1;
                if (gr->venue >= 0)
                    busy[s->nstaff + gr->venue] = 1;
                staff_need[a->speciality + 1]++;
                if (a->venue_type >= 0)
                    venue_need[a->venue_type]++;
            }
            for (int u = 0; u < p->nunserved; u++)
                if (p->unserved[u].day == d && p->unserved[u].period == q)
                    staff_need[0] += 1000; /* unserved demand is care demand: the heaviest weight */
            for (int w = -1; w < s->nspecialities; w++) {
                int avail = 0, used = 0;
                for (int i = 0; i < s->nstaff; i++)
                    if (staff_fits(&s->staff[i], w) && (s->staff[i].avail[d] >> q & 1u)) {
                        avail++;
                        used += busy[i];
                    }
                if (staff_need[w + 1] > 0 && used == avail)
                    c[(*n)++] = (candidate){ 0, w, d, q, staff_need[w + 1] };
            }
            for (int t = 0; t < s->nvenue_types; t++) {
                int avail = 0, used = 0;
                for (int i = 0; i < s->nvenues; i++)
                    if (s->venues[i].type == t && (s->venues[i].avail[d] >> q & 1u)) {
                        avail++;
                        used += busy[s->nstaff + i];
                    }
                if (venue_need[t] > 0 && used == avail)
                    c[(*n)++] = (candidate){ 1, t, d, q, venue_need[t] };
            }
        }
    free(busy);
    free(need);
    qsort(c, (size_t)*n, sizeof *c, cmp_candidate);
    return c;
}

/* The +1 unit of candidate c as a one-change scenario. */
static pp_scenario *unit_scenario(const pp_school *s, const candidate *c, pp_marginal *mv)
{
    pp_scenario *u = pp_scenario_new("marginal", "marginal");
    pp_change *ch = u ? pp_scenario_add(u, c->venue ? PP_CHANGE_ADD_VENUES : PP_CHANGE_ADD_STAFF, 0) : NULL;
    char **per = u ? pp_arena_alloc(u->arena, sizeof *per) : NULL;
    char **spec = u ? pp_arena_alloc(u->arena, sizeof *spec) : NULL;
    if (!ch || !per || !spec) {
        pp_scenario_free(u);
        return NULL;
    }
    const pp_period *pe = &s->periods[c->period];
    per[0] = pe->id;
    ch->periods = per;
    ch->nperiods = 1;
    ch->days = (uint8_t)(1u << c->day);
    ch->count = 1;
    if (c->venue) {
        ch->speciality = s->venue_types[c->what];
        snprintf(mv->resource, sizeof mv->resource, "venue %s %s %s", s->venue_types[c->what], pp_day_name(c->day), pe->id);
        snprintf(mv->label, sizeof mv->label, "场地 %s %s %s +1个", s->venue_types[c->what], pp_day_name_zh(c->day), pe->name);
    } else if (c->what < 0) {
        ch->staff_type = PP_STAFF_TEACHER;
        snprintf(mv->resource, sizeof mv->resource, "staff care %s %s", pp_day_name(c->day), pe->id);
        snprintf(mv->label, sizeof mv->label, "看护教师 %s %s +1人", pp_day_name_zh(c->day), pe->name);
    } else {
        ch->staff_type = PP_STAFF_EXTERNAL;
        spec[0] = s->specialities[c->what];
        ch->specialities = spec;
        ch->nspecialities = 1;
        snprintf(mv->resource, sizeof mv->resource, "staff %s %s %s", s->specialities[c->what], pp_day_name(c->day), pe->id);
        snprintf(mv->label, sizeof mv->label, "%s 教练 %s %s +1人", s->specialities[c->what], pp_day_name_zh(c->day), pe->name);
    }
    return u;
}

/* Re-solves pair k with one more unit for the first p->marginal candidates of
 * plan.  The re-solves run under the short marginal time limit, so they are
 * compared with the pair re-solved under that same limit (when it is shorter than
 * the pair's own): a difference then measures the unit, not the time. */
static void marginal_values(const pp_manifest *m, int k, const pp_compare_params *p, const pp_school *s,
                            const pp_plan *plan, pp_pair_result *r)
{
    int n;
    candidate *c = candidates(s, plan, &n);
    pp_plan *ref_own = n > 0 && p->marginal_time_limit < p->time_limit ? solve_quiet(s, p->marginal_time_limit, NULL) : NULL;
    const pp_plan *ref = ref_own ? ref_own : plan;
    int want = p->marginal < PP_COMPARE_MAX_MARGINAL ? p->marginal : PP_COMPARE_MAX_MARGINAL;
    for (int i = 0; c && i < n && r->nmarginal < want; i++) {
        pp_marginal mv;
        memset(&mv, 0, sizeof mv);
        pp_scenario *u = unit_scenario(s, &c[i], &mv);
        pp_pair_result scratch;
        memset(&scratch, 0, sizeof scratch);
        pp_school *s2 = u ? load_pair(m, k, u, &scratch) : NULL;
        pp_plan *p2 = s2 ? solve_quiet(s2, p->marginal_time_limit, &scratch) : NULL;
        if (p2) {
            mv.gain = ref->stats.objective - p2->stats.objective;
            mv.served_gain = (long)ref->nunserved - p2->nunserved;
            r->marginal[r->nmarginal++] = mv;
        }
        pp_plan_free(p2);
        pp_school_free(s2);
        pp_scenario_free(u);
    }
    free(c);
    pp_plan_free(ref_own);
    /* best first; equal gains keep the candidate order */
    for (int i = 1; i < r->nmarginal; i++)
        for (int j = i; j > 0 && r->marginal[j].gain > r->marginal[j - 1].gain; j--) {
            pp_marginal t = r->marginal[j];
            r->marginal[j] = r->marginal[j - 1];
            r->marginal[j - 1] = t;
        }
}

static void identify(const pp_manifest *m, int k, pp_pair_result *r)
{
    const pp_scenario *sc = m->scenarios[k % m->nscenarios];
    r->school_index = k / m->nscenarios;
    r->scenario_index = k % m->nscenarios;
    pp_compare_copy(r->school_file, sizeof r->school_file, m->schools[k / m->nscenarios]);
    const char *base = strrchr(r->school_file, '/');
    pp_compare_copy(r->school_id, sizeof r->school_id, base ? base + 1 : r->school_file);
    pp_compare_copy(r->school_name, sizeof r->school_name, r->school_id);
    pp_compare_copy(r->scenario_id, sizeof r->scenario_id, sc->id);
    pp_compare_copy(r->scenario_name, sizeof r->scenario_name, sc->name);
}

int pp_compare_pair(const pp_manifest *m, int k, const pp_compare_params *p, pp_pair_result *r)
{
    memset(r, 0, sizeof *r);
    identify(m, k, r);
    pp_school *s = load_pair(m, k, NULL, r);
    if (!s)
        return 0;
    pp_compare_copy(r->school_id, sizeof r->school_id, s->id);
    pp_compare_copy(r->school_name, sizeof r->school_name, s->name);
    pp_plan *plan = solve_quiet(s, p->time_limit, r);
    int rc = 0;
    if (plan) {
        rc = pp_compare_measure(s, plan, r);
        if (rc == 0 && p->marginal > 0)
            marginal_values(m, k, p, s, plan, r);
    }
    pp_plan_free(plan);
    pp_school_free(s);
    return rc;
}

/* ---- files ------------------------------------------------------------- */

static int make_dir(const char *dir)
{
    struct stat sb;
    if (stat(dir, &sb) == 0)
        return S_ISDIR(sb.st_mode) ? 0 : -1;
    return mkdir(dir, 0777) == 0 || errno == EEXIST ? 0 : -1;
}

/* Writes what write(f, ctx) writes to path through a private temporary
 * (mkstemp, io/files.h), renamed when complete. */
static int write_atomic(const char *path, int (*write)(FILE *, const void *), const void *ctx)
{
    pp_diags *d = pp_diags_new();
    int rc = d ? pp_file_write_atomic(path, write, ctx, d) : -1;
    if (rc)
        fprintf(stderr, "paipian: %s\n", d ? pp_diags_get(d, 0) : "out of memory");
    pp_diags_free(d);
    return rc;
}

static int write_result_cb(FILE *f, const void *ctx)
{
    return pp_compare_write_result(f, ctx);
}

static void pair_path(char *buf, size_t n, const char *dir, int k)
{
    snprintf(buf, n, "%s/pairs/pair-%04d.txt", dir, k);
}

static int write_district_cb(FILE *f, const void *ctx)
{
    const pp_manifest *m = ctx;
    fprintf(f, "name=");
    for (const char *c = m->name; *c; c++)
        fputc(*c == '\n' ? ' ' : *c, f);
    fprintf(f, "\npairs=%d\n", pp_compare_npairs(m));
    for (int k = 0; k < pp_compare_npairs(m); k++) {
        pp_pair_result r;
        memset(&r, 0, sizeof r);
        identify(m, k, &r);
        fprintf(f, "pair=%d\t%s\t%s\t%s\n", k, r.school_file, r.scenario_id, r.scenario_name);
    }
    return fflush(f) != 0 || ferror(f) ? -1 : 0;
}

int pp_compare_prepare(const pp_manifest *m, const char *dir)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/pairs", dir);
    if (make_dir(dir) || make_dir(path)) {
        fprintf(stderr, "paipian: %s: cannot create the output folder: %s\n", path, strerror(errno));
        return -1;
    }
    snprintf(path, sizeof path, "%s/pairs/district.txt", dir);
    return write_atomic(path, write_district_cb, m);
}

int pp_compare_task(const pp_manifest *m, int k, const pp_compare_params *p, const char *dir)
{
    pp_pair_result *r = malloc(sizeof *r);
    if (!r)
        return -1;
    if (pp_compare_pair(m, k, p, r)) {
        memset(r, 0, sizeof *r);
        identify(m, k, r);
        pp_compare_set_error(r, "out of memory while solving this pair");
    }
    char path[4096];
    pair_path(path, sizeof path, dir, k);
    int rc = write_atomic(path, write_result_cb, r);
    free(r);
    return rc;
}

/* ---- worker pool --------------------------------------------------------- */

/* The failed result of a pair whose worker ended without writing one. */
static void write_lost(const pp_manifest *m, int k, int status, const char *dir)
{
    pp_pair_result *r = calloc(1, sizeof *r);
    if (!r)
        return;
    identify(m, k, r);
    char msg[300];
    if (WIFSIGNALED(status))
        snprintf(msg, sizeof msg, "the solver process ended with signal %d (%s) and wrote no result; "
                 "run paipian solve on the school with this scenario's changes to reproduce it",
                 WTERMSIG(status), strsignal(WTERMSIG(status)));
    else
        snprintf(msg, sizeof msg, "the solver process exited with code %d and wrote no result (disk full?)",
                 WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    pp_compare_set_error(r, msg);
    char path[4096];
    pair_path(path, sizeof path, dir, k);
    write_atomic(path, write_result_cb, r);
    free(r);
}

int pp_compare_run(const pp_manifest *m, const pp_compare_params *p, const char *dir, int *nfailed)
{
    int n = pp_compare_npairs(m), jobs = p->jobs > 0 ? p->jobs : 1;
    if (pp_compare_prepare(m, dir))
        return -1;
    pid_t *pid = calloc((size_t)jobs, sizeof *pid);
    int *pair = calloc((size_t)jobs, sizeof *pair);
    if (!pid || !pair) {
        free(pid);
        free(pair);
        fprintf(stderr, "paipian: out of memory\n");
        return -1;
    }
    int next = 0, running = 0, done = 0;
    while (next < n || running > 0) {
        while (running < jobs && next < n) {
            int slot = 0;
            while (pid[slot])
                slot++;
            fflush(stdout);
            fflush(stderr);
            pid_t c = fork();
            if (c < 0) {
                fprintf(stderr, "paipian: cannot start a worker process: %s\n", strerror(errno));
                break;
            }
            if (c == 0) {
#ifdef __linux__
                prctl(PR_SET_PDEATHSIG, SIGTERM); /* a killed run leaves no orphan solving on */
                if (getppid() == 1)
                    _exit(1);
#endif
                _exit(pp_compare_task(m, next, p, dir) ? 1 : 0);
            }
            pid[slot] = c;
            pair[slot] = next++;
            running++;
        }
        if (running == 0)
            break; /* fork failed with nothing running */
        int status;
        pid_t c = waitpid(-1, &status, 0);
        if (c < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        for (int slot = 0; slot < jobs; slot++) {
            if (pid[slot] != c)
                continue;
            pid[slot] = 0;
            running--;
            done++;
            char path[4096];
            pair_path(path, sizeof path, dir, pair[slot]);
            if (!(WIFEXITED(status) && WEXITSTATUS(status) == 0) || access(path, R_OK) != 0)
                write_lost(m, pair[slot], status, dir);
            if (!p->quiet)
                fprintf(stderr, "[%d/%d] %s x %s\n", done, n, m->schools[pair[slot] / m->nscenarios],
                        m->scenarios[pair[slot] % m->nscenarios]->id);
        }
    }
    free(pid);
    free(pair);
    if (next < n)
        return -1;
    return pp_compare_merge(dir, nfailed);
}

/* ---- merge -------------------------------------------------------------- */

typedef struct {
    const char *name;
    const pp_pair_result *r;
    int n;
} merged;

static int write_csv_cb(FILE *f, const void *ctx)
{
    const merged *x = ctx;
    return pp_compare_csv(f, x->r, x->n);
}

static int write_html_cb(FILE *f, const void *ctx)
{
    const merged *x = ctx;
    return pp_compare_html(f, x->name, x->r, x->n);
}

int pp_compare_merge(const char *dir, int *nfailed)
{
    char path[4096], line[2048], name[1024] = "";
    snprintf(path, sizeof path, "%s/pairs/district.txt", dir);
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "paipian: %s: cannot read: %s; expected the folder of a `paipian compare` run\n", path, strerror(errno));
        return -1;
    }
    int n = -1;
    pp_pair_result *r = NULL;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        int k;
        if (!strncmp(line, "name=", 5))
            pp_compare_copy(name, sizeof name, line + 5);
        else if (sscanf(line, "pairs=%d", &n) == 1 && n >= 0 && !r)
            r = calloc((size_t)n + 1, sizeof *r);
        else if (r && sscanf(line, "pair=%d\t", &k) == 1 && k >= 0 && k < n) {
            /* the identity of pair k, for a row when its result is missing */
            char *a = strchr(line, '\t'), *b = a ? strchr(a + 1, '\t') : NULL, *c = b ? strchr(b + 1, '\t') : NULL;
            if (!c)
                continue;
            *b = *c = '\0';
            pp_compare_copy(r[k].school_file, sizeof r[k].school_file, a + 1);
            pp_compare_copy(r[k].school_id, sizeof r[k].school_id, strrchr(a + 1, '/') ? strrchr(a + 1, '/') + 1 : a + 1);
            pp_compare_copy(r[k].scenario_id, sizeof r[k].scenario_id, b + 1);
            pp_compare_copy(r[k].scenario_name, sizeof r[k].scenario_name, c + 1);
            r[k].school_index = -1;
            r[k].scenario_index = -1;
        }
    }
    fclose(f);
    if (!r) {
        fprintf(stderr, "paipian: %s: no pairs= line; expected the file written by `paipian compare`\n", path);
        return -1;
    }
    int failed = 0, nsc = 0;
    for (int k = 0; k < n; k++) /* scenarios per school: the pair ids repeat with that period */
        if (k > 0 && !strcmp(r[k].school_file, r[0].school_file))
            nsc = k + 1;
    for (int k = 0; k < n && !nsc; k++)
        if (strcmp(r[k].school_file, r[0].school_file))
            nsc = k;
    if (!nsc)
        nsc = n > 0 ? n : 1;
    for (int k = 0; k < n; k++) {
        pair_path(path, sizeof path, dir, k);
        pp_pair_result got;
        FILE *g = fopen(path, "rb");
        if (g && pp_compare_read_result(g, &got) == 0 && got.school_index == k / nsc && got.scenario_index == k % nsc)
            r[k] = got;
        else {
            pp_pair_result id = r[k];
            memset(&r[k], 0, sizeof r[k]);
            pp_compare_copy(r[k].school_file, sizeof r[k].school_file, id.school_file);
            pp_compare_copy(r[k].school_id, sizeof r[k].school_id, id.school_id);
            pp_compare_copy(r[k].school_name, sizeof r[k].school_name, id.school_id);
            pp_compare_copy(r[k].scenario_id, sizeof r[k].scenario_id, id.scenario_id);
            pp_compare_copy(r[k].scenario_name, sizeof r[k].scenario_name, id.scenario_name);
            r[k].school_index = k / nsc;
            r[k].scenario_index = k % nsc;
            pp_compare_set_error(&r[k], g ? "the result file of this pair is incomplete; run the pair again"
                                          : "no result for this pair (its task did not run or did not finish); run it again");
        }
        if (g)
            fclose(g);
        failed += r[k].failed;
    }
    merged x = { name, r, n };
    snprintf(path, sizeof path, "%s/comparison.csv", dir);
    int rc = write_atomic(path, write_csv_cb, &x);
    snprintf(path, sizeof path, "%s/comparison.html", dir);
    if (rc == 0)
        rc = write_atomic(path, write_html_cb, &x);
    free(r);
    if (nfailed)
        *nfailed = failed;
    return rc;
}

/* ---- Slurm -------------------------------------------------------------- */

int pp_compare_slurm_script(FILE *f, const pp_manifest *m, const char *manifest_rel, const char *dir_rel,
                            const pp_compare_params *p)
{
    int n = pp_compare_npairs(m);
    char exe[4096], manifest[4096], dir[4096];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len <= 0 || !realpath(manifest_rel, manifest) || !realpath(dir_rel, dir)) {
        fprintf(stderr, "paipian: cannot find the absolute path of paipian, %s or %s: %s\n", manifest_rel, dir_rel,
                strerror(errno));
        return -1;
    }
    exe[len] = '\0';
    /* the wall-time limit of a task: the solve, the re-solves, a minute of slack */
    int minutes = (int)ceil((p->time_limit + p->marginal * p->marginal_time_limit + 60) / 60);
    fprintf(f, "#!/bin/sh\n"
               "# Generated by `paipian compare --slurm-script`: one array task per (school, scenario) pair.\n"
               "# Submit:  sbatch THIS_FILE\n"
               "# Merge when every task has ended:  '%s' compare --merge '%s'\n"
               "#SBATCH --job-name=paipian-compare\n"
               "#SBATCH --array=0-%d\n"
               "#SBATCH --ntasks=1\n"
               "#SBATCH --cpus-per-task=1\n"
               "#SBATCH --time=%d\n"
               "#SBATCH --output=\"%s/pairs/slurm-%%A_%%a.out\"\n"
               "exec '%s' compare '%s' --task \"$SLURM_ARRAY_TASK_ID\" -o '%s' --time-limit %g --marginal %d --marginal-time-limit %g\n",
            exe, dir, n - 1, minutes, dir, exe, manifest, dir, p->time_limit, p->marginal, p->marginal_time_limit);
    return fflush(f) != 0 || ferror(f) ? -1 : 0;
}
