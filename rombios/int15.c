/* int15.c - INT 15h, the "system services": the memory map (E820h, E801h,
 * 88h), the block move above 1 MiB (87h), waits (86h), A20 (2400h-2403h),
 * the configuration table (C0h), the EBDA (C1h), the APM BIOS (53h, apm.c)
 * and the hooks other code calls (4Fh keyboard intercept, 90h/91h device
 * busy/post). */
#include "rombios.h"
#include "bios/int15.h"

#define SMAP 0x534d4150 /* "SMAP" */
#define UNSUPPORTED 0x86

/* C0h: the system configuration table (model FCh, an AT): features: a second
 * PIC, an RTC, INT 15h 4Fh called by IRQ1, an EBDA. */
static const u8 config_table[] = { 8, 0, 0xfc, 0x01, 0x00, 0x74, 0x00, 0x00, 0x00, 0x00 };

/* E820h: EDX = "SMAP", EBX = continuation (0 first), ECX = buffer size
 * (>= 20), ES:DI = the buffer. Returns EAX = "SMAP", ECX = 20, EBX = the
 * next continuation (0 after the last entry). CF on a bad call. */
static void int15_e820(struct bregs *r)
{
    struct vmxlab_e820 e;
    u32 next = r->ebx;
    if (r->edx != SMAP || r->ecx < sizeof e || e820_next(&memmap, &next, &e)) {
        set_status(r, UNSUPPORTED);
        return;
    }
    r->ebx = next;
    far_memcpy(r->es, r->di, my_seg(), (u16)(u32)&e, sizeof e);
    r->eax = SMAP;
    r->ecx = sizeof e;
    set_cf(r, 0);
}

/* 87h: move CX words between the linear addresses in the source and
 * destination descriptors of the caller's GDT at ES:SI. A descriptor's base:
 * the dword at base_lo holds base[23:0] (and the access byte), the one at
 * base_mid ends with base[31:24]. */
static u32 desc_base(u16 seg, u16 off)
{
    return (peekl(seg, off + FIELD_OFF(struct int15_desc, base_lo)) & 0xffffff) |
           (peekl(seg, off + FIELD_OFF(struct int15_desc, base_mid)) & 0xff000000);
}

static void int15_move(struct bregs *r)
{
    u32 src = desc_base(r->es, r->si + FIELD_OFF(struct int15_move_gdt, src));
    u32 dst = desc_base(r->es, r->si + FIELD_OFF(struct int15_move_gdt, dst));
    u8 a20 = inb(PORT_SYS_CTRL_A); /* A20 on for the copy (odd megabytes), as it was after */
    if (!(a20 & SYS_CTRL_A_A20))
        outb(PORT_SYS_CTRL_A, (a20 | SYS_CTRL_A_A20) & ~SYS_CTRL_A_RESET);
    flat_copy(dst, src, (u32)r->cx * 2);
    if (!(a20 & SYS_CTRL_A_A20))
        outb(PORT_SYS_CTRL_A, a20 & ~SYS_CTRL_A_RESET);
    set_status(r, 0);
}

/* 86h: wait CX:DX microseconds, interrupts on. Whole timer ticks (54925 us)
 * pass in HLT; the rest counts flips of port 61h bit 4, which toggles
 * every 15.085 us with the DRAM refresh request on every PC (and emulator).
 * A reader slower than a flip (an emulator emulating us) misses flips, so
 * the tick count bounds that part too. With IRQ0 masked everything is
 * counted in flips. */
#define US_PER_TICK 54925

static void wait_flips(u32 flips, int ticking)
{
    u32 start = peekl(BDA_SEG, BDA_TICKS);
    u8 last = inb(PORT_SYS_CTRL_B) & SYS_CTRL_B_REFRESH;
    while (flips && !(ticking && peekl(BDA_SEG, BDA_TICKS) - start >= 2)) {
        u8 now = inb(PORT_SYS_CTRL_B) & SYS_CTRL_B_REFRESH;
        if (now != last) {
            last = now;
            flips--;
        }
    }
}

static void int15_wait(struct bregs *r)
{
    u32 us = (u32)r->cx << 16 | r->dx;
    int ticking = !(inb(PIC1_DATA) & 0x01);
    if (ticking) {
        u32 start = peekl(BDA_SEG, BDA_TICKS), ticks = us / US_PER_TICK;
        while (peekl(BDA_SEG, BDA_TICKS) - start < ticks)
            sti_hlt();
        us %= US_PER_TICK;
    }
    sti();
    wait_flips(us / 15, ticking);
    cli();
    set_status(r, 0);
}

static void int15_a20(struct bregs *r)
{
    u8 v = inb(PORT_SYS_CTRL_A);
    switch (r->al) {
    case 0x00: outb(PORT_SYS_CTRL_A, v & ~(SYS_CTRL_A_A20 | SYS_CTRL_A_RESET)); break; /* bit 0 would reset the CPU */
    case 0x01: outb(PORT_SYS_CTRL_A, (v | SYS_CTRL_A_A20) & ~SYS_CTRL_A_RESET); break;
    case 0x02: r->al = (v & SYS_CTRL_A_A20) != 0; break;
    case 0x03: r->bx = 0x0002; break; /* supported through port 92h only */
    default: set_status(r, 0x86); return;
    }
    set_status(r, 0);
}

void handle_int15(struct bregs *r)
{
    switch (r->ah) {
    case 0x24: int15_a20(r); break;
    case 0x4f: set_cf(r, 1); break; /* keyboard intercept: keep the scan code */
    case 0x53: apm_bios(r); break;
    case 0x86: int15_wait(r); break;
    case 0x87: int15_move(r); break;
    case 0x88: { /* KiB above 1 MiB, at most 63 MiB (what a 16-bit count has always held) */
        u32 kb = memmap.ext_kb + memmap.ext16_64k * 64;
        r->ax = (u16)(kb > 0xfc00 ? 0xfc00 : kb);
        set_cf(r, 0);
        break;
    }
    case 0x90: /* device busy, interrupt complete: nothing to do */
    case 0x91: set_status(r, 0); break;
    case 0xc0:
        r->es = my_seg();
        r->bx = (u16)(u32)config_table;
        set_status(r, 0);
        break;
    case 0xc1:
        r->es = peekw(BDA_SEG, BDA_EBDA_SEG);
        set_cf(r, 0);
        break;
    case 0xe8:
        if (r->al == 0x20) {
            int15_e820(r);
            break;
        }
        if (r->al == 0x01) { /* KiB 1-16 MiB, 64 KiB blocks above 16 MiB */
            r->ax = r->cx = (u16)memmap.ext_kb;
            r->bx = r->dx = (u16)(memmap.ext16_64k > 0xffff ? 0xffff : memmap.ext16_64k);
            set_cf(r, 0);
            break;
        }
        set_status(r, UNSUPPORTED);
        break;
    default: set_status(r, UNSUPPORTED); break;
    }
}
