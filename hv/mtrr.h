/* mtrr.h - the memory types the firmware set in the MTRRs (SDM Vol. 3A, 12.11). */
#ifndef HV_MTRR_H
#define HV_MTRR_H
#include <stdint.h>

#define MT_UC 0 /* uncacheable */
#define MT_WC 1 /* write combining */
#define MT_WT 4 /* write through */
#define MT_WP 5 /* write protected */
#define MT_WB 6 /* write back */

#define MTRR_MAX_VAR 16
#define MTRR_N_FIXED 88 /* 8 x 64 KiB, 16 x 16 KiB, 64 x 4 KiB below 1 MiB */

struct mtrr_state {
    int enabled;       /* IA32_MTRR_DEF_TYPE.E */
    int fixed_enabled; /* .FE and MTRRCAP.FIX */
    uint8_t def_type;
    uint8_t fixed[MTRR_N_FIXED];
    unsigned n_var;
    struct {
        uint64_t base, mask; /* PHYSBASE/PHYSMASK with the type and valid bits cleared */
        uint8_t type;
    } var[MTRR_MAX_VAR]; /* valid ranges only */
};

/* The memory type of every byte in [addr, addr + len), or -1 when the types
 * differ inside it. len must be a power of two and addr aligned to it. */
int mtrr_type(const struct mtrr_state *m, uint64_t addr, uint64_t len);

void mtrr_read(struct mtrr_state *m); /* hv only: from the MSRs */

#endif
