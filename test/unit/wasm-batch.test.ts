import { describe, expect, it } from "vitest";
import type { Fact } from "../../bindings/api/types.js";
import { batchShape, WordBuffer } from "../../bindings/engine/marshal.js";
import { newEngine } from "./wasm-helpers.js";

const POLICY = `
actor User {}
resource Repo {
  roles = ["reader"];
  permissions = ["read"];
  "read" if "reader";
}
allow(actor, action, resource) if has_permission(actor, action, resource);
`;
const U = (id: string) => ({ type: "User", id });
const R = (id: string) => ({ type: "Repo", id });

describe("batch shapes", () => {
  it("count facts per relation and distinct values per column; Integers count as new", () => {
    const buf = new WordBuffer();
    const recs = [
      [0, 0x10001, 0x10005, 0x10002],
      [0, 0x10001, 0x10005, 0x10003],
      [1, 0x80000000, 0x10009],
      [0, 0x10004, 0x10005, 0x10003],
      [1, 0x80000000, 0x10009],
    ];
    for (const r of recs) {
      buf.reserve(r.length);
      buf.words.set(r, buf.length);
      buf.length += r.length;
      buf.count++;
    }
    const shape = batchShape(buf, (rel) => (rel === 0 ? 3 : 2), 0x10010);
    expect([...shape]).toEqual([0, 3, 2, 1, 2, 1, 2, 2, 1]);
  });
});

describe("large batches", () => {
  it("count repeats exactly, into an empty store and again into a full one, and leave no trace when deleted", () => {
    const e = newEngine();
    e.policy(POLICY);
    const facts: Fact[] = [];
    // 10,000 facts, the last 2,000 repeating earlier ones
    for (let i = 0; i < 10_000; i++) {
      const k = i % 8_000;
      facts.push(["has_role", U(`u${k % 700}`), "reader", R(`r${k}`)]);
    }
    expect(e.insertMany(facts)).toBe(8_000);
    expect(e.factCount).toBe(8_000);
    expect(e.authorize(U("u5"), "read", R("r705"))).toBe(true);
    expect(e.authorize(U("u5"), "read", R("r706"))).toBe(false);
    const bytes = e.storeBytes;
    // a reload of stored facts adds nothing and reserves nothing
    expect(e.insertMany(facts)).toBe(0);
    expect(e.storeBytes).toBe(bytes);
    e.batch((tx) => {
      for (const f of facts) tx.insert(f);
      tx.insert(["has_role", U("new"), "reader", R("r1")]);
    });
    expect(e.factCount).toBe(8_001);
    expect(e.delete(["has_role", null, null, null])).toBe(8_001);
    expect(e.indexEntries).toBe(0);
  });

  it("keep types apart when consecutive facts repeat an id text in one position", () => {
    const e = newEngine();
    e.policy(`${POLICY}
resource Org { roles = ["reader"]; permissions = ["read"]; "read" if "reader"; }
`);
    const O = (id: string) => ({ type: "Org", id });
    e.batch((tx) => {
      tx.insert(["has_role", U("x"), "reader", R("x")]);
      tx.insert(["has_role", U("x"), "reader", O("x")]);
      tx.insert(["has_role", U("reader"), "reader", R("x")]);
    });
    const got = e.get(["has_role", null, null, null]).map((f) => JSON.stringify(f)).sort();
    expect(got).toEqual([
      JSON.stringify(["has_role", U("reader"), "reader", R("x")]),
      JSON.stringify(["has_role", U("x"), "reader", O("x")]),
      JSON.stringify(["has_role", U("x"), "reader", R("x")]),
    ].sort());
    expect(e.authorize(U("reader"), "read", R("x"))).toBe(true);
    expect(e.authorize(U("reader"), "read", R("reader"))).toBe(false);
  });
});
