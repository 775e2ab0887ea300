/* test_caps.c - hv/caps.c: the verdict on a CPU's VMX capabilities and the
 * control-word adjustment of SDM Vol. 3D Appendix A.3 (bits 31:0 of a
 * capability MSR are the allowed 0-settings: a 1 there means the control
 * must be 1; bits 63:32 are the allowed 1-settings). */
#include "caps.h"
#include "check.h"
#include "x86/msr.h"
#include "x86/vmx.h"

#define ALLOW1(bits) ((uint64_t)(bits) << 32) /* the allowed-1 half of a control MSR */

/* A Core i7-2600K (Sandy Bridge) as firmware leaves it: VT-x enabled and
 * IA32_FEATURE_CONTROL locked; TRUE_* control MSRs (IA32_VMX_BASIC bit 55). */
static struct cpu_caps sandy_bridge(void)
{
    struct cpu_caps c;
    memset(&c, 0, sizeof c);
    memcpy(c.vendor, "GenuineIntel", 13);
    c.cpuid1_ecx = 0x1fbae3ff; /* SSE3 ... VMX (bit 5) ... AVX */
    c.feature_control = FEATURE_CONTROL_LOCKED | FEATURE_CONTROL_VMXON_OUTSIDE_SMX;
    c.basic = 0x00da040000000010ull;      /* revision 0x10, 4 KiB region, WB, TRUE controls */
    c.pinbased = 0x0000007f00000016ull;   /* ... preemption timer (bit 6) allowed */
    c.procbased = 0xfff9fffe04006172ull;  /* secondary controls (bit 31) allowed */
    c.procbased2 = 0x000000ff00000000ull; /* bits 0-7: APIC accesses, EPT, ..., VPID, WBINVD, UG */
    c.exit_ctls = 0x007fffff00036dfbull;  /* save/load EFER (bits 20, 21) allowed */
    c.entry_ctls = 0x0000ffff000011fbull; /* load EFER (bit 15) allowed */
    c.misc = 0x00000000100401e5ull;       /* activity state HLT (bit 6) */
    c.ept_vpid = 0x00000f0106114141ull;   /* 4-level walk, UC, WB, 2 MiB pages, INVEPT; no 1 GiB pages */
    c.cr0_fixed0 = 0x80000021;
    c.cr0_fixed1 = 0xffffffff;
    c.cr4_fixed0 = 0x2000;
    c.cr4_fixed1 = 0x627ff;
    return c;
}

static const char *verdict_str(enum caps_verdict v)
{
    switch (v) {
    case CAPS_OK: return "CAPS_OK";
    case CAPS_OK_LOCK_FEATURE_CONTROL: return "CAPS_OK_LOCK_FEATURE_CONTROL";
    case CAPS_FATAL: return "CAPS_FATAL";
    }
    return "bad verdict";
}

static const char *const mode_str[] = { "MODE_ASSIST", "MODE_EMULATE", "MODE_UG" };

static void check_verdict(const struct cpu_caps *c, enum rm_mode mode, enum caps_verdict want, const char *what)
{
    char err[300];
    memset(err, 0, sizeof err);
    enum caps_verdict v = caps_check(c, mode, err, sizeof err);
    CHECK(v == want, "caps_check(%s, %s) = %s (\"%s\"); wanted %s", what, mode_str[mode], verdict_str(v), err,
          verdict_str(want));
    if (want == CAPS_FATAL) {
        CHECK(err[0] != '\0', "caps_check(%s, %s) is fatal without a message", what, mode_str[mode]);
        CHECK(!check_contains(err, "\n"), "caps_check(%s, %s) message has a newline: \"%s\"", what, mode_str[mode],
              err);
    }
}

static void check_fatal_all_modes(const struct cpu_caps *c, const char *what)
{
    check_verdict(c, MODE_ASSIST, CAPS_FATAL, what);
    check_verdict(c, MODE_EMULATE, CAPS_FATAL, what);
    check_verdict(c, MODE_UG, CAPS_FATAL, what);
}

