/* power.c - stopping the machine with a status every engine can report.
 *
 * The status line on COM1 is the contract (tools/run.sh reads it); the exits
 * after it make the emulator quit: Bochs' magic breakpoint (the debugger's
 * command file then quits with status 0), QEMU's isa-debug-exit on port 0xf4
 * (exit code status*2+1), Bochs' "Shutdown" port 0x8900 (status 1). Only
 * then, on a machine that ignored all of those, the machine's own ACPI S5
 * (acpi.c): Bochs' ACPI power-off would quit with status 1. */
#include "hv.h"
#include "fb.h"
#include "console.h"
#include "fmt.h"
#include "vmxlab/handoff.h"
#include "vmxlab/vmcall.h"
#include "x86/asm.h"
#include "x86/ioport.h"

void power_off(int status)
{
    const struct vmxlab_handoff *h = hv.vcpu.launch_tsc ? handoff() : 0;
    fb_power_off();                            /* the last frame and its hash, when fb.c draws the screen */
    if (hv.opt.screen && h && h->rombios_size) /* a firmware guest: show what it put on the screen */
        screen_dump();
    if (hv.vcpu.launch_tsc && hv.opt.stats)
        stats_print();
    printk("vmxlab: power-off status=%d\n", status);
    console_drain();
    if (status == 0)
        __asm__ volatile("xchgw %bx, %bx"); /* Bochs magic breakpoint */
    outb(PORT_POWEROFF_F4, (uint8_t)status);
    for (const char *s = "Shutdown"; *s; s++)
        outb(PORT_BOCHS_SHUTDOWN, (uint8_t)*s);
    if (status == 0) /* a real PC: its own ACPI S5; a failure stays on the screen */
        acpi_machine_off();
    printk("vmxlab: this machine has no way to power off that vmxlab knows: halted\n");
    console_drain();
    cpu_halt_forever();
    __builtin_unreachable();
}

/* Bochs' "Shutdown" port, as a guest writes it: the Bochs BIOS's APM
 * power-off (INT 15h 5307h) spells the word there. That is the guest's
 * power-off, so it ends the run as vmxlab's own (status 0, the statistics)
 * instead of quitting Bochs under the hv. Any other byte starts the match
 * over; none reaches the engine (a real PC has nothing at 0x8900). */
void bochs_shutdown_out(uint8_t c)
{
    static const char word[] = "Shutdown";
    static unsigned matched;
    matched = c == (uint8_t)word[matched] ? matched + 1 : c == (uint8_t)word[0];
    if (!word[matched]) {
        printk("vmxlab: the guest wrote \"Shutdown\" to port 0x%x (the Bochs BIOS's APM power-off): power-off\n",
               PORT_BOCHS_SHUTDOWN);
        power_off(0);
    }
}

void hv_fatal(int status, const char *fmt, ...)
{
    static char line[400] = "vmxlab: error: ";
    const size_t head = 15; /* strlen("vmxlab: error: ") */
    va_list ap;
    va_start(ap, fmt);
    fmt_vsnprintf(line + head, sizeof line - head, fmt, ap);
    va_end(ap);
    printk("%s\n", line);
    fb_error(line); /* a UEFI PC without a serial port shows it on the screen */
    power_off(status);
}

/* An exception inside the hv itself: say where and stop. */
void hv_exception(const uint64_t *frame)
{
    hv_fatal(VMXLAB_STATUS_HV_FAULT, "hv exception %llu (error code 0x%llx) at RIP 0x%llx, CR2=0x%llx",
             (unsigned long long)frame[0], (unsigned long long)frame[1], (unsigned long long)frame[2],
             (unsigned long long)read_cr2());
}
