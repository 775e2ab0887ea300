; rm_switch_irq_pending.asm - real -> protected -> real round trips made
; with interrupts off while the timer's request waits in the master PIC's
; IRR, as a boot loader's BIOS block move does when a tick comes in the
; middle: the request must not be lost (it reaches vector 08h at once after
; STI), and under vmxassist each round trip stays one VM exit each way -
; the PIC re-initialisation of a switch hands the lost request to the hv
; once, not on every later switch (tests.ini counts exit.vmcall).
;
; Prints the Bochs ticks per round trip while the request waits:
;     rm_switch_irq_pending: pending_switch_ticks=0x...
%define GUEST_NAME "rm_switch_irq_pending"
%include "rm.inc"

SWITCH_LOOPS    equ 200
BDA_TICKS       equ 0x46c           ; 0040:006C, the BIOS's timer tick count
PIC1_CMD        equ 0x20
OCW3_READ_IRR   equ 0x0a

main:
    cli
    ; ---- wait (interrupts off) until IRQ 0 is requested
    mov ecx, 20000000
.wait_irr:
    mov al, OCW3_READ_IRR
    out PIC1_CMD, al
    in al, PIC1_CMD
    test al, 1
    jnz .pending
    dec ecx
    jnz .wait_irr
.pending:
    test al, 1
    CHECK nz, "timer_request_pending_before_the_switches", "IRQ 0 never showed in the IRR with interrupts off"
    push ds
    push 0x40
    pop ds
    mov eax, [BDA_TICKS - 0x400]
    pop ds
    mov [ticks0], eax

    ; ---- the round trips, the request still waiting
    SWITCH_ROUND_TRIPS SWITCH_LOOPS
    sub eax, [t0]
    sbb edx, [t0 + 4]
    mov ecx, SWITCH_LOOPS
    div ecx
    INFO "pending_switch_ticks=0x"
    PUTHEX
    NEWLINE

    ; ---- STI: the waiting request comes at once, long before the next
    ; timer period (about 220,000 instructions at Bochs' 4 MIPS)
    push 0x40
    pop es
    sti
    mov ecx, 2000
.wait_tick:
    mov eax, [es:BDA_TICKS - 0x400]
    cmp eax, [ticks0]
    jne .ticked
    dec ecx
    jnz .wait_tick
.ticked:
    push 0
    pop es
    cmp eax, [ticks0]
    CHECK ne, "timer_request_waiting_across_switches_reaches_vector_08h_after_sti", "no tick within 2000 loops of STI"
    mov eax, cr0
    and eax, CR0_PE
    CHECK_EAX 0, "switch_loop_ends_in_real_mode"
    jmp rm_finish

    align 4, db 0
t0:             dq 0
ticks0:         dd 0

RM_CODE_END
RM_IMAGE_END
