/* xsd.c - schema compile + validate with libxml2 (one cleanup path), and the
 * linear pre-parse scan for over-crowded tags. */
#include "xsd.h"
#include "io/files.h"

#include <libxml/xmlschemas.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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

const char *pp_xml_read_file(const char *path, const char *kind, char **buf, size_t *len, char *why, size_t whysize)
{
    *buf = NULL;
    *len = 0;
    char what[200];
    snprintf(what, sizeof what, "a readable %s", kind);
    FILE *f = pp_file_open_input(path, what, why, whysize); /* a FIFO or a device is refused unread */
    if (!f)
        return why;
    struct stat sb;
    size_t n = 0, cap = 1 << 16;
    char *b = NULL;
    if (fstat(fileno(f), &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size > PP_XML_MAX_BYTES)
        n = (size_t)sb.st_size; /* refused unread */
    else {
        b = malloc(cap + 1);
        while (b) {
            n += fread(b + n, 1, cap - n, f);
            if (n < cap || n > (size_t)PP_XML_MAX_BYTES)
                break;
            char *nb = realloc(b, cap * 2 + 1);
            if (!nb) {
                free(b);
                b = NULL;
                break;
            }
            b = nb;
            cap *= 2;
        }
    }
    int bad = ferror(f);
    fclose(f);
    if (n > (size_t)PP_XML_MAX_BYTES)
        snprintf(why, whysize, "the file is %.1f MB; expected a %s of at most %ld MB (a 6,000-student school is 1.3 MB)",
                 (double)n / (1024 * 1024), kind, PP_XML_MAX_BYTES / (1024 * 1024));
    else if (bad)
        snprintf(why, whysize, "cannot read the file; expected a readable %s", kind);
    else if (!b)
        snprintf(why, whysize, "out of memory reading the file; expected a %s", kind);
    else {
        b[n] = '\0';
        *buf = b;
        *len = n;
        return NULL;
    }
    free(b);
    return why;
}

void pp_xml_put_escaped(FILE *f, const char *s)
{
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        switch (c) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\t': fputs("&#9;", f); break;
        case '\n': fputs("&#10;", f); break;
        case '\r': fputs("&#13;", f); break;
        default:
            if (c < 0x20)
                fputs("\xEF\xBF\xBD", f);
            else
                fputc(c, f);
        }
    }
}
