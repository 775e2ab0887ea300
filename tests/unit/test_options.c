/* test_options.c - hv/options.c: the hv command line as docs/architecture.md and
 * options.h document it (mode=assist|emulate|ug, boot=floppy|disk|cdrom,
 * firmware=own|bochs, trace=0|1|2, stats=0|1; GRUB puts the hv's path first). */
#include "check.h"
#include "options.h"

static const char *const mode_str[] = { "MODE_ASSIST", "MODE_EMULATE", "MODE_UG" };
#define MODE_STR(m) ((unsigned)(m) < 3 ? mode_str[m] : "bad mode")
static const char *const boot_str[] = { "BOOT_DEFAULT", "BOOT_FLOPPY", "BOOT_DISK", "BOOT_CDROM" };
#define BOOT_STR(b) ((unsigned)(b) < 4 ? boot_str[b] : "bad boot device")

/* Parses s and expects success with the given result. */
static void check_parses_all(const char *s, enum rm_mode mode, int trace, int stats, enum boot_dev boot)
{
    struct hv_options o;
    char err[200] = "";
    int r = options_parse(s, &o, err, sizeof err);
    CHECK(r == 0, "options_parse(\"%s\") = %d (\"%s\"); wanted 0", s, r, err);
    if (r)
        return;
    CHECK(o.mode == mode && o.trace == trace && o.stats == stats && o.boot == boot,
          "options_parse(\"%s\") gave mode %s trace %d stats %d boot %s; wanted mode %s trace %d stats %d boot %s", s,
          MODE_STR(o.mode), o.trace, o.stats, BOOT_STR(o.boot), MODE_STR(mode), trace, stats, BOOT_STR(boot));
}

static void check_parses(const char *s, enum rm_mode mode, int trace, int stats)
{
    check_parses_all(s, mode, trace, stats, BOOT_DEFAULT);
}

/* Parses s and expects -1 with a one-line message that quotes `word`. */
static void check_rejects(const char *s, const char *word)
{
    struct hv_options o;
    char err[200] = "";
    int r = options_parse(s, &o, err, sizeof err);
    CHECK(r == -1, "options_parse(\"%s\") = %d; wanted -1", s, r);
    char quoted[64];
    snprintf(quoted, sizeof quoted, "'%s'", word);
    CHECK(check_contains(err, quoted), "options_parse(\"%s\") says \"%s\"; wanted a message naming %s", s, err, quoted);
    CHECK(!check_contains(err, "\n"), "options_parse(\"%s\") message has a newline", s);
}

static void options_default_to_assist_no_trace_with_stats(void)
{
    check_parses("", MODE_ASSIST, 0, 1);
    check_parses("   ", MODE_ASSIST, 0, 1);
    check_parses("/boot/hv.bin", MODE_ASSIST, 0, 1);
}

static void options_skip_first_word_when_it_is_a_path(void)
{
    check_parses("/boot/hv.bin mode=ug", MODE_UG, 0, 1);
    check_parses("(cd)/boot/hv.bin trace=1", MODE_ASSIST, 1, 1);
    check_parses("boot/hv.bin stats=0", MODE_ASSIST, 0, 0);
    /* a first word without '/' is an option like any other */
    check_parses("mode=emulate", MODE_EMULATE, 0, 1);
}

static void options_reject_path_after_first_word(void)
{
    check_rejects("/boot/hv.bin /boot/other.bin", "/boot/other.bin");
    check_rejects("mode=ug /boot/hv.bin", "/boot/hv.bin");
}

static void options_reject_first_word_that_is_no_path(void) { check_rejects("hv.bin mode=ug", "hv.bin"); }

static void options_select_each_mode(void)
{
    check_parses("/boot/hv.bin mode=assist", MODE_ASSIST, 0, 1);
    check_parses("/boot/hv.bin mode=emulate", MODE_EMULATE, 0, 1);
    check_parses("/boot/hv.bin mode=ug", MODE_UG, 0, 1);
    check_parses("/boot/hv.bin mode=ug mode=emulate", MODE_EMULATE, 0, 1); /* the last one counts */
    CHECK_STR(mode_name(MODE_ASSIST), "assist");
    CHECK_STR(mode_name(MODE_EMULATE), "emulate");
    CHECK_STR(mode_name(MODE_UG), "ug");
}

