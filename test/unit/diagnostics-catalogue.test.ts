// Every diagnostic code in the source is documented in docs/diagnostics.md and exercised by a test.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

function files(dir: string, ext: RegExp): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p, ext) : ext.test(name) ? [p] : [];
  });
}

const root = new URL("../../", import.meta.url).pathname;
const codes = new Set(files(join(root, "bindings"), /\.ts$/).flatMap((f) => [...readFileSync(f, "utf8").matchAll(/"([EW]_[A-Z_]+)"/g)].map((m) => m[1]!)));
const doc = readFileSync(join(root, "docs/diagnostics.md"), "utf8");
const tests = files(join(root, "test"), /\.test\.ts$/)
  .filter((f) => !f.endsWith("diagnostics-catalogue.test.ts"))
  .map((f) => readFileSync(f, "utf8"))
  .join("\n");

describe("diagnostic codes", () => {
  it("are found in the source", () => {
    expect(codes.size).toBeGreaterThan(50);
  });
  it.each([...codes].sort())("%s is documented and tested", (code) => {
    expect(doc).toContain(`\`${code}\``);
    expect(tests).toContain(code);
  });
});
