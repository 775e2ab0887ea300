/* serial.c - COM1 for the screen's mirror. The system BIOS normally set the
 * line up already (rombios, Bochs' BIOS, GRUB before a chain-load): we
 * program it only when its LCR still reads 0 (the reset value). */
#include "vgabios.h"

#define UART_LCR 3
#define UART_LSR 5
#define LSR_THRE 0x20

struct mirror mirror;

int serial_setup(void)
{
    u8 lcr = inb(COM1 + UART_LCR);
    if (lcr == 0xff) /* nothing decodes the port */
        return 0;
    if (lcr == 0) {
        outb(COM1 + 1, 0x00); /* no UART interrupts */
        outb(COM1 + UART_LCR, 0x80);
        outb(COM1 + 0, 0x01); /* divisor 1: 115200 baud */
        outb(COM1 + 1, 0x00);
        outb(COM1 + UART_LCR, 0x03); /* 8N1 */
        outb(COM1 + 2, 0xc7);        /* FIFOs on, cleared */
        outb(COM1 + 4, 0x03);        /* DTR, RTS */
    }
    return 1;
}

void mirror_out(u8 c)
{
    for (u16 i = 0; i < 0xffff && !(inb(COM1 + UART_LSR) & LSR_THRE); i++)
        ;
    outb(COM1, c);
}
