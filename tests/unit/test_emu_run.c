/* test_emu_run.c - emu_run, the way vmxassist's mode=emulate runs the
 * emulator: memory read and written directly (emu_ops ram/ram_end), the
 * cache of decoded instructions, REP MOVS/STOS moving whole runs, counting by
 * instruction id, and the boundaries where emu_run hands back (IF changes,
 * a pending interrupt, a watched instruction, HLT). test_emu.c covers the
 * instructions themselves through emu_step. */
#include "check.h"
#include "../../vmxassist/emu.h"

#define MEM_SIZE (0x100000 + 0x10000)
#define CS_BASE 0x10000u
#define ES_BASE 0x30000u
#define IP0 0x0100u

static uint8_t mem[MEM_SIZE];
static unsigned cb_writes; /* writes that went through the callback */
static struct emu_icache icache;
static uint32_t counts[EMU_N_INSN];
static uint8_t map[EMU_N_INSN];
static volatile int irq = -1;

static int f_read(void *ctx, uint32_t lin, void *buf, unsigned len)
{
    (void)ctx;
    if (lin >= MEM_SIZE || len > MEM_SIZE - lin)
        return 13;
    memcpy(buf, &mem[lin], len);
    return 0;
}

static int f_write(void *ctx, uint32_t lin, const void *buf, unsigned len)
{
    (void)ctx;
    if (lin >= MEM_SIZE || len > MEM_SIZE - lin)
        return 13;
    cb_writes++;
    memcpy(&mem[lin], buf, len);
    return 0;
}

static struct emu_ops ops;

static void setup(struct emu_cpu *c, const uint8_t *code, unsigned n)
{
    memset(mem, 0, sizeof mem);
    memset(&icache, 0, sizeof icache);
    memset(counts, 0, sizeof counts);
    memset(c, 0, sizeof *c);
    cb_writes = 0;
    irq = -1;
    for (unsigned id = 0; id < EMU_N_INSN; id++)
        map[id] = (uint8_t)id;
    ops = (struct emu_ops){ .read = f_read,
                            .write = f_write,
                            .ram = (uintptr_t)mem,
                            .ram_end = MEM_SIZE,
                            .icache = &icache,
                            .irq_vector = &irq,
                            .op_counts = counts,
                            .op_map = map };
    for (int s = 0; s < 6; s++)
        c->seg[s] = (struct emu_seg){ 0x1000, CS_BASE, 0xffff };
    c->seg[EMU_ES] = (struct emu_seg){ 0x3000, ES_BASE, 0xffff };
    c->eip = IP0;
    c->gpr[EMU_ESP] = 0xfff0;
    c->eflags = 2;
    memcpy(&mem[CS_BASE + IP0], code, n);
}

#define SETUP(c, ...)                                                                                                  \
    do {                                                                                                               \
        static const uint8_t code_[] = { __VA_ARGS__ };                                                                \
        setup((c), code_, sizeof code_);                                                                               \
    } while (0)

static struct emu_run run;

static enum emu_result run_n(struct emu_cpu *c, uint32_t n)
{
    memset(&run, 0, sizeof run);
    run.max = n;
    run.stop_lin = ~0u;
    return emu_run(c, &ops, &run);
}

#define RUN_OK(c, n)                                                                                                   \
    do {                                                                                                               \
        enum emu_result r_ = run_n((c), (n));                                                                          \
        CHECK(r_ == EMU_OK && run.done == (n),                                                                         \
              "emu_run = %d after %u instructions (fault %d); wanted EMU_OK after %u", r_, run.done, run.fault,        \
              (unsigned)(n));                                                                                          \
    } while (0)

/* The guest patches the immediate of an instruction it already ran: the
 * cached decode of `mov al, 1` must not run again once the byte says 2. */
static void decode_cache_sees_code_the_guest_modified(void)
{
    struct emu_cpu c;
    SETUP(&c, 0xb0, 0x01,                     /* 100 mov al, 1 */
          0x2e, 0xc6, 0x06, 0x01, 0x01, 0x02, /* 102 mov byte [cs:0101], 2 */
          0xeb, 0xf6);                        /* 108 jmp 100 */
    RUN_OK(&c, 1);
    CHECK_EQ(c.gpr[EMU_EAX] & 0xff, 1);
    RUN_OK(&c, 2);
    CHECK_EQ(c.eip, IP0);
    RUN_OK(&c, 1);
    CHECK(c.gpr[EMU_EAX] == 2, "AL = %u after the guest rewrote the immediate to 2: the stale decode ran",
          c.gpr[EMU_EAX] & 0xff);
}

/* New code where old code was, written behind the emulator's back (DMA, a
 * loader): a longer instruction at the same address. */
