// boreal: the Wasm engine, `loadEngine()` from dist/engine/index.js (built from bindings/engine/index.ts).
// Reported as "unavailable" (not a crash) while that file does not exist.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { engineAdapter } from "./engine-adapter.mjs";

export const name = "boreal";
export const description = "boreal Wasm engine via the public API: loadEngine(), policy(), batch(), authorize/actions/list with { type, id } values";
// BENCH_BOREAL_ENTRY=/path/to/index.js benchmarks another build (e.g. a baseline checkout)
export const ENTRY = process.env.BENCH_BOREAL_ENTRY
  ? new URL(`file://${process.env.BENCH_BOREAL_ENTRY.startsWith("/") ? "" : `${process.cwd()}/`}${process.env.BENCH_BOREAL_ENTRY}`)
  : new URL("../../dist/engine/index.js", import.meta.url);

export async function available() {
  if (!existsSync(fileURLToPath(ENTRY))) return { ok: false, reason: `${process.env.BENCH_BOREAL_ENTRY ?? "dist/engine/index.js"} not built yet` };
  return { ok: true };
}

export async function open({ polar }) {
  const { loadEngine } = await import(ENTRY.href);
  const engine = await loadEngine();
  const adapter = engineAdapter(engine, { polar, ingestWith: process.env.BENCH_BOREAL_INGEST ?? "batch" });
  // the other bulk path: a snapshot of the loaded engine (store and id tables as they are) restored into a new one
  adapter.snapshotRestore = async () => {
    const bytes = engine.snapshot();
    const t = process.hrtime.bigint();
    const restored = await loadEngine({ snapshot: bytes });
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    return { ms, bytes: bytes.length, restored };
  };
  return adapter;
}
