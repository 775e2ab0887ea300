/* test_acpi.c - rombios's ACPI tables (rombios/acpi_tables.c) and the hv's
 * reader (lib/acpi.c): the tables rombios builds are well-formed and read
 * back to the ports and \_S5 type they were built with; the \_S5 finder
 * parses the forms firmware writes and survives malformed and short AML;
 * the FADT's IA-PC boot flags and the MADT's I/O APICs are read. */
#include <stdlib.h>
#include "check.h"
#include "../../rombios/rombios.h"
#include "acpi.h"

/* A fake physical memory: one buffer at base. */
struct mem {
    const uint8_t *buf;
    uint64_t base;
    uint32_t len;
};

static const void *mem_map(void *ctx, uint64_t phys, uint32_t len)
{
    const struct mem *m = ctx;
    if (phys < m->base || phys - m->base > m->len || len > m->len - (phys - m->base))
        return 0;
    return m->buf + (phys - m->base);
}

#define PHYS 0xf5a40u /* where rombios might put them: 64-byte aligned */

static struct acpi_tables tables;
static const struct acpi_config piix4 = { 0xb000, 0xb004, 0xb008, 0, 9 };

static void acpi_tables_have_right_signatures_lengths_and_checksums(void)
{
    acpi_build(&tables, PHYS, &piix4);
    CHECK(!memcmp(tables.rsdp.signature, "RSD PTR ", 8), "RSDP signature");
    CHECK_EQ(acpi_sum(&tables.rsdp, ACPI_RSDP_V1_LEN), 0);
    CHECK_EQ(tables.rsdp.revision, 0);
    CHECK_EQ(tables.rsdp.rsdt, PHYS + __builtin_offsetof(struct acpi_tables, rsdt));
    CHECK(!memcmp(tables.rsdt.h.signature, "RSDT", 4), "RSDT signature");
    CHECK_EQ(tables.rsdt.h.length, 40);
    CHECK_EQ(acpi_sum(&tables.rsdt, tables.rsdt.h.length), 0);
    CHECK_EQ(tables.rsdt.entry[0], PHYS + __builtin_offsetof(struct acpi_tables, fadt));
    CHECK(!memcmp(tables.fadt.h.signature, "FACP", 4), "FADT signature");
    CHECK_EQ(tables.fadt.h.length, 116);
    CHECK_EQ(acpi_sum(&tables.fadt, tables.fadt.h.length), 0);
    CHECK_EQ(tables.fadt.pm1a_evt_blk, 0xb000);
    CHECK_EQ(tables.fadt.pm1a_cnt_blk, 0xb004);
    CHECK_EQ(tables.fadt.pm_tmr_blk, 0xb008);
    CHECK_EQ(tables.fadt.pm1_cnt_len, 2);
    CHECK_EQ(tables.fadt.smi_cmd, 0); /* always in ACPI mode */
    CHECK_EQ(tables.fadt.sci_int, 9);
    CHECK_EQ(tables.fadt.firmware_ctrl % 64, 0);
    CHECK_EQ(tables.fadt.firmware_ctrl, PHYS + 64);
    CHECK(!memcmp(tables.facs.signature, "FACS", 4), "FACS signature");
    CHECK_EQ(tables.facs.length, 64);
    CHECK_EQ(tables.fadt.dsdt, PHYS + __builtin_offsetof(struct acpi_tables, dsdt));
    CHECK(!memcmp(tables.dsdt.h.signature, "DSDT", 4), "DSDT signature");
    CHECK_EQ(tables.dsdt.h.length, sizeof tables.dsdt);
    CHECK_EQ(acpi_sum(&tables.dsdt, tables.dsdt.h.length), 0);
    uint8_t a = 9, b = 9;
    CHECK_EQ(acpi_find_s5(tables.dsdt.aml, sizeof tables.dsdt.aml, &a, &b), 0);
    CHECK_EQ(a, 0);
    CHECK_EQ(b, 0);
}

