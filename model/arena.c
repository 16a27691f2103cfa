/* arena.c - blocks are chained; each request is served from the newest block or a
 * fresh one at least as large as the request, so no request is ever split. */
#include "arena.h"

#include <stdlib.h>
#include <string.h>

#define PP_ARENA_BLOCK 65536u
#define PP_ARENA_ALIGN 16u

typedef struct pp_block {
    struct pp_block *next;
    size_t size, used;
    _Alignas(16) unsigned char data[];
} pp_block;

struct pp_arena {
    pp_block *head;
};

pp_arena *pp_arena_new(void)
{
    return calloc(1, sizeof(pp_arena));
}

void pp_arena_free(pp_arena *a)
{
    if (!a)
        return;
    pp_block *b = a->head;
    while (b) {
        pp_block *next = b->next;
        free(b);
        b = next;
    }
    free(a);
}

void *pp_arena_alloc(pp_arena *a, size_t n)
{
    size_t need = (n + PP_ARENA_ALIGN - 1) & ~(size_t)(PP_ARENA_ALIGN - 1);
    if (need == 0)
        need = PP_ARENA_ALIGN;
    pp_block *b = a->head;
    if (!b || b->size - b->used < need) {
        size_t size = need > PP_ARENA_BLOCK ? need : PP_ARENA_BLOCK;
        b = malloc(sizeof(pp_block) + size);
        if (!b)
            return NULL;
        b->size = size;
        b->used = 0;
        b->next = a->head;
        a->head = b;
    }
    void *p = b->data + b->used;
    b->used += need;
    memset(p, 0, n);
    return p;
}

char *pp_arena_strdup(pp_arena *a, const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = pp_arena_alloc(a, n);
    if (p)
        memcpy(p, s, n);
    return p;
}
