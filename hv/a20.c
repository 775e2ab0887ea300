/* a20.c - the A20 gate, virtualised.
 *
 * A guest that turns A20 off (port 92h bit 1, or the 8042's output port via
 * command D1h) would, on an emulator like Bochs, mask address bit 20 for the
 * hv too - and the hv lives above 1 MiB. So the hv keeps the real gate on,
 * remembers the guest's setting, and gives the guest the only A20 effect real
 * mode can see: with A20 off, guest-physical 100000-10FFFF (the HMA, reached
 * by FFFF:0010 and up) maps to 00000-0FFFF, as the wrap-around on an 8086.
 *
 * The same ports (and CF9h) also reset the machine: port 92h bit 0, the
 * 8042's pulse commands F0h-FEh with output bit 0 (the CPU reset line) low,
 * CF9h with RST_CPU. Passed on, they would reset the whole engine, hv and
 * all, and the guest would boot again from GRUB in a loop; instead the hv
 * takes them as the guest's machine reset (reset.c: onreset=exit ends the
 * run with one line naming the request, onreset=restart starts vmxloader
 * and the firmware again). */
#include "hv.h"
#include "ept.h"
#include "x86/asm.h"
#include "x86/kbc.h"
#include "vmxlab/vmcall.h"

#define PORT_RESET_CTRL 0xcf9 /* PIIX3/ICH reset control: bit 2 RST_CPU */
#define RST_CPU 0x04

static int guest_a20 = 1;
static int kbc_wants_output;
/* After command D0h the next byte read from 60h is the output port, whose
 * A20 bit on the real 8042 is always 1 (the gate stays on): the guest must
 * see its own setting there, as read-modify-write A20 code (D0h, OR/AND
 * bit 1, D1h) and drivers checking the switch read it back. */
static int kbc_reads_output;

void a20_trap_ports(void (*trap)(uint16_t port))
{
    trap(PORT_SYS_CTRL_A);
    trap(KBC_CMD);
    trap(KBC_DATA);
    trap(PORT_RESET_CTRL);
}

static __attribute__((noreturn)) void reset_request(const char *how) { guest_reset(how); }

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
            *val = (inb(port) & ~(uint32_t)SYS_CTRL_A_A20) | (guest_a20 ? SYS_CTRL_A_A20 : 0);
        } else {
            if (*val & SYS_CTRL_A_RESET)
                reset_request("port 92h bit 0");
            set_guest_a20((*val & SYS_CTRL_A_A20) != 0);
            outb(port, (uint8_t)(*val | SYS_CTRL_A_A20)); /* the gate stays on */
        }
        return 1;
    }
    if (port == PORT_RESET_CTRL) {
        if (in)
            *val = inb(port);
        else if (*val & RST_CPU)
            reset_request("CF9h RST_CPU");
        else
            outb(port, (uint8_t)*val);
        return 1;
    }
    if (port == KBC_CMD) {
        if (in) {
            *val = inb(port);
        } else {
            uint8_t cmd = (uint8_t)*val;
            if ((cmd & KBC_PULSE_MASK) == KBC_PULSE && !(cmd & KBC_OUTPUT_RESET))
                reset_request("8042 command pulsing the reset line");
            kbc_wants_output = cmd == KBC_WRITE_OUTPUT;
            kbc_reads_output = cmd == KBC_READ_OUTPUT;
            outb(port, cmd);
        }
        return 1;
    }
    if (port == KBC_DATA) {
        if (in) {
            *val = inb(port);
            if (kbc_reads_output)
                *val = (*val & ~(uint32_t)KBC_OUTPUT_A20) | (guest_a20 ? KBC_OUTPUT_A20 : 0);
            kbc_reads_output = 0;
        } else {
            if (kbc_wants_output) {
                if (!(*val & KBC_OUTPUT_RESET))
                    reset_request("8042 output port with the reset line low");
                set_guest_a20((*val & KBC_OUTPUT_A20) != 0);
                *val |= KBC_OUTPUT_A20;
            }
            kbc_wants_output = 0;
            outb(port, (uint8_t)*val);
        }
        return 1;
    }
    return 0;
}

void a20_reset(void)
{
    set_guest_a20(1);
    kbc_wants_output = kbc_reads_output = 0;
}
