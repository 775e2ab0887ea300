; rm_bios.asm - BIOS services a boot loader relies on, called from real mode:
; INT 10h teletype, INT 13h disk reads of our own image, INT 15h E820 memory
; map, INT 15h AH=87h block move above 1 MiB, INT 1Ah tick count and RTC,
; INT 12h/16h. Each result is checked against what the image or the PC
; architecture guarantees, so the same image can judge any BIOS.
%define GUEST_NAME "rm_bios"
%include "rm.inc"

PATTERN_LBA     equ 36              ; cylinder 1, head 0, sector 1
PATTERN_SECTORS equ 36              ; LBA 36..71: cylinder 1, both heads
DISKBUF_SEG     equ 0x1000          ; INT 13h reads land at 1000:0000
MOVE_TARGET     equ 0x200000        ; INT 15h AH=87h copies through 2 MiB
E820_MAX        equ 64

; pattern dword k of the sector at LBA l
%define PATTERN(l, k) (0x5ec00000 | ((l) << 8) | (k))

main:
    call test_int10
    call test_int13
    call test_e820
    call test_int15_87
    call test_int1a
    call test_misc
    jmp rm_finish

; ---------------------------------------------------------------- INT 10h
test_int10:
    mov ah, 0x0f                    ; AL = mode, AH = columns, BH = page
    int 0x10
    mov [vid_mode], al
    mov [vid_cols], ah
    mov [vid_page], bh
    INFO "video mode 0x"
    call rm_hex8_16
    PUTS " columns 0x"
    mov al, ah
    call rm_hex8_16
    PUTS " page 0x"
    mov al, bh
    call rm_hex8_16
    NEWLINE

    ; start on a fresh line so the text sits at column 0 of one row
    mov ah, 0x03
    mov bh, [vid_page]
    int 0x10                        ; DH = row, DL = column
    test dl, dl
    jz .col0
    call tty_crlf
.col0:
    mov si, tty_text
.l:
    mov al, [si]
    test al, al
    jz .printed
    mov ah, 0x0e
    mov bh, [vid_page]
    mov bl, 0x07
    push si
    int 0x10
    pop si
    inc si
    jmp .l
.printed:
    ; cursor right after the text: column = its length
    mov ah, 0x03
    mov bh, [vid_page]
    int 0x10
    mov [cur_row], dh
    movzx eax, dl
    push eax
    call tty_crlf
    INFOLN "int10 teletype done"
    PASS "int10_teletype_returns"
    pop eax
    CHECK_EAX TTY_TEXT_LEN, "int10_teletype_advances_cursor"
    mov ah, 0x03
    mov bh, [vid_page]
    int 0x10
    movzx eax, dl
    CHECK_EAX 0, "int10_teletype_cr_lf_returns_to_column_0"

    ; The characters are in text memory on the row the cursor was on
    ; (the CR LF afterwards may have scrolled it up by one).
    cmp byte [vid_mode], 3
    jbe .text
    cmp byte [vid_mode], 7
    je .text
    INFOLN "not a text mode, text memory not checked"
    ret
.text:
    mov ax, 0xb800
    cmp byte [vid_mode], 7
    jne .seg
    mov ax, 0xb000
.seg:
    mov es, ax
    movzx ax, byte [vid_cols]
    movzx bx, dh                    ; row after the CR LF; the text is on
    dec bx                          ; the row above, scrolled or not
    mul bx                          ; AX = row * columns
    shl ax, 1
    add ax, [0x44e]                 ; BDA: offset of the active page
    mov di, ax
    mov si, tty_text
    xor cx, cx
.cmp:
    mov al, [si]
    test al, al
    jz .same
    cmp al, [es:di]
    jne .diff
    inc si
    add di, 2
    jmp .cmp
.same:
    xor ax, ax
    mov es, ax
    PASS "int10_teletype_writes_text_memory"
    ret
.diff:
    xor ax, ax
    mov es, ax
    FAIL "int10_teletype_writes_text_memory", "text not found on the cursor's row"
    ret

tty_crlf:
    mov ax, 0x0e0d
    mov bh, [vid_page]
    int 0x10
    mov ax, 0x0e0a
    mov bh, [vid_page]
    int 0x10
    ret

; ---------------------------------------------------------------- INT 13h
test_int13:
    ; geometry of the boot drive
    mov dl, [rm_boot_drive]
    test dl, 0x80
    jnz .hd
    push es
    mov ah, 0x08
    int 0x13
    pop es
    jc .geofail
    and cl, 0x3f
    movzx eax, cl
    shl eax, 8
    mov al, dh
    CHECK_EAX 0x1201, "int13_08_reports_1440k_geometry"
    jmp .read
