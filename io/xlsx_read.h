/* xlsx_read.h - reads the sheets of an .xlsx workbook (Office Open XML, as Excel
 * and WPS save it) into pp_sheet tables, with libzip for the container and
 * libxml2 for the parts.
 *
 * Understood: the sheet list (xl/workbook.xml and its relationships), shared
 * strings (rich text concatenated, phonetic runs skipped), inline strings,
 * formula results stored as strings, numbers (kept as written in the file, e.g.
 * "15", "0.7291666666666666", "46266": the importer interprets times and dates)
 * and booleans ("1"/"0").  Styles are not read, so a date cell arrives as its
 * serial number.
 *
 * Hostile files are refused with a message: a file that is not a zip archive, a
 * part whose uncompressed size exceeds PP_SHEET_MAX_FILE (a "zip bomb"; the size
 * is checked while inflating, not trusted from the directory), a part with a
 * DOCTYPE (no entity expansion), malformed XML. */
#ifndef PP_XLSX_READ_H
#define PP_XLSX_READ_H

#include <stddef.h>

#include "io/sheet.h"
#include "model/diag.h"

typedef struct pp_xlsx pp_xlsx;

/* Opens the workbook at path and reads its sheet list and shared strings.
 * Returns it (close with pp_xlsx_close), or NULL with the problems in d as
 * "path: what is wrong; expected ...". */
pp_xlsx *pp_xlsx_open(const char *path, pp_diags *d);

/* The same for len bytes in memory (copied); name stands for the file in messages. */
pp_xlsx *pp_xlsx_open_memory(const void *buf, size_t len, const char *name, pp_diags *d);

void pp_xlsx_close(pp_xlsx *x);            /* NULL is a no-op */

int pp_xlsx_nsheets(const pp_xlsx *x);
/* Name of sheet i (0-based, workbook order), owned by x. */
const char *pp_xlsx_sheet_name(const pp_xlsx *x, int i);

/* Reads sheet i into a new table whose messages say "file:<sheet name>:row:col".
 * Returns it (free with pp_sheet_free) or NULL with the problems in d. */
pp_sheet *pp_xlsx_read_sheet(pp_xlsx *x, int i, pp_diags *d);

#endif
