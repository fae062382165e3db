// Evaluation limits (setLimits / loadEngine({ limits })): a question over its step or time budget
// throws E_EVAL_BUDGET and leaves the engine and its facts as they were.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { BorealError, FactError } from "../../bindings/api/errors.js";
import type { Fact } from "../../bindings/api/types.js";
import { loadEngine } from "../../bindings/engine/index.js";
import type { WasmEngine } from "../../bindings/engine/wasm-engine.js";
import { newEngine, wasmModule } from "./wasm-helpers.js";

const FOLDERS = readFileSync(new URL("../fixtures/folders.polar", import.meta.url), "utf8");
const U = (id: string) => ({ type: "User", id });
const F = (id: string) => ({ type: "Folder", id });

/** A chain of `depth` folders under F("0"), where U("root") is a viewer. */
function chain(e: WasmEngine, depth: number): void {
  e.policy(FOLDERS);
  const facts: Fact[] = [["has_role", U("root"), "viewer", F("0")]];
  for (let i = 1; i <= depth; i++) facts.push(["has_relation", F(String(i)), "parent", F(String(i - 1))]);
  e.insertMany(facts);
}

function thrown(f: () => unknown): BorealError {
  try {
    f();
  } catch (e) {
    if (e instanceof BorealError) return e;
    throw e;
  }
  throw new Error("expected an error");
}

describe("evaluation limits", () => {
  it("stops a deep recursive question at its step budget and stays usable", () => {
    const e = newEngine();
    chain(e, 2000);
    const before = e.factCount;
    e.setLimits({ evalSteps: 1000 });
    const err = thrown(() => e.authorize(U("root"), "view", F("2000")));
    expect(err.code).toBe("E_EVAL_BUDGET");
    expect(err.message).toBe("evaluation exceeded its budget of 1000 steps");
    expect(err.help).toBe("raise the limit with setLimits({ evalSteps }) or simplify the policy");
    expect(thrown(() => e.list(U("root"), "view", "Folder")).code).toBe("E_EVAL_BUDGET");
    // a short question fits the budget
    expect(e.authorize(U("root"), "view", F("1"))).toBe(true);
    e.setLimits({});
    expect(e.authorize(U("root"), "view", F("2000"))).toBe(true);
    expect(e.authorize(U("other"), "view", F("2000"))).toBe(false);
    expect(e.list(U("root"), "view", "Folder")).toHaveLength(2001);
    expect(e.factCount).toBe(before);
  });

  it("counts the rows a probe's tail emits as steps, and resumes a tail split by the budget check", () => {
    // list over one wide probe: `reader` rows of one user, each emitted straight from the probe
    const e = newEngine();
    e.policy(`actor User {}\nresource Doc { permissions = ["read"]; roles = ["reader"]; "read" if "reader"; }\nallow(a: Actor, x: String, r: Resource) if has_permission(a, x, r);`);
    const n = 5000;
    const facts: Fact[] = [];
    for (let i = 0; i < n; i++) facts.push(["has_role", U("u"), "reader", { type: "Doc", id: `d${String(i).padStart(5, "0")}` }]);
    e.insertMany(facts);
    const expected = facts.map((f) => (f[3] as { id: string }).id);
    // a budget below the row count stops the tail
    e.setLimits({ evalSteps: 3000 });
    expect(thrown(() => e.list(U("u"), "read", "Doc")).code).toBe("E_EVAL_BUDGET");
    // a budget above it: the tail runs in chunks of at most 1024 steps (each chunk a budget
    // check), resumed at the next row: every answer exactly once
    e.setLimits({ evalSteps: 100_000 });
    expect(e.list(U("u"), "read", "Doc")).toEqual(expected);
    e.setLimits({ evalTimeMs: 60_000 });
    expect(e.list(U("u"), "read", "Doc")).toEqual(expected);
    e.setLimits({});
    expect(e.list(U("u"), "read", "Doc")).toEqual(expected);
  });

  it("removes context facts after a question over budget", () => {
    const e = newEngine();
    chain(e, 2000);
    e.setLimits({ evalSteps: 500 });
    const ctx: Fact[] = [["has_role", U("guest"), "viewer", F("0")]];
    expect(thrown(() => e.authorize(U("guest"), "view", F("2000"), ctx)).code).toBe("E_EVAL_BUDGET");
    e.setLimits({ evalSteps: 0 });
    expect(e.authorize(U("guest"), "view", F("2000"))).toBe(false);
    expect(e.authorize(U("guest"), "view", F("2000"), ctx)).toBe(true);
    expect(e.get(["has_role", U("guest"), null, null])).toEqual([]);
  });

  it("stops a question at its time budget", async () => {
    const e = await loadEngine({ wasm: wasmModule, limits: { evalTimeMs: 0.001 } });
    chain(e, 5000);
    const err = thrown(() => e.list(U("root"), "view", "Folder"));
    expect(err.code).toBe("E_EVAL_BUDGET");
    expect(err.message).toBe("evaluation exceeded its time budget of 0.001 ms");
    expect(err.help).toBe("raise the limit with setLimits({ evalTimeMs }) or simplify the policy");
    e.setLimits({ evalTimeMs: 0 });
    expect(e.list(U("root"), "view", "Folder")).toHaveLength(5001);
  });

  it("keeps the engine's limits across a snapshot restore", async () => {
    const e = newEngine();
    chain(e, 2000);
    e.setLimits({ evalSteps: 1000 });
    const restored = await loadEngine({ wasm: wasmModule, snapshot: e.snapshot() });
    expect(restored.authorize(U("root"), "view", F("2000"))).toBe(true);
    const limited = await loadEngine({ wasm: wasmModule, snapshot: e.snapshot(), limits: { evalSteps: 1000 } });
    expect(thrown(() => limited.authorize(U("root"), "view", F("2000"))).code).toBe("E_EVAL_BUDGET");
  });

  it("refuses limits that are not non-negative finite numbers", () => {
    const e = newEngine();
    for (const bad of [{ evalSteps: -1 }, { evalTimeMs: Number.NaN }, { evalTimeMs: Infinity }, { evalSteps: "5" }]) {
      const err = thrown(() => e.setLimits(bad as never));
      expect(err).toBeInstanceOf(FactError);
      expect(err.code).toBe("E_BAD_LIMIT");
    }
    expect(thrown(() => e.setLimits({ evalSteps: -1 })).message).toBe("the limit `evalSteps` must be a non-negative finite number, got `-1`");
    expect(thrown(() => e.setLimits(null as never)).code).toBe("E_BAD_LIMIT");
  });
});
