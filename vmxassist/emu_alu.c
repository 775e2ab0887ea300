/* emu_alu.c - arithmetic and logic: ADD..CMP, INC/DEC, NEG/NOT, TEST, shifts and
 * rotates, SHLD/SHRD, MUL/IMUL/DIV/IDIV, BCD adjustments, BT/BTS/BTR/BTC, BSF/BSR, SETcc
 * (SDM Vol. 1, 5.1.2-5.1.6). The flag rules are in emu.c's header comment. */
#include "emu_int.h"

/* a OP b at size sz; sets the flags, returns the result. */
uint32_t alu(struct emu_cpu *c, unsigned op, uint32_t a, uint32_t b, unsigned sz)
{
    uint32_t m = szmask(sz), top = 8 * sz - 1, res, co, ov, which = FL_ARITH;
    uint32_t cin = c->eflags & FL_CF;
    a &= m;
    b &= m;
    switch (op) {
    case ALU_ADD:
    case ALU_ADC:
        if (op == ALU_ADD)
            cin = 0;
        res = (a + b + cin) & m;
        co = (a & b) | ((a | b) & ~res); /* carry out of each bit */
        ov = (a ^ res) & (b ^ res);
        break;
    case ALU_SUB:
    case ALU_SBB:
    case ALU_CMP:
        if (op != ALU_SBB)
            cin = 0;
        res = (a - b - cin) & m;
        co = (~a & b) | ((~a | b) & res); /* borrow out of each bit */
        ov = (a ^ b) & (a ^ res);
        break;
    default: /* OR, AND, XOR: CF = OF = 0; AF is undefined, left unchanged */
        res = op == ALU_OR ? a | b : op == ALU_AND ? a & b : a ^ b;
        co = ov = 0;
        which = FL_ARITH & ~FL_AF;
        break;
    }
    set_flags(c, which, ((co >> top) & 1) | ((ov >> top) & 1) << 11 | ((a ^ b ^ res) & FL_AF) | szp(res, sz));
    return res;
}

/* INC/DEC: like ADD/SUB 1, but CF is unaffected. */
static uint32_t incdec(struct emu_cpu *c, int dec, uint32_t a, unsigned sz)
{
    uint32_t cf = c->eflags & FL_CF, res = alu(c, dec ? ALU_SUB : ALU_ADD, a, 1, sz);
    c->eflags = (c->eflags & ~FL_CF) | cf;
    return res;
}

int cond(const struct emu_cpu *c, unsigned cc)
{
    uint32_t f = c->eflags;
    int of = !!(f & FL_OF), cf = !!(f & FL_CF), zf = !!(f & FL_ZF), sf = !!(f & FL_SF), pf = !!(f & FL_PF), r;
    switch (cc >> 1) {
    case 0: r = of; break;              /* O */
    case 1: r = cf; break;              /* B */
    case 2: r = zf; break;              /* Z */
    case 3: r = cf || zf; break;        /* BE */
    case 4: r = sf; break;              /* S */
    case 5: r = pf; break;              /* P */
    case 6: r = sf != of; break;        /* L */
    default: r = zf || sf != of; break; /* LE */
    }
    return (cc & 1) ? !r : r;
}

/* 00-3D: ALU Eb,Gb / Ev,Gv / Gb,Eb / Gv,Ev / AL,Ib / eAX,Iz */
int h_alu(struct ex *x)
{
    const struct emu_insn *i = x->i;
    unsigned op = (i->opcode >> 3) & 7, sz = x->osz;
    uint32_t a, b, r;
    switch (i->opcode & 7) {
    case 0:
    case 1:
        TRY(rd_rm(x, sz, &a));
        r = alu(x->c, op, a, reg_get(x->c, i->reg, sz), sz);
        return op == ALU_CMP ? EMU_OK : wr_rm(x, sz, r);
    case 2:
    case 3:
        TRY(rd_rm(x, sz, &b));
        r = alu(x->c, op, reg_get(x->c, i->reg, sz), b, sz);
        break;
    default:
        r = alu(x->c, op, reg_get(x->c, EMU_EAX, sz), i->imm, sz);
        if (op != ALU_CMP)
            reg_set(x->c, EMU_EAX, sz, r);
        return EMU_OK;
    }
    if (op != ALU_CMP)
        reg_set(x->c, i->reg, sz, r);
    return EMU_OK;
}

