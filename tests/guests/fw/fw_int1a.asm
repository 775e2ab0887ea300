; fw_int1a.asm - INT 1Ah time services against the CMOS clock read directly.
;
; The CMOS is read first (ports 70h/71h, after the update-in-progress bit
; clears, twice until two reads agree; BCD or binary and 12/24 hours as
; status register B says), then INT 1Ah: AH=02h's time must equal it or be
; at most 2 s later, AH=04h's date must equal it, and AH=00h's tick count
; (18.2 Hz since midnight, kept by IRQ 0) must be within 2 s worth of ticks of
; the CMOS time. Bochs runs with clock: sync=none, so both clocks follow the
; same emulated time.
%define GUEST_NAME "fw_int1a"
%include "rm.inc"

CMOS_SEC        equ 0x00
CMOS_MIN        equ 0x02
CMOS_HOUR       equ 0x04
CMOS_DAY        equ 0x07
CMOS_MONTH      equ 0x08
CMOS_YEAR       equ 0x09
CMOS_A          equ 0x0a
CMOS_B          equ 0x0b
CMOS_CENTURY    equ 0x32
CMOS_A_UIP      equ 0x80                ; update in progress
CMOS_B_24H      equ 0x02
CMOS_B_BINARY   equ 0x04
TOLERANCE_S     equ 2
PIT_HZ          equ 1193182

main:
    call cmos_snapshot
    call int1a_time                     ; EAX = seconds, CF on failure
    jnc .time_ok
    FAIL "int1a_time_matches_cmos", "INT 1Ah AH=02h returned CF=1"
    jmp .date
.time_ok:
    mov [bios_secs], eax
    INFO "cmos "
    call print_cmos
    PUTS ", int1a seconds since midnight 0x"
    PUTHEX
    NEWLINE
    sub eax, [cmos_secs]
    cmp eax, TOLERANCE_S                ; unsigned: earlier wraps to huge
    jbe .time_pass
    mov eax, [bios_secs]
    mov ebx, [cmos_secs]
    call failv_named
    db "int1a_time_matches_cmos", 0
    jmp .date
.time_pass:
    PASS "int1a_time_matches_cmos"

.date:
    mov ah, 0x04
    xor cx, cx
    xor dx, dx
    clc
    int 0x1a
    jnc .date_ok
    FAIL "int1a_date_matches_cmos", "INT 1Ah AH=04h returned CF=1"
    jmp .ticks
.date_ok:
    ; EAX = century year month day (BCD) from INT 1Ah, EBX from the CMOS
    mov ax, cx
    shl eax, 16
    mov ax, dx
    mov bh, [c_century]
    mov bl, [c_year]
    shl ebx, 16
    mov bh, [c_month]
    mov bl, [c_day]
    cmp eax, ebx
    je .date_pass
    call failv_named
    db "int1a_date_matches_cmos", 0     ; got/want as CCYYMMDD in BCD
    jmp .ticks
.date_pass:
    PASS "int1a_date_matches_cmos"

.ticks:
    call cmos_snapshot
    xor ah, ah
    int 0x1a
    mov ax, cx
    shl eax, 16
    mov ax, dx
    mov [ticks], eax
    ; expected = seconds * PIT_HZ / 65536
    mov eax, [cmos_secs]
    mov ebx, PIT_HZ
    mul ebx
    shrd eax, edx, 16
    mov [want_ticks], eax
    INFO "ticks 0x"
    mov eax, [ticks]
    PUTHEX
    PUTS ", from the CMOS time 0x"
    mov eax, [want_ticks]
    PUTHEX
    NEWLINE
    mov eax, [ticks]
    sub eax, [want_ticks]
    jns .abs
    neg eax
.abs:
    cmp eax, TOLERANCE_S * 19           ; 2 s of 18.2 Hz ticks, rounded up
    jbe .ticks_pass
    mov eax, [ticks]
    mov ebx, [want_ticks]
    call failv_named
    db "int1a_ticks_match_cmos_time", 0
    jmp rm_finish
.ticks_pass:
    PASS "int1a_ticks_match_cmos_time"
    jmp rm_finish

; cmos_read: AL = register -> AL = value (NMI stays enabled: bit 7 clear)
cmos_read:
    out 0x70, al
    in al, 0x71
    ret

; cmos_read_time: the seven time/date registers into c_sec..c_century, read
; after the update-in-progress bit is clear (the update then cannot start
; within the next 244 us, long enough for these reads).
cmos_read_time:
    mov cx, 0xffff
.uip:
    mov al, CMOS_A
    call cmos_read
    test al, CMOS_A_UIP
    jz .read
    loop .uip
