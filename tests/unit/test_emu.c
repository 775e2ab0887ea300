/* test_emu.c - vmxassist/emu.c, the real-mode instruction emulator, on a fake
 * machine: 1 MiB + 64 KiB of flat memory, a port log, fake CRs (through
 * write_cr), a small MSR file and a CPUID that echoes its inputs.
 *
 * Every test starts from the same CPU (setup): CS=1000 IP=0100, DS=2000,
 * ES=3000, SS=4000 SP=FFF0, FS=5000, GS=6000, all limits FFFF, EFLAGS=2,
 * CR0=10 (ET). Expected values are worked out from the SDM (Vol. 2 instruction
 * pages, Vol. 1 3.4.3 for the flags, Vol. 3 20.1 for real-address mode) and
 * written down before running anything; most tests compare the whole register
 * file and the whole memory with the expectation, so that a stray write shows. */
#include "check.h"
#include "../../vmxassist/emu.h"

#define MEM_SIZE (0x100000 + 0x10000)
#define CS_BASE 0x10000u
#define DS_BASE 0x20000u
#define ES_BASE 0x30000u
#define SS_BASE 0x40000u
#define IP0 0x0100u
#define SP0 0xfff0u

enum { CF = 0x1, PF = 0x4, AF = 0x10, ZF = 0x40, SF = 0x80, TF = 0x100, IF = 0x200, DF = 0x400, OF = 0x800 };

/* ---- the fake machine ---- */

static uint8_t mem[MEM_SIZE], want_mem[MEM_SIZE];

struct port_ev {
    char dir; /* 'i' or 'o' */
    uint16_t port;
    unsigned size;
    uint32_t value;
};

static struct fake {
    struct port_ev log[64];
    unsigned nlog;
    uint32_t in_values[16]; /* what the k-th IN returns (full 32 bits, whatever the size) */
    unsigned nin;
    uint32_t fault_lo, fault_hi; /* reads/writes touching [lo, hi) fail with fault_rc */
    int fault_rc;
    unsigned cr_calls, cr_last;
    uint32_t cr_value;
    const struct emu_cpu *cr_cpu;
    int cr_veto;
    uint64_t msr_1b, msr_277, msr_10;
    unsigned halts;
    uint32_t halt_eip;
    const struct emu_cpu *halt_cpu;
    uint32_t dr[8]; /* the debug registers read_dr/write_dr see */
    unsigned dr_calls;
} fk;

static int touches_fault(uint32_t lin, unsigned len)
{
    return fk.fault_hi > fk.fault_lo && lin < fk.fault_hi && lin + len > fk.fault_lo;
}

static int f_read(void *ctx, uint32_t lin, void *buf, unsigned len)
{
    (void)ctx;
    if (touches_fault(lin, len))
        return fk.fault_rc;
    if (lin >= MEM_SIZE || len > MEM_SIZE - lin)
        return 13;
    memcpy(buf, &mem[lin], len);
    return 0;
}

static int f_write(void *ctx, uint32_t lin, const void *buf, unsigned len)
{
    (void)ctx;
    if (touches_fault(lin, len))
        return fk.fault_rc;
    if (lin >= MEM_SIZE || len > MEM_SIZE - lin)
        return 13;
    memcpy(&mem[lin], buf, len);
    return 0;
}

static uint32_t f_in(void *ctx, uint16_t port, unsigned size)
{
    uint32_t v = fk.nin < 16 ? fk.in_values[fk.nin++] : 0xffffffffu;
    (void)ctx;
    if (fk.nlog < 64)
        fk.log[fk.nlog++] = (struct port_ev){ 'i', port, size, 0 };
    return v;
}

static void f_out(void *ctx, uint16_t port, unsigned size, uint32_t value)
{
    (void)ctx;
    if (fk.nlog < 64)
        fk.log[fk.nlog++] = (struct port_ev){ 'o', port, size, value };
}

static int f_write_cr(void *ctx, struct emu_cpu *c, unsigned cr, uint32_t v)
{
    (void)ctx;
    fk.cr_calls++;
    fk.cr_last = cr;
    fk.cr_value = v;
    fk.cr_cpu = c;
    return fk.cr_veto ? -1 : 0;
}

static int f_rdmsr(void *ctx, uint32_t msr, uint64_t *v)
{
    (void)ctx;
    if (msr == 0x1b)
        *v = fk.msr_1b;
    else if (msr == 0x10)
        *v = fk.msr_10;
    else if (msr == 0x277)
        *v = fk.msr_277;
    else
        return -1;
    return 0;
}

static int f_wrmsr(void *ctx, uint32_t msr, uint64_t v)
{
    (void)ctx;
    if (msr == 0x1b)
        fk.msr_1b = v;
    else if (msr == 0x277)
        fk.msr_277 = v;
    else
        return -1;
    return 0;
}

static void f_halt(void *ctx, struct emu_cpu *c)
{
    (void)ctx;
    fk.halts++;
    fk.halt_eip = c->eip;
    fk.halt_cpu = c;
}

static void f_cpuid(void *ctx, uint32_t leaf, uint32_t sub, uint32_t out[4])
{
    (void)ctx;
    out[0] = 0xa0000000u | leaf;
    out[1] = 0xb0000000u | sub;
    out[2] = 0xc0000000u;
    out[3] = 0xd0000000u;
}

static uint32_t f_mov_dr(void *ctx, unsigned dr, int write, uint32_t v)
{
    (void)ctx;
    fk.dr_calls++;
    if (write)
        fk.dr[dr & 7] = v;
    return fk.dr[dr & 7];
}

static const struct emu_ops ops = { .read = f_read,
                                    .write = f_write,
                                    .in = f_in,
                                    .out = f_out,
                                    .write_cr = f_write_cr,
                                    .rdmsr = f_rdmsr,
                                    .wrmsr = f_wrmsr,
                                    .halt = f_halt,
                                    .cpuid = f_cpuid,
                                    .mov_dr = f_mov_dr };

static struct emu_insn insn;
static int fault;

/* ---- helpers ---- */

static void put(uint8_t *m, uint32_t lin, unsigned n, uint32_t v)
{
    for (unsigned k = 0; k < n; k++)
        m[lin + k] = (uint8_t)(v >> (8 * k));
}

/* Data present before the instruction runs (in memory and in the expectation). */
static void poke(uint32_t lin, unsigned n, uint32_t v)
{
    put(mem, lin, n, v);
    put(want_mem, lin, n, v);
}

static void poke_bytes(uint32_t lin, const char *s)
{
    for (; *s; s++, lin++)
        poke(lin, 1, (uint8_t)*s);
}

/* A change the instruction is expected to make. */
static void want(uint32_t lin, unsigned n, uint32_t v) { put(want_mem, lin, n, v); }

static void set_seg(struct emu_cpu *c, int s, uint16_t sel)
{
    c->seg[s].sel = sel;
    c->seg[s].base = (uint32_t)sel << 4;
    c->seg[s].limit = 0xffff;
}

static void setup(struct emu_cpu *c, const uint8_t *code, unsigned n)
{
    memset(mem, 0, sizeof mem);
    memset(&fk, 0, sizeof fk);
    memset(c, 0, sizeof *c);
    memset(&insn, 0, sizeof insn);
    fault = -1;
    set_seg(c, EMU_ES, 0x3000);
    set_seg(c, EMU_CS, 0x1000);
    set_seg(c, EMU_SS, 0x4000);
    set_seg(c, EMU_DS, 0x2000);
    set_seg(c, EMU_FS, 0x5000);
    set_seg(c, EMU_GS, 0x6000);
    c->eip = IP0;
    c->gpr[EMU_ESP] = SP0;
    c->eflags = 0x2;
    c->cr0 = 0x10;
    memcpy(&mem[CS_BASE + IP0], code, n);
    memcpy(want_mem, mem, sizeof mem);
}

#define SETUP(c, ...)                                                                                                  \
    do {                                                                                                               \
        static const uint8_t code_[] = { __VA_ARGS__ };                                                                \
        setup((c), code_, sizeof code_);                                                                               \
    } while (0)

static enum emu_result step(struct emu_cpu *c) { return emu_step(c, &ops, &insn, &fault); }

static const char *result_name(int r)
{
    switch (r) {
    case EMU_OK: return "EMU_OK";
    case EMU_FAULT: return "EMU_FAULT";
    case EMU_UNSUPPORTED: return "EMU_UNSUPPORTED";
    case EMU_PE_SET: return "EMU_PE_SET";
    }
    return "?";
}

#define CHECK_RESULT(got, want_)                                                                                       \
    do {                                                                                                               \
        int r_ = (got), w_ = (want_);                                                                                  \
        CHECK(r_ == w_, "emu_step = %s (fault %d, %s); wanted %s", result_name(r_), fault, emu_insn_name(&insn),       \
              result_name(w_));                                                                                        \
    } while (0)

/* Run one instruction: expect EMU_OK. */
#define STEP_OK(c) CHECK_RESULT(step(c), EMU_OK)

/* Expect a fault with `vec` and (by the caller's CHECK_CPU) nothing changed. */
#define STEP_FAULT(c, vec)                                                                                             \
    do {                                                                                                               \
        CHECK_RESULT(step(c), EMU_FAULT);                                                                              \
        CHECK(fault == (vec), "fault = %d; wanted %d", fault, (vec));                                                  \
    } while (0)

static void check_cpu(const char *file, int line, const struct emu_cpu *g, const struct emu_cpu *w)
{
    static const char *const gn[8] = { "eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi" };
    static const char *const sn[6] = { "es", "cs", "ss", "ds", "fs", "gs" };
    for (unsigned k = 0; k < 8; k++)
        if (g->gpr[k] != w->gpr[k])
            check_fail(file, line, "%s = 0x%08x; wanted 0x%08x", gn[k], g->gpr[k], w->gpr[k]);
    if (g->eip != w->eip)
        check_fail(file, line, "eip = 0x%x; wanted 0x%x", g->eip, w->eip);
    if (g->eflags != w->eflags)
        check_fail(file, line, "eflags = 0x%x; wanted 0x%x", g->eflags, w->eflags);
    for (unsigned k = 0; k < 6; k++)
        if (g->seg[k].sel != w->seg[k].sel || g->seg[k].base != w->seg[k].base || g->seg[k].limit != w->seg[k].limit)
            check_fail(file, line, "%s = %04x base %x limit %x; wanted %04x base %x limit %x", sn[k], g->seg[k].sel,
                       g->seg[k].base, g->seg[k].limit, w->seg[k].sel, w->seg[k].base, w->seg[k].limit);
    if (g->cr0 != w->cr0 || g->cr2 != w->cr2 || g->cr3 != w->cr3 || g->cr4 != w->cr4)
        check_fail(file, line, "cr0/2/3/4 = %x/%x/%x/%x; wanted %x/%x/%x/%x", g->cr0, g->cr2, g->cr3, g->cr4, w->cr0,
                   w->cr2, w->cr3, w->cr4);
    if (g->gdtr.base != w->gdtr.base || g->gdtr.limit != w->gdtr.limit)
        check_fail(file, line, "gdtr = %x:%x; wanted %x:%x", g->gdtr.base, g->gdtr.limit, w->gdtr.base, w->gdtr.limit);
    if (g->idtr.base != w->idtr.base || g->idtr.limit != w->idtr.limit)
        check_fail(file, line, "idtr = %x:%x; wanted %x:%x", g->idtr.base, g->idtr.limit, w->idtr.base, w->idtr.limit);
}
#define CHECK_CPU(g, w) check_cpu(__FILE__, __LINE__, (g), (w))

static void check_mem(const char *file, int line)
{
    unsigned diffs = 0;
    uint32_t first = 0;
    for (uint32_t a = 0; a < MEM_SIZE; a++)
        if (mem[a] != want_mem[a] && diffs++ == 0)
            first = a;
    if (diffs)
        check_fail(file, line, "%u bytes of memory differ; the first at 0x%05x = 0x%02x; wanted 0x%02x", diffs, first,
                   mem[first], want_mem[first]);
}
#define CHECK_MEM() check_mem(__FILE__, __LINE__)

static void check_ports(const char *file, int line, const struct port_ev *w, unsigned n)
{
    if (fk.nlog != n)
        check_fail(file, line, "%u port accesses; wanted %u", fk.nlog, n);
    for (unsigned k = 0; k < n && k < fk.nlog; k++) {
        const struct port_ev *g = &fk.log[k];
        if (g->dir != w[k].dir || g->port != w[k].port || g->size != w[k].size || g->value != w[k].value)
            check_fail(file, line, "port access %u = %c %x size %u value %x; wanted %c %x size %u value %x", k, g->dir,
                       g->port, g->size, g->value, w[k].dir, w[k].port, w[k].size, w[k].value);
    }
}
#define CHECK_PORTS(...)                                                                                               \
    do {                                                                                                               \
        static const struct port_ev want_[] = { __VA_ARGS__ };                                                         \
        check_ports(__FILE__, __LINE__, want_, sizeof want_ / sizeof want_[0]);                                        \
    } while (0)
#define CHECK_NO_PORTS() check_ports(__FILE__, __LINE__, NULL, 0)

/* ======================= interrupt flag, flags register ======================= */

static void cli_clears_if_and_sti_sets_it(void)
{
    struct emu_cpu c, w;
    SETUP(&c, 0xfa, 0xfb); /* cli; sti */
    c.eflags = 0x2 | IF | CF;
    w = c;
    STEP_OK(&c);
    w.eflags = 0x2 | CF;
    w.eip = 0x101;
    CHECK_CPU(&c, &w);
    STEP_OK(&c);
    w.eflags = 0x2 | IF | CF;
    w.eip = 0x102;
    CHECK_CPU(&c, &w);
    CHECK_STR(emu_insn_name(&insn), "sti");
    CHECK_MEM();
}

static void pushf_pushes_flags_low_word(void)
{
    struct emu_cpu c, w;
    SETUP(&c, 0x9c);       /* pushf */
    c.eflags = 0x00070cd7; /* AC VM RF + DF IF TF SF ZF AF PF CF */
    w = c;
    STEP_OK(&c);
    w.gpr[EMU_ESP] = 0xffee;
    w.eip = 0x101;
    want(SS_BASE + 0xffee, 2, 0x0cd7);
    CHECK_CPU(&c, &w);
    CHECK_MEM();
}

static void pushfd_clears_vm_and_rf_in_the_image(void)
{
    struct emu_cpu c, w;
    SETUP(&c, 0x66, 0x9c); /* pushfd */
    c.eflags = 0x00070cd7;
    w = c;
    STEP_OK(&c);
    w.gpr[EMU_ESP] = 0xffec;
    w.eip = 0x102;
    want(SS_BASE + 0xffec, 4, 0x00040cd7); /* EFLAGS & 00FCFFFF */
    CHECK_CPU(&c, &w);
    CHECK_MEM();
}

static void popf_loads_every_low_flag_including_iopl_and_nt(void)
{
    struct emu_cpu c, w;
    SETUP(&c, 0x9d); /* popf */
    poke(SS_BASE + SP0, 2, 0xffff);
    c.eflags = 0x00030002; /* VM RF: not touched by a 16-bit POPF */
    w = c;
    STEP_OK(&c);
    w.eflags = 0x00037fd7; /* reserved bits 3, 5, 15 stay 0, bit 1 stays 1 */
    w.gpr[EMU_ESP] = SP0 + 2;
    w.eip = 0x101;
    CHECK_CPU(&c, &w);

    SETUP(&c, 0x9d);
    poke(SS_BASE + SP0, 2, 0x0000);
    c.eflags = 0x7fd7;
    w = c;
    STEP_OK(&c);
    w.eflags = 0x2;
    w.gpr[EMU_ESP] = SP0 + 2;
    w.eip = 0x101;
    CHECK_CPU(&c, &w);
    CHECK_MEM();
}

static void popfd_keeps_vm_rf_vif_vip(void)
{
    struct emu_cpu c, w;
    SETUP(&c, 0x66, 0x9d); /* popfd */
    poke(SS_BASE + SP0, 4, 0xffffffff);
    c.eflags = 0x001b0002; /* VIP VIF VM RF */
    w = c;
    STEP_OK(&c);
    w.eflags = 0x003f7fd7; /* + ID AC and all of 0-15 but the reserved bits */
    w.gpr[EMU_ESP] = SP0 + 4;
    w.eip = 0x102;
    CHECK_CPU(&c, &w);

    SETUP(&c, 0x66, 0x9d);
    poke(SS_BASE + SP0, 4, 0);
    c.eflags = 0x001b7fd7 | 0x00240000;
    w = c;
    STEP_OK(&c);
    w.eflags = 0x001b0002;
    w.gpr[EMU_ESP] = SP0 + 4;
    w.eip = 0x102;
    CHECK_CPU(&c, &w);
    CHECK_MEM();
}

static void clc_stc_cmc_cld_std(void)
{
    struct emu_cpu c, w;
    SETUP(&c, 0xf9, 0xf5, 0xf5, 0xf8, 0xfd, 0xfc); /* stc cmc cmc clc std cld */
    w = c;
    STEP_OK(&c);
    w.eflags = 0x2 | CF;
    w.eip = 0x101;
    CHECK_CPU(&c, &w);
    STEP_OK(&c);
    w.eflags = 0x2;
    w.eip = 0x102;
    CHECK_CPU(&c, &w);
    STEP_OK(&c);
    w.eflags = 0x2 | CF;
    w.eip = 0x103;
    CHECK_CPU(&c, &w);
    STEP_OK(&c);
    w.eflags = 0x2;
    w.eip = 0x104;
    CHECK_CPU(&c, &w);
    STEP_OK(&c);
    w.eflags = 0x2 | DF;
    w.eip = 0x105;
    CHECK_CPU(&c, &w);
    STEP_OK(&c);
    w.eflags = 0x2;
    w.eip = 0x106;
    CHECK_CPU(&c, &w);
}

/* ======================= interrupts ======================= */

static void int_n_pushes_flags_cs_ip_and_loads_ivt(void)
{
    struct emu_cpu c, w;
    SETUP(&c, 0xcd, 0x21); /* int 21h */
    poke(0x21 * 4, 4, 0xf0001234);
    c.eflags = 0x00040302 | CF; /* AC IF TF */
    w = c;
    STEP_OK(&c);
    want(SS_BASE + 0xffee, 2, 0x0303); /* FLAGS */
    want(SS_BASE + 0xffec, 2, 0x1000); /* CS */
    want(SS_BASE + 0xffea, 2, 0x0102); /* IP of the next instruction */
    w.gpr[EMU_ESP] = 0xffea;
    w.eflags = 0x2 | CF; /* IF, TF, AC cleared */
    w.seg[EMU_CS].sel = 0xf000;
    w.seg[EMU_CS].base = 0xf0000;
    w.eip = 0x1234;
    CHECK_CPU(&c, &w);
    CHECK_MEM();
    CHECK_STR(emu_insn_name(&insn), "int");
}

static void int3_and_into_use_vectors_3_and_4(void)
{
    struct emu_cpu c, w;
    SETUP(&c, 0xcc); /* int3 */
    poke(3 * 4, 4, 0x00400033);
    w = c;
    STEP_OK(&c);
    want(SS_BASE + 0xffee, 2, 0x0002);
    want(SS_BASE + 0xffec, 2, 0x1000);
    want(SS_BASE + 0xffea, 2, 0x0101);
    w.gpr[EMU_ESP] = 0xffea;
    w.seg[EMU_CS].sel = 0x0040;
    w.seg[EMU_CS].base = 0x400;
    w.eip = 0x33;
    CHECK_CPU(&c, &w);
    CHECK_MEM();

    SETUP(&c, 0xce); /* into, OF clear: nothing but EIP */
    poke(4 * 4, 4, 0x00500044);
    w = c;
    STEP_OK(&c);
    w.eip = 0x101;
    CHECK_CPU(&c, &w);
    CHECK_MEM();

    SETUP(&c, 0xce); /* into, OF set */
    poke(4 * 4, 4, 0x00500044);
    c.eflags = 0x2 | OF | IF;
    w = c;
    STEP_OK(&c);
    want(SS_BASE + 0xffee, 2, 0x0a02);
    want(SS_BASE + 0xffec, 2, 0x1000);
    want(SS_BASE + 0xffea, 2, 0x0101);
    w.gpr[EMU_ESP] = 0xffea;
    w.eflags = 0x2 | OF;
    w.seg[EMU_CS].sel = 0x0050;
    w.seg[EMU_CS].base = 0x500;
    w.eip = 0x44;
    CHECK_CPU(&c, &w);
    CHECK_MEM();
}

