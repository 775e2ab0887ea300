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


def matches(flt, name, groups=()):
    """The one meaning of --filter: no filter; a word the name contains or one of the groups; WORD$: the name
    ends with WORD."""
    if not flt:
        return True
    if flt.endswith("$"):
        return name.endswith(flt[:-1])
    return flt in name or flt in groups


def parse_result_lines(prefix, text):
    """The `PASS: name` / `FAIL: name: why` lines of a unit test or the diff sample, as Results named prefix/name."""
    results = []
    for line in text.splitlines():
        m = re.match(r"(PASS|FAIL): (\S+)(?:: (.*))?$", line)
        if m:
            results.append(Result(f"{prefix}/{m.group(2)}", m.group(1) == "PASS", m.group(3) or ""))
    return results


def exit_result(name, returncode, stderr, results):
    """A Result for a test program that exited with an error none of its own FAIL lines explains, else None."""
    if returncode == 0 or any(not r.ok for r in results):
        return None
    tail = (stderr.strip().splitlines() or ["no output"])[-1]
    return Result(name, False, f"exited with status {returncode} after {len(results)} tests: {tail}")


def run_unit_tests(flt):
    results = []
    for exe in sorted(path for path in glob.glob(os.path.join(BUILD, "unit", "test_*")) if os.access(path, os.X_OK)):
        proc = subprocess.run([exe], capture_output=True, text=True, timeout=120)
        ran = parse_result_lines(f"unit/{os.path.basename(exe)[5:]}", proc.stdout)
        results += [r for r in ran if matches(flt, r.name)]
        crash = exit_result(f"unit/{os.path.basename(exe)}", proc.returncode, proc.stderr, ran)
        if crash:
            results.append(crash)
    return results


