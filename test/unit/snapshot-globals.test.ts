// Snapshots save the core's mutable globals through hand-written save/load lists (docs/abi.md,
// "Snapshots"). A global that is missing from its module's lists would silently not survive a
// restore, so every top-level `let` in assembly/ must appear in both.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = new URL("../../assembly/", import.meta.url).pathname;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) return n === "__tests__" ? [] : sources(p);
    return p.endsWith(".ts") ? [p] : [];
  });
}

describe("snapshot globals", () => {
  const files = sources(root).map((p) => ({ p, src: readFileSync(p, "utf8") }));
  const withGlobals = files.filter((f) => /^(export )?let /m.test(f.src));
  it("finds the modules with mutable globals", () => {
    expect(withGlobals.length).toBeGreaterThanOrEqual(4);
  });
  it.each(withGlobals.map((f) => [f.p.slice(root.length), f.src]))("%s saves and loads every global", (_name, src) => {
    const globals = [...src.matchAll(/^(?:export )?let (\w+)/gm)].map((m) => m[1]!);
    const save = src.slice(src.search(/function save\w*Globals/));
    const load = src.slice(src.search(/function load\w*Globals/));
    expect(save.length).toBeLessThan(src.length);
    for (const g of globals) {
      expect(save, `global \`${g}\` is not saved`).toMatch(new RegExp(`<u32>${g}\\)|\\b${g}\\b`));
      expect(load, `global \`${g}\` is not loaded`).toMatch(new RegExp(`\\b${g} = `));
    }
  });
});
