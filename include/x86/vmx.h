/* vmx.h - VMX constants with their Intel SDM names: VMCS field encodings
 * (SDM Vol. 3D, Appendix B, in that order), execution controls (Vol. 3C,
 * chapter 25), exit reasons (Appendix C) and exit qualifications (28.2.1). */
#ifndef X86_VMX_H
#define X86_VMX_H

/* Field encodings carry their width in bits 14:13 (SDM B.1-B.4). */
#define VMCS_FIELD_WIDTH(f) (((f) >> 13) & 3)
#define VMCS_WIDTH_16 0
#define VMCS_WIDTH_64 1
#define VMCS_WIDTH_32 2
#define VMCS_WIDTH_NATURAL 3

/* B.1 16-bit fields */
#define VIRTUAL_PROCESSOR_ID 0x0000
#define GUEST_ES_SELECTOR 0x0800
#define GUEST_CS_SELECTOR 0x0802
#define GUEST_SS_SELECTOR 0x0804
#define GUEST_DS_SELECTOR 0x0806
#define GUEST_FS_SELECTOR 0x0808
#define GUEST_GS_SELECTOR 0x080a
#define GUEST_LDTR_SELECTOR 0x080c
#define GUEST_TR_SELECTOR 0x080e
#define HOST_ES_SELECTOR 0x0c00
#define HOST_CS_SELECTOR 0x0c02
#define HOST_SS_SELECTOR 0x0c04
#define HOST_DS_SELECTOR 0x0c06
#define HOST_FS_SELECTOR 0x0c08
#define HOST_GS_SELECTOR 0x0c0a
#define HOST_TR_SELECTOR 0x0c0c

/* B.2 64-bit fields */
#define IO_BITMAP_A 0x2000
#define IO_BITMAP_B 0x2002
#define MSR_BITMAP 0x2004
#define VM_EXIT_MSR_STORE_ADDR 0x2006
#define VM_EXIT_MSR_LOAD_ADDR 0x2008
#define VM_ENTRY_MSR_LOAD_ADDR 0x200a
#define TSC_OFFSET 0x2010
#define EPT_POINTER 0x201a
#define GUEST_PHYSICAL_ADDRESS 0x2400
#define VMCS_LINK_POINTER 0x2800
#define GUEST_IA32_DEBUGCTL 0x2802
#define GUEST_IA32_PAT 0x2804
#define GUEST_IA32_EFER 0x2806
#define GUEST_PDPTE0 0x280a
#define GUEST_PDPTE1 0x280c
#define GUEST_PDPTE2 0x280e
#define GUEST_PDPTE3 0x2810
#define HOST_IA32_PAT 0x2c00
#define HOST_IA32_EFER 0x2c02

/* B.3 32-bit fields */
#define PIN_BASED_VM_EXEC_CONTROL 0x4000
#define CPU_BASED_VM_EXEC_CONTROL 0x4002
#define EXCEPTION_BITMAP 0x4004
#define PAGE_FAULT_ERROR_CODE_MASK 0x4006
#define PAGE_FAULT_ERROR_CODE_MATCH 0x4008
#define CR3_TARGET_COUNT 0x400a
#define VM_EXIT_CONTROLS 0x400c
#define VM_EXIT_MSR_STORE_COUNT 0x400e
#define VM_EXIT_MSR_LOAD_COUNT 0x4010
#define VM_ENTRY_CONTROLS 0x4012
#define VM_ENTRY_MSR_LOAD_COUNT 0x4014
#define VM_ENTRY_INTR_INFO_FIELD 0x4016
#define VM_ENTRY_EXCEPTION_ERROR_CODE 0x4018
#define VM_ENTRY_INSTRUCTION_LEN 0x401a
#define TPR_THRESHOLD 0x401c
#define SECONDARY_VM_EXEC_CONTROL 0x401e
#define VM_INSTRUCTION_ERROR 0x4400
#define VM_EXIT_REASON 0x4402
#define VM_EXIT_INTR_INFO 0x4404
#define VM_EXIT_INTR_ERROR_CODE 0x4406
#define IDT_VECTORING_INFO_FIELD 0x4408
#define IDT_VECTORING_ERROR_CODE 0x440a
#define VM_EXIT_INSTRUCTION_LEN 0x440c
#define VMX_INSTRUCTION_INFO 0x440e
#define GUEST_ES_LIMIT 0x4800
#define GUEST_CS_LIMIT 0x4802
#define GUEST_SS_LIMIT 0x4804
#define GUEST_DS_LIMIT 0x4806
#define GUEST_FS_LIMIT 0x4808
#define GUEST_GS_LIMIT 0x480a
#define GUEST_LDTR_LIMIT 0x480c
#define GUEST_TR_LIMIT 0x480e
#define GUEST_GDTR_LIMIT 0x4810
#define GUEST_IDTR_LIMIT 0x4812
#define GUEST_ES_AR_BYTES 0x4814
#define GUEST_CS_AR_BYTES 0x4816
#define GUEST_SS_AR_BYTES 0x4818
#define GUEST_DS_AR_BYTES 0x481a
#define GUEST_FS_AR_BYTES 0x481c
#define GUEST_GS_AR_BYTES 0x481e
#define GUEST_LDTR_AR_BYTES 0x4820
#define GUEST_TR_AR_BYTES 0x4822
#define GUEST_INTERRUPTIBILITY_INFO 0x4824
#define GUEST_ACTIVITY_STATE 0x4826
#define GUEST_SYSENTER_CS 0x482a
#define VMX_PREEMPTION_TIMER_VALUE 0x482e
#define HOST_IA32_SYSENTER_CS 0x4c00

