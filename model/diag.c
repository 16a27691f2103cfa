/* diag.c - growable array of heap strings. */
#include "diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

struct pp_diags {
    char **msg;
    int n, cap;
    int lost; /* messages dropped for lack of memory */
};

pp_diags *pp_diags_new(void)
{
    return calloc(1, sizeof(pp_diags));
}

void pp_diags_free(pp_diags *d)
{
    if (!d)
        return;
    for (int i = 0; i < d->n; i++)
        free(d->msg[i]);
    free(d->msg);
    free(d);
}

void pp_diags_add(pp_diags *d, const char *file, long line, const char *fmt, ...)
{
    char body[1024], full[1400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(body, sizeof body, fmt, ap);
    va_end(ap);
    if (file && line > 0)
        snprintf(full, sizeof full, "%s:%ld: %s", file, line, body);
    else if (file)
        snprintf(full, sizeof full, "%s: %s", file, body);
    else
        snprintf(full, sizeof full, "%s", body);
    if (d->n == d->cap) {
        int cap = d->cap ? 2 * d->cap : 16;
        char **m = realloc(d->msg, (size_t)cap * sizeof *m);
        if (!m) {
            d->lost++;
            return;
        }
        d->msg = m;
        d->cap = cap;
    }
    char *s = strdup(full);
    if (!s) {
        d->lost++;
        return;
    }
    d->msg[d->n++] = s;
}

int pp_diags_count(const pp_diags *d)
{
    return d->n + d->lost;
}

const char *pp_diags_get(const pp_diags *d, int i)
{
    return (i >= 0 && i < d->n) ? d->msg[i] : "(message lost: out of memory)";
}

void pp_diags_print(const pp_diags *d, FILE *f)
{
    for (int i = 0; i < pp_diags_count(d); i++)
        fprintf(f, "%s\n", pp_diags_get(d, i));
}
