#!/bin/sh
# Runs the smaller shipped instances through solve and check under valgrind
# memcheck; any leak or memory error fails (make check).
set -e
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for f in instances/tiny.xml instances/seed002.xml instances/seed003.xml; do
    n=$(basename "$f" .xml)
    echo "valgrind: $n"
    valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=9 \
        ./paipian solve "$f" -o "$out/$n" --quiet
    valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=9 \
        ./paipian check "$f" "$out/$n/timetable.xml" >/dev/null
done
echo "valgrind: clean"
