// A client process of bench/load.mjs (forked with an IPC channel; spec as argv[2], JSON).
//   reader: `concurrency` authorize calls in flight over keep-alive node:http, `reads` in all (or until
//           `durationMs`), each answer compared with the same check on an in-process engine.
//   writer: batches of inserts (and deletes of earlier batches), one at a time, until told to stop;
//           every acknowledged batch is recorded with its OsoOffset and read back at once (authorize).
// Both retry a request that meets the server restarting (connection refused/reset, 503) with backoff and
// record each such attempt's time, so the orchestrator can check it fell in a restart window.
// Results go back with process.send({ done: … }).
import http from "node:http";
import { generate, requests } from "./workloads/gitclub.mjs";

const spec = JSON.parse(process.argv[2]);
const url = new URL(spec.url);
const agent = new http.Agent({ keepAlive: true, maxSockets: spec.concurrency ?? 1 });
const RETRY_LIMIT_MS = 20_000;
const TRANSIENT = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT"]);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function send(method, path, body) {
  return new Promise((resolve, reject) => {
    const text = body === undefined ? undefined : JSON.stringify(body);
    const headers = { Authorization: `Bearer ${spec.key}`, Accept: "application/json" };
    if (text !== undefined) Object.assign(headers, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text) });
    const req = http.request({ host: url.hostname, port: url.port, path, method, agent, headers }, (res) => {
      let data = "";
      res.setEncoding("utf8").on("data", (c) => (data += c)).on("end", () => resolve({ status: res.statusCode, headers: res.headers, text: data }));
    });
    req.on("error", reject);
    req.end(text);
  });
}

/** One request, retried while the server restarts. Returns { res, attempts, ms } or { error }. */
async function call(method, path, body, retryEvents) {
  const t0 = performance.now();
  for (let attempt = 1; ; attempt++) {
    let transient;
    try {
      const res = await send(method, path, body);
      if (res.status !== 503) return { res, attempts: attempt, ms: performance.now() - t0 };
      transient = "503";
    } catch (e) {
      const code = e.code ?? (e.message === "socket hang up" ? "ECONNRESET" : undefined);
      if (!TRANSIENT.has(code)) return { error: `${code ?? ""} ${e.message}`.trim() };
      transient = code;
    }
    retryEvents.push({ at: Date.now(), what: transient });
    if (performance.now() - t0 > RETRY_LIMIT_MS) return { error: `still failing after ${RETRY_LIMIT_MS} ms (${transient})` };
    await sleep(Math.min(200, 10 * 2 ** Math.min(attempt, 5)));
  }
}

async function reader() {
  const w = generate(spec.scale);
  const reqs = requests(w, spec.reads, spec.seed);
  const { loadEngine } = await import(new URL("../dist/engine/index.js", import.meta.url).href);
  const engine = await loadEngine();
  engine.policy(spec.polar);
  engine.batch((tx) => { for (const f of w.facts) tx.insert(f); });
  const expected = reqs.map((r) => engine.authorize(r.actor, r.action, r.resource));
  const out = { reads: 0, allowed: 0, wrong: 0, failed: 0, failures: [], retried: 0, retryEvents: [], latenciesMs: [], retriedMs: [] };
  const deadline = performance.now() + spec.durationMs;
  process.send({ ready: true });
  let next = 0;
  const t0 = performance.now();
  const one = async (i) => {
    const r = reqs[i];
    const body = { actor_type: r.actor.type, actor_id: r.actor.id, action: r.action, resource_type: r.resource.type, resource_id: r.resource.id, context_facts: [] };
    const got = await call("POST", "/api/authorize", body, out.retryEvents);
    out.reads++;
    if (got.error !== undefined || got.res.status !== 200) {
      out.failed++;
      if (out.failures.length < 10) out.failures.push(got.error ?? `${got.res.status} ${got.res.text}`);
    } else {
      const allowed = JSON.parse(got.res.text).allowed;
      if (allowed) out.allowed++;
      if (allowed !== expected[i]) out.wrong++;
      if (got.attempts === 1) out.latenciesMs.push(got.ms);
      else { out.retried++; out.retriedMs.push(got.ms); }
    }
    if (out.reads % 100 === 0) process.send({ progress: out.reads });
  };
  await Promise.all(Array.from({ length: spec.concurrency }, async () => {
    while (next < reqs.length && performance.now() < deadline) await one(next++);
  }));
  out.wallMs = performance.now() - t0;
  return out;
}

async function writer() {
  const out = { batches: 0, factsWritten: 0, failed: 0, failures: [], retried: 0, retryEvents: [], latenciesMs: [], offsets: [], offsetRegressions: 0, readBackFailed: 0, present: [], absent: [] };
  let stop = false;
  process.on("message", (m) => { if (m.stop) stop = true; });
  const state = new Map(); // fact key -> present after the acknowledged writes
  const userFacts = (n) => Array.from({ length: spec.batchFacts }, (_, k) => ({ user: `w${n}`, repo: `r${(n * 7 + k) % spec.repos}` }));
  process.send({ ready: true });
  const t0 = performance.now();
  for (let n = 0; !stop && n < spec.maxBatches; n++) {
    const inserts = userFacts(n).map((f) => ({ predicate: "has_role", args: [{ type: "User", id: f.user }, { type: "String", id: "reader" }, { type: "Repo", id: f.repo }] }));
    const sets = [{ inserts }];
    const gone = n >= 3 && n % 4 === 0 ? n - 3 : -1; // every 4th batch deletes batch n-3 entirely
    if (gone >= 0) sets.push({ deletes: [{ predicate: "has_role", args: [{ type: "User", id: `w${gone}` }, null, null] }] });
    const got = await call("POST", "/api/batch", sets, out.retryEvents);
    if (got.error !== undefined || got.res.status !== 200) {
      out.failed++;
      if (out.failures.length < 10) out.failures.push(got.error ?? `${got.res.status} ${got.res.text}`);
      break; // the store's state is unknown from here on
    }
    out.batches++;
    out.factsWritten += inserts.length;
    if (got.attempts === 1) out.latenciesMs.push(got.ms);
    else out.retried++;
    const offset = Number(got.res.headers["osooffset"]);
    if (out.offsets.length > 0 && !(offset > out.offsets[out.offsets.length - 1])) out.offsetRegressions++;
    out.offsets.push(offset);
    for (const f of userFacts(n)) state.set(`${f.user} ${f.repo}`, true);
    if (gone >= 0) for (const f of userFacts(gone)) state.set(`${f.user} ${f.repo}`, false);
    // read your write: the acknowledged fact answers at once
    const f = userFacts(n)[0];
    const check = await call("POST", "/api/authorize", { actor_type: "User", actor_id: f.user, action: "read", resource_type: "Repo", resource_id: f.repo, context_facts: [] }, out.retryEvents);
    if (check.error !== undefined || check.res.status !== 200 || JSON.parse(check.res.text).allowed !== true) out.readBackFailed++;
    if (spec.pauseMs > 0) await sleep(spec.pauseMs);
  }
  out.wallMs = performance.now() - t0;
  for (const [k, v] of state) (v ? out.present : out.absent).push(k);
  return out;
}

const result = spec.role === "reader" ? await reader() : await writer();
process.send({ done: result }, () => {
  agent.destroy();
  process.exit(0);
});
