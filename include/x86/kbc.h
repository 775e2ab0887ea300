/* kbc.h - the 8042 keyboard controller (ports 60h/64h): its status bits and
 * commands, and the A20 gates (the 8042's output port and System Control
 * Port A at 92h). */
#ifndef X86_KBC_H
#define X86_KBC_H

#define KBC_DATA 0x60
#define KBC_STATUS 0x64 /* read */
#define KBC_CMD 0x64    /* write */

#define KBC_OBF 0x01 /* status: a byte waits in the output buffer */
#define KBC_IBF 0x02 /* status: the controller has not taken our last byte */
#define KBC_AUX 0x20 /* status: the byte is from the mouse */

#define KBC_WRITE_CB 0x60  /* command: next byte to 60h is the command byte */
#define KBC_SELF_TEST 0xaa /* command: the controller tests itself, answers KBC_SELF_TEST_OK */
#define KBC_SELF_TEST_OK 0x55
#define KBC_KBD_ENABLE 0xae /* command: the keyboard interface on */
/* The command byte (KBC_WRITE_CB). */
#define KBC_CB_KBD_IRQ 0x01 /* IRQ 1 when a keyboard byte arrives */
#define KBC_CB_SYS 0x04     /* the "system" flag: POST passed */
#define KBC_CB_AUX_OFF 0x20 /* the mouse clock off */
#define KBC_CB_XLATE 0x40   /* scan codes translated to set 1 */

#define KBC_READ_OUTPUT 0xd0  /* command: next byte from 60h is the output port; bit 1 is A20 */
#define KBC_WRITE_OUTPUT 0xd1 /* command: next byte to 60h is the output port; bit 1 is A20 */
#define KBC_OUTPUT_A20 0x02
#define KBC_PULSE 0xf0 /* commands F0h-FFh pulse output port bits 3:0 low for those clear */
#define KBC_PULSE_MASK 0xf0
#define KBC_OUTPUT_RESET 0x01 /* output port bit 0: low resets the CPU */

#define PORT_SYS_CTRL_A 0x92  /* System Control Port A, "fast A20" */
#define SYS_CTRL_A_RESET 0x01 /* a 0 -> 1 edge resets the CPU */
#define SYS_CTRL_A_A20 0x02

#endif
