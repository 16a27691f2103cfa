/* main.c - the paipian command line.  Only main decides exit codes; every library
 * call returns a status and messages.
 *
 *   paipian solve SCHOOL.xml -o DIR [options]   the term's timetable into DIR
 *   paipian check SCHOOL.xml TIMETABLE.xml      re-verify a written timetable
 *   paipian compare MANIFEST.xml -o DIR -j N    district scenarios side by side
 *
 * Outputs are written as one set (io/outdir.h): under a lock on DIR, into a
 * private staging folder, switched in only when all of them are complete, so a
 * failed run (full disk, out of memory, a rename refused) leaves DIR as it was.
 * GLPK's own errors (out of memory) are caught by its error hook and end the
 * run with exit 4 and a message instead of an abort. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <glpk.h>

#include "io/changes.h"
#include "io/compare.h"
#include "io/csv_read.h"
#include "io/files.h"
#include "io/html.h"
#include "io/import.h"
#include "io/outdir.h"
#include "io/pdf.h"
#include "io/report.h"
#include "io/school_write.h"
#include "io/scenario_xml.h"
#include "io/school_xml.h"
#include "io/sheet.h"
#include "io/sheet_export.h"
#include "io/timetable_xml.h"
#include "io/xlsx.h"
#include "model/check.h"
#include "model/plan.h"
#include "solver/compare_run.h"
#include "solver/explain.h"
#include "solver/fullmodel.h"
#include "solver/perturb.h"
#include "solver/replan.h"
#include "solver/solve.h"

enum { EXIT_SOLVED = 0, EXIT_USAGE = 1, EXIT_INPUT = 2, EXIT_PARTIAL = 3, EXIT_INTERNAL = 4 };

#define PP_VERSION "0.1"

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
    (void)sig;
    stop_requested = 1;
}

static void usage(FILE *f)
{
    fprintf(f,
            "paipian " PP_VERSION " - weekly after-school service timetables (课后服务排片表)\n"
            "\n"
            "Usage:\n"
            "  paipian solve SCHOOL.xml -o DIR [options]\n"
            "  paipian check SCHOOL.xml TIMETABLE.xml\n"
            "  paipian import SRC -o SCHOOL.xml [--encoding utf-8|gbk|gb18030]\n"
            "                       school from spreadsheets: SRC = a folder of CSV/.xlsx sheets\n"
            "                       or one .xlsx workbook (docs/SHEETS.md)\n"
            "  paipian import --template DIR   empty sheet templates into DIR\n"
            "  paipian export-sheets SCHOOL.xml -o DIR [--gbk]   the school as import sheets\n"
            "  paipian compare MANIFEST.xml -o DIR [-j N] [--time-limit SEC] [--marginal K]\n"
            "  paipian compare MANIFEST.xml -o DIR --slurm-script FILE | --task K\n"
            "  paipian compare --merge DIR\n"
            "  paipian --help | --version\n"
            "\n"
            "solve options:\n"
            "  -o, --output DIR     folder for the outputs (created if missing)\n"
            "  --time-limit SEC     stop the search after SEC seconds (default 60)\n"
            "  --gap FRACTION       stop when the plan is proven within this relative gap\n"
            "                       of the best possible (default 0.005 = 0.5%%)\n"
            "  --quiet              no progress on stderr\n"
            "  --write-lp FILE      also write the integer program in CPLEX LP format\n"
            "  --write-mps FILE     also write it in free MPS format\n"
            "  --write-full-lp FILE write the whole problem as one plain MIP (CPLEX LP) for\n"
            "                       CBC or HiGHS, the yardstick of small schools; without -o\n"
            "                       nothing is solved\n"
            "  --write-full-start FILE  after the solve, its plan as values of that MIP (CBC's\n"
            "                       solution format): a start for `cbc FULL.lp -mips FILE`\n"
            "  --read-full-solution FILE  the plan from a solver's solution of that MIP (CBC\n"
            "                       `solu` file, HiGHS solution file or name-value lines),\n"
            "                       written to -o DIR instead of solving\n"
            "  --no-heuristic       do not hand the greedy plan to GLPK as its first incumbent\n"
            "                       (for comparison; it still backs up a search without a plan)\n"
            "  --no-cuts            switch GLPK's cut generators off (for comparison)\n"
            "  --no-presolve        switch GLPK's MIP presolver off; the greedy plan is then\n"
            "                       handed to GLPK as its first incumbent\n"
            "  --pdf                also print the timetable to timetable.pdf (A4, with headless\n"
            "                       Chromium, which must be on PATH)\n"
            "  --from TIMETABLE.xml re-plan from this published plan of the same school: change\n"
            "                       as little of it as serves the school as it is now; writes\n"
            "                       changes.html and changes.csv (who must be told what)\n"
            "  --lock GROUP         with --from: keep published group GROUP (e.g. g12) as it is;\n"
            "                       repeatable\n"
            "  --no-scratch         with --from: skip the solve from scratch the changes are\n"
            "                       compared with (same time limit, run after the re-plan)\n"
            "\n"
            "Outputs in DIR: timetable.xml, timetable.html, timetable.csv, timetable.xlsx,\n"
            "\n"
            "Outputs in DIR: timetable.xml, timetable.html, timetable.csv, timetable.xlsx,\n"
            "students.html, students.csv, workload.csv, stats.txt (and timetable.pdf;\n"
            "with --from: changes.html, changes.csv).\n"
            "\n"
            "compare (district scenarios, docs/DISTRICT.md): every school of the manifest\n"
            "under every scenario (and the baseline), DIR/comparison.csv and .html:\n"
            "  -j, --jobs N         worker processes (default 1)\n"
            "  --time-limit SEC     per (school, scenario) solve (default 20)\n"
            "  --marginal K         scarce resources re-solved with one more unit (default 3)\n"
            "  --marginal-time-limit SEC  per re-solve (default 5)\n"
            "  --slurm-script FILE  write an sbatch job-array script (one task per pair)\n"
            "  --task K             solve pair K only (what each Slurm task runs)\n"
            "  --merge DIR          merge DIR/pairs/ into the comparison files\n"
            "  exit 3 when some pair failed (its row says why)\n"
            "\n"
            "Exit codes: 0 solved (every student served), 1 usage error, 2 invalid input,\n"
            "3 partial plan (a student-period without a group; `check`: violations found),\n"
            "4 not done for a reason other than the input: out of memory, disk full, the\n"
            "output folder in use by another run or refused (a symbolic link, a folder\n"
            "where an output goes), an internal error; DIR is then left as it was.\n"
            "Outputs are written all or nothing, one run per folder at a time (a lock).\n"
            "Resources too short for the demand (care, or clubs and\n"
            "courses students chose and did not get) are named on stderr, in stats.txt\n"
            "and in timetable.html, whatever the exit code.\n"
            "On Ctrl-C or SIGTERM during a solve the best plan so far is written, marked\n"
            "as not proven (status feasible) with its gap.\n");
}

/* ---------- output files ------------------------------------------------------ */

typedef int (*writer_fn)(FILE *f, const pp_school *s, const pp_plan *p);

