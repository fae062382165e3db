/**
 * The conformance runner: loads the JSON acceptance cases (cases/README.md describes the
 * format) and checks any AuthorizationEngine against them, one vitest test per check. It uses
 * only the public engine interface, so the same runner checks the reference and Wasm engines.
 *
 *   describe.each(loadCases())("$name", (c) => runCase(() => new SomeEngine(), c));
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, expect, it } from "vitest";
import type { AuthorizationEngine, Fact, OutputValue, TestReport, ValuePattern } from "../../bindings/api/types.js";
import { parseValue } from "../../bindings/api/values.js";

export const CASES_DIR = join(dirname(fileURLToPath(import.meta.url)), "cases");

type CliFact = readonly [string, ...string[]];

interface CheckBase {
  readonly note?: string;
  readonly context_facts?: readonly CliFact[];
}

export type Check = CheckBase & (
  | { readonly op: "authorize"; readonly actor: string; readonly action: string; readonly resource: string; readonly expect: boolean }
  | { readonly op: "list"; readonly actor: string; readonly action: string; readonly resource_type: string; readonly expect: readonly string[] }
  | { readonly op: "actions"; readonly actor: string; readonly resource: string; readonly expect: readonly string[] }
  | { readonly op: "query"; readonly predicate: string; readonly args: readonly string[]; readonly expect: readonly string[] }
);

export interface Case {
  readonly name: string;
  readonly policy: string;
  readonly facts?: readonly CliFact[];
  readonly checks?: readonly Check[];
  /** Optional: the expected `test()` report (matched with toMatchObject, so it may be partial). */
  readonly expect_tests?: Partial<TestReport>;
  /** Optional: the policy must be rejected with this error code (or `{ code, message? }`). */
  readonly expect_error?: string | { readonly code: string; readonly message?: string };
}

export function loadCases(dir: string = CASES_DIR): Case[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), "utf8")) as Case);
}

export function toFact(f: CliFact): Fact {
  const [pred, ...args] = f;
  return [pred, ...args.map((a) => parseValue(a))];
}

/** A query argument: `?Type` is an output variable of exactly that type, anything else a value. */
export function toQueryArg(arg: string): ValuePattern {
  return arg.startsWith("?") ? { type: arg.slice(1) } : parseValue(arg);
}

function outputId(v: OutputValue | null): string {
  if (v === null) return "*";
  return typeof v === "object" ? v.id : String(v);
}

/** One line describing a check, used in test names. */
export function describeCheck(c: Case, i: number, check: Check): string {
  const ctx = check.context_facts !== undefined && check.context_facts.length > 0 ? ` with ${check.context_facts.length} context fact(s)` : "";
  switch (check.op) {
    case "authorize":
      return `${c.name} #${i} authorize ${check.actor} ${check.action} ${check.resource}${ctx} -> ${check.expect}`;
    case "list":
      return `${c.name} #${i} list ${check.actor} ${check.action} ${check.resource_type}${ctx}`;
    case "actions":
      return `${c.name} #${i} actions ${check.actor} ${check.resource}${ctx}`;
    case "query":
      return `${c.name} #${i} query ${check.predicate}(${check.args.join(", ")})${ctx}`;
    default:
      return `${c.name} #${i} ${(check as { op: string }).op}`;
  }
}

/** Run one check against an engine that has the case's policy and facts loaded. */
export function runCheck(engine: AuthorizationEngine, check: Check): void {
  const ctx = (check.context_facts ?? []).map(toFact);
  switch (check.op) {
    case "authorize":
      expect(engine.authorize(parseValue(check.actor), check.action, parseValue(check.resource), ctx)).toBe(check.expect);
      return;
    case "list":
      expect(engine.list(parseValue(check.actor), check.action, check.resource_type, ctx)).toEqual([...check.expect]);
      return;
    case "actions":
      expect(engine.actions(parseValue(check.actor), parseValue(check.resource), ctx)).toEqual([...check.expect]);
      return;
    case "query": {
      const outputs = check.args.flatMap((a, i) => (a.startsWith("?") ? [i] : []));
      const result = engine.query(check.predicate, check.args.map(toQueryArg), ctx);
      const got = [...new Set(result.map((row) => outputs.map((i) => outputId(row[i + 1] ?? null)).join(",")))].sort();
      expect(got).toEqual([...check.expect]);
      return;
    }
    default:
      throw new Error(`unknown check op \`${(check as { op: string }).op}\``);
  }
}

/**
 * Register the tests of one case (call inside a `describe`): the engine is created, the policy
 * loaded and the facts inserted once; then one test per check.
 */
export function runCase(makeEngine: () => AuthorizationEngine, c: Case): void {
  let engine: AuthorizationEngine | undefined;
  let setupError: unknown;

  if (c.expect_error !== undefined) {
    const want = typeof c.expect_error === "string" ? { code: c.expect_error } : c.expect_error;
    it(`${c.name} policy is rejected with ${want.code}`, () => {
      let error: unknown;
      try {
        makeEngine().policy(c.policy);
      } catch (e) {
        error = e;
      }
      expect(error).toMatchObject(want);
    });
    return;
  }

  beforeAll(() => {
    try {
      const e = makeEngine();
      e.policy(c.policy);
      for (const f of c.facts ?? []) e.insert(toFact(f));
      engine = e;
    } catch (e) {
      setupError = e;
    }
  });
  const ready = (): AuthorizationEngine => {
    if (engine === undefined) throw setupError instanceof Error ? setupError : new Error(`setup of ${c.name} failed: ${String(setupError)}`);
    return engine;
  };

  it(`${c.name} setup: policy loads and every fact is accepted`, () => {
    ready();
  });
  if (c.expect_tests !== undefined) {
    const want = c.expect_tests;
    it(`${c.name} policy tests report`, () => {
      expect(ready().test()).toMatchObject(want);
    });
  }
  (c.checks ?? []).forEach((check, i) => {
    it(describeCheck(c, i, check), () => runCheck(ready(), check));
  });
}
