/* exit.c - one switch over the exit reasons, dispatching to handle_<reason>. */
#include "hv.h"
#include "fb.h"
#include "x86/ioport.h"
#include "console.h"
#include "fmt.h"
#include "names.h"
#include "string.h"
#include "vmxlab/handoff.h"
#include "vmxlab/lab.h"
#include "vmxlab/vmcall.h"
#include "x86/asm.h"
#include "x86/cr.h"
#include "x86/exception.h"
#include "x86/msr.h"

/* Every handler gets the vcpu and the guest registers of the exit it
 * handles (vmx_handle_exit has them from entry.asm), never a global. */

static int guest_long_mode(const struct vcpu *v) { return (v->entry_ctls & VM_ENTRY_IA32E_MODE) != 0; }

static uint64_t gpr_read(const struct vcpu *v, const struct guest_regs *r, unsigned n)
{
    uint64_t val = n == R_SP ? vmcs_readl(GUEST_RSP) : r->gpr[n];
    return guest_long_mode(v) ? val : (uint32_t)val;
}

static void gpr_write(const struct vcpu *v, struct guest_regs *r, unsigned n, uint64_t val)
{
    if (!guest_long_mode(v))
        val = (uint32_t)val; /* a 32-bit destination zeroes bits 63:32 */
    if (n == R_SP)
        vmcs_writel(GUEST_RSP, val);
    else
        r->gpr[n] = val;
}

/* Step over the instruction that exited; its STI/MOV-SS shadow ends with it. */
static void skip_instruction(void)
{
    vmcs_writel(GUEST_RIP, vmcs_readl(GUEST_RIP) + vmcs_read32(VM_EXIT_INSTRUCTION_LEN));
    uint32_t intr = vmcs_read32(GUEST_INTERRUPTIBILITY_INFO);
    if (intr & (GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS))
        vmcs_write32(GUEST_INTERRUPTIBILITY_INFO, intr & ~(GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS));
}

/* Deliver a hardware exception to the guest on the next VM entry (SDM 26.6). */
static void inject_exception(unsigned vector, int has_error, uint32_t error)
{
    vmcs_write32(VM_ENTRY_INTR_INFO_FIELD,
                 INTR_INFO_VALID | INTR_TYPE_HARD_EXCEPTION | vector | (has_error ? INTR_INFO_ERROR_CODE_VALID : 0));
    if (has_error)
        vmcs_write32(VM_ENTRY_EXCEPTION_ERROR_CODE, error);
}

void dump_guest_state(const struct vcpu *v, const struct guest_regs *r, const char *why)
{
    uint32_t reason = vmcs_read32(VM_EXIT_REASON);
    printk("vmxlab: guest state (%s):\n", why);
    printk("  exit reason %u (%s)%s, qualification 0x%llx\n", reason & 0xffff, exit_reason_name(reason),
           reason & EXIT_REASON_FAILED_VMENTRY ? ", VM-entry failure" : "",
           (unsigned long long)vmcs_readl(EXIT_QUALIFICATION));
    printk("  RIP=0x%llx CS=0x%04x (base 0x%llx, access 0x%x) RSP=0x%llx RFLAGS=0x%llx\n",
           (unsigned long long)vmcs_readl(GUEST_RIP), vmcs_read16(GUEST_CS_SELECTOR),
           (unsigned long long)vmcs_readl(GUEST_CS_BASE), vmcs_read32(GUEST_CS_AR_BYTES),
           (unsigned long long)vmcs_readl(GUEST_RSP), (unsigned long long)vmcs_readl(GUEST_RFLAGS));
    printk("  CR0=0x%llx (guest sees 0x%llx) CR3=0x%llx (guest sees 0x%llx) CR4=0x%llx (guest sees 0x%llx) "
           "EFER=0x%llx\n",
           (unsigned long long)vmcs_readl(GUEST_CR0), (unsigned long long)v->cr0,
           (unsigned long long)vmcs_readl(GUEST_CR3), (unsigned long long)v->cr3,
           (unsigned long long)vmcs_readl(GUEST_CR4), (unsigned long long)v->cr4,
           (unsigned long long)vmcs_read64(GUEST_IA32_EFER));
    if (r)
        printk("  RAX=0x%llx RBX=0x%llx RCX=0x%llx RDX=0x%llx RSI=0x%llx RDI=0x%llx RBP=0x%llx\n",
               (unsigned long long)r->gpr[R_AX], (unsigned long long)r->gpr[R_BX], (unsigned long long)r->gpr[R_CX],
               (unsigned long long)r->gpr[R_DX], (unsigned long long)r->gpr[R_SI], (unsigned long long)r->gpr[R_DI],
               (unsigned long long)r->gpr[R_BP]);
    printk("  GDTR=0x%llx/0x%x IDTR=0x%llx/0x%x interruptibility=0x%x activity=%u IDT-vectoring=0x%x\n",
           (unsigned long long)vmcs_readl(GUEST_GDTR_BASE), vmcs_read32(GUEST_GDTR_LIMIT),
           (unsigned long long)vmcs_readl(GUEST_IDTR_BASE), vmcs_read32(GUEST_IDTR_LIMIT),
           vmcs_read32(GUEST_INTERRUPTIBILITY_INFO), vmcs_read32(GUEST_ACTIVITY_STATE),
           vmcs_read32(IDT_VECTORING_INFO_FIELD));
}

