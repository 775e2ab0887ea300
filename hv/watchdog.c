/* watchdog.c - hang diagnosis: the hv option watchdog=S.
 *
 * A guest that spins with interrupts off, or waits for an interrupt that
 * never comes, causes no VM exit: the runner's timeout would end it with no
 * word about where it was. The VMX-preemption timer (SDM 26.5.1) hands the
 * hv control every S/16 seconds of guest time, whatever the guest does;
 * each expiry samples CS:RIP and the CPU mode into a ring of 16. Any other
 * VM exit is progress. When a timer exit finds no other exit in the last S
 * seconds, the hv prints the guest state and the samples and stops with
 * VMXLAB_STATUS_WATCHDOG. (COM1 output is not trapped, so it is not seen:
 * a guest that only prints, never exiting, for S seconds counts as hung.)
 * A sample in vmxassist counts as progress: it interprets the guest's
 * real-mode code (mode=emulate, big real mode) with no VM exit for long
 * stretches, I/O to untrapped ports included, and the guest's own IP is not
 * visible from here; a guest that hangs while interpreted is not caught.
 *
 * The timer counts down once every 2^rate TSC cycles (IA32_VMX_MISC[4:0],
 * SDM A.6); the TSC rate comes from the PIT, whose channel 2 counts 10 ms
 * (as Linux calibrates it). In Bochs the PIT and the TSC run on the same
 * emulated clock (`ips` ticks a second), so S is emulated seconds there.
 *
 * With the "save VMX-preemption timer value" exit control (SDM 25.7.1) the
 * count goes on across VM exits, so samples come every S/16 s; without it
 * every VM entry restarts the count, and the timer then expires only after
 * S/16 s without any exit, which is all the no-progress test needs. */
#include "hv.h"
#include "console.h"
#include "vmxlab/vmcall.h"
#include "x86/asm.h"
#include "x86/msr.h"

#define WATCHDOG_SAMPLES 16
#define PIT_HZ 1193182
#define PORT_PIT_CH2 0x42
#define PORT_PIT_CMD 0x43
#define PORT_SYS_CTRL_B 0x61 /* bit 0: PIT channel 2 gate, bit 1: speaker, bit 5: channel 2 output */
#define VMX_MISC_TIMER_RATE(m) ((unsigned)(m) & 0x1f)

static struct {
    int on;
    uint64_t limit;        /* S in TSC cycles */
    uint32_t period;       /* S/16 in preemption-timer units */
    uint64_t last_progress; /* TSC of the last exit that was not the timer's */
    unsigned next;         /* ring index of the next sample */
    uint64_t samples;      /* timer expiries so far */
    struct sample {
        uint16_t cs;
        uint64_t rip;
        const char *mode;
    } ring[WATCHDOG_SAMPLES];
} wd;

/* TSC cycles per second, against 10 ms of PIT channel 2 (mode 0, one shot);
 * 0 when the PIT never counts down. */
static uint64_t tsc_hz(void)
{
    uint8_t ctrl = inb(PORT_SYS_CTRL_B);
    unsigned latch = PIT_HZ / 100;
    outb(PORT_SYS_CTRL_B, (uint8_t)((ctrl & ~0x02) | 0x01)); /* gate on, speaker off */
    outb(PORT_PIT_CMD, 0xb0);                                /* channel 2, low then high byte, mode 0 */
    outb(PORT_PIT_CH2, latch & 0xff);
    outb(PORT_PIT_CH2, latch >> 8);
    uint64_t t0 = rdtsc(), spins = 0;
    while (!(inb(PORT_SYS_CTRL_B) & 0x20))
        if (++spins > 100000000)
            return 0;
    uint64_t t1 = rdtsc();
    outb(PORT_SYS_CTRL_B, ctrl);
    return (t1 - t0) * 100;
}

