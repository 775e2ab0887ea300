/* mirror.h - the screen's mirror on COM1: turns what programs write through
 * INT 10h into a readable log (not an exact copy).
 *
 *  - teletype output goes out as it is (CR, LF, BS; BEL is dropped);
 *  - characters written at a position (AH=09h/0Ah/13h, or teletype after a
 *    cursor move) go out in order; when the row differs from the last one
 *    written (or the column goes backwards: a redraw) a CR LF comes first,
 *    once, and only when something visible follows: a cleared or blank row
 *    costs nothing;
 *    A teletype line that wraps at the right edge stays one line;
 *  - spaces are held back until something visible follows them on the same
 *    row, so full-row clears leave no trailing blanks; a gap in the columns
 *    counts as spaces;
 *  - code page 437 line drawing becomes - | +, arrows > < ^ v, other bytes
 *    >= 80h and the pictures below 20h '.'.
 * Pure logic: the host unit test drives it with mirror_out capturing. */
#ifndef VGABIOS_MIRROR_H
#define VGABIOS_MIRROR_H
#include <stdint.h>

struct mirror {
    uint8_t on;        /* a UART is there */
    uint8_t row;       /* the row of the last character written (0xff: none) */
    uint16_t next_col; /* the column after it */
    uint16_t pending;  /* spaces held back */
    uint8_t line_used; /* something visible went out since the last newline */
    uint8_t need_nl;   /* start a new line before the next visible character */
};

/* Provided by the user: one byte to COM1 (or to the test's buffer). */
void mirror_out(uint8_t c);

void mirror_reset(struct mirror *m);
/* A character ch was written at (row, col) on the visible page. */
void mirror_put(struct mirror *m, unsigned row, unsigned col, uint8_t ch);
/* Teletype BEL, BS, CR or LF; (row, col) is the cursor after it. */
void mirror_ctl(struct mirror *m, uint8_t ch, unsigned row, unsigned col);
/* Teletype output wrapped from the end of a row to row: one log line goes on. */
void mirror_wrap(struct mirror *m, unsigned row);
/* The screen moved under us (scroll, clear, mode set, page change): the next
 * character starts a new line. */
void mirror_break(struct mirror *m);
/* What a code page 437 character looks like in the log. */
uint8_t mirror_ascii(uint8_t ch);

#endif
