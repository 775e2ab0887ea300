/* vmx.c - VMX root operation, the VMCS, and the guest's paging state. */
#include "hv.h"
#include "fb.h"
#include "console.h"
#include "fmt.h"
#include "ept.h"
#include "names.h"
#include "string.h"
#include "vmxlab/handoff.h"
#include "vmxlab/lab.h"
#include "vmxlab/vmcall.h"
#include "x86/asm.h"
#include "x86/cr.h"
#include "x86/ioport.h"
#include "x86/msr.h"

static uint8_t vmxon_region[4096] __attribute__((aligned(4096)));
static uint8_t vmcs_region[4096] __attribute__((aligned(4096)));
static uint8_t io_bitmap[2][4096] __attribute__((aligned(4096)));
static uint8_t msr_bitmap[4096] __attribute__((aligned(4096)));

void vmcs_write_failed(uint32_t field)
{
    hv_fatal(VMXLAB_STATUS_ENTRY_FAIL, "VMWRITE of field 0x%04x failed: %s", field,
             vm_instruction_error_name((uint32_t)vmread_raw(VM_INSTRUCTION_ERROR)));
}

/* SDM 24.7 / A.7-A.8: CR0 and CR4 bits fixed in VMX operation. */
static uint64_t fixed_cr(uint64_t v, uint64_t fixed0, uint64_t fixed1) { return (v | fixed0) & fixed1; }

void vmx_enable(void)
{
    struct cpu_caps *c = &hv.caps;
    /* LAB 1: BEGIN exercise 1 (VMXON sequence) */
    /* SDM 24.7: IA32_FEATURE_CONTROL must be locked with VMXON outside SMX allowed. */
    if (!(c->feature_control & FEATURE_CONTROL_LOCKED)) {
        c->feature_control |= FEATURE_CONTROL_LOCKED | FEATURE_CONTROL_VMXON_OUTSIDE_SMX;
        wrmsr(IA32_FEATURE_CONTROL, c->feature_control);
        printk("vmxlab: IA32_FEATURE_CONTROL was unlocked: set VMXON-outside-SMX and locked it\n");
    }
    write_cr0(fixed_cr(read_cr0(), c->cr0_fixed0, c->cr0_fixed1));
    write_cr4(fixed_cr(read_cr4() | CR4_VMXE, c->cr4_fixed0, c->cr4_fixed1));
    uint32_t r[4];
    cpuid(1, 0, r);
    if (r[2] & (1u << 26)) /* XSAVE: let the guest's XSETBV reach the hardware */
        write_cr4(read_cr4() | CR4_OSXSAVE);

    *(uint32_t *)vmxon_region = (uint32_t)c->basic & 0x7fffffff; /* VMCS revision identifier */
    *(uint32_t *)vmcs_region = (uint32_t)c->basic & 0x7fffffff;
    if (vmxon(virt_to_phys(vmxon_region)))
        hv_fatal(VMXLAB_STATUS_NO_VMX, "VMXON failed (IA32_FEATURE_CONTROL=0x%llx, CR4=0x%llx)",
                 (unsigned long long)rdmsr(IA32_FEATURE_CONTROL), (unsigned long long)read_cr4());
    if (vmclear(virt_to_phys(vmcs_region)) || vmptrld(virt_to_phys(vmcs_region)))
        hv_fatal(VMXLAB_STATUS_NO_VMX, "VMCLEAR/VMPTRLD of the VMCS failed");
    /* LAB 1: STUB (void)c; */
    /* LAB 1: STUB (void)vmxon_region; */
    /* LAB 1: STUB (void)vmcs_region; */
    /* LAB 1: END */
}

static uint32_t adjust(uint64_t cap, uint32_t want, uint32_t need, const char *what)
{
    uint32_t missing;
    uint32_t v = ctl_adjust(cap, want, &missing);
    if (missing & need)
        hv_fatal(VMXLAB_STATUS_NO_VMX, "%s: the CPU cannot set required bits 0x%x", what, missing & need);
    return v;
}

/* Trap I/O to `port` (SDM 25.6.4: bitmap A covers 0000-7FFF, B 8000-FFFF). */
static void trap_port(uint16_t port) { io_bitmap[port >> 15][(port & 0x7fff) >> 3] |= 1u << (port & 7); }

