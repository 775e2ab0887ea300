/* emu_string.c - the string instructions MOVS CMPS STOS LODS SCAS INS OUTS,
 * with REP/REPE/REPNE (SDM Vol. 1, 5.1.8). */
#include "emu_int.h"

/* ---- string instructions: MOVS CMPS STOS LODS SCAS INS OUTS ----
 * Source DS:SI (overridable), destination ES:DI; SI/DI/CX or ESI/EDI/ECX by
 * address size; DF decrements. REP (F3 or F2) repeats while the count is not
 * zero; for CMPS/SCAS, F3 also stops when ZF = 0 and F2 when ZF = 1. */
static void advance(struct emu_cpu *c, unsigned r, uint32_t am, uint32_t step)
{
    c->gpr[r] = (c->gpr[r] & ~am) | ((c->gpr[r] + step) & am);
}

static int string_once(struct ex *x, unsigned op, uint32_t am, uint32_t step)
{
    struct emu_cpu *c = x->c;
    unsigned sz = x->osz;
    int src = x->i->seg >= 0 ? x->i->seg : EMU_DS;
    uint32_t si = c->gpr[EMU_ESI] & am, di = c->gpr[EMU_EDI] & am, a, b, lin;
    switch (op) {
    case 0xa4: /* MOVS */
        TRY(rd_mem(x, src, si, sz, &a));
        TRY(wr_mem(x, EMU_ES, di, sz, a));
        break;
    case 0xa6: /* CMPS: [SI] - [DI] */
        TRY(rd_mem(x, src, si, sz, &a));
        TRY(rd_mem(x, EMU_ES, di, sz, &b));
        alu(c, ALU_CMP, a, b, sz);
        break;
    case 0xaa: /* STOS */ TRY(wr_mem(x, EMU_ES, di, sz, reg_get(c, EMU_EAX, sz))); break;
    case 0xac: /* LODS */
        TRY(rd_mem(x, src, si, sz, &a));
        reg_set(c, EMU_EAX, sz, a);
        break;
    case 0xae: /* SCAS: AL - [DI] */
        TRY(rd_mem(x, EMU_ES, di, sz, &b));
        alu(c, ALU_CMP, reg_get(c, EMU_EAX, sz), b, sz);
        break;
    case 0x6c: /* INS: check the destination before touching the port */
        TRY(seg_lin(x, EMU_ES, di, sz, &lin));
        TRY(lin_write(x, lin, sz, port_in(x, (uint16_t)c->gpr[EMU_EDX], sz)));
        break;
    default: /* 0x6e OUTS */
        TRY(rd_mem(x, src, si, sz, &a));
        port_out(x, (uint16_t)c->gpr[EMU_EDX], sz, a);
        break;
    }
    if (op != 0xaa && op != 0xae && op != 0x6c)
        advance(c, EMU_ESI, am, step);
    if (op != 0xac && op != 0x6e)
        advance(c, EMU_EDI, am, step);
    return EMU_OK;
}

/* ---- REP MOVS / REP STOS over plain memory: whole runs at once ----
 * A run is the iterations, from the next one on, whose every access lies
 * within its segment's limit, does not wrap the address size or 4 GiB, and
 * is plain memory (ops->ram_end; destination clear of the write trap). The
 * rest - an iteration that faults, the I/O and compare forms, a MOVS whose
 * destination overlaps the source ahead of the copy (each element then
 * reads bytes an earlier one wrote) - goes one iteration at a time. */

/* How many elements of sz bytes from offset off on, moving by step, stay
 * within [0, top] (top: the limit and the address size together). */
static uint32_t run_room(uint32_t off, uint32_t top, unsigned sz, uint32_t step)
{
    unsigned shift = sz == 4 ? 2 : sz >> 1;
    if (off > top || top - off < sz - 1)
        return 0;
    if (step < 0x80000000u) /* upwards */
        return (uint32_t)(((uint64_t)top - off + 1) >> shift);
    return (off >> shift) + 1; /* downwards: off, off - sz, ... while >= 0 */
}

/* The linear range [*lo, *lo + n * sz) of a run of n elements. */
static int run_range(const struct ex *x, int seg, uint32_t off, uint32_t n, uint32_t step, uint32_t *lo)
{
    uint64_t first = step < 0x80000000u ? off : off - (uint64_t)(n - 1) * x->osz;
    uint64_t lin = x->c->seg[seg].base + first;
    if (lin + (uint64_t)n * x->osz > 0xffffffffu)
        return -1;
    *lo = (uint32_t)lin;
    return 0;
}

