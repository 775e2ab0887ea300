; rm_longmode.asm - from real mode straight into 64-bit long mode and back.
; Trip 1: 4-level identity page tables (2 MiB pages, first 1 GiB), CR4.PAE,
; CR3, EFER.LME, then PE and PG in one MOV CR0 from real mode, far jump to a
; 64-bit code segment, UART output from 64-bit code; back: RETFQ to a 32-bit
; compatibility-mode segment, clear PG (leaves long mode), clear LME, 16-bit
; protected mode, clear PE, real mode.
; Trip 2: the usual way in (real -> 32-bit protected mode -> PAE, LME, PG)
; and the same way out, to check the transitions repeat.
%define GUEST_NAME "rm_longmode"
%include "rm.inc"

PML4            equ 0x50000
PDPT            equ 0x51000
PDIR            equ 0x52000
HIMEM           equ 0x3ff000

; NAMED prefix, suffix: NAME = the test name prefix + suffix
%macro NAMED 2
  %strcat NAME %1, %2
%endmacro

; LM_CHECKS prefix: things only 64-bit mode does (in 64-bit mode).
%macro LM_CHECKS 1
    mov ax, cs
    movzx eax, ax
    NAMED %1, "cs_is_64bit_selector"
    CHECK_EAX SEL_CODE64, NAME
    mov rax, 0x123456789abcdef0
    mov r8, rax
    ror r8, 32
    mov eax, r8d
    NAMED %1, "64bit_registers_and_r8"
    CHECK_EAX 0x12345678, NAME
    lea rax, [rel %%here]
%%here:
    cmp rax, %%here
    NAMED %1, "rip_relative_addressing"
    CHECK e, NAME
    mov ecx, MSR_EFER
    rdmsr
    and eax, EFER_LME | EFER_LMA
    NAMED %1, "efer_lma_set"
    CHECK_EAX EFER_LME | EFER_LMA, NAME
    mov qword [HIMEM], 0
    mov rax, 0x6464646464646464
    mov [HIMEM], rax
    mov eax, [HIMEM + 4]
    NAMED %1, "64bit_store_above_1mib"
    CHECK_EAX 0x64646464, NAME
%endmacro

; COMPAT_CHECKS prefix: in 32-bit compatibility mode (still IA-32e, paging on).
%macro COMPAT_CHECKS 1
    mov ax, cs
    movzx eax, ax
    NAMED %1, "compat_mode_runs_32bit_code"
    CHECK_EAX SEL_CODE32, NAME
    mov ecx, MSR_EFER
    rdmsr
    and eax, EFER_LMA
    NAMED %1, "compat_mode_keeps_lma"
    CHECK_EAX EFER_LMA, NAME
%endmacro

