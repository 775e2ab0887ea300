; fw_e820.asm - the memory map the BIOS reports (INT 15h E820h, INT 12h,
; INT 15h E801h) against the hv's handoff block at E000:0000.
;
; Our rombios builds its E820 map from the handoff block, so there the map
; must equal the block's e820[] entry by entry. The Bochs BIOS builds its map
; from the CMOS, so there we check the weaker property that every RAM range
; it reports lies inside a RAM range of the handoff map and that its RAM above
; 1 MiB ends at or below handoff.ram_top. Which BIOS runs is told by our
; rombios's strings in the F000 segment; the guest prints which check ran.
; INT 12h and E801h must agree with the E820 map in both cases.
%define GUEST_NAME "fw_e820"
%include "rm.inc"
%include "handoff.inc"

MAX_ENTRIES     equ 32
E820_BUF        equ RM_BUF              ; MAX_ENTRIES x 20 bytes
SMAP            equ 0x534d4150          ; 'SMAP'
MIB             equ 0x100000

main:
    ; -- the handoff block
    mov ax, HO_SEG
    mov fs, ax
    mov eax, [fs:HO_MAGIC]
    CHECK_EAX HO_MAGIC_VALUE, "handoff_block_present_at_e000"
    cmp dword [fs:HO_MAGIC], HO_MAGIC_VALUE
    jne rm_finish
    movzx eax, word [fs:HO_VERSION]
    CHECK_EAX HO_VERSION_VALUE, "handoff_block_version"

    ; -- which BIOS: our rombios's messages start with "rombios: "
    call find_own_rombios
    mov [own], al
    INFO "BIOS: "
    cmp byte [own], 0
    je .bochs_name
    PUTS "vmxlab rombios (exact comparison with the handoff map)"
    jmp .named
.bochs_name:
    PUTS "not ours, e.g. the Bochs BIOS (containment in the handoff map)"
.named:
    NEWLINE

    ; -- E820: walk the map with the EBX continuation value
    xor ebx, ebx
    mov di, E820_BUF
    mov word [count], 0
.next:
    mov eax, 0xe820
    mov edx, SMAP
    mov ecx, E820_ENTRY_SIZE
    mov dword [di + E820_TYPE], 0
    int 0x15
    jc .e820_end                        ; CF: past the end (or no E820)
    cmp eax, SMAP
    jne .bad_smap
    cmp ecx, E820_ENTRY_SIZE
    jb .bad_size
    inc word [count]
    add di, E820_ENTRY_SIZE
    test ebx, ebx
    jz .e820_end
    cmp word [count], MAX_ENTRIES
    jb .next
    FAIL "e820_walk_ends", "more than 32 entries (EBX never returned to 0)"
    jmp .e820_end
.bad_smap:
    FAIL "e820_returns_smap", "EAX is not 'SMAP' after INT 15h E820h"
    jmp rm_finish
.bad_size:
    FAIL "e820_returns_smap", "ECX below 20 after INT 15h E820h"
    jmp rm_finish
.e820_end:
    movzx eax, word [count]
    test eax, eax
    jnz .have
    FAIL "e820_lists_entries", "INT 15h E820h returned CF=1 for the first entry"
    jmp rm_finish
.have:
    PASS "e820_lists_entries"
    call print_map

    cmp byte [own], 0
    je .containment
    call check_exact
    jmp .base
.containment:
    call check_containment

    ; -- INT 12h: base memory in KiB ends where the RAM range at 0 ends (the
    ; EBDA follows it). Our rombios: exactly. The Bochs BIOS reports whole
    ; 4 KiB pages in E820 (RAM to 9F000h) but 639 KiB in INT 12h, so there
    ; INT 12h may lie up to one page above the E820 end.
.base:
    int 0x12
    movzx eax, ax
    shl eax, 10
    mov [int12_bytes], eax
    INFO "int12: base memory ends at "
    PUTHEX
    NEWLINE
    xor eax, eax
    call ram_end_from                   ; EAX = end of the RAM run from 0
    mov ebx, eax
    mov eax, [int12_bytes]
    cmp eax, ebx
    je .int12_ok
    cmp byte [own], 0
    jne .int12_bad
    cmp eax, ebx
    jb .int12_bad
    sub eax, ebx
    cmp eax, 0x1000
    mov eax, [int12_bytes]
    jb .int12_ok