static void decode_cache_sees_code_replaced_behind_its_back(void)
{
    struct emu_cpu c;
    SETUP(&c, 0xb0, 0x01, 0x90); /* mov al, 1; nop */
    RUN_OK(&c, 2);
    static const uint8_t fresh[] = { 0xb8, 0x34, 0x12 }; /* mov ax, 1234h */
    memcpy(&mem[CS_BASE + IP0], fresh, sizeof fresh);
    c.eip = IP0;
    RUN_OK(&c, 1);
    CHECK(c.gpr[EMU_EAX] == 0x1234 && c.eip == IP0 + 3,
          "AX = %x, IP = %x after new code replaced the cached one; "
          "wanted 1234, %x",
          c.gpr[EMU_EAX], c.eip, IP0 + 3);
}

/* A cached instruction is fetched again under the CS limit of the moment. */
static void decode_cache_rechecks_the_cs_limit(void)
{
    struct emu_cpu c;
    SETUP(&c, 0xb8, 0x34, 0x12); /* mov ax, 1234h */
    RUN_OK(&c, 1);
    c.eip = IP0;
    c.seg[EMU_CS].limit = IP0 + 1; /* the immediate's last byte is past it */
    enum emu_result r = run_n(&c, 1);
    CHECK(r == EMU_FAULT && run.fault == 13,
          "emu_run = %d fault %d for an instruction crossing the CS limit; "
          "wanted EMU_FAULT 13",
          r, run.fault);
}

static void fill(uint32_t lin, unsigned n)
{
    for (unsigned k = 0; k < n; k++)
        mem[lin + k] = (uint8_t)(k * 7 + 3);
}

static void rep_movsb_over_ram_moves_the_whole_run(void)
{
    struct emu_cpu c;
    SETUP(&c, 0xf3, 0xa4); /* rep movsb */
    c.gpr[EMU_ESI] = 0x1000;
    c.gpr[EMU_EDI] = 0x2000;
    c.gpr[EMU_ECX] = 3000;
    fill(CS_BASE + 0x1000, 3000);
    RUN_OK(&c, 1);
    CHECK(!memcmp(&mem[ES_BASE + 0x2000], &mem[CS_BASE + 0x1000], 3000), "the destination differs from the source");
    CHECK_EQ(mem[ES_BASE + 0x2000 + 3000], 0);
    CHECK(c.gpr[EMU_ECX] == 0 && c.gpr[EMU_ESI] == 0x1000 + 3000 && c.gpr[EMU_EDI] == 0x2000 + 3000,
          "CX SI DI = %x %x %x", c.gpr[EMU_ECX], c.gpr[EMU_ESI], c.gpr[EMU_EDI]);
    CHECK(cb_writes == 0, "%u writes went through the callback; wanted none (plain memory)", cb_writes);
}

/* DI = SI + 1 in one segment: each byte copies the one the previous
 * iteration wrote, so the first byte spreads (a memset idiom). */
static void rep_movsb_overlapping_ahead_spreads_the_first_byte(void)
{
    struct emu_cpu c;
    SETUP(&c, 0x26, 0xf3, 0xa4); /* es rep movsb: source ES:SI too */
    c.gpr[EMU_ESI] = 0x4000;
    c.gpr[EMU_EDI] = 0x4001;
    c.gpr[EMU_ECX] = 100;
    fill(ES_BASE + 0x4000, 101);
    uint8_t first = mem[ES_BASE + 0x4000];
    RUN_OK(&c, 1);
    for (unsigned k = 0; k <= 100; k++)
        CHECK(mem[ES_BASE + 0x4000 + k] == first, "byte %u = %02x; wanted %02x (each iteration copies the last)", k,
              mem[ES_BASE + 0x4000 + k], first);
}

static void rep_stosw_downwards_fills_and_decrements_di(void)
{
    struct emu_cpu c;
    SETUP(&c, 0xf3, 0xab); /* rep stosw */
    c.eflags |= 0x400;     /* DF */
    c.gpr[EMU_EAX] = 0xbeef;
    c.gpr[EMU_EDI] = 0x3000;
    c.gpr[EMU_ECX] = 501;
    RUN_OK(&c, 1);
    for (unsigned k = 0; k < 501; k++)
        CHECK(mem[ES_BASE + 0x3000 - 2 * k] == 0xef && mem[ES_BASE + 0x3001 - 2 * k] == 0xbe, "word %u not stored", k);
    CHECK_EQ(mem[ES_BASE + 0x3000 - 2 * 501 + 1], 0);
    CHECK_EQ(mem[ES_BASE + 0x3002], 0);
    CHECK(c.gpr[EMU_EDI] == 0x3000 - 2 * 501 && c.gpr[EMU_ECX] == 0, "DI CX = %x %x", c.gpr[EMU_EDI], c.gpr[EMU_ECX]);
}

/* The run ends at the ES limit: the iterations before it complete, the one
 * past it is #GP with CX and DI telling where, IP still on the instruction. */
