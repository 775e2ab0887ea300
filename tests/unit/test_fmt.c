/* test_fmt.c - lib/fmt.c against the C standard's printf rules (C11 7.21.6.1)
 * for the subset fmt.h documents. */
#include "check.h"
#include "fmt.h"
#include <limits.h>
#include <stdint.h>

/* fmt_vformat through a sink that counts its calls (no format attribute, so
 * formats gcc would warn about can be tried too). */
struct sink {
    char buf[256];
    size_t len;
};

static void sink_put(void *ctx, char c)
{
    struct sink *s = ctx;
    if (s->len + 1 < sizeof s->buf)
        s->buf[s->len] = c;
    s->len++;
}

static int vfmt(struct sink *s, const char *fmt, ...)
{
    va_list ap;
    memset(s, 0, sizeof *s);
    va_start(ap, fmt);
    int n = fmt_vformat(sink_put, s, fmt, ap);
    va_end(ap);
    return n;
}

/* fmt_snprintf into a 128-byte buffer; checks the return value is the length. */
#define FMT(want, ...)                                                                                                 \
    do {                                                                                                               \
        char fmt_buf_[128];                                                                                            \
        memset(fmt_buf_, 'Z', sizeof fmt_buf_);                                                                        \
        int fmt_n_ = fmt_snprintf(fmt_buf_, sizeof fmt_buf_, __VA_ARGS__);                                             \
        CHECK(check_streq(fmt_buf_, want), "fmt_snprintf(%s) gave \"%s\"; wanted \"%s\"", #__VA_ARGS__, fmt_buf_,      \
              want);                                                                                                   \
        CHECK(fmt_n_ == (int)strlen(want), "fmt_snprintf(%s) returned %d; wanted %d", #__VA_ARGS__, fmt_n_,            \
              (int)strlen(want));                                                                                      \
    } while (0)

static void fmt_prints_plain_text_and_percent(void)
{
    FMT("", "%s", "");
    FMT("hello, world", "hello, world");
    FMT("100%", "100%%");
    FMT("%%", "%%%%");
    FMT("a%b", "a%%b");
}

static void fmt_prints_signed_decimal(void)
{
    FMT("0", "%d", 0);
    FMT("42", "%d", 42);
    FMT("-42", "%d", -42);
    FMT("-1", "%i", -1);
    FMT("2147483647", "%d", INT_MAX);
    FMT("-2147483648", "%d", INT_MIN);
    FMT("-9223372036854775808", "%lld", (long long)INT64_MIN);
    FMT("9223372036854775807", "%lld", (long long)INT64_MAX);
    FMT("-5000000000", "%ld", -5000000000l);
}

static void fmt_prints_unsigned_decimal(void)
{
    FMT("0", "%u", 0u);
    FMT("4294967295", "%u", UINT_MAX);
    FMT("4294967295", "%u", -1); /* the int's bits as unsigned */
    FMT("18446744073709551615", "%llu", (unsigned long long)UINT64_MAX);
    FMT("123456789012", "%zu", (size_t)123456789012ull);
}

static void fmt_prints_hex_in_both_cases(void)
{
    FMT("0", "%x", 0u);
    FMT("deadbeef", "%x", 0xdeadbeefu);
    FMT("DEADBEEF", "%X", 0xdeadbeefu);
    FMT("ffffffff", "%x", -1);
    FMT("a", "%x", 10u);
    FMT("fee00000", "%lx", 0xfee00000ul);
}

static void fmt_prints_64bit_hex_with_ll(void)
{
    FMT("123456789abcdef0", "%llx", 0x123456789abcdef0ull);
    FMT("FFFFFFFFFFFFFFFF", "%llX", ~0ull);
    FMT("100000000", "%llx", 1ull << 32);
    FMT("fff9fffe04006172", "%llx", 0xfff9fffe04006172ull);
    /* the argument after a %llx is still read correctly */
    FMT("100000000 7", "%llx %d", 1ull << 32, 7);
}

