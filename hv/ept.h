/* ept.h - the EPT identity map of guest-physical memory (SDM Vol. 3C, 29.3). */
#ifndef HV_EPT_H
#define HV_EPT_H
#include <stdint.h>
#include "bootinfo.h"
#include "mtrr.h"

#define EPT_READ (1ull << 0)
#define EPT_WRITE (1ull << 1)
#define EPT_EXEC (1ull << 2)
#define EPT_RWX (EPT_READ | EPT_WRITE | EPT_EXEC)
#define EPT_MEMTYPE_SHIFT 3
#define EPT_LARGE (1ull << 7) /* 2 MiB (PD) or 1 GiB (PDPT) leaf */
#define EPT_ADDR_MASK 0x000ffffffffff000ull

/* Where page-table pages come from; host tests supply malloc-backed ones. */
struct page_alloc {
    void *(*alloc)(void *ctx, uint64_t *phys); /* a zeroed 4 KiB page */
    void *(*virt)(void *ctx, uint64_t phys);   /* a page we allocated, by physical address */
    void *ctx;
};

struct ept_layout {
    const struct mem_range *ram; /* RAM ranges, sorted (they get memory types from the MTRRs) */
    unsigned n_ram;
    uint64_t top;                    /* map [0, top); the rest is MMIO (UC) */
    uint64_t hole_start, hole_end;   /* not mapped at all: the hv's own pages */
    uint64_t remap_start, remap_end; /* guest-physical range backed by other pages ... */
    uint64_t remap_to;               /* ... starting at this host-physical address (WB) */
    uint64_t ro_page;                /* one 4 KiB page mapped read-only, UC (the local APIC's; 0: none) */
    int large_2m, large_1g;          /* page sizes the CPU allows */
    const struct mtrr_state *mtrr;
};

/* Builds the tables; returns the PML4's physical address, or 0 when out of pages. */
uint64_t ept_build(const struct ept_layout *l, const struct page_alloc *pa);

/* The leaf entry mapping gpa (0 if none) and its page size in *size. */
uint64_t ept_lookup(uint64_t pml4, uint64_t gpa, const struct page_alloc *pa, uint64_t *size);
/* Where that leaf entry is, to change it (NULL if none); the caller flushes with INVEPT. */
uint64_t *ept_leaf(uint64_t pml4, uint64_t gpa, const struct page_alloc *pa, uint64_t *size);

#endif
