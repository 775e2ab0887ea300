#!/bin/sh
# check-size.sh ELF LIMIT - fail the build when ELF's text+data exceed LIMIT bytes.
# Usage: tools/check-size.sh build/hv.elf 65536
case "${1:-}" in -h|--help|"") sed -n '2,3p' "$0" | sed 's/^# //'; exit 0 ;; esac
set -eu
set -- "$1" "$2" $(size "$1" | awk 'NR==2 { print $1 + $2 }')
if [ "$3" -gt "$2" ]; then
    echo "check-size: $1 has $3 bytes of text+data, over the limit of $2" >&2
    exit 1
fi
