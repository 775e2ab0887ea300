/* monitor.c - vmxassist, the in-guest VM8086 monitor.
 *
 * It owns the guest while the guest is in real mode (no unrestricted guest):
 * the real-mode code runs in VM86 at IOPL 3 with CR4.VME (the hv sets it),
 * so CLI/STI/PUSHF/POPF/IRET and INT n run without faults; what still faults
 * (#GP) - HLT, port I/O on the few ports pic.c traps, control registers, LGDT/LIDT,
 * INT3/INTO, MSRs - is emulated here by emu.c. Hardware interrupts arrive in
 * vmxassist's IDT and are reflected to the guest's IVT. */
#include <stdarg.h>
#include "fmt.h"
#include "monitor.h"
#include "string.h"
#include "vmxlab/guest.h"
#include "vmxlab/lab.h"
#include "x86/asm.h"
#include "x86/cr.h"
#include "x86/exception.h"
#include "x86/segment.h"

struct vmxlab_handoff *handoff;
struct vmxlab_assist_stats assist_stats;

struct __attribute__((packed)) tss32 {
    uint32_t link, esp0, ss0, esp1, ss1, esp2, ss2, cr3, eip, eflags;
    uint32_t gpr[8], seg[6], ldt;
    uint16_t trap, iomap_base;
    uint8_t redirect[32]; /* VME interrupt redirection bitmap: 0 = to the IVT */
    uint8_t iomap[8192];  /* 1 = the port traps (#GP) in VM86 */
    uint8_t iomap_end;    /* must be 0xff (SDM 20.5.2) */
};
_Static_assert(__builtin_offsetof(struct tss32, redirect) == 104, "32-bit TSS layout (SDM 9.2.1)");

static uint64_t gdt[4] __attribute__((aligned(8)));
static uint64_t idt[256] __attribute__((aligned(8)));
static struct tss32 tss __attribute__((aligned(16)));
extern const uint32_t vector_stubs[256];
extern char assist_stack_top[], __assist_end[];
/* The lowest word of vmxassist's stack: overwritten only by a stack that
 * ran over its 6 KiB (into the data below it, then the emulator's callbacks). */
extern uint32_t assist_stack_bottom[];
#define STACK_CANARY 0x5afe57acu
void assist_invoke_entry(void);

static int booting;
static int fallback_step; /* one instruction running natively under EFLAGS.TF */
/* The hidden segment limits. VM86 enforces 64 KiB, but real mode keeps
 * whatever limit protected mode left (big or "unreal" mode): an access past
 * 64 KiB faults in VM86 and is emulated here with the real limit. */
uint32_t seg_limit[6] = { 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff };
/* No-progress detector: the same CS:IP faulting again and again, with no
 * other instruction faulting in between (the guest's fault handler may trap
 * and be emulated meanwhile: it does not count as progress). */
static uint32_t last_fault_ip = ~0u;
static unsigned same_fault_count;
#define NO_PROGRESS_LIMIT 1000
static volatile int pending_vector = -1; /* an IRQ taken while vmxassist itself waited */
/* mode=emulate lets IRQs in between batches of at most this many
 * instructions while the guest's IF is set (a batch also ends when the
 * guest changes IF): never inside an instruction, so an IRQ is never taken
 * that the guest could no longer accept. */
#define IRQ_WINDOW_INSNS 32
uint32_t guest_cr[5]; /* the guest's view of CR0-CR4 */
struct guest_dtr guest_gdtr, guest_idtr;

void assist_fatal(const char *fmt, ...)
{
    char buf[200];
    va_list ap;
    va_start(ap, fmt);
    fmt_vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    gprintf("vmxassist: error: %s\n", buf);
    guest_power_off(0x72);
}

void io_trap(uint16_t port, int trap)
{
    if (trap)
        tss.iomap[port >> 3] |= (uint8_t)(1u << (port & 7));
    else
        tss.iomap[port >> 3] &= (uint8_t) ~(1u << (port & 7));
}

