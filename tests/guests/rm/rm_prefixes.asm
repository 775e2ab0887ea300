; rm_prefixes.asm - 32-bit registers, operand-size (66h) and address-size
; (67h) prefixes in real mode, as 386+ real-mode code (boot loaders, DOS
; extenders, HIMEM) uses them. Every result is compared with a constant
; worked out by hand. An instruction emulator (vmxassist) decodes all of
; these; VM86 runs them natively as long as 32-bit addresses stay < 64 KiB.
%define GUEST_NAME "rm_prefixes"
%include "rm.inc"

main:
    call arith
    call shifts
    call addressing
    call extend
    call stack_ops
    call flags_ops
    call lea_ops
    call string_loop_ops
    jmp rm_finish

; ------------------------------------------------------------ arithmetic
arith:
    mov eax, 0x12345678
    add eax, 0x87654321
    CHECK_EAX 0x99999999, "o32_add_32bit"

    mov eax, 0x99999999
    add eax, 0x66666667             ; = 2^32: result 0, CF=1, ZF=1
    setc bl
    setz bh
    movzx ecx, bx
    or eax, ecx
    CHECK_EAX 0x00000101, "o32_add_sets_carry_and_zero"

    xor eax, eax
    sub eax, 1
    sbb ecx, ecx                    ; CF=1 -> ECX = -1
    xor eax, ecx                    ; 0xffffffff ^ 0xffffffff
    CHECK_EAX 0, "o32_sub_borrow_and_sbb"

    mov eax, 0x12345678
    mov ax, 0xaaaa                  ; 16-bit write keeps the upper half
    CHECK_EAX 0x1234aaaa, "o16_write_keeps_upper_half"
    mov eax, 0x1234ffff
    inc ax                          ; no carry into bit 16
    CHECK_EAX 0x12340000, "o16_inc_wraps_in_low_half"

    mov eax, 0x00123456
    mov ebx, 0x00056789
    imul eax, ebx                   ; 0x123456 * 0x56789 mod 2^32
    CHECK_EAX 0x627a9c06, "o32_imul_two_operand"
    mov edx, 0x11111111
    imul ecx, edx, -3
    mov eax, ecx
    CHECK_EAX 0xcccccccd, "o32_imul_three_operand_negative"

    mov eax, 0xffffffff
    mov ebx, 0xffffffff
    mul ebx                         ; 0xfffffffe_00000001
    push eax
    mov eax, edx
    CHECK_EAX 0xfffffffe, "o32_mul_high_half_in_edx"
    pop eax
    CHECK_EAX 0x00000001, "o32_mul_low_half_in_eax"

    mov edx, 3
    mov eax, 7
    mov ebx, 0x10000
    div ebx                         ; 0x3_00000007 / 0x10000
    CHECK_EAX 0x00030000, "o32_div_quotient"
    mov eax, edx
    CHECK_EAX 7, "o32_div_remainder"

    mov ax, 0x8000
    cwde
    CHECK_EAX 0xffff8000, "cwde_sign_extends_ax"
    cdq
    mov eax, edx
    CHECK_EAX 0xffffffff, "cdq_sign_extends_into_edx"
    ret

; ---------------------------------------------------------------- shifts
shifts:
    mov eax, 0x12345678
    shl eax, 4
    CHECK_EAX 0x23456780, "o32_shl_immediate"
    mov eax, 0x12345678
    mov cl, 28
    shl eax, cl
    CHECK_EAX 0x80000000, "o32_shl_cl"
    mov eax, 0x80000000
    sar eax, 4
    CHECK_EAX 0xf8000000, "o32_sar_keeps_sign"
    mov edx, 0x11223344
    mov eax, 0xaabbccdd
    shld edx, eax, 8
    mov eax, edx
    CHECK_EAX 0x223344aa, "shld_32bit"
    mov edx, 0x11223344
    mov eax, 0xaabbccdd
    mov cl, 12
    shrd eax, edx, cl
    CHECK_EAX 0x344aabbc, "shrd_32bit_cl"
    mov eax, 0x0f0f0f0f
    rol eax, 4
    CHECK_EAX 0xf0f0f0f0, "o32_rol"
    mov eax, 0x00100000
    bsr ecx, eax
    mov eax, ecx
    CHECK_EAX 20, "bsr_32bit"
    xor eax, eax
    bts eax, 31
    bts eax, 3
    btr eax, 3
    bt eax, 31
    adc eax, 0                      ; CF=1 from bt
    CHECK_EAX 0x80000001, "bts_btr_bt_32bit"
    ret

