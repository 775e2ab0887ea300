; entry.asm - vmxloader's first instructions, its payloads, and the way to
; real mode for mode=ug. The hv enters at VMXLAB_GUEST_LOAD (0x10000) in flat
; 32-bit protected mode with EAX = "VMXL" and EBX = the handoff block.
bits 32
%include "cr.inc"                 ; CR0_PE ... (build/gen, from include/x86/cr.h)

LOAD equ 0x10000

extern loader_main
global ug_enter_bios
global own_rombios, own_rombios_end, own_vgabios, own_vgabios_end
global bochs_rombios, bochs_rombios_end, bochs_vgabios, bochs_vgabios_end, assist_image, assist_end

section .entry
    jmp short loader_start      ; over the image header
    align 4, db 0
; The image header (VMXLAB_LOADER_MAGIC, include/vmxlab/vmcall.h): the hv
; refuses a module that carries it but whose size or CRC-32 differ (a
; truncated or corrupt vmxloader). tools/seal-loader.py fills both in.
    dd 0x444c5856               ; "VXLD"
    dd 0                        ; the image's size in bytes
    dd 0                        ; CRC-32 of the image with this field zero
loader_start:
    cli
    cld
    mov esp, LOAD               ; the stack grows down from our load address
    push ebx                    ; loader_main(magic, handoff)
    push eax
    call loader_main
.halt:
    hlt
    jmp .halt

; void ug_enter_bios(void): leave protected mode by the book and jump to the
; BIOS reset vector. Only with unrestricted guest: the hv lets CR0.PE go.
ug_enter_bios:
    cli
    lgdt [gdt_desc]
    jmp 0x18:(pm16 - LOAD)      ; 16-bit code segment based at LOAD
bits 16
pm16:
    mov ax, 0x20                ; 16-bit data, base 0, limit 64 KiB
    mov ds, ax
    mov es, ax
    mov fs, ax
    mov gs, ax
    mov ss, ax
    mov eax, cr0
    and eax, ~CR0_PE
    mov cr0, eax
    jmp 0xf000:0xfff0           ; the reset vector, as after power-on
bits 32

align 8
gdt:
    dq 0
    dq 0x00cf9a000000ffff       ; 0x08 32-bit code
    dq 0x00cf92000000ffff       ; 0x10 32-bit data
    dq 0x00009a010000ffff       ; 0x18 16-bit code, base LOAD (0x10000)
    dq 0x000092000000ffff       ; 0x20 16-bit data, base 0
gdt_desc:
    dw gdt_desc - gdt - 1
    dd gdt

; Both firmware sets (hv option firmware=own|bochs picks one at run time):
; this tree's rombios and vgabios, and Debian's Bochs BIOS and LGPL vgabios.
section .rodata
align 16
own_rombios: incbin OWN_ROMBIOS
own_rombios_end:
align 16
own_vgabios: incbin OWN_VGABIOS
own_vgabios_end:
align 16
bochs_rombios: incbin BOCHS_ROMBIOS
bochs_rombios_end:
align 16
bochs_vgabios: incbin BOCHS_VGABIOS
bochs_vgabios_end:
align 16
assist_image: incbin ASSIST
assist_end:

section .note.GNU-stack noalloc noexec nowrite progbits
