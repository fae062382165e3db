/**
 * list() sorts by the interner's per-type id ranks and checks look ids up in 8-word slots
 * with short ids inline: results must stay exactly JS string order, across inserts between
 * lists (stale ranks), dense and sparse results, ids around the inline limit, non-ASCII and
 * surrogate pairs, and a snapshot restore.
 */
import { describe, expect, it } from "vitest";
import type { Fact } from "../../bindings/api/types.js";
import { WasmEngine } from "../../bindings/engine/wasm-engine.js";
import { newEngine, wasmModule } from "./wasm-helpers.js";

const POLICY = `
actor User {}
resource Doc {
  roles = ["viewer"];
  permissions = ["read"];
  "read" if "viewer";
}
`;

const UNITS = ["a", "B", "z", "0", "9", "-", "é", "\u00ff", "\u0100", "\uD83D\uDE00", "\uFFFF", " "];

/** Deterministic ids of 1..12 code-unit pieces (surrogate pairs count as one piece). */
function makeIds(n: number, seed: number): string[] {
  let s = seed >>> 0;
  const next = (m: number): number => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return (s >>> 8) % m;
  };
  const out = new Set<string>();
  while (out.size < n) {
    const len = 1 + next(12);
    let id = "";
    for (let i = 0; i < len; i++) id += UNITS[next(UNITS.length)];
    out.add(id);
  }
  return [...out];
}

const viewer = (user: string, doc: string): Fact => ["has_role", { type: "User", id: user }, "viewer", { type: "Doc", id: doc }];

describe("list order and id lookup", () => {
  it("lists in UTF-16 code unit order while ids are added between lists", () => {
    const e = newEngine();
    e.policy(POLICY);
    const ids = makeIds(3000, 7);
    const many = new Set<string>();
    const few = new Set<string>();
    let at = 0;
    for (let round = 0; round < 12; round++) {
      // each round adds new Doc ids, so the ranks made by the previous lists are stale
      const add = ids.slice(at, at + 250);
      at += 250;
      add.forEach((id, i) => {
        if (i % 3 !== 0) {
          e.insert(viewer("many", id));
          many.add(id);
        }
        if (i % 41 === 0) {
          e.insert(viewer("few", id));
          few.add(id);
        }
        if (i % 3 === 0 && i % 41 !== 0) e.insert(viewer("other", id));
      });
      for (let k = 0; k < 3; k++) {
        expect(e.list({ type: "User", id: "many" }, "read", "Doc")).toEqual([...many].sort());
        expect(e.list({ type: "User", id: "few" }, "read", "Doc")).toEqual([...few].sort());
      }
    }
    expect(e.list({ type: "User", id: "nobody" }, "read", "Doc")).toEqual([]);
  });

  it("finds ids of every length around the inline limit, and misses near ones", () => {
    const e = newEngine();
    e.policy(POLICY);
    const ids = ["1234567", "12345678", "123456789", "\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00", "\uFFFF".repeat(8), "x".repeat(40)];
    for (const id of ids) e.insert(viewer("u", id));
    const check = (eng: WasmEngine): void => {
      for (const id of ids) {
        expect(eng.authorize({ type: "User", id: "u" }, "read", { type: "Doc", id: id.slice(0) })).toBe(true);
        // same length with the last unit changed, one unit shorter, one unit longer
        const last = id.charCodeAt(id.length - 1);
        for (const near of [id.slice(0, -1) + String.fromCharCode(last ^ 1), id.slice(0, -1), id + "0"]) {
          expect(eng.authorize({ type: "User", id: "u" }, "read", { type: "Doc", id: near })).toBe(ids.includes(near));
        }
      }
      expect(eng.list({ type: "User", id: "u" }, "read", "Doc")).toEqual([...ids].sort());
    };
    check(e);
    const restored = WasmEngine.restore(wasmModule, e.snapshot());
    check(restored);
    // the restored engine keeps interning and ordering new ids
    restored.insert(viewer("u", "0"));
    restored.insert(viewer("u", "12345678a"));
    expect(restored.list({ type: "User", id: "u" }, "read", "Doc")).toEqual([...ids, "0", "12345678a"].sort());
  });

  it("checks with plain values and with handles agree, the actor and resource in either table", () => {
    const e = newEngine();
    e.policy(POLICY);
    const docs = makeIds(500, 3);
    docs.forEach((d, i) => e.insert(viewer(`user${i % 7}`, d)));
    docs.forEach((d, i) => {
      for (let u = 0; u < 7; u++) {
        const want = i % 7 === u;
        expect(e.authorize({ type: "User", id: `user${u}` }, "read", { type: "Doc", id: d })).toBe(want);
        expect(e.authorize(e.entity("User", `user${u}`), "read", { type: "Doc", id: d })).toBe(want);
        expect(e.authorize({ type: "User", id: `user${u}` }, "read", e.entity("Doc", d))).toBe(want);
      }
    });
  });
});