; ---------------------------------------------- 32-bit addressing (67h)
addressing:
    ; [ebx + ecx*4 + disp]
    mov ebx, table - 0x40
    mov ecx, 5
    mov eax, [ebx + ecx*4 + 0x40]
    CHECK_EAX 0x55555555, "a32_base_index_scale_disp_read"
    mov dword [ebx + ecx*4 + 0x40 + 4], 0x66006600
    mov eax, [table + 6*4]          ; the same dword, 16-bit address
    CHECK_EAX 0x66006600, "a32_base_index_scale_disp_write"
    ; index only, scale 8, disp32
    mov eax, 3
    mov eax, [eax*8 + table]        ; table[6]
    CHECK_EAX 0x66006600, "a32_index_scale_8_no_base"
    ; [esp]: SS-relative, 32-bit
    movzx esp, sp
    push dword 0x5a5a1234
    mov eax, [esp]
    add sp, 4
    CHECK_EAX 0x5a5a1234, "a32_esp_based_read"
    ; [ebp + disp8] defaults to SS: SS=0 here, so linear = ebp + disp
    mov ebp, table
    mov eax, [ebp + 2*4]
    CHECK_EAX 0x22222222, "a32_ebp_based_read"
    ; segment override with a 32-bit address: FS=0x1000 -> linear 0x10000+
    mov ax, 0x1000
    mov fs, ax
    mov ebx, 0x1234
    mov dword [fs:ebx], 0xf5f5f5f5
    xor ax, ax
    mov fs, ax
    mov ax, 0x1123
    mov gs, ax
    mov eax, [gs:0x4]               ; 0x11230 + 4 = 0x11234
    xor bx, bx
    mov gs, bx
    CHECK_EAX 0xf5f5f5f5, "a32_segment_override_fs"
    ret

; ------------------------------------------------------- movzx / movsx
extend:
    mov eax, 0xdeadbeef
    movzx eax, byte [bytes]
    CHECK_EAX 0x000000f0, "movzx_byte_to_32bit"
    movsx eax, byte [bytes]
    CHECK_EAX 0xfffffff0, "movsx_byte_to_32bit"
    movsx eax, word [bytes + 2]
    CHECK_EAX 0xffff8001, "movsx_word_to_32bit"
    mov eax, 0xdeadbeef
    movzx ecx, word [bytes + 2]
    mov eax, ecx
    CHECK_EAX 0x00008001, "movzx_word_to_32bit"
    mov bl, 0x80
    mov eax, 0x12345678
    movsx ax, bl                    ; 16-bit destination: upper half kept
    CHECK_EAX 0x1234ff80, "movsx_byte_to_16bit_keeps_upper_half"
    ret

; ---------------------------------------------- pushad/popad, push imm
stack_ops:
    movzx esp, sp
    mov [sp_before], esp
    mov eax, 0xa0a0a0a0
    mov ecx, 0xc1c1c1c1
    mov edx, 0xd2d2d2d2
    mov ebx, 0xb3b3b3b3
    mov ebp, 0xe5e5e5e5
    mov esi, 0x56565656
    mov edi, 0x7d7d7d7d
    pushad
    mov [sp_after], esp
    ; frame: EDI ESI EBP ESP EBX EDX ECX EAX from [esp] up
    mov eax, [esp + 28]
    cmp eax, 0xa0a0a0a0
    jne .frame
    mov eax, [esp + 12]             ; the ESP before PUSHAD
    cmp eax, [sp_before]
    jne .frame
    mov eax, [esp]
    cmp eax, 0x7d7d7d7d
.frame:
    CHECK e, "pushad_frame_layout"
    mov eax, [sp_before]
    sub eax, [sp_after]
    CHECK_EAX 32, "pushad_pushes_32_bytes"
    xor eax, eax
    xor ecx, ecx
    xor edx, edx
    xor ebx, ebx
    xor ebp, ebp
    xor esi, esi
    xor edi, edi
    popad
    xor eax, 0xa0a0a0a0
    xor ecx, 0xc1c1c1c1
    xor edx, 0xd2d2d2d2
    xor ebx, 0xb3b3b3b3
    xor ebp, 0xe5e5e5e5
    xor esi, 0x56565656
    xor edi, 0x7d7d7d7d
    or eax, ecx
    or eax, edx
    or eax, ebx
    or eax, ebp
    or eax, esi
    or eax, edi
    CHECK_EAX 0, "popad_restores_all_registers"
    cmp esp, [sp_before]
    CHECK e, "popad_restores_stack_pointer"

    push dword 0x12345678           ; 66 68 imm32
    mov eax, [sp_before]
    sub eax, esp
    pop ebx
    cmp ebx, 0x12345678
    je .imm32
    mov eax, ebx
