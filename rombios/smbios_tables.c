/* smbios_tables.c - the SMBIOS (DMI) tables rombios gives the OS: a pure
 * function, so the host unit tests build the same tables and walk them.
 *
 * SMBIOS 2.4, the structures an OS and the hardware tools ask for: the BIOS
 * (type 0), the system (1), its chassis (3), the processor (4), the memory
 * as one array (16) holding one device (17) mapped at the RAM's addresses
 * (19), the boot status (32) and the end marker (127). Linux prints the
 * first two in its "DMI:" line and checks them against its quirk tables;
 * memtest86+ and syslinux's HDT show the processor and memory. The strings
 * say what the machine is: vmxlab's virtual PC. */
#include "rombios.h"
#include "string.h"
#include "acpi.h" /* acpi_sum: the same byte sum */

/* Appends structures to the table. A structure is begun with its formatted
 * area (zeroed), gets its strings, then is ended; past the table's end the
 * writer only counts, and smbios_build reports that nothing fit. */
struct writer {
    u8 *table, *at, *area;
    u32 cap;
    u16 n, max_size, n_strings;
    int overflow;
};

static int room(struct writer *w, u32 len)
{
    if (w->overflow || (u32)(w->at - w->table) + len > w->cap) {
        w->overflow = 1;
        return 0;
    }
    return 1;
}

/* The formatted area of a new structure: type, length, handle = its number. */
static u8 *begin(struct writer *w, u8 type, u8 len)
{
    static u8 scratch[64]; /* what fields are written to once the table is full */
    w->n_strings = 0;
    if (!room(w, len + 2u)) {
        memset(scratch, 0, sizeof scratch);
        return w->area = scratch;
    }
    u8 *p = w->area = w->at;
    memset(p, 0, len);
    p[0] = type;
    p[1] = len;
    p[2] = (u8)w->n;
    p[3] = (u8)(w->n >> 8);
    w->at += len;
    return p;
}

/* Adds s to the current structure's strings; returns its number (1..), or 0
 * for an empty s (an empty string cannot be stored: 0 means "none"). */
static u8 str(struct writer *w, const char *s)
{
    u32 len = (u32)strlen(s);
    if (!len || !room(w, len + 1 + 2))
        return 0;
    memcpy(w->at, s, len + 1);
    w->at += len + 1;
    return (u8)++w->n_strings;
}

static void end(struct writer *w)
{
    if (room(w, w->n_strings ? 1 : 2)) {
        *w->at++ = 0;
        if (!w->n_strings)
            *w->at++ = 0;
        u16 size = (u16)(w->at - w->area);
        if (size > w->max_size)
            w->max_size = size;
    }
    w->n++;
}

static void put16(u8 *p, u16 v)
{
    p[0] = (u8)v;
    p[1] = (u8)(v >> 8);
}

static void put32(u8 *p, u32 v)
{
    put16(p, (u16)v);
    put16(p + 2, (u16)(v >> 16));
}

/* Type 0 BIOS characteristics (offset 0Ah, a qword) and extension bytes. */
#define BIOS_ISA (1u << 4)
#define BIOS_PCI (1u << 7)
#define BIOS_APM (1u << 10)
#define BIOS_BOOT_FROM_CD (1u << 15)
#define BIOS_SELECTABLE_BOOT (1u << 16)
#define BIOS_EDD (1u << 19)
#define BIOS_EXT1_ACPI (1u << 0)

#define KIB(bytes) ((u32)((bytes) >> 10))

