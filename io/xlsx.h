/* xlsx.h - timetable.xlsx: the plan as an Excel workbook for the academic affairs
 * office, which adjusts it and pays subsidies from it in Excel.
 *
 * Sheets, in this order:
 *   排片表-按班级  one block of rows per class (rows: its periods; columns: the days),
 *   排片表-按场地  the same per venue in use,
 *   排片表-按人员  the same per staff member with sessions,
 *   学生           one row per student; the first columns follow the shared student-sheet
 *                  contract read back by `paipian import` (学号 姓名 班级 重点保障, one
 *                  column per service day with the periods stayed, 志愿1..志愿K), then
 *                  one column per day with what the student was given,
 *   工作量         one row per staff member, then totals by pay kind as Excel formulas
 *                  (SUMIF/SUM/COUNTIF over the staff rows, with the computed values
 *                  cached), then the fairness figures,
 *   变更           (a re-plan only, pp_xlsx_write_changes) the counts of io/changes.h
 *                  against the solve from scratch, then one row per changed slot of
 *                  a student, staff member or venue (as changes.csv).
 * Chinese headers in bold, header rows frozen and repeated on every printed page,
 * column widths from the text (a CJK character counts two units), A4 landscape fit
 * to the page width with gridlines; the grid sheets break the page before each
 * class, venue and staff member, so each prints on its own page.
 *
 * Output is deterministic: the document creation time is the school's first season
 * start (00:00 UTC), never the clock, so the same plan gives the same bytes. */
#ifndef PP_XLSX_H
#define PP_XLSX_H

#include <stddef.h>

#include "model/model.h"
#include "model/plan.h"

/* Writes the workbook of plan p of school s to path (created or replaced).
 * Returns 0; or -1 with a message in err (at most errlen bytes, NUL-terminated)
 * when the file cannot be written or memory ran out: the file at path may then
 * exist half-written, and the caller removes it. */
int pp_xlsx_write(const char *path, const pp_school *s, const pp_plan *p, char *err, size_t errlen);

/* The same with the 变更 sheet of a re-plan's notices ch (io/changes.h; NULL: none). */
struct pp_changes;
int pp_xlsx_write_changes(const char *path, const pp_school *s, const pp_plan *p, const struct pp_changes *ch,
                          char *err, size_t errlen);

/* Display width of UTF-8 text in Excel column units: 2 per wide character (CJK,
 * full-width forms, Hangul), 1 per other character; of the longest line when the
 * text has line breaks. */
int pp_xlsx_text_width(const char *t);

#endif
