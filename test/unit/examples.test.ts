// examples/ holds one directory per seed pattern; its policy and commands must stay exactly the
// conformance case's corrected policy and the seed's CLI lines (regenerate with
// `node scripts/gen-examples.mjs`).
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

interface Case {
  name: string;
  policy: string;
  seed_cli?: string[];
}

const casesDir = new URL("../conformance/cases/", import.meta.url);
const examplesDir = new URL("../../examples/", import.meta.url);
const cases = readdirSync(casesDir)
  .filter((f) => /^seed-\d+-.*\.json$/.test(f))
  .map((f) => JSON.parse(readFileSync(new URL(f, casesDir), "utf8")) as Case)
  .filter((c) => (c.seed_cli ?? []).length > 0);

describe("examples/", () => {
  it("has one directory per seed pattern with a CLI example", () => {
    const dirs = readdirSync(examplesDir, { withFileTypes: true }).filter((d) => d.isDirectory() && /^\d/.test(d.name)).map((d) => d.name).sort();
    expect(dirs).toEqual(cases.map((c) => c.name.replace(/^seed-/, "")).sort());
    expect(dirs).toHaveLength(10);
  });
  it.each(cases.map((c) => [c.name, c] as const))("%s: policy.polar and commands.sh match the case", (_name, c) => {
    const dir = new URL(`${c.name.replace(/^seed-/, "")}/`, examplesDir);
    expect(readFileSync(new URL("policy.polar", dir), "utf8")).toBe(c.policy);
    const commands = readFileSync(new URL("commands.sh", dir), "utf8")
      .split("\n")
      .filter((l) => l.startsWith("boreal "));
    expect(commands).toEqual((c.seed_cli ?? []).map((l) => l.replace(/^oso-cloud /, "boreal ")));
  });
});
