; rm_big_real_no_far_jump.asm - big real mode entered the short way, with
; no far jump anywhere: LGDT, MOV CR0 with PE=1, load segment registers with
; a 4 GiB data selector, MOV CR0 with PE=0. The CPU never runs protected-mode
; code: CS stays the real-mode one, and each segment loaded while PE was set
; keeps its selector, base and limit (the descriptor cache) until real-mode
; code reloads it - and a real-mode reload replaces selector and base only,
; so the 4 GiB limit stays. This is how kvm-unit-tests' x86/realmode.c runs
; every test instruction (its exec_in_big_real_mode) and how HIMEM-style
; code reaches memory above 1 MiB.
;
; A monitor that crosses the PE window must notice PE being cleared again,
; not wait for a far jump, and must go on in real mode with segment state
; VM86 cannot express (selector 10h with base 0).
%define GUEST_NAME "rm_big_real_no_far_jump"
%include "rm.inc"

HIMEM           equ 0x340000
PATTERN         equ 0x5ca1ab1e

main:
    call rm_enable_a20
    CHECK nc, "a20_enabled_for_memory_above_1mib"

    ; ---- 1. kvm-unit-tests' sequence (x86/realmode.c, exec_in_big_real_mode):
    ;      lgdtl; mov cr0,tmp; or 1; mov cr0; mov gs; and -2; mov cr0.
    ;      Only GS is loaded in the window; interrupts stay on there as in
    ;      the original (nothing may arrive in three instructions here, as
    ;      the timer is slow; a real CPU would take it in protected mode).
    cli
    mov bx, SEL_DATA32
    o32 lgdt [rm_gdtr]
    mov eax, cr0
    or eax, 1
    mov cr0, eax
    mov gs, bx
    and eax, -2
    mov cr0, eax
    ; still real mode: GS reads back as the selector, CS is unchanged
    mov ax, gs
    movzx eax, ax
    CHECK_EAX SEL_DATA32, "gs_keeps_the_selector_loaded_while_pe_was_set"
    mov ax, cs
    movzx eax, ax
    CHECK_EAX 0, "cs_unchanged_after_pe_cleared_without_far_jump"
    smsw ax
    and eax, 1
    CHECK_EAX 0, "cr0_pe_reads_clear_again"
    ; GS: base 0, limit 4 GiB, right away (selector 10h, not 10h * 16)
    mov dword [gs:dword HIMEM], PATTERN
    mov eax, [gs:dword HIMEM]
    CHECK_EAX PATTERN, "gs_reaches_above_1mib_right_after_pe_clear"
    mov dword [gs:0x100], 0x11223344   ; base 0: linear 100h, not 200h
    mov eax, [0x100]
    CHECK_EAX 0x11223344, "gs_base_is_the_descriptor_base_not_selector_times_16"
    ; the next string instructions (where vmxassist used to stop): a
    ; plain one with ES = 0, then GS:ESI above 1 MiB -> ES:EDI
    mov di, RM_BUF + 4
    mov ax, 0x7777
    mov cx, 2
    cld
    rep stosw
    mov eax, [RM_BUF + 4]
    CHECK_EAX 0x77777777, "rep_stosw_right_after_pe_clear"
    mov esi, HIMEM
    xor edi, edi
    mov di, RM_BUF
    mov ecx, 1
    a32 rep gs movsd                    ; GS:ESI (above 1 MiB) -> ES:EDI
    mov eax, [RM_BUF]
    CHECK_EAX PATTERN, "a32_movsd_from_gs_above_1mib_after_pe_clear"
    ; the usual end of the test: GS = 0 in real mode; the limit stays
    xor eax, eax
    mov gs, ax
    mov eax, [gs:dword HIMEM]
    CHECK_EAX PATTERN, "gs_limit_survives_real_mode_reload"
    sti

    ; ---- 2. the HIMEM-style variant: DS, ES, FS, GS and SS loaded in the
    ;      window, other instructions in it, PE cleared with AND AL on EAX
    RM_SET_PE
    mov dx, SEL_DATA32
    mov ds, dx
    mov es, dx
    mov fs, dx
    mov dx, SEL_DATA_20000
    mov gs, dx
    push ss
    mov dx, SEL_DATA32
    mov ss, dx
    pop dx                              ; a pop through SS (base 0) in the window
    add cx, 0                           ; an ordinary instruction
    and al, 0xfe
    mov cr0, eax
    ; real mode with DS=ES=FS=SS=10h (base 0, 4 GiB) and GS=30h (base 20000h).
    ; Interrupts stay off until every segment is reloaded: an interrupt
    ; handler that pushes and pops a segment register reloads it the
    ; real-mode way (base = 10h * 16), on any CPU.
    mov ss, dx                          ; SS = 0 again (dx = the old SS)
    mov ax, ds
    movzx eax, ax
    CHECK_EAX SEL_DATA32, "ds_keeps_the_selector_loaded_while_pe_was_set"
    mov dword [gs:0x20], 0x600dcafe    ; base 20000h
    mov eax, [dword 0x20020]            ; DS base 0
    CHECK_EAX 0x600dcafe, "gs_keeps_its_descriptor_base_20000h"
    ; a32 rep stosd with ES big, and a32 rep movsd DS -> ES, above 1 MiB
    mov edi, HIMEM + 0x100
    mov eax, 0xa5a50001
    mov ecx, 64
    cld
    a32 rep stosd
    mov eax, [dword HIMEM + 0x100 + 63 * 4]
    CHECK_EAX 0xa5a50001, "a32_rep_stosd_es_above_1mib_with_es_from_window"
    mov esi, HIMEM + 0x100
    mov edi, HIMEM + 0x1000
    mov ecx, 64
    a32 rep movsd
    mov eax, [fs:dword HIMEM + 0x1000 + 32 * 4]
    CHECK_EAX 0xa5a50001, "a32_rep_movsd_above_1mib_with_ds_es_from_window"
    ; reload everything in real mode: the 4 GiB limits stay (GS keeps the
    ; 64 KiB limit of its descriptor)
    xor ax, ax
    mov ds, ax
    mov es, ax
    mov fs, ax
    mov gs, ax
    sti
    mov eax, [dword HIMEM + 0x1000]
    CHECK_EAX 0xa5a50001, "ds_limit_survives_real_mode_reload"
    mov edi, HIMEM + 0x2000
    mov eax, 0x0badf00d
    mov ecx, 16
    a32 rep stosd
    mov eax, [fs:dword HIMEM + 0x2000 + 15 * 4]
    CHECK_EAX 0x0badf00d, "a32_rep_stosd_after_reload"

    ; ---- 3. a BIOS call and an IRQ with the big limits, data checked after
    mov ah, 0x88                        ; INT 15h AH=88h: extended memory size
    clc
    int 0x15
    setnc al
    movzx eax, al
    CHECK_EAX 1, "bios_int15_88_in_big_real_mode"
    mov ah, 0x02                        ; INT 13h: read sector 0 of the boot drive
    mov al, 1
    mov cx, 1
    xor dh, dh
    mov dl, [rm_boot_drive]
    mov bx, RM_BUF2
    int 0x13
    mov ax, [RM_BUF2 + 510]
    movzx eax, ax
    CHECK_EAX 0xaa55, "bios_int13_read_in_big_real_mode"
    mov eax, [fs:dword HIMEM]
    CHECK_EAX PATTERN, "fs_limit_survives_bios_calls"
    WAIT_TICK
    CHECK ne, "timer_irq_delivered_in_big_real_mode"
    mov eax, [es:dword HIMEM + 0x2000]
    CHECK_EAX 0x0badf00d, "es_limit_survives_irq"

    ; ---- 4. a BIOS call while a segment still holds the selector from
    ;      the window (VM86 cannot express it): vmxassist interprets the
    ;      BIOS. Whether the BIOS reloads FS (push/pop) is its own business,
    ;      so the limit is checked after an explicit real-mode reload.
    RM_SET_PE
    mov dx, SEL_DATA32
    mov fs, dx
    and al, 0xfe
    mov cr0, eax
    int 0x12                            ; INT 12h: base memory size
    cmp ax, 512
    CHECK ae, "bios_int12_answers_with_selector_10h_in_fs"
    mov ax, fs
    movzx eax, ax
    CHECK_EAX SEL_DATA32, "fs_still_holds_selector_10h_after_bios_call"
    mov fs, ax                          ; real-mode reload: base 100h
    mov eax, [fs:dword HIMEM - 0x100]
    CHECK_EAX PATTERN, "fs_limit_survives_bios_call_and_reload"
    xor ax, ax
    mov fs, ax
    sti
    jmp rm_finish

RM_CODE_END
RM_IMAGE_END
