; rm_pe32clear.asm - leaves protected mode from a 32-bit code segment: the
; instructions between clearing PE and the far jump still run with 32-bit
; defaults (the hidden CS.D stays 1). Real hardware (and unrestricted guest)
; does this; VM86 cannot, so vmxassist must stop with a clear error, not
; run the bytes as 16-bit code.
%define GUEST_NAME "rm_pe32clear"
%include "rm.inc"

main:
    RM_TO_PM32
    mov eax, cr0
    and eax, ~CR0_PE
    mov cr0, eax                    ; still 32-bit code: CS.D = 1
    jmp dword 0x0000:.rm            ; a 32-bit far jump (EA with a 4-byte offset)
.rm:                                ; real mode, but CS.D is still 1: 32-bit code
    PASS "pe_cleared_in_32bit_code_segment_returns_to_real_mode"
    xor al, al
    out 0xf4, al                    ; vmxlab: power off, status 0
    mov dx, 0x8900                  ; plain Bochs: "Shutdown"
    mov esi, .shutdown
.sd:
    lodsb
    test al, al
    jz .halt
    out dx, al
    jmp .sd
.halt:
    cli
    hlt
    jmp .halt
.shutdown: db "Shutdown", 0
bits 16

RM_CODE_END
RM_IMAGE_END