/* A writer that needs a file name rather than a stream (libxlsxwriter, Chromium). */
typedef int (*path_writer_fn)(const char *path, const pp_school *s, const pp_plan *p, char *err, size_t errlen);

/* What the progress reports of one solve tell, for stats.txt: when the gap of the
 * integer program (the program --write-lp writes, so the figures compare with
 * another solver run on that file) was first reported at most 1%, and at its
 * final value.  Reports come about once a second and at each stage, so a time is
 * the first report that showed it: late by up to a second. */
typedef struct {
    int quiet;       /* print nothing on stderr */
    double t_1pct;   /* seconds; -1: never */
    int n, cap;      /* the reports whose program objective or bound changed */
    double *trace;   /* 3 per report: elapsed, ip objective, ip bound */
    int lost;        /* out of memory: the trace is incomplete */
    const pp_changes *ch; /* a re-plan (--from): the change notices; NULL none */
} run_log;

/* Relative gap as pp_solve reports it; INFINITY without a plan or a bound. */
static double rel_gap(double objective, double bound)
{
    if (!isfinite(objective) || !isfinite(bound))
        return INFINITY;
    return (objective - bound) / fmax(fabs(objective), 1e-9);
}

static void log_progress(run_log *r, const pp_progress *p)
{
    if (r->t_1pct < 0 && rel_gap(p->ip_objective, p->ip_bound) <= 0.01)
        r->t_1pct = p->elapsed;
    const double *last = r->n ? &r->trace[3 * (r->n - 1)] : NULL;
    if (r->lost || (last && last[1] == p->ip_objective && last[2] == p->ip_bound))
        return;
    if (r->n == r->cap) {
        int cap = r->cap ? 2 * r->cap : 64;
        double *t = realloc(r->trace, (size_t)cap * 3 * sizeof *t);
        if (!t) {
            r->lost = 1;
            return;
        }
        r->trace = t;
        r->cap = cap;
    }
    double *e = &r->trace[3 * r->n++];
    e[0] = p->elapsed;
    e[1] = p->ip_objective;
    e[2] = p->ip_bound;
}

/* The first report at which the program's gap was already its final one; -1 unknown. */
static double time_to_final(const run_log *r, const pp_plan_stats *st)
{
    double g = rel_gap(st->ip_objective, st->ip_bound);
    for (int i = 0; !r->lost && isfinite(g) && i < r->n; i++)
        if (rel_gap(r->trace[3 * i + 1], r->trace[3 * i + 2]) <= g + 1e-9)
            return r->trace[3 * i];
    return -1;
}

typedef struct {
    const char *name;
    writer_fn write;
    path_writer_fn write_path;
    int (*write_run)(FILE *f, const pp_school *s, const pp_plan *p, const run_log *r); /* needs the run too */
} output;

/* A time for stats.txt: empty when not known. */
static void put_time(FILE *f, const char *key, double t)
{
    if (t >= 0)
        fprintf(f, "%s=%.3f\n", key, t);
    else
        fprintf(f, "%s=\n", key);
}

static int write_stats(FILE *f, const pp_school *s, const pp_plan *p, const run_log *r)
{
    /* the solver's search and fix-and-optimise helper processes are reaped by
     * now; each peak counts the pages it shares with the others, so the sum is
     * an upper bound of what the three held at once */
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    const pp_plan_stats *st = &p->stats;
    fprintf(f, "status=%s\nstudents=%d\ngroups=%d\nstaff=%d\nvenues=%d\nunserved=%d\n", pp_status_name(st->status),
            s->nstudents, p->ngroups, s->nstaff, s->nvenues, p->nunserved);
    fprintf(f, "rows=%d\ncols=%d\nint_cols=%d\nsense=min\n", st->rows, st->cols, st->int_cols);
    fprintf(f, "bound=%.4f\nobjective=%.4f\ngap_pct=%.4f\n", st->bound, st->objective, 100 * st->gap);
    fprintf(f, "ip_objective=%.4f\nip_bound=%.4f\n", st->ip_objective, st->ip_bound);
    pp_cost_parts c;
    if (pp_plan_cost_parts(s, p, &c))
        return -1;
    fprintf(f, "cost_unserved=%.4f\ncost_choices=%.4f\ncost_groups=%.4f\ncost_cross_grade=%.4f\n", c.unserved,
            c.choices, c.groups, c.cross_grade);
    fprintf(f, "cost_external=%.4f\ncost_max_load=%.4f\n", c.external, c.max_load);
    fprintf(f, "first_feasible_s=%.3f\ntotal_s=%.3f\n", st->first_feasible_seconds, st->seconds);
    put_time(f, "time_to_1pct_s", r ? r->t_1pct : -1);
    put_time(f, "time_to_final_s", r ? time_to_final(r, st) : -1);
    double parent = ru.ru_maxrss / 1024.0;
    fprintf(f, "peak_rss_parent_mib=%.1f\npeak_rss_search_mib=%.1f\npeak_rss_helper_mib=%.1f\npeak_rss_sum_mib=%.1f\n",
            parent, st->search_peak_rss_mib, st->helper_peak_rss_mib,
            parent + st->search_peak_rss_mib + st->helper_peak_rss_mib);
    fprintf(f, "partial=%d\nshortages=%d\n", pp_explain_partial(p), p->nshortages);
    for (int i = 0; i < p->nshortages; i++) {
        fputs("shortage=", f);
        pp_text_escape(f, p->shortages[i].text); /* one line each, whatever the names hold */
        fputc('\n', f);
    }
    for (int k = 0; r && r->ch && k < 2; k++) { /* a re-plan's figures, and those of the solve from scratch */
        const pp_change_counts *c = pp_changes_counts(r->ch, k);
        if (!c || !c->valid)
            continue;
        const char *w = k ? "scratch" : "replan";
        fprintf(f, "%s_objective=%.4f\n%s_s=%.3f\n%s_moved_students=%d\n%s_moved_entries=%d\n", w, c->objective, w,
                c->seconds, w, c->moved_students, w, c->moved_entries);
        fprintf(f, "%s_groups_changed=%d\n%s_groups_forced=%d\n%s_groups_new=%d\n%s_staff_changed=%d\n", w,
                c->groups_changed, w, c->groups_forced, w, c->groups_new, w, c->staff_changed);
        fprintf(f, "%s_moved_unaffected=%d\n", w, c->moved_unaffected);
        fprintf(f, "%s_affected=%d\n%s_students_told=%d\n%s_staff_told=%d\n%s_venues_told=%d\n", w, c->affected, w,
                c->students_told, w, c->staff_told, w, c->venues_told);
    }
    return ferror(f) ? -1 : 0;
}

static int write_changes_html(FILE *f, const pp_school *s, const pp_plan *p, const run_log *r)
{
    (void)s;
    (void)p;
    return pp_changes_html(f, r->ch);
}

static int write_changes_csv(FILE *f, const pp_school *s, const pp_plan *p, const run_log *r)
{
    (void)s;
    (void)p;
    return pp_changes_csv(f, r->ch);
}

