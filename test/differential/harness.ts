/**
 * The differential harness: load one generated program into two engines and compare every
 * answer exactly.
 *
 *   const cmp = await compareEngines(makeReference, makeWasm, generateProgram(42));
 *   if (!cmp.agree) console.log(cmp.diff);
 *
 * Errors count as results: when one engine throws, the other must throw an error with the
 * same `code`. An error that is not a boreal error (a crash: no string `code`) never agrees,
 * not even with the same crash on the other side.
 */
import type { AuthorizationEngine, OutputValue, PolicyResult, QueryRow } from "../../bindings/api/types.js";
import { type Check, formatCheck, type GeneratedProgram } from "./generator.js";

/** Creates a fresh engine for a program (engines must pin `@current_unix_time` to `program.now`). */
export type EngineMaker = (program: GeneratedProgram) => AuthorizationEngine | Promise<AuthorizationEngine>;

export type Outcome =
  | { readonly ok: true; readonly value: string }
  | { readonly ok: false; readonly code: string; readonly message: string; readonly crash: boolean };

export interface StepResult {
  /** "policy", "facts", or the check's index. */
  readonly step: "policy" | "facts" | number;
  readonly label: string;
  readonly a: Outcome;
  readonly b: Outcome;
  readonly agree: boolean;
}

export interface Comparison {
  readonly seed: number;
  readonly agree: boolean;
  /** Steps compared: policy load, fact load, then each check. */
  readonly steps: number;
  readonly mismatches: readonly StepResult[];
  /** Empty when the engines agree; otherwise a readable report of every mismatch. */
  readonly diff: string;
}

export interface CompareOptions {
  /** Names for the two engines in the diff (default "A" and "B"). */
  readonly names?: readonly [string, string];
}

// --------------------------------------------------------------------------- normalising

function outputKey(v: OutputValue | null): string {
  if (v === null) return "*";
  switch (typeof v) {
    case "string":
      return JSON.stringify(v);
    case "number":
      return `${v}`;
    case "bigint":
      return `${v}n`;
    case "boolean":
      return `${v}`;
    default:
      return `${v.type}:${JSON.stringify(v.id)}`;
  }
}

function rowKey(row: QueryRow): string {
  const [pred, ...args] = row;
  return `${pred}(${args.map(outputKey).join(", ")})`;
}

/** Deterministic string form of an entry point's answer (sorted where the answer is a set). */
function normalise(check: Check, result: unknown): string {
  switch (check.op) {
    case "authorize":
      if (typeof result !== "boolean") return `<not a boolean: ${String(result)}>`;
      return String(result);
    case "list":
    case "actions":
      if (!Array.isArray(result)) return `<not an array: ${String(result)}>`;
      return JSON.stringify([...(result as unknown[])].map((x) => (typeof x === "string" ? x : `<${typeof x}: ${String(x)}>`)).sort());
    case "query":
      if (!Array.isArray(result)) return `<not an array: ${String(result)}>`;
      return `[${(result as QueryRow[]).map(rowKey).sort().join(" | ")}]`;
    case "insert":
    case "batch":
      return result === undefined ? "done" : `<returned ${String(result)}>`;
    case "delete":
      return typeof result === "number" ? `deleted ${result}` : `<not a number: ${String(result)}>`;
    case "get":
      if (!Array.isArray(result)) return `<not an array: ${String(result)}>`;
      return `[${(result as QueryRow[]).map(rowKey).sort().join(" | ")}]`;
    case "reload":
      return policyOutcome(result);
  }
}

/** A policy load's result: its warning codes (messages may differ in wording, codes may not). */
function policyOutcome(result: unknown): string {
  const warnings = (result as PolicyResult | undefined)?.warnings;
  if (!Array.isArray(warnings)) return `<not a PolicyResult: ${String(result)}>`;
  return `loaded, warnings [${warnings.map((w: { code: string }) => w.code).sort().join(", ")}]`;
}

function errorOutcome(e: unknown): Outcome {
  const code = (e as { code?: unknown } | null)?.code;
  const message = e instanceof Error ? e.message : String(e);
  if (typeof code === "string" && /^[EW]_[A-Z0-9_]+$/.test(code)) return { ok: false, code, message, crash: false };
  const name = e instanceof Error ? e.name : typeof e;
  return { ok: false, code: `<crash ${name}>`, message, crash: true };
}

async function attempt(f: () => unknown, norm: (x: unknown) => string): Promise<Outcome> {
  try {
    return { ok: true, value: norm(await f()) };
  } catch (e) {
    return errorOutcome(e);
  }
}

