; boot.asm - multiboot v1 and multiboot2 headers and the hv's way from
; 32-bit protected mode (as GRUB leaves it) into 64-bit long mode at the top
; of RAM.
;
; GRUB state on entry (Multiboot 0.6.96, 3.2): EAX = 0x2BADB002, EBX = physical
; address of the multiboot info, flat 4 GiB CS/DS, paging off, interrupts off,
; no usable stack. Multiboot2 (3.3, i386 state) is the same with EAX =
; 0x36D76289 and EBX = the multiboot2 information: GRUB x86_64-efi on a UEFI
; PC enters so too, boot services exited, because our header has no EFI
; boot-services tag (tag 7) and no EFI amd64 entry (tag 9).

%include "include/poweroff.inc"
%include "cr.inc"                 ; CR0_PE ... (build/gen, from include/x86/cr.h)
bits 32
default abs

MB_MAGIC     equ 0x1BADB002
MB_PAGEALIGN equ 1 << 0           ; modules on 4 KiB boundaries
MB_MEMINFO   equ 1 << 1           ; we want mem_upper and the memory map
MB_AOUT      equ 1 << 16          ; load addresses are in the header, not the ELF
MB_FLAGS     equ MB_PAGEALIGN | MB_MEMINFO | MB_AOUT

MB2_MAGIC    equ 0xE85250D6       ; Multiboot2 3.1.1
MB2_BOOT_MAGIC equ 0x36D76289     ; EAX at the entry (3.3)
MB2_ARCH_I386 equ 0               ; 32-bit protected mode
MB2_TAG_OPTIONAL equ 1
MB2_INFO_MODULE equ 3             ; information tags the frame choice reads
MB2_INFO_MMAP equ 6
RAM_LIMIT    equ 0x40000000       ; the hv goes below 1 GiB, as with multiboot v1

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

; The multiboot2 header (GRUB loads either; grub.cfg uses multiboot2 on UEFI).
; hv.bin is a flat image, so the address tag gives the load addresses as the
; a.out kludge does. No relocatable tag (type 10): the 32-bit code below runs
; at its link address (absolute addresses for its stack, variables, GDT and
; far jump), so GRUB must load the image at 1 MiB; only the copy it then
; makes of itself moves. OVMF leaves 1 MiB free (test
; uefi_ovmf_boot_reaches_the_no_vtx_line); a firmware that does not makes
; GRUB say that it cannot allocate the image. Making .boot position
; independent (a base register from call/pop on every address) would lift that.
align 8
mb2_header:
    dd MB2_MAGIC
    dd MB2_ARCH_I386
    dd mb2_header_end - mb2_header
    dd (0x100000000 - (MB2_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))) & 0xFFFFFFFF
align 8
    dw 2, 0                       ; address tag
    dd 24
    dd mb2_header                 ; header_addr
    dd HV_LOAD                    ; load_addr
    dd __load_end_lma             ; load_end_addr
    dd __bss_end_lma              ; bss_end_addr
align 8
    dw 3, 0                       ; entry address tag
    dd 12
    dd boot_entry32
align 8
    dw 5, MB2_TAG_OPTIONAL        ; framebuffer tag: any mode (0 x 0 x 0); GRUB
    dd 20                         ; then passes the framebuffer it set (info tag 8)
    dd 0, 0, 0
align 8
    dw 6, 0                       ; module alignment tag: modules on page boundaries
    dd 8
align 8
    dw 0, 0                       ; end tag
    dd 8
mb2_header_end:

section .boot
boot_entry32:
    cli
    cld
    mov esp, boot_stack_top
    mov [boot_mbi], ebx
    mov [boot_magic], eax
    cmp eax, MB2_BOOT_MAGIC
    je .magic_ok
    cmp eax, 0x2BADB002
    mov esi, msg_magic
    jne early_fail
.magic_ok:

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

    ; Choose the 2 MiB frame F: the image goes to F + HV_LOAD. Multiboot2:
    ; the highest F the memory map allows (mb2_choose_frame).
    mov ebx, [boot_mbi]
    cmp dword [boot_magic], MB2_BOOT_MAGIC
    jne .v1_frame
    call mb2_choose_frame
    mov esi, msg_nomem
    test eax, eax
    jz early_fail
    jmp .have_frame
.v1_frame:
    ; Multiboot v1: just below the end of the first contiguous RAM above
    ; 1 MiB (mem_upper).
    mov esi, msg_nomem
    test dword [ebx], MB_MEMINFO >> 1 ; flags bit 0: mem_upper valid
    jz early_fail
    mov eax, [ebx + 8]            ; mem_upper, KiB above 1 MiB
    cmp eax, 0x3FF00000 >> 10     ; end at most at 1 GiB (RAM_LIMIT), the shift below 4 GiB
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
.have_frame:
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
    or eax, CR4_PAE
    mov cr4, eax
    mov ecx, 0xC0000080           ; IA32_EFER
    rdmsr
    or eax, 1 << 8                ; LME
    wrmsr
    mov eax, cr0
    and eax, ~(CR0_NW | CR0_CD)   ; GRUB may leave caching off
    or eax, CR0_PG | CR0_PE
    mov cr0, eax
    lgdt [boot_gdtr]
    jmp 0x08:boot_entry64

