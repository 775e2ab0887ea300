; entry.asm - the hv's ways in from the hardware: VM exits, VM launch, the
; IRQs of intr.c's check, and exceptions taken inside the hv.
bits 64
default rel
%include "exception.inc"     ; VECTOR_DE ... (build/gen, from include/x86/exception.h)

extern vmx_handle_exit, vmx_resume_failed, hv_exception
global vmx_exit_entry, vmx_launch, exception_stubs, hv_boot_stack_top, hv_exit_stack_top

section .text

%include "fw.inc"       ; PC constants from the C headers (tools/fw-inc.c)

; struct guest_regs (hv/hv.h): gpr[0..15] in SDM register order, RAX lowest.
%macro PUSH_GUEST_GPRS 0
    push r15
    push r14
    push r13
    push r12
    push r11
    push r10
    push r9
    push r8
    push rdi
    push rsi
    push rbp
    push 0              ; slot 4: the guest's RSP lives in the VMCS
    push rbx
    push rdx
    push rcx
    push rax
%endmacro

%macro POP_GUEST_GPRS 0
    pop rax
    pop rcx
    pop rdx
    pop rbx
    add rsp, 8
    pop rbp
    pop rsi
    pop rdi
    pop r8
    pop r9
    pop r10
    pop r11
    pop r12
    pop r13
    pop r14
    pop r15
%endmacro

; HOST_RIP. The CPU arrives here on every VM exit with RSP = HOST_RSP
; (hv_exit_stack_top) and the guest's GPRs still in the registers.
vmx_exit_entry:
    PUSH_GUEST_GPRS
    mov rdi, rsp        ; struct guest_regs *
    call vmx_handle_exit
    POP_GUEST_GPRS
    vmresume
    ; Only a failed VMRESUME gets here: CF=1 VMfailInvalid, ZF=1 VMfailValid.
    ; The guest registers are still in place: push them again for the dump
    ; (PUSH and MOV leave the flags alone).
    PUSH_GUEST_GPRS
    mov rsi, rsp        ; struct guest_regs *
    mov edi, 2
    jnc .valid
    mov edi, 1
.valid:
    call vmx_resume_failed  ; does not return

; int vmx_launch(struct guest_regs *r): loads the guest GPRs and launches.
; Returns only when VMLAUNCH fails (1 = VMfailInvalid, 2 = VMfailValid).
vmx_launch:
    push rbx
    push rbp
    push r12
    push r13
    push r14
    push r15
    mov rax, [rdi + 0*8]
    mov rcx, [rdi + 1*8]
    mov rdx, [rdi + 2*8]
    mov rbx, [rdi + 3*8]
    mov rbp, [rdi + 5*8]
    mov rsi, [rdi + 6*8]
    mov r8,  [rdi + 8*8]
    mov r9,  [rdi + 9*8]
    mov r10, [rdi + 10*8]
    mov r11, [rdi + 11*8]
    mov r12, [rdi + 12*8]
    mov r13, [rdi + 13*8]
    mov r14, [rdi + 14*8]
    mov r15, [rdi + 15*8]
    mov rdi, [rdi + 7*8]
    vmlaunch
    mov eax, 2          ; MOVs keep the flags VMLAUNCH set
    jnc .valid
    mov eax, 1
.valid:
    pop r15
    pop r14
    pop r13
    pop r12
    pop rbp
    pop rbx
    ret

; Exceptions inside the hv (a bug): one stub per vector pushes a dummy error
; code where the CPU does not, then the vector; hv_exception reports and stops.
%macro EXC_STUB 1
exc_%1:
%if %1 <> VECTOR_DF && %1 <> VECTOR_TS && %1 <> VECTOR_NP && %1 <> VECTOR_SS && %1 <> VECTOR_GP && %1 <> VECTOR_PF \
    && %1 <> VECTOR_AC && %1 <> VECTOR_CP
    push 0
%endif
    push %1
    jmp exc_common
%endmacro
%assign v 0
%rep 32
EXC_STUB v
%assign v v+1
%endrep

; The legacy interrupt route's check (hv/intr.c): IRQs from the 8259As at
; vectors 30h-3Fh count and end with a non-specific EOI to both; the local
; APIC's spurious vector (FFh) needs no EOI.
global irq_stub, spurious_stub, irq_ticks
irq_stub:
    push rax
    lock inc qword [rel irq_ticks]
    mov al, PIC_OCW2_EOI
    out PIC2_CMD, al
    out PIC1_CMD, al
    pop rax
    iretq
spurious_stub:
    iretq

exc_common:
    mov rdi, rsp        ; [vector, error, rip, cs, rflags, rsp, ss]
    and rsp, -16
    call hv_exception
.halt:
    cli
    hlt
    jmp .halt

section .rodata
align 8
exception_stubs:
%assign v 0
%rep 32
    dq exc_ %+ v
%assign v v+1
%endrep

section .bss
align 16
    resb 16384
hv_boot_stack_top:
    resb 16384
hv_exit_stack_top:
irq_ticks:
    resq 1

section .note.GNU-stack noalloc noexec nowrite progbits
