// One measurement process: one (peer, workload, scale, repetition). Spawned by run.mjs with
//   node --expose-gc --no-turbo-inline-js-wasm-calls bench/child.mjs '<json spec>'
// It writes its result as JSON to spec.out (never to stdout, which peers may pollute).
import { writeFileSync } from "node:fs";
import { installWasmMemoryHook, gc, snapshot, peakRss } from "./lib/memory.mjs";
installWasmMemoryHook();
import { buildWorkload } from "./workloads/index.mjs";
import { loadPeer } from "./peers/index.mjs";
import { latencySummary, percentile } from "./lib/stats.mjs";
import { actionsPrint, idSetPrint } from "./lib/hash.mjs";

const spec = JSON.parse(process.argv[2]);
const { peer: peerName, workload: wlName, scale, sizes, caps } = spec;
const hr = process.hrtime.bigint;
const result = { peer: peerName, workload: wlName, scale, rep: spec.rep, status: "ok", notes: [], phaseMs: [] };

function write() {
  result.peakRss ??= peakRss();
  writeFileSync(spec.out, JSON.stringify(result));
}

function timerOverhead() {
  const ns = new Float64Array(20000);
  for (let k = 0; k < ns.length; k++) { const t0 = hr(); ns[k] = Number(hr() - t0); }
  return latencySummary(ns).p50;
}

async function timerOverheadAsync() {
  const ns = new Float64Array(5000);
  const f = async () => true;
  for (let k = 0; k < ns.length; k++) { const t0 = hr(); await f(); ns[k] = Number(hr() - t0); }
  return latencySummary(ns).p50;
}

/** Time each call individually; stop at the cap. Returns { lat (ns), answers[], errors, capped }. */
async function measure(items, call, isSync, capMs, encode) {
  const n = items.length;
  const lat = new Float64Array(n);
  const answers = new Array(n);
  let errors = 0, done = 0, firstError;
  const tm = performance.now();
  const deadline = hr() + BigInt(Math.round(capMs * 1e6));
  for (let k = 0; k < n; k++) {
    const it = items[k];
    let ans, t0, t1;
    try {
      if (isSync) {
        t0 = hr();
        ans = call(it);
        t1 = hr();
      } else {
        t0 = hr();
        ans = await call(it);
        t1 = hr();
      }
      answers[k] = encode(ans);
    } catch (e) {
      t1 = hr();
      errors++;
      firstError ??= String(e && e.message ? e.message : e).slice(0, 300);
      answers[k] = "E";
    }
    lat[k] = Number(t1 - t0);
    done = k + 1;
    if (t1 > deadline) break;
  }
  result.phaseMs.push(["measure", Math.round(performance.now() - tm)]);
  return { lat: lat.subarray(0, done), answers: answers.slice(0, done), errors, firstError, capped: done < n };
}

/**
 * Warm up: run `items` once, then keep cycling through them until `minMs` have passed (V8
 * compiles hot JS and Wasm functions with its optimising tier on background threads, which a
 * busy 2-core machine can delay by seconds), stopping at `capMs`. The first pass is timed per
 * call: its p50 is what a process sees right after start-up (reported beside the steady state).
 */
async function warm(items, call, isSync, capMs, minMs = 0) {
  const tw = performance.now();
  const deadline = hr() + BigInt(Math.round(capMs * 1e6));
  const until = hr() + BigInt(Math.round(minMs * 1e6));
  const first = new Float64Array(items.length);
  let k = 0;
  for (let pass = 0; items.length > 0; pass++) {
    let over = false;
    for (const it of items) {
      const t0 = hr();
      try { if (isSync) call(it); else await call(it); } catch { /* counted in the measured phase */ }
      const t1 = hr();
      if (pass === 0) first[k] = Number(t1 - t0);
      k++;
      if (t1 > deadline) { over = true; break; }
    }
    if (over || hr() >= until) break;
  }
  result.phaseMs.push(["warmup", Math.round(performance.now() - tw)]);
  const timed = first.subarray(0, Math.min(k, items.length)).sort();
  return { calls: k, firstPassP50Us: timed.length ? timed[timed.length >> 1] / 1000 : null };
}

