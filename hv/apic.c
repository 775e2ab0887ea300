/* apic.c - the guest's IPIs through the x2APIC ICR, filtered.
 *
 * The hv runs on one CPU; the others stay parked as the firmware left them.
 * A guest that sends INIT and SIPI (or an NMI or SMI) to another CPU would
 * start it outside VMX, with all of memory in reach. In x2APIC mode the ICR
 * is MSR 0x830 (SDM 11.12.9), which the MSR bitmap traps: the hv passes on
 * fixed and lowest-priority IPIs and anything addressed to the CPU itself
 * (self-IPIs; EOIs use another MSR and never exit), and drops the rest,
 * counted as blocked_ipi and logged once. The xAPIC's ICR is MMIO at the
 * APIC base and is NOT filtered yet (SECURITY.md). */
#include "hv.h"
#include "console.h"
#include "x86/asm.h"
#include "x86/msr.h"

#define X2APIC_ICR 0x830
#define ICR_DELIVERY(v) (((v) >> 8) & 7) /* 0 fixed, 1 lowest priority, 2 SMI, 4 NMI, 5 INIT, 6 SIPI */
#define ICR_SHORTHAND(v) (((v) >> 18) & 3) /* 0 none, 1 self, 2 all, 3 all but self */
#define ICR_SHORTHAND_SELF 1

static uint64_t blocked;

void apic_trap_msrs(void (*trap)(uint32_t msr)) { trap(X2APIC_ICR); }

uint64_t apic_blocked_ipis(void) { return blocked; }

/* A trapped RDMSR/WRMSR: 1 when it was the ICR's (done, or a fault injected
 * through *gp), 0 for another MSR. */
int apic_msr(int write, uint32_t msr, uint64_t *val, int *gp)
{
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
    unsigned mode = ICR_DELIVERY(*val), shorthand = ICR_SHORTHAND(*val);
    uint32_t self = (uint32_t)rdmsr(0x802); /* x2APIC ID */
    int to_self = shorthand == ICR_SHORTHAND_SELF || (shorthand == 0 && (uint32_t)(*val >> 32) == self);
    if (mode >= 2 && !to_self) {
        if (!blocked++)
            printk("vmxlab: blocked the guest's %s IPI (ICR 0x%llx): the other CPUs stay parked (logged once, "
                   "counted as blocked_ipi)\n",
                   mode == 5 ? "INIT" : mode == 6 ? "SIPI" : mode == 4 ? "NMI" : mode == 2 ? "SMI" : "reserved-mode",
                   (unsigned long long)*val);
        return 1;
    }
    wrmsr(X2APIC_ICR, *val);
    return 1;
}
