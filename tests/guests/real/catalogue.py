#!/usr/bin/python3
"""catalogue.py - the real-guest catalogue: boot images built from Debian packages.

Usage: tests/guests/real/catalogue.py build NAME... [--out DIR] [--cache DIR] [--rm-bios IMG]
       tests/guests/real/catalogue.py list | images | info NAME | image NAME | runopts NAME | versions

Every guest is software nobody here wrote: Debian's Linux kernel, installer,
memtest86+, iPXE and syslinux. `build` fetches the packages it needs with
`apt-get download` (no root, nothing installed), unpacks them with
`dpkg-deb -x` and writes DIR/NAME.iso (a CD; .img a floppy, .hdd a hard disk;
default DIR build/real). The .deb files
stay in the cache (default $XDG_CACHE_HOME/vmxlab/debs, else
~/.cache/vmxlab/debs; `make clean` keeps it), so a second build is offline.

  list      the guest names, one a line
  images    the image paths (DIR/NAME.iso, .img or .hdd), one a line
  info      key=value lines for NAME: image, mem (MiB), nic, version (of the
            main package), route (how it boots), packages
  image     the image path of NAME
  runopts   NAME's tools/run.sh options: --mem MiB and --nic (make run uses them)
  versions  name and main-package version of every guest whose packages are
            cached (no download)
"""
import argparse
import gzip
import os
import shutil
import subprocess
import sys
import tempfile

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
HERE = os.path.dirname(os.path.abspath(__file__))
KERNEL_META = "linux-image-cloud-amd64"  # a metapackage: the image is linux-image-<abi>-cloud-amd64

# The Linux kernel command line: the serial console, and few messages (each
# character is a port write the engine emulates). ACPI stays on: `poweroff -f`
# ends through ACPI S5.
LINUX_CMDLINE = "console=ttyS0,115200 loglevel=4 printk.time=0 mitigations=off nokaslr nowatchdog"
MEMTEST_CMDLINE = "console=ttyS0,115200"
# The Debian installer's text frontend on COM1; priority=critical is the
# default dialog set (language first).
DI_CMDLINE = "console=ttyS0,115200 vga=normal fb=false"


class Guest:
    def __init__(self, route, main, packages, build, mem=256, nic="none", ext="iso"):
        self.route, self.main, self.packages, self.build = route, main, packages, build
        self.mem, self.nic, self.ext = mem, nic, ext


def die(msg):
    sys.exit(f"catalogue.py: {msg}")


# ---------------------------------------------------------------- packages

def cache_dir(arg):
    if arg:
        return os.path.abspath(arg)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "vmxlab", "debs")


def cached_deb(cache, pkg):
    """The newest cached .deb of pkg (apt-get download's file name: pkg_version_arch.deb)."""
    if not os.path.isdir(cache):
        return None
    debs = [f for f in os.listdir(cache) if f.startswith(pkg + "_") and f.endswith(".deb")]
    if not debs:
        return None
    return os.path.join(cache, max(debs, key=lambda f: os.path.getmtime(os.path.join(cache, f))))


def apt(cmd, what, cwd=None):
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, cwd=cwd)
    except FileNotFoundError:
        die(f"{cmd[0]} is missing: the catalogue needs Debian's apt and dpkg")
    if p.returncode != 0:
        err = p.stderr.strip()
        if "Unable to locate" in err or "no installation candidate" in err or "Can't select" in err:
            die(f"apt knows no package {what}: its package lists are missing or old. Run `apt-get update` "
                f"(as root) once, or put the .deb into the cache. apt said: {err}")
        die(f"`{' '.join(cmd)}` failed: {err}")
    return p.stdout


def kernel_package(cache):
    """linux-image-<abi>-cloud-amd64, the package the metapackage depends on (a cached one first)."""
    debs = sorted(f for f in os.listdir(cache) if f.startswith("linux-image-") and "-cloud-amd64_" in f
                  and f[len("linux-image-")].isdigit()) if os.path.isdir(cache) else []
    if debs:
        return debs[-1].split("_")[0]
    for line in apt(["apt-cache", "depends", KERNEL_META], KERNEL_META).splitlines():
        line = line.strip()
        if line.startswith("Depends: linux-image-"):
            return line.split()[1]
    die(f"apt-cache depends {KERNEL_META} names no linux-image package")


