// The slice format: round trips, damaged and truncated bytes, versions, policy checks, the actor guard.
import { describe, expect, it } from "vitest";
import { BorealError, FactError } from "../../bindings/api/errors.js";
import { decodeSlice, encodeSlice, policyHash, SLICE_VERSION, type SliceData } from "../../bindings/slice/index.js";
import { fnv1a64 } from "../../bindings/slice/hash.js";
import { fnv1a32 } from "../../bindings/slice/bytes.js";
import { newEngine } from "./wasm-helpers.js";

const POLICY = `
actor User {}
resource Repo {
  permissions = ["read"];
  roles = ["reader"];
  "read" if "reader";
}
`;

const alice = { type: "User", id: "alice" };
const bob = { type: "User", id: "bob" };
const repo = (id: string) => ({ type: "Repo", id });

function data(over: Partial<SliceData> = {}): SliceData {
  return {
    policyHash: policyHash(POLICY),
    policy: POLICY,
    actor: alice,
    facts: [["has_role", alice, { type: "String", id: "reader" }, repo("r1")], ["has_role", alice, { type: "String", id: "reader" }, repo("r2")]],
    known: [repo("r3")],
    ...over,
  };
}

function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof FactError) return e.code;
    throw e;
  }
  return "no error";
}

function fnvRef(b: Uint8Array): string {
  let h = 0xcbf29ce484222325n;
  for (const x of b) h = ((h ^ BigInt(x)) * 0x100000001b3n) & 0xffffffffffffffffn;
  return h.toString(16).padStart(16, "0");
}

describe("slice hashes", () => {
  it("fnv1a64 agrees with a BigInt reference", () => {
    for (const s of ["", "a", "foobar", "ünïcødé ✓", POLICY.repeat(30)]) {
      const b = new TextEncoder().encode(s);
      expect(fnv1a64(b)).toBe(fnvRef(b));
    }
    expect(fnv1a64(new TextEncoder().encode("a"))).toBe("af63dc4c8601ec8c");
    expect(fnv1a32(new TextEncoder().encode("a"))).toBe(0xe40c292c);
  });
  it("a policy's hash depends on every file and character", () => {
    expect(policyHash(POLICY)).not.toBe(policyHash(POLICY + " "));
    expect(policyHash([{ filename: "a.polar", src: POLICY }])).not.toBe(policyHash([{ filename: "b.polar", src: POLICY }]));
  });
});

