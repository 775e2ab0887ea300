; dmaguest.asm - an IDE bus-master DMA into the hv's memory must fail the way
; a device fails (the bus-master status register's error bit, the drive's
; command still ends with its interrupt) and leave the hv intact; a DMA into
; guest RAM must still work. Needs a hard disk as the primary channel's
; slave (tests.ini `drive`), whose sector 0 ends in 55h AAh.
%include "guest32.inc"

PCI_ADDR       equ 0xcf8
PCI_DATA       equ 0xcfc
PCI_CLASS_IDE  equ 0x0101
ATA_COUNT      equ 0x1f2
ATA_LBA0       equ 0x1f3
ATA_LBA1       equ 0x1f4
ATA_LBA2       equ 0x1f5
ATA_DRIVE      equ 0x1f6
ATA_STATUS     equ 0x1f7                ; reads; writes are the command
ATA_READ_DMA   equ 0xc8
BM_START       equ 1
BM_TO_MEMORY   equ 8                    ; the device writes memory: a disk read
BM_ERROR       equ 2
BM_INTERRUPT   equ 4
PRD_EOT        equ 0x80000000
; Where the hv sits with the runner's 256 MiB ("hv at 0xfd00000-..." on
; COM1; tests.ini checks that line). Were it elsewhere the hv would not
; refuse the DMA and blocked_dma=1 would fail the test.
HV_TARGET      equ 0xfd00000
BUFFER         equ 0x30000
NEW_BMIBA      equ 0xd000               ; free in Bochs' I/O space (its BIOS starts at C000h)

guest_main:
    guest_start
    puts hello
    ; the IDE function on PCI bus 0: class 01h, subclass 01h
    xor ebx, ebx
.scan:
    mov eax, ebx
    shl eax, 8
    or eax, 0x80000008
    mov dx, PCI_ADDR
    out dx, eax
    mov dx, PCI_DATA
    in eax, dx
    shr eax, 16
    cmp ax, PCI_CLASS_IDE
    je .found
    inc ebx
    cmp ebx, 256
    jb .scan
.found:
    cmp ebx, 256
    check b, "pci_ide_function_found"
    cmp ebx, 256                        ; (check leaves the flags changed)
    jae guest_finish
    mov eax, ebx                        ; command register: I/O space and bus master on
    shl eax, 8
    or eax, 0x80000004
    mov dx, PCI_ADDR
    out dx, eax
    mov dx, PCI_DATA
    in eax, dx
    or eax, 5
    out dx, eax
    mov [ide_fn], ebx
    mov eax, ebx                        ; BAR4: the bus-master registers
    shl eax, 8
    or eax, 0x80000020
    mov dx, PCI_ADDR
    out dx, eax
    mov dx, PCI_DATA
    in eax, dx
    and eax, 0xfffc
    mov [bmiba], eax
    test eax, eax
    check nz, "ide_bus_master_has_its_ports"
    cmp dword [bmiba], 0
    je guest_finish

    ; sector 0 into the hv's first page
    mov dword [prd], HV_TARGET
    mov dword [prd + 4], PRD_EOT | 512
    call dma_read_sector
    mov [status], al
    test byte [status], BM_ERROR
    check nz, "dma_into_hv_memory_sets_the_error_bit"
    test byte [status], BM_INTERRUPT
    check nz, "dma_into_hv_memory_still_ends_with_the_interrupt"
    mov edx, [bmiba]                    ; write 1s: clear interrupt and error
    add edx, 2
    mov al, BM_ERROR | BM_INTERRUPT
    out dx, al
    in al, dx
    test al, BM_ERROR
    check z, "error_bit_clears_when_written_with_1"
    mov eax, VMCALL_VERSION             ; the hv still answers
    vmcall
    cmp eax, 1
    check e, "hv_still_answers_after_the_refused_dma"

    ; the same sector into guest RAM
    mov word [BUFFER + 510], 0
    mov dword [prd], BUFFER
    mov dword [prd + 4], PRD_EOT | 512
    call dma_read_sector
    mov [status], al
    test byte [status], BM_ERROR
    check z, "dma_into_guest_ram_has_no_error"
    cmp word [BUFFER + 510], 0xaa55
    check e, "dma_into_guest_ram_reads_the_sector"

    ; the bus master moved to other ports (BAR4): the hv follows it
    mov eax, [ide_fn]
    shl eax, 8
    or eax, 0x80000020
    mov dx, PCI_ADDR
    out dx, eax
    mov dx, PCI_DATA
    mov eax, NEW_BMIBA | 1              ; an I/O BAR
    out dx, eax
    in eax, dx
    and eax, 0xfffc
    mov [bmiba], eax
    cmp eax, NEW_BMIBA
    check e, "bus_master_moves_to_new_ports"
    mov dword [prd], HV_TARGET
    mov dword [prd + 4], PRD_EOT | 512
    call dma_read_sector
    test al, BM_ERROR
    check nz, "dma_into_hv_memory_through_the_moved_ports_sets_the_error_bit"
    mov eax, VMCALL_STATS
    xor ebx, ebx
    vmcall
    jmp guest_finish

; READ DMA of sector 0 from the primary slave through the PRD table at prd.
; Returns AL = the bus-master status once its interrupt bit is set (or after
; a timeout).
dma_read_sector:
    mov edx, [bmiba]
    xor al, al
    out dx, al                          ; stopped
    add edx, 2
    mov al, BM_ERROR | BM_INTERRUPT
    out dx, al                          ; status cleared
    add edx, 2
    mov eax, prd
    out dx, eax                         ; the PRD table
    call ata_wait
    mov dx, ATA_DRIVE
    mov al, 0xf0                        ; LBA, slave, LBA 27:24 = 0
    out dx, al
    call ata_wait
    mov dx, ATA_COUNT
    mov al, 1
    out dx, al
    xor al, al
    mov dx, ATA_LBA0
    out dx, al
    mov dx, ATA_LBA1
    out dx, al
    mov dx, ATA_LBA2
    out dx, al
    mov dx, ATA_STATUS
    mov al, ATA_READ_DMA
    out dx, al
    mov edx, [bmiba]
    mov al, BM_START | BM_TO_MEMORY
    out dx, al
    add edx, 2
    mov ecx, 2000000
.poll:
    in al, dx
    test al, BM_INTERRUPT
    jnz .done
    loop .poll
.done:
    push eax
    mov edx, [bmiba]
    mov al, BM_TO_MEMORY
    out dx, al                          ; START off
    mov dx, ATA_STATUS
    in al, dx                           ; the drive's interrupt acknowledged
    pop eax
    ret

ata_wait:                               ; until BSY is clear
    mov dx, ATA_STATUS
    mov ecx, 1000000
.busy:
    in al, dx
    test al, 0x80
    jz .ready
    loop .busy
.ready:
    ret

hello:  db "dmaguest: IDE bus-master DMA into the hv's memory, then into guest RAM", 10, 0
align 8
prd:    dd 0, 0
bmiba:  dd 0
ide_fn: dd 0
status: db 0
