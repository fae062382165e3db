// Unification of register values with wildcards (docs/semantics.md "Wildcards"), trailed.
import { ld, st } from "../util/mem";
import { isWild, typeOfVal, sub } from "../program/values";
import { REG_LIMIT, OPN_NOW } from "../program/program";
import { ensureTrail, nowVal, regsBuf, trTop, trail } from "./state";

// ---------------------------------------------------------------- unification

@inline export function opval(op: u32, regs: usize): u32 {
  if (op < REG_LIMIT) return ld(regs + (<usize>op << 2));
  if (op == OPN_NOW) return nowVal;
  return op;
}

@inline export function trailPush(ri: u32, old: u32): void {
  ensureTrail(trTop + 1);
  const t = trail + (<usize>trTop << 3);
  st(t, ri);
  st(t + 4, old);
  trTop++;
}

export function trailUndo(to: u32): void {
  while (trTop > to) {
    trTop--;
    const t = trail + (<usize>trTop << 3);
    st(regsBuf + (<usize>ld(t) << 2), ld(t + 4));
  }
}

/** Unify register `ri` (absolute index) with value w, narrowing a wildcard (trailed). */
export function unifyReg(ri: u32, w: u32): bool {
  const addr = regsBuf + (<usize>ri << 2);
  const v = ld(addr);
  if (v == w) return true;
  if (!isWild(v)) {
    if (!isWild(w)) return false;
    return sub(typeOfVal(v), w - 1);
  }
  const s = v - 1;
  if (!isWild(w)) {
    if (!sub(typeOfVal(w), s)) return false;
    trailPush(ri, v);
    st(addr, w);
    return true;
  }
  const t = w - 1;
  if (sub(s, t)) return true;
  if (sub(t, s)) {
    trailPush(ri, v);
    st(addr, w);
    return true;
  }
  return false;
}

/** Unify an operand with a value; only registers can narrow. */
@inline export function unifyOp(op: u32, w: u32, regBase: u32, regs: usize): bool {
  if (op < REG_LIMIT) return unifyReg(regBase + op, w);
  const v = op == OPN_NOW ? nowVal : op;
  if (v == w) return true;
  if (!isWild(w)) return false;
  return sub(typeOfVal(v), w - 1);
}