/* B.4 natural-width fields */
#define CR0_GUEST_HOST_MASK 0x6000
#define CR4_GUEST_HOST_MASK 0x6002
#define CR0_READ_SHADOW 0x6004
#define CR4_READ_SHADOW 0x6006
#define EXIT_QUALIFICATION 0x6400
#define GUEST_LINEAR_ADDRESS 0x640a
#define GUEST_CR0 0x6800
#define GUEST_CR3 0x6802
#define GUEST_CR4 0x6804
#define GUEST_ES_BASE 0x6806
#define GUEST_CS_BASE 0x6808
#define GUEST_SS_BASE 0x680a
#define GUEST_DS_BASE 0x680c
#define GUEST_FS_BASE 0x680e
#define GUEST_GS_BASE 0x6810
#define GUEST_LDTR_BASE 0x6812
#define GUEST_TR_BASE 0x6814
#define GUEST_GDTR_BASE 0x6816
#define GUEST_IDTR_BASE 0x6818
#define GUEST_DR7 0x681a
#define GUEST_RSP 0x681c
#define GUEST_RIP 0x681e
#define GUEST_RFLAGS 0x6820
#define GUEST_PENDING_DBG_EXCEPTIONS 0x6822
#define GUEST_SYSENTER_ESP 0x6824
#define GUEST_SYSENTER_EIP 0x6826
#define HOST_CR0 0x6c00
#define HOST_CR3 0x6c02
#define HOST_CR4 0x6c04
#define HOST_FS_BASE 0x6c06
#define HOST_GS_BASE 0x6c08
#define HOST_TR_BASE 0x6c0a
#define HOST_GDTR_BASE 0x6c0c
#define HOST_IDTR_BASE 0x6c0e
#define HOST_IA32_SYSENTER_ESP 0x6c10
#define HOST_IA32_SYSENTER_EIP 0x6c12
#define HOST_RSP 0x6c14
#define HOST_RIP 0x6c16

/* 25.6.1 pin-based VM-execution controls */
#define PIN_BASED_EXT_INTR_MASK (1u << 0)
#define PIN_BASED_NMI_EXITING (1u << 3)
#define PIN_BASED_VIRTUAL_NMIS (1u << 5)
#define PIN_BASED_VMX_PREEMPTION_TIMER (1u << 6)

/* 25.6.2 primary processor-based VM-execution controls */
#define CPU_BASED_VIRTUAL_INTR_PENDING (1u << 2)
#define CPU_BASED_USE_TSC_OFFSETTING (1u << 3)
#define CPU_BASED_HLT_EXITING (1u << 7)
#define CPU_BASED_INVLPG_EXITING (1u << 9)
#define CPU_BASED_MWAIT_EXITING (1u << 10)
#define CPU_BASED_RDPMC_EXITING (1u << 11)
#define CPU_BASED_RDTSC_EXITING (1u << 12)
#define CPU_BASED_CR3_LOAD_EXITING (1u << 15)
#define CPU_BASED_CR3_STORE_EXITING (1u << 16)
#define CPU_BASED_CR8_LOAD_EXITING (1u << 19)
#define CPU_BASED_CR8_STORE_EXITING (1u << 20)
#define CPU_BASED_TPR_SHADOW (1u << 21)
#define CPU_BASED_MOV_DR_EXITING (1u << 23)
#define CPU_BASED_UNCOND_IO_EXITING (1u << 24)
#define CPU_BASED_USE_IO_BITMAPS (1u << 25)
#define CPU_BASED_MONITOR_TRAP_FLAG (1u << 27)
#define CPU_BASED_USE_MSR_BITMAPS (1u << 28)
#define CPU_BASED_MONITOR_EXITING (1u << 29)
#define CPU_BASED_PAUSE_EXITING (1u << 30)
#define CPU_BASED_ACTIVATE_SECONDARY_CONTROLS (1u << 31)

