; tripleguest.asm - loads an empty IDT and raises #BP: #BP -> #GP -> #DF ->
; triple fault, which the hv must report with a register dump.
%include "guest32.inc"

guest_main:
    guest_start
    puts hello
    mov eax, 0x1badc0de         ; shows up in the dump's RAX
    lidt [empty_idt]
    int3
    puts fail_msg
    mov eax, VMCALL_POWER_OFF
    mov ebx, 1
    vmcall

hello:     db "tripleguest: about to triple-fault", 10, 0
fail_msg:  db "FAIL: tripleguest survived int3 with an empty IDT", 10, 0
empty_idt: dw 0
           dd 0
