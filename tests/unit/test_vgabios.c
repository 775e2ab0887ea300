/* test_vgabios.c - the vgabios's pure logic on the host: window scrolling
 * (vgabios/screen.c) on an array standing in for B800h, and the COM1
 * mirror's rules (vgabios/mirror.c, described in mirror.h) with its output
 * captured. */
#include "check.h"
#include "../../vgabios/mirror.h"
#include "../../vgabios/screen.h"

/* ---- a screen in an array ---- */
static uint16_t vram[0x4000];
uint16_t cell_get(uint16_t off) { return vram[off / 2]; }
void cell_put(uint16_t off, uint16_t v) { vram[off / 2] = v; }

static const struct page page80 = { 0, 80, 25 };

/* Every cell holds its own row and column: 'A' + row, attribute = column. */
static void fill(void)
{
    for (unsigned r = 0; r < 25; r++)
        for (unsigned c = 0; c < 80; c++)
            vram[r * 80 + c] = (uint16_t)(c << 8 | ('A' + r));
}
static uint16_t at(unsigned r, unsigned c) { return vram[r * 80 + c]; }
static uint16_t orig(unsigned r, unsigned c) { return (uint16_t)(c << 8 | ('A' + r)); }

static void scroll_up_moves_rows_and_blanks_the_last(void)
{
    fill();
    scroll_window(&page80, 1, 0x1e, 2, 10, 5, 20); /* rows 2-5, columns 10-20 */
    CHECK_EQ(at(2, 10), orig(3, 10));
    CHECK_EQ(at(4, 20), orig(5, 20));
    CHECK_EQ(at(5, 15), 0x1e20);
    CHECK_EQ(at(2, 9), orig(2, 9));   /* left of the window */
    CHECK_EQ(at(2, 21), orig(2, 21)); /* right of it */
    CHECK_EQ(at(1, 10), orig(1, 10)); /* above */
    CHECK_EQ(at(6, 10), orig(6, 10)); /* below */
}

static void scroll_down_moves_rows_and_blanks_the_first(void)
{
    fill();
    scroll_window(&page80, -2, 0x07, 0, 0, 24, 79);
    CHECK_EQ(at(0, 0), 0x0720);
    CHECK_EQ(at(1, 79), 0x0720);
    CHECK_EQ(at(2, 0), orig(0, 0));
    CHECK_EQ(at(24, 79), orig(22, 79));
}

static void scroll_zero_or_too_many_lines_clears(void)
{
    fill();
    scroll_window(&page80, 0, 0x70, 3, 0, 4, 79);
    CHECK_EQ(at(3, 0), 0x7020);
    CHECK_EQ(at(4, 79), 0x7020);
    CHECK_EQ(at(5, 0), orig(5, 0));
    fill();
    scroll_window(&page80, 9, 0x70, 3, 0, 4, 79);
    CHECK_EQ(at(3, 5), 0x7020);
    CHECK_EQ(at(4, 5), 0x7020);
    CHECK_EQ(at(2, 5), orig(2, 5));
}

static void scroll_window_is_clipped_to_the_page(void)
{
    fill();
    scroll_window(&page80, 1, 0x07, 23, 70, 0xff, 0xff); /* DH, DL = FFh: "to the end" */
    CHECK_EQ(at(23, 79), orig(24, 79));
    CHECK_EQ(at(24, 70), 0x0720);
    CHECK_EQ(at(23, 69), orig(23, 69));
    fill();
    scroll_window(&page80, 1, 0x07, 5, 0, 4, 79); /* top below bottom: nothing */
    CHECK_EQ(at(4, 0), orig(4, 0));
    CHECK_EQ(at(5, 0), orig(5, 0));
}

static void scroll_uses_the_page_base(void)
{
    struct page p1 = { 0x1000, 80, 25 };
    memset(vram, 0, sizeof vram);
    vram[0x800 + 80] = 0x0741; /* page 1, row 1 */
    scroll_window(&p1, 1, 0x07, 0, 0, 24, 79);
    CHECK_EQ(vram[0x800], 0x0741);
    CHECK_EQ(vram[0x800 + 80], 0);
    CHECK_EQ(vram[0], 0); /* page 0 untouched */
}

/* ---- the mirror, writing into a string ---- */
static char out[4096];
static size_t out_len;
void mirror_out(uint8_t c)
{
    if (out_len + 1 < sizeof out)
        out[out_len++] = (char)c;
    out[out_len] = 0;
}
static struct mirror m;
static void start(void)
{
    out_len = 0;
    out[0] = 0;
    mirror_reset(&m);
    m.on = 1;
}
/* Teletype, the way vgabios/text.c drives the mirror: printable characters
 * are put at the cursor, controls reported with the cursor after them. */