/* 25.6.2 secondary processor-based VM-execution controls */
#define SECONDARY_EXEC_VIRTUALIZE_APIC_ACCESSES (1u << 0)
#define SECONDARY_EXEC_ENABLE_EPT (1u << 1)
#define SECONDARY_EXEC_DESC_TABLE_EXITING (1u << 2)
#define SECONDARY_EXEC_ENABLE_RDTSCP (1u << 3)
#define SECONDARY_EXEC_ENABLE_VPID (1u << 5)
#define SECONDARY_EXEC_WBINVD_EXITING (1u << 6)
#define SECONDARY_EXEC_UNRESTRICTED_GUEST (1u << 7)
#define SECONDARY_EXEC_ENABLE_INVPCID (1u << 12)
#define SECONDARY_EXEC_XSAVES (1u << 20)

/* 25.7.1 VM-exit controls */
#define VM_EXIT_SAVE_DEBUG_CONTROLS (1u << 2)
#define VM_EXIT_HOST_ADDR_SPACE_SIZE (1u << 9)
#define VM_EXIT_ACK_INTR_ON_EXIT (1u << 15)
#define VM_EXIT_SAVE_IA32_PAT (1u << 18)
#define VM_EXIT_LOAD_IA32_PAT (1u << 19)
#define VM_EXIT_SAVE_IA32_EFER (1u << 20)
#define VM_EXIT_LOAD_IA32_EFER (1u << 21)
#define VM_EXIT_SAVE_VMX_PREEMPTION_TIMER (1u << 22)

/* 25.8.1 VM-entry controls */
#define VM_ENTRY_LOAD_DEBUG_CONTROLS (1u << 2)
#define VM_ENTRY_IA32E_MODE (1u << 9)
#define VM_ENTRY_LOAD_IA32_PAT (1u << 14)
#define VM_ENTRY_LOAD_IA32_EFER (1u << 15)

/* A.10 IA32_VMX_EPT_VPID_CAP */
#define VMX_EPT_PAGE_WALK_4 (1ull << 6)
#define VMX_EPT_MEMTYPE_UC (1ull << 8)
#define VMX_EPT_MEMTYPE_WB (1ull << 14)
#define VMX_EPT_2MB_PAGE (1ull << 16)
#define VMX_EPT_1GB_PAGE (1ull << 17)
#define VMX_EPT_INVEPT (1ull << 20)
#define VMX_EPT_INVEPT_ALL_CONTEXT (1ull << 26)

