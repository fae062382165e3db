/**
 * Loading a slice: decode and check it completely, make sure the engine has the slice's policy,
 * then replace the stored facts. Format and policy errors leave the engine unchanged.
 */
import { decodeSlice } from "./codec.js";
import { slicePolicyMismatch } from "./errors.js";
import { SliceGuard } from "./guard.js";
import { policyHash } from "./hash.js";
import type { SliceHost } from "./host.js";

export function applySlice(host: SliceHost, bytes: Uint8Array): SliceGuard {
  const d = decodeSlice(bytes);
  const current = host.source();
  const have = current === undefined || !host.hasPolicy() ? undefined : policyHash(current);
  if (d.policy !== undefined) {
    if (policyHash(d.policy) !== d.policyHash) throw slicePolicyMismatch("its policy does not match its policy hash");
    if (have !== d.policyHash) host.loadPolicy(d.policy);
  } else if (have === undefined) {
    throw slicePolicyMismatch("it carries no policy and this engine has none loaded with policy()");
  } else if (have !== d.policyHash) {
    throw slicePolicyMismatch(`its policy hash is ${d.policyHash}, the engine's policy has ${have}`);
  }
  for (const f of d.facts) host.validate(f);
  host.replaceFacts(d.facts);
  return new SliceGuard(d.actor, host.valueId(d.actor), d.known, d.now);
}
