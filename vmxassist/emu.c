/* emu.c - the real-mode (VM86) x86 instruction decoder and emulator.
 *
 * Freestanding C: no libc, no global mutable state. Everything the emulator
 * touches goes through struct emu_cpu and struct emu_ops (see emu.h).
 *
 * Semantics are those of a 386+ in real-address mode (SDM Vol. 1/2/3):
 *  - default operand and address size 16; 0x66 / 0x67 switch to 32;
 *  - linear address = segment base + offset (the offset wraps at 16 bits with
 *    16-bit addressing); an access whose last byte lies beyond the segment
 *    limit is #GP(0), or #SS(0) when the segment is SS (pushes and pops too);
 *  - the stack is always 16-bit (SP), as SS.B is 0 in real mode / VM86;
 *  - loading a segment register sets selector and base (sel << 4) and keeps
 *    the limit (so "big real mode" limits survive);
 *  - control transfers to an offset beyond the CS limit are #GP(0).
 *
 * Atomicity: emu_step executes on the caller's CPU with an undo log of the
 * registers an instruction can change before it can still fail (the eight
 * GPRs, EIP, EFLAGS); segment registers, control registers, GDTR and IDTR
 * are only ever written after the last step that can fail (every handler
 * keeps to that), so they need no log. On EMU_FAULT (and EMU_UNSUPPORTED)
 * the log is played back and the caller's CPU is unchanged, with
 * one exception that real CPUs share: a REP string instruction that faults
 * after some iterations keeps the register progress of the iterations it
 * completed (ECX/ESI/EDI/flags), with EIP still at the instruction, so that
 * re-executing it does not repeat port I/O. Memory writes done before a fault
 * are not undone.
 *
 * Decoding is table driven: optab[0] (one-byte opcodes) and optab[1] (0F xx)
 * have one entry per opcode with its decode flags (ModRM, operand size,
 * immediate kind, LOCK-ability), a handler and a name; group opcodes (80-83,
 * F6/F7, FE, FF, 0F 01, ...) point to an 8-entry table indexed by ModRM.reg.
 * A zero entry is an undefined opcode (#UD); a defined entry with no handler
 * is a valid instruction that is not emulated (EMU_UNSUPPORTED). Adding an
 * instruction is one table entry plus one handler.
 *
 * The instruction set is the 8086/186/286/386/486 integer set (plus CMOVcc,
 * CMPXCHG8B, hint NOPs and ENDBR) with 16- and 32-bit operand and address
 * sizes. Not emulated (EMU_UNSUPPORTED): x87 (D8-DF, unless CR0.EM or CR0.TS
 * makes it #NM), SSE/MMX, MOV DR, RDPMC, POPCNT, PREFETCHW, XBEGIN/XABORT,
 * GETSEC, INVLPG's register-form neighbours (VMCALL...), RDTSC when the host
 * gives no IA32_TIME_STAMP_COUNTER (see emu.h).
 *
 * Faults come back as EMU_FAULT with the vector for the caller to deliver
 * through the guest's IVT: #DE (0: DIV/IDIV, AAM 0), #BR (5: BOUND), #UD (6),
 * #NM (7: x87 / WAIT with CR0.EM/MP/TS), #SS (12) and #GP (13: limits,
 * SYSENTER/SYSEXIT), and what ops->read/write report. INT n, INT3, INTO and
 * INT1 are delivered by the emulator itself (EMU_OK, CS:IP at the handler).
 *
 * Flags: arithmetic flags follow the SDM; a flag the SDM calls "undefined"
 * after an instruction is left unchanged: AF after AND/OR/XOR/TEST and after
 * shifts, OF after multi-bit shifts and rotates, SF ZF AF PF after MUL/IMUL,
 * all six after DIV/IDIV, OF after DAA/DAS, OF SF ZF PF after AAA/AAS, OF AF
 * CF after AAM/AAD, OF SF AF PF after BT/BTS/BTR/BTC, CF OF SF AF PF after
 * BSF/BSR, AF and (count > 1) OF after SHLD/SHRD. (CF after SHL/SHR by the
 * operand width or more, also undefined, is the last bit shifted out: 0 past
 * the width.) Undefined results: BSF/BSR of 0 keep the destination and BSWAP
 * r16 clears it, as Intel CPUs do; SHLD/SHRD r16 by 17-31 shift the
 * destination's own bits in after the source's (the "A:B:A" model of Intel
 * CPUs that QEMU also uses).
 *
 * emu_insn_name() returns one of these stable strings (statistics keys):
 *   privileged / VM86-faulting:
 *     cli sti pushf popf int int3 into iret in out ins outs hlt
 *     mov_cr mov_dr lmsw smsw lgdt lidt sgdt sidt invlpg clts
 *     rdmsr wrmsr rdtsc rdpmc cpuid invd wbinvd
 *     mov_sreg push_sreg pop_sreg jmp_far call_far retf
 *   general:
 *     add or adc sbb and sub xor cmp inc dec test not neg mul imul div idiv
 *     mov lea xchg nop endbr32 endbr64 push pop pusha popa
 *     movzx movsx jmp jcc call ret loop loope loopne jcxz
 *     movs stos lods cmps scas clc stc cmc cld std cbw cwd
 *     daa das aaa aas aam aad salc xlat bound arpl enter leave les lds
 *     lss lfs lgs sahf lahf wait fpu int1 rol ror rcl rcr shl sal shr sar
 *     cmov setcc bt bts btr btc bsf bsr shld shrd cmpxchg xadd bswap popcnt
 *     grp9 grp15 sldt str lldt ltr verr verw lar lsl syscall sysret
 *     sysenter sysexit getsec rsm ud0 ud1 ud2 prefetch sse xabort
 *   and "unknown" for anything else (undefined opcodes, the register forms
 *   of 0F 01 /0-/3 /5 /7 such as VMCALL or XGETBV).
 */
#include "emu.h"

/* ---- EFLAGS, CR0, vectors ---- */
#define FL_CF 0x00000001u
#define FL_PF 0x00000004u
#define FL_AF 0x00000010u
#define FL_ZF 0x00000040u
#define FL_SF 0x00000080u
#define FL_TF 0x00000100u
#define FL_IF 0x00000200u
#define FL_DF 0x00000400u
#define FL_OF 0x00000800u
#define FL_AC 0x00040000u
#define FL_ARITH (FL_CF | FL_PF | FL_AF | FL_ZF | FL_SF | FL_OF)
/* Writable by a real-mode POPF (bits 0-15 without the reserved 1, 3, 5, 15). */
#define FL_POPF16 0x00007fd5u
/* Writable by a real-mode POPFD: the above plus AC and ID (RF, VM, VIF, VIP
 * and the reserved bits are unaffected). */
#define FL_POPF32 0x00247fd5u
/* IRETD in real mode: EFLAGS = (popped & 257FD5H) | (EFLAGS & 1A0000H). */
#define FL_IRET32 0x00257fd5u
#define FL_KEEP_IRET32 0x001a0000u
/* PUSHFD pushes EFLAGS & 00FCFFFFH (VM and RF read as 0 in the image). */
#define FL_PUSHF32 0x00fcffffu

#define CR0_PE 0x00000001u
#define CR0_MP 0x00000002u
#define CR0_EM 0x00000004u
#define CR0_TS 0x00000008u
#define CR0_NW 0x20000000u
#define CR0_CD 0x40000000u
#define CR0_PG 0x80000000u

enum { V_DE = 0, V_DB = 1, V_BR = 5, V_UD = 6, V_NM = 7, V_SS = 12, V_GP = 13 };

/* ---- decode tables ---- */
enum {
    D_VALID = 1 << 0,  /* a defined opcode (an all-zero entry is undefined: #UD) */
    D_MODRM = 1 << 1,  /* has a ModRM byte */
    D_MODREG = 1 << 2, /* ModRM whose mod bits are ignored: always a register (MOV CR/DR) */
    D_BYTE = 1 << 3,   /* 8-bit operand size */
    D_MEM = 1 << 4,    /* memory operand only: the register form (mod = 3) is #UD */
    D_REGUNS = 1 << 5, /* the register form is another instruction, not emulated */
    D_LOCK = 1 << 6,   /* LOCK allowed (with a memory operand) */
    D_ESC = 1 << 7,    /* three-byte opcode: 0F 38 xx / 0F 3A xx */
};

enum {
    I_NONE,
    I_B,     /* imm8, zero-extended */
    I_SB,    /* imm8, sign-extended */
    I_W,     /* imm16 */
    I_Z,     /* imm16 or imm32 by operand size, zero-extended */
    I_JB,    /* rel8, sign-extended */
    I_JZ,    /* rel16 or rel32 by operand size, sign-extended */
    I_WB,    /* imm16, imm8 (ENTER): imm, imm2 */
    I_FAR,   /* ptr16:16 or ptr16:32: offset in imm, selector in imm2 */
    I_MOFFS, /* moffs16 / moffs32 by address size: stored in disp */
    I_BZ,    /* (group entries) I_B for byte operations, I_Z otherwise */
};

struct ex;
typedef int (*emu_fn)(struct ex *x);

struct op {
    emu_fn fn;        /* NULL: valid but not emulated */
    const char *name; /* NULL: "unknown" */
    uint16_t f;       /* D_* */
    uint8_t imm;      /* I_* */
    uint8_t grp;      /* index in groups[] (0: none) */
};

enum { G_NONE, G_ALU, G_SHIFT, G_3, G_FE, G_FF, G_8F, G_C6, G_8C, G_8E, G_0F00, G_0F01, G_0FBA, G_COUNT };

/* ---- execution context of one instruction ---- */
struct ex {
    struct emu_cpu *c;         /* the CPU being changed (the caller's: see undo) */
    const struct emu_ops *ops;
    const struct emu_insn *i;  /* NULL outside emu_step */
    unsigned osz;              /* operand size in bytes: 1, 2 or 4 */
    unsigned asz;              /* address size in bytes: 2 or 4 */
    int vec;                   /* the exception when a helper returns EMU_FAULT */
    uint8_t keep_regs;         /* on EMU_FAULT, keep the registers anyway (REP progress) */
    uint8_t halt;              /* call ops->halt after the instruction completed */
    uint8_t logged;            /* undo[] holds the registers from before the instruction */
    uint32_t undo[10];         /* GPRs, EIP, EFLAGS before the instruction (emu_step) */
};

