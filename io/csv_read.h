/* csv_read.h - reads one table of a school from a CSV file (RFC 4180: quoted
 * cells may hold commas, quotes written "" and line breaks) with libcsv.
 *
 * Encodings: UTF-8 with or without BOM, and GB18030 (which includes GBK and
 * GB2312, what Chinese Windows Excel writes for "CSV (逗号分隔)").  With encoding
 * NULL or "auto" a file that is valid UTF-8 is read as UTF-8, otherwise as
 * GB18030; a file with some lines in UTF-8 and others not is refused as mixed.
 * "utf-8", "gbk", "gb18030" (any case) name the encoding instead.  Text is
 * converted to UTF-8 with iconv.
 *
 * Row numbers in messages are those a spreadsheet program shows: one per record,
 * blank lines counted, a quoted cell with line breaks staying in one row. */
#ifndef PP_CSV_READ_H
#define PP_CSV_READ_H

#include <stddef.h>

#include "io/sheet.h"
#include "model/diag.h"

/* Whether name is an encoding pp_csv_parse understands (NULL counts as "auto"). */
int pp_csv_encoding_known(const char *name);

/* Parses the len bytes at buf (not kept) as the CSV of table `table` from `file`
 * (both only for messages).  Returns the sheet (free with pp_sheet_free), or NULL
 * with every problem added to d as "file:table:row:column: what; expected ...":
 * a file over PP_SHEET_MAX_FILE bytes, a NUL byte, bytes invalid in the encoding,
 * mixed encodings, an unbalanced quote, a cell over PP_SHEET_MAX_CELL bytes, a row
 * over PP_SHEET_MAX_COLS cells, out of memory. */
pp_sheet *pp_csv_parse(const char *buf, size_t len, const char *file, const char *table, const char *encoding,
                       pp_diags *d);

/* The same for the file at path (messages name it path). */
pp_sheet *pp_csv_read(const char *path, const char *table, const char *encoding, pp_diags *d);

/* Reads a whole file of at most max bytes into a heap buffer (caller frees) of
 * *len bytes plus a NUL; NULL with a message in d when unreadable or larger. */
char *pp_read_file_limited(const char *path, long max, size_t *len, pp_diags *d);

#endif
