/* init.c - the option ROM's initialisation (entry.asm calls it on our own
 * stack): COM1, mode 03h, the vectors, the banner. */
#include "vgabios.h"

static void puts_tty(const char *s)
{
    u16 pos = cursor_get(0);
    u8 row = pos >> 8, col = pos & 0xff;
    for (; *s; s++)
        text_emit(0, &row, &col, (u8)*s, -1);
    cursor_set(0, row, col);
}

void vgabios_init(void)
{
    mirror_reset(&mirror);
    mirror.on = (u8)serial_setup();
    vga_set_mode(0x03);
    ivt_set(0x10, my_seg(), (u16)(u32)entry_int10);
    ivt_set(0x43, my_seg(), (u16)(u32)font8x8);             /* graphics characters 00h-7Fh */
    ivt_set(0x1f, my_seg(), (u16)(u32)(font8x8 + 128 * 8)); /* ... and 80h-FFh */
    puts_tty("vmxlab vgabios " VGABIOS_VERSION ": VGA text 80x25, 8x16 font");
    puts_tty(mirror.on ? ", screen mirrored on COM1\r\n" : "\r\n");
}
