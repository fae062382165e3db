/** Collecting all diagnostics, their order, and the suggestion helper. */
import { describe, expect, it } from "vitest";
import { checkPolicy, suggest } from "../../bindings/polar/check/index.js";
import { editDistance } from "../../bindings/polar/check/suggest.js";
import { check, where } from "./check-helpers.js";

describe("collecting diagnostics", () => {
  it("reports every problem, sorted by position", () => {
    const r = check(`actor User {}
resource Repo {
  role = ["reader"];
  permissions = ["read", "read"];
  relations = { parent: Org };
  "read" if "reader";
  "write" if "member" on "parent";
}
f(x, y) if g(x) and x > "a";
test "t" {
  setup { fixture nope; }
  assert_not allow(User{""}, "read", Repo{"r"}) iff true;
}
`);
    expect(r.parseDiagnostics).toEqual([]);
    expect(r.diagnostics.map(where)).toEqual([
      "E_UNKNOWN_DECLARATION@3:3",
      "W_DUPLICATE_NAME@4:26",
      "E_UNDECLARED_TERM@6:13",
      "E_UNDECLARED_TERM@7:3",
      "E_RELATION_TARGET_NO_BLOCK@7:26",
      "W_SINGLETON_VARIABLE@9:6",
      "E_COMPARE_NON_INTEGER@9:25",
      "E_UNKNOWN_FIXTURE@11:19",
      "E_EMPTY_ID@12:20",
      "E_IFF_ON_ASSERT_NOT@12:53",
    ]);
  });

  it("sorts by file order, then position", () => {
    const r = check({
      "first.polar": "f(x, y) if g(x);\n",
      "second.polar": "h(a, b) if g(a);\n",
    });
    expect(r.diagnostics.map((d) => `${d.span?.file}:${where(d)}`)).toEqual([
      "first.polar:W_SINGLETON_VARIABLE@1:6",
      "second.polar:W_SINGLETON_VARIABLE@1:6",
    ]);
  });

  it("never throws, even on an empty policy", () => {
    expect(checkPolicy({ files: [] })).toEqual({ model: expect.anything(), diagnostics: [] });
  });

  it("accepts the variable shorthand forms and calls with actor and resource", () => {
    const r = check(`actor User {}
global { roles = ["admin"]; permissions = ["create"]; "create" if "admin"; "create" if is_root(actor); }
resource Org { roles = ["member"]; permissions = ["read"]; "read" if "member"; }
resource Repo {
  roles = ["member"];
  permissions = ["read", "write"];
  relations = { parent: Org, owner: User };
  role if role on "parent";
  permission if permission on "parent";
  "write" if "owner" or global "admin" or (is_open(resource) and "member");
  "read" if has_label(resource, _) and is_active(actor, true);
}
`);
    expect(r.parseDiagnostics).toEqual([]);
    expect(r.diagnostics.map(where)).toEqual([]);
  });

  it("allows singletons prefixed with an underscore and typed wildcards", () => {
    const r = check("actor User {}\nresource Org {}\nhas_permission(_: User, \"read\", _org: Org);\n");
    expect(r.diagnostics).toEqual([]);
  });

  it("accepts rules that match a rule type, with subtyping", () => {
    const r = check('actor User {}\ntype f(x: Actor, 1);\nf(u: User, 1) if g(u);\nf(_: User, 1);\nf("x", 2);\n');
    expect(r.diagnostics.map(where)).toEqual(["E_RULE_TYPE_MISMATCH@5:1"]);
  });

  it("knows predicates from rules, calls, declares, blocks and the built-in allow", () => {
    const r = check(`actor User {}
global { roles = ["admin"]; }
resource Repo { roles = ["reader"]; permissions = ["read"]; relations = { owner: User }; "read" if "reader"; }
declare is_banned(User);
f(x) if g(x);
test "known" {
  setup {
    has_role(User{"a"}, "admin");
    has_role(User{"a"}, "reader", Repo{"r"});
    has_relation(Repo{"r"}, "owner", User{"a"});
    is_banned(User{"b"});
    g(1);
  }
  assert allow(User{"a"}, "read", Repo{"r"});
  assert has_permission(User{"a"}, "read", Repo{"r"});
  assert f(1);
  assert has_permission(User{"a"}, action: String, Repo{"r"}) iff action in ["read"] and f(1);
}
?= f(1);
`);
    expect(r.parseDiagnostics).toEqual([]);
    expect(r.diagnostics.map(where)).toEqual([]);
  });

  it("warns about typos only near predicates that have rules or declares", () => {
    const r = check(`actor User {}
has_perm(a: User, "x") if is_admin(a);
f(a: User) if has_prem(a, "x") and is_admim(a) and is_adminn(a);
`);
    // is_admin is only a fact type, so neither is_admim nor is_adminn is reported.
    expect(r.diagnostics.map(where)).toEqual(["W_POSSIBLE_TYPO@3:15"]);
  });
});

describe("suggest", () => {
  it("finds the nearest candidate within a sensible distance", () => {
    expect(suggest("role", ["roles", "permissions", "relations"])).toBe("roles");
    expect(suggest("permision", ["roles", "permissions", "relations"])).toBe("permissions");
    expect(suggest("has_permision", ["has_role", "has_permission"])).toBe("has_permission");
    expect(suggest("user", ["User", "Usr"])).toBe("User");
    expect(suggest("Role", ["Repo"])).toBeUndefined();
    expect(suggest("f", ["g"])).toBeUndefined();
    expect(suggest("x", [])).toBeUndefined();
    expect(suggest("same", ["same"])).toBeUndefined();
  });

  it("counts adjacent transpositions as one edit", () => {
    expect(editDistance("reader", "raeder")).toBe(1);
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("", "abc")).toBe(3);
    expect(suggest("mebmer", ["member"])).toBe("member");
  });
});
