/* test_ept.c - hv/ept.c: the identity EPT of guest-physical memory, checked
 * against SDM Vol. 3C "EPT translation mechanism" (4-level tables, bit 7 makes
 * a 2 MiB PDE or 1 GiB PDPTE a leaf, bits 5:3 of a leaf are the memory type,
 * bits 2:0 the R/W/X permissions) and the layout rules of ept.h: the hv's own
 * pages unmapped, RAM typed by the MTRRs, everything else UC. */
#include "check.h"
#include "ept.h"
#include <stdlib.h>

#define KiB 0x400ull
#define MiB 0x100000ull
#define GiB 0x40000000ull
#define PAGE 0x1000ull

/* ---- a page allocator with a fake physical address space ---------------- */

#define FAKE_BASE 0x3f00000ull /* the table pages' "physical" addresses: in the hv's hole, like its pool */
#define FAKE_MAX 64

struct fake_pages {
    void *page[FAKE_MAX];
    unsigned n, limit;
    unsigned bad_virt; /* virt() calls for an address alloc() never returned */
    uint64_t bad_phys;
};

static void *fake_alloc(void *ctx, uint64_t *phys)
{
    struct fake_pages *f = ctx;
    if (f->n == f->limit || f->n == FAKE_MAX)
        return NULL;
    void *p = aligned_alloc(4096, 4096);
    memset(p, 0, 4096); /* alloc() promises a zeroed page */
    f->page[f->n] = p;
    *phys = FAKE_BASE + f->n * PAGE;
    f->n++;
    return p;
}

static void *fake_virt(void *ctx, uint64_t phys)
{
    static uint64_t empty[512];
    struct fake_pages *f = ctx;
    uint64_t i = (phys - FAKE_BASE) / PAGE;
    if (phys < FAKE_BASE || (phys & (PAGE - 1)) || i >= f->n) {
        f->bad_virt++;
        f->bad_phys = phys;
        return empty;
    }
    return f->page[i];
}

static void fake_free(struct fake_pages *f)
{
    for (unsigned i = 0; i < f->n; i++)
        free(f->page[i]);
    f->n = 0;
}

/* ---- the machine ---------------------------------------------------------- */

/* A 64 MiB PC: RAM below the EBDA and from 1 MiB to 64 MiB. */
static const struct mem_range pc_ram[] = { { 0, 0x9fc00, 1 }, { 0x100000, 0x3f00000, 1 } };
#define HOLE_START 0x3f00000ull /* the hv: 512 KiB at the top of RAM */
#define HOLE_END 0x3f80000ull

/* MTRRs enabled, default WB, fixed ranges WB but A0000-BFFFF UC, and one
 * variable range [3 GiB, 4 GiB) UC (MAXPHYADDR 36). */
static struct mtrr_state pc_mtrrs(void)
{
    struct mtrr_state m;
    memset(&m, 0, sizeof m);
    m.enabled = 1;
    m.fixed_enabled = 1;
    m.def_type = MT_WB;
    for (unsigned i = 0; i < MTRR_N_FIXED; i++)
        m.fixed[i] = i >= 16 && i < 24 ? MT_UC : MT_WB;
    m.n_var = 1;
    m.var[0].base = 0xc0000000;
    m.var[0].mask = 0xfc0000000;
    m.var[0].type = MT_UC;
    return m;
}

struct fixture {
    struct fake_pages pages;
    struct page_alloc pa;
    struct mtrr_state mtrr;
    struct ept_layout l;
    uint64_t pml4;
};

/* The brief's PC: top 4 GiB, 2 MiB pages, no 1 GiB pages, no remap. */
static void pc_layout(struct fixture *f)
{
    memset(f, 0, sizeof *f);
    f->mtrr = pc_mtrrs();
    f->l.ram = pc_ram;
    f->l.n_ram = 2;
    f->l.top = 4 * GiB;
    f->l.hole_start = HOLE_START;
    f->l.hole_end = HOLE_END;
    f->l.large_2m = 1;
    f->l.large_1g = 0;
    f->l.mtrr = &f->mtrr;
}

