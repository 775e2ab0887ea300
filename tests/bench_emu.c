/* bench_emu.c - the host emulator throughput figure for `make bench`: runs a
 * fixed real-mode instruction mix through emu_step: a loop of register and
 * memory moves, arithmetic, a string store, push/pop of a register and of a
 * segment register, a compare and conditional jump, a near call and return,
 * a shift, a segment-override load and a jump back. It runs as vmxassist's
 * mode=emulate does: emu_run with memory the emulator reads and writes
 * directly (ops->ram) and the decoded-instruction cache, so the figure is the
 * emulator's own cost. */
#include <stdint.h>
#include <string.h>
#include "emu.h" /* tests/bench.py links it with every vmxassist/emu*.c */

static uint8_t mem[0x110000];

static int rd(void *ctx, uint32_t lin, void *buf, unsigned len)
{
    (void)ctx;
    lin %= sizeof mem - 16;
    if (len == 1)
        *(uint8_t *)buf = mem[lin];
    else if (len == 2)
        memcpy(buf, &mem[lin], 2);
    else if (len == 4)
        memcpy(buf, &mem[lin], 4);
    else
        memcpy(buf, &mem[lin], len);
    return 0;
}

static int wr(void *ctx, uint32_t lin, const void *buf, unsigned len)
{
    (void)ctx;
    lin %= sizeof mem - 16;
    if (len == 1)
        mem[lin] = *(const uint8_t *)buf;
    else if (len == 2)
        memcpy(&mem[lin], buf, 2);
    else if (len == 4)
        memcpy(&mem[lin], buf, 4);
    else
        memcpy(&mem[lin], buf, len);
    return 0;
}

unsigned long bench_emu(unsigned long n)
{
    /* CS = DS = SS = 1000h, ES = 2000h (the STOSB target: not the code):
     * 00 mov ax,bx        02 add ax,1         05 stosb          06 push ax
     * 07 pop dx           08 xor cx,dx        0a inc si         0b mov bl,[si+4]
     * 0e cmp al,10h       10 jne 12           12 call 20        15 shl ax,1
     * 17 test bx,ax       19 push ds          1a pop ds         1b mov al,es:[bx]
     * 1e jmp 00           20 ret */
    static const uint8_t code[] = { 0x89, 0xd8, 0x83, 0xc0, 0x01, 0xaa, 0x50, 0x5a, 0x31, 0xd1, 0x46,
                                    0x8a, 0x5c, 0x04, 0x3c, 0x10, 0x75, 0x00, 0xe8, 0x0b, 0x00, 0xd1,
                                    0xe0, 0x85, 0xc3, 0x1e, 0x1f, 0x26, 0x8a, 0x07, 0xeb, 0xe0, 0xc3 };
    static struct emu_icache icache;
    struct emu_ops ops = { .read = rd, .write = wr, .ram = (uintptr_t)mem, .ram_end = sizeof mem, .icache = &icache };
    struct emu_cpu c;
    memset(&c, 0, sizeof c);
    memcpy(&mem[0x10000], code, sizeof code);
    for (int s = 0; s < 6; s++)
        c.seg[s] = (struct emu_seg){ 0x1000, 0x10000, 0xffff };
    c.seg[EMU_ES] = (struct emu_seg){ 0x2000, 0x20000, 0xffff };
    c.gpr[EMU_ESP] = 0xfff0;
    c.eflags = 2;
    struct emu_run r = { .max = (uint32_t)n, .stop_lin = ~0u };
    emu_run(&c, &ops, &r);
    return r.done;
}
