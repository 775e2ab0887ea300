/* apic.c - the guest's IPIs through the local APIC's ICR, filtered.
 *
 * The hv runs on one CPU; the others stay parked as the firmware left them.
 * A guest that sends INIT and SIPI (or an NMI or SMI) to another CPU would
 * start it outside VMX, with all of memory in reach. The hv passes on fixed
 * and lowest-priority IPIs and anything addressed to the CPU itself
 * (self-IPIs), and drops the rest, counted as blocked_ipi and logged once.
 *
 * x2APIC mode: the ICR is MSR 0x830 (SDM 11.12.9), which the MSR bitmap
 * traps; EOIs use another MSR and never exit.
 *
 * xAPIC mode: the ICR is MMIO at the APIC base (SDM 11.6.1: low dword at
 * +300h, destination at +310h). The EPT maps the APIC page read-only, so
 * reads go straight to the APIC and every write is an EPT violation. Rather
 * than decode the instruction (a MOV, OR, XCHG, string op or vmxassist's
 * emulator can write there, in any CPU mode), the hv lets the guest do the
 * write itself into a scratch page and single-steps it: it maps that page
 * at the APIC's address, preloaded with the register's current value (for
 * read-modify-write instructions), sets RFLAGS.TF with #DB in the exception
 * bitmap and IF clear (no interrupt handler may run, or write the APIC,
 * while the scratch page stands in for it), and resumes. After the one
 * instruction the #DB exit (SDM 17.3.1.4: a single-step trap) finds the
 * value written there, puts the APIC page back read-only, TF and IF back as
 * they were, and writes the value to the real register, unless it is an IPI
 * the hv blocks. (The monitor trap flag would do the same without touching
 * RFLAGS, but Bochs 2.7's models do not offer it.) EOIs, TPR, LVT and timer
 * writes cost two exits each and work as before.
 * IA32_APIC_BASE is trapped too: the guest may switch the APIC's modes but
 * not move it away from the page the EPT guards. */
#include "hv.h"
#include "x86/exception.h"
#include "console.h"
#include "ept.h"
#include "x86/asm.h"
#include "x86/cr.h"
#include "x86/msr.h"

#define X2APIC_ICR 0x830
#define ICR_DELIVERY(v) (((v) >> 8) & 7)   /* 0 fixed, 1 lowest priority, 2 SMI, 4 NMI, 5 INIT, 6 SIPI */
#define ICR_SHORTHAND(v) (((v) >> 18) & 3) /* 0 none, 1 self, 2 all, 3 all but self */
#define ICR_SHORTHAND_SELF 1

#define ICR_DEST_LOGICAL (1u << 11)
#define X2APIC_ICR_RESERVED 0xfff32000ull /* bits 31:20, 17:16 and 13 (SDM 11.12.9) */
#define XAPIC_ID 0x20                     /* bits 31:24 */
#define XAPIC_ICR_LO 0x300
#define XAPIC_ICR_HI 0x310           /* bits 31:24: the destination */
#define APIC_BASE_ADDR 0xfffff000ull /* bits 35:12 on older CPUs; the hv maps 0-4 GiB */
#define CPUID1_ECX_X2APIC (1u << 21)

static uint64_t blocked;
static uint64_t apic_page; /* the xAPIC's guest-physical (= physical) page, 0 if none */
static uint8_t scratch[4096] __attribute__((aligned(4096))); /* takes one guest write to that page */
static struct {
    int active;
    uint32_t offset; /* the dword written (4-byte aligned offset in the page) */
    uint64_t pte;    /* the APIC page's read-only EPT entry, to put back */
    uint64_t rflags; /* the guest's TF and IF, to put back */
} step;

void apic_trap_msrs(void (*trap)(uint32_t msr))
{
    trap(X2APIC_ICR);
    trap(IA32_APIC_BASE);
}

uint64_t apic_blocked_ipis(void) { return blocked; }

uint64_t apic_ept_page(void)
{
    uint64_t base = rdmsr(IA32_APIC_BASE);
    apic_page = base & APIC_BASE_ADDR;
    return apic_page;
}

static volatile uint32_t *xapic_reg(uint32_t off) { return (volatile uint32_t *)(uintptr_t)(apic_page + off); }

/* Is an IPI with this delivery mode and shorthand one the hv blocks? */
static int ipi_blocked(uint64_t icr, int to_self)
{
    unsigned mode = ICR_DELIVERY(icr);
    if (mode < 2 || to_self)
        return 0;
    if (!blocked++)
        printk("vmxlab: blocked the guest's %s IPI (ICR 0x%llx): the other CPUs stay parked (logged once, "
               "counted as blocked_ipi)\n",
               mode == 5   ? "INIT"
               : mode == 6 ? "SIPI"
               : mode == 4 ? "NMI"
               : mode == 2 ? "SMI"
                           : "reserved-mode",
               (unsigned long long)icr);
    return 1;
}

/* SDM 11.12.5 (x2APIC state transitions) and 11.4.4: a WRMSR to
 * IA32_APIC_BASE that the CPU refuses with #GP: reserved bits (7:0, 9),
 * x2APIC mode without x2APIC, EXTD without EN, x2APIC back to xAPIC. */
static int apic_base_invalid(uint64_t cur, uint64_t v)
{
    uint32_t r[4];
    cpuid(1, 0, r);
    int en = (v & APIC_BASE_EN) != 0, extd = (v & APIC_BASE_EXTD) != 0;
    if ((v & 0x2ff) || (extd && !(r[2] & CPUID1_ECX_X2APIC)) || (extd && !en))
        return 1;
    return (cur & APIC_BASE_EN) && (cur & APIC_BASE_EXTD) && en && !extd;
}

