/* csv_read.c - CSV tables through iconv and libcsv (see csv_read.h).
 *
 * The bytes are first made UTF-8 (BOM dropped, GB18030 converted) so that libcsv
 * and everything after it see one encoding; GB18030 never uses the bytes of
 * '"', ',' CR or LF inside a character, so converting before parsing is safe.
 * libcsv runs in strict mode (a stray quote is an error, an unterminated quoted
 * cell at the end is an error) and reports every line break as a record end, so
 * that blank lines keep the spreadsheet's row numbers; the LF of a CRLF pair is
 * skipped. */
#include "csv_read.h"
#include "io/files.h"

#include <csv.h>
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#define CSV_BLOCK 4096 /* libcsv's buffer growth step */

int pp_csv_encoding_known(const char *name)
{
    return !name || !strcasecmp(name, "auto") || !strcasecmp(name, "utf-8") || !strcasecmp(name, "utf8") ||
           !strcasecmp(name, "gbk") || !strcasecmp(name, "gb18030") || !strcasecmp(name, "gb2312");
}

static long line_of(const char *buf, size_t off)
{
    long line = 1;
    for (size_t i = 0; i < off; i++)
        line += buf[i] == '\n';
    return line;
}

/* Whether a valid UTF-8 line looks like Chinese UTF-8 rather than GBK bytes that
 * happen to be valid UTF-8 (short GBK text often is: 谢诺 = D0BB C5B5 reads as
 * two 2-byte sequences): more 3-byte CJK sequences than 2-byte ones. */
static int looks_utf8_chinese(const char *p, size_t len)
{
    int cjk = 0, two = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c >= 0xC2 && c <= 0xDF)
            two++;
        else if (c >= 0xE3 && c <= 0xEF) /* U+3000..U+FFFF: CJK, punctuation, full-width forms */
            cjk++;
    }
    return cjk > two;
}

/* In auto mode, a file that is not UTF-8 as a whole but has UTF-8 lines with
 * Chinese text is two encodings pasted together: converting it either way
 * garbles half of it.  Returns 1 (and reports) when so. */
static int mixed_encoding(const char *buf, size_t len, const char *file, const char *table, pp_diags *d)
{
    long utf8_line = 0, other_line = 0, line = 1;
    size_t a = 0;
    while (a < len && (!utf8_line || !other_line)) {
        size_t b = a;
        int ascii = 1;
        while (b < len && buf[b] != '\n') {
            ascii &= (unsigned char)buf[b] < 0x80;
            b++;
        }
        if (!ascii) {
            if (pp_utf8_valid(buf + a, b - a)) {
                if (!utf8_line && looks_utf8_chinese(buf + a, b - a)) /* else ambiguous: may be GBK */
                    utf8_line = line;
            } else if (!other_line)
                other_line = line;
        }
        a = b + 1;
        line++;
    }
    if (!utf8_line || !other_line)
        return 0;
    pp_diags_add(d, NULL, 0,
                 "%s:%s:%ld: this line is UTF-8 but line %ld is not (GBK?): the file mixes two encodings; "
                 "expected one encoding for the whole file (save it again from the spreadsheet as CSV UTF-8)",
                 file, table, utf8_line, other_line);
    return 1;
}

/* GB18030 bytes into a new UTF-8 buffer (caller frees); NULL with a message. */
static char *from_gb18030(const char *buf, size_t len, size_t *olen, const char *file, const char *table,
                          const char *enc, pp_diags *d)
{
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    if (cd == (iconv_t)-1) {
        pp_diags_add(d, NULL, 0, "%s:%s: cannot convert from GB18030 on this system (iconv: %s); expected glibc's iconv",
                     file, table, strerror(errno));
        return NULL;
    }
    size_t cap = 2 * len + 16; /* a GB18030 character never grows by more than half in UTF-8 */
    char *out = malloc(cap);
    char *in = (char *)buf, *o = out;
    size_t inleft = len, oleft = cap;
    if (out && iconv(cd, &in, &inleft, &o, &oleft) == (size_t)-1) {
        size_t off = (size_t)(in - buf);
        pp_diags_add(d, NULL, 0, "%s:%s:%ld: byte 0x%02X is not valid %s text; expected the whole file in one encoding "
                     "(UTF-8, or GBK/GB18030 as Chinese Excel saves CSV)",
                     file, table, line_of(buf, off), (unsigned char)buf[off], enc);
        free(out);
        out = NULL;
    } else if (!out)
        pp_diags_add(d, NULL, 0, "%s:%s: out of memory converting the file", file, table);
    iconv_close(cd);
    if (out)
        *olen = (size_t)(o - out);
    return out;
}

