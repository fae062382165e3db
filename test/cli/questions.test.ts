// authorize / list / actions / query, with context facts and --json, through the real binary.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_POLICY, Sandbox } from "./helpers.js";

const POLICY = `${REPO_POLICY}
global {
  roles = ["admin"];
}

# admins read every repo: a wildcard answer for \`query\`
has_role(user: User, "reader", _repo: Repo) if has_role(user, "admin");
`;

describe("boreal authorize / list / actions / query", () => {
  const box = new Sandbox();
  beforeAll(() => {
    box.file("policy.polar", POLICY);
    expect(box.run("policy", "policy.polar").code).toBe(0);
    for (const fact of [
      ["has_role", "User:alice", "owner", "Repo:anvil"],
      ["has_role", "User:bob", "reader", "Repo:anvil"],
      ["has_role", "User:bob", "maintainer", "Repo:forge"],
      ["has_relation", "Repo:forge", "parent", "Org:acme"],
      ["has_role", "User:carol", "member", "Org:acme"],
      ["has_role", "User:root", "admin"],
    ]) expect(box.run("tell", ...fact).code).toBe(0);
  });
  afterAll(() => box.remove());

  it("authorize prints allowed (exit 0) or denied (exit 3)", () => {
    expect(box.run("authorize", "User:alice", "delete", "Repo:anvil")).toEqual({ code: 0, stdout: "allowed\n", stderr: "" });
    expect(box.run("authorize", "User:bob", "delete", "Repo:anvil")).toEqual({ code: 3, stdout: "denied\n", stderr: "" });
    expect(box.run("authorize", "User:carol", "read", "Repo:forge")).toEqual({ code: 0, stdout: "allowed\n", stderr: "" });
    expect(box.run("authorize", "User:bob", "String:push", "Repo:forge").code).toBe(0);
  });

  it("authorize --json", () => {
    expect(box.run("authorize", "User:alice", "read", "Repo:anvil", "--json")).toEqual({ code: 0, stdout: "{\"allowed\":true}\n", stderr: "" });
    expect(box.run("authorize", "User:carol", "push", "Repo:forge", "--json")).toEqual({ code: 3, stdout: "{\"allowed\":false}\n", stderr: "" });
  });

  it("context facts (-c, repeatable) count for one question only and are not stored", () => {
    expect(box.run("authorize", "User:dave", "read", "Repo:anvil").code).toBe(3);
    expect(box.run("authorize", "User:dave", "read", "Repo:anvil", "-c", "is_public Repo:anvil")).toEqual({ code: 0, stdout: "allowed\n", stderr: "" });
    expect(box.run("authorize", "User:dave", "push", "Repo:forge", "-c", "has_role User:dave \"owner\" Org:acme", "-c", "has_role User:dave owner Repo:forge").code).toBe(0);
    expect(box.run("authorize", "User:dave", "read", "Repo:anvil").code).toBe(3);
    expect(box.run("get", "is_public", "_").stdout).toBe("");
    expect(box.run("list", "User:dave", "read", "Repo", "-c", "is_public Repo:anvil").stdout).toBe("anvil\n");
    expect(box.run("actions", "User:dave", "Repo:forge", "--context", "has_role User:dave maintainer Repo:forge").stdout).toBe("push\nread\n");
    expect(box.run("query", "has_permission", "User:dave", "_", "Repo:anvil", "-c", "is_public Repo:anvil").stdout).toBe("has_permission User:dave String:read Repo:anvil\n");
  });

  it("a context fact the policy rejects is an error (exit 1)", () => {
    const r = box.run("authorize", "User:dave", "read", "Repo:anvil", "-c", "is_pubic Repo:anvil");
    expect(r).toEqual({ code: 1, stdout: "", stderr: "error[E_UNKNOWN_PREDICATE]: unknown predicate `is_pubic`\n  help: did you mean `is_public`?\n" });
    expect(box.run("authorize", "User:dave", "read", "Repo:anvil", "-c", "is_public 'Repo:anvil").stderr).toContain("error[E_BAD_FACT]: unterminated quote");
  });

  it("list prints one id per line; --json prints an array", () => {
    expect(box.run("list", "User:bob", "read", "Repo")).toEqual({ code: 0, stdout: "anvil\nforge\n", stderr: "" });
    expect(box.run("list", "User:carol", "push", "Repo")).toEqual({ code: 0, stdout: "", stderr: "" });
    expect(box.run("list", "User:bob", "push", "Repo", "--json")).toEqual({ code: 0, stdout: "[\"forge\"]\n", stderr: "" });
  });

  it("actions prints one action per line; --json prints an array", () => {
    expect(box.run("actions", "User:alice", "Repo:anvil")).toEqual({ code: 0, stdout: "delete\npush\nread\n", stderr: "" });
    expect(box.run("actions", "User:carol", "Repo:anvil")).toEqual({ code: 0, stdout: "", stderr: "" });
    expect(box.run("actions", "User:bob", "Repo:forge", "--json")).toEqual({ code: 0, stdout: "[\"push\",\"read\"]\n", stderr: "" });
  });

  it("query prints rows in CLI syntax; `Type:_` and `_` are output variables, `_` marks an unbound answer", () => {
    const r = box.run("query", "has_permission", "User:bob", "String:_", "Repo:_");
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n").filter(Boolean).sort()).toEqual([
      "has_permission User:bob String:push Repo:forge",
      "has_permission User:bob String:read Repo:anvil",
      "has_permission User:bob String:read Repo:forge",
    ]);
    expect(box.run("query", "has_role", "User:root", "_", "Repo:_")).toEqual({ code: 0, stdout: "has_role User:root String:reader _\n", stderr: "" });
    expect(box.run("query", "has_role", "User:_", "admin")).toEqual({ code: 0, stdout: "has_role User:root String:admin\n", stderr: "" });
    expect(box.run("query", "has_permission", "User:carol", "push", "Repo:forge")).toEqual({ code: 0, stdout: "", stderr: "" });
  });

  it("query --json prints rows in the library's value format, null where unbound", () => {
    const r = box.run("query", "has_role", "User:root", "_", "Repo:_", "--json");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([["has_role", { type: "User", id: "root" }, "reader", null]]);
  });

  it("query of an unknown predicate or arity is an error (exit 1)", () => {
    expect(box.run("query", "has_permision", "User:bob", "_", "_")).toEqual({ code: 1, stdout: "", stderr: "error[E_UNKNOWN_PREDICATE]: unknown predicate `has_permision`\n  help: did you mean `has_permission`?\n" });
    expect(box.run("query", "has_permission", "User:bob").stderr).toContain("error[E_QUERY_ARITY]: `has_permission` takes 3 arguments, not 1");
  });

  it("bad values in questions are errors (exit 1)", () => {
    expect(box.run("authorize", "User:", "read", "Repo:anvil").stderr).toContain("error[E_EMPTY_ID]");
    expect(box.run("authorize", "User:bob", "Integer:1", "Repo:anvil")).toEqual({ code: 1, stdout: "", stderr: "error[E_BAD_VALUE]: the action must be a String, got `Integer:1`\n  help: write the action as a plain word, such as `read`\n" });
  });
});
