#!/usr/bin/python3
"""bench.py - vmxlab's figures (`make bench`): never a test, never fails on a threshold.

Usage: tests/bench.py [--cpu MODEL] [--guests NAME,NAME,...] [--modes assist,emulate,ug] [-j N]

Boots each guest once per real-mode strategy in Bochs (ips=4000000; its ticks
are deterministic, so the figures repeat exactly) and prints a table: Bochs
ticks from VM launch to power-off (`tsc`), the ratio to ug, VM exits, VM86
faults, emulated instructions and real <-> protected switches. Then the host
emulator's throughput and the image sizes. Guests: names of
tests/guests/rm/*.asm, or hello.img, grub.iso, grub-mb.iso, testguest.
"""
import argparse
import concurrent.futures
import ctypes
import os
import subprocess
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(TOP, "build", "bench")
DEFAULT_GUESTS = "grub.iso,rm_bios,rm_pm_roundtrip,rm_quirks,rm_longmode"


def guest_image(name):
    for p in (f"build/guests/rm/{name}.img", f"build/guests/disk/{name}"):
        if os.path.exists(os.path.join(TOP, p)):
            return os.path.join(TOP, p)
    return None


def boot(guest, mode, cpu):
    tag = f"{guest}-{mode}"
    iso, log = os.path.join(OUT, tag + ".iso"), os.path.join(OUT, tag + ".serial")
    img = guest_image(guest)
    extra, args, module = [], "", guest
    if img:
        kind = subprocess.run([f"{TOP}/tools/guest-kind.sh", img], capture_output=True, text=True).stdout.strip()
        extra, args, module = ["--snapshot", "--disk", img], f"boot={kind}", "vmxloader"
    subprocess.run([f"{TOP}/tools/mkiso.sh", "--out", iso, "--mode", mode, "--guest", module, "--args", args],
                   check=True)
    p = subprocess.run([f"{TOP}/tools/run.sh", "--quiet", "--cpu", cpu, "--timeout", "1800", "--log", log, *extra,
                        iso])
    with open(log, errors="replace") as f:
        stats = [l for l in f.read().splitlines() if l.startswith("vmxlab-stats ")]
    kv = dict(w.split("=", 1) for w in stats[-1].split()[1:] if "=" in w) if stats else {}
    return guest, mode, p.returncode, kv


def host_emulator_throughput():
    """Instructions per second of emu.c on the host, on a fixed instruction mix."""
    lib = os.path.join(TOP, "build", "bench", "libemu_bench.so")
    src = os.path.join(TOP, "tests", "bench_emu.c")
    if not os.path.exists(src):
        return None
    subprocess.run(["gcc", "-O2", "-shared", "-fPIC", "-Iinclude", "-Ivmxassist", "-o", lib, src,
                    "vmxassist/emu.c"], check=True, cwd=TOP)
    f = ctypes.CDLL(lib).bench_emu
    f.restype = ctypes.c_ulong
    n = 2_000_000
    t = time.perf_counter()
    done = f(ctypes.c_ulong(n))
    return done / (time.perf_counter() - t)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cpu", default="corei7_sandy_bridge_2600k")
    ap.add_argument("--guests", default=DEFAULT_GUESTS)
    ap.add_argument("--modes", default="assist,emulate,ug")
    ap.add_argument("-j", type=int, default=os.cpu_count() or 2)
    a = ap.parse_args()
    os.makedirs(OUT, exist_ok=True)
    jobs = [(g, m) for g in a.guests.split(",") for m in a.modes.split(",")]
    with concurrent.futures.ThreadPoolExecutor(max_workers=a.j) as pool:
        rows = list(pool.map(lambda gm: boot(gm[0], gm[1], a.cpu), jobs))
    print(f"Bochs boots on {a.cpu} (ips=4000000): ticks from VM launch to power-off")
    print(f"{'guest':18} {'mode':8} {'st':>3} {'ticks':>12} {'x ug':>6} {'exits':>7} {'vm86_gp':>8} "
          f"{'emulated':>9} {'to_real':>7} {'fallback':>8}")
    ug = {g: int(kv.get("tsc", 0)) for g, m, rc, kv in rows if m == "ug"}
    for g, m, rc, kv in rows:
        t = int(kv.get("tsc", 0))
        ratio = f"{t / ug[g]:.2f}" if ug.get(g) else "-"
        print(f"{g:18} {m:8} {rc:>3} {t:>12} {ratio:>6} {kv.get('exits', '-'):>7} {kv.get('vm86_gp', '-'):>8} "
              f"{kv.get('emulated', '-'):>9} {kv.get('to_real', '-'):>7} {kv.get('emu_fallback', '-'):>8}")
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
