/* main.c - the paipian command line.  Only main decides exit codes; every library
 * call returns a status and messages.
 *
 *   paipian solve SCHOOL.xml -o DIR [options]   the term's timetable into DIR
 *   paipian check SCHOOL.xml TIMETABLE.xml      re-verify a written timetable
 *   paipian compare MANIFEST.xml -o DIR -j N    district scenarios side by side
 *
 * Outputs are written to hidden temporary files in DIR and renamed only when all
 * of them are complete, so a failed run leaves DIR as it was. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
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

#include "io/compare.h"
#include "io/csv_read.h"
#include "io/html.h"
#include "io/import.h"
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
            "\n"
            "Outputs in DIR: timetable.xml, timetable.html, timetable.csv, timetable.xlsx,\n"
            "students.html, students.csv, workload.csv, stats.txt (and timetable.pdf).\n"
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
            "4 internal error.  Resources too short for the demand (care, or clubs and\n"
            "courses students chose and did not get) are named on stderr, in stats.txt\n"
            "and in timetable.html, whatever the exit code.\n"
            "On Ctrl-C or SIGTERM during a solve the best plan so far is written, marked\n"
            "as not proven (status feasible) with its gap.\n");
}

/* ---------- output files ------------------------------------------------------ */

typedef int (*writer_fn)(FILE *f, const pp_school *s, const pp_plan *p);

/* A writer that needs a file name rather than a stream (libxlsxwriter, Chromium). */
typedef int (*path_writer_fn)(const char *path, const pp_school *s, const pp_plan *p, char *err, size_t errlen);

typedef struct {
    const char *name;
    writer_fn write;
    path_writer_fn write_path;
} output;

static int write_stats(FILE *f, const pp_school *s, const pp_plan *p)
{
    /* the solver's fix-and-optimise helper process runs beside it: both count */
    struct rusage ru, rc;
    getrusage(RUSAGE_SELF, &ru);
    getrusage(RUSAGE_CHILDREN, &rc);
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
    fprintf(f, "first_feasible_s=%.3f\ntotal_s=%.3f\npeak_rss_mib=%.1f\n", st->first_feasible_seconds, st->seconds,
            (ru.ru_maxrss + rc.ru_maxrss) / 1024.0);
    fprintf(f, "partial=%d\nshortages=%d\n", pp_explain_partial(p), p->nshortages);
    for (int i = 0; i < p->nshortages; i++)
        fprintf(f, "shortage=%s\n", p->shortages[i].text);
    return ferror(f) ? -1 : 0;
}

static const output outputs[] = {
    { "timetable.xml", pp_ttxml_write, NULL },
    { "timetable.html", pp_html_timetable, NULL },
    { "timetable.csv", pp_report_timetable_csv, NULL },
    { "students.html", pp_html_students, NULL },
    { "students.csv", pp_report_students_csv, NULL },
    { "workload.csv", pp_report_workload_csv, NULL },
    { "timetable.xlsx", NULL, pp_xlsx_write },
    { "stats.txt", write_stats, NULL },
};
#define NOUT (sizeof outputs / sizeof outputs[0])

static void path_join(char *buf, size_t n, const char *dir, const char *prefix, const char *name)
{
    snprintf(buf, n, "%s/%s%s", dir, prefix, name);
}

static int make_dir(const char *dir)
{
    struct stat sb;
    if (stat(dir, &sb) == 0) {
        errno = S_ISDIR(sb.st_mode) ? 0 : ENOTDIR; /* the message names why */
        return S_ISDIR(sb.st_mode) ? 0 : -1;
    }
    /* like mkdir -p: the missing parents too */
    char parent[4096];
    snprintf(parent, sizeof parent, "%s", dir);
    char *slash = strrchr(parent, '/');
    while (slash && slash > parent && slash[1] == '\0') { /* trailing slashes */
        *slash = '\0';
        slash = strrchr(parent, '/');
    }
    if (slash && slash > parent) {
        *slash = '\0';
        if (make_dir(parent))
            return -1;
    }
    return mkdir(dir, 0777) && errno != EEXIST ? -1 : 0;
}