/* Small helpers on the hot path of every instruction: always inlined (the
 * in-guest build is -Os, which would otherwise call them). */
#define HOT static inline __attribute__((always_inline))

#define TRY(e)                                                                                                          \
    do {                                                                                                                \
        int try_r_ = (e);                                                                                               \
        if (try_r_ != EMU_OK)                                                                                           \
            return try_r_;                                                                                              \
    } while (0)

static int fail(struct ex *x, int vec)
{
    x->vec = vec;
    return EMU_FAULT;
}

/* A non-zero return from ops->read/write: the exception it names when it is
 * one a memory access can raise (#SS, #GP, #PF, #AC), else #GP. */
static int cb_vector(int rc)
{
    return rc == V_SS || rc == V_GP || rc == 14 || rc == 17 ? rc : V_GP;
}

HOT uint32_t szmask(unsigned sz)
{
    return sz == 4 ? 0xffffffffu : sz == 2 ? 0xffffu : 0xffu;
}

HOT uint32_t sext(uint32_t v, unsigned sz)
{
    return sz == 1 ? (uint32_t)(int32_t)(int8_t)v : sz == 2 ? (uint32_t)(int32_t)(int16_t)v : v;
}

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "emu.c passes little-endian values to ops->read/write as they are in memory (x86 hosts only)"
#endif

/* ---- registers ---- */

/* sz 1: r = AL CL DL BL AH CH DH BH; sz 2: the low 16 bits; sz 4: all. */
HOT uint32_t reg_get(const struct emu_cpu *c, unsigned r, unsigned sz)
{
    if (sz == 1)
        return r < 4 ? c->gpr[r] & 0xff : (c->gpr[r - 4] >> 8) & 0xff;
    return c->gpr[r] & szmask(sz);
}

HOT void reg_set(struct emu_cpu *c, unsigned r, unsigned sz, uint32_t v)
{
    if (sz == 1) {
        if (r < 4)
            c->gpr[r] = (c->gpr[r] & ~0xffu) | (v & 0xff);
        else
            c->gpr[r - 4] = (c->gpr[r - 4] & ~0xff00u) | ((v & 0xff) << 8);
    } else if (sz == 2) {
        c->gpr[r] = (c->gpr[r] & 0xffff0000u) | (v & 0xffff);
    } else {
        c->gpr[r] = v;
    }
}

static void load_seg(struct emu_cpu *c, int s, uint16_t sel)
{
    c->seg[s].sel = sel;
    c->seg[s].base = (uint32_t)sel << 4;
}

/* The undo log: what an instruction may change before a step that can fail. */
HOT void regs_save(const struct emu_cpu *c, uint32_t *u)
{
    /* unrolled: -Os would keep a loop */
    u[0] = c->gpr[0];
    u[1] = c->gpr[1];
    u[2] = c->gpr[2];
    u[3] = c->gpr[3];
    u[4] = c->gpr[4];
    u[5] = c->gpr[5];
    u[6] = c->gpr[6];
    u[7] = c->gpr[7];
    u[8] = c->eip;
    u[9] = c->eflags;
}

static void regs_restore(struct emu_cpu *c, const uint32_t *u)
{
    for (unsigned k = 0; k < 8; k++)
        c->gpr[k] = u[k];
    c->eip = u[8];
    c->eflags = u[9];
}

/* Exchange the CPU's registers with the undo log (twice: back as they were). */
static void regs_swap(struct emu_cpu *c, uint32_t *u)
{
    for (unsigned k = 0; k < 8; k++) {
        uint32_t t = c->gpr[k];
        c->gpr[k] = u[k];
        u[k] = t;
    }
    uint32_t t = c->eip;
    c->eip = u[8];
    u[8] = t;
    t = c->eflags;
    c->eflags = u[9];
    u[9] = t;
}

/* ---- memory ---- */

/* seg:off .. seg:off+len-1 must lie within the limit. */
HOT int seg_lin(struct ex *x, int seg, uint32_t off, unsigned len, uint32_t *lin)
{
    const struct emu_seg *s = &x->c->seg[seg];
    if (off > s->limit || s->limit - off < len - 1)
        return fail(x, seg == EMU_SS ? V_SS : V_GP);
    *lin = s->base + off;
    return EMU_OK;
}

/* len 1, 2 or 4: the bytes go straight to / from a uint32_t (little-endian). */
HOT int lin_read(struct ex *x, uint32_t lin, unsigned len, uint32_t *v)
{
    uint32_t b = 0;
    int rc;
    if (!x->ops->read)
        return fail(x, V_GP);
    rc = x->ops->read(x->ops->ctx, lin, &b, len);
    if (rc)
        return fail(x, cb_vector(rc));
    *v = b;
    return EMU_OK;
}

HOT int lin_write(struct ex *x, uint32_t lin, unsigned len, uint32_t v)
{
    int rc;
    if (!x->ops->write)
        return fail(x, V_GP);
    rc = x->ops->write(x->ops->ctx, lin, &v, len);
    return rc ? fail(x, cb_vector(rc)) : EMU_OK;
}

static int rd_mem(struct ex *x, int seg, uint32_t off, unsigned len, uint32_t *v)
{
    uint32_t lin;
    TRY(seg_lin(x, seg, off, len, &lin));
    return lin_read(x, lin, len, v);
}

static int wr_mem(struct ex *x, int seg, uint32_t off, unsigned len, uint32_t v)
{
    uint32_t lin;
    TRY(seg_lin(x, seg, off, len, &lin));
    return lin_write(x, lin, len, v);
}

/* ---- ModRM operands ---- */

/* Effective address (offset) of the ModRM memory operand and its segment:
 * the override, else DS, or SS for BP/EBP/ESP-based forms. */
static uint32_t ea(const struct ex *x, int *seg)
{
    const struct emu_insn *i = x->i;
    const uint32_t *g = x->c->gpr;
    int dseg = EMU_DS;
    uint32_t off;
    if (!i->addrsize32) {
        switch (i->rm) {
        case 0: off = g[EMU_EBX] + g[EMU_ESI]; break;
        case 1: off = g[EMU_EBX] + g[EMU_EDI]; break;
        case 2: off = g[EMU_EBP] + g[EMU_ESI]; dseg = EMU_SS; break;
        case 3: off = g[EMU_EBP] + g[EMU_EDI]; dseg = EMU_SS; break;
        case 4: off = g[EMU_ESI]; break;
        case 5: off = g[EMU_EDI]; break;
        case 6:
            if (i->mod == 0) {
                off = 0; /* [disp16] */
            } else {
                off = g[EMU_EBP];
                dseg = EMU_SS;
            }
            break;
        default: off = g[EMU_EBX]; break;
        }
        off = (off + (uint32_t)i->disp) & 0xffff;
    } else {
        if (i->rm == 4) {
            unsigned base = i->sib & 7, index = (i->sib >> 3) & 7, scale = i->sib >> 6;
            off = 0;
            if (!(base == EMU_EBP && i->mod == 0)) { /* base 5 with mod 0: [disp32 + index] */
                off = g[base];
                if (base == EMU_ESP || base == EMU_EBP)
                    dseg = EMU_SS;
            }
            if (index != 4) /* index 4: none */
                off += g[index] << scale;
        } else if (i->rm == 5 && i->mod == 0) {
            off = 0; /* [disp32] */
        } else {
            off = g[i->rm];
            if (i->rm == EMU_EBP)
                dseg = EMU_SS;
        }
        off += (uint32_t)i->disp;
    }
    *seg = i->seg >= 0 ? i->seg : dseg;
    return off;
}

static int rd_rm_mem(struct ex *x, unsigned sz, uint32_t *v)
{
    int seg;
    uint32_t off = ea(x, &seg);
    return rd_mem(x, seg, off, sz, v);
}

static int wr_rm_mem(struct ex *x, unsigned sz, uint32_t v)
{
    int seg;
    uint32_t off = ea(x, &seg);
    return wr_mem(x, seg, off, sz, v);
}

/* The ModRM operand: the register form inline, memory out of line. */
HOT int rd_rm(struct ex *x, unsigned sz, uint32_t *v)
{
    if (x->i->mod == 3) {
        *v = reg_get(x->c, x->i->rm, sz);
        return EMU_OK;
    }
    return rd_rm_mem(x, sz, v);
}

HOT int wr_rm(struct ex *x, unsigned sz, uint32_t v)
{
    if (x->i->mod == 3) {
        reg_set(x->c, x->i->rm, sz, v);
        return EMU_OK;
    }
    return wr_rm_mem(x, sz, v);
}

/* ---- stack (always SS:SP: real-mode stacks are 16-bit) ---- */

static int push(struct ex *x, unsigned sz, uint32_t v)
{
    uint32_t sp = (x->c->gpr[EMU_ESP] - sz) & 0xffff;
    TRY(wr_mem(x, EMU_SS, sp, sz, v));
    x->c->gpr[EMU_ESP] = (x->c->gpr[EMU_ESP] & 0xffff0000u) | sp;
    return EMU_OK;
}

static int pop(struct ex *x, unsigned sz, uint32_t *v)
{
    uint32_t sp = x->c->gpr[EMU_ESP] & 0xffff;
    TRY(rd_mem(x, EMU_SS, sp, sz, v));
    x->c->gpr[EMU_ESP] = (x->c->gpr[EMU_ESP] & 0xffff0000u) | ((sp + sz) & 0xffff);
    return EMU_OK;
}

/* ---- flags ---- */

HOT uint32_t parity(uint32_t v) /* PF: set when the low byte has an even number of 1s */
{
    v ^= v >> 4;
    /* bit n of 9669h: nibble n has an even number of 1s */
    return (0x9669u >> (v & 0xf)) << 2 & FL_PF;
}

HOT void set_flags(struct emu_cpu *c, uint32_t which, uint32_t values)
{
    c->eflags = (c->eflags & ~which) | (values & which);
}

HOT uint32_t szp(uint32_t res, unsigned sz)
{
    return (res == 0 ? FL_ZF : 0) | ((res >> (8 * sz - 1)) & 1) << 7 | parity(res);
}

enum { ALU_ADD, ALU_OR, ALU_ADC, ALU_SBB, ALU_AND, ALU_SUB, ALU_XOR, ALU_CMP };

/* a OP b at size sz; sets the flags, returns the result. */
static uint32_t alu(struct emu_cpu *c, unsigned op, uint32_t a, uint32_t b, unsigned sz)
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
    set_flags(c, which,
              ((co >> top) & 1) | ((ov >> top) & 1) << 11 | ((a ^ b ^ res) & FL_AF) | szp(res, sz));
    return res;
}