.imm32:
    CHECK_EAX 4, "o32_push_imm32"
    push dword -2                   ; 66 6A FE: sign-extended to 32 bits
    pop eax
    CHECK_EAX 0xfffffffe, "o32_push_imm8_sign_extended"
    push word 0x1234                ; 16-bit push of the same kind
    mov eax, [sp_before]
    sub eax, esp
    pop bx
    CHECK_EAX 2, "o16_push_imm16"

    ; o32 call pushes a 32-bit return address, o32 ret pops it
    call dword .callee              ; 66 E8 rel32
.after_call:
    mov eax, [ret_eip]
    CHECK_EAX .after_call, "o32_call_pushes_32bit_eip"
    cmp esp, [sp_before]
    CHECK e, "o32_ret_pops_32bit_eip"
    ret
.callee:
    mov eax, [esp]
    mov [ret_eip], eax
    o32 ret

; ------------------------------------------------------- pushfd / popfd
flags_ops:
    movzx esp, sp
    mov [sp_before], esp
    pushfd
    mov eax, [sp_before]
    sub eax, esp
    CHECK_EAX 4, "pushfd_pushes_4_bytes"
    pop eax
    mov [flags_saved], eax
    ; toggle ID (bit 21): it sticks on every CPU with CPUID
    xor eax, 1 << 21
    push eax
    popfd
    pushfd
    pop ebx
    push dword [flags_saved]
    popfd
    xor ebx, [flags_saved]
    mov eax, ebx
    and eax, 1 << 21
    CHECK_EAX 1 << 21, "popfd_pushfd_toggle_id_flag"
    ; carry through popfd
    mov eax, [flags_saved]
    or eax, 1                       ; CF
    push eax
    popfd
    mov eax, 0
    adc eax, 0
    push dword [flags_saved]
    popfd
    CHECK_EAX 1, "popfd_sets_carry"
    pushfd
    pop eax
    and eax, 1 << 9                 ; IF as we left it (on)
    CHECK_EAX 1 << 9, "popfd_restores_interrupt_flag"
    ret

; ------------------------------------------------------------------- lea
lea_ops:
    mov ebx, 0x1000
    mov ecx, 0x10
    lea eax, [ebx + ecx*8 + 0x12345678]
    CHECK_EAX 0x123466f8, "lea_32bit_address_and_operand"
    mov eax, 0xffffffff
    mov bx, 0xffff
    mov si, 2
    lea eax, [bx + si + 5]          ; 16-bit address wraps, zero-extended
    CHECK_EAX 6, "lea_16bit_address_wraps_into_32bit_register"
    mov ecx, 0x40000000
    lea eax, [ecx + ecx*2]          ; 3 * 2^30 mod 2^32
    CHECK_EAX 0xc0000000, "lea_32bit_multiply_by_3"
    ret

; ---------------------------- string instructions and loops with 32-bit counts
string_loop_ops:
    ; a32 rep movsd: ESI, EDI, ECX
    xor eax, eax
    mov di, buf_dst
    mov cx, 4
    rep stosd
    mov esi, table
    mov edi, buf_dst
    mov ecx, 4
    a32 rep movsd
    mov eax, [buf_dst + 12]
    cmp eax, 0x33333333
    jne .mv
    mov eax, ecx
    cmp eax, 0
    jne .mv
    mov eax, edi
    sub eax, buf_dst
.mv:
    CHECK_EAX 16, "a32_rep_movsd_uses_esi_edi_ecx"
    ; loop with 16-bit address size counts in CX only
    mov ecx, 0x00010001
    xor eax, eax
.l:
    inc eax
    loop .l                         ; CX 1 -> 0: once
    shl eax, 24
    or eax, ecx
    CHECK_EAX 0x01010000, "loop_a16_uses_cx_only"
    ; jcxz vs jecxz with CX = 0, ECX != 0
    mov ecx, 0x00010000
    xor eax, eax
    jecxz .j1                       ; a32: ECX != 0, not taken
    or al, 1
.j1:
    jcxz .j2                        ; CX = 0, taken
    or al, 2
.j2:
    CHECK_EAX 1, "jecxz_and_jcxz_test_different_widths"
    ret

; ------------------------------------------------------------------ data
    align 4, db 0
table:          dd 0x00000000, 0x11111111, 0x22222222, 0x33333333
                dd 0x44444444, 0x55555555, 0x66666666, 0x77777777
bytes:          db 0xf0, 0x00
                dw 0x8001
sp_before:      dd 0
sp_after:       dd 0
ret_eip:        dd 0
flags_saved:    dd 0
buf_dst:        times 4 dd 0

RM_CODE_END
RM_IMAGE_END
