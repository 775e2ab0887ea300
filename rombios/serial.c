/* serial.c - the serial ports COM1-4: the POST's probe and INT 14h. */
#include "rombios.h"

#define INT14_TIMEOUT 0x80 /* INT 14h status: time-out */

static int uart_present(u16 base)
{
    outb(base + UART_SCR, 0x5a);
    if (inb(base + UART_SCR) != 0x5a)
        return 0;
    outb(base + UART_SCR, 0xa5);
    return inb(base + UART_SCR) == 0xa5;
}

/* The ports found go to 40:00 in order, their count to equipment bits 11-9.
 * COM1 keeps the 115200 8N1 the console gave it. */
void serial_ports_setup(void)
{
    static const u16 bases[] = { COM1_BASE, COM2_BASE, COM3_BASE, COM4_BASE };
    unsigned n = 0;
    for (unsigned i = 0; i < 4; i++) {
        if (!uart_present(bases[i]))
            continue;
        pokew(BDA_SEG, BDA_COM_PORTS + 2 * n, bases[i]);
        pokeb(BDA_SEG, BDA_COM_TIMEOUT + n, 1);
        n++;
    }
    pokew(BDA_SEG, BDA_EQUIPMENT, (peekw(BDA_SEG, BDA_EQUIPMENT) & ~0x0e00) | n << 9);
    dprintf(1, "rombios: %u serial port(s)\n", n);
}

/* Waits (interrupts on: the tick count moves) until LSR has bit, for the
 * port's time-out from 40:7C in seconds. Returns the last LSR, with the
 * time-out bit when it ran out. */
static u8 uart_wait(u16 base, u8 port, u8 bit)
{
    u32 start = peekl(BDA_SEG, BDA_TICKS);
    u32 limit = (u32)peekb(BDA_SEG, BDA_COM_TIMEOUT + port) * 18 + 1;
    for (;;) {
        u8 lsr = inb(base + UART_LSR);
        if (lsr & bit)
            return lsr;
        if (peekl(BDA_SEG, BDA_TICKS) - start > limit)
            return lsr | INT14_TIMEOUT;
        sti();
        io_delay();
        cli();
    }
}

/* 00h: AL = baud (bits 7-5: 110 ... 9600), parity (4-3), stop bits (2) and
 * word length (1-0), which are the UART's LCR bits 4-0 as they are. */
static void int14_init(struct bregs *r, u16 base)
{
    static const u16 divisor[] = { 1047, 768, 384, 192, 96, 48, 24, 12 };
    if (base == COM1_BASE) {
        /* The BIOS console lives on COM1 at 115200: keep its speed (the
         * frame format is the caller's) so the boot log stays readable. */
        outb(base + UART_LCR, r->al & 0x1f);
    } else {
        outb(base + UART_LCR, UART_LCR_DLAB);
        outb(base + UART_DLL, (u8)divisor[r->al >> 5]);
        outb(base + UART_DLM, (u8)(divisor[r->al >> 5] >> 8));
        outb(base + UART_LCR, r->al & 0x1f);
    }
    outb(base + UART_IER, 0);
    r->ah = inb(base + UART_LSR);
    r->al = inb(base + UART_MSR);
}

/* DX = port 0-3. Returns AH = line status (bit 7: time-out), AL = modem
 * status or the byte received. */
void handle_int14(struct bregs *r)
{
    u16 base = r->dx < 4 ? peekw(BDA_SEG, BDA_COM_PORTS + 2 * r->dx) : 0;
    if (!base) {
        r->ah = INT14_TIMEOUT;
        return;
    }
    if (base == COM1_BASE && (r->ah == 0x00 || r->ah == 0x02))
        com1_input_off = 1; /* COM1's input is the caller's now, not INT 16h's */
    switch (r->ah) {
    case 0x00: int14_init(r, base); break;
    case 0x01: /* send AL */
        r->ah = uart_wait(base, (u8)r->dx, UART_LSR_THRE);
        if (!(r->ah & INT14_TIMEOUT))
            outb(base + UART_THR, r->al);
        break;
    case 0x02: /* receive into AL; AH = the error bits */
        r->ah = uart_wait(base, (u8)r->dx, UART_LSR_DR);
        if (!(r->ah & INT14_TIMEOUT))
            r->al = inb(base + UART_RBR);
        r->ah &= INT14_TIMEOUT | 0x1e;
        break;
    case 0x03:
        r->ah = inb(base + UART_LSR);
        r->al = inb(base + UART_MSR);
        break;
    }
}
