; fw_int16.asm - INT 16h AH=00h returns the keys the harness types.
;
; The guest prints "fw_int16: waiting for a key" and then reads keys with
; INT 16h AH=00h; tools/typekeys.py waits for that line in the COM1 log and
; types: `run.sh --type TEXT` through the keyboard of Bochs' term display (the
; PS/2 8042, so it works with every BIOS), `run.sh --type-serial TEXT` as COM1
; input (our rombios's INT 16h reads COM1 too). The test types "vmx"; each
; key must come back with its ASCII code and the scan code of a US keyboard.
%define GUEST_NAME "fw_int16"
%include "rm.inc"

main:
    mov ah, 0x01                        ; drop anything typed before we asked
    int 0x16
    jz .empty
    xor ah, ah
    int 0x16
    jmp main
.empty:
    INFOLN "waiting for a key"
    mov si, expected
.next:
    mov ax, [si]
    test ax, ax
    jz .done
    call wait_key
    jc .timeout
    xor ah, ah
    int 0x16
    INFO "key 0x"
    movzx eax, ax
    push eax
    shr eax, 8
    call rm_hex8_16
    pop eax
    call rm_hex8_16
    NEWLINE
    movzx ebx, word [si]
    cmp eax, ebx
    jne .bad
    add si, 2
    jmp .next
.done:
    PASS "int16_returns_typed_key"
    jmp rm_finish
.bad:
    call failv_named
    db "int16_returns_typed_key", 0     ; got/want = scan code << 8 | ASCII
    jmp rm_finish

.timeout:
    FAIL "int16_returns_typed_key", "no key within 60 s (was the test run with run.sh --type?)"
    jmp rm_finish

; wait_key: poll INT 16h AH=01h (no HLT: an idle Bochs would run its clock
; far ahead of the harness typing in real time) until a key is there, CF=1
; when none came within LIMIT_TICKS of the BIOS tick count (40:6C).
LIMIT_TICKS     equ 60 * 182 / 10
wait_key:
    push es
    push ax
    push ebx
    mov ax, 0x40
    mov es, ax
    mov ebx, [es:0x6c]
.poll:
    mov ah, 0x01
    int 0x16
    jnz .key
    mov eax, [es:0x6c]
    sub eax, ebx
    cmp eax, LIMIT_TICKS
    jb .poll
    stc
    jmp .ret
.key:
    clc
.ret:
    pop ebx
    pop ax
    pop es
    ret

%include "failv.inc"

; "vmx": scan code << 8 | ASCII (US layout)
expected:   dw 0x2f76, 0x326d, 0x2d78, 0

RM_CODE_END
RM_IMAGE_END
