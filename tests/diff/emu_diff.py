#!/usr/bin/python3
"""emu_diff.py - differential test of vmxassist/emu.c against Unicorn (QEMU's TCG).

Usage (from the repository root; needs Debian's python3-unicorn, so run it with
/usr/bin/python3, and build/diff/libemu.so, which `make diff-lib` builds):

  tests/diff/emu_diff.py [--seed S] [--count N]   a campaign of N cases (default: the sample)
  tests/diff/emu_diff.py --unit                   the sample, as PASS:/FAIL: lines for the test runner
  tests/diff/emu_diff.py --repro S:I              re-run case I of seed S, printing both states
  tests/diff/emu_diff.py --list                   the opcode set, the exclusions and the masks

Case I of seed S is a pure function of (S, I): the opcode is OPS[(S + I) % len(OPS)]
(so any N >= len(OPS) consecutive cases try every opcode of the set), and the
prefixes, ModRM/SIB/displacement/immediate bytes, registers, flags and
segment registers come from random.Random(S * 2**32 + I). Memory is one fixed
1 MiB + 64 KiB random image (seed 0), the same in both engines before every
case; the instruction bytes are written at CS:IP.

For each case both engines run one instruction (Unicorn: UC_MODE_16, real
mode, count = 1; a REP string instruction is re-entered until it leaves, one
iteration per call). Then:
  - both completed: all eight GPRs, EIP, EFLAGS (less the flags the SDM leaves
    undefined for that instruction: UNDEF below), the six selectors, and every
    byte either engine wrote are compared;
  - both faulted: the vectors are compared when Unicorn names one (an
    interrupt hook's vector, or #UD for UC_ERR_INSN_INVALID); an access to
    unmapped memory (beyond 1 MiB + 64 KiB) only has to fault in both;
  - the emulator raised #GP/#SS and Unicorn completed: QEMU does not check
    real-mode segment limits. The case is re-run with every limit 4 GiB - 1
    (big real mode); it must then match Unicorn, and one of its accesses (or
    its new EIP, or its code fetch) must lie outside the 64 KiB windows of
    the segment bases, or the fault was not a limit fault (a mismatch). These
    are counted as "limit".
Anything else (one engine faulting alone, a different vector, EMU_UNSUPPORTED
for an opcode of the set, a crash) is a mismatch, printed as one line with
the seed and case index; --repro S:I re-runs it.
"""
import argparse
import ctypes
import gc
import os
import random
import sys
import time

try:
    import unicorn
    from unicorn import x86_const as X
except ImportError:
    print("emu_diff: needs Debian's python3-unicorn; run with /usr/bin/python3", file=sys.stderr)
    sys.exit(2)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LIB = os.environ.get("EMU_DIFF_LIB") or os.path.join(ROOT, "build", "diff", "libemu.so")
MEM_SIZE = 0x110000
SAMPLE_SEED = 1
SAMPLE_COUNT = 100000

CF, PF, AF, ZF, SF, OF = 0x1, 0x4, 0x10, 0x40, 0x80, 0x800
ARITH = CF | PF | AF | ZF | SF | OF
SZAP = SF | ZF | AF | PF

# ---------------------------------------------------------------------------
# The instruction set under test: one entry per opcode (per ModRM.reg for
# group opcodes). modrm: None, "rm" (register or memory), "m" (memory only).
# undef: the arithmetic flags the SDM (Vol. 2, each instruction's "Flags
# Affected") leaves undefined; they are not compared. kind: a generator /
# checker hint (shift counts, REP counts, dynamic masks).


class Op:
    __slots__ = ("key", "code", "modrm", "reg", "name", "undef", "lock", "kind", "index")

    def __init__(self, code, name, modrm=None, reg=None, undef=0, lock=False, kind=None):
        self.code = bytes(code)
        self.key = " ".join("%02X" % b for b in code) + ("/%d" % reg if reg is not None else "")
        self.modrm, self.reg, self.name, self.undef, self.lock, self.kind = modrm, reg, name, undef, lock, kind


OPS = []


def op(code, name, modrm=None, reg=None, undef=0, lock=False, kind=None):
    OPS.append(Op(code, name, modrm, reg, undef, lock, kind))


