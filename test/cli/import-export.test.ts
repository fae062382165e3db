// import / export (JSON Lines): one transaction per import, line numbers in errors, round trips.
import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN, REPO_POLICY, Sandbox } from "./helpers.js";

const user = (id: string) => ({ type: "User", id });
const repo = (id: string) => ({ type: "Repo", id });
const line = (...fact: unknown[]) => JSON.stringify(fact);

describe("boreal import / export", () => {
  const box = new Sandbox();
  beforeAll(() => {
    box.file("policy.polar", REPO_POLICY);
    expect(box.run("policy", "policy.polar").code).toBe(0);
  });
  afterAll(() => box.remove());

  it("imports JSON Lines in one go, skipping blank lines and counting duplicates", () => {
    box.file("facts.jsonl", [
      line("has_role", user("alice"), "owner", repo("anvil")),
      line("has_role", user("bob"), "reader", repo("anvil")),
      "",
      line("has_role", user("alice"), "owner", repo("anvil")),
      line("score", user("bob"), 42),
      "",
    ].join("\n"));
    const r = box.run("import", "facts.jsonl");
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^imported 4 facts \(3 new\) in \d+\.\d\d s: \d+ facts\/s\n$/);
    expect(box.run("authorize", "User:bob", "read", "Repo:anvil").code).toBe(0);
  });

  it("export prints every stored fact as JSON Lines, in insertion order", () => {
    box.run("tell", "score", "User:carol", "Integer:9007199254740993");
    box.run("tell", "is_public", "Repo:it's \"quoted\"");
    expect(box.run("export")).toEqual({
      code: 0,
      stderr: "",
      stdout: [
        line("has_role", user("alice"), "owner", repo("anvil")),
        line("has_role", user("bob"), "reader", repo("anvil")),
        line("score", user("bob"), 42),
        line("score", user("carol"), { type: "Integer", id: "9007199254740993" }),
        line("is_public", repo("it's \"quoted\"")),
        "",
      ].join("\n"),
    });
  });

  it("export | import round-trips into another store (import reads stdin with `-`)", () => {
    const other = new Sandbox();
    try {
      other.file("policy.polar", REPO_POLICY);
      expect(other.run("policy", "policy.polar").code).toBe(0);
      const dump = box.run("export").stdout;
      const r = other.runWith({ input: dump }, "import", "-", "--json");
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ read: 5, inserted: 5 });
      expect(other.run("export").stdout).toBe(dump);
      expect(other.run("get", "score", "_", "_").stdout).toBe("score User:bob Integer:42\nscore User:carol Integer:9007199254740993\n");
    } finally {
      other.remove();
    }
  });

  it("a fact the policy rejects aborts the whole import; the error names the line (exit 1)", () => {
    const before = box.run("export").stdout;
    box.file("bad.jsonl", [
      line("has_role", user("dave"), "owner", repo("x")),
      line("has_role", user("erin"), "owner", repo("y")),
      line("has_rol", user("frank"), "owner", repo("z")),
    ].join("\n"));
    expect(box.run("import", "bad.jsonl")).toEqual({ code: 1, stdout: "", stderr: "error[E_UNKNOWN_PREDICATE]: line 3: unknown predicate `has_rol`\n  help: did you mean `has_role`?\n" });
    expect(box.run("export").stdout).toBe(before);
  });

  it("an import that fails after thousands of good lines (several batches) stores nothing", () => {
    const before = box.run("export").stdout;
    const lines: string[] = [];
    for (let i = 1; i <= 25_000; i++) lines.push(line("has_role", user(`u${i}`), "reader", repo(`r${i % 100}`)));
    lines[23_455] = line("score", user("x"), "high");
    box.file("big.jsonl", `${lines.join("\n")}\n`);
    const r = box.run("import", "big.jsonl", "--json");
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(JSON.parse(r.stderr)).toMatchObject({ code: "E_FACT_TYPE", message: "line 23456: argument 2 of `score` must be of type `Integer`, got `\"high\"`" });
    expect(box.run("export").stdout).toBe(before);
  });

  it("malformed lines name the line and the reason", () => {
    box.file("json.jsonl", `${line("score", user("bob"), 1)}\n["score", {"type": "User", "id": "bob"}, \n`);
    const json = box.run("import", "json.jsonl");
    expect(json.code).toBe(1);
    expect(json.stderr).toMatch(/^error\[E_BAD_FACT\]: line 2: invalid JSON: /);
    box.file("value.jsonl", `${line("score", user("bob"), 1.5)}\n`);
    expect(box.run("import", "value.jsonl").stderr).toContain("error[E_BAD_INTEGER]: line 1: `1.5` is not a safe integer");
    box.file("shape.jsonl", `{"predicate": "score"}\n`);
    expect(box.run("import", "shape.jsonl").stderr).toContain("error[E_BAD_FACT]: line 1: a fact must be an array that starts with a predicate name");
  });

  it("a missing input file is an error (exit 1)", () => {
    expect(box.run("import", "nope.jsonl")).toEqual({ code: 1, stdout: "", stderr: "error[E_FILE]: cannot read `nope.jsonl`: no such file\n  help: give a JSON Lines file, or `-` to read standard input\n" });
  });

  it("import needs a saved policy", () => {
    const empty = new Sandbox();
    try {
      const r = empty.runWith({ input: `${line("score", user("bob"), 1)}\n` }, "import", "-");
      expect(r.code).toBe(1);
      expect(r.stderr).toContain("error[E_NO_POLICY]");
    } finally {
      empty.remove();
    }
  });

  it("an import killed halfway changes nothing, and the store stays usable", async () => {
    const before = box.run("export").stdout;
    const child = spawn(process.execPath, [BIN, "import", "-", "--data", box.data], { cwd: box.dir, stdio: ["pipe", "pipe", "pipe"] });
    const done = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
    // the kill can land while the pipe still holds unread input: EPIPE is expected here
    child.stdin.on("error", () => {});
    let chunk = "";
    for (let i = 0; i < 30_000; i++) chunk += `${line("has_role", user(`k${i}`), "reader", repo("anvil"))}\n`;
    child.stdin.write(chunk);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    child.kill("SIGKILL");
    await done;
    expect(box.run("export").stdout).toBe(before);
    expect(box.run("tell", "has_role", "User:after", "reader", "Repo:anvil").code).toBe(0);
    expect(box.run("get", "has_role", "User:after", "_", "_").stdout).toBe("has_role User:after String:reader Repo:anvil\n");
  });
});
