// Merging plan rules that differ in one probed constant (bindings/compile/merge.ts).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { mergeRules } from "../../bindings/compile/merge.js";
import { MODE_BIND, MODE_CHECK, type PlanRule, type Step } from "../../bindings/compile/plan.js";
import type { Plan } from "../../bindings/compile/plan.js";
import { newEngine } from "./wasm-helpers.js";

const READER = 0x10001;
const MAINTAINER = 0x10002;
const OWNER = 0x10003;

/** has_role(u, role, r) with u in register `u`, r in register `r` (index on the user only). */
function roleRule(role: number, u = 0, r = 1, nregs = 2): PlanRule {
  const steps: Step[] = [
    { op: "arg", ki: 0, reg: u },
    { op: "arg", ki: 2, reg: r },
    { op: "probe", rel: 1, mask: 1, altMask: 1, keys: [[0, u], [1, role], [2, r]], outs: [] },
    { op: "emit", operands: [] },
  ];
  return { nregs, steps, source: 0 };
}

describe("mergeRules", () => {
  it("merges rules that differ in one constant outside the index into a probe and an IN", () => {
    const merged = mergeRules([roleRule(READER), roleRule(MAINTAINER, 3, 4, 5), roleRule(OWNER)]);
    expect(merged).toEqual([
      {
        nregs: 3,
        source: 0,
        steps: [
          { op: "arg", ki: 0, reg: 0 },
          { op: "arg", ki: 2, reg: 1 },
          { op: "probe", rel: 1, mask: 1, altMask: 1, keys: [[0, 0], [2, 1]], outs: [[1, 2, MODE_BIND]] },
          { op: "in", reg: 2, mode: MODE_CHECK, list: [READER, MAINTAINER, OWNER] },
          { op: "emit", operands: [] },
        ],
      },
    ]);
  });

  it("keeps rules whose constant is in the probe's index", () => {
    const indexed = (role: number): PlanRule => {
      const r = roleRule(role);
      return { ...r, steps: r.steps.map((s) => (s.op === "probe" ? { ...s, mask: 3, altMask: 3 } : s)) };
    };
    const rules = [indexed(READER), indexed(MAINTAINER)];
    expect(mergeRules(rules)).toEqual(rules);
  });

  it("keeps rules that differ in more than one place, or in how registers are shared", () => {
    const twoPlaces = roleRule(MAINTAINER);
    const other: PlanRule = { ...twoPlaces, steps: twoPlaces.steps.map((s) => (s.op === "probe" ? { ...s, rel: 2 } : s)) };
    expect(mergeRules([roleRule(READER), other])).toEqual([roleRule(READER), other]);
    // the second rule reads both arguments into one register: not the same join
    const shared = roleRule(MAINTAINER, 0, 0);
    expect(mergeRules([roleRule(READER), shared])).toEqual([roleRule(READER), shared]);
  });

  it("does not merge a key that is a register in one rule", () => {
    const withReg = roleRule(1);
    expect(mergeRules([roleRule(READER), withReg])).toEqual([roleRule(READER), withReg]);
  });

  it("gives a merged rule an IR rule's source, never the stored-facts rule's -1", () => {
    const facts = { ...roleRule(READER), source: -1 };
    const derived = { ...roleRule(MAINTAINER), source: 7 };
    expect(mergeRules([facts, derived]).map((r) => r.source)).toEqual([7]);
  });

  it("leaves a single rule and identical rules alone", () => {
    expect(mergeRules([roleRule(READER)])).toEqual([roleRule(READER)]);
    expect(mergeRules([roleRule(READER), roleRule(READER)])).toEqual([roleRule(READER), roleRule(READER)]);
  });
});

/** The plans an engine has made (its private state, for tests only). */
const plansOf = (e: unknown): readonly Plan[] => (e as { st: { loaded: { planner: { all: readonly Plan[] } } } }).st.loaded.planner.all;

/** The bench's gitclub policy: repo roles granted directly and through the parent org. */
const GITCLUB = readFileSync(new URL("../../bench/workloads/gitclub.polar", import.meta.url), "utf8");

describe("merged role rules in an engine", () => {
  it("finds a role implied by another after merging the stored facts' rule with the implication", () => {
    // (Org: "member" if "admin"; Repo: "reader" if "member" on "parent")
    // has_role(u, "member", o) is the stored members or the admins: one merged rule, which must
    // still be called, not probed as if it were only the stored facts
    const e = newEngine();
    e.policy(readFileSync(new URL("../fixtures/org-admin-repos.polar", import.meta.url), "utf8"));
    const alice = { type: "User", id: "alice" };
    const anvil = { type: "Repo", id: "anvil" };
    e.insertMany([["has_role", alice, "admin", { type: "Org", id: "acme" }], ["has_relation", anvil, "parent", { type: "Org", id: "acme" }]]);
    expect(e.authorize(alice, "read", anvil)).toBe(true);
    expect(e.list(alice, "read", "Repo")).toEqual(["anvil"]);
    expect(e.actions(alice, anvil)).toEqual(["read"]);
  });

  const user = { type: "User", id: "u" };
  const repo = { type: "Repo", id: "r" };
  const org = { type: "Org", id: "o" };
  const cases: [string, readonly (readonly [string, ...unknown[]])[], boolean][] = [
    ["reader on the repo", [["has_role", user, "reader", repo]], true],
    ["maintainer on the repo", [["has_role", user, "maintainer", repo]], true],
    ["member of the parent org", [["has_relation", repo, "parent", org], ["has_role", user, "member", org]], true],
    ["admin of the parent org", [["has_relation", repo, "parent", org], ["has_role", user, "admin", org]], true],
    ["a role on another repo", [["has_role", user, "maintainer", { type: "Repo", id: "other" }]], false],
    ["member of an org that is not the parent", [["has_relation", repo, "parent", org], ["has_role", user, "member", { type: "Org", id: "p" }]], false],
  ];
  for (const [name, facts, allowed] of cases) {
    it(`read: ${name}`, () => {
      const e = newEngine();
      e.policy(GITCLUB);
      for (const f of facts) e.insert(f as never);
      expect(e.authorize(user, "read", repo)).toBe(allowed);
      // the repo check walks the user's roles once per join, not once per role
      const read = plansOf(e).filter((p) => p.pred === "has_permission/3" && p.mask === 0b111 && p.rules.some((r) => r.steps.some((s) => s.op === "in")));
      expect(read.length).toBeGreaterThan(0);
      for (const p of read) expect(p.rules.filter((r) => r.steps.some((s) => s.op === "in"))).toHaveLength(2);
    });
  }
});
