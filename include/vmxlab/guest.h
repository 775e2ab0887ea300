/* guest.h - the VMCALL ABI from inside a 32-bit guest (vmxloader, vmxassist). */
#ifndef VMXLAB_GUEST_H
#define VMXLAB_GUEST_H
#include <stdint.h>
#include "vmxlab/vmcall.h"

static inline int32_t vmcall(uint32_t nr, uint32_t a, uint32_t b)
{
    int32_t ret;
    __asm__ volatile("vmcall" : "=a"(ret) : "a"(nr), "b"(a), "c"(b) : "memory");
    return ret;
}

static inline __attribute__((noreturn)) void guest_power_off(uint32_t status)
{
    vmcall(VMCALL_POWER_OFF, status, 0);
    for (;;)
        __asm__ volatile("cli; hlt");
}

/* printf to the hv console (one VMCALL per call); defined in lib/gprintf.c. */
void gprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
