/* test_mtrr.c - hv/mtrr.c's mtrr_type against SDM Vol. 3A 12.11 (MTRRs):
 * IA32_MTRR_DEF_TYPE.E clear makes all memory UC; fixed ranges (when enabled)
 * decide below 1 MiB; elsewhere a variable range matches an address when
 * (addr & mask) == (base & mask), overlaps resolve UC first, then WT over WB,
 * and an address no range matches has the default type. */
#include "check.h"
#include "mtrr.h"

/* PHYSMASK for a power-of-two range of `size` bytes with MAXPHYADDR 36 */
#define MASK36(size) ((0xfffffffffull & ~((uint64_t)(size)-1)) & ~0xfffull)

static const char *type_str(int t)
{
    switch (t) {
    case -1: return "-1 (mixed)";
    case MT_UC: return "UC";
    case MT_WC: return "WC";
    case MT_WT: return "WT";
    case MT_WP: return "WP";
    case MT_WB: return "WB";
    }
    return "invalid type";
}

#define CHECK_TYPE(m, addr, len, want)                                                                                 \
    do {                                                                                                               \
        int check_t_ = mtrr_type((m), (addr), (len));                                                                  \
        CHECK(check_t_ == (want), "mtrr_type(0x%llx, 0x%llx) = %s; wanted %s", (unsigned long long)(addr),             \
              (unsigned long long)(len), type_str(check_t_), type_str(want));                                          \
    } while (0)

static void add_var(struct mtrr_state *m, uint64_t base, uint64_t size, uint8_t type)
{
    m->var[m->n_var].base = base;
    m->var[m->n_var].mask = MASK36(size);
    m->var[m->n_var].type = type;
    m->n_var++;
}

/* A typical BIOS setup below 1 MiB: RAM WB, VGA window UC, option ROMs and
 * the BIOS write-protected:
 *   00000-9FFFF WB (64 KiB x 8 and 16 KiB x 8)
 *   A0000-BFFFF UC (16 KiB x 8)
 *   C0000-C7FFF WP (4 KiB x 8, the VGA BIOS)
 *   C8000-DFFFF UC (4 KiB x 24)
 *   E0000-FFFFF WP (4 KiB x 32, the system BIOS)
 * and WB by default above it. */
static struct mtrr_state bios_fixed(void)
{
    struct mtrr_state m;
    memset(&m, 0, sizeof m);
    m.enabled = 1;
    m.fixed_enabled = 1;
    m.def_type = MT_WB;
    for (unsigned i = 0; i < 16; i++)
        m.fixed[i] = MT_WB;
    for (unsigned i = 16; i < 24; i++)
        m.fixed[i] = MT_UC;
    for (unsigned i = 24; i < 32; i++)
        m.fixed[i] = MT_WP;
    for (unsigned i = 32; i < 56; i++)
        m.fixed[i] = MT_UC;
    for (unsigned i = 56; i < 88; i++)
        m.fixed[i] = MT_WP;
    return m;
}

static void mtrr_disabled_means_uc_everywhere(void)
{
    struct mtrr_state m = bios_fixed();
    add_var(&m, 0, 0x80000000, MT_WB);
    m.enabled = 0; /* IA32_MTRR_DEF_TYPE.E = 0: fixed and variable ranges and the default are all ignored */
    CHECK_TYPE(&m, 0x0, 0x1000, MT_UC);
    CHECK_TYPE(&m, 0x9f000, 0x1000, MT_UC);
    CHECK_TYPE(&m, 0x100000, 0x1000, MT_UC);
    CHECK_TYPE(&m, 0x200000, 0x200000, MT_UC);
    CHECK_TYPE(&m, 0x0, 0x40000000, MT_UC);
    CHECK_TYPE(&m, 0xfee00000, 0x1000, MT_UC);
}