static void build(struct fixture *f)
{
    f->pages.limit = FAKE_MAX;
    f->pa = (struct page_alloc){ fake_alloc, fake_virt, &f->pages };
    f->pml4 = ept_build(&f->l, &f->pa);
    CHECK(f->pml4 != 0, "ept_build = 0 (out of pages after %u); wanted the PML4's address", f->pages.n);
}

static void finish(struct fixture *f)
{
    CHECK(f->pages.bad_virt == 0, "virt() was asked %u times for addresses alloc() never gave, e.g. 0x%llx",
          f->pages.bad_virt, (unsigned long long)f->pages.bad_phys);
    fake_free(&f->pages);
}

static const char *type_str(unsigned t)
{
    static const char *const s[8] = { "UC", "WC", "type 2 (reserved)", "type 3 (reserved)", "WT",
                                      "WP", "WB", "type 7 (reserved)" };
    return s[t & 7];
}

static const char *size_str(uint64_t size)
{
    return size == GiB ? "1 GiB" : size == 2 * MiB ? "2 MiB" : size == PAGE ? "4 KiB" : "bad size";
}

static uint64_t lookup(struct fixture *f, uint64_t gpa, uint64_t *size)
{
    *size = 0;
    return f->pml4 ? ept_lookup(f->pml4, gpa, &f->pa, size) : 0;
}

/* gpa is mapped RWX by a leaf of `want_size` (0: any) and memory type
 * `want_type`, to host-physical `want_hpa` (the identity when ~0). */
static void check_map_to(struct fixture *f, uint64_t gpa, uint64_t want_size, unsigned want_type, uint64_t want_hpa)
{
    uint64_t size, e = lookup(f, gpa, &size);
    if (!e) {
        CHECK(0, "ept_lookup(0x%llx) = not mapped; wanted a %s %s page", (unsigned long long)gpa,
              want_size ? size_str(want_size) : "", type_str(want_type));
        return;
    }
    uint64_t page = gpa & ~(size - 1);
    uint64_t hpa = want_hpa == ~0ull ? page : want_hpa & ~(size - 1);
    unsigned type = (unsigned)(e >> EPT_MEMTYPE_SHIFT) & 7;
    CHECK((e & EPT_RWX) == EPT_RWX, "ept_lookup(0x%llx) = 0x%llx: permissions %llu; wanted RWX (7)",
          (unsigned long long)gpa, (unsigned long long)e, (unsigned long long)(e & 7));
    CHECK(!want_size || size == want_size, "ept_lookup(0x%llx) = 0x%llx: a %s page; wanted %s", (unsigned long long)gpa,
          (unsigned long long)e, size_str(size), size_str(want_size));
    CHECK(type == want_type, "ept_lookup(0x%llx) = 0x%llx: memory type %s; wanted %s", (unsigned long long)gpa,
          (unsigned long long)e, type_str(type), type_str(want_type));
    CHECK((e & EPT_ADDR_MASK) == hpa, "ept_lookup(0x%llx) = 0x%llx: maps to 0x%llx; wanted 0x%llx",
          (unsigned long long)gpa, (unsigned long long)e, (unsigned long long)(e & EPT_ADDR_MASK),
          (unsigned long long)hpa);
    CHECK(size == PAGE || (e & EPT_LARGE), "ept_lookup(0x%llx) = 0x%llx: a %s leaf without bit 7",
          (unsigned long long)gpa, (unsigned long long)e, size_str(size));
}

static void check_map(struct fixture *f, uint64_t gpa, uint64_t want_size, unsigned want_type)
{
    check_map_to(f, gpa, want_size, want_type, ~0ull);
}

static void check_unmapped(struct fixture *f, uint64_t gpa)
{
    uint64_t size, e = lookup(f, gpa, &size);
    CHECK(e == 0, "ept_lookup(0x%llx) = 0x%llx (%s page); wanted not mapped", (unsigned long long)gpa,
          (unsigned long long)e, size_str(size));
}

