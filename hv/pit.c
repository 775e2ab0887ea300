/* pit.c - the 8254 PIT as the hv's clock reference.
 *
 * Channel 2 (the speaker's, gated by port 61h bit 0, its output read back
 * in bit 5) counts 11932 ticks of 1.193182 MHz, 10 ms, in mode 0; the TSC
 * ticks in between give the TSC's rate. A UEFI PC may clock-gate the PIT
 * (Linux checks that it counts for the same reason): then the output never
 * rises and the answer is 0. */
#include "hv.h"
#include "console.h"
#include "fb.h"
#include "vmxlab/vmcall.h"
#include "x86/asm.h"
#include "x86/pit.h"

#define PIT_10MS ((PIT_HZ + 50) / 100) /* 11932 */

static uint64_t measure(void)
{
    uint8_t sc = inb(PORT_SYS_CTRL_B);
    outb(PORT_SYS_CTRL_B, (uint8_t)((sc & ~SYS_CTRL_B_SPEAKER) | SYS_CTRL_B_GATE2)); /* gate on, speaker off */
    outb(PIT_MODE, PIT_SEL_CH2 | PIT_ACCESS_LOHI | PIT_MODE_N(PIT_MODE_TERMINAL));   /* binary */
    outb(PIT_CH2, PIT_10MS & 0xff);
    outb(PIT_CH2, PIT_10MS >> 8);
    uint64_t t0 = rdtsc(), t1 = t0;
    unsigned spin = 0;
    for (; spin < 5000000 && !(inb(PORT_SYS_CTRL_B) & SYS_CTRL_B_OUT2); spin++)
        ;
    t1 = rdtsc();
    outb(PORT_SYS_CTRL_B, sc);
    return spin == 5000000 ? 0 : (t1 - t0) / 10;
}

static uint64_t tsc_per_ms;

uint64_t pit_tsc_per_ms(void) { return tsc_per_ms; }

/* Before the guest: its BIOS programs channel 0 for the 18.2 Hz tick and
 * waits on it, so a PIT that does not count hangs it with no word said. */
void pit_check(void)
{
    tsc_per_ms = measure();
    if (!tsc_per_ms)
        hv_fatal(VMXLAB_STATUS_BOOT_ERROR,
                 "the 8254 PIT does not count (channel 2's output never rose): the "
                 "chipset clock-gates it (Intel PCHs have an 8254 clock-gating bit firmware may set); the guest's "
                 "BIOS timer would never tick");
    printk("vmxlab: timer: the 8254 PIT counts; the TSC runs at %llu kHz\n", (unsigned long long)tsc_per_ms);
}
