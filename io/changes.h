/* changes.h - what a re-plan changed, for the people who must be told (paipian
 * solve --from, 准入准出): changes.html (a printable notice per student, staff
 * member and venue, in Chinese), changes.csv, and the 变更 sheet of
 * timetable.xlsx (io/xlsx.h).
 *
 * The published plan is read against the school as it is now
 * (pp_published_read): what the school no longer has (students who left,
 * staff, venues, activities, periods) is left out of the plan and kept aside
 * for the notices.  Then the new plan is compared with it slot by slot.  An
 * *entry* is what one person or room has at one slot:
 *   a student   the group's activity, venue and staff (or 未安排, or nothing);
 *   a staff member  the activity and venue they lead (care: and its classes);
 *   a venue     the activity and staff of the group in it (care: and its classes).
 * A row is written per slot whose entry differs; everyone with a row is told.
 * The counts at the top (students moved, groups changed, staff affected, as the
 * solver charges them: solver/perturb.h) come from the caller, for the re-plan
 * and for a solve from scratch of the same school, so the school sees what the
 * minimal change saved.
 *
 * Output is deterministic: students by class then id, staff and venues in
 * school order, slots by day and period; no times (stats.txt has them).  CSV as io/report.h (UTF-8 with BOM,
 * CRLF, RFC 4180); a cell beginning with = + - @ is prefixed with ' so Excel
 * does not read it as a formula. */
#ifndef PP_CHANGES_H
#define PP_CHANGES_H

#include <stddef.h>
#include <stdio.h>

#include "model/diag.h"
#include "model/model.h"
#include "model/plan.h"

typedef struct pp_published pp_published;

/* Reads the published timetable at path against school s (of the same school:
 * another school's plan is refused, with the message in d).  NULL with every
 * problem in d, or when out of memory.  Free with pp_published_free. */
pp_published *pp_published_read(const char *path, const pp_school *s, pp_diags *d);
void pp_published_free(pp_published *p);  /* NULL is a no-op */

/* The published plan in s's indices, and the gN of each of its groups. */
const pp_plan *pp_published_plan(const pp_published *p);
const int *pp_published_numbers(const pp_published *p);

/* The index in the plan of the published group named gid ("g12" or "12"); -1
 * when there is none, with the reason (e.g. its activity is no longer in the
 * school) written to why (at most n bytes). */
int pp_published_group(const pp_published *p, const char *gid, char *why, size_t n);

/* The figures of one plan against the published one. */
typedef struct {
    int valid;              /* 0: no such plan (the row is shown empty) */
    double objective, seconds;
    int moved_students, moved_entries;  /* from the solver's charges */
    int groups_changed, groups_forced, groups_new, staff_changed;
    int affected, students, moved_unaffected;
    int students_told, staff_told, venues_told; /* filled by pp_changes_measure */
} pp_change_counts;

/* Fills the *_told figures of c for plan (of school s) against the published plan.
 * 0, or -1 when out of memory. */
int pp_changes_measure(const pp_school *s, const pp_published *pub, const pp_plan *plan, pp_change_counts *c);

typedef struct pp_changes pp_changes;

/* The notices of plan against the published plan; replan and scratch (NULL: no
 * solve from scratch was run) are copied.  NULL when out of memory.  Everything
 * given must outlive the result. */
pp_changes *pp_changes_new(const pp_school *s, const pp_published *pub, const pp_plan *plan,
                           const pp_change_counts *replan, const pp_change_counts *scratch);
void pp_changes_free(pp_changes *c);      /* NULL is a no-op */

/* changes.html and changes.csv.  0, or -1 on a write error. */
int pp_changes_html(FILE *f, const pp_changes *c);
int pp_changes_csv(FILE *f, const pp_changes *c);

/* One row of the notices (for the workbook). */
typedef struct {
    const char *kind;       /* 学生, 教职工, 场地 */
    const char *id, *name;
    const char *where;      /* a student's class; a staff member's type; a venue's type */
    int day;                /* -1: about the whole week (left the school, duty days) */
    const char *period;     /* "" when day is -1 */
    const char *before, *after, *note;
} pp_change_row;

int pp_changes_nrows(const pp_changes *c);
const pp_change_row *pp_changes_row(const pp_changes *c, int i);
/* The figures (scratch: 1 for the solve from scratch, NULL when none). */
const pp_change_counts *pp_changes_counts(const pp_changes *c, int scratch);
/* The summary lines at the top: label i (0 .. n-1) and its two values as text. */
int pp_changes_nsummary(void);
const char *pp_changes_summary(const pp_changes *c, int i, char *replan, char *scratch, size_t n);

#endif
