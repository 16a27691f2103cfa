/* fuzz_timetable_xml.c - libFuzzer harness for the timetable reader
 * (pp_ttxml_read, io/timetable_xml.h) against a fixed small school
 * (instances/tiny.xml, loaded once).  A plan the reader accepts then goes through
 * the checker (pp_check_plan), the shortage analysis (pp_explain_plan), the XML
 * and HTML writers and the workload report,
 * which must cope with any plan the reader lets through.
 *
 * The reader takes a path, so each input is written to one private temporary file
 * (created once, rewritten per input).  Run from the repository root, as
 * `make fuzz-run` does. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "io/html.h"
#include "io/report.h"
#include "io/school_xml.h"
#include "io/timetable_xml.h"
#include "model/check.h"
#include "solver/explain.h"

#define SCHOOL_PATH "instances/tiny.xml"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Process-wide state of the harness (libFuzzer's model): the school read once and
 * the temporary file's name; released by the OS at exit. */
static pp_school *school;
static char tmp_path[64];

static void remove_tmp(void)
{
    unlink(tmp_path);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    pp_diags *d = pp_diags_new();
    school = pp_xml_load_school(SCHOOL_PATH, d);
    if (!school) {
        pp_diags_print(d, stderr);
        fprintf(stderr, "fuzz_timetable_xml: cannot load %s (run from the repository root)\n", SCHOOL_PATH);
        exit(1);
    }
    pp_diags_free(d);
    snprintf(tmp_path, sizeof tmp_path, "/tmp/fuzz_timetable_XXXXXX");
    int fd = mkstemp(tmp_path);
    if (fd < 0) {
        perror("fuzz_timetable_xml: mkstemp");
        exit(1);
    }
    close(fd);
    atexit(remove_tmp);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FILE *f = fopen(tmp_path, "wb");
    if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
        abort();
    pp_diags *d = pp_diags_new();
    if (!d)
        return 0;
    pp_plan *p = pp_ttxml_read(tmp_path, school, d);
    if ((p == NULL) == (pp_diags_count(d) == 0))
        abort();
    if (p) {
        pp_check_plan(school, p, d);
        if (pp_explain_plan(school, p) < 0)
            abort(); /* out of memory is not expected on inputs this small */
        FILE *null = fopen("/dev/null", "wb");
        if (null) {
            pp_ttxml_write(null, school, p);
            pp_html_timetable(null, school, p);
            pp_report_workload_csv(null, school, p);
            fclose(null);
        }
    }
    pp_plan_free(p);
    pp_diags_free(d);
    return 0;
}
