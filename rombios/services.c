/* services.c - PLACEHOLDER until the services work lands. */
#include "rombios.h"

void timer_setup(void)
{
    outb(0x43, 0x34);
    outb(0x40, 0);
    outb(0x40, 0);
}
void kbd_setup(void) {}
void serial_ports_setup(void) {}
void pci_setup(void) {}
void handle_irq0(struct bregs *r)
{
    (void)r;
    pokel(BDA_SEG, BDA_TICKS, peekl(BDA_SEG, BDA_TICKS) + 1);
    outb(0x20, 0x20);
}
void handle_irq1(struct bregs *r) { (void)r; inb(0x60); outb(0x20, 0x20); }
void handle_irq_spurious(struct bregs *r) { (void)r; }
void handle_int11(struct bregs *r) { r->ax = peekw(BDA_SEG, BDA_EQUIPMENT); }
void handle_int12(struct bregs *r) { r->ax = peekw(BDA_SEG, BDA_MEM_KB); }
void handle_int14(struct bregs *r) { r->ah = 0x80; }
void handle_int15(struct bregs *r) { set_status(r, 0x86); }
void handle_int16(struct bregs *r) { r->ax = 0; }
void handle_int17(struct bregs *r) { r->ah = 0; }
void handle_int1a(struct bregs *r) { set_cf(r, 1); }
