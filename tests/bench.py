#!/usr/bin/python3
"""bench.py - vmxlab's figures (`make bench`): never a test, never fails on a threshold.

Usage: tests/bench.py [--cpu MODEL] [--guest NAME]

Boots the guest once per real-mode strategy in Bochs and prints, per mode,
the VM exits, the exits by reason and the guest TSC (Bochs ticks are
deterministic, so these repeat exactly), then the image sizes.
"""
import argparse
import os
import re
import subprocess

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(TOP, "build", "bench")


def boot(mode, guest, cpu):
    iso = os.path.join(OUT, f"{guest}-{mode}.iso")
    log = os.path.join(OUT, f"{guest}-{mode}.serial")
    subprocess.run([f"{TOP}/tools/mkiso.sh", "--out", iso, "--mode", mode, "--guest", guest], check=True)
    p = subprocess.run([f"{TOP}/tools/run.sh", "--quiet", "--cpu", cpu, "--log", log, iso])
    with open(log, errors="replace") as f:
        stats = [l for l in f.read().splitlines() if l.startswith("vmxlab-stats ")]
    if not stats:
        return p.returncode, {}
    return p.returncode, dict(w.split("=", 1) for w in stats[-1].split()[1:] if "=" in w)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cpu", default="corei7_sandy_bridge_2600k")
    ap.add_argument("--guest", default="testguest")
    a = ap.parse_args()
    os.makedirs(OUT, exist_ok=True)
    rows = [(m, *boot(m, a.guest, a.cpu)) for m in ("assist", "emulate", "ug")]
    print(f"guest {a.guest} on {a.cpu} (Bochs, ips=4000000)")
    print(f"{'mode':8} {'status':>6} {'exits':>8} {'tsc':>12}  exits by reason")
    for mode, rc, kv in rows:
        reasons = " ".join(f"{k[5:]}={v}" for k, v in kv.items() if k.startswith("exit."))
        print(f"{mode:8} {rc:>6} {kv.get('exits', '-'):>8} {kv.get('tsc', '-'):>12}  {reasons}")
    print("image sizes (bytes)")
    size = subprocess.run(["size", os.path.join(TOP, "build", "hv.elf")], capture_output=True, text=True).stdout
    text, data, bss = size.splitlines()[1].split()[:3]
    print(f"  hv.elf text={text} data={data} bss={bss} (text+data={int(text) + int(data)})")
    for f in ("hv.bin", "vmxlab.iso"):
        print(f"  {f} {os.path.getsize(os.path.join(TOP, 'build', f))}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
