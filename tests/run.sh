#!/bin/sh
# Runs every cmocka test binary given, then prints one summary line that CI reads:
# "N passed, N failed" counted over test cases.
pass=0; fail=0; bad=""
for t in "$@"; do
    out=$("$t" 2>&1); rc=$?
    printf '%s\n' "$out" | grep -E '^\[  (PASSED|FAILED) \]|^\[  FAILED  \]|^\[==========\]' | sed "s|^|$(basename "$t"): |"
    p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | head -1)
    f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | head -1)
    pass=$((pass + ${p:-0}))
    if [ "$rc" -ne 0 ]; then
        fail=$((fail + ${f:-1})); bad="$bad $t"
        printf '%s\n' "$out" | tail -40
    fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