/* Trap RDMSR and WRMSR of `msr` (SDM 25.6.9: read low, read high, write low, write high). */
static void trap_msr(uint32_t msr)
{
    unsigned base = msr >= 0xc0000000 ? 1024 : 0, i = msr & 0x1fff;
    msr_bitmap[base + i / 8] |= 1u << (i % 8);
    msr_bitmap[2048 + base + i / 8] |= 1u << (i % 8);
}

/* Builds the identity page directory (32-bit paging, 4 MiB pages) that a
 * guest with CR0.PG=0 runs on when the hardware needs paging on. Accessed
 * and dirty bits are preset so the CPU never writes to it. The first 4 MiB
 * go through a page table (the page below the directory) so that
 * vmxassist's slot, D0000-DFFFF, is supervisor-only: real-mode code in VM86
 * (CPL 3) that touches it faults (#PF) into vmxassist, which emulates a read
 * and stops the run on a write, instead of the guest silently overwriting
 * the monitor's stack, TSS or code. Its decode cache, E1000-EFFFF, is
 * supervisor-only for the same reason (a write there empties the cache). */
static void build_idmap(uint64_t gpa)
{
    uint32_t *pd = (uint32_t *)(uintptr_t)gpa, *pt = pd - 1024;
    for (uint32_t i = 0; i < 1024; i++) {
        pd[i] = (i << 22) | 0xe7; /* P RW US A D PS */
        uint32_t page = i << 12;
        int assist = (page >= VMXLAB_ASSIST_ADDR && page < VMXLAB_ASSIST_ADDR + 0x10000) ||
                     (page >= VMXLAB_ASSIST_CACHE && page < VMXLAB_ASSIST_CACHE + VMXLAB_ASSIST_CACHE_SIZE);
        pt[i] = page | (assist ? 0x63 : 0x67); /* P RW A D, and US outside vmxassist */
    }
    pd[0] = (uint32_t)(gpa - 0x1000) | 0x27; /* P RW US A: the page table */
}

static void build_ept(void)
{
    struct mtrr_state m;
    mtrr_read(&m);
    uint64_t top = bootinfo_ram_top_below_4g(&hv.boot);
    const struct mem_range *last = &hv.boot.ram[hv.boot.n_ram - 1];
    if (last->base + last->len > top)
        top = last->base + last->len;
    if (top < (1ull << 32))
        top = 1ull << 32; /* the MMIO space below 4 GiB */
    struct ept_layout l = {
        .ram = hv.boot.ram,
        .n_ram = hv.boot.n_ram,
        .top = (top + 0xfff) & ~0xfffull,
        .hole_start = hv.phys_start,
        .hole_end = hv.phys_end,
        /* fb.c: the VGA window too, just below the firmware in the same hv pages */
        .remap_start = fb_active() ? VGA_WINDOW_START : FIRMWARE_START,
        .remap_end = FIRMWARE_END,
        .remap_to = virt_to_phys(fb_active() ? hv.vga_window : hv.firmware),
        .large_2m = (hv.caps.ept_vpid & VMX_EPT_2MB_PAGE) != 0,
        .large_1g = (hv.caps.ept_vpid & VMX_EPT_1GB_PAGE) != 0,
        .mtrr = &m,
        .ro_page = apic_ept_page(), /* apic.c: writes to the xAPIC page exit, to filter IPIs */
    };
    hv.ept_pml4 = ept_build(&l, &hv_pages);
    if (!hv.ept_pml4)
        hv_fatal(VMXLAB_STATUS_BOOT_ERROR, "out of page-table pages while building the EPT");
}

