/* emu_int.h - what the parts of the emulator (vmxassist/emu*.c) share: the
 * decode-table types, the execution context of one instruction and the small
 * helpers on every instruction's path (inlined). Not an interface: emu.h is.
 * The files follow the SDM's grouping of the instruction set (Vol. 1, 5.1):
 *   emu.c          the undo log, memory through segments, ModRM operands, stack
 *   emu_decode.c   opcode tables, the decoder, emu_step and the entry points
 *   emu_alu.c      binary and decimal arithmetic, logic, shifts, bit and byte
 *   emu_data.c     data transfer, stack, segment registers
 *   emu_control.c  control transfer: jumps, calls, returns, INT/IRET, ENTER/LEAVE
 *   emu_string.c   string instructions
 *   emu_system.c   flag control, I/O, system instructions, x87 escapes
 *   emu_fast.h     emu_run's inline fast path for register ALU/MOV/shift forms
 */
#ifndef VMXASSIST_EMU_INT_H
#define VMXASSIST_EMU_INT_H
#include "emu.h"
#include "x86/cr.h"
#include "x86/exception.h"

/* The parts' shared functions are internal: in a shared library (tests/diff)
 * they must not bind to, or be preempted by, like-named symbols (libc has an
 * advance(), for one). */
#pragma GCC visibility push(hidden)

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

/* CR0_PE ... CR4_DE: x86/cr.h; the exceptions the emulator raises, VECTOR_DE ... VECTOR_GP: x86/exception.h */

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
    emu_fn fn;   /* NULL: valid but not emulated */
    uint8_t f;   /* D_* */
    uint8_t imm; /* I_* */
    uint8_t grp; /* index in groups[] (0: none) */
    uint8_t id;  /* enum emu_insn_id */
};

enum { G_NONE, G_ALU, G_SHIFT, G_3, G_FE, G_FF, G_8F, G_C6, G_8C, G_8E, G_0F00, G_0F01, G_0FBA, G_COUNT };

/* ---- execution context of one instruction ---- */
struct ex {
    struct emu_cpu *c; /* the CPU being changed (the caller's: see undo) */
    const struct emu_ops *ops;
    const struct emu_insn *i; /* NULL in emu_real_mode_interrupt (no instruction) */
    unsigned osz;             /* operand size in bytes: 1, 2 or 4 */
    unsigned asz;             /* address size in bytes: 2 or 4 */
    int vec;                  /* the exception when a helper returns EMU_FAULT */
    uint8_t keep_regs;        /* on EMU_FAULT, keep the registers anyway (REP progress) */
    uint8_t halt;             /* call ops->halt after the instruction completed */
    uint8_t logged;           /* undo[0-7] hold the GPRs from before the instruction (log_gprs) */
    uint32_t undo[10];        /* GPRs (when logged), EIP, EFLAGS before the instruction */
};

/* Small helpers on the hot path of every instruction: always inlined (the
 * in-guest build is -Os, which would otherwise call them). */
#define HOT static inline __attribute__((always_inline))

#define TRY(e)                                                                                                         \
    do {                                                                                                               \
        int try_r_ = (e);                                                                                              \
        if (try_r_ != EMU_OK)                                                                                          \
            return try_r_;                                                                                             \
    } while (0)

static inline int fail(struct ex *x, int vec)
{
    x->vec = vec;
    return EMU_FAULT;
}

/* A non-zero return from ops->read/write: the exception it names when it is
 * one a memory access can raise (#SS, #GP, #PF, #AC), else #GP. */
static inline int cb_vector(int rc)
{
    return rc == VECTOR_SS || rc == VECTOR_GP || rc == 14 || rc == 17 ? rc : VECTOR_GP;
}

HOT uint32_t szmask(unsigned sz) { return sz == 4 ? 0xffffffffu : sz == 2 ? 0xffffu : 0xffu; }

HOT uint32_t sext(uint32_t v, unsigned sz)
{
    return sz == 1 ? (uint32_t)(int32_t)(int8_t)v : sz == 2 ? (uint32_t)(int32_t)(int16_t)v : v;
}

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "emu.c passes little-endian values to ops->read/write as they are in memory (x86 hosts only)"
#pragma GCC visibility pop
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

static inline void load_seg(struct emu_cpu *c, int s, uint16_t sel)
{
    c->seg[s].sel = sel;
    c->seg[s].base = (uint32_t)sel << 4;
}

