/* test_bootinfo.c - hv/bootinfo.c against the Multiboot 0.6.96 spec (section
 * 3.3, "Boot information format"): a fake physical memory buffer holds what a
 * boot loader would leave there. */
#include "bootinfo.h"
#include "check.h"
#include "multiboot.h"
#include <stdlib.h>

#define PHYS_SIZE 0x10000u

/* Fake physical memory: [0, PHYS_SIZE) at mem; allocation from brk upwards. */
struct fake_phys {
    uint8_t *mem;
    uint32_t brk;
};

static struct fake_phys phys_new(uint32_t first)
{
    struct fake_phys p = { calloc(1, PHYS_SIZE), first };
    return p;
}

/* Copies n bytes to the next free 4-aligned physical address and returns it. */
static uint32_t phys_put(struct fake_phys *p, const void *data, size_t n)
{
    uint32_t at = p->brk;
    if (at + n > PHYS_SIZE) {
        fprintf(stderr, "test bug: fake physical memory full\n");
        abort();
    }
    memcpy(p->mem + at, data, n);
    p->brk = (uint32_t)((at + n + 3) & ~3u);
    return at;
}

static uint32_t phys_str(struct fake_phys *p, const char *s) { return phys_put(p, s, strlen(s) + 1); }

/* One memory map entry as a boot loader writes it; `size` may exceed 20. */
static size_t mmap_entry(uint8_t *dst, uint32_t size, uint64_t addr, uint64_t len, uint32_t type)
{
    memset(dst, 0xEE, size + 4); /* padding after the 20 bytes, as a loader with bigger entries may leave it */
    memcpy(dst, &size, 4);
    memcpy(dst + 4, &addr, 8);
    memcpy(dst + 12, &len, 8);
    memcpy(dst + 20, &type, 4);
    return size + 4;
}

struct e820 {
    uint32_t size;
    uint64_t addr, len;
    uint32_t type;
};

/* Writes a memory map and points mbi at it (flags bit 6). */
static void put_mmap(struct fake_phys *p, struct multiboot_info *mbi, const struct e820 *e, unsigned n)
{
    uint8_t buf[1024];
    size_t len = 0;
    for (unsigned i = 0; i < n; i++)
        len += mmap_entry(buf + len, e[i].size, e[i].addr, e[i].len, e[i].type);
    mbi->flags |= MB_INFO_MEM_MAP;
    mbi->mmap_addr = phys_put(p, buf, len);
    mbi->mmap_length = (uint32_t)len;
}

/* The E820 map of a 64 MiB PC (as Bochs and QEMU report it), GRUB-style 20-byte entries. */
static const struct e820 pc64m[] = {
    { 20, 0x0, 0x9fc00, 1 },        { 20, 0x9fc00, 0x400, 2 },     { 20, 0xf0000, 0x10000, 2 },
    { 20, 0x100000, 0x3ef0000, 1 }, { 20, 0x3ff0000, 0x10000, 3 }, { 20, 0xfffc0000, 0x40000, 2 },
};
#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Writes the finished mbi at its (already reserved) address. */
static uint32_t put_mbi(struct fake_phys *p, const struct multiboot_info *mbi, uint32_t at)
{
    memcpy(p->mem + at, mbi, sizeof *mbi);
    return at;
}

static int parse(struct fake_phys *p, uint32_t mbi_phys, struct boot_info *bi, char *err, size_t errlen)
{
    memset(err, 0, errlen);
    return bootinfo_parse((uintptr_t)p->mem, mbi_phys, bi, err, errlen);
}

static void check_ram(const struct boot_info *bi, unsigned i, uint64_t base, uint64_t end, const char *why)
{
    if (i >= bi->n_ram) {
        CHECK(0, "%s: no ram[%u] (n_ram = %u); wanted [0x%llx, 0x%llx)", why, i, bi->n_ram, (unsigned long long)base,
              (unsigned long long)end);
        return;
    }
    const struct mem_range *r = &bi->ram[i];
    CHECK(r->base == base && r->base + r->len == end && r->type == MULTIBOOT_MEMORY_AVAILABLE,
          "%s: ram[%u] = [0x%llx, 0x%llx) type %u; wanted [0x%llx, 0x%llx) type 1", why, i, (unsigned long long)r->base,
          (unsigned long long)(r->base + r->len), r->type, (unsigned long long)base, (unsigned long long)end);
}

static void bootinfo_keeps_only_available_ram_from_pc_map(void)
{
    struct fake_phys p = phys_new(0x1000);
    struct multiboot_info mbi = { 0 };
    uint32_t at = phys_put(&p, &mbi, sizeof mbi);
    put_mmap(&p, &mbi, pc64m, N(pc64m));
    put_mbi(&p, &mbi, at);
    struct boot_info bi;
    char err[128];
    int r = parse(&p, at, &bi, err, sizeof err);
    CHECK(r == 0, "bootinfo_parse = %d (\"%s\"); wanted 0", r, err);
    CHECK(bi.n_ram == 2, "n_ram = %u; wanted 2 (types 2 and 3 are not RAM)", bi.n_ram);
    check_ram(&bi, 0, 0, 0x9fc00, "PC map");
    check_ram(&bi, 1, 0x100000, 0x3ff0000, "PC map");
    CHECK(bootinfo_ram_top_below_4g(&bi) == 0x3ff0000, "bootinfo_ram_top_below_4g = 0x%llx; wanted 0x3ff0000",
          (unsigned long long)bootinfo_ram_top_below_4g(&bi));
    CHECK(bi.n_mods == 0, "n_mods = %u without flags bit 3; wanted 0", bi.n_mods);
    CHECK(bi.cmdline[0] == '\0', "cmdline = \"%s\" without flags bit 2; wanted \"\"", bi.cmdline);
    free(p.mem);
}

