/* post.c - the power-on self test: from the reset vector to INT 19h.
 * entry.asm made our segment writable and gave us a stack; this file sets up
 * the machine in the order a PC BIOS always has, saying each step on COM1. */
#include "rombios.h"
#include "string.h"

extern char bss_start[], bss_end[];

/* Vectors rombios implements (entry.asm stubs; vectors.inc lists them). */
extern char entry_irq0[], entry_irq1[], entry_irq_spurious[], entry_irq_slave[], entry_irq6[], entry_irq14[],
    entry_irq15[];
extern char entry_int11[], entry_int12[], entry_int13[], entry_int14[], entry_int15[], entry_int16[];
extern char entry_int17[], entry_int18[], entry_int19[], entry_int1a[];

#define OFF(sym) ((u16)(u32)(sym))

static void ivt_setup(void)
{
    u16 cs = my_seg();
    for (int v = 0; v < 256; v++)
        ivt_set(v, cs, OFF(entry_iret));
    static const struct {
        u8 vec;
        const char *entry;
    } vectors[] = {
        { 0x08, entry_irq0 },  { 0x09, entry_irq1 },  { 0x0e, entry_irq6 },  { 0x0f, entry_irq_spurious },
        { 0x11, entry_int11 }, { 0x12, entry_int12 }, { 0x13, entry_int13 }, { 0x14, entry_int14 },
        { 0x15, entry_int15 }, { 0x16, entry_int16 }, { 0x17, entry_int17 }, { 0x18, entry_int18 },
        { 0x19, entry_int19 }, { 0x1a, entry_int1a }, { 0x76, entry_irq14 }, { 0x77, entry_irq15 },
    };
    for (unsigned i = 0; i < sizeof vectors / sizeof vectors[0]; i++)
        ivt_set(vectors[i].vec, cs, OFF(vectors[i].entry));
    /* IRQ 8-13 on the slave PIC: acknowledge and ignore. */
    for (int v = 0x70; v < 0x76; v++)
        ivt_set(v, cs, OFF(entry_irq_slave));
    ivt_set(0x1d, 0, 0); /* video parameters: none (the vgabios sets its own) */
    ivt_set(0x1f, 0, 0); /* no 8x8 graphics font */
}

/* The 8259A pair: IRQ 0-7 at vectors 08h-0Fh and IRQ 8-15 at 70h-77h, as
 * every real-mode program expects. Unmasked: timer, keyboard, cascade,
 * floppy, and the two IDE channels. */
static void pic_setup(void)
{
    outb(PIC1_CMD, PIC_ICW1_INIT); /* ICW1: edge, cascade, ICW4 */
    outb(PIC2_CMD, PIC_ICW1_INIT);
    outb(PIC1_DATA, PIC1_BIOS_BASE); /* ICW2: vector bases */
    outb(PIC2_DATA, PIC2_BIOS_BASE);
    outb(PIC1_DATA, PIC_ICW3_MASTER);
    outb(PIC2_DATA, PIC_ICW3_SLAVE);
    outb(PIC1_DATA, PIC_ICW4_8086);
    outb(PIC2_DATA, PIC_ICW4_8086);
    outb(PIC1_DATA, (u8) ~(1 << 0 | 1 << 1 | 1 << 2 | 1 << 6)); /* the mask: IRQ 0, 1, 2, 6 on */
    outb(PIC2_DATA, (u8) ~(1 << 6 | 1 << 7));                   /* IRQ 14, 15 on */
}

/* The local APIC of a plain PC: the 8259's INTR reaches the CPU through
 * LINT0, which QEMU leaves masked after reset (the APIC is still software
 * disabled); a BIOS is to set up virtual-wire mode (MP specification 3.6.2.2):
 * APIC software enabled, LINT0 ExtINT (the PIC), LINT1 NMI. Without it no
 * interrupt ever arrives and the first wait for one halts for good. Under
 * the hv (have_handoff) the hv injects the guest's interrupts itself. */
#define MSR_APIC_BASE 0x1b
#define APIC_BASE_ENABLE (1u << 11)
#define APIC_BASE_X2APIC (1u << 10)
#define LAPIC_SVR 0xf0
#define LAPIC_LINT0 0x350
#define LAPIC_LINT1 0x360

static u32 lapic_read(u32 reg)
{
    u32 v;
    flat_copy(LINEAR(my_seg(), (u16)(u32)&v), reg, 4); /* 4 bytes: one 32-bit access */
    return v;
}

static void lapic_write(u32 reg, u32 v) { flat_copy(reg, LINEAR(my_seg(), (u16)(u32)&v), 4); }

static void lapic_virtual_wire(void)
{
    u32 id[4];
    cpuid(1, 0, id);
    if (!(id[3] & (1u << 9))) /* no local APIC: INTR goes straight to the CPU */
        return;
    u64 base = rdmsr(MSR_APIC_BASE);
    if (!(base & APIC_BASE_ENABLE) || (base & APIC_BASE_X2APIC))
        return; /* disabled (INTR straight through), or x2APIC: not after a reset */
    u32 apic = (u32)base & 0xfffff000u;
    lapic_write(apic + LAPIC_SVR, lapic_read(apic + LAPIC_SVR) | 0x100);
    lapic_write(apic + LAPIC_LINT0, 0x700); /* ExtINT, edge, unmasked */
    lapic_write(apic + LAPIC_LINT1, 0x400); /* NMI */
}

/* A20 on through the fast gate (port 92h bit 1), bit 0 (reset) kept clear. The
 * 8042's output port is left alone: INT 15h 2400h-2403h use the same gate. */