static void mtrr_fixed_64k_ranges(void)
{
    struct mtrr_state m = bios_fixed();
    m.fixed[3] = MT_WT; /* 30000-3FFFF */
    CHECK_TYPE(&m, 0x0, 0x1000, MT_WB);
    CHECK_TYPE(&m, 0x0, 0x10000, MT_WB);
    CHECK_TYPE(&m, 0x20000, 0x10000, MT_WB);
    CHECK_TYPE(&m, 0x30000, 0x10000, MT_WT);
    CHECK_TYPE(&m, 0x3f000, 0x1000, MT_WT);
    CHECK_TYPE(&m, 0x40000, 0x1000, MT_WB);
    CHECK_TYPE(&m, 0x20000, 0x20000, -1); /* 20000-3FFFF: WB then WT */
    CHECK_TYPE(&m, 0x0, 0x20000, MT_WB);
    CHECK_TYPE(&m, 0x40000, 0x40000, MT_WB); /* 40000-7FFFF */
    CHECK_TYPE(&m, 0x0, 0x80000, -1);
}

static void mtrr_fixed_16k_ranges(void)
{
    struct mtrr_state m = bios_fixed();
    CHECK_TYPE(&m, 0x80000, 0x4000, MT_WB);
    CHECK_TYPE(&m, 0x9c000, 0x4000, MT_WB);
    CHECK_TYPE(&m, 0x9f000, 0x1000, MT_WB);
    CHECK_TYPE(&m, 0xa0000, 0x1000, MT_UC);
    CHECK_TYPE(&m, 0xa0000, 0x4000, MT_UC);
    CHECK_TYPE(&m, 0xb8000, 0x1000, MT_UC); /* VGA text */
    CHECK_TYPE(&m, 0xa0000, 0x20000, MT_UC);
    CHECK_TYPE(&m, 0x80000, 0x20000, MT_WB);
    CHECK_TYPE(&m, 0x80000, 0x40000, -1); /* 80000-BFFFF: WB then UC */
    m.fixed[9] = MT_WC;                   /* 84000-87FFF */
    CHECK_TYPE(&m, 0x84000, 0x4000, MT_WC);
    CHECK_TYPE(&m, 0x87000, 0x1000, MT_WC);
    CHECK_TYPE(&m, 0x88000, 0x1000, MT_WB);
    CHECK_TYPE(&m, 0x80000, 0x8000, -1);
}

static void mtrr_fixed_4k_ranges(void)
{
    struct mtrr_state m = bios_fixed();
    CHECK_TYPE(&m, 0xc0000, 0x1000, MT_WP);
    CHECK_TYPE(&m, 0xc7000, 0x1000, MT_WP);
    CHECK_TYPE(&m, 0xc0000, 0x8000, MT_WP);
    CHECK_TYPE(&m, 0xc8000, 0x1000, MT_UC);
    CHECK_TYPE(&m, 0xdf000, 0x1000, MT_UC);
    CHECK_TYPE(&m, 0xe0000, 0x1000, MT_WP);
    CHECK_TYPE(&m, 0xff000, 0x1000, MT_WP);
    CHECK_TYPE(&m, 0xe0000, 0x20000, MT_WP);
    CHECK_TYPE(&m, 0xc0000, 0x10000, -1); /* C0000-C7FFF WP, C8000-CFFFF UC */
    CHECK_TYPE(&m, 0xc0000, 0x40000, -1);
    m.fixed[24 + 0x2d] = MT_WB; /* ED000-EDFFF alone */
    CHECK_TYPE(&m, 0xed000, 0x1000, MT_WB);
    CHECK_TYPE(&m, 0xec000, 0x1000, MT_WP);
    CHECK_TYPE(&m, 0xee000, 0x1000, MT_WP);
    CHECK_TYPE(&m, 0xec000, 0x2000, -1);
}

static void mtrr_block_straddling_1m_is_mixed(void)
{
    struct mtrr_state m = bios_fixed(); /* F0000-FFFFF WP, WB above */
    CHECK_TYPE(&m, 0x0, 0x200000, -1);
    CHECK_TYPE(&m, 0x0, 0x40000000, -1);
    CHECK_TYPE(&m, 0x100000, 0x100000, MT_WB); /* starts at 1 MiB: variable/default world only */
    CHECK_TYPE(&m, 0x200000, 0x200000, MT_WB);
}

static void mtrr_fixed_ranges_disabled_use_variable_ranges(void)
{
    struct mtrr_state m = bios_fixed();
    m.fixed_enabled = 0; /* FE = 0: the fixed-range values no longer count */
    m.def_type = MT_UC;
    add_var(&m, 0x0, 0x4000000, MT_WB); /* [0, 64M) WB */
    CHECK_TYPE(&m, 0xa0000, 0x1000, MT_WB);
    CHECK_TYPE(&m, 0xc0000, 0x1000, MT_WB);
    CHECK_TYPE(&m, 0x0, 0x200000, MT_WB);
    CHECK_TYPE(&m, 0x4000000, 0x1000, MT_UC);
}

