/* school_write.h - writes a pp_school as a school XML file (docs/FORMAT.md "School").
 *
 * The output is canonical: every attribute is written explicitly (no defaults left
 * to the reader), entities in the school's order, lists in index order, numbers
 * in the shortest fixed-point form that reads back to the same double.  So
 * loading what was written gives the same school, and two schools that load to
 * the same pp_school are written as the same bytes: `paipian import` writes its
 * result with it, and the tests compare schools by comparing these bytes. */
#ifndef PP_SCHOOL_WRITE_H
#define PP_SCHOOL_WRITE_H

#include <stdio.h>

#include "model/model.h"

/* Writes s to f.  Returns 0, or -1 when a write failed (f's error flag is set). */
int pp_xml_write_school(FILE *f, const pp_school *s);

/* Writes s into a new heap buffer of *len bytes (NUL-terminated), which the caller
 * frees with free(); NULL when out of memory. */
char *pp_xml_write_school_memory(const pp_school *s, size_t *len);

/* x as the shortest fixed-point decimal that reads back as x ("1.2", "0.01",
 * "20"), into buf; returns buf. */
const char *pp_xml_format_number(double x, char buf[64]);

/* Days since 1970-01-01 as "YYYY-MM-DD" into buf; returns buf.  The inverse of
 * pp_parse_date. */
const char *pp_xml_format_date(int days, char buf[16]);

#endif
