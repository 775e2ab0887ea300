/* msr.h - model-specific register numbers and bits (SDM Vol. 4). */
#ifndef X86_MSR_H
#define X86_MSR_H

#define IA32_FEATURE_CONTROL 0x03a
#define FEATURE_CONTROL_LOCKED (1u << 0)
#define FEATURE_CONTROL_VMXON_IN_SMX (1u << 1)
#define FEATURE_CONTROL_VMXON_OUTSIDE_SMX (1u << 2)

#define IA32_APIC_BASE 0x01b
#define APIC_BASE_EXTD (1u << 10) /* x2APIC mode */
#define APIC_BASE_EN (1u << 11)   /* the local APIC is on (globally) */

#define IA32_SYSENTER_CS 0x174
#define IA32_SYSENTER_ESP 0x175
#define IA32_SYSENTER_EIP 0x176

#define IA32_MTRRCAP 0x0fe
#define MTRRCAP_VCNT_MASK 0xffu   /* number of variable ranges */
#define MTRRCAP_FIX (1u << 8)     /* fixed-range MTRRs supported */
#define IA32_MTRR_PHYSBASE0 0x200 /* PHYSBASEn = 0x200 + 2n, PHYSMASKn = 0x201 + 2n */
#define MTRR_PHYSMASK_VALID (1u << 11)
#define IA32_MTRR_FIX64K_00000 0x250
#define IA32_MTRR_FIX16K_80000 0x258
#define IA32_MTRR_FIX16K_A0000 0x259
#define IA32_MTRR_FIX4K_C0000 0x268 /* ... through 0x26f for F8000 */
#define IA32_PAT 0x277
#define IA32_MTRR_DEF_TYPE 0x2ff
#define MTRR_DEF_TYPE_FE (1u << 10) /* fixed ranges enabled */
#define MTRR_DEF_TYPE_E (1u << 11)  /* MTRRs enabled */

#define IA32_VMX_BASIC 0x480
#define IA32_VMX_PINBASED_CTLS 0x481
#define IA32_VMX_PROCBASED_CTLS 0x482
#define IA32_VMX_EXIT_CTLS 0x483
#define IA32_VMX_ENTRY_CTLS 0x484
#define IA32_VMX_MISC 0x485
#define IA32_VMX_CR0_FIXED0 0x486
#define IA32_VMX_CR0_FIXED1 0x487
#define IA32_VMX_CR4_FIXED0 0x488
#define IA32_VMX_CR4_FIXED1 0x489
#define IA32_VMX_PROCBASED_CTLS2 0x48b
#define IA32_VMX_EPT_VPID_CAP 0x48c
#define IA32_VMX_TRUE_PINBASED_CTLS 0x48d
#define IA32_VMX_TRUE_PROCBASED_CTLS 0x48e
#define IA32_VMX_TRUE_EXIT_CTLS 0x48f
#define IA32_VMX_TRUE_ENTRY_CTLS 0x490
#define IA32_VMX_VMFUNC 0x491
#define IA32_SMM_MONITOR_CTL 0x09b

#define VMX_BASIC_TRUE_CTLS (1ull << 55) /* TRUE_*_CTLS MSRs exist */
#define VMX_MISC_STORE_LMA (1u << 5)     /* VM exits store EFER.LMA into "IA-32e mode guest" */
#define VMX_MISC_ACTIVITY_HLT (1u << 6)  /* guest activity state HLT */

#define IA32_EFER 0xc0000080
#define EFER_SCE (1u << 0)
#define EFER_LME (1u << 8)  /* long mode enable */
#define EFER_LMA (1u << 10) /* long mode active */
#define EFER_NXE (1u << 11)

#define IA32_FS_BASE 0xc0000100
#define IA32_GS_BASE 0xc0000101

#endif
