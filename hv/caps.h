/* caps.h - what this CPU's VMX can do, and whether vmxlab can run on it. */
#ifndef HV_CAPS_H
#define HV_CAPS_H
#include <stddef.h>
#include <stdint.h>
#include "options.h"

struct cpu_caps {
    char vendor[13];
    uint32_t cpuid1_ecx;
    uint64_t feature_control;
    /* VMX capability MSRs (0 when the CPU has no VMX). The *_ctls values
     * are the TRUE_* MSRs when IA32_VMX_BASIC bit 55 says they exist. */
    uint64_t basic, pinbased, procbased, procbased2, exit_ctls, entry_ctls, misc, ept_vpid;
    uint64_t cr0_fixed0, cr0_fixed1, cr4_fixed0, cr4_fixed1;
};

/* Reads CPUID and, when VMX exists, the capability MSRs. */
void caps_read(struct cpu_caps *c);

/* Whether a control bit may be 1: bits 63:32 of a capability MSR (SDM A.3). */
static inline int ctl_allowed1(uint64_t cap, uint32_t bit) { return (uint32_t)(cap >> 32) & bit ? 1 : 0; }

int caps_has_secondary(const struct cpu_caps *c);
int caps_has_ept(const struct cpu_caps *c);
int caps_has_ug(const struct cpu_caps *c);
int caps_has_vpid(const struct cpu_caps *c);

enum caps_verdict {
    CAPS_OK,
    CAPS_OK_LOCK_FEATURE_CONTROL, /* usable once we set and lock IA32_FEATURE_CONTROL */
    CAPS_FATAL,
};
/* Decides whether vmxlab can run in `mode`; on CAPS_FATAL err holds one line. */
enum caps_verdict caps_check(const struct cpu_caps *c, enum rm_mode mode, char *err, size_t errlen);

/* A control word for the wanted bits, adjusted to a capability MSR (SDM A.3):
 * bits the CPU requires are set, bits it cannot set are dropped and returned
 * in *missing. */
uint32_t ctl_adjust(uint64_t cap, uint32_t want, uint32_t *missing);

/* One line listing the capabilities the banner shows. */
void caps_describe(const struct cpu_caps *c, char *buf, size_t len);

#endif
