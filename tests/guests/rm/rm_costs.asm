; rm_costs.asm - what each class of real-mode work costs a guest, and that
; the cheap paths still behave: the 8259A's IMR reads back what was written,
; a full ICW1-ICW4 reinitialisation of both PICs still gets timer interrupts
; to the guest's vector 08h, and a real -> protected -> real round trip comes
; back to real mode.
;
; Prints Bochs ticks (RDTSC) per loop iteration, in hex, one line per class
; (the loop's own DEC/JNZ or LOOP included):
;     rm_costs: io_iteration_ticks=0x...      4 x IN 61h, IN 21h, OUT 21h
;     rm_costs: alu_iteration_ticks=0x...     53 plain ALU/MOV/shift instructions
;     rm_costs: flags_iteration_ticks=0x...   4 x PUSHF, CLI, POPF, STI
;     rm_costs: int1a_iteration_ticks=0x...   INT 1Ah AH=00h (BIOS tick count)
;     rm_costs: int16_iteration_ticks=0x...   INT 16h AH=01h (keystroke status)
;     rm_costs: int13_iteration_ticks=0x...   INT 13h AH=01h (last disk status)
;     rm_costs: movsb_iteration_ticks=0x...   a32 REP MOVSB, 256 bytes below 64 KiB
;     rm_costs: cpuid_iteration_ticks=0x...   CPUID (a VM exit under the hv)
;     rm_costs: cmos_iteration_ticks=0x...    IN 71h (the hv's CMOS: an I/O exit)
;     rm_costs: pic_iteration_ticks=0x...     OUT 20h (assist: a VM86 #GP)
;     rm_costs: switch_iteration_ticks=0x...  MOV CR0 (PE=1), far jump to
;                                             16-bit PM, MOV CR0 (PE=0),
;                                             far jump to real mode
; The classes from ALU to OUT 20h run with every IRQ masked at the PIC, so
; that no interrupt handler lands in a measurement. Then, with IRQ 0 alone,
; the IRQ and HLT classes print the raw figures of spin loops
; (spin_reference_ticks, irq_spin_*, hlt_spin_*) from which bench.py takes
; the cost of an IRQ and of a HLT beyond its idle time. tests/bench.py reads
; the lines (its class table, its cost model); the tests only check the
; behaviour, the figures are not thresholds.
%define GUEST_NAME "rm_costs"
%include "rm.inc"

IO_LOOPS        equ 1000
SWITCH_LOOPS    equ 100
BDA_TICKS       equ 0x46c           ; 0040:006C, the BIOS's timer tick count
ALU_LOOPS       equ 100
FLAGS_LOOPS     equ 100
BIOS_LOOPS      equ 100
MOVSB_LOOPS     equ 100
EVENT_LOOPS     equ 100
SPIN_LOOPS      equ 1000
IRQ_COUNT       equ 8

; CLASS_BEGIN loops: note the TSC, BP = loops (BP: no class body uses it)
%macro CLASS_BEGIN 1
    rdtsc
    mov [t0], eax
    mov [t0 + 4], edx
    mov bp, %1
%endmacro

; CLASS_END label, loops, "name=0x": close the loop, print ticks per iteration
%macro CLASS_END 3
    dec bp
    jnz %1
    rdtsc
    mov ecx, %2
    call per_iteration
    INFO %3
    PUTHEX
    NEWLINE
%endmacro

main:
    ; ---- IMR read-back through the data ports
    cli
    in al, 0x21
    mov [master_imr], al
    in al, 0xa1
    mov [slave_imr], al
    mov al, [master_imr]
    xor al, 0x80                    ; IRQ 7 (LPT1): no device behind it here
    out 0x21, al
    in al, 0x21
    movzx eax, al
    movzx ebx, byte [master_imr]
    xor ebx, 0x80
    cmp eax, ebx
    CHECK e, "master_imr_reads_back_what_was_written"
    mov al, [master_imr]
    out 0x21, al
    mov al, [slave_imr]
    xor al, 0x80                    ; IRQ 15
    out 0xa1, al
    in al, 0xa1
    xor al, 0x80
    cmp al, [slave_imr]
    CHECK e, "slave_imr_reads_back_what_was_written"
    mov al, [slave_imr]
    out 0xa1, al

    ; ---- the I/O class, interrupts off so that no IRQ lands in the loop
    rdtsc
    mov [t0], eax
    mov [t0 + 4], edx
    mov cx, IO_LOOPS
.io:
    in al, 0x61
    in al, 0x61
    in al, 0x61
    in al, 0x61
    in al, 0x21
    out 0x21, al
    loop .io
    rdtsc
    mov ecx, IO_LOOPS
    call per_iteration
    INFO "io_iteration_ticks=0x"
    PUTHEX
    NEWLINE
    in al, 0x21
    cmp al, [master_imr]
    CHECK e, "imr_unchanged_after_io_loop"
    sti

    ; ---- reinitialise both PICs the way the BIOS does (vectors 08h, 70h)
    cli
    mov al, 0x11                    ; ICW1: edge, cascade, ICW4 follows
    out 0x20, al
    mov al, 0x08                    ; ICW2: IRQ 0-7 at 08h-0Fh
    out 0x21, al
    mov al, 0x04                    ; ICW3: a slave on IRQ 2
    out 0x21, al
    mov al, 0x01                    ; ICW4: 8086 mode
    out 0x21, al
    mov al, 0x11
    out 0xa0, al
    mov al, 0x70                    ; IRQ 8-15 at 70h-77h
    out 0xa1, al
    mov al, 0x02                    ; cascade identity 2
    out 0xa1, al
    mov al, 0x01
    out 0xa1, al
    mov al, [master_imr]            ; OCW1: the masks as before
    out 0x21, al
    mov al, [slave_imr]
    out 0xa1, al
    in al, 0x21
    cmp al, [master_imr]
    CHECK e, "master_imr_set_after_icw_sequence"
    in al, 0xa1
    cmp al, [slave_imr]
    CHECK e, "slave_imr_set_after_icw_sequence"
    mov eax, [BDA_TICKS]
    mov [ticks0], eax
    sti
    mov cx, 400                     ; HLT wakes on each IRQ; a tick is 55 ms
.wait:
    hlt
    mov eax, [BDA_TICKS]
    sub eax, [ticks0]
    cmp eax, 2
    jae .ticked
    loop .wait
.ticked:
    cmp eax, 2
    CHECK ae, "timer_ticks_reach_vector_08h_after_icw_sequence", "the BIOS tick count did not advance"

    ; ---- the classes of plain work and BIOS services, IRQs masked
    cli
    mov al, 0xff
    out 0x21, al
    sti                             ; as a guest runs: IF on, the PIC quiet

    CLASS_BEGIN ALU_LOOPS
.alu:
%rep 4
    add ax, bx
    xor dx, ax
    shl bx, 1
    mov si, dx
    sub di, si
    and ax, 0x7fff
    or dx, 3
    shr si, 2
    mov bx, ax
    inc di
    adc ax, dx
    rol dx, 3
    not si
%endrep
    mov ax, di                      ; 4 x 13 + 1 = 53
    CLASS_END .alu, ALU_LOOPS, "alu_iteration_ticks=0x"

    CLASS_BEGIN FLAGS_LOOPS
.flags:
%rep 4
    pushf
    cli
    popf
    sti
%endrep
    CLASS_END .flags, FLAGS_LOOPS, "flags_iteration_ticks=0x"

    CLASS_BEGIN BIOS_LOOPS
.int1a:
    xor ah, ah                      ; AH=00h: ticks since midnight in CX:DX
    int 0x1a
    CLASS_END .int1a, BIOS_LOOPS, "int1a_iteration_ticks=0x"

    CLASS_BEGIN BIOS_LOOPS
.int16:
    mov ah, 0x01                    ; AH=01h: is a key waiting? (ZF)
    int 0x16
    CLASS_END .int16, BIOS_LOOPS, "int16_iteration_ticks=0x"

    CLASS_BEGIN BIOS_LOOPS
.int13:
    mov ah, 0x01                    ; AH=01h: status of the last operation
    mov dl, [rm_boot_drive]
    int 0x13
    CLASS_END .int13, BIOS_LOOPS, "int13_iteration_ticks=0x"

    cld
    CLASS_BEGIN MOVSB_LOOPS
.movsb:
    mov esi, RM_BUF
    mov edi, RM_BUF2
    mov ecx, 256
    a32 rep movsb
    CLASS_END .movsb, MOVSB_LOOPS, "movsb_iteration_ticks=0x"

    ; ---- per-event classes for tests/bench.py's cost model
    CLASS_BEGIN EVENT_LOOPS
.cpuid:
    xor eax, eax
    cpuid                           ; a VM exit in every hv mode
    CLASS_END .cpuid, EVENT_LOOPS, "cpuid_iteration_ticks=0x"

    CLASS_BEGIN EVENT_LOOPS
.cmos:
    in al, 0x71                     ; the hv's CMOS: an I/O exit
    CLASS_END .cmos, EVENT_LOOPS, "cmos_iteration_ticks=0x"

    CLASS_BEGIN EVENT_LOOPS
.pic:
    mov al, 0x0a                    ; OCW3: read the IRR (the chip's default)
    out 0x20, al                    ; assist: a VM86 #GP into vmxassist
    CLASS_END .pic, EVENT_LOOPS, "pic_iteration_ticks=0x"

    ; The IRQ class: the same spin loop once with the PIC quiet for
    ; SPIN_LOOPS iterations, then with IRQ 0 alone unmasked until the BIOS
    ; tick count has advanced IRQ_COUNT times. bench.py takes the cost of an
    ; IRQ (its delivery and the BIOS's handler) from the difference.
    xor ebx, ebx
    dec ebx                         ; a tick count never reached
    mov edx, SPIN_LOOPS
    rdtsc
    mov [t0], eax
    mov [t0 + 4], edx
    mov edx, SPIN_LOOPS
    call spin
    rdtsc
    sub eax, [t0]
    INFO "spin_reference_ticks=0x"
    PUTHEX
    NEWLINE
    cli
    mov al, 0xfe                    ; IRQ 0 only
    out 0x21, al
    sti
    mov ebx, [BDA_TICKS]
    inc ebx
    xor edx, edx                    ; no iteration limit
    call spin                       ; to the next tick: the window starts after an IRQ
    add ebx, IRQ_COUNT
    rdtsc
    mov [t0], eax
    mov [t0 + 4], edx
    xor edx, edx
    call spin
    rdtsc
    sub eax, [t0]
    INFO "irq_spin_ticks=0x"
    PUTHEX
    NEWLINE
    mov eax, ecx
    INFO "irq_spin_iterations=0x"
    PUTHEX
    NEWLINE

    ; The HLT class, IRQ 0 still alone: IRQ_COUNT times, HLT (idle to the
    ; next tick), then the spin loop to the tick after. What a HLT costs
    ; beyond the idle time (its exit, the way back after the IRQ) is spin
    ; time lost: bench.py compares the iterations with the native run's.
    mov ebx, [BDA_TICKS]
    inc ebx
    xor edx, edx
    call spin                       ; the window starts after an IRQ
    rdtsc
    mov [t0], eax
    mov [t0 + 4], edx
    mov dword [hlt_iterations], 0
    mov word [hlt_left], IRQ_COUNT
.hlt:
    hlt                             ; wakes at the next IRQ 0
    mov ebx, [BDA_TICKS]
    inc ebx
    xor edx, edx
    call spin
    add [hlt_iterations], ecx
    dec word [hlt_left]
    jnz .hlt
    rdtsc
    sub eax, [t0]
    INFO "hlt_spin_ticks=0x"
    PUTHEX
    NEWLINE
    mov eax, [hlt_iterations]
    INFO "hlt_spin_iterations=0x"
    PUTHEX
    NEWLINE

    cli
    mov al, [master_imr]
    out 0x21, al
    sti

    ; ---- the switch class: real -> 16-bit protected -> real
    cli
    SWITCH_ROUND_TRIPS SWITCH_LOOPS
    mov ecx, SWITCH_LOOPS
    call per_iteration
    INFO "switch_iteration_ticks=0x"
    PUTHEX
    NEWLINE
    sti
    mov eax, cr0
    and eax, CR0_PE
    CHECK_EAX 0, "switch_loop_ends_in_real_mode"
    mov ax, cs
    movzx eax, ax
    CHECK_EAX 0, "switch_loop_ends_with_real_mode_cs"
    jmp rm_finish

; spin: ECX = iterations of 13 ALU instructions until ECX reaches EDX or
; the BIOS tick count reaches EBX (EAX, SI, DI changed).
spin:
    xor ecx, ecx
.loop:
%rep 3
    add si, di
    xor di, 0x1234
    shl si, 1
    sub di, si
%endrep
    not si
    inc ecx
    cmp ecx, edx
    je .out
    cmp [BDA_TICKS], ebx
    jb .loop
.out:
    ret

; EAX = (EDX:EAX - [t0]) / ECX
per_iteration:
    sub eax, [t0]
    sbb edx, [t0 + 4]
    div ecx
    ret

    align 4, db 0
t0:             dq 0
ticks0:         dd 0
hlt_iterations: dd 0
hlt_left:       dw 0
master_imr:     db 0
slave_imr:      db 0

RM_CODE_END
RM_IMAGE_END
