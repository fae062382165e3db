// Bundled with esbuild for the browser test: loads the engine with no arguments (it fetches
// engine.wasm next to the bundle), runs conformance cases in the page, and publishes the outcome.
import { loadEngine } from "../../bindings/index.js"; // the source of the `boreal` entry
import { parseValue } from "../../bindings/api/values.js";
import type { Fact, TypedValue } from "../../bindings/api/types.js";
import combined from "../conformance/cases/seed-11-combined.json" with { type: "json" };
import folders from "../conformance/cases/seed-02-files-folders.json" with { type: "json" };

interface Check {
  op: string;
  actor?: string;
  action?: string;
  resource?: string;
  resource_type?: string;
  expect: unknown;
  context_facts?: string[][];
}

function fact(f: readonly string[]): Fact {
  const [pred, ...args] = f;
  return [pred!, ...args.map((a): TypedValue => parseValue(a))];
}

async function run(): Promise<{ checks: number; mismatches: string[]; engine: string }> {
  const mismatches: string[] = [];
  let checks = 0;
  let engineName = "";
  for (const c of [combined, folders]) {
    const oso = await loadEngine();
    engineName = oso.constructor.name;
    oso.policy(c.policy);
    oso.batch((tx) => {
      for (const f of c.facts) tx.insert(fact(f));
    });
    for (const check of c.checks as Check[]) {
      const ctx = (check.context_facts ?? []).map(fact);
      let got: unknown;
      if (check.op === "authorize") got = oso.authorize(parseValue(check.actor!), check.action!, parseValue(check.resource!), ctx);
      else if (check.op === "list") got = oso.list(parseValue(check.actor!), check.action!, check.resource_type!, ctx).sort();
      else if (check.op === "actions") got = oso.actions(parseValue(check.actor!), parseValue(check.resource!), ctx).sort();
      else continue;
      checks++;
      if (JSON.stringify(got) !== JSON.stringify(check.expect)) mismatches.push(`${c.name} ${JSON.stringify(check)} got ${JSON.stringify(got)}`);
    }
  }
  return { checks, mismatches, engine: engineName };
}

const w = window as unknown as { __result?: unknown };
run().then(
  (r) => (w.__result = r),
  (e: unknown) => (w.__result = { error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) }),
);