static void bootinfo_sorts_and_merges_ram_ranges(void)
{
    /* Out of order; touching, overlapping and contained RAM; entries with
     * size 24 (GRUB on some firmware) mixed with 20; a zero-length RAM entry;
     * non-RAM types in between and overlapping RAM. */
    static const struct e820 map[] = {
        { 24, 0x200000, 0x100000, 1 },      /* [2M, 3M) */
        { 20, 0x100000000, 0x40000000, 1 }, /* [4G, 5G) */
        { 24, 0x100000, 0x100000, 1 },      /* [1M, 2M): touches [2M, 3M) */
        { 20, 0x9fc00, 0x60400, 2 },        /* reserved [0x9fc00, 1M) */
        { 20, 0x280000, 0x200000, 1 },      /* [2.5M, 4.5M): overlaps */
        { 24, 0x0, 0x9fc00, 1 },            /* [0, 0x9fc00) */
        { 20, 0x5000000, 0, 1 },            /* empty: no range */
        { 20, 0x300000, 0x10000, 1 },       /* inside [1M, 4.5M) */
        { 20, 0x480000, 0x80000, 4 },       /* ACPI NVS right after: not RAM */
        { 24, 0xfec00000, 0x1400000, 2 },   /* reserved */
        { 20, 0x140000000, 0x1000, 1 },     /* touches [4G, 5G) from above */
    };
    struct fake_phys p = phys_new(0x1000);
    struct multiboot_info mbi = { 0 };
    uint32_t at = phys_put(&p, &mbi, sizeof mbi);
    put_mmap(&p, &mbi, map, N(map));
    put_mbi(&p, &mbi, at);
    struct boot_info bi;
    char err[128];
    int r = parse(&p, at, &bi, err, sizeof err);
    CHECK(r == 0, "bootinfo_parse = %d (\"%s\"); wanted 0", r, err);
    CHECK(bi.n_ram == 3, "n_ram = %u; wanted 3", bi.n_ram);
    check_ram(&bi, 0, 0, 0x9fc00, "merged map");
    check_ram(&bi, 1, 0x100000, 0x480000, "merged map");
    check_ram(&bi, 2, 0x100000000, 0x140001000, "merged map");
    CHECK(bootinfo_ram_top_below_4g(&bi) == 0x480000, "bootinfo_ram_top_below_4g = 0x%llx; wanted 0x480000",
          (unsigned long long)bootinfo_ram_top_below_4g(&bi));
    free(p.mem);
}

static void bootinfo_reads_entries_at_their_own_size(void)
{
    /* Only entries of size 24 (+4): a parser stepping 24 bytes would read
     * the second entry from the first one's padding. */
    static const struct e820 map[] = {
        { 24, 0x0, 0x9f000, 1 },
        { 24, 0x100000, 0x700000, 1 },
        { 24, 0x800000, 0x1000, 2 },
    };
    struct fake_phys p = phys_new(0x1000);
    struct multiboot_info mbi = { 0 };
    uint32_t at = phys_put(&p, &mbi, sizeof mbi);
    put_mmap(&p, &mbi, map, N(map));
    put_mbi(&p, &mbi, at);
    CHECK(mbi.mmap_length == 3 * 28, "test bug: mmap_length %u", mbi.mmap_length);
    struct boot_info bi;
    char err[128];
    int r = parse(&p, at, &bi, err, sizeof err);
    CHECK(r == 0, "bootinfo_parse = %d (\"%s\"); wanted 0", r, err);
    CHECK(bi.n_ram == 2, "n_ram = %u; wanted 2", bi.n_ram);
    check_ram(&bi, 0, 0, 0x9f000, "size-24 map");
    check_ram(&bi, 1, 0x100000, 0x800000, "size-24 map");
    free(p.mem);
}

static void bootinfo_ram_top_clamps_range_crossing_4g(void)
{
    static const struct e820 map[] = {
        { 20, 0x0, 0x9fc00, 1 }, { 20, 0x100000, 0x13ff00000, 1 }, /* [1M, 5G): no PCI hole */
    };
    struct fake_phys p = phys_new(0x1000);
    struct multiboot_info mbi = { 0 };
    uint32_t at = phys_put(&p, &mbi, sizeof mbi);
    put_mmap(&p, &mbi, map, N(map));
    put_mbi(&p, &mbi, at);
    struct boot_info bi;
    char err[128];
    int r = parse(&p, at, &bi, err, sizeof err);
    CHECK(r == 0, "bootinfo_parse = %d (\"%s\"); wanted 0", r, err);
    uint64_t top = bootinfo_ram_top_below_4g(&bi);
    CHECK(top == 0x100000000ull, "bootinfo_ram_top_below_4g = 0x%llx with RAM [1M, 5G); wanted 0x100000000",
          (unsigned long long)top);

    /* and RAM only above 4 GiB besides low memory: the top is that of low memory */
    static const struct e820 map2[] = {
        { 20, 0x100000000, 0x10000000, 1 },
        { 20, 0x0, 0x9fc00, 1 },
    };
    struct multiboot_info mbi2 = { 0 };
    uint32_t at2 = phys_put(&p, &mbi2, sizeof mbi2);
    put_mmap(&p, &mbi2, map2, N(map2));
    put_mbi(&p, &mbi2, at2);
    r = parse(&p, at2, &bi, err, sizeof err);
    CHECK(r == 0, "bootinfo_parse = %d (\"%s\"); wanted 0", r, err);
    top = bootinfo_ram_top_below_4g(&bi);
    CHECK(top == 0x9fc00, "bootinfo_ram_top_below_4g = 0x%llx with RAM [0, 0x9fc00) and [4G, 4.25G); wanted 0x9fc00",
          (unsigned long long)top);
    free(p.mem);
}

