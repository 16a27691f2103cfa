/* pdf.c - printing the timetable with headless Chromium (see pdf.h). */
#include "pdf.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "io/html.h"

/* a + b + c as a new string; NULL when out of memory. */
static char *cat3(const char *a, const char *b, const char *c)
{
    size_t la = strlen(a), lb = strlen(b), lc = strlen(c);
    char *s = malloc(la + lb + lc + 1);
    if (s) {
        memcpy(s, a, la);
        memcpy(s + la, b, lb);
        memcpy(s + la + lb, c, lc + 1);
    }
    return s;
}

char *pp_pdf_find_chromium(void)
{
    static const char *const names[] = { "chromium", "chromium-browser", "google-chrome" };
    const char *path = getenv("PATH");
    for (size_t k = 0; path && k < sizeof names / sizeof *names; k++)
        for (const char *d = path; *d;) {
            size_t len = strcspn(d, ":");
            char *dir = len ? strndup(d, len) : strdup(".");
            char *cand = dir ? cat3(dir, "/", names[k]) : NULL;
            free(dir);
            if (cand && access(cand, X_OK) == 0)
                return cand;
            free(cand);
            d += len + (d[len] == ':');
        }
    return NULL;
}

/* The current folder as a new string, whatever its length; NULL on failure. */
static char *current_dir(void)
{
    for (size_t n = 256; n <= (1u << 20); n *= 2) {
        char *b = malloc(n);
        if (!b)
            return NULL;
        if (getcwd(b, n))
            return b;
        free(b);
        if (errno != ERANGE)
            return NULL;
    }
    return NULL;
}

/* Runs chromium printing abs_html to out_arg; waits at most ten minutes.
 * Returns the exit status as waitpid gives it, or -1 when it could not run or
 * was stopped (timed_out set). */
static int run_chromium(const char *chromium, const char *out_arg, const char *abs_html, int *timed_out)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        if (null >= 0) {
            dup2(null, 1);
            dup2(null, 2);
        }
        execl(chromium, chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer", out_arg,
              abs_html, (char *)NULL);
        _exit(127);
    }
    int status = 0, waited = 0;
    /* a Chromium that hangs (no display server quirks, a locked profile) must not
     * hang the solve: it gets 10 minutes, polled every 0.1 s */
    for (pid_t r = 0; r == 0;) {
        r = waitpid(pid, &status, WNOHANG);
        if (r < 0 && errno == EINTR)
            r = 0;
        if (r == 0 && ++waited > 6000) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            *timed_out = 1;
            return -1;
        }
        if (r == 0)
            nanosleep(&(struct timespec){ 0, 100000000 }, NULL);
    }
    return status;
}

static int is_pdf(const char *path)
{
    FILE *pdf = fopen(path, "rb");
    char magic[5] = "";
    int ok = pdf && fread(magic, 1, 4, pdf) == 4 && !memcmp(magic, "%PDF", 4);
    if (pdf)
        fclose(pdf);
    return ok;
}

int pp_pdf_write(const char *path, const pp_school *s, const pp_plan *p, char *err, size_t errlen)
{
    char *chromium = pp_pdf_find_chromium();
    if (!chromium) {
        snprintf(err, errlen, "--pdf needs Chromium on PATH (Debian package chromium); none found");
        return -1;
    }
    char *cwd = path[0] == '/' ? strdup("") : current_dir();
    char *html = cat3(path, ".html", "");
    char *abs_html = cwd && html ? cat3(cwd, cwd[0] ? "/" : "", html) : NULL; /* Chromium needs it absolute */
    char *out_arg = cat3("--print-to-pdf=", path, "");
    int rc = -1;
    FILE *f = abs_html && out_arg ? fopen(html, "wb") : NULL;
    int written = f && pp_html_timetable(f, s, p) == 0;
    if (f && fclose(f) != 0)
        written = 0;
    if (!abs_html || !out_arg)
        snprintf(err, errlen, "%s: out of memory (or the current folder is unreadable)", path);
    else if (!written) {
        snprintf(err, errlen, "%s: cannot write: %s", html, strerror(errno));
        if (f)
            remove(html);
    } else {
        int timed_out = 0;
        int status = run_chromium(chromium, out_arg, abs_html, &timed_out);
        remove(html);
        if (timed_out)
            snprintf(err, errlen, "%s: Chromium (%s) took over 10 minutes; stopped", path, chromium);
        else if (status < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0 || !is_pdf(path))
            snprintf(err, errlen, "%s: Chromium (%s) did not print the timetable (exit status %d)", path, chromium,
                     status >= 0 && WIFEXITED(status) ? WEXITSTATUS(status) : -1);
        else
            rc = 0;
    }
    free(chromium);
    free(cwd);
    free(html);
    free(abs_html);
    free(out_arg);
    return rc;
}
