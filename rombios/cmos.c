/* cmos.c - the MC146818 RTC's CMOS RAM (ports 70h/71h). */
#include "rombios.h"

u8 cmos_read(u8 reg)
{
    outb(CMOS_INDEX, reg | CMOS_NMI_OFF);
    return inb(CMOS_DATA);
}

void cmos_write(u8 reg, u8 v)
{
    outb(CMOS_INDEX, reg | CMOS_NMI_OFF);
    outb(CMOS_DATA, v);
}

u8 bcd2bin(u8 v) { return (v >> 4) * 10 + (v & 15); }
u8 bin2bcd(u8 v) { return ((v / 10) << 4) | (v % 10); }
