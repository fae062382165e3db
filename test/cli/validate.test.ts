// The `boreal` binary, run for real: validate/compile, exit codes and rendered diagnostics.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const bin = new URL("../../bin/boreal.js", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "boreal-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function boreal(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function file(name: string, src: string): string {
  const p = join(dir, name);
  writeFileSync(p, src);
  return p;
}

describe("boreal validate / compile", () => {
  it("accepts a valid policy (exit 0)", () => {
    const r = boreal("validate", "examples/03-issue-ownership/policy.polar");
    expect(r).toMatchObject({ code: 0, stdout: "valid: examples/03-issue-ownership/policy.polar\n", stderr: "" });
  });
  it("prints compiled rules", () => {
    const r = boreal("compile", "examples/05-org-roles/policy.polar");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("has_relation(resource, \"container\", organization)");
    expect(r.stdout).toContain("# fact signatures");
  });
  it("reports every error with file:line:column, the source line, a caret and help (exit 4)", () => {
    const bad = file("bad.polar", `actor User {}\nresource Repo { roles = ["reader"]; permissions = ["read"]; "read" if "reder"; }\nf(x, y) if g(x);\n`);
    const r = boreal("validate", bad);
    expect(r.code).toBe(4);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(`${bad}:2:71: error[E_UNDECLARED_TERM]: undeclared term \`reder\` in \`Repo\``);
    expect(r.stderr).toContain(`2 | resource Repo { roles = ["reader"]; permissions = ["read"]; "read" if "reder"; }\n  |${" ".repeat(71)}^^^^^^^\n  help: did you mean \`reader\`?`);
    expect(r.stderr).toContain(`${bad}:3:6: error[E_UNBOUND_HEAD_VARIABLE]`);
  });
  it("loads several files as one policy", () => {
    const a = file("a.polar", `actor User {}\nresource Repo { roles = ["reader"]; permissions = ["read"]; relations = { parent: Org }; "read" if "reader" on "parent"; }\n`);
    const b = file("b.polar", `resource Org { roles = ["reader"]; }\n`);
    expect(boreal("validate", a).code).toBe(4);
    expect(boreal("validate", a, b).code).toBe(0);
  });
  it("prints warnings (exit 0) and, with --json, the files and warnings", () => {
    const warn = file("warn.polar", `actor User {}\nresource Repo { roles = ["reader"]; permissions = ["read"]; "read" if "reader"; }\nf(x, y) if g(x) and h(y, z);\n`);
    const r = boreal("validate", warn);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`valid: ${warn}\n`);
    expect(r.stderr).toContain(`${warn}:3:26: warning[W_SINGLETON_VARIABLE]: variable \`z\` is used only once`);
    const json = boreal("validate", warn, "--json");
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ valid: true, files: [warn], warnings: [{ code: "W_SINGLETON_VARIABLE", span: { line: 3, column: 26 } }] });
    const bad = boreal("validate", file("bad2.polar", "actor User {"), "--json");
    expect(bad.code).toBe(4);
    expect(bad.stdout).toBe("");
    expect(JSON.parse(bad.stderr)).toMatchObject({ code: "E_UNEXPECTED_EOF" });
  });
  it("exits 2 on usage errors and 1 on a missing file", () => {
    expect(boreal("frob")).toMatchObject({ code: 2 });
    expect(boreal("frob").stderr).toContain("unknown command `frob`");
    expect(boreal("validate").code).toBe(2);
    expect(boreal("validate", join(dir, "missing.polar")).code).toBe(1);
  });
});
