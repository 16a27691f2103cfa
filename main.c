/* main.c - the paipian command line.  Only main decides exit codes; every library
 * call returns a status and messages.
 *
 *   paipian solve SCHOOL.xml -o DIR [options]   the term's timetable into DIR
 *   paipian check SCHOOL.xml TIMETABLE.xml      re-verify a written timetable
 *
 * Outputs are written to hidden temporary files in DIR and renamed only when all
 * of them are complete, so a failed run leaves DIR as it was. */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glpk.h>

#include "io/html.h"
#include "io/report.h"
#include "io/school_xml.h"
#include "io/timetable_xml.h"
#include "model/check.h"
#include "model/plan.h"
#include "solver/explain.h"
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
            "  --no-heuristic       do not hand the greedy plan to GLPK as its first incumbent\n"
            "                       (for comparison; it still backs up a search without a plan)\n"
            "  --no-cuts            switch GLPK's cut generators off (for comparison)\n"
            "  --no-presolve        switch GLPK's MIP presolver off; the greedy plan is then\n"
            "                       handed to GLPK as its first incumbent\n"
            "\n"
            "Outputs in DIR: timetable.xml, timetable.html, timetable.csv, students.html,\n"
            "students.csv, workload.csv, stats.txt.\n"
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

typedef struct {
    const char *name;
    writer_fn write;
} output;

static int write_stats(FILE *f, const pp_school *s, const pp_plan *p)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    const pp_plan_stats *st = &p->stats;
    fprintf(f, "status=%s\nstudents=%d\ngroups=%d\nstaff=%d\nvenues=%d\nunserved=%d\n", pp_status_name(st->status),
            s->nstudents, p->ngroups, s->nstaff, s->nvenues, p->nunserved);
    fprintf(f, "rows=%d\ncols=%d\nint_cols=%d\nsense=min\n", st->rows, st->cols, st->int_cols);
    fprintf(f, "bound=%.4f\nobjective=%.4f\ngap_pct=%.4f\n", st->bound, st->objective, 100 * st->gap);
    fprintf(f, "ip_objective=%.4f\nip_bound=%.4f\n", st->ip_objective, st->ip_bound);
    fprintf(f, "first_feasible_s=%.3f\ntotal_s=%.3f\npeak_rss_mib=%.1f\n", st->first_feasible_seconds, st->seconds,
            ru.ru_maxrss / 1024.0);
    fprintf(f, "partial=%d\nshortages=%d\n", pp_explain_partial(p), p->nshortages);
    for (int i = 0; i < p->nshortages; i++)
        fprintf(f, "shortage=%s\n", p->shortages[i].text);
    return ferror(f) ? -1 : 0;
}

static const output outputs[] = {
    { "timetable.xml", pp_ttxml_write },
    { "timetable.html", pp_html_timetable },
    { "timetable.csv", pp_report_timetable_csv },
    { "students.html", pp_html_students },
    { "students.csv", pp_report_students_csv },
    { "workload.csv", pp_report_workload_csv },
};
#define NOUT (sizeof outputs / sizeof outputs[0])

static void path_join(char *buf, size_t n, const char *dir, const char *prefix, const char *name)
{
    snprintf(buf, n, "%s/%s%s", dir, prefix, name);
}

static int make_dir(const char *dir)
{
    struct stat sb;
    if (stat(dir, &sb) == 0)
        return S_ISDIR(sb.st_mode) ? 0 : -1;
    return mkdir(dir, 0777);
}

/* Writes every output to ".NAME.tmp" then renames them all; on any failure the
 * temporaries are removed and DIR keeps what it had. */
static int write_outputs(const char *dir, const pp_school *s, const pp_plan *p)
{
    char tmp[4096], fin[4096];
    if (make_dir(dir)) {
        fprintf(stderr, "paipian: %s: cannot create the output folder: %s\n", dir, strerror(errno));
        return -1;
    }
    size_t n = NOUT + 1;
    size_t done = 0;
    int rc = 0;
    for (; done < n && rc == 0; done++) {
        const char *name = done < NOUT ? outputs[done].name : "stats.txt";
        path_join(tmp, sizeof tmp, dir, ".", name);
        strcat(tmp, ".tmp");
        FILE *f = fopen(tmp, "wb");
        if (!f) {
            fprintf(stderr, "paipian: %s: cannot write: %s\n", tmp, strerror(errno));
            rc = -1;
            break;
        }
        int w = done < NOUT ? outputs[done].write(f, s, p) : write_stats(f, s, p);
        if (fclose(f) != 0 || w != 0) {
            fprintf(stderr, "paipian: %s: write failed (disk full?)\n", tmp);
            rc = -1;
            done++;
            break;
        }
    }
    for (size_t i = 0; i < done; i++) {
        const char *name = i < NOUT ? outputs[i].name : "stats.txt";
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

static int cmd_solve(int argc, char **argv)
{
    const char *school = NULL, *dir = NULL;
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
    if (!school || !dir) {
        fprintf(stderr, "paipian: solve needs SCHOOL.xml and -o DIR (see paipian --help)\n");
        return EXIT_USAGE;
    }
    pp_school *s = load_school(school);
    if (!s)
        return EXIT_INPUT;
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
    if (write_outputs(dir, s, plan))
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
    fprintf(stderr, "paipian: unknown command \"%s\" (see paipian --help)\n", argv[1]);
    return EXIT_USAGE;
}
