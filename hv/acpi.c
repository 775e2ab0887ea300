/* acpi.c - ACPI power-off: the guest's S5 becomes the hv's power-off.
 *
 * At boot, before any guest code runs, the hv reads the machine's own ACPI
 * tables (RSDP in the EBDA's first KiB or E0000-FFFFF, the RSDT/XSDT, the
 * FADT's PM1a control port, the DSDT's \_S5 sleep type: lib/acpi.c). GRUB
 * started us, so the machine BIOS's tables are still there; the guest's
 * F segment is hv pages (FIRMWARE_START), the machine's is never touched.
 * The hv traps that port and hands the ports and the type to rombios, whose
 * FADT and DSDT name the same. A guest write with SLP_EN and SLP_TYP = the
 * \_S5 type powers off (status 0, the statistics); SLP_EN with another type
 * (a sleep state) is dropped: vmxlab cannot resume a guest, and Bochs resets
 * the machine on S1. A machine without ACPI gets the PIIX4 defaults rombios
 * uses without the hv (PM base B000h, S5 type 0), so the trap still meets
 * the guest's writes. On a real PC, power_off then does the machine's own S5. */
#include "hv.h"
#include "acpi.h"
#include "bios/bda.h"
#include "console.h"
#include "string.h"
#include "vmxlab/handoff.h"
#include "x86/acpi.h"
#include "x86/asm.h"

static struct acpi_pm pm; /* what the guest is given and the hv traps */
static int machine_s5;    /* pm came from the machine's tables, \_S5 included */

const void *acpi_phys_map(void *ctx, uint64_t phys, uint32_t len)
{
    (void)ctx;
    return phys + len >= phys && phys + len <= (1ull << 32) ? (const void *)(uintptr_t)phys : 0;
}

static uint64_t find_rsdp(void)
{
    if (hv.boot.rsdp_len) /* multiboot2's copy: a UEFI PC need not have one below 1 MiB */
        return virt_to_phys(hv.boot.rsdp);
    uint16_t seg;
    memcpy(&seg, acpi_phys_map(0, BDA_LINEAR(ebda_seg), 2), 2) /* the EBDA's segment */;
    uint64_t ebda = (uint64_t)seg << 4;
    int32_t off;
    if (ebda >= 0x80000 && ebda < 0xa0000 && (off = acpi_scan_rsdp((const uint8_t *)(uintptr_t)ebda, 1024)) >= 0)
        return ebda + (uint64_t)off;
    if ((off = acpi_scan_rsdp((const uint8_t *)(uintptr_t)0xe0000, 0x20000)) >= 0)
        return 0xe0000 + (uint64_t)off;
    return 0;
}

static uint64_t rsdp;

uint64_t acpi_rsdp(void) { return rsdp; }

void acpi_init(void)
{
    const char *why = "no RSDP in the EBDA or E0000-FFFFF";
    rsdp = find_rsdp();
    if (rsdp && !acpi_read_pm(acpi_phys_map, 0, rsdp, &pm, &why)) {
        machine_s5 = pm.have_s5;
        if (machine_s5) {
            printk("vmxlab: ACPI: the machine's PM1a_CNT is port 0x%x, its \\_S5 sleep type %u\n", pm.pm1a_cnt,
                   pm.s5_typa);
            return;
        }
        pm.s5_typa = pm.s5_typb = PIIX4_SLP_TYP_S5; /* keep the trap; the guest's DSDT says the PIIX4 type */
        printk("vmxlab: ACPI: the machine's PM1a_CNT is port 0x%x, but %s: the guest gets \\_S5 sleep type %u, "
               "and the hv cannot power this machine off\n",
               pm.pm1a_cnt, why, pm.s5_typa);
        return;
    }
    pm = (struct acpi_pm){ .pm1a_evt = PIIX4_PM_BASE_DEFAULT,
                           .pm1a_cnt = PIIX4_PM_BASE_DEFAULT + 4,
                           .pm_tmr = PIIX4_PM_BASE_DEFAULT + 8,
                           .s5_typa = PIIX4_SLP_TYP_S5,
                           .s5_typb = PIIX4_SLP_TYP_S5 };
    printk("vmxlab: ACPI: %s: the guest gets the PIIX4 defaults (PM1a_CNT port 0x%x, \\_S5 sleep type %u)\n", why,
           pm.pm1a_cnt, pm.s5_typa);
}

void acpi_handoff(struct vmxlab_handoff *h)
{
    h->acpi = (struct vmxlab_acpi){ pm.pm1a_evt, pm.pm1a_cnt, pm.pm_tmr, pm.s5_typa, (uint8_t)(machine_s5 != 0) };
}

/* Both bytes of PM1a_CNT: SLP_TYP and SLP_EN are in the high one, which a
 * byte write to port+1 reaches alone. */
void acpi_trap_ports(void (*trap)(uint16_t port))
{
    trap(pm.pm1a_cnt);
    trap((uint16_t)(pm.pm1a_cnt + 1));
}

void acpi_out(uint16_t port, unsigned size, uint32_t *val)
{
    if ((port != pm.pm1a_cnt && port != (uint16_t)(pm.pm1a_cnt + 1)) || (port == pm.pm1a_cnt && size == 1))
        return;
    uint32_t cnt = port == pm.pm1a_cnt ? *val & 0xffff : (*val & 0xff) << 8; /* as PM1a_CNT bits */
    if (!(cnt & ACPI_PM1_SLP_EN))
        return;
    unsigned typ = (cnt & ACPI_PM1_SLP_TYP_MASK) >> ACPI_PM1_SLP_TYP_SHIFT;
    if (typ == pm.s5_typa) {
        printk("vmxlab: the guest entered ACPI S5 (PM1a_CNT 0x%x = 0x%x): power-off\n", pm.pm1a_cnt, cnt);
        power_off(0);
    }
    printk("vmxlab: the guest asked for ACPI sleep type %u (PM1a_CNT 0x%x = 0x%x): vmxlab has no sleep states; "
           "SLP_EN dropped\n",
           typ, pm.pm1a_cnt, cnt);
    *val &= ~(port == pm.pm1a_cnt ? ACPI_PM1_SLP_EN : ACPI_PM1_SLP_EN >> 8); /* the rest goes to the port */
}

/* The machine's own S5 (power_off on a real PC: Bochs and QEMU have quit by
 * now). What an ACPI OS does: SLP_TYP, then SLP_TYP with SLP_EN. */
void acpi_machine_off(void)
{
    if (!machine_s5)
        return;
    printk("vmxlab: ACPI S5 through PM1a_CNT 0x%x\n", pm.pm1a_cnt);
    console_drain();
    uint16_t a = (uint16_t)((inw(pm.pm1a_cnt) & ~(ACPI_PM1_SLP_TYP_MASK | ACPI_PM1_SLP_EN)) |
                            (unsigned)pm.s5_typa << ACPI_PM1_SLP_TYP_SHIFT);
    uint16_t b = pm.pm1b_cnt ? (uint16_t)((inw(pm.pm1b_cnt) & ~(ACPI_PM1_SLP_TYP_MASK | ACPI_PM1_SLP_EN)) |
                                          (unsigned)pm.s5_typb << ACPI_PM1_SLP_TYP_SHIFT)
                             : 0;
    outw(pm.pm1a_cnt, a);
    if (pm.pm1b_cnt)
        outw(pm.pm1b_cnt, b);
    outw(pm.pm1a_cnt, a | ACPI_PM1_SLP_EN);
    if (pm.pm1b_cnt)
        outw(pm.pm1b_cnt, b | ACPI_PM1_SLP_EN);
}
