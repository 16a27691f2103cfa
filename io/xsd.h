/* xsd.h - validating a parsed document against a schema held in memory, shared by
 * the school loader and the timetable reader so both compile and apply their
 * embedded XSD the same way.  Messages go to the caller's libxml2 error handler. */
#ifndef PP_XSD_H
#define PP_XSD_H

#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <stddef.h>

/* Compiles the XSD text (len bytes) and validates doc with it, reporting every
 * libxml2 message to on_error(ctx, ...).  Returns 0 when valid, > 0 when the
 * document does not match, < 0 when the schema itself could not be used.  All
 * libxml2 objects it makes are freed before it returns. */
int pp_xsd_validate(xmlDocPtr doc, const char *xsd, size_t len, xmlStructuredErrorFunc on_error, void *ctx);

#endif