static void caps_accept_sandy_bridge_in_every_mode(void)
{
    struct cpu_caps c = sandy_bridge();
    check_verdict(&c, MODE_ASSIST, CAPS_OK, "Sandy Bridge, FEATURE_CONTROL locked and enabled");
    check_verdict(&c, MODE_EMULATE, CAPS_OK, "Sandy Bridge, FEATURE_CONTROL locked and enabled");
    check_verdict(&c, MODE_UG, CAPS_OK, "Sandy Bridge, FEATURE_CONTROL locked and enabled");
    /* locked with both VMXON bits is just as good */
    c.feature_control |= FEATURE_CONTROL_VMXON_IN_SMX;
    check_verdict(&c, MODE_UG, CAPS_OK, "FEATURE_CONTROL = 7");
}

static void caps_ask_to_lock_unlocked_feature_control(void)
{
    struct cpu_caps c = sandy_bridge();
    c.feature_control = 0; /* firmware left it alone: we may set bit 2 and lock */
    check_verdict(&c, MODE_ASSIST, CAPS_OK_LOCK_FEATURE_CONTROL, "FEATURE_CONTROL = 0");
    check_verdict(&c, MODE_UG, CAPS_OK_LOCK_FEATURE_CONTROL, "FEATURE_CONTROL = 0");
    c.feature_control = FEATURE_CONTROL_VMXON_OUTSIDE_SMX; /* enabled but not locked */
    check_verdict(&c, MODE_ASSIST, CAPS_OK_LOCK_FEATURE_CONTROL, "FEATURE_CONTROL = 4");
}

static void caps_reject_non_intel_vendor(void)
{
    struct cpu_caps c = sandy_bridge();
    memcpy(c.vendor, "AuthenticAMD", 13);
    check_fatal_all_modes(&c, "vendor AuthenticAMD");
    memcpy(c.vendor, "GenuineIotel", 13); /* one letter off */
    check_fatal_all_modes(&c, "vendor GenuineIotel");
    memset(c.vendor, 0, sizeof c.vendor);
    check_fatal_all_modes(&c, "empty vendor");
}

static void caps_reject_cpu_without_vmx_bit(void)
{
    /* QEMU TCG: Intel vendor string, CPUID.1:ECX.VMX = 0, and the VMX MSRs unread (0) */
    struct cpu_caps c;
    memset(&c, 0, sizeof c);
    memcpy(c.vendor, "GenuineIntel", 13);
    c.cpuid1_ecx = 0x1fbae3ff & ~(1u << 5);
    check_fatal_all_modes(&c, "CPUID.1:ECX.VMX = 0, no MSRs");
    /* even if the MSR values looked good, the CPUID bit decides */
    c = sandy_bridge();
    c.cpuid1_ecx &= ~(1u << 5);
    check_fatal_all_modes(&c, "CPUID.1:ECX.VMX = 0, MSRs of a Sandy Bridge");
}

static void caps_reject_feature_control_locked_off(void)
{
    struct cpu_caps c = sandy_bridge();
    c.feature_control = FEATURE_CONTROL_LOCKED; /* VT-x disabled in the firmware setup */
    check_fatal_all_modes(&c, "FEATURE_CONTROL = 1 (locked, VMXON outside SMX off)");
    c.feature_control = FEATURE_CONTROL_LOCKED | FEATURE_CONTROL_VMXON_IN_SMX; /* TXT only */
    check_fatal_all_modes(&c, "FEATURE_CONTROL = 3 (locked, VMXON only inside SMX)");
}

