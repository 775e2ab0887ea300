#!/usr/bin/python3
"""check_timeline.py - is a timeline SVG well-formed, and do its counts equal the statistics?

Usage: tests/check_timeline.py FILE.svg [LOG ...]   (one LOG per panel, in order; default:
       the COM1 logs the panels name in data-log)

Parses the SVG as XML and, per panel, counts the switch marks (class
"switch to_real" / "switch to_prot") and the exit marks (the data-n of every
class="exit" element, per reason); each must equal the LOG's last
vmxlab-stats line: to_real, to_prot (absent in ug: 0 marks), exits, exit.<reason>.
Prints one PASS/FAIL line per check.
"""
import re
import sys
import xml.etree.ElementTree as ET

NS = "{http://www.w3.org/2000/svg}"


def stats_of(path):
    with open(path, errors="replace") as f:
        lines = [l for l in f.read().replace("\r", "").splitlines() if l.startswith("vmxlab-stats ")]
    if not lines:
        return None
    return dict(w.split("=", 1) for w in lines[-1].split()[1:] if "=" in w)


def main(argv):
    svg, logs = argv[1], argv[2:]
    fails = 0

    def check(ok, name, why=""):
        nonlocal fails
        fails += not ok
        print(f"PASS: {name}" if ok else f"FAIL: {name}: {why}")

    try:
        root = ET.parse(svg).getroot()
    except (ET.ParseError, OSError) as e:
        check(False, "timeline_svg_is_well_formed", str(e))
        return 1
    check(root.tag == NS + "svg", "timeline_svg_is_well_formed", f"root element {root.tag}")
    panels = [g for g in root.iter(NS + "g") if g.get("class") == "panel"]
    logs = logs or [g.get("data-log") for g in panels]
    check(len(panels) == len(logs), "timeline_has_one_panel_per_boot", f"{len(panels)} panels, {len(logs)} logs")
    for g, log in zip(panels, logs):
        st = stats_of(log)
        t = g.get("data-title")
        if st is None:
            check(False, f"{t}_stats_line", f"no vmxlab-stats line in {log}")
            continue
        marks = {}
        for e in g.iter():
            cls = (e.get("class") or "").split()
            if "switch" in cls:
                marks[cls[1]] = marks.get(cls[1], 0) + 1
            elif "exit" in cls:
                r = e.get("data-reason")
                marks["exit." + r] = marks.get("exit." + r, 0) + int(e.get("data-n"))
                marks["exits"] = marks.get("exits", 0) + int(e.get("data-n"))
        for key in ("to_real", "to_prot", "exits"):
            want, have = int(st.get(key, 0)), marks.get(key, 0)
            check(want == have, f"{t}_{key}_marks_equal_the_statistics", f"{have} marks, statistics {key}={want}")
        bad = [f"{k}: {marks.get(k, 0)} marks, statistics {v}" for k, v in st.items()
               if k.startswith("exit.") and int(v) != marks.get(k, 0)]
        bad += [f"{k}: {v} marks, not in the statistics" for k, v in marks.items()
                if k.startswith("exit.") and k not in st]
        check(not bad, f"{t}_exit_marks_per_reason_equal_the_statistics", "; ".join(bad))
        check(int(g.get("data-exits")) == int(st.get("exits", -1)), f"{t}_panel_exit_count_equals_the_statistics",
              f"data-exits={g.get('data-exits')}, statistics exits={st.get('exits')}")
    print(f"SUMMARY: timeline checks, {fails} failures")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
