/* pmswitch.c - real mode -> protected mode: from the write that sets CR0.PE
 * to the far transfer that loads a protected-mode CS.
 *
 * The SDM asks for a far jump right after setting PE; real code does more:
 * it runs other instructions first, loads segment registers, or pops data
 * from the stack in the new mode (docs/history.md). vmxassist single-steps the window in VM86 (EFLAGS.TF, one #DB
 * per instruction) and looks at each next instruction first:
 *   - MOV Sreg / POP Sreg: executed by the emulator; the selector is then
 *     looked up in the guest's GDT and kept for the protected-mode context;
 *   - JMP far, CALL far, RETF, IRET: the end of the window - the target CS
 *     is looked up, the context built, and the hv asked to restore it;
 *   - anything else runs natively in VM86, where the hidden segment bases
 *     are still the real-mode ones, exactly as on a real CPU - unless a
 *     segment register already holds a protected-mode descriptor: then the
 *     emulator runs the instruction with that descriptor's base and limit,
 *     as the CPU would (a VM86 selector cannot express them);
 *   - a MOV CR0 that clears PE again before any far transfer (HIMEM-style
 *     code and kvm-unit-tests' realmode.c enter big real mode this way):
 *     the CPU never left real mode. CS is unchanged; each segment loaded in
 *     the window keeps its selector and the base and limit of its
 *     descriptor, the guest goes on in real mode with them.
 * The common switch - MOV CR0, r32 then JMP ptr16:16/32 - costs no decode
 * at all (pe_window_start, far_jump_fast_path): it is the path every boot
 * loader and BIOS block move takes, thousands of times per boot.
 */
#include "monitor.h"
#include "vmxlab/guest.h"
#include "x86/cr.h"
#include "x86/segment.h"

#define WINDOW_MAX_STEPS 100000

static int active;
static unsigned steps;
static struct {
    int loaded;
    struct vmxlab_seg s;
} pm_seg[6];

int pe_window_active(void) { return active; }

void pe_window_enter(void)
{
    active = 1;
    steps = 0;
    for (unsigned s = 0; s < 6; s++)
        pm_seg[s].loaded = 0;
}

/* The switch's own first instruction, MOV CR0, r32 (0F 22 /r with mod 3
 * and CR0) setting PE from real mode with PG clear, taken straight from its
 * #GP in VM86: the new CR0 is the register, nothing else changes. Any other
 * form, a prefix, a value the SDM faults on (NW without CD) or paging
 * turned on with it go to the emulator, as in mode=emulate. Returns 1 when
 * the window has started. */
int pe_window_start(struct trap_frame *f)
{
    uint16_t ip = (uint16_t)f->eip;
    if (handoff->mode == VMXLAB_MODE_EMULATE || ip > 0xfffc || (guest_cr[0] & CR0_PE))
        return 0;
    const uint8_t *p = (const uint8_t *)((f->cs << 4) + ip);
    if (p[0] != 0x0f || p[1] != 0x22 || (p[2] & 0xf8) != 0xc0)
        return 0;
    const uint32_t gpr[8] = { f->eax, f->ecx, f->edx, f->ebx, f->esp, f->ebp, f->esi, f->edi };
    uint32_t v = gpr[p[2] & 7];
    if (!(v & CR0_PE) || (v & CR0_PG) || ((v & CR0_NW) && !(v & CR0_CD)))
        return 0;
    guest_cr[0] = v;
    f->eip = (uint16_t)(ip + 3);
    assist_stats.emulated++;
    assist_stats.op[VMXLAB_OP_mov_cr]++;
    pe_window_enter();
    return 1;
}

/* The descriptor for `sel` in the guest's GDT, in VMX form. */
static struct vmxlab_seg descriptor(uint16_t sel, int is_cs)
{
    struct vmxlab_seg s = { sel, 0, 0, 0, VMX_AR_UNUSABLE };
    if ((sel & ~3u) == 0) {
        if (is_cs)
            assist_fatal("far jump to the null selector after setting CR0.PE");
        return s;
    }
    if (sel & 4)
        assist_fatal("selector 0x%x is in an LDT: not supported while entering protected mode", sel);
    if ((uint32_t)(sel | 7) > guest_gdtr.limit)
        assist_fatal("selector 0x%x is beyond the GDT limit 0x%x", sel, guest_gdtr.limit);
    const uint32_t *d = (const uint32_t *)(guest_gdtr.base + (sel & ~7u));
    uint32_t lo = d[0], hi = d[1];
    s.base = (lo >> 16) | ((hi & 0xff) << 16) | (hi & 0xff000000);
    s.limit = (lo & 0xffff) | (hi & 0xf0000);
    if (hi & (VMX_AR_G << 8)) /* G (descriptor bit 55): 4 KiB granularity */
        s.limit = (s.limit << 12) | 0xfff;
    s.ar = SEG_DESC_HI_AR(hi) | SEG_TYPE_ACCESSED; /* the CPU sets "accessed" on a load */
    if (!(s.ar & VMX_AR_P))
        assist_fatal("selector 0x%x is not present in the GDT", sel);
    return s;
}

