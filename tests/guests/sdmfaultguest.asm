; sdmfaultguest.asm - the hv faults the guest's control-register, MSR, XCR0
; and VMCALL requests exactly as the SDM (or the ABI) says: one case for each
; hv bug guest fuzzing (fuzzguest) found. Before the fixes a reserved EFER
; bit made the next VM entry fail (the run ended, status 115), a reserved
; CR4 bit was dropped silently, the VMX MSRs read as on a VMX CPU, CR0.CD set
; by an exiting MOV CR0 was lost (VM entry does not load CD), and VMCALL 5
; (vmxassist's IRQ replay) queued IRQs for any caller.
%include "guest32.inc"

VMCALL_ASSIST_REPLAY_IRQ equ 5

%macro try 1+
    mov dword [fault], -1
    mov dword [resume], %%after
    %1
%%after:
%endmacro

guest_main:
    guest_start
    puts hello
    set_gate 13, gp_handler                 ; vector 13: record it, resume at [resume]
    lidt [idt_desc]

    ; CR0.CD with NE (an hv-owned bit, so the MOV exits): CD must stick
    mov eax, cr0
    or eax, 0x40000020
    try mov cr0, eax
    mov eax, cr0
    and eax, 0x40000020
    cmp eax, 0x40000020
    check e, "exiting_mov_cr0_keeps_cd"
    mov eax, 0x11
    mov cr0, eax
    mov eax, cr0
    test eax, 0x40000000
    check z, "exiting_mov_cr0_clears_cd"

    mov eax, 0x20000031                 ; NW without CD
    try mov cr0, eax
    cmp dword [fault], 13
    check e, "mov_cr0_nw_without_cd_is_gp"

    mov eax, 1 << 15                    ; CR4 bit 15: reserved on every CPU
    try mov cr4, eax
    cmp dword [fault], 13
    check e, "mov_cr4_reserved_bit_is_gp"
    mov eax, cr4
    test eax, eax
    check z, "mov_cr4_reserved_bit_changes_nothing"

    mov ecx, 0xc0000080                 ; EFER bit 1: reserved
    mov eax, 2
    xor edx, edx
    try wrmsr
    cmp dword [fault], 13
    check e, "wrmsr_efer_reserved_bit_is_gp"
    mov ecx, 0xc0000080
    mov eax, 0x100                      ; LME (this CPU has long mode), PG off: allowed
    xor edx, edx
    try wrmsr
    mov ecx, 0xc0000080
    rdmsr
    cmp eax, 0x100
    check e, "wrmsr_efer_lme_with_paging_off_sticks"
    xor eax, eax
    wrmsr

    mov ecx, 0x480                      ; IA32_VMX_BASIC on a CPU without VMX
    try rdmsr
    cmp dword [fault], 13
    check e, "rdmsr_vmx_basic_is_gp"
    mov ecx, 0x3a                       ; IA32_FEATURE_CONTROL: readable, locked
    try rdmsr
    cmp dword [fault], -1
    check e, "rdmsr_feature_control_reads"
    test al, 1
    check nz, "feature_control_is_locked"
    mov ecx, 0x3a
    try wrmsr
    cmp dword [fault], 13
    check e, "wrmsr_feature_control_is_gp"

    mov eax, VMCALL_ASSIST_REPLAY_IRQ   ; without vmxassist: refused, nothing queued
    mov ebx, 0xffff
    mov ecx, 0x70702008
    vmcall
    cmp eax, -22
    check e, "vmcall_replay_irq_without_vmxassist_is_einval"

    mov eax, 1                          ; XSETBV: an AVX-512 bit alone
    cpuid
    bt ecx, 26
    jnc .noxsave
    mov eax, cr4
    or eax, 1 << 18
    mov cr4, eax
    xor ecx, ecx
    mov eax, 0x21
    xor edx, edx
    try xsetbv
    cmp dword [fault], 13
    check e, "xsetbv_opmask_alone_is_gp"
    mov eax, cr4
    and eax, ~(1 << 18)
    mov cr4, eax
.noxsave:
    jmp guest_finish

gp_handler:
    add esp, 4                          ; the error code
    mov dword [fault], 13
    push eax
    mov eax, [resume]
    mov [esp + 4], eax
    pop eax
    iretd

hello:    db "sdmfaultguest: CR0, CR4, EFER, VMX MSRs, IA32_FEATURE_CONTROL, VMCALL 5, XSETBV", 10, 0
align 4
fault:    dd -1
resume:   dd 0
idt_desc: dw 14 * 8 - 1
          dd idt
align 8
idt:      times 14 dq 0
