#!/bin/sh
# guest-kind.sh IMAGE - say how a guest disk image boots: floppy, disk or cdrom.
#
# An ISO 9660 image (CD001 at byte 32769) is a CD-ROM; a file of a standard
# floppy size (720 KiB, 1.44 MB, 2.88 MB) is a floppy; anything else whose size
# is a multiple of 512 is a hard disk. Exit status 2 with a message otherwise.
case "${1:-}" in -h|--help|"") sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; [ -n "${1:-}" ]; exit $? ;; esac
img=$1
[ -e "$img" ] || { echo "guest-kind.sh: no such guest image '$img' (a name from tests/guests/rm or a path)" >&2; exit 2; }
[ -f "$img" ] || { echo "guest-kind.sh: guest image '$img' is not a regular file" >&2; exit 2; }
[ -r "$img" ] && head -c 1 "$img" >/dev/null 2>&1 || [ ! -s "$img" ] ||
    { echo "guest-kind.sh: guest image '$img' cannot be read" >&2; exit 2; }
size=$(stat -c %s "$img")
if [ "$(dd if="$img" bs=1 skip=32769 count=5 2>/dev/null)" = CD001 ]; then
    echo cdrom
elif [ "$size" = 737280 ] || [ "$size" = 1474560 ] || [ "$size" = 2949120 ]; then
    echo floppy
elif "$(dirname "$0")/mkmbcd.sh" --check "$img" 2>/dev/null; then
    echo "guest-kind.sh: '$img' is a multiboot kernel, not a disk image: put it on a GRUB CD with" \
         "tools/mkmbcd.sh (make run GUEST=$img does)" >&2
    exit 2
elif [ "$size" -gt 0 ] && [ $((size % 512)) = 0 ]; then
    echo disk
else
    echo "guest-kind.sh: '$img' ($size bytes) is not a floppy, hard-disk or ISO image" >&2
    exit 2
fi