static __attribute__((noreturn)) void guest_crash(const struct vcpu *v, const struct guest_regs *r, const char *what)
{
    dump_guest_state(v, r, what);
    hv_fatal(VMXLAB_STATUS_GUEST_CRASH, "%s", what);
}

/* CPUID passes through, except that the guest must not see VMX (SDM 24.6:
 * a nested VMM would find VMXON failing). */
static void handle_cpuid(struct vcpu *v, struct guest_regs *r)
{
    (void)v; /* the answer does not depend on the guest's mode */
    /* LAB 2: BEGIN exercise 1 (CPUID handler) */
    uint32_t out[4];
    uint32_t leaf = (uint32_t)r->gpr[R_AX];
    cpuid(leaf, (uint32_t)r->gpr[R_CX], out);
    if (leaf == 1)
        out[2] &= ~CPUID1_ECX_VMX;
    r->gpr[R_AX] = out[0];
    r->gpr[R_BX] = out[1];
    r->gpr[R_CX] = out[2];
    r->gpr[R_DX] = out[3];
    skip_instruction();
    /* LAB 2: STUB (void)r; */
    /* LAB 2: END */
}

static void handle_hlt(struct vcpu *v, struct guest_regs *r)
{
    skip_instruction();
    if (!(vmcs_readl(GUEST_RFLAGS) & RFLAGS_IF)) {
        dump_guest_state(v, r, "HLT with interrupts disabled");
        hv_fatal(VMXLAB_STATUS_GUEST_CRASH, "guest executed HLT with interrupts disabled: nothing can wake it");
    }
    if (irq_pending()) { /* an IRQ the hv owes the guest wakes it at once */
        irq_deliver(v);
        return;
    }
    /* Let the CPU wait in the guest for its next interrupt; without the HLT
     * activity state the guest just goes on, like a spurious wake-up. */
    if (hv.caps.misc & VMX_MISC_ACTIVITY_HLT)
        vmcs_write32(GUEST_ACTIVITY_STATE, GUEST_ACTIVITY_HLT);
}

