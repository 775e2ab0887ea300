/* fw-inc.c - prints the PC constants the assembly needs (the BDA's field
 * offsets, the drive-number classes, the PIC's and COM1's ports) as NASM
 * equates, from their C headers, so that no .asm file copies them by hand.
 * The Makefile builds and runs it on the host: build/gen/fw.inc. */
#include <stdio.h>
#include "bios/bda.h"
#include "bios/int13.h"
#include "x86/ioport.h"
#include "x86/pic.h"

#define E(name) printf("%-20s equ 0x%x\n", #name, (unsigned)(name))

int main(void)
{
    printf("; generated from include/bios/bda.h, bios/int13.h, x86/ioport.h and x86/pic.h by tools/fw-inc.c: do not "
           "edit\n");
    E(BDA_SEG);
    E(BDA_COM_PORTS);
    E(BDA_FDC_STATUS);
    E(BDA_HD_STATUS);
    E(BDA_KBD_HEAD);
    E(BDA_KBD_TAIL);
    E(BDA_MIDNIGHT);
    E(BDA_TICKS);
    E(DRIVE_HD_FIRST);
    E(DRIVE_CD_FIRST);
    E(PIC1_CMD);
    E(PIC2_CMD);
    E(PIC_OCW2_EOI);
    E(COM1_BASE);
    E(UART_THR);
    E(UART_DLL);
    E(UART_DLM);
    E(UART_LCR);
    E(UART_LSR);
    E(UART_LCR_DLAB);
    E(UART_LCR_8N1);
    E(UART_LSR_THRE);
    E(UART_LSR_DR);
    E(UART_LSR_TEMT);
    return 0;
}
