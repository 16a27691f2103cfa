/* priority.h - priority students first (重点保障群体, 000/003; docs/RULES.md P2), on
 * the club and course groups the program made, before care is packed.
 *
 * The objective weighs a priority student's choices by priority-choice-factor,
 * which makes the search prefer them but does not rule out a plan where a priority
 * student got none of their choices while a non-priority student holds a seat they
 * could take.  This pass swaps such seats; group sizes do not change, so every
 * club rule still holds.  Internal to solver/. */
#ifndef PP_PRIORITY_H
#define PP_PRIORITY_H

#include "clubs.h"

/* Swaps, in groups[0..n), priority students who got none of their choices into
 * the seats of non-priority students of groups they chose and may join; a
 * displaced student is given a seat in another group of their choices with room
 * when there is one.  Returns the number of swaps, -1 when out of memory (the
 * groups are then as they were, or with some swaps done: still a valid plan). */
int pp_priority_first(const pp_school *s, pp_club_group *groups, int n);

#endif