.geofail:
    FAIL "int13_08_reports_1440k_geometry", "carry set"
    jmp .read
.hd:
    INFOLN "boot drive is a hard disk, geometry not checked"

.read:
    ; 4 sectors at once: LBA 36..39 = C1 H0 S1..4
    mov ax, DISKBUF_SEG
    mov es, ax
    xor bx, bx
    mov ax, 0x0204
    mov cx, 0x0101                  ; CH = cylinder 1, CL = sector 1
    mov dh, 0
    mov dl, [rm_boot_drive]
    int 0x13
    mov dx, 0
    mov es, dx
    jc .rfail
    movzx eax, ax
    CHECK_EAX 0x0004, "int13_02_reports_status_0_and_4_sectors"
    mov bx, PATTERN_LBA
    mov cx, 4
    xor di, di
    call verify_pattern
    CHECK e, "int13_reads_own_sectors", "sector content differs from the image"

    ; 2 sectors on the other head: C1 H1 S17..18 = LBA 70, 71
    mov ax, DISKBUF_SEG
    mov es, ax
    mov bx, 0x1000
    mov ax, 0x0202
    mov cx, 0x0111
    mov dh, 1
    mov dl, [rm_boot_drive]
    int 0x13
    mov dx, 0
    mov es, dx
    jc .rfail2
    mov bx, PATTERN_LBA + 34
    mov cx, 2
    mov di, 0x1000
    call verify_pattern
    CHECK e, "int13_reads_head_1_last_sectors_of_track", "sector content differs from the image"
    ret
.rfail:
    FAIL "int13_reads_own_sectors", "int 13h ah=02h returned carry"
.rfail2:
    FAIL "int13_reads_head_1_last_sectors_of_track", "int 13h ah=02h returned carry"
    ret

; verify_pattern: BX = LBA of the first sector, CX = sectors,
; DISKBUF_SEG:DI = data. ZF=1 when all match.
verify_pattern:
    push es
    mov ax, DISKBUF_SEG
    mov es, ax
.sector:
    xor edx, edx                    ; k
.dword:
    movzx eax, bx
    shl eax, 8
    or eax, 0x5ec00000
    or eax, edx
    cmp eax, [es:di]
    jne .out
    add di, 4
    inc dx
    cmp dx, 128
    jb .dword
    inc bx
    loop .sector
    cmp ax, ax                      ; ZF=1
.out:
    pop es
    ret

; ---------------------------------------------------------------- E820
test_e820:
    mov dword [e820_count], 0
    mov dword [ram_end], 0
    mov dword [ram_end + 4], 0
    mov byte [high_ram], 0
    mov byte [low_ram], 0
    mov byte [bad_sig], 0
    xor ebx, ebx
.next:
    mov di, RM_BUF2
    mov dword [di + 20], 1          ; ACPI 3.0 attributes: "valid" if not written
    mov eax, 0xe820
    mov edx, 0x534d4150             ; "SMAP"
    mov ecx, 24
    int 0x15
    jc .done                        ; carry: past the last entry (or unsupported)
    cmp eax, 0x534d4150
    je .sig
    mov byte [bad_sig], 1
    jmp .done
.sig:
    inc dword [e820_count]
    INFO "e820 "
    mov eax, [di]
    mov edx, [di + 4]
    call rm_hex64_16
    PUTS " "
    mov eax, [di + 8]
    mov edx, [di + 12]
    call rm_hex64_16
    PUTS " "
    mov ax, [di + 16]
    call rm_dec_16
    NEWLINE
    cmp dword [di + 16], 1
    jne .cont
    ; type 1: track the end, note RAM at 0 and at/above 1 MiB
    mov eax, [di]
    or eax, [di + 4]
    jnz .notzero
    mov byte [low_ram], 1
.notzero:
    cmp dword [di + 4], 0
    jne .high
    cmp dword [di], 0x100000
    jb .endcalc
.high:
    mov byte [high_ram], 1
.endcalc:
    mov eax, [di]
    mov edx, [di + 4]
    add eax, [di + 8]
    adc edx, [di + 12]
    cmp edx, [ram_end + 4]
    ja .newmax
    jb .cont
    cmp eax, [ram_end]
    jbe .cont
.newmax:
    mov [ram_end], eax
    mov [ram_end + 4], edx
.cont:
    test ebx, ebx
    jz .done
    cmp dword [e820_count], E820_MAX
    jb .next