def fetch(cache, pkg):
    """The path of pkg's .deb in the cache, downloaded when missing."""
    if pkg == KERNEL_META:
        pkg = kernel_package(cache)
    deb = cached_deb(cache, pkg)
    if deb:
        return deb
    os.makedirs(cache, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix=".dl-", dir=cache)  # parallel builds: each downloads apart, then renames
    try:
        cmd = ["apt-get", "download", "-q"]
        if os.geteuid() == 0:  # apt's _apt user cannot write here; root downloads itself
            cmd += ["-o", "APT::Sandbox::User=root"]
        print(f"  APT     {pkg}", file=sys.stderr)
        apt(cmd + [pkg], pkg, cwd=tmp)
        got = [f for f in os.listdir(tmp) if f.endswith(".deb")]
        if len(got) != 1:
            die(f"apt-get download {pkg} left {got or 'no .deb'} in {tmp}")
        os.replace(os.path.join(tmp, got[0]), os.path.join(cache, got[0]))
        return os.path.join(cache, got[0])
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def deb_version(deb):
    return subprocess.run(["dpkg-deb", "-f", deb, "Version"], capture_output=True, text=True,
                          check=True).stdout.strip()


def unpack(cache, pkg, dest):
    """dpkg-deb -x of pkg into dest (a scratch tree; nothing is installed)."""
    deb = fetch(cache, pkg)
    os.makedirs(dest, exist_ok=True)
    p = subprocess.run(["dpkg-deb", "-x", deb, dest], capture_output=True, text=True)
    if p.returncode != 0:
        die(f"dpkg-deb -x {deb} failed: {p.stderr.strip()} (a damaged download? delete it and build again)")
    return dest


def find(root, rel):
    path = os.path.join(root, rel)
    if not os.path.exists(path):
        die(f"the package has no {rel}")
    return path


def kernel_file(root):
    boot = os.path.join(root, "boot")
    names = [f for f in os.listdir(boot) if f.startswith("vmlinuz-")]
    if len(names) != 1:
        die(f"expected one vmlinuz in the kernel package, found {names}")
    return os.path.join(boot, names[0])


# ---------------------------------------------------------------- initramfs

def cpio_newc(entries):
    """A newc cpio archive of (name, mode, data, rdev major, rdev minor) entries."""
    out = bytearray()

    def put(ino, name, mode, data=b"", rmaj=0, rmin=0):
        nb = name.encode() + b"\0"
        fields = [ino, mode, 0, 0, 1, 0, len(data), 0, 0, rmaj, rmin, len(nb), 0]
        out.extend(b"070701" + b"".join(b"%08x" % f for f in fields) + nb)
        out.extend(b"\0" * (-len(out) % 4))
        out.extend(data)
        out.extend(b"\0" * (-len(out) % 4))

    for ino, (name, mode, data, rmaj, rmin) in enumerate(entries, 1):
        put(ino, name, mode, data, rmaj, rmin)
    put(0, "TRAILER!!!", 0)
    return bytes(out)


def make_initramfs(busybox, out):
    """busybox-static and /init (tests/guests/real/init.sh); /dev/console for init's output."""
    with open(busybox, "rb") as f:
        bb = f.read()
    with open(os.path.join(HERE, "init.sh"), "rb") as f:
        init = f.read()
    d, x, c = 0o040755, 0o100755, 0o020600
    entries = [("bin", d, b"", 0, 0), ("bin/busybox", x, bb, 0, 0), ("init", x, init, 0, 0),
               ("dev", d, b"", 0, 0), ("dev/console", c, b"", 5, 1), ("dev/ttyS0", c, b"", 4, 64),
               ("proc", d, b"", 0, 0), ("sys", d, b"", 0, 0), ("tmp", d, b"", 0, 0)]
    with gzip.GzipFile(out, "wb", mtime=0) as f:
        f.write(cpio_newc(entries))


# ---------------------------------------------------------------- CDs

def xorriso(args, what):
    p = subprocess.run(["xorriso", "-as", "mkisofs", "-quiet"] + args, capture_output=True, text=True)
    if p.returncode != 0:
        die(f"xorriso failed for {what}: {p.stderr.strip()}")