/* libcsv's field buffer may not grow past one cell's limit: a 10 MB cell stops
 * the parse at 64 KiB instead of being buffered (libcsv grows the buffer in
 * fixed steps, each a copy under a sanitizer or valgrind).  Stateless, so it
 * can be libcsv's allocator. */
static void *bounded_realloc(void *p, size_t n)
{
    return n > (size_t)PP_SHEET_MAX_CELL + 2 * CSV_BLOCK ? NULL : realloc(p, n);
}

typedef struct {
    pp_sheet *sh;
    pp_diags *d;
    long row;        /* spreadsheet row being read */
    int col;         /* next cell's column */
    int last_end;    /* terminator of the last record end, for CRLF */
    int errors;
    int nomem;
} reader;

static void on_cell(void *s, size_t len, void *data)
{
    reader *r = data;
    char col[8];
    if (len > PP_SHEET_MAX_CELL) {
        pp_diags_add(r->d, NULL, 0, "%s:%s:%ld:%s: the cell holds %zu bytes; expected at most %d bytes in one cell",
                     r->sh->file, r->sh->name, r->row, pp_sheet_col_name(r->col, col), len, PP_SHEET_MAX_CELL);
        r->errors++;
    } else if (r->col == PP_SHEET_MAX_COLS) {
        pp_diags_add(r->d, NULL, 0, "%s:%s:%ld: the row has more than %d cells; expected at most %d columns",
                     r->sh->file, r->sh->name, r->row, PP_SHEET_MAX_COLS, PP_SHEET_MAX_COLS);
        r->errors++;
    } else if (r->col < PP_SHEET_MAX_COLS && len > 0 && pp_sheet_set(r->sh, r->row, r->col, s, len))
        r->nomem = 1;
    r->col++;
    r->last_end = 0;
}

static void on_row(int c, void *data)
{
    reader *r = data;
    if (c == '\n' && r->last_end == '\r' && r->col == 0) {
        r->last_end = 0; /* the LF of CRLF: the record already ended at the CR */
        return;
    }
    r->row++;
    r->col = 0;
    r->last_end = c;
}

