// Bulk writes intern facts in groups (bindings/engine/fact-group.ts) and the core inserts them
// in groups (insertFacts): the results must be exactly those of inserting one fact at a time.
import { describe, expect, it } from "vitest";
import { FactError } from "../../bindings/api/errors.js";
import type { Fact } from "../../bindings/api/types.js";
import type { InternerParts } from "../../bindings/engine/intern.js";
import { BULK_BUFFER_WORDS, bulkBuffer, type WordBuffer } from "../../bindings/engine/marshal.js";
import type { WasmEngine } from "../../bindings/engine/wasm-engine.js";
import { newEngine } from "./wasm-helpers.js";

const POLICY = `
actor User {}
resource Org { roles = ["member"]; permissions = ["read"]; "read" if "member"; }
resource Repo {
  roles = ["reader"];
  permissions = ["read"];
  relations = { parent: Org };
  "read" if "reader";
  "reader" if "member" on "parent";
}
has_permission(_: User, "read", repo: Repo) if is_public(repo);
allow(actor, action, resource) if has_permission(actor, action, resource);
`;
// fresh objects and strings every time, as real callers pass them
const U = (id: string) => ({ type: "User", id: `${id}` });
const R = (id: string) => ({ type: "Repo", id: `${id}` });
const O = (id: string) => ({ type: "Org", id: `${id}` });

function engine(): WasmEngine {
  const e = newEngine();
  e.policy(POLICY);
  return e;
}

function parts(e: WasmEngine): InternerParts {
  return (e as unknown as { st: { interner: { saveParts(): InternerParts } } }).st.interner.saveParts();
}

function sorted(e: WasmEngine): string[] {
  return [...e.get(["has_role", null, null, null]), ...e.get(["has_relation", null, null, null]), ...e.get(["is_public", null])].map((f) => JSON.stringify(f)).sort();
}

/** The same facts one insert at a time and as one batch: same facts, same value ids. */
function expectSameAsSingle(facts: readonly Fact[]): WasmEngine {
  const one = engine();
  for (const f of facts) one.insert(f);
  const bulk = engine();
  bulk.batch((tx) => {
    for (const f of facts) tx.insert(f);
  });
  expect(sorted(bulk)).toEqual(sorted(one));
  expect(bulk.factCount).toBe(one.factCount);
  const [a, b] = [parts(bulk), parts(one)];
  expect([...a.valType]).toEqual([...b.valType]);
  expect([...a.spans]).toEqual([...b.spans]);
  expect([...a.pool]).toEqual([...b.pool]);
  const many = engine();
  expect(many.insertMany(facts)).toBe(one.factCount);
  expect(sorted(many)).toEqual(sorted(one));
  return bulk;
}

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    if (e instanceof FactError) return e.code;
    throw e;
  }
  return undefined;
}

