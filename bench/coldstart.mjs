// Cold start in a fresh process: import the peer's module and open it (engine + gitclub policy).
// For boreal, loadEngine() is timed on its own as well. Prints one JSON line.
import { installWasmMemoryHook } from "./lib/memory.mjs";
installWasmMemoryHook();
const name = process.argv[2];
const out = { peer: name };
const t0 = performance.now();
try {
  const { loadPeer } = await import("./peers/index.mjs");
  const { polarFor } = await import("./workloads/index.mjs");
  const polar = polarFor("gitclub");
  const mod = await loadPeer(name);
  const avail = mod.available ? await mod.available({ workload: "gitclub", scale: "XS" }) : { ok: true };
  if (!avail.ok) {
    out.status = "unavailable";
    out.reason = avail.reason;
  } else if (name === "boreal") {
    const t1 = performance.now();
    const engineMod = await import(mod.ENTRY.href);
    const t2 = performance.now();
    const engine = await engineMod.loadEngine();
    const t3 = performance.now();
    engine.policy(polar);
    const t4 = performance.now();
    Object.assign(out, { status: "ok", importMs: t2 - t1, loadEngineMs: t3 - t2, policyMs: t4 - t3, totalMs: t4 - t0 });
  } else {
    const t1 = performance.now();
    await mod.open({ family: "gitclub", polar, workload: "gitclub", scale: "XS", params: {} });
    const t2 = performance.now();
    Object.assign(out, { status: "ok", importMs: t1 - t0, openMs: t2 - t1, totalMs: t2 - t0 });
  }
} catch (e) {
  out.status = "error";
  out.error = String(e && e.stack ? e.stack : e).slice(0, 1000);
}
process.stdout.write(JSON.stringify(out) + "\n");
process.exit(0);
