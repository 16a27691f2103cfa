/* diag.c - growable array of heap strings, each escaped once when added. */
#include "diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

struct pp_diags {
    char **msg;
    int n, cap;
    int lost; /* messages dropped for lack of memory */
    int oom;  /* an out-of-memory problem was reported */
};

/* The code point of the UTF-8 sequence at p (at most n bytes) and its length
 * in *len; -1 (len 1) for a byte that does not start a valid sequence. */
static long utf8_at(const unsigned char *p, size_t n, int *len)
{
    *len = 1;
    if (p[0] < 0x80)
        return p[0];
    int k = p[0] >= 0xC2 && p[0] <= 0xDF ? 1 : p[0] >= 0xE0 && p[0] <= 0xEF ? 2 : p[0] >= 0xF0 && p[0] <= 0xF4 ? 3 : 0;
    if (!k || (size_t)k >= n)
        return -1;
    long cp = p[0] & (0x3F >> k);
    for (int i = 1; i <= k; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return -1;
        cp = cp << 6 | (p[i] & 0x3F);
    }
    static const long min[] = { 0, 0x80, 0x800, 0x10000 };
    if (cp < min[k] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return -1;
    *len = k + 1;
    return cp;
}

/* Characters that would act on a terminal or reorder the line when a message
 * quoting user text is shown: C0/C1 controls, DEL, the bidirectional
 * embeddings, overrides and isolates, line separators, zero-width marks. */
static int hidden_control(long cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x061C || (cp >= 0x200B && cp <= 0x200F) ||
           (cp >= 0x2028 && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x2069) || cp == 0xFEFF;
}

void pp_text_escape(FILE *f, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s);
    while (n > 0) {
        int len;
        long cp = utf8_at(p, n, &len);
        if (cp < 0)
            fprintf(f, "\\x%02x", p[0]);
        else if (!hidden_control(cp))
            fwrite(p, 1, (size_t)len, f);
        else if (cp < 0x80)
            fprintf(f, "\\x%02lx", cp);
        else
            fprintf(f, "\\u%04lx", cp);
        p += len;
        n -= (size_t)len;
    }
}

/* s with pp_text_escape applied, as a new string; NULL when out of memory. */
static char *escaped_copy(const char *s)
{
    char *out = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&out, &len);
    if (!m)
        return NULL;
    pp_text_escape(m, s);
    if (fclose(m) != 0) {
        free(out);
        return NULL;
    }
    return out;
}

/* Cuts a string that vsnprintf truncated back to its last whole character. */
static void cut_whole(char *s, int written, size_t size)
{
    if (written < 0 || (size_t)written < size)
        return;
    size_t n = strlen(s);
    size_t k = n;
    while (k > 0 && ((unsigned char)s[k - 1] & 0xC0) == 0x80)
        k--;
    if (k > 0 && (unsigned char)s[k - 1] >= 0xC0) {
        int len;
        if (utf8_at((const unsigned char *)s + k - 1, n - k + 1, &len) < 0)
            s[k - 1] = '\0';
    }
}

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
    if (!d)
        return;
    char body[1024], full[1400];
    va_list ap;
    va_start(ap, fmt);
    cut_whole(body, vsnprintf(body, sizeof body, fmt, ap), sizeof body);
    va_end(ap);
    if (!strncmp(body, "out of memory", 13))
        d->oom = 1;
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
    char *s = escaped_copy(full);
    if (!s) {
        d->lost++;
        return;
    }
    d->msg[d->n++] = s;
}

void pp_diags_set_oom(pp_diags *d)
{
    if (d)
        d->oom = 1;
}

int pp_diags_oom(const pp_diags *d)
{
    return d && (d->oom || d->lost);
}

int pp_diags_count(const pp_diags *d)
{
    if (!d)
        return 0;
    return d->n + d->lost;
}

const char *pp_diags_get(const pp_diags *d, int i)
{
    return (d && i >= 0 && i < d->n) ? d->msg[i] : "(message lost: out of memory)";
}

void pp_diags_print(const pp_diags *d, FILE *f)
{
    for (int i = 0; i < pp_diags_count(d); i++)
        fprintf(f, "%s\n", pp_diags_get(d, i));
}