/* INC/DEC: like ADD/SUB 1, but CF is unaffected. */
static uint32_t incdec(struct emu_cpu *c, int dec, uint32_t a, unsigned sz)
{
    uint32_t cf = c->eflags & FL_CF, res = alu(c, dec ? ALU_SUB : ALU_ADD, a, 1, sz);
    c->eflags = (c->eflags & ~FL_CF) | cf;
    return res;
}

static int cond(const struct emu_cpu *c, unsigned cc)
{
    uint32_t f = c->eflags;
    int of = !!(f & FL_OF), cf = !!(f & FL_CF), zf = !!(f & FL_ZF), sf = !!(f & FL_SF), pf = !!(f & FL_PF), r;
    switch (cc >> 1) {
    case 0: r = of; break;             /* O */
    case 1: r = cf; break;             /* B */
    case 2: r = zf; break;             /* Z */
    case 3: r = cf || zf; break;       /* BE */
    case 4: r = sf; break;             /* S */
    case 5: r = pf; break;             /* P */
    case 6: r = sf != of; break;       /* L */
    default: r = zf || sf != of; break; /* LE */
    }
    return (cc & 1) ? !r : r;
}

/* ---- control transfer ---- */

static uint32_t ipmask(const struct ex *x)
{
    return x->i->opsize32 ? 0xffffffffu : 0xffffu;
}

static int jump(struct ex *x, uint32_t target)
{
    if (target > x->c->seg[EMU_CS].limit)
        return fail(x, V_GP);
    x->c->eip = target;
    return EMU_OK;
}

static int far_jump(struct ex *x, uint16_t sel, uint32_t off)
{
    TRY(jump(x, off));
    load_seg(x->c, EMU_CS, sel);
    return EMU_OK;
}

/* The real-mode interrupt: IVT entry at linear vector*4; FLAGS, CS, IP pushed
 * on SS:SP (all three slots checked first: #SS if the stack cannot take them);
 * IF, TF, AC cleared. The CPU is changed only when everything succeeded. */
