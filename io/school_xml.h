/* school_xml.h - reads a school file (docs/FORMAT.md "School") into a pp_school.
 *
 * Three gates, each reporting every problem it finds (not just the first) as one
 * line an administrator can act on, "file:line: <element id=...>: what is wrong;
 * expected ...":
 *   1. XML well-formedness, parsed by libxml2 without network, DTD loading or
 *      entity substitution; a document with a DOCTYPE (and so any entity
 *      declaration) is refused outright, which rules out external-entity reads
 *      (XXE) and entity expansion bombs.  Only UTF-8 is accepted.
 *   2. Structure, validated against io/school.xsd, which is compiled into the
 *      library so paipian runs from any directory.
 *   3. Meaning: ids resolved to indices (unknown references reported with their
 *      line), FORMAT.md defaults applied, then pp_school_validate.
 *
 * The loader keeps no state between calls.  It temporarily installs a libxml2
 * structured error handler (a thread-local global in libxml2) and restores the
 * previous one before returning. */
#ifndef PP_SCHOOL_XML_H
#define PP_SCHOOL_XML_H

#include <stddef.h>

#include "model/diag.h"
#include "model/model.h"

/* Loads and validates the school in the file at path.  On success returns the
 * school, which the caller frees with pp_school_free, and adds nothing to d.  On
 * any problem (unreadable file, bad XML, schema or meaning errors, out of memory)
 * returns NULL, frees everything it built and adds every problem to d as
 * "path:line: <element id=...>: what is wrong; expected ...". */
pp_school *pp_xml_load_school(const char *path, pp_diags *d);

/* The same for a document of len bytes in memory; name stands for the file in
 * messages and becomes s->source.  buf need not be NUL-terminated and is not
 * kept. */
pp_school *pp_xml_load_school_memory(const char *buf, size_t len, const char *name, pp_diags *d);

/* The embedded copy of io/school.xsd (len bytes, NUL-terminated), owned by the
 * library: never freed or changed by the caller. */
const char *pp_xml_school_xsd(size_t *len);

#endif
