; int13.asm - INT 13h reads of a disk whose sectors carry a known pattern.
;
; tools/mkpattern.py puts this guest into a hard-disk image (LBA 0..7, the
; BIOS boots sector 0, which loads 1..7) or an El Torito no-emulation CD
; (two 2048-byte sectors of boot image the BIOS loads whole) and fills the parameter
; block below: the sector size, the image's size in sectors, where the
; pattern starts (it runs to the end of the image) and where the guest's own
; code lies. Dword i of pattern sector L is (L * 10001h) xor (i * 01000193h)
; (mod 2^32), the same formula as tools/mkpattern.py.
;
; Tests (output as tests/guests/rm/rm.inc: PASS/FAIL lines, SUMMARY, port F4h):
;   int13_41h_reports_extensions    AH=41h: BX=AA55h, CX bit 0 (42h..48h)
;   int13_48h_matches_image_size    AH=48h: bytes per sector, total sectors
;                                   (a CD may say "unknown": all ones)
;   int13_42h_reads_own_code        AH=42h of the guest's sectors = memory
;   int13_45h_46h_lock_blocks_eject (CDs) lock, eject refused (B1h), unlock
;   int13_42h_reads_match_pattern   AH=42h of every pattern sector, 16 KiB a call
;   int13_02h_chs_reads_match_pattern  AH=08h geometry, AH=02h reads of a few
;                                   sectors by CHS (512-byte media only)
bits 16
org 0x7c00

COM1            equ 0x3f8
LOAD            equ 0x7c00
CODE_BYTES      equ 4096                ; the guest: eight 512-byte sectors
END_MAGIC       equ 0x21444e45          ; "END!" at the end of the code
PARAM_MAGIC     equ 0x54544150          ; "PATT", written by mkpattern.py
BUF_SEG         equ 0x2000              ; read buffer at linear 20000h
CHUNK_BYTES     equ 16384               ; bytes per AH=42h call
PAT_L           equ 0x10001             ; the pattern's two multipliers
PAT_I           equ 0x01000193

%include "include/poweroff.inc"
start:
    jmp short boot
    nop
    times 8 - ($ - $$) db 0
; Parameter block (offsets fixed: tools/mkpattern.py writes them).
p_magic:        dd 0                    ; +8  PARAM_MAGIC
p_sector_size:  dw 0                    ; +12 512 or 2048
p_pad:          dw 0
p_first:        dd 0                    ; +16 first pattern LBA
p_total:        dd 0                    ; +20 sectors in the image
p_code_lba:     dd 0                    ; +24 LBA of this code in the image

boot:
    jmp 0x0000:.norm                    ; some BIOSes enter at 07C0:0000
.norm:
    cli
    xor ax, ax
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov sp, LOAD
    sti
    cld
    mov [drive], dl
    call uart_init
    mov si, msg_start
    call puts
    mov al, [drive]
    call hex8
    call nl
    cmp dword [p_magic], PARAM_MAGIC
    mov si, msg_noparam
    jne boot_fail
    cmp word [p_sector_size], 2048      ; a CD: the BIOS loaded all 4 KiB
    je .loaded
    mov ax, 0x0200 + CODE_BYTES / 512 - 1 ; AH=02h: sectors 2.. of cylinder 0, head 0
    mov cx, 0x0002
    xor dh, dh
    mov dl, [drive]
    mov bx, LOAD + 512
    int 0x13
    mov si, msg_loadfail
    jc boot_fail
.loaded:
    cmp dword [end_magic], END_MAGIC
    mov si, msg_nomagic
    jne boot_fail
    jmp main

; boot_fail: SI = message; the summary of one failed test, power off.
boot_fail:
    push si
    mov si, msg_bootfail
    call puts
    pop si
    call puts
    mov si, msg_bootsum
    call puts
    mov al, 1
    jmp exit

uart_init:                              ; 115200 8N1, FIFO, no interrupts
    mov dx, COM1 + 1
    xor al, al
    out dx, al
    mov dx, COM1 + 3
    mov al, 0x80
    out dx, al
    mov dx, COM1
    mov al, 1
    out dx, al
    inc dx
    xor al, al
    out dx, al
    mov dx, COM1 + 3
    mov al, 0x03
    out dx, al
    dec dx
    mov al, 0xc7
    out dx, al
    mov dx, COM1 + 4
    mov al, 0x03
    out dx, al
    ret

