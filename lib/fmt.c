/* fmt.c - the one printf engine, shared by every freestanding component. */
#include "fmt.h"
#include <stdint.h>

struct out {
    fmt_putc_fn put;
    void *ctx;
    int n;
};

static void emit(struct out *o, char c)
{
    o->put(o->ctx, c);
    o->n++;
}

static void emit_padded(struct out *o, const char *s, int len, int width, int left, char pad)
{
    int fill = width > len ? width - len : 0;
    if (!left)
        while (fill-- > 0)
            emit(o, pad);
    for (int i = 0; i < len; i++)
        emit(o, s[i]);
    if (left)
        while (fill-- > 0)
            emit(o, ' ');
}

/* v /= base, returning the remainder, with 32-bit divisions only (32-bit
 * freestanding code has no libgcc for 64-bit division). base <= 65536. */
static unsigned divmod(uint64_t *v, unsigned base)
{
    uint32_t hi = (uint32_t)(*v >> 32), lo = (uint32_t)*v;
    uint32_t q_hi = hi / base, r = hi % base;
    uint32_t mid = (r << 16) | (lo >> 16);
    uint32_t q_mid = mid / base;
    r = mid % base;
    uint32_t low = (r << 16) | (lo & 0xffff);
    *v = ((uint64_t)q_hi << 32) | (q_mid << 16) | (low / base);
    return low % base;
}

static void emit_number(struct out *o, uint64_t v, int neg, unsigned base, int upper, int width, int left, char pad)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char tmp[24];
    int len = 0;
    do {
        tmp[len++] = digits[divmod(&v, base)];
    } while (v);
    if (neg) {
        if (pad == '0' && width > 0) { /* sign goes before the zero padding */
            emit(o, '-');
            width--;
        } else {
            tmp[len++] = '-';
        }
    }
    char buf[24];
    for (int i = 0; i < len; i++)
        buf[i] = tmp[len - 1 - i];
    emit_padded(o, buf, len, width, left, pad);
}

int fmt_vformat(fmt_putc_fn put, void *ctx, const char *fmt, va_list ap)
{
    struct out o = { put, ctx, 0 };
    for (const char *p = fmt; *p; p++) {
        if (*p != '%') {
            emit(&o, *p);
            continue;
        }
        p++;
        int left = 0, width = 0, lng = 0;
        char pad = ' ';
        for (;; p++) {
            if (*p == '-')
                left = 1;
            else if (*p == '0')
                pad = '0';
            else
                break;
        }
        if (*p == '*') {
            width = va_arg(ap, int);
            if (width < 0) { /* C11 7.21.6.1p5: a negative * width is '-' plus the width */
                left = 1;
                width = -width;
            }
            p++;
        }
        while (*p >= '0' && *p <= '9')
            width = width * 10 + (*p++ - '0');
        int prec = -1; /* precision: only meaningful for %s */
        if (*p == '.') {
            p++;
            prec = 0;
            if (*p == '*') {
                prec = va_arg(ap, int);
                p++;
            }
            while (*p >= '0' && *p <= '9')
                prec = prec * 10 + (*p++ - '0');
        }
        while (*p == 'l' || *p == 'z') {
            lng++;
            p++;
        }
        switch (*p) {
        case 'c': {
            char c = (char)va_arg(ap, int);
            emit_padded(&o, &c, 1, width, left, ' ');
            break;
        }
        case 's': {
            const char *s = va_arg(ap, const char *);
            int len = 0;
            if (!s)
                s = "(null)";
            while ((prec < 0 || len < prec) && s[len])
                len++;
            emit_padded(&o, s, len, width, left, ' ');
            break;
        }
        case 'd':
        case 'i': {
            int64_t v = lng ? va_arg(ap, int64_t) : va_arg(ap, int);
            emit_number(&o, v < 0 ? -(uint64_t)v : (uint64_t)v, v < 0, 10, 0, width, left, pad);
            break;
        }
        case 'u':
        case 'x':
        case 'X': {
            uint64_t v = lng ? va_arg(ap, uint64_t) : va_arg(ap, unsigned);
            emit_number(&o, v, 0, *p == 'u' ? 10 : 16, *p == 'X', width, left, pad);
            break;
        }
        case 'p':
            emit(&o, '0');
            emit(&o, 'x');
            emit_number(&o, (uintptr_t)va_arg(ap, void *), 0, 16, 0, width, left, pad);
            break;
        case '%': emit(&o, '%'); break;
        case '\0': return o.n;
        default: /* unknown conversion: show it rather than guess */
            emit(&o, '%');
            emit(&o, *p);
            break;
        }
    }
    return o.n;
}

struct sbuf {
    char *buf;
    size_t size, pos;
};

static void sbuf_put(void *ctx, char c)
{
    struct sbuf *s = ctx;
    if (s->pos + 1 < s->size)
        s->buf[s->pos] = c;
    s->pos++;
}

int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct sbuf s = { buf, size, 0 };
    int n = fmt_vformat(sbuf_put, &s, fmt, ap);
    if (size)
        buf[s.pos < size ? s.pos : size - 1] = '\0';
    return n;
}

int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = fmt_vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
