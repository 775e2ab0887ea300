/* vmcall.h - the guest <-> hv hypercall ABI and the guest entry protocol.
 *
 * A guest running at CPL 0 executes VMCALL with the call number in EAX/RAX and
 * arguments in EBX, ECX, EDX. The result comes back in EAX/RAX: a value >= 0 on
 * success, a negative VMXLAB_E* code on failure. Every other register is
 * preserved. Addresses passed to the hv are guest-physical.
 *
 * Version history: 1 = console write, power-off, statistics, version,
 * assist restore; IRQ replay (5) added for vmxassist without a version change
 * (only vmxassist, built with the hv, calls it), its ECX later widened to
 * both sets of vector bases the same way.
 */
#ifndef VMXLAB_VMCALL_H
#define VMXLAB_VMCALL_H

#define VMXLAB_ABI_VERSION 1

/* call numbers (EAX) */
#define VMCALL_VERSION 0       /* -> VMXLAB_ABI_VERSION */
#define VMCALL_CONSOLE_WRITE 1 /* EBX = guest-physical buffer, ECX = length -> bytes written */
#define VMCALL_POWER_OFF 2     /* EBX = exit status (0-255); does not return */
#define VMCALL_STATS                                                                                                   \
    3 /* prints the vmxlab-stats line -> total exits so far;
                              * EBX != 0: also fills a struct vmxlab_stats_summary there */
#define VMCALL_ASSIST_RESTORE                                                                                          \
    4 /* vmxassist only: EBX = guest-physical struct vmxlab_context;
                                 * the guest continues in that protected-mode context */
#define VMCALL_ASSIST_REPLAY_IRQ                                                                                       \
    5 /* vmxassist only: EBX = IRQs (bit n = IRQ n) whose requests a PIC
                                    * re-initialisation cleared, ECX = the guest's master | slave
                                    * vector base << 8 (protected mode) | vmxassist's master << 16 |
                                    * slave << 24 (while it runs real mode); the hv injects each once
                                    * RFLAGS.IF = 1, with the bases of the mode the guest is in then.
                                    * EAX = the IRQs it still owes (call again if the guest's bases
                                    * change meanwhile) */

/* error codes (EAX, as a negative number) */
#define VMXLAB_E_NOSYS (-38) /* unknown call number */
#define VMXLAB_E_FAULT (-14) /* buffer outside guest RAM */
#define VMXLAB_E_PERM (-1)   /* caller not at CPL 0 */
#define VMXLAB_E_INVAL (-22) /* bad argument */

/* Guest entry protocol (the flat test guests and vmxloader alike):
 * the guest module is a flat 32-bit binary copied to VMXLAB_GUEST_LOAD and
 * entered there in 32-bit protected mode, paging off (as the guest sees it),
 * flat 4 GiB CS/DS/ES/SS, interrupts off, ESP = VMXLAB_GUEST_LOAD,
 * EAX = VMXLAB_GUEST_MAGIC and EBX = the handoff block (include/vmxlab/handoff.h). */
#define VMXLAB_GUEST_LOAD 0x10000
#define VMXLAB_GUEST_MAX_SIZE 0x80000 /* up to 0x90000, below the EBDA */
#define VMXLAB_GUEST_MAGIC 0x4c584d56 /* "VMXL" */
/* A guest module whose bytes 4-7 are this magic (vmxloader) has its size in
 * bytes 8-11 and, in 12-15, the CRC-32 (IEEE, as zlib's) of the module with
 * those 4 bytes zero: the hv refuses it if either differs. Other modules
 * (the flat test guests) carry no header and are not checked. */
#define VMXLAB_LOADER_MAGIC 0x444c5856 /* "VXLD" */

/* Writing a byte to this port powers the machine off with that status, from
 * any guest mode (the hv traps it; QEMU's isa-debug-exit uses the same port). */
#define VMXLAB_PORT_POWEROFF 0xf4
/* Bytes written to this port go to the hv console (Bochs' 0xE9 hack port). */
#define VMXLAB_PORT_DEBUGCON 0xe9

/* Exit statuses the hv itself uses when it stops the machine. Guests choose
 * their own statuses; vmxlab's live at the top of the range to stay clear. */
#define VMXLAB_STATUS_NO_VMX 0x70      /* the CPU cannot run vmxlab */
#define VMXLAB_STATUS_BOOT_ERROR 0x71  /* bad multiboot info, module or option */
#define VMXLAB_STATUS_GUEST_CRASH 0x72 /* triple fault, EPT violation, unhandled exit */
#define VMXLAB_STATUS_ENTRY_FAIL 0x73  /* VM entry failed */
#define VMXLAB_STATUS_HV_FAULT 0x74    /* exception inside the hv */
#define VMXLAB_STATUS_BIOS_ERROR 0x75  /* the guest BIOS stopped: nothing to boot, or a fatal error */
#define VMXLAB_STATUS_WATCHDOG 0x77    /* no progress for watchdog=S seconds (hv/watchdog.c) */
#define VMXLAB_STATUS_GUEST_RESET 0x78 /* the guest reset the machine, and onreset=exit (hv/reset.c) */

#ifndef __ASSEMBLER__
#include <stdint.h>

/* What VMCALL_STATS writes at EBX (guest-physical) when EBX is not 0. */
struct vmxlab_stats_summary {
    uint32_t abi_version; /* VMXLAB_ABI_VERSION */
    uint32_t size;        /* sizeof(struct vmxlab_stats_summary) */
    uint64_t exits;       /* VM exits so far */
    uint64_t tsc;         /* TSC cycles since the guest was launched */
};
_Static_assert(sizeof(struct vmxlab_stats_summary) == 24, "vmxlab_stats_summary layout");
_Static_assert(VMXLAB_GUEST_LOAD + VMXLAB_GUEST_MAX_SIZE <= 0x90000, "guest image must end below the EBDA");
#endif

#endif
