// The evaluator on small hand-assembled plans (the words are described in docs/abi.md).
import {
  ioPtr, relEnsure, ensureIndexes, insertFacts, addPlans, progReset, query, outPtr, setTypes, defineValues,
  setEvalBudget, evalStatus, traceBegin, traceEnd,
} from "../index";

const V0: u32 = 0x10000;
const ARG: u32 = 1;
const PROBE: u32 = 3;
const CALL: u32 = 4;
const NOT: u32 = 5;
const EMIT: u32 = 11;
const BIND: u32 = 0;

// ------------------------------------------------------------ a tiny assembler
const code = new StaticArray<u32>(4096);
let nc: i32 = 0;
const recs = new StaticArray<u32>(256);
let nr: i32 = 0;
let nplans: u32 = 0;
let ruleAt: i32 = 0;
let planRules: u32 = 0;
let planRec: i32 = 0;

function c(x: u32): void {
  code[nc++] = x;
}
function plan(mask: u32, arity: u32, maxRegs: u32): u32 {
  planRec = nr;
  const free = ((<u32>1 << arity) - 1) & ~mask;
  recs[nr++] = mask;
  recs[nr++] = arity;
  recs[nr++] = <u32>popcnt(free);
  recs[nr++] = 0; // rules, patched
  recs[nr++] = <u32>nc;
  recs[nr++] = maxRegs;
  recs[nr++] = free;
  recs[nr++] = 0;
  planRules = 0;
  return nplans++;
}
function rule(nregs: u32): void {
  ruleAt = nc;
  c(nregs);
  c(0);
  planRules++;
  recs[planRec + 3] = planRules;
}
function endRule(): void {
  code[ruleAt + 1] = <u32>(nc - ruleAt);
}
/** Send everything assembled so far. */
function flush(): void {
  const io = ioPtr();
  for (let i = 0; i < nr; i++) store<u32>(io + (<usize>i << 2), recs[i]);
  for (let i = 0; i < nc; i++) store<u32>(io + (<usize>(nr + i) << 2), code[i]);
  addPlans(<u32>(nr / 8), <u32>nc);
  nr = 0;
  nc = 0;
}

function indexOf(rel: u32, mask: u32): u32 {
  const io = ioPtr();
  store<u32>(io, rel);
  store<u32>(io + 4, mask);
  ensureIndexes(1);
  return load<u32>(io);
}

function fact(rel: u32, a: u32, b: u32): void {
  const io = ioPtr();
  store<u32>(io, rel);
  store<u32>(io + 4, V0 + a);
  store<u32>(io + 8, V0 + b);
  insertFacts(1);
}

function ask(plan: u32, a: u32, b: u32): u32 {
  const io = ioPtr();
  store<u32>(io, V0 + a);
  store<u32>(io + 4, V0 + b);
  return query(plan, 0);
}

// plans
let reachBF: u32 = 0;
let reachBB: u32 = 0;
let unreachBB: u32 = 0;

function setup(): void {
  const io = ioPtr();
  store<u32>(io, 1);
  setTypes(1);
  for (let i: u32 = 0; i < 20001; i++) store<u32>(io + (<usize>i << 2), 0);
  defineValues(20001);
  relEnsure(0, 2); // edge/2
  relEnsure(1, 2); // node pairs for the negation test
  const e01 = indexOf(0, 0b01);
  const e11 = indexOf(0, 0b11);
  const n00 = indexOf(1, 0);
  progReset();

  // plan 0: reach^bf    reach(x,y) :- edge(x,y).   reach(x,z) :- reach(x,y), edge(y,z).
  reachBF = plan(0b01, 2, 3);
  rule(2);
  c(ARG); c(0); c(0);
  c(PROBE); c(e01); c(e01); c(1); c(0); c(0); c(1); c(1); c(1); c(BIND);
  c(EMIT); c(1); c(1);
  endRule();
  rule(3);
  c(ARG); c(0); c(0);
  c(CALL); c(0); c(0); c(1); c(0); c(0); c(1); c(1); c(1); c(BIND);
  c(PROBE); c(e01); c(e01); c(1); c(0); c(1); c(1); c(1); c(2); c(BIND);
  c(EMIT); c(1); c(2);
  endRule();

  // plan 1: reach^bb    reach(x,y) :- edge(x,y).   reach(x,z) :- edge(x,y), reach(y,z).
  reachBB = plan(0b11, 2, 3);
  rule(2);
  c(ARG); c(0); c(0);
  c(ARG); c(1); c(1);
  c(PROBE); c(e11); c(e11); c(2); c(0); c(0); c(1); c(1); c(0);
  c(EMIT); c(0);
  endRule();
  rule(3);
  c(ARG); c(0); c(0);
  c(ARG); c(1); c(2);
  c(PROBE); c(e01); c(e01); c(1); c(0); c(0); c(1); c(1); c(1); c(BIND);
  c(CALL); c(1); c(1); c(2); c(0); c(1); c(1); c(2); c(0);
  c(EMIT); c(0);
  endRule();

  // plan 2: unreach^bb(x, y) :- pair(x, y), not reach(x, y).   (mask 0 over pair: scan)
  unreachBB = plan(0b11, 2, 2);
  rule(2);
  c(ARG); c(0); c(0);
  c(ARG); c(1); c(1);
  c(PROBE); c(n00); c(n00); c(2); c(0); c(0); c(1); c(1); c(0);
  c(NOT); c(1); c(1); c(2); c(0); c(0); c(1); c(1); c(0);
  c(EMIT); c(0);
  endRule();
  flush();
}

