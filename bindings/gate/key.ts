/** A memo key for a value: distinct values give distinct keys (an Integer as number or bigint gives one key). */
import type { Value } from "../api/types.js";

export function valueKey(v: Value): string {
  switch (typeof v) {
    case "string":
      return `s${v}`;
    case "number":
    case "bigint":
      return `i${String(v)}`;
    case "boolean":
      return v ? "b1" : "b0";
    default:
      // Type names are identifiers, so the first NUL separates type from id.
      return `e${v.type}\u0000${v.id}`;
  }
}