/* ---- tests ------------------------------------------------------------------ */

static void ept_leaves_hv_pages_unmapped(void)
{
    struct fixture f;
    pc_layout(&f);
    build(&f);
    for (uint64_t a = HOLE_START; a < HOLE_END; a += PAGE) {
        check_unmapped(&f, a);
        check_unmapped(&f, a + 0xfff);
    }
    finish(&f);
}

static void ept_maps_pages_around_hole_identity_rwx_wb(void)
{
    struct fixture f;
    pc_layout(&f);
    build(&f);
    check_map(&f, HOLE_START - PAGE, PAGE, MT_WB);
    check_map(&f, HOLE_START - 1, PAGE, MT_WB);
    check_map(&f, HOLE_END, PAGE, MT_WB);
    check_map(&f, HOLE_END + 0x123, PAGE, MT_WB);
    check_map(&f, 0x3e00000, PAGE, MT_WB); /* the hole's 2 MiB block is split all through */
    check_map(&f, 0x3fff000, PAGE, MT_WB); /* last RAM page */
    finish(&f);
}

static void ept_maps_uniform_ram_with_2m_pages(void)
{
    struct fixture f;
    pc_layout(&f);
    build(&f);
    check_map(&f, 0x200000, 2 * MiB, MT_WB);
    check_map(&f, 0x3fffff, 2 * MiB, MT_WB);
    check_map(&f, 0x1000000, 2 * MiB, MT_WB);
    check_map(&f, 0x3c00000, 2 * MiB, MT_WB); /* the block below the hole's */
    finish(&f);
}

static void ept_maps_low_non_ram_uc(void)
{
    struct fixture f;
    pc_layout(&f);
    build(&f);
    check_map(&f, 0xa0000, PAGE, MT_UC); /* VGA window: UC in the MTRRs too */
    check_map(&f, 0xb8000, PAGE, MT_UC); /* VGA text buffer */
    check_map(&f, 0xc0000, PAGE, MT_UC); /* VGA BIOS: not RAM, so UC although the MTRRs say WB */
    check_map(&f, 0xf0000, PAGE, MT_UC); /* system BIOS */
    check_map(&f, 0xff000, PAGE, MT_UC);
    check_map(&f, 0x0, PAGE, MT_WB); /* the IVT page is RAM */
    check_map(&f, 0x7c00, PAGE, MT_WB);
    check_map(&f, 0x9e000, PAGE, MT_WB);
    check_map(&f, 0x100000, PAGE, MT_WB); /* [0, 2 MiB) is split, so 4 KiB pages */
    check_map(&f, 0x1ff000, PAGE, MT_WB);
    finish(&f);
}

static void ept_maps_partly_ram_page_below_ebda(void)
{
    struct fixture f;
    pc_layout(&f);
    build(&f);
    /* 9F000-9FFFF is RAM up to 9FC00: mapped RWX, 4 KiB, identity (its type is the MTRRs' choice) */
    uint64_t size, e = lookup(&f, 0x9fc00, &size);
    CHECK(e != 0, "ept_lookup(0x9fc00) = not mapped; wanted a 4 KiB page (RAM up to 0x9fc00)");
    CHECK(!e || ((e & EPT_RWX) == EPT_RWX && size == PAGE && (e & EPT_ADDR_MASK) == 0x9f000),
          "ept_lookup(0x9fc00) = 0x%llx (%s); wanted an RWX 4 KiB page at 0x9f000", (unsigned long long)e,
          size_str(size));
    finish(&f);
}

