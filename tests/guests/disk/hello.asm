; hello.asm - the smallest disk guest: one 512-byte boot sector that says
; which drive the BIOS booted it from and powers off with status 0. The build
; turns it into a floppy, a hard-disk and a CD (El Torito, no emulation)
; image, to check that GUEST= boots each kind from the right drive.
%include "include/poweroff.inc"
bits 16
org 0x7c00

start:
    jmp 0:.norm                 ; some BIOSes enter at 07C0:0000
.norm:
    cli
    xor ax, ax
    mov ds, ax
    mov ss, ax
    mov sp, 0x7c00
    mov [drive], dl
    mov si, msg
    call puts
    mov al, [drive]
    call puthex
    mov si, nl
    call puts
    mov si, pass
    call puts
    xor al, al
    POWER_OFF_AL                ; status 0

; COM1, polled; the BIOS has set the line up (or the hv's GRUB did)
putc:
    push dx
    push ax
    mov dx, 0x3fd
.wait:
    in al, dx
    test al, 0x20
    jz .wait
    pop ax
    mov dx, 0x3f8
    out dx, al
    pop dx
    ret

puts:
    lodsb
    test al, al
    jz .done
    call putc
    jmp puts
.done:
    ret

puthex:                         ; AL as two hex digits
    push ax
    shr al, 4
    call .digit
    pop ax
    and al, 15
.digit:
    add al, '0'
    cmp al, '9'
    jbe putc
    add al, 'a' - '9' - 1
    jmp putc

msg:      db "hello: booted from BIOS drive 0x", 0
nl:       db 13, 10, 0
pass:     db "PASS: hello_boots_from_its_drive", 13, 10, "SUMMARY: 1 tests, 0 failures", 13, 10, 0
drive:    db 0

times 510 - ($ - $$) db 0
dw 0xaa55
