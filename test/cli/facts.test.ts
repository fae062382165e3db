// policy / tell / delete / get / clear through the real binary: exact outputs and exit codes.
import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_POLICY, Sandbox } from "./helpers.js";

describe("boreal tell / get / delete / clear", () => {
  const box = new Sandbox();
  beforeAll(() => {
    box.file("policy.polar", REPO_POLICY);
    expect(box.run("policy", "policy.polar")).toMatchObject({ code: 0, stdout: "" });
  });
  afterAll(() => box.remove());

  it("tell stores a fact and reports it on stderr (exit 0)", () => {
    expect(box.run("tell", "has_role", "User:bob", "owner", "Repo:anvil")).toEqual({ code: 0, stdout: "", stderr: "stored: has_role User:bob String:owner Repo:anvil\n" });
    expect(box.run("tell", "has_role", "User:bob", "String:owner", "Repo:anvil")).toEqual({ code: 0, stdout: "", stderr: "already stored: has_role User:bob String:owner Repo:anvil\n" });
  });

  it("tell --json prints the fact in the library's value format", () => {
    const r = box.run("tell", "score", "User:bob", "Integer:-5", "--json");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ inserted: true, fact: ["score", { type: "User", id: "bob" }, -5] });
  });

  it("tell rejects a fact the policy cannot use (exit 1) and stores nothing", () => {
    const r = box.run("tell", "has_rol", "User:bob", "owner", "Repo:anvil");
    expect(r).toEqual({ code: 1, stdout: "", stderr: "error[E_UNKNOWN_PREDICATE]: unknown predicate `has_rol`\n  help: did you mean `has_role`?\n" });
    const typed = box.run("tell", "score", "User:bob", "high");
    expect(typed.code).toBe(1);
    expect(typed.stderr).toContain("error[E_FACT_TYPE]: argument 2 of `score` must be of type `Integer`, got `\"high\"`");
    const json = box.run("tell", "has_role", "User:bob", "owner", "--json");
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stderr)).toMatchObject({ code: "E_FACT_ARITY", diagnostics: [{ code: "E_FACT_ARITY", severity: "error" }] });
    expect(box.run("get", "_").stdout).toBe("has_role User:bob String:owner Repo:anvil\nscore User:bob Integer:-5\n");
  });

  it("tell rejects a malformed value (exit 1)", () => {
    const r = box.run("tell", "score", "User:bob", "Integer:ten");
    expect(r).toMatchObject({ code: 1, stdout: "" });
    expect(r.stderr).toContain("error[E_BAD_INTEGER]: `ten` is not an integer");
    expect(box.run("tell", "has_role", "User:", "owner", "Repo:x").stderr).toContain("error[E_EMPTY_ID]");
  });

  it("get prints facts in CLI syntax, with patterns and the `_` predicate", () => {
    box.run("tell", "has_role", "User:alice", "reader", "Repo:anvil");
    box.run("tell", "has_role", "User:alice", "maintainer", "Repo:forge");
    box.run("tell", "has_relation", "Repo:forge", "parent", "Org:acme");
    expect(box.run("get", "has_role", "User:alice", "_", "_")).toEqual({
      code: 0,
      stdout: "has_role User:alice String:reader Repo:anvil\nhas_role User:alice String:maintainer Repo:forge\n",
      stderr: "",
    });
    expect(box.run("get", "has_role", "_", "_", "Repo:anvil").stdout).toBe("has_role User:bob String:owner Repo:anvil\nhas_role User:alice String:reader Repo:anvil\n");
    expect(box.run("get", "has_role", "User:_", "String:maintainer", "_").stdout).toBe("has_role User:alice String:maintainer Repo:forge\n");
    expect(box.run("get", "has_role", "Org:_", "_", "_").stdout).toBe("");
    expect(box.run("get", "has_role", "User:nobody", "_", "_")).toEqual({ code: 0, stdout: "", stderr: "" });
    expect(box.run("get", "_", "Repo:forge", "_", "_").stdout).toBe("has_relation Repo:forge String:parent Org:acme\n");
    expect(box.run("get", "_").stdout.split("\n").filter(Boolean)).toHaveLength(5);
  });

  it("get --json prints an array of facts", () => {
    const r = box.run("get", "has_relation", "_", "_", "_", "--json");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([["has_relation", { type: "Repo", id: "forge" }, "parent", { type: "Org", id: "acme" }]]);
  });

  it("delete removes exact facts and wildcard matches", () => {
    expect(box.run("delete", "has_role", "User:alice", "reader", "Repo:anvil")).toEqual({ code: 0, stdout: "", stderr: "deleted 1 fact\n" });
    expect(box.run("delete", "has_role", "User:alice", "reader", "Repo:anvil")).toEqual({ code: 0, stdout: "", stderr: "deleted 0 facts\n" });
    box.run("tell", "has_role", "User:carol", "reader", "Repo:anvil");
    box.run("tell", "has_role", "User:dave", "reader", "Repo:forge");
    // `Type:_`: any User; `_`: any value
    expect(box.run("delete", "has_role", "User:_", "_", "Repo:anvil", "--json")).toEqual({ code: 0, stdout: "{\"deleted\":2}\n", stderr: "" });
    expect(box.run("get", "has_role", "_", "_", "_").stdout).toBe("has_role User:alice String:maintainer Repo:forge\nhas_role User:dave String:reader Repo:forge\n");
    expect(box.run("delete", "has_role", "_", "String:reader", "_").stderr).toBe("deleted 1 fact\n");
    expect(box.run("get", "has_role", "_", "_", "_").stdout).toBe("has_role User:alice String:maintainer Repo:forge\n");
  });

  it("delete refuses `_` as the predicate (exit 2, with the command's help)", () => {
    const r = box.run("delete", "_", "_");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("error: the predicate of `delete` cannot be `_`; use `boreal clear --confirm` to delete every fact");
    expect(r.stderr).toContain("Usage: boreal delete [options] <predicate> [patterns...]");
  });

  it("clear needs --confirm (exit 2), then deletes every fact and keeps the policy", () => {
    const refused = box.run("clear");
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("add --confirm");
    expect(box.run("get", "_").stdout).not.toBe("");
    expect(box.run("clear", "--confirm")).toEqual({ code: 0, stdout: "", stderr: "deleted 3 facts\n" });
    expect(box.run("get", "_")).toEqual({ code: 0, stdout: "", stderr: "" });
    expect(box.run("tell", "is_public", "Repo:x").code).toBe(0);
    expect(box.run("authorize", "User:anyone", "read", "Repo:x").stdout).toBe("allowed\n");
  });

  it("values that need shell quoting print quoted, and round-trip through tell", () => {
    expect(box.run("tell", "has_role", "User:jo smith", "reader", "Repo:it's").code).toBe(0);
    const line = box.run("get", "has_role", "_", "_", "Repo:it's").stdout;
    expect(line).toBe("has_role 'User:jo smith' String:reader 'Repo:it'\\''s'\n");
  });
});