static void iret_pops_ip_cs_flags(void)
{
    struct emu_cpu c, w;
    SETUP(&c, 0xcf); /* iret */
    poke(SS_BASE + SP0, 2, 0x5678);
    poke(SS_BASE + SP0 + 2, 2, 0x2345);
    poke(SS_BASE + SP0 + 4, 2, 0xffff);
    c.eflags = 0x00020002; /* VM stays */
    w = c;
    STEP_OK(&c);
    w.eip = 0x5678;
    w.seg[EMU_CS].sel = 0x2345;
    w.seg[EMU_CS].base = 0x23450;
    w.eflags = 0x00027fd7;
    w.gpr[EMU_ESP] = SP0 + 6;
    CHECK_CPU(&c, &w);
    CHECK_MEM();
}

static void iretd_masks_popped_eflags(void)
{
    struct emu_cpu c, w;
    SETUP(&c, 0x66, 0xcf); /* iretd */
    poke(SS_BASE + SP0, 4, 0x00005678);
    poke(SS_BASE + SP0 + 4, 4, 0xabcd2345); /* high half discarded */
    poke(SS_BASE + SP0 + 8, 4, 0xffffffff);
    c.eflags = 0x001a0002; /* VIP VIF VM: kept */
    w = c;
    STEP_OK(&c);
    w.eip = 0x5678;
    w.seg[EMU_CS].sel = 0x2345;
    w.seg[EMU_CS].base = 0x23450;
    w.eflags = 0x003f7fd7; /* (popped & 257FD5) | (old & 1A0000) */
    w.gpr[EMU_ESP] = SP0 + 12;
    CHECK_CPU(&c, &w);
    CHECK_MEM();
}

static void iretd_beyond_cs_limit_is_gp(void)
{
    struct emu_cpu c, w;
    SETUP(&c, 0x66, 0xcf);
    poke(SS_BASE + SP0, 4, 0x00010000);
    poke(SS_BASE + SP0 + 4, 4, 0x2345);
    poke(SS_BASE + SP0 + 8, 4, 0x2);
    w = c;
    STEP_FAULT(&c, 13);
    CHECK_CPU(&c, &w);
}

static void real_mode_interrupt_loads_ivt_and_clears_if_tf_ac(void)
{
    struct emu_cpu c, w;
    SETUP(&c, 0x90);
    poke(8 * 4, 4, 0xf000fea5);
    c.eflags = 0x00040302 | 0x00020000; /* AC IF TF and VM (kept) */
    w = c;
    CHECK_EQ(emu_real_mode_interrupt(&c, &ops, 8), 0);
    want(SS_BASE + 0xffee, 2, 0x0302);
    want(SS_BASE + 0xffec, 2, 0x1000);
    want(SS_BASE + 0xffea, 2, 0x0100); /* the interrupted instruction */
    w.gpr[EMU_ESP] = 0xffea;
    w.eflags = 0x00020002;
    w.seg[EMU_CS].sel = 0xf000;
    w.seg[EMU_CS].base = 0xf0000;
    w.eip = 0xfea5;
    CHECK_CPU(&c, &w);
    CHECK_MEM();
}

static void real_mode_interrupt_wraps_sp(void)
{
    struct emu_cpu c, w;
    SETUP(&c, 0x90);
    poke(8 * 4, 4, 0xf000fea5);
    c.gpr[EMU_ESP] = 0x12340004; /* FLAGS at 0002, CS at 0000, IP at FFFE */
    w = c;
    CHECK_EQ(emu_real_mode_interrupt(&c, &ops, 8), 0);
    want(SS_BASE + 0x0002, 2, 0x0002);
    want(SS_BASE + 0x0000, 2, 0x1000);
    want(SS_BASE + 0xfffe, 2, 0x0100);
    w.gpr[EMU_ESP] = 0x1234fffe;
    w.seg[EMU_CS].sel = 0xf000;
    w.seg[EMU_CS].base = 0xf0000;
    w.eip = 0xfea5;
    CHECK_CPU(&c, &w);
    CHECK_MEM();
}

static void real_mode_interrupt_without_stack_room_is_ss_fault(void)
{
    struct emu_cpu c, w;
    SETUP(&c, 0x90);
    poke(8 * 4, 4, 0xf000fea5);
    c.gpr[EMU_ESP] = 0x0003; /* the CS slot would be FFFF-10000 */
    w = c;
    CHECK_EQ(emu_real_mode_interrupt(&c, &ops, 8), 12);
    CHECK_CPU(&c, &w);
    CHECK_MEM(); /* nothing pushed: the room is checked first */
}

/* ======================= I/O ======================= */

static void in_out_imm8_and_dx_in_all_sizes(void)
{
    struct emu_cpu c, w;
    SETUP(&c, 0xe4, 0x60, 0xe5, 0x61, 0x66, 0xe5, 0x62, 0xec, 0xed, 0x66, 0xed, /* in */
          0xe6, 0x70, 0xe7, 0x71, 0x66, 0xe7, 0x72, 0xee, 0xef, 0x66, 0xef);    /* out */
    c.gpr[EMU_EAX] = 0xdeadbeef;
    c.gpr[EMU_EDX] = 0x12340379;
    fk.in_values[0] = 0x11111181;
    fk.in_values[1] = 0x22228282;
    fk.in_values[2] = 0x83838383;
    fk.in_values[3] = 0x44444484;
    fk.in_values[4] = 0x55558585;
    fk.in_values[5] = 0x86868686;
    w = c;
    STEP_OK(&c);
    w.gpr[EMU_EAX] = 0xdeadbe81;
    w.eip = 0x102;
    CHECK_CPU(&c, &w);
    STEP_OK(&c);
    w.gpr[EMU_EAX] = 0xdead8282;
    w.eip = 0x104;
    CHECK_CPU(&c, &w);
    STEP_OK(&c);
    w.gpr[EMU_EAX] = 0x83838383;
    w.eip = 0x107;
    CHECK_CPU(&c, &w);
    STEP_OK(&c);
    w.gpr[EMU_EAX] = 0x83838384;
    w.eip = 0x108;
    CHECK_CPU(&c, &w);
    STEP_OK(&c);
    w.gpr[EMU_EAX] = 0x83838585;
    w.eip = 0x109;
    CHECK_CPU(&c, &w);
    STEP_OK(&c);
    w.gpr[EMU_EAX] = 0x86868686;
    w.eip = 0x10b;
    CHECK_CPU(&c, &w);

    c.gpr[EMU_EAX] = w.gpr[EMU_EAX] = 0xcafef00d;
    for (int k = 0; k < 6; k++)
        STEP_OK(&c);
    w.eip = 0x116;
    CHECK_CPU(&c, &w);
    CHECK_PORTS({ 'i', 0x60, 1, 0 }, { 'i', 0x61, 2, 0 }, { 'i', 0x62, 4, 0 }, { 'i', 0x379, 1, 0 },
                { 'i', 0x379, 2, 0 }, { 'i', 0x379, 4, 0 }, { 'o', 0x70, 1, 0x0d }, { 'o', 0x71, 2, 0xf00d },
                { 'o', 0x72, 4, 0xcafef00d }, { 'o', 0x379, 1, 0x0d }, { 'o', 0x379, 2, 0xf00d },
                { 'o', 0x379, 4, 0xcafef00d });
    CHECK_MEM();
}

static void rep_outsb_sends_cx_bytes_and_advances_si(void)
{
    struct emu_cpu c, w;
    SETUP(&c, 0xf3, 0x6e); /* rep outsb */
    poke_bytes(DS_BASE + 0x10, "ABCDE");
    c.gpr[EMU_ECX] = 0xabcd0005;
    c.gpr[EMU_ESI] = 0x99990010;
    c.gpr[EMU_EDX] = 0x3f8;
    w = c;
    STEP_OK(&c);
    w.gpr[EMU_ECX] = 0xabcd0000;
    w.gpr[EMU_ESI] = 0x99990015;
    w.eip = 0x102;
    CHECK_CPU(&c, &w);
    CHECK_PORTS({ 'o', 0x3f8, 1, 'A' }, { 'o', 0x3f8, 1, 'B' }, { 'o', 0x3f8, 1, 'C' }, { 'o', 0x3f8, 1, 'D' },
                { 'o', 0x3f8, 1, 'E' });
    CHECK_MEM();
    CHECK_STR(emu_insn_name(&insn), "outs");
}

static void rep_outs_with_zero_count_does_nothing(void)
{
    struct emu_cpu c, w;
    SETUP(&c, 0xf3, 0x6e);
    c.gpr[EMU_ESI] = 0x10;
    w = c;
    STEP_OK(&c);
    w.eip = 0x102;
    CHECK_CPU(&c, &w);
    CHECK_NO_PORTS();
}

static void rep_insw_with_df_decrements_di(void)
{
    struct emu_cpu c, w;
    SETUP(&c, 0xf3, 0x6d); /* rep insw */
    c.gpr[EMU_ECX] = 3;
    c.gpr[EMU_EDI] = 0x100;
    c.gpr[EMU_EDX] = 0x1f0;
    c.eflags = 0x2 | DF;
    fk.in_values[0] = 0x1111aaaa;
    fk.in_values[1] = 0x2222bbbb;
    fk.in_values[2] = 0x3333cccc;
    w = c;
    STEP_OK(&c);
    want(ES_BASE + 0x100, 2, 0xaaaa);
    want(ES_BASE + 0x0fe, 2, 0xbbbb);
    want(ES_BASE + 0x0fc, 2, 0xcccc);
    w.gpr[EMU_ECX] = 0;
    w.gpr[EMU_EDI] = 0xfa;
    w.eip = 0x102;
    CHECK_CPU(&c, &w);
    CHECK_PORTS({ 'i', 0x1f0, 2, 0 }, { 'i', 0x1f0, 2, 0 }, { 'i', 0x1f0, 2, 0 });
    CHECK_MEM();
}

static void outsd_with_32bit_addresses_uses_esi_and_ecx(void)
{
    struct emu_cpu c, w;
    SETUP(&c, 0x67, 0x66, 0xf3, 0x6f); /* a32 rep outsd */
    c.seg[EMU_DS].limit = 0xfffff;
    c.gpr[EMU_ESI] = 0x00010000;
    c.gpr[EMU_ECX] = 2;
    c.gpr[EMU_EDX] = 0xcfc;
    poke(DS_BASE + 0x10000, 4, 0x80000000);
    poke(DS_BASE + 0x10004, 4, 0x80000004);
    w = c;
    STEP_OK(&c);
    w.gpr[EMU_ESI] = 0x00010008;
    w.gpr[EMU_ECX] = 0;
    w.eip = 0x104;
    CHECK_CPU(&c, &w);
    CHECK_PORTS({ 'o', 0xcfc, 4, 0x80000000 }, { 'o', 0xcfc, 4, 0x80000004 });
}

static void ins_checks_the_destination_before_reading_the_port(void)
{
    struct emu_cpu c, w;
    SETUP(&c, 0x6d); /* insw at ES:FFFF: the word ends beyond the limit */
    c.gpr[EMU_EDI] = 0xffff;
    c.gpr[EMU_EDX] = 0x60;
    w = c;
    STEP_FAULT(&c, 13);
    CHECK_CPU(&c, &w);
    CHECK_NO_PORTS();
    CHECK_MEM();
}

static void hlt_advances_eip_then_calls_halt(void)
{
    struct emu_cpu c, w;
    SETUP(&c, 0xf4);
    w = c;
    STEP_OK(&c);
    w.eip = 0x101;
    CHECK_CPU(&c, &w);
    CHECK_EQ(fk.halts, 1);
    CHECK_EQ(fk.halt_eip, 0x101);
    CHECK(fk.halt_cpu == &c, "halt got a CPU other than the caller's");
}

/* ======================= control registers, system ======================= */

static void mov_cr0_setting_pe_returns_pe_set(void)
{
    struct emu_cpu c, w;
    SETUP(&c, 0x0f, 0x22, 0xc0); /* mov cr0, eax */
    c.gpr[EMU_EAX] = 0x00000011;
    w = c;
    CHECK_RESULT(step(&c), EMU_PE_SET);
    w.cr0 = 0x11;
    w.eip = 0x103;
    CHECK_CPU(&c, &w);
    CHECK_EQ(fk.cr_calls, 1);
    CHECK_EQ(fk.cr_last, 0);
    CHECK_EQ(fk.cr_value, 0x11);
    CHECK_STR(emu_insn_name(&insn), "mov_cr");
}

static void mov_cr0_keeping_pe_clear_is_ok(void)
{
    struct emu_cpu c, w;
    SETUP(&c, 0x0f, 0x22, 0xc3); /* mov cr0, ebx */
    c.gpr[EMU_EBX] = 0x60000010; /* CD NW ET */
    w = c;
    STEP_OK(&c);
    w.cr0 = 0x60000010;
    w.eip = 0x103;
    CHECK_CPU(&c, &w);
}

static void mov_from_cr3_writes_the_32bit_register_and_ignores_mod(void)
{
    struct emu_cpu c, w;
    SETUP(&c, 0x0f, 0x20, 0xd8, 0x0f, 0x20, 0x19); /* mov eax, cr3; mov ecx, cr3 (mod = 00: still a register) */
    c.cr3 = 0x00123000;
    c.gpr[EMU_EAX] = 0xffffffff;
    w = c;
    STEP_OK(&c);
    w.gpr[EMU_EAX] = 0x00123000;
    w.eip = 0x103;
    CHECK_CPU(&c, &w);
    STEP_OK(&c);
    CHECK_EQ(insn.len, 3);
    w.gpr[EMU_ECX] = 0x00123000;
    w.eip = 0x106;
    CHECK_CPU(&c, &w);
    CHECK_EQ(fk.cr_calls, 0);
}

static void mov_cr4_and_cr2_go_through_write_cr(void)
{
    struct emu_cpu c, w;
    SETUP(&c, 0x0f, 0x22, 0xe6, 0x0f, 0x22, 0xd7); /* mov cr4, esi; mov cr2, edi */
    c.gpr[EMU_ESI] = 0x00000020;
    c.gpr[EMU_EDI] = 0x12345678;
    w = c;
    STEP_OK(&c);
    CHECK_EQ(fk.cr_last, 4);
    CHECK(fk.cr_cpu == &c, "write_cr did not get the caller's CPU");
    STEP_OK(&c);
    CHECK_EQ(fk.cr_last, 2);
    w.cr4 = 0x20;
    w.cr2 = 0x12345678;
    w.eip = 0x106;
    CHECK_CPU(&c, &w);
}

static void mov_cr1_and_cr5_are_ud(void)
{
    struct emu_cpu c, w;
    SETUP(&c, 0x0f, 0x22, 0xc8); /* mov cr1, eax */
    w = c;
    STEP_FAULT(&c, 6);
    CHECK_CPU(&c, &w);
    SETUP(&c, 0x0f, 0x20, 0xe8); /* mov eax, cr5 */
    w = c;
    STEP_FAULT(&c, 6);
    CHECK_CPU(&c, &w);
    CHECK_EQ(fk.cr_calls, 0);
}

/* MOV DR: 32 bits whatever the operand size, the mod bits ignored (0F 21 00
 * is MOV EAX, DR0), through read_dr/write_dr. */
static void mov_dr_goes_through_the_dr_ops_and_ignores_mod(void)
{
    struct emu_cpu c, w;
    SETUP(&c, 0x0f, 0x23, 0xc3, 0x0f, 0x21, 0x00, 0x66, 0x0f, 0x21, 0xf9); /* mov dr0, ebx; mov eax, dr0 (mod 00);
                                                                           * o32 mov ecx, dr7 */
    c.gpr[EMU_EAX] = 0xdead;
    c.gpr[EMU_EBX] = 0x8badaced;
    fk.dr[7] = 0x400;
    w = c;
    STEP_OK(&c);
    CHECK_EQ(fk.dr[0], 0x8badaced);
    STEP_OK(&c);
    CHECK_EQ(insn.len, 3);
    STEP_OK(&c);
    w.gpr[EMU_EAX] = 0x8badaced;
    w.gpr[EMU_ECX] = 0x400;
    w.eip = 0x10a;
    CHECK_CPU(&c, &w);
    CHECK_EQ(fk.dr_calls, 3);
    CHECK_STR(emu_insn_name(&insn), "mov_dr");
}

/* DR4/DR5 are DR6/DR7 with CR4.DE clear, #UD with it set; no ops: unsupported. */
static void mov_dr4_dr5_alias_dr6_dr7_unless_cr4_de(void)
{
    struct emu_cpu c, w;
    SETUP(&c, 0x0f, 0x21, 0xe0, 0x0f, 0x23, 0xe9); /* mov eax, dr4; mov dr5, ecx */
    fk.dr[6] = 0xffff0ff0;
    c.gpr[EMU_ECX] = 0x401;
    STEP_OK(&c);
    CHECK_EQ(c.gpr[EMU_EAX], 0xffff0ff0);
    STEP_OK(&c);
    CHECK_EQ(fk.dr[7], 0x401);
    CHECK_EQ(fk.dr[4] | fk.dr[5], 0);
    SETUP(&c, 0x0f, 0x21, 0xe0); /* mov eax, dr4 with CR4.DE */
    c.cr4 = 0x8;                 /* CR4.DE */
    w = c;
    STEP_FAULT(&c, 6);
    CHECK_CPU(&c, &w);
    CHECK_EQ(fk.dr_calls, 0);
    struct emu_ops no_dr = ops;
    no_dr.mov_dr = 0;
    SETUP(&c, 0x0f, 0x21, 0xc0); /* mov eax, dr0 */
    CHECK_RESULT(emu_step(&c, &no_dr, &insn, &fault), EMU_UNSUPPORTED);
}

static void write_cr_veto_is_gp(void)
{
    struct emu_cpu c, w;
    SETUP(&c, 0x0f, 0x22, 0xe0); /* mov cr4, eax */
    c.gpr[EMU_EAX] = 0x2000;
    fk.cr_veto = 1;
    w = c;
    STEP_FAULT(&c, 13);
    CHECK_CPU(&c, &w);
}

static void mov_cr0_pg_without_pe_is_gp(void)
{
    struct emu_cpu c, w;
    SETUP(&c, 0x0f, 0x22, 0xc0);
    c.gpr[EMU_EAX] = 0x80000010;
    w = c;
    STEP_FAULT(&c, 13);
    CHECK_CPU(&c, &w);
    CHECK_EQ(fk.cr_calls, 0);
}

static void lmsw_setting_pe_returns_pe_set(void)
{
    struct emu_cpu c, w;
    SETUP(&c, 0x0f, 0x01, 0x36, 0x00, 0x05); /* lmsw [0500] */
    poke(DS_BASE + 0x500, 2, 0xfff1);        /* only bits 0-3 count */
    w = c;
    CHECK_RESULT(step(&c), EMU_PE_SET);
    w.cr0 = 0x11;
    w.eip = 0x105;
    CHECK_CPU(&c, &w);
    CHECK_STR(emu_insn_name(&insn), "lmsw");
}

static void lmsw_cannot_clear_pe(void)
{
    struct emu_cpu c, w;
    SETUP(&c, 0x0f, 0x01, 0xf0); /* lmsw ax */
    c.cr0 = 0x80000011;
    c.gpr[EMU_EAX] = 0x0000000e; /* PE clear, MP EM TS set */
    w = c;
    STEP_OK(&c);
    w.cr0 = 0x8000001f;
    w.eip = 0x103;
    CHECK_CPU(&c, &w);
}

static void smsw_register_uses_operand_size_memory_16_bits(void)
{
    struct emu_cpu c, w;
    SETUP(&c, 0x0f, 0x01, 0xe0,               /* smsw ax */
          0x66, 0x0f, 0x01, 0x26, 0x00, 0x06, /* smsw [0600] with o32: still 16 bits */
          0x66, 0x0f, 0x01, 0xe3);            /* smsw ebx */
    c.cr0 = 0x60000011;
    c.gpr[EMU_EAX] = 0xffffffff;
    c.gpr[EMU_EBX] = 0xffffffff;
    poke(DS_BASE + 0x600, 4, 0xaaaaaaaa);
    w = c;
    STEP_OK(&c);
    w.gpr[EMU_EAX] = 0xffff0011;
    w.eip = 0x103;
    CHECK_CPU(&c, &w);
    STEP_OK(&c);
    want(DS_BASE + 0x600, 2, 0x0011);
    w.eip = 0x109;
    CHECK_CPU(&c, &w);
    CHECK_MEM();
    STEP_OK(&c);
    /* r32: the SDM defines only the low 16 bits */
    CHECK_EQ(c.gpr[EMU_EBX] & 0xffff, 0x0011);
    CHECK_EQ(c.eip, 0x10d);
}

static void lgdt_16bit_operand_loads_24bit_base(void)
{
    struct emu_cpu c, w;
    SETUP(&c, 0x0f, 0x01, 0x16, 0x00, 0x07); /* lgdt [0700] */
    poke(DS_BASE + 0x700, 2, 0x0027);
    poke(DS_BASE + 0x702, 4, 0x12345678);
    w = c;
    STEP_OK(&c);
    w.gdtr.limit = 0x27;
    w.gdtr.base = 0x00345678;
    w.eip = 0x105;
    CHECK_CPU(&c, &w);
    CHECK_STR(emu_insn_name(&insn), "lgdt");
}

