/* test_mb2.c - hv/mb2.c, the multiboot2 information parser, against real
 * dumps of what GRUB left in memory (tests/unit/fixtures/README.md) and
 * against hand-made corrupt blocks. */
#include "bootinfo.h"
#include "check.h"
#include "multiboot2.h"
#include <stdlib.h>
#include <unistd.h>

#define PHYS_SIZE 0x200000u /* fake physical memory: both dumps' addresses fit */
static uint8_t *phys;

/* The repository's top: the binary is build/unit/test_mb2. */
static const char *top(void)
{
    static char path[4096];
    ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
    path[n > 0 ? n : 0] = '\0';
    for (int up = 0; up < 3; up++) { /* cut three path components */
        size_t n = strlen(path);
        while (n && path[n - 1] != '/')
            n--;
        path[n ? n - 1 : 0] = '\0';
    }
    return path;
}

/* Loads a fixture at physical address at; returns its size (0: missing). */
static uint32_t load(const char *name, uint32_t at)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/tests/unit/fixtures/%s", top(), name);
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    memset(phys, 0, PHYS_SIZE);
    size_t n = fread(phys + at, 1, PHYS_SIZE - at, f);
    fclose(f);
    return (uint32_t)n;
}

static int has_ram(const struct boot_info *bi, uint64_t base, uint64_t end)
{
    for (unsigned i = 0; i < bi->n_ram; i++)
        if (bi->ram[i].base == base && bi->ram[i].base + bi->ram[i].len == end)
            return 1;
    return 0;
}

static void ovmf_dump_gives_efi_ram_framebuffer_and_rsdp(void)
{
    struct boot_info bi;
    char err[200] = "";
    uint32_t n = load("mb2-ovmf-q35.bin", 0x2000);
    CHECK(n == 6896, "fixture mb2-ovmf-q35.bin: %u bytes read; wanted 6896", n);
    CHECK(mb2_parse((uintptr_t)phys, 0x2000, &bi, err, sizeof err) == 0, "mb2_parse failed: %s", err);
    CHECK_EQ(bi.version, 2);
    CHECK_STR(bi.cmdline, "mode=assist");
    CHECK_STR(bi.loader, "GRUB 2.06-13+deb12u2");
    CHECK_EQ(bi.mbi_start, 0x2000);
    CHECK_EQ(bi.mbi_end, 0x2000 + 6896);
    CHECK_EQ(bi.n_mods, 1);
    CHECK_EQ(bi.mods[0].start, 0x1000);
    CHECK_EQ(bi.mods[0].end, 0x16a0);
    CHECK_STR(bi.mods[0].name, "guest");
    /* The EFI map (types 1-4 and 7 free), not GRUB's tag 6. */
    CHECK_EQ(bi.efi_mmap, 1);
    CHECK_EQ(bi.efi_free_pages * 4, 91568);
    CHECK_EQ(bi.n_ram, 6);
    CHECK(has_ram(&bi, 0x100000, 0x806000), "no RAM range 0x100000-0x806000 (before OVMF's ACPI NVS at 0x806000)");
    CHECK(has_ram(&bi, 0x808000, 0x810000), "no RAM range 0x808000-0x810000");
    CHECK(has_ram(&bi, 0x900000, 0xeea0000), "no RAM range 0x900000-0xeea0000 (runtime data above it)");
    CHECK(has_ram(&bi, 0xfbfe000, 0xfef4000), "no RAM range 0xfbfe000-0xfef4000 (the highest, where the hv goes)");
    CHECK_EQ(bi.fb.addr, 0xc0000000);
    CHECK_EQ(bi.fb.width, 1280);
    CHECK_EQ(bi.fb.height, 800);
    CHECK_EQ(bi.fb.bpp, 32);
    CHECK_EQ(bi.fb.pitch, 5120);
    CHECK_EQ(bi.fb.type, MB2_FB_RGB);
    CHECK_EQ(bi.fb.red_pos, 16);
    CHECK_EQ(bi.fb.green_pos, 8);
    CHECK_EQ(bi.fb.blue_pos, 0);
    CHECK_EQ(bi.fb.blue_size, 8);
    CHECK_EQ(bi.rsdp_len, 36); /* tag 15 (ACPI 2.0), though tag 14 came first */
    CHECK(!memcmp(bi.rsdp, "RSD PTR ", 8), "the RSDP copy does not start with its signature");
    CHECK_EQ(bi.rsdp[15], 2);
}

