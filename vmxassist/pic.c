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

struct pic {
    uint16_t cmd, data;
    uint8_t guest_base, assist_base;
    uint8_t state; /* 0 normal, 1 want ICW2, 2 want ICW3, 3 want ICW4 */
    uint8_t single, need_icw4;
};

static struct pic pics[2] = {
    { 0x20, 0x21, 0x08, ASSIST_IRQ_BASE, 0, 0, 0 },
    { 0xa0, 0xa1, 0x70, ASSIST_IRQ_BASE + 8, 0, 0, 0 },
};

/* ICW1-ICW4 with the vector base `base`, keeping the interrupt masks. */
static void program(const struct pic *p, uint8_t base, int master)
{
    uint8_t mask = inb(p->data);
    outb(p->cmd, 0x11);             /* ICW1: edge, cascade, ICW4 follows */
    outb(p->data, base);            /* ICW2 */
    outb(p->data, master ? 4 : 2);  /* ICW3: slave on IRQ2 */
    outb(p->data, 0x01);            /* ICW4: 8086 mode, normal EOI */
    outb(p->data, mask);
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

void pic_use_assist_bases(void)
{
    program(&pics[0], pics[0].assist_base, 1);
    program(&pics[1], pics[1].assist_base, 0);
}

void pic_use_guest_bases(void)
{
    program(&pics[0], pics[0].guest_base, 1);
    program(&pics[1], pics[1].guest_base, 0);
}

int pic_guest_vector(unsigned irq) { return pics[irq >> 3].guest_base + (irq & 7); }

int pic_port_write(uint16_t port, uint8_t val)
{
    for (unsigned i = 0; i < 2; i++) {
        struct pic *p = &pics[i];
        if (port == p->cmd) {
            if (val & 0x10) { /* ICW1 starts an initialisation */
                set_state(p, 1);
                p->single = (val & 2) != 0;
                p->need_icw4 = val & 1;
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
            case 2:
                set_state(p, p->need_icw4 ? 3 : 0);
                break;
            case 3:
                set_state(p, 0);
                break;
            }
            outb(port, val);
            return 1;
        }
    }
    return 0;
}
