#!/usr/bin/python3
"""romcheck.py - check (and finish) a firmware image at build time.

Usage: romcheck.py --system-bios IMAGE SYMFILE
           IMAGE must be exactly 64 KiB, with post_entry at F000:E05B and a
           far jump at the reset vector F000:FFF0.
       romcheck.py --option-rom IMAGE [--max BYTES]
           pad IMAGE to a multiple of 512 bytes, write the size byte (offset 2)
           and make the bytes sum to zero; check the 55AAh signature and the
           size limit (default 32768).
"""
import sys


def fail(msg):
    print(f"romcheck: {msg}", file=sys.stderr)
    sys.exit(1)


def system_bios(image, symfile):
    data = open(image, "rb").read()
    if len(data) != 0x10000:
        fail(f"{image} is {len(data)} bytes; a system BIOS at F0000 must be exactly 65536")
    syms = {}
    for line in open(symfile):
        parts = line.split()
        if len(parts) == 3:
            syms[parts[2]] = int(parts[0], 16)
    if syms.get("post_entry") != 0xE05B:
        fail(f"post_entry is at {syms.get('post_entry', 0):#x}, not F000:E05B")
    if data[0xFFF0] != 0xEA:
        fail("no far jump at the reset vector F000:FFF0")
    used = syms.get("stack_top", 0)
    print(f"  ROM     {image}: 64 KiB (code, data and stack use {used} bytes below F000:E05B)")


def option_rom(image, limit):
    data = bytearray(open(image, "rb").read())
    if data[:2] != b"\x55\xaa":
        fail(f"{image} does not start with the option ROM signature 55 AA")
    size = (len(data) + 1 + 511) // 512 * 512  # room for the checksum byte
    if size > limit:
        fail(f"{image} needs {size} bytes; the limit is {limit}")
    data += bytes(size - len(data))
    data[2] = size // 512
    data[-1] = 0
    data[-1] = (-sum(data)) & 0xFF
    assert sum(data) & 0xFF == 0
    open(image, "wb").write(data)
    print(f"  ROM     {image}: {size} bytes, checksum byte {data[-1]:#04x}")


def main(argv):
    if len(argv) >= 2 and argv[1] in ("-h", "--help"):
        print(__doc__.strip())
        return 0
    if len(argv) == 4 and argv[1] == "--system-bios":
        system_bios(argv[2], argv[3])
        return 0
    if len(argv) in (3, 5) and argv[1] == "--option-rom":
        limit = int(argv[4]) if len(argv) == 5 and argv[3] == "--max" else 32768
        option_rom(argv[2], limit)
        return 0
    print(__doc__.strip(), file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