/* A segment the window never reloaded keeps its real-mode hidden part,
 * limit included: a segment left big by earlier big-real-mode code stays
 * big in protected mode and after it (rombios's INT 15h AH=87h reloads only
 * DS and ES; a DOS program's FS kept its 4 GiB limit across the call on a
 * real CPU, and lost it here - rm_xms_driver_pattern). VMX wants G=1 for a
 * limit above 1 MiB (its low 12 bits are then all ones, as big real mode's
 * are). */
static struct vmxlab_seg real_mode_seg(uint16_t sel, unsigned idx)
{
    uint32_t limit = seg_limit[idx] > 0xffff ? seg_limit[idx] : 0xffff;
    uint32_t g = 0;
    if (limit > 0xfffff) {
        limit |= 0xfff;
        g = VMX_AR_G;
    }
    if (idx == VMXLAB_SEG_SS)
        sel &= ~3u; /* VMX wants SS.RPL = CS.RPL (0) */
    uint32_t ar = VMX_AR_P | VMX_AR_S | SEG_TYPE_DATA_RW_A | VMX_AR_DPL(sel & 3u) | g;
    return (struct vmxlab_seg){ sel, 0, (uint32_t)sel << 4, limit, ar };
}

/* The end of the window: the protected-mode context, written in place in
 * the handoff block (every field), from the VM86 frame `f` as it stands
 * after the far transfer's stack work, and the hv asked to load it. */
static __attribute__((noreturn)) void finish(const struct trap_frame *f, uint16_t cs, uint32_t eip)
{
    struct vmxlab_context *x = &handoff->ctx;
    const uint16_t sel[6] = { (uint16_t)f->es, (uint16_t)f->cs, (uint16_t)f->ss,
                              (uint16_t)f->ds, (uint16_t)f->fs, (uint16_t)f->gs };
    x->gpr[EMU_EAX] = f->eax;
    x->gpr[EMU_ECX] = f->ecx;
    x->gpr[EMU_EDX] = f->edx;
    x->gpr[EMU_EBX] = f->ebx;
    x->gpr[EMU_ESP] = f->esp;
    x->gpr[EMU_EBP] = f->ebp;
    x->gpr[EMU_ESI] = f->esi;
    x->gpr[EMU_EDI] = f->edi;
    x->eip = eip;
    x->eflags = (f->eflags & ~(RFLAGS_VM | RFLAGS_TF | RFLAGS_IOPL)) | 2;
    x->cr0 = guest_cr[0];
    x->cr3 = guest_cr[3];
    x->cr4 = guest_cr[4];
    x->gdtr_base = guest_gdtr.base;
    x->gdtr_limit = guest_gdtr.limit;
    x->idtr_base = guest_idtr.base;
    x->idtr_limit = guest_idtr.limit;
    for (unsigned s = 0; s < 6; s++)
        x->seg[s] = pm_seg[s].loaded ? pm_seg[s].s : real_mode_seg(sel[s], s);
    x->seg[VMXLAB_SEG_CS] = descriptor(cs, 1);
    /* a busy TSS placeholder until the guest loads TR */
    x->tr = (struct vmxlab_seg){ 0, 0, 0, 0xff, VMX_AR_P | SEG_TYPE_TSS32_BUSY };
    x->ldtr = (struct vmxlab_seg){ 0, 0, 0, 0, VMX_AR_UNUSABLE };
    active = 0;
    pic_use_guest_bases();
    int32_t r = vmcall(VMCALL_ASSIST_RESTORE, (uint32_t)x, 0);
    assist_fatal("the hv refused the protected-mode context (error %d) for %04x:%08x", r, cs, eip);
}

