#!/usr/bin/python3
"""run_tests.py - vmxlab's test runner: host unit tests, then boot tests.

Usage: tests/run_tests.py [--filter WORD] [--unit-only] [--boot-only] [--slow] [--list] [--times] [-j N]
       tests/run_tests.py --grade N                  (make grade: the tests of group labN and a score)
       tests/run_tests.py --table --filter real     (make guests: the tested-guest table)

Unit tests are the binaries build/unit/test_* (built by `make unit-bins`);
each prints one `PASS: name` or `FAIL: name: why` line per test. The
differential sample of the emulator against Unicorn (tests/diff/emu_diff.py
--unit, needing `make diff-lib`) runs beside them, one line per mnemonic. Boot tests
are the sections of tests/boot/tests.ini (see the key list at its top); they
boot ISOs in Bochs or QEMU through tools/run.sh, independent boots in
parallel. The last line is `N passed, N failed` (plus `, N skipped`); the exit
status is 1 when anything failed.
"""
import argparse
import configparser
import functools
import concurrent.futures
import glob
import json
import os
import re
import subprocess
import sys
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.path.join(TOP, "build")
TESTDIR = os.environ.get("VMXLAB_TESTDIR") or os.path.join(BUILD, "test")  # make grade in lab_check.sh: its own
CPUS = {
    "sandy": "corei7_sandy_bridge_2600k",
    "lynnfield": "corei5_lynnfield_750",
    "penryn": "core2_penryn_t9600",
}
FIRMWARES = ("own", "bochs")
# The BIOS images of each firmware for a plain Bochs run (nohv = 1): rom, vgarom.
PLAIN_ROMS = {
    "own": ("build/rombios.bin", None),  # vgarom: the own vgabios (tests/run_tests.py: own_vgabios)
    "bochs": ("/usr/share/bochs/BIOS-bochs-legacy", "/usr/share/vgabios/vgabios.bin"),
}


@functools.lru_cache(maxsize=None)
def own_vgabios():
    """The own vgabios, as the Makefile's OWN_VGABIOS picks it."""
    p = subprocess.run(["make", "--no-print-directory", "-s", "print-own-vgabios"], cwd=TOP, capture_output=True,
                       text=True)
    return p.stdout.strip() or "build/vgabios.bin"


class Result:
    def __init__(self, name, ok, why="", skipped=False):
        self.name, self.ok, self.why, self.skipped = name, ok, why, skipped
        self.seconds = None  # a boot's wall time

    def line(self, times=False):
        t = f" [{self.seconds:.0f} s]" if times and self.seconds is not None else ""
        if self.skipped:
            return f"SKIP {self.name}: {self.why}"
        return f"PASS {self.name}{t}" if self.ok else f"FAIL {self.name}{t}: {self.why}"


def run_unit_tests(flt):
    results = []
    for exe in sorted(glob.glob(os.path.join(BUILD, "unit", "test_*"))):
        p = subprocess.run([exe], capture_output=True, text=True, timeout=120)
        seen = 0
        for line in p.stdout.splitlines():
            m = re.match(r"(PASS|FAIL): (\S+)(?:: (.*))?$", line)
            if not m:
                continue
            seen += 1
            name = f"unit/{os.path.basename(exe)[5:]}/{m.group(2)}"
            if flt and flt not in name:
                continue
            results.append(Result(name, m.group(1) == "PASS", m.group(3) or ""))
        if p.returncode != 0 and not any(not r.ok for r in results if r.name.startswith(f"unit/{os.path.basename(exe)[5:]}/")):
            tail = (p.stderr.strip().splitlines() or ["no output"])[-1]
            results.append(Result(f"unit/{os.path.basename(exe)}", False,
                                  f"exited with status {p.returncode} after {seen} tests: {tail}"))
    return results


def parse_unit_output(prefix, text):
    out = []
    for line in text.splitlines():
        m = re.match(r"(PASS|FAIL): (\S+)(?:: (.*))?$", line)
        if m:
            out.append(Result(f"{prefix}/{m.group(2)}", m.group(1) == "PASS", m.group(3) or ""))
    return out


