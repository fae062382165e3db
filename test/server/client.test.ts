// `boreal serve` driven only through the official `oso-cloud` client.
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { request } from "node:http";
import { join } from "node:path";
import { Oso, typedVar } from "oso-cloud";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadEngine } from "../../bindings/engine/load.js";
import { BIN, ROOT, type Served, serve, tempDir } from "./helpers.js";

const KEY = "test-key-1";
const POLICY = `actor User {}
resource Org { roles = ["member", "admin"]; }
resource Repo {
  roles = ["reader", "writer"];
  permissions = ["read", "write"];
  relations = { parent: Org };
  "read" if "reader";
  "write" if "writer";
  "reader" if "writer";
  "reader" if "member" on "parent";
  "writer" if "admin" on "parent";
}
test "writers read" {
  setup { has_role(User{"w"}, "writer", Repo{"x"}); }
  assert allow(User{"w"}, "read", Repo{"x"});
}`;

const user = (id: string) => ({ type: "User", id });
const repo = (id: string) => ({ type: "Repo", id });
const org = (id: string) => ({ type: "Org", id });

let server: Served;
let oso: Oso;
let cleanup: () => void;

beforeAll(async () => {
  const t = tempDir();
  cleanup = t.cleanup;
  server = await serve(["--data", t.dir], { BOREAL_API_KEYS: `other,${KEY}` });
  oso = new Oso(server.url, KEY);
  await oso.policy(POLICY);
});

afterAll(async () => {
  const code = await server?.stop();
  expect(code).toBe(0);
  cleanup?.();
});

