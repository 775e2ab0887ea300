/* emu_fast.h - emu_run's fast path (emu.c includes it): the register forms
 * of the plain ALU, MOV, INC/DEC, NOT and shift/rotate instructions, which
 * cannot fault, run inline without the undo log and the handler call. Their
 * results and flags are those of the handlers they stand for (h_alu,
 * h_grp1, h_mov, h_mov_r_imm, h_incdec_r, h_not, h_shift; emu_alu.c's flag
 * rules: AF unchanged by logic and shifts, OF only for a count of 1);
 * emu_run tags each instruction it decodes with its class (fast_class), so
 * a cached one is classed once. */
#ifndef VMXASSIST_EMU_FAST_H
#define VMXASSIST_EMU_FAST_H
#include "emu_int.h"

enum {
    F_NONE,
    F_ALU_RM_R,
    F_ALU_R_RM,
    F_ALU_ACC,
    F_ALU_IMM,
    F_MOV_RM_R,
    F_MOV_R_RM,
    F_MOV_IMM,
    F_INC,
    F_DEC,
    F_SHIFT,
    F_NOT
};

/* The fast class of a decoded instruction (entry d), or F_NONE. */
static inline uint8_t fast_class(const struct emu_insn *i, const struct op *d)
{
    int reg = i->has_modrm && i->mod == 3;
    emu_fn fn = d->fn;
    if (i->lock || i->rep)
        return F_NONE;
    if (fn == h_alu && !i->twobyte)
        return (i->opcode & 7) >= 4 ? F_ALU_ACC : !reg ? F_NONE : (i->opcode & 2) ? F_ALU_R_RM : F_ALU_RM_R;
    if (fn == h_grp1)
        return reg ? F_ALU_IMM : F_NONE;
    if (fn == h_mov)
        return !reg ? F_NONE : (i->opcode & 2) ? F_MOV_R_RM : F_MOV_RM_R;
    if (fn == h_mov_r_imm)
        return F_MOV_IMM;
    if (fn == h_incdec_r)
        return (i->opcode & 8) ? F_DEC : F_INC;
    if (fn == h_shift)
        return reg && (i->reg & 6) != 2 ? F_SHIFT : F_NONE; /* not RCL/RCR */
    if (fn == h_not)
        return reg ? F_NOT : F_NONE;
    return F_NONE;
}

/* The operation of the ALU opcodes (ALU_ADD ... ALU_CMP) on a and b (sz
 * bytes): the result and EFLAGS, as emu_alu.c's alu() has them. */
HOT uint32_t fast_alu(uint32_t *fl, unsigned op, uint32_t a, uint32_t b, unsigned sz)
{
    uint32_t m = szmask(sz), top = 8 * sz - 1, res, f = *fl, arith;
    a &= m;
    b &= m;
    switch (op) {
    case ALU_ADD:
    case ALU_ADC:
        res = (a + b + (op == ALU_ADC ? (f & FL_CF) : 0)) & m;
        arith = ((((a & b) | ((a | b) & ~res)) >> top) & 1) | (((a ^ res) & (b ^ res)) >> top & 1) << 11;
        break;
    case ALU_SUB:
    case ALU_SBB:
    case ALU_CMP:
        res = (a - b - (op == ALU_SBB ? (f & FL_CF) : 0)) & m;
        arith = ((((~a & b) | ((~a | b) & res)) >> top) & 1) | (((a ^ b) & (a ^ res)) >> top & 1) << 11;
        break;
    default: /* OR, AND, XOR: CF = OF = 0, AF unchanged */
        res = op == ALU_OR ? a | b : op == ALU_AND ? a & b : a ^ b;
        *fl = (f & ~(FL_ARITH & ~FL_AF)) | szp(res, sz);
        return res;
    }
    *fl = (f & ~FL_ARITH) | arith | ((a ^ b ^ res) & FL_AF) | szp(res, sz);
    return res;
}