static void ept_maps_mmio_below_4g_uc(void)
{
    struct fixture f;
    pc_layout(&f);
    build(&f);
    check_map(&f, 0xfee00000, 2 * MiB, MT_UC); /* local APIC */
    check_map(&f, 0xfec00000, 2 * MiB, MT_UC); /* I/O APIC */
    check_map(&f, 0xfffff000, 2 * MiB, MT_UC); /* reset vector */
    check_map(&f, 0xe0000000, 2 * MiB, MT_UC); /* PCI */
    check_map(&f, 0x4000000, 2 * MiB, MT_UC);  /* just above RAM: not RAM, although the MTRRs say WB */
    check_map(&f, 0x40000000, 2 * MiB, MT_UC); /* no 1 GiB pages here */
    check_map(&f, 0xbfe00000, 2 * MiB, MT_UC);
    finish(&f);
}

static void ept_leaves_addresses_from_top_unmapped(void)
{
    struct fixture f;
    pc_layout(&f);
    build(&f);
    check_unmapped(&f, 4 * GiB);
    check_unmapped(&f, 4 * GiB + 0xfee00000);
    check_unmapped(&f, 5 * GiB);
    check_unmapped(&f, 511 * GiB);
    check_unmapped(&f, 512 * GiB); /* second PML4 entry */
    check_unmapped(&f, 0xfffffffff000ull);
    finish(&f);
}

static void ept_maps_identity_everywhere_below_top(void)
{
    static const uint64_t sample[] = { 0x0,        0x1000,     0x7c00,     0x9e000,    0x9f000,    0xa0000,   0xfffff,
                                       0x100000,   0x1234567,  0x2000000,  0x3efffff,  0x3f80000,  0x3ffffff, 0x4000000,
                                       0x7ffff000, 0x80000000, 0xbfffffff, 0xc0000000, 0xfee00000, 0xffffffff };
    struct fixture f;
    pc_layout(&f);
    build(&f);
    for (unsigned i = 0; i < sizeof sample / sizeof sample[0]; i++) {
        uint64_t gpa = sample[i], size, e = lookup(&f, gpa, &size);
        CHECK(e != 0, "ept_lookup(0x%llx) = not mapped; wanted an identity mapping", (unsigned long long)gpa);
        CHECK(!e || (e & EPT_ADDR_MASK) == (gpa & ~(size - 1)),
              "ept_lookup(0x%llx) = 0x%llx (%s): maps to 0x%llx; wanted 0x%llx", (unsigned long long)gpa,
              (unsigned long long)e, size_str(size), (unsigned long long)(e & EPT_ADDR_MASK),
              (unsigned long long)(gpa & ~(size - 1)));
    }
    /* every 2 MiB block below 4 GiB is mapped at its first and last byte, except the hole */
    unsigned holes = 0;
    for (uint64_t a = 0; a < 4 * GiB; a += 2 * MiB)
        for (int k = 0; k < 2; k++) {
            uint64_t gpa = k ? a + 2 * MiB - 1 : a, size, e = lookup(&f, gpa, &size);
            if (gpa >= HOLE_START && gpa < HOLE_END)
                continue;
            if (!e || (e & EPT_ADDR_MASK) != (gpa & ~(size - 1)))
                holes++;
        }
    CHECK(holes == 0, "%u of the 4096 first/last bytes of 2 MiB blocks outside the hv are not identity-mapped", holes);
    finish(&f);
}

static void ept_uses_few_table_pages(void)
{
    struct fixture f;
    pc_layout(&f);
    build(&f);
    /* PML4 + PDPT + 4 PDs (no 1 GiB pages) + a PT for [0, 2 MiB) (RAM ends at
     * 9FC00, fixed MTRRs) + a PT for the hole's block: 8 */
    CHECK(f.pages.n <= 8, "ept_build used %u table pages for a 64 MiB PC; wanted 8", f.pages.n);
    finish(&f);
}

/* Walks every table: no reserved bit set (an EPT misconfiguration) and no
 * invalid memory type. */
