import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { FactError, PolarError } from "../../bindings/api/errors.js";
import type { Fact } from "../../bindings/api/types.js";
import { loadEngine, loadModule, WasmEngine } from "../../bindings/engine/index.js";
import { newEngine, wasmModule } from "./wasm-helpers.js";

const WASM_URL = new URL("../../build/engine.wasm", import.meta.url);

const GITCLUB = `
actor User {}
resource Org {
  roles = ["member", "owner"];
  permissions = ["read", "create_repo"];
  "member" if "owner";
  "read" if "member";
  "create_repo" if "owner";
}
resource Repo {
  roles = ["reader", "maintainer"];
  permissions = ["read", "push"];
  relations = { parent: Org };
  "reader" if "member" on "parent";
  "maintainer" if "owner" on "parent";
  "reader" if "maintainer";
  "read" if "reader";
  "push" if "maintainer";
}
resource Issue {
  permissions = ["read", "close"];
  relations = { parent: Repo };
  "read" if "read" on "parent";
  "close" if "push" on "parent";
}
`;

const FOLDERS = readFileSync(new URL("../fixtures/folders.polar", import.meta.url), "utf8");

const U = (id: string) => ({ type: "User", id });
const O = (id: string) => ({ type: "Org", id });
const R = (id: string) => ({ type: "Repo", id });
const I = (id: string) => ({ type: "Issue", id });
const F = (id: string) => ({ type: "Folder", id });

function err(f: () => unknown): FactError | PolarError {
  try {
    f();
  } catch (e) {
    if (e instanceof FactError || e instanceof PolarError) return e;
    throw e;
  }
  throw new Error("expected an error");
}

function gitclub(): WasmEngine {
  const e = newEngine();
  e.policy(GITCLUB);
  e.batch((tx) => {
    tx.insert(["has_role", U("alice"), "owner", O("acme")]);
    tx.insert(["has_role", U("bob"), "reader", R("anvil")]);
    tx.insert(["has_relation", R("anvil"), "parent", O("acme")]);
    tx.insert(["has_relation", R("bolt"), "parent", O("acme")]);
    tx.insert(["has_relation", I("1"), "parent", R("anvil")]);
    tx.insert(["has_relation", I("2"), "parent", R("bolt")]);
  });
  return e;
}

describe("loadEngine", () => {
  it("finds engine.wasm by itself and caches the module", async () => {
    const a = await loadEngine();
    const b = await loadEngine();
    expect(a).toBeInstanceOf(WasmEngine);
    expect(await loadModule()).toBe(await loadModule());
    a.policy(GITCLUB);
    expect(a.authorize(U("x"), "read", I("1"))).toBe(false);
    expect(() => b.authorize(U("x"), "read", I("1"))).toThrow(FactError);
  });

  it("accepts bytes, a URL, a Response and a compiled Module", async () => {
    const bytes = readFileSync(WASM_URL);
    for (const wasm of [bytes, new Uint8Array(bytes).buffer, WASM_URL, new Response(bytes, { headers: { "Content-Type": "application/wasm" } }), new Response(bytes), wasmModule]) {
      const e = await loadEngine({ wasm });
      e.policy(GITCLUB);
      e.insert(["has_role", U("alice"), "owner", O("acme")]);
      expect(e.authorize(U("alice"), "create_repo", O("acme"))).toBe(true);
    }
  });
});

