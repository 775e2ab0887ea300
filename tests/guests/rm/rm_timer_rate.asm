; rm_timer_rate.asm - the BIOS's timer tick runs at a PC's 18.2 Hz: PIT
; channel 0 at 1,193,182 Hz divided by 65536 gives IRQ 0 every 54.9 ms and
; one tick of the BIOS's count at 0040:006C each. DOS's clock, INT 1Ah and
; every "wait N ticks" loop in boot loaders assume that rate. The guest
; counts BIOS ticks across two seconds of the CMOS real-time clock (an
; independent clock of the same machine), with interrupts on: 36 or 37 on a
; PC (18.2 x 2); a BIOS that programs the PIT wrongly, or loses every other
; IRQ 0, gives about half or double.
%define GUEST_NAME "rm_timer_rate"
%include "rm.inc"

BDA_TICKS       equ 0x46c

main:
    sti
    call next_second                ; start on an RTC second's edge
    mov eax, [BDA_TICKS]
    mov [ticks0], eax
    call next_second
    call next_second
    mov eax, [BDA_TICKS]
    sub eax, [ticks0]
    mov [ticks], eax
    INFO "bios ticks in two rtc seconds: 0x"
    mov eax, [ticks]
    PUTHEX
    NEWLINE
    cmp dword [ticks], 35
    CHECK ae, "bios_tick_is_not_slower_than_18_2_hz", "fewer than 35 BIOS ticks in two RTC seconds"
    cmp dword [ticks], 38
    CHECK be, "bios_tick_is_not_faster_than_18_2_hz", "more than 38 BIOS ticks in two RTC seconds"
    jmp rm_finish

; next_second: wait until the RTC's seconds register (CMOS 00h) changes
next_second:
    call rtc_seconds
    mov bl, al
.wait:
    call rtc_seconds
    cmp al, bl
    je .wait
    ret

; rtc_seconds: AL = CMOS register 00h, read outside an update (status A bit 7)
rtc_seconds:
.uip:
    mov al, 0x0a
    out 0x70, al
    in al, 0x71
    test al, 0x80
    jnz .uip
    xor al, al
    out 0x70, al
    in al, 0x71
    ret

ticks0: dd 0
ticks:  dd 0

RM_CODE_END
RM_IMAGE_END
