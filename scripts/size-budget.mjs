// The size budget (size-budget.json): the release core build/engine.wasm (raw bytes) and the
// browser entry bundled as users get it (esbuild, minified, gzip -9 of `import "boreal"` for the
// browser; engine.wasm not included). Prints the sizes; exits 1 when a limit is exceeded.
// `node scripts/size-budget.mjs [--json]` after `npm run build`.
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const root = new URL("../", import.meta.url);

export async function measure() {
  const wasm = readFileSync(new URL("build/engine.wasm", root));
  const result = await build({
    entryPoints: [new URL("dist/entry/browser.js", root).pathname],
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    write: false,
    logLevel: "silent",
  });
  const bundle = result.outputFiles[0].contents;
  return { engineWasmBytes: wasm.length, browserBundleGzipBytes: gzipSync(bundle, { level: 9 }).length, browserBundleBytes: bundle.length };
}

export async function check() {
  const limits = JSON.parse(readFileSync(new URL("size-budget.json", root), "utf8"));
  const sizes = await measure();
  const rows = ["engineWasmBytes", "browserBundleGzipBytes"].map((k) => ({ name: k, size: sizes[k], limit: limits[k], ok: sizes[k] <= limits[k] }));
  return { sizes, rows, ok: rows.every((r) => r.ok) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { rows, ok } = await check();
  if (process.argv.includes("--json")) console.log(JSON.stringify(rows));
  else for (const r of rows) console.log(`${r.ok ? "ok  " : "OVER"} ${r.name}: ${r.size} B (limit ${r.limit} B, ${((100 * r.size) / r.limit).toFixed(1)}%)`);
  if (!ok) process.exit(1);
}
