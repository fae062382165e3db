// Renders bench/RESULTS.md and the console summary from a results document (bench/results/*.json).

// perf-anchors.md §2 (medians, another machine of the same kind): check p50 µs at S / M / L
export const ANCHORS = {
  gitclub: {
    "js-floor": [0.46, 1.05, 1.95], casl: [1.96, 5.55, 8.34], cedar: [167, 139, 159],
    casbin: [254, 2797, 41298], oso: [843, 1038, 847],
  },
  deep10: {
    "js-floor": [0.69, 1.27, 3.66], casl: [1.24, 4.11, 8.3], cedar: [228, 218, 284],
    casbin: [718, 9087, 135439], oso: [23133, 30451, 31230],
  },
};
const ANCHOR_NOTE = "perf-anchors.md §2: `tuned` for js-floor, `oso-plain` for oso";

export const TARGETS = {
  checkP50: 1.5, checkP99: 20, listNsPerId: 60, listFixedUs: 20, ingest: 2e6, bytesPerFact: 64, coldStartMs: 20, wasmKB: 150, vsOso: 500,
};

const PEER_ORDER = ["boreal", "js-floor", "casl", "cedar", "oso", "casbin", "boreal-ref"];
const SCALE_ORDER = ["XS", "S", "M", "L"];

function num(x, digits) {
  if (x === null || x === undefined || !Number.isFinite(x)) return "—";
  if (digits !== undefined) return x.toFixed(digits);
  const a = Math.abs(x);
  if (a >= 1000) return Math.round(x).toLocaleString("en-US");
  if (a >= 100) return x.toFixed(0);
  if (a >= 10) return x.toFixed(1);
  if (a >= 1) return x.toFixed(2);
  return x.toFixed(3);
}
function rate(x) {
  if (!x) return "—";
  if (x >= 1e6) return `${(x / 1e6).toFixed(2)}M`;
  if (x >= 1e3) return `${Math.round(x / 1e3)}k`;
  return String(Math.round(x));
}
function ratio(x) {
  if (x === null || x === undefined || !Number.isFinite(x)) return "—";
  if (x >= 100) return `${Math.round(x).toLocaleString("en-US")}×`;
  if (x >= 10) return `${x.toFixed(0)}×`;
  return `${x.toFixed(2)}×`;
}

function statusCell(a) {
  if (a.status === "ok" && a.limitation) return "ok †";
  if (a.status === "ok") return a.oracle ? "ok (oracle)" : "ok";
  if (a.status === "unavailable") return "unavailable";
  return `**${a.status.toUpperCase()}**`;
}

function sortAgg(list) {
  return [...list].sort((x, y) => PEER_ORDER.indexOf(x.peer) - PEER_ORDER.indexOf(y.peer) || SCALE_ORDER.indexOf(x.scale) - SCALE_ORDER.indexOf(y.scale));
}

function find(doc, peer, workload, scale) {
  return doc.aggregate.find((a) => a.peer === peer && a.workload === workload && a.scale === scale);
}

function okRow(a) {
  return a && a.status === "ok";
}

/** An INVALID row keeps its figures but every figure is struck through and labelled. */
function guard(a, cell) {
  if (a.status === "INVALID" || a.status === "DISPUTED") return cell === "—" ? cell : `~~${cell}~~`;
  return cell;
}

