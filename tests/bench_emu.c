/* bench_emu.c - the host emulator throughput figure for `make bench`: runs a
 * fixed real-mode instruction mix (a loop of moves, arithmetic, a string
 * store, a push/pop pair and a conditional jump) through emu_step. */
#include <stdint.h>
#include <string.h>
#include "emu.h"

static uint8_t mem[0x110000];

static int rd(void *ctx, uint32_t lin, void *buf, unsigned len)
{
    (void)ctx;
    memcpy(buf, &mem[lin % sizeof mem], len);
    return 0;
}

static int wr(void *ctx, uint32_t lin, const void *buf, unsigned len)
{
    (void)ctx;
    memcpy(&mem[lin % sizeof mem], buf, len);
    return 0;
}

unsigned long bench_emu(unsigned long n)
{
    /* 1000:0000  mov ax,bx / add ax,1 / stosb / push ax / pop dx / xor cx,dx / inc si / jmp 0 */
    static const uint8_t code[] = { 0x89, 0xd8, 0x83, 0xc0, 0x01, 0xaa, 0x50, 0x5a, 0x31, 0xd1, 0x46, 0xeb, 0xf3 };
    struct emu_ops ops = { rd, wr, 0, 0, 0, 0, 0, 0, 0, 0 };
    struct emu_cpu c;
    memset(&c, 0, sizeof c);
    memcpy(&mem[0x10000], code, sizeof code);
    for (int s = 0; s < 6; s++)
        c.seg[s] = (struct emu_seg){ 0x1000, 0x10000, 0xffff };
    c.gpr[EMU_ESP] = 0xfff0;
    c.eflags = 2;
    unsigned long done = 0;
    for (; done < n; done++) {
        struct emu_insn i;
        int fault;
        if (emu_step(&c, &ops, &i, &fault) != EMU_OK)
            break;
    }
    return done;
}
