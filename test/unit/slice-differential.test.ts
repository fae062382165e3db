/**
 * Differential test of slices: for random programs (test/differential/generator.ts) and several
 * actors each, an engine loaded with the actor's slice answers authorize, actions and list
 * exactly like the full engine, and the slice holds only stored facts.
 *
 *   SLICE_SEED=1234 npx vitest run test/unit/slice-differential.test.ts      # one program
 *   SLICE_SEED=1000 SLICE_COUNT=3000 npx vitest run test/unit/slice-differential.test.ts
 */
import { describe, expect, it } from "vitest";
import { BorealError } from "../../bindings/api/errors.js";
import type { TypedValue, Value } from "../../bindings/api/types.js";
import { blockPermissions } from "../../bindings/engine/shared/entry.js";
import type { WasmEngine } from "../../bindings/engine/wasm-engine.js";
import { decodeSlice, encodeSlice, type SliceData } from "../../bindings/slice/index.js";
import { formatValue, generateProgram, type GeneratedProgram } from "../differential/generator.js";
import { newEngine } from "./wasm-helpers.js";

function envInt(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === "") return undefined;
  const n = Number(raw);
  if (!Number.isSafeInteger(n)) throw new Error(`${name} must be an integer`);
  return n;
}

const pinned = envInt("SLICE_SEED");
const COUNT = envInt("SLICE_COUNT") ?? (pinned === undefined ? 300 : 1);
const BASE = pinned ?? Math.floor(Math.random() * 2 ** 31);

function outcome<T>(f: () => T): T | string {
  try {
    return f();
  } catch (e) {
    if (e instanceof BorealError) return `error ${e.code}`;
    throw e;
  }
}

interface Stats {
  programs: number;
  slices: number;
  questions: number;
  sliceFacts: number;
  storeFacts: number;
  bytes: number;
  bareBytes: number;
}

/** Compare one program; returns the first difference, or undefined. */
function checkProgram(p: GeneratedProgram, stats: Stats, mutate?: (d: SliceData) => SliceData): string | undefined {
  const full = newEngine({ now: () => BigInt(p.now) });
  full.policy(p.policy);
  full.insertMany(p.facts);
  const program = full.program!;
  const entities: TypedValue[] = Object.values(p.domain.entities).flat();
  const types = [...new Set([...Object.keys(p.domain.entities), ...p.domain.resourceTypes])].sort();
  const actions = new Set<string>();
  for (const t of program.types.keys()) for (const a of blockPermissions(program, t)) actions.add(a);
  for (const c of p.checks) if ((c.op === "authorize" || c.op === "list") && typeof c.action === "string") actions.add(c.action);
  actions.add("no_such_action");
  const actorPool = p.domain.actorTypes.flatMap((t) => p.domain.entities[t] ?? []);
  const actors: Value[] = [...actorPool.slice(0, 3), { type: p.domain.actorTypes[0] ?? "User", id: "nobody" }];
  stats.programs++;
  stats.storeFacts += full.factCount * actors.length;
  // one browser engine per program, loaded with each actor's slice in turn; its clock differs:
  // policies that read @current_unix_time must use the slice's time
  const e: WasmEngine = newEngine({ now: () => BigInt(p.now) + 86_400n * 400n });
  for (const actor of actors) {
    const taken = full.slice(actor);
    const bytes = mutate === undefined ? taken : encodeSlice(mutate(decodeSlice(taken)));
    stats.bareBytes += full.slice(actor, { includePolicy: false }).length;
    const d = decodeSlice(bytes);
    stats.slices++;
    stats.bytes += bytes.length;
    stats.sliceFacts += d.facts.length;
    const where = `seed ${p.seed}, actor ${formatValue(actor)}`;
    for (const f of d.facts) {
      const args = f.slice(1) as TypedValue[];
      if (full.get([f[0], ...args]).length !== 1) return `${where}: slice fact ${JSON.stringify(f)} is not stored`;
    }
    e.loadSlice(bytes);
    const same = (what: string, a: unknown, b: unknown): string | undefined => {
      stats.questions++;
      return JSON.stringify(a) === JSON.stringify(b) ? undefined : `${where}: ${what}: full ${JSON.stringify(a)}, slice ${JSON.stringify(b)}`;
    };
    for (const r of entities) {
      const diff = same(`actions(${formatValue(r)})`, outcome(() => full.actions(actor, r)), outcome(() => e.actions(actor, r)));
      if (diff) return diff;
      for (const act of actions) {
        const d2 = same(`authorize(${act}, ${formatValue(r)})`, outcome(() => full.authorize(actor, act, r)), outcome(() => e.authorize(actor, act, r)));
        if (d2) return d2;
      }
    }
    for (const act of actions) {
      for (const t of types) {
        const d3 = same(`list(${act}, ${t})`, outcome(() => full.list(actor, act, t)), outcome(() => e.list(actor, act, t)));
        if (d3) return d3;
      }
    }
  }
  return undefined;
}

describe("slices answer like the full engine", () => {
  it(`random programs (seeds ${BASE}..${BASE + COUNT - 1})`, () => {
    const stats: Stats = { programs: 0, slices: 0, questions: 0, sliceFacts: 0, storeFacts: 0, bytes: 0, bareBytes: 0 };
    const failures: string[] = [];
    for (let i = 0; i < COUNT; i++) {
      const seed = BASE + i;
      const p = generateProgram(seed, { storeOps: false });
      const diff = checkProgram(p, stats);
      if (diff !== undefined) failures.push(`${diff}\n  repro: SLICE_SEED=${seed} npx vitest run test/unit/slice-differential.test.ts`);
    }
    console.log(
      `slices: ${stats.programs} programs, ${stats.slices} slices, ${stats.questions} questions; ` +
        `slice facts ${(stats.sliceFacts / stats.slices).toFixed(1)} of ${(stats.storeFacts / stats.slices).toFixed(1)} stored on average, ` +
        `${(stats.bytes / stats.slices).toFixed(0)} bytes per slice with the policy, ${(stats.bareBytes / stats.slices).toFixed(0)} without ` +
        `(${(stats.bareBytes / Math.max(1, stats.sliceFacts)).toFixed(1)} bytes per fact)`,
    );
    expect(failures.slice(0, 5).join("\n\n"), `${failures.length} of ${COUNT} programs differ`).toBe("");
    expect(stats.questions).toBeGreaterThan(COUNT * 10);
  }, Math.max(120_000, COUNT * 500));

  it("notices a slice that lacks a fact or its known values", () => {
    const stats: Stats = { programs: 0, slices: 0, questions: 0, sliceFacts: 0, storeFacts: 0, bytes: 0, bareBytes: 0 };
    let droppedFact = 0;
    let droppedKnown = 0;
    for (let seed = 1; seed <= 20; seed++) {
      const p = generateProgram(seed, { storeOps: false });
      if (checkProgram(p, stats, (d) => ({ ...d, facts: d.facts.slice(1) })) !== undefined) droppedFact++;
      if (checkProgram(p, stats, (d) => ({ ...d, known: [] })) !== undefined) droppedKnown++;
    }
    console.log(`mutants caught: dropped fact ${droppedFact}/20, no known values ${droppedKnown}/20`);
    expect(droppedFact).toBeGreaterThanOrEqual(5);
    expect(droppedKnown).toBeGreaterThan(0);
  }, 120_000);
});
