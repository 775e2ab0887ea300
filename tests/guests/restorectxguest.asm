; restorectxguest.asm - vmxassist's restore request, forged (issue 13, item 4).
; vmxassist runs inside the guest, so the guest's CPL-0 code can write the
; context a restore VMCALL hands the hv. This guest plays a corrupt
; vmxassist: it names itself vmxassist in the handoff block, clears CR0.PE
; (the hv "invokes" it: real mode has begun), writes a context and asks the
; hv to restore it. Built once per case (-DCASE_<name>, Makefile
; RESTORE_CASES), each breaking one of the SDM's VM-entry checks on guest
; state (26.3.1): the hv must end the run with one line naming the field
; (status 114), never a failed VM entry. Built without a case, the context
; is valid, and the guest must go on in it.
%include "guest32.inc"

VMCALL_ASSIST_RESTORE equ 4
%include "handoff.inc"                ; offsets from include/vmxlab/handoff.h
CTX          equ HANDOFF + H_CTX      ; struct vmxlab_context

; set_seg seg, sel, limit, ar
%macro set_seg 4
    mov word [CTX + %1 + S_SEL], %2
    mov dword [CTX + %1 + S_BASE], 0
    mov dword [CTX + %1 + S_LIMIT], %3
    mov dword [CTX + %1 + S_AR], %4
%endmacro
; set_pae cr3: paging with PAE, the page-directory-pointer table at cr3
%macro set_pae 1
    mov dword [CTX + C_CR0], 0x80000011
    mov dword [CTX + C_CR4], 0x20
    mov dword [CTX + C_CR3], %1
%endmacro

guest_main:
    guest_start
    puts hello
    mov dword [HANDOFF + H_ASSIST_INVOKE], assist_entry
    mov dword [HANDOFF + H_ASSIST_STACK], 0x8000
    mov dword [HANDOFF + H_ASSIST_GDT], gdt
    mov word [HANDOFF + H_ASSIST_GDT_LIMIT], gdt_desc - gdt - 1
    mov dword [HANDOFF + H_ASSIST_IDT], 0
    mov word [HANDOFF + H_ASSIST_IDT_LIMIT], 0
    mov dword [HANDOFF + H_ASSIST_TSS], tss
    mov dword [HANDOFF + H_ASSIST_TSS_LIMIT], 0x67
    mov eax, cr0                        ; PE off: the hv hands us over to "vmxassist"
    and eax, ~1
    mov cr0, eax
    puts not_invoked
    inc dword [tests_failed]
    jmp guest_finish

; "vmxassist": flat 32-bit ring 0, our GDT, the hv thinks the guest is in real mode
assist_entry:
    mov ax, 0x10
    mov ds, ax
    mov es, ax
    mov esi, template
    mov edi, CTX
    mov ecx, CTX_SIZE / 4
    cld
    rep movsd
    mov dword [CTX + C_EIP], back_in_pm
    mov dword [CTX + C_GDTR_BASE], gdt
%ifdef CASE_cr0_pe
    mov dword [CTX + C_CR0], 0x10
%elifdef CASE_cr0_reserved
    mov dword [CTX + C_CR0], 0x51
%elifdef CASE_cr0_nw_without_cd
    mov dword [CTX + C_CR0], 0x20000011
%elifdef CASE_cr4_vmxe
    mov dword [CTX + C_CR4], 0x2000
%elifdef CASE_cr3_pdpt_outside_ram
    set_pae 0xfffff000
%elifdef CASE_pdpte_reserved_bits
    set_pae pdpt
%elifdef CASE_eflags_reserved
    mov dword [CTX + C_EFLAGS], 0x0a
%elifdef CASE_eflags_vm
    mov dword [CTX + C_EFLAGS], 0x20002
%elifdef CASE_gdtr_limit
    mov dword [CTX + C_GDTR_LIMIT], 0x10000
%elifdef CASE_cs_unusable
    mov dword [CTX + C_CS + S_AR], 0x1c09b
%elifdef CASE_ar_reserved_bits
    mov dword [CTX + C_ES + S_AR], 0xc193
%elifdef CASE_seg_not_present
    mov dword [CTX + C_DS + S_AR], 0xc013
%elifdef CASE_limit_with_g
    mov dword [CTX + C_FS + S_LIMIT], 0xffff0