def isolinux_cd(cache, work, out, files, cfg):
    """An ISOLINUX CD (El Torito, no emulation): files (name -> path) at its root."""
    syslinux = unpack(cache, "isolinux", os.path.join(work, "pkg-isolinux"))
    common = unpack(cache, "syslinux-common", os.path.join(work, "pkg-syslinux-common"))
    cd = os.path.join(work, "cd")
    os.makedirs(os.path.join(cd, "isolinux"))
    shutil.copy(find(syslinux, "usr/lib/ISOLINUX/isolinux.bin"), os.path.join(cd, "isolinux"))
    shutil.copy(find(common, "usr/lib/syslinux/modules/bios/ldlinux.c32"), os.path.join(cd, "isolinux"))
    with open(os.path.join(cd, "isolinux", "isolinux.cfg"), "w") as f:
        f.write("SERIAL 0 115200\nPROMPT 0\nTIMEOUT 0\n" + cfg)
    for name, path in files.items():
        shutil.copy(path, os.path.join(cd, name))
    xorriso(["-o", out, "-b", "isolinux/isolinux.bin", "-c", "isolinux/boot.cat", "-no-emul-boot",
             "-boot-load-size", "4", "-boot-info-table", cd], out)


GRUB_MODULES = ("normal serial terminal iso9660 biosdisk linux linux16 echo part_msdos part_gpt part_acorn "
                "part_amiga part_apple part_bsd part_dfly part_dvh part_plan part_sun part_sunpc")


def grub_cd(work, out, files, entry, modules=""):
    """A GRUB CD (grub-mkrescue, as the Makefile's grub.iso) whose one entry is `entry`; `modules` more
    GRUB modules on it. BIOS only (-d i386-pc): with grub-efi-amd64-bin installed grub-mkrescue would
    also build an EFI image, which has no biosdisk."""
    cd = os.path.join(work, "cd")
    os.makedirs(os.path.join(cd, "boot", "grub"))
    with open(os.path.join(cd, "boot", "grub", "grub.cfg"), "w") as f:
        f.write("serial --unit=0 --speed=115200\nterminal_input serial console\n"
                "terminal_output serial console\nset timeout=0\n"
                f"menuentry vmxlab {{\n{entry}\n}}\n")
    for name, path in files.items():
        shutil.copy(path, os.path.join(cd, name))
    if not shutil.which("grub-mkrescue"):
        die("grub-mkrescue is missing: tools/deps.sh installs grub-pc-bin, grub-common and xorriso")
    # -d: i386-pc alone (the guest BIOS boots it), also where grub-efi-amd64-bin is installed
    p = subprocess.run(["grub-mkrescue", "-d", "/usr/lib/grub/i386-pc", "-o", out, "--compress=no", f"--install-modules={GRUB_MODULES} {modules}".strip(),
                        "--fonts=", "--locales=", "--themes=", cd], capture_output=True, text=True)
    if p.returncode != 0:
        die(f"grub-mkrescue failed for {out}: {p.stderr.strip()}")


def linux_parts(cache, work):
    kern = unpack(cache, KERNEL_META, os.path.join(work, "pkg-kernel"))
    bb = unpack(cache, "busybox-static", os.path.join(work, "pkg-busybox"))
    initrd = os.path.join(work, "initrd.gz")
    make_initramfs(find(bb, "bin/busybox"), initrd)
    return {"vmlinuz": kernel_file(kern), "initrd.gz": initrd}


def build_linux_isolinux(cache, work, out, _):
    isolinux_cd(cache, work, out, linux_parts(cache, work),
                f"DEFAULT linux\nLABEL linux\n  KERNEL /vmlinuz\n  INITRD /initrd.gz\n  APPEND {LINUX_CMDLINE}\n")


def build_linux_grub16(cache, work, out, _):
    grub_cd(work, out, linux_parts(cache, work),
            f"  linux16 /vmlinuz {LINUX_CMDLINE}\n  initrd16 /initrd.gz")


def build_linux_grub32(cache, work, out, _):
    grub_cd(work, out, linux_parts(cache, work),
            f"  linux /vmlinuz {LINUX_CMDLINE}\n  initrd /initrd.gz")


def build_debian_installer(cache, work, out, _):
    di = unpack(cache, "debian-installer-12-netboot-i386", os.path.join(work, "pkg-di"))
    base = "usr/lib/debian-installer/images/12/i386/text/debian-installer/i386"
    isolinux_cd(cache, work, out, {"linux": find(di, base + "/linux"), "initrd.gz": find(di, base + "/initrd.gz")},
                f"DEFAULT install\nLABEL install\n  KERNEL /linux\n  INITRD /initrd.gz\n  APPEND {DI_CMDLINE}\n")


