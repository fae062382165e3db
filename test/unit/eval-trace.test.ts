// Fact tracing (traceBegin/traceEnd, docs/abi.md): the trace of a question is exactly the set of
// stored facts its probes matched.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Fact } from "../../bindings/api/types.js";
import type { Interner } from "../../bindings/engine/intern.js";
import type { Core } from "../../bindings/engine/memory.js";
import type { WasmEngine } from "../../bindings/engine/wasm-engine.js";
import { newEngine } from "./wasm-helpers.js";

const POLICY = readFileSync(new URL("../fixtures/org-admin-repos.polar", import.meta.url), "utf8");
const U = (id: string) => ({ type: "User", id });
const O = (id: string) => ({ type: "Org", id });
const R = (id: string) => ({ type: "Repo", id });

/** The facts the core traced while `f` ran, as sorted strings `pred(type:id, ...)`. */
function traced(e: WasmEngine, f: () => void): string[] {
  const inner = (e as unknown as { st: { core: Core; rels: { pred: string; arity: number }[]; interner: Interner } }).st;
  inner.core.x.traceBegin();
  f();
  const n = inner.core.x.traceEnd() >>> 0;
  const w = inner.core.u32();
  let p = inner.core.out();
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const rel = inner.rels[w[p]!]!;
    const args = Array.from(w.subarray(p + 1, p + 1 + rel.arity), (v) => {
      const t = inner.interner.decodeValue(v);
      return `${t.type}:${t.id}`;
    });
    out.push(`${rel.pred}(${args.join(", ")})`);
    p += rel.arity + 1;
  }
  return out.sort();
}

function twoOrgs(): WasmEngine {
  const e = newEngine();
  e.policy(POLICY);
  const facts: Fact[] = [
    ["has_role", U("alice"), "admin", O("acme")],
    ["has_role", U("bob"), "member", O("globex")],
    ["has_relation", R("anvil"), "parent", O("acme")],
    ["has_relation", R("bolt"), "parent", O("globex")],
  ];
  e.insertMany(facts);
  return e;
}

describe("fact tracing", () => {
  it("records exactly the facts one user's question matched", () => {
    const e = twoOrgs();
    expect(traced(e, () => expect(e.authorize(U("alice"), "read", R("anvil"))).toBe(true))).toEqual([
      "has_relation(Repo:anvil, String:parent, Org:acme)",
      "has_role(User:alice, String:admin, Org:acme)",
    ]);
    expect(traced(e, () => expect(e.authorize(U("bob"), "read", R("bolt"))).toBe(true))).toEqual([
      "has_relation(Repo:bolt, String:parent, Org:globex)",
      "has_role(User:bob, String:member, Org:globex)",
    ]);
  });

  it("records each fact once across several questions and nothing after traceEnd", () => {
    const e = twoOrgs();
    const t = traced(e, () => {
      e.authorize(U("alice"), "read", R("anvil"));
      e.authorize(U("alice"), "read", R("anvil"));
      expect(e.list(U("alice"), "read", "Repo")).toEqual(["anvil"]);
    });
    expect(t).toEqual(["has_relation(Repo:anvil, String:parent, Org:acme)", "has_role(User:alice, String:admin, Org:acme)"]);
    e.authorize(U("bob"), "read", R("bolt"));
    expect(traced(e, () => undefined)).toEqual([]);
  });

  it("records a denied question's probes", () => {
    const e = twoOrgs();
    // alice has no role on globex: only bolt's parent fact matched
    expect(traced(e, () => expect(e.authorize(U("alice"), "read", R("bolt"))).toBe(false))).toEqual([
      "has_relation(Repo:bolt, String:parent, Org:globex)",
    ]);
  });
});
