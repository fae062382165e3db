/**
 * A small differential fuzz of the Wasm evaluator against the reference evaluator on random
 * hand-built (range-restricted, stratified) IR programs: recursion, cycles in the data,
 * negation, typed wildcards, comparisons, `in`, constants. Every predicate is queried with
 * several binding patterns. The seed of a failing program is printed.
 * WASM_FUZZ=n runs n programs (default 150).
 */
import { describe, expect, it } from "vitest";
import type { Fact, ValuePattern } from "../../bindings/api/types.js";
import { ReferenceCore } from "../../bindings/reference/core.js";
import { buildProgram, ent, rows, type ProgramSpec } from "./reference-helpers.js";
import { newEngine } from "./wasm-helpers.js";

const TYPES = { User: ["Actor"], Team: ["Actor"], Org: ["Resource"], Repo: ["Resource"], Fork: ["Repo"] } as const;
const ENTITY_TYPES = ["User", "Team", "Org", "Repo", "Fork"];

class Rng {
  constructor(private s: number) {}
  next(): number {
    // mulberry32
    this.s = (this.s + 0x6d2b79f5) | 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

const EDB = [
  { name: "e", arity: 2 },
  { name: "f", arity: 2 },
  { name: "g", arity: 3 },
  { name: "h", arity: 1 },
];

function valueText(rng: Rng): string {
  const k = rng.int(10);
  if (k < 6) return `${rng.pick(ENTITY_TYPES)}:${rng.pick(["a", "b", "c"])}`;
  if (k < 8) return rng.pick(['"r"', '"s"']);
  return String(rng.int(4));
}

function valueFact(text: string): Fact[number] {
  if (text.startsWith('"')) return text.slice(1, -1);
  if (/^[0-9]+$/.test(text)) return Number(text);
  const [t, id] = text.split(":");
  return ent(t!, id!);
}

interface Gen {
  spec: ProgramSpec;
  facts: Fact[];
  preds: { name: string; arity: number }[];
}

function generate(seed: number): Gen {
  const rng = new Rng(seed);
  const nIdb = 2 + rng.int(6);
  const idb = Array.from({ length: nIdb }, (_, i) => ({ name: `p${i}`, arity: 1 + rng.int(3), level: Math.floor(i / 2) }));
  const lines: string[] = [];
  for (const p of idb) {
    const nRules = 1 + rng.int(3);
    for (let r = 0; r < nRules; r++) {
      const vars = ["x", "y", "z", "w"];
      const body: string[] = [];
      const bound = new Set<string>();
      const nAtoms = 1 + rng.int(3);
      for (let a = 0; a < nAtoms; a++) {
        const cands = [...EDB, ...idb.filter((q) => q.level <= p.level)];
        const q = rng.pick(cands);
        const args: string[] = [];
        for (let i = 0; i < q.arity; i++) {
          if (rng.chance(0.2)) args.push(valueText(rng));
          else {
            const v = rng.pick(vars);
            args.push(v);
            bound.add(v);
          }
        }
        body.push(`${q.name}(${args.join(", ")})`);
      }
      const bvars = [...bound];
      if (bvars.length > 0 && rng.chance(0.3)) body.push(`${rng.pick(bvars)}: ${rng.pick(["User", "Actor", "Repo", "Resource", "Integer", "String"])}`);
      const lower = idb.filter((q) => q.level < p.level);
      if (bvars.length > 0 && rng.chance(0.3)) {
        const q = rng.chance(0.5) && lower.length > 0 ? rng.pick(lower) : rng.pick(EDB);
        const args = Array.from({ length: q.arity }, () => (rng.chance(0.8) ? rng.pick(bvars) : valueText(rng)));
        body.push(`not ${q.name}(${args.join(", ")})`);
      }
      if (bvars.length > 0 && rng.chance(0.2)) {
        const op = rng.pick(["<", "<=", ">", ">=", "!="]);
        body.push(`${rng.pick(bvars)} ${op} ${rng.chance(0.5) ? rng.pick(bvars) : String(rng.int(4))}`);
      }
      if (bvars.length > 0 && rng.chance(0.15)) body.push(`${rng.pick(bvars)} in [${valueText(rng)}, ${valueText(rng)}, ${rng.pick(bvars)}]`);
      if (bvars.length > 0 && rng.chance(0.1)) body.push(`${rng.pick(bvars)} = ${valueText(rng)}`);
      // head: bound vars, constants, or typed wildcards
      const head: string[] = [];
      for (let i = 0; i < p.arity; i++) {
        const k = rng.int(10);
        if (k < 6 && bvars.length > 0) head.push(rng.pick(bvars));
        else if (k < 8) head.push(`_w${i}: ${rng.pick(["User", "Actor", "Org", "Resource", "String"])}`);
        else head.push(valueText(rng));
      }
      lines.push(`${p.name}(${head.join(", ")}) :- ${body.join(", ")}.`);
    }
  }
  const p3 = idb.find((q) => q.arity === 3);
  if (p3 !== undefined) lines.push(`allow(a, b, c) :- ${p3.name}(a, b, c).`, `allow(a, "r", c) :- e(a, c), c: Repo.`);
  const facts: Fact[] = [];
  const nFacts = rng.int(rng.chance(0.5) ? 25 : 70);
  for (let i = 0; i < nFacts; i++) {
    const q = rng.pick(EDB);
    facts.push([q.name, ...Array.from({ length: q.arity }, () => valueFact(valueText(rng)))]);
  }
  const signatures: Record<string, "any"> = {};
  for (const e of EDB) signatures[`${e.name}/${e.arity}`] = "any";
  return { spec: { types: TYPES, rules: lines.join("\n"), signatures, blocks: { Repo: { permissions: ["r", "s"] }, Fork: { permissions: ["f"], extends: ["Repo"] } } }, facts, preds: idb };
}

function patternsFor(rng: Rng, arity: number): ValuePattern[][] {
  const out: ValuePattern[][] = [new Array<ValuePattern>(arity).fill(null)];
  for (let k = 0; k < 3; k++) {
    out.push(Array.from({ length: arity }, () => {
      const c = rng.int(4);
      if (c === 0) return null;
      if (c === 1) return { type: rng.pick([...ENTITY_TYPES, "String", "Integer"]) };
      return valueFact(valueText(rng));
    }));
  }
  return out;
}

describe("wasm engine vs reference on random programs", () => {
  const n = Number(process.env["WASM_FUZZ"] ?? 150);
  it(`agrees on ${n} programs`, () => {
    for (let seed = 1; seed <= n; seed++) {
      const g = generate(seed);
      let program;
      try {
        program = buildProgram(g.spec);
      } catch {
        continue;
      }
      const ref = new ReferenceCore({ now: () => 1000n });
      ref.loadProgram(program);
      const wasm = newEngine({ now: () => 1000n });
      wasm.loadProgram(program);
      for (const f of g.facts) {
        ref.insert(f);
        wasm.insert(f);
      }
      const rng = new Rng(seed * 7919);
      if (g.spec.rules!.includes("allow(")) {
        for (let k = 0; k < 6; k++) {
          const actor = valueFact(valueText(rng));
          const res = valueFact(valueText(rng));
          const act = rng.pick(["r", "s"]);
          const same = (what: string, f: (e: ReferenceCore | ReturnType<typeof newEngine>) => unknown): void => {
            let want: unknown;
            try {
              want = f(ref);
            } catch (e) {
              want = `error ${(e as { code?: string }).code}`;
            }
            let got: unknown;
            try {
              got = f(wasm);
            } catch (e) {
              got = `error ${(e as { code?: string }).code}`;
            }
            if (JSON.stringify(got) !== JSON.stringify(want)) {
              throw new Error(`seed ${seed}: ${what}\n${g.spec.rules}\nfacts ${JSON.stringify(g.facts)}\nwant ${JSON.stringify(want)}\ngot  ${JSON.stringify(got)}`);
            }
          };
          same(`authorize(${JSON.stringify(actor)}, ${act}, ${JSON.stringify(res)})`, (e) => e.authorize(actor, act, res));
          const type = rng.pick(ENTITY_TYPES);
          same(`list(${JSON.stringify(actor)}, ${act}, ${type})`, (e) => e.list(actor, act, type));
          same(`actions(${JSON.stringify(actor)}, ${JSON.stringify(res)})`, (e) => e.actions(actor, res));
        }
      }
      for (const p of g.preds) {
        for (const pat of patternsFor(rng, p.arity)) {
          let want: string[];
          try {
            want = rows(ref.query(p.name, pat));
          } catch {
            continue;
          }
          const got = rows(wasm.query(p.name, pat));
          if (JSON.stringify(got) !== JSON.stringify(want)) {
            throw new Error(`seed ${seed}: ${p.name}(${JSON.stringify(pat)})\n${g.spec.rules}\nfacts ${JSON.stringify(g.facts)}\nwant ${JSON.stringify(want)}\ngot  ${JSON.stringify(got)}`);
          }
        }
      }
    }
    expect(true).toBe(true);
  }, 900_000);
});
