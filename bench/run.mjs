#!/usr/bin/env node
// boreal benchmark orchestrator: `npm run bench` (all scales) or `npm run bench -- --quick` (CI).
//
// Every (peer, workload, scale, repetition) runs in its own child process, strictly one after
// another, with the same flags for every peer:
//   node --expose-gc --no-turbo-inline-js-wasm-calls bench/child.mjs <spec>
// Answers are compared with an oracle (boreal-ref at the validation scale XS; boreal at S/M/L, or
// the JS floor while boreal is unavailable). A peer that disagrees is marked INVALID.
// Exit code: 0 when every run is ok (boreal "unavailable" is ok), 1 on any INVALID peer, crash,
// error or timeout, 2 on bad usage.
import { spawn, spawnSync, execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync, mkdtempSync } from "node:fs";
import { gzipSync } from "node:zlib";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PEERS, FAST } from "./peers/index.mjs";
import { WORKLOADS } from "./workloads/index.mjs";
import { median } from "./lib/stats.mjs";
import { verifyAll } from "./lib/verify.mjs";
import { renderResults, consoleSummary } from "./lib/report.mjs";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, "..");
const NODE_FLAGS = ["--expose-gc", "--no-turbo-inline-js-wasm-calls"];

// ------------------------------------------------------------------ options
function parseArgs(argv) {
  const o = { quick: false, report: undefined, peers: null, workloads: null, scales: null, reps: null, out: null, verbose: false };
  for (const a of argv) {
    const [k, v] = a.includes("=") ? [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)] : [a, undefined];
    switch (k) {
      case "--quick": o.quick = true; break;
      case "--report": o.report = true; break;
      case "--no-report": o.report = false; break;
      case "--peers": o.peers = v.split(","); break;
      case "--workloads": o.workloads = v.split(","); break;
      case "--scales": o.scales = v.split(","); break;
      case "--reps": o.reps = Number(v); break;
      case "--out": o.out = v; break;
      case "--verbose": case "-v": o.verbose = true; break;
      case "--render": o.render = v ?? path.join(HERE, "results", "full.json"); break;
      case "--help": case "-h":
        console.log(`usage: node bench/run.mjs [--quick] [--peers=a,b] [--workloads=gitclub,deep10,deep50] [--scales=XS,S,M,L]
                     [--reps=N] [--out=file.json] [--report|--no-report] [--verbose]
  --render[=results.json]  only rewrite bench/RESULTS.md from a results file (default results/full.json)
  --quick   validation scale XS + scale S, a few hundred checks, one repetition (CI: proves the harness works)
  default   XS + S/M/L, 10,000 checks per run, fast peers 3x; writes bench/results/full.json and bench/RESULTS.md
peers: ${PEERS.join(", ")}`);
        process.exit(0);
        break;
      default:
        console.error(`unknown option ${a} (try --help)`);
        process.exit(2);
    }
  }
  for (const p of o.peers ?? []) if (!PEERS.includes(p)) { console.error(`unknown peer ${p}`); process.exit(2); }
  for (const w of o.workloads ?? []) if (!WORKLOADS.includes(w)) { console.error(`unknown workload ${w}`); process.exit(2); }
  return o;
}

const opts = parseArgs(process.argv.slice(2));
const notesFile = path.join(HERE, "NOTES.md");
const readNotes = () => (existsSync(notesFile) ? readFileSync(notesFile, "utf8") : null);
const cliFile = path.join(HERE, "results", "cli.json");
const readCli = () => (existsSync(cliFile) ? JSON.parse(readFileSync(cliFile, "utf8")) : null);
const loadFile = path.join(HERE, "results", "load.json");
const readLoad = () => (existsSync(loadFile) ? JSON.parse(readFileSync(loadFile, "utf8")) : null);
if (opts.render) {
  const doc = JSON.parse(readFileSync(opts.render, "utf8"));
  writeFileSync(path.join(HERE, "RESULTS.md"), renderResults({ ...doc, notes: readNotes(), cli: readCli(), load: readLoad() }));
  console.log(`bench/RESULTS.md rewritten from ${path.relative(ROOT, opts.render)}`);
  process.exit(0);
}
const MODE = opts.quick ? "quick" : "full";
const CONFIG = opts.quick
  ? {
      scales: ["XS", "S"],
      sizes: { warmup: 100, checks: 300, actions: 100, lists: 5 },
      caps: { warmupMs: 1500, checkMs: 3000, actionsMs: 2000, listMs: 2000 },
      settleMs: 200,
      callLimitMs: 2000,
      fastReps: 1,
      slowReps: 1,
      coldStarts: 1,
    }
  : {
      scales: ["XS", "S", "M", "L"],
      sizes: { warmup: 1000, checks: 10000, actions: 2000, lists: 50 },
      // warm-up: at least 1 s of checks (0.5 s of actions, of lists), at most 2 s each
      caps: { warmupMs: 2000, warmupMinMs: 1000, checkMs: 10000, actionsMs: 3000, listMs: 3000 },
      settleMs: 1000,
      callLimitMs: 8000,
      fastReps: 3,
      slowReps: 1,
      coldStarts: 5,
    };
