/* test_smbios.c - rombios's SMBIOS tables (rombios/smbios_tables.c), read
 * back the way an OS's DMI scan reads them: the entry point's two checksums,
 * then the structure table walked by each structure's length and its string
 * set, to the end marker. */
#include "check.h"
#include "../../rombios/rombios.h"
#include "acpi.h"

#define PHYS 0xf6c30u /* where rombios might put them: 16-byte aligned */

static struct smbios_tables tables;

static const struct smbios_config pc256 = {
    0x000206a7, 0xbfebfbff, "GenuineIntel", "Intel(R) Core(TM) i7-2600K CPU @ 3.40GHz", 0xfef0000, 0, 1,
};

struct found {
    const uint8_t *s[8]; /* the structures of each type seen, by order */
    unsigned n_type[128];
    unsigned n, max_size;
    int ended, strings_ok;
};

/* Walks the table; returns the number of structures up to the end marker. */
static void walk(const uint8_t *t, unsigned len, struct found *f)
{
    memset(f, 0, sizeof *f);
    f->strings_ok = 1;
    unsigned at = 0;
    while (at + 4 <= len) {
        const uint8_t *s = t + at;
        if (s[1] < 4 || at + s[1] + 2 > len)
            return;
        unsigned end = at + s[1]; /* the string set: until a double NUL */
        while (end + 1 < len && (t[end] || t[end + 1]))
            end++;
        end += 2;
        if (end > len)
            return;
        if (f->n < 8)
            f->s[f->n] = s;
        f->n++;
        f->n_type[s[0] & 127]++;
        if (end - at > f->max_size)
            f->max_size = end - at;
        at = end;
        if (s[0] == SMBIOS_END) {
            f->ended = at == len;
            return;
        }
    }
}

/* String number n of structure s, or "" (0 or past its strings). */
static const char *string_of(const uint8_t *s, unsigned n)
{
    const char *p = (const char *)s + s[1];
    if (!n)
        return "";
    while (--n) {
        if (!*p)
            return "";
        p += strlen(p) + 1;
    }
    return p;
}

static const uint8_t *first_of(const uint8_t *t, unsigned len, unsigned type)
{
    unsigned at = 0;
    while (at + 4 <= len) {
        if (t[at] == type)
            return t + at;
        unsigned end = at + t[at + 1];
        while (end + 1 < len && (t[end] || t[end + 1]))
            end++;
        at = end + 2;
    }
    return 0;
}

static uint32_t get32(const uint8_t *p) { return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }
static uint16_t get16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }

static void smbios_entry_point_has_anchors_checksums_and_the_table_address(void)
{
    int len = smbios_build(&tables, PHYS, &pc256);
    CHECK(len > 0, "smbios_build returned %d", len);
    const struct smbios_entry *e = &tables.ep;
    CHECK(!memcmp(e->anchor, "_SM_", 4), "anchor");
    CHECK(!memcmp(e->dmi_anchor, "_DMI_", 5), "intermediate anchor");
    CHECK_EQ(e->length, 0x1f);
    CHECK_EQ(acpi_sum(e, e->length), 0);
    CHECK_EQ(acpi_sum((const uint8_t *)e + SMBIOS_DMI_OFFSET, SMBIOS_DMI_LEN), 0);
    CHECK_EQ(e->major, 2);
    CHECK_EQ(e->minor, 4);
    CHECK_EQ(e->bcd_revision, 0x24);
    CHECK_EQ(e->table_address, PHYS + __builtin_offsetof(struct smbios_tables, table));
    CHECK_EQ(e->table_length, (unsigned)len);
    CHECK_EQ(PHYS % 16, 0);
}

static void smbios_table_walks_to_the_end_marker_with_the_announced_counts(void)
{
    int len = smbios_build(&tables, PHYS, &pc256);
    struct found f;
    walk(tables.table, (unsigned)len, &f);
    CHECK(f.ended, "the walk did not end at an end-of-table structure at the table's end");
    CHECK_EQ(f.n, tables.ep.n_structures);
    CHECK_EQ(f.max_size, tables.ep.max_structure_size);
    static const unsigned want[] = { SMBIOS_BIOS,         SMBIOS_SYSTEM,       SMBIOS_CHASSIS,
                                     SMBIOS_PROCESSOR,    SMBIOS_MEMORY_ARRAY, SMBIOS_MEMORY_DEVICE,
                                     SMBIOS_ARRAY_MAPPED, SMBIOS_BOOT_INFO,    SMBIOS_END };
    for (unsigned i = 0; i < sizeof want / sizeof want[0]; i++)
        CHECK(f.n_type[want[i]] == 1, "%u structures of type %u; wanted 1", f.n_type[want[i]], want[i]);
    /* handles are unique: they are the structures' numbers */
    for (unsigned i = 0; i < f.n && i < 8; i++)
        CHECK_EQ(get16(f.s[i] + 2), i);
}

