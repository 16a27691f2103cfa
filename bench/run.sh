#!/bin/sh
# bench/run.sh - solves the benchmark schools with paipian and, on the club program
# paipian exports, with its peers CBC and HiGHS; records how each scales.
#
# Run by `make bench` (after `make all` and the bench dependencies) from anywhere;
# works from the repository root.  For each instances/bench/*.xml, in the order
# S, M, L, XL (then any other file there, by name), one job at a time:
#   paipian solve FILE -o OUT --time-limit T --gap G --quiet --write-lp OUT/model.lp
#   cbc OUT/model.lp threads N timeMode elapsed sec T solve solu OUT/cbc.sol
#   node bench/highs.mjs OUT/model.lp --time-limit T --offset K --trace OUT/highs.trace
# with T = 2, 15, 60, 300 s for S, M, L, XL (60 for others), G the gap of the size's
# target (issue 13: S 0.1%, M 0.2%, L 0.2%, XL 0.1%; 0.5% for others), N the cores,
# K the objective's constant term, which GLPK writes as a comment only.  Each run is
# timed from outside (wall and CPU seconds, peak memory: GNU time) with a hard stop
# at 2T + 120 s.  Figures of the program (objective, bound, gap, time to a gap) are
# all of the same program with its constant, as paipian's ip_objective/ip_bound.
# XL is solved a second time (BENCH_TWICE) and its timetable.xml compared.
#
# Writes
#   bench/results.csv   one row per instance, the columns of $COLS (empty: not measured)
#   bench/results.md    the tables, the growth exponents, the machine, the plot
#   bench/scaling.svg   students vs time to 1% gap (log-log) and peak memory (gnuplot)
# and prints the tables.  Outputs of each solve stay in $BENCH_OUT/NAME/ (paipian's
# files, paipian.log, model.lp, cbc.log, cbc.trace, cbc.sol, highs.txt, highs.trace,
# *.run with the outside timings).  Then the district comparison (below) and the
# 50,000-student school (bench/big.sh) are appended to bench/results.md.
#
# Environment:
#   BENCH_TIME_LIMIT  one time limit in seconds for every instance (overrides the table)
#   BENCH_GAP         one --gap for every instance (a fraction; overrides the targets)
#   BENCH_INSTANCES   names to run, e.g. "S M" (default: all of instances/bench)
#   BENCH_OUT         where solve outputs go (default build/bench/out)
#   BENCH_NO_CBC      set to 1 to skip CBC even when installed
#   BENCH_NO_HIGHS    set to 1 to skip HiGHS even when installed (bench/node_modules)
#   BENCH_TWICE       instances solved twice to compare the plans (default "XL"; "" none)
#   BENCH_DISTRICT    set to 0 to skip the district comparison
#   BENCH_BIG         set to 0 to skip the 50,000-student school
#   PAIPIAN           the binary to run (default ./paipian)
#
# `bench/run.sh --tables` solves nothing: it writes results.md (and the plot) again
# from results.csv and the 50,000-student school's last figures (bench/big.sh
# --report), without the district section.
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
COLS=instance,students,limit_s,gap_arg,rows,cols,int_cols,objective,bound,gap_pct,first_feasible_s,total_s,wall_s,cpu_s,ip_objective,ip_bound,ip_gap_pct,time_to_1pct_s,time_to_final_s,rss_parent_mib,rss_search_mib,rss_helper_mib,rss_sum_mib,same_plan,cbc_objective,cbc_bound,cbc_gap_pct,cbc_time_to_1pct_s,cbc_time_to_final_s,cbc_time_to_pp_gap_s,cbc_obj_at_pp_end,cbc_wall_s,cbc_cpu_s,cbc_rss_mib,highs_objective,highs_bound,highs_gap_pct,highs_time_to_1pct_s,highs_time_to_final_s,highs_time_to_pp_gap_s,highs_obj_at_pp_end,highs_wall_s,highs_cpu_s,highs_rss_mib,load_avg
STATS_KEYS="students limit_s gap_arg rows cols int_cols objective bound gap_pct first_feasible_s total_s"

