/* xsd.h - what the XML readers and writers share around libxml2:
 * validating a parsed document against a schema held in memory (both compile and
 * apply their embedded XSD the same way; messages go to the caller's libxml2 error
 * handler), and the limits a document must keep before libxml2 parses it.
 *
 * The limits bound time and memory on hostile input: libxml2 already stops at 256
 * levels of nesting and at 10,000,000 characters in one value, but it reads
 * whatever size it is given and checks the attributes of a tag for duplicates
 * pairwise (30,000 attributes on one tag take 17 s).  A 6,000-student school is
 * 1.3 MB with at most 12 attributes on a tag, so the limits are far above any real
 * file. */
#ifndef PP_XSD_H
#define PP_XSD_H

#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <stddef.h>
#include <stdio.h>

/* Compiles the XSD text (len bytes) and validates doc with it, reporting every
 * libxml2 message to on_error(ctx, ...).  Returns 0 when valid, > 0 when the
 * document does not match, < 0 when the schema itself could not be used.  All
 * libxml2 objects it makes are freed before it returns. */
int pp_xsd_validate(xmlDocPtr doc, const char *xsd, size_t len, xmlStructuredErrorFunc on_error, void *ctx);

#define PP_XML_MAX_BYTES (64L * 1024 * 1024) /* largest document read */
#define PP_XML_MAX_ATTRIBUTES 256             /* most attributes on one tag */

/* Scans len bytes of XML text, linearly, for a start tag with more than
 * PP_XML_MAX_ATTRIBUTES attributes.  Returns the 1-based line where the first
 * such tag starts, or 0 when there is none.  Comments, CDATA sections,
 * processing instructions and quoted values are skipped; the scan does not
 * judge well-formedness (libxml2 does that next). */
long pp_xml_crowded_tag_line(const char *buf, size_t len);

/* Reads the file at path into *buf (NUL-terminated, caller frees) and its size
 * into *len, refusing a file over PP_XML_MAX_BYTES before reading it (from a pipe,
 * after at most one buffer past the limit).  Returns NULL on success; otherwise a
 * message for "file: ...; expected ..." (what is filled in from errno and *len,
 * into why), and *buf is NULL.  kind names the file expected ("school XML file"). */
const char *pp_xml_read_file(const char *path, const char *kind, char **buf, size_t *len, char *why, size_t whysize);

/* Writes s (NULL: nothing) as XML attribute or text content: the five markup
 * characters and tab/newline/return as references, other control characters
 * (not allowed in XML 1.0) as U+FFFD.  Shared by the timetable and school
 * writers so both escape alike. */
void pp_xml_put_escaped(FILE *f, const char *s);

#endif