/* ---------- timetable.pdf: the HTML 排片表 printed by headless Chromium ---------- */

/* The Chromium program on PATH into buf; -1 when there is none. */
static int find_chromium(char *buf, size_t n)
{
    static const char *const names[] = { "chromium", "chromium-browser", "google-chrome" };
    const char *path = getenv("PATH");
    for (size_t k = 0; path && k < sizeof names / sizeof *names; k++)
        for (const char *d = path; *d;) {
            size_t len = strcspn(d, ":");
            snprintf(buf, n, "%.*s/%s", (int)len, len ? d : ".", names[k]);
            if (access(buf, X_OK) == 0)
                return 0;
            d += len + (d[len] == ':');
        }
    return -1;
}

/* Runs Chromium on a private copy of timetable.html (Chromium decides the type of
 * a local file by its extension, so the ".NAME.tmp" temporaries cannot be given
 * to it) and prints it to path.  Chromium's own chatter goes to /dev/null. */
static int write_pdf(const char *path, const pp_school *s, const pp_plan *p, char *err, size_t errlen)
{
    char chromium[4096], html[4096], out_arg[4200], abs_html[6200];
    if (find_chromium(chromium, sizeof chromium)) {
        snprintf(err, errlen, "--pdf needs Chromium on PATH (Debian package chromium); none found");
        return -1;
    }
    snprintf(html, sizeof html, "%s.html", path);
    FILE *f = fopen(html, "wb");
    if (!f || pp_html_timetable(f, s, p) != 0 || fclose(f) != 0) {
        snprintf(err, errlen, "%s: cannot write: %s", html, strerror(errno));
        if (f)
            remove(html);
        return -1;
    }
    char cwd[2048] = "";
    if (html[0] != '/' && !getcwd(cwd, sizeof cwd)) {
        snprintf(err, errlen, "%s: cannot find the current folder: %s", html, strerror(errno));
        remove(html);
        return -1;
    }
    snprintf(abs_html, sizeof abs_html, "%s%s%s", cwd, cwd[0] ? "/" : "", html); /* Chromium needs it absolute */
    snprintf(out_arg, sizeof out_arg, "--print-to-pdf=%s", path);
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        if (null >= 0) {
            dup2(null, 1);
            dup2(null, 2);
        }
        execl(chromium, chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
              out_arg, abs_html, (char *)NULL);
        _exit(127);
    }
    int status = 0, waited = 0;
    /* a Chromium that hangs (no display server quirks, a locked profile) must not
     * hang the solve: it gets 10 minutes, polled every 0.1 s */
    for (pid_t r = 0; pid > 0 && r == 0;) {
        r = waitpid(pid, &status, WNOHANG);
        if (r < 0 && errno == EINTR)
            r = 0;
        if (r == 0 && ++waited > 6000) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            snprintf(err, errlen, "%s: Chromium (%s) took over 10 minutes; stopped", path, chromium);
            remove(html);
            return -1;
        }
        if (r == 0)
            nanosleep(&(struct timespec){ 0, 100000000 }, NULL);
    }
    remove(html);
    FILE *pdf = fopen(path, "rb");
    char magic[5] = "";
    int ok = pid > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0 && pdf && fread(magic, 1, 4, pdf) == 4 &&
             !memcmp(magic, "%PDF", 4);
    if (pdf)
        fclose(pdf);
    if (!ok) {
        snprintf(err, errlen, "%s: Chromium (%s) did not print the timetable (exit status %d)", path, chromium,
                 pid > 0 && WIFEXITED(status) ? WEXITSTATUS(status) : -1);
        return -1;
    }
    return 0;
}

static const output pdf_output = { "timetable.pdf", NULL, write_pdf };