.done:
    INFO "e820 end "
    mov eax, [ram_end]
    mov edx, [ram_end + 4]
    call rm_hex64_16
    NEWLINE
    cmp byte [bad_sig], 0
    CHECK e, "e820_returns_smap_signature", "EAX != 'SMAP' after int 15h e820h"
    cmp dword [e820_count], 2
    CHECK ae, "e820_returns_at_least_2_entries"
    cmp byte [low_ram], 1
    CHECK e, "e820_has_ram_at_address_0", "no type-1 entry with base 0"
    cmp byte [high_ram], 1
    CHECK e, "e820_has_ram_at_or_above_1mib", "no type-1 entry with base >= 1 MiB"

    ; E801h and 88h for the record (they describe the same memory)
    mov ax, 0xe801
    xor cx, cx
    xor dx, dx
    int 0x15
    jc .no801
    INFO "e801 ax=0x"
    push bx
    call rm_hex8x2
    PUTS " bx=0x"
    pop ax
    call rm_hex8x2
    PUTS " (KiB 1M-16M, 64KiB blocks above 16M)"
    NEWLINE
.no801:
    mov ah, 0x88
    int 0x15
    jc .no88
    INFO "int15 88h: 0x"
    call rm_hex8x2
    PUTS " KiB above 1 MiB"
    NEWLINE
.no88:
    ret

; rm_hex8x2: AX as 4 hex digits
rm_hex8x2:
    push ax
    mov al, ah
    call rm_hex8_16
    pop ax
    jmp rm_hex8_16

; ------------------------------------------------------ INT 15h AH=87h
test_int15_87:
    ; source pattern in RM_BUF, destination buffer RM_BUF3 cleared
    mov di, RM_BUF
    mov cx, 256
    mov ax, 0xa55a
.fill:
    mov [di], ax
    add ax, 0x0101
    add di, 2
    loop .fill
    mov di, RM_BUF3
    mov cx, 256
    xor ax, ax
    rep stosw
    call rm_a20_on
    setnz [a20_before]

    mov [seg_before], ds
    mov [seg_before + 2], es
    mov [seg_before + 4], ss
    mov [seg_before + 6], sp

    mov eax, RM_BUF
    mov ebx, MOVE_TARGET
    call move_block
    jc .fail1
    test ah, ah
    jnz .fail1

    mov [seg_after], ds
    mov [seg_after + 2], es
    mov [seg_after + 4], ss
    mov [seg_after + 6], sp
    pushf
    pop ax
    test ah, 0x02                   ; IF
    CHECK nz, "int15_87_returns_with_interrupts_enabled"
    mov eax, [seg_before]
    cmp eax, [seg_after]
    jne .segdiff
    mov eax, [seg_before + 4]
    cmp eax, [seg_after + 4]
.segdiff:
    CHECK e, "int15_87_preserves_segments_and_stack"

    mov eax, MOVE_TARGET
    mov ebx, RM_BUF3
    call move_block
    jc .fail2
    mov si, RM_BUF
    mov di, RM_BUF3
    mov cx, 256
    repe cmpsw
    CHECK e, "int15_87_block_move_roundtrip_via_2mib", "data copied back differs"

    call rm_a20_on
    setnz al
    cmp al, [a20_before]
    CHECK e, "int15_87_restores_a20_state"
    INFO "a20 was "
    mov al, [a20_before]
    call rm_hex8_16
    PUTS " before the block moves"
    NEWLINE

    ; With A20 off the BIOS must turn it on for the move and off again.
    ; Pattern B (RM_BUF inverted) goes to MOVE_TARGET + 1 MiB, which aliases
    ; to MOVE_TARGET (still holding pattern A) if A20 stays off.
    mov si, RM_BUF
    mov di, RM_BUF2
    mov cx, 256
.inv:
    lodsw
    not ax
    stosw
    loop .inv
    in al, 0x92
    and al, 0xfc                    ; A20 gate off (bit 0 is reset: keep 0)
    out 0x92, al
    call rm_a20_on
    jz .a20off
    INFOLN "A20 does not turn off through port 0x92: A20-off block move not tested"
    ret
.a20off:
    mov eax, RM_BUF2
    mov ebx, MOVE_TARGET + 0x100000
    call move_block
    pushf
    call rm_a20_on
    setnz [a20_after]
    popf
    jc .fail3
    in al, 0x92
    or al, 2
    and al, 0xfe
    out 0x92, al
    mov al, [a20_after]
    cmp al, 0
    CHECK e, "int15_87_restores_a20_off", "A20 on after the move"
    mov eax, MOVE_TARGET + 0x100000
    mov ebx, RM_BUF3
    call move_block
    mov si, RM_BUF2
    mov di, RM_BUF3
    mov cx, 256
    repe cmpsw
    jne .aliased
    mov eax, MOVE_TARGET
    mov ebx, RM_BUF3
    call move_block
    mov si, RM_BUF
    mov di, RM_BUF3
    mov cx, 256
    repe cmpsw
