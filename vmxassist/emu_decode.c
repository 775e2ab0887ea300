/* emu_decode.c - the opcode tables and the decoder: what every instruction
 * goes through before its handler (emu.c's emu_step and emu_run then run
 * it; see emu.c for the whole emulator's rules). */
#include "emu_int.h"

/* ======================= tables ======================= */

#define OP(fn_, name_, f_, imm_)                                                                                       \
    {                                                                                                                  \
        (fn_), (uint8_t)(D_VALID | (f_)), (imm_), G_NONE, EMU_INSN_##name_                                             \
    }
#define GRP(g_, f_, imm_)                                                                                              \
    {                                                                                                                  \
        0, (uint8_t)(D_VALID | D_MODRM | (f_)), (imm_), (g_), EMU_INSN_unknown                                         \
    }
#define ALU_ROW(n_)                                                                                                    \
    OP(h_alu, n_, D_MODRM | D_BYTE | D_LOCK, I_NONE), OP(h_alu, n_, D_MODRM | D_LOCK, I_NONE),                         \
        OP(h_alu, n_, D_MODRM | D_BYTE, I_NONE), OP(h_alu, n_, D_MODRM, I_NONE), OP(h_alu, n_, D_BYTE, I_B),           \
        OP(h_alu, n_, 0, I_Z)
#define M D_MODRM
#define SSE OP(0, sse, M, I_NONE)