static void options_accept_every_bool_spelling(void)
{
    check_parses("/hv trace=1", MODE_ASSIST, 1, 1);
    check_parses("/hv trace=on", MODE_ASSIST, 1, 1);
    check_parses("/hv trace=yes", MODE_ASSIST, 1, 1);
    check_parses("/hv trace=1 trace=0", MODE_ASSIST, 0, 1);
    check_parses("/hv trace=1 trace=off", MODE_ASSIST, 0, 1);
    check_parses("/hv trace=1 trace=no", MODE_ASSIST, 0, 1);
    check_parses("/hv stats=0", MODE_ASSIST, 0, 0);
    check_parses("/hv stats=off", MODE_ASSIST, 0, 0);
    check_parses("/hv stats=no", MODE_ASSIST, 0, 0);
    check_parses("/hv stats=0 stats=1", MODE_ASSIST, 0, 1);
    check_parses("/hv stats=0 stats=yes", MODE_ASSIST, 0, 1);
}

static void options_accept_trace_level_2(void)
{
    check_parses("/hv trace=2", MODE_ASSIST, 2, 1);
    check_parses("/hv trace=2 trace=1", MODE_ASSIST, 1, 1);
    check_parses("/hv trace=1 trace=2", MODE_ASSIST, 2, 1);
    check_parses("/hv trace=2 trace=off", MODE_ASSIST, 0, 1);
}

static void options_select_boot_device(void)
{
    check_parses_all("/hv boot=floppy", MODE_ASSIST, 0, 1, BOOT_FLOPPY);
    check_parses_all("/hv boot=disk", MODE_ASSIST, 0, 1, BOOT_DISK);
    check_parses_all("/hv boot=cdrom", MODE_ASSIST, 0, 1, BOOT_CDROM);
    check_parses_all("/hv boot=cdrom boot=default", MODE_ASSIST, 0, 1, BOOT_DEFAULT);
    CHECK_STR(boot_name(BOOT_DEFAULT), "default");
    CHECK_STR(boot_name(BOOT_FLOPPY), "floppy");
    CHECK_STR(boot_name(BOOT_DISK), "disk");
    CHECK_STR(boot_name(BOOT_CDROM), "cdrom");
}

/* Parses s and expects success with firmware f (everything else default). */
static void check_firmware(const char *s, enum firmware f)
{
    struct hv_options o;
    char err[200] = "";
    int r = options_parse(s, &o, err, sizeof err);
    CHECK(r == 0, "options_parse(\"%s\") = %d (\"%s\"); wanted 0", s, r, err);
    if (!r)
        CHECK(o.firmware == f && o.mode == MODE_ASSIST && o.boot == BOOT_DEFAULT,
              "options_parse(\"%s\") gave firmware %d mode %d boot %d; wanted firmware %d, assist, default boot", s,
              o.firmware, o.mode, o.boot, f);
}

static void options_default_to_own_firmware(void)
{
    check_firmware("", FIRMWARE_OWN);
    check_firmware("/boot/hv.bin mode=assist", FIRMWARE_OWN);
}

static void options_select_firmware(void)
{
    check_firmware("/hv firmware=own", FIRMWARE_OWN);
    check_firmware("/hv firmware=bochs", FIRMWARE_BOCHS);
    check_firmware("/hv firmware=bochs firmware=own", FIRMWARE_OWN); /* the last one counts */
    check_parses_all("/hv firmware=bochs mode=ug boot=cdrom trace=1", MODE_UG, 1, 1, BOOT_CDROM);
    CHECK_STR(firmware_name(FIRMWARE_OWN), "own");
    CHECK_STR(firmware_name(FIRMWARE_BOCHS), "bochs");
}

