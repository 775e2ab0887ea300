/* caps.c - VMX capability checks (caps_check and ctl_adjust are host-tested). */
#include "caps.h"
#include "fmt.h"
#include "string.h"
#include "vmxlab/lab.h"
#include "x86/msr.h"
#include "x86/vmx.h"

int caps_has_secondary(const struct cpu_caps *c)
{
    return ctl_allowed1(c->procbased, CPU_BASED_ACTIVATE_SECONDARY_CONTROLS);
}
int caps_has_ept(const struct cpu_caps *c)
{
    return caps_has_secondary(c) && ctl_allowed1(c->procbased2, SECONDARY_EXEC_ENABLE_EPT);
}
int caps_has_ug(const struct cpu_caps *c)
{
    return caps_has_ept(c) && ctl_allowed1(c->procbased2, SECONDARY_EXEC_UNRESTRICTED_GUEST);
}
int caps_has_vpid(const struct cpu_caps *c)
{
    return caps_has_secondary(c) && ctl_allowed1(c->procbased2, SECONDARY_EXEC_ENABLE_VPID);
}

enum caps_verdict caps_check(const struct cpu_caps *c, enum rm_mode mode, char *err, size_t n)
{
    if (strncmp(c->vendor, "GenuineIntel", 12)) {
        fmt_snprintf(err, n, "non-Intel CPU (vendor \"%s\"): vmxlab needs Intel VT-x; AMD SVM is not supported",
                     c->vendor);
        return CAPS_FATAL;
    }
    if (!(c->cpuid1_ecx & CPUID1_ECX_VMX)) {
        fmt_snprintf(err, n,
                     "no VT-x: CPUID.1:ECX.VMX[bit 5] is 0 (QEMU without KVM never offers VMX; "
                     "under KVM use -cpu host,+vmx with nested=1)");
        return CAPS_FATAL;
    }
    enum caps_verdict ok = CAPS_OK;
    if (c->feature_control & FEATURE_CONTROL_LOCKED) {
        if (!(c->feature_control & FEATURE_CONTROL_VMXON_OUTSIDE_SMX)) {
            fmt_snprintf(err, n,
                         "VT-x is disabled: IA32_FEATURE_CONTROL is locked with VMXON outside SMX off "
                         "(enable VT-x in the firmware setup)");
            return CAPS_FATAL;
        }
    } else {
        ok = CAPS_OK_LOCK_FEATURE_CONTROL;
    }
    if (!caps_has_ept(c)) {
        fmt_snprintf(err, n,
                     "no EPT: IA32_VMX_PROCBASED_CTLS2 does not allow \"enable EPT\" "
                     "(vmxlab needs a Nehalem or later VT-x)");
        return CAPS_FATAL;
    }
    if (!(c->ept_vpid & VMX_EPT_PAGE_WALK_4) || !(c->ept_vpid & (VMX_EPT_MEMTYPE_WB | VMX_EPT_MEMTYPE_UC))) {
        fmt_snprintf(err, n,
                     "unusable EPT: IA32_VMX_EPT_VPID_CAP=0x%llx lacks a 4-level walk or a WB/UC "
                     "paging-structure type",
                     (unsigned long long)c->ept_vpid);
        return CAPS_FATAL;
    }
    if (!ctl_allowed1(c->entry_ctls, VM_ENTRY_LOAD_IA32_EFER) || !ctl_allowed1(c->exit_ctls, VM_EXIT_LOAD_IA32_EFER) ||
        !ctl_allowed1(c->exit_ctls, VM_EXIT_SAVE_IA32_EFER)) {
        fmt_snprintf(err, n, "no EFER switching: VM-entry/exit controls cannot load and save IA32_EFER");
        return CAPS_FATAL;
    }
    if (mode == MODE_UG && !caps_has_ug(c)) {
        fmt_snprintf(err, n,
                     "no unrestricted guest: mode=ug needs the \"unrestricted guest\" VM-execution "
                     "control (Westmere or later); boot mode=assist or mode=emulate instead");
        return CAPS_FATAL;
    }
    return ok;
}

