/* screen.h - the arithmetic of a text screen in video memory, kept free of
 * hardware access so the host unit test (tests/unit/test_vgabios.c) runs the
 * same code on an array: cell_get/cell_put are the only way to the cells. */
#ifndef VGABIOS_SCREEN_H
#define VGABIOS_SCREEN_H
#include <stdint.h>

/* One text page: base (byte offset of row 0, column 0 in the video
 * segment), its columns and rows. */
struct page {
    uint16_t base;
    uint8_t cols, rows;
};

/* Provided by the user of screen.c: a 16-bit cell (attr << 8 | char). */
uint16_t cell_get(uint16_t off);
void cell_put(uint16_t off, uint16_t v);

static inline uint16_t cell_off(const struct page *p, unsigned row, unsigned col)
{
    return (uint16_t)(p->base + (row * p->cols + col) * 2);
}

/* INT 10h AH=06h/07h: scroll the window (top, left)-(bottom, right) up by
 * lines (down when lines < 0), filling what opens up with blanks in attr.
 * lines == 0 or at least the window's height clears it. The window is
 * clipped to the page; an empty window does nothing. */
void scroll_window(const struct page *p, int lines, uint8_t attr, unsigned top, unsigned left, unsigned bottom,
                   unsigned right);

#endif
