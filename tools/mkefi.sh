#!/bin/sh
# mkefi.sh - the UEFI half of the hybrid vmxlab ISO: a small FAT image holding
# /efi/boot/bootx64.efi, a standalone x86_64-efi GRUB (every module it needs
# built in, so nothing is loaded from the ISO) whose built-in config finds
# the ISO's file system and reads /boot/grub/grub.cfg from it, as the BIOS
# GRUB does. tools/mkiso.sh gives the image to xorriso twice: as the El
# Torito EFI boot image (a CD) and as an EFI system partition in the ISO's
# GPT (a USB stick written with dd).
#
# Usage: tools/mkefi.sh OUT.img
# GRUB_EFI_DIR names the x86_64-efi modules (default /usr/lib/grub/x86_64-efi,
# Debian's grub-efi-amd64-bin). The image is unsigned: Secure Boot must be off.
set -eu
case "${1:-}" in -h|--help|"") sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;; esac
out=$1
dir=${GRUB_EFI_DIR:-/usr/lib/grub/x86_64-efi}
[ -f "$dir/kernel.img" ] || { echo "mkefi.sh: no x86_64-efi GRUB in $dir: install grub-efi-amd64-bin" \
    "(tools/deps.sh), or set GRUB_EFI_DIR" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vmxlab-efi.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# GRUB starts on the FAT image's device: the ISO file system is the one with the hv on it.
cat > "$tmp/early.cfg" <<'EOF'
search --no-floppy --file --set=root /boot/hv.bin
set prefix=($root)/boot/grub
EOF
grub-mkimage -d "$dir" -O x86_64-efi -p /boot/grub -c "$tmp/early.cfg" -o "$tmp/bootx64.efi" \
    normal configfile echo test regexp true search search_fs_file iso9660 part_gpt part_msdos fat \
    multiboot multiboot2 serial terminal efi_gop efi_uga video video_fb
# FAT12 with room for the loader: 1 KiB clusters, 64 KiB of slack.
kib=$(( ($(stat -c %s "$tmp/bootx64.efi") + 1023) / 1024 + 64 ))
rm -f "$out"
dd if=/dev/zero of="$out" bs=1024 count="$kib" status=none
mformat -i "$out" -T $((kib * 2)) -h 1 -s 32 ::
mmd -i "$out" ::/efi ::/efi/boot
mcopy -i "$out" "$tmp/bootx64.efi" ::/efi/boot/bootx64.efi
