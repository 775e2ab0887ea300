/* options.h - the hv command line (the words after the hv on GRUB's multiboot line). */
#ifndef HV_OPTIONS_H
#define HV_OPTIONS_H
#include <stddef.h>

enum rm_mode {
    MODE_ASSIST,  /* VM86 + vmxassist: Xen 3.0's way (docs/history.md), never unrestricted guest */
    MODE_EMULATE, /* vmxassist interprets every real-mode instruction */
    MODE_UG,      /* unrestricted guest: hardware runs real mode */
};

enum boot_dev { BOOT_DEFAULT, BOOT_FLOPPY, BOOT_DISK, BOOT_CDROM }; /* = VMXLAB_BOOT_* */

enum firmware { FIRMWARE_OWN, FIRMWARE_BOCHS }; /* = VMXLAB_FIRMWARE_* */

enum onreset { ONRESET_EXIT, ONRESET_RESTART }; /* what a guest's machine reset does (hv/reset.c) */
enum fb_use { FB_AUTO, FB_OFF, FB_ON };         /* fb=: the guest's text screen on a framebuffer (hv/fb.c) */

struct hv_options {
    enum rm_mode mode;
    int trace;              /* 1: log every real <-> protected switch; 2: also every VM exit */
    int stats;              /* stats=0: no vmxlab-stats line at power-off */
    int screen;             /* screen=0: no copy of the guest's text screen at power-off */
    enum boot_dev boot;     /* boot=floppy|disk|cdrom: the guest BIOS's first boot device */
    enum firmware firmware; /* firmware=own|bochs: the payloads vmxloader places */
    unsigned watchdog;      /* watchdog=S: stop a guest that made no progress for S seconds (0: off) */
    enum onreset onreset;   /* onreset=exit|restart: end the run, or start vmxloader and the firmware again */
    enum fb_use fb;         /* fb=auto|off|on: draw the guest's text screen on the boot framebuffer */
    unsigned simulate;      /* simulate=no-irq0,no-ps2,no-com1: SIMULATE_* bits */
};

#define WATCHDOG_MAX_SECONDS 86400u
/* simulate=: what a CSM-less PC lacks, on a machine that has it (tests) */
#define SIMULATE_NO_IRQ0 (1u << 0) /* IRQ 0 masked at the PIC during the hv's check */
#define SIMULATE_NO_PS2 (1u << 1)  /* the 8042 probe's answer: none */
#define SIMULATE_NO_COM1 (1u << 2) /* the UART probe's answer: none */

/* Parses "mode=ug trace=1 ..." (the first word may be the hv's own path and is
 * skipped when it contains a '/'). Returns 0, or -1 with the reason in err. */
int options_parse(const char *cmdline, struct hv_options *o, char *err, size_t errlen);
const char *mode_name(enum rm_mode m);
const char *boot_name(enum boot_dev b);
const char *firmware_name(enum firmware f);
const char *onreset_name(enum onreset r);
const char *fb_use_name(enum fb_use f);

#endif
