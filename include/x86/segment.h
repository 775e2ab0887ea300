/* segment.h - segment access rights (SDM Vol. 3A, 3.4.5 "Segment Descriptors"),
 * in the form the VMCS stores them (SDM Vol. 3C, 25.4.1): a descriptor's
 * bits 47:40 at 7:0 and its bits 55:52 at 15:12, plus "unusable" at bit 16.
 * vmxlab_seg.ar (include/vmxlab/handoff.h) uses the same form. */
#ifndef X86_SEGMENT_H
#define X86_SEGMENT_H

#define VMX_AR_TYPE(t) ((t)&15)
#define VMX_AR_S (1u << 4) /* code/data (not system) */
#define VMX_AR_DPL(d) ((d) << 5)
#define VMX_AR_DPL_OF(ar) (((ar) >> 5) & 3)
#define VMX_AR_P (1u << 7)    /* present */
#define VMX_AR_AVL (1u << 12) /* available to software */
#define VMX_AR_L (1u << 13)   /* 64-bit code */
#define VMX_AR_DB (1u << 14)  /* 32-bit default size */
#define VMX_AR_G (1u << 15)   /* 4 KiB limit granularity */
#define VMX_AR_UNUSABLE (1u << 16)
#define VMX_AR_RESERVED 0xfffe0f00u /* bits 11:8 and 31:17 */

/* The type field (bits 3:0) of a code or data segment (S = 1), Table 3-1 */
#define SEG_TYPE_ACCESSED 1u
#define SEG_TYPE_RW 2u   /* data: writable; code: readable */
#define SEG_TYPE_DOWN 4u /* data: expand-down; code: conforming */
#define SEG_TYPE_CODE 8u
#define SEG_TYPE_DATA_RW_A (SEG_TYPE_RW | SEG_TYPE_ACCESSED)                 /* 3 */
#define SEG_TYPE_CODE_RX_A (SEG_TYPE_CODE | SEG_TYPE_RW | SEG_TYPE_ACCESSED) /* 0xb */
/* ... and of a system segment (S = 0), Table 3-2; in IA-32e mode types 9, 11
 * and 14 are the 64-bit TSS and interrupt gate */
#define SEG_TYPE_LDT 2u
#define SEG_TYPE_TSS32 9u /* 32-bit TSS, available */
#define SEG_TYPE_TSS32_BUSY 11u
#define SEG_TYPE_INTR_GATE32 14u

/* A segment descriptor (SDM 3.4.5, Figure 3-8) from its base, its limit
 * (20 bits) and its access rights in the VMCS form above. */
#define SEG_DESC(base, limit, ar)                                                                                      \
    (((uint64_t)(limit)&0xffff) | (((uint64_t)(base)&0xffffff) << 16) | ((uint64_t)((ar)&0xff) << 40) |                \
     ((((uint64_t)(limit) >> 16) & 0xf) << 48) | ((uint64_t)(((ar) >> 12) & 0xf) << 52) |                              \
     ((((uint64_t)(base) >> 24) & 0xff) << 56))
/* ... and back: the access rights in a descriptor's high dword */
#define SEG_DESC_HI_AR(hi) ((((hi) >> 8) & 0xff) | ((((hi) >> 20) & 0xf) << 12))

#endif