def memtest_grub(arch):
    def build(cache, work, out, _):
        mt = unpack(cache, "memtest86+", os.path.join(work, "pkg-memtest"))
        grub_cd(work, out, {"memtest.bin": find(mt, f"boot/memtest86+{arch}.bin")},
                f"  linux16 /memtest.bin {MEMTEST_CMDLINE}")
    return build


def build_memtest_iso(cache, work, out, _):
    mt = unpack(cache, "memtest86+", os.path.join(work, "pkg-memtest"))
    shutil.copy(find(mt, "usr/lib/memtest86+/memtest86+ia32.iso"), out)


def build_ipxe_iso(cache, work, out, _):
    ipxe = unpack(cache, "ipxe", os.path.join(work, "pkg-ipxe"))
    shutil.copy(find(ipxe, "usr/lib/ipxe/ipxe.iso"), out)


def build_ipxe_lkrn(cache, work, out, _):
    ipxe = unpack(cache, "ipxe", os.path.join(work, "pkg-ipxe"))
    grub_cd(work, out, {"ipxe.lkrn": find(ipxe, "boot/ipxe.lkrn")}, "  linux16 /ipxe.lkrn")


def build_memdisk(cache, work, out, rm_bios):
    if not rm_bios or not os.path.exists(rm_bios):
        die(f"memdisk boots the rm_bios floppy: build it first (make build/guests/rm/rm_bios.img), "
            f"or pass --rm-bios IMG (got {rm_bios!r})")
    common = unpack(cache, "syslinux-common", os.path.join(work, "pkg-syslinux-common"))
    isolinux_cd(cache, work, out, {"memdisk": find(common, "usr/lib/syslinux/memdisk"), "rm_bios.img": rm_bios},
                "DEFAULT floppy\nLABEL floppy\n  LINUX /memdisk\n  INITRD /rm_bios.img\n  APPEND floppy\n")


# GRUB's own commands as BIOS clients: the memory map it took from E820 at
# start-up, the PCI bus, the VBE controller query (INT 10h 4F00h; the own
# vgabios has no VBE and must say so), CPUID, the CMOS clock, a PIT-timed
# sleep, and `halt`, which finds the RSDP, parses the FADT and the DSDT's \_S5
# with GRUB's own AML reader and writes PM1a_CNT (then tries APM).
GRUB_TOOLS_ENTRY = """  echo vmxlab-grub: lsmmap
  lsmmap
  echo vmxlab-grub: lspci
  lspci
  echo vmxlab-grub: videoinfo
  videoinfo
  echo vmxlab-grub: cpuid
  if cpuid -l; then echo vmxlab-grub: cpuid long mode; fi
  date
  sleep 1
  echo vmxlab-grub: halt
  halt"""


def build_grub_tools(cache, work, out, _):
    grub_cd(work, out, {}, GRUB_TOOLS_ENTRY, "lsmmap lspci vbe videoinfo cpuid date sleep halt test")


def build_syslinux_poweroff(cache, work, out, _):
    common = unpack(cache, "syslinux-common", os.path.join(work, "pkg-syslinux-common"))
    mods = "usr/lib/syslinux/modules/bios/"
    isolinux_cd(cache, work, out, {f: find(common, mods + f) for f in ("poweroff.c32", "libcom32.c32")},
                "DEFAULT off\nLABEL off\n  COM32 /poweroff.c32\n")


# SYSLINUX on FAT, the way DOS-era media boot: a FAT12 floppy's boot sector
# (CHS reads, INT 13h 08h geometry), and a hard disk's MBR (syslinux's
# mbr.bin: the active partition's boot record, loaded with DL and DS:SI
# pointing at its partition entry) with a FAT16 partition at sector 63 (a
# DOS-style CHS layout, 16 heads, 63 sectors). mformat (mtools) makes the file
# systems and the syslinux package's installer writes its boot sector and
# ldlinux.sys; then the COM32 modules and syslinux.cfg are copied in.
SYSLINUX_FAT_CFG = "SERIAL 0 115200\nPROMPT 0\nTIMEOUT 0\nDEFAULT off\nLABEL off\n  COM32 /poweroff.c32\n"
HD_HEADS, HD_SECTORS, HD_CYLINDERS, HD_START = 16, 63, 32, 63


