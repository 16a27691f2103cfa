/* timetable_xml.c - writer by fprintf with escaping (the format is flat, and a
 * hand-written writer is what makes the bytes stable); reader by libxml2's tree API
 * with the same safety rules as the school loader. */
#include "xsd.h"
#include "timetable_xml.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlschemas.h>
#include <libxml/xmlversion.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define TT_NS "urn:paipian:timetable:1"
#define MAX_XML_MESSAGES 50

/* io/timetable.xsd, byte for byte (tests/test_timetable_xml.c compares them).  Kept
 * here as a literal rather than generated so the build has one embedding step
 * (the school schema's); when you change the .xsd, regenerate this literal. */
static const char timetable_xsd[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<!-- timetable.xsd - the structure of a timetable file (docs/FORMAT.md \"Timetable\").\n"
    "\n"
    "     paipian keeps a copy of this file as a C string in io/timetable_xml.c (a test\n"
    "     asserts the two are equal byte for byte) and validates every timetable against\n"
    "     it before resolving ids.  The schema checks shape and lexical form only; whether\n"
    "     an id exists in the school, a day name is known, or the plan keeps the rules is\n"
    "     for the reader and the checker, which can name the line and the rule. -->\n"
    "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\"\n"
    "           xmlns:tt=\"urn:paipian:timetable:1\"\n"
    "           targetNamespace=\"urn:paipian:timetable:1\"\n"
    "           elementFormDefault=\"qualified\"\n"
    "           attributeFormDefault=\"unqualified\">\n"
    "\n"
    "  <xs:simpleType name=\"id\">\n"
    "    <xs:restriction base=\"xs:string\">\n"
    "      <xs:pattern value=\"[A-Za-z0-9_.\\-]+\"/>\n"
    "      <xs:maxLength value=\"200\"/>\n"
    "    </xs:restriction>\n"
    "  </xs:simpleType>\n"
    "\n"
    "  <xs:simpleType name=\"ids\">\n"
    "    <xs:list itemType=\"tt:id\"/>\n"
    "  </xs:simpleType>\n"
    "\n"
    "  <!-- Day names are resolved by the reader (Mon..Sun, also 周一..周日). -->\n"
    "  <xs:simpleType name=\"day\">\n"
    "    <xs:restriction base=\"xs:token\">\n"
    "      <xs:minLength value=\"1\"/>\n"
    "      <xs:maxLength value=\"20\"/>\n"
    "    </xs:restriction>\n"
    "  </xs:simpleType>\n"
    "\n"
    "  <xs:simpleType name=\"group-id\">\n"
    "    <xs:restriction base=\"xs:string\">\n"
    "      <xs:pattern value=\"g[1-9][0-9]*\"/>\n"
    "    </xs:restriction>\n"
    "  </xs:simpleType>\n"
    "\n"
    "  <xs:simpleType name=\"status\">\n"
    "    <xs:restriction base=\"xs:string\">\n"
    "      <xs:enumeration value=\"none\"/>\n"
    "      <xs:enumeration value=\"optimal\"/>\n"
    "      <xs:enumeration value=\"feasible\"/>\n"
    "      <xs:enumeration value=\"partial\"/>\n"
    "    </xs:restriction>\n"
    "  </xs:simpleType>\n"
    "\n"
    "  <xs:element name=\"timetable\">\n"
    "    <xs:complexType>\n"
    "      <xs:sequence>\n"
    "        <xs:element name=\"group\" minOccurs=\"0\" maxOccurs=\"unbounded\">\n"
    "          <xs:complexType>\n"
    "            <xs:attribute name=\"id\" type=\"tt:group-id\" use=\"required\"/>\n"
    "            <xs:attribute name=\"activity\" type=\"tt:id\" use=\"required\"/>\n"
    "            <xs:attribute name=\"day\" type=\"tt:day\" use=\"required\"/>\n"
    "            <xs:attribute name=\"period\" type=\"tt:id\" use=\"required\"/>\n"
    "            <xs:attribute name=\"venue\" type=\"tt:id\"/>\n"
    "            <xs:attribute name=\"format\" type=\"xs:string\"/>\n"
    "            <xs:attribute name=\"staff\" type=\"tt:ids\"/>\n"
    "            <xs:attribute name=\"classes\" type=\"tt:ids\"/>\n"
    "            <xs:attribute name=\"students\" type=\"tt:ids\"/>\n"
    "          </xs:complexType>\n"
    "        </xs:element>\n"
    "        <xs:element name=\"unserved\" minOccurs=\"0\" maxOccurs=\"unbounded\">\n"
    "          <xs:complexType>\n"
    "            <xs:attribute name=\"student\" type=\"tt:id\" use=\"required\"/>\n"
    "            <xs:attribute name=\"day\" type=\"tt:day\" use=\"required\"/>\n"
    "            <xs:attribute name=\"period\" type=\"tt:id\" use=\"required\"/>\n"
    "            <xs:attribute name=\"reason\" type=\"xs:string\"/>\n"
    "          </xs:complexType>\n"
    "        </xs:element>\n"
    "        <xs:element name=\"duty\" minOccurs=\"0\" maxOccurs=\"7\">\n"
    "          <xs:complexType>\n"
    "            <xs:attribute name=\"day\" type=\"tt:day\" use=\"required\"/>\n"
    "            <xs:attribute name=\"staff\" type=\"tt:ids\"/>\n"
    "          </xs:complexType>\n"
    "        </xs:element>\n"
    "      </xs:sequence>\n"
    "      <xs:attribute name=\"school\" type=\"tt:id\" use=\"required\"/>\n"
    "      <xs:attribute name=\"status\" type=\"tt:status\"/>\n"
    "      <xs:attribute name=\"objective\" type=\"xs:double\"/>\n"
    "      <xs:attribute name=\"bound\" type=\"xs:double\"/>\n"
    "      <xs:attribute name=\"gap\" type=\"xs:double\"/>\n"
    "      <xs:attribute name=\"seconds\" type=\"xs:double\"/>\n"
    "      <xs:attribute name=\"school-digest\" type=\"xs:string\"/>\n"
    "    </xs:complexType>\n"
    "    <xs:unique name=\"unique-group-id\">\n"
    "      <xs:selector xpath=\"tt:group\"/>\n"
    "      <xs:field xpath=\"@id\"/>\n"
    "    </xs:unique>\n"
    "    <xs:unique name=\"unique-duty-day\">\n"
    "      <xs:selector xpath=\"tt:duty\"/>\n"
    "      <xs:field xpath=\"@day\"/>\n"
    "    </xs:unique>\n"
    "  </xs:element>\n"
    "</xs:schema>\n";

const char *pp_ttxml_xsd(size_t *len)
{
    if (len)
        *len = sizeof timetable_xsd - 1;
    return timetable_xsd;
}

/* ---------- writing ------------------------------------------------------------ */

static void put_attr(FILE *f, const char *name, const char *value)
{
    fprintf(f, " %s=\"", name);
    pp_xml_put_escaped(f, value);
    fputc('"', f);
}

/* xs:double spells the non-finite values INF, -INF and NaN, which strtod reads back. */
static void put_num(FILE *f, const char *name, const char *fmt, double v)
{
    if (isnan(v))
        fprintf(f, " %s=\"NaN\"", name);
    else if (isinf(v))
        fprintf(f, " %s=\"%sINF\"", name, v < 0 ? "-" : "");
    else {
        fprintf(f, " %s=\"", name);
        fprintf(f, fmt, v);
        fputc('"', f);
    }
}

typedef const char *(*id_fn)(const pp_school *, int);
static const char *staff_id(const pp_school *s, int i) { return s->staff[i].id; }
static const char *student_id(const pp_school *s, int i) { return s->students[i].id; }
static const char *class_id(const pp_school *s, int i) { return s->classes[i].id; }

/* A list of staff / students / classes as one space-separated attribute value. */
static void put_ids(FILE *f, const char *attr, const int *v, int n, id_fn id, const pp_school *s)
{
    fprintf(f, " %s=\"", attr);
    for (int i = 0; i < n; i++) {
        if (i)
            fputc(' ', f);
        pp_xml_put_escaped(f, id(s, v[i]));
    }
    fputc('"', f);
}

static int cmp_unserved(const void *a, const void *b)
{
    const pp_unserved *x = a, *y = b;
    if (x->day != y->day)
        return x->day - y->day;
    if (x->period != y->period)
        return x->period - y->period;
    if (x->student != y->student)
        return x->student - y->student;
    return strcmp(x->reason, y->reason);
}

static void put_group(FILE *f, const pp_school *s, const pp_group *g, int number)
{
    fprintf(f, "  <group id=\"g%d\"", number);
    put_attr(f, "activity", s->activities[g->activity].id);
    put_attr(f, "day", pp_day_name(g->day));
    put_attr(f, "period", s->periods[g->period].id);
    if (g->venue >= 0)
        put_attr(f, "venue", s->venues[g->venue].id);
    put_attr(f, "format", pp_group_format_zh(s, g));
    put_ids(f, "staff", g->staff, g->nstaff, staff_id, s);
    put_ids(f, "classes", g->classes, g->nclasses, class_id, s);
    put_ids(f, "students", g->students, g->nstudents, student_id, s);
    fputs("/>\n", f);
}

static void put_unserved(FILE *f, const pp_school *s, const pp_unserved *u)
{
    fputs("  <unserved", f);
    put_attr(f, "student", s->students[u->student].id);
    put_attr(f, "day", pp_day_name(u->day));
    put_attr(f, "period", s->periods[u->period].id);
    put_attr(f, "reason", u->reason ? u->reason : "");
    fputs("/>\n", f);
}

int pp_ttxml_write(FILE *f, const pp_school *s, const pp_plan *p)
{
    /* sort copies: the caller's plan stays as it is (pp_plan_sort also orders the
     * copy's duty array, which lives inside the struct) */
    pp_plan copy = *p;
    pp_group *g = malloc((size_t)(p->ngroups + 1) * sizeof *g);
    pp_unserved *u = malloc((size_t)(p->nunserved + 1) * sizeof *u);
    if (!g || !u) {
        free(g);
        free(u);
        return -1;
    }
    if (p->ngroups)
        memcpy(g, p->groups, (size_t)p->ngroups * sizeof *g);
    if (p->nunserved)
        memcpy(u, p->unserved, (size_t)p->nunserved * sizeof *u);
    copy.groups = g;
    pp_plan_sort(&copy, s);
    qsort(u, (size_t)p->nunserved, sizeof *u, cmp_unserved);

    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<timetable xmlns=\"" TT_NS "\"", f);
    put_attr(f, "school", s->id);
    put_attr(f, "status", pp_status_name(p->stats.status));
    put_num(f, "objective", "%.4f", p->stats.objective);
    put_num(f, "bound", "%.4f", p->stats.bound);
    put_num(f, "gap", "%.6f", p->stats.gap);
    if (p->stats.school_digest[0])
        put_attr(f, "school-digest", p->stats.school_digest);
    /* no seconds: two solves of one school must give the same file (stats.txt has
     * the timings); a seconds attribute written by another tool is read */
    fputs(">\n", f);
    for (int i = 0; i < copy.ngroups; i++)
        put_group(f, s, &g[i], i + 1);
    for (int i = 0; i < p->nunserved; i++)
        put_unserved(f, s, &u[i]);
    for (int i = 0; i < copy.nduty; i++) {
        fputs("  <duty", f);
        put_attr(f, "day", pp_day_name(copy.duty[i].day));
        put_ids(f, "staff", copy.duty[i].staff, copy.duty[i].nstaff, staff_id, s);
        fputs("/>\n", f);
    }
    fputs("</timetable>\n", f);
    free(g);
    free(u);
    return ferror(f) ? -1 : 0;
}

/* ---------- reading: XML and schema --------------------------------------------- */

/* libxml2 2.12 made the error argument const. */
#if LIBXML_VERSION >= 21200
typedef const xmlError *xml_error_arg;
#else
typedef xmlErrorPtr xml_error_arg;
#endif

typedef struct {
    const pp_school *s;
    const char *path;
    pp_diags *d;
    int bad;         /* problems reported */
    int nxml;        /* libxml2 messages seen (capped: one broken tag can cause hundreds) */
    int refused;     /* a DOCTYPE stopped the parse */
    int *buf;        /* scratch for id lists */
    int cap;
    pp_ttxml_lenient *len; /* reading a published plan: unknown ids are left out (NULL: they are errors) */
    int *numbers, nnumbers, capnumbers; /* lenient: gN of each plan group */
} reader;

static const char *attr(xmlNodePtr n, const char *name)
{
    xmlAttrPtr a = xmlHasProp(n, (const xmlChar *)name);
    return a && a->children && a->children->content ? (const char *)a->children->content : NULL;
}

/* One problem at element n (NULL: the document), prefixed with the element and its
 * id so the user finds it even in a long line of attributes. */
static void problem(reader *r, xmlNodePtr n, long line, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void problem(reader *r, xmlNodePtr n, long line, const char *fmt, ...)
{
    char msg[1200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    const char *id = n ? attr(n, "id") : NULL;
    if (n && line <= 0)
        line = xmlGetLineNo(n);
    if (n && id)
        pp_diags_add(r->d, r->path, line, "<%s id=\"%.60s\">: %s", (const char *)n->name, id, msg);
    else if (n)
        pp_diags_add(r->d, r->path, line, "<%s>: %s", (const char *)n->name, msg);
    else
        pp_diags_add(r->d, r->path, line, "%s", msg);
    r->bad++;
}

/* libxml2 messages end in a newline and name elements as {namespace}name. */
static void clean_message(const char *in, char *out, size_t size)
{
    static const char ns[] = "{" TT_NS "}";
    size_t k = 0;
    while (*in && k + 1 < size) {
        if (!strncmp(in, ns, sizeof ns - 1)) {
            in += sizeof ns - 1;
            continue;
        }
        out[k++] = *in++;
    }
    while (k > 0 && (out[k - 1] == '\n' || out[k - 1] == ' ' || out[k - 1] == '.'))
        k--;
    out[k] = 0;
}

static void on_xml_error(void *ctx, xml_error_arg e)
{
    reader *r = ctx;
    if (e && (e->code == XML_ERR_NO_MEMORY || e->domain == XML_FROM_MEMORY))
        pp_diags_set_oom(r->d); /* libxml2 ran out of memory: not the file's fault */
    if (!e || e->level == XML_ERR_WARNING || e->code == XML_ERR_USER_STOP)
        return;
    if (r->refused && e->domain == XML_FROM_PARSER)
        return; /* the aftermath of stopping at the DOCTYPE says nothing new */
    if (++r->nxml > MAX_XML_MESSAGES)
        return;
    char msg[1000];
    clean_message(e->message ? e->message : "(no message)", msg, sizeof msg);
    xmlNodePtr n = e->node;
    if (n && n->type == XML_ATTRIBUTE_NODE)
        n = n->parent;
    if (e->domain == XML_FROM_SCHEMASV && n && n->type == XML_ELEMENT_NODE)
        problem(r, n, e->line, "%s; expected the structure of docs/FORMAT.md (Timetable)", msg);
    else if (e->domain == XML_FROM_PARSER)
        problem(r, NULL, e->line, "XML syntax error: %s; expected well-formed XML", msg);
    else
        problem(r, NULL, e->line, "%s", msg);
}

/* SAX hook at "<!DOCTYPE": stops before the internal subset (and so any entity
 * declaration) is read. */
static void on_doctype(void *ctx, const xmlChar *name, const xmlChar *ext, const xmlChar *sys)
{
    (void)ext;
    (void)sys;
    xmlParserCtxtPtr ctxt = ctx;
    reader *r = ctxt->_private;
    problem(r, NULL, ctxt->input ? ctxt->input->line : 0,
            "<!DOCTYPE %.60s>: document type declarations are refused; expected a plain <timetable> document",
            name ? (const char *)name : "");
    r->refused = 1;
    xmlStopParser(ctxt);
}

static xmlDocPtr parse_file(reader *r)
{
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (!ctxt) {
        problem(r, NULL, 0, "out of memory while parsing");
        return NULL;
    }
    ctxt->_private = r;
    ctxt->sax->internalSubset = on_doctype;
    /* the size and attribute limits of io/xsd.h first (hostile files end here);
     * then no NOENT (no substitution), no DTDLOAD, no HUGE: libxml2's default limits apply */
    char *text, why[512];
    size_t len;
    long crowded = 0;
    if (pp_xml_read_file(r->path, "timetable XML file", &text, &len, why, sizeof why))
        problem(r, NULL, 0, "%s", why);
    else if ((crowded = pp_xml_crowded_tag_line(text, len)) != 0)
        problem(r, NULL, crowded, "an element has more than %d attributes; expected the few attributes of docs/FORMAT.md",
                PP_XML_MAX_ATTRIBUTES);
    int opts = XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_NOCDATA;
    xmlDocPtr doc = text && !crowded ? xmlCtxtReadMemory(ctxt, text, (int)len, r->path, NULL, opts) : NULL;
    free(text);
    int ok = doc && ctxt->wellFormed && !r->refused && !doc->intSubset && !doc->extSubset;
    xmlFreeParserCtxt(ctxt);
    if (!ok) {
        if (r->bad == 0)
            problem(r, NULL, 0, "cannot read the file as XML; expected a timetable.xml written by paipian");
        xmlFreeDoc(doc);
        return NULL;
    }
    return doc;
}

static int validate(reader *r, xmlDocPtr doc)
{
    int rc = pp_xsd_validate(doc, timetable_xsd, sizeof timetable_xsd - 1, on_xml_error, r);
    if (rc < 0)
        problem(r, NULL, 0, "internal error: the embedded timetable schema could not be used; expected io/timetable.xsd to compile");
    else if (rc > 0 && r->bad == 0)
        problem(r, NULL, 0, "the document does not match the timetable schema; expected the structure of docs/FORMAT.md");
    if (r->nxml > MAX_XML_MESSAGES)
        problem(r, NULL, 0, "%d more XML problems not shown", r->nxml - MAX_XML_MESSAGES);
    return rc == 0 ? 0 : -1;
}

/* ---------- reading: meaning ------------------------------------------------------ */

typedef int (*find_fn)(const pp_school *, const char *);

static int push(reader *r, int k, int v)
{
    if (k == r->cap) {
        int cap = r->cap ? 2 * r->cap : 256;
        int *b = realloc(r->buf, (size_t)cap * sizeof *b);
        if (!b)
            return -1;
        r->buf = b;
        r->cap = cap;
    }
    r->buf[k] = v;
    return 0;
}

/* N of <group id="gN">; 0 for another element. */
static int group_number(xmlNodePtr n)
{
    const char *id = strcmp((const char *)n->name, "group") ? NULL : attr(n, "id");
    return id && id[0] == 'g' ? (int)strtol(id + 1, NULL, 10) : 0;
}

/* Lenient reading: tells the caller what was left out. */
static void drop(reader *r, xmlNodePtr n, const char *name, const char *id, int whole)
{
    if (!r->len->dropped)
        return;
    pp_ttxml_drop w = { xmlGetLineNo(n), group_number(n), (const char *)n->name, name, id, whole, NULL, NULL, -1,
                        NULL, 0 };
    r->len->dropped(r->len->ctx, &w);
}

/* Resolves the space-separated id list in attribute name into r->buf; returns the
 * count, or -1 after reporting every unknown id (lenient: leaves them out). */
static int ids(reader *r, xmlNodePtr n, const char *name, find_fn find, const char *expected)
{
    const char *v = attr(n, name);
    int k = 0, ok = 1;
    if (!v)
        return 0;
    char *copy = strdup(v);
    if (!copy) {
        problem(r, n, 0, "out of memory");
        return -1;
    }
    for (char *save = NULL, *tok = strtok_r(copy, " \t\r\n", &save); tok; tok = strtok_r(NULL, " \t\r\n", &save)) {
        int i = find(r->s, tok);
        if (i < 0 && r->len)
            drop(r, n, name, tok, 0);
        else if (i < 0) {
            problem(r, n, 0, "%s \"%.200s\" is not in school \"%s\"; expected %s", name, tok, r->s->id, expected);
            ok = 0;
        } else if (push(r, k++, i) < 0) {
            problem(r, n, 0, "out of memory");
            ok = 0;
            break;
        }
    }
    free(copy);
    return ok ? k : -1;
}

/* Resolves one required id; -1 after reporting. */
static int one(reader *r, xmlNodePtr n, const char *name, find_fn find, const char *expected)
{
    const char *v = attr(n, name);
    if (!v) {
        problem(r, n, 0, "no %s attribute; expected %s", name, expected);
        return -1;
    }
    int i = find(r->s, v);
    if (i < 0 && !r->len)
        problem(r, n, 0, "%s \"%.200s\" is not in school \"%s\"; expected %s", name, v, r->s->id, expected);
    return i;
}

static int day_of(reader *r, xmlNodePtr n)
{
    const char *v = attr(n, "day");
    int d = v ? pp_day_parse(v) : -1;
    if (d < 0)
        problem(r, n, 0, "day \"%.40s\" is not a day; expected Mon, Tue, Wed, Thu, Fri, Sat or Sun", v ? v : "");
    return d;
}

/* The classes attribute is derived from the students; a hand edit that changes one
 * and not the other is ambiguous, so it is reported rather than guessed at. */
static void check_classes(reader *r, xmlNodePtr n, const pp_group *g)
{
    int k = ids(r, n, "classes", pp_school_find_class, "the id of a <class>");
    if (k < 0 || !attr(n, "classes"))
        return;
    int same = k == g->nclasses;
    for (int i = 0; same && i < k; i++) {
        int found = 0;
        for (int j = 0; j < g->nclasses; j++)
            found |= g->classes[j] == r->buf[i];
        same = found;
    }
    if (!same)
        problem(r, n, 0, "classes \"%.200s\" are not the admin classes of the group's students; expected the classes "
                "the listed students belong to", attr(n, "classes"));
}

/* Lenient: a group whose activity or period is gone is left out whole, with its
 * students still in the school. */
static void drop_group(reader *r, xmlNodePtr n, int a, int d)
{
    int nstu = ids(r, n, "students", pp_school_find_student, "the id of a <student>");
    const char *what = a < 0 ? "activity" : "period";
    pp_ttxml_drop w = { xmlGetLineNo(n), group_number(n), "group", what, attr(n, what), 1, attr(n, "activity"),
                        attr(n, "period"), d, r->buf, nstu > 0 ? nstu : 0 };
    if (r->len->dropped)
        r->len->dropped(r->len->ctx, &w);
}

static int grow_numbers(reader *r, int need)
{
    if (need <= r->capnumbers)
        return 0;
    int cap = r->capnumbers ? 2 * r->capnumbers : 256;
    int *b = realloc(r->numbers, (size_t)cap * sizeof *b);
    if (!b)
        return -1;
    r->numbers = b;
    r->capnumbers = cap;
    return 0;
}

static void read_group(reader *r, xmlNodePtr n, pp_plan *p)
{
    int a = one(r, n, "activity", pp_school_find_activity, "the id of an <activity>");
    int per = one(r, n, "period", pp_school_find_period, "the id of a <period>");
    int v = attr(n, "venue") ? one(r, n, "venue", pp_school_find_venue, "the id of a <venue>") : -1;
    int d = day_of(r, n);
    if (r->len && d >= 0 && (a < 0 || per < 0)) {
        drop_group(r, n, a, d);
        return;
    }
    if (r->len && v < 0 && attr(n, "venue"))
        drop(r, n, "venue", attr(n, "venue"), 0);
    int nst = ids(r, n, "staff", pp_school_find_staff, "the id of a staff <member>");
    int *staff = malloc((size_t)(nst > 0 ? nst : 1) * sizeof *staff);
    if (!staff) {
        problem(r, n, 0, "out of memory");
        return;
    }
    if (nst > 0)
        memcpy(staff, r->buf, (size_t)nst * sizeof *staff);
    int nstu = ids(r, n, "students", pp_school_find_student, "the id of a <student>");
    if (a >= 0 && per >= 0 && d >= 0 && nst >= 0 && nstu >= 0 && (v >= 0 || !attr(n, "venue") || r->len)) {
        int gi = pp_plan_add_group(p, r->s, a, d, per, v, staff, nst, r->buf, nstu);
        if (gi < 0)
            problem(r, n, 0, "out of memory");
        else if (!r->len)
            check_classes(r, n, &p->groups[gi]);
        else if (grow_numbers(r, gi + 1))
            problem(r, n, 0, "out of memory");
        else
            r->numbers[gi] = group_number(n);
    }
    free(staff);
}

static void read_unserved(reader *r, xmlNodePtr n, pp_plan *p)
{
    int st = one(r, n, "student", pp_school_find_student, "the id of a <student>");
    int per = one(r, n, "period", pp_school_find_period, "the id of a <period>");
    int d = day_of(r, n);
    const char *why = attr(n, "reason");
    if (r->len && (st < 0 || per < 0)) {
        drop(r, n, st < 0 ? "student" : "period", attr(n, st < 0 ? "student" : "period"), 1);
        return;
    }
    if (st >= 0 && per >= 0 && d >= 0 && pp_plan_add_unserved(p, st, d, per, why ? why : "") < 0)
        problem(r, n, 0, "out of memory");
}

static void read_duty(reader *r, xmlNodePtr n, pp_plan *p, uint8_t *seen)
{
    int d = day_of(r, n);
    int k = ids(r, n, "staff", pp_school_find_staff, "the id of a staff <member>");
    if (d < 0 || k < 0)
        return;
    if (*seen & (1u << d)) {
        problem(r, n, 0, "a second <duty> for %s; expected one <duty> per day", pp_day_name(d));
        return;
    }
    *seen |= (uint8_t)(1u << d);
    if (pp_plan_set_duty(p, d, r->buf, k) < 0)
        problem(r, n, 0, "out of memory");
}

static void read_children(reader *r, xmlNodePtr root, pp_plan *p)
{
    uint8_t duty_days = 0;
    for (xmlNodePtr n = root->children; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        const char *name = (const char *)n->name;
        if (!strcmp(name, "group"))
            read_group(r, n, p);
        else if (!strcmp(name, "unserved"))
            read_unserved(r, n, p);
        else if (!strcmp(name, "duty"))
            read_duty(r, n, p, &duty_days);
        else /* the schema refuses these; kept so the walk never trusts it blindly */
            problem(r, n, 0, "unknown element; expected <group>, <unserved> or <duty>");
    }
}

static double num_attr(xmlNodePtr n, const char *name)
{
    const char *v = attr(n, name);
    return v ? strtod(v, NULL) : 0;
}

static void read_stats(xmlNodePtr root, pp_plan *p)
{
    const char *st = attr(root, "status");
    p->stats.status = PP_STATUS_NONE;
    for (int k = PP_STATUS_NONE; k <= PP_STATUS_PARTIAL; k++)
        if (st && !strcmp(st, pp_status_name((pp_status)k)))
            p->stats.status = (pp_status)k;
    p->stats.objective = num_attr(root, "objective");
    p->stats.bound = num_attr(root, "bound");
    p->stats.gap = num_attr(root, "gap");
    p->stats.seconds = num_attr(root, "seconds");
    const char *dg = attr(root, "school-digest");
    snprintf(p->stats.school_digest, sizeof p->stats.school_digest, "%s", dg && strlen(dg) == 16 ? dg : "");
}

/* Reads the tree of a valid document; NULL after reporting. */
static pp_plan *read_tree(reader *r, xmlDocPtr doc)
{
    xmlNodePtr root = xmlDocGetRootElement(doc);
    if (!root || strcmp((const char *)root->name, "timetable") != 0 || !root->ns ||
        strcmp((const char *)root->ns->href, TT_NS) != 0) {
        problem(r, NULL, root ? xmlGetLineNo(root) : 0, "not a timetable; expected <timetable xmlns=\"" TT_NS "\">");
        return NULL;
    }
    const char *school = attr(root, "school");
    if (!school || strcmp(school, r->s->id) != 0) {
        problem(r, root, 0, "made for school \"%.200s\", not \"%s\"; expected the school it was solved for",
                school ? school : "", r->s->id);
        return NULL;
    }
    pp_plan *p = pp_plan_new();
    if (!p) {
        problem(r, NULL, 0, "out of memory");
        return NULL;
    }
    read_children(r, root, p);
    read_stats(root, p);
    return p;
}

static pp_plan *read_file(const char *path, const pp_school *s, pp_ttxml_lenient *len, pp_diags *d)
{
    reader r = { s, path, d, 0, 0, 0, NULL, 0, len, NULL, 0, 0 };
    xmlInitParser();
    /* errors raised without a parser context (I/O, encoding) go to the thread's
     * global handler: borrow it for this call and give it back */
    xmlStructuredErrorFunc saved_fn = xmlStructuredError;
    void *saved_ctx = xmlStructuredErrorContext;
    xmlSetStructuredErrorFunc(&r, on_xml_error);

    pp_plan *p = NULL;
    xmlDocPtr doc = parse_file(&r);
    if (doc && validate(&r, doc) == 0)
        p = read_tree(&r, doc);
    xmlFreeDoc(doc);
    xmlSetStructuredErrorFunc(saved_ctx, saved_fn);
    free(r.buf);
    if (!r.bad && len && !r.numbers && grow_numbers(&r, 1)) {
        pp_diags_add(d, path, 0, "out of memory");
        r.bad++;
    }
    if (r.bad) {
        free(r.numbers);
        pp_plan_free(p);
        return NULL;
    }
    if (len)
        len->numbers = r.numbers;
    return p;
}

pp_plan *pp_ttxml_read(const char *path, const pp_school *s, pp_diags *d)
{
    return read_file(path, s, NULL, d);
}

pp_plan *pp_ttxml_read_published(const char *path, const pp_school *s, pp_ttxml_lenient *opt, pp_diags *d)
{
    opt->numbers = NULL;
    return read_file(path, s, opt, d);
}
