/* bda.h - the BIOS data area (0040:0000) and the extended BIOS data area:
 * the state a PC BIOS keeps where programs expect it. struct bda is the
 * layout (each field with its real-mode address); the firmware reaches it
 * through far accessors, so BDA_<FIELD> is a field's offset in segment 40h:
 * peekl(BDA_SEG, BDA_TICKS). */
#ifndef BIOS_BDA_H
#define BIOS_BDA_H
#include <stddef.h>
#include <stdint.h>

#define BDA_SEG 0x40

struct __attribute__((packed)) bda {
    uint16_t com_ports[4]; /* 40:00 COM base ports */
    uint16_t lpt_ports[3]; /* 40:08 LPT base ports */
    uint16_t ebda_seg;     /* 40:0E segment of the extended BDA */
    uint16_t equipment;    /* 40:10 equipment word (INT 11h) */
    uint8_t pad_12;
    uint16_t mem_kb; /* 40:13 base memory in KiB (INT 12h) */
    uint8_t pad_15[2];
    uint8_t kbd_flags0; /* 40:17 shift/ctrl/alt/lock state */
    uint8_t kbd_flags1; /* 40:18 which shift keys are held */
    uint8_t pad_19;
    uint16_t kbd_head;    /* 40:1A next key to read (offset in 40:) */
    uint16_t kbd_tail;    /* 40:1C where the next key goes */
    uint16_t kbd_buf[16]; /* 40:1E keyboard buffer */
    uint8_t fdc_recal;    /* 40:3E floppy recalibrate status; bit 7: the IRQ came */
    uint8_t fdc_motor;    /* 40:3F floppy motor status */
    uint8_t fdc_timeout;  /* 40:40 motor shut-off counter */
    uint8_t fdc_status;   /* 40:41 last floppy status (INT 13h 01h) */
    uint8_t pad_42[7];
    uint8_t video_mode;        /* 40:49 current video mode */
    uint16_t video_cols;       /* 40:4A columns on screen */
    uint16_t video_page_size;  /* 40:4C bytes per page */
    uint16_t video_page_start; /* 40:4E offset of the active page */
    uint16_t cursor_pos[8];    /* 40:50 cursor (row << 8 | col) per page */
    uint16_t cursor_shape;     /* 40:60 cursor end, start scan lines */
    uint8_t video_page;        /* 40:62 active page */
    uint16_t crtc_port;        /* 40:63 CRTC base port (3D4h colour, 3B4h mono) */
    uint8_t crt_mode;          /* 40:65 mode control register value */
    uint8_t crt_palette;       /* 40:66 colour select register value */
    uint8_t pad_67[5];
    uint32_t ticks;      /* 40:6C timer ticks since midnight */
    uint8_t midnight;    /* 40:70 non-zero when the tick count rolled over */
    uint8_t brk;         /* 40:71 Ctrl-Break flag */
    uint16_t reset_flag; /* 40:72 1234h = warm boot */
    uint8_t hd_status;   /* 40:74 last hard disk status */
    uint8_t hd_count;    /* 40:75 number of hard disks */
    uint8_t pad_76[6];
    uint8_t com_timeout[4]; /* 40:7C COM timeouts */
    uint16_t kbd_start;     /* 40:80 keyboard buffer start (offset) */
    uint16_t kbd_end;       /* 40:82 keyboard buffer end (offset) */
    uint8_t video_rows;     /* 40:84 rows on screen minus one */
    uint8_t char_height;    /* 40:85 scan lines per character */
    uint8_t pad_86;
    uint8_t video_ctl;      /* 40:87 EGA/VGA control */
    uint8_t video_switches; /* 40:88 EGA/VGA switches */
    uint8_t vga_flags;      /* 40:89 VGA mode-set option control */
    uint8_t dcc_index;      /* 40:8A display combination code index */
    uint8_t pad_8b[11];
    uint8_t kbd_flags2;  /* 40:96 keyboard mode/type */
    uint8_t kbd_leds;    /* 40:97 keyboard LED flags */
    uint32_t wait_ptr;   /* 40:98 INT 15h 83h user wait flag pointer */
    uint32_t wait_count; /* 40:9C ... and its microsecond count */
    uint8_t wait_active; /* 40:A0 wait active flag */
    uint8_t pad_a1[7];
    uint32_t video_save_ptr; /* 40:A8 video save pointer table */
    uint8_t pad_ac[0x54];
};
_Static_assert(sizeof(struct bda) == 0x100, "the BDA is 256 bytes (40:00-40:FF)");

