/** Evaluation limits per question (steps, milliseconds) and the error for a question over them. */
import { BorealError, diagnostic, FactError } from "../api/errors.js";
import type { Core } from "./memory.js";

/** Limits on each evaluation (0 or absent = none); see WasmEngine.setLimits. */
export interface EvalLimits {
  /** the most machine steps one question may take */
  readonly evalSteps?: number;
  /** the most milliseconds one question may take (checked every 1024 steps) */
  readonly evalTimeMs?: number;
}

/** A core query's result when it was stopped by a limit (docs/abi.md). */
export const OVER_BUDGET = 0xffffffff;

/** `limits` checked and normalised (absent = 0); throws E_BAD_LIMIT. */
export function checkLimits(limits: EvalLimits): Required<EvalLimits> {
  const check = (name: string, v: unknown): number => {
    if (v === undefined) return 0;
    if (typeof v !== "number" || !Number.isFinite(v) || v < 0) {
      throw new FactError(diagnostic("E_BAD_LIMIT", `the limit \`${name}\` must be a non-negative finite number, got \`${String(v)}\``, "pass a number such as 50 (0 means no limit)"));
    }
    return v;
  };
  if (typeof limits !== "object" || limits === null) throw new FactError(diagnostic("E_BAD_LIMIT", "the limits must be an object", "pass `{ evalSteps, evalTimeMs }`"));
  return { evalSteps: check("evalSteps", limits.evalSteps), evalTimeMs: check("evalTimeMs", limits.evalTimeMs) };
}

/** The error for a core query that returned OVER_BUDGET under `limits`. */
export function overBudget(core: Core, limits: EvalLimits): BorealError {
  const help = "raise the limit with setLimits({ evalTimeMs }) or simplify the policy";
  if ((core.x.evalStatus() >>> 0) === 2) {
    return new BorealError(diagnostic("E_EVAL_BUDGET", `evaluation exceeded its time budget of ${limits.evalTimeMs ?? 0} ms`, help));
  }
  return new BorealError(diagnostic("E_EVAL_BUDGET", `evaluation exceeded its budget of ${limits.evalSteps ?? 0} steps`, "raise the limit with setLimits({ evalSteps }) or simplify the policy"));
}
