#!/bin/sh
# Runs the small shipped instances through solve and check under valgrind
# memcheck (make check).  valgrind exits 1 on any memory error or definite/indirect
# leak (--error-exitcode=1); paipian itself exits 0 or 3 here (1 is a usage error,
# which these fixed command lines cannot give), so an exit of 1 is valgrind's.
# The larger instances are left to the ASan+UBSan suite: under valgrind a solve
# runs ~30 times slower and CI has 20 minutes for everything.
set -u
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
VG="valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=1"
fail=0
for f in instances/tiny.xml instances/seed002.xml instances/seed003.xml tests/data/explain/noon_friday_one_teacher.xml; do
    n=$(basename "$f" .xml)
    echo "valgrind: $n"
    $VG ./paipian solve "$f" -o "$out/$n" --quiet >/dev/null 2>"$out/$n.err"; rc=$?
    if [ "$rc" -ne 0 ] && [ "$rc" -ne 3 ]; then
        echo "valgrind: $n: solve exited $rc"; cat "$out/$n.err"; fail=1; continue
    fi
    $VG ./paipian check "$f" "$out/$n/timetable.xml" >/dev/null 2>"$out/$n.err"; rc=$?
    if [ "$rc" -ne 0 ]; then
        echo "valgrind: $n: check exited $rc"; cat "$out/$n.err"; fail=1
    fi
done
# a re-plan (--from) with a lock, and one refused for another school's plan
echo "valgrind: replan"
./paipian solve tests/data/replan/club.xml -o "$out/club" --quiet >/dev/null 2>&1
$VG ./paipian solve tests/data/replan/club_join.xml --from "$out/club/timetable.xml" --lock g3 -o "$out/replan" --quiet \
    >/dev/null 2>"$out/replan.err" || { echo "valgrind: replan: exited $?"; cat "$out/replan.err"; fail=1; }
$VG ./paipian solve tests/data/replan/club.xml --from "$out/seed002/timetable.xml" -o "$out/bad" --quiet \
    >/dev/null 2>"$out/bad.err"; rc=$?
[ "$rc" -eq 2 ] || { echo "valgrind: replan of another school: exited $rc, expected 2"; cat "$out/bad.err"; fail=1; }
# refused inputs go through the loader's error paths
for f in tests/bad/billion_laughs.xml tests/bad/deep_nesting.xml tests/bad/unknown_choice.xml tests/bad/empty_school.xml; do
    $VG ./paipian solve "$f" -o "$out/bad" --quiet >/dev/null 2>"$out/bad.err"; rc=$?
    if [ "$rc" -ne 2 ]; then
        echo "valgrind: $f: exited $rc, expected 2 (invalid input)"; cat "$out/bad.err"; fail=1
    fi
done
# refused outputs and special inputs go through the output folder's and the readers' error paths
mkdir -p "$out/busy/stats.txt" && mkfifo "$out/fifo"
$VG ./paipian solve instances/tiny.xml -o "$out/busy" --quiet >/dev/null 2>"$out/busy.err"; rc=$?
if [ "$rc" -ne 4 ]; then
    echo "valgrind: an output name taken by a folder: exited $rc, expected 4"; cat "$out/busy.err"; fail=1
fi
$VG ./paipian check instances/tiny.xml "$out/fifo" >/dev/null 2>"$out/fifo.err"; rc=$?
if [ "$rc" -ne 2 ]; then
    echo "valgrind: a FIFO timetable: exited $rc, expected 2"; cat "$out/fifo.err"; fail=1
fi
[ "$fail" -eq 0 ] && echo "valgrind: clean"
exit "$fail"
