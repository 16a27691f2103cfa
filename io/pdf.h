/* pdf.h - timetable.pdf: the HTML 排片表 (io/html.h) printed by headless Chromium.
 *
 * Chromium is a program on PATH (chromium, chromium-browser or google-chrome);
 * it prints a private copy of timetable.html written beside the PDF (Chromium
 * decides a local file's type by its extension) and gets ten minutes before it
 * is stopped.  Paths are built on the heap (no length limit but the system's). */
#ifndef PP_PDF_H
#define PP_PDF_H

#include <stddef.h>

#include "model/model.h"
#include "model/plan.h"

/* The Chromium program found on PATH as a new string (the caller frees), or
 * NULL when there is none. */
char *pp_pdf_find_chromium(void);

/* Prints the timetable of plan p of school s to path (a PDF).  0, or -1 with
 * the reason in err (errlen bytes). */
int pp_pdf_write(const char *path, const pp_school *s, const pp_plan *p, char *err, size_t errlen);

#endif
