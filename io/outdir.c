/* outdir.c - all-or-nothing output folders with a lock (see outdir.h).
 *
 * Everything after the open works relative to file descriptors of DIR and of
 * the staging folder (openat, renameat, ...), so a folder renamed or replaced
 * by a link while the run goes on cannot redirect a write. */
#include "outdir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "io/files.h"

#define LOCK_NAME ".paipian.lock"
#define STAGE_PREFIX ".paipian-stage."
#define PREV_NAME ".prev"

struct pp_outdir {
    char *dir;         /* as given, trailing slashes removed */
    int dfd, lockfd;
    char **created;    /* folders this run made, outermost first */
    int ncreated;
    char *stage;       /* DIR/.paipian-stage.XXXXXX once made */
    int sfd;
    char **names, **paths; /* the files of the set, in order; paths into the staging folder */
    int n, cap;
    int committed;
    int keep_stage;    /* a roll-back left a previous file in it: never removed */
    int fail_at, fail_nth, fail_err, nfinished, nswitched;
};

const char *pp_outdir_dir(const pp_outdir *o)
{
    return o->dir;
}

void pp_outdir_inject_failure(pp_outdir *o, pp_outdir_fail_at at, int nth, int err)
{
    o->fail_at = (int)at;
    o->fail_nth = nth;
    o->fail_err = err;
}

static int injected(pp_outdir *o, pp_outdir_fail_at at, int k)
{
    if (o->fail_err && o->fail_at == (int)at && o->fail_nth == k) {
        errno = o->fail_err;
        return 1;
    }
    return 0;
}

/* ---- opening ------------------------------------------------------------ */

/* mkdir -p that remembers what it made (outermost first) so a failed run can
 * take it away again. */
static int make_dirs(pp_outdir *o, const char *path)
{
    if (mkdir(path, 0777) == 0) {
        char **c = realloc(o->created, (size_t)(o->ncreated + 1) * sizeof *c);
        if (c)
            o->created = c;
        char *p = c ? strdup(path) : NULL;
        if (!p) {
            rmdir(path);
            errno = ENOMEM;
            return -1;
        }
        o->created[o->ncreated++] = p;
        return 0;
    }
    if (errno == EEXIST)
        return 0;
    if (errno != ENOENT)
        return -1;
    char *parent = strdup(path);
    if (!parent)
        return -1;
    char *slash = strrchr(parent, '/');
    while (slash && slash > parent && slash[-1] == '/')
        slash--; /* "a//b" */
    int rc = -1;
    if (slash && slash > parent) {
        *slash = '\0';
        rc = make_dirs(o, parent);
    }
    free(parent);
    if (rc)
        return -1;
    return make_dirs(o, path);
}

/* The pid written in a lock file held by another run, or 0. */
static long lock_owner(int fd)
{
    char b[32] = "";
    ssize_t n = pread(fd, b, sizeof b - 1, 0);
    if (n <= 0)
        return 0;
    b[n] = '\0';
    return strtol(b, NULL, 10);
}

static int take_lock(pp_outdir *o, pp_diags *d)
{
    for (int tries = 0; tries < 10; tries++) {
        int fd = openat(o->dfd, LOCK_NAME, O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0644);
        struct stat a, b;
        if (fd < 0 || fstat(fd, &a) != 0 || !S_ISREG(a.st_mode)) {
            int err = errno;
            if (fd >= 0)
                close(fd);
            pp_diags_add(d, o->dir, 0, "cannot create the lock file " LOCK_NAME " (%s); expected a writable folder "
                         "(a symbolic link or anything but a file named " LOCK_NAME " is refused: remove it)",
                         fd >= 0 ? "it is not a regular file" : err == ELOOP ? "it is a symbolic link" : pp_file_error_text(err));
            return -1;
        }
        if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
            long pid = errno == EWOULDBLOCK ? lock_owner(fd) : 0;
            int err = errno;
            close(fd);
            if (err == EWOULDBLOCK)
                pp_diags_add(d, o->dir, 0, "another paipian run (pid %ld) is writing into this folder; expected one run "
                             "per output folder at a time: wait for it to end or choose another -o", pid);
            else
                pp_diags_add(d, o->dir, 0, "cannot lock the folder (%s)", strerror(err));
            return -1;
        }
        /* the holder before us may have removed the file after we opened it:
         * then our lock is on a file nobody else will see; open it again */
        if (fstatat(o->dfd, LOCK_NAME, &b, AT_SYMLINK_NOFOLLOW) == 0 && a.st_ino == b.st_ino && a.st_dev == b.st_dev) {
            if (ftruncate(fd, 0) == 0)
                (void)dprintf(fd, "%ld\n", (long)getpid());
            o->lockfd = fd;
            return 0;
        }
        close(fd);
    }
    pp_diags_add(d, o->dir, 0, "cannot lock the folder: its lock file keeps changing; expected one run at a time");
    return -1;
}

