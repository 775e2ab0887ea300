; rm_sgdt_sidt_mov_dr.asm - the system registers real-mode code can read
; back: SGDT and SIDT store what LGDT and LIDT loaded, and MOV to and from
; the debug registers works, with either ModRM form.
;
; SGDT and SIDT are not privileged. A VM8086 monitor that runs real-mode
; code in VM86 keeps its own GDT and IDT in the CPU's registers, so unless
; it intercepts them, SGDT/SIDT in VM86 store the monitor's tables - while
; the same instruction interpreted by its emulator (big real mode) stores
; the guest's. MOV DRn faults in VM86 and must be emulated; its ModRM mod
; bits are ignored (0F 21 00 is MOV EAX, DR0), and DR4/DR5 are DR6/DR7
; while CR4.DE is clear (SDM Vol. 3B, 18.2.2).
%define GUEST_NAME "rm_sgdt_sidt_mov_dr"
%include "rm.inc"

HIMEM           equ 0x360000
TEST_GDT_BASE   equ 0x00123450
TEST_GDT_LIMIT  equ 0x0047
TEST_IDT_LIMIT  equ 0x0123      ; base stays 0: real-mode interrupts use it
DR0_VALUE       equ 0x8badaced
DR1_VALUE       equ 0x0007c000

main:
    call rm_enable_a20
    CHECK nc, "a20_enabled_for_memory_above_1mib"
    cli
    sgdt [saved_gdtr]
    sidt [saved_idtr]

    ; ---- 1. plain real mode (VM86 under vmxassist)
    o32 lgdt [test_gdtr]
    mov dword [store + 2], 0xffffffff
    sgdt [store]
    movzx eax, word [store]
    CHECK_EAX TEST_GDT_LIMIT, "sgdt_stores_the_limit_lgdt_loaded"
    mov eax, [store + 2]
    CHECK_EAX TEST_GDT_BASE, "sgdt_stores_the_base_lgdt_loaded"
    o32 lidt [test_idtr]
    mov dword [store + 2], 0xffffffff
    o32 sidt [store]
    movzx eax, word [store]
    CHECK_EAX TEST_IDT_LIMIT, "sidt_stores_the_limit_lidt_loaded"
    mov eax, [store + 2]
    CHECK_EAX 0, "sidt_stores_the_base_lidt_loaded"

    ; ---- 2. the same in big real mode (GS with a 4 GiB limit, no far
    ;      jump): the store goes above 1 MiB through GS
    lgdt [rm_gdtr]
    mov eax, cr0
    or al, CR0_PE
    mov cr0, eax
    mov bx, SEL_DATA32
    mov gs, bx
    and al, ~CR0_PE
    mov cr0, eax
    o32 lgdt [test_gdtr]
    mov esi, HIMEM
    mov dword [gs:esi + 2], 0xffffffff
    a32 sgdt [gs:esi]
    mov eax, [gs:esi + 2]
    CHECK_EAX TEST_GDT_BASE, "sgdt_in_big_real_mode_stores_the_same_base"
    movzx eax, word [gs:esi]
    CHECK_EAX TEST_GDT_LIMIT, "sgdt_in_big_real_mode_stores_the_same_limit"
    a32 sidt [gs:esi + 8]
    movzx eax, word [gs:esi + 8]
    CHECK_EAX TEST_IDT_LIMIT, "sidt_in_big_real_mode_stores_the_same_limit"
    xor ax, ax
    mov gs, ax

    ; ---- back to the tables the guest had; interrupts on again
    o32 lgdt [saved_gdtr]
    o32 lidt [saved_idtr]
    sti
    sidt [store]
    movzx eax, word [store]
    mov ebx, [saved_idtr]
    movzx ebx, bx
    cmp eax, ebx
    CHECK e, "sidt_after_restoring_gives_the_first_idtr_back"

    ; ---- 3. MOV DRn
    mov ebx, DR0_VALUE
    mov dr0, ebx
    mov eax, 0xdead
    db 0x0f, 0x21, 0x00                 ; MOV EAX, DR0 with mod = 00 (a register all the same)
    CHECK_EAX DR0_VALUE, "mov_dr0_round_trip_with_mod_bits_zero"
    mov eax, dr7
    and eax, 0x400                      ; bit 10 reads as 1
    CHECK_EAX 0x400, "dr7_bit10_reads_as_one"
    mov eax, dr6
    mov ebx, eax
    db 0x0f, 0x21, 0xe1                 ; MOV ECX, DR4: DR6 while CR4.DE = 0
    cmp ecx, ebx
    CHECK e, "mov_from_dr4_reads_dr6_without_cr4_de"
    mov eax, DR1_VALUE
    mov dr1, eax
    SWITCH_ROUND_TRIPS 2                ; real -> protected -> real twice
    mov eax, dr1
    CHECK_EAX DR1_VALUE, "dr1_survives_protected_mode_round_trips"
    ; the same in big real mode (each instruction emulated under vmxassist)
    RM_SET_PE
    mov bx, SEL_DATA32
    mov fs, bx
    and al, ~CR0_PE
    mov cr0, eax
    mov eax, 0x12345678
    mov dr2, eax
    mov dword [fs:dword HIMEM + 0x100], 0
    mov ecx, dr2
    mov [fs:dword HIMEM + 0x100], ecx
    mov eax, [fs:dword HIMEM + 0x100]
    CHECK_EAX 0x12345678, "mov_dr2_round_trip_in_big_real_mode"
    xor eax, eax
    mov dr0, eax
    mov dr1, eax
    mov dr2, eax
    mov fs, ax
    sti
    jmp rm_finish

align 4
t0:             dq 0
store:          times 16 db 0
saved_gdtr:     times 8 db 0
saved_idtr:     times 8 db 0
test_gdtr:      dw TEST_GDT_LIMIT
                dd TEST_GDT_BASE
test_idtr:      dw TEST_IDT_LIMIT
                dd 0

RM_CODE_END
RM_IMAGE_END