def build_ops():
    alu = ["add", "or", "adc", "sbb", "and", "sub", "xor", "cmp"]
    logic_undef = {"or": AF, "and": AF, "xor": AF}  # AND/OR/XOR/TEST: AF undefined
    for n, name in enumerate(alu):
        u, lk = logic_undef.get(name, 0), name != "cmp"
        op([8 * n + 0], name, "rm", undef=u, lock=lk)
        op([8 * n + 1], name, "rm", undef=u, lock=lk)
        op([8 * n + 2], name, "rm", undef=u)
        op([8 * n + 3], name, "rm", undef=u)
        op([8 * n + 4], name, undef=u)
        op([8 * n + 5], name, undef=u)
    for b in (0x06, 0x0E, 0x16, 0x1E):
        op([b], "push_sreg")
    for b in (0x07, 0x17, 0x1F):
        op([b], "pop_sreg")
    op([0x27], "daa", undef=OF)
    op([0x2F], "das", undef=OF)
    op([0x37], "aaa", undef=OF | SF | ZF | PF)
    op([0x3F], "aas", undef=OF | SF | ZF | PF)
    for b in range(0x40, 0x48):
        op([b], "inc")
    for b in range(0x48, 0x50):
        op([b], "dec")
    for b in range(0x50, 0x58):
        op([b], "push")
    for b in range(0x58, 0x60):
        op([b], "pop")
    op([0x60], "pusha")
    op([0x61], "popa")
    op([0x62], "bound", "rm")  # register form: #UD in both
    op([0x63], "arpl", "rm")  # #UD in real mode
    op([0x68], "push")
    op([0x69], "imul", "rm", undef=SZAP)
    op([0x6A], "push")
    op([0x6B], "imul", "rm", undef=SZAP)
    for b in range(0x70, 0x80):
        op([b], "jcc")
    for b in (0x80, 0x81, 0x82, 0x83):
        for r, name in enumerate(alu):
            op([b], name, "rm", reg=r, undef=logic_undef.get(name, 0), lock=name != "cmp")
    op([0x84], "test", "rm", undef=AF)
    op([0x85], "test", "rm", undef=AF)
    op([0x86], "xchg", "rm", lock=True)
    op([0x87], "xchg", "rm", lock=True)
    for b in range(0x88, 0x8C):
        op([b], "mov", "rm")
    for r in range(8):  # /6 /7: #UD
        op([0x8C], "mov_sreg", "rm", reg=r)
    op([0x8D], "lea", "rm")  # register form: #UD
    for r in range(8):  # /1 (CS), /6, /7: #UD
        op([0x8E], "mov_sreg", "rm", reg=r)
    op([0x8F], "pop", "rm", reg=0)
    op([0x90], "nop")
    for b in range(0x91, 0x98):
        op([b], "xchg")
    op([0x98], "cbw")
    op([0x99], "cwd")
    op([0x9A], "call_far")
    op([0x9B], "wait")
    op([0x9C], "pushf")
    op([0x9D], "popf")
    op([0x9E], "sahf")
    op([0x9F], "lahf")
    for b in range(0xA0, 0xA4):
        op([b], "mov", kind="moffs")
    for b, name in ((0xA4, "movs"), (0xA6, "cmps"), (0xAA, "stos"), (0xAC, "lods"), (0xAE, "scas")):
        op([b], name, kind="string")
        op([b + 1], name, kind="string")
    op([0xA8], "test", undef=AF)
    op([0xA9], "test", undef=AF)
    for b in range(0xB0, 0xC0):
        op([b], "mov")
    shifts = ["rol", "ror", "rcl", "rcr", "shl", "shr", "sal", "sar"]
    for b in (0xC0, 0xC1, 0xD0, 0xD1, 0xD2, 0xD3):
        for r, name in enumerate(shifts):
            op([b], name, "rm", reg=r, kind="shift")
    op([0xC2], "ret")
    op([0xC3], "ret")
    op([0xC4], "les", "rm")
    op([0xC5], "lds", "rm")
    op([0xC6], "mov", "rm", reg=0)
    op([0xC7], "mov", "rm", reg=0)
    op([0xC8], "enter", kind="enter")
    op([0xC9], "leave")
    op([0xCA], "retf")
    op([0xCB], "retf")
    op([0xCF], "iret")
    op([0xD4], "aam", undef=OF | AF | CF, kind="aam")
    op([0xD5], "aad", undef=OF | AF | CF)
    op([0xD6], "salc")
    op([0xD7], "xlat")
    op([0xE0], "loopne")
    op([0xE1], "loope")
    op([0xE2], "loop")
    op([0xE3], "jcxz")
    op([0xE8], "call")
    op([0xE9], "jmp")
    op([0xEA], "jmp_far")
    op([0xEB], "jmp")
    op([0xF5], "cmc")
    for b in (0xF6, 0xF7):
        op([b], "test", "rm", reg=0, undef=AF)
        op([b], "not", "rm", reg=2, lock=True)
        op([b], "neg", "rm", reg=3, lock=True, kind="neg")
        op([b], "mul", "rm", reg=4, undef=SZAP)
        op([b], "imul", "rm", reg=5, undef=SZAP)
        op([b], "div", "rm", reg=6, undef=ARITH, kind="div")
        op([b], "idiv", "rm", reg=7, undef=ARITH, kind="div")
    for b, name in ((0xF8, "clc"), (0xF9, "stc"), (0xFA, "cli"), (0xFB, "sti"), (0xFC, "cld"), (0xFD, "std")):
        op([b], name)
    op([0xFE], "inc", "rm", reg=0, lock=True)
    op([0xFE], "dec", "rm", reg=1, lock=True)
    for r, name in enumerate(["inc", "dec", "call", "call_far", "jmp", "jmp_far", "push"]):
        # FF /3 and /5 register forms (#UD): Unicorn 2.0.1 aborts the process
        # ("tcg fatal error"), so only the memory forms are generated here.
        op([0xFF], name, "m" if r in (3, 5) else "rm", reg=r, lock=r < 2)
    # 0F xx
    for r, name in enumerate(["sldt", "str", "lldt", "ltr", "verr", "verw"]):
        op([0x0F, 0x00], name, "rm", reg=r)  # #UD in real mode
    op([0x0F, 0x02], "lar", "rm")  # #UD in real mode
    op([0x0F, 0x03], "lsl", "rm")
    op([0x0F, 0x0B], "ud2")
    op([0x0F, 0x18], "prefetch", "m")  # register forms: see EXCLUDED
    for b in range(0x19, 0x20):
        op([0x0F, b], "nop", "rm")
    op([0x0F, 0x34], "sysenter")  # #GP(0) with PE = 0
    op([0x0F, 0x35], "sysexit")
    for b in range(0x40, 0x50):
        op([0x0F, b], "cmov", "rm")
    for b in range(0x80, 0x90):
        op([0x0F, b], "jcc")
    for b in range(0x90, 0xA0):
        op([0x0F, b], "setcc", "rm")
    op([0x0F, 0xA0], "push_sreg")
    op([0x0F, 0xA1], "pop_sreg")
    op([0x0F, 0xA8], "push_sreg")
    op([0x0F, 0xA9], "pop_sreg")
    bt_undef = OF | SF | AF | PF
    op([0x0F, 0xA3], "bt", "rm", undef=bt_undef, kind="bt")
    op([0x0F, 0xAB], "bts", "rm", undef=bt_undef, lock=True, kind="bt")
    op([0x0F, 0xB3], "btr", "rm", undef=bt_undef, lock=True, kind="bt")
    op([0x0F, 0xBB], "btc", "rm", undef=bt_undef, lock=True, kind="bt")
    for r, name in ((4, "bt"), (5, "bts"), (6, "btr"), (7, "btc")):
        op([0x0F, 0xBA], name, "rm", reg=r, undef=bt_undef, lock=r != 4)
    for b, name in ((0xA4, "shld"), (0xA5, "shld"), (0xAC, "shrd"), (0xAD, "shrd")):
        op([0x0F, b], name, "rm", kind="shxd")
    op([0x0F, 0xAA], "rsm")  # #UD outside SMM
    op([0x0F, 0xAF], "imul", "rm", undef=SZAP)
    op([0x0F, 0xB0], "cmpxchg", "rm", lock=True)
    op([0x0F, 0xB1], "cmpxchg", "rm", lock=True)
    op([0x0F, 0xB2], "lss", "rm")
    op([0x0F, 0xB4], "lfs", "rm")
    op([0x0F, 0xB5], "lgs", "rm")
    op([0x0F, 0xB6], "movzx", "rm")
    op([0x0F, 0xB7], "movzx", "rm")
    op([0x0F, 0xB9], "ud1", "rm")
    op([0x0F, 0xBC], "bsf", "rm", undef=CF | OF | SF | AF | PF, kind="bsf")
    op([0x0F, 0xBD], "bsr", "rm", undef=CF | OF | SF | AF | PF, kind="bsf")
    op([0x0F, 0xBE], "movsx", "rm")
    op([0x0F, 0xBF], "movsx", "rm")
    op([0x0F, 0xC0], "xadd", "rm", lock=True)
    op([0x0F, 0xC1], "xadd", "rm", lock=True)
    op([0x0F, 0xC7], "cmpxchg8b", "rm", reg=1, lock=True)
    for b in range(0xC8, 0xD0):
        op([0x0F, b], "bswap", kind="bswap")
    op([0x0F, 0xFF], "ud0", "rm")
    # prefix-defined forms
    op([0xF3, 0x90], "pause")
    op([0xF3, 0x0F, 0x1E, 0xFB], "endbr32")
    op([0xF3, 0x0F, 0x1E, 0xFA], "endbr64")
    for k, o in enumerate(OPS):
        o.index = k


