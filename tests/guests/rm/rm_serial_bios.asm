; rm_serial_bios.asm - the BIOS found COM1 at POST and INT 14h drives it, as
; DOS's COM1/AUX device (FreeDOS's `ECHO text > COM1`) and DOS-era terminal
; programs assume:
;
; 1. the BDA's port table (0040:0000) lists COM1 at 3F8h;
; 2. INT 11h's equipment word counts at least one serial port (bits 11-9);
; 3. INT 14h AH=03h (status) on port 0 returns the line status without the
;    time-out bit, with the transmitter holding register empty once the
;    guest's own output has drained;
; 4. INT 14h AH=01h sends a byte and returns without the time-out bit.
;
; A BIOS probes the UART at POST expecting it in its power-on state. The
; Bochs BIOS's probe reads the interrupt identification register and misses
; a UART whose FIFOs are still on from the loader before it (IIR C2h, not
; 02h), so the test fails when the machine the BIOS starts on is not a PC
; just out of reset.
%define GUEST_NAME "rm_serial_bios"
%include "rm.inc"

BDA_COM_PORTS   equ 0x400
INT14_TIMEOUT   equ 0x80            ; AH bit 7: time-out
LSR_THRE        equ 0x20

main:
    INFO "bda com ports 0x"
    movzx eax, word [BDA_COM_PORTS]
    PUTHEX
    NEWLINE
    movzx eax, word [BDA_COM_PORTS]
    CHECK_EAX 0x3f8, "bda_lists_com1_at_3f8"

    int 0x11
    shr ax, 9
    and ax, 7
    cmp ax, 1
    CHECK ae, "equipment_word_counts_a_serial_port", "INT 11h bits 11-9 say no serial port"

    call uart_drain                 ; our own output has left the UART
    mov ah, 0x03
    xor dx, dx
    int 0x14
    mov [status], ax
    INFO "int14 status ax=0x"
    movzx eax, word [status]
    PUTHEX
    NEWLINE
    test byte [status + 1], INT14_TIMEOUT
    CHECK z, "int14_status_has_no_timeout", "INT 14h AH=03h set the time-out bit"
    test byte [status + 1], LSR_THRE
    CHECK nz, "int14_status_shows_transmitter_empty", "INT 14h AH=03h: THRE clear on an idle UART"

    INFO "int14 sends: "
    mov ax, 0x012a                  ; AH=01h, AL='*'
    xor dx, dx
    int 0x14
    mov [status], ax
    NEWLINE
    test byte [status + 1], INT14_TIMEOUT
    CHECK z, "int14_write_has_no_timeout", "INT 14h AH=01h set the time-out bit"
    jmp rm_finish

; uart_drain: wait (bounded) until COM1's transmitter is empty (LSR bit 6)
uart_drain:
    mov dx, COM1 + 5
    mov ecx, 1000000
.poll:
    in al, dx
    test al, 0x40
    jnz .done
    dec ecx
    jnz .poll
.done:
    ret

status: dw 0

RM_CODE_END
RM_IMAGE_END
