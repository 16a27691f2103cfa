/* diag.h - a list of problems found in a user's file, each one line that a school
 * administrator can act on:  "school.xml:42: <student id="s1">: class "c9" is not
 * defined; expected the id of a <class>".
 *
 * Loaders and the checker collect every problem instead of stopping at the first,
 * so one run shows the user everything to fix. */
#ifndef PP_DIAG_H
#define PP_DIAG_H

#include <stdio.h>

typedef struct pp_diags pp_diags;

/* Returns an empty list, NULL when out of memory.  Free with pp_diags_free. */
pp_diags *pp_diags_new(void);
void pp_diags_free(pp_diags *d);          /* NULL is a no-op */

/* Appends one message formatted like printf.  When file is non-NULL the message is
 * prefixed "file:line: " (line 0 prints "file: ").  Out of memory is counted, never fatal.
 * The message is stored escaped (pp_text_escape): user text quoted in it cannot
 * drive the terminal it is shown on.  A message beginning "out of memory" marks
 * the list as out of memory (pp_diags_oom).  d NULL is a no-op. */
void pp_diags_add(pp_diags *d, const char *file, long line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

int pp_diags_count(const pp_diags *d);

/* Whether a problem in d is a lack of memory rather than bad input: a message
 * was lost, began "out of memory", or pp_diags_set_oom was called (the caller
 * then says "out of memory", exit 4, not "invalid input", exit 2). */
int pp_diags_oom(const pp_diags *d);
void pp_diags_set_oom(pp_diags *d);

/* Writes s to f with every character that could act on a terminal or hide
 * text escaped: C0/C1 controls and DEL as \xNN (ESC is \x1b), bidirectional
 * overrides, isolates, zero-width and line-separator characters as \uNNNN
 * (U+202E is \u202e), and bytes that are not UTF-8 as \xNN.  For any user text
 * printed outside a pp_diags message. */
void pp_text_escape(FILE *f, const char *s);
/* The i-th message, owned by the list. */
const char *pp_diags_get(const pp_diags *d, int i);
/* Writes every message, one per line, to f. */
void pp_diags_print(const pp_diags *d, FILE *f);

#endif
