/* regroup.h - a re-plan's care grouping: the published groups of a slot kept
 * together as far as the counts allow (solver/perturb.h; care.c asks for it in
 * pp_care_pack_prefer).
 *
 * When students leave and join, the classes' care counts change and the packing
 * that needs the fewest groups may be another one than the published; the
 * grouping kept here has as few groups as the packing needs, so the cost and the
 * bound of the slot do not change, and care.c then restores the smallest-first
 * rule (RULES.md G7) as for any packing.  Internal to solver/. */
#ifndef PP_REGROUP_H
#define PP_REGROUP_H

#include "care.h"

/* Packs items list[0..m) (indices into items) into bin[] (by list position)
 * with at most maxb bins of cap, keeping together the items with the same label
 * prefer[list[i]] (1 + a published group; 0 none): one bin per label, its
 * smallest items taken out while it is over the cap; those and the unlabelled
 * items by first fit, largest first; when that needs more bins, the items of
 * the least loaded bins put back the same way (one bin more at a time); then a
 * search for the packing within maxb bins that keeps most same-label pairs
 * (node-limited).  load[] is scratch of m + 1 entries (it holds the bins'
 * loads on return).  Returns the bins used, or -1 when no item is labelled or
 * no such packing was found (or out of memory). */
int pp_regroup_bins(const pp_care_item *items, const int *list, int m, const int *prefer, int cap, int maxb, int *bin,
                    int *load);

#endif