build_ops()

# Not in the differential set (each is covered by tests/unit/test_emu.c):
EXCLUDED = [
    ("E4-E7 EC-EF IN/OUT, 6C-6F INS/OUTS", "port I/O: Unicorn has no port model"),
    ("F4 HLT", "stops Unicorn; the emulator calls ops->halt"),
    ("CC INT3, CD INT n, CE INTO, F1 INT1", "Unicorn hands interrupts to a hook instead of delivering them through the IVT"),
    ("0F 01 SGDT SIDT LGDT LIDT SMSW LMSW INVLPG, 0F 06 CLTS, 0F 08 INVD, 0F 09 WBINVD, 0F 20-23 MOV CR/DR, "
     "0F 30 WRMSR, 0F 32 RDMSR", "privileged / system state the harness does not model"),
    ("0F A2 CPUID, 0F 31 RDTSC, 0F 33 RDPMC", "values come from the host (ops->cpuid, ops->rdmsr)"),
    ("0F 05 SYSCALL", "Unicorn runs it as a hookable no-op instead of raising #UD"),
    ("0F 07 SYSRET", "QEMU raises #GP with CR0.PE = 0; the SDM says #UD in real mode (unit-tested as #UD)"),
    ("FF /3, FF /5 register forms", "Unicorn 2.0.1 aborts (tcg fatal error); #UD unit-tested; memory forms are in the set"),
    ("0F 37 GETSEC, C6/C7 /7 XABORT/XBEGIN, 0F 0D, 0F B8 POPCNT, SSE/MMX/VMX opcodes, 0F C7 /0 /2-/7",
     "not emulated (EMU_UNSUPPORTED by design)"),
    ("LOCK with a register operand or a non-lockable instruction (#UD)",
     "Unicorn 2.0.1 runs some (LOCK XCHG/XADD reg, LOCK MOVS/STOS/LODS, LOCK RET) and aborts on others "
     "(LOCK CMPS, LOCK BT* reg); LOCK is generated only where valid, the #UD rule is unit-tested"),
    ("F6/F7 /1 TEST alias", "Intel and AMD CPUs run it as TEST (emu.c too); QEMU raises #UD"),
    ("0F 18 register forms", "hint-NOP space on CPUs (emu.c: NOP); QEMU raises #UD; the memory forms are in the set"),
    ("D8-DF x87", "EMU_UNSUPPORTED by design (#NM when CR0.EM or CR0.TS)"),
]

# What is not compared, beyond each opcode's static undefined-flags mask (the
# table above; --list prints it). Each rule names its function below.
MASKS = [
    ("shifts and rotates (undef_mask)", "SDM: OF unless the masked count is 1; AF after a shift by a non-zero count; "
     "CF after SHL/SHR by the operand width or more"),
    ("SHLD/SHRD (undef_mask, undef_result)", "SDM: AF and (count > 1) OF; with a count above the operand width "
     "(16-bit only) all flags and the destination"),
    ("BSWAP r16 (undef_result)", "SDM: result undefined; CPUs and emu.c clear the word, QEMU swaps all 32 bits: "
     "the whole register is not compared"),
    ("ENTER o32, level > 0 (undef_mem)", "the upper half of the pushed FrameTemp: the SDM's FrameTemp is SP "
     "(StackSize 16), QEMU pushes ESP - 4 with ESP[31:16]"),
    ("LOCK NEG (undef_mask)", "Unicorn bug: SF and PF computed from the operand before the negation"),
    ("RETF with its CS slot past SS:FFFF (retf_cs_slot_wraps)", "Unicorn bug: QEMU reads CS at SS.base + 10000h "
     "instead of wrapping SP; CS not compared"),
    ("#GP/#SS the emulator raises where Unicorn completes (limit-fault)", "QEMU has no real-mode limit checks: "
     "the fault must be explained by an access (tagged run) beyond 64 KiB, and a big-real-mode re-run must match "
     "Unicorn, except for offsets wrapping past 4 GiB and stack slots straddling SS:FFFF (RETF above)"),
    ("instructions that touch their own translation block (self-modifying)", "QEMU restarts the block after a "
     "store into it, so Unicorn's one-instruction stop leaves it undone; skipped"),
    ("memory image", "no F0 byte and no FF /3 or FF /5 register-form byte pair anywhere (Unicorn 2.0.1 aborts "
     "translating them, even where it never executes)"),
]

# ---------------------------------------------------------------------------
# The emulator side: build/diff/libemu.so (tests/diff/shim.c + vmxassist/emu.c)


class DState(ctypes.Structure):
    _fields_ = [("gpr", ctypes.c_uint32 * 8), ("eip", ctypes.c_uint32), ("eflags", ctypes.c_uint32),
                ("sel", ctypes.c_uint32 * 6), ("limit", ctypes.c_uint32), ("tagged", ctypes.c_uint32),
                ("cr0", ctypes.c_uint32), ("len", ctypes.c_uint32), ("fast", ctypes.c_uint32)]


class DMem(ctypes.Structure):
    _fields_ = [("mem", ctypes.c_void_p), ("size", ctypes.c_uint32),
                ("wlog", ctypes.POINTER(ctypes.c_uint32)), ("wmax", ctypes.c_uint32), ("nw", ctypes.c_uint32),
                ("rlog", ctypes.POINTER(ctypes.c_uint32)), ("rmax", ctypes.c_uint32), ("nr", ctypes.c_uint32),
                ("overflow", ctypes.c_uint32), ("tagged", ctypes.c_uint32), ("realbase", ctypes.c_uint32 * 6)]


EMU_OK, EMU_FAULT, EMU_UNSUPPORTED, EMU_PE_SET = 0, 1, 2, 3
RESULT = {0: "EMU_OK", 1: "EMU_FAULT", 2: "EMU_UNSUPPORTED", 3: "EMU_PE_SET"}
LOGMAX = 4096


LIBC = ctypes.CDLL(None)
LIBC.memcmp.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_size_t]
LIBC.memcmp.restype = ctypes.c_int