static void lidt_32bit_operand_loads_full_base(void)
{
    struct emu_cpu c, w;
    SETUP(&c, 0x66, 0x0f, 0x01, 0x1e, 0x00, 0x07); /* o32 lidt [0700] */
    poke(DS_BASE + 0x700, 2, 0x03ff);
    poke(DS_BASE + 0x702, 4, 0x12345678);
    w = c;
    STEP_OK(&c);
    w.idtr.limit = 0x3ff;
    w.idtr.base = 0x12345678;
    w.eip = 0x106;
    CHECK_CPU(&c, &w);
    CHECK_STR(emu_insn_name(&insn), "lidt");
}

static void sgdt_sidt_store_limit_and_base(void)
{
    struct emu_cpu c, w;
    SETUP(&c, 0x0f, 0x01, 0x06, 0x00, 0x08, /* sgdt [0800] */
          0x0f, 0x01, 0x0e, 0x10, 0x08);    /* sidt [0810] */
    c.gdtr.base = 0x12abcdef;
    c.gdtr.limit = 0x1234;
    c.idtr.base = 0x00000000;
    c.idtr.limit = 0x03ff;
    poke(DS_BASE + 0x800, 4, 0);
    poke(DS_BASE + 0x804, 4, 0);
    w = c;
    STEP_OK(&c);
    STEP_OK(&c);
    want(DS_BASE + 0x800, 2, 0x1234);
    want(DS_BASE + 0x802, 4, 0x12abcdef); /* all 32 base bits (SDM: either operand size) */
    want(DS_BASE + 0x810, 2, 0x03ff);
    want(DS_BASE + 0x812, 4, 0);
    w.eip = 0x10a;
    CHECK_CPU(&c, &w);
    CHECK_MEM();
}

static void sgdt_beyond_ds_limit_writes_nothing(void)
{
    struct emu_cpu c, w;
    SETUP(&c, 0x0f, 0x01, 0x06, 0xfc, 0xff); /* sgdt [FFFC]: 6 bytes up to 10001 */
    w = c;
    STEP_FAULT(&c, 13);
    CHECK_CPU(&c, &w);
    CHECK_MEM();
}

static void group7_register_forms_are_unsupported(void)
{
    struct emu_cpu c, w;
    SETUP(&c, 0x0f, 0x01, 0xc1); /* VMCALL (0F 01 /0 with mod = 3) */
    w = c;
    CHECK_RESULT(step(&c), EMU_UNSUPPORTED);
    CHECK_CPU(&c, &w);
    CHECK_EQ(insn.len, 3);
    CHECK_STR(emu_insn_name(&insn), "unknown");
}

static void clts_clears_ts(void)
{
    struct emu_cpu c, w;
    SETUP(&c, 0x0f, 0x06);
    c.cr0 = 0x1b;
    w = c;
    STEP_OK(&c);
    w.cr0 = 0x13;
    w.eip = 0x102;
    CHECK_CPU(&c, &w);
    CHECK_EQ(fk.cr_value, 0x13);
}

static void rdmsr_wrmsr_go_through_ops(void)
{
    struct emu_cpu c, w;
    SETUP(&c, 0x0f, 0x32, 0x0f, 0x30); /* rdmsr; wrmsr */
    fk.msr_1b = 0x00000001fee00900ull;
    c.gpr[EMU_ECX] = 0x1b;
    w = c;
    STEP_OK(&c);
    w.gpr[EMU_EAX] = 0xfee00900;
    w.gpr[EMU_EDX] = 0x00000001;
    w.eip = 0x102;
    CHECK_CPU(&c, &w);
    c.gpr[EMU_ECX] = w.gpr[EMU_ECX] = 0x277;
    c.gpr[EMU_EDX] = w.gpr[EMU_EDX] = 0x00070406;
    c.gpr[EMU_EAX] = w.gpr[EMU_EAX] = 0x00070106;
    STEP_OK(&c);
    w.eip = 0x104;
    CHECK_CPU(&c, &w);
    CHECK_EQ(fk.msr_277, 0x0007040600070106ull);
}

static void rdmsr_refused_is_gp(void)
{
    struct emu_cpu c, w;
    SETUP(&c, 0x0f, 0x32);
    c.gpr[EMU_ECX] = 0x1234;
    w = c;
    STEP_FAULT(&c, 13);
    CHECK_CPU(&c, &w);
}

static void cpuid_goes_through_ops(void)
{
    struct emu_cpu c, w;
    SETUP(&c, 0x0f, 0xa2);
    c.gpr[EMU_EAX] = 7;
    c.gpr[EMU_ECX] = 1;
    w = c;
    STEP_OK(&c);
    w.gpr[EMU_EAX] = 0xa0000007;
    w.gpr[EMU_EBX] = 0xb0000001;
    w.gpr[EMU_ECX] = 0xc0000000;
    w.gpr[EMU_EDX] = 0xd0000000;
    w.eip = 0x102;
    CHECK_CPU(&c, &w);
}

static void invd_wbinvd_only_advance_eip(void)
{
    struct emu_cpu c, w;
    SETUP(&c, 0x0f, 0x08, 0x0f, 0x09);
    w = c;
    STEP_OK(&c);
    STEP_OK(&c);
    CHECK_STR(emu_insn_name(&insn), "wbinvd");
    w.eip = 0x104;
    CHECK_CPU(&c, &w);
    CHECK_MEM();
}

static void endbr32_is_nop(void)
{
    struct emu_cpu c, w;
    SETUP(&c, 0xf3, 0x0f, 0x1e, 0xfb, 0xf3, 0x0f, 0x1e, 0xfa); /* endbr32; endbr64 */
    w = c;
    STEP_OK(&c);
    CHECK_STR(emu_insn_name(&insn), "endbr32");
    STEP_OK(&c);
    CHECK_STR(emu_insn_name(&insn), "endbr64");
    w.eip = 0x108;
    CHECK_CPU(&c, &w);
    CHECK_MEM();
}

/* ======================= segment registers, far transfers ======================= */

static void mov_to_sreg_loads_base_and_keeps_limit(void)
{
    struct emu_cpu c, w;
    SETUP(&c, 0x8e, 0xd8,          /* mov ds, ax */
          0x8e, 0x06, 0x00, 0x01); /* mov es, [0100] (DS is now 1234) */
    c.gpr[EMU_EAX] = 0xffff1234;
    c.seg[EMU_DS].limit = 0xfffff;
    poke(0x12340 + 0x100, 2, 0x5678);
    w = c;
    STEP_OK(&c);
    w.seg[EMU_DS].sel = 0x1234;
    w.seg[EMU_DS].base = 0x12340;
    w.eip = 0x102;
    CHECK_CPU(&c, &w);
    STEP_OK(&c);
    w.seg[EMU_ES].sel = 0x5678;
    w.seg[EMU_ES].base = 0x56780;
    w.eip = 0x106;
    CHECK_CPU(&c, &w);
    CHECK_STR(emu_insn_name(&insn), "mov_sreg");
}

static void mov_to_cs_is_ud(void)
{
    struct emu_cpu c, w;
    SETUP(&c, 0x8e, 0xc8); /* mov cs, ax */
    w = c;
    STEP_FAULT(&c, 6);
    CHECK_CPU(&c, &w);
    SETUP(&c, 0x8e, 0xf0); /* sreg 6 does not exist */
    w = c;
    STEP_FAULT(&c, 6);
    CHECK_CPU(&c, &w);
}

static void mov_from_sreg_memory_is_16bit_register_zero_extends(void)
{
    struct emu_cpu c, w;
    SETUP(&c, 0x66, 0x8c, 0x1e, 0x00, 0x09, /* o32 mov [0900], ds: 2 bytes */
          0x66, 0x8c, 0xc0,                 /* mov eax, es */
          0x8c, 0xe3);                      /* mov bx, fs */
    poke(DS_BASE + 0x900, 4, 0xaaaaaaaa);
    c.gpr[EMU_EAX] = 0xffffffff;
    c.gpr[EMU_EBX] = 0xffffffff;
    w = c;
    STEP_OK(&c);
    STEP_OK(&c);
    STEP_OK(&c);
    want(DS_BASE + 0x900, 2, 0x2000);
    w.gpr[EMU_EAX] = 0x00003000;
    w.gpr[EMU_EBX] = 0xffff5000;
    w.eip = 0x10a;
    CHECK_CPU(&c, &w);
    CHECK_MEM();
}

static void push_pop_segment_registers(void)
{
    struct emu_cpu c, w;
    SETUP(&c, 0x1e,    /* push ds */
          0x07,        /* pop es */
          0x0f, 0xa0,  /* push fs */
          0x0f, 0xa9,  /* pop gs */
          0x66, 0x0e,  /* push cs (o32: 4 bytes, zero-extended) */
          0x66, 0x17); /* pop ss (o32) */
    w = c;
    for (int k = 0; k < 6; k++)
        STEP_OK(&c);
    want(SS_BASE + 0xffee, 2, 0x2000);
    want(SS_BASE + 0xffee, 2, 0x5000);
    want(SS_BASE + 0xffec, 4, 0x00001000);
    w.seg[EMU_ES].sel = 0x2000;
    w.seg[EMU_ES].base = 0x20000;
    w.seg[EMU_GS].sel = 0x5000;
    w.seg[EMU_GS].base = 0x50000;
    w.seg[EMU_SS].sel = 0x1000;
    w.seg[EMU_SS].base = 0x10000;
    w.eip = 0x10a;
    CHECK_CPU(&c, &w);
    CHECK_MEM();
    CHECK_STR(emu_insn_name(&insn), "pop_sreg");
}

static void jmp_far_direct_loads_cs_ip(void)
{
    struct emu_cpu c, w;
    SETUP(&c, 0xea, 0x34, 0x12, 0x00, 0xf0); /* jmp f000:1234 */
    w = c;
    STEP_OK(&c);
    w.seg[EMU_CS].sel = 0xf000;
    w.seg[EMU_CS].base = 0xf0000;
    w.eip = 0x1234;
    CHECK_CPU(&c, &w);
    CHECK_STR(emu_insn_name(&insn), "jmp_far");

    SETUP(&c, 0x66, 0xea, 0x78, 0x56, 0x00, 0x00, 0x08, 0x00); /* jmp dword 0008:00005678 */
    w = c;
    STEP_OK(&c);
    w.seg[EMU_CS].sel = 0x0008;
    w.seg[EMU_CS].base = 0x80;
    w.eip = 0x5678;
    CHECK_CPU(&c, &w);
}

static void jmp_far_beyond_cs_limit_is_gp(void)
{
    struct emu_cpu c, w;
    SETUP(&c, 0x66, 0xea, 0x00, 0x00, 0x01, 0x00, 0x08, 0x00); /* jmp dword 0008:00010000 */
    w = c;
    STEP_FAULT(&c, 13);
    CHECK_CPU(&c, &w);
}

static void call_far_direct_pushes_cs_ip(void)
{
    struct emu_cpu c, w;
    SETUP(&c, 0x9a, 0x34, 0x12, 0x00, 0xf0); /* call f000:1234 */
    w = c;
    STEP_OK(&c);
    want(SS_BASE + 0xffee, 2, 0x1000);
    want(SS_BASE + 0xffec, 2, 0x0105);
    w.gpr[EMU_ESP] = 0xffec;
    w.seg[EMU_CS].sel = 0xf000;
    w.seg[EMU_CS].base = 0xf0000;
    w.eip = 0x1234;
    CHECK_CPU(&c, &w);
    CHECK_MEM();
    CHECK_STR(emu_insn_name(&insn), "call_far");
}

static void call_far_indirect_and_jmp_far_indirect(void)
{
    struct emu_cpu c, w;
    SETUP(&c, 0xff, 0x1e, 0x00, 0x0a); /* call far [0A00] */
    poke(DS_BASE + 0xa00, 2, 0x1234);
    poke(DS_BASE + 0xa02, 2, 0xf000);
    w = c;
    STEP_OK(&c);
    want(SS_BASE + 0xffee, 2, 0x1000);
    want(SS_BASE + 0xffec, 2, 0x0104);
    w.gpr[EMU_ESP] = 0xffec;
    w.seg[EMU_CS].sel = 0xf000;
    w.seg[EMU_CS].base = 0xf0000;
    w.eip = 0x1234;
    CHECK_CPU(&c, &w);
    CHECK_MEM();
    CHECK_STR(emu_insn_name(&insn), "call_far");

    SETUP(&c, 0x66, 0xff, 0x2e, 0x00, 0x0a); /* jmp far dword [0A00]: m16:32 */
    poke(DS_BASE + 0xa00, 4, 0x00004321);
    poke(DS_BASE + 0xa04, 2, 0x0070);
    w = c;
    STEP_OK(&c);
    w.seg[EMU_CS].sel = 0x0070;
    w.seg[EMU_CS].base = 0x700;
    w.eip = 0x4321;
    CHECK_CPU(&c, &w);
    CHECK_STR(emu_insn_name(&insn), "jmp_far");

    SETUP(&c, 0xff, 0xe8); /* jmp far with a register operand: #UD */
    w = c;
    STEP_FAULT(&c, 6);
    CHECK_CPU(&c, &w);
}

static void retf_and_retf_imm16(void)
{
    struct emu_cpu c, w;
    SETUP(&c, 0xca, 0x08, 0x00); /* retf 8 */
    poke(SS_BASE + SP0, 2, 0x1111);
    poke(SS_BASE + SP0 + 2, 2, 0x2222);
    w = c;
    STEP_OK(&c);
    w.eip = 0x1111;
    w.seg[EMU_CS].sel = 0x2222;
    w.seg[EMU_CS].base = 0x22220;
    w.gpr[EMU_ESP] = SP0 + 4 + 8;
    CHECK_CPU(&c, &w);
    CHECK_STR(emu_insn_name(&insn), "retf");

    SETUP(&c, 0x66, 0xcb); /* o32 retf */
    poke(SS_BASE + SP0, 4, 0x00003333);
    poke(SS_BASE + SP0 + 4, 4, 0xffff4444);
    w = c;
    STEP_OK(&c);
    w.eip = 0x3333;
    w.seg[EMU_CS].sel = 0x4444;
    w.seg[EMU_CS].base = 0x44440;
    w.gpr[EMU_ESP] = SP0 + 8;
    CHECK_CPU(&c, &w);
}

/* ======================= data movement ======================= */

static void mov_register_memory_immediate_forms(void)
{
    struct emu_cpu c, w;
    SETUP(&c, 0x88, 0xc4,                                        /* mov ah, al */
          0x8a, 0x0e, 0x00, 0x01,                                /* mov cl, [0100] */
          0x89, 0x1e, 0x00, 0x02,                                /* mov [0200], bx */
          0x66, 0x8b, 0x16, 0x04, 0x02,                          /* mov edx, [0204] */
          0xb6, 0x7f,                                            /* mov dh, 7f */
          0x66, 0xbe, 0x78, 0x56, 0x34, 0x12,                    /* mov esi, 12345678 */
          0xbf, 0xcd, 0xab,                                      /* mov di, abcd */
          0xc6, 0x06, 0x00, 0x03, 0xab,                          /* mov byte [0300], ab */
          0xc7, 0x06, 0x02, 0x03, 0xcd, 0xab,                    /* mov word [0302], abcd */
          0x66, 0xc7, 0x06, 0x04, 0x03, 0x78, 0x56, 0x34, 0x12); /* mov dword [0304], 12345678 */
    c.gpr[EMU_EAX] = 0x12345678;
    c.gpr[EMU_EBX] = 0x0000beef;
    c.gpr[EMU_ECX] = 0xffffffff;
    c.gpr[EMU_EDI] = 0x11111111;
    poke(DS_BASE + 0x100, 1, 0x5a);
    poke(DS_BASE + 0x204, 4, 0xdeadc0de);
    w = c;
    for (int k = 0; k < 10; k++)
        STEP_OK(&c);
    w.gpr[EMU_EAX] = 0x12347878;
    w.gpr[EMU_ECX] = 0xffffff5a;
    w.gpr[EMU_EDX] = 0xdead7fde;
    w.gpr[EMU_ESI] = 0x12345678;
    w.gpr[EMU_EDI] = 0x1111abcd;
    want(DS_BASE + 0x200, 2, 0xbeef);
    want(DS_BASE + 0x300, 1, 0xab);
    want(DS_BASE + 0x302, 2, 0xabcd);
    want(DS_BASE + 0x304, 4, 0x12345678);
    w.eip = 0x100 + 2 + 4 + 4 + 5 + 2 + 6 + 3 + 5 + 6 + 9;
    CHECK_CPU(&c, &w);
    CHECK_MEM();
}

static void mov_moffs_with_segment_override_and_32bit_address(void)
{
    struct emu_cpu c, w;
    SETUP(&c, 0xa0, 0x00, 0x01,                /* mov al, [0100] */
          0x26, 0xa3, 0x00, 0x04,              /* mov es:[0400], ax */
          0x66, 0xa1, 0x00, 0x05,              /* mov eax, [0500] */
          0x67, 0xa2, 0x00, 0x06, 0x00, 0x00); /* mov [00000600], al */
    poke(DS_BASE + 0x100, 1, 0x99);
    poke(DS_BASE + 0x500, 4, 0x87654321);
    c.gpr[EMU_EAX] = 0x11223344;
    w = c;
    STEP_OK(&c);
    STEP_OK(&c);
    STEP_OK(&c);
    STEP_OK(&c);
    CHECK_EQ(insn.len, 6);
    want(ES_BASE + 0x400, 2, 0x3399);
    want(DS_BASE + 0x600, 1, 0x21);
    w.gpr[EMU_EAX] = 0x87654321;
    w.eip = 0x111;
    CHECK_CPU(&c, &w);
    CHECK_MEM();
}

static void lea_computes_offset_without_memory_access(void)
{
    struct emu_cpu c, w;
    SETUP(&c, 0x8d, 0x40, 0x10,         /* lea ax, [bx+si+10] */
          0x66, 0x67, 0x8d, 0x14, 0x8b, /* lea edx, [ebx+ecx*4] */
          0x67, 0x8d, 0x3c, 0x8b);      /* lea di, [ebx+ecx*4]: truncated */
    c.gpr[EMU_EBX] = 0x12341000;
    c.gpr[EMU_ESI] = 0x0200;
    c.gpr[EMU_ECX] = 1;
    c.gpr[EMU_EAX] = 0xffffffff;
    c.gpr[EMU_EDI] = 0xffffffff;
    fk.fault_lo = DS_BASE; /* any data access would fail (the code is below) */
    fk.fault_hi = MEM_SIZE;
    fk.fault_rc = 14;
    w = c;
    STEP_OK(&c);
    STEP_OK(&c);
    STEP_OK(&c);
    w.gpr[EMU_EAX] = 0xffff1210;
    w.gpr[EMU_EDX] = 0x12341004;
    w.gpr[EMU_EDI] = 0xffff1004;
    w.eip = 0x10c;
    CHECK_CPU(&c, &w);
}

static void lea_register_form_is_ud(void)
{
    struct emu_cpu c, w;
    SETUP(&c, 0x8d, 0xc0);
    w = c;
    STEP_FAULT(&c, 6);
    CHECK_CPU(&c, &w);
}

static void xchg_forms(void)
{
    struct emu_cpu c, w;
    SETUP(&c, 0x86, 0xc4,         /* xchg al, ah (rm = AH) */
          0x87, 0x1e, 0x00, 0x01, /* xchg [0100], bx */
          0x93,                   /* xchg ax, bx */
          0x66, 0x91,             /* xchg eax, ecx */
          0x90);                  /* nop */
    c.gpr[EMU_EAX] = 0xaaaa1122;
    c.gpr[EMU_EBX] = 0xbbbb3344;
    c.gpr[EMU_ECX] = 0xcccccccc;
    poke(DS_BASE + 0x100, 2, 0x5566);
    w = c;
    for (int k = 0; k < 5; k++)
        STEP_OK(&c);
    /* after 1: EAX aaaa2211; after 2: EBX bbbb5566, [0100] 3344;
     * after 3: EAX aaaa5566, EBX bbbb2211; after 4: EAX cccccccc, ECX aaaa5566 */
    w.gpr[EMU_EAX] = 0xcccccccc;
    w.gpr[EMU_EBX] = 0xbbbb2211;
    w.gpr[EMU_ECX] = 0xaaaa5566;
    want(DS_BASE + 0x100, 2, 0x3344);
    w.eip = 0x10a;
    CHECK_CPU(&c, &w);
    CHECK_MEM();
}