def run(cmd, what):
    try:
        p = subprocess.run(cmd, capture_output=True, text=True)
    except FileNotFoundError:
        die(f"{cmd[0]} is missing: tools/deps.sh installs mtools")
    if p.returncode != 0:
        die(f"{what}: `{' '.join(cmd)}` failed: {(p.stderr or p.stdout).strip()}")


def syslinux_fat(cache, work, img, offset):
    """The syslinux installer on the FAT file system at byte `offset` of img, then syslinux.cfg and
    poweroff.c32."""
    sx = unpack(cache, "syslinux", os.path.join(work, "pkg-syslinux"))
    common = unpack(cache, "syslinux-common", os.path.join(work, "pkg-syslinux-common"))
    run([find(sx, "usr/bin/syslinux"), "--install"] + (["--offset", str(offset)] if offset else []) + [img],
        "the syslinux installer")
    cfg = os.path.join(work, "syslinux.cfg")
    with open(cfg, "w") as f:
        f.write(SYSLINUX_FAT_CFG)
    mods = "usr/lib/syslinux/modules/bios/"
    run(["mcopy", "-i", f"{img}@@{offset}", cfg, find(common, mods + "poweroff.c32"),
         find(common, mods + "libcom32.c32"), "::"], "mcopy")


def build_syslinux_floppy(cache, work, out, _):
    with open(out, "wb") as f:
        f.truncate(1474560)
    run(["mformat", "-i", out, "-f", "1440", "::"], "mformat")
    syslinux_fat(cache, work, out, 0)


def build_syslinux_hdd(cache, work, out, _):
    common = unpack(cache, "syslinux-common", os.path.join(work, "pkg-syslinux-common"))
    with open(find(common, "usr/lib/syslinux/mbr/mbr.bin"), "rb") as f:
        mbr = bytearray(f.read().ljust(512, b"\0")[:512])
    total = HD_CYLINDERS * HD_HEADS * HD_SECTORS
    size = total - HD_START

    def chs(lba):
        c, h, s = lba // (HD_HEADS * HD_SECTORS), lba // HD_SECTORS % HD_HEADS, lba % HD_SECTORS + 1
        return bytes([h, (c >> 2 & 0xc0) | s, c & 0xff])

    # one active FAT16 (<32 MiB, type 04h) partition entry, then the signature
    mbr[446:462] = bytes([0x80]) + chs(HD_START) + bytes([0x04]) + chs(total - 1) + \
        HD_START.to_bytes(4, "little") + size.to_bytes(4, "little")
    mbr[510:512] = b"\x55\xaa"
    with open(out, "wb") as f:
        f.write(mbr)
        f.truncate(total * 512)
    off = HD_START * 512
    run(["mformat", "-i", f"{out}@@{off}", "-h", str(HD_HEADS), "-s", str(HD_SECTORS), "-H", str(HD_START),
         "-T", str(size), "::"], "mformat")
    syslinux_fat(cache, work, out, off)


LINUX_PKGS = [KERNEL_META, "busybox-static"]
ISOLINUX_PKGS = ["isolinux", "syslinux-common"]
GUESTS = {
    "linux-isolinux": Guest("ISOLINUX, Linux real-mode setup, long mode", KERNEL_META,
                            LINUX_PKGS + ISOLINUX_PKGS, build_linux_isolinux),
    "linux-grub16": Guest("GRUB linux16 (real-mode setup), long mode", KERNEL_META, LINUX_PKGS,
                          build_linux_grub16),
    "linux-grub32": Guest("GRUB linux (32-bit boot protocol), long mode", KERNEL_META, LINUX_PKGS,
                          build_linux_grub32),
    "debian-installer": Guest("ISOLINUX, i386 Linux, text installer", "debian-installer-12-netboot-i386",
                              ["debian-installer-12-netboot-i386"] + ISOLINUX_PKGS, build_debian_installer,
                              mem=512),
    "memtest86+": Guest("GRUB linux16, memtest86+x64.bin, long mode", "memtest86+", ["memtest86+"],
                        memtest_grub("x64"), mem=64),
    "memtest86+ia32": Guest("GRUB linux16, memtest86+ia32.bin, protected mode", "memtest86+", ["memtest86+"],
                            memtest_grub("ia32"), mem=64),
    "memtest86+iso": Guest("memtest86+ia32.iso (El Torito), protected mode", "memtest86+", ["memtest86+"],
                           build_memtest_iso, mem=64),
    "ipxe": Guest("ipxe.iso (ISOLINUX, ipxe.krn), PCI NIC", "ipxe", ["ipxe"], build_ipxe_iso, nic="e1000"),
    "ipxe-lkrn": Guest("GRUB linux16, ipxe.lkrn, PCI NIC", "ipxe", ["ipxe"], build_ipxe_lkrn, nic="e1000"),
    "grub-tools": Guest("GRUB 2 (the host's grub-pc-bin): lsmmap, lspci, videoinfo, cpuid, halt", "grub-pc-bin",
                        [], build_grub_tools),
    "syslinux-poweroff": Guest("ISOLINUX, COM32 poweroff.c32 (APM)", "syslinux-common", ISOLINUX_PKGS,
                               build_syslinux_poweroff),
    "syslinux-floppy": Guest("FAT12 floppy, SYSLINUX boot sector, COM32 poweroff.c32 (APM)", "syslinux",
                             ["syslinux"] + ISOLINUX_PKGS[1:], build_syslinux_floppy, ext="img"),
    "syslinux-hdd": Guest("hard disk: syslinux mbr.bin, FAT16 partition, SYSLINUX, poweroff.c32 (APM)", "syslinux",
                          ["syslinux"] + ISOLINUX_PKGS[1:], build_syslinux_hdd, ext="hdd"),
    "memdisk": Guest("ISOLINUX, MEMDISK, rm_bios floppy from high memory", "syslinux-common",
                     ISOLINUX_PKGS, build_memdisk),
}