/* GDT, IDT and TSS; then tell the hv how to enter us. */
static void setup_world(void)
{
    const uint32_t flat32 = VMX_AR_G | VMX_AR_DB | VMX_AR_P | VMX_AR_S;
    gdt[1] = SEG_DESC(0, 0xfffff, flat32 | SEG_TYPE_CODE | SEG_TYPE_RW);          /* VMXLAB_ASSIST_CS */
    gdt[2] = SEG_DESC(0, 0xfffff, flat32 | SEG_TYPE_RW);                          /* VMXLAB_ASSIST_DS */
    gdt[3] = SEG_DESC((uint32_t)&tss, sizeof tss - 1, VMX_AR_P | SEG_TYPE_TSS32); /* VMXLAB_ASSIST_TR */
    for (unsigned v = 0; v < 256; v++) /* interrupt gates, DPL 0: INT n from VM86 without VME faults */
        idt[v] = (vector_stubs[v] & 0xffff) | ((uint64_t)VMXLAB_ASSIST_CS << 16) |
                 ((uint64_t)(VMX_AR_P | SEG_TYPE_INTR_GATE32) << 40) | ((uint64_t)(vector_stubs[v] >> 16) << 48);
    tss.esp0 = (uint32_t)assist_stack_top;
    tss.ss0 = VMXLAB_ASSIST_DS;
    tss.iomap_base = __builtin_offsetof(struct tss32, iomap);
    tss.iomap_end = 0xff;
    pic_trap_ports(); /* every other port runs natively in VM86 */

    struct __attribute__((packed)) {
        uint16_t limit;
        uint32_t base;
    } g = { sizeof gdt - 1, (uint32_t)gdt }, i = { sizeof idt - 1, (uint32_t)idt };
    __asm__ volatile("lgdt %0; lidt %1" : : "m"(g), "m"(i));
    __asm__ volatile("ljmp %0, $1f; 1: movw %w1, %%ds; movw %w1, %%es; movw %w1, %%ss; movw %w1, %%fs; movw %w1, %%gs"
                     :
                     : "i"(VMXLAB_ASSIST_CS), "r"(VMXLAB_ASSIST_DS));
    __asm__ volatile("ltr %w0" : : "r"(VMXLAB_ASSIST_TR));

    handoff->assist_invoke = (uint32_t)assist_invoke_entry;
    handoff->assist_stack = (uint32_t)assist_stack_top;
    handoff->assist_gdt = (uint32_t)gdt;
    handoff->assist_gdt_limit = sizeof gdt - 1;
    handoff->assist_idt = (uint32_t)idt;
    handoff->assist_idt_limit = sizeof idt - 1;
    handoff->assist_tss = (uint32_t)&tss;
    handoff->assist_tss_limit = sizeof tss - 1;
    handoff->assist_stats = (uint32_t)&assist_stats;
}

void frame_to_cpu(const struct trap_frame *f, struct emu_cpu *c)
{
    const uint32_t sel[6] = { f->es, f->cs, f->ss, f->ds, f->fs, f->gs };
    c->gpr[EMU_EAX] = f->eax;
    c->gpr[EMU_ECX] = f->ecx;
    c->gpr[EMU_EDX] = f->edx;
    c->gpr[EMU_EBX] = f->ebx;
    c->gpr[EMU_ESP] = f->esp;
    c->gpr[EMU_EBP] = f->ebp;
    c->gpr[EMU_ESI] = f->esi;
    c->gpr[EMU_EDI] = f->edi;
    c->eip = f->eip;
    c->eflags = f->eflags;
    for (unsigned i = 0; i < 6; i++)
        c->seg[i] = (struct emu_seg){ (uint16_t)sel[i], (sel[i] & 0xffff) << 4, seg_limit[i] };
    c->cr0 = guest_cr[0];
    c->cr2 = guest_cr[2];
    c->cr3 = guest_cr[3];
    c->cr4 = guest_cr[4];
    c->gdtr.base = guest_gdtr.base;
    c->gdtr.limit = guest_gdtr.limit;
    c->idtr.base = guest_idtr.base;
    c->idtr.limit = guest_idtr.limit;
}

