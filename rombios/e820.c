/* e820.c - INT 15h E820h's walk over the memory map (a pure function: the
 * host unit tests run it too). */
#include "rombios.h"

/* EBX is the caller's continuation value: 0 first, then whatever the last
 * call returned. Copies entry *ebx to *out and sets *ebx to the next value
 * (0 after the last entry, which ends the walk). Returns -1 for a value that
 * names no entry. */
int e820_next(const struct memmap *m, u32 *ebx, struct vmxlab_e820 *out)
{
    if (*ebx >= m->n)
        return -1;
    *out = m->e[*ebx];
    *ebx = *ebx + 1 < m->n ? *ebx + 1 : 0;
    return 0;
}
