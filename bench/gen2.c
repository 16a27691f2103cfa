/* gen2.c - the second, independent school generator: schools in shapes bench/gen.c
 * never makes, each with a proof that a plan serving every student exists.
 *
 *   build/bench/gen2 --name NAME --students N --seed S [--shape "KEYWORDS"]
 *                    [-o FILE] [--certificate FILE] [--row]
 *
 * writes the school (docs/FORMAT.md) to FILE (default stdout).  Before writing it
 * loads the document with paipian's own loader (exit 1 when refused) and checks the
 * certificate (bench/gen2/gen2.h) against what was loaded (exit 1 on any failure).
 * --certificate writes that plan as a timetable that `paipian check` reads (it keeps
 * every rule but the merge-quality rules G6/G7: classes are never merged in it; on a
 * dutyshort:DAY school the checker also notes that day's shortage).  --row prints the
 * school's row of the table in instances/robust/README.md on stdout.
 *
 * Shape keywords (any order; later ones win):
 *   grades      primary (1-6, default), nine (1-9, grade-9 evening study), middle (7-9,
 *               two after-school lessons for 7-8, grade-9 evening study)
 *   classes     onepergrade; smallclass (12-28), bigclass (44-52), mixedsize (12-52);
 *               default 36-48
 *   policy      gm35 gm45 (group-max), qa15 qa25, cm10 cm20 (course-min), merge30
 *               (class-merge-threshold), noadj (adjacent-grade-merge false), duty3
 *   periods     morning, morningwinter (morning care in winter only), nonoon,
 *               noonreading (noon is reading), nolate, late3 (late care from grade 3),
 *               sat9 (Saturday for grade 9), boarding (boarders' evening, Mon-Thu)
 *   seasons     oneseason, spring (spring term: winter times first)
 *   offerings   noclubs, manyclubs, courses, manycourses, latecourses (courses also in
 *               the late slot), grade6course (grade 6's Thursday course afternoon),
 *               twin (双师 clubs and courses), twincare (late care with two staff)
 *   margins     roomtight (no spare classroom: the certificate's care groups fill
 *               every classroom), roomwide (5 spare classrooms; default 1-3),
 *               friday (Friday afternoon training: care staff there just enough),
 *               dutyexact (exactly duty-leaders-per-day eligible on Friday),
 *               dutyshort:DAY (one eligible too few that day), stafftight (three more
 *               slots cut to the certificate), tightload (weekly limits at the
 *               certificate's load), partdays (staff away whole days, coaches on one
 *               of their days)
 *   students    hwclass (homework tier="class"), prio (15% priority students),
 *               stayhigh, staylow
 * Deterministic: the same arguments give the same bytes (splitmix64, no clock, no
 * locale-dependent formatting). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/gen2/gen2.h"
#include "io/school_xml.h"

static int usage(void)
{
    fputs("usage: gen2 --name NAME --students N --seed S [--shape \"KEYWORDS\"] [-o FILE]\n"
          "            [--certificate FILE] [--row]\n"
          "(keywords: see the header of bench/gen2.c)\n",
          stderr);
    return 1;
}

static int write_file(const char *path, const g2_buf *b)
{
    FILE *f = path ? fopen(path, "wb") : stdout;
    if (!f) {
        fprintf(stderr, "gen2: cannot write %s: %s\n", path, strerror(errno));
        return -1;
    }
    int ok = fwrite(b->p, 1, b->len, f) == b->len;
    if (path)
        ok &= fclose(f) == 0;
    else
        ok &= fflush(f) == 0;
    if (!ok)
        fprintf(stderr, "gen2: error writing %s\n", path ? path : "stdout");
    return ok ? 0 : -1;
}

static const char *period_id(const pp_school *s, int p)
{
    return p >= 0 && p < s->nperiods ? s->periods[p].id : "?";
}

/* "| file | shape | students | classes | staff | venues | what is tight |" */
static void print_row(const g2_school *g, const pp_school *s, const g2_figures *f)
{
    int n[4] = {0};
    for (int i = 0; i < s->nstaff; i++)
        n[s->staff[i].type]++;
    int clubs = 0, courses = 0;
    for (int a = 0; a < s->nactivities; a++)
        clubs += s->activities[a].kind == PP_ACT_CLUB, courses += s->activities[a].kind == PP_ACT_COURSE;
    printf("| `%s.xml` | %s | %d | %d | %d / %d / %d / %d | %d | %d / %d | rooms %+d (%s %s)", g->cfg.name,
           g->cfg.shape, s->nstudents, s->nclasses, n[PP_STAFF_TEACHER], n[PP_STAFF_RETIRED], n[PP_STAFF_EXTERNAL],
           n[PP_STAFF_VOLUNTEER], s->nvenues, clubs, courses, f->spare_rooms_min, pp_day_name(f->spare_rooms_day),
           period_id(s, f->spare_rooms_period));
    if (f->course_slot_rooms_min >= 0)
        printf(", at club/course slots %+d", f->course_slot_rooms_min);
    printf("; care staff %+d (%s %s); %d of %d care-capable at their weekly limit", f->spare_staff_min,
           pp_day_name(f->spare_staff_day), period_id(s, f->spare_staff_period), f->load_full, f->care_capable);
    printf("; duty leaders %d/%d on %s%s |\n", f->duty_min, s->policy.duty_leaders_per_day, pp_day_name(f->duty_min_day),
           f->short_day >= 0 ? " (short on purpose)" : "");
}

