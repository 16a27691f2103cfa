/* timetable_xml.h - the timetable (排片表) as XML: written by `paipian solve` as
 * timetable.xml, read back by `paipian check` and by anyone who wants the plan in
 * another tool.  The format is in docs/FORMAT.md ("Timetable"), the structure in
 * io/timetable.xsd.
 *
 * The file names every entity by the school's ids, so it is read against the same
 * school it was made for.  Writing is deterministic so that a timetable can be
 * diffed and kept under version control: write -> read -> write gives the same bytes.
 *
 * Reading goes through three gates, each reporting every problem it finds:
 *   1. well-formed XML, parsed by libxml2 without network access or entity
 *      substitution; a document with a DOCTYPE is refused outright (no external
 *      entity reads, no entity expansion bombs);
 *   2. structure, validated against a copy of io/timetable.xsd compiled into the
 *      library (so paipian runs from any directory);
 *   3. meaning: every id resolved against the school, days parsed.
 * Whether the plan keeps the rules is not the reader's business: see model/check.h.
 *
 * The reader temporarily installs a libxml2 structured error handler (thread-local
 * in libxml2) and restores the previous one before returning; it keeps no state. */
#ifndef PP_TIMETABLE_XML_H
#define PP_TIMETABLE_XML_H

#include <stddef.h>
#include <stdio.h>

#include "model/diag.h"
#include "model/model.h"
#include "model/plan.h"

/* Writes plan p of school s to f.  Groups are numbered g1.. in pp_plan_sort order
 * (sorted on a copy; p is not changed), unserved entries by day, period, student,
 * duty by day; numbers in fixed formats.  Returns 0, or -1 on a write error or when
 * out of memory (f then holds a partial document). */
int pp_ttxml_write(FILE *f, const pp_school *s, const pp_plan *p);

/* Reads a timetable written for school s.  Returns the plan, which the caller frees
 * with pp_plan_free; or NULL with every problem added to d as
 * "file:line: <group id="g3">: what is wrong; expected ..." (unreadable file, bad
 * XML, DOCTYPE, schema violations, unknown activity/period/venue/staff/class/
 * student ids, bad day names, a timetable of another school, out of memory). */
pp_plan *pp_ttxml_read(const char *path, const pp_school *s, pp_diags *d);

/* Reading a published plan against the school as it is now, to re-plan from it
 * (solver/perturb.h): ids the school no longer has (students who left, a removed
 * venue, staff member, activity or period) are left out instead of being errors,
 * and each omission is told to `dropped`.  A group whose activity or period is
 * gone is left out whole; one whose venue is gone keeps no venue; unknown staff
 * and students are left out of their lists.  The classes attribute is not
 * compared with the students (students may have left or changed class). */
typedef struct {
    long line;
    int group;              /* N of the <group id="gN"> it is in; 0 for <unserved> and <duty> */
    const char *element;    /* "group", "unserved" or "duty" */
    const char *attr;       /* the attribute naming the id ("activity", "venue", "staff", "students", ...) */
    const char *id;         /* the id the school does not have */
    int whole;              /* 1: the element itself is left out */
    /* a group left out whole, for the change notices: as written, day -1 when not
     * a day, and its students still in the school */
    const char *activity, *period;
    int day;
    const int *students;
    int nstudents;
} pp_ttxml_drop;

typedef struct {
    void (*dropped)(void *ctx, const pp_ttxml_drop *what); /* may be NULL; strings valid during the call */
    void *ctx;
    int *numbers;           /* out: numbers[i] = N of the file's <group id="gN"> that is group i of the
                               plan; malloc'd (also when the plan has no group), the caller frees */
} pp_ttxml_lenient;

/* As pp_ttxml_read, with the leniency above; opt->numbers is set when a plan is
 * returned (NULL otherwise).  A timetable of another school is still refused. */
pp_plan *pp_ttxml_read_published(const char *path, const pp_school *s, pp_ttxml_lenient *opt, pp_diags *d);

/* The embedded copy of io/timetable.xsd (len bytes, NUL-terminated), owned by the
 * library: never freed or changed by the caller. */
const char *pp_ttxml_xsd(size_t *len);

#endif
