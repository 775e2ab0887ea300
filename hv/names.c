/* names.c - tables of SDM names (Vol. 3D Appendix C; Vol. 3C 31.4). */
#include "names.h"

struct exit_name {
    const char *key, *sdm;
};

static const struct exit_name exit_names[] = {
    [0] = { "exception_nmi", "Exception or non-maskable interrupt (NMI)" },
    [1] = { "external_interrupt", "External interrupt" },
    [2] = { "triple_fault", "Triple fault" },
    [3] = { "init", "INIT signal" },
    [4] = { "sipi", "Start-up IPI (SIPI)" },
    [5] = { "io_smi", "I/O system-management interrupt (SMI)" },
    [6] = { "other_smi", "Other SMI" },
    [7] = { "interrupt_window", "Interrupt window" },
    [8] = { "nmi_window", "NMI window" },
    [9] = { "task_switch", "Task switch" },
    [10] = { "cpuid", "CPUID" },
    [11] = { "getsec", "GETSEC" },
    [12] = { "hlt", "HLT" },
    [13] = { "invd", "INVD" },
    [14] = { "invlpg", "INVLPG" },
    [15] = { "rdpmc", "RDPMC" },
    [16] = { "rdtsc", "RDTSC" },
    [17] = { "rsm", "RSM" },
    [18] = { "vmcall", "VMCALL" },
    [19] = { "vmclear", "VMCLEAR" },
    [20] = { "vmlaunch", "VMLAUNCH" },
    [21] = { "vmptrld", "VMPTRLD" },
    [22] = { "vmptrst", "VMPTRST" },
    [23] = { "vmread", "VMREAD" },
    [24] = { "vmresume", "VMRESUME" },
    [25] = { "vmwrite", "VMWRITE" },
    [26] = { "vmxoff", "VMXOFF" },
    [27] = { "vmxon", "VMXON" },
    [28] = { "cr_access", "Control-register accesses" },
    [29] = { "dr_access", "MOV DR" },
    [30] = { "io", "I/O instruction" },
    [31] = { "rdmsr", "RDMSR" },
    [32] = { "wrmsr", "WRMSR" },
    [33] = { "invalid_guest_state", "VM-entry failure due to invalid guest state" },
    [34] = { "msr_loading", "VM-entry failure due to MSR loading" },
    [36] = { "mwait", "MWAIT" },
    [37] = { "monitor_trap_flag", "Monitor trap flag" },
    [39] = { "monitor", "MONITOR" },
    [40] = { "pause", "PAUSE" },
    [41] = { "machine_check", "VM-entry failure due to machine-check event" },
    [43] = { "tpr_below_threshold", "TPR below threshold" },
    [44] = { "apic_access", "APIC access" },
    [45] = { "virtualized_eoi", "Virtualized EOI" },
    [46] = { "gdtr_idtr", "Access to GDTR or IDTR" },
    [47] = { "ldtr_tr", "Access to LDTR or TR" },
    [48] = { "ept_violation", "EPT violation" },
    [49] = { "ept_misconfig", "EPT misconfiguration" },
    [50] = { "invept", "INVEPT" },
    [51] = { "rdtscp", "RDTSCP" },
    [52] = { "preemption_timer", "VMX-preemption timer expired" },
    [53] = { "invvpid", "INVVPID" },
    [54] = { "wbinvd", "WBINVD or WBNOINVD" },
    [55] = { "xsetbv", "XSETBV" },
    [56] = { "apic_write", "APIC write" },
    [57] = { "rdrand", "RDRAND" },
    [58] = { "invpcid", "INVPCID" },
    [59] = { "vmfunc", "VMFUNC" },
    [60] = { "encls", "ENCLS" },
    [61] = { "rdseed", "RDSEED" },
    [62] = { "pml_full", "Page-modification log full" },
    [63] = { "xsaves", "XSAVES" },
    [64] = { "xrstors", "XRSTORS" },
    [65] = { "pconfig", "PCONFIG" },
    [66] = { "spp", "SPP-related event" },
    [67] = { "umwait", "UMWAIT" },
    [68] = { "tpause", "TPAUSE" },
    [69] = { "loadiwkey", "LOADIWKEY" },
};
#define N_EXIT_NAMES (sizeof exit_names / sizeof exit_names[0])

const char *exit_reason_name(uint32_t r)
{
    r &= 0xffff;
    return r < N_EXIT_NAMES && exit_names[r].sdm ? exit_names[r].sdm : "unknown exit reason";
}

const char *exit_reason_key(uint32_t r)
{
    r &= 0xffff;
    return r < N_EXIT_NAMES && exit_names[r].key ? exit_names[r].key : "unknown";
}

static const char *const vm_errors[] = {
    [1] = "VMCALL executed in VMX root operation",
    [2] = "VMCLEAR with invalid physical address",
    [3] = "VMCLEAR with VMXON pointer",
    [4] = "VMLAUNCH with non-clear VMCS",
    [5] = "VMRESUME with non-launched VMCS",
    [6] = "VMRESUME after VMXOFF",
    [7] = "VM entry with invalid control field(s)",
    [8] = "VM entry with invalid host-state field(s)",
    [9] = "VMPTRLD with invalid physical address",
    [10] = "VMPTRLD with VMXON pointer",
    [11] = "VMPTRLD with incorrect VMCS revision identifier",
    [12] = "VMREAD/VMWRITE from/to unsupported VMCS component",
    [13] = "VMWRITE to read-only VMCS component",
    [15] = "VMXON executed in VMX root operation",
    [16] = "VM entry with invalid executive-VMCS pointer",
    [17] = "VM entry with non-launched executive VMCS",
    [18] = "VM entry with executive-VMCS pointer not VMXON pointer",
    [19] = "VMCALL with non-clear VMCS",
    [20] = "VMCALL with invalid VM-exit control fields",
    [22] = "VMCALL with incorrect MSEG revision identifier",
    [23] = "VMXOFF under dual-monitor treatment of SMIs and SMM",
    [24] = "VMCALL with invalid SMM-monitor features",
    [25] = "VM entry with invalid VM-execution control fields in executive VMCS",
    [26] = "VM entry with events blocked by MOV SS",
    [28] = "Invalid operand to INVEPT/INVVPID",
};

const char *vm_instruction_error_name(uint32_t e)
{
    return e < sizeof vm_errors / sizeof vm_errors[0] && vm_errors[e] ? vm_errors[e] : "unknown VM-instruction error";
}