static void gprs_to_frame(const uint32_t gpr[8], struct trap_frame *f)
{
    f->eax = gpr[EMU_EAX];
    f->ecx = gpr[EMU_ECX];
    f->edx = gpr[EMU_EDX];
    f->ebx = gpr[EMU_EBX];
    f->esp = gpr[EMU_ESP];
    f->ebp = gpr[EMU_EBP];
    f->esi = gpr[EMU_ESI];
    f->edi = gpr[EMU_EDI];
}

void cpu_to_frame(const struct emu_cpu *c, struct trap_frame *f)
{
    gprs_to_frame(c->gpr, f);
    f->eip = c->eip;
    /* VM86 keeps running at IOPL 3; VM itself is not the guest's to change */
    f->eflags = (c->eflags & ~RFLAGS_IOPL) | RFLAGS_VM | RFLAGS_IOPL;
    f->es = c->seg[EMU_ES].sel;
    f->cs = c->seg[EMU_CS].sel;
    f->ss = c->seg[EMU_SS].sel;
    f->ds = c->seg[EMU_DS].sel;
    f->fs = c->seg[EMU_FS].sel;
    f->gs = c->seg[EMU_GS].sel;
    guest_cr[0] = c->cr0;
    guest_cr[2] = c->cr2;
    guest_cr[3] = c->cr3;
    guest_cr[4] = c->cr4;
    guest_gdtr.base = c->gdtr.base;
    guest_gdtr.limit = c->gdtr.limit;
    guest_idtr.base = c->idtr.base;
    guest_idtr.limit = c->idtr.limit;
}

/* ---- what the emulator may touch: with the guest's paging off, linear = physical ---- */

/* The emulator's hot path (every instruction fetch and operand): whole
 * words where it can, since x86 allows unaligned access. */
static int op_read(void *ctx, uint32_t lin, void *buf, unsigned len)
{
    (void)ctx;
    if (len == 1)
        *(uint8_t *)buf = *(const volatile uint8_t *)lin;
    else if (len == 2)
        *(uint16_t *)buf = *(const volatile uint16_t *)lin;
    else if (len == 4)
        *(uint32_t *)buf = *(const volatile uint32_t *)lin;
    else
        memcpy(buf, (const void *)lin, len);
    return 0;
}

/* vmxassist's own 64 KiB (E820-reserved): a guest write there would land
 * on the monitor's code, stack or TSS. */
static int in_assist(uint32_t lin, unsigned len)
{
    return lin < VMXLAB_ASSIST_ADDR + 0x10000 && lin + len > VMXLAB_ASSIST_ADDR;
}

/* The decode cache's pages (handoff.h, E820-reserved too): a guest write
 * there is done, and the cache starts empty again. */
#define assist_icache ((struct emu_icache *)VMXLAB_ASSIST_CACHE)
_Static_assert(sizeof(struct emu_icache) <= VMXLAB_ASSIST_CACHE_SIZE, "the decode cache fits E1000-EFFFF");
static int in_cache(uint32_t lin, unsigned len)
{
    return lin < VMXLAB_ASSIST_CACHE + VMXLAB_ASSIST_CACHE_SIZE && lin + len > VMXLAB_ASSIST_CACHE;
}

static int op_write(void *ctx, uint32_t lin, const void *buf, unsigned len)
{
    (void)ctx;
    if (in_assist(lin, len))
        assist_fatal("the guest wrote to 0x%x, inside vmxassist (0x%x-0x%x, reserved in the E820 map); "
                     "stopped before it overwrote the monitor",
                     lin, VMXLAB_ASSIST_ADDR, VMXLAB_ASSIST_ADDR + 0xffff);
    if (len == 1)
        *(volatile uint8_t *)lin = *(const uint8_t *)buf;
    else if (len == 2)
        *(volatile uint16_t *)lin = *(const uint16_t *)buf;
    else if (len == 4)
        *(volatile uint32_t *)lin = *(const uint32_t *)buf;
    else
        memcpy((void *)lin, buf, len);
    if (in_cache(lin, len))
        memset(assist_icache, 0, sizeof *assist_icache);
    return 0;
}

