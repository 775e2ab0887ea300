; ioguest.asm - the trapped I/O ports, before any CPUID: a line through the
; debug port 0xE9, the hv's virtual CMOS memory size (registers 17h/18h:
; KiB above 1 MiB, at most 15 MiB), and power-off by writing the status to
; port 0xF4. Lab 2's graded guest for the I/O handler (labs/lab2-vmcs-exits.md).
%include "guest32.inc"

guest_main:
    guest_start
    mov esi, io_msg
    call guest_puts_e9
    in al, 0xe9                 ; Bochs and QEMU answer 0xE9 on the debug port
    cmp al, 0xe9
    check e, "in_from_debug_port_reads_e9"

    mov al, 0x17                ; CMOS extended memory, low byte
    out 0x70, al
    in al, 0x71
    mov bl, al
    mov al, 0x18                ; high byte
    out 0x70, al
    in al, 0x71
    mov bh, al
    cmp bx, 0x3c00              ; 15 MiB: the machine has 256 MiB
    check e, "cmos_17h_18h_report_15_mib_above_1_mib"

    mov edi, linebuf            ; the SUMMARY line, then power-off through port 0xF4
    mov esi, summary_a
    call append_str
    mov eax, [tests_run]
    call append_dec
    mov esi, summary_b
    call append_str
    mov eax, [tests_failed]
    call append_dec
    mov esi, summary_c
    call append_str
    mov byte [edi], 0
    puts linebuf
    mov eax, [tests_failed]
    out 0xf4, al
    puts fail_msg               ; not reached
    hlt

io_msg:   db "ioguest: this line went through port 0xe9", 10, 0
fail_msg: db "FAIL: ioguest: still running after the write to port 0xf4", 10, 0