.read:
    mov al, CMOS_SEC
    call cmos_read
    mov [c_sec], al
    mov al, CMOS_MIN
    call cmos_read
    mov [c_min], al
    mov al, CMOS_HOUR
    call cmos_read
    mov [c_hour], al
    mov al, CMOS_DAY
    call cmos_read
    mov [c_day], al
    mov al, CMOS_MONTH
    call cmos_read
    mov [c_month], al
    mov al, CMOS_YEAR
    call cmos_read
    mov [c_year], al
    mov al, CMOS_CENTURY
    call cmos_read
    mov [c_century], al
    ret

; cmos_snapshot: read until two consecutive reads agree, convert to BCD if
; the clock runs in binary, to 24 hours if it runs 12-hour; cmos_secs = the
; time of day in seconds.
cmos_snapshot:
    pushad
.again:
    call cmos_read_time
    mov eax, [c_sec]                    ; c_sec..c_day (with the padding)
    mov ebx, [c_month]
    mov [prev], eax
    mov [prev + 4], ebx
    call cmos_read_time
    mov eax, [c_sec]
    mov ebx, [c_month]
    cmp eax, [prev]
    jne .again
    cmp ebx, [prev + 4]
    jne .again
    mov al, CMOS_B
    call cmos_read
    mov [c_b], al
    mov al, [c_hour]
    mov [c_pm], al
    and byte [c_hour], 0x7f             ; the PM bit (12-hour mode)
    test byte [c_b], CMOS_B_BINARY
    jz .bcd
    mov si, c_sec                       ; binary: convert every field to BCD
    mov cx, c_fields_end - c_sec
.tobcd:
    mov al, [si]
    aam                                 ; AH = AL / 10, AL = AL % 10
    shl ah, 4
    or al, ah
    mov [si], al
    inc si
    loop .tobcd
.bcd:
    test byte [c_b], CMOS_B_24H
    jnz .h24
    mov al, [c_hour]                    ; 12-hour BCD: 12 AM = 0, PM adds 12
    cmp al, 0x12
    jne .not12
    xor al, al
.not12:
    test byte [c_pm], 0x80
    jz .am
    add al, 0x12
    daa
.am:
    mov [c_hour], al
.h24:
    mov al, [c_hour]
    call bcd_to_bin
    imul eax, eax, 3600
    mov ebx, eax
    mov al, [c_min]
    call bcd_to_bin
    imul eax, eax, 60
    add ebx, eax
    mov al, [c_sec]
    call bcd_to_bin
    add ebx, eax
    mov [cmos_secs], ebx
    popad
    ret

; bcd_to_bin: AL (BCD) -> EAX (binary)
bcd_to_bin:
    mov ah, al
    shr ah, 4
    and al, 0x0f
    aad                                 ; AL = AH * 10 + AL, AH = 0
    movzx eax, al
    ret

; int1a_time: INT 1Ah AH=02h -> EAX = seconds since midnight (CF from the BIOS)
int1a_time:
    mov ah, 0x02
    xor cx, cx
    xor dx, dx
    clc
    int 0x1a
    jc .ret
    push ebx
    mov al, ch
    call bcd_to_bin
    imul ebx, eax, 3600
    mov al, cl
    call bcd_to_bin
    imul eax, eax, 60
    add ebx, eax
    mov al, dh
    call bcd_to_bin
    add eax, ebx
    pop ebx
    clc
.ret:
    ret

; print_cmos: CENTURY YEAR-MONTH-DAY HOUR:MIN:SEC (BCD digits)
print_cmos:
    push ax
    mov al, [c_century]
    call rm_hex8_16
    mov al, [c_year]
    call rm_hex8_16
    PUTS "-"
    mov al, [c_month]
    call rm_hex8_16
    PUTS "-"
    mov al, [c_day]
    call rm_hex8_16
    PUTS " "
    mov al, [c_hour]
    call rm_hex8_16
    PUTS ":"
    mov al, [c_min]
    call rm_hex8_16
    PUTS ":"
    mov al, [c_sec]
    call rm_hex8_16
    pop ax
    ret

%include "failv.inc"

    align 4, db 0
c_sec:      db 0
c_min:      db 0
c_hour:     db 0
c_day:      db 0
c_month:    db 0
c_year:     db 0
c_century:  db 0
c_fields_end:
c_b:        db 0
c_pm:       db 0
prev:       dd 0, 0
cmos_secs:  dd 0
bios_secs:  dd 0
ticks:      dd 0
want_ticks: dd 0

RM_CODE_END
RM_IMAGE_END
