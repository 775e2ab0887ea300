/* shim.c - the host side of the differential test (tests/diff/emu_diff.py).
 *
 * Built with vmxassist/emu.c into build/diff/libemu.so (make diff-lib), which
 * emu_diff.py loads with ctypes. diff_step() runs one emu_step on a CPU state
 * given as plain integers and on the caller's flat memory buffer (linear =
 * physical, 1 MiB + 64 KiB), logging every write so the caller can compare
 * and restore exactly what changed. Reads or writes past the buffer fail
 * with #GP (13), as an access to unmapped memory in Unicorn fails.
 *
 * Every untagged case also runs through emu_run the way vmxassist runs it:
 * memory read directly (ops->ram), instructions from the decoded-instruction
 * cache (kept across cases; before each case, the previous case's code is
 * run once at this case's address, writes dropped, so that the cache holds a
 * stale decode there that it must notice), writes through a callback that logs them (ops->wtrap covers all
 * memory) and is undone before the emu_step run. diff_state.fast says where
 * the two runs differ (bit 0: result or vector, 1: registers, 2: writes).
 *
 * A crash inside the emulator (SIGSEGV, SIGBUS, SIGFPE, SIGILL) prints the
 * case that was running as a `CRASH seed=S case=I` line, with the --repro
 * command, and exits with status 3. */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "emu.h"

struct diff_state {
    uint32_t gpr[8]; /* EAX ECX EDX EBX ESP EBP ESI EDI */
    uint32_t eip, eflags;
    uint32_t sel[6]; /* ES CS SS DS FS GS */
    uint32_t limit;  /* every segment's limit */
    uint32_t tagged; /* 1: segment k's base is k << 28 (limits 4 GiB - 1), see below */
    uint32_t cr0;
    uint32_t len;  /* out: the decoded instruction's length (0: not decoded) */
    uint32_t fast; /* out: how emu_run with direct memory and the cache differed (0: not) */
};

struct diff_mem {
    uint8_t *mem;
    uint32_t size;
    uint32_t *wlog; /* out: (linear, length) of each write */
    uint32_t wmax, nw;
    uint32_t *rlog; /* out: (linear, length) of each read (instruction bytes too); tagged: also
                     * each write, length | 80000000h */
    uint32_t rmax, nr;
    uint32_t overflow; /* out: more writes than wmax */
    uint32_t tagged;
    uint32_t realbase[6];
};

/* The tagged mode finds the segment and offset of every access: segment k's
 * base is k << 28, so an access's linear address tells which segment it used
 * and its offset, for offsets within +-2^27 (a negative offset is a 32-bit
 * wrap-around): k = the nearest multiple of 2^28. Reads are served from the
 * real linear address (the selector's base + offset, wrapped to 32 bits);
 * writes are logged, not done. */
static int untag(struct diff_mem *m, uint32_t lin, uint32_t *real)
{
    uint32_t k = ((lin + 0x08000000u) >> 28) & 15;
    if (!m->tagged) {
        *real = lin;
        return 0;
    }
    if (k >= 6)
        return -1;
    *real = m->realbase[k] + (lin - (k << 28));
    return 0;
}

static int m_read(void *ctx, uint32_t lin, void *buf, unsigned len)
{
    struct diff_mem *m = ctx;
    if (m->nr < m->rmax) {
        m->rlog[2 * m->nr] = lin;
        m->rlog[2 * m->nr + 1] = len;
        m->nr++;
    }
    if (untag(m, lin, &lin) || lin >= m->size || len > m->size - lin)
        return 13;
    memcpy(buf, m->mem + lin, len);
    return 0;
}

static int m_write(void *ctx, uint32_t lin, const void *buf, unsigned len)
{
    struct diff_mem *m = ctx;
    uint32_t real;
    if (untag(m, lin, &real) || real >= m->size || len > m->size - real)
        return 13;
    if (m->tagged && m->nr < m->rmax) { /* tagged: reads and writes in one log, in order */
        m->rlog[2 * m->nr] = lin;
        m->rlog[2 * m->nr + 1] = len | 0x80000000u;
        m->nr++;
    }
    if (m->nw < m->wmax) {
        m->wlog[2 * m->nw] = lin;
        m->wlog[2 * m->nw + 1] = len;
        m->nw++;
    } else {
        m->overflow = 1;
    }
    if (!m->tagged)
        memcpy(m->mem + lin, buf, len);
    return 0;
}

/* The emu_run side's writes: applied at once, logged with the bytes they replaced. */
#define FAST_MAX 4096
static struct fast_write {
    uint32_t lin, len;
    uint8_t old[4], new[4];
} fast_log[FAST_MAX];
static uint32_t fast_n, fast_overflow;

static int f_read(void *ctx, uint32_t lin, void *buf, unsigned len)
{
    struct diff_mem *m = ctx;
    if (lin >= m->size || len > m->size - lin)
        return 13;
    memcpy(buf, m->mem + lin, len);
    return 0;
}

static int f_write(void *ctx, uint32_t lin, const void *buf, unsigned len)
{
    struct diff_mem *m = ctx;
    if (lin >= m->size || len > m->size - lin)
        return 13;
    if (fast_n < FAST_MAX && len <= 4) {
        struct fast_write *w = &fast_log[fast_n++];
        w->lin = lin;
        w->len = len;
        memcpy(w->old, m->mem + lin, len);
        memcpy(w->new, buf, len);
    } else {
        fast_overflow = 1;
    }
    memcpy(m->mem + lin, buf, len);
    return 0;
}

