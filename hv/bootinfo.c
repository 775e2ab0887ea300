/* bootinfo.c - multiboot v1 information parser (also built for host tests). */
#include "bootinfo.h"
#include "fmt.h"
#include "multiboot.h"
#include "string.h"
#include "words.h"

static const void *phys(uintptr_t base, uint64_t addr) { return (const void *)(base + (uintptr_t)addr); }

static void copy_str(char *dst, size_t n, uintptr_t base, uint32_t addr)
{
    const char *s = phys(base, addr);
    size_t i = 0;
    for (; addr && s[i] && i + 1 < n; i++)
        dst[i] = s[i];
    dst[i] = '\0';
}

static void grow(uint32_t *lo, uint32_t *hi, uint32_t start, uint32_t len)
{
    if (start < *lo)
        *lo = start;
    if (start + len > *hi)
        *hi = start + len;
}

/* Merge ranges that overlap or touch, keeping the list sorted. */
static void merge_neighbours(struct boot_info *bi)
{
    for (unsigned j = 0; j + 1 < bi->n_ram;) {
        struct mem_range *a = &bi->ram[j], *b = &bi->ram[j + 1];
        if (b->base <= a->base + a->len) {
            uint64_t end = b->base + b->len > a->base + a->len ? b->base + b->len : a->base + a->len;
            a->len = end - a->base;
            memmove(b, b + 1, (bi->n_ram - j - 2) * sizeof *b);
            bi->n_ram--;
        } else {
            j++;
        }
    }
}

/* Add [base, base+len) of RAM; a full table only matters when the range
 * touches none of the ranges already there. */
int bootinfo_add_ram(struct boot_info *bi, uint64_t base, uint64_t len)
{
    for (unsigned i = 0; i < bi->n_ram; i++) {
        struct mem_range *r = &bi->ram[i];
        if (base <= r->base + r->len && r->base <= base + len) {
            uint64_t end = base + len > r->base + r->len ? base + len : r->base + r->len;
            if (base < r->base)
                r->base = base;
            r->len = end - r->base;
            merge_neighbours(bi);
            return 0;
        }
    }
    if (bi->n_ram == BOOTINFO_MAX_RANGES)
        return -1;
    unsigned i = 0;
    while (i < bi->n_ram && bi->ram[i].base < base)
        i++;
    memmove(&bi->ram[i + 1], &bi->ram[i], (bi->n_ram - i) * sizeof bi->ram[0]);
    bi->ram[i] = (struct mem_range){ base, len, MULTIBOOT_MEMORY_AVAILABLE };
    bi->n_ram++;
    return 0;
}