describe("grouped bulk writes", () => {
  it("intern an id new in a group once, when it repeats later in the same group", () => {
    const facts: Fact[] = [];
    for (let i = 0; i < 40; i++) {
      facts.push(["has_role", U(`n${i >> 2}`), "reader", R(`r${i % 3}`)]);
      facts.push(["has_relation", R(`r${i % 5}`), "parent", O(`n${i >> 2}`)]);
    }
    const e = expectSameAsSingle(facts);
    // 10 Users, 5 Repos and 10 Orgs (the same id text in two types is two values); the policy
    // already holds the Strings
    expect(parts(e).valType.length - parts(engine()).valType.length).toBe(10 + 5 + 10);
    expect(e.authorize(U("n3"), "read", R("r1"))).toBe(true);
  });

  it("mix arities in a group: a value matches only the same argument of an earlier fact", () => {
    const facts: Fact[] = [];
    for (let i = 0; i < 60; i++) {
      facts.push(["has_role", U(`a${i >> 3}`), "reader", R(`x${i >> 2}`)]);
      if (i % 6 === 0) facts.push(["is_public", R(`x${i >> 2}`)]);
      if (i % 5 === 0) facts.push(["is_public", R(`a${i >> 3}`)]);
      facts.push(["has_relation", R(`a${i >> 3}`), "parent", O(`x${i >> 2}`)]);
    }
    const e = expectSameAsSingle(facts);
    expect(e.authorize(U("zz"), "read", R("x3"))).toBe(true);
    expect(e.authorize(U("zz"), "read", R("x2"))).toBe(false);
  });

  it("compare ids longer than a slot holds, and ids near the length limit", () => {
    const long = (k: number, n: number) => `${"x".repeat(n)}${k}`.slice(-n);
    const facts: Fact[] = [];
    for (let k = 0; k < 50; k++) {
      for (const n of [8, 9, 17, 127, 128, 129, 200]) facts.push(["has_role", U(long(k % 7, n)), "reader", R(long(k, n))]);
    }
    // a multi-byte id of 128 units (384 bytes of UTF-8: the limit) and one past it
    facts.push(["has_role", U("é".repeat(64) + "€".repeat(64)), "reader", R("x")]);
    const e = expectSameAsSingle(facts);
    expect(e.authorize(U(long(3, 129)), "read", R(long(10, 129)))).toBe(true);
    expect(e.authorize(U(long(3, 129)), "read", R(long(11, 129)))).toBe(false);
    const tooLong = engine();
    expect(codeOf(() => tooLong.batch((tx) => tx.insert(["has_role", U("€".repeat(129)), "reader", R("x")])))).toBe("E_ID_TOO_LONG");
  });

  it("accept handles, String arguments and deletes between inserts", () => {
    const e = engine();
    const h = e.entity("User", "handle");
    e.batch((tx) => {
      for (let i = 0; i < 30; i++) tx.insert(["has_role", i % 2 ? h : U(`u${i}`), "reader", R(`r${i}`)]);
      tx.delete(["has_role", null, null, R("r3")]);
      for (let i = 0; i < 30; i++) tx.insert(["has_role", h, "reader", R(`s${i}`)]);
    });
    expect(e.factCount).toBe(59);
    expect(e.authorize(h, "read", R("s29"))).toBe(true);
    expect(e.authorize(U("handle"), "read", R("r5"))).toBe(true);
    expect(e.authorize(U("handle"), "read", R("r3"))).toBe(false);
  });

  it("leave the store unchanged when a fact in the middle of a group is bad, with the error it had", () => {
    const e = engine();
    e.insert(["has_role", U("old"), "reader", R("r0")]);
    const bad: [Fact, string][] = [
      [["has_role", U(""), "reader", R("r1")], "E_EMPTY_ID"],
      [["has_role", { type: "", id: "x" }, "reader", R("r1")], "E_EMPTY_TYPE"],
      [["has_role", U("a"), 7, R("r1")], "E_FACT_TYPE"],
      [["has_role", R("a"), "reader", R("r1")], "E_FACT_TYPE"],
      [["has_role", U("a"), "reader"], "E_FACT_ARITY"],
      [["has_rol", U("a"), "reader", R("r1")], "E_UNKNOWN_PREDICATE"],
      [["", U("a")], "E_BAD_FACT"],
    ];
    for (const [fact, code] of bad) {
      const single = engine();
      const expected = codeOf(() => single.insert(fact));
      if (code !== "E_FACT_TYPE") expect(expected).toBe(code);
      let thrownAt = -1;
      const got = codeOf(() =>
        e.batch((tx) => {
          for (let i = 0; i < 40; i++) {
            try {
              tx.insert(i === 21 ? fact : ["has_role", U(`m${i}`), "reader", R(`r${i}`)]);
            } catch (err) {
              // the bad fact's own insert throws, as it did one fact at a time
              thrownAt = i;
            }
          }
        }),
      );
      expect(got).toBe(expected);
      expect(thrownAt).toBe(21);
      expect(e.factCount).toBe(1);
      expect(sorted(e)).toEqual([JSON.stringify(["has_role", { type: "User", id: "old" }, "reader", { type: "Repo", id: "r0" }])]);
      expect(codeOf(() => e.insertMany(Array.from({ length: 40 }, (_, i) => (i === 21 ? fact : ["has_role", U(`m${i}`), "reader", R(`r${i}`)]))))).toBe(expected);
      expect(e.factCount).toBe(1);
    }
    // values met before the bad fact were interned as one at a time would: a later batch agrees
    e.batch((tx) => tx.insert(["has_role", U("m3"), "reader", R("r3")]));
    expect(e.authorize(U("m3"), "read", R("r3"))).toBe(true);
    expect(e.factCount).toBe(2);
  });

  it("insert a large batch in groups and delete it without a trace", () => {
    const facts: Fact[] = [];
    for (let i = 0; i < 5_000; i++) {
      facts.push(["has_relation", R(`r${i}`), "parent", O(`o${i % 37}`)]);
      facts.push(["has_role", U(`u${(i * 7919) % 1_000}`), "member", O(`o${i % 37}`)]);
      facts.push(["has_role", U(`u${i % 1_000}`), "reader", R(`r${i}`)]);
      if (i % 10 === 0) facts.push(["has_role", U(`u${i % 1_000}`), "reader", R(`r${i >> 1}`)]);
    }
    const e = expectSameAsSingle(facts);
    const distinct = new Set(facts.map((f) => JSON.stringify(f))).size;
    expect(distinct).toBeLessThan(facts.length);
    expect(e.factCount).toBe(distinct);
    expect(e.authorize(U("u0"), "read", R("r0"))).toBe(true);
    expect(e.delete(["has_role", null, null, null]) + e.delete(["has_relation", null, null, null])).toBe(distinct);
    expect(e.indexEntries).toBe(0);
  });

  it("keep a large write in buffers of BULK_BUFFER_WORDS, the first one small", () => {
    const bufs: WordBuffer[] = [];
    const first = bulkBuffer(bufs);
    expect(first.words.length).toBe(1024);
    expect(bulkBuffer(bufs)).toBe(first);
    first.length = BULK_BUFFER_WORDS;
    const second = bulkBuffer(bufs);
    expect(bufs).toEqual([first, second]);
    expect(second.words.length).toBe(BULK_BUFFER_WORDS + 1024);
  });

  it("apply a batch spread over several buffers as one, or not at all", () => {
    // 4 words a fact: over three buffers; the last 1,000 facts repeat the first 1,000
    const n = Math.ceil((2.5 * BULK_BUFFER_WORDS) / 4);
    const facts: Fact[] = [];
    for (let i = 0; i < n; i++) {
      const k = i % (n - 1_000);
      facts.push(["has_role", U(`u${k % 5_000}`), "reader", R(`r${k}`)]);
    }
    const e = engine();
    const failed = codeOf(() =>
      e.batch((tx) => {
        for (const f of facts) tx.insert(f);
        tx.insert(["has_role", U("x"), "reader"]);
      }),
    );
    expect(failed).toBe("E_FACT_ARITY");
    expect(e.factCount).toBe(0);
    e.batch((tx) => {
      for (const f of facts) tx.insert(f);
    });
    expect(e.factCount).toBe(n - 1_000);
    expect(e.authorize(U(`u${(n - 1_001) % 5_000}`), "read", R(`r${n - 1_001}`))).toBe(true);
    expect(e.authorize(U("u0"), "read", R(`r${n - 1_001}`))).toBe(false);
    expect(e.insertMany(facts)).toBe(0);
    const many = engine();
    expect(many.insertMany(facts)).toBe(n - 1_000);
  });
});
