/* fuzz_csv.c - libFuzzer harness for the CSV reader and the sheet importer.
 *
 * Input: one selector byte, then the bytes of a CSV file.  The CSV is parsed
 * with pp_csv_parse (encoding detection, iconv, libcsv, limits); when it parses,
 * it replaces table (selector % PP_TABLES) of the small good school in
 * tests/bad_sheets/base/ and the whole import runs (headers, every cell format,
 * references, XML through the loader).  Seeds: fuzz/corpus/csv/.
 *
 * Build (from the repository root; `make fuzz` does the same):
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -I. $(pkg-config --cflags libxml-2.0) \
 *     fuzz/fuzz_csv.c <every model/, io/, solver/ .c> build/gen/school_xsd.c -lglpk -lxml2 -lcsv -lzip -lm
 * Run from the repository root so the base school is found. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "io/csv_read.h"
#include "io/import.h"
#include "io/sheet.h"
#include "model/model.h"

/* The base school's tables, read once per process (harness state, not library
 * state); NULL entries when the folder is not found: then only the CSV reader
 * is fuzzed. */
static pp_sheet *base[PP_TABLES];
static int loaded;

static void load_base(void)
{
    loaded = 1;
    for (int t = 0; t < PP_TABLES; t++) {
        char path[256];
        snprintf(path, sizeof path, "tests/bad_sheets/base/%s.csv", pp_import_table_name((pp_table)t));
        pp_diags *d = pp_diags_new();
        base[t] = pp_csv_read(path, pp_import_table_name((pp_table)t), NULL, d);
        pp_diags_free(d);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!loaded)
        load_base();
    if (size < 1)
        return 0;
    int t = data[0] % PP_TABLES;
    pp_diags *d = pp_diags_new();
    if (!d)
        return 0;
    pp_sheet *sh = pp_csv_parse((const char *)data + 1, size - 1, "fuzz.csv", pp_import_table_name((pp_table)t), NULL, d);
    if (sh && base[0]) {
        pp_sheet *tables[PP_TABLES];
        for (int k = 0; k < PP_TABLES; k++)
            tables[k] = k == t ? sh : base[k];
        pp_school *s = pp_import_sheets(tables, "fuzz", d);
        pp_school_free(s);
    }
    pp_sheet_free(sh);
    pp_diags_free(d);
    return 0;
}