class Emu:
    def __init__(self, mem):
        if not os.path.exists(LIB):
            print("emu_diff: %s is missing (make diff-lib)" % LIB, file=sys.stderr)
            sys.exit(2)
        self.lib = ctypes.CDLL(LIB)
        self.lib.diff_init()
        self.step = self.lib.diff_step
        self.step.argtypes = [ctypes.POINTER(DState), ctypes.POINTER(DMem), ctypes.POINTER(ctypes.c_int),
                              ctypes.c_uint32, ctypes.c_uint32]
        self.mem = mem
        self.wlog = (ctypes.c_uint32 * (2 * LOGMAX))()
        self.rlog = (ctypes.c_uint32 * (2 * LOGMAX))()
        self.dm = DMem(ctypes.cast(self.mem, ctypes.c_void_p), MEM_SIZE, self.wlog, LOGMAX, 0, self.rlog, LOGMAX, 0, 0)
        self.fault = ctypes.c_int(-1)

    def run(self, st, limit, seed, index, tagged=0):
        """st: dict of the state; returns (result, fault, state dict, writes, reads, length)."""
        d = DState()
        d.gpr[:] = st["gpr"]
        d.eip, d.eflags = st["eip"], st["eflags"]
        d.sel[:] = st["sel"]
        d.limit, d.cr0, d.tagged = limit, 0, tagged
        r = self.step(ctypes.byref(d), ctypes.byref(self.dm), ctypes.byref(self.fault), seed, index)
        out = {"gpr": list(d.gpr), "eip": d.eip, "eflags": d.eflags, "sel": list(d.sel), "fast": d.fast}
        w = [(self.wlog[2 * k], self.wlog[2 * k + 1]) for k in range(self.dm.nw)]
        rd = [(self.rlog[2 * k], self.rlog[2 * k + 1]) for k in range(self.dm.nr)]
        if self.dm.overflow:
            w.append((0, MEM_SIZE))
        return r, self.fault.value, out, w, rd, d.len



# ---------------------------------------------------------------------------
# The Unicorn side

GPR_IDS = [X.UC_X86_REG_EAX, X.UC_X86_REG_ECX, X.UC_X86_REG_EDX, X.UC_X86_REG_EBX,
           X.UC_X86_REG_ESP, X.UC_X86_REG_EBP, X.UC_X86_REG_ESI, X.UC_X86_REG_EDI]
SEG_IDS = [X.UC_X86_REG_ES, X.UC_X86_REG_CS, X.UC_X86_REG_SS, X.UC_X86_REG_DS, X.UC_X86_REG_FS, X.UC_X86_REG_GS]


class Uni:
    def __init__(self, mem):
        # Unicorn's memory is our buffer (mem_map_ptr): the runner compares it
        # with the emulator's and restores it directly. (No UC_HOOK_MEM_WRITE:
        # with one installed, Unicorn 2.0.1 computes wrong CF/OF for a shift
        # by CL of a memory operand.)
        self.uc = unicorn.Uc(unicorn.UC_ARCH_X86, unicorn.UC_MODE_16)
        self.uc.mem_map_ptr(0, MEM_SIZE, unicorn.UC_PROT_ALL, ctypes.addressof(mem))
        self.intno = None
        self.extra = []
        self.uc.hook_add(unicorn.UC_HOOK_INTR, self._intr)
        self.uc.hook_add(unicorn.UC_HOOK_MEM_FETCH_UNMAPPED, self._fetch_unmapped)
        # QEMU remembers an exception "in flight" until it is delivered, which
        # with an interrupt hook never happens: the next #DE/#GP/#SS would
        # become #DF, then a triple fault. A fresh CPU context after every
        # fault puts that back.
        self.clean = self.uc.context_save()

    def _intr(self, uc, intno, data):
        if self.intno is None:
            self.intno = intno
        uc.emu_stop()

    def _fetch_unmapped(self, uc, access, addr, size, value, data):
        # A control transfer beyond our memory: the instruction completed and
        # Unicorn wants the next one. Map a page so that the count stop comes.
        page = addr & ~0xFFF
        if page in self.extra or len(self.extra) > 4:
            return False
        uc.mem_map(page, 0x1000)
        self.extra.append(page)
        return True

    def run(self, st, code_lin, rep):
        """Returns (fault, state dict): fault None (completed), an int vector, or "unmapped"."""
        uc = self.uc
        self.intno = None
        for rid, v in zip(GPR_IDS, st["gpr"]):
            uc.reg_write(rid, v)
        for rid, v in zip(SEG_IDS, st["sel"]):
            uc.reg_write(rid, v)
        uc.reg_write(X.UC_X86_REG_EFLAGS, st["eflags"])
        uc.ctl_remove_cache(code_lin, code_lin + 32)
        cs, ip = st["sel"][1], st["eip"]
        fault = None
        for _ in range(64 if rep else 1):
            try:
                uc.emu_start((cs * 16 + ip) & 0xFFFFFFFF, 0xFFFFFFFF, 0, 1)
            except unicorn.UcError as e:
                if e.errno == unicorn.UC_ERR_INSN_INVALID:
                    fault = 6
                elif e.errno in (unicorn.UC_ERR_READ_UNMAPPED, unicorn.UC_ERR_WRITE_UNMAPPED,
                                 unicorn.UC_ERR_FETCH_UNMAPPED):
                    fault = "unmapped"
                else:
                    fault = "uc-error-%d" % e.errno
            if self.intno is not None:
                fault = self.intno
            if fault is not None:
                break
            ncs = uc.reg_read(X.UC_X86_REG_CS) & 0xFFFF
            # After a count stop Unicorn 2.0.1 reports EIP as the linear PC (CS * 16 + IP).
            nip = (uc.reg_read(X.UC_X86_REG_EIP) - ncs * 16) & 0xFFFFFFFF
            if ncs != cs or nip != ip:
                break
        for page in self.extra:
            uc.mem_unmap(page, 0x1000)
        self.extra = []
        if fault is not None:
            uc.context_restore(self.clean)
            return fault, None
        out = {"gpr": [uc.reg_read(r) & 0xFFFFFFFF for r in GPR_IDS],
               "eflags": uc.reg_read(X.UC_X86_REG_EFLAGS) & 0xFFFFFFFF,
               "sel": [uc.reg_read(r) & 0xFFFF for r in SEG_IDS]}
        out["eip"] = (uc.reg_read(X.UC_X86_REG_EIP) - out["sel"][1] * 16) & 0xFFFFFFFF
        return None, out


# ---------------------------------------------------------------------------
# Case generation

SPECIAL = [0, 1, 2, 7, 8, 9, 0x0F, 0x10, 0x1F, 0x20, 0x7F, 0x80, 0x81, 0x99, 0x9A, 0xF9, 0xFA, 0xFF, 0x100,
           0x7FFF, 0x8000, 0x8001, 0xFFFF, 0x10000, 0x7FFFFFFF, 0x80000000, 0x80000001, 0xFFFFFFFF, 0xFFFFFF80]
