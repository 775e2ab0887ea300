/* guestmem.c - the hv's checked view of guest-physical memory. */
#include "hv.h"

void *guest_ram(uint64_t gpa, uint64_t len)
{
    if (gpa + len < gpa || gpa + len > (1ull << 32)) /* the hv maps only 0-4 GiB */
        return 0;
    if (gpa < hv.phys_end && gpa + len > hv.phys_start)
        return 0;
    if (gpa >= FIRMWARE_START && gpa + len <= FIRMWARE_END) /* the EPT maps these to hv pages */
        return hv.firmware + (gpa - FIRMWARE_START);
    if (gpa < FIRMWARE_END && gpa + len > FIRMWARE_START)
        return 0;
    for (unsigned i = 0; i < hv.boot.n_ram; i++) {
        const struct mem_range *m = &hv.boot.ram[i];
        if (gpa >= m->base && gpa + len <= m->base + m->len)
            return (void *)(uintptr_t)gpa;
    }
    return 0;
}
