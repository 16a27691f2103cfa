/* test_compare.c - the district comparison end to end on tiny schools: two good
 * schools and one broken one x baseline and two scenarios, solved by 2 worker
 * processes.  Every pair has a row in manifest order, the broken school fails in
 * its own rows while the others complete, the district totals add the rows, a
 * scenario's effect shows in its rows, the per-pair files merge again after one
 * is lost, and no student id or name of the inputs appears in any output. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"
#include "io/compare.h"
#include "io/scenario_xml.h"
#include "solver/compare_run.h"

#define TINY "instances/tiny.xml"


static void put(const char *dir, const char *name, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* Replaces every occurrence of a by b in s (a new string). */
static char *replace(const char *s, const char *a, const char *b)
{
    size_t n = 0, la = strlen(a), lb = strlen(b);
    for (const char *p = s; (p = strstr(p, a)) != NULL; p += la)
        n++;
    char *out = malloc(strlen(s) + n * (lb + 1) + 1), *o = out;
    for (const char *p = s, *q; (q = strstr(p, a)) != NULL || *p; p = q + la) {
        if (!q) {
            memcpy(o, p, strlen(p) + 1);
            return out;
        }
        memcpy(o, p, (size_t)(q - p));
        o += q - p;
        memcpy(o, b, lb);
        o += lb;
        *o = '\0';
    }
    *o = '\0';
    return out;
}

typedef struct {
    char dir[64];
    char *ids[64], *names[64];
    int nids;
} fixture;

/* Every student id and name of a school file (the privacy check looks for them). */
static void collect_students(fixture *x, const char *xml)
{
    for (const char *p = xml; (p = strstr(p, "<student id=\"")) != NULL; p++) {
        char id[64], name[64];
        if (sscanf(p, "<student id=\"%63[^\"]\" name=\"%63[^\"]\"", id, name) == 2 && x->nids < 64) {
            x->ids[x->nids] = strdup(id);
            x->names[x->nids++] = strdup(name);
        }
    }
}

static int setup(void **state)
{
    fixture *x = calloc(1, sizeof *x);
    snprintf(x->dir, sizeof x->dir, "/tmp/pp-compare-XXXXXX");
    if (!mkdtemp(x->dir))
        return -1;
    char *tiny = tu_slurp(TINY, NULL);
    /* student ids made long and unique so a search for them cannot hit ordinary words */
    char *a = replace(tiny, "<student id=\"s", "<student id=\"pupil-a");
    char *b0 = replace(tiny, "<student id=\"s", "<student id=\"pupil-b");
    char *b1 = replace(b0, "id=\"demo\" name=\"示例小学\"", "id=\"demo2\" name=\"第二小学\"");
    char *b = replace(b1, "王小明", "钱多多");
    /* broken: a student in a class that does not exist (its message names the student) */
    char *c = replace(a, "name=\"王小明\" class=\"c3-1\"", "name=\"孙悟空\" class=\"c9-9\"");
    put(x->dir, "a.xml", a);
    put(x->dir, "b.xml", b);
    put(x->dir, "broken.xml", c);
    collect_students(x, a);
    collect_students(x, b);
    collect_students(x, c);
    free(tiny);
    free(a);
    free(b0);
    free(b1);
    free(b);
    free(c);
    put(x->dir, "more.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<scenario xmlns=\"urn:paipian:district:1\" id=\"more\" name=\"加2名教师\">\n"
                            "  <add-staff type=\"teacher\" count=\"2\"/>\n</scenario>\n");
    put(x->dir, "fewer.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<scenario xmlns=\"urn:paipian:district:1\" id=\"fewer\" name=\"周三下午无教师\">\n"
                             "  <availability type=\"teacher\" days=\"Wed\" periods=\"after\" factor=\"0\"/>\n</scenario>\n");
    put(x->dir, "manifest.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<district xmlns=\"urn:paipian:district:1\" name=\"测试区\">\n"
                                "  <school file=\"a.xml\"/>\n  <school file=\"broken.xml\"/>\n  <school file=\"b.xml\"/>\n"
                                "  <scenario file=\"more.xml\"/>\n  <scenario file=\"fewer.xml\"/>\n</district>\n");
    *state = x;
    return 0;
}

static int teardown(void **state)
{
    fixture *x = *state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", x->dir);
    int rc = system(cmd);
    for (int i = 0; i < x->nids; i++) {
        free(x->ids[i]);
        free(x->names[i]);
    }
    free(x);
    return rc == 0 ? 0 : -1;
}

/* CSV rows (without the BOM), each split into fields (no quoted commas in these). */
typedef struct {
    int n;
    char *field[16][40];
    char *text;
} table;

