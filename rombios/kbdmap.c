/* kbdmap.c - keys as INT 16h returns them (scan code << 8 | ASCII): the US
 * layout for scan code set 1 (what the 8042 delivers with translation on),
 * and the reverse, for bytes a headless user types on COM1. Pure functions:
 * the host unit tests run them too. */
#include "rombios.h"

/* One row per scan code 01h-58h: the key alone, with Shift, with Ctrl, with
 * Alt (0 = the combination gives no key). The values are the IBM PC/AT
 * enhanced keyboard's, which every BIOS since has returned. */
static const struct {
    u16 plain, shift, ctrl, alt;
} keymap[] = {
    [0x01] = { 0x011b, 0x011b, 0x011b, 0x0100 }, /* Esc */
    [0x02] = { 0x0231, 0x0221, 0x0000, 0x7800 }, /* 1 ! */
    [0x03] = { 0x0332, 0x0340, 0x0300, 0x7900 }, /* 2 @ (Ctrl-2 is NUL) */
    [0x04] = { 0x0433, 0x0423, 0x0000, 0x7a00 },
    [0x05] = { 0x0534, 0x0524, 0x0000, 0x7b00 },
    [0x06] = { 0x0635, 0x0625, 0x0000, 0x7c00 },
    [0x07] = { 0x0736, 0x075e, 0x071e, 0x7d00 }, /* 6 ^ (Ctrl-6 is RS) */
    [0x08] = { 0x0837, 0x0826, 0x0000, 0x7e00 },
    [0x09] = { 0x0938, 0x092a, 0x0000, 0x7f00 },
    [0x0a] = { 0x0a39, 0x0a28, 0x0000, 0x8000 },
    [0x0b] = { 0x0b30, 0x0b29, 0x0000, 0x8100 },
    [0x0c] = { 0x0c2d, 0x0c5f, 0x0c1f, 0x8200 }, /* - _ */
    [0x0d] = { 0x0d3d, 0x0d2b, 0x0000, 0x8300 }, /* = + */
    [0x0e] = { 0x0e08, 0x0e08, 0x0e7f, 0x0e00 }, /* Backspace */
    [0x0f] = { 0x0f09, 0x0f00, 0x9400, 0xa500 }, /* Tab */
    [0x10] = { 0x1071, 0x1051, 0x1011, 0x1000 }, /* q */
    [0x11] = { 0x1177, 0x1157, 0x1117, 0x1100 },
    [0x12] = { 0x1265, 0x1245, 0x1205, 0x1200 },
    [0x13] = { 0x1372, 0x1352, 0x1312, 0x1300 },
    [0x14] = { 0x1474, 0x1454, 0x1414, 0x1400 },
    [0x15] = { 0x1579, 0x1559, 0x1519, 0x1500 },
    [0x16] = { 0x1675, 0x1655, 0x1615, 0x1600 },
    [0x17] = { 0x1769, 0x1749, 0x1709, 0x1700 },
    [0x18] = { 0x186f, 0x184f, 0x180f, 0x1800 },
    [0x19] = { 0x1970, 0x1950, 0x1910, 0x1900 }, /* p */
    [0x1a] = { 0x1a5b, 0x1a7b, 0x1a1b, 0x1a00 }, /* [ { */
    [0x1b] = { 0x1b5d, 0x1b7d, 0x1b1d, 0x1b00 }, /* ] } */
    [0x1c] = { 0x1c0d, 0x1c0d, 0x1c0a, 0x1c00 }, /* Enter */
    [0x1e] = { 0x1e61, 0x1e41, 0x1e01, 0x1e00 }, /* a */
    [0x1f] = { 0x1f73, 0x1f53, 0x1f13, 0x1f00 },
    [0x20] = { 0x2064, 0x2044, 0x2004, 0x2000 },
    [0x21] = { 0x2166, 0x2146, 0x2106, 0x2100 },
    [0x22] = { 0x2267, 0x2247, 0x2207, 0x2200 },
    [0x23] = { 0x2368, 0x2348, 0x2308, 0x2300 },
    [0x24] = { 0x246a, 0x244a, 0x240a, 0x2400 },
    [0x25] = { 0x256b, 0x254b, 0x250b, 0x2500 },
    [0x26] = { 0x266c, 0x264c, 0x260c, 0x2600 }, /* l */
    [0x27] = { 0x273b, 0x273a, 0x0000, 0x2700 }, /* ; : */
    [0x28] = { 0x2827, 0x2822, 0x0000, 0x2800 }, /* ' " */
    [0x29] = { 0x2960, 0x297e, 0x0000, 0x2900 }, /* ` ~ */
    [0x2b] = { 0x2b5c, 0x2b7c, 0x2b1c, 0x2b00 }, /* \ | */
    [0x2c] = { 0x2c7a, 0x2c5a, 0x2c1a, 0x2c00 }, /* z */
    [0x2d] = { 0x2d78, 0x2d58, 0x2d18, 0x2d00 },
    [0x2e] = { 0x2e63, 0x2e43, 0x2e03, 0x2e00 },
    [0x2f] = { 0x2f76, 0x2f56, 0x2f16, 0x2f00 },
    [0x30] = { 0x3062, 0x3042, 0x3002, 0x3000 },
    [0x31] = { 0x316e, 0x314e, 0x310e, 0x3100 },
    [0x32] = { 0x326d, 0x324d, 0x320d, 0x3200 }, /* m */
    [0x33] = { 0x332c, 0x333c, 0x0000, 0x3300 }, /* , < */
    [0x34] = { 0x342e, 0x343e, 0x0000, 0x3400 }, /* . > */
    [0x35] = { 0x352f, 0x353f, 0x0000, 0x3500 }, /* / ? */
    [0x37] = { 0x372a, 0x372a, 0x9600, 0x3700 }, /* keypad * */
    [0x39] = { 0x3920, 0x3920, 0x3920, 0x3920 }, /* Space */
    [0x3b] = { 0x3b00, 0x5400, 0x5e00, 0x6800 }, /* F1 */
    [0x3c] = { 0x3c00, 0x5500, 0x5f00, 0x6900 },
    [0x3d] = { 0x3d00, 0x5600, 0x6000, 0x6a00 },
    [0x3e] = { 0x3e00, 0x5700, 0x6100, 0x6b00 },
    [0x3f] = { 0x3f00, 0x5800, 0x6200, 0x6c00 },
    [0x40] = { 0x4000, 0x5900, 0x6300, 0x6d00 },
    [0x41] = { 0x4100, 0x5a00, 0x6400, 0x6e00 },
    [0x42] = { 0x4200, 0x5b00, 0x6500, 0x6f00 },
    [0x43] = { 0x4300, 0x5c00, 0x6600, 0x7000 },
    [0x44] = { 0x4400, 0x5d00, 0x6700, 0x7100 }, /* F10 */
    /* The keypad: "shift" is the digit (Num Lock xor Shift), "plain" the
     * cursor key. */
    [0x47] = { 0x4700, 0x4737, 0x7700, 0x0000 }, /* 7 Home */
    [0x48] = { 0x4800, 0x4838, 0x8d00, 0x0000 }, /* 8 Up */
    [0x49] = { 0x4900, 0x4939, 0x8400, 0x0000 }, /* 9 PgUp */
    [0x4a] = { 0x4a2d, 0x4a2d, 0x8e00, 0x4a00 }, /* - */
    [0x4b] = { 0x4b00, 0x4b34, 0x7300, 0x0000 }, /* 4 Left */
    [0x4c] = { 0x4c00, 0x4c35, 0x8f00, 0x0000 }, /* 5 */
    [0x4d] = { 0x4d00, 0x4d36, 0x7400, 0x0000 }, /* 6 Right */
    [0x4e] = { 0x4e2b, 0x4e2b, 0x9000, 0x4e00 }, /* + */
    [0x4f] = { 0x4f00, 0x4f31, 0x7500, 0x0000 }, /* 1 End */
    [0x50] = { 0x5000, 0x5032, 0x9100, 0x0000 }, /* 2 Down */
    [0x51] = { 0x5100, 0x5133, 0x7600, 0x0000 }, /* 3 PgDn */
    [0x52] = { 0x5200, 0x5230, 0x9200, 0x0000 }, /* 0 Ins */
    [0x53] = { 0x5300, 0x532e, 0x9300, 0x0000 }, /* . Del */
    [0x56] = { 0x565c, 0x567c, 0x0000, 0x0000 }, /* the 102nd key: \ | */
    [0x57] = { 0x8500, 0x8700, 0x8900, 0x8b00 }, /* F11 */
    [0x58] = { 0x8600, 0x8800, 0x8a00, 0x8c00 }, /* F12 */
};
#define KEYMAP_N (sizeof keymap / sizeof keymap[0])