limit_for() {
    if [ -n "${BENCH_TIME_LIMIT:-}" ]; then echo "$BENCH_TIME_LIMIT"; return; fi
    case $1 in S) echo 2 ;; M) echo 15 ;; L) echo 60 ;; XL) echo 300 ;; *) echo 60 ;; esac
}

# The --gap of a size: its issue-13 target, so that a solve meeting it stops there.
gap_for() {
    if [ -n "${BENCH_GAP:-}" ]; then echo "$BENCH_GAP"; return; fi
    case $1 in S | XL) echo 0.001 ;; M | L) echo 0.002 ;; *) echo 0.005 ;; esac
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

# timed RESULT HARD CMD...: runs CMD (its stdout and stderr as the caller redirects
# them) under a hard stop of HARD seconds; writes to RESULT the key=value lines
# wall_s (date, outside), cpu_s (user + system of CMD and its children), peak_rss_mib
# (the largest process of CMD's tree) and rc.  CPU and memory need GNU time
# (Debian package time); without it they are empty.
timed() {
    res=$1 hard=$2
    shift 2
    t0=$(date +%s.%N)
    if [ -x /usr/bin/time ]; then
        /usr/bin/time -o "$res.gnutime" -f "%U %S %M" timeout "$hard" "$@"
    else
        timeout "$hard" "$@"
    fi
    rc=$?
    t1=$(date +%s.%N)
    gt=""
    [ -f "$res.gnutime" ] && gt=$(tail -n 1 "$res.gnutime")
    rm -f "$res.gnutime"
    echo "$t0 $t1 $rc $gt" | awk '{
        printf "wall_s=%.3f\nrc=%s\n", $2 - $1, $3
        if (NF >= 6) printf "cpu_s=%.2f\npeak_rss_mib=%.1f\n", $4 + $5, $6 / 1024
        else printf "cpu_s=\npeak_rss_mib=\n" }' >"$res"
    return "$rc"
}

# The objective's constant term of a GLPK LP file (0 when none).
lp_constant() {
    k=$(sed -n 's/^\\\* constant term = \([-+0-9.eE]*\) \*\\$/\1/p' "$1" | head -n 1)
    echo "${k:-0}"
}

# A CBC log as a trace "seconds objective bound" (one line per change; nan when
# none yet), the program's constant k added: incumbents from Cbc0012I/Cbc0004I,
# bounds from the continuous objective, the root cut passes (Cbc0013I, which has no
# time: it takes the last time seen, which is earlier than the truth) and the
# Cbc0010I progress lines, and last the result block at CBC's own wall-clock end.
# With timeMode elapsed, CBC's times are wall seconds since it started.
cbc_trace() {
    awk -v k="$2" '
        function paren_secs(s) { # "(3.36 seconds)" -> 3.36
            if (match(s, /\([0-9.eE+-]+ seconds\)/)) return substr(s, RSTART + 1, RLENGTH - 10) + 0
            return t
        }
        function after(s, key,   r) { # the number following key in s
            if (!match(s, key "[-+0-9.eE]+")) return ""
            r = substr(s, RSTART + length(key), RLENGTH - length(key))
            return r
        }
        function sol(v) { v = v + k; if (v < 1e49 && (o == "nan" || v < o)) o = v }
        function bnd(v) { if (v == "" || v + 0 <= -1e49) return; v = v + k; if (b == "nan" || v > b) b = v }
        function f(x) { return x == "nan" ? x : sprintf("%.6f", x) }
        function emit(   key) {
            key = f(o) " " f(b)
            if (key != last) { printf "%.3f %s %s\n", t, f(o), f(b); last = key }
        }
        BEGIN { o = "nan"; b = "nan"; t = 0; last = "" }
        /^Continuous objective value is/ { bnd($5); if ($7 != "") t = $7 + 0; emit() }
        /Cbc0012I Integer solution of/ || /Cbc0004I Integer solution of/ { t = paren_secs($0); sol($5); emit() }
        /Cbc0013I At root node/ { bnd(after($0, " to ")); emit() }
        /Cbc0010I After/ {
            t = paren_secs($0)
            v = after($0, "tree, "); if (v != "" && v + 0 < 1e49) sol(v)
            bnd(after($0, "best possible ")); emit()
        }
        /^Result - Optimal/ { optimal = 1 }
        /^Objective value:/ { fo = $3 }
        /^Lower bound:/ { fb = $3 }
        /^Time \(Wallclock seconds\):/ { ft = $NF }
        END {
            if (fo != "" && fo + 0 < 1e49) o = fo + k # precise: the progress lines round it
            if (fb != "") bnd(fb)
            else if (optimal && fo != "") bnd(fo)
            if (ft != "") t = ft + 0
            emit()
        }' "$1"
}

