/* handoff-inc.c - prints the offsets test guests use in the handoff block
 * (include/vmxlab/handoff.h) as NASM equates, so that no guest copies them by
 * hand. The Makefile builds and runs it on the host: build/gen/handoff.inc. */
#include <stddef.h>
#include <stdio.h>
#include "vmxlab/handoff.h"

#define H(name, field) printf("H_%-16s equ %zu\n", name, offsetof(struct vmxlab_handoff, field))
#define C(name, field) printf("C_%-16s equ %zu\n", name, offsetof(struct vmxlab_context, field))
#define S(name, field) printf("S_%-16s equ %zu\n", name, offsetof(struct vmxlab_seg, field))

int main(void)
{
    printf("; generated from include/vmxlab/handoff.h by tools/handoff-inc.c: do not edit\n");
    printf("HANDOFF            equ 0x%x\n", VMXLAB_HANDOFF_ADDR);
    H("RAM_TOP", ram_top);
    H("N_E820", n_e820);
    H("E820", e820);
    printf("E820_SIZE          equ %zu\n", sizeof(struct vmxlab_e820));
    printf("E820_BASE          equ %zu\n", offsetof(struct vmxlab_e820, base));
    printf("E820_LEN           equ %zu\n", offsetof(struct vmxlab_e820, len));
    H("PM1A_EVT", acpi.pm1a_evt);
    H("ASSIST_INVOKE", assist_invoke);
    H("ASSIST_STACK", assist_stack);
    H("ASSIST_GDT", assist_gdt);
    H("ASSIST_IDT", assist_idt);
    H("ASSIST_TSS", assist_tss);
    H("ASSIST_GDT_LIMIT", assist_gdt_limit);
    H("ASSIST_IDT_LIMIT", assist_idt_limit);
    H("ASSIST_TSS_LIMIT", assist_tss_limit);
    H("CTX", ctx);
    printf("CTX_SIZE           equ %zu\n", sizeof(struct vmxlab_context));
    C("GPR", gpr);
    C("ESP", gpr[4]);
    C("EIP", eip);
    C("EFLAGS", eflags);
    C("CR0", cr0);
    C("CR3", cr3);
    C("CR4", cr4);
    C("GDTR_BASE", gdtr_base);
    C("GDTR_LIMIT", gdtr_limit);
    C("IDTR_BASE", idtr_base);
    C("IDTR_LIMIT", idtr_limit);
    C("ES", seg[VMXLAB_SEG_ES]);
    C("CS", seg[VMXLAB_SEG_CS]);
    C("SS", seg[VMXLAB_SEG_SS]);
    C("DS", seg[VMXLAB_SEG_DS]);
    C("FS", seg[VMXLAB_SEG_FS]);
    C("GS", seg[VMXLAB_SEG_GS]);
    C("TR", tr);
    C("LDTR", ldtr);
    S("SEL", sel);
    S("BASE", base);
    S("LIMIT", limit);
    S("AR", ar);
    return 0;
}
