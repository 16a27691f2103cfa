#!/bin/sh
# bench/replan.sh - the re-plan benchmark (准入准出, issue 15): how little a
# re-plan from the published plan changes, and how fast, against a solve from
# scratch of the same changed school.
#
# Run by `make bench` after bench/run.sh; works from the repository root.  For
# each of M and L (BENCH_REPLAN_INSTANCES, default "M L"), with the time limit of
# bench/run.sh (M 15 s, L 60 s; BENCH_TIME_LIMIT overrides):
#   1. the published plan: $BENCH_OUT/NAME/timetable.xml when bench/run.sh left
#      one, else paipian solve instances/bench/NAME.xml;
#   2. the changed school: build/bench/changed (3% of the students leave, 3% join
#      with choices, one external coach leaves, one room closes; deterministic);
#   3. paipian solve CHANGED --from PUBLISHED: the re-plan, then (inside the same
#      command, same time limit) the solve from scratch it is compared with;
#   4. paipian check on the re-plan.
# Writes bench/replan.csv and the section "Re-plan" of bench/results.md (replacing
# it when there is one), and prints the table.  Targets, checked here: re-plan time
# <= the solve from scratch; students moved who were not directly affected <= 5%
# of those not directly affected.  Exit 1 when a run failed or a target is missed.
set -u
cd "$(dirname "$0")/.." || exit 1

PAIPIAN=${PAIPIAN:-./paipian}
CHANGED=${CHANGED:-build/bench/changed}
OUTROOT=${BENCH_OUT:-build/bench/out}
CSV=bench/replan.csv
MD=bench/results.md
KEYS="students replan_s scratch_s replan_moved_students replan_moved_unaffected replan_affected replan_groups_changed replan_groups_forced replan_groups_new replan_staff_changed replan_students_told replan_staff_told replan_objective gap_pct scratch_moved_students scratch_moved_unaffected scratch_groups_changed scratch_staff_changed scratch_students_told scratch_objective"

limit_for() {
    if [ -n "${BENCH_TIME_LIMIT:-}" ]; then echo "$BENCH_TIME_LIMIT"; return; fi
    case $1 in S) echo 2 ;; M) echo 15 ;; L) echo 60 ;; XL) echo 300 ;; *) echo 60 ;; esac
}

stat_get() {
    [ -f "$1" ] || return 0
    sed -n "s/^[[:space:]]*$2[[:space:]]*=[[:space:]]*//p" "$1" | head -n 1
}

status=0
rows=""
echo "instance,limit_s,changes,$(echo "$KEYS" | tr ' ' ','),check,targets" >"$CSV"
for n in ${BENCH_REPLAN_INSTANCES:-M L}; do
    src=instances/bench/$n.xml
    [ -f "$src" ] || continue
    T=$(limit_for "$n")
    dir=$OUTROOT/replan-$n
    rm -rf "$dir"
    mkdir -p "$dir"
    pub=$OUTROOT/$n/timetable.xml
    if [ ! -f "$pub" ]; then
        echo "bench: replan $n: publishing (solve, $T s)" >&2
        nice "$PAIPIAN" solve "$src" -o "$dir/published" --time-limit "$T" --quiet >"$dir/published.log" 2>&1
        pub=$dir/published/timetable.xml
    fi
    "$CHANGED" "$src" -o "$dir/changed.xml" 2>"$dir/changes.txt" || { status=1; continue; }
    what=$(sed 's/^changed: //' "$dir/changes.txt" | tr '\n' ';' | sed 's/;$//; s/,/ /g')
    echo "bench: replan $n: $what; re-plan and from scratch, $T s each" >&2
    nice "$PAIPIAN" solve "$dir/changed.xml" --from "$pub" -o "$dir/out" --time-limit "$T" --quiet >"$dir/solve.log" 2>&1
    rc=$?
    [ "$rc" -le 3 ] || status=1
    chk=fail
    "$PAIPIAN" check "$dir/changed.xml" "$dir/out/timetable.xml" >"$dir/check.log" 2>&1 && chk=ok
    [ "$chk" = ok ] || status=1
    st=$dir/out/stats.txt
    line="$n,$T,$what"
    for k in $KEYS; do line="$line,$(stat_get "$st" "$k")"; done
    eval "$(awk -F, -v l="$line" 'BEGIN {
        split(l, v, ",")
        # columns: 1 instance 2 limit 3 changes 4 students 5 replan_s 6 scratch_s 7 moved 8 moved_unaffected 9 affected
        rest = v[4] - v[9]
        pct = rest > 0 ? 100 * v[8] / rest : 0
        ok = (v[5] + 0 <= v[6] + 0) && (v[8] <= 0.05 * rest)
        printf "pct=%.2f; ok=%d; rest=%d\n", pct, ok, rest
    }')"
    [ "$ok" = 1 ] || status=1
    echo "$line,$chk,$([ "$ok" = 1 ] && echo met || echo missed)" >>"$CSV"
    rows="$rows$n|$T|$what|$line|$pct|$rest|$chk|$ok
"
done

{
    echo
    echo "## Re-plan"
    echo
    echo "Written by \`bench/replan.sh\` (\`make bench\`): the published plan of each school (bench/run.sh's, same time"
    echo "limit), the school changed by \`build/bench/changed\` (3% of the students leave, 3% join with choices, one external"
    echo "coach leaves, one room closes; deterministic), then \`paipian solve CHANGED --from PUBLISHED\`, which re-plans and"
    echo "then solves the changed school from scratch under the same limit to compare.  *Moved*: students put out of an"
    echo "activity they still chose and stay for at the same slot(s); *directly affected*: new students, students whose"
    echo "own stays or choices changed, and students of an activity-slot that lost a group's room or coach.  Targets:"
    echo "re-plan time <= from scratch; moved among the not directly affected <= 5% of them."
    echo
    echo "| school | changes | re-plan s | from scratch s | moved (not directly affected) | % of not directly affected | groups changed (forced) | staff changed | students told | objective (gap) | from scratch: moved, groups changed, staff changed, students told, objective | check | targets |"
    echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---|"
    printf '%s' "$rows" | while IFS='|' read -r n T what line pct rest chk ok; do
        [ -n "$n" ] || continue
        echo "$line" | awk -F, -v pct="$pct" -v rest="$rest" -v chk="$chk" -v ok="$ok" '{
            printf "| %s (%s students, %s s) | %s | %s | %s | %s (%s of %d) | %s%% | %s (%s) | %s | %s | %s (%s%%) | %s, %s, %s, %s, %s | %s | %s |\n",
                $1, $4, $2, $3, $5, $6, $7, $8, rest, pct, $10, $11, $13, $14, $16, $17, $18, $20, $21, $22, $23, chk,
                ok == 1 ? "met" : "missed"
        }'
    done
    echo
    echo "Machine: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg) when it ended; paipian commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')."
} >"$OUTROOT/replan.md"

# replace the section in results.md (or append it)
if [ -f "$MD" ]; then
    awk '/^## Re-plan$/ { skip = 1; next } skip && /^## / { skip = 0 } !skip' "$MD" >"$MD.tmp"
    cat "$OUTROOT/replan.md" >>"$MD.tmp" && mv "$MD.tmp" "$MD"
else
    cp "$OUTROOT/replan.md" "$MD"
fi
cat "$OUTROOT/replan.md"
exit $status
