/* acpi.h - reading ACPI tables: checksums, the RSDP scan, the walk from the
 * RSDP to the FADT's power-management ports and the DSDT's \_S5 sleep type.
 * Pure functions over memory the caller maps (the hv reads the machine's
 * tables through its identity map; the host unit tests read tables built in
 * a buffer), so malformed tables are tested on the host. Table layouts:
 * include/x86/acpi.h. */
#ifndef LIB_ACPI_H
#define LIB_ACPI_H
#include <stdint.h>

/* The byte sum of p[0..len): 0 for a table whose checksum is right. (Inline:
 * rombios needs only this, and must not carry the scan's "RSD PTR " string
 * in the segment an OS scans for the real one.) */
static inline uint8_t acpi_sum(const void *p, uint32_t len)
{
    const uint8_t *b = p;
    uint8_t s = 0;
    while (len--)
        s += *b++;
    return s;
}

/* Offset of the first valid revision-0 RSDP ("RSD PTR ", 16-byte aligned,
 * 20-byte checksum) in p[0..len), or -1. */
int32_t acpi_scan_rsdp(const uint8_t *p, uint32_t len);

/* Finds `Name(\_S5, Package(){SLP_TYPa, SLP_TYPb, ...})` in AML: NameOp
 * (08h), the name `_S5_` (optionally after `\`), PackageOp (12h), PkgLength,
 * NumElements, then integers (ZeroOp, OneOp, or Byte/Word/DWord/QWordPrefix
 * constants). A one-element package gives SLP_TYPb = SLP_TYPa. Returns 0 and
 * the two types (0-7), or -1 when there is no well-formed \_S5 package in
 * aml[0..len); reads nothing outside it. */
int acpi_find_s5(const uint8_t *aml, uint32_t len, uint8_t *slp_typa, uint8_t *slp_typb);

/* What vmxlab needs of a machine's ACPI: the PM1 ports and the S5 type. */
struct acpi_pm {
    uint16_t pm1a_evt, pm1a_cnt, pm1b_cnt, pm_tmr; /* I/O ports; 0: none */
    uint8_t s5_typa, s5_typb;
    int have_s5; /* the DSDT has a well-formed \_S5 */
};

/* Returns a pointer to len bytes at physical address phys, or 0 when that
 * range cannot be read. */
typedef const void *(*acpi_map_fn)(void *ctx, uint64_t phys, uint32_t len);

/* The walk RSDP -> RSDT (or XSDT) -> FADT -> DSDT. Returns 0 when a FADT
 * with a PM1a control block was found (out->have_s5 says whether the DSDT
 * had \_S5), else -1 and *why names what was missing or malformed. */
int acpi_read_pm(acpi_map_fn map, void *ctx, uint64_t rsdp, struct acpi_pm *out, const char **why);

/* The table with signature sig ("FACP", "APIC", ...) that the RSDT or XSDT
 * lists, its checksum right; 0 and *why when there is none. */
const void *acpi_find_table(acpi_map_fn map, void *ctx, uint64_t rsdp, const char *sig, const char **why);

/* The FADT's IAPC_BOOT_ARCH flags (ACPI_BOOT_ARCH_*): 0, or -1 and *why
 * when there is no FADT or it is older than revision 3 (ACPI 1.0's has a
 * reserved byte there, and says nothing). */
int acpi_read_boot_arch(acpi_map_fn map, void *ctx, uint64_t rsdp, uint16_t *flags, const char **why);

/* The I/O APICs' MMIO bases from the MADT ("APIC"), at most max of them:
 * how many, or -1 and *why when there is no MADT. */
int acpi_read_ioapics(acpi_map_fn map, void *ctx, uint64_t rsdp, uint32_t *base, int max, const char **why);

#endif
