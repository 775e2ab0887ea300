/* bda.h - the BIOS data area (0040:0000) and the other fixed places a PC BIOS
 * keeps state in: the offsets below are relative to segment 0x40. */
#ifndef BIOS_BDA_H
#define BIOS_BDA_H

#define BDA_SEG 0x40
#define BDA_COM_PORTS 0x00      /* 40:00 four COM base ports */
#define BDA_LPT_PORTS 0x08      /* 40:08 three LPT base ports */
#define BDA_EBDA_SEG 0x0e       /* 40:0E segment of the extended BDA */
#define BDA_EQUIPMENT 0x10      /* 40:10 equipment word (INT 11h) */
#define BDA_MEM_KB 0x13         /* 40:13 base memory in KiB (INT 12h) */
#define BDA_KBD_FLAGS0 0x17     /* 40:17 shift/ctrl/alt/lock state */
#define BDA_KBD_FLAGS1 0x18     /* 40:18 which shift keys are held */
#define BDA_KBD_HEAD 0x1a       /* 40:1A next key to read (offset in 40:) */
#define BDA_KBD_TAIL 0x1c       /* 40:1C where the next key goes */
#define BDA_KBD_BUF 0x1e        /* 40:1E 16-word keyboard buffer */
#define BDA_FDC_RECAL 0x3e      /* 40:3E floppy recalibrate status */
#define BDA_FDC_MOTOR 0x3f      /* 40:3F floppy motor status */
#define BDA_FDC_TIMEOUT 0x40    /* 40:40 motor shut-off counter */
#define BDA_FDC_STATUS 0x41     /* 40:41 last floppy status (INT 13h 01h) */
#define BDA_VIDEO_MODE 0x49     /* 40:49 current video mode */
#define BDA_VIDEO_COLS 0x4a     /* 40:4A columns on screen */
#define BDA_VIDEO_PAGE_SIZE 0x4c /* 40:4C bytes per page */
#define BDA_VIDEO_PAGE_START 0x4e /* 40:4E offset of the active page */
#define BDA_CURSOR_POS 0x50     /* 40:50 eight words: cursor (row << 8 | col) per page */
#define BDA_CURSOR_SHAPE 0x60   /* 40:60 cursor end, start scan lines */
#define BDA_VIDEO_PAGE 0x62     /* 40:62 active page */
#define BDA_CRTC_PORT 0x63      /* 40:63 CRTC base port (3D4h colour, 3B4h mono) */
#define BDA_CRT_MODE 0x65       /* 40:65 mode control register value */
#define BDA_CRT_PALETTE 0x66    /* 40:66 colour select register value */
#define BDA_TICKS 0x6c          /* 40:6C timer ticks since midnight (dword) */
#define BDA_MIDNIGHT 0x70       /* 40:70 non-zero when the tick count rolled over */
#define BDA_BREAK 0x71          /* 40:71 Ctrl-Break flag */
#define BDA_RESET_FLAG 0x72     /* 40:72 1234h = warm boot */
#define BDA_HD_STATUS 0x74      /* 40:74 last hard disk status */
#define BDA_HD_COUNT 0x75       /* 40:75 number of hard disks */
#define BDA_COM_TIMEOUT 0x7c    /* 40:7C four COM timeouts */
#define BDA_KBD_START 0x80      /* 40:80 keyboard buffer start (offset) */
#define BDA_KBD_END 0x82        /* 40:82 keyboard buffer end (offset) */
#define BDA_VIDEO_ROWS 0x84     /* 40:84 rows on screen minus one */
#define BDA_CHAR_HEIGHT 0x85    /* 40:85 scan lines per character */
#define BDA_VIDEO_CTL 0x87      /* 40:87 EGA/VGA control */
#define BDA_VIDEO_SWITCHES 0x88 /* 40:88 EGA/VGA switches */
#define BDA_VGA_FLAGS 0x89      /* 40:89 VGA mode-set option control */
#define BDA_DCC_INDEX 0x8a      /* 40:8A display combination code index */
#define BDA_KBD_FLAGS2 0x96     /* 40:96 keyboard mode/type */
#define BDA_KBD_LEDS 0x97       /* 40:97 keyboard LED flags */
#define BDA_WAIT_PTR 0x98       /* 40:98 INT 15h 83h user wait flag pointer */
#define BDA_WAIT_COUNT 0x9c     /* 40:9C ... and its microsecond count */
#define BDA_WAIT_ACTIVE 0xa0    /* 40:A0 wait active flag */
#define BDA_VIDEO_SAVE_PTR 0xa8 /* 40:A8 video save pointer table */

#endif
