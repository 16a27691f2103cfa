/* school_xml.c - the school loader: libxml2 parse, XSD validation, then a tree
 * walk that fills a pp_school.
 *
 * The tree walk trusts the schema for shape and lexical form (every attribute it
 * reads exists when required, numbers are xs:int, enumerations are spelled right),
 * so it only checks what the schema cannot: references between ids, duplicates the
 * model does not check, and dates that are lexically valid but out of range.
 * Sections are processed in dependency order rather than document order (grades
 * before periods, activities before the periods' care), so every reference is
 * resolved in one walk; lookups over the long lists go through sorted indexes so
 * a 6,000-student file stays linear-logarithmic. */
#include "xsd.h"
#include "io/school_xml.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlschemas.h>

#define NS_SCHOOL "urn:paipian:school:1"
/* A file with thousands of bad rows would bury the first, most useful messages. */
#define MAX_XML_MESSAGES 100

/* Generated from io/school.xsd by the Makefile (build/gen/school_xsd.c). */
extern const unsigned char pp_school_xsd_bytes[];
extern const unsigned long pp_school_xsd_size;

const char *pp_xml_school_xsd(size_t *len)
{
    if (len)
        *len = (size_t)pp_school_xsd_size;
    return (const char *)pp_school_xsd_bytes;
}

/* ---- messages ------------------------------------------------------------ */

/* Where libxml2's callbacks put their problems while one document is read. */
typedef struct {
    pp_diags *d;
    const char *file;
    int nerr;        /* problems reported, by libxml2 or by the loader */
    int nxml;        /* libxml2 messages seen (reported or dropped past the cap) */
    int refused;     /* a DOCTYPE was seen and parsing stopped */
    int over_limit;  /* libxml2 hit one of its size or depth limits: what follows is its aftermath */
    /* libxml2 reports a bad list item twice (the item, then the list): the
     * attribute last reported, to say it once */
    const void *last_node;
    char last_attr[128];
} sink;