// the validation scale: small request sets, everything compared with boreal's reference evaluator
const XS_SIZES = opts.quick ? { warmup: 30, checks: 200, actions: 50, lists: 5 } : { warmup: 50, checks: 500, actions: 200, lists: 10 };
const XS_CAPS = opts.quick ? { warmupMs: 1500, checkMs: 3000, actionsMs: 2000, listMs: 2000 } : { warmupMs: 2000, checkMs: 4000, actionsMs: 3000, listMs: 3000 };

const peers = opts.peers ?? PEERS;
const workloads = opts.workloads ?? WORKLOADS;
const scales = opts.scales ?? CONFIG.scales;

// ------------------------------------------------------------------ plan
const plan = [];
for (const scale of scales) {
  for (const workload of workloads) {
    const reps = (p) => (scale === "XS" ? 1 : opts.reps ?? (FAST.has(p) ? CONFIG.fastReps : CONFIG.slowReps));
    const maxReps = Math.max(...peers.map(reps));
    for (let rep = 0; rep < maxReps; rep++) {
      for (const peer of peers) {
        if (rep >= reps(peer)) continue;
        if (peer === "boreal-ref" && scale !== "XS") continue; // the reference evaluator is for XS only
        plan.push({ peer, workload, scale, rep });
      }
    }
  }
}

// ------------------------------------------------------------------ running children
const tmp = mkdtempSync(path.join(os.tmpdir(), "boreal-bench-"));

function runNode(args, { timeoutMs, capture }) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...NODE_FLAGS, ...args], { cwd: ROOT, stdio: ["ignore", capture ? "pipe" : "ignore", "pipe"] });
    let stdout = "", stderr = "";
    if (capture) child.stdout.on("data", (d) => { stdout += d; });
    child.stderr.on("data", (d) => { stderr = (stderr + d).slice(-4000); });
    let timedOut = false;
    const timer = setTimeout(() => { timedOut = true; child.kill("SIGKILL"); }, timeoutMs);
    child.on("close", (code, signal) => { clearTimeout(timer); resolve({ code, signal, stdout, stderr, timedOut }); });
  });
}

function childTimeoutMs(spec) {
  const c = spec.caps;
  // generation + ingest at L (casbin needs ~1 min) + every capped phase + slack
  return 180_000 + c.warmupMs * 3 + c.checkMs * 2 + c.actionsMs + c.listMs + spec.callLimitMs * 4;
}

