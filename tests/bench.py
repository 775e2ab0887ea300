#!/usr/bin/python3
"""bench.py - vmxlab's figures (`make bench`): never a test, never fails on a threshold.

Usage: tests/bench.py [--cpu MODEL] [--guests NAME,...] [--modes ug,assist,emulate] [--no-classes]
                      [--no-model] [-j N]

Three tables, all in Bochs ticks (ips=4000000; its ticks are deterministic,
so the figures repeat exactly):
1. classes: tests/guests/rm/rm_costs.asm's ticks per loop iteration for each
   class of real-mode work, natively (plain Bochs, tools/run.sh --no-hv, with
   the Bochs BIOS and with the own rombios) and under the hv in each mode
   (own firmware).
2. guests: each guest booted once per mode: ticks from VM launch to
   power-off (`tsc`), the ratio to ug, VM exits, VM86 faults, emulated
   instructions, switches. Guests: names of tests/guests/rm/*.asm, hello.img,
   grub.iso, grub-mb.iso, testguest, or a catalogue guest in build/real/.
3. the cost model: for each disk guest, its native ticks (plain Bochs, own
   rombios) plus each mode's events (the run's vmxlab-stats counts) times
   their costs, which rm_costs' per-event classes measure in this same run,
   printed beside the measured ticks. docs/benchmarks.md explains
   the terms.
Then the host emulator's throughput and the image sizes.
"""
import argparse
import concurrent.futures
import ctypes
import glob
import os
import re
import subprocess
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(TOP, "build", "bench")
DEFAULT_GUESTS = "grub.iso,linux-isolinux.iso"
BOCHS_BIOS = ("/usr/share/bochs/BIOS-bochs-legacy", "/usr/share/vgabios/vgabios.bin")
# rm_costs' classes: key of its "<key>_iteration_ticks" line, what an iteration does
CLASSES = [
    ("alu", "53 plain ALU/MOV/shift instructions"),
    ("flags", "4 x PUSHF, CLI, POPF, STI"),
    ("int1a", "INT 1Ah AH=0 (BIOS tick count)"),
    ("int16", "INT 16h AH=1 (keystroke status)"),
    ("int13", "INT 13h AH=1 (last disk status)"),
    ("io", "4 x IN 61h, IN 21h, OUT 21h"),
    ("movsb", "a32 REP MOVSB, 256 bytes, first MiB"),
    ("switch", "real -> protected -> real round trip"),
    ("cpuid", "CPUID (an exit in every hv mode)"),
    ("cmos", "IN 71h (the hv's CMOS: an I/O exit)"),
    ("pic", "MOV AL, OUT 20h (assist: a VM86 #GP)"),
]


def guest_image(name):
    for p in (f"build/guests/rm/{name}.img", f"build/guests/disk/{name}", f"build/real/{name}"):
        if os.path.exists(os.path.join(TOP, p)):
            return os.path.join(TOP, p)
    return None


def stats_of(log):
    with open(log, errors="replace") as f:
        stats = [l for l in f.read().splitlines() if l.startswith("vmxlab-stats ")]
    return dict(w.split("=", 1) for w in stats[-1].split()[1:] if "=" in w) if stats else {}


REUSE = False  # --reuse: read the logs of the last run instead of booting


def boot(guest, mode, cpu):
    """One boot under the hv (own firmware): (guest, mode, status, stats, COM1 log)."""
    tag = f"{guest}-{mode}"
    iso, log = os.path.join(OUT, tag + ".iso"), os.path.join(OUT, tag + ".serial")
    if REUSE and os.path.exists(log):
        return guest, mode, 0, stats_of(log), log
    img = guest_image(guest)
    extra, args, module = [], "", guest
    if img:
        kind = subprocess.run([f"{TOP}/tools/guest-kind.sh", img], capture_output=True, text=True).stdout.strip()
        extra, args, module = ["--snapshot", "--disk", img], f"boot={kind}", "vmxloader"
    subprocess.run([f"{TOP}/tools/mkiso.sh", "--out", iso, "--mode", mode, "--guest", module, "--args", args],
                   check=True)
    p = subprocess.run([f"{TOP}/tools/run.sh", "--quiet", "--cpu", cpu, "--timeout", "3600", "--log", log, *extra,
                        iso])
    return guest, mode, p.returncode, stats_of(log), log


