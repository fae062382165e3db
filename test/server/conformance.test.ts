// Every conformance case (test/conformance/cases) through `boreal serve` and the official
// `oso-cloud` client: policy, batch, get, authorize, list, actions, buildQuery().evaluate().
import { Oso, typedVar } from "oso-cloud";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TypedValue } from "../../bindings/api/types.js";
import { parseValue } from "../../bindings/api/values.js";
import { type Case, type Check, describeCheck, loadCases, toFact } from "../conformance/runner.js";
import { type Served, serve, tempDir } from "./helpers.js";

const KEY = "conformance-key";
let server: Served;
let oso: Oso;
let cleanup: () => void;

beforeAll(async () => {
  const t = tempDir();
  cleanup = t.cleanup;
  server = await serve(["--data", t.dir], { BOREAL_API_KEYS: KEY });
  oso = new Oso(server.url, KEY);
});

afterAll(async () => {
  expect(await server?.stop()).toBe(0);
  cleanup?.();
});

// The client's own types want fixed-length tuples; the wire form is the same for any length.
type AnyFact = [string, TypedValue];
const facts = (fs: Case["facts"]): AnyFact[] => (fs ?? []).map((f) => toFact(f) as unknown as AnyFact);

async function runCheck(check: Check): Promise<void> {
  const ctx = facts(check.context_facts);
  switch (check.op) {
    case "authorize":
      expect(await oso.authorize(parseValue(check.actor), check.action, parseValue(check.resource), ctx)).toBe(check.expect);
      return;
    case "list":
      expect((await oso.list(parseValue(check.actor), check.action, check.resource_type, ctx)).sort()).toEqual([...check.expect].sort());
      return;
    case "actions":
      expect((await oso.actions(parseValue(check.actor), parseValue(check.resource), ctx)).sort()).toEqual([...check.expect].sort());
      return;
    case "query": {
      const vars = check.args.flatMap((a) => (a.startsWith("?") ? [typedVar(a.slice(1))] : []));
      const args = check.args.map((a, i) => (a.startsWith("?") ? vars[check.args.slice(0, i).filter((x) => x.startsWith("?")).length]! : parseValue(a)));
      const q = oso.buildQuery([check.predicate, ...args] as unknown as ["allow", TypedValue]).withContextFacts(ctx);
      let got: string[];
      if (vars.length === 0) got = (await q.evaluate()) ? [""] : [];
      else got = [...new Set(((await q.evaluate(vars as never)) as unknown as string[][]).map((row) => row.join(",")))].sort();
      expect(got).toEqual([...check.expect]);
      return;
    }
  }
}

describe.each(loadCases())("server: $name", (c) => {
  let setupError: unknown;
  beforeAll(async () => {
    try {
      await (oso as unknown as { api: { clearData(): Promise<unknown> } }).api.clearData();
      await oso.policy(c.policy);
      const fs = facts(c.facts);
      if (fs.length > 0) await oso.batch((tx) => fs.forEach((f) => tx.insert(f)));
    } catch (e) {
      setupError = e;
    }
  });

  it(`${c.name} setup: policy loads and every fact is accepted`, async () => {
    if (setupError !== undefined) throw setupError;
    const stored = new Set<string>();
    for (const pred of new Set((c.facts ?? []).map((f) => f[0]))) {
      for (const f of await oso.get([pred as "has_role"])) stored.add(JSON.stringify(f));
    }
    expect(stored.size).toBe(new Set((c.facts ?? []).map((f) => JSON.stringify(toFact(f)))).size);
  });
  (c.checks ?? []).forEach((check, i) => {
    it(describeCheck(c, i, check), async () => {
      if (setupError !== undefined) throw setupError;
      await runCheck(check);
    });
  });
});
