/* gen2.h - the second, independent school generator (bench/gen2.c and the files of bench/gen2/).
 *
 * Written from /work/shared/DOMAIN.md, the seeds and docs/RULES.md, not from bench/gen.c:
 * it makes the school shapes the robust acceptance suite (instances/robust/, `make
 * robust`) judges the solver on.  A school is described by a shape (keywords, see
 * g2_config_parse), a student count and a seed; the same three give the same bytes.
 *
 * Every school it writes admits a plan that serves every student, and the generator
 * proves it: it builds that plan (the *certificate*) while it builds the school, and
 * checks it against the school file as paipian's own loader reads it (verify.c).  The
 * certificate is the plan with no club or course at all, each class's care students in
 * one group whatever their number (RULES.md G2: a class is never split) in their home
 * classroom, which holds the whole class, led by care-capable staff (teachers, retired
 * teachers, volunteers) who are there, within their weekly limits, never in two groups
 * at overlapping periods; and duty leaders every day (all the eligible ones on a day
 * that is short on purpose, a shortage the checker notes, RULES.md D1).  It breaks
 * only the merge-quality rules G6/G7 (it never merges), and merging only lowers what
 * it needs (every classroom holds group-max, the cap of a merged group), so the school
 * also admits a plan keeping every rule that serves everyone.  The staff and rooms are
 * generated around the certificate, so margins can be made exactly as tight as a shape
 * asks (0 spare classrooms, 0 spare teachers on Friday).
 *
 * The modules: rng (splitmix64), build.c (structure, students, clubs and courses),
 * cert.c (the certificate, the staff and spare rooms it needs, the tightening), write.c
 * (the school file and the certificate as timetable XML), verify.c (the check).
 * Internal to the generator; nothing here is part of the paipian library. */
#ifndef G2_GEN2_H
#define G2_GEN2_H

#include <stddef.h>
#include <stdint.h>

#include "model/model.h"

#define G2_DAYS 7
#define G2_MAXP 10
#define G2_SEASONS 2
#define G2_MAXCHOICE 4
#define G2_MAXSPEC 3
#define G2_MAXSPG 2

enum { G2_SUMMER = 0, G2_WINTER = 1 };
enum { G2_TEACHER, G2_RETIRED, G2_EXTERNAL, G2_VOLUNTEER };

/* ---- seeded randomness: splitmix64, so a seed gives the same school everywhere ---- */
typedef struct { uint64_t s; } g2_rng;
uint64_t g2_next(g2_rng *r);
int g2_range(g2_rng *r, int lo, int hi);      /* uniform in lo..hi inclusive */
int g2_chance(g2_rng *r, int permille);       /* 1 with probability permille / 1000 */

/* A Chinese name (surname, one or two given characters) followed by suffix. */
void g2_person(g2_rng *r, char *buf, size_t n, const char *suffix);

/* ---- memory: the generator is a command-line tool; out of memory ends it (exit 4) ---- */
void *g2_alloc(size_t n);                      /* zeroed */
void *g2_grow(void *p, size_t n);              /* realloc */
char *g2_strdup(const char *s);

/* ---- the shape of a school (g2_config_parse fills it from keywords) ---- */
typedef struct {
    const char *name;           /* file stem and school id, e.g. r07-onepergrade-420 */
    int students;
    uint64_t seed;
    int glo, ghi;               /* grade levels */
    int onepergrade;
    int size_lo, size_hi;       /* class sizes */
    int gm, cmt, qa, cmin, dlpd, adj; /* policy values; -1: the default (attribute left out) */
    int morning, morningwinter, noon, noonreading, late, late_from, evening9, sat9, boarding, after2;
    int seasons, spring;
    int clubs;                  /* 0 none, 1 some, 2 many */
    int courses;                /* 0 none, 1 some, 2 many */
    int late_courses, grade6course;
    int room_margin;            /* spare classrooms beyond what the certificate needs; -1 random 1..3 */
    int friday;                 /* Friday afternoon teacher training */
    int duty_exact;             /* exactly duty-leaders-per-day eligible staff on Friday */
    int duty_short;             /* day with one eligible duty leader too few; -1 none */
    int stafftight, tightload, partdays, twin, twincare, hwclass;
    int prio;                   /* permille of priority students */
    int stay;                   /* 0 mixed, 1 high, -1 low */
    const char *shape;          /* the keywords as given, for the file's comment */
} g2_config;

/* Reads space-separated keywords into c (defaults first); on an unknown keyword
 * returns -1 and points *bad at it. */
int g2_config_parse(g2_config *c, const char *shape, const char **bad);

