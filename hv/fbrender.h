/* fbrender.h - a VGA text screen drawn into a linear framebuffer: the pure
 * part of hv/fb.c, built for host tests and tools/fbhash too. */
#ifndef HV_FBRENDER_H
#define HV_FBRENDER_H
#include <stdint.h>

/* A linear framebuffer, direct colour (multiboot2 framebuffer type 1). */
struct fb_surface {
    uint8_t *base;
    uint32_t pitch, width, height;
    uint8_t bpp; /* 16, 24 or 32 (15 too: 16 bits per pixel, 5 per colour) */
    uint8_t red_pos, red_size, green_pos, green_size, blue_pos, blue_size;
};

/* Where the text goes: each character cell is 8 x 16 pixels times scale,
 * the whole text centred. Filled by fb_layout. */
struct fb_view {
    unsigned cols, rows, scale, x0, y0, bytes_pp;
    uint32_t colour[16]; /* the 16 text colours as pixel values */
};

/* The text screen: cells[row * cols + col] = character | attribute << 8. */
struct text_screen {
    const volatile uint16_t *cells;
    unsigned cursor;                  /* cell index of the cursor */
    uint8_t cursor_start, cursor_end; /* CRTC 0Ah/0Bh: scan lines; start bit 5 hides it */
};

/* Returns 0, or -1 when the surface is not one fb_render can draw (bpp). */
int fb_layout(const struct fb_surface *s, unsigned cols, unsigned rows, struct fb_view *v);

/* Draws the cells that differ from shadow[] (all of them when full), the
 * old and the new cursor cell, and updates shadow[] and *shadow_cursor.
 * Returns how many cells it drew. */
unsigned fb_render(const struct fb_surface *s, const struct fb_view *v, const struct text_screen *t, uint16_t *shadow,
                   unsigned *shadow_cursor, int full, const uint8_t *font);

/* FNV-1a (64-bit) over the visible bytes of every row (width * bytes per
 * pixel, without the pitch's padding): the screen's fingerprint. */
uint64_t fb_hash(const struct fb_surface *s);

#endif
