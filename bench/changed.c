/* changed.c - the same school a few weeks into the term (准入准出), for the re-plan
 * benchmark (bench/replan.sh):
 *
 *   changed SCHOOL.xml -o OUT.xml [--leave PCT] [--join PCT] [--seed K]
 *
 * PCT% of the students leave (default 3), PCT% new students join (default 3;
 * each takes the class, stays and choices of an existing student, so they ask
 * for what the school offers), one external coach leaves and one room closes.
 * Which ones depends only on (SCHOOL, PCT, K): a splitmix64 stream, no clock.
 * The coach is the first external staff member (from an index drawn by K) whose
 * speciality another staff member also has, so their groups can be led by
 * someone else; the room is a venue that is no class's home room, of a type
 * with at least two venues.  What was done goes to stderr. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/school_write.h"
#include "io/school_xml.h"
#include "model/arena.h"

static uint64_t next(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static int shares_speciality(const pp_school *s, int who)
{
    for (int k = 0; k < s->staff[who].nspec; k++)
        for (int j = 0; j < s->nstaff; j++)
            if (j != who && pp_staff_has_spec(&s->staff[j], s->staff[who].spec[k]))
                return 1;
    return 0;
}

static int pick_coach(const pp_school *s, uint64_t *rng)
{
    int start = s->nstaff ? (int)(next(rng) % (uint64_t)s->nstaff) : 0;
    for (int q = 0; q < s->nstaff; q++) {
        int i = (start + q) % s->nstaff;
        if (s->staff[i].type == PP_STAFF_EXTERNAL && s->staff[i].nspec > 0 && shares_speciality(s, i))
            return i;
    }
    return -1;
}

static int pick_room(const pp_school *s, uint64_t *rng)
{
    int start = s->nvenues ? (int)(next(rng) % (uint64_t)s->nvenues) : 0;
    for (int q = 0; q < s->nvenues; q++) {
        int v = (start + q) % s->nvenues, home = 0, same = 0;
        for (int k = 0; k < s->nclasses; k++)
            home |= s->classes[k].room == v;
        for (int w = 0; w < s->nvenues; w++)
            same += s->venues[w].type == s->venues[v].type;
        if (!home && same >= 2)
            return v;
    }
    return -1;
}

static void remove_staff(pp_school *s, int who)
{
    memmove(&s->staff[who], &s->staff[who + 1], (size_t)(s->nstaff - who - 1) * sizeof *s->staff);
    s->nstaff--;
}

static void remove_venue(pp_school *s, int v)
{
    memmove(&s->venues[v], &s->venues[v + 1], (size_t)(s->nvenues - v - 1) * sizeof *s->venues);
    s->nvenues--;
    for (int k = 0; k < s->nclasses; k++)
        if (s->classes[k].room > v)
            s->classes[k].room--;
}

/* Students: every one kept unless drawn to leave; then the joiners, each a copy of
 * a drawn student (not one who left) with a new id. */
static int change_students(pp_school *s, double leave, double join, uint64_t *rng)
{
    int n = s->nstudents, nleave = (int)(n * leave / 100 + 0.5), njoin = (int)(n * join / 100 + 0.5);
    char *gone = calloc((size_t)n + 1, 1);
    pp_student *st = pp_arena_alloc(s->arena, (size_t)(n + njoin + 1) * sizeof *st);
    if (!gone || !st) {
        free(gone);
        return -1;
    }
    for (int k = 0; k < nleave;) {
        int i = (int)(next(rng) % (uint64_t)n);
        if (!gone[i]) {
            gone[i] = 1;
            k++;
        }
    }
    int m = 0;
    for (int i = 0; i < n; i++)
        if (!gone[i])
            st[m++] = s->students[i];
    for (int k = 0; k < njoin; k++) {
        int i;
        do
            i = (int)(next(rng) % (uint64_t)n);
        while (gone[i]);
        int j = (int)(next(rng) % (uint64_t)n); /* choices of another student of the same grade, when there is one */
        for (int q = 0; q < n && s->classes[s->students[j].cls].grade != s->classes[s->students[i].cls].grade; q++)
            j = (j + 1) % n;
        st[m] = s->students[i];
        st[m].choices = s->students[j].choices;
        st[m].nchoices = s->students[j].nchoices;
        char id[32], name[64];
        snprintf(id, sizeof id, "new%04d", k + 1);
        snprintf(name, sizeof name, "新生%d", k + 1);
        st[m].id = pp_arena_strdup(s->arena, id);
        st[m].name = pp_arena_strdup(s->arena, name);
        st[m].priority = 0;
        if (!st[m].id || !st[m].name) {
            free(gone);
            return -1;
        }
        m++;
    }
    fprintf(stderr, "changed: %d students left, %d joined (%d -> %d)\n", nleave, njoin, n, m);
    s->students = st;
    s->nstudents = m;
    free(gone);
    return 0;
}

int main(int argc, char **argv)
{
    const char *in = NULL, *out = NULL;
    double leave = 3, join = 3;
    uint64_t seed = 1;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-o") && i + 1 < argc)
            out = argv[++i];
        else if (!strcmp(argv[i], "--leave") && i + 1 < argc)
            leave = atof(argv[++i]);
        else if (!strcmp(argv[i], "--join") && i + 1 < argc)
            join = atof(argv[++i]);
        else if (!strcmp(argv[i], "--seed") && i + 1 < argc)
            seed = strtoull(argv[++i], NULL, 10);
        else if (!in && argv[i][0] != '-')
            in = argv[i];
        else {
            fprintf(stderr, "usage: changed SCHOOL.xml -o OUT.xml [--leave PCT] [--join PCT] [--seed K]\n");
            return 1;
        }
    }
    if (!in || !out || leave < 0 || leave > 100 || join < 0 || join > 100) {
        fprintf(stderr, "usage: changed SCHOOL.xml -o OUT.xml [--leave PCT] [--join PCT] [--seed K]\n");
        return 1;
    }
    pp_diags *d = pp_diags_new();
    pp_school *s = d ? pp_xml_load_school(in, d) : NULL;
    if (!s) {
        if (d)
            pp_diags_print(d, stderr);
        pp_diags_free(d);
        return 2;
    }
    uint64_t rng = seed;
    int rc = 0;
    int coach = pick_coach(s, &rng), room = pick_room(s, &rng);
    if (coach >= 0) {
        fprintf(stderr, "changed: coach %s (%s) leaves\n", s->staff[coach].id, s->staff[coach].name);
        remove_staff(s, coach);
    }
    if (room >= 0) {
        fprintf(stderr, "changed: room %s (%s) closes\n", s->venues[room].id, s->venues[room].name);
        remove_venue(s, room);
    }
    FILE *f = NULL;
    if (change_students(s, leave, join, &rng) || !(f = fopen(out, "wb")) || pp_xml_write_school(f, s)) {
        fprintf(stderr, "changed: cannot write %s\n", out);
        rc = 1;
    }
    if (f && fclose(f) != 0)
        rc = 1;
    pp_school_free(s);
    pp_diags_free(d);
    return rc;
}