static void movzx_movsx(void)
{
    struct emu_cpu c, w;
    SETUP(&c, 0x0f, 0xb6, 0xc3,                /* movzx ax, bl */
          0x0f, 0xbe, 0xcb,                    /* movsx cx, bl */
          0x66, 0x0f, 0xbf, 0xd3,              /* movsx edx, bx */
          0x66, 0x0f, 0xb7, 0x36, 0x00, 0x01); /* movzx esi, word [0100] */
    c.gpr[EMU_EAX] = 0xffffffff;
    c.gpr[EMU_EBX] = 0x00008080;
    c.gpr[EMU_ECX] = 0xffffffff;
    poke(DS_BASE + 0x100, 2, 0x8765);
    w = c;
    for (int k = 0; k < 4; k++)
        STEP_OK(&c);
    w.gpr[EMU_EAX] = 0xffff0080;
    w.gpr[EMU_ECX] = 0xffffff80;
    w.gpr[EMU_EDX] = 0xffff8080;
    w.gpr[EMU_ESI] = 0x00008765;
    w.eip = 0x110;
    CHECK_CPU(&c, &w);
}

static void cbw_cwde_cwd_cdq(void)
{
    struct emu_cpu c, w;
    SETUP(&c, 0x98, 0x66, 0x98, 0x99, 0x66, 0x99);
    c.gpr[EMU_EAX] = 0x12345680;
    c.gpr[EMU_EDX] = 0x11111111;
    w = c;
    STEP_OK(&c); /* cbw: AX = ff80 */
    w.gpr[EMU_EAX] = 0x1234ff80;
    w.eip = 0x101;
    CHECK_CPU(&c, &w);
    STEP_OK(&c); /* cwde: EAX = ffffff80 */
    w.gpr[EMU_EAX] = 0xffffff80;
    w.eip = 0x103;
    CHECK_CPU(&c, &w);
    STEP_OK(&c); /* cwd: DX = ffff */
    w.gpr[EMU_EDX] = 0x1111ffff;
    w.eip = 0x104;
    CHECK_CPU(&c, &w);
    c.gpr[EMU_EAX] = w.gpr[EMU_EAX] = 0x7fffffff;
    STEP_OK(&c); /* cdq: EDX = 0 */
    w.gpr[EMU_EDX] = 0;
    w.eip = 0x106;
    CHECK_CPU(&c, &w);
}

/* ======================= stack ======================= */

static void push_pop_registers_immediates_memory(void)
{
    struct emu_cpu c, w;
    SETUP(&c, 0x54,                /* push sp: the value before the push (fff0) */
          0x68, 0x34, 0x12,        /* push 1234 */
          0x6a, 0xff,              /* push -1 (word ffff) */
          0x66, 0x6a, 0x80,        /* push dword -128 */
          0xff, 0x36, 0x00, 0x01,  /* push word [0100] */
          0x5b,                    /* pop bx */
          0x8f, 0x06, 0x02, 0x01); /* pop word [0102] */
    poke(DS_BASE + 0x100, 2, 0x4242);
    c.gpr[EMU_EBX] = 0xaaaaaaaa;
    w = c;
    for (int k = 0; k < 7; k++)
        STEP_OK(&c);
    want(SS_BASE + 0xffee, 2, 0xfff0);
    want(SS_BASE + 0xffec, 2, 0x1234);
    want(SS_BASE + 0xffea, 2, 0xffff);
    want(SS_BASE + 0xffe6, 4, 0xffffff80);
    want(SS_BASE + 0xffe4, 2, 0x4242);
    want(DS_BASE + 0x102, 2, 0xff80); /* the low word of the dword ffffff80 */
    w.gpr[EMU_EBX] = 0xaaaa4242;
    w.gpr[EMU_ESP] = 0xffe8;
    w.eip = 0x112;
    CHECK_CPU(&c, &w);
    CHECK_MEM();
}

static void pop_sp_and_pop_to_esp_based_memory(void)
{
    struct emu_cpu c, w;
    SETUP(&c, 0x67, 0x8f, 0x04, 0x24, /* pop word [esp]: address computed after the pop */
          0x5c);                      /* pop sp */
    poke(SS_BASE + SP0, 2, 0xabcd);
    poke(SS_BASE + SP0 + 2, 2, 0x1234);
    w = c;
    STEP_OK(&c);
    want(SS_BASE + SP0 + 2, 2, 0xabcd);
    w.gpr[EMU_ESP] = SP0 + 2;
    w.eip = 0x104;
    CHECK_CPU(&c, &w);
    STEP_OK(&c);
    w.gpr[EMU_ESP] = 0xabcd; /* the popped value wins over the increment */
    w.eip = 0x105;
    CHECK_CPU(&c, &w);
    CHECK_MEM();
}

static void pusha_popa_16_and_32(void)
{
    struct emu_cpu c, w;
    SETUP(&c, 0x60, 0x61, 0x66, 0x60);
    for (unsigned r = 0; r < 8; r++)
        if (r != EMU_ESP)
            c.gpr[r] = 0x11110000u * (r + 1) + r + 1;
    w = c;
    STEP_OK(&c);
    want(SS_BASE + 0xffee, 2, 0x0001); /* AX */
    want(SS_BASE + 0xffec, 2, 0x0002); /* CX */
    want(SS_BASE + 0xffea, 2, 0x0003); /* DX */
    want(SS_BASE + 0xffe8, 2, 0x0004); /* BX */
    want(SS_BASE + 0xffe6, 2, 0xfff0); /* SP before PUSHA */
    want(SS_BASE + 0xffe4, 2, 0x0006); /* BP */
    want(SS_BASE + 0xffe2, 2, 0x0007); /* SI */
    want(SS_BASE + 0xffe0, 2, 0x0008); /* DI */
    w.gpr[EMU_ESP] = 0xffe0;
    w.eip = 0x101;
    CHECK_CPU(&c, &w);
    CHECK_MEM();

    put(mem, SS_BASE + 0xffe6, 2, 0x9999); /* POPA skips the stored SP */
    put(want_mem, SS_BASE + 0xffe6, 2, 0x9999);
    for (unsigned r = 0; r < 8; r++)
        if (r != EMU_ESP)
            c.gpr[r] = 0xffffffff;
    STEP_OK(&c);
    for (unsigned r = 0; r < 8; r++)
        if (r != EMU_ESP)
            w.gpr[r] = 0xffff0000u | (r + 1);
    w.gpr[EMU_ESP] = 0xfff0;
    w.eip = 0x102;
    CHECK_CPU(&c, &w);

    STEP_OK(&c); /* pushad */
    for (unsigned r = 0; r < 8; r++)
        want(SS_BASE + 0xfff0 - 4 * (r + 1), 4, r == EMU_ESP ? 0xfff0 : 0xffff0000u | (r + 1));
    w.gpr[EMU_ESP] = 0xffd0;
    w.eip = 0x104;
    CHECK_CPU(&c, &w);
    CHECK_MEM();
}

static void push_beyond_ss_limit_is_ss_fault(void)
{
    struct emu_cpu c, w;
    SETUP(&c, 0x50); /* push ax with SS limit fff and SP 1001: the word would be at fff-1000 */
    c.seg[EMU_SS].limit = 0x0fff;
    c.gpr[EMU_ESP] = 0x1001;
    w = c;
    STEP_FAULT(&c, 12);
    CHECK_CPU(&c, &w);
    CHECK_MEM();

    SETUP(&c, 0x58); /* pop ax at fff: #SS too */
    c.seg[EMU_SS].limit = 0x0fff;
    c.gpr[EMU_ESP] = 0x0fff;
    w = c;
    STEP_FAULT(&c, 12);
    CHECK_CPU(&c, &w);
}

static void push_wraps_sp_at_64k(void)
{
    struct emu_cpu c, w;
    SETUP(&c, 0x50);
    c.gpr[EMU_ESP] = 0x00010000; /* SP = 0: the word goes to FFFE, ESP's high half stays */
    c.gpr[EMU_EAX] = 0x1234;
    w = c;
    STEP_OK(&c);
    want(SS_BASE + 0xfffe, 2, 0x1234);
    w.gpr[EMU_ESP] = 0x0001fffe;
    w.eip = 0x101;
    CHECK_CPU(&c, &w);
    CHECK_MEM();
}

/* ======================= arithmetic ======================= */

/* Runs the one-instruction program with EFLAGS = flags_in; checks AX/EAX and EFLAGS. */
static void alu_case(const char *what, const uint8_t *code, unsigned n, uint32_t eax, uint32_t flags_in,
                     uint32_t want_eax, uint32_t want_flags)
{
    struct emu_cpu c;
    setup(&c, code, n);
    c.gpr[EMU_EAX] = eax;
    c.eflags = flags_in;
    CHECK_RESULT(step(&c), EMU_OK);
    CHECK(c.gpr[EMU_EAX] == want_eax, "%s: eax = 0x%08x; wanted 0x%08x", what, c.gpr[EMU_EAX], want_eax);
    CHECK(c.eflags == want_flags, "%s: eflags = 0x%03x; wanted 0x%03x", what, c.eflags, want_flags);
    CHECK(c.eip == IP0 + n, "%s: eip = 0x%x; wanted 0x%x", what, c.eip, IP0 + n);
}
#define ALU(what, eax, fin, weax, wfl, ...)                                                                            \
    do {                                                                                                               \
        static const uint8_t code_[] = { __VA_ARGS__ };                                                                \
        alu_case(what, code_, sizeof code_, eax, fin, weax, wfl);                                                      \
    } while (0)

static void add_sets_of_and_cf(void)
{
    ALU("7f+1", 0x7f, 0x2, 0x80, 0x2 | OF | SF | AF, 0x04, 0x01);
    ALU("ff+1", 0xff, 0x2, 0x00, 0x2 | CF | PF | AF | ZF, 0x04, 0x01);
    ALU("8000+8000", 0x8000, 0x2, 0x0000, 0x2 | CF | PF | ZF | OF, 0x05, 0x00, 0x80);
    ALU("7fffffff+1", 0x7fffffff, 0x2, 0x80000000, 0x2 | OF | SF | AF | PF, 0x66, 0x05, 0x01, 0x00, 0x00, 0x00);
    ALU("add al,al", 0x40, 0x2 | CF, 0x80, 0x2 | OF | SF, 0x00, 0xc0); /* 40+40: no AF, CF cleared */
    ALU("add ax,-1 (83)", 0x0001, 0x2, 0x0000, 0x2 | CF | PF | AF | ZF, 0x83, 0xc0, 0xff);
    ALU("add al,1 (82)", 0x01, 0x2, 0x02, 0x2, 0x82, 0xc0, 0x01);
}

static void adc_sbb_use_the_carry(void)
{
    ALU("adc ff+0+1", 0xff, 0x2 | CF, 0x00, 0x2 | CF | PF | AF | ZF, 0x14, 0x00);
    ALU("adc eax,-1 +1", 0x0, 0x2 | CF, 0x0, 0x2 | CF | PF | AF | ZF, 0x66, 0x15, 0xff, 0xff, 0xff, 0xff);
    ALU("adc 7f+0 no carry", 0x7f, 0x2, 0x7f, 0x2, 0x14, 0x00);
    ALU("sbb 0-0-1", 0x00, 0x2 | CF, 0xff, 0x2 | CF | PF | AF | SF, 0x1c, 0x00);
    ALU("sbb 80-0-1", 0x80, 0x2 | CF, 0x7f, 0x2 | OF | AF, 0x1c, 0x00);
}

static void sub_and_cmp_flags(void)
{
    ALU("sub 0-1", 0x00, 0x2, 0xff, 0x2 | CF | PF | AF | SF, 0x2c, 0x01);
    ALU("cmp 7f,80", 0x7f, 0x2, 0x7f, 0x2 | CF | PF | SF | OF, 0x3c, 0x80); /* not stored */
    ALU("cmp ax,ax", 0x1234, 0x2 | CF | OF, 0x1234, 0x2 | PF | ZF, 0x39, 0xc0);
    ALU("sub 10-1", 0x10, 0x2, 0x0f, 0x2 | PF | AF, 0x2c, 0x01);
}

static void logic_ops_clear_cf_of_and_leave_af(void)
{
    ALU("and f0,0f", 0xf0, 0x2 | CF | OF | AF, 0x00, 0x2 | AF | ZF | PF, 0x24, 0x0f);
    ALU("or 01,80", 0x01, 0x2, 0x81, 0x2 | SF | PF, 0x0c, 0x80);
    ALU("xor 0f,ff", 0x0f, 0x2 | CF, 0xf0, 0x2 | SF | PF, 0x34, 0xff);
    ALU("xor ax,ax", 0xffff1234, 0x2 | OF, 0xffff0000, 0x2 | ZF | PF, 0x31, 0xc0);
    ALU("or eax,imm32", 0x0, 0x2, 0x80000001, 0x2 | SF, 0x66, 0x0d, 0x01, 0x00, 0x00, 0x80);
}

static void inc_dec_keep_cf(void)
{
    ALU("inc 7fff", 0x7fff, 0x2 | CF, 0x8000, 0x2 | CF | OF | SF | AF | PF, 0x40);
    ALU("dec 0", 0x0000, 0x2, 0xffff, 0x2 | SF | AF | PF, 0x48);
    ALU("inc al (fe)", 0xff, 0x2, 0x00, 0x2 | ZF | AF | PF, 0xfe, 0xc0);
    ALU("dec eax (ff)", 0x80000000, 0x2 | CF, 0x7fffffff, 0x2 | CF | OF | AF | PF, 0x66, 0xff, 0xc8);
}

static void neg_not_test(void)
{
    ALU("neg 80", 0x80, 0x2, 0x80, 0x2 | CF | OF | SF, 0xf6, 0xd8);
    ALU("neg 0", 0x0, 0x2 | CF, 0x0, 0x2 | ZF | PF, 0xf7, 0xd8);
    ALU("neg 1", 0x01, 0x2, 0xff, 0x2 | CF | SF | AF | PF, 0xf6, 0xd8);
    ALU("not ax", 0x0012f00f, 0x2 | 0x8d5, 0x00120ff0, 0x2 | 0x8d5, 0xf7, 0xd0); /* no flags */
    ALU("test al,al", 0x0, 0x2 | CF | OF, 0x0, 0x2 | ZF | PF, 0x84, 0xc0);
    ALU("test ax,8000", 0x8001, 0x2, 0x8001, 0x2 | SF | PF, 0xa9, 0x00, 0x80);
    ALU("test eax,imm32", 0x80000000, 0x2, 0x80000000, 0x2 | SF | PF, 0x66, 0xf7, 0xc0, 0x00, 0x00, 0x00, 0x80);
    ALU("test al,imm8 (f6 /0)", 0x7f, 0x2, 0x7f, 0x2 | ZF | PF, 0xf6, 0xc0, 0x80);
}

static void alu_memory_destination_and_lock(void)
{
    struct emu_cpu c, w;
    SETUP(&c, 0x80, 0x2e, 0x00, 0x01, 0x05,    /* sub byte [0100], 5 */
          0xf0, 0x01, 0x1e, 0x02, 0x01,        /* lock add [0102], bx */
          0xfe, 0x06, 0x04, 0x01,              /* inc byte [0104] */
          0x81, 0x3e, 0x06, 0x01, 0x34, 0x12); /* cmp word [0106], 1234 */
    poke(DS_BASE + 0x100, 1, 0x05);
    poke(DS_BASE + 0x102, 2, 0x8000);
    poke(DS_BASE + 0x104, 1, 0xff);
    poke(DS_BASE + 0x106, 2, 0x1234);
    c.gpr[EMU_EBX] = 0x8001;
    w = c;
    STEP_OK(&c);
    CHECK_EQ(c.eflags, 0x2 | ZF | PF);
    STEP_OK(&c); /* 8000+8001 = 0001, CF OF */
    CHECK_EQ(c.eflags, 0x2 | CF | OF);
    STEP_OK(&c); /* ff+1: CF kept */
    CHECK_EQ(c.eflags, 0x2 | CF | ZF | AF | PF);
    STEP_OK(&c);
    want(DS_BASE + 0x100, 1, 0x00);
    want(DS_BASE + 0x102, 2, 0x0001);
    want(DS_BASE + 0x104, 1, 0x00);
    w.eflags = 0x2 | ZF | PF;
    w.eip = 0x114;
    CHECK_CPU(&c, &w);
    CHECK_MEM();
}

static void lock_on_a_register_or_non_lockable_instruction_is_ud(void)
{
    struct emu_cpu c, w;
    SETUP(&c, 0xf0, 0x01, 0xc0); /* lock add ax, ax */
    w = c;
    STEP_FAULT(&c, 6);
    CHECK_CPU(&c, &w);
    SETUP(&c, 0xf0, 0x90); /* lock nop */
    w = c;
    STEP_FAULT(&c, 6);
    CHECK_CPU(&c, &w);
    SETUP(&c, 0xf0, 0x39, 0x07); /* lock cmp [bx], ax */
    w = c;
    STEP_FAULT(&c, 6);
    CHECK_CPU(&c, &w);
}

/* ======================= addressing ======================= */

static void modrm16_bp_defaults_to_ss(void)
{
    struct emu_cpu c, w;
    SETUP(&c, 0x8b, 0x46, 0x04,   /* mov ax, [bp+4]: SS */
          0x8b, 0x5a, 0x02,       /* mov bx, [bp+si+2]: SS */
          0x3e, 0x8b, 0x4e, 0x04, /* mov cx, ds:[bp+4] */
          0x8b, 0x50, 0x04);      /* mov dx, [bx+si+4]: DS */
    c.gpr[EMU_EBP] = 0x0010;
    c.gpr[EMU_ESI] = 0x0002;
    poke(SS_BASE + 0x14, 2, 0xbeef);
    poke(DS_BASE + 0x14, 2, 0x1111);
    w = c;
    STEP_OK(&c);
    CHECK_EQ(c.gpr[EMU_EAX], 0xbeef);
    c.gpr[EMU_EBX] = 0; /* so that [bx+si+4] is DS:6 after the load */
    poke(DS_BASE + 0x6, 2, 0x2222);
    STEP_OK(&c);
    CHECK_EQ(c.gpr[EMU_EBX], 0xbeef);
    c.gpr[EMU_EBX] = 0;
    STEP_OK(&c);
    STEP_OK(&c);
    w.gpr[EMU_EAX] = 0xbeef;
    w.gpr[EMU_EBX] = 0;
    w.gpr[EMU_ECX] = 0x1111;
    w.gpr[EMU_EDX] = 0x2222;
    w.eip = 0x10d;
    CHECK_CPU(&c, &w);
}

static void modrm16_disp16_negative_disp8_and_wrap(void)
{
    struct emu_cpu c, w;
    SETUP(&c, 0x8b, 0x06, 0x34, 0x12, /* mov ax, [1234] */
          0x8b, 0x5c, 0xfe,           /* mov bx, [si-2] */
          0x8b, 0x4f, 0x02,           /* mov cx, [bx+2] with BX = ffff: offset 0001 */
          0x65, 0x8b, 0x17);          /* mov dx, gs:[bx] */
    c.gpr[EMU_ESI] = 0x0010;
    poke(DS_BASE + 0x1234, 2, 0x1234);
    poke(DS_BASE + 0x000e, 2, 0xffff);
    poke(DS_BASE + 0x0001, 2, 0x0101);
    poke(0x60000 + 0xffff, 1, 0x42);
    poke(0x60000 + 0x10000, 1, 0x43);
    c.seg[EMU_GS].limit = 0x1ffff;
    w = c;
    STEP_OK(&c);
    STEP_OK(&c);
    STEP_OK(&c);
    STEP_OK(&c);
    w.gpr[EMU_EAX] = 0x1234;
    w.gpr[EMU_EBX] = 0xffff;
    w.gpr[EMU_ECX] = 0x0101;
    w.gpr[EMU_EDX] = 0x4342; /* with a large limit the word may cross 64K */
    w.eip = 0x10d;
    CHECK_CPU(&c, &w);
}

