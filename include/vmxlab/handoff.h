/* handoff.h - the block the hv, vmxloader and vmxassist share in guest memory.
 *
 * It lives at guest-physical VMXLAB_HANDOFF_ADDR (E000:0000). The hv fills
 * the first part before launching vmxloader (EBX points to it), vmxloader
 * adds where it put the payloads, vmxassist adds how the hv can enter it,
 * and `ctx` carries a CPU context across every real <-> protected switch:
 *   - invoke  (guest clears CR0.PE): the hv saves the protected-mode context
 *             there and starts vmxassist at assist_invoke with vmxassist's
 *             CS, SS, TR, GDTR and IDTR, ESP = assist_stack and EFLAGS = 2;
 *             DS, ES, FS, GS and LDTR are still the guest's, and the entry
 *             loads its own data segments first;
 *   - restore (real-mode code sets PE and far-jumps): vmxassist writes the
 *             new protected-mode context there, every field, and issues
 *             VMCALL_ASSIST_RESTORE.
 * Each is one VM exit (the MOV CR0, the VMCALL); both sides read and write
 * the context in place.
 * Version history: 1 = first layout; 2 = firmware choice and RAM disks;
 * 3 = ACPI power management (acpi, at the end); 4 = the legacy devices the
 * machine lacks (legacy, at the end). An invoke leaving the
 * guest's data segments to vmxassist's entry changed no layout: vmxassist
 * is built with the hv.
 */
#ifndef VMXLAB_HANDOFF_H
#define VMXLAB_HANDOFF_H
#include <stdint.h>

#define VMXLAB_HANDOFF_ADDR 0xe0000
#define VMXLAB_HANDOFF_MAGIC 0x464f4448 /* "HDOF" */
#define VMXLAB_HANDOFF_VERSION 4

/* Where vmxloader puts the firmware (docs/memory-model.md). */
#define VMXLAB_VGABIOS_ADDR 0xc0000
#define VMXLAB_ASSIST_ADDR 0xd0000
#define VMXLAB_ROMBIOS_ADDR 0xf0000
#define VMXLAB_ASSIST_MAX 0x10000
/* vmxassist's decoded-instruction cache (mode=emulate's interpreter), in the
 * handoff block's segment after its page: E1000-EFFFF, reserved in the E820
 * map with the rest of E0000-FFFFF. Supervisor-only in the hv's identity page
 * table, as vmxassist's slot is; a guest write there goes through vmxassist,
 * which empties the cache. */
#define VMXLAB_ASSIST_CACHE 0xe1000
#define VMXLAB_ASSIST_CACHE_SIZE 0xf000

/* handoff.mode */
#define VMXLAB_MODE_ASSIST 0
#define VMXLAB_MODE_EMULATE 1
#define VMXLAB_MODE_UG 2
/* handoff.flags */
#define VMXLAB_FLAG_TRACE (1u << 0)
/* handoff.boot_device: the BIOS boot order the hv presents through CMOS */
#define VMXLAB_BOOT_DEFAULT 0
#define VMXLAB_BOOT_FLOPPY 1
#define VMXLAB_BOOT_DISK 2
#define VMXLAB_BOOT_CDROM 3

/* handoff.firmware: which payloads vmxloader places (hv option firmware=) */
#define VMXLAB_FIRMWARE_OWN 0   /* rombios/ and vgabios/ of this tree */
#define VMXLAB_FIRMWARE_BOCHS 1 /* Debian's Bochs BIOS and LGPL vgabios (the reference) */

/* A RAM disk: a GRUB module (`module FILE ramdisk=fd|hd|cd`) that the hv
 * leaves in guest RAM, reserved in the E820 map, for rombios to serve
 * through INT 13h the way memdisk does. */
#define VMXLAB_RAMDISK_FLOPPY 1 /* drive 00h, geometry from the image size */
#define VMXLAB_RAMDISK_DISK 2   /* drive 80h, LBA and a made-up CHS geometry */
#define VMXLAB_RAMDISK_CDROM 3  /* an El Torito image, 2048-byte sectors */
#define VMXLAB_MAX_RAMDISKS 4
struct vmxlab_ramdisk {
    uint32_t base, size; /* guest-physical, bytes */
    uint32_t kind;       /* VMXLAB_RAMDISK_* */
};
_Static_assert(sizeof(struct vmxlab_ramdisk) == 12, "RAM disk entry layout (rombios reads it)");

struct __attribute__((packed)) vmxlab_e820 {
    uint64_t base, len;
    uint32_t type; /* 1 RAM, 2 reserved */
};
_Static_assert(sizeof(struct vmxlab_e820) == 20, "E820 entry layout (INT 15h AX=E820h)");

/* A segment register as the VMCS holds it; ar in VMX access-rights format
 * (SDM 25.4.1: descriptor bits 40-47 in 7:0, 52-55 in 15:12, bit 16 unusable). */
struct vmxlab_seg {
    uint16_t sel, pad;
    uint32_t base, limit, ar;
};
_Static_assert(sizeof(struct vmxlab_seg) == 16, "vmxlab_seg layout");

enum { VMXLAB_SEG_ES, VMXLAB_SEG_CS, VMXLAB_SEG_SS, VMXLAB_SEG_DS, VMXLAB_SEG_FS, VMXLAB_SEG_GS };

struct vmxlab_context {
    uint32_t gpr[8]; /* EAX ECX EDX EBX ESP EBP ESI EDI */
    uint32_t eip, eflags;
    uint32_t cr0, cr3, cr4;
    uint32_t gdtr_base, gdtr_limit, idtr_base, idtr_limit;
    struct vmxlab_seg seg[6]; /* ES CS SS DS FS GS */
    struct vmxlab_seg tr, ldtr;
};
_Static_assert(sizeof(struct vmxlab_context) == 196, "vmxlab_context layout");