static unsigned trow, tcol;
static void tty(const char *s)
{
    for (; *s; s++) {
        if (*s == '\r') {
            tcol = 0;
            mirror_ctl(&m, '\r', trow, tcol);
        } else if (*s == '\n') {
            trow++;
            mirror_ctl(&m, '\n', trow, tcol);
        } else if (*s == '\b') {
            if (tcol)
                tcol--;
            mirror_ctl(&m, '\b', trow, tcol);
        } else if (*s == 7) {
            mirror_ctl(&m, 7, trow, tcol);
        } else {
            mirror_put(&m, trow, tcol, (uint8_t)*s);
            if (++tcol == 80) {
                tcol = 0;
                mirror_wrap(&m, ++trow);
            }
        }
    }
}
/* AH=09h-style: the string placed at (row, col). */
static void put_at(unsigned row, unsigned col, const char *s)
{
    for (; *s; s++)
        mirror_put(&m, row, col++, (uint8_t)*s);
}

static void mirror_teletype_goes_out_as_is(void)
{
    start();
    trow = tcol = 0;
    tty("hello\r\nworld\r\n\a");
    CHECK_STR(out, "hello\r\nworld\r\n");
}

static void mirror_teletype_backspace(void)
{
    start();
    trow = tcol = 0;
    tty("ab\bc");
    CHECK_STR(out, "ab\bc");
}

static void mirror_wrapped_teletype_line_stays_one_line(void)
{
    char line[100];
    memset(line, 'x', 90);
    line[90] = 0;
    start();
    trow = 3, tcol = 0;
    tty(line);
    CHECK_EQ(strlen(out), 90);
    CHECK(!check_contains(out, "\n"), "a newline in the wrapped line: \"%s\"", out);
}

static void mirror_blank_rows_cost_nothing(void)
{
    char blanks[81];
    memset(blanks, ' ', 80);
    blanks[80] = 0;
    start();
    for (unsigned r = 0; r < 25; r++)
        put_at(r, 0, blanks);
    CHECK_STR(out, "");
}

static void mirror_full_screen_redraw_one_line_per_row(void)
{
    char row[81];
    start();
    /* GRUB's menu: every row redrawn in full, text padded with spaces. */
    const char *text[4] = { "", "    GNU GRUB  version 2", "", "  *vmxlab" };
    for (unsigned r = 0; r < 4; r++) {
        memset(row, ' ', 80);
        row[80] = 0;
        memcpy(row, text[r], strlen(text[r]));
        put_at(r, 0, row);
    }
    CHECK_STR(out, "    GNU GRUB  version 2\r\n  *vmxlab");
}

static void mirror_cursor_moves_indent_and_break_lines(void)
{
    start();
    put_at(5, 10, "abc");
    put_at(5, 15, "def"); /* a gap on the same row: spaces */
    put_at(5, 2, "x");    /* back on the same row: a redraw, new line */
    put_at(7, 0, "y");
    CHECK_STR(out, "          abc  def\r\n  x\r\ny");
}

static void mirror_line_drawing_becomes_ascii(void)
{
    start();
    const char box[] = { (char)0xc9, (char)0xcd, (char)0xbb, (char)0xba, (char)0xb3, (char)0xc4,
                         (char)0x18, (char)0x19, (char)0x01, (char)0x82, 0 };
    put_at(0, 0, box);
    CHECK_STR(out, "+-+||-^v..");
}

static void mirror_break_starts_a_new_line(void)
{
    start();
    trow = 24, tcol = 0;
    tty("last");
    mirror_break(&m); /* e.g. AH=06h scrolled the screen */
    put_at(24, 0, "next");
    CHECK_STR(out, "last\r\nnext");
}

static void mirror_off_says_nothing(void)
{
    start();
    m.on = 0;
    trow = tcol = 0;
    tty("quiet\r\n");
    put_at(3, 3, "too");
    CHECK_STR(out, "");
}

int main(void)
{
    RUN(scroll_up_moves_rows_and_blanks_the_last);
    RUN(scroll_down_moves_rows_and_blanks_the_first);
    RUN(scroll_zero_or_too_many_lines_clears);
    RUN(scroll_window_is_clipped_to_the_page);
    RUN(scroll_uses_the_page_base);
    RUN(mirror_teletype_goes_out_as_is);
    RUN(mirror_teletype_backspace);
    RUN(mirror_wrapped_teletype_line_stays_one_line);
    RUN(mirror_blank_rows_cost_nothing);
    RUN(mirror_full_screen_redraw_one_line_per_row);
    RUN(mirror_cursor_moves_indent_and_break_lines);
    RUN(mirror_line_drawing_becomes_ascii);
    RUN(mirror_break_starts_a_new_line);
    RUN(mirror_off_says_nothing);
    return check_summary();
}
