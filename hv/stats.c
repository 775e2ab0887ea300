/* stats.c - the machine-readable statistics line (keys documented in docs/guest-abi.md#statistics). */
#include "hv.h"
#include "console.h"
#include "names.h"
#include "vmxlab/handoff.h"
#include "x86/asm.h"

#define OP_NAME(n) #n,
static const char *const op_names[] = { VMXLAB_ASSIST_OPS(OP_NAME) };

void stats_print(void)
{
    struct vcpu *v = &hv.vcpu;
    printk("vmxlab-stats mode=%s exits=%llu", mode_name(hv.opt.mode), (unsigned long long)v->exits);
    for (uint32_t i = 0; i < EXIT_REASON_MAX; i++)
        if (v->exit_count[i])
            printk(" exit.%s=%llu", exit_reason_key(i), (unsigned long long)v->exit_count[i]);
    if (!v->ug) /* in ug the guest owns CR0.PE: its switches do not exit and are not seen */
        printk(" to_real=%llu to_prot=%llu", (unsigned long long)v->to_real, (unsigned long long)v->to_prot);
    if (v->a20_switches)
        printk(" a20_switches=%llu", (unsigned long long)v->a20_switches);
    if (apic_blocked_ipis())
        printk(" blocked_ipi=%llu", (unsigned long long)apic_blocked_ipis());
    if (dma_blocked())
        printk(" blocked_dma=%llu", (unsigned long long)dma_blocked());
    if (reset_restarts())
        printk(" restarts=%u", reset_restarts());
    if (v->irqs_replayed)
        printk(" irqs_replayed=%llu", (unsigned long long)v->irqs_replayed);
    /* vmxassist keeps its own counters in guest memory */
    const struct vmxlab_handoff *h = handoff();
    const struct vmxlab_assist_stats *a =
        h && h->magic == VMXLAB_HANDOFF_MAGIC && h->assist_stats ? guest_ram(h->assist_stats, sizeof *a) : 0;
    if (a) {
        printk(" vm86_gp=%u emulated=%u irqs=%u stepped=%u big_real=%u", a->vm86_gp, a->emulated, a->irqs, a->stepped,
               a->big_real);
        if (hv.opt.mode == MODE_EMULATE)
            printk(" emu_fallback=%u", a->emu_fallback);
        else
            printk(" episodes=%u episode_insns=%u", a->episodes, a->episode_insns);
        for (unsigned i = 0; i < VMXLAB_N_OPS; i++)
            if (a->op[i])
                printk(" op.%s=%u", op_names[i], a->op[i]);
    }
    printk(" tsc=%llu\n", (unsigned long long)(rdtsc() - v->launch_tsc));
}
