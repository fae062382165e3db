// Plan shapes the evaluator relies on for recursion cost (docs/engine.md, "Known argument types").
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Plan } from "../../bindings/compile/plan.js";
import type { Fact } from "../../bindings/api/types.js";
import { newEngine } from "./wasm-helpers.js";

/** The plans an engine has made (its private state, for tests only). */
const plansOf = (e: unknown): readonly Plan[] => (e as { st: { loaded: { planner: { all: readonly Plan[] } } } }).st.loaded.planner.all;

const FOLDERS = `
actor User {}
resource Folder {
  roles = ["viewer", "editor"];
  permissions = ["read"];
  relations = { parent: Folder };
  "viewer" if "editor";
  "viewer" if "viewer" on "parent";
  "editor" if "editor" on "parent";
  "read" if "viewer";
}
`;

describe("plans", () => {
  it("a recursive call does not re-check the types its caller checked", () => {
    const e = newEngine();
    e.policy(FOLDERS);
    expect(e.authorize({ type: "User", id: "u" }, "read", { type: "Folder", id: "f" })).toBe(false);
    const plans = plansOf(e);
    const recursive = plans.filter((p) => p.pred === "has_role/3" && p.mask === 0b111).flatMap((p) => p.rules.filter((r) => r.steps.some((s) => s.op === "probe" && s.outs.length > 0)));
    expect(recursive.length).toBeGreaterThan(0);
    for (const r of recursive) {
      // only the parent found by the probe is checked (its type is not known before)
      const isas = r.steps.filter((s) => s.op === "isa");
      expect(isas).toHaveLength(1);
      const probeAt = r.steps.findIndex((s) => s.op === "probe");
      expect(r.steps.indexOf(isas[0]!)).toBeGreaterThan(probeAt);
    }
  });
});

// the bench's gitclub policy (bench/README.md)
const GITCLUB = readFileSync(new URL("../../bench/workloads/gitclub.polar", import.meta.url), "utf8");

const U = (id: string) => ({ type: "User", id });
const callsIn = (p: Plan): number => p.rules.reduce((n, r) => n + r.steps.filter((s) => s.op === "call").length, 0);
const oncesIn = (p: Plan): number => p.rules.reduce((n, r) => n + r.steps.filter((s) => s.op === "once").length, 0);

