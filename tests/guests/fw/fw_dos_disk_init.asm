; fw_dos_disk_init.asm - the BIOS services a DOS kernel's disk initialisation
; calls, called the way it calls them, and what each one leaves behind.
;
; A DOS kernel (FreeDOS's InitDisk, MS-DOS's IO.SYS) calls INT 13h 00h, 08h,
; 15h, 41h, 48h, 02h (and 01h, after an error) on every drive number 00h-03h and 80h-83h, INT 11h and
; 12h, INT 15h 88h/E801h/C0h and INT 1Ah, from a small stack in low memory,
; with interrupts on and the timer running. Its code then relies on every
; register the service does not document as an output (all 32 bits: 386
; code keeps values in the upper halves), on SS:SP, and on the flags that are
; not outputs (IF, DF, TF). The calls go in with IF=1 and DF=1: DOS code
; copies backwards with STD, and an interrupt that comes then must not carry
; DF into the BIOS's or vmxassist's own string instructions.
; Each call here is one test,
; "<call>_keeps_caller_state": it fails with one line per violation
; ("FAIL: <call>: EBX before 0x.. after 0x..").
;
; The caller's stack is SS:SP = 0070:0400 (linear 0B00h down), the upper half
; of ESP nonzero; the 768 bytes below it are filled with A5h before each
; call, and afterwards the deepest byte changed shows how much of the
; caller's stack the service (and the interrupts that came during it) used:
; at most STACK_LIMIT bytes.
;
; Then a second part does what DOS's STACKS= (and many TSRs) do: IRQ 0 goes
; through a hook that switches to a stack of its own and chains to the BIOS's
; INT 08h with PUSHF/CALL FAR. Floppy reads, whose BIOS waits for IRQ 6 with
; interrupts on, must still return the right data and the caller's state.
%define GUEST_NAME "fw_dos_disk_init"
%include "rm.inc"

TEST_SS     equ 0x0070
TEST_SP     equ 0x0400              ; linear 0B00h
TEST_ESP_HI equ 0x5a5a              ; upper half of ESP during the calls
CANARY_LEN  equ 0x0300              ; linear 0800h-0AFFh
CANARY      equ 0xa5
STACK_LIMIT equ 256                 ; caller's stack a service may use
IRQ_SS      equ 0x00b0              ; the IRQ 0 hook's own stack: 0B00h-0FFFh
IRQ_SP      equ 0x0500
BUF_SEG     equ 0x3000              ; INT 13h 02h / 48h buffers
XBUF_SEG    equ 0x1ff0              ; a read buffer crossing 20000h (DMA page)
XBUF_OFF    equ 0x0f00
FL_WANT     equ 0x0600              ; flags set before each call: IF and DF
FL_CHECK    equ 0x0700              ; flags that must come back as they went: DF, IF, TF
                                    ; (not AC: INT itself clears it in real mode)

; Which parts of the registers a call documents as outputs (Ralf Brown's
; Interrupt List). Everything else must be preserved.
O_AL equ 1 << 0
O_AH equ 1 << 1
O_AX equ O_AL | O_AH
O_BL equ 1 << 2
O_BH equ 1 << 3
O_BX equ O_BL | O_BH
O_CL equ 1 << 4
O_CH equ 1 << 5
O_CX equ O_CL | O_CH
O_DL equ 1 << 6
O_DH equ 1 << 7
O_DX equ O_DL | O_DH
O_SI equ 1 << 8
O_DI equ 1 << 9
O_BP equ 1 << 10
O_DS equ 1 << 11
O_ES equ 1 << 12
NEED_DRIVE equ 1 << 15              ; only when drive DL is present

; Default inputs (the low halves a call does not set), and upper halves.
DEF_DS equ 0x2345
DEF_ES equ 0x3456
DEF_FS equ 0x4567
DEF_GS equ 0x5678

; BCALL int, ax, bx, cx, dx, si, di, ds, es, outputs, "name"
%macro BCALL 11+
    db %1
    dw %2, %3, %4, %5, %6, %7, %8, %9, %10
    db %11, 0
%endmacro

