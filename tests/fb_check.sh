#!/bin/sh
# fb_check.sh - the framebuffer route end to end in Bochs (tests.ini's
# fb_* tests). GRUB i386-pc loads the hv with multiboot2 in a VBE graphics
# mode (gfxpayload, tools/mkiso.sh --gfxpayload), so the hv gets a linear
# framebuffer and no text mode, as on a UEFI PC; it backs A0000-BFFFF with
# RAM, emulates the VGA ports and draws the guest's text screen (hv/fb.c).
# At power-off it prints the framebuffer's hash and the screen's cells;
# build/fbhash draws the same cells with the host renderer and compares.
#
# Usage: tests/fb_check.sh NAME MODE GUEST-IMAGE[:KIND] [WxHxD [HV-OPTIONS]]
#   NAME  names the ISO and the COM1 log (build/test/NAME.iso, .serial)
#   MODE  assist, ug or emulate: the ISO's RAM-disk entry boots the image
# COM1 goes to stdout, then fbhash's line; the status is run.sh's, or
# fbhash's when that is not 0 (1: the hashes differ, 2: no vmxlab-fb lines).
set -u
case "${1:-}" in -h|--help|"") sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;; esac
name=$1 mode=$2 image=$3 gfx=${4:-800x600x32} args=${5:-}
top=$(cd "$(dirname "$0")/.." && pwd)
out=$top/build/test
mkdir -p "$out"
"$top/tools/mkiso.sh" --out "$out/$name.iso" --gfxpayload "$gfx" --mode "ramdisk-$mode" \
    --args "$args" --ramdisk "$top/$image" || exit 2
"$top/tools/run.sh" --engine bochs --timeout 120 --log "$out/$name.serial" "$out/$name.iso"
rc=$?
"$top/build/fbhash" "$out/$name.serial"
h=$?
[ "$h" = 0 ] || exit "$h"
exit $rc