/* The undo log. Every instruction logs EIP and EFLAGS; a handler that can
 * fail after it changed a general register (a stack pointer moved by an
 * earlier push or pop, ECX by LOOP), or that lets ops->write_cr see the CPU
 * from before the instruction, first logs the GPRs too: log_gprs(x). */
void log_gprs(struct ex *x);
/* ---- memory ---- */

/* seg:off .. seg:off+len-1 must lie within the limit. */
HOT int seg_lin(struct ex *x, int seg, uint32_t off, unsigned len, uint32_t *lin)
{
    const struct emu_seg *s = &x->c->seg[seg];
    if (off > s->limit || s->limit - off < len - 1)
        return fail(x, seg == EMU_SS ? VECTOR_SS : VECTOR_GP);
    *lin = s->base + off;
    return EMU_OK;
}

/* Plain memory the emulator touches itself (ops->ram_end): the whole access
 * lies below ram_end. */
HOT int in_ram(const struct emu_ops *o, uint32_t lin, unsigned len)
{
    return lin < o->ram_end && o->ram_end - lin >= len;
}

/* One load or store of exactly len bytes (volatile: the access is what the
 * guest's instruction does, also on memory-mapped devices such as VGA). */
HOT uint32_t ram_load(const struct emu_ops *o, uint32_t lin, unsigned len)
{
    uintptr_t a = o->ram + lin;
    return len == 1   ? *(const volatile uint8_t *)a
           : len == 2 ? *(const volatile uint16_t *)a
                      : *(const volatile uint32_t *)a;
}

HOT void ram_store(const struct emu_ops *o, uint32_t lin, unsigned len, uint32_t v)
{
    uintptr_t a = o->ram + lin;
    if (len == 1)
        *(volatile uint8_t *)a = (uint8_t)v;
    else if (len == 2)
        *(volatile uint16_t *)a = (uint16_t)v;
    else
        *(volatile uint32_t *)a = v;
}

/* Writes that go straight to memory: in RAM and clear of the write trap. */
HOT int ram_writable(const struct emu_ops *o, uint32_t lin, unsigned len)
{
    return in_ram(o, lin, len) && (lin >= o->wtrap_hi || lin + len <= o->wtrap_lo);
}

/* len 1, 2 or 4: the bytes go straight to / from a uint32_t (little-endian). */
int lin_read_cb(struct ex *x, uint32_t lin, unsigned len, uint32_t *v);
int lin_write_cb(struct ex *x, uint32_t lin, unsigned len, uint32_t v);

HOT int lin_read(struct ex *x, uint32_t lin, unsigned len, uint32_t *v)
{
    if (in_ram(x->ops, lin, len)) {
        *v = ram_load(x->ops, lin, len);
        return EMU_OK;
    }
    return lin_read_cb(x, lin, len, v);
}