async function runOne(item, index, total) {
  const isXS = item.scale === "XS";
  const spec = {
    ...item,
    out: path.join(tmp, `${item.peer}-${item.workload}-${item.scale}-${item.rep}.json`),
    sizes: isXS ? XS_SIZES : CONFIG.sizes,
    caps: isXS ? XS_CAPS : CONFIG.caps,
    settleMs: isXS ? 100 : CONFIG.settleMs,
    callLimitMs: CONFIG.callLimitMs,
  };
  const t0 = performance.now();
  const r = await runNode([path.join(HERE, "child.mjs"), JSON.stringify(spec)], { timeoutMs: childTimeoutMs(spec), capture: false });
  const wallMs = performance.now() - t0;
  let res;
  if (existsSync(spec.out)) {
    res = JSON.parse(readFileSync(spec.out, "utf8"));
    rmSync(spec.out);
  } else {
    res = { ...item, status: r.timedOut ? "timeout" : "crashed" };
    res.error = `${r.timedOut ? "killed after timeout" : `exit code ${r.code}, signal ${r.signal}`}\n${r.stderr.slice(-1500)}`;
  }
  if (res.status === "ok" && r.code !== 0) { res.status = "crashed"; res.error = `exit code ${r.code}, signal ${r.signal}\n${r.stderr.slice(-1500)}`; }
  res.wallMs = wallMs;
  const tag = `[${String(index + 1).padStart(3)}/${total}] ${item.peer.padEnd(10)} ${item.workload.padEnd(7)} ${item.scale.padEnd(2)} rep${item.rep}`;
  let line;
  if (res.status === "ok") {
    const c = res.check;
    line = `check p50 ${fmt(c.p50)} µs p99 ${fmt(c.p99)} µs n=${c.n}${c.capped ? " (capped)" : ""}${c.errors ? ` errors=${c.errors}` : ""}` +
      (res.actions ? `, actions p50 ${fmt(res.actions.p50)} µs` : "") +
      (res.list ? `, list p50 ${fmt(res.list.ms)} ms` : "") +
      `, ingest ${fmtRate(res.ingest.factsPerSec)}/s`;
  } else line = `${res.status.toUpperCase()}${res.reason ? `: ${res.reason}` : ""}${res.error ? `: ${res.error.split("\n")[0]}` : ""}`;
  console.log(`${tag}  ${line}  (${(wallMs / 1000).toFixed(1)} s)`);
  if (opts.verbose && res.error) console.log(res.error);
  return res;
}

function fmt(x) {
  if (x === null || x === undefined) return "—";
  if (x >= 100) return Math.round(x).toLocaleString("en-US");
  if (x >= 10) return x.toFixed(1);
  return x.toFixed(2);
}
function fmtRate(x) {
  if (!x) return "—";
  return x >= 1e6 ? `${(x / 1e6).toFixed(2)}M` : `${Math.round(x / 1000)}k`;
}

async function coldStarts() {
  const out = {};
  for (const peer of peers) {
    const runs = [];
    for (let k = 0; k < CONFIG.coldStarts; k++) {
      const r = await runNode([path.join(HERE, "coldstart.mjs"), peer], { timeoutMs: 60_000, capture: true });
      try { runs.push(JSON.parse(r.stdout.trim().split("\n").pop())); } catch { runs.push({ peer, status: "crashed", error: r.stderr.slice(-500) }); }
    }
    const ok = runs.filter((x) => x.status === "ok");
    const agg = { status: ok.length === runs.length ? "ok" : runs.find((x) => x.status !== "ok").status, runs: runs.length };
    if (agg.status !== "ok") { agg.reason = runs.find((x) => x.status !== "ok").reason ?? runs.find((x) => x.status !== "ok").error; }
    for (const k of ["importMs", "openMs", "loadEngineMs", "policyMs", "totalMs"]) {
      const m = median(ok.map((x) => x[k]).filter((x) => x !== undefined));
      if (m !== null) agg[k] = m;
    }
    out[peer] = agg;
  }
  return out;
}

function fileSize(rel) {
  const p = path.join(ROOT, rel);
  if (!existsSync(p)) return null;
  const buf = readFileSync(p);
  return { path: rel, bytes: statSync(p).size, gzipBytes: gzipSync(buf, { level: 9 }).length };
}

function machine() {
  let cpu = "unknown";
  try { cpu = readFileSync("/proc/cpuinfo", "utf8").match(/^model name\s*:\s*(.*)$/m)?.[1] ?? cpu; } catch { /* not Linux */ }
  let commit = null, dirty = null;
  try {
    commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT, encoding: "utf8" }).trim();
    dirty = execFileSync("git", ["status", "--porcelain"], { cwd: ROOT, encoding: "utf8" }).trim().length > 0;
  } catch { /* not a git checkout */ }
  return {
    cpu, cores: os.cpus().length, ramGiB: +(os.totalmem() / 2 ** 30).toFixed(1), node: process.version, v8: process.versions.v8,
    os: `${os.type()} ${os.release()}`, flags: NODE_FLAGS.join(" "), loadavgStart: os.loadavg().map((x) => +x.toFixed(2)), commit, dirty,
  };
}

