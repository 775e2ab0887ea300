/* reset.c - the guest resets the machine: onreset=exit|restart.
 *
 * The routes (each ends here with its name): port 92h bit 0, the 8042's
 * pulse commands and its output port with the reset line low, CF9h with
 * RST_CPU (a20.c; CF9h is also the usual ACPI reset register of Intel
 * chipsets: rombios's FADT is revision 1 and names none), a triple fault in
 * real mode and an INIT signal (exit.c). None reaches the machine: on an
 * emulator that would start GRUB and the hv again, in a loop.
 *
 * onreset=exit (the default, and what tools/run.sh asks for) ends the run
 * with one line naming the route and VMXLAB_STATUS_GUEST_RESET.
 * onreset=restart is a PC's warm reboot: the hv copies vmxloader back from
 * the copy it kept at boot, resets what it virtualises (A20, owed IRQs, the
 * handoff block, the guest's registers) and launches vmxloader again, which
 * lays out the firmware from scratch. The copy sits above guest_ram_top,
 * reserved in the guest's memory map, where a well-behaved guest never
 * writes; it is guest-physical memory all the same (the hv hides only its
 * own pages), so a checksum guards it and a damaged copy ends the run. RAM
 * disks keep what the guest wrote to them, as a disk does across a reboot. */
#include "hv.h"
#include "console.h"
#include "string.h"
#include "vmxlab/handoff.h"
#include "vmxlab/vmcall.h"

static struct {
    uint8_t *copy; /* vmxloader as GRUB loaded it, identity-mapped guest-physical memory */
    uint32_t size;
    uint64_t sum;
    unsigned restarts;
} rs;

static uint64_t fnv1a(const uint8_t *p, uint32_t n)
{
    uint64_t h = 0xcbf29ce484222325ull;
    while (n--)
        h = (h ^ *p++) * 0x100000001b3ull;
    return h;
}

static int overlaps(uint64_t a0, uint64_t a1, uint64_t b0, uint64_t b1) { return a0 < b1 && b0 < a1; }

void reset_save_guest(const void *image, uint32_t size)
{
    if (hv.opt.onreset != ONRESET_RESTART)
        return;
    uint64_t base = (hv.guest_ram_top - size) & ~0xffffull;
    for (unsigned i = 0; i < hv.boot.n_mods; i++)
        if (overlaps(hv.boot.mods[i].start, hv.boot.mods[i].end, base, hv.guest_ram_top)) {
            printk("vmxlab: onreset=restart: module '%s' lies where vmxloader's copy would go; a reset will end "
                   "the run\n",
                   hv.boot.mods[i].name);
            return;
        }
    rs.copy = (uint8_t *)(uintptr_t)base;
    rs.size = size;
    memmove(rs.copy, image, size);
    rs.sum = fnv1a(rs.copy, size);
    hv.guest_ram_top = base; /* the guest's memory map now ends below the copy */
    printk("vmxlab: onreset=restart: vmxloader's copy for restarts at 0x%llx-0x%llx (reserved)\n",
           (unsigned long long)base, (unsigned long long)base + size);
}

unsigned reset_restarts(void) { return rs.restarts; }

void guest_reset(const char *how)
{
    if (hv.opt.onreset == ONRESET_EXIT)
        hv_fatal(VMXLAB_STATUS_GUEST_RESET, "the guest reset the machine (%s); onreset=exit ends the run", how);
    if (!rs.copy)
        hv_fatal(VMXLAB_STATUS_GUEST_RESET,
                 "the guest reset the machine (%s); onreset=restart has no copy of "
                 "vmxloader to restart from",
                 how);
    if (fnv1a(rs.copy, rs.size) != rs.sum)
        hv_fatal(VMXLAB_STATUS_GUEST_RESET,
                 "the guest reset the machine (%s), but it overwrote vmxloader's copy at "
                 "0x%llx, reserved in its memory map: cannot restart",
                 how, (unsigned long long)(uintptr_t)rs.copy);
    rs.restarts++;
    printk("vmxlab: the guest reset the machine (%s): onreset=restart: restart %u, vmxloader and the firmware "
           "from scratch\n",
           how, rs.restarts);
    memmove(guest_ram(VMXLAB_GUEST_LOAD, rs.size), rs.copy, rs.size);
    a20_reset();
    irq_reset();
    handoff_init();
    vmcs_write32(VM_ENTRY_INTR_INFO_FIELD, 0); /* nothing left to inject */
    vmcs_guest_init(VMXLAB_GUEST_LOAD, VMXLAB_GUEST_LOAD);
    vmx_relaunch_guest(VMXLAB_HANDOFF_ADDR);
}
