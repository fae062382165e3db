// Golden tests for the desugarer: each shorthand form of polar-spec.md §5.2 (S1–S14, G1–G2)
// expands to exactly the plain rules written here.
import { describe, expect, it } from "vitest";
import { analyzePolicy } from "../../bindings/compile/index.js";
import { printRule } from "../../bindings/polar/print-polar.js";

const PRELUDE = `
actor User {}
global {
  roles = ["admin", "member"];
  permissions = ["create_org"];
  <GLOBAL>
}
resource Organization {
  roles = ["member"];
  permissions = ["read"];
  relations = { owner: User };
}
resource Repository {
  roles = ["reader", "maintainer", "admin"];
  permissions = ["read", "push", "view"];
  relations = { parent: Organization, creator: User };
  <REPO>
}
`;

function expand(repo: string, global = ""): string[] {
  const src = PRELUDE.replace("<REPO>", repo).replace("<GLOBAL>", global);
  const analysis = analyzePolicy(src);
  const errors = analysis.diagnostics.filter((d) => d.severity === "error");
  expect(errors).toEqual([]);
  return (analysis.rules ?? []).filter((r) => r.origin === "shorthand").map((r) => printRule(r.rule));
}

const ROWS: [row: string, repo: string, expected: string[]][] = [
  ["S1 permission if role", `"read" if "reader";`, [`has_permission(actor: Actor, "read", resource: Repository) if has_role(actor, "reader", resource);`]],
  ["S2 role if role", `"reader" if "maintainer";`, [`has_role(actor: Actor, "reader", resource: Repository) if has_role(actor, "maintainer", resource);`]],
  ["S3 permission if permission", `"push" if "read";`, [`has_permission(actor: Actor, "push", resource: Repository) if has_permission(actor, "read", resource);`]],
  ["S4 role if relation", `"reader" if "creator";`, [`has_role(actor: Actor, "reader", resource: Repository) if has_relation(resource, "creator", actor);`]],
  [
    "S5 role if role on relation",
    `"reader" if "member" on "parent";`,
    [`has_role(actor: Actor, "reader", resource: Repository) if parent matches Organization and has_relation(resource, "parent", parent) and has_role(actor, "member", parent);`],
  ],
  [
    "S6 permission if permission on relation",
    `"read" if "read" on "parent";`,
    [`has_permission(actor: Actor, "read", resource: Repository) if parent matches Organization and has_relation(resource, "parent", parent) and has_permission(actor, "read", parent);`],
  ],
  [
    "S7 role if relation on relation",
    `"admin" if "owner" on "parent";`,
    [`has_role(actor: Actor, "admin", resource: Repository) if parent matches Organization and has_relation(resource, "parent", parent) and has_relation(parent, "owner", actor);`],
  ],
  ["S8 permission if global role", `"read" if global "admin";`, [`has_permission(actor: Actor, "read", resource: Repository) if has_role(actor, "admin");`]],
  ["S9 role if global permission", `"maintainer" if global "create_org";`, [`has_role(actor: Actor, "maintainer", resource: Repository) if has_permission(actor, "create_org");`]],
  [
    "S10 role if role on relation (variable)",
    `role if role on "parent";`,
    [`has_role(actor: Actor, role: String, resource: Repository) if parent matches Organization and has_relation(resource, "parent", parent) and has_role(actor, role, parent);`],
  ],
  [
    "S11 permission if permission on relation (variable)",
    `permission if permission on "parent";`,
    [`has_permission(actor: Actor, permission: String, resource: Repository) if parent matches Organization and has_relation(resource, "parent", parent) and has_permission(actor, permission, parent);`],
  ],
  ["S12 permission if call", `"read" if is_public(resource);`, [`has_permission(actor: Actor, "read", resource: Repository) if is_public(resource);`]],
  [
    "S13 or splits into rules",
    `"view" if "reader" or is_public(resource);`,
    [`has_permission(actor: Actor, "view", resource: Repository) if has_role(actor, "reader", resource);`, `has_permission(actor: Actor, "view", resource: Repository) if is_public(resource);`],
  ],
  [
    "S14 calls, and, or, groups",
    `"read" if is_public(resource) or ("reader" and is_visible(resource));`,
    [`has_permission(actor: Actor, "read", resource: Repository) if is_public(resource);`, `has_permission(actor: Actor, "read", resource: Repository) if has_role(actor, "reader", resource) and is_visible(resource);`],
  ],
  [
    "two `on` atoms get distinct variables",
    `"read" if "member" on "parent" and "read" on "parent";`,
    [
      `has_permission(actor: Actor, "read", resource: Repository) if parent matches Organization and has_relation(resource, "parent", parent) and has_role(actor, "member", parent) and parent_2 matches Organization and has_relation(resource, "parent", parent_2) and has_permission(actor, "read", parent_2);`,
    ],
  ],
];

describe("desugar: shorthand rules in a resource block", () => {
  it.each(ROWS)("%s", (_row, repo, expected) => {
    expect(expand(repo)).toEqual(expected);
  });
});

describe("desugar: the global block", () => {
  it("G1 permission if role", () => {
    expect(expand("", `"create_org" if "admin";`)).toEqual([`has_permission(actor: Actor, "create_org") if has_role(actor, "admin");`]);
  });
  it("G2 role if role", () => {
    expect(expand("", `"member" if "admin";`)).toEqual([`has_role(actor: Actor, "member") if has_role(actor, "admin");`]);
  });
});

describe("desugar: the built-in allow", () => {
  it("is added when the policy defines no allow/3", () => {
    const rules = analyzePolicy(`actor User {}`).rules ?? [];
    expect(rules.filter((r) => r.origin === "builtin").map((r) => printRule(r.rule))).toEqual([`allow(actor, action, resource) if has_permission(actor, action, resource);`]);
  });
  it("is not added when the policy defines allow/3", () => {
    const rules = analyzePolicy(`actor User {}\nallow(actor: User, "read", resource: User) if actor = resource;`).rules ?? [];
    expect(rules.filter((r) => r.origin === "builtin")).toEqual([]);
  });
  it("is still added when the policy only defines allow with another arity", () => {
    const rules = analyzePolicy(`actor User {}\nallow(actor: User, "read") if is_admin(actor);`).rules ?? [];
    expect(rules.filter((r) => r.origin === "builtin")).toHaveLength(1);
  });
});
