/* disk.h - the drives INT 13h serves and the drivers behind them:
 * ata.c (ATA disks and ATAPI CD-ROMs, PIO), floppy.c (the 82077 FDC with
 * DMA), ramdisk.c (flat_copy from the hv's modules above 1 MiB) and CD
 * floppy emulation (eltorito.c). disk.c numbers them and speaks INT 13h. */
#ifndef ROMBIOS_DISK_H
#define ROMBIOS_DISK_H
#include "rombios.h"
#include "bios/int13.h"
#include "diskgeom.h"

enum { DRV_FLOPPY = 1, DRV_ATA, DRV_ATAPI, DRV_RAM, DRV_EMUL };

struct drive {
    u8 type;          /* DRV_* */
    u8 unit;          /* floppy 0/1; ATA channel * 2 + slave */
    u8 fdtype;        /* floppies: the CMOS drive type INT 13h 08h reports in BL */
    u8 lba48;         /* ATA: the disk takes 48-bit LBA commands */
    u8 media;         /* DRV_EMUL: the El Torito media type; CD-ROMs: ELTORITO_NOEMUL */
    u16 sector_size;  /* 512, or 2048 for CD-ROMs */
    struct chs geom;  /* what INT 13h 08h reports and 02h addresses */
    u32 sectors;      /* capacity in sector_size units */
    u32 base;         /* RAM disk: linear address; DRV_EMUL: the image's first CD sector */
    struct drive *cd; /* DRV_EMUL: the CD (ATAPI or RAM) holding the image */
    u8 locks;         /* INT 13h 45h: how often the medium was locked (CD-ROMs) */
};

/* INT 13h status codes (AH) */
#define DISK_OK 0x00
#define DISK_EBADCMD 0x01 /* invalid function or parameter */
#define DISK_EADDRMARK 0x02
#define DISK_EWRPROT 0x03
#define DISK_ENOSECTOR 0x04
#define DISK_ERESET 0x05
#define DISK_EDMA64K 0x09
#define DISK_ENOMEDIA 0x0c
#define DISK_EFDC 0x20
#define DISK_ESEEK 0x40
#define DISK_ETIMEOUT 0x80
#define DISK_ENOTREADY 0xaa
#define DISK_ENOTLOCKED 0xb0    /* 45h: unlock of a drive not locked */
#define DISK_ELOCKED 0xb1       /* 46h: the medium is locked */
#define DISK_ENOTREMOVABLE 0xb2 /* 45h/46h: fixed medium */
#define DISK_ELOCKCOUNT 0xb4    /* 45h: lock count overflow */
#define DISK_EEJECT 0xb5        /* 46h: eject request failed */
#define DISK_EUNDEF 0xbb        /* undefined error: the device did something unexpected */
#define DISK_EWRFAULT 0xcc
#define DISK_ESTATUS 0xe0 /* the controller reported an error in its status */

#define IO_READ 0
#define IO_WRITE 1
#define IO_VERIFY 2

/* One 2048-byte buffer in our segment for the sectors the BIOS itself reads
 * (boot catalog, partial CD sectors of floppy emulation, verify). */
extern u8 disk_buf[2048];

/* disk.c */
/* A new drive of a class (VMXLAB_BOOT_FLOPPY/DISK/CDROM): the next number of
 * that class, or the first one (00h, 80h, E0h) shifting the others up. */
struct drive *drive_new(u8 kind, int first);
void drive_remove(struct drive *d);
u8 drive_number(const struct drive *d);
/* Transfer count sectors (sector_size each) at lba to/from seg:off; the
 * buffer may run past its segment (the address is renormalized). *count
 * becomes the number done. Returns an INT 13h status. */
u8 drive_io(struct drive *d, int op, u32 lba, u16 *count, u16 seg, u16 off);
void disk_equipment(void); /* 40:10 floppy bits from the floppy drive count */
/* Wait until (inb(port) & mask) == want, or until the flag becomes set
 * (port 0), for at most ticks timer ticks; interrupts get a window while we
 * wait. Returns 0 or -1 on timeout. */
int disk_wait(u16 port, u8 mask, u8 want, volatile u8 *flag, u16 ticks);

/* ata.c */
void ata_setup(void);
u8 ata_rw(struct drive *d, int op, u32 lba, u16 count, u16 seg, u16 off);
u8 atapi_read(struct drive *d, u32 lba, u16 count, u16 seg, u16 off);
extern volatile u8 ata_irq_seen;

/* floppy.c */
void floppy_setup(void);
u8 floppy_rw(struct drive *d, int op, u32 lba, u16 count, u16 seg, u16 off);
u8 floppy_reset(void);
u8 floppy_seek_to(struct drive *d, u16 cyl);

/* ramdisk.c */
void ramdisk_setup(void);
u8 ramdisk_rw(struct drive *d, int op, u32 lba, u16 count, u16 seg, u16 off);

/* eltorito.c */
/* Boot a CD (ATAPI or RAM): returns 0 and the entry point, or -1. */
int eltorito_boot(struct drive *cd, u8 *drive, u16 *seg, u16 *off);
/* INT 13h 4Bh: the specification packet of the emulation (or of a no-emulation boot). */
void disk_134b(struct bregs *r);

/* Port string I/O into/out of seg:off (the one place with inline assembly
 * outside fw16.h): `rep insw` with ES = the caller's segment. */
static inline void insw_far(u16 port, u16 seg, u16 off, u16 words)
{
    u32 d = off, n = words;
    __asm__ volatile("pushw %%es\n\tmovw %w2, %%es\n\tcld\n\taddr32 rep insw\n\tpopw %%es"
                     : "+D"(d), "+c"(n)
                     : "r"(seg), "d"(port)
                     : "memory");
}
static inline void outsw_far(u16 port, u16 seg, u16 off, u16 words)
{
    u32 s = off, n = words;
    __asm__ volatile("pushw %%ds\n\tmovw %w2, %%ds\n\tcld\n\taddr32 rep outsw\n\tpopw %%ds"
                     : "+S"(s), "+c"(n)
                     : "r"(seg), "d"(port)
                     : "memory");
}
/* Let a pending interrupt in (sti's shadow covers the nop, then cli). */
static inline void irq_window(void) { __asm__ volatile(FW16_NOTE_FLOOR "sti\n\tnop\n\tcli" ::: "memory"); }

#endif
