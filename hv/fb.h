/* fb.h - the guest's VGA text screen on the boot loader's linear framebuffer
 * (a UEFI PC has no VGA text mode): hv/fb.c. */
#ifndef HV_FB_H
#define HV_FB_H
#include <stdint.h>

#define VGA_WINDOW_START 0xa0000 /* the legacy VGA memory window, A0000-BFFFF */
#define VGA_PORT_FIRST 0x3b0
#define VGA_PORT_LAST 0x3df

/* Decides from fb= and the multiboot2 framebuffer whether the hv draws the
 * guest's screen; says so in one line. Before the EPT is built. */
void fb_init(void);
/* Whether the guest's A0000-BFFFF is hv RAM (hv.vga_window) instead of the
 * machine's VGA window. */
int fb_active(void);
/* The guest's text cells (its B8000, start address applied), or 0 when the
 * machine's own VGA holds them (screen.c reads them from there). */
const volatile uint16_t *fb_text_cells(void);
void fb_trap_ports(void (*trap)(uint16_t port));
/* A guest access to a VGA port: 1 when it was one (emulated), else 0. */
int fb_io(uint16_t port, int in, unsigned size, uint32_t *val);
/* After vmcs_init: redraws from the VMX-preemption timer (ptimer.c). */
void fb_start(void);
/* A timer expiry: redraws what changed, when a frame is due. */
void fb_timer(void);
/* Every other VM exit: the same, only when the timer cannot do it alone. */
void fb_tick(void);
/* An hv error line (hv_fatal): drawn over the bottom rows, white on red,
 * from then on (power_off draws the last frame). */
void fb_error(const char *line);
/* At power-off: the last frame, then its hash and the cells on COM1
 * (vmxlab-fb: lines) for tools/fbhash to check. */
void fb_power_off(void);

/* pit.c: pit_check measures the TSC against PIT channel 2 (10 ms) and stops
 * the boot with one line when the PIT does not count (a chipset that
 * clock-gates it); pit_tsc_per_ms is then the TSC's ticks per millisecond. */
void pit_check(void);
uint64_t pit_tsc_per_ms(void);

#endif
