/* int15.h - the structures of INT 15h's memory services a caller hands
 * over through a far pointer: the GDT of AH=87h (move extended memory).
 * The E820h entry is struct vmxlab_e820 (include/vmxlab/handoff.h): the hv
 * hands rombios its map in that layout. */
#ifndef BIOS_INT15_H
#define BIOS_INT15_H
#include <stdint.h>

/* A segment descriptor as the 80286 defined it, with the 386's base[31:24]. */
struct __attribute__((packed)) int15_desc {
    uint16_t limit_lo;
    uint16_t base_lo; /* base[15:0] */
    uint8_t base_mid; /* base[23:16] */
    uint8_t access;
    uint8_t limit_hi; /* limit[19:16], flags */
    uint8_t base_hi;  /* base[31:24] */
};
_Static_assert(sizeof(struct int15_desc) == 8, "segment descriptor");

/* 87h: ES:SI points to six descriptors; the caller fills src and dst, the
 * BIOS may use the rest for its switch to protected mode. */
struct __attribute__((packed)) int15_move_gdt {
    struct int15_desc null, gdt, src, dst, cs, ss;
};
_Static_assert(sizeof(struct int15_move_gdt) == 48, "INT 15h 87h GDT");

#endif
