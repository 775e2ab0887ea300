/* ept.c - builds an identity EPT with the largest pages that keep one memory
 * type and stay clear of the hv's own pages (host-tested in tests/unit). */
#include "ept.h"

enum kind { K_RAM, K_MMIO, K_MIXED };

/* Is [a, a+len) all RAM, all non-RAM, or both? */
static enum kind classify(const struct ept_layout *l, uint64_t a, uint64_t len)
{
    for (unsigned i = 0; i < l->n_ram; i++) {
        uint64_t s = l->ram[i].base, e = s + l->ram[i].len;
        if (a >= s && a + len <= e)
            return K_RAM;
        if (a < e && a + len > s)
            return K_MIXED;
    }
    return K_MMIO;
}

/* Memory type for the block, or -1 when it must be split further. */
static int block_type(const struct ept_layout *l, uint64_t a, uint64_t len)
{
    switch (classify(l, a, len)) {
    case K_RAM: return mtrr_type(l->mtrr, a, len);
    case K_MMIO: return MT_UC; /* device memory is never cached, whatever the MTRRs say */
    default: return -1;
    }
}

/* Fill one table at `level` (3 = PML4 ... 0 = PT) covering guest-physical `base`. */
static int fill(const struct ept_layout *l, const struct page_alloc *pa, uint64_t *table, int level, uint64_t base)
{
    uint64_t esize = 1ull << (12 + 9 * level);
    for (unsigned i = 0; i < 512; i++) {
        uint64_t a = base + i * esize, end = a + esize;
        if (a >= l->top)
            break;
        if (a >= l->hole_start && end <= l->hole_end)
            continue; /* the hv's pages: leave not-present */
        int in_remap = a >= l->remap_start && end <= l->remap_end;
        if (level == 0 && in_remap) { /* the firmware (and fb.c's VGA window) backed by hv pages, 4 KiB granular */
            table[i] = (l->remap_to + (a - l->remap_start)) | EPT_RWX | ((uint64_t)MT_WB << EPT_MEMTYPE_SHIFT);
            continue;
        }
        if (level == 0 && l->ro_page && a == l->ro_page) { /* writes exit as EPT violations (apic.c) */
            table[i] = a | EPT_READ | ((uint64_t)MT_UC << EPT_MEMTYPE_SHIFT);
            continue;
        }
        int touches_remap = a < l->remap_end && end > l->remap_start;
        int touches_ro = l->ro_page && a <= l->ro_page && l->ro_page < end;
        int whole = end <= l->top && (end <= l->hole_start || a >= l->hole_end) && !touches_remap && !touches_ro;
        int large_ok = level == 0 || (level == 1 && l->large_2m) || (level == 2 && l->large_1g);
        int type = whole && large_ok ? block_type(l, a, esize) : -1;
        if (level == 0 && type < 0) /* a page only partly RAM (e.g. up to 9FC00): the MTRRs decide */
            type = mtrr_type(l->mtrr, a, esize) < 0 ? MT_UC : mtrr_type(l->mtrr, a, esize);
        if (type >= 0) {
            table[i] = a | EPT_RWX | ((uint64_t)type << EPT_MEMTYPE_SHIFT) | (level ? EPT_LARGE : 0);
            continue;
        }
        uint64_t phys;
        uint64_t *child = pa->alloc(pa->ctx, &phys);
        if (!child || fill(l, pa, child, level - 1, a))
            return -1;
        table[i] = phys | EPT_RWX;
    }
    return 0;
}

uint64_t ept_build(const struct ept_layout *l, const struct page_alloc *pa)
{
    uint64_t phys;
    uint64_t *pml4 = pa->alloc(pa->ctx, &phys);
    if (!pml4 || fill(l, pa, pml4, 3, 0))
        return 0;
    return phys;
}

uint64_t *ept_leaf(uint64_t pml4, uint64_t gpa, const struct page_alloc *pa, uint64_t *size)
{
    uint64_t table = pml4;
    for (int level = 3; level >= 0; level--) {
        uint64_t *e = (uint64_t *)pa->virt(pa->ctx, table) + ((gpa >> (12 + 9 * level)) & 511);
        if (!(*e & EPT_RWX))
            return 0;
        if (level == 0 || (*e & EPT_LARGE)) {
            *size = 1ull << (12 + 9 * level);
            return e;
        }
        table = *e & EPT_ADDR_MASK;
    }
    return 0;
}

uint64_t ept_lookup(uint64_t pml4, uint64_t gpa, const struct page_alloc *pa, uint64_t *size)
{
    const uint64_t *e = ept_leaf(pml4, gpa, pa, size);
    return e ? *e : 0;
}