static void handle_io(struct vcpu *v, struct guest_regs *r, uint64_t q)
{
    /* LAB 2: BEGIN exercise 2 (I/O handler) */
    uint16_t port = IO_QUAL_PORT(q);
    unsigned size = IO_QUAL_SIZE(q);
    int in = (q & IO_QUAL_IN) != 0;
    if (q & IO_QUAL_STRING) {
        char what[96];
        fmt_snprintf(what, sizeof what, "string I/O (INS/OUTS) on trapped port 0x%x is not emulated", port);
        guest_crash(v, r, what);
    }
    uint32_t mask = size == 4 ? 0xffffffffu : (1u << (8 * size)) - 1;
    uint32_t val = (uint32_t)r->gpr[R_AX] & mask;
    if (!in)
        acpi_out(port, size, &val); /* PM1a_CNT: S5 powers off, another sleep type loses SLP_EN (acpi.c) */
    if (cmos_io(port, in, &val) || a20_io(port, in, size, &val) || fb_io(port, in, size, &val)) {
        /* CMOS memory size and boot order, the A20 gate, a VGA on a framebuffer: virtual (cmos.c, a20.c, fb.c) */
    } else if (!in && port == VMXLAB_PORT_POWEROFF) {
        power_off(val & 0xff);
    } else if (!in && port == VMXLAB_PORT_DEBUGCON) {
        console_putc((char)val);
    } else if (!in && port == PORT_BOCHS_SHUTDOWN) {
        bochs_shutdown_out((uint8_t)val);
    } else if (in && port == PORT_BOCHS_SHUTDOWN) {
        val = mask; /* nothing there, on a PC or in Bochs */
    } else if (in && (port == VMXLAB_PORT_DEBUGCON || port == VMXLAB_PORT_POWEROFF)) {
        val = port == VMXLAB_PORT_DEBUGCON ? 0xe9 : 0xff; /* what Bochs and QEMU answer */
    } else if (dma_io(port, in, size, &val)) {
        /* the IDE bus master, guarded (dma.c); after the hv's own ports, wherever the guest puts its BAR */
    } else if (in) { /* a port trapped only for counting: pass it through */
        val = size == 1 ? inb(port) : size == 2 ? inw(port) : inl(port);
    } else {
        if (size == 1)
            outb(port, (uint8_t)val);
        else if (size == 2)
            outw(port, (uint16_t)val);
        else
            outl(port, val);
    }
    if (in)
        r->gpr[R_AX] = (r->gpr[R_AX] & ~(uint64_t)mask) | val;
    skip_instruction();
    /* LAB 2: STUB (void)v; (void)r; (void)q; */
    /* LAB 2: END */
}

static void handle_vmcall(struct vcpu *v, struct guest_regs *r)
{
    uint64_t nr = (uint32_t)r->gpr[R_AX], a = gpr_read(v, r, R_BX), b = gpr_read(v, r, R_CX);
    int64_t ret;
    skip_instruction();
    if (VMX_AR_DPL_OF(vmcs_read32(GUEST_SS_AR_BYTES))) { /* SS.DPL is the CPL */
        ret = VMXLAB_E_PERM;
    } else {
        switch (nr) {
        case VMCALL_VERSION: ret = VMXLAB_ABI_VERSION; break;
        case VMCALL_CONSOLE_WRITE: {
            const char *s = guest_ram(a, b);
            if (!s && b) {
                ret = VMXLAB_E_FAULT;
                break;
            }
            console_write(s, b);
            ret = (int64_t)b;
            break;
        }
        case VMCALL_POWER_OFF:
            if (a > 255) {
                ret = VMXLAB_E_INVAL;
                break;
            }
            power_off((int)a);
        case VMCALL_STATS: {
            stats_print();
            ret = (int64_t)v->exits;
            if (a) {
                struct vmxlab_stats_summary *s = guest_ram(a, sizeof *s);
                if (!s) {
                    ret = VMXLAB_E_FAULT;
                    break;
                }
                *s = (struct vmxlab_stats_summary){ VMXLAB_ABI_VERSION, sizeof *s, v->exits, rdtsc() - v->launch_tsc };
            }
            break;
        }
        case VMCALL_ASSIST_REPLAY_IRQ: /* vmxassist's, while it runs real-mode code */
            ret = v->real_mode && !v->ug ? irq_replay(v, (uint32_t)a, (uint32_t)b) : VMXLAB_E_INVAL;
            break;
        case VMCALL_ASSIST_RESTORE:
            assist_check_restore(v, a); /* a context VM entry would refuse ends the run, naming the field */
            ret = assist_restore(v, r, a);
            if (!ret)
                return; /* the guest goes on in the restored context */
            break;
        default: ret = VMXLAB_E_NOSYS; break;
        }
    }
    gpr_write(v, r, R_AX, (uint64_t)ret);
}

