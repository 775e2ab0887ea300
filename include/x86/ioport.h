/* ioport.h - fixed PC I/O ports vmxlab uses: the COM ports and the 16550
 * UART's registers, and the emulators' debug ports. The PIC, PIT, CMOS and
 * 8042 have their own headers (x86/pic.h, pit.h, cmos.h, kbc.h). */
#ifndef X86_IOPORT_H
#define X86_IOPORT_H

#define COM1_BASE 0x3f8
#define COM2_BASE 0x2f8
#define COM3_BASE 0x3e8
#define COM4_BASE 0x2e8

/* 16550 registers, offsets from the base */
#define UART_RBR 0 /* receive buffer register (read, DLAB=0) */
#define UART_THR 0 /* transmit holding register (DLAB=0) */
#define UART_IER 1
#define UART_DLL 0 /* divisor latch low (DLAB=1) */
#define UART_DLM 1
#define UART_FCR 2
#define UART_IIR 2 /* interrupt identification (read) */
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define UART_MSR 6
#define UART_SCR 7         /* scratch register: no function, so a good presence test */
#define UART_LCR_DLAB 0x80 /* the divisor latch replaces RBR/THR and IER */
#define UART_LCR_8N1 0x03
#define UART_LSR_DR 0x01   /* a received byte is ready */
#define UART_LSR_THRE 0x20 /* transmit holding register empty */
#define UART_LSR_TEMT 0x40 /* transmitter completely empty */

#define PORT_POST_CODE 0x80        /* POST diagnostic codes; a write there takes about 1 us */
#define PORT_BOCHS_E9 0xe9         /* Bochs/QEMU debug console */
#define PORT_POWEROFF_F4 0xf4      /* QEMU isa-debug-exit; vmxlab's guest power-off */
#define PORT_BOCHS_SHUTDOWN 0x8900 /* Bochs: write "Shutdown" to quit */

#endif
