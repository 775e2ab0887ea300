; fuzzguest.asm - guest-side fuzzing of the hv (issue 13, item 3). From a
; fixed seed (xorshift32) it runs FUZZ_COUNT random cases in each of six
; classes and checks that each gets what the hardware or the hv's ABI says:
;   vmcall  random call numbers and arguments: buffers in the hv's memory,
;           unaligned, wrapping 4 GiB, huge lengths -> the ABI's return value
;   io      random IN/OUT of 1, 2 or 4 bytes on any port but those that
;           power off, reset, or start a DMA or an SMI (list below) -> the
;           hv's own ports answer as documented, the rest just must not
;           stop the hv
;   msr     RDMSR/WRMSR of the VMX MSRs, IA32_FEATURE_CONTROL, EFER, the
;           x2APIC ICR and MSRs outside the bitmap's ranges -> #GP exactly
;           where a CPU without VMX would give it
;   vmx     the eleven VMX instructions with random operands -> #UD
;   cr      random MOV to CR0 and CR4 -> #GP exactly for the SDM's invalid
;           values, and the value read back otherwise
;   xsetbv  random XCR numbers and values -> #GP for the SDM's invalid ones,
;           #UD with CR4.OSXSAVE clear
; Then it checks that it still works (a 1 MiB memory pattern, its control
; registers, VMCALLs) and prints one line of counts per class.
; make fuzz-guest SEED= COUNT= builds it with other values (-D below).
%include "guest32.inc"
%include "handoff.inc"                  ; offsets from include/vmxlab/handoff.h

%ifndef FUZZ_SEED
%define FUZZ_SEED 0x2545f491
%endif
%ifndef FUZZ_COUNT
%define FUZZ_COUNT 100000
%endif

VMCALL_ASSIST_RESTORE    equ 4
VMCALL_ASSIST_REPLAY_IRQ equ 5
E_PERM  equ -1
E_FAULT equ -14
E_INVAL equ -22
E_NOSYS equ -38
PATTERN_BASE equ 0x200000
PATTERN_SIZE equ 0x100000
NO_FAULT equ -1

; try insn...: run it with [fault] = NO_FAULT; a fault sets [fault] to its
; vector and resumes after it
%macro try 1+
    mov dword [fault], NO_FAULT
    mov dword [resume], %%after
    %1
%%after:
%endmacro

guest_main:
    guest_start
    mov [handoff], ebx
    puts hello
    call setup_idt
    call host_facts
    call fill_pattern
    call print_facts

    mov esi, name_vmcall
    mov edi, class_vmcall
    call run_class
    mov esi, name_io
    mov edi, class_io
    call run_class
    mov esi, name_msr
    mov edi, class_msr
    call run_class
    mov esi, name_vmx
    mov edi, class_vmx
    call run_class
    mov esi, name_cr
    mov edi, class_cr
    call run_class
    mov esi, name_xsetbv
    mov edi, class_xsetbv
    call run_class

    xor eax, eax                        ; CR4 as at entry (the xsetbv class set OSXSAVE)
    mov cr4, eax

    ; ---- the guest still works ----
    call check_pattern
    check e, "memory_pattern_intact_after_fuzzing"
    mov eax, VMCALL_VERSION
    vmcall
    cmp eax, 1
    check e, "vmcall_version_still_answers"
    mov eax, cr0
    cmp eax, 0x11                       ; PE ET, as the hv started us
    check e, "cr0_is_what_the_guest_left"
    mov eax, cr4
    test eax, eax
    check e, "cr4_is_what_the_guest_left"
    mov eax, VMCALL_STATS
    mov ebx, stats_buf
    vmcall
    cmp eax, FUZZ_COUNT                 ; at least one exit per VMCALL case
    check a, "vmcall_stats_counts_the_exits"
    jmp guest_finish

