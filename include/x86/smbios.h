/* smbios.h - the SMBIOS (DMI) tables rombios writes: the 32-bit entry point
 * and the structure types it builds. Layouts and field offsets follow the DMTF
 * SMBIOS Reference Specification, version 2.4 (DSP0134), which is what the
 * entry point announces: Linux's DMI scan, dmidecode, memtest86+ and
 * syslinux's HDT read it. */
#ifndef X86_SMBIOS_H
#define X86_SMBIOS_H
#include <stdint.h>

/* 5.2.1: on a 16-byte boundary in F0000-FFFFF; the first `length` bytes sum
 * to 0, and so do the 15 bytes from "_DMI_" (the intermediate entry point). */
struct __attribute__((packed)) smbios_entry {
    char anchor[4]; /* "_SM_" */
    uint8_t checksum;
    uint8_t length; /* 1Fh */
    uint8_t major, minor;
    uint16_t max_structure_size;
    uint8_t revision;
    uint8_t formatted[5];
    char dmi_anchor[5]; /* "_DMI_" */
    uint8_t dmi_checksum;
    uint16_t table_length;
    uint32_t table_address;
    uint16_t n_structures;
    uint8_t bcd_revision; /* 24h: 2.4 */
};
_Static_assert(sizeof(struct smbios_entry) == 0x1f, "SMBIOS 2.1 entry point layout");
#define SMBIOS_DMI_OFFSET 0x10 /* the intermediate entry point, 15 bytes */
#define SMBIOS_DMI_LEN 15

/* 6.1.2: each structure is a formatted area (type, length of that area,
 * handle, then the type's fields; strings are numbered 1..n and 0 means
 * none), followed by its strings, each NUL-terminated, and one more NUL (two
 * NULs when there are no strings). */
struct __attribute__((packed)) smbios_header {
    uint8_t type, length;
    uint16_t handle;
};
_Static_assert(sizeof(struct smbios_header) == 4, "SMBIOS structure header");

enum smbios_type {
    SMBIOS_BIOS = 0,          /* BIOS Information */
    SMBIOS_SYSTEM = 1,        /* System Information */
    SMBIOS_CHASSIS = 3,       /* System Enclosure or Chassis */
    SMBIOS_PROCESSOR = 4,     /* Processor Information */
    SMBIOS_MEMORY_ARRAY = 16, /* Physical Memory Array */
    SMBIOS_MEMORY_DEVICE = 17,
    SMBIOS_ARRAY_MAPPED = 19, /* Memory Array Mapped Address */
    SMBIOS_BOOT_INFO = 32,    /* System Boot Information */
    SMBIOS_END = 127,         /* End-of-Table */
};

/* The formatted-area lengths of the 2.4 layouts rombios writes. */
#define SMBIOS_BIOS_LEN 0x18
#define SMBIOS_SYSTEM_LEN 0x1b
#define SMBIOS_CHASSIS_LEN 0x15
#define SMBIOS_PROCESSOR_LEN 0x23
#define SMBIOS_MEMORY_ARRAY_LEN 0x0f
#define SMBIOS_MEMORY_DEVICE_LEN 0x1b
#define SMBIOS_ARRAY_MAPPED_LEN 0x0f
#define SMBIOS_BOOT_INFO_LEN 0x0b
#define SMBIOS_END_LEN 0x04

#define SMBIOS_NO_HANDLE 0xffff     /* e.g. no cache structure for a processor */
#define SMBIOS_NO_ERROR_INFO 0xfffe /* memory: error information not provided */

#endif
