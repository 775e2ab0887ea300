/* test_fbrender.c - hv/fbrender.c: a VGA text screen drawn into a linear
 * framebuffer with lib/font.c's 8x16 font. */
#include "check.h"
#include "fbrender.h"
#include "font.h"
#include <stdlib.h>

static struct fb_surface surface(uint32_t w, uint32_t h, uint8_t bpp, uint32_t pitch)
{
    struct fb_surface s = { calloc(1, (size_t)pitch * h), pitch, w, h, bpp, 16, 8, 8, 8, 0, 8 };
    if (bpp == 16)
        s.red_pos = 11, s.red_size = 5, s.green_pos = 5, s.green_size = 6, s.blue_pos = 0, s.blue_size = 5;
    return s;
}

static uint32_t pixel32(const struct fb_surface *s, unsigned x, unsigned y)
{
    uint32_t v;
    memcpy(&v, s->base + (size_t)y * s->pitch + x * 4, 4);
    return v;
}

static void put_text(uint16_t *cells, unsigned row, unsigned col, const char *text, uint8_t attr)
{
    for (unsigned i = 0; text[i]; i++)
        cells[row * 80 + col + i] = (uint16_t)((uint8_t)text[i] | attr << 8);
}

/* The screen the Bochs framebuffer test shows too: a BIOS banner, a GRUB
 * line in colour, the cursor below them. */
static void known_screen(uint16_t *cells, struct text_screen *t)
{
    for (unsigned i = 0; i < 80 * 25; i++)
        cells[i] = 0x0720;
    put_text(cells, 0, 0, "vmxlab rombios", 0x07);
    put_text(cells, 1, 0, "Welcome to GRUB!", 0x1f);
    put_text(cells, 24, 70, "\xc9\xcd\xbb box", 0x4e);
    *t = (struct text_screen){ cells, 2 * 80, 0x0d, 0x0e };
}

static void known_screen_renders_to_known_hash(void)
{
    uint16_t cells[80 * 25], shadow[80 * 25];
    unsigned sc = 0;
    struct text_screen t;
    known_screen(cells, &t);
    struct fb_surface s = surface(800, 600, 32, 800 * 4 + 64); /* pitch padding is not hashed */
    struct fb_view v;
    CHECK(fb_layout(&s, 80, 25, &v) == 0, "fb_layout refused 800x600x32");
    fb_render(&s, &v, &t, shadow, &sc, 1, font8x16);
    /* The hash a separate renderer (a few lines of Python over lib/font.c,
     * the same palette, centring and cursor rule) gave for this screen when
     * the test was written: a change in any of those changes it. */
    CHECK_EQ(fb_hash(&s), 0xd3776767e637a248ull);
    uint64_t before = fb_hash(&s);
    cells[1 * 80 + 8] = 0x1f00 | 'g'; /* "Welcome to gRUB!" */
    fb_render(&s, &v, &t, shadow, &sc, 0, font8x16);
    CHECK(fb_hash(&s) != before, "one changed character left the hash as it was");
    free(s.base);
}

static void glyph_pixels_follow_the_font_and_attribute(void)
{
    uint16_t cells[80 * 25], shadow[80 * 25];
    unsigned sc = 0;
    for (unsigned i = 0; i < 80 * 25; i++)
        cells[i] = 0x0720;
    cells[0] = 0x1e00 | 'A';                            /* yellow on blue */
    struct text_screen t = { cells, 80 * 25, 0x20, 0 }; /* no cursor */
    struct fb_surface s = surface(640, 400, 32, 640 * 4);
    struct fb_view v;
    fb_layout(&s, 80, 25, &v);
    CHECK_EQ(v.scale, 1);
    CHECK_EQ(v.x0, 0);
    fb_render(&s, &v, &t, shadow, &sc, 1, font8x16);
    unsigned bad = 0;
    for (unsigned y = 0; y < 16; y++)
        for (unsigned x = 0; x < 8; x++) {
            uint32_t want = (font8x16['A' * 16 + y] << x) & 0x80 ? 0xffff55 : 0x0000aa;
            bad += pixel32(&s, x, y) != want;
        }
    CHECK(bad == 0, "%u pixels of the 'A' cell differ from the font's bits in yellow on blue", bad);
    CHECK_EQ(pixel32(&s, 8, 0), 0); /* the next cell: a space, black */
    free(s.base);
}

static void text_is_scaled_and_centred(void)
{
    struct fb_view v;
    struct fb_surface s = { 0, 5120, 1280, 800, 32, 16, 8, 8, 8, 0, 8 };
    fb_layout(&s, 80, 25, &v);
    CHECK(v.scale == 2 && v.x0 == 0 && v.y0 == 0, "1280x800: scale %u at %u,%u; wanted 2 at 0,0", v.scale, v.x0, v.y0);
    s.width = 1024, s.height = 768;
    fb_layout(&s, 80, 25, &v);
    CHECK(v.scale == 1 && v.x0 == 192 && v.y0 == 184, "1024x768: scale %u at %u,%u; wanted 1 at 192,184", v.scale, v.x0,
          v.y0);
    s.width = 1920, s.height = 1080;
    fb_layout(&s, 80, 25, &v);
    CHECK(v.scale == 2 && v.x0 == 320 && v.y0 == 140, "1920x1080: scale %u at %u,%u; wanted 2 at 320,140", v.scale,
          v.x0, v.y0);
}

