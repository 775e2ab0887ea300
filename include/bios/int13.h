/* int13.h - the INT 13h interface: BIOS drive numbers and the structures a
 * caller hands over through a far pointer (the EDD disk address packet, the
 * EDD drive parameters of 48h, the El Torito specification packet of 4Bh)
 * or gets back (the floppy disk base table of 08h and INT 1Eh). Sources:
 * the Phoenix EDD 3.0 specification, El Torito 1.0, the IBM PC AT BIOS. */
#ifndef BIOS_INT13_H
#define BIOS_INT13_H
#include <stddef.h>
#include <stdint.h>

/* Drive numbers (DL): each class counts up from its first number. */
#define DRIVE_FLOPPY_FIRST 0x00
#define DRIVE_HD_FIRST 0x80
#define DRIVE_CD_FIRST 0xe0 /* no-emulation CD-ROMs, 2048-byte sectors */
#define DRIVE_IS_FLOPPY(dl) ((dl) < DRIVE_HD_FIRST)
#define DRIVE_IS_HD(dl) ((dl) >= DRIVE_HD_FIRST && (dl) < DRIVE_CD_FIRST)

/* 42h-44h, 47h: the disk address packet at DS:SI. */
struct __attribute__((packed)) int13_dap {
    uint8_t size; /* 10h (18h with a 64-bit flat buffer address, not served) */
    uint8_t reserved;
    uint16_t count;            /* sectors; on return, the ones transferred */
    uint16_t buf_off, buf_seg; /* FFFFh:FFFFh: the 64-bit address follows */
    uint32_t lba_lo, lba_hi;   /* the 64-bit starting LBA */
};
_Static_assert(sizeof(struct int13_dap) == 0x10, "EDD disk address packet");

/* 48h: the drive parameters at DS:SI. The caller's size word says how much
 * it has room for: 1Ah (EDD 1.x), 1Eh (2.0: the DPTE pointer), 42h (3.0: the
 * device path). */
struct __attribute__((packed)) int13_drive_params {
    uint16_t size;
    uint16_t flags; /* INT13_DP_* */
    uint32_t cyls, heads, spt;
    uint64_t sectors;
    uint16_t sector_size;
    uint32_t dpte;   /* EDD 2.0: far pointer to the parameter table extension; FFFFFFFFh: none */
    uint16_t key;    /* EDD 3.0: BEDDh, the device path follows */
    uint8_t dpi_len; /* 24h: key through checksum */
    uint8_t reserved1;
    uint16_t reserved2;
    char host_bus[4];   /* "ISA ", "PCI " */
    char iface_type[8]; /* "ATA     ", "ATAPI   " */
    union {
        uint16_t isa_base; /* ISA: the controller's base port */
        uint8_t raw[8];
    } iface_path;
    union {
        uint8_t ata_slave; /* ATA/ATAPI: 0 master, 1 slave */
        uint8_t raw[8];
    } device_path;
    uint8_t reserved3;
    uint8_t checksum; /* key through checksum sum to 0 */
};
_Static_assert(sizeof(struct int13_drive_params) == 0x42, "EDD 3.0 drive parameters");
#define INT13_DP_SIZE_1X offsetof(struct int13_drive_params, dpte)
#define INT13_DP_SIZE_20 offsetof(struct int13_drive_params, key)
#define INT13_DP_SIZE_30 sizeof(struct int13_drive_params)
#define INT13_DP_CHS_VALID 0x02
#define INT13_DP_REMOVABLE 0x04
#define INT13_DP_KEY 0xbedd

/* 4B00h/4B01h: the El Torito specification packet at DS:SI. */
struct __attribute__((packed)) eltorito_spec {
    uint8_t size;        /* 13h */
    uint8_t media;       /* the boot media type (0 no emulation) */
    uint8_t drive;       /* the emulated (or the CD's) drive number */
    uint8_t controller;  /* the controller index */
    uint32_t lba;        /* the image's first CD sector */
    uint16_t device;     /* bit 0: slave */
    uint16_t buffer_seg; /* the user buffer segment for caching (unused: 0) */
    uint16_t load_seg;
    uint16_t count; /* 512-byte sectors loaded */
    uint8_t cyl_lo; /* floppy/hard disk emulation: INT 13h 08h's CH, CL, DH */
    uint8_t sec_cyl;
    uint8_t heads;
};
_Static_assert(sizeof(struct eltorito_spec) == 0x13, "El Torito specification packet");

/* The floppy disk base table: INT 13h 08h returns it in ES:DI, INT 1Eh
 * points to it. */
struct __attribute__((packed)) disk_base_table {
    uint8_t specify1;    /* step rate, head unload time */
    uint8_t specify2;    /* head load time, DMA mode (bit 0 clear) */
    uint8_t motor_off;   /* ticks until the motor goes off */
    uint8_t sector_size; /* 2: 512 bytes */
    uint8_t last_sector; /* sectors per track */
    uint8_t gap;         /* gap length */
    uint8_t data_len;    /* FFh: the sector size says it */
    uint8_t format_gap;
    uint8_t fill;        /* format fill byte */
    uint8_t head_settle; /* ms */
    uint8_t motor_start; /* 1/8 s */
};
_Static_assert(sizeof(struct disk_base_table) == 11, "disk base table (INT 1Eh)");

#endif