def start_diff_test():
    """The differential sample of the emulator against Unicorn (tests/diff), in the background."""
    return subprocess.Popen(["/usr/bin/python3", os.path.join(TOP, "tests", "diff", "emu_diff.py"), "--unit"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=TOP)


def wants_diff_test(flt):
    """Does the filter select the diff sample's tests (named diff/MNEMONIC)?"""
    return not flt or "diff" in flt


def finish_diff_test(proc, flt):
    stdout, stderr = proc.communicate()
    ran = parse_result_lines("diff", stdout)
    results = [r for r in ran if matches(flt, r.name)]
    crash = exit_result("diff/emu_diff", proc.returncode, stderr, ran)
    return results + ([crash] if crash else [])


def lines_of(key, sec):
    """A multi-line tests.ini value (expect, reject, once, order): its non-empty lines."""
    return [line.strip() for line in sec.get(key, "").splitlines() if line.strip()]


def read_serial(name):
    """A boot's COM1 log (build/test/NAME.serial), without carriage returns."""
    with open(os.path.join(TESTDIR, name + ".serial"), errors="replace") as f:
        return f.read().replace("\r", "")


def parse_stats(text):
    """The last `vmxlab-stats key=value ...` line of a log: (the line, its keys as a dict), or (None, {})."""
    stats = [line for line in text.splitlines() if line.startswith("vmxlab-stats ")]
    if not stats:
        return None, {}
    return stats[-1], dict(w.split("=", 1) for w in stats[-1].split()[1:] if "=" in w)


def check_stats(conds, output):
    line, values = parse_stats(output)
    if line is None:
        return "no vmxlab-stats line in the output"
    for cond in conds.split():
        m = re.match(r"([\w.]+)(>=|>|<=|<|=)(\S+)$", cond)
        if not m:
            return f"bad stats condition '{cond}' in tests.ini"
        key, op, want = m.groups()
        have = values.get(key, "0" if key.startswith(("exit.", "op.")) else None)  # shown only when seen
        if have is None:
            return f"stats line has no key '{key}': {line}"
        if op == "=" and not want.isdigit():
            ok = have == want
        else:
            h, w = int(have), int(want)
            ok = {">": h > w, ">=": h >= w, "<": h < w, "<=": h <= w, "=": h == w}[op]
        if not ok:
            return f"stats: {key}={have}, wanted {op}{want} (line: {line})"
    return None


@functools.lru_cache(maxsize=None)
def hv_statuses():
    """The hv's exit statuses by name: the VMXLAB_STATUS_* defines of include/vmxlab/vmcall.h."""
    with open(os.path.join(TOP, "include", "vmxlab", "vmcall.h")) as f:
        return {m.group(1): int(m.group(2), 0)
                for m in re.finditer(r"^#define\s+(VMXLAB_STATUS_\w+)\s+(0x[0-9a-fA-F]+|\d+)", f.read(), re.M)}


def wanted_status(sec, fw):
    """A test's expected exit status for firmware fw (status.FW, else status, else 0): a number or a
    VMXLAB_STATUS_* name from include/vmxlab/vmcall.h. Raises ConfigError for anything else."""
    text = sec.get(f"status.{fw}", sec.get("status", "0")).strip()
    if text.isdigit():
        return int(text)
    if text in hv_statuses():
        return hv_statuses()[text]
    raise ConfigError(f"status = {text}: a number or one of {', '.join(hv_statuses())} (include/vmxlab/vmcall.h)")


def parse_variant(variant):
    """A variant, mode-cpu[-firmware]: (mode, cpu, firmware or None). Raises ConfigError when malformed."""
    parts = variant.split("-")
    if len(parts) not in (2, 3) or (len(parts) == 3 and parts[2] not in FIRMWARES):
        raise ConfigError("a variant is mode-cpu or mode-cpu-firmware")
    return parts[0], parts[1], parts[2] if len(parts) == 3 else None


def groups_of(sec):
    return sec.get("groups", "").split()


def timeout_of(sec):
    return int(sec.get("timeout", "300"))


class ConfigError(Exception):
    """A tests.ini value that cannot run as written."""


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
    run_sh = [os.path.join(TOP, "tools", "run.sh"), "--quiet", "--engine", sec.get("engine", "bochs"),
              "--cpu", CPUS.get(cpu, cpu), "--mem", sec.get("mem", "256"), "--timeout", str(timeout_of(sec)),
              "--log", os.path.join(TESTDIR, name + ".serial")]
    if sec.get("nohv") == "1":  # plain Bochs or QEMU, the BIOS as its system BIOS, no hv and no ISO
        fw = sec.get("firmware", "own")
        rom = rom_file(sec.get("rom", fw), "rom")
        vga = rom_file(sec.get("vgarom", fw), "vgarom")  # QEMU: the std VGA's romfile
        return run_sh + ["--no-hv", "--rom", rom, "--vgarom", vga, *engine_options(sec), "--snapshot",
                         "--disk", os.path.join(TOP, sec["disk"])]
    guest = sec.get("guest", "testguest")
    for path in (guest, sec.get("ramdisk", "").split(":")[0]):
        if path.startswith("build/test/empty-"):  # an empty module the hv must refuse
            open(os.path.join(TOP, path), "wb").close()
    hv_args, extra, mode = sec.get("args", ""), [], sec.get("mode", "assist")
    if boots_bios(sec):
        hv_args = f"firmware={sec.get('firmware', 'own')} {hv_args}"
    disk = sec.get("disk")
    if disk:  # a disk guest: vmxloader and the guest BIOS boot it from the engine's drive
        disk = os.path.join(TOP, disk)
        kind = subprocess.run([os.path.join(TOP, "tools", "guest-kind.sh"), disk], capture_output=True,
                              text=True, check=True).stdout.strip()
        guest, hv_args, extra = "vmxloader", f"boot={kind} {hv_args}", ["--snapshot", "--disk", disk]
    if "drive" in sec:  # a disk beside the test guest (the primary slave), not booted
        extra = ["--snapshot", "--disk", os.path.join(TOP, sec["drive"])]
    iso = os.path.join(TESTDIR, name + ".iso")
    mkiso = [os.path.join(TOP, "tools", "mkiso.sh"), "--out", iso, "--guest", guest, "--args", hv_args]
    if "ramdisk" in sec:  # the ISO's RAM-disk entry: vmxloader plus the image as a ramdisk= module
        rd = sec["ramdisk"]
        mkiso += ["--ramdisk", rd if rd.startswith("/") else os.path.join(TOP, rd)]
        mode = "ramdisk-" + mode
    subprocess.run(mkiso + ["--mode", mode], check=True, cwd=TOP, capture_output=True, text=True)
    for key, opt in (("type", "--type"), ("type_serial", "--type-serial")):  # keys for the guest to read
        if key in sec:
            extra += [opt, sec[key]]
    return run_sh + extra + engine_options(sec) + [iso]


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
        if whole:
            try:
                for fw in FIRMWARES:
                    wanted_status(sec, fw)
            except ConfigError as e:
                errors.append(Result(n, False, f"tests.ini: {e}"))
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
            try:
                mode, cpu, v_fw = parse_variant(v)
            except ConfigError as e:
                errors.append(Result(f"{n}@{v}", False, f"tests.ini: {e}"))
                continue
            for fw in [v_fw] if v_fw else fws or ["own"]:
                vn = f"{n}@{variant_name(mode, cpu, fw)}"
                if not whole and not matches(flt, vn):
                    continue
                if v in slow_base and not slow:
                    skipped.append(Result(vn, True, "slow: run with make test SLOW=1", skipped=True))
                    continue
                d = dict(sec)
                for k in ("variants", "slow_variants", "firmwares"):
                    d.pop(k, None)
                d.update(mode=mode, cpu=cpu, firmware=fw)
                subs.append((vn, d))
        boots += subs
        if whole:
            checks = [(sec.get("compare", r"^(PASS|FAIL|SUMMARY)"), [vn for vn, _ in subs])]
            for fw in FIRMWARES:  # compare.own, compare.bochs: lines that agree within one firmware
                if f"compare.{fw}" in sec:
                    checks.append((sec[f"compare.{fw}"], [vn for vn, d in subs if d["firmware"] == fw]))
            compares.append((f"{n}@identical", checks))
    return boots, compares, skipped, errors


def compare_outputs(name, checks, results):
    """checks: (regex, variant names) pairs; the matching lines must agree in each group."""
    subs_all = [vn for _, subs in checks for vn in subs]
    failed = [r.name for r in results if r.name in subs_all and not r.ok]
    if failed:
        return Result(name, False, f"not compared: {', '.join(dict.fromkeys(failed))} failed")
    for rx, subs in checks:
        outs = [[line for line in read_serial(vn).splitlines() if re.search(rx, line)] for vn in subs]
        for vn, out in zip(subs[1:], outs[1:]):
            if out != outs[0]:
                first = next((f"{want!r} vs {have!r}" for want, have in zip(outs[0], out) if want != have),
                             f"{len(outs[0])} vs {len(out)} lines")
                return Result(name, False, f"{subs[0]} and {vn} differ in /{rx}/: {first}")
        if subs and not outs[0]:
            return Result(name, False, f"no line matches /{rx}/ in {subs[0]}")
    return Result(name, True)


def run_boot_test(name, sec, reuse=False):
    """One boot and its checks. Its result is kept in build/test/NAME.result; with reuse, a kept result is
    taken instead of booting (make guests REUSE=1: the table from the last runs)."""
    if reuse:
        kept = load_result(name)
        if kept:
            return kept
    t0 = time.monotonic()
    r = check_boot_test(name, sec)
    r.seconds = time.monotonic() - t0
    save_result(r)
    return r


def result_file(name):
    return os.path.join(TESTDIR, name + ".result")


def save_result(r):
    """A boot's result as build/test/NAME.result (JSON: ok, why, seconds)."""
    with open(result_file(r.name), "w") as f:
        json.dump({"ok": r.ok, "why": r.why, "seconds": r.seconds}, f)


def load_result(name):
    """The Result save_result kept for name, or None."""
    try:
        with open(result_file(name)) as f:
            kept = json.load(f)
    except OSError:
        return None
    r = Result(name, kept["ok"], kept["why"])
    r.seconds = kept["seconds"]
    return r


def check_boot_test(name, sec):
    try:
        cmd = prepare(name, sec)
    except subprocess.CalledProcessError as e:
        return Result(name, False, f"could not build the ISO: {(e.stderr or '').strip() or e}")
    limit = timeout_of(sec) + 60
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, errors="replace", cwd=TOP, timeout=limit)
    except subprocess.TimeoutExpired:
        return Result(name, False, f"did not finish within {limit} s")
    output = proc.stdout + proc.stderr
    if "command" not in sec:
        output = read_serial(name)
        output += ("" if output.endswith("\n") or not output else "\n") + proc.stderr  # run.sh's lines start a line
    lines = output.splitlines()
    fw = sec.get("firmware", "own")
    want = wanted_status(sec, fw)  # checked by expand_variants
    why = []
    if proc.returncode != want:
        why.append(f"exit status {proc.returncode}, wanted {want}")
    for rx in lines_of("expect", sec) + lines_of(f"expect.{fw}", sec):
        if not any(re.search(rx, line) for line in lines):
            why.append(f"no line matches /{rx}/")
    for rx in lines_of("reject", sec) + lines_of(f"reject.{fw}", sec):
        bad = [line for line in lines if re.search(rx, line)]
        if bad:
            why.append(f"line matches rejected /{rx}/: {bad[0]!r}")
    for key, want in (("once", 1), ("twice", 2)):
        for rx in lines_of(key, sec):
            count = sum(1 for line in lines if re.search(rx, line))
            if count != want:
                why.append(f"{count} lines match /{rx}/, wanted exactly {want}")
    for cond in lines_of("order", sec):  # "rx1 <= rx2": the hex numbers they capture
        rx1, rx2 = (x.strip() for x in cond.split("<="))
        vals = []
        for rx in (rx1, rx2):
            m = next((re.search(rx, line) for line in lines if re.search(rx, line)), None)
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
        serial = os.path.relpath(os.path.join(TESTDIR, name + ".serial"), TOP)
        return Result(name, False, "; ".join(why) + ("" if "command" in sec else f" (COM1 output: {serial})"))
    return Result(name, True)