static void empty_folder(int fd);

/* Staging folders a killed run left behind (SIGKILL, a second Ctrl-C): with the
 * lock held no other run can be using one, so they go.  Only folders with the
 * staging prefix, never following a link. */
static void remove_stale_stages(pp_outdir *o)
{
    int dup_fd = dup(o->dfd);
    DIR *dp = dup_fd >= 0 ? fdopendir(dup_fd) : NULL;
    if (!dp) {
        if (dup_fd >= 0)
            close(dup_fd);
        return;
    }
    for (struct dirent *e; (e = readdir(dp)) != NULL;) {
        struct stat sb;
        if (strncmp(e->d_name, STAGE_PREFIX, sizeof STAGE_PREFIX - 1) ||
            fstatat(o->dfd, e->d_name, &sb, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISDIR(sb.st_mode))
            continue;
        int fd = openat(o->dfd, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd >= 0) {
            empty_folder(fd);
            close(fd);
        }
        unlinkat(o->dfd, e->d_name, AT_REMOVEDIR);
    }
    closedir(dp);
}

static void remove_created(pp_outdir *o)
{
    for (int i = o->ncreated - 1; i >= 0; i--)
        rmdir(o->created[i]); /* only empty ones go */
}

pp_outdir *pp_outdir_open(const char *dir, pp_diags *d)
{
    size_t len = strlen(dir);
    if (len + PP_OUTDIR_ROOM > PP_PATH_MAX) {
        pp_diags_add(d, NULL, 0, "the output folder's path is %zu bytes long; expected at most %zu bytes", len,
                     (size_t)PP_PATH_MAX - PP_OUTDIR_ROOM);
        return NULL;
    }
    if (len == 0) {
        pp_diags_add(d, NULL, 0, "the output folder is empty; expected a folder name");
        return NULL;
    }
    pp_outdir *o = calloc(1, sizeof *o);
    if (!o || !(o->dir = strdup(dir))) {
        free(o);
        pp_diags_add(d, dir, 0, "out of memory");
        return NULL;
    }
    o->dfd = o->lockfd = o->sfd = -1;
    while (len > 1 && o->dir[len - 1] == '/')
        o->dir[--len] = '\0'; /* lstat("link/") would follow the link */
    struct stat sb;
    if (lstat(o->dir, &sb) == 0) {
        if (S_ISLNK(sb.st_mode))
            pp_diags_add(d, o->dir, 0, "the output folder is a symbolic link; expected a real folder (a link could send "
                         "the outputs elsewhere): give the folder it points to");
        else if (!S_ISDIR(sb.st_mode))
            pp_diags_add(d, o->dir, 0, "the output folder is %s; expected a folder", pp_file_kind(sb.st_mode));
        if (!S_ISDIR(sb.st_mode)) {
            pp_outdir_close(o);
            return NULL;
        }
    } else if (errno != ENOENT || make_dirs(o, o->dir) != 0) {
        pp_diags_add(d, o->dir, 0, "cannot create the output folder (%s); expected a folder that can be written",
                     pp_file_error_text(errno));
        pp_outdir_close(o);
        return NULL;
    }
    o->dfd = open(o->dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (o->dfd < 0) {
        pp_diags_add(d, o->dir, 0, "cannot open the output folder (%s); expected a real folder (not a symbolic link)",
                     strerror(errno));
        pp_outdir_close(o);
        return NULL;
    }
    if (take_lock(o, d)) {
        pp_outdir_close(o);
        return NULL;
    }
    remove_stale_stages(o);
    return o;
}

/* ---- the set ---------------------------------------------------------------- */

static int plain_name(const char *name)
{
    return name[0] && strcmp(name, ".") && strcmp(name, "..") && !strchr(name, '/') && strcmp(name, LOCK_NAME) &&
           strncmp(name, STAGE_PREFIX, sizeof STAGE_PREFIX - 1);
}

static int make_stage(pp_outdir *o, pp_diags *d)
{
    if (o->sfd >= 0)
        return 0;
    o->stage = pp_path_join(o->dir, STAGE_PREFIX "XXXXXX");
    if (!o->stage) {
        pp_diags_add(d, o->dir, 0, "out of memory");
        return -1;
    }
    if (!mkdtemp(o->stage)) {
        pp_diags_add(d, o->dir, 0, "cannot create the staging folder (%s); expected a folder that can be written",
                     pp_file_error_text(errno));
        free(o->stage);
        o->stage = NULL;
        return -1;
    }
    o->sfd = open(o->stage, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (o->sfd < 0) {
        pp_diags_add(d, o->stage, 0, "cannot open the staging folder (%s)", strerror(errno));
        rmdir(o->stage);
        return -1;
    }
    return 0;
}

/* Adds name to the set; its index, or -1 with a message. */
static int add_name(pp_outdir *o, const char *name, pp_diags *d)
{
    if (!plain_name(name)) {
        pp_diags_add(d, o->dir, 0, "\"%s\" is not a plain file name; expected a name without '/'", name);
        return -1;
    }
    for (int i = 0; i < o->n; i++)
        if (!strcmp(o->names[i], name)) {
            pp_diags_add(d, o->dir, 0, "%s is written twice in one set", name);
            return -1;
        }
    if (make_stage(o, d))
        return -1;
    if (o->n == o->cap) {
        int cap = o->cap ? 2 * o->cap : 16;
        char **nn = realloc(o->names, (size_t)cap * sizeof *nn);
        if (nn)
            o->names = nn;
        char **np = nn ? realloc(o->paths, (size_t)cap * sizeof *np) : NULL;
        if (np)
            o->paths = np;
        if (!nn || !np) {
            pp_diags_add(d, o->dir, 0, "out of memory");
            return -1;
        }
        o->cap = cap;
    }
    char *nm = strdup(name), *p = pp_path_join(o->stage, name);
    if (!nm || !p) {
        free(nm);
        free(p);
        pp_diags_add(d, o->dir, 0, "out of memory");
        return -1;
    }
    o->names[o->n] = nm;
    o->paths[o->n] = p;
    return o->n++;
}

FILE *pp_outdir_create(pp_outdir *o, const char *name, pp_diags *d)
{
    if (add_name(o, name, d) < 0)
        return NULL;
    int fd = openat(o->sfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
    FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;
    if (!f) {
        pp_diags_add(d, o->dir, 0, "%s: cannot create (%s)", name, pp_file_error_text(errno));
        if (fd >= 0)
            close(fd);
    }
    return f;
}

int pp_outdir_finish(pp_outdir *o, const char *name, FILE *f, int failed, pp_diags *d)
{
    int err = 0;
    errno = 0;
    if (fflush(f) != 0 || ferror(f))
        err = errno ? errno : EIO;
    else if (fsync(fileno(f)) != 0 && errno != EINVAL)
        err = errno;
    if (fclose(f) != 0 && !err)
        err = errno;
    if (!err && injected(o, PP_OUTDIR_FAIL_WRITE, o->nfinished))
        err = errno;
    o->nfinished++;
    if (err) {
        pp_diags_add(d, o->dir, 0, "%s: write failed: %s", name, pp_file_error_text(err));
        return -1;
    }
    if (failed) {
        pp_diags_add(d, o->dir, 0, "%s: out of memory while writing it", name);
        return -1;
    }
    return 0;
}

const char *pp_outdir_path(pp_outdir *o, const char *name, pp_diags *d)
{
    int i = add_name(o, name, d);
    return i < 0 ? NULL : o->paths[i];
}

int pp_outdir_sync_path(pp_outdir *o, const char *name, pp_diags *d)
{
    int fd = openat(o->sfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    int err = 0;
    if (fd < 0)
        err = errno;
    else if (fsync(fd) != 0 && errno != EINVAL)
        err = errno;
    if (fd >= 0)
        close(fd);
    if (!err && injected(o, PP_OUTDIR_FAIL_WRITE, o->nfinished))
        err = errno;
    o->nfinished++;
    if (err) {
        pp_diags_add(d, o->dir, 0, "%s: write failed: %s", name, pp_file_error_text(err));
        return -1;
    }
    return 0;
}

int pp_outdir_disk_full(const pp_outdir *o)
{
    struct statvfs v;
    return o->sfd >= 0 && fstatvfs(o->sfd, &v) == 0 && v.f_bavail == 0;
}

/* ---- checking, switching and discarding ------------------------------------ */

static int check_one(pp_outdir *o, const char *name, pp_diags *d)
{
    struct stat sb;
    if (fstatat(o->dfd, name, &sb, AT_SYMLINK_NOFOLLOW) != 0) {
        if (errno == ENOENT)
            return 0;
        pp_diags_add(d, o->dir, 0, "%s: cannot be inspected (%s)", name, strerror(errno));
        return -1;
    }
    if (S_ISREG(sb.st_mode))
        return 0;
    pp_diags_add(d, o->dir, 0, "%s is %s; expected a regular file paipian may replace, or no file%s: move it away or "
                 "choose another -o", name, pp_file_kind(sb.st_mode),
                 S_ISLNK(sb.st_mode) ? " (a symbolic link is not followed)" : "");
    return -1;
}

int pp_outdir_check(pp_outdir *o, int n, const char *const *names, pp_diags *d)
{
    int rc = 0;
    for (int i = 0; i < n; i++)
        if (check_one(o, names[i], d))
            rc = -1;
    return rc;
}

/* Removes every entry of folder fd (and the folders in it), never following a link. */
static void empty_folder(int fd)
{
    int dup_fd = dup(fd);
    DIR *dp = dup_fd >= 0 ? fdopendir(dup_fd) : NULL;
    if (!dp) {
        if (dup_fd >= 0)
            close(dup_fd);
        return;
    }
    for (struct dirent *e; (e = readdir(dp)) != NULL;) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        struct stat sb;
        if (fstatat(fd, e->d_name, &sb, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(sb.st_mode)) {
            int sub = openat(fd, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (sub >= 0) {
                empty_folder(sub);
                close(sub);
            }
            unlinkat(fd, e->d_name, AT_REMOVEDIR);
        } else
            unlinkat(fd, e->d_name, 0);
    }
    closedir(dp);
}

static void remove_stage(pp_outdir *o)
{
    if (o->sfd < 0)
        return;
    if (o->keep_stage) {
        close(o->sfd);
        o->sfd = -1;
        return;
    }
    empty_folder(o->sfd);
    close(o->sfd);
    o->sfd = -1;
    unlinkat(o->dfd, o->stage + strlen(o->dir) + 1, AT_REMOVEDIR);
}

/* Undoes the switch of files [0, upto): new files back into the staging
 * folder, the previous ones back into DIR.  0, or -1 when one could not be. */
static int roll_back(pp_outdir *o, int pfd, const char *had, int upto, pp_diags *d)
{
    int rc = 0;
    for (int i = upto - 1; i >= 0; i--) {
        const char *nm = o->names[i];
        if (had[i] != 2 && renameat(o->dfd, nm, o->sfd, nm) != 0 && errno != ENOENT)
            rc = -1;
        if (had[i] && renameat(pfd, nm, o->dfd, nm) != 0) {
            pp_diags_add(d, o->dir, 0, "%s: the previous file could not be put back (%s); it is kept in %s/" PREV_NAME "/%s",
                         nm, strerror(errno), o->stage, nm);
            rc = -1;
        }
    }
    return rc;
}

int pp_outdir_commit(pp_outdir *o, pp_diags *d)
{
    if (o->committed || o->sfd < 0) {
        o->committed = 1;
        return 0;
    }
    if (pp_outdir_check(o, o->n, (const char *const *)o->names, d))
        return -1;
    /* had[i]: 0 no previous file, 1 moved aside, 2 moved aside but the new one not yet in */
    char *had = calloc((size_t)o->n + 1, 1);
    int pfd = -1;
    if (!had || mkdirat(o->sfd, PREV_NAME, 0700) != 0 ||
        (pfd = openat(o->sfd, PREV_NAME, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
        pp_diags_add(d, o->dir, 0, "cannot prepare the switch (%s); the folder is unchanged",
                     had ? pp_file_error_text(errno) : "out of memory");
        free(had);
        return -1;
    }
    int i = 0, rc = 0;
    for (; i < o->n; i++) {
        const char *nm = o->names[i];
        if (renameat(o->dfd, nm, pfd, nm) == 0)
            had[i] = 2;
        else if (errno != ENOENT) {
            pp_diags_add(d, o->dir, 0, "%s: cannot move the previous file aside (%s)", nm, strerror(errno));
            rc = -1;
            break;
        }
        if (injected(o, PP_OUTDIR_FAIL_SWITCH, o->nswitched++) || renameat(o->sfd, nm, o->dfd, nm) != 0) {
            pp_diags_add(d, o->dir, 0, "%s: cannot rename into place (%s)", nm, pp_file_error_text(errno));
            rc = -1;
            i++; /* roll back this one's previous file too */
            break;
        }
        if (had[i])
            had[i] = 1;
    }
    if (rc) {
        if (roll_back(o, pfd, had, i, d) == 0)
            pp_diags_add(d, o->dir, 0, "nothing was changed in the folder: every file is as it was before this run");
        else
            o->keep_stage = 1;
        close(pfd);
        free(had);
        return -1;
    }
    close(pfd);
    free(had);
    o->committed = 1;
    return 0;
}

void pp_outdir_close(pp_outdir *o)
{
    if (!o)
        return;
    if (o->dfd >= 0)
        remove_stage(o);
    if (o->lockfd >= 0) {
        /* removed while held: a run that opened it meanwhile sees another file
         * at the name once it has the lock, and opens again (take_lock) */
        unlinkat(o->dfd, LOCK_NAME, 0);
        close(o->lockfd);
    }
    if (o->dfd >= 0)
        close(o->dfd);
    if (!o->committed)
        remove_created(o);
    for (int i = 0; i < o->ncreated; i++)
        free(o->created[i]);
    free(o->created);
    for (int i = 0; i < o->n; i++) {
        free(o->names[i]);
        free(o->paths[i]);
    }
    free(o->names);
    free(o->paths);
    free(o->stage);
    free(o->dir);
    free(o);
}
