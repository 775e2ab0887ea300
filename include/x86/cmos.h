/* cmos.h - the MC146818 RTC and its CMOS RAM (ports 70h/71h): the index
 * port's NMI bit, the clock registers and the ones a PC BIOS keeps its
 * configuration in (memory sizes, floppy types, the Bochs/QEMU boot order). */
#ifndef X86_CMOS_H
#define X86_CMOS_H

#define CMOS_INDEX 0x70
#define CMOS_DATA 0x71
#define CMOS_NMI_OFF 0x80 /* bit 7 of the index keeps NMI masked */

/* The clock (binary or BCD as register B says). */
#define RTC_SEC 0x00
#define RTC_MIN 0x02
#define RTC_HOUR 0x04
#define RTC_DAY 0x07
#define RTC_MONTH 0x08
#define RTC_YEAR 0x09
#define RTC_A 0x0a
#define RTC_B 0x0b
#define RTC_CENTURY 0x32
#define RTC_A_UIP 0x80 /* an update is in progress: the fields are changing */
#define RTC_B_SET 0x80 /* updates stopped while the time is set */
#define RTC_B_BINARY 0x04
#define RTC_B_24H 0x02
#define RTC_B_DST 0x01

/* Configuration a BIOS reads. */
#define CMOS_FLOPPY_TYPES 0x10 /* bits 7-4 drive 0, 3-0 drive 1 */
#define CMOS_BASE_KB_LO 0x15   /* base memory in KiB */
#define CMOS_BASE_KB_HI 0x16
#define CMOS_EXT_KB_LO 0x17 /* KiB above 1 MiB (at most 15 MiB) */
#define CMOS_EXT_KB_HI 0x18
#define CMOS_EXT2_KB_LO 0x30 /* the same, as the BIOS's POST found it */
#define CMOS_EXT2_KB_HI 0x31
#define CMOS_MEM16_LO 0x34 /* 64 KiB blocks above 16 MiB */
#define CMOS_MEM16_HI 0x35
#define CMOS_BOOT_3 0x38   /* third boot device in the high nibble */
#define CMOS_BOOT_1_2 0x3d /* first and second boot device, low and high nibble */
#define CMOS_MEM4G_0 0x5b  /* 64 KiB blocks above 4 GiB, three bytes */
#define CMOS_MEM4G_1 0x5c
#define CMOS_MEM4G_2 0x5d

#endif