#define BDA_OFF(field) ((uint16_t)offsetof(struct bda, field))
#define BDA_COM_PORTS BDA_OFF(com_ports)
#define BDA_LPT_PORTS BDA_OFF(lpt_ports)
#define BDA_EBDA_SEG BDA_OFF(ebda_seg)
#define BDA_EQUIPMENT BDA_OFF(equipment)
#define BDA_MEM_KB BDA_OFF(mem_kb)
#define BDA_KBD_FLAGS0 BDA_OFF(kbd_flags0)
#define BDA_KBD_FLAGS1 BDA_OFF(kbd_flags1)
#define BDA_KBD_HEAD BDA_OFF(kbd_head)
#define BDA_KBD_TAIL BDA_OFF(kbd_tail)
#define BDA_KBD_BUF BDA_OFF(kbd_buf)
#define BDA_KBD_BUF_END (BDA_KBD_BUF + (uint16_t)sizeof(((struct bda *)0)->kbd_buf))
#define BDA_FDC_RECAL BDA_OFF(fdc_recal)
#define BDA_FDC_MOTOR BDA_OFF(fdc_motor)
#define BDA_FDC_TIMEOUT BDA_OFF(fdc_timeout)
#define BDA_FDC_STATUS BDA_OFF(fdc_status)
#define BDA_VIDEO_MODE BDA_OFF(video_mode)
#define BDA_VIDEO_COLS BDA_OFF(video_cols)
#define BDA_VIDEO_PAGE_SIZE BDA_OFF(video_page_size)
#define BDA_VIDEO_PAGE_START BDA_OFF(video_page_start)
#define BDA_CURSOR_POS BDA_OFF(cursor_pos)
#define BDA_CURSOR_SHAPE BDA_OFF(cursor_shape)
#define BDA_VIDEO_PAGE BDA_OFF(video_page)
#define BDA_CRTC_PORT BDA_OFF(crtc_port)
#define BDA_CRT_MODE BDA_OFF(crt_mode)
#define BDA_CRT_PALETTE BDA_OFF(crt_palette)
#define BDA_TICKS BDA_OFF(ticks)
#define BDA_MIDNIGHT BDA_OFF(midnight)
#define BDA_BREAK BDA_OFF(brk)
#define BDA_RESET_FLAG BDA_OFF(reset_flag)
#define BDA_HD_STATUS BDA_OFF(hd_status)
#define BDA_HD_COUNT BDA_OFF(hd_count)
#define BDA_COM_TIMEOUT BDA_OFF(com_timeout)
#define BDA_KBD_START BDA_OFF(kbd_start)
#define BDA_KBD_END BDA_OFF(kbd_end)
#define BDA_VIDEO_ROWS BDA_OFF(video_rows)
#define BDA_CHAR_HEIGHT BDA_OFF(char_height)
#define BDA_VIDEO_CTL BDA_OFF(video_ctl)
#define BDA_VIDEO_SWITCHES BDA_OFF(video_switches)
#define BDA_VGA_FLAGS BDA_OFF(vga_flags)
#define BDA_DCC_INDEX BDA_OFF(dcc_index)
#define BDA_KBD_FLAGS2 BDA_OFF(kbd_flags2)
#define BDA_KBD_LEDS BDA_OFF(kbd_leds)
#define BDA_WAIT_PTR BDA_OFF(wait_ptr)
#define BDA_WAIT_COUNT BDA_OFF(wait_count)
#define BDA_WAIT_ACTIVE BDA_OFF(wait_active)
#define BDA_VIDEO_SAVE_PTR BDA_OFF(video_save_ptr)
/* The BDA's linear address of a field (for code that reads physical memory, the hv's). */
#define BDA_LINEAR(field) (((uint32_t)BDA_SEG << 4) + BDA_OFF(field))

/* The extended BDA: rombios keeps 1 KiB at the top of conventional memory,
 * its first byte its size in KiB, the floppy driver's DMA bounce buffer in
 * its upper half. */
struct __attribute__((packed)) ebda {
    uint8_t size_kb;
    uint8_t pad_1[0x1ff];
    uint8_t fd_bounce[512]; /* a floppy sector the DMA could not reach where the caller wanted it */
};
_Static_assert(sizeof(struct ebda) == 1024, "rombios's EBDA is 1 KiB");
#define EBDA_KB ((uint32_t)(sizeof(struct ebda) >> 10))
#define EBDA_OFF(field) ((uint16_t)offsetof(struct ebda, field))

#endif
