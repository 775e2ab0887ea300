/* rombios.h - what rombios's files share. */
#ifndef ROMBIOS_H
#define ROMBIOS_H
#include <stdarg.h>
#include "bios/fw16.h"
#include "bios/bda.h"
#include "vmxlab/handoff.h"
#include "x86/acpi.h"
#include "x86/cmos.h"
#include "x86/ioport.h"
#include "x86/kbc.h"
#include "x86/pic.h"
#include "x86/pit.h"
#include "x86/smbios.h"

#define ROMBIOS_VERSION "0.1"
#define ROMBIOS_MAJOR 0
#define ROMBIOS_MINOR 1
#define ROMBIOS_DATE "12/03/2026" /* SMBIOS release date: mm/dd/yyyy */

/* ---- console.c: COM1 and, once the vgabios is up, the screen ---- */
void serial_init(void);
void bprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* dprintf(level, ...): prints when level <= debug_level (1, the default: each POST
 * step; 2: details such as every PCI function). */
extern int debug_level;
#define dprintf(level, ...)                                                                                            \
    do {                                                                                                               \
        if ((level) <= debug_level)                                                                                    \
            bprintf(__VA_ARGS__);                                                                                      \
    } while (0)
extern int screen_ready; /* the video BIOS answered: print through INT 10h too */
void panic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

/* ---- entry.asm ---- */
/* Call a BIOS interrupt from C with the registers in r (DS/ES too) and read
 * them back afterwards, FLAGS included. */
void intcall(u8 vec, struct bregs *r);
/* Copy len bytes (even, <= 128 KiB) between linear addresses through 16-bit
 * protected mode. */
int flat_copy(u32 dst, u32 src, u32 len);
extern char entry_iret[];

/* ---- memory.c: what memory the machine has (handoff block or CMOS) ---- */
struct memmap {
    u32 n;
    struct vmxlab_e820 e[24];
    u32 base_kb;   /* conventional memory below the EBDA (INT 12h) */
    u32 ext_kb;    /* 1 MiB to 16 MiB (INT 15h 88h, E801 AX) */
    u32 ext16_64k; /* 16 MiB to 4 GiB in 64 KiB units (E801 BX) */
};
extern struct memmap memmap;
/* The hv's handoff block (include/vmxlab/handoff.h) at E000:0000, read field
 * by field: peekl(HANDOFF_SEG, HANDOFF_OFF(n_e820)). */
#define HANDOFF_SEG (VMXLAB_HANDOFF_ADDR >> 4)
#define HANDOFF_OFF(field) ((u16) __builtin_offsetof(struct vmxlab_handoff, field))
/* 1: the hv's handoff block is at E000:0000 (its magic and version match);
 * 0: a plain PC, no hv. */
extern int have_handoff;
void memory_setup(void);

/* ---- cmos.c ---- */
u8 cmos_read(u8 reg);
void cmos_write(u8 reg, u8 v);
u8 bcd2bin(u8 v);
u8 bin2bcd(u8 v);

/* ---- boot order (boot.c) ---- */
#define BOOT_MAX 4
extern u8 boot_order[BOOT_MAX]; /* VMXLAB_BOOT_FLOPPY/DISK/CDROM, 4 = RAM disk; 0 ends */
void boot_setup(void);

/* ---- disk.c: INT 13h drives (ATA, ATAPI, floppy, RAM disks) ---- */
void disk_setup(void);
/* Load the boot image of the first device of the given kind and return its
 * drive number in DL, the load segment:offset in *seg:*off; -1 if none. */
int disk_boot(u8 kind, u8 *drive, u16 *seg, u16 *off);

/* ---- services: timer.c, kbd.c, serial.c, int15.c, pci.c and their pure parts ---- */
/* clock.c: RTC fields (status register B, x86/cmos.h: binary, 24-hour) and BIOS ticks */
u8 rtc_field_to_bin(u8 v, u8 regb);
u8 rtc_hour_to_bin(u8 v, u8 regb);
u32 seconds_to_ticks(u32 s);
#define TICKS_PER_DAY 0x1800b0 /* 24 h of 18.2065 Hz ticks */

