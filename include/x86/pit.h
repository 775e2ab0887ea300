/* pit.h - the 8254 programmable interval timer (ports 40h-43h), its mode
 * byte, and system control port B (61h), which gates channel 2. */
#ifndef X86_PIT_H
#define X86_PIT_H

#define PIT_CH0 0x40   /* channel 0: IRQ 0 */
#define PIT_CH2 0x42   /* channel 2: the speaker, gated by port 61h */
#define PIT_MODE 0x43  /* the mode/command byte */
#define PIT_HZ 1193182 /* the input clock */

/* The mode byte: channel (bits 7:6), access (5:4), mode (3:1), BCD (0). */
#define PIT_SEL_CH0 0x00
#define PIT_SEL_CH2 0x80
#define PIT_ACCESS_LOHI 0x30 /* low byte, then high byte */
#define PIT_MODE_N(n) ((n) << 1)
#define PIT_MODE_TERMINAL 0 /* mode 0: interrupt on terminal count */
#define PIT_MODE_RATE 2     /* mode 2: rate generator */
#define PIT_MODE_SQUARE 3   /* mode 3: square wave (the 18.2 Hz a reset leaves on channel 0) */

/* System control port B. */
#define PORT_SYS_CTRL_B 0x61
#define SYS_CTRL_B_GATE2 0x01   /* channel 2 gate */
#define SYS_CTRL_B_SPEAKER 0x02 /* speaker data enable */
#define SYS_CTRL_B_REFRESH 0x10 /* read: toggles with every DRAM refresh request */
#define SYS_CTRL_B_OUT2 0x20    /* read: channel 2's output */

#endif
