/* timer.c - the system timer (PIT channel 0, IRQ0) and the real-time clock:
 * the BDA tick count, INT 1Ah time and date. */
#include "rombios.h"

#define FDC_DOR 0x3f2

/* The RTC updates its fields once a second and sets UIP 244 us before it
 * starts; reading while UIP is clear gives a consistent set. A machine
 * without a working RTC reads FFh: give up after a bounded wait. */
static int rtc_wait(void)
{
    for (u32 i = 0; i < 100000; i++)
        if (!(cmos_read(RTC_A) & RTC_A_UIP))
            return 0;
    return -1;
}

/* Channel 0, lobyte/hibyte, mode 2 (rate generator), divisor 0 = 65536:
 * 1193180 / 65536 = 18.2065 interrupts per second, as the Bochs BIOS and
 * SeaBIOS program it. (Mode 3, the IBM AT's square wave, gives the same
 * rate on a PC, but half of it in Bochs 2.7: rm_timer_rate measures it.)
 * The tick count starts at the RTC's time of day, as DOS expects. */
void timer_setup(void)
{
    outb(PIT_MODE, PIT_SEL_CH0 | PIT_ACCESS_LOHI | PIT_MODE_N(PIT_MODE_RATE));
    outb(PIT_CH0, 0);
    outb(PIT_CH0, 0);
    u32 ticks = 0;
    if (rtc_wait() == 0) {
        u8 b = cmos_read(RTC_B);
        u32 s = rtc_hour_to_bin(cmos_read(RTC_HOUR), b) * 3600u + rtc_field_to_bin(cmos_read(RTC_MIN), b) * 60u +
                rtc_field_to_bin(cmos_read(RTC_SEC), b);
        ticks = seconds_to_ticks(s);
        if (ticks >= TICKS_PER_DAY)
            ticks = 0;
    } else {
        bprintf("rombios: the RTC never ends its update cycle: the clock starts at midnight\n");
    }
    pokel(BDA_SEG, BDA_TICKS, ticks);
    pokeb(BDA_SEG, BDA_MIDNIGHT, 0);
}

volatile u8 timer_ticking;

/* IRQ0, 18.2 times a second: count, roll over at midnight, call the user
 * hook (INT 1Ch), switch the floppy motors off when their count runs out
 * (the count is the floppy code's; PC BIOSes have always done it here). */
void handle_irq0(struct bregs *r)
{
    (void)r;
    timer_ticking = 1;
    u32 t = peekl(BDA_SEG, BDA_TICKS) + 1;
    if (t >= TICKS_PER_DAY) {
        t = 0;
        pokeb(BDA_SEG, BDA_MIDNIGHT, 1);
    }
    pokel(BDA_SEG, BDA_TICKS, t);
    u8 motor = peekb(BDA_SEG, BDA_FDC_TIMEOUT);
    if (motor && --motor == 0) {
        outb(FDC_DOR, 0x0c); /* controller enabled, DMA on, all motors off */
        pokeb(BDA_SEG, BDA_FDC_MOTOR, peekb(BDA_SEG, BDA_FDC_MOTOR) & 0xf0);
    }
    pokeb(BDA_SEG, BDA_FDC_TIMEOUT, motor);
    com1_input_tick();
    struct bregs u = { 0 };
    intcall(0x1c, &u);
    outb(PIC1_CMD, PIC_OCW2_EOI);
}

/* ---- INT 1Ah ---- */

/* The RTC's own format (BCD or binary) from the caller's BCD. */
static u8 to_rtc(u8 bcd, u8 regb) { return (regb & RTC_B_BINARY) ? bcd2bin(bcd) : bcd; }
static u8 from_rtc(u8 v, u8 regb) { return (regb & RTC_B_BINARY) ? bin2bcd(v) : v; }

/* 02h: CH = hours, CL = minutes, DH = seconds (BCD, 24-hour), DL = DST. */
static void int1a_read_time(struct bregs *r)
{
    if (rtc_wait()) {
        set_cf(r, 1);
        return;
    }
    u8 b = cmos_read(RTC_B);
    r->ch = bin2bcd(rtc_hour_to_bin(cmos_read(RTC_HOUR), b));
    r->cl = from_rtc(cmos_read(RTC_MIN), b);
    r->dh = from_rtc(cmos_read(RTC_SEC), b);
    r->dl = b & RTC_B_DST;
    set_status(r, 0);
}

/* 03h: set CH:CL:DH (BCD), DL = DST. The SET bit stops the updates while the
 * fields change; the clock keeps its BCD/binary format and runs 24-hour. */
static void int1a_set_time(struct bregs *r)
{
    if (rtc_wait()) {
        set_cf(r, 1);
        return;
    }
    u8 b = (cmos_read(RTC_B) & ~RTC_B_DST) | RTC_B_24H | (r->dl & RTC_B_DST);
    cmos_write(RTC_B, b | RTC_B_SET);
    cmos_write(RTC_HOUR, to_rtc(r->ch, b));
    cmos_write(RTC_MIN, to_rtc(r->cl, b));
    cmos_write(RTC_SEC, to_rtc(r->dh, b));
    cmos_write(RTC_B, b);
    set_status(r, 0);
}

/* 04h: CH = century, CL = year, DH = month, DL = day (BCD). */
static void int1a_read_date(struct bregs *r)
{
    if (rtc_wait()) {
        set_cf(r, 1);
        return;
    }
    u8 b = cmos_read(RTC_B);
    r->ch = from_rtc(cmos_read(RTC_CENTURY), b);
    r->cl = from_rtc(cmos_read(RTC_YEAR), b);
    r->dh = from_rtc(cmos_read(RTC_MONTH), b);
    r->dl = from_rtc(cmos_read(RTC_DAY), b);
    set_status(r, 0);
}

static void int1a_set_date(struct bregs *r)
{
    if (rtc_wait()) {
        set_cf(r, 1);
        return;
    }
    u8 b = cmos_read(RTC_B);
    cmos_write(RTC_B, b | RTC_B_SET);
    cmos_write(RTC_CENTURY, to_rtc(r->ch, b));
    cmos_write(RTC_YEAR, to_rtc(r->cl, b));
    cmos_write(RTC_MONTH, to_rtc(r->dh, b));
    cmos_write(RTC_DAY, to_rtc(r->dl, b));
    cmos_write(RTC_B, b);
    set_status(r, 0);
}

void handle_int1a(struct bregs *r)
{
    switch (r->ah) {
    case 0x00: /* ticks in CX:DX; AL = "midnight passed" since the last read.
                * IRQ0 cannot run here: the INT cleared IF. */
        r->cx = (u16)(peekl(BDA_SEG, BDA_TICKS) >> 16);
        r->dx = (u16)peekl(BDA_SEG, BDA_TICKS);
        r->al = peekb(BDA_SEG, BDA_MIDNIGHT);
        pokeb(BDA_SEG, BDA_MIDNIGHT, 0);
        set_cf(r, 0);
        break;
    case 0x01:
        pokel(BDA_SEG, BDA_TICKS, (u32)r->cx << 16 | r->dx);
        pokeb(BDA_SEG, BDA_MIDNIGHT, 0);
        set_cf(r, 0);
        break;
    case 0x02: int1a_read_time(r); break;
    case 0x03: int1a_set_time(r); break;
    case 0x04: int1a_read_date(r); break;
    case 0x05: int1a_set_date(r); break;
    case 0xb1: pci_bios(r); break;
    default: set_cf(r, 1); break;
    }
}