; putc: AL. Keeps every register but the flags.
putc:
    push cx
    push dx
    push ax
    mov dx, COM1 + 5
    mov cx, 0xffff                      ; bounded: never hang on a missing UART
.w:
    in al, dx
    test al, 0x20
    jnz .ok
    loop .w
.ok:
    pop ax
    mov dx, COM1
    out dx, al
    pop dx
    pop cx
    ret

; puts: SI = NUL-terminated string; SI ends past the NUL.
puts:
    push ax
.l:
    lodsb
    test al, al
    jz .d
    call putc
    jmp .l
.d:
    pop ax
    ret

nl:
    push ax
    mov al, 10
    call putc
    pop ax
    ret

hex8:                                   ; AL as two hex digits
    push ax
    shr al, 4
    call .digit
    pop ax
    push ax
    call .digit
    pop ax
    ret
.digit:
    and al, 0x0f
    add al, '0'
    cmp al, '9'
    jbe putc
    add al, 'a' - '9' - 1
    jmp putc

; exit: AL = status. Drain the UART, port F4h (vmxlab), "Shutdown" to 8900h
; (plain Bochs), halt.
exit:
    mov bl, al
    mov dx, COM1 + 5
    mov cx, 0xffff
.drain:
    in al, dx
    test al, 0x40
    jnz .out
    loop .drain
.out:
    mov al, bl
    POWER_OFF_AL

msg_start:      db "int13: start, boot drive 0x", 0
msg_bootfail:   db "FAIL: boot_loads_rest_of_image: ", 0
msg_noparam:    db "no mkpattern.py parameters", 0
msg_loadfail:   db "AH=02h failed", 0
msg_nomagic:    db "no end magic", 0
msg_bootsum:    db 10, "SUMMARY: 1 tests, 1 failures", 10, 0

    times 510 - ($ - $$) db 0
    dw 0xaa55

; ------------------------------------------------------------ sector 1 on

; PASS "name" / FAIL_BEGIN "name" (prints "FAIL: name: ", the caller adds
; the detail and a NEWLINE) / PUTS "text" / PUTHEX (EAX)
%macro PASS 1
    call pass_i
    db %1, 0
%endmacro
%macro FAIL_BEGIN 1
    call fail_i
    db %1, 0
%endmacro
%macro PUTS 1
    call puts_i
    db %1, 0
%endmacro
%macro PUTHEX 0
    call hex32
%endmacro

main:
    mov di, bss_zero                    ; the variables after `drive` start at 0
    mov cx, bss_end - bss_zero
    xor al, al
    rep stosb
    PASS "boot_loads_rest_of_image"
    PUTS "int13: sector size "
    movzx eax, word [p_sector_size]
    PUTHEX
    PUTS ", image sectors "
    mov eax, [p_total]
    PUTHEX
    PUTS ", pattern from LBA "
    mov eax, [p_first]
    PUTHEX
    call nl

    ; -- AH=41h: the extensions are there
    mov ah, 0x41
    mov bx, 0x55aa
    mov dl, [drive]
    int 0x13
    jc .no41
    cmp bx, 0xaa55
    jne .no41
    test cx, 1
    jz .no41
    PASS "int13_41h_reports_extensions"
    jmp .p48
.no41:
    FAIL_BEGIN "int13_41h_reports_extensions"
    PUTS "CF/AH "
    mov al, ah
    call hex8
    PUTS ", BX "
    movzx eax, bx
    PUTHEX
    PUTS ", CX "
    movzx eax, cx
    PUTHEX
    call nl

    ; -- AH=48h: drive parameters against the image
.p48:
    mov word [dp48], dp48_end - dp48
    mov si, dp48
    mov ah, 0x48
    mov dl, [drive]
    int 0x13
    jnc .have48
    FAIL_BEGIN "int13_48h_matches_image_size"
    PUTS "AH=48h returned CF=1, AH="
    mov al, ah
    call hex8
    call nl
    jmp .code