describe("wasm engine API", () => {
  it("answers authorize, list, actions and query", () => {
    const e = gitclub();
    expect(e.authorize(U("alice"), "read", I("2"))).toBe(true);
    expect(e.authorize(U("bob"), "read", I("1"))).toBe(true);
    expect(e.authorize(U("bob"), "read", I("2"))).toBe(false);
    expect(e.authorize(U("bob"), "push", R("anvil"))).toBe(false);
    expect(e.list(U("alice"), "read", "Issue")).toEqual(["1", "2"]);
    expect(e.list(U("bob"), "read", "Repo")).toEqual(["anvil"]);
    expect(e.actions(U("alice"), R("bolt"))).toEqual(["push", "read"]);
    const rows = e.query("has_role", [U("alice"), null, { type: "Repo" }]).map((r) => JSON.stringify(r)).sort();
    expect(rows).toEqual([
      ["has_role", U("alice"), "maintainer", R("anvil")],
      ["has_role", U("alice"), "maintainer", R("bolt")],
      ["has_role", U("alice"), "reader", R("anvil")],
      ["has_role", U("alice"), "reader", R("bolt")],
    ].map((r) => JSON.stringify(r)).sort());
    expect(e.get(["has_relation", null, "parent", O("acme")])).toHaveLength(2);
  });

  it("rejects bad facts with typed errors and stays unchanged", () => {
    const e = gitclub();
    const before = e.get(["has_role", null, null, null]);
    const unknown = err(() => e.insert(["has_rol", U("x"), "owner", O("acme")]));
    expect(unknown.code).toBe("E_UNKNOWN_PREDICATE");
    expect(unknown.help).toContain("has_role");
    expect(err(() => e.insert(["has_role", U("x"), "owner"])).code).toBe("E_FACT_ARITY");
    expect(err(() => e.insert(["has_relation", R("a"), "parent", U("x")])).code).toBe("E_FACT_TYPE");
    expect(err(() => e.insert(["has_role", { type: "User", id: "" }, "owner", O("acme")])).code).toBe("E_EMPTY_ID");
    expect(err(() => e.insert(["has_role", U("x".repeat(400)), "owner", O("acme")])).code).toBe("E_ID_TOO_LONG");
    expect(err(() => e.insert(["has_role", { type: "User" } as never, "owner", O("acme")])).code).toBe("E_BAD_VALUE");
    expect(err(() => e.insert(["has_role", 1.5 as never, "owner", O("acme")])).code).toBe("E_BAD_INTEGER");
    // a batch with one bad fact changes nothing
    expect(() => e.batch((tx) => {
      tx.insert(["has_role", U("carol"), "owner", O("acme")]);
      tx.delete(["has_role", null, null, null]);
      tx.insert(["nope", 1]);
    })).toThrow(FactError);
    expect(e.get(["has_role", null, null, null])).toEqual(before);
    expect(e.authorize(U("carol"), "read", O("acme"))).toBe(false);
  });

  it("keeps the previous policy when a new one fails to load", () => {
    const e = gitclub();
    expect(err(() => e.policy("resource Repo { roles = [\"a\"]; \"b\" if \"a\"; }")).constructor).toBe(PolarError);
    expect(e.authorize(U("alice"), "read", I("2"))).toBe(true);
  });

  it("context facts are visible to one call only and never delete stored facts", () => {
    const e = gitclub();
    const ctx: Fact[] = [["has_role", U("bob"), "reader", R("bolt")], ["has_role", U("bob"), "reader", R("anvil")]];
    expect(e.authorize(U("bob"), "read", I("2"), ctx)).toBe(true);
    expect(e.list(U("bob"), "read", "Issue", ctx)).toEqual(["1", "2"]);
    expect(e.authorize(U("bob"), "read", I("2"))).toBe(false);
    // the context fact equal to a stored fact did not remove it
    expect(e.authorize(U("bob"), "read", I("1"))).toBe(true);
    expect(e.get(["has_role", U("bob"), null, null])).toEqual([["has_role", U("bob"), "reader", R("anvil")]]);
    expect(err(() => e.authorize(U("bob"), "read", I("2"), [["has_role", U("bob"), "reader"]])).code).toBe("E_FACT_ARITY");
  });

  it("deletes with wildcards and returns the count", () => {
    const e = gitclub();
    expect(e.delete(["has_relation", { type: "Issue" }, "parent", null])).toBe(2);
    expect(e.delete(["has_relation", null, "nothing", null])).toBe(0);
    expect(e.delete(["has_role", U("nobody"), null, null])).toBe(0);
    expect(e.list(U("alice"), "read", "Issue")).toEqual([]);
    expect(e.factCount).toBe(4);
  });

  it("walks a 10,000-deep hierarchy and a cycle without a depth limit", () => {
    const e = newEngine();
    e.policy(FOLDERS);
    const facts: Fact[] = [["has_role", U("root"), "viewer", F("0")]];
    for (let i = 1; i <= 10_000; i++) facts.push(["has_relation", F(String(i)), "parent", F(String(i - 1))]);
    e.insertMany(facts);
    expect(e.authorize(U("root"), "view", F("10000"))).toBe(true);
    expect(e.authorize(U("other"), "view", F("10000"))).toBe(false);
    expect(e.list(U("root"), "view", "Folder")).toHaveLength(10_001);
    e.insert(["has_relation", F("0"), "parent", F("10000")]);
    expect(e.authorize(U("other"), "view", F("5000"))).toBe(false);
    expect(e.list(U("root"), "view", "Folder")).toHaveLength(10_001);
  });

  it("runs the policy's tests on their own facts", () => {
    const e = newEngine();
    e.policy(`${GITCLUB}
test "owners read issues" {
  setup {
    has_role(User{"a"}, "owner", Org{"o"});
    has_relation(Repo{"r"}, "parent", Org{"o"});
    has_relation(Issue{"i"}, "parent", Repo{"r"});
  }
  assert allow(User{"a"}, "read", Issue{"i"});
  assert_not allow(User{"b"}, "read", Issue{"i"});
  assert allow(User{"b"}, "read", Issue{"i"});
}`);
    e.insert(["has_role", U("b"), "owner", O("o")]);
    const report = e.test();
    expect(report.passed).toBe(false);
    expect(report.tests[0]).toMatchObject({ name: "owners read issues", passed: 2, total: 3 });
  });
});