describe("boreal tell without a store or a policy", () => {
  const box = new Sandbox();
  afterAll(() => box.remove());

  it("tell fails with E_NO_POLICY (exit 1) and creates nothing", () => {
    const r = box.run("tell", "has_role", "User:bob", "owner", "Repo:anvil");
    expect(r).toEqual({ code: 1, stdout: "", stderr: `error[E_NO_POLICY]: no policy is saved in \`${box.data}\`\n  help: save one with \`boreal policy FILE…\` first (or point --data at the store that has it)\n` });
    expect(existsSync(box.data)).toBe(false);
    expect(box.run("get", "_")).toEqual({ code: 0, stdout: "", stderr: "" });
    expect(box.run("export")).toEqual({ code: 0, stdout: "", stderr: "" });
    expect(box.run("delete", "has_role", "_", "_", "_")).toEqual({ code: 0, stdout: "", stderr: "deleted 0 facts\n" });
  });

  it("questions fail with E_NO_POLICY (exit 1, JSON error shape with --json)", () => {
    const r = box.run("authorize", "User:bob", "read", "Repo:anvil", "--json");
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(JSON.parse(r.stderr)).toEqual({
      code: "E_NO_POLICY",
      message: `no policy is saved in \`${box.data}\``,
      help: "save one with `boreal policy FILE…` first (or point --data at the store that has it)",
      diagnostics: [{ code: "E_NO_POLICY", severity: "error", message: `no policy is saved in \`${box.data}\``, help: "save one with `boreal policy FILE…` first (or point --data at the store that has it)" }],
    });
  });
});
