/* pic.c - keeping the guest's 8259A vectors away from vmxassist's exceptions.
 *
 * The BIOS puts IRQ 0-7 at vectors 08h-0Fh and IRQ 8-15 at 70h-77h. In
 * vmxassist's IDT 08h-0Fh are CPU exceptions (#DF, #GP, #PF ...), so an IRQ
 * there could not be told from a fault. vmxassist follows each chip's
 * initialisation sequence (ICW1 on the command port, then ICW2-ICW4 on the
 * data port), remembers the vector base the guest wanted (ICW2) and gives
 * the chip ASSIST_IRQ_BASE instead. An IRQ then arrives at a vector of its
 * own and vmxassist reflects it to the guest's vector through the guest's
 * IVT.
 *
 * Only what can start or continue a sequence traps. In VM86 every IN/OUT is
 * checked against the TSS I/O permission bitmap whatever IOPL is (SDM vol. 3
 * 20.2.8.1, vol. 1 19.5.2), and the bitmap names ports, not values or directions:
 *  - the command ports 20h/A0h trap for good: any write there may be ICW1
 *    (bit 4 set), so OCW2 (EOI) and OCW3 trap with it, and so do reads of
 *    IRR/ISR, which the real chip answers as the guest expects;
 *  - the data ports 21h/A1h trap only from ICW1 until the sequence's last
 *    ICW. Otherwise they carry OCW1 and the IMR read, which mean the same to
 *    the guest and the chip, and run natively in VM86. */
#include "monitor.h"
#include "x86/asm.h"
#include "x86/pic.h"
#include "vmxlab/guest.h"

struct pic {
    uint16_t cmd, data;
    uint8_t guest_base, assist_base;
    uint8_t state; /* 0 normal, 1 want ICW2, 2 want ICW3, 3 want ICW4 */
    uint8_t single, need_icw4;
    uint8_t read_isr; /* the guest's OCW3 read select: 1 = ISR, 0 = IRR */
};

static struct pic pics[2] = {
    { PIC1_CMD, PIC1_DATA, PIC1_BIOS_BASE, ASSIST_IRQ_BASE, 0, 0, 0, 0 },
    { PIC2_CMD, PIC2_DATA, PIC2_BIOS_BASE, ASSIST_IRQ_BASE + 8, 0, 0, 0, 0 },
};

/* ICW1-ICW4 with the vector base `base`, keeping the interrupt masks and
 * the guest's OCW3 read select. Returns the requests ICW1 threw away: the
 * IRR bits that were set and not masked. ICW1 clears the IRR and resets the
 * edge sense (8259A data sheet; Bochs 2.7 iodev/pic.cc clears irr, isr and
 * imr but keeps IRQ_in, and raise_irq needs IRQ_in to go 0 -> 1), so a
 * device that holds its line until it is serviced (the RTC until register C
 * is read) would never interrupt again: the hv delivers these (hv/irq.c). */
static uint8_t program(const struct pic *p, uint8_t base, int master)
{
    uint8_t mask = inb(p->data);
    outb(p->cmd, PIC_OCW3_READ_IRR);
    uint8_t lost = inb(p->cmd) & (uint8_t)~mask;
    outb(p->cmd, PIC_ICW1_INIT); /* edge, cascade, ICW4 follows */
    outb(p->data, base);         /* ICW2 */
    outb(p->data, master ? PIC_ICW3_MASTER : PIC_ICW3_SLAVE);
    outb(p->data, PIC_ICW4_8086);
    outb(p->data, mask);
    outb(p->cmd, (uint8_t)(PIC_OCW3_READ_IRR | p->read_isr)); /* the guest's read select again */
    return lost;
}

/* IRQs the hv may still owe the guest (its answer to the last call), and
 * the guest's vector bases it was told then. The hv knows both sets of
 * bases and picks by the mode the guest is in, so a switch calls it only
 * when IRQs were lost, or the guest's bases changed while some are owed:
 * a switch stays one VM exit each way even while the guest keeps its
 * interrupts off with a request pending. */
static uint32_t owed;
static uint32_t told_guest_bases;

static void program_both(uint8_t master_base, uint8_t slave_base)
{
    uint32_t lost = program(&pics[0], master_base, 1);
    lost |= (uint32_t)program(&pics[1], slave_base, 0) << 8;
    uint32_t guest_bases = pics[0].guest_base | (uint32_t)pics[1].guest_base << 8;
    if (lost || (owed && guest_bases != told_guest_bases)) {
        told_guest_bases = guest_bases;
        owed =
            (uint32_t)vmcall(VMCALL_ASSIST_REPLAY_IRQ, lost,
                             guest_bases | (uint32_t)pics[0].assist_base << 16 | (uint32_t)pics[1].assist_base << 24);
    }
}

/* The data port traps while its chip is in an initialisation sequence. */
static void set_state(struct pic *p, uint8_t state)
{
    p->state = state;
    io_trap(p->data, state != 0);
}

void pic_trap_ports(void)
{
    for (unsigned i = 0; i < 2; i++) {
        io_trap(pics[i].cmd, 1);
        set_state(&pics[i], 0);
    }
}

void pic_use_assist_bases(void) { program_both(pics[0].assist_base, pics[1].assist_base); }

void pic_use_guest_bases(void) { program_both(pics[0].guest_base, pics[1].guest_base); }

int pic_guest_vector(unsigned irq) { return pics[irq >> 3].guest_base + (irq & 7); }

int pic_port_write(uint16_t port, uint8_t val)
{
    for (unsigned i = 0; i < 2; i++) {
        struct pic *p = &pics[i];
        if (port == p->cmd) {
            if ((val & PIC_OCW_SELECT) == PIC_OCW3 && (val & PIC_OCW3_RR)) /* the read select */
                p->read_isr = val & 1;
            if (val & PIC_ICW1) { /* ICW1 starts an initialisation, and selects the IRR for reads */
                set_state(p, 1);
                p->read_isr = 0;
                p->single = (val & PIC_ICW1_SINGLE) != 0;
                p->need_icw4 = val & PIC_ICW1_ICW4;
            }
            outb(port, val);
            return 1;
        }
        if (port == p->data) {
            switch (p->state) {
            case 1: /* ICW2: the vector base */
                p->guest_base = val & 0xf8;
                outb(port, p->assist_base);
                set_state(p, p->single ? (p->need_icw4 ? 3 : 0) : 2);
                return 1;
            case 2: set_state(p, p->need_icw4 ? 3 : 0); break;
            case 3: set_state(p, 0); break;
            }
            outb(port, val);
            return 1;
        }
    }
    return 0;
}
