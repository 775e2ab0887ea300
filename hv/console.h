/* console.h - the hv's console: COM1 at 115200 8N1. */
#ifndef HV_CONSOLE_H
#define HV_CONSOLE_H
#include <stddef.h>

void console_init(void);
void console_putc(char c);
void console_write(const char *s, size_t n);
void console_drain(void); /* wait until the UART has sent every byte */
void printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