int bootinfo_parse(uintptr_t base, uint32_t mbi_phys, struct boot_info *bi, char *err, size_t errlen)
{
    memset(bi, 0, sizeof *bi);
    bi->version = 1;
    if (!mbi_phys) {
        fmt_snprintf(err, errlen, "no multiboot information");
        return -1;
    }
    const struct multiboot_info *mbi = phys(base, mbi_phys);
    bi->mbi_start = mbi_phys;
    bi->mbi_end = mbi_phys + sizeof *mbi;

    if (mbi->flags & MB_INFO_CMDLINE) {
        copy_str(bi->cmdline, sizeof bi->cmdline, base, mbi->cmdline);
        grow(&bi->mbi_start, &bi->mbi_end, mbi->cmdline, (uint32_t)strlen(bi->cmdline) + 1);
    }

    if (!(mbi->flags & MB_INFO_MEM_MAP) || mbi->mmap_length == 0) {
        fmt_snprintf(err, errlen, "the boot loader gave no memory map (multiboot flags bit 6)");
        return -1;
    }
    grow(&bi->mbi_start, &bi->mbi_end, mbi->mmap_addr, mbi->mmap_length);
    for (uint32_t off = 0; off + 4 <= mbi->mmap_length;) {
        const struct multiboot_mmap_entry *e = phys(base, mbi->mmap_addr + off);
        if (e->size < 20 || off + 4 + e->size > mbi->mmap_length) {
            fmt_snprintf(err, errlen, "corrupt memory map entry at offset %u (size %u, map length %u)", off, e->size,
                         mbi->mmap_length);
            return -1;
        }
        if (e->type == MULTIBOOT_MEMORY_AVAILABLE && e->len && bootinfo_add_ram(bi, e->addr, e->len)) {
            fmt_snprintf(err, errlen, "memory map has more than %d RAM ranges", BOOTINFO_MAX_RANGES);
            return -1;
        }
        off += e->size + 4;
    }
    if (!bi->n_ram) {
        fmt_snprintf(err, errlen, "memory map lists no RAM");
        return -1;
    }

    if (mbi->flags & MB_INFO_MODS) {
        if (mbi->mods_count > BOOTINFO_MAX_MODULES) {
            fmt_snprintf(err, errlen, "%u modules given; at most %d are supported", mbi->mods_count,
                         BOOTINFO_MAX_MODULES);
            return -1;
        }
        grow(&bi->mbi_start, &bi->mbi_end, mbi->mods_addr, mbi->mods_count * sizeof(struct multiboot_module));
        const struct multiboot_module *m = phys(base, mbi->mods_addr);
        for (uint32_t i = 0; i < mbi->mods_count; i++) {
            if (m[i].mod_end < m[i].mod_start) {
                fmt_snprintf(err, errlen, "module %u has its end (0x%x) below its start", i, m[i].mod_end);
                return -1;
            }
            bi->mods[i].start = m[i].mod_start;
            bi->mods[i].end = m[i].mod_end;
            copy_str(bi->mods[i].name, sizeof bi->mods[i].name, base, m[i].string);
        }
        bi->n_mods = mbi->mods_count;
    }
    return 0;
}

int bootinfo_module_is(const struct boot_module *m, const char *name)
{
    size_t n = strlen(name);
    return !strncmp(m->name, name, n) && (m->name[n] == '\0' || m->name[n] == ' ');
}

const struct boot_module *bootinfo_module(const struct boot_info *bi, const char *name)
{
    for (unsigned i = 0; i < bi->n_mods; i++)
        if (bootinfo_module_is(&bi->mods[i], name))
            return &bi->mods[i];
    return 0;
}

/* RAM disks: GRUB 2 passes a multiboot v1 module's arguments without the
 * file name (`module /boot/guests/dos.img ramdisk=fd` gives "ramdisk=fd"). */
static const char *const ramdisk_words[] = {
    [VMXLAB_RAMDISK_FLOPPY] = "fd", [VMXLAB_RAMDISK_DISK] = "hd", [VMXLAB_RAMDISK_CDROM] = "cd"
};

int bootinfo_ramdisk_kind(const struct boot_module *m)
{
    const char *s = m->name, *w;
    for (size_t n; (n = next_word(&s, &w)) != 0;) {
        if (n < 8 || strncmp(w, "ramdisk=", 8))
            continue;
        for (int k = VMXLAB_RAMDISK_FLOPPY; k <= VMXLAB_RAMDISK_CDROM; k++)
            if (n == 10 && !strncmp(w + 8, ramdisk_words[k], 2))
                return k;
        return -1;
    }
    return 0;
}

#define ISO9660_MAGIC_AT 32769   /* "CD001" in the primary volume descriptor (sector 16, byte 1) */
#define FLOPPY_MAX_BYTES 2949120 /* 2.88 MB */