def own_vgabios():
    p = subprocess.run(["make", "--no-print-directory", "-s", "print-own-vgabios"], cwd=TOP, capture_output=True,
                       text=True)
    return os.path.join(TOP, p.stdout.strip() or "build/vgabios.bin")


def boot_native(guest, bios, cpu):
    """One boot in plain Bochs, no hv: (guest, "native-<bios>", status, {"tsc": ticks from reset to the
    end}, COM1 log). The ticks are the Bochs log's last time stamp (the guest's own end: Shutdown port,
    ACPI S5)."""
    tag = f"{guest}-native-{bios}"
    log = os.path.join(OUT, tag + ".serial")
    rom, vga = BOCHS_BIOS if bios == "bochs" else (os.path.join(TOP, "build", "rombios.bin"), own_vgabios())
    p = subprocess.CompletedProcess([], 0) if REUSE and os.path.exists(log) else subprocess.run([f"{TOP}/tools/run.sh", "--quiet", "--no-hv", "--cpu", cpu, "--rom", rom, "--vgarom", vga,
                        "--snapshot", "--disk", guest_image(guest), "--timeout", "3600", "--log", log])
    ticks = 0
    blog = log[:-len(".serial")] + ".bochs.log"
    if os.path.exists(blog):  # "00031026084i[...]" log lines, "(0).[31026084] ..." at the end
        for m in re.finditer(r"^(?:(\d{11,})[a-z]\[|\(\d+\)\.\[(\d+)\])", open(blog, errors="replace").read(),
                             re.M):
            ticks = max(ticks, int(m.group(1) or m.group(2)))
    return guest, f"native-{bios}", p.returncode, {"tsc": str(ticks)} if ticks else {}, log


def costs_lines(log):
    """rm_costs' figures: {key: ticks} from its "rm_costs: <key>=0x..." lines."""
    out = {}
    if os.path.exists(log):
        for m in re.finditer(r"^rm_costs: (\w+)=0x([0-9a-f]+)", open(log, errors="replace").read(), re.M):
            out[m.group(1).replace("_iteration_ticks", "")] = int(m.group(2), 16)
    return out


def print_classes(runs):
    cols = [("native-bochs", "native Bochs BIOS"), ("native-own", "native own"), ("ug", "ug"),
            ("assist", "assist"), ("emulate", "emulate")]
    cols = [(k, t) for k, t in cols if k in runs]
    print("Classes (tests/guests/rm/rm_costs.asm): Bochs ticks per loop iteration, the loop's own "
          "DEC/JNZ or LOOP included; own firmware under the hv")
    print(f"{'work per iteration':38}" + "".join(f"{t:>19}" for _, t in cols))
    for key, what in CLASSES:
        print(f"{what:38}" + "".join(f"{runs[k].get(key, '-'):>19,}" if key in runs[k] else f"{'-':>19}"
                                     for k, _ in cols))
    n = runs.get("native-bochs", {})
    o = runs.get("native-own", {})
    if n and o:
        r = "  ".join(f"{k} {o[k] / n[k]:.2f}x" for k in ("int1a", "int16", "int13") if n.get(k) and k in o)
        print(f"own rombios / Bochs BIOS, natively (issue 11 goal 5: at most 1.2x): {r}")


def host_emulator_throughput():
    """Instructions per second of emu.c on the host, on a fixed instruction mix."""
    lib = os.path.join(TOP, "build", "bench", "libemu_bench.so")
    src = os.path.join(TOP, "tests", "bench_emu.c")
    if not os.path.exists(src):
        return None
    emu = sorted(glob.glob(os.path.join(TOP, "vmxassist", "emu*.c")))
    if subprocess.run(["gcc", "-O2", "-shared", "-fPIC", "-Iinclude", "-Ivmxassist", "-o", lib, src, *emu],
                      cwd=TOP).returncode:
        return None
    f = ctypes.CDLL(lib).bench_emu
    f.restype = ctypes.c_ulong
    n = 2_000_000
    t = time.perf_counter()
    done = f(ctypes.c_ulong(n))
    return done / (time.perf_counter() - t)


