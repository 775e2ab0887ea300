/* emu_control.c - control transfer: JMP, Jcc, LOOP, CALL, RET, far
 * transfers, INT n / INT3 / INTO / INT1, IRET, ENTER, LEAVE, BOUND (SDM Vol. 1,
 * 5.1.7, 5.1.10), and the real-mode interrupt delivery they and the caller use. */
#include "emu_int.h"

/* ---- control transfer ---- */

static uint32_t ipmask(const struct ex *x) { return x->i->opsize32 ? 0xffffffffu : 0xffffu; }

static int jump(struct ex *x, uint32_t target)
{
    if (target > x->c->seg[EMU_CS].limit)
        return fail(x, VECTOR_GP);
    x->c->eip = target;
    return EMU_OK;
}

static int far_jump(struct ex *x, uint16_t sel, uint32_t off)
{
    TRY(jump(x, off));
    load_seg(x->c, EMU_CS, sel);
    return EMU_OK;
}

/* The real-mode interrupt: IVT entry at linear vector*4; FLAGS, CS, IP pushed
 * on SS:SP (all three slots checked first: #SS if the stack cannot take them);
 * IF, TF, AC cleared. The CPU is changed only when everything succeeded. */
int deliver(struct ex *x, unsigned vector)
{
    struct emu_cpu *c = x->c;
    uint32_t ivt, sp = c->gpr[EMU_ESP] & 0xffff, lin[3];
    const uint32_t val[3] = { c->eflags & 0xffff, c->seg[EMU_CS].sel, c->eip & 0xffff };
    TRY(lin_read(x, (vector & 0xff) * 4, 4, &ivt));
    for (unsigned k = 0; k < 3; k++)
        TRY(seg_lin(x, EMU_SS, (sp - 2 * (k + 1)) & 0xffff, 2, &lin[k]));
    for (unsigned k = 0; k < 3; k++)
        TRY(lin_write(x, lin[k], 2, val[k]));
    c->gpr[EMU_ESP] = (c->gpr[EMU_ESP] & 0xffff0000u) | ((sp - 6) & 0xffff);
    c->eflags &= ~(FL_IF | FL_TF | FL_AC);
    load_seg(c, EMU_CS, (uint16_t)(ivt >> 16));
    c->eip = ivt & 0xffff;
    return EMU_OK;
}

/* ---- jumps, calls ---- */

int h_jmp_rel(struct ex *x) /* EB, E9 */ { return jump(x, (x->c->eip + x->i->imm) & ipmask(x)); }

int h_jcc(struct ex *x) /* 70-7F, 0F 80-8F */ { return cond(x->c, x->i->opcode & 15) ? h_jmp_rel(x) : EMU_OK; }

int h_loop(struct ex *x) /* E0 LOOPNE, E1 LOOPE, E2 LOOP, E3 JCXZ; the count is CX or ECX by address size */
{
    log_gprs(x);
    uint32_t am = szmask(x->asz), cnt = x->c->gpr[EMU_ECX] & am;
    int taken;
    if (x->i->opcode == 0xe3) {
        taken = cnt == 0;
    } else {
        cnt = (cnt - 1) & am;
        x->c->gpr[EMU_ECX] = (x->c->gpr[EMU_ECX] & ~am) | cnt;
        taken = cnt != 0;
        if (x->i->opcode == 0xe0)
            taken = taken && !(x->c->eflags & FL_ZF);
        else if (x->i->opcode == 0xe1)
            taken = taken && (x->c->eflags & FL_ZF);
    }
    return taken ? h_jmp_rel(x) : EMU_OK;
}

int h_jmp_rm(struct ex *x) /* FF /4 */
{
    uint32_t v;
    TRY(rd_rm(x, x->osz, &v));
    return jump(x, v);
}

static int call_near(struct ex *x, uint32_t target)
{
    uint32_t ret = x->c->eip;
    TRY(jump(x, target & ipmask(x)));
    return push(x, x->osz, ret);
}

int h_call_rel(struct ex *x) /* E8 */ { return call_near(x, x->c->eip + x->i->imm); }

int h_call_rm(struct ex *x) /* FF /2 */
{
    uint32_t v;
    TRY(rd_rm(x, x->osz, &v));
    return call_near(x, v);
}

int h_ret(struct ex *x) /* C3, C2 imm16 */
{
    log_gprs(x);
    uint32_t ip;
    TRY(pop(x, x->osz, &ip));
    if (x->i->opcode == 0xc2)
        x->c->gpr[EMU_ESP] = (x->c->gpr[EMU_ESP] & 0xffff0000u) | ((x->c->gpr[EMU_ESP] + x->i->imm) & 0xffff);
    return jump(x, ip);
}

int h_jmp_far(struct ex *x) /* EA ptr16:16/32 */ { return far_jump(x, (uint16_t)x->i->imm2, x->i->imm); }

int call_far(struct ex *x, uint16_t sel, uint32_t off)
{
    log_gprs(x);
    uint16_t cs = x->c->seg[EMU_CS].sel;
    uint32_t ret = x->c->eip;
    TRY(push(x, x->osz, cs));
    TRY(push(x, x->osz, ret));
    return far_jump(x, sel, off);
}

