/* sheet_export.h - writes a school as the folder of CSV sheets that
 * `paipian import` reads (docs/SHEETS.md): the inverse of io/import.c, so that
 * a school can be handed to an office as spreadsheets, edited, and imported
 * again.  `paipian export-sheets` runs it; instances/sheets/ was made with it.
 *
 * The sheets use the Chinese headers and values (周一, 社团, 在职教师, 是/否) and
 * name periods and activities by name where the name is unambiguous, by id
 * otherwise; every value the school holds is written, so importing the folder
 * gives the same school. */
#ifndef PP_SHEET_EXPORT_H
#define PP_SHEET_EXPORT_H

#include "model/diag.h"
#include "model/model.h"

/* Writes one CSV per table into dir (created if missing), all-or-nothing
 * through temporary files.  Files are UTF-8 with BOM, except the students sheet
 * when students_gbk is set: then it is GBK, as Chinese Windows Excel saves
 * "CSV (逗号分隔)".  Returns 0, or -1 with a message in d. */
int pp_sheets_export(const pp_school *s, const char *dir, int students_gbk, pp_diags *d);

#endif