int bootinfo_ramdisk_check(unsigned i, const struct vmxlab_ramdisk *rd, const uint8_t *image, char *err, size_t errlen)
{
    static const char *const words[] = { "?", "fd", "hd", "cd" };
    const char *w = words[rd->kind & 3];
    int iso = rd->size >= ISO9660_MAGIC_AT + 5 && !memcmp(image + ISO9660_MAGIC_AT, "CD001", 5);
    const char *why = rd->kind == VMXLAB_RAMDISK_CDROM && !iso   ? "is no ISO 9660 image (no CD001 at byte 32769)"
                      : rd->kind == VMXLAB_RAMDISK_FLOPPY && iso ? "is an ISO 9660 image (use ramdisk=cd)"
                      : rd->kind == VMXLAB_RAMDISK_FLOPPY && rd->size > FLOPPY_MAX_BYTES
                          ? "is larger than any floppy (2.88 MB; use ramdisk=hd)"
                      : rd->kind == VMXLAB_RAMDISK_DISK && rd->size % 512 ? "is not whole 512-byte sectors"
                                                                          : 0;
    if (!why)
        return 0;
    fmt_snprintf(err, errlen, "RAM disk %u (ramdisk=%s, %u bytes) %s", i, w, rd->size, why);
    return -1;
}

int bootinfo_ramdisks(const struct boot_info *bi, uint64_t low, uint64_t high, struct vmxlab_ramdisk *rd, char *err,
                      size_t errlen)
{
    int n = 0;
    for (unsigned i = 0; i < bi->n_mods; i++) {
        const struct boot_module *m = &bi->mods[i];
        int kind = bootinfo_ramdisk_kind(m);
        if (!kind)
            continue;
        if (kind < 0) {
            fmt_snprintf(err, errlen,
                         "module %u '%s': unknown RAM disk kind (use ramdisk=fd, ramdisk=hd or ramdisk=cd)", i,
                         m->name);
            return -1;
        }
        if (m->end == m->start) {
            fmt_snprintf(err, errlen, "RAM disk module %u '%s' is empty (0 bytes)", i, m->name);
            return -1;
        }
        if (n == VMXLAB_MAX_RAMDISKS) {
            fmt_snprintf(err, errlen, "more than %d RAM disk modules (module %u '%s')", VMXLAB_MAX_RAMDISKS, i,
                         m->name);
            return -1;
        }
        if (m->start < low || m->end > high) {
            fmt_snprintf(err, errlen,
                         "RAM disk module %u '%s' at 0x%x-0x%x is outside 0x%llx-0x%llx, the guest RAM free for it "
                         "(below: the firmware and the guest; above: the hv)",
                         i, m->name, m->start, m->end, (unsigned long long)low, (unsigned long long)high);
            return -1;
        }
        int j = n++; /* insertion sort by base */
        for (; j > 0 && rd[j - 1].base > m->start; j--)
            rd[j] = rd[j - 1];
        rd[j] = (struct vmxlab_ramdisk){ m->start, m->end - m->start, (uint32_t)kind };
    }
    for (int j = 0; j + 1 < n; j++)
        if (rd[j].base + rd[j].size > rd[j + 1].base) {
            fmt_snprintf(err, errlen, "RAM disks at 0x%x and 0x%x overlap", rd[j].base, rd[j + 1].base);
            return -1;
        }
    return n;
}

int bootinfo_ramdisks_place_high(const struct vmxlab_ramdisk *rd, int n, uint64_t top, uint32_t *new_base)
{
    uint64_t end = top & ~0xfffull;
    for (int i = n - 1; i >= 0; i--) {
        if (rd[i].size > end)
            return -1;
        uint64_t b = (end - rd[i].size) & ~0xfffull;
        if (b < rd[i].base)
            return -1;
        new_base[i] = (uint32_t)b;
        end = b;
    }
    return 0;
}

uint64_t bootinfo_ram_top_below_4g(const struct boot_info *bi)
{
    uint64_t top = 0;
    for (unsigned i = 0; i < bi->n_ram; i++) {
        uint64_t end = bi->ram[i].base + bi->ram[i].len;
        if (bi->ram[i].base < (1ull << 32))
            top = end < (1ull << 32) ? end : (1ull << 32);
    }
    return top;
}
