/* files.c - inputs only from regular files, single outputs through mkstemp (see files.h). */
#include "files.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *pp_file_kind(mode_t mode)
{
    if (S_ISREG(mode))
        return "a regular file";
    if (S_ISDIR(mode))
        return "a folder";
    if (S_ISFIFO(mode))
        return "a FIFO (named pipe)";
    if (S_ISCHR(mode))
        return "a character device";
    if (S_ISBLK(mode))
        return "a block device";
    if (S_ISSOCK(mode))
        return "a socket";
    if (S_ISLNK(mode))
        return "a symbolic link";
    return "not a regular file";
}

FILE *pp_file_open_input(const char *path, const char *what, char *why, size_t whysize)
{
    /* O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(why, whysize, "cannot open the file (%s); expected %s", strerror(errno), what);
        return NULL;
    }
    struct stat sb;
    if (fstat(fd, &sb) != 0) {
        snprintf(why, whysize, "cannot read the file (%s); expected %s", strerror(errno), what);
        close(fd);
        return NULL;
    }
    if (!S_ISREG(sb.st_mode)) {
        snprintf(why, whysize, "the file is %s, not a regular file; expected %s", pp_file_kind(sb.st_mode), what);
        close(fd);
        return NULL;
    }
    int fl = fcntl(fd, F_GETFL);
    FILE *f = fl >= 0 && fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) == 0 ? fdopen(fd, "rb") : NULL;
    if (!f) {
        snprintf(why, whysize, "cannot open the file (%s); expected %s", strerror(errno), what);
        close(fd);
    }
    return f;
}

char *pp_path_join(const char *dir, const char *name)
{
    size_t a = strlen(dir), b = strlen(name);
    char *p = malloc(a + b + 2);
    if (!p)
        return NULL;
    memcpy(p, dir, a);
    p[a] = '/';
    memcpy(p + a + 1, name, b + 1);
    return p;
}

const char *pp_file_error_text(int err)
{
    if (err == ENOSPC)
        return "disk full (no space left on device)";
#ifdef EDQUOT
    if (err == EDQUOT)
        return "disk full (the disk quota is exceeded)";
#endif
    return strerror(err);
}

/* Flushes, syncs and closes f; 0, or -1 with errno set by the first failure. */
static int finish_stream(FILE *f, int failed)
{
    int err = 0;
    if (fflush(f) != 0 || ferror(f))
        err = errno ? errno : EIO;
    else if (fsync(fileno(f)) != 0 && errno != EINVAL)
        err = errno;
    if (fclose(f) != 0 && !err)
        err = errno;
    if (!err && failed)
        err = ENOMEM; /* the writer failed without an I/O error: out of memory */
    errno = err;
    return err ? -1 : 0;
}

int pp_file_write_atomic(const char *path, int (*write)(FILE *f, const void *ctx), const void *ctx, pp_diags *d)
{
    struct stat sb;
    if (lstat(path, &sb) == 0 && !S_ISREG(sb.st_mode)) {
        pp_diags_add(d, path, 0, "is %s; expected a regular file paipian may replace, or no file%s", pp_file_kind(sb.st_mode),
                     S_ISLNK(sb.st_mode) ? " (a symbolic link is not followed: remove it or name another file)" : "");
        return -1;
    }
    const char *slash = strrchr(path, '/');
    size_t dl = slash ? (size_t)(slash - path) + 1 : 0;
    const char *base = slash ? slash + 1 : path;
    char *tmp = malloc(dl + strlen(base) + 9);
    if (!tmp) {
        pp_diags_add(d, path, 0, "out of memory");
        return -1;
    }
    memcpy(tmp, path, dl);
    snprintf(tmp + dl, strlen(base) + 9, ".%s.XXXXXX", base);
    int fd = mkstemp(tmp);
    FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;
    if (!f) {
        pp_diags_add(d, path, 0, "cannot create a temporary file in its folder (%s); expected a writable folder",
                     pp_file_error_text(errno));
        if (fd >= 0) {
            close(fd);
            unlink(tmp);
        }
        free(tmp);
        return -1;
    }
    /* mkstemp makes it 0600; an output is read by others like any file the user writes */
    mode_t um = umask(022);
    umask(um);
    (void)fchmod(fd, 0666 & ~um);
    int w = write(f, ctx);
    int rc = 0;
    if (finish_stream(f, w != 0) != 0) {
        pp_diags_add(d, path, 0, "write failed: %s", pp_file_error_text(errno));
        rc = -1;
    } else if (rename(tmp, path) != 0) {
        pp_diags_add(d, path, 0, "cannot rename into place (%s)", strerror(errno));
        rc = -1;
    }
    if (rc)
        unlink(tmp);
    free(tmp);
    return rc;
}

int pp_file_digest(const char *path, char out[17])
{
    char why[256];
    out[0] = 0;
    FILE *f = pp_file_open_input(path, "school", why, sizeof why);
    if (!f)
        return -1;
    unsigned long long h = 14695981039346656037ULL;
    unsigned char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        for (size_t i = 0; i < n; i++)
            h = (h ^ buf[i]) * 1099511628211ULL;
    int bad = ferror(f);
    fclose(f);
    if (bad)
        return -1;
    snprintf(out, 17, "%016llx", h);
    return 0;
}
