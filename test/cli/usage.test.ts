// Usage errors (exit 2 with the command's help), suggestions, help and version.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ROOT, run } from "./helpers.js";

describe("boreal usage", () => {
  it("an unknown command suggests the nearest one (exit 2)", () => {
    expect(run(["tel", "has_role"])).toEqual({ code: 2, stdout: "", stderr: "error: unknown command `tel`; did you mean `tell`?\nrun `boreal --help` for the list of commands\n" });
    expect(run(["authorise", "User:a", "read", "Repo:b"]).stderr).toContain("did you mean `authorize`?");
    expect(run(["xyzzy"])).toEqual({ code: 2, stdout: "", stderr: "error: unknown command `xyzzy`\nrun `boreal --help` for the list of commands\n" });
  });

  it("with --json, usage errors use the shared error shape", () => {
    const r = run(["tel", "--json"]);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stderr)).toEqual({
      code: "E_USAGE",
      message: "unknown command `tel`; did you mean `tell`?",
      help: "run `boreal --help` for the list of commands",
      diagnostics: [{ code: "E_USAGE", severity: "error", message: "unknown command `tel`; did you mean `tell`?", help: "run `boreal --help` for the list of commands" }],
    });
    const missing = run(["authorize", "User:a", "--json"]);
    expect(missing.code).toBe(2);
    expect(JSON.parse(missing.stderr)).toMatchObject({ code: "E_USAGE", message: "missing required argument 'action'" });
  });

  it("a missing argument prints the command's help (exit 2)", () => {
    const r = run(["authorize", "User:bob", "read"]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^error: missing required argument 'resource'\n/);
    expect(r.stderr).toContain("Usage: boreal authorize [options] <actor> <action> <resource>");
    expect(r.stderr).toContain("-c, --context <fact>");
    expect(r.stderr).toContain("Examples:\n  boreal authorize User:bob read Repo:anvil");
  });

  it("too many arguments and unknown options are usage errors (exit 2)", () => {
    const extra = run(["actions", "User:bob", "Repo:a", "Repo:b"]);
    expect(extra.code).toBe(2);
    expect(extra.stderr).toContain("error: too many arguments for 'actions'");
    const option = run(["get", "_", "--frob"]);
    expect(option.code).toBe(2);
    expect(option.stderr).toContain("error: unknown option '--frob'");
    expect(option.stderr).toContain("Usage: boreal get [options] <predicate> [patterns...]");
  });

  it("no command prints the overview (exit 2); --help prints it on stdout (exit 0)", () => {
    const none = run([]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("Usage: boreal <command> [arguments] [options]");
    expect(none.stderr).toContain("Exit codes: 0 ok/allowed, 1 error, 2 usage, 3 denied, 4 invalid policy or failed tests.");
    const help = run(["--help"]);
    expect(help.code).toBe(0);
    for (const command of ["policy", "validate", "test", "tell", "delete", "get", "authorize", "list", "actions", "query", "import", "export", "clear"]) {
      expect(help.stdout).toMatch(new RegExp(`\\n  ${command} `));
    }
    const tellHelp = run(["tell", "--help"]);
    expect(tellHelp.code).toBe(0);
    expect(tellHelp.stdout).toContain("Usage: boreal tell [options] <predicate> [args...]");
    expect(tellHelp.stdout).toContain("--data <dir>");
  });

  it("--version prints the package version", () => {
    const pkg = JSON.parse(readFileSync(`${ROOT}package.json`, "utf8")) as { version: string };
    expect(run(["--version"])).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: "" });
  });

  it("prints no colour codes when the output is not a terminal, even without NO_COLOR", () => {
    const r = run(["validate", "examples/01-org-charts/policy.polar", "nope.polar"], { env: { NO_COLOR: undefined } });
    expect(r.code).toBe(1);
    expect(r.stderr).not.toContain("\u001b[");
  });
});
