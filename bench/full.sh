#!/bin/sh
# bench/full.sh - the full model as yardstick: for every school of the list (default:
# instances/robust/*.xml, else a few shipped small schools) with at most
# FULL_MAX_STUDENTS students, write the whole problem as one MIP
# (paipian solve --write-full-lp), solve it with CBC for FULL_LIMIT wall seconds,
# read CBC's solution back into a plan (--read-full-solution), check it, and run
# paipian's own solve with the same limit.  Writes bench/full.csv and bench/full.md.
#
#   bench/full.sh [SCHOOL.xml ...]
#   FULL_LIMIT=60 FULL_MAX_STUDENTS=800 RULES_CHECKER=/path/to/paipian bench/full.sh
#
# RULES_CHECKER, when set, is a second paipian binary whose `check` is also run on
# both plans (e.g. one built from a checker that holds every rule of RULES.md).
# FULL_CBC_OPTS adds CBC options (e.g. "-preprocess off": CBC 2.10.8's preprocessing
# was seen to drop feasible solutions of this model and call a worse plan optimal).
# FULL_START=1 hands paipian's plan to CBC as its first incumbent (-mips, from
# paipian solve --write-full-start); by default CBC starts from nothing, so the
# yardstick owes paipian nothing.
# Solves run under nice; CBC with its wall clock (timeMode elapsed), one thread.
set -u
cd "$(dirname "$0")/.." || exit 1
LIMIT=${FULL_LIMIT:-60}
MAXS=${FULL_MAX_STUDENTS:-800}
OUT=${FULL_OUT:-bench}
command -v cbc >/dev/null 2>&1 || { echo "bench/full.sh: needs cbc (Debian package coinor-cbc)" >&2; exit 1; }
[ -x ./paipian ] || make -s paipian || exit 1
if [ $# -gt 0 ]; then
    set -- "$@"
elif ls instances/robust/*.xml >/dev/null 2>&1; then
    set -- instances/robust/*.xml
else
    set -- instances/tiny.xml instances/bench/S.xml instances/seed002.xml instances/seed003.xml
fi
work=$(mktemp -d /tmp/pp_full_bench.XXXXXX) || exit 1
trap 'rm -rf "$work"' EXIT INT TERM

stat_of() { sed -n "s/^$2=//p" "$1" 2>/dev/null | head -1; }
violations_of() { # the number of violations a `paipian check` reports; "-" when it could not run
    out=$("$1" check "$2" "$3" 2>/dev/null | tail -1)
    case "$out" in
    *"every hard rule holds"*) echo 0 ;;
    *violation*) echo "$out" | sed -n 's/^\(.*: \)\{0,1\}\([0-9][0-9]*\) violation.*/\2/p' ;;
    *) echo - ;;
    esac
}
by_rule() { # "G1 1; G6 4" from a RULES.md checker's "(by rule: G1 1, G6 4)"; "" when none
    "$1" check "$2" "$3" 2>/dev/null | tail -1 | sed -n 's/.*(by rule: \([^)]*\)).*/\1/p' | sed 's/, /; /g'
}

