/* acpi.h - the ACPI tables vmxlab writes (rombios) and reads (the hv), and
 * the fixed-hardware register bits it uses. ACPI 1.0b layouts: the RSDP, the
 * RSDT, the FADT up to its Flags (116 bytes), the FACS; every table but the
 * RSDP and the FACS starts with the common header. Names follow the ACPI
 * specification (section 5.2). */
#ifndef X86_ACPI_H
#define X86_ACPI_H
#include <stdint.h>

/* 5.2.5: found on a 16-byte boundary in the EBDA's first KiB or E0000-FFFFF;
 * the first 20 bytes sum to 0 (revision 0); revision 2 adds the XSDT and an
 * extended checksum over `length` bytes. */
struct __attribute__((packed)) acpi_rsdp {
    char signature[8]; /* "RSD PTR " */
    uint8_t checksum;
    char oem_id[6];
    uint8_t revision; /* 0: ACPI 1.0, 2: ACPI 2.0+ (the fields below exist) */
    uint32_t rsdt;
    uint32_t length;
    uint64_t xsdt;
    uint8_t xchecksum;
    uint8_t reserved[3];
};
_Static_assert(sizeof(struct acpi_rsdp) == 36, "RSDP layout");
#define ACPI_RSDP_V1_LEN 20

/* 5.2.6: every table's first 36 bytes; all `length` bytes sum to 0. */
struct __attribute__((packed)) acpi_header {
    char signature[4];
    uint32_t length;
    uint8_t revision;
    uint8_t checksum;
    char oem_id[6];
    char oem_table_id[8];
    uint32_t oem_revision;
    char creator_id[4];
    uint32_t creator_revision;
};
_Static_assert(sizeof(struct acpi_header) == 36, "ACPI table header layout");

/* 5.2.8: the Fixed ACPI Description Table ("FACP"), revision 1 layout. */
struct __attribute__((packed)) acpi_fadt {
    struct acpi_header h;
    uint32_t firmware_ctrl; /* the FACS */
    uint32_t dsdt;
    uint8_t int_model, reserved1;
    uint16_t sci_int;
    uint32_t smi_cmd; /* 0: no SMI command port, the machine is always in ACPI mode */
    uint8_t acpi_enable, acpi_disable, s4bios_req, reserved2;
    uint32_t pm1a_evt_blk, pm1b_evt_blk, pm1a_cnt_blk, pm1b_cnt_blk, pm2_cnt_blk, pm_tmr_blk;
    uint32_t gpe0_blk, gpe1_blk;
    uint8_t pm1_evt_len, pm1_cnt_len, pm2_cnt_len, pm_tmr_len, gpe0_blk_len, gpe1_blk_len, gpe1_base, reserved3;
    uint16_t p_lvl2_lat, p_lvl3_lat, flush_size, flush_stride;
    uint8_t duty_offset, duty_width, day_alrm, mon_alrm, century;
    uint8_t reserved4[3];
    uint32_t flags;
};
_Static_assert(sizeof(struct acpi_fadt) == 116, "FADT revision 1 layout");
/* Offsets in later FADT revisions (ACPI 2.0+): 64-bit DSDT address and the
 * PM1a control block as a Generic Address Structure (12 bytes: address space
 * id, bit width, bit offset, access size, 64-bit address). */
#define ACPI_FADT_X_DSDT 140
#define ACPI_FADT_X_PM1A_EVT_BLK 148
#define ACPI_FADT_X_PM1A_CNT_BLK 172
#define ACPI_GAS_SYSTEM_IO 1
#define ACPI_FADT_WBINVD (1u << 0)
#define ACPI_FADT_PROC_C1 (1u << 2)
#define ACPI_FADT_PWR_BUTTON (1u << 4) /* 1: no fixed-feature power button */
#define ACPI_FADT_SLP_BUTTON (1u << 5) /* 1: no fixed-feature sleep button */
/* 5.2.9.3: IA-PC boot architecture flags, a word at offset 109 of a
 * revision 3+ FADT. */
#define ACPI_FADT_IAPC_BOOT_ARCH 109
#define ACPI_BOOT_ARCH_LEGACY_DEVICES (1u << 0)
#define ACPI_BOOT_ARCH_8042 (1u << 1) /* 1: the machine has an 8042 (PS/2) */
#define ACPI_BOOT_ARCH_NO_VGA (1u << 2)
#define ACPI_BOOT_ARCH_NO_MSI (1u << 3)
#define ACPI_BOOT_ARCH_NO_PCIE_ASPM (1u << 4)
#define ACPI_BOOT_ARCH_NO_CMOS_RTC (1u << 5) /* 1: no RTC at ports 70h/71h */

/* 5.2.12: the MADT ("APIC"): the header, the local APIC address and flags
 * (8 bytes), then entries of type, length, ...; type 1 is an I/O APIC: id,
 * reserved, its 32-bit MMIO address at +4, its first GSI at +8. */
#define ACPI_MADT_ENTRIES 44
#define ACPI_MADT_IOAPIC 1

/* 5.2.9: the Firmware ACPI Control Structure, 64 bytes on a 64-byte boundary. */
struct __attribute__((packed)) acpi_facs {
    char signature[4]; /* "FACS" */
    uint32_t length;
    uint32_t hardware_signature;
    uint32_t waking_vector;
    uint32_t global_lock;
    uint32_t flags;
    uint8_t reserved[40];
};
_Static_assert(sizeof(struct acpi_facs) == 64, "FACS layout");

/* 4.7.3.2.1: PM1 control register bits. */
#define ACPI_PM1_SCI_EN (1u << 0)
#define ACPI_PM1_SLP_TYP_SHIFT 10
#define ACPI_PM1_SLP_TYP_MASK (7u << 10)
#define ACPI_PM1_SLP_EN (1u << 13)

/* The PIIX4 power-management function (PCI 8086:7113, function 3 of the
 * south bridge on the i440FX of Bochs and QEMU): config 40h PMBA (I/O base,
 * bit 0 reads 1), config 80h PMREGMISC bit 0 turns the PM I/O space on.
 * Its registers from PMBA: PM1 status/enable at +0, PM1 control at +4, the
 * 24-bit PM timer at +8. The Bochs BIOS puts PMBA at B000h. On the PIIX4
 * the \_S5 sleep type is 0 (what Bochs and QEMU turn into power-off). */
#define PIIX4_PM_ID 0x71138086u
#define PIIX4_PMBA 0x40
#define PIIX4_PMREGMISC 0x80
#define PIIX4_PM_BASE_DEFAULT 0xb000
#define PIIX4_SLP_TYP_S5 0
#define PIIX4_SCI_IRQ 9

#endif