# trace_figures TRACE GAP TIME: "obj,bound,gap_pct,t_1pct,t_final,t_gap,obj_at" of a
# trace "seconds objective bound": the last objective and bound, their gap, the
# first time the gap was <= 1%, <= its final value, <= GAP (a fraction; both within
# 1e-6, the rounding of the log lines), and the
# best objective known at TIME (empty when none).
trace_figures() {
    awk -v G="$2" -v T="$3" '
        function gap(o, b) { if (o == "nan" || b == "nan") return 1e300
                             return (o - b) / ((o < 0 ? -o : o) > 1e-9 ? (o < 0 ? -o : o) : 1e-9) }
        { n++; ts[n] = $1; os[n] = tolower($2) ~ /nan/ ? "nan" : $2; bs[n] = tolower($3) ~ /nan/ ? "nan" : $3
          gs[n] = gap(os[n], bs[n]) }
        END {
            if (n == 0) { print ",,,,,,"; exit }
            fo = os[n]; fb = bs[n]; fg = gs[n]
            t1 = ""; tf = ""; tg = ""; oa = ""
            for (i = 1; i <= n; i++) {
                if (t1 == "" && gs[i] <= 0.01 + 1e-12) t1 = ts[i]
                if (tf == "" && fg < 1e300 && gs[i] <= fg + 1e-6) tf = ts[i]
                if (tg == "" && G != "" && gs[i] <= G + 1e-6) tg = ts[i]
                if (T != "" && ts[i] <= T + 0 && os[i] != "nan") oa = os[i]
            }
            g = fg < 1e300 ? sprintf("%.4f", 100 * fg + 0) : ""
            if (g == "-0.0000") g = "0.0000"
            printf "%s,%s,%s,%s,%s,%s,%s\n", (fo == "nan" ? "" : sprintf("%.4f", fo)),
                   (fb == "nan" ? "" : sprintf("%.4f", fb)), g, t1, tf, tg, (oa == "" ? "" : sprintf("%.4f", oa))
        }' "$1"
}

# run_cbc OUT T K PPGAP PPEND: the CBC figures, or empty cells
# "obj,bound,gap,t1,tfinal,t_pp_gap,obj_at_pp_end,wall,cpu,rss"
run_cbc() {
    lp=$1/model.lp
    rm -f "$1/cbc.sol" "$1/cbc.log" "$1/cbc.trace" "$1/cbc.run"
    if [ "${BENCH_NO_CBC:-0}" = 1 ] || ! command -v cbc >/dev/null 2>&1 || [ ! -s "$lp" ]; then
        echo ",,,,,,,,,"; return
    fi
    # CBC on as many threads as cores: paipian runs its search and its
    # fix-and-optimise helper in two processes; elapsed time, not CPU time, for the
    # limit and the log
    th=$(nproc 2>/dev/null || echo 1)
    timed "$1/cbc.run" $(($2 * 2 + 120)) cbc "$lp" threads "$th" timeMode elapsed sec "$2" solve solu "$1/cbc.sol" \
        >"$1/cbc.log" 2>&1
    cbc_trace "$1/cbc.log" "$3" >"$1/cbc.trace"
    echo "$(trace_figures "$1/cbc.trace" "$4" "$5"),$(stat_get "$1/cbc.run" wall_s),$(stat_get "$1/cbc.run" cpu_s),$(stat_get "$1/cbc.run" peak_rss_mib)"
}

