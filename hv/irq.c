/* irq.c - IRQs the hv delivers itself: the edges a PIC re-initialisation lost.
 *
 * Without unrestricted guest, vmxassist re-initialises both 8259As on every
 * real <-> protected switch to move their vector bases (vmxassist/pic.c).
 * ICW1 clears the interrupt request register and resets the edge-sense
 * latch, so a request pending at that moment is gone, and a device that
 * holds its line until it is serviced (the RTC until register C is read, an
 * ATA drive until its status is read) never makes another edge: the guest
 * waits forever. vmxassist reads the IRR before ICW1 and hands what it held
 * to the hv (VMCALL_ASSIST_REPLAY_IRQ), which injects each request as an
 * external interrupt (SDM 26.6) once the guest's RFLAGS.IF allows, using
 * interrupt-window exiting (SDM 25.2 / 26.7.5) to learn when. */
#include "hv.h"
#include "x86/vmx.h"
#include "x86/cr.h"

static uint16_t pending; /* IRQ 0-15 still to deliver */
/* The PICs' vector bases, master and slave: [0] the guest's, which they
 * have in protected mode, [1] vmxassist's, which they have while it runs
 * the guest in real mode (vmxassist reflects those to the guest's IVT). */
static uint8_t vector_base[2][2];

static void want_window(struct vcpu *v, int on)
{
    uint32_t ctl = on ? v->procbased | CPU_BASED_VIRTUAL_INTR_PENDING : v->procbased & ~CPU_BASED_VIRTUAL_INTR_PENDING;
    if (ctl != v->procbased) {
        v->procbased = ctl;
        vmcs_write32(CPU_BASED_VM_EXEC_CONTROL, ctl);
    }
}

/* Inject the lowest pending IRQ if the guest can take it now; otherwise ask
 * for an exit when it can. */
void irq_deliver(struct vcpu *v)
{
    if (!pending) {
        want_window(v, 0);
        return;
    }
    int open = (vmcs_readl(GUEST_RFLAGS) & RFLAGS_IF) &&
               !(vmcs_read32(GUEST_INTERRUPTIBILITY_INFO) & (GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS)) &&
               !(vmcs_read32(VM_ENTRY_INTR_INFO_FIELD) & INTR_INFO_VALID);
    if (open) {
        unsigned irq = (unsigned)__builtin_ctz(pending);
        pending &= (uint16_t)(pending - 1);
        const uint8_t *base = vector_base[v->real_mode];
        vmcs_write32(VM_ENTRY_INTR_INFO_FIELD, INTR_INFO_VALID | INTR_TYPE_EXT_INTR | (base[irq >> 3] + (irq & 7u)));
        vmcs_write32(GUEST_ACTIVITY_STATE, GUEST_ACTIVITY_ACTIVE); /* an interrupt ends HLT */
        v->irqs_replayed++;
    }
    want_window(v, pending != 0);
}

int irq_pending(void) { return pending != 0; }

/* VMCALL_ASSIST_REPLAY_IRQ: `lost` = the IRQs (bit n = IRQ n) whose requests
 * a re-initialisation cleared; `bases` = the guest's master and slave vector
 * bases in bits 7:0 and 15:8, vmxassist's in 23:16 and 31:24 (also for IRQs
 * still pending from an earlier call). Returns the IRQs still to deliver. */
int irq_replay(struct vcpu *v, uint32_t lost, uint32_t bases)
{
    pending |= (uint16_t)(lost & ~(1u << 2)); /* IRQ 2 is the cascade: the slave's own bits say which */
    for (unsigned i = 0; i < 4; i++)
        vector_base[i >> 1][i & 1] = (uint8_t)((bases >> (8 * i)) & 0xf8);
    irq_deliver(v);
    return pending;
}

void irq_reset(void)
{
    pending = 0;
    hv.vcpu.procbased &= ~CPU_BASED_VIRTUAL_INTR_PENDING; /* vmcs_guest_init writes it */
}
