// Load test of `boreal serve` (issue 7), loopback only, bounded in requests and time.
// Starts the real server on a temporary store, loads the gitclub policy and facts, then forks a reader
// (concurrent authorize calls over keep-alive) and a writer (batches, each acknowledged write recorded
// with its OsoOffset; bench/load-worker.mjs). Midway it restarts the server: SIGTERM (drain), then
// SIGKILL. Afterwards: no request may have failed (attempts refused during a restart window are retried
// by the clients and counted apart), every answer matches an in-process engine, and every acknowledged
// write is read back with GET /facts. Writes bench/results/load.json (RESULTS.md renders it).
//
//   node bench/load.mjs [--scale=S] [--concurrency=8] [--reads=200000] [--duration=30] [--restarts=term,kill] [--out=file]
// Exit code 0 when every check holds, 1 otherwise.
import { fork, spawn, execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { POLAR, generate, SCALES } from "./workloads/gitclub.mjs";
import { latencySummary } from "./lib/stats.mjs";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, "..");
const BIN = path.join(ROOT, "bin", "boreal.js");
const KEY = "load-test-key";
const arg = (name, dflt) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? dflt;
const cfg = {
  scale: arg("scale", "S"),
  concurrency: Number(arg("concurrency", "8")),
  reads: Number(arg("reads", "200000")),
  durationMs: Number(arg("duration", "30")) * 1000,
  restarts: arg("restarts", "term,kill").split(",").filter((x) => x !== ""),
  batchFacts: 10,
};
const outFile = arg("out", path.join(HERE, "results", "load.json"));
if (!SCALES[cfg.scale] || cfg.durationMs > 60_000 || cfg.restarts.some((r) => r !== "term" && r !== "kill")) {
  console.error("usage: node bench/load.mjs [--scale=XS|S|M] [--concurrency=N] [--reads=N] [--duration=S ≤ 60] [--restarts=term,kill] [--out=file]");
  process.exit(2);
}
// a restart window ends this long after the new server is listening (attempts already under way)
const WINDOW_GRACE_MS = 500;

function startServer(dir, port) {
  const child = spawn(process.execPath, [BIN, "serve", "--port", String(port), "--data", dir], {
    cwd: ROOT, env: { ...process.env, BOREAL_API_KEYS: KEY }, stdio: ["ignore", "ignore", "pipe"],
  });
  let tail = "";
  let lines = 0;
  let listening = false;
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  return new Promise((resolve, reject) => {
    child.stderr.setEncoding("utf8").on("data", (s) => {
      lines += s.split("\n").length - 1;
      tail = (tail + s).slice(-4000);
      const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(tail);
      if (m && !listening) {
        listening = true;
        resolve({ child, port: Number(m[1]), exited, tail: () => tail, lines: () => lines });
      }
    });
    void exited.then((e) => { if (!listening) reject(new Error(`the server exited (${e.code ?? e.signal}): ${tail}`)); });
  });
}

