/* acpi.c - ACPI at POST: the chipset's power-management ports and the
 * tables (acpi_tables.c) in our own segment, which the E820 map reserves
 * (E0000-FFFFF). And the power-off the APM BIOS shares with an ACPI OS.
 *
 * Which ports: under the hv, the ones in the handoff block - the machine's
 * own (from its FADT), which the hv traps. On a plain PC (rombios as the
 * machine's BIOS), those of the PIIX4 PM function of the i440FX: its PMBA if
 * something already turned it on, else B000h, the Bochs BIOS's choice, turned
 * on here. Either way a PIIX4 that is off is turned on at the base the FADT
 * names, so that the port the OS writes is a real one. */
#include "rombios.h"

static struct acpi_tables tables; /* aligned(64): see rombios.h */
static u16 pm1a_cnt;
static u8 s5_slp_typ;

#define PMREGMISC_PMIOSE 0x01 /* PM I/O space enable */

void acpi_setup(void)
{
    struct acpi_config c = { 0 };
    if (have_handoff) {
        struct vmxlab_acpi a;
        far_memcpy(my_seg(), (u16)(u32)&a, HANDOFF_SEG, HANDOFF_OFF(acpi), sizeof a);
        c = (struct acpi_config){ a.pm1a_evt, a.pm1a_cnt, a.pm_tmr, a.s5_slp_typ, PIIX4_SCI_IRQ };
    }
    int bdf = pci_find_id(PIIX4_PM_ID);
    if (bdf >= 0) {
        u16 base = (u16)(pci_read32((u16)bdf, PIIX4_PMBA) & 0xffc0);
        int on = (pci_read32((u16)bdf, PIIX4_PMREGMISC) & PMREGMISC_PMIOSE) && base;
        if (!c.pm1a_cnt) {
            base = on ? base : PIIX4_PM_BASE_DEFAULT;
            c = (struct acpi_config){ base, base + 4, base + 8, PIIX4_SLP_TYP_S5, PIIX4_SCI_IRQ };
        }
        if ((!on || base != c.pm1a_evt) && c.pm1a_cnt == c.pm1a_evt + 4) {
            pci_write32((u16)bdf, PIIX4_PMBA, c.pm1a_evt | 1u);
            pci_write32((u16)bdf, PIIX4_PMREGMISC, pci_read32((u16)bdf, PIIX4_PMREGMISC) | PMREGMISC_PMIOSE);
            dprintf(1, "rombios: PIIX4 power management at %04xh\n", c.pm1a_evt);
        }
    }
    if (!c.pm1a_cnt) {
        bprintf("rombios: no ACPI power management (no hv, no PIIX4): no ACPI tables\n");
        return;
    }
    acpi_build(&tables, LINEAR(my_seg(), (u16)(u32)&tables), &c);
    pm1a_cnt = c.pm1a_cnt;
    s5_slp_typ = c.s5_slp_typ;
    dprintf(1, "rombios: ACPI tables at %05x: PM1a_CNT %04xh, \\_S5 sleep type %u\n",
            (unsigned)LINEAR(my_seg(), (u16)(u32)&tables), pm1a_cnt, s5_slp_typ);
}

/* Whether acpi_setup built the tables (SMBIOS's BIOS characteristics say so). */
int acpi_built(void) { return pm1a_cnt != 0; }

/* What an ACPI OS does last: SLP_TYP = the \_S5 type, then SLP_EN. */
int acpi_power_off(void)
{
    if (!pm1a_cnt)
        return -1;
    u16 v = (inw(pm1a_cnt) & ~(ACPI_PM1_SLP_TYP_MASK | ACPI_PM1_SLP_EN)) | (u16)(s5_slp_typ << ACPI_PM1_SLP_TYP_SHIFT);
    outw(pm1a_cnt, v);
    outw(pm1a_cnt, v | ACPI_PM1_SLP_EN);
    return 0;
}