static void mtrr_fixed_ranges_win_over_variable_below_1m(void)
{
    struct mtrr_state m = bios_fixed();
    add_var(&m, 0x0, 0x80000000, MT_WB); /* [0, 2G) WB also covers the first MiB */
    CHECK_TYPE(&m, 0xa0000, 0x1000, MT_UC);
    CHECK_TYPE(&m, 0xe0000, 0x1000, MT_WP);
    CHECK_TYPE(&m, 0x0, 0x1000, MT_WB);
}

static void mtrr_unmatched_address_has_default_type(void)
{
    struct mtrr_state m = bios_fixed();
    add_var(&m, 0xc0000000, 0x40000000, MT_UC); /* [3G, 4G) UC */
    CHECK_TYPE(&m, 0x100000, 0x1000, MT_WB);
    CHECK_TYPE(&m, 0x200000, 0x200000, MT_WB);
    CHECK_TYPE(&m, 0x40000000, 0x40000000, MT_WB);
    CHECK_TYPE(&m, 0xbfe00000, 0x200000, MT_WB);
    CHECK_TYPE(&m, 0x100000000, 0x1000, MT_WB); /* 4G: bit 32 differs from the range base */
    m.def_type = MT_UC;
    CHECK_TYPE(&m, 0x40000000, 0x200000, MT_UC);
    m.n_var = 0;
    m.def_type = MT_WT;
    CHECK_TYPE(&m, 0x12345000, 0x1000, MT_WT);
}

static void mtrr_block_inside_variable_range_has_its_type(void)
{
    struct mtrr_state m = bios_fixed();
    add_var(&m, 0xc0000000, 0x40000000, MT_UC);
    CHECK_TYPE(&m, 0xc0000000, 0x1000, MT_UC);
    CHECK_TYPE(&m, 0xc0000000, 0x200000, MT_UC);
    CHECK_TYPE(&m, 0xc0000000, 0x40000000, MT_UC);
    CHECK_TYPE(&m, 0xe0000000, 0x200000, MT_UC);
    CHECK_TYPE(&m, 0xfee00000, 0x1000, MT_UC);
    CHECK_TYPE(&m, 0xfffff000, 0x1000, MT_UC);
    /* default UC, RAM described by WB ranges, as many BIOSes do it */
    m.def_type = MT_UC;
    m.n_var = 0;
    add_var(&m, 0x0, 0x80000000, MT_WB);         /* [0, 2G) */
    add_var(&m, 0x80000000, 0x40000000, MT_WB);  /* [2G, 3G) */
    add_var(&m, 0x100000000, 0x40000000, MT_WB); /* [4G, 5G) */
    CHECK_TYPE(&m, 0x7fe00000, 0x200000, MT_WB);
    CHECK_TYPE(&m, 0x80000000, 0x40000000, MT_WB);
    CHECK_TYPE(&m, 0xbffff000, 0x1000, MT_WB);
    CHECK_TYPE(&m, 0xc0000000, 0x200000, MT_UC);
    CHECK_TYPE(&m, 0x100000000, 0x40000000, MT_WB);
    CHECK_TYPE(&m, 0x140000000, 0x1000, MT_UC);
}

static void mtrr_block_partly_inside_range_is_mixed(void)
{
    struct mtrr_state m = bios_fixed();
    add_var(&m, 0xc0000000, 0x10000000, MT_UC); /* [3G, 3.25G) */
    CHECK_TYPE(&m, 0xc0000000, 0x40000000, -1); /* 1G block, first quarter UC */
    CHECK_TYPE(&m, 0x80000000, 0x80000000, -1);
    CHECK_TYPE(&m, 0xc0000000, 0x10000000, MT_UC);
    CHECK_TYPE(&m, 0xcfe00000, 0x200000, MT_UC);
    CHECK_TYPE(&m, 0xd0000000, 0x200000, MT_WB);
    m.n_var = 0;
    add_var(&m, 0x3ff000, 0x1000, MT_UC); /* one 4K page UC */
    CHECK_TYPE(&m, 0x200000, 0x200000, -1);
    CHECK_TYPE(&m, 0x3fe000, 0x1000, MT_WB);
    CHECK_TYPE(&m, 0x3ff000, 0x1000, MT_UC);
    CHECK_TYPE(&m, 0x400000, 0x200000, MT_WB);
}

