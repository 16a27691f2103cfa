/* scenario_xml.h - reads the district planner's files (docs/DISTRICT.md): a
 * scenario (<scenario>, changes applied on top of a school) and a manifest
 * (<district>, the schools and scenarios to compare), both in the namespace
 * urn:paipian:district:1 and validated against io/scenario.xsd, which is compiled
 * into the library.
 *
 * Same discipline as the school loader (io/school_xml.h): no network, no DTD, a
 * <!DOCTYPE> is refused; every problem is reported, not just the first, as
 * "file:line: <element>: what is wrong; expected ...". */
#ifndef PP_SCENARIO_XML_H
#define PP_SCENARIO_XML_H

#include "model/diag.h"
#include "model/scenario.h"

/* Loads the scenario in the file at path.  Returns a scenario the caller frees
 * with pp_scenario_free, or NULL with every problem added to d. */
pp_scenario *pp_scenario_load(const char *path, pp_diags *d);

/* A manifest: the schools (paths as given, resolved against the manifest's
 * folder) and the scenarios, baseline first. */
typedef struct {
    char *name;                 /* district name; the manifest's file name when not given */
    int nschools;
    char **schools;             /* school file paths usable from the current directory */
    int nscenarios;
    pp_scenario **scenarios;    /* [0] is "baseline" (no change) unless the manifest names
                                   a scenario with id baseline itself */
} pp_manifest;

/* Loads the manifest at path and every scenario file it names.  Returns a manifest
 * the caller frees with pp_manifest_free, or NULL with every problem (of the
 * manifest and of each scenario file) added to d.  School files are only named,
 * not read: a bad school is one failed row of a comparison, not a failed run. */
pp_manifest *pp_manifest_load(const char *path, pp_diags *d);
void pp_manifest_free(pp_manifest *m);     /* NULL is a no-op */

/* The embedded copy of io/scenario.xsd (len bytes, NUL-terminated), owned by the library. */
const char *pp_scenario_xsd(size_t *len);

#endif