static int drop_write(void *ctx, uint32_t lin, const void *buf, unsigned len)
{
    (void)ctx, (void)lin, (void)buf, (void)len;
    return 0;
}

static struct emu_icache fast_icache;
static uint8_t prev_code[16];

static volatile uint32_t cur_seed, cur_case;

static void on_crash(int sig)
{
    char buf[200];
    int n = snprintf(buf, sizeof buf,
                     "CRASH seed=%u case=%u signal=%d (repro: /usr/bin/python3 tests/diff/emu_diff.py --repro %u:%u)\n",
                     cur_seed, cur_case, sig, cur_seed, cur_case);
    if (n > 0)
        (void)!write(1, buf, (size_t)n);
    _exit(3);
}

void diff_init(void)
{
    signal(SIGSEGV, on_crash);
    signal(SIGBUS, on_crash);
    signal(SIGFPE, on_crash);
    signal(SIGILL, on_crash);
}

/* One instruction. Returns the enum emu_result; *fault = the vector on EMU_FAULT. */
int diff_step(struct diff_state *s, struct diff_mem *m, int *fault, uint32_t seed, uint32_t index)
{
    struct emu_ops ops = { .read = m_read, .write = m_write, .ctx = m };
    struct emu_cpu c;
    struct emu_insn i;
    int r;
    cur_seed = seed;
    cur_case = index;
    memset(&c, 0, sizeof c);
    memset(&i, 0, sizeof i);
    for (unsigned k = 0; k < 8; k++)
        c.gpr[k] = s->gpr[k];
    c.eip = s->eip;
    c.eflags = s->eflags;
    for (unsigned k = 0; k < 6; k++) {
        c.seg[k].sel = (uint16_t)s->sel[k];
        c.seg[k].base = (s->sel[k] & 0xffff) << 4;
        c.seg[k].limit = s->limit;
        m->realbase[k] = c.seg[k].base;
        if (s->tagged) {
            c.seg[k].base = k << 28;
            c.seg[k].limit = 0xffffffffu;
        }
    }
    m->tagged = s->tagged;
    c.cr0 = s->cr0;
    struct emu_cpu fc = c;
    struct emu_run run = { .max = 1, .stop_lin = ~0u };
    int fr = -1;
    s->fast = 0;
    if (!s->tagged) { /* emu_run first; its writes are undone before emu_step runs */
        struct emu_ops fops = { .read = f_read,
                                .write = f_write,
                                .ctx = m,
                                .ram = (uintptr_t)m->mem,
                                .ram_end = m->size,
                                .wtrap_lo = 0,
                                .wtrap_hi = ~0u,
                                .icache = &fast_icache };
        uint32_t lin0 = c.seg[EMU_CS].base + c.eip;
        if (lin0 < m->size && m->size - lin0 >= 16) {
            uint8_t save[16];
            struct emu_cpu sc = c;
            struct emu_ops sops = fops;
            struct emu_run sr = { .max = 1, .stop_lin = ~0u };
            sops.write = drop_write;
            memcpy(save, m->mem + lin0, 16);
            memcpy(m->mem + lin0, prev_code, 16);
            emu_run(&sc, &sops, &sr);
            memcpy(m->mem + lin0, save, 16);
            memcpy(prev_code, save, 16);
        }
        fast_n = fast_overflow = 0;
        fr = emu_run(&fc, &fops, &run);
        for (uint32_t k = fast_n; k-- > 0;)
            memcpy(m->mem + fast_log[k].lin, fast_log[k].old, fast_log[k].len);
    }
    m->nw = m->nr = 0;
    m->overflow = 0;
    *fault = -1;
    r = emu_step(&c, &ops, &i, fault);
    if (!s->tagged) {
        if (fr != r || (r == EMU_FAULT && run.fault != *fault))
            s->fast |= 1;
        if (memcmp(fc.gpr, c.gpr, sizeof c.gpr) || fc.eip != c.eip || fc.eflags != c.eflags ||
            memcmp(fc.seg, c.seg, sizeof c.seg))
            s->fast |= 2;
        if (!fast_overflow && !m->overflow) {
            if (fast_n != m->nw)
                s->fast |= 4;
            for (uint32_t k = 0; k < fast_n && k < m->nw; k++)
                if (fast_log[k].lin != m->wlog[2 * k] || fast_log[k].len != m->wlog[2 * k + 1])
                    s->fast |= 4;
            /* the last write to each place left the same bytes */
            for (uint32_t k = fast_n; k-- > 0;)
                if (memcmp(m->mem + fast_log[k].lin, fast_log[k].new, fast_log[k].len)) {
                    int later = 0;
                    for (uint32_t j = k + 1; j < fast_n && !later; j++)
                        later = fast_log[j].lin < fast_log[k].lin + fast_log[k].len &&
                                fast_log[k].lin < fast_log[j].lin + fast_log[j].len;
                    if (!later)
                        s->fast |= 4;
                }
        }
    }
    for (unsigned k = 0; k < 8; k++)
        s->gpr[k] = c.gpr[k];
    s->eip = c.eip;
    s->eflags = c.eflags;
    for (unsigned k = 0; k < 6; k++) {
        s->sel[k] = c.seg[k].sel;
        if (!s->tagged && (c.seg[k].base != (uint32_t)c.seg[k].sel << 4 || c.seg[k].limit != s->limit))
            s->sel[k] |= 0x80000000u; /* a base or limit that is not the real-mode one: always a mismatch */
    }
    s->len = i.len;
    return r;
}
