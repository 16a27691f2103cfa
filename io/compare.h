/* compare.h - the district comparison (docs/DISTRICT.md): what one solved
 * (school, scenario) pair amounts to, the small per-pair result file a worker
 * writes, and the comparison.csv / comparison.html that put every pair, the
 * district totals per scenario and their deltas against the baseline side by side.
 *
 * Privacy: a pair result holds counts, rates, hours and money of a school and
 * the names of activities and periods, never a student's name or id (minors'
 * data stays at the school).  Messages of a failed pair that would name a
 * student are replaced by a pointer to `paipian solve` on the school itself.
 *
 * Running the solves (worker processes, Slurm tasks) is solver/compare_run.h;
 * this module only measures, stores and writes.  Output is deterministic: rows in
 * manifest order (school, then scenario), fixed number formats, no clock except
 * the solve times themselves. */
#ifndef PP_COMPARE_H
#define PP_COMPARE_H

#include <stdio.h>

#include "model/model.h"
#include "model/plan.h"

#define PP_COMPARE_MAX_MARGINAL 8

/* The value of one more unit of a scarce resource, found by re-solving. */
typedef struct {
    char resource[200];      /* e.g. "staff football Fri after" or "venue field Wed after" (ids of the school) */
    char label[300];         /* the same in Chinese for the page: "足球 教练 周五 课后服务 +1人" */
    double gain;             /* objective of the pair minus objective with the unit added (> 0: it helps) */
    long served_gain;        /* student-slots served more with the unit */
} pp_marginal;

typedef struct {
    int school_index, scenario_index;   /* position in the manifest (scenario 0 = baseline) */
    char school_file[512];
    char school_id[128], school_name[256];
    char scenario_id[128], scenario_name[256];
    int failed;              /* 1: no plan; error says why */
    char error[600];
    char status[16];         /* pp_status_name of the plan */
    int students, priority_students, priority_served; /* priority served: no unserved slot */
    long asked, served;      /* student-slots asked for / given a group */
    int with_choices, first_choice; /* students with choices / given their first choice */
    int groups, cross_grade; /* groups formed / care groups mixing grades */
    double hours_inhouse, hours_external; /* led hours in the term */
    double subsidy, external_cost;        /* yuan in the term: in-house subsidy, external staff */
    int over_limit;          /* staff beyond their weekly session or minute limit */
    long unserved;           /* student-slots without a group */
    char short_reason[300];  /* the reason of most unserved student-slots, "" when none */
    long short_count;        /* student-slots with that reason */
    double objective, seconds, gap;
    int nmarginal;
    pp_marginal marginal[PP_COMPARE_MAX_MARGINAL]; /* best first */
} pp_pair_result;

/* Fills the figures of r from a solved plan p of school s (identity fields and
 * marginal values are the caller's).  Reuses the workload report (io/report.h).
 * Returns 0, or -1 when out of memory. */
int pp_compare_measure(const pp_school *s, const pp_plan *p, pp_pair_result *r);

/* Copies msg into r->error, marking r failed; a message that names a student
 * (<student ...>) is replaced by one that does not. */
void pp_compare_set_error(pp_pair_result *r, const char *msg);

/* Copies src into dst of n bytes (n > 0), cutting between UTF-8 characters when
 * it does not fit; always NUL-terminated. */
void pp_compare_copy(char *dst, size_t n, const char *src);

/* One result as "key=value" lines (the per-pair file).  0, or -1 on write error. */
int pp_compare_write_result(FILE *f, const pp_pair_result *r);
/* Reads what pp_compare_write_result wrote.  0, or -1 when the file is not a
 * complete result (r is then zeroed). */
int pp_compare_read_result(FILE *f, pp_pair_result *r);

/* comparison.csv: one row per pair in manifest order, then one district total row
 * per scenario (UTF-8 with BOM, CRLF, Chinese headers, like the other CSVs).
 * comparison.html: totals per scenario with deltas against the baseline as inline
 * SVG bars, the binding resources, and every pair.  r holds n results sorted by
 * (school_index, scenario_index).  0, or -1 on write error / out of memory. */
int pp_compare_csv(FILE *f, const pp_pair_result *r, int n);
int pp_compare_html(FILE *f, const char *district, const pp_pair_result *r, int n);

#endif
