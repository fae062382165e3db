/**
 * Public value and API types. Values follow the `oso-cloud` client's conventions:
 * `{ type, id }` for entities, a JS string is a String, a number or bigint is an Integer,
 * and a boolean is a Boolean.
 */
import type { Diagnostic } from "./errors.js";

/** An entity such as `User:bob`, or a primitive written in typed form (`{ type: "Integer", id: "10" }`). */
export interface TypedValue {
  readonly type: string;
  readonly id: string;
}

/** Any value accepted as input. */
export type Value = TypedValue | string | number | bigint | boolean;

/** A value, or a wildcard: `null` (any value) or `{ type }` (any value of exactly that type). */
export type ValuePattern = Value | null | { readonly type: string; readonly id?: null | undefined };

/** `["has_role", actor, "owner", resource]`. */
export type Fact = readonly [predicate: string, ...args: Value[]];

/** A fact with wildcards, for `delete`, `get` and `query`. */
export type FactPattern = readonly [predicate: string, ...args: ValuePattern[]];

/**
 * A value as boreal returns it: entities as `{ type, id }`, Strings as JS strings,
 * Booleans as booleans, Integers as numbers (bigint outside ±2^53−1).
 */
export type OutputValue = TypedValue | string | number | bigint | boolean;

/** A stored or derived fact as returned by `get`. */
export type OutputFact = readonly [predicate: string, ...args: OutputValue[]];

/** A `query` answer: `null` where a position stays unbound (a wildcard answer). */
export type QueryRow = readonly [predicate: string, ...args: (OutputValue | null)[]];

/** A policy's source: one string, or several files loaded together. */
export type PolicySource = string | readonly { readonly filename: string; readonly src: string }[];

export interface PolicyResult {
  /** Non-fatal findings: singleton variables, stored facts the new policy cannot use, ... */
  readonly warnings: readonly Diagnostic[];
}

export interface TestFailure {
  readonly assertion: string;
  readonly message: string;
  readonly line: number;
  readonly column: number;
}

export interface TestCaseResult {
  readonly name: string;
  /** Assertions that passed. */
  readonly passed: number;
  /** Assertions in the test. */
  readonly total: number;
  readonly failures: readonly TestFailure[];
}

export interface TestReport {
  readonly passed: boolean;
  readonly tests: readonly TestCaseResult[];
}

/** Write operations available inside `batch`. */
export interface Transaction {
  insert(fact: Fact): void;
  delete(pattern: FactPattern): void;
}

/**
 * The engine contract. The Wasm engine and the TypeScript reference evaluator both implement it,
 * so one conformance runner checks both.
 */
export interface AuthorizationEngine {
  /** Load (replace) the policy. Throws PolarError; on error the previous policy stays active. */
  policy(source: PolicySource): PolicyResult;
  insert(fact: Fact): void;
  /** Delete every stored fact matching the pattern; returns how many were deleted. */
  delete(pattern: FactPattern): number;
  /** All changes apply, or (if any is invalid) none do. */
  batch(body: (tx: Transaction) => void): void;
  get(pattern: FactPattern): OutputFact[];
  authorize(actor: Value, action: string, resource: Value, contextFacts?: readonly Fact[]): boolean;
  list(actor: Value, action: string, resourceType: string, contextFacts?: readonly Fact[]): string[];
  actions(actor: Value, resource: Value, contextFacts?: readonly Fact[]): string[];
  query(predicate: string, args: readonly ValuePattern[], contextFacts?: readonly Fact[]): QueryRow[];
  /** Run the policy's `test` blocks (they see only their own setup facts). */
  test(): TestReport;
}
