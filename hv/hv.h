/* hv.h - the hv's global state: one guest, one virtual CPU. */
#ifndef HV_HV_H
#define HV_HV_H
#include <stddef.h>
#include <stdint.h>
#include "bootinfo.h"
#include "caps.h"
#include "options.h"
#include "x86/asm.h"
#include "x86/vmx.h"
#include "vmxlab/lab.h" /* lab_missing: the course lab's stubs, in every hv file */

/* Guest general-purpose registers as vmx_exit_entry (hv/entry.asm) pushes
 * them: indexed by the SDM's register numbers (0 = RAX ... 15 = R15), so the
 * GPR field of an exit qualification indexes gpr[] directly. Slot 4 (RSP)
 * is a placeholder: the guest's RSP lives in the VMCS. */
struct guest_regs {
    uint64_t gpr[16];
};
_Static_assert(sizeof(struct guest_regs) == 128, "entry.asm pushes exactly 16 registers");
enum { R_AX, R_CX, R_DX, R_BX, R_SP, R_BP, R_SI, R_DI };

/* What the guest believes its control registers hold. */
struct vcpu {
    uint64_t cr0, cr3, cr4, efer;
    int ug;              /* unrestricted guest enabled */
    int real_mode;       /* guest has CR0.PE=0 and (without UG) runs under vmxassist */
    int identity_paging; /* guest has CR0.PG=0 and runs on the hv's identity map */
    uint32_t procbased, procbased2, entry_ctls;
    uint64_t cr0_guest_owned; /* CR0 bits the guest changes without a VM exit (ug: PE, PG) */
    uint64_t launch_tsc;
    uint64_t exits, exit_count[EXIT_REASON_MAX];
    uint64_t to_real, to_prot; /* real <-> protected switches */
    uint64_t a20_switches;     /* guest A20 gate changes */
    uint64_t irqs_replayed;    /* IRQs a PIC re-initialisation lost, injected by the hv (irq.c) */
};

struct hv {
    struct boot_info boot;
    struct hv_options opt;
    struct cpu_caps caps;
    uint64_t phys_start, phys_end;                      /* the hv's own pages (not in the EPT) */
    uint64_t idmap_pd;                                  /* guest-physical page: 4 MiB identity PD for PG=0 guests */
    uint64_t guest_ram_top;                             /* RAM the guest's BIOS may report ends here (below the hv) */
    uint8_t *firmware;                                  /* hv pages backing guest-physical C0000-FFFFF */
    uint8_t *vga_window;                                /* and A0000-BFFFF below them, when fb.c draws the screen */
    struct vmxlab_ramdisk ramdisk[VMXLAB_MAX_RAMDISKS]; /* modules left in guest RAM, sorted by base */
    unsigned n_ramdisks;
    uint8_t cmos_index; /* last index written to CMOS_INDEX */
    uint64_t ept_pml4;
    struct vcpu vcpu;
};
extern struct hv hv;

/* Guest-physical C0000-FFFFF (option ROMs, vmxassist, handoff, BIOS) lives
 * in hv pages, so it is writable RAM even where the PC has ROM there. */
#define FIRMWARE_START 0xc0000
#define FIRMWARE_END 0x100000

/* mem.c */
void mem_init(uint64_t frame);
uint64_t virt_to_phys(const void *p);
void *page_alloc_zeroed(uint64_t *phys);
extern const struct page_alloc hv_pages;

/* cpu.c: the hv's own GDT, TSS and IDT */
void cpu_init(void);

/* vmx.c */
void vmx_enable(void);
void vmcs_init(uint32_t entry, uint32_t stack);
void vmcs_guest_init(uint32_t entry, uint32_t stack); /* the guest state alone (vmcs_init, a restart) */
/* The accessors are inline: a world switch reads and writes some 80 fields,
 * and a call per field cost more than the VMREAD/VMWRITE itself. */