describe("wasm store at scale", () => {
  it("inserts 2 million distinct facts (memory grows), answers stay right, deleting them all empties the store", () => {
    const e = newEngine();
    e.policy(GITCLUB);
    const N = 1_000_000;
    const facts: Fact[] = [];
    for (let i = 0; i < N; i++) facts.push(["has_relation", I(`i${i}`), "parent", R(`r${i % 5000}`)]);
    // user u(k) holds a role on repos r(50k % 5000) .. r(50k + 49 % 5000): 1M distinct facts
    for (let i = 0; i < N; i++) facts.push(["has_role", U(`u${Math.floor(i / 50)}`), i % 2 === 0 ? "reader" : "maintainer", R(`r${i % 5000}`)]);
    const pagesBefore = (e as unknown as { st: { core: { x: { memoryPages(): number } } } }).st.core.x.memoryPages();
    e.insertMany(facts);
    const pagesAfter = (e as unknown as { st: { core: { x: { memoryPages(): number } } } }).st.core.x.memoryPages();
    expect(pagesAfter).toBeGreaterThan(pagesBefore);
    expect(e.factCount).toBe(2 * N);
    // u7 holds roles on r350 .. r399; issue i has parent r(i % 5000)
    expect(e.authorize(U("u7"), "read", I("i350"))).toBe(true);
    expect(e.authorize(U("u7"), "read", I("i5399"))).toBe(true);
    expect(e.authorize(U("u7"), "read", I("i349"))).toBe(false);
    expect(e.authorize(U("u7"), "push", I("i351"))).toBe(false);
    expect(e.list(U("u7"), "read", "Issue")).toHaveLength(50 * (N / 5000));
    expect(e.list(U("u7"), "push", "Repo")).toHaveLength(25);
    expect(e.delete(["has_relation", null, null, null])).toBe(N);
    expect(e.delete(["has_role", null, null, null])).toBe(N);
    expect(e.factCount).toBe(0);
    expect(e.indexEntries).toBe(0);
    expect(e.authorize(U("u7"), "read", I("i7"))).toBe(false);
    expect(e.list(U("u7"), "read", "Issue")).toEqual([]);
    // and it works again afterwards
    e.insert(["has_role", U("u7"), "reader", R("r1")]);
    e.insert(["has_relation", I("x"), "parent", R("r1")]);
    expect(e.list(U("u7"), "read", "Issue")).toEqual(["x"]);
  }, 120_000);
});