static const struct op optab[2][256] = {
    {
        /* one-byte opcodes */
        [0x00] = ALU_ROW(add),
        [0x06] = OP(h_push_sreg, push_sreg, 0, I_NONE),
        [0x07] = OP(h_pop_sreg, pop_sreg, 0, I_NONE),
        [0x08] = ALU_ROW(or),
        [0x0e] = OP(h_push_sreg, push_sreg, 0, I_NONE),
        [0x10] = ALU_ROW(adc),
        [0x16] = OP(h_push_sreg, push_sreg, 0, I_NONE),
        [0x17] = OP(h_pop_sreg, pop_sreg, 0, I_NONE),
        [0x18] = ALU_ROW(sbb),
        [0x1e] = OP(h_push_sreg, push_sreg, 0, I_NONE),
        [0x1f] = OP(h_pop_sreg, pop_sreg, 0, I_NONE),
        [0x20] = ALU_ROW(and),
        [0x27] = OP(h_bcd, daa, 0, I_NONE),
        [0x28] = ALU_ROW(sub),
        [0x2f] = OP(h_bcd, das, 0, I_NONE),
        [0x30] = ALU_ROW(xor),
        [0x37] = OP(h_bcd, aaa, 0, I_NONE),
        [0x38] = OP(h_alu, cmp, M | D_BYTE, I_NONE),
        [0x39] = OP(h_alu, cmp, M, I_NONE),
        [0x3a] = OP(h_alu, cmp, M | D_BYTE, I_NONE),
        [0x3b] = OP(h_alu, cmp, M, I_NONE),
        [0x3c] = OP(h_alu, cmp, D_BYTE, I_B),
        [0x3d] = OP(h_alu, cmp, 0, I_Z),
        [0x3f] = OP(h_bcd, aas, 0, I_NONE),
        [0x40 ... 0x47] = OP(h_incdec_r, inc, 0, I_NONE),
        [0x48 ... 0x4f] = OP(h_incdec_r, dec, 0, I_NONE),
        [0x50 ... 0x57] = OP(h_push_r, push, 0, I_NONE),
        [0x58 ... 0x5f] = OP(h_pop_r, pop, 0, I_NONE),
        [0x60] = OP(h_pusha, pusha, 0, I_NONE),
        [0x61] = OP(h_popa, popa, 0, I_NONE),
        [0x62] = OP(h_bound, bound, M | D_MEM, I_NONE),
        [0x63] = OP(h_ud, arpl, M, I_NONE), /* not recognized in real mode / VM86 */
        [0x68] = OP(h_push_imm, push, 0, I_Z),
        [0x69] = OP(h_imul3, imul, M, I_Z),
        [0x6a] = OP(h_push_imm, push, 0, I_SB),
        [0x6b] = OP(h_imul3, imul, M, I_SB),
        [0x6c] = OP(h_string, ins, D_BYTE, I_NONE),
        [0x6d] = OP(h_string, ins, 0, I_NONE),
        [0x6e] = OP(h_string, outs, D_BYTE, I_NONE),
        [0x6f] = OP(h_string, outs, 0, I_NONE),
        [0x70 ... 0x7f] = OP(h_jcc, jcc, 0, I_JB),
        [0x80] = GRP(G_ALU, D_BYTE, I_B),
        [0x81] = GRP(G_ALU, 0, I_Z),
        [0x82] = GRP(G_ALU, D_BYTE, I_B), /* alias of 80 outside 64-bit mode */
        [0x83] = GRP(G_ALU, 0, I_SB),
        [0x84] = OP(h_test, test, M | D_BYTE, I_NONE),
        [0x85] = OP(h_test, test, M, I_NONE),
        [0x86] = OP(h_xchg, xchg, M | D_BYTE | D_LOCK, I_NONE),
        [0x87] = OP(h_xchg, xchg, M | D_LOCK, I_NONE),
        [0x88] = OP(h_mov, mov, M | D_BYTE, I_NONE),
        [0x89] = OP(h_mov, mov, M, I_NONE),
        [0x8a] = OP(h_mov, mov, M | D_BYTE, I_NONE),
        [0x8b] = OP(h_mov, mov, M, I_NONE),
        [0x8c] = GRP(G_8C, 0, I_NONE),
        [0x8d] = OP(h_lea, lea, M | D_MEM, I_NONE),
        [0x8e] = GRP(G_8E, 0, I_NONE),
        [0x8f] = GRP(G_8F, 0, I_NONE),
        [0x90] = OP(h_nop, nop, 0, I_NONE), /* also PAUSE (F3 90) */
        [0x91 ... 0x97] = OP(h_xchg_ax, xchg, 0, I_NONE),
        [0x98] = OP(h_cbw, cbw, 0, I_NONE),
        [0x99] = OP(h_cwd, cwd, 0, I_NONE),
        [0x9a] = OP(h_call_far, call_far, 0, I_FAR),
        [0x9b] = OP(h_wait, wait, 0, I_NONE),
        [0x9c] = OP(h_pushf, pushf, 0, I_NONE),
        [0x9d] = OP(h_popf, popf, 0, I_NONE),
        [0x9e] = OP(h_ahf, sahf, 0, I_NONE),
        [0x9f] = OP(h_ahf, lahf, 0, I_NONE),
        [0xa0] = OP(h_mov_moffs, mov, D_BYTE, I_MOFFS),
        [0xa1] = OP(h_mov_moffs, mov, 0, I_MOFFS),
        [0xa2] = OP(h_mov_moffs, mov, D_BYTE, I_MOFFS),
        [0xa3] = OP(h_mov_moffs, mov, 0, I_MOFFS),
        [0xa4] = OP(h_string, movs, D_BYTE, I_NONE),
        [0xa5] = OP(h_string, movs, 0, I_NONE),
        [0xa6] = OP(h_string, cmps, D_BYTE, I_NONE),
        [0xa7] = OP(h_string, cmps, 0, I_NONE),
        [0xa8] = OP(h_test_acc, test, D_BYTE, I_B),
        [0xa9] = OP(h_test_acc, test, 0, I_Z),
        [0xaa] = OP(h_string, stos, D_BYTE, I_NONE),
        [0xab] = OP(h_string, stos, 0, I_NONE),
        [0xac] = OP(h_string, lods, D_BYTE, I_NONE),
        [0xad] = OP(h_string, lods, 0, I_NONE),
        [0xae] = OP(h_string, scas, D_BYTE, I_NONE),
        [0xaf] = OP(h_string, scas, 0, I_NONE),
        [0xb0 ... 0xb7] = OP(h_mov_r_imm, mov, D_BYTE, I_B),
        [0xb8 ... 0xbf] = OP(h_mov_r_imm, mov, 0, I_Z),
        [0xc0] = GRP(G_SHIFT, D_BYTE, I_B),
        [0xc1] = GRP(G_SHIFT, 0, I_B),
        [0xc2] = OP(h_ret, ret, 0, I_W),
        [0xc3] = OP(h_ret, ret, 0, I_NONE),
        [0xc4] = OP(h_lfp, les, M | D_MEM, I_NONE), /* no VEX in real mode / VM86 */
        [0xc5] = OP(h_lfp, lds, M | D_MEM, I_NONE),
        [0xc6] = GRP(G_C6, D_BYTE, I_NONE),
        [0xc7] = GRP(G_C6, 0, I_NONE),
        [0xc8] = OP(h_enter, enter, 0, I_WB),
        [0xc9] = OP(h_leave, leave, 0, I_NONE),
        [0xca] = OP(h_retf, retf, 0, I_W),
        [0xcb] = OP(h_retf, retf, 0, I_NONE),
        [0xcc] = OP(h_int3, int3, 0, I_NONE),
        [0xcd] = OP(h_int, int, 0, I_B),
        [0xce] = OP(h_into, into, 0, I_NONE),
        [0xcf] = OP(h_iret, iret, 0, I_NONE),
        [0xd0] = GRP(G_SHIFT, D_BYTE, I_NONE),
        [0xd1] = GRP(G_SHIFT, 0, I_NONE),
        [0xd2] = GRP(G_SHIFT, D_BYTE, I_NONE),
        [0xd3] = GRP(G_SHIFT, 0, I_NONE),
        [0xd4] = OP(h_bcd, aam, 0, I_B),
        [0xd5] = OP(h_bcd, aad, 0, I_B),
        [0xd6] = OP(h_bcd, salc, 0, I_NONE),
        [0xd7] = OP(h_xlat, xlat, 0, I_NONE),
        [0xd8 ... 0xdf] = OP(h_fpu, fpu, M, I_NONE),
        [0xe0] = OP(h_loop, loopne, 0, I_JB),
        [0xe1] = OP(h_loop, loope, 0, I_JB),
        [0xe2] = OP(h_loop, loop, 0, I_JB),
        [0xe3] = OP(h_loop, jcxz, 0, I_JB),
        [0xe4] = OP(h_in, in, D_BYTE, I_B),
        [0xe5] = OP(h_in, in, 0, I_B),
        [0xe6] = OP(h_out, out, D_BYTE, I_B),
        [0xe7] = OP(h_out, out, 0, I_B),
        [0xe8] = OP(h_call_rel, call, 0, I_JZ),
        [0xe9] = OP(h_jmp_rel, jmp, 0, I_JZ),
        [0xea] = OP(h_jmp_far, jmp_far, 0, I_FAR),
        [0xeb] = OP(h_jmp_rel, jmp, 0, I_JB),
        [0xec] = OP(h_in, in, D_BYTE, I_NONE),
        [0xed] = OP(h_in, in, 0, I_NONE),
        [0xee] = OP(h_out, out, D_BYTE, I_NONE),
        [0xef] = OP(h_out, out, 0, I_NONE),
        [0xf1] = OP(h_int1, int1, 0, I_NONE),
        [0xf4] = OP(h_hlt, hlt, 0, I_NONE),
        [0xf5] = OP(h_flag, cmc, 0, I_NONE),
        [0xf6] = GRP(G_3, D_BYTE, I_NONE),
        [0xf7] = GRP(G_3, 0, I_NONE),
        [0xf8] = OP(h_flag, clc, 0, I_NONE),
        [0xf9] = OP(h_flag, stc, 0, I_NONE),
        [0xfa] = OP(h_flag, cli, 0, I_NONE),
        [0xfb] = OP(h_flag, sti, 0, I_NONE),
        [0xfc] = OP(h_flag, cld, 0, I_NONE),
        [0xfd] = OP(h_flag, std, 0, I_NONE),
        [0xfe] = GRP(G_FE, D_BYTE, I_NONE),
        [0xff] = GRP(G_FF, 0, I_NONE),
    },
    {
        /* 0F xx */
        [0x00] = GRP(G_0F00, 0, I_NONE),
        [0x01] = GRP(G_0F01, 0, I_NONE),
        [0x02] = OP(h_ud, lar, M, I_NONE), /* LAR, LSL: #UD in real mode / VM86 */
        [0x03] = OP(h_ud, lsl, M, I_NONE),
        [0x05] = OP(h_ud, syscall, 0, I_NONE), /* #UD outside 64-bit mode */
        [0x06] = OP(h_clts, clts, 0, I_NONE),
        [0x07] = OP(h_ud, sysret, 0, I_NONE),
        [0x08] = OP(h_nop, invd, 0, I_NONE),
        [0x09] = OP(h_nop, wbinvd, 0, I_NONE),
        [0x0b] = OP(h_ud, ud2, 0, I_NONE),
        [0x0d] = OP(0, prefetch, M, I_NONE),
        [0x10 ... 0x17] = SSE,
        [0x18] = OP(h_nop, prefetch, M, I_NONE),     /* hints: no access, no fault */
        [0x19 ... 0x1f] = OP(h_nop, nop, M, I_NONE), /* reserved-NOP space; 0F 1E FB/FA = ENDBR */
        [0x20] = OP(h_mov_cr, mov_cr, M | D_MODREG, I_NONE),
        [0x21] = OP(h_mov_dr, mov_dr, M | D_MODREG, I_NONE),
        [0x22] = OP(h_mov_cr, mov_cr, M | D_MODREG, I_NONE),
        [0x23] = OP(h_mov_dr, mov_dr, M | D_MODREG, I_NONE),
        [0x28 ... 0x2f] = SSE,
        [0x30] = OP(h_wrmsr, wrmsr, 0, I_NONE),
        [0x31] = OP(h_rdtsc, rdtsc, 0, I_NONE),
        [0x32] = OP(h_rdmsr, rdmsr, 0, I_NONE),
        [0x33] = OP(0, rdpmc, 0, I_NONE),
        [0x34] = OP(h_gp, sysenter, 0, I_NONE), /* #GP(0) with CR0.PE = 0 */
        [0x35] = OP(h_gp, sysexit, 0, I_NONE),
        [0x37] = OP(0, getsec, 0, I_NONE),
        [0x38] = OP(0, sse, M | D_ESC, I_NONE),
        [0x3a] = OP(0, sse, M | D_ESC, I_B),
        [0x40 ... 0x4f] = OP(h_cmov, cmov, M, I_NONE),
        [0x50 ... 0x6f] = SSE,
        [0x70 ... 0x73] = OP(0, sse, M, I_B),
        [0x74 ... 0x76] = SSE,
        [0x77] = OP(0, sse, 0, I_NONE), /* EMMS */
        [0x78 ... 0x79] = SSE,          /* VMREAD, VMWRITE */
        [0x7c ... 0x7f] = SSE,
        [0x80 ... 0x8f] = OP(h_jcc, jcc, 0, I_JZ),
        [0x90 ... 0x9f] = OP(h_setcc, setcc, M | D_BYTE, I_NONE),
        [0xa0] = OP(h_push_sreg, push_sreg, 0, I_NONE),
        [0xa1] = OP(h_pop_sreg, pop_sreg, 0, I_NONE),
        [0xa2] = OP(h_cpuid, cpuid, 0, I_NONE),
        [0xa3] = OP(h_bt, bt, M, I_NONE),
        [0xa4] = OP(h_shxd, shld, M, I_B),
        [0xa5] = OP(h_shxd, shld, M, I_NONE),
        [0xa8] = OP(h_push_sreg, push_sreg, 0, I_NONE),
        [0xa9] = OP(h_pop_sreg, pop_sreg, 0, I_NONE),
        [0xaa] = OP(h_ud, rsm, 0, I_NONE), /* #UD outside SMM */
        [0xab] = OP(h_bt, bts, M | D_LOCK, I_NONE),
        [0xac] = OP(h_shxd, shrd, M, I_B),
        [0xad] = OP(h_shxd, shrd, M, I_NONE),
        [0xae] = OP(0, grp15, M, I_NONE),
        [0xaf] = OP(h_imul3, imul, M, I_NONE),
        [0xb0] = OP(h_cmpxchg, cmpxchg, M | D_BYTE | D_LOCK, I_NONE),
        [0xb1] = OP(h_cmpxchg, cmpxchg, M | D_LOCK, I_NONE),
        [0xb2] = OP(h_lfp, lss, M | D_MEM, I_NONE),
        [0xb3] = OP(h_bt, btr, M | D_LOCK, I_NONE),
        [0xb4] = OP(h_lfp, lfs, M | D_MEM, I_NONE),
        [0xb5] = OP(h_lfp, lgs, M | D_MEM, I_NONE),
        [0xb6 ... 0xb7] = OP(h_movx, movzx, M, I_NONE),
        [0xb8] = OP(0, popcnt, M, I_NONE),
        [0xb9] = OP(h_ud, ud1, M, I_NONE),
        [0xba] = GRP(G_0FBA, 0, I_B),
        [0xbb] = OP(h_bt, btc, M | D_LOCK, I_NONE),
        [0xbc] = OP(h_bsf, bsf, M, I_NONE),
        [0xbd] = OP(h_bsf, bsr, M, I_NONE),
        [0xbe ... 0xbf] = OP(h_movx, movsx, M, I_NONE),
        [0xc0] = OP(h_xadd, xadd, M | D_BYTE | D_LOCK, I_NONE),
        [0xc1] = OP(h_xadd, xadd, M | D_LOCK, I_NONE),
        [0xc2] = OP(0, sse, M, I_B),
        [0xc3] = SSE,
        [0xc4 ... 0xc6] = OP(0, sse, M, I_B),
        [0xc7] = OP(h_grp9, grp9, M | D_LOCK, I_NONE),
        [0xc8 ... 0xcf] = OP(h_bswap, bswap, 0, I_NONE),
        [0xd0 ... 0xfe] = SSE,
        [0xff] = OP(h_ud, ud0, M, I_NONE),
    },
};