static uint32_t read_cr2(void)
{
    uint32_t v;
    __asm__ volatile("mov %%cr2, %0" : "=r"(v));
    return v;
}

static uint32_t op_in(void *ctx, uint16_t port, unsigned size)
{
    (void)ctx;
    return size == 1 ? inb(port) : size == 2 ? inw(port) : inl(port);
}

static void op_out(void *ctx, uint16_t port, unsigned size, uint32_t v)
{
    (void)ctx;
    if (size == 1 && pic_port_write(port, (uint8_t)v))
        return;
    if (size == 1)
        outb(port, (uint8_t)v);
    else if (size == 2)
        outw(port, (uint16_t)v);
    else
        outl(port, v);
}

/* Control-register writes reach the hv (they exit), which keeps the guest's
 * view in the read shadows; setting PE is the emulator's EMU_PE_SET. */
static int op_write_cr(void *ctx, struct emu_cpu *c, unsigned cr, uint32_t v)
{
    (void)ctx;
    (void)c;
    switch (cr) {
    case 0:
        if (!(v & CR0_PE))
            __asm__ volatile("mov %0, %%cr0" : : "r"(v));
        break;
    case 3: __asm__ volatile("mov %0, %%cr3" : : "r"(v)); break;
    case 4:
        if (v & CR4_VMXE)
            return -1; /* VMXE: the guest has no VMX */
        __asm__ volatile("mov %0, %%cr4" : : "r"(v));
        break;
    }
    return 0;
}

static int op_rdmsr(void *ctx, uint32_t msr, uint64_t *v)
{
    (void)ctx;
    *v = rdmsr(msr);
    return 0;
}

static int op_wrmsr(void *ctx, uint32_t msr, uint64_t v)
{
    (void)ctx;
    wrmsr(msr, v);
    return 0;
}

static void op_cpuid(void *ctx, uint32_t leaf, uint32_t sub, uint32_t out[4])
{
    (void)ctx;
    cpuid(leaf, sub, out);
}

/* MOV DRn: the guest's debug registers are the CPU's own (vmxassist runs
 * in the guest at CPL 0; MOV DR does not exit), so a breakpoint real-mode
 * code arms fires when its VM86 code reaches it (reflected through the
 * IVT as INT 1). entry.asm's assist_dr_stubs: 4 bytes a stub, DRn's read
 * at 8n, its write at 8n + 4, the value in EAX. */
static uint32_t op_mov_dr(void *ctx, unsigned dr, int write, uint32_t v)
{
    extern const char assist_dr_stubs[];
    (void)ctx;
    __asm__ volatile("call *%1" : "+a"(v) : "r"(assist_dr_stubs + dr * 8 + (write ? 4 : 0)) : "memory");
    return v;
}

/* HLT: wait here with interrupts on; the IRQ that wakes us is reflected to
 * the guest as if it had arrived after the HLT. With the guest's IF clear a
 * real CPU would stop for good, and so does the hv (with a report). */
static void op_halt(void *ctx, struct emu_cpu *c)
{
    const struct emu_ops *ops = ctx;
    if (!(c->eflags & RFLAGS_IF)) {
        __asm__ volatile("hlt");
        return;
    }
    pending_vector = -1;
    __asm__ volatile("sti; hlt; cli" ::: "memory");
    if (pending_vector >= 0) {
        emu_real_mode_interrupt(c, ops, (unsigned)pending_vector);
        assist_stats.irqs++;
        pending_vector = -1;
    }
}

/* The statistics slot (VMXLAB_OP_*) of each emulator instruction id
 * (emu.h's EMU_INSN_*), filled once at boot by name. */
static uint8_t op_map[EMU_N_INSN];

/* Guest RAM is the emulator's to touch directly (linear = physical), except
 * vmxassist's own 64 KiB, where op_write stops the run, and the E0000 segment
 * after it (the handoff block, the decode cache), written through op_write.
 * One constant table, handed to the emulator with each call; its context is
 * the table itself (op_halt reflects an IRQ through it). */
