// Plan shapes the evaluator relies on for recursion cost (docs/engine.md, "Known argument types").
import { describe, expect, it } from "vitest";
import type { Plan } from "../../bindings/compile/plan.js";
import { newEngine } from "./wasm-helpers.js";

const FOLDERS = `
actor User {}
resource Folder {
  roles = ["viewer", "editor"];
  permissions = ["read"];
  relations = { parent: Folder };
  "viewer" if "editor";
  "viewer" if "viewer" on "parent";
  "editor" if "editor" on "parent";
  "read" if "viewer";
}
`;

describe("plans", () => {
  it("a recursive call does not re-check the types its caller checked", () => {
    const e = newEngine();
    e.policy(FOLDERS);
    expect(e.authorize({ type: "User", id: "u" }, "read", { type: "Folder", id: "f" })).toBe(false);
    const plans = (e as unknown as { loaded: { planner: { all: readonly Plan[] } } }).loaded.planner.all;
    const recursive = plans.filter((p) => p.pred === "has_role/3" && p.mask === 0b111).flatMap((p) => p.rules.filter((r) => r.steps.some((s) => s.op === "probe" && s.outs.length > 0)));
    expect(recursive.length).toBeGreaterThan(0);
    for (const r of recursive) {
      // only the parent found by the probe is checked (its type is not known before)
      const isas = r.steps.filter((s) => s.op === "isa");
      expect(isas).toHaveLength(1);
      const probeAt = r.steps.findIndex((s) => s.op === "probe");
      expect(r.steps.indexOf(isas[0]!)).toBeGreaterThan(probeAt);
    }
  });
});
