/* match.h - maximum bipartite matching by augmenting paths (Kuhn), over
 * candidate lists in preference order.
 *
 * Placing the groups of one slot in venues is such a matching (MODEL-NOTES: with
 * groups and times fixed, venues and staff are a transportation problem): a group
 * on the left, a venue on the right, an edge where the venue has the type, the
 * room and the time.  Left vertices are matched in index order and each tries
 * its candidates in the order they were added, so the caller puts what matters
 * most first; later vertices may move earlier ones to other candidates, never
 * unmatch them, so the result is a maximum matching.  Internal to solver/. */
#ifndef PP_MATCH_H
#define PP_MATCH_H

typedef struct pp_match pp_match;

/* A matching problem with nleft and nright vertices and no edges; NULL when out
 * of memory.  Free with pp_match_free (NULL is a no-op). */
pp_match *pp_match_new(int nleft, int nright);
void pp_match_free(pp_match *m);

/* Appends right vertex r to the candidates of left vertex l.  0, or -1 when out
 * of memory (the problem is then unchanged). */
int pp_match_add(pp_match *m, int l, int r);

/* Matches the left vertices in index order; returns how many are matched. */
int pp_match_run(pp_match *m);

/* The right vertex matched to l after pp_match_run, or -1. */
int pp_match_of(const pp_match *m, int l);

#endif