const struct emu_ops ops = { .ctx = (void *)&ops,
                             .read = op_read,
                             .write = op_write,
                             .in = op_in,
                             .out = op_out,
                             .write_cr = op_write_cr,
                             .rdmsr = op_rdmsr,
                             .wrmsr = op_wrmsr,
                             .halt = op_halt,
                             .cpuid = op_cpuid,
                             .mov_dr = op_mov_dr,
                             .ram = 0,
                             .ram_end = 0xffffffffu,
                             .wtrap_lo = VMXLAB_ASSIST_ADDR,
                             .wtrap_hi = VMXLAB_ASSIST_CACHE + VMXLAB_ASSIST_CACHE_SIZE,
                             .icache = assist_icache,
                             .op_counts = assist_stats.op,
                             .op_map = op_map };

static void map_ops(void)
{
    static const char *const op_names[] = {
#define OP_NAME(n) #n,
        VMXLAB_ASSIST_OPS(OP_NAME)
    };
    for (unsigned id = 0; id < EMU_N_INSN; id++) {
        const char *name = emu_insn_id_name(id);
        unsigned k;
        for (k = 0; k < VMXLAB_N_OPS - 1; k++)
            if (!strncmp(op_names[k], name, 16) && !name[strlen(op_names[k])])
                break;
        op_map[id] = (uint8_t)k;
    }
}

/* Count an emulated instruction under its group (emu_run counts its own). */
static void count_op(const struct emu_insn *i) { assist_stats.op[op_map[i->id]]++; }

/* An exception the emulated instruction raised: through the guest's IVT, as
 * a real-mode CPU would. The same CS:IP faulting NO_PROGRESS_LIMIT times in a
 * row (the handler returns to it) ends the run with the bytes there. */
static void deliver_fault(struct emu_cpu *c, const struct emu_insn *i, int fault)
{
    /* LAB 4: BEGIN exercise 2 (exceptions of emulated instructions) */
    uint32_t ip = ((uint32_t)c->seg[EMU_CS].sel << 16) | (c->eip & 0xffff);
    same_fault_count = ip == last_fault_ip ? same_fault_count + 1 : 0;
    last_fault_ip = ip;
    if (same_fault_count >= NO_PROGRESS_LIMIT)
        assist_fatal("no progress: %04x:%04x raised exception %d %u times (bytes %02x %02x %02x %02x %02x %02x "
                     "%02x %02x %02x %02x %02x %02x %02x %02x %02x %02x)",
                     c->seg[EMU_CS].sel, c->eip, fault, NO_PROGRESS_LIMIT, i->bytes[0], i->bytes[1], i->bytes[2],
                     i->bytes[3], i->bytes[4], i->bytes[5], i->bytes[6], i->bytes[7], i->bytes[8], i->bytes[9],
                     i->bytes[10], i->bytes[11], i->bytes[12], i->bytes[13], i->bytes[14],
                     *(uint8_t *)(c->seg[EMU_CS].base + c->eip + 15));
    if (emu_real_mode_interrupt(c, &ops, (unsigned)fault))
        assist_fatal("exception %d at %04x:%04x cannot be delivered: the guest's stack at %04x:%04x is unusable", fault,
                     c->seg[EMU_CS].sel, c->eip, c->seg[EMU_SS].sel, c->gpr[EMU_ESP] & 0xffff);
    /* LAB 4: STUB (void)c; */
    /* LAB 4: STUB (void)i; */
    /* LAB 4: STUB (void)fault; */
    /* LAB 4: END */
}

