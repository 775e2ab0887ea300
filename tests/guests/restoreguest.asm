; restoreguest.asm - VMCALL 4 (VMCALL_ASSIST_RESTORE, vmxassist's way back to
; protected mode) from a guest that is not in real mode: the hv must refuse
; it with -EINVAL and leave the guest where it was. Lab 3's graded guest for
; exercise 2 (labs/lab3-real-mode.md).
%include "guest32.inc"

VMCALL_ASSIST_RESTORE equ 4

guest_main:
    guest_start
    puts hello
    mov eax, VMCALL_ASSIST_RESTORE
    mov ebx, context            ; a protected-mode context, all zero but CR0.PE
    vmcall
    cmp eax, -22
    check e, "assist_restore_outside_real_mode_returns_einval"
    cmp esp, GUEST_LOAD         ; the guest's stack is its own still
    check e, "assist_restore_refused_leaves_the_guest_in_place"
    jmp guest_finish

hello:   db "restoreguest: asking the hv to restore a context from protected mode", 10, 0
align 4
context: times 40 db 0          ; struct vmxlab_context: gpr[8], eip, eflags
         dd 1                   ; cr0: PE
         times 196 - 44 db 0