have_highs() {
    [ "${BENCH_NO_HIGHS:-0}" != 1 ] && command -v node >/dev/null 2>&1 && [ -f bench/node_modules/highs/package.json ]
}

# run_highs OUT T K PPGAP PPEND: as run_cbc, for HiGHS (one thread: the WebAssembly
# build has no threads).  Its times are HiGHS's own clock from the start of the
# solve (the LP already read); the trace comes from its MIP callbacks.
run_highs() {
    lp=$1/model.lp
    rm -f "$1/highs.txt" "$1/highs.trace" "$1/highs.run" "$1/highs.log"
    if ! have_highs || [ ! -s "$lp" ]; then
        echo ",,,,,,,,,"; return
    fi
    timed "$1/highs.run" $(($2 * 2 + 120)) node bench/highs.mjs "$lp" --time-limit "$2" --offset "$3" \
        --trace "$1/highs.trace" >"$1/highs.txt" 2>"$1/highs.log"
    # the trace ends at the final figures (HiGHS may prove more after its last callback)
    if [ -s "$1/highs.txt" ]; then
        o=$(stat_get "$1/highs.txt" objective) b=$(stat_get "$1/highs.txt" bound) s=$(stat_get "$1/highs.txt" solve_s)
        echo "$s ${o:-nan} ${b:-nan}" >>"$1/highs.trace"
    fi
    echo "$(trace_figures "$1/highs.trace" "$4" "$5"),$(stat_get "$1/highs.run" wall_s),$(stat_get "$1/highs.run" cpu_s),$(stat_get "$1/highs.run" peak_rss_mib)"
}

# run_paipian FILE OUT T GAP: solves; returns paipian's exit status.
run_paipian() {
    timed "$2.run" $(($3 * 2 + 120)) "$PAIPIAN" solve "$1" -o "$2" --time-limit "$3" --gap "$4" --quiet \
        --write-lp "$2/model.lp" >"$2/paipian.log" 2>&1
}

machine() {
    cpu=$(sed -n 's/^model name[[:space:]]*:[[:space:]]*//p' /proc/cpuinfo 2>/dev/null | head -n 1)
    mem=$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo 2>/dev/null)
    glpk=$(awk '/define GLP_MAJOR_VERSION/ { ma = $3 } /define GLP_MINOR_VERSION/ { mi = $3 }
                END { if (ma != "") print ma "." mi }' /usr/include/glpk.h 2>/dev/null)
    cbcv=""
    command -v cbc >/dev/null 2>&1 && cbcv=$(cbc -quit 2>/dev/null | sed -n 's/^Version:[[:space:]]*//p' | head -n 1 | sed 's/[[:space:]]*$//')
    highsv=""
    have_highs && highsv=$(sed -n 's/^[[:space:]]*"version":[[:space:]]*"\([^"]*\)".*/\1/p' bench/node_modules/highs/package.json | head -n 1)
    echo "- CPUs (nproc): $(nproc 2>/dev/null || echo '?'); load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "- CPU: ${cpu:-unknown}"
    echo "- memory: ${mem:-unknown}"
    echo "- GLPK: ${glpk:-unknown} (from glpk.h)"
    echo "- CBC: ${cbcv:-not installed} (Debian coinor-cbc; $(nproc 2>/dev/null || echo 1) threads, timeMode elapsed)"
    if [ -n "$highsv" ]; then
        echo "- HiGHS: npm package highs $highsv (HiGHS ${highsv%.*}, WebAssembly, 1 thread), node $(node --version 2>/dev/null)"
    else
        echo "- HiGHS: not installed"
    fi
    echo "- paipian: commit $(git rev-parse --short HEAD 2>/dev/null || echo '?'), run $(date -u '+%Y-%m-%d %H:%M UTC')"
}

