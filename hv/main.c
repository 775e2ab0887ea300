/* main.c - the hv from multiboot to the guest's first instruction. */
#include "hv.h"
#include "console.h"
#include "string.h"
#include "multiboot2.h"
#include "uefi.h"
#include "fb.h"
#include "vmxlab/handoff.h"
#include "vmxlab/vmcall.h"

struct hv hv;

static int overlaps(uint64_t a0, uint64_t a1, uint64_t b0, uint64_t b1) { return a0 < b1 && b0 < a1; }

/* boot.asm copied the hv over whatever was at the top of RAM: make sure that
 * was nothing GRUB gave us. */
static void check_placement(void)
{
    const struct boot_info *b = &hv.boot;
    if (overlaps(b->mbi_start, b->mbi_end, hv.phys_start, hv.phys_end))
        hv_fatal(VMXLAB_STATUS_BOOT_ERROR, "the multiboot information lies where the hv relocated itself");
    for (unsigned i = 0; i < b->n_mods; i++)
        if (overlaps(b->mods[i].start, b->mods[i].end, hv.phys_start - 0x1000, hv.phys_end))
            hv_fatal(VMXLAB_STATUS_BOOT_ERROR, "module '%s' lies where the hv relocated itself", b->mods[i].name);
}

/* RAM disk modules must lie between the first MiB, which the firmware and
 * the guest module fill, and guest_ram_top, above which the hv lives.
 * handoff_init reserves them in the guest's memory map; rombios serves them
 * through INT 13h. */
static void find_ramdisks(void)
{
    char err[200];
    int n = bootinfo_ramdisks(&hv.boot, 0x100000, hv.guest_ram_top, hv.ramdisk, err, sizeof err);
    if (n < 0)
        hv_fatal(VMXLAB_STATUS_BOOT_ERROR, "%s", err);
    for (int i = 0; i < n; i++)
        if (bootinfo_ramdisk_check((unsigned)i, &hv.ramdisk[i], (const uint8_t *)(uintptr_t)hv.ramdisk[i].base, err,
                                   sizeof err))
            hv_fatal(VMXLAB_STATUS_BOOT_ERROR, "%s", err);
    if (n && hv.opt.firmware != FIRMWARE_OWN)
        hv_fatal(VMXLAB_STATUS_BOOT_ERROR,
                 "RAM disk modules need firmware=own: the Bochs BIOS (firmware=%s) "
                 "cannot boot them",
                 firmware_name(hv.opt.firmware));
    hv.n_ramdisks = (unsigned)n;
}

/* GRUB loads modules just above 1 MiB, where a guest wants its RAM in one
 * piece (INT 15h 88h/E801 report only the first block; kernels load at
 * 1 MiB): move the RAM disks to the top of guest RAM, as memdisk does. Runs
 * after load_guest, when no other module is needed any more. */
static void place_ramdisks(void)
{
    static const char *const kinds[] = { "?", "floppy", "hard disk", "CD-ROM" };
    uint32_t base[VMXLAB_MAX_RAMDISKS];
    int n = (int)hv.n_ramdisks;
    if (n && !bootinfo_ramdisks_place_high(hv.ramdisk, n, hv.guest_ram_top, base))
        for (int i = n - 1; i >= 0; i--) { /* the highest first: see bootinfo.h */
            memmove((void *)(uintptr_t)base[i], (const void *)(uintptr_t)hv.ramdisk[i].base, hv.ramdisk[i].size);
            hv.ramdisk[i].base = base[i];
        }
    for (int i = 0; i < n; i++)
        printk("vmxlab: RAM disk %d: %s image, %u bytes at 0x%x-0x%x (reserved)\n", i, kinds[hv.ramdisk[i].kind % 4],
               hv.ramdisk[i].size, hv.ramdisk[i].base, hv.ramdisk[i].base + hv.ramdisk[i].size);
}

/* The guest module: the one named `guest`, else the only module that is no
 * RAM disk. Two candidates are refused rather than one picked at random. */
static const struct boot_module *find_guest(void)
{
    const struct boot_module *named = 0, *other = 0;
    for (unsigned i = 0; i < hv.boot.n_mods; i++) {
        const struct boot_module *m = &hv.boot.mods[i];
        if (bootinfo_ramdisk_kind(m))
            continue;
        const struct boot_module **slot = bootinfo_module_is(m, "guest") ? &named : &other;
        if (*slot)
            hv_fatal(VMXLAB_STATUS_BOOT_ERROR,
                     "two guest modules, '%s' (module %u) and '%s' (module %u): the GRUB "
                     "entry must load one `module <file> guest`",
                     (*slot)->name, (unsigned)(*slot - hv.boot.mods), m->name, i);
        *slot = m;
    }
    return named ? named : other;
}

/* vmxloader's header (VMXLAB_LOADER_MAGIC): its size and CRC-32, so that a
 * truncated or corrupt copy ends the run with one line instead of running
 * part of a loader. A module without the header is a flat test guest. */