/* A #GP from VM86: emulate the instruction that faulted. */
static void emulate_fault(struct trap_frame *f)
{
    struct emu_cpu c;
    struct emu_insn i;
    int fault = 0;
    frame_to_cpu(f, &c);
    enum emu_result r = emu_step(&c, &ops, &i, &fault);
    switch (r) {
    case EMU_OK:
    case EMU_PE_SET:
        if (((f->cs << 16) | (f->eip & 0xffff)) == last_fault_ip)
            same_fault_count = 0;
        assist_stats.emulated++;
        count_op(&i);
        cpu_to_frame(&c, f);
        if (r == EMU_PE_SET)
            pe_window_enter();
        return;
    case EMU_FAULT: /* deliver it as a real-mode CPU would: through the IVT */
        deliver_fault(&c, &i, fault);
        cpu_to_frame(&c, f);
        return;
    case EMU_UNSUPPORTED:
    default:
        assist_fatal("cannot emulate the instruction at %04x:%04x (bytes %02x %02x %02x %02x %02x %02x %02x %02x)",
                     f->cs, f->eip, i.bytes[0], i.bytes[1], i.bytes[2], i.bytes[3], i.bytes[4], i.bytes[5], i.bytes[6],
                     i.bytes[7]);
    }
}

/* 1 if every segment base is its selector * 16, the only base VM86 has. */
static int vm86_can_express(const struct emu_cpu *c)
{
    for (unsigned s = 0; s < 6; s++)
        if (c->seg[s].base != (uint32_t)c->seg[s].sel << 4)
            return 0;
    return 1;
}

/* mode=emulate (docs/history.md): every real-mode instruction is
 * interpreted here, never run in VM86; hardware interrupts are let in at
 * instruction boundaries while the guest's (virtual) IF is set. An
 * instruction the emulator does not have yet runs natively in VM86 for one
 * step (EFLAGS.TF), counted as emu_fallback.
 * In assist mode the same loop runs an episode: `start` (may be NULL: take
 * the frame) carries hidden segment bases VM86 cannot express, and the loop
 * hands back to VM86 as soon as every segment has been reloaded to a
 * VM86-compatible base. */
static __attribute__((noreturn)) void run_emulated(struct trap_frame *f, const struct emu_cpu *start)
{
    struct emu_cpu c;
    int episode = handoff->mode != VMXLAB_MODE_EMULATE;
    if (start)
        c = *start;
    else
        frame_to_cpu(f, &c);
    for (;;) {
        if (episode && vm86_can_express(&c)) {
            cpu_to_frame(&c, f);
            enter_vm86(f);
        }
        if (c.eflags & RFLAGS_IF) { /* the interrupt window between two batches */
            __asm__ volatile("sti; nop; cli" ::: "memory");
            if (pending_vector >= 0) {
                emu_real_mode_interrupt(&c, &ops, (unsigned)pending_vector);
                pending_vector = -1;
                assist_stats.irqs++;
            }
        }
        struct emu_run run;
        /* an episode hands back to VM86 as soon as it can: one at a time;
         * after a fault, stop when the faulting instruction went through */
        run.max = episode ? 1 : (c.eflags & RFLAGS_IF) ? IRQ_WINDOW_INSNS : ~0u;
        run.stop_lin = last_fault_ip == ~0u ? ~0u : ((last_fault_ip >> 16) << 4) + (last_fault_ip & 0xffff);
        run.fault = 0;
        enum emu_result r = emu_run(&c, &ops, &run);
        assist_stats.emulated += run.done;
        if (episode)
            assist_stats.episode_insns += run.done + (r != EMU_OK && r != EMU_PE_SET);
        if (r == EMU_OK) {
            if (run.done && run.last_lin == run.stop_lin) /* the faulting instruction went through at last */
                same_fault_count = 0;
            continue;
        }
        if (r == EMU_FAULT) {
            deliver_fault(&c, &run.insn, run.fault);
            continue;
        }
        cpu_to_frame(&c, f);
        if (r == EMU_PE_SET) {
            pe_window_enter();
            /* ends in protected mode, asks for one native step, or the guest
             * cleared PE again: then go on here with the state it left */
            if (pe_window_continue(f, &c))
                continue;
        } else {
            assist_stats.emu_fallback++;
            fallback_step = 1;
            f->eflags |= RFLAGS_TF;
        }
        enter_vm86(f);
    }
}

/* After a PE window that ended with PE cleared (no far jump): VM86 if it
 * can express the segments the window left, else an episode. */
