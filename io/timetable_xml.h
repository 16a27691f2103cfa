/* timetable_xml.h - the timetable (排片表) as XML: written by `paipian solve` as
 * timetable.xml, read back by `paipian check` and by anyone who wants the plan in
 * another tool.  The format is in docs/FORMAT.md ("Timetable").
 *
 * The file names every entity by the school's ids, so it is read against the same
 * school it was made for. */
#ifndef PP_TIMETABLE_XML_H
#define PP_TIMETABLE_XML_H

#include <stdio.h>

#include "model/diag.h"
#include "model/model.h"
#include "model/plan.h"

/* Writes plan p of school s to f.  Deterministic: groups in pp_plan_sort order (on a
 * sorted index; p is not changed), fixed number formats, no time stamps or timings.
 * Returns 0, or -1 on a write error. */
int pp_ttxml_write(FILE *f, const pp_school *s, const pp_plan *p);

/* Reads a timetable written for school s.  Returns the plan (free with pp_plan_free),
 * or NULL with every problem added to d as "file:line: <group id=...>: what is wrong;
 * expected ...".  The file is parsed without network access, DTDs or entities. */
pp_plan *pp_ttxml_read(const char *path, const pp_school *s, pp_diags *d);

#endif