static void caps_reject_cpu_without_secondary_controls(void)
{
    /* A Core 2 (Merom): no "activate secondary controls", so no EPT */
    struct cpu_caps c = sandy_bridge();
    c.procbased &= ~ALLOW1(CPU_BASED_ACTIVATE_SECONDARY_CONTROLS);
    CHECK(!caps_has_secondary(&c), "caps_has_secondary = 1 with procbased bit 63 clear");
    CHECK(!caps_has_ept(&c), "caps_has_ept = 1 without secondary controls (procbased2 would not be read)");
    check_fatal_all_modes(&c, "no secondary controls");
    c.procbased2 = 0; /* what caps_read leaves */
    check_fatal_all_modes(&c, "no secondary controls, procbased2 0");
}

static void caps_reject_cpu_without_ept(void)
{
    struct cpu_caps c = sandy_bridge();
    c.procbased2 &= ~ALLOW1(SECONDARY_EXEC_ENABLE_EPT | SECONDARY_EXEC_UNRESTRICTED_GUEST);
    CHECK(!caps_has_ept(&c), "caps_has_ept = 1 with procbased2 bit 33 clear");
    check_fatal_all_modes(&c, "secondary controls without EPT");
    /* fatal beats "lock FEATURE_CONTROL" */
    c.feature_control = 0;
    check_fatal_all_modes(&c, "no EPT, FEATURE_CONTROL unlocked");
}

static void caps_reject_ept_without_4_level_walk(void)
{
    struct cpu_caps c = sandy_bridge();
    c.ept_vpid &= ~VMX_EPT_PAGE_WALK_4;
    check_fatal_all_modes(&c, "EPT_VPID_CAP without bit 6 (4-level walk)");
}

static void caps_reject_ept_without_wb_or_uc_structures(void)
{
    struct cpu_caps c = sandy_bridge();
    c.ept_vpid &= ~(VMX_EPT_MEMTYPE_WB | VMX_EPT_MEMTYPE_UC);
    check_fatal_all_modes(&c, "EPT_VPID_CAP without bits 8 and 14");
    /* one of the two is enough for the EPTP memory type */
    c = sandy_bridge();
    c.ept_vpid &= ~VMX_EPT_MEMTYPE_UC;
    check_verdict(&c, MODE_UG, CAPS_OK, "EPT_VPID_CAP with WB but not UC");
    c = sandy_bridge();
    c.ept_vpid &= ~VMX_EPT_MEMTYPE_WB;
    check_verdict(&c, MODE_UG, CAPS_OK, "EPT_VPID_CAP with UC but not WB");
}

static void caps_reject_cpu_without_efer_switching(void)
{
    struct cpu_caps c = sandy_bridge();
    c.entry_ctls &= ~ALLOW1(VM_ENTRY_LOAD_IA32_EFER);
    check_fatal_all_modes(&c, "no \"load IA32_EFER\" VM-entry control");
    c = sandy_bridge();
    c.exit_ctls &= ~ALLOW1(VM_EXIT_LOAD_IA32_EFER);
    check_fatal_all_modes(&c, "no \"load IA32_EFER\" VM-exit control");
    c = sandy_bridge();
    c.exit_ctls &= ~ALLOW1(VM_EXIT_SAVE_IA32_EFER);
    check_fatal_all_modes(&c, "no \"save IA32_EFER\" VM-exit control");
}

static void caps_reject_ug_mode_without_unrestricted_guest(void)
{
    /* A Core i5-750 (Lynnfield/Nehalem): EPT and VPID but no unrestricted guest */
    struct cpu_caps c = sandy_bridge();
    c.procbased2 &= ~ALLOW1(SECONDARY_EXEC_UNRESTRICTED_GUEST);
    CHECK(!caps_has_ug(&c), "caps_has_ug = 1 with procbased2 bit 39 clear");
    check_verdict(&c, MODE_UG, CAPS_FATAL, "no unrestricted guest");
    check_verdict(&c, MODE_ASSIST, CAPS_OK, "no unrestricted guest");
    check_verdict(&c, MODE_EMULATE, CAPS_OK, "no unrestricted guest");
    c.feature_control = 0;
    check_verdict(&c, MODE_UG, CAPS_FATAL, "no unrestricted guest, FEATURE_CONTROL unlocked");
    check_verdict(&c, MODE_ASSIST, CAPS_OK_LOCK_FEATURE_CONTROL, "no unrestricted guest, FEATURE_CONTROL unlocked");
}