FILLER = b"\x90" + b"\xeb\xfe" * 16  # NOP first: a jump into the instruction's own last byte (FF) must not make FF /3-/5 reg
SEG_PREFIX = [0x26, 0x2E, 0x36, 0x3E, 0x64, 0x65]
FLAG_BITS = ARITH | 0x0400 | 0x0200 | 0x3000 | 0x4000 | 0x40000 | 0x200000  # DF IF IOPL NT AC ID


def rand_val(rng):
    r = rng.random()
    if r < 0.35:
        return rng.getrandbits(32)
    if r < 0.6:
        v = rng.choice(SPECIAL)
        if v < 0x10000 and rng.random() < 0.3:
            v |= rng.getrandbits(16) << 16
        return v
    if r < 0.8:
        return rng.getrandbits(16)
    return rng.getrandbits(8) | (rng.getrandbits(16) << 16 if rng.random() < 0.5 else 0)


class Case:
    __slots__ = ("seed", "index", "op", "code", "st", "a32", "o32", "rep", "npfx", "lin")


def gen_case(seed, index):
    o = OPS[(seed + index) % len(OPS)]
    rng = random.Random(seed * 2 ** 32 + index)
    c = Case()
    c.seed, c.index, c.op = seed, index, o
    first = o.code[0]
    one_byte = first != 0x0F and o.code[0] not in (0xF3,)
    pfx = []
    o32 = rng.random() < 0.5
    a32 = rng.random() < (0.5 if (o.modrm or o.kind in ("string", "moffs") or first in (0xD7, 0xE0, 0xE1, 0xE2, 0xE3))
                          else 0.15)
    if o32:
        pfx.append(0x66)
    if a32:
        pfx.append(0x67)
    if rng.random() < 0.35:
        pfx.append(rng.choice(SEG_PREFIX))
    rep = None
    if o.kind == "string":
        rep = rng.choice([None, 0xF3, 0xF3, 0xF2])
    elif one_byte and rng.random() < 0.04:
        rep = rng.choice([0xF3, 0xF2])  # ignored by both (F3 90 = PAUSE = NOP)
    if rep:
        pfx.append(rep)
    mod = None
    if o.modrm:
        mod = 3 if o.modrm == "rm" and rng.random() < 0.3 else rng.randrange(3)
    if o.lock and mod != 3 and mod is not None and rng.random() < 0.4:
        pfx.append(0xF0)  # LOCK, only where it is valid (see EXCLUDED)
    if rng.random() < 0.03 and pfx:
        pfx.append(rng.choice(pfx))  # a repeated prefix
    rng.shuffle(pfx)
    tail = bytearray(rng.getrandbits(8) for _ in range(16))
    code = bytearray(pfx) + bytearray(o.code)
    if o.modrm:
        reg = o.reg if o.reg is not None else rng.randrange(8)
        rm = rng.randrange(8)
        code.append((mod << 6) | (reg << 3) | rm)
        pos, dsz = 0, 0  # where the displacement starts in tail, its size
        if mod != 3 and a32:
            base = rm
            if rm == 4:
                base = tail[0] & 7
                pos = 1
            dsz = 4 if mod == 2 or (mod == 0 and base == 5) else 1 if mod == 1 else 0
            if dsz == 4 and rng.random() < 0.85:  # a small displacement, so that the access is mapped
                tail[pos + 2] = tail[pos + 3] = 0xFF if tail[pos + 1] & 0x80 and rng.random() < 0.3 else 0
                if tail[pos + 2] == 0:
                    tail[pos + 1] &= 0x7F
        elif mod != 3:
            dsz = 2 if mod == 2 or (mod == 0 and rm == 6) else 1 if mod == 1 else 0
        if (o.kind == "shift" and first in (0xC0, 0xC1) or o.kind == "shxd" and o.code[1] in (0xA4, 0xAC)) \
                and rng.random() < 0.4:
            tail[pos + dsz] = rng.choice([0, 1, 2, 7, 8, 9, 15, 16, 17, 31, 32, 33])  # the imm8 count
    elif o.kind == "moffs" and a32 and rng.random() < 0.85:
        tail[2] = tail[3] = 0
    code += tail
    c.code = bytes(code[:15 + 16])

    gpr = [rand_val(rng) for _ in range(8)]
    if o.kind == "bt" and rng.random() < 0.7:
        gpr = [(rng.randrange(-600, 600) & 0xFFFFFFFF) if rng.random() < 0.6 else g & 0xFFFF for g in gpr]
    if a32 and (o.modrm and mod != 3 or o.kind in ("string", "moffs") or first == 0xD7) and rng.random() < 0.85:
        gpr = [g & 0xFFFF for g in gpr]
    if o.kind == "string":
        n = rng.randrange(0, 13)
        gpr[1] = n if a32 else (gpr[1] & 0xFFFF0000) | n
        if a32:
            gpr[6] &= 0xFFFF
            gpr[7] &= 0xFFFF
    if o.kind == "shift" and first in (0xD2, 0xD3) and rng.random() < 0.4:
        gpr[1] = (gpr[1] & ~0xFF) | rng.choice([0, 1, 2, 7, 8, 9, 15, 16, 17, 31, 32, 33])
    if o.kind == "shxd" and rng.random() < 0.4:
        gpr[1] = (gpr[1] & ~0xFF) | rng.choice([0, 1, 2, 15, 16, 17, 31, 32])
    if o.kind == "div" and rng.random() < 0.5:
        gpr[2] = rng.getrandbits(8)
        if o.code[0] == 0xF6:
            gpr[0] = (gpr[0] & 0xFFFF00FF) | (rng.getrandbits(6) << 8)
    eflags = 0x2 | (rng.getrandbits(32) & FLAG_BITS)
    sel = [rng.getrandbits(16) for _ in range(6)]
    cs = sel[1]
    room = MEM_SIZE - 48 - cs * 16
    ip = rng.randrange(0, min(0xFFC0, room))
    c.st = {"gpr": gpr, "eip": ip, "eflags": eflags, "sel": sel}
    c.lin = cs * 16 + ip
    c.a32, c.o32, c.rep = a32, o32, rep
    c.npfx = len(pfx)
    return c


# ---------------------------------------------------------------------------
# Undefined flags and results


