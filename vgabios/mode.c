/* mode.c - setting a text mode on the standard VGA registers (include/bios/vga.h).
 *
 * The register values are the IBM VGA's text modes: 80x25 (modes 2, 3 and
 * the mono mode 7) and 40x25 (modes 0, 1) with 9x16 characters, 720x400 at
 * 70 Hz (360x400 with the dot clock halved for 40 columns). */
#include "vgabios.h"

struct vga_regs {
    u8 misc;
    u8 seq[4]; /* sequencer 01h-04h */
    u8 crtc[CRTC_COUNT];
    u8 ac[AC_COUNT];
    u8 gc[GC_COUNT];
};

/* The CRT timing of 720x400 (80 columns) and 360x400 (40 columns); they
 * differ only in the horizontal registers and the row offset. */
#define CRTC_VERTICAL 0xbf, 0x1f, 0x00, 0x4f, 0x0d, 0x0e, 0x00, 0x00, 0x00, 0x00, 0x9c, 0x8e, 0x8f
#define CRTC_80 0x5f, 0x4f, 0x50, 0x82, 0x55, 0x81, CRTC_VERTICAL, 0x28, 0x1f, 0x96, 0xb9, 0xa3, 0xff
#define CRTC_40 0x2d, 0x27, 0x28, 0x90, 0x2b, 0xa0, CRTC_VERTICAL, 0x14, 0x1f, 0x96, 0xb9, 0xa3, 0xff
/* Colour attributes: 16 colours -> the EGA's 64-colour DAC indexes (6 is brown). */
#define AC_COLOR                                                                                                       \
    0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x14, 0x07, 0x38, 0x39, 0x3a, 0x3b, 0x3c, 0x3d, 0x3e, 0x3f, 0x0c, 0x00, 0x0f,  \
        0x08, 0x00
/* Mono: black, normal (08h), bright (18h); AC mode bit 1 makes attribute 01h an underline. */
#define AC_MONO                                                                                                        \
    0x00, 0x08, 0x08, 0x08, 0x08, 0x08, 0x08, 0x08, 0x10, 0x18, 0x18, 0x18, 0x18, 0x18, 0x18, 0x18, 0x0e, 0x00, 0x0f,  \
        0x08, 0x00
/* Graphics controller: odd/even text, memory at B8000 (0Eh) or B0000 (0Ah). */
#define GC_TEXT(map) 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, map, 0x00, 0xff

#define MISC_TEXT (MISC_RAM_ENABLE | MISC_CLOCK_28MHZ | MISC_PAGE_HIGH | MISC_400_LINES)
static const struct vga_regs text80 = {
    MISC_TEXT | MISC_IO_COLOR, { 0x00, 0x03, 0x00, 0x02 }, { CRTC_80 }, { AC_COLOR }, { GC_TEXT(0x0e) }
};
static const struct vga_regs text40 = {
    MISC_TEXT | MISC_IO_COLOR, { 0x08, 0x03, 0x00, 0x02 }, { CRTC_40 }, { AC_COLOR }, { GC_TEXT(0x0e) }
};
static const struct vga_regs mono80 = {
    MISC_TEXT, { 0x00, 0x03, 0x00, 0x02 }, { CRTC_80 }, { AC_MONO }, { GC_TEXT(0x0a) }
};

static u16 crtc_port(void) { return peekw(BDA_SEG, BDA_CRTC_PORT); }

void vga_crtc_write(u8 index, u8 v)
{
    u16 port = crtc_port();
    outb(port, index);
    outb(port + 1, v);
}

static void seq_write(u8 index, u8 v)
{
    outb(VGA_SEQ_INDEX, index);
    outb(VGA_SEQ_DATA, v);
}

static void gc_write(u8 index, u8 v)
{
    outb(VGA_GC_INDEX, index);
    outb(VGA_GC_DATA, v);
}

