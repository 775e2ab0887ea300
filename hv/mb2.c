/* mb2.c - the multiboot2 information parser (also built for host tests).
 *
 * On a UEFI PC GRUB (x86_64-efi) loads the hv with multiboot2: without the
 * EFI boot-services tag in our header it calls ExitBootServices and enters
 * the hv in 32-bit protected mode, paging off, as on a BIOS PC. What the hv
 * takes from the tags:
 *  - the memory map: the EFI map (tag 17) when there is one, since it is the
 *    one taken at ExitBootServices; there, conventional memory and the boot
 *    services' and loaders' code and data are free RAM (UEFI 2.x, 7.2:
 *    after ExitBootServices only runtime, ACPI and reserved types stay in
 *    use). Otherwise GRUB's own map (tag 6), type 1 being RAM;
 *  - the command line, the loader's name and the modules (tags 1, 2, 3);
 *  - the framebuffer GRUB set up (tag 8): a UEFI PC has no VGA text mode;
 *  - a copy of the RSDP (tag 15, else 14): a UEFI PC need not have one in
 *    E0000-FFFFF, where the BIOS path looks.
 * Everything is checked against the tags' sizes and the information's total
 * size, so a corrupt block gives one line, never a read past its end. */
#include "bootinfo.h"
#include "fmt.h"
#include "multiboot2.h"
#include "string.h"

static const void *phys(uintptr_t base, uint64_t addr) { return (const void *)(base + (uintptr_t)addr); }

/* A tag's string: at most n-1 bytes, and never past the tag's end. */
static void copy_tag_str(char *dst, size_t n, const char *s, size_t room)
{
    size_t i = 0;
    for (; i < room && s[i] && i + 1 < n; i++)
        dst[i] = s[i];
    dst[i] = '\0';
}

static int efi_type_is_free(uint32_t t)
{
    return t == EFI_CONVENTIONAL || t == EFI_LOADER_CODE || t == EFI_LOADER_DATA || t == EFI_BOOT_SERVICES_CODE ||
           t == EFI_BOOT_SERVICES_DATA;
}

static int parse_efi_mmap(const struct mb2_tag *t, struct boot_info *bi, char *err, size_t errlen)
{
    const struct mb2_tag_efi_mmap *m = (const void *)t;
    if (t->size < sizeof *m || m->descr_size < sizeof(struct efi_memory_descriptor)) {
        fmt_snprintf(err, errlen, "corrupt EFI memory map tag (size %u, descriptor size %u)", t->size,
                     t->size < sizeof *m ? 0 : m->descr_size);
        return -1;
    }
    for (uint32_t off = sizeof *m; off + m->descr_size <= t->size; off += m->descr_size) {
        const struct efi_memory_descriptor *d = (const void *)((const uint8_t *)t + off);
        if (!efi_type_is_free(d->type) || !d->num_pages)
            continue;
        if (d->type != EFI_CONVENTIONAL)
            bi->efi_free_pages += (uint32_t)d->num_pages;
        if (bootinfo_add_ram(bi, d->phys_start, d->num_pages << 12)) {
            fmt_snprintf(err, errlen, "EFI memory map has more than %d RAM ranges", BOOTINFO_MAX_RANGES);
            return -1;
        }
    }
    bi->efi_mmap = 1;
    return 0;
}

static int parse_mmap(const struct mb2_tag *t, struct boot_info *bi, char *err, size_t errlen)
{
    const struct mb2_tag_mmap *m = (const void *)t;
    if (t->size < sizeof *m || m->entry_size < sizeof(struct mb2_mmap_entry)) {
        fmt_snprintf(err, errlen, "corrupt memory map tag (size %u, entry size %u)", t->size,
                     t->size < sizeof *m ? 0 : m->entry_size);
        return -1;
    }
    for (uint32_t off = sizeof *m; off + m->entry_size <= t->size; off += m->entry_size) {
        const struct mb2_mmap_entry *e = (const void *)((const uint8_t *)t + off);
        if (e->type == 1 && e->length && bootinfo_add_ram(bi, e->base_addr, e->length)) {
            fmt_snprintf(err, errlen, "memory map has more than %d RAM ranges", BOOTINFO_MAX_RANGES);
            return -1;
        }
    }
    return 0;
}

static int parse_module(const struct mb2_tag *t, struct boot_info *bi, char *err, size_t errlen)
{
    const struct mb2_tag_module *m = (const void *)t;
    if (t->size < sizeof *m) {
        fmt_snprintf(err, errlen, "corrupt module tag (size %u)", t->size);
        return -1;
    }
    if (bi->n_mods == BOOTINFO_MAX_MODULES) {
        fmt_snprintf(err, errlen, "more than %d modules given", BOOTINFO_MAX_MODULES);
        return -1;
    }
    if (m->mod_end < m->mod_start) {
        fmt_snprintf(err, errlen, "module %u has its end (0x%x) below its start", bi->n_mods, m->mod_end);
        return -1;
    }
    struct boot_module *bm = &bi->mods[bi->n_mods++];
    bm->start = m->mod_start;
    bm->end = m->mod_end;
    copy_tag_str(bm->name, sizeof bm->name, (const char *)(m + 1), t->size - sizeof *m);
    return 0;
}

