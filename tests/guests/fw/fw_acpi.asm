; fw_acpi.asm - an OS's ACPI power-off, the way Linux does it, in real mode:
; find the RSDP (EBDA's first KiB, then E0000-FFFFF on 16-byte boundaries,
; "RSD PTR " with a zero 20-byte sum), walk RSDT -> FADT -> FACS and DSDT
; checking signatures, lengths and checksums, parse \_S5 from the DSDT's AML,
; then write SLP_TYP = the \_S5 type, and SLP_TYP | SLP_EN, to PM1a_CNT.
; Under the hv that ends the run with status 0; on plain Bochs Bochs powers
; off. If the write returns, FAIL acpi_s5_powers_off and the summary.
;
; fw_acpi_sleep.asm includes this file with ACPI_OTHER_SLEEP_TYPE defined:
; it writes SLP_EN with a sleep type other than \_S5's, which must NOT power
; off (the hv drops SLP_EN: vmxlab has no sleep states), and ends normally.
;
; Tables must lie below 1 MiB (rombios keeps them in its segment); the guest
; reads them through FS = address >> 4.
%ifndef GUEST_NAME
%define GUEST_NAME "fw_acpi"
%endif
%include "rm.inc"

SLP_EN          equ 1 << 13
SLP_TYP_SHIFT   equ 10
FADT_FACS       equ 36
FADT_DSDT       equ 40
FADT_PM1A_CNT   equ 64
FADT_PM1_CNT_LEN equ 89

main:
    call find_rsdp
    jnc .have_rsdp
    FAIL "acpi_rsdp_found", "no RSDP in the EBDA or E0000-FFFFF"
    jmp rm_finish
.have_rsdp:
    PASS "acpi_rsdp_found"
    INFO "RSDP at "
    PUTHEX
    NEWLINE
    mov eax, [fs:si + 16]               ; RsdtAddress
    mov ebx, 'RSDT'
    call check_table
    jc rm_finish
    PASS "acpi_rsdt_valid"
    ; -- the FADT: the RSDT's entries are at 36 .. length
    mov ecx, [fs:si + 4]
    sub ecx, 36
    shr ecx, 2
    jz .no_fadt
    mov di, si
    add di, 36
.entry:
    mov eax, [fs:di]
    push fs
    push si
    push di
    push ecx
    mov ebx, 'FACP'
    mov byte [quiet], 1
    call check_table
    mov byte [quiet], 0
    jnc .fadt_found
    pop ecx
    pop di
    pop si
    pop fs
    add di, 4
    loop .entry
.no_fadt:
    FAIL "acpi_fadt_valid", "no valid FACP table in the RSDT"
    jmp rm_finish
.fadt_found:
    add sp, 10                          ; drop the saved FS, SI, DI, ECX: FS:SI = the FADT now
    PASS "acpi_fadt_valid"
    mov ax, [fs:si + FADT_PM1A_CNT]
    mov [pm1a_cnt], ax
    movzx eax, byte [fs:si + FADT_PM1_CNT_LEN]
    CHECK_EAX 2, "acpi_fadt_pm1_cnt_len_is_2"
    mov eax, [fs:si + FADT_DSDT]
    mov [dsdt], eax
    ; -- the FACS: signature, 64 bytes, on a 64-byte boundary
    mov eax, [fs:si + FADT_FACS]
    test eax, 63
    jnz .facs_bad
    call phys_to_fs_si
    jc .facs_bad
    cmp dword [fs:si], 'FACS'
    jne .facs_bad
    cmp dword [fs:si + 4], 64
    jb .facs_bad
    PASS "acpi_facs_valid"
    jmp .dsdt
.facs_bad:
    FAIL "acpi_facs_valid", "the FADT's FACS is not a 64-byte aligned FACS"
.dsdt:
    mov eax, [dsdt]
    mov ebx, 'DSDT'
    call check_table
    jc rm_finish
    PASS "acpi_dsdt_valid"
    call find_s5                        ; AL = SLP_TYPa, CF on failure
    jnc .s5
    FAIL "acpi_dsdt_defines_s5", "no Name(\_S5, Package(){...}) with an integer first element"
    jmp rm_finish
.s5:
    mov [s5], al
    PASS "acpi_dsdt_defines_s5"
    INFO "PM1a_CNT port "
    movzx eax, word [pm1a_cnt]
    PUTHEX
    PUTS ", \_S5 sleep type "
    movzx eax, byte [s5]
    PUTHEX
    NEWLINE
    cmp word [pm1a_cnt], 0
    jne .port
    FAIL "acpi_fadt_has_pm1a_cnt", "PM1a_CNT_BLK is 0"
    jmp rm_finish
.port:
    mov dx, [pm1a_cnt]
%ifdef ACPI_OTHER_SLEEP_TYPE
    mov al, [s5]
    inc al
    and al, 7                           ; a sleep type that is not \_S5's
    mov [s5], al
    INFO "writing SLP_EN with sleep type "
    movzx eax, al
    PUTHEX
    PUTS " (not \_S5): no power-off expected"
    NEWLINE
%else
    INFOLN "writing SLP_TYP, then SLP_TYP | SLP_EN, to PM1a_CNT: ACPI S5"