/* The attribute controller: reading input status 1 puts its flip-flop at
 * "index"; writing the index with AC_VIDEO_ON keeps the screen on. */
static void ac_write(u8 index, u8 v)
{
    inb(crtc_port() + VGA_STATUS1_OFFSET);
    outb(VGA_AC, index | AC_VIDEO_ON);
    outb(VGA_AC, v);
}

void vga_overscan(u8 colour) { ac_write(AC_OVERSCAN, colour); }

static void program(const struct vga_regs *v)
{
    u16 crtc = (v->misc & MISC_IO_COLOR) ? VGA_CRTC_COLOR : VGA_CRTC_MONO;
    seq_write(SEQ_RESET, 0x01); /* synchronous reset while the clocks change */
    outb(VGA_MISC_WRITE, v->misc);
    for (u8 i = 0; i < 4; i++)
        seq_write(i + 1, v->seq[i]);
    seq_write(SEQ_RESET, 0x03);
    pokew(BDA_SEG, BDA_CRTC_PORT, crtc);
    vga_crtc_write(CRTC_VSYNC_END, 0); /* unprotect CRTC 00h-07h */
    for (u8 i = 0; i < CRTC_COUNT; i++)
        vga_crtc_write(i, v->crtc[i]);
    inb(crtc + VGA_STATUS1_OFFSET);
    for (u8 i = 0; i < AC_COUNT; i++) {
        outb(VGA_AC, i); /* without AC_VIDEO_ON: the palette may change */
        outb(VGA_AC, v->ac[i]);
    }
    outb(VGA_AC, AC_VIDEO_ON);
    for (u8 i = 0; i < GC_COUNT; i++)
        gc_write(i, v->gc[i]);
}

/* The DAC: the EGA's 64 colours (index bits 5-0 = r g b R G B, capitals 2/3
 * intensity, lower case 1/3), or their mono equivalent (bits 3, 4: grey). */
static void load_dac(int mono)
{
    outb(VGA_DAC_MASK, 0xff);
    outb(VGA_DAC_WRITE_INDEX, 0);
    for (u16 i = 0; i < 256; i++) {
        u8 rgb[3];
        if (i >= 64) {
            rgb[0] = rgb[1] = rgb[2] = 0;
        } else if (mono) {
            rgb[0] = rgb[1] = rgb[2] = (u8)(((i & 0x08) ? 42 : 0) + ((i & 0x10) ? 21 : 0));
        } else {
            rgb[0] = (u8)(((i & 4) ? 42 : 0) + ((i & 0x20) ? 21 : 0));
            rgb[1] = (u8)(((i & 2) ? 42 : 0) + ((i & 0x10) ? 21 : 0));
            rgb[2] = (u8)(((i & 1) ? 42 : 0) + ((i & 0x08) ? 21 : 0));
        }
        for (int c = 0; c < 3; c++)
            outb(VGA_DAC_DATA, rgb[c]);
    }
}

/* The font goes to plane 2, 32 bytes per character. Plane 2 is reachable
 * only with odd/even off and the memory mapped at A0000; the text-mode
 * settings come back afterwards. */
void vga_load_font(const u8 *font, u8 height)
{
    u8 gc_misc = (peekb(BDA_SEG, BDA_VIDEO_MODE) == 7) ? 0x0a : 0x0e;
    seq_write(SEQ_MAP_MASK, 0x04);
    seq_write(SEQ_MEMORY_MODE, 0x06); /* no odd/even, > 64 KiB */
    gc_write(GC_READ_MAP, 0x02);
    gc_write(GC_MODE, 0x00);
    gc_write(GC_MISC, 0x04); /* A0000, 64 KiB, text */
    for (u16 c = 0; c < 256; c++) {
        far_memcpy(VGA_PLANES_SEG, (u16)(c * VGA_FONT_STRIDE), my_seg(), (u16)(u32)(font + c * height), height);
        far_memset(VGA_PLANES_SEG, (u16)(c * VGA_FONT_STRIDE + height), 0, VGA_FONT_STRIDE - height);
    }
    seq_write(SEQ_MAP_MASK, 0x03);
    seq_write(SEQ_MEMORY_MODE, 0x02);
    gc_write(GC_READ_MAP, 0x00);
    gc_write(GC_MODE, 0x10);
    gc_write(GC_MISC, gc_misc);
}

