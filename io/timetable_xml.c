/* timetable_xml.c - writer by fprintf with escaping (the format is flat and small);
 * reader by libxml2's tree API with the same safety flags as the school loader. */
#include "timetable_xml.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>

#define TT_NS "urn:paipian:timetable:1"

static void put_escaped(FILE *f, const char *s)
{
    for (; *s; s++)
        switch (*s) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\n': fputs("&#10;", f); break;
        default: fputc(*s, f);
        }
}

/* Prints ids of staff / students / classes as one space-separated attribute value. */
static void put_ids(FILE *f, const char *attr, const int *v, int n, const char *(*id)(const pp_school *, int),
                    const pp_school *s)
{
    fprintf(f, " %s=\"", attr);
    for (int i = 0; i < n; i++) {
        if (i)
            fputc(' ', f);
        put_escaped(f, id(s, v[i]));
    }
    fputc('"', f);
}

static const char *staff_id(const pp_school *s, int i) { return s->staff[i].id; }
static const char *student_id(const pp_school *s, int i) { return s->students[i].id; }
static const char *class_id(const pp_school *s, int i) { return s->classes[i].id; }

static int cmp_unserved(const void *a, const void *b)
{
    const pp_unserved *x = a, *y = b;
    if (x->day != y->day)
        return x->day - y->day;
    if (x->period != y->period)
        return x->period - y->period;
    return x->student - y->student;
}

int pp_ttxml_write(FILE *f, const pp_school *s, const pp_plan *p)
{
    /* sort a copy: the caller's plan stays as it is */
    pp_plan copy = *p;
    pp_group *g = malloc((size_t)(p->ngroups + 1) * sizeof *g);
    pp_unserved *u = malloc((size_t)(p->nunserved + 1) * sizeof *u);
    if (!g || !u) {
        free(g);
        free(u);
        return -1;
    }
    memcpy(g, p->groups, (size_t)p->ngroups * sizeof *g);
    memcpy(u, p->unserved, (size_t)p->nunserved * sizeof *u);
    copy.groups = g;
    pp_plan_sort(&copy, s);
    qsort(u, (size_t)p->nunserved, sizeof *u, cmp_unserved);
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<timetable xmlns=\"" TT_NS "\" school=\"");
    put_escaped(f, s->id);
    fprintf(f, "\" status=\"%s\" objective=\"%.4f\" bound=\"%.4f\" gap=\"%.6f\">\n", pp_status_name(p->stats.status),
            p->stats.objective, p->stats.bound, p->stats.gap);
    for (int i = 0; i < copy.ngroups; i++) {
        const pp_group *gr = &g[i];
        fprintf(f, "  <group id=\"g%d\" activity=\"", i + 1);
        put_escaped(f, s->activities[gr->activity].id);
        fprintf(f, "\" day=\"%s\" period=\"", pp_day_name(gr->day));
        put_escaped(f, s->periods[gr->period].id);
        fputc('"', f);
        if (gr->venue >= 0) {
            fputs(" venue=\"", f);
            put_escaped(f, s->venues[gr->venue].id);
            fputc('"', f);
        }
        fprintf(f, " format=\"%s\"", pp_group_format_zh(s, gr));
        put_ids(f, "staff", gr->staff, gr->nstaff, staff_id, s);
        put_ids(f, "classes", gr->classes, gr->nclasses, class_id, s);
        put_ids(f, "students", gr->students, gr->nstudents, student_id, s);
        fputs("/>\n", f);
    }
    for (int i = 0; i < p->nunserved; i++) {
        fputs("  <unserved student=\"", f);
        put_escaped(f, s->students[u[i].student].id);
        fprintf(f, "\" day=\"%s\" period=\"", pp_day_name(u[i].day));
        put_escaped(f, s->periods[u[i].period].id);
        fputs("\" reason=\"", f);
        put_escaped(f, u[i].reason);
        fputs("\"/>\n", f);
    }
    pp_duty duty[PP_DAYS];
    memcpy(duty, p->duty, sizeof duty);
    for (int i = 1; i < p->nduty; i++)
        for (int j = i; j > 0 && duty[j - 1].day > duty[j].day; j--) {
            pp_duty t = duty[j];
            duty[j] = duty[j - 1];
            duty[j - 1] = t;
        }
    for (int i = 0; i < p->nduty; i++) {
        fprintf(f, "  <duty day=\"%s\"", pp_day_name(duty[i].day));
        put_ids(f, "staff", duty[i].staff, duty[i].nstaff, staff_id, s);
        fputs("/>\n", f);
    }
    fputs("</timetable>\n", f);
    free(g);
    free(u);
    return ferror(f) ? -1 : 0;
}

