/* xsd.c - schema compile + validate with libxml2 (one cleanup path), and the
 * linear pre-parse scan for over-crowded tags. */
#include "xsd.h"

#include <libxml/xmlschemas.h>
#include <string.h>

int pp_xsd_validate(xmlDocPtr doc, const char *xsd, size_t len, xmlStructuredErrorFunc on_error, void *ctx)
{
    int rc = -1;
    xmlSchemaParserCtxtPtr pc = xmlSchemaNewMemParserCtxt(xsd, (int)len);
    xmlSchemaPtr schema = NULL;
    xmlSchemaValidCtxtPtr vc = NULL;
    if (pc) {
        xmlSchemaSetParserStructuredErrors(pc, on_error, ctx);
        schema = xmlSchemaParse(pc);
    }
    if (schema)
        vc = xmlSchemaNewValidCtxt(schema);
    if (vc) {
        xmlSchemaSetValidStructuredErrors(vc, on_error, ctx);
        rc = xmlSchemaValidateDoc(vc, doc);
    }
    xmlSchemaFreeValidCtxt(vc);
    xmlSchemaFree(schema);
    xmlSchemaFreeParserCtxt(pc);
    return rc;
}

/* Index just past the first occurrence of end at or after i (len when absent),
 * counting the newlines it passes into *line. */
static size_t skip_past(const char *buf, size_t len, size_t i, const char *end, long *line)
{
    size_t n = strlen(end);
    for (; i + n <= len; i++) {
        if (memcmp(buf + i, end, n) == 0)
            return i + n;
        if (buf[i] == '\n')
            (*line)++;
    }
    for (; i < len; i++)
        if (buf[i] == '\n')
            (*line)++;
    return len;
}

long pp_xml_crowded_tag_line(const char *buf, size_t len)
{
    long line = 1;
    size_t i = 0;
    while (i < len) {
        char c = buf[i];
        if (c == '\n')
            line++;
        if (c != '<' || i + 1 >= len) {
            i++;
            continue;
        }
        const char *rest = buf + i;
        size_t left = len - i;
        if (left >= 4 && memcmp(rest, "<!--", 4) == 0)
            i = skip_past(buf, len, i + 4, "-->", &line);
        else if (left >= 9 && memcmp(rest, "<![CDATA[", 9) == 0)
            i = skip_past(buf, len, i + 9, "]]>", &line);
        else if (rest[1] == '?')
            i = skip_past(buf, len, i + 2, "?>", &line);
        else if (rest[1] == '!' || rest[1] == '/')
            i = skip_past(buf, len, i + 2, ">", &line);
        else { /* a start tag: count name="value" pairs up to its '>' */
            long start = line;
            int nattr = 0;
            char quote = 0;
            for (i++; i < len; i++) {
                c = buf[i];
                if (c == '\n')
                    line++;
                if (quote) {
                    if (c == quote)
                        quote = 0;
                } else if (c == '"' || c == '\'')
                    quote = c;
                else if (c == '=' && ++nattr > PP_XML_MAX_ATTRIBUTES)
                    return start;
                else if (c == '>' || c == '<')
                    break;
            }
        }
    }
    return 0;
}
