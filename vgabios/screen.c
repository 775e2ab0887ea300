/* screen.c - scrolling a text window (see screen.h). */
#include "screen.h"

void scroll_window(const struct page *p, int lines, uint8_t attr, unsigned top, unsigned left, unsigned bottom,
                   unsigned right)
{
    if (bottom >= p->rows)
        bottom = p->rows - 1u;
    if (right >= p->cols)
        right = p->cols - 1u;
    if (top > bottom || left > right)
        return;
    unsigned height = bottom - top + 1;
    unsigned n = (unsigned)(lines < 0 ? -lines : lines);
    if (n == 0 || n > height)
        n = height; /* clear */
    uint16_t blank = (uint16_t)(attr << 8 | ' ');
    for (unsigned i = 0; i < height; i++) {
        /* Up: rows fill from the top, each from n rows below. Down: from the bottom. */
        unsigned row = lines < 0 ? bottom - i : top + i;
        int from_inside = i + n < height;
        unsigned src = lines < 0 ? row - n : row + n;
        for (unsigned c = left; c <= right; c++)
            cell_put(cell_off(p, row, c), from_inside ? cell_get(cell_off(p, src, c)) : blank);
    }
}
