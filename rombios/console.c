/* console.c - rombios's output: COM1 always, the screen through INT 10h once
 * the video BIOS has initialised (our vgabios mirrors the screen on COM1
 * itself, so then we print only there). */
#include "rombios.h"
#include "fmt.h"
#include "vmxlab/vmcall.h"
#include "x86/uart.h"

int debug_level = 1;
int screen_ready;

void serial_init(void) { uart_init_115200(COM1_BASE); }

static void serial_putc(char c)
{
    for (int i = 0; i < 100000 && !(inb(COM1_BASE + UART_LSR) & UART_LSR_THRE); i++)
        ;
    outb(COM1_BASE + UART_THR, c);
}

static void screen_putc(char c)
{
    struct bregs r = { 0 };
    r.ah = 0x0e;
    r.al = c;
    r.bx = 0x0007;
    intcall(0x10, &r);
}

static void bputc(char c)
{
    if (screen_ready) {
        if (c == '\n')
            screen_putc('\r');
        screen_putc(c);
        if (screen_ready == 2) /* the video BIOS mirrors to COM1 itself */
            return;
    }
    if (c == '\n')
        serial_putc('\r');
    serial_putc(c);
}

static void put(void *ctx, char c)
{
    (void)ctx;
    bputc(c);
}

static void bvprintf(const char *fmt, va_list ap) { fmt_vformat(put, 0, fmt, ap); }

void bprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    bvprintf(fmt, ap);
    va_end(ap);
}

/* Stop the machine: under the hv, port F4h powers the guest off with this
 * status; Bochs without the hv quits on its "Shutdown" port; a real PC halts. */
static void __attribute__((noreturn)) bios_stop(u8 status)
{
    outb(0xf4, status);
    for (const char *s = "Shutdown"; *s; s++)
        outb(0x8900, *s);
    for (;;)
        sti_hlt();
}

void panic(const char *fmt, ...)
{
    va_list ap;
    bprintf("rombios: error: ");
    va_start(ap, fmt);
    bvprintf(fmt, ap);
    va_end(ap);
    bprintf("\n");
    bios_stop(VMXLAB_STATUS_BIOS_ERROR);
}