static void fmt_pads_to_width_with_spaces_or_zeros(void)
{
    FMT("   42", "%5d", 42);
    FMT("00042", "%05d", 42);
    FMT("-0042", "%05d", -42); /* the sign comes before the zeros */
    FMT("  -42", "%5d", -42);
    FMT("0000beef", "%08x", 0xbeefu);
    FMT("0000000000001000", "%016llx", 0x1000ull);
    FMT("123456", "%3d", 123456); /* a width never truncates */
    FMT("    x", "%5c", 'x');
    FMT("   ab", "%5s", "ab");
    FMT("   42", "%*d", 5, 42);
}

static void fmt_left_aligns_with_minus(void)
{
    FMT("42   |", "%-5d|", 42);
    FMT("-42  |", "%-5d|", -42);
    FMT("ab   |", "%-5s|", "ab");
    FMT("x  |", "%-3c|", 'x');
    FMT("ff   |", "%-5x|", 0xffu);
    FMT("42   |", "%-*d|", 5, 42);
}

static void fmt_negative_star_width_left_aligns(void)
{
    /* C11 7.21.6.1p5: "A negative field width argument is taken as a - flag
     * followed by a positive field width." */
    FMT("42   |", "%*d|", -5, 42);
    FMT("ab   |", "%*s|", -5, "ab");
}

static void fmt_prints_null_string_as_null(void)
{
    /* through fmt_vformat: gcc rejects a literal NULL for %s at compile time */
    struct sink s;
    int n = vfmt(&s, "%s", (char *)NULL);
    CHECK(n == 6 && check_streq(s.buf, "(null)"), "fmt_vformat(\"%%s\", NULL) returned %d \"%s\"; wanted 6 \"(null)\"",
          n, s.buf);
    n = vfmt(&s, "[%8s]", (char *)NULL);
    CHECK(n == 10 && check_streq(s.buf, "[  (null)]"),
          "fmt_vformat(\"[%%8s]\", NULL) returned %d \"%s\"; wanted 10 \"[  (null)]\"", n, s.buf);
}

static void fmt_limits_strings_by_precision(void)
{
    FMT("abc", "%.3s", "abcdef");
    FMT("ab", "%.3s", "ab");
    FMT("", "%.0s", "abc");
    FMT("mode", "%.*s", 4, "mode=ug trace=1");
    FMT("'ug'", "'%.*s'", 2, "ugly");
    FMT("  abc", "%5.3s", "abcdef");
    FMT("abc  |", "%-5.3s|", "abcdef");
    /* precision stops the scan: the array needs no terminator */
    static const char no_nul[4] = { 'w', 'x', 'y', 'z' };
    FMT("wxyz", "%.4s", no_nul);
    /* C11: a negative precision argument is taken as if it were omitted */
    FMT("abcdef", "%.*s", -1, "abcdef");
}

static void fmt_prints_pointer_as_0x_hex(void)
{
    FMT("0x1234", "%p", (void *)(uintptr_t)0x1234);
    FMT("0xffffffff80000000", "%p", (void *)(uintptr_t)0xffffffff80000000ull);
}

static void fmt_prints_chars(void)
{
    FMT("A", "%c", 'A');
    FMT("[a][b]", "[%c][%c]", 'a', 'b');
}

