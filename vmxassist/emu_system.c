/* emu_system.c - flag control (CLC..STD, CLI/STI), HLT, IN/OUT, system
 * instructions (MOV CRn, CLTS, LMSW/SMSW, LGDT/LIDT/SGDT/SIDT, RDMSR/WRMSR,
 * RDTSC, CPUID), x87 escapes and WAIT, and the opcodes that are #UD or #GP
 * in real mode (SDM Vol. 1, 5.1.9, 5.1.11, 5.20; Vol. 2). */
#include "emu_int.h"

/* ---- control registers ---- */

static uint32_t cr_get(const struct emu_cpu *c, unsigned cr)
{
    return cr == 0 ? c->cr0 : cr == 2 ? c->cr2 : cr == 3 ? c->cr3 : c->cr4;
}

static int cr_write(struct ex *x, unsigned cr, uint32_t v)
{
    struct emu_cpu *c = x->c;
    uint32_t old = c->cr0;
    if (cr == 0 && (((v & CR0_PG) && !(v & CR0_PE)) || ((v & CR0_NW) && !(v & CR0_CD))))
        return fail(x, VECTOR_GP);
    if (x->ops->write_cr) { /* it sees the caller's CPU as it was before the instruction */
        int veto;
        if (x->logged)
            regs_swap(c, x->undo);
        veto = x->ops->write_cr(x->ops->ctx, c, cr, v);
        if (x->logged)
            regs_swap(c, x->undo);
        if (veto)
            return fail(x, VECTOR_GP);
    }
    switch (cr) {
    case 0: c->cr0 = v; break;
    case 2: c->cr2 = v; break;
    case 3: c->cr3 = v; break;
    default: c->cr4 = v; break;
    }
    return cr == 0 && !(old & CR0_PE) && (v & CR0_PE) ? EMU_PE_SET : EMU_OK;
}

/* ---- ports ---- */

uint32_t port_in(struct ex *x, uint16_t port, unsigned sz)
{
    return x->ops->in ? x->ops->in(x->ops->ctx, port, sz) & szmask(sz) : szmask(sz);
}

void port_out(struct ex *x, uint16_t port, unsigned sz, uint32_t v)
{
    if (x->ops->out)
        x->ops->out(x->ops->ctx, port, sz, v & szmask(sz));
}

/* ======================= handlers ======================= */

int h_ud(struct ex *x) /* valid elsewhere, #UD in real mode (or by definition: UD0/1/2) */
{
    return fail(x, VECTOR_UD);
}

int h_gp(struct ex *x) /* #GP(0) in real mode (SYSENTER, SYSEXIT) */ { return fail(x, VECTOR_GP); }

int h_nop(struct ex *x)
{
    (void)x;
    return EMU_OK;
}

/* C6/C7 /7: XABORT / XBEGIN exist only as C6 F8 / C7 F8. */
int h_xabort(struct ex *x) { return x->i->modrm == 0xf8 ? EMU_UNSUPPORTED : fail(x, VECTOR_UD); }

/* ---- I/O ---- */

int h_in(struct ex *x) /* E4 E5 (imm8 port), EC ED (DX) */
{
    uint16_t port = (x->i->opcode & 8) ? (uint16_t)x->c->gpr[EMU_EDX] : (uint16_t)x->i->imm;
    reg_set(x->c, EMU_EAX, x->osz, port_in(x, port, x->osz));
    return EMU_OK;
}

int h_out(struct ex *x) /* E6 E7 (imm8 port), EE EF (DX) */
{
    uint16_t port = (x->i->opcode & 8) ? (uint16_t)x->c->gpr[EMU_EDX] : (uint16_t)x->i->imm;
    port_out(x, port, x->osz, reg_get(x->c, EMU_EAX, x->osz));
    return EMU_OK;
}

/* ---- flags, misc ---- */

int h_flag(struct ex *x) /* F5 CMC, F8 CLC, F9 STC, FA CLI, FB STI, FC CLD, FD STD */
{
    static const uint32_t bit[4] = { FL_CF, FL_IF, FL_DF, 0 };
    uint8_t op = x->i->opcode;
    if (op == 0xf5)
        x->c->eflags ^= FL_CF;
    else if (op & 1)
        x->c->eflags |= bit[(op - 0xf8) >> 1];
    else
        x->c->eflags &= ~bit[(op - 0xf8) >> 1];
    return EMU_OK;
}

int h_hlt(struct ex *x) /* F4: EIP moves past it, then ops->halt */
{
    x->halt = 1;
    return EMU_OK;
}

/* ---- x87 ---- */

/* 9B WAIT/FWAIT: #NM when CR0.MP and CR0.TS are both set, else nothing (no
 * x87 exception is ever pending: the emulator runs no x87 code). */
int h_wait(struct ex *x) { return (x->c->cr0 & (CR0_MP | CR0_TS)) == (CR0_MP | CR0_TS) ? fail(x, VECTOR_NM) : EMU_OK; }

/* D8-DF x87 escapes: #NM when CR0.EM or CR0.TS is set (the guest's FPU
 * emulation or lazy FPU switching), otherwise not emulated. */
int h_fpu(struct ex *x) { return (x->c->cr0 & (CR0_EM | CR0_TS)) ? fail(x, VECTOR_NM) : EMU_UNSUPPORTED; }

/* ---- system instructions ---- */

int h_mov_cr(struct ex *x) /* 0F 20 (MOV r32, CRn), 0F 22 (MOV CRn, r32) */
{
    log_gprs(x);
    unsigned cr = x->i->reg, r = x->i->rm;
    if (cr == 1 || cr > 4)
        return fail(x, VECTOR_UD);
    if (x->i->opcode == 0x20) {
        x->c->gpr[r] = cr_get(x->c, cr);
        return EMU_OK;
    }
    return cr_write(x, cr, x->c->gpr[r]);
}

