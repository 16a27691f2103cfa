/* util.h - small helpers the test binaries share.  Header-only (static inline)
 * so every test stays one .c file. */
#ifndef PP_TEST_UTIL_H
#define PP_TEST_UTIL_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static inline int tu_cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Paths ("dir/name") of the files of dir whose name ends in suffix (NULL: every
 * name not starting with '.'), sorted; *n receives the count.  NULL when the
 * folder cannot be read or holds none.  The caller frees each and the array. */
static inline char **tu_list_files(const char *dir, const char *suffix, int *n)
{
    DIR *dp = opendir(dir);
    char **v = NULL;
    *n = 0;
    if (!dp)
        return NULL;
    size_t ls = suffix ? strlen(suffix) : 0;
    for (struct dirent *e; (e = readdir(dp)) != NULL;) {
        size_t l = strlen(e->d_name);
        if (e->d_name[0] == '.' || (suffix && (l <= ls || strcmp(e->d_name + l - ls, suffix) != 0)))
            continue;
        v = realloc(v, (size_t)(*n + 1) * sizeof *v);
        v[*n] = malloc(strlen(dir) + l + 2);
        snprintf(v[*n], strlen(dir) + l + 2, "%s/%s", dir, e->d_name);
        (*n)++;
    }
    closedir(dp);
    if (*n)
        qsort(v, (size_t)*n, sizeof *v, tu_cmp_str);
    return v;
}

#endif