def start_diff_test():
    """The differential sample of the emulator against Unicorn (tests/diff), in the background."""
    return subprocess.Popen(["/usr/bin/python3", os.path.join(TOP, "tests", "diff", "emu_diff.py"), "--unit"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=TOP)


def finish_diff_test(p, flt):
    out, err = p.communicate()
    results = [r for r in parse_unit_output("diff", out) if not flt or flt in r.name]
    if p.returncode != 0 and not any(not r.ok for r in results):
        tail = (err.strip().splitlines() or ["no output"])[-1]
        results.append(Result("diff/emu_diff", False, f"exited with status {p.returncode}: {tail}"))
    return results


def lines_of(key, section):
    return [l.strip() for l in section.get(key, "").splitlines() if l.strip()]


def check_stats(conds, output):
    stats = [l for l in output.splitlines() if l.startswith("vmxlab-stats ")]
    if not stats:
        return "no vmxlab-stats line in the output"
    kv = dict(w.split("=", 1) for w in stats[-1].split()[1:] if "=" in w)
    for cond in conds.split():
        m = re.match(r"([\w.]+)(>=|>|<=|<|=)(\S+)$", cond)
        if not m:
            return f"bad stats condition '{cond}' in tests.ini"
        key, op, want = m.groups()
        have = kv.get(key, "0" if key.startswith(("exit.", "op.")) else None)  # shown only when seen
        if have is None:
            return f"stats line has no key '{key}': {stats[-1]}"
        if op == "=" and not want.isdigit():
            ok = have == want
        else:
            h, w = int(have), int(want)
            ok = {">": h > w, ">=": h >= w, "<": h < w, "<=": h <= w, "=": h == w}[op]
        if not ok:
            return f"stats: {key}={have}, wanted {op}{want} (line: {stats[-1]})"
    return None


class ConfigError(Exception):
    """A tests.ini section that cannot run as written."""


def boots_bios(sec):
    """Does the test boot the guest BIOS through the hv (the firmware matters)?"""
    return ("disk" in sec or "ramdisk" in sec) and sec.get("nohv") != "1"


def rom_file(what, key):
    """A rom/vgarom value: a firmware name (own, bochs) or a file."""
    if what in PLAIN_ROMS:
        f = PLAIN_ROMS[what][0 if key == "rom" else 1]
        return f if f else own_vgabios()
    return what


def prepare(name, sec):
    """Builds what a boot test needs; returns the command to run."""
    if "command" in sec:
        return ["/bin/sh", "-c", sec["command"]]
    cpu = sec.get("cpu", "sandy")
    log = ["--log", os.path.join(TESTDIR, name + ".serial")]
    if sec.get("nohv") == "1":  # plain Bochs or QEMU, the BIOS as its system BIOS, no hv and no ISO
        fw = sec.get("firmware", "own")
        engine = sec.get("engine", "bochs")
        rom = rom_file(sec.get("rom", fw), "rom")
        vga = rom_file(sec.get("vgarom", fw), "vgarom")  # QEMU: the std VGA's romfile
        return [os.path.join(TOP, "tools", "run.sh"), "--quiet", "--no-hv", "--engine", engine, "--rom", rom,
                "--vgarom", vga,
                "--cpu", CPUS.get(cpu, cpu), "--mem", sec.get("mem", "256"), "--timeout", sec.get("timeout", "300"),
                *log, *engine_options(sec), "--snapshot",
                "--disk", os.path.join(TOP, sec["disk"])]
    guest = sec.get("guest", "testguest")
    for f in (guest, sec.get("ramdisk", "").split(":")[0]):
        if f.startswith("build/test/empty-"):  # an empty module the hv must refuse
            open(os.path.join(TOP, f), "wb").close()
    args, extra, mode = sec.get("args", ""), [], sec.get("mode", "assist")
    if boots_bios(sec):
        args = f"firmware={sec.get('firmware', 'own')} {args}"
    disk = sec.get("disk")
    if disk:  # a disk guest: vmxloader and the guest BIOS boot it from the engine's drive
        disk = os.path.join(TOP, disk)
        kind = subprocess.run([os.path.join(TOP, "tools", "guest-kind.sh"), disk], capture_output=True,
                              text=True, check=True).stdout.strip()
        guest, args, extra = "vmxloader", f"boot={kind} {args}", ["--snapshot", "--disk", disk]
    if "drive" in sec:  # a disk beside the test guest (the primary slave), not booted
        extra = ["--snapshot", "--disk", os.path.join(TOP, sec["drive"])]
    iso = os.path.join(TESTDIR, name + ".iso")
    mkiso = [os.path.join(TOP, "tools", "mkiso.sh"), "--out", iso, "--guest", guest, "--args", args]
    if "ramdisk" in sec:  # the ISO's RAM-disk entry: vmxloader plus the image as a ramdisk= module
        rd = sec["ramdisk"]
        mkiso += ["--ramdisk", rd if rd.startswith("/") else os.path.join(TOP, rd)]
        mode = "ramdisk-" + mode
    subprocess.run(mkiso + ["--mode", mode], check=True, cwd=TOP, capture_output=True, text=True)
    for key, opt in (("type", "--type"), ("type_serial", "--type-serial")):  # keys for the guest to read
        if key in sec:
            extra += [opt, sec[key]]
    extra += engine_options(sec)
    return [os.path.join(TOP, "tools", "run.sh"), "--quiet", "--engine", sec.get("engine", "bochs"),
            "--cpu", CPUS.get(cpu, cpu), "--mem", sec.get("mem", "256"), "--timeout", sec.get("timeout", "300"),
            *log, *extra, iso]


def engine_options(sec):
    """run.sh options around the guest: a NIC, the screen read at the timeout, a line that ends the run."""
    opts = ["--nic", sec["nic"]] if "nic" in sec else []
    if "smp" in sec:
        opts += ["--smp", sec["smp"]]
    if "ips" in sec:
        opts += ["--ips", sec["ips"]]
    if sec.get("screen_at_timeout") == "1":
        opts.append("--screen-at-timeout")
    if sec.get("uefi") == "1":
        opts.append("--uefi")
    if "until" in sec:
        opts += ["--until", sec["until"]]
    return opts


def build_real_images(boots):
    """Builds the catalogue images (build/real) the boots need, in one make; returns an error or None."""
    need = sorted({p.split(":")[0] for _, sec in boots for p in (sec.get("disk", ""), sec.get("ramdisk", ""))
                   if p.startswith("build/real/")})
    if not need:
        return None
    print(f"building {len(need)} catalogue image(s): {' '.join(os.path.basename(n) for n in need)}", flush=True)
    p = subprocess.run(["make", "--no-print-directory", "-s"] + need, cwd=TOP, capture_output=True, text=True)
    if p.returncode != 0:
        return (p.stderr.strip() or p.stdout.strip()).splitlines()[-1]
    return None


def variant_name(mode, cpu, fw):
    return f"{mode}-{cpu}" + ("" if fw == "own" else f"-{fw}")


def expand_variants(cfg, names, slow, flt=None):
    """A section with `variants = assist-sandy ug-sandy ...` stands for one boot
    per variant (named name@variant) plus name@identical, which checks that
    the lines matching `compare` are the same in every variant. A variant is
    mode-cpu[-firmware] (firmware own when left out); `firmwares = own bochs`
    runs every variant with each firmware (and makes variants of a section's
    own mode and cpu when it has no `variants`). Variants in `slow_variants`
    run only with --slow (else they are reported skipped). A section that
    boots the guest BIOS must say its firmwares. With flt, a section whose
    name does not match still runs the variants whose full name does (but
    no @identical). Returns boots, compares, skipped, config errors."""
    boots, compares, skipped, errors = [], [], [], []
    for n in cfg.sections():
        sec = cfg[n]
        whole = n in names
        if not whole and not flt:
            continue
        fws = sec.get("firmwares", "").split()
        bad = [f for f in fws if f not in FIRMWARES]
        if (bad or ("firmwares" in sec and not fws)) and whole:
            errors.append(Result(n, False, f"tests.ini: firmwares = {sec.get('firmwares')!r}: each must be one of "
                                           f"{', '.join(FIRMWARES)}"))
        if bad or ("firmwares" in sec and not fws):
            continue
        if boots_bios(sec) and not fws and whole:
            errors.append(Result(n, False, "tests.ini: the test boots the guest BIOS, so it needs a firmwares key "
                                           "(firmwares = own bochs; or one firmware and a comment saying why)"))
            continue
        if "ramdisk" in sec and ("bochs" in fws or "-bochs" in sec.get("variants", "")):
            errors.append(Result(n, False, "tests.ini: RAM disks need the own firmware (firmwares = own)"))
            continue
        if "variants" not in sec and len(fws) <= 1:
            d = dict(sec)
            if fws:
                d["firmware"] = fws[0]
            if whole and sec.get("slow") == "1" and not slow:
                skipped.append(Result(n, True, "slow: run with make test SLOW=1", skipped=True))
            elif whole:
                boots.append((n, d))
            continue
        base = sec.get("variants", f"{sec.get('mode', 'assist')}-{sec.get('cpu', 'sandy')}").split()
        slow_base = sec.get("slow_variants", "").split()
        subs = []
        for v in base + slow_base:
            parts = v.split("-")
            if len(parts) not in (2, 3) or (len(parts) == 3 and parts[2] not in FIRMWARES):
                errors.append(Result(f"{n}@{v}", False, "tests.ini: a variant is mode-cpu or mode-cpu-firmware"))
                continue
            for fw in [parts[2]] if len(parts) == 3 else fws or ["own"]:
                vn = f"{n}@{variant_name(parts[0], parts[1], fw)}"
                if not whole and not (vn.endswith(flt[:-1]) if flt.endswith("$") else flt in vn):
                    continue
                if v in slow_base and not slow:
                    skipped.append(Result(vn, True, "slow: run with make test SLOW=1", skipped=True))
                    continue
                d = dict(sec)
                for k in ("variants", "slow_variants", "firmwares"):
                    d.pop(k, None)
                d.update(mode=parts[0], cpu=parts[1], firmware=fw)
                subs.append((vn, d))
        boots += subs
        if whole:
            checks = [(sec.get("compare", r"^(PASS|FAIL|SUMMARY)"), [s for s, _ in subs])]
            for fw in FIRMWARES:  # compare.own, compare.bochs: lines that agree within one firmware
                if f"compare.{fw}" in sec:
                    checks.append((sec[f"compare.{fw}"], [s for s, d in subs if d["firmware"] == fw]))
            compares.append((f"{n}@identical", checks))
    return boots, compares, skipped, errors


def compare_outputs(name, checks, results):
    """checks: (regex, variant names) pairs; the matching lines must agree in each group."""
    subs_all = [s for _, subs in checks for s in subs]
    failed = [r.name for r in results if r.name in subs_all and not r.ok]
    if failed:
        return Result(name, False, f"not compared: {', '.join(dict.fromkeys(failed))} failed")
    for rx, subs in checks:
        outs = []
        for s in subs:
            with open(os.path.join(TESTDIR, s + ".serial"), errors="replace") as f:
                outs.append([l for l in f.read().replace("\r", "").splitlines() if re.search(rx, l)])
        for s, o in zip(subs[1:], outs[1:]):
            if o != outs[0]:
                diff = next((f"{a!r} vs {b!r}" for a, b in zip(outs[0], o) if a != b),
                            f"{len(outs[0])} vs {len(o)} lines")
                return Result(name, False, f"{subs[0]} and {s} differ in /{rx}/: {diff}")
        if subs and not outs[0]:
            return Result(name, False, f"no line matches /{rx}/ in {subs[0]}")
    return Result(name, True)


def run_boot_test(name, sec, reuse=False):
    """One boot and its checks. Its result is kept in build/test/NAME.result; with reuse, a kept result is
    taken instead of booting (make guests REUSE=1: the table from the last runs)."""
    kept = os.path.join(TESTDIR, name + ".result")
    if reuse and os.path.exists(kept):
        with open(kept) as f:
            d = json.load(f)
        r = Result(name, d["ok"], d["why"])
        r.seconds = d["seconds"]
        return r
    t0 = time.monotonic()
    r = check_boot_test(name, sec)
    r.seconds = time.monotonic() - t0
    with open(kept, "w") as f:
        json.dump({"ok": r.ok, "why": r.why, "seconds": r.seconds}, f)
    return r


def check_boot_test(name, sec):
    try:
        cmd = prepare(name, sec)
    except subprocess.CalledProcessError as e:
        return Result(name, False, f"could not build the ISO: {(e.stderr or '').strip() or e}")
    limit = int(sec.get("timeout", "300"))
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, errors="replace", cwd=TOP, timeout=limit + 60)
    except subprocess.TimeoutExpired:
        return Result(name, False, f"did not finish within {limit + 60} s")
    output = p.stdout + p.stderr
    if "command" not in sec:
        with open(os.path.join(TESTDIR, name + ".serial"), errors="replace") as f:
            output = f.read().replace("\r", "")
        output += ("" if output.endswith("\n") or not output else "\n") + p.stderr  # run.sh's lines start a line
    lines = output.splitlines()
    fw = sec.get("firmware", "own")
    want = int(sec.get(f"status.{fw}", sec.get("status", "0")))
    why = []
    if p.returncode != want:
        why.append(f"exit status {p.returncode}, wanted {want}")
    for rx in lines_of("expect", sec) + lines_of(f"expect.{fw}", sec):
        if not any(re.search(rx, l) for l in lines):
            why.append(f"no line matches /{rx}/")
    for rx in lines_of("reject", sec) + lines_of(f"reject.{fw}", sec):
        bad = [l for l in lines if re.search(rx, l)]
        if bad:
            why.append(f"line matches rejected /{rx}/: {bad[0]!r}")
    for rx in lines_of("once", sec):
        n = sum(1 for l in lines if re.search(rx, l))
        if n != 1:
            why.append(f"{n} lines match /{rx}/, wanted exactly 1")
    for cond in lines_of("order", sec):  # "rx1 <= rx2": the hex numbers they capture
        rx1, rx2 = (x.strip() for x in cond.split("<="))
        vals = []
        for rx in (rx1, rx2):
            m = next((re.search(rx, l) for l in lines if re.search(rx, l)), None)
            vals.append(int(m.group(1), 16) if m else None)
        if None in vals:
            why.append(f"order: no line matches /{rx1 if vals[0] is None else rx2}/")
        elif vals[0] > vals[1]:
            why.append(f"order: 0x{vals[0]:x} from /{rx1}/ is above 0x{vals[1]:x} from /{rx2}/")
    if "stats" in sec:
        err = check_stats(sec["stats"], output)
        if err:
            why.append(err)
    if why:
        missing = [m.group(0) for m in (LAB_MISSING.search(l) for l in lines) if m]
        why = list(dict.fromkeys(missing)) + why  # a lab exercise that is not done names itself first
        log = os.path.relpath(os.path.join(TESTDIR, name + ".serial"), TOP)
        return Result(name, False, "; ".join(why) + ("" if "command" in sec else f" (COM1 output: {log})"))
    return Result(name, True)