function workloadTable(doc, workload) {
  const rows = sortAgg(doc.aggregate.filter((a) => a.workload === workload && a.scale !== "XS"));
  const head = "| peer | scale | status | facts | ingest facts/s | check p50 µs | p99 µs | batch mean µs | checks n | allowed % | × boreal (p50) | × js-floor (p50) | actions p50 µs | list p50 ms | list ns/id | ids/list | peak RSS MB | RSS Δ ingest MB | B/fact (RSS Δ) | Wasm MB |";
  const sep = "|" + "---|".repeat(20);
  const lines = [head, sep];
  for (const a of rows) {
    if (a.status === "unavailable") {
      lines.push(`| ${a.peer} | ${a.scale} | unavailable | ${"— | ".repeat(17)}`);
      continue;
    }
    const b = find(doc, "boreal", workload, a.scale), f = find(doc, "js-floor", workload, a.scale);
    const vsB = okRow(b) && a.checkP50 ? a.checkP50 / b.checkP50 : null;
    const vsF = okRow(f) && a.checkP50 ? a.checkP50 / f.checkP50 : null;
    const n = a.checkN === null ? "—" : `${a.checkN.toLocaleString("en-US")}${a.checkCapped ? " (cap)" : ""}`;
    const g = (c) => guard(a, c);
    lines.push(`| ${a.peer} | ${a.scale} | ${statusCell(a)} | ${num(a.facts)} | ${g(rate(a.ingestFactsPerSec))} | ${g(num(a.checkP50))} | ${g(num(a.checkP99))} | ${g(num(a.batchMean))} | ${n} | ${num(a.allowedPct, 1)} | ${g(ratio(vsB))} | ${g(ratio(vsF))} | ${g(num(a.actionsP50))}${a.actionsCapped ? " (cap)" : ""} | ${g(num(a.listMs))}${a.listCapped ? " (cap)" : ""} | ${g(num(a.listNsPerId))} | ${num(a.listMeanIds)} | ${num(a.peakRssMB)} | ${num(a.rssDeltaMB)} | ${num(a.bytesPerFact)} | ${num(a.wasmMB)} |`);
  }
  return lines.join("\n");
}

function problems(doc) {
  const out = [];
  for (const a of sortAgg(doc.aggregate)) {
    if (a.status === "ok" || a.status === "unavailable") continue;
    out.push(`- **${a.peer} ${a.workload} ${a.scale}: ${a.status}**${a.expected ? " (expected: a known limitation of this peer)" : ""} — ${a.reasons.join("; ")}`);
  }
  return out;
}

function borealFigures(doc) {
  const L = find(doc, "boreal", "gitclub", "L");
  const floorL = find(doc, "js-floor", "gitclub", "L");
  const osoL = find(doc, "oso", "gitclub", "L");
  const cold = doc.coldStart?.boreal;
  const wasm = doc.wasmSizes?.boreal;
  return { L, floorL, osoL, cold, wasm };
}

function verdict(ok) {
  return ok === null ? "—" : ok ? "met" : "**missed**";
}