/* ---------- reading ---------------------------------------------------------- */

typedef struct {
    const pp_school *s;
    const char *path;
    pp_diags *d;
    int bad;
    int *buf;
    int cap;
} reader;

static const char *attr(xmlNodePtr n, const char *name)
{
    xmlAttrPtr a = xmlHasProp(n, (const xmlChar *)name);
    return a && a->children ? (const char *)a->children->content : NULL;
}

static void problem(reader *r, xmlNodePtr n, const char *what, const char *fmt, const char *val)
{
    char msg[512];
    snprintf(msg, sizeof msg, fmt, val ? val : "");
    const char *id = attr(n, "id");
    if (id)
        pp_diags_add(r->d, r->path, xmlGetLineNo(n), "<%s id=\"%s\">: %s", (const char *)n->name, id, msg);
    else
        pp_diags_add(r->d, r->path, xmlGetLineNo(n), "<%s>: %s", (const char *)n->name, msg);
    (void)what;
    r->bad++;
}

/* Resolves a space-separated id list with find(); returns the count, -1 on a bad id. */
static int ids(reader *r, xmlNodePtr n, const char *name, int (*find)(const pp_school *, const char *),
               const char *expected)
{
    const char *v = attr(n, name);
    int k = 0, ok = 1;
    if (!v)
        return 0;
    char *copy = strdup(v);
    if (!copy)
        return -1;
    for (char *save = NULL, *tok = strtok_r(copy, " \t\n", &save); tok; tok = strtok_r(NULL, " \t\n", &save)) {
        int i = find(r->s, tok);
        if (i < 0) {
            char msg[300];
            snprintf(msg, sizeof msg, "%s \"%s\" is not in the school; expected %s", name, tok, expected);
            problem(r, n, name, "%s", msg);
            ok = 0;
            continue;
        }
        if (k == r->cap) {
            int cap = r->cap ? 2 * r->cap : 256;
            int *b = realloc(r->buf, (size_t)cap * sizeof *b);
            if (!b) {
                free(copy);
                return -1;
            }
            r->buf = b;
            r->cap = cap;
        }
        r->buf[k++] = i;
    }
    free(copy);
    return ok ? k : -1;
}

static int one(reader *r, xmlNodePtr n, const char *name, int (*find)(const pp_school *, const char *),
               const char *expected, int required)
{
    const char *v = attr(n, name);
    if (!v) {
        if (required) {
            char msg[200];
            snprintf(msg, sizeof msg, "no %s attribute; expected %s", name, expected);
            problem(r, n, name, "%s", msg);
        }
        return -1;
    }
    int i = find(r->s, v);
    if (i < 0) {
        char msg[300];
        snprintf(msg, sizeof msg, "%s \"%s\" is not in the school; expected %s", name, v, expected);
        problem(r, n, name, "%s", msg);
    }
    return i;
}

static int day_of(reader *r, xmlNodePtr n)
{
    const char *v = attr(n, "day");
    int d = v ? pp_day_parse(v) : -1;
    if (d < 0)
        problem(r, n, "day", "day \"%s\" is not a day; expected Mon..Sun", v);
    return d;
}

