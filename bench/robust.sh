#!/bin/sh
# bench/robust.sh - the acceptance run over instances/robust/ (schools made by
# bench/gen2.c, each proven to admit a plan that serves every student).
#
# Run by `make robust` (after `make all`) from anywhere.  One school at a time, in
# name order:
#   nice paipian solve FILE -o OUT/NAME --time-limit T --quiet
#   paipian check FILE OUT/NAME/timetable.xml
#   build/bench/robust_stats FILE OUT/NAME/timetable.xml
# with T by size (students <= 500: 2 s; <= 1,500: 15 s; <= 3,600: 60 s; above: 300 s)
# times ROBUST_SCALE.  Writes
#   bench/robust.csv   one row per school (columns: $COLS, then bench/full.csv's
#                      columns prefixed full_ when that file exists)
#   bench/robust.md    the table, the summary against the targets of issue 12, the
#                      violations by rule with one message each, the machine
# Rule ids: the checker's own [G6]-style tag when a message has one; otherwise one
# read from the message's wording, marked ~ (e.g. ~G2).
#
# Environment:
#   ROBUST_SCALE   multiplies every time limit (default 1; e.g. 0.2 on a shared machine)
#   ROBUST_ONLY    a shell glob on the school names (default *), e.g. 'r0*'
#   ROBUST_OUT     where solve outputs go (default build/robust)
#   ROBUST_GAP     the gap target in percent for the early-stop column (default 0.5,
#                  paipian's default --gap)
#   ROBUST_RECHECK set to 1 to check the plans of the last run again without solving
#                  (e.g. after the checker learnt a rule); the run's facts come from
#                  $ROBUST_OUT/run.txt
#   PAIPIAN        the binary (default ./paipian)
# Exit status 0 when every school produced a timetable, 1 otherwise (the files are
# still written).  Failing schools are the measurement, not an error of the script.
set -u
cd "$(dirname "$0")/.." || exit 1

PAIPIAN=${PAIPIAN:-./paipian}
STATS=build/bench/robust_stats
SCALE=${ROBUST_SCALE:-1}
ONLY=${ROBUST_ONLY:-*}
RECHECK=${ROBUST_RECHECK:-0}
OUTROOT=${ROBUST_OUT:-build/robust}
GAP_TARGET=${ROBUST_GAP:-0.5}
CSV=bench/robust.csv
MD=bench/robust.md
FULL=bench/full.csv
COLS=school,shape,students,time_limit_s,exit,violations,rules,care_over_max,p1,unserved,priority_unserved,served_pct,first_choice_pct,groups,gap_pct,time_s,stopped_early

base_limit() {
    if [ "$1" -le 500 ]; then echo 2; elif [ "$1" -le 1500 ]; then echo 15
    elif [ "$1" -le 3600 ]; then echo 60; else echo 300; fi
}

stat_get() { # key=value file, key
    [ -f "$1" ] || return 0
    sed -n "s/^$2=//p" "$1" | head -n 1 | tr -d ',\r'
}

# Rule ids of the violation lines of a `paipian check` output, one per line.
rule_ids() {
    awk '
        / every hard rule holds / || / violations?$/ { next }
        NF == 0 { next }
        {
            if (match($0, /\[[A-Z][0-9]+\]/)) { print substr($0, RSTART + 1, RLENGTH - 2); next }
            id = "~?"
            if ($0 ~ /has no group|is in two groups at once/) id = "~C1"
            else if ($0 ~ /did not ask|listed unserved/) id = "~C2"
            else if ($0 ~ /meets when period|meets outside the slots/) id = "~C3"
            else if ($0 ~ /without having chosen|which is not open to grade|opening minimum and cap/) id = "~K1"
            else if ($0 ~ /mixes grades/ && $0 ~ /tier/) id = "~K1"
            else if ($0 ~ /times a week|clubs\/courses a week/) id = "~K2"
            else if ($0 ~ /split between care groups/) id = "~G2"
            else if ($0 ~ /merges classes into/) id = "~G1"
            else if ($0 ~ /merge threshold/) id = "~G3"
            else if ($0 ~ /one admin class per group/) id = "~G4"
            else if ($0 ~ /mixes grades/) id = "~G5"
            else if ($0 ~ /lone|alone|smallest/) id = "~G6"
            else if ($0 ~ /has no venue| meets in .*; expected a /) id = "~V1"
            else if ($0 ~ /which holds [0-9]|uses venue .* unavailable/) id = "~V2"
            else if ($0 ~ /holds two groups at once/) id = "~V3"
            else if ($0 ~ /staff; expected [0-9]|lists staff .* twice/) id = "~S1"
            else if ($0 ~ /lacks the speciality|external professional/) id = "~S2"
            else if ($0 ~ /leads two groups at once|is led by .* unavailable/) id = "~S3"
            else if ($0 ~ /max-sessions|max-minutes/) id = "~S4"
            else if ($0 ~ /duty/) id = "~D1"
            else if ($0 ~ /priority/) id = "~P1"
            print id
        }'
}

