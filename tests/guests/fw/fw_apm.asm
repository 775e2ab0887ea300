; fw_apm.asm - a DOS-era shutdown through the APM BIOS (INT 15h AH=53h, APM
; 1.2): installation check, real-mode connect (twice: the second is refused),
; the protected-mode connects (refused: not supported), driver version,
; enable power management, then 5307h BX=0001h (all devices) CX=0003h (off),
; which must power the machine off: status 0. If it returns, FAIL.
%define GUEST_NAME "fw_apm"
%include "rm.inc"

%macro APM 3                            ; APM AX, BX, CX
    mov ax, %1
    mov bx, %2
    mov cx, %3
    int 0x15
%endmacro

main:
    APM 0x5300, 0x0000, 0
    CHECK nc, "apm_5300h_installed", "CF=1: no APM BIOS"
    push bx
    push cx
    movzx eax, ax
    CHECK_EAX 0x0102, "apm_5300h_version_1_2"
    pop cx
    pop bx
    movzx eax, bx
    CHECK_EAX 0x504d, "apm_5300h_signature_pm"
    INFO "APM flags "
    movzx eax, cx
    PUTHEX
    NEWLINE

    APM 0x5301, 0x0000, 0
    CHECK nc, "apm_5301h_real_mode_connect", "CF=1"
    APM 0x5301, 0x0000, 0
    jnc .twice
    movzx eax, ah
    CHECK_EAX 0x02, "apm_5301h_second_connect_refused_with_02h"
    jmp .pm
.twice:
    FAIL "apm_5301h_second_connect_refused_with_02h", "CF=0"
.pm:
    APM 0x5303, 0x0000, 0
    jnc .pm32
    movzx eax, ah
    CHECK_EAX 0x08, "apm_5303h_32bit_connect_refused_with_08h"
    jmp .version
.pm32:
    FAIL "apm_5303h_32bit_connect_refused_with_08h", "CF=0 (and no 32-bit interface is offered)"
.version:
    APM 0x530e, 0x0000, 0x0102
    CHECK nc, "apm_530eh_driver_version", "CF=1"
    movzx eax, ax
    CHECK_EAX 0x0102, "apm_530eh_version_in_effect_1_2"
    APM 0x5308, 0x0001, 1
    CHECK nc, "apm_5308h_enable_power_management", "CF=1"
    APM 0x5307, 0x0001, 0x0002           ; suspend: vmxlab has no sleep states
    jnc .suspended
    movzx eax, ah
    CHECK_EAX 0x60, "apm_5307h_suspend_refused_with_60h"
    jmp .off
.suspended:
    FAIL "apm_5307h_suspend_refused_with_60h", "CF=0"
.off:
    INFOLN "5307h BX=0001h CX=0003h: power off"
    APM 0x5307, 0x0001, 0x0003
    pushf
    movzx eax, ah
    INFO "5307h returned AH="
    PUTHEX
    NEWLINE
    popf
    FAIL "apm_5307h_off_powers_off", "INT 15h AX=5307h CX=0003h returned"
    jmp rm_finish

RM_CODE_END
RM_IMAGE_END
