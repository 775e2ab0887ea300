; vmxinsnguest.asm - the VMX instructions from a guest that was told it has
; no VMX (CPUID.1:ECX.VMX clear): each must raise #UD, as on a CPU without
; VMX (or with CR4.VMXE clear), and the guest goes on. In protected mode they
; exit to the hv, which injects the #UD; the hv must neither stop nor act on
; them.
%include "guest32.inc"

guest_main:
    guest_start
    puts hello
    ; an IDT whose vector 6 (#UD) counts and resumes at [resume]
    set_gate 6, ud_handler
    lidt [idt_desc]

%macro expect_ud 1+
    mov dword [resume], %%after
    %1
    inc dword [no_fault]
%%after:
%endmacro
    expect_ud vmxon [region]
    expect_ud vmxoff
    expect_ud vmclear [region]
    expect_ud vmptrld [region]
    expect_ud vmptrst [region]
    expect_ud vmread eax, ebx
    expect_ud vmwrite ebx, eax
    expect_ud vmlaunch
    expect_ud vmresume
    expect_ud invept eax, [desc]
    expect_ud invvpid eax, [desc]

    cmp dword [ud_count], 11
    check e, "vmx_instructions_raise_ud"
    cmp dword [no_fault], 0
    check e, "no_vmx_instruction_completes"
    mov eax, VMCALL_VERSION             ; the hv's own call still works
    vmcall
    cmp eax, 1
    check e, "vmcall_still_works_after_them"
    jmp guest_finish

ud_handler:
    inc dword [ud_count]
    push eax
    mov eax, [resume]
    mov [esp + 4], eax                  ; the saved EIP
    pop eax
    iretd

hello:    db "vmxinsnguest: VMXON, VMXOFF, VMCLEAR, VMPTRLD, VMPTRST, VMREAD, VMWRITE, VMLAUNCH, VMRESUME, INVEPT, INVVPID", 10, 0
align 16
region:   times 16 db 0
desc:     times 16 db 0
resume:   dd 0
ud_count: dd 0
no_fault: dd 0
idt_desc: dw 8 * 8 - 1
          dd idt
align 8
idt:      times 8 dq 0
