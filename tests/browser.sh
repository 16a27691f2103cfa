#!/bin/sh
# make test-browser: prints the 排片表 of the default instance with headless
# Chromium and checks the paper, not the HTML source:
#   1. `paipian solve instances/default.xml --pdf` writes timetable.pdf (A4);
#   2. page layout: the by-class section takes exactly one page per class, the
#      by-venue section one per venue in use, the by-staff section one per staff
#      member with a session (counts from the school and its timetable.xml, not
#      hard-coded), so no grid spills over a page or shares one;
#   3. no cell text is cut: the page is laid out by Chromium at the printable
#      width of A4 landscape (277 mm = 1047 CSS px) with the print styles applied,
#      and a script flags every cell or group box whose content is wider or taller
#      than the box (text hidden by overflow, or running out of its cell), and a
#      page wider than the paper;
#   4. the cut check is itself checked: with a sabotaged style sheet (cells that
#      do not wrap and hide their overflow) it must report cut text.
# One class page is rendered to build/browser/print-page.png (80 dpi); with
# UPDATE_DOCS=1 it is also copied to docs/print-page.png, the README's picture.
# Needs chromium, fonts-noto-cjk, poppler-utils (pdfinfo, pdftotext, pdftoppm), xmllint.
set -eu
cd "$(dirname "$0")/.."
out=build/browser
rm -rf "$out"
mkdir -p "$out"
fail() { echo "test-browser: FAIL: $*" >&2; exit 1; }
for tool in chromium pdfinfo pdftotext pdftoppm xmllint; do
    command -v "$tool" >/dev/null || fail "$tool not found (make deps installs it)"
done

school=instances/default.xml
./paipian solve "$school" -o "$out/solve" --quiet --pdf || fail "paipian solve --pdf failed"
pdf=$out/solve/timetable.pdf
pages=$(pdfinfo "$pdf" | sed -n 's/^Pages: *//p')
size=$(pdfinfo "$pdf" | sed -n 's/^Page size: *//p')
case $size in *"(A4)"*) ;; *) fail "pages are $size, expected A4" ;; esac

# ---- page layout ----------------------------------------------------------------
tt=$out/solve/timetable.xml
classes=$(xmllint --xpath 'count(//*[local-name()="classes"]/*[local-name()="class"])' "$school")
venues=$(grep -o ' venue="[^"]*"' "$tt" | sort -u | wc -l)
staff=$(grep -o ' staff="[^"]*"' "$tt" | sed 's/ staff="//; s/"$//' | tr ' ' '\n' | sort -u | grep -c .)
# pdftotext separates pages with a form feed; page N holds heading H if its text does
first_page() { # first page at or after $2 whose text has the line $1
    awk -v RS='\f' -v h="$1" -v from="$2" 'NR >= from && index($0, h) { print NR; exit }' "$out/text"
}
pdftotext -layout "$pdf" "$out/text"
c=$(first_page "排片表 · 按年级和班级" 2)
v=$(first_page "排片表 · 按场地" 2)
s=$(first_page "排片表 · 按负责人员" 2)
w=$(first_page "工作量与补助" "$s")
d=$(first_page "值日领导" "$w")
[ -n "$c" ] && [ -n "$v" ] && [ -n "$s" ] && [ -n "$w" ] && [ -n "$d" ] || fail "a section heading is missing from $pdf"
[ $((v - c)) -eq "$classes" ] || fail "the classes take $((v - c)) pages, expected one per class: $classes"
[ $((s - v)) -eq "$venues" ] || fail "the venues take $((s - v)) pages, expected one per venue in use: $venues"
[ $((w - s)) -eq "$staff" ] || fail "the staff take $((w - s)) pages, expected one per staff member with a session: $staff"
# the front matter (title and contents) fits on page 1; the duty roster is the last page
[ "$c" -eq 2 ] || fail "the by-class section starts on page $c, expected 2"
[ "$d" -eq "$pages" ] || fail "the duty roster is on page $d of $pages, expected the last"
echo "test-browser: $pages A4 pages: 1 front + $classes classes + $venues venues + $staff staff + $((d - w)) workload + 1 duty"

# ---- no text cut -----------------------------------------------------------------
# The probe: a script run after layout, reporting in a <pre> that --dump-dom shows.
cat > "$out/probe.js" <<'JS'
<script>
(function () {
  var bad = [], els = document.querySelectorAll("th, td, .g, h1, h2, h3, p");
  for (var i = 0; i < els.length; i++) {
    var e = els[i];
    if (e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1)
      bad.push(e.tagName + ": " + e.textContent.slice(0, 40));
  }
  if (document.documentElement.scrollWidth > window.innerWidth + 1)
    bad.push("page: " + document.documentElement.scrollWidth + "px wide for " + window.innerWidth + "px of paper");
  var r = document.createElement("pre");
  r.id = "cut-report";
  r.textContent = "CUT " + bad.length + "\n" + bad.slice(0, 10).join("\n");
  document.body.appendChild(r);
})();
</script>
JS
check_cut() { # $1: HTML to check, $2: extra CSS appended after the page's own
    probe=$out/probe.html
    # the print rules apply on screen too, at the printable width of the page
    { sed 's/@media print{/@media all{/g' "$1" | sed "s|</style>|$2</style>|"; cat "$out/probe.js"; } > "$probe"
    chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1047,740 \
        --virtual-time-budget=5000 --dump-dom "file://$PWD/$probe" 2>/dev/null |
        sed -n '/<pre id="cut-report">/,/<\/pre>/p' | sed 's/<[^>]*>//g'
}
report=$(check_cut "$out/solve/timetable.html" "")
case $report in
"CUT 0"*) echo "test-browser: no cell text cut at the A4 landscape width" ;;
"") fail "the cut check did not run (no report from Chromium)" ;;
*) fail "text cut in timetable.html: $report" ;;
esac
sabotaged=$(check_cut "$out/solve/timetable.html" "td,th,.g{white-space:nowrap;overflow:hidden;max-height:30px}")
case $sabotaged in
"CUT 0"* | "") fail "the cut check missed text cut by a sabotaged style sheet: $sabotaged" ;;
*) echo "test-browser: the check does catch cut text (sabotaged CSS: ${sabotaged%%
*})" ;;
esac

# ---- the picture -------------------------------------------------------------------
pdftoppm -png -r 80 -f "$c" -l "$c" -singlefile "$pdf" "$out/print-page"
[ -s "$out/print-page.png" ] || fail "no PNG rendered"
if [ "${UPDATE_DOCS:-0}" = 1 ]; then
    cp "$out/print-page.png" docs/print-page.png
    echo "test-browser: docs/print-page.png updated"
fi
echo "test-browser: passed"