/* The CR4 bits this CPU has, from CPUID as the SDM defines them (2.5: a bit
 * of a feature the CPU lacks is reserved), without VMXE: the guest was told
 * it has no VMX. A MOV to CR4 that sets another bit is #GP(0). Each pair:
 * the CPUID bit (register 0 CPUID.1:EDX, 1 CPUID.1:ECX, 2 CPUID.7:EBX, 3
 * CPUID.7:ECX, times 32, plus the bit), then the CR4 bit. */
__attribute__((cold)) uint64_t cr4_supported(void)
{
#define B(cr4) __builtin_ctz(cr4) /* the table keeps bit numbers */
    static const uint8_t map[][2] = {
        { 1, B(CR4_VME) },         { 1, B(CR4_PVI) },           { 4, B(CR4_TSD) },
        { 2, B(CR4_DE) },          { 3, B(CR4_PSE) },           { 6, B(CR4_PAE) },
        { 7, B(CR4_MCE) },         { 13, B(CR4_PGE) },          { 0, B(CR4_PCE) } /* FPU: every CPU */,
        { 24, B(CR4_OSFXSR) },     { 25, B(CR4_OSXMMEXCPT) },   { 96 + 2, B(CR4_UMIP) },
        { 96 + 16, B(CR4_LA57) },  { 32 + 6, B(CR4_SMXE) },     { 64 + 0, B(CR4_FSGSBASE) },
        { 32 + 17, B(CR4_PCIDE) }, { 32 + 26, B(CR4_OSXSAVE) }, { 64 + 7, B(CR4_SMEP) },
        { 64 + 20, B(CR4_SMAP) },  { 96 + 3, B(CR4_PKE) },      { 96 + 7, B(CR4_CET) },
        { 96 + 31, B(CR4_PKS) },
    };
#undef B
    uint32_t l1[4], l7[4] = { 0 }, max[4];
    cpuid(0, 0, max);
    cpuid(1, 0, l1);
    if (max[0] >= 7)
        cpuid(7, 0, l7);
    uint32_t reg[4] = { l1[3], l1[2], l7[1], l7[2] };
    uint64_t bits = 0;
    for (unsigned i = 0; i < sizeof map / sizeof map[0]; i++)
        if (reg[map[i][0] >> 5] & (1u << (map[i][0] & 31)))
            bits |= 1ull << map[i][1];
    return bits;
}

/* A guest write to CR4 that exited: 0, or -1 for the #GP(0) the SDM's MOV
 * CR4 gives (reserved bits, VMXE, PCIDE outside IA-32e mode or with
 * CR3[11:0] set, PAE off in IA-32e mode, CET with CR0.WP clear). */
static __attribute__((cold)) int write_guest_cr4(struct vcpu *v, uint64_t val)
{
    int lma = (v->cr0 & CR0_PG) && (v->efer & EFER_LME);
    if (val & ~cr4_supported())
        return -1;
    if ((val & CR4_PCIDE) && !(v->cr4 & CR4_PCIDE) && (!lma || (v->cr3 & 0xfff)))
        return -1;
    if (lma && !(val & CR4_PAE))
        return -1;
    if ((val & CR4_CET) && !(v->cr0 & CR0_WP))
        return -1;
    v->cr4 = val;
    vcpu_update_paging(v);
    return 0;
}

/* A guest write to CR0, with RIP already past the instruction. Returns 0,
 * or -1 when the write must fault (#GP) instead: the SDM's MOV CR0 list. */