async function api(port, method, p, body) {
  const res = await fetch(`http://127.0.0.1:${port}/api${p}`, { method, headers: { Authorization: `Bearer ${KEY}`, "Content-Type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${method} ${p}: ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text);
}

const wire = (f) => ({ predicate: f[0], args: f.slice(1).map((a) => (typeof a === "string" ? { type: "String", id: a } : a)) });

function worker(spec) {
  const child = fork(path.join(HERE, "load-worker.mjs"), [JSON.stringify(spec)], { cwd: ROOT, stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const w = { child, progress: 0 };
  w.ready = new Promise((resolve) => child.on("message", (m) => { if (m.ready) resolve(); }));
  w.done = new Promise((resolve, reject) => {
    child.on("message", (m) => {
      if (m.progress !== undefined) w.progress = m.progress;
      if (m.done) resolve(m.done);
    });
    child.once("exit", (code) => reject(new Error(`the ${spec.role} exited (${code}) without results`)));
  });
  return w;
}

function machine() {
  let cpu = "unknown", commit = null;
  try { cpu = readFileSync("/proc/cpuinfo", "utf8").match(/^model name\s*:\s*(.*)$/m)?.[1] ?? cpu; } catch { /* not Linux */ }
  try { commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT, encoding: "utf8" }).trim(); } catch { /* not a checkout */ }
  return { cpu, cores: os.cpus().length, ramGiB: +(os.totalmem() / 2 ** 30).toFixed(1), node: process.version, os: `${os.type()} ${os.release()}`, commit, loadavg: os.loadavg().map((x) => +x.toFixed(2)) };
}

const r1 = (x) => (x === null || x === undefined ? null : +x.toFixed(3));
const machineAtStart = machine();
const dir = mkdtempSync(path.join(os.tmpdir(), "boreal-load-"));
let server;
try {
  // setup: the store, the policy and the gitclub facts, through the server
  server = await startServer(dir, 0);
  const port = server.port;
  const w = generate(cfg.scale);
  const tLoad = performance.now();
  await api(port, "POST", "/policy", { filename: "gitclub.polar", src: POLAR });
  for (let i = 0; i < w.facts.length; i += 5000) await api(port, "POST", "/batch", [{ inserts: w.facts.slice(i, i + 5000).map(wire) }]);
  const loadMs = performance.now() - tLoad;

  const url = `http://127.0.0.1:${port}`;
  const reader = worker({ role: "reader", url, key: KEY, scale: cfg.scale, polar: POLAR, reads: cfg.reads, durationMs: cfg.durationMs, concurrency: cfg.concurrency, seed: 11 });
  const writer = worker({ role: "writer", url, key: KEY, repos: w.counts.repos, batchFacts: cfg.batchFacts, maxBatches: 1_000_000, pauseMs: 5, concurrency: 1 });
  await Promise.all([reader.ready, writer.ready]);
  const t0 = performance.now();
  let readerDone = false;
  void reader.done.then(() => (readerDone = true), () => (readerDone = true));

  // restarts at even fractions of the run (by reads or by time, whichever comes first)
  const windows = [];
  for (let k = 0; k < cfg.restarts.length; k++) {
    const f = (k + 1) / (cfg.restarts.length + 1);
    while (!readerDone && reader.progress < f * cfg.reads && performance.now() - t0 < f * cfg.durationMs) await new Promise((r) => setTimeout(r, 20));
    const kind = cfg.restarts[k];
    const from = Date.now();
    server.child.kill(kind === "term" ? "SIGTERM" : "SIGKILL");
    const exit = await server.exited;
    const exitedAt = Date.now();
    server = await startServer(dir, port);
    windows.push({ kind, from, to: Date.now(), downMs: Date.now() - from, drainMs: exitedAt - from, exit: exit.code ?? exit.signal, atRead: reader.progress });
  }
  const readOut = await reader.done;
  writer.child.send({ stop: true });
  const writeOut = await writer.done;
  const runMs = performance.now() - t0;

  // verification: no failures, retries only inside restart windows, every acknowledged write there
  const inWindow = (e) => windows.some((x) => e.at >= x.from && e.at <= x.to + WINDOW_GRACE_MS);
  const strayRetries = [...readOut.retryEvents, ...writeOut.retryEvents].filter((e) => !inWindow(e));
  const stored = new Set((await api(port, "GET", "/facts?predicate=has_role&args.0.type=User")).filter((f) => f.args[0].id.startsWith("w")).map((f) => `${f.args[0].id} ${f.args[2].id}`));
  const lost = writeOut.present.filter((k) => !stored.has(k));
  const resurrected = writeOut.absent.filter((k) => stored.has(k));
  server.child.kill("SIGTERM");
  const finalExit = await server.exited;
  server = undefined;

  const reads = latencySummary(readOut.latenciesMs.map((ms) => ms * 1e6));
  const writes = latencySummary(writeOut.latenciesMs.map((ms) => ms * 1e6));
  const checks = {
    failedReads: readOut.failed,
    wrongAnswers: readOut.wrong,
    failedWrites: writeOut.failed,
    readBackFailed: writeOut.readBackFailed,
    offsetRegressions: writeOut.offsetRegressions,
    retriesOutsideRestartWindows: strayRetries.length,
    lostWrites: lost.length,
    resurrectedDeletes: resurrected.length,
    unexpectedExits: windows.filter((x) => x.kind === "term" && x.exit !== 0).length + (finalExit.code === 0 ? 0 : 1),
  };
  const ok = Object.values(checks).every((v) => v === 0);
  const doc = {
    date: new Date().toISOString(),
    command: `node bench/load.mjs ${process.argv.slice(2).join(" ")}`.trim(),
    machine: { ...machineAtStart, loadavgEnd: os.loadavg().map((x) => +x.toFixed(2)) },
    config: { ...cfg, writerBatchPauseMs: 5, windowGraceMs: WINDOW_GRACE_MS },
    facts: w.facts.length,
    loadSeconds: r1(loadMs / 1000),
    runSeconds: r1(runMs / 1000),
    reads: {
      total: readOut.reads, perSecond: Math.round(readOut.reads / (readOut.wallMs / 1000)), allowed: readOut.allowed,
      firstTry: readOut.latenciesMs.length, retried: readOut.retried, retriedMaxMs: r1(Math.max(0, ...readOut.retriedMs)),
      p50Ms: r1(reads.p50 / 1000), p99Ms: r1(reads.p99 / 1000), maxMs: r1(reads.max / 1000),
    },
    writes: {
      batches: writeOut.batches, facts: writeOut.factsWritten, perSecond: +(writeOut.batches / (writeOut.wallMs / 1000)).toFixed(1), retried: writeOut.retried,
      p50Ms: r1(writes.p50 / 1000), p99Ms: r1(writes.p99 / 1000), lastOffset: writeOut.offsets.at(-1) ?? null,
      verified: { present: writeOut.present.length, absent: writeOut.absent.length },
    },
    restarts: windows.map(({ kind, downMs, drainMs, exit, atRead }) => ({ kind, downMs, drainMs, exit, atRead })),
    retryAttempts: readOut.retryEvents.length + writeOut.retryEvents.length,
    checks,
    ok,
    failures: [...readOut.failures, ...writeOut.failures, ...lost.slice(0, 5).map((k) => `lost: ${k}`), ...strayRetries.slice(0, 5).map((e) => `retry outside a restart window: ${e.what}`)],
  };
  mkdirSync(path.dirname(outFile), { recursive: true });
  writeFileSync(outFile, `${JSON.stringify(doc, null, 2)}\n`);
  console.log(`boreal serve load (gitclub ${cfg.scale}, ${doc.facts} facts, ${cfg.concurrency} in flight): ${doc.reads.total} authorize in ${doc.runSeconds} s = ${doc.reads.perSecond}/s, p50 ${doc.reads.p50Ms} ms, p99 ${doc.reads.p99Ms} ms; ${doc.writes.batches} write batches (${doc.writes.perSecond}/s); restarts ${windows.map((x) => `${x.kind} ${x.downMs} ms`).join(", ")}; ${doc.reads.retried + doc.writes.retried} requests retried across restarts`);
  console.log(`checks: ${JSON.stringify(checks)} -> ${ok ? "OK" : "FAILED"}`);
  if (!ok) console.log(doc.failures.join("\n"));
  process.exitCode = ok ? 0 : 1;
} finally {
  if (server) server.child.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
}