/* memmove in 4-byte pieces where it can (x86 loads and stores need no alignment). */
static void ram_move(uint8_t *d, const uint8_t *s, uint32_t n)
{
    uint32_t w;
    if (d <= s) {
        for (; n >= 4; n -= 4, d += 4, s += 4) {
            __builtin_memcpy(&w, s, 4);
            __builtin_memcpy(d, &w, 4);
        }
        while (n--)
            *d++ = *s++;
    } else {
        for (; n >= 4;) {
            n -= 4;
            __builtin_memcpy(&w, s + n, 4);
            __builtin_memcpy(d + n, &w, 4);
        }
        while (n--)
            d[n] = s[n];
    }
}

/* Up to cnt iterations of REP MOVS (a4) or REP STOS (aa) done at once; how many. */
static uint32_t string_run(struct ex *x, unsigned op, uint32_t am, uint32_t step, uint32_t cnt)
{
    struct emu_cpu *c = x->c;
    const struct emu_ops *o = x->ops;
    unsigned sz = x->osz;
    int src = x->i->seg >= 0 ? x->i->seg : EMU_DS;
    uint32_t si = c->gpr[EMU_ESI] & am, di = c->gpr[EMU_EDI] & am, n = cnt, room, dlo, slo = 0, bytes;
    const struct emu_seg *es = &c->seg[EMU_ES], *ss = &c->seg[src];
    room = run_room(di, es->limit < am ? es->limit : am, sz, step);
    n = room < n ? room : n;
    if (op == 0xa4) {
        room = run_room(si, ss->limit < am ? ss->limit : am, sz, step);
        n = room < n ? room : n;
    }
    if (n > 0x100000u) /* at most 4 MiB at once: n * sz stays small */
        n = 0x100000u;
    if (n < 2 || run_range(x, EMU_ES, di, n, step, &dlo) || (op == 0xa4 && run_range(x, src, si, n, step, &slo)))
        return 0;
    bytes = n * sz;
    if (!ram_writable(o, dlo, bytes) || (op == 0xa4 && !in_ram(o, slo, bytes)))
        return 0;
    uint8_t *d = (uint8_t *)(o->ram + dlo);
    if (op == 0xa4) {
        /* the element order matters only when the destination lies ahead of
         * the source in the direction of the copy and they overlap */
        if (step < 0x80000000u ? (dlo > slo && dlo - slo < bytes) : (slo > dlo && slo - dlo < bytes))
            return 0;
        ram_move(d, (const uint8_t *)(o->ram + slo), bytes);
        advance(c, EMU_ESI, am, step * n);
    } else {
        uint32_t v = reg_get(c, EMU_EAX, sz);
        if (sz == 1)
            v *= 0x01010101u;
        else if (sz == 2)
            v |= v << 16;
        for (uint32_t k = 0; k + 4 <= bytes; k += 4)
            __builtin_memcpy(d + k, &v, 4);
        if (bytes & 3) /* sz 1 or 2: the pattern repeats every 4 bytes */
            __builtin_memcpy(d + (bytes & ~3u), &v, bytes & 3);
    }
    advance(c, EMU_EDI, am, step * n);
    return n;
}

int h_string(struct ex *x)
{
    struct emu_cpu *c = x->c;
    unsigned op = x->i->opcode & 0xfe;
    uint32_t am = szmask(x->asz), step = (c->eflags & FL_DF) ? 0u - x->osz : x->osz, cnt;
    if (!x->i->rep)
        return string_once(x, op, am, step);
    x->keep_regs = 1; /* a fault keeps the completed iterations */
    for (cnt = c->gpr[EMU_ECX] & am; cnt;) {
        uint32_t n = (op == 0xa4 || op == 0xaa) && x->ops->ram_end ? string_run(x, op, am, step, cnt) : 0;
        if (!n) {
            TRY(string_once(x, op, am, step));
            n = 1;
        }
        cnt = (cnt - n) & am;
        c->gpr[EMU_ECX] = (c->gpr[EMU_ECX] & ~am) | cnt;
        if ((op == 0xa6 || op == 0xae) && (x->i->rep == 0xf3) != !!(c->eflags & FL_ZF))
            break;
    }
    return EMU_OK;
}
