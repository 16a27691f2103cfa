/* compare_run.h - running a district comparison (docs/DISTRICT.md): every
 * (school, scenario) pair of a manifest solved in its own worker process, the
 * per-pair result files, their merge into comparison.csv / comparison.html, and
 * the same work as a Slurm job array.
 *
 * Pairs are numbered k = school * nscenarios + scenario (manifest order).  Each
 * pair is solved in a fresh process (fork), so a crash, an abort inside GLPK or a
 * leak in one pair cannot touch the others: the parent sees a missing result file
 * and writes the pair as failed with the reason.  Results live in DIR/pairs/
 * (pair-K.txt, written to a temporary name and renamed), which is also what a
 * Slurm array task writes; `--merge DIR` turns them into the comparison files.
 *
 * Marginal values ("which resource binds"): after a pair is solved, the scarce
 * resources of its plan - staff of a speciality (or care-capable staff) at a
 * slot where every such person is busy, venues of a type at a slot where every
 * one is used, weighted by the groups and unserved students there - are ranked,
 * and for the first few the pair is re-solved with one more unit (one person
 * available only at that slot, one venue available only then) under a short time
 * limit.  The objective improvement is that unit's marginal value. */
#ifndef PP_COMPARE_RUN_H
#define PP_COMPARE_RUN_H

#include <stdio.h>

#include "io/compare.h"
#include "io/scenario_xml.h"

typedef struct {
    double time_limit;          /* seconds per pair solve; default 20 */
    int marginal;               /* resources re-solved with +1 unit per pair; default 3, 0 = none */
    double marginal_time_limit; /* seconds per re-solve; default 5 */
    int jobs;                   /* worker processes; default 1 */
    int quiet;                  /* no progress lines on stderr */
} pp_compare_params;

void pp_compare_params_init(pp_compare_params *p);

/* Number of pairs of m (schools x scenarios). */
int pp_compare_npairs(const pp_manifest *m);

/* Solves pair k in this process and fills r (a failed pair is a filled r with
 * failed = 1, not an error).  Returns 0, or -1 when out of memory. */
int pp_compare_pair(const pp_manifest *m, int k, const pp_compare_params *p, pp_pair_result *r);

/* Creates DIR and DIR/pairs and writes DIR/pairs/district.txt (the district name
 * and the identity of every pair, so a merge can name missing pairs).  Safe to
 * run from many tasks at once.  0, or -1 with a message on stderr. */
int pp_compare_prepare(const pp_manifest *m, const char *dir);

/* One Slurm task / one worker: solves pair k and writes DIR/pairs/pair-K.txt.
 * 0, or -1 when the result could not be written. */
int pp_compare_task(const pp_manifest *m, int k, const pp_compare_params *p, const char *dir);

/* Solves every pair with p->jobs worker processes, then merges.  Returns 0 when
 * the comparison files were written (even with failed pairs: they are rows),
 * -1 otherwise.  *nfailed receives the number of failed pairs. */
int pp_compare_run(const pp_manifest *m, const pp_compare_params *p, const char *dir, int *nfailed);

/* Reads DIR/pairs/ and writes DIR/comparison.csv and DIR/comparison.html (each to
 * a temporary name, renamed when complete).  A pair without a result file is a
 * failed row.  0, or -1 with a message on stderr; *nfailed as above. */
int pp_compare_merge(const char *dir, int *nfailed);

/* Writes an sbatch script running one array task per pair
 * (`paipian compare MANIFEST --task K -o DIR ...`) with absolute paths of this
 * paipian binary, the manifest and DIR (which must exist: pp_compare_prepare),
 * since a task starts elsewhere, maybe on another node.  0, or -1 with a message
 * on stderr. */
int pp_compare_slurm_script(FILE *f, const pp_manifest *m, const char *manifest, const char *dir,
                            const pp_compare_params *p);

#endif