static const output *output_at(size_t i)
{
    return i < NOUT ? &outputs[i] : &pdf_output;
}

/* Writes every output to ".NAME.tmp" then renames them all; on any failure the
 * temporaries are removed and DIR keeps what it had. */
static int write_outputs(const char *dir, const pp_school *s, const pp_plan *p, int pdf)
{
    char tmp[4096], fin[4096], err[4400];
    if (make_dir(dir)) {
        fprintf(stderr, "paipian: %s: cannot create the output folder: %s\n", dir, strerror(errno));
        return -1;
    }
    size_t n = NOUT + (pdf != 0);
    size_t done = 0;
    int rc = 0;
    for (; done < n && rc == 0; done++) {
        const output *o = output_at(done);
        path_join(tmp, sizeof tmp, dir, ".", o->name);
        strcat(tmp, ".tmp");
        if (o->write_path) {
            if (o->write_path(tmp, s, p, err, sizeof err)) {
                fprintf(stderr, "paipian: %s\n", err);
                rc = -1;
                done++;
                break;
            }
            continue;
        }
        FILE *f = fopen(tmp, "wb");
        if (!f) {
            fprintf(stderr, "paipian: %s: cannot write: %s\n", tmp, strerror(errno));
            rc = -1;
            break;
        }
        int w = o->write(f, s, p);
        if (fclose(f) != 0 || w != 0) {
            fprintf(stderr, "paipian: %s: write failed (disk full?)\n", tmp);
            rc = -1;
            done++;
            break;
        }
    }
    for (size_t i = 0; i < done; i++) {
        const char *name = output_at(i)->name;
        path_join(tmp, sizeof tmp, dir, ".", name);
        strcat(tmp, ".tmp");
        path_join(fin, sizeof fin, dir, "", name);
        if (rc != 0)
            remove(tmp);
        else if (rename(tmp, fin) != 0) {
            fprintf(stderr, "paipian: %s: cannot rename into place: %s\n", fin, strerror(errno));
            rc = -1;
        }
    }
    return rc;
}

/* ---------- commands ------------------------------------------------------------ */

static pp_school *load_school(const char *path)
{
    pp_diags *d = pp_diags_new();
    if (!d)
        return NULL;
    pp_school *s = pp_xml_load_school(path, d);
    if (!s) {
        pp_diags_print(d, stderr);
        fprintf(stderr, "paipian: %s: %d problem%s; nothing was written\n", path, pp_diags_count(d),
                pp_diags_count(d) == 1 ? "" : "s");
    }
    pp_diags_free(d);
    return s;
}