function targetsTable(doc) {
  const { L, floorL, osoL, cold, wasm } = borealFigures(doc);
  const has = okRow(L);
  const rows = [];
  const T = TARGETS;
  // list target: a call takes ≤ 60 ns per id it returns + 20 µs. The verdict is on the median
  // call (like authorize's p50: the mean of 50 calls moves with one preempted or GC-hit call on
  // this shared VM); the mean-based figure is shown beside it.
  const listFixedMean = has && L.listMeanMs !== null && L.listMeanIds ? L.listMeanMs * 1000 - (T.listNsPerId * L.listMeanIds) / 1000 : null;
  const listFixed = has ? (L.listOverUsP50 ?? listFixedMean) : null;
  rows.push(["authorize p50 at ≈1M facts (gitclub L)", `≤ ${T.checkP50} µs`, has ? `${num(L.checkP50)} µs` : "—", has ? verdict(L.checkP50 <= T.checkP50) : "—"]);
  rows.push(["authorize p99 (gitclub L)", `≤ ${T.checkP99} µs`, has ? `${num(L.checkP99)} µs` : "—", has ? verdict(L.checkP99 <= T.checkP99) : "—"]);
  rows.push(["ahead of the JS floor (gitclub L p50)", "boreal < js-floor", has && okRow(floorL) ? `${num(L.checkP50)} vs ${num(floorL.checkP50)} µs` : "—", has && okRow(floorL) ? verdict(L.checkP50 < floorL.checkP50) : "—"]);
  rows.push(["≥ 500× oso (gitclub L p50)", `≥ ${T.vsOso}×`, has && osoL?.checkP50 ? ratio(osoL.checkP50 / L.checkP50) : "—", has && osoL?.checkP50 ? verdict(osoL.checkP50 / L.checkP50 >= T.vsOso) : "—"]);
  rows.push(["list (readable issues, gitclub L)", `≤ ${T.listNsPerId} ns/id + ≤ ${T.listFixedUs} µs`, has && L.listNsPerId ? `median call: ${num(listFixed)} µs beyond 60 ns/id; mean: ${num(L.listNsPerId)} ns/id (${num(L.listMeanMs)} ms for ${num(L.listMeanIds)} ids, ${num(listFixedMean)} µs beyond 60 ns/id)` : "—", has && L.listNsPerId ? verdict(listFixed !== null && listFixed <= T.listFixedUs) : "—"]);
  rows.push(["ingest (gitclub L, batch)", `≥ 2M facts/s`, has ? `${rate(L.ingestFactsPerSec)} facts/s` : "—", has ? verdict(L.ingestFactsPerSec >= T.ingest) : "—"]);
  const bpf = has ? (L.wasmBytesPerFact ?? L.bytesPerFact) : null;
  rows.push(["memory per fact, indexes included (gitclub L)", `≤ ${T.bytesPerFact} B`, has ? `${num(L.wasmBytesPerFact)} B Wasm Δ / ${num(L.bytesPerFact)} B RSS Δ${L.storeBytesPerFact ? ` / ${num(L.storeBytesPerFact)} B store` : ""}` : "—", has ? verdict(bpf <= T.bytesPerFact) : "—"]);
  rows.push(["`loadEngine()` cold start (fresh process)", `≤ ${T.coldStartMs} ms`, cold?.status === "ok" ? `${num(cold.loadEngineMs)} ms (import ${num(cold.importMs)} ms, policy ${num(cold.policyMs)} ms)` : "—", cold?.status === "ok" ? verdict(cold.loadEngineMs <= T.coldStartMs) : "—"]);
  rows.push(["release .wasm size", `≤ ${T.wasmKB} KB`, wasm ? `${num(wasm.bytes / 1024)} KB (${num(wasm.gzipBytes / 1024)} KB gzip)` : "—", wasm ? verdict(wasm.bytes <= T.wasmKB * 1024) : "—"]);
  return ["| target | goal | measured | verdict |", "|---|---|---|---|", ...rows.map((r) => `| ${r.join(" | ")} |`)].join("\n");
}

