/* sheet.h - one table of a school's spreadsheets (a CSV file or a workbook sheet)
 * as rows of UTF-8 text cells, the common form the CSV and .xlsx readers produce
 * and the importer (io/import.c) reads.
 *
 * Rows keep the number the user sees in the spreadsheet program (row 1 = the
 * header row), so every message can say "file:sheet:row:column".  Cells are
 * trimmed of surrounding white space (ASCII and U+3000); missing cells read as "".
 *
 * Limits, so that a hostile or broken file is refused with a message instead of
 * exhausting memory: a cell holds at most PP_SHEET_MAX_CELL bytes, a row at most
 * PP_SHEET_MAX_COLS columns, and a CSV file or one .xlsx part at most
 * PP_SHEET_MAX_FILE bytes (uncompressed). */
#ifndef PP_SHEET_H
#define PP_SHEET_H

#include <stddef.h>
#include <stdio.h>

#include "model/diag.h"

#define PP_SHEET_MAX_CELL (64 * 1024)
#define PP_SHEET_MAX_COLS 1024
#define PP_SHEET_MAX_FILE (32L * 1024 * 1024)

typedef struct {
    long num;         /* row number as the spreadsheet shows it (1 = header) */
    int ncells;
    char **cells;     /* UTF-8, NUL-terminated, trimmed */
} pp_sheet_row;

typedef struct {
    char *file;       /* the file, as named in messages */
    char *name;       /* the sheet (for a CSV file: its table name) */
    int nrows, cap;
    pp_sheet_row *rows; /* rows with at least one non-empty cell, in order */
} pp_sheet;

/* Returns an empty sheet, NULL when out of memory; free with pp_sheet_free. */
pp_sheet *pp_sheet_new(const char *file, const char *name);
void pp_sheet_free(pp_sheet *s);          /* NULL is a no-op */

/* Sets cell (row num, 0-based column col) to the len bytes at v (copied, trimmed;
 * a leading apostrophe that protects formula-like text - see pp_csv_put_cell -
 * is dropped, so a sheet written by paipian reads back as the same text).
 * Rows must be given in ascending order; a row whose cells are all empty is
 * dropped when the next row starts or at pp_sheet_finish.  Returns 0, -1 when
 * out of memory. */
int pp_sheet_set(pp_sheet *s, long num, int col, const char *v, size_t len);
/* Drops a trailing empty row; call once after the last pp_sheet_set. */
void pp_sheet_finish(pp_sheet *s);

/* Cell text of row index r (0-based into rows) and column col; "" when missing. */
const char *pp_sheet_cell(const pp_sheet *s, int r, int col);

/* Spreadsheet column letters of 0-based column col ("A", "B", ..., "AA") into buf
 * (at least 8 bytes); returns buf. */
const char *pp_sheet_col_name(int col, char *buf);

/* Whether the len bytes at p are valid UTF-8 (no overlongs, no surrogates). */
int pp_utf8_valid(const char *p, size_t len);

/* Writes text v as one RFC 4180 CSV field (quoted when it holds a comma, a
 * quote, a line break or surrounding spaces).  Text that a spreadsheet would
 * take for a formula - beginning with = + - @, a tab or a carriage return,
 * possibly after apostrophes - gets one leading apostrophe (the OWASP advice
 * against CSV injection: `=HYPERLINK(...)` in a student's name stays text when
 * a teacher opens timetable.csv in Excel).  Every cell whose text may come from
 * a user (names, ids, reasons, anything with a %s in it) goes through here. */
void pp_csv_put_cell(FILE *f, const char *v);

/* Writes a number the program itself formatted ("12", "-0.50", "1e-05") as is,
 * so the spreadsheet reads a number; anything else is written as by
 * pp_csv_put_cell, so text can never reach the file unprotected this way. */
void pp_csv_put_number(FILE *f, const char *v);

/* Whether pp_csv_put_cell would prefix v with an apostrophe. */
int pp_csv_formula_like(const char *v);

/* Writes n files dir/names[i] (datas[i], lens[i] bytes) all or nothing, as one
 * set of io/outdir.h (lock, private staging folder, switched in when every one
 * is complete; on failure dir keeps what it had).  dir is created when
 * missing.  Returns 0, or -1 with a message in d. */
int pp_write_files_atomic(const char *dir, int n, const char *const *names, char *const *datas, const size_t *lens,
                          pp_diags *d);

#endif