static int write_guest_cr0(struct vcpu *v, struct guest_regs *r, uint64_t val)
{
    if (val >> 32)
        return -1;                      /* bits 63:32 (only a 64-bit MOV can set them) */
    val = (val & CR0_DEFINED) | CR0_ET; /* reserved bits 31:0 stay clear; ET is hardwired to 1 since the 486 */
    if ((val & CR0_PG) && !(val & CR0_PE))
        return -1; /* PG without PE */
    if ((val & CR0_NW) && !(val & CR0_CD))
        return -1; /* NW without CD */
    if ((val & CR0_PG) && !(v->cr0 & CR0_PG) && (v->efer & EFER_LME) && !(v->cr4 & CR4_PAE))
        return -1; /* IA-32e mode without PAE */
    if (!(val & CR0_PG) && (v->cr4 & CR4_PCIDE))
        return -1; /* leaving paging with PCIDE on */
    if (!(val & CR0_WP) && (v->cr4 & CR4_CET))
        return -1;
    /* CD and NW are the guest's, but neither VM entry nor VM exit loads
     * them (SDM 27.3.2.1, 28.5.1): when a write that exits changes them, the
     * CPU's own bits must change here, or the guest reads its old ones. */
    uint64_t cdnw = CR0_CD | CR0_NW, hw = read_cr0();
    if ((hw ^ val) & cdnw)
        write_cr0((hw & ~cdnw) | (val & cdnw));
    if (!(val & CR0_PE) && !v->ug && !v->real_mode) {
        assist_invoke(v, r, val); /* protected -> real: vmxassist takes over */
        return 0;
    }
    v->cr0 = val;
    v->real_mode = !(val & CR0_PE);
    vcpu_update_paging(v);
    return 0;
}

static void handle_cr_access(struct vcpu *v, struct guest_regs *r, uint64_t q)
{
    unsigned cr = CR_QUAL_NUM(q), gpr = CR_QUAL_GPR(q);
    uint64_t rip = vmcs_readl(GUEST_RIP);
    int fault = 0;
    vcpu_sync_cr3(v);
    skip_instruction();
    switch (CR_QUAL_TYPE(q)) {
    case CR_TYPE_MOV_TO_CR: {
        uint64_t val = gpr_read(v, r, gpr);
        if (cr == 0) {
            fault = write_guest_cr0(v, r, val);
        } else if (cr == 3) {
            v->cr3 = val;
            vcpu_update_paging(v);
        } else if (cr == 4) {
            fault = write_guest_cr4(v, val);
        } else {
            guest_crash(v, r, "MOV to an unexpected control register exited");
        }
        break;
    }
    case CR_TYPE_MOV_FROM_CR:
        if (cr != 3)
            guest_crash(v, r, "MOV from an unexpected control register exited");
        gpr_write(v, r, gpr, v->cr3);
        break;
    case CR_TYPE_CLTS:
        v->cr0 &= ~(uint64_t)CR0_TS;
        vmcs_writel(GUEST_CR0, vmcs_readl(GUEST_CR0) & ~(uint64_t)CR0_TS);
        vmcs_writel(CR0_READ_SHADOW, v->cr0);
        break;
    case CR_TYPE_LMSW: /* loads CR0 bits 3:0, but can set PE only, never clear it */
        fault = write_guest_cr0(
            v, r, (v->cr0 & ~(uint64_t)(CR0_LMSW_BITS & ~CR0_PE)) | (CR_QUAL_LMSW_DATA(q) & CR0_LMSW_BITS));
        break;
    }
    if (fault) {
        vmcs_writel(GUEST_RIP, rip);
        inject_exception(VECTOR_GP, 1, 0);
    }
}

/* WRMSR EFER (SDM 2.2.1, WRMSR): #GP for a bit of a feature CPUID does not
 * report, and for a change of LME while paging is on. LMA is read-only: a
 * write's LMA bit is ignored. */
static __attribute__((cold)) int efer_write_ok(const struct vcpu *v, uint64_t val)
{
    uint32_t r[4];
    cpuid(0x80000000, 0, r);
    uint32_t ext = 0;
    if (r[0] >= 0x80000001) {
        cpuid(0x80000001, 0, r);
        ext = r[3];
    }
    uint64_t ok = EFER_LMA | (ext & (1u << 11) ? EFER_SCE : 0) | (ext & (1u << 29) ? EFER_LME : 0) |
                  (ext & (1u << 20) ? EFER_NXE : 0);
    if (val & ~ok)
        return 0;
    if ((v->cr0 & CR0_PG) && ((val ^ v->efer) & EFER_LME))
        return 0;
    return 1;
}

