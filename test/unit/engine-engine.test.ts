import { describe, expect, it } from "vitest";
import { FactError } from "../../bindings/api/errors.js";
import { NO_SPAN } from "../../bindings/api/span.js";
import type { AuthorizationEngine, Fact } from "../../bindings/api/types.js";
import { buildProgram, ent, rows, type ProgramSpec } from "./reference-helpers.js";
import { ENGINE_KINDS, type EngineKind } from "./engine-kinds.js";

describe.each(ENGINE_KINDS)("$name engine", ({ engineFor, newEngine, name }) => {
  const TYPES = { User: ["Actor"], Org: ["Resource"], Repo: ["Resource"], Fork: ["Repo"] };
  const BLOCKS = { Repo: { permissions: ["read", "push"] }, Fork: { permissions: ["sync"], extends: ["Repo"] }, Org: { permissions: ["read", "admin"] } };
  const SIGS = {
    "has_role/3": [["Actor", "String", "Resource"]],
    "has_role/2": [["Actor", "String"]],
    "is_public/1": [["Repo"]],
    "superuser/1": [["User"]],
    "reader/2": [["User", "Resource"]],
  } as const;

  const spec: ProgramSpec = {
    types: TYPES,
    blocks: BLOCKS,
    signatures: SIGS,
    rules: `
    allow(u: User, "read", r: Repo) :- is_public(r), u: User.
    allow(u: User, "read", _: Org) :- has_role(u, "admin").
    allow(u, a, r) :- has_role(u, a, r).
    allow(u: User, _: String, r: Resource) :- superuser(u), reader(u, r).
    allow(u: User, "push", _: Resource) :- has_role(u, "pusher").
    allow(u, "read", Repo:policyrepo) :- superuser(u).
  `,
  };

  function fresh(facts: readonly Fact[] = []): ReturnType<EngineKind["engineFor"]> {
    return engineFor(spec, facts);
  }

  function err(f: () => unknown): FactError {
    try {
      f();
    } catch (e) {
      if (e instanceof FactError) return e;
      throw e;
    }
    throw new Error("expected a FactError");
  }

  describe("reference engine: list", () => {
    it("expands a resource wildcard over the known values of exactly that type", () => {
      const e = fresh([
        ["has_role", ent("User", "admin"), "admin"],
        ["has_role", ent("User", "bob"), "read", ent("Org", "zeta")],
        ["has_role", ent("User", "other"), "read", ent("Org", "alpha")],
        ["is_public", ent("Repo", "pub")],
        ["has_role", ent("User", "p"), "pusher"],
        ["has_role", ent("User", "p"), "read", ent("Fork", "f1")],
      ]);
      // *Org expands over every Org in stored facts.
      expect(e.list(ent("User", "admin"), "read", "Org")).toEqual(["alpha", "zeta"]);
      expect(e.list(ent("User", "bob"), "read", "Org")).toEqual(["zeta"]);
      // Context facts and the policy's constants count as known values; a Fork is not a Repo.
      expect(e.list(ent("User", "p"), "push", "Repo", [["is_public", ent("Repo", "ctx")]])).toEqual(["ctx", "policyrepo", "pub"]);
      expect(e.list(ent("User", "p"), "push", "Fork")).toEqual(["f1"]);
      // The query's own values count too (User is an Actor ⊑ Resource here).
      expect(e.list(ent("User", "p"), "push", "User")).toEqual(["other", "p", "admin", "bob"].sort());
      expect(e.list(ent("User", "nobody"), "read", "Org")).toEqual([]);
      // Sorted by UTF-16 code units.
      const u = fresh([["has_role", ent("User", "x"), "read", ent("Org", "b")], ["has_role", ent("User", "x"), "read", ent("Org", "B")], ["has_role", ent("User", "x"), "read", ent("Org", "é")], ["has_role", ent("User", "x"), "read", ent("Org", "a")]]);
      expect(u.list(ent("User", "x"), "read", "Org")).toEqual(["B", "a", "b", "é"]);
    });

    it("does not expand a narrower wildcard for a wider type", () => {
      const e = fresh([["has_role", ent("User", "admin"), "admin"], ["has_role", ent("User", "x"), "read", ent("Resource", "r")]]);
      expect(e.list(ent("User", "admin"), "read", "Resource")).toEqual([]);
    });
  });

  describe("reference engine: actions", () => {
    it("lists concrete actions and expands an action wildcard over the block's permissions", () => {
      const e = fresh([
        ["superuser", ent("User", "su")],
        ["reader", ent("User", "su"), ent("Fork", "f")],
        ["reader", ent("User", "su"), ent("Org", "o")],
        ["has_role", ent("User", "bob"), "read", ent("Repo", "r")],
        ["has_role", ent("User", "bob"), "write", ent("Repo", "r")],
        ["has_role", ent("User", "bob"), "x", ent("Repo", "other")],
      ]);
      expect(e.actions(ent("User", "su"), ent("Fork", "f"))).toEqual(["push", "read", "sync"]);
      expect(e.actions(ent("User", "su"), ent("Org", "o"))).toEqual(["admin", "read"]);
      expect(e.actions(ent("User", "su"), ent("Repo", "nothing"))).toEqual([]);
      expect(e.actions(ent("User", "bob"), ent("Repo", "r"))).toEqual(["read", "write"]);
    });
  });

  describe("reference engine: authorize and query", () => {
    it("matches wildcard answers against concrete requests", () => {
      const e = fresh([["has_role", ent("User", "admin"), "admin"], ["is_public", ent("Fork", "pf")]]);
      expect(e.authorize(ent("User", "admin"), "read", ent("Org", "anything"))).toBe(true);
      expect(e.authorize(ent("User", "admin"), "read", ent("Repo", "anything"))).toBe(false);
      expect(e.authorize(ent("User", "someone"), "read", ent("Fork", "pf"))).toBe(true);
      expect(e.authorize(ent("Org", "someone"), "read", ent("Fork", "pf"))).toBe(false);
    });

    it("reports null for wildcard positions and the query's own values where it bound them", () => {
      const e = fresh([["has_role", ent("User", "admin"), "admin"], ["has_role", ent("User", "p"), "pusher"]]);
      expect(rows(e.query("allow", [null, null, null]))).toEqual([`User:admin|"read"|*`, `User:p|"push"|*`]);
      expect(rows(e.query("allow", [null, "push", ent("Org", "o")]))).toEqual([`User:p|"push"|Org:o`]);
      // {type: Org} keeps *Org (same type) and *Resource (Org ⊑ Resource); {type: Resource} only *Resource.
      expect(rows(e.query("allow", [null, null, { type: "Org" }]))).toEqual([`User:admin|"read"|*`, `User:p|"push"|*`]);
      expect(rows(e.query("allow", [null, null, { type: "Resource" }]))).toEqual([`User:p|"push"|*`]);
      expect(rows(e.query("allow", [{ type: "Actor" }, null, null]))).toEqual([]);
      // A satisfied query without output positions gives one row.
      expect(e.query("allow", [ent("User", "p"), "push", ent("Repo", "x")])).toEqual([["allow", { type: "User", id: "p" }, "push", { type: "Repo", id: "x" }]]);
    });

    it("rejects unknown predicates and wrong arities in queries", () => {
      const e = fresh();
      expect(err(() => e.query("alow", [null, null, null])).help).toBe("did you mean `allow`?");
      const arity = err(() => e.query("allow", [null]));
      expect(arity.code).toBe("E_QUERY_ARITY");
      expect(arity.message).toBe("`allow` takes 3 arguments, not 1");
      // Declared/used predicates without rules can be queried (their facts).
      expect(e.query("is_public", [null])).toEqual([]);
      const bad = err(() => e.query("allow", "x" as never));
      expect([bad.code, bad.message]).toEqual(["E_BAD_QUERY", "a query needs a predicate name and an array of arguments"]);
    });

    it("needs a policy", () => {
      const e = newEngine();
      expect(err(() => e.authorize("a", "b", "c")).code).toBe("E_NO_POLICY");
      expect(err(() => e.insert(["p", 1])).code).toBe("E_NO_POLICY");
      expect(e.get(["p", null])).toEqual([]);
      expect(e.test()).toEqual({ passed: true, tests: [] });
      expect(() => e.policy("allow(_, _, _);")).toThrow(/never bound/);
    });
  });

  describe("reference engine: facts", () => {
    it("validates inserts with exact codes and messages", () => {
      const e = fresh();
      const unknown = err(() => e.insert(["has_rol", ent("User", "a"), "x", ent("Org", "o")]));
      expect([unknown.code, unknown.message, unknown.help]).toEqual(["E_UNKNOWN_PREDICATE", "unknown predicate `has_rol`", "did you mean `has_role`?"]);
      const far = err(() => e.insert(["zzzzzz", 1]));
      expect([far.code, far.help]).toEqual(["E_UNKNOWN_PREDICATE", "use a predicate that the policy calls in a rule body, or declare it with `declare`"]);
      const arity = err(() => e.insert(["has_role", ent("User", "a")]));
      expect([arity.code, arity.message, arity.help]).toEqual([
        "E_FACT_ARITY",
        "`has_role` takes 2 or 3 arguments, not 1",
        "expected `has_role(Actor, String)` or `has_role(Actor, String, Resource)`",
      ]);
      const one = err(() => e.insert(["is_public", ent("Repo", "a"), 1]));
      expect(one.message).toBe("`is_public` takes 1 argument, not 2");
      const type = err(() => e.insert(["has_role", ent("User", "a"), "x", "notaresource"]));
      expect([type.code, type.message, type.help]).toEqual([
        "E_FACT_TYPE",
        "argument 3 of `has_role` must be of type `Resource`, got `\"notaresource\"`",
        "expected `has_role(Actor, String, Resource)`",
      ]);
      // Subtypes are accepted (Fork ⊑ Repo), supertypes are not.
      e.insert(["is_public", ent("Fork", "f")]);
      expect(err(() => e.insert(["is_public", ent("Resource", "r")])).message).toBe("argument 1 of `is_public` must be of type `Repo`, got `Resource{\"r\"}`");
      // Malformed values are FactErrors from canonicalisation.
      expect(err(() => e.insert(["is_public", { type: "Repo", id: "" }])).code).toBe("E_EMPTY_ID");
      expect(e.get(["is_public", null])).toEqual([["is_public", { type: "Fork", id: "f" }]]);
    });

    it("rejects facts for internal predicates", () => {
      const e = engineFor({ rules: `p(x) :- q(x), not #not1(x). #not1(x) :- r(x).`, signatures: { "q/1": "any", "r/1": "any", "#not1/1": "any" } });
      expect(err(() => e.insert(["#not1", 1])).code).toBe("E_UNKNOWN_PREDICATE");
      expect(err(() => e.insert(["p", 1])).code).toBe("E_UNKNOWN_PREDICATE");
    });

    it("lists several signatures when none matches", () => {
      const e = engineFor({ types: TYPES, signatures: { "owns/2": [["User", "Repo"], ["User", "Org"]] } });
      const x = err(() => e.insert(["owns", ent("User", "a"), "s"]));
      expect([x.code, x.message, x.help]).toEqual(["E_FACT_TYPE", "`owns(User{\"a\"}, \"s\")` matches no signature of `owns`", "expected `owns(User, Repo)` or `owns(User, Org)`"]);
    });

    it("deletes with null and {type} wildcards and returns the count", () => {
      const e = fresh([
        ["has_role", ent("User", "a"), "read", ent("Repo", "r1")],
        ["has_role", ent("User", "a"), "read", ent("Fork", "f1")],
        ["has_role", ent("User", "b"), "read", ent("Repo", "r2")],
        ["has_role", ent("User", "a"), "admin"],
      ]);
      expect(e.delete(["has_role", ent("User", "a"), null, { type: "Repo" }])).toBe(1);
      expect(e.delete(["has_role", null, "nothing", null])).toBe(0);
      expect(e.delete(["nope", null])).toBe(0);
      expect(e.get(["has_role", null, null, null])).toHaveLength(2);
      expect(e.delete(["has_role", null, null, null])).toBe(2);
      expect(e.get(["has_role", null, null])).toEqual([["has_role", { type: "User", id: "a" }, "admin"]]);
    });

    it("sees writes immediately (the cached model is invalidated)", () => {
      const e = fresh();
      const r = ent("Repo", "r");
      expect(e.authorize(ent("User", "a"), "read", r)).toBe(false);
      e.insert(["is_public", r]);
      expect(e.authorize(ent("User", "a"), "read", r)).toBe(true);
      e.delete(["is_public", null]);
      expect(e.authorize(ent("User", "a"), "read", r)).toBe(false);
      e.batch((tx) => tx.insert(["is_public", r]));
      expect(e.authorize(ent("User", "a"), "read", r)).toBe(true);
    });

    it("applies a batch atomically", () => {
      const e = fresh([["is_public", ent("Repo", "keep")]]);
      const before = e.get(["is_public", null]);
      expect(() => e.batch((tx) => {
        tx.delete(["is_public", null]);
        tx.insert(["is_public", ent("Repo", "new")]);
        tx.insert(["is_public", "bad"]);
      })).toThrow(FactError);
      expect(e.get(["is_public", null])).toEqual(before);
      // Even when the callback swallows the error, nothing is applied.
      expect(() => e.batch((tx) => {
        tx.insert(["is_public", ent("Repo", "new")]);
        try {
          tx.insert(["unknown", 1]);
        } catch {
          /* ignored */
        }
      })).toThrow(/unknown predicate/);
      expect(e.get(["is_public", null])).toEqual(before);
      // An error thrown by the callback itself also aborts.
      expect(() => e.batch((tx) => {
        tx.insert(["is_public", ent("Repo", "new")]);
        throw new Error("boom");
      })).toThrow("boom");
      expect(e.get(["is_public", null])).toEqual(before);
      let saved: { insert(f: Fact): void } | undefined;
      e.batch((tx) => {
        tx.delete(["is_public", ent("Repo", "keep")]);
        tx.insert(["is_public", ent("Repo", "new")]);
        saved = tx;
      });
      expect(e.get(["is_public", null])).toEqual([["is_public", { type: "Repo", id: "new" }]]);
      expect(err(() => saved!.insert(["is_public", ent("Repo", "late")])).code).toBe("E_BATCH_CLOSED");
    });

    it("uses context facts for one call only and validates them", () => {
      const e = fresh();
      const r = ent("Repo", "r");
      const ctx: Fact[] = [["is_public", r]];
      expect(e.authorize(ent("User", "a"), "read", r, ctx)).toBe(true);
      expect(e.authorize(ent("User", "a"), "read", r)).toBe(false);
      expect(e.list(ent("User", "a"), "read", "Repo", ctx)).toEqual(["r"]);
      expect(e.actions(ent("User", "a"), r, ctx)).toEqual(["read"]);
      expect(rows(e.query("is_public", [null], ctx))).toEqual(["Repo:r"]);
      expect(e.query("is_public", [null])).toEqual([]);
      expect(e.get(["is_public", null])).toEqual([]);
      expect(err(() => e.authorize(ent("User", "a"), "read", r, [["is_public", "x"]])).code).toBe("E_FACT_TYPE");
    });

    it("keeps stored facts a new policy cannot use, with warnings", () => {
      const e = fresh([["is_public", ent("Repo", "r")], ["superuser", ent("User", "s")]]);
      const result = e.loadProgram(buildProgram({ types: TYPES, signatures: { "superuser/1": [["User"]] }, rules: `allow(u, "x", u) :- superuser(u).` }));
      expect(result.warnings).toEqual([{
        code: "W_UNUSABLE_FACT",
        severity: "warning",
        message: "the stored fact `is_public(Repo{\"r\"})` cannot be used by this policy: unknown predicate `is_public`",
        help: "the fact is kept; delete it or change the policy to use it",
      }]);
      expect(e.get(["is_public", null])).toHaveLength(1);
      expect(e.authorize(ent("User", "s"), "x", ent("User", "s"))).toBe(true);
    });
  });

  describe("reference engine: tests", () => {
    const testSpec: ProgramSpec = {
      types: TYPES,
      signatures: { "has_role/3": "any" },
      rules: `
      allow(u, a, r) :- has_role(u, a, r).
      allow(_: User, "read", _: Org).
      #assert1() :- allow(User:a, "write", Repo:r).
      #assert2() :- allow(User:a, "write", Repo:other).
      #assert3(a) :- allow(User:a, a, Repo:r).
      #iff3(a) :- a in ["write", "read"].
      #assert4(a) :- allow(User:a, a, Org:o), a: String.
      #iff4(a) :- a in ["read"].
      #assert5() :- allow(User:a, "read", Org:o).
      allow(User:w, _: String, _: Org).
      #assert6(a) :- allow(User:w, a, Org:o), a: String.
    `,
      tests: [{
        name: "roles",
        facts: [["has_role", { type: "User", id: "a" }, { type: "String", id: "write" }, { type: "Repo", id: "r" }]],
        assertions: [
          { kind: "assert", text: "allow(User{\"a\"}, \"write\", Repo{\"r\"})", queryPred: "#assert1/0", vars: [], span: { ...NO_SPAN, line: 3, column: 5 } },
          { kind: "assert_not", text: "allow(User{\"a\"}, \"write\", Repo{\"r\"})", queryPred: "#assert1/0", vars: [], span: { ...NO_SPAN, line: 4, column: 5 } },
          { kind: "assert", text: "allow(User{\"a\"}, \"write\", Repo{\"other\"})", queryPred: "#assert2/0", vars: [], span: { ...NO_SPAN, line: 5, column: 5 } },
          { kind: "assert", text: "allow(User{\"a\"}, a, Repo{\"r\"}) iff a in [..]", queryPred: "#assert3/1", iffPred: "#iff3/1", vars: ["a"], span: { ...NO_SPAN, line: 6, column: 5 } },
          { kind: "assert", text: "allow(User{\"a\"}, a: String, Org{\"o\"}) iff a in [\"read\"]", queryPred: "#assert4/1", iffPred: "#iff4/1", vars: ["a"], span: { ...NO_SPAN, line: 7, column: 5 } },
          { kind: "assert_not", text: "allow(User{\"a\"}, \"read\", Org{\"o\"})", queryPred: "#assert5/0", vars: [], span: { ...NO_SPAN, line: 8, column: 5 } },
          { kind: "assert", text: "allow(User{\"w\"}, a: String, Org{\"o\"}) iff a in [\"read\"]", queryPred: "#assert6/1", iffPred: "#iff4/1", vars: ["a"], span: { ...NO_SPAN, line: 9, column: 5 } },
        ],
        span: NO_SPAN,
      }, {
        name: "empty setup",
        facts: [],
        assertions: [{ kind: "assert_not", text: "allow(User{\"a\"}, \"write\", Repo{\"r\"})", queryPred: "#assert1/0", vars: [], span: NO_SPAN }],
        span: NO_SPAN,
      }],
    };

    it("runs each test on its own facts only and reports failures", () => {
      const e = engineFor(testSpec, [["has_role", ent("User", "a"), "write", ent("Repo", "other")]]);
      const report = e.test();
      expect(report.passed).toBe(false);
      expect(report.tests[1]).toEqual({ name: "empty setup", passed: 1, total: 1, failures: [] });
      const t = report.tests[0]!;
      expect([t.name, t.passed, t.total]).toEqual(["roles", 2, 7]);
      expect(t.failures.map((f) => [f.line, f.message])).toEqual([
        [4, "expected no solutions, but the query holds"],
        [5, "expected at least one solution, found none"],
        [6, "the solutions differ from the `iff` side: missing a = \"read\""],
        [8, "expected no solutions, but the query holds"],
        [9, "the solutions differ from the `iff` side: unexpected a = _: String"],
      ]);
    });
  });
});
