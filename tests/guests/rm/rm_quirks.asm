; rm_quirks.asm - real <-> protected mode transitions the way real code does
; them rather than the way the SDM recommends. Between the CR0 write that
; sets PE and the far jump the CPU still runs with the real-mode CS cache;
; code uses that window: ordinary instructions, a pop of a value pushed in
; real mode, segment loads (MOV and POP) that take protected-mode selectors
; (from the GDT: the base of the descriptor, not selector*16, applies from
; then on), LMSW instead of MOV CR0, far jumps through memory and RETF.
; On the way back: segment loads between clearing PE and the far jump.
; A monitor that emulates this window (vmxassist) has to get all of it right.
; Every quirk is a separate trip with its own check in protected mode and a
; check that real mode works again afterwards.
%define GUEST_NAME "rm_quirks"
%include "rm.inc"

; Memory probes for the DS-base checks: the same offset seen through three
; possible bases (descriptor base 0x20000, selector*16 = 0x300, base 0).
PROBE_OFF       equ 0x1000
M_DESC          equ 0xb45eb45e      ; at 0x20000 + PROBE_OFF
M_SEL16         equ 0x5e1ec700      ; at 0x300 + PROBE_OFF
M_ZERO          equ 0x0000babe      ; at PROBE_OFF
WINDOW_WRITE    equ 0x600df00d

main:
    call quirk_instructions
    call quirk_pop
    call quirk_lmsw
    call quirk_indirect_jump
    call quirk_retf
    call quirk_rm_segloads_before_jump
    call quirk_pop_ds
    call quirk_ds_selector
    call quirk_ds_access_in_window
    jmp rm_finish

; check_real: ZF=1 when we are really back in real mode: CS = 0, CR0.PE = 0,
; DS=0x1001 addresses what DS=0x1000 does 16 bytes further (selector*16),
; IF = 1.
check_real:
    push eax
    push ds
    mov ax, cs
    test ax, ax
    jnz .out
    mov eax, cr0
    test al, CR0_PE
    jnz .out
    mov ax, 0x1000
    mov ds, ax
    mov dword [0x0010], 0x12345678
    mov ax, 0x1001
    mov ds, ax
    cmp dword [0], 0x12345678
    jne .out
    pushf
    pop ax
    test ah, 0x02
    jz .nz
    cmp ax, ax
    jmp .out
.nz:
    or ax, 1                        ; ZF=0 (AX has IF clear, so nonzero)
.out:
    pop ds
    pop eax
    ret

; ------------------------------------------------- c1: instructions in the window
quirk_instructions:
    cli
    movzx esp, sp
    lgdt [rm_gdtr]
    mov eax, cr0
    or eax, CR0_PE
    mov cr0, eax
    ; PE=1, CS still the real-mode one: ordinary 16/32-bit instructions
    mov ebx, 0x11111111
    add ebx, 0x22222222
    xor ecx, ecx
    mov dx, 0x5555
    xor dx, 0xffff                  ; 0xaaaa
    push ebx
    push dx
    pop ax
    pop esi
    inc ecx
    jmp dword SEL_CODE32:.pm
bits 32
.pm:
    PM_FLAT_SEGS
    mov eax, esi
    add eax, ecx
    shl eax, 16
    mov ax, dx
    ; (0x33333333 + 1) << 16 | 0xaaaa
    CHECK_EAX 0x3334aaaa, "pe_window_instructions_before_far_jump"
    PM32_TO_RM
    call check_real
    CHECK e, "pe_window_instructions_back_in_real_mode"
    ret

; --------------------------------- c3: pop of a value pushed before PE was set
quirk_pop:
    cli
    movzx esp, sp
    mov [saved_esp], esp
    push dword 0xfeedc0de
    push word 0x4321
    lgdt [rm_gdtr]
    mov eax, cr0
    or eax, CR0_PE
    mov cr0, eax
    pop bx                          ; PE=1, real-mode SS cache
    pop edi
    jmp dword SEL_CODE32:.pm
bits 32
.pm:
    PM_FLAT_SEGS
    mov eax, edi
    CHECK_EAX 0xfeedc0de, "pe_window_pop_of_value_pushed_in_real_mode"
    movzx eax, bx
    CHECK_EAX 0x4321, "pe_window_pop_word_pushed_in_real_mode"
    mov eax, esp
    cmp eax, [saved_esp]
    CHECK e, "pe_window_pops_leave_stack_balanced"
    PM32_TO_RM
    call check_real
    CHECK e, "pe_window_pop_back_in_real_mode"
    ret

; ----------------------------------------------------- c4: LMSW sets PE
quirk_lmsw:
    cli
    movzx esp, sp
    lgdt [rm_gdtr]
    smsw ax
    or ax, CR0_PE
    lmsw ax
    jmp dword SEL_CODE32:.pm