static void sib32_scaled_index(void)
{
    struct emu_cpu c, w;
    SETUP(&c, 0x67, 0x8b, 0x04, 0x8b,                     /* mov ax, [ebx+ecx*4] */
          0x67, 0x8b, 0x1c, 0x8d, 0x00, 0x02, 0x00, 0x00, /* mov bx, [ecx*4+200] (no base) */
          0x67, 0x8b, 0x54, 0x24, 0x08,                   /* mov dx, [esp+8]: SS */
          0x67, 0x8b, 0x75, 0x04,                         /* mov si, [ebp+4]: SS */
          0x67, 0x8b, 0x3d, 0x00, 0x03, 0x00, 0x00,       /* mov di, [00000300] */
          0x67, 0x8b, 0x6c, 0xc8, 0xfc);                  /* mov bp, [eax+ecx*8-4] */
    c.gpr[EMU_EBX] = 0x100;
    c.gpr[EMU_ECX] = 0x10;
    c.gpr[EMU_EBP] = 0x20;
    poke(DS_BASE + 0x140, 2, 0x0140);
    poke(DS_BASE + 0x240, 2, 0x0240);
    poke(SS_BASE + SP0 + 8, 2, 0x0ff8);
    poke(SS_BASE + 0x24, 2, 0x0024);
    poke(DS_BASE + 0x300, 2, 0x0300);
    poke(DS_BASE + 0x140 + 0x80 - 4, 2, 0x01bc);
    w = c;
    for (int k = 0; k < 6; k++)
        STEP_OK(&c);
    w.gpr[EMU_EAX] = 0x140;
    w.gpr[EMU_EBX] = 0x240;
    w.gpr[EMU_EDX] = 0x0ff8;
    w.gpr[EMU_ESI] = 0x0024;
    w.gpr[EMU_EDI] = 0x0300;
    w.gpr[EMU_EBP] = 0x01bc;
    w.eip = 0x100 + 4 + 8 + 5 + 4 + 7 + 5;
    CHECK_CPU(&c, &w);
}

static void segment_limit_violation_is_gp(void)
{
    struct emu_cpu c, w;
    SETUP(&c, 0xa1, 0xff, 0xff); /* mov ax, [ffff]: the word ends at 10000 */
    w = c;
    STEP_FAULT(&c, 13);
    CHECK_CPU(&c, &w);

    SETUP(&c, 0xa0, 0xff, 0xff); /* mov al, [ffff]: fine */
    poke(DS_BASE + 0xffff, 1, 0x77);
    w = c;
    STEP_OK(&c);
    w.gpr[EMU_EAX] = 0x77;
    w.eip = 0x103;
    CHECK_CPU(&c, &w);

    SETUP(&c, 0x67, 0x8b, 0x03); /* mov ax, [ebx] with EBX = 10000 */
    c.gpr[EMU_EBX] = 0x10000;
    w = c;
    STEP_FAULT(&c, 13);
    CHECK_CPU(&c, &w);

    SETUP(&c, 0x8b, 0x46, 0x00); /* mov ax, [bp]: SS-based, so #SS */
    c.gpr[EMU_EBP] = 0xffff;
    w = c;
    STEP_FAULT(&c, 12);
    CHECK_CPU(&c, &w);

    SETUP(&c, 0x89, 0x05); /* mov [di], ax with DS limit 0 */
    c.seg[EMU_DS].limit = 0;
    c.gpr[EMU_EDI] = 0;
    w = c;
    STEP_FAULT(&c, 13); /* a word at offset 0 ends at 1 > limit 0 */
    CHECK_CPU(&c, &w);
    CHECK_MEM();
}

static void fetch_past_cs_limit_is_gp(void)
{
    struct emu_cpu c, w;
    SETUP(&c, 0xb8, 0x34, 0x12); /* mov ax, 1234 with CS limit 101 */
    c.seg[EMU_CS].limit = 0x101;
    w = c;
    STEP_FAULT(&c, 13);
    CHECK_CPU(&c, &w);
}

static void instruction_longer_than_15_bytes_is_gp(void)
{
    struct emu_cpu c, w;
    SETUP(&c, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x90);
    w = c;
    STEP_OK(&c); /* 15 bytes: fine */
    w.eip = 0x10f;
    CHECK_CPU(&c, &w);

    SETUP(&c, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x90);
    w = c;
    STEP_FAULT(&c, 13);
    CHECK_CPU(&c, &w);
}

static void repeated_prefixes_last_segment_wins(void)
{
    struct emu_cpu c, w;
    SETUP(&c, 0x26, 0x64, 0x66, 0x66, 0x8b, 0x07); /* es fs o32 o32 mov eax, [bx] */
    poke(0x50000 + 0x20, 4, 0xf5f5f5f5);
    poke(ES_BASE + 0x20, 4, 0xe5e5e5e5);
    c.gpr[EMU_EBX] = 0x20;
    w = c;
    STEP_OK(&c);
    w.gpr[EMU_EAX] = 0xf5f5f5f5;
    w.eip = 0x106;
    CHECK_CPU(&c, &w);
}

static void memory_fault_from_ops_is_reported_and_changes_nothing(void)
{
    struct emu_cpu c, w;
    SETUP(&c, 0xff, 0x36, 0x00, 0x01); /* push word [0100] */
    fk.fault_lo = DS_BASE + 0x100;
    fk.fault_hi = DS_BASE + 0x101;
    fk.fault_rc = 14;
    w = c;
    STEP_FAULT(&c, 14);
    CHECK_CPU(&c, &w);

    SETUP(&c, 0x50); /* push ax: the write fails with a code that is not a vector */
    fk.fault_lo = SS_BASE;
    fk.fault_hi = SS_BASE + 0x10000;
    fk.fault_rc = -1;
    w = c;
    STEP_FAULT(&c, 13);
    CHECK_CPU(&c, &w);
}

static void code_fetch_fault_is_reported(void)
{
    struct emu_cpu c, w;
    SETUP(&c, 0x66, 0xb8, 0x00, 0x00, 0x00, 0x00);
    fk.fault_lo = CS_BASE + 0x103;
    fk.fault_hi = CS_BASE + 0x104;
    fk.fault_rc = 14;
    w = c;
    CHECK_EQ(emu_decode(&c, &ops, &insn, &fault), -1);
    CHECK_EQ(fault, 14);
    STEP_FAULT(&c, 14);
    CHECK_CPU(&c, &w);
}

/* ======================= control flow ======================= */

static void jmp_short_near_and_indirect(void)
{
    struct emu_cpu c, w;
    SETUP(&c, 0xeb, 0xfe); /* jmp $ */
    w = c;
    STEP_OK(&c);
    CHECK_CPU(&c, &w);
    SETUP(&c, 0xe9, 0x00, 0x10); /* jmp +1000 */
    STEP_OK(&c);
    CHECK_EQ(c.eip, 0x1103);
    SETUP(&c, 0xe9, 0xff, 0xef); /* jmp -1001: wraps at 64K with o16 */
    STEP_OK(&c);
    CHECK_EQ(c.eip, 0xf102);
    SETUP(&c, 0xff, 0xe0); /* jmp ax */
    c.gpr[EMU_EAX] = 0xffff4321;
    STEP_OK(&c);
    CHECK_EQ(c.eip, 0x4321);
    SETUP(&c, 0xff, 0x26, 0x00, 0x01); /* jmp [0100] */
    poke(DS_BASE + 0x100, 2, 0x2468);
    STEP_OK(&c);
    CHECK_EQ(c.eip, 0x2468);
    CHECK_STR(emu_insn_name(&insn), "jmp");
    SETUP(&c, 0x66, 0xe9, 0x00, 0x00, 0x01, 0x00); /* jmp +10000 with o32: beyond the limit */
    w = c;
    STEP_FAULT(&c, 13);
    CHECK_CPU(&c, &w);
}

static void jcc_short_and_near(void)
{
    static const struct {
        uint8_t cc;
        uint32_t flags;
        int taken;
    } t[] = {
        { 0x0, OF, 1 }, { 0x1, OF, 0 }, { 0x2, CF, 1 },      { 0x3, CF, 0 },      { 0x4, ZF, 1 },      { 0x5, 0, 1 },
        { 0x6, ZF, 1 }, { 0x6, 0, 0 },  { 0x7, 0, 1 },       { 0x7, CF, 0 },      { 0x8, SF, 1 },      { 0x9, SF, 0 },
        { 0xa, PF, 1 }, { 0xb, PF, 0 }, { 0xc, SF, 1 },      { 0xc, SF | OF, 0 }, { 0xd, SF | OF, 1 }, { 0xd, OF, 0 },
        { 0xe, ZF, 1 }, { 0xe, OF, 1 }, { 0xe, SF | OF, 0 }, { 0xf, 0, 1 },       { 0xf, ZF, 0 },      { 0xf, SF, 0 },
    };
    for (unsigned k = 0; k < sizeof t / sizeof t[0]; k++) {
        struct emu_cpu c;
        uint8_t code[4] = { (uint8_t)(0x70 + t[k].cc), 0x10 };
        setup(&c, code, 2);
        c.eflags = 0x2 | t[k].flags;
        CHECK_RESULT(step(&c), EMU_OK);
        CHECK(c.eip == (t[k].taken ? 0x112u : 0x102u), "j%x with flags %x: eip = 0x%x", t[k].cc, t[k].flags, c.eip);
        code[0] = 0x0f;
        code[1] = (uint8_t)(0x80 + t[k].cc);
        code[2] = 0x00;
        code[3] = 0x01;
        setup(&c, code, 4);
        c.eflags = 0x2 | t[k].flags;
        CHECK_RESULT(step(&c), EMU_OK);
        CHECK(c.eip == (t[k].taken ? 0x204u : 0x104u), "near j%x with flags %x: eip = 0x%x", t[k].cc, t[k].flags,
              c.eip);
    }
    CHECK_STR(emu_insn_name(&insn), "jcc");
}

static void call_ret_near(void)
{
    struct emu_cpu c, w;
    SETUP(&c, 0xe8, 0x00, 0x01); /* call +100 */
    w = c;
    STEP_OK(&c);
    want(SS_BASE + 0xffee, 2, 0x0103);
    w.gpr[EMU_ESP] = 0xffee;
    w.eip = 0x203;
    CHECK_CPU(&c, &w);
    CHECK_MEM();

    SETUP(&c, 0x66, 0xff, 0xd3); /* call ebx */
    c.gpr[EMU_EBX] = 0x00001234;
    w = c;
    STEP_OK(&c);
    want(SS_BASE + 0xffec, 4, 0x00000103);
    w.gpr[EMU_ESP] = 0xffec;
    w.eip = 0x1234;
    CHECK_CPU(&c, &w);
    CHECK_MEM();

    SETUP(&c, 0xc2, 0x04, 0x00); /* ret 4 */
    poke(SS_BASE + SP0, 2, 0x0555);
    w = c;
    STEP_OK(&c);
    w.gpr[EMU_ESP] = SP0 + 6;
    w.eip = 0x555;
    CHECK_CPU(&c, &w);
    CHECK_STR(emu_insn_name(&insn), "ret");
}

static void loop_loope_loopne_jcxz(void)
{
    struct emu_cpu c;
    SETUP(&c, 0xe2, 0xfe); /* loop $ */
    c.gpr[EMU_ECX] = 3;
    STEP_OK(&c);
    CHECK_EQ(c.gpr[EMU_ECX], 2);
    CHECK_EQ(c.eip, 0x100);
    SETUP(&c, 0xe2, 0xfe);
    c.gpr[EMU_ECX] = 0x00010001; /* CX 1 -> 0: falls through; ECX's top stays */
    STEP_OK(&c);
    CHECK_EQ(c.gpr[EMU_ECX], 0x00010000);
    CHECK_EQ(c.eip, 0x102);
    SETUP(&c, 0x67, 0xe2, 0xfd); /* a32 loop: ECX 10001 -> 10000, taken */
    c.gpr[EMU_ECX] = 0x00010001;
    STEP_OK(&c);
    CHECK_EQ(c.gpr[EMU_ECX], 0x00010000);
    CHECK_EQ(c.eip, 0x100);
    SETUP(&c, 0xe1, 0x10); /* loope with ZF = 0: not taken */
    c.gpr[EMU_ECX] = 5;
    STEP_OK(&c);
    CHECK_EQ(c.gpr[EMU_ECX], 4);
    CHECK_EQ(c.eip, 0x102);
    SETUP(&c, 0xe0, 0x10); /* loopne with ZF = 0: taken */
    c.gpr[EMU_ECX] = 5;
    STEP_OK(&c);
    CHECK_EQ(c.eip, 0x112);
    SETUP(&c, 0xe3, 0x10); /* jcxz with CX = 0 (ECX 10000) */
    c.gpr[EMU_ECX] = 0x00010000;
    STEP_OK(&c);
    CHECK_EQ(c.eip, 0x112);
    CHECK_EQ(c.gpr[EMU_ECX], 0x00010000);
    SETUP(&c, 0x67, 0xe3, 0x10); /* jecxz with ECX 10000: not taken */
    c.gpr[EMU_ECX] = 0x00010000;
    STEP_OK(&c);
    CHECK_EQ(c.eip, 0x103);
}

/* ======================= string instructions ======================= */

static void movs_stos_lods(void)
{
    struct emu_cpu c, w;
    SETUP(&c, 0xa4,         /* movsb */
          0xf3, 0xa5,       /* rep movsw (CX 3) */
          0x66, 0xf3, 0xab, /* rep stosd (CX 2), DF set below */
          0xac,             /* lodsb */
          0x66, 0xad);      /* lodsd */
    poke_bytes(DS_BASE + 0x10, "abcdefghijklmnop");
    c.gpr[EMU_ESI] = 0x10;
    c.gpr[EMU_EDI] = 0x20;
    c.gpr[EMU_ECX] = 3;
    w = c;
    STEP_OK(&c);
    STEP_OK(&c);
    want(ES_BASE + 0x20, 1, 'a');
    want(ES_BASE + 0x21, 1, 'b');
    want(ES_BASE + 0x22, 1, 'c');
    want(ES_BASE + 0x23, 1, 'd');
    want(ES_BASE + 0x24, 1, 'e');
    want(ES_BASE + 0x25, 1, 'f');
    want(ES_BASE + 0x26, 1, 'g');
    w.gpr[EMU_ESI] = 0x17;
    w.gpr[EMU_EDI] = 0x27;
    w.gpr[EMU_ECX] = 0;
    w.eip = 0x103;
    CHECK_CPU(&c, &w);
    CHECK_MEM();

    c.eflags = w.eflags = 0x2 | DF;
    c.gpr[EMU_ECX] = 2;
    c.gpr[EMU_EDI] = 0x100;
    c.gpr[EMU_EAX] = 0x11223344;
    STEP_OK(&c);
    want(ES_BASE + 0x100, 4, 0x11223344);
    want(ES_BASE + 0x0fc, 4, 0x11223344);
    w.gpr[EMU_EAX] = 0x11223344;
    w.gpr[EMU_ECX] = 0;
    w.gpr[EMU_EDI] = 0xf8;
    w.eip = 0x106;
    CHECK_CPU(&c, &w);
    CHECK_MEM();

    STEP_OK(&c); /* lodsb at 17 ('h'), SI -> 16 */
    STEP_OK(&c); /* lodsd at 16 ("ghij"), SI -> 12 */
    w.gpr[EMU_EAX] = 0x6a696867;
    w.gpr[EMU_ESI] = 0x12;
    w.eip = 0x109;
    CHECK_CPU(&c, &w);
    CHECK_MEM();
}

static void repe_cmpsb_stops_at_the_first_difference(void)
{
    struct emu_cpu c, w;
    SETUP(&c, 0xf3, 0xa6);
    poke_bytes(DS_BASE + 0x10, "ABCXYZ");
    poke_bytes(ES_BASE + 0x20, "ABCDYZ");
    c.gpr[EMU_ESI] = 0x10;
    c.gpr[EMU_EDI] = 0x20;
    c.gpr[EMU_ECX] = 10;
    w = c;
    STEP_OK(&c);
    w.gpr[EMU_ESI] = 0x14;
    w.gpr[EMU_EDI] = 0x24;
    w.gpr[EMU_ECX] = 6;
    w.eflags = 0x2 | PF; /* 'X' - 'D' = 14h */
    w.eip = 0x102;
    CHECK_CPU(&c, &w);
    CHECK_STR(emu_insn_name(&insn), "cmps");
}

static void repne_scasb_stops_at_the_match(void)
{
    struct emu_cpu c, w;
    SETUP(&c, 0xf2, 0xae);
    poke_bytes(ES_BASE + 0x20, "ABCD");
    c.gpr[EMU_EAX] = 'C';
    c.gpr[EMU_EDI] = 0x20;
    c.gpr[EMU_ECX] = 10;
    w = c;
    STEP_OK(&c);
    w.gpr[EMU_EDI] = 0x23;
    w.gpr[EMU_ECX] = 7;
    w.eflags = 0x2 | ZF | PF;
    w.eip = 0x102;
    CHECK_CPU(&c, &w);

    SETUP(&c, 0xae); /* scasb without REP: one compare, 'A' - 'C' */
    poke_bytes(ES_BASE + 0x20, "C");
    c.gpr[EMU_EAX] = 'A';
    c.gpr[EMU_EDI] = 0x20;
    w = c;
    STEP_OK(&c);
    w.gpr[EMU_EDI] = 0x21;
    w.eflags = 0x2 | CF | SF | AF; /* 41h - 43h = FEh: seven 1s, PF clear */
    w.eip = 0x101;
    CHECK_CPU(&c, &w);
}

static void rep_fault_keeps_the_completed_iterations(void)
{
    struct emu_cpu c, w;
    SETUP(&c, 0xf3, 0xa4); /* rep movsb from DS:0FFE with DS limit FFF */
    c.seg[EMU_DS].limit = 0x0fff;
    poke_bytes(DS_BASE + 0xffe, "xy");
    c.gpr[EMU_ESI] = 0x0ffe;
    c.gpr[EMU_EDI] = 0;
    c.gpr[EMU_ECX] = 4;
    w = c;
    STEP_FAULT(&c, 13);
    want(ES_BASE + 0, 1, 'x');
    want(ES_BASE + 1, 1, 'y');
    w.gpr[EMU_ESI] = 0x1000;
    w.gpr[EMU_EDI] = 2;
    w.gpr[EMU_ECX] = 2;
    /* EIP stays on the instruction */
    CHECK_CPU(&c, &w);
    CHECK_MEM();
}

/* ======================= the 8086-486 integer set (issue 5) =======================
 * Expected values worked out by hand from the SDM's pseudocode and "Flags
 * Affected" sections. A flag the SDM leaves undefined stays as it was (emu.c's
 * rule), so the cases start with it set or clear on purpose. */

struct regs4 {
    uint32_t a, c, d, b; /* EAX ECX EDX EBX */
};
#define R4(a_, c_, d_, b_) ((struct regs4){ (a_), (c_), (d_), (b_) })

/* Runs the one-instruction program with EAX ECX EDX EBX and EFLAGS set; checks
 * every register (the others unchanged), EIP just past it, EFLAGS, memory. */
static void reg_case(const char *file, int line, const char *what, const uint8_t *code, unsigned n, struct regs4 in,
                     uint32_t fin, struct regs4 out, uint32_t fout)
{
    struct emu_cpu c, w;
    setup(&c, code, n);
    c.gpr[EMU_EAX] = in.a;
    c.gpr[EMU_ECX] = in.c;
    c.gpr[EMU_EDX] = in.d;
    c.gpr[EMU_EBX] = in.b;
    c.eflags = fin;
    w = c;
    w.gpr[EMU_EAX] = out.a;
    w.gpr[EMU_ECX] = out.c;
    w.gpr[EMU_EDX] = out.d;
    w.gpr[EMU_EBX] = out.b;
    w.eflags = fout;
    w.eip = IP0 + n;
    int r = step(&c);
    if (r != EMU_OK)
        check_fail(file, line, "%s: emu_step = %s (fault %d); wanted EMU_OK", what, result_name(r), fault);
    else
        check_cpu(file, line, &c, &w);
    check_mem(file, line);
}
#define RC(what, in_, fin, out_, fout, ...)                                                                            \
    do {                                                                                                               \
        static const uint8_t code_[] = { __VA_ARGS__ };                                                                \
        reg_case(__FILE__, __LINE__, what, code_, sizeof code_, in_, fin, out_, fout);                                 \
    } while (0)

/* The same, expecting the fault `vec` and no change at all. */
static void fault_case(const char *file, int line, const char *what, const uint8_t *code, unsigned n, struct regs4 in,
                       int vec)
{
    struct emu_cpu c, w;
    setup(&c, code, n);
    c.gpr[EMU_EAX] = in.a;
    c.gpr[EMU_ECX] = in.c;
    c.gpr[EMU_EDX] = in.d;
    c.gpr[EMU_EBX] = in.b;
    w = c;
    int r = step(&c);
    if (r != EMU_FAULT || fault != vec)
        check_fail(file, line, "%s: emu_step = %s (fault %d); wanted EMU_FAULT %d", what, result_name(r), fault, vec);
    check_cpu(file, line, &c, &w);
    check_mem(file, line);
}
#define FC(what, in_, vec, ...)                                                                                        \
    do {                                                                                                               \
        static const uint8_t code_[] = { __VA_ARGS__ };                                                                \
        fault_case(__FILE__, __LINE__, what, code_, sizeof code_, in_, vec);                                           \
    } while (0)

#define ARITH (CF | PF | AF | ZF | SF | OF)

