; fw_warm_reboot.asm - a warm reboot (JMP FFFF:0000 with 40:72 = 1234h, what
; DOS's reboot code and Ctrl-Alt-Del handlers do) must come back to this boot
; sector with a working BIOS, the video BIOS included.
;
; First boot: use INT 10h (the video BIOS writes its own data), leave a
; marker at 9000:0000 (conventional memory POST does not clear) and jump to
; FFFF:0000. Second boot: the marker is there; INT 10h AH=0Fh must answer
; 80 columns. Under the hv C0000 is RAM, and a video BIOS that keeps its
; data in its image no longer sums to zero after it ran: the BIOS must not
; skip it as "bad checksum" then.
%define GUEST_NAME "fw_warm_reboot"
%include "rm.inc"

MARK_SEG equ 0x9000
MARK     equ 0x4d524157             ; "WARM"

main:
    push es
    mov ax, MARK_SEG
    mov es, ax
    cmp dword [es:0], MARK
    je .second
    mov dword [es:0], MARK
    pop es
    mov ax, 0x0e2e                  ; INT 10h teletype: the video BIOS runs
    mov bx, 0x0007
    int 0x10
    INFOLN "first boot: warm reboot through FFFF:0000"
    mov word [0x472], 0x1234        ; warm boot: no memory test
    mov dx, COM1 + 5
.drain:
    in al, dx
    test al, 0x40                   ; LSR.TEMT: the last line is out
    jz .drain
    cli
    jmp 0xffff:0x0000

.second:
    mov dword [es:0], 0
    pop es
    PASS "warm_reboot_boots_the_boot_sector_again"
    mov ah, 0x0f                    ; video mode: AH = columns
    int 0x10
    movzx eax, ah
    CHECK_EAX 80, "int10_answers_after_warm_reboot"
    jmp rm_finish

RM_CODE_END
RM_IMAGE_END