static unsigned walk(struct fixture *f, uint64_t table, int level, uint64_t base, unsigned *leaves)
{
    unsigned bad = 0;
    uint64_t *t = f->pa.virt(f->pa.ctx, table);
    uint64_t esize = 1ull << (12 + 9 * level);
    for (unsigned i = 0; i < 512; i++) {
        uint64_t e = t[i], a = base + i * esize;
        if (!(e & EPT_RWX)) {
            if (e) {
                bad++;
                fprintf(stderr, "    not-present entry 0x%llx for 0x%llx has bits set\n", (unsigned long long)e,
                        (unsigned long long)a);
            }
            continue;
        }
        int leaf = level == 0 || (e & EPT_LARGE);
        uint64_t reserved;
        if (!leaf)
            reserved = 0xf8ull; /* bits 7:3 of a non-leaf entry */
        else if (level == 0)
            reserved = 0;
        else
            reserved = (esize - 1) & ~0xfffull; /* bits 20:12 (2 MiB) or 29:12 (1 GiB) */
        /* bits 51:36 are reserved with a 36-bit MAXPHYADDR; 62:52 are ignored and
         * 63 is "suppress #VE": the hv sets none of them */
        reserved |= 0xfffffff000000000ull;
        unsigned type = (unsigned)(e >> 3) & 7;
        if (e & reserved) {
            bad++;
            fprintf(stderr, "    level %d entry 0x%llx for 0x%llx has reserved bits 0x%llx\n", level,
                    (unsigned long long)e, (unsigned long long)a, (unsigned long long)(e & reserved));
        }
        if ((e & EPT_RWX) != EPT_RWX) {
            bad++;
            fprintf(stderr, "    level %d entry 0x%llx for 0x%llx is not RWX\n", level, (unsigned long long)e,
                    (unsigned long long)a);
        }
        if (leaf && (type == 2 || type == 3 || type == 7)) {
            bad++;
            fprintf(stderr, "    leaf 0x%llx for 0x%llx has memory type %u\n", (unsigned long long)e,
                    (unsigned long long)a, type);
        }
        if (leaf && level == 3) {
            bad++;
            fprintf(stderr, "    PML4 entry 0x%llx has bit 7 set\n", (unsigned long long)e);
        }
        if (leaf)
            ++*leaves;
        else
            bad += walk(f, e & EPT_ADDR_MASK, level - 1, a, leaves);
    }
    return bad;
}

static void ept_entries_have_no_reserved_bits_or_bad_types(void)
{
    struct fixture f;
    pc_layout(&f);
    build(&f);
    unsigned leaves = 0, bad = f.pml4 ? walk(&f, f.pml4, 3, 0, &leaves) : 0;
    CHECK(bad == 0, "%u EPT entries would cause an EPT misconfiguration (listed on stderr)", bad);
    /* 2048 2 MiB blocks below 4 GiB: 2046 large leaves, plus 512 + 384 4 KiB leaves in the two PTs */
    CHECK(leaves == 2046 + 512 + 384, "%u present leaves; wanted 2942 (2046 of 2 MiB, 896 of 4 KiB)", leaves);
    finish(&f);
}

static void ept_uses_1g_pages_for_uniform_gib(void)
{
    struct fixture f;
    pc_layout(&f);
    f.l.large_1g = 1;
    build(&f);
    check_map(&f, 0x40000000, GiB, MT_UC); /* [1 GiB, 2 GiB): all MMIO */
    check_map(&f, 0x7fffffff, GiB, MT_UC);
    check_map(&f, 0x80000000, GiB, MT_UC);
    check_map(&f, 0xfee00000, GiB, MT_UC);
    check_map(&f, 0x200000, 2 * MiB, MT_WB); /* the first GiB holds the hv: no 1 GiB page */
    check_map(&f, 0x4000000, 2 * MiB, MT_UC);
    check_unmapped(&f, HOLE_START);
    check_unmapped(&f, 4 * GiB);
    /* PML4 + PDPT + 1 PD + 2 PTs */
    CHECK(f.pages.n <= 5, "ept_build used %u table pages with 1 GiB pages; wanted 5", f.pages.n);
    finish(&f);
}

