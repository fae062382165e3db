/** The values a question's answer may range over, for answers the policy leaves open (wildcards). */
import type { TypedValue } from "../api/types.js";
import type { EngineState } from "./engine-state.js";
import { readRows } from "./marshal.js";
import type { Loaded } from "./policy.js";

/** The stored (and context) values of exactly `type`. */
export function storedValues(st: EngineState, type: string): TypedValue[] {
  const out: TypedValue[] = [];
  const t = st.interner.typeIds.get(type);
  if (t !== undefined) {
    const n = st.core.x.knownValues(t) >>> 0;
    const rows = readRows(st.core, n, 1);
    for (const v of rows) out.push(st.interner.decodeValue(v));
  }
  return out;
}

/** Known values of exactly `type`: stored and context facts, policy constants, the query (and a slice's). */
export function knownValues(st: EngineState, s: Loaded, type: string, extra: readonly TypedValue[]): TypedValue[] {
  const out = storedValues(st, type);
  if (st.sliced !== undefined) out.push(...st.sliced.known(type));
  for (const c of s.constants) if (c.type === type) out.push(c);
  for (const c of extra) if (c.type === type) out.push(c);
  return out;
}
