/* emu_data.c - data transfer: MOV and its forms, XCHG, MOVZX/MOVSX, CBW/CWD,
 * PUSH/POP (general, segment, all, flags), MOV Sreg, CMOVcc, XADD, CMPXCHG,
 * CMPXCHG8B, BSWAP, XLAT, LAHF/SAHF, LDS/LES/LSS/LFS/LGS (SDM Vol. 1, 5.1.1,
 * 5.1.11-5.1.13). */
#include "emu_int.h"

/* ---- data movement ---- */

int h_mov(struct ex *x) /* 88-8B */
{
    const struct emu_insn *i = x->i;
    uint32_t v;
    if (!(i->opcode & 2))
        return wr_rm(x, x->osz, reg_get(x->c, i->reg, x->osz));
    TRY(rd_rm(x, x->osz, &v));
    reg_set(x->c, i->reg, x->osz, v);
    return EMU_OK;
}

int h_mov_moffs(struct ex *x) /* A0-A3 */
{
    int seg = x->i->seg >= 0 ? x->i->seg : EMU_DS;
    uint32_t off = (uint32_t)x->i->disp, v;
    if (x->i->opcode & 2)
        return wr_mem(x, seg, off, x->osz, reg_get(x->c, EMU_EAX, x->osz));
    TRY(rd_mem(x, seg, off, x->osz, &v));
    reg_set(x->c, EMU_EAX, x->osz, v);
    return EMU_OK;
}

int h_mov_r_imm(struct ex *x) /* B0-BF */
{
    reg_set(x->c, x->i->opcode & 7, x->osz, x->i->imm);
    return EMU_OK;
}

int h_mov_rm_imm(struct ex *x) /* C6/C7 /0 */ { return wr_rm(x, x->osz, x->i->imm); }

int h_lea(struct ex *x) /* 8D: the offset, truncated to the operand size */
{
    int seg;
    reg_set(x->c, x->i->reg, x->osz, ea(x, &seg));
    return EMU_OK;
}

int h_xchg(struct ex *x) /* 86, 87 */
{
    uint32_t a;
    TRY(rd_rm(x, x->osz, &a));
    TRY(wr_rm(x, x->osz, reg_get(x->c, x->i->reg, x->osz)));
    reg_set(x->c, x->i->reg, x->osz, a);
    return EMU_OK;
}

int h_xchg_ax(struct ex *x) /* 91-97 */
{
    unsigned r = x->i->opcode & 7;
    uint32_t a = reg_get(x->c, EMU_EAX, x->osz);
    reg_set(x->c, EMU_EAX, x->osz, reg_get(x->c, r, x->osz));
    reg_set(x->c, r, x->osz, a);
    return EMU_OK;
}

int h_movx(struct ex *x) /* 0F B6/B7 MOVZX, 0F BE/BF MOVSX */
{
    unsigned ssz = (x->i->opcode & 1) ? 2 : 1;
    uint32_t v;
    TRY(rd_rm(x, ssz, &v));
    if (x->i->opcode & 8)
        v = sext(v, ssz);
    reg_set(x->c, x->i->reg, x->osz, v);
    return EMU_OK;
}

int h_cbw(struct ex *x) /* 98: CBW / CWDE */
{
    unsigned half = x->osz / 2;
    reg_set(x->c, EMU_EAX, x->osz, sext(reg_get(x->c, EMU_EAX, half), half));
    return EMU_OK;
}

int h_cwd(struct ex *x) /* 99: CWD / CDQ */
{
    uint32_t sign = reg_get(x->c, EMU_EAX, x->osz) >> (8 * x->osz - 1);
    reg_set(x->c, EMU_EDX, x->osz, sign ? 0xffffffffu : 0);
    return EMU_OK;
}

/* ---- stack ---- */

int h_push_r(struct ex *x) /* 50-57 (PUSH SP pushes the value before the push) */
{
    return push(x, x->osz, reg_get(x->c, x->i->opcode & 7, x->osz));
}

int h_pop_r(struct ex *x) /* 58-5F (POP SP: SP = the popped value) */
{
    uint32_t v;
    TRY(pop(x, x->osz, &v));
    reg_set(x->c, x->i->opcode & 7, x->osz, v);
    return EMU_OK;
}

int h_push_imm(struct ex *x) /* 68, 6A */ { return push(x, x->osz, x->i->imm); }