LAB_MISSING = re.compile(r"LAB \d+ exercise \d+ \([^)]*\) not done")


def grade(cfg, lab, jobs):
    """make grade: the tests of group labN, one line each, then Score: X/Y (points per test: `points`)."""
    names = [n for n in cfg.sections() if f"lab{lab}" in cfg[n].get("groups", "").split()]
    if not names:
        print(f"no tests in group lab{lab} (tests/boot/tests.ini)")
        return 2
    boots, _, _, errors = expand_variants(cfg, names, False)
    os.makedirs(TESTDIR, exist_ok=True)
    print(f"grading lab {lab}: {len(boots)} tests")
    score = total = 0
    results = list(errors)
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        futs = {pool.submit(run_boot_test, n, s): n for n, s in boots}
        for f in concurrent.futures.as_completed(futs):
            results.append(f.result())
    points = {n: int(s.get("points", "1")) for n, s in boots}
    for r in sorted(results, key=lambda r: r.name):
        p = points.get(r.name, 1)
        total += p
        score += p if r.ok else 0
        t = f" ({r.seconds:.1f}s)" if r.seconds is not None else ""
        print(f"{r.name}: OK{t}" if r.ok else f"{r.name}: FAIL{t}: {r.why}")
    missing = sorted({m for r in results if not r.ok for m in LAB_MISSING.findall(r.why)})
    for m in missing:
        print(f"missing: {m}")
    print(f"Score: {score}/{total}")
    return 0 if score == total else 1


