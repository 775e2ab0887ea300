; eptguest.asm - reads one dword from every page above 1 MiB: the first read
; of the hv's own pages must end in the hv's EPT-violation report.
%include "guest32.inc"

guest_main:
    guest_start
    puts hello
    mov esi, 0x100000
.next:
    mov eax, [esi]
    add esi, 0x1000
    jnz .next                   ; stops after wrapping past 4 GiB
    puts fail_msg
    mov eax, VMCALL_POWER_OFF
    mov ebx, 1
    vmcall

hello:    db "eptguest: reading every page above 1 MiB", 10, 0
fail_msg: db "FAIL: eptguest read all of 4 GiB without an EPT violation", 10, 0
