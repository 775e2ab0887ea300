/* test_names.c - hv/names.c against the SDM's tables: basic exit reasons
 * (Vol. 3D Appendix C, Table C-1) and VM-instruction error numbers (Vol. 3C
 * "VM Instruction Error Numbers"). */
#include "check.h"
#include "names.h"
#include "x86/vmx.h"

static void exit_reason_name_uses_sdm_names(void)
{
    CHECK_STR(exit_reason_name(0), "Exception or non-maskable interrupt (NMI)");
    CHECK_STR(exit_reason_name(2), "Triple fault");
    CHECK_STR(exit_reason_name(EXIT_REASON_CPUID), "CPUID");
    CHECK_STR(exit_reason_name(10), "CPUID");
    CHECK_STR(exit_reason_name(12), "HLT");
    CHECK_STR(exit_reason_name(18), "VMCALL");
    CHECK_STR(exit_reason_name(28), "Control-register accesses");
    CHECK_STR(exit_reason_name(30), "I/O instruction");
    CHECK_STR(exit_reason_name(31), "RDMSR");
    CHECK_STR(exit_reason_name(32), "WRMSR");
    CHECK_STR(exit_reason_name(33), "VM-entry failure due to invalid guest state");
    CHECK_STR(exit_reason_name(48), "EPT violation");
    CHECK_STR(exit_reason_name(49), "EPT misconfiguration");
    CHECK_STR(exit_reason_name(52), "VMX-preemption timer expired");
    CHECK_STR(exit_reason_name(69), "LOADIWKEY");
}

static void exit_reason_key_gives_stats_keys(void)
{
    CHECK_STR(exit_reason_key(EXIT_REASON_IO_INSTRUCTION), "io");
    CHECK_STR(exit_reason_key(30), "io");
    CHECK_STR(exit_reason_key(48), "ept_violation");
    CHECK_STR(exit_reason_key(10), "cpuid");
    CHECK_STR(exit_reason_key(12), "hlt");
    CHECK_STR(exit_reason_key(28), "cr_access");
    CHECK_STR(exit_reason_key(2), "triple_fault");
}

static void exit_reason_unknown_numbers_say_unknown(void)
{
    /* 35, 38 and 42 are unused in Table C-1; 1000 is far past its end */
    static const uint32_t unused[] = { 35, 38, 42, 1000, 0xffff };
    for (unsigned i = 0; i < sizeof unused / sizeof unused[0]; i++) {
        CHECK(check_streq(exit_reason_name(unused[i]), "unknown exit reason"),
              "exit_reason_name(%u) = \"%s\"; wanted \"unknown exit reason\"", unused[i], exit_reason_name(unused[i]));
        CHECK(check_streq(exit_reason_key(unused[i]), "unknown"), "exit_reason_key(%u) = \"%s\"; wanted \"unknown\"",
              unused[i], exit_reason_key(unused[i]));
    }
}

static void exit_reason_ignores_bits_above_basic_reason(void)
{
    /* bits 31:16 of the exit-reason field are flags, e.g. bit 31 "VM-entry failure" */
    CHECK_STR(exit_reason_name(EXIT_REASON_FAILED_VMENTRY | 33), "VM-entry failure due to invalid guest state");
    CHECK_STR(exit_reason_key(EXIT_REASON_FAILED_VMENTRY | 34), "msr_loading");
    CHECK_STR(exit_reason_name((1u << 27) | 48), "EPT violation"); /* bit 27: exit from enclave mode */
    CHECK_STR(exit_reason_key(0x10000 | 10), "cpuid");
}

static void exit_reason_table_covers_pconfig(void)
{
    /* Table C-1: 65 = PCONFIG, between XRSTORS (64) and SPP-related event (66) */
    CHECK_STR(exit_reason_name(64), "XRSTORS");
    CHECK_STR(exit_reason_name(65), "PCONFIG");
    CHECK_STR(exit_reason_name(66), "SPP-related event");
}

static void exit_reason_keys_are_single_words(void)
{
    /* vmxlab-stats prints exit.<key>=<count>: keys must be lower-case words
     * without spaces or '=', distinct for distinct reasons */
    for (uint32_t r = 0; r < EXIT_REASON_MAX; r++) {
        const char *k = exit_reason_key(r);
        int ok = k[0] != '\0';
        for (const char *p = k; *p; p++)
            ok &= (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_';
        CHECK(ok, "exit_reason_key(%u) = \"%s\"; wanted a word of [a-z0-9_]", r, k);
        if (check_streq(k, "unknown"))
            continue;
        CHECK(!check_streq(exit_reason_name(r), "unknown exit reason"),
              "exit_reason_key(%u) = \"%s\" but exit_reason_name(%u) is unknown", r, k, r);
        for (uint32_t q = 0; q < r; q++)
            CHECK(!check_streq(k, exit_reason_key(q)), "exit_reason_key(%u) = exit_reason_key(%u) = \"%s\"", r, q, k);
    }
}

static void vm_instruction_error_name_uses_sdm_names(void)
{
    CHECK_STR(vm_instruction_error_name(1), "VMCALL executed in VMX root operation");
    CHECK_STR(vm_instruction_error_name(4), "VMLAUNCH with non-clear VMCS");
    CHECK_STR(vm_instruction_error_name(5), "VMRESUME with non-launched VMCS");
    CHECK_STR(vm_instruction_error_name(7), "VM entry with invalid control field(s)");
    CHECK_STR(vm_instruction_error_name(8), "VM entry with invalid host-state field(s)");
    CHECK_STR(vm_instruction_error_name(12), "VMREAD/VMWRITE from/to unsupported VMCS component");
    CHECK_STR(vm_instruction_error_name(13), "VMWRITE to read-only VMCS component");
    CHECK_STR(vm_instruction_error_name(26), "VM entry with events blocked by MOV SS");
    CHECK_STR(vm_instruction_error_name(28), "Invalid operand to INVEPT/INVVPID");
}

static void vm_instruction_error_unknown_numbers(void)
{
    /* 0 is "no error"; 14, 21 and 27 are unused; the table ends at 28 */
    static const uint32_t unused[] = { 0, 14, 21, 27, 1000, 0xffffffff };
    for (unsigned i = 0; i < sizeof unused / sizeof unused[0]; i++)
        CHECK(check_streq(vm_instruction_error_name(unused[i]), "unknown VM-instruction error"),
              "vm_instruction_error_name(%u) = \"%s\"; wanted \"unknown VM-instruction error\"", unused[i],
              vm_instruction_error_name(unused[i]));
}

int main(void)
{
    RUN(exit_reason_name_uses_sdm_names);
    RUN(exit_reason_key_gives_stats_keys);
    RUN(exit_reason_unknown_numbers_say_unknown);
    RUN(exit_reason_ignores_bits_above_basic_reason);
    RUN(exit_reason_table_covers_pconfig);
    RUN(exit_reason_keys_are_single_words);
    RUN(vm_instruction_error_name_uses_sdm_names);
    RUN(vm_instruction_error_unknown_numbers);
    return check_summary();
}
