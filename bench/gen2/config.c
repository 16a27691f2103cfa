/* config.c - the shape keywords of gen2, the seeded random numbers and the
 * allocation helpers every part of the generator uses. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/gen2/gen2.h"

uint64_t g2_next(g2_rng *r)
{
    /* splitmix64 (Steele, Lea, Flood 2014): a full-period 64-bit generator whose
     * output does not depend on the platform's rand() */
    uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

int g2_range(g2_rng *r, int lo, int hi)
{
    if (hi <= lo)
        return lo;
    return lo + (int)(g2_next(r) % (uint64_t)(hi - lo + 1));
}

int g2_chance(g2_rng *r, int permille)
{
    return (int)(g2_next(r) % 1000) < permille;
}

static void out_of_memory(void)
{
    fputs("gen2: out of memory\n", stderr);
    exit(4);
}

void *g2_alloc(size_t n)
{
    void *p = calloc(1, n ? n : 1);
    if (!p)
        out_of_memory();
    return p;
}

void *g2_grow(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        out_of_memory();
    return q;
}

char *g2_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = g2_alloc(n);
    memcpy(p, s, n);
    return p;
}

static void defaults(g2_config *c)
{
    const char *name = c->name;
    int students = c->students;
    uint64_t seed = c->seed;
    memset(c, 0, sizeof *c);
    c->name = name;
    c->students = students;
    c->seed = seed;
    c->glo = 1;
    c->ghi = 6;
    c->size_lo = 36;
    c->size_hi = 48;
    c->gm = c->cmt = c->qa = c->cmin = c->dlpd = c->adj = -1;
    c->noon = 1;
    c->late = 1;
    c->late_from = 0;
    c->seasons = 2;
    c->clubs = 1;
    c->room_margin = -1;
    c->duty_short = -1;
    c->prio = 50;
}

/* Keyword "key:Day" (dutyshort:Fri); returns the day or -1. */
static int day_of(const char *w, size_t n)
{
    static const char *days[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    for (int d = 0; d < 7; d++)
        if (n == 3 && !strncmp(w, days[d], 3))
            return d;
    return -1;
}

static int keyword(g2_config *c, const char *w, size_t n)
{
#define IS(k) (n == strlen(k) && !strncmp(w, k, n))
    if (IS("primary")) { c->glo = 1; c->ghi = 6; }
    else if (IS("nine")) { c->glo = 1; c->ghi = 9; c->evening9 = 1; }
    else if (IS("middle")) { c->glo = 7; c->ghi = 9; c->after2 = 1; c->evening9 = 1; c->late = 0; }
    else if (IS("onepergrade")) c->onepergrade = 1;
    else if (IS("smallclass")) { c->size_lo = 12; c->size_hi = 28; }
    else if (IS("bigclass")) { c->size_lo = 44; c->size_hi = 52; }
    else if (IS("mixedsize")) { c->size_lo = 12; c->size_hi = 52; }
    else if (IS("gm35")) c->gm = 35;
    else if (IS("gm45")) c->gm = 45;
    else if (IS("qa15")) c->qa = 15;
    else if (IS("qa25")) c->qa = 25;
    else if (IS("cm10")) c->cmin = 10;
    else if (IS("cm20")) c->cmin = 20;
    else if (IS("merge30")) c->cmt = 30;
    else if (IS("noadj")) c->adj = 0;
    else if (IS("duty3")) c->dlpd = 3;
    else if (IS("morning")) c->morning = 1;
    else if (IS("morningwinter")) { c->morning = 1; c->morningwinter = 1; }
    else if (IS("nonoon")) c->noon = 0;
    else if (IS("noonreading")) c->noonreading = 1;
    else if (IS("nolate")) c->late = 0;
    else if (IS("late3")) c->late_from = 3;
    else if (IS("sat9")) c->sat9 = 1;
    else if (IS("boarding")) c->boarding = 1;
    else if (IS("oneseason")) c->seasons = 1;
    else if (IS("spring")) c->spring = 1;
    else if (IS("noclubs")) c->clubs = 0;
    else if (IS("manyclubs")) c->clubs = 2;
    else if (IS("courses")) c->courses = 1;
    else if (IS("manycourses")) c->courses = 2;
    else if (IS("latecourses")) c->late_courses = 1;
    else if (IS("grade6course")) c->grade6course = 1;
    else if (IS("roomtight")) c->room_margin = 0;
    else if (IS("roomwide")) c->room_margin = 5;
    else if (IS("friday")) c->friday = 1;
    else if (IS("dutyexact")) c->duty_exact = 1;
    else if (n > 10 && !strncmp(w, "dutyshort:", 10) && day_of(w + 10, n - 10) >= 0)
        c->duty_short = day_of(w + 10, n - 10);
    else if (IS("stafftight")) c->stafftight = 1;
    else if (IS("tightload")) c->tightload = 1;
    else if (IS("partdays")) c->partdays = 1;
    else if (IS("twin")) c->twin = 1;
    else if (IS("twincare")) c->twincare = 1;
    else if (IS("hwclass")) c->hwclass = 1;
    else if (IS("prio")) c->prio = 150;
    else if (IS("stayhigh")) c->stay = 1;
    else if (IS("staylow")) c->stay = -1;
    else
        return -1;
    return 0;
#undef IS
}

int g2_config_parse(g2_config *c, const char *shape, const char **bad)
{
    defaults(c);
    c->shape = shape ? shape : "";
    for (const char *w = c->shape; *w;) {
        while (*w == ' ')
            w++;
        size_t n = strcspn(w, " ");
        if (n && keyword(c, w, n) < 0) {
            *bad = w;
            return -1;
        }
        w += n;
    }
    if (!c->late_from || c->late_from < c->glo)
        c->late_from = c->glo;
    return 0;
}