static void shl_shr_sar_flags_and_counts(void)
{
    RC("shl al,1: CF = old bit 7, OF = MSB ^ CF", R4(0x81, 0, 0, 0), 0x2, R4(0x02, 0, 0, 0), 0x2 | CF | OF, 0xd0, 0xe0);
    RC("shl al,cl with CL = 0: nothing, not even flags", R4(0x81, 0, 0, 0), 0x2 | ARITH, R4(0x81, 0, 0, 0), 0x2 | ARITH,
       0xd2, 0xe0);
    RC("shl ax,cl: CL 21h is masked to 1", R4(0x4000, 0x21, 0, 0), 0x2, R4(0x8000, 0x21, 0, 0), 0x2 | OF | SF | PF,
       0xd3, 0xe0);
    RC("shr al,1: OF = old MSB", R4(0x81, 0, 0, 0), 0x2, R4(0x40, 0, 0, 0), 0x2 | CF | OF, 0xd0, 0xe8);
    RC("sar al,1: OF = 0, sign kept", R4(0x81, 0, 0, 0), 0x2 | OF, R4(0xc0, 0, 0, 0), 0x2 | CF | SF | PF, 0xd0, 0xf8);
    RC("sar al,9: all sign bits, CF = sign; OF (undefined) kept", R4(0x80, 9, 0, 0), 0x2 | OF, R4(0xff, 9, 0, 0),
       0x2 | OF | CF | SF | PF, 0xd2, 0xf8);
    RC("shl ax,4: CF = bit 12; AF, OF kept", R4(0x1234, 0, 0, 0), 0x2 | AF, R4(0x2340, 0, 0, 0), 0x2 | AF | CF, 0xc1,
       0xe0, 0x04);
    RC("shr eax,31: CF = bit 30", R4(0x80000000, 0, 0, 0), 0x2 | CF, R4(1, 0, 0, 0), 0x2, 0x66, 0xc1, 0xe8, 0x1f);
    RC("sal (/6) = shl", R4(0x40, 0, 0, 0), 0x2, R4(0x80, 0, 0, 0), 0x2 | OF | SF, 0xd0, 0xf0);
    RC("shl al,8: result 0, CF = old bit 0", R4(0x01, 8, 0, 0), 0x2, R4(0x00, 8, 0, 0), 0x2 | CF | ZF | PF, 0xd2, 0xe0);
    RC("shr eax,cl: the count is CL & 1Fh, not CL mod 32 of ECX", R4(0x100, 0xffffff28, 0, 0), 0x2,
       R4(0x1, 0xffffff28, 0, 0), 0x2, 0x66, 0xd3, 0xe8);

    struct emu_cpu c, w;
    SETUP(&c, 0xd1, 0x27); /* shl word [bx], 1 */
    c.gpr[EMU_EBX] = 0x300;
    poke(DS_BASE + 0x300, 2, 0x8001);
    w = c;
    STEP_OK(&c);
    want(DS_BASE + 0x300, 2, 0x0002);
    w.eflags = 0x2 | CF | OF;
    w.eip = IP0 + 2;
    CHECK_CPU(&c, &w);
    CHECK_MEM();
    CHECK_STR(emu_insn_name(&insn), "shl");
}

static void rotates_and_rotates_through_carry(void)
{
    RC("rol al,1: CF = LSB, OF = MSB ^ CF; SF ZF PF kept", R4(0x81, 0, 0, 0), 0x2 | ZF | PF, R4(0x03, 0, 0, 0),
       0x2 | ZF | PF | CF | OF, 0xd0, 0xc0);
    RC("ror al,1: CF = MSB, OF = top two bits differ", R4(0x81, 0, 0, 0), 0x2 | OF, R4(0xc0, 0, 0, 0), 0x2 | CF, 0xd0,
       0xc8);
    RC("rol al,8: value unchanged, CF = LSB", R4(0x81, 0, 0, 0), 0x2, R4(0x81, 0, 0, 0), 0x2 | CF, 0xc0, 0xc0, 0x08);
    RC("rcl al,1", R4(0x80, 0, 0, 0), 0x2, R4(0x00, 0, 0, 0), 0x2 | CF | OF, 0xd0, 0xd0);
    RC("rcl al,9: nine bits through CF, back where it was", R4(0x55, 0, 0, 0), 0x2 | CF, R4(0x55, 0, 0, 0), 0x2 | CF,
       0xc0, 0xd0, 0x09);
    RC("rcr ax,1: CF in at the top, OF = MSB ^ next", R4(0x0001, 0, 0, 0), 0x2 | CF, R4(0x8000, 0, 0, 0), 0x2 | CF | OF,
       0xd1, 0xd8);
    RC("rcr al,2", R4(0x01, 0, 0, 0), 0x2, R4(0x80, 0, 0, 0), 0x2, 0xc0, 0xd8, 0x02);
    RC("rol eax,cl (CL 24)", R4(0x12345678, 24, 0, 0), 0x2, R4(0x78123456, 24, 0, 0), 0x2, 0x66, 0xd3, 0xc0);
    RC("rcl eax,31 = rcr by 2 over 33 bits", R4(0x00000002, 0, 0, 0), 0x2 | CF, R4(0x40000000, 0, 0, 0), 0x2 | CF, 0x66,
       0xc1, 0xd0, 0x1f);
}

static void shld_shrd(void)
{
    RC("shld ax,bx,4", R4(0x1234, 0, 0, 0xabcd), 0x2, R4(0x234a, 0, 0, 0xabcd), 0x2 | CF, 0x0f, 0xa4, 0xd8, 0x04);
    RC("shrd eax,edx,cl (8)", R4(0x12345678, 8, 0xaabbccdd, 0), 0x2, R4(0xdd123456, 8, 0xaabbccdd, 0), 0x2 | SF | PF,
       0x66, 0x0f, 0xad, 0xd0);
    RC("shld ax,bx,1: OF = sign change", R4(0x4000, 0, 0, 0x8000), 0x2, R4(0x8001, 0, 0, 0x8000), 0x2 | OF | SF, 0x0f,
       0xa4, 0xd8, 0x01);
    RC("shld with a count of 0 (CL 20h): nothing", R4(0x4000, 0x20, 0, 0x8000), 0x2 | ARITH,
       R4(0x4000, 0x20, 0, 0x8000), 0x2 | ARITH, 0x0f, 0xa5, 0xd8);
    RC("shrd ax,bx,16", R4(0x1234, 0, 0, 0xabcd), 0x2, R4(0xabcd, 0, 0, 0xabcd), 0x2 | SF, 0x0f, 0xac, 0xd8, 0x10);
}

static void mul_and_imul(void)
{
    RC("mul bl", R4(0x12340080, 0, 0, 0x02), 0x2 | ZF, R4(0x12340100, 0, 0, 0x02), 0x2 | ZF | CF | OF, 0xf6, 0xe3);
    RC("mul bl, no carry into AH", R4(3, 0, 0, 4), 0x2 | CF | OF, R4(12, 0, 0, 4), 0x2, 0xf6, 0xe3);
    RC("mul bx: DX:AX", R4(0x1234, 0, 0xffff0000, 0x0100), 0x2, R4(0x3400, 0, 0xffff0012, 0x0100), 0x2 | CF | OF, 0xf7,
       0xe3);
    RC("mul ebx: EDX:EAX", R4(0xffffffff, 0, 0, 0xffffffff), 0x2, R4(1, 0, 0xfffffffe, 0xffffffff), 0x2 | CF | OF, 0x66,
       0xf7, 0xe3);
    RC("imul bl: -1 * 2 fits AL", R4(0xff, 0, 0, 2), 0x2 | CF | OF, R4(0xfffe, 0, 0, 2), 0x2, 0xf6, 0xeb);
    RC("imul bl: -128 * -1 does not", R4(0x80, 0, 0, 0xff), 0x2, R4(0x0080, 0, 0, 0xff), 0x2 | CF | OF, 0xf6, 0xeb);
    RC("imul ecx: EDX = sign", R4(0xfffffffd, 7, 0x1234, 0), 0x2, R4(0xffffffeb, 7, 0xffffffff, 0), 0x2, 0x66, 0xf7,
       0xe9);
    RC("imul cx,bx,10h (6B): truncated", R4(0, 0x5555, 0, 0x1000), 0x2, R4(0, 0x0000, 0, 0x1000), 0x2 | CF | OF, 0x6b,
       0xcb, 0x10);
    RC("imul ax,bx,1234h (69)", R4(0, 0, 0, 2), 0x2 | CF, R4(0x2468, 0, 0, 2), 0x2, 0x69, 0xc3, 0x34, 0x12);
    RC("imul eax,ebx (0F AF)", R4(0xfffffffd, 0, 0, 7), 0x2, R4(0xffffffeb, 0, 0, 7), 0x2, 0x66, 0x0f, 0xaf, 0xc3);
    RC("imul eax,ebx overflow", R4(0x10000, 0, 0, 0x10000), 0x2, R4(0, 0, 0, 0x10000), 0x2 | CF | OF, 0x66, 0x0f, 0xaf,
       0xc3);
    RC("imul ax,bx,-1 (6B, sign-extended imm8)", R4(0, 0, 0, 0x8000), 0x2, R4(0x8000, 0, 0, 0x8000), 0x2 | CF | OF,
       0x6b, 0xc3, 0xff);
}

static void div_and_idiv_with_de(void)
{
    RC("div bl: AL = q, AH = r", R4(0x0107, 0, 0, 0x10), 0x2 | ARITH, R4(0x0710, 0, 0, 0x10), 0x2 | ARITH, 0xf6, 0xf3);
    FC("div bl: quotient 100h", R4(0x1000, 0, 0, 0x10), 0, 0xf6, 0xf3);
    FC("div bl by 0", R4(0x1000, 0, 0, 0), 0, 0xf6, 0xf3);
    RC("div bx: DX:AX / BX", R4(0x0000, 0, 0x0001, 0x0002), 0x2, R4(0x8000, 0, 0x0000, 0x0002), 0x2, 0xf7, 0xf3);
    RC("div ebx: 64-by-32", R4(0, 0, 1, 2), 0x2, R4(0x80000000, 0, 0, 2), 0x2, 0x66, 0xf7, 0xf3);
    RC("div ebx: remainder", R4(0x9abcdef0, 0, 0x12345678, 0x87654321), 0x2, R4(0x226b9022, 0, 0x38bc648e, 0x87654321),
       0x2, 0x66, 0xf7, 0xf3);
    FC("div ebx: EDX >= EBX", R4(0, 0, 2, 2), 0, 0x66, 0xf7, 0xf3);
    FC("div ebx by 0", R4(5, 0, 0, 0), 0, 0x66, 0xf7, 0xf3);
    RC("idiv bl: -7 / 2 = -3 r -1", R4(0xfff9, 0, 0, 2), 0x2, R4(0xfffd, 0, 0, 2), 0x2, 0xf6, 0xfb);
    RC("idiv bl: -128 fits", R4(0xff80, 0, 0, 1), 0x2, R4(0x0080, 0, 0, 1), 0x2, 0xf6, 0xfb);
    FC("idiv bl: +128 does not", R4(0x0080, 0, 0, 1), 0, 0xf6, 0xfb);
    RC("idiv ebx: -100 / 7 = -14 r -2", R4(0xffffff9c, 0, 0xffffffff, 7), 0x2, R4(0xfffffff2, 0, 0xfffffffe, 7), 0x2,
       0x66, 0xf7, 0xfb);
    RC("idiv ebx: 100 / -7 = -14 r 2", R4(100, 0, 0, 0xfffffff9), 0x2, R4(0xfffffff2, 0, 2, 0xfffffff9), 0x2, 0x66,
       0xf7, 0xfb);
    RC("idiv ebx: -2^31 / 1", R4(0x80000000, 0, 0xffffffff, 1), 0x2, R4(0x80000000, 0, 0, 1), 0x2, 0x66, 0xf7, 0xfb);
    FC("idiv ebx: -2^63 / -1", R4(0, 0, 0x80000000, 0xffffffff), 0, 0x66, 0xf7, 0xfb);
    FC("idiv cx: -2^31 / -32768", R4(0x0000, 0x8000, 0x8000, 0), 0, 0xf7, 0xf9);
    FC("idiv by 0", R4(1, 0, 0, 0), 0, 0xf6, 0xfb);

    struct emu_cpu c, w;
    SETUP(&c, 0xf7, 0x37); /* div word [bx]: the divisor from memory */
    c.gpr[EMU_EAX] = 1000;
    c.gpr[EMU_EBX] = 0x40;
    poke(DS_BASE + 0x40, 2, 7);
    w = c;
    STEP_OK(&c);
    w.gpr[EMU_EAX] = 142;
    w.gpr[EMU_EDX] = 6;
    w.eip = IP0 + 2;
    CHECK_CPU(&c, &w);
    CHECK_STR(emu_insn_name(&insn), "div");
}

static void bcd_adjustments(void)
{
    RC("daa after 79+35 (AL AEh)", R4(0xae, 0, 0, 0), 0x2, R4(0x14, 0, 0, 0), 0x2 | CF | AF | PF, 0x27);
    RC("daa with AF only", R4(0x00, 0, 0, 0), 0x2 | AF | OF, R4(0x06, 0, 0, 0), 0x2 | AF | PF | OF, 0x27);
    RC("daa 99h, CF set", R4(0x99, 0, 0, 0), 0x2 | CF, R4(0xf9, 0, 0, 0), 0x2 | CF | SF | PF, 0x27);
    RC("das: the borrow of AL - 6 sets CF", R4(0x03, 0, 0, 0), 0x2 | AF, R4(0xfd, 0, 0, 0), 0x2 | CF | AF | SF, 0x2f);
    RC("das after 47-38 (AL 0Fh, AF)", R4(0x0f, 0, 0, 0), 0x2 | AF, R4(0x09, 0, 0, 0), 0x2 | AF | PF, 0x2f);
    RC("aaa: AX += 106h", R4(0x000f, 0, 0, 0), 0x2, R4(0x0105, 0, 0, 0), 0x2 | AF | CF, 0x37);
    RC("aaa: AL FAh carries into AH", R4(0x01fa, 0, 0, 0), 0x2, R4(0x0300, 0, 0, 0), 0x2 | AF | CF, 0x37);
    RC("aaa: no adjustment clears AF CF, keeps SF ZF PF OF", R4(0x1234, 0, 0, 0), 0x2 | CF | ZF | OF,
       R4(0x1204, 0, 0, 0), 0x2 | ZF | OF, 0x37);
    RC("aas after 03-08", R4(0x02fb, 0, 0, 0), 0x2 | AF, R4(0x0105, 0, 0, 0), 0x2 | AF | CF, 0x3f);
    RC("aas: AX - 6 borrows from AH", R4(0x0005, 0, 0, 0), 0x2 | AF, R4(0xfe0f, 0, 0, 0), 0x2 | AF | CF, 0x3f);
    RC("aam 10", R4(0x3f, 0, 0, 0), 0x2, R4(0x0603, 0, 0, 0), 0x2 | PF, 0xd4, 0x0a);
    RC("aam 16", R4(0xff3f, 0, 0, 0), 0x2, R4(0x030f, 0, 0, 0), 0x2 | PF, 0xd4, 0x10);
    FC("aam 0: #DE", R4(0x3f, 0, 0, 0), 0, 0xd4, 0x00);
    RC("aad 10", R4(0x0603, 0, 0, 0), 0x2 | CF | AF | OF, R4(0x003f, 0, 0, 0), 0x2 | CF | AF | OF | PF, 0xd5, 0x0a);
    RC("aad 16 wraps AL", R4(0x1234, 0, 0, 0), 0x2, R4(0x0054, 0, 0, 0), 0x2, 0xd5, 0x10);
    RC("salc with CF", R4(0x1234, 0, 0, 0), 0x2 | CF, R4(0x12ff, 0, 0, 0), 0x2 | CF, 0xd6);
    RC("salc without CF", R4(0x1234, 0, 0, 0), 0x2, R4(0x1200, 0, 0, 0), 0x2, 0xd6);
}

static void bt_bts_btr_btc_register_and_immediate(void)
{
    RC("bt ax,cx: offset mod 16", R4(0x0010, 0x0014, 0, 0), 0x2 | ZF | OF, R4(0x0010, 0x0014, 0, 0), 0x2 | ZF | OF | CF,
       0x0f, 0xa3, 0xc8);
    RC("bts ax,3", R4(0, 0, 0, 0), 0x2 | CF, R4(8, 0, 0, 0), 0x2, 0x0f, 0xba, 0xe8, 0x03);
    RC("btr eax,31", R4(0x80000001, 0, 0, 0), 0x2, R4(1, 0, 0, 0), 0x2 | CF, 0x66, 0x0f, 0xba, 0xf0, 0x1f);
    RC("btc ax,17: imm mod 16", R4(0, 0, 0, 0), 0x2, R4(2, 0, 0, 0), 0x2, 0x0f, 0xba, 0xf8, 0x11);
    RC("btc eax,ebx", R4(0xffffffff, 0, 0, 0x3f), 0x2, R4(0x7fffffff, 0, 0, 0x3f), 0x2 | CF, 0x66, 0x0f, 0xbb, 0xd8);
}

static void bt_memory_bit_offset_addresses_other_words(void)
{
    struct emu_cpu c, w;
    SETUP(&c, 0x0f, 0xa3, 0x0e, 0x00, 0x01); /* bt [0100], cx: CX = 37 -> word at 0104, bit 5 */
    c.gpr[EMU_ECX] = 37;
    poke(DS_BASE + 0x104, 2, 0x0020);
    w = c;
    STEP_OK(&c);
    w.eflags |= CF;
    w.eip = IP0 + 5;
    CHECK_CPU(&c, &w);

    SETUP(&c, 0x0f, 0xab, 0x0e, 0x00, 0x01); /* bts [0100], cx: CX = -1 -> word at 00FE, bit 15 */
    c.gpr[EMU_ECX] = 0xffff;
    w = c;
    STEP_OK(&c);
    want(DS_BASE + 0xfe, 2, 0x8000);
    w.eip = IP0 + 5;
    CHECK_CPU(&c, &w);
    CHECK_MEM();

    SETUP(&c, 0x66, 0x0f, 0xbb, 0x0e, 0x00, 0x01); /* btc dword [0100], ecx: ECX = 64 -> dword at 0108, bit 0 */
    c.gpr[EMU_ECX] = 64;
    poke(DS_BASE + 0x108, 4, 0x00000001);
    w = c;
    STEP_OK(&c);
    want(DS_BASE + 0x108, 4, 0);
    w.eflags |= CF;
    w.eip = IP0 + 6;
    CHECK_CPU(&c, &w);
    CHECK_MEM();

    SETUP(&c, 0x0f, 0xb3, 0x0e, 0x00, 0x01); /* btr [0100], cx: CX = -32768 -> word at 0100 - 1000h */
    c.gpr[EMU_ECX] = 0x8000;
    poke(DS_BASE + 0x100 - 0x1000 + 0x10000, 2, 0xffff); /* the offset wraps to 16 bits: F100 */
    w = c;
    STEP_OK(&c);
    want(DS_BASE + 0xf100, 2, 0xfffe);
    w.eflags |= CF;
    w.eip = IP0 + 5;
    CHECK_CPU(&c, &w);
    CHECK_MEM();

    SETUP(&c, 0x0f, 0xba, 0x26, 0x00, 0x01, 0x25); /* bt [0100], 25h: the immediate only selects a bit (5) */
    poke(DS_BASE + 0x100, 2, 0x0020);
    w = c;
    STEP_OK(&c);
    w.eflags |= CF;
    w.eip = IP0 + 6;
    CHECK_CPU(&c, &w);
    CHECK_STR(emu_insn_name(&insn), "bt");

    SETUP(&c, 0xf0, 0x0f, 0xa3, 0x0e, 0x00, 0x01); /* lock bt: #UD (BT is not lockable) */
    w = c;
    STEP_FAULT(&c, 6);
    CHECK_CPU(&c, &w);
}

static void bsf_bsr(void)
{
    RC("bsf ax,bx", R4(0xffff, 0, 0, 0x0480), 0x2 | ZF | CF, R4(7, 0, 0, 0x0480), 0x2 | CF, 0x0f, 0xbc, 0xc3);
    RC("bsr ax,bx", R4(0xffff, 0, 0, 0x0480), 0x2, R4(10, 0, 0, 0x0480), 0x2, 0x0f, 0xbd, 0xc3);
    RC("bsr eax,ebx", R4(0, 0, 0, 0x80000001), 0x2, R4(31, 0, 0, 0x80000001), 0x2, 0x66, 0x0f, 0xbd, 0xc3);
    RC("bsf of 0: ZF, destination kept", R4(0x12345678, 0, 0, 0xffff0000), 0x2, R4(0x12345678, 0, 0, 0xffff0000),
       0x2 | ZF, 0x0f, 0xbc, 0xc3);
}