/* 80-83: ALU Eb/Ev, imm */
int h_grp1(struct ex *x)
{
    uint32_t a, r;
    TRY(rd_rm(x, x->osz, &a));
    r = alu(x->c, x->i->reg, a, x->i->imm, x->osz);
    return x->i->reg == ALU_CMP ? EMU_OK : wr_rm(x, x->osz, r);
}

int h_incdec_r(struct ex *x) /* 40-4F */
{
    unsigned r = x->i->opcode & 7;
    reg_set(x->c, r, x->osz, incdec(x->c, x->i->opcode & 8, reg_get(x->c, r, x->osz), x->osz));
    return EMU_OK;
}

int h_incdec_rm(struct ex *x) /* FE/FF /0 /1 */
{
    uint32_t a;
    TRY(rd_rm(x, x->osz, &a));
    return wr_rm(x, x->osz, incdec(x->c, x->i->reg == 1, a, x->osz));
}

int h_test(struct ex *x) /* 84, 85 */
{
    uint32_t a;
    TRY(rd_rm(x, x->osz, &a));
    alu(x->c, ALU_AND, a, reg_get(x->c, x->i->reg, x->osz), x->osz);
    return EMU_OK;
}

int h_test_acc(struct ex *x) /* A8, A9 */
{
    alu(x->c, ALU_AND, reg_get(x->c, EMU_EAX, x->osz), x->i->imm, x->osz);
    return EMU_OK;
}

int h_test_imm(struct ex *x) /* F6/F7 /0 (and its alias /1) */
{
    uint32_t a;
    TRY(rd_rm(x, x->osz, &a));
    alu(x->c, ALU_AND, a, x->i->imm, x->osz);
    return EMU_OK;
}

int h_not(struct ex *x) /* F6/F7 /2: no flags */
{
    uint32_t a;
    TRY(rd_rm(x, x->osz, &a));
    return wr_rm(x, x->osz, ~a);
}

int h_neg(struct ex *x) /* F6/F7 /3: 0 - src; CF = (src != 0) */
{
    uint32_t a;
    TRY(rd_rm(x, x->osz, &a));
    return wr_rm(x, x->osz, alu(x->c, ALU_SUB, 0, a, x->osz));
}

/* ---- shifts and rotates: C0 C1 (imm8), D0 D1 (1), D2 D3 (CL) ----
 * ModRM.reg: 0 ROL 1 ROR 2 RCL 3 RCR 4 SHL 5 SHR 6 SAL (= SHL) 7 SAR. The count
 * is masked to 5 bits; a masked count of 0 changes nothing (no flags, no
 * write). One bit moves per step, so RCL/RCR rotate through CF over size+1
 * bits and ROL/ROR end with CF = the last bit moved, as the SDM's pseudocode
 * (its MOD 9 / MOD 17 and "CF <- LSB/MSB(DEST)" give the same values).
 * Flags: CF = the last bit shifted/rotated out; OF only for a count of 1 (left:
 * MSB(result) ^ CF; right: the two top bits of the result, which is MSB(DEST)
 * for SHR, 0 for SAR, MSB(DEST) ^ CF for RCR); SF ZF PF by the result for the
 * shifts (rotates leave them). Undefined, left unchanged: OF for other counts,
 * AF after a shift. (CF for SHL/SHR counts >= the operand width, undefined
 * too, is what one-bit steps give: the last bit out, 0 past the width.) */
