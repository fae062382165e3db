/**
 * JSON Lines for `import` / `export`: one fact per line, `["pred", arg, …]`, in the library's
 * value format: `{ "type": "User", "id": "bob" }` for entities, JSON strings for Strings,
 * numbers for Integers (`{ "type": "Integer", "id": "…" }` beyond ±2^53−1), booleans for
 * Booleans.
 */
import { type BorealError, type Diagnostic, diagnostic, FactError, isBorealError } from "../api/errors.js";
import type { Fact, TypedValue } from "../api/types.js";
import { toOutputValue, toTypedFact } from "../api/values.js";

export type TypedFact = readonly [string, ...TypedValue[]];

/** A value in the library's JSON form (the inverse of `toTypedValue`): the output form, with unsafe integers as `{type, id}`. */
export function jsonValue(v: TypedValue): unknown {
  const out = toOutputValue(v);
  return typeof out === "bigint" ? { type: "Integer", id: v.id } : out;
}

export function formatFactLine(pred: string, args: readonly TypedValue[]): string {
  return JSON.stringify([pred, ...args.map(jsonValue)]);
}

/** The same error, its message prefixed with `line N: ` (the first diagnostic only). */
export function atLine(e: BorealError, line: number): FactError {
  const [first, ...rest] = e.diagnostics;
  const d: Diagnostic = { ...(first ?? diagnostic(e.code, e.message, e.help)), message: `line ${line}: ${e.message}` };
  return new FactError(d, [d, ...rest]);
}

/** Parse and canonicalise one line; throws a FactError naming the line. */
export function parseFactLine(text: string, line: number): TypedFact {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    const reason = (e instanceof Error ? e.message : String(e)).replace(/^./, (c) => c.toLowerCase());
    throw new FactError(diagnostic("E_BAD_FACT", `line ${line}: invalid JSON: ${reason}`, "write one fact per line as a JSON array, such as `[\"has_role\", {\"type\": \"User\", \"id\": \"bob\"}, \"owner\", {\"type\": \"Repo\", \"id\": \"x\"}]`"));
  }
  try {
    return toTypedFact(json as Fact);
  } catch (e) {
    throw isBorealError(e) ? atLine(e, line) : e;
  }
}