static void read_csv(const char *path, table *t)
{
    t->text = tu_slurp(path, NULL);
    assert_non_null(t->text);
    assert_memory_equal(t->text, "\xEF\xBB\xBF", 3);
    t->n = 0;
    char *save = NULL;
    for (char *line = strtok_r(t->text + 3, "\r\n", &save); line && t->n < 16; line = strtok_r(NULL, "\r\n", &save)) {
        int k = 0;
        for (char *p = line; k < 40;) {
            t->field[t->n][k++] = p;
            char *c = p[0] == '"' ? NULL : strchr(p, ',');
            if (p[0] == '"') { /* a quoted field: to its closing quote */
                char *q = p + 1;
                while ((q = strchr(q, '"')) && q[1] == '"')
                    q += 2;
                c = q ? strchr(q, ',') : NULL;
            }
            if (!c)
                break;
            *c = '\0';
            p = c + 1;
        }
        t->n++;
    }
}

static void run(fixture *x, pp_compare_params *p, int *failed)
{
    char man[128];
    snprintf(man, sizeof man, "%s/manifest.xml", x->dir);
    pp_diags *d = pp_diags_new();
    pp_manifest *m = pp_manifest_load(man, d);
    assert_non_null(m);
    pp_diags_free(d);
    char out[128];
    snprintf(out, sizeof out, "%s/out", x->dir);
    assert_int_equal(pp_compare_run(m, p, out, failed), 0);
    pp_manifest_free(m);
}

static void params(pp_compare_params *p)
{
    pp_compare_params_init(p);
    p->jobs = 2;
    p->time_limit = 5;
    p->marginal = 1;
    p->marginal_time_limit = 2;
    p->quiet = 1;
}

static void every_pair_has_a_row_and_a_broken_school_fails_alone(void **state)
{
    fixture *x = *state;
    pp_compare_params p;
    params(&p);
    int failed = -1;
    run(x, &p, &failed);
    assert_int_equal(failed, 3);
    char path[160];
    snprintf(path, sizeof path, "%s/out/comparison.csv", x->dir);
    table t;
    read_csv(path, &t);
    assert_int_equal(t.n, 1 + 9 + 3);
    assert_string_equal(t.field[0][0], "学校");
    static const char *const sc[] = { "baseline", "more", "fewer" };
    for (int r = 0; r < 9; r++) {
        char **f = t.field[1 + r];
        assert_string_equal(f[2], sc[r % 3]);
        if (r / 3 == 1) {
            assert_string_equal(f[0], "broken.xml");
            assert_string_equal(f[4], "error");
            /* the message says what is wrong without naming the student */
            assert_non_null(strstr(f[36], "a <student> entry of the school is invalid"));
        } else {
            assert_string_equal(f[0], r / 3 == 0 ? "demo" : "demo2");
            assert_true(!strcmp(f[4], "optimal") || !strcmp(f[4], "feasible") || !strcmp(f[4], "partial"));
            assert_string_equal(f[5], "6");
            assert_string_equal(f[6], "37");   /* student-slots asked in tiny.xml */
        }
    }
    /* baseline serves everyone; without teachers on Wednesday afternoon some go unserved */
    assert_string_equal(t.field[1][7], "37");
    assert_true(atoi(t.field[3][21]) > 0);
    assert_true(strstr(t.field[3][22], "no free staff") != NULL);
    /* totals: one row per scenario, the two good schools added */
    for (int k = 0; k < 3; k++) {
        char **f = t.field[10 + k];
        assert_string_equal(f[0], "全区合计");
        assert_string_equal(f[1], "3所学校（失败1）");
        assert_string_equal(f[2], sc[k]);
        assert_int_equal(atoi(f[5]), 12);
        assert_int_equal(atoi(f[6]), 74);
        assert_int_equal(atoi(f[21]), atoi(t.field[1 + k][21]) + atoi(t.field[7 + k][21]));
        assert_int_equal(atoi(f[14]), atoi(t.field[1 + k][14]) + atoi(t.field[7 + k][14]));
    }
    free(t.text);
}

static void no_student_id_or_name_in_any_district_output(void **state)
{
    fixture *x = *state;
    pp_compare_params p;
    params(&p);
    int failed;
    run(x, &p, &failed);
    assert_true(x->nids >= 12);
    const char *sub[] = { "out", "out/pairs" };
    int files = 0;
    for (int s = 0; s < 2; s++) {
        char dir[160];
        snprintf(dir, sizeof dir, "%s/%s", x->dir, sub[s]);
        DIR *dd = opendir(dir);
        assert_non_null(dd);
        for (struct dirent *e; (e = readdir(dd)) != NULL;) {
            if (e->d_name[0] == '.' || !strcmp(e->d_name, "pairs"))
                continue;
            char path[512];
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            char *text = tu_slurp(path, NULL);
            assert_non_null(text);
            files++;
            for (int i = 0; i < x->nids; i++) {
                if (strstr(text, x->ids[i]) || strstr(text, x->names[i]))
                    fail_msg("%s contains student %s / %s", path, x->ids[i], x->names[i]);
            }
            free(text);
        }
        closedir(dd);
    }
    assert_true(files >= 2 + 9);
}

