/* a20.c - the A20 gate, virtualised.
 *
 * A guest that turns A20 off (port 92h bit 1, or the 8042's output port via
 * command D1h) would, on an emulator like Bochs, mask address bit 20 for the
 * hv too - and the hv lives above 1 MiB. So the hv keeps the real gate on,
 * remembers the guest's setting, and gives the guest the only A20 effect real
 * mode can see: with A20 off, guest-physical 100000-10FFFF (the HMA, reached
 * by FFFF:0010 and up) maps to 00000-0FFFF, as the wrap-around on an 8086. */
#include "hv.h"
#include "ept.h"
#include "x86/asm.h"

#define PORT_SYS_CTRL_A 0x92 /* bit 1: A20 gate (fast A20) */
#define PORT_KBC_DATA 0x60
#define PORT_KBC_CMD 0x64
#define KBC_WRITE_OUTPUT 0xd1 /* next byte to 60h is the output port; bit 1 is A20 */

static int guest_a20 = 1;
static int kbc_wants_output;

void a20_trap_ports(void (*trap)(uint16_t port))
{
    trap(PORT_SYS_CTRL_A);
    trap(PORT_KBC_CMD);
    trap(PORT_KBC_DATA);
}

static void set_guest_a20(int on)
{
    if (on == guest_a20)
        return;
    guest_a20 = on;
    for (uint64_t gpa = 0x100000; gpa < 0x110000; gpa += 0x1000) {
        uint64_t size, *pte = ept_leaf(hv.ept_pml4, gpa, &hv_pages, &size);
        if (pte && size == 0x1000)
            *pte = (*pte & ~EPT_ADDR_MASK) | (on ? gpa : gpa - 0x100000);
    }
    invept_all();
    hv.vcpu.a20_switches++;
}

int a20_io(uint16_t port, int in, unsigned size, uint32_t *val)
{
    if (size != 1)
        return 0;
    if (port == PORT_SYS_CTRL_A) {
        if (in) {
            *val = (inb(port) & ~2u) | (guest_a20 ? 2u : 0);
        } else {
            set_guest_a20((*val & 2) != 0);
            outb(port, (uint8_t)((*val | 2) & ~1u)); /* gate stays on; bit 0 would reset the CPU */
        }
        return 1;
    }
    if (port == PORT_KBC_CMD) {
        if (in) {
            *val = inb(port);
        } else {
            kbc_wants_output = (*val & 0xff) == KBC_WRITE_OUTPUT;
            outb(port, (uint8_t)*val);
        }
        return 1;
    }
    if (port == PORT_KBC_DATA) {
        if (in) {
            *val = inb(port);
        } else {
            if (kbc_wants_output) {
                set_guest_a20((*val & 2) != 0);
                *val |= 2;
            }
            kbc_wants_output = 0;
            outb(port, (uint8_t)*val);
        }
        return 1;
    }
    return 0;
}
