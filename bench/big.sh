#!/bin/sh
# bench/big.sh - a 50,000-student school, generated here (11 MB of XML: not stored),
# solved under several time limits: does the time limit hold, how soon is there a
# first plan, how much memory does each process take (the targets of issue 13).
#
#   bench/big.sh            (or `make bench-big`; `make bench` runs it last)
#   bench/big.sh --report   the section again from the last run's figures
#                           ($BIG_OUT/rows.csv), solving nothing
#
# The school: build/bench/gen --profile nine-year --students 50000 --seed 1 (the
# shape of instances/bench/XL.xml, 8.3 times larger), into $BIG_OUT/big.xml.  For
# each limit T of $BIG_LIMITS:
#   paipian solve big.xml -o $BIG_OUT/tT --time-limit T --quiet
# timed from outside (wall and CPU seconds, GNU time) with a hard stop at
# max(10 T, 300) s.  Prints a Markdown section (the table and what the targets
# say) on stdout, progress on stderr.
#
# Environment: BIG_STUDENTS (50000), BIG_SEED (1), BIG_PROFILE (nine-year),
# BIG_LIMITS ("1 2 5 10 30"), BIG_OUT (build/bench/big), PAIPIAN (./paipian).
# Exit status 0 when every run wrote its stats.txt, 1 otherwise.
set -u
cd "$(dirname "$0")/.." || exit 1

PAIPIAN=${PAIPIAN:-./paipian}
GEN=build/bench/gen
N=${BIG_STUDENTS:-50000}
SEED=${BIG_SEED:-1}
PROFILE=${BIG_PROFILE:-nine-year}
LIMITS=${BIG_LIMITS:-1 2 5 10 30}
OUT=${BIG_OUT:-build/bench/big}

get() { sed -n "s/^$2=//p" "$1" 2>/dev/null | head -n 1; }

report_only=0
[ "${1:-}" = --report ] && report_only=1
mkdir -p "$OUT" || exit 1
school=$OUT/big.xml
# limit,wall,cpu,rc,total_s,first_feasible_s,status,objective,bound,gap_pct,unserved,
# MiB parent,search,helper,sum, load average when the run ended
rows_csv=$OUT/rows.csv
status=0
if [ "$report_only" = 0 ]; then
    for b in "$PAIPIAN" "$GEN"; do
        [ -x "$b" ] || { echo "big: $b not found (run make all first)" >&2; exit 1; }
    done
    echo "big: $GEN --profile $PROFILE --students $N --seed $SEED -o $school" >&2
    t0=$(date +%s.%N)
    "$GEN" --profile "$PROFILE" --students "$N" --seed "$SEED" -o "$school" 2>"$OUT/gen.log" || { cat "$OUT/gen.log" >&2; exit 1; }
    t1=$(date +%s.%N)
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f\n", b - a }' >"$OUT/gen_s"
    : >"$rows_csv"
    for t in $LIMITS; do
        d=$OUT/t$t
        mkdir -p "$d"
        rm -f "$d/stats.txt"
        hard=$(awk -v t="$t" 'BEGIN { h = 10 * t; printf "%d", h < 300 ? 300 : h }')
        echo "big: paipian solve --time-limit $t" >&2
        t0=$(date +%s.%N)
        if [ -x /usr/bin/time ]; then
            /usr/bin/time -o "$d/gnutime" -f "%U %S" timeout "$hard" "$PAIPIAN" solve "$school" -o "$d" \
                --time-limit "$t" --quiet >"$d/paipian.log" 2>&1
        else
            timeout "$hard" "$PAIPIAN" solve "$school" -o "$d" --time-limit "$t" --quiet >"$d/paipian.log" 2>&1
        fi
        rc=$?
        t1=$(date +%s.%N)
        cpu=$([ -f "$d/gnutime" ] && tail -n 1 "$d/gnutime" | awk '{ printf "%.1f", $1 + $2 }')
        wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
        s=$d/stats.txt
        [ -f "$s" ] || { echo "big: --time-limit $t: no stats.txt (exit $rc, see $d/paipian.log)" >&2; status=1; }
        echo "$t,$wall,$cpu,$rc,$(get "$s" total_s),$(get "$s" first_feasible_s),$(get "$s" status),$(get "$s" objective),$(get "$s" bound),$(get "$s" gap_pct),$(get "$s" unserved),$(get "$s" peak_rss_parent_mib),$(get "$s" peak_rss_search_mib),$(get "$s" peak_rss_helper_mib),$(get "$s" peak_rss_sum_mib),$(cut -d' ' -f1-3 /proc/loadavg)" >>"$rows_csv"
    done