csv=$OUT/full.csv
tmpcsv=$work/full.csv
if [ -z "${FULL_TABLE_ONLY:-}" ]; then
echo "school,students,full_rows,full_cols,cbc_status,cbc_objective,cbc_bound,cbc_seconds,cbc_unserved,check_violations,paipian_objective,paipian_bound,paipian_unserved,full_plan_cost,paipian_check_violations,rules_check_full,rules_check_paipian,rules_full_by_rule,rules_paipian_by_rule" >"$tmpcsv"
for f in "$@"; do
    name=$(basename "$f" .xml)
    n=$(grep -c '<student ' "$f")
    if [ "$n" -gt "$MAXS" ]; then
        echo "full.sh: $name: $n students > FULL_MAX_STUDENTS=$MAXS, skipped" >&2
        continue
    fi
    lp=$work/$name.lp sol=$work/$name.sol log=$work/$name.cbc
    info=$(./paipian solve "$f" --write-full-lp "$lp" 2>&1) || { echo "full.sh: $name: $info" >&2; continue; }
    rows=$(echo "$info" | sed -n 's/.*full model: \([0-9]*\) rows, \([0-9]*\) columns.*/\1/p')
    cols=$(echo "$info" | sed -n 's/.*full model: \([0-9]*\) rows, \([0-9]*\) columns.*/\2/p')
    fdir=$work/$name.full pdir=$work/$name.pp start=
    if [ -n "${FULL_START:-}" ]; then
        nice ./paipian solve "$f" -o "$pdir" --time-limit "$LIMIT" --quiet --write-full-start "$work/$name.start" >/dev/null 2>&1
        start="-mips $work/$name.start"
    else
        nice ./paipian solve "$f" -o "$pdir" --time-limit "$LIMIT" --quiet >/dev/null 2>&1
    fi
    t0=$(date +%s.%N)
    # shellcheck disable=SC2086
    nice cbc "$lp" -timeMode elapsed -sec "$LIMIT" -threads 1 ${FULL_CBC_OPTS:-} $start -solve -solu "$sol" >"$log" 2>&1
    t1=$(date +%s.%N)
    secs=$(echo "$t0 $t1" | awk '{ printf "%.1f", $2 - $1 }')
    status=$(sed -n 's/^Result - //p' "$log" | head -1 | sed 's/,/;/g')
    obj=$(sed -n 's/^Objective value: *//p' "$log" | head -1)
    bound=$(sed -n 's/^Lower bound: *//p' "$log" | head -1)
    case "$status" in Optimal*) bound=${bound:-$obj} ;; esac
    cun=- viol=- fcost=- rfull=- bfull=
    if ./paipian solve "$f" --read-full-solution "$sol" -o "$fdir" --quiet >/dev/null 2>"$work/$name.read"; [ -f "$fdir/stats.txt" ]; then
        cun=$(stat_of "$fdir/stats.txt" unserved)
        fcost=$(stat_of "$fdir/stats.txt" objective)
        viol=$(violations_of ./paipian "$f" "$fdir/timetable.xml")
        if [ -n "${RULES_CHECKER:-}" ]; then
            rfull=$(violations_of "$RULES_CHECKER" "$f" "$fdir/timetable.xml")
            bfull=$(by_rule "$RULES_CHECKER" "$f" "$fdir/timetable.xml")
        fi
    else
        echo "full.sh: $name: reading CBC's solution failed: $(head -3 "$work/$name.read")" >&2
    fi
    pobj=$(stat_of "$pdir/stats.txt" objective)
    pbound=$(stat_of "$pdir/stats.txt" bound)
    pun=$(stat_of "$pdir/stats.txt" unserved)
    pviol=$(violations_of ./paipian "$f" "$pdir/timetable.xml")
    rpp=- bpp=
    if [ -n "${RULES_CHECKER:-}" ]; then
        rpp=$(violations_of "$RULES_CHECKER" "$f" "$pdir/timetable.xml")
        bpp=$(by_rule "$RULES_CHECKER" "$f" "$pdir/timetable.xml")
    fi
    echo "$name,$n,$rows,$cols,${status:-none},${obj:-},${bound:-},$secs,$cun,$viol,$pobj,$pbound,$pun,$fcost,$pviol,$rfull,$rpp,$bfull,$bpp" >>"$tmpcsv"
    echo "full.sh: $name: $n students, $rows x $cols; CBC ${status:-none} $obj (bound $bound) in $secs s, unserved $cun, violations $viol; paipian $pobj (bound $pbound), unserved $pun" >&2
done
cp "$tmpcsv" "$csv"
fi

# The table: one row per school (FULL_TABLE_ONLY=1 rebuilds it from full.csv alone).
{
    echo "# Full model against paipian"
    echo
    echo "Generated by \`bench/full.sh\` (CBC $(cbc -quit 2>/dev/null | sed -n 's/^Version: *//p' | head -1), one thread, wall-clock limit"
    echo "\`FULL_LIMIT\`=$LIMIT s; paipian with \`--time-limit $LIMIT\`; $(nproc) cores shared with other jobs)."
    echo "Objectives are \`pp_plan_cost\` of each plan; the full model's objective is the same function, so the"
    echo "two compare number for number. *full plan* is the plan read back from CBC's solution (after the G6/G7"
    echo "repair, which may only lower it). Violations: today's \`paipian check\` / a checker holding every rule"
    echo "of docs/RULES.md (with the rules broken). A CBC gap is (objective - bound) / objective."
    echo
    echo "| school | students | full rows x cols | CBC status | CBC objective | CBC bound | CBC gap | CBC s | full plan cost | unserved | violations | paipian objective | paipian bound | unserved | violations | paipian - full |"
    echo "|---|---:|---|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---|---:|"
    tail -n +2 "$csv" | while IFS=, read -r sc st r c cs co cb secs cu v po pb pu fc pv rf rp bf bp; do
        gap=$(echo "$co $cb" | awk '{ if ($1 != "" && $2 != "" && $1 > 0) printf "%.2f%%", 100 * ($1 - $2) / $1; else printf "-" }')
        diff=$(echo "$po $fc" | awk '{ if ($1 != "" && $2 != "" && $2 != "-") printf "%+.1f", $1 - $2; else printf "-" }')
        vf="$v / $rf"; [ -n "$bf" ] && vf="$vf ($bf)"
        vp="$pv / $rp"; [ -n "$bp" ] && vp="$vp ($bp)"
        echo "| $sc | $st | $r x $c | ${cs% found} | ${co:--} | $cb | $gap | $secs | $fc | $cu | $vf | $po | $pb | $pu | $vp | $diff |"
    done
} >"$OUT/full.md"
echo "full.sh: wrote $csv and $OUT/full.md" >&2
