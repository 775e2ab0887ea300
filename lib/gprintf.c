/* gprintf.c - printf for 32-bit guests: format into a buffer, one VMCALL. */
#include "fmt.h"
#include "vmxlab/guest.h"

void gprintf(const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    int n = fmt_vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n > (int)sizeof buf - 1)
        n = sizeof buf - 1;
    /* with the guest's paging off (always, for the callers) linear = physical */
    vmcall(VMCALL_CONSOLE_WRITE, (uint32_t)(uintptr_t)buf, (uint32_t)n);
}
