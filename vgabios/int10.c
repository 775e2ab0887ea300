/* int10.c - INT 10h, the video services, for the text modes. Functions this
 * BIOS does not provide return with every register unchanged (that is how
 * callers probe, e.g. VBE's AX=4F00h stays 4F00h: "no VBE").
 *
 * vmxlab's own query, AX=EF00h: returns AX=564Dh ("VM") and BL bit 0 = 1
 * when everything written to the screen is mirrored on COM1; rombios asks so
 * that it does not print its messages twice. */
#include "vgabios.h"

/* AH=00h: a mode we do not have leaves everything as it was. */
static void int10_set_mode(struct bregs *r)
{
    u8 mode = r->al & 0x7f;
    if (!vga_set_mode(r->al))
        return;
    r->al = mode == 6 || mode > 7 ? 0x20 : 0x30; /* what BIOSes return for text modes */
}

/* AH=09h/0Ah: CX copies of AL at the cursor (which stays), with attribute
 * BL (09h) or keeping the cells' (0Ah), wrapping to the next rows. */
static void int10_write_chars(struct bregs *r, int attr)
{
    struct text t;
    text_get(&t);
    u16 pos = cursor_get(r->bh);
    u8 row = pos >> 8, col = pos & 0xff;
    for (u16 n = r->cx; n && row < t.rows; n--) {
        text_put(r->bh, row, col, r->al, attr);
        if (++col >= t.cols) {
            col = 0;
            row++;
        }
    }
}

/* AH=13h: the string at ES:BP, CX characters (AL bit 1: each followed by
 * its attribute, else all in BL), from row DH, column DL of page BH; BEL, BS,
 * CR and LF act as on a teletype. AL bit 0: the cursor stays at the end. */
static void int10_write_string(struct bregs *r)
{
    u16 saved = cursor_get(r->bh);
    u8 row = r->dh, col = r->dl;
    u16 off = r->bp;
    for (u16 n = r->cx; n; n--) {
        u8 ch = peekb(r->es, off++);
        u8 attr = (r->al & 2) ? peekb(r->es, off++) : r->bl;
        text_emit(r->bh, &row, &col, ch, attr);
    }
    if (r->al & 1)
        cursor_set(r->bh, row, col);
    else
        cursor_set(r->bh, saved >> 8, saved & 0xff);
}

/* AH=11h: AL=30h returns a font (BH: 1 = INT 43h's, 3 = 8x8, 4 = its top
 * half, 6 = 8x16, 5/7 = the 9-dot alternates: none, an empty list), CX =
 * bytes per character, DL = rows - 1. AL=04h/14h reload the 8x16 font. */
static const u8 no_alternates[1] = { 0 };
static void int10_font(struct bregs *r)
{
    const u8 *p = 0;
    switch (r->al) {
    case 0x04:
    case 0x14: vga_load_font(font8x16, 16); return;
    case 0x30: break;
    default: return;
    }
    switch (r->bh) {
    case 0:
        r->es = (u16)(ivt_get(0x1f) >> 16);
        r->bp = (u16)ivt_get(0x1f);
        break;
    case 1:
        r->es = (u16)(ivt_get(0x43) >> 16);
        r->bp = (u16)ivt_get(0x43);
        break;
    case 3: p = font8x8; break;
    case 4: p = font8x8 + 128 * 8; break;
    case 5:
    case 7: p = no_alternates; break;
    case 6: p = font8x16; break;
    default: /* 2: the 8x14 font, which we do not have */ break;
    }
    if (p) {
        r->es = my_seg();
        r->bp = (u16)(u32)p;
    }
    r->cx = peekw(BDA_SEG, BDA_CHAR_HEIGHT);
    r->dl = peekb(BDA_SEG, BDA_VIDEO_ROWS);
}

void handle_int10(struct bregs *r)
{
    struct text t;
    switch (r->ah) {
    case 0x00: int10_set_mode(r); break;
    case 0x01: /* cursor shape: CH start, CL end */ vga_cursor_shape(r->cx); break;
    case 0x02: /* cursor position: page BH, row DH, column DL */ cursor_set(r->bh, r->dh, r->dl); break;
    case 0x03:
        r->dx = cursor_get(r->bh);
        r->cx = peekw(BDA_SEG, BDA_CURSOR_SHAPE);
        break;
    case 0x05:
        if (r->al < 8)
            text_select_page(r->al);
        break;
    case 0x06: /* scroll up / down AL lines (0: clear), fill BH, window CH,CL-DH,DL */
    case 0x07:
        text_get(&t);
        text_scroll(t.page, r->ah == 0x06 ? r->al : -(int)r->al, r->bh, r->ch, r->cl, r->dh, r->dl);
        break;
    case 0x08: { /* the character and attribute at page BH's cursor */
        u16 pos = cursor_get(r->bh);
        r->ax = text_read(r->bh, pos >> 8, pos & 0xff);
        break;
    }
    case 0x09: int10_write_chars(r, r->bl); break;
    case 0x0a: int10_write_chars(r, -1); break;
    case 0x0b: /* BH=0: border colour BL (text modes); BH=1 (CGA palette): nothing to do in text */
        if (r->bh == 0)
            vga_overscan(r->bl & 0x0f);
        break;
    case 0x0c: /* pixels: there are none in text modes */ break;
    case 0x0d: r->al = 0; break;
    case 0x0e: { /* teletype AL on the active page (BH is ignored, as in IBM's BIOS) */
        text_get(&t);
        u16 pos = cursor_get(t.page);
        u8 row = pos >> 8, col = pos & 0xff;
        text_emit(t.page, &row, &col, r->al, -1);
        cursor_set(t.page, row, col);
        break;
    }
    case 0x0f:
        text_get(&t);
        r->al = (u8)(peekb(BDA_SEG, BDA_VIDEO_MODE) | (peekb(BDA_SEG, BDA_VIDEO_CTL) & 0x80));
        r->ah = t.cols;
        r->bh = t.page;
        break;
    case 0x11: int10_font(r); break;
    case 0x12: /* BL=10h: EGA information: colour, 256 KiB, no features, switches 9 */
        if (r->bl == 0x10) {
            r->bh = peekb(BDA_SEG, BDA_VIDEO_MODE) == 7;
            r->bl = 3;
            r->ch = 0;
            r->cl = 9;
        }
        break;
    case 0x13: int10_write_string(r); break;
    case 0x1a: /* display combination: AL=00h get, 01h set (accepted) */
        if (r->al == 0) {
            r->bl = peekb(BDA_SEG, BDA_VIDEO_MODE) == 7 ? 0x07 : 0x08; /* VGA, mono / colour analog */
            r->bh = 0;
            r->al = 0x1a;
        } else if (r->al == 1) {
            r->al = 0x1a;
        }
        break;
    case 0xef:
        if (r->al == 0) {
            r->ax = 0x564d;
            r->bl = (u8)((r->bl & ~1) | (mirror.on ? 1 : 0));
        }
        break;
    default: break;
    }
}