static void ept_uses_1g_page_for_uniform_ram(void)
{
    /* 3 GiB of RAM, the hv at its top; [1 GiB, 2 GiB) is all RAM and all WB */
    static const struct mem_range ram[] = { { 0, 0x9fc00, 1 }, { 0x100000, 0xbff00000, 1 } };
    struct fixture f;
    pc_layout(&f);
    f.l.ram = ram;
    f.l.hole_start = 0xbff00000;
    f.l.hole_end = 0xbff80000;
    f.l.large_1g = 1;
    build(&f);
    check_map(&f, 0x40000000, GiB, MT_WB);
    check_map(&f, 0x7ffff000, GiB, MT_WB);
    check_map(&f, 0x80000000, 2 * MiB, MT_WB); /* the hv's GiB */
    check_map(&f, 0xbfe00000, PAGE, MT_WB);
    check_unmapped(&f, 0xbff00000);
    check_map(&f, 0xbff80000, PAGE, MT_WB);
    check_map(&f, 0xc0000000, GiB, MT_UC);
    check_map(&f, 0x200000, 2 * MiB, MT_WB);
    check_map(&f, 0x3f00000, 2 * MiB, MT_WB); /* no hole here now */
    finish(&f);
}

static void ept_splits_blocks_with_mixed_mtrr_types(void)
{
    /* RAM [1M, 3G) with a 4 KiB UC variable range at 0x1000000 and a 256 MiB
     * WT one at 0x60000000 */
    static const struct mem_range ram[] = { { 0, 0x9fc00, 1 }, { 0x100000, 0xbff00000, 1 } };
    struct fixture f;
    pc_layout(&f);
    f.l.ram = ram;
    f.l.hole_start = 0xbff00000;
    f.l.hole_end = 0xbff80000;
    f.l.large_1g = 1;
    f.mtrr.var[1].base = 0x1000000;
    f.mtrr.var[1].mask = 0xffffff000;
    f.mtrr.var[1].type = MT_UC;
    f.mtrr.var[2].base = 0x60000000;
    f.mtrr.var[2].mask = 0xff0000000;
    f.mtrr.var[2].type = MT_WT;
    f.mtrr.n_var = 3;
    build(&f);
    check_map(&f, 0x1000000, PAGE, MT_UC);
    check_map(&f, 0x1001000, PAGE, MT_WB);
    check_map(&f, 0x10ff000, PAGE, MT_WB);
    check_map(&f, 0x1200000, 2 * MiB, MT_WB);
    check_map(&f, 0x40000000, 2 * MiB, MT_WB); /* the GiB is not uniform: 2 MiB pages */
    check_map(&f, 0x5fe00000, 2 * MiB, MT_WB);
    check_map(&f, 0x60000000, 2 * MiB, MT_WT);
    check_map(&f, 0x6fe00000, 2 * MiB, MT_WT);
    check_map(&f, 0x70000000, 2 * MiB, MT_WB);
    finish(&f);
}

static void ept_gives_ram_under_uc_mtrr_uc(void)
{
    /* RAM running into the UC variable range [3 GiB, 4 GiB) */
    static const struct mem_range ram[] = { { 0, 0x9fc00, 1 }, { 0x100000, 0xcff00000, 1 } };
    struct fixture f;
    pc_layout(&f);
    f.l.ram = ram;
    build(&f);
    check_map(&f, 0xbfe00000, 2 * MiB, MT_WB);
    check_map(&f, 0xc0000000, 2 * MiB, MT_UC);
    check_map(&f, 0xcfe00000, 2 * MiB, MT_UC);
    check_map(&f, 0xd0000000, 2 * MiB, MT_UC);
    finish(&f);
}

