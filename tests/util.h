/* util.h - small helpers the test binaries share.  Header-only (static inline)
 * so every test stays one .c file. */
#ifndef PP_TEST_UTIL_H
#define PP_TEST_UTIL_H

#include <stdio.h>
#include <stdlib.h>

/* The whole file at path, NUL-terminated; *len (if len) receives its size (0 on failure).
 * NULL when it cannot be read.  The caller frees. */
static inline char *tu_slurp(const char *path, size_t *len)
{
    if (len)
        *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
        free(b);
        b = NULL;
    }
    fclose(f);
    if (b) {
        b[n] = '\0';
        if (len)
            *len = (size_t)n;
    }
    return b;
}

#endif
