; rm_xms_driver_pattern.asm - what an XMS driver (FreeDOS HIMEMX, MS HIMEM.SYS)
; does to the machine when it loads and when it is used, in its order:
;
; 1. the 386 check: POPF with IOPL=3 and NT=1 in real mode, read back;
; 2. A20: INT 15h 2403h (which methods the BIOS supports) and 2402h (state),
;    INT 15h C0h (the PS/2 test), then each switch method HIMEM tries - the
;    8042 (D1h, then DDh/DFh to the output port, then the FFh "pulse
;    nothing" command, status-register polling between them), port 92h
;    (bit 1, bit 0 kept clear) and INT 15h 2400h/2401h - each turning A20
;    off and on again, with the 1 MiB wrap checked after each (a pattern
;    written to 0000:0080 and read at FFFF:0090, and HIMEMX's own
;    non-writing compare of 0000:0010 with FFFF:0020), and 2402h and the
;    8042's output port (D0h) asked whether they agree;
; 3. memory: INT 15h E820h for every entry (EDX = 'SMAP' on every call as
;    HIMEMX does, and again with EDX left as the BIOS returned it), E801h and
;    88h, which must agree; memory above 1 MiB readable and writable;
; 4. big real mode HIMEMX's way (LGDT, PE=1, a short jump, DS/ES loaded with a
;    4 GiB data selector, PE=0, no far jump, then DS=ES=0 in real mode), and
;    the moves of an EMB move with it: a32 rep movsd above 1 MiB with
;    interrupts on (the timer IRQ lands in the middle of the string
;    instruction), STD backward copies of overlapping blocks (memmove),
;    moves to and from the HMA at FFFF:0010, then an INT 13h disk read and
;    INT 15h 87h with the segments big;
; 5. an XMS "move" of 128 KiB through INT 15h 87h in 8 KiB pieces with the
;    descriptor table built on the stack (HIMEMX's pmcopy), data checked;
; 6. 32-bit registers across every BIOS call used here: the upper halves of
;    EBX, ECX, EDX, ESI, EDI and EBP (where not outputs) and ESP kept;
; 7. IF and DF as they were before each call, FS/GS limits still 4 GiB.
%define GUEST_NAME "rm_xms_driver_pattern"
%include "rm.inc"

HI_A            equ 0x200000        ; scratch blocks above 1 MiB
HI_B            equ 0x300000
HI_C            equ 0x400000
HI_D            equ 0x500000
HMA             equ 0x100000        ; FFFF:0010
SMAP            equ 0x534d4150
E820_BUF        equ RM_BUF3         ; entries, HIMEMX's loop (32 * 20 bytes)
E820_BUF2       equ RM_BUF3 + 0x400 ; entries, EDX not reloaded
E820_MAX        equ 32
MOVE_BLOCK      equ 0x4000          ; 16 KiB per a32 rep movsd with IRQs on
XMS_PIECE       equ 0x2000          ; HIMEMX's BLOCKSIZE for INT 15h 87h
XMS_LEN         equ 0x20000         ; 128 KiB
XSEL_DATA32     equ 0x08            ; HIMEMX's GDT: 08 4 GiB data, 10 64 KiB data
XSEL_DATA16     equ 0x10
UPPER_MARK      equ 0xb1b2          ; upper halves seeded before a BIOS call

; RSEED: put distinct marks in the upper halves of EBX..EBP (low halves kept).
%macro RSEED 0
    call regs_seed
%endmacro
; RCHECK "call", skipmask: check the upper halves, except the registers in
; skipmask (1 EBX, 2 ECX, 4 EDX), and that ESP's upper half is still 0.
%macro RCHECK 2
    push word %2
    call regs_check
    db %1, 0
%endmacro

; CK cc, "name": PASS when condition cc holds, else FAIL (CHECK, smaller).
%macro CK 2
    push ax
    set%-1 al
    call ck_al
    db %2, 0
    pop ax
%endmacro
; CKE value, "name": PASS when EAX == value, else FAIL with both (CHECK_EAX,
; smaller).
%macro CKE 2
    push dword %1
    call cke
    db %2, 0
%endmacro

main:
    ; HIMEMX and MS HIMEM have their own stack; ours is 0000:7C00.
    cld

    ; ------------------------------------------------------------ 1. 386 check
    pushf
    mov ah, 0x70                    ; IOPL=3, NT=1
    push ax
    popf
    pushf
    pop ax
    popf
    and ah, 0xf0
    movzx eax, ah
    CKE 0x70, "popf_sets_iopl_and_nt_in_real_mode_386_check"
    ; NT back to 0. IOPL is not checked: under vmxassist the code runs in
    ; VM86 at IOPL 3, where PUSHF shows IOPL 3 whatever real mode had (a
    ; PC shows 0); HIMEMX's check only needs bits 12-14 settable.
    pushf
    pop ax
    and ax, 0x4000
    movzx eax, ax
    CKE 0, "popf_restores_nt_after_386_check"

    ; ------------------------------------------------------------ 2. A20
    mov ax, 0x2403
    RSEED
    stc
    int 0x15
    RCHECK "int15_2403_query_a20_support", 1
    jc .no2403
    mov [a20_support], bx
    INFO "INT 15h 2403h: methods 0x"
    movzx eax, bx
    PUTHEX
    NEWLINE
    test ah, ah
    CK z, "int15_2403_returns_ah_0"
    jmp .after2403
.no2403:
    INFOLN "INT 15h 2403h not supported (CF=1)"
.after2403:
    mov ah, 0xc0                    ; HIMEMX's PS/2 test
    stc
    int 0x15
    jc .noc0
    INFO "INT 15h C0h: feature byte 1 = 0x"
    mov al, [es:bx + 5]
    movzx eax, al
    PUTHEX
    NEWLINE
.noc0:
    xor ax, ax
    mov es, ax

    ; the state the BIOS left, then HIMEMX's "detect_and_handle_test" for each
    ; method in its order: KBC, BIOS, port 92h
    call a20_wraps
    mov [a20_at_boot], al
    INFO "A20 at boot: "
    movzx eax, al
    xor al, 1
    PUTHEX
    NEWLINE
    call a20_bios_state
    xor al, [a20_at_boot]           ; 2402h says on (1) exactly when no wrap (0)
    movzx eax, al
    CKE 1, "int15_2402_agrees_with_the_wrap_test_at_boot"

    ; -- the 8042
    mov ah, 0
    call a20_kbc
    call a20_check_off
    db "kbc_d1_ddh_turns_a20_off", 0
    call kbc_read_output
    and eax, 2
    CKE 0, "kbc_d0_output_port_shows_a20_off"
    mov ah, 2
    call a20_kbc
    call a20_check_on
    db "kbc_d1_dfh_turns_a20_on", 0
    call kbc_read_output
    and eax, 2
    CKE 2, "kbc_d0_output_port_shows_a20_on"
    ; -- the BIOS
    mov ah, 0
    call a20_bios
    call a20_check_off
    db "int15_2400_turns_a20_off", 0
    mov ah, 2
    call a20_bios
    call a20_check_on
    db "int15_2401_turns_a20_on", 0
    ; -- port 92h
    mov ah, 0
    call a20_port92
    call a20_check_off
    db "port92_bit1_clear_turns_a20_off", 0
    in al, 0x92
    and eax, 2
    CKE 0, "port92_reads_back_a20_off"
    mov ah, 2
    call a20_port92
    call a20_check_on
    db "port92_bit1_set_turns_a20_on", 0
    in al, 0x92
    and eax, 3
    CKE 2, "port92_reads_back_a20_on_and_no_reset_bit"
    ; -- mixed: off through one, on through another (a driver and a BIOS
    ;    disagreeing about the method), each seen by the others
    mov ah, 0
    call a20_port92
    mov ah, 2
    call a20_kbc
    call a20_check_on
    db "a20_off_by_port92_on_by_kbc", 0
    mov ah, 0
    call a20_kbc
    mov ah, 2
    call a20_bios
    call a20_check_on
    db "a20_off_by_kbc_on_by_int15", 0
    ; -- IF=0 kept by 2401h called with interrupts off (HIMEMX's BIOS method)
    pushf
    cli
    sub sp, 10
    mov ax, 0x2401
    int 0x15
    add sp, 10
    pushf
    pop ax
    popf
    and ax, 0x0200
    movzx eax, ax
    CKE 0, "int15_2401_keeps_if_clear"

    ; ------------------------------------------------------------ 3. memory
    ; HIMEMX: EBX=0, then EDX='SMAP', ECX=20, EAX=E820h on every call
    mov di, E820_BUF
    xor ebx, ebx
    xor bp, bp                      ; entries
.e820:
    mov edx, SMAP
    mov ecx, 20
    mov dword [di + 16], 0
    xor eax, eax
    mov ax, 0xe820
    push ebx
    ror esi, 16                     ; ESI/EBP upper halves seeded
    mov si, UPPER_MARK
    ror esi, 16
    clc
    int 0x15
    jc .e820_cf
    cmp eax, SMAP
    jne .e820_bad
    cmp ecx, 20
    jb .e820_done_pop
    mov eax, esi
    shr eax, 16
    cmp ax, UPPER_MARK
    jne .e820_esi
    pop eax                         ; the previous EBX
    inc bp
    add di, 20
    test ebx, ebx
    jz .e820_done
    cmp bp, E820_MAX
    jb .e820
    jmp .e820_done
.e820_cf:
    pop eax
    jmp .e820_done
.e820_done_pop:
    pop eax
    jmp .e820_done
.e820_esi:
    pop eax
    FAIL "e820_keeps_esi_upper_half", "changed"
    jmp .e820_done
.e820_bad:
    pop eax
    FAIL "e820_returns_smap_in_eax", "EAX was not 'SMAP'"
.e820_done:
    mov [e820_count], bp
    movzx eax, bp
    INFO "E820: entries "
    PUTHEX
    NEWLINE
    cmp bp, 3
    CK ae, "e820_lists_at_least_3_entries"
    ; the same walk with EDX set on the first call only
    mov di, E820_BUF2
    xor ebx, ebx
    xor bp, bp
    mov edx, SMAP
.e820b:
    mov ecx, 20
    mov eax, 0xe820
    int 0x15
    jc .e820b_done
    cmp eax, SMAP
    jne .e820b_done
    inc bp
    add di, 20
    test ebx, ebx
    jz .e820b_done
    cmp bp, E820_MAX
    jb .e820b
.e820b_done:
    movzx eax, bp
    cmp ax, [e820_count]
    jne .e820b_count
    mov si, E820_BUF
    mov di, E820_BUF2
    mov cx, [e820_count]
    imul cx, cx, 10
    repe cmpsw
    CK e, "e820_same_entries_with_edx_not_reloaded"
    jmp .e820b_end
.e820b_count:
    movzx ecx, word [e820_count]
    mov eax, ecx
    FAIL "e820_same_entries_with_edx_not_reloaded", "a different number of entries"
.e820b_end:
    ; sum the type-1 memory from 1 MiB up, contiguous (what HIMEMX and E801 see)
    mov si, E820_BUF
    mov cx, [e820_count]
    mov dword [e820_ext_kb], 0
    mov dword [e820_top], 0
    mov ebx, 0x100000               ; where the contiguous run must go on
.sum:
    jcxz .sum_done
    cmp dword [si + 16], 1
    jne .sum_next
    cmp dword [si + 4], 0
    jne .sum_next
    mov eax, [si]
    mov edx, [si + 8]
    cmp eax, 0x100000
    jb .sum_next
    cmp eax, ebx
    jne .sum_next
    add ebx, edx
    mov [e820_top], ebx
    shr edx, 10
    add [e820_ext_kb], edx
.sum_next:
    add si, 20
    dec cx
    jmp .sum
.sum_done:
    INFO "E820 memory from 1 MiB up: KiB 0x"
    mov eax, [e820_ext_kb]
    PUTHEX
    NEWLINE
    cmp dword [e820_ext_kb], 15 * 1024
    CK a, "e820_has_memory_above_16mib"

    ; E801h, HIMEMX's way (registers zeroed first)
    xor ax, ax
    mov bx, ax
    mov cx, ax
    mov dx, ax
    mov ax, 0xe801
    RSEED
    int 0x15
    RCHECK "int15_e801", 0
    setnc [e801_ok]
    cmp byte [e801_ok], 1
    CK e, "int15_e801_succeeds"
    mov [e801_ax], ax
    mov [e801_bx], bx
    cmp ax, cx
    jne .e801_diff
    cmp bx, dx
    jne .e801_diff
    PASS "int15_e801_ax_bx_equal_cx_dx"
    jmp .e801_sum
.e801_diff:
    FAIL "int15_e801_ax_bx_equal_cx_dx", "differ"
.e801_sum:
    movzx eax, word [e801_bx]
    shl eax, 6
    movzx edx, word [e801_ax]
    add eax, edx
    mov [e801_kb], eax
    INFO "E801: KiB 0x"
    PUTHEX
    NEWLINE
    ; E801 counts in 64 KiB units above 16 MiB: within 64 KiB of E820
    mov eax, [e820_ext_kb]
    sub eax, [e801_kb]
    jns .e801_pos
    neg eax
.e801_pos:
    cmp eax, 64
    CK b, "e801_total_agrees_with_e820_within_64kib"
    ; 88h: at most what exists, at least the first 15 MiB of it
    mov ah, 0x88
    RSEED
    clc
    int 0x15
    RCHECK "int15_88", 0
    movzx eax, ax
    mov [ext88], eax
    INFO "INT 15h 88h: KiB 0x"
    PUTHEX
    NEWLINE
    cmp eax, [e820_ext_kb]
    CK be, "int15_88_not_more_than_e820"
    cmp eax, 15 * 1024
    CK ae, "int15_88_at_least_15mib"

    ; ------------------------------------------------------------ 4. big real
    call set_ureal                  ; HIMEMX's: DS/ES 4 GiB, back to 0
    PASS "big_real_mode_entered_himemx_way"
    ; memory above 1 MiB: three places in the E820 run, the last page too
    mov esi, HI_A
    call probe_rw
    CK e, "ram_at_2mib_read_write"
    mov esi, [e820_top]
    sub esi, 0x1000
    call probe_rw
    CK e, "ram_in_last_page_of_e820_run_read_write"
    mov esi, [e820_top]
    shr esi, 1
    and esi, ~0xfff
    call probe_rw
    CK e, "ram_in_middle_of_e820_run_read_write"

    ; -- fill HI_A with a counting pattern
    mov edi, HI_A
    mov eax, 0x01000000
    mov ecx, MOVE_BLOCK / 4
.fill:
    a32 stosd
    inc eax
    a32 loop .fill
    ; -- the timer hook that sees where IRQ 0 lands
    cli
    HOOK_IVT 8, irq0_hook, old_int8
    sti
    ; -- copy HI_A -> HI_B with IRQs on until the tick changes
    mov ebx, [0x46c]
    mov word [copies], 0
.copy:
    mov esi, HI_A
    mov edi, HI_B
    mov ecx, MOVE_BLOCK / 4
    sti
..@copy_rep:
    a32 rep movsd
    inc word [copies]
    cmp ecx, 0
    jne .copy_regs
    cmp esi, HI_A + MOVE_BLOCK
    jne .copy_regs
    cmp edi, HI_B + MOVE_BLOCK
    jne .copy_regs
    cmp ebx, [0x46c]
    jne .copied
    cmp word [copies], 2000
    jb .copy
.copied:
    PASS "a32_rep_movsd_leaves_full_esi_edi_ecx"
    jmp .copy_check
.copy_regs:
    FAIL "a32_rep_movsd_leaves_full_esi_edi_ecx", "ESI/EDI/ECX wrong after the copy"
.copy_check:
    cmp ebx, [0x46c]
    CK ne, "timer_irq_during_big_real_moves"
    INFO "copies until a tick 0x"
    movzx eax, word [copies]
    PUTHEX
    PUTS ", IRQ 0 inside rep movsd 0x"
    movzx eax, word [irq_in_rep]
    PUTHEX
    NEWLINE
    mov esi, HI_A
    mov edi, HI_B
    mov ecx, MOVE_BLOCK / 4
    a32 repe cmpsd
    CK e, "moved_block_matches_after_irqs"

    ; -- memmove backward (STD) over an overlap, dwords and bytes, IRQs on
    mov esi, HI_B                   ; HI_C = the reference (forward, no overlap)
    mov edi, HI_C
    mov ecx, MOVE_BLOCK / 4
    a32 rep movsd
    mov esi, HI_B + MOVE_BLOCK - 4  ; HI_B -> HI_B + 6, backward
    mov edi, HI_B + 6 + MOVE_BLOCK - 4
    mov ecx, MOVE_BLOCK / 4
    std
    a32 rep movsd
    cld
    cmp esi, HI_B - 4
    CK e, "std_a32_rep_movsd_ends_below_the_block"
    mov esi, HI_C
    mov edi, HI_B + 6
    mov ecx, MOVE_BLOCK / 4
    a32 repe cmpsd
    CK e, "std_overlapping_memmove_dwords_correct"
    mov esi, HI_C + MOVE_BLOCK - 1  ; HI_C -> HI_C + 3, backward, bytes
    mov edi, HI_C + 3 + MOVE_BLOCK - 1
    mov ecx, MOVE_BLOCK
    std
    a32 rep movsb
    cld
    mov esi, HI_B + 6               ; (still the reference data)
    mov edi, HI_C + 3
    mov ecx, MOVE_BLOCK
    a32 repe cmpsb
    CK e, "std_overlapping_memmove_bytes_correct"
    pushf
    pop ax
    and ax, 0x0600                  ; DF and IF
    movzx eax, ax
    CKE 0x0200, "flags_after_moves_if_on_df_clear"

    ; -- the HMA (A20 on): FFFF:0010 as a 16-bit segment and as linear 100000h
    mov ah, 2
    call a20_port92
    mov ax, 0xffff
    mov es, ax
    mov di, 0x10
    mov ax, 0x4d48                  ; "HM"
    mov cx, 64
    rep stosw
    xor ax, ax
    mov es, ax
    call set_ureal                  ; (ES was reloaded: HIMEMX re-enters each time)
    mov eax, [dword HMA + 124]
    CKE 0x4d484d48, "hma_written_at_ffff_0010_read_at_100000h"
    mov esi, HI_A                   ; HI_A -> HMA + 100h, big segments
    mov edi, HMA + 0x100
    mov ecx, 64
    a32 rep movsd
    push ds
    mov ax, 0xffff
    mov ds, ax
    mov eax, [0x110 + 63 * 4]
    pop ds
    CKE 0x0100003f, "move_to_hma_read_at_ffff_0110"
    mov esi, HMA + 0x100            ; HMA -> HI_D, then compare with HI_A
    mov edi, HI_D
    mov ecx, 64
    a32 rep movsd
    mov esi, HI_A
    mov edi, HI_D
    mov ecx, 64
    a32 repe cmpsd
    CK e, "move_from_hma_matches"

    ; -- a BIOS disk read and INT 15h 87h with the segments big
    call set_ureal_fs_gs
    mov ax, 0x0201
    mov cx, 1
    xor dh, dh
    mov dl, [rm_boot_drive]
    mov bx, RM_BUF2
    mov word [RM_BUF2 + 510], 0
    RSEED
    int 0x13
    RCHECK "int13_02_big_real", 0
    mov ax, [RM_BUF2 + 510]
    movzx eax, ax
    CKE 0xaa55, "int13_read_in_big_real_mode"
    mov esi, HI_D + 0x10
    call probe_fs
    CK e, "fs_still_4gib_after_int13"
    mov esi, HI_D + 0x10
    call probe_gs
    CK e, "gs_still_4gib_after_int13"
    RSEED
    mov eax, RM_BUF2                ; boot sector -> HI_D + 1000h
    mov ebx, HI_D + 0x1000
    mov cx, 256
    call rm_move_block
    RCHECK "int15_87_big_real", 1   ; (rm_move_block clobbers EBX)
    CK nc, "int15_87_in_big_real_mode"
    mov ax, [fs:dword HI_D + 0x1000 + 510]
    movzx eax, ax
    CKE 0xaa55, "int15_87_data_read_through_big_fs"
    mov esi, HI_D + 0x10
    call probe_fs
    CK e, "fs_still_4gib_after_int15_87"
    mov esi, HI_D + 0x10
    call probe_gs
    CK e, "gs_still_4gib_after_int15_87"
    call probe_ds
    mov [ds_big_after_87], al
    INFO "DS 4 GiB after INT 15h 87h: "
    movzx eax, byte [ds_big_after_87]
    PUTHEX
    NEWLINE

    ; ------------------------------------------------------------ 5. XMS move
    ; fill 128 KiB at HI_A with a pattern, move it to HI_C in 8 KiB pieces
    ; through INT 15h 87h (a descriptor table on the stack, ES = SS), compare
    call set_ureal
    mov edi, HI_A
    mov eax, 0x58000000             ; 'X'
    mov ecx, XMS_LEN / 4
.xfill:
    a32 stosd
    add eax, 0x00010003
    a32 loop .xfill
    mov esi, HI_A
    mov edi, HI_C
    mov edx, XMS_LEN
.xmove:
    mov ecx, XMS_PIECE
    sub edx, ecx
    push edx
    call pmcopy
    pop edx
    jc .xfail
    test edx, edx
    jnz .xmove
    cmp esi, HI_A + XMS_LEN
    CK e, "xms_move_pieces_advance_source"
    call set_ureal
    mov esi, HI_A
    mov edi, HI_C
    mov ecx, XMS_LEN / 4
    a32 repe cmpsd
    CK e, "xms_move_128kib_through_int15_87_matches"
    jmp .xdone
.xfail:
    movzx eax, ah
    FAIL "xms_move_128kib_through_int15_87_matches", "INT 15h 87h returned CF=1"
.xdone:
    ; and 87h called the way HIMEMX's hook chains to the BIOS (PUSHF, CALL FAR)
    mov eax, HI_C + XMS_LEN - 0x100
    mov ebx, RM_BUF
    mov cx, 0x80
    push es
    mov si, rm_mb_gdt
    mov [si + 0x12], ax
    shr eax, 16
    mov [si + 0x14], al
    mov [si + 0x17], ah
    mov [si + 0x1a], bx
    shr ebx, 16
    mov [si + 0x1c], bl
    mov [si + 0x1f], bh
    xor ax, ax
    mov es, ax
    mov ah, 0x87
    pushf
    call far [0x15 * 4]
    pop es
    mov eax, [RM_BUF + 0xfc]
    push eax
    call set_ureal
    mov eax, [dword HI_A + XMS_LEN - 4]
    pop ecx
    cmp eax, ecx
    CK e, "int15_87_through_pushf_call_far_matches"

    ; -- code in the HMA, as a DOS kernel loaded high runs it (DOS=HIGH):
    ;    a routine at FFFF:0200 that waits for an IRQ and calls the BIOS
    mov ah, 2
    call a20_port92
    push es
    mov ax, 0xffff
    mov es, ax
    mov si, hma_code
    mov di, 0x200
    mov cx, hma_code_end - hma_code
    cld
    rep movsb
    pop es
    mov ax, 0x1234
    call 0xffff:0x200
    cmp ax, 512
    CK ae, "code_in_hma_runs_irq_and_bios_call"

    ; ------------------------------------------------------------ 6/7. calls
    ; every remaining BIOS service a DOS kernel and HIMEM call, with DF=1
    ; (kept) and upper halves seeded
    std
    mov ah, 0x88
    RSEED
    int 0x15
    RCHECK "int15_88_std", 0
    call df_kept
    db "int15_88_keeps_df_set", 0
    xor ax, ax
    RSEED
    int 0x1a
    RCHECK "int1a_00", 6
    call df_kept
    db "int1a_00_keeps_df_set", 0
    RSEED
    int 0x12
    RCHECK "int12", 0
    RSEED
    int 0x11
    RCHECK "int11", 0
    mov ah, 0x01
    RSEED
    int 0x16
    RCHECK "int16_01", 0
    mov ax, 0x2402
    RSEED
    int 0x15
    RCHECK "int15_2402", 0
    call df_kept
    db "int15_2402_keeps_df_set", 0
    mov ah, 0x03                    ; cursor position (CX, DX out)
    xor bx, bx
    RSEED
    int 0x10
    RCHECK "int10_03", 0
    call df_kept
    db "int10_03_keeps_df_set", 0
    cld
    pushf
    pop ax
    and ax, 0x0600
    movzx eax, ax
    CKE 0x0200, "if_on_df_clear_at_the_end"
    mov esi, HI_D + 0x10
    call probe_fs
    CK e, "fs_still_4gib_at_the_end"

    ; leave: the timer vector back, segments 0, limits back to 64 KiB
    cli
    mov eax, [old_int8]
    mov [8 * 4], eax
    sti
    call reset_ureal
    xor ax, ax
    mov fs, ax
    mov gs, ax
    jmp rm_finish

; ===================================================================== helpers

; a20_wraps: AL = 1 when 0000:0080 and FFFF:0090 are the same memory (A20
; off), 0 when not. Also runs HIMEMX's non-writing compare of 4 dwords at
; 0000:0010 and FFFF:0020 and counts a disagreement (a20_disagree).
a20_wraps:
    pushf
    cli
    push ds
    push es
    push bx
    push cx
    push si
    push di
    xor ax, ax
    mov ds, ax
    dec ax
    mov es, ax
    mov bx, [0x80]
    mov cx, [es:0x90]
    mov word [0x80], 0x1234
    mov word [es:0x90], 0xfedc
    mov ax, [0x80]
    mov [es:0x90], cx
    mov [0x80], bx
    cmp ax, 0xfedc
    sete bl
    ; HIMEMX: repz cmpsd over ES=FFFF:SI=10h and DS=0:DI=20h... (its operands)
    mov si, 0x10
    mov di, 0x20
    mov cx, 4
    cld
    repe cmpsd                      ; DS:SI = 0000:0010, ES:DI = FFFF:0020
    sete bh                         ; equal: wrapped (or HMA happens to match)
    cmp bl, bh
    je .agree
    xor ax, ax
    mov ds, ax
    inc byte [a20_disagree]
.agree:
    mov al, bl
    pop di
    pop si
    pop cx
    pop bx
    pop es
    pop ds
    popf
    ret

; a20_check_off / a20_check_on: [ret] = test name; PASS when the wrap test
; and 2402h both say off (on), FAIL with what they said otherwise.
a20_check_off:
    mov byte [a20_want], 1
    jmp a20_check
a20_check_on:
    mov byte [a20_want], 0
a20_check:
    push bp
    mov bp, sp
    push si
    push di
    mov byte [a20_disagree], 0
    call a20_wraps
    mov [a20_got], al
    call a20_bios_state             ; AL = 1 on
    xor al, 1                       ; 1 = off, as the wrap
    mov [a20_got_bios], al
    xor si, si
    mov al, [a20_got]
    cmp al, [a20_want]
    jne .w
    mov al, [a20_got_bios]
    cmp al, [a20_want]
    jne .b
    cmp byte [a20_disagree], 0
    jne .h
    jmp .rep
.w:
    mov si, msg_a20_wrap
    jmp .rep
.b:
    mov si, msg_a20_bios
    jmp .rep
.h:
    mov si, msg_a20_himemx
.rep:
    jmp report_and_return

; ck_al: AL = 0 when the condition held; the name follows the call.
ck_al:
    push bp
    mov bp, sp
    push si
    push di
    xor si, si
    test al, al
    jz report_and_return
    mov si, msg_false
; report_and_return: the tail of a20_check and ck_al (BP, SI, DI pushed in
; that order, SI = 0 or the failure's detail): report the name that follows
; the call and return past it.
report_and_return:
    mov di, [bp + 2]
    call report
    mov [bp + 2], di
    pop di
    pop si
    pop bp
    ret

; cke: [sp+2] = the wanted dword, EAX = the value; the name follows the call.
cke:
    push bp
    mov bp, sp
    push si
    push di
    mov di, [bp + 2]
    xor si, si
    cmp eax, [bp + 4]
    je .r
    inc word [rm_tests]
    inc word [rm_fails]
    mov si, rm_msg_fail
    call rm_puts_16
    mov si, di
    call rm_puts_16
    mov si, rm_msg_got
    call rm_puts_16
    PUTHEX
    mov si, rm_msg_want
    call rm_puts_16
    push eax
    mov eax, [bp + 4]
    PUTHEX
    pop eax
    call rm_nl_16
.sk:
    cmp byte [di], 0
    lea di, [di + 1]
    jne .sk
    jmp .d
.r:
    call report
.d:
    mov [bp + 2], di
    pop di
    pop si
    pop bp
    ret 4

; report: DI = a test name (inline after a call), SI = 0 (PASS) or the
; failure's detail. Returns DI past the name's NUL.
report:
    inc word [rm_tests]
    test si, si
    jz .p
    inc word [rm_fails]
    push si
    mov si, rm_msg_fail
    call rm_puts_16
    mov si, di
    call rm_puts_16
    mov si, rm_msg_sep
    call rm_puts_16
    pop si
    call rm_puts_16
    jmp .e
.p:
    mov si, rm_msg_pass
    call rm_puts_16
    mov si, di
    call rm_puts_16
.e:
    call rm_nl_16
.sk:
    cmp byte [di], 0
    lea di, [di + 1]
    jne .sk
    ret

; a20_bios_state: AL = INT 15h 2402h's state (1 on), 0xFF when it failed.
a20_bios_state:
    push bx
    mov ax, 0x2402
    int 0x15
    pop bx
    jc .f
    test ah, ah
    jnz .f
    ret
.f:
    mov al, 0xff
    ret

; a20_kbc: AH = 0 off, 2 on: HIMEMX's KBC method with its status polling.
a20_kbc:
    push ax
    push cx
    pushf
    cli
    call kbc_sync
    mov al, 0xd1
    out 0x64, al
    call kbc_sync
    mov al, 0xdd
    or al, ah
    out 0x60, al
    call kbc_sync
    mov al, 0xff                    ; "pulse nothing": A20 settles
    out 0x64, al
    call kbc_sync
    popf
    pop cx
    pop ax
    ret
kbc_sync:
    xor cx, cx
.l:
    in al, 0x64
    and al, 2
    loopnz .l
    ret

; kbc_read_output: EAX = the 8042's output port (command D0h), 0xFFFFFFFF
; when no byte came.
kbc_read_output:
    push cx
    pushf
    cli
    call kbc_sync
    mov al, 0xd0
    out 0x64, al
    xor cx, cx
.w:
    in al, 0x64
    test al, 1
    jnz .got
    loop .w
    popf
    pop cx
    or eax, -1
    ret
.got:
    in al, 0x60
    movzx eax, al
    popf
    pop cx
    ret

; a20_port92: AH = 0 off, 2 on: HIMEMX's "fast" method (bit 0 never set).
a20_port92:
    push ax
    push cx
    pushf
    in al, 0x92
    and al, ~3
    or al, ah
    out 0x92, al
    xor cx, cx
.w:
    in al, 0x92
    and al, 2
    cmp al, ah
    loopne .w
    popf
    pop cx
    pop ax
    ret

; a20_bios: AH = 0 off, 2 on: INT 15h 2400h/2401h, HIMEMX's way (CLI, room
; below the stack).
a20_bios:
    push ax
    pushf
    sub sp, 10
    cli
    shr ah, 1
    mov al, 0x24
    xchg ah, al
    int 0x15
    add sp, 10
    popf
    pop ax
    ret

; set_ureal: HIMEMX's unreal entry: LGDT, PE=1, a short jump, DS and ES
; loaded with the 4 GiB selector, PE=0, then DS = ES = 0 in real mode (the
; limits stay). Interrupts off inside, the caller's IF after.
set_ureal:
    pushf
    cli
    push eax
    push dx
    mov dx, XSEL_DATA32
    jmp ureal_common
reset_ureal:
    pushf
    cli
    push eax
    push dx
    mov dx, XSEL_DATA16
ureal_common:
    call ureal_switch
    xor dx, dx
    mov ds, dx
    mov es, dx
    pop dx
    pop eax
    popf
    ret
ureal_switch:
    lgdt [cs:xgdt]
    mov eax, cr0
    inc ax                          ; PE
    mov cr0, eax
    jz $ + 2                        ; HIMEMX's "flush" for the 386
    dec ax
    mov ds, dx
    mov es, dx
    mov cr0, eax
    ret
; set_ureal_fs_gs: the same for FS and GS (what flat-real programs add), DS
; and ES too.
set_ureal_fs_gs:
    pushf
    cli
    push eax
    push dx
    lgdt [cs:xgdt]
    mov eax, cr0
    inc ax
    mov cr0, eax
    jz $ + 2
    dec ax
    mov dx, XSEL_DATA32
    mov ds, dx
    mov es, dx
    mov fs, dx
    mov gs, dx
    mov cr0, eax
    xor dx, dx
    mov ds, dx
    mov es, dx
    mov fs, dx
    mov gs, dx
    pop dx
    pop eax
    popf
    ret

; probe_rw: ESI = a linear address above 1 MiB (DS big): ZF=1 when a
; pattern and its complement written there read back.
probe_rw:
    push eax
    push ebx
    mov ebx, [esi]
    mov dword [esi], 0x3c5aa5c3
    mov eax, [esi]
    cmp eax, 0x3c5aa5c3
    jne .out
    not dword [esi]
    mov eax, [esi]
    cmp eax, ~0x3c5aa5c3
.out:
    mov [esi], ebx
    pop ebx
    pop eax
    ret

; probe_fs / probe_gs / probe_ds: read [seg:ESI] (ESI above 64 KiB) with a
; real-mode #GP handler in place: ZF=1 (and AL=1) when the read worked, ZF=0
; (AL=0) when the segment's limit faulted it.
%macro PROBE 1
probe_%1:
    push bx
    mov byte [probe_faulted], 0
    mov word [probe_resume], .resume
    call gp_hook_on
    mov ebx, [%1:esi]
.resume:
    call gp_hook_off
    mov word [probe_resume], 0
    pop bx
    mov al, [probe_faulted]
    xor al, 1
    cmp al, 1
    ret
%endmacro
PROBE fs
PROBE gs
PROBE ds

gp_hook_on:
    push eax
    pushf
    cli
    HOOK_IVT 13, gp_hook, old_int13v
    popf
    pop eax
    ret
gp_hook_off:
    push eax
    pushf
    cli
    mov eax, [old_int13v]
    mov [13 * 4], eax
    popf
    pop eax
    ret
; the #GP (vector 13) handler: resume at probe_resume
gp_hook:
    push bp
    mov bp, sp
    push ax
    mov ax, [cs:probe_resume]
    mov [bp + 2], ax
    mov byte [cs:probe_faulted], 1
    pop ax
    pop bp
    iret

; irq0_hook: count IRQ 0s that interrupted the big rep movsd, then chain.
irq0_hook:
    push bp
    mov bp, sp
    cmp word [ss:bp + 2], ..@copy_rep
    jne .out
    inc word [cs:irq_in_rep]
.out:
    pop bp
    jmp far [cs:old_int8]

; pmcopy: HIMEMX's move through INT 15h 87h: ESI, EDI linear, ECX bytes;
; a 6-entry descriptor table built on the stack (ES:SI = SS:SP), ECX words.
; ESI, EDI advance by ECX. CF and AH from the BIOS.
pmcopy:
    push es
    push ss
    pop es
    sub sp, 2 * 8                   ; entries 4 and 5 (the BIOS's)
    shld eax, edi, 16               ; destination descriptor
    mov dl, al
    mov dh, 0x93
    mov al, 0
    push ax
    push dx
    push di
    push cx
    add edi, ecx
    shld eax, esi, 16               ; source descriptor
    mov dl, al
    mov al, 0
    push ax
    push dx
    push si
    push cx
    add esi, ecx
    xor eax, eax                    ; entries 0 and 1
    push eax
    push eax
    push eax
    push eax
    push si
    lea si, [esp + 2]
    shr cx, 1
    clc
    mov ah, 0x87
    int 0x15
    pop si
    lea sp, [esp + 6 * 8]           ; (flags kept)
    pop es
    ret

; hma_code: copied to FFFF:0200 and far-called: STI, HLT until an IRQ,
; INT 12h (AX = base memory KiB), RETF.
hma_code:
    sti
    hlt
    int 0x12
    retf
hma_code_end:

; df_kept: [ret] = test name: PASS when DF is still set (called with STD).
df_kept:
    pushf
    push bp
    mov bp, sp
    push ax
    test word [bp + 2], 0x0400
    pop ax
    pop bp
    jz .clear
    popf
    jmp rm_pass_16                  ; the name follows the call
.clear:
    popf
    jmp rm_fail_df
rm_fail_df:
    ; FAIL "<name>: DF was cleared"
    push si
    push bp
    mov bp, sp
    inc word [rm_tests]
    inc word [rm_fails]
    mov si, rm_msg_fail
    call rm_puts_16
    mov si, [bp + 4]
    call rm_puts_16
    mov si, rm_msg_dfclr
    call rm_puts_16
.e:
    lodsb
    test al, al
    jnz .e
    mov [bp + 4], si
    pop bp
    pop si
    std
    ret

; regs_seed: upper halves of EBX, ECX, EDX, ESI, EDI, EBP := B1B2h + n;
; low halves and ESP untouched.
regs_seed:
    ror ebx, 16
    mov bx, UPPER_MARK + 1
    ror ebx, 16
    ror ecx, 16
    mov cx, UPPER_MARK + 2
    ror ecx, 16
    ror edx, 16
    mov dx, UPPER_MARK + 3
    ror edx, 16
    ror esi, 16
    mov si, UPPER_MARK + 4
    ror esi, 16
    ror edi, 16
    mov di, UPPER_MARK + 5
    ror edi, 16
    ror ebp, 16
    mov bp, UPPER_MARK + 6
    ror ebp, 16
    ret

; regs_check: [sp+2] = skip mask (1 EBX, 2 ECX, 4 EDX), [ret] = call name.
; One PASS/FAIL "<name>_keeps_upper_halves". Keeps every register and the
; flags.
regs_check:
    pushf
    pushad
    mov bp, sp
    ; stack: [bp] pushad (edi esi ebp esp ebx edx ecx eax), [bp+32] flags,
    ; [bp+34] return address (name), [bp+36] mask
    mov word [rc_bad], 0
    mov ax, [bp + 36]
    mov [rc_mask], ax
    mov eax, [bp + 16]              ; EBX
    mov cx, UPPER_MARK + 1
    mov dx, 1
    call .one
    mov eax, [bp + 24]              ; ECX
    mov cx, UPPER_MARK + 2
    mov dx, 2
    call .one
    mov eax, [bp + 20]              ; EDX
    mov cx, UPPER_MARK + 3
    mov dx, 4
    call .one
    mov eax, [bp + 4]               ; ESI
    mov cx, UPPER_MARK + 4
    xor dx, dx
    call .one
    mov eax, [bp + 0]               ; EDI
    mov cx, UPPER_MARK + 5
    call .one
    mov eax, [bp + 8]               ; EBP
    mov cx, UPPER_MARK + 6
    call .one
    mov eax, [bp + 12]              ; ESP (as PUSHAD saw it)
    shr eax, 16
    jz .espok
    or word [rc_bad], 0x80
.espok:
    mov si, [bp + 34]
    inc word [rm_tests]
    cmp word [rc_bad], 0
    jne .fail
    mov si, rm_msg_pass
    call rm_puts_16
    mov si, [bp + 34]
    call rm_puts_16
    mov si, rm_msg_upper
    call rm_puts_16
    call rm_nl_16
    jmp .done
.fail:
    inc word [rm_fails]
    mov si, rm_msg_fail
    call rm_puts_16
    mov si, [bp + 34]
    call rm_puts_16
    mov si, rm_msg_upper
    call rm_puts_16
    PUTS ": changed 0x"              ; 1 EBX 2 ECX 4 EDX 8 ESI 10 EDI 20 EBP 80 ESP
    movzx eax, word [rc_bad]
    PUTHEX
    call rm_nl_16
.done:
    mov si, [bp + 34]               ; skip the name (DF may be set)
.sk:
    cmp byte [si], 0
    lea si, [si + 1]
    jne .sk
    mov [bp + 34], si
    popad
    popf
    ret 2
; .one: EAX = the register, CX = its mark, DX = its mask bit (0: always
; checked); sets a bit in rc_bad.
.one:
    test [rc_mask], dx
    jnz .skip
    shr eax, 16
    cmp ax, cx
    je .skip
    sub cx, UPPER_MARK
    mov ax, 1
    dec cx
    shl ax, cl
    or [rc_bad], ax
.skip:
    ret

; HIMEMX's GDT: 08 4 GiB data, 10 64 KiB data
    align 8, db 0
xgdt_table:
    dq 0
    dq 0x00cf92000000ffff
    dq 0x000092000000ffff
xgdt:
    dw 3 * 8 - 1
    dd xgdt_table

rm_msg_upper:   db "_keeps_upper_halves", 0
rm_msg_dfclr:   db ": DF was cleared", 0
msg_false:      db "condition false", 0
msg_a20_wrap:   db "the 1 MiB wrap test says otherwise", 0
msg_a20_bios:   db "INT 15h 2402h says otherwise", 0
msg_a20_himemx: db "HIMEMX's compare of 0000:0010 with FFFF:0020 says otherwise", 0
    align 4, db 0
old_int8:       dd 0
old_int13v:     dd 0
e820_ext_kb:    dd 0
e820_top:       dd 0
e801_kb:        dd 0
ext88:          dd 0
e820_count:     dw 0
a20_support:    dw 0
e801_ax:        dw 0
e801_bx:        dw 0
copies:         dw 0
irq_in_rep:     dw 0
probe_resume:   dw 0
rc_bad:         dw 0
rc_mask:        dw 0
a20_at_boot:    db 0
a20_want:       db 0
a20_got:        db 0
a20_got_bios:   db 0
a20_disagree:   db 0
e801_ok:        db 0
probe_faulted:  db 0
ds_big_after_87: db 0

RM_CODE_END
RM_IMAGE_END