// ------------------------------------------------------------------ main
const started = new Date();
const tStart = performance.now();
const mach = machine();
console.log(`boreal bench (${MODE}): ${plan.length} runs; peers ${peers.join(", ")}; workloads ${workloads.join(", ")}; scales ${scales.join(", ")}`);
console.log(`machine: ${mach.cpu}, ${mach.cores} cores, ${mach.ramGiB} GiB, Node ${mach.node}; flags ${mach.flags}`);

const runs = [];
for (let i = 0; i < plan.length; i++) runs.push(await runOne(plan[i], i, plan.length));
console.log("cold starts ...");
const cold = await coldStarts();
const sizes = {
  boreal: fileSize("dist/engine.wasm"),
  borealDebug: fileSize("dist/engine.wasm") ? fileSize("dist/engine.debug.wasm") : null,
  oso: fileSize("node_modules/oso/dist/src/polar_wasm_api_bg.wasm"),
  cedar: fileSize("node_modules/@cedar-policy/cedar-wasm/nodejs/cedar_wasm_bg.wasm"),
};

const verification = verifyAll(runs);
const totalMs = performance.now() - tStart;
mach.loadavgEnd = os.loadavg().map((x) => +x.toFixed(2));
const doc = {
  mode: MODE,
  date: started.toISOString(),
  totalSeconds: +(totalMs / 1000).toFixed(1),
  command: `node bench/run.mjs ${process.argv.slice(2).join(" ")}`.trim(),
  machine: mach,
  config: { ...CONFIG, xsSizes: XS_SIZES, xsCaps: XS_CAPS, peers, workloads, scales },
  wasmSizes: sizes,
  coldStart: cold,
  verification: verification.summary,
  runs: runs.map((r) => { const { answers, ...rest } = r; return rest; }),
};
doc.aggregate = verification.aggregate;

// The CLI measurement (issue 4): a whole `boreal authorize` process over a gitclub store.
if (!opts.peers && !opts.workloads && !opts.scales) {
  const cliArgs = MODE === "quick" ? ["--scale=S", "--runs=2"] : ["--scale=L", "--runs=5"];
  const r = spawnSync(process.execPath, [path.join(HERE, "cli.mjs"), ...cliArgs], { stdio: "inherit" });
  if (r.status !== 0) verification.failures.push(`cli: bench/cli.mjs ${cliArgs.join(" ")} exited with ${r.status}`);
  // the server under load (issue 7); the quick run writes results/load-quick.json
  const loadArgs = MODE === "quick" ? ["--reads=2000", "--duration=20", `--out=${path.join(HERE, "results", "load-quick.json")}`] : ["--duration=30"];
  const l = spawnSync(process.execPath, [path.join(HERE, "load.mjs"), ...loadArgs], { stdio: "inherit" });
  if (l.status !== 0) verification.failures.push(`load: bench/load.mjs ${loadArgs.join(" ")} exited with ${l.status}`);
}

mkdirSync(path.join(HERE, "results"), { recursive: true });
const outFile = opts.out ?? path.join(HERE, "results", `${MODE}.json`);
writeFileSync(outFile, JSON.stringify(doc, null, 1));
const writeReport = opts.report ?? (MODE === "full" && !opts.peers && !opts.workloads && !opts.scales);
if (writeReport) writeFileSync(path.join(HERE, "RESULTS.md"), renderResults({ ...doc, notes: readNotes(), cli: readCli(), load: readLoad() }));
rmSync(tmp, { recursive: true, force: true });

console.log("");
console.log(consoleSummary(doc));
console.log(`\nresults: ${path.relative(ROOT, outFile)}${writeReport ? ", bench/RESULTS.md" : ""}; total ${(totalMs / 1000).toFixed(1)} s`);
const failures = verification.failures;
if (verification.expected.length) {
  console.log(`\nINVALID as expected (documented peer limitations, not a harness failure):`);
  for (const f of verification.expected) console.log(`  - ${f}`);
}
if (failures.length) {
  console.log(`\nFAILED (${failures.length}):`);
  for (const f of failures) console.log(`  - ${f}`);
  process.exit(1);
}
console.log("OK: every peer that ran agrees with the oracle");
process.exit(0);
