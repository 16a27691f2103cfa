/* fuzz_check.c - libFuzzer harness for `paipian check`: a school and a
 * timetable read, then the independent checker (model/check.h), on inputs up
 * to large timetables.
 *
 * Input, either
 *   - a pair: the bytes of a school file, the line "==timetable==", then the
 *     bytes of a timetable (both fuzzed: ids, references and sizes that agree
 *     or not);
 *   - or one selector byte then a timetable, read against one of the schools
 *     loaded once (0: instances/tiny.xml, 1: instances/seed002.xml,
 *     2: instances/default.xml), so that large timetables of a real school
 *     (hundreds of groups) are mutated without re-reading a large school.
 * An accepted plan goes through pp_check_plan; checks beyond the sanitizers: a
 * plan XOR messages from the reader.  The reader takes a path: each input is
 * written to one private temporary file (mkstemp, created once).  Seeds:
 * fuzz/corpus/check/.  Run from the repository root. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "io/school_xml.h"
#include "io/timetable_xml.h"
#include "model/check.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MARKER "\n==timetable==\n"

static const char *const school_paths[] = { "instances/tiny.xml", "instances/seed002.xml", "instances/default.xml" };
#define NSCHOOLS (int)(sizeof school_paths / sizeof *school_paths)

/* Process-wide state of the harness: the schools read once, the temporary. */
static pp_school *schools[NSCHOOLS];
static char tmp_path[64];

static void remove_tmp(void)
{
    unlink(tmp_path);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    for (int i = 0; i < NSCHOOLS; i++) {
        pp_diags *d = pp_diags_new();
        schools[i] = pp_xml_load_school(school_paths[i], d);
        if (!schools[i]) {
            pp_diags_print(d, stderr);
            fprintf(stderr, "fuzz_check: cannot load %s (run from the repository root)\n", school_paths[i]);
            exit(1);
        }
        pp_diags_free(d);
    }
    snprintf(tmp_path, sizeof tmp_path, "/tmp/fuzz_check_XXXXXX");
    int fd = mkstemp(tmp_path);
    if (fd < 0) {
        perror("fuzz_check: mkstemp");
        exit(1);
    }
    close(fd);
    atexit(remove_tmp);
    return 0;
}

/* The first occurrence of the marker in data, or NULL. */
static const uint8_t *find_marker(const uint8_t *data, size_t size)
{
    size_t m = sizeof MARKER - 1;
    for (size_t i = 0; i + m <= size; i++)
        if (data[i] == '\n' && !memcmp(data + i, MARKER, m))
            return data + i;
    return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    pp_diags *d = pp_diags_new();
    if (!d)
        return 0;
    const uint8_t *mark = find_marker(data, size), *tt = data + 1;
    size_t ttlen = size - 1;
    pp_school *own = NULL;
    const pp_school *s = schools[data[0] % NSCHOOLS];
    if (mark) {
        own = pp_xml_load_school_memory((const char *)data, (size_t)(mark - data), "fuzz-school.xml", d);
        if ((own == NULL) == (pp_diags_count(d) == 0))
            abort();
        s = own;
        tt = mark + sizeof MARKER - 1;
        ttlen = size - (size_t)(tt - data);
    }
    if (s) {
        FILE *f = fopen(tmp_path, "wb");
        if (!f || fwrite(tt, 1, ttlen, f) != ttlen || fclose(f) != 0)
            abort();
        int before = pp_diags_count(d);
        pp_plan *p = pp_ttxml_read(tmp_path, s, d);
        if ((p == NULL) == (pp_diags_count(d) == before))
            abort();
        if (p)
            pp_check_plan(s, p, d);
        pp_plan_free(p);
    }
    pp_school_free(own);
    pp_diags_free(d);
    return 0;
}
