#!/usr/bin/python3
"""check-constants.py - one home per constant: no bare number outside the header that names it.

Usage: tools/check-constants.py [--list FILE] [--root DIR] [--only NAME] [-v]
       tools/check-constants.py --markdown     (the checks as a table, for docs/testing.md)

Reads the list of checks (default tests/constants.ini) and, for each, greps
the given directories for its pattern. Every matching line outside the
check's home header is reported as FILE:LINE with the check's name and the
line; the exit status is then 1. With no such line the last line is
`check-constants: N checks, no bare number outside its home` (make test runs
this as the boot test constants_have_one_home).

The list's format (an INI file; one section per check, named after what it
checks; `#` starts a comment line):

    [vmx_capability_msr_numbers]
    # why the check exists, in a line or two
    pattern = \\b0x4[89][0-9a-f]\\b
    dirs    = hv vmxassist rombios vgabios
    home    = include/x86/msr.h

  pattern   a Python regular expression (case-insensitive) for the bare number
            as code writes it: `\\b0x4[89][0-9a-f]\\b`, `\\b3u << 8\\b`, `== 13\\b`
  dirs      the directories searched, recursively (default: hv vmxassist
            rombios vgabios)
  home      the file or files (space-separated paths from the top) that may
            hold the number: the header that names it. The pattern must
            match there at least once, so a check whose header no longer
            holds the number fails instead of passing on nothing.
  files     the file names searched (globs, default: *.c *.h *.asm *.inc *.S)
  except    optional: a regular expression for matching lines that are not
            the constant (say why in a comment), e.g. a table of font bytes

The check is textual, as a reader's grep would be: comments count too, so
a comment writes the name, not the number.
"""
import argparse
import configparser
import fnmatch
import os
import re
import sys

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_DIRS = "hv vmxassist rombios vgabios"
DEFAULT_FILES = "*.c *.h *.asm *.inc *.S"


def load_checks(path):
    """The checks of the list file as dicts; raises ValueError for a malformed one."""
    cfg = configparser.ConfigParser(interpolation=None, comment_prefixes=("#",), inline_comment_prefixes=None)
    if not cfg.read(path):
        raise ValueError(f"{path}: cannot read the list")
    checks = []
    for name in cfg.sections():
        sec = cfg[name]
        unknown = set(sec) - {"pattern", "dirs", "home", "files", "except"}
        if unknown:
            raise ValueError(f"{path}: [{name}]: unknown key(s) {', '.join(sorted(unknown))}")
        for key in ("pattern", "home"):
            if not sec.get(key, "").strip():
                raise ValueError(f"{path}: [{name}]: needs a {key} key")
        try:
            pattern = re.compile(sec["pattern"], re.IGNORECASE)
            exempt = re.compile(sec["except"], re.IGNORECASE) if sec.get("except") else None
        except re.error as e:
            raise ValueError(f"{path}: [{name}]: bad regular expression: {e}") from None
        checks.append({"name": name, "pattern": pattern, "except": exempt,
                       "dirs": sec.get("dirs", DEFAULT_DIRS).split(), "home": sec["home"].split(),
                       "files": sec.get("files", DEFAULT_FILES).split()})
    return checks


def files_under(root, dirs, globs):
    """The files under root/DIR for each DIR whose name matches one of globs, as paths from root."""
    for d in dirs:
        for parent, subdirs, names in os.walk(os.path.join(root, d)):
            subdirs.sort()
            for n in sorted(names):
                if any(fnmatch.fnmatch(n, g) for g in globs):
                    yield os.path.relpath(os.path.join(parent, n), root)


def matching_lines(root, path, check):
    """(line number, text) of each line of root/path that the check's pattern matches and its except does not."""
    with open(os.path.join(root, path), errors="replace") as f:
        for number, text in enumerate(f, 1):
            if check["pattern"].search(text) and not (check["except"] and check["except"].search(text)):
                yield number, text.rstrip("\n")


def run_check(root, check):
    """The problems one check finds, one message each."""
    problems = []
    for home in check["home"]:
        if not os.path.isfile(os.path.join(root, home)):
            problems.append(f"[{check['name']}]: its home {home} does not exist")
    if problems:
        return problems
    if not any(True for home in check["home"] for _ in matching_lines(root, home, check)):
        problems.append(f"[{check['name']}]: the pattern /{check['pattern'].pattern}/ matches nothing in its home "
                        f"{' '.join(check['home'])}: a stale check")
    for path in files_under(root, check["dirs"], check["files"]):
        if path in check["home"]:
            continue
        for number, text in matching_lines(root, path, check):
            problems.append(f"{path}:{number}: bare number of [{check['name']}] (its name lives in "
                            f"{' '.join(check['home'])}): {text.strip()}")
    return problems


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0], epilog=__doc__.split("\n", 2)[2],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--list", default=os.path.join(TOP, "tests", "constants.ini"), help="the list of checks")
    ap.add_argument("--root", default=TOP, help="the tree to check (default: this repository)")
    ap.add_argument("--only", metavar="NAME", help="run only the check of this name")
    ap.add_argument("-v", action="store_true", help="name each check as it passes")
    ap.add_argument("--markdown", action="store_true", help="print the checks as a Markdown table, check nothing")
    opts = ap.parse_args()
    try:
        checks = load_checks(opts.list)
    except ValueError as e:
        print(f"check-constants: {e}", file=sys.stderr)
        return 2
    if opts.only:
        checks = [c for c in checks if c["name"] == opts.only]
        if not checks:
            print(f"check-constants: no check named {opts.only} in {opts.list}", file=sys.stderr)
            return 2
    if opts.markdown:
        print("| check | bare number (regex) | searched | home |")
        print("| --- | --- | --- | --- |")
        for c in checks:
            regex = c["pattern"].pattern.replace("|", "\\|")  # a | would end the table cell
            print(f"| {c['name']} | `{regex}` | {' '.join(c['dirs'])} | {' '.join(c['home'])} |")
        return 0
    failed = 0
    for check in checks:
        problems = run_check(opts.root, check)
        for p in problems:
            print(p)
        if problems:
            failed += 1
        elif opts.v:
            print(f"ok [{check['name']}]")
    if failed:
        print(f"check-constants: {failed} of {len(checks)} checks failed")
        return 1
    print(f"check-constants: {len(checks)} check{'' if len(checks) == 1 else 's'}, no bare number outside its home")
    return 0


if __name__ == "__main__":
    sys.exit(main())