describe("wasm engine: regressions found by the differential test", () => {
  it("interns the empty String once, so facts holding it can be deleted (seed 629654447)", async () => {
    const e = await loadEngine();
    e.policy(`actor User {}\nactor Team { roles = ["member"]; }\nresource Issue { roles = ["viewer"]; permissions = ["read"]; "read" if "viewer"; }`);
    const f: Fact = ["has_role", { type: "Team", id: "t2" }, "", { type: "Issue", id: "i0" }];
    e.insert(f);
    e.insert(f);
    expect(e.get(["has_role", null, null, null])).toEqual([f]);
    expect(e.delete(f)).toBe(1);
    expect(e.get(["has_role", null, null, null])).toEqual([]);
  });
  it("uses the pinned @current_unix_time on the very first check (seed 105254)", async () => {
    const e = await loadEngine({ now: () => 1000n });
    e.policy(`actor User {}
resource Repo { permissions = ["read"]; }
has_permission(user: User, "read", r: Repo) if
  expiry matches Integer and temp_access(user, r, expiry) and expiry > @current_unix_time;`);
    e.insert(["temp_access", { type: "User", id: "a" }, { type: "Repo", id: "e" }, 999]);
    e.insert(["temp_access", { type: "User", id: "b" }, { type: "Repo", id: "e" }, 1001]);
    expect(e.authorize({ type: "User", id: "a" }, "read", { type: "Repo", id: "e" })).toBe(false);
    expect(e.authorize({ type: "User", id: "a" }, "read", { type: "Repo", id: "e" })).toBe(false);
    expect(e.authorize({ type: "User", id: "b" }, "read", { type: "Repo", id: "e" })).toBe(true);
  });
});

describe("wasm engine: interned entity handles", () => {
  const POLICY = `actor User {}\nresource Repo { roles = ["reader"]; permissions = ["read"]; "read" if "reader"; }`;
  it("answer exactly like plain values, for checks and for facts", async () => {
    const e = await loadEngine();
    e.policy(POLICY);
    const bob = e.entity("User", "bob");
    const repo = e.entity("Repo", "anvil");
    expect(bob).toEqual({ type: "User", id: "bob" });
    expect(JSON.stringify(repo)).toBe(`{"type":"Repo","id":"anvil"}`);
    expect(Object.isFrozen(bob)).toBe(true);
    expect(e.authorize(bob, "read", repo)).toBe(false);
    e.insert(["has_role", bob, "reader", repo]);
    expect(e.authorize(bob, "read", repo)).toBe(true);
    expect(e.authorize({ type: "User", id: "bob" }, "read", { type: "Repo", id: "anvil" })).toBe(true);
    expect(e.authorize(e.entity("User", "eve"), "read", repo)).toBe(false);
    expect(e.list(bob, "read", "Repo")).toEqual(["anvil"]);
    expect(e.actions(bob, repo)).toEqual(["read"]);
    expect(e.get(["has_role", bob, null, repo])).toEqual([["has_role", { type: "User", id: "bob" }, "reader", { type: "Repo", id: "anvil" }]]);
    expect(e.delete(["has_role", bob, null, repo])).toBe(1);
    expect(e.authorize(bob, "read", repo)).toBe(false);
  });
  it("work in another engine through their type and id", async () => {
    const a = await loadEngine();
    const b = await loadEngine();
    a.policy(POLICY);
    b.policy(POLICY);
    b.insert(["has_role", { type: "User", id: "bob" }, "reader", { type: "Repo", id: "anvil" }]);
    expect(b.authorize(a.entity("User", "bob"), "read", a.entity("Repo", "anvil"))).toBe(true);
  });
  it("reject malformed values like any value", async () => {
    const e = await loadEngine();
    expect(() => e.entity("User", "")).toThrow(FactError);
    expect(() => e.entity("", "x")).toThrow(FactError);
  });
});