; mb2_choose_frame: EBX = the multiboot2 information; returns EAX = F, or 0.
; For each RAM entry of the memory map tag (type 1, below RAM_LIMIT) the
; highest 2 MiB-aligned F whose copy [F + HV_LOAD, F + __bss_end_lma) lies
; in the entry, above the image GRUB loaded, and clear of the information
; block and of every module (with the 64 KiB gap below the hv that main.c
; keeps for the guest's identity page directory); of those, the highest. On
; a UEFI PC the RAM above 1 MiB comes in pieces (firmware data, ACPI NVS),
; and GRUB puts modules anywhere in it: the first piece alone may be small.
mb2_choose_frame:
    xor eax, eax
    mov [mb2_best], eax
    lea esi, [ebx + 8]            ; the first tag
.tag:
    mov eax, [esi]                ; tag type
    test eax, eax
    jz .done                      ; the end tag
    cmp eax, MB2_INFO_MMAP
    jne .next_tag
    mov eax, [esi + 4]
    add eax, esi
    mov [mb2_mmap_end], eax
    lea edi, [esi + 16]           ; the first entry (after entry_size, entry_version)
.entry:
    lea eax, [edi + 24]
    cmp eax, [mb2_mmap_end]
    ja .next_tag
    cmp dword [edi + 16], 1       ; type 1: RAM
    jne .next_entry
    cmp dword [edi + 4], 0        ; based above 4 GiB
    jne .next_entry
    mov eax, [edi]
    mov [mb2_region], eax
    xor edx, edx
    add eax, [edi + 8]            ; end = base + length, 64-bit
    adc edx, [edi + 12]
    jnz .clamp
    cmp eax, RAM_LIMIT
    jbe .try
.clamp:
    mov eax, RAM_LIMIT
.try:                             ; EAX = the end the copy must stay below
    sub eax, __bss_end_lma
    jc .next_entry
    and eax, ~0x1FFFFF
    cmp eax, __bss_end_lma        ; not over the image GRUB loaded at 1 MiB
    jb .next_entry
    lea edx, [eax + HV_LOAD]
    cmp edx, [mb2_region]         ; inside the entry
    jb .next_entry
    cmp eax, [mb2_best]
    jbe .next_entry               ; no higher than one found already
    call mb2_obstacle
    jnc .take
    mov eax, ecx                  ; in the way: try below the obstacle
    jmp .try
.take:
    mov [mb2_best], eax
.next_entry:
    add edi, [esi + 8]            ; entry_size
    jmp .entry
.next_tag:
    mov eax, [esi + 4]            ; size, then to the next 8-byte boundary
    add eax, 7
    and eax, ~7
    add esi, eax
    jmp .tag
.done:
    mov eax, [mb2_best]
    ret

; CF = 1 and ECX = the obstacle's start when [EAX + HV_LOAD - 64 KiB,
; EAX + __bss_end_lma) meets the multiboot2 information (EBX) or a module.
mb2_obstacle:
    push esi
    push edx
    lea edx, [eax + HV_LOAD - 0x10000]
    mov [mb2_lo], edx
    lea edx, [eax + __bss_end_lma]
    mov [mb2_hi], edx
    mov ecx, ebx                  ; the information block: [EBX, EBX + total_size)
    mov edx, [ebx]
    add edx, ebx
    call .meets
    jc .out
    lea esi, [ebx + 8]
.tag:
    mov edx, [esi]
    test edx, edx
    jz .clear
    cmp edx, MB2_INFO_MODULE
    jne .next
    mov ecx, [esi + 8]            ; mod_start
    mov edx, [esi + 12]           ; mod_end
    call .meets
    jc .out
.next:
    mov edx, [esi + 4]
    add edx, 7
    and edx, ~7
    add esi, edx
    jmp .tag
.clear:
    clc
.out:
    pop edx
    pop esi
    ret
.meets:                           ; CF = [ECX, EDX) meets [mb2_lo, mb2_hi)
    cmp ecx, [mb2_hi]
    jae .no
    cmp [mb2_lo], edx
    jae .no
    stc
    ret
.no:
    clc
    ret

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
    mov edi, [boot_mbi]           ; hv_main(mbi physical, frame F, EAX at the entry)
    mov esi, ebp
    mov edx, [boot_magic]
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
boot_magic: dd 0                  ; EAX at the entry: which multiboot
mb2_best:   dd 0                  ; mb2_choose_frame's variables
mb2_region: dd 0
mb2_mmap_end: dd 0
mb2_lo:     dd 0
mb2_hi:     dd 0

msg_magic:    db "vmxlab: error: not started by a multiboot or multiboot2 loader (bad EAX magic)", 13, 10, 0
msg_nolm:     db "vmxlab: error: this CPU has no 64-bit long mode", 13, 10, 0
msg_nomem:    db "vmxlab: error: no usable memory size from the boot loader, or too little RAM", 13, 10, 0

align 16
    times 256 db 0
boot_stack_top:

section .pagetables nobits alloc write align=4096
boot_pml4:
    resb 0x8000

section .note.GNU-stack noalloc noexec nowrite progbits