.have48:
    PUTS "int13: AH=48h: bytes/sector "
    movzx eax, word [dp48 + 24]
    PUTHEX
    PUTS ", sectors "
    mov eax, [dp48 + 20]
    PUTHEX
    mov eax, [dp48 + 16]
    PUTHEX
    call nl
    mov ax, [dp48 + 24]
    cmp ax, [p_sector_size]
    jne .bad48
    mov eax, [dp48 + 16]
    cmp eax, [p_total]
    jne .unknown48
    cmp dword [dp48 + 20], 0
    je .pass48
    ; A CD drive may report its size as unknown (all ones: the Bochs BIOS)
.unknown48:
    cmp word [p_sector_size], 2048
    jne .bad48
    mov eax, [dp48 + 16]
    and eax, [dp48 + 20]
    inc eax
    jnz .bad48
    PUTS "int13: AH=48h: CD size reported as unknown (all ones)"
    call nl
.pass48:
    PASS "int13_48h_matches_image_size"
    jmp .code
.bad48:
    FAIL_BEGIN "int13_48h_matches_image_size"
    PUTS "want bytes/sector "
    movzx eax, word [p_sector_size]
    PUTHEX
    PUTS ", sectors "
    mov eax, [p_total]
    PUTHEX
    call nl

    ; -- AH=42h of the guest's own sectors: what the BIOS loaded
.code:
    mov eax, [p_code_lba]
    mov cx, CODE_BYTES
    call bytes_to_sectors               ; CX = sectors
    call read42
    jc .code_err
    xor si, si
.cmp:
    mov al, [fs:si]
    cmp al, [LOAD + si]
    jne .code_diff
    inc si
    cmp si, CODE_BYTES
    jb .cmp
    PASS "int13_42h_reads_own_code"
    jmp .pattern
.code_err:
    FAIL_BEGIN "int13_42h_reads_own_code"
    call print_read_error
    jmp .pattern
.code_diff:
    FAIL_BEGIN "int13_42h_reads_own_code"
    PUTS "byte "
    movzx eax, si
    PUTHEX
    PUTS " differs from the loaded code"
    call nl

    ; -- AH=42h of every pattern sector
.pattern:
    mov ebx, [p_first]
.chunk:
    mov eax, [p_total]
    sub eax, ebx
    jbe .pattern_done
    mov cx, CHUNK_BYTES
    call bytes_to_sectors               ; CX = sectors per chunk
    movzx ecx, cx
    cmp eax, ecx
    jae .full
    mov cx, ax
.full:
    mov eax, ebx
    call read42
    jc .pattern_err
    call check_pattern                  ; EBX = LBA, CX sectors at FS:0
    jc .pattern_diff
    movzx ecx, cx
    add ebx, ecx
    jmp .chunk
.pattern_done:
    PASS "int13_42h_reads_match_pattern"
    jmp .chs
.pattern_err:
    FAIL_BEGIN "int13_42h_reads_match_pattern"
    call print_read_error
    jmp .chs
.pattern_diff:
    FAIL_BEGIN "int13_42h_reads_match_pattern"
    call print_diff

    ; -- AH=02h (CHS) of a few pattern sectors: 512-byte media only
.chs:
    cmp word [p_sector_size], 512
    jne .lock
    call chs_tests
    jmp finish

    ; -- AH=45h/46h on the CD: lock (AL=1), eject refused while locked
    ;    (AH=B1h), unlock (AL=0): EDD 3.0's removable-media functions
.lock:
    mov ax, 0x4500
    mov dl, [drive]
    int 0x13
    jc .lock_bad
    cmp al, 1
    jne .lock_bad
    mov ax, 0x4600
    mov dl, [drive]
    int 0x13
    jnc .lock_bad
    cmp ah, 0xb1
    jne .lock_bad
    mov ax, 0x4501
    mov dl, [drive]
    int 0x13
    jc .lock_bad
    test al, al
    jnz .lock_bad
    PASS "int13_45h_46h_lock_blocks_eject"
    jmp finish