int h_call_far(struct ex *x) /* 9A ptr16:16/32 */ { return call_far(x, (uint16_t)x->i->imm2, x->i->imm); }

/* m16:16 / m16:32: offset first, then the selector. */
int read_farptr(struct ex *x, uint16_t *sel, uint32_t *off)
{
    int seg;
    uint32_t o = ea(x, &seg), s;
    TRY(rd_mem(x, seg, o, x->osz, off));
    TRY(rd_mem(x, seg, o + x->osz, 2, &s));
    *sel = (uint16_t)s;
    return EMU_OK;
}

int h_jmp_far_m(struct ex *x) /* FF /5 */
{
    uint16_t sel;
    uint32_t off;
    TRY(read_farptr(x, &sel, &off));
    return far_jump(x, sel, off);
}

int h_call_far_m(struct ex *x) /* FF /3 */
{
    uint16_t sel;
    uint32_t off;
    TRY(read_farptr(x, &sel, &off));
    return call_far(x, sel, off);
}

int h_retf(struct ex *x) /* CB, CA imm16 */
{
    log_gprs(x);
    uint32_t ip, cs;
    TRY(pop(x, x->osz, &ip));
    TRY(pop(x, x->osz, &cs));
    if (x->i->opcode == 0xca)
        x->c->gpr[EMU_ESP] = (x->c->gpr[EMU_ESP] & 0xffff0000u) | ((x->c->gpr[EMU_ESP] + x->i->imm) & 0xffff);
    return far_jump(x, (uint16_t)cs, ip);
}

/* ---- interrupts ---- */

int h_int(struct ex *x) /* CD ib */ { return deliver(x, x->i->imm & 0xff); }

int h_int3(struct ex *x) /* CC */ { return deliver(x, 3); }

int h_into(struct ex *x) /* CE: INT 4 when OF = 1 */ { return (x->c->eflags & FL_OF) ? deliver(x, 4) : EMU_OK; }

int h_int1(struct ex *x) /* F1 INT1 (ICEBP): the debug exception, a trap, through the IVT */
{
    return deliver(x, VECTOR_DB);
}

int h_iret(struct ex *x) /* CF: pop IP, CS, FLAGS */
{
    log_gprs(x);
    struct emu_cpu *c = x->c;
    uint32_t ip, cs, fl;
    TRY(pop(x, x->osz, &ip));
    TRY(pop(x, x->osz, &cs));
    TRY(pop(x, x->osz, &fl));
    TRY(far_jump(x, (uint16_t)cs, ip));
    if (x->osz == 4)
        c->eflags = (fl & FL_IRET32) | (c->eflags & FL_KEEP_IRET32) | 2;
    else
        c->eflags = (c->eflags & ~FL_POPF16) | (fl & FL_POPF16) | 2;
    return EMU_OK;
}

/* 62 BOUND r, m16&16 / m32&32: #BR (vector 5) when the signed index is below
 * the lower or above the upper bound. */
int h_bound(struct ex *x)
{
    unsigned sz = x->osz;
    int seg;
    uint32_t off = ea(x, &seg), lo, hi;
    int32_t v = (int32_t)sext(reg_get(x->c, x->i->reg, sz), sz);
    TRY(rd_mem(x, seg, off, sz, &lo));
    TRY(rd_mem(x, seg, off + sz, sz, &hi));
    return v < (int32_t)sext(lo, sz) || v > (int32_t)sext(hi, sz) ? fail(x, VECTOR_BR) : EMU_OK;
}

/* C8 ENTER imm16, imm8 on the 16-bit real-mode stack (SDM pseudocode with
 * StackSize = 16): push (E)BP; FrameTemp = SP; for level > 0 copy level - 1
 * frame pointers from SS:BP-n (n = 2/4 per level, BP wrapping at 64 KiB) and
 * push FrameTemp (zero-extended by a 32-bit operand size); then BP =
 * FrameTemp and SP -= imm16. The stack-size attribute picks BP and SP, so
 * EBP[31:16] and ESP[31:16] are kept with either operand size. */
int h_enter(struct ex *x)
{
    log_gprs(x);
    struct emu_cpu *c = x->c;
    unsigned sz = x->osz, level = x->i->imm2 & 31;
    uint32_t bp = c->gpr[EMU_EBP], frame, v;
    TRY(push(x, sz, reg_get(c, EMU_EBP, sz)));
    frame = c->gpr[EMU_ESP] & 0xffff;
    if (level) {
        for (unsigned k = 1; k < level; k++) {
            TRY(rd_mem(x, EMU_SS, (bp - k * sz) & 0xffff, sz, &v));
            TRY(push(x, sz, v));
        }
        TRY(push(x, sz, frame));
    }
    reg_set(c, EMU_EBP, 2, frame);
    reg_set(c, EMU_ESP, 2, c->gpr[EMU_ESP] - x->i->imm);
    return EMU_OK;
}

/* C9 LEAVE: SP = BP, then pop (E)BP. */
int h_leave(struct ex *x)
{
    log_gprs(x);
    uint32_t v;
    reg_set(x->c, EMU_ESP, 2, x->c->gpr[EMU_EBP]);
    TRY(pop(x, x->osz, &v));
    reg_set(x->c, EMU_EBP, x->osz, v);
    return EMU_OK;
}