/* Group entries: indexed by ModRM.reg. Flags and immediate kind add to the
 * opcode's entry (a non-zero imm replaces it). */
#define G(fn_, name_, f_, imm_)                                                                                        \
    {                                                                                                                  \
        (fn_), (uint8_t)(D_VALID | (f_)), (imm_), G_NONE, EMU_INSN_##name_                                             \
    }
static const struct op groups[G_COUNT][8] = {
    [G_ALU] = { G(h_grp1, add, D_LOCK, 0), G(h_grp1, or, D_LOCK, 0), G(h_grp1, adc, D_LOCK, 0),
                G(h_grp1, sbb, D_LOCK, 0), G(h_grp1, and, D_LOCK, 0), G(h_grp1, sub, D_LOCK, 0),
                G(h_grp1, xor, D_LOCK, 0), G(h_grp1, cmp, 0, 0) },
    [G_SHIFT] = { G(h_shift, rol, 0, 0), G(h_shift, ror, 0, 0), G(h_shift, rcl, 0, 0), G(h_shift, rcr, 0, 0),
                  G(h_shift, shl, 0, 0), G(h_shift, shr, 0, 0), G(h_shift, sal, 0, 0), G(h_shift, sar, 0, 0) },
    [G_3] = { G(h_test_imm, test, 0, I_BZ), G(h_test_imm, test, 0, I_BZ), G(h_not, not, D_LOCK, 0),
              G(h_neg, neg, D_LOCK, 0), G(h_muldiv, mul, 0, 0), G(h_muldiv, imul, 0, 0), G(h_muldiv, div, 0, 0),
              G(h_muldiv, idiv, 0, 0) },
    [G_FE] = { G(h_incdec_rm, inc, D_LOCK, 0), G(h_incdec_rm, dec, D_LOCK, 0) },
    [G_FF] = { G(h_incdec_rm, inc, D_LOCK, 0), G(h_incdec_rm, dec, D_LOCK, 0), G(h_call_rm, call, 0, 0),
               G(h_call_far_m, call_far, D_MEM, 0), G(h_jmp_rm, jmp, 0, 0), G(h_jmp_far_m, jmp_far, D_MEM, 0),
               G(h_push_rm, push, 0, 0) },
    [G_8F] = { G(h_pop_rm, pop, 0, 0) },
    [G_C6] = { G(h_mov_rm_imm, mov, 0, I_BZ), [7] = G(h_xabort, xabort, 0, I_BZ) },
    [G_8C] = { G(h_mov_from_sreg, mov_sreg, 0, 0), G(h_mov_from_sreg, mov_sreg, 0, 0),
               G(h_mov_from_sreg, mov_sreg, 0, 0), G(h_mov_from_sreg, mov_sreg, 0, 0),
               G(h_mov_from_sreg, mov_sreg, 0, 0), G(h_mov_from_sreg, mov_sreg, 0, 0) },
    [G_8E] = { G(h_mov_to_sreg, mov_sreg, 0, 0), [2] = G(h_mov_to_sreg, mov_sreg, 0, 0),
               G(h_mov_to_sreg, mov_sreg, 0, 0), G(h_mov_to_sreg, mov_sreg, 0, 0),
               G(h_mov_to_sreg, mov_sreg, 0, 0) }, /* /1 (CS) and /6 /7: #UD */
    [G_0F00] = { G(h_ud, sldt, 0, 0), G(h_ud, str, 0, 0), G(h_ud, lldt, 0, 0), G(h_ud, ltr, 0, 0), G(h_ud, verr, 0, 0),
                 G(h_ud, verw, 0, 0) }, /* all #UD in real mode / VM86 */
    [G_0F01] = { G(h_sdt, sgdt, D_REGUNS, 0), G(h_sdt, sidt, D_REGUNS, 0), G(h_ldt, lgdt, D_REGUNS, 0),
                 G(h_ldt, lidt, D_REGUNS, 0), G(h_smsw, smsw, 0, 0), G(0, unknown, D_REGUNS, 0), G(h_lmsw, lmsw, 0, 0),
                 G(h_nop, invlpg, D_REGUNS, 0) },
    [G_0FBA] = { [4] = G(h_bt, bt, 0, 0), G(h_bt, bts, D_LOCK, 0), G(h_bt, btr, D_LOCK, 0), G(h_bt, btc, D_LOCK, 0) },
};

