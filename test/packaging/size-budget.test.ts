// The committed size budget (size-budget.json) for the release core and the gzipped browser bundle.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { expect, it } from "vitest";

const root = new URL("../../", import.meta.url).pathname;

it("engine.wasm (release) and the gzipped browser bundle stay within size-budget.json", () => {
  let out: string;
  try {
    out = execFileSync(process.execPath, ["scripts/size-budget.mjs", "--json"], { cwd: root, encoding: "utf8", stdio: "pipe" });
  } catch (e) {
    const err = e as { status?: number; stdout?: string; stderr?: string };
    if (err.status !== 1 || !err.stdout) throw e;
    out = err.stdout;
  }
  const rows = JSON.parse(out) as { name: string; size: number; limit: number; ok: boolean }[];
  const limits = JSON.parse(readFileSync(`${root}size-budget.json`, "utf8")) as Record<string, unknown>;
  expect(rows.map((r) => r.name).sort()).toEqual(["browserBundleGzipBytes", "engineWasmBytes"]);
  for (const r of rows) {
    expect(r.limit).toBe(limits[r.name]);
    expect(r.size, `${r.name}: ${r.size} B exceeds the committed limit of ${r.limit} B (size-budget.json)`).toBeLessThanOrEqual(r.limit);
    expect(r.size).toBeGreaterThan(0);
  }
});