function same(a: Outcome, b: Outcome): boolean {
  if (a.ok && b.ok) return a.value === b.value;
  if (!a.ok && !b.ok) return !a.crash && !b.crash && a.code === b.code;
  return false;
}

function show(o: Outcome): string {
  return o.ok ? o.value : `throws ${o.code}: ${o.message}`;
}

/** The elements of a normalised `[a | b | c]` or JSON array answer, or undefined. */
function elements(value: string): string[] | undefined {
  if (value.startsWith("[\"") || value === "[]") {
    try {
      const parsed: unknown = JSON.parse(value);
      if (Array.isArray(parsed)) return parsed.map((x) => JSON.stringify(x));
    } catch {
      // not JSON: a row list
    }
  }
  if (value.startsWith("[") && value.endsWith("]")) return value === "[]" ? [] : value.slice(1, -1).split(" | ");
  return undefined;
}

/** Two differing outcomes; long answer sets are shown as what each side has that the other lacks. */
function showPair(a: Outcome, b: Outcome, nameA: string, nameB: string): string[] {
  const ea = a.ok ? elements(a.value) : undefined;
  const eb = b.ok ? elements(b.value) : undefined;
  const short = !a.ok || !b.ok || a.value.length + b.value.length < 240;
  if (ea === undefined || eb === undefined || short) return [`    ${nameA}: ${show(a)}`, `    ${nameB}: ${show(b)}`];
  const inB = new Set(eb);
  const inA = new Set(ea);
  const onlyA = ea.filter((x) => !inB.has(x));
  const onlyB = eb.filter((x) => !inA.has(x));
  const dups = (xs: string[]): number => xs.length - new Set(xs).size;
  const lines = [
    `    ${nameA}: ${ea.length} items, ${nameB}: ${eb.length} items`,
    `    only in ${nameA}: ${onlyA.length === 0 ? "(none)" : onlyA.join(" | ")}`,
    `    only in ${nameB}: ${onlyB.length === 0 ? "(none)" : onlyB.join(" | ")}`,
  ];
  if (dups(ea) + dups(eb) > 0) lines.push(`    duplicates: ${nameA} ${dups(ea)}, ${nameB} ${dups(eb)}`);
  return lines;
}

/** Run one check against an engine. */
export function runCheck(engine: AuthorizationEngine, c: Check, program: GeneratedProgram): unknown {
  switch (c.op) {
    case "authorize":
      return engine.authorize(c.actor, c.action, c.resource, c.context);
    case "list":
      return engine.list(c.actor, c.action, c.resourceType, c.context);
    case "actions":
      return engine.actions(c.actor, c.resource, c.context);
    case "query":
      return engine.query(c.predicate, c.args, c.context);
    case "insert":
      return engine.insert(c.fact);
    case "delete":
      return engine.delete(c.pattern);
    case "batch":
      return engine.batch((tx) => {
        for (const f of c.facts) tx.insert(f);
      });
    case "get":
      return engine.get(c.pattern);
    case "reload":
      return engine.policy(program.policy);
  }
}

// ------------------------------------------------------------------------------ comparing

/** The one-line command that reruns a seed. */
export function reproCommand(seed: number): string {
  return `DIFF_SEED=${seed} npx vitest run test/differential`;
}

/**
 * Load the program into a fresh engine from each maker (policy, then every fact in one
 * `batch`), run every check on both, and compare. Never throws for engine errors.
 */
