// boreal policy / test / validate: saving only what validates and passes its tests.
import { afterAll, describe, expect, it } from "vitest";
import { REPO_POLICY, Sandbox } from "./helpers.js";

const FAILING_TESTS = REPO_POLICY.replace(`assert_not allow(User{"bob"}, "read", Repo{"anvil"});`, `assert allow(User{"bob"}, "read", Repo{"anvil"});`)
  .replace("declare score(User, Integer);", "declare score(User, Integer);\ndeclare is_banned(User);");

describe("boreal policy", () => {
  const box = new Sandbox();
  afterAll(() => box.remove());

  it("validates, runs the tests, and saves (exit 0; messages on stderr)", () => {
    box.file("policy.polar", REPO_POLICY);
    expect(box.run("policy", "policy.polar")).toEqual({
      code: 0,
      stdout: "",
      stderr: `ok     test "owners can delete" (2/2 assertions)\n1 test: 1 passed, 0 failed\nsaved the policy (policy.polar) in ${box.data}/boreal.db\n`,
    });
    expect(box.run("tell", "has_role", "User:bob", "reader", "Repo:anvil").code).toBe(0);
    expect(box.run("authorize", "User:bob", "read", "Repo:anvil")).toEqual({ code: 0, stdout: "allowed\n", stderr: "" });
  });

  it("--json prints the saved files, the test report and the warnings", () => {
    const r = box.run("policy", "policy.polar", "--json");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      saved: true,
      files: ["policy.polar"],
      tests: { passed: true, tests: [{ name: "owners can delete", passed: 2, total: 2, failures: [] }] },
      warnings: [],
    });
  });

  it("a policy whose tests fail is not saved and the previous policy stays (exit 4)", () => {
    box.file("failing.polar", FAILING_TESTS);
    const r = box.run("policy", "failing.polar");
    expect(r.code).toBe(4);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(
      `FAILED test "owners can delete" (1/2 assertions)\n` +
      `  failing.polar:28:3: failed: assert allow(User{"bob"}, "read", Repo{"anvil"})\n` +
      `    expected at least one solution, found none\n` +
      `1 test: 0 passed, 1 failed\n` +
      "error[E_TESTS_FAILED]: 1 of 1 policy tests failed: `owners can delete`\n" +
      "  help: fix the policy or its tests; the policy was not saved and the previous one stays\n",
    );
    // The new policy declares is_banned; the saved (old) one does not know it.
    expect(box.run("tell", "is_banned", "User:bob").stderr).toContain("error[E_UNKNOWN_PREDICATE]: unknown predicate `is_banned`");
    expect(box.run("authorize", "User:bob", "read", "Repo:anvil").code).toBe(0);
  });

  it("with --json, a failing test run prints the report on stdout and the error shape on stderr", () => {
    const r = box.run("policy", "failing.polar", "--json");
    expect(r.code).toBe(4);
    expect(JSON.parse(r.stdout)).toMatchObject({ saved: false, tests: { passed: false, tests: [{ name: "owners can delete", passed: 1, total: 2 }] } });
    expect(JSON.parse(r.stderr)).toMatchObject({ code: "E_TESTS_FAILED", message: "1 of 1 policy tests failed: `owners can delete`" });
  });

  it("an invalid policy prints file:line:column, the source line, a caret and help; nothing is saved (exit 4)", () => {
    box.file("bad.polar", `actor User {}\nresource Repo {\n  roles = ["reader"];\n  permissions = ["read"];\n  "read" if "reder";\n}\n`);
    const r = box.run("policy", "bad.polar");
    expect(r).toEqual({
      code: 4,
      stdout: "",
      stderr: "bad.polar:5:13: error[E_UNDECLARED_TERM]: undeclared term `reder` in `Repo`\n  |\n5 |   \"read\" if \"reder\";\n  |             ^^^^^^^\n  help: did you mean `reader`?\n",
    });
    const json = box.run("policy", "bad.polar", "--json");
    expect(json.code).toBe(4);
    expect(JSON.parse(json.stderr)).toMatchObject({ code: "E_UNDECLARED_TERM", span: { file: "bad.polar", line: 5, column: 13 } });
    expect(box.run("authorize", "User:bob", "read", "Repo:anvil").stdout).toBe("allowed\n");
  });

  it("a missing policy file is an error (exit 1)", () => {
    expect(box.run("policy", "nope.polar")).toEqual({ code: 1, stdout: "", stderr: "error[E_FILE]: cannot read `nope.polar`: no such file\n  help: check the path of the policy file\n" });
  });

  it("keeps stored facts the new policy cannot use, warns about them, and uses them again when a policy can", () => {
    expect(box.run("tell", "is_public", "Repo:open").code).toBe(0);
    expect(box.run("authorize", "User:zed", "read", "Repo:open").code).toBe(0);
    box.file("private.polar", REPO_POLICY.replace(`  "read" if is_public(resource);\n`, ""));
    const r = box.run("policy", "private.polar");
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(
      "warning[W_UNUSABLE_FACT]: the stored fact `is_public Repo:open` cannot be used by this policy: unknown predicate `is_public`\n" +
      "  help: the fact is kept; delete it or change the policy to use it\n",
    );
    expect(box.run("get", "is_public", "_").stdout).toBe("is_public Repo:open\n");
    expect(box.run("authorize", "User:zed", "read", "Repo:open")).toEqual({ code: 3, stdout: "denied\n", stderr: "" });
    expect(box.run("authorize", "User:bob", "read", "Repo:anvil").code).toBe(0);
    const back = box.run("policy", "policy.polar");
    expect(back.code).toBe(0);
    expect(back.stderr).not.toContain("W_UNUSABLE_FACT");
    expect(box.run("authorize", "User:zed", "read", "Repo:open").code).toBe(0);
  });

  it("loads several files as one policy", () => {
    const fresh = new Sandbox();
    try {
      fresh.file("a.polar", `actor User {}\nresource Repo { roles = ["reader"]; permissions = ["read"]; relations = { parent: Org }; "read" if "reader" on "parent"; }\n`);
      fresh.file("b.polar", `resource Org { roles = ["reader"]; }\n`);
      expect(fresh.run("policy", "a.polar").code).toBe(4);
      expect(fresh.run("policy", "a.polar", "b.polar")).toEqual({ code: 0, stdout: "", stderr: `saved the policy (a.polar, b.polar) in ${fresh.data}/boreal.db\n` });
      expect(fresh.run("tell", "has_relation", "Repo:r", "parent", "Org:o").code).toBe(0);
      expect(fresh.run("tell", "has_role", "User:u", "reader", "Org:o").code).toBe(0);
      expect(fresh.run("authorize", "User:u", "read", "Repo:r").stdout).toBe("allowed\n");
    } finally {
      fresh.remove();
    }
  });
});