int h_shift(struct ex *x)
{
    const struct emu_insn *i = x->i;
    unsigned sz = x->osz, op = i->reg, left = !(op & 1), k;
    uint32_t m = szmask(sz), msb = 1u << (8 * sz - 1), v, out, in, cf = x->c->eflags & FL_CF, which = FL_CF, fl;
    uint32_t cnt = (i->opcode >= 0xd2 ? x->c->gpr[EMU_ECX] : i->opcode >= 0xd0 ? 1 : i->imm) & 0x1f;
    TRY(rd_rm(x, sz, &v));
    if (!cnt)
        return EMU_OK;
    for (k = 0; k < cnt; k++) {
        if (left) {
            out = (v & msb) ? 1 : 0;
            in = op == 0 ? out : op == 2 ? cf : 0;
            v = ((v << 1) | in) & m;
        } else {
            out = v & 1;
            in = op == 1 ? out : op == 3 ? cf : op == 7 ? (v & msb) != 0 : 0;
            v = (v >> 1) | (in ? msb : 0);
        }
        cf = out;
    }
    fl = cf | ((left ? ((v & msb) != 0) != (cf != 0) : ((v ^ (v << 1)) & msb) != 0) ? FL_OF : 0);
    if (cnt == 1)
        which |= FL_OF;
    if (op >= 4) {
        which |= FL_SF | FL_ZF | FL_PF;
        fl |= szp(v, sz);
    }
    set_flags(x->c, which, fl);
    return wr_rm(x, sz, v);
}

/* 0F A4/A5 SHLD, 0F AC/AD SHRD r/m, reg, imm8/CL: the count is masked to 5
 * bits (0: nothing changes). The destination shifts and the source's bits
 * fill it; with a 16-bit operand and a count above 16 (result and flags
 * undefined in the SDM) the destination's own bits follow the source's (the
 * A:B:A model of Intel CPUs). CF = last bit out, SF ZF PF by the result, OF (count 1) =
 * sign change; AF and OF for other counts undefined, left unchanged. */
int h_shxd(struct ex *x)
{
    const struct emu_insn *i = x->i;
    unsigned sz = x->osz, right = i->opcode >= 0xac, k;
    uint32_t m = szmask(sz), msb = 1u << (8 * sz - 1), d, r, s = reg_get(x->c, i->reg, sz), t, cf = 0;
    uint32_t cnt = ((i->opcode & 1) ? x->c->gpr[EMU_ECX] : i->imm) & 0x1f;
    TRY(rd_rm(x, sz, &d));
    if (!cnt)
        return EMU_OK;
    for (r = t = d, k = 0; k < cnt; k++) {
        if (right) {
            cf = r & 1;
            r = (r >> 1) | ((s & 1) ? msb : 0);
            s = (s >> 1) | ((t & 1) ? msb : 0);
            t >>= 1;
        } else {
            cf = (r & msb) ? 1 : 0;
            r = ((r << 1) | ((s & msb) ? 1 : 0)) & m;
            s = ((s << 1) | ((t & msb) ? 1 : 0)) & m;
            t = (t << 1) & m;
        }
    }
    set_flags(x->c, FL_CF | FL_SF | FL_ZF | FL_PF | (cnt == 1 ? FL_OF : 0),
              cf | szp(r, sz) | (((r ^ d) & msb) ? FL_OF : 0));
    return wr_rm(x, sz, r);
}

/* ---- multiply and divide ---- */

/* The result pair of MUL/IMUL/DIV/IDIV: AL, AH / AX, DX / EAX, EDX. */
static void acc_pair(struct emu_cpu *c, unsigned sz, uint32_t lo, uint32_t hi)
{
    if (sz == 1) {
        reg_set(c, EMU_EAX, 2, (lo & 0xff) | (hi & 0xff) << 8);
    } else {
        reg_set(c, EMU_EAX, sz, lo);
        reg_set(c, EMU_EDX, sz, hi);
    }
}

/* The signed product of a and b (sz-bit values); *ovf: it does not fit sz bits. */
static uint64_t smul(uint32_t a, uint32_t b, unsigned sz, int *ovf)
{
    int64_t p = (int64_t)(int32_t)sext(a, sz) * (int32_t)sext(b, sz);
    *ovf = p != (int32_t)sext((uint32_t)p, sz);
    return (uint64_t)p;
}

/* hi:lo / d, unsigned, with 32-bit operations only (no libgcc): -1 when the
 * quotient needs more than 32 bits (which includes d = 0). */
static int udiv64(uint32_t hi, uint32_t lo, uint32_t d, uint32_t *q, uint32_t *r)
{
    if (hi >= d)
        return -1;
    for (unsigned k = 0; k < 32; k++) {
        uint32_t top = hi >> 31;
        hi = (hi << 1) | (lo >> 31);
        lo <<= 1;
        if (top || hi >= d) {
            hi -= d;
            lo |= 1;
        }
    }
    *q = lo;
    *r = hi;
    return 0;
}

