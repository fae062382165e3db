// The server's per-request limits (docs/server.md, "Limits"): each violation is a 422 with the
// library-style message, the client does not retry it, and nothing changes.
import { spawnSync } from "node:child_process";
import { Oso } from "oso-cloud";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkContextCount, checkIdBytes, checkPageSize, DEFAULT_LIMITS, parseLimits } from "../../bindings/server/limits.js";
import { BIN, loggedTimes, ROOT, type Served, serve, tempDir } from "./helpers.js";

const KEY = "limits-key";
const POLICY = `actor User {}
resource Repo {
  roles = ["reader"];
  permissions = ["read"];
  "read" if "reader";
}`;

type Ref = { type: string; id: string };
const user = (id: string): Ref => ({ type: "User", id });
const repo = (id: string): Ref => ({ type: "Repo", id });
const role = (u: string, r: string): [string, Ref, string, Ref] => ["has_role", user(u), "reader", repo(r)];

let server: Served;
let oso: Oso;
let cleanup: () => void;

/** The client's error for a rejected call: status and the server's message (without the Request ID). */
async function rejection(p: Promise<unknown>): Promise<{ status: number; message: string }> {
  const e = await p.then(() => undefined, (x: unknown) => x as Error & { statusCode: number });
  if (e === undefined) throw new Error("the call was not rejected");
  const m = /^Oso Cloud error: (.*) \(Request ID: [^)]*\)$/s.exec(e.message);
  return { status: e.statusCode, message: m?.[1] ?? e.message };
}

function post(path: string, body: unknown): Promise<{ status: number; body: unknown }> {
  return fetch(`${server.url}/api${path}`, { method: "POST", headers: { Authorization: `Bearer ${KEY}`, "Content-Type": "application/json" }, body: JSON.stringify(body) })
    .then(async (r) => ({ status: r.status, body: await r.json() }));
}

const logged = (line: string): Promise<number> => loggedTimes(server, KEY, line);

beforeAll(async () => {
  const t = tempDir();
  cleanup = t.cleanup;
  server = await serve(["--data", t.dir, "--max-context-facts", "3", "--max-id-bytes", "16"], { BOREAL_API_KEYS: KEY, BOREAL_MAX_PAGE_SIZE: "10000", BOREAL_MAX_ID_BYTES: "300" });
  oso = new Oso(server.url, KEY);
  await oso.policy(POLICY);
  await oso.insert(role("alice", "r1"));
});

afterAll(async () => {
  expect(await server?.stop()).toBe(0);
  cleanup?.();
});

describe("request limits through the oso-cloud client", () => {
  it("rejects more context facts than --max-context-facts with 422, once", async () => {
    const ctx = [role("bob", "r2"), role("bob", "r3"), role("bob", "r4"), role("bob", "r5")];
    const before = await logged("POST /api/authorize 422");
    expect(await rejection(oso.authorize(user("bob"), "read", repo("r2"), ctx))).toEqual({ status: 422, message: "a request may carry at most 3 context facts (this one has 4)" });
    expect((await logged("POST /api/authorize 422")) - before).toBe(1); // not retried
    expect(await rejection(oso.list(user("bob"), "read", "Repo", ctx))).toEqual({ status: 422, message: "a request may carry at most 3 context facts (this one has 4)" });
    expect(await rejection(oso.actions(user("bob"), repo("r2"), ctx))).toEqual({ status: 422, message: "a request may carry at most 3 context facts (this one has 4)" });
    expect(await oso.authorize(user("bob"), "read", repo("r2"), ctx.slice(0, 3))).toBe(true);
  });

  it("rejects an id over --max-id-bytes (the flag wins over the variable) and stores nothing of the batch", async () => {
    const before = await oso.get(["has_role", null, null, null]);
    const long = "é".repeat(9); // 18 bytes of UTF-8, 9 characters
    const err = await rejection(oso.batch((tx) => {
      tx.insert(role("carol", "r1"));
      tx.delete(["has_role", user("alice"), null, null]);
      tx.insert(role("dave", long));
    }));
    expect(err).toEqual({ status: 422, message: "the id of a `Repo` value is longer than 16 bytes" });
    expect(await logged("POST /api/batch 422")).toBe(1);
    expect(await oso.get(["has_role", null, null, null])).toEqual(before);
    expect(await oso.authorize(user("alice"), "read", repo("r1"))).toBe(true);
    expect(await oso.authorize(user("carol"), "read", repo("r1"))).toBe(false);
    await oso.insert(role("dave", "é".repeat(8))); // 16 bytes: accepted
    expect(await oso.authorize(user("dave"), "read", repo("é".repeat(8)))).toBe(true);
  });

  it("applies the id limit to actors, resources, actions, context facts and deletes", async () => {
    const long = "x".repeat(17);
    const message = (type: string) => ({ status: 422, message: `the id of a \`${type}\` value is longer than 16 bytes` });
    expect(await rejection(oso.authorize(user(long), "read", repo("r1")))).toEqual(message("User"));
    expect(await rejection(oso.authorize(user("alice"), "read", repo(long)))).toEqual(message("Repo"));
    expect(await rejection(oso.authorize(user("alice"), long, repo("r1")))).toEqual(message("String"));
    expect(await rejection(oso.authorize(user("alice"), "read", repo("r1"), [role(long, "r1")]))).toEqual(message("User"));
    expect(await rejection(oso.delete(["has_role", user(long), null, null]))).toEqual(message("User"));
    const raw = await post("/evaluate_query", { predicate: ["allow", ["u", "a", "r"]], calls: [], constraints: { u: { type: "User", ids: [long] }, a: { type: "String", ids: ["read"] }, r: { type: "Repo", ids: null } }, context_facts: [] });
    expect(raw).toEqual({ status: 422, body: { message: "the id of a `User` value is longer than 16 bytes" } });
    expect(await oso.get(["has_role", null, null, null])).toHaveLength(2);
  });

  it("rejects a page_size over the max page size from the environment; oso.list() still works", async () => {
    const before = await logged("POST /api/list 422");
    expect(await rejection(oso.listPaginated(user("alice"), "read", "Repo", 10001))).toEqual({ status: 422, message: "`page_size` is 10001, more than the largest page this server gives (10000)" });
    expect((await logged("POST /api/list 422")) - before).toBe(1);
    expect((await oso.listPaginated(user("alice"), "read", "Repo", 10000)).results).toEqual(["r1"]);
    expect(await oso.list(user("alice"), "read", "Repo")).toEqual(["r1"]);
  });
});