static void resume_real_mode(struct trap_frame *f, const struct emu_cpu *c)
{
    cpu_to_frame(c, f);
    if (handoff->mode == VMXLAB_MODE_EMULATE || !vm86_can_express(c)) {
        if (handoff->mode != VMXLAB_MODE_EMULATE)
            assist_stats.episodes++;
        run_emulated(f, c);
    }
}

/* Give the guest vector `v` as a real-mode interrupt at the VM86 boundary. */
static void reflect(struct trap_frame *f, unsigned v)
{
    struct emu_cpu c;
    frame_to_cpu(f, &c);
    if (emu_real_mode_interrupt(&c, &ops, v))
        assist_fatal("cannot deliver vector 0x%x: the guest's stack at %04x:%04x is unusable", v, f->ss, f->esp);
    cpu_to_frame(&c, f);
}

/* An exception the guest's real-mode code raised while running in VM86
 * (#DE, #DB, #BP, #UD, #SS ...; #GP goes to the emulator): it reached
 * vmxassist's IDT as a protected-mode exception, with an error code for some
 * vectors. A real-mode CPU takes it through the IVT instead, with FLAGS, CS
 * and IP on the guest's stack and no error code (SDM Vol. 3B, 20.1.4). */
static void reflect_exception(struct trap_frame *f, unsigned v)
{
    /* LAB 4: BEGIN exercise 1 (exceptions through the guest's IVT) */
    reflect(f, v);
    /* LAB 4: STUB (void)f; */
    /* LAB 4: STUB (void)v; */
    /* LAB 4: END */
}

void assist_trap(struct trap_frame *f)
{
    unsigned v = f->vector;
    if (assist_stack_bottom[0] != STACK_CANARY)
        assist_fatal("vmxassist's stack ran over its %u bytes (vector %u at 0x%x)",
                     (unsigned)(assist_stack_top - (char *)assist_stack_bottom), v, f->eip);
    int irq = v >= ASSIST_IRQ_BASE && v < ASSIST_IRQ_BASE + 16 ? (int)(v - ASSIST_IRQ_BASE) : -1;
    if (!(f->eflags & RFLAGS_VM)) { /* vmxassist's own code was interrupted */
        if (irq >= 0) {
            pending_vector = pic_guest_vector((unsigned)irq);
            f->eflags &= ~RFLAGS_IF; /* keep further IRQs pending until the guest runs */
            return;
        }
        assist_fatal("exception %u (error 0x%x) inside vmxassist at 0x%x", v, f->error, f->eip);
    }
    if (irq >= 0) {
        assist_stats.irqs++;
        reflect(f, (unsigned)pic_guest_vector((unsigned)irq));
    } else if (v == VECTOR_GP) {
        assist_stats.vm86_gp++;
        if (!pe_window_start(f))
            emulate_fault(f);
        if (pe_window_active()) {
            struct emu_cpu c;
            if (pe_window_continue(f, &c))
                resume_real_mode(f, &c);
        } else if (handoff->mode == VMXLAB_MODE_EMULATE && !fallback_step)
            run_emulated(f, 0);
    } else if (v == VECTOR_PF && (in_assist(read_cr2(), 1) || in_cache(read_cr2(), 1))) {
        /* VM86 code touched vmxassist's supervisor-only slot or decode cache
         * (the hv's identity page table): a read is emulated, a write stops
         * the run (the slot) or empties the cache (op_write) */
        emulate_fault(f);
    } else if (v == VECTOR_DB && pe_window_active()) {
        struct emu_cpu c;
        f->eflags &= ~RFLAGS_TF;
        if (pe_window_continue(f, &c))
            resume_real_mode(f, &c);
    } else if (v == VECTOR_DB && fallback_step) {
        fallback_step = 0;
        f->eflags &= ~RFLAGS_TF; /* the one native step is done */
        if (handoff->mode == VMXLAB_MODE_EMULATE)
            run_emulated(f, 0); /* back to interpreting */
    } else {
        reflect_exception(f, v);
    }
}

