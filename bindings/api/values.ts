/**
 * Converting between the public value forms (JS values, `{ type, id }`, the CLI's `Type:id`)
 * and canonical typed values. Canonical form: every value is `{ type, id }`; Integers have a
 * canonical decimal id (no `+`, no leading zeros, no `-0`) within i64; Booleans are
 * "true"/"false".
 */
import { FactError } from "./errors.js";
import type { Fact, FactPattern, OutputValue, TypedValue, Value, ValuePattern } from "./types.js";

export const MAX_ID_BYTES = 384;
export const PRIMITIVE_TYPES: ReadonlySet<string> = new Set(["String", "Integer", "Boolean"]);

const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;

function fail(code: string, message: string, help: string): never {
  throw new FactError({ code, severity: "error", message, help });
}

const utf8 = new TextEncoder();

function checkId(type: string, id: string): void {
  if (type.length === 0) fail("E_EMPTY_TYPE", "a value has an empty type", "give every entity a type, as in `{ type: \"User\", id: \"bob\" }`");
  if (id.length === 0 && type !== "String") fail("E_EMPTY_ID", `a \`${type}\` value has an empty id`, "ids must be non-empty strings");
  if (id.length * 3 > MAX_ID_BYTES && utf8.encode(id).length > MAX_ID_BYTES) {
    fail("E_ID_TOO_LONG", `the id of a \`${type}\` value is longer than ${MAX_ID_BYTES} bytes`, `keep each fact argument within ${MAX_ID_BYTES} bytes of UTF-8`);
  }
}

/** Parse a canonical or loose Integer id; returns the canonical decimal string. */
export function canonicalInteger(text: string): string {
  if (!/^[+-]?[0-9]+$/.test(text)) fail("E_BAD_INTEGER", `\`${text}\` is not an integer`, "integers are written in decimal, such as `42` or `-3`");
  const n = BigInt(text);
  if (n < I64_MIN || n > I64_MAX) fail("E_INTEGER_RANGE", `\`${text}\` is outside the 64-bit integer range`, "integers must fit in a signed 64-bit value");
  return n.toString();
}

function canonicalTyped(type: string, id: unknown): TypedValue {
  if (typeof type !== "string") fail("E_BAD_VALUE", "a value's `type` must be a string", "write entities as `{ type: \"User\", id: \"bob\" }`");
  if (typeof id !== "string") fail("E_BAD_VALUE", `the id of a \`${type}\` value must be a string`, "write entities as `{ type: \"User\", id: \"bob\" }`");
  if (type === "Integer") return { type, id: canonicalInteger(id) };
  if (type === "Boolean") {
    if (id !== "true" && id !== "false") fail("E_BAD_BOOLEAN", `\`${id}\` is not a boolean`, "booleans are `true` or `false`");
    return { type, id };
  }
  checkId(type, id);
  return { type, id };
}

/** Canonicalise a public input value. Throws FactError on malformed input. */
export function toTypedValue(value: Value): TypedValue {
  switch (typeof value) {
    case "string":
      checkId("String", value);
      return { type: "String", id: value };
    case "boolean":
      return { type: "Boolean", id: value ? "true" : "false" };
    case "number":
      if (!Number.isSafeInteger(value)) {
        fail("E_BAD_INTEGER", `\`${value}\` is not a safe integer`, "pass integers within ±2^53−1 as numbers, or larger ones as bigint");
      }
      return { type: "Integer", id: canonicalInteger(String(value)) };
    case "bigint":
      return { type: "Integer", id: canonicalInteger(value.toString()) };
    case "object":
      if (value !== null) return canonicalTyped(value.type, value.id);
  }
  return fail("E_BAD_VALUE", `\`${String(value)}\` is not a valid value`, "values are strings, integers, booleans or `{ type, id }` objects");
}

/** A canonical pattern position: a value, or a wildcard with an optional exact type. */
export type TypedPattern = TypedValue | { readonly type: string | null; readonly id: null };

export function isWildcard(p: TypedPattern): p is { readonly type: string | null; readonly id: null } {
  return p.id === null;
}

export function toTypedPattern(pattern: ValuePattern): TypedPattern {
  if (pattern === null) return { type: null, id: null };
  if (typeof pattern === "object" && (pattern.id === null || pattern.id === undefined)) {
    const type = (pattern as { type?: unknown }).type;
    if (type === null || type === undefined) return { type: null, id: null };
    if (typeof type !== "string" || type.length === 0) fail("E_BAD_VALUE", "a wildcard's `type` must be a non-empty string", "use `null` for any value, or `{ type: \"User\" }` for any User");
    return { type, id: null };
  }
  return toTypedValue(pattern as Value);
}

export function toTypedFact(fact: Fact): readonly [string, ...TypedValue[]] {
  if (!Array.isArray(fact) || typeof fact[0] !== "string" || fact[0].length === 0) {
    fail("E_BAD_FACT", "a fact must be an array that starts with a predicate name", "write facts as `[\"has_role\", user, \"owner\", repo]`");
  }
  const [pred, ...args] = fact;
  return [pred, ...args.map((a) => toTypedValue(a))];
}

export function toTypedFactPattern(pattern: FactPattern): readonly [string, ...TypedPattern[]] {
  if (!Array.isArray(pattern) || typeof pattern[0] !== "string" || pattern[0].length === 0) {
    fail("E_BAD_FACT", "a fact pattern must be an array that starts with a predicate name", "write patterns as `[\"has_role\", null, \"owner\", { type: \"Repo\" }]`");
  }
  const [pred, ...args] = pattern;
  return [pred, ...args.map((a) => toTypedPattern(a))];
}

/** The public output form of a canonical value. */
export function toOutputValue(v: TypedValue): OutputValue {
  switch (v.type) {
    case "String":
      return v.id;
    case "Boolean":
      return v.id === "true";
    case "Integer": {
      const n = BigInt(v.id);
      return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
    }
    default:
      return { type: v.type, id: v.id };
  }
}

export function sameValue(a: TypedValue, b: TypedValue): boolean {
  return a.type === b.type && a.id === b.id;
}

/** A string key for a canonical value, for Maps and Sets (not for hot paths). */
export function valueKey(v: TypedValue): string {
  return `${v.type}\u0000${v.id}`;
}

// ---------------------------------------------------------------- CLI syntax

/**
 * Parse the CLI form: `Type:id` (split at the first `:`), `Integer:10`, `Boolean:true`,
 * `String:x`; a token without `:` is a String.
 */
export function parseValue(text: string): TypedValue {
  const colon = text.indexOf(":");
  if (colon < 0) return toTypedValue(text);
  const type = text.slice(0, colon);
  const id = text.slice(colon + 1);
  if (type.length === 0) fail("E_BAD_VALUE", `\`${text}\` has an empty type`, "write typed values as `Type:id`, such as `User:bob`");
  return canonicalTyped(type, id);
}

/** Parse a CLI pattern: `_` (any), `Type:_` (any of Type), `_:id` is not supported (ids are typed). */
export function parsePattern(text: string): TypedPattern {
  if (text === "_" || text === "_:_") return { type: null, id: null };
  const colon = text.indexOf(":");
  if (colon > 0 && text.slice(colon + 1) === "_") return { type: text.slice(0, colon), id: null };
  return parseValue(text);
}

/** Format a value in CLI form, the inverse of parseValue. */
export function formatValue(v: TypedValue): string {
  return `${v.type}:${v.id}`;
}

export function formatPattern(p: TypedPattern): string {
  if (p.id === null) return p.type === null ? "_" : `${p.type}:_`;
  return formatValue(p);
}
