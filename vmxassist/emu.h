/* emu.h - the real-mode x86 instruction decoder and emulator vmxassist uses.
 *
 * One copy, freestanding C (no libc), compiled for vmxassist (gcc -m32) and
 * for host tests. vmxassist calls it for every instruction that faults in
 * VM86 and, in mode=emulate, for every real-mode instruction (hence the
 * whole 8086-486 integer ISA, not only what faults).
 *
 * The emulator works on a struct emu_cpu and touches memory, ports and
 * privileged state only through struct emu_ops, so the same code runs
 * inside the guest and in tests. Addresses given to ops are linear
 * (segment base + offset, wrapped to 32 bits; the caller decides what a
 * linear address means - in vmxassist, with the guest's paging off, it is
 * guest-physical).
 */
#ifndef VMXASSIST_EMU_H
#define VMXASSIST_EMU_H
#include <stdint.h>

enum { EMU_EAX, EMU_ECX, EMU_EDX, EMU_EBX, EMU_ESP, EMU_EBP, EMU_ESI, EMU_EDI };
enum { EMU_ES, EMU_CS, EMU_SS, EMU_DS, EMU_FS, EMU_GS };

struct emu_seg {
    uint16_t sel;
    uint32_t base;  /* real mode / VM86: sel * 16 */
    uint32_t limit; /* 0xffff in real mode; larger in big real mode */
};

struct emu_cpu {
    uint32_t gpr[8]; /* EMU_EAX ... EMU_EDI */
    uint32_t eip;
    uint32_t eflags;
    struct emu_seg seg[6];       /* EMU_ES ... EMU_GS */
    uint32_t cr0, cr2, cr3, cr4; /* the guest's view */
    struct {
        uint32_t base;
        uint16_t limit;
    } gdtr, idtr;
};

/* The instruction names, stable statistics keys (docs/guest-abi.md#statistics documents them):
 * emu_insn_name() gives the string, struct emu_insn's id the index. */
/* clang-format off */
#define EMU_INSN_NAMES(X)                                                                                              \
    X(unknown) X(cli) X(sti) X(pushf) X(popf) X(int) X(int3) X(into) X(iret) X(in) X(out) X(ins) X(outs) X(hlt)        \
    X(mov_cr) X(mov_dr) X(lmsw) X(smsw) X(lgdt) X(lidt) X(sgdt) X(sidt) X(invlpg) X(clts) X(rdmsr) X(wrmsr) X(rdtsc)   \
    X(rdpmc) X(cpuid) X(invd) X(wbinvd) X(mov_sreg) X(push_sreg) X(pop_sreg) X(jmp_far) X(call_far) X(retf) X(add)    \
    X(or) X(adc) X(sbb) X(and) X(sub) X(xor) X(cmp) X(inc) X(dec) X(test) X(not) X(neg) X(mul) X(imul) X(div) X(idiv) \
    X(mov) X(lea) X(xchg) X(nop) X(endbr32) X(endbr64) X(push) X(pop) X(pusha) X(popa) X(movzx) X(movsx) X(jmp)       \
    X(jcc) X(call) X(ret) X(loop) X(loope) X(loopne) X(jcxz) X(movs) X(stos) X(lods) X(cmps) X(scas) X(clc) X(stc)     \
    X(cmc) X(cld) X(std) X(cbw) X(cwd) X(daa) X(das) X(aaa) X(aas) X(aam) X(aad) X(salc) X(xlat) X(bound) X(arpl)     \
    X(enter) X(leave) X(les) X(lds) X(lss) X(lfs) X(lgs) X(sahf) X(lahf) X(wait) X(fpu) X(int1) X(rol) X(ror) X(rcl)  \
    X(rcr) X(shl) X(sal) X(shr) X(sar) X(cmov) X(setcc) X(bt) X(bts) X(btr) X(btc) X(bsf) X(bsr) X(shld) X(shrd)      \
    X(cmpxchg) X(xadd) X(bswap) X(popcnt) X(grp9) X(grp15) X(sldt) X(str) X(lldt) X(ltr) X(verr) X(verw) X(lar)       \
    X(lsl) X(syscall) X(sysret) X(sysenter) X(sysexit) X(getsec) X(rsm) X(ud0) X(ud1) X(ud2) X(prefetch) X(sse)       \
    X(xabort)
/* clang-format on */
#define EMU_INSN_ENUM(n) EMU_INSN_##n,
enum emu_insn_id { EMU_INSN_NAMES(EMU_INSN_ENUM) EMU_N_INSN };