# Log-log least squares of a time column against students over the rows S..XL:
# prints the exponent k of t ~ n^k and the number of points ("" when < 2).
fit_exponent() { # $1 column name
    awk -F, -v col="$1" '
        NR == 1 { for (i = 1; i <= NF; i++) if ($i == col) c = i; next }
        $1 ~ /^(S|M|L|XL)$/ && c && $c != "" && $c + 0 > 0 && $2 + 0 > 0 {
            x = log($2); y = log($c); n++; sx += x; sy += y; sxx += x * x; sxy += x * y }
        END {
            if (n < 2 || n * sxx - sx * sx == 0) { print ","; exit }
            printf "%.2f,%d\n", (n * sxy - sx * sy) / (n * sxx - sx * sx), n }' "$CSV"
}

# The Markdown tables of results.md, from the CSV.
md_tables() {
    awk -F, '
        function v(name) { return $(col[name]) }
        function s(x) { return x == "" ? "–" : x }
        function pct(x) { return x == "" ? "–" : sprintf("%.2f%%", x) }
        function sec(x) { return x == "" ? "–" : (x + 0 < 10 ? sprintf("%.2f s", x) : sprintf("%.1f s", x)) }
        function mib(x) { return x == "" ? "–" : sprintf("%.0f", x) }
        function mn(a, b) { if (a == "") return b; if (b == "") return a; return a + 0 < b + 0 ? a : b }
        function half(p, a, b,   f) { # paipian p at most half of the faster of a, b (a peer that never got there: infinite)
            if (p == "") return "no"
            if (a == "" && b == "") return (peers ? "yes (no peer got there)" : "–")
            f = mn(a, b); return sprintf("%s (%.2f)", (p + 0 <= 0.5 * f) ? "yes" : "no", f + 0 > 0 ? p / f : 0) }
        function target(name,   g, t, ok, extra) {
            if (name == "S") { g = 0.1; t = 0.5 } else if (name == "M") { g = 0.2; t = 5 }
            else if (name == "L") { g = 0.2; t = 15 } else if (name == "XL") { g = 0.1; t = 60 } else return "–"
            ok = v("gap_pct") != "" && v("gap_pct") + 0 <= g + 1e-9 && v("total_s") + 0 <= t
            extra = ""
            if (name == "L") { extra = ", first plan <= 1 s"; ok = ok && v("first_feasible_s") + 0 <= 1 }
            if (name == "XL") { extra = ", same plan twice"; ok = ok && v("same_plan") == "yes" }
            return sprintf("<= %.1f%% in <= %g s%s: **%s**", g, t, extra, ok ? "met" : "not met")
        }
        NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
        { rows[++n] = $0 }
        END {
            peers = 0
            for (r = 1; r <= n; r++) { $0 = rows[r]; if (v("cbc_objective") != "" || v("highs_objective") != "") peers = 1 }
            print "### Against the peers, on the exported club program"
            print ""
            print "Time to 1% gap and to paipian'"'"'s final gap (of the program), each solver'"'"'s final gap (and when it"
            print "reached it), the program objective at the moment paipian ended, and whether paipian took at most"
            print "half the time of the faster peer (the target of issue 13), with the ratio of the two times."
            print "Times from each solver'"'"'s own start; – where a solver never got there."
            print ""
            print "| size | students | limit | to 1%: paipian | CBC | HiGHS | paipian final gap (at) | CBC to that gap | HiGHS to that gap | CBC final gap (at) | HiGHS final gap (at) | objective when paipian ended: paipian / CBC / HiGHS | at most half the faster peer (paipian / faster): 1% / final |"
            print "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|"
            for (r = 1; r <= n; r++) {
                $0 = rows[r]
                printf "| %s | %s | %s s | %s | %s | %s | %s (%s) | %s | %s | %s (%s) | %s (%s) | %s / %s / %s | %s / %s |\n",
                    v("instance"), v("students"), v("limit_s"),
                    sec(v("time_to_1pct_s")), sec(v("cbc_time_to_1pct_s")), sec(v("highs_time_to_1pct_s")),
                    pct(v("ip_gap_pct")), sec(v("time_to_final_s")), sec(v("cbc_time_to_pp_gap_s")), sec(v("highs_time_to_pp_gap_s")),
                    pct(v("cbc_gap_pct")), sec(v("cbc_time_to_final_s")), pct(v("highs_gap_pct")), sec(v("highs_time_to_final_s")),
                    s(v("ip_objective")), s(v("cbc_obj_at_pp_end")), s(v("highs_obj_at_pp_end")),
                    half(v("time_to_1pct_s"), v("cbc_time_to_1pct_s"), v("highs_time_to_1pct_s")),
                    half(v("time_to_final_s"), v("cbc_time_to_pp_gap_s"), v("highs_time_to_pp_gap_s"))
            }
            print ""
            print "### paipian on the whole problem, against the targets of issue 13"
            print ""
            print "| size | first plan | solve | wall (outside) | CPU | objective | bound | gap | target |"
            print "|---|---:|---:|---:|---:|---:|---:|---:|---|"
            for (r = 1; r <= n; r++) {
                $0 = rows[r]
                printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", v("instance"), sec(v("first_feasible_s")),
                    sec(v("total_s")), sec(v("wall_s")), sec(v("cpu_s")), s(v("objective")), s(v("bound")),
                    pct(v("gap_pct")), target(v("instance"))
            }
            print ""
            print "### Wall and CPU time, peak memory of each process"
            print ""
            print "| size | paipian wall / CPU | CBC wall / CPU | HiGHS wall / CPU | paipian MiB: parent / search / helper / sum | CBC MiB | HiGHS MiB (node) | load average |"
            print "|---|---:|---:|---:|---:|---:|---:|---|"
            for (r = 1; r <= n; r++) {
                $0 = rows[r]
                printf "| %s | %s / %s | %s / %s | %s / %s | %s / %s / %s / %s | %s | %s | %s |\n", v("instance"),
                    sec(v("wall_s")), sec(v("cpu_s")), sec(v("cbc_wall_s")), sec(v("cbc_cpu_s")),
                    sec(v("highs_wall_s")), sec(v("highs_cpu_s")),
                    mib(v("rss_parent_mib")), mib(v("rss_search_mib")), mib(v("rss_helper_mib")), mib(v("rss_sum_mib")),
                    mib(v("cbc_rss_mib")), mib(v("highs_rss_mib")), s(v("load_avg"))
            }
        }' "$CSV"
}

