; screen-hang.asm - a boot sector that writes one line straight into VGA text
; memory (B800:0000, row 12) and then spins with interrupts on, never
; powering off and never printing to COM1: what memtest86+ does. It checks
; tools/run.sh --screen-at-timeout, which must read the line from the screen
; when the timeout hits.
bits 16
org 0x7c00

start:
    jmp 0:.norm                 ; some BIOSes enter at 07C0:0000
.norm:
    xor ax, ax
    mov ds, ax
    mov ax, 0xb800
    mov es, ax
    mov di, 12 * 160            ; row 12, column 0
    mov si, msg
    mov ah, 0x1e                ; yellow on blue
.next:
    lodsb
    test al, al
    jz .spin
    stosw
    jmp .next
.spin:
    sti
    jmp .spin                   ; the timeout ends the run

msg: db "screen-hang: this line is only on the screen", 0

times 510 - ($ - $$) db 0
dw 0xaa55
