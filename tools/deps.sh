#!/bin/sh
# deps.sh - make sure every Debian package the build and the tests use is here.
#
# Checks with dpkg-query (fast: one call for all packages) and runs
# `apt-get update` plus `apt-get install` only when something is missing.
# Usage: tools/deps.sh [--check] [--help]
#   --check   report what is missing and exit 1 instead of installing
set -eu

PACKAGES="gcc make binutils nasm grub-common grub-pc-bin grub-efi-amd64-bin ovmf xorriso mtools \
bochs bochsbios vgabios bochs-term qemu-system-x86 python3 python3-unicorn clang-format"

case "${1:-}" in
    -h|--help)
        sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'
        exit 0 ;;
    --check|"") ;;
    *) echo "deps.sh: unknown option '$1' (try --help)" >&2; exit 2 ;;
esac

missing=""
installed=$(dpkg-query -W -f '${Package} ${db:Status-Abbrev}\n' $PACKAGES 2>/dev/null || true)
for p in $PACKAGES; do
    echo "$installed" | grep -q "^$p ii" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "${1:-}" = "--check" ]; then
    echo "deps.sh: missing packages:$missing" >&2
    exit 1
fi

echo "deps.sh: installing missing packages:$missing" >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
$SUDO apt-get update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends $missing