/* SHL/SAL, SHR, SAR, ROL, ROR of v (sz bytes) by cnt (1-31), closed form of
 * h_shift's bit-by-bit loop. */
HOT uint32_t fast_shift(uint32_t *fl, unsigned op, uint32_t v, unsigned cnt, unsigned sz)
{
    unsigned w = 8 * sz, r;
    uint32_t m = szmask(sz), msb = 1u << (w - 1), cf, which = FL_CF, f;
    v &= m;
    switch (op) {
    case 0: /* ROL */
        r = cnt % w;
        v = r ? ((v << r) | (v >> (w - r))) & m : v;
        cf = v & 1;
        break;
    case 1: /* ROR */
        r = cnt % w;
        v = r ? ((v >> r) | (v << (w - r))) & m : v;
        cf = (v & msb) != 0;
        break;
    case 5: /* SHR */
        cf = (v >> (cnt - 1)) & 1;
        v >>= cnt;
        break;
    case 7: /* SAR */
        cf = (uint32_t)(((int32_t)sext(v, sz) >> (cnt - 1)) & 1);
        v = (uint32_t)((int32_t)sext(v, sz) >> cnt) & m;
        break;
    default: { /* 4, 6: SHL */
        uint64_t t = (uint64_t)v << cnt;
        cf = (uint32_t)(t >> w) & 1;
        v = (uint32_t)t & m;
        break;
    }
    }
    f = cf | ((!(op & 1) ? ((v & msb) != 0) != (cf != 0) : ((v ^ (v << 1)) & msb) != 0) ? FL_OF : 0);
    if (cnt == 1)
        which |= FL_OF;
    if (op >= 4) {
        which |= FL_SF | FL_ZF | FL_PF;
        f |= szp(v, sz);
    }
    *fl = (*fl & ~which) | (f & which);
    return v;
}

/* Run fast-class instruction i on c (EIP not moved). */
HOT void fast_exec(struct emu_cpu *c, const struct emu_insn *i)
{
    unsigned sz = i->osz, op = (i->opcode >> 3) & 7, dst = i->rm, f = i->fast;
    uint32_t fl = c->eflags, b;
    switch (f) {
    case F_ALU_R_RM:
        dst = i->reg;
        b = reg_get(c, i->rm, sz);
        break;
    case F_ALU_RM_R:
    case F_MOV_RM_R: b = reg_get(c, i->reg, sz); break;
    case F_ALU_ACC:
        dst = EMU_EAX;
        b = i->imm;
        break;
    case F_ALU_IMM:
        op = i->reg;
        b = i->imm;
        break;
    case F_MOV_R_RM: reg_set(c, i->reg, sz, reg_get(c, i->rm, sz)); return;
    case F_MOV_IMM: reg_set(c, i->opcode & 7, sz, i->imm); return;
    case F_INC:
    case F_DEC:
        op = f == F_DEC ? ALU_SUB : ALU_ADD;
        dst = i->opcode & 7;
        b = 1;
        break;
    case F_SHIFT:
        b = (i->opcode >= 0xd2 ? c->gpr[EMU_ECX] : i->opcode >= 0xd0 ? 1 : i->imm) & 0x1f;
        if (b)
            reg_set(c, dst, sz, fast_shift(&c->eflags, i->reg, reg_get(c, dst, sz), b, sz));
        return;
    default: /* F_NOT */ reg_set(c, dst, sz, ~reg_get(c, dst, sz)); return;
    }
    if (f == F_MOV_RM_R) {
        reg_set(c, dst, sz, b);
        return;
    }
    b = fast_alu(&fl, op, reg_get(c, dst, sz), b, sz);
    if (op != ALU_CMP)
        reg_set(c, dst, sz, b);
    if (f >= F_INC) /* INC, DEC: CF unchanged */
        fl = (fl & ~FL_CF) | (c->eflags & FL_CF);
    c->eflags = fl;
}
#endif