int main(int argc, char **argv)
{
    g2_config cfg = {0};
    const char *shape = "", *out = NULL, *cert = NULL;
    int row = 0, have_seed = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--row")) {
            row = 1;
            continue;
        }
        if (!v)
            return usage();
        if (!strcmp(a, "--name"))
            cfg.name = v;
        else if (!strcmp(a, "--students"))
            cfg.students = atoi(v);
        else if (!strcmp(a, "--seed"))
            cfg.seed = strtoull(v, NULL, 10), have_seed = 1;
        else if (!strcmp(a, "--shape"))
            shape = v;
        else if (!strcmp(a, "-o"))
            out = v;
        else if (!strcmp(a, "--certificate"))
            cert = v;
        else
            return usage();
        i++;
    }
    if (!cfg.name || !*cfg.name || strspn(cfg.name, "abcdefghijklmnopqrstuvwxyz0123456789-_.") != strlen(cfg.name) ||
        cfg.students < 20 || cfg.students > 20000 || !have_seed || (row && !out))
        return usage(); /* --row prints on stdout, so the school goes to -o FILE */
    const char *bad = NULL;
    if (g2_config_parse(&cfg, shape, &bad) < 0) {
        fprintf(stderr, "gen2: unknown shape keyword at \"%s\" (see the header of bench/gen2.c)\n", bad);
        return 1;
    }
    g2_school g;
    memset(&g, 0, sizeof g);
    g.cfg = cfg;
    g2_build(&g);
    g2_certify(&g);

    g2_buf doc = {0}, tt = {0}, msgs = {0};
    g2_write_school(&doc, &g);
    pp_diags *d = pp_diags_new();
    pp_school *s = d ? pp_xml_load_school_memory(doc.p, doc.len, cfg.name, d) : NULL;
    int rc = 0;
    if (!s) {
        fprintf(stderr, "gen2: %s: paipian's loader refused the school:\n", cfg.name);
        if (d)
            pp_diags_print(d, stderr);
        rc = 1;
    } else {
        g2_figures f;
        int nf = g2_verify(&g, s, &msgs, &f);
        if (nf) {
            fprintf(stderr, "gen2: %s: the certificate fails %d check%s:\n%s", cfg.name, nf, nf == 1 ? "" : "s",
                    msgs.p ? msgs.p : "");
            rc = 1;
        } else {
            g2_write_certificate(&tt, &g);
            if (write_file(out, &doc) < 0 || (cert && write_file(cert, &tt) < 0))
                rc = 1;
            else if (row)
                print_row(&g, s, &f);
        }
    }
    pp_school_free(s);
    pp_diags_free(d);
    free(doc.p);
    free(tt.p);
    free(msgs.p);
    g2_school_free(&g);
    return rc;
}