static void options_reject_unknown_firmware_naming_the_choices(void)
{
    check_rejects("/hv firmware=seabios", "seabios");
    check_rejects("/hv firmware=Bochs", "Bochs");
    check_rejects("/hv firmware=", "");
    check_rejects("/hv firmware", "");
    struct hv_options o;
    char err[200] = "";
    options_parse("/hv firmware=ovmf", &o, err, sizeof err);
    CHECK(check_contains(err, "firmware=own") && check_contains(err, "firmware=bochs"),
          "the message for firmware=ovmf is \"%s\"; wanted one naming firmware=own and firmware=bochs", err);
    options_parse("/hv firmwares=own", &o, err, sizeof err);
    CHECK(check_contains(err, "firmware=own|bochs"),
          "the unknown-option message is \"%s\"; wanted the option list with firmware=own|bochs", err);
}

static void options_combine_all_four(void)
{
    check_parses_all("/boot/hv.bin mode=ug trace=1 stats=0 boot=disk", MODE_UG, 1, 0, BOOT_DISK);
    check_parses_all("/boot/hv.bin boot=floppy stats=off trace=on mode=emulate", MODE_EMULATE, 1, 0, BOOT_FLOPPY);
}

static void options_tolerate_multiple_spaces(void)
{
    check_parses("  /boot/hv.bin    mode=emulate   trace=yes  ", MODE_EMULATE, 1, 1);
    check_parses("mode=ug  stats=0", MODE_UG, 0, 0);
    check_parses("/hv mode=ug ", MODE_UG, 0, 1);
}

static void options_reject_unknown_option(void)
{
    check_rejects("/boot/hv.bin foo=1", "foo=1");
    check_rejects("/boot/hv.bin mode=ug verbose", "verbose");
    check_rejects("/boot/hv.bin modes=ug", "modes=ug");
    check_rejects("/boot/hv.bin tracer=1", "tracer=1");
    check_rejects("/boot/hv.bin =1", "=1");
    check_rejects("/hv mode=ug   quiet   trace=1", "quiet");
}

static void options_reject_unknown_mode(void)
{
    check_rejects("/boot/hv.bin mode=vm86", "vm86");
    check_rejects("/boot/hv.bin mode=ugly", "ugly");
    check_rejects("/boot/hv.bin mode=u", "u");
    check_rejects("/boot/hv.bin mode=", "");
    check_rejects("/boot/hv.bin mode", "");
    check_rejects("/boot/hv.bin mode=assist,ug", "assist,ug");
}

static void options_reject_unknown_boot_device(void)
{
    check_rejects("/hv boot=hd0", "hd0");
    check_rejects("/hv boot=CDROM", "CDROM");
    check_rejects("/hv boot=", "");
    check_rejects("/hv mode=ug boot=net", "net");
}

static void options_reject_bad_bool_values(void)
{
    check_rejects("/boot/hv.bin trace=3", "trace=3");
    check_rejects("/boot/hv.bin trace=22", "trace=22");
    check_rejects("/boot/hv.bin stats=2", "stats=2");
    check_rejects("/boot/hv.bin trace=maybe", "trace=maybe");
    check_rejects("/boot/hv.bin trace=", "trace=");
    check_rejects("/boot/hv.bin trace", "trace");
    check_rejects("/boot/hv.bin stats=true", "stats=true");
    check_rejects("/boot/hv.bin stats=01", "stats=01");
    check_rejects("/boot/hv.bin mode=ug stats=onn trace=1", "stats=onn");
}

/* Parses s and expects success with watchdog w seconds. */
static void check_watchdog(const char *s, unsigned w)
{
    struct hv_options o;
    char err[200] = "";
    int r = options_parse(s, &o, err, sizeof err);
    CHECK(r == 0, "options_parse(\"%s\") = %d (\"%s\"); wanted 0", s, r, err);
    if (!r)
        CHECK(o.watchdog == w, "options_parse(\"%s\") gave watchdog %u; wanted %u", s, o.watchdog, w);
}

static void options_watchdog_defaults_off_and_takes_seconds(void)
{
    check_watchdog("/hv", 0);
    check_watchdog("/hv watchdog=2", 2);
    check_watchdog("/hv watchdog=0", 0);
    check_watchdog("/hv watchdog=0000240", 240);      /* run.sh's fixed-width field */
    check_watchdog("/hv watchdog=240 watchdog=5", 5); /* the last one counts: test args after run.sh's */
    check_watchdog("/hv watchdog=86400", 86400);
}

