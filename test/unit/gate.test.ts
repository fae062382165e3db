// gate(engine, actor): exact answers from a real engine, memoised per (action, resource)
// until refresh() or loadSlice(); errors are thrown and never memoised; over a slice engine the
// answers are the server's.
import { describe, expect, it } from "vitest";
import type { Fact, Value } from "../../bindings/api/types.js";
import { gate, type GateEngine } from "../../bindings/gate/index.js";
import { FactError } from "../../bindings/api/errors.js";
import { loadEngine } from "../../bindings/engine/load.js";
import { newEngine, wasmModule } from "./wasm-helpers.js";

const POLICY = `actor User {}
resource Repo {
  roles = ["reader", "admin"];
  permissions = ["read", "delete"];
  "reader" if "admin";
  "read" if "reader";
  "delete" if "admin";
}
resource Issue {
  permissions = ["read", "close", "delete"];
  relations = { parent: Repo, creator: User };
  "read" if "read" on "parent";
  "close" if "creator";
  "delete" if "delete" on "parent";
}`;

const user = (id: string): Value => ({ type: "User", id });
const repo = { type: "Repo", id: "anvil" } as const;
const bug = { type: "Issue", id: "1" } as const;
const FACTS: Fact[] = [
  ["has_role", user("alice"), "admin", repo],
  ["has_role", user("bob"), "reader", repo],
  ["has_relation", bug, "parent", repo],
  ["has_relation", bug, "creator", user("bob")],
];

function engine() {
  const e = newEngine();
  e.policy(POLICY);
  for (const f of FACTS) e.insert(f);
  return e;
}

/** Counts the engine calls a gate makes. */
function counting(inner: GateEngine): GateEngine & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    authorize(actor, action, resource) {
      calls.push(`authorize ${action}`);
      return inner.authorize(actor, action, resource);
    },
    actions(actor, resource) {
      calls.push("actions");
      return inner.actions(actor, resource);
    },
  };
}

