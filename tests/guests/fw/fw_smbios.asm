; fw_smbios.asm - the SMBIOS (DMI) tables, found and read the way an OS's
; DMI scan does (Linux's dmi_scan, dmidecode, memtest86+, syslinux's HDT):
;
; 1. the entry point: "_SM_" on a 16-byte boundary in F0000-FFFFF whose
;    `length` bytes sum to 0, with "_DMI_" at +10h whose 15 bytes sum to 0;
; 2. the structure table it points to, walked structure by structure (the
;    formatted area's length, then the strings to a double NUL) to the
;    end-of-table structure (type 127), which must end exactly at the
;    announced table length after the announced number of structures;
; 3. a BIOS (type 0) and a system (type 1) structure with a vendor string:
;    what Linux prints in its "DMI:" line;
; 4. the memory device (type 17) as large as the RAM INT 15h E801h reports
;    below 4 GiB, in MiB rounded up.
%define GUEST_NAME "fw_smbios"
%include "rm.inc"

main:
    call find_entry
    jnc .found
    FAIL "smbios_entry_point_found", "no _SM_ anchor with a valid checksum in F0000-FFFFF"
    jmp rm_finish
.found:
    PASS "smbios_entry_point_found"
    INFO "entry point at 0x"
    movzx eax, di
    add eax, 0xf0000
    PUTHEX
    NEWLINE
    push es
    mov ax, 0xf000
    mov es, ax
    cmp dword [es:di + 0x10], '_DMI'
    jne .bad_dmi
    cmp byte [es:di + 0x14], '_'
    jne .bad_dmi
    lea si, [di + 0x10]
    mov cx, 15
    call sum_es
    test al, al
    jnz .bad_dmi
    mov eax, [es:di + 0x18]
    mov [table_addr], eax
    mov ax, [es:di + 0x16]
    mov [table_len], ax
    mov ax, [es:di + 0x1c]
    mov [n_announced], ax
    pop es
    PASS "smbios_intermediate_entry_point_valid"
    jmp walk
.bad_dmi:
    pop es
    FAIL "smbios_intermediate_entry_point_valid", "no _DMI_ at +10h, or its 15 bytes do not sum to 0"
    jmp rm_finish

walk:
    mov eax, [table_addr]
    cmp eax, 0x100000 - 16
    jb .below_1m
    FAIL "smbios_table_below_1mib", "the table is above 1 MiB (a real-mode reader cannot reach it)"
    jmp rm_finish
.below_1m:
    mov ebx, eax                        ; FS:SI = the table
    shr ebx, 4
    mov fs, bx
    and ax, 15
    mov si, ax
    mov [table_start], si
    xor cx, cx                          ; structures seen
.structure:
    mov ax, si
    sub ax, [table_start]
    cmp ax, [table_len]
    jae .overrun
    mov al, [fs:si]                     ; type
    mov bl, [fs:si + 1]                 ; formatted length
    cmp bl, 4
    jb .overrun
    cmp al, 0
    jne .not_bios
    cmp byte [fs:si + 4], 0             ; vendor string number
    je .not_bios
    mov byte [seen_bios], 1
.not_bios:
    cmp al, 1
    jne .not_system
    cmp byte [fs:si + 4], 0             ; manufacturer string number
    je .not_system
    mov byte [seen_system], 1
.not_system:
    cmp al, 17
    jne .not_memory
    mov dx, [fs:si + 0x0c]              ; size in MiB (bit 15 clear) or KiB
    mov [dev_size], dx
    mov byte [seen_memory], 1
.not_memory:
    mov [last_type], al
    movzx bx, bl
    add si, bx
.strings:                               ; to the double NUL
    mov ax, si
    sub ax, [table_start]
    cmp ax, [table_len]
    jae .overrun
    cmp word [fs:si], 0
    je .end_strings
    inc si
    jmp .strings
.end_strings:
    add si, 2
    inc cx
    cmp byte [last_type], 127
    je .ended
    cmp cx, 200
    jb .structure
.overrun:
    FAIL "smbios_table_walks_to_the_end_marker", "no end-of-table structure within the announced length"
    jmp rm_finish
.ended:
    mov ax, si
    sub ax, [table_start]
    cmp ax, [table_len]
    CHECK e, "smbios_table_walks_to_the_end_marker", "the end-of-table structure does not end at the announced length"
    INFO "structures 0x"
    movzx eax, cx
    PUTHEX
    NEWLINE
    movzx eax, cx
    movzx ebx, word [n_announced]
    cmp eax, ebx
    CHECK e, "smbios_structure_count_matches_the_entry_point", "the walk counted a different number of structures"
    cmp byte [seen_bios], 1
    CHECK e, "smbios_has_a_bios_structure_with_a_vendor", "no type 0 with a vendor string"
    cmp byte [seen_system], 1
    CHECK e, "smbios_has_a_system_structure_with_a_manufacturer", "no type 1 with a manufacturer string"
    cmp byte [seen_memory], 1
    je .memory
    FAIL "smbios_memory_device_matches_e801", "no memory device (type 17)"
    jmp rm_finish
.memory:
    mov ax, 0xe801
    int 0x15
    jnc .e801
    FAIL "smbios_memory_device_matches_e801", "INT 15h E801h failed"
    jmp rm_finish
.e801:
    test ax, ax                         ; some BIOSes answer in CX/DX only
    jnz .have_ax
    mov ax, cx
    mov bx, dx
.have_ax:
    movzx eax, ax
    movzx ebx, bx
    test ebx, ebx
    jz .below_16m
    shl ebx, 16
    add ebx, 0x1000000
    jmp .end_known
.below_16m:
    shl eax, 10
    lea ebx, [eax + 0x100000]
.end_known:
    add ebx, 0xfffff
    shr ebx, 20                         ; MiB, rounded up
    INFO "e801 MiB 0x"
    mov eax, ebx
    PUTHEX
    NEWLINE
    movzx eax, word [dev_size]
    call failv_compare
    jmp rm_finish

; EAX = type 17's size, EBX = E801's MiB: PASS when equal, else say both.
failv_compare:
    cmp eax, ebx
    jne .differ
    PASS "smbios_memory_device_matches_e801"
    ret
.differ:
    call failv_named
    db "smbios_memory_device_matches_e801", 0
    ret

; find_entry: DI = offset in F000 of the first valid "_SM_" entry point; CF when none.
find_entry:
    push es
    mov ax, 0xf000
    mov es, ax
    xor di, di
.next:
    cmp dword [es:di], '_SM_'
    jne .skip
    movzx cx, byte [es:di + 5]
    cmp cx, 0x1f
    jb .skip
    mov si, di
    call sum_es
    test al, al
    jz .found
.skip:
    add di, 16
    jnz .next
    pop es
    stc
    ret
.found:
    pop es
    clc
    ret

; sum_es: AL = the byte sum of CX bytes at ES:SI.
sum_es:
    push cx
    push si
    xor al, al
.add:
    add al, [es:si]
    inc si
    loop .add
    pop si
    pop cx
    ret

%include "failv.inc"

table_addr:  dd 0
table_len:   dw 0
table_start: dw 0
n_announced: dw 0
dev_size:    dw 0
last_type:   db 0
seen_bios:   db 0
seen_system: db 0
seen_memory: db 0

RM_CODE_END
RM_IMAGE_END
