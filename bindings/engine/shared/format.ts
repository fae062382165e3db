/**
 * Formatting values, answers and facts for messages (errors, warnings, test failures).
 * Polar literal syntax: `User{"bob"}`, `"read"`, `42`, `true`; a wildcard is `_: User`.
 */
import type { TypedValue } from "../../api/types.js";
import type { Signature } from "../../compile/ir.js";
import type { AVal } from "./answers.js";

export function formatPolarValue(v: AVal): string {
  if (v.id === null) return `_: ${v.type}`;
  switch (v.type) {
    case "String":
      return JSON.stringify(v.id);
    case "Integer":
    case "Boolean":
      return v.id;
    default:
      return `${v.type}{${JSON.stringify(v.id)}}`;
  }
}

export function formatFact(pred: string, args: readonly TypedValue[]): string {
  return `${pred}(${args.map(formatPolarValue).join(", ")})`;
}

/** `has_role(Actor, String, _)`: a signature, with `_` for "any value". */
export function formatSignature(pred: string, sig: Signature): string {
  return `${pred}(${sig.map((t) => t ?? "_").join(", ")})`;
}

/** "a", "a or b", "a, b or c". */
export function orList(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} or ${items[items.length - 1]!}`;
}

/** Levenshtein distance (for "did you mean"). */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur.push(Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

/** The closest candidate within a distance of max(1, ⌊len/3⌋), ties broken alphabetically. */
export function didYouMean(name: string, candidates: Iterable<string>): string | undefined {
  const limit = Math.max(1, Math.floor(name.length / 3));
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of [...new Set(candidates)].sort()) {
    const d = editDistance(name, c);
    if (d <= limit && d < bestD) {
      best = c;
      bestD = d;
    }
  }
  return best;
}
