/**
 * Every conformance case through the real `boreal` binary: the policy with `boreal policy`, the
 * seed's facts with `boreal tell` and the rest with one `boreal import`, then every check as
 * `authorize` / `list` / `actions` / `query --json` (context facts as `-c`). One temporary store
 * per case; the checks of a case run concurrently (vitest's maxConcurrency bounds the pool).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OutputValue } from "../../bindings/api/types.js";
import { parseValue } from "../../bindings/api/values.js";
import { quoteWord } from "../../bindings/cli/args.js";
import { jsonValue } from "../../bindings/store/jsonl.js";
import { run, runAsync } from "../cli/helpers.js";
import { type Case, type Check, describeCheck, loadCases } from "./runner.js";

type CliFact = readonly [string, ...string[]];

const jsonLine = ([pred, ...args]: CliFact): string => JSON.stringify([pred, ...args.map((a) => jsonValue(parseValue(a)))]);
const contextArgs = (check: Check): string[] => (check.context_facts ?? []).flatMap((f) => ["-c", f.map(quoteWord).join(" ")]);
const outputId = (v: OutputValue | null): string => (v === null ? "*" : typeof v === "object" ? v.id : String(v));

/** The CLI arguments of a check (without --data). */
function checkArgs(check: Check): string[] {
  switch (check.op) {
    case "authorize":
      return ["authorize", check.actor, check.action, check.resource];
    case "list":
      return ["list", check.actor, check.action, check.resource_type];
    case "actions":
      return ["actions", check.actor, check.resource];
    case "query":
      return ["query", check.predicate, ...check.args.map((a) => (a.startsWith("?") ? `${a.slice(1)}:_` : a))];
  }
}

function runCliCase(c: Case): void {
  const dir = mkdtempSync(join(tmpdir(), `boreal-conf-${c.name}-`));
  const data = join(dir, "store");
  const boreal = (...args: string[]) => run([...args, "--data", data], { cwd: dir });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, "policy.polar"), c.policy);

  if (c.expect_error !== undefined) {
    const want = typeof c.expect_error === "string" ? { code: c.expect_error } : c.expect_error;
    it(`${c.name}: boreal policy rejects the policy with ${want.code} (exit 4)`, () => {
      const r = boreal("policy", "policy.polar", "--json");
      expect(r.code).toBe(4);
      expect(JSON.parse(r.stderr)).toMatchObject(want);
    });
    return;
  }

  let setup: string | undefined = "not run";
  beforeAll(() => {
    const problems: string[] = [];
    const saved = boreal("policy", "policy.polar");
    if (saved.code !== 0) problems.push(`boreal policy: exit ${saved.code}\n${saved.stderr}`);
    const facts = (c.facts ?? []) as readonly CliFact[];
    const told = (c as { seed_fact_count?: number }).seed_fact_count ?? 0;
    for (const f of facts.slice(0, told)) {
      const r = boreal("tell", ...f);
      if (r.code !== 0) problems.push(`boreal tell ${f.join(" ")}: exit ${r.code}\n${r.stderr}`);
    }
    if (facts.length > told) {
      writeFileSync(join(dir, "facts.jsonl"), `${facts.slice(told).map(jsonLine).join("\n")}\n`);
      const r = boreal("import", "facts.jsonl");
      if (r.code !== 0) problems.push(`boreal import: exit ${r.code}\n${r.stderr}`);
    }
    const count = boreal("export").stdout.split("\n").filter(Boolean).length;
    if (count !== new Set(facts.map(jsonLine)).size) problems.push(`the store holds ${count} facts, expected ${facts.length}`);
    setup = problems.length === 0 ? undefined : problems.join("\n");
  });

  it(`${c.name} setup: policy saved, facts told and imported`, () => {
    expect(setup).toBeUndefined();
  });

  if (c.expect_tests !== undefined) {
    const want = c.expect_tests;
    it(`${c.name} policy tests report (boreal test --json)`, () => {
      const r = boreal("test", "policy.polar", "--json");
      expect(JSON.parse(r.stdout)).toMatchObject(want);
      expect(r.code).toBe(want.passed === false ? 4 : 0);
    });
  }

  (c.checks ?? []).forEach((check, i) => {
    it.concurrent(describeCheck(c, i, check), async () => {
      expect(setup).toBeUndefined();
      const r = await runAsync([...checkArgs(check), ...contextArgs(check), "--json", "--data", data], { cwd: dir });
      if (r.code !== 0 && r.code !== 3) throw new Error(`exit ${r.code}: ${r.stderr}`);
      const out: unknown = JSON.parse(r.stdout);
      switch (check.op) {
        case "authorize":
          expect(out).toEqual({ allowed: check.expect });
          expect(r.code).toBe(check.expect ? 0 : 3);
          return;
        case "list":
        case "actions":
          expect(out).toEqual([...check.expect]);
          expect(r.code).toBe(0);
          return;
        case "query": {
          const outputs = check.args.flatMap((a, j) => (a.startsWith("?") ? [j] : []));
          const rows = out as (OutputValue | null)[][];
          const got = [...new Set(rows.map((row) => outputs.map((j) => outputId(row[j + 1] ?? null)).join(",")))].sort();
          expect(got).toEqual([...check.expect]);
          expect(r.code).toBe(0);
          return;
        }
      }
    });
  });
}

describe.each(loadCases())("boreal CLI: $name", (c) => {
  runCliCase(c);
});