describe("boreal test", () => {
  const box = new Sandbox();
  afterAll(() => box.remove());

  it("runs the tests and prints the report on stdout (exit 0); saves nothing", () => {
    box.file("policy.polar", REPO_POLICY);
    expect(box.run("test", "policy.polar")).toEqual({ code: 0, stdout: `ok     test "owners can delete" (2/2 assertions)\n1 test: 1 passed, 0 failed\n`, stderr: "" });
    expect(box.run("authorize", "User:alice", "read", "Repo:x").stderr).toContain("E_NO_POLICY");
  });

  it("exits 4 when a test fails", () => {
    box.file("failing.polar", FAILING_TESTS);
    const r = box.run("test", "failing.polar");
    expect(r.code).toBe(4);
    expect(r.stdout).toContain(`FAILED test "owners can delete" (1/2 assertions)\n`);
    expect(r.stderr).toBe("error[E_TESTS_FAILED]: 1 of 1 policy tests failed: `owners can delete`\n  help: fix the policy or its tests\n");
  });

  it("--json prints the report", () => {
    const r = box.run("test", "failing.polar", "--json");
    expect(r.code).toBe(4);
    expect(JSON.parse(r.stdout)).toEqual({
      passed: false,
      tests: [{
        name: "owners can delete",
        passed: 1,
        total: 2,
        failures: [{ assertion: `assert allow(User{"bob"}, "read", Repo{"anvil"});`, message: "expected at least one solution, found none", line: 28, column: 3 }],
      }],
    });
  });

  it("exits 4 on an invalid policy", () => {
    box.file("bad.polar", "actor User {\n");
    const r = box.run("test", "bad.polar");
    expect(r.code).toBe(4);
    expect(r.stderr).toContain("bad.polar:2:1: error[E_UNEXPECTED_EOF]");
  });
});
