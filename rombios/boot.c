/* boot.c - INT 19h (bootstrap loader) and INT 18h (no bootable device).
 * The boot order comes from the hv's handoff block (a RAM disk first, then
 * the device the user chose with boot=, then CD, hard disk, floppy) or, on a
 * plain PC, from the CMOS boot-sequence bytes Bochs and QEMU set. */
#include "rombios.h"

#define BOOT_RAMDISK 4
u8 boot_order[BOOT_MAX];
static const char *const boot_names[] = { "none", "floppy", "hard disk", "CD-ROM", "RAM disk" };

static void add(u8 kind)
{
    for (int i = 0; i < BOOT_MAX; i++) {
        if (boot_order[i] == kind)
            return;
        if (!boot_order[i]) {
            boot_order[i] = kind;
            return;
        }
    }
}

void boot_setup(void)
{
    for (int i = 0; i < BOOT_MAX; i++)
        boot_order[i] = 0;
    if (have_handoff) {
        if (peekl(HANDOFF_SEG, HANDOFF_OFF(n_ramdisks)))
            add(BOOT_RAMDISK);
        u32 dev = peekl(HANDOFF_SEG, HANDOFF_OFF(boot_device));
        if (dev >= VMXLAB_BOOT_FLOPPY && dev <= VMXLAB_BOOT_CDROM)
            add((u8)dev);
        add(VMXLAB_BOOT_CDROM);
        add(VMXLAB_BOOT_DISK);
        add(VMXLAB_BOOT_FLOPPY);
    } else {
        /* CMOS 3Dh: first (bits 3-0) and second (7-4) device; 38h bits 7-4:
         * third. 1 floppy, 2 hard disk, 3 CD-ROM (Bochs' and QEMU's encoding). */
        u8 seq[3] = { cmos_read(CMOS_BOOT_1_2) & 15, cmos_read(CMOS_BOOT_1_2) >> 4, cmos_read(CMOS_BOOT_3) >> 4 };
        for (int i = 0; i < 3; i++)
            if (seq[i] >= 1 && seq[i] <= 3)
                add(seq[i]);
        if (!boot_order[0])
            add(VMXLAB_BOOT_FLOPPY);
    }
    bprintf("rombios: boot order:");
    for (int i = 0; i < BOOT_MAX && boot_order[i]; i++)
        bprintf(" %s", boot_names[boot_order[i]]);
    bprintf("\n");
}

/* INT 19h: load the first boot record that a device in the order yields and
 * return into it (CS:IP from the device, DL = its drive number). */
void handle_int19(struct bregs *r)
{
    for (int i = 0; i < BOOT_MAX && boot_order[i]; i++) {
        u8 drive;
        u16 seg, off;
        bprintf("rombios: booting from %s\n", boot_names[boot_order[i]]);
        if (disk_boot(boot_order[i], &drive, &seg, &off) == 0) {
            bprintf("rombios: boot record at %04x:%04x, drive %02x\n", seg, off, drive);
            r->cs = seg;
            r->ip = off;
            r->edx = drive;
            r->flags |= F_IF;
            return;
        }
    }
    /* Nothing booted: INT 18h, as a PC BIOS has always done. */
    __asm__ volatile("int $0x18");
}

/* INT 18h: no bootable device (once ROM BASIC). Say so and stop the machine
 * instead of rebooting in a loop. */
void handle_int18(struct bregs *r)
{
    (void)r;
    panic("no bootable device: each device in the boot order failed (see the lines above)");
}