# students vs time to 1% gap of the three solvers (log-log); paipian's peak memory.
plot() {
    command -v gnuplot >/dev/null 2>&1 || { echo "bench: gnuplot not installed, no $SVG" >&2; return 1; }
    dat=$OUTROOT/scaling.dat
    # columns: name students paipian_t1 cbc_t1 highs_t1 rss_sum rss_parent; NaN when empty,
    # times floored at 0.01 s so the log axis can show them
    awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
        function t(x) { if (x == "") return "NaN"; return x + 0 < 0.01 ? 0.01 : x }
        function m(x) { return x == "" ? "NaN" : x }
        $2 != "" { printf "%s %s %s %s %s %s %s\n", $1, $2, t($c["time_to_1pct_s"]), t($c["cbc_time_to_1pct_s"]),
                          t($c["highs_time_to_1pct_s"]), m($c["rss_sum_mib"]), m($c["rss_parent_mib"]) }' "$CSV" >"$dat"
    [ -s "$dat" ] || { echo "bench: nothing to plot" >&2; return 1; }
    gnuplot <<EOF
set terminal svg size 960,420 dynamic enhanced font "sans,11"
set output "$SVG"
set datafile missing "NaN"
set multiplot layout 1,2 title "paipian and its peers on the club program (instances/bench)"
set xlabel "students (log)"
set logscale xy
set ylabel "seconds to 1% gap (log)"
set key top left
set grid
plot "$dat" using 2:3 with linespoints pt 7 title "paipian", \
     "$dat" using 2:4 with linespoints pt 5 dt 2 title "CBC", \
     "$dat" using 2:5 with linespoints pt 9 dt 3 title "HiGHS", \
     "$dat" using 2:3:1 with labels offset 0,1 notitle
unset logscale xy
set xlabel "students"
set ylabel "peak RSS (MiB)"
set yrange [0:*]
plot "$dat" using 2:6 with linespoints pt 7 title "paipian, sum of its processes", \
     "$dat" using 2:7 with linespoints pt 5 title "paipian, main process", \
     "$dat" using 2:6:1 with labels offset 0,1 notitle
unset multiplot
EOF
}