LAB_MISSING = re.compile(r"LAB \d+ exercise \d+ \([^)]*\) not done")


def grade(cfg, lab, jobs):
    """make grade: the tests of group labN, one line each, then Score: X/Y (points per test: `points`)."""
    names = [n for n in cfg.sections() if f"lab{lab}" in groups_of(cfg[n])]
    if not names:
        print(f"no tests in group lab{lab} (tests/boot/tests.ini)")
        return 2
    boots, _, _, errors = expand_variants(cfg, names, False)
    os.makedirs(TESTDIR, exist_ok=True)
    print(f"grading lab {lab}: {len(boots)} tests")
    score = total = 0
    results = list(errors)
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(run_boot_test, n, sec) for n, sec in boots]
        for fut in concurrent.futures.as_completed(futures):
            results.append(fut.result())
    points = {n: int(sec.get("points", "1")) for n, sec in boots}
    for r in sorted(results, key=lambda r: r.name):
        worth = points.get(r.name, 1)
        total += worth
        score += worth if r.ok else 0
        t = f" ({r.seconds:.1f}s)" if r.seconds is not None else ""
        print(f"{r.name}: OK{t}" if r.ok else f"{r.name}: FAIL{t}: {r.why}")
    missing = sorted({exercise for r in results if not r.ok for exercise in LAB_MISSING.findall(r.why)})
    for exercise in missing:
        print(f"missing: {exercise}")
    print(f"Score: {score}/{total}")
    return 0 if score == total else 1