static void acpi_read_pm_reads_back_rombios_tables(void)
{
    for (uint8_t typ = 0; typ < 8; typ++) {
        struct acpi_config c = { 0x600, 0x604, 0x608, typ, 9 };
        acpi_build(&tables, PHYS, &c);
        struct mem m = { (const uint8_t *)&tables, PHYS, sizeof tables };
        struct acpi_pm pm;
        const char *why = 0;
        CHECK_EQ(acpi_read_pm(mem_map, &m, PHYS, &pm, &why), 0);
        CHECK_EQ(pm.pm1a_evt, 0x600);
        CHECK_EQ(pm.pm1a_cnt, 0x604);
        CHECK_EQ(pm.pm_tmr, 0x608);
        CHECK_EQ(pm.pm1b_cnt, 0);
        CHECK(pm.have_s5, "type %u: no \\_S5 read back (%s)", typ, why);
        CHECK_EQ(pm.s5_typa, typ);
        CHECK_EQ(pm.s5_typb, typ);
    }
}

static void acpi_scan_rsdp_needs_alignment_and_checksum(void)
{
    static uint8_t area[256];
    acpi_build(&tables, PHYS, &piix4);
    memset(area, 0, sizeof area);
    memcpy(area + 8, &tables.rsdp, 20); /* not on a 16-byte boundary */
    CHECK_EQ(acpi_scan_rsdp(area, sizeof area), -1);
    memcpy(area + 32, &tables.rsdp, 20);
    area[32 + 9] ^= 1; /* a bad checksum */
    memcpy(area + 96, &tables.rsdp, 20);
    CHECK_EQ(acpi_scan_rsdp(area, sizeof area), 96);
    CHECK_EQ(acpi_scan_rsdp(area, 96 + 19), -1); /* cut short */
}

static void acpi_read_pm_rejects_broken_tables(void)
{
    struct mem m = { (const uint8_t *)&tables, PHYS, sizeof tables };
    struct acpi_pm pm;
    const char *why = 0;
    acpi_build(&tables, PHYS, &piix4);
    tables.rsdt.h.checksum++;
    CHECK_EQ(acpi_read_pm(mem_map, &m, PHYS, &pm, &why), -1);
    CHECK(why && check_contains(why, "RSDT"), "why = %s", why);
    acpi_build(&tables, PHYS, &piix4);
    tables.rsdt.h.length = 0xffffffff; /* runs past memory */
    CHECK_EQ(acpi_read_pm(mem_map, &m, PHYS, &pm, &why), -1);
    acpi_build(&tables, PHYS, &piix4);
    tables.rsdt.entry[0] = 0x12345678; /* no FADT there */
    tables.rsdt.h.checksum = 0;
    tables.rsdt.h.checksum = (uint8_t)-acpi_sum(&tables.rsdt, sizeof tables.rsdt);
    CHECK_EQ(acpi_read_pm(mem_map, &m, PHYS, &pm, &why), -1);
    CHECK(why && check_contains(why, "FADT"), "why = %s", why);
    acpi_build(&tables, PHYS, &piix4);
    memcpy(tables.dsdt.h.signature, "XXXX", 4); /* FADT fine, DSDT gone: ports but no \_S5 */
    CHECK_EQ(acpi_read_pm(mem_map, &m, PHYS, &pm, &why), 0);
    CHECK_EQ(pm.pm1a_cnt, 0xb004);
    CHECK_EQ(pm.have_s5, 0);
    CHECK(why && check_contains(why, "DSDT"), "why = %s", why);
}