static void smbios_strings_name_the_bios_system_and_processor(void)
{
    int len = smbios_build(&tables, PHYS, &pc256);
    const uint8_t *bios = first_of(tables.table, (unsigned)len, SMBIOS_BIOS);
    const uint8_t *sys = first_of(tables.table, (unsigned)len, SMBIOS_SYSTEM);
    const uint8_t *cpu = first_of(tables.table, (unsigned)len, SMBIOS_PROCESSOR);
    CHECK(bios && sys && cpu, "a structure is missing");
    if (!bios || !sys || !cpu)
        return;
    CHECK_EQ(bios[1], SMBIOS_BIOS_LEN);
    CHECK_STR(string_of(bios, bios[4]), "vmxlab");
    CHECK_STR(string_of(bios, bios[5]), "rombios " ROMBIOS_VERSION);
    CHECK_STR(string_of(bios, bios[8]), ROMBIOS_DATE);
    CHECK_EQ(get16(bios + 6), 0xf000);
    CHECK_EQ(bios[0x12] & 1, 1); /* ACPI */
    CHECK_STR(string_of(sys, sys[4]), "vmxlab");
    CHECK_STR(string_of(sys, sys[5]), "vmxlab virtual PC");
    CHECK_STR(string_of(cpu, cpu[7]), "GenuineIntel");
    CHECK_STR(string_of(cpu, cpu[0x10]), "Intel(R) Core(TM) i7-2600K CPU @ 3.40GHz");
    CHECK_EQ(get32(cpu + 8), 0x000206a7);
    CHECK_EQ(get32(cpu + 12), 0xbfebfbff);
}

static void smbios_memory_matches_the_ram_it_was_given(void)
{
    struct smbios_config c = pc256;
    c.ram_above_4g = 0x40000000; /* and 1 GiB above 4 GiB */
    int len = smbios_build(&tables, PHYS, &c);
    const uint8_t *dev = first_of(tables.table, (unsigned)len, SMBIOS_MEMORY_DEVICE);
    const uint8_t *arr = first_of(tables.table, (unsigned)len, SMBIOS_MEMORY_ARRAY);
    CHECK(dev && arr, "no memory array or device");
    if (!dev || !arr)
        return;
    unsigned mib = (0xfef0000u + 0xfffffu) / 0x100000u + 1024;
    CHECK_EQ(get16(dev + 0x0c), mib);
    CHECK_EQ(get32(arr + 7), mib * 1024u);
    CHECK_EQ(get16(dev + 4), get16(arr + 2)); /* the device is in the array */
    /* two type-19 ranges: below 4 GiB and above */
    unsigned at = 0, n19 = 0;
    uint32_t start[2] = { 0 }, end[2] = { 0 };
    while (at + 4 <= (unsigned)len) {
        const uint8_t *s = tables.table + at;
        if (s[0] == SMBIOS_ARRAY_MAPPED && n19 < 2) {
            start[n19] = get32(s + 4);
            end[n19] = get32(s + 8);
            n19++;
        }
        unsigned e = at + s[1];
        while (tables.table[e] || tables.table[e + 1])
            e++;
        at = e + 2;
    }
    CHECK_EQ(n19, 2);
    CHECK_EQ(start[0], 0);
    CHECK_EQ(end[0], 0xfef0000u / 1024 - 1);
    CHECK_EQ(start[1], 0x400000u);
    CHECK_EQ(end[1], 0x400000u + 0x100000u - 1);
}

static void smbios_empty_brand_string_is_no_string(void)
{
    struct smbios_config c = pc256;
    c.cpu_brand[0] = 0; /* a CPU without CPUID 80000002h-4h */
    int len = smbios_build(&tables, PHYS, &c);
    const uint8_t *cpu = first_of(tables.table, (unsigned)len, SMBIOS_PROCESSOR);
    CHECK(cpu != 0, "no processor structure");
    if (!cpu)
        return;
    CHECK_EQ(cpu[0x10], 0);
    struct found f;
    walk(tables.table, (unsigned)len, &f);
    CHECK(f.ended, "the table no longer walks to its end");
}

int main(void)
{
    RUN(smbios_entry_point_has_anchors_checksums_and_the_table_address);
    RUN(smbios_table_walks_to_the_end_marker_with_the_announced_counts);
    RUN(smbios_strings_name_the_bios_system_and_processor);
    RUN(smbios_memory_matches_the_ram_it_was_given);
    RUN(smbios_empty_brand_string_is_no_string);
    return check_summary();
}
