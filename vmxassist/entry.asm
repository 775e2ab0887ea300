; entry.asm - vmxassist's ways in: the image header, the boot entry (from
; vmxloader), the invoke entry (from the hv after the guest cleared CR0.PE),
; one stub per interrupt vector, and the way out into VM86.
bits 32
%include "exception.inc"     ; VECTOR_DE ... (build/gen, from include/x86/exception.h)

extern assist_boot, assist_invoke, assist_trap, __assist_end
global enter_vm86, assist_stack_top, assist_stack_bottom, vector_stubs, assist_invoke_entry

FRAME_SIZE equ 19 * 4           ; struct trap_frame (vmxassist/monitor.h)
DATA_SEL   equ 0x10

section .header
    dd 0x54535341               ; VMXLAB_ASSIST_MAGIC "ASST"
    dd assist_boot_entry
    dd __assist_end - 0xd0000

section .text
; Called by vmxloader as void entry(struct vmxlab_handoff *).
assist_boot_entry:
    mov eax, [esp + 4]
    mov esp, assist_stack_top - FRAME_SIZE
    push assist_stack_top - FRAME_SIZE ; assist_boot(handoff, frame)
    push eax
    call assist_boot
.halt:
    hlt
    jmp .halt

; The hv starts us here with our CS, SS, TR, GDT and IDT and ESP =
; assist_stack_top; DS, ES, FS and GS are still the guest's protected-mode
; ones (hv/assist.c): load ours before touching memory.
assist_invoke_entry:
    mov ax, DATA_SEL
    mov ds, ax
    mov es, ax
    mov fs, ax
    mov gs, ax
    mov esp, assist_stack_top - FRAME_SIZE
    push assist_stack_top - FRAME_SIZE ; assist_invoke(frame)
    call assist_invoke
.halt:
    hlt
    jmp .halt

; void enter_vm86(struct trap_frame *f): load the frame's registers and IRET
; into VM86 (the frame's EFLAGS has VM set, so IRET pops ESP, SS, ES, DS, FS, GS).
enter_vm86:
    mov esp, [esp + 4]
    popad
    add esp, 8                  ; vector and error code
    iret

; Interrupt and exception stubs: an error code where the CPU pushes none,
; the vector, the GPRs, then assist_trap(frame).
%macro STUB 1
stub_%1:
%if %1 <> VECTOR_DF && %1 <> VECTOR_TS && %1 <> VECTOR_NP && %1 <> VECTOR_SS && %1 <> VECTOR_GP && %1 <> VECTOR_PF \
    && %1 <> VECTOR_AC
    push 0
%endif
    push %1
    jmp trap_common
%endmacro
%assign v 0
%rep 256
STUB v
%assign v v+1
%endrep

trap_common:
    pushad
    cld                         ; an interrupt gate keeps the guest's DF, and
                                ; gcc's string instructions assume DF=0 (SysV ABI)
    mov ax, DATA_SEL            ; from VM86 the data segments arrive null
    mov ds, ax
    mov es, ax
    push esp
    call assist_trap
    add esp, 4
    popad
    add esp, 8
    iret

section .rodata
align 4
vector_stubs:
%assign v 0
%rep 256
    dd stub_ %+ v
%assign v v+1
%endrep

; MOV DRn for the emulator (monitor.c op_mov_dr): DRn's read at 8n, its
; write at 8n + 4; the value in EAX. The register number is part of the
; opcode, hence a stub each.
section .text
global assist_dr_stubs
assist_dr_stubs:
%assign n 0
%rep 8
    mov eax, dr %+ n
    ret
    mov dr %+ n, eax
    ret
%assign n n+1
%endrep

section .bss
align 16
; 6 KiB: gcc -fstack-usage gives frames of at most ~300 bytes and the deepest
; chain (trap -> emulator -> handler -> fault delivery -> fatal message) is
; under 2 KiB; the canary below stops the run with a message if it ever runs over.
assist_stack_bottom:            ; a canary lives here (monitor.c)
    resb 6144
assist_stack_top:

section .note.GNU-stack noalloc noexec nowrite progbits