/* F6/F7 /4 MUL, /5 IMUL, /6 DIV, /7 IDIV. MUL/IMUL: CF = OF = the upper half
 * is significant; SF ZF AF PF undefined (unchanged). DIV/IDIV: #DE for a zero
 * divisor or a quotient that does not fit (IDIV: -2^(n-1) fits); the
 * remainder has the dividend's sign; all flags undefined (unchanged). */
int h_muldiv(struct ex *x)
{
    struct emu_cpu *c = x->c;
    unsigned sz = x->osz, bits = 8 * sz, sgn = x->i->reg & 1;
    uint32_t m = szmask(sz), s, a = c->gpr[EMU_EAX] & m, hi, lo, q, r, lim;
    int ovf, nd = 0, nq = 0;
    TRY(rd_rm(x, sz, &s));
    if (x->i->reg < 6) {
        uint64_t p = sgn ? smul(a, s, sz, &ovf) : (uint64_t)a * s;
        hi = (uint32_t)(p >> bits) & m;
        if (!sgn)
            ovf = hi != 0;
        acc_pair(c, sz, (uint32_t)p, hi);
        set_flags(c, FL_CF | FL_OF, ovf ? FL_CF | FL_OF : 0);
        return EMU_OK;
    }
    /* the dividend as a 64-bit hi:lo */
    lo = sz == 1 ? c->gpr[EMU_EAX] & 0xffff : sz == 2 ? (c->gpr[EMU_EDX] << 16) | a : a;
    hi = sz == 4 ? c->gpr[EMU_EDX] : 0;
    if (sgn) {
        if (sz != 4) {
            lo = sext(lo, 2 * sz);
            hi = (lo >> 31) ? 0xffffffffu : 0;
        }
        if (hi >> 31) { /* negate hi:lo */
            nd = 1;
            lo = 0u - lo;
            hi = ~hi + (lo == 0);
        }
        s = sext(s, sz);
        if (s >> 31) {
            nq = 1;
            s = 0u - s;
        }
        nq ^= nd;
    }
    if (udiv64(hi, lo, s, &q, &r))
        return fail(x, VECTOR_DE);
    lim = sgn ? (1u << (bits - 1)) - !nq : m;
    if (q > lim)
        return fail(x, VECTOR_DE);
    acc_pair(c, sz, nq ? 0u - q : q, nd ? 0u - r : r);
    return EMU_OK;
}

/* 0F AF IMUL r, r/m; 69 IMUL r, r/m, imm16/32; 6B IMUL r, r/m, imm8:
 * the truncated product; CF = OF = it was truncated; SF ZF AF PF undefined. */
int h_imul3(struct ex *x)
{
    uint32_t a;
    int ovf;
    TRY(rd_rm(x, x->osz, &a));
    reg_set(x->c, x->i->reg, x->osz,
            (uint32_t)smul(a, x->i->twobyte ? reg_get(x->c, x->i->reg, x->osz) : x->i->imm, x->osz, &ovf));
    set_flags(x->c, FL_CF | FL_OF, ovf ? FL_CF | FL_OF : 0);
    return EMU_OK;
}

/* ---- BCD: 27 DAA, 2F DAS, 37 AAA, 3F AAS, D4 AAM, D5 AAD, D6 SALC ----
 * The SDM's pseudocode; undefined flags (DAA/DAS: OF; AAA/AAS: OF SF ZF PF;
 * AAM/AAD: OF AF CF) are left unchanged. */