int smbios_build(struct smbios_tables *t, u32 phys, const struct smbios_config *c)
{
    memset(t, 0, sizeof *t);
    struct writer w = { t->table, t->table, t->table, sizeof t->table, 0, 0, 0, 0 };
    u8 *p;

    p = begin(&w, SMBIOS_BIOS, SMBIOS_BIOS_LEN);
    p[4] = str(&w, "vmxlab");
    p[5] = str(&w, "rombios " ROMBIOS_VERSION);
    put16(p + 6, 0xf000); /* the BIOS's segment */
    p[8] = str(&w, ROMBIOS_DATE);
    p[9] = 0; /* ROM size: 64 KiB x (n + 1) */
    put32(p + 0x0a, BIOS_ISA | BIOS_PCI | BIOS_APM | BIOS_BOOT_FROM_CD | BIOS_SELECTABLE_BOOT | BIOS_EDD);
    p[0x12] = c->acpi ? BIOS_EXT1_ACPI : 0;
    p[0x14] = ROMBIOS_MAJOR;
    p[0x15] = ROMBIOS_MINOR;
    p[0x16] = p[0x17] = 0xff; /* no embedded controller */
    end(&w);

    p = begin(&w, SMBIOS_SYSTEM, SMBIOS_SYSTEM_LEN);
    p[4] = str(&w, "vmxlab");
    p[5] = str(&w, "vmxlab virtual PC");
    p[6] = str(&w, ROMBIOS_VERSION);
    /* serial number none, UUID all zero: "no ID" */
    p[0x18] = 6; /* woken by the power switch */
    end(&w);

    p = begin(&w, SMBIOS_CHASSIS, SMBIOS_CHASSIS_LEN);
    p[4] = str(&w, "vmxlab");
    p[5] = 0x01;                     /* type: other */
    p[9] = p[0x0a] = p[0x0b] = 0x03; /* boot-up, power supply, thermal state: safe */
    p[0x0c] = 0x03;                  /* security: none */
    end(&w);

    p = begin(&w, SMBIOS_PROCESSOR, SMBIOS_PROCESSOR_LEN);
    p[4] = str(&w, "CPU 0");
    p[5] = 0x03; /* central processor */
    p[6] = 0x02; /* family: unknown */
    p[7] = str(&w, c->cpu_vendor);
    put32(p + 8, c->cpu_signature); /* the processor ID: CPUID 1's EAX and EDX */
    put32(p + 12, c->cpu_features);
    p[0x10] = str(&w, c->cpu_brand);
    p[0x18] = 0x41;                    /* socket populated, CPU enabled */
    p[0x19] = 0x01;                    /* upgrade: other */
    put16(p + 0x1a, SMBIOS_NO_HANDLE); /* no cache structures */
    put16(p + 0x1c, SMBIOS_NO_HANDLE);
    put16(p + 0x1e, SMBIOS_NO_HANDLE);
    end(&w);

    u64 ram = c->ram_below_4g + c->ram_above_4g;
    u64 ram_mib = (ram + 0xfffff) >> 20;
    p = begin(&w, SMBIOS_MEMORY_ARRAY, SMBIOS_MEMORY_ARRAY_LEN);
    u16 array = w.n;
    p[4] = 0x03;                                                                    /* on the system board */
    p[5] = 0x03;                                                                    /* system memory */
    p[6] = 0x03;                                                                    /* no error correction */
    put32(p + 7, ram_mib << 10 < 0x80000000u ? (u32)(ram_mib << 10) : 0x80000000u); /* KiB */
    put16(p + 0x0b, SMBIOS_NO_ERROR_INFO);
    put16(p + 0x0d, 1); /* one memory device */
    end(&w);

    p = begin(&w, SMBIOS_MEMORY_DEVICE, SMBIOS_MEMORY_DEVICE_LEN);
    put16(p + 4, array);
    put16(p + 6, SMBIOS_NO_ERROR_INFO);
    put16(p + 8, 64);                                          /* total width, bits */
    put16(p + 0x0a, 64);                                       /* data width */
    put16(p + 0x0c, ram_mib < 0x7fff ? (u16)ram_mib : 0x7fff); /* MiB (bit 15 clear) */
    p[0x0e] = 0x09;                                            /* form factor: DIMM */
    p[0x10] = str(&w, "DIMM 0");
    p[0x11] = str(&w, "BANK 0");
    p[0x12] = 0x07;        /* type: RAM */
    put16(p + 0x13, 0x02); /* type detail: unknown */
    end(&w);

    /* Type 19: where the array's RAM is, in KiB, the end inclusive. */
    if (c->ram_below_4g) {
        p = begin(&w, SMBIOS_ARRAY_MAPPED, SMBIOS_ARRAY_MAPPED_LEN);
        put32(p + 4, 0);
        put32(p + 8, KIB(c->ram_below_4g) - 1);
        put16(p + 0x0c, array);
        p[0x0e] = 1; /* partition width: one device */
        end(&w);
    }
    if (c->ram_above_4g && ((0x100000000ull + c->ram_above_4g) >> 10) <= 0xffffffffu) {
        p = begin(&w, SMBIOS_ARRAY_MAPPED, SMBIOS_ARRAY_MAPPED_LEN);
        put32(p + 4, KIB(0x100000000ull));
        put32(p + 8, KIB(0x100000000ull + c->ram_above_4g) - 1);
        put16(p + 0x0c, array);
        p[0x0e] = 1;
        end(&w);
    }

    begin(&w, SMBIOS_BOOT_INFO, SMBIOS_BOOT_INFO_LEN); /* status 0: no errors */
    end(&w);
    begin(&w, SMBIOS_END, SMBIOS_END_LEN);
    end(&w);
    if (w.overflow)
        return -1;

    struct smbios_entry *e = &t->ep;
    memcpy(e->anchor, "_SM_", 4);
    e->length = sizeof *e;
    e->major = 2;
    e->minor = 4;
    e->max_structure_size = w.max_size;
    memcpy(e->dmi_anchor, "_DMI_", 5);
    e->table_length = (u16)(w.at - w.table);
    e->table_address = phys + (u32) __builtin_offsetof(struct smbios_tables, table);
    e->n_structures = w.n;
    e->bcd_revision = 0x24;
    e->dmi_checksum = (u8)-acpi_sum((const u8 *)e + SMBIOS_DMI_OFFSET, SMBIOS_DMI_LEN);
    e->checksum = (u8)-acpi_sum(e, sizeof *e);
    return e->table_length;
}
