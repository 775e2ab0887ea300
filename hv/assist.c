/* assist.c - the hv's half of the world switch with vmxassist.
 *
 * Without unrestricted guest a VMX guest cannot run with CR0.PE=0. When the
 * guest clears PE, the hv saves its protected-mode context in the handoff
 * block and starts vmxassist ("invoke"), which runs the real-mode code in
 * VM86. When that code sets PE and far-jumps, vmxassist writes the new
 * protected-mode context and asks the hv to load it ("restore"). */
#include "hv.h"
#include "console.h"
#include "string.h"
#include "vmxlab/handoff.h"
#include "vmxlab/vmcall.h"
#include "x86/asm.h"
#include "x86/cr.h"
#include "x86/msr.h"

/* In the hv pages behind the firmware slot (guest_ram), so it never moves. */
struct vmxlab_handoff *handoff(void)
{
    static struct vmxlab_handoff *h;
    if (!h)
        h = guest_ram(VMXLAB_HANDOFF_ADDR, sizeof(struct vmxlab_handoff));
    return h;
}

/* One entry of the guest's memory map; an empty range or a full map adds none. */
static void add_e820(struct vmxlab_handoff *h, uint64_t base, uint64_t end, uint32_t type)
{
    if (end > base && h->n_e820 < sizeof h->e820 / sizeof h->e820[0])
        h->e820[h->n_e820++] = (struct vmxlab_e820){ base, end - base, type };
}

/* RAM [b, e) with the RAM disks in it as reserved (type 2) holes; the disks
 * are sorted by base and lie inside guest RAM (find_ramdisks). */
static void add_ram_around_ramdisks(struct vmxlab_handoff *h, uint64_t b, uint64_t e)
{
    for (unsigned i = 0; i < hv.n_ramdisks; i++) {
        uint64_t rb = hv.ramdisk[i].base, re = rb + hv.ramdisk[i].size;
        if (re <= b || rb >= e)
            continue;
        add_e820(h, b, rb, 1);
        add_e820(h, rb > b ? rb : b, re < e ? re : e, 2);
        b = re;
    }
    add_e820(h, b, e, 1);
}

/* The hv's part of the handoff block, with the guest's memory map: RAM up
 * to guest_ram_top without the legacy holes and the RAM disks, the machine's
 * ACPI power-off and its legacy devices. */
void handoff_init(void)
{
    struct vmxlab_handoff *h = handoff();
    memset(h, 0, sizeof *h);
    h->magic = VMXLAB_HANDOFF_MAGIC;
    h->version = VMXLAB_HANDOFF_VERSION;
    h->size = sizeof *h;
    h->mode = hv.opt.mode == MODE_UG        ? VMXLAB_MODE_UG
              : hv.opt.mode == MODE_EMULATE ? VMXLAB_MODE_EMULATE
                                            : VMXLAB_MODE_ASSIST;
    h->flags = hv.opt.trace ? VMXLAB_FLAG_TRACE : 0;
    h->boot_device = hv.opt.boot;
    h->firmware = hv.opt.firmware == FIRMWARE_BOCHS ? VMXLAB_FIRMWARE_BOCHS : VMXLAB_FIRMWARE_OWN;
    h->n_ramdisks = hv.n_ramdisks;
    memcpy(h->ramdisk, hv.ramdisk, sizeof h->ramdisk);
    h->ram_top = (uint32_t)hv.guest_ram_top;
    add_e820(h, 0, 0x9fc00, 1);
    add_e820(h, 0x9fc00, 0xa0000, 2);  /* EBDA */
    add_e820(h, 0xe0000, 0x100000, 2); /* handoff, BIOS */
    for (unsigned i = 0; i < hv.boot.n_ram; i++) {
        uint64_t b = hv.boot.ram[i].base, e = b + hv.boot.ram[i].len;
        if (b < 0x100000)
            b = 0x100000;
        if (e > hv.guest_ram_top)
            e = hv.guest_ram_top;
        add_ram_around_ramdisks(h, b, e);
    }
    add_e820(h, hv.guest_ram_top, hv.phys_end, 2); /* the hv and its guest-visible pages */
    /* What the hv found of the machine, here so that a restart (reset.c) hands
     * the firmware the same block as the first boot. */
    acpi_handoff(h);
    legacy_handoff(h);
}

