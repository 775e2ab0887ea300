; entry.asm - rombios's assembly: the reset vector, the way into C for every
; interrupt, and the protected-mode copy for memory above 1 MiB.
;
; The C code (gcc -m16) assumes CS = DS = ES = SS = F000 with a stack in our
; own segment. Each interrupt vector points at a two-instruction stub that
; pushes its C handler's offset and jumps to int_common, which builds a
; struct bregs (include/bios/fw16.h) on our stack and calls the handler with
; EAX pointing at it (regparm). INT 13h, 16h and 1Ah answer their status
; calls before that (hot.inc).
bits 16
cpu 686

extern rombios_post
global intcall, flat_copy, flat_copy_gdt

%include "fw.inc"                ; PC constants from the C headers (tools/fw-inc.c)

INTCALL_ROOM equ 256            ; stack the code intcall calls may use on ours

section .note.GNU-stack noalloc noexec nowrite progbits
section .text

%include "include/bios/int_common.inc"
%include "rombios/vectors.inc"
%include "rombios/hot.inc"
%include "cr.inc"                 ; CR0_PE ... (build/gen, from include/x86/cr.h)

; void intcall(u8 vec, struct bregs *r) [regparm: AL, EDX]
; Call INT vec with the registers in *r, then store the registers and FLAGS
; the handler returned into *r. vec 0 means "far call r->cs:r->ip" (how an
; option ROM's initialisation entry is called).
intcall:
    pushad
    push ds
    push es
    push fs
    push gs
    push edx                    ; r, for afterwards
    pushfd                      ; our IF, restored at the end
    cli                         ; nothing may reuse intcall_target before the call
    lea ebx, [esp - INTCALL_ROOM] ; the code we call runs on our stack and may
    mov [cs:int_floor], bx      ; let interrupts in (include/bios/int_common.inc)
    movzx eax, al
    test eax, eax
    jz .far
    xor bx, bx
    mov fs, bx
    mov ebx, [fs:eax*4]         ; the vector
    mov [cs:intcall_target], ebx
    mov byte [cs:intcall_is_int], 1
    jmp .load
.far:
    mov bx, [edx + 42]          ; r->ip
    mov [cs:intcall_target], bx
    mov bx, [edx + 44]          ; r->cs
    mov [cs:intcall_target + 2], bx
    mov byte [cs:intcall_is_int], 0
.load:
    mov ax, [edx + 0]
    mov gs, ax
    mov ax, [edx + 2]
    mov fs, ax
    mov ax, [edx + 4]
    mov es, ax
    mov edi, [edx + 8]
    mov esi, [edx + 12]
    mov ebp, [edx + 16]
    mov ebx, [edx + 24]
    mov ecx, [edx + 32]
    mov eax, [edx + 36]
    push word [edx + 6]         ; DS last: EDX still points into our segment
    mov edx, [edx + 28]
    pop ds
    cmp byte [cs:intcall_is_int], 0
    je .callfar
    pushf                       ; an INT: FLAGS, then the far call
    call far [cs:intcall_target]
    jmp .back
.callfar:
    call far [cs:intcall_target]
.back:
    pushf                       ; the handler's FLAGS
    push ds
    push ebx
    mov bx, cs
    mov ds, bx
    mov ebx, [esp + 12]         ; r (above ebx, ds, flags and our EFLAGS)
    mov [ebx + 36], eax
    mov [ebx + 32], ecx
    mov [ebx + 28], edx
    mov [ebx + 16], ebp
    mov [ebx + 12], esi
    mov [ebx + 8], edi
    mov ax, es
    mov [ebx + 4], ax
    mov ax, fs
    mov [ebx + 2], ax
    mov ax, gs
    mov [ebx + 0], ax
    pop dword [ebx + 24]        ; EBX
    pop word [ebx + 6]          ; DS
    pop word [ebx + 46]         ; FLAGS
    popfd
    add sp, 4                   ; r
    pop gs
    pop fs
    pop es
    pop ds
    popad
    o32 ret

; A vector that does nothing (unused software interrupts).
global entry_iret
entry_iret:
    iret

; int flat_copy(u32 dst, u32 src, u32 len) [regparm: EAX, EDX, ECX]
; Copy len bytes (a multiple of 2, at most 128 KiB) between any two linear
; addresses below 4 GiB: enter 16-bit protected mode with 4 GiB data
; segments, copy, and return to real mode, the way INT 15h AH=87h has always
; done it. Interrupts stay off throughout. Returns 0. A multiple of 4 goes in
; dwords: device registers such as the local APIC's take 32-bit accesses only.
flat_copy:
    pushfd
    push ds
    push es
    push esi
    push edi
    cli
    mov edi, eax
    mov esi, edx
    shr ecx, 1
    mov dx, cx                  ; bit 0 set: an odd number of words
    o32 lgdt [cs:flat_copy_gdt_desc]
    mov eax, cr0
    or al, CR0_PE
    mov cr0, eax
    jmp 0x08:.pm                ; 16-bit code, base F0000
.pm:
    mov ax, 0x10                ; 4 GiB data
    mov ds, ax
    mov es, ax
    cld
    test dl, 1
    jnz .words
    shr ecx, 1
    a32 rep movsd
    jmp .done
.words:
    a32 rep movsw
.done:
    mov ax, 0x18                ; back to 64 KiB limits before real mode
    mov ds, ax
    mov es, ax
    mov eax, cr0
    and al, ~CR0_PE
    mov cr0, eax
    jmp 0xf000:.rm
.rm:
    pop edi
    pop esi
    pop es
    pop ds
    popfd
    xor eax, eax
    o32 ret

align 8
flat_copy_gdt:
    dq 0
    dq 0x00009b0f0000ffff       ; 0x08 16-bit code, base F0000, 64 KiB
    dq 0x008f93000000ffff       ; 0x10 16-bit data, base 0, 4 GiB
    dq 0x000093000000ffff       ; 0x18 16-bit data, base 0, 64 KiB
flat_copy_gdt_desc:
    dw flat_copy_gdt_desc - flat_copy_gdt - 1
    dd 0xf0000 + flat_copy_gdt

; POST starts here (F000:E05B, where a PC BIOS has always had it).
section .post
global post_entry
post_entry:
    cli
    cld
    ; Our data and stack live in our own segment: make sure it is RAM.
    mov ax, cs
    mov ds, ax
    mov byte [shadow_probe], 0x5a
    cmp byte [shadow_probe], 0x5a
    je .writable
    xor ax, ax                  ; a stack in low RAM for the calls below
    mov ss, ax
    mov sp, 0x7000
    call shadow_enable
    mov byte [shadow_probe], 0x5a
    cmp byte [shadow_probe], 0x5a
    je .writable
    ; Not RAM and no i440FX to make it so: say why on COM1 and stop.
    mov dx, COM1_BASE + UART_LCR ; 8N1 (the divisor is whatever it was)
    mov al, UART_LCR_8N1
    out dx, al
    mov si, no_shadow_msg
.say:
    lodsb
    test al, al
    jz .stop
    mov ah, al
    mov dx, COM1_BASE + UART_LSR
.wait:
    in al, dx
    test al, UART_LSR_THRE
    jz .wait
    mov al, ah
    mov dx, COM1_BASE + UART_THR
    out dx, al
    jmp .say
.stop:
    hlt
    jmp .stop
.writable:
    mov ax, cs
    mov ss, ax
    mov esp, stack_top
    mov es, ax
    call dword rombios_post      ; a 32-bit near call: C returns with RETL
    mov byte [int_busy], 0      ; our stack is free for the interrupts from now on
    ; Boot with the stack a boot sector expects to find: 0000:7C00, just below it.
    xor ax, ax
    mov ss, ax
    mov esp, 0x7c00
    mov ds, ax
    mov es, ax
    sti
    int 0x19
    jmp .stop

; On a plain PC (an emulator with no hv), F0000-FFFFF and C0000-CFFFF are
; ROM. The i440FX PAM registers (device 0:0.0, 59h-5Bh) can make them RAM,
; but RAM that starts out empty. So: copy both ROMs to low RAM, continue in
; the copy at 1000:xxxx (while the PAM changes, what F000 reads as changes
; under the running code: QEMU reads RAM as soon as writes go there), turn
; the PAM to "read and write RAM", copy the ROMs back, return to F000.
shadow_enable:
    mov ax, 0xf000
    mov bx, 0x1000
    call copy64k                ; F0000 -> 10000
    mov ax, 0xc000
    mov bx, 0x2000
    call copy64k                ; C0000 -> 20000
    jmp 0x1000:.in_ram
.in_ram:
    mov eax, 0x80000058         ; device 0:0.0, dword 58h-5Bh
    mov dx, 0xcf8
    out dx, eax
    ; One byte per PAM register: Bochs 2.7 decodes a PAM write from the
    ; whole value written, so a dword write would set the wrong areas.
    mov al, 0x30                ; 59h: F0000-FFFFF read and write RAM
    mov dx, 0xcfd
    out dx, al
    mov al, 0x33                ; 5Ah, 5Bh: C0000-CFFFF likewise
    inc dx
    out dx, al
    inc dx
    out dx, al
    mov ax, 0x1000
    mov bx, 0xf000
    call copy64k
    mov ax, 0x2000
    mov bx, 0xc000
    call copy64k
    jmp 0xf000:.back
.back:
    mov ax, cs
    mov ds, ax
    ret

copy64k:                        ; 64 KiB from AX:0 to BX:0 (DS, ES changed)
    mov ds, ax
    mov es, bx
    xor si, si
    xor di, di
    mov cx, 0x4000
    cld
    rep movsd
    ret

no_shadow_msg: db "rombios: error: F0000-FFFFF is not writable RAM and no i440FX PAM can make it so", 13, 10, 0

section .bss
shadow_probe: resb 1
intcall_target: resd 1
intcall_is_int: resb 1

; The reset vector (F000:FFF0), the BIOS date and the model byte.
section .reset
    jmp 0xf000:post_entry
    db "11/26/26"
    db 0
    db 0xfc                     ; model: AT
    db 0