static const output outputs[] = {
    { "timetable.xml", pp_ttxml_write, NULL, NULL },
    { "timetable.html", pp_html_timetable, NULL, NULL },
    { "timetable.csv", pp_report_timetable_csv, NULL, NULL },
    { "students.html", pp_html_students, NULL, NULL },
    { "students.csv", pp_report_students_csv, NULL, NULL },
    { "workload.csv", pp_report_workload_csv, NULL, NULL },
    { "timetable.xlsx", NULL, pp_xlsx_write, NULL },
    { "stats.txt", NULL, NULL, write_stats },
};
#define NOUT (sizeof outputs / sizeof outputs[0])

static const output pdf_output = { "timetable.pdf", NULL, pp_pdf_write, NULL };
static const output change_outputs[] = {
    { "changes.html", NULL, NULL, write_changes_html },
    { "changes.csv", NULL, NULL, write_changes_csv },
};

/* The table, then the PDF when asked for, then the change notices of a re-plan. */
static const output *output_at(size_t i, int pdf)
{
    if (i < NOUT)
        return &outputs[i];
    if (pdf && i == NOUT)
        return &pdf_output;
    return &change_outputs[i - NOUT - (pdf != 0)];
}

/* Every output into the staging folder of od, then switched into DIR all at
 * once (io/outdir.h).  0, or -1 with the messages in d and DIR as it was. */
static int write_outputs(pp_outdir *od, const pp_school *s, const pp_plan *p, int pdf, const run_log *r,
                         pp_diags *d)
{
    size_t n = NOUT + (pdf != 0) + (r && r->ch ? 2 : 0);
    for (size_t i = 0; i < n; i++) {
        const output *o = output_at(i, pdf);
        if (o->write_path) {
            char err[8192];
            const char *path = pp_outdir_path(od, o->name, d);
            if (!path)
                return -1;
            int bad = r && r->ch && o->write_path == pp_xlsx_write
                          ? pp_xlsx_write_changes(path, s, p, r->ch, err, sizeof err)
                          : o->write_path(path, s, p, err, sizeof err);
            if (bad) {
                if (pp_outdir_disk_full(od))
                    pp_diags_add(d, pp_outdir_dir(od), 0, "%s: write failed: disk full (no space left on device)", o->name);
                else
                    pp_diags_add(d, NULL, 0, "%s", err);
                return -1;
            }
            if (pp_outdir_sync_path(od, o->name, d))
                return -1;
            continue;
        }
        FILE *f = pp_outdir_create(od, o->name, d);
        if (!f)
            return -1;
        int w = o->write ? o->write(f, s, p) : o->write_run(f, s, p, r);
        if (pp_outdir_finish(od, o->name, f, w != 0, d))
            return -1;
    }
    return pp_outdir_commit(od, d);
}

/* Opens the output folder of a solve and checks every output name in it
 * before the (long) solve; NULL with the messages printed. */
static pp_outdir *open_outputs(const char *dir, int pdf, int changes)
{
    pp_diags *d = pp_diags_new();
    pp_outdir *od = d ? pp_outdir_open(dir, d) : NULL;
    const char *names[NOUT + 3];
    size_t n = NOUT + (pdf != 0) + (changes ? 2 : 0);
    for (size_t i = 0; i < n; i++)
        names[i] = output_at(i, pdf)->name;
    if (od && pp_outdir_check(od, (int)n, names, d)) {
        pp_outdir_close(od);
        od = NULL;
    }
    if (!od) {
        pp_diags_print(d, stderr);
        fprintf(stderr, "paipian: nothing was solved or written\n");
    }
    pp_diags_free(d);
    return od;
}

/* ---------- GLPK's errors -------------------------------------------------------- */

/* GLPK stops on an error (out of memory above all: glp_alloc) by printing a
 * message and calling abort(), unless an error hook takes over; its manual's
 * way back is glp_free_env() then longjmp.  The hook jumps back to the solve in
 * this process; in a helper process the solver forked (its search, its
 * fix-and-optimise) it ends that process, and the solve goes on with the plan
 * it kept aside, as for any helper that fails. */
typedef struct {
    jmp_buf back;
    pid_t pid;         /* the process that installed the hook */
    char text[600];    /* the last lines GLPK printed: its error message */
    size_t len;
} glpk_trap;

static int on_glpk_print(void *info, const char *msg)
{
    glpk_trap *t = info;
    size_t n = strlen(msg), room = sizeof t->text - 1;
    if (n > room) {
        msg += n - room;
        n = room;
    }
    if (t->len + n > room)
        t->len = 0; /* the error message is the last thing printed: keep the tail */
    memcpy(t->text + t->len, msg, n);
    t->len += n;
    t->text[t->len] = '\0';
    return 1; /* never on stdout, which is paipian's */
}

static void on_glpk_error(void *info)
{
    glpk_trap *t = info;
    if (getpid() != t->pid)
        _exit(EXIT_INTERNAL);
    glp_free_env();
    longjmp(t->back, 1);
}

/* pp_solve with GLPK's errors caught: -1 when GLPK stopped with one (the
 * message is then printed). */
static int solve_trapped(const pp_school *s, const pp_solve_params *prm, pp_plan **plan, pp_diags *d, glpk_trap *t,
                         pp_solve_rc *st)
{
    t->pid = getpid();
    t->len = 0;
    t->text[0] = '\0';
    glp_term_hook(on_glpk_print, t);
    glp_error_hook(on_glpk_error, t);
    if (setjmp(t->back)) {
        char *cut = strstr(t->text, "Error detected in file"); /* GLPK's source line, not for the user */
        if (cut)
            *cut = '\0';
        for (char *nl; (nl = strchr(t->text, '\n')) != NULL;)
            *nl = nl[1] ? ' ' : '\0';
        if (strstr(t->text, "no memory") || strstr(t->text, "memory limit"))
            fprintf(stderr, "paipian: out of memory: GLPK could not allocate memory while solving (\"%.200s\"); expected "
                            "more memory than this process may use (see ulimit -v); nothing was written\n", t->text);
        else
            fprintf(stderr, "paipian: GLPK stopped with an internal error (\"%.300s\"); nothing was written\n", t->text);
        return -1;
    }
    *st = pp_solve(s, prm, plan, d);
    glp_error_hook(NULL, NULL);
    glp_term_hook(NULL, NULL);
    return 0;
}

/* ---------- commands ------------------------------------------------------------ */

/* The school at path, or NULL with the problems printed and *rc the exit code:
 * invalid input, or out of memory (not the input's fault). */
static pp_school *load_school(const char *path, int *rc)
{
    pp_diags *d = pp_diags_new();
    *rc = EXIT_INTERNAL;
    if (!d) {
        fprintf(stderr, "paipian: out of memory; nothing was written\n");
        return NULL;
    }
    pp_school *s = pp_xml_load_school(path, d);
    if (!s && pp_diags_oom(d)) {
        fprintf(stderr, "paipian: %s: out of memory while loading the school; expected more memory than this process "
                        "may use (see ulimit -v); nothing was written\n", path);
    } else if (!s) {
        pp_diags_print(d, stderr);
        fprintf(stderr, "paipian: %s: %d problem%s; nothing was written\n", path, pp_diags_count(d),
                pp_diags_count(d) == 1 ? "" : "s");
        *rc = EXIT_INPUT;
    }
    pp_diags_free(d);
    return s;
}