/* A segment register's four VMCS fields; segment i's are 2 encodings after
 * segment i-1's (ES, CS, SS, DS, FS, GS, LDTR, TR: SDM B.1.2, B.2.3, B.3.3). */
static inline __attribute__((always_inline)) void save_seg(struct vmxlab_seg *s, unsigned i)
{
    s->sel = (uint16_t)vmcs_read(GUEST_ES_SELECTOR + 2 * i);
    s->base = (uint32_t)vmcs_read(GUEST_ES_BASE + 2 * i);
    s->limit = (uint32_t)vmcs_read(GUEST_ES_LIMIT + 2 * i);
    s->ar = (uint32_t)vmcs_read(GUEST_ES_AR_BYTES + 2 * i);
}

static inline __attribute__((always_inline)) void load_seg(const struct vmxlab_seg *s, unsigned i)
{
    vmcs_write(GUEST_ES_SELECTOR + 2 * i, s->sel);
    vmcs_write(GUEST_ES_BASE + 2 * i, s->base);
    vmcs_write(GUEST_ES_LIMIT + 2 * i, s->limit);
    vmcs_write(GUEST_ES_AR_BYTES + 2 * i, s->ar);
}
#define SEG_LDTR 6
#define SEG_TR 7

static void trace_switch(const char *dir, uint32_t cs, uint64_t ip)
{
    if (hv.opt.trace)
        printk("vmxlab-trace %s cs:ip=%04x:%08llx tick=%llu\n", dir, cs, (unsigned long long)ip,
               (unsigned long long)(rdtsc() - hv.vcpu.launch_tsc));
}