; INT 13h on one drive: 00h reset, 08h parameters, 15h type, 41h EDD check,
; 48h EDD parameters, 02h read one sector (present drives only), 01h status.
%macro DRIVE_CALLS 2 ; drive, "xx"
    BCALL 0x13, 0x0000, 0x1111, 0x2222, %1 | 0x3300, 0x4444, 0x5555, DEF_DS, DEF_ES, O_AH, \
          "int13_00h_dl", %2
    ; 08h: floppies also BL = type and ES:DI = the parameter table; AL = 0 on
    ; some BIOSes; BH is part of the type word on every BIOS that sets BL.
    BCALL 0x13, 0x0800, 0x1111, 0x2222, %1 | 0x3300, 0x4444, 0x5555, DEF_DS, DEF_ES, \
          O_AX | O_CX | O_DX | ((%1 < 0x80) * (O_BX | O_DI | O_ES)), "int13_08h_dl", %2
    BCALL 0x13, 0x15ff, 0x1111, 0x2222, %1 | 0x3300, 0x4444, 0x5555, DEF_DS, DEF_ES, O_AX | O_CX | O_DX, \
          "int13_15h_dl", %2
    ; 41h: AH = version, AL = internal use, BX = AA55h, CX = subsets, DH = extension version
    BCALL 0x13, 0x4100, 0x55aa, 0x2222, %1 | 0x3300, 0x4444, 0x5555, DEF_DS, DEF_ES, \
          O_AX | O_BX | O_CX | O_DH, "int13_41h_dl", %2
    BCALL 0x13, 0x4800, 0x1111, 0x2222, %1 | 0x3300, 0x0000, 0x5555, BUF_SEG, DEF_ES, O_AH, \
          "int13_48h_dl", %2
    BCALL 0x13, 0x0201, 0x0000, 0x0001, %1, 0x4444, 0x5555, DEF_DS, BUF_SEG, O_AX | NEED_DRIVE, \
          "int13_02h_dl", %2
    ; 01h: AH = the last status (rombios answers it before C: rombios/hot.inc)
    BCALL 0x13, 0x01ff, 0x1111, 0x2222, %1 | 0x3300, 0x4444, 0x5555, DEF_DS, DEF_ES, O_AX, \
          "int13_01h_dl", %2
%endmacro

main:
    ; The drives the BIOS reports: floppies in the equipment word, hard
    ; disks in 40:75.
    mov ax, [0x410]
    xor cx, cx
    test al, 1
    jz .nofd
    mov cl, al
    shr cl, 6
    inc cl
.nofd:
    mov [n_floppies], cl
    mov al, [0x475]
    mov [n_disks], al
    INFO "floppies "
    mov al, [n_floppies]
    call rm_hex8_16
    PUTS ", hard disks "
    mov al, [n_disks]
    call rm_hex8_16
    NEWLINE

    mov si, calls
.next:
    cmp byte [si], 0
    je .calls_done
    call do_call
    call skip_entry
    jmp .next
.calls_done:
    INFO "deepest use of the caller's stack: "
    mov ax, [max_depth]
    call rm_dec_16
    PUTS " bytes in "
    mov si, [max_depth_name]
    call rm_puts_16
    NEWLINE

    call reentrancy
    jmp rm_finish

; skip_entry: SI = a call entry -> SI = the next one.
skip_entry:
    add si, ENTRY_NAME
.s:
    lodsb
    test al, al
    jnz .s
    ret

ENTRY_INT   equ 0
ENTRY_AX    equ 1
ENTRY_BX    equ 3
ENTRY_CX    equ 5
ENTRY_DX    equ 7
ENTRY_SI    equ 9
ENTRY_DI    equ 11
ENTRY_DS    equ 13
ENTRY_ES    equ 15
ENTRY_OUT   equ 17
ENTRY_NAME  equ 19

; do_call: SI = a call entry. Runs it as a test.
do_call:
    pusha
    mov [cur], si
    mov ax, [si + ENTRY_OUT]
    test ax, NEED_DRIVE
    jz .run
    mov dl, [si + ENTRY_DX]
    mov al, [n_floppies]
    test dl, 0x80
    jz .have
    and dl, 0x7f
    mov al, [n_disks]
.have:
    cmp dl, al
    jb .run
    popa                            ; no such drive: no read
    ret
.run:
    call run_call
    call check_call
    popa
    ret

; run_call: [cur] = the entry. Fills the canary, loads the inputs (upper
; halves from in_hi), calls the service on the test stack and stores every
; register it returned in out_*. Interrupts are on during the call.
run_call:
    mov si, [cur]
    push es
    mov ax, TEST_SS
    mov es, ax
    mov di, TEST_SP - CANARY_LEN
    mov cx, CANARY_LEN
    mov al, CANARY
    cld
    rep stosb
    mov ax, BUF_SEG                 ; the EDD buffer's size word, as DOS sets it
    mov es, ax
    mov word [es:0], 0x1a
    pop es
    mov al, [si + ENTRY_INT]
    mov [.int_op + 1], al
    ; the inputs: low halves from the entry, upper halves fixed patterns
    xor bx, bx                      ; AX..DI: words in the entry, dwords in in_*