describe("unfolding fully bound calls", () => {
  it("flattens gitclub's authorize plans into probes and filters, with the same answers", () => {
    const e = newEngine();
    e.policy(GITCLUB);
    e.insert(["has_relation", { type: "Repo", id: "r" }, "parent", { type: "Org", id: "o" }]);
    e.insert(["has_relation", { type: "Issue", id: "i" }, "parent", { type: "Repo", id: "r" }]);
    e.insert(["has_role", U("admin"), "admin", { type: "Org", id: "o" }]);
    e.insert(["has_role", U("member"), "member", { type: "Org", id: "o" }]);
    e.insert(["has_role", U("maint"), "maintainer", { type: "Repo", id: "r" }]);
    const issue = { type: "Issue", id: "i" };
    const repo = { type: "Repo", id: "r" };
    for (const u of ["admin", "member", "maint"]) {
      expect(e.authorize(U(u), "read", issue)).toBe(true);
      expect(e.authorize(U(u), "read", repo)).toBe(true);
    }
    expect(e.authorize(U("member"), "delete", repo)).toBe(false);
    expect(e.authorize(U("admin"), "delete", repo)).toBe(true);
    expect(e.authorize(U("nobody"), "read", issue)).toBe(false);
    const full = plansOf(e).filter((p) => p.mask === 0b111 && (p.pred === "has_permission/3" || p.pred === "has_role/3"));
    // read on a repo: the stored facts, then reader spelt out as probes: reader or maintainer
    // facts (one probe and an `in`, merge.ts); member or admin on the parent org
    // (delete on a repo is 3 rules too, none merged: maintainer facts; admin on the parent org)
    const hasIn = (p: Plan): boolean => p.rules.some((r) => r.steps.some((s) => s.op === "in"));
    const repoRead = full.filter((p) => p.pred === "has_permission/3" && p.rules.length === 3 && callsIn(p) === 0 && hasIn(p));
    expect(repoRead.length).toBeGreaterThan(0);
    for (const p of repoRead) {
      expect(p.rules.map((r) => r.steps.filter((s) => s.op === "probe").length)).toEqual([1, 1, 2]);
      expect(p.rules.map((r) => r.steps.filter((s) => s.op === "in").length)).toEqual([0, 1, 1]);
      // the callee's arguments are the caller's registers: no copies
      for (const r of p.rules) expect(r.steps.filter((s) => s.op === "move")).toHaveLength(0);
    }
    // read on an issue: the call after the parent probe stays (unfolding would repeat the probe
    // in every rule), and runs the flat repo plan untabled (ONCE): no subgoal below the root
    expect(full.reduce((n, p) => n + callsIn(p), 0)).toBe(0);
    const issueCalls = full.flatMap((p) => p.rules.flatMap((r) => r.steps.flatMap((s, i) => (s.op === "once" ? [{ s, after: r.steps.slice(0, i).some((x) => x.op === "probe") }] : []))));
    expect(issueCalls.length).toBeGreaterThan(0);
    for (const { s, after } of issueCalls) {
      expect(after).toBe(true);
      const callee = plansOf(e)[(s as { plan: number }).plan]!;
      expect(callsIn(callee) + oncesIn(callee)).toBe(0);
    }
  });

  it("keeps recursive calls", () => {
    const e = newEngine();
    e.policy(FOLDERS);
    expect(e.authorize(U("u"), "read", { type: "Folder", id: "f" })).toBe(false);
    const viewer = plansOf(e).filter((p) => p.pred === "has_role/3" && p.mask === 0b111);
    expect(viewer.reduce((n, p) => n + callsIn(p), 0)).toBeGreaterThan(0);
  });

  it("runs the calls of a plan whose unfolding would pass the cap of 32 rules untabled", () => {
    // p: 5 rules, each calling a q_k of 7 rules (stored facts + 6): 1 + 5 × 7 = 36 > 32
    const qs = Array.from({ length: 5 }, (_, k) => Array.from({ length: 6 }, (_, i) => `q${k}(x: User) if f${k}_${i}(x);`).join("\n")).join("\n");
    const ps = Array.from({ length: 5 }, (_, k) => `p(x: User) if q${k}(x);`).join("\n");
    const src = `actor User {}\nallow(x: User, "go", _r: User) if p(x);\n${ps}\n${qs}`;
    const e = newEngine();
    e.policy(src);
    e.insert(["f3_5", U("a")]);
    expect(e.authorize(U("a"), "go", U("b"))).toBe(true);
    expect(e.authorize(U("b"), "go", U("a"))).toBe(false);
    const p = plansOf(e).filter((x) => x.pred === "p/1" && x.mask === 1);
    expect(p).toHaveLength(1);
    // the rules stay, their flat calls run untabled
    expect(callsIn(p[0]!)).toBe(0);
    expect(oncesIn(p[0]!)).toBe(5);
    // with 4 q's the plan fits (1 + 4 × 7 = 29): every call is unfolded
    const small = newEngine();
    small.policy(src.replace("p(x: User) if q4(x);", ""));
    small.insert(["f3_5", U("a")]);
    expect(small.authorize(U("a"), "go", U("b"))).toBe(true);
    expect(small.authorize(U("b"), "go", U("a"))).toBe(false);
    const q = plansOf(small).filter((x) => x.pred === "p/1" && x.mask === 1);
    expect(q).toHaveLength(1);
    expect(callsIn(q[0]!) + oncesIn(q[0]!)).toBe(0);
    expect(q[0]!.rules).toHaveLength(29);
  });
});