static void a20_enable(void) { outb(PORT_SYS_CTRL_A, (inb(PORT_SYS_CTRL_A) | SYS_CTRL_A_A20) & ~SYS_CTRL_A_RESET); }

static void bda_setup(void)
{
    far_memset(BDA_SEG, 0, 0, sizeof(struct bda));
    /* EBDA (include/bios/bda.h): at the top of conventional memory. */
    u16 ebda = (u16)(memmap.base_kb << 6);
    far_memset(ebda, 0, 0, sizeof(struct ebda));
    pokeb(ebda, EBDA_OFF(size_kb), EBDA_KB);
    pokew(BDA_SEG, BDA_EBDA_SEG, ebda);
    pokew(BDA_SEG, BDA_MEM_KB, (u16)memmap.base_kb);
    pokew(BDA_SEG, BDA_KBD_HEAD, BDA_KBD_BUF);
    pokew(BDA_SEG, BDA_KBD_TAIL, BDA_KBD_BUF);
    pokew(BDA_SEG, BDA_KBD_START, BDA_KBD_BUF);
    pokew(BDA_SEG, BDA_KBD_END, BDA_KBD_BUF_END);
    /* Equipment: a VGA (80x25 colour: bits 5-4 = 10), a math coprocessor;
     * floppies and serial ports are added by the code that finds them. */
    pokew(BDA_SEG, BDA_EQUIPMENT, 0x0022);
}

/* Option ROMs (the vgabios at C0000 first): 55AAh, a length in 512-byte
 * blocks, a zero byte sum, and an entry at offset 3 called with a far call. */
static int rom_ok(u16 seg, u32 *len)
{
    if (peekw(seg, 0) != 0xaa55)
        return 0;
    *len = (u32)peekb(seg, 2) * 512;
    if (*len == 0)
        return 0;
    u8 sum = 0;
    for (u32 i = 0; i < *len; i++)
        sum += peekb(seg + (u16)(i >> 4), (u16)(i & 15));
    return sum == 0;
}

/* The video BIOS we started at the first POST. Under the hv, C0000 is RAM,
 * and a video BIOS that keeps its data and stack inside its image (ours
 * does) no longer sums to zero once it has run. A warm restart (a jump to
 * F000:FFF0, 40:72 = 1234h) finds it so: the one we started before runs
 * again. .data, not .bss: POST clears .bss, and this must outlive it. */
static u32 __attribute__((section(".data"))) vga_rom_seen = 0;

static void option_roms(void)
{
    for (u32 seg = 0xc000; seg < 0xe000; seg += 0x80) {
        u32 len;
        if (!rom_ok((u16)seg, &len)) {
            if (seg == 0xc000 && vga_rom_seen && vga_rom_seen == peekl((u16)seg, 0)) {
                len = (u32)peekb((u16)seg, 2) * 512;
                dprintf(1, "rombios: option ROM at c000:0000: the video BIOS started before (its checksum "
                           "changed with its own data): warm restart\n");
            } else {
                if (peekw((u16)seg, 0) == 0xaa55)
                    bprintf("rombios: option ROM at %04x:0000 has a bad checksum: skipped\n", (unsigned)seg);
                continue;
            }
        }
        if (seg == 0xc000)
            vga_rom_seen = peekl((u16)seg, 0);
        dprintf(1, "rombios: option ROM at %04x:0000, %u KiB\n", (unsigned)seg, (unsigned)(len >> 10));
        struct bregs r = { 0 };
        r.ds = r.es = 0x40;
        if (seg == 0xc000 && pci_vga_bdf != 0xffff)
            r.ax = pci_vga_bdf; /* a PCI device's ROM learns its AH = bus, AL = device/function */
        r.cs = (u16)seg;        /* intcall's far-call form: CS:IP set, vector 0 */
        r.ip = 3;
        intcall(0, &r);
        if (seg == 0xc000) {
            /* vmxlab's vgabios answers AX=EF00h with 564Dh and BL bit 0 set
             * when it mirrors the screen on COM1: then print only once. */
            struct bregs q = { 0 };
            q.ax = 0xef00;
            intcall(0x10, &q);
            screen_ready = (q.ax == 0x564d && (q.bl & 1)) ? 2 : 1;
            if (q.ax != 0x564d && pci_vga_bdf != 0xffff) {
                /* QEMU's VGA BIOS (SeaVGABIOS) leaves setting a mode to the system BIOS */
                struct bregs m = { 0 };
                m.ax = 0x0003;
                intcall(0x10, &m);
            }
        }
        seg += (((len + 2047) & ~2047u) >> 4) - 0x80; /* the next 2 KiB boundary, in paragraphs */
    }
}

void rombios_post(void)
{
    memset(bss_start, 0, (u32)(bss_end - bss_start));
    int_busy = 1; /* POST owns our stack until entry.asm leaves it for INT 19h */
    serial_init();
    bprintf("\nvmxlab rombios " ROMBIOS_VERSION "\n");
    memory_setup();
    pic_setup();
    if (!have_handoff)
        lapic_virtual_wire();
    ivt_setup();
    bda_setup();
    timer_setup();
    a20_enable();
    kbd_setup();
    serial_ports_setup();
    kbd_input_report();
    pci_setup();
    if (!have_handoff)
        pci_vga_rom();
    acpi_setup();
    smbios_setup();
    dprintf(1, "rombios: PIC, PIT, keyboard, A20, BDA, IVT: done\n");
    option_roms();
    if (screen_ready)
        bprintf("vmxlab rombios " ROMBIOS_VERSION " (%u KiB base memory)\n", (unsigned)memmap.base_kb);
    disk_setup();
    boot_setup();
    /* entry.asm moves to the boot stack and issues INT 19h. */
}
