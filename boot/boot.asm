; boot.asm - multiboot v1 header and the hv's way from 32-bit protected mode
; (as GRUB leaves it) into 64-bit long mode at the top of RAM.
;
; GRUB state on entry (Multiboot 0.6.96, 3.2): EAX = 0x2BADB002, EBX = physical
; address of the multiboot info, flat 4 GiB CS/DS, paging off, interrupts off,
; no usable stack.

%include "include/poweroff.inc"
bits 32
default abs

MB_MAGIC     equ 0x1BADB002
MB_PAGEALIGN equ 1 << 0           ; modules on 4 KiB boundaries
MB_MEMINFO   equ 1 << 1           ; we want mem_upper and the memory map
MB_AOUT      equ 1 << 16          ; load addresses are in the header, not the ELF
MB_FLAGS     equ MB_PAGEALIGN | MB_MEMINFO | MB_AOUT

HV_LOAD      equ 0x100000         ; where GRUB loads us (boot/hv.ld)
PT_PRESENT   equ 1
PT_WRITE     equ 2
PT_HUGE      equ 0x80             ; PS: 2 MiB page in a page directory
MAP_2M       equ PT_PRESENT | PT_WRITE | PT_HUGE
HIGH_PD_ENTRIES equ 4             ; 8 MiB of high mapping for the image

extern __load_end_lma, __bss_start_lma, __bss_end_lma, __pagetables_lma, __bss_size, __load_size
extern hv_main, hv_boot_stack_top
global boot_entry32, boot_pml4, boot_frame

section .multiboot
align 4
mb_header:
    dd MB_MAGIC
    dd MB_FLAGS
    dd (0x100000000 - (MB_MAGIC + MB_FLAGS)) & 0xFFFFFFFF
    dd mb_header                  ; header_addr
    dd HV_LOAD                    ; load_addr
    dd __load_end_lma             ; load_end_addr
    dd __bss_end_lma              ; bss_end_addr
    dd boot_entry32               ; entry_addr

section .boot
boot_entry32:
    cli
    cld
    mov esp, boot_stack_top
    mov [boot_mbi], ebx
    cmp eax, 0x2BADB002
    mov esi, msg_magic
    jne early_fail

    ; Long mode must exist (CPUID 80000001h:EDX bit 29).
    mov eax, 0x80000000
    cpuid
    cmp eax, 0x80000001
    mov esi, msg_nolm
    jb early_fail
    mov eax, 0x80000001
    cpuid
    bt edx, 29
    jnc early_fail

    ; Choose the 2 MiB frame F: the image goes to F + HV_LOAD, just below
    ; the end of the first contiguous RAM above 1 MiB (mem_upper).
    mov ebx, [boot_mbi]
    mov esi, msg_nomem
    test dword [ebx], MB_MEMINFO >> 1 ; flags bit 0: mem_upper valid
    jz early_fail
    mov eax, [ebx + 8]            ; mem_upper, KiB above 1 MiB
    cmp eax, 0x3FF00000 >> 10     ; keep the arithmetic below 4 GiB
    jbe .fits
    mov eax, 0x3FF00000 >> 10
.fits:
    shl eax, 10
    add eax, HV_LOAD              ; end of RAM
    sub eax, __bss_end_lma        ; room for [F + HV_LOAD, F + bss_end)
    jc early_fail
    and eax, ~0x1FFFFF
    cmp eax, __bss_end_lma        ; must not overlap the copy GRUB loaded
    jb early_fail
    mov ebp, eax                  ; EBP = F for the rest of the boot
    mov [boot_frame], eax

    ; Copy the loaded image and clear the bss at the destination.
    mov esi, HV_LOAD
    lea edi, [ebp + HV_LOAD]
    mov ecx, __load_size
    rep movsb
    lea edi, [ebp + __bss_start_lma]
    mov ecx, __bss_size
    xor eax, eax
    rep stosb

    ; Page tables (in the copied bss, already zero):
    ;   +0x0000 PML4: [0] -> low PDPT, [511] -> high PDPT
    ;   +0x1000 low PDPT: 4 entries -> 4 PDs, identity map of 0-4 GiB in 2 MiB pages
    ;   +0x2000 .. +0x5fff the 4 low PDs
    ;   +0x6000 high PDPT: [510] -> high PD
    ;   +0x7000 high PD: HV_VBASE + k*2M -> F + k*2M
    lea edx, [ebp + __pagetables_lma]
    lea eax, [edx + 0x1000 + PT_PRESENT + PT_WRITE]
    mov [edx], eax
    lea eax, [edx + 0x6000 + PT_PRESENT + PT_WRITE]
    mov [edx + 511 * 8], eax
    xor ecx, ecx
