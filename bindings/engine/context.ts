/** Context facts: facts visible to one question only (inserted into the core's context, then removed exactly). */
import type { Fact } from "../api/types.js";
import type { EngineState } from "./engine-state.js";
import type { FactWriter } from "./facts.js";
import { sendWords } from "./marshal.js";
import type { Loaded } from "./policy.js";

/** Run `fn` with `contextFacts` visible. */
export function withContext<T>(st: EngineState, facts: FactWriter, s: Loaded, contextFacts: readonly Fact[] | undefined, fn: () => T): T {
  if (contextFacts === undefined || contextFacts.length === 0) return fn();
  const buf = facts.scratch;
  buf.clear();
  for (const f of contextFacts) facts.encodeFact(s, f, buf);
  st.interner.flush(st.core);
  sendWords(st.core, buf, st.relArity, (n) => st.core.x.ctxInsert(n));
  try {
    return fn();
  } finally {
    st.core.x.ctxClear();
  }
}