int h_push_rm(struct ex *x) /* FF /6 */
{
    uint32_t v;
    TRY(rd_rm(x, x->osz, &v));
    return push(x, x->osz, v);
}

int h_pop_rm(struct ex *x) /* 8F /0: the address is computed after SP was incremented */
{
    log_gprs(x);
    uint32_t v;
    TRY(pop(x, x->osz, &v));
    return wr_rm(x, x->osz, v);
}

int h_pusha(struct ex *x) /* 60 */
{
    log_gprs(x);
    uint32_t sp = reg_get(x->c, EMU_ESP, x->osz);
    for (unsigned r = EMU_EAX; r <= EMU_EDI; r++)
        TRY(push(x, x->osz, r == EMU_ESP ? sp : reg_get(x->c, r, x->osz)));
    return EMU_OK;
}

int h_popa(struct ex *x) /* 61: the stored SP is skipped */
{
    log_gprs(x);
    uint32_t v;
    for (int r = EMU_EDI; r >= EMU_EAX; r--) {
        TRY(pop(x, x->osz, &v));
        if (r != EMU_ESP)
            reg_set(x->c, (unsigned)r, x->osz, v);
    }
    return EMU_OK;
}

int h_pushf(struct ex *x) /* 9C */
{
    return push(x, x->osz, x->osz == 4 ? x->c->eflags & FL_PUSHF32 : x->c->eflags & 0xffff);
}

int h_popf(struct ex *x) /* 9D: real mode = CPL 0: IOPL, IF, NT... all writable */
{
    uint32_t v, mask = x->osz == 4 ? FL_POPF32 : FL_POPF16;
    TRY(pop(x, x->osz, &v));
    x->c->eflags = (x->c->eflags & ~mask) | (v & mask) | 2;
    return EMU_OK;
}

/* ---- segment registers ---- */

/* 06 0E 16 1E (sreg = opcode >> 3), 0F A0/A8 (FS, GS). With a 32-bit operand
 * size the selector is pushed zero-extended to 32 bits (the SDM allows that
 * or a 16-bit write). */
static int sreg_of(const struct emu_insn *i)
{
    return i->twobyte ? ((i->opcode & 8) ? EMU_GS : EMU_FS) : i->opcode >> 3;
}

int h_push_sreg(struct ex *x) { return push(x, x->osz, x->c->seg[sreg_of(x->i)].sel); }

int h_pop_sreg(struct ex *x) /* 07 17 1F 0F A1 0F A9 */
{
    uint32_t v;
    TRY(pop(x, x->osz, &v));
    load_seg(x->c, sreg_of(x->i), (uint16_t)v);
    return EMU_OK;
}

int h_mov_from_sreg(struct ex *x) /* 8C: memory 16 bits; register: operand size, zero-extended */
{
    uint32_t v = x->c->seg[x->i->reg].sel;
    return wr_rm(x, x->i->mod == 3 ? x->osz : 2, v);
}

int h_mov_to_sreg(struct ex *x) /* 8E (CS is #UD at decode) */
{
    uint32_t v;
    TRY(rd_rm(x, 2, &v));
    load_seg(x->c, x->i->reg, (uint16_t)v);
    return EMU_OK;
}

/* 0F 40-4F CMOVcc r, r/m (P6): the source is read (and can fault) either way. */
int h_cmov(struct ex *x)
{
    uint32_t v;
    TRY(rd_rm(x, x->osz, &v));
    if (cond(x->c, x->i->opcode & 15))
        reg_set(x->c, x->i->reg, x->osz, v);
    return EMU_OK;
}

/* 0F C0/C1 XADD r/m, reg: TEMP = SRC + DEST; SRC = DEST; DEST = TEMP (flags
 * of the ADD). A memory destination is written before the register changes,
 * which may be part of its address (XADD [BX], BH). */
int h_xadd(struct ex *x)
{
    unsigned sz = x->osz, reg = x->i->reg;
    uint32_t d, t;
    TRY(rd_rm(x, sz, &d));
    t = alu(x->c, ALU_ADD, d, reg_get(x->c, reg, sz), sz);
    if (x->i->mod == 3) {
        reg_set(x->c, reg, sz, d);
        reg_set(x->c, x->i->rm, sz, t);
        return EMU_OK;
    }
    TRY(wr_rm(x, sz, t));
    reg_set(x->c, reg, sz, d);
    return EMU_OK;
}

