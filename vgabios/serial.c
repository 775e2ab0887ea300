/* serial.c - COM1 for the screen's mirror. The system BIOS normally set the
 * line up already (rombios, Bochs' BIOS, GRUB before a chain-load): we
 * program it only when its LCR still reads 0 (the reset value). */
#include "vgabios.h"
#include "x86/uart.h"

struct mirror mirror;

int serial_setup(void)
{
    u8 lcr = inb(COM1_BASE + UART_LCR);
    if (lcr == 0xff) /* nothing decodes the port */
        return 0;
    if (lcr == 0)
        uart_init_115200(COM1_BASE);
    return 1;
}

void mirror_out(u8 c)
{
    for (u16 i = 0; i < 0xffff && !(inb(COM1_BASE + UART_LSR) & UART_LSR_THRE); i++)
        ;
    outb(COM1_BASE + UART_THR, c);
}