fi
[ -s "$rows_csv" ] || { echo "big: no figures in $rows_csv (run bench/big.sh first)" >&2; exit 1; }
rows=$(cat "$rows_csv")
gen_s=$(cat "$OUT/gen_s" 2>/dev/null)

# gen's summary line: "gen: ID: N students, C classes, S staff, V venues, A activities"
counts=$(sed -n 's/^gen: [^:]*: [0-9]* students, //p' "$OUT/gen.log" | head -n 1)
echo "## A $(echo "$N" | sed ':a; s/\([0-9]\)\([0-9]\{3\}\)\($\|,\)/\1,\2\3/; ta')-student school"
echo
echo "\`bench/big.sh\` (\`make bench-big\`): \`$GEN --profile $PROFILE --students $N --seed $SEED\` ($counts;"
echo "$(wc -c <"$school" | awk '{ printf "%.1f MB", $1 / 1e6 }') of XML, generated in $gen_s s, not stored), then \`paipian solve big.xml -o DIR --time-limit T --quiet\`"
echo "for each T, one at a time on the shared machine (the load average when each run ended is in the last column)."
echo "Wall is from outside (loading the XML and writing every output included); solve is paipian's own"
echo "clock (\`total_s\`), which the time limit governs. Memory: peak RSS of each process in MiB (each counts"
echo "the pages it shares with the others, so the sum is an upper bound)."
echo
echo "| --time-limit | wall | solve | CPU | within 5% of the limit (wall / solve) | first plan | status | objective | bound | gap | unserved | MiB parent / search / helper / sum | load |"
echo "|---:|---:|---:|---:|---|---:|---|---:|---:|---:|---:|---:|---|"
printf '%s' "$rows" | awk -F, '
    function s(x) { return x == "" ? "–" : x }
    function t1(x) { return x == "" ? "–" : sprintf("%.1f s", x) }
    function m(x) { return x == "" ? "–" : sprintf("%.0f", x) }
    function w(x, t) { if (x == "") return "–"; return (x + 0 <= 1.05 * t) ? "yes" : sprintf("no (%.1fx)", x / t) }
    { printf "| %s s | %s | %s | %s | %s / %s | %s | %s%s | %s | %s | %s%% | %s | %s / %s / %s / %s | %s |\n",
        $1, t1($2), t1($5), t1($3), w($2, $1), w($5, $1), t1($6), s($7), ($4 == 0 || $4 == 3) ? "" : " (exit " $4 ")",
        s($8), s($9), s($10), s($11), m($12), m($13), m($14), m($15), s($16) }'
echo
printf '%s' "$rows" | awk -F, '
    function fin(x) { return x != "" && x !~ /inf|nan/ }
    {
        n++
        if ($6 != "" && (ff == "" || $1 + 0 > lt)) { ff = $6; lt = $1 + 0 }
        for (i = 12; i <= 14; i++) if ($i + 0 > mx) mx = $i + 0
        if ($1 + 0 >= 5) { big++; if ($2 + 0 <= 1.05 * $1 && fin($9)) held++ }
        else { small++; if (fin($10) && $2 + 0 <= 1.05 * $1) quick++ }
    }
    END {
        printf "Targets of issue 13 on this school:\n\n"
        printf "- first plan <= 10 s: %s (first_feasible_s of the %g-second run: %s s)\n", (ff != "" && ff + 0 <= 10) ? "**met**" : "**not met**", lt, ff == "" ? "–" : ff
        printf "- stops within 5%% of --time-limit >= 5 s, with a bound (wall): **%d of %d** runs\n", held, big
        printf "- under 2 s, a plan with its gap (wall within 5%% of the limit and a finite gap): **%d of %d** runs\n", quick, small
        printf "- memory <= 1 GiB per process: %s (largest process %.0f MiB)\n", mx <= 1024 ? "**met**" : "**not met**", mx
        printf "\n"
    }'
exit $status