%endif
    push dx                             ; let COM1 finish: the machine may be gone next
    mov dx, COM1 + 5
    mov cx, 0xffff
.drain:
    in al, dx
    test al, 0x40                       ; LSR.TEMT
    loopz .drain
    pop dx
    in ax, dx
    and ax, ~(7 << SLP_TYP_SHIFT | SLP_EN)
    movzx bx, byte [s5]
    shl bx, SLP_TYP_SHIFT
    or ax, bx
    out dx, ax
    or ax, SLP_EN
    out dx, ax
    ; still here: give a power-off a moment to happen
    mov cx, 1000
.wait:
    out 0x80, al
    loop .wait
%ifdef ACPI_OTHER_SLEEP_TYPE
    PASS "acpi_other_sleep_type_does_not_power_off"
%else
    FAIL "acpi_s5_powers_off", "SLP_EN with the \_S5 type came back"
%endif
    jmp rm_finish

%include "failv.inc"

; phys_to_fs_si: EAX = a physical address below 1 MiB -> FS:SI; CF if above.
phys_to_fs_si:
    cmp eax, 0x100000 - 16
    jae .above
    push eax
    shr eax, 4
    mov fs, ax
    pop eax
    mov si, ax
    and si, 15
    clc
    ret
.above:
    stc
    ret

; sum: AL = the byte sum of CX bytes at FS:SI (CX = 0: 65536).
sum:
    push si
    push cx
    xor al, al
.s:
    add al, [fs:si]
    inc si
    loop .s
    pop cx
    pop si
    ret

; check_table: EAX = address, EBX = signature; FS:SI = the table and CF
; clear when signature, length (36..64 KiB) and checksum are right, else a
; FAIL line (unless [quiet]) and CF.
check_table:
    call phys_to_fs_si
    jc .far
    cmp [fs:si], ebx
    jne .sig
    mov ecx, [fs:si + 4]
    cmp ecx, 36
    jb .len
    cmp ecx, 0xfff0
    ja .len
    call sum
    test al, al
    jnz .csum
    clc
    ret
.far:
    cmp byte [quiet], 0
    jne .fail
    FAIL "acpi_table_below_1m", "a table lies above 1 MiB (this guest reads the first MiB only)"
    jmp .fail
.sig:
    cmp byte [quiet], 0
    jne .fail
    mov eax, [fs:si]
    call failv_named
    db "acpi_table_signature", 0
    jmp .fail
.len:
    cmp byte [quiet], 0
    jne .fail
    mov eax, ecx
    call failv_named
    db "acpi_table_length", 0
    jmp .fail
.csum:
    cmp byte [quiet], 0
    jne .fail
    movzx eax, al
    xor ebx, ebx
    call failv_named
    db "acpi_table_checksum_sums_to_zero", 0
.fail:
    stc
    ret

; find_rsdp: CF clear, FS:SI = the RSDP and EAX its address when found.
find_rsdp:
    push es
    mov ax, 0x40
    mov es, ax
    movzx eax, word [es:0x0e]           ; the EBDA's segment
    pop es
    shl eax, 4
    jz .bios
    mov cx, 64                          ; its first KiB
    call scan
    jnc .done
.bios:
    mov eax, 0xe0000
    mov cx, 0x2000                      ; E0000-FFFFF
    call scan
.done:
    ret

; scan: CX paragraphs from EAX: the first valid RSDP (CF clear, EAX, FS:SI).
scan:
    call phys_to_fs_si
    jc .none
    cmp dword [fs:si], 'RSD '
    jne .next
    cmp dword [fs:si + 4], 'PTR '
    jne .next
    push cx
    mov cx, 20
    push ax
    call sum
    test al, al
    pop ax
    pop cx
    jz .found
.next:
    add eax, 16
    loop scan
.none:
    stc
    ret
.found:
    clc
    ret

; find_s5: in the DSDT at [dsdt] (checked): AL = SLP_TYPa; CF when absent.
; NameOp (08h) [\] "_S5_" PackageOp (12h) PkgLength(1 byte) NumElements,
; then ZeroOp, OneOp or BytePrefix (0Ah) n.
find_s5:
    mov eax, [dsdt]
    call phys_to_fs_si
    mov cx, [fs:si + 4]
    sub cx, 36 + 10
    jbe .none
    add si, 36
.look:
    cmp dword [fs:si + 1], '_S5_'
    jne .next
    cmp byte [fs:si], 0x08
    je .named
    cmp byte [fs:si], '\'
    jne .next
    cmp byte [fs:si - 1], 0x08
    jne .next
.named:
    cmp byte [fs:si + 5], 0x12
    jne .next
    test byte [fs:si + 6], 0xc0         ; a one-byte PkgLength
    jnz .next
    cmp byte [fs:si + 7], 1
    jb .next
    mov al, [fs:si + 8]
    cmp al, 0x01
    jbe .value                          ; ZeroOp, OneOp
    cmp al, 0x0a
    jne .next
    mov al, [fs:si + 9]
    cmp al, 7
    ja .next
.value:
    clc
    ret
.next:
    inc si
    loop .look
.none:
    stc
    ret

quiet:      db 0
s5:         db 0
pm1a_cnt:   dw 0
    align 4, db 0
dsdt:       dd 0

RM_CODE_END
RM_IMAGE_END
