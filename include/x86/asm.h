/* asm.h - every inline-assembly wrapper the freestanding code uses.
 * Host unit tests do not include this header; they link fakes instead. */
#ifndef X86_ASM_H
#define X86_ASM_H
#include <stdint.h>

static inline void outb(uint16_t port, uint8_t v) { __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port)); }
static inline void outw(uint16_t port, uint16_t v) { __asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port)); }
static inline void outl(uint16_t port, uint32_t v) { __asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port)); }
static inline uint8_t inb(uint16_t port)
{
    uint8_t v;
    __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}
static inline uint16_t inw(uint16_t port)
{
    uint16_t v;
    __asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}
static inline uint32_t inl(uint16_t port)
{
    uint32_t v;
    __asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static inline void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
    __asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(leaf), "c"(sub));
}

static inline uint64_t rdmsr(uint32_t msr)
{
    uint32_t lo, hi;
    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return ((uint64_t)hi << 32) | lo;
}
static inline void wrmsr(uint32_t msr, uint64_t v)
{
    __asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}
static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

#ifdef __x86_64__
#define DEFINE_CR_ACCESS(n)                                                                                            \
    static inline uint64_t read_cr##n(void)                                                                            \
    {                                                                                                                  \
        uint64_t v;                                                                                                    \
        __asm__ volatile("mov %%cr" #n ", %0" : "=r"(v));                                                              \
        return v;                                                                                                      \
    }                                                                                                                  \
    static inline void write_cr##n(uint64_t v) { __asm__ volatile("mov %0, %%cr" #n : : "r"(v) : "memory"); }
DEFINE_CR_ACCESS(0)
DEFINE_CR_ACCESS(2)
DEFINE_CR_ACCESS(3)
DEFINE_CR_ACCESS(4)

static inline uint64_t read_rflags(void)
{
    uint64_t v;
    __asm__ volatile("pushfq; popq %0" : "=r"(v));
    return v;
}

struct __attribute__((packed)) dtr64 {
    uint16_t limit;
    uint64_t base;
};
static inline void lgdt(const struct dtr64 *d) { __asm__ volatile("lgdt %0" : : "m"(*d)); }
static inline void lidt(const struct dtr64 *d) { __asm__ volatile("lidt %0" : : "m"(*d)); }
static inline void ltr(uint16_t sel) { __asm__ volatile("ltr %0" : : "r"(sel)); }

/* VMX instructions. Each returns 0 on success, 1 on VMfailInvalid (CF),
 * 2 on VMfailValid (ZF; the VM-instruction error field says why). */
static inline int vmx_status(uint8_t cf, uint8_t zf) { return cf ? 1 : zf ? 2 : 0; }

static inline int vmxon(uint64_t phys)
{
    uint8_t cf, zf;
    __asm__ volatile("vmxon %2; setc %0; setz %1" : "=qm"(cf), "=qm"(zf) : "m"(phys) : "cc", "memory");
    return vmx_status(cf, zf);
}
static inline int vmclear(uint64_t phys)
{
    uint8_t cf, zf;
    __asm__ volatile("vmclear %2; setc %0; setz %1" : "=qm"(cf), "=qm"(zf) : "m"(phys) : "cc", "memory");
    return vmx_status(cf, zf);
}
static inline int vmptrld(uint64_t phys)
{
    uint8_t cf, zf;
    __asm__ volatile("vmptrld %2; setc %0; setz %1" : "=qm"(cf), "=qm"(zf) : "m"(phys) : "cc", "memory");
    return vmx_status(cf, zf);
}
/* VMWRITE as one instruction and a branch (VMfailInvalid sets CF, VMfailValid
 * ZF: JBE takes both), for the hot paths that write the VMCS on every exit. */
static inline int vmwrite_failed(uint64_t field, uint64_t value)
{
    __asm__ goto("vmwrite %1, %0; jbe %l[failed]" : : "r"(field), "rm"(value) : "cc" : failed);
    return 0;
failed:
    return 1;
}
static inline uint64_t vmread_raw(uint64_t field)
{
    uint64_t v = 0;
    __asm__ volatile("vmread %1, %0" : "=rm"(v) : "r"(field) : "cc");
    return v;
}
static inline void invept_all(void)
{
    struct {
        uint64_t eptp, zero;
    } desc = { 0, 0 };
    __asm__ volatile("invept %0, %1" : : "m"(desc), "r"(2ul) : "cc", "memory"); /* type 2: all contexts */
}
#endif /* __x86_64__ */

static inline void cpu_halt_forever(void)
{
    for (;;)
        __asm__ volatile("cli; hlt");
}

#endif