/* Instruction groups vmxassist counts; the hv prints op.<name>=N. (Kept in
 * rows by hand: clang-format would stair-step the list.) */
/* clang-format off */
#define VMXLAB_ASSIST_OPS(X)                                                                          \
    X(cli) X(sti) X(pushf) X(popf) X(int) X(int3) X(into) X(iret) X(in) X(out) X(ins) X(outs) X(hlt) \
    X(mov_cr) X(lmsw) X(smsw) X(lgdt) X(lidt) X(sgdt) X(sidt) X(clts) X(rdmsr) X(wrmsr) X(cpuid)     \
    X(wbinvd) X(invd) X(mov_sreg) X(push_sreg) X(pop_sreg) X(jmp_far) X(call_far) X(retf) X(other)
/* clang-format on */
#define VMXLAB_OP_ENUM(n) VMXLAB_OP_##n,
enum { VMXLAB_ASSIST_OPS(VMXLAB_OP_ENUM) VMXLAB_N_OPS };

/* vmxassist's counters (in its own memory; the hv reads them at power-off). */
struct vmxlab_assist_stats {
    uint32_t vm86_gp;       /* #GP faults taken from VM86 */
    uint32_t emulated;      /* instructions vmxassist emulated */
    uint32_t irqs;          /* hardware interrupts reflected to the guest's IVT */
    uint32_t stepped;       /* instructions single-stepped between setting PE and the far jump */
    uint32_t big_real;      /* segments returning to real mode with a limit above 64 KiB */
    uint32_t emu_fallback;  /* mode=emulate: instructions run natively because emu.c lacks them */
    uint32_t episodes;      /* assist: emulated stretches for segment bases VM86 cannot express */
    uint32_t episode_insns; /* ... and the instructions emulated in them */
    uint32_t op[VMXLAB_N_OPS];
};

/* ACPI power management (hv/acpi.c): the PM1 ports and the \_S5 sleep
 * type of the machine's own FADT and DSDT, or the PIIX4 defaults when it has
 * none. The hv traps pm1a_cnt; rombios's FADT and DSDT name the same ports
 * and type, so a guest's S5 lands on the trapped port. */
struct vmxlab_acpi {
    uint16_t pm1a_evt, pm1a_cnt, pm_tmr; /* I/O ports; pm1a_cnt 0: no ACPI */
    uint8_t s5_slp_typ;
    uint8_t from_machine; /* 1: read from the machine's tables, 0: PIIX4 defaults */
};
_Static_assert(sizeof(struct vmxlab_acpi) == 8, "ACPI block layout (rombios reads it)");

/* handoff.legacy (hv/legacy.c): what the machine lacks, for rombios's input. */
#define VMXLAB_LEGACY_NO_8042_FADT (1u << 0) /* the FADT's IAPC_BOOT_ARCH has no 8042 */
#define VMXLAB_LEGACY_NO_8042_PORT (1u << 1) /* port 64h reads FFh (or simulate=no-ps2) */
#define VMXLAB_LEGACY_NO_COM1 (1u << 2)      /* no UART at 3F8h (or simulate=no-com1) */
#define VMXLAB_LEGACY_NO_RTC (1u << 3)       /* the FADT says there is no CMOS RTC */

struct vmxlab_handoff {
    uint32_t magic;   /* VMXLAB_HANDOFF_MAGIC */
    uint16_t version; /* VMXLAB_HANDOFF_VERSION */
    uint16_t size;    /* sizeof(struct vmxlab_handoff) */
    /* -- filled by the hv -- */
    uint32_t mode, flags, boot_device;
    uint32_t ram_top; /* guest RAM above 1 MiB ends here; the hv's reservations follow */
    uint32_t n_e820;
    struct vmxlab_e820 e820[16];
    uint32_t firmware; /* VMXLAB_FIRMWARE_* */
    uint32_t n_ramdisks;
    struct vmxlab_ramdisk ramdisk[VMXLAB_MAX_RAMDISKS];
    /* -- filled by vmxloader -- */
    uint32_t rombios_size, vgabios_size, assist_size;
    /* -- filled by vmxassist when it starts -- */
    uint32_t assist_invoke, assist_stack;        /* entry point and ESP for an invoke */
    uint32_t assist_gdt, assist_idt, assist_tss; /* bases (limits below) */
    uint16_t assist_gdt_limit, assist_idt_limit;
    uint32_t assist_tss_limit;
    uint32_t assist_stats; /* guest-physical address of struct vmxlab_assist_stats */
    /* -- the switch context (see the top of this file) -- */
    struct vmxlab_context ctx;
    /* -- filled by the hv (version 3) -- */
    struct vmxlab_acpi acpi;
    /* -- filled by the hv (version 4) -- */
    uint32_t legacy; /* VMXLAB_LEGACY_* */
};
_Static_assert(sizeof(struct vmxlab_handoff) <= 0x1000, "the handoff block fits one page");

/* vmxassist's image starts with this header (at VMXLAB_ASSIST_ADDR). */
#define VMXLAB_ASSIST_MAGIC 0x54535341 /* "ASST" */
struct vmxlab_assist_header {
    uint32_t magic;
    uint32_t boot_entry; /* 32-bit PM entry from vmxloader, EBX = handoff */
    uint32_t size;
};

/* vmxassist's GDT layout (the hv loads these selectors on an invoke). */
#define VMXLAB_ASSIST_CS 0x08
#define VMXLAB_ASSIST_DS 0x10
#define VMXLAB_ASSIST_TR 0x18

#endif
