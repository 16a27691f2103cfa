// bench/highs.mjs - solves an exported club program with HiGHS (the npm package
// `highs`, HiGHS compiled to WebAssembly: one thread) for `make bench`.
//
//   node bench/highs.mjs MODEL.lp --time-limit SEC [--offset K] [--trace FILE]
//
// MODEL.lp is what `paipian solve --write-lp` writes (CPLEX LP).  GLPK writes the
// objective's constant term as a comment, which the LP reader skips; --offset K
// (run.sh passes it) gives it back to HiGHS as the objective offset, so every
// objective, bound and gap below is the program's own, as paipian's ip_objective
// and ip_bound are, and HiGHS's relative stopping gap is measured on it too.
//
// Prints key=value lines on stdout:
//   highs_version  the package's version (its major.minor is HiGHS's)
//   status         HiGHS's model status ("Optimal", "Time limit reached", ...)
//   objective      best plan's objective (empty: none)
//   bound          best bound (empty: none)
//   gap_pct        100 (objective - bound) / |objective|
//   time_to_1pct_s first time the gap was <= 1% (empty: never)
//   time_to_final_s first time the gap was at its final value (within 1e-9)
//   solve_s        HiGHS's own run time (from run(), the LP already read)
//   read_s         reading the LP text into HiGHS
//   peak_rss_mib   peak resident memory of this node process
// Times are HiGHS's running_time, read at each MIP callback (the interrupt
// check fires many times a second), so they are as fine as HiGHS's own clock.
// --trace FILE writes one line "seconds objective bound" per change.
import { readFileSync, writeFileSync } from "node:fs";
import loadHighs from "highs";

function usage(msg) {
    if (msg) process.stderr.write(`highs.mjs: ${msg}\n`);
    process.stderr.write("usage: node bench/highs.mjs MODEL.lp --time-limit SEC [--offset K] [--trace FILE]\n");
    process.exit(2);
}

function parseArgs(argv) {
    const a = { lp: null, limit: NaN, offset: 0, trace: null };
    for (let i = 0; i < argv.length; i++) {
        const o = argv[i], v = argv[i + 1];
        if (o === "--time-limit") { a.limit = Number(v); i++; }
        else if (o === "--offset") { a.offset = Number(v); i++; }
        else if (o === "--trace") { a.trace = v; i++; }
        else if (o.startsWith("-")) usage(`unknown option ${o}`);
        else if (!a.lp) a.lp = o;
        else usage(`unexpected argument ${o}`);
    }
    if (!a.lp) usage("no MODEL.lp");
    if (!(a.limit > 0)) usage("--time-limit needs a number of seconds > 0");
    if (!Number.isFinite(a.offset)) usage("--offset needs a number");
    return a;
}

const gapOf = (obj, bound) =>
    Number.isFinite(obj) && Number.isFinite(bound) ? (obj - bound) / Math.max(Math.abs(obj), 1e-9) : Infinity;

const num = (x) => (Number.isFinite(x) ? String(x) : "nan"); // as awk reads it back

const fmt = (x, d) => (Number.isFinite(x) ? x.toFixed(d) : "");

async function main() {
    const args = parseArgs(process.argv.slice(2));
    const text = readFileSync(args.lp, "utf8");
    const version = JSON.parse(readFileSync(new URL("node_modules/highs/package.json", import.meta.url), "utf8")).version;
    const highs = await loadHighs();
    const t0 = performance.now();
    const model = highs.createModel({ format: "lp", data: text });
    const readS = (performance.now() - t0) / 1000;
    const trace = []; // [seconds, objective, bound] at each change
    let t1pct = NaN;
    const seen = (d) => {
        const t = d.running_time, obj = d.mip_primal_bound, bound = d.mip_dual_bound;
        if (!Number.isFinite(t)) return;
        const last = trace[trace.length - 1];
        const o = Number.isFinite(obj) && Math.abs(obj) < 1e30 ? obj : NaN;
        const b = Number.isFinite(bound) && Math.abs(bound) < 1e30 ? bound : NaN;
        if (last && Object.is(last[1], o) && Object.is(last[2], b)) return;
        trace.push([t, o, b]);
        if (Number.isNaN(t1pct) && gapOf(o, b) <= 0.01) t1pct = t;
    };
    try {
        if (args.offset) model.changeObjectiveOffset(args.offset);
        model.options.set({ time_limit: args.limit, output_flag: false });
        const cb = highs.constants.callbackType;
        model.run({
            [cb.mipInterrupt]: (e) => seen(e.data),
            [cb.mipImprovingSolution]: (e) => seen(e.data),
            [cb.mipLogging]: (e) => seen(e.data),
        });
        const status = model.getModelStatus();
        const names = Object.entries(highs.constants.modelStatus);
        const statusName = (names.find(([, v]) => v === status) || [String(status)])[0];
        const solveS = model.getRunTime();
        const info = (k) => {
            try { return Number(model.info.get(k)); } catch { return NaN; }
        };
        // HiGHS's primal_solution_status 2: a feasible solution exists
        let obj = info("primal_solution_status") === 2 ? info("objective_function_value") : NaN;
        let bound = info("mip_dual_bound");
        if (!(Math.abs(obj) < 1e30)) obj = NaN;
        if (!(Math.abs(bound) < 1e30)) bound = NaN;
        const gap = gapOf(obj, bound);
        if (Number.isFinite(gap) && gap <= 0.01 && Number.isNaN(t1pct)) t1pct = solveS;
        // the first moment the gap was as small as it ended (the run may go on proving nothing more)
        let tFinal = NaN;
        for (const [t, o, b] of trace)
            if (gapOf(o, b) <= gap + 1e-9) { tFinal = t; break; }
        if (Number.isNaN(tFinal) && Number.isFinite(gap)) tFinal = solveS;
        if (args.trace)
            writeFileSync(args.trace, trace.map(([t, o, b]) => `${t.toFixed(3)} ${num(o)} ${num(b)}\n`).join(""));
        const rss = process.resourceUsage().maxRSS / 1024;
        process.stdout.write(
            [
                `highs_version=${version}`,
                `status=${statusName}`,
                `objective=${fmt(obj, 4)}`,
                `bound=${fmt(bound, 4)}`,
                `gap_pct=${fmt(Math.abs(gap) < 5e-9 ? 0 : 100 * gap, 4)}`,
                `time_to_1pct_s=${fmt(t1pct, 3)}`,
                `time_to_final_s=${fmt(tFinal, 3)}`,
                `solve_s=${fmt(solveS, 3)}`,
                `read_s=${fmt(readS, 3)}`,
                `peak_rss_mib=${fmt(rss, 1)}`,
            ].join("\n") + "\n",
        );
    } finally {
        model.dispose();
    }
}

main().catch((e) => {
    process.stderr.write(`highs.mjs: ${e && e.stack ? e.stack : e}\n`);
    process.exit(1);
});