void vmcs_init(uint32_t entry, uint32_t stack)
{
    struct cpu_caps *c = &hv.caps;
    struct vcpu *v = &hv.vcpu;
    v->ug = hv.opt.mode == MODE_UG;

    build_ept();
    hv.idmap_pd = (hv.phys_start - 0x1000) & ~0xfffull;
    build_idmap(hv.idmap_pd);

    trap_port(VMXLAB_PORT_DEBUGCON);
    trap_port(VMXLAB_PORT_POWEROFF);
    trap_port(PORT_BOCHS_SHUTDOWN); /* the Bochs BIOS's APM off: the guest's power-off (power.c) */
    cmos_trap_ports(trap_port);
    a20_trap_ports(trap_port);
    acpi_trap_ports(trap_port);
    fb_trap_ports(trap_port);
    trap_msr(IA32_EFER);       /* the guest's EFER is virtual while it runs on the identity map */
    apic_trap_msrs(trap_msr);  /* the x2APIC ICR and IA32_APIC_BASE: IPIs filtered, the APIC kept in place */
    dma_trap_ports(trap_port); /* the IDE bus master: no DMA into the hv */
    /* The guest has no VMX: its VMX MSRs #GP and IA32_FEATURE_CONTROL is read-only (exit.c). */
    for (uint32_t m = IA32_VMX_BASIC; m <= IA32_VMX_VMFUNC; m++)
        trap_msr(m);
    trap_msr(IA32_SMM_MONITOR_CTL);
    trap_msr(IA32_FEATURE_CONTROL);

    vmcs_write32(PIN_BASED_VM_EXEC_CONTROL, adjust(c->pinbased, 0, 0, "pin-based controls"));
    v->procbased = adjust(c->procbased,
                          CPU_BASED_HLT_EXITING | CPU_BASED_USE_IO_BITMAPS | CPU_BASED_USE_MSR_BITMAPS |
                              CPU_BASED_ACTIVATE_SECONDARY_CONTROLS,
                          CPU_BASED_USE_IO_BITMAPS | CPU_BASED_USE_MSR_BITMAPS | CPU_BASED_ACTIVATE_SECONDARY_CONTROLS,
                          "processor-based controls");
    /* RDTSCP, INVPCID and XSAVES #UD in the guest unless enabled here. */
    uint32_t want2 = SECONDARY_EXEC_ENABLE_EPT | SECONDARY_EXEC_ENABLE_RDTSCP | SECONDARY_EXEC_ENABLE_INVPCID |
                     SECONDARY_EXEC_XSAVES | (v->ug ? SECONDARY_EXEC_UNRESTRICTED_GUEST : 0);
    v->procbased2 =
        adjust(c->procbased2, want2, SECONDARY_EXEC_ENABLE_EPT | (v->ug ? SECONDARY_EXEC_UNRESTRICTED_GUEST : 0),
               "secondary controls");
    vmcs_write32(VM_EXIT_CONTROLS,
                 adjust(c->exit_ctls, VM_EXIT_HOST_ADDR_SPACE_SIZE | VM_EXIT_SAVE_IA32_EFER | VM_EXIT_LOAD_IA32_EFER,
                        VM_EXIT_HOST_ADDR_SPACE_SIZE | VM_EXIT_SAVE_IA32_EFER | VM_EXIT_LOAD_IA32_EFER,
                        "VM-exit controls"));
    v->entry_ctls = adjust(c->entry_ctls, VM_ENTRY_LOAD_IA32_EFER, VM_ENTRY_LOAD_IA32_EFER, "VM-entry controls");
    vmcs_write32(EXCEPTION_BITMAP, 0);
    vmcs_write32(CR3_TARGET_COUNT, 0);
    vmcs_write32(VM_EXIT_MSR_STORE_COUNT, 0);
    vmcs_write32(VM_EXIT_MSR_LOAD_COUNT, 0);
    vmcs_write32(VM_ENTRY_MSR_LOAD_COUNT, 0);
    vmcs_write32(VM_ENTRY_INTR_INFO_FIELD, 0);
    vmcs_write64(IO_BITMAP_A, virt_to_phys(io_bitmap[0]));
    vmcs_write64(IO_BITMAP_B, virt_to_phys(io_bitmap[1]));
    vmcs_write64(MSR_BITMAP, virt_to_phys(msr_bitmap));
    uint64_t eptp_type = (c->ept_vpid & VMX_EPT_MEMTYPE_WB) ? MT_WB : MT_UC;
    vmcs_write64(EPT_POINTER, hv.ept_pml4 | (3 << 3) | eptp_type); /* 4-level walk */
    vmcs_write64(VMCS_LINK_POINTER, ~0ull);

    /* Host state (SDM 27.5): the hv's registers as they are now. */
    vmcs_writel(HOST_CR0, read_cr0());
    vmcs_writel(HOST_CR3, read_cr3());
    vmcs_writel(HOST_CR4, read_cr4());
    vmcs_write16(HOST_CS_SELECTOR, 0x08);
    vmcs_write16(HOST_SS_SELECTOR, 0x10);
    vmcs_write16(HOST_DS_SELECTOR, 0x10);
    vmcs_write16(HOST_ES_SELECTOR, 0x10);
    vmcs_write16(HOST_FS_SELECTOR, 0);
    vmcs_write16(HOST_GS_SELECTOR, 0);
    vmcs_write16(HOST_TR_SELECTOR, 0x18);
    struct dtr64 gdtr, idtr;
    __asm__ volatile("sgdt %0; sidt %1" : "=m"(gdtr), "=m"(idtr));
    uint16_t tr;
    __asm__ volatile("str %0" : "=r"(tr));
    const uint64_t *gdt = (const uint64_t *)gdtr.base;
    uint64_t trbase = ((gdt[tr / 8] >> 16) & 0xffffff) | (((gdt[tr / 8] >> 56) & 0xff) << 24) | (gdt[tr / 8 + 1] << 32);
    vmcs_writel(HOST_FS_BASE, 0);
    vmcs_writel(HOST_GS_BASE, 0);
    vmcs_writel(HOST_TR_BASE, trbase);
    vmcs_writel(HOST_GDTR_BASE, gdtr.base);
    vmcs_writel(HOST_IDTR_BASE, idtr.base);
    vmcs_write32(HOST_IA32_SYSENTER_CS, 0);
    vmcs_writel(HOST_IA32_SYSENTER_ESP, 0);
    vmcs_writel(HOST_IA32_SYSENTER_EIP, 0);
    vmcs_write64(HOST_IA32_EFER, rdmsr(IA32_EFER));
    vmcs_writel(HOST_RSP, (uint64_t)hv_exit_stack_top);
    vmcs_writel(HOST_RIP, (uint64_t)vmx_exit_entry);
    vmcs_guest_init(entry, stack);
}

