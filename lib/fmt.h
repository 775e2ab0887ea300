/* fmt.h - printf-style formatting for freestanding code (hv, vmxassist, hosts). */
#ifndef LIB_FMT_H
#define LIB_FMT_H
#include <stdarg.h>
#include <stddef.h>

typedef void (*fmt_putc_fn)(void *ctx, char c);

/* Supports %c %s %d %i %u %x %X %p %%, flags '-' and '0', a width (or *), a
 * precision for %s (.N or .*), and the length modifiers l, ll, z. Returns the number of characters produced. */
int fmt_vformat(fmt_putc_fn put, void *ctx, const char *fmt, va_list ap);
int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int fmt_snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
