/* kbd.c - the keyboard: the 8042 controller, IRQ1, the BDA key buffer,
 * INT 16h, and keys typed on COM1 (a headless machine's keyboard). */
#include "rombios.h"

/* The command byte: IRQ1 on, "system" flag (POST passed), mouse clock off,
 * keyboard clock on, scan codes translated to set 1. */
#define KBC_CB_VALUE (KBC_CB_KBD_IRQ | KBC_CB_SYS | KBC_CB_AUX_OFF | KBC_CB_XLATE)

/* 40:18 (held keys) and 40:96 (keyboard mode) bits */
#define K1_LCTRL 0x01
#define K1_LALT 0x02
#define K1_SCROLL 0x10
#define K1_NUM 0x20
#define K1_CAPS 0x40
#define K1_INSERT 0x80
#define K3_E0 0x02
#define K3_RCTRL 0x04
#define K3_RALT 0x08
#define K3_101KEY 0x10

/* ---- the 8042 ---- */

static int kbc_wait_write(void)
{
    for (u32 i = 0; i < 100000; i++, io_delay())
        if (!(inb(KBC_STATUS) & KBC_IBF))
            return 0;
    return -1;
}

static int kbc_read(void)
{
    for (u32 i = 0; i < 100000; i++, io_delay())
        if (inb(KBC_STATUS) & KBC_OBF)
            return inb(KBC_DATA);
    return -1;
}

static int kbc_cmd(u8 cmd)
{
    if (kbc_wait_write())
        return -1;
    outb(KBC_CMD, cmd);
    return 0;
}

static void kbc_flush(void)
{
    for (int i = 0; i < 64 && (inb(KBC_STATUS) & KBC_OBF); i++, io_delay())
        inb(KBC_DATA);
}

/* Why there is no 8042 to take keys from (0: there is one). */
static const char *no_kbc;

/* Under the hv, handoff.legacy says what the machine lacks (hv/legacy.c). */
static u32 legacy(void) { return have_handoff ? peekl(HANDOFF_SEG, HANDOFF_OFF(legacy)) : 0; }

void kbd_setup(void)
{
    pokeb(BDA_SEG, BDA_KBD_FLAGS0, 0);
    pokeb(BDA_SEG, BDA_KBD_FLAGS1, 0);
    pokeb(BDA_SEG, BDA_KBD_FLAGS2, K3_101KEY);
    u32 l = legacy();
    if (l & VMXLAB_LEGACY_NO_8042_PORT) {
        no_kbc = "the hv found port 64h reading FFh";
        return;
    }
    if (l & VMXLAB_LEGACY_NO_8042_FADT) {
        no_kbc = "the machine's FADT says it has none";
        return;
    }
    if (inb(KBC_STATUS) == 0xff) { /* nothing drives the bus */
        no_kbc = "port 64h reads FFh";
        return;
    }
    kbc_flush();
    int st = kbc_cmd(KBC_SELF_TEST) ? -1 : kbc_read();
    if (st != KBC_SELF_TEST_OK) {
        bprintf("rombios: keyboard controller self-test gave %x (wanted 55)\n", st);
        no_kbc = "its self-test failed";
        return;
    }
    if (kbc_cmd(KBC_WRITE_CB) || kbc_wait_write()) {
        no_kbc = "it does not take commands";
        return;
    }
    outb(KBC_DATA, KBC_CB_VALUE);
    kbc_cmd(KBC_KBD_ENABLE); /* keyboard interface on (the self-test may have turned it off) */
    kbc_flush();
    dprintf(1, "rombios: keyboard controller ready\n");
}

/* After serial_ports_setup: where keys come from, said once when it is not
 * the PS/2 keyboard. */
void kbd_input_report(void)
{
    if (legacy() & VMXLAB_LEGACY_NO_COM1)
        com1_input_off = 1; /* the hv found no UART there */
    if (!no_kbc)
        return;
    if (!com1_input_off && peekw(BDA_SEG, BDA_COM_PORTS) == COM1_BASE)
        bprintf("rombios: no PS/2 keyboard controller (%s): COM1 input is the keyboard\n", no_kbc);
    else
        bprintf("rombios: no PS/2 keyboard controller (%s) and no COM1: the guest runs without input\n", no_kbc);
}

/* ---- the key buffer: a ring of words at 40:1E-40:3D (start and end in
 * 40:80/40:82), head 40:1A = next to read, tail 40:1C = next free ---- */

static u16 kbuf_next(u16 p)
{
    p += 2;
    return p >= peekw(BDA_SEG, BDA_KBD_END) ? peekw(BDA_SEG, BDA_KBD_START) : p;
}

/* Returns 0 when stored, -1 when the buffer is full (the key is lost, as on
 * every PC). */