/* Only trapped MSRs (EFER, the x2APIC ICR, IA32_APIC_BASE, the VMX MSRs,
 * IA32_SMM_MONITOR_CTL, IA32_FEATURE_CONTROL: vmcs_init) and MSRs outside the
 * bitmap's ranges exit. */
static void handle_msr(struct vcpu *v, struct guest_regs *r, int write)
{
    uint32_t msr = (uint32_t)r->gpr[R_CX];
    uint64_t val = (r->gpr[R_DX] << 32) | (uint32_t)r->gpr[R_AX];
    int gp = 0;
    if (apic_msr(write, msr, &val, &gp)) { /* the x2APIC ICR or IA32_APIC_BASE (apic.c) */
        if (gp) {
            inject_exception(VECTOR_GP, 1, 0);
            return;
        }
        if (!write) {
            r->gpr[R_AX] = (uint32_t)val;
            r->gpr[R_DX] = val >> 32;
        }
        skip_instruction();
        return;
    }
    if (msr == IA32_FEATURE_CONTROL && !write) {
        val = rdmsr(IA32_FEATURE_CONTROL);
        r->gpr[R_AX] = (uint32_t)val;
        r->gpr[R_DX] = val >> 32;
        skip_instruction();
        return;
    }
    /* Anything else that exits: an MSR outside the bitmap's ranges, the VMX
     * capability MSRs and IA32_SMM_MONITOR_CTL (a CPU without VMX has none),
     * a write to IA32_FEATURE_CONTROL (locked since vmx_enable): #GP, as the
     * hardware gives for an MSR it does not have or a locked one. */
    if (msr != IA32_EFER || (write && !efer_write_ok(v, val))) {
        inject_exception(VECTOR_GP, 1, 0);
        return;
    }
    if (write) {
        vcpu_sync_cr3(v);
        v->efer = val & ~(uint64_t)EFER_LMA;
        vcpu_update_paging(v);
    } else {
        uint64_t efer = v->efer | (guest_long_mode(v) ? EFER_LMA : 0);
        r->gpr[R_AX] = (uint32_t)efer;
        r->gpr[R_DX] = efer >> 32;
    }
    skip_instruction();
}

/* A write to the xAPIC page is stepped through a scratch page (apic.c);
 * any other EPT violation is a guest touching memory it does not have. */
static void handle_ept_violation(struct vcpu *v, struct guest_regs *r, uint64_t q)
{
    uint64_t gpa = vmcs_read64(GUEST_PHYSICAL_ADDRESS);
    if (apic_ept_write(gpa, (q & EPT_QUAL_WRITE) != 0))
        return;
    int hvpage = gpa >= hv.phys_start && gpa < hv.phys_end;
    char what[200];
    fmt_snprintf(
        what, sizeof what, "EPT violation: guest-physical 0x%llx (%s) at RIP 0x%llx: %s", (unsigned long long)gpa,
        q & EPT_QUAL_FETCH   ? "fetch"
        : q & EPT_QUAL_WRITE ? "write"
                             : "read",
        (unsigned long long)vmcs_readl(GUEST_RIP), hvpage ? "the page belongs to the hv" : "no memory is mapped there");
    guest_crash(v, r, what);
}

/* Only #DB exits (the exception bitmap), only while apic.c single-steps a write to the APIC page. */
static void handle_exception_nmi(struct vcpu *v, struct guest_regs *r)
{
    if (INTR_INFO_VECTOR(vmcs_read32(VM_EXIT_INTR_INFO)) != VECTOR_DB || !apic_step_done())
        guest_crash(v, r, "exception exit with no APIC write being stepped");
}

static __attribute__((noreturn)) void handle_triple_fault(struct vcpu *v, struct guest_regs *r)
{
    if (!(v->cr0 & CR0_PE)) /* DOS reboots this way (an empty IDT, then INT): a reset (reset.c) */
        guest_reset("triple fault in real mode");
    guest_crash(v, r, "guest triple fault");
}