static int is_letter(u16 key) { return (key & 0xff) >= 'a' && (key & 0xff) <= 'z'; }

/* The grey keys (E0 prefix) next to the keypad return ASCII E0h so a program
 * can tell them from the keypad's; Alt with them gives scan code + 50h. */
static u16 translate_e0(u8 code, u8 flags)
{
    if (code == 0x1c) /* keypad Enter */
        return (flags & KF_ALT) ? 0xa600 : (flags & KF_CTRL) ? 0xe00a : 0xe00d;
    if (code == 0x35) /* keypad / */
        return (flags & KF_ALT) ? 0xa400 : (flags & KF_CTRL) ? 0x9500 : 0xe02f;
    if (code < 0x47 || code > 0x53 || code == 0x4a || code == 0x4c || code == 0x4e)
        return 0;
    if (flags & KF_ALT)
        return (u16)(code + 0x50) << 8;
    if (flags & KF_CTRL)
        return (keymap[code].ctrl & 0xff00) | 0xe0;
    return (u16)code << 8 | 0xe0;
}

/* A make code (E0-prefixed when e0) and the shift state (40:17) -> the key
 * INT 16h returns, or 0 when the combination gives none. */
u16 kbd_translate(u8 code, int e0, u8 flags)
{
    if (e0)
        return translate_e0(code, flags);
    if (code >= KEYMAP_N)
        return 0;
    if (flags & KF_ALT)
        return keymap[code].alt;
    if (flags & KF_CTRL)
        return keymap[code].ctrl;
    int shift = (flags & (KF_LSHIFT | KF_RSHIFT)) != 0;
    if ((flags & KF_CAPS) && is_letter(keymap[code].plain))
        shift = !shift;
    if ((flags & KF_NUM) && code >= 0x47 && code <= 0x53)
        shift = !shift;
    return shift ? keymap[code].shift : keymap[code].plain;
}

