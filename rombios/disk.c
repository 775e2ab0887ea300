/* disk.c - PLACEHOLDER until the INT 13h work lands: no drives. */
#include "rombios.h"

void disk_setup(void) {}
int disk_boot(u8 kind, u8 *drive, u16 *seg, u16 *off)
{
    (void)kind, (void)drive, (void)seg, (void)off;
    return -1;
}
void handle_int13(struct bregs *r) { set_status(r, 0x01); }
static void eoi_both(void)
{
    outb(0xa0, 0x20);
    outb(0x20, 0x20);
}
void handle_irq6(struct bregs *r) { (void)r; outb(0x20, 0x20); }
void handle_irq14(struct bregs *r) { (void)r; eoi_both(); }
void handle_irq15(struct bregs *r) { (void)r; eoi_both(); }