/* Decoded instruction (filled by emu_decode). */
struct emu_insn {
    uint8_t len;        /* total length in bytes, prefixes included */
    uint8_t opsize32;   /* operand size is 32 (0x66 prefix in 16-bit code) */
    uint8_t addrsize32; /* address size is 32 (0x67 prefix in 16-bit code) */
    int8_t seg;         /* segment override (EMU_ES..EMU_GS) or -1 */
    uint8_t rep;        /* 0, 0xf3 (REP/REPE) or 0xf2 (REPNE) */
    uint8_t lock;
    uint8_t twobyte; /* opcode was 0x0f xx */
    uint8_t opcode;  /* the (second, if twobyte) opcode byte */
    uint8_t has_modrm, modrm, mod, reg, rm;
    uint8_t has_sib, sib;
    uint8_t id;       /* enum emu_insn_id: what emu_insn_name() says */
    uint8_t dflags;   /* (the decoder's: the table flags of the instruction) */
    uint8_t osz, asz; /* operand size (1, 2, 4) and address size (2, 4) in bytes */
    uint8_t fast;     /* (emu_run's: the fast-path class, emu_fast.h; 0 none) */
    int32_t disp;
    uint32_t imm;      /* first immediate (sign- or zero-extended as the opcode says) */
    uint32_t imm2;     /* second immediate (ENTER, far pointer selector) */
                       /* (MOV AL/eAX <-> moffs, A0-A3: the offset is in disp) */
    uint8_t bytes[15]; /* the raw bytes, for reports */
};

/* What the emulator needs from its host. Every callback returns 0 on
 * success; a non-zero return from read/write makes the instruction fail
 * with EMU_FAULT (vector in *fault) without changing the CPU state.
 * (The vector is the return value when that is 12, 13, 14 or 17 - #SS, #GP,
 * #PF, #AC - and #GP for any other non-zero value. Memory written before the
 * failing access stays written. A REP string instruction that faults keeps
 * the register progress of its completed iterations, EIP staying on it, as
 * a real CPU does.) */
struct emu_ops {
    int (*read)(void *ctx, uint32_t linear, void *buf, unsigned len);
    int (*write)(void *ctx, uint32_t linear, const void *buf, unsigned len);
    uint32_t (*in)(void *ctx, uint16_t port, unsigned size);
    void (*out)(void *ctx, uint16_t port, unsigned size, uint32_t value);
    /* Privileged state. write_cr sees the new value before the CPU state
     * changes and may veto it (return non-zero: #GP); its c is the caller's
     * CPU as it was before the instruction. rdmsr/wrmsr: non-zero is #GP.
     * cpuid fills out[] = { EAX, EBX, ECX, EDX }.
     * RDTSC reads the time-stamp counter as the MSR it also is,
     * IA32_TIME_STAMP_COUNTER (10H), through rdmsr; when rdmsr is NULL or
     * refuses MSR 10H, RDTSC is EMU_UNSUPPORTED (it never faults in real mode). */
    int (*write_cr)(void *ctx, struct emu_cpu *c, unsigned cr, uint32_t value);
    int (*rdmsr)(void *ctx, uint32_t msr, uint64_t *value);
    int (*wrmsr)(void *ctx, uint32_t msr, uint64_t value);
    void (*halt)(void *ctx, struct emu_cpu *c); /* HLT, after EIP moved past it */
    void (*cpuid)(void *ctx, uint32_t leaf, uint32_t sub, uint32_t out[4]);
    /* MOV DRn (n = 0-3, 6, 7; DR4/DR5 arrive as DR6/DR7): write non-zero
     * stores value; returns DRn as it is afterwards. NULL: MOV DR is
     * EMU_UNSUPPORTED. */
    uint32_t (*mov_dr)(void *ctx, unsigned dr, int write, uint32_t value);
    void *ctx;
    /* Fast paths, all optional (zero: everything through the callbacks).
     * Linear addresses below ram_end are plain memory, read and written by
     * the emulator itself at host address ram + linear, without read/write;
     * writes that touch [wtrap_lo, wtrap_hi) still go through write. */
    uintptr_t ram;
    uint32_t ram_end;
    uint32_t wtrap_lo, wtrap_hi;
    struct emu_icache *icache;      /* emu_run's decoded-instruction cache (needs ram_end) */
    const volatile int *irq_vector; /* emu_run stops at a boundary where *irq_vector >= 0 and IF = 1 */
    uint32_t *op_counts;            /* emu_run counts each instruction in op_counts[op_map[id]] */
    const uint8_t *op_map;
};

