/* stats.c - the machine-readable statistics line (keys documented in README). */
#include "hv.h"
#include "console.h"
#include "names.h"
#include "x86/asm.h"

void stats_print(void)
{
    struct vcpu *v = &hv.vcpu;
    printk("vmxlab-stats mode=%s exits=%llu", mode_name(hv.opt.mode), (unsigned long long)v->exits);
    for (uint32_t i = 0; i < EXIT_REASON_MAX; i++)
        if (v->exit_count[i])
            printk(" exit.%s=%llu", exit_reason_key(i), (unsigned long long)v->exit_count[i]);
    printk(" tsc=%llu\n", (unsigned long long)(rdtsc() - v->launch_tsc));
}
