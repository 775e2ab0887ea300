#!/bin/sh
# mkiso.sh - build a bootable vmxlab ISO from build/: hybrid, GRUB 2 i386-pc
# for BIOS and x86_64-efi for UEFI (tools/mkefi.sh), from a CD or a USB stick.
#
# Usage: tools/mkiso.sh --out FILE [--mode ENTRY] [--guest NAME|PATH]
#                       [--ramdisk IMAGE[:fd|hd|cd]] [--args "hv options"] [--timeout SECONDS]
#                       [--module "ISO-PATH NAME"]... [--gfxpayload WxHxD]
#   --out      the ISO to write
#   --mode     the default GRUB entry (default: assist): assist, emulate, ug,
#              assist-trace, or ramdisk-assist, ramdisk-ug, ramdisk-emulate
#              (boot the --ramdisk image from RAM through vmxloader and the BIOS)
#   --guest    a guest in build/guests (testguest, ...) or a path to a flat
#              32-bit guest binary (default: testguest); none: the guest
#              entries load no guest module (the hv's bad-input tests)
#   --ramdisk  the disk image the ramdisk-* entries hand to the hv as a GRUB
#              module (`module IMAGE ramdisk=KIND`): fd floppy, hd hard disk,
#              cd CD; without :KIND tools/guest-kind.sh guesses it from the
#              size and format (default: build/guests/disk/hello.img:fd)
#   --args     extra hv options for every entry, e.g. "trace=1 firmware=bochs"
#   --timeout  seconds GRUB shows its menu before booting (default: 0)
#   --module   one more module line in the guest entries, e.g.
#              "/boot/guests/testguest.bin guest" (a second guest module)
#   --gfxpayload WxHxD  load the hv with multiboot2 in that VBE graphics mode
#              (GRUB's gfxpayload), also on a BIOS PC: the UEFI screen path
# Every guest in build/guests goes into the ISO under /boot/guests/, the
# RAM disk image too.
set -eu

out= mode=assist guest=testguest args= timeout=0 ramdisk= extra= gfxpayload=
nl='
'
usage() { sed -n '2,26p' "$0" | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
    case "$1" in
        --out) out=$2; shift 2 ;;
        --mode) mode=$2; shift 2 ;;
        --guest) guest=$2; shift 2 ;;
        --args) args=$2; shift 2 ;;
        --ramdisk) ramdisk=$2; shift 2 ;;
        --timeout) timeout=$2; shift 2 ;;
        --module) extra="$extra\\$nl    \$vmxlab_mod $2"; shift 2 ;;
        --gfxpayload) gfxpayload=$2; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "mkiso.sh: unknown option '$1' (try --help)" >&2; exit 2 ;;
    esac
done
[ -n "$out" ] || { echo "mkiso.sh: --out is required (try --help)" >&2; exit 2; }
case "$mode" in
    assist|emulate|ug|assist-trace|ramdisk-assist|ramdisk-emulate|ramdisk-ug) ;;
    *) echo "mkiso.sh: unknown mode '$mode' (assist, emulate, ug, assist-trace, ramdisk-assist, ramdisk-emulate" \
            "or ramdisk-ug)" >&2; exit 2 ;;
esac
case "$timeout" in *[!0-9]*|"") echo "mkiso.sh: --timeout wants a number of seconds" >&2; exit 2 ;; esac

top=$(cd "$(dirname "$0")/.." && pwd)
b=$top/build
[ -f "$b/hv.bin" ] || { echo "mkiso.sh: $b/hv.bin is missing: run make first" >&2; exit 1; }