/* The guest as the hv first enters it (also after a reset, hv/reset.c). */
void vmcs_guest_init(uint32_t entry, uint32_t stack)
{
    struct cpu_caps *c = &hv.caps;
    struct vcpu *v = &hv.vcpu;
    /* Guest state (SDM 26.3.1): 32-bit flat protected mode, paging off. */
    static const uint32_t sel[] = { GUEST_ES_SELECTOR, GUEST_CS_SELECTOR, GUEST_SS_SELECTOR,
                                    GUEST_DS_SELECTOR, GUEST_FS_SELECTOR, GUEST_GS_SELECTOR };
    for (unsigned i = 0; i < 6; i++) { /* the fields of one segment are 2 encodings apart per segment */
        int cs = sel[i] == GUEST_CS_SELECTOR;
        vmcs_write(sel[i], cs ? 0x08 : 0x10);
        vmcs_write(GUEST_ES_BASE + 2 * i, 0);
        vmcs_write(GUEST_ES_LIMIT + 2 * i, 0xffffffff);
        vmcs_write(GUEST_ES_AR_BYTES + 2 * i, VMX_AR_G | VMX_AR_DB | VMX_AR_P | VMX_AR_S |
                                                  VMX_AR_TYPE(cs ? SEG_TYPE_CODE_RX_A : SEG_TYPE_DATA_RW_A));
    }
    vmcs_write16(GUEST_LDTR_SELECTOR, 0);
    vmcs_writel(GUEST_LDTR_BASE, 0);
    vmcs_write32(GUEST_LDTR_LIMIT, 0);
    vmcs_write32(GUEST_LDTR_AR_BYTES, VMX_AR_UNUSABLE);
    vmcs_write16(GUEST_TR_SELECTOR, 0);
    vmcs_writel(GUEST_TR_BASE, 0);
    vmcs_write32(GUEST_TR_LIMIT, 0xff);
    vmcs_write32(GUEST_TR_AR_BYTES, VMX_AR_P | VMX_AR_TYPE(SEG_TYPE_TSS32_BUSY));
    vmcs_writel(GUEST_GDTR_BASE, 0);
    vmcs_write32(GUEST_GDTR_LIMIT, 0xffff);
    vmcs_writel(GUEST_IDTR_BASE, 0);
    vmcs_write32(GUEST_IDTR_LIMIT, 0xffff);
    vmcs_writel(GUEST_DR7, 0x400);
    vmcs_writel(GUEST_RSP, stack);
    vmcs_writel(GUEST_RIP, entry);
    vmcs_writel(GUEST_RFLAGS, RFLAGS_FIXED);
    vmcs_writel(GUEST_PENDING_DBG_EXCEPTIONS, 0);
    vmcs_write32(GUEST_INTERRUPTIBILITY_INFO, 0);
    vmcs_write32(GUEST_ACTIVITY_STATE, GUEST_ACTIVITY_ACTIVE);
    vmcs_write32(GUEST_SYSENTER_CS, 0);
    vmcs_writel(GUEST_SYSENTER_ESP, 0);
    vmcs_writel(GUEST_SYSENTER_EIP, 0);
    vmcs_write64(GUEST_IA32_DEBUGCTL, 0);

    /* The guest/host masks (SDM 24.6.6): a MOV to CR0, CLTS or LMSW exits only
     * when it would make a bit set in the mask differ from the read shadow
     * (SDM 25.1.3); the guest reads masked bits from the shadow. The hv owns
     *  - the CR0 bits VMX fixes (IA32_VMX_CR0_FIXED0/1, SDM A.7), NE among
     *    them: the CPU keeps them while the guest sees its own values;
     *  - without unrestricted guest, CR0.PE and CR0.PG as well: clearing PE
     *    hands the guest to vmxassist, and a guest with paging off runs on the
     *    hv's identity map.
     * With unrestricted guest, PE and PG are the guest's: VM entry does not
     * check them (SDM 26.3.1.1), so real <-> protected mode and paging on
     * and off switch without a VM exit. Long mode then follows the guest's
     * own MOV CR0: the CPU sets and clears EFER.LMA itself, every VM exit
     * saves EFER ("save IA32_EFER", SDM 27.3.1) and stores LMA into the
     * "IA-32e mode guest" entry control (SDM 27.2, 24.8.1), and
     * vcpu_sync_cr0 reads both back. That store is IA32_VMX_MISC bit 5,
     * which every CPU with unrestricted guest has (SDM A.6); without it PG
     * stays with the hv. (KVM keeps PE and PG intercepted; vmxlab has no
     * shadow paging or emulated MMU that needs to see them.)
     * CD and NW are the guest's in every mode: with EPT the CPU applies the
     * guest's CR0.CD itself when it combines memory types (SDM 28.2, "EPT
     * and Memory Typing"), and nothing the hv emulates depends on caching.
     * CR4: VMXE stays the hv's (fixed to 1; the guest was told it has no
     * VMX), VME too (on only while vmxassist runs VM86), and PSE and PAE,
     * which the identity map needs and whose writes (a few per boot) let
     * the hv load the PDPTEs for PAE paging under EPT (SDM 26.3.2.4). */
    uint64_t cr0_fixed = c->cr0_fixed0 | ~c->cr0_fixed1;
    v->cr0_guest_owned = !v->ug ? 0 : (c->misc & VMX_MISC_STORE_LMA) ? CR0_PE | CR0_PG : CR0_PE;
    vmcs_writel(CR0_GUEST_HOST_MASK, ((cr0_fixed | CR0_PE | CR0_PG | CR0_NE) & ~v->cr0_guest_owned) & 0xffffffff);
    vmcs_writel(CR4_GUEST_HOST_MASK,
                ((c->cr4_fixed0 | ~c->cr4_fixed1) | CR4_VMXE | CR4_PSE | CR4_PAE | CR4_VME) & 0xffffffff);
    v->procbased = ctl_adjust(c->procbased, v->procbased, 0);
    vmcs_write32(CPU_BASED_VM_EXEC_CONTROL, v->procbased);
    vmcs_write32(SECONDARY_VM_EXEC_CONTROL, v->procbased2);
    vmcs_write32(VM_ENTRY_CONTROLS, v->entry_ctls);
    v->cr0 = CR0_PE | CR0_ET;
    v->real_mode = 0;
    v->cr3 = 0;
    v->cr4 = 0;
    v->efer = 0;
    vcpu_update_paging(v);
}

