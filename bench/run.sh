#!/bin/sh
# bench/run.sh - solves the benchmark schools and records how paipian scales.
#
# Run by `make bench` (after `make all`) from anywhere; works from the repository
# root.  For each instances/bench/*.xml, in the order S, M, L, XL (then any other
# file there, by name):
#   ./paipian solve FILE -o OUT --time-limit T --quiet --write-lp OUT/model.lp
# with T = 2, 15, 60, 300 s for S, M, L, XL (the targets of issue 4; 60 for others), reads OUT/stats.txt
# (key=value lines), and, when `cbc` is on PATH, solves OUT/model.lp with CBC under
# the same limit for comparison.  Writes
#   bench/results.csv   one row per instance, the columns of $COLS (empty: not measured)
#   bench/results.md    the same table, the machine, the versions, the plot
#   bench/scaling.svg   students vs time (log) and peak memory (gnuplot, if installed)
# and prints the table.  Outputs of each solve stay in $BENCH_OUT/NAME/ (paipian's
# files, paipian.log, model.lp, cbc.log, cbc.sol).
#
# Environment:
#   BENCH_TIME_LIMIT  one time limit in seconds for every instance (overrides the table)
#   BENCH_INSTANCES   names to run, e.g. "S M" (default: all of instances/bench)
#   BENCH_OUT         where solve outputs go (default build/bench/out)
#   BENCH_NO_CBC      set to 1 to skip CBC even when installed
#   PAIPIAN           the binary to run (default ./paipian)
#
# Exit status: 0 when every instance produced stats.txt, 1 otherwise (the files
# are still written, with empty cells for what was not measured).
set -u
cd "$(dirname "$0")/.." || exit 1

PAIPIAN=${PAIPIAN:-./paipian}
OUTROOT=${BENCH_OUT:-build/bench/out}
CSV=bench/results.csv
MD=bench/results.md
SVG=bench/scaling.svg
COLS=instance,students,groups,staff,venues,rows,cols,int_cols,sense,bound,objective,gap_pct,first_feasible_s,total_s,peak_rss_mib,ip_objective,ip_bound,cbc_objective,cbc_bound,cbc_s
STATS_KEYS="students groups staff venues rows cols int_cols sense bound objective gap_pct first_feasible_s total_s peak_rss_mib ip_objective ip_bound"

limit_for() {
    if [ -n "${BENCH_TIME_LIMIT:-}" ]; then echo "$BENCH_TIME_LIMIT"; return; fi
    case $1 in S) echo 2 ;; M) echo 15 ;; L) echo 60 ;; XL) echo 300 ;; *) echo 60 ;; esac
}

# Instance names in size order: the four known ones first, then the rest by name.
instance_names() {
    if [ -n "${BENCH_INSTANCES:-}" ]; then echo "$BENCH_INSTANCES"; return; fi
    names=""
    for n in S M L XL; do [ -f "instances/bench/$n.xml" ] && names="$names $n"; done
    for f in instances/bench/*.xml; do
        [ -f "$f" ] || continue
        n=$(basename "$f" .xml)
        case $n in S | M | L | XL) ;; *) names="$names $n" ;; esac
    done
    echo "${names# }"
}

# Value of key $2 in key=value file $1 ("" when absent); surrounding blanks trimmed.
stat_get() {
    [ -f "$1" ] || return 0
    sed -n "s/^[[:space:]]*$2[[:space:]]*=[[:space:]]*//p" "$1" | head -n 1 | sed 's/[[:space:]]*$//; s/,/;/g'
}

