; fw_reset_request.asm - a machine reset through the 8042 (command FEh, the
; way DOS reboot tools and many OSes reset a PC) under the hv: the run must
; end with one clear line naming the request, not reset the whole engine and
; boot GRUB again in a loop.
%define GUEST_NAME "fw_reset_request"
%include "rm.inc"

main:
    INFOLN "resetting through the 8042 (command FEh)"
    mov dx, COM1 + 5
.drain:
    in al, dx
    test al, 0x40                   ; LSR.TEMT: the line is out
    jz .drain
    cli
.wait:
    in al, 0x64
    test al, 2                      ; input buffer full: wait
    jnz .wait
    mov al, 0xfe
    out 0x64, al
    hlt
    FAIL "kbc_reset_request_ends_the_run", "the guest went on after 8042 command FEh"
    jmp rm_finish

RM_CODE_END
RM_IMAGE_END
