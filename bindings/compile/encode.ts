/**
 * Encoding plans as u32 words for the Wasm core (docs/abi.md, "Plan words").
 *
 *   plan record (8 words): MASK ARITY WIDTH NRULES CODE MAXREGS FREEMASK REL
 *   rule: NREGS LEN (words, header included) instructions...
 *   ARG ki reg | ARGEQ ki op | PROBE idx altIdx nk (pos op)* no (pos reg mode)*
 *   CALL|NOT plan altPlan nk (pos op)* no (pos reg mode)* | CMP cmp a b | MOVE dst src
 *   ISA reg type | WILD reg type | IN reg mode n op* | EMIT n op* | ONCE (as CALL) | TOUCH n (idx ki)*
 */
import { fullMask, popcount, type Plan, type Step } from "./plan.js";

export const PLAN_WORDS = 8;
export const OP = { arg: 1, argeq: 2, probe: 3, call: 4, not: 5, cmp: 6, move: 7, isa: 8, wild: 9, in: 10, emit: 11, once: 12, touch: 13 } as const;

/** Resolves a (relation, mask) pair to the core's index id. */
export type IndexResolver = (rel: number, mask: number) => number;

/** The (relation, mask) pairs that the plans probe. */
export function indexesOf(plans: readonly Plan[]): [rel: number, mask: number][] {
  const seen = new Set<string>();
  const out: [number, number][] = [];
  const add = (rel: number, mask: number): void => {
    const k = `${rel}:${mask}`;
    if (!seen.has(k)) {
      seen.add(k);
      out.push([rel, mask]);
    }
  };
  for (const p of plans) for (const r of p.rules) for (const s of r.steps) {
    if (s.op === "probe") {
      add(s.rel, s.mask);
      add(s.rel, s.altMask);
    } else if (s.op === "touch") for (const [rel, mask] of s.touches) add(rel, mask);
  }
  return out;
}

function encodeStep(s: Step, idx: IndexResolver, out: number[]): void {
  switch (s.op) {
    case "arg":
      out.push(OP.arg, s.ki, s.reg);
      return;
    case "argeq":
      out.push(OP.argeq, s.ki, s.operand);
      return;
    case "probe":
    case "call":
    case "not":
    case "once": {
      if (s.op === "probe") out.push(OP.probe, idx(s.rel, s.mask), idx(s.rel, s.altMask));
      else out.push(OP[s.op], s.plan, s.altPlan);
      out.push(s.keys.length);
      for (const [pos, op] of [...s.keys].sort((a, b) => a[0] - b[0])) out.push(pos, op);
      out.push(s.outs.length);
      for (const [pos, reg, mode] of s.outs) out.push(pos, reg, mode);
      return;
    }
    case "cmp":
      out.push(OP.cmp, s.cmp, s.a, s.b);
      return;
    case "move":
      out.push(OP.move, s.dst, s.src);
      return;
    case "isa":
    case "wild":
      out.push(OP[s.op], s.reg, s.type);
      return;
    case "in":
      out.push(OP.in, s.reg, s.mode, s.list.length, ...s.list);
      return;
    case "emit":
      out.push(OP.emit, s.operands.length, ...s.operands);
      return;
    case "touch":
      out.push(OP.touch, s.touches.length);
      for (const [rel, mask, ki] of s.touches) out.push(idx(rel, mask), ki);
      return;
  }
}

/** Encode consecutive plans: plan records, then their code (CODE is relative to the code start). */
export function encodePlans(plans: readonly Plan[], idx: IndexResolver): Uint32Array {
  const code: number[] = [];
  const records: number[] = [];
  for (const p of plans) {
    const start = code.length;
    let maxRegs = 1;
    for (const r of p.rules) {
      const at = code.length;
      code.push(r.nregs, 0);
      for (const s of r.steps) encodeStep(s, idx, code);
      code[at + 1] = code.length - at;
      maxRegs = Math.max(maxRegs, r.nregs);
    }
    const free = (fullMask(p.arity) & ~p.mask) >>> 0;
    records.push(p.mask, p.arity, popcount(free), p.rules.length, start, maxRegs, free, p.rel);
  }
  const words = new Uint32Array(records.length + code.length);
  words.set(records, 0);
  words.set(code, records.length);
  return words;
}