# Objective, bound and wall time from a CBC log: "obj,bound,seconds".  The bound is
# the "Lower bound:"/"Upper bound:" of the result block; the objective itself when
# CBC proved optimality; else the last "best possible" of the progress lines (which
# CBC prints negated for a maximisation, as it minimises internally).
cbc_parse() {
    awk -v sense="$2" '
        /^Result - Optimal/ { optimal = 1 }
        /^No feasible solution/ || /^Result - .*[Ii]nfeasible/ { nosol = 1 }
        /^Objective value:/ { obj = $3 }
        /^(Lower|Upper) bound:/ { bound = $3 }
        /best possible/ {
            s = $0; sub(/.*best possible /, "", s); sub(/[^-+0-9.eE].*/, "", s)
            if (s != "") last_bp = s
        }
        /Wallclock seconds\):/ { secs = $NF }
        END {
            if (nosol || obj == "" || obj + 0 >= 1e49) obj = ""
            if (bound == "" && optimal && obj != "") bound = obj
            if (bound == "" && last_bp != "") bound = (sense ~ /^max/) ? -last_bp : last_bp
            printf "%s,%s,%s\n", obj, bound, secs
        }' "$1"
}

run_cbc() { # $1 out dir, $2 time limit, $3 sense; prints "obj,bound,seconds" or ",,"
    lp=$1/model.lp
    if [ "${BENCH_NO_CBC:-0}" = 1 ] || ! command -v cbc >/dev/null 2>&1 || [ ! -s "$lp" ]; then
        echo ",,"; return
    fi
    rm -f "$1/cbc.sol" "$1/cbc.log"
    # CBC's own limit, and a hard stop in case it overruns (its limit is checked between nodes);
    # as many threads as cores, since paipian uses a second process on large programs
    th=$(nproc 2>/dev/null || echo 1)
    if command -v timeout >/dev/null 2>&1; then
        timeout $(($2 * 2 + 60)) cbc "$lp" threads "$th" sec "$2" solve solu "$1/cbc.sol" >"$1/cbc.log" 2>&1
    else
        cbc "$lp" threads "$th" sec "$2" solve solu "$1/cbc.sol" >"$1/cbc.log" 2>&1
    fi
    # GLPK writes the objective's constant term as a comment, which CBC ignores: add
    # it back so the figures compare with paipian's ip_objective / ip_bound
    k=$(sed -n 's/^\\\* constant term = \([-+0-9.eE]*\) \*\\$/\1/p' "$lp" | head -n 1)
    cbc_parse "$1/cbc.log" "$3" | awk -F, -v k="${k:-0}" '{
        printf "%s,%s,%s\n", ($1 == "" ? "" : $1 + k), ($2 == "" ? "" : $2 + k), $3 }'
}

machine() {
    cpu=$(sed -n 's/^model name[[:space:]]*:[[:space:]]*//p' /proc/cpuinfo 2>/dev/null | head -n 1)
    mem=$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo 2>/dev/null)
    glpk=$(awk '/define GLP_MAJOR_VERSION/ { ma = $3 } /define GLP_MINOR_VERSION/ { mi = $3 }
                END { if (ma != "") print ma "." mi }' /usr/include/glpk.h 2>/dev/null)
    cbcv=""
    command -v cbc >/dev/null 2>&1 && cbcv=$(cbc -quit 2>/dev/null | sed -n 's/^Version:[[:space:]]*//p' | head -n 1 | sed 's/[[:space:]]*$//')
    echo "- CPUs (nproc): $(nproc 2>/dev/null || echo '?')"
    echo "- CPU: ${cpu:-unknown}"
    echo "- memory: ${mem:-unknown}"
    echo "- GLPK: ${glpk:-unknown} (from glpk.h)"
    echo "- CBC: ${cbcv:-not installed}"
    echo "- paipian: commit $(git rev-parse --short HEAD 2>/dev/null || echo '?'), run $(date -u '+%Y-%m-%d %H:%M UTC')"
}

md_table() { # the CSV as a Markdown table
    awk -F, 'NR == 1 { h = "|"; s = "|"; for (i = 1; i <= NF; i++) { h = h " " $i " |"; s = s "---|" }
                       print h; print s; next }
             { r = "|"; for (i = 1; i <= NF; i++) r = r " " $i " |"; print r }' "$CSV"
}

