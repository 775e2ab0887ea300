/* shim.c - the host side of the differential test (tests/diff/emu_diff.py).
 *
 * Built with vmxassist/emu.c into build/diff/libemu.so (make diff-lib), which
 * emu_diff.py loads with ctypes. diff_step() runs one emu_step on a CPU state
 * given as plain integers and on the caller's flat memory buffer (linear =
 * physical, 1 MiB + 64 KiB), logging every write so the caller can compare
 * and restore exactly what changed. Reads or writes past the buffer fail
 * with #GP (13), as an access to unmapped memory in Unicorn fails.
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
    uint32_t len;    /* out: the decoded instruction's length (0: not decoded) */
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
    m->nw = m->nr = 0;
    m->overflow = 0;
    *fault = -1;
    r = emu_step(&c, &ops, &i, fault);
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