; ---- the class driver ----
; ESI = class name, EDI = the class's one-case routine. The routine returns
; with [wrong] incremented for a case that got the wrong result (and the
; first one's details in [w_a] .. [w_d]); faults are counted per vector.
run_class:
    mov [cls_name], esi
    mov [cls_case], edi
    xor eax, eax
    mov [wrong], eax
    mov [n_gp], eax
    mov [n_ud], eax
    mov [n_other], eax
    mov [first_wrong], eax
    mov dword [case_no], 0
.loop:
    call [cls_case]
    mov eax, [fault]
    cmp eax, NO_FAULT
    je .next
    cmp eax, 13
    jne .notgp
    inc dword [n_gp]
    jmp .next
.notgp:
    cmp eax, 6
    jne .notud
    inc dword [n_ud]
    jmp .next
.notud:
    inc dword [n_other]
.next:
    inc dword [case_no]
    cmp dword [case_no], FUZZ_COUNT
    jb .loop
    ; "fuzzguest: <class>: N cases, G #GP, U #UD, O other faults, W wrong"
    mov edi, outbuf
    mov esi, pfx
    call append_str
    mov esi, [cls_name]
    call append_str
    mov esi, s_colon
    call append_str
    mov eax, FUZZ_COUNT
    call append_dec
    mov esi, s_cases
    call append_str
    mov eax, [n_gp]
    call append_dec
    mov esi, s_gp
    call append_str
    mov eax, [n_ud]
    call append_dec
    mov esi, s_ud
    call append_str
    mov eax, [n_other]
    call append_dec
    mov esi, s_other
    call append_str
    mov eax, [wrong]
    call append_dec
    mov esi, s_wrong
    call append_str
    cmp dword [wrong], 0
    je .nofirst
    mov esi, s_first
    call append_str
    mov eax, [w_case]
    call append_dec
    mov esi, s_args
    call append_str
    mov eax, [w_a]
    call append_hex
    mov al, ' '
    stosb
    mov eax, [w_b]
    call append_hex
    mov al, ' '
    stosb
    mov eax, [w_c]
    call append_hex
    mov esi, s_got
    call append_str
    mov eax, [w_d]
    call append_hex
    mov al, ' '
    stosb
    mov eax, [w_e]
    call append_hex
.nofirst:
    mov al, 10
    stosb
    mov byte [edi], 0
    puts outbuf
    ; "PASS: fuzz_<class>_gets_what_the_hardware_or_abi_says"
    mov edi, outbuf
    mov esi, s_pass
    mov eax, [wrong]
    or eax, [n_other]
    jz .p2
    mov esi, s_fail
    inc dword [tests_failed]
.p2:
    inc dword [tests_run]
    call append_str
    mov esi, [cls_name]
    call append_str
    mov esi, s_pass_tail
    call append_str
    mov byte [edi], 0
    puts outbuf
    ret

; note_wrong: count a wrong case; the first keeps A B C (what was asked)
; and D E (what came back)
%macro note_wrong 5
    inc dword [wrong]
    cmp dword [first_wrong], 0
    jne %%done
    mov dword [first_wrong], 1
    push dword %5                       ; all five before any register changes
    push dword %4
    push dword %3
    push dword %2
    push dword %1
    pop dword [w_a]
    pop dword [w_b]
    pop dword [w_c]
    pop dword [w_d]
    pop dword [w_e]
    push dword [case_no]
    pop dword [w_case]
%%done:
%endmacro

; ---- class vmcall ----
class_vmcall:
    call rand
    mov [c_sel], eax
    call rand
    mov [c_b], eax
    call rand
    mov [c_c], eax
    mov eax, [c_sel]
    and eax, 7
    jmp [vmcall_kinds + eax * 4]
.unknown:                               ; a random number: -38, or a defined one below 6
    mov eax, [c_sel]
    shr eax, 3
    mov [c_a], eax
    mov dword [c_want], E_NOSYS
    cmp eax, 6
    jae .go
    mov dword [c_a], VMCALL_VERSION     ; the only defined call safe with any arguments
    mov dword [c_want], 1
    jmp .go
.hvmem:                                 ; console write from the hv's memory
    mov dword [c_a], VMCALL_CONSOLE_WRITE
    mov eax, [c_b]
    xor edx, edx
    div dword [hv_len]
    add edx, [hv_base]
    mov [c_b], edx                      ; any alignment
    or dword [c_c], 1                   ; a length of at least 1
    mov dword [c_want], E_FAULT
    jmp .go
.wrap:                                  ; a buffer that wraps around 4 GiB
    mov dword [c_a], VMCALL_CONSOLE_WRITE
    or dword [c_b], 0xfffff000
    mov eax, [c_c]
    and eax, 0xfffff
    add eax, 0x1000
    mov [c_c], eax
    mov dword [c_want], E_FAULT
    jmp .go
.huge:                                  ; a buffer in guest RAM with a huge length
    mov dword [c_a], VMCALL_CONSOLE_WRITE
    and dword [c_b], 0xfffff
    add dword [c_b], 0x100000
    or dword [c_c], 0x80000000
    mov dword [c_want], E_FAULT
    jmp .go
.empty:                                 ; length 0 at any address: writes nothing
    mov dword [c_a], VMCALL_CONSOLE_WRITE
    mov dword [c_c], 0
    mov dword [c_want], 0
    jmp .go
.poweroff:                              ; power-off with a status over 255: refused
    mov dword [c_a], VMCALL_POWER_OFF
    or dword [c_b], 0x100
    mov dword [c_want], E_INVAL
    jmp .go
.restore:                               ; vmxassist's restore, outside real mode
    mov dword [c_a], VMCALL_ASSIST_RESTORE
    mov dword [c_want], E_INVAL
    jmp .go
.replay:                                ; vmxassist's IRQ replay, without vmxassist
    mov dword [c_a], VMCALL_ASSIST_REPLAY_IRQ
    mov dword [c_want], E_INVAL
.go:
    mov eax, [c_a]
    mov ebx, [c_b]
    mov ecx, [c_c]
    try vmcall
    cmp eax, [c_want]
    jne .bad
    cmp dword [fault], NO_FAULT
    je .ok
.bad:
    note_wrong [c_a], [c_b], [c_c], eax, [fault]
.ok:
    ret

; ---- class io ----
class_io:
.draw:
    call rand
    mov [c_sel], eax
    mov ebx, eax
    shr ebx, 16                         ; the port
    test eax, 0x100                     ; half of them on a port the hv traps
    jz .any
    shr ebx, 1
    and ebx, 7
    movzx ebx, word [hv_ports + ebx * 2]
.any:
    mov ecx, eax
    and ecx, 3                          ; the size: 1, 2, 4 (3 -> 1)
    cmp ecx, 3
    jne .sz
    mov ecx, 1
.sz:
    cmp ecx, 0
    jne .sz2
    mov ecx, 4
.sz2:
    mov [c_b], ebx
    mov [c_c], ecx
    test eax, 4
    setnz dl                            ; 1: OUT
    movzx edx, dl
    mov [c_a], edx
    call port_allowed
    jc .draw
    call rand
    mov [c_d], eax
    mov edx, [c_b]
    cmp dword [c_a], 0
    jne .out
    mov eax, 0x5a5a5a5a
    cmp dword [c_c], 1
    je .in1
    cmp dword [c_c], 2
    je .in2
    try in eax, dx
    jmp .ind
.in2:
    try in ax, dx
    jmp .ind
.in1:
    try in al, dx
.ind:
    ; the hv's own ports: E9h reads E9h, F4h reads FFh, 8900h all ones
    cmp dword [fault], NO_FAULT
    jne .bad
    cmp dx, 0xe9
    jne .notdbg
    cmp dword [c_c], 1
    jne .ok
    cmp al, 0xe9
    jne .bad
    ret
.notdbg:
    cmp dx, 0xf4
    jne .notpo
    cmp dword [c_c], 1
    jne .ok
    cmp al, 0xff
    jne .bad
    ret
.notpo:
    cmp dx, 0x8900
    jne .ok
    mov ecx, [c_c]
    cmp ecx, 1
    je .o1
    cmp ecx, 2
    je .o2
    cmp eax, 0xffffffff
    jne .bad
    ret
.o2:
    cmp ax, 0xffff
    jne .bad
    ret
.o1:
    cmp al, 0xff
    jne .bad
    ret
.out:
    mov eax, [c_d]
    cmp dword [c_c], 1
    je .out1
    cmp dword [c_c], 2
    je .out2
    try out dx, eax
    jmp .outd
.out2:
    try out dx, ax
    jmp .outd
.out1:
    try out dx, al
    cmp dx, 0x70
    jne .outd
    mov al, [c_d]
    and al, 0x7f
    mov [cmos_idx], al
.outd:
    cmp dword [fault], NO_FAULT
    je .ok
.bad:
    note_wrong [c_a], [c_b], [c_c], eax, [fault]
.ok:
    ret

; CF set when a port in [EBX, EBX+ECX) is excluded: they would power off or
; reset the machine (F4h, 8900h, CF9h, 64h, 92h, the ACPI PM block), write
; COM1 (the console), start DMA into anything (the 8237s, the floppy and
; IDE controllers), raise an SMI (B2h), or stop Bochs (its BIOS panic and
; debug ports, and OUTs that set a PIC, VGA or CMOS mode Bochs does not
; model: a Bochs panic, where a PC's device would just misbehave); and out
; to E9h, which would print. The PM block is where the hv says
; (handoff.acpi), or at the PIIX4's default B000h.
port_allowed:
    pushad
    lea edx, [ebx + ecx]                ; the end
    mov esi, port_deny
.next:
    lodsd                               ; low 16: first, high 16: last
    test eax, eax
    jz .acpi
    movzx ecx, ax
    shr eax, 16
    cmp ebx, eax
    ja .next
    cmp edx, ecx
    jbe .next
    jmp .deny
.acpi:
    movzx ecx, word [pm_base]
    lea eax, [ecx + 0x40]
    cmp ebx, eax
    jae .outs
    cmp edx, ecx
    ja .deny
.outs:
    cmp dword [c_a], 0
    je .allow
    ; CMOS register A: a divider Bochs does not model is a Bochs panic (a
    ; PC's RTC just stops), so no write reaches it. OUTs wider than a byte
    ; on 70h-71h are left out to keep the index known.
    cmp ebx, 0x71
    ja .cm
    cmp edx, 0x70
    jbe .cm
    cmp dword [c_c], 1
    jne .deny
    cmp ebx, 0x71
    jne .cm
    cmp byte [cmos_idx], 0x0a
    je .deny
.cm:
    mov esi, port_deny_out
.next2:
    lodsd
    test eax, eax
    jz .allow
    movzx ecx, ax
    shr eax, 16
    cmp ebx, eax
    ja .next2
    cmp edx, ecx
    jbe .next2
.deny:
    popad
    stc
    ret
.allow:
    popad
    clc
    ret

; ---- class msr ----
class_msr:
    call rand
    mov [c_sel], eax
    call rand
    mov [c_d], eax                      ; low half of a value
    call rand
    mov [c_e], eax                      ; high half
    mov eax, [c_sel]
    and eax, 7
    jmp [msr_kinds + eax * 4]
.vmx_rd:                                ; a VMX capability MSR: #GP
    call vmx_msr_index
    mov dword [c_a], 0
    mov dword [c_want], 13
    jmp .rd
.vmx_wr:
    call vmx_msr_index
    mov dword [c_a], 1
    mov dword [c_want], 13
    jmp .wr
.fc_wr:                                 ; IA32_FEATURE_CONTROL is locked: #GP
    mov dword [c_b], 0x3a
    mov dword [c_a], 1
    mov dword [c_want], 13
    jmp .wr
.fc_rd:                                 ; ... and readable, lock bit set
    mov dword [c_b], 0x3a
    mov dword [c_a], 0
    mov dword [c_want], NO_FAULT
    mov ecx, 0x3a
    try rdmsr
    test al, 1
    jnz .check
    note_wrong [c_a], [c_b], [c_c], eax, edx
    ret
.outside:                               ; outside the bitmap's ranges: #GP
    mov eax, [c_sel]
    cmp eax, 0x2000
    jae .o1
    add eax, 0x2000
.o1:
    mov edx, eax
    and edx, 0xffffe000
    cmp edx, 0xc0000000
    jne .o2
    add eax, 0x2000
.o2:
    mov [c_b], eax
    mov dword [c_want], 13
    mov edx, [c_d]
    and edx, 1
    mov [c_a], edx
    jnz .wr
    jmp .rd
.efer:                                  ; WRMSR EFER: #GP for unsupported bits
    mov dword [c_b], 0xc0000080
    mov dword [c_a], 1
    mov eax, [c_d]
    test dword [c_sel], 0x100           ; half of them with only valid bits
    jz .e1
    and eax, [efer_ok]
    mov dword [c_e], 0
.e1:
    mov [c_d], eax
    mov dword [c_want], NO_FAULT
    mov edx, [efer_ok]
    not edx
    test eax, edx
    jnz .e2
    cmp dword [c_e], 0
    je .e3
.e2:
    mov dword [c_want], 13
.e3:
    mov ecx, 0xc0000080
    mov eax, [c_d]
    mov edx, [c_e]
    try wrmsr
    mov eax, [fault]
    cmp eax, [c_want]
    jne .bad
    cmp eax, NO_FAULT
    jne .ok
    mov ecx, 0xc0000080                 ; read back: what was written, LMA clear
    try rdmsr
    mov ecx, [c_d]
    and ecx, ~0x400
    cmp eax, ecx
    jne .bad2
    test edx, edx
    jnz .bad2
    xor eax, eax                        ; back to 0
    xor edx, edx
    mov ecx, 0xc0000080
    wrmsr
    ret
.bad2:
    note_wrong [c_a], [c_b], [c_d], eax, edx
    ret
.icr:                                   ; the x2APIC ICR while the APIC is in xAPIC mode: #GP
    cmp byte [x2apic_on], 0
    jne .outside
    mov dword [c_b], 0x830
    mov dword [c_want], 13
    mov edx, [c_d]
    and edx, 1
    mov [c_a], edx
    jnz .wr
    jmp .rd
.any_rd:                                ; any MSR in the bitmap's ranges: whatever the CPU says
    mov eax, [c_sel]
    shr eax, 8
    and eax, 0x1fff
    test dword [c_sel], 0x80
    jz .a1
    or eax, 0xc0000000
.a1:
    mov [c_b], eax
    mov dword [c_a], 0
    mov ecx, eax
    try rdmsr
    ret
.rd:
    mov ecx, [c_b]
    try rdmsr
    jmp .check
.wr:
    mov ecx, [c_b]
    mov eax, [c_d]
    mov edx, [c_e]
    try wrmsr
.check:
    mov eax, [fault]
    cmp eax, [c_want]
    je .ok
.bad:
    note_wrong [c_a], [c_b], [c_d], [fault], [c_want]
.ok:
    ret

vmx_msr_index:                          ; [c_b] = 480h-491h or 9Bh (IA32_SMM_MONITOR_CTL)
    mov eax, [c_sel]
    shr eax, 8
    xor edx, edx
    mov ecx, 19
    div ecx
    lea eax, [edx + 0x480]
    cmp eax, 0x492
    jne .k
    mov eax, 0x9b
.k:
    mov [c_b], eax
    ret

; ---- class vmx ----
class_vmx:
    call rand
    mov [c_sel], eax
    xor edx, edx
    mov ecx, 11
    div ecx
    mov [c_a], edx
    call rand
    mov ebx, eax
    call rand
    mov ecx, edx
    jmp [vmx_kinds + ecx * 4]
.i0: try vmxon [vmx_region]
    jmp .check
.i1: try vmxoff
    jmp .check
.i2: try vmclear [vmx_region]
    jmp .check
.i3: try vmptrld [vmx_region]
    jmp .check
.i4: try vmptrst [vmx_region]
    jmp .check
.i5: try vmread eax, ebx
    jmp .check
.i6: try vmwrite ebx, eax
    jmp .check
.i7: try vmlaunch
    jmp .check
.i8: try vmresume
    jmp .check
.i9: try invept eax, [vmx_region]
    jmp .check
.i10: try invvpid eax, [vmx_region]
.check:
    cmp dword [fault], 6
    je .ok
    note_wrong [c_a], ebx, eax, [fault], 6
.ok:
    ret

; ---- class cr ----
class_cr:
    call rand
    mov [c_sel], eax
    call rand
    mov [c_b], eax
    test dword [c_sel], 1
    jnz .cr4
    ; CR0: PE stays set and PG clear, except for the PG-without-PE case
    mov dword [c_a], 0
    or eax, 1
    and eax, 0x7fffffff
    test dword [c_sel], 0x30
    jnz .c1
    xor eax, 0x80000001                 ; 1 in 4: PG without PE
.c1:
    mov [c_b], eax
    mov dword [c_want], NO_FAULT
    test eax, 0x80000000
    jz .c2
    test eax, 1
    jnz .c2
    mov dword [c_want], 13
.c2:
    mov ecx, eax                        ; NW without CD
    and ecx, 0x60000000
    cmp ecx, 0x20000000
    jne .c3
    mov dword [c_want], 13
.c3:
    try mov cr0, eax
    mov eax, [fault]
    cmp eax, [c_want]
    jne .bad
    cmp eax, NO_FAULT
    jne .ok
    mov eax, cr0                        ; reserved bits read as 0, ET as 1
    mov ecx, [c_b]
    and ecx, 0xe005003f
    or ecx, 0x10
    cmp eax, ecx
    jne .bad_rb
    mov eax, 0x11
    mov cr0, eax
    ret
.cr4:
    mov dword [c_a], 4
    test dword [c_sel], 0x30            ; 3 in 4 with only the bits the CPU has
    jz .d1
    and eax, [cr4_ok]
.d1:
    mov [c_b], eax
    mov dword [c_want], NO_FAULT
    mov ecx, [cr4_ok]
    not ecx
    test eax, ecx
    jnz .d2
    test eax, 1 << 17                   ; PCIDE outside IA-32e mode
    jnz .d2
    test eax, 1 << 23                   ; CET needs CR0.WP (clear here)
    jz .d3
.d2:
    mov dword [c_want], 13
.d3:
    try mov cr4, eax
    mov eax, [fault]
    cmp eax, [c_want]
    jne .bad
    cmp eax, NO_FAULT
    jne .ok
    mov eax, cr4
    cmp eax, [c_b]
    jne .bad_rb
    xor eax, eax
    mov cr4, eax
    ret
.bad_rb:
    note_wrong [c_a], [c_b], 0, eax, 0
    ret
.bad:
    note_wrong [c_a], [c_b], 0, [fault], [c_want]
.ok:
    ret

; ---- class xsetbv ----
class_xsetbv:
    cmp byte [has_xsave], 0
    jne .go
    mov dword [fault], NO_FAULT         ; no XSAVE: nothing to try (the count line says 0 faults)
    ret
.go:
    mov eax, cr4                        ; XSETBV needs CR4.OSXSAVE
    or eax, 1 << 18
    mov cr4, eax
    call rand
    mov [c_sel], eax
    call rand
    mov [c_d], eax
    xor ecx, ecx
    test dword [c_sel], 0x3             ; 1 in 4: another XCR
    jnz .x1
    mov ecx, [c_sel]
    shr ecx, 8
.x1:
    mov [c_a], ecx
    mov eax, [c_d]
    xor edx, edx
    test dword [c_sel], 0x30            ; 3 in 4: only low bits, half of them supported ones
    jz .x2
    and eax, 0xff
    test dword [c_sel], 0x40
    jz .x3
    and eax, [xcr0_ok]
    jmp .x3
.x2:
    mov edx, [c_sel]
    and edx, 0xff00
.x3:
    mov [c_b], eax
    mov [c_c], edx
    ; the SDM's XSETBV #GP list
    mov dword [c_want], 13
    test ecx, ecx
    jnz .decided
    test edx, [xcr0_ok_hi_not]
    jnz .decided
    mov esi, [xcr0_ok]
    not esi
    test eax, esi
    jnz .decided
    test eax, 1
    jz .decided
    mov esi, eax
    and esi, 6
    cmp esi, 4                          ; AVX without SSE
    je .decided
    mov esi, eax
    and esi, 0x18
    jz .x4
    cmp esi, 0x18                       ; BNDREGS and BNDCSR together
    jne .decided
.x4:
    mov esi, eax
    and esi, 0xe0
    jz .x5
    cmp esi, 0xe0                       ; the AVX-512 bits together, with AVX
    jne .decided
    test eax, 4
    jz .decided
.x5:
    mov dword [c_want], NO_FAULT
.decided:
    test dword [c_sel], 0xf00000        ; 1 in 16: CR4.OSXSAVE clear: #UD
    jnz .x6
    mov dword [c_want], 6
    mov esi, cr4
    and esi, ~(1 << 18)
    mov cr4, esi
.x6:
    try xsetbv
    mov esi, cr4
    or esi, 1 << 18
    mov cr4, esi
    mov eax, [fault]
    cmp eax, [c_want]
    jne .bad
    cmp eax, NO_FAULT
    jne .ok
    xor ecx, ecx
    xgetbv
    cmp eax, [c_b]
    jne .bad
    mov eax, 1                          ; back to x87 only
    xor edx, edx
    xor ecx, ecx
    xsetbv
    ret
.bad:
    note_wrong [c_a], [c_b], [c_c], [fault], [c_want]
.ok:
    ret

; ---- what the guest learns before it starts ----
host_facts:
    mov ebx, [handoff]                  ; the hv's range: the handoff's last E820 entry
    mov eax, [ebx + H_N_E820]
    dec eax
    imul eax, E820_SIZE
    lea esi, [ebx + H_E820 + eax]
    mov eax, [esi + E820_BASE]          ; its base: the guest's RAM top
    add eax, 0x10000                    ; the identity page directory's 64 KiB are RAM
    mov [hv_base], eax
    mov ecx, [esi + E820_BASE]
    add ecx, [esi + E820_LEN]
    sub ecx, eax
    mov [hv_len], ecx
    mov ax, [ebx + H_PM1A_EVT]          ; handoff.acpi.pm1a_evt: the PM block
    and ax, 0xffc0
    jnz .pm
    mov ax, 0xb000
.pm:
    mov [pm_base], ax
    ; EFER: the bits CPUID.80000001h reports (SCE 11, LM 29, NX 20), and LMA
    mov dword [efer_ok], 0x400
    mov eax, 0x80000000
    cpuid
    cmp eax, 0x80000001
    jb .noext
    mov eax, 0x80000001
    cpuid
    bt edx, 11
    jnc .e1
    or dword [efer_ok], 1
.e1:
    bt edx, 29
    jnc .e2
    or dword [efer_ok], 0x100
.e2:
    bt edx, 20
    jnc .noext
    or dword [efer_ok], 0x800
.noext:
    ; CR4: the bits of the features CPUID reports (no VMXE: the hv hides VMX)
    xor eax, eax
    cpuid
    mov [max_leaf], eax
    mov eax, 1
    cpuid
    mov [cpuid1_ecx], ecx
    mov [cpuid1_edx], edx
    xor ebx, ebx
    xor ecx, ecx
    cmp dword [max_leaf], 7
    jb .no7
    mov eax, 7
    xor ecx, ecx
    cpuid
.no7:
    mov [cpuid7_ebx], ebx
    mov [cpuid7_ecx], ecx
    mov esi, cr4_map
    xor edi, edi
.map:
    lodsw                               ; AL = CPUID bit (register * 32 + bit), AH = CR4 bit
    cmp ax, 0xffff
    je .mapped
    movzx ecx, al
    shr ecx, 5
    mov edx, [cpuid_regs + ecx * 4]
    movzx ecx, al
    and ecx, 31
    bt edx, ecx
    jnc .map
    movzx ecx, ah
    bts edi, ecx
    jmp .map
.mapped:
    mov [cr4_ok], edi
    ; XSAVE and XCR0's supported bits
    bt dword [cpuid1_ecx], 26
    jnc .noxsave
    mov byte [has_xsave], 1
    mov eax, 0xd
    xor ecx, ecx
    cpuid
    mov [xcr0_ok], eax
    not edx
    mov [xcr0_ok_hi_not], edx
.noxsave:
    mov ecx, 0x1b                       ; IA32_APIC_BASE.EXTD: x2APIC mode
    rdmsr
    bt eax, 10
    setc byte [x2apic_on]
    ret

print_facts:
    mov edi, outbuf
    mov esi, s_facts
    call append_str
    mov eax, FUZZ_SEED
    call append_hex
    mov esi, s_count
    call append_str
    mov eax, FUZZ_COUNT
    call append_dec
    mov esi, s_hv
    call append_str
    mov eax, [hv_base]
    call append_hex
    mov al, '+'
    stosb
    mov eax, [hv_len]
    call append_hex
    mov esi, s_cr4
    call append_str
    mov eax, [cr4_ok]
    call append_hex
    mov esi, s_efer
    call append_str
    mov eax, [efer_ok]
    call append_hex
    mov esi, s_xcr0
    call append_str
    mov eax, [xcr0_ok]
    call append_hex
    mov al, 10
    stosb
    mov byte [edi], 0
    puts outbuf
    ret

; ---- the IDT: every exception vector records itself and resumes at [resume] ----
setup_idt:
    xor ecx, ecx
.g:
    mov eax, [stubs + ecx * 4]
    mov [idt + ecx * 8], ax
    mov word [idt + ecx * 8 + 2], 0x08
    mov word [idt + ecx * 8 + 4], 0x8e00
    shr eax, 16
    mov [idt + ecx * 8 + 6], ax
    inc ecx
    cmp ecx, 32
    jb .g
    lidt [idt_desc]
    ret

%assign v 0
%rep 32
vec%[v]:
%if v == 8 || (v >= 10 && v <= 14) || v == 17 || v == 21
    add esp, 4                          ; the error code
%endif
    mov dword [fault], v
    jmp fault_common
%assign v v + 1
%endrep
fault_common:
    push eax
    mov eax, [resume]
    mov [esp + 4], eax                  ; the saved EIP
    pop eax
    iretd

; ---- xorshift32 and the memory pattern ----
rand:                                   ; EAX = the next number
    push edx
    mov eax, [rng]
    mov edx, eax
    shl edx, 13
    xor eax, edx
    mov edx, eax
    shr edx, 17
    xor eax, edx
    mov edx, eax
    shl edx, 5
    xor eax, edx
    mov [rng], eax
    pop edx
    ret

fill_pattern:
    mov eax, 0x9e3779b9
    mov edi, PATTERN_BASE
    mov ecx, PATTERN_SIZE / 4
.f:
    stosd
    rol eax, 5
    add eax, 0x7f4a7c15
    loop .f
    ret

check_pattern:                          ; ZF set when intact
    mov eax, 0x9e3779b9
    mov esi, PATTERN_BASE
    mov ecx, PATTERN_SIZE / 4
.c:
    cmp [esi], eax
    jne .done
    add esi, 4
    rol eax, 5
    add eax, 0x7f4a7c15
    loop .c
    cmp eax, eax
.done:
    ret

; append EAX as 0x-prefixed hex at EDI
append_hex:
    push ecx
    push edx
    mov edx, eax
    mov ax, '0x'
    stosw
    mov ecx, 8
.h:
    rol edx, 4
    mov al, dl
    and al, 15
    add al, '0'
    cmp al, '9'
    jbe .d
    add al, 'a' - '9' - 1
.d:
    stosb
    loop .h
    pop edx
    pop ecx
    ret

hello:    db "fuzzguest: random VMCALLs, port I/O, MSRs, VMX instructions, CR0/CR4 writes and XSETBV", 10, 0
name_vmcall: db "vmcall", 0
name_io:     db "io", 0
name_msr:    db "msr", 0
name_vmx:    db "vmx", 0
name_cr:     db "cr", 0
name_xsetbv: db "xsetbv", 0
pfx:      db "fuzzguest: ", 0
s_colon:  db ": ", 0
s_cases:  db " cases, ", 0
s_gp:     db " #GP, ", 0
s_ud:     db " #UD, ", 0
s_other:  db " other faults, ", 0
s_wrong:  db " wrong", 0
s_first:  db "; first wrong: case ", 0
s_args:   db " args ", 0
s_got:    db " got ", 0
s_pass:   db "PASS: fuzz_", 0
s_fail:   db "FAIL: fuzz_", 0
s_pass_tail: db "_gets_what_the_hardware_or_abi_says", 10, 0
s_facts:  db "fuzzguest: seed ", 0
s_count:  db " count ", 0
s_hv:     db " hv ", 0
s_cr4:    db " cr4_ok ", 0
s_efer:   db " efer_ok ", 0
s_xcr0:   db " xcr0_ok ", 0

align 4
vmcall_kinds: dd class_vmcall.unknown, class_vmcall.hvmem, class_vmcall.wrap, class_vmcall.huge
              dd class_vmcall.empty, class_vmcall.poweroff, class_vmcall.restore, class_vmcall.replay
msr_kinds:    dd class_msr.vmx_rd, class_msr.vmx_wr, class_msr.fc_wr, class_msr.fc_rd
              dd class_msr.outside, class_msr.efer, class_msr.icr, class_msr.any_rd
vmx_kinds:    dd class_vmx.i0, class_vmx.i1, class_vmx.i2, class_vmx.i3, class_vmx.i4, class_vmx.i5
              dd class_vmx.i6, class_vmx.i7, class_vmx.i8, class_vmx.i9, class_vmx.i10
stubs:
%assign v 0
%rep 32
    dd vec%[v]
%assign v v + 1
%endrep
; excluded ports, first and last (both directions), then out-only; 0 ends a list
port_deny:
    dw 0x0000, 0x001f       ; 8237 DMA 1
    dw 0x0060, 0x0064       ; 8042: reset pulses
    dw 0x0080, 0x009f       ; DMA pages, 92h (fast reset)
    dw 0x00b2, 0x00b3       ; APM: SMI
    dw 0x00c0, 0x00df       ; 8237 DMA 2
    dw 0x0170, 0x0177       ; IDE 2
    dw 0x01ce, 0x01d0       ; Bochs VBE
    dw 0x01f0, 0x01f7       ; IDE 1
    dw 0x0376, 0x0377
    dw 0x03f0, 0x03ff       ; floppy, IDE 1 control, COM1
    dw 0x0400, 0x040f       ; Bochs: the ROM BIOS's panic and info ports
    dw 0x0500, 0x050f       ; ... and the VGA BIOS's
    dw 0x0cf8, 0x0cff       ; PCI configuration, CF9h reset
    dw 0x8a00, 0x8a01       ; Bochs I/O debugger
    dd 0
port_deny_out:
    dw 0x0020, 0x0021       ; the 8259s: Bochs panics on modes it does not model
    dw 0x00a0, 0x00a1       ; (single, level-triggered, not x86) where a PC's just misbehave
    dw 0x03b0, 0x03df       ; VGA registers: likewise (shift modes, write sizes)
    dw 0x00e9, 0x00e9       ; the debug console
    dw 0x00f4, 0x00f4       ; power-off
    dw 0x8900, 0x8900       ; Bochs shutdown
    dd 0
; ports the hv traps and answers itself (CMOS, the debug console, the
; power-off port, Bochs' shutdown port) or passes on (A20 read-only here)
hv_ports: dw 0x70, 0x71, 0xe9, 0xf4, 0x8900, 0x70, 0x71, 0xe9
; CR4 bit <- CPUID bit (register: 0 CPUID.1:EDX, 1 .1:ECX, 2 .7:EBX, 3 .7:ECX)
cr4_map:
    db 1, 0,  1, 1,  4, 2,  2, 3,  3, 4,  6, 5,  7, 6,  13, 7,  0, 8,  24, 9,  25, 10
    db 96+2, 11,  96+16, 12,  32+6, 14,  64+0, 16,  32+17, 17,  32+26, 18,  64+7, 20
    db 64+20, 21,  96+3, 22,  96+7, 23,  96+31, 24
    dw 0xffff
cpuid_regs:
cpuid1_edx: dd 0
cpuid1_ecx: dd 0
cpuid7_ebx: dd 0
cpuid7_ecx: dd 0
max_leaf: dd 0
rng:      dd FUZZ_SEED
handoff:  dd 0
hv_base:  dd 0
hv_len:   dd 1
pm_base:  dw 0
x2apic_on: db 0
cmos_idx: db 0
has_xsave: db 0
efer_ok:  dd 0
cr4_ok:   dd 0
xcr0_ok:  dd 1
xcr0_ok_hi_not: dd 0xffffffff
fault:    dd NO_FAULT
resume:   dd 0
cls_name: dd 0
cls_case: dd 0
case_no:  dd 0
wrong:    dd 0
first_wrong: dd 0
n_gp:     dd 0
n_ud:     dd 0
n_other:  dd 0
c_sel:    dd 0
c_a:      dd 0
c_b:      dd 0
c_c:      dd 0
c_d:      dd 0
c_e:      dd 0
c_want:   dd 0
w_case:   dd 0
w_a:      dd 0
w_b:      dd 0
w_c:      dd 0
w_d:      dd 0
w_e:      dd 0
idt_desc: dw 32 * 8 - 1
          dd idt
align 16
vmx_region: times 16 db 0
stats_buf: times 32 db 0
outbuf:   times 256 db 0
align 8
idt:      times 32 dq 0
