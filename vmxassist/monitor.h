/* monitor.h - vmxassist's trap frame and its parts. */
#ifndef VMXASSIST_MONITOR_H
#define VMXASSIST_MONITOR_H
#include <stdint.h>
#include "emu.h"
#include "vmxlab/handoff.h"
#include "x86/cr.h" /* RFLAGS_* */

/* What the stubs in entry.asm leave on the stack; the last six fields exist
 * only for traps from VM86 (the CPU pushes them when leaving VM86). */
struct trap_frame {
    uint32_t edi, esi, ebp, esp_pushad, ebx, edx, ecx, eax; /* PUSHAD */
    uint32_t vector, error;
    uint32_t eip, cs, eflags; /* pushed by the CPU */
    uint32_t esp, ss, es, ds, fs, gs;
};
_Static_assert(sizeof(struct trap_frame) == 19 * 4, "FRAME_SIZE in entry.asm");

/* The real PIC's vectors while vmxassist runs the guest: clear of the exceptions. */
#define ASSIST_IRQ_BASE 0x20

extern struct vmxlab_handoff *handoff;
extern struct vmxlab_assist_stats assist_stats;

/* monitor.c */
void frame_to_cpu(const struct trap_frame *f, struct emu_cpu *c);
void cpu_to_frame(const struct emu_cpu *c, struct trap_frame *f);
__attribute__((noreturn, format(printf, 1, 2))) void assist_fatal(const char *fmt, ...);
void enter_vm86(struct trap_frame *f) __attribute__((noreturn));
void io_trap(uint16_t port, int trap); /* VM86 IN/OUT on `port` faults (#GP) into vmxassist */

/* pic.c: the guest programs the 8259s with vectors 08h/70h; the real ones
 * get ASSIST_IRQ_BASE while vmxassist runs and the guest's own bases in
 * protected mode. */
void pic_trap_ports(void); /* the TSS I/O bitmap entries pic.c needs */
void pic_use_assist_bases(void);
void pic_use_guest_bases(void);
int pic_guest_vector(unsigned irq);
int pic_port_write(uint16_t port, uint8_t val); /* 1 if the write was a trapped PIC port */

/* pmswitch.c: from setting CR0.PE to the far jump that enters protected mode */
void pe_window_enter(void);
int pe_window_start(struct trap_frame *f); /* 1: a #GP's MOV CR0 set PE and the window began */
int pe_window_active(void);
/* Returns 0 after arming one native step (EFLAGS.TF in f), does not return
 * when the far transfer entered protected mode, and returns 1 when the guest
 * cleared PE again first: *rm is then the real-mode CPU to go on with (its
 * hidden bases may be ones VM86 cannot express). */
int pe_window_continue(struct trap_frame *f, struct emu_cpu *rm);

extern const struct emu_ops ops;
extern uint32_t seg_limit[6]; /* the hidden real-mode limits (monitor.c) */
extern uint32_t guest_cr[5];
extern struct guest_dtr {
    uint32_t base;
    uint16_t limit;
} guest_gdtr, guest_idtr;

#endif
