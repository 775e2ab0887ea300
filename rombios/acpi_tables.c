/* acpi_tables.c - the ACPI tables rombios gives the OS (a pure function: the
 * host unit tests build the same tables and read them back with lib/acpi.c).
 *
 * ACPI 1.0 tables, just enough for an OS to power the machine off: the RSDP
 * points to the RSDT, whose one entry is the FADT; the FADT names the FACS,
 * the DSDT and the chipset's PM1 event, PM1 control and PM timer ports; the
 * DSDT defines \_S5, the sleep type the OS writes to PM1 control with SLP_EN
 * to power off. No MADT: the machine runs single-CPU in PIC mode (the hv
 * virtualises no I/O APIC or local APIC for the guest), which is what an OS
 * assumes without one; an MADT would need testing Linux with it in every mode. */
#include "rombios.h"
#include "acpi.h"
#include "string.h"

/* The DSDT's AML, from this ASL:
 *     DefinitionBlock ("", "DSDT", 1, "VMXLAB", "VMXLAB", 1)
 *     {
 *         Name (\_S5, Package (0x04) { S5, S5, Zero, Zero })  // SLP_TYPa, SLP_TYPb, reserved
 *     }
 * where S5 is patched in (BytePrefix constants, so any type 0-7 fits). */
static const u8 dsdt_aml[ACPI_DSDT_AML_LEN] = {
    0x08, '\\', '_',  'S', '5', '_', /* NameOp, \_S5_ */
    0x12, 0x08, 0x04,                /* PackageOp, PkgLength (8 bytes from here), NumElements 4 */
    0x0a, 0x00,                      /* BytePrefix SLP_TYPa */
    0x0a, 0x00,                      /* BytePrefix SLP_TYPb */
    0x00, 0x00,                      /* Zero, Zero */
};
#define DSDT_AML_TYPA 10
#define DSDT_AML_TYPB 12

static void header(struct acpi_header *h, const char *sig, u32 len)
{
    memcpy(h->signature, sig, 4);
    h->length = len;
    h->revision = 1;
    memcpy(h->oem_id, "VMXLAB", 6);
    memcpy(h->oem_table_id, "VMXL", 4); /* VMXLFACP, VMXLDSDT, VMXLRSDT */
    memcpy(h->oem_table_id + 4, sig, 4);
    h->oem_revision = 1;
    memcpy(h->creator_id, "VMXL", 4);
    h->creator_revision = 1;
}

void acpi_build(struct acpi_tables *t, u32 phys, const struct acpi_config *c)
{
    memset(t, 0, sizeof *t);
#define PHYS(field) (phys + (u32) __builtin_offsetof(struct acpi_tables, field))
    memcpy(t->facs.signature, "FACS", 4);
    t->facs.length = sizeof t->facs;

    header(&t->dsdt.h, "DSDT", sizeof t->dsdt);
    memcpy(t->dsdt.aml, dsdt_aml, sizeof dsdt_aml);
    t->dsdt.aml[DSDT_AML_TYPA] = t->dsdt.aml[DSDT_AML_TYPB] = c->s5_slp_typ;
    t->dsdt.h.checksum = (u8)-acpi_sum(&t->dsdt, sizeof t->dsdt);

    struct acpi_fadt *f = &t->fadt;
    header(&f->h, "FACP", sizeof *f);
    f->firmware_ctrl = PHYS(facs);
    f->dsdt = PHYS(dsdt);
    f->sci_int = c->sci_irq;
    f->pm1a_evt_blk = c->pm1a_evt;
    f->pm1a_cnt_blk = c->pm1a_cnt;
    f->pm_tmr_blk = c->pm_tmr;
    f->pm1_evt_len = 4;
    f->pm1_cnt_len = 2;
    f->pm_tmr_len = c->pm_tmr ? 4 : 0;
    f->p_lvl2_lat = 101;  /* > 100: no C2 */
    f->p_lvl3_lat = 1001; /* > 1000: no C3 */
    f->flags = ACPI_FADT_WBINVD | ACPI_FADT_PROC_C1 | ACPI_FADT_PWR_BUTTON | ACPI_FADT_SLP_BUTTON;
    f->h.checksum = (u8)-acpi_sum(f, sizeof *f);

    header(&t->rsdt.h, "RSDT", sizeof t->rsdt);
    t->rsdt.entry[0] = PHYS(fadt);
    t->rsdt.h.checksum = (u8)-acpi_sum(&t->rsdt, sizeof t->rsdt);

    /* No literal "RSD PTR " in the image: an OS scanning the F segment would
     * find the string constant too (its checksum is wrong, but why risk it). */
    memcpy(t->rsdp.signature, "RSD PTR!", 8);
    t->rsdp.signature[7] = ' ';
    memcpy(t->rsdp.oem_id, "VMXLAB", 6);
    t->rsdp.rsdt = PHYS(rsdt);
    t->rsdp.checksum = (u8)-acpi_sum(&t->rsdp, ACPI_RSDP_V1_LEN);
#undef PHYS
}
