/**
 * One case per diagnostic code: a small policy, the exact code, position and message, and a
 * non-empty help. Unless `all` says otherwise, the case must produce exactly that diagnostic.
 */
import { describe, expect, it } from "vitest";
import { check, codes } from "./check-helpers.js";

interface Case {
  readonly name: string;
  readonly code: string;
  readonly src: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
  readonly help?: string;
  /** Every code the policy produces, in order; defaults to `[code]`. */
  readonly all?: readonly string[];
}

const LONG = "x".repeat(385);

const cases: readonly Case[] = [
  // ------------------------------------------------------------ declarations (V5–V9)
  {
    name: "V5 unknown declaration key",
    code: "E_UNKNOWN_DECLARATION",
    src: 'resource Repo {\n  role = ["reader"];\n}\n',
    line: 2, column: 3,
    message: "unknown declaration `role` in `Repo`",
    help: "did you mean `roles`?",
  },
  {
    name: "V6 relations as a list",
    code: "E_RELATIONS_NOT_DICT",
    src: 'resource Repo {\n  relations = ["parent"];\n}\n',
    line: 2, column: 15,
    message: "`relations` in `Repo` must be a dictionary, found a list",
  },
  {
    name: "V7 roles as a dictionary",
    code: "E_NOT_A_LIST",
    src: "resource Repo {\n  roles = { reader: Repo };\n}\n",
    line: 2, column: 11,
    message: "`roles` in `Repo` must be a list of strings, found a dictionary",
  },
  {
    name: "V8 duplicate declaration key",
    code: "E_DUPLICATE_DECLARATION",
    src: 'resource Repo {\n  roles = ["reader"];\n  roles = ["writer"];\n}\n',
    line: 3, column: 3,
    message: "multiple `roles` declarations in `Repo`",
  },
  {
    name: "V9 role and permission with the same name",
    code: "E_CONFLICTING_DECLARATION",
    src: 'resource Org {\n  roles = ["egg"];\n  permissions = ["egg"];\n}\n',
    line: 3, column: 18,
    message: "`egg` is declared as both a role and a permission in `Org`",
  },
  {
    name: "V9 a block declared as actor and resource",
    code: "E_CONFLICTING_DECLARATION",
    src: "actor User {}\nresource User {}\n",
    line: 2, column: 10,
    message: "`User` is declared both as an actor and as a resource",
  },
  {
    name: "V9 relation re-declared with another type in a re-opened block",
    code: "E_CONFLICTING_DECLARATION",
    src: "actor User {}\nresource Org {}\nresource Repo { relations = { parent: Org }; }\nresource Repo { relations = { parent: User }; }\n",
    line: 4, column: 31,
    message: "relation `parent` in `Repo` is declared with two types, `Org` and `User`",
  },
  {
    name: "V9 own declaration conflicts with an inherited one",
    code: "E_CONFLICTING_DECLARATION",
    src: 'resource Base { roles = ["view"]; }\nresource Doc extends Base { permissions = ["view"]; }\n',
    line: 2, column: 44,
    message: "`view` in `Doc` conflicts with `view`, a role inherited from `Base`",
  },
  {
    name: "duplicate string in one list",
    code: "W_DUPLICATE_NAME",
    src: 'resource Repo {\n  roles = ["reader", "reader"];\n}\n',
    line: 2, column: 22,
    message: "`reader` is declared twice as a role in `Repo`",
  },
  // ------------------------------------------------------------ shorthand rules (V10–V12, V18)
  {
    name: "V10 undeclared body term",
    code: "E_UNDECLARED_TERM",
    src: 'resource Org {\n  roles = ["owner"];\n  permissions = ["read"];\n  "read" if "ownr";\n}\n',
    line: 4, column: 13,
    message: "undeclared term `ownr` in `Org`",
    help: "did you mean `owner`?",
  },
  {
    name: "V10 undeclared head term",
    code: "E_UNDECLARED_TERM",
    src: 'resource Org {\n  roles = ["owner"];\n  "admin" if "owner";\n}\n',
    line: 3, column: 3,
    message: "undeclared term `admin` in `Org`",
    help: "declare `admin` as a role or permission in `Org`",
  },
  {
    name: "V10 a global role used without `global`",
    code: "E_UNDECLARED_TERM",
    src: 'global { roles = ["superuser"]; }\nresource Org {\n  roles = ["owner"];\n  "owner" if "superuser";\n}\n',
    line: 4, column: 14,
    message: "undeclared term `superuser` in `Org`",
    help: 'write `global "superuser"` to refer to the global role',
  },
  {
    name: "head is a relation",
    code: "E_HEAD_NOT_ROLE_OR_PERMISSION",
    src: 'resource Repo {\n  roles = ["reader"];\n  relations = { parent: Org };\n  "parent" if "reader";\n}\nresource Org {}\n',
    line: 4, column: 3,
    message: "`parent` is a relation of `Repo` and cannot be the head of a shorthand rule",
  },
  {
    name: "right side of `on` is not a relation",
    code: "E_UNKNOWN_RELATION",
    src: 'resource Repo {\n  roles = ["reader"];\n  relations = { parent: Org };\n  "reader" if "member" on "parnt";\n}\nresource Org { roles = ["member"]; }\n',
    line: 4, column: 27,
    message: "`parnt` is not a relation of `Repo`",
    help: "did you mean `parent`?",
  },
  {
    name: "right side of `on` is a role",
    code: "E_UNKNOWN_RELATION",
    src: 'resource Repo {\n  roles = ["reader"];\n  "reader" if "reader" on "reader";\n}\n',
    line: 3, column: 27,
    message: "`reader` is a role of `Repo`, not a relation",
  },
  {
    name: "V11 relation target without a block",
    code: "E_RELATION_TARGET_NO_BLOCK",
    src: 'resource Repo {\n  roles = ["reader"];\n  relations = { parent: Org };\n  "reader" if "member" on "parent";\n}\n',
    line: 4, column: 27,
    message: "relation `parent` of `Repo` has type `Org`, which has no resource block",
  },
  {
    name: "V12 term not declared in the related block",
    code: "E_UNDECLARED_IN_RELATED_BLOCK",
    src: 'resource Repo {\n  roles = ["reader"];\n  relations = { parent: Org };\n  "reader" if "membr" on "parent";\n}\nresource Org { roles = ["member"]; }\n',
    line: 4, column: 15,
    message: "`membr` is not declared in `Org`, the type of relation `parent`",
    help: "did you mean `member`?",
  },
  {
    name: "variable right of `on`",
    code: "E_ON_VARIABLE",
    src: 'resource Repo {\n  roles = ["reader"];\n  relations = { parent: Org };\n  "reader" if "member" on parent;\n}\nresource Org { roles = ["member"]; }\n',
    line: 4, column: 27,
    message: "the right side of `on` must be a quoted relation name, found variable `parent`",
  },
  {
    name: "V18 undeclared global term",
    code: "E_UNDECLARED_GLOBAL",
    src: 'global { roles = ["admin"]; }\nresource Org {\n  roles = ["owner"];\n  "owner" if global "admn";\n}\n',
    line: 4, column: 21,
    message: "`admn` is not a role or permission of the global block",
    help: "did you mean `admin`?",
  },
  {
    name: "V18 `global` without a global block",
    code: "E_UNDECLARED_GLOBAL",
    src: 'resource Org {\n  roles = ["owner"];\n  "owner" if global "admin";\n}\n',
    line: 3, column: 21,
    message: '`global "admin"` refers to a global block, but the policy has none',
  },
  {
    name: "V18 two global blocks",
    code: "E_DUPLICATE_GLOBAL_BLOCK",
    src: 'global { roles = ["admin"]; }\nglobal { roles = ["user"]; }\n',
    line: 2, column: 1,
    message: "a policy may have only one `global` block",
  },
  {
    name: "relations in the global block",
    code: "E_GLOBAL_RELATIONS",
    src: "resource Org {}\nglobal {\n  relations = { parent: Org };\n}\n",
    line: 3, column: 3,
    message: "`relations` cannot be declared in the global block",
  },
  {
    name: "`on` in the global block",
    code: "E_ON_IN_GLOBAL",
    src: 'global {\n  roles = ["admin", "member"];\n  "member" if "admin" on "parent";\n}\n',
    line: 3, column: 15,
    message: "`on` cannot be used in the global block",
  },
  {
    name: "variable head with another body",
    code: "E_SHORTHAND_VARIABLE_HEAD",
    src: 'resource Repo {\n  roles = ["reader"];\n  role if "reader";\n}\n',
    line: 3, column: 11,
    message: 'a shorthand rule with variable head `role` must have the body `role on "<relation>"`',
  },
  {
    name: "variable head with an unknown name",
    code: "E_SHORTHAND_VARIABLE_HEAD",
    src: 'resource Repo {\n  relations = { parent: Repo };\n  r if r on "parent";\n}\n',
    line: 3, column: 3,
    message: "variable head `r` must be `role` or `permission`",
  },
  {
    name: "bare variable in a shorthand body",
    code: "E_SHORTHAND_VARIABLE_TERM",
    src: 'resource Repo {\n  roles = ["reader"];\n  "reader" if role;\n}\n',
    line: 3, column: 15,
    message: "variable `role` cannot be used here in a shorthand rule",
  },
  {
    name: "unknown variable in a shorthand call",
    code: "E_SHORTHAND_UNKNOWN_VARIABLE",
    src: 'resource Repo {\n  permissions = ["read"];\n  "read" if is_public(repo);\n}\n',
    line: 3, column: 23,
    message: "unknown variable `repo` in a shorthand rule",
  },
  {
    name: "`resource` in the global block",
    code: "E_SHORTHAND_UNKNOWN_VARIABLE",
    src: 'global {\n  permissions = ["create"];\n  "create" if is_open(resource);\n}\n',
    line: 3, column: 23,
    message: "unknown variable `resource` in a shorthand rule",
  },
  // ------------------------------------------------------------ types
  {
    name: "extends an unknown type",
    code: "E_UNKNOWN_SUPERTYPE",
    src: "resource Repo extends Foldr {}\nresource Folder {}\n",
    line: 1, column: 23,
    message: "`Repo` extends `Foldr`, which is not an actor or resource block",
    help: "did you mean `Folder`?",
  },
  {
    name: "extends a built-in type",
    code: "E_UNKNOWN_SUPERTYPE",
    src: "actor Admin extends Actor {}\n",
    line: 1, column: 21,
    message: "`Admin` extends `Actor`, which is not an actor or resource block",
  },
  {
    name: "extends cycle",
    code: "E_EXTENDS_CYCLE",
    src: "resource A extends B {}\nresource B extends A {}\n",
    line: 2, column: 20,
    message: "cyclic `extends`: `A` -> `B` -> `A`",
  },
  {
    name: "extends itself",
    code: "E_EXTENDS_CYCLE",
    src: "resource A extends A {}\n",
    line: 1, column: 20,
    message: "`A` extends itself",
  },
  {
    name: "V16 unknown type close to a declared one",
    code: "W_UNKNOWN_TYPE",
    src: "resource Repo {}\nf(r: Rpo) if g(r);\n",
    line: 2, column: 6,
    message: "unknown type `Rpo`",
    help: "did you mean `Repo`?",
  },
  {
    name: "V16 declare with a type close to a declared one",
    code: "W_UNKNOWN_TYPE",
    src: "actor User {}\ndeclare is_banned(Usr);\n",
    line: 2, column: 19,
    message: "unknown type `Usr`",
    help: "did you mean `User`?",
  },
  {
    name: "V17 rule does not match its rule type",
    code: "E_RULE_TYPE_MISMATCH",
    src: 'type f(x: Integer);\nf("a");\n',
    line: 2, column: 1,
    message: 'rule `f("a")` does not match any rule type for `f/1`',
  },
  // ------------------------------------------------------------ predicates and variables
  {
    name: "V14 unknown predicate in an assertion",
    code: "E_UNKNOWN_PREDICATE",
    src: 'actor User {}\nresource Repo { permissions = ["read"]; }\ntest "t" {\n  assert has_permision(User{"a"}, "read", Repo{"r"});\n}\n',
    line: 4, column: 10,
    message: "unknown predicate `has_permision/3`",
    help: "did you mean `has_permission`?",
  },
  {
    name: "V14 known predicate with another arity",
    code: "E_UNKNOWN_PREDICATE",
    src: 'actor User {}\ntest "t" {\n  assert allow(User{"a"}, "read");\n}\n',
    line: 3, column: 10,
    message: "unknown predicate `allow/2`",
    help: "`allow` takes 3 arguments, not 2",
  },
  {
    name: "V14 unknown predicate in an inline query",
    code: "E_UNKNOWN_PREDICATE",
    src: "?= nothing_here(1);\n",
    line: 1, column: 4,
    message: "unknown predicate `nothing_here/1`",
  },
  {
    name: "call that looks like a typo",
    code: "W_POSSIBLE_TYPO",
    src: 'actor User {}\nresource Repo { permissions = ["read"]; }\nallow(actor: User, action: String, repo: Repo) if\n  has_permision(actor, action, repo);\n',
    line: 4, column: 3,
    message: "`has_permision/3` has no rules or declaration and looks like a typo of `has_permission/3`",
  },
  {
    name: "V15 singleton variable",
    code: "W_SINGLETON_VARIABLE",
    src: "f(x, y) if g(x);\n",
    line: 1, column: 6,
    message: "variable `y` is used only once",
    help: "rename it to `_y` or `_`",
  },
  {
    name: "V15 singleton variable in an assertion",
    code: "W_SINGLETON_VARIABLE",
    src: 'actor User {}\nresource Repo { permissions = ["read"]; }\ntest "t" {\n  assert allow(User{"a"}, action, Repo{"r"});\n}\n',
    line: 4, column: 27,
    message: "variable `action` is used only once",
  },
  {
    name: "unknown rule flag",
    code: "W_UNKNOWN_FLAG",
    src: "@someflag f(x) if g(x);\n",
    line: 1, column: 1,
    message: "unknown rule flag `@someflag`",
  },
  // ------------------------------------------------------------ tests (V21, DESIGN 4.8)
  {
    name: "V21 unknown fixture",
    code: "E_UNKNOWN_FIXTURE",
    src: 'global { roles = ["admin"]; }\ntest fixture base { has_role(User{"a"}, "admin"); }\ntest "t" {\n  setup { fixture bse; }\n  assert has_role(User{"a"}, "admin");\n}\n',
    line: 4, column: 19,
    message: "unknown fixture `bse`",
    help: "did you mean `base`?",
  },
  {
    name: "V21 duplicate fixture",
    code: "E_DUPLICATE_FIXTURE",
    src: 'global { roles = ["admin"]; }\ntest fixture base { has_role(User{"a"}, "admin"); }\ntest fixture base { has_role(User{"b"}, "admin"); }\n',
    line: 3, column: 14,
    message: "fixture `base` is defined more than once",
  },
  {
    name: "V21 duplicate test",
    code: "E_DUPLICATE_TEST",
    src: 'global { roles = ["admin"]; }\ntest "t" { assert_not has_role(User{"a"}, "admin"); }\ntest "t" { assert_not has_role(User{"b"}, "admin"); }\n',
    line: 3, column: 6,
    message: "test `t` is defined more than once",
  },
  {
    name: "`iff` on `assert_not`",
    code: "E_IFF_ON_ASSERT_NOT",
    src: 'actor User {}\nresource Repo { permissions = ["read"]; }\ntest "t" {\n  assert_not allow(User{"a"}, x, Repo{"r"}) iff x in ["read"];\n}\n',
    line: 4, column: 49,
    message: "`iff` cannot be used with `assert_not`",
  },
  {
    name: "variable in a setup fact",
    code: "E_NON_GROUND_FACT",
    src: 'global { roles = ["admin"]; }\ntest "t" {\n  setup { has_role(x, "admin"); }\n  assert has_role(User{"a"}, "admin");\n}\n',
    line: 3, column: 20,
    message: "test fact `has_role` has a variable argument `x`",
  },
  {
    name: "@current_unix_time in a fixture fact",
    code: "E_NON_GROUND_FACT",
    src: "declare created(User, Integer);\ntest fixture f { created(User{\"a\"}, @current_unix_time); }\n",
    line: 2, column: 37,
    message: "test fact `created` uses `@current_unix_time`",
  },
  // ------------------------------------------------------------ literals
  {
    name: "string over 384 bytes",
    code: "E_FACT_ARG_TOO_LONG",
    src: `f("${LONG}");\n`,
    line: 1, column: 3,
    message: "string value of 385 bytes exceeds the 384-byte limit on fact values",
  },
  {
    name: "multi-byte string over 384 bytes",
    code: "E_FACT_ARG_TOO_LONG",
    src: `f(User{"${"é".repeat(193)}"});\n`,
    line: 1, column: 8,
    message: "string value of 386 bytes exceeds the 384-byte limit on fact values",
  },
  {
    name: "primitive object literal with the wrong payload",
    code: "E_BAD_OBJECT_LITERAL",
    src: 'f(Integer{"x"});\n',
    line: 1, column: 3,
    message: '`Integer{"x"}` wraps a String, but `Integer` needs an Integer',
  },
  {
    name: "Boolean literal with an Integer payload",
    code: "E_BAD_OBJECT_LITERAL",
    src: "f(Boolean{1});\n",
    line: 1, column: 3,
    message: "`Boolean{1}` wraps an Integer, but `Boolean` needs a Boolean",
  },
  {
    name: "entity with a numeric id",
    code: "E_BAD_OBJECT_LITERAL",
    src: "actor User {}\nf(User{1});\n",
    line: 2, column: 3,
    message: "`User{1}` has a non-string id",
    help: 'quote the id: `User{"1"}`',
  },
  {
    name: "abstract type literal",
    code: "E_BAD_OBJECT_LITERAL",
    src: 'f(Actor{"a"});\n',
    line: 1, column: 3,
    message: '`Actor{"a"}`: `Actor` is an abstract type and has no values',
  },
  {
    name: "entity with an empty id",
    code: "E_EMPTY_ID",
    src: 'actor User {}\nf(User{""});\n',
    line: 2, column: 3,
    message: '`User{""}` has an empty id',
  },
  {
    name: "ordering comparison with a String",
    code: "E_COMPARE_NON_INTEGER",
    src: 'f(x) if g(x) and x < "a";\n',
    line: 1, column: 22,
    message: '`<` compares Integers, but `"a"` is of type `String`',
  },
  {
    name: "ordering comparison with an entity",
    code: "E_COMPARE_NON_INTEGER",
    src: 'actor User {}\nf(x) if g(x) and User{"a"} >= x;\n',
    line: 2, column: 18,
    message: '`>=` compares Integers, but `User{"a"}` is of type `User`',
  },
];

