#!/usr/bin/python3
"""lab.py - the course lab's student trees (labs/README.md).

Usage: tools/lab.py list [N]            the exercises (of lab N), one per line
       tools/lab.py make N DIR          write the student tree for lab N to DIR
       tools/lab.py current             the lab of this tree (a student tree's .vmxlab-lab)

A solution region is marked in C, assembly or Python:

  | /* LAB 2: BEGIN exercise 1 (CPUID handler) */
  | ... the solution ...
  | /* LAB 2: STUB (void)leaf; */          optional, any number: stub code
  | /* LAB 2: END */

(`; LAB 2: ...` in assembly, `# LAB 2: ...` in Python.) In the tree for lab N
the regions of lab N and of every later lab become a comment that points to
the handout, the STUB code, and a call lab_missing(lab, exercise, "title")
(include/vmxlab/lab.h: one error line naming the exercise, then power-off with
status 0x76); assembly regions get only their STUB code. Regions of earlier
labs keep their solutions, so the labs can be done in order. The tree gets no
git history, no build/ and no labs/INSTRUCTOR.md; unchanged files keep their
modification times.
"""
import glob
import os
import re
import shutil
import subprocess
import sys

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LAB_FILE = ".vmxlab-lab"
NOT_COPIED = ("labs/INSTRUCTOR.md",)
SUFFIXES = (".c", ".h", ".asm", ".inc", ".py", ".sh")
MARK = r"^(?P<indent>\s*)(?P<open>/\*|;|#)\s*LAB (?P<lab>\d+): "
BEGIN = re.compile(MARK + r"BEGIN exercise (?P<ex>\d+) \((?P<title>[^)]*)\)\s*(\*/)?\s*$")
STUB = re.compile(MARK + r"STUB ?(?P<code>.*?)\s*(\*/)?\s*$")
END = re.compile(MARK + r"END\s*(\*/)?\s*$")


class LabError(Exception):
    pass


def tree_files(top):
    """The files of the tree: git's tracked files, or every file outside build/ and .git."""
    if os.path.isdir(os.path.join(top, ".git")) or os.path.isfile(os.path.join(top, ".git")):
        p = subprocess.run(["git", "ls-files", "-z"], cwd=top, capture_output=True, text=True)
        if p.returncode == 0:
            return [f for f in p.stdout.split("\0") if f and os.path.isfile(os.path.join(top, f))]
    out = []
    for d, dirs, files in os.walk(top):
        rel = os.path.relpath(d, top)
        dirs[:] = [x for x in dirs if not (rel == "." and x in ("build", ".git"))]
        out += [os.path.normpath(os.path.join(rel, f)) for f in files]
    return sorted(out)


def regions(path, text):
    """The regions of one file: dicts with lab, ex, title, start and end line numbers (0-based), stubs."""
    out, cur = [], None
    for n, line in enumerate(text.splitlines()):
        b, s, e = BEGIN.match(line), STUB.match(line), END.match(line)
        if b:
            if cur:
                raise LabError(f"{path}:{n + 1}: LAB {b['lab']} BEGIN inside the region of line {cur['start'] + 1}")
            cur = dict(lab=int(b["lab"]), ex=int(b["ex"]), title=b["title"], start=n, indent=b["indent"],
                       open=b["open"], stubs=[], path=path)
        elif s or e:
            m = s or e
            if not cur or int(m["lab"]) != cur["lab"]:
                raise LabError(f"{path}:{n + 1}: LAB {m['lab']} {'STUB' if s else 'END'} outside a LAB {m['lab']} "
                               "region")
            if s:
                cur["stubs"].append(s["code"])
            else:
                cur["end"] = n
                out.append(cur)
                cur = None
    if cur:
        raise LabError(f"{path}:{cur['start'] + 1}: LAB {cur['lab']} region without its END")
    return out


def all_regions(top):
    out = []
    for f in tree_files(top):
        if not f.endswith(SUFFIXES):
            continue
        with open(os.path.join(top, f), errors="replace") as fh:
            text = fh.read()
        if "LAB " in text:
            out += regions(f, text)
    return out