.lock_bad:
    FAIL_BEGIN "int13_45h_46h_lock_blocks_eject"
    PUTS "at the call that returned AX="
    movzx eax, ax
    PUTHEX
    call nl
    jmp finish

; bytes_to_sectors: CX bytes -> CX sectors of p_sector_size
bytes_to_sectors:
    push ax
    push dx
    mov ax, cx
    xor dx, dx
    div word [p_sector_size]
    mov cx, ax
    pop dx
    pop ax
    ret

; read42: AH=42h of CX sectors from LBA EAX into BUF_SEG:0; FS = BUF_SEG.
; CF=1 on failure (AH = status, or FFh when the DAP count came back short).
read42:
    push si
    push dx
    mov [dap_lba], eax
    mov [err_lba], eax
    mov [dap_count], cx
    mov [err_count], cx
    mov byte [dap], 0x10
    mov byte [dap + 1], 0
    mov word [dap_off], 0
    mov word [dap_seg], BUF_SEG
    mov dword [dap_lba + 4], 0
    mov si, dap
    mov ah, 0x42
    mov dl, [drive]
    int 0x13
    mov [err_status], ah
    jc .ret
    mov ax, [err_count]
    cmp [dap_count], ax
    je .ok
    mov byte [err_status], 0xff
    stc
    jmp .ret
.ok:
    clc
.ret:
    push BUF_SEG
    pop fs
    pop dx
    pop si
    ret

print_read_error:
    PUTS "INT 13h status 0x"
    mov al, [err_status]
    call hex8
    PUTS " reading 0x"
    movzx eax, word [err_count]
    PUTHEX
    PUTS " sectors at LBA 0x"
    mov eax, [err_lba]
    PUTHEX
    cmp byte [err_status], 0xff
    jne .nl
    PUTS " (the DAP's block count came back 0x"
    movzx eax, word [dap_count]
    PUTHEX
    PUTS ")"
.nl:
    jmp nl

; check_pattern: CX sectors from LBA EBX at FS:0 against the pattern. CF=1
; at the first difference (bad_lba, bad_index, bad_got, bad_want).
check_pattern:
    pushad
    xor esi, esi                        ; byte offset in the buffer
    mov edi, ebx                        ; LBA
.sector:
    imul ebp, edi, PAT_L
    xor ebx, ebx                        ; dword index in the sector
.dword:
    imul eax, ebx, PAT_I
    xor eax, ebp
    cmp [fs:esi], eax
    jne .bad
    add esi, 4
    inc ebx
    movzx edx, word [p_sector_size]
    shr edx, 2
    cmp ebx, edx
    jb .dword
    inc edi
    dec cx
    jnz .sector
    popad
    clc
    ret
.bad:
    mov [bad_want], eax
    mov eax, [fs:esi]
    mov [bad_got], eax
    mov [bad_lba], edi
    mov [bad_index], ebx
    popad
    stc
    ret

print_diff:
    PUTS "LBA 0x"
    mov eax, [bad_lba]
    PUTHEX
    PUTS " dword 0x"
    mov eax, [bad_index]
    PUTHEX
    PUTS " is 0x"
    mov eax, [bad_got]
    PUTHEX
    PUTS ", want 0x"
    mov eax, [bad_want]
    PUTHEX
    jmp nl

; chs_tests: AH=08h geometry, then AH=02h of the first pattern sector, the
; first of head 1, of cylinder 1 and the last the geometry reaches.
chs_tests:
    mov ah, 0x08
    mov dl, [drive]
    xor di, di
    mov es, di
    int 0x13
    jnc .geo
    FAIL_BEGIN "int13_02h_chs_reads_match_pattern"
    PUTS "AH=08h returned CF=1, AH=0x"
    mov al, ah
    call hex8
    jmp nl
