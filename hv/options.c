/* options.c - hv command-line parsing (also built for host tests).
 *
 * The options (docs/architecture.md lists them too):
 *   mode=assist|emulate|ug   how real mode runs (default assist)
 *   boot=floppy|disk|cdrom   the guest BIOS's first boot device (default: its own order)
 *   firmware=own|bochs       the guest firmware vmxloader places: this tree's rombios and
 *                            vgabios (own, the default) or Debian's Bochs BIOS and LGPL
 *                            vgabios (bochs, the reference)
 *   trace=0|1|2 stats=0|1 screen=0|1   logging (see options.h)
 *   onreset=exit|restart     a guest's machine reset ends the run (exit, the default) or
 *                            starts vmxloader and the guest firmware again (hv/reset.c)
 *   watchdog=S               seconds of guest time without progress before the hv
 *                            stops the guest with a dump (hv/watchdog.c; 0, the default: off)
 *   fb=auto|off|on           the guest's text screen on the boot loader's framebuffer:
 *                            auto when there is one and no text mode (a UEFI PC)
 *   simulate=W[,W...]        tests of a CSM-less PC's paths on a machine that has what
 *                            it lacks: no-irq0 (IRQ 0 masked during the hv's check, so
 *                            the check fails for real), no-ps2 (the probe's answer taken
 *                            as "no 8042"), no-com1 (as "no UART at 3F8h") */
#include "options.h"
#include "fmt.h"
#include "string.h"
#include "words.h"

static const char *const mode_names[] = { [MODE_ASSIST] = "assist", [MODE_EMULATE] = "emulate", [MODE_UG] = "ug" };
static const char *const boot_names[] = {
    [BOOT_DEFAULT] = "default", [BOOT_FLOPPY] = "floppy", [BOOT_DISK] = "disk", [BOOT_CDROM] = "cdrom"
};
static const char *const firmware_names[] = { [FIRMWARE_OWN] = "own", [FIRMWARE_BOCHS] = "bochs" };
static const char *const onreset_names[] = { [ONRESET_EXIT] = "exit", [ONRESET_RESTART] = "restart" };
static const char *const fb_names[] = { [FB_AUTO] = "auto", [FB_OFF] = "off", [FB_ON] = "on" };

const char *mode_name(enum rm_mode m) { return mode_names[m]; }
const char *boot_name(enum boot_dev b) { return boot_names[b]; }
const char *firmware_name(enum firmware f) { return firmware_names[f]; }
const char *onreset_name(enum onreset r) { return onreset_names[r]; }

/* A decimal number of seconds, 0..WATCHDOG_MAX_SECONDS (leading zeros allowed:
 * tools/run.sh writes a fixed-width field). */
static int parse_seconds(const char *v, size_t n, unsigned *out)
{
    unsigned x = 0;
    if (n == 0 || n > 10)
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (v[i] < '0' || v[i] > '9')
            return -1;
        x = x * 10 + (unsigned)(v[i] - '0');
        if (x > WATCHDOG_MAX_SECONDS)
            return -1;
    }
    *out = x;
    return 0;
}
const char *fb_use_name(enum fb_use f) { return fb_names[f]; }
static const char *const simulate_names[] = { "no-irq0", "no-ps2", "no-com1" }; /* bit n = SIMULATE_* */

static int word_is(const char *w, size_t n, const char *s) { return strlen(s) == n && !strncmp(w, s, n); }

static int parse_bool(const char *v, size_t n, int *out)
{
    if (word_is(v, n, "0") || word_is(v, n, "off") || word_is(v, n, "no"))
        *out = 0;
    else if (word_is(v, n, "1") || word_is(v, n, "on") || word_is(v, n, "yes"))
        *out = 1;
    else
        return -1;
    return 0;
}

/* Index of the word [v, v+n) in names[0..count), or -1. */
static int lookup(const char *const *names, unsigned count, const char *v, size_t n)
{
    for (unsigned i = 0; i < count; i++)
        if (word_is(v, n, names[i]))
            return (int)i;
    return -1;
}