static void caps_ug_requires_ept(void)
{
    /* SDM checks on VM-execution controls: "unrestricted guest" 1 needs "enable EPT" 1 */
    struct cpu_caps c = sandy_bridge();
    c.procbased2 &= ~ALLOW1(SECONDARY_EXEC_ENABLE_EPT);
    CHECK(!caps_has_ug(&c), "caps_has_ug = 1 without \"enable EPT\"");
    CHECK(caps_has_vpid(&c), "caps_has_vpid = 0 on a CPU allowing VPID (procbased2 bit 37)");
}

static void caps_helpers_read_allowed1_bits(void)
{
    struct cpu_caps c = sandy_bridge();
    CHECK(caps_has_secondary(&c) && caps_has_ept(&c) && caps_has_ug(&c) && caps_has_vpid(&c),
          "Sandy Bridge: secondary %d ept %d ug %d vpid %d; wanted all 1", caps_has_secondary(&c), caps_has_ept(&c),
          caps_has_ug(&c), caps_has_vpid(&c));
    /* a bit that is only in the allowed-0 half (required) is not "allowed 1" information */
    CHECK(ctl_allowed1(0x0000000000000016ull, 1u << 4) == 0, "ctl_allowed1(0x16, bit 4) = 1; wanted 0 (bits 31:0 are "
                                                             "the allowed 0-settings)");
    CHECK(ctl_allowed1(0x0000001000000000ull, 1u << 4) == 1, "ctl_allowed1(0x10_00000000, bit 4) = 0; wanted 1");
    CHECK(ctl_allowed1(0x8000000000000000ull, 1u << 31) == 1, "ctl_allowed1(bit 63, bit 31) = 0; wanted 1");
}

static void ctl_adjust_forces_required_bits(void)
{
    uint32_t missing = 0xdead;
    /* pin-based: bits 1, 2, 4 are default1 (low dword 0x16) */
    uint32_t v = ctl_adjust(0x0000007f00000016ull, PIN_BASED_EXT_INTR_MASK | PIN_BASED_NMI_EXITING, &missing);
    CHECK(v == 0x1f, "ctl_adjust(pinbased 0x7f_00000016, 0x9) = 0x%x; wanted 0x1f", v);
    CHECK(missing == 0, "ctl_adjust(pinbased, 0x9) missing = 0x%x; wanted 0", missing);
    /* wanting nothing still gives the required bits */
    v = ctl_adjust(0xfff9fffe04006172ull, 0, &missing);
    CHECK(v == 0x04006172, "ctl_adjust(procbased 0xfff9fffe_04006172, 0) = 0x%x; wanted 0x04006172", v);
    CHECK(missing == 0, "ctl_adjust(procbased, 0) missing = 0x%x; wanted 0", missing);
    /* the hv's primary controls on Sandy Bridge */
    uint32_t want = CPU_BASED_HLT_EXITING | CPU_BASED_USE_IO_BITMAPS | CPU_BASED_USE_MSR_BITMAPS |
                    CPU_BASED_ACTIVATE_SECONDARY_CONTROLS;
    v = ctl_adjust(0xfff9fffe04006172ull, want, &missing);
    CHECK(v == (0x04006172u | want), "ctl_adjust(procbased, 0x%x) = 0x%x; wanted 0x%x", want, v, 0x04006172u | want);
    CHECK(missing == 0, "ctl_adjust(procbased, 0x%x) missing = 0x%x; wanted 0", want, missing);
}