static void merge_reports_a_lost_pair_and_keeps_the_others(void **state)
{
    fixture *x = *state;
    pp_compare_params p;
    params(&p);
    p.marginal = 0;
    int failed;
    run(x, &p, &failed);
    char path[200], out[160];
    snprintf(out, sizeof out, "%s/out", x->dir);
    snprintf(path, sizeof path, "%s/out/pairs/pair-0007.txt", x->dir);
    assert_int_equal(remove(path), 0);
    assert_int_equal(pp_compare_merge(out, &failed), 0);
    assert_int_equal(failed, 4);
    snprintf(path, sizeof path, "%s/out/comparison.csv", x->dir);
    table t;
    read_csv(path, &t);
    assert_int_equal(t.n, 13);
    assert_string_equal(t.field[8][0], "b.xml");
    assert_string_equal(t.field[8][2], "more");
    assert_string_equal(t.field[8][4], "error");
    assert_non_null(strstr(t.field[8][36], "no result for this pair"));
    assert_string_not_equal(t.field[7][4], "error"); /* pair 6 kept its result */
    free(t.text);
}

static void slurm_script_runs_one_array_task_per_pair_with_absolute_paths(void **state)
{
    fixture *x = *state;
    char man[128], out[128];
    snprintf(man, sizeof man, "%s/manifest.xml", x->dir);
    snprintf(out, sizeof out, "%s/out", x->dir);
    pp_diags *d = pp_diags_new();
    pp_manifest *m = pp_manifest_load(man, d);
    assert_non_null(m);
    pp_compare_params p;
    params(&p);
    assert_int_equal(pp_compare_prepare(m, out), 0);
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    assert_int_equal(pp_compare_slurm_script(f, m, man, out, &p), 0);
    fclose(f);
    assert_non_null(strstr(text, "#SBATCH --array=0-8\n"));
    char want[400];
    snprintf(want, sizeof want, "compare '%s' --task \"$SLURM_ARRAY_TASK_ID\" -o '%s' --time-limit 5 --marginal 1", man, out);
    assert_non_null(strstr(text, want));
    assert_non_null(strstr(text, "\nexec '/")); /* the running binary, by absolute path */
    free(text);
    /* each task writes its pair file; a merge of the folder then has every row */
    for (int k = 0; k < pp_compare_npairs(m); k++)
        if (k != 6) /* one task (school b, baseline) "did not run" */
            assert_int_equal(pp_compare_task(m, k, &p, out), 0);
    int failed;
    assert_int_equal(pp_compare_merge(out, &failed), 0);
    assert_int_equal(failed, 3 + 1);
    pp_manifest_free(m);
    pp_diags_free(d);
}

static void result_files_read_back_what_was_written(void **state)
{
    (void)state;
    pp_pair_result r, back;
    memset(&r, 0, sizeof r);
    r.school_index = 3;
    r.scenario_index = 2;
    pp_compare_copy(r.school_id, sizeof r.school_id, "s-01");
    pp_compare_copy(r.school_name, sizeof r.school_name, "第一小学");
    pp_compare_copy(r.scenario_name, sizeof r.scenario_name, "冬令时\n35人");
    r.asked = 1234;
    r.served = 1200;
    r.hours_external = 12.5;
    r.nmarginal = 1;
    pp_compare_copy(r.marginal[0].label, sizeof r.marginal[0].label, "足球 教练 周五 课后服务 +1人");
    r.marginal[0].gain = 999.5;
    FILE *f = tmpfile();
    assert_int_equal(pp_compare_write_result(f, &r), 0);
    rewind(f);
    assert_int_equal(pp_compare_read_result(f, &back), 0);
    fclose(f);
    assert_int_equal(back.school_index, 3);
    assert_string_equal(back.school_name, "第一小学");
    assert_string_equal(back.scenario_name, "冬令时 35人");
    assert_int_equal(back.asked, 1234);
    assert_true(back.hours_external == 12.5);
    assert_string_equal(back.marginal[0].label, r.marginal[0].label);
    assert_true(back.marginal[0].gain == 999.5);
    /* a truncated file is not a result */
    f = tmpfile();
    fputs("paipian-pair=1\nschool_index=1\n", f);
    rewind(f);
    assert_int_equal(pp_compare_read_result(f, &back), -1);
    fclose(f);
    /* cutting a long name keeps whole UTF-8 characters */
    char small[8];
    pp_compare_copy(small, sizeof small, "第一小学");
    assert_string_equal(small, "第一");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(every_pair_has_a_row_and_a_broken_school_fails_alone, setup, teardown),
        cmocka_unit_test_setup_teardown(no_student_id_or_name_in_any_district_output, setup, teardown),
        cmocka_unit_test_setup_teardown(merge_reports_a_lost_pair_and_keeps_the_others, setup, teardown),
        cmocka_unit_test_setup_teardown(slurm_script_runs_one_array_task_per_pair_with_absolute_paths, setup, teardown),
        cmocka_unit_test(result_files_read_back_what_was_written),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
