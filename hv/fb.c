/* fb.c - the guest's VGA text screen on the boot loader's framebuffer.
 *
 * A UEFI PC has no VGA text mode: GOP leaves a linear framebuffer, and what
 * a BIOS or a program writes to B8000 shows nowhere. When GRUB handed the
 * hv a direct-colour framebuffer (multiboot2 tag 8) and fb= is not off, the
 * hv stands in for the VGA:
 *  - the guest's A0000-BFFFF is hv RAM (hv.vga_window, through the EPT),
 *    whatever the machine has there (nothing, or SMRAM);
 *  - the VGA's ports 3B0h-3DFh are trapped and emulated as registers that
 *    hold what is written: CRTC (cursor, start address), sequencer, graphics
 *    controller, attribute controller (with its flip-flop, reset by reading
 *    input status 1), misc output, DAC; input status 1 toggles its retrace
 *    bits so that polling loops end. The vgabios and the guests program
 *    mode 3 through them as on a VGA;
 *  - the 80x25 text at B8000 (from the CRTC start address) and the CRTC
 *    cursor are drawn into the framebuffer (hv/fbrender.c, the vgabios's
 *    8x16 font) from the VMX-preemption timer (hv/ptimer.c), five times a
 *    second of guest time, and at power-off, so programs that write B8000
 *    directly show too, even in a loop with no VM exit. A CPU without the
 *    timer redraws from VM exits instead, one whose timer restarts at every
 *    VM entry from both; at most five times a second.
 * An hv error line (hv_fatal) is drawn over the bottom rows, white on red,
 * so that a fatal error shows on a UEFI PC without a serial port.
 * With a real VGA (a BIOS boot, no framebuffer) nothing of this happens. */
#include "hv.h"
#include "console.h"
#include "fb.h"
#include "fbrender.h"
#include "font.h"
#include "string.h"
#include "vmxlab/vmcall.h"
#include "x86/asm.h"

#define COLS 80
#define ROWS 25
#define TEXT_OFFSET 0x18000 /* B8000 in the window */
#define FRAMES_PER_SECOND 5

static struct {
    int active, graphics_said, from_exits;
    struct fb_surface s;
    struct fb_view v;
    uint16_t shadow[COLS * ROWS];
    unsigned shadow_cursor;
    uint64_t last_tsc, interval;
    uint64_t frames[2]; /* redraws from the timer, from other VM exits */
    uint8_t crtc_index, crtc[0x19];
    uint8_t seq_index, seq[5];
    uint8_t gc_index, gc[9];
    uint8_t attr_index, attr[0x15];
    int attr_data_next; /* the attribute controller's flip-flop */
    uint8_t misc, pel_mask, st1;
    uint8_t dac_windex, dac_rindex, dac_comp, dac_reading;
    uint8_t dac[256][3];
    char error[COLS * 4 + 1]; /* an hv error line, drawn over the bottom rows */
    uint16_t composed[COLS * ROWS];
} fb;

#define ERROR_ATTR 0x4f /* white on red */

int fb_active(void) { return fb.active; }

void fb_init(void)
{
    const struct boot_fb *b = &hv.boot.fb;
    const char *why = 0;
    if (hv.opt.fb == FB_OFF)
        return;
    if (!b->addr)
        why = "the boot loader gave no framebuffer";
    else if (b->type != 1)
        why = "the boot loader's framebuffer is not direct colour";
    else if (b->addr + (uint64_t)b->pitch * b->height > (1ull << 32))
        why = "the framebuffer lies above 4 GiB, outside the hv's map";
    if (!why) {
        fb.s = (struct fb_surface){ (uint8_t *)(uintptr_t)b->addr,
                                    b->pitch,
                                    b->width,
                                    b->height,
                                    b->bpp,
                                    b->red_pos,
                                    b->red_size,
                                    b->green_pos,
                                    b->green_size,
                                    b->blue_pos,
                                    b->blue_size };
        if (fb_layout(&fb.s, COLS, ROWS, &fb.v))
            why = "the framebuffer's pixel format is not 15, 16, 24 or 32 bits";
    }
    if (why) {
        if (hv.opt.fb == FB_ON)
            hv_fatal(VMXLAB_STATUS_BOOT_ERROR, "fb=on, but %s", why);
        return;
    }
    fb.active = 1;
    for (uint32_t y = 0; y < fb.s.height; y++) /* black, as the guest's screen starts */
        memset(fb.s.base + (uint64_t)y * fb.s.pitch, 0, (size_t)fb.s.width * fb.v.bytes_pp);
    fb.crtc[0x0a] = 0x0d, fb.crtc[0x0b] = 0x0e; /* mode 3's cursor until the vgabios sets it */
    fb.pel_mask = 0xff;
    fb.shadow_cursor = COLS * ROWS;
    printk("vmxlab: fb: the guest's text screen goes to the %ux%ux%u framebuffer at 0x%llx (scale %u); "
           "its A0000-BFFFF is RAM, VGA ports 0x%x-0x%x are emulated\n",
           fb.s.width, fb.s.height, fb.s.bpp, (unsigned long long)b->addr, fb.v.scale, VGA_PORT_FIRST, VGA_PORT_LAST);
}

