/**
 * The evaluation budget of one request. The engine limits each question (WasmEngine.setLimits:
 * steps and milliseconds, E_EVAL_BUDGET when over); a request may ask several questions
 * (evaluate_query asks one per atom and row), so before each question the engine gets what is
 * left of the request's time, and a request out of time stops before its next question.
 */
import { BorealError, diagnostic, isBorealError } from "../api/errors.js";
import type { EvalLimits } from "../engine/wasm-engine.js";
import type { Limits } from "./limits.js";

/** An engine with evaluation limits (WasmEngine). */
export interface Limitable {
  setLimits(limits: EvalLimits): void;
}

const TIME_HELP = "ask a smaller question, simplify the policy, or raise the server's --eval-time-ms";

function overTime(ms: number): BorealError {
  return new BorealError(diagnostic("E_EVAL_BUDGET", `evaluation exceeded its time budget of ${ms} ms`, TIME_HELP));
}

export class EvalBudget {
  private readonly deadline: number;

  constructor(private readonly engine: Limitable, private readonly limits: Limits) {
    this.deadline = performance.now() + limits.evalTimeMs;
  }

  /** Run one question within what is left of the request's budget. */
  question<T>(ask: () => T): T {
    const { evalSteps, evalTimeMs } = this.limits;
    let left = 0;
    if (evalTimeMs > 0) {
      left = this.deadline - performance.now();
      if (left <= 0) throw overTime(evalTimeMs);
    }
    this.engine.setLimits({ evalSteps, evalTimeMs: left });
    try {
      return ask();
    } catch (e) {
      // the engine names the time left; the client should see the request's budget
      if (isBorealError(e) && e.code === "E_EVAL_BUDGET" && evalTimeMs > 0 && /time budget/.test(e.message)) throw overTime(evalTimeMs);
      throw e;
    }
  }
}
