/* grow.h - the one growable-array step the solver and the writers share.
 *
 * Arrays built by appending (sections, edges, matrix entries, change rows) grow
 * by doubling; one helper instead of a copy per file. */
#ifndef PP_GROW_H
#define PP_GROW_H

#include <stddef.h>

/* Makes *p (an array of *cap elements of size sz, heap-owned by the caller, NULL
 * when *cap is 0) hold at least `need` elements, doubling from 16; *p and *cap
 * are updated.  Returns 0, or -1 when out of memory or the size would overflow
 * (then *p and *cap are unchanged and *p is still the caller's to free). */
int pp_grow(void **p, int *cap, int need, size_t sz);

#endif
