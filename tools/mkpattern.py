#!/usr/bin/python3
"""mkpattern.py - disk images whose sectors carry a known pattern, for the
INT 13h test guest (tests/guests/fw/int13.asm).

Usage: tools/mkpattern.py hdd GUEST.bin OUT [--sectors N] [--corrupt LBA]
       tools/mkpattern.py iso GUEST.bin OUT [--sectors N] [--corrupt LBA]

Dword i of pattern sector L is (L * 0x10001) ^ (i * 0x01000193) mod 2^32;
the guest computes the same. The guest's parameter block (offset 8 of its
first sector, see int13.asm) gets the sector size, the image size in sectors,
the first pattern LBA and the LBA of the guest itself.

hdd: 512-byte sectors; the guest at LBA 0.., the pattern after it to the end.
     Default 4032 sectors (2 MiB: 4 cylinders x 16 heads x 63 sectors, a
     geometry Bochs takes from the size).
iso: 2048-byte sectors, ISO 9660 with an El Torito no-emulation boot entry:
     16 primary volume descriptor, 17 boot record, 18 terminator, 19 boot
     catalog, 20/21 path tables, 22 root directory, 23.. the guest (loaded
     whole by the BIOS), then the pattern to the end. Default 512 sectors.
--corrupt LBA flips one byte of that sector (to see the guest's FAIL line).
"""
import argparse
import struct
import sys

PARAM_OFF = 8
PARAM_MAGIC = 0x54544150  # "PATT"


def pattern(lba, size):
    base = (lba * 0x10001) & 0xffffffff
    return struct.pack(f"<{size // 4}I", *(((base ^ (i * 0x01000193)) & 0xffffffff) for i in range(size // 4)))


def params(guest, sector_size, first, total, code_lba):
    g = bytearray(guest)
    if struct.unpack_from("<I", g, PARAM_OFF)[0] not in (0, PARAM_MAGIC):
        sys.exit("mkpattern.py: the guest has no free parameter block at offset 8")
    struct.pack_into("<IHHIII", g, PARAM_OFF, PARAM_MAGIC, sector_size, 0, first, total, code_lba)
    return bytes(g)


def both16(v):
    return struct.pack("<H", v) + struct.pack(">H", v)


def both32(v):
    return struct.pack("<I", v) + struct.pack(">I", v)


def dirrec(lba, size, name):
    """An ISO 9660 directory record (ECMA-119 9.1), a directory."""
    rec = bytearray(33 + len(name) + (len(name) + 1) % 2)
    rec[0] = len(rec)
    rec[2:10] = both32(lba)
    rec[10:18] = both32(size)
    rec[18:25] = bytes([100, 1, 1, 0, 0, 0, 0])  # 2000-01-01 00:00:00 UTC
    rec[25] = 2  # directory
    rec[28:32] = both16(1)
    rec[32] = len(name)
    rec[33:33 + len(name)] = name
    return bytes(rec)


def make_iso(guest, total):
    S = 2048
    PVD, BRVD, TERM, CATALOG, LPATH, MPATH, ROOT, BOOT = 16, 17, 18, 19, 20, 21, 22, 23
    boot_sectors = (len(guest) + S - 1) // S
    first = BOOT + boot_sectors
    if total <= first:
        sys.exit(f"mkpattern.py: an ISO needs more than {first} sectors")
    guest = params(guest, S, first, total, BOOT)
    img = bytearray(total * S)

    pvd = bytearray(S)
    pvd[0:7] = b"\x01CD001\x01"
    pvd[8:40] = b"VMXLAB".ljust(32)
    pvd[40:72] = b"INT13_PATTERN".ljust(32)
    pvd[80:88] = both32(total)
    pvd[120:124] = both16(1)  # volume set size
    pvd[124:128] = both16(1)  # volume sequence number
    pvd[128:132] = both16(S)  # logical block size
    pvd[132:140] = both32(10)  # path table size
    pvd[140:144] = struct.pack("<I", LPATH)
    pvd[148:152] = struct.pack(">I", MPATH)
    pvd[156:190] = dirrec(ROOT, S, b"\x00")
    for off in (813, 830, 847, 864):  # dates: "not specified"
        pvd[off:off + 17] = b"0" * 16 + b"\x00"
    pvd[881] = 1  # file structure version
    img[PVD * S:(PVD + 1) * S] = pvd

    br = bytearray(S)  # El Torito 2.0: the boot record volume descriptor
    br[0:7] = b"\x00CD001\x01"
    br[7:39] = b"EL TORITO SPECIFICATION".ljust(32, b"\x00")
    br[71:75] = struct.pack("<I", CATALOG)
    img[BRVD * S:(BRVD + 1) * S] = br
    img[TERM * S:TERM * S + 7] = b"\xffCD001\x01"

    cat = bytearray(S)  # validation entry (checksum: words sum to 0), then the default entry
    val = bytearray(32)
    val[0] = 1  # header id
    val[1] = 0  # platform 80x86
    val[4:28] = b"VMXLAB".ljust(24, b"\x00")
    val[30:32] = b"\x55\xaa"
    csum = (-sum(struct.unpack("<16H", bytes(val)))) & 0xffff
    val[28:30] = struct.pack("<H", csum)
    cat[0:32] = val
    cat[32] = 0x88  # bootable
    cat[33] = 0  # no emulation
    cat[34:36] = struct.pack("<H", 0)  # load segment 0 = 07C0h
    cat[38:40] = struct.pack("<H", (len(guest) + 511) // 512)  # 512-byte sectors to load
    cat[40:44] = struct.pack("<I", BOOT)
    img[CATALOG * S:(CATALOG + 1) * S] = cat

    # path tables: the root only (ECMA-119 9.4)
    img[LPATH * S:LPATH * S + 10] = bytes([1, 0]) + struct.pack("<IH", ROOT, 1) + b"\x00\x00"
    img[MPATH * S:MPATH * S + 10] = bytes([1, 0]) + struct.pack(">IH", ROOT, 1) + b"\x00\x00"
    root = dirrec(ROOT, S, b"\x00") + dirrec(ROOT, S, b"\x01")
    img[ROOT * S:ROOT * S + len(root)] = root

    img[BOOT * S:BOOT * S + len(guest)] = guest
    for lba in range(first, total):
        img[lba * S:(lba + 1) * S] = pattern(lba, S)
    return img, S


def make_hdd(guest, total):
    S = 512
    first = (len(guest) + S - 1) // S
    guest = params(guest, S, first, total, 0)
    img = bytearray(total * S)
    img[0:len(guest)] = guest
    for lba in range(first, total):
        img[lba * S:(lba + 1) * S] = pattern(lba, S)
    return img, S


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("kind", choices=("hdd", "iso"))
    ap.add_argument("guest")
    ap.add_argument("out")
    ap.add_argument("--sectors", type=int)
    ap.add_argument("--corrupt", type=int, metavar="LBA")
    a = ap.parse_args()
    guest = open(a.guest, "rb").read()
    if a.kind == "hdd":
        img, S = make_hdd(guest, a.sectors or 4032)
    else:
        img, S = make_iso(guest, a.sectors or 512)
    if a.corrupt is not None:
        img[a.corrupt * S + 100] ^= 0x5a
    with open(a.out, "wb") as f:
        f.write(img)
    return 0


if __name__ == "__main__":
    sys.exit(main())