/* An ACPI 2.0 machine: RSDP revision 2 -> XSDT (64-bit entries) -> our FADT. */
static void acpi_read_pm_follows_the_xsdt(void)
{
    static struct {
        struct acpi_tables t;
        struct acpi_rsdp rsdp2;
        struct acpi_header xsdt;
        uint8_t entry[8]; /* right after the header: members of 1-byte alignment */
    } mem2;
    struct acpi_config c = { 0x400, 0x404, 0x408, 7, 9 };
    acpi_build(&mem2.t, PHYS, &c);
    uint64_t rsdp2 = PHYS + __builtin_offsetof(__typeof__(mem2), rsdp2);
    mem2.rsdp2 = mem2.t.rsdp;
    mem2.rsdp2.rsdt = 0; /* only the XSDT leads anywhere */
    mem2.rsdp2.revision = 2;
    mem2.rsdp2.length = sizeof mem2.rsdp2;
    mem2.rsdp2.xsdt = PHYS + __builtin_offsetof(__typeof__(mem2), xsdt);
    mem2.rsdp2.checksum = 0;
    mem2.rsdp2.checksum = (uint8_t)-acpi_sum(&mem2.rsdp2, ACPI_RSDP_V1_LEN);
    mem2.rsdp2.xchecksum = (uint8_t)-acpi_sum(&mem2.rsdp2, sizeof mem2.rsdp2);
    mem2.xsdt = mem2.t.rsdt.h;
    memcpy(mem2.xsdt.signature, "XSDT", 4);
    mem2.xsdt.length = sizeof mem2.xsdt + 8;
    uint64_t fadt = mem2.t.rsdt.entry[0];
    memcpy(mem2.entry, &fadt, 8);
    mem2.xsdt.checksum = 0;
    mem2.xsdt.checksum = (uint8_t)-acpi_sum(&mem2.xsdt, mem2.xsdt.length);
    struct mem m = { (const uint8_t *)&mem2, PHYS, sizeof mem2 };
    struct acpi_pm pm;
    const char *why = 0;
    CHECK_EQ(acpi_read_pm(mem_map, &m, rsdp2, &pm, &why), 0);
    CHECK_EQ(pm.pm1a_cnt, 0x404);
    CHECK_EQ(pm.s5_typa, 7);
}

/* A machine's tables built by hand: an RSDT listing a revision-3 FADT
 * (244 bytes, IAPC_BOOT_ARCH at 109) and a MADT with a local APIC entry and
 * two I/O APICs. */
static struct {
    struct acpi_rsdp rsdp;
    struct acpi_header rsdt;
    uint32_t entry[2];
    uint8_t fadt[244];
    uint8_t madt[44 + 8 + 12 + 12];
} hand;
#define HAND_AT(m) (PHYS + (uint32_t) __builtin_offsetof(__typeof__(hand), m))

static void header(void *t, const char *sig, uint32_t len, uint8_t rev)
{
    struct acpi_header *h = t;
    memcpy(h->signature, sig, 4);
    h->length = len;
    h->revision = rev;
    h->checksum = 0;
    h->checksum = (uint8_t)-acpi_sum(h, len);
}

static struct mem build_hand(uint8_t fadt_rev, uint16_t boot_arch)
{
    memset(&hand, 0, sizeof hand);
    memcpy(hand.rsdp.signature, "RSD PTR ", 8);
    hand.rsdp.rsdt = HAND_AT(rsdt);
    hand.rsdp.checksum = (uint8_t)-acpi_sum(&hand.rsdp, ACPI_RSDP_V1_LEN);
    hand.entry[0] = HAND_AT(fadt);
    hand.entry[1] = HAND_AT(madt);
    header(&hand.rsdt, "RSDT", sizeof hand.rsdt + sizeof hand.entry, 1);
    memcpy(hand.fadt + ACPI_FADT_IAPC_BOOT_ARCH, &boot_arch, 2);
    header(hand.fadt, "FACP", sizeof hand.fadt, fadt_rev);
    uint8_t *e = hand.madt + ACPI_MADT_ENTRIES;
    e[0] = 0, e[1] = 8; /* a local APIC */
    e += 8;
    uint32_t a = 0xfec00000, b = 0xfec01000;
    e[0] = ACPI_MADT_IOAPIC, e[1] = 12, memcpy(e + 4, &a, 4);
    e += 12;
    e[0] = ACPI_MADT_IOAPIC, e[1] = 12, memcpy(e + 4, &b, 4);
    header(hand.madt, "APIC", sizeof hand.madt, 3);
    return (struct mem){ (const uint8_t *)&hand, PHYS, sizeof hand };
}