/* The guest was told it has no VMX: #UD, as without CR4.VMXE (SDM 31.3). */
static void handle_vmx_instruction(struct vcpu *v, struct guest_regs *r)
{
    (void)v;
    (void)r;
    inject_exception(VECTOR_UD, 0, 0);
}

/* INVD too: it would drop the hv's dirty lines along with the guest's. */
static void handle_wbinvd(struct vcpu *v, struct guest_regs *r)
{
    (void)v;
    (void)r;
    __asm__ volatile("wbinvd" ::: "memory");
    skip_instruction();
}

static void handle_xsetbv(struct vcpu *v, struct guest_regs *r)
{
    (void)v; /* XCR0 is the same in every guest mode */
    uint32_t idx = (uint32_t)r->gpr[R_CX];
    uint64_t val = (r->gpr[R_DX] << 32) | (uint32_t)r->gpr[R_AX];
    uint32_t leaf[4];
    cpuid(0xd, 0, leaf);
    uint64_t supported = ((uint64_t)leaf[3] << 32) | leaf[0];
    /* SDM XSETBV: #GP for another XCR, x87 off, AVX without SSE, unsupported
     * bits, BNDREGS and BNDCSR apart, the three AVX-512 bits apart or
     * without AVX, the two AMX bits apart */
    uint64_t avx512 = val & (7u << 5), mpx = val & (3u << 3), amx = val & (3u << 17);
    if (idx != 0 || !(val & 1) || ((val & 4) && !(val & 2)) || (val & ~supported) || (mpx && mpx != (3u << 3)) ||
        (avx512 && (avx512 != (7u << 5) || !(val & 4))) || (amx && amx != (3u << 17))) {
        inject_exception(VECTOR_GP, 1, 0);
        return;
    }
    __asm__ volatile("xsetbv" : : "c"(idx), "a"((uint32_t)val), "d"((uint32_t)(val >> 32)));
    skip_instruction();
}

/* "assist", the mode guest_cpu_mode names while vmxassist works for the guest (watchdog.c compares with it). */
const char guest_mode_assist[] = "assist";

/* SGDT or SIDT in VM86 (descriptor-table exiting is on only while vmxassist
 * runs the guest, vcpu_update_paging): the #GP that LGDT gets there, so that
 * vmxassist emulates it with the guest's GDTR and IDTR. RIP still points at
 * the instruction (SDM 27.1: instruction exits are fault-like). */
static void handle_desc_table(struct vcpu *v, struct guest_regs *r)
{
    if (vmcs_readl(GUEST_RFLAGS) & RFLAGS_VM) {
        inject_exception(VECTOR_GP, 1, 0);
        return;
    }
    guest_crash(v, r,
                "a descriptor-table instruction outside VM86 while vmxassist runs the guest (vmxassist's own code)");
}

/* The CPU mode the guest was in when it exited, for the trace (tools/timeline.py's lanes). */
const char *guest_cpu_mode(const struct vcpu *v)
{
    uint32_t cs_ar = vmcs_read32(GUEST_CS_AR_BYTES);
    if (vmcs_readl(GUEST_RFLAGS) & RFLAGS_VM)
        return "vm86";
    if (!(vmcs_readl(GUEST_CR0) & CR0_PE)) { /* unrestricted guest: real mode itself */
        for (unsigned i = 0; i < 6; i++)
            if ((uint32_t)vmcs_read(GUEST_ES_LIMIT + 2 * i) > 0xffff)
                return "bigreal";
        return "real";
    }
    uint64_t rip = vmcs_readl(GUEST_RIP);
    if (v->real_mode && rip >= VMXLAB_ASSIST_ADDR && rip < VMXLAB_ASSIST_ADDR + 0x10000)
        return guest_mode_assist; /* vmxassist at work: emulating, or between two VM86 stretches */
    if (cs_ar & VMX_AR_L)
        return "long";
    return cs_ar & VMX_AR_DB ? "pm32" : "pm16";
}

