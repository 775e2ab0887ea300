/* cr.h - control register bits (SDM Vol. 3A, 2.5 "Control Registers"). */
#ifndef X86_CR_H
#define X86_CR_H

#define CR0_PE (1u << 0)  /* protection enable */
#define CR0_MP (1u << 1)  /* monitor coprocessor */
#define CR0_EM (1u << 2)  /* x87 emulation */
#define CR0_TS (1u << 3)  /* task switched */
#define CR0_ET (1u << 4)  /* extension type (always 1 since the 486) */
#define CR0_NE (1u << 5)  /* native x87 error reporting */
#define CR0_WP (1u << 16) /* supervisor write protect */
#define CR0_AM (1u << 18) /* alignment mask */
#define CR0_NW (1u << 29) /* not write-through */
#define CR0_CD (1u << 30) /* cache disable */
#define CR0_PG (1u << 31) /* paging */

#define CR4_VME (1u << 0) /* virtual-8086 mode extensions */
#define CR4_PVI (1u << 1) /* protected-mode virtual interrupts */
#define CR4_TSD (1u << 2) /* RDTSC only at CPL 0 */
#define CR4_DE (1u << 3)  /* debugging extensions */
#define CR4_PSE (1u << 4) /* 4 MiB pages in 32-bit paging */
#define CR4_PAE (1u << 5) /* physical address extension */
#define CR4_MCE (1u << 6) /* machine-check enable */
#define CR4_PGE (1u << 7) /* global pages */
#define CR4_PCE (1u << 8) /* RDPMC at any CPL */
#define CR4_OSFXSR (1u << 9)
#define CR4_OSXMMEXCPT (1u << 10)
#define CR4_UMIP (1u << 11) /* SGDT, SIDT, SLDT, SMSW, STR only at CPL 0 */
#define CR4_LA57 (1u << 12) /* 5-level paging */
#define CR4_VMXE (1u << 13) /* VMX enable */
#define CR4_SMXE (1u << 14)
#define CR4_FSGSBASE (1u << 16)
#define CR4_PCIDE (1u << 17)
#define CR4_OSXSAVE (1u << 18)
#define CR4_SMEP (1u << 20)
#define CR4_SMAP (1u << 21)
#define CR4_PKE (1u << 22)
#define CR4_CET (1u << 23)
#define CR4_PKS (1u << 24)
#define CR0_LMSW_BITS (CR0_PE | CR0_MP | CR0_EM | CR0_TS) /* the bits LMSW and SMSW reach */
#define CR0_DEFINED (CR0_PE | CR0_MP | CR0_EM | CR0_TS | CR0_ET | CR0_NE | CR0_WP | CR0_AM | CR0_NW | CR0_CD | CR0_PG)

#define RFLAGS_CF (1u << 0)
#define RFLAGS_FIXED (1u << 1) /* reserved, always 1 */
#define RFLAGS_ZF (1u << 6)
#define RFLAGS_TF (1u << 8)
#define RFLAGS_IF (1u << 9)
#define RFLAGS_DF (1u << 10)
#define RFLAGS_IOPL (3u << 12)
#define RFLAGS_NT (1u << 14)
#define RFLAGS_RF (1u << 16)
#define RFLAGS_VM (1u << 17)

#endif