/* A trapped RDMSR/WRMSR: 1 when it was the ICR's or IA32_APIC_BASE's (done,
 * or a fault injected through *gp), 0 for another MSR. */
int apic_msr(int write, uint32_t msr, uint64_t *val, int *gp)
{
    if (msr == IA32_APIC_BASE) {
        uint64_t cur = rdmsr(IA32_APIC_BASE);
        if (!write) {
            *val = cur;
        } else if ((*val & ~0xfffull) != (cur & ~0xfffull)) {
            *gp = 1; /* moving the APIC off the guarded page: refused like a reserved-bit write */
            printk("vmxlab: the guest tried to move the local APIC to 0x%llx: refused with #GP (the hv guards "
                   "its page at 0x%llx)\n",
                   (unsigned long long)(*val & ~0xfffull), (unsigned long long)(cur & ~0xfffull));
        } else if (apic_base_invalid(cur, *val)) {
            *gp = 1; /* what the CPU would answer; the hv's own WRMSR would fault in the hv */
        } else {
            wrmsr(IA32_APIC_BASE, *val);
        }
        return 1;
    }
    if (msr != X2APIC_ICR)
        return 0;
    if (!(rdmsr(IA32_APIC_BASE) & APIC_BASE_EXTD)) { /* not in x2APIC mode: the MSR does not exist */
        *gp = 1;
        return 1;
    }
    if (!write) {
        *val = rdmsr(X2APIC_ICR);
        return 1;
    }
    if (*val & X2APIC_ICR_RESERVED) { /* #GP on the CPU, and in the hv were it written */
        *gp = 1;
        return 1;
    }
    unsigned shorthand = ICR_SHORTHAND(*val);
    uint32_t self = (uint32_t)rdmsr(0x802); /* x2APIC ID */
    int to_self = shorthand == ICR_SHORTHAND_SELF ||
                  (shorthand == 0 && !(*val & ICR_DEST_LOGICAL) && (uint32_t)(*val >> 32) == self);
    if (!ipi_blocked(*val, to_self))
        wrmsr(X2APIC_ICR, *val);
    return 1;
}

/* An EPT violation: 1 when it was a write to the xAPIC page, now being
 * single-stepped into the scratch page; 0 for any other address. */
int apic_ept_write(uint64_t gpa, int write)
{
    if (!apic_page || (gpa & ~0xfffull) != apic_page || !write || step.active)
        return 0;
    if (vmcs_read32(IDT_VECTORING_INFO_FIELD) & INTR_INFO_VALID)
        return 0; /* an event delivery wrote there (a stack in the APIC page): reported, not stepped */
    uint64_t size, *pte = ept_leaf(hv.ept_pml4, apic_page, &hv_pages, &size);
    if (!pte || size != 0x1000)
        return 0;
    step.active = 1;
    step.offset = (uint32_t)gpa & 0xffc;
    step.pte = *pte;
    /* The register as it is, for an OR or XCHG; 0 for EOI, write-only. */
    *(uint32_t *)(scratch + step.offset) = step.offset == 0xb0 ? 0 : *xapic_reg(step.offset);
    *pte = virt_to_phys(scratch) | EPT_READ | EPT_WRITE | ((uint64_t)MT_WB << EPT_MEMTYPE_SHIFT);
    invept_all();
    /* TF for one instruction, IF off so that no interrupt comes first. The
     * STI and MOV SS shadows go: blocking by STI needs IF=1, and either with
     * TF would raise the #DB before the instruction (SDM 26.3.1.5). */
    step.rflags = vmcs_readl(GUEST_RFLAGS);
    vmcs_writel(GUEST_RFLAGS, (step.rflags | RFLAGS_TF) & ~(uint64_t)RFLAGS_IF);
    vmcs_write32(GUEST_INTERRUPTIBILITY_INFO,
                 vmcs_read32(GUEST_INTERRUPTIBILITY_INFO) & ~(GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS));
    vmcs_write32(EXCEPTION_BITMAP, 1u << VECTOR_DB);
    return 1;
}

/* The #DB exit after that instruction: the APIC page back read-only, the
 * write passed on or blocked. 0 when no write was being stepped. */
int apic_step_done(void)
{
    if (!step.active)
        return 0;
    uint64_t size, *pte = ept_leaf(hv.ept_pml4, apic_page, &hv_pages, &size);
    *pte = step.pte;
    invept_all();
    step.active = 0;
    vmcs_write32(EXCEPTION_BITMAP, 0);
    uint64_t rf = vmcs_readl(GUEST_RFLAGS) & ~(uint64_t)(RFLAGS_TF | RFLAGS_IF);
    vmcs_writel(GUEST_RFLAGS, rf | (step.rflags & (RFLAGS_TF | RFLAGS_IF)));
    if (step.rflags & RFLAGS_TF) /* the guest was single-stepping itself: its #DB */
        vmcs_write32(VM_ENTRY_INTR_INFO_FIELD, INTR_INFO_VALID | INTR_TYPE_HARD_EXCEPTION | VECTOR_DB);
    uint32_t val = *(uint32_t *)(scratch + step.offset);
    if (step.offset == XAPIC_ICR_LO) {
        uint32_t dest = *xapic_reg(XAPIC_ICR_HI) >> 24, self = *xapic_reg(XAPIC_ID) >> 24;
        unsigned shorthand = ICR_SHORTHAND(val);
        int to_self = shorthand == ICR_SHORTHAND_SELF || (shorthand == 0 && !(val & ICR_DEST_LOGICAL) && dest == self);
        if (ipi_blocked(val, to_self))
            return 1;
    }
    *xapic_reg(step.offset) = val;
    return 1;
}