/* A GRUB-like layout: mbi, cmdline, module list, module strings, memory map. */
struct grub_like {
    struct fake_phys p;
    uint32_t mbi, cmdline, mods, mmap_end;
};

static struct grub_like grub_like(const char *cmdline, const char *const *names, const uint32_t (*spans)[2],
                                  unsigned n_mods)
{
    struct grub_like g = { phys_new(0x2000), 0, 0, 0, 0 };
    struct multiboot_info mbi = { 0 };
    g.mbi = phys_put(&g.p, &mbi, sizeof mbi);
    mbi.flags = MB_INFO_MEMORY;
    mbi.mem_lower = 639;
    mbi.mem_upper = 64512;
    if (cmdline) {
        mbi.flags |= MB_INFO_CMDLINE;
        mbi.cmdline = g.cmdline = phys_str(&g.p, cmdline);
    }
    if (n_mods) {
        struct multiboot_module m[16];
        memset(m, 0, sizeof m);
        mbi.flags |= MB_INFO_MODS;
        mbi.mods_count = n_mods;
        mbi.mods_addr = g.mods = phys_put(&g.p, m, n_mods * sizeof m[0]);
        for (unsigned i = 0; i < n_mods; i++) {
            m[i].mod_start = spans[i][0];
            m[i].mod_end = spans[i][1];
            m[i].string = names[i] ? phys_str(&g.p, names[i]) : 0;
        }
        memcpy(g.p.mem + g.mods, m, n_mods * sizeof m[0]);
    }
    put_mmap(&g.p, &mbi, pc64m, N(pc64m));
    g.mmap_end = mbi.mmap_addr + mbi.mmap_length;
    put_mbi(&g.p, &mbi, g.mbi);
    return g;
}

static void bootinfo_copies_cmdline_and_module_names(void)
{
    static const char *const names[] = { "/boot/testguest.bin guest", "guest extra args", "", NULL };
    static const uint32_t spans[][2] = {
        { 0x200000, 0x201000 }, { 0x300000, 0x300234 }, { 0x400000, 0x400000 }, { 0x500000, 0x500010 }
    };
    struct grub_like g = grub_like("/boot/hv.bin mode=ug trace=1", names, spans, 4);
    struct boot_info bi;
    char err[128];
    int r = parse(&g.p, g.mbi, &bi, err, sizeof err);
    CHECK(r == 0, "bootinfo_parse = %d (\"%s\"); wanted 0", r, err);
    CHECK_STR(bi.cmdline, "/boot/hv.bin mode=ug trace=1");
    CHECK(bi.n_mods == 4, "n_mods = %u; wanted 4", bi.n_mods);
    for (unsigned i = 0; i < 4 && i < bi.n_mods; i++) {
        CHECK(bi.mods[i].start == spans[i][0] && bi.mods[i].end == spans[i][1],
              "mods[%u] = [0x%x, 0x%x); wanted [0x%x, 0x%x)", i, bi.mods[i].start, bi.mods[i].end, spans[i][0],
              spans[i][1]);
        const char *want = names[i] ? names[i] : ""; /* string 0: no string */
        CHECK(check_streq(bi.mods[i].name, want), "mods[%u].name = \"%s\"; wanted \"%s\"", i, bi.mods[i].name, want);
    }
    free(g.p.mem);
}

