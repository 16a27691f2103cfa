/* test_xml_safety.c - hostile XML is refused quickly, in bounded memory, with a
 * message an administrator can act on, and never makes paipian touch the network:
 *   - 100,000 nested elements, a 20 MB and a 9 MB attribute value, 20 MB of text,
 *     300,000 attributes on one tag (also in a timetable), a 70 MB file: each
 *     refused (the school ones in a forked child
 *     whose peak resident memory, wait4's ru_maxrss, and time are measured);
 *   - xsi:schemaLocation, xsi:noNamespaceSchemaLocation, XInclude, an external
 *     DTD and an xml-stylesheet, all pointing at http:// on a local port this test
 *     listens on: nothing ever connects (the school and timetable readers).
 * Run from the repository root (make test does). */
#define _DEFAULT_SOURCE /* wait4: the peak memory of one child */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "util.h"
#include "io/school_xml.h"
#include "io/timetable_xml.h"

#define TINY "instances/tiny.xml"
#define HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<school xmlns=\"urn:paipian:school:1\" id=\"x\">\n"

/* Sanitizers and valgrind multiply memory and time; the limits are for native runs. */
#if defined(__SANITIZE_ADDRESS__)
#define SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SANITIZED 1
#endif
#endif
#ifndef SANITIZED
#define SANITIZED 0
#endif

static long rss_limit_kb(long native_mb)
{
    const char *pre = getenv("LD_PRELOAD");
    if (SANITIZED || (pre && strstr(pre, "vgpreload")))
        return (native_mb * 4 + 512) * 1024;
    return native_mb * 1024;
}

static double time_limit(double native)
{
    const char *pre = getenv("LD_PRELOAD");
    return SANITIZED ? native * 10 : pre && strstr(pre, "vgpreload") ? native * 60 : native;
}


/* Builds a hostile document into a heap buffer (caller frees). */
typedef char *(*maker)(size_t *len);

static char *cat3(const char *a, size_t nb, char fill, const char *c, size_t *len)
{
    size_t na = strlen(a), nc = strlen(c);
    char *b = malloc(na + nb + nc + 1);
    assert_non_null(b);
    memcpy(b, a, na);
    memset(b + na, fill, nb);
    memcpy(b + na + nb, c, nc + 1);
    *len = na + nb + nc;
    return b;
}

static char *deep_100k(size_t *len)
{
    enum { DEPTH = 100000 };
    size_t nh = strlen(HEAD);
    char *b = malloc(nh + 7 * (size_t)DEPTH + 16);
    assert_non_null(b);
    char *p = b + nh;
    memcpy(b, HEAD, nh);
    for (int i = 0; i < DEPTH; i++, p += 3)
        memcpy(p, "<a>", 3);
    for (int i = 0; i < DEPTH; i++, p += 4)
        memcpy(p, "</a>", 4);
    memcpy(p, "</school>\n", 11);
    *len = (size_t)(p - b) + 10;
    return b;
}

static char *attr_20mb(size_t *len)
{
    return cat3("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<school xmlns=\"urn:paipian:school:1\" id=\"x\" name=\"",
                20u << 20, 'A', "\"/>\n", len);
}

/* tiny.xml with a 9 MB school name: under libxml2's limit, so the schema's length
 * rule is what refuses it. */
static char *attr_9mb_in_school(size_t *len)
{
    size_t n;
    char *tiny = tu_slurp(TINY, &n);
    assert_non_null(tiny);
    char *at = strstr(tiny, "name=\"示例小学\"");
    assert_non_null(at);
    *at = '\0';
    size_t fill = 9u << 20;
    char *b = cat3(tiny, fill, 'A', "", len);
    const char *rest = at + strlen("name=\"示例小学");
    /* name="AAAA...: the opening quote and the rest of the file follow the fill */
    char *full = malloc(*len + strlen(rest) + 16);
    assert_non_null(full);
    size_t head = strlen(tiny);
    memcpy(full, tiny, head);
    memcpy(full + head, "name=\"", 6);
    memcpy(full + head + 6, b + head, fill);
    memcpy(full + head + 6 + fill, rest, strlen(rest) + 1);
    *len = head + 6 + fill + strlen(rest);
    free(b);
    free(tiny);
    return full;
}

