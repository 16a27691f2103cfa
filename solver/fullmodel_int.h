/* fullmodel_int.h - what fullmodel.c (the model) and fullmodel_read.c (solutions
 * back into plans) share; not for use outside them.  Every column of the program
 * carries what it stands for (fm_col), so a solution is read back column by
 * column without parsing names. */
#ifndef PP_FULLMODEL_INT_H
#define PP_FULLMODEL_INT_H

#include <glpk.h>
#include <stdint.h>

#include "fullmodel.h"

typedef enum {
    FV_ONE,  /* fixed at 1: carries the objective's constant */
    FV_X,    /* a = edge: the student attends the section */
    FV_N,    /* a = section, b = venue class: groups of the section meeting in that class */
    FV_U,    /* a = staff, b = activity, c = slot: the staff member leads a group of it then */
    FV_C,    /* a = class, c = slot: care count */
    FV_UN,   /* a = class, c = slot: non-priority students unserved */
    FV_UP,   /* a = class, c = slot: priority students unserved */
    FV_W,    /* a = class k, b = host h, c = slot: k's care is in h's group (k = h: the group exists) */
    FV_Q,    /* same indices: students of k in h's group */
    FV_B,    /* a = class, c = slot: care count at least the merge threshold (G3) */
    FV_J,    /* a = grade level, b = host, c = slot: the whole grade joins the host's group (G5) */
    FV_VC,   /* a = host, b = venue class, c = slot: the host's group meets in that class */
    FV_VP,   /* a = grade level, c = slot: a priority student of the grade is unserved (P1) */
    FV_L,    /* the largest in-house teacher load, minutes */
    FV_DL    /* a = staff, b = day: duty leader */
} fm_kind;

typedef struct {
    unsigned char kind;
    int a, b, c;
} fm_col;

/* Identical venues (type, capacity up to the largest group, availability) counted
 * together.  The largest group is group-max or the largest class, whichever is
 * more: a class alone in care may exceed group-max (G2) and still needs a venue
 * that holds it (V2). */
typedef struct {
    int type, cap;        /* cap: min(capacity, largest group) */
    int n, *venues;       /* members, ascending */
} fm_vclass;

/* A club/course offered on one pattern of slots (one per meeting), for one grade
 * (-1: any) - every group of a section meets at all its slots with the same members. */
typedef struct {
    int act, grade, nslots, slot[PP_DAYS];
    int min, max;         /* opening minimum; the cap from its max and group-max */
    int type;             /* venue type its groups need; -1 any */
} fm_section;

typedef struct {
    int stu, sec, rank;
} fm_edge;

struct pp_full {
    const pp_school *s;
    glp_prob *lp;
    int np, nt;           /* periods; slots t = day * np + period */
    int nint;             /* integer columns */
    fm_col *col;          /* col[j] for GLPK column j (1-based) */
    int ncol, capcol;
    fm_vclass *vc;
    int nvc;
    fm_section *sec;
    int nsec;
    fm_edge *edge;
    int nedge;
    int home_type;        /* venue type of most home classrooms; -1 none */
    double constant;
};


/* ---------- building (fullmodel.c, fullmodel_care.c, fullmodel_rows.c) ------------------ */

typedef struct {
    int key, col;
    double coef;
} term;

/* Terms collected under a key while the columns are made, turned into rows later. */
typedef struct {
    term *t;
    int n, cap, sorted;
} bag;

typedef struct {
    pp_full *m;
    const pp_school *s;
    int oom;
    int *ind;
    double *val;
    int nr, capr;
    int nc, na;
    int *cnt, *cntp;       /* [t * nc + k]: students of class k asking for slot t; priority ones */
    bag club_at, club_np;  /* key t * nc + k: x of class k's students at a club at t (non-priority) */
    bag need;              /* key t * na + a: group columns (-staff per group) */
    bag uslot;             /* key staff * nt + t: u columns */
    bag vuse;              /* key t * nvc + v: venue uses */
} bld;

/* fullmodel_rows.c, down to pp_fm_bag_range.  A new column; returns its index, 0 when
 * out of memory (b->oom is then set). */
int pp_fm_col(bld *b, fm_kind kind, int a, int bb, int c, int type, double lo, double hi, double cost,
              const char *fmt, ...) __attribute__((format(printf, 10, 11)));
/* Adds coef * column j to the row being built (nothing for j <= 0 or coef 0). */
void pp_fm_add(bld *b, int j, double coef);
/* Ends the row being built: type GLP_UP (<= hi), GLP_LO (>= lo), GLP_FX (= lo);
 * repeated columns are summed, a row without terms is dropped. */
void pp_fm_row(bld *b, int type, double lo, double hi, const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void pp_fm_bag_add(bld *b, bag *g, int key, int col, double coef);
/* Terms of key: g->t[*from .. *to) (sorts the bag on first use after an add). */
void pp_fm_bag_range(bag *g, int key, int *from, int *to);
/* The care columns and rows of every slot. */
void pp_fm_build_care(bld *b);

/* ---------- reading back (fullmodel_read.c, fullmodel_repair.c) ------------------------ */

typedef struct {
    int act, day, period, club, dead;
    int vclass;          /* venue class the program chose; -1 none */
    int venue, nstaff, staff[4];
    int n, cap, *stu;    /* students (owned) */
} rg;

typedef struct {
    const pp_full *m;
    const pp_school *s;
    const double *x;
    rg *g;
    int ng, capg;
    pp_diags *d;
    int oom;
} rd;

typedef struct {
    uint32_t *used;                 /* [v * PP_DAYS + d]: periods venue v holds a group in */
    uint32_t ov[PP_MAX_PERIODS];    /* periods overlapping p */
} vstate;

/* Appends student stu to g (r->oom on failure). */
void pp_fm_put(rd *r, rg *g, int stu);
/* Recomputes vs->used from the groups' venues. */
void pp_fm_venue_marks(const rd *r, vstate *vs);
/* Whether venue v may hold group g with size students: type (V1), capacity and
 * availability (V2), free at every overlapping period of the day (V3). */
int pp_fm_venue_fits(const rd *r, const vstate *vs, const rg *g, int v, int size);
/* A free venue for g holding size students, -1 none. */
int pp_fm_pick_venue(const rd *r, const vstate *vs, const rg *g, int size);
/* G6 and G7 by local moves (fullmodel_repair.c). */
void pp_fm_repair(rd *r, vstate *vs);

int pp_fm_runs(const pp_school *s, int d, int p);
int pp_fm_asks(const pp_school *s, int stu, int d, int p);
/* The venue type a care group hosted by class h needs; -1 any. */
int pp_fm_care_type(const pp_full *m, int act, int h);
/* Whether venue class v may serve venue type t (-1: any) at slot (d, p). */
int pp_fm_vclass_ok(const pp_full *m, int v, int type, int d, int p);

#endif
