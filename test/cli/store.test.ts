// The SQLite store: location, concurrency (no lost writes), and refusing files it cannot use.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pool, REPO_POLICY, type Result, run, runAsync, Sandbox } from "./helpers.js";

describe("store location", () => {
  const box = new Sandbox();
  beforeAll(() => box.file("policy.polar", REPO_POLICY));
  afterAll(() => box.remove());

  it("defaults to ./.boreal, else $BOREAL_DATA, else --data", () => {
    expect(run(["policy", "policy.polar"], { cwd: box.dir }).stderr).toContain("saved the policy (policy.polar) in .boreal/boreal.db");
    expect(existsSync(join(box.dir, ".boreal", "boreal.db"))).toBe(true);
    expect(run(["tell", "is_public", "Repo:a"], { cwd: box.dir }).code).toBe(0);

    const env = { BOREAL_DATA: join(box.dir, "from-env") };
    expect(run(["policy", "policy.polar"], { cwd: box.dir, env }).code).toBe(0);
    expect(run(["tell", "is_public", "Repo:b"], { cwd: box.dir, env }).code).toBe(0);

    expect(run(["get", "_"], { cwd: box.dir }).stdout).toBe("is_public Repo:a\n");
    expect(run(["get", "_"], { cwd: box.dir, env }).stdout).toBe("is_public Repo:b\n");
    // --data wins over BOREAL_DATA
    expect(run(["get", "_", "--data", ".boreal"], { cwd: box.dir, env }).stdout).toBe("is_public Repo:a\n");
  });

  it("uses WAL and records its schema version", () => {
    const db = new Database(join(box.dir, ".boreal", "boreal.db"), { readonly: true });
    try {
      expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
      expect(db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").pluck().get()).toBe("1");
      expect(db.prepare("SELECT count(*) FROM facts").pluck().get()).toBe(1);
    } finally {
      db.close();
    }
  });
});

describe("concurrent writers", () => {
  const box = new Sandbox();
  beforeAll(() => {
    box.file("policy.polar", REPO_POLICY);
    expect(box.run("policy", "policy.polar").code).toBe(0);
  });
  afterAll(() => box.remove());

  it("lose no write: two writers of 75 tells each and a 2,000-fact import, all at once", async () => {
    const lines = Array.from({ length: 2000 }, (_, i) => JSON.stringify(["has_role", { type: "User", id: `imported${i}` }, "reader", { type: "Repo", id: "big" }]));
    box.file("bulk.jsonl", `${lines.join("\n")}\n`);
    const writer = (name: string): Promise<Result[]> =>
      pool(Array.from({ length: 75 }, (_, i) => () => box.runAsync("tell", "has_role", `User:${name}${i}`, "reader", `Repo:${name}`)), 2);
    const [a, b, imported] = await Promise.all([writer("a"), writer("b"), box.runAsync("import", "bulk.jsonl")]);
    const failures = [...a, ...b, imported].filter((r) => r.code !== 0);
    expect(failures).toEqual([]);
    expect(box.run("get", "has_role", "_", "_", "Repo:a").stdout.split("\n").filter(Boolean)).toHaveLength(75);
    expect(box.run("get", "has_role", "_", "_", "Repo:b").stdout.split("\n").filter(Boolean)).toHaveLength(75);
    expect(box.run("export").stdout.split("\n").filter(Boolean)).toHaveLength(2150);
    expect(box.run("list", "User:b74", "read", "Repo").stdout).toBe("b\n");
  }, 120_000);
});

describe("files boreal refuses", () => {
  const box = new Sandbox();
  afterAll(() => box.remove());

  function storeAt(name: string): string {
    const dir = join(box.dir, name);
    mkdirSync(dir, { recursive: true });
    return dir;
  }

  it("a file that is not SQLite: a clear error, no stack trace (exit 1)", () => {
    const dir = storeAt("garbage");
    writeFileSync(join(dir, "boreal.db"), "this is not a database, just some text that is long enough to look like a header...".repeat(20));
    for (const args of [["get", "_"], ["authorize", "User:a", "read", "Repo:b"], ["tell", "is_public", "Repo:b"]]) {
      const r = run([...args, "--data", dir]);
      expect(r).toEqual({
        code: 1,
        stdout: "",
        stderr: `error[E_STORE_CORRUPT]: \`${dir}/boreal.db\` is not a usable boreal store: file is not a database\n  help: point --data at another directory, or move the damaged file away (boreal never repairs it in place)\n`,
      });
    }
    const json = run(["get", "_", "--data", dir, "--json"]);
    expect(JSON.parse(json.stderr)).toMatchObject({ code: "E_STORE_CORRUPT" });
  });

  it("a SQLite database of another program: refused, and left untouched (exit 1)", () => {
    const dir = storeAt("foreign");
    const file = join(dir, "boreal.db");
    const db = new Database(file);
    db.exec("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO customers (name) VALUES ('ada');");
    db.close();
    const r = run(["policy", "examples/03-issue-ownership/policy.polar", "--data", dir]);
    expect(r).toEqual({
      code: 1,
      stdout: "",
      stderr: `error[E_STORE_FOREIGN]: \`${file}\` is a SQLite database, but not a boreal store\n  help: point --data (or BOREAL_DATA) at another directory; boreal does not touch databases it did not create\n`,
    });
    const check = new Database(file, { readonly: true });
    try {
      expect(check.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all()).toEqual(["customers"]);
      expect(check.pragma("journal_mode", { simple: true })).toBe("delete");
    } finally {
      check.close();
    }
  });

  it("a store written by a newer schema version: refused with a clear message (exit 1)", () => {
    const dir = storeAt("newer");
    expect(run(["policy", "examples/03-issue-ownership/policy.polar", "--data", dir]).code).toBe(0);
    const file = join(dir, "boreal.db");
    const db = new Database(file);
    db.prepare("UPDATE meta SET value = '7' WHERE key = 'schema_version'").run();
    db.close();
    expect(run(["get", "_", "--data", dir])).toEqual({
      code: 1,
      stdout: "",
      stderr: `error[E_STORE_NEWER]: the store \`${file}\` has schema version 7, but this boreal reads version 1 at most\n  help: use the newer boreal that wrote this store, or point --data at another directory\n`,
    });
    expect(run(["tell", "has_role", "User:a", "owner", "Issue:b", "--data", dir]).stderr).toContain("error[E_STORE_NEWER]");
  });

  it("a --data path that is a file, not a directory (exit 1)", () => {
    const file = join(box.dir, "plain-file");
    writeFileSync(file, "x");
    expect(run(["get", "_", "--data", file])).toEqual({
      code: 1,
      stdout: "",
      stderr: `error[E_STORE_IO]: the data directory \`${file}\` is not a directory\n  help: point --data (or BOREAL_DATA) at a directory; boreal keeps its database in DIR/boreal.db\n`,
    });
  });
});

describe("waiting for the write lock", () => {
  const box = new Sandbox();
  beforeAll(() => {
    box.file("policy.polar", REPO_POLICY);
    expect(box.run("policy", "policy.polar").code).toBe(0);
  });
  afterAll(() => box.remove());

  it("a writer waits while another holds the lock, then succeeds", async () => {
    const db = new Database(join(box.data, "boreal.db"));
    try {
      db.exec("BEGIN IMMEDIATE");
      const pending = box.runAsync("tell", "is_public", "Repo:waited");
      await new Promise((resolve) => setTimeout(resolve, 1000));
      db.exec("COMMIT");
      expect(await pending).toEqual({ code: 0, stdout: "", stderr: "stored: is_public Repo:waited\n" });
    } finally {
      db.close();
    }
  });

  it("gives up after $BOREAL_BUSY_TIMEOUT ms with E_STORE_BUSY and changes nothing (exit 1)", async () => {
    const db = new Database(join(box.data, "boreal.db"));
    try {
      db.exec("BEGIN IMMEDIATE");
      const r = await runAsync(["tell", "is_public", "Repo:late", "--data", box.data], { env: { BOREAL_BUSY_TIMEOUT: "200" } });
      expect(r).toEqual({
        code: 1,
        stdout: "",
        stderr: `error[E_STORE_BUSY]: the store \`${box.data}/boreal.db\` stayed locked by another command for too long\n  help: retry when the other boreal command (for example a large import) has finished\n`,
      });
      db.exec("ROLLBACK");
    } finally {
      db.close();
    }
    expect(box.run("get", "is_public", "_").stdout).toBe("is_public Repo:waited\n");
  });
});
