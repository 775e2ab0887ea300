; kernel.asm - a tiny multiboot v1 kernel for the GRUB guest: GRUB (running
; in the guest, through all its real <-> protected mode switches for BIOS
; disk reads) loads it from a CD; it checks what GRUB handed over, prints on
; COM1 and powers off through port 0xf4.
bits 32
org 0x100000

MB_MAGIC equ 0x1BADB002
MB_FLAGS equ (1 << 1) | (1 << 16)   ; memory info, a.out kludge (addresses below)

header:
    dd MB_MAGIC, MB_FLAGS, -(MB_MAGIC + MB_FLAGS)
    dd header, header, image_end, image_end, start

start:
    mov esp, 0x90000
    mov edi, eax                    ; multiboot magic
    mov esi, msg_start
    call puts
    cmp edi, 0x2BADB002
    jne fail
    test dword [ebx], 1             ; mem_lower/mem_upper present
    jz fail
    mov eax, [ebx + 8]              ; mem_upper, KiB above 1 MiB
    cmp eax, 1024                   ; at least 1 MiB of extended memory
    jb fail
    mov esi, msg_pass
    call puts
    xor al, al
    out 0xf4, al
    jmp halt
fail:
    mov esi, msg_fail
    call puts
    mov al, 1
    out 0xf4, al
halt:
    cli
    hlt
    jmp halt

puts:
    lodsb
    test al, al
    jz .done
    mov ah, al
    mov dx, 0x3fd
.wait:
    in al, dx
    test al, 0x20
    jz .wait
    mov dx, 0x3f8
    mov al, ah
    out dx, al
    jmp puts
.done:
    ret

msg_start: db "grubguest: multiboot kernel started by the guest's GRUB", 13, 10, 0
msg_pass:  db "PASS: grub_loads_multiboot_kernel_with_memory_info", 13, 10, "SUMMARY: 1 tests, 0 failures", 13, 10, 0
msg_fail:  db "FAIL: grub_loads_multiboot_kernel_with_memory_info", 13, 10, "SUMMARY: 1 tests, 1 failures", 13, 10, 0
image_end:
