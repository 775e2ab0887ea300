/* fbrender.c - drawing a VGA text screen into a linear framebuffer (also
 * built for host tests and tools/fbhash, which must get the same pixels).
 *
 * Each cell is the 8x16 glyph of its character (lib/font.c, the vgabios's
 * own font) in its attribute's colours: foreground bits 0-3, background
 * bits 4-6; bit 7 (blink on a VGA with its default attribute mode) is drawn
 * steady. The colours are the VGA's default text palette. The cursor is
 * the CRTC's: scan lines cursor_start..cursor_end of its cell, in the
 * cell's foreground colour. The text is scaled by the largest whole factor
 * that fits and centred; the border stays as the framebuffer was. */
#include "fbrender.h"

static const uint8_t text_rgb[16][3] = {
    { 0x00, 0x00, 0x00 }, { 0x00, 0x00, 0xaa }, { 0x00, 0xaa, 0x00 }, { 0x00, 0xaa, 0xaa },
    { 0xaa, 0x00, 0x00 }, { 0xaa, 0x00, 0xaa }, { 0xaa, 0x55, 0x00 }, { 0xaa, 0xaa, 0xaa },
    { 0x55, 0x55, 0x55 }, { 0x55, 0x55, 0xff }, { 0x55, 0xff, 0x55 }, { 0x55, 0xff, 0xff },
    { 0xff, 0x55, 0x55 }, { 0xff, 0x55, 0xff }, { 0xff, 0xff, 0x55 }, { 0xff, 0xff, 0xff },
};

static uint32_t pack(uint8_t c, uint8_t pos, uint8_t size)
{
    return size ? ((uint32_t)c >> (8 - (size > 8 ? 8 : size))) << pos : 0;
}

int fb_layout(const struct fb_surface *s, unsigned cols, unsigned rows, struct fb_view *v)
{
    if (s->bpp != 15 && s->bpp != 16 && s->bpp != 24 && s->bpp != 32)
        return -1;
    v->cols = cols;
    v->rows = rows;
    v->bytes_pp = (s->bpp + 7u) / 8;
    unsigned sx = s->width / (cols * 8), sy = s->height / (rows * 16);
    v->scale = sx < sy ? sx : sy;
    if (!v->scale)
        v->scale = 1; /* smaller than 640x400: drawn from the corner, clipped */
    unsigned w = cols * 8 * v->scale, h = rows * 16 * v->scale;
    v->x0 = s->width > w ? (s->width - w) / 2 : 0;
    v->y0 = s->height > h ? (s->height - h) / 2 : 0;
    for (int i = 0; i < 16; i++)
        v->colour[i] = pack(text_rgb[i][0], s->red_pos, s->red_size) |
                       pack(text_rgb[i][1], s->green_pos, s->green_size) |
                       pack(text_rgb[i][2], s->blue_pos, s->blue_size);
    return 0;
}

static void put_pixels(uint8_t *p, unsigned n, unsigned bytes_pp, uint32_t c)
{
    for (; n; n--, p += bytes_pp)
        for (unsigned b = 0; b < bytes_pp; b++)
            p[b] = (uint8_t)(c >> (8 * b));
}

static void draw_cell(const struct fb_surface *s, const struct fb_view *v, unsigned idx, uint16_t cell, int cursor,
                      uint8_t cstart, uint8_t cend, const uint8_t *font)
{
    unsigned col = idx % v->cols, row = idx / v->cols, k = v->scale;
    uint32_t fg = v->colour[(cell >> 8) & 15], bg = v->colour[(cell >> 12) & 7];
    const uint8_t *glyph = font + (cell & 0xff) * 16;
    unsigned x = v->x0 + col * 8 * k, y = v->y0 + row * 16 * k;
    if (x >= s->width || y >= s->height)
        return;
    unsigned run = 8 * k; /* pixels of one glyph row, clipped at the right edge */
    if (x + run > s->width)
        run = s->width - x;
    for (unsigned gy = 0; gy < 16; gy++) {
        unsigned bits = glyph[gy];
        if (cursor && gy >= cstart && gy <= cend)
            bits = 0xff;
        for (unsigned dy = 0; dy < k && y + gy * k + dy < s->height; dy++) {
            uint8_t *p = s->base + (uint64_t)(y + gy * k + dy) * s->pitch + (uint64_t)x * v->bytes_pp;
            for (unsigned px = 0; px < run; px++)
                put_pixels(p + px * v->bytes_pp, 1, v->bytes_pp, (bits << (px / k)) & 0x80 ? fg : bg);
        }
    }
}

unsigned fb_render(const struct fb_surface *s, const struct fb_view *v, const struct text_screen *t, uint16_t *shadow,
                   unsigned *shadow_cursor, int full, const uint8_t *font)
{
    unsigned n = v->cols * v->rows, drawn = 0;
    uint8_t cs = t->cursor_start & 0x1f, ce = t->cursor_end & 0x1f;
    int cursor_on = !(t->cursor_start & 0x20) && cs <= ce && t->cursor < n;
    unsigned cur = cursor_on ? t->cursor : n, old = *shadow_cursor;
    for (unsigned i = 0; i < n; i++) {
        uint16_t c = t->cells[i];
        if (!full && c == shadow[i] && i != cur && i != old)
            continue;
        draw_cell(s, v, i, c, i == cur, cs, ce, font);
        shadow[i] = c;
        drawn++;
    }
    *shadow_cursor = cur;
    return drawn;
}

uint64_t fb_hash(const struct fb_surface *s)
{
    uint64_t h = 0xcbf29ce484222325ull;
    unsigned row_bytes = s->width * ((s->bpp + 7u) / 8);
    for (uint32_t y = 0; y < s->height; y++) {
        const uint8_t *p = s->base + (uint64_t)y * s->pitch;
        for (unsigned i = 0; i < row_bytes; i++)
            h = (h ^ p[i]) * 0x100000001b3ull;
    }
    return h;
}
