/* intr.c - the legacy interrupt route a guest BIOS needs: 8254 PIT ->
 * 8259A PIC -> the local APIC's LINT0 (ExtINT) -> the CPU.
 *
 * A BIOS boot leaves it working: the BIOS set the local APIC to virtual-wire
 * mode (MP spec 3.6.2.2) and left every I/O APIC input masked. A UEFI PC's
 * firmware need not: it may leave the local APIC software-disabled (all
 * LVT entries masked, LINT0 with them), or the I/O APIC routing the PIT's
 * GSI 2 to some vector; and the chipset may clock-gate the 8254 so that no
 * IRQ 0 ever comes. Before the guest starts, the hv:
 *  - sets the local APIC to virtual-wire mode: software-enabled (SVR bit 8,
 *    spurious vector FFh), LINT0 ExtINT, LINT1 NMI, the timer, error,
 *    performance and thermal entries masked as after a reset (SDM 11.5.1,
 *    11.4.7.1; x2APIC through its MSRs, xAPIC through its MMIO page);
 *  - masks every redirection entry of every I/O APIC the MADT lists
 *    (0xFEC00000 without one), as after a reset (82093AA datasheet 3.2.4);
 *  - checks that IRQ 0 arrives: the PICs at vectors 30h-3Fh with only IRQ 0
 *    unmasked, the PIT's channel 0 at 1 kHz, interrupts on for up to 50 ms
 *    (entry.asm's irq_stub counts them). None: one line naming the clock
 *    gate, and a stop. The guest's BIOS programs the PIC and PIT itself,
 *    so they are left masked and at 18.2 Hz. */
#include "hv.h"
#include "acpi.h"
#include "console.h"
#include "fb.h"
#include "vmxlab/vmcall.h"
#include "x86/asm.h"
#include "x86/msr.h"
#include "x86/pic.h"
#include "x86/pit.h"

/* xAPIC register offsets; the x2APIC MSR is 0x800 + offset / 16 (SDM 11.12.1.2) */
#define APIC_TPR 0x080
#define APIC_SVR 0x0f0
#define APIC_VERSION 0x030
#define APIC_LVT_TIMER 0x320
#define APIC_LVT_THERMAL 0x330
#define APIC_LVT_PERF 0x340
#define APIC_LVT_LINT0 0x350
#define APIC_LVT_LINT1 0x360
#define APIC_LVT_ERROR 0x370
#define APIC_SVR_ENABLE (1u << 8)
#define APIC_LVT_MASKED (1u << 16)
#define APIC_DM_NMI (4u << 8)
#define APIC_DM_EXTINT (7u << 8)
#define IOAPIC_DEFAULT_BASE 0xfec00000u
#define IOAPIC_REGSEL 0x00
#define IOAPIC_WIN 0x10
#define IOAPIC_VER 0x01
#define IOAPIC_REDTBL(n) (0x10 + 2 * (n))
#define PIT_1MS ((PIT_HZ + 500) / 1000) /* 1193 */

extern volatile uint64_t irq_ticks; /* entry.asm */

static int x2apic;
static volatile uint32_t *xapic;

static uint32_t apic_read(unsigned reg) { return x2apic ? (uint32_t)rdmsr(0x800 + reg / 16) : xapic[reg / 4]; }

static void apic_write(unsigned reg, uint32_t v)
{
    if (x2apic)
        wrmsr(0x800 + reg / 16, v);
    else
        xapic[reg / 4] = v;
}

static void lapic_virtual_wire(void)
{
    uint64_t base = rdmsr(IA32_APIC_BASE);
    if (!(base & APIC_BASE_EN)) {
        printk("vmxlab: intr: the local APIC is off: the PIC's INTR reaches the CPU directly\n");
        return;
    }
    x2apic = (base & APIC_BASE_EXTD) != 0;
    uint64_t phys = base & ~0xfffull & ((1ull << 52) - 1);
    if (!x2apic && phys >= (1ull << 32)) {
        printk("vmxlab: intr: the local APIC's page 0x%llx is above 4 GiB, outside the hv's map: left as it is\n",
               (unsigned long long)phys);
        return;
    }
    xapic = (volatile uint32_t *)(uintptr_t)phys;
    uint32_t svr_before = apic_read(APIC_SVR), lint0_before = apic_read(APIC_LVT_LINT0);
    unsigned max_lvt = (apic_read(APIC_VERSION) >> 16) & 0xff;
    apic_write(APIC_SVR, APIC_SVR_ENABLE | HV_SPURIOUS_VECTOR);
    apic_write(APIC_TPR, 0);
    apic_write(APIC_LVT_TIMER, APIC_LVT_MASKED);
    if (max_lvt >= 3)
        apic_write(APIC_LVT_ERROR, APIC_LVT_MASKED);
    if (max_lvt >= 4)
        apic_write(APIC_LVT_PERF, APIC_LVT_MASKED);
    if (max_lvt >= 5)
        apic_write(APIC_LVT_THERMAL, APIC_LVT_MASKED);
    apic_write(APIC_LVT_LINT0, APIC_DM_EXTINT);
    apic_write(APIC_LVT_LINT1, APIC_DM_NMI);
    printk("vmxlab: intr: local APIC (%s at 0x%llx) in virtual-wire mode: LINT0 ExtINT, LINT1 NMI (firmware left "
           "SVR 0x%x, LINT0 0x%x)\n",
           x2apic ? "x2APIC" : "xAPIC", (unsigned long long)phys, svr_before, lint0_before);
}

