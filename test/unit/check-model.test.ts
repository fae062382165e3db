/** The PolicyModel the checker builds: types, subtyping, blocks, inheritance, re-opened blocks. */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isSubtype } from "../../bindings/polar/model.js";
import { check, errors, where } from "./check-helpers.js";

const CONFORMANCE = "/work/shared/conformance";

function conformancePolicies(): { name: string; policy: string }[] {
  return readdirSync(CONFORMANCE)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => {
      const data = JSON.parse(readFileSync(join(CONFORMANCE, f), "utf8")) as { name: string; policy: string };
      return { name: data.name, policy: data.policy };
    });
}

describe("conformance policies", () => {
  const policies = conformancePolicies();

  it("finds all 12 policies", () => {
    expect(policies.length).toBe(12);
  });

  for (const { name, policy } of policies) {
    it(`${name} parses and checks with no diagnostics`, () => {
      const r = check(policy);
      expect(r.parseDiagnostics).toEqual([]);
      expect(errors(r.diagnostics).map(where)).toEqual([]);
      expect(r.diagnostics.map(where)).toEqual([]); // no warnings either
    });
  }

  it("seed-11: types, supertypes, blocks and the global block", () => {
    const p = policies.find((x) => x.name === "seed-11-combined");
    expect(p).toBeDefined();
    const { model } = check(p?.policy ?? "");
    expect(model.types.get("Team")).toEqual({ name: "Team", kind: "actor", supertypes: ["Actor"] });
    expect(model.types.get("Issue")).toEqual({ name: "Issue", kind: "resource", supertypes: ["Resource"] });
    expect(isSubtype(model.types, "Team", "Resource")).toBe(true);
    expect(isSubtype(model.types, "Issue", "Actor")).toBe(false);
    const issue = model.blocks.get("Issue");
    expect(issue?.roles).toEqual(["reader", "maintainer", "admin"]);
    expect(issue?.permissions).toEqual(["read", "comment", "close"]);
    expect([...(issue?.relations ?? [])]).toEqual([["parent", "Repo"], ["creator", "User"]]);
    expect(model.blocks.get("global")).toEqual({
      kind: "global", name: "global", roles: ["admin"], permissions: [], relations: new Map(), extends: [],
    });
    expect(model.blocks.get("User")?.kind).toBe("actor");
    expect([...model.blocks.keys()]).toEqual(["User", "Team", "global", "Org", "Repo", "Issue"]);
  });

  it("seed-06: `Role` is a declared resource type, grants_permission is a fact type", () => {
    const p = policies.find((x) => x.name === "seed-06-custom-roles");
    const { model } = check(p?.policy ?? "");
    expect(model.types.get("Role")?.kind).toBe("resource");
    expect(model.blocks.get("Role")?.roles).toEqual([]);
  });

  it("seed-10: declared types are known", () => {
    const p = policies.find((x) => x.name === "seed-10-toggles");
    const { model } = check(p?.policy ?? "");
    expect([...model.types.keys()]).toEqual(["String", "Integer", "Boolean", "Resource", "Actor", "User", "Repo", "Org"]);
  });
});

describe("model", () => {
  it("has the built-in types for an empty policy", () => {
    const { model, diagnostics } = check("");
    expect(diagnostics).toEqual([]);
    expect([...model.types.keys()]).toEqual(["String", "Integer", "Boolean", "Resource", "Actor"]);
    expect(model.blocks.size).toBe(0);
  });

  it("inherits roles, permissions and relations through extends", () => {
    const { model, diagnostics } = check(`
actor User {}
resource Base {
  roles = ["viewer"];
  permissions = ["view"];
  relations = { owner: User };
  "view" if "viewer";
}
resource Doc extends Base {
  roles = ["editor"];
  permissions = ["edit"];
  "viewer" if "editor";
  "edit" if "owner";
}
resource Memo extends Doc {
  "view" if "editor";
}
`);
    expect(diagnostics).toEqual([]);
    expect(model.types.get("Doc")).toEqual({ name: "Doc", kind: "resource", supertypes: ["Resource", "Base"] });
    expect(isSubtype(model.types, "Memo", "Base")).toBe(true);
    expect(isSubtype(model.types, "Base", "Memo")).toBe(false);
    const doc = model.blocks.get("Doc");
    expect(doc?.roles).toEqual(["editor", "viewer"]);
    expect(doc?.permissions).toEqual(["edit", "view"]);
    expect(doc?.relations.get("owner")).toBe("User");
    expect(doc?.extends).toEqual(["Base"]);
    const memo = model.blocks.get("Memo");
    expect(memo?.roles).toEqual(["editor", "viewer"]);
    expect(memo?.extends).toEqual(["Doc"]);
    expect(model.blocks.get("Base")?.extends).toEqual([]);
  });

  it("lets an actor extend an actor and use roles on it", () => {
    const { model, diagnostics } = check(`
actor Member { roles = ["lead"]; }
actor Admin extends Member { permissions = ["manage"]; "manage" if "lead"; }
`);
    expect(diagnostics).toEqual([]);
    expect(model.types.get("Admin")?.supertypes).toEqual(["Actor", "Member"]);
    expect(model.blocks.get("Admin")?.roles).toEqual(["lead"]);
  });

  it("merges re-opened blocks (in any file) and keeps going after a cycle", () => {
    const r = check({
      "a.polar": 'resource Repo { roles = ["reader"]; }\nresource A extends B {}\n',
      "b.polar": 'resource Repo { permissions = ["read"]; "read" if "reader"; }\nresource B extends A {}\n',
    });
    expect(r.diagnostics.map(where)).toEqual(["E_EXTENDS_CYCLE@2:20"]);
    expect(r.diagnostics[0]?.span?.file).toBe("b.polar");
    const repo = r.model.blocks.get("Repo");
    expect(repo?.roles).toEqual(["reader"]);
    expect(repo?.permissions).toEqual(["read"]);
    expect(r.model.types.get("A")?.supertypes).toEqual(["Resource", "B"]);
    expect(r.model.types.get("B")?.supertypes).toEqual(["Resource"]);
  });

  it("records types that are only mentioned as opaque", () => {
    const { model, diagnostics } = check(`
actor User {}
resource Repo { relations = { label: Label }; }
declare has_tag(Repo, Tag);
f(x: Widget) if x matches Gadget and g(Thing{"t"}, x);
test "t" { setup { has_tag(Repo{"r"}, Tag{"a"}); } assert has_tag(Repo{"r"}, _: Tag); }
`);
    expect(diagnostics.map(where)).toEqual([]);
    for (const t of ["Label", "Tag", "Widget", "Gadget", "Thing"]) {
      expect(model.types.get(t), t).toEqual({ name: t, kind: "opaque", supertypes: [] });
    }
    expect(model.types.get("User")?.kind).toBe("actor");
    expect(isSubtype(model.types, "Widget", "Resource")).toBe(false);
  });

  it("reports the first of duplicate declarations and still builds the block", () => {
    const { model, diagnostics } = check('resource Repo {\n  roles = ["a"];\n  roles = ["b"];\n}\n');
    expect(diagnostics.map(where)).toEqual(["E_DUPLICATE_DECLARATION@3:3"]);
    expect(model.blocks.get("Repo")?.roles).toEqual(["a", "b"]);
  });
});
