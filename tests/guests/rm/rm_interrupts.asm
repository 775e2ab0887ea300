; rm_interrupts.asm - hardware and software interrupts through the real-mode
; IVT: the timer (IRQ0, INT 08h) with a handler that chains to the BIOS and
; with one that sends its own EOI; the keyboard (IRQ1, INT 09h) raised by
; the 8042 itself; INT n, INT3 and INTO dispatch with the flags they push.
; A monitor that reflects IRQs into the guest's IVT (vmxassist) or runs
; real mode in hardware must give the same results.
%define GUEST_NAME "rm_interrupts"
%include "rm.inc"

MAX_HLT         equ 200
KBD_BYTE        equ 0x5a
KBD_BYTE2       equ 0xa5
SOFT_VEC        equ 0x66            ; a vector the BIOS leaves to programs

main:
    in al, 0x21
    mov [imr_master], al
    INFO "pic master imr 0x"
    call rm_hex8_16
    NEWLINE
    call test_timer_chain
    call test_timer_own_eoi
    call test_soft_int
    call test_kbd_irq1
    call test_kbd_bios
    jmp rm_finish

; HOOK vec, handler, save: save the IVT entry in save (dword), install
; 0000:handler. Registers and arithmetic flags are preserved; ends with STI.
%macro HOOK 3
    cli
    push dword [(%1) * 4]
    pop dword [%3]
    mov word [(%1) * 4], %2
    mov word [(%1) * 4 + 2], 0
    sti
%endmacro
; UNHOOK vec, save: put the saved entry back (same guarantees).
%macro UNHOOK 2
    cli
    push dword [%2]
    pop dword [(%1) * 4]
    sti
%endmacro

; ------------------------------------------------------- IRQ0, chained
test_timer_chain:
    mov word [irq0_count], 0
    HOOK 0x08, int08_chain, old_int08
    mov ebx, [0x46c]                ; BIOS tick count
    mov cx, MAX_HLT
.w:
    hlt
    cmp word [irq0_count], 3
    jae .done
    loop .w
.done:
    mov ax, [irq0_count]
    UNHOOK 0x08, old_int08
    cmp ax, 3
    CHECK ae, "int08_hook_sees_timer_irq", "fewer than 3 IRQ0s in 200 HLTs"
    mov eax, [0x46c]
    sub eax, ebx
    movzx ecx, word [irq0_count]
    cmp eax, ecx                    ; every chained IRQ0 reached the BIOS
    CHECK ae, "int08_chain_to_bios_keeps_tick_running", "BIOS tick fell behind our count"
    mov eax, [0x08 * 4]
    cmp eax, [old_int08]
    CHECK e, "int08_vector_restored"
    ret

int08_chain:
    inc word [cs:irq0_count]
    jmp far [cs:old_int08]

; ------------------------------------------- IRQ0, our own handler + EOI
test_timer_own_eoi:
    mov word [irq0_count], 0
    mov dword [irq0_flags], 0
    HOOK 0x08, int08_own, old_int08
    mov ebx, [0x46c]
    mov cx, MAX_HLT
.w:
    hlt
    cmp word [irq0_count], 3
    jae .done
    loop .w
.done:
    mov edx, [0x46c]                ; before unhooking: the BIOS saw nothing
    UNHOOK 0x08, old_int08
    movzx eax, word [irq0_count]
    cmp eax, 3
    CHECK ae, "int08_own_handler_with_eoi_sees_repeated_irqs", "EOI lost? fewer than 3 IRQ0s"
    sub edx, ebx
    mov eax, edx
    CHECK_EAX 0, "int08_own_handler_replaces_bios_handler"
    mov eax, [irq0_flags]
    and eax, 1 << 9
    CHECK_EAX 0, "irq_handler_runs_with_if_clear"
    ; the BIOS tick resumes once its vector is back
    mov ebx, [0x46c]
    mov cx, MAX_HLT
.w2:
    hlt
    cmp ebx, [0x46c]
    loope .w2
    CHECK ne, "bios_tick_resumes_after_unhook"
    ret

int08_own:
    push ax
    pushf
    pop ax
    mov [cs:irq0_flags], ax
    inc word [cs:irq0_count]
    mov al, 0x20
    out 0x20, al                    ; non-specific EOI to the master PIC
    pop ax
    iret

; ----------------------------------------------------- INT n, INT3, INTO
test_soft_int:
    HOOK SOFT_VEC, int_soft, old_soft
    mov ax, 0x1234
    clc
    int SOFT_VEC                    ; the handler sets CF in the pushed flags
.after_int:
    setc bl
    movzx eax, ax
    shl eax, 8
    mov al, bl
    CHECK_EAX 0x246901, "int_n_dispatches_through_ivt_and_iret_restores_flags"
    mov ax, [soft_flags]
    and eax, 1 << 9
    CHECK_EAX 0, "int_n_clears_if_in_handler"
    pushf
    pop ax
    and eax, 1 << 9
    CHECK_EAX 1 << 9, "iret_restores_if"
    movzx eax, word [soft_ret]
    CHECK_EAX .after_int, "int_n_pushes_next_ip"
    UNHOOK SOFT_VEC, old_soft

    HOOK 3, int_soft, old_int3
    mov ax, 0x0001
    int3                            ; CC, one byte