# students vs total and first-feasible time (log scale) and CBC time; peak memory.
plot() {
    command -v gnuplot >/dev/null 2>&1 || { echo "bench: gnuplot not installed, no $SVG" >&2; return 1; }
    dat=$OUTROOT/scaling.dat
    # columns: name students total_s first_feasible_s cbc_s peak_rss_mib; NaN when empty,
    # times floored at 0.01 s so the log axis can show them
    awk -F, 'NR > 1 && $2 != "" {
        t = $14; f = $13; c = $20; m = $15
        if (t != "" && t < 0.01) t = 0.01; if (f != "" && f < 0.01) f = 0.01; if (c != "" && c < 0.01) c = 0.01
        printf "%s %s %s %s %s %s\n", $1, $2, (t == "" ? "NaN" : t), (f == "" ? "NaN" : f),
               (c == "" ? "NaN" : c), (m == "" ? "NaN" : m) }' "$CSV" >"$dat"
    [ -s "$dat" ] || { echo "bench: nothing to plot" >&2; return 1; }
    gnuplot <<EOF
set terminal svg size 960,420 dynamic enhanced font "sans,11"
set output "$SVG"
set datafile missing "NaN"
set multiplot layout 1,2 title "paipian scaling (instances/bench)"
set xlabel "students"
set logscale y
set ylabel "seconds (log)"
set key top left
set grid
plot "$dat" using 2:3 with linespoints pt 7 title "total", \
     "$dat" using 2:4 with linespoints pt 5 title "first feasible", \
     "$dat" using 2:5 with linespoints pt 9 dt 2 title "CBC on model.lp", \
     "$dat" using 2:3:1 with labels offset 0,1 notitle
unset logscale y
set ylabel "peak RSS (MiB)"
set yrange [0:*]
plot "$dat" using 2:6 with linespoints pt 7 title "peak RSS", \
     "$dat" using 2:6:1 with labels offset 0,1 notitle
unset multiplot
EOF
}

main() {
    if [ ! -x "$PAIPIAN" ]; then
        echo "bench: $PAIPIAN not found or not executable (run make all first)" >&2
        exit 1
    fi
    mkdir -p "$OUTROOT" || exit 1
    tmp=$CSV.tmp
    echo "$COLS" >"$tmp"
    status=0
    for name in $(instance_names); do
        file=instances/bench/$name.xml
        out=$OUTROOT/$name
        t=$(limit_for "$name")
        mkdir -p "$out"
        rm -f "$out/stats.txt" "$out/model.lp" "$out/cbc.log" "$out/cbc.sol" # never report a stale run
        echo "bench: $name: $PAIPIAN solve $file (limit ${t}s)" >&2
        # a hard stop well past the limit, so one hung solve cannot stall the whole run
        if command -v timeout >/dev/null 2>&1; then
            timeout $((t * 2 + 120)) "$PAIPIAN" solve "$file" -o "$out" --time-limit "$t" --quiet \
                --write-lp "$out/model.lp" >"$out/paipian.log" 2>&1
        else
            "$PAIPIAN" solve "$file" -o "$out" --time-limit "$t" --quiet --write-lp "$out/model.lp" \
                >"$out/paipian.log" 2>&1
        fi
        rc=$?
        case $rc in
        0 | 3) ;; # solved; 3: a partial plan, still measured
        124) echo "bench: $name: paipian overran its limit and was stopped" >&2 ;;
        *) echo "bench: $name: paipian exited $rc (see $out/paipian.log)" >&2 ;;
        esac
        row=$name
        if [ -f "$out/stats.txt" ]; then
            for k in $STATS_KEYS; do row="$row,$(stat_get "$out/stats.txt" "$k")"; done
        else
            echo "bench: $name: no stats.txt" >&2
            status=1
            for k in $STATS_KEYS; do row="$row,"; done
        fi
        if [ -f "$out/stats.txt" ]; then
            echo "bench: $name: cbc on model.lp" >&2
            row="$row,$(run_cbc "$out" "$t" "$(stat_get "$out/stats.txt" sense)")"
        else
            row="$row,,,"
        fi
        echo "$row" >>"$tmp"
    done
    mv "$tmp" "$CSV"
    plot && have_plot=1 || have_plot=0
    {
        echo "# paipian benchmark"
        echo
        echo "Written by \`make bench\` (bench/run.sh): each school of \`instances/bench/\` solved with"
        echo "\`paipian solve --time-limit T\` (S 2 s, M 15 s, L 60 s, XL 300 s: the targets of issue 4, unless \`BENCH_TIME_LIMIT\`);"
        echo "the cbc_* columns are CBC solving the integer program paipian wrote (\`--write-lp\`)"
        echo "under the same limit, blank when CBC is not installed. Times in seconds, memory in MiB,"
        echo "gap_pct in percent. See bench/README.md."
        echo
        md_table
        echo
        echo "## Machine"
        echo
        machine
        if [ "$have_plot" = 1 ]; then
            echo
            echo "![scaling](scaling.svg)"
        fi
    } >"$MD"
    md_table
    echo
    echo "bench: wrote $CSV, $MD$([ "$have_plot" = 1 ] && echo ", $SVG")" >&2
    exit $status
}

