/* clock.c - the arithmetic between the RTC's clock fields and the BIOS tick
 * count (pure functions: the host unit tests run them too). */
#include "rombios.h"

/* The RTC holds its fields in BCD unless status register B's DM bit says
 * binary; the hour has bit 7 = PM when the 24/12 bit is clear (12-hour mode),
 * and 12 AM is hour 12. */
u8 rtc_field_to_bin(u8 v, u8 regb) { return (regb & RTC_B_BINARY) ? v : bcd2bin(v); }

u8 rtc_hour_to_bin(u8 v, u8 regb)
{
    if (regb & RTC_B_24H)
        return rtc_field_to_bin(v, regb);
    u8 h = rtc_field_to_bin(v & 0x7f, regb) % 12;
    return (v & 0x80) ? h + 12 : h;
}

/* The PIT runs at 1193180 Hz and IRQ0 fires every 65536 counts (18.2065 Hz):
 * ticks = seconds * 1193180 / 65536. 1193180 = 18 * 65536 + 13532, which
 * keeps every product below 2^32 for a day's 86399 seconds (no 64-bit
 * division, which gcc -m16 would need libgcc for). */
u32 seconds_to_ticks(u32 s) { return s * 18 + ((s * 13532) >> 16); }