static void border_outside_the_text_is_left_alone(void)
{
    uint16_t cells[80 * 25], shadow[80 * 25];
    unsigned sc = 0;
    struct text_screen t;
    known_screen(cells, &t);
    struct fb_surface s = surface(800, 600, 32, 800 * 4);
    memset(s.base, 0x5a, (size_t)s.pitch * s.height);
    struct fb_view v;
    fb_layout(&s, 80, 25, &v);
    fb_render(&s, &v, &t, shadow, &sc, 1, font8x16);
    CHECK_EQ(pixel32(&s, 79, 99), 0x5a5a5a5a);
    CHECK_EQ(pixel32(&s, 720, 500), 0x5a5a5a5a);
    CHECK(pixel32(&s, 80, 100) != 0x5a5a5a5a, "the text's first pixel (80,100) was not drawn");
    free(s.base);
}

static void only_changed_cells_and_the_cursor_are_redrawn(void)
{
    uint16_t cells[80 * 25], shadow[80 * 25];
    unsigned sc = 0;
    struct text_screen t;
    known_screen(cells, &t);
    struct fb_surface a = surface(640, 480, 32, 640 * 4), b = surface(640, 480, 32, 640 * 4);
    struct fb_view v;
    fb_layout(&a, 80, 25, &v);
    CHECK_EQ(fb_render(&a, &v, &t, shadow, &sc, 1, font8x16), 2000);
    CHECK_EQ(fb_render(&a, &v, &t, shadow, &sc, 0, font8x16), 1); /* the cursor cell only */
    cells[5] = 0x0700 | 'X';
    t.cursor = 3;
    CHECK_EQ(fb_render(&a, &v, &t, shadow, &sc, 0, font8x16), 3); /* X, the old and the new cursor cell */
    uint16_t shadow_b[80 * 25];
    unsigned sc_b = 0;
    fb_render(&b, &v, &t, shadow_b, &sc_b, 1, font8x16);
    CHECK(fb_hash(&a) == fb_hash(&b), "drawing step by step gave other pixels than drawing the final screen");
    free(a.base);
    free(b.base);
}

static void cursor_shape_and_hiding_follow_the_crtc(void)
{
    uint16_t cells[80 * 25], shadow[80 * 25];
    unsigned sc = 0;
    for (unsigned i = 0; i < 80 * 25; i++)
        cells[i] = 0x0720;
    struct text_screen t = { cells, 0, 0x0d, 0x0e };
    struct fb_surface s = surface(640, 400, 32, 640 * 4);
    struct fb_view v;
    fb_layout(&s, 80, 25, &v);
    fb_render(&s, &v, &t, shadow, &sc, 1, font8x16);
    CHECK_EQ(pixel32(&s, 3, 12), 0);
    CHECK_EQ(pixel32(&s, 3, 13), 0xaaaaaa); /* light grey, the attribute's foreground */
    CHECK_EQ(pixel32(&s, 3, 14), 0xaaaaaa);
    CHECK_EQ(pixel32(&s, 3, 15), 0);
    t.cursor_start = 0x2d; /* bit 5: cursor off */
    fb_render(&s, &v, &t, shadow, &sc, 0, font8x16);
    CHECK_EQ(pixel32(&s, 3, 13), 0);
    free(s.base);
}

static void colours_pack_into_16_bit_pixels(void)
{
    struct fb_surface s = surface(640, 400, 16, 640 * 2);
    struct fb_view v;
    CHECK(fb_layout(&s, 80, 25, &v) == 0, "fb_layout refused 16 bpp");
    CHECK_EQ(v.bytes_pp, 2);
    CHECK_EQ(v.colour[15], 0xffff);
    CHECK_EQ(v.colour[1], 0x0015); /* 0000AA: blue 0xaa >> 3 */
    CHECK_EQ(v.colour[6], 0xaaa0); /* AA5500: red 0x15 << 11, green 0x15 << 5 */
    s.bpp = 8;
    CHECK(fb_layout(&s, 80, 25, &v) == -1, "an 8-bit indexed framebuffer was accepted");
    free(s.base);
}

int main(void)
{
    RUN(known_screen_renders_to_known_hash);
    RUN(glyph_pixels_follow_the_font_and_attribute);
    RUN(text_is_scaled_and_centred);
    RUN(border_outside_the_text_is_left_alone);
    RUN(only_changed_cells_and_the_cursor_are_redrawn);
    RUN(cursor_shape_and_hiding_follow_the_crtc);
    RUN(colours_pack_into_16_bit_pixels);
    return check_summary();
}