static void acpi_read_boot_arch_reads_the_8042_and_rtc_flags(void)
{
    struct mem m = build_hand(3, ACPI_BOOT_ARCH_NO_CMOS_RTC);
    uint16_t f = 0xffff;
    const char *why = 0;
    CHECK_EQ(acpi_read_boot_arch(mem_map, &m, HAND_AT(rsdp), &f, &why), 0);
    CHECK_EQ(f, ACPI_BOOT_ARCH_NO_CMOS_RTC); /* no 8042, no RTC */
    m = build_hand(3, ACPI_BOOT_ARCH_8042 | ACPI_BOOT_ARCH_LEGACY_DEVICES);
    CHECK_EQ(acpi_read_boot_arch(mem_map, &m, HAND_AT(rsdp), &f, &why), 0);
    CHECK_EQ(f, ACPI_BOOT_ARCH_8042 | ACPI_BOOT_ARCH_LEGACY_DEVICES);
    /* a revision-1 FADT has a reserved byte there: no answer, whatever it holds */
    m = build_hand(1, 0);
    why = 0;
    CHECK_EQ(acpi_read_boot_arch(mem_map, &m, HAND_AT(rsdp), &f, &why), -1);
    CHECK(why && check_contains(why, "revision 3"), "why = %s", why);
    /* rombios's own tables are ACPI 1.0: the same */
    acpi_build(&tables, PHYS, &piix4);
    struct mem r = { (const uint8_t *)&tables, PHYS, sizeof tables };
    CHECK_EQ(acpi_read_boot_arch(mem_map, &r, PHYS + __builtin_offsetof(struct acpi_tables, rsdp), &f, &why), -1);
}

static void acpi_read_ioapics_lists_the_madt_entries(void)
{
    struct mem m = build_hand(3, 0);
    uint32_t base[4] = { 0 };
    const char *why = 0;
    CHECK_EQ(acpi_read_ioapics(mem_map, &m, HAND_AT(rsdp), base, 4, &why), 2);
    CHECK_EQ(base[0], 0xfec00000u);
    CHECK_EQ(base[1], 0xfec01000u);
    CHECK_EQ(acpi_read_ioapics(mem_map, &m, HAND_AT(rsdp), base, 1, &why), 1);
    /* an entry whose length runs past the table ends the walk */
    hand.madt[ACPI_MADT_ENTRIES + 8 + 1] = 200;
    header(hand.madt, "APIC", sizeof hand.madt, 3);
    CHECK_EQ(acpi_read_ioapics(mem_map, &m, HAND_AT(rsdp), base, 4, &why), 0);
    /* a zero length too (no endless loop) */
    hand.madt[ACPI_MADT_ENTRIES + 1] = 0;
    header(hand.madt, "APIC", sizeof hand.madt, 3);
    CHECK_EQ(acpi_read_ioapics(mem_map, &m, HAND_AT(rsdp), base, 4, &why), 0);
    /* no MADT at all */
    acpi_build(&tables, PHYS, &piix4);
    struct mem r = { (const uint8_t *)&tables, PHYS, sizeof tables };
    CHECK_EQ(acpi_read_ioapics(mem_map, &r, PHYS + __builtin_offsetof(struct acpi_tables, rsdp), base, 4, &why), -1);
}

/* The finder on an exact-size heap copy, so ASan sees any read past it. */
static int find(const uint8_t *aml, uint32_t len, uint8_t *a, uint8_t *b)
{
    uint8_t *p = malloc(len ? len : 1);
    memcpy(p, aml, len);
    int r = acpi_find_s5(p, len, a, b);
    free(p);
    return r;
}