static void seabios_vbe_dump_gives_e820_ram_and_vbe_framebuffer(void)
{
    struct boot_info bi;
    char err[200] = "";
    uint32_t n = load("mb2-seabios-vbe.bin", 0x1c86a0);
    CHECK(n == 1224, "fixture mb2-seabios-vbe.bin: %u bytes read; wanted 1224", n);
    CHECK(mb2_parse((uintptr_t)phys, 0x1c86a0, &bi, err, sizeof err) == 0, "mb2_parse failed: %s", err);
    CHECK_EQ(bi.efi_mmap, 0);
    CHECK(has_ram(&bi, 0x100000, 0xffe0000), "no RAM range 0x100000-0xffe0000 from the E820 map (tag 6)");
    CHECK_EQ(bi.fb.addr, 0xfd000000);
    CHECK_EQ(bi.fb.width, 1024);
    CHECK_EQ(bi.fb.height, 768);
    CHECK_EQ(bi.fb.pitch, 4096);
    CHECK_EQ(bi.fb.type, MB2_FB_RGB);
    CHECK_EQ(bi.rsdp_len, 20); /* SeaBIOS: ACPI 1.0, tag 14 only */
    CHECK_STR(bi.mods[0].name, "guest");
}

/* Every shorter total_size of a real block: an error line or a parse, never
 * a read outside the block (AddressSanitizer watches: the block is copied to
 * a buffer of exactly that size). */
static void truncated_blocks_never_read_past_their_end(void)
{
    uint32_t n = load("mb2-ovmf-q35.bin", 0x2000);
    unsigned errors = 0;
    for (uint32_t size = 8; size < n; size += 8) {
        uint8_t *blk = malloc(size);
        memcpy(blk, phys + 0x2000, size);
        memcpy(blk, &size, 4);
        struct boot_info bi;
        char err[200] = "";
        if (mb2_parse((uintptr_t)blk - 0x1000, 0x1000, &bi, err, sizeof err))
            errors += err[0] != '\0';
        else
            CHECK(0, "total_size %u (no end tag) parsed", size);
        free(blk);
    }
    CHECK(errors == (n - 8) / 8, "%u of %u truncated blocks gave an error line", errors, (n - 8) / 8);
}

/* Builds a block: tags appended, 8-aligned, at physical 0x1000. */
static uint32_t blk_len;
static void blk_start(void)
{
    memset(phys, 0, PHYS_SIZE);
    blk_len = 8;
}
static void blk_tag(uint32_t type, const void *body, uint32_t body_len)
{
    uint8_t *p = phys + 0x1000 + blk_len;
    uint32_t size = 8 + body_len;
    memcpy(p, &type, 4);
    memcpy(p + 4, &size, 4);
    if (body_len)
        memcpy(p + 8, body, body_len);
    blk_len += (size + 7) & ~7u;
    memcpy(phys + 0x1000, &blk_len, 4);
}
static void blk_end(void) { blk_tag(MB2_TAG_END, 0, 0); }

static void efi_map_replaces_tag_6_and_frees_only_boot_types(void)
{
    struct {
        uint32_t entry_size, version;
        struct mb2_mmap_entry e[1];
    } mm = { 24, 0, { { 0x100000, 0x100000, 1, 0 } } };
    struct {
        uint32_t size, vers;
        struct efi_memory_descriptor d[4];
    } em = { 40,
             1,
             { { EFI_CONVENTIONAL, 0, 0x200000, 0, 16, 0 },
               { EFI_BOOT_SERVICES_DATA, 0, 0x210000, 0, 16, 0 }, /* joins the one before */
               { EFI_RUNTIME_SERVICES_DATA, 0, 0x220000, 0, 16, 0 },
               { EFI_ACPI_RECLAIM, 0, 0x230000, 0, 16, 0 } } };
    blk_start();
    blk_tag(MB2_TAG_MMAP, &mm, sizeof mm);
    blk_tag(MB2_TAG_EFI_MMAP, &em, sizeof em);
    blk_end();
    struct boot_info bi;
    char err[200] = "";
    CHECK(mb2_parse((uintptr_t)phys, 0x1000, &bi, err, sizeof err) == 0, "mb2_parse failed: %s", err);
    CHECK_EQ(bi.n_ram, 1);
    CHECK_EQ(bi.ram[0].base, 0x200000);
    CHECK_EQ(bi.ram[0].len, 0x20000);
    CHECK_EQ(bi.efi_free_pages, 16);
}