/* While CR3 accesses do not exit, the guest's CR3 is the hardware's. */
void vcpu_sync_cr3(struct vcpu *v)
{
    if (!v->identity_paging)
        v->cr3 = vmcs_readl(GUEST_CR3);
}

/* In ug the guest changes CR0.PE and CR0.PG without exiting (vmcs_guest_init):
 * brings struct vcpu up to date at the start of every exit. EFER.LMA needs
 * no copy (vcpu->efer keeps LME; LMA is PG && LME), the entry control that
 * follows it does. */
void vcpu_sync_cr0(struct vcpu *v)
{
    if (!v->cr0_guest_owned)
        return;
    v->cr0 = (v->cr0 & ~v->cr0_guest_owned) | (vmcs_readl(GUEST_CR0) & v->cr0_guest_owned);
    v->real_mode = !(v->cr0 & CR0_PE);
    v->entry_ctls = (uint32_t)vmcs_read32(VM_ENTRY_CONTROLS);
}

/* Recomputes the hardware's CR0/CR3/CR4/EFER and the controls that depend on
 * them from what the guest believes (struct vcpu). SDM 26.3.1.1 and 26.2.4. */
void vcpu_update_paging(struct vcpu *v)
{
    struct cpu_caps *c = &hv.caps;
    int pg = (v->cr0 & CR0_PG) != 0;
    v->identity_paging = !pg && !v->ug;
    uint64_t fixed0 = c->cr0_fixed0 & ~(v->ug ? (uint64_t)(CR0_PE | CR0_PG) : 0);
    uint64_t cr0 = fixed_cr(v->cr0, fixed0, c->cr0_fixed1) | (v->identity_paging ? CR0_PG : 0);
    uint64_t cr4 = fixed_cr(v->cr4, c->cr4_fixed0, c->cr4_fixed1);
    if (v->identity_paging)
        cr4 = (cr4 | CR4_PSE) & ~(uint64_t)CR4_PAE;
    /* VME belongs to the hv: on while vmxassist runs the guest in VM86, so
     * that INT n goes straight to the guest's IVT (SDM 20.3.3.5). */
    cr4 &= ~(uint64_t)CR4_VME;
    if (v->real_mode && !v->ug && (c->cr4_fixed1 & CR4_VME))
        cr4 |= CR4_VME;
    int lma = pg && (v->efer & EFER_LME);
    uint64_t efer = v->efer & ~(uint64_t)(EFER_LMA | (v->identity_paging ? EFER_LME : 0));
    if (lma)
        efer |= EFER_LMA;

    vmcs_writel(GUEST_CR0, cr0);
    vmcs_writel(CR0_READ_SHADOW, v->cr0);
    vmcs_writel(GUEST_CR4, cr4);
    vmcs_writel(CR4_READ_SHADOW, v->cr4);
    vmcs_writel(GUEST_CR3, v->identity_paging ? hv.idmap_pd : v->cr3);
    vmcs_write64(GUEST_IA32_EFER, efer);
    if (pg && (v->cr4 & CR4_PAE) && !lma) { /* SDM 26.3.2.4: PAE paging with EPT loads PDPTEs from the VMCS */
        /* Read through guest_ram: a CR3 outside guest RAM (in the hv, or
         * past the end of memory) gets not-present entries, never the
         * hv's own memory or a fault in the hv. */
        static const uint64_t none[4];
        const uint64_t *pdpte = guest_ram(v->cr3 & 0xffffffe0, 32);
        if (!pdpte)
            pdpte = none;
        vmcs_write64(GUEST_PDPTE0, pdpte[0]);
        vmcs_write64(GUEST_PDPTE1, pdpte[1]);
        vmcs_write64(GUEST_PDPTE2, pdpte[2]);
        vmcs_write64(GUEST_PDPTE3, pdpte[3]);
    }
    /* The controls, only when they change (a world switch leaves them as
     * they are): v->procbased and v->entry_ctls always hold what the VMCS
     * has (irq.c and vcpu_sync_cr0 keep them so). */
    uint32_t cr3_exits = CPU_BASED_CR3_LOAD_EXITING | CPU_BASED_CR3_STORE_EXITING;
    uint32_t procbased = v->identity_paging ? v->procbased | cr3_exits : v->procbased & ~cr3_exits;
    if (procbased != v->procbased) {
        v->procbased = ctl_adjust(c->procbased, procbased, 0);
        vmcs_write32(CPU_BASED_VM_EXEC_CONTROL, v->procbased);
    }
    /* SGDT and SIDT are not privileged: in VM86 they would store vmxassist's
     * own GDTR and IDTR, not the ones the guest's real-mode code loaded
     * (vmxassist's emulator keeps those). While vmxassist runs the guest,
     * descriptor-table exiting turns them into VM exits, which
     * handle_desc_table hands back to vmxassist as the #GP a privileged
     * instruction raises there (SDM 25.1.3; LGDT, LIDT and the LDTR/TR
     * instructions fault in VM86 before they could exit, SDM 25.1.1). */
    uint32_t dt = v->real_mode && !v->ug ? SECONDARY_EXEC_DESC_TABLE_EXITING : 0;
    uint32_t procbased2 = ctl_adjust(c->procbased2, (v->procbased2 & ~SECONDARY_EXEC_DESC_TABLE_EXITING) | dt, 0);
    if (procbased2 != v->procbased2) {
        v->procbased2 = procbased2;
        vmcs_write32(SECONDARY_VM_EXEC_CONTROL, v->procbased2);
    }
    uint32_t entry_ctls = lma ? v->entry_ctls | VM_ENTRY_IA32E_MODE : v->entry_ctls & ~VM_ENTRY_IA32E_MODE;
    if (entry_ctls != v->entry_ctls) {
        v->entry_ctls = entry_ctls;
        vmcs_write32(VM_ENTRY_CONTROLS, v->entry_ctls);
    }
}

