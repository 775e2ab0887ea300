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
 * The timer is hv/ptimer.c's, shared with fb.c: its period may be shorter
 * than S/16 (fb.c's redraws), so a sample is taken at the first expiry at
 * least S/16 s after the last one. The TSC rate comes from the PIT
 * (hv/pit.c, channel 2 against 10 ms, as Linux calibrates it). In Bochs the
 * PIT and the TSC run on the same emulated clock (`ips` ticks a second), so
 * S is emulated seconds there. Without the "save VMX-preemption timer
 * value" exit control every VM entry restarts the count, and the timer
 * then expires only after S/16 s without any exit, which is all the
 * no-progress test needs. */
#include "hv.h"
#include "console.h"
#include "vmxlab/vmcall.h"
#include "x86/asm.h"
#include "fb.h" /* pit_tsc_per_ms */

#define WATCHDOG_SAMPLES 16

static struct {
    int on;
    uint64_t limit;         /* S in TSC cycles */
    uint64_t period;        /* S/16 in TSC cycles */
    uint64_t last_sample;   /* TSC of the last sample */
    uint64_t last_progress; /* TSC of the last exit that was not the timer's */
    unsigned next;          /* ring index of the next sample */
    uint64_t samples;       /* timer expiries so far */
    struct sample {
        uint16_t cs;
        uint64_t rip;
        const char *mode;
    } ring[WATCHDOG_SAMPLES];
} wd;

void watchdog_init(void)
{
    unsigned s = hv.opt.watchdog;
    if (!s)
        return;
    uint64_t hz = pit_tsc_per_ms() * 1000;
    if (!hz) {
        printk("vmxlab: watchdog=%u is off: the PIT did not count, so the TSC rate is unknown\n", s);
        return;
    }
    wd.period = s * hz / WATCHDOG_SAMPLES;
    wd.limit = s * hz;
    if (ptimer_want(wd.period)) {
        printk("vmxlab: watchdog=%u is off: this CPU has no VMX-preemption timer\n", s);
        return;
    }
    wd.on = 1;
    wd.last_progress = wd.last_sample = rdtsc();
    printk("vmxlab: watchdog: %u s without progress stops the guest (TSC %llu Hz, a sample every %llu cycles, "
           "timer units of 2^%u cycles%s)\n",
           s, (unsigned long long)hz, (unsigned long long)wd.period, ptimer_rate(),
           ptimer_saved() ? "" : ", restarted by every VM entry");
}

static __attribute__((noreturn)) void watchdog_fire(const struct vcpu *v, const struct guest_regs *r)
{
    printk("vmxlab: watchdog: no VM exit but the timer's for %u s of guest time; the last %u samples, oldest "
           "first:\n",
           hv.opt.watchdog, WATCHDOG_SAMPLES);
    for (unsigned i = 0; i < WATCHDOG_SAMPLES; i++) {
        const struct sample *p = &wd.ring[(wd.next + i) % WATCHDOG_SAMPLES];
        if (p->mode)
            printk("vmxlab: watchdog: sample CS:RIP=%04x:%08llx mode=%s\n", p->cs, (unsigned long long)p->rip, p->mode);
    }
    dump_guest_state(v, r, "watchdog: no progress");
    const struct sample *last = &wd.ring[(wd.next + WATCHDOG_SAMPLES - 1) % WATCHDOG_SAMPLES];
    hv_fatal(VMXLAB_STATUS_WATCHDOG,
             "watchdog: the guest made no progress for %u s (hv option watchdog=%u); it "
             "was last at CS:RIP=%04x:%08llx mode=%s",
             hv.opt.watchdog, hv.opt.watchdog, last->cs, (unsigned long long)last->rip, last->mode);
}

/* Every VM exit but the timer's: progress. */
void watchdog_progress(void)
{
    if (wd.on)
        wd.last_progress = rdtsc();
}

/* A timer expiry (ptimer.c): a sample when S/16 s have passed since the
 * last one (an expiry may come sooner, for fb.c); stops the guest after S
 * seconds without progress. */
void watchdog_timer(const struct vcpu *v, const struct guest_regs *r)
{
    if (!wd.on)
        return;
    uint64_t now = rdtsc();
    if (now - wd.last_sample < wd.period - wd.period / 8)
        return;
    wd.last_sample = now;
    const char *mode = guest_cpu_mode(v);
    wd.ring[wd.next] = (struct sample){ vmcs_read16(GUEST_CS_SELECTOR), vmcs_readl(GUEST_RIP), mode };
    wd.next = (wd.next + 1) % WATCHDOG_SAMPLES;
    wd.samples++;
    if (mode == guest_mode_assist) /* vmxassist is interpreting the guest, which needs no exit (mode=emulate) */
        wd.last_progress = now;
    if (now - wd.last_progress >= wd.limit)
        watchdog_fire(v, r);
}
