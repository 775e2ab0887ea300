/* pic.h - the two 8259A programmable interrupt controllers: their ports, the
 * initialisation (ICW) and operation (OCW) command words, and the vector
 * bases a PC BIOS gives them. */
#ifndef X86_PIC_H
#define X86_PIC_H

#define PIC1_CMD 0x20  /* master: ICW1, OCW2, OCW3; reads IRR/ISR */
#define PIC1_DATA 0x21 /* master: ICW2-ICW4, OCW1 (the interrupt mask) */
#define PIC2_CMD 0xa0  /* slave, cascaded on the master's IR2 */
#define PIC2_DATA 0xa1

#define PIC_ICW1 0x10                            /* bit 4 on the command port: ICW1, an initialisation starts */
#define PIC_ICW1_SINGLE 0x02                     /* no slave (no ICW3) */
#define PIC_ICW1_ICW4 0x01                       /* ICW4 follows */
#define PIC_ICW1_INIT (PIC_ICW1 | PIC_ICW1_ICW4) /* 11h: edge triggered, cascaded, ICW4 follows */
#define PIC_ICW3_MASTER 0x04                     /* master: a slave on IR2 */
#define PIC_ICW3_SLAVE 0x02                      /* slave: its cascade identity, 2 */
#define PIC_ICW4_8086 0x01                       /* 8086 mode, normal EOI */

#define PIC_OCW2_EOI 0x20      /* OCW2: non-specific end of interrupt */
#define PIC_OCW_SELECT 0x18    /* bits 4:3 on the command port: 00 OCW2, 01 OCW3, 1x ICW1 */
#define PIC_OCW3 0x08          /* bits 4:3 = 01: OCW3 */
#define PIC_OCW3_RR 0x02       /* OCW3: the read select in bit 0 is valid */
#define PIC_OCW3_READ_IRR 0x0a /* OCW3: command-port reads return the request register */
#define PIC_OCW3_READ_ISR 0x0b /* OCW3: command-port reads return the in-service register */

#define PIC1_BIOS_BASE 0x08 /* a PC BIOS puts IRQ 0-7 at vectors 08h-0Fh */
#define PIC2_BIOS_BASE 0x70 /* and IRQ 8-15 at 70h-77h */

#endif