static void fmt_snprintf_truncates_and_returns_full_length(void)
{
    char buf[8];

    memset(buf, 'Z', sizeof buf);
    int n = fmt_snprintf(buf, 4, "hello");
    CHECK(n == 5, "fmt_snprintf(buf, 4, \"hello\") returned %d; wanted 5", n);
    CHECK(!memcmp(buf, "hel", 4), "fmt_snprintf(buf, 4, \"hello\") gave \"%.4s\"; wanted \"hel\" + NUL", buf);
    CHECK(buf[4] == 'Z', "fmt_snprintf(buf, 4, ...) wrote byte 4 (0x%02x)", (unsigned char)buf[4]);

    memset(buf, 'Z', sizeof buf);
    n = fmt_snprintf(buf, 1, "%d", 12345);
    CHECK(n == 5, "fmt_snprintf(buf, 1, \"%%d\", 12345) returned %d; wanted 5", n);
    CHECK(buf[0] == '\0', "fmt_snprintf(buf, 1, ...) buf[0] = 0x%02x; wanted NUL", (unsigned char)buf[0]);
    CHECK(buf[1] == 'Z', "fmt_snprintf(buf, 1, ...) wrote byte 1 (0x%02x)", (unsigned char)buf[1]);

    memset(buf, 'Z', sizeof buf);
    n = fmt_snprintf(buf, 0, "abc");
    CHECK(n == 3, "fmt_snprintf(buf, 0, \"abc\") returned %d; wanted 3", n);
    CHECK(buf[0] == 'Z', "fmt_snprintf(buf, 0, ...) wrote byte 0 (0x%02x)", (unsigned char)buf[0]);
    n = fmt_snprintf(NULL, 0, "%llx", 0x123456789ull);
    CHECK(n == 9, "fmt_snprintf(NULL, 0, \"%%llx\", 0x123456789) returned %d; wanted 9", n);

    /* exactly fitting: 7 characters + NUL in 8 bytes */
    memset(buf, 'Z', sizeof buf);
    n = fmt_snprintf(buf, sizeof buf, "%07d", 42);
    CHECK(n == 7 && check_streq(buf, "0000042"),
          "fmt_snprintf(buf, 8, \"%%07d\", 42) = %d \"%s\"; wanted 7 \"0000042\"", n, buf);
    /* one too many: the last character goes */
    memset(buf, 'Z', sizeof buf);
    n = fmt_snprintf(buf, sizeof buf, "%08d", 42);
    CHECK(n == 8 && check_streq(buf, "0000004"),
          "fmt_snprintf(buf, 8, \"%%08d\", 42) = %d \"%s\"; wanted 8 \"0000004\"", n, buf);
}

static void fmt_vformat_counts_every_character(void)
{
    struct sink s;
    int n = vfmt(&s, "%s=%d%c", "trace", 1, '!');
    CHECK(n == 8 && s.len == 8 && check_streq(s.buf, "trace=1!"),
          "fmt_vformat(\"%%s=%%d%%c\") returned %d, emitted %zu \"%s\"; wanted 8 \"trace=1!\"", n, s.len, s.buf);
    n = vfmt(&s, "%-10s|", "ab");
    CHECK(n == 11 && s.len == 11, "fmt_vformat(\"%%-10s|\") returned %d, emitted %zu; wanted 11", n, s.len);
}

static void fmt_vformat_stops_at_trailing_percent(void)
{
    struct sink s;
    int n = vfmt(&s, "50%");
    CHECK(n == 2 && check_streq(s.buf, "50"), "fmt_vformat(\"50%%\") returned %d \"%s\"; wanted 2 \"50\"", n, s.buf);
}

int main(void)
{
    RUN(fmt_prints_plain_text_and_percent);
    RUN(fmt_prints_signed_decimal);
    RUN(fmt_prints_unsigned_decimal);
    RUN(fmt_prints_hex_in_both_cases);
    RUN(fmt_prints_64bit_hex_with_ll);
    RUN(fmt_pads_to_width_with_spaces_or_zeros);
    RUN(fmt_left_aligns_with_minus);
    RUN(fmt_negative_star_width_left_aligns);
    RUN(fmt_prints_null_string_as_null);
    RUN(fmt_limits_strings_by_precision);
    RUN(fmt_prints_pointer_as_0x_hex);
    RUN(fmt_prints_chars);
    RUN(fmt_snprintf_truncates_and_returns_full_length);
    RUN(fmt_vformat_counts_every_character);
    RUN(fmt_vformat_stops_at_trailing_percent);
    return check_summary();
}