describe("boreal serve through the oso-cloud client", () => {
  it("returns the saved policy and its metadata", async () => {
    const res = await fetch(`${server.url}/api/policy`, { headers: { Authorization: `Bearer ${KEY}` } });
    const body = (await res.json()) as { policy: { src: string } };
    expect(body.policy.src).toBe(POLICY);
    const meta = await oso.getPolicyMetadata();
    expect(meta.resources["Repo"]).toEqual({ roles: ["reader", "writer"], permissions: ["read", "write"], relations: { parent: "Org" } });
  });

  it("inserts, gets, deletes", async () => {
    await oso.insert(["has_role", user("bob"), "reader", repo("anvil")]);
    await oso.insert(["has_role", user("bob"), "reader", repo("anvil")]); // idempotent
    expect(await oso.get(["has_role", user("bob"), null, null])).toEqual([
      ["has_role", { type: "User", id: "bob" }, { type: "String", id: "reader" }, { type: "Repo", id: "anvil" }],
    ]);
    expect(await oso.authorize(user("bob"), "read", repo("anvil"))).toBe(true);
    await oso.delete(["has_role", user("bob"), null, { type: "Repo" }]);
    expect(await oso.get(["has_role", user("bob"), null, null])).toEqual([]);
    expect(await oso.authorize(user("bob"), "read", repo("anvil"))).toBe(false);
  });

  it("applies a batch in order and answers authorize, list, actions", async () => {
    await oso.batch((tx) => {
      tx.insert(["has_role", user("temp"), "reader", repo("r0")]);
      tx.delete(["has_role", user("temp"), null, null]);
      tx.insert(["has_relation", repo("r1"), "parent", org("acme")]);
      tx.insert(["has_relation", repo("r2"), "parent", org("acme")]);
      tx.insert(["has_role", user("alice"), "member", org("acme")]);
      tx.insert(["has_role", user("carol"), "admin", org("acme")]);
      tx.insert(["has_role", user("dave"), "writer", repo("r3")]);
    });
    expect(await oso.get(["has_role", user("temp"), null, null])).toEqual([]);
    expect(await oso.get(["has_relation", null, "parent", org("acme")])).toHaveLength(2);
    expect(await oso.authorize(user("alice"), "read", repo("r1"))).toBe(true);
    expect(await oso.authorize(user("alice"), "write", repo("r1"))).toBe(false);
    expect((await oso.list(user("alice"), "read", "Repo")).sort()).toEqual(["r1", "r2"]);
    expect((await oso.actions(user("carol"), repo("r2"))).sort()).toEqual(["read", "write"]);
    expect((await oso.actions(user("dave"), repo("r3"))).sort()).toEqual(["read", "write"]);
  });

  it("pages list results with page_size and page_token", async () => {
    await oso.batch((tx) => {
      for (let i = 0; i < 25; i++) tx.insert(["has_role", user("pager"), "reader", repo(`p${String(i).padStart(2, "0")}`)]);
    });
    const first = await oso.listPaginated(user("pager"), "read", "Repo", 10);
    expect(first.results).toHaveLength(10);
    expect(first.nextPageToken).not.toBeNull();
    const seen = [...first.results];
    let token = first.nextPageToken;
    while (token !== null) {
      const page = await oso.listPaginated(user("pager"), "read", "Repo", 10, token);
      seen.push(...page.results);
      token = page.nextPageToken;
    }
    expect(seen.sort()).toEqual(Array.from({ length: 25 }, (_, i) => `p${String(i).padStart(2, "0")}`));
    expect((await oso.list(user("pager"), "read", "Repo")).length).toBe(25);
  });

  it("evaluates buildQuery queries", async () => {
    const r = typedVar("Repo");
    const u = typedVar("User");
    const a = typedVar("String");
    expect(await oso.buildQuery(["allow", user("alice"), "read", repo("r1")]).evaluate()).toBe(true);
    expect(await oso.buildQuery(["allow", user("alice"), "write", repo("r1")]).evaluate()).toBe(false);
    expect((await oso.buildQuery(["allow", user("alice"), "read", r]).evaluate(r)).sort()).toEqual(["r1", "r2"]);
    expect((await oso.buildQuery(["allow", user("carol"), a, repo("r1")]).evaluate(a)).sort()).toEqual(["read", "write"]);
    const joined = await oso.buildQuery(["allow", u, "write", r]).and(["has_relation", r, "parent", org("acme")]).evaluate(new Map([[r, u]]));
    expect(new Map([...joined].map(([k, v]) => [k, [...v].sort()]))).toEqual(new Map([["r1", ["carol"]], ["r2", ["carol"]]]));
    const inSet = await oso.buildQuery(["allow", u, "read", r]).in(r, ["r1", "r3"]).evaluate([u, r]);
    expect(inSet.map((p) => p.join(":")).sort()).toEqual(["alice:r1", "carol:r1", "dave:r3"]);
  });

  it("uses context facts on every check", async () => {
    const ctx: [string, { type: string; id: string }, string, { type: string; id: string }][] = [["has_role", user("zed"), "writer", repo("ctx")]];
    expect(await oso.authorize(user("zed"), "write", repo("ctx"))).toBe(false);
    expect(await oso.authorize(user("zed"), "write", repo("ctx"), ctx)).toBe(true);
    expect(await oso.list(user("zed"), "read", "Repo", ctx)).toEqual(["ctx"]);
    expect((await oso.actions(user("zed"), repo("ctx"), ctx)).sort()).toEqual(["read", "write"]);
    const r = typedVar("Repo");
    expect(await oso.buildQuery(["allow", user("zed"), "read", r]).withContextFacts(ctx).evaluate(r)).toEqual(["ctx"]);
    // context facts are not stored
    expect(await oso.get(["has_role", user("zed"), null, null])).toEqual([]);
  });

  it("rejects a request without a valid key with 401", async () => {
    await expect(new Oso(server.url, "wrong").authorize(user("alice"), "read", repo("r1"))).rejects.toMatchObject({ statusCode: 401 });
    const res = await fetch(`${server.url}/api/policy`);
    expect(res.status).toBe(401);
    expect(((await res.json()) as { message: string }).message).toMatch(/API key/);
  });

  it("keeps the old policy when a new one is rejected", async () => {
    await expect(oso.policy("actor User {} resource {")).rejects.toMatchObject({ statusCode: 400 });
    const failing = `${POLICY}\ntest "fails" { assert allow(User{"nobody"}, "read", Repo{"x"}); }`;
    await expect(oso.policy(failing)).rejects.toThrow(/policy tests failed/);
    const res = await fetch(`${server.url}/api/policy`, { headers: { Authorization: `Bearer ${KEY}` } });
    expect(((await res.json()) as { policy: { src: string } }).policy.src).toBe(POLICY);
    expect(await oso.authorize(user("alice"), "read", repo("r1"))).toBe(true);
  });

  it("changes nothing when a batch is rejected", async () => {
    const before = await oso.get(["has_role", null, null, null]);
    await expect(oso.batch((tx) => {
      tx.insert(["has_role", user("eve"), "reader", repo("e1")]);
      tx.delete(["has_role", user("alice"), null, null]);
      tx.insert(["no_such_predicate", user("eve")]);
    })).rejects.toThrow(/no_such_predicate/);
    expect(await oso.get(["has_role", null, null, null])).toEqual(before);
    expect(await oso.authorize(user("eve"), "read", repo("e1"))).toBe(false);
    expect(await oso.authorize(user("alice"), "read", repo("r1"))).toBe(true);
  });

  it("gives the library's message for errors", async () => {
    const lib = await loadEngine();
    lib.policy(POLICY);
    const expected = (() => {
      try {
        lib.insert(["no_such_predicate", repo("x")]);
      } catch (e) {
        return (e as Error).message;
      }
      return "no error";
    })();
    expect(expected).not.toBe("no error");
    const err = await oso.insert(["no_such_predicate", repo("x")]).then(() => undefined, (e: unknown) => e as Error & { statusCode: number });
    expect(err?.statusCode).toBe(400);
    expect(err?.message).toBe(`Oso Cloud error: ${expected} (Request ID: ${/Request ID: ([^)]*)\)/.exec(err?.message ?? "")?.[1] ?? ""})`);
  });

  it("answers malformed requests with a JSON error and changes nothing", async () => {
    const post = (path: string, body: string) => fetch(`${server.url}/api${path}`, { method: "POST", headers: { Authorization: `Bearer ${KEY}`, "Content-Type": "application/json" }, body });
    const bad = await post("/batch", "{not json");
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ message: "the request body is not valid JSON" });
    const unknown = await post("/nope", "{}");
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toHaveProperty("message");
    const big = await post("/batch", JSON.stringify([{ inserts: [{ predicate: "has_role", args: [{ type: "User", id: "x".repeat(11 * 1024 * 1024) }] }] }]));
    expect(big.status).toBe(413);
    expect(((await big.json()) as { message: string }).message).toMatch(/larger than/);
    expect(await oso.get(["has_role", user("x"), null, null])).toEqual([]);
  });

  it("answers 202 to an unchanged policy", async () => {
    const res = await fetch(`${server.url}/api/policy`, { method: "POST", headers: { Authorization: `Bearer ${KEY}`, "Content-Type": "application/json" }, body: JSON.stringify({ src: POLICY, filename: "" }) });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ message: "Policy unchanged" });
    await oso.policy(POLICY); // the client accepts it
  });

  it("enforces the context-fact and page-size limits with clear errors", async () => {
    const many = Array.from({ length: 10001 }, (_, i) => ["has_role", user(`c${i}`), "reader", repo("many")] as [string, { type: string; id: string }, string, { type: string; id: string }]);
    await expect(oso.authorize(user("c1"), "read", repo("many"), many)).rejects.toMatchObject({ statusCode: 422, message: expect.stringMatching(/at most 10000 context facts/) as unknown });
    expect(await oso.authorize(user("c1"), "read", repo("many"), many.slice(0, 10000))).toBe(true);
    await expect(oso.listPaginated(user("alice"), "read", "Repo", 100001)).rejects.toMatchObject({ statusCode: 422, message: expect.stringMatching(/`page_size` is 100001/) as unknown });
  });

  it("sends a growing OsoOffset on writes", async () => {
    const post = async (): Promise<number> => {
      const res = await fetch(`${server.url}/api/batch`, {
        method: "POST",
        headers: { Authorization: `Bearer ${KEY}`, "Content-Type": "application/json" },
        body: JSON.stringify([{ inserts: [{ predicate: "has_role", args: [user("o"), { type: "String", id: "reader" }, repo("o")] }] }]),
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toHaveProperty("message");
      return Number(res.headers.get("OsoOffset"));
    };
    const a = await post();
    const b = await post();
    expect(b).toBeGreaterThan(a);
  });

  it("picks up CLI writes made while it runs", () => {
    const r = spawnSync(process.execPath, [BIN, "tell", "has_role", "User:cli", "reader", "Repo:fromcli", "--data", server.dir], { cwd: ROOT, encoding: "utf8" });
    expect(r.status).toBe(0);
    return expect(oso.authorize(user("cli"), "read", repo("fromcli"))).resolves.toBe(true);
  });

  it("logs one line per request", () => {
    expect(server.stderr()).toMatch(/^POST \/api\/authorize 200 \d+µs$/m);
    expect(server.stderr()).toMatch(/^GET \/api\/policy 401 \d+µs$/m);
  });

  it("clears the data but keeps the policy", async () => {
    const fresh = new Oso(server.url, KEY);
    await (fresh as unknown as { api: { clearData(): Promise<unknown> } }).api.clearData();
    expect(await oso.get(["has_role", null, null, null])).toEqual([]);
    expect(await oso.authorize(user("alice"), "read", repo("r1"))).toBe(false);
    const meta = await oso.getPolicyMetadata();
    expect(Object.keys(meta.resources).sort()).toEqual(["Org", "Repo", "User"]);
  });
});