def irq_cost(c):
    """Ticks one timer IRQ adds in a run (delivery and the BIOS's IRQ 0 handler), from the spin loop."""
    if not all(k in c for k in ("irq_spin_ticks", "irq_spin_iterations", "spin_reference_ticks")):
        return None
    return (c["irq_spin_ticks"] - c["irq_spin_iterations"] * c["spin_reference_ticks"] / 1000) / 8


def hlt_cost(c, n):
    """Ticks a HLT costs beyond its idle time in run c, against the native run n: the spin time the
    HLT class lost per HLT (each wakes at an IRQ 0, whose own cost the IRQ class measures)."""
    keys = ("hlt_spin_ticks", "hlt_spin_iterations", "spin_reference_ticks")
    if not all(k in c and k in n for k in keys):
        return None
    lost = lambda r: r["hlt_spin_ticks"] - r["hlt_spin_iterations"] * r["spin_reference_ticks"] / 1000
    return (lost(c) - lost(n)) / 8


def event_costs(C, S):
    """Per-event costs in ticks from rm_costs' classes in each run (C[run][class]) and the stats of its
    hv runs (S[mode]): {name: (ticks, how)}."""
    n, e = C.get("native-own", {}), {}
    def d(mode, k):
        return C[mode][k] - n[k] if k in C.get(mode, {}) and k in n else None
    def per(mode, key, by):
        st = S.get(mode, {})
        return int(st.get(key, 0)) / int(st[by]) if int(st.get(by, 0) or 0) else 0.0
    x_cpuid, x_io = d("ug", "cpuid"), d("ug", "cmos")
    if x_cpuid is not None:
        e["exit.cpuid"] = (x_cpuid, "ug CPUID - native")
        e["exit.other"] = (x_cpuid, "= exit.cpuid: the hv's shortest exit path, for reasons not measured")
    if x_io is not None:
        e["exit.io"] = (x_io, "ug IN 71h - native")
    x_hlt = hlt_cost(C.get("ug", {}), n)
    if x_hlt is not None:
        e["exit.hlt"] = (x_hlt, "ug HLT class - native: the spin time one HLT loses beyond its idle time")
    xo = e.get("exit.other", (0,))[0]
    g = d("assist", "pic")
    if g is not None:
        e["vm86_gp"] = (g, "assist OUT 20h - native: #GP, vmxassist emulates the OUT, back to VM86")
    sw = d("assist", "switch")
    if sw is not None and g is not None:
        cr, vc = per("assist", "exit.cr_access", "to_real"), per("assist", "exit.vmcall", "to_prot")
        gp = per("assist", "op.mov_cr", "to_prot") + per("assist", "op.lmsw", "to_prot")
        e["to_prot.assist"] = (sw - (cr + vc) * xo - gp * g,
                               f"assist round trip - native, less its {cr + vc:.2f} exits and {gp:.2f} #GPs")
    ia, i0 = irq_cost(C.get("assist", {})), irq_cost(n)
    if ia is not None and i0 is not None and g is not None:
        e["irqs.assist"] = (ia - i0 - g, "assist IRQ - native IRQ, less the handler's EOI #GP")
    em = C.get("emulate", {})
    if all(k in em for k in ("alu", "flags", "io", "int1a")) and "int1a" in n:
        alu = em["alu"] / 55
        e["insn.alu"] = (alu, "emulate ALU class / 55 (its 53 and DEC, JNZ)")
        e["insn.flags"] = ((em["flags"] - 2 * alu) / 16, "(emulate flags class - DEC, JNZ) / 16")
        e["insn.io"] = ((em["io"] - alu) / 6, "(emulate I/O class - LOOP) / 6")
        e["insn.int"] = ((em["int1a"] - (n["int1a"] - 2) * alu) / 2,
                         "INT and IRET: emulate INT 1Ah class less its other instructions at insn.alu, / 2")
        if "int13" in em and "int16" in em and "int13" in n and "int16" in n:
            e["insn.mix"] = ((em["int13"] + em["int16"]) / (n["int13"] + n["int16"]),
                             "emulate INT 13h/16h status classes per instruction (BIOS code: stack, "
                             "segments, memory operands)")
        if "movsb" in em:
            e["insn.movsb_byte"] = ((em["movsb"] - 5 * alu) / 256, "(emulate REP MOVSB class - 5 insns) / 256")
        if "switch" in em and "switch" in n:
            cr, vc = per("emulate", "exit.cr_access", "to_real"), per("emulate", "exit.vmcall", "to_prot")
            e["to_prot.emulate"] = (em["switch"] - n["switch"] - (cr + vc) * xo - 6 * (alu - 1),
                                    f"emulate round trip - native, less {cr + vc:.2f} exits and its 6 "
                                    "interpreted instructions")
        ie, mix = irq_cost(em), e.get("insn.mix", (alu,))[0]
        if ie is not None and i0 is not None:
            e["irqs.emulate"] = (ie - i0 * mix, "emulate IRQ less the handler's instructions at insn.mix")
    return e