.int12_bad:
    call failv_named
    db "int12_matches_e820_base_memory", 0
    jmp .e801
.int12_ok:
    PASS "int12_matches_e820_base_memory"

    ; -- E801h: AX = KiB 1..16 MiB, BX = 64 KiB blocks above 16 MiB (CX, DX
    ; the same as configured memory); the RAM run from 1 MiB in E820 (ACPI
    ; tables at its end count: E801h predates them) must give the same end.
.e801:
    mov ax, 0xe801
    xor bx, bx
    xor cx, cx
    xor dx, dx
    int 0x15
    jnc .e801_ok
    FAIL "e801_matches_e820_extended_memory", "INT 15h E801h returned CF=1"
    jmp rm_finish
.e801_ok:
    test ax, ax                         ; some BIOSes answer in CX/DX only
    jnz .axbx
    mov ax, cx
    mov bx, dx
.axbx:
    movzx eax, ax
    shl eax, 10
    add eax, MIB
    movzx ebx, bx
    shl ebx, 16
    jz .e801_end
    mov eax, 16 * MIB
    add eax, ebx
.e801_end:
    mov [e801_end], eax
    INFO "e801: RAM from 1 MiB ends at "
    PUTHEX
    NEWLINE
    mov eax, MIB
    call ram_end_from
    mov ebx, eax
    mov eax, [e801_end]
    cmp eax, ebx
    je .e801_pass
    call failv_named
    db "e801_matches_e820_extended_memory", 0
    jmp rm_finish
.e801_pass:
    PASS "e801_matches_e820_extended_memory"
    jmp rm_finish

%include "failv.inc"

; find_own_rombios: AL = 1 when "rombios: " is in the F000 segment.
find_own_rombios:
    push es
    push si
    push di
    push cx
    mov ax, 0xf000
    mov es, ax
    xor di, di
.scan:
    push di
    mov si, own_sig
    mov cx, own_sig_len
    repe cmpsb
    pop di
    je .found
    inc di
    cmp di, 0x10000 - own_sig_len
    jb .scan
    xor al, al
    jmp .done
.found:
    mov al, 1
.done:
    pop cx
    pop di
    pop si
    pop es
    ret

; print_map: "fw_e820: e820 BASE LEN TYPE" per entry (high dwords first).
print_map:
    pushad
    mov si, E820_BUF
    mov cx, [count]
.p:
    INFO "e820 "
    mov eax, [si + E820_BASE + 4]
    PUTHEX
    mov eax, [si + E820_BASE]
    PUTHEX
    PUTS " "
    mov eax, [si + E820_LEN + 4]
    PUTHEX
    mov eax, [si + E820_LEN]
    PUTHEX
    PUTS " "
    mov eax, [si + E820_TYPE]
    PUTHEX
    NEWLINE
    add si, E820_ENTRY_SIZE
    loop .p
    popad
    ret

; check_exact: count and every entry (base, length, type) equal to the handoff's.
check_exact:
    pushad
    movzx eax, word [count]
    mov ebx, [fs:HO_N_E820]
    cmp eax, ebx
    je .same_count
    call failv_named
    db "e820_entry_count_matches_handoff", 0
    popad
    ret
.same_count:
    PASS "e820_entry_count_matches_handoff"
    mov esi, E820_BUF
    mov ebx, HO_E820
    xor dx, dx
.e:
    cmp dx, [count]
    jae .all
    mov cx, E820_ENTRY_SIZE
    xor edi, edi
.b:
    mov al, [esi + edi]
    cmp al, [fs:ebx + edi]
    jne .differs
    inc di
    loop .b
    add si, E820_ENTRY_SIZE
    add bx, E820_ENTRY_SIZE
    inc dx
    jmp .e
.all:
    PASS "e820_matches_handoff_map"
    popad
    ret
.differs:
    inc word [rm_tests]
    inc word [rm_fails]
    PUTS "FAIL: e820_matches_handoff_map: entry "
    mov ax, dx
    call rm_dec_16
    PUTS " is "
    call print_entry_si
    PUTS ", the handoff has "
    push si
    push ds
    push fs
    pop ds
    mov si, bx
    call print_entry_si
    pop ds
    pop si
    NEWLINE
    popad
    ret

; print_entry_si: DS:SI = entry, as BASE+LEN/TYPE
print_entry_si:
    push eax
    mov eax, [si + E820_BASE]
    PUTHEX
    PUTS "+"
    mov eax, [si + E820_LEN]
    PUTHEX
    PUTS "/"
    mov eax, [si + E820_TYPE]
    PUTHEX
    pop eax
    ret