/* kbdmap.c: the shift state (40:17) bits and the keys INT 16h returns */
#define KF_RSHIFT 0x01
#define KF_LSHIFT 0x02
#define KF_CTRL 0x04
#define KF_ALT 0x08
#define KF_SCROLL 0x10
#define KF_NUM 0x20
#define KF_CAPS 0x40
#define KF_INSERT 0x80
u16 kbd_translate(u8 code, int e0, u8 flags);
u16 kbd_legacy_key(u16 key);
struct serial_keys {
    u8 state, num, idle, last_eol;
};
int serial_key_byte(struct serial_keys *s, u8 c, u16 out[2]);
u16 serial_key_tick(struct serial_keys *s);

/* e820.c */
int e820_next(const struct memmap *m, u32 *ebx, struct vmxlab_e820 *out);

/* kbd.c: the BDA keyboard buffer and COM1 input */
extern int com1_input_off;  /* INT 14h took COM1 over */
void com1_input_tick(void); /* IRQ0: the lone-ESC timeout */

/* ---- the rest of POST (post.c calls these in order) ---- */
void timer_setup(void);
extern volatile u8 timer_ticking; /* IRQ 0 has come at least once */
void kbd_setup(void);
void kbd_input_report(void); /* after serial_ports_setup: where keys come from, when not PS/2 */
void serial_ports_setup(void);
void pci_setup(void);
void pci_vga_rom(void);         /* a plain PC: a PCI VGA's BIOS from its ROM BAR to C0000 */
extern u16 pci_vga_bdf;         /* whose ROM pci_vga_rom copied; 0xffff: none */
void pci_bios(struct bregs *r); /* INT 1Ah AH=B1h */
u32 pci_read32(u16 bdf, u8 reg);
void pci_write32(u16 bdf, u8 reg, u32 v);
int pci_find_id(u32 id); /* the first function with vendor | device << 16 = id, or -1 */

/* ---- ACPI and APM: acpi_tables.c (pure, host-tested), acpi.c, apm.c ---- */
struct acpi_config {
    u16 pm1a_evt, pm1a_cnt, pm_tmr; /* the chipset's PM1 event/control and PM timer ports */
    u8 s5_slp_typ;                  /* the \_S5 sleep type */
    u8 sci_irq;
};
#define ACPI_DSDT_AML_LEN 15
/* Where rombios keeps them: one block, 64-byte aligned (the FACS must be),
 * the RSDP first (16-byte aligned, in the F segment where OSes look). */
struct __attribute__((packed, aligned(64))) acpi_tables {
    struct acpi_rsdp rsdp;
    u8 pad[28];
    struct acpi_facs facs;
    struct __attribute__((packed)) {
        struct acpi_header h;
        u32 entry[1];
    } rsdt;
    struct acpi_fadt fadt;
    struct __attribute__((packed)) {
        struct acpi_header h;
        u8 aml[ACPI_DSDT_AML_LEN];
    } dsdt;
};
_Static_assert(__builtin_offsetof(struct acpi_tables, facs) == 64, "the FACS is 64-byte aligned");
/* Fills t, which lives at physical address phys (64-byte aligned). */
void acpi_build(struct acpi_tables *t, u32 phys, const struct acpi_config *c);
void acpi_setup(void);          /* POST: the PM base, the tables */
int acpi_built(void);           /* acpi_setup made the tables */
int acpi_power_off(void);       /* S5 through PM1a_CNT; returns only when nothing powered off (-1: no ACPI) */
void apm_bios(struct bregs *r); /* INT 15h AH=53h */

/* ---- SMBIOS: smbios_tables.c (pure, host-tested), smbios.c ---- */
struct smbios_config {
    u32 cpu_signature, cpu_features; /* CPUID 1's EAX and EDX: the processor ID */
    char cpu_vendor[13];             /* CPUID 0 */
    char cpu_brand[49];              /* CPUID 80000002h-80000004h, or "" */
    u64 ram_below_4g;                /* where RAM below 4 GiB ends (bytes) */
    u64 ram_above_4g;                /* bytes of RAM from 4 GiB up */
    int acpi;                        /* rombios built ACPI tables */
};
#define SMBIOS_TABLE_MAX 400
/* The entry point first (16-byte aligned, in the F segment where OSes look
 * for "_SM_"), then the structure table it points to. */
struct __attribute__((packed, aligned(16))) smbios_tables {
    struct smbios_entry ep;
    u8 pad;
    u8 table[SMBIOS_TABLE_MAX];
};
/* Fills t, which lives at physical address phys (16-byte aligned). Returns
 * the structure table's length, or -1 when the structures did not fit. */
int smbios_build(struct smbios_tables *t, u32 phys, const struct smbios_config *c);
void smbios_setup(void); /* POST: the CPU and the memory map, then the tables */

#endif
