#!/usr/bin/python3
"""typekeys.py - type text into a headless Bochs, on the PS/2 keyboard or COM1.

Usage: tools/typekeys.py ps2 --screen-log FILE --serial LOG --pid PID --text TEXT [--after REGEX]
       tools/typekeys.py com1 --pty-file FILE --done-file FILE --serial LOG --text TEXT [--after REGEX]

Both wait until a line of the COM1 log LOG matches REGEX (default: the guest
says it is "waiting for a key"), then type TEXT one character every 0.1 s
("\\n" in TEXT is Enter / LF).

ps2: Bochs built with its debugger (Debian's is) runs the `term` display
     library on a pseudo-terminal of its own and says so on its console:
         Bochs connected to screen "/dev/pts/N"
     What is written to that terminal reaches the term library's curses
     getch() and becomes scan codes from the 8042: any guest BIOS sees the
     keys. FILE is Bochs' console output; the screen side is read and thrown
     away (so Bochs never blocks on a full terminal) until process PID ends.
com1: a pseudo-terminal for Bochs' `com1: mode=term, dev=<slave>`: its path
     goes to FILE (run.sh writes the bochsrc with it), everything the machine
     sends on COM1 is copied to LOG, and TEXT is written as COM1 input (for a
     BIOS whose INT 16h also reads COM1, like ours). Ends once DONE exists
     (the engine has stopped) and the output is copied.
"""
import argparse
import os
import re
import sys
import threading
import time
import tty


def wait_for(alive, what, probe, limit):
    """Polls probe() until it returns something, alive() is false, or limit seconds pass."""
    end = time.time() + limit
    while time.time() < end:
        v = probe()
        if v:
            return v
        if not alive():
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


def pid_alive(pid):
    try:
        os.kill(pid, 0)
        return True
    except OSError:
        return False


def type_text(fd, text, alive, a):
    if not wait_for(alive, f"a COM1 line matching /{a.after}/",
                    lambda: any(re.search(a.after, l) for l in read(a.serial).splitlines()), a.limit):
        return False
    for ch in text.encode().decode("unicode_escape"):
        os.write(fd, ch.encode("latin-1"))
        time.sleep(0.1)
    return True


def ps2(a):
    alive = lambda: pid_alive(a.pid)
    m = wait_for(alive, "Bochs' term screen",
                 lambda: re.search(r'connected to screen "([^"]+)"', read(a.screen_log)), 30)
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
    ok = type_text(fd, a.text, alive, a)
    wait_for(alive, "the engine to end", lambda: None, 3600)
    return 0 if ok else 1


def com1(a):
    master, slave = os.openpty()
    tty.setraw(slave)  # bytes pass unchanged both ways
    with open(a.pty_file + ".tmp", "w") as f:
        f.write(os.ttyname(slave))
    os.rename(a.pty_file + ".tmp", a.pty_file)
    done = lambda: os.path.exists(a.done_file)
    log = open(a.serial, "ab", buffering=0)
    os.set_blocking(master, False)

    def copy():
        """Copies COM1 output to the log until the engine is done and nothing is left."""
        while True:
            finished = done()
            try:
                b = os.read(master, 65536)
            except BlockingIOError:
                b = None
            except OSError:  # EIO: no slave open
                b = None
            if b:
                log.write(b)
                continue
            if finished:
                return
            time.sleep(0.02)
    t = threading.Thread(target=copy)
    t.start()
    ok = type_text(master, a.text, lambda: not done(), a)
    t.join()
    os.close(slave)
    return 0 if ok else 1


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("via", choices=("ps2", "com1"))
    ap.add_argument("--serial", required=True, help="the COM1 log")
    ap.add_argument("--text", required=True)
    ap.add_argument("--after", default=r"waiting for a key")
    ap.add_argument("--limit", type=float, default=120)
    ap.add_argument("--screen-log")
    ap.add_argument("--pid", type=int)
    ap.add_argument("--pty-file")
    ap.add_argument("--done-file")
    a = ap.parse_args()
    if a.via == "ps2" and (a.screen_log is None or a.pid is None):
        ap.error("ps2 needs --screen-log and --pid")
    if a.via == "com1" and (a.pty_file is None or a.done_file is None):
        ap.error("com1 needs --pty-file and --done-file")
    return ps2(a) if a.via == "ps2" else com1(a)


if __name__ == "__main__":
    sys.exit(main())
