/* console.c - polled 16550 UART output on COM1.
 * GRUB's serial terminal already set the line up; we set it again so the
 * hv also works when started by another multiboot loader. */
#include "console.h"
#include "fmt.h"
#include "x86/asm.h"
#include "x86/ioport.h"
#include "x86/uart.h"

void console_init(void) { uart_init_115200(COM1_BASE); }

static void uart_put(char c)
{
    for (unsigned spin = 0; spin < 1000000; spin++) /* a missing UART must not hang us */
        if (inb(COM1_BASE + UART_LSR) & UART_LSR_THRE)
            break;
    outb(COM1_BASE + UART_THR, (uint8_t)c);
}

void console_putc(char c)
{
    if (c == '\n')
        uart_put('\r');
    uart_put(c);
}

void console_write(const char *s, size_t n)
{
    while (n--)
        console_putc(*s++);
}

void console_drain(void)
{
    for (unsigned spin = 0; spin < 1000000; spin++)
        if (inb(COM1_BASE + UART_LSR) & UART_LSR_TEMT)
            return;
}

static void put_fn(void *ctx, char c)
{
    (void)ctx;
    console_putc(c);
}

void printk(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fmt_vformat(put_fn, 0, fmt, ap);
    va_end(ap);
}
