; testguest.asm - the foundation's 32-bit test guest: exercises CPUID, a
; trapped I/O port, every VMCALL (and an unknown one) and HLT woken by the
; timer, then powers off with status 0 when everything passed.
%include "guest32.inc"

IDT_BASE equ 0x30000
PIC_VECTOR_BASE equ 0x20

guest_main:
    guest_start
    puts hello
    mov eax, [entry_eax]
    cmp eax, GUEST_MAGIC
    check e, "entry_eax_holds_vmxl_magic"

    ; VMCALL_VERSION answers the ABI version.
    mov eax, VMCALL_VERSION
    vmcall
    cmp eax, 1
    check e, "vmcall_version_is_1"

    ; CPUID passes through, but without VMX.
    xor eax, eax
    cpuid
    cmp ebx, 0
    check ne, "cpuid_leaf0_passes_through"
    mov eax, 1
    cpuid
    test ecx, 1 << 5
    check z, "cpuid_hides_vmx"

    ; A byte string through the trapped debug port 0xE9.
    mov esi, io_msg
    call guest_puts_e9

    ; An unknown call number returns -ENOSYS and the guest goes on.
    mov eax, 0x7777
    vmcall
    cmp eax, -38
    check e, "unknown_vmcall_returns_enosys"

    ; VMCALL_STATS prints the statistics line and fills our summary.
    mov eax, VMCALL_STATS
    mov ebx, stats
    vmcall
    mov [stats_ret], eax
    cmp eax, 0
    check a, "vmcall_stats_counts_exits"
    mov eax, [stats_ret]
    cmp eax, [stats + 8]
    check e, "vmcall_stats_fills_summary"

    ; HLT with interrupts on returns when the timer (IRQ0) fires.
    call setup_idt
    call setup_timer
    mov dword [ticks], 0
    sti
    hlt
    cli
    cmp dword [ticks], 0
    check a, "hlt_wakes_on_timer_irq"
    mov al, 0xff                ; mask every IRQ again
    out 0x21, al

    jmp guest_finish

; 256 interrupt gates: 0x20 = timer, 0x21-0x2f other IRQs, the rest are faults.
setup_idt:
    mov edi, IDT_BASE
    xor ecx, ecx
.gate:
    mov eax, fault_handler
    cmp ecx, PIC_VECTOR_BASE
    jb .set
    cmp ecx, PIC_VECTOR_BASE + 16
    jae .set
    mov eax, irq_handler
    cmp ecx, PIC_VECTOR_BASE
    jne .set
    mov eax, timer_handler
.set:
    mov edx, eax
    and eax, 0xffff
    or eax, 0x08 << 16          ; selector
    and edx, 0xffff0000
    or edx, 0x8e00              ; present, DPL 0, 32-bit interrupt gate
    mov [edi + ecx * 8], eax
    mov [edi + ecx * 8 + 4], edx
    inc ecx
    cmp ecx, 256
    jb .gate
    lidt [idt_desc]
    ret

; 8259A PICs: vectors 0x20/0x28, only IRQ0 unmasked; PIT channel 0 at 100 Hz.
setup_timer:
    mov al, 0x11
    out 0x20, al
    out 0xa0, al
    mov al, PIC_VECTOR_BASE
    out 0x21, al
    mov al, PIC_VECTOR_BASE + 8
    out 0xa1, al
    mov al, 4
    out 0x21, al
    mov al, 2
    out 0xa1, al
    mov al, 1
    out 0x21, al
    out 0xa1, al
    mov al, 0xfe
    out 0x21, al
    mov al, 0xff
    out 0xa1, al
    mov al, 0x34                ; channel 0, lo/hi byte, mode 2
    out 0x43, al
    mov ax, 11932               ; 1193182 Hz / 100
    out 0x40, al
    mov al, ah
    out 0x40, al
    ret

timer_handler:
    inc dword [ticks]
irq_handler:
    push eax
    mov al, 0x20                ; EOI to both PICs
    out 0xa0, al
    out 0x20, al
    pop eax
    iret

fault_handler:
    puts fault_msg
    mov eax, VMCALL_POWER_OFF
    mov ebx, 1
    vmcall

hello:     db "testguest: hello from a 32-bit guest", 10, 0
io_msg:    db "testguest: this line went through port 0xe9", 10, 0
fault_msg: db "FAIL: unexpected exception in testguest", 10, 0
idt_desc:  dw 256 * 8 - 1
           dd IDT_BASE
ticks:     dd 0
stats_ret: dd 0
align 8
stats:     times 24 db 0