/* Called with RIP already past the MOV CR0 / LMSW that cleared PE. */
void assist_invoke(struct vcpu *v, const struct guest_regs *r, uint64_t new_cr0)
{
    struct vmxlab_handoff *h = handoff();
    if (!h || h->magic != VMXLAB_HANDOFF_MAGIC || !h->assist_invoke) {
        dump_guest_state(v, r, "CR0.PE cleared without vmxassist");
        hv_fatal(VMXLAB_STATUS_GUEST_CRASH, "guest cleared CR0.PE, but vmxassist is not running (real mode "
                                            "without unrestricted guest needs the vmxloader guest, or mode=ug)");
    }
    /* vmxassist's entry, stack and tables, as it set them up at boot: the
     * handoff block sits in guest-writable memory, and a guest that wrote
     * over it would have the CPU take its next trap on a stack or TSS from
     * anywhere. Kept from the first invoke; a change is the guest's doing. */
    static struct {
        uint32_t invoke, stack, gdt, idt, tss;
    } first;
    if (!first.invoke)
        first = (typeof(first)){ h->assist_invoke, h->assist_stack, h->assist_gdt, h->assist_idt, h->assist_tss };
    if (h->assist_invoke != first.invoke || h->assist_stack != first.stack || h->assist_gdt != first.gdt ||
        h->assist_idt != first.idt || h->assist_tss != first.tss) {
        dump_guest_state(v, r, "vmxassist's entries in the handoff block were overwritten");
        hv_fatal(VMXLAB_STATUS_GUEST_CRASH,
                 "the guest overwrote vmxassist's entries in the handoff block at 0x%x "
                 "(invoke 0x%x stack 0x%x tss 0x%x): real-mode code wrote into memory the "
                 "E820 map reserves",
                 VMXLAB_HANDOFF_ADDR, h->assist_invoke, h->assist_stack, h->assist_tss);
    }
    /* LAB 3: BEGIN exercise 1 (enter vmxassist) */
    struct vmxlab_context *c = &h->ctx;
    vcpu_sync_cr3(v);
    for (unsigned i = 0; i < 8; i++)
        c->gpr[i] = i == R_SP ? (uint32_t)vmcs_readl(GUEST_RSP) : (uint32_t)r->gpr[i];
    c->eip = (uint32_t)vmcs_readl(GUEST_RIP);
    c->eflags = (uint32_t)vmcs_readl(GUEST_RFLAGS);
    c->cr0 = (uint32_t)new_cr0;
    c->cr3 = (uint32_t)v->cr3;
    c->cr4 = (uint32_t)v->cr4;
    c->gdtr_base = (uint32_t)vmcs_readl(GUEST_GDTR_BASE);
    c->gdtr_limit = vmcs_read32(GUEST_GDTR_LIMIT);
    c->idtr_base = (uint32_t)vmcs_readl(GUEST_IDTR_BASE);
    c->idtr_limit = vmcs_read32(GUEST_IDTR_LIMIT);
    for (unsigned i = 0; i < 6; i++)
        save_seg(&c->seg[i], i);
    save_seg(&c->ldtr, SEG_LDTR);
    save_seg(&c->tr, SEG_TR);
    v->to_real++;
    trace_switch("to_real", c->seg[VMXLAB_SEG_CS].sel, c->eip);

    /* vmxassist's own world: flat 32-bit ring 0, its GDT, IDT and TSS. The
     * hv loads what the CPU needs to reach vmxassist's entry - CS, SS, TR,
     * the descriptor tables, RIP, RSP, RFLAGS - and leaves the guest's DS,
     * ES, FS, GS and LDTR in place: they were valid guest state at this
     * exit, and the entry (assist_invoke_entry) loads its own data segments
     * before it touches memory; an IRET to VM86 replaces them all. */
    static const struct vmxlab_seg code = { VMXLAB_ASSIST_CS, 0, 0, 0xffffffff,
                                            VMX_AR_G | VMX_AR_DB | VMX_AR_P | VMX_AR_S | SEG_TYPE_CODE_RX_A };
    static const struct vmxlab_seg data = { VMXLAB_ASSIST_DS, 0, 0, 0xffffffff,
                                            VMX_AR_G | VMX_AR_DB | VMX_AR_P | VMX_AR_S | SEG_TYPE_DATA_RW_A };
    struct vmxlab_seg tr = { VMXLAB_ASSIST_TR, 0, h->assist_tss, h->assist_tss_limit, VMX_AR_P | SEG_TYPE_TSS32_BUSY };
    load_seg(&code, VMXLAB_SEG_CS);
    load_seg(&data, VMXLAB_SEG_SS);
    load_seg(&tr, SEG_TR);
    vmcs_writel(GUEST_GDTR_BASE, h->assist_gdt);
    vmcs_write32(GUEST_GDTR_LIMIT, h->assist_gdt_limit);
    vmcs_writel(GUEST_IDTR_BASE, h->assist_idt);
    vmcs_write32(GUEST_IDTR_LIMIT, h->assist_idt_limit);
    vmcs_writel(GUEST_RIP, h->assist_invoke);
    vmcs_writel(GUEST_RSP, h->assist_stack);
    vmcs_writel(GUEST_RFLAGS, RFLAGS_FIXED);
    vmcs_write32(GUEST_INTERRUPTIBILITY_INFO, 0);
    v->cr0 = new_cr0;
    v->real_mode = 1;
    vcpu_update_paging(v);
    /* LAB 3: STUB (void)new_cr0; */
    /* LAB 3: STUB (void)save_seg; */
    /* LAB 3: STUB (void)load_seg; */
    /* LAB 3: STUB (void)trace_switch; */
    /* LAB 3: END */
}

static const char seg_names[8][5] = { "es", "cs", "ss", "ds", "fs", "gs", "ldtr", "tr" }; /* VMCS order */

/* The SDM's VM-entry checks on guest state (26.3.1) that apply to the
 * context of a restore: 32-bit protected mode, not VM86, not IA-32e, no
 * unrestricted guest. vmxassist runs inside the guest, whose CPL-0 code can
 * write the context (SECURITY.md): the hv checks what it loads, so that a
 * forged one ends the run with the field named instead of a failed VM entry.
 * Returns why the segment is refused (field in *field, value in *val), or 0. */
