; int10.asm - a floppy boot sector (plus 3 sectors it loads) that checks the
; vgabios's INT 10h from a guest's point of view: mode set and query, cursor,
; the write functions (result read back from B800h), scrolling, font and
; display queries, vmxlab's mirror query, and that unknown functions change
; nothing. Results go out only through INT 10h teletype, so on COM1 they are
; the vgabios's mirror at work: `PASS: name` / `FAIL: name` lines and a
; `SUMMARY:` line (the project's format). Then it powers off (port F4h under
; the hv) or, on a plain Bochs, stops at a magic breakpoint (xchg bx, bx).
%include "fw.inc"       ; PC constants from the C headers (tools/fw-inc.c)

bits 16
org 0x7c00

start:
    jmp 0:.norm
.norm:
    cli
    xor ax, ax
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov sp, 0x7c00
    sti
    mov ax, 0x0203              ; read 3 sectors: C0 H0 S2.. to 0000:7E00
    mov cx, 0x0002
    xor dh, dh
    mov bx, 0x7e00
    int 0x13
    jc .halt
    jmp tests
.halt:
    hlt
    jmp .halt

; ZF = pass. SI = test name. Prints the result line by teletype from row
; [rrow] on, away from the rows the checks use, and puts the cursor back.
result:
    pushf
    pusha
    setnz al
    movzx di, al
    add [failures], di
    inc word [count]
    mov ah, 0x03
    xor bh, bh
    int 0x10
    push dx
    mov ah, 0x02
    mov dh, [rrow]
    xor dl, dl
    int 0x10
    push si
    mov si, s_pass
    test di, di
    jz .say
    mov si, s_fail
.say:
    call puts
    pop si
    call puts
    mov si, s_crlf
    call puts
    mov ah, 0x03
    xor bh, bh
    int 0x10
    mov [rrow], dh
    pop dx
    mov ah, 0x02
    int 0x10
    popa
    popf
    ret

puts:                           ; DS:SI by teletype
    push ax
    push bx
.next:
    lodsb
    test al, al
    jz .done
    mov ah, 0x0e
    mov bx, 0x0007
    int 0x10
    jmp .next
.done:
    pop bx
    pop ax
    ret

putdec:                         ; AX (< 1000) in decimal, no leading zeros
    mov cl, 0                   ; a digit went out
    mov bl, 100
    call .digit
    mov bl, 10
    call .digit
    mov cl, 1                   ; the last digit always goes out
    mov bl, 1
.digit:
    push bx
    xor bh, bh
    xor dx, dx
    div bx
    push dx
    or cl, al
    jz .skip
    add al, '0'
    mov ah, 0x0e
    mov bx, 7
    int 0x10
    mov cl, 1
.skip:
    pop ax
    pop bx
    ret

; cell at row DH, column DL of page 0 (80 columns) -> AX
cell:
    push es
    push bx
    mov ax, 0xb800
    mov es, ax
    mov al, dh
    mov bl, 80
    mul bl
    xor dh, dh
    add ax, dx
    shl ax, 1
    mov bx, ax
    mov ax, [es:bx]
    pop bx
    pop es
    ret

s_pass: db "PASS: ", 0
s_fail: db "FAIL: ", 0
s_crlf: db 13, 10, 0
count: dw 0
rrow: db 10
failures: dw 0

times 510 - ($ - $$) db 0
dw 0xaa55

; ---- sectors 2-4 ----
tests:
    ; mode 7 and back: AH=0Fh reports each, mono memory is B0000
    mov ax, 0x0007
    int 0x10
    mov ah, 0x0f
    int 0x10
    push ax
    mov ax, 0x0003
    int 0x10
    pop ax
    cmp ax, 0x5007
    mov si, t_mode7
    call result

    mov ah, 0x0f
    int 0x10
    cmp ax, 0x5003
    jne .f1
    test bh, bh
.f1:
    mov si, t_get_mode
    call result

    ; teletype moves the cursor; AH=03h reports it
    mov ah, 0x02
    xor bh, bh
    mov dx, 0x0100
    int 0x10
    mov si, s_abc
    call puts
    mov ah, 0x03
    xor bh, bh
    int 0x10
    cmp dx, 0x0103
    mov si, t_teletype_cursor
    call result

    ; AH=09h: CX copies with attribute, the cursor stays
    mov ah, 0x02
    xor bh, bh
    mov dx, 0x050a
    int 0x10
    mov ax, 0x0958
    mov bx, 0x001e
    mov cx, 3
    int 0x10
    mov dx, 0x050c
    call cell
    cmp ax, 0x1e58
    jne .f2
    mov dx, 0x050d
    call cell
    cmp al, 'X'
    je .f2                      ; only three
    mov ah, 0x03
    xor bh, bh
    int 0x10
    cmp dx, 0x050a
.f2:
    mov si, t_write_09
    call result

    ; AH=08h reads it back
    mov ah, 0x08
    xor bh, bh
    int 0x10
    cmp ax, 0x1e58
    mov si, t_read_08
    call result

    ; AH=0Ah keeps the attribute
    mov ax, 0x0a59
    xor bh, bh
    mov cx, 1
    int 0x10
    mov dx, 0x050a
    call cell
    cmp ax, 0x1e59
    mov si, t_write_0a
    call result

    ; AH=13h AL=01h: string in BL, cursor moves to its end
    push cs
    pop es
    mov bp, s_hi
    mov ax, 0x1301
    mov bx, 0x002f
    mov cx, 2
    mov dx, 0x0600
    int 0x10
    mov dx, 0x0601
    call cell
    cmp ax, 0x2f69
    jne .f3
    mov ah, 0x03
    xor bh, bh
    int 0x10
    cmp dx, 0x0602
