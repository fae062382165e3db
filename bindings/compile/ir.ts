/**
 * The compiled rule program (IR). Produced by bindings/compile from a checked, desugared
 * policy; consumed by the reference evaluator (bindings/reference) and by the Wasm plan
 * encoder. Values are canonical typed values; nothing here is interned yet.
 *
 * Semantics in one paragraph: every predicate `name/arity` is the union of its stored facts
 * (EDB: stored ∪ context facts ∪ test setup facts) and its rules. A rule's body is a
 * conjunction of literals. Variables are numbered per rule. A variable that only an `isa`
 * constrains (a head specialiser such as `_: User` with nothing in the body binding it) is a
 * typed wildcard: answers carry it as "any value of that type", the Query API reports it as
 * null. Negation is stratified: a `not` literal refers to a predicate of a lower stratum.
 */
import type { Span } from "../api/span.js";
import type { TypedValue } from "../api/types.js";
import type { Diagnostic } from "../api/errors.js";

/** `name/arity`, e.g. "has_role/3". */
export type PredKey = string;

export function predKey(name: string, arity: number): PredKey {
  return `${name}/${arity}`;
}

export type IRTerm =
  | { readonly k: "var"; readonly v: number }
  | { readonly k: "const"; readonly value: TypedValue }
  /** `@current_unix_time`: an Integer fixed once per query. */
  | { readonly k: "now" };

export type CmpKind = "eq" | "ne" | "lt" | "le" | "gt" | "ge";

export type Literal =
  /** A positive call of a predicate (stored facts ∪ rules). */
  | { readonly k: "atom"; readonly pred: PredKey; readonly args: readonly IRTerm[]; readonly span: Span }
  /**
   * Negation as failure. Variables bound earlier in the body are inputs; any other variable
   * in `args` is local to the negation (existential: "there is no value such that ...").
   */
  | { readonly k: "not"; readonly pred: PredKey; readonly args: readonly IRTerm[]; readonly span: Span }
  /** `eq` binds an unbound side; the others need both sides bound. `lt..ge` compare Integers only. */
  | { readonly k: "cmp"; readonly op: CmpKind; readonly a: IRTerm; readonly b: IRTerm; readonly span: Span }
  /** Type check with subtyping. On a variable never bound by the body it becomes a typed wildcard. */
  | { readonly k: "isa"; readonly t: IRTerm; readonly type: string; readonly span: Span }
  /** `t in [..]`: binds `t` to each element when unbound, else membership. */
  | { readonly k: "in"; readonly t: IRTerm; readonly list: readonly IRTerm[]; readonly span: Span };

export type RuleOrigin = "rule" | "shorthand" | "builtin" | "negation" | "test";

export interface IRRule {
  readonly id: number;
  readonly pred: PredKey;
  readonly head: readonly IRTerm[];
  /**
   * In a valid evaluation order: every `cmp` other than a binding `eq`, every `not` and every
   * `isa` on a bound variable comes after the literals that bind its variables.
   */
  readonly body: readonly Literal[];
  readonly nvars: number;
  /** Source names of the variables, for diagnostics and dumps (`_` gets `_0`, `_1`, ...). */
  readonly varNames: readonly string[];
  readonly origin: RuleOrigin;
  readonly span: Span;
}

/**
 * Predicates whose rules have origin "negation" (`#notN`, the bodies of `not (...)`) are
 * demand-only: they are called solely from `not` literals with every argument bound, their
 * head variables count as bound on entry, and evaluators run them per call with the call's
 * arguments (all they refer to lies in lower strata, so it is complete by then). They are not
 * range-restricted on their own and must not be materialised bottom-up.
 */
export interface PredInfo {
  readonly key: PredKey;
  readonly name: string;
  readonly arity: number;
  /** Ids of the rules whose head is this predicate. */
  readonly rules: readonly number[];
  /** Index into Program.strata. */
  readonly stratum: number;
  /** True for predicates boreal introduced (negated sub-bodies, test assertions); never stored. */
  readonly internal: boolean;
  /** True for the demand-only `#notN` predicates (see above). */
  readonly demandOnly: boolean;
}

/** The argument types of one accepted fact shape; `null` accepts any value. */
export type Signature = readonly (string | null)[];

export type TypeKind = "primitive" | "abstract" | "actor" | "resource" | "opaque";

export interface TypeInfo {
  readonly name: string;
  readonly kind: TypeKind;
  /** Direct supertypes (`Actor` for actor blocks, `Resource` for resource blocks and `Actor`, `extends` targets). */
  readonly supertypes: readonly string[];
}

export interface BlockInfo {
  readonly kind: "actor" | "resource" | "global";
  /** "global" for the global block. */
  readonly name: string;
  readonly roles: readonly string[];
  readonly permissions: readonly string[];
  /** relation name -> target type */
  readonly relations: ReadonlyMap<string, string>;
  /** Own and inherited (through `extends`) declarations merged. */
  readonly extends: readonly string[];
}

export interface CompiledAssertion {
  readonly kind: "assert" | "assert_not";
  /** Source text of the assertion, for reports. */
  readonly text: string;
  /** Internal predicate whose answers are the assertion's solutions, over `vars`. */
  readonly queryPred: PredKey;
  /** Internal predicate for the `iff` body, over the same variables; absent without `iff`. */
  readonly iffPred?: PredKey;
  /** The named variables of the assertion, in order of first appearance. */
  readonly vars: readonly string[];
  readonly span: Span;
}

export interface CompiledTest {
  readonly name: string;
  /** Setup facts with fixtures expanded, in source order. */
  readonly facts: readonly (readonly [string, ...TypedValue[]])[];
  readonly assertions: readonly CompiledAssertion[];
  readonly span: Span;
}

export interface Program {
  readonly rules: readonly IRRule[];
  readonly preds: ReadonlyMap<PredKey, PredInfo>;
  /** Strongly connected components of the predicate graph, dependencies first. */
  readonly strata: readonly (readonly PredKey[])[];
  /** Fact shapes that may be stored or sent as context, per predicate (DESIGN §4.9). */
  readonly signatures: ReadonlyMap<PredKey, readonly Signature[]>;
  readonly types: ReadonlyMap<string, TypeInfo>;
  /** Block declarations by type name, plus "global". */
  readonly blocks: ReadonlyMap<string, BlockInfo>;
  readonly tests: readonly CompiledTest[];
  /** Warnings found while checking and compiling (singleton variables, ...). */
  readonly warnings: readonly Diagnostic[];
}