/* The usual end of the window, JMP ptr16:16 (EA) or JMP ptr16:32 (66 EA)
 * at the window's next instruction, read straight from the code without a
 * decode: nothing in the window reloads CS, so CS:IP is the real-mode one.
 * Returns only when the next instruction is something else. */
static void far_jump_fast_path(const struct trap_frame *f)
{
    uint16_t ip = (uint16_t)f->eip;
    if (ip > 0xfff8)
        return; /* the instruction would wrap around the segment: leave it to the decoder */
    const uint8_t *p = (const uint8_t *)((f->cs << 4) + ip);
    if (p[0] == 0xea) {
        assist_stats.op[VMXLAB_OP_jmp_far]++;
        finish(f, *(const uint16_t *)(p + 3), *(const uint16_t *)(p + 1));
    }
    if (p[0] == 0x66 && p[1] == 0xea) {
        assist_stats.op[VMXLAB_OP_jmp_far]++;
        finish(f, *(const uint16_t *)(p + 6), *(const uint32_t *)(p + 2));
    }
}

/* Pop `size` bytes from the VM86 stack (real-mode SS). */
static uint32_t pop(struct emu_cpu *c, unsigned size)
{
    uint32_t v = 0;
    uint16_t sp = (uint16_t)c->gpr[EMU_ESP];
    ops.read(ops.ctx, c->seg[EMU_SS].base + sp, &v, size);
    c->gpr[EMU_ESP] = (c->gpr[EMU_ESP] & 0xffff0000u) | (uint16_t)(sp + size);
    return v;
}

static void push(struct emu_cpu *c, unsigned size, uint32_t v)
{
    uint16_t sp = (uint16_t)(c->gpr[EMU_ESP] - size);
    ops.write(ops.ctx, c->seg[EMU_SS].base + sp, &v, size);
    c->gpr[EMU_ESP] = (c->gpr[EMU_ESP] & 0xffff0000u) | sp;
}

/* PE was cleared before a far transfer: back in real mode with whatever
 * hidden segment state the window loaded (SDM 10.9.2: the segment
 * registers keep their descriptor caches until reloaded). A real-mode
 * segment load later replaces selector and base only, so the limits stay. */
static void window_abort(struct emu_cpu *c)
{
    active = 0;
    c->eflags &= ~RFLAGS_TF;
    for (unsigned s = 0; s < 6; s++) {
        if (!pm_seg[s].loaded)
            continue;
        const struct vmxlab_seg *d = &pm_seg[s].s;
        int usable = !(d->ar & VMX_AR_UNUSABLE); /* a null selector leaves base 0 */
        uint32_t limit = usable && d->limit > 0xffff ? d->limit : 0xffff;
        c->seg[s].base = usable ? d->base : 0;
        c->seg[s].limit = limit;
        seg_limit[s] = limit;
        if (limit > 0xffff)
            assist_stats.big_real++;
    }
}