static void mtrr_overlap_with_uc_is_uc(void)
{
    struct mtrr_state m = bios_fixed();
    m.def_type = MT_UC;
    add_var(&m, 0x0, 0x100000000, MT_WB);       /* [0, 4G) WB */
    add_var(&m, 0xc0000000, 0x40000000, MT_UC); /* [3G, 4G) UC on top */
    CHECK_TYPE(&m, 0xc0000000, 0x200000, MT_UC);
    CHECK_TYPE(&m, 0xfee00000, 0x1000, MT_UC);
    CHECK_TYPE(&m, 0xbfe00000, 0x200000, MT_WB);
    CHECK_TYPE(&m, 0x80000000, 0x80000000, -1); /* [2G, 4G) is WB, then WB and UC */
    /* the order of the ranges does not matter */
    struct mtrr_state r = bios_fixed();
    r.def_type = MT_UC;
    add_var(&r, 0xc0000000, 0x40000000, MT_UC);
    add_var(&r, 0x0, 0x100000000, MT_WB);
    CHECK_TYPE(&r, 0xc0000000, 0x200000, MT_UC);
    CHECK_TYPE(&r, 0xbfe00000, 0x200000, MT_WB);
    /* UC also wins over WT and WC */
    struct mtrr_state w = bios_fixed();
    add_var(&w, 0xd0000000, 0x10000000, MT_WC);
    add_var(&w, 0xd0000000, 0x1000000, MT_UC);
    add_var(&w, 0xe0000000, 0x10000000, MT_UC);
    add_var(&w, 0xe0000000, 0x1000000, MT_WT);
    CHECK_TYPE(&w, 0xd0000000, 0x200000, MT_UC);
    CHECK_TYPE(&w, 0xd1000000, 0x200000, MT_WC);
    CHECK_TYPE(&w, 0xe0000000, 0x200000, MT_UC);
}

static void mtrr_overlap_of_wt_and_wb_is_wt(void)
{
    struct mtrr_state m = bios_fixed();
    add_var(&m, 0x0, 0x80000000, MT_WB);
    add_var(&m, 0x10000000, 0x10000000, MT_WT); /* [256M, 512M) WT inside */
    CHECK_TYPE(&m, 0x10000000, 0x200000, MT_WT);
    CHECK_TYPE(&m, 0x1fe00000, 0x200000, MT_WT);
    CHECK_TYPE(&m, 0x20000000, 0x200000, MT_WB);
    struct mtrr_state r = bios_fixed();
    add_var(&r, 0x10000000, 0x10000000, MT_WT);
    add_var(&r, 0x0, 0x80000000, MT_WB);
    CHECK_TYPE(&r, 0x10000000, 0x200000, MT_WT);
    /* identical types overlapping keep that type */
    struct mtrr_state s = bios_fixed();
    s.def_type = MT_UC;
    add_var(&s, 0x0, 0x80000000, MT_WB);
    add_var(&s, 0x0, 0x40000000, MT_WB);
    CHECK_TYPE(&s, 0x200000, 0x200000, MT_WB);
    CHECK_TYPE(&s, 0x40000000, 0x40000000, MT_WB);
}

int main(void)
{
    RUN(mtrr_disabled_means_uc_everywhere);
    RUN(mtrr_fixed_64k_ranges);
    RUN(mtrr_fixed_16k_ranges);
    RUN(mtrr_fixed_4k_ranges);
    RUN(mtrr_block_straddling_1m_is_mixed);
    RUN(mtrr_fixed_ranges_disabled_use_variable_ranges);
    RUN(mtrr_fixed_ranges_win_over_variable_below_1m);
    RUN(mtrr_unmatched_address_has_default_type);
    RUN(mtrr_block_inside_variable_range_has_its_type);
    RUN(mtrr_block_partly_inside_range_is_mixed);
    RUN(mtrr_overlap_with_uc_is_uc);
    RUN(mtrr_overlap_of_wt_and_wb_is_wt);
    return check_summary();
}