static void trim_copy(char *dst, size_t size, const char *src)
{
    while (*src == ' ' || *src == '\t' || *src == '\n' || *src == '\r')
        src++;
    size_t n = strlen(src);
    while (n > 0 && (src[n - 1] == ' ' || src[n - 1] == '\t' || src[n - 1] == '\n' || src[n - 1] == '\r'))
        n--;
    if (n >= size)
        n = size - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

/* Value of attribute name of element n without copying; NULL when absent.  The
 * parser stores an attribute as one text node because no entity other than the
 * predefined ones can exist (DOCTYPEs are refused). */
static const char *attr(xmlNodePtr n, const char *name)
{
    xmlAttrPtr a = xmlHasProp(n, (const xmlChar *)name);
    if (!a)
        return NULL;
    if (a->children && a->children->type == XML_TEXT_NODE && a->children->content)
        return (const char *)a->children->content;
    return "";
}

/* The element as the user sees it in the file: <student id="s7">, and for an
 * element without an id, its parent's id first: <period id="noon"><window season="summer">. */
static void node_label(xmlNodePtr n, char *buf, size_t size)
{
    static const char *const keys[] = { "id", "level", "season", "kind", "staff-type" };
    char own[320] = "", parent[320] = "";
    if (!n || n->type != XML_ELEMENT_NODE) {
        snprintf(buf, size, "<?xml?>");
        return;
    }
    for (int pass = 0; pass < 2; pass++) {
        xmlNodePtr e = pass == 0 ? n : n->parent;
        char *out = pass == 0 ? own : parent;
        if (!e || e->type != XML_ELEMENT_NODE)
            continue;
        const char *key = NULL, *val = NULL;
        for (size_t k = 0; k < sizeof keys / sizeof *keys && !val; k++)
            if ((val = attr(e, keys[k])) != NULL)
                key = keys[k];
        if (pass == 1 && (!key || strcmp(key, "id") != 0))
            continue; /* a parent only helps when it has an id */
        if (val)
            snprintf(out, 320, "<%s %s=\"%.80s\">", (const char *)e->name, key, val);
        else
            snprintf(out, 320, "<%s>", (const char *)e->name);
    }
    if (strstr(own, " id=\""))
        parent[0] = '\0';
    snprintf(buf, size, "%s%s", parent, own);
}

/* Adds "file:line: <element ...>: message" and counts it. */
static void report(sink *k, xmlNodePtr n, long line, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void report(sink *k, xmlNodePtr n, long line, const char *fmt, ...)
{
    char label[700], body[900];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(body, sizeof body, fmt, ap);
    va_end(ap);
    if (n) {
        node_label(n, label, sizeof label);
        if (line <= 0)
            line = xmlGetLineNo(n);
        pp_diags_add(k->d, k->file, line, "%s: %s", label, body);
    } else
        pp_diags_add(k->d, k->file, line, "%s", body);
    k->nerr++;
}

/* What a valid value of an attribute looks like, for schema messages. */
static const char *attr_hint(const char *elem, const char *name)
{
    static const struct { const char *elem, *name, *hint; } h[] = {
        { "window", "start", "a time of day HH:MM from 00:00 to 24:00 (the full-width colon \xef\xbc\x9a is accepted)" },
        { "window", "end", "a time of day HH:MM from 00:00 to 24:00 (the full-width colon \xef\xbc\x9a is accepted)" },
        { "season", "start", "a date YYYY-MM-DD" },
        { "season", "end", "a date YYYY-MM-DD" },
        { "period", "kind", "one of morning, noon, after-school, late, evening" },
        { "member", "type", "one of teacher, retired, external, volunteer" },
        { "venue", "type", "a word without spaces, such as classroom or field" },
        { NULL, "kind", "one of care, homework, reading, club, course" },
        { NULL, "staff-type", "one of teacher, retired, external, volunteer" },
        { NULL, "tier", "one of class, grade, school" },
        { NULL, "days", "space-separated days among Mon Tue Wed Thu Fri Sat Sun" },
        { NULL, "periods", "space-separated <period> ids" },
        { NULL, "choices", "space-separated <activity> ids, best first" },
        { NULL, "priority", "space-separated tokens among disabled, left-behind, migrant, low-income" },
        { NULL, "specialities", "space-separated words" },
        { NULL, "level", "a grade level from 1 to 12" },
        { NULL, "grade", "a grade level from 1 to 12" },
        { NULL, "grades", "space-separated grade levels from 1 to 12" },
        { NULL, "venue-type", "a word without spaces, such as field" },
        { NULL, "speciality", "a word without spaces, such as football" },
        { NULL, "duty-leader", "true or false" },
        { NULL, "adjacent-grade-merge", "true or false" },
        { NULL, "rank", "1 to 8 space-separated numbers >= 0" },
        { NULL, "name", "text of at most 1000 characters" },
        { NULL, "category", "text of at most 1000 characters" },
        { NULL, "provider", "text of at most 1000 characters" },
        { NULL, "value", "a decimal number >= 0" },
        { NULL, "per-hour", "a decimal number >= 0" },
        { NULL, "fee", "a decimal number >= 0" },
        { NULL, "fee-per-session", "a decimal number >= 0" },
        { NULL, "rate", "a decimal number >= 0" },
        { NULL, "unserved", "a decimal number >= 0" },
        { NULL, "unserved-priority", "a decimal number >= 0" },
        { NULL, "no-choice", "a decimal number >= 0" },
        { NULL, "group", "a decimal number >= 0" },
        { NULL, "cross-grade", "a decimal number >= 0" },
        { NULL, "external-hour", "a decimal number >= 0" },
        { NULL, "max-load", "a decimal number >= 0" },
        { NULL, "priority-choice-factor", "a decimal number >= 0" },
        { NULL, "moved", "a decimal number >= 0" },
        { NULL, "group-changed", "a decimal number >= 0" },
        { NULL, "staff-changed", "a decimal number >= 0" },
        { NULL, "id", "an id of letters, digits, '-', '_' and '.'" },
        { NULL, "care", "the id of a care, homework or reading <activity>" },
        { NULL, "class", "the id of a <class>" },
        { NULL, "room", "the id of a <venue>" },
        { NULL, "season", "the id of a <season>" },
    };
    for (size_t i = 0; i < sizeof h / sizeof *h; i++)
        if ((!h[i].elem || (elem && strcmp(h[i].elem, elem) == 0)) && strcmp(h[i].name, name) == 0)
            return h[i].hint;
    return "a whole number"; /* every other attribute is a count */
}

static void str_remove_all(char *s, const char *what)
{
    size_t n = strlen(what);
    char *p;
    while ((p = strstr(s, what)) != NULL)
        memmove(p, p + n, strlen(p + n) + 1);
}

/* The useful part of libxml2's detail on a bad attribute value, or "" when the
 * hint says it better (patterns are unreadable; "not a valid value of the type"
 * repeats the hint). */
static void value_detail(const char *detail, char *out, size_t size)
{
    char val[256];
    const char *the_value = strstr(detail, "The value");
    out[0] = '\0';
    /* the value itself may spell "[facet 'enumeration']" and lack "The value" */
    if (strstr(detail, "[facet 'enumeration']") && the_value && sscanf(the_value, "The value '%255[^']'", val) == 1)
        snprintf(out, size, " ('%s' is not allowed)", val);

    else if (strncmp(detail, "[facet '", 8) == 0 && !strstr(detail, "[facet 'pattern']")) {
        const char *q = strstr(detail, "] ");
        snprintf(out, size, " (%.300s)", q ? q + 2 : detail);
    }
}

/* The number of UTF-8 characters in s (what an XSD maxLength counts). */
static size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* The length in bytes of the first max characters of s (at most max bytes
 * more than a whole character would take), never cutting one. */
static int utf8_prefix(const char *s, size_t max)
{
    size_t i = 0, chars = 0;
    while (s[i] && chars < max) {
        i++;
        while (((unsigned char)s[i] & 0xC0) == 0x80)
            i++;
        chars++;
    }
    return (int)i;
}

/* Rewrites one libxml2 schema message into "what is wrong; expected ...";
 * aname receives the attribute it is about ("" for the element). */
static void schema_message(xmlNodePtr n, const char *raw, char *out, size_t size, char aname[128])
{
    char msg[1200];
    trim_copy(msg, sizeof msg, raw);
    str_remove_all(msg, "{" NS_SCHOOL "}");
    size_t len = strlen(msg);
    if (len && msg[len - 1] == '.')
        msg[--len] = '\0';
    const char *rest = msg;
    if (strncmp(rest, "Element '", 9) == 0) {
        const char *q = strchr(rest + 9, '\'');
        if (q)
            rest = q + 1;
        if (*rest == ',' || *rest == ':')
            rest++;
        while (*rest == ' ')
            rest++;
    }
    const char *elem = n && n->type == XML_ELEMENT_NODE ? (const char *)n->name : NULL;
    aname[0] = '\0';
    if (sscanf(rest, "attribute '%127[^']'", aname) == 1 && strstr(rest, "' is not allowed")) {
        snprintf(out, size, "attribute %s is not allowed; expected only the attributes listed in docs/FORMAT.md", aname);
        return;
    }
    if (sscanf(rest, "attribute '%127[^']'", aname) == 1) {
        const char *val = n && n->type == XML_ELEMENT_NODE ? attr(n, aname) : NULL;
        if (val && strstr(raw, "[facet 'maxLength']") && utf8_chars(val) > 1000) {
            /* the value may be megabytes long: msg holds only its start */
            snprintf(out, size, "%s=\"%.*s...\" is %zu characters long; expected %s", aname, utf8_prefix(val, 60), val,
                     utf8_chars(val), attr_hint(elem, aname));
            return;
        }
        const char *colon = strchr(rest, ':');
        char detail[400];
        value_detail(colon ? colon + 2 : rest, detail, sizeof detail);
        snprintf(out, size, "%s=\"%.*s%s\" is not valid%s; expected %s", aname, val ? utf8_prefix(val, 200) : 0,
                 val ? val : "", val && utf8_chars(val) > 200 ? "..." : "", detail, attr_hint(elem, aname));
        return;
    }
    if (sscanf(rest, "The attribute '%127[^']' is required but missing", aname) == 1) {
        snprintf(out, size, "attribute %s is missing; expected %s=\"...\" (%s)", aname, aname, attr_hint(elem, aname));
        return;
    }
    if (sscanf(rest, "The attribute '%127[^']' is not allowed", aname) == 1) {
        snprintf(out, size, "attribute %s is not allowed; expected only the attributes listed in docs/FORMAT.md", aname);
        return;
    }
    aname[0] = '\0';
    if (strstr(rest, "No matching global declaration")) {
        snprintf(out, size, "not a school file; expected the root element <school xmlns=\"" NS_SCHOOL "\">");
        return;
    }
    char *ex = strstr(msg, ". Expected is ");
    if (ex) {
        *ex = '\0';
        snprintf(out, size, "%s; expected %s", rest, ex + 14);
    } else
        snprintf(out, size, "%s; expected the structure of docs/FORMAT.md", rest);
    if (out[0] >= 'A' && out[0] <= 'Z' && out[1] >= 'a' && out[1] <= 'z')
        out[0] = (char)(out[0] - 'A' + 'a');
}

/* libxml2 parser messages mention its own options; say what the user can fix. */
static void parser_message(const char *raw, char *out, size_t size)
{
    char msg[1200];
    trim_copy(msg, sizeof msg, raw);
    for (char *c = msg; *c; c++)
        if (*c == '\n' || *c == '\r')
            *c = ' ';
    if (strstr(msg, "Excessive depth"))
        snprintf(out, size, "elements are nested more than 256 levels deep; expected the shallow structure of docs/FORMAT.md");
    else if (strstr(msg, "AttValue length too long"))
        snprintf(out, size, "an attribute value is longer than 10,000,000 bytes; expected the short values of docs/FORMAT.md");
    else if (strstr(msg, "huge text node") || strstr(msg, "Huge input lookup") || strstr(msg, "too long"))
        snprintf(out, size, "%s: a text, name or value is over libxml2's size limit (10,000,000 bytes); expected the short values of docs/FORMAT.md", msg);
    else if (strstr(msg, "UTF-8") || strstr(msg, "ncoding"))
        snprintf(out, size, "%s; expected a file saved as UTF-8", msg);
    else
        snprintf(out, size, "%s; expected well-formed XML (every tag closed, attribute values quoted, one root element)", msg);
}

/* Stops flooding: returns 1 when this libxml2 message should be reported. */
static int xml_message_wanted(sink *k, const xmlError *e)
{
    if (e->level == XML_ERR_WARNING || e->code == XML_ERR_USER_STOP)
        return 0;
    if ((k->refused || k->over_limit) && e->domain == XML_FROM_PARSER)
        return 0; /* the parse was stopped on purpose or on a limit; its aftermath says nothing new */
    if (++k->nxml > MAX_XML_MESSAGES)
        return 0;
    return 1;
}

static void on_xml_error(void *ctx, xmlErrorPtr e)
{
    sink *k = ctx;
    if (e && (e->code == XML_ERR_NO_MEMORY || e->domain == XML_FROM_MEMORY))
        pp_diags_set_oom(k->d); /* libxml2 ran out of memory: not the file's fault */
    if (!e || !xml_message_wanted(k, e))
        return;
    xmlNodePtr n = e->node;
    if (n && n->type == XML_ATTRIBUTE_NODE)
        n = n->parent;
    char body[1400];
    if (e->domain == XML_FROM_SCHEMASV && n && n->type == XML_ELEMENT_NODE) {
        char aname[128];
        schema_message(n, e->message ? e->message : "", body, sizeof body, aname);
        if (aname[0] && k->last_node == n && strcmp(k->last_attr, aname) == 0)
            return;
        k->last_node = n;
        snprintf(k->last_attr, sizeof k->last_attr, "%s", aname);
        report(k, n, e->line, "%s", body);
    } else if (e->domain == XML_FROM_PARSER || e->domain == XML_FROM_IO || e->domain == XML_FROM_I18N) {
        parser_message(e->message ? e->message : "(no message)", body, sizeof body);
        report(k, NULL, e->line, "XML syntax error: %s", body);
        if (strstr(body, "levels deep") || strstr(body, "size limit") || strstr(body, "10,000,000"))
            k->over_limit = 1;
    } else {
        trim_copy(body, sizeof body, e->message ? e->message : "(no message)");
        report(k, NULL, e->line, "%s", body);
    }
}

/* SAX hook at "<!DOCTYPE": refuses before the internal subset (and so any entity
 * declaration) is read. */
static void on_doctype(void *ctx, const xmlChar *name, const xmlChar *ext, const xmlChar *sys)
{
    (void)ext;
    (void)sys;
    xmlParserCtxtPtr ctxt = ctx;
    sink *k = ctxt->_private;
    report(k, NULL, ctxt->input ? ctxt->input->line : 0,
           "<!DOCTYPE %.60s>: document type declarations are refused (entities could read local files or "
           "expand without bound); expected a plain <school> document without a DOCTYPE",
           name ? (const char *)name : "");
    k->refused = 1;
    xmlStopParser(ctxt);
}

/* ---- parse and schema ---------------------------------------------------- */

static int is_utf8_name(const char *enc)
{
    return enc == NULL || strcasecmp(enc, "UTF-8") == 0 || strcasecmp(enc, "UTF8") == 0;
}

#define TOO_LARGE "the file is %.1f MB; expected a school XML file of at most %ld MB (a 6,000-student school is 1.3 MB)"
#define TOO_LARGE_ARGS(len) (double)(len) / (1024 * 1024), PP_XML_MAX_BYTES / (1024 * 1024)

/* Returns the parsed document, or NULL with the problems in k. */
static xmlDocPtr parse_document(const char *buf, size_t len, sink *k)
{
    if (len >= 2 && (((unsigned char)buf[0] == 0xFE && (unsigned char)buf[1] == 0xFF) ||
                     ((unsigned char)buf[0] == 0xFF && (unsigned char)buf[1] == 0xFE) || buf[0] == 0 || buf[1] == 0)) {
        report(k, NULL, 1, "the file is in UTF-16 or another wide encoding; expected a file saved as UTF-8");
        return NULL;
    }
    if (len > (size_t)PP_XML_MAX_BYTES) {
        report(k, NULL, 0, TOO_LARGE, TOO_LARGE_ARGS(len));
        return NULL;
    }
    long crowded = pp_xml_crowded_tag_line(buf, len);
    if (crowded) {
        report(k, NULL, crowded, "an element has more than %d attributes; expected the few attributes of docs/FORMAT.md",
               PP_XML_MAX_ATTRIBUTES);
        return NULL;
    }
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (!ctxt) {
        report(k, NULL, 0, "out of memory while parsing");
        return NULL;
    }
    ctxt->_private = k;
    ctxt->sax->internalSubset = on_doctype;
    /* no NOENT (no substitution), no DTDLOAD, no HUGE: libxml2's default limits on
     * depth and sizes apply */
    int opts = XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_NOCDATA;
    xmlDocPtr doc = xmlCtxtReadMemory(ctxt, buf, (int)len, k->file, NULL, opts);
    int ok = doc && ctxt->wellFormed && !k->refused;
    xmlFreeParserCtxt(ctxt);
    if (!ok) {
        if (k->nerr == 0)
            report(k, NULL, 0, "the file is not well-formed XML; expected a <school> document");
        xmlFreeDoc(doc);
        return NULL;
    }
    if (doc->intSubset || doc->extSubset) { /* belt and braces: on_doctype stops first */
        report(k, NULL, 1, "<!DOCTYPE>: document type declarations are refused; expected a plain <school> document");
        xmlFreeDoc(doc);
        return NULL;
    }
    if (!is_utf8_name((const char *)doc->encoding)) {
        report(k, NULL, 1, "<?xml encoding=\"%.40s\"?>: the file is declared in %.40s; expected a file saved as UTF-8 with encoding=\"UTF-8\"",
               (const char *)doc->encoding, (const char *)doc->encoding);
        xmlFreeDoc(doc);
        return NULL;
    }
    return doc;
}

/* Validates doc against the embedded XSD; returns 0 when valid. */
static int validate_schema(xmlDocPtr doc, sink *k)
{
    size_t xsd_len;
    const char *xsd = pp_xml_school_xsd(&xsd_len);
    int rc = pp_xsd_validate(doc, xsd, xsd_len, on_xml_error, k);
    if (rc < 0) { /* the embedded schema compiles: in practice this is out of memory */
        pp_diags_set_oom(k->d);
        report(k, NULL, 0, "internal error: the embedded school schema could not be used; expected io/school.xsd to compile");
    }
    else if (rc > 0 && k->nerr == 0)
        report(k, NULL, 0, "the document does not match the school schema; expected the structure of docs/FORMAT.md");
    if (k->nxml > MAX_XML_MESSAGES)
        report(k, NULL, 0, "%d more schema problems not shown", k->nxml - MAX_XML_MESSAGES);
    return rc == 0 ? 0 : -1;
}

/* ---- tree walk ----------------------------------------------------------- */

typedef struct {
    const char *id;
    int idx;
} idref;

/* A sorted id -> index map over one entity list. */
typedef struct {
    idref *v;
    int n;
} idindex;

typedef struct {
    pp_school *s;
    sink *k;
    idindex classes, activities, venues;
} loader;

static int cmp_idref(const void *a, const void *b)
{
    return strcmp(((const idref *)a)->id, ((const idref *)b)->id);
}

/* Fills x from n ids read at stride bytes apart; returns -1 when out of memory. */
static int idindex_build(idindex *x, const void *first, size_t stride, int n)
{
    x->n = 0;
    x->v = malloc((size_t)(n > 0 ? n : 1) * sizeof *x->v);
    if (!x->v)
        return -1;
    for (int i = 0; i < n; i++)
        x->v[i] = (idref){ *(char *const *)((const char *)first + (size_t)i * stride), i };
    qsort(x->v, (size_t)n, sizeof *x->v, cmp_idref);
    x->n = n;
    return 0;
}

static int idindex_find(const idindex *x, const char *id)
{
    idref key = { id, 0 };
    const idref *r = x->n ? bsearch(&key, x->v, (size_t)x->n, sizeof *x->v, cmp_idref) : NULL;
    return r ? r->idx : -1;
}

static int is_el(xmlNodePtr n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

static xmlNodePtr next_el(xmlNodePtr n, const char *name)
{
    for (; n; n = n->next)
        if (is_el(n, name))
            return n;
    return NULL;
}

#define FOR_EACH_CHILD(c, parent, name) \
    for (xmlNodePtr c = next_el((parent) ? (parent)->children : NULL, name); c; c = next_el(c->next, name))

static int count_children(xmlNodePtr parent, const char *name)
{
    int n = 0;
    FOR_EACH_CHILD(c, parent, name)
        n++;
    return n;
}

/* Whitespace-separated tokens of a list attribute, one at a time. */
typedef struct {
    const char *p;
    char tok[1024];
} tokens;

static int next_token(tokens *t)
{
    if (!t->p)
        return 0;
    while (*t->p == ' ' || *t->p == '\t' || *t->p == '\n' || *t->p == '\r')
        t->p++;
    if (!*t->p)
        return 0;
    size_t n = 0;
    while (*t->p && *t->p != ' ' && *t->p != '\t' && *t->p != '\n' && *t->p != '\r') {
        if (n + 1 < sizeof t->tok)
            t->tok[n++] = *t->p;
        t->p++;
    }
    t->tok[n] = '\0';
    return 1;
}

static int count_tokens(const char *s)
{
    tokens t = { s, "" };
    int n = 0;
    while (next_token(&t))
        n++;
    return n;
}

static char *str(loader *L, const char *v)
{
    char *c = pp_arena_strdup(L->s->arena, v ? v : "");
    if (!c)
        report(L->k, NULL, 0, "out of memory");
    return c ? c : "";
}

static void *alloc(loader *L, int n, size_t size)
{
    void *p = pp_arena_alloc(L->s->arena, (size_t)(n > 0 ? n : 1) * size);
    if (!p)
        report(L->k, NULL, 0, "out of memory");
    return p;
}

/* The schema guarantees an xs:int, so strtol cannot overflow int. */
static int get_int(xmlNodePtr n, const char *name, int def)
{
    const char *v = attr(n, name);
    return v ? (int)strtol(v, NULL, 10) : def;
}

/* Parses an xs:decimal (the schema has checked its form) without strtod, whose
 * decimal point follows the locale.  Digits are gathered into an integer and
 * divided once, so values with up to 15 significant digits round correctly. */
static double decimal_token(const char *v)
{
    while (*v == ' ' || *v == '\t' || *v == '\n' || *v == '\r')
        v++;
    double sign = 1, mant = 0, div = 1;
    if (*v == '+' || *v == '-')
        sign = *v++ == '-' ? -1 : 1;
    for (; *v >= '0' && *v <= '9'; v++)
        mant = 10 * mant + (*v - '0');
    if (*v == '.')
        for (v++; *v >= '0' && *v <= '9'; v++) {
            mant = 10 * mant + (*v - '0');
            div *= 10;
        }
    return sign * mant / div;
}

static double get_num(xmlNodePtr n, const char *name, double def)
{
    const char *v = attr(n, name);
    return v ? decimal_token(v) : def;
}

static int get_bool(xmlNodePtr n, const char *name, int def)
{
    const char *v = attr(n, name);
    if (!v)
        return def;
    char b[16];
    trim_copy(b, sizeof b, v);
    return strcmp(b, "true") == 0 || strcmp(b, "1") == 0;
}

static int enum_index(const char *v, const char *(*name_of)(int), int count)
{
    for (int i = 0; i < count; i++)
        if (strcmp(v, name_of(i)) == 0)
            return i;
    return -1;
}

static const char *kind_name(int i) { return pp_activity_kind_name((pp_activity_kind)i); }
static const char *period_kind_name(int i) { return pp_period_kind_name((pp_period_kind)i); }
static const char *staff_type_name(int i) { return pp_staff_type_name((pp_staff_type)i); }
static const char *tier_name(int i) { return pp_tier_name((pp_tier)i); }

/* Day mask of a days attribute; def when absent. */
static uint8_t get_days(loader *L, xmlNodePtr n, uint8_t def)
{
    const char *v = attr(n, "days");
    if (!v)
        return def;
    tokens t = { v, "" };
    unsigned mask = 0;
    while (next_token(&t)) {
        int d = pp_day_parse(t.tok);
        if (d < 0)
            report(L->k, n, 0, "day \"%s\" is unknown; expected Mon Tue Wed Thu Fri Sat Sun", t.tok);
        else
            mask |= 1u << d;
    }
    return (uint8_t)mask;
}

/* Period mask of a periods attribute; def when absent. */
static uint32_t get_periods(loader *L, xmlNodePtr n, uint32_t def)
{
    const char *v = attr(n, "periods");
    if (!v)
        return def;
    tokens t = { v, "" };
    uint32_t mask = 0;
    while (next_token(&t)) {
        int p = pp_school_find_period(L->s, t.tok);
        if (p < 0)
            report(L->k, n, 0, "period \"%s\" is not defined; expected the id of a <period>", t.tok);
        else
            mask |= 1u << p;
    }
    return mask;
}

static uint32_t all_grades(const pp_school *s)
{
    uint32_t m = 0;
    for (int i = 0; i < s->ngrades; i++)
        m |= 1u << s->grades[i].level;
    return m;
}

static uint32_t all_periods(const pp_school *s)
{
    return s->nperiods >= 32 ? ~0u : (1u << s->nperiods) - 1;
}

static uint32_t get_grades(loader *L, xmlNodePtr n)
{
    const char *v = attr(n, "grades");
    if (!v)
        return all_grades(L->s);
    tokens t = { v, "" };
    uint32_t mask = 0;
    while (next_token(&t)) {
        int level = atoi(t.tok);
        if (pp_school_find_grade(L->s, level) < 0)
            report(L->k, n, 0, "grade %s is not defined; expected the level of a <grade>", t.tok);
        else
            mask |= 1u << level;
    }
    return mask;
}

/* ---- sections ------------------------------------------------------------ */

static void load_policy(loader *L, xmlNodePtr pol)
{
    pp_policy *p = &L->s->policy;
    if (!pol)
        return;
    p->group_max = get_int(pol, "group-max", p->group_max);
    p->class_merge_threshold = get_int(pol, "class-merge-threshold", p->class_merge_threshold);
    p->qa_min = get_int(pol, "qa-min", p->qa_min);
    p->course_min = get_int(pol, "course-min", p->course_min);
    p->site_min = get_int(pol, "site-min", p->site_min);
    p->duty_leaders_per_day = get_int(pol, "duty-leaders-per-day", p->duty_leaders_per_day);
    p->max_activities_per_student = get_int(pol, "max-activities-per-student", p->max_activities_per_student);
    p->adjacent_grade_merge = get_bool(pol, "adjacent-grade-merge", p->adjacent_grade_merge);
    p->fee_per_session = get_num(pol, "fee-per-session", p->fee_per_session);
    FOR_EACH_CHILD(w, pol, "workload-weight") {
        int k = enum_index(attr(w, "kind"), kind_name, PP_ACT_KINDS);
        if (k >= 0)
            p->workload_weight[k] = get_num(w, "value", p->workload_weight[k]);
    }
    FOR_EACH_CHILD(w, pol, "subsidy") {
        int t = enum_index(attr(w, "staff-type"), staff_type_name, PP_STAFF_TYPES);
        if (t >= 0)
            p->subsidy_per_hour[t] = get_num(w, "per-hour", p->subsidy_per_hour[t]);
    }
    xmlNodePtr o = next_el(pol->children, "objective");
    if (!o)
        return;
    p->w_unserved = get_num(o, "unserved", p->w_unserved);
    p->w_unserved_priority = get_num(o, "unserved-priority", p->w_unserved_priority);
    p->w_no_choice = get_num(o, "no-choice", p->w_no_choice);
    p->w_group = get_num(o, "group", p->w_group);
    p->w_cross_grade = get_num(o, "cross-grade", p->w_cross_grade);
    p->w_external_hour = get_num(o, "external-hour", p->w_external_hour);
    p->w_max_load = get_num(o, "max-load", p->w_max_load);
    p->priority_choice_factor = get_num(o, "priority-choice-factor", p->priority_choice_factor);
    p->w_moved = get_num(o, "moved", p->w_moved);
    p->w_group_changed = get_num(o, "group-changed", p->w_group_changed);
    p->w_staff_changed = get_num(o, "staff-changed", p->w_staff_changed);
    const char *rank = attr(o, "rank");
    if (rank) {
        tokens t = { rank, "" };
        int r = 0;
        while (r < PP_MAX_RANKS && next_token(&t))
            p->w_rank[r++] = decimal_token(t.tok);
        p->nranks_weighted = r;
    }
}

static int get_date(loader *L, xmlNodePtr n, const char *name)
{
    char b[64];
    trim_copy(b, sizeof b, attr(n, name) ? attr(n, name) : "");
    int days = pp_parse_date(b);
    if (days < 0)
        report(L->k, n, 0, "%s=\"%s\" is not a usable date; expected a date YYYY-MM-DD from 1970 to 2999", name, b);
    return days;
}

static void load_seasons(loader *L, xmlNodePtr sec)
{
    pp_school *s = L->s;
    int n = count_children(sec, "season");
    if (n > PP_MAX_SEASONS)
        n = PP_MAX_SEASONS; /* the schema refuses more; periods index seasons in fixed arrays */
    s->seasons = alloc(L, n, sizeof *s->seasons);
    if (!s->seasons)
        return;
    FOR_EACH_CHILD(c, sec, "season") {
        if (s->nseasons == n)
            break;
        pp_season *se = &s->seasons[s->nseasons];
        se->id = str(L, attr(c, "id"));
        se->name = str(L, attr(c, "name") ? attr(c, "name") : se->id);
        se->line = xmlGetLineNo(c);
        for (int j = 0; j < s->nseasons; j++)
            if (strcmp(s->seasons[j].id, se->id) == 0)
                report(L->k, c, 0, "duplicate id, already used by another <season>; expected a unique season id");
        se->start_days = get_date(L, c, "start");
        se->end_days = get_date(L, c, "end");
        int span = se->end_days - se->start_days + 1;
        /* round(span / 7); a reversed range is left to pp_school_validate */
        se->weeks = attr(c, "weeks") ? get_int(c, "weeks", 0) : span > 0 ? (2 * span + 7) / 14 : 0;
        s->nseasons++;
    }
}

static void load_grades(loader *L, xmlNodePtr sec)
{
    pp_school *s = L->s;
    int n = count_children(sec, "grade");
    s->grades = alloc(L, n, sizeof *s->grades);
    if (!s->grades)
        return;
    FOR_EACH_CHILD(c, sec, "grade") {
        int level = get_int(c, "level", 0);
        if (level < 1 || level > PP_MAX_GRADE) {
            report(L->k, c, 0, "level %d is out of range; expected 1..%d", level, PP_MAX_GRADE);
            continue;
        }
        if (pp_school_find_grade(s, level) >= 0) {
            report(L->k, c, 0, "grade %d is defined twice; expected each level once", level);
            continue;
        }
        char def[16];
        snprintf(def, sizeof def, "%d", level);
        s->grades[s->ngrades++] = (pp_grade){ level, str(L, attr(c, "name") ? attr(c, "name") : def) };
    }
}

static void load_windows(loader *L, xmlNodePtr per, pp_period *p)
{
    for (int k = 0; k < PP_MAX_SEASONS; k++)
        p->start_min[k] = p->end_min[k] = -1;
    FOR_EACH_CHILD(w, per, "window") {
        const char *sid = attr(w, "season");
        int k = pp_school_find_season(L->s, sid ? sid : "");
        if (k < 0) {
            report(L->k, w, 0, "season \"%s\" is not defined; expected the id of a <season>", sid ? sid : "");
            continue;
        }
        if (p->start_min[k] >= 0) {
            report(L->k, w, 0, "a second window for season \"%s\"; expected one <window> per season", sid);
            continue;
        }
        int a = pp_parse_hhmm(attr(w, "start") ? attr(w, "start") : "");
        int b = pp_parse_hhmm(attr(w, "end") ? attr(w, "end") : "");
        if (a < 0 || b < 0) {
            report(L->k, w, 0, "start=\"%s\" end=\"%s\" is not a time range; expected HH:MM times", attr(w, "start"), attr(w, "end"));
            continue;
        }
        p->start_min[k] = a;
        p->end_min[k] = b;
    }
}

static void load_periods(loader *L, xmlNodePtr sec)
{
    pp_school *s = L->s;
    int n = count_children(sec, "period");
    if (n > PP_MAX_PERIODS)
        n = PP_MAX_PERIODS; /* the schema refuses more; masks are 32 bits */
    s->periods = alloc(L, n, sizeof *s->periods);
    if (!s->periods)
        return;
    FOR_EACH_CHILD(c, sec, "period") {
        if (s->nperiods == n)
            break;
        pp_period *p = &s->periods[s->nperiods];
        p->id = str(L, attr(c, "id"));
        p->name = str(L, attr(c, "name") ? attr(c, "name") : p->id);
        int kind = enum_index(attr(c, "kind") ? attr(c, "kind") : "", period_kind_name, PP_PERIOD_EVENING + 1);
        p->kind = kind < 0 ? PP_PERIOD_AFTER : (pp_period_kind)kind;
        p->days = get_days(L, c, s->day_mask);
        p->grade_mask = get_grades(L, c);
        p->care = -1; /* resolved once activities are known */
        p->line = xmlGetLineNo(c);
        load_windows(L, c, p);
        s->nperiods++;
    }
}

static void resolve_period_care(loader *L, xmlNodePtr sec)
{
    int i = 0;
    FOR_EACH_CHILD(c, sec, "period") {
        if (i == L->s->nperiods)
            break;
        const char *care = attr(c, "care");
        int a = idindex_find(&L->activities, care ? care : "");
        if (a < 0)
            report(L->k, c, 0, "care \"%s\" is not defined; expected the id of a care, homework or reading <activity>", care ? care : "");
        L->s->periods[i++].care = a;
    }
}

/* Availability of a venue or staff member: every slot minus each <unavailable>. */
static void load_availability(loader *L, xmlNodePtr n, uint32_t avail[PP_DAYS])
{
    for (int d = 0; d < PP_DAYS; d++)
        avail[d] = all_periods(L->s);
    FOR_EACH_CHILD(u, n, "unavailable") {
        uint8_t days = get_days(L, u, 0x7f);
        uint32_t periods = get_periods(L, u, all_periods(L->s));
        for (int d = 0; d < PP_DAYS; d++)
            if (days & (1u << d))
                avail[d] &= ~periods;
    }
}

static void load_venues(loader *L, xmlNodePtr sec)
{
    pp_school *s = L->s;
    int n = count_children(sec, "venue");
    s->venues = alloc(L, n, sizeof *s->venues);
    if (!s->venues)
        return;
    FOR_EACH_CHILD(c, sec, "venue") {
        pp_venue *v = &s->venues[s->nvenues++];
        v->id = str(L, attr(c, "id"));
        v->name = str(L, attr(c, "name") ? attr(c, "name") : v->id);
        v->type = pp_school_intern_venue_type(s, attr(c, "type") ? attr(c, "type") : "");
        v->capacity = get_int(c, "capacity", 0);
        v->line = xmlGetLineNo(c);
        load_availability(L, c, v->avail);
    }
    if (idindex_build(&L->venues, s->venues, sizeof *s->venues, s->nvenues) < 0)
        report(L->k, NULL, 0, "out of memory");
}

static void load_classes(loader *L, xmlNodePtr sec)
{
    pp_school *s = L->s;
    int n = count_children(sec, "class");
    s->classes = alloc(L, n, sizeof *s->classes);
    if (!s->classes)
        return;
    FOR_EACH_CHILD(c, sec, "class") {
        pp_class *k = &s->classes[s->nclasses++];
        k->id = str(L, attr(c, "id"));
        k->name = str(L, attr(c, "name") ? attr(c, "name") : k->id);
        k->grade = get_int(c, "grade", 0); /* an undefined grade is reported by pp_school_validate */
        k->line = xmlGetLineNo(c);
        k->room = -1;
        const char *room = attr(c, "room");
        if (room && (k->room = idindex_find(&L->venues, room)) < 0)
            report(L->k, c, 0, "room \"%s\" is not defined; expected the id of a <venue>", room);
    }
    if (idindex_build(&L->classes, s->classes, sizeof *s->classes, s->nclasses) < 0)
        report(L->k, NULL, 0, "out of memory");
}

/* Days and periods of a <slot> or <stay>, OR-ed into mask; absent days mean the
 * days each named period runs. */
static void add_slots(loader *L, xmlNodePtr n, uint32_t mask[PP_DAYS])
{
    uint32_t periods = get_periods(L, n, 0);
    const char *days = attr(n, "days");
    uint8_t dm = get_days(L, n, 0x7f);
    for (int p = 0; p < L->s->nperiods; p++) {
        if (!(periods & (1u << p)))
            continue;
        uint8_t on = days ? dm : L->s->periods[p].days & L->s->day_mask;
        for (int d = 0; d < PP_DAYS; d++)
            if (on & (1u << d))
                mask[d] |= 1u << p;
    }
}

static void activity_defaults(const pp_policy *pol, pp_activity *a)
{
    int care = pp_activity_is_care(a);
    a->tier = care ? PP_TIER_GRADE : PP_TIER_SCHOOL;
    a->sessions = 1;
    a->min_size = care ? 0 : pol->course_min;
    a->max_size = pol->group_max;
    a->merge_threshold = a->kind == PP_ACT_HOMEWORK ? pol->qa_min : pol->class_merge_threshold;
    a->venue_type = -1;
    a->speciality = -1;
    a->staff_per_group = 1;
    a->fee = a->kind == PP_ACT_COURSE ? pol->fee_per_session : 0;
}

static void load_activities(loader *L, xmlNodePtr sec)
{
    pp_school *s = L->s;
    int n = count_children(sec, "activity");
    s->activities = alloc(L, n, sizeof *s->activities);
    if (!s->activities)
        return;
    FOR_EACH_CHILD(c, sec, "activity") {
        pp_activity *a = &s->activities[s->nactivities++];
        a->id = str(L, attr(c, "id"));
        a->name = str(L, attr(c, "name") ? attr(c, "name") : a->id);
        int kind = enum_index(attr(c, "kind") ? attr(c, "kind") : "", kind_name, PP_ACT_KINDS);
        a->kind = kind < 0 ? PP_ACT_CLUB : (pp_activity_kind)kind;
        a->line = xmlGetLineNo(c);
        activity_defaults(&s->policy, a);
        a->category = str(L, attr(c, "category"));
        a->provider = str(L, attr(c, "provider"));
        const char *tier = attr(c, "tier");
        int t = tier ? enum_index(tier, tier_name, PP_TIER_SCHOOL + 1) : -1;
        if (t >= 0)
            a->tier = (pp_tier)t;
        a->sessions = get_int(c, "sessions", a->sessions);
        a->grade_mask = get_grades(L, c);
        a->min_size = get_int(c, "min", a->min_size);
        a->max_size = get_int(c, "max", a->max_size);
        a->merge_threshold = get_int(c, "merge-threshold", a->merge_threshold);
        a->staff_per_group = get_int(c, "staff-per-group", a->staff_per_group);
        a->fee = get_num(c, "fee", a->fee);
        if (attr(c, "venue-type"))
            a->venue_type = pp_school_intern_venue_type(s, attr(c, "venue-type"));
        if (attr(c, "speciality"))
            a->speciality = pp_school_intern_speciality(s, attr(c, "speciality"));
        FOR_EACH_CHILD(sl, c, "slot")
            add_slots(L, sl, a->slots);
    }
    if (idindex_build(&L->activities, s->activities, sizeof *s->activities, s->nactivities) < 0)
        report(L->k, NULL, 0, "out of memory");
}

static void load_staff(loader *L, xmlNodePtr sec)
{
    pp_school *s = L->s;
    int n = count_children(sec, "member");
    s->staff = alloc(L, n, sizeof *s->staff);
    if (!s->staff)
        return;
    FOR_EACH_CHILD(c, sec, "member") {
        pp_staff *st = &s->staff[s->nstaff++];
        st->id = str(L, attr(c, "id"));
        st->name = str(L, attr(c, "name") ? attr(c, "name") : st->id);
        int type = enum_index(attr(c, "type") ? attr(c, "type") : "", staff_type_name, PP_STAFF_TYPES);
        st->type = type < 0 ? PP_STAFF_TEACHER : (pp_staff_type)type;
        st->max_sessions = get_int(c, "max-sessions", 10);
        st->max_minutes = get_int(c, "max-minutes", 600);
        st->duty_leader = get_bool(c, "duty-leader", 0);
        st->rate = get_num(c, "rate", 0);
        st->line = xmlGetLineNo(c);
        const char *specs = attr(c, "specialities");
        st->spec = alloc(L, count_tokens(specs), sizeof *st->spec);
        tokens t = { specs, "" };
        while (st->spec && next_token(&t)) {
            int sp = pp_school_intern_speciality(s, t.tok);
            if (sp >= 0 && !pp_staff_has_spec(st, sp))
                st->spec[st->nspec++] = sp;
        }
        load_availability(L, c, st->avail);
    }
}

static unsigned get_priority(xmlNodePtr n)
{
    static const char *const names[] = { "disabled", "left-behind", "migrant", "low-income" };
    tokens t = { attr(n, "priority"), "" };
    unsigned flags = 0;
    while (next_token(&t))
        for (unsigned i = 0; i < 4; i++)
            if (strcmp(t.tok, names[i]) == 0)
                flags |= 1u << i;
    return flags;
}

static void load_student(loader *L, xmlNodePtr c, pp_student *st)
{
    st->id = str(L, attr(c, "id"));
    st->name = str(L, attr(c, "name") ? attr(c, "name") : st->id);
    st->line = xmlGetLineNo(c);
    const char *cls = attr(c, "class");
    st->cls = idindex_find(&L->classes, cls ? cls : "");
    if (st->cls < 0)
        report(L->k, c, 0, "class \"%s\" is not defined; expected the id of a <class>", cls ? cls : "");
    st->priority = get_priority(c);
    const char *choices = attr(c, "choices");
    int n = count_tokens(choices);
    if (n > 0 && (st->choices = alloc(L, n, sizeof *st->choices)) != NULL) {
        tokens t = { choices, "" };
        while (next_token(&t)) {
            int a = idindex_find(&L->activities, t.tok);
            if (a < 0)
                report(L->k, c, 0, "choice \"%s\" is not defined; expected the id of a club or course <activity>", t.tok);
            st->choices[st->nchoices++] = a; /* -1 is skipped by pp_school_validate */
        }
    }
    FOR_EACH_CHILD(sy, c, "stay")
        add_slots(L, sy, st->stay);
}

static void load_students(loader *L, xmlNodePtr sec)
{
    pp_school *s = L->s;
    int n = count_children(sec, "student");
    s->students = alloc(L, n, sizeof *s->students);
    if (!s->students)
        return;
    FOR_EACH_CHILD(c, sec, "student")
        load_student(L, c, &s->students[s->nstudents++]);
}

static void load_tree(loader *L, xmlNodePtr root)
{
    pp_school *s = L->s;
    s->id = str(L, attr(root, "id"));
    s->name = str(L, attr(root, "name") ? attr(root, "name") : s->id);
    s->day_mask = get_days(L, root, 0x1f);
    xmlNodePtr sec[9];
    static const char *const names[9] = { "policy", "seasons", "periods", "grades", "venues",
                                          "classes", "activities", "staff", "students" };
    for (int i = 0; i < 9; i++)
        sec[i] = next_el(root->children, names[i]);
    load_policy(L, sec[0]);
    load_seasons(L, sec[1]);
    load_grades(L, sec[3]);
    load_periods(L, sec[2]);
    load_venues(L, sec[4]);
    load_classes(L, sec[5]);
    load_activities(L, sec[6]);
    resolve_period_care(L, sec[2]);
    load_staff(L, sec[7]);
    load_students(L, sec[8]);
}

/* ---- entry points -------------------------------------------------------- */

/* A <school> root without any child element: one clear message instead of the
 * schema's "missing child element(s)". */
static int is_empty_school(xmlDocPtr doc)
{
    xmlNodePtr root = xmlDocGetRootElement(doc);
    if (!root || !is_el(root, "school"))
        return 0;
    for (xmlNodePtr c = root->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE)
            return 0;
    return 1;
}

pp_school *pp_xml_load_school_memory(const char *buf, size_t len, const char *name, pp_diags *d)
{
    sink k = { d, name ? name : "(memory)", 0, 0, 0, 0, NULL, "" };
    xmlInitParser();
    /* errors raised without a parser context (encoding, I/O) go to the thread's
     * global handler: borrow it for this call and give it back */
    xmlStructuredErrorFunc saved_fn = xmlStructuredError;
    void *saved_ctx = xmlStructuredErrorContext;
    xmlSetStructuredErrorFunc(&k, on_xml_error);

    pp_school *s = NULL;
    xmlDocPtr doc = parse_document(buf, len, &k);
    if (doc && is_empty_school(doc)) {
        report(&k, xmlDocGetRootElement(doc), 0,
               "the school is empty; expected its sections <seasons>, <periods>, <grades>, <venues>, <classes>, "
               "<activities>, <staff> and <students> (docs/FORMAT.md)");
    } else if (doc && validate_schema(doc, &k) == 0 && (s = pp_school_new()) != NULL) {
        loader L = { s, &k, { NULL, 0 }, { NULL, 0 }, { NULL, 0 } };
        s->source = pp_arena_strdup(s->arena, k.file);
        if (!s->source) {
            s->source = "";
            report(&k, NULL, 0, "out of memory");
        }
        load_tree(&L, xmlDocGetRootElement(doc));
        free(L.classes.v);
        free(L.activities.v);
        free(L.venues.v);
        /* meaning checks run even after reference errors so one run shows everything;
         * unresolved references are -1, which the validator skips */
        k.nerr += pp_school_validate(s, d);
    } else if (doc && !k.nerr)
        report(&k, NULL, 0, "out of memory");
    xmlFreeDoc(doc);
    xmlSetStructuredErrorFunc(saved_ctx, saved_fn);
    if (k.nerr) {
        pp_school_free(s);
        return NULL;
    }
    return s;
}

pp_school *pp_xml_load_school(const char *path, pp_diags *d)
{
    char *buf, why[512];
    size_t len;
    if (pp_xml_read_file(path, "school XML file", &buf, &len, why, sizeof why)) {
        pp_diags_add(d, path, 0, "%s", why);
        return NULL;
    }
    pp_school *s = pp_xml_load_school_memory(buf, len, path, d);
    free(buf);
    return s;
}
