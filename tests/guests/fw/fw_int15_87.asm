; fw_int15_87.asm - INT 15h AH=87h (move block) above 16 MiB and back.
;
; 64 KiB (CX = 8000h words) of a known pattern go from conventional memory
; to 16 MiB + 64 KiB and back into another conventional buffer, which must
; then hold the pattern; a second block with another pattern goes across the
; 16 MiB boundary (16 MiB - 32 KiB .. 16 MiB + 32 KiB) and back, and the
; first block, read back again, must be untouched by it (no aliasing, e.g.
; a 24-bit address wrap).
%define GUEST_NAME "fw_int15_87"
%include "rm.inc"

SRC_SEG         equ 0x1000              ; 64 KiB at linear 10000h
DST_SEG         equ 0x2000              ; 64 KiB at linear 20000h
HIGH_BLOCK      equ 0x1010000           ; 16 MiB + 64 KiB
CROSS_BLOCK     equ 0x0ff8000           ; 16 MiB - 32 KiB
WORDS           equ 0x8000
SEED1           equ 0x13579bdf
SEED2           equ 0x2468ace0

main:
    ; block 1: up to 16 MiB + 64 KiB and back
    mov eax, SEED1
    call fill_src
    mov eax, SRC_SEG << 4
    mov ebx, HIGH_BLOCK
    call move
    jc .fail1
    call clear_dst
    mov eax, HIGH_BLOCK
    mov ebx, DST_SEG << 4
    call move
    jc .fail1
    mov eax, SEED1
    call check_dst
    jc .diff1
    PASS "int15_87h_moves_64k_above_16m"
    jmp .cross
.fail1:
    call status_fail
    db "int15_87h_moves_64k_above_16m", 0
    jmp .cross
.diff1:
    call diff_fail
    db "int15_87h_moves_64k_above_16m", 0

    ; block 2: across the 16 MiB boundary and back
.cross:
    mov eax, SEED2
    call fill_src
    mov eax, SRC_SEG << 4
    mov ebx, CROSS_BLOCK
    call move
    jc .fail2
    call clear_dst
    mov eax, CROSS_BLOCK
    mov ebx, DST_SEG << 4
    call move
    jc .fail2
    mov eax, SEED2
    call check_dst
    jc .diff2
    PASS "int15_87h_moves_64k_across_16m"
    jmp .again
.fail2:
    call status_fail
    db "int15_87h_moves_64k_across_16m", 0
    jmp .again
.diff2:
    call diff_fail
    db "int15_87h_moves_64k_across_16m", 0

    ; block 1 again: still there after block 2
.again:
    call clear_dst
    mov eax, HIGH_BLOCK
    mov ebx, DST_SEG << 4
    call move
    jc .fail3
    mov eax, SEED1
    call check_dst
    jc .diff3
    PASS "int15_87h_blocks_above_16m_do_not_alias"
    jmp rm_finish
.fail3:
    call status_fail
    db "int15_87h_blocks_above_16m_do_not_alias", 0
    jmp rm_finish
.diff3:
    call diff_fail
    db "int15_87h_blocks_above_16m_do_not_alias", 0
    jmp rm_finish

; move: EAX = source, EBX = destination (linear), 64 KiB. CF, AH = status.
move:
    mov cx, WORDS
    call rm_move_block
    ret

; pattern: EAX = seed, ECX = dword index -> EAX = the dword
%macro PATTERN 0
    imul edx, ecx, 0x9e3779b1
    xor eax, edx
%endmacro

; fill_src: the source buffer with the pattern of seed EAX
fill_src:
    push es
    mov bx, SRC_SEG
    mov es, bx
    mov esi, eax
    xor ecx, ecx
.f:
    mov eax, esi
    PATTERN
    mov [es:ecx * 4], eax
    inc ecx
    cmp ecx, 0x4000
    jb .f
    pop es
    ret

clear_dst:
    push es
    push di
    push cx
    push eax
    mov ax, DST_SEG
    mov es, ax
    xor di, di
    xor eax, eax
    mov cx, 0x4000
    rep stosd
    pop eax
    pop cx
    pop di
    pop es
    ret

; check_dst: CF=1 when the destination buffer differs from the pattern of
; seed EAX; then bad_off = byte offset, bad_got, bad_want.
check_dst:
    push es
    mov bx, DST_SEG
    mov es, bx
    mov esi, eax
    xor ecx, ecx
.c:
    mov eax, esi
    PATTERN
    cmp [es:ecx * 4], eax
    jne .bad
    inc ecx
    cmp ecx, 0x4000
    jb .c
    pop es
    clc
    ret
.bad:
    mov [bad_want], eax
    mov eax, [es:ecx * 4]
    mov [bad_got], eax
    shl ecx, 2
    mov [bad_off], ecx
    pop es
    stc
    ret

; status_fail: "FAIL: <inline name>: INT 15h AH=87h returned CF=1, AH=xx"
status_fail:
    push bp
    mov bp, sp
    push si
    mov [bad_status], ah
    mov si, [bp + 2]
    inc word [rm_tests]
    inc word [rm_fails]
    PUTS "FAIL: "
    call rm_puts_16
    call rm_skipstr_16
    mov [bp + 2], si
    PUTS ": INT 15h AH=87h returned CF=1, AH=0x"
    mov al, [bad_status]
    call rm_hex8_16
    NEWLINE
    pop si
    pop bp
    ret

; diff_fail: "FAIL: <inline name>: byte N of the block read back is X, want Y"
diff_fail:
    push bp
    mov bp, sp
    push si
    mov si, [bp + 2]
    inc word [rm_tests]
    inc word [rm_fails]
    PUTS "FAIL: "
    call rm_puts_16
    call rm_skipstr_16
    mov [bp + 2], si
    PUTS ": dword at offset 0x"
    mov eax, [bad_off]
    PUTHEX
    PUTS " of the block read back is 0x"
    mov eax, [bad_got]
    PUTHEX
    PUTS ", want 0x"
    mov eax, [bad_want]
    PUTHEX
    NEWLINE
    pop si
    pop bp
    ret

    align 4, db 0
bad_off:    dd 0
bad_got:    dd 0
bad_want:   dd 0
bad_status: db 0

RM_CODE_END
RM_IMAGE_END
