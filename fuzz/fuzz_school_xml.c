/* fuzz_school_xml.c - libFuzzer harness for the school loader
 * (pp_xml_load_school_memory): any bytes must give either a school or messages,
 * never a crash, a leak, undefined behaviour or a hang.  Every message must be
 * non-empty (a school administrator gets something to act on).
 *
 * Built by `make fuzz` into build/fuzz/fuzz_school_xml; run by `make fuzz-run`
 * with the seeds of fuzz/corpus/school_xml/ (see fuzz/README.md). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "io/school_xml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pp_diags *d = pp_diags_new();
    if (!d)
        return 0;
    pp_school *s = pp_xml_load_school_memory((const char *)data, size, "fuzz.xml", d);
    /* a refused input always says why; an accepted one says nothing */
    if ((s == NULL) == (pp_diags_count(d) == 0))
        abort();
    for (int i = 0; i < pp_diags_count(d); i++)
        if (pp_diags_get(d, i)[0] == '\0')
            abort();
    pp_school_free(s);
    pp_diags_free(d);
    return 0;
}