static void setcc_and_cmovcc(void)
{
    RC("setz al", R4(0x1234, 0, 0, 0), 0x2 | ZF, R4(0x1201, 0, 0, 0), 0x2 | ZF, 0x0f, 0x94, 0xc0);
    RC("setnz al", R4(0x1234, 0, 0, 0), 0x2 | ZF, R4(0x1200, 0, 0, 0), 0x2 | ZF, 0x0f, 0x95, 0xc0);
    RC("setl ah (SF != OF)", R4(0, 0, 0, 0), 0x2 | SF, R4(0x0100, 0, 0, 0), 0x2 | SF, 0x0f, 0x9c, 0xc4);
    RC("setg ah (ZF = 0, SF = OF)", R4(0, 0, 0, 0), 0x2 | SF | OF, R4(0x0100, 0, 0, 0), 0x2 | SF | OF, 0x0f, 0x9f,
       0xc4);
    RC("setbe bl (CF)", R4(0, 0, 0, 0), 0x2 | CF, R4(0, 0, 0, 1), 0x2 | CF, 0x0f, 0x96, 0xc3);
    RC("setp cl", R4(0, 0xff, 0, 0), 0x2, R4(0, 0, 0, 0), 0x2, 0x0f, 0x9a, 0xc1);
    RC("cmovz ax,bx: false", R4(1, 0, 0, 2), 0x2, R4(1, 0, 0, 2), 0x2, 0x0f, 0x44, 0xc3);
    RC("cmovz ax,bx: true", R4(1, 0, 0, 2), 0x2 | ZF, R4(2, 0, 0, 2), 0x2 | ZF, 0x0f, 0x44, 0xc3);
    RC("cmovs eax,ebx: false keeps the upper half", R4(0xaaaa5555, 0, 0, 0x12345678), 0x2,
       R4(0xaaaa5555, 0, 0, 0x12345678), 0x2, 0x66, 0x0f, 0x48, 0xc3);

    struct emu_cpu c, w;
    SETUP(&c, 0x0f, 0x9c, 0x06, 0x00, 0x01); /* setl byte [0100] */
    c.eflags = 0x2 | OF;
    poke(DS_BASE + 0x100, 1, 0x55);
    w = c;
    STEP_OK(&c);
    want(DS_BASE + 0x100, 1, 1);
    w.eip = IP0 + 5;
    CHECK_CPU(&c, &w);
    CHECK_MEM();

    SETUP(&c, 0x66, 0x0f, 0x44, 0x07); /* cmovz eax, [bx]: the read happens (and faults) with ZF = 0 */
    c.gpr[EMU_EBX] = 0xfffe;
    w = c;
    STEP_FAULT(&c, 13);
    CHECK_CPU(&c, &w);
}

static void xadd_cmpxchg_cmpxchg8b(void)
{
    RC("xadd ax,bx", R4(1, 0, 0, 2), 0x2, R4(3, 0, 0, 1), 0x2 | PF, 0x0f, 0xc1, 0xd8);
    RC("xadd al,al: the sum wins", R4(3, 0, 0, 0), 0x2, R4(6, 0, 0, 0), 0x2 | PF, 0x0f, 0xc0, 0xc0);
    RC("cmpxchg bx,cx: equal", R4(5, 9, 0, 5), 0x2, R4(5, 9, 0, 9), 0x2 | ZF | PF, 0x0f, 0xb1, 0xcb);
    RC("cmpxchg bx,cx: not equal", R4(5, 9, 0, 7), 0x2, R4(7, 9, 0, 7), 0x2 | CF | SF | AF, 0x0f, 0xb1, 0xcb);
    RC("cmpxchg dl,cl: AL = DL (EAX upper kept)", R4(0x12345680, 0x11, 0x22, 0), 0x2, R4(0x12345622, 0x11, 0x22, 0),
       0x2 | OF | AF, 0x0f, 0xb0, 0xca);
    RC("cmpxchg al,cl: AL against itself, equal", R4(0x12345680, 0x11, 0, 0), 0x2, R4(0x12345611, 0x11, 0, 0),
       0x2 | ZF | PF, 0x0f, 0xb0, 0xc8);

    struct emu_cpu c, w;
    SETUP(&c, 0x0f, 0xc0, 0x3f); /* xadd [bx], bh: the address uses BX before BH changes */
    c.gpr[EMU_EBX] = 0x0100;
    poke(DS_BASE + 0x100, 1, 0x05);
    w = c;
    STEP_OK(&c);
    want(DS_BASE + 0x100, 1, 0x06);
    w.gpr[EMU_EBX] = 0x0500;
    w.eflags = 0x2 | PF;
    w.eip = IP0 + 3;
    CHECK_CPU(&c, &w);
    CHECK_MEM();

    SETUP(&c, 0xf0, 0x0f, 0xc7, 0x0e, 0x00, 0x01); /* lock cmpxchg8b [0100]: equal */
    poke(DS_BASE + 0x100, 4, 0x22222222);
    poke(DS_BASE + 0x104, 4, 0x11111111);
    c.gpr[EMU_EAX] = 0x22222222;
    c.gpr[EMU_EDX] = 0x11111111;
    c.gpr[EMU_EBX] = 0xbbbbbbbb;
    c.gpr[EMU_ECX] = 0xcccccccc;
    w = c;
    STEP_OK(&c);
    want(DS_BASE + 0x100, 4, 0xbbbbbbbb);
    want(DS_BASE + 0x104, 4, 0xcccccccc);
    w.eflags |= ZF;
    w.eip = IP0 + 6;
    CHECK_CPU(&c, &w);
    CHECK_MEM();
    CHECK_STR(emu_insn_name(&insn), "grp9");

    SETUP(&c, 0x0f, 0xc7, 0x0e, 0x00, 0x01); /* cmpxchg8b [0100]: not equal */
    poke(DS_BASE + 0x100, 4, 0x22222222);
    poke(DS_BASE + 0x104, 4, 0x11111111);
    c.eflags |= ZF;
    w = c;
    STEP_OK(&c);
    w.gpr[EMU_EAX] = 0x22222222;
    w.gpr[EMU_EDX] = 0x11111111;
    w.eflags &= ~ZF;
    w.eip = IP0 + 5;
    CHECK_CPU(&c, &w);
    CHECK_MEM();

    SETUP(&c, 0x0f, 0xc7, 0xc8); /* cmpxchg8b with a register operand: #UD */
    w = c;
    STEP_FAULT(&c, 6);
    CHECK_CPU(&c, &w);
}

static void bswap_32_and_16(void)
{
    RC("bswap eax", R4(0x12345678, 0, 0, 0), 0x2, R4(0x78563412, 0, 0, 0), 0x2, 0x66, 0x0f, 0xc8);
    RC("bswap ebx", R4(0, 0, 0, 0xaabbccdd), 0x2, R4(0, 0, 0, 0xddccbbaa), 0x2, 0x66, 0x0f, 0xcb);
    /* 16-bit operand: undefined in the SDM; CPUs (and emu.c) clear the 16-bit register */
    RC("bswap cx", R4(0, 0x12345678, 0, 0), 0x2, R4(0, 0x12340000, 0, 0), 0x2, 0x0f, 0xc9);
}

static void xlat_lahf_sahf(void)
{
    struct emu_cpu c, w;
    SETUP(&c, 0xd7,   /* xlat */
          0x26, 0xd7, /* es: xlat */
          0xd7);      /* xlat with BX + AL wrapping at 64 KiB */
    c.gpr[EMU_EBX] = 0x0200;
    c.gpr[EMU_EAX] = 0xaaaa0005;
    poke(DS_BASE + 0x205, 1, 0x99);
    poke(ES_BASE + 0x299, 1, 0xfe);
    poke(DS_BASE + 0x0001, 1, 0x42);
    w = c;
    STEP_OK(&c);
    CHECK_EQ(c.gpr[EMU_EAX], 0xaaaa0099);
    STEP_OK(&c);
    CHECK_EQ(c.gpr[EMU_EAX], 0xaaaa00fe);
    c.gpr[EMU_EBX] = 0xffff;
    c.gpr[EMU_EAX] = 0x02;
    STEP_OK(&c);
    CHECK_EQ(c.gpr[EMU_EAX], 0x42);
    CHECK_EQ(c.eip, IP0 + 4);
    CHECK_STR(emu_insn_name(&insn), "xlat");

    RC("lahf: SF ZF AF PF CF and bit 1", R4(0x12345678, 0, 0, 0), 0x2 | ARITH, R4(0x1234d778, 0, 0, 0), 0x2 | ARITH,
       0x9f);
    RC("sahf: OF and bit 1 unaffected", R4(0xff00, 0, 0, 0), 0x2 | OF, R4(0xff00, 0, 0, 0), 0x2 | OF | 0xd5, 0x9e);
    RC("sahf clears", R4(0x0000, 0, 0, 0), 0x2 | 0xd5, R4(0, 0, 0, 0), 0x2, 0x9e);
    (void)w;
}

static void les_lds_lss_lfs_lgs(void)
{
    struct emu_cpu c, w;
    SETUP(&c, 0xc5, 0x36, 0x00, 0x01); /* lds si, [0100] */
    poke(DS_BASE + 0x100, 2, 0x1234);
    poke(DS_BASE + 0x102, 2, 0x5000);
    c.seg[EMU_DS].limit = 0x1ffff; /* a big-real-mode limit survives the load */
    w = c;
    STEP_OK(&c);
    w.gpr[EMU_ESI] = 0x1234;
    w.seg[EMU_DS].sel = 0x5000;
    w.seg[EMU_DS].base = 0x50000;
    w.eip = IP0 + 4;
    CHECK_CPU(&c, &w);
    CHECK_STR(emu_insn_name(&insn), "lds");

    SETUP(&c, 0x66, 0x0f, 0xb2, 0x26, 0x00, 0x01); /* lss esp, [0100] (m16:32) */
    poke(DS_BASE + 0x100, 4, 0x0000fffe);
    poke(DS_BASE + 0x104, 2, 0x7000);
    w = c;
    STEP_OK(&c);
    w.gpr[EMU_ESP] = 0xfffe;
    w.seg[EMU_SS].sel = 0x7000;
    w.seg[EMU_SS].base = 0x70000;
    w.eip = IP0 + 6;
    CHECK_CPU(&c, &w);
    CHECK_STR(emu_insn_name(&insn), "lss");

    SETUP(&c, 0xc4, 0x1f,    /* les bx, [bx] */
          0x0f, 0xb4, 0x07,  /* lfs ax, [bx] */
          0x0f, 0xb5, 0x0f); /* lgs cx, [bx] */
    c.gpr[EMU_EBX] = 0x40;
    poke(DS_BASE + 0x40, 2, 0x0080);
    poke(DS_BASE + 0x42, 2, 0x1111);
    poke(DS_BASE + 0x80, 2, 0xaaaa);
    poke(DS_BASE + 0x82, 2, 0x2222);
    w = c;
    STEP_OK(&c); /* BX = 0080, ES = 1111 */
    STEP_OK(&c); /* AX = AAAA, FS = 2222 */
    STEP_OK(&c); /* CX = AAAA, GS = 2222 */
    w.gpr[EMU_EBX] = 0x80;
    w.gpr[EMU_EAX] = 0xaaaa;
    w.gpr[EMU_ECX] = 0xaaaa;
    w.seg[EMU_ES].sel = 0x1111;
    w.seg[EMU_ES].base = 0x11110;
    w.seg[EMU_FS].sel = 0x2222;
    w.seg[EMU_FS].base = 0x22220;
    w.seg[EMU_GS].sel = 0x2222;
    w.seg[EMU_GS].base = 0x22220;
    w.eip = IP0 + 8;
    CHECK_CPU(&c, &w);

    SETUP(&c, 0xc5, 0x36, 0xfe, 0xff); /* lds si, [FFFE]: the selector at 10000 is beyond the limit */
    w = c;
    STEP_FAULT(&c, 13);
    CHECK_CPU(&c, &w);

    SETUP(&c, 0xc5, 0xc0); /* lds with a register operand: #UD */
    w = c;
    STEP_FAULT(&c, 6);
    CHECK_CPU(&c, &w);
}

static void bound_raises_br(void)
{
    struct emu_cpu c, w;
    static const uint32_t idx[] = { 5, 0xfff0, 0x0010, 0x0011, 0xffef };
    static const int ok[] = { 1, 1, 1, 0, 0 };
    for (unsigned k = 0; k < 5; k++) {
        SETUP(&c, 0x62, 0x06, 0x00, 0x01); /* bound ax, [0100]: -16 .. 16 */
        poke(DS_BASE + 0x100, 2, 0xfff0);
        poke(DS_BASE + 0x102, 2, 0x0010);
        c.gpr[EMU_EAX] = idx[k];
        w = c;
        if (ok[k]) {
            STEP_OK(&c);
            w.eip = IP0 + 4;
        } else {
            STEP_FAULT(&c, 5);
        }
        CHECK_CPU(&c, &w);
    }
    SETUP(&c, 0x66, 0x62, 0x06, 0x00, 0x01); /* bound eax, [0100]: -2^31 .. 0 */
    poke(DS_BASE + 0x100, 4, 0x80000000);
    poke(DS_BASE + 0x104, 4, 0);
    c.gpr[EMU_EAX] = 1;
    w = c;
    STEP_FAULT(&c, 5);
    CHECK_CPU(&c, &w);
    c.gpr[EMU_EAX] = 0x80000000;
    STEP_OK(&c);
    CHECK_STR(emu_insn_name(&insn), "bound");
}

static void enter_and_leave(void)
{
    struct emu_cpu c, w;
    SETUP(&c, 0xc8, 0x08, 0x00, 0x00); /* enter 8, 0 */
    c.gpr[EMU_EBP] = 0xabcd1234;
    w = c;
    STEP_OK(&c);
    want(SS_BASE + 0xffee, 2, 0x1234);
    w.gpr[EMU_EBP] = 0xabcdffee;
    w.gpr[EMU_ESP] = 0xffe6;
    w.eip = IP0 + 4;
    CHECK_CPU(&c, &w);
    CHECK_MEM();

    SETUP(&c, 0xc8, 0x04, 0x00, 0x02); /* enter 4, 2: one frame pointer copied from [BP-2], then FrameTemp */
    c.gpr[EMU_EBP] = 0xff00;
    poke(SS_BASE + 0xfefe, 2, 0xaaaa);
    w = c;
    STEP_OK(&c);
    want(SS_BASE + 0xffee, 2, 0xff00);
    want(SS_BASE + 0xffec, 2, 0xaaaa);
    want(SS_BASE + 0xffea, 2, 0xffee);
    w.gpr[EMU_EBP] = 0xffee;
    w.gpr[EMU_ESP] = 0xffe6;
    w.eip = IP0 + 4;
    CHECK_CPU(&c, &w);
    CHECK_MEM();

    SETUP(&c, 0x66, 0xc8, 0x00, 0x00, 0x21); /* o32 enter 0, 33 -> level 1: FrameTemp pushed as a dword */
    c.gpr[EMU_ESP] = 0xabcdfff0;
    c.gpr[EMU_EBP] = 0x12345678;
    w = c;
    STEP_OK(&c);
    want(SS_BASE + 0xffec, 4, 0x12345678);
    want(SS_BASE + 0xffe8, 4, 0x0000ffec);
    w.gpr[EMU_EBP] = 0x1234ffec; /* the 16-bit stack: BP gets FrameTemp */
    w.gpr[EMU_ESP] = 0xabcdffe8;
    w.eip = IP0 + 5;
    CHECK_CPU(&c, &w);
    CHECK_MEM();
    CHECK_STR(emu_insn_name(&insn), "enter");

    SETUP(&c, 0xc9,    /* leave */
          0x66, 0xc9); /* o32 leave */
    c.gpr[EMU_EBP] = 0x5555ffe0;
    c.gpr[EMU_ESP] = 0x77770000;
    poke(SS_BASE + 0xffe0, 2, 0xffe8);
    poke(SS_BASE + 0xffe8, 4, 0x87654321);
    w = c;
    STEP_OK(&c);
    w.gpr[EMU_ESP] = 0x7777ffe2;
    w.gpr[EMU_EBP] = 0x5555ffe8;
    w.eip = IP0 + 1;
    CHECK_CPU(&c, &w);
    STEP_OK(&c);
    w.gpr[EMU_ESP] = 0x7777ffec;
    w.gpr[EMU_EBP] = 0x87654321;
    w.eip = IP0 + 3;
    CHECK_CPU(&c, &w);
    CHECK_STR(emu_insn_name(&insn), "leave");

    SETUP(&c, 0xc8, 0x00, 0x00, 0x00); /* enter 0, 0 with SP = 1: the push straddles SS:FFFF, #SS */
    c.gpr[EMU_ESP] = 1;
    w = c;
    STEP_FAULT(&c, 12);
    CHECK_CPU(&c, &w);
}

static void string_ops_with_overrides_counts_and_direction(void)
{
    struct emu_cpu c, w;
    SETUP(&c, 0xf3, 0x26, 0xa5); /* rep movsw es:[si] -> es:[di], DF = 1, CX = 3 (ECX upper ignored) */
    c.eflags |= DF;
    c.gpr[EMU_ECX] = 0xabcd0003;
    c.gpr[EMU_ESI] = 0x1234000c;
    c.gpr[EMU_EDI] = 0x00000104;
    poke(ES_BASE + 0x8, 2, 0x1111);
    poke(ES_BASE + 0xa, 2, 0x2222);
    poke(ES_BASE + 0xc, 2, 0x3333);
    w = c;
    STEP_OK(&c);
    want(ES_BASE + 0x104, 2, 0x3333);
    want(ES_BASE + 0x102, 2, 0x2222);
    want(ES_BASE + 0x100, 2, 0x1111);
    w.gpr[EMU_ECX] = 0xabcd0000;
    w.gpr[EMU_ESI] = 0x12340006;
    w.gpr[EMU_EDI] = 0x000000fe;
    w.eip = IP0 + 3;
    CHECK_CPU(&c, &w);
    CHECK_MEM();

    SETUP(&c, 0x67, 0xf3, 0x66, 0xab); /* a32 rep stosd: ECX, EDI */
    c.gpr[EMU_ECX] = 2;
    c.gpr[EMU_EDI] = 0x0000fff0;
    c.gpr[EMU_EAX] = 0xdeadbeef;
    w = c;
    STEP_OK(&c);
    want(ES_BASE + 0xfff0, 4, 0xdeadbeef);
    want(ES_BASE + 0xfff4, 4, 0xdeadbeef);
    w.gpr[EMU_ECX] = 0;
    w.gpr[EMU_EDI] = 0xfff8;
    w.eip = IP0 + 4;
    CHECK_CPU(&c, &w);
    CHECK_MEM();

    SETUP(&c, 0xaf); /* scasw: AX - [DI] sets the flags */
    c.gpr[EMU_EAX] = 0x0001;
    c.gpr[EMU_EDI] = 0x20;
    poke(ES_BASE + 0x20, 2, 0x0002);
    w = c;
    STEP_OK(&c);
    w.gpr[EMU_EDI] = 0x22;
    w.eflags = 0x2 | CF | SF | AF | PF;
    w.eip = IP0 + 1;
    CHECK_CPU(&c, &w);

    SETUP(&c, 0xf3, 0xa4); /* rep movsb with SI wrapping at 64 KiB */
    c.gpr[EMU_ECX] = 2;
    c.gpr[EMU_ESI] = 0xffff;
    c.gpr[EMU_EDI] = 0x10;
    poke(DS_BASE + 0xffff, 1, 0x77);
    poke(DS_BASE + 0x0000, 1, 0x88);
    w = c;
    STEP_OK(&c);
    want(ES_BASE + 0x10, 1, 0x77);
    want(ES_BASE + 0x11, 1, 0x88);
    w.gpr[EMU_ECX] = 0;
    w.gpr[EMU_ESI] = 0x0001;
    w.gpr[EMU_EDI] = 0x12;
    w.eip = IP0 + 2;
    CHECK_CPU(&c, &w);
    CHECK_MEM();
}

static void far_call_o32_and_iret_round_trip(void)
{
    struct emu_cpu c, w;
    SETUP(&c, 0x66, 0x9a, 0x78, 0x56, 0x00, 0x00, 0x00, 0x20); /* o32 call 2000:00005678: dword pushes */
    w = c;
    STEP_OK(&c);
    want(SS_BASE + 0xffec, 4, 0x00001000);
    want(SS_BASE + 0xffe8, 4, IP0 + 8);
    w.gpr[EMU_ESP] = 0xffe8;
    w.seg[EMU_CS].sel = 0x2000;
    w.seg[EMU_CS].base = 0x20000;
    w.eip = 0x5678;
    CHECK_CPU(&c, &w);
    CHECK_MEM();

    SETUP(&c, 0x66, 0xff, 0x1f); /* o32 call far [bx] */
    c.gpr[EMU_EBX] = 0x80;
    poke(DS_BASE + 0x80, 4, 0x00000010);
    poke(DS_BASE + 0x84, 2, 0x3000);
    w = c;
    STEP_OK(&c);
    want(SS_BASE + 0xffec, 4, 0x00001000);
    want(SS_BASE + 0xffe8, 4, IP0 + 3);
    w.gpr[EMU_ESP] = 0xffe8;
    w.seg[EMU_CS].sel = 0x3000;
    w.seg[EMU_CS].base = 0x30000;
    w.eip = 0x10;
    CHECK_CPU(&c, &w);
    CHECK_MEM();
}

