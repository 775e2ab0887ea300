; xapicguest.asm - IPIs through the xAPIC's MMIO ICR (APIC base + 300h/310h):
; INIT, SIPI, SIPI to all other CPUs, the way an OS starts its APs, with a
; real-mode trampoline that would write a marker. The hv must drop all three
; (blocked_ipi=3 in the statistics) so that no AP runs it, while the other
; APIC writes still reach the APIC: a read-modify-write of the spurious
; vector register, a self-IPI and its EOI. Run it with 2 CPUs (smp = 2):
; without the hv's filter the second CPU really runs the trampoline.
%include "guest32.inc"

IA32_APIC_BASE equ 0x1b
APIC_EXTD      equ 1 << 10              ; x2APIC mode
APIC_EN        equ 1 << 11              ; xAPIC global enable
APIC_EOI       equ 0xb0
APIC_SVR       equ 0xf0
APIC_ICR_LO    equ 0x300
APIC_ICR_HI    equ 0x310
SELF_VECTOR    equ 0x40
TRAMPOLINE     equ 0x8000               ; SIPI vector 08h: the AP starts at 0800:0000
MARKER         equ 0x7000
MARKER_VALUE   equ 0x50415041           ; "APAP"

guest_main:
    guest_start
    puts hello
    mov ecx, IA32_APIC_BASE
    rdmsr
    test eax, APIC_EXTD
    check z, "apic_is_in_xapic_mode"
    or eax, APIC_EN
    wrmsr
    and eax, 0xfffff000
    mov ebx, eax                        ; EBX = the APIC's registers
    ; a read-modify-write (OR to memory) must reach the APIC with the register's other bits
    ; (the OR's result keeps bits only the register had: the hv must hand it the register's value)
    mov eax, [ebx + APIC_SVR]
    and eax, ~0x1ff
    or eax, 0xf0
    mov [ebx + APIC_SVR], eax           ; software-disabled, vector F0h
    or dword [ebx + APIC_SVR], 0x10f    ; enabled, spurious vector FFh
    mov eax, [ebx + APIC_SVR]
    and eax, 0x1ff
    cmp eax, 0x1ff
    check e, "xapic_or_to_the_spurious_vector_register_reaches_the_apic"

    ; moving the APIC away from the page the hv guards: #GP, the base stays
    set_gate 13, gp_handler
    lidt [idt_desc]
    mov ecx, IA32_APIC_BASE
    rdmsr
    mov [apic_base], eax
    and eax, 0xfff
    or eax, 0xfed00000
    wrmsr                               ; faults: gp_handler skips it
    cmp dword [gp_seen], 1
    check e, "moving_the_apic_base_raises_gp"
    mov ecx, IA32_APIC_BASE
    rdmsr
    cmp eax, [apic_base]
    check e, "apic_base_stays_where_it_was"
    mov ecx, IA32_APIC_BASE
    rdmsr
    or eax, 1 << 9                      ; a reserved bit: #GP as on the CPU, not a fault in the hv
    wrmsr
    cmp dword [gp_seen], 2
    check e, "apic_base_reserved_bit_raises_gp"

    ; the trampoline an AP would run, below 1 MiB on a page boundary
    mov dword [MARKER], 0
    mov esi, trampoline
    mov edi, TRAMPOLINE
    mov ecx, trampoline_end - trampoline
    rep movsb
    ; the AP start-up sequence (MP spec B.4), to all but self
    mov dword [ebx + APIC_ICR_HI], 0
    mov dword [ebx + APIC_ICR_LO], 0xc4500 ; INIT, assert, all excluding self
    call delay
    mov dword [ebx + APIC_ICR_LO], 0xc4600 | (TRAMPOLINE >> 12) ; SIPI
    call delay
    mov dword [ebx + APIC_ICR_LO], 0xc4600 | (TRAMPOLINE >> 12) ; SIPI again
    call delay
    call delay
    cmp dword [MARKER], 0
    check e, "ap_trampoline_never_ran"

    ; a self-IPI through the same ICR must still arrive, and its EOI work
    set_gate SELF_VECTOR, self_ipi
    lidt [idt_desc]
    mov al, 0xff                        ; no PIC IRQs: only the self-IPIs may come
    out 0x21, al
    out 0xa1, al
    sti
    mov dword [ebx + APIC_ICR_LO], 0x40000 | SELF_VECTOR ; fixed, shorthand self
    call wait_self
    cmp dword [self_seen], 1
    check e, "xapic_self_ipi_is_delivered_and_eoi_works"
    ; a second one: arrives only if the first one's EOI reached the APIC
    mov dword [ebx + APIC_ICR_LO], 0x40000 | SELF_VECTOR
    call wait_self
    cli
    cmp dword [self_seen], 2
    check e, "xapic_second_self_ipi_arrives_after_the_eoi"
    mov eax, VMCALL_STATS
    push ebx
    mov ebx, 0
    vmcall
    pop ebx
    jmp guest_finish

; wait (interrupts on) until self_seen changes or a while passes
wait_self:
    mov edx, [self_seen]
    mov ecx, 1000000
.wait:
    cmp [self_seen], edx
    jne .done
    loop .wait
.done:
    ret

; about 10 ms of guest time (a million loop turns), as the MP spec asks between the IPIs
delay:
    push ecx
    mov ecx, 1000000
.spin:
    loop .spin
    pop ecx
    ret

gp_handler:                             ; #GP from WRMSR (0F 30): count it, skip the instruction
    inc dword [gp_seen]
    add esp, 4                          ; the error code
    add dword [esp], 2
    iretd

self_ipi:
    inc dword [self_seen]
    mov dword [ebx + APIC_EOI], 0
    iretd

hello:     db "xapicguest: INIT, SIPI, SIPI to the other CPUs through the xAPIC ICR, then self-IPIs", 10, 0
align 4
self_seen: dd 0
gp_seen:   dd 0
apic_base: dd 0
idt_desc:  dw 256 * 8 - 1
           dd idt

; What an AP runs after SIPI (real mode, CS = 0800h): it must never write its marker.
bits 16
trampoline:
    xor ax, ax
    mov ds, ax
    mov dword [MARKER], MARKER_VALUE
.park:
    cli
    hlt
    jmp .park
trampoline_end:
bits 32

align 8
idt:       times 256 dq 0