# bench/full.csv's row for a school (by its first column: the name, NAME.xml or a
# path ending so), without that column; "" when absent.
full_row() {
    [ -f "$FULL" ] || return 0
    awk -F, -v n="$1" 'NR > 1 { k = $1; sub(/.*\//, "", k); sub(/\.xml$/, "", k)
        if (k == n) { sub(/^[^,]*,?/, ""); print; exit } }' "$FULL"
}

full_header() {
    [ -f "$FULL" ] || return 0
    head -n 1 "$FULL" | tr -d '\r' | awk -F, '{ s = ""; for (i = 2; i <= NF; i++) s = s ",full_" $i; print s }'
}

# The solve run's facts, kept in $OUTROOT/run.txt so that a re-check can quote them.
run_facts() { # seconds
    cpu=$(sed -n 's/^model name[[:space:]]*:[[:space:]]*//p' /proc/cpuinfo 2>/dev/null | head -n 1)
    echo "- CPUs (nproc): $(nproc 2>/dev/null || echo '?'), ${cpu:-unknown}; load average at the start: $LOAD0"
    echo "- solved with paipian at commit $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $(date -u '+%Y-%m-%d %H:%M UTC'), one school at a time under nice"
    echo "- ROBUST_SCALE=$SCALE (time limits: 2 / 15 / 60 / 300 s by size, times the scale), ROBUST_ONLY='$ONLY', gap target ${GAP_TARGET}%"
    echo "- whole run: $1 s wall time (solves, checks and statistics)"
}

machine() {
    cat "$OUTROOT/run.txt" 2>/dev/null || echo "- (no $OUTROOT/run.txt: the solve run's facts are unknown)"
    if [ "$RECHECK" = 1 ]; then
        echo "- plans checked again (ROBUST_RECHECK=1) with commit $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $(date -u '+%Y-%m-%d %H:%M UTC')"
    fi
}

solve_one() { # file name students limit; prints the CSV row
    f=$1 name=$2 n=$3 t=$4
    out=$OUTROOT/$name
    mkdir -p "$out"
    if [ "$RECHECK" = 1 ]; then # the plan of the last run, checked again
        rc=$(cat "$out/exit.txt" 2>/dev/null || echo '?')
        t=$(cat "$out/limit.txt" 2>/dev/null || echo "$t")
    else
        rm -f "$out/stats.txt" "$out/timetable.xml" "$out/check.txt" "$out/robust_stats.txt" "$out/exit.txt"
        hard=$(awk -v t="$t" 'BEGIN { printf "%d", t * 2 + 60 }')
        timeout "$hard" nice "$PAIPIAN" solve "$f" -o "$out" --time-limit "$t" --quiet >"$out/paipian.log" 2>&1
        rc=$?
        echo "$rc" >"$out/exit.txt"
        echo "$t" >"$out/limit.txt"
    fi
    viol="" rules="" over="" p1="" unserved="" punserved="" served="" first="" groups="" gap="" secs="" early=""
    if [ -f "$out/timetable.xml" ]; then
        nice "$PAIPIAN" check "$f" "$out/timetable.xml" >"$out/check.txt" 2>&1
        rule_ids <"$out/check.txt" >"$out/rules.txt"
        viol=$(wc -l <"$out/rules.txt" | tr -d ' ')
        rules=$(sort "$out/rules.txt" | uniq -c | awk '{ printf "%s%s(%d)", (NR > 1 ? " " : ""), $2, $1 }')
        "$STATS" "$f" "$out/timetable.xml" >"$out/robust_stats.txt" 2>>"$out/paipian.log"
        over=$(stat_get "$out/robust_stats.txt" care_over_max)
        p1=$(stat_get "$out/robust_stats.txt" p1)
        unserved=$(stat_get "$out/stats.txt" unserved)
        punserved=$(stat_get "$out/robust_stats.txt" priority_unserved)
        served=$(stat_get "$out/robust_stats.txt" served_pct)
        first=$(stat_get "$out/robust_stats.txt" first_choice_pct)
        groups=$(stat_get "$out/robust_stats.txt" groups)
        gap=$(stat_get "$out/stats.txt" gap_pct)
        secs=$(stat_get "$out/stats.txt" total_s)
        early=$(awk -v s="$secs" -v t="$t" -v g="$gap" -v target="$GAP_TARGET" \
            'BEGIN { if (s == "" || g == "") print ""; else print ((s < 0.9 * t && g > target) ? "yes" : "no") }')
    fi
    shape=$(sed -n 's/.*shape: \([^)]*\)).*/\1/p' "$f" | head -n 1)
    echo "$name,$shape,$n,$t,$rc,$viol,$rules,$over,$p1,$unserved,$punserved,$served,$first,$groups,$gap,$secs,$early$(
        [ -f "$FULL" ] && printf ',%s' "$(full_row "$name")")"
}

