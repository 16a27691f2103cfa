/* grid.h - the week grids of a plan (排片表 by class, by venue, by staff), as data:
 * shared by the HTML page (io/html.c) and the workbook (io/xlsx.c) so both show
 * the same cells in the same order.
 *
 * Every group contributes one entry per class it draws from (with the count from
 * that class), one for its venue and one per staff member.  Each index is sorted by
 * (owner, period, day, care first, activity, group), which is the order a grid is
 * printed in (period rows, day columns), so a grid is written with one cursor and
 * no search.  Groups naming entities out of range are left out.
 *
 * A pp_grid reads a school and a plan and never changes them; it keeps no pointer
 * to them, so it must be used with the same school and plan it was built from. */
#ifndef PP_GRID_H
#define PP_GRID_H

#include <stddef.h>
#include <stdint.h>

#include "model/model.h"
#include "model/plan.h"

typedef enum { PP_GRID_CLASS, PP_GRID_VENUE, PP_GRID_STAFF, PP_GRID_MODES } pp_grid_mode;

typedef struct {
    int owner;           /* class, venue or staff index, by mode */
    int period, day;
    int rank;            /* 0 care kinds, 1 clubs and courses: care is listed first in a cell */
    int activity, group;
    int count;           /* students of the group in this owner (by class: from that class; else all) */
} pp_grid_entry;

typedef struct {
    pp_grid_entry *by[PP_GRID_MODES]; /* sorted entries, indexed by mode */
    int n[PP_GRID_MODES];
    int *stay;           /* [class][day][period] (PP_GRID_CDP) students staying */
    int *unserved;       /* [class][day][period] of them left unserved */
    int *class_order;    /* classes by grade, then school order */
} pp_grid;

#define PP_GRID_CDP(s, c, d, pe) (((size_t)(c) * PP_DAYS + (size_t)(d)) * (size_t)(s)->nperiods + (size_t)(pe))

/* Fills g for plan p of school s.  Returns 0, or -1 when out of memory (g is then
 * already freed).  Release with pp_grid_free. */
int pp_grid_build(pp_grid *g, const pp_school *s, const pp_plan *p);
void pp_grid_free(pp_grid *g);  /* frees what g holds, not g; a zeroed g is a no-op */

/* Classes by grade ascending, each grade in school order, classes of unknown grade
 * last: a new array of nclasses entries the caller frees; NULL when out of memory. */
int *pp_grid_class_order(const pp_school *s);

/* The entries of one owner in mode m: [*lo, *hi) of g->by[m]. */
void pp_grid_owner_range(const pp_grid *g, pp_grid_mode m, int owner, int *lo, int *hi);

/* Periods (bit mask) with at least one of the entries [lo, hi) of mode m. */
uint32_t pp_grid_used_periods(const pp_grid *g, pp_grid_mode m, int lo, int hi);

/* The rows of a class grid: periods with a group of the class, and every period
 * its grade is in school for on a service day (so an empty afternoon shows). */
uint32_t pp_grid_class_rows(const pp_grid *g, const pp_school *s, int cls, int lo, int hi);

/* Whether period pe runs on day d for grade (any grade when grade < 0): a cell
 * that does not run and has no entry is shown as off (—). */
int pp_grid_runs(const pp_school *s, int pe, int d, int grade);

/* Students of the school in admin class cls. */
int pp_grid_class_size(const pp_school *s, int cls);

#endif
