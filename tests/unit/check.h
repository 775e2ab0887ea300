/* check.h - the host unit tests' framework (header only, one test binary per module).
 *
 *   static void fmt_pads_with_zeros(void)
 *   {
 *       CHECK(x == 3, "x = %d; wanted 3", x);   // records a failure and goes on
 *       CHECK_STR(buf, "0042");                 // "buf = "42"; wanted "0042""
 *       CHECK_EQ(leaf & 7, 7);                  // 64-bit values, shown in hex
 *   }
 *   int main(void) { RUN(fmt_pads_with_zeros); return check_summary(); }
 *
 * RUN prints exactly one line on stdout per test: `PASS: <name>` or
 * `FAIL: <name>: <file>:<line>: <first failure message>` (the format
 * tests/run_tests.py reads). Every failure, not only the first, also goes to
 * stderr. check_summary() returns the exit status: 0 when all tests passed. */
#ifndef TESTS_UNIT_CHECK_H
#define TESTS_UNIT_CHECK_H
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h> /* with -Ilib this is lib/string.h: memcpy, memset, memcmp, strlen, strncmp only */

struct check_state {
    const char *test;  /* the test running now */
    unsigned failures; /* failed CHECKs in the test running now */
    char first[512];   /* its first failure message */
    unsigned run, failed;
};
static struct check_state check_state;

/* Formats one failure; keeps the first of the test (on one line) and echoes all to stderr. */
static __attribute__((format(printf, 3, 4), unused)) void check_fail(const char *file, int line, const char *fmt, ...)
{
    char msg[512];
    int n = snprintf(msg, sizeof msg, "%s:%d: ", file, line);
    va_list ap;
    va_start(ap, fmt);
    if (n > 0 && (size_t)n < sizeof msg)
        vsnprintf(msg + n, sizeof msg - (size_t)n, fmt, ap);
    va_end(ap);
    for (char *p = msg; *p; p++) /* the runner reads one line per test */
        if ((unsigned char)*p < ' ')
            *p = ' ';
    if (check_state.failures++ == 0)
        memcpy(check_state.first, msg, sizeof msg);
    fprintf(stderr, "  %s: %s\n", check_state.test ? check_state.test : "(no test)", msg);
}

/* strcmp()==0 and strstr()!=NULL, which lib/string.h lacks. */
static __attribute__((unused)) int check_streq(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return *a == *b;
}

static __attribute__((unused)) int check_contains(const char *haystack, const char *needle)
{
    size_t n = strlen(needle);
    for (; *haystack; haystack++)
        if (!strncmp(haystack, needle, n))
            return 1;
    return n == 0;
}

/* CHECK(cond, fmt, ...): when cond is false, record a failure described by fmt. */
#define CHECK(cond, ...)                                                                                               \
    do {                                                                                                               \
        if (!(cond))                                                                                                   \
            check_fail(__FILE__, __LINE__, __VA_ARGS__);                                                               \
    } while (0)

/* String equality; a NULL on either side only equals NULL. */
#define CHECK_STR(got, want)                                                                                           \
    do {                                                                                                               \
        const char *check_g_ = (got), *check_w_ = (want);                                                              \
        if (check_g_ != check_w_ && (!check_g_ || !check_w_ || !check_streq(check_g_, check_w_)))                      \
            check_fail(__FILE__, __LINE__, "%s = \"%s\"; wanted \"%s\"", #got, check_g_ ? check_g_ : "(NULL)",         \
                       check_w_ ? check_w_ : "(NULL)");                                                                \
    } while (0)

/* Integer equality, both sides shown in hex and decimal. */
#define CHECK_EQ(got, want)                                                                                            \
    do {                                                                                                               \
        unsigned long long check_g_ = (unsigned long long)(got), check_w_ = (unsigned long long)(want);                \
        if (check_g_ != check_w_)                                                                                      \
            check_fail(__FILE__, __LINE__, "%s = 0x%llx (%lld); wanted 0x%llx (%lld)", #got, check_g_,                 \
                       (long long)check_g_, check_w_, (long long)check_w_);                                            \
    } while (0)

static __attribute__((unused)) void check_run(const char *name, void (*fn)(void))
{
    check_state.test = name;
    check_state.failures = 0;
    check_state.first[0] = '\0';
    fn();
    check_state.run++;
    if (check_state.failures) {
        check_state.failed++;
        printf("FAIL: %s: %s\n", name, check_state.first);
    } else {
        printf("PASS: %s\n", name);
    }
    fflush(stdout);
    check_state.test = NULL;
}

/* RUN(test_fn): runs `static void test_fn(void)` and prints its PASS/FAIL line. */
#define RUN(fn) check_run(#fn, fn)

/* The process exit status: 0 when every test passed (and at least one ran), else 1. */
static __attribute__((unused)) int check_summary(void)
{
    fprintf(stderr, "%u tests, %u failed\n", check_state.run, check_state.failed);
    return check_state.run && !check_state.failed ? 0 : 1;
}

#endif