static unsigned ioapic_mask_all(uint32_t base)
{
    volatile uint32_t *io = (volatile uint32_t *)(uintptr_t)base;
    io[IOAPIC_REGSEL / 4] = IOAPIC_VER;
    uint32_t ver = io[IOAPIC_WIN / 4];
    if (ver == 0xffffffffu)
        return 0;
    unsigned n = ((ver >> 16) & 0xff) + 1;
    for (unsigned i = 0; i < n; i++) {
        io[IOAPIC_REGSEL / 4] = IOAPIC_REDTBL(i);
        io[IOAPIC_WIN / 4] = io[IOAPIC_WIN / 4] | APIC_LVT_MASKED;
    }
    return n;
}

static void ioapics_masked(void)
{
    uint32_t base[8];
    const char *why = "no RSDP";
    uint64_t rsdp = acpi_rsdp();
    int n = rsdp ? acpi_read_ioapics(acpi_phys_map, 0, rsdp, base, 8, &why) : -1, from_madt = n > 0;
    if (!from_madt) {
        if (!n)
            why = "the MADT lists none";
        base[0] = IOAPIC_DEFAULT_BASE;
        n = 1;
    }
    for (int i = 0; i < n; i++) {
        unsigned pins = ioapic_mask_all(base[i]);
        if (pins)
            printk("vmxlab: intr: I/O APIC at 0x%x (%s%s): its %u inputs masked\n", base[i],
                   from_madt ? "from the MADT" : "the default address: ", from_madt ? "" : why, pins);
        else
            printk("vmxlab: intr: no I/O APIC answers at 0x%x\n", base[i]);
    }
}

static void pic_init(uint8_t mask1)
{
    outb(PIC1_CMD, PIC_ICW1_INIT); /* ICW1: edge, cascade, ICW4 */
    outb(PIC2_CMD, PIC_ICW1_INIT);
    outb(PIC1_DATA, HV_IRQ_VECTOR_BASE); /* ICW2: vectors */
    outb(PIC2_DATA, HV_IRQ_VECTOR_BASE + 8);
    outb(PIC1_DATA, PIC_ICW3_MASTER); /* ICW3: the slave on IR2 */
    outb(PIC2_DATA, PIC_ICW3_SLAVE);
    outb(PIC1_DATA, PIC_ICW4_8086);
    outb(PIC2_DATA, PIC_ICW4_8086);
    outb(PIC1_DATA, mask1);
    outb(PIC2_DATA, 0xff);
}

static void pit_ch0(uint8_t mode, uint16_t count)
{
    outb(PIT_MODE, (uint8_t)(PIT_SEL_CH0 | PIT_ACCESS_LOHI | PIT_MODE_N(mode)));
    outb(PIT_CH0, (uint8_t)count);
    outb(PIT_CH0, (uint8_t)(count >> 8));
}

static void irq0_check(void)
{
    int masked = (hv.opt.simulate & SIMULATE_NO_IRQ0) != 0;
    uint64_t per_ms = pit_tsc_per_ms();
    pic_init(masked ? 0xff : 0xfe);
    pit_ch0(PIT_MODE_RATE, PIT_1MS); /* 1 kHz */
    irq_ticks = 0;
    uint64_t t0 = rdtsc();
    __asm__ volatile("sti");
    while (irq_ticks < 3 && rdtsc() - t0 < 50 * per_ms)
        __asm__ volatile("pause");
    __asm__ volatile("cli");
    uint64_t ticks = irq_ticks, took = rdtsc() - t0;
    outb(PIC1_DATA, 0xff);
    pit_ch0(PIT_MODE_SQUARE, 0); /* the 18.2 Hz a reset leaves */
    if (ticks < 3)
        hv_fatal(VMXLAB_STATUS_BOOT_ERROR,
                 "IRQ 0 never arrived (%llu in 50 ms%s) although the PIT counts: the "
                 "chipset clock-gates the 8254's channel 0 or its IRQ 0 (Intel PCHs' 8254 clock-gating bit), or the "
                 "PIC's output does not reach the CPU; the guest's BIOS timer would never tick",
                 (unsigned long long)ticks, masked ? ", simulate=no-irq0 masked it" : "");
    printk("vmxlab: timer: IRQ 0 arrives through the 8259A and the local APIC's LINT0 (%llu ticks of 1 ms in "
           "%llu us)\n",
           (unsigned long long)ticks, (unsigned long long)(took * 1000 / per_ms));
}

void intr_init(void)
{
    lapic_virtual_wire();
    ioapics_masked();
    irq0_check();
}