/* 0F 21 (MOV r32, DRn), 0F 23 (MOV DRn, r32): always 32 bits outside
 * 64-bit mode, and the ModRM mod bits are ignored (a register either way).
 * DR4 and DR5 are DR6 and DR7 while CR4.DE is clear, #UD with it set (SDM
 * Vol. 3B, 18.2.2). DR7.GD's #DB is not modelled. */
int h_mov_dr(struct ex *x)
{
    unsigned dr = x->i->reg;
    uint32_t *r = &x->c->gpr[x->i->rm];
    if ((dr & 6) == 4) {
        if (x->c->cr4 & CR4_DE)
            return fail(x, VECTOR_UD);
        dr += 2;
    }
    if (!x->ops->mov_dr)
        return EMU_UNSUPPORTED;
    log_gprs(x);
    *r = x->ops->mov_dr(x->ops->ctx, dr, x->i->opcode == 0x23, *r);
    return EMU_OK;
}

int h_clts(struct ex *x) /* 0F 06 */
{
    log_gprs(x);
    return cr_write(x, 0, x->c->cr0 & ~CR0_TS);
}

int h_lmsw(struct ex *x) /* 0F 01 /6: CR0 bits 0-3; PE can be set, not cleared */
{
    log_gprs(x);
    uint32_t v, cr0 = x->c->cr0;
    TRY(rd_rm(x, 2, &v));
    return cr_write(x, 0, (cr0 & ~CR0_LMSW_BITS) | (v & CR0_LMSW_BITS) | (cr0 & CR0_PE));
}

/* 0F 01 /4: register: operand size (with 32 bits the SDM leaves the upper
 * half undefined; we store all of CR0); memory: always 16 bits. */
int h_smsw(struct ex *x) { return wr_rm(x, x->i->mod == 3 ? x->osz : 2, x->c->cr0); }

/* 0F 01 /0 SGDT, /1 SIDT: limit (16), base (32) - all 32 base bits are stored
 * with either operand size. */
int h_sdt(struct ex *x)
{
    int seg;
    uint32_t off = ea(x, &seg), lin;
    const struct emu_cpu *c = x->c;
    uint32_t base = x->i->reg == 0 ? c->gdtr.base : c->idtr.base;
    uint16_t limit = x->i->reg == 0 ? c->gdtr.limit : c->idtr.limit;
    TRY(seg_lin(x, seg, off, 6, &lin));
    TRY(wr_mem(x, seg, off, 2, limit));
    return wr_mem(x, seg, off + 2, 4, base);
}

/* 0F 01 /2 LGDT, /3 LIDT: with a 16-bit operand size only 24 base bits load. */
int h_ldt(struct ex *x)
{
    int seg;
    uint32_t off = ea(x, &seg), limit, base;
    TRY(rd_mem(x, seg, off, 2, &limit));
    TRY(rd_mem(x, seg, off + 2, 4, &base));
    if (x->osz == 2)
        base &= 0x00ffffffu;
    if (x->i->reg == 2) {
        x->c->gdtr.base = base;
        x->c->gdtr.limit = (uint16_t)limit;
    } else {
        x->c->idtr.base = base;
        x->c->idtr.limit = (uint16_t)limit;
    }
    return EMU_OK;
}

int h_rdmsr(struct ex *x) /* 0F 32: #GP when ops->rdmsr refuses */
{
    uint64_t v;
    if (!x->ops->rdmsr || x->ops->rdmsr(x->ops->ctx, x->c->gpr[EMU_ECX], &v))
        return fail(x, VECTOR_GP);
    x->c->gpr[EMU_EAX] = (uint32_t)v;
    x->c->gpr[EMU_EDX] = (uint32_t)(v >> 32);
    return EMU_OK;
}

int h_wrmsr(struct ex *x) /* 0F 30 */
{
    uint64_t v = ((uint64_t)x->c->gpr[EMU_EDX] << 32) | x->c->gpr[EMU_EAX];
    if (!x->ops->wrmsr || x->ops->wrmsr(x->ops->ctx, x->c->gpr[EMU_ECX], v))
        return fail(x, VECTOR_GP);
    return EMU_OK;
}

int h_cpuid(struct ex *x) /* 0F A2: out[] = EAX, EBX, ECX, EDX */
{
    uint32_t out[4] = { 0, 0, 0, 0 };
    if (x->ops->cpuid)
        x->ops->cpuid(x->ops->ctx, x->c->gpr[EMU_EAX], x->c->gpr[EMU_ECX], out);
    x->c->gpr[EMU_EAX] = out[0];
    x->c->gpr[EMU_EBX] = out[1];
    x->c->gpr[EMU_ECX] = out[2];
    x->c->gpr[EMU_EDX] = out[3];
    return EMU_OK;
}

/* 0F 31 RDTSC: EDX:EAX = IA32_TIME_STAMP_COUNTER (MSR 10H), read through
 * ops->rdmsr; not emulated when the host has no rdmsr or refuses MSR 10H. */
int h_rdtsc(struct ex *x)
{
    uint64_t t;
    if (!x->ops->rdmsr || x->ops->rdmsr(x->ops->ctx, 0x10, &t))
        return EMU_UNSUPPORTED;
    x->c->gpr[EMU_EAX] = (uint32_t)t;
    x->c->gpr[EMU_EDX] = (uint32_t)(t >> 32);
    return EMU_OK;
}