static __attribute__((cold)) const char *seg_bad(const struct vmxlab_context *c, unsigned i, const char **field,
                                                 uint32_t *val)
{
    const struct vmxlab_seg *s = i == SEG_TR ? &c->tr : i == SEG_LDTR ? &c->ldtr : &c->seg[i];
    uint32_t ar = s->ar, type = VMX_AR_TYPE(ar), dpl = VMX_AR_DPL_OF(ar), rpl = s->sel & 3;
    const struct vmxlab_seg *ss = &c->seg[VMXLAB_SEG_SS];
    *field = "ar";
    *val = ar;
    if (ar & VMX_AR_UNUSABLE)
        return i == VMXLAB_SEG_CS || i == SEG_TR ? "unusable" : 0;
    if (ar & VMX_AR_RESERVED)
        return "reserved bits (11:8, 31:17) set";
    if (!(ar & VMX_AR_P))
        return "not present";
    *field = "limit";
    *val = s->limit;
    if ((ar & VMX_AR_G) && (s->limit & 0xfff) != 0xfff)
        return "G=1 with bits 11:0 not all ones";
    if (!(ar & VMX_AR_G) && (s->limit >> 20))
        return "over 1 MiB with G=0";
    *field = "sel";
    *val = s->sel;
    if (i >= SEG_LDTR && (s->sel & 4))
        return "TI set: not in the GDT";
    if (i == VMXLAB_SEG_CS && rpl != (ss->sel & 3u))
        return "RPL differs from SS's";
    *field = "ar";
    *val = ar;
    if (i >= SEG_LDTR) {
        if (ar & VMX_AR_S)
            return "not a system segment";
        if (i == SEG_TR ? type != 11 && type != 3 : type != 2)
            return i == SEG_TR ? "type is not a busy TSS (3, 11)" : "type is not an LDT (2)";
        return 0;
    }
    if (!(ar & VMX_AR_S))
        return "a system segment";
    if (i == VMXLAB_SEG_CS) {
        if ((type & 9) != 9)
            return "type is not accessed code (9, 11, 13, 15)";
        if (type & 4 ? dpl > VMX_AR_DPL_OF(ss->ar) : dpl != VMX_AR_DPL_OF(ss->ar))
            return "DPL does not fit SS.DPL";
        return 0;
    }
    if (i == VMXLAB_SEG_SS)
        return type != 3 && type != 7 ? "type is not accessed read/write data (3, 7)"
               : dpl != rpl           ? "DPL differs from the selector's RPL"
                                      : 0;
    if (!(type & 1))
        return "type is not accessed";
    if ((type & 10) == 8)
        return "code that is not readable";
    if (type < 12 && dpl < rpl)
        return "DPL below the selector's RPL";
    return 0;
}

