/* misc.c - the small services: INT 11h equipment, INT 12h memory size,
 * INT 17h printers (there are none), and the PIC's stray interrupts. */
#include "rombios.h"

/* INT 17h: no parallel ports are set up (40:08 stays 0), so every call
 * (00h print, 01h init, 02h status) answers "time-out" (AH bit 0), with CF
 * set as well, and nothing is printed. */
void handle_int17(struct bregs *r)
{
    r->ah = 0x01;
    set_cf(r, 1);
}

void handle_int11(struct bregs *r) { r->ax = peekw(BDA_SEG, BDA_EQUIPMENT); }
void handle_int12(struct bregs *r) { r->ax = peekw(BDA_SEG, BDA_MEM_KB); }

/* IRQ7 (vector 0Fh) also comes when the master PIC drops a request before
 * the CPU acknowledges it: then no ISR bit is set and there must be no EOI. */
void handle_irq_spurious(struct bregs *r)
{
    (void)r;
    outb(PIC1_CMD, PIC_OCW3_READ_ISR);
    if (inb(PIC1_CMD) & 0x80) /* IR7 in service */
        outb(PIC1_CMD, PIC_OCW2_EOI);
}

/* IRQ 8-13 (vectors 70h-75h): nothing of ours uses them; acknowledge both
 * PICs so a stray one does not block the others. */
void handle_irq_slave(struct bregs *r)
{
    (void)r;
    outb(PIC2_CMD, PIC_OCW2_EOI);
    outb(PIC1_CMD, PIC_OCW2_EOI);
}