static void rep_stosb_stops_at_the_segment_limit_with_its_progress(void)
{
    struct emu_cpu c;
    SETUP(&c, 0xf3, 0xaa); /* rep stosb */
    c.seg[EMU_ES].limit = 0x7fff;
    c.gpr[EMU_EAX] = 0x5a;
    c.gpr[EMU_EDI] = 0x7ff0;
    c.gpr[EMU_ECX] = 0x20;
    enum emu_result r = run_n(&c, 1);
    CHECK(r == EMU_FAULT && run.fault == 13, "emu_run = %d fault %d; wanted EMU_FAULT 13", r, run.fault);
    CHECK(c.gpr[EMU_ECX] == 0x10 && c.gpr[EMU_EDI] == 0x8000 && c.eip == IP0, "CX DI IP = %x %x %x; wanted 10 8000 %x",
          c.gpr[EMU_ECX], c.gpr[EMU_EDI], c.eip, IP0);
    CHECK(mem[ES_BASE + 0x7fff] == 0x5a && mem[ES_BASE + 0x8000] == 0, "bytes at the limit: %02x %02x",
          mem[ES_BASE + 0x7fff], mem[ES_BASE + 0x8000]);
}

/* 16-bit addressing: DI wraps from FFFF to 0 within the segment. */
static void rep_movsb_wraps_di_at_64k(void)
{
    struct emu_cpu c;
    SETUP(&c, 0xf3, 0xa4);
    c.gpr[EMU_ESI] = 0x1000;
    c.gpr[EMU_EDI] = 0xfffe;
    c.gpr[EMU_ECX] = 4;
    fill(CS_BASE + 0x1000, 4);
    RUN_OK(&c, 1);
    CHECK(mem[ES_BASE + 0xfffe] == mem[CS_BASE + 0x1000] && mem[ES_BASE + 0xffff] == mem[CS_BASE + 0x1001] &&
              mem[ES_BASE] == mem[CS_BASE + 0x1002] && mem[ES_BASE + 1] == mem[CS_BASE + 0x1003] &&
              mem[ES_BASE + 0x10000] == 0,
          "the bytes past ES:FFFF did not wrap to ES:0000");
    CHECK_EQ(c.gpr[EMU_EDI], 2);
}

/* Writes into the trapped range (vmxassist's own slot) reach the callback. */
static void writes_in_the_trap_range_go_through_the_callback(void)
{
    struct emu_cpu c;
    SETUP(&c, 0xf3, 0xaa, 0x26, 0x88, 0x05); /* rep stosb; mov [es:di], al */
    ops.wtrap_lo = ES_BASE + 0x100;
    ops.wtrap_hi = ES_BASE + 0x200;
    c.gpr[EMU_EDI] = 0xf0;
    c.gpr[EMU_ECX] = 0x20;
    RUN_OK(&c, 2);
    CHECK(cb_writes == 0x10 + 1, "%u writes through the callback; wanted %u (those in the trap range)", cb_writes,
          0x10 + 1);
}

static void emu_run_counts_by_id_and_stops_where_the_caller_must_act(void)
{
    struct emu_cpu c;
    SETUP(&c, 0x90, 0x90, 0xfb, 0x90, 0x90, 0xfa, 0x90, 0xf4); /* nop nop sti nop nop cli nop hlt */
    enum emu_result r = run_n(&c, 100);
    CHECK(r == EMU_OK && run.done == 3 && c.eip == IP0 + 3,
          "STI: emu_run = %d after %u (IP %x); wanted a stop "
          "after it (IF changed)",
          r, run.done, c.eip);
    CHECK(counts[EMU_INSN_nop] == 2 && counts[EMU_INSN_sti] == 1, "counted nop %u sti %u", counts[EMU_INSN_nop],
          counts[EMU_INSN_sti]);
    irq = 8;
    r = run_n(&c, 100);
    CHECK(r == EMU_OK && run.done == 1, "an interrupt pending with IF set: %u done; wanted a stop after 1", run.done);
    irq = -1;
    memset(&run, 0, sizeof run);
    run.max = 100;
    run.stop_lin = CS_BASE + IP0 + 5; /* the CLI */
    r = emu_run(&c, &ops, &run);
    CHECK(r == EMU_OK && run.done == 2 && run.last_lin == run.stop_lin, "watching the CLI: %u done, last %x", run.done,
          run.last_lin);
    r = run_n(&c, 100);
    CHECK(r == EMU_OK && run.done == 2 && c.eip == IP0 + 8, "HLT: %u done, IP %x; wanted a stop after it", run.done,
          c.eip);
}

int main(void)
{
    RUN(decode_cache_sees_code_the_guest_modified);
    RUN(decode_cache_sees_code_replaced_behind_its_back);
    RUN(decode_cache_rechecks_the_cs_limit);
    RUN(rep_movsb_over_ram_moves_the_whole_run);
    RUN(rep_movsb_overlapping_ahead_spreads_the_first_byte);
    RUN(rep_stosw_downwards_fills_and_decrements_di);
    RUN(rep_stosb_stops_at_the_segment_limit_with_its_progress);
    RUN(rep_movsb_wraps_di_at_64k);
    RUN(writes_in_the_trap_range_go_through_the_callback);
    RUN(emu_run_counts_by_id_and_stops_where_the_caller_must_act);
    return check_summary();
}
