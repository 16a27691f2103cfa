/* import.h - builds a school (docs/FORMAT.md) from the spreadsheets a school
 * keeps: a folder of CSV files and/or .xlsx workbooks, or one workbook, with one
 * table each for the school, policy, seasons, periods, grades, venues, classes,
 * activities, staff and students.  docs/SHEETS.md documents every table, its
 * Chinese (and English) column headers and the cell formats.
 *
 * The importer checks every cell it interprets (times, dates, numbers, days,
 * references by id or name) and reports each problem as
 * "file:sheet:row:column: what is wrong; expected ...", all of them in one run.
 * It then writes a school XML document and passes it through the project's own
 * loader (pp_xml_load_school_memory), whose problems are mapped back to the
 * sheet and row they came from.  The result is the loaded school written
 * canonically with pp_xml_write_school, so importing is deterministic.
 *
 * The module keeps no state; the table descriptions are constant. */
#ifndef PP_IMPORT_H
#define PP_IMPORT_H

#include <stddef.h>

#include "io/sheet.h"
#include "model/diag.h"
#include "model/model.h"

typedef enum {
    PP_TABLE_SCHOOL, PP_TABLE_POLICY, PP_TABLE_SEASONS, PP_TABLE_PERIODS, PP_TABLE_GRADES,
    PP_TABLE_VENUES, PP_TABLE_CLASSES, PP_TABLE_ACTIVITIES, PP_TABLE_STAFF, PP_TABLE_STUDENTS,
    PP_TABLES
} pp_table;

/* Chinese name of table t (学校, 规则, 时令, ...), its file/sheet name in templates. */
const char *pp_import_table_name(pp_table t);
/* English name of table t (school, policy, seasons, ...), also accepted. */
const char *pp_import_table_name_en(pp_table t);
/* Which table a file or sheet name (without extension) stands for; -1 none. */
int pp_import_table_of(const char *name);

/* The canonical (Chinese) header of column c of table t, in template order, and
 * the number of such columns.  The periods table has, besides these, one column
 * per season (headed by the season's name or id); the students table one per
 * service day and per choice (see HELPERS.md's shared contract and SHEETS.md). */
int pp_import_ncolumns(pp_table t);
/* Returns the header names of column c ('|'-separated: Chinese first, English
 * last; a static string) and sets *len to the length of the first name. */
const char *pp_import_column(pp_table t, int c, int *len);

/* Chinese label of policy key k (0 <= k < pp_import_npolicy()), its XML name
 * ("group-max", "workload-weight.club", "objective.rank"...) in *key. */
int pp_import_npolicy(void);
const char *pp_import_policy_label(int k, const char **key);

/* Builds the school from the tables (tables[t] NULL: not given; the policy and
 * grades tables may be left out).  src names the source in messages about a
 * missing table.  Returns the loaded, validated school (free with
 * pp_school_free), or NULL with every problem added to d. */
pp_school *pp_import_sheets(pp_sheet *const tables[PP_TABLES], const char *src, pp_diags *d);

/* Reads SRC (a folder of NAME.csv / NAME.xlsx files, or one .xlsx workbook with a
 * sheet per table) and builds the school as pp_import_sheets does.  encoding is
 * for the CSV files: NULL or "auto", "utf-8", "gbk", "gb18030". */
pp_school *pp_import_path(const char *src, const char *encoding, pp_diags *d);

/* Writes empty templates, one CSV per table (UTF-8 with BOM, header row only;
 * the policy template lists every rule with an empty value = the default) into
 * dir (created if missing), all through temporary files renamed when all are
 * complete.  Returns 0, or -1 with a message in d. */
int pp_import_write_templates(const char *dir, pp_diags *d);

#endif
