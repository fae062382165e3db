/**
 * FNV-1a 64 over UTF-8 text, synchronous (no WebCrypto). Identifies a policy source in a slice:
 * it detects a slice taken under another policy, it does not authenticate anything.
 */
import type { PolicySource } from "../api/types.js";

const PRIME_LO = 0x1b3;
const PRIME_HI = 0x100;

/** The 64-bit FNV-1a hash of `bytes` as 16 lowercase hex digits. */
export function fnv1a64(bytes: Uint8Array): string {
  // 64-bit state as four 16-bit limbs (exact in doubles)
  let h0 = 0x2325;
  let h1 = 0x8422;
  let h2 = 0x9ce4;
  let h3 = 0xcbf2;
  for (let i = 0; i < bytes.length; i++) {
    h0 ^= bytes[i]!;
    // h * 0x100000001b3 = h * 0x1b3 + (h << 40)
    const t0 = h0 * PRIME_LO;
    const t1 = h1 * PRIME_LO;
    const t2 = h2 * PRIME_LO + h0 * PRIME_HI;
    const t3 = h3 * PRIME_LO + h1 * PRIME_HI;
    h0 = t0 & 0xffff;
    const c1 = t1 + (t0 >>> 16);
    h1 = c1 & 0xffff;
    const c2 = t2 + Math.floor(c1 / 65536);
    h2 = c2 & 0xffff;
    h3 = (t3 + Math.floor(c2 / 65536)) & 0xffff;
  }
  const hex = (n: number): string => n.toString(16).padStart(4, "0");
  return hex(h3) + hex(h2) + hex(h1) + hex(h0);
}

/** The canonical text of a policy source: the string itself, or the files as JSON. */
export function policyText(source: PolicySource): string {
  return typeof source === "string" ? source : JSON.stringify(source.map((f) => ({ filename: f.filename, src: f.src })));
}

/** The policy hash stored in a slice. */
export function policyHash(source: PolicySource): string {
  return fnv1a64(new TextEncoder().encode(policyText(source)));
}
