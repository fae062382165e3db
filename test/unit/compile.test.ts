// The compiler: DNF, negation, range restriction (V20), stratification (V19), signatures.
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { PolarError } from "../../bindings/api/errors.js";
import { analyzePolicy, compilePolicy } from "../../bindings/compile/index.js";
import { printIRRule, printProgram } from "../../bindings/compile/print-ir.js";
import type { Program } from "../../bindings/compile/ir.js";

function errors(src: string) {
  return analyzePolicy(src).diagnostics.filter((d) => d.severity === "error").map((d) => ({ code: d.code, line: d.span?.line, column: d.span?.column, message: d.message }));
}

function rulesOf(p: Program, pred: string): string[] {
  return (p.preds.get(pred)?.rules ?? []).map((id) => printIRRule(p.rules[id]!));
}

describe("range restriction and safety (V20)", () => {
  it("rejects a head variable the body never binds", () => {
    expect(errors(`actor User {}\nf(x, y) if g(x);`)).toEqual([{ code: "E_UNBOUND_HEAD_VARIABLE", line: 2, column: 6, message: "head variable `y` is never bound by the rule body" }]);
  });
  it("accepts a typed head variable as a wildcard", () => {
    expect(errors(`actor User {}\nresource Org {}\nhas_permission(_: User, "read", _: Org);`)).toEqual([]);
  });
  it("rejects a compared variable that is never bound", () => {
    expect(errors(`actor User {}\nh(x) if g(x) and y > 3;`)).toEqual([{ code: "E_UNBOUND_IN_COMPARISON", line: 2, column: 18, message: "variable `y` is compared but never bound" }]);
  });
  it("rejects a negation whose input is never bound positively", () => {
    expect(errors(`actor User {}\nk(x: User) if not z(x);`)).toEqual([{ code: "E_UNSAFE_NEGATION", line: 2, column: 15, message: "variable `x` is used in `not` but never bound outside it" }]);
  });
  it("rejects `x = y` when neither side is ever bound", () => {
    expect(errors(`actor User {}\nq(x) if g(x) and a = b and a = 1;`).map((e) => e.code)).toEqual([]);
    expect(errors(`actor User {}\nq(x) if g(x) and a = b;`).map((e) => e.code)).toEqual(["E_UNBOUND_VARIABLE"]);
  });
  it("orders filters after the atoms that bind their variables", () => {
    const p = compilePolicy(`actor User {}\nq(x, y) if y > 3 and g(x, y) and x != y;`);
    expect(rulesOf(p, "q/2")).toEqual(["q(x, y) if\n  g(x, y) and\n  y > 3 and\n  x != y;"]);
  });
});

describe("negation", () => {
  it("keeps a negated call as a `not` literal with local variables", () => {
    const p = compilePolicy(`actor User {}\nm(x) if g(x) and not has(x, _);`);
    expect(rulesOf(p, "m/1")).toEqual(["m(x) if\n  g(x) and\n  not has(x, _0);"]);
  });
  it("moves a negated conjunction into an internal predicate over the shared variables", () => {
    const p = compilePolicy(`actor User {}\nm(x) if g(x) and not (a(x) and b(y));`);
    expect(rulesOf(p, "m/1")).toEqual(["m(x) if\n  g(x) and\n  not #not1(x);"]);
    expect(rulesOf(p, "#not1/1")).toEqual(["#not1(x) if\n  a(x) and\n  b(y);"]);
    expect(p.preds.get("#not1/1")?.internal).toBe(true);
    expect(p.preds.get("#not1/1")!.stratum).toBeLessThan(p.preds.get("m/1")!.stratum);
  });
  it("supports the forall idiom (nested not)", () => {
    const p = compilePolicy(`actor User {}\nresource Doc {}\ng(user: User, doc: Doc) if has_doc(doc) and is_user(user) and not (role matches String and requires_role(doc, role) and not has_role(user, role));`);
    expect(rulesOf(p, "#not1/2")).toEqual(["#not1(doc, user) if\n  requires_role(doc, role) and\n  role matches String and\n  not has_role(user, role);"]);
  });
  it("requires the inputs of a negated conjunction to be bound positively (DESIGN §4.7)", () => {
    expect(errors(`actor User {}\nresource Doc {}\ng(user: User, doc: Doc) if has_doc(doc) and not (requires_role(doc, role) and not has_role(user, role));`).map((e) => e.code)).toEqual(["E_UNSAFE_NEGATION"]);
  });
  it("rejects recursion through negation and names the cycle (V19)", () => {
    expect(errors(`actor User {}\np(x: User) if q(x) and not r(x);\nr(x: User) if p(x);`)).toEqual([
      { code: "E_NEGATION_CYCLE", line: 2, column: 24, message: "`p/1` depends on itself through `not`: `p/1` → `r/1` → `p/1`" },
    ]);
  });
  it("rejects direct self-negation", () => {
    expect(errors(`actor User {}\np(x: User) if q(x) and not p(x);`).map((e) => e.message)).toEqual(["`p/1` depends on itself through `not`: `p/1` → `p/1`"]);
  });
  it("accepts positive recursion", () => {
    expect(errors(`actor User {}\nreach(x, y) if edge(x, y);\nreach(x, z) if edge(x, y) and reach(y, z);`)).toEqual([]);
  });
});