; LEAVE_LONG_MODE prefix: from compatibility mode (identity-mapped code)
; clear PG, then LME and PAE (SDM vol. 3, "Switching Out of IA-32e Mode
; Operation"). Ends in 32-bit protected mode, paging off.
%macro LEAVE_LONG_MODE 1
    mov eax, cr0
    and eax, ~CR0_PG
    mov cr0, eax
    jmp %%off
%%off:
    mov ecx, MSR_EFER
    rdmsr
    and eax, ~EFER_LME
    wrmsr
    mov eax, cr4
    and eax, ~CR4_PAE
    mov cr4, eax
    PM_FLAT_SEGS
    mov ecx, MSR_EFER
    rdmsr
    and eax, EFER_LME | EFER_LMA
    NAMED %1, "left_to_32bit_protected_mode"
    CHECK_EAX 0, NAME
%endmacro

main:
    call rm_enable_a20
    CHECK nc, "a20_enabled_for_memory_above_1mib"
    mov eax, 0x80000000
    cpuid
    cmp eax, 0x80000001
    jb .nolm
    mov eax, 0x80000001
    cpuid
    test edx, 1 << 29
    jz .nolm
    PASS "cpuid_reports_long_mode"
    call build_page_tables
    call trip_from_real_mode
    call trip_via_protected_mode
    jmp rm_finish
.nolm:
    FAIL "cpuid_reports_long_mode", "no long mode: nothing else tested"
    jmp rm_finish

; build_page_tables: PML4[0] -> PDPT, PDPT[0] -> PDIR, PDIR: 512 x 2 MiB.
build_page_tables:
    push es
    mov ax, PML4 >> 4
    mov es, ax
    xor di, di
    xor eax, eax
    mov cx, 3 * 4096 / 4
    rep stosd
    mov dword [es:0x0000], PDPT | 3                 ; present, writable
    mov dword [es:0x1000], PDIR | 3
    mov di, 0x2000
    mov eax, 0x83                                   ; present, writable, 2 MiB
    xor edx, edx
    mov cx, 512
.pde:
    mov [es:di], eax
    mov [es:di + 4], edx
    add eax, 0x200000
    adc edx, 0
    add di, 8
    loop .pde
    pop es
    ret

; ------------------------------------------------ trip 1: real -> long mode
trip_from_real_mode:
    cli
    movzx esp, sp
    lgdt [rm_gdtr]
    mov eax, cr4
    or eax, CR4_PAE
    mov cr4, eax
    mov eax, PML4
    mov cr3, eax
    mov ecx, MSR_EFER
    rdmsr
    or eax, EFER_LME
    wrmsr
    mov eax, cr0
    or eax, CR0_PE | CR0_PG         ; both at once, from real mode
    mov cr0, eax
    jmp dword SEL_CODE64:.lm
bits 64
.lm:
    mov esp, esp                    ; defined upper half of RSP
    mov ax, SEL_DATA32
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov fs, ax
    mov gs, ax
    PASS "longmode_entered_from_real_mode"
    LM_CHECKS "longmode_"
    ; back to 32-bit code: far return to the compatibility-mode segment
    push SEL_CODE32
    mov eax, .compat
    push rax
    o64 retf
bits 32
.compat:
    COMPAT_CHECKS "longmode_"
    LEAVE_LONG_MODE "longmode_"
    PM32_TO_RM
    call rm_checks
    CHECK e, "longmode_back_in_real_mode", "CR0.PE/PG, CR4.PAE or EFER.LME/LMA still set"
    ret

; ------------------------ trip 2: real -> 32-bit PM -> long mode, and back
trip_via_protected_mode:
    RM_TO_PM32
    mov eax, cr4
    or eax, CR4_PAE
    mov cr4, eax
    mov eax, PML4
    mov cr3, eax
    mov ecx, MSR_EFER
    rdmsr
    or eax, EFER_LME
    wrmsr
    mov eax, cr0
    or eax, CR0_PG
    mov cr0, eax
    jmp SEL_CODE64:.lm
bits 64
.lm:
    mov esp, esp
    mov ax, SEL_DATA32
    mov ss, ax
    PASS "longmode_entered_from_protected_mode"
    LM_CHECKS "longmode_via_pm_"
    jmp far dword [rel .to_compat]  ; jmp m16:32 (FF /5, no REX.W) to compatibility mode
.to_compat:
    dd .compat
    dw SEL_CODE32
bits 32
.compat:
    COMPAT_CHECKS "longmode_via_pm_"
    LEAVE_LONG_MODE "longmode_via_pm_"
    PM32_TO_RM
    call rm_checks
    CHECK e, "longmode_via_pm_back_in_real_mode"
    ret

; rm_checks: ZF=1 when CR0.PE/PG, CR4.PAE, EFER.LME/LMA are all clear.
bits 16
rm_checks:
    mov eax, cr0
    test eax, CR0_PE | CR0_PG
    jnz .out
    mov eax, cr4
    test eax, CR4_PAE
    jnz .out
    mov ecx, MSR_EFER
    rdmsr
    test eax, EFER_LME | EFER_LMA
.out:
    ret

RM_CODE_END
RM_IMAGE_END