/* 0F B0/B1 CMPXCHG r/m, reg: flags of CMP accumulator, DEST; equal: DEST = reg;
 * else the accumulator = DEST (and DEST is written back unchanged, as the CPU does). */
int h_cmpxchg(struct ex *x)
{
    unsigned sz = x->osz;
    uint32_t d;
    TRY(rd_rm(x, sz, &d));
    alu(x->c, ALU_CMP, reg_get(x->c, EMU_EAX, sz), d, sz);
    if (x->c->eflags & FL_ZF)
        return wr_rm(x, sz, reg_get(x->c, x->i->reg, sz));
    TRY(wr_rm(x, sz, d));
    reg_set(x->c, EMU_EAX, sz, d);
    return EMU_OK;
}

/* 0F C7 /1 CMPXCHG8B m64 (Pentium): EDX:EAX against m64; equal: ZF = 1, m64 =
 * ECX:EBX; else ZF = 0, EDX:EAX = m64 (written back). The register form is
 * #UD; the group's other members (RDRAND, XSAVES, VMPTRLD...) are not emulated. */
int h_grp9(struct ex *x)
{
    struct emu_cpu *c = x->c;
    uint32_t off, lo, hi;
    int seg, eq;
    if (x->i->reg != 1)
        return EMU_UNSUPPORTED;
    if (x->i->mod == 3)
        return fail(x, VECTOR_UD);
    off = ea(x, &seg);
    TRY(rd_mem(x, seg, off, 4, &lo));
    TRY(rd_mem(x, seg, off + 4, 4, &hi));
    eq = lo == c->gpr[EMU_EAX] && hi == c->gpr[EMU_EDX];
    set_flags(c, FL_ZF, eq ? FL_ZF : 0);
    TRY(wr_mem(x, seg, off, 4, eq ? c->gpr[EMU_EBX] : lo));
    TRY(wr_mem(x, seg, off + 4, 4, eq ? c->gpr[EMU_ECX] : hi));
    if (!eq) {
        c->gpr[EMU_EAX] = lo;
        c->gpr[EMU_EDX] = hi;
    }
    return EMU_OK;
}

/* 0F C8+r BSWAP r32. With a 16-bit operand the SDM leaves the result
 * undefined; Intel and AMD CPUs clear the 16-bit register, and so do we. */
int h_bswap(struct ex *x)
{
    unsigned r = x->i->opcode & 7;
    uint32_t v = x->c->gpr[r];
    reg_set(x->c, r, x->osz, (v >> 24) | ((v >> 8) & 0xff00) | ((v & 0xff00) << 8) | (v << 24));
    if (x->osz == 2)
        reg_set(x->c, r, 2, 0);
    return EMU_OK;
}

/* ---- misc data movement ---- */

/* D7 XLAT: AL = [seg:(E)BX + AL] (DS unless overridden; the sum wraps to the address size). */
int h_xlat(struct ex *x)
{
    uint32_t v;
    TRY(rd_mem(x, x->i->seg >= 0 ? x->i->seg : EMU_DS,
               (x->c->gpr[EMU_EBX] + (x->c->gpr[EMU_EAX] & 0xff)) & szmask(x->asz), 1, &v));
    reg_set(x->c, EMU_EAX, 1, v);
    return EMU_OK;
}

/* 9E SAHF: SF ZF AF PF CF = AH bits 7 6 4 2 0; 9F LAHF: AH = those flags, bit 1 set. */
int h_ahf(struct ex *x)
{
    struct emu_cpu *c = x->c;
    if (x->i->opcode & 1)
        reg_set(c, 4, 1, (c->eflags & 0xd5) | 2); /* r = 4, size 1: AH */
    else
        set_flags(c, FL_SF | FL_ZF | FL_AF | FL_PF | FL_CF, reg_get(c, 4, 1));
    return EMU_OK;
}

/* C4 LES, C5 LDS, 0F B2 LSS, 0F B4 LFS, 0F B5 LGS r, m16:16/m16:32 */
int h_lfp(struct ex *x)
{
    const struct emu_insn *i = x->i;
    uint16_t sel;
    uint32_t off;
    TRY(read_farptr(x, &sel, &off));
    reg_set(x->c, i->reg, x->osz, off);
    load_seg(x->c, i->twobyte ? i->opcode - 0xb0 : i->opcode == 0xc4 ? EMU_ES : EMU_DS, sel);
    return EMU_OK;
}
