#!/bin/sh
# lab_check.sh N - the course lab's acceptance for lab N (labs/README.md):
#  1. `make lab LAB=N` writes a student tree, and the tree builds (-Werror);
#  2. in it, `make grade` scores below full and names every exercise of lab N
#     ("missing: LAB N exercise K (title) not done");
#  3. in this tree, `make grade LAB=N` scores full;
#  4. in the student tree, `make grade LAB=N-1` scores full: lab N's tree has
#     the earlier labs done, and the later labs' stubs do not break them.
# To stay cheap, the student tree's build/ starts as a copy of this tree's
# (objects, guests, ISO parts): make rebuilds what the stubs changed, since
# tools/lab.py writes those files anew and keeps the others' times.
# Prints "lab N: ..." lines; exit status 1 on the first broken step.
set -u
n=$1
top=$(cd "$(dirname "$0")/.." && pwd)
tree=$top/build/test/labtree-$n
cd "$top" || exit 1
rm -rf "$tree"
make --no-print-directory lab LAB="$n" LABDIR="$tree" >/dev/null || { echo "lab $n: make lab failed"; exit 1; }
[ -e "$tree/labs/INSTRUCTOR.md" ] && { echo "lab $n: the student tree has labs/INSTRUCTOR.md"; exit 1; }
mkdir -p "$tree/build"
tar -C build --exclude=./test --exclude=./lab --exclude=./run --exclude=./real --exclude='./tl-*' -cf - . |
	tar -C "$tree/build" -xf -
if ! make -C "$tree" --no-print-directory -j2 iso unit-bins >"$tree/build.log" 2>&1; then
	echo "lab $n: the student tree does not build: $(grep -m1 -E 'error|Error' "$tree/build.log")"
	exit 1
fi
echo "lab $n: the student tree builds"
(cd "$tree" && make --no-print-directory grade) >"$tree/grade.log" 2>&1
score=$(sed -n 's/^Score: //p' "$tree/grade.log")
echo "lab $n: student tree make grade: Score: $score"
case $score in
"") echo "lab $n: no Score line in the student tree's make grade"; exit 1 ;;
*/*) [ "${score%/*}" -lt "${score#*/}" ] || { echo "lab $n: the student tree scores full"; exit 1; } ;;
esac
bad=0
/usr/bin/python3 tools/lab.py list "$n" | while read -r ex; do
	if grep -qF "missing: $ex not done" "$tree/grade.log"; then
		echo "lab $n: the student tree names $ex"
	else
		echo "lab $n: the student tree's make grade does not name $ex"
		exit 1
	fi
done || bad=1
[ $bad = 0 ] || exit 1
VMXLAB_TESTDIR=$top/build/test/grade-$n make --no-print-directory grade LAB="$n" >"$tree/grade-main.log" 2>&1
main=$(sed -n 's/^Score: //p' "$tree/grade-main.log")
echo "lab $n: main tree make grade LAB=$n: Score: $main"
[ -n "$main" ] && [ "${main%/*}" = "${main#*/}" ] || { echo "lab $n: the main tree does not score full"; exit 1; }
if [ "$n" -gt 1 ]; then
	p=$((n - 1))
	(cd "$tree" && make --no-print-directory grade LAB=$p) >"$tree/grade-prev.log" 2>&1
	prev=$(sed -n 's/^Score: //p' "$tree/grade-prev.log")
	echo "lab $n: student tree make grade LAB=$p: Score: $prev"
	[ -n "$prev" ] && [ "${prev%/*}" = "${prev#*/}" ] || { echo "lab $n: the student tree does not score full on lab $p"; exit 1; }
fi
