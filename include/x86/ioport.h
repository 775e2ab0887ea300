/* ioport.h - fixed PC I/O ports vmxlab uses (and the emulators' debug ports). */
#ifndef X86_IOPORT_H
#define X86_IOPORT_H

#define COM1_BASE 0x3f8
#define UART_THR 0 /* transmit holding register (DLAB=0) */
#define UART_IER 1
#define UART_DLL 0 /* divisor latch low (DLAB=1) */
#define UART_DLM 1
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define UART_LSR_THRE 0x20 /* transmit holding register empty */
#define UART_LSR_TEMT 0x40 /* transmitter completely empty */

#define PORT_BOCHS_E9 0xe9        /* Bochs/QEMU debug console */
#define PORT_POWEROFF_F4 0xf4     /* QEMU isa-debug-exit; vmxlab's guest power-off */
#define PORT_BOCHS_SHUTDOWN 0x8900 /* Bochs: write "Shutdown" to quit */

#endif
