/* exception.h - the CPU's exception vectors (SDM Vol. 3A, 6.3.1, Table 6-1). */
#ifndef X86_EXCEPTION_H
#define X86_EXCEPTION_H

#define VECTOR_DE 0          /* divide error: DIV, IDIV, AAM 0 */
#define VECTOR_DB 1          /* debug exception: single-step traps (RFLAGS.TF) among others */
#define VECTOR_NMI 2         /* non-maskable interrupt */
#define VECTOR_BP 3          /* breakpoint: INT3 */
#define VECTOR_OF 4          /* overflow: INTO */
#define VECTOR_BR 5          /* BOUND range exceeded */
#define VECTOR_UD 6          /* invalid opcode */
#define VECTOR_NM 7          /* device not available: x87 or WAIT with CR0.EM/MP/TS */
#define VECTOR_DF 8          /* double fault */
#define VECTOR_TS 10         /* invalid TSS */
#define VECTOR_NP 11         /* segment not present */
#define VECTOR_SS 12         /* stack-segment fault */
#define VECTOR_GP 13         /* general protection */
#define VECTOR_PF 14         /* page fault */
#define VECTOR_MF 16         /* x87 floating-point error */
#define VECTOR_AC 17         /* alignment check */
#define VECTOR_MC 18         /* machine check */
#define VECTOR_XM 19         /* SIMD floating-point exception */
#define VECTOR_CP 21         /* control protection (CET) */
#define VECTOR_FIRST_USER 32 /* 0-31 are the CPU's */

#endif