/* CGA-style cursor lines (0-7 in an 8-line cell) scaled to the 16-line
 * cell, the way VGA BIOSes have always done it: lines 0-3 count from the
 * top, 4-7 from the bottom. CH bit 5 turns the cursor off. */
static u8 cursor_line(u8 v) { return v < 4 ? v : (u8)(v + 7); }

void vga_cursor_shape(u16 shape)
{
    u8 start = (shape >> 8) & 0x3f, end = shape & 0x1f;
    pokew(BDA_SEG, BDA_CURSOR_SHAPE, shape);
    if (!(start & 0x20) && start < 8 && end < 8) {
        start = cursor_line(start);
        end = cursor_line(end);
    }
    vga_crtc_write(CRTC_CURSOR_START, start);
    vga_crtc_write(CRTC_CURSOR_END, end);
}

/* The BDA describes the mode to everyone else. */
static void __attribute__((noinline)) bda_mode(u8 mode, u8 cols, u8 no_clear)
{
    pokeb(BDA_SEG, BDA_VIDEO_MODE, mode);
    pokew(BDA_SEG, BDA_VIDEO_COLS, cols);
    pokew(BDA_SEG, BDA_VIDEO_PAGE_SIZE, cols == 80 ? 0x1000 : 0x800);
    pokew(BDA_SEG, BDA_VIDEO_PAGE_START, 0);
    for (u8 p = 0; p < 8; p++)
        pokew(BDA_SEG, BDA_CURSOR_POS + 2 * p, 0);
    pokeb(BDA_SEG, BDA_VIDEO_PAGE, 0);
    pokeb(BDA_SEG, BDA_CRT_MODE, cols == 80 ? 0x29 : 0x28);
    pokeb(BDA_SEG, BDA_CRT_PALETTE, 0x30);
    pokeb(BDA_SEG, BDA_VIDEO_ROWS, 24);
    pokew(BDA_SEG, BDA_CHAR_HEIGHT, 16);
    pokeb(BDA_SEG, BDA_VIDEO_CTL, (u8)(0x60 | no_clear)); /* 256 KiB; bit 7: not cleared */
    pokeb(BDA_SEG, BDA_VIDEO_SWITCHES, 0xf9);
    pokeb(BDA_SEG, BDA_VGA_FLAGS, 0x51); /* VGA active, 400 lines */
    /* Equipment bits 5-4: initial video 10b = 80x25 colour, 11b = mono. */
    u16 equip = peekw(BDA_SEG, BDA_EQUIPMENT) & ~0x30;
    pokew(BDA_SEG, BDA_EQUIPMENT, equip | (mode == 7 ? 0x30 : 0x20));
}

/* INT 10h AH=00h for the text modes; AL bit 7 = keep the screen's contents. */
int vga_set_mode(u8 al)
{
    u8 mode = al & 0x7f;
    const struct vga_regs *v;
    u8 cols = 80;
    if (mode == 0 || mode == 1) {
        v = &text40;
        cols = 40;
    } else if (mode == 2 || mode == 3) {
        v = &text80;
    } else if (mode == 7) {
        v = &mono80;
    } else {
        return 0;
    }
    program(v);
    load_dac(mode == 7);
    bda_mode(mode, cols, al & 0x80);
    vga_load_font(font8x16, 16);
    vga_cursor_shape(0x0607);
    if (!(al & 0x80)) {
        struct text t;
        text_get(&t);
        text_clear_all(&t);
    }
    cursor_set(0, 0, 0);
    mirror_break(&mirror);
    return 1;
}