/* A path given on the command line the system could not use: over PATH_MAX
 * once the longest name paipian puts in it (room bytes) is added.  Said
 * before any work; 0 when it is fine. */
static int path_too_long(const char *what, const char *path, size_t room)
{
    size_t n = strlen(path);
    if (n + room <= PP_PATH_MAX)
        return 0;
    fprintf(stderr, "paipian: the %s path is %zu bytes long; expected at most %zu bytes\n", what, n, PP_PATH_MAX - room);
    return 1;
}

/* The longest name compare puts in its folder: pairs/pair-NNNNNNN.txt's temporary. */
#define COMPARE_ROOM sizeof "/pairs/.pair-0000000.txt.XXXXXX"

static void progress(void *ctx, const pp_progress *p)
{
    run_log *r = ctx;
    log_progress(r, p);
    if (r->quiet || p->elapsed < 1.0) /* quick solves stay silent */
        return;
    if (isnan(p->objective) && isinf(p->bound))
        fprintf(stderr, "[%6.1fs] %s: searching\n", p->elapsed, p->phase);
    else if (isnan(p->objective))
        fprintf(stderr, "[%6.1fs] %s: no plan yet, bound %.1f\n", p->elapsed, p->phase, p->bound);
    else if (isinf(p->bound))
        fprintf(stderr, "[%6.1fs] %s: best %.1f\n", p->elapsed, p->phase, p->objective);
    else
        fprintf(stderr, "[%6.1fs] %s: best %.1f  bound %.1f  gap %.2f%%\n", p->elapsed, p->phase, p->objective, p->bound,
                100 * (p->objective - p->bound) / fmax(fabs(p->objective), 1e-9));
}

static int parse_double(const char *opt, const char *v, double lo, double hi, double *out)
{
    char *end;
    errno = 0;
    double x = v ? strtod(v, &end) : 0;
    if (!v || errno || *end || !(x >= lo && x <= hi)) {
        fprintf(stderr, "paipian: %s expects a number from %g to %g, got \"%s\"\n", opt, lo, hi, v ? v : "");
        return -1;
    }
    *out = x;
    return 0;
}

/* --from: the published plan, read against the school as it is now, and the
 * locks (gN) as its group indices in prm.  NULL after printing why (exit 2). */
static pp_published *load_published(const pp_school *s, const char *from, char **lock_ids, int nlocks, int *locks,
                                    pp_solve_params *prm)
{
    pp_diags *d = pp_diags_new();
    pp_published *pub = d ? pp_published_read(from, s, d) : NULL;
    char why[1200];
    int bad = !pub;
    for (int i = 0; pub && i < nlocks; i++)
        if ((locks[i] = pp_published_group(pub, lock_ids[i], why, sizeof why)) < 0) {
            pp_diags_add(d, NULL, 0, "--lock %s: %s", lock_ids[i], why);
            bad = 1;
        }
    if (!bad && pp_replan_check_locks(s, pp_published_plan(pub), pp_published_numbers(pub), locks, nlocks, d))
        bad = 1;
    if (bad && d) {
        pp_diags_print(d, stderr);
        fprintf(stderr, "paipian: --from %s: cannot re-plan school \"%s\" from it; nothing was written\n", from, s->id);
    }
    pp_diags_free(d);
    if (bad) {
        pp_published_free(pub);
        return NULL;
    }
    prm->previous = pp_published_plan(pub);
    prm->previous_numbers = pp_published_numbers(pub);
    prm->locks = locks;
    prm->nlocks = nlocks;
    return pub;
}

/* The charges of plan against the published plan, as the notices show them. */
static int change_counts(const pp_school *s, const pp_published *pub, const pp_perturb *pert, const pp_plan *plan,
                         pp_change_counts *c)
{
    pp_perturb_counts k;
    if (pp_perturb_count(pert, plan, &k, NULL) || pp_changes_measure(s, pub, plan, c))
        return -1;
    c->valid = 1;
    c->objective = pp_plan_cost(s, plan) + k.cost;
    c->seconds = plan->stats.seconds;
    c->moved_students = k.moved_students;
    c->moved_entries = k.moved_entries;
    c->groups_changed = k.groups_changed;
    c->groups_forced = k.groups_forced;
    c->groups_new = k.groups_new;
    c->staff_changed = k.staff_changed;
    c->affected = k.affected;
    c->moved_unaffected = k.moved_unaffected;
    c->students = k.students;
    return 0;
}

/* The solve from scratch bounds the re-plan too: its objective is the re-plan's
 * without the charges, which are never negative, and the locks only restrict it.
 * So the larger of the two bounds stands (for an unchanged school the scratch
 * solve is the published one, and the plan keeps its published figures). */
static void raise_bound(pp_plan *plan, const pp_plan *scratch, double gap_target)
{
    pp_plan_stats *st = &plan->stats;
    if (!scratch || !(scratch->stats.bound > st->bound))
        return;
    st->bound = scratch->stats.bound < st->objective ? scratch->stats.bound : st->objective;
    st->gap = (st->objective - st->bound) / fmax(fabs(st->objective), 1e-9);
    if (st->status == PP_STATUS_FEASIBLE && st->gap <= gap_target + 1e-9)
        st->status = PP_STATUS_OPTIMAL;
}

/* After a re-plan: a solve from scratch of the same school with the same limits
 * (unless no_scratch or interrupted), whose bound may raise the plan's, and the
 * change notices of the plan with both sets of figures.  NULL when out of memory
 * or the solve failed. */
static pp_changes *replan_changes(const pp_school *s, const pp_published *pub, pp_plan *plan,
                                  const pp_solve_params *prm, int no_scratch, glpk_trap *trap)
{
    pp_perturb *pert = pp_perturb_new(s, pp_published_plan(pub));
    pp_diags *d = pp_diags_new();
    pp_plan *scratch = NULL;
    pp_change_counts mine = { 0 }, theirs = { 0 };
    pp_changes *ch = NULL;
    if (!pert || !d)
        goto out;
    if (!no_scratch && !stop_requested) {
        pp_solve_params p2 = *prm;
        p2.previous = NULL;
        p2.previous_numbers = p2.locks = NULL;
        p2.nlocks = 0;
        p2.quiet = 1;
        p2.progress = NULL;
        if (!prm->quiet)
            fprintf(stderr, "paipian: solving from scratch too, to compare (--no-scratch skips it)\n");
        pp_solve_rc src = PP_SOLVE_OK;
        if (solve_trapped(s, &p2, &scratch, d, trap, &src)) {
            scratch = NULL;
            goto out;
        }
        if (src != PP_SOLVE_OK)
            pp_diags_print(d, stderr);
        raise_bound(plan, scratch, prm->gap);
    }
    if (change_counts(s, pub, pert, plan, &mine) || (scratch && change_counts(s, pub, pert, scratch, &theirs)))
        goto out;
    mine.objective = plan->stats.objective;
    ch = pp_changes_new(s, pub, plan, &mine, scratch ? &theirs : NULL);
    if (ch && !prm->quiet) {
        printf("re-plan: %d students moved (%d of the %d not directly affected), %d groups changed (%d forced), "
               "%d new, %d staff", mine.moved_students, mine.moved_unaffected, mine.students - mine.affected,
               mine.groups_changed, mine.groups_forced, mine.groups_new, mine.staff_changed);
        if (scratch)
            printf("; from scratch: %d moved (%d), %d groups changed, %d staff", theirs.moved_students,
                   theirs.moved_unaffected, theirs.groups_changed, theirs.staff_changed);
        printf("\n");
    }
out:
    pp_plan_free(scratch);
    pp_perturb_free(pert);
    pp_diags_free(d);
    return ch;
}