.input:
    mov ax, [si + ENTRY_AX + bx]
    mov di, bx
    shl di, 1
    mov [in_eax + di], ax
    add bx, 2
    cmp bx, ENTRY_DS - ENTRY_AX
    jb .input
    mov ax, [si + ENTRY_DS]
    mov [in_ds], ax
    mov ax, [si + ENTRY_ES]
    mov [in_es], ax
    mov [save_esp], esp
    cli
    mov ax, TEST_SS
    mov ss, ax
    mov esp, TEST_ESP_HI << 16 | TEST_SP
    push dword FL_WANT | 0x0002
    popfd                           ; IF on
    mov eax, [in_eax]
    mov ebx, [in_ebx]
    mov ecx, [in_ecx]
    mov edx, [in_edx]
    mov esi, [in_esi]
    mov edi, [in_edi]
    mov ebp, [in_ebp]
    mov fs, [in_fs]
    mov gs, [in_gs]
    mov es, [in_es]
    mov ds, [in_ds]
.int_op:
    int 0x00
    mov [cs:out_eax], eax
    mov [cs:out_ebx], ebx
    mov [cs:out_ecx], ecx
    mov [cs:out_edx], edx
    mov [cs:out_esi], esi
    mov [cs:out_edi], edi
    mov [cs:out_ebp], ebp
    mov [cs:out_ds], ds
    mov [cs:out_es], es
    mov [cs:out_fs], fs
    mov [cs:out_gs], gs
    mov [cs:out_ss], ss
    mov [cs:out_esp], esp
    pushfd                          ; 4 bytes below SP: inside what the INT used
    pop dword [cs:out_eflags]
    cli
    xor ax, ax
    mov ss, ax
    mov esp, [cs:save_esp]
    mov ds, ax
    mov es, ax
    mov fs, ax
    mov gs, ax
    cld
    sti
    ret

; check_call: compare out_* with in_*, one FAIL line per violation; count
; the test; measure the stack use.
check_call:
    mov byte [violations], 0
    mov si, [cur]
    mov dx, [si + ENTRY_OUT]
    ; EAX..EDX: the upper half always, the low bytes unless outputs
    mov bx, 0
.gpr8:
    push dx
    mov cx, bx
    shr cx, 1                       ; register index * 2 = output bit of its low byte
    shr dx, cl
    mov ebp, 0xffffffff
    test dl, 1
    jz .keep_lo
    and ebp, 0xffffff00
.keep_lo:
    test dl, 2
    jz .keep_hi
    and ebp, 0xffff00ff
.keep_hi:
    pop dx
    call compare_reg
    add bx, 4
    cmp bx, 16
    jb .gpr8
    ; ESI, EDI, EBP: the upper half always, the low half unless an output
    mov di, O_SI
.gpr16:
    mov ebp, 0xffffffff
    test dx, di
    jz .keep16
    mov ebp, 0xffff0000
.keep16:
    call compare_reg
    shl di, 1
    add bx, 4
    cmp bx, 28
    jb .gpr16
    ; DS, ES unless outputs; FS, GS, SS, ESP always
    mov ax, [in_ds]
    mov cx, [out_ds]
    test dx, O_DS
    jnz .ds_ok
    mov si, name_ds
    call violation16
.ds_ok:
    mov ax, [in_es]
    mov cx, [out_es]
    test dx, O_ES
    jnz .es_ok
    mov si, name_es
    call violation16
.es_ok:
    mov ax, [in_fs]
    mov cx, [out_fs]
    mov si, name_fs
    call violation16
    mov ax, [in_gs]
    mov cx, [out_gs]
    mov si, name_gs
    call violation16
    mov ax, TEST_SS
    mov cx, [out_ss]
    mov si, name_ss
    call violation16
    mov eax, TEST_ESP_HI << 16 | TEST_SP
    mov ecx, [out_esp]
    cmp eax, ecx
    je .esp_ok
    mov si, name_esp
    call violation
.esp_ok:
    mov eax, FL_WANT
    mov ecx, [out_eflags]
    and ecx, FL_CHECK
    cmp eax, ecx
    je .fl_ok
    mov si, name_flags
    call violation
.fl_ok:
    ; the deepest byte of the canary that changed
    push es
    mov ax, TEST_SS
    mov es, ax
    mov di, TEST_SP - CANARY_LEN
    mov cx, CANARY_LEN
    mov al, CANARY
    cld
    repe scasb
    pop es
    mov ax, TEST_SP + 1
    sub ax, di                      ; bytes from the first changed one to SP
    cmp ax, [max_depth]
    jbe .not_max
    mov [max_depth], ax
    mov si, [cur]
    add si, ENTRY_NAME
    mov [max_depth_name], si
