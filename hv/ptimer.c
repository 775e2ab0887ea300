/* ptimer.c - the VMX-preemption timer, shared by its two users.
 *
 * The timer (SDM 26.5.1) hands the hv control after a set amount of guest
 * time, whatever the guest does: no exit is needed. Two parts of the hv
 * want that: the watchdog (watchdog=S, a sample every S/16 s) and fb.c
 * (the guest's text screen redrawn a few times a second, also while the
 * guest writes B8000 in a loop with no VM exit). Each asks for its period;
 * the timer runs with the shortest, and each user checks the TSC on every
 * expiry to see whether its own period has passed.
 *
 * The timer counts down once every 2^rate TSC cycles (IA32_VMX_MISC[4:0],
 * SDM A.6). With the "save VMX-preemption timer value" exit control (SDM
 * 25.7.1) the count goes on across VM exits; without it every VM entry
 * restarts the count, and the timer expires only after a period without
 * any exit (ptimer_saved says which). */
#include "hv.h"
#include "fb.h"
#include "x86/vmx.h"

#define VMX_MISC_TIMER_RATE(m) ((unsigned)(m)&0x1f)

static struct {
    int on, saved;
    uint32_t period; /* in timer units */
} pt;

int ptimer_want(uint64_t tsc_cycles)
{
    const struct cpu_caps *c = &hv.caps;
    if (!ctl_allowed1(c->pinbased, PIN_BASED_VMX_PREEMPTION_TIMER))
        return -1;
    uint64_t units = tsc_cycles >> VMX_MISC_TIMER_RATE(c->misc);
    uint32_t period = units == 0 ? 1 : units > 0xffffffffull ? 0xffffffffu : (uint32_t)units;
    if (!pt.on) {
        pt.on = 1;
        vmcs_write32(PIN_BASED_VM_EXEC_CONTROL,
                     vmcs_read32(PIN_BASED_VM_EXEC_CONTROL) | PIN_BASED_VMX_PREEMPTION_TIMER);
        pt.saved = ctl_allowed1(c->exit_ctls, VM_EXIT_SAVE_VMX_PREEMPTION_TIMER);
        if (pt.saved)
            vmcs_write32(VM_EXIT_CONTROLS, vmcs_read32(VM_EXIT_CONTROLS) | VM_EXIT_SAVE_VMX_PREEMPTION_TIMER);
        pt.period = period;
    } else if (period < pt.period) {
        pt.period = period;
    }
    vmcs_write32(VMX_PREEMPTION_TIMER_VALUE, pt.period);
    return 0;
}

int ptimer_saved(void) { return pt.saved; }
unsigned ptimer_rate(void) { return VMX_MISC_TIMER_RATE(hv.caps.misc); }

/* A timer exit: each user's turn, then the next period. */
void ptimer_expired(const struct vcpu *v, const struct guest_regs *r)
{
    /* The timer expires between instructions, never during event delivery
     * (SDM 26.5.1 and 27.2.4 put it before NMI and interrupt delivery), but
     * re-inject an event that was being delivered anyway rather than lose it. */
    uint32_t vect = vmcs_read32(IDT_VECTORING_INFO_FIELD);
    if (vect & INTR_INFO_VALID) {
        vmcs_write32(VM_ENTRY_INTR_INFO_FIELD, vect & ~INTR_INFO_UNBLOCK_NMI);
        if (vect & INTR_INFO_ERROR_CODE_VALID)
            vmcs_write32(VM_ENTRY_EXCEPTION_ERROR_CODE, vmcs_read32(IDT_VECTORING_ERROR_CODE));
        vmcs_write32(VM_ENTRY_INSTRUCTION_LEN, vmcs_read32(VM_EXIT_INSTRUCTION_LEN));
    }
    fb_timer();
    watchdog_timer(v, r); /* may stop the guest: the screen is drawn first */
    vmcs_write32(VMX_PREEMPTION_TIMER_VALUE, pt.period);
}
