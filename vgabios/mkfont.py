#!/usr/bin/python3
"""mkfont.py - make the vgabios's code page 437 fonts from Linux console fonts.

Usage: mkfont.py OUT.c [FONTDIR]

Reads PSF console fonts with a Unicode table from FONTDIR (default
/usr/share/consolefonts, from Debian's console-setup-linux): FONTS16 and
FONTS8 below, first match wins. Picks the glyph of every code page 437
character (the character set a PC's video BIOS has always had, box drawing
included) and writes them as C arrays font8x16[256*16] and font8x8[256*8].
The few characters none of those fonts has are drawn below (HAND, 8x8; the
8x16 version doubles each row). Anything still missing is an error. The output is committed (lib/font.c, shared by the vgabios and the hv)
so the build does not need the package; rerun this to change the font.
Licence: the package's copyright file (keyboard-configuration, which
console-setup-linux's documentation points to) says "All console fonts are
public domain by nature."
"""
import gzip
import os
import struct
import sys

# CP437 0x01-0x1F and 0x7F are pictures, not controls, on a PC screen.
LOW = "\u263a\u263b\u2665\u2666\u2663\u2660\u2022\u25d8\u25cb\u25d9\u2642\u2640\u266a\u266b\u263c" \
      "\u25ba\u25c4\u2195\u203c\u00b6\u00a7\u25ac\u21a8\u2191\u2193\u2192\u2190\u221f\u2194\u25b2\u25bc"


def cp437(code):
    if code == 0:
        return None
    if code < 0x20:
        return ord(LOW[code - 1])
    if code == 0x7F:
        return 0x2302
    return ord(bytes([code]).decode("cp437"))


def read_psf(path):
    """(glyphs, {unicode: glyph index}, height) of a PSF1 or PSF2 font."""
    raw = open(path, "rb").read()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    umap = {}
    if raw[:2] == b"\x36\x04":  # PSF1: mode byte, height; 8 pixels wide
        mode, height = raw[2], raw[3]
        count = 512 if mode & 1 else 256
        glyphs = [raw[4 + i * height: 4 + (i + 1) * height] for i in range(count)]
        if mode & 2:  # Unicode table: u16 per code, FFFE starts a sequence, FFFF ends
            pos = 4 + count * height
            for i in range(count):
                seq = False
                while True:
                    (u,) = struct.unpack_from("<H", raw, pos)
                    pos += 2
                    if u == 0xFFFF:
                        break
                    if u == 0xFFFE:
                        seq = True
                    elif not seq:
                        umap.setdefault(u, i)
        return glyphs, umap, height
    magic, _ver, hdrsize, flags, count, size, height, width = struct.unpack("<8I", raw[:32])
    if magic != 0x864AB572:
        sys.exit(f"mkfont: {path} is not a PSF font")
    if width != 8:
        sys.exit(f"mkfont: {path} is {width} pixels wide; the VGA text mode needs 8")
    glyphs = [raw[hdrsize + i * size: hdrsize + (i + 1) * size] for i in range(count)]
    if flags & 1:  # Unicode table: per glyph, UTF-8 strings ended by FF, FE starts a sequence
        pos = hdrsize + count * size
        for i in range(count):
            end = raw.index(b"\xff", pos)
            for ch in raw[pos:end].split(b"\xfe")[0].decode("utf-8", "replace"):
                umap.setdefault(ord(ch), i)
            pos = end + 1
    return glyphs, umap, height


FONTS16 = ["FullGreek-VGA16.psf.gz", "Uni2-VGA16.psf.gz"]  # Full*: real double-line boxes
FONTS8 = ["FullGreek-VGA8.psf.gz", "Uni2-VGA8.psf.gz"]
HAND = {
    0x10: "#....... ###..... #####... #######. #####... ###..... #....... ........",  # right pointer
    0x11: "......#. ....###. ..#####. #######. ..#####. ....###. ......#. ........",  # left pointer
    0x9E: "###..... #..#.... #..#.#.. ###.###. #....#.. #....#.# #.....#. ........",  # peseta
    0xA9: "........ ........ .######. .#...... .#...... ........ ........ ........",  # reversed not
    0xEC: "........ ........ .##.##.. #..#..#. #..#..#. .##.##.. ........ ........",  # infinity
    0xEF: "..###... .#...#.. #.....#. #.....#. #.....#. #.....#. ........ ........",  # intersection
    0xF0: "........ #######. ........ #######. ........ #######. ........ ........",  # identical to
}


def hand_glyph(code, height):
    rows = [int(r.replace("#", "1").replace(".", "0"), 2) for r in HAND[code].split()]
    return bytes(rows if height == 8 else [r for r in rows for _ in (0, 1)])


def table(fontdir, names, want_height):
    fonts = []
    for name in names:
        glyphs, umap, height = read_psf(f"{fontdir}/{name}")
        if height != want_height:
            sys.exit(f"mkfont: {name} is 8x{height}; want 8x{want_height}")
        fonts.append((glyphs, umap))
    out = []
    for code in range(256):
        u = cp437(code)
        found = [g[m[u]] for g, m in fonts if u in m] if u is not None else [bytes(want_height)]
        if found:
            out.append(found[0])
        elif code in HAND:
            out.append(hand_glyph(code, want_height))
        else:
            sys.exit(f"mkfont: no 8x{want_height} glyph for {code:#04x} (U+{u:04X}) in {names} or HAND")
    return b"".join(out)


def c_array(name, data, height):
    lines = [f"const u8 {name}[256 * {height}] = {{"]
    for code in range(256):
        g = data[code * height:(code + 1) * height]
        lines.append("    " + ", ".join(f"0x{b:02x}" for b in g) + f",  /* {code:02x} */")
    lines.append("};")
    return "\n".join(lines)


def main(argv):
    if len(argv) >= 2 and argv[1] in ("-h", "--help"):
        print(__doc__.strip())
        return 0
    if len(argv) not in (2, 3):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    out = argv[1]
    fontdir = argv[2] if len(argv) == 3 else "/usr/share/consolefonts"
    if not os.path.isdir(fontdir):
        print(f"mkfont.py: {fontdir} does not exist: install console-setup-linux (apt-get install "
              "console-setup-linux) or name the font directory", file=sys.stderr)
        return 1
    text = [
        "/* font.c - the code page 437 fonts the vgabios loads into plane 2 and hands",
        " * out through INT 10h AX=1130h, and the hv draws a guest's text screen with",
        " * on a framebuffer (hv/fbrender.c). GENERATED by vgabios/mkfont.py from Debian's",
        f" * console-setup fonts {', '.join(FONTS16)},",
        f" * {', '.join(FONTS8)}; do not edit. */",
        '#include "font.h"',
        "",
        c_array("font8x16", table(fontdir, FONTS16, 16), 16),
        "",
        c_array("font8x8", table(fontdir, FONTS8, 8), 8),
        "",
    ]
    open(out, "w").write("\n".join(text))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