static char *text_20mb(size_t *len)
{
    return cat3(HEAD "<policy/>", 20u << 20, 'B', "</school>\n", len);
}

static char *attrs_300k(size_t *len)
{
    enum { N = 300000 };
    size_t cap = strlen(HEAD) + (size_t)N * 16 + 64, at;
    char *b = malloc(cap);
    assert_non_null(b);
    at = (size_t)snprintf(b, cap, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<school xmlns=\"urn:paipian:school:1\" id=\"x\"");
    for (int i = 0; i < N; i++)
        at += (size_t)snprintf(b + at, cap - at, " a%d=\"1\"", i);
    at += (size_t)snprintf(b + at, cap - at, "/>\n");
    *len = at;
    return b;
}

/* Loads what make() builds in a child process; returns 0 there when the load was
 * refused with a message containing expected.  The parent measures the child. */
static void refused_in_bounds(maker make, const char *expected, long native_mb, double native_s)
{
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        size_t len;
        char *buf = make(&len);
        pp_diags *d = pp_diags_new();
        pp_school *s = pp_xml_load_school_memory(buf, len, "hostile.xml", d);
        int found = 0;
        for (int i = 0; i < pp_diags_count(d); i++) {
            found |= strstr(pp_diags_get(d, i), expected) != NULL;
            fprintf(stderr, "  %s\n", pp_diags_get(d, i));
        }
        int rc = s == NULL && found ? 0 : 1;
        pp_school_free(s);
        pp_diags_free(d);
        free(buf);
        _exit(rc);
    }
    int status;
    struct rusage ru;
    assert_int_equal(wait4(pid, &status, 0, &ru), pid);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double sec = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
    print_message("  refused in %.2f s, peak RSS %.1f MiB (limit %ld MiB)\n", sec, ru.ru_maxrss / 1024.0,
                  rss_limit_kb(native_mb) / 1024);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    assert_true(ru.ru_maxrss < rss_limit_kb(native_mb));
    assert_true(sec < time_limit(native_s));
}

static void nesting_100000_deep_is_refused(void **state)
{
    (void)state;
    refused_in_bounds(deep_100k, "hostile.xml:3: XML syntax error: elements are nested more than 256 levels deep", 32, 1.0);
}

static void attribute_of_20_mb_is_refused(void **state)
{
    (void)state;
    refused_in_bounds(attr_20mb, "an attribute value is longer than 10,000,000 bytes", 96, 2.0);
}

static void attribute_of_9_mb_is_refused_by_length(void **state)
{
    (void)state;
    refused_in_bounds(attr_9mb_in_school, "hostile.xml:3: <school id=\"demo\">: name=\"AAAA", 96, 2.0);
    refused_in_bounds(attr_9mb_in_school, "...\" is 9437184 characters long; expected text of at most 1000 characters", 96, 2.0);
}

static void text_of_20_mb_is_refused(void **state)
{
    (void)state;
    refused_in_bounds(text_20mb, "character content other than whitespace is not allowed", 128, 2.0);
}

static void tag_with_300000_attributes_is_refused_fast(void **state)
{
    (void)state;
    refused_in_bounds(attrs_300k, "hostile.xml:2: an element has more than 256 attributes", 32, 1.0);
}

/* A 70 MB file (sparse: no disk used) is refused from its size, without reading it. */
static void file_over_64_mb_is_refused_unread(void **state)
{
    (void)state;
    char path[] = "/tmp/paipian_big_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(ftruncate(fd, 70L << 20), 0);
    close(fd);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        pp_diags *d = pp_diags_new();
        pp_school *s = pp_xml_load_school(path, d);
        int ok = !s && pp_diags_count(d) == 1 &&
                 strstr(pp_diags_get(d, 0), ": the file is 70.0 MB; expected a school XML file of at most 64 MB") != NULL;
        if (!ok && pp_diags_count(d))
            fprintf(stderr, "  %s\n", pp_diags_get(d, 0));
        _exit(ok ? 0 : 1);
    }
    int status;
    struct rusage ru;
    assert_int_equal(wait4(pid, &status, 0, &ru), pid);
    unlink(path);
    print_message("  peak RSS %.1f MiB\n", ru.ru_maxrss / 1024.0);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    assert_true(ru.ru_maxrss < rss_limit_kb(16));
}