# One instance: prints its CSV row.
bench_one() {
    name=$1
    file=instances/bench/$name.xml
    out=$OUTROOT/$name
    t=$(limit_for "$name")
    g=$(gap_for "$name")
    mkdir -p "$out"
    rm -f "$out/stats.txt" "$out/model.lp" "$out.run" # never report a stale run
    echo "bench: $name: $PAIPIAN solve $file (limit ${t}s, gap $g)" >&2
    run_paipian "$file" "$out" "$t" "$g"
    rc=$?
    case $rc in
    0 | 3) ;; # solved; 3: a partial plan, still measured
    124) echo "bench: $name: paipian overran its limit and was stopped" >&2 ;;
    *) echo "bench: $name: paipian exited $rc (see $out/paipian.log)" >&2 ;;
    esac
    st=$out/stats.txt
    if [ ! -f "$st" ]; then
        echo "bench: $name: no stats.txt" >&2
        echo "$name$(echo "$COLS" | sed 's/[^,]//g')"
        return 1
    fi
    ipo=$(stat_get "$st" ip_objective) ipb=$(stat_get "$st" ip_bound)
    ipgap=$(awk -v o="$ipo" -v b="$ipb" 'BEGIN { if (o == "" || b == "") exit
        g = 100 * (o - b) / ((o < 0 ? -o : o) > 1e-9 ? (o < 0 ? -o : o) : 1e-9); s = sprintf("%.4f", g + 0)
        print (s == "-0.0000" ? "0.0000" : s) }')
    ppgap=$(awk -v g="$ipgap" 'BEGIN { if (g != "") printf "%.10g", g / 100 }')
    ppend=$(stat_get "$st" total_s)
    same=""
    case " ${BENCH_TWICE-XL} " in
    *" $name "*)
        echo "bench: $name: solved again, to compare the plans" >&2
        mkdir -p "$out.again"
        rm -f "$out.again/timetable.xml"
        timed "$out.again.run" $((t * 2 + 120)) "$PAIPIAN" solve "$file" -o "$out.again" --time-limit "$t" --gap "$g" \
            --quiet >"$out.again/paipian.log" 2>&1
        if cmp -s "$out/timetable.xml" "$out.again/timetable.xml"; then same=yes; else same=no; fi
        echo "bench: $name: timetable.xml of the two runs: $([ "$same" = yes ] && echo identical || echo different)" >&2
        ;;
    esac
    k=$(lp_constant "$out/model.lp")
    echo "bench: $name: cbc on model.lp" >&2
    cbc=$(run_cbc "$out" "$t" "$k" "$ppgap" "$ppend")
    echo "bench: $name: HiGHS on model.lp" >&2
    highs=$(run_highs "$out" "$t" "$k" "$ppgap" "$ppend")
    row=$name
    for key in $STATS_KEYS; do
        case $key in
        limit_s) val=$t ;;
        gap_arg) val=$g ;;
        *) val=$(stat_get "$st" "$key") ;;
        esac
        row="$row,$val"
    done
    row="$row,$(stat_get "$out.run" wall_s),$(stat_get "$out.run" cpu_s),$ipo,$ipb,$ipgap"
    for key in time_to_1pct_s time_to_final_s peak_rss_parent_mib peak_rss_search_mib peak_rss_helper_mib peak_rss_sum_mib; do
        row="$row,$(stat_get "$st" "$key")"
    done
    echo "$row,$same,$cbc,$highs,$(cut -d' ' -f1 /proc/loadavg)"
}

