; ipiguest.asm - IPIs through the x2APIC ICR (MSR 0x830): INIT, SIPI, SIPI
; to all other CPUs (the way an OS starts its APs) must be dropped by the hv
; and counted (blocked_ipi=3 in the statistics), while a self-IPI is still
; delivered and its EOI (MSR 0x80B) still works.
%include "guest32.inc"

IA32_APIC_BASE equ 0x1b
X2APIC_EOI     equ 0x80b
X2APIC_ICR     equ 0x830
X2APIC_SVR     equ 0x80f
SELF_VECTOR    equ 0x40

guest_main:
    guest_start
    puts hello
    mov eax, 1
    cpuid
    mov [features], ecx
    bt ecx, 21                          ; CPUID.1:ECX.x2APIC
    check c, "cpu_has_x2apic"
    bt dword [features], 21
    jnc guest_finish
    mov ecx, IA32_APIC_BASE
    rdmsr
    or eax, (1 << 11) | (1 << 10)       ; xAPIC global enable, then x2APIC mode
    wrmsr
    mov ecx, X2APIC_SVR
    rdmsr
    or eax, 0x1ff                       ; APIC software enable, spurious vector FFh
    wrmsr
    ; the AP start-up sequence, to all but self
    mov ecx, X2APIC_ICR
    xor edx, edx
    mov eax, 0xc4500                    ; INIT, assert, all excluding self
    wrmsr
    mov eax, 0xc4600 | ((trampoline - $$ + GUEST_LOAD) >> 12) ; SIPI to the trampoline page
    wrmsr
    wrmsr
    ; a self-IPI must still arrive
    set_gate SELF_VECTOR, self_ipi
    lidt [idt_desc]
    mov al, 0xff                        ; no PIC IRQs: only the self-IPI may come
    out 0x21, al
    out 0xa1, al
    mov ecx, X2APIC_ICR
    xor edx, edx
    mov eax, 0x40000 | SELF_VECTOR       ; fixed, shorthand self
    sti
    wrmsr
    mov ecx, 1000000
.wait:
    cmp dword [self_seen], 0
    jne .seen
    loop .wait
.seen:
    cli
    cmp dword [self_seen], 1
    check e, "self_ipi_is_delivered_and_eoi_works"
    mov eax, VMCALL_STATS
    mov ebx, 0
    vmcall
    jmp guest_finish

self_ipi:
    inc dword [self_seen]
    push eax
    push ecx
    push edx
    mov ecx, X2APIC_EOI
    xor eax, eax
    xor edx, edx
    wrmsr
    pop edx
    pop ecx
    pop eax
    iretd

hello:     db "ipiguest: INIT, SIPI, SIPI to the other CPUs through the x2APIC ICR, then a self-IPI", 10, 0
align 4
self_seen: dd 0
features:  dd 0
idt_desc:  dw 256 * 8 - 1
           dd idt
align 4096
trampoline:                             ; what an AP would run: it must never write its marker
    mov dword [0x7000], 0x50415041
    hlt
align 8
idt:       times 256 dq 0
