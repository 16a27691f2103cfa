/* grow.c - see grow.h. */
#include "model/grow.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>

int pp_grow(void **p, int *cap, int need, size_t sz)
{
    if (need <= *cap)
        return 0;
    int c = *cap > 0 ? *cap : 16;
    while (c < need) {
        if (c > INT_MAX / 2)
            return -1;
        c *= 2;
    }
    if (sz && (size_t)c > SIZE_MAX / sz)
        return -1;
    void *q = realloc(*p, (size_t)c * sz);
    if (!q)
        return -1;
    *p = q;
    *cap = c;
    return 0;
}