try {
  const peerMod = await loadPeer(peerName);
  const avail = peerMod.available ? await peerMod.available({ workload: wlName, scale }) : { ok: true };
  if (!avail.ok) {
    result.status = "unavailable";
    result.reason = avail.reason;
    write();
    process.exit(0);
  }
  result.description = peerMod.description;
  if (peerMod.knownInvalid?.[wlName]) result.knownInvalid = peerMod.knownInvalid[wlName];

  const tGen = performance.now();
  const w = buildWorkload(wlName, scale, sizes);
  result.facts = w.facts.length;
  result.counts = w.counts;
  result.genMs = performance.now() - tGen;

  result.timerOverheadUs = timerOverhead();

  gc();
  const before = snapshot();
  const t0 = performance.now();
  const peer = await peerMod.open({ family: w.family, polar: w.polar, workload: wlName, scale, params: w.params, callLimitMs: spec.callLimitMs });
  result.openMs = performance.now() - t0;
  // let background work from loading settle: V8 compiles big Wasm modules (oso's 2 MB, Cedar's
  // 4 MB; those peers export `settle = true`) on background threads, which would otherwise compete
  // with the ingest on 2 cores
  await new Promise((r) => setTimeout(r, peerMod.settle ? spec.settleMs ?? 1000 : 100));
  const isSync = peer.sync === true;
  result.sync = isSync;
  if (!isSync) result.timerOverheadAsyncUs = await timerOverheadAsync();

  // ---- ingest
  const ti = hr();
  const ingestInfo = await peer.ingest(w.facts);
  const ingestNs = Number(hr() - ti);
  result.ingest = { ms: ingestNs / 1e6, factsPerSec: w.facts.length / (ingestNs / 1e9) };
  if (ingestInfo && typeof ingestInfo === "object") Object.assign(result.ingest, ingestInfo);
  gc();
  const after = snapshot();
  result.memory = {
    rssBefore: before.rss,
    rssAfterIngest: after.rss,
    rssDeltaIngest: after.rss - before.rss,
    heapDeltaIngest: after.heapUsed - before.heapUsed,
    externalDeltaIngest: after.external - before.external,
    wasmBytes: after.wasm,
    wasmDeltaIngest: after.wasm - before.wasm,
  };
  if (peer.memory) Object.assign(result.memory, peer.memory());
  if (peer.info) result.info = peer.info();

  // ---- checks
  const check = isSync ? (r) => peer.check(r.actor, r.action, r.resource) : (r) => peer.check(r.actor, r.action, r.resource);
  const enc01 = (b) => (b === true ? "1" : b === false ? "0" : "?");
  const wc = await warm(w.warmup, check, isSync, caps.warmupMs, caps.warmupMinMs ?? 0);
  result.warmupChecks = wc.calls;
  result.warmupCheckP50 = wc.firstPassP50Us;
  gc();
  const mc = await measure(w.checks, check, isSync, caps.checkMs, enc01);
  result.check = { ...latencySummary(mc.lat), requested: w.checks.length, capped: mc.capped, errors: mc.errors, firstError: mc.firstError };
  result.check.allowedPct = (100 * mc.answers.filter((a) => a === "1").length) / Math.max(1, mc.answers.length);
  result.answers = { checks: mc.answers.join("") };

  // batch mean (fast synchronous peers only): whole measured set in one timed loop
  if (isSync && result.check.p50 !== null && result.check.p50 < 50 && !mc.capped) {
    const reps = 3, means = [];
    for (let r = 0; r < reps; r++) {
      const tb = hr();
      for (const q of w.checks) peer.check(q.actor, q.action, q.resource);
      means.push(Number(hr() - tb) / w.checks.length / 1000);
    }
    result.check.batchMeanUs = Math.min(...means);
  }

  // optional handle-based check path (boreal, if the engine offers one)
  if (peer.prepareCheck && peer.checkPrepared) {
    const prepared = w.checks.map((r) => peer.prepareCheck(r.actor, r.action, r.resource));
    const mh = await measure(prepared, (p) => peer.checkPrepared(p), true, caps.checkMs, enc01);
    result.checkHandles = { ...latencySummary(mh.lat), errors: mh.errors };
    result.answers.checkHandles = mh.answers.join("");
  }

  // ---- actions
  if (peer.actions) {
    const act = (p) => peer.actions(p.actor, p.resource);
    const actSync = peer.actionsSync ?? isSync;
    await warm(w.actionWarmup, act, actSync, caps.warmupMs, (caps.warmupMinMs ?? 0) / 2);
    gc();
    const ma = await measure(w.actionPairs, act, actSync, caps.actionsMs, (a) => actionsPrint(a));
    result.actions = { ...latencySummary(ma.lat), requested: w.actionPairs.length, capped: ma.capped, errors: ma.errors, firstError: ma.firstError };
    result.answers.actions = ma.answers;
  }

  // ---- list
  if (peer.list && (!peer.canList || peer.canList(w.listType))) {
    const lst = (u) => peer.list(u, w.listAction, w.listType);
    const listSync = peer.listSync ?? isSync;
    await warm(w.listWarmup, lst, listSync, caps.warmupMs, (caps.warmupMinMs ?? 0) / 2);
    gc();
    let ids = 0;
    const perCall = [];
    const ml = await measure(w.listUsers, lst, listSync, caps.listMs, (a) => { ids += a.length; perCall.push(a.length); const p = idSetPrint(a); return `${p.n}:${p.h}${p.dup ? `:dup${p.dup}` : ""}`; });
    const sum = latencySummary(ml.lat);
    result.list = {
      ...sum,
      ms: sum.p50 === null ? null : sum.p50 / 1000,
      requested: w.listUsers.length, capped: ml.capped, errors: ml.errors, firstError: ml.firstError,
      meanIds: ids / Math.max(1, ml.answers.length),
      type: w.listType,
    };
    // ns per returned id: total time over total ids (and the p50 call's own ratio)
    let totalNs = 0;
    for (const x of ml.lat) totalNs += x;
    result.list.nsPerId = ids > 0 ? totalNs / ids : null;
    // per call: its time beyond 60 ns per id it returned (the list target's fixed part), µs
    const over = Array.from(ml.lat, (x, k) => (x - 60 * (perCall[k] ?? 0)) / 1000);
    result.list.overUsP50 = percentile(over, 50);
    result.answers.list = ml.answers;
  } else {
    result.list = null;
  }
  gc();
  result.memory.wasmBytesEnd = snapshot().wasm;
  // ---- restore from a snapshot (engines that have one): last, after the peak RSS is taken,
  // so that the restored copy does not count in the memory figures
  if (typeof peer.snapshotRestore === "function") {
    result.peakRss = peakRss();
    const { ms, bytes, restored } = await peer.snapshotRestore();
    // (the restored engine must answer like the original: the first measured check)
    const q = w.checks[0];
    const same = (await peer.check(q.actor, q.action, q.resource)) === restored.authorize(q.actor, q.action, q.resource);
    result.restore = { ms, bytes, factsPerSec: w.facts.length / (ms / 1000), same };
  }
  if (peer.extra) result.extra = await peer.extra();
  if (peer.close) await peer.close();
} catch (e) {
  result.status = "error";
  result.error = String(e && e.stack ? e.stack : e).slice(0, 2000);
}
write();
process.exit(0);