describe("untabled (ONCE) calls", () => {
  // an issue is readable via its repo: the repo plan is flat (probes only) and runs after the
  // parent probe, so it is a ONCE call; two of its rules succeed for u, and the caller's last
  // step (is_open) can fail after it succeeded
  const SRC = `actor User {}
resource Org { roles = ["member"]; }
resource Repo {
  roles = ["reader"];
  permissions = ["read"];
  relations = { parent: Org };
  "reader" if "member" on "parent";
  "read" if "reader";
}
resource Issue { permissions = ["read"]; relations = { parent: Repo }; }
has_permission(u: User, "read", i: Issue) if has_relation(i, "parent", r) and r matches Repo and has_permission(u, "read", r) and is_open(i);
allow(a: Actor, x: String, r: Resource) if has_permission(a, x, r);`;
  const R = (id: string) => ({ type: "Repo", id });
  const I = (id: string) => ({ type: "Issue", id });

  it("answers like the tabled call it replaces", () => {
    const e = newEngine();
    e.policy(SRC);
    e.insertMany([
      ["has_relation", R("r1"), "parent", { type: "Org", id: "o" }],
      ["has_relation", R("r2"), "parent", { type: "Org", id: "o2" }],
      ["has_role", U("u"), "member", { type: "Org", id: "o" }],
      ["has_role", U("u"), "reader", R("r1")],
      ["has_role", U("v"), "reader", R("r2")],
      ...["i1", "i2", "i3"].map((i): ["has_relation", { type: string; id: string }, string, { type: string; id: string }] => ["has_relation", I(i), "parent", R("r1")]),
      ["has_relation", I("i4"), "parent", R("r2")],
      ["is_open", I("i1")],
      ["is_open", I("i3")],
      ["is_open", I("i4")],
    ]);
    const plans = plansOf(e);
    expect(e.authorize(U("u"), "read", I("i1"))).toBe(true);
    expect(plans.some((p) => p.pred === "has_permission/3" && oncesIn(p) === 1 && callsIn(p) === 0)).toBe(true);
    expect(e.authorize(U("u"), "read", I("i2"))).toBe(false); // the ONCE call succeeds, is_open fails
    expect(e.authorize(U("u"), "read", I("i4"))).toBe(false); // the ONCE call fails
    expect(e.authorize(U("v"), "read", I("i4"))).toBe(true);
    expect(e.authorize(U("w"), "read", I("i1"))).toBe(false);
    expect(e.list(U("u"), "read", "Issue")).toEqual(["i1", "i3"]);
    expect(e.list(U("v"), "read", "Issue")).toEqual(["i4"]);
    expect(e.actions(U("u"), I("i3"))).toEqual(["read"]);
    expect(e.actions(U("u"), I("i2"))).toEqual([]);
  });
});

describe("touch hints", () => {
  it("start gitclub's authorize plan by reading the issue's and the user's index slots, with the same answers on a store large enough to use them", () => {
    const e = newEngine();
    e.policy(GITCLUB);
    // 40k issues and 40k users: the issue and user indexes pass the size where touches read
    const n = 40_000;
    const facts: Fact[] = [["has_relation", { type: "Repo", id: "r" }, "parent", { type: "Org", id: "o" }]];
    for (let i = 0; i < n; i++) {
      facts.push(["has_relation", { type: "Issue", id: `i${i}` }, "parent", { type: "Repo", id: "r" }]);
      facts.push(["has_role", U(`u${i}`), i % 3 === 0 ? "member" : "reader", i % 2 === 0 ? { type: "Org", id: "o" } : { type: "Repo", id: "r2" }]);
    }
    e.insertMany(facts);
    for (const i of [0, 1, 2, 3, 6, 7, 39_999]) {
      // u_i reads every issue of r iff it is a member of o (i % 6 == 0) or a reader on o's repos (no such role here)
      const expected = i % 2 === 0 && i % 3 === 0;
      expect(e.authorize(U(`u${i}`), "read", { type: "Issue", id: `i${(i * 7) % n}` })).toBe(expected);
    }
    expect(e.authorize(U("nobody"), "read", { type: "Issue", id: "i5" })).toBe(false);
    expect(e.authorize(U("u0"), "read", { type: "Issue", id: "missing" })).toBe(false);
    const touches = plansOf(e).flatMap((p) => p.rules.flatMap((r) => r.steps.filter((s) => s.op === "touch")));
    expect(touches).toHaveLength(1);
    // (relation, mask, key index): has_relation by the issue (key 2) and has_role by the user (key 0)
    const t = touches[0] as Extract<Plan["rules"][number]["steps"][number], { op: "touch" }>;
    expect(new Set(t.touches.map((x) => x[2]))).toEqual(new Set([0, 2]));
  });
});