describe("evaluator", () => {
  setup();
  // a cycle 0 -> 1 -> 2 -> 0, a tail 3 -> 0, and a self loop 5 -> 5
  fact(0, 0, 1);
  fact(0, 1, 2);
  fact(0, 2, 0);
  fact(0, 3, 0);
  fact(0, 5, 5);

  test("terminates on cycles with the full closure", () => {
    expect(ask(reachBF, 3, 0)).toBe(3);
    expect(ask(reachBF, 0, 0)).toBe(3);
    expect(ask(reachBF, 5, 0)).toBe(1);
    expect(ask(reachBF, 4, 0)).toBe(0);
    const out = outPtr();
    let sum: u32 = 0;
    ask(reachBF, 3, 0);
    for (let i: u32 = 0; i < 3; i++) sum += load<u32>(out + (<usize>i << 2)) - V0;
    expect(sum).toBe(0 + 1 + 2);
  });

  test("fully bound calls stop at the first answer", () => {
    expect(ask(reachBB, 3, 2)).toBe(1);
    expect(ask(reachBB, 2, 3)).toBe(0);
    expect(ask(reachBB, 5, 5)).toBe(1);
    expect(ask(reachBB, 0, 5)).toBe(0);
  });

  test("negation over a complete lower table", () => {
    fact(1, 3, 2);
    fact(1, 2, 3);
    expect(ask(unreachBB, 3, 2)).toBe(0);
    expect(ask(unreachBB, 2, 3)).toBe(1);
  });

  test("a 10,000-deep chain needs no host stack", () => {
    for (let i: u32 = 10; i < 10010; i++) fact(0, i, i + 1);
    expect(ask(reachBB, 10, 10010)).toBe(1);
    expect(ask(reachBB, 10010, 10)).toBe(0);
    expect(ask(reachBF, 10, 0)).toBe(10000);
    // close the loop: still terminates
    fact(0, 10010, 10);
    expect(ask(reachBF, 10, 0)).toBe(10001);
    expect(ask(reachBB, 10005, 10004)).toBe(1);
  });
});

describe("evaluation limits", () => {
  test("a step budget stops a deep query, which then runs without it", () => {
    setEvalBudget(100, 0);
    expect(ask(reachBF, 10, 0)).toBe(0xFFFFFFFF);
    expect(evalStatus()).toBe(1);
    expect(ask(reachBB, 0, 1)).toBe(1); // a short query fits
    expect(evalStatus()).toBe(0);
    setEvalBudget(0, 0);
    expect(ask(reachBF, 10, 0)).toBe(10001);
    expect(evalStatus()).toBe(0);
    expect(ask(reachBB, 10, 10010)).toBe(1);
  });
});

/** The traced records as "rel:a,b" strings (values without the V0 offset), in trace order. */
function traceStrings(n: u32): string[] {
  const out = outPtr();
  const r: string[] = [];
  for (let i: u32 = 0; i < n; i++) {
    const p = out + (<usize>(i * 3) << 2);
    r.push(load<u32>(p).toString() + ":" + (load<u32>(p, 4) - V0).toString() + "," + (load<u32>(p, 8) - V0).toString());
  }
  return r;
}

describe("fact tracing", () => {
  test("records each matched row once, including probes under negation", () => {
    traceBegin();
    expect(ask(reachBB, 3, 1)).toBe(1);
    expect(ask(reachBB, 3, 1)).toBe(1);
    const n = traceEnd();
    const t = traceStrings(n);
    expect(n).toBe(2);
    expect(t.includes("0:3,0")).toBe(true);
    expect(t.includes("0:0,1")).toBe(true);
    // not traced once ended
    ask(reachBB, 5, 5);
    traceBegin();
    expect(ask(unreachBB, 2, 3)).toBe(1);
    const m = traceEnd();
    const u = traceStrings(m);
    // the pair row, then what reach(2, 3) probed under the negation: 2 -> 0 -> 1 -> 2 (no 3)
    expect(u.includes("1:2,3")).toBe(true);
    expect(u.includes("0:2,0")).toBe(true);
    expect(u.includes("0:0,1")).toBe(true);
    expect(u.includes("0:1,2")).toBe(true);
    expect(u.includes("0:5,5")).toBe(false);
    expect(m).toBe(4);
  });
});