const volatile uint16_t *fb_text_cells(void)
{
    if (!fb.active)
        return 0;
    unsigned start = ((unsigned)fb.crtc[0x0c] << 8 | fb.crtc[0x0d]) * 2u;
    if (start + COLS * ROWS * 2 > 0x8000)
        start = 0;
    return (const volatile uint16_t *)(hv.vga_window + TEXT_OFFSET + start);
}

void fb_trap_ports(void (*trap)(uint16_t port))
{
    if (fb.active)
        for (uint16_t p = VGA_PORT_FIRST; p <= VGA_PORT_LAST; p++)
            trap(p);
}

static void vga_out(uint16_t port, uint8_t v)
{
    switch (port) {
    case 0x3b4:
    case 0x3d4: fb.crtc_index = v; break;
    case 0x3b5:
    case 0x3d5:
        if (fb.crtc_index < sizeof fb.crtc)
            fb.crtc[fb.crtc_index] = v;
        break;
    case 0x3c4: fb.seq_index = v; break;
    case 0x3c5:
        if (fb.seq_index < sizeof fb.seq)
            fb.seq[fb.seq_index] = v;
        break;
    case 0x3ce: fb.gc_index = v; break;
    case 0x3cf:
        if (fb.gc_index < sizeof fb.gc)
            fb.gc[fb.gc_index] = v;
        break;
    case 0x3c0:
        if (fb.attr_data_next && (fb.attr_index & 0x1f) < sizeof fb.attr)
            fb.attr[fb.attr_index & 0x1f] = v;
        else if (!fb.attr_data_next)
            fb.attr_index = v;
        fb.attr_data_next ^= 1;
        break;
    case 0x3c2: fb.misc = v; break;
    case 0x3c6: fb.pel_mask = v; break;
    case 0x3c7: fb.dac_rindex = v, fb.dac_comp = 0, fb.dac_reading = 1; break;
    case 0x3c8: fb.dac_windex = v, fb.dac_comp = 0, fb.dac_reading = 0; break;
    case 0x3c9:
        fb.dac[fb.dac_windex][fb.dac_comp] = v & 0x3f;
        if (++fb.dac_comp == 3)
            fb.dac_comp = 0, fb.dac_windex++;
        break;
    }
}

static uint8_t vga_in(uint16_t port)
{
    switch (port) {
    case 0x3b4:
    case 0x3d4: return fb.crtc_index;
    case 0x3b5:
    case 0x3d5: return fb.crtc_index < sizeof fb.crtc ? fb.crtc[fb.crtc_index] : 0xff;
    case 0x3c4: return fb.seq_index;
    case 0x3c5: return fb.seq_index < sizeof fb.seq ? fb.seq[fb.seq_index] : 0xff;
    case 0x3ce: return fb.gc_index;
    case 0x3cf: return fb.gc_index < sizeof fb.gc ? fb.gc[fb.gc_index] : 0xff;
    case 0x3c0: return fb.attr_index;
    case 0x3c1: return (fb.attr_index & 0x1f) < sizeof fb.attr ? fb.attr[fb.attr_index & 0x1f] : 0xff;
    case 0x3c2: return 0x10; /* input status 0: the switch sense a colour VGA reads */
    case 0x3cc: return fb.misc;
    case 0x3c6: return fb.pel_mask;
    case 0x3c7: return fb.dac_reading ? 3 : 0;
    case 0x3c8: return fb.dac_windex;
    case 0x3c9: {
        uint8_t v = fb.dac[fb.dac_rindex][fb.dac_comp];
        if (++fb.dac_comp == 3)
            fb.dac_comp = 0, fb.dac_rindex++;
        return v;
    }
    case 0x3ba:
    case 0x3da: /* input status 1: retrace and display-enable toggle at each read */
        fb.attr_data_next = 0;
        fb.st1 ^= 0x09;
        return fb.st1;
    }
    return 0xff;
}

int fb_io(uint16_t port, int in, unsigned size, uint32_t *val)
{
    if (!fb.active || port < VGA_PORT_FIRST || port > VGA_PORT_LAST)
        return 0;
    for (unsigned i = 0; i < size; i++) { /* a word OUT to 3D4h is index, then data */
        if (in)
            *val = (*val & ~(0xffu << (8 * i))) | (uint32_t)vga_in((uint16_t)(port + i)) << (8 * i);
        else
            vga_out((uint16_t)(port + i), (uint8_t)(*val >> (8 * i)));
    }
    return 1;
}

