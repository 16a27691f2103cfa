/* arena.h - bump allocator for data that lives exactly as long as its owner.
 *
 * A loaded school and a solve keep thousands of small strings and arrays; they
 * are all released together, so one arena per owner replaces thousands of frees
 * (the KHE habit).  Allocation failure returns NULL; the arena stays usable. */
#ifndef PP_ARENA_H
#define PP_ARENA_H

#include <stddef.h>

typedef struct pp_arena pp_arena;

/* Returns a new empty arena, or NULL when out of memory.  Free with pp_arena_free. */
pp_arena *pp_arena_new(void);

/* Releases every block handed out by the arena, then the arena.  NULL is a no-op. */
void pp_arena_free(pp_arena *a);

/* Returns n zeroed bytes aligned for any type, owned by the arena; NULL when out of memory. */
void *pp_arena_alloc(pp_arena *a, size_t n);

/* Returns a copy of s (NUL-terminated) owned by the arena; NULL when out of memory. */
char *pp_arena_strdup(pp_arena *a, const char *s);

#endif