export async function compareEngines(makeA: EngineMaker, makeB: EngineMaker, program: GeneratedProgram, options: CompareOptions = {}): Promise<Comparison> {
  const [nameA, nameB] = options.names ?? ["A", "B"];
  const results: StepResult[] = [];
  const step = (s: StepResult["step"], label: string, a: Outcome, b: Outcome): StepResult => {
    const r: StepResult = { step: s, label, a, b, agree: same(a, b) };
    results.push(r);
    return r;
  };

  let engineA: AuthorizationEngine | undefined;
  let engineB: AuthorizationEngine | undefined;
  const makeOutcome = async (make: EngineMaker, set: (e: AuthorizationEngine) => void): Promise<Outcome> =>
    attempt(async () => {
      const e = await make(program);
      set(e);
      return e.policy(program.policy);
    }, policyOutcome);
  const pa = await makeOutcome(makeA, (e) => (engineA = e));
  const pb = await makeOutcome(makeB, (e) => (engineB = e));
  const policyStep = step("policy", "policy()", pa, pb);

  if (pa.ok && pb.ok && engineA !== undefined && engineB !== undefined) {
    const ea = engineA;
    const eb = engineB;
    const load = (e: AuthorizationEngine): Promise<Outcome> => attempt(() => e.batch((tx) => {
      for (const f of program.facts) tx.insert(f);
    }), () => "loaded");
    const fa = await load(ea);
    const fb = await load(eb);
    const factStep = step("facts", `batch(${program.facts.length} facts)`, fa, fb);
    if (factStep.agree) {
      for (const [i, c] of program.checks.entries()) {
        const norm = (x: unknown): string => normalise(c, x);
        step(i, formatCheck(c), await attempt(() => runCheck(ea, c, program), norm), await attempt(() => runCheck(eb, c, program), norm));
      }
    }
  } else if (policyStep.agree) {
    // Both rejected the policy with the same code: nothing more to compare.
  }

  const mismatches = results.filter((r) => !r.agree);
  const diff = mismatches.length === 0
    ? ""
    : [
      `seed ${program.seed}: ${mismatches.length} of ${results.length} steps differ (${nameA} vs ${nameB})`,
      ...mismatches.map((m) => [
        `  [${typeof m.step === "number" ? `check ${m.step}` : m.step}] ${m.label}`,
        ...showPair(m.a, m.b, nameA, nameB),
      ].join("\n")),
      `  repro: ${reproCommand(program.seed)}`,
    ].join("\n");
  return { seed: program.seed, agree: mismatches.length === 0, steps: results.length, mismatches, diff };
}

/**
 * Shrink a failing program: keep the checks up to the first mismatching one, drop the other
 * checks one by one, then drop facts (in halving chunks), policy rules and shorthand lines, as
 * long as the engines still disagree. For failure reports; a few hundred comparisons at most.
 */
export async function shrinkProgram(makeA: EngineMaker, makeB: EngineMaker, program: GeneratedProgram): Promise<GeneratedProgram> {
  const first = await compareEngines(makeA, makeB, program);
  if (first.agree) return program;
  const fails = async (p: GeneratedProgram): Promise<boolean> => !(await compareEngines(makeA, makeB, p)).agree;
  const m = first.mismatches[0]!;
  let current = program;
  if (typeof m.step === "number") {
    current = { ...program, checks: program.checks.slice(0, m.step + 1) };
    for (let i = current.checks.length - 2; i >= 0; i--) {
      const candidate = { ...current, checks: current.checks.filter((_, j) => j !== i) };
      if (await fails(candidate)) current = candidate;
    }
  }
  const shrinkFacts = async (): Promise<void> => {
    let chunk = Math.max(1, Math.floor(current.facts.length / 2));
    for (;;) {
      let i = 0;
      while (i < current.facts.length) {
        const candidate = { ...current, facts: [...current.facts.slice(0, i), ...current.facts.slice(i + chunk)] };
        if (await fails(candidate)) current = candidate;
        else i += chunk;
      }
      if (chunk === 1) break;
      chunk = Math.floor(chunk / 2);
    }
  };
  // Facts first (fewer facts free more rules), then the policy, then facts again.
  await shrinkFacts();
  current = await shrinkPolicy(current, fails);
  await shrinkFacts();
  return current;
}

/**
 * Drop top-level rules and shorthand lines from the policy while the program still fails. A
 * removal that breaks the policy or its facts makes both engines reject it alike, so it is
 * not kept.
 */
async function shrinkPolicy(program: GeneratedProgram, fails: (p: GeneratedProgram) => Promise<boolean>): Promise<GeneratedProgram> {
  let current = program;
  const items = (policy: string): string[] => policy.trimEnd().split("\n\n");
  const isBlock = (item: string): boolean => /^(actor|resource|global)\b/.test(item);
  // Top-level rules, last first.
  for (let i = items(current.policy).length - 1; i >= 0; i--) {
    const list = items(current.policy);
    if (isBlock(list[i]!)) continue;
    const candidate = { ...current, policy: `${list.filter((_, j) => j !== i).join("\n\n")}\n` };
    if (await fails(candidate)) current = candidate;
  }
  // Shorthand rules inside blocks.
  const lines = (policy: string): string[] => policy.split("\n");
  for (let i = lines(current.policy).length - 1; i >= 0; i--) {
    const list = lines(current.policy);
    if (!/^ {2}\S.* if .*;$/.test(list[i]!)) continue;
    const candidate = { ...current, policy: list.filter((_, j) => j !== i).join("\n") };
    if (await fails(candidate)) current = candidate;
  }
  return current;
}