FLAGS_OPS, IO_OPS, INT_OPS = ("cli", "sti", "pushf", "popf"), ("in", "out", "ins", "outs"), ("int", "int3", "into",
                                                                                           "iret")


def predict(native, mode, st, e):
    """Predicted ticks of a mode's run: native ticks + its events' counts x their costs."""
    c = lambda k: e[k][0] if k in e else 0.0
    cnt = lambda k: int(st.get(k, 0) or 0)
    p = native
    for k in st:
        if k.startswith("exit."):
            p += cnt(k) * (c(k) if k in ("exit.cpuid", "exit.io", "exit.hlt") else c("exit.other"))
    if mode == "assist":
        p += cnt("vm86_gp") * c("vm86_gp") + cnt("to_prot") * c("to_prot.assist") + cnt("irqs") * c("irqs.assist")
    if mode == "emulate":
        grp = {g: sum(cnt("op." + o) for o in ops) for g, ops in (("flags", FLAGS_OPS), ("io", IO_OPS),
                                                                  ("int", INT_OPS))}
        grp["mix"] = cnt("emulated") - sum(grp.values())  # op.other and the named groups not above
        p += sum(n * (c("insn." + g) - 1) for g, n in grp.items())
        p += cnt("to_prot") * c("to_prot.emulate") + cnt("irqs") * c("irqs.emulate")
    return p


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cpu", default="corei7_sandy_bridge_2600k")
    ap.add_argument("--guests", default=DEFAULT_GUESTS)
    ap.add_argument("--modes", default="ug,assist,emulate")
    ap.add_argument("--no-classes", action="store_true", help="skip rm_costs (and so the cost model)")
    ap.add_argument("--no-model", action="store_true", help="no native boots of the guests, no cost model")
    ap.add_argument("--reuse", action="store_true", help="no boots: the tables from the last run's logs")
    ap.add_argument("-j", type=int, default=os.cpu_count() or 2)
    a = ap.parse_args()
    global REUSE
    REUSE = a.reuse
    os.makedirs(OUT, exist_ok=True)
    modes = [m for m in a.modes.split(",") if m]
    guests = [g for g in a.guests.split(",") if g]
    for g in [g for g in guests if g.endswith((".iso", ".img")) and not guest_image(g)]:
        print(f"bench.py: {g}: no image in build/guests or build/real (`make real` builds the catalogue's): "
              "left out")
        guests.remove(g)
    jobs = []
    if not a.no_classes:
        jobs += [("rm_costs", m) for m in modes] + [("rm_costs", "native-own"), ("rm_costs", "native-bochs")]
    jobs += [(g, m) for g in guests for m in modes]
    if not a.no_model:
        jobs += [(g, "native-own") for g in guests if guest_image(g)]
    # the longest first: emulate boots, then the Linux guest's
    jobs.sort(key=lambda j: (j[1] != "emulate", "linux" not in j[0]))
    def run(j):
        g, m = j
        return boot_native(g, m[len("native-"):], a.cpu) if m.startswith("native-") else boot(g, m, a.cpu)
    with concurrent.futures.ThreadPoolExecutor(max_workers=a.j) as pool:
        rows = list(pool.map(run, jobs))
    res = {(g, m): (rc, kv, log) for g, m, rc, kv, log in rows}

    if not a.no_classes:
        C = {m: costs_lines(res[("rm_costs", m)][2]) for g, m in jobs if g == "rm_costs"}
        print_classes(C)
        print()

    print(f"Guests on {a.cpu} (ips=4000000): ticks from VM launch to power-off (native: from reset, plain Bochs)")
    print(f"{'guest':20} {'mode':10} {'st':>3} {'ticks':>12} {'x ug':>6} {'exits':>7} {'vm86_gp':>8} "
          f"{'emulated':>9} {'to_real':>7} {'irqs':>6}")
    for g in guests:
        ug = int(res.get((g, "ug"), (0, {}, ""))[1].get("tsc", 0))
        for m in modes + (["native-own"] if (g, "native-own") in res else []):
            rc, kv, _ = res[(g, m)]
            t = int(kv.get("tsc", 0))
            ratio = f"{t / ug:.2f}" if ug else "-"
            print(f"{g:20} {m:10} {rc:>3} {t:>12} {ratio:>6} {kv.get('exits', '-'):>7} {kv.get('vm86_gp', '-'):>8} "
                  f"{kv.get('emulated', '-'):>9} {kv.get('to_real', '-'):>7} {kv.get('irqs', '-'):>6}")

    if not a.no_classes and not a.no_model:
        print()
        e = event_costs(C, {m: res[("rm_costs", m)][1] for m in modes})
        print("Cost model: per-event costs, measured in this run (rm_costs' classes, ticks)")
        for k, (v, how) in e.items():
            print(f"  {k:18} {v:>10.1f}  {how}")
        print("Prediction: native ticks (plain Bochs, own rombios) + each event count of the run's "
              "vmxlab-stats x its cost")
        print(f"{'guest':20} {'mode':8} {'measured':>12} {'predicted':>12} {'error':>7}   "
              f"{'overhead over native: measured':>30} {'predicted':>12}")
        for g in guests:
            nat = int(res.get((g, "native-own"), (0, {}, ""))[1].get("tsc", 0))
            for m in modes:
                rc, kv, _ = res[(g, m)]
                t = int(kv.get("tsc", 0))
                if not nat or not t:
                    print(f"{g:20} {m:8} {t:>12} {'-':>12} {'-':>7}  (no native run or no stats line)")
                    continue
                p = predict(nat, m, kv, e)
                print(f"{g:20} {m:8} {t:>12} {p:>12.0f} {100 * (p - t) / t:>+6.1f}%   {t - nat:>30} {p - nat:>12.0f}")

    ips = host_emulator_throughput()
    if ips:
        print(f"host emulator throughput: {ips / 1e6:.1f} million instructions/s (tests/bench_emu.c mix)")
    print("image sizes (bytes)")
    size = subprocess.run(["size", os.path.join(TOP, "build", "hv.elf")], capture_output=True, text=True).stdout
    text, data, bss = size.splitlines()[1].split()[:3]
    print(f"  hv.elf text+data={int(text) + int(data)} (bss {bss})")
    for f in ("hv.bin", "vmxassist.bin", "guests/vmxloader.bin", "vmxlab.iso"):
        print(f"  {f} {os.path.getsize(os.path.join(TOP, 'build', f))}")
    firmware_sizes()
    return 0


def firmware_sizes():
    """rombios.bin is always 64 KiB (the reset vector is at its end): what
    counts is how much of the segment code, data and stack use (rombios.sym).
    vgabios.bin is as long as its option ROM header says (limit 32 KiB)."""
    b = os.path.join(TOP, "build")
    sym = os.path.join(b, "rombios.sym")
    if os.path.exists(sym):
        syms = {p[2]: int(p[0], 16) for p in (l.split() for l in open(sym)) if len(p) == 3}
        used = syms.get("bss_end", 0)
        print(f"  rombios.bin 65536 (code+data {used}, with the stack {syms.get('stack_top', 0)}; limit 65536)")
    vga = os.path.join(b, "vgabios.bin")
    if os.path.exists(vga):
        print(f"  vgabios.bin {os.path.getsize(vga)} (limit 32768)")


if __name__ == "__main__":
    raise SystemExit(main())