/* Writes the full model (--write-full-lp) and/or makes the plan of a solver's
 * solution of it (--read-full-solution).  Returns an exit code, or -1 when the
 * normal solve is to follow. */
static int full_model(const pp_school *s, const char *lp, const char *sol, const char *dir, int quiet, int pdf)
{
    pp_diags *d = pp_diags_new();
    pp_full *m = NULL;
    pp_plan *plan = NULL;
    pp_full_solution fs = { 0 };
    int rc = EXIT_INTERNAL;
    if (!d || pp_full_build(s, &m, d))
        goto out;
    int rows, cols, ints;
    pp_full_size(m, &rows, &cols, &ints);
    if (lp) {
        if (pp_full_write_lp(m, lp, d))
            goto out;
        if (!quiet)
            fprintf(stderr, "paipian: full model: %d rows, %d columns (%d integer) -> %s\n", rows, cols, ints, lp);
    }
    rc = -1;
    if (!sol)
        goto out;
    rc = EXIT_INPUT;
    if (pp_full_read_solution(m, sol, &fs, d))
        goto out;
    rc = EXIT_INTERNAL;
    if (pp_full_plan(m, &fs, &plan, d) || pp_explain_plan(s, plan) < 0)
        goto out;
    pp_outdir *od = open_outputs(dir, pdf, 0);
    if (!od)
        goto out;
    int bad = write_outputs(od, s, plan, pdf, NULL, d);
    pp_outdir_close(od);
    if (bad) {
        fprintf(stderr, "paipian: %s: the outputs were not written; the folder is as it was before this run\n", dir);
        goto out;
    }
    const pp_plan_stats *st = &plan->stats;
    if (!quiet || plan->nunserved)
        printf("%s: %d students, %d groups; full model %s, program objective %.4f, plan cost %.4f -> %s/\n", s->name,
               s->nstudents, plan->ngroups, fs.status[0] ? fs.status : "(status unknown)", st->ip_objective,
               st->objective, dir);
    if (plan->nunserved)
        fprintf(stderr, "paipian: %d student-periods unserved (see timetable.html, 未安排)\n", plan->nunserved);
    rc = pp_explain_partial(plan) ? EXIT_PARTIAL : EXIT_SOLVED;
out:
    if (d && pp_diags_count(d))
        pp_diags_print(d, stderr);
    pp_full_solution_free(&fs);
    pp_plan_free(plan);
    pp_full_free(m);
    pp_diags_free(d);
    return rc;
}

/* The plan as values of the full model's columns (--write-full-start). */
static int write_full_start(const pp_school *s, const pp_plan *plan, const char *path)
{
    pp_diags *d = pp_diags_new();
    pp_full *m = NULL;
    pp_full_solution sol = { 0 };
    int rc = !d || pp_full_build(s, &m, d) || pp_full_values_of_plan(m, plan, &sol, d) ||
                     pp_full_write_solution(m, &sol, path, d)
                 ? -1
                 : 0;
    if (d)
        pp_diags_print(d, stderr);
    pp_full_solution_free(&sol);
    pp_full_free(m);
    pp_diags_free(d);
    return rc;
}