/* INT 16h 00h/01h (the pre-1986 interface) know no grey keys: their E0 becomes 00
 * (and keypad Enter and / look like the main ones); keys beyond 84h
 * (F11, F12, Alt+grey keys ...) do not exist for them: 0. */
u16 kbd_legacy_key(u16 key)
{
    if ((key >> 8) == 0xe0)
        return ((key & 0xff) == '/' ? 0x3500 : 0x1c00) | (key & 0xff);
    if ((key >> 8) > 0x84)
        return 0;
    if ((key & 0xff) == 0xe0 && key >> 8)
        return key & 0xff00;
    return key;
}

/* ---- COM1 input ----
 * A byte is mapped to the key that types it on a US keyboard: the plain,
 * then the shifted, then the Ctrl column (control characters). */
static u16 ascii_to_key(u8 c)
{
    if (c == '\n' || c == '\r')
        return 0x1c0d;
    if (c == 0x7f) /* what most terminals send for Backspace */
        return 0x0e08;
    if (c >= 0x80) /* no US key types it: scan code 0, as Alt+keypad gives */
        return c;
    if (c == 0)
        return 0;
    for (int col = 0; col < 3; col++)
        for (unsigned sc = 1; sc <= 0x39; sc++) {
            if (sc == 0x37) /* keypad *: Shift-8 is the usual one */
                continue;
            u16 k = col == 0 ? keymap[sc].plain : col == 1 ? keymap[sc].shift : keymap[sc].ctrl;
            if (k && (k & 0xff) == c)
                return k;
        }
    return c;
}

/* The ANSI/VT100 cursor-key sequences terminals send: ESC [ A..D, H, F and
 * ESC [ n ~ (also ESC O x, the "application cursor keys" form). */
static u16 csi_final_key(u8 c)
{
    switch (c) {
    case 'A': return 0x48e0; /* Up */
    case 'B': return 0x50e0; /* Down */
    case 'C': return 0x4de0; /* Right */
    case 'D': return 0x4be0; /* Left */
    case 'H': return 0x47e0; /* Home */
    case 'F': return 0x4fe0; /* End */
    }
    return 0;
}

static u16 csi_tilde_key(u8 n)
{
    static const u16 keys[] = { 0, 0x47e0, 0x52e0, 0x53e0, 0x4fe0, 0x49e0, 0x51e0, 0x47e0, 0x4fe0 };
    return n < sizeof keys / sizeof keys[0] ? keys[n] : 0;
}

enum { SER_TEXT, SER_ESC, SER_CSI, SER_CSI_NUM };

/* Feed one byte received on COM1; stores up to two keys in out[] and returns
 * how many. A lone ESC is held until the next byte or serial_idle_tick. */
int serial_key_byte(struct serial_keys *s, u8 c, u16 out[2])
{
    int n = 0;
    s->idle = 0;
    switch (s->state) {
    case SER_ESC:
        if (c == '[' || c == 'O') {
            s->state = SER_CSI;
            return 0;
        }
        out[n++] = 0x011b; /* a lone ESC, then c as usual */
        s->state = SER_TEXT;
        break;
    case SER_CSI:
        if (c >= '0' && c <= '9') {
            s->num = c - '0';
            s->state = SER_CSI_NUM;
            return 0;
        }
        s->state = SER_TEXT;
        out[0] = csi_final_key(c);
        return out[0] != 0;
    case SER_CSI_NUM:
        if (c >= '0' && c <= '9' && s->num < 100) {
            s->num = s->num * 10 + (c - '0');
            return 0;
        }
        s->state = SER_TEXT;
        out[0] = c == '~' ? csi_tilde_key(s->num) : 0;
        return out[0] != 0;
    }
    if (c == 0x1b) {
        s->state = SER_ESC;
        return n;
    }
    /* CR LF (or LF CR) is one Enter. */
    if ((c == '\n' || c == '\r') && s->last_eol && s->last_eol != c) {
        s->last_eol = 0;
        return n;
    }
    s->last_eol = (c == '\n' || c == '\r') ? c : 0;
    u16 k = ascii_to_key(c);
    if (k)
        out[n++] = k;
    return n;
}

/* Called on every timer tick: an ESC followed by nothing for two ticks
 * (about 110 ms) was the Esc key; an unfinished sequence is dropped after
 * half a second. Returns the key to store, or 0. */
u16 serial_key_tick(struct serial_keys *s)
{
    if (s->state == SER_TEXT)
        return 0;
    s->idle++;
    if (s->state == SER_ESC && s->idle >= 2) {
        s->state = SER_TEXT;
        return 0x011b;
    }
    if (s->idle >= 9)
        s->state = SER_TEXT;
    return 0;
}
