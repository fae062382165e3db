import { describe, expect, it } from "vitest";
import { ent, rows } from "./reference-helpers.js";
import { ENGINE_KINDS } from "./engine-kinds.js";

describe.each(ENGINE_KINDS)("$name engine", ({ engineFor }) => {
  const TYPES = {
    User: ["Actor"],
    Team: ["Actor"],
    Org: ["Resource"],
    Repo: ["Resource"],
    Fork: ["Repo"], // `resource Fork extends Repo`
  };

  describe("reference evaluator: recursion", () => {
    const spec = {
      rules: `
      reach(x, y) :- edge(x, y).
      reach(x, z) :- reach(x, y), edge(y, z).
    `,
      signatures: { "edge/2": "any" as const },
    };
    const cycle = [
      ["edge", "a", "b"],
      ["edge", "b", "c"],
      ["edge", "c", "a"],
      ["edge", "d", "d"],
      ["edge", "e", "a"],
    ] as const;

    it("terminates on cyclic data with the full transitive closure", () => {
      const e = engineFor(spec, cycle);
      const all = rows(e.query("reach", [null, null]));
      const expected: string[] = [];
      for (const x of ["a", "b", "c", "e"]) for (const y of ["a", "b", "c"]) expected.push(`"${x}"|"${y}"`);
      expected.push(`"d"|"d"`);
      expect(all).toEqual(expected.sort());
      expect(rows(e.query("reach", ["e", null]))).toEqual([`"e"|"a"`, `"e"|"b"`, `"e"|"c"`]);
      expect(rows(e.query("reach", ["a", "e"]))).toEqual([]);
    });

    it("handles a long chain (many semi-naive rounds)", () => {
      const chain = Array.from({ length: 200 }, (_, i) => ["edge", `n${i}`, `n${i + 1}`] as const);
      const e = engineFor(spec, [...chain, ["edge", "n200", "n0"]]);
      expect(e.query("reach", ["n0", null])).toHaveLength(201);
      expect(e.query("reach", [null, null])).toHaveLength(201 * 201);
    });

    it("handles mutual recursion and two recursive atoms in one body", () => {
      const e = engineFor({
        rules: `
        even(x) :- zero(x).
        even(y) :- odd(x), succ(x, y).
        odd(y) :- even(x), succ(x, y).
        path(x, y) :- edge(x, y).
        path(x, z) :- path(x, y), path(y, z).
      `,
        signatures: { "zero/1": "any", "succ/2": "any", "edge/2": "any" },
      }, [["zero", 0], ["succ", 0, 1], ["succ", 1, 2], ["succ", 2, 3], ["succ", 3, 4], ["edge", "a", "b"], ["edge", "b", "c"], ["edge", "c", "d"], ["edge", "d", "a"]]);
      expect(rows(e.query("even", [null]))).toEqual(["0", "2", "4"]);
      expect(rows(e.query("odd", [null]))).toEqual(["1", "3"]);
      expect(e.query("path", [null, null])).toHaveLength(16);
    });
  });

  describe("reference evaluator: stratified negation", () => {
    it("evaluates `not` over a complete lower stratum", () => {
      const e = engineFor({
        rules: `
        reach(x, y) :- edge(x, y).
        reach(x, z) :- reach(x, y), edge(y, z).
        unreachable(x, y) :- node(x), node(y), not reach(x, y).
        isolated(x) :- node(x), not reach(x, _), not reach(_, x).
      `,
        signatures: { "edge/2": "any", "node/1": "any" },
      }, [["node", "a"], ["node", "b"], ["node", "c"], ["node", "z"], ["edge", "a", "b"], ["edge", "b", "a"], ["edge", "b", "c"]]);
      expect(rows(e.query("unreachable", ["c", null]))).toEqual([`"c"|"a"`, `"c"|"b"`, `"c"|"c"`, `"c"|"z"`]);
      expect(rows(e.query("unreachable", ["a", null]))).toEqual([`"a"|"z"`]);
      expect(rows(e.query("isolated", [null]))).toEqual([`"z"`]);
    });

    it("runs demand-only `#notN` helpers per call (the forall idiom)", () => {
      // ok(u, d) :- doc(d), user(u), not (requires(d, r) and not has(u, r)).
      const e = engineFor({
        rules: `
        ok(u, d) :- doc(d), user(u), not #not1(d, u).
        #not1(d, u) :- requires(d, r), not has(u, r).
      `,
        signatures: { "doc/1": "any", "user/1": "any", "requires/2": "any", "has/2": "any" },
      }, [
        ["doc", "d1"], ["doc", "d2"], ["doc", "open"], ["user", "amy"], ["user", "bo"],
        ["requires", "d1", "x"], ["requires", "d1", "y"], ["requires", "d2", "x"],
        ["has", "amy", "x"], ["has", "amy", "y"], ["has", "bo", "x"],
      ]);
      expect(rows(e.query("ok", [null, null]))).toEqual([
        `"amy"|"d1"`, `"amy"|"d2"`, `"amy"|"open"`, `"bo"|"d2"`, `"bo"|"open"`,
      ]);
    });
  });

  describe("reference evaluator: wildcards", () => {
    const sig = { "org/1": "any", "banned/1": "any", "member/2": "any" } as const;

    it("keeps typed head wildcards as wildcards (query reports null)", () => {
      const e = engineFor({ types: TYPES, rules: `has_permission(_: User, "read", _: Org). has_permission(User:al, "read", Org:acme).` });
      expect(rows(e.query("has_permission", [null, null, null]))).toEqual([`*|"read"|*`, `User:al|"read"|Org:acme`]);
      expect(rows(e.query("has_permission", [ent("User", "bo"), null, { type: "Org" }]))).toEqual([`User:bo|"read"|*`]);
      expect(rows(e.query("has_permission", [{ type: "Team" }, null, null]))).toEqual([]);
    });

    it("joins wildcards with wildcards (the narrower wins) and narrows on values", () => {
      const e = engineFor({
        types: TYPES,
        rules: `
        anyres(x) :- x: Resource.
        anyorg(x) :- x: Org.
        anyuser(x) :- x: User.
        both(x) :- anyres(x), anyorg(x).
        both2(x) :- anyorg(x), anyres(x).
        clash(x) :- anyorg(x), anyuser(x).
        narrowed(x) :- anyres(x), org(x).
        isa_narrow(x) :- anyres(x), x: Org.
        isa_keep(x) :- anyorg(x), x: Resource.
        isa_fail(x) :- anyorg(x), x: User.
      `,
        signatures: sig,
      }, [["org", ent("Org", "acme")], ["org", "notanentity"]]);
      const types = (p: string): unknown[] => e.query(p, [{ type: "Org" }]);
      expect(types("both")).toEqual([["both", null]]);
      expect(types("both2")).toEqual([["both2", null]]);
      // both is *Org, not *Resource: a Repo pattern finds nothing.
      expect(e.query("both", [{ type: "Repo" }])).toEqual([]);
      expect(e.query("anyres", [{ type: "Repo" }])).toEqual([["anyres", null]]);
      expect(e.query("clash", [null])).toEqual([]);
      expect(rows(e.query("narrowed", [null]))).toEqual(["Org:acme"]);
      expect(e.query("isa_narrow", [{ type: "Repo" }])).toEqual([]);
      expect(e.query("isa_narrow", [{ type: "Org" }])).toEqual([["isa_narrow", null]]);
      expect(e.query("isa_keep", [{ type: "Org" }])).toEqual([["isa_keep", null]]);
      expect(e.query("isa_fail", [null])).toEqual([]);
    });

    it("a wildcard never absorbs concrete answers", () => {
      const e = engineFor({ types: TYPES, rules: `p(_: Org). p(x) :- org(x).`, signatures: sig }, [["org", ent("Org", "acme")]]);
      expect(rows(e.query("p", [null]))).toEqual(["*", "Org:acme"]);
      expect(rows(e.query("p", [ent("Org", "zzz")]))).toEqual(["Org:zzz"]);
      expect(rows(e.query("p", [ent("Org", "acme")]))).toEqual(["Org:acme"]);
    });

    it("`in` and `=` on a wildcard bind each compatible element", () => {
      const e = engineFor({
        types: TYPES,
        rules: `
        w(x) :- x: Org, x in [Org:a, User:b, Org:c, "s"].
        eq(x) :- x: Org, x = Org:z.
        eq_bad(x) :- x: Org, x = User:z.
        eqw(x, y) :- x: Resource, y: Org, x = y.
      `,
      });
      expect(rows(e.query("w", [null]))).toEqual(["Org:a", "Org:c"]);
      expect(rows(e.query("eq", [null]))).toEqual(["Org:z"]);
      expect(e.query("eq_bad", [null])).toEqual([]);
      expect(e.query("eqw", [{ type: "Org" }, { type: "Org" }])).toEqual([["eqw", null, null]]);
      expect(e.query("eqw", [{ type: "Repo" }, null])).toEqual([]);
    });

    it("comparisons with a wildcard operand fail; `not` with a wildcard is conservative", () => {
      const e = engineFor({
        types: TYPES,
        rules: `
        ne(x) :- x: Integer, x != 3.
        lt(x) :- x: Integer, x < 3.
        notbanned(x) :- x: User, not banned(x).
        notbanned_org(x) :- x: Org, not banned(x).
        ok(x) :- notbanned(x), member(x, "club").
      `,
        signatures: sig,
      }, [["banned", ent("User", "bad")], ["member", ent("User", "amy"), "club"], ["member", ent("User", "bad"), "club"]]);
      expect(e.query("ne", [null])).toEqual([]);
      expect(e.query("lt", [null])).toEqual([]);
      // Some User is banned, so "not banned(*User)" fails; no Org is banned.
      expect(e.query("notbanned", [null])).toEqual([]);
      expect(e.query("notbanned_org", [null])).toEqual([["notbanned_org", null]]);
      expect(e.query("ok", [null])).toEqual([]);
    });

    it("a wildcard answer joined into a concrete rule gives the concrete value", () => {
      const e = engineFor({
        types: TYPES,
        rules: `
        has_role(u: User, "owner", _: Org) :- admin(u).
        has_role(u, "admin", repo) :- has_relation(repo, "parent", org), has_role(u, "owner", org).
      `,
        signatures: { "admin/1": "any", "has_relation/3": "any", "has_role/3": "any" },
      }, [["admin", ent("User", "root")], ["has_relation", ent("Repo", "anvil"), "parent", ent("Org", "acme")], ["has_relation", ent("Repo", "x"), "parent", ent("Team", "t")]]);
      expect(rows(e.query("has_role", [null, "admin", null]))).toEqual([`User:root|"admin"|Repo:anvil`]);
      expect(rows(e.query("has_role", [null, "owner", null]))).toEqual([`User:root|"owner"|*`]);
    });
  });

  describe("reference evaluator: comparisons and now", () => {
    it("compares Integers as i64 and nothing else", () => {
      const e = engineFor({
        rules: `
        lt(x, y) :- val(x), val(y), x < y.
        ge(x, y) :- val(x), val(y), x >= y.
        ne(x, y) :- val(x), val(y), x != y.
      `,
        signatures: { "val/1": "any" },
      }, [["val", 2], ["val", 10], ["val", -9223372036854775808n], ["val", 9223372036854775807n], ["val", "3"], ["val", true]]);
      expect(rows(e.query("lt", [null, null]))).toEqual([
        "-9223372036854775808n|10", "-9223372036854775808n|2", "-9223372036854775808n|9223372036854775807n",
        "10|9223372036854775807n", "2|10", "2|9223372036854775807n",
      ].sort());
      expect(e.query("lt", ["3", null])).toEqual([]);
      expect(e.query("ge", [true, true])).toEqual([]);
      expect(e.query("ge", [10, 10])).toEqual([["ge", 10, 10]]);
      expect(e.query("ne", [null, null])).toHaveLength(30);
      expect(e.query("ne", ["3", "3"])).toEqual([]);
    });

    it("`now` is one Integer per query, pinnable through the options", () => {
      let clock = 1000n;
      const spec = { rules: `valid(x) :- expires(x, t), t > now. at(t) :- t = now.`, signatures: { "expires/2": "any" } as const };
      const e = engineFor(spec, [["expires", "a", 999], ["expires", "b", 1000], ["expires", "c", 1001], ["expires", "d", 5000]], { now: () => clock });
      expect(rows(e.query("valid", [null]))).toEqual([`"c"`, `"d"`]);
      expect(e.query("at", [null])).toEqual([["at", 1000]]);
      clock = 2000n;
      expect(rows(e.query("valid", [null]))).toEqual([`"d"`]);
      expect(e.query("at", [null])).toEqual([["at", 2000]]);
    });

    it("defaults `now` to the wall clock in seconds", () => {
      const e = engineFor({ rules: `at(t) :- t = now.` });
      const before = Math.floor(Date.now() / 1000);
      const [[, t]] = e.query("at", [null]) as [[string, number]];
      expect(t).toBeGreaterThanOrEqual(before);
      expect(t).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
    });
  });

  describe("reference evaluator: subtyping", () => {
    it("follows Actor/Resource/extends and treats opaque types as themselves only", () => {
      const e = engineFor({
        types: { ...TYPES, Role: [] },
        rules: `
        has_permission(a: Actor, "read", r: Resource) :- owner(a, r).
        repo_only(r: Repo) :- thing(r).
        actor_only(a: Actor) :- thing(a).
        resource_only(r: Resource) :- thing(r).
      `,
        signatures: { "owner/2": "any", "thing/1": "any" },
      }, [
        ["owner", ent("User", "u"), ent("Fork", "f")],
        ["owner", ent("Role", "r"), ent("Repo", "x")],
        ["thing", ent("Fork", "f")], ["thing", ent("Repo", "r")], ["thing", ent("User", "u")],
        ["thing", ent("Role", "viewer")], ["thing", ent("Actor", "alice")], ["thing", "str"],
      ]);
      expect(rows(e.query("has_permission", [null, null, null]))).toEqual([`User:u|"read"|Fork:f`]);
      expect(rows(e.query("repo_only", [null]))).toEqual(["Fork:f", "Repo:r"]);
      expect(rows(e.query("actor_only", [null]))).toEqual(["Actor:alice", "User:u"]);
      expect(rows(e.query("resource_only", [null]))).toEqual(["Actor:alice", "Fork:f", "Repo:r", "User:u"]);
      // `{type}` patterns are exact: a Fork is not reported for `{type: "Repo"}`.
      expect(rows(e.query("repo_only", [{ type: "Repo" }]))).toEqual(["Repo:r"]);
    });
  });
});
