#!/usr/bin/python3
"""lab_commands.py - do the commands the lab handouts show work?

Usage: tests/lab_commands.py [--run-boots]

Every line `    $ command` of labs/*.md is checked, one PASS/FAIL line each:
  - `make TARGET VAR=value ...`: TARGET is a target of the Makefile, and the
    values it names exist: GUEST (a test guest, boot-sector guest, disk
    image or catalogue name), MODE, CPU, LAB (a lab with exercises);
  - `make lab LAB=N` and `make test T=...` are run (both cheap);
  - `make run` of a 32-bit or boot-sector guest is run with --run-boots
    (a few seconds each) and must end with the guest's PASS/SUMMARY lines,
    or with the one error line the handout shows (Penryn, ug on Lynnfield);
  - `cd DIR && ...`: DIR is where `make lab` puts the tree;
  - other commands (tests/..., tools/...): the file exists and is executable.
The boots of GRUB, `make bench`, `make diff`, `make timeline` and `make bochs`
are checked but not run (minutes each, or interactive); make test runs
them elsewhere (grub_guest_*, lab5_timeline_*, diff/*).
"""
import glob
import os
import re
import shlex
import subprocess
import sys

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODES = ("assist", "emulate", "ug")
CPUS = ("corei7_sandy_bridge_2600k", "corei5_lynnfield_750", "core2_penryn_t9600")
RUN_OK = {  # make run of these guests: what the run must print, and make's status
    "testguest": (r"^SUMMARY: 8 tests, 0 failures", 0),
    "rm_pm_roundtrip": (r"^SUMMARY: \d+ tests, 0 failures", 0),
    "rm_exceptions": (r"^SUMMARY: \d+ tests, 0 failures", 0),
}


def make_targets():
    p = subprocess.run(["make", "-qp", "-f", "Makefile", "no-such-target-xyz"], cwd=TOP, capture_output=True,
                       text=True)
    return {m.group(1) for m in re.finditer(r"^([a-zA-Z][\w.-]*):", p.stdout, re.M)}


def guest_exists(g):
    if os.path.exists(os.path.join(TOP, "tests", "guests", g + ".asm")) or \
            os.path.exists(os.path.join(TOP, "tests", "guests", "rm", g + ".asm")):
        return True
    if g in ("grub.iso", "grub-mb.iso", "hello.img", "hello.hdd", "hello.iso", "vga-int10.img"):
        return True
    p = subprocess.run([os.path.join(TOP, "tests", "guests", "real", "catalogue.py"), "list"], capture_output=True,
                       text=True)
    return g in p.stdout.split()


def labs_with_exercises():
    p = subprocess.run([os.path.join(TOP, "tools", "lab.py"), "list"], capture_output=True, text=True, cwd=TOP)
    return {m.group(1) for m in re.finditer(r"^LAB (\d+) ", p.stdout, re.M)}


def check_make(words, targets, run_boots):
    """words: the arguments after `make`. Returns an error or None."""
    target = next((w for w in words if "=" not in w and not w.startswith("-")), "all")
    if target not in targets:
        return f"no target '{target}' in the Makefile"
    var = dict(w.split("=", 1) for w in words if "=" in w)
    for m in var.get("MODE", "assist").split():
        if m not in MODES:
            return f"MODE={m} is not one of {', '.join(MODES)}"
    if var.get("CPU", CPUS[0]) not in CPUS:
        return f"CPU={var['CPU']} is not a model the tests use"
    if "GUEST" in var and not guest_exists(var["GUEST"]):
        return f"GUEST={var['GUEST']}: no such guest"
    if "LAB" in var and var["LAB"] not in labs_with_exercises():
        return f"LAB={var['LAB']}: no exercises for that lab"
    if target == "lab" or (target == "test" and "T" in var):
        p = subprocess.run(["make", "--no-print-directory"] + words, cwd=TOP, capture_output=True, text=True,
                           timeout=600)
        if p.returncode != 0:
            return f"exited with status {p.returncode}: {(p.stderr or p.stdout).strip().splitlines()[-1:]}"
        return None
    if target == "run" and run_boots and var.get("GUEST") in RUN_OK and "ARGS" not in var:
        tag = "-".join(re.sub(r"\W", "", w) for w in words[1:])
        p = subprocess.run(["make", "--no-print-directory"] + words + [f"RUN_ISO=build/test/labcmd-{tag}.iso"],
                           cwd=TOP, capture_output=True, text=True, errors="replace", timeout=600)
        out = p.stdout.replace("\r", "")
        if var.get("CPU") == "core2_penryn_t9600":
            want, status = r"^vmxlab: error: no EPT", 2
        elif var.get("MODE") == "ug" and var.get("CPU") == "corei5_lynnfield_750":
            want, status = r"^vmxlab: error: no unrestricted guest", 2
        else:
            want, status = RUN_OK[var["GUEST"]]
        if not re.search(want, out, re.M):
            return f"no line matches /{want}/"
        if p.returncode != status:
            return f"make exited with status {p.returncode}, wanted {status}"
    return None


def main():
    run_boots = "--run-boots" in sys.argv
    targets = make_targets()
    fails = 0
    for md in sorted(glob.glob(os.path.join(TOP, "labs", "*.md"))):
        with open(md) as f:
            for n, line in enumerate(f, 1):
                m = re.match(r"^    \$ (.*)$", line.rstrip("\n"))
                if not m:
                    continue
                cmd = m.group(1)
                name = f"{os.path.basename(md)}:{n}: {cmd}"
                err = None
                parts = [shlex.split(c) for c in cmd.split("&&")]
                for words in parts:
                    if words[0] == "cd":
                        if not re.match(r"^build/lab/lab\d$", words[1]):
                            err = f"cd {words[1]}: not where make lab puts a student tree"
                    elif words[0] == "make":
                        err = check_make(words[1:], targets, run_boots and len(parts) == 1)
                    elif words[0] in ("tests/check_timeline.py",) or words[0].startswith(("tests/", "tools/")):
                        if not os.access(os.path.join(TOP, words[0]), os.X_OK):
                            err = f"{words[0]} is not an executable file"
                    else:
                        err = f"unknown command {words[0]!r}"
                    if err:
                        break
                fails += err is not None
                print(f"PASS: {name}" if not err else f"FAIL: {name}: {err}", flush=True)
    print(f"SUMMARY: handout commands, {fails} failures")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
