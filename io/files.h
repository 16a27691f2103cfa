/* files.h - the files a user names, opened safely.
 *
 * Inputs: a school, timetable, sheet, workbook, manifest or scenario file is read
 * only when it is a regular file.  A FIFO would block the reader (and `paipian
 * compare` with it) forever, /dev/zero would feed it until the size limit; both
 * are refused before a byte is read, and the open itself never waits on a FIFO.
 *
 * Outputs of one file (a per-pair result, a Slurm script): written through a
 * temporary created with mkstemp in the same folder (so never through a name
 * another user could plant a symbolic link at), then renamed over the target;
 * a target that is a symbolic link or not a regular file is refused.  Sets of
 * output files are io/outdir.h.
 *
 * Paths are built on the heap with their lengths checked, never in fixed
 * buffers; PP_PATH_MAX is the longest path (bytes, NUL excluded) accepted. */
#ifndef PP_FILES_H
#define PP_FILES_H

#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#include "model/diag.h"

#define PP_PATH_MAX 4095

/* What kind of file mode describes, for messages: "a folder", "a FIFO (named
 * pipe)", "a character device", ... ("a regular file" for one). */
const char *pp_file_kind(mode_t mode);

/* Opens path for reading when it is a regular file.  Otherwise NULL, with
 * "cannot open the file (...)" or "the file is a FIFO (named pipe), not a
 * regular file" in why (whysize bytes), followed by "; expected " and what. */
FILE *pp_file_open_input(const char *path, const char *what, char *why, size_t whysize);

/* dir + "/" + name as a new string (the caller frees); NULL when out of memory. */
char *pp_path_join(const char *dir, const char *name);

/* Writes path with write(f, ctx) through a private temporary in path's folder
 * (mkstemp, mode 0644 less the umask), synced and renamed over path only when
 * write returned 0 and every byte reached the disk.  Refuses a path that is a
 * symbolic link or exists as anything but a regular file; a full disk is said
 * so.  Returns 0, or -1 with the message in d (the temporary removed). */
int pp_file_write_atomic(const char *path, int (*write)(FILE *f, const void *ctx), const void *ctx, pp_diags *d);

/* The text of an output error errno err: "disk full (no space left on device)"
 * for ENOSPC and EDQUOT, strerror otherwise. */
const char *pp_file_error_text(int err);

/* The FNV-1a (64-bit) digest of the regular file at path, as 16 lowercase hex
 * digits in out: which file a timetable was made for (solver/solve.h
 * school_digest).  Not a security measure.  0, or -1 when it cannot be read
 * (out is then ""). */
int pp_file_digest(const char *path, char out[17]);

#endif
