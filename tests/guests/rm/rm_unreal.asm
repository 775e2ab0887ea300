; rm_unreal.asm - "unreal" (big real) mode, as HIMEM.SYS, boot loaders and
; kvm-unit-tests' realmode.c use it: go to protected mode, load data
; segments with 4 GiB limits, come back to real mode without reloading them.
; The hidden limits stay 4 GiB, also across real-mode segment loads (which
; set only selector and base) and interrupts, so 32-bit offsets reach all of
; memory from real mode. VM86 cannot express this segment state: a monitor
; has to emulate (vmxassist) or use unrestricted guest. At the end the 64 KiB
; limits come back, and an offset past 64 KiB must raise #GP (INT 0Dh).
%define GUEST_NAME "rm_unreal"
%include "rm.inc"

HIMEM           equ 0x300000
V_PM            equ 0x3badc0de      ; written from protected mode
V_RM            equ 0x7eadbeef      ; written from unreal mode

main:
    call rm_enable_a20
    CHECK nc, "a20_enabled_for_memory_above_1mib"

    ; ---- into unreal mode: 4 GiB data segments, then back without reload
    RM_TO_PM32
    mov dword [HIMEM], V_PM
    mov dword [HIMEM + 4], 0
    mov dword [HIMEM + 8], 0
    jmp SEL_CODE16:.pm16
bits 16
.pm16:
    ; DS, ES, FS, GS keep the flat 4 GiB descriptor; SS gets a 64 KiB one
    mov ax, SEL_DATA16
    mov ss, ax
    mov eax, cr0
    and eax, ~CR0_PE
    mov cr0, eax
    jmp 0x0000:.rm
.rm:
    xor ax, ax
    mov ss, ax
    lidt [rm_idtr_real]
    sti

    ; DS still holds selector 0x10 (base 0, limit 4 GiB): read 3 MiB
    mov eax, [dword HIMEM]
    CHECK_EAX V_PM, "unreal_read_above_1mib_before_segment_reload"
    xor ax, ax
    mov ds, ax
    mov es, ax
    mov fs, ax
    mov gs, ax
    mov eax, [dword HIMEM]
    CHECK_EAX V_PM, "unreal_limit_survives_real_mode_segment_load"
    mov dword [dword HIMEM + 4], V_RM
    mov eax, [es:dword HIMEM + 4]
    CHECK_EAX V_RM, "unreal_write_above_1mib"
    ; FS with a real-mode base (0x1000 * 16) and a 4 GiB limit
    mov ax, 0x1000
    mov fs, ax
    mov eax, [fs:dword HIMEM - 0x10000 + 4]
    xor bx, bx
    mov fs, bx
    CHECK_EAX V_RM, "unreal_real_mode_base_plus_32bit_offset"
    ; a32 string instruction far above 64 KiB: copy 3 MiB+0 -> 3 MiB+8
    mov esi, HIMEM
    mov edi, HIMEM + 8
    mov ecx, 1
    a32 rep movsd
    mov eax, [dword HIMEM + 8]
    CHECK_EAX V_PM, "unreal_a32_movsd_above_1mib"

    ; interrupts (the BIOS timer handler loads DS itself) keep the limits
    WAIT_TICK
    CHECK ne, "unreal_timer_irq_delivered"
    mov eax, [dword HIMEM + 4]
    CHECK_EAX V_RM, "unreal_limit_survives_interrupts"
    ; and a BIOS call that stays in real mode
    int 0x12
    mov eax, [dword HIMEM]
    CHECK_EAX V_PM, "unreal_limit_survives_bios_int12"

    ; the value is really in memory: INT 15h AH=87h reads it back
    mov dword [RM_BUF], 0
    mov eax, HIMEM + 4
    mov ebx, RM_BUF
    call move_block
    mov eax, [RM_BUF]
    CHECK_EAX V_RM, "unreal_write_seen_by_int15_87"
    ; For the record: does DS keep its 4 GiB limit across the BIOS's own
    ; trip to protected mode? (Not a check: BIOSes differ.)
    call probe_ds_above_64k
    INFO "ds limit after int15 87h: "
    jc .lost
    PUTS "still 4 GiB (unreal mode kept)"
    jmp .said
.lost:
    PUTS "64 KiB (the BIOS ended unreal mode)"
.said:
    NEWLINE

    ; ---- back to 64 KiB limits: PM trip with 16-bit data descriptors
    RM_SET_PE
    PM32_TO_RM
    ; an offset past 64 KiB now raises #GP
    call probe_ds_above_64k
    setc al
    movzx eax, al
    CHECK_EAX 1, "real_mode_offset_past_64kib_raises_gp_after_limit_reset"
    jmp rm_finish

; probe_ds_above_64k: read DS:0x10000 (a 32-bit offset) with INT 0Dh hooked.
; CF=1 when it raised #GP (DS limit 64 KiB), CF=0 when the read went through.
probe_ds_above_64k:
    push eax
    cli
    push dword [0x0d * 4]
    pop dword [old_int0d]
    mov word [0x0d * 4], int0d_gp
    mov word [0x0d * 4 + 2], 0
    mov byte [gp_seen], 0
.access:
    mov eax, [dword 0x10000]
.after:
    push dword [old_int0d]
    pop dword [0x0d * 4]
    sti
    pop eax
    cmp byte [gp_seen], 1           ; CF=1 when gp_seen = 0 ...
    cmc                             ; ... so flip: CF=1 when it faulted
    ret

; INT 0Dh during the probe: #GP(0) pushes no error code in real mode;
; resume after the faulting instruction.
int0d_gp:
    push bp
    mov bp, sp
    cmp word [ss:bp + 2], probe_ds_above_64k.access
    jne .other
    mov word [ss:bp + 2], probe_ds_above_64k.after
    inc byte [cs:gp_seen]
.other:
    pop bp
    iret

; move_block: INT 15h AH=87h of 2 words (rm_move_block).
move_block:
    push cx
    mov cx, 2
    call rm_move_block
    pop cx
    ret

old_int0d:      dd 0
gp_seen:        db 0

RM_CODE_END
RM_IMAGE_END
