/* html.h - the printable pages people read: the 排片表 (timetable.html) and each
 * student's week for parents (students.html).
 *
 * Each page is one self-contained UTF-8 HTML file: inline CSS, no script, no
 * external resource, so it opens from a USB stick, prints the same everywhere
 * (A4 landscape for the timetable, A4 portrait for the students' notices) and can
 * be mailed as one attachment.  Every text from the school is escaped (& < > " ').
 * Output is deterministic (no clock; stable order; fixed number formats).
 *
 * Both writers take an open FILE and return 0, or -1 when writing failed or memory
 * ran out; the file then holds a truncated page that the caller discards. */
#ifndef PP_HTML_H
#define PP_HTML_H

#include <stdio.h>

#include "model/model.h"
#include "model/plan.h"

/* timetable.html: header (school, solve status, objective, bound, gap), contents,
 * the 排片表 by grade and class (one grid of days x periods per class, each class
 * on its own printed page), by venue, by staff member (one page each), the
 * workload report with totals and fairness, unserved demand, duty leaders. */
int pp_html_timetable(FILE *f, const pp_school *s, const pp_plan *p);

/* students.html: one notice per student (name, class, every slot they stay with
 * the time in each season, activity, venue, staff; or 未安排 and why), grouped by
 * class, each class starting a printed page. */
int pp_html_students(FILE *f, const pp_school *s, const pp_plan *p);

/* Writes t to f with & < > " ' escaped, for text and attribute values of a page
 * (also used by the district comparison page, io/compare.c). */
void pp_html_escape(FILE *f, const char *t);

#endif