.not_max:
    cmp ax, STACK_LIMIT
    jbe .depth_ok
    push ax
    call fail_head
    PUTS "used "
    pop ax
    call rm_dec_16
    PUTS " bytes of the caller's stack (at most "
    mov ax, STACK_LIMIT
    call rm_dec_16
    PUTS ")"
    NEWLINE
.depth_ok:
    mov al, [violations]
    add [all_violations], al
    cmp byte [quiet], 0
    jne .counted
    inc word [rm_tests]
    test al, al
    jnz .failed
    mov si, msg_pass
    call rm_puts_16
    call put_name
    NEWLINE
.counted:
    ret
.failed:
    inc word [rm_fails]
    ret

; violation16: AX = before, CX = after, SI = the register's name; nothing
; when equal.
violation16:
    cmp ax, cx
    je .same
    movzx eax, ax
    movzx ecx, cx
    call violation
.same:
    ret

; compare_reg: a FAIL line naming the register at offset BX of in_eax and
; out_eax if the call changed any of its bits that are set in EBP
compare_reg:
    mov eax, [in_eax + bx]
    mov ecx, [out_eax + bx]
    xor ecx, eax
    test ecx, ebp
    jz .same
    mov si, bx
    shr si, 1
    mov si, [reg_names + si]
    mov ecx, [out_eax + bx]
    call violation
.same:
    ret

; violation: "FAIL: <call>_keeps_caller_state: <reg> before 0x<EAX> after 0x<ECX>"
violation:
    push si
    call fail_head
    pop si
    call rm_puts_16
    PUTS " before 0x"
    PUTHEX
    PUTS " after 0x"
    mov eax, ecx
    PUTHEX
    NEWLINE
    ret

; fail_head: "FAIL: <call>_keeps_caller_state: ", counts a violation.
fail_head:
    inc byte [violations]
    mov si, msg_fail
    call rm_puts_16
    call put_name
    PUTS ": "
    ret

; put_name: "<name>_keeps_caller_state" of the current call
put_name:
    mov si, [cur]
    add si, ENTRY_NAME
    call rm_puts_16
    PUTS "_keeps_caller_state"
    ret

; ---------------------------------------------------------- re-entrancy

; IRQ 0 through a hook that switches stacks, as DOS's STACKS= does, then
; floppy reads (each waits for IRQ 6 with interrupts on): the BIOS's INT 08h
; is entered from the hook's stack while its INT 13h is in progress.
reentrancy:
    cmp byte [n_floppies], 0
    jne .go
    INFOLN "no floppy drive: the re-entrancy test needs one"
    inc word [rm_tests]
    inc word [rm_fails]
    ret
.go:
    cli
    HOOK_IVT 8, irq0_hook, old_int08
    sti
    mov word [hook_count], 0
    mov byte [all_violations], 0
    mov byte [quiet], 1             ; one test for all the reads
    mov cx, 40                      ; reads until the timer has come a few times
.read:
    push cx
    mov si, reread_call
    mov [cur], si
    call run_call
    call check_call
    pop cx
    cmp byte [violations], 0
    jne .restore
    cmp word [hook_count], 3
    jae .restore
    loop .read
.restore:
    cli
    mov eax, [old_int08]
    mov [8 * 4], eax
    sti
    mov byte [quiet], 0
    inc word [rm_tests]
    cmp byte [all_violations], 0
    je .kept
    inc word [rm_fails]
    jmp .data
.kept:
    mov si, msg_pass
    call rm_puts_16
    call put_name
    NEWLINE
.data:
    ; the sector read last must be the boot sector
    push ds
    mov ax, BUF_SEG
    mov ds, ax
    xor si, si
    mov di, RM_LOAD
    mov cx, 64                      ; its code: sector 0's variables changed since
    repe cmpsb
    pop ds
    CHECK e, "int13_02h_reads_right_data_while_irq0_switches_stacks", "the sector read differs from the boot sector"
    mov ax, [hook_count]
    cmp ax, 3
    CHECK ae, "irq0_came_through_the_stack_switching_hook", "fewer than 3 timer ticks during 40 reads"
    ret

irq0_hook:
    push ax
    mov [cs:hook_ss], ss
    mov [cs:hook_sp], sp
    mov ax, IRQ_SS
    mov ss, ax
    mov sp, IRQ_SP
    pushf
    call far [cs:old_int08]
    inc word [cs:hook_count]
    cli
    mov ss, [cs:hook_ss]
    mov sp, [cs:hook_sp]
    pop ax
    iret

