/**
 * The `batch(tx => …)` protocol both engines share: the callback's changes are staged through
 * `stage`; after it returns, the first change that failed is rethrown (even if the callback
 * caught it), so the caller applies all staged changes or none. Using `tx` after the callback
 * ends is an error.
 */
import { diagnostic, FactError } from "../../api/errors.js";
import type { Fact, FactPattern, Transaction } from "../../api/types.js";

export interface BatchStage {
  insert(fact: Fact): void;
  delete(pattern: FactPattern): void;
}

export function stageBatch(body: (tx: Transaction) => void, stage: BatchStage): void {
  let open = true;
  let failure: { readonly error: unknown } | undefined;
  const closed = (): FactError => new FactError(diagnostic("E_BATCH_CLOSED", "the batch has ended", "make every change inside the batch callback"));
  // no closure per change: a bulk load calls insert a million times
  const tx: Transaction = {
    insert: (fact) => {
      if (!open) throw closed();
      try {
        stage.insert(fact);
      } catch (error) {
        failure ??= { error };
        throw error;
      }
    },
    delete: (pattern) => {
      if (!open) throw closed();
      try {
        stage.delete(pattern);
      } catch (error) {
        failure ??= { error };
        throw error;
      }
    },
  };
  try {
    body(tx);
  } finally {
    open = false;
  }
  if (failure !== undefined) throw failure.error;
}