TABLE_COLUMNS = [("assist", "sandy", "assist"), ("ug", "sandy", "ug"), ("assist", "lynnfield", "Lynnfield assist"),
                 ("emulate", "sandy", "emulate")]


def stats_of(name):
    """The last vmxlab-stats line of a boot's COM1 log as a dict."""
    try:
        return parse_stats(read_serial(name))[1]
    except OSError:
        return {}


def short(value):
    x = int(value)
    return f"{x / 1e9:.2f}G" if x >= 1e9 else f"{x / 1e6:.1f}M" if x >= 1e6 else f"{x / 1e3:.1f}k" if x >= 1e3 \
        else str(x)


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
        refs = [ref for ref in names if cfg[ref].get("nohv") == "1" and cfg[ref].get("disk") == sec.get("disk")]
        named = sec.get("firmwares", "own").split()
        for v in (sec.get("variants", "") + " " + sec.get("slow_variants", "")).split():
            try:
                named.append(parse_variant(v)[2])
            except ConfigError:
                pass  # expand_variants reported it
        for fw in [fw for fw in FIRMWARES if fw in named]:
            cells = [cell(f"{n}@{variant_name(mode, cpu, fw)}") for mode, cpu, _ in TABLE_COLUMNS]
            ref = cell(refs[0]) if refs and fw == "bochs" else ""
            print(f"| {row} | {info.get('version', '?')} | {route} | {fw} | " + " | ".join(cells) + f" | {ref} |")
    print()
    print("Cells: the result, then the last vmxlab-stats line's Bochs ticks (tsc), VM exits and mode switches "
          "(to_real/to_prot), and the boot's wall time. Failures:")
    for i, note in enumerate(notes, 1):
        print(f"{i}. {note}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--filter", help="run only tests whose name or groups contain this word; a trailing $ "
                                     "matches the end of a test's name (--filter 'x@emulate-sandy$'); the "
                                     "Unicorn sample (tests diff/MNEMONIC) runs when the word contains diff")
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
    opts = ap.parse_args()

    cfg = configparser.ConfigParser(interpolation=None)
    cfg.read(os.path.join(TOP, "tests", "boot", "tests.ini"))
    if opts.grade is not None:
        return grade(cfg, opts.grade, opts.j)
    names = [n for n in cfg.sections() if matches(opts.filter, n, groups_of(cfg[n]))]
    boots, compares, skipped, errors = expand_variants(cfg, names, opts.slow or opts.table, opts.filter)
    if opts.exclude:
        left_out = lambda n: any(word in n for word in opts.exclude)  # noqa: E731
        boots = [b for b in boots if not left_out(b[0])]
        compares = [c for c in compares if not left_out(c[0])]
        skipped = [r for r in skipped if not left_out(r.name)]
    if opts.list:
        for n, _ in boots:
            print(n)
        for n, _ in compares:
            print(n)
        return 0

    os.makedirs(TESTDIR, exist_ok=True)
    err = None if opts.unit_only else build_real_images(boots)
    if err:  # the tests that boot a catalogue image fail with why; the others run
        real = [(n, sec) for n, sec in boots if "build/real/" in sec.get("disk", "") + sec.get("ramdisk", "")]
        errors += [Result(n, False, f"could not build the catalogue image: {err}") for n, _ in real]
        boots = [b for b in boots if b not in real]
    if opts.table:
        opts.boot_only, compares = True, []
    diff_proc = start_diff_test() if not opts.boot_only and wants_diff_test(opts.filter) else None
    results = [] if opts.boot_only else run_unit_tests(opts.filter)
    results += [] if opts.unit_only else errors
    for r in results:
        print(r.line(), flush=True)
    if not opts.unit_only:
        with concurrent.futures.ThreadPoolExecutor(max_workers=opts.j) as pool:
            futures = [pool.submit(run_boot_test, n, sec, opts.reuse) for n, sec in boots]
            for fut in concurrent.futures.as_completed(futures):
                r = fut.result()
                print(r.line(opts.times), flush=True)
                results.append(r)
        for n, checks in compares:
            r = compare_outputs(n, checks, results)
            print(r.line(), flush=True)
            results.append(r)
    if diff_proc:
        for r in finish_diff_test(diff_proc, opts.filter):
            print(r.line(), flush=True)
            results.append(r)
    if not opts.unit_only:
        for r in skipped:
            print(r.line(), flush=True)
            results.append(r)
    if opts.table:
        print()
        print_table(cfg, names, results)
        return 0
    passed = sum(r.ok and not r.skipped for r in results)
    failed = sum(not r.ok and not r.skipped for r in results)
    n_skipped = sum(r.skipped for r in results)
    print(f"{passed} passed, {failed} failed" + (f", {n_skipped} skipped" if n_skipped else ""))
    return 1 if failed or not results else 0


if __name__ == "__main__":
    sys.exit(main())
