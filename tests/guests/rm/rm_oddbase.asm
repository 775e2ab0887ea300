; rm_oddbase.asm - real mode with a segment base VM86 cannot express: go to
; protected mode, load ES with a descriptor based at 0x20008 (not a multiple
; of 16) and FS with one based at 0x123450 (above 1 MiB), clear PE and keep
; using them. Real mode reads through the hidden bases until the segment
; registers are reloaded; vmxassist has to interpret those instructions
; (an "episode") and may go back to VM86 only after the reloads.
%define GUEST_NAME "rm_oddbase"
%include "rm.inc"

ODD_BASE  equ 0x20008
HIGH_BASE equ 0x123450
SEL_ODD   equ 0x08
SEL_HIGH  equ 0x10
SEL_C16   equ 0x18
SEL_FLAT  equ 0x20

main:
    call rm_enable_a20
    CHECK nc, "a20_enabled_for_memory_above_1mib"
    ; markers: physical 0x20008 (real-mode 2000:0008) and 0x123450 (via INT 15h 87h not needed:
    ; written from protected mode below)
    mov ax, 0x2000
    mov es, ax
    mov dword [es:8], 0x0dd0ba5e
    xor ax, ax
    mov es, ax

    cli
    lgdt [ob_gdtr]
    mov eax, cr0
    or eax, CR0_PE
    mov cr0, eax
    jmp SEL_C16:.pm16
.pm16:
    mov ax, SEL_FLAT
    mov ds, ax
    mov dword [dword HIGH_BASE], 0x41b4b4e5   ; a marker above 1 MiB
    mov ax, SEL_ODD
    mov es, ax
    mov ax, SEL_HIGH
    mov fs, ax
    mov eax, cr0
    and eax, ~CR0_PE
    mov cr0, eax
    jmp 0x0000:.rm
.rm:
    xor ax, ax
    mov ds, ax
    mov ss, ax
    ; ES and FS still hold the protected-mode bases
    mov eax, [es:0]
    mov [got_es], eax
    mov eax, [fs:0]
    mov [got_fs], eax
    mov ax, 0x2000                  ; reload: real-mode bases again
    mov es, ax
    mov ebx, [es:8]
    xor ax, ax
    mov fs, ax
    mov es, ax
    lidt [rm_idtr_real]
    sti
    mov eax, [got_es]
    CHECK_EAX 0x0dd0ba5e, "es_keeps_unaligned_pm_base_after_clearing_pe"
    mov eax, [got_fs]
    CHECK_EAX 0x41b4b4e5, "fs_keeps_pm_base_above_1mib_after_clearing_pe"
    mov eax, ebx
    CHECK_EAX 0x0dd0ba5e, "real_mode_reload_gives_selector_times_16"
    ; and the BIOS still works afterwards
    int 0x12
    cmp ax, 512
    CHECK ae, "bios_int12_works_after_the_episode"
    jmp rm_finish

    align 8, db 0
ob_gdt:
    dq 0
    dw 0xffff, ODD_BASE & 0xffff
    db ODD_BASE >> 16, 0x93, 0x00, 0
    dw 0xffff, HIGH_BASE & 0xffff
    db HIGH_BASE >> 16, 0x93, 0x00, 0
    dw 0xffff, 0
    db 0, 0x9b, 0x00, 0             ; 16-bit code, base 0
    dw 0xffff, 0
    db 0, 0x93, 0xcf, 0             ; flat 4 GiB data
ob_gdt_end:
ob_gdtr:
    dw ob_gdt_end - ob_gdt - 1
    dd ob_gdt
got_es: dd 0
got_fs: dd 0

RM_CODE_END
RM_IMAGE_END
