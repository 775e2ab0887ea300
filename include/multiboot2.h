/* multiboot2.h - the Multiboot2 (1.0) boot information: what GRUB hands the
 * hv on a UEFI PC (x86_64-efi) and, when asked, on a BIOS PC. Section numbers
 * are the Multiboot2 specification's. */
#ifndef MULTIBOOT2_H
#define MULTIBOOT2_H
#include <stdint.h>

#define MB2_HEADER_MAGIC 0xE85250D6u     /* 3.1.1: in the kernel image */
#define MB2_BOOTLOADER_MAGIC 0x36D76289u /* 3.3: EAX at the entry */

/* 3.6: the information is a u32 total_size, a u32 reserved, then tags, each
 * 8-byte aligned, the last of type 0 (size 8). */
struct mb2_info_head {
    uint32_t total_size, reserved;
};
struct mb2_tag {
    uint32_t type, size; /* size without the padding to 8 */
};
_Static_assert(sizeof(struct mb2_tag) == 8, "Multiboot2 3.6.1");

enum {
    MB2_TAG_END = 0,
    MB2_TAG_CMDLINE = 1,       /* 3.6.5: u8 string[] */
    MB2_TAG_LOADER_NAME = 2,   /* 3.6.6 */
    MB2_TAG_MODULE = 3,        /* 3.6.6: u32 mod_start, mod_end, string[] */
    MB2_TAG_BASIC_MEMINFO = 4, /* 3.6.3: u32 mem_lower, mem_upper (KiB) */
    MB2_TAG_BOOTDEV = 5,
    MB2_TAG_MMAP = 6, /* 3.6.8 */
    MB2_TAG_VBE = 7,
    MB2_TAG_FRAMEBUFFER = 8, /* 3.6.12 */
    MB2_TAG_ELF_SECTIONS = 9,
    MB2_TAG_APM = 10,
    MB2_TAG_EFI32 = 11,
    MB2_TAG_EFI64 = 12,
    MB2_TAG_SMBIOS = 13,
    MB2_TAG_ACPI_OLD = 14, /* 3.6.14: a copy of the revision-0 RSDP */
    MB2_TAG_ACPI_NEW = 15, /* 3.6.15: a copy of the revision-2 RSDP (XSDT) */
    MB2_TAG_NETWORK = 16,
    MB2_TAG_EFI_MMAP = 17, /* 3.6.16: the EFI memory map, after ExitBootServices */
    MB2_TAG_EFI_BS = 18,   /* boot services not terminated (we never ask for it) */
    MB2_TAG_EFI32_IH = 19,
    MB2_TAG_EFI64_IH = 20,
    MB2_TAG_LOAD_BASE = 21, /* the relocatable image's load address */
};

struct mb2_tag_module {
    uint32_t type, size, mod_start, mod_end;
    /* char string[] */
};

/* 3.6.8: entry_size (a multiple of 8, may grow), entry_version 0, entries. */
struct mb2_tag_mmap {
    uint32_t type, size, entry_size, entry_version;
};
struct mb2_mmap_entry {
    uint64_t base_addr, length;
    uint32_t type, reserved; /* 1 RAM, 3 ACPI reclaimable, 4 NVS, 5 bad, other reserved */
};
_Static_assert(sizeof(struct mb2_mmap_entry) == 24, "Multiboot2 3.6.8");

/* 3.6.12: the common part; the colour information follows it. */
struct mb2_tag_framebuffer {
    uint32_t type, size;
    uint64_t addr;
    uint32_t pitch, width, height;
    uint8_t bpp, fb_type; /* 0 indexed, 1 direct RGB, 2 EGA text */
    uint16_t reserved;
    /* fb_type 1: u8 red_pos, red_size, green_pos, green_size, blue_pos, blue_size */
    uint8_t red_pos, red_size, green_pos, green_size, blue_pos, blue_size;
} __attribute__((packed));
_Static_assert(sizeof(struct mb2_tag_framebuffer) == 38, "Multiboot2 3.6.12");
#define MB2_FB_INDEXED 0
#define MB2_FB_RGB 1
#define MB2_FB_EGA_TEXT 2

/* 3.6.16: descriptor_size (may exceed 40), descriptor_version, then UEFI
 * EFI_MEMORY_DESCRIPTORs (UEFI 2.x, 7.2 GetMemoryMap). */
struct mb2_tag_efi_mmap {
    uint32_t type, size, descr_size, descr_vers;
};
struct efi_memory_descriptor {
    uint32_t type, pad;
    uint64_t phys_start, virt_start, num_pages, attribute; /* pages of 4 KiB */
};
_Static_assert(sizeof(struct efi_memory_descriptor) == 40, "UEFI EFI_MEMORY_DESCRIPTOR");
enum {
    EFI_RESERVED = 0,
    EFI_LOADER_CODE = 1,
    EFI_LOADER_DATA = 2,
    EFI_BOOT_SERVICES_CODE = 3,
    EFI_BOOT_SERVICES_DATA = 4,
    EFI_RUNTIME_SERVICES_CODE = 5,
    EFI_RUNTIME_SERVICES_DATA = 6,
    EFI_CONVENTIONAL = 7,
    EFI_UNUSABLE = 8,
    EFI_ACPI_RECLAIM = 9,
    EFI_ACPI_NVS = 10,
    EFI_MMIO = 11,
    EFI_MMIO_PORT_SPACE = 12,
    EFI_PAL_CODE = 13,
    EFI_PERSISTENT = 14,
};

#endif