static void ept_maps_page_after_unaligned_ram_end_uc(void)
{
    /* E820 with ACPI data at the top: RAM ends at 0x3ff0000; no hole at all */
    static const struct mem_range ram[] = { { 0, 0x9fc00, 1 }, { 0x100000, 0x3ef0000, 1 } };
    struct fixture f;
    pc_layout(&f);
    f.l.ram = ram;
    f.l.hole_start = f.l.hole_end = 0;
    build(&f);
    check_map(&f, 0x3c00000, 2 * MiB, MT_WB);
    check_map(&f, 0x3e00000, PAGE, MT_WB);
    check_map(&f, 0x3fef000, PAGE, MT_WB);
    check_map(&f, 0x3ff0000, PAGE, MT_UC);
    check_map(&f, 0x3fff000, PAGE, MT_UC);
    check_map(&f, 0x3f00000, PAGE, MT_WB); /* the old hole is ordinary RAM */
    check_map(&f, 0x0, PAGE, MT_WB);
    finish(&f);
}

static void ept_maps_ram_above_4g_up_to_top(void)
{
    static const struct mem_range ram[] = { { 0, 0x9fc00, 1 },
                                            { 0x100000, 0xbff00000, 1 },
                                            { 0x100000000, 0x40000000, 1 } };
    struct fixture f;
    pc_layout(&f);
    f.l.ram = ram;
    f.l.n_ram = 3;
    f.l.top = 0x140000000;
    f.l.hole_start = 0xbfe00000;
    f.l.hole_end = 0xbfe80000;
    build(&f);
    check_map(&f, 0x100000000, 2 * MiB, MT_WB);
    check_map(&f, 0x13fe00000, 2 * MiB, MT_WB);
    check_map(&f, 0xfee00000, 2 * MiB, MT_UC);
    check_unmapped(&f, 0x140000000);
    check_unmapped(&f, 0x17fe00000);
    check_unmapped(&f, 0xbfe00000);
    finish(&f);
}

static void ept_uses_4k_pages_without_2m_support(void)
{
    struct fixture f;
    pc_layout(&f);
    f.l.large_2m = 0;
    f.l.top = 64 * MiB;
    build(&f);
    check_map(&f, 0x200000, PAGE, MT_WB);
    check_map(&f, 0x3eff000, PAGE, MT_WB);
    check_unmapped(&f, HOLE_START);
    check_map(&f, 0xa0000, PAGE, MT_UC);
    check_unmapped(&f, 64 * MiB);
    /* PML4 + PDPT + PD + 32 PTs */
    CHECK(f.pages.n == 35, "ept_build used %u table pages for 64 MiB in 4 KiB pages; wanted 35", f.pages.n);
    finish(&f);
}

static void ept_maps_remapped_firmware_pages_to_hv_memory(void)
{
    /* C0000-FFFFF backed by 256 KiB of the hv's own memory, WB */
    struct fixture f;
    pc_layout(&f);
    f.l.remap_start = 0xc0000;
    f.l.remap_end = 0x100000;
    f.l.remap_to = 0x3f40000;
    build(&f);
    check_map_to(&f, 0xc0000, PAGE, MT_WB, 0x3f40000);
    check_map_to(&f, 0xc8123, PAGE, MT_WB, 0x3f48000);
    check_map_to(&f, 0xf0000, PAGE, MT_WB, 0x3f70000);
    check_map_to(&f, 0xff000, PAGE, MT_WB, 0x3f7f000);
    check_map(&f, 0xbf000, PAGE, MT_UC); /* the VGA window is not remapped */
    check_map(&f, 0x100000, PAGE, MT_WB);
    check_map(&f, 0x9e000, PAGE, MT_WB);
    check_unmapped(&f, 0x3f40000); /* the hv's memory itself stays hidden at its own address */
    finish(&f);

    /* with 1 GiB and 2 MiB pages allowed and no hole in the first GiB, the
     * remapped range still gets 4 KiB pages */
    static const struct mem_range ram[] = { { 0, 0x9fc00, 1 }, { 0x100000, 0xbff00000, 1 } };
    pc_layout(&f);
    f.l.ram = ram;
    f.l.hole_start = 0xbff00000;
    f.l.hole_end = 0xbff80000;
    f.l.large_1g = 1;
    f.l.remap_start = 0xc0000;
    f.l.remap_end = 0x100000;
    f.l.remap_to = 0xbff40000;
    build(&f);
    check_map_to(&f, 0xc0000, PAGE, MT_WB, 0xbff40000);
    check_map_to(&f, 0xfffff, PAGE, MT_WB, 0xbff7f000);
    finish(&f);
}

