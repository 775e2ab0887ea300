/* mtrr.c - MTRR decoding (mtrr_type is host-tested). */
#include "mtrr.h"

/* Index into fixed[] of the fixed range holding address a (< 1 MiB). */
static unsigned fixed_index(uint64_t a)
{
    if (a < 0x80000)
        return (unsigned)(a >> 16);
    if (a < 0xc0000)
        return 8 + (unsigned)((a - 0x80000) >> 14);
    return 24 + (unsigned)((a - 0xc0000) >> 12);
}

/* SDM 12.11.4.1: overlapping variable ranges - UC wins, then WT over WB;
 * other combinations are undefined and we keep the first. */
static int combine(int have, int t)
{
    if (have < 0)
        return t;
    if (have == MT_UC || t == MT_UC)
        return MT_UC;
    if ((have == MT_WT && t == MT_WB) || (have == MT_WB && t == MT_WT))
        return MT_WT;
    return have;
}

int mtrr_type(const struct mtrr_state *m, uint64_t addr, uint64_t len)
{
    if (!m->enabled)
        return MT_UC;
    if (m->fixed_enabled && addr < 0x100000) {
        if (addr + len > 0x100000)
            return -1; /* straddles the fixed and variable worlds: let the caller split */
        int t = m->fixed[fixed_index(addr)];
        for (uint64_t a = addr; a < addr + len; a += 0x1000)
            if (m->fixed[fixed_index(a)] != t)
                return -1;
        return t;
    }
    int t = -1;
    for (unsigned i = 0; i < m->n_var; i++) {
        uint64_t hi = m->var[i].mask & ~(len - 1);
        if ((addr & hi) != (m->var[i].base & hi))
            continue; /* no byte of the block matches */
        if (m->var[i].mask & (len - 1))
            return -1; /* some bytes match, some do not */
        t = combine(t, m->var[i].type);
    }
    return t < 0 ? m->def_type : t;
}

#ifndef HOST_TEST
#include "x86/asm.h"
#include "x86/msr.h"

void mtrr_read(struct mtrr_state *m)
{
    uint32_t r[4];
    *m = (struct mtrr_state){ 0 };
    cpuid(1, 0, r);
    if (!(r[3] & (1u << 12))) /* CPUID.1:EDX.MTRR */
        return;
    uint64_t cap = rdmsr(IA32_MTRRCAP), def = rdmsr(IA32_MTRR_DEF_TYPE);
    m->enabled = (def & MTRR_DEF_TYPE_E) != 0;
    m->fixed_enabled = (def & MTRR_DEF_TYPE_FE) && (cap & MTRRCAP_FIX);
    m->def_type = def & 0xff;
    if (m->fixed_enabled) {
        static const uint32_t msrs[11] = { IA32_MTRR_FIX64K_00000,
                                           IA32_MTRR_FIX16K_80000,
                                           IA32_MTRR_FIX16K_A0000,
                                           0x268,
                                           0x269,
                                           0x26a,
                                           0x26b,
                                           0x26c,
                                           0x26d,
                                           0x26e,
                                           0x26f };
        for (unsigned i = 0; i < 11; i++) {
            uint64_t v = rdmsr(msrs[i]);
            for (unsigned b = 0; b < 8; b++)
                m->fixed[i * 8 + b] = (v >> (8 * b)) & 0xff;
        }
    }
    cpuid(0x80000000, 0, r);
    unsigned bits = 36;
    if (r[0] >= 0x80000008) {
        cpuid(0x80000008, 0, r);
        bits = r[0] & 0xff;
    }
    uint64_t addr_mask = ((1ull << bits) - 1) & ~0xfffull;
    unsigned n = cap & MTRRCAP_VCNT_MASK;
    for (unsigned i = 0; i < n && m->n_var < MTRR_MAX_VAR; i++) {
        uint64_t base = rdmsr(IA32_MTRR_PHYSBASE0 + 2 * i), mask = rdmsr(IA32_MTRR_PHYSBASE0 + 2 * i + 1);
        if (!(mask & MTRR_PHYSMASK_VALID))
            continue;
        m->var[m->n_var].base = base & addr_mask;
        m->var[m->n_var].mask = mask & addr_mask;
        m->var[m->n_var].type = base & 0xff;
        m->n_var++;
    }
}
#endif