TABLE_COLUMNS = [("assist", "sandy", "assist"), ("ug", "sandy", "ug"), ("assist", "lynnfield", "Lynnfield assist"),
                 ("emulate", "sandy", "emulate")]


def stats_of(name):
    """The last vmxlab-stats line of a boot's COM1 log as a dict."""
    try:
        with open(os.path.join(TESTDIR, name + ".serial"), errors="replace") as f:
            stats = [l for l in f.read().splitlines() if l.startswith("vmxlab-stats ")]
    except OSError:
        return {}
    return dict(w.split("=", 1) for w in stats[-1].split()[1:] if "=" in w) if stats else {}


def short(n):
    n = int(n)
    return f"{n / 1e9:.2f}G" if n >= 1e9 else f"{n / 1e6:.1f}M" if n >= 1e6 else f"{n / 1e3:.1f}k" if n >= 1e3 \
        else str(n)


def catalogue_info(image):
    """catalogue.py info of a build/real image: version and route (empty for other images)."""
    name = os.path.splitext(os.path.basename(image.split(":")[0]))[0]
    p = subprocess.run([os.path.join(TOP, "tests", "guests", "real", "catalogue.py"), "info", name],
                       capture_output=True, text=True)
    return dict(l.split("=", 1) for l in p.stdout.splitlines() if "=" in l)