describe("starting and stopping", () => {
  it("refuses a non-loopback host without a key", () => {
    const t = tempDir();
    const r = spawnSync(process.execPath, [BIN, "serve", "--host", "0.0.0.0", "--port", "0", "--data", t.dir], { cwd: ROOT, encoding: "utf8", env: { ...process.env, BOREAL_API_KEYS: "" } });
    t.cleanup();
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/without an API key/);
    const j = spawnSync(process.execPath, [BIN, "serve", "--host", "0.0.0.0", "--port", "0", "--json", "--data", t.dir], { cwd: ROOT, encoding: "utf8", env: { ...process.env, BOREAL_API_KEYS: "" } });
    expect(j.status).toBe(1);
    expect(JSON.parse(j.stderr).code).toBe("E_NO_API_KEY");
  });

  it("finishes an in-flight request on SIGTERM, then exits", async () => {
    const t = tempDir();
    try {
      const s = await serve(["--data", t.dir], { BOREAL_API_KEYS: KEY });
      await new Oso(s.url, KEY).policy(POLICY);
      const body = JSON.stringify([{ inserts: [{ predicate: "has_role", args: [user("late"), { type: "String", id: "reader" }, repo("l")] }] }]);
      const reply = new Promise<{ status: number; text: string }>((resolve, reject) => {
        const req = request(`${s.url}/api/batch`, { method: "POST", headers: { Authorization: `Bearer ${KEY}`, "Content-Type": "application/json", "Content-Length": String(Buffer.byteLength(body)) } }, (res) => {
          let text = "";
          res.setEncoding("utf8").on("data", (c: string) => (text += c)).on("end", () => resolve({ status: res.statusCode ?? 0, text }));
        });
        req.on("error", reject);
        req.write(body.slice(0, 10));
        setTimeout(() => {
          s.child.kill("SIGTERM");
          setTimeout(() => req.end(body.slice(10)), 300);
        }, 100);
      });
      expect((await reply).status).toBe(200);
      expect(await s.stop()).toBe(0);
      expect(s.stderr()).toMatch(/^POST \/api\/batch 200 \d+µs$/m);
      const again = await serve(["--data", t.dir], { BOREAL_API_KEYS: KEY });
      expect(await new Oso(again.url, KEY).authorize(user("late"), "read", repo("l"))).toBe(true);
      expect(await again.stop()).toBe(0);
    } finally {
      t.cleanup();
    }
  });

  it("takes keys from --key-file", async () => {
    const t = tempDir();
    try {
      writeFileSync(join(t.dir, "keys"), "# keys\nfile-key-1\n\nfile-key-2\n");
      const s = await serve(["--data", join(t.dir, "store"), "--key-file", join(t.dir, "keys")], {});
      await new Oso(s.url, "file-key-2").policy(POLICY);
      expect(await new Oso(s.url, "file-key-1").authorize(user("a"), "read", repo("b"))).toBe(false);
      await expect(new Oso(s.url, "# keys").authorize(user("a"), "read", repo("b"))).rejects.toMatchObject({ statusCode: 401 });
      expect(await s.stop()).toBe(0);
    } finally {
      t.cleanup();
    }
  });

  it("keeps acknowledged writes across a restart", async () => {
    const t = tempDir();
    try {
      const first = await serve(["--data", t.dir], { BOREAL_API_KEYS: KEY });
      const c1 = new Oso(first.url, KEY);
      await c1.policy(POLICY);
      await c1.insert(["has_role", user("kept"), "reader", repo("k")]);
      await c1.batch((tx) => {
        tx.insert(["has_role", user("gone"), "reader", repo("k")]);
        tx.delete(["has_role", user("gone"), null, null]);
      });
      expect(await first.stop()).toBe(0);
      // the server saved its engine as the store's snapshot; the CLI's questions restore it
      const cli = spawnSync(process.execPath, [BIN, "authorize", "User:kept", "read", "Repo:k", "--data", t.dir], { cwd: ROOT, encoding: "utf8", env: { ...process.env, BOREAL_DEBUG_LOAD: "1" } });
      expect(cli.status).toBe(0);
      expect(cli.stderr).toMatch(/loaded from snapshot/);
      const second = await serve(["--data", t.dir], { BOREAL_API_KEYS: KEY });
      const c2 = new Oso(second.url, KEY);
      expect(await c2.authorize(user("kept"), "read", repo("k"))).toBe(true);
      expect(await c2.authorize(user("gone"), "read", repo("k"))).toBe(false);
      expect(await c2.get(["has_role", null, null, null])).toHaveLength(1);
      expect(await second.stop()).toBe(0);
    } finally {
      t.cleanup();
    }
  });
});
