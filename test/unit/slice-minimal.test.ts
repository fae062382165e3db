// A slice holds exactly the facts its actor's answers read: nothing of another tenant, and the
// facts read inside `not`.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Fact, Value } from "../../bindings/api/types.js";
import { decodeSlice } from "../../bindings/slice/index.js";
import { newEngine } from "./wasm-helpers.js";

const POLICY = readFileSync(new URL("../fixtures/tenants.polar", import.meta.url), "utf8");

const U = (id: string) => ({ type: "User", id });
const O = (id: string) => ({ type: "Org", id });
const R = (id: string) => ({ type: "Repo", id });
const I = (id: string) => ({ type: "Issue", id });
const H = (id: string) => ({ type: "Handbook", id });

/** Two tenants: acme (alice, carol banned) and globex (bob). */
const FACTS: Fact[] = [
  ["has_role", U("alice"), "member", O("acme")],
  ["has_role", U("carol"), "admin", O("acme")],
  ["has_relation", R("anvil"), "org", O("acme")],
  ["has_relation", I("a1"), "repo", R("anvil")],
  ["has_relation", I("a2"), "repo", R("anvil")],
  ["has_role", U("alice"), "maintainer", R("anvil")],
  ["is_banned", U("carol"), O("acme")],
  ["has_role", U("bob"), "admin", O("globex")],
  ["has_relation", R("gizmo"), "org", O("globex")],
  ["has_relation", I("g1"), "repo", R("gizmo")],
  ["has_role", U("bob"), "maintainer", R("gizmo")],
  ["handbook_of", H("h1"), O("acme")],
];

function server() {
  const e = newEngine();
  e.policy(POLICY);
  e.insertMany(FACTS);
  return e;
}

/** 5 facts with their strings and values, one known value, header and checksum. */
const SIZE_WITHOUT_POLICY = 180;

const show = (f: readonly unknown[]): string => f.map((v) => (typeof v === "object" && v !== null ? `${(v as { type: string }).type}:${(v as { id: string }).id}` : String(v))).join(" ");

function sliceFacts(actor: Value): string[] {
  return decodeSlice(server().slice(actor)).facts.map(([p, ...args]) => show([p, ...args.map((a) => (a.type === "String" ? a.id : a))]));
}

describe("slice minimality", () => {
  it("alice's slice: her tenant's facts she reaches, nothing of globex", () => {
    expect(sliceFacts(U("alice"))).toEqual([
      "has_relation Issue:a1 repo Repo:anvil",
      "has_relation Issue:a2 repo Repo:anvil",
      "has_relation Repo:anvil org Org:acme",
      "has_role User:alice maintainer Repo:anvil",
      "has_role User:alice member Org:acme",
    ]);
  });
  it("a banned user's slice holds the fact read inside `not`", () => {
    const facts = sliceFacts(U("carol"));
    expect(facts).toContain("is_banned User:carol Org:acme");
    expect(facts.some((f) => f.includes("globex") || f.includes("bob") || f.includes("alice"))).toBe(false);
  });
  it("bob's slice holds none of acme's facts", () => {
    const facts = sliceFacts(U("bob"));
    expect(facts.length).toBeGreaterThan(0);
    expect(facts.some((f) => f.includes("acme") || f.includes("anvil") || f.includes("alice") || f.includes("carol"))).toBe(false);
  });
  it("a wildcard answer carries the known values list expands it to", () => {
    const d = decodeSlice(server().slice(U("alice")));
    expect(d.known).toEqual([H("h1")]);
  });
  it("the slice engine answers like the server", () => {
    const full = server();
    for (const actor of ["alice", "bob", "carol", "dave"].map(U)) {
      const e = newEngine();
      e.loadSlice(full.slice(actor));
      for (const r of [O("acme"), O("globex"), R("anvil"), R("gizmo"), I("a1"), I("a2"), I("g1"), H("h1"), H("h9")]) {
        expect(e.actions(actor, r), `${actor.id} ${r.id}`).toEqual(full.actions(actor, r));
        for (const act of ["read", "push", "close", "manage"]) expect(e.authorize(actor, act, r)).toBe(full.authorize(actor, act, r));
      }
      for (const t of ["Org", "Repo", "Issue", "Handbook"]) for (const act of ["read", "push", "close", "manage"]) expect(e.list(actor, act, t), `${actor.id} ${act} ${t}`).toEqual(full.list(actor, act, t));
    }
  });
  it("answers of the example", () => {
    const e = newEngine();
    e.loadSlice(server().slice(U("alice")));
    expect(e.list(U("alice"), "close", "Issue")).toEqual(["a1", "a2"]);
    expect(e.list(U("alice"), "read", "Handbook")).toEqual(["h1"]);
    expect(e.actions(U("alice"), R("anvil"))).toEqual(["push", "read"]);
    const carol = newEngine();
    carol.loadSlice(server().slice(U("carol")));
    expect(carol.actions(U("carol"), O("acme"))).toEqual([]);
  });
  it("a wildcard actor makes the evaluation read every actor's facts: the slice grows, answers stay exact", () => {
    // `_: User` yields the answer (*User, "read", *Handbook); `not is_banned(*User, _)` is
    // conservative (docs/semantics.md), so alice's answer depends on anyone being banned
    const wild = POLICY.replace('has_permission(user: User, "read", _: Handbook) if has_role(user, "member", _);', 'has_permission(_: User, "read", _: Handbook);');
    const full = newEngine();
    full.policy(wild);
    full.insertMany(FACTS);
    const bytes = full.slice(U("alice"));
    const facts = decodeSlice(bytes).facts.map((f) => show([f[0], ...f.slice(1).map((a) => (typeof a === "object" && a.type === "String" ? a.id : a))]));
    expect(facts).toContain("is_banned User:carol Org:acme");
    expect(facts).toContain("has_role User:bob admin Org:globex");
    const e = newEngine();
    e.loadSlice(bytes);
    expect(full.authorize(U("alice"), "read", H("h1"))).toBe(false);
    expect(e.authorize(U("alice"), "read", H("h1"))).toBe(false);
    expect(e.list(U("alice"), "read", "Repo")).toEqual(full.list(U("alice"), "read", "Repo"));
    full.delete(["is_banned", null, null]);
    e.loadSlice(full.slice(U("alice")));
    expect(e.authorize(U("alice"), "read", H("h9"))).toBe(true);
    expect(e.list(U("alice"), "read", "Handbook")).toEqual(["h1"]);
  });
  it("size: alice's slice without the policy", () => {
    const bytes = server().slice(U("alice"), { includePolicy: false });
    console.log(`alice's slice: 5 facts, ${bytes.length} bytes without the policy`);
    expect(bytes.length).toBe(SIZE_WITHOUT_POLICY);
    const e = newEngine();
    e.policy(POLICY);
    e.loadSlice(bytes);
    expect(e.list(U("alice"), "read", "Repo")).toEqual(["anvil"]);
  });
  it("needs a policy loaded from source", () => {
    expect(() => newEngine().slice(U("alice"))).toThrow("a slice needs a policy loaded with policy()");
  });
});
