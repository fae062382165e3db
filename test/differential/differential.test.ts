/**
 * Differential testing: random programs (generator.ts) run on the Wasm engine and on the
 * reference evaluator must give identical answers (harness.ts). See README.md here.
 *
 *   DIFF_SEED=1234 npx vitest run test/differential           # rerun one program
 *   DIFF_SEED=1000 DIFF_COUNT=2000 npx vitest run test/differential   # seeds 1000..2999
 *
 * Without DIFF_SEED each run starts at a random seed, so CI explores new programs every time;
 * every failure prints its seed and the command that reproduces it.
 */
import { describe, expect, it } from "vitest";
import type { Fact } from "../../bindings/api/types.js";
import { toTypedFact } from "../../bindings/api/values.js";
import { analyzePolicy } from "../../bindings/compile/index.js";
import { signatureAccepts } from "../../bindings/compile/signatures.js";
import { ReferenceEngine } from "../../bindings/reference/index.js";
import { makeReferenceEngine, makeWasmEngine, wasmAvailability } from "./engines.js";
import { describeProgram, formatFact, generateProgram, type GeneratedProgram } from "./generator.js";
import { type Comparison, compareEngines, type EngineMaker, reproCommand, shrinkProgram } from "./harness.js";

/** Programs per CI run. */
const MIN_PROGRAMS = 500;

function envInt(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === "") return undefined;
  const n = Number(raw);
  if (!Number.isSafeInteger(n)) throw new Error(`${name} must be an integer, got ${JSON.stringify(raw)}`);
  return n;
}

const pinnedSeed = envInt("DIFF_SEED");
const COUNT = envInt("DIFF_COUNT") ?? (pinnedSeed === undefined ? MIN_PROGRAMS : 1);
const BASE = pinnedSeed ?? Math.floor(Math.random() * 2 ** 31);
const SEEDS = Array.from({ length: COUNT }, (_, i) => BASE + i);
const RANGE = COUNT === 1 ? `seed ${BASE}` : `seeds ${BASE}..${BASE + COUNT - 1}`;
/** Long enough for 500 programs on a slow 2-core machine. */
const TIMEOUT = Math.max(120_000, COUNT * 400);

if (pinnedSeed !== undefined && COUNT <= 3) {
  for (const seed of SEEDS) console.log(describeProgram(generateProgram(seed)));
}

/** Failures as one readable message: every failing seed, the first few diffs, a shrunk repro. */
async function report(failures: readonly Comparison[], makeA: EngineMaker, makeB: EngineMaker, names: readonly [string, string]): Promise<string> {
  const title = `${names[0]} vs ${names[1]}`;
  const lines = [`${title}: ${failures.length} of ${COUNT} programs disagree (${RANGE})`];
  lines.push(`failing seeds: ${failures.map((f) => f.seed).join(", ")}`);
  for (const f of failures.slice(0, 3)) lines.push("", f.diff);
  const first = failures[0];
  if (first !== undefined) {
    const small = await shrinkProgram(makeA, makeB, generateProgram(first.seed));
    const again = await compareEngines(makeA, makeB, small, { names });
    lines.push("", `shrunk program for seed ${first.seed} (${small.facts.length} facts, ${small.checks.length} checks):`, describeProgram(small), again.diff);
  }
  lines.push("", `reproduce one: ${reproCommand(first?.seed ?? BASE)}`);
  return lines.join("\n");
}

async function runAll(makeA: EngineMaker, makeB: EngineMaker, names: readonly [string, string]): Promise<{ failures: Comparison[]; steps: number }> {
  const failures: Comparison[] = [];
  let steps = 0;
  for (const seed of SEEDS) {
    const cmp = await compareEngines(makeA, makeB, generateProgram(seed), { names });
    steps += cmp.steps;
    if (!cmp.agree) failures.push(cmp);
  }
  return { failures, steps };
}

/** Facts the program stores or sends as context; the deliberately unknown ones are excluded. */
function allFacts(p: GeneratedProgram): Fact[] {
  const written = p.checks.flatMap((c) => (c.op === "insert" ? [c.fact] : c.op === "batch" ? c.facts : []));
  return [...p.facts, ...written, ...p.checks.flatMap((c) => c.context ?? [])].filter((f) => f[0] !== "no_such_fact");
}

const wasm = await wasmAvailability();
const wasmSkip = wasm.available ? "" : ` [SKIPPED: ${wasm.reason}]`;
if (!wasm.available) console.warn(`differential: Wasm comparison skipped: ${wasm.reason}`);