/* A VM entry instruction failed: rc 1 = VMfailInvalid, 2 = VMfailValid (SDM 31.2). */
static __attribute__((noreturn)) void entry_failed(const char *insn, int rc, const struct guest_regs *r)
{
    uint32_t err = rc == 2 ? (uint32_t)vmcs_read32(VM_INSTRUCTION_ERROR) : 0;
    char why[40];
    fmt_snprintf(why, sizeof why, "%s failed", insn);
    dump_guest_state(&hv.vcpu, r, why);
    hv_fatal(VMXLAB_STATUS_ENTRY_FAIL, "%s: %s (VM-instruction error %u)", why,
             rc == 1 ? "VMfailInvalid (no current VMCS)" : vm_instruction_error_name(err), err);
}

void vmx_launch_guest(uint32_t ebx)
{
    struct guest_regs r = { 0 };
    r.gpr[R_AX] = VMXLAB_GUEST_MAGIC;
    r.gpr[R_BX] = ebx;
    hv.vcpu.launch_tsc = rdtsc();
    entry_failed("VMLAUNCH", vmx_launch(&r), &r);
}

/* entry.asm: r, the guest registers VMRESUME was given, pushed again */
void vmx_resume_failed(int rc, const struct guest_regs *r) { entry_failed("VMRESUME", rc, r); }

/* onreset=restart (reset.c): VMCLEAR makes the current VMCS launchable again
 * (SDM 24.11.3) with its fields kept, and VMLAUNCH starts the guest state
 * vmcs_guest_init wrote. */
void vmx_relaunch_guest(uint32_t ebx)
{
    if (vmclear(virt_to_phys(vmcs_region)) || vmptrld(virt_to_phys(vmcs_region)))
        hv_fatal(VMXLAB_STATUS_ENTRY_FAIL, "VMCLEAR/VMPTRLD of the VMCS failed at the guest's restart");
    struct guest_regs r = { 0 };
    r.gpr[R_AX] = VMXLAB_GUEST_MAGIC;
    r.gpr[R_BX] = ebx;
    entry_failed("VMLAUNCH", vmx_launch(&r), &r);
}
