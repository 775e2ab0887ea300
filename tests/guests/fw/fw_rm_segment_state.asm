; fw_rm_segment_state.asm - the hidden segment state real-mode code finds
; after the BIOS hands over at 0000:7C00, checked the way real code notices
; it: on a PC every data segment then has a 64 KiB limit and SS is a 16-bit
; stack (B=0), whatever protected-mode excursions the firmware (or, under
; the hv in ug mode, the loader that dropped to real mode) made before.
;
; - a byte at offset FFFFh of DS, ES, FS, GS and SS reads without a fault;
; - a byte at offset 10000h (a 32-bit address) faults: #GP for DS/ES/FS/GS,
;   #SS for SS. No fault means a limit above 64 KiB left over from big real
;   mode;
; - a word at offset FFFFh of DS faults (#GP) as on a PC;
; - the IDTR is a reset CPU's (SDM table 9-1): base 0, limit FFFFh;
; - PUSH with the upper half of ESP nonzero uses SP only: the word lands at
;   SS:SP-2 and only SP changes. A 32-bit SS (B=1) would push at SS:ESP-2,
;   beyond the limit, and raise #SS.
; Sector 0 of rm.inc loads the segment registers in real mode only, which
; sets their bases and leaves the limits and attributes alone.
%define GUEST_NAME "fw_rm_segment_state"
%include "rm.inc"

; PROBE seg, "reg": read a byte at seg:FFFFh (must not fault) and at
; seg:10000h (must fault with vector want).
%macro PROBE 3 ; segment register, its name, expected vector
%strcat %%read %2, "_reads_offset_ffff"
%strcat %%limit %2, "_limit_is_64k_offset_10000_faults"
    mov byte [fault], 0xff
    mov word [resume], %%after1
    mov ebx, 0xffff
    a32 mov al, [%1:ebx]
%%after1:
    cmp byte [fault], 0xff
    je %%ok1
    FAIL %%read, "faulted"
    jmp %%p2
%%ok1:
    PASS %%read
%%p2:
    mov byte [fault], 0xff
    mov word [resume], %%after2
    mov ebx, 0x10000
    a32 mov al, [%1:ebx]
%%after2:
    movzx eax, byte [fault]
    CHECK_EAX %3, %%limit
%endmacro

main:
    cli
    mov eax, [0x0c * 4]
    mov [old_0c], eax
    mov eax, [0x0d * 4]
    mov [old_0d], eax
    mov word [0x0c * 4], fault_0c
    mov word [0x0c * 4 + 2], 0
    mov word [0x0d * 4], fault_0d
    mov word [0x0d * 4 + 2], 0

    PROBE ds, "ds", 0x0d
    PROBE es, "es", 0x0d
    PROBE fs, "fs", 0x0d
    PROBE gs, "gs", 0x0d
    PROBE ss, "ss", 0x0c

    ; a word at DS:FFFF crosses the limit
    mov byte [fault], 0xff
    mov word [resume], .after_w
    mov bx, 0xffff
    mov ax, [bx]
.after_w:
    movzx eax, byte [fault]
    CHECK_EAX 0x0d, "ds_word_at_offset_ffff_faults"

    ; PUSH with ESP's upper half set: SS is 16-bit, so SP alone moves
    mov byte [fault], 0xff
    mov word [resume], .after_push
    mov [save_esp], esp
    mov esp, 0x00017000             ; SS:SP = 0000:7000 (free), ESP upper half 1
    mov ax, 0x5a17
    mov word [0x6ffe], 0
    push ax
    mov [pushed_esp], esp
.after_push:
    mov esp, [save_esp]
    cmp byte [fault], 0xff
    je .no_fault
    FAIL "ss_push_uses_sp_when_esp_upper_half_set", "the push faulted (a 32-bit SS: B=1)"
    jmp .restore
.no_fault:
    mov eax, [pushed_esp]
    CHECK_EAX 0x00016ffe, "ss_push_changes_only_sp"
    movzx eax, word [0x6ffe]
    CHECK_EAX 0x5a17, "ss_push_uses_sp_when_esp_upper_half_set"

.restore:
    ; the IDTR of a CPU after reset (SDM table 9-1): base 0, limit FFFFh
    sidt [idtr]
    movzx eax, word [idtr]
    CHECK_EAX 0xffff, "idtr_limit_is_ffffh"
    mov eax, [idtr + 2]
    CHECK_EAX 0, "idtr_base_is_0"
    mov eax, [old_0c]
    mov [0x0c * 4], eax
    mov eax, [old_0d]
    mov [0x0d * 4], eax
    sti
    jmp rm_finish

; #SS / #GP in real mode: note the vector, go on at [resume] with the
; segment registers rm.inc uses (DS = 0; the probes do not change them).
fault_0c:
    mov byte [cs:fault], 0x0c
    jmp fault_common
fault_0d:
    mov byte [cs:fault], 0x0d
fault_common:
    push bp
    mov bp, sp
    push ax
    mov ax, [cs:resume]
    mov [bp + 2], ax                ; the IRET frame's IP
    pop ax
    pop bp
    iret

fault:      db 0
resume:     dw 0
    align 4, db 0
old_0c:     dd 0
old_0d:     dd 0
save_esp:   dd 0
pushed_esp: dd 0
idtr:       dw 0
            dd 0

RM_CODE_END
RM_IMAGE_END