static void ept_build_fails_when_out_of_pages(void)
{
    for (unsigned limit = 0; limit < 8; limit++) {
        struct fixture f;
        pc_layout(&f);
        f.pages.limit = limit;
        f.pa = (struct page_alloc){ fake_alloc, fake_virt, &f.pages };
        uint64_t pml4 = ept_build(&f.l, &f.pa);
        CHECK(pml4 == 0, "ept_build with %u pages available = 0x%llx; wanted 0 (it needs 8)", limit,
              (unsigned long long)pml4);
        fake_free(&f.pages);
    }
}

/* The local APIC's page (hv/apic.c): one 4 KiB leaf, read-only, UC, so that
 * a guest write exits; the pages around it keep their RWX mappings. */
static void ept_maps_apic_page_read_only_4k(void)
{
    struct fixture f;
    pc_layout(&f);
    f.l.ro_page = 0xfee00000;
    build(&f);
    uint64_t size, e = lookup(&f, 0xfee00300, &size);
    CHECK(e != 0, "ept_lookup(0xfee00300) = not mapped; wanted a read-only 4 KiB page");
    CHECK(!e || (e & EPT_RWX) == EPT_READ, "ept_lookup(0xfee00300) = 0x%llx: permissions %llu; wanted read only (1)",
          (unsigned long long)e, (unsigned long long)(e & 7));
    CHECK(!e || size == PAGE, "ept_lookup(0xfee00300): a %s page; wanted 4 KiB", size_str(size));
    CHECK(!e || (e & EPT_ADDR_MASK) == 0xfee00000, "ept_lookup(0xfee00300) = 0x%llx; wanted the identity",
          (unsigned long long)e);
    CHECK(!e || ((e >> EPT_MEMTYPE_SHIFT) & 7) == MT_UC, "ept_lookup(0xfee00300) = 0x%llx: memory type %s; wanted UC",
          (unsigned long long)e, type_str((unsigned)(e >> EPT_MEMTYPE_SHIFT) & 7));
    check_map(&f, 0xfedff000, 2 * MiB, MT_UC); /* the 2 MiB block below keeps its large page */
    check_map(&f, 0xfee01000, PAGE, MT_UC);    /* the APIC page's neighbours: RWX */
    check_map(&f, 0xfeffe000, PAGE, MT_UC);
    finish(&f);
}

int main(void)
{
    RUN(ept_leaves_hv_pages_unmapped);
    RUN(ept_maps_pages_around_hole_identity_rwx_wb);
    RUN(ept_maps_uniform_ram_with_2m_pages);
    RUN(ept_maps_low_non_ram_uc);
    RUN(ept_maps_partly_ram_page_below_ebda);
    RUN(ept_maps_mmio_below_4g_uc);
    RUN(ept_leaves_addresses_from_top_unmapped);
    RUN(ept_maps_identity_everywhere_below_top);
    RUN(ept_uses_few_table_pages);
    RUN(ept_entries_have_no_reserved_bits_or_bad_types);
    RUN(ept_uses_1g_pages_for_uniform_gib);
    RUN(ept_uses_1g_page_for_uniform_ram);
    RUN(ept_splits_blocks_with_mixed_mtrr_types);
    RUN(ept_gives_ram_under_uc_mtrr_uc);
    RUN(ept_maps_page_after_unaligned_ram_end_uc);
    RUN(ept_maps_ram_above_4g_up_to_top);
    RUN(ept_uses_4k_pages_without_2m_support);
    RUN(ept_maps_remapped_firmware_pages_to_hv_memory);
    RUN(ept_build_fails_when_out_of_pages);
    RUN(ept_maps_apic_page_read_only_4k);
    return check_summary();
}