main() {
    if [ ! -x "$PAIPIAN" ]; then
        echo "bench: $PAIPIAN not found or not executable (run make all first)" >&2
        exit 1
    fi
    command -v cbc >/dev/null 2>&1 || echo "bench: cbc not installed (Debian coinor-cbc): no CBC figures" >&2
    have_highs || echo "bench: HiGHS not installed (cd bench && npm ci): no HiGHS figures" >&2
    mkdir -p "$OUTROOT" || exit 1
    status=0
    if [ "${1:-}" != --tables ]; then
        tmp=$CSV.tmp
        echo "$COLS" >"$tmp"
        for name in $(instance_names); do
            bench_one "$name" >>"$tmp" || status=1
        done
        mv "$tmp" "$CSV"
        machine >"$OUTROOT/machine.md" # the run's machine, load, commit and date, for --tables
    fi
    [ -s "$OUTROOT/machine.md" ] || machine >"$OUTROOT/machine.md"
    plot && have_plot=1 || have_plot=0
    fits=""
    for s in paipian:time_to_1pct_s CBC:cbc_time_to_1pct_s HiGHS:highs_time_to_1pct_s; do
        f=$(fit_exponent "${s#*:}")
        [ -n "${f%,*}" ] && fits="$fits- ${s%%:*}: time to 1% ~ n^${f%,*} (${f#*,} sizes)
"
    done
    {
        echo "# paipian benchmark"
        echo
        echo "Written by \`make bench\` (bench/run.sh, bench/README.md): each school of \`instances/bench/\` solved by"
        echo "\`paipian solve --time-limit T --gap G\` (S 2 s, M 15 s, L 60 s, XL 300 s; G the gap of the size's"
        echo "target), and the integer program paipian exports (\`--write-lp\`) solved under the same limit by"
        echo "CBC (Debian coinor-cbc, $(nproc 2>/dev/null || echo 1) threads) and HiGHS (npm package highs, WebAssembly, 1 thread),"
        echo "one job at a time. Times are wall seconds; the machine is shared with other jobs, so they are"
        echo "measured under load (load average in the last table). Gaps of the program include its constant"
        echo "term (as paipian's ip_objective), which GLPK writes as a comment the peers would skip."
        echo
        md_tables
        echo
        echo "### Growth from S to XL (log-log least squares of time to 1% gap against students)"
        echo
        printf '%s' "${fits:-no fit (fewer than 2 sizes measured)
}"
        echo
        echo "## Machine"
        echo
        cat "$OUTROOT/machine.md"
        if [ "$have_plot" = 1 ]; then
            echo
            echo "![scaling](scaling.svg)"
        fi
    } >"$MD"
    md_tables
    echo
    printf '%s' "$fits"
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

# ---- a 50,000-student school (bench/big.sh) ------------------------------------
big_bench() {
    [ "${BENCH_BIG:-1}" = 0 ] && return 0
    sec=$OUTROOT/big.md
    PAIPIAN=$PAIPIAN bench/big.sh ${1:+"$1"} >"$sec"
    rc=$?
    { echo; cat "$sec"; } >>"$MD"
    return $rc
}

main_status=0
( main "$@" ) || main_status=$?
if [ "${1:-}" = --tables ]; then
    big_bench --report || main_status=1
    exit $main_status
fi
district_bench || main_status=1
big_bench || main_status=1
exit $main_status