static int deliver(struct ex *x, unsigned vector)
{
    struct emu_cpu *c = x->c;
    uint32_t ivt, sp = c->gpr[EMU_ESP] & 0xffff, lin[3];
    const uint32_t val[3] = { c->eflags & 0xffff, c->seg[EMU_CS].sel, c->eip & 0xffff };
    TRY(lin_read(x, (vector & 0xff) * 4, 4, &ivt));
    for (unsigned k = 0; k < 3; k++)
        TRY(seg_lin(x, EMU_SS, (sp - 2 * (k + 1)) & 0xffff, 2, &lin[k]));
    for (unsigned k = 0; k < 3; k++)
        TRY(lin_write(x, lin[k], 2, val[k]));
    c->gpr[EMU_ESP] = (c->gpr[EMU_ESP] & 0xffff0000u) | ((sp - 6) & 0xffff);
    c->eflags &= ~(FL_IF | FL_TF | FL_AC);
    load_seg(c, EMU_CS, (uint16_t)(ivt >> 16));
    c->eip = ivt & 0xffff;
    return EMU_OK;
}

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
        return fail(x, V_GP);
    if (x->ops->write_cr) { /* it sees the caller's CPU as it was before the instruction */
        int veto;
        if (x->logged)
            regs_swap(c, x->undo);
        veto = x->ops->write_cr(x->ops->ctx, c, cr, v);
        if (x->logged)
            regs_swap(c, x->undo);
        if (veto)
            return fail(x, V_GP);
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

static uint32_t port_in(struct ex *x, uint16_t port, unsigned sz)
{
    return x->ops->in ? x->ops->in(x->ops->ctx, port, sz) & szmask(sz) : szmask(sz);
}

static void port_out(struct ex *x, uint16_t port, unsigned sz, uint32_t v)
{
    if (x->ops->out)
        x->ops->out(x->ops->ctx, port, sz, v & szmask(sz));
}

/* ======================= handlers ======================= */

static int h_ud(struct ex *x) /* valid elsewhere, #UD in real mode (or by definition: UD0/1/2) */
{
    return fail(x, V_UD);
}

static int h_gp(struct ex *x) /* #GP(0) in real mode (SYSENTER, SYSEXIT) */
{
    return fail(x, V_GP);
}

static int h_nop(struct ex *x)
{
    (void)x;
    return EMU_OK;
}

/* C6/C7 /7: XABORT / XBEGIN exist only as C6 F8 / C7 F8. */
static int h_xabort(struct ex *x)
{
    return x->i->modrm == 0xf8 ? EMU_UNSUPPORTED : fail(x, V_UD);
}

/* 00-3D: ALU Eb,Gb / Ev,Gv / Gb,Eb / Gv,Ev / AL,Ib / eAX,Iz */
static int h_alu(struct ex *x)
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
static int h_grp1(struct ex *x)
{
    uint32_t a, r;
    TRY(rd_rm(x, x->osz, &a));
    r = alu(x->c, x->i->reg, a, x->i->imm, x->osz);
    return x->i->reg == ALU_CMP ? EMU_OK : wr_rm(x, x->osz, r);
}

static int h_incdec_r(struct ex *x) /* 40-4F */
{
    unsigned r = x->i->opcode & 7;
    reg_set(x->c, r, x->osz, incdec(x->c, x->i->opcode & 8, reg_get(x->c, r, x->osz), x->osz));
    return EMU_OK;
}

static int h_incdec_rm(struct ex *x) /* FE/FF /0 /1 */
{
    uint32_t a;
    TRY(rd_rm(x, x->osz, &a));
    return wr_rm(x, x->osz, incdec(x->c, x->i->reg == 1, a, x->osz));
}

static int h_test(struct ex *x) /* 84, 85 */
{
    uint32_t a;
    TRY(rd_rm(x, x->osz, &a));
    alu(x->c, ALU_AND, a, reg_get(x->c, x->i->reg, x->osz), x->osz);
    return EMU_OK;
}

static int h_test_acc(struct ex *x) /* A8, A9 */
{
    alu(x->c, ALU_AND, reg_get(x->c, EMU_EAX, x->osz), x->i->imm, x->osz);
    return EMU_OK;
}

static int h_test_imm(struct ex *x) /* F6/F7 /0 (and its alias /1) */
{
    uint32_t a;
    TRY(rd_rm(x, x->osz, &a));
    alu(x->c, ALU_AND, a, x->i->imm, x->osz);
    return EMU_OK;
}

static int h_not(struct ex *x) /* F6/F7 /2: no flags */
{
    uint32_t a;
    TRY(rd_rm(x, x->osz, &a));
    return wr_rm(x, x->osz, ~a);
}

static int h_neg(struct ex *x) /* F6/F7 /3: 0 - src; CF = (src != 0) */
{
    uint32_t a;
    TRY(rd_rm(x, x->osz, &a));
    return wr_rm(x, x->osz, alu(x->c, ALU_SUB, 0, a, x->osz));
}

/* ---- data movement ---- */

static int h_mov(struct ex *x) /* 88-8B */
{
    const struct emu_insn *i = x->i;
    uint32_t v;
    if (!(i->opcode & 2))
        return wr_rm(x, x->osz, reg_get(x->c, i->reg, x->osz));
    TRY(rd_rm(x, x->osz, &v));
    reg_set(x->c, i->reg, x->osz, v);
    return EMU_OK;
}

static int h_mov_moffs(struct ex *x) /* A0-A3 */
{
    int seg = x->i->seg >= 0 ? x->i->seg : EMU_DS;
    uint32_t off = (uint32_t)x->i->disp, v;
    if (x->i->opcode & 2)
        return wr_mem(x, seg, off, x->osz, reg_get(x->c, EMU_EAX, x->osz));
    TRY(rd_mem(x, seg, off, x->osz, &v));
    reg_set(x->c, EMU_EAX, x->osz, v);
    return EMU_OK;
}

static int h_mov_r_imm(struct ex *x) /* B0-BF */
{
    reg_set(x->c, x->i->opcode & 7, x->osz, x->i->imm);
    return EMU_OK;
}

static int h_mov_rm_imm(struct ex *x) /* C6/C7 /0 */
{
    return wr_rm(x, x->osz, x->i->imm);
}

static int h_lea(struct ex *x) /* 8D: the offset, truncated to the operand size */
{
    int seg;
    reg_set(x->c, x->i->reg, x->osz, ea(x, &seg));
    return EMU_OK;
}

static int h_xchg(struct ex *x) /* 86, 87 */
{
    uint32_t a;
    TRY(rd_rm(x, x->osz, &a));
    TRY(wr_rm(x, x->osz, reg_get(x->c, x->i->reg, x->osz)));
    reg_set(x->c, x->i->reg, x->osz, a);
    return EMU_OK;
}

static int h_xchg_ax(struct ex *x) /* 91-97 */
{
    unsigned r = x->i->opcode & 7;
    uint32_t a = reg_get(x->c, EMU_EAX, x->osz);
    reg_set(x->c, EMU_EAX, x->osz, reg_get(x->c, r, x->osz));
    reg_set(x->c, r, x->osz, a);
    return EMU_OK;
}

static int h_movx(struct ex *x) /* 0F B6/B7 MOVZX, 0F BE/BF MOVSX */
{
    unsigned ssz = (x->i->opcode & 1) ? 2 : 1;
    uint32_t v;
    TRY(rd_rm(x, ssz, &v));
    if (x->i->opcode & 8)
        v = sext(v, ssz);
    reg_set(x->c, x->i->reg, x->osz, v);
    return EMU_OK;
}

static int h_cbw(struct ex *x) /* 98: CBW / CWDE */
{
    unsigned half = x->osz / 2;
    reg_set(x->c, EMU_EAX, x->osz, sext(reg_get(x->c, EMU_EAX, half), half));
    return EMU_OK;
}

static int h_cwd(struct ex *x) /* 99: CWD / CDQ */
{
    uint32_t sign = reg_get(x->c, EMU_EAX, x->osz) >> (8 * x->osz - 1);
    reg_set(x->c, EMU_EDX, x->osz, sign ? 0xffffffffu : 0);
    return EMU_OK;
}

/* ---- stack ---- */

static int h_push_r(struct ex *x) /* 50-57 (PUSH SP pushes the value before the push) */
{
    return push(x, x->osz, reg_get(x->c, x->i->opcode & 7, x->osz));
}

static int h_pop_r(struct ex *x) /* 58-5F (POP SP: SP = the popped value) */
{
    uint32_t v;
    TRY(pop(x, x->osz, &v));
    reg_set(x->c, x->i->opcode & 7, x->osz, v);
    return EMU_OK;
}

static int h_push_imm(struct ex *x) /* 68, 6A */
{
    return push(x, x->osz, x->i->imm);
}

static int h_push_rm(struct ex *x) /* FF /6 */
{
    uint32_t v;
    TRY(rd_rm(x, x->osz, &v));
    return push(x, x->osz, v);
}

static int h_pop_rm(struct ex *x) /* 8F /0: the address is computed after SP was incremented */
{
    uint32_t v;
    TRY(pop(x, x->osz, &v));
    return wr_rm(x, x->osz, v);
}

static int h_pusha(struct ex *x) /* 60 */
{
    uint32_t sp = reg_get(x->c, EMU_ESP, x->osz);
    for (unsigned r = EMU_EAX; r <= EMU_EDI; r++)
        TRY(push(x, x->osz, r == EMU_ESP ? sp : reg_get(x->c, r, x->osz)));
    return EMU_OK;
}

static int h_popa(struct ex *x) /* 61: the stored SP is skipped */
{
    uint32_t v;
    for (int r = EMU_EDI; r >= EMU_EAX; r--) {
        TRY(pop(x, x->osz, &v));
        if (r != EMU_ESP)
            reg_set(x->c, (unsigned)r, x->osz, v);
    }
    return EMU_OK;
}

static int h_pushf(struct ex *x) /* 9C */
{
    return push(x, x->osz, x->osz == 4 ? x->c->eflags & FL_PUSHF32 : x->c->eflags & 0xffff);
}

static int h_popf(struct ex *x) /* 9D: real mode = CPL 0: IOPL, IF, NT... all writable */
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

static int h_push_sreg(struct ex *x)
{
    return push(x, x->osz, x->c->seg[sreg_of(x->i)].sel);
}

static int h_pop_sreg(struct ex *x) /* 07 17 1F 0F A1 0F A9 */
{
    uint32_t v;
    TRY(pop(x, x->osz, &v));
    load_seg(x->c, sreg_of(x->i), (uint16_t)v);
    return EMU_OK;
}

static int h_mov_from_sreg(struct ex *x) /* 8C: memory 16 bits; register: operand size, zero-extended */
{
    uint32_t v = x->c->seg[x->i->reg].sel;
    return wr_rm(x, x->i->mod == 3 ? x->osz : 2, v);
}

static int h_mov_to_sreg(struct ex *x) /* 8E (CS is #UD at decode) */
{
    uint32_t v;
    TRY(rd_rm(x, 2, &v));
    load_seg(x->c, x->i->reg, (uint16_t)v);
    return EMU_OK;
}

/* ---- jumps, calls ---- */

static int h_jmp_rel(struct ex *x) /* EB, E9 */
{
    return jump(x, (x->c->eip + x->i->imm) & ipmask(x));
}

static int h_jcc(struct ex *x) /* 70-7F, 0F 80-8F */
{
    return cond(x->c, x->i->opcode & 15) ? h_jmp_rel(x) : EMU_OK;
}

static int h_loop(struct ex *x) /* E0 LOOPNE, E1 LOOPE, E2 LOOP, E3 JCXZ; the count is CX or ECX by address size */
{
    uint32_t am = szmask(x->asz), cnt = x->c->gpr[EMU_ECX] & am;
    int taken;
    if (x->i->opcode == 0xe3) {
        taken = cnt == 0;
    } else {
        cnt = (cnt - 1) & am;
        x->c->gpr[EMU_ECX] = (x->c->gpr[EMU_ECX] & ~am) | cnt;
        taken = cnt != 0;
        if (x->i->opcode == 0xe0)
            taken = taken && !(x->c->eflags & FL_ZF);
        else if (x->i->opcode == 0xe1)
            taken = taken && (x->c->eflags & FL_ZF);
    }
    return taken ? h_jmp_rel(x) : EMU_OK;
}

static int h_jmp_rm(struct ex *x) /* FF /4 */
{
    uint32_t v;
    TRY(rd_rm(x, x->osz, &v));
    return jump(x, v);
}

static int call_near(struct ex *x, uint32_t target)
{
    uint32_t ret = x->c->eip;
    TRY(jump(x, target & ipmask(x)));
    return push(x, x->osz, ret);
}

static int h_call_rel(struct ex *x) /* E8 */
{
    return call_near(x, x->c->eip + x->i->imm);
}

static int h_call_rm(struct ex *x) /* FF /2 */
{
    uint32_t v;
    TRY(rd_rm(x, x->osz, &v));
    return call_near(x, v);
}

static int h_ret(struct ex *x) /* C3, C2 imm16 */
{
    uint32_t ip;
    TRY(pop(x, x->osz, &ip));
    if (x->i->opcode == 0xc2)
        x->c->gpr[EMU_ESP] = (x->c->gpr[EMU_ESP] & 0xffff0000u) | ((x->c->gpr[EMU_ESP] + x->i->imm) & 0xffff);
    return jump(x, ip);
}

static int h_jmp_far(struct ex *x) /* EA ptr16:16/32 */
{
    return far_jump(x, (uint16_t)x->i->imm2, x->i->imm);
}

static int call_far(struct ex *x, uint16_t sel, uint32_t off)
{
    uint16_t cs = x->c->seg[EMU_CS].sel;
    uint32_t ret = x->c->eip;
    TRY(push(x, x->osz, cs));
    TRY(push(x, x->osz, ret));
    return far_jump(x, sel, off);
}

static int h_call_far(struct ex *x) /* 9A ptr16:16/32 */
{
    return call_far(x, (uint16_t)x->i->imm2, x->i->imm);
}

/* m16:16 / m16:32: offset first, then the selector. */
static int read_farptr(struct ex *x, uint16_t *sel, uint32_t *off)
{
    int seg;
    uint32_t o = ea(x, &seg), s;
    TRY(rd_mem(x, seg, o, x->osz, off));
    TRY(rd_mem(x, seg, o + x->osz, 2, &s));
    *sel = (uint16_t)s;
    return EMU_OK;
}

static int h_jmp_far_m(struct ex *x) /* FF /5 */
{
    uint16_t sel;
    uint32_t off;
    TRY(read_farptr(x, &sel, &off));
    return far_jump(x, sel, off);
}

static int h_call_far_m(struct ex *x) /* FF /3 */
{
    uint16_t sel;
    uint32_t off;
    TRY(read_farptr(x, &sel, &off));
    return call_far(x, sel, off);
}

static int h_retf(struct ex *x) /* CB, CA imm16 */
{
    uint32_t ip, cs;
    TRY(pop(x, x->osz, &ip));
    TRY(pop(x, x->osz, &cs));
    if (x->i->opcode == 0xca)
        x->c->gpr[EMU_ESP] = (x->c->gpr[EMU_ESP] & 0xffff0000u) | ((x->c->gpr[EMU_ESP] + x->i->imm) & 0xffff);
    return far_jump(x, (uint16_t)cs, ip);
}

/* ---- interrupts ---- */

static int h_int(struct ex *x) /* CD ib */
{
    return deliver(x, x->i->imm & 0xff);
}

static int h_int3(struct ex *x) /* CC */
{
    return deliver(x, 3);
}

static int h_into(struct ex *x) /* CE: INT 4 when OF = 1 */
{
    return (x->c->eflags & FL_OF) ? deliver(x, 4) : EMU_OK;
}

static int h_int1(struct ex *x) /* F1 INT1 (ICEBP): the debug exception, a trap, through the IVT */
{
    return deliver(x, V_DB);
}

static int h_iret(struct ex *x) /* CF: pop IP, CS, FLAGS */
{
    struct emu_cpu *c = x->c;
    uint32_t ip, cs, fl;
    TRY(pop(x, x->osz, &ip));
    TRY(pop(x, x->osz, &cs));
    TRY(pop(x, x->osz, &fl));
    TRY(far_jump(x, (uint16_t)cs, ip));
    if (x->osz == 4)
        c->eflags = (fl & FL_IRET32) | (c->eflags & FL_KEEP_IRET32) | 2;
    else
        c->eflags = (c->eflags & ~FL_POPF16) | (fl & FL_POPF16) | 2;
    return EMU_OK;
}

/* ---- I/O ---- */

static int h_in(struct ex *x) /* E4 E5 (imm8 port), EC ED (DX) */
{
    uint16_t port = (x->i->opcode & 8) ? (uint16_t)x->c->gpr[EMU_EDX] : (uint16_t)x->i->imm;
    reg_set(x->c, EMU_EAX, x->osz, port_in(x, port, x->osz));
    return EMU_OK;
}

static int h_out(struct ex *x) /* E6 E7 (imm8 port), EE EF (DX) */
{
    uint16_t port = (x->i->opcode & 8) ? (uint16_t)x->c->gpr[EMU_EDX] : (uint16_t)x->i->imm;
    port_out(x, port, x->osz, reg_get(x->c, EMU_EAX, x->osz));
    return EMU_OK;
}

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

static int h_string(struct ex *x)
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

/* ---- flags, misc ---- */

static int h_flag(struct ex *x) /* F5 CMC, F8 CLC, F9 STC, FA CLI, FB STI, FC CLD, FD STD */
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

static int h_hlt(struct ex *x) /* F4: EIP moves past it, then ops->halt */
{
    x->halt = 1;
    return EMU_OK;
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
static int h_shift(struct ex *x)
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
static int h_shxd(struct ex *x)
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
static int h_muldiv(struct ex *x)
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
        return fail(x, V_DE);
    lim = sgn ? (1u << (bits - 1)) - !nq : m;
    if (q > lim)
        return fail(x, V_DE);
    acc_pair(c, sz, nq ? 0u - q : q, nd ? 0u - r : r);
    return EMU_OK;
}

/* 0F AF IMUL r, r/m; 69 IMUL r, r/m, imm16/32; 6B IMUL r, r/m, imm8:
 * the truncated product; CF = OF = it was truncated; SF ZF AF PF undefined. */
static int h_imul3(struct ex *x)
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
static int h_bcd(struct ex *x)
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
            return fail(x, V_DE);
        ax = (al / imm) << 8 | (al % imm);
        break;
    case 0xd5: /* AAD imm8 */
        ax = (al + ah * imm) & 0xff;
        break;
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
static int h_bt(struct ex *x)
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
static int h_bsf(struct ex *x)
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
static int h_setcc(struct ex *x)
{
    return wr_rm(x, 1, (uint32_t)cond(x->c, x->i->opcode & 15));
}

/* 0F 40-4F CMOVcc r, r/m (P6): the source is read (and can fault) either way. */
static int h_cmov(struct ex *x)
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
static int h_xadd(struct ex *x)
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
static int h_cmpxchg(struct ex *x)
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
static int h_grp9(struct ex *x)
{
    struct emu_cpu *c = x->c;
    uint32_t off, lo, hi;
    int seg, eq;
    if (x->i->reg != 1)
        return EMU_UNSUPPORTED;
    if (x->i->mod == 3)
        return fail(x, V_UD);
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
static int h_bswap(struct ex *x)
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
static int h_xlat(struct ex *x)
{
    uint32_t v;
    TRY(rd_mem(x, x->i->seg >= 0 ? x->i->seg : EMU_DS,
               (x->c->gpr[EMU_EBX] + (x->c->gpr[EMU_EAX] & 0xff)) & szmask(x->asz), 1, &v));
    reg_set(x->c, EMU_EAX, 1, v);
    return EMU_OK;
}

/* 9E SAHF: SF ZF AF PF CF = AH bits 7 6 4 2 0; 9F LAHF: AH = those flags, bit 1 set. */
static int h_ahf(struct ex *x)
{
    struct emu_cpu *c = x->c;
    if (x->i->opcode & 1)
        reg_set(c, 4, 1, (c->eflags & 0xd5) | 2); /* r = 4, size 1: AH */
    else
        set_flags(c, FL_SF | FL_ZF | FL_AF | FL_PF | FL_CF, reg_get(c, 4, 1));
    return EMU_OK;
}

/* C4 LES, C5 LDS, 0F B2 LSS, 0F B4 LFS, 0F B5 LGS r, m16:16/m16:32 */
static int h_lfp(struct ex *x)
{
    const struct emu_insn *i = x->i;
    uint16_t sel;
    uint32_t off;
    TRY(read_farptr(x, &sel, &off));
    reg_set(x->c, i->reg, x->osz, off);
    load_seg(x->c, i->twobyte ? i->opcode - 0xb0 : i->opcode == 0xc4 ? EMU_ES : EMU_DS, sel);
    return EMU_OK;
}

/* 62 BOUND r, m16&16 / m32&32: #BR (vector 5) when the signed index is below
 * the lower or above the upper bound. */
static int h_bound(struct ex *x)
{
    unsigned sz = x->osz;
    int seg;
    uint32_t off = ea(x, &seg), lo, hi;
    int32_t v = (int32_t)sext(reg_get(x->c, x->i->reg, sz), sz);
    TRY(rd_mem(x, seg, off, sz, &lo));
    TRY(rd_mem(x, seg, off + sz, sz, &hi));
    return v < (int32_t)sext(lo, sz) || v > (int32_t)sext(hi, sz) ? fail(x, V_BR) : EMU_OK;
}

/* C8 ENTER imm16, imm8 on the 16-bit real-mode stack (SDM pseudocode with
 * StackSize = 16): push (E)BP; FrameTemp = SP; for level > 0 copy level - 1
 * frame pointers from SS:BP-n (n = 2/4 per level, BP wrapping at 64 KiB) and
 * push FrameTemp (zero-extended by a 32-bit operand size); then BP =
 * FrameTemp and SP -= imm16. The stack-size attribute picks BP and SP, so
 * EBP[31:16] and ESP[31:16] are kept with either operand size. */
static int h_enter(struct ex *x)
{
    struct emu_cpu *c = x->c;
    unsigned sz = x->osz, level = x->i->imm2 & 31;
    uint32_t bp = c->gpr[EMU_EBP], frame, v;
    TRY(push(x, sz, reg_get(c, EMU_EBP, sz)));
    frame = c->gpr[EMU_ESP] & 0xffff;
    if (level) {
        for (unsigned k = 1; k < level; k++) {
            TRY(rd_mem(x, EMU_SS, (bp - k * sz) & 0xffff, sz, &v));
            TRY(push(x, sz, v));
        }
        TRY(push(x, sz, frame));
    }
    reg_set(c, EMU_EBP, 2, frame);
    reg_set(c, EMU_ESP, 2, c->gpr[EMU_ESP] - x->i->imm);
    return EMU_OK;
}

/* C9 LEAVE: SP = BP, then pop (E)BP. */
static int h_leave(struct ex *x)
{
    uint32_t v;
    reg_set(x->c, EMU_ESP, 2, x->c->gpr[EMU_EBP]);
    TRY(pop(x, x->osz, &v));
    reg_set(x->c, EMU_EBP, x->osz, v);
    return EMU_OK;
}

/* ---- x87 ---- */

/* 9B WAIT/FWAIT: #NM when CR0.MP and CR0.TS are both set, else nothing (no
 * x87 exception is ever pending: the emulator runs no x87 code). */
static int h_wait(struct ex *x)
{
    return (x->c->cr0 & (CR0_MP | CR0_TS)) == (CR0_MP | CR0_TS) ? fail(x, V_NM) : EMU_OK;
}

/* D8-DF x87 escapes: #NM when CR0.EM or CR0.TS is set (the guest's FPU
 * emulation or lazy FPU switching), otherwise not emulated. */
static int h_fpu(struct ex *x)
{
    return (x->c->cr0 & (CR0_EM | CR0_TS)) ? fail(x, V_NM) : EMU_UNSUPPORTED;
}

/* ---- system instructions ---- */

static int h_mov_cr(struct ex *x) /* 0F 20 (MOV r32, CRn), 0F 22 (MOV CRn, r32) */
{
    unsigned cr = x->i->reg, r = x->i->rm;
    if (cr == 1 || cr > 4)
        return fail(x, V_UD);
    if (x->i->opcode == 0x20) {
        x->c->gpr[r] = cr_get(x->c, cr);
        return EMU_OK;
    }
    return cr_write(x, cr, x->c->gpr[r]);
}

static int h_clts(struct ex *x) /* 0F 06 */
{
    return cr_write(x, 0, x->c->cr0 & ~CR0_TS);
}

static int h_lmsw(struct ex *x) /* 0F 01 /6: CR0 bits 0-3; PE can be set, not cleared */
{
    uint32_t v, cr0 = x->c->cr0;
    TRY(rd_rm(x, 2, &v));
    return cr_write(x, 0, (cr0 & ~0xfu) | (v & 0xf) | (cr0 & CR0_PE));
}

/* 0F 01 /4: register: operand size (with 32 bits the SDM leaves the upper
 * half undefined; we store all of CR0); memory: always 16 bits. */
static int h_smsw(struct ex *x)
{
    return wr_rm(x, x->i->mod == 3 ? x->osz : 2, x->c->cr0);
}

/* 0F 01 /0 SGDT, /1 SIDT: limit (16), base (32) - all 32 base bits are stored
 * with either operand size. */
static int h_sdt(struct ex *x)
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
static int h_ldt(struct ex *x)
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

static int h_rdmsr(struct ex *x) /* 0F 32: #GP when ops->rdmsr refuses */
{
    uint64_t v;
    if (!x->ops->rdmsr || x->ops->rdmsr(x->ops->ctx, x->c->gpr[EMU_ECX], &v))
        return fail(x, V_GP);
    x->c->gpr[EMU_EAX] = (uint32_t)v;
    x->c->gpr[EMU_EDX] = (uint32_t)(v >> 32);
    return EMU_OK;
}

static int h_wrmsr(struct ex *x) /* 0F 30 */
{
    uint64_t v = ((uint64_t)x->c->gpr[EMU_EDX] << 32) | x->c->gpr[EMU_EAX];
    if (!x->ops->wrmsr || x->ops->wrmsr(x->ops->ctx, x->c->gpr[EMU_ECX], v))
        return fail(x, V_GP);
    return EMU_OK;
}

static int h_cpuid(struct ex *x) /* 0F A2: out[] = EAX, EBX, ECX, EDX */
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
static int h_rdtsc(struct ex *x)
{
    uint64_t t;
    if (!x->ops->rdmsr || x->ops->rdmsr(x->ops->ctx, 0x10, &t))
        return EMU_UNSUPPORTED;
    x->c->gpr[EMU_EAX] = (uint32_t)t;
    x->c->gpr[EMU_EDX] = (uint32_t)(t >> 32);
    return EMU_OK;
}

/* ======================= tables ======================= */

#define OP(fn_, name_, f_, imm_) { (fn_), (name_), (uint16_t)(D_VALID | (f_)), (imm_), G_NONE }
#define GRP(g_, f_, imm_) { 0, 0, (uint16_t)(D_VALID | D_MODRM | (f_)), (imm_), (g_) }
#define ALU_ROW(n_)                                                                                                     \
    OP(h_alu, n_, D_MODRM | D_BYTE | D_LOCK, I_NONE), OP(h_alu, n_, D_MODRM | D_LOCK, I_NONE),                          \
        OP(h_alu, n_, D_MODRM | D_BYTE, I_NONE), OP(h_alu, n_, D_MODRM, I_NONE), OP(h_alu, n_, D_BYTE, I_B),         \
        OP(h_alu, n_, 0, I_Z)
#define M D_MODRM
#define SSE OP(0, "sse", M, I_NONE)

static const struct op optab[2][256] = {
    { /* one-byte opcodes */
      [0x00] = ALU_ROW("add"),
      [0x06] = OP(h_push_sreg, "push_sreg", 0, I_NONE),
      [0x07] = OP(h_pop_sreg, "pop_sreg", 0, I_NONE),
      [0x08] = ALU_ROW("or"),
      [0x0e] = OP(h_push_sreg, "push_sreg", 0, I_NONE),
      [0x10] = ALU_ROW("adc"),
      [0x16] = OP(h_push_sreg, "push_sreg", 0, I_NONE),
      [0x17] = OP(h_pop_sreg, "pop_sreg", 0, I_NONE),
      [0x18] = ALU_ROW("sbb"),
      [0x1e] = OP(h_push_sreg, "push_sreg", 0, I_NONE),
      [0x1f] = OP(h_pop_sreg, "pop_sreg", 0, I_NONE),
      [0x20] = ALU_ROW("and"),
      [0x27] = OP(h_bcd, "daa", 0, I_NONE),
      [0x28] = ALU_ROW("sub"),
      [0x2f] = OP(h_bcd, "das", 0, I_NONE),
      [0x30] = ALU_ROW("xor"),
      [0x37] = OP(h_bcd, "aaa", 0, I_NONE),
      [0x38] = OP(h_alu, "cmp", M | D_BYTE, I_NONE),
      [0x39] = OP(h_alu, "cmp", M, I_NONE),
      [0x3a] = OP(h_alu, "cmp", M | D_BYTE, I_NONE),
      [0x3b] = OP(h_alu, "cmp", M, I_NONE),
      [0x3c] = OP(h_alu, "cmp", D_BYTE, I_B),
      [0x3d] = OP(h_alu, "cmp", 0, I_Z),
      [0x3f] = OP(h_bcd, "aas", 0, I_NONE),
      [0x40 ... 0x47] = OP(h_incdec_r, "inc", 0, I_NONE),
      [0x48 ... 0x4f] = OP(h_incdec_r, "dec", 0, I_NONE),
      [0x50 ... 0x57] = OP(h_push_r, "push", 0, I_NONE),
      [0x58 ... 0x5f] = OP(h_pop_r, "pop", 0, I_NONE),
      [0x60] = OP(h_pusha, "pusha", 0, I_NONE),
      [0x61] = OP(h_popa, "popa", 0, I_NONE),
      [0x62] = OP(h_bound, "bound", M | D_MEM, I_NONE),
      [0x63] = OP(h_ud, "arpl", M, I_NONE), /* not recognized in real mode / VM86 */
      [0x68] = OP(h_push_imm, "push", 0, I_Z),
      [0x69] = OP(h_imul3, "imul", M, I_Z),
      [0x6a] = OP(h_push_imm, "push", 0, I_SB),
      [0x6b] = OP(h_imul3, "imul", M, I_SB),
      [0x6c] = OP(h_string, "ins", D_BYTE, I_NONE),
      [0x6d] = OP(h_string, "ins", 0, I_NONE),
      [0x6e] = OP(h_string, "outs", D_BYTE, I_NONE),
      [0x6f] = OP(h_string, "outs", 0, I_NONE),
      [0x70 ... 0x7f] = OP(h_jcc, "jcc", 0, I_JB),
      [0x80] = GRP(G_ALU, D_BYTE, I_B),
      [0x81] = GRP(G_ALU, 0, I_Z),
      [0x82] = GRP(G_ALU, D_BYTE, I_B), /* alias of 80 outside 64-bit mode */
      [0x83] = GRP(G_ALU, 0, I_SB),
      [0x84] = OP(h_test, "test", M | D_BYTE, I_NONE),
      [0x85] = OP(h_test, "test", M, I_NONE),
      [0x86] = OP(h_xchg, "xchg", M | D_BYTE | D_LOCK, I_NONE),
      [0x87] = OP(h_xchg, "xchg", M | D_LOCK, I_NONE),
      [0x88] = OP(h_mov, "mov", M | D_BYTE, I_NONE),
      [0x89] = OP(h_mov, "mov", M, I_NONE),
      [0x8a] = OP(h_mov, "mov", M | D_BYTE, I_NONE),
      [0x8b] = OP(h_mov, "mov", M, I_NONE),
      [0x8c] = GRP(G_8C, 0, I_NONE),
      [0x8d] = OP(h_lea, "lea", M | D_MEM, I_NONE),
      [0x8e] = GRP(G_8E, 0, I_NONE),
      [0x8f] = GRP(G_8F, 0, I_NONE),
      [0x90] = OP(h_nop, "nop", 0, I_NONE), /* also PAUSE (F3 90) */
      [0x91 ... 0x97] = OP(h_xchg_ax, "xchg", 0, I_NONE),
      [0x98] = OP(h_cbw, "cbw", 0, I_NONE),
      [0x99] = OP(h_cwd, "cwd", 0, I_NONE),
      [0x9a] = OP(h_call_far, "call_far", 0, I_FAR),
      [0x9b] = OP(h_wait, "wait", 0, I_NONE),
      [0x9c] = OP(h_pushf, "pushf", 0, I_NONE),
      [0x9d] = OP(h_popf, "popf", 0, I_NONE),
      [0x9e] = OP(h_ahf, "sahf", 0, I_NONE),
      [0x9f] = OP(h_ahf, "lahf", 0, I_NONE),
      [0xa0] = OP(h_mov_moffs, "mov", D_BYTE, I_MOFFS),
      [0xa1] = OP(h_mov_moffs, "mov", 0, I_MOFFS),
      [0xa2] = OP(h_mov_moffs, "mov", D_BYTE, I_MOFFS),
      [0xa3] = OP(h_mov_moffs, "mov", 0, I_MOFFS),
      [0xa4] = OP(h_string, "movs", D_BYTE, I_NONE),
      [0xa5] = OP(h_string, "movs", 0, I_NONE),
      [0xa6] = OP(h_string, "cmps", D_BYTE, I_NONE),
      [0xa7] = OP(h_string, "cmps", 0, I_NONE),
      [0xa8] = OP(h_test_acc, "test", D_BYTE, I_B),
      [0xa9] = OP(h_test_acc, "test", 0, I_Z),
      [0xaa] = OP(h_string, "stos", D_BYTE, I_NONE),
      [0xab] = OP(h_string, "stos", 0, I_NONE),
      [0xac] = OP(h_string, "lods", D_BYTE, I_NONE),
      [0xad] = OP(h_string, "lods", 0, I_NONE),
      [0xae] = OP(h_string, "scas", D_BYTE, I_NONE),
      [0xaf] = OP(h_string, "scas", 0, I_NONE),
      [0xb0 ... 0xb7] = OP(h_mov_r_imm, "mov", D_BYTE, I_B),
      [0xb8 ... 0xbf] = OP(h_mov_r_imm, "mov", 0, I_Z),
      [0xc0] = GRP(G_SHIFT, D_BYTE, I_B),
      [0xc1] = GRP(G_SHIFT, 0, I_B),
      [0xc2] = OP(h_ret, "ret", 0, I_W),
      [0xc3] = OP(h_ret, "ret", 0, I_NONE),
      [0xc4] = OP(h_lfp, "les", M | D_MEM, I_NONE), /* no VEX in real mode / VM86 */
      [0xc5] = OP(h_lfp, "lds", M | D_MEM, I_NONE),
      [0xc6] = GRP(G_C6, D_BYTE, I_NONE),
      [0xc7] = GRP(G_C6, 0, I_NONE),
      [0xc8] = OP(h_enter, "enter", 0, I_WB),
      [0xc9] = OP(h_leave, "leave", 0, I_NONE),
      [0xca] = OP(h_retf, "retf", 0, I_W),
      [0xcb] = OP(h_retf, "retf", 0, I_NONE),
      [0xcc] = OP(h_int3, "int3", 0, I_NONE),
      [0xcd] = OP(h_int, "int", 0, I_B),
      [0xce] = OP(h_into, "into", 0, I_NONE),
      [0xcf] = OP(h_iret, "iret", 0, I_NONE),
      [0xd0] = GRP(G_SHIFT, D_BYTE, I_NONE),
      [0xd1] = GRP(G_SHIFT, 0, I_NONE),
      [0xd2] = GRP(G_SHIFT, D_BYTE, I_NONE),
      [0xd3] = GRP(G_SHIFT, 0, I_NONE),
      [0xd4] = OP(h_bcd, "aam", 0, I_B),
      [0xd5] = OP(h_bcd, "aad", 0, I_B),
      [0xd6] = OP(h_bcd, "salc", 0, I_NONE),
      [0xd7] = OP(h_xlat, "xlat", 0, I_NONE),
      [0xd8 ... 0xdf] = OP(h_fpu, "fpu", M, I_NONE),
      [0xe0] = OP(h_loop, "loopne", 0, I_JB),
      [0xe1] = OP(h_loop, "loope", 0, I_JB),
      [0xe2] = OP(h_loop, "loop", 0, I_JB),
      [0xe3] = OP(h_loop, "jcxz", 0, I_JB),
      [0xe4] = OP(h_in, "in", D_BYTE, I_B),
      [0xe5] = OP(h_in, "in", 0, I_B),
      [0xe6] = OP(h_out, "out", D_BYTE, I_B),
      [0xe7] = OP(h_out, "out", 0, I_B),
      [0xe8] = OP(h_call_rel, "call", 0, I_JZ),
      [0xe9] = OP(h_jmp_rel, "jmp", 0, I_JZ),
      [0xea] = OP(h_jmp_far, "jmp_far", 0, I_FAR),
      [0xeb] = OP(h_jmp_rel, "jmp", 0, I_JB),
      [0xec] = OP(h_in, "in", D_BYTE, I_NONE),
      [0xed] = OP(h_in, "in", 0, I_NONE),
      [0xee] = OP(h_out, "out", D_BYTE, I_NONE),
      [0xef] = OP(h_out, "out", 0, I_NONE),
      [0xf1] = OP(h_int1, "int1", 0, I_NONE),
      [0xf4] = OP(h_hlt, "hlt", 0, I_NONE),
      [0xf5] = OP(h_flag, "cmc", 0, I_NONE),
      [0xf6] = GRP(G_3, D_BYTE, I_NONE),
      [0xf7] = GRP(G_3, 0, I_NONE),
      [0xf8] = OP(h_flag, "clc", 0, I_NONE),
      [0xf9] = OP(h_flag, "stc", 0, I_NONE),
      [0xfa] = OP(h_flag, "cli", 0, I_NONE),
      [0xfb] = OP(h_flag, "sti", 0, I_NONE),
      [0xfc] = OP(h_flag, "cld", 0, I_NONE),
      [0xfd] = OP(h_flag, "std", 0, I_NONE),
      [0xfe] = GRP(G_FE, D_BYTE, I_NONE),
      [0xff] = GRP(G_FF, 0, I_NONE),
    },
    { /* 0F xx */
      [0x00] = GRP(G_0F00, 0, I_NONE),
      [0x01] = GRP(G_0F01, 0, I_NONE),
      [0x02] = OP(h_ud, "lar", M, I_NONE), /* LAR, LSL: #UD in real mode / VM86 */
      [0x03] = OP(h_ud, "lsl", M, I_NONE),
      [0x05] = OP(h_ud, "syscall", 0, I_NONE), /* #UD outside 64-bit mode */
      [0x06] = OP(h_clts, "clts", 0, I_NONE),
      [0x07] = OP(h_ud, "sysret", 0, I_NONE),
      [0x08] = OP(h_nop, "invd", 0, I_NONE),
      [0x09] = OP(h_nop, "wbinvd", 0, I_NONE),
      [0x0b] = OP(h_ud, "ud2", 0, I_NONE),
      [0x0d] = OP(0, "prefetch", M, I_NONE),
      [0x10 ... 0x17] = SSE,
      [0x18] = OP(h_nop, "prefetch", M, I_NONE), /* hints: no access, no fault */
      [0x19 ... 0x1f] = OP(h_nop, "nop", M, I_NONE), /* reserved-NOP space; 0F 1E FB/FA = ENDBR */
      [0x20] = OP(h_mov_cr, "mov_cr", M | D_MODREG, I_NONE),
      [0x21] = OP(0, "mov_dr", M | D_MODREG, I_NONE),
      [0x22] = OP(h_mov_cr, "mov_cr", M | D_MODREG, I_NONE),
      [0x23] = OP(0, "mov_dr", M | D_MODREG, I_NONE),
      [0x28 ... 0x2f] = SSE,
      [0x30] = OP(h_wrmsr, "wrmsr", 0, I_NONE),
      [0x31] = OP(h_rdtsc, "rdtsc", 0, I_NONE),
      [0x32] = OP(h_rdmsr, "rdmsr", 0, I_NONE),
      [0x33] = OP(0, "rdpmc", 0, I_NONE),
      [0x34] = OP(h_gp, "sysenter", 0, I_NONE), /* #GP(0) with CR0.PE = 0 */
      [0x35] = OP(h_gp, "sysexit", 0, I_NONE),
      [0x37] = OP(0, "getsec", 0, I_NONE),
      [0x38] = OP(0, "sse", M | D_ESC, I_NONE),
      [0x3a] = OP(0, "sse", M | D_ESC, I_B),
      [0x40 ... 0x4f] = OP(h_cmov, "cmov", M, I_NONE),
      [0x50 ... 0x6f] = SSE,
      [0x70 ... 0x73] = OP(0, "sse", M, I_B),
      [0x74 ... 0x76] = SSE,
      [0x77] = OP(0, "sse", 0, I_NONE), /* EMMS */
      [0x78 ... 0x79] = SSE,            /* VMREAD, VMWRITE */
      [0x7c ... 0x7f] = SSE,
      [0x80 ... 0x8f] = OP(h_jcc, "jcc", 0, I_JZ),
      [0x90 ... 0x9f] = OP(h_setcc, "setcc", M | D_BYTE, I_NONE),
      [0xa0] = OP(h_push_sreg, "push_sreg", 0, I_NONE),
      [0xa1] = OP(h_pop_sreg, "pop_sreg", 0, I_NONE),
      [0xa2] = OP(h_cpuid, "cpuid", 0, I_NONE),
      [0xa3] = OP(h_bt, "bt", M, I_NONE),
      [0xa4] = OP(h_shxd, "shld", M, I_B),
      [0xa5] = OP(h_shxd, "shld", M, I_NONE),
      [0xa8] = OP(h_push_sreg, "push_sreg", 0, I_NONE),
      [0xa9] = OP(h_pop_sreg, "pop_sreg", 0, I_NONE),
      [0xaa] = OP(h_ud, "rsm", 0, I_NONE), /* #UD outside SMM */
      [0xab] = OP(h_bt, "bts", M | D_LOCK, I_NONE),
      [0xac] = OP(h_shxd, "shrd", M, I_B),
      [0xad] = OP(h_shxd, "shrd", M, I_NONE),
      [0xae] = OP(0, "grp15", M, I_NONE),
      [0xaf] = OP(h_imul3, "imul", M, I_NONE),
      [0xb0] = OP(h_cmpxchg, "cmpxchg", M | D_BYTE | D_LOCK, I_NONE),
      [0xb1] = OP(h_cmpxchg, "cmpxchg", M | D_LOCK, I_NONE),
      [0xb2] = OP(h_lfp, "lss", M | D_MEM, I_NONE),
      [0xb3] = OP(h_bt, "btr", M | D_LOCK, I_NONE),
      [0xb4] = OP(h_lfp, "lfs", M | D_MEM, I_NONE),
      [0xb5] = OP(h_lfp, "lgs", M | D_MEM, I_NONE),
      [0xb6 ... 0xb7] = OP(h_movx, "movzx", M, I_NONE),
      [0xb8] = OP(0, "popcnt", M, I_NONE),
      [0xb9] = OP(h_ud, "ud1", M, I_NONE),
      [0xba] = GRP(G_0FBA, 0, I_B),
      [0xbb] = OP(h_bt, "btc", M | D_LOCK, I_NONE),
      [0xbc] = OP(h_bsf, "bsf", M, I_NONE),
      [0xbd] = OP(h_bsf, "bsr", M, I_NONE),
      [0xbe ... 0xbf] = OP(h_movx, "movsx", M, I_NONE),
      [0xc0] = OP(h_xadd, "xadd", M | D_BYTE | D_LOCK, I_NONE),
      [0xc1] = OP(h_xadd, "xadd", M | D_LOCK, I_NONE),
      [0xc2] = OP(0, "sse", M, I_B),
      [0xc3] = SSE,
      [0xc4 ... 0xc6] = OP(0, "sse", M, I_B),
      [0xc7] = OP(h_grp9, "grp9", M | D_LOCK, I_NONE),
      [0xc8 ... 0xcf] = OP(h_bswap, "bswap", 0, I_NONE),
      [0xd0 ... 0xfe] = SSE,
      [0xff] = OP(h_ud, "ud0", M, I_NONE),
    },
};

/* Group entries: indexed by ModRM.reg. Flags and immediate kind add to the
 * opcode's entry (a non-zero imm replaces it). */
#define G(fn_, name_, f_, imm_) { (fn_), (name_), (uint16_t)(D_VALID | (f_)), (imm_), G_NONE }
static const struct op groups[G_COUNT][8] = {
    [G_ALU] = { G(h_grp1, "add", D_LOCK, 0), G(h_grp1, "or", D_LOCK, 0), G(h_grp1, "adc", D_LOCK, 0),
                G(h_grp1, "sbb", D_LOCK, 0), G(h_grp1, "and", D_LOCK, 0), G(h_grp1, "sub", D_LOCK, 0),
                G(h_grp1, "xor", D_LOCK, 0), G(h_grp1, "cmp", 0, 0) },
    [G_SHIFT] = { G(h_shift, "rol", 0, 0), G(h_shift, "ror", 0, 0), G(h_shift, "rcl", 0, 0), G(h_shift, "rcr", 0, 0),
                  G(h_shift, "shl", 0, 0), G(h_shift, "shr", 0, 0), G(h_shift, "sal", 0, 0), G(h_shift, "sar", 0, 0) },
    [G_3] = { G(h_test_imm, "test", 0, I_BZ), G(h_test_imm, "test", 0, I_BZ), G(h_not, "not", D_LOCK, 0),
              G(h_neg, "neg", D_LOCK, 0), G(h_muldiv, "mul", 0, 0), G(h_muldiv, "imul", 0, 0),
              G(h_muldiv, "div", 0, 0), G(h_muldiv, "idiv", 0, 0) },
    [G_FE] = { G(h_incdec_rm, "inc", D_LOCK, 0), G(h_incdec_rm, "dec", D_LOCK, 0) },
    [G_FF] = { G(h_incdec_rm, "inc", D_LOCK, 0), G(h_incdec_rm, "dec", D_LOCK, 0), G(h_call_rm, "call", 0, 0),
               G(h_call_far_m, "call_far", D_MEM, 0), G(h_jmp_rm, "jmp", 0, 0), G(h_jmp_far_m, "jmp_far", D_MEM, 0),
               G(h_push_rm, "push", 0, 0) },
    [G_8F] = { G(h_pop_rm, "pop", 0, 0) },
    [G_C6] = { G(h_mov_rm_imm, "mov", 0, I_BZ), [7] = G(h_xabort, "xabort", 0, I_BZ) },
    [G_8C] = { G(h_mov_from_sreg, "mov_sreg", 0, 0), G(h_mov_from_sreg, "mov_sreg", 0, 0),
               G(h_mov_from_sreg, "mov_sreg", 0, 0), G(h_mov_from_sreg, "mov_sreg", 0, 0),
               G(h_mov_from_sreg, "mov_sreg", 0, 0), G(h_mov_from_sreg, "mov_sreg", 0, 0) },
    [G_8E] = { G(h_mov_to_sreg, "mov_sreg", 0, 0), [2] = G(h_mov_to_sreg, "mov_sreg", 0, 0),
               G(h_mov_to_sreg, "mov_sreg", 0, 0), G(h_mov_to_sreg, "mov_sreg", 0, 0),
               G(h_mov_to_sreg, "mov_sreg", 0, 0) }, /* /1 (CS) and /6 /7: #UD */
    [G_0F00] = { G(h_ud, "sldt", 0, 0), G(h_ud, "str", 0, 0), G(h_ud, "lldt", 0, 0), G(h_ud, "ltr", 0, 0),
                 G(h_ud, "verr", 0, 0), G(h_ud, "verw", 0, 0) }, /* all #UD in real mode / VM86 */
    [G_0F01] = { G(h_sdt, "sgdt", D_REGUNS, 0), G(h_sdt, "sidt", D_REGUNS, 0), G(h_ldt, "lgdt", D_REGUNS, 0),
                 G(h_ldt, "lidt", D_REGUNS, 0), G(h_smsw, "smsw", 0, 0), G(0, 0, D_REGUNS, 0),
                 G(h_lmsw, "lmsw", 0, 0), G(h_nop, "invlpg", D_REGUNS, 0) },
    [G_0FBA] = { [4] = G(h_bt, "bt", 0, 0), G(h_bt, "bts", D_LOCK, 0), G(h_bt, "btr", D_LOCK, 0),
                 G(h_bt, "btc", D_LOCK, 0) },
};

/* ======================= decoder ======================= */

struct fetcher {
    struct emu_insn *i;
    int (*read)(void *ctx, uint32_t linear, void *buf, unsigned len);
    void *ctx;
    uint32_t lin;  /* CS.base + EIP: the instruction's first byte */
    unsigned max;  /* bytes that can be fetched: up to 15, none past the CS limit */
    int *fault;
};

/* The next instruction byte at CS:EIP+len, read on its own: #GP past the CS
 * limit (the offset wrapping past 4 GiB included) or past 15 bytes. (One
 * read per byte, never a window past the instruction: ops->read sees exactly
 * the bytes the CPU fetches, which tests/diff's read log relies on.) */
HOT int fetch_byte(struct fetcher *f, uint32_t *v)
{
    struct emu_insn *i = f->i;
    unsigned n = i->len;
    uint8_t b;
    int rc;
    if (n >= f->max) {
        *f->fault = V_GP;
        return -1;
    }
    rc = f->read(f->ctx, f->lin + n, &b, 1);
    if (rc) {
        *f->fault = cb_vector(rc);
        return -1;
    }
    i->bytes[n] = b;
    i->len = (uint8_t)(n + 1);
    *v = b;
    return 0;
}

/* n (1, 2 or 4) bytes, little-endian; *v is written only on success. */
static int fetch(struct fetcher *f, unsigned n, uint32_t *v)
{
    uint32_t b, r = 0;
    for (unsigned k = 0; k < n; k++) {
        if (fetch_byte(f, &b))
            return -1;
        r |= b << (8 * k);
    }
    *v = r;
    return 0;
}

/* The entry that says how to execute the decoded instruction, with the
 * merged flags (opcode entry | group entry). */
static const struct op *lookup(const struct emu_insn *i, unsigned *flags, unsigned *imm)
{
    const struct op *d = &optab[i->twobyte ? 1 : 0][i->opcode];
    *flags = d->f;
    *imm = d->imm;
    if (d->grp && (d->f & D_VALID)) {
        const struct op *g = &groups[d->grp][i->reg];
        *flags = g->f ? (d->f | g->f) : 0;
        if (g->imm)
            *imm = g->imm;
        return g;
    }
    return d;
}

/* emu_decode, returning the entry to execute and its merged flags (what
 * lookup() gives), or NULL with *fault set. */
HOT const struct op *decode(const struct emu_cpu *c, const struct emu_ops *ops, struct emu_insn *i, int *fault,
                               unsigned *pflags)
{
    struct fetcher f;
    unsigned flags, imm, n;
    uint32_t b, v;
    const struct op *d;

    *i = (struct emu_insn){ .seg = -1 };
    f.i = i;
    f.read = ops->read;
    f.ctx = ops->ctx;
    f.lin = c->seg[EMU_CS].base + c->eip;
    /* offset EIP + n is fetchable when n <= limit - EIP (EIP <= limit), which
     * also rules out a wrap past 4 GiB */
    v = c->seg[EMU_CS].limit - c->eip;
    f.max = c->eip > c->seg[EMU_CS].limit ? 0 : v >= 14 ? 15 : v + 1;
    f.fault = fault;
    if (!f.read) { /* no byte can be read: #GP (as a refused read) */
        *fault = V_GP;
        return 0;
    }

    for (;;) { /* prefixes: repeats allowed; the last segment / REP prefix wins */
        /* bit b of prefixes[]: b is a prefix byte (26 2E 36 3E 64-67 F0 F2 F3) */
        static const uint32_t prefixes[8] = { 0, 0x40404040u, 0, 0x000000f0u, 0, 0, 0, 0x000d0000u };
        if (fetch_byte(&f, &b))
            return 0;
        if (!(prefixes[b >> 5] >> (b & 31) & 1))
            break;
        switch (b) {
        case 0x66: i->opsize32 = 1; continue;
        case 0x67: i->addrsize32 = 1; continue;
        case 0x26: i->seg = EMU_ES; continue;
        case 0x2e: i->seg = EMU_CS; continue;
        case 0x36: i->seg = EMU_SS; continue;
        case 0x3e: i->seg = EMU_DS; continue;
        case 0x64: i->seg = EMU_FS; continue;
        case 0x65: i->seg = EMU_GS; continue;
        case 0xf0: i->lock = 1; continue;
        case 0xf2:
        case 0xf3: i->rep = (uint8_t)b; continue;
        }
        break;
    }
    if (b == 0x0f) {
        i->twobyte = 1;
        if (fetch_byte(&f, &b))
            return 0;
    }
    i->opcode = (uint8_t)b;
    d = &optab[i->twobyte][b];
    flags = d->f;
    imm = d->imm;
    if (!(flags & D_VALID))
        goto ud;
    if ((flags & D_ESC) && fetch_byte(&f, &v)) /* the third opcode byte (kept in bytes[] only) */
        return 0;
    if (flags & D_MODRM) {
        if (fetch_byte(&f, &v))
            return 0;
        i->has_modrm = 1;
        i->modrm = (uint8_t)v;
        i->mod = (uint8_t)(v >> 6);
        i->reg = (uint8_t)((v >> 3) & 7);
        i->rm = (uint8_t)(v & 7);
    }
    if (d->grp) { /* as lookup() */
        const struct op *g = &groups[d->grp][i->reg];
        flags = g->f ? (flags | g->f) : 0;
        if (g->imm)
            imm = g->imm;
        d = g;
    }
    if (!(flags & D_VALID) || (i->mod == 3 && (flags & D_MEM)))
        goto ud;
    if ((flags & D_MODRM) && !(flags & D_MODREG) && i->mod != 3) {
        unsigned dsz = 0;
        if (!i->addrsize32) {
            dsz = i->mod == 1 ? 1 : i->mod == 2 || (i->mod == 0 && i->rm == 6) ? 2 : 0;
        } else {
            unsigned base = i->rm;
            if (i->rm == 4) {
                if (fetch_byte(&f, &v))
                    return 0;
                i->has_sib = 1;
                i->sib = (uint8_t)v;
                base = v & 7;
            }
            dsz = i->mod == 1 ? 1 : i->mod == 2 || (i->mod == 0 && base == 5) ? 4 : 0;
        }
        if (dsz) {
            if (fetch(&f, dsz, &v))
                return 0;
            i->disp = (int32_t)sext(v, dsz);
        }
    }
    switch (imm) {
    case I_B:
    case I_SB:
    case I_JB:
        if (fetch_byte(&f, &v))
            return 0;
        i->imm = imm == I_B ? v : sext(v, 1);
        break;
    case I_W:
        if (fetch(&f, 2, &i->imm))
            return 0;
        break;
    case I_BZ:
        if (flags & D_BYTE) {
            if (fetch_byte(&f, &i->imm))
                return 0;
            break;
        }
        /* fall through */
    case I_Z:
    case I_JZ:
        n = i->opsize32 ? 4 : 2;
        if (fetch(&f, n, &v))
            return 0;
        i->imm = imm == I_JZ ? sext(v, n) : v;
        break;
    case I_WB:
        if (fetch(&f, 2, &i->imm) || fetch_byte(&f, &i->imm2))
            return 0;
        break;
    case I_FAR:
        if (fetch(&f, i->opsize32 ? 4 : 2, &i->imm) || fetch(&f, 2, &i->imm2))
            return 0;
        break;
    case I_MOFFS:
        if (fetch(&f, i->addrsize32 ? 4 : 2, &v))
            return 0;
        i->disp = (int32_t)v;
        break;
    }
    /* LOCK only on the lockable instructions, and only with a memory destination */
    if (i->lock && (!(flags & D_LOCK) || i->mod == 3))
        goto ud;
    *pflags = flags;
    return d;
ud:
    *fault = V_UD;
    return 0;
}

int emu_decode(const struct emu_cpu *c, const struct emu_ops *ops, struct emu_insn *i, int *fault)
{
    unsigned flags;
    return decode(c, ops, i, fault, &flags) ? 0 : -1;
}

/* ======================= execution ======================= */

enum emu_result emu_step(struct emu_cpu *c, const struct emu_ops *ops, struct emu_insn *i, int *fault)
{
    struct ex x;
    const struct op *d;
    unsigned flags;
    int r;

    d = decode(c, ops, i, fault, &flags);
    if (!d)
        return EMU_FAULT;
    if (!d->fn || (i->mod == 3 && (flags & D_REGUNS)))
        return EMU_UNSUPPORTED;

    x.c = c;
    x.ops = ops;
    x.i = i;
    x.osz = (flags & D_BYTE) ? 1 : i->opsize32 ? 4 : 2;
    x.asz = i->addrsize32 ? 4 : 2;
    x.vec = 0;
    x.keep_regs = 0;
    x.halt = 0;
    x.logged = 1;
    regs_save(c, x.undo);
    c->eip += i->len;

    r = d->fn(&x);
    if (r == EMU_OK || r == EMU_PE_SET) {
        if (x.halt && ops->halt)
            ops->halt(ops->ctx, c);
        return (enum emu_result)r;
    }
    if (r == EMU_FAULT) {
        *fault = x.vec;
        if (x.keep_regs) { /* REP progress: registers advance, EIP stays on the instruction */
            c->eip = x.undo[8];
            return EMU_FAULT;
        }
    }
    regs_restore(c, x.undo); /* EMU_FAULT, EMU_UNSUPPORTED: the CPU as it was */
    return (enum emu_result)r;
}

int emu_real_mode_interrupt(struct emu_cpu *c, const struct emu_ops *ops, unsigned vector)
{
    struct ex x;
    x.c = c;
    x.ops = ops;
    x.i = 0;
    x.osz = 2;
    x.asz = 2;
    x.vec = 0;
    x.keep_regs = 0;
    x.halt = 0;
    x.logged = 0;
    return deliver(&x, vector) == EMU_OK ? 0 : x.vec;
}

const char *emu_insn_name(const struct emu_insn *i)
{
    unsigned flags, imm;
    const struct op *d = lookup(i, &flags, &imm);
    if (!(flags & D_VALID) || !d->name || (i->mod == 3 && (flags & D_REGUNS)))
        return "unknown";
    if (i->twobyte && i->opcode == 0x1e && i->rep == 0xf3 && (i->modrm == 0xfb || i->modrm == 0xfa))
        return i->modrm == 0xfb ? "endbr32" : "endbr64";
    return d->name;
}

int emu_effective_address(const struct emu_cpu *c, const struct emu_insn *i, uint32_t *linear)
{
    struct ex x = { 0 };
    int seg;
    if (!i->has_modrm || i->mod == 3)
        return -1;
    x.c = (struct emu_cpu *)c; /* ea() only reads the registers */
    x.i = i;
    uint32_t off = ea(&x, &seg);
    *linear = c->seg[seg].base + off;
    return 0;
}