int options_parse(const char *s, struct hv_options *o, char *err, size_t errlen)
{
    *o = (struct hv_options){ .mode = MODE_ASSIST, .trace = 0, .stats = 1, .screen = 1 };
    int first = 1;
    const char *w;
    for (size_t n; (n = next_word(&s, &w)) != 0;) {
        int is_path = 0;
        for (size_t i = 0; i < n; i++)
            is_path |= w[i] == '/';
        if (first && is_path) { /* GRUB passes the kernel's own path first */
            first = 0;
            continue;
        }
        first = 0;
        const char *eq = w;
        while (eq < s && *eq != '=')
            eq++;
        size_t klen = (size_t)(eq - w);
        const char *v = eq < s ? eq + 1 : s;
        size_t vlen = (size_t)(s - v);
        if (word_is(w, klen, "mode")) {
            int m = lookup(mode_names, sizeof mode_names / sizeof mode_names[0], v, vlen);
            if (m < 0) {
                fmt_snprintf(err, errlen, "unknown mode '%.*s' (use mode=assist, mode=emulate or mode=ug)", (int)vlen,
                             v);
                return -1;
            }
            o->mode = (enum rm_mode)m;
        } else if (word_is(w, klen, "boot")) {
            int b = lookup(boot_names, sizeof boot_names / sizeof boot_names[0], v, vlen);
            if (b < 0) {
                fmt_snprintf(err, errlen, "unknown boot device '%.*s' (use boot=floppy, boot=disk or boot=cdrom)",
                             (int)vlen, v);
                return -1;
            }
            o->boot = (enum boot_dev)b;
        } else if (word_is(w, klen, "firmware")) {
            int f = lookup(firmware_names, sizeof firmware_names / sizeof firmware_names[0], v, vlen);
            if (f < 0) {
                fmt_snprintf(err, errlen, "unknown firmware '%.*s' (use firmware=own or firmware=bochs)", (int)vlen, v);
                return -1;
            }
            o->firmware = (enum firmware)f;
        } else if (word_is(w, klen, "onreset")) {
            int r = lookup(onreset_names, sizeof onreset_names / sizeof onreset_names[0], v, vlen);
            if (r < 0) {
                fmt_snprintf(err, errlen, "unknown onreset '%.*s' (use onreset=exit or onreset=restart)", (int)vlen, v);
                return -1;
            }
            o->onreset = (enum onreset)r;
        } else if (word_is(w, klen, "watchdog")) {
            if (parse_seconds(v, vlen, &o->watchdog)) {
                fmt_snprintf(err, errlen, "bad value in '%.*s' (use watchdog=S, S seconds 0-%u, 0 = off)", (int)n, w,
                             WATCHDOG_MAX_SECONDS);
                return -1;
            }
        } else if (word_is(w, klen, "fb")) {
            int f = lookup(fb_names, sizeof fb_names / sizeof fb_names[0], v, vlen);
            if (f < 0) {
                fmt_snprintf(err, errlen, "unknown fb '%.*s' (use fb=auto, fb=off or fb=on)", (int)vlen, v);
                return -1;
            }
            o->fb = (enum fb_use)f;
        } else if (word_is(w, klen, "simulate")) {
            for (const char *p = v, *end = v + vlen; p <= end;) {
                const char *c = p;
                while (c < end && *c != ',')
                    c++;
                int b = lookup(simulate_names, sizeof simulate_names / sizeof simulate_names[0], p, (size_t)(c - p));
                if (b < 0) {
                    fmt_snprintf(err, errlen,
                                 "bad value in '%.*s': '%.*s' is none of no-irq0, no-ps2, no-com1 (use "
                                 "simulate=no-irq0,no-ps2,no-com1 or a part of it)",
                                 (int)n, w, (int)(c - p), p);
                    return -1;
                }
                o->simulate |= 1u << b;
                p = c + 1;
            }
        } else if (word_is(w, klen, "trace") && word_is(v, vlen, "2")) {
            o->trace = 2;
        } else if (word_is(w, klen, "trace") || word_is(w, klen, "stats") || word_is(w, klen, "screen")) {
            int *dst = w[0] == 't' ? &o->trace : w[1] == 't' ? &o->stats : &o->screen;
            if (parse_bool(v, vlen, dst)) {
                fmt_snprintf(err, errlen, "bad value in '%.*s' (use 0 or 1%s)", (int)n, w, w[0] == 't' ? ", or 2" : "");
                return -1;
            }
        } else {
            fmt_snprintf(err, errlen,
                         "unknown option '%.*s' (options: mode=assist|emulate|ug boot=floppy|disk|cdrom "
                         "firmware=own|bochs trace=0|1|2 stats=0|1 screen=0|1 watchdog=S onreset=exit|restart "
                         "fb=auto|off|on simulate=no-irq0,no-ps2,no-com1)",
                         (int)n, w);
            return -1;
        }
    }
    return 0;
}
