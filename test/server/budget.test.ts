// The per-request evaluation budget (bindings/server/budget.ts, docs/server.md "Limits"): through
// the official client against `boreal serve --eval-steps/--eval-time-ms`, and unit-level with a
// fake engine and clock.
import { readFileSync } from "node:fs";
import { Oso, typedVar } from "oso-cloud";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { BorealError, diagnostic } from "../../bindings/api/errors.js";
import { EvalBudget } from "../../bindings/server/budget.js";
import { DEFAULT_LIMITS } from "../../bindings/server/limits.js";
import { loggedTimes, type Served, serve, tempDir } from "./helpers.js";

const KEY = "budget-key";
const FOLDERS = readFileSync(new URL("../fixtures/folders.polar", import.meta.url), "utf8");
type Ref = { type: string; id: string };
const U = (id: string): Ref => ({ type: "User", id });
const F = (id: string): Ref => ({ type: "Folder", id });

async function rejection(p: Promise<unknown>): Promise<{ status: number; message: string }> {
  const e = await p.then(() => undefined, (x: unknown) => x as Error & { statusCode: number });
  if (e === undefined) throw new Error("the call was not rejected");
  const m = /^Oso Cloud error: (.*) \(Request ID: [^)]*\)$/s.exec(e.message);
  return { status: e.statusCode, message: m?.[1] ?? e.message };
}

/** A server with the given flags, the folder policy and a chain of `depth` folders under F("0"). */
async function chainServer(flags: string[], depth: number): Promise<{ s: Served; oso: Oso; cleanup: () => void }> {
  const t = tempDir();
  const s = await serve(["--data", t.dir, ...flags], { BOREAL_API_KEYS: KEY });
  const oso = new Oso(s.url, KEY);
  await oso.policy(FOLDERS);
  await oso.batch((tx) => {
    tx.insert(["has_role", U("root"), "viewer", F("0")]);
    for (let i = 1; i <= depth; i++) tx.insert(["has_relation", F(String(i)), "parent", F(String(i - 1))]);
  });
  return { s, oso, cleanup: t.cleanup };
}

describe("the step budget through the client", () => {
  let srv: { s: Served; oso: Oso; cleanup: () => void };
  beforeAll(async () => {
    srv = await chainServer(["--eval-steps", "1000", "--eval-time-ms", "0"], 2000);
  });
  afterAll(async () => {
    expect(await srv.s.stop()).toBe(0);
    srv.cleanup();
  });

  it("answers a question over budget with 422, once, and a small one normally", async () => {
    const { oso, s } = srv;
    expect(await rejection(oso.authorize(U("root"), "view", F("2000")))).toEqual({ status: 422, message: "evaluation exceeded its budget of 1000 steps" });
    expect(await rejection(oso.list(U("root"), "view", "Folder"))).toEqual({ status: 422, message: "evaluation exceeded its budget of 1000 steps" });
    expect(await rejection(oso.actions(U("root"), F("2000")))).toEqual({ status: 422, message: "evaluation exceeded its budget of 1000 steps" });
    const f = typedVar("Folder");
    expect(await rejection(oso.buildQuery(["allow", U("root"), "view", f]).evaluate(f))).toEqual({ status: 422, message: "evaluation exceeded its budget of 1000 steps" });
    expect(await oso.authorize(U("root"), "view", F("1"))).toBe(true);
    // the client did not retry: one log line per rejected call
    expect(await loggedTimes(s, KEY, "POST /api/authorize 422")).toBe(1);
    expect(await loggedTimes(s, KEY, "POST /api/list 422")).toBe(1);
  });

  it("changes nothing: context facts are gone and stored facts stay", async () => {
    const { oso } = srv;
    const ctx: [string, Ref, string, Ref][] = [["has_role", U("guest"), "viewer", F("0")]];
    expect((await rejection(oso.authorize(U("guest"), "view", F("2000"), ctx))).status).toBe(422);
    expect(await oso.authorize(U("guest"), "view", F("1"))).toBe(false);
    expect(await oso.authorize(U("guest"), "view", F("1"), ctx)).toBe(true);
    expect(await oso.get(["has_role", null, null, null])).toEqual([["has_role", U("root"), { type: "String", id: "viewer" }, F("0")]]);
    expect(await oso.get(["has_relation", null, "parent", null])).toHaveLength(2000);
  });
});

describe("the time budget through the client", () => {
  it("answers a request over --eval-time-ms with 422 and the request's budget", async () => {
    const srv = await chainServer(["--eval-time-ms", "1"], 20000);
    try {
      expect(await rejection(srv.oso.list(U("root"), "view", "Folder"))).toEqual({ status: 422, message: "evaluation exceeded its time budget of 1 ms" });
      expect(await srv.oso.authorize(U("root"), "view", F("1"))).toBe(true);
    } finally {
      expect(await srv.s.stop()).toBe(0);
      srv.cleanup();
    }
  }, 60_000);
});

describe("EvalBudget", () => {
  afterEach(() => vi.restoreAllMocks());

  it("gives each question the time left and stops a request out of time", () => {
    let now = 1000;
    vi.spyOn(performance, "now").mockImplementation(() => now);
    const set: unknown[] = [];
    const budget = new EvalBudget({ setLimits: (l) => set.push(l) }, { ...DEFAULT_LIMITS, evalTimeMs: 50, evalSteps: 7 });
    expect(budget.question(() => "a")).toBe("a");
    now += 30;
    expect(budget.question(() => "b")).toBe("b");
    expect(set).toEqual([{ evalSteps: 7, evalTimeMs: 50 }, { evalSteps: 7, evalTimeMs: 20 }]);
    now += 20;
    let err: unknown;
    try {
      budget.question(() => "never");
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(BorealError);
    expect(err).toMatchObject({ code: "E_EVAL_BUDGET", message: "evaluation exceeded its time budget of 50 ms" });
    expect(set).toHaveLength(2);
  });

  it("names the request's budget when the engine stops a question over its time", () => {
    const budget = new EvalBudget({ setLimits: () => undefined }, { ...DEFAULT_LIMITS, evalTimeMs: 50 });
    const engineError = new BorealError(diagnostic("E_EVAL_BUDGET", "evaluation exceeded its time budget of 12.5 ms", "raise it"));
    expect(() => budget.question(() => { throw engineError; })).toThrow("evaluation exceeded its time budget of 50 ms");
    const steps = new BorealError(diagnostic("E_EVAL_BUDGET", "evaluation exceeded its budget of 9 steps", "raise it"));
    expect(() => budget.question(() => { throw steps; })).toThrow("evaluation exceeded its budget of 9 steps");
  });

  it("sets no limit when both are 0", () => {
    const set: unknown[] = [];
    new EvalBudget({ setLimits: (l) => set.push(l) }, { ...DEFAULT_LIMITS, evalTimeMs: 0, evalSteps: 0 }).question(() => 1);
    expect(set).toEqual([{ evalSteps: 0, evalTimeMs: 0 }]);
  });
});
