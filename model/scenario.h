/* scenario.h - a district planner's "what if": a list of changes applied on top of
 * a school (add or remove staff, scale availability, add venues, change policy,
 * choose a season), so one scenario file is asked of every school of a district
 * (docs/DISTRICT.md).
 *
 * A pp_school is read-only once validated; a scenario is applied to a freshly
 * loaded school before any solver sees it, and the school is validated again
 * afterwards, so a change that breaks a rule of the model (no duty leaders left,
 * a group size below a minimum) is reported like a bad school file.
 *
 * Every choice a change makes (which teachers lose a Friday, which staff are
 * removed) is deterministic: staff are ranked by a hash of the scenario id and
 * the staff id, so the same scenario on the same school removes the same people,
 * and the people chosen are spread over the school rather than the last in file.
 *
 * A scenario is built by io/scenario_xml.c (or a test) and owns all its memory in
 * its arena; pp_scenario_free releases it. */
#ifndef PP_SCENARIO_H
#define PP_SCENARIO_H

#include <stdint.h>

#include "model/diag.h"
#include "model/model.h"

typedef enum {
    PP_CHANGE_ADD_STAFF,     /* count new staff of a type, with specialities and availability */
    PP_CHANGE_REMOVE_STAFF,  /* count or fraction of the staff of a type / speciality */
    PP_CHANGE_AVAILABILITY,  /* keep factor of the matching staff available at the given slots */
    PP_CHANGE_ADD_VENUES,    /* count new venues of a type */
    PP_CHANGE_POLICY,        /* policy parameters */
    PP_CHANGE_SEASON         /* the whole term in one season's clock times */
} pp_change_kind;

/* Policy fields a scenario may set; -1 = leave as the school has it. */
typedef struct {
    int group_max, class_merge_threshold, qa_min, course_min;
    int duty_leaders_per_day, max_activities_per_student, adjacent_grade_merge;
} pp_policy_change;

typedef struct {
    pp_change_kind kind;
    long line;                  /* source line, for messages */
    /* staff changes: type filter (add: the type); -1 any type (remove, availability) */
    int staff_type;
    char *speciality;           /* remove/availability: filter ("" = any); add-venues: the venue type */
    char **specialities;        /* add-staff: the new staff's specialities; "*" = every speciality
                                   an activity of the school asks for */
    int nspecialities;
    int count;                  /* add/remove: how many; 0 with remove: use fraction */
    double fraction;            /* remove: share of the matching staff; availability: share kept */
    uint8_t days;               /* add-staff, add-venues, availability: day mask; 0 = every school day */
    char **periods;             /* the same: period ids or kinds ("after-school"); none = all */
    int nperiods;
    int max_sessions, max_minutes; /* add-staff: limits; 0 = the school format's defaults (10, 600) */
    double rate;                /* add-staff: yuan per hour; 0 = policy subsidy */
    int capacity;               /* add-venues: capacity; 0 = the largest of that type in the school, else 40 */
    pp_policy_change policy;
    char *season;               /* season id */
} pp_change;

typedef struct pp_scenario {
    pp_arena *arena;
    char *id, *name;
    char *source;               /* file it was read from; "" built in memory */
    int nchanges;
    pp_change *changes;         /* in file order; applied in that order */
} pp_scenario;

/* A new empty scenario (the baseline: no change) with its own arena and the given
 * id and name (copied); NULL when out of memory.  Free with pp_scenario_free. */
pp_scenario *pp_scenario_new(const char *id, const char *name);
void pp_scenario_free(pp_scenario *sc);   /* NULL is a no-op */

/* Appends a change initialised to "nothing" for its kind (filters any, policy
 * fields -1) and returns it for the caller to fill; NULL when out of memory.  The
 * pointer is valid until the next append. */
pp_change *pp_scenario_add(pp_scenario *sc, pp_change_kind kind, long line);

/* Applies every change of sc to the validated school s, then validates s again.
 * Returns the number of problems added to d (0 = s is changed and valid).
 * Problems are "scenario-file:line: <change>: what; expected ..." for changes
 * that do not fit this school (an unknown season or period), then the
 * validation problems of the changed school.  On problems s may be partly
 * changed and must not be solved; the caller frees it. */
int pp_scenario_apply(const pp_scenario *sc, pp_school *s, pp_diags *d);

/* The element name of a change kind as in the scenario file ("add-staff", ...). */
const char *pp_change_kind_name(pp_change_kind k);

#endif