/* ---- no network ----------------------------------------------------------- */

/* A listening socket on 127.0.0.1 with a kernel-chosen port (non-blocking). */
static int listen_local(int *port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    struct sockaddr_in a = { 0 };
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(listen(fd, 8), 0);
    socklen_t n = sizeof a;
    assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &n), 0);
    *port = ntohs(a.sin_port);
    return fd;
}

/* Whether anyone connected to the listener (a connection waits in its queue). */
static int was_contacted(int fd)
{
    struct pollfd p = { fd, POLLIN, 0 };
    return poll(&p, 1, 100) > 0;
}

/* tiny.xml with text inserted after the root's start tag name, and before its
 * first child (caller frees). */
static char *tiny_with(const char *root_attrs, const char *first_child, const char *prolog)
{
    size_t n;
    char *tiny = tu_slurp(TINY, &n);
    assert_non_null(tiny);
    char *root = strstr(tiny, "<school ");
    char *gt = strchr(root, '>');
    assert_non_null(gt);
    size_t cap = n + strlen(root_attrs) + strlen(first_child) + strlen(prolog) + 8;
    char *b = malloc(cap);
    assert_non_null(b);
    char *decl_end = strstr(tiny, "?>") + 2;
    size_t p = 0;
    memcpy(b, tiny, (size_t)(decl_end - tiny));
    p = (size_t)(decl_end - tiny);
    p += (size_t)snprintf(b + p, cap - p, "\n%s", prolog);
    memcpy(b + p, decl_end, (size_t)(gt - decl_end));
    p += (size_t)(gt - decl_end);
    p += (size_t)snprintf(b + p, cap - p, "%s>%s", root_attrs, first_child);
    memcpy(b + p, gt + 1, strlen(gt + 1) + 1);
    free(tiny);
    return b;
}

static void school_reader_never_connects(void **state)
{
    (void)state;
    int port;
    int fd = listen_local(&port);
    char attrs[512], child[256], dtd[256];
    snprintf(attrs, sizeof attrs,
             " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\""
             " xsi:schemaLocation=\"urn:paipian:school:1 http://127.0.0.1:%d/school.xsd\"", port);
    /* 1. schema hints are ignored: the embedded schema is the only one, the school loads */
    char *xml = tiny_with(attrs, "", "");
    pp_diags *d = pp_diags_new();
    pp_school *s = pp_xml_load_school_memory(xml, strlen(xml), "hint.xml", d);
    assert_non_null(s);
    pp_school_free(s);
    free(xml);
    snprintf(attrs, sizeof attrs,
             " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\""
             " xsi:noNamespaceSchemaLocation=\"http://127.0.0.1:%d/other.xsd\"", port);
    xml = tiny_with(attrs, "", "");
    s = pp_xml_load_school_memory(xml, strlen(xml), "hint2.xml", d);
    assert_non_null(s);
    pp_school_free(s);
    free(xml);
    assert_int_equal(pp_diags_count(d), 0);
    /* 2. XInclude is not processed: the element is refused as unknown */
    snprintf(child, sizeof child, "<xi:include xmlns:xi=\"http://www.w3.org/2001/XInclude\" href=\"http://127.0.0.1:%d/more.xml\"/>",
             port);
    xml = tiny_with("", child, "");
    s = pp_xml_load_school_memory(xml, strlen(xml), "xinclude.xml", d);
    assert_null(s);
    free(xml);
    /* 3. an external DTD and a stylesheet are not fetched either */
    snprintf(dtd, sizeof dtd, "<!DOCTYPE school SYSTEM \"http://127.0.0.1:%d/school.dtd\">\n", port);
    xml = tiny_with("", "", dtd);
    s = pp_xml_load_school_memory(xml, strlen(xml), "dtd.xml", d);
    assert_null(s);
    free(xml);
    snprintf(dtd, sizeof dtd, "<?xml-stylesheet type=\"text/xsl\" href=\"http://127.0.0.1:%d/s.xsl\"?>\n", port);
    xml = tiny_with("", "", dtd);
    s = pp_xml_load_school_memory(xml, strlen(xml), "xsl.xml", d);
    assert_non_null(s);
    pp_school_free(s);
    free(xml);
    for (int i = 0; i < pp_diags_count(d); i++)
        print_message("  %s\n", pp_diags_get(d, i));
    assert_int_equal(pp_diags_count(d), 2); /* the XInclude element, the DOCTYPE */
    assert_non_null(strstr(pp_diags_get(d, 0), "xinclude.xml:4: <school id=\"demo\"><include>: this element is not expected"));
    assert_non_null(strstr(pp_diags_get(d, 1), "dtd.xml:2: <!DOCTYPE school>: document type declarations are refused"));
    assert_false(was_contacted(fd));
    pp_diags_free(d);
    close(fd);
}

