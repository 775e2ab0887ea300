/* test_bios.c - the pure parts of rombios's services: RTC fields and the
 * tick count (rombios/clock.c, cmos.c), keys (rombios/kbdmap.c) and the
 * E820 walk (rombios/e820.c). */
#include "check.h"
#include "../../rombios/rombios.h"

static void bcd_round_trips_0_to_99(void)
{
    for (unsigned v = 0; v < 100; v++) {
        CHECK_EQ(bin2bcd((u8)v), (v / 10) << 4 | v % 10);
        CHECK_EQ(bcd2bin(bin2bcd((u8)v)), v);
    }
}

static void rtc_hours_follow_register_b(void)
{
    CHECK_EQ(rtc_hour_to_bin(0x23, RTC_B_24H), 23);              /* BCD, 24-hour */
    CHECK_EQ(rtc_hour_to_bin(23, RTC_B_24H | RTC_B_BINARY), 23); /* binary */
    CHECK_EQ(rtc_hour_to_bin(0x12, 0), 0);                       /* 12 AM is midnight */
    CHECK_EQ(rtc_hour_to_bin(0x92, 0), 12);                      /* 12 PM is noon */
    CHECK_EQ(rtc_hour_to_bin(0x81, 0), 13);                      /* 1 PM */
    CHECK_EQ(rtc_hour_to_bin(0x80 | 11, RTC_B_BINARY), 23);      /* 11 PM, binary */
    CHECK_EQ(rtc_field_to_bin(0x59, 0), 59);
    CHECK_EQ(rtc_field_to_bin(59, RTC_B_BINARY), 59);
}

/* ticks = floor(seconds * 1193180 / 65536), computed here in 64 bits. */
static void seconds_to_ticks_matches_the_pit_rate(void)
{
    for (u32 s = 0; s < 86400; s += 7)
        CHECK_EQ(seconds_to_ticks(s), (uint64_t)s * 1193180 / 65536);
    CHECK_EQ(seconds_to_ticks(86399), (uint64_t)86399 * 1193180 / 65536);
    CHECK(seconds_to_ticks(86399) < TICKS_PER_DAY, "the last second of a day is before the rollover");
    CHECK(seconds_to_ticks(86400) >= TICKS_PER_DAY - 1, "a whole day is the rollover count");
}

static void keys_plain_shift_ctrl_alt(void)
{
    CHECK_EQ(kbd_translate(0x1e, 0, 0), 0x1e61);         /* a */
    CHECK_EQ(kbd_translate(0x1e, 0, KF_LSHIFT), 0x1e41); /* A */
    CHECK_EQ(kbd_translate(0x1e, 0, KF_CAPS), 0x1e41);   /* Caps Lock */
    CHECK_EQ(kbd_translate(0x1e, 0, KF_CAPS | KF_RSHIFT), 0x1e61);
    CHECK_EQ(kbd_translate(0x02, 0, KF_CAPS), 0x0231); /* Caps Lock leaves digits alone */
    CHECK_EQ(kbd_translate(0x1e, 0, KF_CTRL), 0x1e01);
    CHECK_EQ(kbd_translate(0x1e, 0, KF_ALT), 0x1e00);
    CHECK_EQ(kbd_translate(0x1c, 0, 0), 0x1c0d); /* Enter */
    CHECK_EQ(kbd_translate(0x01, 0, 0), 0x011b); /* Esc */
    CHECK_EQ(kbd_translate(0x3b, 0, 0), 0x3b00); /* F1 */
    CHECK_EQ(kbd_translate(0x3b, 0, KF_LSHIFT), 0x5400);
    CHECK_EQ(kbd_translate(0x58, 0, 0), 0x8600);  /* F12 */
    CHECK_EQ(kbd_translate(0x04, 0, KF_CTRL), 0); /* Ctrl-3: no key */
    CHECK_EQ(kbd_translate(0x59, 0, 0), 0);       /* beyond the table */
}

static void keypad_follows_num_lock(void)
{
    CHECK_EQ(kbd_translate(0x48, 0, 0), 0x4800);      /* keypad 8 = Up */
    CHECK_EQ(kbd_translate(0x48, 0, KF_NUM), 0x4838); /* '8' */
    CHECK_EQ(kbd_translate(0x48, 0, KF_NUM | KF_LSHIFT), 0x4800);
    CHECK_EQ(kbd_translate(0x4a, 0, KF_NUM), 0x4a2d); /* '-' either way */
}

static void grey_keys_give_e0(void)
{
    CHECK_EQ(kbd_translate(0x48, 1, 0), 0x48e0);      /* grey Up */
    CHECK_EQ(kbd_translate(0x48, 1, KF_NUM), 0x48e0); /* Num Lock does not matter */
    CHECK_EQ(kbd_translate(0x48, 1, KF_CTRL), 0x8de0);
    CHECK_EQ(kbd_translate(0x48, 1, KF_ALT), 0x9800);
    CHECK_EQ(kbd_translate(0x53, 1, 0), 0x53e0); /* Delete */
    CHECK_EQ(kbd_translate(0x1c, 1, 0), 0xe00d); /* keypad Enter */
    CHECK_EQ(kbd_translate(0x35, 1, 0), 0xe02f); /* keypad / */
    CHECK_EQ(kbd_translate(0x5b, 1, 0), 0);      /* left Windows key */
}