function analysis(doc) {
  const { L, floorL, osoL } = borealFigures(doc);
  const lines = [];
  if (!okRow(L)) {
    const b = doc.aggregate.find((a) => a.peer === "boreal");
    lines.push(`- boreal: **${b ? b.status : "not run"}**${b?.reasons?.length ? ` (${b.reasons[0]})` : ""}; no gitclub L figure for boreal in this run, so the targets above are unmeasured. The peer figures below are real.`);
  } else {
    lines.push(`- authorize: boreal answers a gitclub check at ≈1M facts in ${num(L.checkP50)} µs p50 / ${num(L.checkP99)} µs p99${okRow(floorL) ? `; the hand-tuned JS floor takes ${num(floorL.checkP50)} µs (${L.checkP50 <= floorL.checkP50 ? `boreal is ${ratio(floorL.checkP50 / L.checkP50)} faster` : `boreal takes ${ratio(L.checkP50 / floorL.checkP50)} the floor's time`})` : ""}. Batch mean: boreal ${num(L.batchMean)} µs${okRow(floorL) ? `, js-floor ${num(floorL.batchMean)} µs` : ""}.`);
    if (osoL?.checkP50) lines.push(`- vs oso 0.27.3 (same architecture, Polar in Wasm): ${ratio(osoL.checkP50 / L.checkP50)} faster per check at gitclub L.`);
    if (L.firstPassP50) lines.push(`- right after start-up (the first pass over the 1,000 warm-up checks, before V8 has optimised the hot JS and Wasm code): boreal ${num(L.firstPassP50)} µs p50${okRow(floorL) && floorL.firstPassP50 ? `, js-floor ${num(floorL.firstPassP50)} µs` : ""}. The figures above are after at least ${(doc.config.caps.warmupMinMs ?? 0) / 1000} s of warm-up checks.`);
    if (L.handlesP50) lines.push(`- with interned handles (engine.entity), a check takes ${num(L.handlesP50)} µs p50: the rest of the value-API figure is turning { type, id } strings into ids.`);
  }
  for (const wl of ["deep10", "deep50"]) {
    const b = find(doc, "boreal", wl, "L"), f = find(doc, "js-floor", wl, "L"), o = find(doc, "oso", wl, "L");
    if (okRow(b)) lines.push(`- ${wl} L: boreal ${num(b.checkP50)} µs p50 / ${num(b.checkP99)} µs p99${okRow(f) ? ` vs js-floor ${num(f.checkP50)} µs` : ""}${o?.checkP50 ? (o.status === "ok" ? `; oso ${num(o.checkP50)} µs = ${ratio(o.checkP50 / b.checkP50)} boreal's time` : `; oso ${o.status}`) : ""}; list ${num(b.listMs)} ms for ${num(b.listMeanIds)} folders.`);
  }
  for (const wl of ["gitclub", "deep10", "deep50"]) {
    const b = find(doc, "boreal", wl, "L");
    if (okRow(b)) lines.push(`- ${wl} L memory: peak RSS ${num(b.peakRssMB)} MB (the generated facts included), Wasm memory ${num(b.wasmMB)} MB; ingest ${rate(b.ingestFactsPerSec)} facts/s.${b.restoreFactsPerSec ? ` Restoring a snapshot of the loaded engine (\`loadEngine({ snapshot })\`, ${num(b.restoreMB)} MB) takes ${num(b.restoreMs)} ms: ${rate(b.restoreFactsPerSec)} facts/s.` : ""}${b.restoreMismatch ? " **The restored engine answered differently.**" : ""}`);
  }
  return lines;
}

function anchorsTable(doc) {
  const lines = [`| workload | peer | anchor p50 µs S / M / L | this run S / M / L | this run ÷ anchor (S / M / L) |`, "|---|---|---|---|---|"];
  for (const [wl, peers] of Object.entries(ANCHORS)) {
    for (const [peer, vals] of Object.entries(peers)) {
      const got = ["S", "M", "L"].map((s) => find(doc, peer, wl, s));
      if (got.every((g) => !g)) continue;
      const cell = (g) => (g && g.checkP50 ? `${num(g.checkP50)}${g.status === "INVALID" ? " (INVALID)" : ""}` : "—");
      const r = got.map((g, i) => (g && g.checkP50 ? ratio(g.checkP50 / vals[i]) : "—"));
      lines.push(`| ${wl} | ${peer} | ${vals.map((v) => num(v)).join(" / ")} | ${got.map(cell).join(" / ")} | ${r.join(" / ")} |`);
    }
  }
  return lines.join("\n");
}

function validationTable(doc) {
  const rows = sortAgg(doc.aggregate.filter((a) => a.scale === "XS"));
  const lines = ["| workload | peer | status | facts | checks compared | allowed % | notes |", "|---|---|---|---|---|---|---|"];
  for (const a of rows.sort((x, y) => x.workload.localeCompare(y.workload) || PEER_ORDER.indexOf(x.peer) - PEER_ORDER.indexOf(y.peer))) {
    lines.push(`| ${a.workload} | ${a.peer} | ${statusCell(a)} | ${num(a.facts)} | ${a.checkN ?? "—"} | ${num(a.allowedPct, 1)} | ${a.status === "ok" ? "" : a.reasons.join("; ").replace(/\|/g, "\\|")} |`);
  }
  return lines.join("\n");
}

function coldTable(doc) {
  const lines = ["| peer | import ms | loadEngine / open ms | policy ms | total ms |", "|---|---|---|---|---|"];
  for (const p of PEER_ORDER) {
    const c = doc.coldStart?.[p];
    if (!c) continue;
    if (c.status !== "ok") { lines.push(`| ${p} | ${c.status}${c.reason ? `: ${String(c.reason).split("\n")[0]}` : ""} | | | |`); continue; }
    lines.push(`| ${p} | ${num(c.importMs)} | ${num(c.loadEngineMs ?? c.openMs)} | ${num(c.policyMs)} | ${num(c.totalMs)} |`);
  }
  return lines.join("\n");
}

function sizesList(doc) {
  const s = doc.wasmSizes ?? {};
  const f = (x) => (x ? `${num(x.bytes / 1024)} KB (${num(x.gzipBytes / 1024)} KB gzip), \`${x.path}\`` : "not built");
  return [`- boreal release .wasm: ${f(s.boreal)}`, `- boreal debug .wasm: ${f(s.borealDebug)}`, `- oso 0.27.3 .wasm: ${f(s.oso)}`, `- cedar-wasm 4.13 .wasm: ${f(s.cedar)}`].join("\n");
}

function extrasList(doc) {
  const out = [];
  for (const a of sortAgg(doc.aggregate)) {
    if (a.extra?.cedarParse) {
      const c = a.extra.cedarParse;
      out.push(`- cedar ${a.workload} ${a.scale}: Cedar's own bulk parse of the whole entity store (checkParseEntities) ${c.ok ? `${num(c.ms)} ms = ${rate(c.factsPerSec)} facts/s` : `fails: ${c.error}`}`);
    }
  }
  return out;
}

export function renderResults(doc) {
  const m = doc.machine;
  const scalesRun = doc.config.scales.filter((s) => s !== "XS");
  const descr = {};
  for (const a of doc.aggregate) if (a.description && !descr[a.peer]) descr[a.peer] = a.description;
  const probs = problems(doc);
  const parts = [];
  parts.push(`# boreal benchmark results

Generated by \`${doc.command}\` (${doc.mode} mode) on ${doc.date.slice(0, 10)}, in ${(doc.totalSeconds / 60).toFixed(1)} min.
This file is regenerated by every full run of \`npm run bench\`; edit bench/lib/report.mjs, not this file.
Method, workloads and how each peer expresses the policy: [bench/README.md](README.md).

## Machine

- CPU: ${m.cpu}, ${m.cores} cores; RAM ${m.ramGiB} GiB; ${m.os}
- Node ${m.node} (V8 ${m.v8}); every process runs \`node ${m.flags}\`
- commit ${m.commit ?? "?"}${m.dirty ? " (with uncommitted changes)" : ""}; load average at start ${m.loadavgStart?.join(" / ")}, at end ${m.loadavgEnd?.join(" / ")}

## Reproduce

\`\`\`sh
npm run build                      # dist/engine/index.js and dist/engine.wasm (boreal), dist/reference
npm run bench                      # everything (XS validation + S/M/L), rewrites this file and bench/results/full.json
npm run bench -- --quick           # XS + S, a few hundred checks: proves the harness works (CI)
node bench/run.mjs --peers=boreal,js-floor --workloads=gitclub --scales=L   # a subset (does not rewrite this file)
node bench/run.mjs --render         # rewrite this file from bench/results/full.json (e.g. after editing bench/NOTES.md)
\`\`\`

## Against the targets (issues #3 and #5)

${targetsTable(doc)}

${analysis(doc).join("\n")}
${probs.length ? `\n### Invalid or failed runs\n\nA peer whose answers disagree with the oracle is INVALID: its figures are struck through below and must not be quoted.\n\n${probs.join("\n")}\n` : "\nEvery peer that ran agreed with the oracle on every measured check, actions call and list.\n"}
Oracles: ${Object.entries(doc.verification.oracles).map(([g, o]) => `${g.replace("|", " ")}: ${o ?? "none"}`).join("; ")}.
${Object.keys(doc.verification.crossChecks ?? {}).length ? `Cross-check boreal vs js-floor: ${Object.entries(doc.verification.crossChecks).map(([g, r]) => `${g.replace("|", " ")}: ${Array.isArray(r) ? r.join("; ") : r}`).join("; ")}.` : ""}
`);
  if (doc.notes) parts.push(`## Notes (hand-written: bench/NOTES.md)\n\n${doc.notes.trim()}\n`);
  parts.push(`## Results

Per-op latencies are medians over the repetitions (fast peers ${doc.config.fastReps}×, slow peers ${doc.config.slowReps}×) of per-call
\`process.hrtime.bigint()\` timings: ${doc.config.sizes.checks.toLocaleString("en-US")} checks after ${doc.config.caps.warmupMinMs ? `at least ${doc.config.caps.warmupMinMs / 1000} s of warm-up checks (the ${doc.config.sizes.warmup.toLocaleString("en-US")}-check warm-up set, cycled)` : `${doc.config.sizes.warmup.toLocaleString("en-US")} warm-up checks`},
${doc.config.sizes.actions.toLocaleString("en-US")} \`actions\` calls, ${doc.config.sizes.lists} \`list\` calls. Slow peers stop a phase after its cap
(checks ${doc.config.caps.checkMs / 1000} s, actions ${doc.config.caps.actionsMs / 1000} s, list ${doc.config.caps.listMs / 1000} s): "(cap)" and \`checks n\` say how many they completed.
"× boreal" is the peer's check p50 over boreal's in the same run (higher = slower than boreal). "batch mean" times the
whole check set in one loop (fast synchronous peers only). "B/fact" is RSS growth over ingest (GC forced) per fact; it
includes Wasm memory. list = every Issue (gitclub) / Folder (deep) one user can read.
`);
  for (const wl of doc.config.workloads) {
    const title = wl === "gitclub" ? "gitclub (orgs → repos → issues)" : wl === "deep10" ? "deep10 (binary folder trees, depth 10; checks at the leaves)" : "deep50 (folder trees of depth 50, a few cycles; checks at the leaves)";
    const lim = doc.aggregate.find((a) => a.workload === wl && a.limitation);
    const foot = lim ? `\n† ${lim.peer}: ${lim.limitation}. Where it shows "ok", the checks it completed before the cap happened not to reach a cyclic tree.\n` : "";
    parts.push(`### ${title}\n\n${workloadTable(doc, wl)}\n${foot}`);
  }
  const extras = extrasList(doc);
  if (doc.cli) parts.push(cliSection(doc.cli));
  if (doc.load) parts.push(loadSection(doc.load));
  parts.push(`### Cold start (fresh process, gitclub policy; median of ${doc.config.coldStarts})

${coldTable(doc)}

### Wasm sizes

${sizesList(doc)}
${extras.length ? `\n### Other\n\n${extras.join("\n")}\n` : ""}
### Validation scale XS (every peer against boreal's reference evaluator)

${validationTable(doc)}

### Peer figures against perf-anchors.md

Check p50 from this run next to the figures in ${ANCHOR_NOTE}. The anchors were measured on another
VM of this kind (AMD EPYC there; this run: ${m.cpu}); differences under ~1.5× are within that VM's run-to-run noise.

${anchorsTable(doc)}

## Peers

${PEER_ORDER.filter((p) => descr[p]).map((p) => `- **${p}**: ${descr[p]}`).join("\n")}
`);
  return parts.join("\n");
}

export function consoleSummary(doc) {
  const lines = [];
  const rows = sortAgg(doc.aggregate).sort((x, y) => x.workload.localeCompare(y.workload) || SCALE_ORDER.indexOf(x.scale) - SCALE_ORDER.indexOf(y.scale) || PEER_ORDER.indexOf(x.peer) - PEER_ORDER.indexOf(y.peer));
  lines.push(`${"workload".padEnd(8)} ${"sc".padEnd(3)} ${"peer".padEnd(11)} ${"status".padEnd(12)} ${"check p50 µs".padStart(13)} ${"p99 µs".padStart(10)} ${"n".padStart(6)} ${"actions µs".padStart(11)} ${"list ms".padStart(9)} ${"ingest/s".padStart(9)} ${"× boreal".padStart(9)}`);
  for (const a of rows) {
    const b = find(doc, "boreal", a.workload, a.scale);
    const vs = okRow(b) && a.checkP50 ? ratio(a.checkP50 / b.checkP50) : "—";
    lines.push(`${a.workload.padEnd(8)} ${a.scale.padEnd(3)} ${a.peer.padEnd(11)} ${a.status.padEnd(12)} ${num(a.checkP50).padStart(13)} ${num(a.checkP99).padStart(10)} ${String(a.checkN ?? "—").padStart(6)} ${num(a.actionsP50).padStart(11)} ${num(a.listMs).padStart(9)} ${rate(a.ingestFactsPerSec).padStart(9)} ${vs.padStart(9)}`);
  }
  return lines.join("\n");
}

/** The CLI measurement from bench/cli.mjs (results/cli.json). */
function cliSection(c) {
  const verdict = c.warmMedianMs <= 1000 ? "met" : "**missed**";
  return `### \`boreal authorize\` from the command line (issue #4: ≤ 1 s wall at ≈1M facts)

Measured ${c.date.slice(0, 10)} by \`node bench/cli.mjs\` on a gitclub ${c.scale} store of ${c.facts.toLocaleString("en-US")} facts
(${(c.storeBytes / 1e6).toFixed(0)} MB on disk, imported with \`boreal import\` in ${(c.importMs / 1000).toFixed(1)} s), whole processes, wall time:

| run | wall |
|---|---:|
| bare \`node -e ""\` start | ${c.nodeStartMs} ms |
| first \`boreal authorize\` (loads every fact from SQLite, saves a snapshot) | ${c.coldMs} ms |
| later \`boreal authorize\` (restores the snapshot; median of ${c.warmMs.length}: ${c.warmMs.join(", ")} ms) | ${c.warmMedianMs} ms (target ≤ 1,000 ms: ${verdict}) |

`;
}

/** The server load test from bench/load.mjs (results/load.json). */
function loadSection(l) {
  const restarts = l.restarts.map((x) => `${x.kind === "term" ? "SIGTERM" : "SIGKILL"} after ${x.atRead.toLocaleString("en-US")} reads (down ${x.downMs} ms)`).join(", ");
  const failed = Object.entries(l.checks).filter(([, v]) => v !== 0).map(([k, v]) => `${k} ${v}`);
  return `### \`boreal serve\` under load (issue #7)

Measured ${l.date.slice(0, 10)} by \`${l.command}\` on ${l.machine.cores} cores (load average ${l.machine.loadavg[0]} at the start), loopback,
a gitclub ${l.config.scale} store of ${l.facts.toLocaleString("en-US")} facts. One process sends authorize calls (${l.config.concurrency} in flight,
keep-alive node:http), another sends write batches of ${l.config.batchFacts} facts one at a time (${l.config.writerBatchPauseMs} ms apart),
through ${restarts}. Every answer is compared with an in-process engine; every acknowledged write is read back with \`GET /facts\`.

| figure | value |
|---|---:|
| authorize calls | ${l.reads.total.toLocaleString("en-US")} in ${l.runSeconds} s (${l.reads.perSecond.toLocaleString("en-US")}/s, restarts included) |
| authorize latency (first try) | p50 ${l.reads.p50Ms} ms, p99 ${l.reads.p99Ms} ms, max ${l.reads.maxMs} ms |
| write batches acknowledged | ${l.writes.batches.toLocaleString("en-US")} (${l.writes.perSecond}/s; p50 ${l.writes.p50Ms} ms, p99 ${l.writes.p99Ms} ms) |
| retried across a restart (counted apart) | reads: ${l.reads.retried} (slowest ${l.reads.retriedMaxMs} ms); write batches: ${l.writes.retried} |
| failed requests, wrong answers, lost writes | ${l.checks.failedReads + l.checks.failedWrites}, ${l.checks.wrongAnswers}, ${l.checks.lostWrites} |
| verdict | ${l.ok ? "ok: no failure, every acknowledged write kept" : `**FAILED**: ${failed.join(", ")}`} |

`;
}