void vmx_handle_exit(struct guest_regs *r)
{
    struct vcpu *v = &hv.vcpu; /* the one vcpu; from here on, every handler gets it as an argument */
    uint32_t reason = vmcs_read32(VM_EXIT_REASON);
    uint32_t basic = reason & 0xffff;
    uint64_t q = vmcs_readl(EXIT_QUALIFICATION);
    v->exits++;
    vcpu_sync_cr0(v);
    if (basic < EXIT_REASON_MAX)
        v->exit_count[basic]++;
    if (hv.opt.trace >= 2)
        printk("vmxlab-trace exit=%s rip=0x%llx qual=0x%llx mode=%s tick=%llu\n", exit_reason_key(basic),
               (unsigned long long)vmcs_readl(GUEST_RIP), (unsigned long long)q, guest_cpu_mode(v),
               (unsigned long long)(rdtsc() - v->launch_tsc));
    if (basic == EXIT_REASON_PREEMPTION_TIMER) {
        ptimer_expired(v, r); /* the watchdog's sample, fb.c's redraw (ptimer.c) */
        return;
    }
    watchdog_progress();
    fb_tick(); /* only when the timer cannot redraw the framebuffer on its own */
    if (reason & EXIT_REASON_FAILED_VMENTRY)
        guest_crash(v, r,
                    basic == EXIT_REASON_INVALID_STATE ? "VM entry failed: invalid guest state" : "VM entry failed");

    switch (basic) {
    case EXIT_REASON_CPUID: handle_cpuid(v, r); break;
    case EXIT_REASON_HLT: handle_hlt(v, r); break;
    case EXIT_REASON_IO_INSTRUCTION: handle_io(v, r, q); break;
    case EXIT_REASON_VMCALL: handle_vmcall(v, r); break;
    case EXIT_REASON_CR_ACCESS: handle_cr_access(v, r, q); break;
    case EXIT_REASON_MSR_READ:
    case EXIT_REASON_MSR_WRITE: handle_msr(v, r, basic == EXIT_REASON_MSR_WRITE); break;
    case EXIT_REASON_EPT_VIOLATION: handle_ept_violation(v, r, q); break;
    case EXIT_REASON_EXCEPTION_NMI: handle_exception_nmi(v, r); break;
    case EXIT_REASON_EPT_MISCONFIG: guest_crash(v, r, "EPT misconfiguration (an hv bug in the EPT tables)");
    case EXIT_REASON_TRIPLE_FAULT: handle_triple_fault(v, r);
    case EXIT_REASON_INIT_SIGNAL: guest_reset("INIT signal");
    case EXIT_REASON_SIPI_SIGNAL: break; /* only in wait-for-SIPI, which a single-CPU guest never enters */
    case EXIT_REASON_XSETBV: handle_xsetbv(v, r); break;
    case EXIT_REASON_VMCLEAR:
    case EXIT_REASON_VMLAUNCH:
    case EXIT_REASON_VMPTRLD:
    case EXIT_REASON_VMPTRST:
    case EXIT_REASON_VMREAD:
    case EXIT_REASON_VMRESUME:
    case EXIT_REASON_VMWRITE:
    case EXIT_REASON_VMXOFF:
    case EXIT_REASON_VMXON:
    case EXIT_REASON_INVEPT:
    case EXIT_REASON_INVVPID: handle_vmx_instruction(v, r); break;
    case EXIT_REASON_INTERRUPT_WINDOW: /* only while irq.c owes the guest an IRQ */ irq_deliver(v); break;
    case EXIT_REASON_GDTR_IDTR:
    case EXIT_REASON_LDTR_TR: handle_desc_table(v, r); break;
    case EXIT_REASON_INVD:
    case EXIT_REASON_WBINVD: handle_wbinvd(v, r); break;
    default: {
        char what[96];
        fmt_snprintf(what, sizeof what, "unexpected VM exit: %s (%u)", exit_reason_name(basic), basic);
        guest_crash(v, r, what);
    }
    }
}