/* lock_ids and locks have room for argc entries. */
static int solve_with(int argc, char **argv, char **lock_ids, int *locks)
{
    const char *school = NULL, *dir = NULL, *from = NULL, *full_lp = NULL, *full_sol = NULL, *full_start = NULL;
    int pdf = 0, nlocks = 0, no_scratch = 0;
    pp_solve_params prm;
    pp_solve_params_init(&prm);
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
            if (!v)
                goto missing;
            dir = v;
            i++;
        } else if (!strcmp(a, "--time-limit")) {
            if (parse_double(a, v, 0.1, 1e6, &prm.time_limit))
                return EXIT_USAGE;
            i++;
        } else if (!strcmp(a, "--gap")) {
            if (parse_double(a, v, 0, 1, &prm.gap))
                return EXIT_USAGE;
            i++;
        } else if (!strcmp(a, "--quiet") || !strcmp(a, "-q"))
            prm.quiet = 1;
        else if (!strcmp(a, "--write-lp")) {
            if (!v)
                goto missing;
            prm.write_lp = v;
            i++;
        } else if (!strcmp(a, "--write-mps")) {
            if (!v)
                goto missing;
            prm.write_mps = v;
            i++;
        } else if (!strcmp(a, "--no-heuristic"))
            prm.use_heuristic = 0;
        else if (!strcmp(a, "--no-presolve"))
            prm.presolve = 0;
        else if (!strcmp(a, "--no-cuts"))
            prm.cuts = 0;
        else if (!strcmp(a, "--pdf"))
            pdf = 1;
        else if (!strcmp(a, "--write-full-lp") || !strcmp(a, "--read-full-solution") ||
                 !strcmp(a, "--write-full-start")) {
            if (!v)
                goto missing;
            *(!strcmp(a, "--write-full-lp") ? &full_lp : !strcmp(a, "--write-full-start") ? &full_start : &full_sol) = v;
            i++;
        } else if (!strcmp(a, "--from") || !strcmp(a, "--lock")) {
            if (!v)
                goto missing;
            if (a[2] == 'f')
                from = v;
            else
                lock_ids[nlocks++] = argv[i + 1];
            i++;
        } else if (!strcmp(a, "--no-scratch"))
            no_scratch = 1;
        else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "paipian: unknown option %s (see paipian --help)\n", a);
            return EXIT_USAGE;
        } else if (!school)
            school = a;
        else {
            fprintf(stderr, "paipian: unexpected argument %s (see paipian --help)\n", a);
            return EXIT_USAGE;
        }
    }
    if (!school || (!dir && !full_lp) || (full_sol && !dir)) {
        fprintf(stderr, "paipian: solve needs SCHOOL.xml and -o DIR (see paipian --help)\n");
        return EXIT_USAGE;
    }
    if (!from && (nlocks || no_scratch)) {
        fprintf(stderr, "paipian: --lock and --no-scratch re-plan from a published plan: they need --from (see paipian --help)\n");
        return EXIT_USAGE;
    }
    if (dir && path_too_long("-o", dir, PP_OUTDIR_ROOM))
        return EXIT_USAGE;
    char *chromium = pdf ? pp_pdf_find_chromium() : NULL;
    if (pdf && !chromium) { /* before a long solve, not after it */
        fprintf(stderr, "paipian: --pdf needs Chromium on PATH (Debian package chromium); none found\n");
        return EXIT_USAGE;
    }
    free(chromium);
    int rc;
    pp_school *s = load_school(school, &rc);
    if (!s)
        return rc;
    char digest[17];
    if (pp_file_digest(school, digest) == 0)
        prm.school_digest = digest;
    if (full_lp || full_sol) {
        int frc = full_model(s, full_lp, full_sol, dir, prm.quiet, pdf);
        if (frc >= 0 || !dir) {
            pp_school_free(s);
            return frc >= 0 ? frc : EXIT_SOLVED;
        }
    }
    pp_outdir *od = open_outputs(dir, pdf, from != NULL); /* the folder's lock is held from here to the end */
    if (!od) {
        pp_school_free(s);
        return EXIT_INTERNAL;
    }
    struct sigaction sa = { 0 };
    sa.sa_handler = on_signal;
    sa.sa_flags = SA_RESETHAND; /* a second Ctrl-C ends the program at once */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    prm.interrupt = &stop_requested;
    /* --quiet silences the printing, not the reports: stats.txt times them */
    run_log rlog = { .quiet = prm.quiet, .t_1pct = -1 };
    prm.quiet = 0;
    prm.progress = progress;
    prm.progress_ctx = &rlog;
    pp_diags *d = pp_diags_new();
    pp_plan *plan = NULL;
    pp_published *pub = NULL;
    pp_changes *ch = NULL;
    rc = EXIT_INTERNAL;
    glpk_trap trap;
    pp_solve_rc src = PP_SOLVE_OK;
    if (!d)
        goto out;
    if (from && !(pub = load_published(s, from, lock_ids, nlocks, locks, &prm))) {
        rc = EXIT_INPUT;
        goto out;
    }
    if (solve_trapped(s, &prm, &plan, d, &trap, &src)) {
        plan = NULL; /* GLPK's memory is gone with its environment; the plan was never returned */
        goto out;
    }
    if (src != PP_SOLVE_OK) {
        pp_diags_print(d, stderr);
        fprintf(stderr, "paipian: no plan was made; nothing was written\n");
        goto out;
    }
    if (stop_requested && plan->stats.status == PP_STATUS_OPTIMAL && plan->stats.gap > 0)
        plan->stats.status = PP_STATUS_FEASIBLE;
    if (pp_explain_plan(s, plan) < 0) {
        fprintf(stderr, "paipian: out of memory explaining the plan's shortages; nothing was written\n");
        goto out;
    }
    prm.quiet = rlog.quiet;
    if (pub && !(ch = replan_changes(s, pub, plan, &prm, no_scratch, &trap))) {
        fprintf(stderr, "paipian: the plan could not be compared with the published one; nothing was written\n");
        goto out;
    }
    rlog.ch = ch;
    if (write_outputs(od, s, plan, pdf, &rlog, d)) {
        pp_diags_print(d, stderr);
        fprintf(stderr, "paipian: %s: the outputs were not written; the folder is as it was before this run\n", dir);
        goto out;
    }
    if (full_start && write_full_start(s, plan, full_start))
        goto out;
    const pp_plan_stats *st = &plan->stats;
    if (!rlog.quiet || plan->nunserved) {
        pp_text_escape(stdout, s->name);
        printf(": %d students, %d groups, %d staff, %d venues; %s, objective %.1f, bound %.1f, gap %.2f%%, %.1f s -> ",
               s->nstudents, plan->ngroups, s->nstaff, s->nvenues, pp_status_name(st->status), st->objective,
               st->bound, 100 * st->gap, st->seconds);
        pp_text_escape(stdout, dir);
        printf("/\n");
    }
    if (plan->nunserved) {
        fprintf(stderr, "paipian: %d student-periods unserved (see timetable.html, 未安排); first: ", plan->nunserved);
        pp_text_escape(stderr, plan->unserved[0].reason);
        fputc('\n', stderr);
    }
    for (int i = 0; i < plan->nshortages && i < 10; i++) {
        fputs("paipian: short: ", stderr);
        pp_text_escape(stderr, plan->shortages[i].text);
        fputc('\n', stderr);
    }
    if (plan->nshortages > 10)
        fprintf(stderr, "paipian: %d more shortages in %s/stats.txt\n", plan->nshortages - 10, dir);
    rc = pp_explain_partial(plan) ? EXIT_PARTIAL : EXIT_SOLVED;
out:
    free(rlog.trace);
    pp_outdir_close(od);
    pp_changes_free(ch);
    pp_plan_free(plan);
    pp_published_free(pub);
    pp_diags_free(d);
    pp_school_free(s);
    return rc;
missing:
    fprintf(stderr, "paipian: option %s needs a value (see paipian --help)\n", argv[argc - 1]);
    return EXIT_USAGE;
}

static int cmd_solve(int argc, char **argv)
{
    char **lock_ids = calloc((size_t)argc + 1, sizeof *lock_ids);
    int *locks = calloc((size_t)argc + 1, sizeof *locks);
    int rc = lock_ids && locks ? solve_with(argc, argv, lock_ids, locks) : EXIT_INTERNAL;
    free(lock_ids);
    free(locks);
    return rc;
}

static int cmd_check(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "paipian: check needs SCHOOL.xml and TIMETABLE.xml (see paipian --help)\n");
        return EXIT_USAGE;
    }
    int rc;
    pp_school *s = load_school(argv[0], &rc);
    if (!s)
        return rc;
    pp_diags *d = pp_diags_new();
    rc = EXIT_INTERNAL;
    pp_plan *p = d ? pp_ttxml_read(argv[1], s, d) : NULL;
    if (!p) {
        if (d)
            pp_diags_print(d, stderr);
        rc = pp_diags_oom(d) || !d ? EXIT_INTERNAL : EXIT_INPUT;
        goto out;
    }
    /* violations, then the shortage notes, then the summary line */
    pp_diags *notes = pp_diags_new();
    pp_check_counts k;
    int n = notes ? pp_check_run(s, p, d, notes, &k) : -1;
    pp_diags_print(d, stdout);
    if (notes)
        pp_diags_print(notes, stdout);
    pp_diags_free(notes);
    char line[512];
    if (n >= 0)
        printf("%s\n", pp_check_summary(&k, line, sizeof line));
    rc = n < 0 ? EXIT_INTERNAL : n ? EXIT_PARTIAL : EXIT_SOLVED;
out:
    pp_plan_free(p);
    pp_diags_free(d);
    pp_school_free(s);
    return rc;
}

/* Prints every problem and a summary line naming what was (not) written. */
static void print_problems(pp_diags *d, const char *what)
{
    pp_diags_print(d, stderr);
    fprintf(stderr, "paipian: %s: %d problem%s; nothing was written\n", what, pp_diags_count(d),
            pp_diags_count(d) == 1 ? "" : "s");
}