# ---- district comparison (issue 7; docs/DISTRICT.md) ---------------------------
# After the single-school benchmark: the stored district (instances/district/)
# with `paipian compare` at -j 1 and -j 2, wall times and speed-up appended to
# bench/results.md as its own section.  BENCH_DISTRICT=0 skips it;
# BENCH_DISTRICT_TIME_LIMIT (default 5) is the per-pair limit;
# BENCH_DISTRICT_MANIFEST another manifest.
district_bench() {
    [ "${BENCH_DISTRICT:-1}" = 0 ] && return 0
    man=${BENCH_DISTRICT_MANIFEST:-instances/district/manifest.xml}
    lim=${BENCH_DISTRICT_TIME_LIMIT:-5}
    opts="--time-limit $lim --marginal 1 --marginal-time-limit 2 --quiet"
    schools=$(grep -c '<school ' "$man")
    scen=$(($(grep -c '<scenario ' "$man") + 1))
    students=$(sed -n 's/.*<school file="\([^"]*\)".*/\1/p' "$man" | (cd "$(dirname "$man")" && xargs cat) | grep -c '<student ')
    dstatus=0
    for j in 1 2; do
        out=$(mktemp -d /tmp/paipian-district-XXXXXX)
        echo "bench: district: $schools schools x $scen scenarios, -j $j" >&2
        t0=$(date +%s.%N)
        ./paipian compare "$man" -o "$out" -j "$j" $opts >/dev/null
        rc=$?
        t1=$(date +%s.%N)
        eval "wall$j=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')"
        eval "rc$j=$rc"
        [ "$rc" -le 3 ] || dstatus=1
        [ "$j" = 2 ] && failed=$(grep -c ',error,' "$out/comparison.csv")
        rm -rf "$out"
    done
    speedup=$(awk -v a="$wall1" -v b="$wall2" 'BEGIN { printf "%.2f", a / b }')
    {
        echo
        echo "## District comparison"
        echo
        echo "\`paipian compare $man -o DIR -j N $opts\` ($schools schools, $students students,"
        echo "$scen scenarios with the baseline: $((schools * scen)) pairs, each solved, then re-solved with one more"
        echo "unit of its scarcest resource). Wall time of the whole run:"
        echo
        echo "| workers | wall s | exit | failed pairs |"
        echo "|---:|---:|---:|---:|"
        echo "| 1 | $wall1 | $rc1 | |"
        echo "| 2 | $wall2 | $rc2 | $failed |"
        echo
        echo "Speed-up with 2 workers: $speedup. Load average when it ended: $(cut -d' ' -f1-3 /proc/loadavg)"
        echo "(the machine is shared; with other jobs running, the speed-up is below what 2 free cores give)."
    } >>"$MD"
    echo "bench: district: -j1 $wall1 s, -j2 $wall2 s, speed-up $speedup" >&2
    return $dstatus
}

main_status=0
( main "$@" ) || main_status=$?
district_bench || main_status=1
exit $main_status