def exercises(top, lab=None):
    """(lab, exercise, title) of every region, once each, in order."""
    seen = {}
    for r in all_regions(top):
        if lab is None or r["lab"] == lab:
            seen.setdefault((r["lab"], r["ex"]), r["title"])
    return sorted((l, e, t) for (l, e), t in seen.items())


def handout(top, lab):
    h = sorted(glob.glob(os.path.join(top, "labs", f"lab{lab}-*.md")))
    return os.path.relpath(h[0], top) if h else "labs/README.md"


def stub_lines(r, top):
    i, o = r["indent"], r["open"]
    c = " */" if o == "/*" else ""
    title = r["title"].replace('"', "'")
    lines = [f"{i}{o} LAB {r['lab']} exercise {r['ex']} ({r['title']}): your code here; see "
             f"{handout(top, r['lab'])}{c}"]
    lines += [i + s for s in r["stubs"]]
    if o == "/*":
        lines.append(f'{i}lab_missing({r["lab"]}, {r["ex"]}, "{title}");')
    elif o == "#":
        lines.append(f'{i}lab_missing({r["lab"]}, {r["ex"]}, "{title}")')
    return lines


def student_text(text, regs, lab, top):
    lines = text.splitlines(keepends=True)
    nl = "\n"
    for r in sorted(regs, key=lambda r: -r["start"]):
        if r["lab"] >= lab:
            lines[r["start"]:r["end"] + 1] = [x + nl for x in stub_lines(r, top)]
    return "".join(lines)


def make_tree(top, lab, dest):
    labs = {l for l, _, _ in exercises(top)}
    if lab not in labs:
        raise LabError(f"no lab {lab}: the tree has exercises for labs {', '.join(map(str, sorted(labs))) or 'none'}")
    if os.path.exists(dest) and os.listdir(dest) and not os.path.exists(os.path.join(dest, LAB_FILE)):
        raise LabError(f"{dest} exists and is not a student tree: give another LABDIR")
    files = tree_files(top)
    for f in files:
        if f in NOT_COPIED or f == LAB_FILE:
            continue
        src, dst = os.path.join(top, f), os.path.join(dest, f)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        text = None
        if f.endswith(SUFFIXES):
            with open(src, errors="surrogateescape") as fh:
                text = fh.read()
            regs = regions(f, text) if "LAB " in text else []
            if any(r["lab"] >= lab for r in regs):
                new = student_text(text, regs, lab, top)
                if os.path.exists(dst):
                    with open(dst, errors="surrogateescape") as fh:
                        if fh.read() == new:
                            continue
                with open(dst, "w", errors="surrogateescape") as fh:
                    fh.write(new)
                shutil.copymode(src, dst)
                continue
        if os.path.exists(dst) and os.path.getmtime(dst) == os.path.getmtime(src) and \
                os.path.getsize(dst) == os.path.getsize(src):
            continue
        shutil.copy2(src, dst)
    with open(os.path.join(dest, LAB_FILE), "w") as fh:
        fh.write(f"{lab}\n")
    todo = [f"LAB {l} exercise {e} ({t})" for l, e, t in exercises(top, lab)]
    print(f"lab {lab}: student tree in {dest}; handout {handout(top, lab)}")
    for t in todo:
        print(f"  to do: {t}")
    print(f"  then: cd {dest} && make grade")


def main(argv):
    if len(argv) >= 2 and argv[1] == "list":
        lab = int(argv[2]) if len(argv) > 2 else None
        for l, e, t in exercises(TOP, lab):
            print(f"LAB {l} exercise {e} ({t})")
        return 0
    if len(argv) == 4 and argv[1] == "make":
        make_tree(TOP, int(argv[2]), argv[3])
        return 0
    if len(argv) == 2 and argv[1] == "current":
        try:
            with open(os.path.join(TOP, LAB_FILE)) as fh:
                print(fh.read().strip())
            return 0
        except OSError:
            return 1
    sys.stderr.write(__doc__.split("\n\n")[1] + "\n")
    return 2


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv))
    except (LabError, ValueError) as e:
        sys.stderr.write(f"lab.py: error: {e}\n")
        sys.exit(2)
