#!/bin/sh
# instances/robust/generate.sh - regenerates the robust acceptance schools with
# bench/gen2.c, byte for byte, and the table of instances/robust/README.md (the lines
# between its "table begin" and "table end" markers).  Run from anywhere:
#   instances/robust/generate.sh            # all schools
#   instances/robust/generate.sh r07 r12    # only those whose name starts so
# Each line of SCHOOLS is: name students seed shape keywords (see bench/gen2.c).
# gen2 refuses to write a school whose certificate (the plan serving every student
# without clubs) fails its check, so this script stops at the first such school.
set -eu
cd "$(dirname "$0")/../.."
make --no-print-directory build/bench/gen2 >/dev/null
GEN=build/bench/gen2
DIR=instances/robust

SCHOOLS='
r01-onepergrade-290        290 1  primary onepergrade friday dutyexact
r02-onepergrade9-420       420 2  nine onepergrade courses
r03-onepergrade-noadj-260  260 3  primary onepergrade noadj hwclass qa25
r04-rural-smallclass-250   250 4  primary smallclass prio partdays boarding
r05-courses-roomtight-450  450 5  primary manycourses roomtight stafftight
r06-nine-sat9-480          480 6  nine sat9 morning mixedsize
r07-friday-dutyshort-350   350 7  primary friday dutyshort:Fri morning
r08-twin-gm35-310          310 8  primary twin twincare gm35
r09-middle-sat9-340        340 9  middle sat9 qa15
r10-bigclass-tight-470     470 10 primary bigclass roomtight tightload courses
r11-gm45-cm10-400          400 11 primary gm45 cm10 merge30 noonreading oneseason courses
r12-onepergrade9-noadj-380 380 12 nine onepergrade noadj friday dutyexact sat9
r13-courses-grade6-900     900 13 primary courses latecourses grade6course morning
r14-nine-sat9-1200         1200 14 nine sat9 courses friday
r15-courses-roomtight-700  700 15 primary manycourses roomtight cm20
r16-friday-stafftight-1100 1100 16 primary friday dutyexact stafftight tightload courses
r17-mixedsize-600          600 17 primary mixedsize hwclass qa25 prio courses
r18-gm45-merge30-1000      1000 18 primary gm45 merge30 courses twin
r19-middle-1400            1400 19 middle sat9 courses partdays
r20-noadj-smallclass-1300  1300 20 primary noadj smallclass courses
r21-spring-winter-950      950 21 primary spring morningwinter late3 courses
r22-boarding-800           800 22 primary boarding noonreading prio partdays
r23-grade6-roomtight-1050  1050 23 primary grade6course manycourses latecourses stayhigh roomtight
r24-bigclass-gm35-1450     1450 24 primary bigclass gm35 friday twincare courses
r25-manyclubs-1800         1800 25 primary morning courses manyclubs
r26-nine-sat9-2400         2400 26 nine sat9 courses friday dutyexact
r27-courses-roomtight-2000 2000 27 primary manycourses latecourses roomtight stafftight
r28-friday-dutyshort-2600  2600 28 primary friday dutyshort:Wed tightload courses
r29-nine-mixedsize-3000    3000 29 nine mixedsize hwclass qa15 cm10 sat9 courses
r30-gm35-cm20-1600         1600 30 primary gm35 cm20 courses twin
r31-middle-friday-2200     2200 31 middle sat9 courses friday dutyexact stafftight
r32-twin-duty3-3300        3300 32 primary twin twincare courses duty3
r33-nine-tightload-2800    2800 33 nine tightload partdays courses staylow
r34-noadj-merge30-3500     3500 34 primary noadj merge30 courses stayhigh
r35-bigclass-roomtight-1900 1900 35 primary bigclass roomtight courses grade6course
r36-friday-3800            3800 36 primary morning courses friday
r37-nine-sat9-4500         4500 37 nine sat9 morning courses latecourses
r38-courses-roomtight-5000 5000 38 primary manycourses roomtight stafftight grade6course
r39-friday-tightload-5600  5600 39 primary friday dutyexact tightload courses
r40-nine-mixedsize-6000    6000 40 nine mixedsize sat9 courses prio
r41-middle-gm45-4000       4000 41 middle sat9 manycourses gm45
r42-nine-spring-noadj-5900 5900 42 nine gm45 cm20 spring twin courses noadj
'

rows=$(mktemp)
trap 'rm -f "$rows" "$rows.readme"' EXIT
echo "$SCHOOLS" | while read -r name students seed shape; do
    [ -n "$name" ] || continue
    if [ $# -gt 0 ]; then
        want=0
        for p in "$@"; do case $name in "$p"*) want=1 ;; esac; done
        [ "$want" = 1 ] || continue
    fi
    "$GEN" --name "$name" --students "$students" --seed "$seed" --shape "$shape" -o "$DIR/$name.xml" --row >>"$rows"
    echo "generate: $DIR/$name.xml" >&2
done

# the table of the README, only when every school was regenerated
if [ $# -eq 0 ]; then
    awk -v rows="$rows" '
        /<!-- table begin -->/ {
            print
            print "| file | shape (gen2 keywords) | students | classes | staff: teachers / retired / external / volunteers | venues | clubs / courses | what is tight (certificate: every student in care with the own class) |"
            print "|---|---|---:|---:|---|---:|---|---|"
            while ((getline l < rows) > 0) print l
            skip = 1; next }
        /<!-- table end -->/ { skip = 0 }
        !skip { print }' "$DIR/README.md" >"$rows.readme"
    cat "$rows.readme" >"$DIR/README.md"
fi