; ---------------------------------------------------------------- data

msg_pass: db "PASS: ", 0
msg_fail: db "FAIL: ", 0
name_eax: db "EAX", 0
name_ebx: db "EBX", 0
name_ecx: db "ECX", 0
name_edx: db "EDX", 0
name_esi: db "ESI", 0
name_edi: db "EDI", 0
name_ebp: db "EBP", 0
name_ds: db "DS", 0
name_es: db "ES", 0
name_fs: db "FS", 0
name_gs: db "GS", 0
name_ss: db "SS", 0
name_esp: db "ESP", 0
name_flags: db "EFLAGS (DF, IF, TF)", 0
reg_names: dw name_eax, name_ebx, name_ecx, name_edx, name_esi, name_edi, name_ebp

calls:
    DRIVE_CALLS 0x00, "00"
    DRIVE_CALLS 0x01, "01"
    DRIVE_CALLS 0x02, "02"
    DRIVE_CALLS 0x03, "03"
    DRIVE_CALLS 0x80, "80"
    DRIVE_CALLS 0x81, "81"
    DRIVE_CALLS 0x82, "82"
    DRIVE_CALLS 0x83, "83"
    ; a floppy read into a buffer that crosses a 64 KiB DMA page
    BCALL 0x13, 0x0201, XBUF_OFF, 0x0001, 0x0000, 0x4444, 0x5555, DEF_DS, XBUF_SEG, O_AX | NEED_DRIVE, \
          "int13_02h_dl00_across_64k"
    BCALL 0x11, 0x1111, 0x2222, 0x3333, 0x4444, 0x5555, 0x6666, DEF_DS, DEF_ES, O_AX, "int11"
    BCALL 0x12, 0x1111, 0x2222, 0x3333, 0x4444, 0x5555, 0x6666, DEF_DS, DEF_ES, O_AX, "int12"
    BCALL 0x15, 0x8800, 0x2222, 0x3333, 0x4444, 0x5555, 0x6666, DEF_DS, DEF_ES, O_AX, "int15_88h"
    BCALL 0x15, 0xe801, 0x2222, 0x3333, 0x4444, 0x5555, 0x6666, DEF_DS, DEF_ES, O_AX | O_BX | O_CX | O_DX, \
          "int15_e801h"
    BCALL 0x15, 0xc000, 0x2222, 0x3333, 0x4444, 0x5555, 0x6666, DEF_DS, DEF_ES, O_AH | O_BX | O_ES, \
          "int15_c0h"
    BCALL 0x1a, 0x0000, 0x2222, 0x3333, 0x4444, 0x5555, 0x6666, DEF_DS, DEF_ES, O_AL | O_CX | O_DX, \
          "int1a_00h"
    BCALL 0x16, 0x0100, 0x2222, 0x3333, 0x4444, 0x5555, 0x6666, DEF_DS, DEF_ES, O_AX, "int16_01h"
    BCALL 0x1a, 0x0200, 0x2222, 0x3333, 0x4444, 0x5555, 0x6666, DEF_DS, DEF_ES, O_AH | O_CX | O_DX, \
          "int1a_02h"
    db 0
reread_call:
    BCALL 0x13, 0x0201, 0x0000, 0x0001, 0x0000, 0x4444, 0x5555, DEF_DS, BUF_SEG, O_AX, \
          "int13_02h_dl00_with_irq0_on_another_stack"

    align 4, db 0
in_eax: dd 0xa11a0000
in_ebx: dd 0xb11b0000
in_ecx: dd 0xc11c0000
in_edx: dd 0xd11d0000
in_esi: dd 0x5e5e0000
in_edi: dd 0xd1d10000
in_ebp: dd 0xb0b07e57
out_eax: dd 0
out_ebx: dd 0
out_ecx: dd 0
out_edx: dd 0
out_esi: dd 0
out_edi: dd 0
out_ebp: dd 0
out_esp: dd 0
out_eflags: dd 0
save_esp: dd 0
old_int08: dd 0
in_ds: dw 0
in_es: dw 0
in_fs: dw DEF_FS
in_gs: dw DEF_GS
out_ds: dw 0
out_es: dw 0
out_fs: dw 0
out_gs: dw 0
out_ss: dw 0
hook_ss: dw 0
hook_sp: dw 0
hook_count: dw 0
cur: dw 0
max_depth: dw 0
max_depth_name: dw 0
n_floppies: db 0
n_disks: db 0
violations: db 0
all_violations: db 0
quiet: db 0

RM_CODE_END
RM_IMAGE_END
