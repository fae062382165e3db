/**
 * Taking a slice on the server: evaluate `allow(actor, _, _)` with tracing on; the traced rows
 * are the facts the actor's answers depend on (docs/slices.md, "Why a slice is exact").
 */
import { diagnostic, FactError } from "../api/errors.js";
import type { TypedValue, Value } from "../api/types.js";
import { toTypedValue } from "../api/values.js";
import { isWild } from "../engine/shared/answers.js";
import { encodeSlice, type SliceData, type SliceFact } from "./codec.js";
import type { SliceGuard } from "./guard.js";
import { policyHash } from "./hash.js";
import type { SliceHost } from "./host.js";

export interface SliceOptions {
  /** Carry the policy source, so `loadEngine({ slice })` alone works (default true). */
  readonly includePolicy?: boolean;
}

/** Decode the trace records `[rel, v0..]` from the output buffer. */
function readTrace(host: SliceHost, count: number): SliceFact[] {
  const core = host.core;
  const view = core.u32();
  let p = core.out();
  const facts: SliceFact[] = [];
  for (let i = 0; i < count; i++) {
    const { pred, arity } = host.relation(view[p++]!);
    const args: TypedValue[] = [];
    for (let k = 0; k < arity; k++) args.push(host.decodeValue(view[p++]!));
    facts.push([pred, ...args]);
  }
  return facts;
}

const factKey = (f: SliceFact): string => JSON.stringify(f);

/** The slice's contents for `actor` (facts sorted, so a slice is deterministic). */
export function sliceData(host: SliceHost, actor: Value, guard: SliceGuard | undefined, options: SliceOptions = {}): SliceData {
  const source = host.source();
  if (!host.hasPolicy() || source === undefined) throw new FactError(diagnostic("E_NO_POLICY", "a slice needs a policy loaded with policy()", "load the policy from its source text"));
  const a = toTypedValue(actor);
  guard?.check(host.valueId(a), () => a);
  const now = host.usesNow() ? (guard?.now ?? host.clock()) : undefined;
  const trace = host.core.x;
  trace.traceBegin();
  let answers;
  let count: number;
  try {
    answers = host.allowAnswers(a, now);
  } finally {
    count = trace.traceEnd() >>> 0;
  }
  const facts = readTrace(host, count).sort((x, y) => (factKey(x) < factKey(y) ? -1 : factKey(x) > factKey(y) ? 1 : 0));
  // wildcard resources: list expands them to the known values of every subtype
  const lat = host.lattice();
  const wildTypes = new Set<string>();
  for (const t of answers) if (t.length === 3 && isWild(t[2]!)) wildTypes.add(t[2]!.type);
  const known: TypedValue[] = [];
  for (const name of host.typeNames()) {
    if ([...wildTypes].some((s) => lat.sub(name, s))) known.push(...host.storedValues(name));
  }
  known.sort((x, y) => (x.type < y.type ? -1 : x.type > y.type ? 1 : x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  const base = { policyHash: policyHash(source), actor: a, facts, known };
  return { ...base, ...(options.includePolicy === false ? {} : { policy: source }), ...(now === undefined ? {} : { now }) };
}

export function takeSlice(host: SliceHost, actor: Value, guard: SliceGuard | undefined, options?: SliceOptions): Uint8Array {
  return encodeSlice(sliceData(host, actor, guard, options));
}