.geo:
    movzx eax, dh
    inc eax
    mov [heads], eax
    movzx eax, cl
    and al, 0x3f
    mov [spt], eax
    movzx eax, cl
    shl eax, 2
    and eax, 0x300
    mov al, ch
    inc eax
    mov [cyls], eax
    PUTS "int13: AH=08h: cylinders 0x"
    mov eax, [cyls]
    PUTHEX
    PUTS ", heads 0x"
    mov eax, [heads]
    PUTHEX
    PUTS ", sectors/track 0x"
    mov eax, [spt]
    PUTHEX
    call nl
    ; the LBAs to read
    mov eax, [p_first]
    mov [chs_lbas], eax
    mov eax, [spt]
    mov [chs_lbas + 4], eax
    mul dword [heads]
    mov [chs_lbas + 8], eax
    mul dword [cyls]                    ; sectors the geometry reaches
    cmp eax, [p_total]
    jbe .last
    mov eax, [p_total]
.last:
    dec eax
    mov [chs_lbas + 12], eax
    xor di, di
.next:
    mov eax, [chs_lbas + di]
    cmp eax, [p_first]
    jb .skip
    cmp eax, [p_total]
    jae .skip
    mov [err_lba], eax
    ; LBA -> C/H/S
    xor edx, edx
    div dword [spt]                     ; EAX = LBA / spt, EDX = LBA % spt
    inc dl
    mov cl, dl                          ; sector 1..63
    xor edx, edx
    div dword [heads]                   ; EAX = cylinder, EDX = head
    mov dh, dl
    mov ch, al
    shl ah, 6
    or cl, ah                           ; cylinder bits 9..8 in CL 7..6
    mov dl, [drive]
    push es
    push BUF_SEG
    pop es
    xor bx, bx
    mov ax, 0x0201
    int 0x13
    pop es
    mov [err_status], ah
    mov word [err_count], 1
    jc .err
    push BUF_SEG
    pop fs
    mov ebx, [err_lba]
    mov cx, 1
    call check_pattern
    jc .diff
.skip:
    add di, 4
    cmp di, 16
    jb .next
    PASS "int13_02h_chs_reads_match_pattern"
    ret
.err:
    FAIL_BEGIN "int13_02h_chs_reads_match_pattern"
    jmp print_read_error
.diff:
    FAIL_BEGIN "int13_02h_chs_reads_match_pattern"
    jmp print_diff

; ---- output: PASS/FAIL with an inline name, summary, exit

pass_i:
    inc word [tests]
    mov si, msg_pass
    call puts
    jmp inline_line

fail_i:
    inc word [tests]
    inc word [fails]
    mov si, msg_fail
    call puts
    pop si
    call puts
    push si
    mov si, msg_sep
    jmp puts

puts_i:
    pop si
    call puts
    push si
    ret

inline_line:
    pop si
    call puts
    push si
    jmp nl

hex32:                                  ; EAX as 8 hex digits
    push eax
    push cx
    mov cx, 4
.l:
    rol eax, 8
    call hex8
    loop .l
    pop cx
    pop eax
    ret

dec16:                                  ; AX unsigned decimal
    pusha
    xor cx, cx
    mov bx, 10
.div:
    xor dx, dx
    div bx
    push dx
    inc cx
    test ax, ax
    jnz .div
.out:
    pop ax
    add al, '0'
    call putc
    loop .out
    popa
    ret

finish:
    PUTS "SUMMARY: "
    mov ax, [tests]
    call dec16
    PUTS " tests, "
    mov ax, [fails]
    call dec16
    PUTS " failures"
    call nl
    mov al, [fails]
    jmp exit

msg_pass:       db "PASS: ", 0
msg_fail:       db "FAIL: ", 0
msg_sep:        db ": ", 0

    align 4, db 0
end_magic:      dd END_MAGIC
    times CODE_BYTES - ($ - $$) db 0

; ---- variables (after the code, not in the image)
absolute LOAD + CODE_BYTES
drive:          resb 1
bss_zero:
err_status:     resb 1
tests:          resw 1
fails:          resw 1
err_count:      resw 1
err_lba:        resd 1
bad_lba:        resd 1
bad_index:      resd 1
bad_got:        resd 1
bad_want:       resd 1
heads:          resd 1
spt:            resd 1
cyls:           resd 1
chs_lbas:       resd 4
dap:            resw 1
dap_count:      resw 1
dap_off:        resw 1
dap_seg:        resw 1
dap_lba:        resd 2
dp48:           resb 0x1e
dp48_end:
bss_end:
