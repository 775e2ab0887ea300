#!/bin/sh
# mkmbcd.sh - put a multiboot kernel on a GRUB CD, so that it boots as a
# guest: the guest BIOS boots the CD, GRUB (i386-pc) loads the kernel with
# `multiboot` (or `multiboot2`) through its real-mode BIOS calls and starts
# it in 32-bit protected mode, as GRUB or QEMU's -kernel would on a PC.
#
# Usage: tools/mkmbcd.sh --out ISO [--cmdline "ARGS"] KERNEL
#        tools/mkmbcd.sh --check KERNEL   (status 0 when KERNEL has a
#                                          multiboot v1 or v2 header)
# `make run GUEST=KERNEL` does this by itself for such a file. GRUB's menu
# and messages go to COM1 (115200 8N1); the kernel may set COM1 up again.
# A v1 header lies 4-aligned in the first 8 KiB, a v2 header 8-aligned in
# the first 32 KiB; either with its checksum (the Multiboot specifications,
# 3.1.1 and 3.1).
set -e
usage() { sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-2}"; }
out= cmdline= check=
while [ $# -gt 0 ]; do
    case "$1" in
    --out) out=$2; shift 2 ;;
    --cmdline) cmdline=$2; shift 2 ;;
    --check) check=1; shift ;;
    -h|--help) usage 0 ;;
    -*) echo "mkmbcd.sh: unknown option '$1'" >&2; usage ;;
    *) break ;;
    esac
done
[ $# = 1 ] || usage
kernel=$1
[ -f "$kernel" ] || { echo "mkmbcd.sh: no such kernel '$kernel'" >&2; exit 2; }

# Prints multiboot or multiboot2 (the GRUB command), or nothing.
loader=$(/usr/bin/python3 - "$kernel" <<'EOF'
import struct, sys
data = open(sys.argv[1], "rb").read(32768)
def found(magic, align, limit, words):
    for off in range(0, min(len(data), limit) - 4 * words + 1, align):
        v = struct.unpack_from("<%dI" % words, data, off)
        if v[0] == magic and sum(v) % 2**32 == 0:
            return True
    return False
if found(0x1BADB002, 4, 8192, 3):
    print("multiboot")
elif found(0xE85250D6, 8, 32768, 4):
    print("multiboot2")
EOF
)
if [ -n "$check" ]; then
    [ -n "$loader" ]
    exit
fi
[ -n "$loader" ] || { echo "mkmbcd.sh: '$kernel' has no multiboot header" >&2; exit 2; }
[ -n "$out" ] || usage

dir=$out.d
rm -rf "$dir"
mkdir -p "$dir/boot/grub"
cp "$kernel" "$dir/boot/kernel"
cat >"$dir/boot/grub/grub.cfg" <<EOF
# written by tools/mkmbcd.sh for $(basename "$kernel")
serial --port=0x3f8 --speed=115200
terminal_input serial
terminal_output serial
set timeout=0
menuentry "$(basename "$kernel")" {
    $loader /boot/kernel $cmdline
}
EOF
parts="part_acorn part_amiga part_apple part_bsd part_dfly part_dvh part_gpt part_msdos part_plan part_sun part_sunpc"
# i386-pc alone: the guest BIOS boots it (grub-mkrescue would add x86_64-efi).
grub-mkrescue -d "${GRUB_PC_DIR:-/usr/lib/grub/i386-pc}" -o "$out" --compress=no \
    --install-modules="multiboot multiboot2 normal serial terminal iso9660 biosdisk $parts" \
    --fonts= --locales= --themes= "$dir" >/dev/null 2>&1 || { echo "mkmbcd.sh: grub-mkrescue failed for $out" >&2; exit 1; }
rm -rf "$dir"
echo "mkmbcd.sh: $out: GRUB CD with $loader /boot/kernel ($kernel)"