static void read_group(reader *r, xmlNodePtr n, pp_plan *p)
{
    const pp_school *s = r->s;
    int a = one(r, n, "activity", pp_school_find_activity, "the id of an <activity>", 1);
    int per = one(r, n, "period", pp_school_find_period, "the id of a <period>", 1);
    int v = attr(n, "venue") ? one(r, n, "venue", pp_school_find_venue, "the id of a <venue>", 0) : -1;
    int d = day_of(r, n);
    int nst = ids(r, n, "staff", pp_school_find_staff, "the id of a staff <member>");
    int *staff = nst > 0 ? malloc((size_t)nst * sizeof *staff) : NULL;
    if (nst > 0 && staff)
        memcpy(staff, r->buf, (size_t)nst * sizeof *staff);
    int nstu = ids(r, n, "students", pp_school_find_student, "the id of a <student>");
    if (a >= 0 && per >= 0 && d >= 0 && nst >= 0 && nstu >= 0 && (nst == 0 || staff) &&
        (attr(n, "venue") == NULL || v >= 0))
        if (pp_plan_add_group(p, s, a, d, per, v, staff, nst, r->buf, nstu) < 0)
            r->bad++;
    free(staff);
}

static void read_children(reader *r, xmlNodePtr root, pp_plan *p)
{
    for (xmlNodePtr n = root->children; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        const char *name = (const char *)n->name;
        if (!strcmp(name, "group"))
            read_group(r, n, p);
        else if (!strcmp(name, "unserved")) {
            int st = one(r, n, "student", pp_school_find_student, "the id of a <student>", 1);
            int per = one(r, n, "period", pp_school_find_period, "the id of a <period>", 1);
            int d = day_of(r, n);
            if (st >= 0 && per >= 0 && d >= 0)
                pp_plan_add_unserved(p, st, d, per, attr(n, "reason") ? attr(n, "reason") : "");
        } else if (!strcmp(name, "duty")) {
            int d = day_of(r, n);
            int k = ids(r, n, "staff", pp_school_find_staff, "the id of a staff <member>");
            if (d >= 0 && k >= 0)
                pp_plan_set_duty(p, d, r->buf, k);
        } else
            problem(r, n, name, "unknown element%s; expected <group>, <unserved> or <duty>", "");
    }
}

static double num_attr(xmlNodePtr n, const char *name)
{
    const char *v = attr(n, name);
    return v ? strtod(v, NULL) : 0;
}

pp_plan *pp_ttxml_read(const char *path, const pp_school *s, pp_diags *d)
{
    reader r = { s, path, d, 0, NULL, 0 };
    xmlDocPtr doc = xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (!doc) {
        const xmlError *e = xmlGetLastError();
        pp_diags_add(d, path, e ? e->line : 0, "not a readable XML file%s%s; expected a timetable.xml written by paipian",
                     e && e->message ? ": " : "", e && e->message ? e->message : "");
        return NULL;
    }
    pp_plan *p = NULL;
    xmlNodePtr root = xmlDocGetRootElement(doc);
    if (doc->intSubset || !root || strcmp((const char *)root->name, "timetable") != 0 || !root->ns ||
        strcmp((const char *)root->ns->href, TT_NS) != 0) {
        pp_diags_add(d, path, root ? xmlGetLineNo(root) : 0,
                     "not a timetable (or has a DOCTYPE); expected <timetable xmlns=\"" TT_NS "\">");
        goto out;
    }
    const char *school = attr(root, "school");
    if (school && strcmp(school, s->id) != 0) {
        pp_diags_add(d, path, xmlGetLineNo(root), "<timetable>: made for school \"%s\", not \"%s\"; expected the school it was solved for",
                     school, s->id);
        goto out;
    }
    p = pp_plan_new();
    if (!p)
        goto out;
    read_children(&r, root, p);
    const char *st = attr(root, "status");
    p->stats.status = !st ? PP_STATUS_NONE : !strcmp(st, "optimal") ? PP_STATUS_OPTIMAL
                      : !strcmp(st, "partial") ? PP_STATUS_PARTIAL : PP_STATUS_FEASIBLE;
    p->stats.objective = num_attr(root, "objective");
    p->stats.bound = num_attr(root, "bound");
    p->stats.gap = num_attr(root, "gap");
    if (r.bad) {
        pp_plan_free(p);
        p = NULL;
    }
out:
    free(r.buf);
    xmlFreeDoc(doc);
    return p;
}