describe("gate", () => {
  it("answers can, cannot and actions exactly as the engine does", () => {
    const e = engine();
    const alice = gate(e, user("alice"));
    const bob = gate(e, user("bob"));
    const carol = gate(e, user("carol"));
    expect([alice.can("delete", bug), alice.can("close", bug), alice.can("read", bug)]).toEqual([true, false, true]);
    expect([bob.can("delete", bug), bob.can("close", bug), bob.can("read", bug)]).toEqual([false, true, true]);
    expect([carol.can("read", bug), carol.cannot("read", bug), bob.cannot("delete", bug)]).toEqual([false, true, true]);
    expect([...alice.actions(bug)]).toEqual(["delete", "read"]);
    expect([...bob.actions(bug)]).toEqual(["close", "read"]);
    expect([...carol.actions(bug)]).toEqual([]);
    expect([...alice.actions(repo)]).toEqual(["delete", "read"]);
    expect(bob.actions(repo).has("delete")).toBe(false);
    expect(alice.actor).toEqual(user("alice"));
  });

  it("asks the engine once per (action, resource) and once per resource for actions", () => {
    const e = counting(engine());
    const g = gate(e, user("alice"));
    for (let i = 0; i < 3; i++) {
      g.can("delete", bug);
      g.cannot("delete", bug);
      g.can("delete", { type: "Issue", id: "1" }); // an equal value, a new object
      g.can("close", bug);
      g.actions(bug);
    }
    expect(e.calls).toEqual(["authorize delete", "authorize close", "actions"]);
    expect(g.actions(bug)).toBe(g.actions({ type: "Issue", id: "1" }));
  });

  it("keeps resources apart that differ only in type, id or primitive kind", () => {
    const e = counting({ authorize: (_a, _x, r) => JSON.stringify(r, (_k, v: unknown) => (typeof v === "bigint" ? `${v}n` : v)) === '{"type":"Issue","id":"1"}', actions: () => [] });
    const g = gate(e, user("alice"));
    expect(g.can("read", { type: "Issue", id: "1" })).toBe(true);
    expect(g.can("read", { type: "Repo", id: "1" })).toBe(false);
    expect(g.can("read", { type: "Issue", id: "10" })).toBe(false);
    expect(g.can("read", { type: "Issue1", id: "" })).toBe(false);
    expect(g.can("read", "1")).toBe(false);
    expect(g.can("read", 1)).toBe(false);
    expect(g.can("read", 1n)).toBe(false); // the same Integer as 1: memoised, no call
    expect(g.can("read", true)).toBe(false);
    expect(e.calls).toHaveLength(7);
  });

  it("forgets its answers on refresh(), and sees the engine's new facts", () => {
    const e = engine();
    const g = gate(e, user("carol"));
    expect(g.can("read", bug)).toBe(false);
    const before = g.actions(bug);
    e.insert(["has_role", user("carol"), "admin", repo]);
    expect(g.can("read", bug)).toBe(false); // memoised until refresh
    g.refresh();
    expect(g.can("read", bug)).toBe(true);
    expect([...g.actions(bug)]).toEqual(["delete", "read"]);
    expect([...before]).toEqual([]);
  });

  it("throws the engine's errors and does not memoise them", () => {
    const e = counting(engine());
    const g = gate(e, user("alice"));
    let thrown: unknown;
    try {
      g.can("read", 1.5);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(FactError);
    expect((thrown as FactError).diagnostics.map((d) => d.code)).toEqual(["E_BAD_INTEGER"]);
    expect(() => g.can("read", 1.5)).toThrow(FactError);
    expect(() => g.actions({ type: "Issue", id: 1 as unknown as string })).toThrow(FactError);
    expect(() => g.actions({ type: "Issue", id: 1 as unknown as string })).toThrow(FactError);
    expect(e.calls).toEqual(["authorize read", "authorize read", "actions", "actions"]);
  });

  it("has loadSlice only over an engine that loads slices; it loads, then forgets", () => {
    const e = engine();
    const plain = gate({ authorize: e.authorize.bind(e), actions: e.actions.bind(e) }, user("alice"));
    expect("loadSlice" in plain).toBe(false);
    expect(typeof gate(e, user("alice")).loadSlice).toBe("function"); // the Wasm engine loads slices
    const loaded: Uint8Array[] = [];
    let allowed = false;
    const slices = {
      authorize: () => allowed,
      actions: () => (allowed ? ["read"] : []),
      loadSlice(bytes: Uint8Array) {
        loaded.push(bytes);
        allowed = bytes[0] === 1;
      },
    };
    const g = gate(slices, user("alice"));
    expect(g.can("read", bug)).toBe(false);
    expect(g.actions(bug).size).toBe(0);
    g.loadSlice(Uint8Array.of(1));
    expect(loaded).toEqual([Uint8Array.of(1)]);
    expect(g.can("read", bug)).toBe(true);
    expect([...g.actions(bug)]).toEqual(["read"]);
  });
});

describe("gate over a slice", () => {
  it("answers in a slice engine exactly as over the server's engine, and follows a new slice", async () => {
    const server = engine();
    server.insert(["has_role", user("carol"), "reader", { type: "Repo", id: "other" }]);
    const browser = await loadEngine({ wasm: wasmModule, slice: server.slice(user("bob")) });
    const remote = gate(browser, user("bob"));
    const local = gate(server, user("bob"));
    for (const r of [bug, repo, { type: "Repo", id: "other" }] as const) {
      for (const a of ["read", "close", "delete"]) expect([a, r.id, remote.can(a, r)]).toEqual([a, r.id, local.can(a, r)]);
      expect([...remote.actions(r)]).toEqual([...local.actions(r)]);
    }
    expect([...remote.actions(bug)]).toEqual(["close", "read"]);
    // A write on the server: bob becomes admin. The old answers stay until the new slice is loaded.
    server.insert(["has_role", user("bob"), "admin", repo]);
    expect(remote.can("delete", bug)).toBe(false);
    remote.loadSlice(server.slice(user("bob")));
    expect(remote.can("delete", bug)).toBe(true);
    expect([...remote.actions(bug)]).toEqual(["close", "delete", "read"]);
  });

  it("a gate for another actor than the slice's throws E_SLICE_ACTOR", async () => {
    const browser = await loadEngine({ wasm: wasmModule, slice: engine().slice(user("bob")) });
    const g = gate(browser, user("alice"));
    expect(() => g.can("read", bug)).toThrow(expect.objectContaining({ code: "E_SLICE_ACTOR" }));
    expect(() => g.actions(bug)).toThrow(expect.objectContaining({ code: "E_SLICE_ACTOR" }));
  });
});
