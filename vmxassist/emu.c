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
 * Atomicity: an instruction executes on the caller's CPU with an undo log of
 * the registers it can change before it can still fail: EIP and EFLAGS
 * always, the eight GPRs only in the handlers that can fail after moving one
 * (log_gprs: the stack pointer of POPA, RET, IRET, ENTER..., ECX of LOOP, and
 * the CR writes, whose ops->write_cr sees the CPU from before the
 * instruction); segment registers, control registers, GDTR and IDTR
 * are only ever written after the last step that can fail (every handler
 * keeps to that), so they need no log. On EMU_FAULT (and EMU_UNSUPPORTED)
 * the log is played back and the caller's CPU is unchanged, with
 * one exception that real CPUs share: a REP string instruction that faults
 * after some iterations keeps the register progress of the iterations it
 * completed (ECX/ESI/EDI/flags), with EIP still at the instruction, so that
 * re-executing it does not repeat port I/O. Memory writes done before a fault
 * are not undone.
 *
 * Speed (mode=emulate interprets every real-mode instruction): emu_run runs
 * instructions in one loop until the caller must act (a fault, a pending
 * interrupt with IF set, IF changing, HLT, a watched address). It takes
 * decoded instructions from a small two-way cache keyed by linear address,
 * whose entries are compared with the bytes in memory on every use (so
 * self-modifying code and code written by DMA or a loader need no
 * invalidation hook), reads and writes plain memory directly (emu_ops
 * ram/ram_end; the callbacks remain for the rest and for a write-trapped
 * range), and moves REP MOVS/STOS over plain memory as whole runs.
 * Statistics go by instruction id (EMU_INSN_*), an index, not a name.
 *
 * Decoding is table driven: optab[0] (one-byte opcodes) and optab[1] (0F xx)
 * have one entry per opcode with its decode flags (ModRM, operand size,
 * immediate kind, LOCK-ability), a handler and an instruction id; group opcodes (80-83,
 * F6/F7, FE, FF, 0F 01, ...) point to an 8-entry table indexed by ModRM.reg.
 * A zero entry is an undefined opcode (#UD); a defined entry with no handler
 * is a valid instruction that is not emulated (EMU_UNSUPPORTED). Adding an
 * instruction is one table entry plus one handler.
 *
 * The instruction set is the 8086/186/286/386/486 integer set (plus CMOVcc,
 * CMPXCHG8B, hint NOPs and ENDBR) with 16- and 32-bit operand and address
 * sizes. Not emulated (EMU_UNSUPPORTED): x87 (D8-DF, unless CR0.EM or CR0.TS
 * makes it #NM), SSE/MMX, MOV DR without ops->mov_dr, RDPMC, POPCNT, PREFETCHW, XBEGIN/XABORT,
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
#include "emu_int.h"
#include "emu_fast.h"

void log_gprs(struct ex *x)
{
    for (unsigned k = 0; k < 8; k++)
        x->undo[k] = x->c->gpr[k];
    x->logged = 1;
}

void regs_restore(struct emu_cpu *c, const uint32_t *u)
{
    for (unsigned k = 0; k < 8; k++)
        c->gpr[k] = u[k];
    c->eip = u[8];
    c->eflags = u[9];
}

/* Exchange the CPU's registers with the undo log (twice: back as they were). */
void regs_swap(struct emu_cpu *c, uint32_t *u)
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

/* lin_read / lin_write through ops->read / ops->write. */
int lin_read_cb(struct ex *x, uint32_t lin, unsigned len, uint32_t *v)
{
    uint32_t b = 0;
    int rc;
    if (!x->ops->read)
        return fail(x, VECTOR_GP);
    rc = x->ops->read(x->ops->ctx, lin, &b, len);
    if (rc)
        return fail(x, cb_vector(rc));
    *v = b;
    return EMU_OK;
}

int lin_write_cb(struct ex *x, uint32_t lin, unsigned len, uint32_t v)
{
    int rc;
    if (!x->ops->write)
        return fail(x, VECTOR_GP);
    rc = x->ops->write(x->ops->ctx, lin, &v, len);
    return rc ? fail(x, cb_vector(rc)) : EMU_OK;
}

int rd_mem(struct ex *x, int seg, uint32_t off, unsigned len, uint32_t *v)
{
    uint32_t lin;
    TRY(seg_lin(x, seg, off, len, &lin));
    return lin_read(x, lin, len, v);
}

int wr_mem(struct ex *x, int seg, uint32_t off, unsigned len, uint32_t v)
{
    uint32_t lin;
    TRY(seg_lin(x, seg, off, len, &lin));
    return lin_write(x, lin, len, v);
}

/* ---- ModRM operands ---- */

/* Effective address (offset) of the ModRM memory operand and its segment:
 * the override, else DS, or SS for BP/EBP/ESP-based forms. */
uint32_t ea(const struct ex *x, int *seg)
{
    const struct emu_insn *i = x->i;
    const uint32_t *g = x->c->gpr;
    int dseg = EMU_DS;
    uint32_t off;
    if (!i->addrsize32) {
        switch (i->rm) {
        case 0: off = g[EMU_EBX] + g[EMU_ESI]; break;
        case 1: off = g[EMU_EBX] + g[EMU_EDI]; break;
        case 2:
            off = g[EMU_EBP] + g[EMU_ESI];
            dseg = EMU_SS;
            break;
        case 3:
            off = g[EMU_EBP] + g[EMU_EDI];
            dseg = EMU_SS;
            break;
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

int rd_rm_mem(struct ex *x, unsigned sz, uint32_t *v)
{
    int seg;
    uint32_t off = ea(x, &seg);
    return rd_mem(x, seg, off, sz, v);
}

int wr_rm_mem(struct ex *x, unsigned sz, uint32_t v)
{
    int seg;
    uint32_t off = ea(x, &seg);
    return wr_mem(x, seg, off, sz, v);
}
/* ---- stack (always SS:SP: real-mode stacks are 16-bit) ---- */

int push(struct ex *x, unsigned sz, uint32_t v)
{
    uint32_t sp = (x->c->gpr[EMU_ESP] - sz) & 0xffff;
    TRY(wr_mem(x, EMU_SS, sp, sz, v));
    x->c->gpr[EMU_ESP] = (x->c->gpr[EMU_ESP] & 0xffff0000u) | sp;
    return EMU_OK;
}

int pop(struct ex *x, unsigned sz, uint32_t *v)
{
    uint32_t sp = x->c->gpr[EMU_ESP] & 0xffff;
    TRY(rd_mem(x, EMU_SS, sp, sz, v));
    x->c->gpr[EMU_ESP] = (x->c->gpr[EMU_ESP] & 0xffff0000u) | ((sp + sz) & 0xffff);
    return EMU_OK;
}

/* ---- execution ---- */

/* Execute the decoded instruction i (table entry d) on the caller's CPU,
 * with the undo log; *halted: ops->halt ran. */
static enum emu_result exec(struct emu_cpu *c, const struct emu_ops *ops, const struct emu_insn *i, const struct op *d,
                            int *fault, int *halted)
{
    struct ex x;
    int r;
    if (!d->fn)
        return EMU_UNSUPPORTED;
    x.c = c;
    x.ops = ops;
    x.i = i;
    x.osz = i->osz;
    x.asz = i->asz;
    x.vec = 0;
    x.keep_regs = 0;
    x.halt = 0;
    x.logged = 0;
    x.undo[8] = c->eip;
    x.undo[9] = c->eflags;
    c->eip += i->len;

    r = d->fn(&x);
    if (r == EMU_OK || r == EMU_PE_SET) {
        if (x.halt) {
            if (ops->halt)
                ops->halt(ops->ctx, c);
            *halted = 1;
        }
        return (enum emu_result)r;
    }
    if (r == EMU_FAULT) {
        *fault = x.vec;
        if (x.keep_regs) { /* REP progress: registers advance, EIP stays on the instruction */
            c->eip = x.undo[8];
            return EMU_FAULT;
        }
    }
    if (x.logged) /* EMU_FAULT, EMU_UNSUPPORTED: the CPU as it was */
        regs_restore(c, x.undo);
    c->eip = x.undo[8];
    c->eflags = x.undo[9];
    return (enum emu_result)r;
}

enum emu_result emu_step(struct emu_cpu *c, const struct emu_ops *ops, struct emu_insn *i, int *fault)
{
    int halted = 0;
    const struct op *d = decode(c, ops, i, fault);
    return d ? exec(c, ops, i, d, fault, &halted) : EMU_FAULT;
}

/* A cache entry still describes the instruction at CS:EIP (linear lin, in
 * plain memory with 16 bytes to spare): all its bytes lie within the CS
 * limit and memory still holds them. */
HOT int entry_valid(const struct emu_icache_entry *e, uint32_t lin, uint32_t eip, uint32_t limit, const uint8_t *p)
{
    static const uint32_t first[4] = { 0, 0xff, 0xffff, 0xffffff }; /* the bytes of a short instruction */
    unsigned len = e->i.len, k;
    uint32_t a, b;
    if (e->lin != lin || eip > limit || limit - eip < len - 1u)
        return 0;
    __builtin_memcpy(&a, p, 4); /* the first four bytes at once (x86 loads need no alignment) */
    __builtin_memcpy(&b, e->i.bytes, 4);
    if ((a ^ b) & (len >= 4 ? ~0u : first[len]))
        return 0;
    for (k = 4; k < len; k++)
        if (p[k] != e->i.bytes[k])
            return 0;
    return 1;
}

enum emu_result emu_run(struct emu_cpu *c, const struct emu_ops *ops, struct emu_run *r)
{
    struct emu_icache *ic = ops->icache;
    /* instructions starting below cache_end are cached (their 15 bytes are plain memory) */
    uint32_t if0 = c->eflags & FL_IF, cache_end = ic && ops->ram_end > 16 ? ops->ram_end - 16 : 0;
    uint32_t left = r->max, stop_lin = r->stop_lin, *counts = ops->op_counts, done = 0, last = r->last_lin;
    const volatile int *irq = if0 ? ops->irq_vector : 0; /* (with IF clear, an IF change stops first) */
    enum emu_result res;
    const struct emu_insn *i;
    struct ex x;
    x.c = c;
    x.ops = ops;
    for (;;) {
        uint32_t eip = c->eip, lin = c->seg[EMU_CS].base + eip;
        struct emu_icache_entry *e = 0;
        const struct op *d;
        if (lin < cache_end) {
            /* two ways a set; a miss replaces the way the set's last miss did not */
            unsigned set = ((lin >> 1) ^ (lin >> 10)) % (EMU_ICACHE_SIZE / 2);
            const uint8_t *p = (const uint8_t *)(ops->ram + lin);
            e = &ic->e[2 * set];
            if (entry_valid(e, lin, eip, c->seg[EMU_CS].limit, p) ||
                entry_valid(++e, lin, eip, c->seg[EMU_CS].limit, p)) {
                i = &e->i;
                d = e->op;
                goto execute;
            }
            ic->victim[set / 8] ^= (uint8_t)(1u << (set % 8));
            e = &ic->e[2 * set + ((ic->victim[set / 8] >> (set % 8)) & 1)];
        }
        {
            struct emu_insn *t = e ? &e->i : &r->insn;
            if (e)
                e->lin = ~0u; /* empty until decoded */
            d = decode(c, ops, t, &r->fault);
            if (!d) {
                res = EMU_FAULT;
                i = t;
                goto out;
            }
            t->fast = fast_class(t, d);
            if (e) {
                e->lin = lin;
                e->op = d;
            }
            i = t;
        }
    execute:
        if (i->fast) { /* cannot fault, leaves IF alone, no undo log */
            fast_exec(c, i);
            c->eip = eip + i->len;
            done++;
            last = lin;
            if (counts)
                counts[ops->op_map[i->id]]++;
            if (--left == 0 || lin == stop_lin || (irq && *irq >= 0))
                break;
            continue;
        }
        if (!d->fn) {
            res = EMU_UNSUPPORTED;
            goto out;
        }
        x.i = i;
        x.osz = i->osz;
        x.asz = i->asz;
        x.keep_regs = 0;
        x.halt = 0;
        x.logged = 0;
        x.undo[8] = eip;
        x.undo[9] = c->eflags;
        c->eip = eip + i->len;
        res = (enum emu_result)d->fn(&x);
        if (res != EMU_OK && res != EMU_PE_SET) { /* the CPU as it was (REP: with its progress) */
            if (res == EMU_FAULT)
                r->fault = x.vec;
            if (!(res == EMU_FAULT && x.keep_regs)) {
                if (x.logged)
                    regs_restore(c, x.undo);
                c->eflags = x.undo[9];
            }
            c->eip = eip;
            goto out;
        }
        done++;
        last = lin;
        if (counts)
            counts[ops->op_map[i->id]]++;
        if (res != EMU_OK)
            goto out;
        if (x.halt) {
            r->done = done;
            r->last_lin = last;
            if (ops->halt)
                ops->halt(ops->ctx, c);
            return EMU_OK;
        }
        if (--left == 0 || lin == stop_lin || ((c->eflags ^ if0) & FL_IF) || (irq && *irq >= 0))
            break;
    }
    r->done = done;
    r->last_lin = last;
    return EMU_OK;
out:
    r->done = done;
    r->last_lin = last;
    if (i != &r->insn)
        r->insn = *i;
    return res;
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
