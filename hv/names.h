/* names.h - SDM names for exit reasons and VM-instruction errors. */
#ifndef HV_NAMES_H
#define HV_NAMES_H
#include <stdint.h>

/* "CPUID", "Control-register accesses", ... (SDM Appendix C) */
const char *exit_reason_name(uint32_t reason);
/* "cpuid", "cr_access", ...: the key in the vmxlab-stats line */
const char *exit_reason_key(uint32_t reason);
/* SDM 31.4 "VM Instruction Error Numbers" */
const char *vm_instruction_error_name(uint32_t err);

#endif