bits 32
.pm:
    PM_FLAT_SEGS
    mov eax, cr0
    and eax, CR0_PE | CR0_PG
    CHECK_EAX CR0_PE, "lmsw_register_sets_pe"
    ; LMSW cannot clear PE (SDM: "LMSW ... cannot be used to clear PE")
    smsw ax
    and ax, ~CR0_PE
    lmsw ax
    mov eax, cr0
    and eax, CR0_PE
    CHECK_EAX CR0_PE, "lmsw_cannot_clear_pe"
    PM32_TO_RM
    call check_real
    CHECK e, "lmsw_back_in_real_mode"

    ; the memory form, LMSW m16
    cli
    lgdt [rm_gdtr]
    smsw [msw_word]
    or word [msw_word], CR0_PE
    lmsw [msw_word]
    jmp dword SEL_CODE32:.pm2
bits 32
.pm2:
    PM_FLAT_SEGS
    mov eax, cr0
    and eax, CR0_PE
    CHECK_EAX CR0_PE, "lmsw_memory_operand_sets_pe"
    PM32_TO_RM
    call check_real
    CHECK e, "lmsw_memory_back_in_real_mode"
    ret

; ------------------------- far jumps through memory (m16:32 in, m16:16 out)
quirk_indirect_jump:
    cli
    movzx esp, sp
    lgdt [rm_gdtr]
    mov eax, cr0
    or eax, CR0_PE
    mov cr0, eax
    jmp far dword [ptr_pm32]        ; o32 jmp m16:32
bits 32
.pm:
    PM_FLAT_SEGS
    mov ax, cs
    movzx eax, ax
    CHECK_EAX SEL_CODE32, "pm_entry_via_indirect_far_jump"
    jmp far [ptr_pm16]              ; jmp m16:32 to the 16-bit segment
bits 16
.pm16:
    mov ax, SEL_DATA16
    mov ds, ax
    mov es, ax
    mov fs, ax
    mov gs, ax
    mov ss, ax
    mov eax, cr0
    and eax, ~CR0_PE
    mov cr0, eax
    jmp far [ptr_rm]                ; jmp m16:16 to real mode
.rm:
    RM_SEGS
    lidt [rm_idtr_real]
    sti
    call check_real
    CHECK e, "rm_entry_via_indirect_far_jump"
    ret

; --------------------------------------------- RETF into and out of PM
quirk_retf:
    cli
    movzx esp, sp
    lgdt [rm_gdtr]
    mov eax, cr0
    or eax, CR0_PE
    mov cr0, eax
    push dword SEL_CODE32
    push dword .pm
    o32 retf
bits 32
.pm:
    PM_FLAT_SEGS
    mov ax, cs
    movzx eax, ax
    CHECK_EAX SEL_CODE32, "pm_entry_via_o32_retf"
    push dword SEL_CODE16
    push dword .pm16
    retf
bits 16
.pm16:
    mov ax, SEL_DATA16
    mov ds, ax
    mov es, ax
    mov fs, ax
    mov gs, ax
    mov ss, ax
    mov eax, cr0
    and eax, ~CR0_PE
    mov cr0, eax
    push word 0
    push word .rm
    retf                            ; 16-bit retf to real mode
.rm:
    RM_SEGS
    lidt [rm_idtr_real]
    sti
    call check_real
    CHECK e, "rm_entry_via_retf"
    ret

; --------- real-mode segment loads (and a stack) between clearing PE and the jump
quirk_rm_segloads_before_jump:
    cli
    movzx esp, sp
    mov [saved_esp], esp
    lgdt [rm_gdtr]
    mov eax, cr0
    or eax, CR0_PE
    mov cr0, eax
    jmp dword SEL_CODE32:.pm
bits 32
.pm:
    PM_FLAT_SEGS
    jmp SEL_CODE16:.pm16
bits 16
.pm16:
    mov ax, SEL_DATA16
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov eax, cr0
    and eax, ~CR0_PE
    mov cr0, eax
    ; PE=0, CS still holds the protected-mode selector 0x18 (base 0):
    ; real-mode segment values first, a push/pop, a near call, then the jump
    xor ax, ax
    mov ds, ax
    mov es, ax
    mov fs, ax
    mov gs, ax
    mov ss, ax
    mov sp, [saved_esp]
    mov ax, 0x1000
    mov es, ax
    mov dword [es:0x0020], 0x0bad0bad
    mov dword [es:0x0020], 0x50150150
    push dword [es:0x0020]
    pop ebx
    call .near
    jmp 0x0000:.rm
.near:
    inc ebx
    ret