/* The cells drawn: the guest's, with the hv's error line (if any) over the
 * bottom rows. Before the guest's first instruction its screen is black. */
static const volatile uint16_t *screen_cells(void)
{
    const volatile uint16_t *g = fb_text_cells();
    if (!fb.error[0])
        return g;
    for (unsigned i = 0; i < COLS * ROWS; i++)
        fb.composed[i] = g ? g[i] : 0;
    unsigned len = (unsigned)strlen(fb.error), rows = (len + COLS - 1) / COLS;
    uint16_t *o = fb.composed + (ROWS - rows) * COLS;
    for (unsigned i = 0; i < rows * COLS; i++)
        o[i] = (uint16_t)(ERROR_ATTR << 8 | (i < len ? (uint8_t)fb.error[i] : ' '));
    return fb.composed;
}

static void draw(int full)
{
    if ((fb.gc[6] & 1) && !fb.error[0]) { /* graphics controller misc: a graphics mode, which is not drawn */
        if (!fb.graphics_said++)
            printk("vmxlab: fb: the guest left text mode for a graphics mode, which the framebuffer does not "
                   "show: it keeps the last text screen\n");
        return;
    }
    struct text_screen t = { screen_cells(),
                             ((unsigned)fb.crtc[0x0e] << 8 | fb.crtc[0x0f]) -
                                 ((unsigned)fb.crtc[0x0c] << 8 | fb.crtc[0x0d]),
                             fb.crtc[0x0a], fb.crtc[0x0b] };
    fb_render(&fb.s, &fb.v, &t, fb.shadow, &fb.shadow_cursor, full, font8x16);
}

void fb_error(const char *line)
{
    if (!fb.active || fb.error[0])
        return;
    size_t n = strlen(line);
    if (n > sizeof fb.error - 1)
        n = sizeof fb.error - 1;
    memcpy(fb.error, line, n);
    fb.error[n] = 0;
}

/* After vmcs_init: the redraws' clock. */
void fb_start(void)
{
    if (!fb.active)
        return;
    fb.interval = pit_tsc_per_ms() * (1000 / FRAMES_PER_SECOND);
    if (ptimer_want(fb.interval)) {
        fb.from_exits = 1;
        printk("vmxlab: fb: this CPU has no VMX-preemption timer: the screen is redrawn from VM exits\n");
    } else if (!ptimer_saved()) {
        fb.from_exits = 1;
        printk("vmxlab: fb: this CPU's VMX-preemption timer restarts at every VM entry: the screen is redrawn "
               "from the timer and from VM exits\n");
    } else {
        printk("vmxlab: fb: the screen is redrawn %u times a second of guest time (VMX-preemption timer)\n",
               FRAMES_PER_SECOND);
    }
    fb.last_tsc = rdtsc();
}

static void redraw_if_due(int from_timer)
{
    uint64_t now = rdtsc();
    if (now - fb.last_tsc < fb.interval - fb.interval / 8) /* the timer's period is rounded down */
        return;
    fb.last_tsc = now;
    fb.frames[!from_timer]++;
    draw(0);
}

void fb_timer(void)
{
    if (fb.active)
        redraw_if_due(1);
}

void fb_tick(void)
{
    if (fb.active && fb.from_exits)
        redraw_if_due(0);
}

void fb_power_off(void)
{
    if (!fb.active)
        return;
    draw(1);
    printk("vmxlab: fb: %llu redraws from the VMX-preemption timer, %llu from other VM exits\n",
           (unsigned long long)fb.frames[0], (unsigned long long)fb.frames[1]);
    const volatile uint16_t *c = screen_cells();
    unsigned cursor = ((unsigned)fb.crtc[0x0e] << 8 | fb.crtc[0x0f]) - ((unsigned)fb.crtc[0x0c] << 8 | fb.crtc[0x0d]);
    printk("vmxlab-fb: %ux%ux%u rgb %u:%u,%u:%u,%u:%u cursor %u shape %u-%u hash 0x%llx\n", fb.s.width, fb.s.height,
           fb.s.bpp, fb.s.red_pos, fb.s.red_size, fb.s.green_pos, fb.s.green_size, fb.s.blue_pos, fb.s.blue_size,
           cursor, fb.crtc[0x0a], fb.crtc[0x0b], (unsigned long long)fb_hash(&fb.s));
    for (unsigned r = 0; r < ROWS; r++) {
        printk("vmxlab-fb-row %02u:", r);
        for (unsigned i = 0; i < COLS; i++)
            printk(" %04x", c[r * COLS + i]);
        printk("\n");
    }
}