/* ======================= decoder ======================= */

struct fetcher {
    struct emu_insn *i;
    int (*read)(void *ctx, uint32_t linear, void *buf, unsigned len);
    void *ctx;
    const volatile uint8_t *p; /* the bytes in plain memory (ops->ram), or NULL: through read */
    uint32_t lin;              /* CS.base + EIP: the instruction's first byte */
    unsigned max;              /* bytes that can be fetched: up to 15, none past the CS limit */
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
        *f->fault = VECTOR_GP;
        return -1;
    }
    if (f->p) {
        b = f->p[n];
    } else {
        rc = f->read(f->ctx, f->lin + n, &b, 1);
        if (rc) {
            *f->fault = cb_vector(rc);
            return -1;
        }
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

/* emu_decode, returning the entry to execute (its merged flags, what
 * lookup() gives, in i->dflags), or NULL with *fault set. */
const struct op *decode(const struct emu_cpu *c, const struct emu_ops *ops, struct emu_insn *i, int *fault)
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
    f.p = in_ram(ops, f.lin, f.max) ? (const volatile uint8_t *)(ops->ram + f.lin) : 0;
    if (!f.read && !f.p) { /* no byte can be read: #GP (as a refused read) */
        *fault = VECTOR_GP;
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
    i->dflags = (uint8_t)flags;
    i->osz = (flags & D_BYTE) ? 1 : i->opsize32 ? 4 : 2;
    i->asz = i->addrsize32 ? 4 : 2;
    i->id = d->id;
    if (i->mod == 3 && (flags & D_REGUNS)) { /* another instruction, not emulated */
        static const struct op none = { 0, D_VALID, I_NONE, G_NONE, EMU_INSN_unknown };
        i->id = EMU_INSN_unknown;
        d = &none;
    } else if (i->twobyte && i->opcode == 0x1e && i->rep == 0xf3 && (i->modrm == 0xfb || i->modrm == 0xfa))
        i->id = i->modrm == 0xfb ? EMU_INSN_endbr32 : EMU_INSN_endbr64;
    return d;
ud:
    *fault = VECTOR_UD;
    return 0;
}

int emu_decode(const struct emu_cpu *c, const struct emu_ops *ops, struct emu_insn *i, int *fault)
{
    return decode(c, ops, i, fault) ? 0 : -1;
}

static const char *const insn_names[EMU_N_INSN] = {
#define EMU_INSN_STR(n) #n,
    EMU_INSN_NAMES(EMU_INSN_STR)
};

const char *emu_insn_id_name(unsigned id) { return insn_names[id < EMU_N_INSN ? id : EMU_INSN_unknown]; }

const char *emu_insn_name(const struct emu_insn *i)
{
    unsigned flags, imm;
    const struct op *d = lookup(i, &flags, &imm);
    if (!(flags & D_VALID) || (i->mod == 3 && (flags & D_REGUNS)))
        return "unknown";
    if (i->twobyte && i->opcode == 0x1e && i->rep == 0xf3 && (i->modrm == 0xfb || i->modrm == 0xfa))
        return i->modrm == 0xfb ? "endbr32" : "endbr64";
    return insn_names[d->id];
}
