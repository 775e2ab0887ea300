/* fw16.h - what the 16-bit firmware (rombios, vgabios) shares: port I/O,
 * segment:offset memory access, the register frame an interrupt handler gets.
 *
 * The firmware is C compiled with gcc -m16: 32-bit code that runs in real
 * mode (or VM86) with operand- and address-size prefixes. Pointers are 16-bit
 * offsets held in 32-bit registers, so every C pointer is relative to one
 * segment: the firmware's own (CS = DS = ES = SS = F000 for rombios, C000 for
 * vgabios; the "tiny model"). Memory elsewhere (the IVT, the BDA, a caller's
 * buffer) is reached through the far accessors below, which load FS.
 * This header is the only place with inline assembly the C code uses. */
#ifndef BIOS_FW16_H
#define BIOS_FW16_H
#include <stdint.h>
#include "x86/asm.h"
#include "x86/ioport.h"

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;

/* EFLAGS bits a BIOS service returns in its caller's FLAGS image. */
#define F_CF 0x0001
#define F_ZF 0x0040
#define F_IF 0x0200

/* The frame entry.asm builds for every interrupt: segment registers, PUSHAD,
 * the C handler's offset, then the IRET frame. A handler reads the caller's
 * registers here and changes them in place; entry.asm copies it back. */
#define FW16_R(n)                                                                                                      \
    union {                                                                                                            \
        u32 e##n##x;                                                                                                   \
        u16 n##x;                                                                                                      \
        struct {                                                                                                       \
            u8 n##l, n##h;                                                                                             \
        };                                                                                                             \
    }
struct bregs {
    u16 gs, fs, es, ds;
    union {
        u32 edi;
        u16 di;
    };
    union {
        u32 esi;
        u16 si;
    };
    union {
        u32 ebp;
        u16 bp;
    };
    u32 esp_pushad;
    FW16_R(b);
    FW16_R(d);
    FW16_R(c);
    FW16_R(a);
    u16 handler; /* offset of the C function entry.asm called */
    u16 ip, cs, flags;
} __attribute__((packed));
_Static_assert(sizeof(struct bregs) == 48, "bregs matches entry.asm's frame (FRAME)");

static inline void set_cf(struct bregs *r, int on) { r->flags = on ? (r->flags | F_CF) : (r->flags & ~F_CF); }
/* The usual way a service reports: AH = status, CF = (status != 0). */
static inline void set_status(struct bregs *r, u8 status)
{
    r->ah = status;
    set_cf(r, status != 0);
}

/* ---- port I/O: outb/inb/... from x86/asm.h (shared with the hv) ---- */
/* A port write that takes about 1 us: lets slow ISA devices (PIC, KBC) settle. */
static inline void io_delay(void) { outb(PORT_POST_CODE, 0); }
static inline void cli(void) { __asm__ volatile("cli" ::: "memory"); }
/* Where code on the firmware's own stack last let interrupts (or foreign
 * code) in: an interrupt entered from another stack while ours is in use
 * starts below it (include/bios/int_common.inc). Every STI stores it first. */
extern u16 int_floor;
extern u8 int_busy;
#define FW16_NOTE_FLOOR "movw %%sp, int_floor\n\t"
static inline void sti(void) { __asm__ volatile(FW16_NOTE_FLOOR "sti" ::: "memory"); }
/* Wait for the next interrupt with interrupts on (a BIOS wait loop's body). */
static inline void sti_hlt(void) { __asm__ volatile(FW16_NOTE_FLOOR "sti; hlt; cli" ::: "memory"); }

/* ---- segment:offset memory ----
 * The value is in a "q" register (A-D): a byte cannot live in SI/DI/BP. */
#define FW16_PEEK(name, type, suffix)                                                                                  \
    static inline type name(u16 seg, u16 off)                                                                          \
    {                                                                                                                  \
        type v;                                                                                                        \
        __asm__ volatile("movw %w1, %%fs\n\tmov" suffix " %%fs:(%2), %0"                                               \
                         : "=q"(v)                                                                                     \
                         : "r"(seg), "r"((u32)off)                                                                     \
                         : "memory");                                                                                  \
        return v;                                                                                                      \
    }
#define FW16_POKE(name, type, suffix)                                                                                  \
    static inline void name(u16 seg, u16 off, type v)                                                                  \
    {                                                                                                                  \
        __asm__ volatile("movw %w0, %%fs\n\tmov" suffix " %2, %%fs:(%1)" ::"r"(seg), "r"((u32)off), "q"(v)             \
                         : "memory");                                                                                  \
    }
FW16_PEEK(peekb, u8, "b")
FW16_PEEK(peekw, u16, "w")
FW16_PEEK(peekl, u32, "l")
FW16_POKE(pokeb, u8, "b")
FW16_POKE(pokew, u16, "w")
FW16_POKE(pokel, u32, "l")
#undef FW16_PEEK
#undef FW16_POKE

/* The offset of a field of a structure reached through a far pointer:
 * peekw(r->ds, r->si + FIELD_OFF(struct int13_dap, count)). */
#define FIELD_OFF(type, field) ((u16) __builtin_offsetof(type, field))

/* Copy n bytes (n <= 64 KiB, neither range wrapping its segment). */
static inline void far_memcpy(u16 dseg, u16 doff, u16 sseg, u16 soff, u32 n)
{
    u32 d = doff, s = soff;
    __asm__ volatile("pushw %%ds\n\tpushw %%es\n\tmovw %w3, %%es\n\tmovw %w4, %%ds\n\t"
                     "cld\n\taddr32 rep movsb\n\tpopw %%es\n\tpopw %%ds"
                     : "+D"(d), "+S"(s), "+c"(n)
                     : "r"(dseg), "r"(sseg)
                     : "memory");
}
static inline void far_memset(u16 dseg, u16 doff, u8 v, u32 n)
{
    u32 d = doff;
    __asm__ volatile("pushw %%es\n\tmovw %w2, %%es\n\tcld\n\taddr32 rep stosb\n\tpopw %%es"
                     : "+D"(d), "+c"(n)
                     : "r"(dseg), "a"(v)
                     : "memory");
}
/* Our own segment (CS = DS in the tiny model). */
static inline u16 my_seg(void)
{
    u16 s;
    __asm__("movw %%cs, %0" : "=r"(s));
    return s;
}

/* Linear address <-> real-mode far pointer. */
#define SEG_OF(lin) ((u16)((u32)(lin) >> 4))
#define OFF_OF(lin) ((u16)((u32)(lin)&0xf))
#define LINEAR(seg, off) (((u32)(seg) << 4) + (u16)(off))

/* Interrupt vector table (0000:0000). */
static inline void ivt_set(u8 vec, u16 seg, u16 off) { pokel(0, vec * 4, ((u32)seg << 16) | off); }
static inline u32 ivt_get(u8 vec) { return peekl(0, vec * 4); }

#endif
