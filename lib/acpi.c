/* acpi.c - reading ACPI tables (lib/acpi.h). Every length read from a table
 * is checked before anything behind it is touched: the hv runs this on
 * whatever the machine's firmware left in memory. */
#include "acpi.h"
#include "string.h"
#include "x86/acpi.h"

#define AML_ZERO 0x00
#define AML_ONE 0x01
#define AML_NAME 0x08
#define AML_BYTE 0x0a
#define AML_WORD 0x0b
#define AML_DWORD 0x0c
#define AML_QWORD 0x0e
#define AML_PACKAGE 0x12
#define AML_ROOT '\\'

#define TABLE_MAX (1u << 20) /* no table vmxlab reads is bigger (a DSDT is tens of KiB) */

int32_t acpi_scan_rsdp(const uint8_t *p, uint32_t len)
{
    for (uint32_t off = 0; off + ACPI_RSDP_V1_LEN <= len; off += 16)
        if (!memcmp(p + off, "RSD PTR ", 8) && acpi_sum(p + off, ACPI_RSDP_V1_LEN) == 0)
            return (int32_t)off;
    return -1;
}

/* One integer data object at aml[*i] (below end): its value's low byte. */
static int aml_integer(const uint8_t *aml, uint32_t end, uint32_t *i, uint8_t *v)
{
    static const uint8_t size[] = { [AML_BYTE] = 1, [AML_WORD] = 2, [AML_DWORD] = 4, [AML_QWORD] = 8 };
    uint8_t op = aml[*i];
    if (op == AML_ZERO || op == AML_ONE) {
        *v = op;
        *i += 1;
        return 0;
    }
    if (op >= sizeof size || !size[op] || end - *i < 1u + size[op])
        return -1;
    *v = aml[*i + 1];
    for (unsigned k = 2; k <= size[op]; k++)
        if (aml[*i + k]) /* a sleep type is 3 bits: a bigger number is no sleep type */
            return -1;
    *i += 1u + size[op];
    return 0;
}

/* The package at aml[i] (PackageOp already seen), within aml[0..len). */
static int s5_package(const uint8_t *aml, uint32_t len, uint32_t i, uint8_t *a, uint8_t *b)
{
    if (i >= len)
        return -1;
    /* PkgLength (20.2.4): bits 7-6 of the lead byte = extra bytes; it counts itself. */
    uint32_t extra = aml[i] >> 6, pkglen = extra ? aml[i] & 0x0f : aml[i] & 0x3f;
    if (len - i < 1 + extra)
        return -1;
    for (uint32_t k = 0; k < extra; k++)
        pkglen |= (uint32_t)aml[i + 1 + k] << (4 + 8 * k);
    if (pkglen < 2 + extra || pkglen > len - i)
        return -1;
    uint32_t end = i + pkglen;
    i += 1 + extra;
    uint8_t n = aml[i++];
    if (n < 1 || i >= end || aml_integer(aml, end, &i, a))
        return -1;
    *b = *a;
    if (n >= 2 && (i >= end || aml_integer(aml, end, &i, b)))
        return -1;
    return *a > 7 || *b > 7 ? -1 : 0;
}

int acpi_find_s5(const uint8_t *aml, uint32_t len, uint8_t *slp_typa, uint8_t *slp_typb)
{
    for (uint32_t i = 1; len >= 5 && i <= len - 5; i++) {
        if (memcmp(aml + i, "_S5_", 4) || aml[i + 4] != AML_PACKAGE)
            continue;
        int named = aml[i - 1] == AML_NAME || (aml[i - 1] == AML_ROOT && i >= 2 && aml[i - 2] == AML_NAME);
        if (named && !s5_package(aml, len, i + 5, slp_typa, slp_typb))
            return 0;
    }
    return -1;
}

/* A whole table at phys with the given signature: its header's length is
 * sane and (unless it is the DSDT, which firmware often leaves wrong and no
 * OS checks strictly) its checksum is right. */
static const struct acpi_header *table(acpi_map_fn map, void *ctx, uint64_t phys, const char *sig, int check)
{
    const struct acpi_header *h = phys ? map(ctx, phys, sizeof *h) : 0;
    if (!h || memcmp(h->signature, sig, 4) || h->length < sizeof *h || h->length > TABLE_MAX)
        return 0;
    uint32_t len = h->length;
    h = map(ctx, phys, len);
    return h && (!check || acpi_sum(h, len) == 0) ? h : 0;
}

/* A port from a 32-bit block address, or from the FADT's Generic Address
 * Structure at `gas` when the 32-bit one is 0 and the table is long enough. */
static uint16_t fadt_port(const struct acpi_fadt *f, uint32_t blk, uint32_t gas)
{
    const uint8_t *p = (const uint8_t *)f;
    uint64_t a;
    if (blk)
        return blk <= 0xffff ? (uint16_t)blk : 0;
    if (f->h.length < gas + 12 || p[gas] != ACPI_GAS_SYSTEM_IO)
        return 0;
    memcpy(&a, p + gas + 4, 8);
    return a <= 0xffff ? (uint16_t)a : 0;
}

/* The RSDT, or the XSDT on an ACPI 2.0+ machine whose RSDP part checks
 * out; *entry = 4 or 8 bytes per table address. */