def undef_mask(c, length):
    """The flags not compared for this case: the opcode's static mask plus the
    count-dependent rules of the shifts (SDM Vol. 2: SAL/SAR/SHL/SHR, RCL/RCR/
    ROL/ROR, SHLD, SHRD "Flags Affected")."""
    o = c.op
    m = o.undef
    if o.kind == "shift":
        b = o.code[0]
        width = 8 if b in (0xC0, 0xD0, 0xD2) else 32 if c.o32 else 16
        if b in (0xD0, 0xD1):
            cnt = 1
        elif b in (0xD2, 0xD3):
            cnt = c.st["gpr"][1] & 0x1F
        else:
            cnt = c.code[length - 1] & 0x1F
        if cnt:
            if cnt != 1:
                m |= OF  # OF is defined for 1-bit shifts and rotates only
            if o.reg >= 4:
                m |= AF  # AF is undefined after any non-zero shift
                if o.reg in (4, 5, 6) and cnt >= width:
                    m |= CF  # SHL/SHR: CF undefined when the count >= the operand width
    elif o.kind == "neg" and c.code[:c.npfx].count(0xF0):
        # Unicorn 2.0.1 (QEMU 5.0) bug, not an SDM rule: a LOCK NEG takes SF
        # and PF from the operand before the negation (its locked path leaves
        # the old value where the flags are computed from). CF ZF AF OF agree.
        m |= SF | PF
    elif o.kind == "shxd":
        width = 32 if c.o32 else 16
        cnt = (c.st["gpr"][1] if o.code[1] & 1 else c.code[length - 1]) & 0x1F
        if cnt > width:
            m |= ARITH  # count > operand size: flags (and result) undefined
        elif cnt:
            m |= AF | (OF if cnt != 1 else 0)
    return m


def undef_result(c, length):
    """Destination bits the SDM leaves undefined: returns (gpr index, mask) or
    ("mem", None) or None."""
    o = c.op
    if o.kind == "bswap" and not c.o32:
        # BSWAP r16: "the result is undefined". CPUs clear the 16-bit register
        # (so does emu.c); QEMU swaps all 32 bits: the whole register differs.
        return (o.code[1] & 7, 0xFFFFFFFF)
    if o.kind == "shxd" and not c.o32:
        cnt = (c.st["gpr"][1] if o.code[1] & 1 else c.code[length - 1]) & 0x1F
        if cnt > 16:
            modrm = c.code[c.npfx + 2]
            return ((modrm & 7, 0xFFFF) if modrm >> 6 == 3 else ("mem", None))
    return None


# ---------------------------------------------------------------------------
# Comparison


def hexstate(s):
    return ("eax=%08x ecx=%08x edx=%08x ebx=%08x esp=%08x ebp=%08x esi=%08x edi=%08x eip=%08x fl=%08x "
            "es=%04x cs=%04x ss=%04x ds=%04x fs=%04x gs=%04x" % tuple(s["gpr"] + [s["eip"], s["eflags"]] + s["sel"]))


GPR_NAMES = ["eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"]
SEG_NAMES = ["es", "cs", "ss", "ds", "fs", "gs"]


def merge(ranges):
    out = []
    for a, n in sorted(ranges):
        if out and a <= out[-1][1]:
            out[-1][1] = max(out[-1][1], a + n)
        else:
            out.append([a, a + n])
    return out


def first_difference(a, b):
    """The first offset where the two MEM_SIZE buffers differ, or None."""
    pa, pb = ctypes.addressof(a), ctypes.addressof(b)
    if not LIBC.memcmp(pa, pb, MEM_SIZE):
        return None
    for lo in range(0, MEM_SIZE, 0x1000):
        if LIBC.memcmp(pa + lo, pb + lo, 0x1000):
            x, y = ctypes.string_at(pa + lo, 0x1000), ctypes.string_at(pb + lo, 0x1000)
            return lo + next(k for k in range(0x1000) if x[k] != y[k])
    return None


def undef_mem(c, length):
    """Memory bytes not compared: (linear, length) list."""
    o = c.op
    if o.kind == "enter" and c.o32 and c.code[length - 1] & 31:
        # ENTER with a 32-bit operand size on a 16-bit stack pushes FrameTemp
        # as a doubleword. The SDM has FrameTemp = SP (StackSize 16), which
        # emu.c zero-extends; QEMU pushes ESP - 4 with ESP[31:16]. Only the
        # upper half of that one slot is left out.
        frame = (c.st["gpr"][4] - 4) & 0xFFFF
        slot = (frame - 4 * (c.code[length - 1] & 31)) & 0xFFFF
        return [((c.st["sel"][2] << 4) + slot + 2, 2)]
    return []


def retf_cs_slot_wraps(c):
    """RETF whose CS slot is past SS:FFFF (SP wraps between the two pops): the
    CPU (and emu.c) reads CS at SS:0000+; QEMU 5.0's far return adds 2/4 to
    the linear address of the IP slot instead of wrapping SP, so it reads CS
    from SS.base + 10000h. Unicorn's CS is wrong there and is not compared."""
    if c.op.code[0] not in (0xCA, 0xCB):
        return False
    size = 4 if c.o32 else 2
    return (c.st["gpr"][4] & 0xFFFF) + size > 0xFFFF


def compare(c, e, u, length, emem, umem, ew):
    """Returns a list of difference strings."""
    diffs = []
    ur = undef_result(c, length)
    skip = undef_mem(c, length) + (ew[:1] if ur and ur[0] == "mem" else [])
    for a, n in skip:  # not compared: the emulator's memory takes Unicorn's bytes there
        if 0 <= a and a + n <= MEM_SIZE:
            ctypes.memmove(ctypes.addressof(emem) + a, ctypes.addressof(umem) + a, n)
    for k in range(8):
        mask = 0xFFFFFFFF
        if ur and ur[0] == k:
            mask &= ~ur[1]
        if (e["gpr"][k] ^ u["gpr"][k]) & mask:
            diffs.append("%s emu=%08x uc=%08x" % (GPR_NAMES[k], e["gpr"][k], u["gpr"][k]))
    if e["eip"] != u["eip"]:
        diffs.append("eip emu=%08x uc=%08x" % (e["eip"], u["eip"]))
    m = undef_mask(c, length)
    if (e["eflags"] ^ u["eflags"]) & ~m & 0xFFFFFFFF:
        diffs.append("eflags emu=%08x uc=%08x (undefined %03x)" % (e["eflags"], u["eflags"], m))
    for k in range(6):
        if k == 1 and retf_cs_slot_wraps(c):
            continue
        if e["sel"][k] != u["sel"][k]:
            diffs.append("%s emu=%04x uc=%04x" % (SEG_NAMES[k], e["sel"][k], u["sel"][k]))
    k = first_difference(emem, umem)
    if k is not None:
        x, y = emem.raw[k:k + 8], umem.raw[k:k + 8]
        diffs.append("mem[%05x] emu=%s uc=%s" % (k, x.hex(), y.hex()))
    return diffs