static void acpi_find_s5_parses_the_forms_firmware_writes(void)
{
    uint8_t a, b;
    /* Bochs' BIOS-bochs-latest: Name(_S5_, Package(4){0, 0, 0, 0}) */
    static const uint8_t bochs[] = { 0x10, 0x08, 0x5f, 0x53, 0x35, 0x5f, 0x12, 0x06, 0x04, 0x00, 0x00, 0x00, 0x00 };
    CHECK_EQ(find(bochs, sizeof bochs, &a, &b), 0);
    CHECK_EQ(a, 0);
    /* a PC chipset: Name(\_S5, Package(4){0x07, 0x07, Zero, Zero}) */
    static const uint8_t pc[] = {
        0x08, '\\', '_', 'S', '5', '_', 0x12, 0x08, 0x04, 0x0a, 0x07, 0x0a, 0x07, 0x00, 0x00
    };
    CHECK_EQ(find(pc, sizeof pc, &a, &b), 0);
    CHECK_EQ(a, 7);
    CHECK_EQ(b, 7);
    /* One, WordPrefix 5, and a two-byte PkgLength */
    static const uint8_t w[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x47, 0x00, 0x02, 0x01, 0x0b, 0x05, 0x00 };
    CHECK_EQ(find(w, sizeof w, &a, &b), 0);
    CHECK_EQ(a, 1);
    CHECK_EQ(b, 5);
    /* a one-element package: SLP_TYPb = SLP_TYPa */
    static const uint8_t one[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x04, 0x01, 0x0a, 0x03 };
    CHECK_EQ(find(one, sizeof one, &a, &b), 0);
    CHECK_EQ(a, 3);
    CHECK_EQ(b, 3);
    /* a reference to _S5_ in code first (no NameOp before it), then the definition */
    static const uint8_t ref[] = { 0x70, '_', 'S', '5',  '_',  0x12, 0x00, 0x08, '_',
                                   'S',  '5', '_', 0x12, 0x04, 0x01, 0x0a, 0x06 };
    CHECK_EQ(find(ref, sizeof ref, &a, &b), 0);
    CHECK_EQ(a, 6);
}

static void acpi_find_s5_rejects_malformed_and_short_aml(void)
{
    uint8_t a, b;
    static const uint8_t good[] = {
        0x08, '\\', '_', 'S', '5', '_', 0x12, 0x08, 0x04, 0x0a, 0x07, 0x0a, 0x07, 0x00, 0x00
    };
    for (uint32_t len = 0; len < sizeof good; len++)
        CHECK(find(good, len, &a, &b) == -1, "found \\_S5 in the first %u bytes of a %zu-byte package", len,
              sizeof good);
    static const uint8_t bad[][12] = {
        { 0x08, '_', 'S', '5', '_', 0x12, 0x04, 0x00, 0x0a, 0x07 },       /* NumElements 0 */
        { 0x08, '_', 'S', '5', '_', 0x12, 0x40, 0x00, 0x01, 0x0a, 0x07 }, /* PkgLength past the end */
        { 0x08, '_', 'S', '5', '_', 0x12, 0x04, 0x01, 0x0a, 0x08 },       /* 8 is no sleep type */
        { 0x08, '_', 'S', '5', '_', 0x12, 0x05, 0x01, 0x0b, 0x01, 0x01 }, /* a word above 7 */
        { 0x08, '_', 'S', '5', '_', 0x12, 0x04, 0x01, 0x0d, 0x07 },       /* a string, not an integer */
        { 0x08, '_', 'S', '5', '_', 0x14, 0x04, 0x01, 0x0a, 0x07 },       /* a Method, not a Package */
        { 0x08, '_', 'S', '5', '_', 0x12, 0x00 },                         /* PkgLength 0 */
        { 0x08, '_', 'S', '5', '_', 0x12, 0xc0 },                         /* a 4-byte PkgLength, cut */
    };
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK(find(bad[i], sizeof bad[i], &a, &b) == -1, "malformed package %u accepted", i);
    /* noise: every byte value, no crash and no \_S5 */
    uint8_t noise[4096];
    for (unsigned i = 0; i < sizeof noise; i++)
        noise[i] = (uint8_t)(i * 2654435761u >> 13);
    CHECK_EQ(find(noise, sizeof noise, &a, &b), -1);
}

int main(void)
{
    RUN(acpi_tables_have_right_signatures_lengths_and_checksums);
    RUN(acpi_read_pm_reads_back_rombios_tables);
    RUN(acpi_scan_rsdp_needs_alignment_and_checksum);
    RUN(acpi_read_pm_rejects_broken_tables);
    RUN(acpi_read_pm_follows_the_xsdt);
    RUN(acpi_find_s5_parses_the_forms_firmware_writes);
    RUN(acpi_find_s5_rejects_malformed_and_short_aml);
    RUN(acpi_read_boot_arch_reads_the_8042_and_rtc_flags);
    RUN(acpi_read_ioapics_lists_the_madt_entries);
    return check_summary();
}
