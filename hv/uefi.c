/* uefi.c - the hv on a PC booted by UEFI: what the multiboot2 information
 * said, in one line a test (and a student at a real PC) can read. */
#include "hv.h"
#include "console.h"
#include "uefi.h"

void uefi_report(void)
{
    const struct boot_info *b = &hv.boot;
    if (b->version != 2)
        return;
    printk("vmxlab: multiboot2 from '%s': information at 0x%x-0x%x, ", b->loader, b->mbi_start, b->mbi_end);
    if (b->efi_mmap)
        printk("EFI memory map (%u KiB of boot-services and loader memory free), ", b->efi_free_pages * 4);
    else
        printk("memory map, ");
    if (b->fb.addr)
        printk("framebuffer %ux%ux%u type %u at 0x%llx pitch %u, ", b->fb.width, b->fb.height, b->fb.bpp, b->fb.type,
               (unsigned long long)b->fb.addr, b->fb.pitch);
    else
        printk("no framebuffer, ");
    printk(b->rsdp_len ? "RSDP copy (ACPI %s)\n" : "no RSDP%s\n", b->rsdp_len == 36 ? "2.0+"
                                                                  : b->rsdp_len     ? "1.0"
                                                                                    : "");
}