describe("limit settings", () => {
  it("has the documented defaults", () => {
    expect(DEFAULT_LIMITS).toEqual({ maxContextFacts: 10000, maxIdBytes: 384, maxPageSize: 100000, evalTimeMs: 1000, evalSteps: 0 });
    expect(parseLimits({}, {})).toEqual(DEFAULT_LIMITS);
  });

  it("raises FactErrors with stable codes", () => {
    const codeOf = (f: () => void): string | undefined => {
      try {
        f();
      } catch (e) {
        return (e as { code?: string }).code;
      }
      return undefined;
    };
    expect(codeOf(() => checkContextCount(10001, DEFAULT_LIMITS))).toBe("E_REQUEST_LIMIT");
    expect(codeOf(() => checkContextCount(10000, DEFAULT_LIMITS))).toBeUndefined();
    expect(codeOf(() => checkPageSize(100001, DEFAULT_LIMITS))).toBe("E_REQUEST_LIMIT");
    expect(codeOf(() => checkIdBytes("User", "x".repeat(385), DEFAULT_LIMITS))).toBe("E_ID_TOO_LONG");
    expect(codeOf(() => checkIdBytes("User", "x".repeat(384), DEFAULT_LIMITS))).toBeUndefined();
  });

  it("takes flags over environment variables", () => {
    expect(parseLimits({ maxIdBytes: "20" }, { BOREAL_MAX_ID_BYTES: "30", BOREAL_EVAL_TIME_MS: "0", BOREAL_MAX_CONTEXT_FACTS: "7" })).toEqual({ ...DEFAULT_LIMITS, maxIdBytes: 20, evalTimeMs: 0, maxContextFacts: 7 });
  });

  it("refuses values out of range, naming the flag or variable", () => {
    expect(() => parseLimits({ maxIdBytes: "385" }, {})).toThrow("--max-id-bytes must be an integer from 1 to 384, not `385`");
    expect(() => parseLimits({}, { BOREAL_MAX_PAGE_SIZE: "500" })).toThrow("BOREAL_MAX_PAGE_SIZE must be an integer from 10000 to 10000000 (oso.list() asks for pages of 10000), not `500`");
    expect(() => parseLimits({ evalTimeMs: "1.5" }, {})).toThrow("--eval-time-ms must be an integer from 0 to 3600000, not `1.5`");
  });

  it("makes `boreal serve` exit 2 on a bad limit", () => {
    const t = tempDir();
    try {
      const r = spawnSync(process.execPath, [BIN, "serve", "--port", "0", "--max-context-facts", "-1", "--data", t.dir], { cwd: ROOT, encoding: "utf8" });
      expect(r.status).toBe(2);
      expect(r.stderr).toContain("--max-context-facts must be an integer from 0 to 1000000, not `-1`");
    } finally {
      t.cleanup();
    }
  });
});