describe("DNF", () => {
  it("splits or-bodies into one rule per alternative", () => {
    const p = compilePolicy(`actor User {}\nf(x) if (a(x) or b(x)) and (c(x) or d(x));`);
    expect(rulesOf(p, "f/1")).toHaveLength(4);
  });
  it("drops a `false` alternative and ignores `true`", () => {
    const p = compilePolicy(`actor User {}\nf(x) if a(x) and true or false and b(x);`);
    expect(rulesOf(p, "f/1")).toEqual(["f(x) if\n  a(x);"]);
  });
  it("rejects bodies that explode", () => {
    const groups = Array.from({ length: 13 }, (_, i) => `(a${i}(x) or b${i}(x))`).join(" and ");
    expect(errors(`actor User {}\nf(x) if ${groups};`).map((e) => e.code)).toEqual(["E_BODY_TOO_COMPLEX"]);
  });
});

describe("fact signatures (DESIGN §4.9)", () => {
  it("are implied by call sites and declares", () => {
    const p = compilePolicy(`actor User {}
resource Org { roles = ["member"]; }
resource Repo { roles = ["reader"]; permissions = ["read"]; relations = { parent: Org };
  "reader" if "member" on "parent"; "read" if "reader"; "read" if is_public(resource); }
declare is_weird(Integer, String, Boolean);`);
    const sig = (k: string) => (p.signatures.get(k) ?? []).map((s) => s.map((t) => t ?? "_").join(","));
    expect(sig("has_relation/3")).toEqual(["Repo,String,Org"]);
    expect(sig("has_role/3").sort()).toEqual(["Actor,String,Org", "Actor,String,Repo"]);
    expect(sig("is_public/1")).toEqual(["Repo"]);
    expect(sig("is_weird/3")).toEqual(["Integer,String,Boolean"]);
    expect(sig("has_permission/3")).toContain("_,_,_"); // the built-in allow calls it untyped
  });
  it("are not created by bodiless rules alone", () => {
    const p = compilePolicy(`actor User {}\nhas_thing(User{"a"});`);
    expect(p.signatures.has("has_thing/1")).toBe(false);
  });
});

describe("tests compile to internal queries", () => {
  it("expands fixtures and names the assertion variables", () => {
    const p = compilePolicy(`actor User {}
resource Org { roles = ["admin"]; permissions = ["read"]; "read" if "admin"; }
test fixture basics { has_role(User{"alice"}, "admin", Org{"acme"}); }
test "reads" {
  setup { fixture basics; has_role(User{"bob"}, "admin", Org{"x"}); }
  assert has_permission(User{"alice"}, action: String, Org{"acme"}) iff action in ["read"];
  assert_not allow(User{"carol"}, "read", Org{"acme"});
}`);
    expect(p.tests).toHaveLength(1);
    const t = p.tests[0]!;
    expect(t.name).toBe("reads");
    expect(t.facts).toEqual([
      ["has_role", { type: "User", id: "alice" }, { type: "String", id: "admin" }, { type: "Org", id: "acme" }],
      ["has_role", { type: "User", id: "bob" }, { type: "String", id: "admin" }, { type: "Org", id: "x" }],
    ]);
    expect(t.assertions.map((a) => [a.kind, a.vars, a.iffPred !== undefined])).toEqual([
      ["assert", ["action"], true],
      ["assert_not", [], false],
    ]);
    expect(rulesOf(p, t.assertions[0]!.queryPred)).toEqual([`#assert1(action) if\n  has_permission(User{"alice"}, action, Org{"acme"}) and\n  action matches String;`]);
  });
});

describe("errors", () => {
  it("compilePolicy throws a PolarError carrying every diagnostic", () => {
    let err: unknown;
    try {
      compilePolicy(`actor User {}\nf(x, y) if g(x);\nh(x) if g(x) and z > 1;`);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PolarError);
    expect((err as PolarError).diagnostics.filter((d) => d.severity === "error").map((d) => d.code)).toEqual(["E_UNBOUND_HEAD_VARIABLE", "E_UNBOUND_IN_COMPARISON"]);
  });
  it("rejects a malformed policy source", () => {
    expect(() => compilePolicy([] as never)).toThrow(PolarError);
    expect(analyzePolicy([{ filename: "a.polar" }] as never).diagnostics.map((d) => d.code)).toEqual(["E_BAD_POLICY_SOURCE"]);
    expect(() => compilePolicy(42 as never)).toThrow(/a policy must be a string/);
  });
});

describe("the conformance policies", () => {
  const dir = new URL("../conformance/cases/", import.meta.url);
  const cases = readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .map((f) => JSON.parse(readFileSync(new URL(f, dir), "utf8")) as { name: string; policy: string });
  it.each(cases.map((c) => [c.name, c.policy]))("%s compiles without errors", (_name, policy) => {
    expect(errors(policy)).toEqual([]);
    expect(printProgram(compilePolicy(policy))).toContain("allow(");
  });
});