uint32_t ctl_adjust(uint64_t cap, uint32_t want, uint32_t *missing)
{
    /* LAB 1: BEGIN exercise 2 (control adjust) */
    uint32_t must = (uint32_t)cap, may = (uint32_t)(cap >> 32);
    if (missing)
        *missing = want & ~may;
    return (want | must) & may;
    /* LAB 1: STUB (void)cap; */
    /* LAB 1: STUB (void)want; */
    /* LAB 1: STUB (void)missing; */
    /* LAB 1: END */
}

void caps_describe(const struct cpu_caps *c, char *buf, size_t len)
{
#define YN(x) ((x) ? "yes" : "no")
    fmt_snprintf(buf, len,
                 "ept=%s ug=%s vpid=%s preemption-timer=%s load-efer=%s save-efer=%s ept-2m=%s ept-1g=%s "
                 "hlt-state=%s",
                 YN(caps_has_ept(c)), YN(caps_has_ug(c)), YN(caps_has_vpid(c)),
                 YN(ctl_allowed1(c->pinbased, PIN_BASED_VMX_PREEMPTION_TIMER)),
                 YN(ctl_allowed1(c->entry_ctls, VM_ENTRY_LOAD_IA32_EFER)),
                 YN(ctl_allowed1(c->exit_ctls, VM_EXIT_SAVE_IA32_EFER)), YN(c->ept_vpid & VMX_EPT_2MB_PAGE),
                 YN(c->ept_vpid & VMX_EPT_1GB_PAGE), YN(c->misc & VMX_MISC_ACTIVITY_HLT));
#undef YN
}

#ifndef HOST_TEST
#include "x86/asm.h"

void caps_read(struct cpu_caps *c)
{
    uint32_t r[4];
    memset(c, 0, sizeof *c);
    cpuid(0, 0, r);
    memcpy(c->vendor, &r[1], 4);
    memcpy(c->vendor + 4, &r[3], 4);
    memcpy(c->vendor + 8, &r[2], 4);
    cpuid(1, 0, r);
    c->cpuid1_ecx = r[2];
    if (!(c->cpuid1_ecx & CPUID1_ECX_VMX))
        return; /* the VMX MSRs would #GP */
    c->feature_control = rdmsr(IA32_FEATURE_CONTROL);
    c->basic = rdmsr(IA32_VMX_BASIC);
    int tru = (c->basic & VMX_BASIC_TRUE_CTLS) != 0;
    c->pinbased = rdmsr(tru ? IA32_VMX_TRUE_PINBASED_CTLS : IA32_VMX_PINBASED_CTLS);
    c->procbased = rdmsr(tru ? IA32_VMX_TRUE_PROCBASED_CTLS : IA32_VMX_PROCBASED_CTLS);
    c->exit_ctls = rdmsr(tru ? IA32_VMX_TRUE_EXIT_CTLS : IA32_VMX_EXIT_CTLS);
    c->entry_ctls = rdmsr(tru ? IA32_VMX_TRUE_ENTRY_CTLS : IA32_VMX_ENTRY_CTLS);
    c->misc = rdmsr(IA32_VMX_MISC);
    c->cr0_fixed0 = rdmsr(IA32_VMX_CR0_FIXED0);
    c->cr0_fixed1 = rdmsr(IA32_VMX_CR0_FIXED1);
    c->cr4_fixed0 = rdmsr(IA32_VMX_CR4_FIXED0);
    c->cr4_fixed1 = rdmsr(IA32_VMX_CR4_FIXED1);
    if (caps_has_secondary(c)) {
        c->procbased2 = rdmsr(IA32_VMX_PROCBASED_CTLS2);
        if (ctl_allowed1(c->procbased2, SECONDARY_EXEC_ENABLE_EPT | SECONDARY_EXEC_ENABLE_VPID))
            c->ept_vpid = rdmsr(IA32_VMX_EPT_VPID_CAP);
    }
}
#endif
