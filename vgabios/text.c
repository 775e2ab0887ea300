/* text.c - the text screen through the BDA: cursors, pages, characters, the
 * teletype; every character that reaches the visible page also goes to the
 * mirror (mirror.h). */
#include "vgabios.h"

static u16 video_seg;

u16 cell_get(u16 off) { return peekw(video_seg, off); }
void cell_put(u16 off, u16 v) { pokew(video_seg, off, v); }

void text_get(struct text *t)
{
    t->seg = peekb(BDA_SEG, BDA_VIDEO_MODE) == 7 ? VGA_TEXT_MONO_SEG : VGA_TEXT_COLOR_SEG;
    t->cols = (u8)peekw(BDA_SEG, BDA_VIDEO_COLS);
    t->rows = (u8)(peekb(BDA_SEG, BDA_VIDEO_ROWS) + 1);
    t->page_size = peekw(BDA_SEG, BDA_VIDEO_PAGE_SIZE);
    t->page = peekb(BDA_SEG, BDA_VIDEO_PAGE) & 7;
    if (t->cols == 0 || t->cols > 80)
        t->cols = 80;
    if (t->rows < 2 || t->rows > 50)
        t->rows = 25;
    video_seg = t->seg;
}

u16 text_base(const struct text *t, u8 page) { return (u16)((page & 7) * t->page_size); }

static void page_of(struct page *p, u8 page)
{
    struct text t;
    text_get(&t);
    p->base = text_base(&t, page);
    p->cols = t.cols;
    p->rows = t.rows;
}

static int visible(u8 page) { return (page & 7) == (peekb(BDA_SEG, BDA_VIDEO_PAGE) & 7); }

u16 cursor_get(u8 page) { return peekw(BDA_SEG, BDA_CURSOR_POS + 2 * (page & 7)); }

static void hw_cursor(u8 page)
{
    struct page p;
    page_of(&p, page);
    u16 pos = cursor_get(page);
    u16 at = (u16)(p.base / 2 + (pos >> 8) * p.cols + (pos & 0xff));
    vga_crtc_write(CRTC_CURSOR_HI, (u8)(at >> 8));
    vga_crtc_write(CRTC_CURSOR_LO, (u8)at);
}

void cursor_set(u8 page, u8 row, u8 col)
{
    pokew(BDA_SEG, BDA_CURSOR_POS + 2 * (page & 7), (u16)(row << 8 | col));
    if (visible(page))
        hw_cursor(page);
}

void text_select_page(u8 page)
{
    struct text t;
    text_get(&t);
    page &= 7;
    u16 base = text_base(&t, page);
    pokeb(BDA_SEG, BDA_VIDEO_PAGE, page);
    pokew(BDA_SEG, BDA_VIDEO_PAGE_START, base);
    vga_crtc_write(CRTC_START_HI, (u8)(base / 2 >> 8));
    vga_crtc_write(CRTC_START_LO, (u8)(base / 2));
    hw_cursor(page);
    mirror_break(&mirror);
}

void text_put(u8 page, u8 row, u8 col, u8 ch, int attr)
{
    struct page p;
    page_of(&p, page);
    if (row >= p.rows || col >= p.cols)
        return;
    u16 off = cell_off(&p, row, col);
    u16 a = attr < 0 ? (cell_get(off) & 0xff00) : (u16)(attr << 8);
    cell_put(off, a | ch);
    if (visible(page))
        mirror_put(&mirror, row, col, ch);
}

u16 text_read(u8 page, u8 row, u8 col)
{
    struct page p;
    page_of(&p, page);
    return cell_get(cell_off(&p, row, col));
}

void text_scroll(u8 page, int lines, u8 attr, u8 top, u8 left, u8 bottom, u8 right)
{
    struct page p;
    page_of(&p, page);
    scroll_window(&p, lines, attr, top, left, bottom, right);
    if (visible(page))
        mirror_break(&mirror);
}

void text_emit(u8 page, u8 *row, u8 *col, u8 ch, int attr)
{
    struct page p;
    page_of(&p, page);
    int vis = visible(page);
    switch (ch) {
    case 7: /* BEL: no speaker here */ break;
    case 8:
        if (*col > 0)
            (*col)--;
        break;
    case '\r': *col = 0; break;
    case '\n': (*row)++; break;
    default:
        text_put(page, *row, *col, ch, attr);
        (*col)++;
        break;
    }
    int wrapped = *col >= p.cols;
    if (wrapped) {
        *col = 0;
        (*row)++;
    }
    if (*row >= p.rows) {
        /* Scroll the page up; the new line takes the attribute at the cursor. */
        u8 fill = (u8)(cell_get(cell_off(&p, p.rows - 1u, *col)) >> 8);
        scroll_window(&p, 1, fill, 0, 0, p.rows - 1u, p.cols - 1u);
        *row = p.rows - 1u;
    }
    if (vis && wrapped)
        mirror_wrap(&mirror, *row);
    if (vis && (ch == 7 || ch == 8 || ch == '\r' || ch == '\n'))
        mirror_ctl(&mirror, ch, *row, *col);
}

void text_clear_all(const struct text *t)
{
    u32 d = 0, n = 0x4000; /* the whole 32 KiB window: every page */
    __asm__ volatile("pushw %%es\n\tmovw %w2, %%es\n\tcld\n\taddr32 rep stosw\n\tpopw %%es"
                     : "+D"(d), "+c"(n)
                     : "r"(t->seg), "a"(0x0720)
                     : "memory");
}