.f3:
    mov si, t_string_01
    call result

    ; AH=13h AL=02h: char/attr pairs, cursor stays
    mov bp, s_pairs
    mov ax, 0x1302
    xor bx, bx
    mov cx, 2
    mov dx, 0x0700
    int 0x10
    mov dx, 0x0701
    call cell
    cmp ax, 0x4e4b
    jne .f4
    mov ah, 0x03
    xor bh, bh
    int 0x10
    cmp dx, 0x0602
.f4:
    mov si, t_string_02
    call result

    ; AH=06h/07h scroll a window (rows 2-3) by one
    mov ah, 0x02
    xor bh, bh
    mov dx, 0x0200
    int 0x10
    mov ax, 0x0941
    mov bx, 0x0007
    mov cx, 1
    int 0x10
    mov ah, 0x02
    mov dx, 0x0300
    int 0x10
    mov ax, 0x0942
    mov cx, 1
    int 0x10
    mov ax, 0x0601
    mov bh, 0x07
    mov cx, 0x0200
    mov dx, 0x034f
    int 0x10
    mov dx, 0x0200
    call cell
    cmp al, 'B'
    jne .f5
    mov dx, 0x0300
    call cell
    cmp al, ' '
    jne .f5
    mov ax, 0x0701
    mov bh, 0x07
    mov cx, 0x0200
    mov dx, 0x034f
    int 0x10
    mov dx, 0x0300
    call cell
    cmp al, 'B'
    jne .f5
    mov dx, 0x0200
    call cell
    cmp al, ' '
.f5:
    mov si, t_scroll
    call result

    ; AX=1130h BH=06h: the 8x16 font, CX = 16, DL = 24
    push es
    mov ax, 0x1130
    mov bh, 6
    int 0x10
    mov al, [es:bp + 'A' * 16 + 7] ; the middle of an 'A' is not empty
    pop es
    cmp cx, 16
    jne .f6
    cmp dl, 24
    jne .f6
    test al, al
    jz .f6_nz
    cmp al, al
    jmp .f6
.f6_nz:
    inc al                      ; ZF = 0
.f6:
    mov si, t_font_query
    call result

    ; AX=1A00h: VGA colour; AH=12h BL=10h: EGA info
    mov ax, 0x1a00
    int 0x10
    cmp al, 0x1a
    jne .f7
    cmp bl, 0x08
    jne .f7
    mov ah, 0x12
    mov bl, 0x10
    int 0x10
    cmp bx, 0x0003
.f7:
    mov si, t_display
    call result

    ; vmxlab's mirror query
    mov ax, 0xef00
    xor bx, bx
    int 0x10
    cmp ax, 0x564d
    jne .f8
    test bl, 1
    jz .f8_off
    cmp al, al
    jmp .f8
.f8_off:
    inc bl
.f8:
    mov si, t_mirror_query
    call result

    ; an unknown function (VBE) changes nothing
    mov ax, 0x4f00
    mov bx, 0x1234
    mov cx, 0x5678
    mov dx, 0x9abc
    int 0x10
    cmp ax, 0x4f00
    jne .f9
    cmp bx, 0x1234
    jne .f9
    cmp cx, 0x5678
    jne .f9
    cmp dx, 0x9abc
.f9:
    mov si, t_unknown
    call result

    ; a GRUB-style redraw for the mirror: a cleared row, then text placed by AH=02h/09h
    mov ah, 0x02
    xor bh, bh
    mov dx, 0x0800
    int 0x10
    mov ax, 0x0920
    mov bx, 0x0007
    mov cx, 80
    int 0x10
    mov si, s_menu
    mov dx, 0x0904
.menu:
    lodsb
    test al, al
    jz .menu_done
    push ax
    mov ah, 0x02
    xor bh, bh
    int 0x10
    pop ax
    mov ah, 0x09
    mov bx, 0x0070
    mov cx, 1
    int 0x10
    inc dl
    jmp .menu
.menu_done:

    ; the summary (after the results), then off
    mov ah, 0x02
    xor bh, bh
    mov dh, [rrow]
    xor dl, dl
    int 0x10
    mov si, s_summary
    call puts
    mov ax, [count]
    call putdec
    mov si, s_tests
    call puts
    mov ax, [failures]
    call putdec
    mov si, s_failures
    call puts
    mov dx, COM1_BASE + UART_LSR ; let COM1 finish sending
    mov cx, 0xffff
.drain:
    in al, dx
    test al, UART_LSR_TEMT
    loopz .drain
    xor al, al
    out 0xf4, al                ; vmxlab: power off
    xchg bx, bx                 ; plain Bochs: the debugger (magic_break)
.stop:
    hlt
    jmp .stop

s_abc: db "abc", 0
s_hi: db "Hi"
s_pairs: db "O", 0x1f, "K", 0x4e
s_menu: db "vgabios menu line", 0
s_summary: db "SUMMARY: ", 0
s_tests: db " tests, ", 0
s_failures: db " failures", 13, 10, 0
t_mode7: db "vga_mode7_and_back", 0
t_get_mode: db "vga_get_mode", 0
t_teletype_cursor: db "vga_teletype_cursor", 0
t_write_09: db "vga_write_09", 0
t_read_08: db "vga_read_08", 0
t_write_0a: db "vga_write_0a", 0
t_string_01: db "vga_string_01", 0
t_string_02: db "vga_string_02", 0
t_scroll: db "vga_scroll_06_07", 0
t_font_query: db "vga_font_query", 0
t_display: db "vga_display_1a_12", 0
t_mirror_query: db "vga_mirror_query", 0
t_unknown: db "vga_unknown_unchanged", 0

times 2048 - ($ - $$) db 0
