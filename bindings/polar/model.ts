/**
 * What a policy declares, independent of its rules: the types (with subtyping) and each
 * block's roles, permissions and relations. Built by the checker; used by desugar, compile,
 * fact validation and policy metadata.
 */
import type { BlockInfo, TypeInfo } from "../compile/ir.js";

export interface PolicyModel {
  /** Every type the policy mentions, plus the built-ins (String, Integer, Boolean, Actor, Resource). */
  readonly types: ReadonlyMap<string, TypeInfo>;
  /** Blocks by type name; the global block (if any) under "global". */
  readonly blocks: ReadonlyMap<string, BlockInfo>;
}

export const BUILTIN_TYPES: readonly TypeInfo[] = [
  { name: "String", kind: "primitive", supertypes: [] },
  { name: "Integer", kind: "primitive", supertypes: [] },
  { name: "Boolean", kind: "primitive", supertypes: [] },
  { name: "Resource", kind: "abstract", supertypes: [] },
  { name: "Actor", kind: "abstract", supertypes: ["Resource"] },
];

/** `sub ⊑ sup`: reflexive-transitive closure of `supertypes`. Unknown types are subtypes of themselves only. */
export function isSubtype(types: ReadonlyMap<string, TypeInfo>, sub: string, sup: string): boolean {
  if (sub === sup) return true;
  const seen = new Set<string>([sub]);
  const stack = [sub];
  while (stack.length > 0) {
    const t = types.get(stack.pop()!);
    if (t === undefined) continue;
    for (const s of t.supertypes) {
      if (s === sup) return true;
      if (!seen.has(s)) {
        seen.add(s);
        stack.push(s);
      }
    }
  }
  return false;
}