/* emu_run's cache of decoded instructions, keyed by linear address. An
 * entry is used only while the bytes in memory are still the ones it was
 * decoded from (compared on every use), so code that modifies itself, DMA
 * into code and a guest loading new code over old need no invalidation
 * hook; an entry is also re-checked against the CS limit. */
#define EMU_ICACHE_SIZE 1024 /* 512 sets; vmxassist keeps it in E1000-EFFFF (vmxlab/handoff.h) */
struct emu_icache {
    struct emu_icache_entry {
        uint32_t lin;   /* CS.base + EIP of the instruction (len 0: empty) */
        const void *op; /* its decode-table entry */
        struct emu_insn i;
    } e[EMU_ICACHE_SIZE];                          /* two ways a set: e[2k], e[2k+1] */
    uint8_t victim[(EMU_ICACHE_SIZE / 2 + 7) / 8]; /* a bit a set: the way the next miss replaces */
};

enum emu_result {
    EMU_OK,          /* executed; CPU state updated, EIP past the instruction */
    EMU_FAULT,       /* an exception to deliver (vector in *fault); state unchanged:
                      * 0 #DE (DIV, IDIV, AAM 0), 5 #BR (BOUND), 6 #UD, 7 #NM (x87,
                      * WAIT with CR0.EM/MP/TS), 12 #SS, 13 #GP, or a read/write
                      * callback's vector (see struct emu_ops) */
    EMU_UNSUPPORTED, /* valid but not emulated: the caller reports it and the bytes */
    EMU_PE_SET,      /* a write to CR0 (MOV or LMSW) set PE: executed, the caller switches modes */
};

/* Decode the instruction at CS:EIP. Returns 0, or -1 when the bytes could
 * not be read or are not an instruction (then *fault = 6 or the read fault). */
int emu_decode(const struct emu_cpu *c, const struct emu_ops *ops, struct emu_insn *i, int *fault);

/* Decode and execute one instruction with real-mode (VM86) semantics. */
enum emu_result emu_step(struct emu_cpu *c, const struct emu_ops *ops, struct emu_insn *i, int *fault);

/* Run instructions as emu_step does, through ops->icache when there is one,
 * until one of them does not give EMU_OK (that result is returned, with the
 * instruction in r->insn and the vector in r->fault), or until a boundary
 * where: r->max instructions have completed, the instruction at linear
 * address r->stop_lin completed, an interrupt is pending (ops->irq_vector)
 * with IF set, IF changed, or HLT ran (then EMU_OK). r->done counts the
 * instructions that completed (the one with EMU_PE_SET included). */
struct emu_run {
    uint32_t max;         /* in */
    uint32_t stop_lin;    /* in: ~0u for none */
    uint32_t done;        /* out */
    uint32_t last_lin;    /* out: the linear address of the last instruction that completed */
    int fault;            /* out, with EMU_FAULT */
    struct emu_insn insn; /* out, unless EMU_OK */
};
enum emu_result emu_run(struct emu_cpu *c, const struct emu_ops *ops, struct emu_run *r);

/* Deliver software or hardware interrupt `vector` the way a real-mode CPU
 * does: push FLAGS, CS, IP on SS:SP, clear IF, TF (and AC), load CS:IP from
 * the IVT at linear vector*4. Used for INT n and for reflecting IRQs.
 * Returns 0, or the exception that prevented delivery (#SS when the stack
 * cannot take the 6 bytes; a read/write fault) with the CPU unchanged. */
int emu_real_mode_interrupt(struct emu_cpu *c, const struct emu_ops *ops, unsigned vector);

/* The linear address of the memory operand of a decoded ModRM instruction
 * (segment base + effective address, with overrides and the SS default for
 * BP/SP-based forms). Returns 0, or -1 when the operand is a register. */
int emu_effective_address(const struct emu_cpu *c, const struct emu_insn *i, uint32_t *linear);

/* Mnemonic-ish name of the decoded instruction, for statistics keys (e.g.
 * "cli", "int", "out", "mov_cr"). Stable strings: docs/guest-abi.md documents them. */
const char *emu_insn_name(const struct emu_insn *i);
/* The name of an enum emu_insn_id ("unknown" past the end). */
const char *emu_insn_id_name(unsigned id);

#endif
