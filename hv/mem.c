/* mem.c - the hv's memory: a pool of pages in its own bss, and address
 * translation between the hv's high mapping and physical addresses. */
#include "hv.h"
#include "ept.h"
#include "fb.h"
#include "string.h"

#define POOL_PAGES 96
static uint8_t pool[POOL_PAGES][4096] __attribute__((aligned(4096)));
static unsigned pool_used;
/* A0000-FFFFF: the VGA window (used when fb.c stands in for the VGA), then the firmware. */
static uint8_t legacy_pages[FIRMWARE_END - VGA_WINDOW_START] __attribute__((aligned(4096)));

extern char __image_start[], __bss_end[]; /* boot/hv.ld */
static uint64_t image_phys;               /* physical address of __image_start */

void mem_init(uint64_t frame)
{
    image_phys = frame + 0x100000; /* boot.asm copied the image to F + its load address */
    hv.phys_start = image_phys;
    hv.phys_end = image_phys + (uint64_t)(__bss_end - __image_start);
    hv.vga_window = legacy_pages;
    hv.firmware = legacy_pages + (FIRMWARE_START - VGA_WINDOW_START);
}

/* High addresses are the hv's image; low ones are the identity map of 0-4 GiB. */
uint64_t virt_to_phys(const void *p)
{
    uintptr_t v = (uintptr_t)p;
    return v >= (uintptr_t)__image_start ? v - (uintptr_t)__image_start + image_phys : v;
}

void *page_alloc_zeroed(uint64_t *phys)
{
    if (pool_used == POOL_PAGES)
        return 0;
    void *p = pool[pool_used++];
    memset(p, 0, 4096);
    *phys = virt_to_phys(p);
    return p;
}

static void *pool_alloc(void *ctx, uint64_t *phys)
{
    (void)ctx;
    return page_alloc_zeroed(phys);
}

static void *pool_virt(void *ctx, uint64_t phys)
{
    (void)ctx;
    return (void *)(uintptr_t)(phys - image_phys + (uintptr_t)__image_start);
}

const struct page_alloc hv_pages = { pool_alloc, pool_virt, 0 };
