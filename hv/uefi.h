/* uefi.h - what the hv does for a PC booted by UEFI (GRUB x86_64-efi,
 * multiboot2) and, where it applies, for any PC with a framebuffer. */
#ifndef HV_UEFI_H
#define HV_UEFI_H

/* One line on how the hv was loaded: multiboot2's loader, memory map,
 * framebuffer and RSDP (nothing for multiboot v1). */
void uefi_report(void);

#endif
