/* main.c - vmxloader: puts the firmware where a PC has it and starts it.
 *
 * Xen 3.0's way (docs/history.md): vmxloader copies three payloads,
 * rombios to F000:0, vgabios to C000:0 and vmxassist to D000:0, and
 * transfers control to vmxassist, which runs the BIOS in VM86. With
 * unrestricted guest (mode=ug) there is nothing to assist: vmxloader drops to
 * real mode itself and jumps to the reset vector. It carries two firmware
 * sets, this tree's rombios and vgabios and Debian's Bochs BIOS with the LGPL
 * vgabios (the reference), and places the one the hv's firmware= option
 * chose (handoff.firmware). */
#include <stdint.h>
#include "string.h"
#include "x86/uart.h"
#include "vmxlab/guest.h"
#include "vmxlab/handoff.h"

extern const uint8_t own_rombios[], own_rombios_end[], own_vgabios[], own_vgabios_end[];
extern const uint8_t bochs_rombios[], bochs_rombios_end[], bochs_vgabios[], bochs_vgabios_end[];
extern const uint8_t assist_image[], assist_end[];

struct firmware_set {
    const char *name, *what;
    const uint8_t *rombios, *rombios_end, *vgabios, *vgabios_end;
};
static const struct firmware_set firmware_sets[] = {
    [VMXLAB_FIRMWARE_OWN] = { "own", "vmxlab rombios and vgabios", own_rombios, own_rombios_end, own_vgabios,
                              own_vgabios_end },
    [VMXLAB_FIRMWARE_BOCHS] = { "bochs", "Bochs BIOS and LGPL vgabios", bochs_rombios, bochs_rombios_end, bochs_vgabios,
                                bochs_vgabios_end },
};
void ug_enter_bios(void) __attribute__((noreturn));

static uint32_t place(const char *what, uint32_t addr, const uint8_t *from, const uint8_t *to, uint32_t max)
{
    uint32_t size = (uint32_t)(to - from);
    if (size == 0 || size > max) {
        gprintf("vmxloader: error: %s is %u bytes; the slot at 0x%x holds 1 to %u\n", what, size, addr, max);
        guest_power_off(0x71);
    }
    memcpy((void *)addr, from, size);
    gprintf("vmxloader: %s: %u bytes at 0x%05x\n", what, size, addr);
    return size;
}

void loader_main(uint32_t magic, struct vmxlab_handoff *h)
{
    if (magic != VMXLAB_GUEST_MAGIC || h->magic != VMXLAB_HANDOFF_MAGIC || h->version != VMXLAB_HANDOFF_VERSION) {
        gprintf("vmxloader: error: not started by the vmxlab hv with a version %d handoff block\n",
                VMXLAB_HANDOFF_VERSION);
        guest_power_off(0x71);
    }
    static const char *const modes[] = { "assist", "emulate", "ug" };
    gprintf("vmxloader: mode=%s, guest RAM up to 0x%x, %u E820 entries\n", modes[h->mode % 3], h->ram_top, h->n_e820);
    if (h->firmware >= sizeof firmware_sets / sizeof firmware_sets[0]) {
        gprintf("vmxloader: error: the hv asked for firmware set %u; this vmxloader has own (0) and bochs (1)\n",
                h->firmware);
        guest_power_off(0x71);
    }
    const struct firmware_set *fw = &firmware_sets[h->firmware];
    gprintf("vmxloader: firmware=%s: %s\n", fw->name, fw->what);
    h->rombios_size = place("rombios", VMXLAB_ROMBIOS_ADDR, fw->rombios, fw->rombios_end, 0x10000);
    h->vgabios_size = place("vgabios", VMXLAB_VGABIOS_ADDR, fw->vgabios, fw->vgabios_end, 0x10000);
    h->assist_size = place("vmxassist", VMXLAB_ASSIST_ADDR, assist_image, assist_end, VMXLAB_ASSIST_MAX);
    /* GRUB and the hv turned COM1's FIFOs on; the BIOS expects the UART as
     * a reset leaves it (the hv's console only polls, so it does not mind). */
    uart_power_on_state(COM1_BASE);

    if (h->mode == VMXLAB_MODE_UG) {
        gprintf("vmxloader: leaving protected mode for the BIOS at F000:FFF0 (unrestricted guest)\n");
        ug_enter_bios();
    }
    const struct vmxlab_assist_header *ah = (const void *)VMXLAB_ASSIST_ADDR;
    if (ah->magic != VMXLAB_ASSIST_MAGIC) {
        gprintf("vmxloader: error: the vmxassist payload has no header at 0x%x\n", VMXLAB_ASSIST_ADDR);
        guest_power_off(0x71);
    }
    gprintf("vmxloader: starting vmxassist\n");
    ((void (*)(struct vmxlab_handoff *))ah->boot_entry)(h);
    gprintf("vmxloader: error: vmxassist returned\n");
    guest_power_off(0x72);
}
