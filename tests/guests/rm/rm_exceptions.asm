; rm_exceptions.asm - processor exceptions raised by real-mode code go through
; the guest's IVT, as on a real-mode CPU (Intel SDM Vol. 3B, 20.1.4, "Interrupt
; and Exception Handling" in real-address mode): no error code is pushed, and
; the stacked IP is the faulting instruction for a fault (#DE, #UD, #GP) and
; the next one for a trap (#BP). Under vmxassist the first three reach the
; monitor from VM86 (its IDT) and must be reflected; the #GP comes from an
; instruction vmxassist emulates (MOV to CR0 with PG=1, PE=0; SDM Vol. 2B,
; MOV--Move to/from Control Registers: #GP(0) in real-address mode).
%ifndef GUEST_NAME
%define GUEST_NAME "rm_exceptions"
%endif
%include "rm.inc"

; handler vector: record the vector and the stacked IP, step the return IP
; over the faulting instruction by `skip` bytes.
%macro HANDLER 2
handler_%1:
    push bp
    mov bp, sp
    mov word [cs:seen_vector], %1
    push ax
    mov ax, [bp + 2]                ; stacked IP (no error code in real mode)
    mov [cs:seen_ip], ax
    add word [bp + 2], %2
    pop ax
    pop bp
    iret
%endmacro

; HOOK vector: point IVT entry `vector` at handler_vector
%macro HOOK 1
    mov word [%1 * 4], handler_%1
    mov word [%1 * 4 + 2], 0
%endmacro

main:
    cli
    HOOK 0
    HOOK 3
    HOOK 6
    HOOK 13
    sti

%ifndef EMULATED_ONLY
    mov word [seen_vector], 0xffff
    xor bx, bx
    mov ax, 1
de_insn:
    div bl                          ; F6 F3: #DE, a fault
    mov ax, [seen_vector]
    movzx eax, ax
    CHECK_EAX 0, "divide_error_goes_through_ivt_vector_0"
    movzx eax, word [seen_ip]
    CHECK_EAX de_insn, "divide_error_stacks_the_faulting_ip"

    mov word [seen_vector], 0xffff
ud_insn:
    ud2                             ; 0F 0B: #UD, a fault
    movzx eax, word [seen_vector]
    CHECK_EAX 6, "invalid_opcode_goes_through_ivt_vector_6"
    movzx eax, word [seen_ip]
    CHECK_EAX ud_insn, "invalid_opcode_stacks_the_faulting_ip"

    mov word [seen_vector], 0xffff
    int3                            ; CC: #BP, a trap
bp_next:
    movzx eax, word [seen_vector]
    CHECK_EAX 3, "breakpoint_goes_through_ivt_vector_3"
    movzx eax, word [seen_ip]
    CHECK_EAX bp_next, "breakpoint_stacks_the_next_ip"
%endif

    mov word [seen_vector], 0xffff
    mov eax, cr0
    and eax, ~CR0_PE
    or eax, CR0_PG
gp_insn:
    mov cr0, eax                    ; 0F 22 C0: PG without PE is #GP(0)
    movzx eax, word [seen_vector]
    CHECK_EAX 13, "mov_cr0_pg_without_pe_goes_through_ivt_vector_13"
    movzx eax, word [seen_ip]
    CHECK_EAX gp_insn, "mov_cr0_pg_without_pe_stacks_the_faulting_ip"
    mov eax, cr0
    test eax, CR0_PG
    CHECK z, "mov_cr0_that_faulted_left_paging_off"

    jmp rm_finish

HANDLER 0, 2
HANDLER 3, 0
HANDLER 6, 2
HANDLER 13, 3

seen_vector: dw 0
seen_ip:     dw 0

RM_CODE_END
RM_IMAGE_END
