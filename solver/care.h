/* care.h - forming care groups (托管/作业辅导/阅读) from whole admin classes by the
 * merge rules of DOMAIN.md, for one slot.
 *
 * Care grouping is local: who stays is input, and once the clubs of a slot are
 * fixed, each class's care count is known, so each slot is a small bin-packing
 * problem over class counts (MODEL-NOTES: "care grouping is nearly local").
 * Rules (docs/RULES.md G1-G7): a class with at least `threshold` students (or
 * more than group_max) is its own group, whatever its size; smaller classes merge into groups of at most group_max within their grade (tier
 * grade or class), or across the school (tier school), the smallest first; a grade
 * whose whole care count is below the threshold may join a group of an adjacent
 * grade (003), at a cross-grade penalty. */
#ifndef PP_CARE_H
#define PP_CARE_H

#include "model/model.h"

typedef struct {
    int cls;        /* admin class index (the caller's; carried through) */
    int grade;      /* grade level */
    int count;      /* students of the class in care at this slot, > 0 */
} pp_care_item;

typedef struct {
    int tier;                 /* pp_tier of the care activity */
    int threshold;            /* classes at or above this stay whole and alone */
    int group_max;            /* merged groups hold at most this many */
    int adjacent_grade_merge; /* may a small grade join an adjacent grade's group */
    double w_group, w_cross;  /* objective weights */
} pp_care_rules;

typedef struct {
    int ngroups;
    int ncross;       /* groups spanning two grades */
    double cost;      /* ngroups * w_group + ncross * w_cross */
    double lower;     /* lower bound on the cost of any valid grouping of these counts */
    int lower_groups; /* lower bound on the number of groups of any valid grouping */
} pp_care_result;

/* The venue type a care group of class cls meets in at period p: the care
 * activity's venue type when it names one, else the type of the class's home
 * room, else the most common home-room type of the school; -1 when there is none
 * (docs/RULES.md V1). */
int pp_care_room_type(const pp_school *s, int period, int cls);

/* The rules of the care activity of period p of school s. */
pp_care_rules pp_care_rules_of(const pp_school *s, int period);

/* Groups the n items; group_of[i] receives the group index (0..ngroups-1) of item i,
 * groups numbered by their smallest item index.  Returns 0, or -1 when out of memory
 * (group_of is then unspecified).  Deterministic. */
int pp_care_pack(const pp_care_item *items, int n, const pp_care_rules *r, int *group_of, pp_care_result *res);

/* The same, preferring a given grouping (a re-plan keeps the published one,
 * solver/perturb.h): prefer[i] is 1 + a label of item i's published group, 0 for
 * none.  Where a set of small classes packed together (no cross-grade join
 * there) can keep those groups - items of a label together, unlabelled ones by
 * first fit - in as few groups as the packing needs and with the smallest-first
 * rule kept (RULES.md G7), it does; the cost and bounds are those of
 * pp_care_pack.  prefer NULL: pp_care_pack. */
int pp_care_pack_prefer(const pp_care_item *items, int n, const pp_care_rules *r, const int *prefer, int *group_of,
                        pp_care_result *res);

#endif
