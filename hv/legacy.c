/* legacy.c - the legacy devices a CSM-less PC may lack: the 8042 (PS/2)
 * controller, COM1 and the CMOS RTC.
 *
 * UEFI switches off the USB controllers' legacy emulation, so on a PC with
 * USB keyboards only, ports 60h/64h read FFh; the FADT's IAPC_BOOT_ARCH
 * (ACPI 2.0+) says whether there is an 8042 and whether there is an RTC at
 * 70h/71h. COM1 exists only where a Super I/O chip provides it. The hv looks
 * before the guest starts and hands rombios what it found (handoff.legacy):
 * with no 8042, COM1's input is the keyboard (rombios/kbd.c); with neither,
 * the guest runs without input, and rombios says so once. The guest's own
 * accesses to those ports still go to the machine. simulate=no-ps2 and
 * simulate=no-com1 take the probes' answers as "none" (tests). */
#include "hv.h"
#include "acpi.h"
#include "console.h"
#include "vmxlab/handoff.h"
#include "x86/acpi.h"
#include "x86/asm.h"
#include "x86/ioport.h"
#include "x86/kbc.h"

static uint32_t found; /* VMXLAB_LEGACY_* */

static int com1_present(void)
{
    outb(COM1_BASE + UART_SCR, 0x5a);
    int a = inb(COM1_BASE + UART_SCR) == 0x5a;
    outb(COM1_BASE + UART_SCR, 0xa5);
    return a && inb(COM1_BASE + UART_SCR) == 0xa5;
}

void legacy_init(void)
{
    uint16_t arch = 0;
    const char *why = "no RSDP";
    uint64_t rsdp = acpi_rsdp();
    int known = rsdp && !acpi_read_boot_arch(acpi_phys_map, 0, rsdp, &arch, &why);
    if (known && !(arch & ACPI_BOOT_ARCH_8042))
        found |= VMXLAB_LEGACY_NO_8042_FADT;
    if (inb(KBC_STATUS) == 0xff || (hv.opt.simulate & SIMULATE_NO_PS2))
        found |= VMXLAB_LEGACY_NO_8042_PORT;
    if (!com1_present() || (hv.opt.simulate & SIMULATE_NO_COM1))
        found |= VMXLAB_LEGACY_NO_COM1;
    if (known && (arch & ACPI_BOOT_ARCH_NO_CMOS_RTC))
        found |= VMXLAB_LEGACY_NO_RTC;
    if (known)
        printk("vmxlab: legacy: the FADT's IAPC_BOOT_ARCH is 0x%x: %s 8042, %s CMOS RTC\n", arch,
               arch & ACPI_BOOT_ARCH_8042 ? "an" : "no", arch & ACPI_BOOT_ARCH_NO_CMOS_RTC ? "no" : "a");
    else
        printk("vmxlab: legacy: no IAPC_BOOT_ARCH flags (%s): the probes decide\n", why);
    int kbc = !(found & (VMXLAB_LEGACY_NO_8042_FADT | VMXLAB_LEGACY_NO_8042_PORT));
    const char *sim = hv.opt.simulate & (SIMULATE_NO_PS2 | SIMULATE_NO_COM1) ? " (simulate=)" : "";
    if (kbc)
        printk("vmxlab: legacy: a PS/2 controller answers at port 64h: the keyboard is the machine's\n");
    else if (!(found & VMXLAB_LEGACY_NO_COM1))
        printk("vmxlab: legacy: no PS/2 controller (%s)%s: COM1 input is the guest's keyboard\n",
               found & VMXLAB_LEGACY_NO_8042_PORT ? "port 64h reads FFh" : "the FADT says none", sim);
    else
        printk("vmxlab: legacy: no PS/2 controller and no COM1%s: the guest runs without input\n", sim);
    if (found & VMXLAB_LEGACY_NO_RTC)
        printk("vmxlab: legacy: the FADT says this PC has no CMOS RTC at ports 70h/71h: the guest's clock reads "
               "whatever the ports give (vmxlab does not emulate one)\n");
}

void legacy_handoff(struct vmxlab_handoff *h) { h->legacy = found; }