.rm:
    lidt [rm_idtr_real]
    sti
    mov eax, [es:0x0020]            ; ES = 0x1000 still
    xor dx, dx
    mov es, dx
    cmp eax, 0x50150150
    jne .bad
    mov eax, ebx
.bad:
    CHECK_EAX 0x50150151, "rm_segment_loads_between_clearing_pe_and_far_jump"
    call check_real
    CHECK e, "rm_segment_loads_before_jump_back_in_real_mode"
    ret

; ---------------------------- c3b: POP DS of a protected-mode selector in the window
quirk_pop_ds:
    mov dword [PROBE_OFF], M_ZERO
    mov dword [0x100 + PROBE_OFF], 0x0b5e1ec7   ; selector 0x10 * 16 + PROBE_OFF
    cli
    movzx esp, sp
    push word SEL_DATA32
    lgdt [rm_gdtr]
    mov eax, cr0
    or eax, CR0_PE
    mov cr0, eax
    pop ds                          ; loads the flat data descriptor (base 0)
    mov ecx, [PROBE_OFF]            ; through DS: base 0 -> M_ZERO
    jmp dword SEL_CODE32:.pm
bits 32
.pm:
    mov edx, [PROBE_OFF]            ; DS not reloaded: still base 0
    mov ax, ds
    mov bx, ax
    PM_FLAT_SEGS
    mov eax, ecx
    CHECK_EAX M_ZERO, "pe_window_pop_ds_uses_descriptor_base"
    mov eax, edx
    CHECK_EAX M_ZERO, "pe_window_pop_ds_kept_after_far_jump"
    movzx eax, bx
    CHECK_EAX SEL_DATA32, "pe_window_pop_ds_holds_selector"
    PM32_TO_RM
    call check_real
    CHECK e, "pe_window_pop_ds_back_in_real_mode"
    ret

; ------- c2: MOV DS with a protected-mode selector in the window, used after the jump
quirk_ds_selector:
    call plant_probes
    cli
    movzx esp, sp
    lgdt [rm_gdtr]
    mov eax, cr0
    or eax, CR0_PE
    mov cr0, eax
    mov ax, SEL_DATA_20000          ; PE=1, before the far jump
    mov ds, ax
    jmp dword SEL_CODE32:.pm
bits 32
.pm:
    mov ecx, [PROBE_OFF]            ; through DS (base 0x20000): M_DESC
    mov ax, ds
    mov bx, ax
    PM_FLAT_SEGS
    mov eax, ecx
    CHECK_EAX M_DESC, "pm_selector_in_ds_before_far_jump"
    movzx eax, bx
    CHECK_EAX SEL_DATA_20000, "pm_selector_in_ds_holds_selector"
    PM32_TO_RM
    call check_real
    CHECK e, "pm_selector_in_ds_back_in_real_mode"
    ret

; ----------- c2b: reads and writes through that DS inside the window itself
quirk_ds_access_in_window:
    call plant_probes
    cli
    movzx esp, sp
    lgdt [rm_gdtr]
    mov eax, cr0
    or eax, CR0_PE
    mov cr0, eax
    mov ax, SEL_DATA_20000
    mov ds, ax
    mov ecx, [PROBE_OFF]            ; PE=1, CS real-mode: M_DESC
    mov dword [PROBE_OFF + 4], WINDOW_WRITE
    jmp dword SEL_CODE32:.pm
bits 32
.pm:
    PM_FLAT_SEGS
    mov eax, ecx
    CHECK_EAX M_DESC, "pm_ds_read_in_pe_window_uses_descriptor_base"
    mov eax, [0x20000 + PROBE_OFF + 4]
    CHECK_EAX WINDOW_WRITE, "pm_ds_write_in_pe_window_uses_descriptor_base"
    PM32_TO_RM
    call check_real
    CHECK e, "pm_ds_access_in_window_back_in_real_mode"
    ret

; plant_probes: the three probe values, written from real mode.
plant_probes:
    push es
    mov ax, 0x2000
    mov es, ax
    mov dword [es:PROBE_OFF], M_DESC
    mov dword [es:PROBE_OFF + 4], 0
    pop es
    mov dword [0x300 + PROBE_OFF], M_SEL16
    mov dword [0x300 + PROBE_OFF + 4], 0
    mov dword [PROBE_OFF], M_ZERO
    mov dword [PROBE_OFF + 4], 0
    ret

; ------------------------------------------------------------------- data
    align 4, db 0
saved_esp:      dd 0
msw_word:       dw 0
ptr_pm32:       dd quirk_indirect_jump.pm
                dw SEL_CODE32
ptr_pm16:       dd quirk_indirect_jump.pm16
                dw SEL_CODE16
ptr_rm:         dw quirk_indirect_jump.rm
                dw 0

RM_CODE_END
RM_IMAGE_END