static void larger_efi_descriptors_are_stepped_by_their_size(void)
{
    uint8_t em[8 + 2 * 48] = { 48, 0, 0, 0, 1 };
    struct efi_memory_descriptor d = { EFI_CONVENTIONAL, 0, 0x100000, 0, 1, 0 };
    memcpy(em + 8, &d, sizeof d);
    d.phys_start = 0x300000;
    memcpy(em + 8 + 48, &d, sizeof d);
    blk_start();
    blk_tag(MB2_TAG_EFI_MMAP, em, sizeof em);
    blk_end();
    struct boot_info bi;
    char err[200] = "";
    CHECK(mb2_parse((uintptr_t)phys, 0x1000, &bi, err, sizeof err) == 0, "mb2_parse failed: %s", err);
    CHECK_EQ(bi.n_ram, 2);
    CHECK_EQ(bi.ram[1].base, 0x300000);
}

static void tag_running_past_the_block_is_an_error(void)
{
    uint32_t body = 0;
    blk_start();
    blk_tag(MB2_TAG_CMDLINE, &body, 4);
    blk_end();
    uint32_t huge = 4096;
    memcpy(phys + 0x1000 + 8 + 4, &huge, 4); /* the cmdline tag's size */
    struct boot_info bi;
    char err[200] = "";
    CHECK(mb2_parse((uintptr_t)phys, 0x1000, &bi, err, sizeof err) == -1,
          "a tag of 4096 bytes in a 32-byte block parsed");
    CHECK(check_contains(err, "past the end"), "err = \"%s\"; wanted it to say the tag runs past the end", err);
}

static void block_without_ram_is_an_error(void)
{
    blk_start();
    blk_tag(MB2_TAG_CMDLINE, "x", 2);
    blk_end();
    struct boot_info bi;
    char err[200] = "";
    CHECK(mb2_parse((uintptr_t)phys, 0x1000, &bi, err, sizeof err) == -1, "a block without a memory map parsed");
    CHECK(check_contains(err, "no memory map"), "err = \"%s\"", err);
}

static void unterminated_strings_stop_at_the_tag_end(void)
{
    struct {
        uint32_t entry_size, version;
        struct mb2_mmap_entry e[1];
    } mm = { 24, 0, { { 0x100000, 0x100000, 1, 0 } } };
    blk_start();
    blk_tag(MB2_TAG_LOADER_NAME, "GRUBGRUB", 8); /* no NUL: the next tag's bytes follow */
    blk_tag(MB2_TAG_MMAP, &mm, sizeof mm);
    blk_end();
    struct boot_info bi;
    char err[200] = "";
    CHECK(mb2_parse((uintptr_t)phys, 0x1000, &bi, err, sizeof err) == 0, "mb2_parse failed: %s", err);
    CHECK_STR(bi.loader, "GRUBGRUB");
}

int main(void)
{
    phys = calloc(1, PHYS_SIZE);
    RUN(ovmf_dump_gives_efi_ram_framebuffer_and_rsdp);
    RUN(seabios_vbe_dump_gives_e820_ram_and_vbe_framebuffer);
    RUN(truncated_blocks_never_read_past_their_end);
    RUN(efi_map_replaces_tag_6_and_frees_only_boot_types);
    RUN(larger_efi_descriptors_are_stepped_by_their_size);
    RUN(tag_running_past_the_block_is_an_error);
    RUN(block_without_ram_is_an_error);
    RUN(unterminated_strings_stop_at_the_tag_end);
    free(phys);
    return check_summary();
}