static __attribute__((cold)) void check_loader_header(const struct boot_module *m, uint32_t size)
{
    const uint8_t *p = (const uint8_t *)(uintptr_t)m->start;
    const uint32_t *h = (const uint32_t *)p;
    if (size < 16 || h[1] != VMXLAB_LOADER_MAGIC)
        return;
    if (h[2] != size)
        hv_fatal(VMXLAB_STATUS_BOOT_ERROR,
                 "guest module '%s' is a vmxloader of %u bytes, but %u bytes were "
                 "loaded: truncated or padded",
                 m->name, h[2], size);
    uint32_t crc = ~0u;
    for (uint32_t i = 0; i < size; i++) {
        crc ^= i >= 12 && i < 16 ? 0 : p[i];
        for (int k = 0; k < 8; k++)
            crc = (crc >> 1) ^ (0xedb88320u & -(crc & 1));
    }
    if (~crc != h[3])
        hv_fatal(VMXLAB_STATUS_BOOT_ERROR,
                 "guest module '%s' is a corrupt vmxloader: CRC-32 0x%08x, its header says "
                 "0x%08x",
                 m->name, ~crc, h[3]);
}

/* Copy the guest module to where the guest entry protocol puts it. */
static void load_guest(void)
{
    const struct boot_module *m = find_guest();
    if (!m)
        hv_fatal(VMXLAB_STATUS_BOOT_ERROR, "no guest module: the GRUB entry needs a line `module <file> guest`");
    uint32_t size = m->end - m->start;
    if (size == 0 || size > VMXLAB_GUEST_MAX_SIZE)
        hv_fatal(VMXLAB_STATUS_BOOT_ERROR, "guest module '%s' is %u bytes; it must be 1 to %u bytes", m->name, size,
                 VMXLAB_GUEST_MAX_SIZE);
    check_loader_header(m, size);
    void *dst = guest_ram(VMXLAB_GUEST_LOAD, size);
    if (!dst)
        hv_fatal(VMXLAB_STATUS_BOOT_ERROR, "no RAM at 0x%x for the guest", VMXLAB_GUEST_LOAD);
    memmove(dst, (const void *)(uintptr_t)m->start, size);
    reset_save_guest(dst, size); /* onreset=restart: a copy to start over from */
    printk("vmxlab: guest '%s': %u bytes at 0x%x, entered in 32-bit protected mode\n", m->name, size,
           VMXLAB_GUEST_LOAD);
}

void hv_main(uint32_t mbi, uint32_t frame, uint32_t magic)
{
    char err[200], desc[200];
    console_init();
    cpu_init();
    mem_init(frame);
    printk("\nvmxlab hv (ABI %d): hv at 0x%llx-0x%llx\n", VMXLAB_ABI_VERSION, (unsigned long long)hv.phys_start,
           (unsigned long long)hv.phys_end);
    if ((magic == MB2_BOOTLOADER_MAGIC ? mb2_parse : bootinfo_parse)(0, mbi, &hv.boot, err, sizeof err))
        hv_fatal(VMXLAB_STATUS_BOOT_ERROR, "%s", err);
    uefi_report();
    if (options_parse(hv.boot.cmdline, &hv.opt, err, sizeof err)) {
        fb_init(); /* fb=auto: the error on the screen too */
        hv_fatal(VMXLAB_STATUS_BOOT_ERROR, "%s", err);
    }
    fb_init();   /* first: every error line after it shows on the framebuffer too (hv_fatal) */
    pit_check(); /* the guest's BIOS needs a counting PIT */
    check_placement();

    caps_read(&hv.caps);
    if (hv.caps.basic) {
        caps_describe(&hv.caps, desc, sizeof desc);
        printk("vmxlab: CPU %s, VMX revision 0x%x: %s\n", hv.caps.vendor, (uint32_t)hv.caps.basic & 0x7fffffff, desc);
    }
    if (caps_check(&hv.caps, hv.opt.mode, err, sizeof err) == CAPS_FATAL)
        hv_fatal(VMXLAB_STATUS_NO_VMX, "%s", err);
    printk("vmxlab: mode=%s boot=%s firmware=%s trace=%d\n", mode_name(hv.opt.mode), boot_name(hv.opt.boot),
           firmware_name(hv.opt.firmware), hv.opt.trace);
    if (hv.opt.onreset != ONRESET_EXIT || hv.opt.watchdog)
        printk("vmxlab: onreset=%s watchdog=%u\n", onreset_name(hv.opt.onreset), hv.opt.watchdog);

    /* The guest's RAM ends 64 KiB below the hv; the gap holds the identity
     * page directory and is reserved in the guest's memory map. */
    hv.guest_ram_top = (hv.phys_start - 0x10000) & ~0xffffull;
    acpi_init();   /* before the guest's firmware runs: the machine's EBDA is still its own */
    intr_init();   /* the PIC's route to the CPU, and IRQ 0 seen to arrive */
    legacy_init(); /* PS/2, COM1, RTC: what the guest's input will be */
    find_ramdisks();
    load_guest();
    place_ramdisks();
    handoff_init();
    vmx_enable();
    vmcs_init(VMXLAB_GUEST_LOAD, VMXLAB_GUEST_LOAD);
    watchdog_init();
    fb_start(); /* the redraws share the watchdog's timer */
    vmx_launch_guest(VMXLAB_HANDOFF_ADDR);
}
