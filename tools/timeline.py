#!/usr/bin/python3
"""timeline.py - an SVG timeline of a guest's mode switches and VM exits.

Usage: tools/timeline.py --out FILE.svg LOG[=TITLE] [LOG[=TITLE] ...]

Each LOG is the COM1 log of one boot with the hv option trace=2 (`make
timeline` boots them): `vmxlab-trace to_real|to_prot ... tick=N` lines (each
world switch through vmxassist; trace=1 already prints them) and
`vmxlab-trace exit=REASON ... mode=MODE tick=N` lines (every VM exit, with the
CPU mode it left). One panel per LOG, stacked, on one time axis (the hv's TSC
since VMLAUNCH; under Bochs, ticks):
  - lanes: real mode / VM86, big real mode, emulated (vmxassist at work:
    the whole real-mode stretch in mode=emulate, a mark per exit from
    vmxassist's code otherwise), 16-bit and 32-bit protected mode, long mode;
  - VM exits as marks above the lanes, one colour per reason (marks that
    fall on one pixel are merged; data-n keeps their count);
  - labels where the log shows the BIOS, the boot loader and the kernel.
Each panel carries its counts (data-to-real, data-to-prot, data-exits) and
the statistics line it was checked against (tests/check_timeline.py).
"""
import argparse
import html
import re
import sys

LANES = [("real", "real mode / VM86"), ("bigreal", "big real mode"), ("assist", "emulated (vmxassist)"),
         ("pm16", "16-bit protected"), ("pm32", "32-bit protected"), ("long", "long mode")]
LANE_COLOURS = {"real": "#4e79a7", "bigreal": "#9c755f", "assist": "#e15759", "pm16": "#76b7b2",
                "pm32": "#59a14f", "long": "#b07aa1"}
EXIT_COLOURS = ["#f28e2b", "#edc948", "#ff9da7", "#bab0ac", "#4e79a7", "#e15759", "#76b7b2", "#59a14f",
                "#b07aa1", "#9c755f"]
# The guest's own lines that say who runs: the BIOS, the boot loader, the kernel.
PHASES = [("BIOS", r"^(vmxlab rombios|Bochs .*BIOS|vmxassist: VM86 monitor|rm_\w+: start)"),
          ("boot loader", r"(Welcome to GRUB|^grubguest: GRUB is running|ISOLINUX|SYSLINUX)"),
          ("kernel", r"(Linux version|multiboot kernel started|^Decompressing Linux)")]
TRACE = re.compile(r"vmxlab-trace (?:(?P<dir>to_real|to_prot) cs:ip=\S+|exit=(?P<reason>\w+) .*mode=(?P<mode>\w+))"
                   r" tick=(?P<tick>\d+)")
WIDTH, LEFT, RIGHT, LANE_H, MARK_H = 1100, 150, 20, 16, 22


def lab_missing(lab, exercise, title):
    sys.exit(f"vmxlab: error: LAB {lab} exercise {exercise} ({title}) not done")


def lane_of(mode):
    return "real" if mode == "vm86" else mode


def parse_log(text):
    """Events (tick, kind, value) in log order: kind 'switch' (value to_real or
    to_prot), 'exit' (value (reason, mode)) or 'phase' (value a label, at the
    tick of the trace line before it); and the last vmxlab-stats line."""
    events, stats, last_tick, seen, pending = [], "", 0, set(), ""
    for line in text.replace("\r", "").splitlines():
        if line.startswith("vmxlab-stats "):
            stats = line
            continue
        m = TRACE.search(line)  # the hv's line may follow guest output that had no newline yet
        # LAB 5: BEGIN exercise 1 (events from the transition log)
        if m:
            pending += line[:m.start()]  # the start of a guest line, which goes on after the trace line
            last_tick = int(m["tick"])
            if m["dir"]:
                events.append((last_tick, "switch", m["dir"]))
            else:
                events.append((last_tick, "exit", (m["reason"], m["mode"])))
            continue
        line, pending = pending + line, ""
        for label, rx in PHASES:
            if label not in seen and re.search(rx, line):
                seen.add(label)
                events.append((last_tick, "phase", label))
        # LAB 5: END
    return events, stats


def intervals(events, emulate=False):
    """(start, end, lane) stretches: the mode the last event showed lasts until the next one.
    A switch to real mode starts a real-mode stretch (emulated in mode=emulate), one to
    protected mode a stretch in the protected lane last seen, until an exit shows the mode.
    An exit from vmxassist itself (mode=assist) does not end a real-mode stretch: vmxassist
    works inside it (the hv sees no more), and it is drawn as a mark on the emulated lane."""
    out, cur, t0, prot = [], "pm32", 0, "pm32"  # the hv starts every guest in 32-bit protected mode
    for tick, kind, val in events:
        lane = cur
        if kind == "switch":
            lane = ("assist" if emulate else "real") if val == "to_real" else prot
        elif kind == "exit" and val[1] != "assist":
            lane = lane_of(val[1])
            if lane in ("pm16", "pm32", "long"):
                prot = lane
        if lane != cur:
            if tick > t0:
                out.append((t0, tick, cur))
            cur, t0 = lane, tick
    end = events[-1][0] if events else 0
    if end > t0:
        out.append((t0, end, cur))
    return out