%elifdef CASE_limit_without_g
    set_seg C_GS, 0x10, 0x200000, 0x4093
%elifdef CASE_cs_rpl_differs_from_ss
    mov word [CTX + C_CS + S_SEL], 0x0b
%elifdef CASE_cs_type_data
    mov dword [CTX + C_CS + S_AR], 0xc093
%elifdef CASE_cs_system
    mov dword [CTX + C_CS + S_AR], 0xc08b
%elifdef CASE_cs_dpl_differs_from_ss
    mov dword [CTX + C_CS + S_AR], 0xc0fb
%elifdef CASE_ss_type_code
    mov dword [CTX + C_SS + S_AR], 0xc09b
%elifdef CASE_ss_dpl_differs_from_rpl
    mov dword [CTX + C_SS + S_AR], 0xc0f3
%elifdef CASE_ds_not_accessed
    mov dword [CTX + C_DS + S_AR], 0xc092
%elifdef CASE_ds_code_not_readable
    mov dword [CTX + C_DS + S_AR], 0xc099
%elifdef CASE_ds_dpl_below_rpl
    mov word [CTX + C_DS + S_SEL], 0x13
%elifdef CASE_tr_unusable
    mov dword [CTX + C_TR + S_AR], 0x1008b
%elifdef CASE_tr_type_available
    mov dword [CTX + C_TR + S_AR], 0x89
%elifdef CASE_tr_not_system
    mov dword [CTX + C_TR + S_AR], 0x9b
%elifdef CASE_tr_ti
    mov word [CTX + C_TR + S_SEL], 0x1c
%elifdef CASE_ldtr_type
    mov dword [CTX + C_LDTR + S_AR], 0x83
%elifdef CASE_eip_beyond_cs_limit
    set_seg C_CS, 0x08, 0xffff, 0x409b
%else
%define VALID_CONTEXT
%endif
    mov eax, VMCALL_ASSIST_RESTORE
    mov ebx, CTX
    vmcall
    ; refused with an error code instead of the run's end (or restored elsewhere)
    mov esp, GUEST_LOAD
    puts refused
    inc dword [tests_failed]
    jmp finish

back_in_pm:                             ; the restored context
%ifdef VALID_CONTEXT
    cmp esp, GUEST_LOAD
    check e, "restore_of_a_valid_context_resumes_the_guest_in_it"
%else
    puts accepted
    inc dword [tests_failed]
%endif
finish:
    jmp guest_finish

hello:       db "restorectxguest: a forged vmxassist asks the hv to restore a context", 10, 0
not_invoked: db "FAIL: clearing CR0.PE did not start the guest's vmxassist", 10, 0
refused:     db "FAIL: the hv returned from the restore VMCALL instead of ending the run or resuming", 10, 0
accepted:    db "FAIL: the hv restored a context that breaks a VM-entry check", 10, 0
align 4
template:                               ; a valid 32-bit flat protected-mode context
    dd 0, 0, 0, 0, GUEST_LOAD, 0, 0, 0  ; EAX ECX EDX EBX ESP EBP ESI EDI
    dd 0, 2                             ; EIP (set above), EFLAGS
    dd 0x11, 0, 0                       ; CR0 (PE ET), CR3, CR4
    dd 0, 0x17, 0, 0x3ff                ; GDTR (base set above), IDTR
    dw 0x10, 0
    dd 0, 0xffffffff, 0xc093            ; ES
    dw 0x08, 0
    dd 0, 0xffffffff, 0xc09b            ; CS
    dw 0x10, 0
    dd 0, 0xffffffff, 0xc093            ; SS
    dw 0x10, 0
    dd 0, 0xffffffff, 0xc093            ; DS
    dw 0x10, 0
    dd 0, 0xffffffff, 0xc093            ; FS
    dw 0x10, 0
    dd 0, 0xffffffff, 0xc093            ; GS
    dw 0, 0
    dd 0, 0xff, 0x8b                    ; TR: a busy 32-bit TSS
    dw 0, 0
    dd 0, 0, 0x10000                    ; LDTR: unusable
template_end:
    times CTX_SIZE - (template_end - template) db 0     ; a build error unless the
    times (template_end - template) - CTX_SIZE db 0     ; template is struct-sized
align 32
pdpt:    dq 0x3, 0, 0, 0                ; entry 0: present, reserved bit 1 set
tss:     times 0x68 db 0
