; entry.asm - the vgabios's assembly: the option ROM header, the
; initialisation entry the system BIOS far-calls at C000:0003, and the INT 10h
; stub into C (include/bios/int_common.inc, shared with rombios).
;
; The C code (gcc -m16) assumes CS = DS = ES = SS = C000 with data, bss and
; the stack in our own segment, so that segment must be RAM. Under the hv it
; is (EPT maps C0000-CFFFF to RAM); on a plain PC our rombios makes it shadow
; RAM before it calls us. Another system BIOS (Bochs' own) may leave it ROM:
; then we try the i440FX PAM registers ourselves and, failing that, say so on
; COM1 and return without hooking INT 10h (no stack, no C).
bits 16
cpu 686

extern vgabios_init, bss_start, bss_end, stack_top, rom_end
global init_entry

%include "fw.inc"                ; PC constants from the C headers (tools/fw-inc.c)

section .note.GNU-stack noalloc noexec nowrite progbits

; The option ROM header: signature, size in 512-byte blocks (written by
; tools/romcheck.py), the far-called initialisation entry at offset 3.
section .header
    db 0x55, 0xaa
    db 0                        ; size: romcheck.py
    jmp init_entry              ; offset 3, three bytes
    times 0x1e - ($ - $$) db 0
    db "IBM"                    ; C000:001E: "this is a VGA BIOS" to old software
    db 0

section .text

; The system BIOS calls here with a far call; we return with RETF and every
; register as it was, except that INT 10h now points at us.
init_entry:
    pushfd
    cli
    pushad
    push ds
    push es
    mov ax, cs
    mov ds, ax
    mov es, ax
    call probe_ram
    je .writable
    call shadow_enable
    call probe_ram
    je .writable
    mov si, no_ram_msg          ; nothing else we can do: say why, leave INT 10h alone
    call com1_puts
    jmp .done
.writable:
    mov di, bss_start           ; the bss (and the stack) start out zero
    mov cx, bss_end
    sub cx, di
    xor al, al
    cld
    rep stosb
    mov [caller_esp], esp       ; run C on our own stack
    mov [caller_ss], ss
    mov ax, cs
    mov ss, ax
    mov esp, stack_top
    call dword vgabios_init     ; a 32-bit near call: C returns with RETL
    lss esp, [caller_esp]
.done:
    pop es
    pop ds
    popad
    popfd
    retf

; ZF = 1 when the byte at rom_end (just past the stack, inside our image)
; keeps what we write there: our segment is RAM. The byte is put back (the
; checksum stays right).
probe_ram:
    mov bl, [rom_end]
    mov byte [rom_end], 0x5a
    cmp byte [rom_end], 0x5a
    jne .out
    mov byte [rom_end], 0xa5
    cmp byte [rom_end], 0xa5
.out:
    mov [rom_end], bl           ; MOV leaves ZF alone
    ret

; Plain Bochs with its own BIOS leaves C0000-CFFFF ROM. If the host bridge is
; an i440FX (8086:1237) its PAM registers 5Ah/5Bh can make it RAM: first
; "read ROM, write RAM" and copy the 64 KiB onto itself, then "read and write
; RAM". Byte writes: Bochs 2.7 decodes a PAM write from the whole dword.
shadow_enable:
    call is_i440fx
    jne .out
    mov bl, 0x22                ; write RAM, read ROM
    call pam_c0000
    xor si, si
    xor di, di
    mov cx, 0x4000
    cld
    rep movsd                   ; DS = ES = C000: copy the segment onto itself
    mov bl, 0x33                ; read and write RAM
    call pam_c0000
.out:
    ret

; ZF = 1 when 0:0.0 is an i440FX host bridge.
is_i440fx:
    mov eax, 0x80000000
    mov dx, 0xcf8
    out dx, eax
    mov dx, 0xcfc
    in eax, dx
    cmp eax, 0x12378086
    ret

; PAM 5Ah and 5Bh (C0000-CFFFF) = BL.
pam_c0000:
    mov eax, 0x80000058         ; device 0:0.0, dword 58h-5Bh
    mov dx, 0xcf8
    out dx, eax
    mov dx, 0xcfe               ; 5Ah: C0000-C7FFF
    mov al, bl
    out dx, al
    inc dx                      ; 5Bh: C8000-CFFFF
    out dx, al
    ret

; COM1 output before C can run: DS:SI, zero-terminated. Set the line up
; only if nobody has (LCR = 0 after reset).
com1_puts:
    mov dx, COM1_BASE + UART_LCR
    in al, dx
    test al, al
    jnz .say
    mov al, UART_LCR_DLAB       ; divisor 1 = 115200 baud
    out dx, al
    mov dx, COM1_BASE + UART_DLL
    mov al, 1
    out dx, al
    inc dx                      ; UART_DLM
    xor al, al
    out dx, al
    mov dx, COM1_BASE + UART_LCR
    mov al, UART_LCR_8N1
    out dx, al
.say:
    lodsb
    test al, al
    jz .out
    mov ah, al
    mov dx, COM1_BASE + UART_LSR
    mov cx, 0xffff              ; no UART (or a stuck one): do not hang
.wait:
    in al, dx
    test al, UART_LSR_THRE
    loopz .wait
    mov al, ah
    mov dx, COM1_BASE + UART_THR
    out dx, al
    jmp .say
.out:
    ret

no_ram_msg: db "vgabios: error: C0000-CFFFF is ROM here and no i440FX PAM makes it RAM:", 13, 10
            db "vgabios: no stack for the C code, so INT 10h is left as it was (no video BIOS)", 13, 10, 0

%include "include/bios/int_common.inc"

; INT 10h. A system BIOS that shadowed us may write-protect the shadow
; before it boots (SeaBIOS does): our data and stack are then gone. Check
; with the probe byte on every call; on an i440FX make the shadow writable
; again (it holds our image: no copy), and if that is impossible return
; with nothing done rather than run C without a stack.
extern handle_int10
global entry_int10
entry_int10:
    push ax
    mov al, [cs:rom_end]
    mov byte [cs:rom_end], 0x5a
    cmp byte [cs:rom_end], 0x5a
    mov [cs:rom_end], al
    je .ram
    pushad
    call is_i440fx
    jne .unlocked
    mov bl, 0x33                ; read and write RAM
    call pam_c0000
.unlocked:
    popad
    mov byte [cs:rom_end], 0x5a
    cmp byte [cs:rom_end], 0x5a
    mov [cs:rom_end], al
    je .ram
    pop ax
    iret
.ram:
    pop ax
    push word handle_int10
    jmp int_common

section .bss
caller_esp: resd 1
caller_ss: resw 1