__attribute__((noreturn, cold)) void vmcs_write_failed(uint32_t field);
static inline void vmcs_write(uint32_t field, uint64_t value)
{
    if (vmwrite_failed(field, value))
        vmcs_write_failed(field);
}
static inline uint64_t vmcs_read(uint32_t field) { return vmread_raw(field); }
__attribute__((noreturn)) void vmx_launch_guest(uint32_t ebx);
__attribute__((noreturn)) void vmx_relaunch_guest(uint32_t ebx);
void vcpu_update_paging(struct vcpu *v);
void vcpu_sync_cr3(struct vcpu *v);
void vcpu_sync_cr0(struct vcpu *v);

/* The width check: a field used with the wrong helper is a compile error. */
#define VMCS_CHECKED(f, w)                                                                                             \
    ({                                                                                                                 \
        _Static_assert(VMCS_FIELD_WIDTH(f) == (w), #f " has another width");                                           \
        (f);                                                                                                           \
    })
#define vmcs_write16(f, v) vmcs_write(VMCS_CHECKED(f, VMCS_WIDTH_16), (v))
#define vmcs_write32(f, v) vmcs_write(VMCS_CHECKED(f, VMCS_WIDTH_32), (v))
#define vmcs_write64(f, v) vmcs_write(VMCS_CHECKED(f, VMCS_WIDTH_64), (v))
#define vmcs_writel(f, v) vmcs_write(VMCS_CHECKED(f, VMCS_WIDTH_NATURAL), (v))
#define vmcs_read16(f) ((uint16_t)vmcs_read(VMCS_CHECKED(f, VMCS_WIDTH_16)))
#define vmcs_read32(f) ((uint32_t)vmcs_read(VMCS_CHECKED(f, VMCS_WIDTH_32)))
#define vmcs_read64(f) vmcs_read(VMCS_CHECKED(f, VMCS_WIDTH_64))
#define vmcs_readl(f) vmcs_read(VMCS_CHECKED(f, VMCS_WIDTH_NATURAL))

/* exit.c */
void vmx_handle_exit(struct guest_regs *r); /* entry.asm: r, the guest registers it pushed */
/* the VMCS's guest state, and r's registers unless r is NULL */
void dump_guest_state(const struct vcpu *v, const struct guest_regs *r, const char *why);
const char *guest_cpu_mode(const struct vcpu *v); /* vm86 real bigreal assist pm16 pm32 long */
extern const char guest_mode_assist[];            /* guest_cpu_mode's "assist" */

/* watchdog.c: watchdog=S, the VMX-preemption timer samples a guest that makes no progress */
void watchdog_init(void);                                              /* after vmcs_init */
void watchdog_progress(void);                                          /* every exit but the timer's */
void watchdog_timer(const struct vcpu *v, const struct guest_regs *r); /* a timer expiry: a sample when due */

/* ptimer.c: the VMX-preemption timer, shared by the watchdog and fb.c */
int ptimer_want(uint64_t tsc_cycles); /* expiries at least this often; -1 when the CPU has no timer */
int ptimer_saved(void);               /* 1: the count goes on across exits; 0: each entry restarts it */
unsigned ptimer_rate(void);           /* the timer counts once every 2^rate TSC cycles */
void ptimer_expired(const struct vcpu *v, const struct guest_regs *r); /* a timer exit: each user's turn */

/* apic.c: the x2APIC and xAPIC ICR, with IPIs to the other CPUs blocked */
void apic_trap_msrs(void (*trap)(uint32_t msr));
int apic_msr(int write, uint32_t msr, uint64_t *val, int *gp); /* 1 if it was the ICR's or IA32_APIC_BASE */
uint64_t apic_ept_page(void);                /* the xAPIC page the EPT maps read-only (at build time) */
int apic_ept_write(uint64_t gpa, int write); /* an EPT violation: 1 if it was a write to that page */
int apic_step_done(void);                    /* a #DB exit: 1 if it ended such a write */
uint64_t apic_blocked_ipis(void);

/* dma.c: the IDE bus master, refused DMA that touches the hv */
void dma_trap_ports(void (*trap)(uint16_t port)); /* find the controller (PCI bus 0), trap its ports and PCI data */
int dma_io(uint16_t port, int in, unsigned size, uint32_t *val); /* 1 if handled */
uint64_t dma_blocked(void);

/* reset.c: a guest's machine reset, onreset=exit|restart */
void reset_save_guest(const void *image, uint32_t size); /* onreset=restart: keep vmxloader for restarts */
__attribute__((noreturn)) void guest_reset(const char *how);
unsigned reset_restarts(void);

/* guestmem.c: a pointer to [gpa, gpa+len) if it is all guest RAM (C0000-FFFFF: the hv pages behind it;
 * never the hv's own), else NULL */
void *guest_ram(uint64_t gpa, uint64_t len);

/* assist.c: the world switch with vmxassist */
struct vmxlab_handoff *handoff(void);
void handoff_init(void);
void assist_invoke(struct vcpu *v, const struct guest_regs *r, uint64_t new_cr0); /* guest cleared CR0.PE (no UG) */
int assist_restore(struct vcpu *v, struct guest_regs *r, uint64_t ctx_gpa);       /* VMCALL_ASSIST_RESTORE */
void assist_check_restore(const struct vcpu *v, uint64_t ctx_gpa); /* ends the run on a context entry would refuse */
uint64_t cr4_supported(void);                                      /* the CR4 bits the guest may set (exit.c) */

/* cmos.c: the RTC/CMOS ports, with memory size and boot order virtualised */
void cmos_trap_ports(void (*trap)(uint16_t port));
int cmos_io(uint16_t port, int in, uint32_t *val); /* 1 if handled */

/* a20.c: the A20 gate stays on in hardware; the guest's A20 is an EPT alias */
void a20_trap_ports(void (*trap)(uint16_t port));
int a20_io(uint16_t port, int in, unsigned size, uint32_t *val); /* 1 if handled */
void a20_reset(void);                                            /* A20 on, the 8042 sequences forgotten (a restart) */

struct vmxlab_handoff;
/* irq.c */
int irq_replay(struct vcpu *v, uint32_t lost, uint32_t bases); /* VMCALL_ASSIST_REPLAY_IRQ: the IRQs still owed */
void irq_deliver(struct vcpu *v);                              /* inject one if the guest can take it */
int irq_pending(void);
void irq_reset(void); /* nothing owed (a restart) */

/* acpi.c: the machine's ACPI tables; its PM1a control port trapped, S5 is power-off */
void acpi_init(void);                                              /* at boot: read the machine's tables */
uint64_t acpi_rsdp(void);                                          /* the machine's RSDP (after acpi_init), or 0 */
const void *acpi_phys_map(void *ctx, uint64_t phys, uint32_t len); /* lib/acpi.c's map: the identity map */

/* intr.c: the legacy interrupt route (local APIC virtual wire, I/O APICs
 * masked) set up and IRQ 0 seen to arrive, before the guest starts */
#define HV_IRQ_VECTOR_BASE 0x30 /* the PICs' vectors during the check (entry.asm's irq_stub) */
#define HV_SPURIOUS_VECTOR 0xff /* the local APIC's spurious vector */
void intr_init(void);

/* legacy.c: the 8042, COM1 and the RTC, which a CSM-less PC may lack */
void legacy_init(void);                        /* after acpi_init: look, and say what was found */
void legacy_handoff(struct vmxlab_handoff *h); /* handoff.legacy for rombios */
/* acpi.c, continued */
void acpi_handoff(struct vmxlab_handoff *h); /* the ports and \_S5 type for rombios */
void acpi_trap_ports(void (*trap)(uint16_t port));
void acpi_out(uint16_t port, unsigned size, uint32_t *val); /* any trapped OUT: may power off or edit *val */
void acpi_machine_off(void);                                /* the machine's own S5, if it has one */

/* screen.c */
void screen_dump(void);

/* stats.c */
void stats_print(void);

/* power.c: print the status and stop the machine (emulators exit). */
__attribute__((noreturn)) void power_off(int status);
void bochs_shutdown_out(uint8_t c); /* a guest byte to port 0x8900: "Shutdown" powers off (status 0) */
/* A fatal error: one line, the statistics if a guest ran, then power-off. */
__attribute__((noreturn, format(printf, 2, 3))) void hv_fatal(int status, const char *fmt, ...);

/* entry.asm */
int vmx_launch(struct guest_regs *r); /* returns only on failure: 1 = VMfailInvalid, 2 = VMfailValid */
extern char vmx_exit_entry[];
extern char hv_exit_stack_top[];

#endif