describe("slice codec", () => {
  it("round-trips every field", () => {
    const d = data({ now: 1_700_000_000n });
    expect(decodeSlice(encodeSlice(d))).toEqual(d);
    const files = data({ policy: [{ filename: "a.polar", src: POLICY }], policyHash: policyHash([{ filename: "a.polar", src: POLICY }]) });
    expect(decodeSlice(encodeSlice(files))).toEqual(files);
    const { policy: _omit, ...bare } = data({ facts: [], known: [] });
    expect(decodeSlice(encodeSlice(bare))).toEqual(bare);
  });
  it("is compact: shared strings and values once, facts as varint rows", () => {
    const { policy: _omit, ...bare } = data();
    const bytes = encodeSlice(bare);
    expect(Array.from(bytes.subarray(0, 4))).toEqual([0x42, 0x52, 0x53, 0x4c]);
    expect(bytes[4]).toBe(SLICE_VERSION);
    expect(bytes.length).toBe(93);
    // one more fact over known strings and values costs its row only: relation + 3 value indexes
    const more = encodeSlice({ ...bare, facts: [...bare.facts, ["has_role", alice, { type: "String", id: "reader" }, repo("r3")]] });
    expect(more.length - bytes.length).toBe(4);
  });
  it("every proper prefix fails with E_SLICE_FORMAT", () => {
    const bytes = encodeSlice(data({ now: 5n }));
    for (let n = 0; n < bytes.length; n++) expect(codeOf(() => decodeSlice(bytes.subarray(0, n))), `prefix ${n}`).toBe("E_SLICE_FORMAT");
  });
  it("any damaged byte fails with E_SLICE_FORMAT (or E_SLICE_VERSION in the version byte)", () => {
    const bytes = encodeSlice(data());
    for (let i = 0; i < bytes.length; i++) {
      for (const flip of [0x01, 0x80, 0xff]) {
        const b = bytes.slice();
        b[i]! ^= flip;
        expect(codeOf(() => decodeSlice(b)), `byte ${i} ^ ${flip}`).toBe(i === 4 ? "E_SLICE_VERSION" : "E_SLICE_FORMAT");
      }
    }
    const extra = new Uint8Array(bytes.length + 1);
    extra.set(bytes);
    expect(codeOf(() => decodeSlice(extra))).toBe("E_SLICE_FORMAT");
  });
  it("values must be well-formed and canonical", () => {
    expect(() => decodeSlice(encodeSlice(data({ known: [{ type: "Integer", id: "abc" }] })))).toThrow(/^the slice is unusable: it holds a malformed value/);
    expect(() => decodeSlice(encodeSlice(data({ known: [{ type: "Integer", id: "007" }] })))).toThrow("the slice is unusable: it holds a value in a non-canonical form (`Integer:007`)");
    expect(codeOf(() => decodeSlice(encodeSlice(data({ actor: { type: "", id: "x" } }))))).toBe("E_SLICE_FORMAT");
  });
  it("damage behind a valid checksum never crashes the decoder or the engine", () => {
    const bytes = encodeSlice(data({ now: 5n }));
    let seed = 12345;
    const rand = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    const outcomes = new Map<string, number>();
    for (let i = 0; i < 3000; i++) {
      const b = bytes.slice();
      for (let k = 1 + rand(3); k > 0; k--) b[5 + rand(b.length - 9)] = rand(256);
      const body = b.subarray(0, b.length - 4);
      new DataView(b.buffer).setUint32(b.length - 4, fnv1a32(body), true);
      let what: string;
      try {
        const e = newEngine();
        e.loadSlice(b);
        what = "loaded";
      } catch (err) {
        if (!(err instanceof BorealError)) throw err;
        what = err.code;
      }
      outcomes.set(what, (outcomes.get(what) ?? 0) + 1);
    }
    expect(outcomes.get("E_SLICE_FORMAT")).toBeGreaterThan(1000);
    expect([...outcomes.keys()].every((k) => /^(loaded|E_[A-Z_]+)$/.test(k))).toBe(true);
  });
  it("wrong magic and other versions are named", () => {
    const bytes = encodeSlice(data());
    const magic = bytes.slice();
    magic[0] = 0x58;
    expect(() => decodeSlice(magic)).toThrow("the slice is unusable: it does not start with the slice magic `BRSL`");
    const newer = bytes.slice();
    newer[4] = SLICE_VERSION + 1;
    expect(() => decodeSlice(newer)).toThrow(`the slice has format version ${SLICE_VERSION + 1}, but this boreal reads version ${SLICE_VERSION}`);
    expect(codeOf(() => decodeSlice("BRSL" as unknown as Uint8Array))).toBe("E_SLICE_FORMAT");
  });
});