/* The guest cleared CR0.PE: the hv saved its context in handoff->ctx. */
void assist_invoke(struct trap_frame *f)
{
    const struct vmxlab_context *x = &handoff->ctx;
    int expressible = 1;
    if (booting) { /* the CPU's state after RESET (SDM 10.1.1), at the reset vector */
        booting = 0;
        memset(f, 0, sizeof *f);
        f->eip = 0xfff0;
        f->cs = 0xf000;
        f->edx = 0x600; /* family 6 */
        f->eflags = 2;
        guest_cr[0] = CR0_CD | CR0_NW | CR0_ET; /* 60000010h */
    } else {
        if (x->seg[VMXLAB_SEG_CS].ar & VMX_AR_DB) /* 32-bit default operand and address size */
            assist_fatal("CR0.PE was cleared in a 32-bit code segment (%04x:%08x): the code up to the far "
                         "jump would run with 32-bit defaults, which neither VM86 nor the emulator do; "
                         "clear PE from a 16-bit code segment, or use mode=ug",
                         x->seg[VMXLAB_SEG_CS].sel, x->eip);
        gprs_to_frame(x->gpr, f);
        f->eip = x->eip;
        f->eflags = x->eflags;
        uint32_t *sel[6] = { &f->es, &f->cs, &f->ss, &f->ds, &f->fs, &f->gs };
        for (unsigned s = 0; s < 6; s++) {
            /* real mode keeps the hidden bases; VM86 can express base = selector * 16 */
            const struct vmxlab_seg *g = &x->seg[s];
            expressible &= !(g->base & 15) && g->base <= 0xffff0;
            *sel[s] = g->base >> 4;
            seg_limit[s] = g->limit < 0xffff ? 0xffff : g->limit; /* big real mode keeps its limit */
            if (g->limit > 0xffff)
                assist_stats.big_real++;
        }
        guest_cr[0] = x->cr0;
        guest_cr[3] = x->cr3;
        guest_cr[4] = x->cr4;
        guest_gdtr.base = x->gdtr_base;
        guest_gdtr.limit = (uint16_t)x->gdtr_limit;
        guest_idtr.base = x->idtr_base;
        guest_idtr.limit = (uint16_t)x->idtr_limit;
    }
    f->eflags = (f->eflags & ~(RFLAGS_IOPL | RFLAGS_TF)) | RFLAGS_VM | RFLAGS_IOPL | 2;
    pic_use_assist_bases();
    if (!expressible) { /* a base VM86 cannot express: interpret until the guest reloads it */
        struct emu_cpu c;
        frame_to_cpu(f, &c);
        for (unsigned s = 0; s < 6; s++) {
            c.seg[s].sel = (uint16_t)x->seg[s].sel;
            c.seg[s].base = x->seg[s].base;
        }
        if (handoff->mode != VMXLAB_MODE_EMULATE)
            assist_stats.episodes++;
        run_emulated(f, &c);
    }
    if (handoff->mode == VMXLAB_MODE_EMULATE)
        run_emulated(f, 0);
    enter_vm86(f);
}

/* From vmxloader: build the world, then clear PE like any guest; the hv's
 * invoke brings us back to assist_invoke, which starts the BIOS. */
void assist_boot(struct vmxlab_handoff *h, struct trap_frame *f)
{
    (void)f;
    /* our bss needs no clearing: the hv's pages behind D0000-DFFFF start zeroed
     * and vmxloader copies only the image */
    handoff = h;
    assist_stack_bottom[0] = STACK_CANARY;
    memset(assist_icache, 0, sizeof *assist_icache);
    map_ops();
    setup_world();
    gprintf("vmxassist: VM86 monitor at 0x%x-0x%x; starting the BIOS at F000:FFF0 %s\n", VMXLAB_ASSIST_ADDR,
            (uint32_t)__assist_end, h->mode == VMXLAB_MODE_EMULATE ? "under full emulation" : "in VM86");
    booting = 1;
    uint32_t cr0;
    __asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
    __asm__ volatile("mov %0, %%cr0" : : "r"(cr0 & ~CR0_PE)); /* -> the hv -> assist_invoke */
    assist_fatal("the hv did not take over when vmxassist cleared CR0.PE");
}