int pe_window_continue(struct trap_frame *f, struct emu_cpu *rm)
{
    for (;;) {
        struct emu_cpu c;
        struct emu_insn i;
        int fault = 0;
        if (!(guest_cr[0] & CR0_PE)) { /* the instruction just run cleared PE again */
            frame_to_cpu(f, &c);
            window_abort(&c);
            *rm = c;
            return 1;
        }
        far_jump_fast_path(f);
        frame_to_cpu(f, &c);
        int pm_loaded = 0;
        for (unsigned s = 0; s < 6; s++)
            if (pm_seg[s].loaded) { /* the hidden part the CPU would be using now */
                c.seg[s].base = pm_seg[s].s.base;
                c.seg[s].limit = pm_seg[s].s.limit;
                pm_loaded = 1;
            }
        if (++steps > WINDOW_MAX_STEPS)
            assist_fatal("no far jump within %u instructions after CR0.PE was set (at %04x:%04x)", WINDOW_MAX_STEPS,
                         f->cs, f->eip);
        if (emu_decode(&c, &ops, &i, &fault))
            assist_fatal("undecodable instruction at %04x:%04x after CR0.PE was set", f->cs, f->eip);
        unsigned op = i.opcode, osz = i.opsize32 ? 4 : 2;
        int sreg_load = (!i.twobyte && (op == 0x8e || op == 0x07 || op == 0x17 || op == 0x1f)) ||
                        (i.twobyte && (op == 0xa1 || op == 0xa9));
        if (sreg_load) { /* MOV Sreg / POP Sreg: selector from the emulator, descriptor from the GDT */
            if (emu_step(&c, &ops, &i, &fault) != EMU_OK)
                assist_fatal("segment load at %04x:%04x failed after CR0.PE was set", f->cs, f->eip);
            unsigned s = !i.twobyte ? (op == 0x8e ? i.reg : op >> 3) : (op == 0xa1 ? EMU_FS : EMU_GS);
            pm_seg[s].loaded = 1;
            pm_seg[s].s = descriptor(c.seg[s].sel, 0);
            assist_stats.op[s == EMU_CS ? VMXLAB_OP_other : (op == 0x8e ? VMXLAB_OP_mov_sreg : VMXLAB_OP_pop_sreg)]++;
            assist_stats.emulated++;
            cpu_to_frame(&c, f);
            continue;
        }
        c.eip += i.len;
        if (!i.twobyte && op == 0xea) { /* JMP ptr16:16/32 */
            assist_stats.op[VMXLAB_OP_jmp_far]++;
            cpu_to_frame(&c, f);
            finish(f, (uint16_t)i.imm2, osz == 4 ? i.imm : (uint16_t)i.imm);
        }
        if (!i.twobyte && op == 0x9a) { /* CALL ptr16:16/32: the return address goes on the old stack */
            assist_stats.op[VMXLAB_OP_call_far]++;
            push(&c, osz, c.seg[EMU_CS].sel);
            push(&c, osz, c.eip);
            cpu_to_frame(&c, f);
            finish(f, (uint16_t)i.imm2, osz == 4 ? i.imm : (uint16_t)i.imm);
        }
        if (!i.twobyte && (op == 0xcb || op == 0xca || op == 0xcf)) { /* RETF [imm16], IRET */
            uint32_t eip = pop(&c, osz), cs = pop(&c, osz);
            if (op == 0xcf)
                c.eflags = (c.eflags & ~0xffffu & ~(osz == 4 ? 0x3f0000u : 0)) |
                           (pop(&c, osz) & (osz == 4 ? 0x3fffffu : 0xffffu));
            if (op == 0xca)
                c.gpr[EMU_ESP] = (c.gpr[EMU_ESP] & 0xffff0000u) | (uint16_t)(c.gpr[EMU_ESP] + i.imm);
            assist_stats.op[op == 0xcf ? VMXLAB_OP_iret : VMXLAB_OP_retf]++;
            cpu_to_frame(&c, f);
            finish(f, (uint16_t)cs, osz == 4 ? eip : (uint16_t)eip);
        }
        if (!i.twobyte && op == 0xff && (i.reg == 5 || i.reg == 3)) { /* JMP/CALL m16:16/32 */
            uint32_t lin, off = 0, sel = 0;
            if (i.mod == 3 || emu_effective_address(&c, &i, &lin))
                assist_fatal("bad far pointer operand at %04x:%04x after CR0.PE was set", f->cs, f->eip);
            ops.read(ops.ctx, lin, &off, osz);
            ops.read(ops.ctx, lin + osz, &sel, 2);
            if (i.reg == 3) {
                push(&c, osz, c.seg[EMU_CS].sel);
                push(&c, osz, c.eip);
            }
            assist_stats.op[i.reg == 5 ? VMXLAB_OP_jmp_far : VMXLAB_OP_call_far]++;
            cpu_to_frame(&c, f);
            finish(f, (uint16_t)sel, off);
        }
        c.eip -= i.len;
        if (pm_loaded || handoff->mode == VMXLAB_MODE_EMULATE) {
            /* an ordinary instruction, but with protected-mode segments (or in
             * mode=emulate, where nothing runs natively if it can be helped) */
            enum emu_result r = emu_step(&c, &ops, &i, &fault);
            if (r == EMU_OK) {
                assist_stats.emulated++;
                cpu_to_frame(&c, f);
                continue;
            }
            if (r != EMU_UNSUPPORTED)
                assist_fatal("instruction at %04x:%04x faulted (vector %d) between setting CR0.PE and the far jump",
                             f->cs, f->eip, fault);
            /* not emulated: run it natively and hope it does not use those segments */
        }
        /* an ordinary instruction: let the CPU run it, then look again */
        assist_stats.stepped++;
        f->eflags |= RFLAGS_TF;
        return 0;
    }
}