static void progress(void *ctx, const pp_progress *p)
{
    (void)ctx;
    if (p->elapsed < 1.0) /* quick solves stay silent */
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
    if (pp_full_plan(m, &fs, &plan, d) || pp_explain_plan(s, plan) < 0 || write_outputs(dir, s, plan, pdf))
        goto out;
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

static int cmd_solve(int argc, char **argv)
{
    const char *school = NULL, *dir = NULL, *full_lp = NULL, *full_sol = NULL, *full_start = NULL;
    int pdf = 0;
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
        } else if (!strcmp(a, "--write-full-lp") || !strcmp(a, "--read-full-solution") ||
                   !strcmp(a, "--write-full-start")) {
            if (!v)
                goto missing;
            *(!strcmp(a, "--write-full-lp") ? &full_lp : !strcmp(a, "--write-full-start") ? &full_start : &full_sol) = v;
            i++;
        } else if (!strcmp(a, "--no-heuristic"))
            prm.use_heuristic = 0;
        else if (!strcmp(a, "--no-presolve"))
            prm.presolve = 0;
        else if (!strcmp(a, "--no-cuts"))
            prm.cuts = 0;
        else if (!strcmp(a, "--pdf"))
            pdf = 1;
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
    char chromium[4096];
    if (pdf && find_chromium(chromium, sizeof chromium)) { /* before a long solve, not after it */
        fprintf(stderr, "paipian: --pdf needs Chromium on PATH (Debian package chromium); none found\n");
        return EXIT_USAGE;
    }
    pp_school *s = load_school(school);
    if (!s)
        return EXIT_INPUT;
    if (full_lp || full_sol) {
        int frc = full_model(s, full_lp, full_sol, dir, prm.quiet, pdf);
        if (frc >= 0 || !dir) {
            pp_school_free(s);
            return frc >= 0 ? frc : EXIT_SOLVED;
        }
    }
    struct sigaction sa = { 0 };
    sa.sa_handler = on_signal;
    sa.sa_flags = SA_RESETHAND; /* a second Ctrl-C ends the program at once */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    prm.interrupt = &stop_requested;
    prm.progress = prm.quiet ? NULL : progress;
    pp_diags *d = pp_diags_new();
    pp_plan *plan = NULL;
    int rc = EXIT_INTERNAL;
    if (!d)
        goto out;
    if (pp_solve(s, &prm, &plan, d) != PP_SOLVE_OK) {
        pp_diags_print(d, stderr);
        fprintf(stderr, "paipian: no plan was made; nothing was written\n");
        goto out;
    }
    if (stop_requested && plan->stats.status == PP_STATUS_OPTIMAL && plan->stats.gap > 0)
        plan->stats.status = PP_STATUS_FEASIBLE;
    if (pp_explain_plan(s, plan) < 0) {
        fprintf(stderr, "paipian: out of memory explaining the plan's shortages\n");
        goto out;
    }
    if (write_outputs(dir, s, plan, pdf) || (full_start && write_full_start(s, plan, full_start)))
        goto out;
    const pp_plan_stats *st = &plan->stats;
    if (!prm.quiet || plan->nunserved)
        printf("%s: %d students, %d groups, %d staff, %d venues; %s, objective %.1f, bound %.1f, gap %.2f%%, %.1f s -> %s/\n",
               s->name, s->nstudents, plan->ngroups, s->nstaff, s->nvenues, pp_status_name(st->status), st->objective,
               st->bound, 100 * st->gap, st->seconds, dir);
    if (plan->nunserved)
        fprintf(stderr, "paipian: %d student-periods unserved (see timetable.html, 未安排); first: %s\n", plan->nunserved,
                plan->unserved[0].reason);
    for (int i = 0; i < plan->nshortages && i < 10; i++)
        fprintf(stderr, "paipian: short: %s\n", plan->shortages[i].text);
    if (plan->nshortages > 10)
        fprintf(stderr, "paipian: %d more shortages in %s/stats.txt\n", plan->nshortages - 10, dir);
    rc = pp_explain_partial(plan) ? EXIT_PARTIAL : EXIT_SOLVED;
out:
    pp_plan_free(plan);
    pp_diags_free(d);
    pp_school_free(s);
    return rc;
missing:
    fprintf(stderr, "paipian: option %s needs a value (see paipian --help)\n", argv[argc - 1]);
    return EXIT_USAGE;
}