static int kbd_put(u16 key)
{
    u16 tail = peekw(BDA_SEG, BDA_KBD_TAIL);
    u16 next = kbuf_next(tail);
    if (next == peekw(BDA_SEG, BDA_KBD_HEAD))
        return -1;
    pokew(BDA_SEG, tail, key);
    pokew(BDA_SEG, BDA_KBD_TAIL, next);
    return 0;
}

/* The first key (removed when take), or 0 when the buffer is empty. */
static u16 kbd_peek(int take)
{
    u16 head = peekw(BDA_SEG, BDA_KBD_HEAD);
    if (head == peekw(BDA_SEG, BDA_KBD_TAIL))
        return 0;
    u16 key = peekw(BDA_SEG, head);
    if (take)
        pokew(BDA_SEG, BDA_KBD_HEAD, kbuf_next(head));
    return key;
}

/* ---- COM1 input ---- */

static struct serial_keys serial_keys;

/* Set when a program initialises or reads COM1 through INT 14h: from then
 * on its bytes are that program's, not keys. */
int com1_input_off;

static int com1_usable(void) { return !com1_input_off && peekw(BDA_SEG, BDA_COM_PORTS) == COM1_BASE; }

/* Takes what COM1 has received into the key buffer. Only INT 16h calls
 * this, never IRQ0: a program that drives the UART itself (GRUB's serial
 * terminal polls LSR) must not lose bytes to a timer tick. */
static void com1_input_poll(void)
{
    if (!com1_usable())
        return;
    for (int i = 0; i < 16 && (inb(COM1_BASE + UART_LSR) & UART_LSR_DR); i++) {
        u16 keys[2];
        int n = serial_key_byte(&serial_keys, inb(COM1_BASE + UART_RBR), keys);
        for (int k = 0; k < n; k++)
            kbd_put(keys[k]);
    }
}

/* IRQ0 calls this every tick: a lone ESC becomes the Esc key, unless more
 * bytes wait in the UART (the rest of a sequence INT 16h has not read yet). */
void com1_input_tick(void)
{
    if (serial_keys.state && com1_usable() && (inb(COM1_BASE + UART_LSR) & UART_LSR_DR))
        return;
    u16 key = serial_key_tick(&serial_keys);
    if (key)
        kbd_put(key);
}

/* ---- IRQ1 ---- */

/* Shift, Ctrl, Alt and the locks: their make and break codes change
 * 40:17/40:18/40:96 and give no key. Returns 1 when code was one of them. */
static int kbd_modifier(u8 code, int e0)
{
    u8 f0 = peekb(BDA_SEG, BDA_KBD_FLAGS0), f1 = peekb(BDA_SEG, BDA_KBD_FLAGS1), f3 = peekb(BDA_SEG, BDA_KBD_FLAGS2);
    int up = code & 0x80;
    u8 *held = 0, bit = 0, toggle = 0;
    switch (code & 0x7f) {
    case 0x2a: /* left Shift (E0 2A is a "fake shift" around grey keys) */
    case 0x36: /* right Shift */
        if (!e0) {
            bit = (code & 0x7f) == 0x2a ? KF_LSHIFT : KF_RSHIFT;
            f0 = up ? f0 & ~bit : f0 | bit;
        }
        break;
    case 0x1d: /* Ctrl: the left one in 40:18, the right one in 40:96 */
        held = e0 ? &f3 : &f1, bit = e0 ? K3_RCTRL : K1_LCTRL;
        *held = up ? *held & ~bit : *held | bit;
        f0 = ((f1 & K1_LCTRL) || (f3 & K3_RCTRL)) ? f0 | KF_CTRL : f0 & ~KF_CTRL;
        break;
    case 0x38: /* Alt */
        held = e0 ? &f3 : &f1, bit = e0 ? K3_RALT : K1_LALT;
        *held = up ? *held & ~bit : *held | bit;
        f0 = ((f1 & K1_LALT) || (f3 & K3_RALT)) ? f0 | KF_ALT : f0 & ~KF_ALT;
        break;
    case 0x3a: bit = K1_CAPS, toggle = KF_CAPS; break;
    case 0x45: bit = K1_NUM, toggle = KF_NUM; break;
    case 0x46: bit = K1_SCROLL, toggle = KF_SCROLL; break;
    default: return 0;
    }
    if (toggle && !e0) { /* a lock flips on its first make, not on repeats */
        if (!up && !(f1 & bit))
            f0 ^= toggle;
        f1 = up ? f1 & ~bit : f1 | bit;
    }
    pokeb(BDA_SEG, BDA_KBD_FLAGS0, f0);
    pokeb(BDA_SEG, BDA_KBD_FLAGS1, f1);
    pokeb(BDA_SEG, BDA_KBD_FLAGS2, f3);
    return 1;
}

