/* pci.c - PCI configuration space through mechanism 1 (ports CF8h/CFCh):
 * the POST's list of bus 0 and the real-mode PCI BIOS (INT 1Ah AH=B1h,
 * PCI BIOS Specification 2.1, chapter 3). Devices keep the configuration
 * the machine came with, but for the I/O decode of IDE controllers and, on a
 * plain PC, a PCI VGA's BIOS copied from its ROM BAR (pci_vga_rom). */
#include "rombios.h"

#define PCI_ADDR 0xcf8
#define PCI_DATA 0xcfc
#define PCI_ENABLE 0x80000000u

/* PCI BIOS return codes (AH) */
#define PCI_OK 0x00
#define PCI_FUNC_NOT_SUPPORTED 0x81
#define PCI_BAD_VENDOR_ID 0x83
#define PCI_DEVICE_NOT_FOUND 0x86
#define PCI_BAD_REGISTER 0x87

/* The highest bus number behind the PCI-to-PCI bridges found (0 when
 * there are none, as on Bochs' i440FX). */
static u8 pci_last_bus;

/* bdf = bus << 8 | device << 3 | function, the BX of every B1xxh call. */
static void pci_select(u16 bdf, u8 reg) { outl(PCI_ADDR, PCI_ENABLE | (u32)bdf << 8 | (reg & 0xfc)); }

u32 pci_read32(u16 bdf, u8 reg)
{
    pci_select(bdf, reg);
    return inl(PCI_DATA);
}

void pci_write32(u16 bdf, u8 reg, u32 v)
{
    pci_select(bdf, reg);
    outl(PCI_DATA, v);
}

/* Calls fn for every function present on buses 0..pci_last_bus until it
 * returns non-zero; returns that bdf, or -1. Functions 1-7 exist only on a
 * multi-function device (header type bit 7). */
static int pci_each(int (*fn)(u16 bdf, u32 id, void *ctx), void *ctx)
{
    for (u32 bdf = 0; bdf < ((u32)pci_last_bus + 1) << 8; bdf++) {
        u32 id = pci_read32((u16)bdf, 0x00);
        if ((u16)id == 0xffff) {
            if ((bdf & 7) == 0)
                bdf += 7; /* no function 0: no device */
            continue;
        }
        if (fn((u16)bdf, id, ctx))
            return (int)bdf;
        if ((bdf & 7) == 0 && !(pci_read32((u16)bdf, 0x0c) & 0x00800000))
            bdf += 7;
    }
    return -1;
}

/* POST: count and list the functions; a bridge (header type 1) widens the
 * scan to its subordinate bus number (config byte 1Ah). */
static int print_one(u16 bdf, u32 id, void *ctx)
{
    (*(unsigned *)ctx)++;
    if ((pci_read32(bdf, 0x0c) >> 16 & 0x7f) == 1) {
        u8 sub = (u8)(pci_read32(bdf, 0x18) >> 16);
        if (sub > pci_last_bus)
            pci_last_bus = sub;
    }
    u32 class = pci_read32(bdf, 0x08) >> 8;
    dprintf(2, "rombios: pci %02x:%02x.%x %04x:%04x class %06x\n", bdf >> 8, (bdf >> 3) & 31, bdf & 7,
            (unsigned)(id & 0xffff), (unsigned)(id >> 16), (unsigned)class);
    /* An IDE controller in compatibility mode answers at 1F0h/170h only
     * once its I/O space is on (command register bit 0): Bochs turns it on
     * at reset, QEMU leaves it to the BIOS. */
    if (class >> 8 == 0x0101) {
        pci_select(bdf, 0x04);
        outw(PCI_DATA, inw(PCI_DATA) | 0x0001);
    }
    return 0;
}

/* QEMU keeps a PCI VGA's BIOS behind the device's expansion ROM BAR (30h)
 * for the system BIOS to copy to C0000 (Bochs puts its VGA BIOS at C0000
 * itself). For the first VGA (class 030000): turn its I/O and memory decode
 * on (QEMU gates the legacy VGA ports and A0000-BFFFF with them too), open
 * the ROM BAR at ROM_WINDOW in the PCI hole for the copy, close it again.
 * The other BARs stay unassigned: the text modes use the legacy ranges. */
#define ROM_BAR 0x30
#define ROM_WINDOW 0xfe000000u /* above any RAM below 4 GiB, below the I/O APIC */

u16 pci_vga_bdf = 0xffff;