static int cmd_import(int argc, char **argv)
{
    const char *src = NULL, *out = NULL, *enc = NULL, *tmpl = NULL;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if ((!strcmp(a, "-o") || !strcmp(a, "--output") || !strcmp(a, "--encoding") || !strcmp(a, "--template")) && !v) {
            fprintf(stderr, "paipian: option %s needs a value (see paipian --help)\n", a);
            return EXIT_USAGE;
        }
        if (!strcmp(a, "-o") || !strcmp(a, "--output"))
            out = argv[++i];
        else if (!strcmp(a, "--encoding"))
            enc = argv[++i];
        else if (!strcmp(a, "--template"))
            tmpl = argv[++i];
        else if (a[0] == '-' || src) {
            fprintf(stderr, "paipian: unexpected argument %s (see paipian --help)\n", a);
            return EXIT_USAGE;
        } else
            src = a;
    }
    if (enc && !pp_csv_encoding_known(enc)) {
        fprintf(stderr, "paipian: --encoding %s is not supported; expected utf-8, gbk or gb18030\n", enc);
        return EXIT_USAGE;
    }
    pp_diags *d = pp_diags_new();
    if (!d)
        return EXIT_INTERNAL;
    int rc = EXIT_INTERNAL;
    if (tmpl && !src && !out) {
        rc = pp_import_write_templates(tmpl, d) ? EXIT_INTERNAL : EXIT_SOLVED;
        if (rc)
            pp_diags_print(d, stderr);
        else
            printf("templates for %d tables -> %s/\n", PP_TABLES, tmpl);
        pp_diags_free(d);
        return rc;
    }
    if (!src || !out || tmpl) {
        fprintf(stderr, "paipian: import needs SRC and -o SCHOOL.xml, or only --template DIR (see paipian --help)\n");
        pp_diags_free(d);
        return EXIT_USAGE;
    }
    struct stat sb;
    size_t olen = strlen(out);
    if (path_too_long("-o", out, PP_OUTDIR_ROOM) || olen == 0 || out[olen - 1] == '/' || (stat(out, &sb) == 0 && S_ISDIR(sb.st_mode))) {
        if (olen + PP_OUTDIR_ROOM <= PP_PATH_MAX)
            fprintf(stderr, "paipian: -o %s names a folder; expected the school file to write, e.g. -o %s%sschool.xml\n",
                    out, out, olen && out[olen - 1] == '/' ? "" : "/");
        pp_diags_free(d);
        return EXIT_USAGE;
    }
    pp_school *s = pp_import_path(src, enc, d);
    if (!s) {
        if (pp_diags_oom(d)) {
            fprintf(stderr, "paipian: %s: out of memory while importing; expected more memory than this process may use; "
                            "nothing was written\n", src);
            rc = EXIT_INTERNAL;
        } else {
            print_problems(d, src);
            rc = EXIT_INPUT;
        }
        pp_diags_free(d);
        return rc;
    }
    size_t len;
    char *xml = pp_xml_write_school_memory(s, &len);
    /* the output may be in another folder: split it into folder and file name */
    const char *slash = strrchr(out, '/');
    char *dir = !slash ? strdup(".") : slash == out ? strdup("/") : strndup(out, (size_t)(slash - out));
    const char *name = slash ? slash + 1 : out;
    if (xml && dir && pp_write_files_atomic(dir, 1, &name, &xml, &len, d) == 0) {
        pp_text_escape(stdout, s->name);
        printf(": %d students, %d classes, %d activities, %d staff, %d venues -> %s\n", s->nstudents, s->nclasses,
               s->nactivities, s->nstaff, s->nvenues, out);
        rc = EXIT_SOLVED;
    } else {
        if (!xml || !dir)
            pp_diags_add(d, out, 0, "out of memory");
        pp_diags_print(d, stderr);
        fprintf(stderr, "paipian: %s was not written\n", out);
    }
    free(dir);
    free(xml);
    pp_school_free(s);
    pp_diags_free(d);
    return rc;
}

static int cmd_export_sheets(int argc, char **argv)
{
    const char *school = NULL, *dir = NULL;
    int gbk = 0;
    for (int i = 0; i < argc; i++) {
        if ((!strcmp(argv[i], "-o") || !strcmp(argv[i], "--output")) && i + 1 < argc)
            dir = argv[++i];
        else if (!strcmp(argv[i], "--gbk"))
            gbk = 1;
        else if (argv[i][0] != '-' && !school)
            school = argv[i];
        else {
            fprintf(stderr, "paipian: unexpected argument %s (see paipian --help)\n", argv[i]);
            return EXIT_USAGE;
        }
    }
    if (!school || !dir) {
        fprintf(stderr, "paipian: export-sheets needs SCHOOL.xml and -o DIR (see paipian --help)\n");
        return EXIT_USAGE;
    }
    if (path_too_long("-o", dir, PP_OUTDIR_ROOM))
        return EXIT_USAGE;
    int rc;
    pp_school *s = load_school(school, &rc);
    if (!s)
        return rc;
    pp_diags *d = pp_diags_new();
    rc = d && pp_sheets_export(s, dir, gbk, d) == 0 ? EXIT_SOLVED : EXIT_INTERNAL;
    if (rc) {
        pp_diags_print(d, stderr);
        fprintf(stderr, "paipian: %s: the sheets were not written\n", dir);
    } else {
        pp_text_escape(stdout, s->name);
        printf(": %d sheets -> %s/\n", PP_TABLES, dir);
    }
    pp_diags_free(d);
    pp_school_free(s);
    return rc;
}

static int parse_int(const char *opt, const char *v, int lo, int hi, int *out)
{
    double x;
    if (parse_double(opt, v, lo, hi, &x))
        return -1;
    if (x != (int)x) {
        fprintf(stderr, "paipian: %s expects a whole number, got \"%s\"\n", opt, v);
        return -1;
    }
    *out = (int)x;
    return 0;
}

/* The comparison's folder is written by many processes at once (workers,
 * Slurm tasks), each file through its own temporary: no folder lock, but a
 * symbolic link as the folder is refused as for solve.  1 when refused. */
static int refuse_link_dir(const char *dir)
{
    char *p = strdup(dir);
    size_t n = p ? strlen(p) : 0;
    while (n > 1 && p[n - 1] == '/')
        p[--n] = '\0';
    struct stat sb;
    int link = p && lstat(p, &sb) == 0 && S_ISLNK(sb.st_mode);
    if (link)
        fprintf(stderr, "paipian: %s: the output folder is a symbolic link; expected a real folder (a link could send the "
                        "outputs elsewhere): give the folder it points to\n", p);
    free(p);
    return link;
}

/* A local comparison (and a merge) holds DIR's lock, as a solve does, so two
 * comparisons into one folder do not mix their pairs; Slurm tasks, which run
 * at once by design, do not.  NULL with the message printed. */
