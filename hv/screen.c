/* screen.c - the guest's text screen, copied to the console at power-off.
 *
 * Headless engines show nothing of what a BIOS writes to the screen (Bochs'
 * term display does not capture it), so the hv prints the VGA text buffer
 * (80x25 at B8000) as "vmxlab-screen: " lines, blank lines left out. */
#include "hv.h"
#include "fb.h"
#include "console.h"

#define TEXT_BUFFER 0xb8000
#define COLS 80
#define ROWS 25

void screen_dump(void)
{
    const volatile uint16_t *cell = fb_text_cells(); /* the guest's, when fb.c stands in for the VGA */
    if (!cell)
        cell = (const volatile uint16_t *)(uintptr_t)TEXT_BUFFER;
    for (int r = 0; r < ROWS; r++) {
        char line[COLS + 1];
        int len = 0;
        for (int col = 0; col < COLS; col++) {
            char ch = (char)(cell[r * COLS + col] & 0xff);
            line[col] = ch >= 32 && ch < 127 ? ch : (ch == 0 ? ' ' : '.');
            if (line[col] != ' ')
                len = col + 1;
        }
        line[len] = '\0';
        if (len)
            printk("vmxlab-screen: %s\n", line);
    }
}