# The RAM disk: IMAGE[:KIND], the kind guessed when not given.
[ -n "$ramdisk" ] || ramdisk=$b/guests/disk/hello.img:fd
rd_file=${ramdisk%:*} rd_kind=${ramdisk##*:}
if [ "$rd_file" = "$ramdisk" ] || [ -z "$rd_kind" ] || [ -f "$ramdisk" ]; then
    rd_file=$ramdisk rd_kind=
fi
[ -f "$rd_file" ] || { echo "mkiso.sh: RAM disk image '$rd_file' does not exist" >&2; exit 1; }
if [ -z "$rd_kind" ]; then
    case "$("$top/tools/guest-kind.sh" "$rd_file")" in
        floppy) rd_kind=fd ;; disk) rd_kind=hd ;; cdrom) rd_kind=cd ;; *) exit 2 ;;
    esac
fi
case "$rd_kind" in
    fd|hd|cd) ;;
    *) echo "mkiso.sh: unknown RAM disk kind '$rd_kind' in --ramdisk (fd, hd or cd)" >&2; exit 2 ;;
esac

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vmxlab-iso.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
stage=$tmp/root   # what goes into the ISO; the log stays outside it
mkdir -p "$stage/boot/grub" "$stage/boot/guests"
cp "$b/hv.bin" "$stage/boot/hv.bin"
for g in "$b"/guests/*.bin; do
    [ -f "$g" ] && cp "$g" "$stage/boot/guests/"
done
if [ "$guest" = none ]; then
    guest_iso=none
elif [ -f "$b/guests/$guest.bin" ]; then
    guest_iso=/boot/guests/$guest.bin
elif [ -f "$guest" ]; then
    cp "$guest" "$stage/boot/guests/user-guest.bin"
    guest_iso=/boot/guests/user-guest.bin
else
    echo "mkiso.sh: guest '$guest' is neither in $b/guests nor a file" >&2
    exit 1
fi

rd_iso=/boot/guests/$(basename "$rd_file")
cp "$rd_file" "$stage$rd_iso"

sed -e "s|^set vmxlab_default=.*|set vmxlab_default=$mode|" \
    -e "s|^set vmxlab_ramdisk=.*|set vmxlab_ramdisk=$rd_iso|" \
    -e "s|^set vmxlab_ramdisk_kind=.*|set vmxlab_ramdisk_kind=$rd_kind|" \
    -e "s|^set vmxlab_guest=.*|set vmxlab_guest=$guest_iso|" \
    -e "s|^set vmxlab_args=.*|set vmxlab_args=\"$args\"|" \
    -e "s|^set vmxlab_timeout=.*|set vmxlab_timeout=$timeout|" \
    -e "s|^    \$vmxlab_mod \$vmxlab_guest guest\$|&$extra|" \
    -e "s|^set vmxlab_gfxpayload=.*|set vmxlab_gfxpayload=$gfxpayload|" \
    "$top/iso/grub.cfg" > "$stage/boot/grub/grub.cfg"
[ "$guest_iso" != none ] || sed -i '/^    module \$vmxlab_guest guest$/d' "$stage/boot/grub/grub.cfg"

# Only the GRUB modules the menu needs: a smaller core loads faster in Bochs.
# grub-mkrescue builds the BIOS half (-d: i386-pc alone, whatever else is
# installed); the UEFI half is tools/mkefi.sh's FAT image, which xorriso
# makes the El Torito EFI image and the GPT's EFI system partition.
mkdir -p "$(dirname "$out")"
"$top/tools/mkefi.sh" "$stage/boot/efi.img"
grub-mkrescue -d "${GRUB_PC_DIR:-/usr/lib/grub/i386-pc}" -o "$out.tmp" --compress=no \
    --install-modules="multiboot multiboot2 normal serial terminal iso9660 biosdisk configfile echo test regexp true
        vbe video video_fb part_acorn part_amiga part_apple part_bsd part_dfly part_dvh part_gpt part_msdos part_plan
        part_sun part_sunpc" \
    --fonts= --locales= --themes= "$stage" --efi-boot boot/efi.img -efi-boot-part --efi-boot-image \
    >"$tmp/log" 2>&1 || { cat "$tmp/log" >&2; exit 1; }
mv "$out.tmp" "$out"
