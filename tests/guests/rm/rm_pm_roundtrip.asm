; rm_pm_roundtrip.asm - real -> protected -> real mode, by the book (Intel
; SDM vol. 3, 9.9.1 and 9.9.2): LGDT, MOV CR0 with PE, far jump to 32-bit
; code, data segments, memory above 1 MiB, UART output from protected mode,
; far jump to 16-bit protected mode, 64 KiB data segments, clear PE, far
; jump to a real-mode CS, real-mode segments and IDTR, STI. Then checks from
; real mode that the memory written in protected mode kept its value, that
; real-mode segments and BIOS interrupts work again, and that the round trip
; can be repeated.
%define GUEST_NAME "rm_pm_roundtrip"
%include "rm.inc"

HIMEM           equ 0x300000        ; 3 MiB: needs A20 (bit 20 is set)
HIMEM_VALUE     equ 0x1234abcd
LOWMEM_VALUE    equ 0x5a5aa5a5
ROUNDTRIPS      equ 100

main:
    call rm_enable_a20
    CHECK nc, "a20_enabled_for_memory_above_1mib", "A20 still off after int15/port92/8042"
    INFO "a20 method "
    call rm_hex8_16
    NEWLINE

    ; ---- real -> 32-bit protected mode
    cli
    movzx esp, sp
    lgdt [rm_gdtr]
    mov eax, cr0
    or eax, CR0_PE
    mov cr0, eax
    jmp dword SEL_CODE32:pm32
bits 32
pm32:
    mov ax, SEL_DATA32
    mov ds, ax
    mov es, ax
    mov fs, ax
    mov gs, ax
    mov ss, ax
    lidt [rm_pm_idtr]               ; exceptions -> FAIL line (rm.inc)
    mov [pm_seen_cs], cs
    mov eax, cr0
    mov [pm_seen_cr0], eax
    PASS "pm32_prints_through_uart"

    ; LOWMEM_VALUE at the address HIMEM aliases to with A20 off, so that
    ; the check below can tell the two apart.
    mov dword [HIMEM - 0x100000], LOWMEM_VALUE
    mov dword [HIMEM], HIMEM_VALUE
    mov dword [HIMEM + 0xffc], ~HIMEM_VALUE
    mov eax, [HIMEM]
    CHECK_EAX HIMEM_VALUE, "pm32_write_above_1mib_reads_back"
    mov eax, [HIMEM - 0x100000]
    CHECK_EAX LOWMEM_VALUE, "pm32_memory_above_1mib_not_aliased"

    ; ---- 32-bit -> 16-bit protected mode -> real mode
    PM32_TO_RM

    PASS "returned_to_real_mode"
    mov ax, [pm_seen_cs]
    movzx eax, ax
    CHECK_EAX SEL_CODE32, "pm32_cs_holds_code32_selector"
    mov eax, [pm_seen_cr0]
    and eax, CR0_PE | CR0_PG
    CHECK_EAX CR0_PE, "pm32_cr0_has_pe_without_pg"
    mov eax, cr0
    and eax, CR0_PE | CR0_PG
    CHECK_EAX 0, "real_mode_cr0_pe_pg_clear"
    mov ax, cs
    movzx eax, ax
    CHECK_EAX 0, "real_mode_cs_is_zero"

    ; Real-mode segmentation again: DS=0x1000 addresses linear 0x10000 + off.
    mov ax, 0x1000
    mov es, ax
    mov dword [es:0x0010], 0xfeedface
    mov ax, 0x1001
    mov ds, ax
    mov eax, [0x0000]               ; 1001:0000 = linear 0x10010
    xor bx, bx
    mov ds, bx
    mov es, bx
    CHECK_EAX 0xfeedface, "real_mode_segment_base_is_selector_times_16"

    ; A BIOS service works after the return (INT 12h: conventional memory KB).
    int 0x12
    movzx eax, ax
    cmp eax, 512
    CHECK ae, "bios_int12_works_after_return", "int 12h returned < 512 KiB"

    ; Read HIMEM back from real mode with INT 15h AH=87h (block move).
    mov dword [RM_BUF], 0
    mov eax, HIMEM
    mov ebx, RM_BUF
    mov cx, 2                       ; words
    call rm_move_block
    jc .mvfail
    mov eax, [RM_BUF]
    CHECK_EAX HIMEM_VALUE, "himem_value_survives_return_to_real_mode"
    jmp .mvdone
.mvfail:
    FAIL "himem_value_survives_return_to_real_mode", "int 15h ah=87h failed"
.mvdone:

    ; The interrupt flag is on and the timer runs (BIOS tick at 0040:006C).
    mov ebx, [0x46c]
    mov cx, 200
.tick:
    hlt
    cmp ebx, [0x46c]
    jne .ticked
    loop .tick
.ticked:
    CHECK ne, "timer_irq_delivered_after_return", "BIOS tick did not advance in 200 HLTs"

    ; ---- the round trip ROUNDTRIPS times, counting in both modes
    mov dword [rt_pm_count], 0
    mov word [rt_rm_count], 0
.again:
    cli
    lgdt [rm_gdtr]
    mov eax, cr0
    or eax, CR0_PE
    mov cr0, eax
    jmp dword SEL_CODE32:.pm
bits 32
.pm:
    mov ax, SEL_DATA32
    mov ds, ax
    mov ss, ax
    inc dword [rt_pm_count]
    inc dword [HIMEM + 4]
    jmp SEL_CODE16:.pm16
bits 16
.pm16:
    mov ax, SEL_DATA16
    mov ds, ax
    mov ss, ax
    mov eax, cr0
    and eax, ~CR0_PE
    mov cr0, eax
    jmp 0x0000:.rm
.rm:
    xor ax, ax
    mov ds, ax
    mov ss, ax
    sti
    inc word [rt_rm_count]
    cmp word [rt_rm_count], ROUNDTRIPS
    jb .again
    mov eax, [rt_pm_count]
    CHECK_EAX ROUNDTRIPS, "pm_roundtrip_repeats_100_times"

    jmp rm_finish


pm_seen_cs:     dd 0
pm_seen_cr0:    dd 0
rt_pm_count:    dd 0
rt_rm_count:    dw 0

RM_CODE_END
RM_IMAGE_END