.aliased:
    CHECK e, "int15_87_turns_a20_on_for_the_move", "data at 3 MiB missing or aliased to 2 MiB"
    ret
.fail3:
    in al, 0x92
    or al, 2
    and al, 0xfe
    out 0x92, al
    FAIL "int15_87_turns_a20_on_for_the_move", "carry set with A20 off"
    ret
.fail1:
    FAIL "int15_87_block_move_roundtrip_via_2mib", "first move: carry set or AH != 0"
    ret
.fail2:
    FAIL "int15_87_block_move_roundtrip_via_2mib", "second move: carry set or AH != 0"
    ret

; move_block: INT 15h AH=87h of 256 words (rm_move_block).
move_block:
    push cx
    mov cx, 256
    call rm_move_block
    pop cx
    ret

; ---------------------------------------------------------------- INT 1Ah
test_int1a:
    mov ah, 0x00
    int 0x1a
    mov [tick0], dx
    mov [tick0 + 2], cx
    mov si, 200
    sti
.hlt:
    hlt
    mov ah, 0x00
    int 0x1a
    cmp dx, [tick0]
    jne .adv
    cmp cx, [tick0 + 2]
    jne .adv
    dec si
    jnz .hlt
.adv:
    CHECK nz, "int1a_tick_count_advances_during_hlt", "no change after 200 HLTs"

    mov ah, 0x02                    ; RTC time: CH hours, CL minutes, DH seconds (BCD)
    clc
    int 0x1a
    jc .rtcfail
    mov [rtc_time], cx
    mov [rtc_time + 2], dh
    mov al, ch
    mov ah, 0x23
    call check_bcd
    jc .bad
    mov al, cl
    mov ah, 0x59
    call check_bcd
    jc .bad
    mov al, dh
    mov ah, 0x59
    call check_bcd
.bad:
    CHECK nc, "int1a_02_reads_rtc_time_in_bcd", "hours/minutes/seconds not valid BCD"
    mov ah, 0x04                    ; RTC date: CH century, CL year, DH month, DL day
    clc
    int 0x1a
    jc .rtcfail
    INFO "rtc "
    mov al, ch
    call rm_hex8_16
    mov al, cl
    call rm_hex8_16
    PUTS "-"
    mov al, dh
    call rm_hex8_16
    PUTS "-"
    mov al, dl
    call rm_hex8_16
    PUTS " "
    mov al, [rtc_time + 1]
    call rm_hex8_16
    PUTS ":"
    mov al, [rtc_time]
    call rm_hex8_16
    PUTS ":"
    mov al, [rtc_time + 2]
    call rm_hex8_16
    NEWLINE
    ret
.rtcfail:
    FAIL "int1a_02_reads_rtc_time_in_bcd", "carry set"
    ret

; check_bcd: AL = BCD byte, AH = maximum (BCD). CF=1 when invalid.
check_bcd:
    push ax
    and al, 0x0f
    cmp al, 9
    pop ax
    ja .bad
    push ax
    shr al, 4
    cmp al, 9
    pop ax
    ja .bad
    cmp al, ah
    ja .bad
    clc
    ret
.bad:
    stc
    ret

; ---------------------------------------------------------- INT 12h, 16h
test_misc:
    int 0x12
    INFO "int12 "
    call rm_dec_16
    PUTS " KiB"
    NEWLINE
    cmp ax, 512
    jb .bad12
    cmp ax, 640
    ja .bad12
    cmp ax, ax
.bad12:
    CHECK e, "int12_reports_512_to_640_kib", "outside 512..640"
    mov ah, 0x01
    int 0x16
    CHECK z, "int16_01_reports_no_key_waiting"
    ret

; ------------------------------------------------------------------- data
tty_text:       db "rm_bios: int10 teletype line", 0
TTY_TEXT_LEN    equ $ - tty_text - 1
vid_mode:       db 0
vid_cols:       db 0
vid_page:       db 0
cur_row:        db 0
low_ram:        db 0
high_ram:       db 0
bad_sig:        db 0
a20_before:     db 0
a20_after:      db 0
rtc_time:       db 0, 0, 0
    align 4, db 0
e820_count:     dd 0
ram_end:        dd 0, 0
tick0:          dd 0
seg_before:     dw 0, 0, 0, 0
seg_after:      dw 0, 0, 0, 0

RM_CODE_END

; ------------------------------------ the sectors INT 13h reads and checks
    times PATTERN_LBA * 512 - ($ - $$) db 0
%assign l PATTERN_LBA
%rep PATTERN_SECTORS
  %assign k 0
  %rep 128
    dd PATTERN(l, k)
    %assign k k + 1
  %endrep
  %assign l l + 1
%endrep

RM_IMAGE_END
