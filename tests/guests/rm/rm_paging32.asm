; rm_paging32.asm - real mode -> protected mode -> 32-bit paging and back.
; The page tables identity-map the first 8 MiB except one 4 KiB page, which
; maps to another physical page, and one 4 MiB (PSE) page, which maps to
; another 4 MiB frame. Writes through the aliases must show up at the
; physical pages (read through the identity map) and not at the identity
; pages; the CPU sets accessed/dirty bits; INVLPG after a PTE change takes
; effect; CR3 written with PG=0 reads back. Then paging off, real mode again.
%define GUEST_NAME "rm_paging32"
%include "rm.inc"

PD              equ 0x40000         ; page directory
PT0             equ 0x41000         ; page table for 0..4 MiB
ALIAS_V         equ 0x200000        ; this virtual page ...
ALIAS_P         equ 0x280000        ; ... maps here
ALIAS_P2        equ 0x281000        ; ... and here after the PTE change
BIG_V           equ 0x800000        ; 4 MiB page at 8 MiB ...
BIG_P           equ 0x400000        ; ... maps to the frame at 4 MiB
IDENT_MARK      equ 0x4e454449      ; "IDEN" at the identity page ALIAS_V
V1              equ 0xa11a5ed0
V2              equ 0x1b1b1b1b
V3              equ 0x4b4b4b4b
PTE_P           equ 1 << 0
PTE_W           equ 1 << 1
PTE_A           equ 1 << 5
PTE_D           equ 1 << 6
PDE_PS          equ 1 << 7

main:
    call rm_enable_a20
    CHECK nc, "a20_enabled_for_memory_above_1mib"
    mov eax, 1
    cpuid
    test edx, 1 << 3                ; PSE
    CHECK nz, "cpuid_reports_pse"

    RM_TO_PM32
    ; markers, written with paging off (physical addresses)
    mov dword [ALIAS_V], IDENT_MARK
    mov dword [ALIAS_V + 0x10], IDENT_MARK
    mov dword [ALIAS_P], 0
    mov dword [ALIAS_P + 0x10], 0
    mov dword [ALIAS_P2 + 0x20], 0
    mov dword [BIG_V + 0x40], IDENT_MARK
    mov dword [BIG_P + 0x40], 0

    ; page table 0: identity, except ALIAS_V -> ALIAS_P
    mov edi, PT0
    mov eax, PTE_P | PTE_W
    mov ecx, 1024
.pt:
    mov [edi], eax
    add eax, 0x1000
    add edi, 4
    loop .pt
    mov dword [PT0 + (ALIAS_V >> 12) * 4], ALIAS_P | PTE_P | PTE_W
    ; page directory: PT0, then 4 MiB pages 4M->4M and 8M->4M
    mov edi, PD
    xor eax, eax
    mov ecx, 1024
    rep stosd
    mov dword [PD + 0], PT0 | PTE_P | PTE_W
    mov dword [PD + 4], BIG_P | PDE_PS | PTE_P | PTE_W
    mov dword [PD + (BIG_V >> 22) * 4], BIG_P | PDE_PS | PTE_P | PTE_W

    mov eax, PD
    mov cr3, eax
    mov eax, cr3
    CHECK_EAX PD, "paging32_cr3_written_with_pg_off_reads_back"
    mov eax, cr4
    or eax, CR4_PSE
    mov cr4, eax
    mov eax, cr0
    or eax, CR0_PG
    mov cr0, eax
    jmp .paged                      ; (a jump after setting PG, as the SDM asks)
.paged:
    mov eax, cr0
    and eax, CR0_PG | CR0_PE
    CHECK_EAX CR0_PG | CR0_PE, "paging32_enabled"

    mov eax, [ALIAS_V]              ; reads ALIAS_P
    CHECK_EAX 0, "paging32_alias_reads_target_page"
    mov dword [ALIAS_V + 0x10], V1
    mov eax, [ALIAS_P + 0x10]       ; identity-mapped physical page
    CHECK_EAX V1, "paging32_alias_write_visible_at_physical_page"
    mov eax, [PT0 + (ALIAS_V >> 12) * 4]
    and eax, PTE_A | PTE_D
    CHECK_EAX PTE_A | PTE_D, "paging32_sets_accessed_and_dirty_in_pte"

    mov dword [PT0 + (ALIAS_V >> 12) * 4], ALIAS_P2 | PTE_P | PTE_W
    invlpg [ALIAS_V]
    mov dword [ALIAS_V + 0x20], V2
    mov eax, [ALIAS_P2 + 0x20]
    CHECK_EAX V2, "paging32_invlpg_after_pte_change"

    mov dword [BIG_V + 0x40], V3
    mov eax, [BIG_P + 0x40]
    CHECK_EAX V3, "paging32_pse_4mib_page_alias"
    mov eax, [PD + (BIG_V >> 22) * 4]
    and eax, PTE_A | PTE_D
    CHECK_EAX PTE_A | PTE_D, "paging32_sets_accessed_and_dirty_in_4mib_pde"

    ; paging off (we run identity-mapped), PSE off
    mov eax, cr0
    and eax, ~CR0_PG
    mov cr0, eax
    jmp .unpaged
.unpaged:
    mov eax, cr4
    and eax, ~CR4_PSE
    mov cr4, eax
    mov eax, [ALIAS_V]
    cmp eax, IDENT_MARK
    jne .id
    mov eax, [ALIAS_V + 0x10]       ; the identity page never saw V1
.id:
    CHECK_EAX IDENT_MARK, "paging32_identity_page_untouched_by_alias_writes"
    mov eax, [BIG_V + 0x40]
    CHECK_EAX IDENT_MARK, "paging32_identity_frame_untouched_by_4mib_alias"
    mov eax, [ALIAS_P + 0x10]
    CHECK_EAX V1, "paging32_physical_page_keeps_value_with_paging_off"

    PM32_TO_RM
    mov eax, cr0
    and eax, CR0_PG | CR0_PE
    CHECK_EAX 0, "paging32_back_in_real_mode_with_pg_pe_clear"
    mov eax, cr4
    and eax, CR4_PSE
    CHECK_EAX 0, "paging32_cr4_pse_cleared"
    ; real-mode addressing is physical again: 8000:0000 = linear 0x80000
    mov ax, 0x8000
    mov es, ax
    mov dword [es:0], 0x8badf00d
    xor ax, ax
    mov es, ax
    mov ax, 0x7fff
    mov ds, ax
    mov eax, [0x10]
    xor bx, bx
    mov ds, bx
    CHECK_EAX 0x8badf00d, "paging32_real_mode_addressing_after_return"
    jmp rm_finish

RM_CODE_END
RM_IMAGE_END
