/* bootinfo.h - what the hv keeps from the multiboot information. */
#ifndef HV_BOOTINFO_H
#define HV_BOOTINFO_H
#include <stddef.h>
#include <stdint.h>
#include "vmxlab/handoff.h"

#define BOOTINFO_MAX_RANGES 32
#define BOOTINFO_MAX_MODULES 8
#define BOOTINFO_CMDLINE_MAX 256

struct mem_range {
    uint64_t base, len;
    uint32_t type; /* multiboot/E820 type: 1 = RAM */
};

struct boot_module {
    uint32_t start, end; /* [start, end) physical */
    char name[64];       /* the module's command line (its first word is the name) */
};

/* A linear framebuffer the boot loader set up (multiboot2 tag 8). */
struct boot_fb {
    uint64_t addr; /* 0: none */
    uint32_t pitch, width, height;
    uint8_t bpp, type; /* type: MB2_FB_RGB (1) is the one the hv draws on */
    uint8_t red_pos, red_size, green_pos, green_size, blue_pos, blue_size;
};

struct boot_info {
    unsigned version; /* 1: multiboot v1 (bootinfo_parse), 2: multiboot2 (mb2_parse) */
    char cmdline[BOOTINFO_CMDLINE_MAX];
    struct mem_range ram[BOOTINFO_MAX_RANGES]; /* sorted, type 1 only */
    unsigned n_ram;
    struct boot_module mods[BOOTINFO_MAX_MODULES];
    unsigned n_mods;
    uint32_t mbi_start, mbi_end; /* extent of the multiboot structures themselves */
    /* Multiboot2 only (zero after bootinfo_parse): */
    char loader[32];         /* the boot loader's name (tag 2) */
    struct boot_fb fb;       /* tag 8 */
    uint8_t rsdp[36];        /* a copy of the machine's RSDP (tags 14, 15) */
    unsigned rsdp_len;       /* 0: none; 20: revision 0; 36: revision 2 */
    int efi_mmap;            /* the RAM came from the EFI memory map (tag 17) */
    uint32_t efi_free_pages; /* of which boot-services and loader pages, free after ExitBootServices */
};

/* multiboot2 (hv/mb2.c): the same as bootinfo_parse, from the tags at mbi_phys. */
int mb2_parse(uintptr_t phys_base, uint32_t mbi_phys, struct boot_info *bi, char *err, size_t errlen);

/* Adds [base, base+len) to bi->ram, merged with its neighbours; -1 when
 * the table is full. */
int bootinfo_add_ram(struct boot_info *bi, uint64_t base, uint64_t len);

/* Reads the multiboot info at physical address mbi_phys; physical memory is
 * visible at phys_base + address (0 in the hv, a buffer in host tests).
 * Returns 0, or -1 with a one-line reason in err. */
int bootinfo_parse(uintptr_t phys_base, uint32_t mbi_phys, struct boot_info *bi, char *err, size_t errlen);

/* The module whose name (first word of its string) is `name`, or NULL. */
const struct boot_module *bootinfo_module(const struct boot_info *bi, const char *name);
int bootinfo_module_is(const struct boot_module *m, const char *name); /* its first word is name */

/* The RAM disk kind a module asks for with a word `ramdisk=fd|hd|cd` in its
 * string (VMXLAB_RAMDISK_FLOPPY/DISK/CDROM), 0 when it has no such word,
 * -1 when the word names no kind. */
int bootinfo_ramdisk_kind(const struct boot_module *m);

/* The RAM disks among the modules, sorted by base, in rd[0..VMXLAB_MAX_RAMDISKS).
 * Each must be non-empty and lie inside [low, high): guest RAM that nothing
 * else the hv or the firmware uses. Returns how many, or -1 with the reason. */
int bootinfo_ramdisks(const struct boot_info *bi, uint64_t low, uint64_t high, struct vmxlab_ramdisk *rd, char *err,
                      size_t errlen);

/* Whether RAM disk i's image (its bytes at `image`) is what its kind says:
 * cd an ISO 9660 image (CD001 at byte 32769), fd no ISO and at most 2.88 MB,
 * hd whole 512-byte sectors. 0, or -1 with one line in err. */
int bootinfo_ramdisk_check(unsigned i, const struct vmxlab_ramdisk *rd, const uint8_t *image, char *err, size_t errlen);

/* New bases for the RAM disks rd[0..n) (sorted by base, inside [.., top)):
 * packed page-aligned just below top, the highest disk highest, so moving
 * them in the order n-1 .. 0 (memmove) never overwrites a disk not yet moved.
 * Returns 0, or -1 (leave them where they are) when a disk would have to move
 * down. Moving them up keeps the RAM above 1 MiB in one piece for the guest
 * (INT 15h 88h/E801, kernels loaded at 1 MiB), as memdisk does. */
int bootinfo_ramdisks_place_high(const struct vmxlab_ramdisk *rd, int n, uint64_t top, uint32_t *new_base);

/* Highest end address of RAM below 4 GiB. */
uint64_t bootinfo_ram_top_below_4g(const struct boot_info *bi);

#endif
