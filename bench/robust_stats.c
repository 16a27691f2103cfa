/* robust_stats.c - the figures of one plan that stats.txt does not give, for
 * bench/robust.sh:
 *
 *   build/bench/robust_stats SCHOOL.xml TIMETABLE.xml
 *
 * prints key=value lines:
 *   asked              student-slots asked for (RULES.md: the period runs that day,
 *                      is for the student's grade, and the student stays then)
 *   served             of those, the ones in a group there
 *   listed_unserved    <unserved> entries of the plan
 *   missing            asked, in no group and not listed unserved (a C1 fault)
 *   priority_unserved  asked slots of priority students left without a group
 *   served_pct         100 * served / asked
 *   with_choices       students with at least one club/course choice
 *   first_choice       of those, students in a group of their first choice
 *   any_choice         of those, students in a group of any of their choices
 *   first_choice_pct   100 * first_choice / with_choices (100 when nobody chose)
 *   groups             groups of the plan
 * Whether the plan keeps the rules is `paipian check`'s business (model/check.h), not
 * this file's: it counts, it does not judge.
 * Exit 0, or 2 when the school or the timetable cannot be read (messages on stderr). */
#include <stdio.h>
#include <stdlib.h>

#include "io/school_xml.h"
#include "io/timetable_xml.h"
#include "model/plan.h"

static int asks(const pp_school *s, int stu, int d, int p)
{
    const pp_student *st = &s->students[stu];
    int grade = s->classes[st->cls].grade;
    return (s->day_mask >> d & 1) && (s->periods[p].days >> d & 1) && (s->periods[p].grade_mask >> grade & 1) &&
           (st->stay[d] >> p & 1);
}

static void report(const pp_school *s, const pp_plan *p)
{
    /* per student and day, the periods where the student is in a group */
    uint32_t *in = calloc((size_t)s->nstudents * PP_DAYS + 1, sizeof *in);
    unsigned char *got = calloc((size_t)s->nstudents + 1, 1); /* 1: first choice, 2: any choice */
    if (!in || !got) {
        fputs("robust_stats: out of memory\n", stderr);
        free(in);
        free(got);
        exit(4);
    }
    for (int i = 0; i < p->ngroups; i++) {
        const pp_group *g = &p->groups[i];
        for (int k = 0; k < g->nstudents; k++) {
            int stu = g->students[k];
            const pp_student *st = &s->students[stu];
            in[(size_t)stu * PP_DAYS + (size_t)g->day] |= 1u << g->period;
            for (int c = 0; c < st->nchoices; c++)
                if (st->choices[c] == g->activity)
                    got[stu] |= c == 0 ? 3 : 2;
        }
    }
    long asked = 0, served = 0, prio_unserved = 0;
    int with = 0, first = 0, any = 0;
    for (int stu = 0; stu < s->nstudents; stu++) {
        for (int d = 0; d < PP_DAYS; d++)
            for (int q = 0; q < s->nperiods; q++) {
                if (!asks(s, stu, d, q))
                    continue;
                asked++;
                if (in[(size_t)stu * PP_DAYS + (size_t)d] >> q & 1)
                    served++;
                else if (s->students[stu].priority)
                    prio_unserved++;
            }
        if (s->students[stu].nchoices) {
            with++;
            first += (got[stu] & 1) != 0;
            any += (got[stu] & 2) != 0;
        }
    }
    printf("asked=%ld\nserved=%ld\nlisted_unserved=%d\nmissing=%ld\npriority_unserved=%ld\n", asked, served,
           p->nunserved, asked - served - p->nunserved > 0 ? asked - served - p->nunserved : 0, prio_unserved);
    printf("served_pct=%.2f\n", asked ? 100.0 * (double)served / (double)asked : 100.0);
    printf("with_choices=%d\nfirst_choice=%d\nany_choice=%d\n", with, first, any);
    printf("first_choice_pct=%.2f\n", with ? 100.0 * first / with : 100.0);
    printf("groups=%d\n", p->ngroups);
    free(in);
    free(got);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fputs("usage: robust_stats SCHOOL.xml TIMETABLE.xml\n", stderr);
        return 1;
    }
    pp_diags *d = pp_diags_new();
    if (!d)
        return 4;
    int rc = 2;
    pp_plan *p = NULL;
    pp_school *s = pp_xml_load_school(argv[1], d);
    if (s)
        p = pp_ttxml_read(argv[2], s, d);
    if (s && p) {
        report(s, p);
        rc = 0;
    } else
        pp_diags_print(d, stderr);
    pp_plan_free(p);
    pp_school_free(s);
    pp_diags_free(d);
    return rc;
}