static pp_outdir *lock_folder(const char *dir)
{
    pp_diags *d = pp_diags_new();
    pp_outdir *o = d ? pp_outdir_open(dir, d) : NULL;
    if (!o) {
        pp_diags_print(d, stderr);
        fprintf(stderr, "paipian: %s: nothing was solved or written\n", dir);
    }
    pp_diags_free(d);
    return o;
}

typedef struct {
    const pp_manifest *m;
    const char *manifest, *dir;
    const pp_compare_params *prm;
} slurm_ctx;

static int write_slurm(FILE *f, const void *ctx)
{
    const slurm_ctx *c = ctx;
    return pp_compare_slurm_script(f, c->m, c->manifest, c->dir, c->prm);
}

static int cmd_compare(int argc, char **argv)
{
    const char *manifest = NULL, *dir = NULL, *merge = NULL, *script = NULL;
    int task = -1;
    pp_compare_params prm;
    pp_compare_params_init(&prm);
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        int bad = 0;
        if (!v && a[0] == '-' && strcmp(a, "--quiet") && strcmp(a, "-q")) {
            fprintf(stderr, "paipian: option %s needs a value (see paipian --help)\n", a);
            return EXIT_USAGE;
        }
        if (!strcmp(a, "-o") || !strcmp(a, "--output"))
            dir = argv[++i];
        else if (!strcmp(a, "--merge"))
            merge = argv[++i];
        else if (!strcmp(a, "--slurm-script"))
            script = argv[++i];
        else if (!strcmp(a, "-j") || !strcmp(a, "--jobs"))
            bad = parse_int(a, argv[++i], 1, 256, &prm.jobs);
        else if (!strcmp(a, "--task"))
            bad = parse_int(a, argv[++i], 0, 10000000, &task);
        else if (!strcmp(a, "--time-limit"))
            bad = parse_double(a, argv[++i], 0.1, 1e6, &prm.time_limit);
        else if (!strcmp(a, "--marginal"))
            bad = parse_int(a, argv[++i], 0, PP_COMPARE_MAX_MARGINAL, &prm.marginal);
        else if (!strcmp(a, "--marginal-time-limit"))
            bad = parse_double(a, argv[++i], 0.1, 1e6, &prm.marginal_time_limit);
        else if (!strcmp(a, "--quiet") || !strcmp(a, "-q"))
            prm.quiet = 1;
        else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "paipian: unknown option %s (see paipian --help)\n", a);
            return EXIT_USAGE;
        } else if (!manifest)
            manifest = a;
        else {
            fprintf(stderr, "paipian: unexpected argument %s (see paipian --help)\n", a);
            return EXIT_USAGE;
        }
        if (bad)
            return EXIT_USAGE;
    }
    int nfailed = 0;
    if (merge) {
        if (manifest || dir || script || task >= 0) {
            fprintf(stderr, "paipian: compare --merge DIR takes no other argument (see paipian --help)\n");
            return EXIT_USAGE;
        }
        if (path_too_long("--merge", merge, COMPARE_ROOM) || refuse_link_dir(merge))
            return EXIT_USAGE;
        pp_outdir *mlock = lock_folder(merge);
        if (!mlock)
            return EXIT_INTERNAL;
        int merged = pp_compare_merge(merge, &nfailed);
        pp_outdir_close(mlock);
        if (merged)
            return EXIT_INPUT;
        printf("%s/comparison.csv, %s/comparison.html written; %d failed pair%s\n", merge, merge, nfailed, nfailed == 1 ? "" : "s");
        return nfailed ? EXIT_PARTIAL : EXIT_SOLVED;
    }
    if (!manifest || !dir) {
        fprintf(stderr, "paipian: compare needs MANIFEST.xml and -o DIR (see paipian --help)\n");
        return EXIT_USAGE;
    }
    if (path_too_long("-o", dir, COMPARE_ROOM) || (script && path_too_long("--slurm-script", script, sizeof ".XXXXXX")) ||
        refuse_link_dir(dir))
        return EXIT_USAGE;
    pp_diags *d = pp_diags_new();
    pp_manifest *m = d ? pp_manifest_load(manifest, d) : NULL;
    if (!m) {
        int oom = !d || pp_diags_oom(d);
        if (oom)
            fprintf(stderr, "paipian: %s: out of memory while loading the manifest; nothing was solved\n", manifest);
        else {
            pp_diags_print(d, stderr);
            fprintf(stderr, "paipian: %s: %d problem%s; nothing was solved\n", manifest, pp_diags_count(d),
                    pp_diags_count(d) == 1 ? "" : "s");
        }
        pp_diags_free(d);
        return oom ? EXIT_INTERNAL : EXIT_INPUT;
    }
    pp_diags_free(d);
    int rc = EXIT_SOLVED, n = pp_compare_npairs(m);
    pp_outdir *lock = NULL;
    if (script) {
        slurm_ctx sc = { m, manifest, dir, &prm };
        pp_diags *sd = pp_diags_new();
        if (!sd || pp_compare_prepare(m, dir) || pp_file_write_atomic(script, write_slurm, &sc, sd)) {
            pp_diags_print(sd, stderr);
            fprintf(stderr, "paipian: %s: the script was not written\n", script);
            rc = EXIT_INTERNAL;
        } else
            printf("%s: %d array tasks; submit with: sbatch %s; when all have ended: paipian compare --merge %s\n", script,
                   n, script, dir);
        pp_diags_free(sd);
    } else if (task >= 0) {
        if (task >= n) {
            fprintf(stderr, "paipian: --task %d: the manifest has %d pairs; expected 0..%d\n", task, n, n - 1);
            rc = EXIT_USAGE;
        } else if (pp_compare_prepare(m, dir) || pp_compare_task(m, task, &prm, dir))
            rc = EXIT_INTERNAL;
    } else if (!(lock = lock_folder(dir)))
        rc = EXIT_INTERNAL;
    else if (pp_compare_run(m, &prm, dir, &nfailed))
        rc = EXIT_INTERNAL;
    else {
        printf("%s: %d schools x %d scenarios, %d failed -> %s/comparison.csv, %s/comparison.html\n", m->name,
               m->nschools, m->nscenarios, nfailed, dir, dir);
        rc = nfailed ? EXIT_PARTIAL : EXIT_SOLVED;
    }
    pp_outdir_close(lock);
    pp_manifest_free(m);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return EXIT_SOLVED;
    }
    if (!strcmp(argv[1], "--version")) {
        printf("paipian " PP_VERSION " (GLPK %s)\n", glp_version());
        return EXIT_SOLVED;
    }
    if (!strcmp(argv[1], "solve"))
        return cmd_solve(argc - 2, argv + 2);
    if (!strcmp(argv[1], "check"))
        return cmd_check(argc - 2, argv + 2);
    if (!strcmp(argv[1], "compare"))
        return cmd_compare(argc - 2, argv + 2);
    if (!strcmp(argv[1], "import"))
        return cmd_import(argc - 2, argv + 2);
    if (!strcmp(argv[1], "export-sheets"))
        return cmd_export_sheets(argc - 2, argv + 2);
    fprintf(stderr, "paipian: unknown command \"%s\" (see paipian --help)\n", argv[1]);
    return EXIT_USAGE;
}
