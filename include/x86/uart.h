/* uart.h - the 16550 UART on COM1 as every vmxlab component sets it up:
 * 115200 baud, 8N1, FIFOs on, no interrupts (everyone polls). Used by the hv's
 * console, rombios's console and the vgabios's mirror. */
#ifndef X86_UART_H
#define X86_UART_H
#include "x86/asm.h"
#include "x86/ioport.h"

static inline void uart_init_115200(uint16_t base)
{
    outb(base + UART_IER, 0x00);          /* no interrupts: we poll */
    outb(base + UART_LCR, UART_LCR_DLAB); /* DLAB on to set the divisor */
    outb(base + UART_DLL, 1);             /* 115200 = 115200 / 1 */
    outb(base + UART_DLM, 0);
    outb(base + UART_LCR, UART_LCR_8N1); /* 8N1, DLAB off */
    outb(base + UART_FCR, 0xc7);         /* FIFOs on and cleared */
    outb(base + UART_MCR, 0x03);         /* DTR, RTS */
}

/* The UART as a PC's reset leaves it, for a BIOS's POST to probe: no
 * interrupts and the FIFOs off (a probe that reads the interrupt
 * identification register, the Bochs BIOS's, wants 02h there, not the C2h of
 * a UART with FIFOs; it then lists no serial port). The speed and the 8N1
 * frame stay, so output after this is still readable. */
static inline void uart_power_on_state(uint16_t base)
{
    /* Turning the FIFOs off empties them: let what is queued go out first
     * (bounded: a missing UART reads FFh, which has the bit set). */
    for (unsigned spin = 0; spin < 1000000 && !(inb(base + UART_LSR) & UART_LSR_TEMT); spin++)
        ;
    outb(base + UART_IER, 0x00);
    outb(base + UART_FCR, 0x00);
}

#endif