describe(`differential testing (${RANGE})`, () => {
  if (pinnedSeed === undefined && envInt("DIFF_COUNT") === undefined) {
    it(`runs at least ${MIN_PROGRAMS} programs per run`, () => {
      expect(COUNT).toBeGreaterThanOrEqual(MIN_PROGRAMS);
    });
  }

  it("every generated policy compiles without errors and accepts all its facts", () => {
    const problems: string[] = [];
    for (const seed of SEEDS) {
      const p = generateProgram(seed);
      const again = generateProgram(seed);
      if (describeProgram(again) !== describeProgram(p)) problems.push(`seed ${seed}: not reproducible`);
      const analysis = analyzePolicy(p.policy);
      const errors = analysis.diagnostics.filter((d) => d.severity === "error");
      if (analysis.program === undefined || errors.length > 0) {
        problems.push(`seed ${seed}: ${errors.map((d) => `${d.code} ${d.message} (line ${d.span?.line ?? "?"})`).join("; ")}\n${p.policy}`);
        continue;
      }
      const program = analysis.program;
      for (const f of allFacts(p)) {
        const [pred, ...args] = toTypedFact(f);
        const sigs = program.signatures.get(`${pred}/${args.length}`) ?? [];
        if (!signatureAccepts(program.types, sigs, args.map((a) => a.type))) problems.push(`seed ${seed}: fact ${formatFact(f)} matches no signature`);
      }
    }
    expect(problems.slice(0, 5).join("\n\n"), `reproduce: ${reproCommand(Number(/seed (\d+)/.exec(problems[0] ?? "")?.[1] ?? BASE))}`).toBe("");
  }, TIMEOUT);

  it("the harness agrees with itself: reference vs reference", async () => {
    const names = ["reference", "reference"] as const;
    const { failures, steps } = await runAll(makeReferenceEngine, makeReferenceEngine, names);
    if (failures.length > 0) expect.fail(await report(failures, makeReferenceEngine, makeReferenceEngine, names));
    expect(steps).toBeGreaterThan(COUNT * 3);
  }, TIMEOUT);

  it.skipIf(!wasm.available)(`the Wasm engine agrees with the reference evaluator${wasmSkip}`, async () => {
    const names = ["reference", "wasm"] as const;
    const { failures } = await runAll(makeReferenceEngine, makeWasmEngine, names);
    if (failures.length > 0) expect.fail(await report(failures, makeReferenceEngine, makeWasmEngine, names));
  }, TIMEOUT);
});

describe("differential harness and generator", () => {
  it("detects a wrong answer, a wrong error code and a crash", async () => {
    const base = generateProgram(7);
    const user = { type: "User", id: "u0" };
    const thing = { type: "Widget", id: "w0" };
    const p: GeneratedProgram = {
      ...base,
      checks: [{ op: "authorize", actor: user, action: "read", resource: thing }, { op: "actions", actor: user, resource: thing }, ...base.checks],
    };
    /** The reference, but with one entry point broken. */
    const mutant = (mode: "authorize" | "code" | "crash"): EngineMaker => (prog) => {
      const e = new ReferenceEngine({ now: () => BigInt(prog.now) });
      if (mode === "authorize") {
        const orig = e.authorize.bind(e);
        e.authorize = (a, act, r, ctx) => !orig(a, act, r, ctx);
      } else if (mode === "code") {
        const orig = e.query.bind(e);
        e.query = (pred, args, ctx) => {
          try {
            return orig(pred, args, ctx);
          } catch (err) {
            throw Object.assign(new Error("renamed"), { code: "E_SOMETHING_ELSE" });
          }
        };
      } else {
        e.actions = () => {
          throw new TypeError("boom");
        };
      }
      return e;
    };
    const flipped = await compareEngines(makeReferenceEngine, mutant("authorize"), p);
    expect(flipped.agree).toBe(false);
    expect(flipped.diff).toContain(`seed 7`);
    expect(flipped.diff).toContain("DIFF_SEED=7");
    const crash = await compareEngines(makeReferenceEngine, mutant("crash"), p);
    expect(crash.agree).toBe(false);
    expect(crash.diff).toContain("<crash TypeError>");
    const unknown: GeneratedProgram = { ...p, checks: [{ op: "query", predicate: "no_such_predicate", args: [null] }] };
    expect((await compareEngines(makeReferenceEngine, makeReferenceEngine, unknown)).agree).toBe(true);
    const code = await compareEngines(makeReferenceEngine, mutant("code"), unknown);
    expect(code.agree).toBe(false);
    expect(code.diff).toContain("E_SOMETHING_ELSE");
  });

  it("covers the dialect's features across 500 fixed seeds", () => {
    const seen = new Map<string, number>();
    const ops = new Map<string, number>();
    let contextChecks = 0;
    let typedQueryArgs = 0;
    for (let seed = 0; seed < 500; seed++) {
      const p = generateProgram(seed);
      for (const f of p.features) seen.set(f, (seen.get(f) ?? 0) + 1);
      for (const c of p.checks) {
        ops.set(c.op, (ops.get(c.op) ?? 0) + 1);
        if (c.context !== undefined) contextChecks++;
        if (c.op === "query") typedQueryArgs += c.args.filter((a) => a !== null && typeof a === "object" && (a.id === undefined || a.id === null)).length;
      }
    }
    const required = [
      "shorthand", "sh-role", "sh-permission", "sh-relation", "sh-on-role", "sh-on-permission", "sh-on-relation", "sh-role-on-rel",
      "sh-permission-on-rel", "sh-global", "sh-call", "sh-and", "sh-or", "global", "global-shorthand", "extends", "actor-team",
      "recursion-container", "recursion-self", "recursion-groups", "data-cycle", "not-call", "not-derived", "not-conjunction",
      "not-forall", "comparison-const", "comparison-vars", "comparison-now", "not-equal-entities", "in-list-strings",
      "in-list-entities", "matches-narrow", "wildcard-bodiless", "wildcard-actor", "wildcard-action", "boolean-attr",
      "team-roles", "policy-fact", "declare", "custom-allow-banned", "custom-allow-active", "custom-allow-wildcard",
      "custom-allow-wildcard-action", "context-facts", "context-new-entities", "error-checks", "dropped-unstratified",
      "store-ops", "reload", "failing-batch", "big",
    ];
    expect(required.filter((f) => (seen.get(f) ?? 0) === 0)).toEqual([]);
    for (const op of ["authorize", "list", "actions", "query"]) expect(ops.get(op) ?? 0).toBeGreaterThan(500);
    expect(contextChecks).toBeGreaterThan(500);
    expect(typedQueryArgs).toBeGreaterThan(500);
  });
});