def panel(title, log, events, stats, y0, scale, reasons):
    """SVG elements of one boot's panel, its height."""
    lane_y = {k: y0 + MARK_H + 28 + i * LANE_H for i, (k, _) in enumerate(LANES)}
    x = lambda t: LEFT + t * scale
    n_real = sum(1 for _, k, v in events if k == "switch" and v == "to_real")
    n_prot = sum(1 for _, k, v in events if k == "switch" and v == "to_prot")
    exits = [(t, v[0]) for t, k, v in events if k == "exit"]
    out = [f'<g class="panel" data-title="{html.escape(title)}" data-to-real="{n_real}" data-to-prot="{n_prot}" '
           f'data-exits="{len(exits)}" data-log="{html.escape(log)}" data-stats="{html.escape(stats)}">',
           f'<text x="8" y="{y0 + 14}" class="title">{html.escape(title)}: {len(exits)} VM exits, {n_real} switches '
           f'to real mode, {n_prot} back</text>']
    for k, name in LANES:
        out.append(f'<text x="8" y="{lane_y[k] + 11}" class="lane">{name}</text>')
        out.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{lane_y[k] + LANE_H / 2}" '
                   f'y2="{lane_y[k] + LANE_H / 2}" class="guide"/>')
    for a, b, lane in intervals(events, " mode=emulate " in stats + " "):
        w = max((b - a) * scale, 0.3)
        out.append(f'<rect class="mode {lane}" x="{x(a):.2f}" y="{lane_y[lane] + 2}" width="{w:.2f}" '
                   f'height="{LANE_H - 4}" fill="{LANE_COLOURS[lane]}"/>')
    for t, k, v in events:  # vmxassist at work, as the hv's exits from it show
        if k == "exit" and v[1] == "assist":
            out.append(f'<rect class="assist-exit" x="{x(t):.2f}" y="{lane_y["assist"] + 3}" width="0.6" '
                       f'height="{LANE_H - 6}" fill="{LANE_COLOURS["assist"]}"/>')
    for t, k, v in events:  # each switch: a thin tick across the lanes
        if k == "switch":
            out.append(f'<line class="switch {v}" x1="{x(t):.2f}" x2="{x(t):.2f}" y1="{lane_y["real"]}" '
                       f'y2="{lane_y["pm16"]}" stroke="#333" stroke-width="0.3"/>')
    bins = {}
    for t, r in exits:
        key = (int(x(t)), r)
        bins[key] = bins.get(key, 0) + 1
    for (px, r), n in sorted(bins.items()):
        i = reasons.index(r)
        out.append(f'<rect class="exit" data-reason="{r}" data-n="{n}" x="{px}" y="{y0 + 22 + (i % 4) * 5}" '
                   f'width="1" height="5" fill="{EXIT_COLOURS[i % len(EXIT_COLOURS)]}"/>')
    for t, k, v in events:
        if k == "phase":
            out.append(f'<line x1="{x(t):.2f}" x2="{x(t):.2f}" y1="{y0 + 18}" y2="{lane_y["long"] + LANE_H}" '
                       f'class="phase"/><text x="{x(t) + 2:.2f}" y="{lane_y["long"] + LANE_H + 11}" '
                       f'class="phase">{html.escape(v)}</text>')
    out.append("</g>")
    return out, MARK_H + 28 + len(LANES) * LANE_H + 26


def render(boots):
    """boots: (title, log, events, stats). Returns the SVG text."""
    end = max([e[-1][0] for _, _, e, _ in boots if e] + [1])
    scale = (WIDTH - LEFT - RIGHT) / end
    reasons = sorted({v[0] for _, _, e, _ in boots for _, k, v in e if k == "exit"})
    body, y = [], 8
    for title, log, events, stats in boots:
        els, h = panel(title, log, events, stats, y, scale, reasons)
        body += els
        y += h
    for i in range(11):  # the time axis, shared by the panels
        t = end * i / 10
        body.append(f'<line x1="{LEFT + t * scale:.1f}" x2="{LEFT + t * scale:.1f}" y1="{y}" y2="{y + 4}" '
                    f'class="axis"/><text x="{LEFT + t * scale:.1f}" y="{y + 15}" class="axis" '
                    f'text-anchor="middle">{t / 1e6:.1f}M</text>')
    body.append(f'<text x="8" y="{y + 15}" class="lane">ticks (TSC)</text>')
    y += 22
    for i, r in enumerate(reasons):  # the legend of exit colours
        lx = LEFT + (i % 6) * 150
        ly = y + (i // 6) * 14
        body.append(f'<rect x="{lx}" y="{ly}" width="9" height="9" fill="{EXIT_COLOURS[i % len(EXIT_COLOURS)]}"/>'
                    f'<text x="{lx + 12}" y="{ly + 8}" class="lane">exit {html.escape(r)}</text>')
    y += 14 * ((len(reasons) + 5) // 6) + 8
    style = ("text{font-family:sans-serif;font-size:10px}.title{font-size:12px;font-weight:bold}"
             ".guide{stroke:#ddd;stroke-width:0.5}.phase{stroke:#888;stroke-dasharray:2,2;fill:#444}"
             ".axis{stroke:#444;fill:#444}")
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{y}" viewBox="0 0 {WIDTH} {y}">\n'
            f'<style>{style}</style>\n<rect width="100%" height="100%" fill="white"/>\n' + "\n".join(body) +
            "\n</svg>\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("logs", nargs="+", help="LOG[=TITLE]")
    a = ap.parse_args()
    boots = []
    for spec in a.logs:
        path, _, title = spec.partition("=")
        with open(path, errors="replace") as f:
            events, stats = parse_log(f.read())
        if not any(k == "exit" for _, k, _ in events):
            sys.exit(f"timeline: {path} has no 'vmxlab-trace exit=' lines: boot with the hv option trace=2")
        boots.append((title or path, path, events, stats))
    with open(a.out, "w") as f:
        f.write(render(boots))
    for title, _, events, stats in boots:
        n = sum(1 for _, k, _ in events if k == "exit")
        print(f"timeline: {title}: {n} exits, {sum(1 for _, k, _ in events if k == 'switch')} switches")
    print(f"timeline: wrote {a.out}")


if __name__ == "__main__":
    main()
