#!/usr/bin/python3
"""seal-loader.py IMAGE - fill in vmxloader's image header (vmxloader/entry.asm):
the image's size and its CRC-32 (zlib's, with the CRC field zero), which the hv
checks before it runs the module (include/vmxlab/vmcall.h VMXLAB_LOADER_MAGIC)."""
import struct
import sys
import zlib

if len(sys.argv) != 2 or sys.argv[1] in ("-h", "--help"):
    print(__doc__.strip())
    sys.exit(0 if len(sys.argv) == 2 else 2)
path = sys.argv[1]
img = bytearray(open(path, "rb").read())
if img[4:8] != b"VXLD":
    sys.exit(f"seal-loader.py: {path} has no VXLD header at offset 4")
img[8:12] = struct.pack("<I", len(img))
img[12:16] = bytes(4)
img[12:16] = struct.pack("<I", zlib.crc32(img) & 0xffffffff)
open(path, "wb").write(img)
