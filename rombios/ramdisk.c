/* ramdisk.c - RAM disks: GRUB modules (`module IMAGE ramdisk=fd|hd|cd`) the
 * hv leaves in guest RAM above 1 MiB and lists in the handoff block. They
 * are served the way memdisk serves them: every transfer is a flat_copy
 * between the image and the caller's buffer. */
#include "disk.h"

_Static_assert(VMXLAB_RAMDISK_FLOPPY == VMXLAB_BOOT_FLOPPY && VMXLAB_RAMDISK_DISK == VMXLAB_BOOT_DISK &&
                   VMXLAB_RAMDISK_CDROM == VMXLAB_BOOT_CDROM,
               "a RAM disk kind is the drive class drive_new takes");

/* The RAM disks come first in their class: the hv's boot order puts them first. */
void ramdisk_setup(void)
{
    u32 n = peekl(HANDOFF_SEG, HANDOFF_OFF(n_ramdisks));
    for (u32 i = 0; i < n && i < VMXLAB_MAX_RAMDISKS; i++) {
        u16 e = (u16)(HANDOFF_OFF(ramdisk) + i * sizeof(struct vmxlab_ramdisk));
        u32 base = peekl(HANDOFF_SEG, e + __builtin_offsetof(struct vmxlab_ramdisk, base));
        u32 size = peekl(HANDOFF_SEG, e + __builtin_offsetof(struct vmxlab_ramdisk, size));
        u32 kind = peekl(HANDOFF_SEG, e + __builtin_offsetof(struct vmxlab_ramdisk, kind));
        if (kind < VMXLAB_RAMDISK_FLOPPY || kind > VMXLAB_RAMDISK_CDROM) {
            bprintf("rombios: RAM disk %u: unknown kind %u, ignored\n", (unsigned)i, (unsigned)kind);
            continue;
        }
        struct drive *d = drive_new((u8)kind, 0); /* the RAMDISK and BOOT kinds are numbered alike */
        if (!d)
            break;
        d->type = DRV_RAM;
        d->base = base;
        d->sector_size = kind == VMXLAB_RAMDISK_CDROM ? 2048 : 512;
        d->sectors = size / d->sector_size;
        if (kind == VMXLAB_RAMDISK_FLOPPY) {
            d->fdtype = floppy_geom_by_size(size, &d->geom);
            if (!d->fdtype) { /* not a standard size: 1.44M tracks, as many as it holds */
                d->geom = (struct chs){ (u16)(size / (18 * 2 * 512)), 2, 18 };
                d->fdtype = 4;
                bprintf("rombios: RAM disk %u: %u bytes is no standard floppy size\n", (unsigned)i, (unsigned)size);
            }
        } else if (kind == VMXLAB_RAMDISK_DISK) {
            flat_copy(LINEAR(my_seg(), (u16)(u32)disk_buf), base, 512);
            hd_geom_guess(d->sectors, disk_buf, &d->geom);
        }
        bprintf("rombios: RAM disk %u: %s image at %08xh, %u KiB, drive %02xh\n", (unsigned)i,
                (const char *const[]){ "", "floppy", "hard disk", "CD-ROM" }[kind], (unsigned)base,
                (unsigned)(size >> 10), drive_number(d));
    }
}

u8 ramdisk_rw(struct drive *d, int op, u32 lba, u16 count, u16 seg, u16 off)
{
    if (op == IO_VERIFY)
        return DISK_OK; /* RAM has no bad sectors */
    if (op == IO_WRITE && d->sector_size == 2048)
        return DISK_EWRPROT; /* a CD image stays read-only like the disc */
    u32 mem = LINEAR(seg, off), disk = d->base + lba * d->sector_size, len = (u32)count * d->sector_size;
    flat_copy(op == IO_READ ? mem : disk, op == IO_READ ? disk : mem, len);
    return DISK_OK;
}
