/* scenario_xml.c - scenario and manifest loader: libxml2 parse (no network, no
 * DTD, DOCTYPE refused), XSD validation against the embedded io/scenario.xsd,
 * then a walk that fills pp_scenario / pp_manifest.  The walk trusts the schema
 * for shape and lexical form and checks what it cannot: remove-staff with both or
 * neither of count and fraction, duplicate scenario ids, files that cannot be read. */
#include "xsd.h"
#include "io/scenario_xml.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#define NS_DISTRICT "urn:paipian:district:1"
#define MAX_XML_MESSAGES 50

/* Generated from io/scenario.xsd by the Makefile (build/gen/scenario_xsd.c). */
extern const unsigned char pp_scenario_xsd_bytes[];
extern const unsigned long pp_scenario_xsd_size;

const char *pp_scenario_xsd(size_t *len)
{
    if (len)
        *len = (size_t)pp_scenario_xsd_size;
    return (const char *)pp_scenario_xsd_bytes;
}

typedef struct {
    pp_diags *d;
    const char *file;
    int nerr, nxml, refused;
} sink;

static void report(sink *k, long line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void report(sink *k, long line, const char *fmt, ...)
{
    char body[1200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(body, sizeof body, fmt, ap);
    va_end(ap);
    pp_diags_add(k->d, k->file, line, "%s", body);
    k->nerr++;
}

static const char *attr_value(xmlNodePtr n, const char *name);
static int is_el(xmlNodePtr n, const char *name);

/* What a valid value of an attribute looks like, for schema messages. */
static const char *attr_hint(const char *name)
{
    static const struct { const char *name, *hint; } h[] = {
        { "type", "for staff one of teacher, retired, external, volunteer; for venues a word such as field" },
        { "count", "a whole number from 1 to 1000" },
        { "capacity", "a whole number from 1 to 1000" },
        { "max-sessions", "a whole number from 1 to 1000" },
        { "max-minutes", "a whole number from 1 to 1000" },
        { "group-max", "a whole number from 1 to 1000" },
        { "class-merge-threshold", "a whole number from 1 to 1000" },
        { "qa-min", "a whole number from 1 to 1000" },
        { "course-min", "a whole number from 1 to 1000" },
        { "fraction", "a decimal from 0 to 1, such as 0.3 for 30%" },
        { "factor", "a decimal from 0 to 1: the share of staff kept, such as 0.7" },
        { "rate", "yuan per hour, a decimal number >= 0" },
        { "days", "space-separated days among Mon Tue Wed Thu Fri Sat Sun" },
        { "periods", "space-separated period ids or kinds (morning, noon, after-school, late, evening)" },
        { "specialities", "space-separated words, or * for every speciality the school's activities ask for" },
        { "speciality", "a word without spaces, such as football" },
        { "adjacent-grade-merge", "true or false" },
        { "id", "an id of letters, digits, '-', '_' and '.'" },
        { "file", "a path to a file, relative to the manifest" },
    };
    for (size_t i = 0; i < sizeof h / sizeof *h; i++)
        if (strcmp(h[i].name, name) == 0)
            return h[i].hint;
    return "a whole number";
}

/* libxml2 schema messages name elements as "{urn:...}name" and end with a dot;
 * this keeps "<name>: what; expected ..." in the words of the file. */
static void on_xml_error(void *ctx, xmlErrorPtr e)
{
    sink *k = ctx;
    if (e && (e->code == XML_ERR_NO_MEMORY || e->domain == XML_FROM_MEMORY))
        pp_diags_set_oom(k->d); /* libxml2 ran out of memory: not the file's fault */
    if (!e || e->level == XML_ERR_WARNING || (k->refused && e->domain == XML_FROM_PARSER) || ++k->nxml > MAX_XML_MESSAGES)
        return;
    char msg[1000];
    snprintf(msg, sizeof msg, "%s", e->message ? e->message : "(no message)");
    for (char *p; (p = strstr(msg, "{" NS_DISTRICT "}")) != NULL;)
        memmove(p, p + strlen("{" NS_DISTRICT "}"), strlen(p + strlen("{" NS_DISTRICT "}")) + 1);
    size_t n = strlen(msg);
    while (n && (msg[n - 1] == '\n' || msg[n - 1] == '.' || msg[n - 1] == ' '))
        msg[--n] = '\0';
    xmlNodePtr node = e->node;
    if (node && node->type == XML_ATTRIBUTE_NODE)
        node = node->parent;
    if (e->domain == XML_FROM_SCHEMASV && node && node->type == XML_ELEMENT_NODE) {
        const char *el = (const char *)node->name, *rest = msg;
        if (strncmp(rest, "Element '", 9) == 0 && (rest = strchr(rest + 9, '\'')) != NULL)
            rest += strspn(rest + 1, ",: ") + 1;
        else
            rest = msg;
        char aname[64], val[200];
        if (sscanf(rest, "attribute '%63[^']'", aname) == 1) {
            const char *v = attr_value(node, aname);
            if (strstr(rest, "is not allowed"))
                report(k, e->line, "<%s>: attribute %s is not allowed; expected only the attributes listed in docs/DISTRICT.md", el, aname);
            else
                report(k, e->line, "<%s>: %s=\"%.100s\" is not valid; expected %s", el, aname, v ? v : "", attr_hint(aname));
        } else if (sscanf(rest, "The attribute '%63[^']' is required", aname) == 1)
            report(k, e->line, "<%s>: attribute %s is missing; expected %s=\"...\" (%s)", el, aname, aname, attr_hint(aname));
        else if (strstr(rest, "No matching global declaration"))
            report(k, e->line, "<%s>: not a district file; expected the root element <scenario xmlns=\"" NS_DISTRICT
                   "\"> or <district xmlns=\"" NS_DISTRICT "\">", el);
        else if (strstr(rest, "This element is not expected"))
            report(k, e->line, "<%s>: this element is not expected here; expected %s", el,
                   node->parent && is_el(node->parent, "district")
                       ? "<school file=\"...\"> elements, then <scenario file=\"...\"> elements"
                       : "changes among <add-staff>, <remove-staff>, <availability>, <add-venues>, <policy>, <season>");
        else if (sscanf(rest, "%199[^;]", val) == 1)
            report(k, e->line, "<%s>: %s; expected the structure of docs/DISTRICT.md", el, val);
    } else if (e->domain == XML_FROM_PARSER || e->domain == XML_FROM_IO || e->domain == XML_FROM_I18N)
        report(k, e->line, "XML syntax error: %s; expected well-formed UTF-8 XML", msg);
    else
        report(k, e->line, "%s", msg);
}

static void on_doctype(void *ctx, const xmlChar *name, const xmlChar *ext, const xmlChar *sys)
{
    (void)name;
    (void)ext;
    (void)sys;
    xmlParserCtxtPtr ctxt = ctx;
    sink *k = ctxt->_private;
    report(k, ctxt->input ? ctxt->input->line : 0,
           "<!DOCTYPE>: document type declarations are refused; expected a plain document without a DOCTYPE");
    k->refused = 1;
    xmlStopParser(ctxt);
}

/* Parses and validates path; returns the document or NULL with problems in k. */
static xmlDocPtr read_document(const char *path, sink *k)
{
    char why[700], *text;
    size_t len;
    if (pp_xml_read_file(path, "XML file", &text, &len, why, sizeof why)) { /* bounded; a FIFO or a device is refused */
        report(k, 0, "%s", why);
        return NULL;
    }
    xmlParserCtxtPtr ctxt = len <= 0x7fffffff ? xmlNewParserCtxt() : NULL;
    if (!ctxt) {
        free(text);
        report(k, 0, "out of memory while parsing");
        return NULL;
    }
    ctxt->_private = k;
    ctxt->sax->internalSubset = on_doctype;
    xmlStructuredErrorFunc saved_fn = xmlStructuredError; /* restored below, as the school loader does */
    void *saved_ctx = xmlStructuredErrorContext;
    xmlSetStructuredErrorFunc(k, on_xml_error);
    xmlDocPtr doc = xmlCtxtReadMemory(ctxt, text, (int)len, path, NULL, XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_NOCDATA);
    free(text);
    int ok = doc && ctxt->wellFormed && !k->refused && !doc->intSubset && !doc->extSubset;
    xmlFreeParserCtxt(ctxt);
    if (ok) {
        size_t len;
        const char *xsd = pp_scenario_xsd(&len);
        int rc = pp_xsd_validate(doc, xsd, len, on_xml_error, k);
        if (rc < 0)
            report(k, 0, "internal error: the embedded district schema could not be used; expected io/scenario.xsd to compile");
        else if (rc > 0 && k->nerr == 0)
            report(k, 0, "the document does not match the district schema; expected the structure of docs/DISTRICT.md");
        ok = rc == 0;
    } else if (k->nerr == 0)
        report(k, 0, "the file is not well-formed XML; expected a <scenario> or <district> document");
    xmlSetStructuredErrorFunc(saved_ctx, saved_fn);
    if (!ok) {
        xmlFreeDoc(doc);
        return NULL;
    }
    return doc;
}

static const char *attr_value(xmlNodePtr n, const char *name)
{
    xmlAttrPtr a = xmlHasProp(n, (const xmlChar *)name);
    if (!a)
        return NULL;
    return a->children && a->children->content ? (const char *)a->children->content : "";
}

static const char *attr(xmlNodePtr n, const char *name)
{
    return attr_value(n, name);
}

static int is_el(xmlNodePtr n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && (!name || strcmp((const char *)n->name, name) == 0);
}

/* Space-separated words of v into an arena array; *n receives the count. */
static char **words(pp_arena *a, const char *v, int *n)
{
    *n = 0;
    if (!v)
        return NULL;
    int cap = 0; /* tokens: starts of runs of non-blanks */
    for (const char *p = v; *p; p++)
        cap += !strchr(" \t\r\n", *p) && (p == v || strchr(" \t\r\n", p[-1]));
    char **w = pp_arena_alloc(a, (size_t)(cap + 1) * sizeof *w);
    char *copy = pp_arena_strdup(a, v);
    if (!w || !copy)
        return NULL;
    char *save = NULL;
    for (char *t = strtok_r(copy, " \t\r\n", &save); t; t = strtok_r(NULL, " \t\r\n", &save))
        w[(*n)++] = t;
    return w;
}

static uint8_t days_of(const char *v)
{
    uint8_t m = 0;
    if (!v)
        return 0;
    char buf[200];
    snprintf(buf, sizeof buf, "%s", v);
    char *save = NULL;
    for (char *t = strtok_r(buf, " \t\r\n", &save); t; t = strtok_r(NULL, " \t\r\n", &save)) {
        int d = pp_day_parse(t);
        if (d >= 0)
            m |= (uint8_t)(1u << d);
    }
    return m;
}

static int int_attr(xmlNodePtr n, const char *name, int dflt)
{
    const char *v = attr(n, name);
    return v ? atoi(v) : dflt;
}

static int bool_attr(xmlNodePtr n, const char *name)
{
    const char *v = attr(n, name);
    return v ? (strcmp(v, "true") == 0 || strcmp(v, "1") == 0) : -1;
}

static int staff_type_of(const char *v)
{
    for (int t = 0; v && t < PP_STAFF_TYPES; t++)
        if (strcmp(v, pp_staff_type_name((pp_staff_type)t)) == 0)
            return t;
    return -1;
}

/* Fills one change from its element; returns -1 when out of memory. */
static int read_change(pp_scenario *sc, xmlNodePtr c, sink *k)
{
    static const char *const kinds[] = { "add-staff", "remove-staff", "availability", "add-venues", "policy", "season" };
    int kind = -1;
    for (int i = 0; i < (int)(sizeof kinds / sizeof *kinds); i++)
        if (strcmp((const char *)c->name, kinds[i]) == 0)
            kind = i;
    long line = xmlGetLineNo(c);
    pp_change *ch = pp_scenario_add(sc, (pp_change_kind)kind, line);
    if (!ch)
        return -1;
    pp_arena *a = sc->arena;
    ch->staff_type = staff_type_of(attr(c, "type"));
    const char *sp = attr(c, kind == PP_CHANGE_ADD_VENUES ? "type" : "speciality");
    if (sp && !(ch->speciality = pp_arena_strdup(a, sp)))
        return -1;
    if (attr(c, "specialities") && !(ch->specialities = words(a, attr(c, "specialities"), &ch->nspecialities)))
        return -1;
    if (attr(c, "periods") && !(ch->periods = words(a, attr(c, "periods"), &ch->nperiods)))
        return -1;
    ch->days = days_of(attr(c, "days"));
    ch->count = int_attr(c, "count", 0);
    ch->max_sessions = int_attr(c, "max-sessions", 0);
    ch->max_minutes = int_attr(c, "max-minutes", 0);
    ch->capacity = int_attr(c, "capacity", 0);
    ch->rate = attr(c, "rate") ? strtod(attr(c, "rate"), NULL) : 0;
    const char *fr = attr(c, kind == PP_CHANGE_AVAILABILITY ? "factor" : "fraction");
    if (fr)
        ch->fraction = strtod(fr, NULL);
    if (kind == PP_CHANGE_REMOVE_STAFF && !attr(c, "count") == !fr)
        report(k, line, "<remove-staff>: %s; expected exactly one of count=\"N\" or fraction=\"0.1\"",
               fr ? "both count and fraction are given" : "neither count nor fraction is given");
    if (kind == PP_CHANGE_POLICY)
        ch->policy = (pp_policy_change){ int_attr(c, "group-max", -1),
                                         int_attr(c, "class-merge-threshold", -1),
                                         int_attr(c, "qa-min", -1),
                                         int_attr(c, "course-min", -1),
                                         int_attr(c, "duty-leaders-per-day", -1),
                                         int_attr(c, "max-activities-per-student", -1),
                                         bool_attr(c, "adjacent-grade-merge") };
    if (kind == PP_CHANGE_SEASON && !(ch->season = pp_arena_strdup(a, attr(c, "id"))))
        return -1;
    return 0;
}

pp_scenario *pp_scenario_load(const char *path, pp_diags *d)
{
    sink k = { d, path, 0, 0, 0 };
    xmlDocPtr doc = read_document(path, &k);
    if (!doc)
        return NULL;
    xmlNodePtr root = xmlDocGetRootElement(doc);
    pp_scenario *sc = NULL;
    if (!is_el(root, "scenario"))
        report(&k, xmlGetLineNo(root), "<%s>: not a scenario file; expected the root element <scenario xmlns=\"" NS_DISTRICT "\">",
               (const char *)root->name);
    else if (!(sc = pp_scenario_new(attr(root, "id"), attr(root, "name"))) || !(sc->source = pp_arena_strdup(sc->arena, path)))
        report(&k, 0, "out of memory");
    for (xmlNodePtr c = root && sc ? root->children : NULL; c; c = c->next)
        if (is_el(c, NULL) && read_change(sc, c, &k)) {
            report(&k, 0, "out of memory");
            break;
        }
    xmlFreeDoc(doc);
    if (k.nerr) {
        pp_scenario_free(sc);
        return NULL;
    }
    return sc;
}

void pp_manifest_free(pp_manifest *m)
{
    if (!m)
        return;
    for (int i = 0; i < m->nscenarios; i++)
        pp_scenario_free(m->scenarios[i]);
    for (int i = 0; i < m->nschools; i++)
        free(m->schools[i]);
    free(m->schools);
    free(m->scenarios);
    free(m->name);
    free(m);
}

/* path relative to the folder of the file base, unless absolute. */
static char *relative_to(const char *base, const char *path)
{
    const char *slash = strrchr(base, '/');
    size_t dl = path[0] == '/' || !slash ? 0 : (size_t)(slash - base) + 1;
    char *r = malloc(dl + strlen(path) + 1);
    if (r) {
        memcpy(r, base, dl);
        memcpy(r + dl, path, strlen(path) + 1);
    }
    return r;
}

pp_manifest *pp_manifest_load(const char *path, pp_diags *d)
{
    sink k = { d, path, 0, 0, 0 };
    xmlDocPtr doc = read_document(path, &k);
    if (!doc)
        return NULL;
    xmlNodePtr root = xmlDocGetRootElement(doc);
    pp_manifest *m = calloc(1, sizeof *m);
    int n = 0;
    for (xmlNodePtr c = root->children; c; c = c->next)
        n += is_el(c, NULL);
    if (!is_el(root, "district")) {
        report(&k, xmlGetLineNo(root), "<%s>: not a manifest; expected the root element <district xmlns=\"" NS_DISTRICT "\">",
               (const char *)root->name);
        n = 0;
    }
    if (!m || !(m->schools = calloc((size_t)n + 1, sizeof *m->schools)) ||
        !(m->scenarios = calloc((size_t)n + 2, sizeof *m->scenarios)) ||
        !(m->name = strdup(attr(root, "name") ? attr(root, "name") : path))) {
        report(&k, 0, "out of memory");
        n = 0;
    }
    long *lines = calloc((size_t)n + 2, sizeof *lines);
    /* baseline first, unless the manifest lists a scenario with that id (then it is used as given) */
    if (m && m->scenarios && n > 0 && !(m->scenarios[m->nscenarios++] = pp_scenario_new("baseline", "基线（不变）")))
        report(&k, 0, "out of memory");
    for (xmlNodePtr c = n > 0 ? root->children : NULL; c; c = c->next) {
        if (!is_el(c, NULL))
            continue;
        char *file = relative_to(path, attr(c, "file"));
        if (!file) {
            report(&k, 0, "out of memory");
            break;
        }
        if (is_el(c, "school")) {
            m->schools[m->nschools++] = file;
            continue;
        }
        pp_scenario *sc = pp_scenario_load(file, d);
        free(file);
        if (!sc) {
            k.nerr++;
            continue;
        }
        int dup = -1;
        for (int i = 0; i < m->nscenarios; i++)
            if (strcmp(m->scenarios[i]->id, sc->id) == 0)
                dup = i;
        if (dup == 0 && strcmp(sc->id, "baseline") == 0 && lines[0] == 0) {
            pp_scenario_free(m->scenarios[0]); /* the manifest's own baseline replaces the built-in one */
            m->scenarios[0] = sc;
            lines[0] = xmlGetLineNo(c);
        } else if (dup >= 0) {
            report(&k, xmlGetLineNo(c), "<scenario file=\"%s\">: scenario id \"%s\" is already used%s%ld; expected a unique id per scenario",
                   attr(c, "file"), sc->id, lines[dup] ? " at line " : " by the built-in baseline", lines[dup]);
            pp_scenario_free(sc);
        } else {
            lines[m->nscenarios] = xmlGetLineNo(c);
            m->scenarios[m->nscenarios++] = sc;
        }
    }
    free(lines);
    xmlFreeDoc(doc);
    if (k.nerr) {
        pp_manifest_free(m);
        return NULL;
    }
    return m;
}
