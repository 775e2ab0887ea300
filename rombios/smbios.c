/* smbios.c - SMBIOS at POST: what the processor says of itself (CPUID) and
 * where the RAM is (the E820 map), written into our own segment, which the
 * E820 map reserves, by smbios_tables.c. */
#include "rombios.h"
#include "string.h"

static struct smbios_tables tables; /* aligned(16): see rombios.h */

static void cpu_identity(struct smbios_config *c)
{
    u32 r[4];
    cpuid(0, 0, r);
    memcpy(c->cpu_vendor, &r[1], 4); /* EBX, EDX, ECX: "GenuineIntel" */
    memcpy(c->cpu_vendor + 4, &r[3], 4);
    memcpy(c->cpu_vendor + 8, &r[2], 4);
    cpuid(1, 0, r);
    c->cpu_signature = r[0];
    c->cpu_features = r[3];
    cpuid(0x80000000u, 0, r);
    if (r[0] < 0x80000004u)
        return;
    for (u32 i = 0; i < 3; i++) {
        cpuid(0x80000002u + i, 0, r);
        memcpy(c->cpu_brand + 16 * i, r, 16);
    }
    u32 skip = 0; /* Intel pads the brand string on the left */
    while (c->cpu_brand[skip] == ' ')
        skip++;
    memmove(c->cpu_brand, c->cpu_brand + skip, sizeof c->cpu_brand - skip);
}

void smbios_setup(void)
{
    struct smbios_config c = { 0 };
    cpu_identity(&c);
    for (u32 i = 0; i < memmap.n; i++) {
        const struct vmxlab_e820 *e = &memmap.e[i];
        if (e->type != 1)
            continue;
        u64 end = e->base + e->len;
        if (end <= 0x100000000ull) {
            if (end > c.ram_below_4g)
                c.ram_below_4g = end;
        } else {
            c.ram_above_4g += end - (e->base > 0x100000000ull ? e->base : 0x100000000ull);
        }
    }
    c.acpi = acpi_built();
    u32 phys = LINEAR(my_seg(), (u16)(u32)&tables);
    int len = smbios_build(&tables, phys, &c);
    if (len < 0) {
        bprintf("rombios: error: the SMBIOS structures do not fit in %u bytes: no SMBIOS\n",
                (unsigned)SMBIOS_TABLE_MAX);
        memset(&tables, 0, sizeof tables);
        return;
    }
    dprintf(1, "rombios: SMBIOS 2.4 at %05x: %u structures, %u bytes\n", (unsigned)phys,
            (unsigned)tables.ep.n_structures, (unsigned)len);
}
