import { describe, expect, it } from "vitest";
import { FactError } from "../../bindings/api/errors.js";
import type { Fact } from "../../bindings/api/types.js";
import { readFileSync } from "node:fs";
import { loadEngine, loadModule, WasmEngine } from "../../bindings/engine/index.js";
import { newEngine, wasmModule } from "./wasm-helpers.js";

const POLICY = `
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
  "read" if is_public(resource);
}
has_permission(_: User, "read", r: Repo) if has_stars(r, n) and n > 100;
`;

const user = (id: string) => ({ type: "User", id });
const org = (id: string) => ({ type: "Org", id });
const repo = (id: string) => ({ type: "Repo", id });

function facts(n: number): Fact[] {
  const out: Fact[] = [];
  for (let i = 0; i < n; i++) {
    out.push(["has_relation", repo(`r${i}`), "parent", org(`o${i % 7}`)]);
    out.push(["has_role", user(`u${i}`), i % 3 === 0 ? "owner" : "member", org(`o${i % 7}`)]);
    if (i % 5 === 0) out.push(["has_role", user(`x${i}`), "reader", repo(`r${i}`)]);
    if (i % 11 === 0) out.push(["is_public", repo(`r${i}`)]);
    out.push(["has_stars", repo(`r${i}`), i * 3]);
  }
  return out;
}

/** Every answer the engine gives over a grid of questions. */
function answers(e: WasmEngine): unknown[] {
  const out: unknown[] = [];
  for (const u of ["u0", "u1", "u3", "x5", "x10", "nobody"]) {
    for (const r of ["r0", "r1", "r5", "r11", "r40", "r99", "none"]) {
      for (const a of ["read", "push"]) out.push(e.authorize(user(u), a, repo(r)));
      out.push(e.actions(user(u), repo(r)));
    }
    out.push(e.list(user(u), "read", "Repo"), e.list(user(u), "create_repo", "Org"));
  }
  out.push(e.query("has_role", [null, "owner", null]).length, e.get(["has_stars", repo("r40"), null]), e.factCount);
  return out;
}

function loaded(): WasmEngine {
  const e = newEngine();
  e.policy(POLICY);
  e.insertMany(facts(60));
  return e;
}

describe("engine snapshots", () => {
  it("restore an equivalent engine", async () => {
    const e = loaded();
    const before = answers(e);
    const snap = e.snapshot();
    const r = await loadEngine({ wasm: wasmModule, snapshot: snap });
    expect(answers(r)).toEqual(before);
    expect(r.factCount).toBe(e.factCount);
    // the original is untouched by taking a snapshot
    expect(answers(e)).toEqual(before);
  });

  it("accept inserts and deletes after a restore, like the original", () => {
    const e = loaded();
    const r = WasmEngine.restore(wasmModule, e.snapshot());
    for (const x of [e, r]) {
      x.insert(["has_role", user("new"), "owner", org("o1")]);
      x.insert(["has_relation", repo("fresh"), "parent", org("o1")]);
      x.delete(["has_role", user("u1"), null, null]);
      x.delete(["is_public", null]);
      x.insert(["has_stars", repo("r1"), 1000]);
    }
    expect(r.authorize(user("new"), "push", repo("fresh"))).toBe(true);
    expect(r.authorize(user("u1"), "read", repo("r1"))).toBe(true);
    expect(answers(r)).toEqual(answers(e));
    expect(r.get(["has_role", user("new"), null, null])).toEqual(e.get(["has_role", user("new"), null, null]));
  });

  it("can be taken after deletes, and of a restored engine", () => {
    const e = loaded();
    e.delete(["has_role", null, "owner", null]);
    e.delete(["has_relation", repo("r0"), null, null]);
    const before = answers(e);
    const r1 = WasmEngine.restore(wasmModule, e.snapshot());
    expect(answers(r1)).toEqual(before);
    r1.insert(["has_role", user("u9"), "owner", org("o2")]);
    e.insert(["has_role", user("u9"), "owner", org("o2")]);
    const r2 = WasmEngine.restore(wasmModule, r1.snapshot());
    expect(answers(r2)).toEqual(answers(e));
    expect(r2.indexEntries).toBe(r1.indexEntries);
  });

  it("keep context facts working and the policy's tests", () => {
    const e = loaded();
    const r = WasmEngine.restore(wasmModule, e.snapshot());
    const ctx: Fact[] = [["has_role", user("c"), "owner", org("o3")]];
    expect(r.authorize(user("c"), "push", repo("r3"), ctx)).toBe(e.authorize(user("c"), "push", repo("r3"), ctx));
    expect(r.authorize(user("c"), "push", repo("r3"))).toBe(false);
    expect(r.test().passed).toBe(true);
  });

  it("reject foreign, damaged and other-version bytes with E_BAD_SNAPSHOT", () => {
    const snap = loaded().snapshot();
    const bad = (bytes: Uint8Array): string => {
      try {
        WasmEngine.restore(wasmModule, bytes);
      } catch (e) {
        expect(e).toBeInstanceOf(FactError);
        return (e as FactError).code;
      }
      return "restored";
    };
    expect(bad(new Uint8Array(0))).toBe("E_BAD_SNAPSHOT");
    expect(bad(new TextEncoder().encode("not a snapshot at all"))).toBe("E_BAD_SNAPSHOT");
    const flipped = snap.slice();
    flipped[flipped.length >>> 1]! ^= 0x40;
    expect(bad(flipped)).toBe("E_BAD_SNAPSHOT");
    expect(bad(snap.slice(0, snap.length - 4096))).toBe("E_BAD_SNAPSHOT");
    const other = snap.slice();
    new DataView(other.buffer).setUint32(4, 99, true);
    expect(bad(other)).toBe("E_BAD_SNAPSHOT");
    expect(() => WasmEngine.restore(wasmModule, other)).toThrow(/format version 99/);
    expect(bad(snap)).toBe("restored");
  });

  it("reject a snapshot of another build of engine.wasm", async () => {
    const debugModule = await loadModule(readFileSync(new URL("../../build/engine.debug.wasm", import.meta.url)));
    expect(() => WasmEngine.restore(debugModule, loaded().snapshot())).toThrow(/another build/);
  });

  it("needs a policy loaded from source", () => {
    expect(() => newEngine().snapshot()).toThrow(FactError);
  });
});