static const struct acpi_header *root_table(acpi_map_fn map, void *ctx, uint64_t rsdp_phys, unsigned *entry,
                                            const char **why)
{
    const struct acpi_rsdp *r = map(ctx, rsdp_phys, ACPI_RSDP_V1_LEN);
    if (!r || memcmp(r->signature, "RSD PTR ", 8) || acpi_sum(r, ACPI_RSDP_V1_LEN)) {
        *why = "no valid RSDP";
        return 0;
    }
    const struct acpi_header *root = 0;
    *entry = 4;
    if (r->revision >= 2 && (r = map(ctx, rsdp_phys, sizeof *r)) && r->length >= sizeof *r &&
        (r = map(ctx, rsdp_phys, r->length)) && acpi_sum(r, r->length) == 0 &&
        (root = table(map, ctx, r->xsdt, "XSDT", 1)))
        *entry = 8;
    r = map(ctx, rsdp_phys, ACPI_RSDP_V1_LEN);
    if (!root)
        root = table(map, ctx, r->rsdt, "RSDT", 1);
    if (!root)
        *why = "the RSDP points to no valid RSDT or XSDT";
    return root;
}

const void *acpi_find_table(acpi_map_fn map, void *ctx, uint64_t rsdp_phys, const char *sig, const char **why)
{
    unsigned entry;
    const struct acpi_header *root = root_table(map, ctx, rsdp_phys, &entry, why), *t = 0;
    for (uint32_t off = sizeof *root; root && !t && off + entry <= root->length; off += entry) {
        uint64_t a = 0;
        memcpy(&a, (const uint8_t *)root + off, entry);
        t = table(map, ctx, a, sig, 1);
    }
    if (root && !t)
        *why = "no such table in the RSDT/XSDT";
    return t;
}

int acpi_read_pm(acpi_map_fn map, void *ctx, uint64_t rsdp_phys, struct acpi_pm *out, const char **why)
{
    memset(out, 0, sizeof *out);
    unsigned entry;
    if (!root_table(map, ctx, rsdp_phys, &entry, why))
        return -1;
    const struct acpi_fadt *f = acpi_find_table(map, ctx, rsdp_phys, "FACP", why);
    if (!f || f->h.length < __builtin_offsetof(struct acpi_fadt, pm_tmr_blk) + 4) {
        *why = "no valid FADT (FACP) in the RSDT/XSDT";
        return -1;
    }
    out->pm1a_evt = fadt_port(f, f->pm1a_evt_blk, ACPI_FADT_X_PM1A_EVT_BLK);
    out->pm1a_cnt = fadt_port(f, f->pm1a_cnt_blk, ACPI_FADT_X_PM1A_CNT_BLK);
    out->pm1b_cnt = f->pm1b_cnt_blk <= 0xffff ? (uint16_t)f->pm1b_cnt_blk : 0;
    out->pm_tmr = f->pm_tmr_blk <= 0xffff ? (uint16_t)f->pm_tmr_blk : 0;
    if (!out->pm1a_cnt) {
        *why = "the FADT has no PM1a control block in I/O space";
        return -1;
    }
    uint64_t dsdt = f->dsdt;
    if (f->h.length >= ACPI_FADT_X_DSDT + 8) {
        uint64_t x;
        memcpy(&x, (const uint8_t *)f + ACPI_FADT_X_DSDT, 8);
        if (x)
            dsdt = x;
    }
    const struct acpi_header *d = table(map, ctx, dsdt, "DSDT", 0);
    out->have_s5 = d && !acpi_find_s5((const uint8_t *)(d + 1), d->length - sizeof *d, &out->s5_typa, &out->s5_typb);
    *why = d ? (out->have_s5 ? "" : "the DSDT has no \\_S5 package") : "the FADT points to no DSDT";
    return 0;
}

int acpi_read_boot_arch(acpi_map_fn map, void *ctx, uint64_t rsdp_phys, uint16_t *flags, const char **why)
{
    const struct acpi_fadt *f = acpi_find_table(map, ctx, rsdp_phys, "FACP", why);
    if (!f)
        return -1;
    if (f->h.revision < 3 || f->h.length < ACPI_FADT_IAPC_BOOT_ARCH + 2) {
        *why = "the FADT is older than revision 3 (ACPI 2.0) and has no IAPC_BOOT_ARCH";
        return -1;
    }
    memcpy(flags, (const uint8_t *)f + ACPI_FADT_IAPC_BOOT_ARCH, 2);
    return 0;
}

int acpi_read_ioapics(acpi_map_fn map, void *ctx, uint64_t rsdp_phys, uint32_t *base, int max, const char **why)
{
    const struct acpi_header *m = acpi_find_table(map, ctx, rsdp_phys, "APIC", why);
    if (!m)
        return -1;
    const uint8_t *p = (const uint8_t *)m;
    int n = 0;
    for (uint32_t off = ACPI_MADT_ENTRIES; off + 2 <= m->length && p[off + 1] >= 2 && off + p[off + 1] <= m->length;
         off += p[off + 1])
        if (p[off] == ACPI_MADT_IOAPIC && p[off + 1] >= 12 && n < max)
            memcpy(&base[n++], p + off + 4, 4);
    return n;
}