/* ---- the school being generated ---- */
typedef struct {
    char id[16];
    const char *name, *kind;    /* kind as in the file: morning, noon, after-school, late, evening */
    unsigned days;              /* bit d: runs on day d (0 = Mon) */
    unsigned grades;            /* bit g: for grade level g */
    int care;                   /* care activity index */
    int start[G2_SEASONS], end[G2_SEASONS]; /* minutes after midnight; -1: not in that season */
    int course_slot;            /* clubs or courses may meet here */
} g2_period;

typedef struct {
    char id[16];
    char name[64];
    const char *type;
    int cap;
    unsigned unavail[G2_DAYS];  /* per day, periods the venue cannot be used */
    int spare;                  /* a spare classroom (not a home room) */
} g2_venue;

typedef struct {
    char id[16];
    char name[48];
    int grade, room, size;
} g2_class;

typedef struct {
    char id[32];
    char name[64];
    const char *kind, *category, *tier; /* tier NULL: the default */
    int sessions, min, max, merge, spg, fee; /* min/max/merge -1: the default */
    unsigned grades;            /* 0: all grades of the school */
    const char *venue_type, *spec, *provider; /* NULL: none */
    unsigned slots[G2_DAYS];    /* clubs and courses: per day, periods it may meet in */
    int popularity;             /* weight of the choice draw */
} g2_activity;

typedef struct {
    char id[16];
    char name[48];
    int type;
    const char *spec[G2_MAXSPEC];
    int nspec;
    unsigned avail[G2_DAYS];
    int max_sessions, max_minutes, duty;
    unsigned char locked[G2_DAYS]; /* away the whole day: never made available there */
    int used_s, used_m;         /* the certificate's load */
    unsigned busy[G2_DAYS];     /* the certificate's periods per day */
} g2_staff;

typedef struct {
    char name[16];
    int cls;
    unsigned prio;              /* PP_PRIO_* flags */
    unsigned stay[G2_DAYS];     /* per day, periods stayed for */
    int choice[G2_MAXCHOICE], nchoice;
} g2_student;

/* One group of the certificate: all care students of class cls at a slot (students,
 * size of them, in school order), in the class's home room. */
typedef struct {
    int day, period, cls, size;
    int *students;
    int venue;
    int staff[G2_MAXSPG], nstaff;
} g2_group;

typedef struct {
    g2_config cfg;
    g2_rng rng;
    char name[64];
    unsigned days;
    int nperiods; g2_period periods[G2_MAXP];
    int ngrades; int grades[12];
    int nvenues, capvenues; g2_venue *venues;
    int nclasses; g2_class *classes;
    int nacts, capacts; g2_activity *acts;
    int nstaff, capstaff; g2_staff *staff;
    int nstudents; g2_student *students;
    int ngroups, capgroups; g2_group *groups;
    int duty[G2_DAYS][8], nduty[G2_DAYS];
    int tight[G2_DAYS];         /* per day, periods whose care staff margin was cut */
    int gm, dlpd;               /* the effective group-max and duty leaders per day */
    int nowned, capowned; char **owned; /* strings made while building, freed with the school */
} g2_school;

/* build.c: the school before staff and spare rooms. */
void g2_build(g2_school *s);
/* cert.c: the certificate, the staff, spare rooms and duty leaders around it. */
void g2_certify(g2_school *s);
int g2_overlap(const g2_school *s, int p, int q);
int g2_period_len(const g2_period *p);
int g2_period_runs(const g2_school *s, int p, int day);
unsigned g2_running(const g2_school *s, int day);   /* periods that run that day */
int g2_staff_add(g2_school *s, int type);
int g2_venue_add(g2_school *s, const char *type, int cap);
int g2_act_add(g2_school *s);
void g2_school_free(g2_school *s);
/* A copy of text that lives as long as the school (activity and staff fields point to it). */
const char *g2_keep(g2_school *s, const char *text);

/* write.c: an append-only text buffer and the two documents. */
typedef struct { char *p; size_t len, cap; } g2_buf;
void g2_printf(g2_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void g2_esc(g2_buf *b, const char *text);     /* XML attribute text */
void g2_write_school(g2_buf *b, const g2_school *s);
void g2_write_certificate(g2_buf *b, const g2_school *s);
const char *g2_day_name(int d);

/* verify.c: checks the certificate against the school as paipian loaded it; every
 * failure is a line in msgs (freed by the caller).  Returns the number of failures.
 * Fills the tightness figures for the README. */
typedef struct {
    int groups, spare_rooms_min, spare_rooms_day, spare_rooms_period;
    int spare_staff_min, spare_staff_day, spare_staff_period;
    int course_slot_rooms_min;  /* spare classrooms at club/course slots, least; -1 none */
    int load_full;              /* care-capable staff at their session or minute limit */
    int care_capable;
    int duty_min, duty_min_day, short_day;
} g2_figures;
int g2_verify(const g2_school *g, const pp_school *s, g2_buf *msgs, g2_figures *f);

#endif
