// `boreal authorize` from the command line over a gitclub store (issue 4: ≤ 1 s wall at about
// 1M facts). Builds the store with the real CLI (`policy`, then `import` of a JSON Lines file),
// then times whole `boreal authorize` processes: the first (loads every fact from SQLite and
// saves a snapshot) and several warm ones (restore the snapshot), next to a bare `node` start.
// Writes bench/results/cli.json, which bench/lib/report.mjs renders into RESULTS.md.
//
//   node bench/cli.mjs [--scale=L] [--runs=5]
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync, createWriteStream } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { POLAR, generate, requests } from "./workloads/gitclub.mjs";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const BIN = path.join(HERE, "..", "bin", "boreal.js");
const arg = (name, dflt) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? dflt;
const scale = arg("scale", "L");
const runs = Number(arg("runs", "5"));

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const cliValue = (v) => `${v.type}:${v.id}`;

function timed(args, env = {}) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { encoding: "utf8", env: { ...process.env, NO_COLOR: "1", ...env } });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  return { ms, status: r.status, stdout: r.stdout.trim(), stderr: r.stderr.trim() };
}

function boreal(data, ...args) {
  const r = timed([BIN, "--data", data, ...args], { BOREAL_DEBUG_LOAD: "1" });
  if (r.status !== 0 && r.status !== 3) throw new Error(`boreal ${args.join(" ")} failed (${r.status}): ${r.stderr}`);
  return r;
}

const dir = mkdtempSync(path.join(tmpdir(), "boreal-bench-cli-"));
try {
  const w = generate(scale);
  const policyFile = path.join(dir, "policy.polar");
  writeFileSync(policyFile, POLAR);
  const factsFile = path.join(dir, "facts.jsonl");
  await new Promise((resolve, reject) => {
    const out = createWriteStream(factsFile);
    out.on("error", reject).on("finish", resolve);
    for (const f of w.facts) out.write(`${JSON.stringify(f)}\n`);
    out.end();
  });
  const data = path.join(dir, "store");
  mkdirSync(data);
  boreal(data, "policy", policyFile);
  const imported = boreal(data, "import", factsFile);
  const [req] = requests(w, 1, 7);
  const check = [cliValue(req.actor), req.action, cliValue(req.resource)];
  const node = median(Array.from({ length: runs }, () => timed(["-e", ""]).ms));
  const cold = boreal(data, "authorize", ...check);
  const warm = Array.from({ length: runs }, () => boreal(data, "authorize", ...check));
  if (!/snapshot saved/.test(cold.stderr) || !warm.every((r) => /loaded from snapshot/.test(r.stderr))) {
    throw new Error(`unexpected load paths: cold: ${cold.stderr}; warm: ${warm.map((r) => r.stderr).join(" | ")}`);
  }
  if (new Set([cold.stdout, ...warm.map((r) => r.stdout)]).size !== 1) throw new Error("cold and warm answers differ");
  const result = {
    date: new Date().toISOString(),
    scale,
    facts: w.facts.length,
    check: check.join(" "),
    answer: cold.stdout,
    importMs: Math.round(imported.ms),
    nodeStartMs: Math.round(node),
    coldMs: Math.round(cold.ms),
    warmMs: warm.map((r) => Math.round(r.ms)),
    warmMedianMs: Math.round(median(warm.map((r) => r.ms))),
    storeBytes: statSync(path.join(data, "boreal.db")).size,
  };
  mkdirSync(path.join(HERE, "results"), { recursive: true });
  writeFileSync(path.join(HERE, "results", scale === "L" ? "cli.json" : `cli-${scale}.json`), `${JSON.stringify(result, null, 2)}\n`);
  console.log(`boreal authorize over ${result.facts.toLocaleString("en-US")} facts: cold ${result.coldMs} ms, warm median ${result.warmMedianMs} ms (node start ${result.nodeStartMs} ms); answer ${result.answer}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