int h_bcd(struct ex *x)
{
    struct emu_cpu *c = x->c;
    uint32_t ax = c->gpr[EMU_EAX] & 0xffff, al = ax & 0xff, ah = ax >> 8, f = c->eflags, imm = x->i->imm & 0xff;
    uint32_t which = FL_SF | FL_ZF | FL_PF, fl = 0;
    int adj = (al & 0xf) > 9 || (f & FL_AF), sub = x->i->opcode & 8;
    switch (x->i->opcode) {
    case 0x27: /* DAA */
    case 0x2f: /* DAS */
        which |= FL_AF | FL_CF;
        if (adj) {
            fl = FL_AF | ((f & FL_CF) || (sub ? al < 6 : al > 0xf9) ? FL_CF : 0);
            al = (sub ? al - 6 : al + 6) & 0xff;
        }
        if ((ax & 0xff) > 0x99 || (f & FL_CF)) {
            al = (sub ? al - 0x60 : al + 0x60) & 0xff;
            fl |= FL_CF;
        }
        ax = (ax & 0xff00) | al;
        break;
    case 0x37: /* AAA: AX += 106h */
    case 0x3f: /* AAS: AX -= 6, AH -= 1 */
        which = FL_AF | FL_CF;
        if (adj) {
            ax = (sub ? ax - 0x106 : ax + 0x106) & 0xffff;
            fl = FL_AF | FL_CF;
        }
        ax &= 0xff0f;
        break;
    case 0xd4: /* AAM imm8: #DE when imm8 = 0 */
        if (!imm)
            return fail(x, VECTOR_DE);
        ax = (al / imm) << 8 | (al % imm);
        break;
    case 0xd5: /* AAD imm8 */ ax = (al + ah * imm) & 0xff; break;
    default: /* D6 SALC: AL = CF ? FF : 00, no flags */
        which = 0;
        ax = (ax & 0xff00) | ((f & FL_CF) ? 0xff : 0);
        break;
    }
    reg_set(c, EMU_EAX, 2, ax);
    set_flags(c, which, fl | szp(ax & 0xff, 1));
    return EMU_OK;
}

/* ---- bit operations ---- */

/* 0F A3 BT, AB BTS, B3 BTR, BB BTC r/m, reg; 0F BA /4-/7 the same with imm8.
 * A register operand and the immediate forms use the offset modulo the
 * operand width; the register form on memory takes the offset as signed and
 * addresses the word/dword at EA + (offset SAR 4/5) * 2/4 (wrapped to the
 * address size). CF = the bit; OF SF AF PF undefined (unchanged), ZF kept. */
int h_bt(struct ex *x)
{
    const struct emu_insn *i = x->i;
    unsigned sz = x->osz, imm = i->opcode == 0xba, op = imm ? i->reg & 3 : (i->opcode >> 3) & 3;
    uint32_t off = imm ? i->imm : reg_get(x->c, i->reg, sz), bit = 1u << (off & (8 * sz - 1)), v, a = 0;
    int seg = 0;
    if (i->mod == 3) {
        v = reg_get(x->c, i->rm, sz);
    } else {
        a = ea(x, &seg);
        if (!imm)
            a = (a + (uint32_t)((int32_t)sext(off, sz) >> (sz == 2 ? 4 : 5)) * sz) & szmask(x->asz);
        TRY(rd_mem(x, seg, a, sz, &v));
    }
    set_flags(x->c, FL_CF, (v & bit) ? FL_CF : 0);
    if (!op)
        return EMU_OK;
    v = op == 1 ? v | bit : op == 2 ? v & ~bit : v ^ bit;
    if (i->mod != 3)
        return wr_mem(x, seg, a, sz, v);
    reg_set(x->c, i->rm, sz, v);
    return EMU_OK;
}

/* 0F BC BSF, 0F BD BSR: source 0 sets ZF and leaves the destination (the SDM
 * says undefined; CPUs keep it); else ZF = 0 and the index of the lowest /
 * highest set bit. CF OF SF AF PF undefined (unchanged). */
int h_bsf(struct ex *x)
{
    uint32_t v;
    unsigned n;
    TRY(rd_rm(x, x->osz, &v));
    set_flags(x->c, FL_ZF, v ? 0 : FL_ZF);
    if (!v)
        return EMU_OK;
    if (x->i->opcode & 1)
        for (n = 31; !(v >> n & 1); n--)
            ;
    else
        for (n = 0; !(v >> n & 1); n++)
            ;
    reg_set(x->c, x->i->reg, x->osz, n);
    return EMU_OK;
}

/* 0F 90-9F SETcc r/m8 */
int h_setcc(struct ex *x) { return wr_rm(x, 1, (uint32_t)cond(x->c, x->i->opcode & 15)); }