void assist_check_restore(const struct vcpu *v, uint64_t gpa)
{
    const struct vmxlab_context *c = guest_ram(gpa, sizeof *c);
    if (!c || !v->real_mode || v->ug)
        return; /* refused with -EINVAL (assist_restore) */
    const char *why = 0, *name = "", *field = "";
    uint32_t val = 0;
    static const uint8_t order[8] = { VMXLAB_SEG_SS, VMXLAB_SEG_CS, VMXLAB_SEG_ES, VMXLAB_SEG_DS,
                                      VMXLAB_SEG_FS, VMXLAB_SEG_GS, SEG_TR,        SEG_LDTR };
#define BAD(f, v, w) (field = f, val = v, why = w)
    if (!(c->cr0 & CR0_PE))
        BAD("cr0", c->cr0, "PE clear: a restore returns to protected mode");
    else if (c->cr0 & ~(uint64_t)CR0_DEFINED)
        BAD("cr0", c->cr0, "reserved bits set");
    else if ((c->cr0 & (CR0_NW | CR0_CD)) == CR0_NW)
        BAD("cr0", c->cr0, "NW without CD");
    else if (c->cr4 & ~(cr4_supported() & ~(uint64_t)CR4_PCIDE))
        BAD("cr4", c->cr4, "a bit the CPU lacks, VMXE or PCIDE");
    else if (c->eflags & 0xffc08028)
        BAD("eflags", c->eflags, "reserved bits (3, 5, 15, 31:22) set");
    else if (c->eflags & RFLAGS_VM)
        BAD("eflags", c->eflags, "VM set: a restore returns to protected mode");
    else if (c->gdtr_limit > 0xffff || c->idtr_limit > 0xffff)
        BAD(c->gdtr_limit > 0xffff ? "gdtr_limit" : "idtr_limit",
            c->gdtr_limit > 0xffff ? c->gdtr_limit : c->idtr_limit, "over 0xffff");
    else if ((c->cr0 & CR0_PG) && (c->cr4 & CR4_PAE) && !(v->efer & EFER_LME)) {
        /* PAE paging, not IA-32e: VM entry loads the four PDPTEs (SDM 26.3.1.6); in IA-32e
         * mode (EFER.LME, which the hv keeps for the guest) CR3 names a PML4 instead. */
        const uint64_t *pdpte = guest_ram(c->cr3 & ~0x1full, 32);
        if (!pdpte)
            BAD("cr3", c->cr3, "PAE page-directory-pointer table outside guest RAM");
        for (unsigned i = 0; pdpte && i < 4 && !why; i++)
            if ((pdpte[i] & 1) && (pdpte[i] & 0xfff00000000001e6ull))
                BAD("cr3", c->cr3, "a present PDPTE has reserved bits set");
    }
    for (unsigned i = 0; i < 8 && !why; i++) {
        why = seg_bad(c, order[i], &field, &val);
        name = seg_names[order[i]];
    }
    if (!why && c->eip > c->seg[VMXLAB_SEG_CS].limit)
        name = "", BAD("eip", c->eip, "beyond the CS limit");
#undef BAD
    if (why)
        hv_fatal(VMXLAB_STATUS_GUEST_CRASH, "vmxassist's restore context at 0x%llx: %s%s%s = 0x%x: %s",
                 (unsigned long long)gpa, name, *name ? "." : "", field, val, why);
}

int assist_restore(struct vcpu *v, struct guest_regs *r, uint64_t gpa)
{
    /* LAB 3: BEGIN exercise 2 (the VMCALL back) */
    const struct vmxlab_context *c = guest_ram(gpa, sizeof *c);
    if (!c || !v->real_mode)
        return VMXLAB_E_INVAL;
    if (!(c->cr0 & CR0_PE) || (c->seg[VMXLAB_SEG_CS].ar & (VMX_AR_S | SEG_TYPE_CODE)) != (VMX_AR_S | SEG_TYPE_CODE))
        return VMXLAB_E_INVAL; /* not protected mode, or CS is not a code segment */
    for (unsigned i = 0; i < 8; i++)
        if (i == R_SP)
            vmcs_writel(GUEST_RSP, c->gpr[i]);
        else
            r->gpr[i] = c->gpr[i];
    for (unsigned i = 0; i < 6; i++)
        load_seg(&c->seg[i], i);
    load_seg(&c->ldtr, SEG_LDTR);
    load_seg(&c->tr, SEG_TR);
    vmcs_writel(GUEST_GDTR_BASE, c->gdtr_base);
    vmcs_write32(GUEST_GDTR_LIMIT, c->gdtr_limit);
    vmcs_writel(GUEST_IDTR_BASE, c->idtr_base);
    vmcs_write32(GUEST_IDTR_LIMIT, c->idtr_limit);
    vmcs_writel(GUEST_RIP, c->eip);
    vmcs_writel(GUEST_RFLAGS, (c->eflags & ~(uint64_t)(RFLAGS_VM | RFLAGS_TF | RFLAGS_RF)) | RFLAGS_FIXED);
    vmcs_write32(GUEST_INTERRUPTIBILITY_INFO, 0);
    v->cr0 = c->cr0;
    v->cr3 = c->cr3;
    v->cr4 = c->cr4;
    v->real_mode = 0;
    vcpu_update_paging(v);
    v->to_prot++;
    trace_switch("to_prot", c->seg[VMXLAB_SEG_CS].sel, c->eip);
    return 0;
    /* LAB 3: STUB (void)v; */
    /* LAB 3: STUB (void)r; */
    /* LAB 3: STUB (void)gpa; */
    /* LAB 3: END */
}
