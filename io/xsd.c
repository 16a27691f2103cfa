/* xsd.c - schema compile + validate with libxml2; one cleanup path. */
#include "xsd.h"

#include <libxml/xmlschemas.h>

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
