/* cpu.c - the hv's own descriptor tables. GRUB's and boot.asm's GDT live in
 * low memory that now belongs to the guest, and VMX needs a TSS for the host
 * state (SDM 27.5.2: TR is loaded on every VM exit). */
#include "hv.h"
#include "string.h"
#include "x86/asm.h"

#define SEL_CODE64 0x08
#define SEL_DATA 0x10
#define SEL_TSS 0x18

struct __attribute__((packed)) tss64 {
    uint32_t reserved0;
    uint64_t rsp[3];
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3, iomap_base;
};
_Static_assert(sizeof(struct tss64) == 104, "64-bit TSS layout (SDM 9.7)");

struct __attribute__((packed)) idt_gate {
    uint16_t off_lo, sel;
    uint8_t ist, type; /* 0x8e: present, DPL 0, 64-bit interrupt gate */
    uint16_t off_mid;
    uint32_t off_hi, zero;
};
_Static_assert(sizeof(struct idt_gate) == 16, "64-bit IDT gate layout");

static uint64_t gdt[5] __attribute__((aligned(16)));
static struct tss64 tss __attribute__((aligned(16)));
static struct idt_gate idt[256] __attribute__((aligned(16)));
extern const uint64_t exception_stubs[32];
extern char irq_stub[], spurious_stub[]; /* entry.asm: hv/intr.c's IRQ 0 check */

static void set_gate(unsigned v, uint64_t h)
{
    idt[v] = (struct idt_gate){ (uint16_t)h,         SEL_CODE64,          0, VMX_AR_P | SEG_TYPE_INTR_GATE32,
                                (uint16_t)(h >> 16), (uint32_t)(h >> 32), 0 };
}

static void reload_segments(void)
{
    __asm__ volatile("pushq %0\n\t"
                     "leaq 1f(%%rip), %%rax\n\t"
                     "pushq %%rax\n\t"
                     "lretq\n"
                     "1:\n\t"
                     "movw %w1, %%ds\n\t"
                     "movw %w1, %%es\n\t"
                     "movw %w1, %%ss\n\t"
                     "movw %w2, %%fs\n\t"
                     "movw %w2, %%gs"
                     :
                     : "i"(SEL_CODE64), "r"(SEL_DATA), "r"(0)
                     : "rax", "memory");
}

void cpu_init(void)
{
    uint64_t t = (uint64_t)&tss;
    gdt[1] = SEG_DESC(0, 0xfffff, VMX_AR_G | VMX_AR_L | VMX_AR_P | VMX_AR_S | SEG_TYPE_CODE | SEG_TYPE_RW); /* 64-bit */
    gdt[2] = SEG_DESC(0, 0xfffff, VMX_AR_G | VMX_AR_DB | VMX_AR_P | VMX_AR_S | SEG_TYPE_RW);                /* data */
    /* 64-bit available TSS (type 9), 16 bytes (SDM 8.2.3) */
    gdt[3] = SEG_DESC(t, sizeof tss - 1, VMX_AR_P | SEG_TYPE_TSS32);
    gdt[4] = t >> 32;
    tss.iomap_base = sizeof tss; /* no I/O bitmap */
    struct dtr64 g = { sizeof gdt - 1, (uint64_t)gdt };
    lgdt(&g);
    reload_segments();
    ltr(SEL_TSS);

    for (unsigned v = 0; v < 32; v++)
        set_gate(v, exception_stubs[v]);
    for (unsigned v = HV_IRQ_VECTOR_BASE; v < HV_IRQ_VECTOR_BASE + 16; v++)
        set_gate(v, (uint64_t)irq_stub);
    set_gate(HV_SPURIOUS_VECTOR, (uint64_t)spurious_stub);
    struct dtr64 i = { sizeof idt - 1, (uint64_t)idt };
    lidt(&i);
}