md_table() {
    awk -F, 'NR == 1 { h = "|"; s = "|"; for (i = 1; i <= NF; i++) { h = h " " $i " |"; s = s "---|" }
                       print h; print s; next }
             { r = "|"; for (i = 1; i <= NF; i++) r = r " " $i " |"; print r }' "$CSV"
}

summary() {
    awk -F, -v target="$GAP_TARGET" '
    NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
    {
        n++
        v = $c["violations"]; r = $c["rules"]
        if (v == "0") clean++
        # the duty shortage a dutyshort:DAY school has on purpose (RULES.md D1: the school
        # is short, the plan is not wrong) is the only line such a school may show
        else if ($c["shape"] ~ /dutyshort:/ && (r == "~D1(1)" || r == "D1(1)")) { clean_but_duty++; duty = duty " " $1 }
        if ($c["unserved"] == "0" && $c["served_pct"] == "100.00") served++
        else { with_unserved++; us += $c["unserved"]; ps += $c["priority_unserved"] }
        if ($c["care_over_max"] + 0 > 0) { over++; og += $c["care_over_max"] }
        if ($c["p1"] + 0 > 0) { p1s++; p1 += $c["p1"] }
        g = $c["gap_pct"]
        if ($c["students"] + 0 <= 1500) { small++; if (g != "" && g + 0 <= 1) smallok++ }
        else { large++; if (g != "" && g + 0 <= 2) largeok++ }
        if ($c["stopped_early"] == "yes") early++
        if ($c["exit"] != "0") ex[$c["exit"]]++
    }
    END {
        printf "- schools with 0 violations from `paipian check`: **%d of %d**", clean, n
        if (clean_but_duty) printf "; %d more show only the duty shortage they have on purpose (%s)", clean_but_duty, substr(duty, 2)
        printf "\n"
        printf "- schools with every student served: **%d of %d**; the other %d leave %d student-slots unserved (%d of priority students)\n", served, n, with_unserved, us, ps
        printf "- counted apart from the checker: schools with care groups above group-max (RULES.md G1): **%d** (%d groups); with priority students unserved beside a served non-priority student of their grade (P1): **%d** (%d student-slots)\n", over, og, p1s, p1
        printf "- gap <= 1%% among the %d schools of <= 1,500 students: **%d**; gap <= 2%% among the %d larger ones: **%d**\n", small, smallok, large, largeok
        printf "- stopped with more than 10%% of the limit unused while above the %s%% gap target: **%d**\n", target, early
        s = ""; for (e in ex) s = s sprintf(" exit %s: %d;", e, ex[e])
        printf "- exit codes other than 0:%s\n", (s == "" ? " none" : s)
    }' "$CSV"
}

