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
    case 0xaa: /* STOS */
        TRY(wr_mem(x, EMU_ES, di, sz, reg_get(c, EMU_EAX, sz)));
        break;
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

int h_string(struct ex *x)
{
    struct emu_cpu *c = x->c;
    unsigned op = x->i->opcode & 0xfe;
    uint32_t am = szmask(x->asz), step = (c->eflags & FL_DF) ? 0u - x->osz : x->osz, cnt;
    if (!x->i->rep)
        return string_once(x, op, am, step);
    x->keep_regs = 1; /* a fault keeps the completed iterations */
    for (cnt = c->gpr[EMU_ECX] & am; cnt; ) {
        TRY(string_once(x, op, am, step));
        cnt = (cnt - 1) & am;
        c->gpr[EMU_ECX] = (c->gpr[EMU_ECX] & ~am) | cnt;
        if ((op == 0xa6 || op == 0xae) && (x->i->rep == 0xf3) != !!(c->eflags & FL_ZF))
            break;
    }
    return EMU_OK;
}

