// Evaluation limits: a step budget and a wall-clock budget per query (setEvalBudget).
//
// The machine keeps a local countdown of steps (one per loop iteration) and calls budgetNext()
// when it reaches 0: that accounts the chunk of steps, checks the limits and returns the next
// chunk (0 = stop). Without limits the chunk is 2^30 steps, so the hot path is one decrement
// and one branch.

/** Milliseconds from the host (performance.now()); read only when a time budget is set. */
@external("env", "boreal_now")
declare function boreal_now(): f64;

export const EVAL_OK: u32 = 0;
export const EVAL_STEPS: u32 = 1;
export const EVAL_TIME: u32 = 2;

const CHECK_EVERY: u32 = 1024;
const UNLIMITED_CHUNK: u32 = 1 << 30;

let maxSteps: f64 = 0;
let budgetMs: f64 = 0;
let stepsDone: f64 = 0;
let startMs: f64 = 0;
let chunk: u32 = 0;
/** Status of the last query (EVAL_*). */
export let evalStatusVal: u32 = 0;

/** Set the limits (0 = none); they hold until changed. */
export function setBudget(steps: f64, ms: f64): void {
  maxSteps = steps > 0 ? Math.floor(steps) : 0;
  budgetMs = ms > 0 ? ms : 0;
}

function nextChunk(): u32 {
  if (maxSteps == 0 && budgetMs == 0) return UNLIMITED_CHUNK;
  let c = CHECK_EVERY;
  if (maxSteps > 0) {
    const rem = maxSteps - stepsDone; // steps still allowed; one more than that aborts
    if (rem < <f64>c) c = <u32>(rem < 0 ? 0 : rem) + 1;
  }
  return c;
}

/** Start a query: reset the status and return the first chunk of steps. */
export function budgetStart(): u32 {
  evalStatusVal = EVAL_OK;
  stepsDone = 0;
  if (budgetMs > 0) startMs = boreal_now();
  chunk = nextChunk();
  return chunk;
}

/** The countdown reached 0: account the chunk, check the limits; the next chunk, or 0 to stop. */
export function budgetNext(): u32 {
  stepsDone += <f64>chunk;
  if (maxSteps > 0 && stepsDone > maxSteps) {
    evalStatusVal = EVAL_STEPS;
    return 0;
  }
  if (budgetMs > 0 && boreal_now() - startMs > budgetMs) {
    evalStatusVal = EVAL_TIME;
    return 0;
  }
  chunk = nextChunk();
  return chunk;
}

// ---- snapshot support (docs/abi.md "Snapshots"); f64 globals take two words

/** Number of u32 words saved by saveBudgetGlobals. */
export const BUDGET_GLOBALS: u32 = 10;

export function saveBudgetGlobals(p: usize): usize {
  store<f64>(p + 0, maxSteps);
  store<f64>(p + 8, budgetMs);
  store<f64>(p + 16, stepsDone);
  store<f64>(p + 24, startMs);
  store<u32>(p + 32, <u32>chunk);
  store<u32>(p + 36, <u32>evalStatusVal);
  return p + 40;
}

export function loadBudgetGlobals(p: usize): usize {
  maxSteps = load<f64>(p + 0);
  budgetMs = load<f64>(p + 8);
  stepsDone = load<f64>(p + 16);
  startMs = load<f64>(p + 24);
  chunk = load<u32>(p + 32);
  evalStatusVal = load<u32>(p + 36);
  return p + 40;
}
