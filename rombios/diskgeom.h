/* diskgeom.h - the pure arithmetic of INT 13h: CHS <-> LBA, the geometry a
 * drive reports, and the El Torito boot catalog (no I/O: host unit tests in
 * tests/unit/test_disk.c compile it too). */
#ifndef ROMBIOS_DISKGEOM_H
#define ROMBIOS_DISKGEOM_H
#include "bios/fw16.h"

struct chs {
    u16 cyls, heads, spt; /* counts: cylinders 0..cyls-1, heads 0..heads-1, sectors 1..spt */
};

/* INT 13h AH=02h addressing: sector numbers start at 1. Returns 0, or -1
 * when c/h/s lies outside the geometry. */
int chs_to_lba(const struct chs *g, u16 c, u16 h, u16 s, u32 *lba);
void lba_to_chs(const struct chs *g, u32 lba, u16 *c, u16 *h, u16 *s);

/* The standard diskette formats, found by image size (360K, 720K, 1.2M,
 * 1.44M, 1.68M DMF, 2.88M). Returns the CMOS drive type (1-5) that goes with
 * it, or 0 for a size that is none of them. */
u8 floppy_geom_by_size(u32 bytes, struct chs *g);
/* The format a CMOS drive type (10h: 1 360K, 2 1.2M, 3 720K, 4 1.44M,
 * 5 2.88M) reads by default; 0 for an unknown type. */
int floppy_geom_by_type(u8 type, struct chs *g);

/* A hard disk's CHS geometry: from the partition table when the MBR has
 * one (the end CHS of the partitions tells heads and sectors per track, the
 * way memdisk and DOS fdisk agree), else 16 heads x 63 for disks up to
 * 504 MiB and 255 x 63 beyond. Cylinders stop at 1024 (INT 13h 08h has 10
 * bits for them). mbr may be 0. */
void hd_geom_guess(u32 sectors, const u8 *mbr, struct chs *g);

/* ---- El Torito 1.0 (Phoenix/IBM, 1995) ---- */
#define ELTORITO_NOEMUL 0
#define ELTORITO_FD12 1
#define ELTORITO_FD144 2
#define ELTORITO_FD288 3
#define ELTORITO_HD 4
struct eltorito_boot {
    u8 media;         /* ELTORITO_* */
    u16 load_seg;     /* 0 means 07C0h */
    u16 sector_count; /* 512-byte virtual sectors to load */
    u32 load_rba;     /* first 2048-byte CD sector of the image */
};
/* Sector 17 (a 2048-byte buffer): the Boot Record Volume Descriptor. Returns
 * 0 and the boot catalog's sector, or ELTORITO_ENOBRVD. */
int eltorito_brvd(const u8 *sec, u32 *catalog);
/* The boot catalog's first sector: the validation entry (header ID 1, key
 * 55h AAh, words summing to 0) and the initial/default entry (80h bootable).
 * Returns 0, or a negative code naming the problem (eltorito_error). */
int eltorito_catalog(const u8 *cat, struct eltorito_boot *b);
const char *eltorito_error(int code);
#define ELTORITO_ENOBRVD (-1)  /* sector 17 is no boot record volume descriptor */
#define ELTORITO_EBADHDR (-2)  /* validation entry: header ID not 1 */
#define ELTORITO_EBADKEY (-3)  /* validation entry: no 55h AAh */
#define ELTORITO_ESUM (-4)     /* validation entry: words do not sum to 0 */
#define ELTORITO_ENOTBOOT (-5) /* default entry not bootable */
#define ELTORITO_EMEDIA (-6)   /* unknown emulation type */

#endif