.low_pdpt:
    mov eax, ecx
    shl eax, 12
    lea eax, [edx + eax + 0x2000 + PT_PRESENT + PT_WRITE]
    mov [edx + 0x1000 + ecx * 8], eax
    inc ecx
    cmp ecx, 4
    jb .low_pdpt
    xor ecx, ecx
.low_pd:                          ; 2048 entries: physical ecx * 2 MiB
    mov eax, ecx
    shl eax, 21
    or eax, MAP_2M
    mov [edx + 0x2000 + ecx * 8], eax
    mov eax, ecx
    shr eax, 11                   ; bits 32+ of the address (ecx >> 11)
    mov [edx + 0x2000 + ecx * 8 + 4], eax
    inc ecx
    cmp ecx, 2048
    jb .low_pd
    lea eax, [edx + 0x7000 + PT_PRESENT + PT_WRITE]
    mov [edx + 0x6000 + 510 * 8], eax
    xor ecx, ecx
.high_pd:
    mov eax, ecx
    shl eax, 21
    add eax, ebp
    or eax, MAP_2M
    mov [edx + 0x7000 + ecx * 8], eax
    inc ecx
    cmp ecx, HIGH_PD_ENTRIES
    jb .high_pd

    ; Enter long mode (SDM Vol. 3A, 10.8.5): PAE, CR3, EFER.LME, then CR0.PG.
    mov cr3, edx
    mov eax, cr4
    or eax, 1 << 5                ; CR4.PAE
    mov cr4, eax
    mov ecx, 0xC0000080           ; IA32_EFER
    rdmsr
    or eax, 1 << 8                ; LME
    wrmsr
    mov eax, cr0
    and eax, ~(3 << 29)           ; clear CD and NW: GRUB may leave caching off
    or eax, (1 << 31) | 1         ; PG | PE
    mov cr0, eax
    lgdt [boot_gdtr]
    jmp 0x08:boot_entry64

; Print ESI (NUL-terminated) on COM1 and stop, trying each emulator's exit.
early_fail:
    mov dx, 0x3FD
.wait:
    in al, dx
    test al, 0x20
    jz .wait
    lodsb
    test al, al
    jz .off
    mov dx, 0x3F8
    out dx, al
    jmp early_fail
.off:
    mov al, 0x71                  ; VMXLAB_STATUS_BOOT_ERROR
    POWER_OFF_AL                  ; QEMU isa-debug-exit, then Bochs' "Shutdown"

bits 64
boot_entry64:
    mov ax, 0x10
    mov ds, ax
    mov es, ax
    mov ss, ax
    xor eax, eax
    mov fs, ax
    mov gs, ax
    mov rax, hv_boot_stack_top    ; high virtual address
    mov rsp, rax
    mov edi, [boot_mbi]           ; hv_main(mbi physical, frame F)
    mov esi, ebp
    mov rax, hv_main
    call rax
.halt:
    cli
    hlt
    jmp .halt

align 8
boot_gdt:
    dq 0
    dq 0x00AF9A000000FFFF         ; 0x08: 64-bit code
    dq 0x00CF92000000FFFF         ; 0x10: data
boot_gdtr:
    dw boot_gdtr - boot_gdt - 1
    dq boot_gdt

boot_mbi:   dd 0
boot_frame: dd 0

msg_magic:    db "vmxlab: error: not started by a multiboot loader (bad EAX magic)", 13, 10, 0
msg_nolm:     db "vmxlab: error: this CPU has no 64-bit long mode", 13, 10, 0
msg_nomem:    db "vmxlab: error: no usable memory size from the boot loader, or too little RAM", 13, 10, 0

align 16
    times 256 db 0
boot_stack_top:

section .pagetables nobits alloc write align=4096
boot_pml4:
    resb 0x8000

section .note.GNU-stack noalloc noexec nowrite progbits