def image(out, name):
    return os.path.join(out, f"{name}.{GUESTS[name].ext}")


def version(cache, g):
    pkg = kernel_package(cache) if g.main == KERNEL_META else g.main
    deb = cached_deb(cache, pkg)
    if deb:
        return deb_version(deb)
    p = subprocess.run(["dpkg-query", "-W", "-f=${Version}", pkg], capture_output=True, text=True)
    return p.stdout.strip() if p.returncode == 0 and p.stdout.strip() else "?"  # a host package (GRUB)


def main():
    usage = __doc__.split("\n\n")[1].replace("Usage: ", "", 1)
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0], usage=usage,
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog="\n".join(__doc__.split("\n")[4:]))
    ap.add_argument("command", choices=["build", "list", "images", "info", "image", "runopts", "versions"])
    ap.add_argument("names", nargs="*")
    ap.add_argument("--out", default=os.path.join(TOP, "build", "real"), help="image directory (build/real)")
    ap.add_argument("--cache", help="the .deb cache (default ~/.cache/vmxlab/debs)")
    ap.add_argument("--rm-bios", default=os.path.join(TOP, "build", "guests", "rm", "rm_bios.img"),
                    help="memdisk's floppy (build/guests/rm/rm_bios.img)")
    a = ap.parse_args()
    cache = cache_dir(a.cache)
    for n in a.names:
        if n not in GUESTS:
            die(f"no guest '{n}' in the catalogue: {', '.join(GUESTS)}")
    if a.command == "list":
        print("\n".join(GUESTS))
    elif a.command == "images":
        print("\n".join(image(a.out, n) for n in GUESTS))
    elif a.command in ("info", "image", "runopts"):
        if len(a.names) != 1:
            die(f"{a.command} takes one guest name")
        g = GUESTS[a.names[0]]
        if a.command == "image":
            print(image(a.out, a.names[0]))
        elif a.command == "runopts":
            print(f"--mem {g.mem} --nic {g.nic}")
        else:
            print(f"image={image(a.out, a.names[0])}\nmem={g.mem}\nnic={g.nic}\nversion={version(cache, g)}\n"
                  f"route={g.route}\npackages={' '.join(g.packages)}")
    elif a.command == "versions":
        for n, g in GUESTS.items():
            print(f"{n}\t{version(cache, g)}")
    else:
        os.makedirs(a.out, exist_ok=True)
        for n in a.names or GUESTS:
            out = image(a.out, n)
            work = tempfile.mkdtemp(prefix=f".{n}-", dir=a.out)
            tmp = f"{out}.{os.getpid()}.tmp"  # two builds of one image at once (two test runs) each write their own
            try:
                print(f"  REAL    {out}", file=sys.stderr)
                GUESTS[n].build(cache, work, tmp, os.path.abspath(a.rm_bios))
                os.replace(tmp, out)
            finally:
                shutil.rmtree(work, ignore_errors=True)
                if os.path.exists(tmp):
                    os.remove(tmp)
    return 0


if __name__ == "__main__":
    sys.exit(main())