def print_table(cfg, names, results):
    """The tested-guest table (make guests): one row per guest and firmware, a column per mode plus the
    plain-Bochs reference; each cell the result, Bochs ticks (tsc), exits and mode switches."""
    by_name = {r.name: r for r in results}
    notes = []

    def cell(rname):
        r = by_name.get(rname)
        if r is None:
            return "-"
        st = stats_of(rname)
        fig = " ".join(x for x in (
            f"{short(st['tsc'])} ticks" if "tsc" in st else "",
            f"{short(st['exits'])} exits" if "exits" in st else "",
            f"{short(st['to_real'])}/{short(st.get('to_prot', 0))} switches" if "to_real" in st else "",
            f"{r.seconds:.0f} s" if r.seconds is not None else "") if x)
        if r.ok:
            return f"ok {fig}".strip()
        notes.append(f"{rname}: {r.why}")
        return f"**FAIL**[{len(notes)}] {fig}".strip()

    print("| guest | version | boot route | firmware | " + " | ".join(c for _, _, c in TABLE_COLUMNS) +
          " | plain Bochs, Bochs BIOS |")
    print("|" + " --- |" * (5 + len(TABLE_COLUMNS)))
    for n in names:
        sec = cfg[n]
        if sec.get("nohv") == "1":
            continue
        image = sec.get("disk") or sec.get("ramdisk", "")
        if not image.startswith("build/real/"):  # a test of the group that boots no catalogue guest
            continue
        info = catalogue_info(image)
        row = sec.get("row", os.path.splitext(os.path.basename(image.split(":")[0]))[0])
        route = ("hv RAM disk (GRUB module), " if "ramdisk" in sec else "") + info.get("route", "?")
        refs = [m for m in names if cfg[m].get("nohv") == "1" and cfg[m].get("disk") == sec.get("disk")]
        named = sec.get("firmwares", "own").split() + [v.split("-")[2] for v in
                                                        (sec.get("variants", "") + " " + sec.get("slow_variants", "")).split()
                                                        if v.count("-") == 2]
        for fw in [f for f in FIRMWARES if f in named]:
            cells = [cell(f"{n}@{variant_name(mode, cpu, fw)}") for mode, cpu, _ in TABLE_COLUMNS]
            ref = cell(refs[0]) if refs and fw == "bochs" else ""
            print(f"| {row} | {info.get('version', '?')} | {route} | {fw} | " + " | ".join(cells) + f" | {ref} |")
    print()
    print("Cells: the result, then the last vmxlab-stats line's Bochs ticks (tsc), VM exits and mode switches "
          "(to_real/to_prot), and the boot's wall time. Failures:")
    for i, n in enumerate(notes, 1):
        print(f"{i}. {n}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--filter", help="run only tests whose name or groups contain this word; a trailing $ "
                                     "matches the end of a variant's name (--filter 'x@emulate-sandy$')")
    ap.add_argument("--unit-only", action="store_true")
    ap.add_argument("--boot-only", action="store_true")
    ap.add_argument("--list", action="store_true", help="list the tests and exit")
    ap.add_argument("--slow", action="store_true", help="also run the slow variants (mode=emulate floppy boots)")
    ap.add_argument("--times", action="store_true", help="show each boot's wall time")
    ap.add_argument("--table", action="store_true",
                    help="figures, never a test: run the filtered tests with their slow variants and print the "
                         "tested-guest table (make guests); exit 0")
    ap.add_argument("--exclude", action="append", default=[], metavar="WORD",
                    help="leave out the boots whose name contains WORD (repeatable), e.g. --table --filter real "
                         "--exclude debian_installer: the table then shows - for them")
    ap.add_argument("--reuse", action="store_true",
                    help="with --table: take each boot's result from its last run (build/test/NAME.result) where "
                         "there is one, boot only the others")
    ap.add_argument("--grade", type=int, metavar="N", help="make grade: lab N's tests (group labN) and a score")
    ap.add_argument("-j", type=int, default=os.cpu_count() or 2, help="parallel boots (default: CPU count)")
    a = ap.parse_args()

    cfg = configparser.ConfigParser(interpolation=None)
    cfg.read(os.path.join(TOP, "tests", "boot", "tests.ini"))
    if a.grade is not None:
        return grade(cfg, a.grade, a.j)
    names = [n for n in cfg.sections()
             if not a.filter or a.filter in n or a.filter in cfg[n].get("groups", "").split()]
    boots, compares, skipped, errors = expand_variants(cfg, names, a.slow or a.table, a.filter)
    if a.exclude:
        left_out = lambda n: any(w in n for w in a.exclude)  # noqa: E731
        boots = [b for b in boots if not left_out(b[0])]
        compares = [c for c in compares if not left_out(c[0])]
        skipped = [r for r in skipped if not left_out(r.name)]
    if a.list:
        for n, sec in boots:
            print(n)
        for n, _ in compares:
            print(n)
        return 0

    os.makedirs(TESTDIR, exist_ok=True)
    err = None if a.unit_only else build_real_images(boots)
    if err:  # the tests that boot a catalogue image fail with why; the others run
        real = [(n, sec) for n, sec in boots if "build/real/" in sec.get("disk", "") + sec.get("ramdisk", "")]
        errors += [Result(n, False, f"could not build the catalogue image: {err}") for n, _ in real]
        boots = [b for b in boots if b not in real]
    if a.table:
        a.boot_only, compares = True, []
    diff = None if a.boot_only or (a.filter and a.filter not in "diff") else start_diff_test()
    results = [] if a.boot_only else run_unit_tests(a.filter)
    results += [] if a.unit_only else errors
    for r in results:
        print(r.line(), flush=True)
    if not a.unit_only:
        with concurrent.futures.ThreadPoolExecutor(max_workers=a.j) as pool:
            futs = [pool.submit(run_boot_test, n, s, a.reuse) for n, s in boots]
            for f in concurrent.futures.as_completed(futs):
                r = f.result()
                print(r.line(a.times), flush=True)
                results.append(r)
        for n, checks in compares:
            r = compare_outputs(n, checks, results)
            print(r.line(), flush=True)
            results.append(r)
    if diff:
        for r in finish_diff_test(diff, None if a.filter == "diff" else a.filter):
            print(r.line(), flush=True)
            results.append(r)
    if not a.unit_only:
        for r in skipped:
            print(r.line(), flush=True)
            results.append(r)
    if a.table:
        print()
        print_table(cfg, names, results)
        return 0
    passed = sum(r.ok and not r.skipped for r in results)
    failed = sum(not r.ok and not r.skipped for r in results)
    skipped = sum(r.skipped for r in results)
    print(f"{passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else ""))
    return 1 if failed or not results else 0


if __name__ == "__main__":
    sys.exit(main())
