/* memory.c - the machine's memory map: from the hv's handoff block when
 * there is one (it is the truth: the hv reserves its own pages and the RAM
 * disks there), else from the CMOS sizes a PC BIOS has always read. */
#include "rombios.h"

struct memmap memmap;
int have_handoff;

static void add(u64 base, u64 len, u32 type)
{
    if (len && memmap.n < sizeof memmap.e / sizeof memmap.e[0])
        memmap.e[memmap.n++] = (struct vmxlab_e820){ base, len, type };
}

static void from_handoff(void)
{
    const u32 max = sizeof((struct vmxlab_handoff *)0)->e820 / sizeof(struct vmxlab_e820);
    _Static_assert(sizeof memmap.e >= sizeof((struct vmxlab_handoff *)0)->e820, "memmap holds the handoff map");
    u32 n = peekl(HANDOFF_SEG, HANDOFF_OFF(n_e820));
    if (n > max)
        n = max;
    far_memcpy(my_seg(), (u16)(u32)memmap.e, HANDOFF_SEG, HANDOFF_OFF(e820), n * sizeof(struct vmxlab_e820));
    memmap.n = n;
}

/* CMOS 15h/16h: base KiB; 17h/18h (and 30h/31h): KiB above 1 MiB up to
 * 64 MiB; 34h/35h: 64 KiB blocks above 16 MiB; 5Bh-5Dh: 64 KiB blocks above
 * 4 GiB (Bochs and QEMU fill all of them). */
static void from_cmos(void)
{
    u32 base_kb = cmos_read(CMOS_BASE_KB_LO) | (u32)cmos_read(CMOS_BASE_KB_HI) << 8;
    if (base_kb == 0 || base_kb > 640)
        base_kb = 640;
    u32 ext_kb = cmos_read(CMOS_EXT2_KB_LO) | (u32)cmos_read(CMOS_EXT2_KB_HI) << 8;
    u32 above16 = cmos_read(CMOS_MEM16_LO) | (u32)cmos_read(CMOS_MEM16_HI) << 8;
    u64 above4g =
        (u64)(cmos_read(CMOS_MEM4G_0) | (u32)cmos_read(CMOS_MEM4G_1) << 8 | (u32)cmos_read(CMOS_MEM4G_2) << 16) << 16;
    u64 top = above16 ? 0x1000000 + ((u64)above16 << 16) : 0x100000 + ((u64)ext_kb << 10);
    add(0, (u64)(base_kb - EBDA_KB) << 10, 1);
    add((u64)(base_kb - EBDA_KB) << 10, EBDA_KB << 10, 2);
    add(0xe0000, 0x20000, 2);
    add(0x100000, top - 0x100000, 1);
    add(0xfffc0000, 0x40000, 2); /* the BIOS ROM's alias below 4 GiB */
    if (above4g)
        add(0x100000000ull, above4g, 1);
}

void memory_setup(void)
{
    memmap.n = 0;
    have_handoff = peekl(HANDOFF_SEG, HANDOFF_OFF(magic)) == VMXLAB_HANDOFF_MAGIC &&
                   peekw(HANDOFF_SEG, HANDOFF_OFF(version)) == VMXLAB_HANDOFF_VERSION;
    if (have_handoff)
        from_handoff();
    else
        from_cmos();
    /* INT 12h: conventional RAM below the first hole; INT 15h 88h/E801. */
    u32 base = 0, ext = 0, ext16 = 0;
    for (u32 i = 0; i < memmap.n; i++) {
        const struct vmxlab_e820 *e = &memmap.e[i];
        if (e->type != 1)
            continue;
        if (e->base == 0)
            base = (u32)e->len;
        if (e->base == 0x100000)
            ext = (u32)(e->len > 0xf00000 ? 0xf00000 : e->len);
        if (e->base <= 0x1000000 && e->base + e->len > 0x1000000)
            ext16 = (u32)(((e->base + e->len > 0x100000000ull ? 0x100000000ull : e->base + e->len) - 0x1000000) >> 16);
    }
    memmap.base_kb = base >> 10;
    memmap.ext_kb = ext >> 10;
    memmap.ext16_64k = ext16;
    dprintf(1, "rombios: memory: %u KiB base, %u KiB extended (%s)\n", memmap.base_kb,
            memmap.ext_kb + memmap.ext16_64k * 64, have_handoff ? "handoff block" : "CMOS");
}