HOT int lin_write(struct ex *x, uint32_t lin, unsigned len, uint32_t v)
{
    if (ram_writable(x->ops, lin, len)) {
        ram_store(x->ops, lin, len, v);
        return EMU_OK;
    }
    return lin_write_cb(x, lin, len, v);
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

/* emu_decode.c: decode the instruction at CS:EIP into *i (its table flags in
 * i->dflags): the entry to execute, or NULL with *fault set. */
const struct op *decode(const struct emu_cpu *c, const struct emu_ops *ops, struct emu_insn *i, int *fault);

/* emu.c: the undo log, memory through segments, ModRM operands, the stack */
void regs_restore(struct emu_cpu *c, const uint32_t *u);
void regs_swap(struct emu_cpu *c, uint32_t *u);
int rd_mem(struct ex *x, int seg, uint32_t off, unsigned len, uint32_t *v);
int wr_mem(struct ex *x, int seg, uint32_t off, unsigned len, uint32_t v);
uint32_t ea(const struct ex *x, int *seg);
int push(struct ex *x, unsigned sz, uint32_t v);
int pop(struct ex *x, unsigned sz, uint32_t *v);
int rd_rm_mem(struct ex *x, unsigned sz, uint32_t *v);
int wr_rm_mem(struct ex *x, unsigned sz, uint32_t v);

/* emu_alu.c: arithmetic, logic, shifts, multiply/divide, BCD, bit tests */
uint32_t alu(struct emu_cpu *c, unsigned op, uint32_t a, uint32_t b, unsigned sz);
int cond(const struct emu_cpu *c, unsigned cc);
int h_alu(struct ex *x);
int h_grp1(struct ex *x);
int h_incdec_r(struct ex *x);
int h_incdec_rm(struct ex *x);
int h_test(struct ex *x);
int h_test_acc(struct ex *x);
int h_test_imm(struct ex *x);
int h_not(struct ex *x);
int h_neg(struct ex *x);
int h_shift(struct ex *x);
int h_shxd(struct ex *x);
int h_muldiv(struct ex *x);
int h_imul3(struct ex *x);
int h_bcd(struct ex *x);
int h_bt(struct ex *x);
int h_bsf(struct ex *x);
int h_setcc(struct ex *x);

/* emu_control.c: jumps, calls, returns, interrupts, ENTER/LEAVE, BOUND */
int deliver(struct ex *x, unsigned vector);
int h_jmp_rel(struct ex *x);
int h_jcc(struct ex *x);
int h_loop(struct ex *x);
int h_jmp_rm(struct ex *x);
int h_call_rel(struct ex *x);
int h_call_rm(struct ex *x);
int h_ret(struct ex *x);
int h_jmp_far(struct ex *x);
int call_far(struct ex *x, uint16_t sel, uint32_t off);
int h_call_far(struct ex *x);
int read_farptr(struct ex *x, uint16_t *sel, uint32_t *off);
int h_jmp_far_m(struct ex *x);
int h_call_far_m(struct ex *x);
int h_retf(struct ex *x);
int h_int(struct ex *x);
int h_int3(struct ex *x);
int h_into(struct ex *x);
int h_int1(struct ex *x);
int h_iret(struct ex *x);
int h_bound(struct ex *x);
int h_enter(struct ex *x);
int h_leave(struct ex *x);

/* emu_data.c: data movement, stack, segment registers */
int h_mov(struct ex *x);
int h_mov_moffs(struct ex *x);
int h_mov_r_imm(struct ex *x);
int h_mov_rm_imm(struct ex *x);
int h_lea(struct ex *x);
int h_xchg(struct ex *x);
int h_xchg_ax(struct ex *x);
int h_movx(struct ex *x);
int h_cbw(struct ex *x);
int h_cwd(struct ex *x);
int h_push_r(struct ex *x);
int h_pop_r(struct ex *x);
int h_push_imm(struct ex *x);
int h_push_rm(struct ex *x);
int h_pop_rm(struct ex *x);
int h_pusha(struct ex *x);
int h_popa(struct ex *x);
int h_pushf(struct ex *x);
int h_popf(struct ex *x);
int h_push_sreg(struct ex *x);
int h_pop_sreg(struct ex *x);
int h_mov_from_sreg(struct ex *x);
int h_mov_to_sreg(struct ex *x);
int h_cmov(struct ex *x);
int h_xadd(struct ex *x);
int h_cmpxchg(struct ex *x);
int h_grp9(struct ex *x);
int h_bswap(struct ex *x);
int h_xlat(struct ex *x);
int h_ahf(struct ex *x);
int h_lfp(struct ex *x);

/* emu_string.c: MOVS CMPS STOS LODS SCAS INS OUTS */
int h_string(struct ex *x);

/* emu_system.c: flags, I/O, control registers, descriptor tables, MSRs, x87 escapes */
uint32_t port_in(struct ex *x, uint16_t port, unsigned sz);
void port_out(struct ex *x, uint16_t port, unsigned sz, uint32_t v);
int h_ud(struct ex *x);
int h_gp(struct ex *x);
int h_nop(struct ex *x);
int h_xabort(struct ex *x);
int h_in(struct ex *x);
int h_out(struct ex *x);
int h_flag(struct ex *x);
int h_hlt(struct ex *x);
int h_wait(struct ex *x);
int h_fpu(struct ex *x);
int h_mov_cr(struct ex *x);
int h_clts(struct ex *x);
int h_lmsw(struct ex *x);
int h_smsw(struct ex *x);
int h_mov_dr(struct ex *x);
int h_sdt(struct ex *x);
int h_ldt(struct ex *x);
int h_rdmsr(struct ex *x);
int h_wrmsr(struct ex *x);
int h_cpuid(struct ex *x);
int h_rdtsc(struct ex *x);

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

#pragma GCC visibility pop
#endif