; check_containment: every E820 RAM range inside a handoff RAM range; the
; RAM above 1 MiB ends at or below handoff.ram_top.
check_containment:
    pushad
    mov si, E820_BUF
    xor dx, dx
    mov dword [max_end], 0
.e:
    cmp dx, [count]
    jae .done
    cmp dword [si + E820_TYPE], 1
    jne .skip
    cmp dword [si + E820_BASE + 4], 0
    jne .outside                        ; RAM above 4 GiB: not in a 64 MiB guest
    cmp dword [si + E820_LEN + 4], 0
    jne .outside
    mov eax, [si + E820_BASE]
    mov ecx, eax
    add ecx, [si + E820_LEN]            ; ECX = end
    jc .outside
    cmp eax, MIB
    jb .low
    cmp ecx, [max_end]
    jbe .low
    mov [max_end], ecx
.low:
    ; look for a handoff RAM range [hb, he) with hb <= base, end <= he
    mov bx, HO_E820
    xor di, di
.h:
    cmp di, [fs:HO_N_E820]
    jae .outside
    cmp dword [fs:bx + E820_TYPE], 1
    jne .hnext
    cmp dword [fs:bx + E820_BASE + 4], 0
    jne .hnext
    cmp eax, [fs:bx + E820_BASE]
    jb .hnext
    mov ebp, [fs:bx + E820_BASE]
    add ebp, [fs:bx + E820_LEN]
    cmp ecx, ebp
    jbe .skip                           ; inside
.hnext:
    add bx, E820_ENTRY_SIZE
    inc di
    jmp .h
.skip:
    add si, E820_ENTRY_SIZE
    inc dx
    jmp .e
.outside:
    inc word [rm_tests]
    inc word [rm_fails]
    PUTS "FAIL: e820_ram_lies_inside_handoff_ram: entry "
    mov ax, dx
    call rm_dec_16
    PUTS " ("
    call print_entry_si
    PUTS ") is in no RAM range of the handoff map"
    NEWLINE
    jmp .top
.done:
    PASS "e820_ram_lies_inside_handoff_ram"
.top:
    mov eax, [max_end]
    mov ebx, [fs:HO_RAM_TOP]
    INFO "RAM above 1 MiB ends at "
    PUTHEX
    PUTS ", handoff ram_top "
    push eax
    mov eax, ebx
    PUTHEX
    pop eax
    NEWLINE
    test eax, eax
    jz .none
    cmp eax, ebx
    ja .above
    PASS "e820_ram_above_1m_ends_below_ram_top"
    popad
    ret
.none:
    FAIL "e820_ram_above_1m_ends_below_ram_top", "no RAM above 1 MiB in the E820 map"
    popad
    ret
.above:
    call failv_named
    db "e820_ram_above_1m_ends_below_ram_top", 0
    popad
    ret

; ram_end_from: EAX = an address; returns in EAX the end of the run of RAM
; (type 1, or ACPI type 3 when it directly follows RAM) that contains it in
; the E820 map, or EAX unchanged when no RAM range contains it.
ram_end_from:
    push si
    push cx
    push edx
.again:
    mov si, E820_BUF
    mov cx, [count]
.e:
    mov edx, [si + E820_TYPE]
    cmp edx, 1
    je .ram
    cmp edx, 3
    jne .n
    cmp byte [run_started], 0           ; ACPI counts only after RAM
    je .n
.ram:
    cmp dword [si + E820_BASE + 4], 0
    jne .n
    cmp eax, [si + E820_BASE]
    jb .n
    mov edx, [si + E820_BASE]
    add edx, [si + E820_LEN]
    cmp eax, edx
    jae .n
    mov eax, edx                        ; extend the run to this range's end
    mov byte [run_started], 1
    jmp .again
.n:
    add si, E820_ENTRY_SIZE
    loop .e
    mov byte [run_started], 0
    pop edx
    pop cx
    pop si
    ret

own_sig:        db "rombios: "
own_sig_len     equ $ - own_sig
own:            db 0
run_started:    db 0
    align 4, db 0
count:          dw 0, 0
int12_bytes:    dd 0
e801_end:       dd 0
max_end:        dd 0

RM_CODE_END
RM_IMAGE_END