def limit_violations(e, accesses):
    """The accesses of a tagged run (segment k based at k << 28) that a 64 KiB
    limit forbids, as (segment, offset, length), in order; ("eip", EIP) for a
    control transfer beyond it."""
    out = []
    for a, n in accesses:
        k = ((a + 0x08000000) >> 28) & 15  # as tests/diff/shim.c's untag()
        off = (a - (k << 28)) & 0xFFFFFFFF
        if k >= 6 or off + n - 1 > 0xFFFF:
            out.append((k, off, n))
    if e["eip"] > 0xFFFF:
        out.append(("eip", e["eip"]))
    return out


class Runner:
    def __init__(self, verbose=False):
        rng = random.Random(0)
        img = bytearray(rng.getrandbits(8) for _ in range(MEM_SIZE))
        # Unicorn 2.0.1 aborts the process when it translates FF /3 or FF /5
        # with a register operand, which QEMU does for code it never runs
        # (the rest of a translation block, a jump target's block): no such
        # byte pair may exist anywhere in the memory image. It also aborts on
        # LOCK with CMPS or with a register-operand BT*, so the image has no
        # F0 byte at all (F0 becomes F8).
        img = bytearray(img.replace(b"\xf0", b"\xf8"))
        k = img.find(0xFF)
        while 0 <= k < MEM_SIZE - 1:
            if img[k + 1] >> 6 == 3 and (img[k + 1] >> 3) & 7 in (3, 5):
                img[k + 1] ^= 0x08
            k = img.find(0xFF, k + 1)
        self.image = ctypes.create_string_buffer(bytes(img), MEM_SIZE)
        self.emem = ctypes.create_string_buffer(bytes(img), MEM_SIZE)
        self.umem = ctypes.create_string_buffer(bytes(img), MEM_SIZE)
        self.emu = Emu(self.emem)
        self.uni = Uni(self.umem)
        self.verbose = verbose
        self.stats = {"ok": 0, "both-fault": 0, "limit": 0, "smc": 0, "mismatch": 0}
        self.tried = set()
        self.bad_ops = {}
        self.lines = []
        self.count = 0

    def put(self, a, data):
        ctypes.memmove(ctypes.addressof(self.emem) + a, data, len(data))
        ctypes.memmove(ctypes.addressof(self.umem) + a, data, len(data))

    def restore(self, ranges, check_u=True):
        """Both memories back to the image: the given ranges (every emulator
        write is in them), then, with check_u, all of Unicorn's memory if it
        still differs (its writes are not logged). Without check_u the caller
        knows that Unicorn's memory equalled the emulator's."""
        img = ctypes.addressof(self.image)
        for mem in (self.emem, self.umem):
            base = ctypes.addressof(mem)
            for a, b in merge(ranges):
                a, b = max(a, 0), min(b, MEM_SIZE)
                if a < b:
                    ctypes.memmove(base + a, img + a, b - a)
        mems = (self.umem,) if check_u else ()
        if self.emu.dm.overflow:
            mems += (self.emem,)
        for mem in mems:
            if LIBC.memcmp(ctypes.addressof(mem), img, MEM_SIZE):
                ctypes.memmove(ctypes.addressof(mem), img, MEM_SIZE)

    def one(self, seed, index):
        self.count += 1
        if self.count % 20000 == 0:
            # Unicorn's translation cache only grows (about 1.5 KiB a case):
            # a fresh engine now and then keeps a long campaign's memory small.
            self.uni = None
            gc.collect()  # the old engine sits in a reference cycle (its hooks)
            self.uni = Uni(self.umem)
        c = gen_case(seed, index)
        o = c.op
        self.tried.add(o.index)
        # A first emulator run finds the instruction's length; the bytes after
        # it become FILLER (NOP, JMP $: the end of QEMU's translation block).
        self.put(c.lin, c.code)
        _, _, _, ew, _, length = self.emu.run(c.st, 0xFFFF, seed, index)
        if length:
            c.code = (c.code[:length] + FILLER)[:len(c.code)]
        self.restore(ew, check_u=False)
        self.put(c.lin, c.code)
        r, vec, e, ew, er, length = self.emu.run(c.st, 0xFFFF, seed, index)
        ufault, u = self.uni.run(c.st, c.lin, c.rep is not None and o.kind == "string")
        touched = ew + [(c.lin, len(c.code))]
        verdict, why = "ok", ""
        code_end = c.lin + len(c.code)
        if any(a < code_end and c.lin < a + n for a, n in ew + er[length:]):
            # The instruction touches its own bytes or the filler after it
            # (its translation block). The CPU completes it as fetched (so
            # does emu.c); QEMU notices a store there (even of the same value:
            # a shift by 0 of memory stores) and restarts the block, so
            # Unicorn's count stop leaves the instruction undone.
            verdict = "smc"
        elif r == EMU_UNSUPPORTED:
            verdict, why = "mismatch", "emulator: EMU_UNSUPPORTED"
        elif r == EMU_FAULT and vec in (12, 13) and ufault != vec and ufault != "unmapped":
            # Unicorn has no real-mode limit checks. A tagged run must show an
            # access beyond a 64 KiB limit (through SS for #SS, another
            # segment for #GP); a re-run in big real mode must then do what
            # Unicorn did.
            rt, vt, et, _, acc, _ = self.emu.run(c.st, 0xFFFFFFFF, seed, index, tagged=1)
            viol = limit_violations(et, [(a, n & 0xFF) for a, n in acc])
            for a, b in merge(ew):
                ctypes.memmove(ctypes.addressof(self.emem) + a, ctypes.addressof(self.image) + a, b - a)
            self.put(c.lin, c.code)
            r2, vec2, e2, ew2, er2, _ = self.emu.run(c.st, 0xFFFFFFFF, seed, index)
            touched += ew2
            # the fault is explained by a violation through SS (#SS) or through
            # another segment or by the new EIP (#GP)
            expl = [v for v in viol if (v[0] == 2) == (vec == 12)]
            if rt == EMU_FAULT and vt in (12, 13):
                # Even 4 GiB limits fault: an access at an offset that wraps
                # past 4 GiB (e.g. a word at FFFFFFFF), beyond any 64 KiB
                # limit. QEMU wraps the linear address; not compared.
                verdict = "limit"
            elif not viol:
                verdict, why = "mismatch", "emu fault %d, but no access crosses a 64 KiB limit" % vec
            elif not expl:
                verdict, why = "mismatch", "emu fault %d for an access beyond the limit of segment %s" % (vec, viol[0][0])
            elif any(v[0] == 2 and v[1] <= 0xFFFF for v in expl):
                # A stack slot straddling SS:FFFF: #SS on the CPU, proven by the
                # tagged run. The big-real-mode re-run is not compared: QEMU
                # reads the next slots of RETF/IRET/POPA/... at SS.base + SP + 2
                # (+4...) without wrapping SP at 64 KiB, the CPU wraps SP.
                verdict = "limit"
            elif ufault is not None:
                if r2 != EMU_FAULT or (isinstance(ufault, int) and ufault != vec2):
                    verdict, why = "mismatch", "emu fault %d (with 4G limits: %s %d), unicorn fault %s" % (
                        vec, RESULT.get(r2), vec2, ufault)
                else:
                    verdict = "limit"
            elif r2 != EMU_OK:
                verdict, why = "mismatch", "emu fault %d (%d with 4G limits), unicorn completed" % (vec, vec2)
            else:
                d = compare(c, e2, u, length, self.emem, self.umem, ew2)
                if d:
                    verdict, why = "mismatch", "with 4G limits: " + "; ".join(d)
                else:
                    verdict = "limit"
        elif r == EMU_FAULT and ufault is not None:
            verdict = "both-fault"
            if isinstance(ufault, int) and ufault != vec:
                verdict, why = "mismatch", "fault vector emu=%d uc=%d" % (vec, ufault)
            elif isinstance(ufault, str) and ufault != "unmapped":
                verdict, why = "mismatch", "emu fault %d, unicorn %s" % (vec, ufault)
        elif r == EMU_FAULT:
            verdict, why = "mismatch", "emu fault %d, unicorn completed" % vec
        elif ufault is not None:
            verdict, why = "mismatch", "emu %s, unicorn fault %s" % (RESULT.get(r, r), ufault)
        else:
            d = compare(c, e, u, length, self.emem, self.umem, ew)
            if d:
                verdict, why = "mismatch", "; ".join(d)
        if e.get("fast") and verdict != "mismatch":
            # vmxassist's way (emu_run, memory read directly, the decoded-
            # instruction cache) must do exactly what emu_step did
            verdict, why = "mismatch", "emu_run with direct memory and the decode cache differs from emu_step (%s)" % (
                ", ".join(n for b, n in ((1, "result"), (2, "registers"), (4, "writes")) if e["fast"] & b))
        self.stats[verdict] += 1
        if verdict == "mismatch":
            self.bad_ops.setdefault(o.name, []).append(index)
            line = "MISMATCH seed=%d case=%d op=%s %s bytes=%s: %s (repro: /usr/bin/python3 tests/diff/emu_diff.py --repro %d:%d)" % (
                seed, index, o.key, o.name, c.code[:max(length, 1)].hex(" "), why, seed, index)
            self.lines.append(line)
        if self.verbose:
            print("case %d:%d  op %s (%s)  bytes %s" % (seed, index, o.key, o.name, c.code.hex(" ")))
            print("  before: " + hexstate(c.st))
            print("  emu:    %s fault=%d len=%d  %s" % (RESULT.get(r, r), vec, length, hexstate(e)))
            print("  emu writes: %s" % ", ".join("%05x:%d" % (a, n) for a, n in ew))
            print("  emu reads:  %s" % ", ".join("%05x:%d" % (a, n) for a, n in er))
            print("  uc:     fault=%s  %s" % (ufault, hexstate(u) if u else "-"))
            print("  undefined flags %03x; verdict %s %s" % (undef_mask(c, length), verdict, why))
        self.restore(touched, check_u=verdict != "ok")
        return verdict