static void int1_delivers_vector_1(void)
{
    struct emu_cpu c, w;
    SETUP(&c, 0xf1); /* int1 (ICEBP): a trap through IVT entry 1 */
    poke(1 * 4, 4, 0xc000abcd);
    c.eflags = 0x2 | IF | TF;
    w = c;
    STEP_OK(&c);
    want(SS_BASE + 0xffee, 2, 0x2 | IF | TF);
    want(SS_BASE + 0xffec, 2, 0x1000);
    want(SS_BASE + 0xffea, 2, IP0 + 1);
    w.gpr[EMU_ESP] = 0xffea;
    w.eflags = 0x2;
    w.seg[EMU_CS].sel = 0xc000;
    w.seg[EMU_CS].base = 0xc0000;
    w.eip = 0xabcd;
    CHECK_CPU(&c, &w);
    CHECK_MEM();
    CHECK_STR(emu_insn_name(&insn), "int1");
}

static void x87_and_wait_follow_cr0_em_mp_ts(void)
{
    struct emu_cpu c, w;
    SETUP(&c, 0xd9, 0xe8); /* fld1 */
    w = c;
    CHECK_RESULT(step(&c), EMU_UNSUPPORTED);
    CHECK_CPU(&c, &w);
    CHECK_STR(emu_insn_name(&insn), "fpu");
    CHECK_EQ(insn.len, 2);

    SETUP(&c, 0xdd, 0x46, 0x10); /* fld qword [bp+10]: #NM with CR0.TS */
    c.cr0 = 0x10 | 0x8;
    w = c;
    STEP_FAULT(&c, 7);
    CHECK_CPU(&c, &w);
    c.cr0 = 0x10 | 0x4; /* EM */
    w = c;
    STEP_FAULT(&c, 7);
    CHECK_CPU(&c, &w);

    SETUP(&c, 0x9b); /* wait: nothing, unless MP and TS */
    c.cr0 = 0x10 | 0x8 | 0x4;
    w = c;
    STEP_OK(&c);
    w.eip = IP0 + 1;
    CHECK_CPU(&c, &w);
    c.eip = IP0;
    c.cr0 = 0x10 | 0x8 | 0x2;
    w = c;
    STEP_FAULT(&c, 7);
    CHECK_CPU(&c, &w);
}

static void rdtsc_reads_msr_10h_through_rdmsr(void)
{
    struct emu_cpu c, w;
    SETUP(&c, 0x0f, 0x31);
    fk.msr_10 = 0x0000000abcdef012ull;
    w = c;
    STEP_OK(&c);
    w.gpr[EMU_EAX] = 0xbcdef012;
    w.gpr[EMU_EDX] = 0xa;
    w.eip = IP0 + 2;
    CHECK_CPU(&c, &w);
    CHECK_STR(emu_insn_name(&insn), "rdtsc");

    static const struct emu_ops no_msr = { .read = f_read,
                                           .write = f_write,
                                           .in = f_in,
                                           .out = f_out,
                                           .write_cr = f_write_cr,
                                           .halt = f_halt,
                                           .cpuid = f_cpuid };
    SETUP(&c, 0x0f, 0x31);
    w = c;
    CHECK_RESULT(emu_step(&c, &no_msr, &insn, &fault), EMU_UNSUPPORTED);
    CHECK_CPU(&c, &w);
}

static void system_calls_and_rsm_fault_in_real_mode(void)
{
    static const struct {
        uint8_t code[2];
        int vec;
    } t[] = { { { 0x0f, 0x05 }, 6 },   /* syscall */
              { { 0x0f, 0x07 }, 6 },   /* sysret */
              { { 0x0f, 0x34 }, 13 },  /* sysenter: #GP(0) with PE = 0 */
              { { 0x0f, 0x35 }, 13 },  /* sysexit */
              { { 0x0f, 0xaa }, 6 } }; /* rsm outside SMM */
    for (unsigned k = 0; k < sizeof t / sizeof t[0]; k++) {
        struct emu_cpu c, w;
        setup(&c, t[k].code, 2);
        w = c;
        CHECK_RESULT(step(&c), EMU_FAULT);
        CHECK(fault == t[k].vec, "0f %02x: fault %d; wanted %d", t[k].code[1], fault, t[k].vec);
        CHECK_CPU(&c, &w);
    }
}

static void test_alias_f6_1_and_hint_nops(void)
{
    RC("test al,imm8 through F6 /1", R4(0x80, 0, 0, 0), 0x2 | CF | OF, R4(0x80, 0, 0, 0), 0x2 | SF, 0xf6, 0xc8, 0x80);
    RC("0F 18 /0 with a register operand: hint NOP", R4(1, 2, 3, 4), 0x2, R4(1, 2, 3, 4), 0x2, 0x0f, 0x18, 0xc0);
    RC("F3 0F 1E FA (endbr64)", R4(1, 2, 3, 4), 0x2, R4(1, 2, 3, 4), 0x2, 0xf3, 0x0f, 0x1e, 0xfa);
    RC("pause", R4(1, 2, 3, 4), 0x2, R4(1, 2, 3, 4), 0x2, 0xf3, 0x90);
}

/* ======================= decode errors, names ======================= */

static void unknown_opcode_is_ud(void)
{
    static const uint8_t bad[][3] = {
        { 0x0f, 0x0a },                       /* undefined two-byte opcode */
        { 0x0f, 0x04 },       { 0x8f, 0xc8 }, /* 8F /1 */
        { 0xfe, 0xd0 },                       /* FE /2 */
        { 0xff, 0xf8 },                       /* FF /7 */
        { 0x0f, 0xba, 0xc0 },                 /* 0F BA /0 */
    };
    for (unsigned k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        struct emu_cpu c, w;
        setup(&c, bad[k], 3);
        w = c;
        CHECK(emu_decode(&c, &ops, &insn, &fault) == -1 && fault == 6, "%02x %02x: decode gave fault %d", bad[k][0],
              bad[k][1], fault);
        fault = -1;
        CHECK_RESULT(step(&c), EMU_FAULT);
        CHECK(fault == 6, "%02x %02x: fault = %d; wanted 6", bad[k][0], bad[k][1], fault);
        CHECK_CPU(&c, &w);
        CHECK_STR(emu_insn_name(&insn), "unknown");
    }
}

static void ud2_and_real_mode_only_ud_instructions_fault(void)
{
    static const uint8_t ud[][3] = {
        { 0x0f, 0x0b },       /* UD2 */
        { 0x63, 0xc0 },       /* ARPL: not recognized in real mode */
        { 0x0f, 0x00, 0xc0 }, /* SLDT */
        { 0x0f, 0x02, 0xc0 }, /* LAR */
    };
    for (unsigned k = 0; k < sizeof ud / sizeof ud[0]; k++) {
        struct emu_cpu c, w;
        setup(&c, ud[k], 3);
        w = c;
        CHECK_RESULT(step(&c), EMU_FAULT);
        CHECK(fault == 6, "%02x %02x: fault = %d; wanted 6", ud[k][0], ud[k][1], fault);
        CHECK_CPU(&c, &w);
    }
}

static void known_but_not_emulated_is_unsupported(void)
{
    struct emu_cpu c, w;
    SETUP(&c, 0x26, 0x0f, 0x0d, 0x4f, 0x08); /* prefetchw es:[bx+8] */
    w = c;
    CHECK_RESULT(step(&c), EMU_UNSUPPORTED);
    CHECK_CPU(&c, &w);
    CHECK_EQ(insn.len, 5);
    CHECK_EQ(insn.bytes[0], 0x26);
    CHECK_EQ(insn.bytes[4], 0x08);
    CHECK_EQ(insn.bytes[5], 0);
    CHECK_STR(emu_insn_name(&insn), "prefetch");

    SETUP(&c, 0x0f, 0x33); /* rdpmc */
    CHECK_RESULT(step(&c), EMU_UNSUPPORTED);
    CHECK_STR(emu_insn_name(&insn), "rdpmc");

    SETUP(&c, 0xf3, 0x0f, 0xb8, 0xc1); /* popcnt */
    CHECK_RESULT(step(&c), EMU_UNSUPPORTED);
    CHECK_STR(emu_insn_name(&insn), "popcnt");

    SETUP(&c, 0x66, 0x0f, 0x3a, 0x0f, 0xc1, 0x08); /* palignr: three-byte map with ModRM and imm8 */
    CHECK_RESULT(step(&c), EMU_UNSUPPORTED);
    CHECK_EQ(insn.len, 6);

    SETUP(&c, 0xc8, 0x10, 0x00, 0x01); /* enter 10, 1: imm16 and imm8 */
    CHECK_EQ(emu_decode(&c, &ops, &insn, &fault), 0);
    CHECK_EQ(insn.len, 4);
    CHECK_EQ(insn.imm, 0x10);
    CHECK_EQ(insn.imm2, 1);
}

static void decode_fields(void)
{
    struct emu_cpu c;
    SETUP(&c, 0x2e, 0x66, 0x67, 0xf3, 0x81, 0x84, 0x48, 0xf0, 0xff, 0xff, 0xff, 0x78, 0x56, 0x34, 0x12);
    /* cs o32 a32 rep add dword [eax+ecx*2-10h], 12345678 */
    CHECK_EQ(emu_decode(&c, &ops, &insn, &fault), 0);
    CHECK_EQ(insn.len, 15);
    CHECK_EQ(insn.seg, EMU_CS);
    CHECK_EQ(insn.opsize32, 1);
    CHECK_EQ(insn.addrsize32, 1);
    CHECK_EQ(insn.rep, 0xf3);
    CHECK_EQ(insn.opcode, 0x81);
    CHECK_EQ(insn.has_modrm, 1);
    CHECK_EQ(insn.mod, 2);
    CHECK_EQ(insn.reg, 0);
    CHECK_EQ(insn.rm, 4);
    CHECK_EQ(insn.has_sib, 1);
    CHECK_EQ(insn.sib, 0x48);
    CHECK_EQ(insn.disp, -16);
    CHECK_EQ(insn.imm, 0x12345678);
    CHECK_STR(emu_insn_name(&insn), "add");

    SETUP(&c, 0x83, 0x46, 0xfe, 0x80); /* add word [bp-2], -128 */
    CHECK_EQ(emu_decode(&c, &ops, &insn, &fault), 0);
    CHECK_EQ(insn.len, 4);
    CHECK_EQ(insn.disp, -2);
    CHECK_EQ(insn.imm, 0xffffff80);
    CHECK_EQ(insn.seg, -1);
}

static void insn_names(void)
{
    static const struct {
        uint8_t code[6];
        const char *name;
    } t[] = {
        { { 0xfa }, "cli" },
        { { 0xfb }, "sti" },
        { { 0x9c }, "pushf" },
        { { 0x9d }, "popf" },
        { { 0xcd, 0x10 }, "int" },
        { { 0xcc }, "int3" },
        { { 0xce }, "into" },
        { { 0xcf }, "iret" },
        { { 0xe4, 0x60 }, "in" },
        { { 0xed }, "in" },
        { { 0xee }, "out" },
        { { 0x6c }, "ins" },
        { { 0x6f }, "outs" },
        { { 0xf4 }, "hlt" },
        { { 0x0f, 0x20, 0xc0 }, "mov_cr" },
        { { 0x0f, 0x01, 0xf0 }, "lmsw" },
        { { 0x0f, 0x01, 0xe0 }, "smsw" },
        { { 0x0f, 0x01, 0x16, 0, 0 }, "lgdt" },
        { { 0x0f, 0x01, 0x1e, 0, 0 }, "lidt" },
        { { 0x0f, 0x01, 0x06, 0, 0 }, "sgdt" },
        { { 0x0f, 0x01, 0x0e, 0, 0 }, "sidt" },
        { { 0x0f, 0x06 }, "clts" },
        { { 0x0f, 0x32 }, "rdmsr" },
        { { 0x0f, 0x30 }, "wrmsr" },
        { { 0x0f, 0xa2 }, "cpuid" },
        { { 0x0f, 0x09 }, "wbinvd" },
        { { 0x0f, 0x08 }, "invd" },
        { { 0x8e, 0xd8 }, "mov_sreg" },
        { { 0x8c, 0xd8 }, "mov_sreg" },
        { { 0x1e }, "push_sreg" },
        { { 0x0f, 0xa8 }, "push_sreg" },
        { { 0x1f }, "pop_sreg" },
        { { 0xea, 0, 0, 0, 0 }, "jmp_far" },
        { { 0x9a, 0, 0, 0, 0 }, "call_far" },
        { { 0xcb }, "retf" },
        { { 0xca, 0, 0 }, "retf" },
        { { 0x01, 0xc0 }, "add" },
        { { 0x80, 0xf8, 1 }, "cmp" },
        { { 0xf7, 0xd8 }, "neg" },
        { { 0x90 }, "nop" },
        { { 0x0f, 0x1f, 0x00 }, "nop" },
        { { 0x0f, 0xb6, 0xc0 }, "movzx" },
        { { 0xa5 }, "movs" },
        { { 0xe3, 0 }, "jcxz" },
        { { 0x98 }, "cbw" },
        { { 0x0f, 0x0a }, "unknown" },
    };
    for (unsigned k = 0; k < sizeof t / sizeof t[0]; k++) {
        struct emu_cpu c;
        setup(&c, t[k].code, sizeof t[k].code);
        emu_decode(&c, &ops, &insn, &fault);
        const char *n = emu_insn_name(&insn);
        CHECK(check_streq(n, t[k].name), "%02x %02x %02x: name \"%s\"; wanted \"%s\"", t[k].code[0], t[k].code[1],
              t[k].code[2], n, t[k].name);
    }
}

int main(void)
{
    RUN(cli_clears_if_and_sti_sets_it);
    RUN(pushf_pushes_flags_low_word);
    RUN(pushfd_clears_vm_and_rf_in_the_image);
    RUN(popf_loads_every_low_flag_including_iopl_and_nt);
    RUN(popfd_keeps_vm_rf_vif_vip);
    RUN(clc_stc_cmc_cld_std);
    RUN(int_n_pushes_flags_cs_ip_and_loads_ivt);
    RUN(int3_and_into_use_vectors_3_and_4);
    RUN(iret_pops_ip_cs_flags);
    RUN(iretd_masks_popped_eflags);
    RUN(iretd_beyond_cs_limit_is_gp);
    RUN(real_mode_interrupt_loads_ivt_and_clears_if_tf_ac);
    RUN(real_mode_interrupt_wraps_sp);
    RUN(real_mode_interrupt_without_stack_room_is_ss_fault);
    RUN(in_out_imm8_and_dx_in_all_sizes);
    RUN(rep_outsb_sends_cx_bytes_and_advances_si);
    RUN(rep_outs_with_zero_count_does_nothing);
    RUN(rep_insw_with_df_decrements_di);
    RUN(outsd_with_32bit_addresses_uses_esi_and_ecx);
    RUN(ins_checks_the_destination_before_reading_the_port);
    RUN(hlt_advances_eip_then_calls_halt);
    RUN(mov_cr0_setting_pe_returns_pe_set);
    RUN(mov_cr0_keeping_pe_clear_is_ok);
    RUN(mov_from_cr3_writes_the_32bit_register_and_ignores_mod);
    RUN(mov_cr4_and_cr2_go_through_write_cr);
    RUN(mov_cr1_and_cr5_are_ud);
    RUN(mov_dr_goes_through_the_dr_ops_and_ignores_mod);
    RUN(mov_dr4_dr5_alias_dr6_dr7_unless_cr4_de);
    RUN(write_cr_veto_is_gp);
    RUN(mov_cr0_pg_without_pe_is_gp);
    RUN(lmsw_setting_pe_returns_pe_set);
    RUN(lmsw_cannot_clear_pe);
    RUN(smsw_register_uses_operand_size_memory_16_bits);
    RUN(lgdt_16bit_operand_loads_24bit_base);
    RUN(lidt_32bit_operand_loads_full_base);
    RUN(sgdt_sidt_store_limit_and_base);
    RUN(sgdt_beyond_ds_limit_writes_nothing);
    RUN(group7_register_forms_are_unsupported);
    RUN(clts_clears_ts);
    RUN(rdmsr_wrmsr_go_through_ops);
    RUN(rdmsr_refused_is_gp);
    RUN(cpuid_goes_through_ops);
    RUN(invd_wbinvd_only_advance_eip);
    RUN(endbr32_is_nop);
    RUN(mov_to_sreg_loads_base_and_keeps_limit);
    RUN(mov_to_cs_is_ud);
    RUN(mov_from_sreg_memory_is_16bit_register_zero_extends);
    RUN(push_pop_segment_registers);
    RUN(jmp_far_direct_loads_cs_ip);
    RUN(jmp_far_beyond_cs_limit_is_gp);
    RUN(call_far_direct_pushes_cs_ip);
    RUN(call_far_indirect_and_jmp_far_indirect);
    RUN(retf_and_retf_imm16);
    RUN(mov_register_memory_immediate_forms);
    RUN(mov_moffs_with_segment_override_and_32bit_address);
    RUN(lea_computes_offset_without_memory_access);
    RUN(lea_register_form_is_ud);
    RUN(xchg_forms);
    RUN(movzx_movsx);
    RUN(cbw_cwde_cwd_cdq);
    RUN(push_pop_registers_immediates_memory);
    RUN(pop_sp_and_pop_to_esp_based_memory);
    RUN(pusha_popa_16_and_32);
    RUN(push_beyond_ss_limit_is_ss_fault);
    RUN(push_wraps_sp_at_64k);
    RUN(add_sets_of_and_cf);
    RUN(adc_sbb_use_the_carry);
    RUN(sub_and_cmp_flags);
    RUN(logic_ops_clear_cf_of_and_leave_af);
    RUN(inc_dec_keep_cf);
    RUN(neg_not_test);
    RUN(alu_memory_destination_and_lock);
    RUN(lock_on_a_register_or_non_lockable_instruction_is_ud);
    RUN(modrm16_bp_defaults_to_ss);
    RUN(modrm16_disp16_negative_disp8_and_wrap);
    RUN(sib32_scaled_index);
    RUN(segment_limit_violation_is_gp);
    RUN(fetch_past_cs_limit_is_gp);
    RUN(instruction_longer_than_15_bytes_is_gp);
    RUN(repeated_prefixes_last_segment_wins);
    RUN(memory_fault_from_ops_is_reported_and_changes_nothing);
    RUN(code_fetch_fault_is_reported);
    RUN(jmp_short_near_and_indirect);
    RUN(jcc_short_and_near);
    RUN(call_ret_near);
    RUN(loop_loope_loopne_jcxz);
    RUN(movs_stos_lods);
    RUN(repe_cmpsb_stops_at_the_first_difference);
    RUN(repne_scasb_stops_at_the_match);
    RUN(rep_fault_keeps_the_completed_iterations);
    RUN(shl_shr_sar_flags_and_counts);
    RUN(rotates_and_rotates_through_carry);
    RUN(shld_shrd);
    RUN(mul_and_imul);
    RUN(div_and_idiv_with_de);
    RUN(bcd_adjustments);
    RUN(bt_bts_btr_btc_register_and_immediate);
    RUN(bt_memory_bit_offset_addresses_other_words);
    RUN(bsf_bsr);
    RUN(setcc_and_cmovcc);
    RUN(xadd_cmpxchg_cmpxchg8b);
    RUN(bswap_32_and_16);
    RUN(xlat_lahf_sahf);
    RUN(les_lds_lss_lfs_lgs);
    RUN(bound_raises_br);
    RUN(enter_and_leave);
    RUN(string_ops_with_overrides_counts_and_direction);
    RUN(far_call_o32_and_iret_round_trip);
    RUN(int1_delivers_vector_1);
    RUN(x87_and_wait_follow_cr0_em_mp_ts);
    RUN(rdtsc_reads_msr_10h_through_rdmsr);
    RUN(system_calls_and_rsm_fault_in_real_mode);
    RUN(test_alias_f6_1_and_hint_nops);
    RUN(unknown_opcode_is_ud);
    RUN(ud2_and_real_mode_only_ud_instructions_fault);
    RUN(known_but_not_emulated_is_unsupported);
    RUN(decode_fields);
    RUN(insn_names);
    return check_summary();
}