static void kbd_scancode(u8 code)
{
    u8 f3 = peekb(BDA_SEG, BDA_KBD_FLAGS2);
    static u8 pause_left; /* Pause is E1 1D 45 E1 9D C5: no key */
    if (pause_left) {
        pause_left--;
        return;
    }
    if (code == 0xe1) {
        pause_left = 5;
        return;
    }
    if (code == 0xe0) {
        pokeb(BDA_SEG, BDA_KBD_FLAGS2, f3 | K3_E0);
        return;
    }
    int e0 = (f3 & K3_E0) != 0;
    pokeb(BDA_SEG, BDA_KBD_FLAGS2, f3 & ~K3_E0);
    if (kbd_modifier(code, e0))
        return;
    u8 f0 = peekb(BDA_SEG, BDA_KBD_FLAGS0), f1 = peekb(BDA_SEG, BDA_KBD_FLAGS1);
    if (code & 0x80) { /* other keys' break codes give nothing */
        if (code == (0x52 | 0x80))
            pokeb(BDA_SEG, BDA_KBD_FLAGS1, f1 & ~K1_INSERT);
        return;
    }
    u16 key = kbd_translate(code, e0, f0);
    /* Insert (not the keypad's 0) also flips 40:17's insert mode, once per press. */
    if ((key == 0x5200 || key == 0x52e0) && !(f1 & K1_INSERT)) {
        pokeb(BDA_SEG, BDA_KBD_FLAGS0, f0 ^ KF_INSERT);
        pokeb(BDA_SEG, BDA_KBD_FLAGS1, f1 | K1_INSERT);
    }
    if (key)
        kbd_put(key);
}

void handle_irq1(struct bregs *r)
{
    (void)r;
    u8 st = inb(KBC_STATUS);
    if (st & KBC_OBF) {
        u8 code = inb(KBC_DATA);
        if (!(st & KBC_AUX)) {
            /* INT 15h AH=4Fh lets a program see (AL), change or swallow
             * (clear CF) each scan code first. */
            struct bregs k = { 0 };
            k.ah = 0x4f;
            k.al = code;
            k.flags = F_CF;
            intcall(0x15, &k);
            if (k.flags & F_CF)
                kbd_scancode(k.al);
        }
    }
    outb(PIC1_CMD, PIC_OCW2_EOI);
}

/* ---- INT 16h ---- */

/* The next key (COM1 included), for the enhanced (10h/11h) or the legacy
 * (00h/01h) interface, which drops keys it does not know; 0 if none. */
static u16 int16_next(int enhanced, int take)
{
    com1_input_poll();
    for (;;) {
        u16 key = kbd_peek(0);
        if (!key || enhanced)
            break;
        u16 legacy = kbd_legacy_key(key);
        if (legacy) {
            if (take)
                kbd_peek(1);
            return legacy;
        }
        kbd_peek(1); /* a key this interface does not know: dropped */
    }
    return kbd_peek(take);
}

/* AH=12h: AL = 40:17, AH = left Ctrl/Alt, right Ctrl/Alt, the lock keys
 * held, SysRq. */
static u8 int16_ext_shift(void)
{
    u8 f1 = peekb(BDA_SEG, BDA_KBD_FLAGS1), f3 = peekb(BDA_SEG, BDA_KBD_FLAGS2);
    return (f1 & (K1_LCTRL | K1_LALT)) | (f3 & (K3_RCTRL | K3_RALT)) | (f1 & 0x70) | (f1 & 0x04 ? 0x80 : 0);
}

void handle_int16(struct bregs *r)
{
    u16 key;
    switch (r->ah) {
    case 0x00: /* wait for a key, remove it */
    case 0x10:
        while (!(key = int16_next(r->ah == 0x10, 1)))
            sti_hlt(); /* IRQ1 or the timer tick wakes us; int16_next polls COM1 */
        r->ax = key;
        break;
    case 0x01: /* is there a key? ZF = 0 and AX = it (left in the buffer) */
    case 0x11:
        key = int16_next(r->ah == 0x11, 0);
        if (key) {
            r->ax = key;
            r->flags &= ~F_ZF;
        } else {
            r->flags |= F_ZF;
        }
        break;
    case 0x02: r->al = peekb(BDA_SEG, BDA_KBD_FLAGS0); break;
    case 0x12:
        r->al = peekb(BDA_SEG, BDA_KBD_FLAGS0);
        r->ah = int16_ext_shift();
        break;
    case 0x03: /* typematic rate: the keyboard's default is kept */ break;
    case 0x05: /* store CX as if typed: AL = 0, or 1 when the buffer is full */ r->al = kbd_put(r->cx) ? 1 : 0; break;
    case 0x0a: /* keyboard ID: MF2 with translation */ r->bx = 0x41ab; break;
    }
}
