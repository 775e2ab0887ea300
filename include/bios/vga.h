/* vga.h - the standard VGA registers (IBM VGA, 1987; what Bochs, QEMU's std
 * VGA and every real VGA-compatible card decode) and the text-mode memory. */
#ifndef BIOS_VGA_H
#define BIOS_VGA_H

/* Ports. The CRT controller and input status 1 sit at 3Bxh when the
 * miscellaneous output register selects mono (bit 0 = 0), at 3Dxh for colour. */
#define VGA_AC 0x3c0         /* attribute controller: index and data, one port (flip-flop) */
#define VGA_AC_READ 0x3c1    /* attribute controller data read */
#define VGA_MISC_WRITE 0x3c2 /* miscellaneous output (write) */
#define VGA_SEQ_INDEX 0x3c4  /* sequencer */
#define VGA_SEQ_DATA 0x3c5
#define VGA_DAC_MASK 0x3c6 /* pel mask */
#define VGA_DAC_WRITE_INDEX 0x3c8
#define VGA_DAC_DATA 0x3c9 /* three 6-bit values (R, G, B) per entry */
#define VGA_MISC_READ 0x3cc
#define VGA_GC_INDEX 0x3ce /* graphics controller */
#define VGA_GC_DATA 0x3cf
#define VGA_CRTC_MONO 0x3b4 /* CRT controller index; data at +1 */
#define VGA_CRTC_COLOR 0x3d4
#define VGA_STATUS1_OFFSET 6 /* input status 1 = CRTC index + 6 (3BAh / 3DAh); reading resets the AC flip-flop */

/* Miscellaneous output bits. */
#define MISC_IO_COLOR 0x01 /* CRTC at 3Dxh */
#define MISC_RAM_ENABLE 0x02
#define MISC_CLOCK_28MHZ 0x04 /* 720-pixel (9-dot) modes */
#define MISC_PAGE_HIGH 0x20   /* odd/even page select */
#define MISC_400_LINES 0x40   /* sync polarity: -hsync +vsync = 400 lines */

/* Sequencer registers. */
#define SEQ_RESET 0x00       /* 03h = run, 01h = synchronous reset */
#define SEQ_CLOCKING 0x01    /* bit 0: 8-dot characters; bit 3: half dot clock (40 columns); bit 5: screen off */
#define SEQ_MAP_MASK 0x02    /* planes the CPU writes */
#define SEQ_CHAR_MAP 0x03    /* which 8 KiB of plane 2 holds the font */
#define SEQ_MEMORY_MODE 0x04 /* bit 1: more than 64 KiB; bit 2: 1 = no odd/even; bit 3: chain 4 */

/* CRT controller registers the BIOS touches after a mode set. */
#define CRTC_MAX_SCAN 0x09     /* scan lines per character row - 1 */
#define CRTC_CURSOR_START 0x0a /* bit 5: cursor off */
#define CRTC_CURSOR_END 0x0b
#define CRTC_START_HI 0x0c /* display start address (in characters) */
#define CRTC_START_LO 0x0d
#define CRTC_CURSOR_HI 0x0e /* cursor location (in characters) */
#define CRTC_CURSOR_LO 0x0f
#define CRTC_VSYNC_END 0x11 /* bit 7: registers 0-7 write-protected */
#define CRTC_COUNT 0x19

/* Graphics controller registers. */
#define GC_READ_MAP 0x04 /* the plane CPU reads return */
#define GC_MODE 0x05     /* bit 4: odd/even host addressing */
#define GC_MISC 0x06     /* bit 0: graphics; bit 1: chain odd/even; bits 3-2: memory map */
#define GC_COUNT 0x09

/* Attribute controller registers. */
#define AC_PALETTE 0x00  /* 00h-0Fh: attribute colour -> DAC index */
#define AC_MODE 0x10     /* bit 1: mono; bit 2: line graphics (9th column); bit 3: blink */
#define AC_OVERSCAN 0x11 /* border colour */
#define AC_PLANE_ENABLE 0x12
#define AC_PANNING 0x13
#define AC_COLOR_SELECT 0x14
#define AC_COUNT 0x15
#define AC_VIDEO_ON 0x20 /* written with the index: the CRTC may read the palette again */

/* Text memory (segments) and the font in plane 2: 32 bytes per character. */
#define VGA_TEXT_COLOR_SEG 0xb800
#define VGA_TEXT_MONO_SEG 0xb000
#define VGA_PLANES_SEG 0xa000
#define VGA_FONT_STRIDE 32

#endif
