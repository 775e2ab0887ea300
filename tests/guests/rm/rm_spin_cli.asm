; rm_spin_cli.asm - a hung real-mode guest: interrupts off, then a jump to
; itself. Nothing in it ever exits to the hv (in assist the loop runs in
; VM86, in ug in real mode), so only the hv's watchdog (watchdog=S, the
; VMX-preemption timer) can end the run with a diagnosis: the guest state and
; the sampled CS:RIP of the loop.
%define GUEST_NAME "rm_spin_cli"
%include "rm.inc"

main:
    INFO "spinning with interrupts off at 0000:"
    mov eax, spin
    PUTHEX
    NEWLINE
    cli
spin:
    jmp spin
    FAIL "spin_never_ends", "the loop ended"
    jmp rm_finish

RM_CODE_END
RM_IMAGE_END
