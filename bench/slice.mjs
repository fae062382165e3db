// Per-user slices over a multi-tenant store: time to take, size, time to load in a fresh
// engine. `npm run build` first. Usage: node bench/slice.mjs [tenants=1000]
import { readFileSync } from "node:fs";
import { loadEngine } from "../dist/entry/node.js";
import { decodeSlice } from "../dist/slice/index.js";

const TENANTS = Number(process.argv[2] ?? 1000);
// the policy of test/unit/slice-minimal.test.ts (org → repo → issue, a `not` on bans)
const POLICY = readFileSync(new URL("../test/fixtures/tenants.polar", import.meta.url), "utf8");

const server = await loadEngine();
server.policy(POLICY);
const facts = [];
for (let t = 0; t < TENANTS; t++) {
  const org = { type: "Org", id: `o${t}` };
  for (let u = 0; u < 10; u++) facts.push(["has_role", { type: "User", id: `u${t}_${u}` }, u === 0 ? "admin" : "member", org]);
  for (let r = 0; r < 20; r++) {
    const repo = { type: "Repo", id: `r${t}_${r}` };
    facts.push(["has_relation", repo, "org", org]);
    facts.push(["has_role", { type: "User", id: `u${t}_${r % 10}` }, "maintainer", repo]);
    for (let i = 0; i < 5; i++) facts.push(["has_relation", { type: "Issue", id: `i${t}_${r}_${i}` }, "repo", repo]);
  }
}
server.insertMany(facts);

const actors = Array.from({ length: 50 }, (_, k) => ({ type: "User", id: `u${(k * 37) % TENANTS}_${k % 10}` }));
let takeMs = 0, loadMs = 0, bytes = 0, bare = 0, sliceFacts = 0;
let slice;
for (const a of actors) {
  const t0 = performance.now();
  slice = server.slice(a);
  takeMs += performance.now() - t0;
  bytes += slice.length;
  sliceFacts += decodeSlice(slice).facts.length;
  bare += server.slice(a, { includePolicy: false }).length;
  const t1 = performance.now();
  const browser = await loadEngine({ slice });
  loadMs += performance.now() - t1;
  if (browser.list(a, "read", "Issue").length !== server.list(a, "read", "Issue").length) throw new Error("slice differs");
}
const n = actors.length;
console.log(JSON.stringify({
  storeFacts: server.factCount,
  sliceFacts: Math.round(sliceFacts / n),
  sliceMs: +(takeMs / n).toFixed(2),
  loadEngineWithSliceMs: +(loadMs / n).toFixed(2),
  bytesWithPolicy: Math.round(bytes / n),
  bytesWithoutPolicy: Math.round(bare / n),
}));
