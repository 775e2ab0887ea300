; rm_assist_slot_write.asm - real-mode code that writes into vmxassist's
; 64 KiB at D0000 (reserved in the E820 map; a wild pointer in a DOS kernel
; does this). vmxassist must stop the run with one clear error line before
; the write lands, not let the guest overwrite the monitor's stack or TSS
; and end in an engine panic. Reads there are harmless (BIOSes scan
; C8000-DFFFF for option ROMs) and must keep working.
%define GUEST_NAME "rm_assist_slot_write"
%include "rm.inc"

main:
    ; a read: vmxassist's image starts with its magic "ASST"
    push ds
    mov ax, 0xd000
    mov ds, ax
    mov eax, [0]
    pop ds
    CHECK_EAX 0x54535341, "read_of_vmxassist_slot_works"
    INFOLN "writing to D000:0100 (the run must stop here)"
    ; a write: the hv's identity page table makes the slot supervisor-only
    push es
    mov ax, 0xd000
    mov es, ax
    mov word [es:0x100], 0xdead
    pop es
    FAIL "write_to_vmxassist_slot_stops_the_run", "the write went through"
    jmp rm_finish

RM_CODE_END
RM_IMAGE_END