describe("loading a slice", () => {
  it("answers for its actor, with known values merged into list", () => {
    const e = newEngine();
    e.loadSlice(encodeSlice(data()));
    expect(e.authorize(alice, "read", repo("r1"))).toBe(true);
    expect(e.authorize(alice, "read", repo("r9"))).toBe(false);
    expect(e.list(alice, "read", "Repo")).toEqual(["r1", "r2"]);
    expect(e.actions(alice, repo("r2"))).toEqual(["read"]);
    expect(e.get(["has_role", null, null, null])).toHaveLength(2);
  });
  it("refuses questions about another actor with E_SLICE_ACTOR", () => {
    const e = newEngine();
    e.loadSlice(encodeSlice(data()));
    expect(() => e.authorize(bob, "read", repo("r1"))).toThrow("this engine holds the slice of `User:alice` and cannot answer for `User:bob`");
    expect(codeOf(() => e.list(bob, "read", "Repo"))).toBe("E_SLICE_ACTOR");
    expect(codeOf(() => e.actions(bob, repo("r1")))).toBe("E_SLICE_ACTOR");
    expect(codeOf(() => e.slice(bob))).toBe("E_SLICE_ACTOR");
  });
  it("replaces the stored facts", () => {
    const e = newEngine();
    e.policy(POLICY);
    e.insert(["has_role", bob, "reader", repo("b")]);
    e.loadSlice(encodeSlice(data()));
    expect(e.get(["has_role", null, null, null]).map((f) => f[3])).toEqual([repo("r1"), repo("r2")]);
  });
  it("without a policy, needs the engine to have the same one (E_SLICE_POLICY_MISMATCH)", () => {
    const { policy: _omit, ...bare } = data();
    const bytes = encodeSlice(bare);
    const none = newEngine();
    expect(() => none.loadSlice(bytes)).toThrow("the slice was taken under another policy: it carries no policy and this engine has none loaded with policy()");
    const other = newEngine();
    other.policy(POLICY + "\n# changed\n");
    other.insert(["has_role", bob, "reader", repo("b")]);
    expect(codeOf(() => other.loadSlice(bytes))).toBe("E_SLICE_POLICY_MISMATCH");
    expect(other.authorize(bob, "read", repo("b"))).toBe(true); // unchanged
    const same = newEngine();
    same.policy(POLICY);
    same.loadSlice(bytes);
    expect(same.list(alice, "read", "Repo")).toEqual(["r1", "r2"]);
  });
  it("rejects a policy that does not match the slice's hash", () => {
    expect(codeOf(() => newEngine().loadSlice(encodeSlice(data({ policyHash: "0000000000000000" }))))).toBe("E_SLICE_POLICY_MISMATCH");
  });
  it("damaged bytes leave the engine unchanged", () => {
    const e = newEngine();
    e.policy(POLICY);
    e.insert(["has_role", bob, "reader", repo("b")]);
    const bytes = encodeSlice(data());
    for (let n = 0; n < bytes.length; n += 7) expect(codeOf(() => e.loadSlice(bytes.subarray(0, n)))).toBe("E_SLICE_FORMAT");
    expect(e.authorize(bob, "read", repo("b"))).toBe(true);
    expect(e.get(["has_role", null, null, null])).toHaveLength(1);
  });
  it("a slice's time is pinned for policies that read @current_unix_time", () => {
    const timed = `actor User {}\nresource Repo { permissions = ["read"]; }\nhas_permission(u: User, "read", r: Repo) if grant(u, r, until) and until > @current_unix_time;\ndeclare grant(User, Repo, Integer);\n`;
    const d: SliceData = { policyHash: policyHash(timed), policy: timed, actor: alice, now: 100n, facts: [["grant", alice, repo("r1"), { type: "Integer", id: "150" }]], known: [] };
    const e = newEngine({ now: () => 200n });
    e.loadSlice(encodeSlice(d));
    expect(e.authorize(alice, "read", repo("r1"))).toBe(true);
  });
});

describe("loadEngine({ slice })", () => {
  it("makes an engine for the slice's actor from the bytes alone", async () => {
    const { loadEngine } = await import("../../bindings/engine/load.js");
    const { wasmModule } = await import("./wasm-helpers.js");
    const e = await loadEngine({ wasm: wasmModule, slice: encodeSlice(data()) });
    expect(e.list(alice, "read", "Repo")).toEqual(["r1", "r2"]);
    await expect(loadEngine({ wasm: wasmModule, slice: new Uint8Array([1, 2, 3]) })).rejects.toMatchObject({ code: "E_SLICE_FORMAT" });
  });
});