/* Creates and opens a new file from the mkstemp template path (caller closes and unlinks). */
static FILE *temp_file(char *path)
{
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    assert_non_null(f);
    return f;
}

static void timetable_reader_never_connects(void **state)
{
    (void)state;
    int port;
    int fd = listen_local(&port);
    pp_diags *d = pp_diags_new();
    pp_school *s = pp_xml_load_school(TINY, d);
    assert_non_null(s);
    char path[] = "/tmp/paipian_tt_XXXXXX";
    FILE *f = temp_file(path);
    fprintf(f,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<timetable xmlns=\"urn:paipian:timetable:1\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\""
            " xsi:schemaLocation=\"urn:paipian:timetable:1 http://127.0.0.1:%d/t.xsd\" school=\"demo\" status=\"feasible\">\n"
            "  <xi:include xmlns:xi=\"http://www.w3.org/2001/XInclude\" href=\"http://127.0.0.1:%d/g.xml\"/>\n"
            "</timetable>\n",
            port, port);
    fclose(f);
    pp_plan *p = pp_ttxml_read(path, s, d);
    unlink(path);
    assert_null(p); /* the include element is not in the timetable schema */
    assert_true(pp_diags_count(d) >= 1);
    assert_false(was_contacted(fd));
    pp_school_free(s);
    pp_diags_free(d);
    close(fd);
}

/* `paipian check` reads timetable.xml: the same attribute limit holds there. */
static void timetable_tag_with_300000_attributes_is_refused_fast(void **state)
{
    (void)state;
    pp_diags *d = pp_diags_new();
    pp_school *s = pp_xml_load_school(TINY, d);
    assert_non_null(s);
    char path[] = "/tmp/paipian_tt_XXXXXX";
    FILE *f = temp_file(path);
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<timetable xmlns=\"urn:paipian:timetable:1\" school=\"demo\"");
    for (int i = 0; i < 300000; i++)
        fprintf(f, " a%d=\"1\"", i);
    fprintf(f, "/>\n");
    fclose(f);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pp_plan *p = pp_ttxml_read(path, s, d);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    unlink(path);
    double sec = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
    assert_null(p);
    assert_int_equal(pp_diags_count(d), 1);
    assert_non_null(strstr(pp_diags_get(d, 0), ":2: an element has more than 256 attributes"));
    assert_true(sec < time_limit(1.0));
    pp_school_free(s);
    pp_diags_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(nesting_100000_deep_is_refused),
        cmocka_unit_test(attribute_of_20_mb_is_refused),
        cmocka_unit_test(attribute_of_9_mb_is_refused_by_length),
        cmocka_unit_test(text_of_20_mb_is_refused),
        cmocka_unit_test(tag_with_300000_attributes_is_refused_fast),
        cmocka_unit_test(file_over_64_mb_is_refused_unread),
        cmocka_unit_test(school_reader_never_connects),
        cmocka_unit_test(timetable_reader_never_connects),
        cmocka_unit_test(timetable_tag_with_300000_attributes_is_refused_fast),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