static void options_reject_bad_watchdog_values(void)
{
    check_rejects("/hv watchdog=", "watchdog=");
    check_rejects("/hv watchdog", "watchdog");
    check_rejects("/hv watchdog=-1", "watchdog=-1");
    check_rejects("/hv watchdog=2s", "watchdog=2s");
    check_rejects("/hv watchdog=86401", "watchdog=86401");
    check_rejects("/hv watchdog=99999999999", "watchdog=99999999999");
    check_rejects("/hv watchdog=0x10", "watchdog=0x10");
}

static void options_truncate_message_to_errlen(void)
{
    struct hv_options o;
    char err[16];
    memset(err, 'Z', sizeof err);
    int r = options_parse("/hv frobnicate=1", &o, err, 12);
    CHECK(r == -1, "options_parse(\"/hv frobnicate=1\") = %d; wanted -1", r);
    size_t n = 0;
    while (n < sizeof err && err[n])
        n++;
    CHECK(n == 11, "message in a 12-byte buffer is %zu characters long; wanted 11 + NUL", n);
    CHECK(err[12] == 'Z', "options_parse wrote past errlen (err[12] = 0x%02x)", (unsigned char)err[12]);
}

static void options_select_fb_use_default_auto(void)
{
    struct hv_options o;
    char err[200] = "";
    static const char *const words[] = { "mode=ug", "fb=auto", "fb=off", "fb=on" };
    static const enum fb_use want[] = { FB_AUTO, FB_AUTO, FB_OFF, FB_ON };
    for (int i = 0; i < 4; i++) {
        CHECK(options_parse(words[i], &o, err, sizeof err) == 0, "'%s' rejected: %s", words[i], err);
        CHECK(o.fb == want[i], "'%s' gave fb=%s; wanted fb=%s", words[i], fb_use_name(o.fb), fb_use_name(want[i]));
    }
    check_rejects("fb=vga", "vga");
}

static void options_simulate_takes_a_list_of_missing_devices(void)
{
    struct hv_options o;
    char err[200] = "";
    static const char *const words[] = { "mode=ug", "simulate=no-irq0", "simulate=no-ps2,no-com1",
                                         "simulate=no-com1,no-irq0,no-ps2" };
    static const unsigned want[] = { 0, SIMULATE_NO_IRQ0, SIMULATE_NO_PS2 | SIMULATE_NO_COM1,
                                     SIMULATE_NO_IRQ0 | SIMULATE_NO_PS2 | SIMULATE_NO_COM1 };
    for (int i = 0; i < 4; i++) {
        CHECK(options_parse(words[i], &o, err, sizeof err) == 0, "'%s' rejected: %s", words[i], err);
        CHECK(o.simulate == want[i], "'%s' gave simulate bits 0x%x; wanted 0x%x", words[i], o.simulate, want[i]);
    }
    check_rejects("simulate=no-vga", "no-vga");
    check_rejects("simulate=no-ps2,", "simulate=no-ps2,");
    check_rejects("simulate=", "simulate=");
}

int main(void)
{
    RUN(options_default_to_assist_no_trace_with_stats);
    RUN(options_skip_first_word_when_it_is_a_path);
    RUN(options_reject_path_after_first_word);
    RUN(options_reject_first_word_that_is_no_path);
    RUN(options_select_each_mode);
    RUN(options_accept_every_bool_spelling);
    RUN(options_accept_trace_level_2);
    RUN(options_select_boot_device);
    RUN(options_default_to_own_firmware);
    RUN(options_select_firmware);
    RUN(options_reject_unknown_firmware_naming_the_choices);
    RUN(options_combine_all_four);
    RUN(options_tolerate_multiple_spaces);
    RUN(options_reject_unknown_option);
    RUN(options_reject_unknown_mode);
    RUN(options_reject_unknown_boot_device);
    RUN(options_reject_bad_bool_values);
    RUN(options_watchdog_defaults_off_and_takes_seconds);
    RUN(options_reject_bad_watchdog_values);
    RUN(options_truncate_message_to_errlen);
    RUN(options_select_fb_use_default_auto);
    RUN(options_simulate_takes_a_list_of_missing_devices);
    return check_summary();
}
