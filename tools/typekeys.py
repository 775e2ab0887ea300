#!/usr/bin/python3
"""typekeys.py - type text into a headless Bochs through its PS/2 keyboard.

Usage: tools/typekeys.py --screen-log FILE --serial FILE --pid PID --text TEXT [--after REGEX]

Bochs built with its debugger (Debian's is) runs the `term` display library
on a pseudo-terminal of its own and says so on its console:
    Bochs connected to screen "/dev/pts/N"
Whatever is written to that terminal reaches the term library's curses
getch() and becomes PS/2 scan codes from the 8042, so it works with any guest
BIOS. This script finds that line in FILE (Bochs' console output), keeps
reading the screen side (so Bochs never blocks on a full terminal), waits
until a COM1 line matches REGEX (default: the guest says it is "waiting for a
key"), then types TEXT one character at a time. It stops when process PID
(the engine) ends. Letters, digits, punctuation, space and tab map to one key
each (see Bochs gui/term.cc); "\\n" in TEXT is Enter.
"""
import argparse
import os
import re
import sys
import threading
import time
import tty


def wait_for(pid, what, probe, limit):
    """Polls probe() until it returns something, the engine ends, or limit seconds pass."""
    end = time.time() + limit
    while time.time() < end:
        v = probe()
        if v:
            return v
        try:
            os.kill(pid, 0)
        except OSError:
            return None
        time.sleep(0.05)
    print(f"typekeys.py: gave up waiting for {what} after {limit} s", file=sys.stderr)
    return None


def read(path):
    try:
        with open(path, errors="replace") as f:
            return f.read()
    except OSError:
        return ""


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--screen-log", required=True)
    ap.add_argument("--serial", required=True)
    ap.add_argument("--pid", type=int, required=True)
    ap.add_argument("--text", required=True)
    ap.add_argument("--after", default=r"waiting for a key")
    ap.add_argument("--limit", type=float, default=120)
    a = ap.parse_args()

    m = wait_for(a.pid, "Bochs' term screen", lambda: re.search(r'connected to screen "([^"]+)"',
                                                                 read(a.screen_log)), 30)
    if not m:
        return 1
    fd = os.open(m.group(1), os.O_RDWR | os.O_NOCTTY)
    tty.setraw(fd)  # no output processing: "\n" must not become "\r\n"

    def drain():
        try:
            while os.read(fd, 4096):
                pass
        except OSError:
            pass
    threading.Thread(target=drain, daemon=True).start()

    if not wait_for(a.pid, f"a COM1 line matching /{a.after}/",
                    lambda: any(re.search(a.after, l) for l in read(a.serial).splitlines()), a.limit):
        return 1
    for ch in a.text.encode().decode("unicode_escape"):
        os.write(fd, b"\n" if ch == "\n" else ch.encode("latin-1"))
        time.sleep(0.1)
    # keep draining until the engine ends
    wait_for(a.pid, "the engine to end", lambda: None, 3600)
    return 0


if __name__ == "__main__":
    sys.exit(main())
