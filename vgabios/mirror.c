/* mirror.c - the screen's mirror on COM1 (the rules are in mirror.h). */
#include "mirror.h"

void mirror_reset(struct mirror *m)
{
    m->row = 0xff;
    m->next_col = 0;
    m->pending = 0;
    m->line_used = 0;
    m->need_nl = 0;
}

uint8_t mirror_ascii(uint8_t ch)
{
    if (ch >= 0x20 && ch < 0x7f)
        return ch;
    switch (ch) {
    case 0x10:
    case 0x1a: /* arrows and pointers */ return '>';
    case 0x11:
    case 0x1b: return '<';
    case 0x18:
    case 0x1e: return '^';
    case 0x19:
    case 0x1f: return 'v';
    case 0xb3:
    case 0xba: /* vertical lines */ return '|';
    case 0xc4:
    case 0xcd: /* horizontal lines */ return '-';
    }
    if (ch >= 0xb4 && ch <= 0xda) /* corners, tees and crosses */
        return '+';
    return ch == 0 ? ' ' : '.';
}

void mirror_break(struct mirror *m)
{
    if (m->line_used)
        m->need_nl = 1;
    m->row = 0xff;
    m->pending = 0;
}

void mirror_put(struct mirror *m, unsigned row, unsigned col, uint8_t ch)
{
    if (!m->on)
        return;
    if (row != m->row || col < m->next_col) {
        mirror_break(m);
        m->row = (uint8_t)row;
        m->pending = (uint16_t)col; /* keep the indentation */
    } else {
        m->pending += (uint16_t)(col - m->next_col);
    }
    m->next_col = (uint16_t)(col + 1);
    ch = mirror_ascii(ch);
    if (ch == ' ') {
        m->pending++;
        return;
    }
    if (m->need_nl) {
        mirror_out('\r');
        mirror_out('\n');
        m->need_nl = 0;
    }
    for (; m->pending; m->pending--)
        mirror_out(' ');
    mirror_out(ch);
    m->line_used = 1;
}

void mirror_wrap(struct mirror *m, unsigned row)
{
    m->row = (uint8_t)row;
    m->next_col = 0;
}

void mirror_ctl(struct mirror *m, uint8_t ch, unsigned row, unsigned col)
{
    if (!m->on)
        return;
    switch (ch) {
    case '\b':
        if (m->pending)
            m->pending--;
        else if (m->line_used)
            mirror_out('\b');
        break;
    case '\r':
        if (m->need_nl) /* a redraw's row ends here: the newline comes with the next text */
            break;
        m->pending = 0;
        mirror_out('\r');
        break;
    case '\n':
        if (m->need_nl) /* the CR was held back */
            mirror_out('\r');
        mirror_out('\n');
        m->need_nl = 0;
        m->line_used = 0;
        m->pending = 0;
        break;
    default: /* BEL: nothing in a log */ return;
    }
    m->row = (uint8_t)row;
    m->next_col = (uint16_t)col;
}