def main():
    ap = argparse.ArgumentParser(description="differential test of vmxassist/emu.c against Unicorn")
    ap.add_argument("--seed", type=int, default=SAMPLE_SEED)
    ap.add_argument("--count", type=int, default=SAMPLE_COUNT)
    ap.add_argument("--unit", action="store_true", help="the sample as PASS:/FAIL: lines (tests/run_tests.py format)")
    ap.add_argument("--repro", metavar="SEED:CASE", action="append", help="re-run one case verbosely")
    ap.add_argument("--list", action="store_true", help="the opcode set, exclusions and undefined-flag masks")
    ap.add_argument("--max-lines", type=int, default=100, help="mismatch lines to print at most")
    ap.add_argument("--progress", type=int, default=0, metavar="N", help="a progress line on stderr every N cases")
    a = ap.parse_args()

    if a.list:
        for o in OPS:
            print("%-14s %-10s undefined-flags=%03x%s" % (o.key, o.name, o.undef, " (%s)" % o.kind if o.kind else ""))
        print("%d opcodes; excluded:" % len(OPS))
        for what, why in EXCLUDED:
            print("  %s: %s" % (what, why))
        print("not compared:")
        for what, why in MASKS:
            print("  %s: %s" % (what, why))
        return 0

    if a.repro:
        rn = Runner(verbose=True)
        bad = 0
        for spec in a.repro:
            s, i = spec.split(":")
            if rn.one(int(s, 0), int(i, 0)) == "mismatch":
                bad += 1
        for line in rn.lines:
            print(line)
        return 1 if bad else 0

    rn = Runner()
    t0 = time.time()
    trace = os.environ.get("EMU_DIFF_TRACE")
    for i in range(a.count):
        if trace:
            print("case %d:%d" % (a.seed, i), file=sys.stderr, flush=True)
        rn.one(a.seed, i)
        if a.progress and (i + 1) % a.progress == 0:
            print("emu_diff: seed=%d %d/%d cases, %d mismatches, %.0fs" % (
                a.seed, i + 1, a.count, rn.stats["mismatch"], time.time() - t0), file=sys.stderr, flush=True)
    dt = time.time() - t0
    st = rn.stats
    cov = "%d/%d" % (len(rn.tried), len(OPS))
    summary = ("emu_diff: seed=%d cases=%d compared=%d both-fault=%d limit-fault=%d self-modifying=%d "
               "mismatches=%d coverage=%s opcodes tried time=%.1fs" % (
                   a.seed, a.count, st["ok"], st["both-fault"], st["limit"], st["smc"], st["mismatch"], cov, dt))
    if a.unit:
        names = []
        for o in OPS:
            if o.name not in names:
                names.append(o.name)
        for n in names:
            if n in rn.bad_ops:
                idx = rn.bad_ops[n]
                print("FAIL: diff_%s: %d mismatches, first: --repro %d:%d" % (n, len(idx), a.seed, idx[0]))
            else:
                print("PASS: diff_%s" % n)
        full = len(rn.tried) == len(OPS)
        print(("PASS: diff_coverage" if full else "FAIL: diff_coverage: %s opcodes tried" % cov))
        for line in rn.lines[:a.max_lines]:
            print(line, file=sys.stderr)
        print(summary, file=sys.stderr)
        return 0 if not st["mismatch"] and full else 1
    for line in rn.lines[:a.max_lines]:
        print(line)
    if len(rn.lines) > a.max_lines:
        print("... %d more mismatches" % (len(rn.lines) - a.max_lines))
    print(summary)
    return 0 if not st["mismatch"] and len(rn.tried) == len(OPS) else 1


if __name__ == "__main__":
    sys.exit(main())