pp_sheet *pp_csv_parse(const char *buf, size_t len, const char *file, const char *table, const char *encoding,
                       pp_diags *d)
{
    if (!pp_csv_encoding_known(encoding)) {
        pp_diags_add(d, NULL, 0, "%s:%s: encoding \"%s\" is not supported; expected utf-8, gbk or gb18030", file, table,
                     encoding);
        return NULL;
    }
    if (len > (size_t)PP_SHEET_MAX_FILE) {
        pp_diags_add(d, NULL, 0, "%s:%s: the file is %zu bytes; expected at most %ld bytes for one table", file, table,
                     len, PP_SHEET_MAX_FILE);
        return NULL;
    }
    const char *nul = memchr(buf, '\0', len);
    if (nul) {
        pp_diags_add(d, NULL, 0, "%s:%s:%ld: the file contains a NUL byte (a binary file, or UTF-16?); expected a CSV text "
                     "file in UTF-8 or GBK", file, table, line_of(buf, (size_t)(nul - buf)));
        return NULL;
    }
    int gb = encoding && (!strcasecmp(encoding, "gbk") || !strcasecmp(encoding, "gb18030") ||
                          !strcasecmp(encoding, "gb2312"));
    int auto_enc = !encoding || !strcasecmp(encoding, "auto");
    if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) {
        /* a UTF-8 BOM settles the encoding of this file, whatever --encoding says
         * for the others (a folder may mix Excel's "CSV UTF-8" and GBK files) */
        buf += 3;
        len -= 3;
        gb = 0;
        auto_enc = 0;
    }
    char *conv = NULL;
    if (auto_enc && !pp_utf8_valid(buf, len)) {
        if (mixed_encoding(buf, len, file, table, d))
            return NULL;
        gb = 1;
    } else if (!gb && !pp_utf8_valid(buf, len)) {
        size_t off = 0; /* find the first bad line for the message */
        long line = 1;
        for (size_t a = 0; a <= len; a++)
            if (a == len || buf[a] == '\n') {
                if (!pp_utf8_valid(buf + off, a - off))
                    break;
                off = a + 1;
                line++;
            }
        pp_diags_add(d, NULL, 0, "%s:%s:%ld: the line is not valid UTF-8; expected UTF-8 text (the file starts with a UTF-8 BOM, or --encoding said so) "
                     "or a file saved whole in GBK", file, table, line);
        return NULL;
    }
    if (gb) {
        size_t n;
        conv = from_gb18030(buf, len, &n, file, table, encoding && !auto_enc ? encoding : "GB18030", d);
        if (!conv)
            return NULL;
        buf = conv;
        len = n;
        if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) { /* GB18030's own BOM, converted */
            buf += 3;
            len -= 3;
        }
    }
    reader r = { pp_sheet_new(file, table), d, 1, 0, 0, 0, 0 };
    struct csv_parser p;
    if (!r.sh || csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL) != 0) {
        pp_diags_add(d, NULL, 0, "%s:%s: out of memory reading the file", file, table);
        pp_sheet_free(r.sh);
        free(conv);
        return NULL;
    }
    csv_set_realloc_func(&p, bounded_realloc);
    csv_set_blk_size(&p, CSV_BLOCK);
    size_t done = csv_parse(&p, buf, len, on_cell, on_row, &r);
    int bad = done < len || csv_fini(&p, on_cell, on_row, &r) != 0;
    if (bad) {
        char col[8];
        if (csv_error(&p) == CSV_ENOMEM && csv_get_buffer_size(&p) + 2 * CSV_BLOCK > PP_SHEET_MAX_CELL)
            pp_diags_add(d, NULL, 0, "%s:%s:%ld:%s: the cell holds more than %d bytes; expected at most %d bytes in one "
                         "cell", file, table, r.row, pp_sheet_col_name(r.col, col), PP_SHEET_MAX_CELL, PP_SHEET_MAX_CELL);
        else if (csv_error(&p) == CSV_EPARSE)
            pp_diags_add(d, NULL, 0, "%s:%s:%ld:%s: unbalanced quotes: a quoted cell is not closed, or a \" stands "
                         "inside an unquoted cell; expected a cell either unquoted without \", or in \"...\" with every "
                         "\" inside doubled (\"\")", file, table, r.row, pp_sheet_col_name(r.col, col));
        else
            pp_diags_add(d, NULL, 0, "%s:%s:%ld: cannot parse the file (%s)", file, table, r.row,
                         csv_strerror(csv_error(&p)));
        r.errors++;
    }
    csv_free(&p);
    free(conv);
    if (r.nomem) {
        pp_diags_add(d, NULL, 0, "%s:%s: out of memory reading the file", file, table);
        r.errors++;
    }
    if (r.errors) {
        pp_sheet_free(r.sh);
        return NULL;
    }
    pp_sheet_finish(r.sh);
    return r.sh;
}

char *pp_read_file_limited(const char *path, long max, size_t *len, pp_diags *d)
{
    char why[600];
    FILE *f = pp_file_open_input(path, "a readable file", why, sizeof why); /* a FIFO or a device is refused unread */
    if (!f) {
        pp_diags_add(d, path, 0, "%s", why);
        return NULL;
    }
    struct stat sb; /* refuse a big file before reading any of it; the loop below still counts */
    if (fstat(fileno(f), &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size > max) {
        pp_diags_add(d, path, 0, "the file is %lld bytes; expected at most %ld bytes for one table", (long long)sb.st_size,
                     max);
        fclose(f);
        return NULL;
    }
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap + 1);
    while (buf) {
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap || ferror(f))
            break;
        if ((long)cap > max) {
            pp_diags_add(d, path, 0, "the file is larger than %ld bytes; expected at most that for one table", max);
            free(buf);
            fclose(f);
            return NULL;
        }
        char *nb = realloc(buf, 2 * cap + 1);
        if (!nb) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = nb;
        cap *= 2;
    }
    int bad = ferror(f);
    fclose(f);
    if (!buf || bad) {
        pp_diags_add(d, path, 0, bad ? "cannot read the file; expected a readable file" : "out of memory reading the file");
        free(buf);
        return NULL;
    }
    if ((long)n > max) {
        pp_diags_add(d, path, 0, "the file is %zu bytes; expected at most %ld bytes for one table", n, max);
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

pp_sheet *pp_csv_read(const char *path, const char *table, const char *encoding, pp_diags *d)
{
    size_t len;
    char *buf = pp_read_file_limited(path, PP_SHEET_MAX_FILE, &len, d);
    if (!buf)
        return NULL;
    pp_sheet *s = pp_csv_parse(buf, len, path, table, encoding, d);
    free(buf);
    return s;
}
