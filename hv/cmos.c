/* cmos.c - a small piece of device virtualisation: the RTC/CMOS registers
 * that tell a BIOS how much memory there is and where to boot from.
 *
 * Every other CMOS register passes through. A BIOS sizes memory from
 * registers 17h/18h and 30h/31h (KiB above 1 MiB, at most 15 MiB when there is
 * more), 34h/35h (64 KiB blocks above 16 MiB) and 5Bh-5Dh (64 KiB blocks
 * above 4 GiB); the hv answers with the guest's share only, so no BIOS ever
 * offers the hv's pages to an OS. Registers 3Dh (first and second boot
 * device in the low and high nibble) and 38h (third, in the high nibble)
 * hold the boot order of the Bochs/QEMU BIOS family: 1 floppy, 2 hard disk,
 * 3 CD-ROM. */
#include "hv.h"
#include "x86/asm.h"
#include "x86/cmos.h"

void cmos_trap_ports(void (*trap)(uint16_t port))
{
    trap(CMOS_INDEX);
    trap(CMOS_DATA);
}

/* The value of a virtualised register, or -1 to pass the access through. */
static int cmos_virtual(uint8_t index)
{
    uint64_t top = hv.guest_ram_top;
    uint32_t kb_above_1m = top > 0x100000 ? (uint32_t)((top - 0x100000) >> 10) : 0;
    uint32_t ext = kb_above_1m > 0x3c00 ? 0x3c00 : kb_above_1m; /* 15 MiB cap */
    uint32_t blocks16 = top > 0x1000000 ? (uint32_t)((top - 0x1000000) >> 16) : 0;
    switch (index) {
    case CMOS_EXT_KB_LO:
    case CMOS_EXT2_KB_LO: return ext & 0xff;
    case CMOS_EXT_KB_HI:
    case CMOS_EXT2_KB_HI: return ext >> 8;
    case CMOS_MEM16_LO: return blocks16 & 0xff;
    case CMOS_MEM16_HI: return (blocks16 >> 8) & 0xff;
    case CMOS_MEM4G_0:
    case CMOS_MEM4G_1:
    case CMOS_MEM4G_2: return 0; /* the guest gets no RAM above 4 GiB */
    case CMOS_BOOT_1_2: return hv.opt.boot == BOOT_DEFAULT ? -1 : (int)hv.opt.boot;      /* boot=: that device only */
    case CMOS_BOOT_3: return hv.opt.boot == BOOT_DEFAULT ? -1 : (inb(CMOS_DATA) & 0x0f); /* no third device */
    default: return -1;
    }
}

int cmos_io(uint16_t port, int in, uint32_t *val)
{
    if (port == CMOS_INDEX) {
        if (in) {
            *val = inb(CMOS_INDEX);
        } else {
            hv.cmos_index = *val & (uint8_t)~CMOS_NMI_OFF;
            outb(CMOS_INDEX, (uint8_t)*val);
        }
        return 1;
    }
    if (port != CMOS_DATA)
        return 0;
    int v = cmos_virtual(hv.cmos_index);
    if (in)
        *val = v >= 0 ? (uint32_t)v : inb(CMOS_DATA);
    else if (v < 0)
        outb(CMOS_DATA, (uint8_t)*val); /* writes to virtualised registers are dropped */
    return 1;
}