by_rule() { # schools per rule id, and one message of each rule per school
    for name in $(awk -F, 'NR > 1 { print $1 }' "$CSV"); do
        [ -s "$OUTROOT/$name/rules.txt" ] || continue
        sort -u "$OUTROOT/$name/rules.txt" | sed "s/^/$name /"
    done >"$OUTROOT/by_rule.txt"
    echo "| rule | schools | names |"
    echo "|---|---:|---|"
    awk '{ n[$2]++; s[$2] = s[$2] (s[$2] == "" ? "" : ", ") $1 } END { for (r in n) printf "| %s | %d | %s |\n", r, n[r], s[r] }' \
        "$OUTROOT/by_rule.txt" | sort
    echo
    echo "One message of each rule per school (the full lists: \`$OUTROOT/NAME/check.txt\`):"
    echo
    for name in $(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
                          $c["violations"] != "" && $c["violations"] != "0" { print $1 }' "$CSV"); do
        # the violation lines, in the order rule_ids read them
        grep -v ' every hard rule holds \| violations\?$' "$OUTROOT/$name/check.txt" | grep . >"$OUTROOT/$name/msgs.txt"
        paste -d '\t' "$OUTROOT/$name/rules.txt" "$OUTROOT/$name/msgs.txt" |
            awk -F '\t' -v n="$name" '!seen[$1]++ { m = $2; gsub(/`/, "'\''", m); if (length(m) > 300) m = substr(m, 1, 300) "..."
                printf "- %s %s: `%s`\n", n, $1, m }'
    done
}

main() {
    for b in "$PAIPIAN" "$STATS"; do
        [ -x "$b" ] || { echo "robust: $b not found (run make all first)" >&2; exit 1; }
    done
    mkdir -p "$OUTROOT" || exit 1
    LOAD0=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')
    start=$(date +%s)
    tmp=$CSV.tmp
    echo "$COLS$(full_header)" >"$tmp"
    status=0
    for f in instances/robust/$ONLY.xml; do
        [ -f "$f" ] || continue
        name=$(basename "$f" .xml)
        n=$(grep -c '<student ' "$f")
        t=$(awk -v b="$(base_limit "$n")" -v k="$SCALE" 'BEGIN { t = b * k; if (t < 0.1) t = 0.1; printf "%g", t }')
        [ "$RECHECK" = 1 ] || echo "robust: $name ($n students, limit ${t}s)" >&2
        row=$(solve_one "$f" "$name" "$n" "$t")
        echo "$row" >>"$tmp"
        [ -f "$OUTROOT/$name/timetable.xml" ] || { status=1; echo "robust: $name: no timetable (see $OUTROOT/$name/paipian.log)" >&2; }
    done
    mv "$tmp" "$CSV"
    end=$(date +%s)
    [ "$RECHECK" = 1 ] || run_facts $((end - start)) >"$OUTROOT/run.txt"
    {
        echo "# Robust acceptance run (\`make robust\`)"
        echo
        echo "Schools of [instances/robust/](../instances/robust/README.md), made by \`bench/gen2.c\`; each admits a"
        echo "plan serving every student (its certificate is checked by the generator), so every unserved"
        echo "student-slot below is a fault of the solver.  Columns: \`violations\` = lines of \`paipian check\`;"
        echo "\`rules\` = rule ids (docs/RULES.md) with counts, \`~\` where the id is read from the message's wording;"
        echo "\`care_over_max\`, \`p1\` = care groups above group-max (G1) and priority students unserved beside a served"
        echo "non-priority student of their grade (P1), counted by \`bench/robust_stats.c\` apart from the checker;"
        echo "\`unserved\` = stats.txt \`unserved=\`; \`served_pct\` = student-slots in a group / asked;"
        echo "\`first_choice_pct\` = students in a group of their first choice / students with choices;"
        echo "\`stopped_early\` = ended with more than 10% of the limit unused while the gap was above the target."
        echo
        machine
        echo
        echo "## Summary"
        echo
        summary
        echo
        echo "## Schools"
        echo
        md_table
        echo
        echo "## Violations by rule"
        echo
        by_rule
    } >"$MD.tmp" && mv "$MD.tmp" "$MD"
    summary >&2
    echo "robust: wrote $CSV and $MD ($((end - start)) s)" >&2
    exit $status
}

main "$@"
