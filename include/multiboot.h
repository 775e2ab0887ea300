/* multiboot.h - the Multiboot 0.6.96 (v1) boot information GRUB hands the hv. */
#ifndef MULTIBOOT_H
#define MULTIBOOT_H
#include <stdint.h>

#define MULTIBOOT_BOOTLOADER_MAGIC 0x2badb002

#define MB_INFO_MEMORY (1u << 0) /* mem_lower/mem_upper valid */
#define MB_INFO_CMDLINE (1u << 2)
#define MB_INFO_MODS (1u << 3)
#define MB_INFO_MEM_MAP (1u << 6)

struct multiboot_info {
    uint32_t flags;
    uint32_t mem_lower, mem_upper; /* KiB below 1 MiB, KiB above 1 MiB up to the first hole */
    uint32_t boot_device;
    uint32_t cmdline;
    uint32_t mods_count, mods_addr;
    uint32_t syms[4];
    uint32_t mmap_length, mmap_addr;
    uint32_t drives_length, drives_addr;
    uint32_t config_table;
    uint32_t boot_loader_name;
};
_Static_assert(sizeof(struct multiboot_info) == 68, "multiboot_info layout");

struct multiboot_module {
    uint32_t mod_start, mod_end; /* [start, end) physical */
    uint32_t string;             /* the rest of the GRUB `module` line */
    uint32_t reserved;
};
_Static_assert(sizeof(struct multiboot_module) == 16, "multiboot_module layout");

/* Memory map entries are preceded by their own size (which excludes the size field). */
struct __attribute__((packed)) multiboot_mmap_entry {
    uint32_t size;
    uint64_t addr, len;
    uint32_t type; /* 1 = available RAM */
};
_Static_assert(sizeof(struct multiboot_mmap_entry) == 24, "multiboot_mmap_entry layout");
#define MULTIBOOT_MEMORY_AVAILABLE 1

#endif