static void parse_framebuffer(const struct mb2_tag *t, struct boot_info *bi)
{
    const struct mb2_tag_framebuffer *f = (const void *)t;
    if (t->size < 32) /* the common part */
        return;
    bi->fb = (struct boot_fb){
        .addr = f->addr, .pitch = f->pitch, .width = f->width, .height = f->height, .bpp = f->bpp, .type = f->fb_type
    };
    if (f->fb_type == MB2_FB_RGB && t->size >= sizeof *f) {
        bi->fb.red_pos = f->red_pos, bi->fb.red_size = f->red_size;
        bi->fb.green_pos = f->green_pos, bi->fb.green_size = f->green_size;
        bi->fb.blue_pos = f->blue_pos, bi->fb.blue_size = f->blue_size;
    }
}

/* Tag 15 (revision 2, the XSDT) wins over tag 14 whatever their order. */
static void parse_rsdp(const struct mb2_tag *t, struct boot_info *bi)
{
    uint32_t n = t->size - 8, want = t->type == MB2_TAG_ACPI_NEW ? 36 : 20;
    if (n < want || (t->type == MB2_TAG_ACPI_OLD && bi->rsdp_len == 36))
        return;
    memcpy(bi->rsdp, t + 1, want);
    bi->rsdp_len = want;
}

int mb2_parse(uintptr_t base, uint32_t mbi_phys, struct boot_info *bi, char *err, size_t errlen)
{
    memset(bi, 0, sizeof *bi);
    bi->version = 2;
    if (!mbi_phys || (mbi_phys & 7)) {
        fmt_snprintf(err, errlen, "no multiboot2 information, or not 8-byte aligned (0x%x)", mbi_phys);
        return -1;
    }
    const struct mb2_info_head *h = phys(base, mbi_phys);
    if (h->total_size < sizeof *h + 8 || h->total_size > (1u << 20)) {
        fmt_snprintf(err, errlen, "multiboot2 information of %u bytes", h->total_size);
        return -1;
    }
    bi->mbi_start = mbi_phys;
    bi->mbi_end = mbi_phys + h->total_size;

    /* Two passes: the EFI memory map, when present, replaces tag 6. */
    int have_efi_mmap = 0, ended = 0;
    const uint8_t *p = (const uint8_t *)h, *end = p + h->total_size;
    for (const uint8_t *q = p + sizeof *h; q + 8 <= end;) {
        const struct mb2_tag *t = (const void *)q;
        if (t->size < 8 || t->size > (uint32_t)(end - q)) {
            fmt_snprintf(err, errlen, "multiboot2 tag of type %u at offset %u has size %u, past the end (%u bytes)",
                         t->type, (unsigned)(q - p), t->size, h->total_size);
            return -1;
        }
        if (t->type == MB2_TAG_END) {
            ended = 1;
            break;
        }
        have_efi_mmap |= t->type == MB2_TAG_EFI_MMAP;
        q += (t->size + 7) & ~7u;
    }
    if (!ended) {
        fmt_snprintf(err, errlen, "multiboot2 information without an end tag");
        return -1;
    }
    for (const uint8_t *q = p + sizeof *h;;) {
        const struct mb2_tag *t = (const void *)q;
        int r = 0;
        switch (t->type) {
        case MB2_TAG_END: break;
        case MB2_TAG_CMDLINE: copy_tag_str(bi->cmdline, sizeof bi->cmdline, (const char *)(t + 1), t->size - 8); break;
        case MB2_TAG_LOADER_NAME:
            copy_tag_str(bi->loader, sizeof bi->loader, (const char *)(t + 1), t->size - 8);
            break;
        case MB2_TAG_MODULE: r = parse_module(t, bi, err, errlen); break;
        case MB2_TAG_MMAP: r = have_efi_mmap ? 0 : parse_mmap(t, bi, err, errlen); break;
        case MB2_TAG_EFI_MMAP: r = parse_efi_mmap(t, bi, err, errlen); break;
        case MB2_TAG_FRAMEBUFFER: parse_framebuffer(t, bi); break;
        case MB2_TAG_ACPI_OLD:
        case MB2_TAG_ACPI_NEW: parse_rsdp(t, bi); break;
        }
        if (r)
            return -1;
        if (t->type == MB2_TAG_END)
            break;
        q += (t->size + 7) & ~7u;
    }
    if (!bi->n_ram) {
        fmt_snprintf(err, errlen, "the multiboot2 information has no memory map (tag 6 or 17) with RAM in it");
        return -1;
    }
    return 0;
}
