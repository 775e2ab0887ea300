#!/bin/sh
# fresh_clone_run.sh - `make run` in a copy of the tree with no build/, as a
# newcomer's first command after `git clone`: make must build everything the
# run needs before it looks for the guest image.
#
# Usage: tests/fresh_clone_run.sh [make variables...]
# Copies the files git tracks (their working-tree contents) to a temporary
# directory, runs `make run ENGINE=bochs SNAPSHOT=1 "$@"` there, prints its
# output and exits with its status. The copy is removed afterwards.
set -eu
case "${1:-}" in -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;; esac
top=$(cd "$(dirname "$0")/.." && pwd)
clone=$(mktemp -d "${TMPDIR:-/tmp}/vmxlab-clone.XXXXXX")
trap 'rm -rf "$clone"' EXIT
(cd "$top" && git ls-files -z | tar --null -T - -cf -) | (cd "$clone" && tar xf -)
[ ! -e "$clone/build" ] || { echo "fresh_clone_run.sh: build/ is tracked by git" >&2; exit 2; }
cd "$clone"
make --no-print-directory run ENGINE=bochs SNAPSHOT=1 "$@"