void watchdog_init(void)
{
    struct cpu_caps *c = &hv.caps;
    unsigned s = hv.opt.watchdog;
    if (!s)
        return;
    if (!ctl_allowed1(c->pinbased, PIN_BASED_VMX_PREEMPTION_TIMER)) {
        printk("vmxlab: watchdog=%u is off: this CPU has no VMX-preemption timer\n", s);
        return;
    }
    uint64_t hz = tsc_hz();
    if (!hz) {
        printk("vmxlab: watchdog=%u is off: the PIT did not count, so the TSC rate is unknown\n", s);
        return;
    }
    uint64_t units = (s * hz / WATCHDOG_SAMPLES) >> VMX_MISC_TIMER_RATE(c->misc);
    wd.period = units == 0 ? 1 : units > 0xffffffffull ? 0xffffffffu : (uint32_t)units;
    wd.limit = s * hz;
    wd.on = 1;
    vmcs_write32(PIN_BASED_VM_EXEC_CONTROL, vmcs_read32(PIN_BASED_VM_EXEC_CONTROL) | PIN_BASED_VMX_PREEMPTION_TIMER);
    int saved = ctl_allowed1(c->exit_ctls, VM_EXIT_SAVE_VMX_PREEMPTION_TIMER);
    if (saved)
        vmcs_write32(VM_EXIT_CONTROLS, vmcs_read32(VM_EXIT_CONTROLS) | VM_EXIT_SAVE_VMX_PREEMPTION_TIMER);
    vmcs_write32(VMX_PREEMPTION_TIMER_VALUE, wd.period);
    wd.last_progress = rdtsc();
    printk("vmxlab: watchdog: %u s without progress stops the guest (TSC %llu Hz, a sample every %u timer units "
           "of 2^%u cycles%s)\n",
           s, (unsigned long long)hz, wd.period, VMX_MISC_TIMER_RATE(c->misc),
           saved ? "" : ", restarted by every VM entry");
}

static __attribute__((noreturn)) void watchdog_fire(void)
{
    printk("vmxlab: watchdog: no VM exit but the timer's for %u s of guest time; the last %u samples, oldest "
           "first:\n",
           hv.opt.watchdog, WATCHDOG_SAMPLES);
    for (unsigned i = 0; i < WATCHDOG_SAMPLES; i++) {
        const struct sample *p = &wd.ring[(wd.next + i) % WATCHDOG_SAMPLES];
        if (p->mode)
            printk("vmxlab: watchdog: sample CS:RIP=%04x:%08llx mode=%s\n", p->cs, (unsigned long long)p->rip,
                   p->mode);
    }
    dump_guest_state("watchdog: no progress");
    const struct sample *last = &wd.ring[(wd.next + WATCHDOG_SAMPLES - 1) % WATCHDOG_SAMPLES];
    hv_fatal(VMXLAB_STATUS_WATCHDOG, "watchdog: the guest made no progress for %u s (hv option watchdog=%u); it "
             "was last at CS:RIP=%04x:%08llx mode=%s",
             hv.opt.watchdog, hv.opt.watchdog, last->cs, (unsigned long long)last->rip, last->mode);
}

/* Every VM exit comes here first. Returns 1 when it was the timer's, which
 * is then handled. */
int watchdog_exit(uint32_t basic)
{
    if (!wd.on)
        return 0;
    uint64_t now = rdtsc();
    if (basic != EXIT_REASON_PREEMPTION_TIMER) {
        wd.last_progress = now;
        return 0;
    }
    const char *mode = guest_cpu_mode();
    wd.ring[wd.next] = (struct sample){ vmcs_read16(GUEST_CS_SELECTOR), vmcs_readl(GUEST_RIP), mode };
    wd.next = (wd.next + 1) % WATCHDOG_SAMPLES;
    wd.samples++;
    if (mode == guest_mode_assist) /* vmxassist is interpreting the guest, which needs no exit (mode=emulate) */
        wd.last_progress = now;
    if (now - wd.last_progress >= wd.limit)
        watchdog_fire();
    /* The timer expires between instructions, never during event delivery
     * (SDM 26.5.1 and 27.2.4 put it before NMI and interrupt delivery), but
     * re-inject an event that was being delivered anyway rather than lose it. */
    uint32_t vect = vmcs_read32(IDT_VECTORING_INFO_FIELD);
    if (vect & INTR_INFO_VALID) {
        vmcs_write32(VM_ENTRY_INTR_INFO_FIELD, vect & ~(1u << 12));
        if (vect & INTR_INFO_ERROR_CODE_VALID)
            vmcs_write32(VM_ENTRY_EXCEPTION_ERROR_CODE, vmcs_read32(IDT_VECTORING_ERROR_CODE));
        vmcs_write32(VM_ENTRY_INSTRUCTION_LEN, vmcs_read32(VM_EXIT_INSTRUCTION_LEN));
    }
    vmcs_write32(VMX_PREEMPTION_TIMER_VALUE, wd.period);
    return 1;
}