.after_int3:
    movzx edx, ax
    movzx eax, word [soft_ret]
    cmp eax, .after_int3            ; wrong return IP: report it
    jne .i3
    mov eax, edx
.i3:
    UNHOOK 3, old_int3
    CHECK_EAX 0x0003, "int3_dispatches_to_vector_3"

    HOOK 4, int_soft, old_int4
    mov ax, 0x0002
    mov bl, 0x7f
    add bl, 1                       ; OF=1
    into                            ; taken: vector 4
    movzx eax, ax
    mov bx, 0x0010
    add bl, 1                       ; OF=0
    into                            ; not taken
    UNHOOK 4, old_int4
    CHECK_EAX 0x0005, "into_dispatches_only_with_of"
    ret

int_soft:
    push bp
    mov bp, sp
    push word [bp + 2]              ; the pushed IP
    pop word [cs:soft_ret]
    push ax
    pushf
    pop ax
    mov [cs:soft_flags], ax
    pop ax
    shl ax, 1
    inc ax
    or word [bp + 6], 1             ; CF in the pushed FLAGS
    pop bp
    iret

; ---------------------------------------------- IRQ1 from the 8042 itself
; Command 0xD2 ("write keyboard output buffer", PS/2-style controllers) makes
; the controller put the next byte written to port 0x60 into its output
; buffer as if the keyboard had sent it, and raise IRQ1 when the command
; byte enables it (bit 0). The byte is not run through scan-code translation.
; Bochs 2.7's 8042 and QEMU's implement it (checked natively: the handler
; reads back exactly the byte written), so no fallback is needed here.
test_kbd_irq1:
    call kbc_flush
    mov byte [kbd_count], 0
    mov word [kbd_data], 0
    HOOK 0x09, int09_own, old_int09
    in al, 0x21
    mov [imr_saved], al
    and al, ~0x02                   ; IRQ1 unmasked for the test
    out 0x21, al

    mov al, KBD_BYTE
    call kbc_inject
    mov bl, 1
    call wait_kbd
    mov al, KBD_BYTE2
    call kbc_inject
    mov bl, 2
    call wait_kbd

    mov al, [imr_saved]
    out 0x21, al
    UNHOOK 0x09, old_int09
    movzx eax, byte [kbd_data]
    CHECK_EAX KBD_BYTE, "irq1_from_8042_d2_command_reads_byte"
    movzx eax, byte [kbd_data + 1]
    CHECK_EAX KBD_BYTE2, "irq1_second_injection_after_eoi"
    movzx eax, byte [kbd_count]
    CHECK_EAX 2, "irq1_delivered_once_per_byte"
    mov eax, [0x09 * 4]
    cmp eax, [old_int09]
    CHECK e, "int09_vector_restored"
    ret

int09_own:
    push ax
    push bx
    in al, 0x60
    movzx bx, byte [cs:kbd_count]
    and bx, 1
    mov [cs:kbd_data + bx], al
    inc byte [cs:kbd_count]
    mov al, 0x20
    out 0x20, al
    pop bx
    pop ax
    iret

; wait_kbd: HLT until kbd_count >= BL (bounded).
wait_kbd:
    mov cx, MAX_HLT
.w:
    cmp [kbd_count], bl
    jae .ok
    hlt
    loop .w
.ok:
    ret

; kbc_inject: AL = byte to appear in the output buffer (command 0xD2).
kbc_inject:
    push ax
    call rm_kbc_wait_in
    mov al, 0xd2
    out 0x64, al
    call rm_kbc_wait_in
    pop ax
    out 0x60, al
    ret

; kbc_flush: read out whatever is pending in the output buffer.
kbc_flush:
    push cx
    mov cx, 16
.f:
    in al, 0x64
    test al, 1
    jz .e
    in al, 0x60
    loop .f
.e:
    pop cx
    ret

; ------------------------------- the BIOS's own INT 09h handler + INT 16h
; Scan code 0x1E (make 'a') then 0x9E (break) through the same 0xD2 path; the
; BIOS keyboard handler must turn it into a key that INT 16h returns.
test_kbd_bios:
    call kbc_flush
    mov ah, 0x01                    ; drop anything already queued
.drop:
    mov ah, 0x01
    int 0x16
    jz .empty
    mov ah, 0x00
    int 0x16
    jmp .drop
.empty:
    mov al, 0x1e
    call kbc_inject
    mov cx, 50
.w1:
    hlt
    mov ah, 0x01
    int 0x16
    loopz .w1
    mov al, 0x9e
    call kbc_inject
    hlt
    mov ah, 0x01
    int 0x16
    jz .none
    mov ah, 0x00
    int 0x16
    movzx eax, ax
    CHECK_EAX 0x1e61, "int16_reads_key_injected_through_8042"
    ret
.none:
    FAIL "int16_reads_key_injected_through_8042", "no key in the BIOS buffer"
    ret

; ------------------------------------------------------------------- data
    align 4, db 0
old_int08:      dd 0
old_int09:      dd 0
old_soft:       dd 0
old_int3:       dd 0
old_int4:       dd 0
irq0_flags:     dd 0
irq0_count:     dw 0
soft_flags:     dw 0
soft_ret:       dw 0
kbd_data:       db 0, 0
kbd_count:      db 0
imr_master:     db 0
imr_saved:      db 0

RM_CODE_END
RM_IMAGE_END
