/* outdir.h - a set of output files written into a folder all or nothing, by one
 * run at a time.
 *
 * The folder DIR (-o) must be a real folder: a symbolic link is refused (it
 * could send a root run's outputs anywhere), as is an output name in DIR that
 * is a link, a folder or a device.  DIR is created with its missing parents.
 *
 * One run at a time: opening takes an exclusive flock(2) on DIR/.paipian.lock
 * (created with O_NOFOLLOW, holding the owner's pid, removed when the run ends);
 * a second run into the same DIR is refused at once with the owner's pid.
 *
 * All or nothing: every file is written into a private staging folder inside
 * DIR (mkdtemp: DIR/.paipian-stage.XXXXXX, mode 0700, so no other user can
 * plant anything in it; each file created with O_CREAT|O_EXCL|O_NOFOLLOW),
 * flushed and fsync'ed.  Only when the whole set is complete does the commit
 * switch it in: for each file, the existing DIR/NAME (if any) is renamed into
 * the staging folder's .prev/ and the new one renamed into DIR; if any rename
 * fails, the files already switched are moved back and the previous ones
 * restored, in reverse order.  Staging inside DIR (not beside it) keeps every
 * rename on one file system (DIR may be a mount point) and needs no write
 * access to DIR's parent; switching file by file (not swapping folders) keeps
 * whatever else the user keeps in DIR.  A failed or abandoned set removes the
 * staging folder, the lock file and the folders this run created, so DIR is as
 * it was.  A reader of DIR may see one output missing for the instant between
 * its two renames.  A killed run (SIGKILL, a second Ctrl-C) may leave its
 * staging folder behind; the next run into DIR removes it once it holds the
 * lock (no other run can be using it then).
 *
 * A full disk is reported as "disk full (no space left on device)". */
#ifndef PP_OUTDIR_H
#define PP_OUTDIR_H

#include <stdio.h>

#include "model/diag.h"

typedef struct pp_outdir pp_outdir;

/* Bytes a path to DIR must leave for what the set puts in it (the staging
 * folder, its .prev/ and an output name): DIR may be at most PP_PATH_MAX
 * (io/files.h) less this long. */
#define PP_OUTDIR_ROOM sizeof "/.paipian-stage.XXXXXX/.prev/timetable.xlsx.html"

/* Opens DIR for a new set: checks it, creates it if missing, takes the lock.
 * Returns the set (end with pp_outdir_close), or NULL with the message in d. */
pp_outdir *pp_outdir_open(const char *dir, pp_diags *d);

/* Whether each of the n names could be replaced in DIR (absent, or a regular
 * file); 0, or -1 with one message per name in d.  The commit checks again. */
int pp_outdir_check(pp_outdir *o, int n, const char *const *names, pp_diags *d);

/* A new file NAME of the set (a plain name: no '/'), open for writing in the
 * staging folder.  Finish it with pp_outdir_finish.  NULL with a message in d. */
FILE *pp_outdir_create(pp_outdir *o, const char *name, pp_diags *d);

/* Flushes, syncs and closes f of file NAME; failed says the writer itself
 * failed (the message then names out of memory unless the stream had an I/O
 * error, such as a full disk).  0, or -1 with the message in d. */
int pp_outdir_finish(pp_outdir *o, const char *name, FILE *f, int failed, pp_diags *d);

/* For writers that open by name (libxlsxwriter, Chromium): the staging path of
 * file NAME, owned by o, part of the set from now on.  After the writer has
 * written it, pp_outdir_sync_path; a writer's failure on a full disk is best
 * worded with pp_outdir_disk_full.  NULL with a message in d. */
const char *pp_outdir_path(pp_outdir *o, const char *name, pp_diags *d);
int pp_outdir_sync_path(pp_outdir *o, const char *name, pp_diags *d);
int pp_outdir_disk_full(const pp_outdir *o);

/* Switches the complete set into DIR (see above).  0, or -1 with the message
 * in d and DIR as it was.  At most once. */
int pp_outdir_commit(pp_outdir *o, pp_diags *d);

/* Ends the run: an uncommitted set is discarded (staging folder removed, the
 * folders this run created removed again); the lock is released and its file
 * removed.  NULL is a no-op. */
void pp_outdir_close(pp_outdir *o);

/* DIR as given (trailing slashes removed). */
const char *pp_outdir_dir(const pp_outdir *o);

/* For tests: the nth (0-based) file finished (PP_OUTDIR_FAIL_WRITE) or the
 * nth rename of a new file into DIR (PP_OUTDIR_FAIL_SWITCH) fails with errno
 * err, as a full disk or a file system error would. */
typedef enum { PP_OUTDIR_FAIL_WRITE, PP_OUTDIR_FAIL_SWITCH } pp_outdir_fail_at;
void pp_outdir_inject_failure(pp_outdir *o, pp_outdir_fail_at at, int nth, int err);

#endif