/* Appendix C: basic exit reasons (bits 15:0 of VM_EXIT_REASON) */
#define EXIT_REASON_EXCEPTION_NMI 0
#define EXIT_REASON_EXTERNAL_INTERRUPT 1
#define EXIT_REASON_TRIPLE_FAULT 2
#define EXIT_REASON_INIT_SIGNAL 3
#define EXIT_REASON_SIPI_SIGNAL 4
#define EXIT_REASON_INTERRUPT_WINDOW 7
#define EXIT_REASON_NMI_WINDOW 8
#define EXIT_REASON_TASK_SWITCH 9
#define EXIT_REASON_CPUID 10
#define EXIT_REASON_GETSEC 11
#define EXIT_REASON_HLT 12
#define EXIT_REASON_INVD 13
#define EXIT_REASON_INVLPG 14
#define EXIT_REASON_RDPMC 15
#define EXIT_REASON_RDTSC 16
#define EXIT_REASON_RSM 17
#define EXIT_REASON_VMCALL 18
#define EXIT_REASON_VMCLEAR 19
#define EXIT_REASON_VMLAUNCH 20
#define EXIT_REASON_VMPTRLD 21
#define EXIT_REASON_VMPTRST 22
#define EXIT_REASON_VMREAD 23
#define EXIT_REASON_VMRESUME 24
#define EXIT_REASON_VMWRITE 25
#define EXIT_REASON_VMXOFF 26
#define EXIT_REASON_VMXON 27
#define EXIT_REASON_CR_ACCESS 28
#define EXIT_REASON_DR_ACCESS 29
#define EXIT_REASON_IO_INSTRUCTION 30
#define EXIT_REASON_MSR_READ 31
#define EXIT_REASON_MSR_WRITE 32
#define EXIT_REASON_INVALID_STATE 33
#define EXIT_REASON_MSR_LOAD_FAIL 34
#define EXIT_REASON_MWAIT_INSTRUCTION 36
#define EXIT_REASON_MONITOR_TRAP_FLAG 37
#define EXIT_REASON_MONITOR_INSTRUCTION 39
#define EXIT_REASON_PAUSE_INSTRUCTION 40
#define EXIT_REASON_MCE_DURING_VMENTRY 41
#define EXIT_REASON_GDTR_IDTR 46
#define EXIT_REASON_LDTR_TR 47
#define EXIT_REASON_EPT_VIOLATION 48
#define EXIT_REASON_EPT_MISCONFIG 49
#define EXIT_REASON_INVEPT 50
#define EXIT_REASON_PREEMPTION_TIMER 52
#define EXIT_REASON_INVVPID 53
#define EXIT_REASON_WBINVD 54
#define EXIT_REASON_XSETBV 55
#define EXIT_REASON_MAX 70
#define EXIT_REASON_FAILED_VMENTRY (1u << 31) /* bit 31 of VM_EXIT_REASON */

/* 28.2.1 Table 28-3: exit qualification for control-register accesses */
#define CR_QUAL_NUM(q) ((q) & 15)
#define CR_QUAL_TYPE(q) (((q) >> 4) & 3)
#define CR_TYPE_MOV_TO_CR 0
#define CR_TYPE_MOV_FROM_CR 1
#define CR_TYPE_CLTS 2
#define CR_TYPE_LMSW 3
#define CR_QUAL_GPR(q) (((q) >> 8) & 15)
#define CR_QUAL_LMSW_DATA(q) (((q) >> 16) & 0xffff)

/* 28.2.1 Table 28-5: exit qualification for I/O instructions */
#define IO_QUAL_SIZE(q) (((q) & 7) + 1)
#define IO_QUAL_IN (1u << 3)
#define IO_QUAL_STRING (1u << 4)
#define IO_QUAL_REP (1u << 5)
#define IO_QUAL_PORT(q) (((q) >> 16) & 0xffff)

/* 28.2.1 Table 28-7: exit qualification for EPT violations */
#define EPT_QUAL_READ (1u << 0)
#define EPT_QUAL_WRITE (1u << 1)
#define EPT_QUAL_FETCH (1u << 2)
#define EPT_QUAL_LINEAR_VALID (1u << 7)

/* 25.4.2 guest non-register state */
#define GUEST_ACTIVITY_ACTIVE 0
#define GUEST_ACTIVITY_HLT 1
#define GUEST_INTR_STATE_STI (1u << 0)
#define GUEST_INTR_STATE_MOV_SS (1u << 1)

/* 25.4.1 segment access rights as the VMCS stores them */
#define VMX_AR_TYPE(t) ((t) & 15)
#define VMX_AR_S (1u << 4)     /* code/data (not system) */
#define VMX_AR_DPL(d) ((d) << 5)
#define VMX_AR_P (1u << 7)
#define VMX_AR_L (1u << 13)    /* 64-bit code */
#define VMX_AR_DB (1u << 14)   /* 32-bit default size */
#define VMX_AR_G (1u << 15)    /* 4 KiB limit granularity */
#define VMX_AR_UNUSABLE (1u << 16)

/* 25.9 interruption-information format (entry and exit) */
#define INTR_INFO_VECTOR(i) ((i) & 0xff)
#define INTR_INFO_TYPE(i) (((i) >> 8) & 7)
#define INTR_INFO_ERROR_CODE_VALID (1u << 11)
#define INTR_INFO_VALID (1u << 31)
#define INTR_TYPE_HARD_EXCEPTION (3u << 8)
#define VECTOR_DB 1 /* debug exception: single-step traps (RFLAGS.TF) among others */

#endif