static int cmd_check(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "paipian: check needs SCHOOL.xml and TIMETABLE.xml (see paipian --help)\n");
        return EXIT_USAGE;
    }
    pp_school *s = load_school(argv[0]);
    if (!s)
        return EXIT_INPUT;
    pp_diags *d = pp_diags_new();
    int rc = EXIT_INTERNAL;
    pp_plan *p = d ? pp_ttxml_read(argv[1], s, d) : NULL;
    if (!p) {
        if (d)
            pp_diags_print(d, stderr);
        rc = EXIT_INPUT;
        goto out;
    }
    int n = pp_check_plan(s, p, d);
    pp_diags_print(d, stdout);
    if (n == 0)
        printf("%s: every hard rule holds (%d groups, %d unserved student-periods)\n", argv[1], p->ngroups, p->nunserved);
    else
        printf("%s: %d violation%s\n", argv[1], n, n == 1 ? "" : "s");
    rc = n ? EXIT_PARTIAL : EXIT_SOLVED;
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
    pp_school *s = pp_import_path(src, enc, d);
    if (!s) {
        print_problems(d, src);
        pp_diags_free(d);
        return EXIT_INPUT;
    }
    size_t len;
    char *xml = pp_xml_write_school_memory(s, &len);
    /* the output may be in another folder: split it into folder and file name */
    char dir[4096];
    const char *slash = strrchr(out, '/');
    snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - out) : 1, slash ? out : ".");
    if (slash && slash == out)
        snprintf(dir, sizeof dir, "/");
    const char *name = slash ? slash + 1 : out;
    if (xml && pp_write_files_atomic(dir, 1, &name, &xml, &len, d) == 0) {
        printf("%s: %d students, %d classes, %d activities, %d staff, %d venues -> %s\n", s->name, s->nstudents,
               s->nclasses, s->nactivities, s->nstaff, s->nvenues, out);
        rc = EXIT_SOLVED;
    } else
        pp_diags_print(d, stderr);
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
    pp_school *s = load_school(school);
    if (!s)
        return EXIT_INPUT;
    pp_diags *d = pp_diags_new();
    int rc = d && pp_sheets_export(s, dir, gbk, d) == 0 ? EXIT_SOLVED : EXIT_INTERNAL;
    if (d && rc)
        pp_diags_print(d, stderr);
    else
        printf("%s: %d sheets -> %s/\n", s->name, PP_TABLES, dir);
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
        if (pp_compare_merge(merge, &nfailed))
            return EXIT_INPUT;
        printf("%s/comparison.csv, %s/comparison.html written; %d failed pair%s\n", merge, merge, nfailed, nfailed == 1 ? "" : "s");
        return nfailed ? EXIT_PARTIAL : EXIT_SOLVED;
    }
    if (!manifest || !dir) {
        fprintf(stderr, "paipian: compare needs MANIFEST.xml and -o DIR (see paipian --help)\n");
        return EXIT_USAGE;
    }
    pp_diags *d = pp_diags_new();
    pp_manifest *m = d ? pp_manifest_load(manifest, d) : NULL;
    if (!m) {
        if (d) {
            pp_diags_print(d, stderr);
            fprintf(stderr, "paipian: %s: %d problem%s; nothing was solved\n", manifest, pp_diags_count(d),
                    pp_diags_count(d) == 1 ? "" : "s");
        }
        pp_diags_free(d);
        return EXIT_INPUT;
    }
    pp_diags_free(d);
    int rc = EXIT_SOLVED, n = pp_compare_npairs(m);
    if (script) {
        FILE *f = NULL;
        if (pp_compare_prepare(m, dir) || !(f = fopen(script, "w")) || pp_compare_slurm_script(f, m, manifest, dir, &prm)) {
            fprintf(stderr, "paipian: %s: the script was not written\n", script);
            rc = EXIT_INTERNAL;
        } else
            printf("%s: %d array tasks; submit with: sbatch %s; when all have ended: paipian compare --merge %s\n", script,
                   n, script, dir);
        if (f && fclose(f))
            rc = EXIT_INTERNAL;
    } else if (task >= 0) {
        if (task >= n) {
            fprintf(stderr, "paipian: --task %d: the manifest has %d pairs; expected 0..%d\n", task, n, n - 1);
            rc = EXIT_USAGE;
        } else if (pp_compare_prepare(m, dir) || pp_compare_task(m, task, &prm, dir))
            rc = EXIT_INTERNAL;
    } else if (pp_compare_run(m, &prm, dir, &nfailed))
        rc = EXIT_INTERNAL;
    else {
        printf("%s: %d schools x %d scenarios, %d failed -> %s/comparison.csv, %s/comparison.html\n", m->name,
               m->nschools, m->nscenarios, nfailed, dir, dir);
        rc = nfailed ? EXIT_PARTIAL : EXIT_SOLVED;
    }
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
