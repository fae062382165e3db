/**
 * The plan format the planner produces and encode.ts serialises: steps over registers, whose
 * operands are already the evaluator's u32 words (registers < REG_LIMIT, `now`, interned value
 * ids); what the planner needs from the engine and its helpers need from the Planner.
 */
import type { TypedValue } from "../api/types.js";
import type { PredKey, Program } from "./ir.js";

export const REG_LIMIT = 0x4000;
export const OPN_NOW = 0x8000;
/** Smallest operand that is an interned value id (ordinary values and Integers; the interner's VAL_BASE). */
export const VALUE_MIN = 0x10000;
export const MODE_BIND = 0;
export const MODE_CHECK = 1;
export const CMP_CODES = { eq: 0, ne: 1, lt: 2, le: 3, gt: 4, ge: 5 } as const;
/** Most arguments a predicate may have (masks are u32). */
export const MAX_ARITY = 31;

export type KeyEntry = readonly [pos: number, operand: number];
export type OutEntry = readonly [pos: number, reg: number, mode: number];

export type Step =
  | { readonly op: "arg"; readonly ki: number; readonly reg: number }
  | { readonly op: "argeq"; readonly ki: number; readonly operand: number }
  | { readonly op: "probe"; readonly rel: number; readonly mask: number; readonly altMask: number; readonly keys: readonly KeyEntry[]; readonly outs: readonly OutEntry[] }
  // once: a fully bound call of a flat plan, run untabled (unfold.ts)
  | { readonly op: "call" | "not" | "once"; readonly plan: number; readonly altPlan: number; readonly keys: readonly KeyEntry[]; readonly outs: readonly OutEntry[] }
  | { readonly op: "cmp"; readonly cmp: number; readonly a: number; readonly b: number }
  | { readonly op: "move"; readonly dst: number; readonly src: number }
  | { readonly op: "isa" | "wild"; readonly reg: number; readonly type: number }
  | { readonly op: "in"; readonly reg: number; readonly mode: number; readonly list: readonly number[] }
  | { readonly op: "emit"; readonly operands: readonly number[] }
  // touch: read the index slots these (relation, mask, key index) pairs will probe (touch.ts)
  | { readonly op: "touch"; readonly touches: readonly (readonly [rel: number, mask: number, ki: number])[] };

export interface PlanRule {
  readonly nregs: number;
  readonly steps: readonly Step[];
  /** IR rule id (a merged rule: the largest of its rules', merge.ts), or -1 for the stored-facts rule. */
  readonly source: number;
}

export interface Plan {
  readonly id: number;
  readonly pred: PredKey;
  readonly arity: number;
  readonly mask: number;
  readonly rel: number;
  readonly rules: readonly PlanRule[];
}

/** What the planner needs from the engine: interned ids. */
export interface PlanEnv {
  relId(pred: PredKey, arity: number): number;
  typeId(name: string): number;
  valueId(v: TypedValue): number;
  /** `sub ⊑ sup` */
  isSubtype(sub: string, sup: string): boolean;
}

export class PlanError extends Error {}

/** Call-site knowledge for a plan: constants at bound positions, required types per position. */
export interface CallSpec {
  readonly consts: readonly (TypedValue | undefined)[];
  readonly types: readonly (readonly string[] | undefined)[];
  /** Types a bound argument surely has at the call (the caller checked them before it): the callee skips implied `isa` steps. */
  readonly known?: readonly (readonly string[] | undefined)[];
  /** An entry plan: starts with a TOUCH of its arguments' index slots (touch.ts). */
  readonly touch?: boolean;
}

export const NO_SPEC: CallSpec = { consts: [], types: [] };

/** What the planning helpers need from the Planner that coordinates them. */
export interface PlanContext {
  readonly program: Program;
  readonly env: PlanEnv;
  /** Predicates that have rules are called (tabled); the others are probed directly. */
  hasRules(pred: PredKey): boolean;
  /** May an answer of `pred` hold a wildcard at `pos`? */
  maybeWild(pred: PredKey, pos: number): boolean;
  ensure(pred: PredKey, mask: number, spec: CallSpec): number;
  plan(id: number): Plan;
}

export function arityOf(key: PredKey): number {
  return Number(key.slice(key.lastIndexOf("/") + 1));
}

export function popcount(m: number): number {
  let n = 0;
  for (let x = m >>> 0; x !== 0; x &= x - 1) n++;
  return n;
}

export function fullMask(arity: number): number {
  return arity >= 32 ? 0xffffffff : (1 << arity) - 1 >>> 0;
}