static int vga_rom_copy(u16 bdf, u32 id, void *ctx)
{
    (void)id;
    (void)ctx;
    if (pci_read32(bdf, 0x08) >> 8 != 0x030000)
        return 0;
    pci_select(bdf, 0x04);
    outw(PCI_DATA, inw(PCI_DATA) | 0x0003);
    pci_write32(bdf, ROM_BAR, 0xfffff800);
    u32 size = ~(pci_read32(bdf, ROM_BAR) & 0xfffff800) + 1; /* 0: no ROM BAR */
    if (size == 0 || size > 0x1000000)
        return 1;
    pci_write32(bdf, ROM_BAR, ROM_WINDOW | 1);
    u8 hdr[4];
    flat_copy(LINEAR(my_seg(), (u16)(u32)hdr), ROM_WINDOW, sizeof hdr);
    u32 len = (u32)hdr[2] * 512;
    if (hdr[0] == 0x55 && hdr[1] == 0xaa && len && len <= size && len <= 0x10000) {
        flat_copy(0xc0000, ROM_WINDOW, len); /* C0000-CFFFF is shadow RAM (entry.asm) */
        pci_vga_bdf = bdf;
        dprintf(1, "rombios: pci %02x:%02x.%x: VGA BIOS (%u KiB) copied from its ROM BAR to C0000\n", bdf >> 8,
                (bdf >> 3) & 31, bdf & 7, (unsigned)(len >> 10));
    } else {
        bprintf("rombios: pci %02x:%02x.%x: the VGA's ROM BAR holds no option ROM of at most 64 KiB\n", bdf >> 8,
                (bdf >> 3) & 31, bdf & 7);
    }
    pci_write32(bdf, ROM_BAR, 0);
    return 1;
}

void pci_vga_rom(void)
{
    if (peekw(0xc000, 0) == 0xaa55)
        return; /* the machine has put a VGA BIOS there */
    outl(PCI_ADDR, PCI_ENABLE);
    if (inl(PCI_ADDR) == PCI_ENABLE) /* configuration mechanism 1 (pci_setup) */
        pci_each(vga_rom_copy, 0);
}

void pci_setup(void)
{
    /* Mechanism 1 is there when the address register reads back. */
    outl(PCI_ADDR, PCI_ENABLE);
    if (inl(PCI_ADDR) != PCI_ENABLE) {
        bprintf("rombios: no PCI configuration mechanism 1: no PCI BIOS\n");
        return;
    }
    unsigned n = 0;
    pci_each(print_one, &n);
    dprintf(1, "rombios: pci: %u functions on buses 0-%u\n", n, pci_last_bus);
}

static int id_match(u16 bdf, u32 id, void *ctx)
{
    (void)bdf;
    return id == *(u32 *)ctx;
}

/* The first function with this vendor/device ID (vendor in the low half), or -1. */
int pci_find_id(u32 id)
{
    outl(PCI_ADDR, PCI_ENABLE);
    return inl(PCI_ADDR) == PCI_ENABLE ? pci_each(id_match, &id) : -1;
}

/* B102h (find device CX:DX) and B103h (find class ECX), SI-th match. */
struct pci_find {
    u32 want, mask;
    u16 index;
    int class;
};

static int find_match(u16 bdf, u32 id, void *ctx)
{
    struct pci_find *f = ctx;
    u32 v = f->class ? pci_read32(bdf, 0x08) >> 8 : id;
    return (v & f->mask) == f->want && f->index-- == 0;
}

static void pci_find(struct bregs *r, struct pci_find *f)
{
    int bdf = pci_each(find_match, f);
    if (bdf < 0) {
        set_status(r, PCI_DEVICE_NOT_FOUND);
        return;
    }
    r->bx = (u16)bdf;
    set_status(r, PCI_OK);
}

/* B108h-B10Dh: BX = bdf, DI = register, the value in CL/CX/ECX. A word
 * must be word aligned, a dword dword aligned. */
static void pci_config(struct bregs *r)
{
    static const u8 size[] = { 1, 2, 4, 1, 2, 4 };
    u8 n = size[r->al - 0x08];
    if (r->di > 0xff || (r->di & (n - 1))) {
        set_status(r, PCI_BAD_REGISTER);
        return;
    }
    u16 port = PCI_DATA + (r->di & 3);
    pci_select(r->bx, (u8)r->di);
    switch (r->al) {
    case 0x08: r->cl = inb(port); break;
    case 0x09: r->cx = inw(port); break;
    case 0x0a: r->ecx = inl(port); break;
    case 0x0b: outb(port, r->cl); break;
    case 0x0c: outw(port, r->cx); break;
    case 0x0d: outl(port, r->ecx); break;
    }
    set_status(r, PCI_OK);
}

void pci_bios(struct bregs *r)
{
    struct pci_find f = { 0 };
    switch (r->al) {
    case 0x01: /* installation check */
        r->ah = 0;
        r->al = 0x01;   /* configuration mechanism 1, no special cycles */
        r->bx = 0x0210; /* version 2.10 */
        r->cl = pci_last_bus;
        r->edx = 0x20494350; /* "PCI " */
        r->edi = 0;          /* no protected-mode entry point */
        set_cf(r, 0);
        return;
    case 0x02:
        if (r->dx == 0xffff) {
            set_status(r, PCI_BAD_VENDOR_ID);
            return;
        }
        f.want = (u32)r->cx << 16 | r->dx;
        f.mask = 0xffffffff;
        f.index = r->si;
        pci_find(r, &f);
        return;
    case 0x03:
        f.want = r->ecx & 0xffffff;
        f.mask = 0xffffff;
        f.index = r->si;
        f.class = 1;
        pci_find(r, &f);
        return;
    case 0x08 ... 0x0d: pci_config(r); return;
    default: /* B106h special cycles, B10Eh/B10Fh IRQ routing ... */ set_status(r, PCI_FUNC_NOT_SUPPORTED);
    }
}