static void bootinfo_truncates_long_module_name(void)
{
    char longname[100];
    memset(longname, 'a', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    const char *names[] = { longname };
    static const uint32_t spans[][2] = { { 0x200000, 0x201000 } };
    struct grub_like g = grub_like(NULL, names, spans, 1);
    struct boot_info bi;
    char err[128];
    int r = parse(&g.p, g.mbi, &bi, err, sizeof err);
    CHECK(r == 0, "bootinfo_parse = %d (\"%s\"); wanted 0", r, err);
    size_t n = strlen(bi.mods[0].name);
    CHECK(n == sizeof bi.mods[0].name - 1 && !strncmp(bi.mods[0].name, longname, n),
          "99-character module name kept as %zu characters; wanted the first %zu", n, sizeof bi.mods[0].name - 1);
    free(g.p.mem);
}

static void bootinfo_module_matches_whole_first_word(void)
{
    static const char *const names[] = { "guests", "guest extra args", "initrd" };
    static const uint32_t spans[][2] = { { 0x200000, 0x201000 }, { 0x300000, 0x301000 }, { 0x400000, 0x401000 } };
    struct grub_like g = grub_like("/boot/hv.bin", names, spans, 3);
    struct boot_info bi;
    char err[128];
    int r = parse(&g.p, g.mbi, &bi, err, sizeof err);
    CHECK(r == 0, "bootinfo_parse = %d (\"%s\"); wanted 0", r, err);
    const struct boot_module *m = bootinfo_module(&bi, "guest");
    CHECK(m == &bi.mods[1],
          "bootinfo_module(\"guest\") = mods[%ld]; wanted mods[1] (\"guest extra args\", not \"guests\")",
          m ? (long)(m - bi.mods) : -1L);
    m = bootinfo_module(&bi, "guests");
    CHECK(m == &bi.mods[0], "bootinfo_module(\"guests\") = mods[%ld]; wanted mods[0]", m ? (long)(m - bi.mods) : -1L);
    m = bootinfo_module(&bi, "initrd");
    CHECK(m == &bi.mods[2], "bootinfo_module(\"initrd\") = mods[%ld]; wanted mods[2]", m ? (long)(m - bi.mods) : -1L);
    m = bootinfo_module(&bi, "gues");
    CHECK(m == NULL, "bootinfo_module(\"gues\") = mods[%ld]; wanted NULL (a prefix is not a name)",
          m ? (long)(m - bi.mods) : -1L);
    m = bootinfo_module(&bi, "extra");
    CHECK(m == NULL, "bootinfo_module(\"extra\") = mods[%ld]; wanted NULL (only the first word names a module)",
          m ? (long)(m - bi.mods) : -1L);
    m = bootinfo_module(&bi, "vgabios");
    CHECK(m == NULL, "bootinfo_module(\"vgabios\") = mods[%ld]; wanted NULL", m ? (long)(m - bi.mods) : -1L);
    free(g.p.mem);
}

static void bootinfo_records_extent_of_multiboot_structures(void)
{
    static const char *const names[] = { "guest" };
    static const uint32_t spans[][2] = { { 0x200000, 0x201000 } };
    struct grub_like g = grub_like("/boot/hv.bin mode=assist", names, spans, 1);
    struct boot_info bi;
    char err[128];
    int r = parse(&g.p, g.mbi, &bi, err, sizeof err);
    CHECK(r == 0, "bootinfo_parse = %d (\"%s\"); wanted 0", r, err);
    /* the mbi is first and the memory map last in this layout */
    CHECK(bi.mbi_start == g.mbi && bi.mbi_end == g.mmap_end, "mbi extent [0x%x, 0x%x); wanted [0x%x, 0x%x)",
          bi.mbi_start, bi.mbi_end, g.mbi, g.mmap_end);

    /* pieces below and above the mbi widen the extent both ways */
    struct fake_phys p = phys_new(0x8000);
    struct multiboot_info mbi = { 0 };
    uint32_t at = phys_put(&p, &mbi, sizeof mbi);
    put_mmap(&p, &mbi, pc64m, N(pc64m));
    uint32_t mmap_end = mbi.mmap_addr + mbi.mmap_length;
    p.brk = 0x3000;
    mbi.flags |= MB_INFO_CMDLINE;
    mbi.cmdline = phys_str(&p, "/hv mode=ug"); /* 12 bytes with the NUL */
    p.brk = 0x2000;
    struct multiboot_module m[2] = { { 0x200000, 0x200100, 0, 0 }, { 0x300000, 0x300100, 0, 0 } };
    mbi.flags |= MB_INFO_MODS;
    mbi.mods_count = 2;
    mbi.mods_addr = phys_put(&p, m, sizeof m);
    put_mbi(&p, &mbi, at);
    r = parse(&p, at, &bi, err, sizeof err);
    CHECK(r == 0, "bootinfo_parse = %d (\"%s\"); wanted 0", r, err);
    CHECK(bi.mbi_start == 0x2000 && bi.mbi_end == mmap_end,
          "mbi extent [0x%x, 0x%x) with modules at 0x2000, cmdline at 0x3000, mbi at 0x%x; wanted [0x2000, 0x%x)",
          bi.mbi_start, bi.mbi_end, at, mmap_end);

    /* cmdline last: the extent ends after its NUL */
    struct fake_phys q = phys_new(0x1000);
    struct multiboot_info mbi3 = { 0 };
    uint32_t at3 = phys_put(&q, &mbi3, sizeof mbi3);
    put_mmap(&q, &mbi3, pc64m, N(pc64m));
    q.brk = 0x4000;
    mbi3.flags |= MB_INFO_CMDLINE;
    mbi3.cmdline = phys_str(&q, "/hv mode=ug");
    put_mbi(&q, &mbi3, at3);
    r = parse(&q, at3, &bi, err, sizeof err);
    CHECK(r == 0, "bootinfo_parse = %d (\"%s\"); wanted 0", r, err);
    CHECK(bi.mbi_start == at3 && bi.mbi_end == 0x4000 + 12,
          "mbi extent [0x%x, 0x%x) with the 12-byte cmdline at 0x4000; wanted [0x%x, 0x400c)", bi.mbi_start, bi.mbi_end,
          at3);
    free(g.p.mem);
    free(p.mem);
    free(q.mem);
}

/* Expects bootinfo_parse to fail with a one-line reason. */
static void check_rejected(struct fake_phys *p, uint32_t mbi_phys, const char *why)
{
    struct boot_info bi;
    char err[160];
    int r = parse(p, mbi_phys, &bi, err, sizeof err);
    CHECK(r == -1, "bootinfo_parse(%s) = %d; wanted -1", why, r);
    CHECK(err[0] != '\0', "bootinfo_parse(%s) left no message", why);
    CHECK(!check_contains(err, "\n"), "bootinfo_parse(%s) message has a newline: \"%s\"", why, err);
}

static void bootinfo_rejects_mbi_address_zero(void)
{
    struct fake_phys p = phys_new(0x1000);
    check_rejected(&p, 0, "mbi_phys 0");
    free(p.mem);
}

static void bootinfo_rejects_missing_memory_map(void)
{
    struct fake_phys p = phys_new(0x1000);
    struct multiboot_info mbi = { 0 };
    uint32_t at = phys_put(&p, &mbi, sizeof mbi);
    put_mmap(&p, &mbi, pc64m, N(pc64m));
    mbi.flags = MB_INFO_MEMORY; /* a map is there, but flags bit 6 says it is not valid */
    put_mbi(&p, &mbi, at);
    check_rejected(&p, at, "flags without bit 6");

    mbi.flags = MB_INFO_MEMORY | MB_INFO_MEM_MAP;
    mbi.mmap_length = 0;
    put_mbi(&p, &mbi, at);
    check_rejected(&p, at, "mmap_length 0");
    free(p.mem);
}

static void bootinfo_rejects_mmap_entry_smaller_than_20(void)
{
    static const struct e820 map[] = {
        { 20, 0x0, 0x9fc00, 1 },
        { 16, 0x100000, 0x3ef0000, 1 }, /* size must be at least 20 (addr, len, type) */
        { 20, 0xfffc0000, 0x40000, 2 },
    };
    struct fake_phys p = phys_new(0x1000);
    struct multiboot_info mbi = { 0 };
    uint32_t at = phys_put(&p, &mbi, sizeof mbi);
    put_mmap(&p, &mbi, map, N(map));
    put_mbi(&p, &mbi, at);
    check_rejected(&p, at, "an entry of size 16");

    static const struct e820 zero[] = { { 0, 0x0, 0x9fc00, 1 } };
    struct multiboot_info mbi2 = { 0 };
    uint32_t at2 = phys_put(&p, &mbi2, sizeof mbi2);
    put_mmap(&p, &mbi2, zero, N(zero));
    put_mbi(&p, &mbi2, at2);
    check_rejected(&p, at2, "an entry of size 0");
    free(p.mem);
}

static void bootinfo_rejects_map_without_ram(void)
{
    static const struct e820 map[] = { { 20, 0x9fc00, 0x400, 2 }, { 20, 0x100000, 0, 1 } };
    struct fake_phys p = phys_new(0x1000);
    struct multiboot_info mbi = { 0 };
    uint32_t at = phys_put(&p, &mbi, sizeof mbi);
    put_mmap(&p, &mbi, map, N(map));
    put_mbi(&p, &mbi, at);
    check_rejected(&p, at, "a map with no type-1 range");
    free(p.mem);
}

static void bootinfo_rejects_more_than_max_modules(void)
{
    static const char *const names[BOOTINFO_MAX_MODULES + 1] = { "m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8" };
    uint32_t spans[BOOTINFO_MAX_MODULES + 1][2];
    for (unsigned i = 0; i <= BOOTINFO_MAX_MODULES; i++) {
        spans[i][0] = 0x200000 + i * 0x10000;
        spans[i][1] = spans[i][0] + 0x1000;
    }
    struct grub_like g = grub_like("/boot/hv.bin", names, (const uint32_t(*)[2])spans, BOOTINFO_MAX_MODULES + 1);
    check_rejected(&g.p, g.mbi, "9 modules");
    free(g.p.mem);

    /* exactly the maximum is fine */
    g = grub_like("/boot/hv.bin", names, (const uint32_t(*)[2])spans, BOOTINFO_MAX_MODULES);
    struct boot_info bi;
    char err[128];
    int r = parse(&g.p, g.mbi, &bi, err, sizeof err);
    CHECK(r == 0 && bi.n_mods == BOOTINFO_MAX_MODULES,
          "bootinfo_parse with 8 modules = %d, n_mods %u (\"%s\"); wanted 0, 8", r, bi.n_mods, err);
    free(g.p.mem);
}

static void bootinfo_rejects_module_ending_before_start(void)
{
    static const char *const names[] = { "guest", "broken" };
    static const uint32_t spans[][2] = { { 0x200000, 0x201000 }, { 0x300000, 0x2fffff } };
    struct grub_like g = grub_like("/boot/hv.bin", names, spans, 2);
    check_rejected(&g.p, g.mbi, "module 1 ending at 0x2fffff, starting at 0x300000");
    free(g.p.mem);
}

static void bootinfo_merges_overlapping_range_into_full_table(void)
{
    /* BOOTINFO_MAX_RANGES disjoint RAM ranges, then one entry that overlaps
     * the first: after merging there are still only BOOTINFO_MAX_RANGES
     * ranges, so the map fits and must be accepted. */
    struct e820 map[BOOTINFO_MAX_RANGES + 1];
    for (unsigned i = 0; i < BOOTINFO_MAX_RANGES; i++)
        map[i] = (struct e820){ 20, 0x100000ull * (i + 1), 0x80000, 1 }; /* [n MiB, n.5 MiB) */
    map[BOOTINFO_MAX_RANGES] = (struct e820){ 20, 0x100000, 0x1000, 1 }; /* inside the first */
    struct fake_phys p = phys_new(0x1000);
    struct multiboot_info mbi = { 0 };
    uint32_t at = phys_put(&p, &mbi, sizeof mbi);
    put_mmap(&p, &mbi, map, N(map));
    put_mbi(&p, &mbi, at);
    struct boot_info bi;
    char err[128];
    int r = parse(&p, at, &bi, err, sizeof err);
    CHECK(r == 0, "bootinfo_parse of %d disjoint RAM ranges plus a duplicate = %d (\"%s\"); wanted 0",
          BOOTINFO_MAX_RANGES, r, err);
    CHECK(r != 0 || bi.n_ram == BOOTINFO_MAX_RANGES, "n_ram = %u; wanted %d", bi.n_ram, BOOTINFO_MAX_RANGES);
    free(p.mem);
}

static void bootinfo_ignores_entry_past_mmap_length(void)
{
    /* mmap_length covers one whole entry and only the size field and part of
     * the addr of a second one; bytes after the buffer must not become RAM. */
    static const struct e820 map[] = {
        { 20, 0x0, 0x9fc00, 1 }, { 20, 0x10000000, 0x1000, 1 }, /* only its first 8 bytes are inside mmap_length */
    };
    struct fake_phys p = phys_new(0x1000);
    struct multiboot_info mbi = { 0 };
    uint32_t at = phys_put(&p, &mbi, sizeof mbi);
    put_mmap(&p, &mbi, map, N(map));
    mbi.mmap_length = 24 + 8;
    put_mbi(&p, &mbi, at);
    struct boot_info bi;
    char err[128];
    int r = parse(&p, at, &bi, err, sizeof err);
    int leaked = 0;
    for (unsigned i = 0; r == 0 && i < bi.n_ram; i++)
        leaked |= bi.ram[i].base == 0x10000000;
    CHECK(!leaked, "an entry running past mmap_length (32 bytes, entry at offset 24 of size 20) became RAM "
                   "[0x10000000, 0x10001000); wanted it rejected (-1) or ignored");
    CHECK(r == -1 || (bi.n_ram == 1 && bi.ram[0].base == 0 && bi.ram[0].len == 0x9fc00),
          "bootinfo_parse = %d, n_ram %u; wanted -1, or 0 with only [0, 0x9fc00)", r, bi.n_ram);
    free(p.mem);
}

/* RAM disks (handoff.h): modules with `ramdisk=fd|hd|cd` in their string. */
#define RD_LOW 0x100000u
#define RD_HIGH 0x3e00000u

/* Parses a GRUB-like info with these modules and returns bootinfo_ramdisks' result. */
static int ramdisks_of(const char *const *names, const uint32_t (*spans)[2], unsigned n, struct vmxlab_ramdisk *rd,
                       char *err, size_t errlen)
{
    struct grub_like g = grub_like("/boot/hv.bin", names, spans, n);
    struct boot_info bi;
    int r = parse(&g.p, g.mbi, &bi, err, errlen);
    CHECK(r == 0, "bootinfo_parse = %d (\"%s\"); wanted 0", r, err);
    free(g.p.mem);
    return r ? -2 : bootinfo_ramdisks(&bi, RD_LOW, RD_HIGH, rd, err, errlen);
}

static void bootinfo_ramdisk_kind_reads_the_word_anywhere(void)
{
    struct boot_module m = { 0, 0, "" };
    static const struct {
        const char *s;
        int kind;
    } cases[] = { { "ramdisk=fd", VMXLAB_RAMDISK_FLOPPY },
                  { "ramdisk=hd", VMXLAB_RAMDISK_DISK },
                  { "ramdisk=cd", VMXLAB_RAMDISK_CDROM },
                  { "x ramdisk=hd y", VMXLAB_RAMDISK_DISK },
                  { "guest", 0 },
                  { "", 0 },
                  { "ramdisks=fd", 0 },
                  { "xramdisk=fd", 0 },
                  { "ramdisk=", -1 },
                  { "ramdisk=fdd", -1 },
                  { "ramdisk=FD", -1 },
                  { "ramdisk=floppy", -1 } };
    for (unsigned i = 0; i < N(cases); i++) {
        snprintf(m.name, sizeof m.name, "%s", cases[i].s);
        int k = bootinfo_ramdisk_kind(&m);
        CHECK(k == cases[i].kind, "bootinfo_ramdisk_kind(\"%s\") = %d; wanted %d", cases[i].s, k, cases[i].kind);
    }
}

/* The image must be what its kind says (bootinfo_ramdisk_check). */
static void bootinfo_ramdisk_check_refuses_a_kind_the_image_contradicts(void)
{
    static uint8_t iso[40960], plain[40960];
    memcpy(iso + 32769, "CD001", 5);
    char err[200];
    struct {
        uint32_t kind, size;
        const uint8_t *img;
        const char *says; /* 0: accepted */
    } cases[] = {
        { VMXLAB_RAMDISK_CDROM, sizeof iso, iso, 0 },
        { VMXLAB_RAMDISK_CDROM, sizeof plain, plain, "is no ISO 9660 image" },
        { VMXLAB_RAMDISK_CDROM, 2048, iso, "is no ISO 9660 image" }, /* too short to hold the descriptor */
        { VMXLAB_RAMDISK_FLOPPY, sizeof plain, plain, 0 },
        { VMXLAB_RAMDISK_FLOPPY, 2949120, plain, 0 },
        { VMXLAB_RAMDISK_FLOPPY, 2949121, plain, "larger than any floppy" },
        { VMXLAB_RAMDISK_FLOPPY, sizeof iso, iso, "is an ISO 9660 image (use ramdisk=cd)" },
        { VMXLAB_RAMDISK_DISK, sizeof plain, plain, 0 },
        { VMXLAB_RAMDISK_DISK, sizeof iso, iso, 0 }, /* a hybrid ISO boots as a hard disk */
        { VMXLAB_RAMDISK_DISK, 1000, plain, "is not whole 512-byte sectors" },
    };
    for (unsigned i = 0; i < N(cases); i++) {
        struct vmxlab_ramdisk rd = { 0x400000, cases[i].size, cases[i].kind };
        err[0] = 0;
        int r = bootinfo_ramdisk_check(1, &rd, cases[i].img, err, sizeof err);
        if (!cases[i].says)
            CHECK(r == 0, "case %u: kind %u, %u bytes refused (\"%s\"); wanted accepted", i, cases[i].kind,
                  cases[i].size, err);
        else
            CHECK(r == -1 && check_contains(err, cases[i].says) && check_contains(err, "RAM disk 1"),
                  "case %u: kind %u, %u bytes gave %d \"%s\"; wanted -1 and a line saying \"%s\"", i, cases[i].kind,
                  cases[i].size, r, err, cases[i].says);
    }
}

static void bootinfo_ramdisks_lists_them_sorted_by_base(void)
{
    static const char *const names[] = { "guest", "ramdisk=hd", "ramdisk=fd", "other", "ramdisk=cd" };
    static const uint32_t spans[][2] = { { 0x200000, 0x230000 },
                                         { 0x800000, 0x9f8000 },
                                         { 0x300000, 0x468000 },
                                         { 0x500000, 0x501000 },
                                         { 0xa00000, 0xa08000 } };
    struct vmxlab_ramdisk rd[VMXLAB_MAX_RAMDISKS];
    char err[200];
    int n = ramdisks_of(names, spans, N(names), rd, err, sizeof err);
    CHECK(n == 3, "bootinfo_ramdisks = %d (\"%s\"); wanted 3", n, err);
    static const struct vmxlab_ramdisk want[] = { { 0x300000, 0x168000, VMXLAB_RAMDISK_FLOPPY },
                                                  { 0x800000, 0x1f8000, VMXLAB_RAMDISK_DISK },
                                                  { 0xa00000, 0x8000, VMXLAB_RAMDISK_CDROM } };
    for (int i = 0; i < n && i < 3; i++)
        CHECK(rd[i].base == want[i].base && rd[i].size == want[i].size && rd[i].kind == want[i].kind,
              "rd[%d] = {0x%x, 0x%x, %u}; wanted {0x%x, 0x%x, %u}", i, rd[i].base, rd[i].size, rd[i].kind, want[i].base,
              want[i].size, want[i].kind);
}

static void bootinfo_ramdisks_none_without_the_word(void)
{
    static const char *const names[] = { "guest", "ramdisk" };
    static const uint32_t spans[][2] = { { 0x200000, 0x230000 }, { 0x300000, 0x301000 } };
    struct vmxlab_ramdisk rd[VMXLAB_MAX_RAMDISKS];
    char err[200];
    int n = ramdisks_of(names, spans, N(names), rd, err, sizeof err);
    CHECK(n == 0, "bootinfo_ramdisks = %d (\"%s\"); wanted 0", n, err);
}

/* Expects -1 and a message containing `want`. */
static void check_ramdisks_refused(const char *const *names, const uint32_t (*spans)[2], unsigned n, const char *want)
{
    struct vmxlab_ramdisk rd[VMXLAB_MAX_RAMDISKS];
    char err[200];
    int r = ramdisks_of(names, spans, n, rd, err, sizeof err);
    CHECK(r == -1, "bootinfo_ramdisks = %d; wanted -1 (%s)", r, want);
    CHECK(check_contains(err, want), "bootinfo_ramdisks says \"%s\"; wanted a message with \"%s\"", err, want);
}

static void bootinfo_ramdisks_refuses_empty_module(void)
{
    static const char *const names[] = { "guest", "ramdisk=fd" };
    static const uint32_t spans[][2] = { { 0x200000, 0x230000 }, { 0x300000, 0x300000 } };
    check_ramdisks_refused(names, spans, 2, "module 1 'ramdisk=fd' is empty");
}

static void bootinfo_ramdisks_refuses_unknown_kind(void)
{
    static const char *const names[] = { "ramdisk=usb" };
    static const uint32_t spans[][2] = { { 0x300000, 0x301000 } };
    check_ramdisks_refused(names, spans, 1, "use ramdisk=fd, ramdisk=hd or ramdisk=cd");
}

static void bootinfo_ramdisks_refuses_more_than_max(void)
{
    static const char *const names[] = { "ramdisk=fd", "ramdisk=fd", "ramdisk=hd", "ramdisk=hd", "ramdisk=cd" };
    static const uint32_t spans[][2] = { { 0x300000, 0x301000 },
                                         { 0x400000, 0x401000 },
                                         { 0x500000, 0x501000 },
                                         { 0x600000, 0x601000 },
                                         { 0x700000, 0x701000 } };
    check_ramdisks_refused(names, spans, 5, "more than 4 RAM disk modules (module 4");
}

static void bootinfo_ramdisks_refuses_module_outside_free_ram(void)
{
    static const char *const names[] = { "ramdisk=fd" };
    static const uint32_t below[][2] = { { 0x90000, 0x98000 } };
    check_ramdisks_refused(names, below, 1, "outside");
    static const uint32_t straddles[][2] = { { 0xff000, 0x101000 } };
    check_ramdisks_refused(names, straddles, 1, "0xff000-0x101000");
    static const uint32_t above[][2] = { { RD_HIGH - 0x1000, RD_HIGH + 1 } };
    check_ramdisks_refused(names, above, 1, "outside");
    static const uint32_t fits[][2] = { { RD_LOW, RD_HIGH } };
    struct vmxlab_ramdisk rd[VMXLAB_MAX_RAMDISKS];
    char err[200];
    int n = ramdisks_of(names, fits, 1, rd, err, sizeof err);
    CHECK(n == 1, "a RAM disk filling [low, high) exactly: bootinfo_ramdisks = %d (\"%s\"); wanted 1", n, err);
}

static void bootinfo_ramdisks_refuses_overlap(void)
{
    static const char *const names[] = { "ramdisk=fd", "ramdisk=hd" };
    static const uint32_t spans[][2] = { { 0x300000, 0x401000 }, { 0x400000, 0x500000 } };
    check_ramdisks_refused(names, spans, 2, "overlap");
}

static void bootinfo_ramdisks_place_high_packs_below_top(void)
{
    static const struct vmxlab_ramdisk rd[] = { { 0x202000, 0x168000, VMXLAB_RAMDISK_FLOPPY },
                                                { 0x36a000, 0x1f8001, VMXLAB_RAMDISK_DISK } };
    uint32_t nb[2] = { 0, 0 };
    int r = bootinfo_ramdisks_place_high(rd, 2, 0x3ef0000, nb);
    CHECK(r == 0, "place_high = %d; wanted 0", r);
    /* the hard disk (highest) goes last below top, page-aligned; the floppy below it */
    CHECK(nb[1] == 0x3cf7000, "disk 1 placed at 0x%x; wanted 0x3cf7000", nb[1]);
    CHECK(nb[0] == 0x3b8f000, "disk 0 placed at 0x%x; wanted 0x3b8f000", nb[0]);
    r = bootinfo_ramdisks_place_high(rd, 0, 0x3ef0000, nb);
    CHECK(r == 0, "place_high with no disks = %d; wanted 0", r);
}

static void bootinfo_ramdisks_place_high_never_moves_down(void)
{
    /* an unaligned disk ending just below top would move down to a page
     * boundary (over a disk below it, perhaps): leave all in place */
    static const struct vmxlab_ramdisk rd[] = { { 0x200000, 0x100000, VMXLAB_RAMDISK_FLOPPY },
                                                { 0x3e01800, 0xee7ff, VMXLAB_RAMDISK_DISK } };
    uint32_t nb[2];
    int r = bootinfo_ramdisks_place_high(rd, 2, 0x3ef0000, nb);
    CHECK(r == -1, "place_high = %d; wanted -1 (disk 1 would move down to 0x3e01000)", r);
    static const struct vmxlab_ramdisk big[] = { { 0x100000, 0x4000000, VMXLAB_RAMDISK_DISK } };
    r = bootinfo_ramdisks_place_high(big, 1, 0x3ef0000, nb);
    CHECK(r == -1, "place_high of a disk larger than top = %d; wanted -1", r);
}

int main(void)
{
    RUN(bootinfo_keeps_only_available_ram_from_pc_map);
    RUN(bootinfo_sorts_and_merges_ram_ranges);
    RUN(bootinfo_reads_entries_at_their_own_size);
    RUN(bootinfo_ram_top_clamps_range_crossing_4g);
    RUN(bootinfo_copies_cmdline_and_module_names);
    RUN(bootinfo_truncates_long_module_name);
    RUN(bootinfo_module_matches_whole_first_word);
    RUN(bootinfo_records_extent_of_multiboot_structures);
    RUN(bootinfo_rejects_mbi_address_zero);
    RUN(bootinfo_rejects_missing_memory_map);
    RUN(bootinfo_rejects_mmap_entry_smaller_than_20);
    RUN(bootinfo_rejects_map_without_ram);
    RUN(bootinfo_rejects_more_than_max_modules);
    RUN(bootinfo_rejects_module_ending_before_start);
    RUN(bootinfo_merges_overlapping_range_into_full_table);
    RUN(bootinfo_ignores_entry_past_mmap_length);
    RUN(bootinfo_ramdisk_kind_reads_the_word_anywhere);
    RUN(bootinfo_ramdisk_check_refuses_a_kind_the_image_contradicts);
    RUN(bootinfo_ramdisks_lists_them_sorted_by_base);
    RUN(bootinfo_ramdisks_none_without_the_word);
    RUN(bootinfo_ramdisks_refuses_empty_module);
    RUN(bootinfo_ramdisks_refuses_unknown_kind);
    RUN(bootinfo_ramdisks_refuses_more_than_max);
    RUN(bootinfo_ramdisks_refuses_module_outside_free_ram);
    RUN(bootinfo_ramdisks_refuses_overlap);
    RUN(bootinfo_ramdisks_place_high_packs_below_top);
    RUN(bootinfo_ramdisks_place_high_never_moves_down);
    return check_summary();
}
