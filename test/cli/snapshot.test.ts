// The engine snapshot kept in the store: questions save one, reuse it, and writes invalidate it.
import Database from "better-sqlite3";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_POLICY, Sandbox } from "./helpers.js";

describe("the store's engine snapshot", () => {
  const box = new Sandbox();
  const debug = { env: { BOREAL_DEBUG_LOAD: "1" } };
  const ask = (...args: string[]) => box.runWith(debug, "authorize", ...args);
  beforeAll(() => {
    box.file("policy.polar", REPO_POLICY);
    expect(box.run("policy", "policy.polar").code).toBe(0);
    expect(box.run("tell", "has_role", "User:alice", "owner", "Repo:anvil").code).toBe(0);
    expect(box.run("tell", "has_role", "User:bob", "reader", "Repo:anvil").code).toBe(0);
  });
  afterAll(() => box.remove());

  it("is saved by the first question, used by the next, and dropped by a write", () => {
    let r = ask("User:bob", "read", "Repo:anvil");
    expect(r.stdout).toBe("allowed\n");
    expect(r.stderr).toMatch(/loaded from facts \(generation \d+\); snapshot saved/);
    r = ask("User:bob", "read", "Repo:anvil");
    expect(r.stdout).toBe("allowed\n");
    expect(r.stderr).toMatch(/loaded from snapshot/);
    expect(ask("User:carol", "read", "Repo:anvil")).toMatchObject({ code: 3, stdout: "denied\n" });
    // without the variable, nothing is said
    expect(box.run("authorize", "User:bob", "read", "Repo:anvil")).toEqual({ code: 0, stdout: "allowed\n", stderr: "" });

    expect(box.run("tell", "has_role", "User:carol", "reader", "Repo:anvil").code).toBe(0);
    r = ask("User:carol", "read", "Repo:anvil");
    expect(r.stdout).toBe("allowed\n");
    expect(r.stderr).toMatch(/loaded from facts/);
    r = box.runWith(debug, "list", "User:carol", "read", "Repo");
    expect(r.stdout).toBe("anvil\n");
    expect(r.stderr).toMatch(/loaded from snapshot/);

    expect(box.run("delete", "has_role", "User:bob", "reader", "Repo:anvil").code).toBe(0);
    r = ask("User:bob", "read", "Repo:anvil");
    expect(r).toMatchObject({ code: 3, stdout: "denied\n" });
    expect(r.stderr).toMatch(/loaded from facts/);
    r = ask("User:bob", "read", "Repo:anvil");
    expect(r).toMatchObject({ code: 3, stdout: "denied\n" });
    expect(r.stderr).toMatch(/loaded from snapshot/);
    expect(ask("User:carol", "read", "Repo:anvil").stdout).toBe("allowed\n");
  });

  it("falls back to the facts when the saved snapshot is damaged", () => {
    ask("User:alice", "read", "Repo:anvil");
    const db = new Database(join(box.data, "boreal.db"));
    db.prepare("UPDATE snapshot SET bytes = ?").run(Buffer.from("garbage!"));
    db.close();
    let r = ask("User:alice", "read", "Repo:anvil");
    expect(r.stdout).toBe("allowed\n");
    expect(r.stderr).toMatch(/E_BAD_SNAPSHOT|not usable/);
    expect(r.stderr).toMatch(/loaded from facts/);
    r = ask("User:alice", "read", "Repo:anvil");
    expect(r.stderr).toMatch(/loaded from snapshot/);
  });
});