static void legacy_interface_hides_enhanced_keys(void)
{
    CHECK_EQ(kbd_legacy_key(0x48e0), 0x4800);
    CHECK_EQ(kbd_legacy_key(0xe00d), 0x1c0d);
    CHECK_EQ(kbd_legacy_key(0xe02f), 0x352f);
    CHECK_EQ(kbd_legacy_key(0x8600), 0); /* F12 */
    CHECK_EQ(kbd_legacy_key(0x1e61), 0x1e61);
    CHECK_EQ(kbd_legacy_key(0x00e0), 0x00e0); /* Alt+224 typed on the keypad */
}

/* Feeds a string to the COM1 parser; returns the keys it made. */
static int feed(struct serial_keys *s, const char *str, u16 *keys, int max)
{
    int n = 0;
    for (; *str; str++) {
        u16 out[2];
        int k = serial_key_byte(s, (u8)*str, out);
        for (int i = 0; i < k && n < max; i++)
            keys[n++] = out[i];
    }
    return n;
}

static void com1_bytes_become_us_keys(void)
{
    struct serial_keys s = { 0 };
    u16 k[16];
    int n = feed(&s, "aA1!\r\b\t ", k, 16);
    CHECK_EQ(n, 8);
    CHECK_EQ(k[0], 0x1e61);
    CHECK_EQ(k[1], 0x1e41);
    CHECK_EQ(k[2], 0x0231);
    CHECK_EQ(k[3], 0x0221);
    CHECK_EQ(k[4], 0x1c0d);
    CHECK_EQ(k[5], 0x0e08);
    CHECK_EQ(k[6], 0x0f09);
    CHECK_EQ(k[7], 0x3920);
    n = feed(&s, "\x03\x7f*", k, 16); /* Ctrl-C, DEL as Backspace, Shift-8 */
    CHECK_EQ(n, 3);
    CHECK_EQ(k[0], 0x2e03);
    CHECK_EQ(k[1], 0x0e08);
    CHECK_EQ(k[2], 0x092a);
}

static void com1_crlf_is_one_enter(void)
{
    struct serial_keys s = { 0 };
    u16 k[8];
    CHECK_EQ(feed(&s, "\r\n", k, 8), 1);
    CHECK_EQ(feed(&s, "\n", k, 8), 1);
    struct serial_keys t = { 0 };
    CHECK_EQ(feed(&t, "\r\r\r\n\r\n", k, 8), 4); /* CR-only and CRLF terminals */
}

static void com1_escape_sequences_are_grey_keys(void)
{
    struct serial_keys s = { 0 };
    u16 k[16];
    int n = feed(&s, "\x1b[A\x1b[B\x1b[C\x1b[D\x1b[H\x1b[F\x1b[5~\x1b[6~\x1bOA\x1b[3~", k, 16);
    static const u16 want[] = { 0x48e0, 0x50e0, 0x4de0, 0x4be0, 0x47e0, 0x4fe0, 0x49e0, 0x51e0, 0x48e0, 0x53e0 };
    CHECK_EQ(n, 10);
    for (int i = 0; i < 10 && i < n; i++)
        CHECK(k[i] == want[i], "key %d = %04x; wanted %04x", i, k[i], want[i]);
    CHECK_EQ(feed(&s, "\x1b[Z", k, 16), 0); /* an unknown sequence is dropped */
    CHECK_EQ(feed(&s, "x", k, 16), 1);
}

static void com1_lone_esc_after_two_ticks(void)
{
    struct serial_keys s = { 0 };
    u16 k[4];
    CHECK_EQ(feed(&s, "\x1b", k, 4), 0);
    CHECK_EQ(serial_key_tick(&s), 0);
    CHECK_EQ(serial_key_tick(&s), 0x011b);
    CHECK_EQ(serial_key_tick(&s), 0);
    /* ESC then a letter: both keys, at once */
    CHECK_EQ(feed(&s, "\x1bq", k, 4), 2);
    CHECK_EQ(k[0], 0x011b);
    CHECK_EQ(k[1], 0x1071);
    /* ESC ESC [ A: Esc, then Up */
    CHECK_EQ(feed(&s, "\x1b\x1b[A", k, 4), 2);
    CHECK_EQ(k[0], 0x011b);
    CHECK_EQ(k[1], 0x48e0);
}

static void e820_walk_ends_with_ebx_zero(void)
{
    struct memmap m = { 0 };
    m.n = 3;
    for (u32 i = 0; i < 3; i++)
        m.e[i] = (struct vmxlab_e820){ i * 0x100000ull, 0x1000, i + 1 };
    u32 ebx = 0, seen = 0;
    struct vmxlab_e820 e;
    do {
        CHECK_EQ(e820_next(&m, &ebx, &e), 0);
        CHECK_EQ(e.type, seen + 1);
        CHECK_EQ(e.base, seen * 0x100000ull);
        seen++;
    } while (ebx && seen < 10);
    CHECK_EQ(seen, 3);
    ebx = 3;
    CHECK_EQ(e820_next(&m, &ebx, &e), -1);
    m.n = 0;
    ebx = 0;
    CHECK_EQ(e820_next(&m, &ebx, &e), -1);
}

int main(void)
{
    RUN(bcd_round_trips_0_to_99);
    RUN(rtc_hours_follow_register_b);
    RUN(seconds_to_ticks_matches_the_pit_rate);
    RUN(keys_plain_shift_ctrl_alt);
    RUN(keypad_follows_num_lock);
    RUN(grey_keys_give_e0);
    RUN(legacy_interface_hides_enhanced_keys);
    RUN(com1_bytes_become_us_keys);
    RUN(com1_crlf_is_one_enter);
    RUN(com1_escape_sequences_are_grey_keys);
    RUN(com1_lone_esc_after_two_ticks);
    RUN(e820_walk_ends_with_ebx_zero);
    return check_summary();
}