static void ctl_adjust_drops_unsupported_bits_and_reports_them(void)
{
    uint32_t missing = 0;
    /* Sandy Bridge has no INVPCID (bit 12) and no XSAVES (bit 20) control */
    uint32_t want = SECONDARY_EXEC_ENABLE_EPT | SECONDARY_EXEC_UNRESTRICTED_GUEST | SECONDARY_EXEC_ENABLE_INVPCID |
                    SECONDARY_EXEC_XSAVES;
    uint32_t v = ctl_adjust(0x000000ff00000000ull, want, &missing);
    CHECK(v == (SECONDARY_EXEC_ENABLE_EPT | SECONDARY_EXEC_UNRESTRICTED_GUEST),
          "ctl_adjust(procbased2 0xff_00000000, 0x%x) = 0x%x; wanted 0x82", want, v);
    CHECK(missing == (SECONDARY_EXEC_ENABLE_INVPCID | SECONDARY_EXEC_XSAVES),
          "ctl_adjust(procbased2, 0x%x) missing = 0x%x; wanted 0x101000", want, missing);
    /* a Nehalem without the preemption timer (pin-based bit 6) */
    v = ctl_adjust(0x0000003f00000016ull, PIN_BASED_EXT_INTR_MASK | PIN_BASED_VMX_PREEMPTION_TIMER, &missing);
    CHECK(v == 0x17, "ctl_adjust(pinbased 0x3f_00000016, 0x41) = 0x%x; wanted 0x17", v);
    CHECK(missing == PIN_BASED_VMX_PREEMPTION_TIMER,
          "ctl_adjust(pinbased 0x3f_00000016, 0x41) missing = 0x%x; "
          "wanted 0x40",
          missing);
    /* missing may be NULL */
    v = ctl_adjust(0x000000ff00000000ull, SECONDARY_EXEC_XSAVES | SECONDARY_EXEC_ENABLE_VPID, NULL);
    CHECK(v == SECONDARY_EXEC_ENABLE_VPID, "ctl_adjust(procbased2, 0x100020, NULL) = 0x%x; wanted 0x20", v);
}

static void caps_describe_lists_sandy_bridge_features(void)
{
    struct cpu_caps c = sandy_bridge();
    char buf[300];
    caps_describe(&c, buf, sizeof buf);
    static const char *const want[] = { "ept=yes",       "ug=yes",        "vpid=yes",   "preemption-timer=yes",
                                        "load-efer=yes", "save-efer=yes", "ept-2m=yes", "ept-1g=no",
                                        "hlt-state=yes" };
    for (unsigned i = 0; i < sizeof want / sizeof want[0]; i++)
        CHECK(check_contains(buf, want[i]), "caps_describe(Sandy Bridge) = \"%s\"; wanted it to say %s", buf, want[i]);
    c.procbased2 &= ~ALLOW1(SECONDARY_EXEC_UNRESTRICTED_GUEST);
    caps_describe(&c, buf, sizeof buf);
    CHECK(check_contains(buf, "ug=no"), "caps_describe(no UG) = \"%s\"; wanted it to say ug=no", buf);
}

int main(void)
{
    RUN(caps_accept_sandy_bridge_in_every_mode);
    RUN(caps_ask_to_lock_unlocked_feature_control);
    RUN(caps_reject_non_intel_vendor);
    RUN(caps_reject_cpu_without_vmx_bit);
    RUN(caps_reject_feature_control_locked_off);
    RUN(caps_reject_cpu_without_secondary_controls);
    RUN(caps_reject_cpu_without_ept);
    RUN(caps_reject_ept_without_4_level_walk);
    RUN(caps_reject_ept_without_wb_or_uc_structures);
    RUN(caps_reject_cpu_without_efer_switching);
    RUN(caps_reject_ug_mode_without_unrestricted_guest);
    RUN(caps_ug_requires_ept);
    RUN(caps_helpers_read_allowed1_bits);
    RUN(ctl_adjust_forces_required_bits);
    RUN(ctl_adjust_drops_unsupported_bits_and_reports_them);
    RUN(caps_describe_lists_sandy_bridge_features);
    return check_summary();
}