describe("checker diagnostics, one per code", () => {
  for (const c of cases) {
    it(`${c.code}: ${c.name}`, () => {
      const r = check(c.src);
      expect(r.parseDiagnostics).toEqual([]);
      expect(codes(r.diagnostics)).toEqual(c.all ?? [c.code]);
      const d = r.diagnostics.find((x) => x.code === c.code);
      expect(d).toBeDefined();
      if (d === undefined) return;
      expect(d.severity).toBe(c.code.startsWith("W_") ? "warning" : "error");
      expect(d.message).toBe(c.message);
      expect(d.span?.line).toBe(c.line);
      expect(d.span?.column).toBe(c.column);
      expect(d.span?.file).toBe("test.polar");
      expect(d.help.length).toBeGreaterThan(0);
      if (c.help !== undefined) expect(d.help).toBe(c.help);
      // House style: lowercase start, no trailing period.
      expect(d.message).not.toMatch(/\.$/);
      expect(d.message[0]).toBe(d.message[0]?.toLowerCase());
    });
  }

  it("covers every code the checker can emit", () => {
    const covered = new Set(cases.map((c) => c.code));
    for (const code of [
      "E_UNKNOWN_DECLARATION", "E_RELATIONS_NOT_DICT", "E_NOT_A_LIST", "E_DUPLICATE_DECLARATION",
      "E_CONFLICTING_DECLARATION", "W_DUPLICATE_NAME", "E_UNDECLARED_TERM", "E_HEAD_NOT_ROLE_OR_PERMISSION",
      "E_UNKNOWN_RELATION", "E_RELATION_TARGET_NO_BLOCK", "E_UNDECLARED_IN_RELATED_BLOCK", "E_ON_VARIABLE",
      "E_UNDECLARED_GLOBAL", "E_DUPLICATE_GLOBAL_BLOCK", "E_GLOBAL_RELATIONS", "E_ON_IN_GLOBAL",
      "E_SHORTHAND_VARIABLE_HEAD", "E_SHORTHAND_VARIABLE_TERM", "E_SHORTHAND_UNKNOWN_VARIABLE",
      "E_UNKNOWN_SUPERTYPE", "E_EXTENDS_CYCLE", "W_UNKNOWN_TYPE", "E_RULE_TYPE_MISMATCH",
      "E_UNKNOWN_PREDICATE", "W_POSSIBLE_TYPO", "W_SINGLETON_VARIABLE", "W_UNKNOWN_FLAG",
      "E_UNKNOWN_FIXTURE", "E_DUPLICATE_FIXTURE", "E_DUPLICATE_TEST", "E_IFF_ON_ASSERT_NOT",
      "E_NON_GROUND_FACT", "E_FACT_ARG_TOO_LONG", "E_BAD_OBJECT_LITERAL", "E_EMPTY_ID", "E_COMPARE_NON_INTEGER",
    ]) {
      expect(covered.has(code), code).toBe(true);
    }
  });
});
