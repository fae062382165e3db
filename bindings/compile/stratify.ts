/**
 * Stratification (V19): the predicate dependency graph's strongly connected components in
 * dependency order. A `not` edge inside a component is recursion through negation: rejected
 * with a diagnostic that names the cycle.
 */
import { diagnostic, type Diagnostic } from "../api/errors.js";
import type { Span } from "../api/span.js";
import type { IRRule, PredKey } from "./ir.js";

interface Edge {
  readonly to: PredKey;
  readonly negative: boolean;
  readonly span: Span;
}

export interface Strata {
  /** Components, dependencies first. */
  readonly components: PredKey[][];
  readonly componentOf: ReadonlyMap<PredKey, number>;
  readonly diagnostics: Diagnostic[];
}

export function stratify(rules: readonly IRRule[], extraPredicates: Iterable<PredKey>): Strata {
  const edges = new Map<PredKey, Edge[]>();
  const node = (p: PredKey): Edge[] => {
    let list = edges.get(p);
    if (list === undefined) edges.set(p, (list = []));
    return list;
  };
  for (const p of extraPredicates) node(p);
  for (const r of rules) {
    const out = node(r.pred);
    for (const l of r.body) {
      if (l.k === "atom" || l.k === "not") {
        node(l.pred);
        out.push({ to: l.pred, negative: l.k === "not", span: l.span });
      }
    }
  }

  // Tarjan's algorithm, iterative so that long predicate chains cannot overflow the stack.
  const index = new Map<PredKey, number>();
  const low = new Map<PredKey, number>();
  const onStack = new Set<PredKey>();
  const stack: PredKey[] = [];
  const components: PredKey[][] = [];
  const componentOf = new Map<PredKey, number>();
  let counter = 0;
  for (const root of [...edges.keys()].sort()) {
    if (index.has(root)) continue;
    const work: { p: PredKey; i: number }[] = [{ p: root, i: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const out = edges.get(frame.p)!;
      if (frame.i < out.length) {
        const w = out[frame.i++]!.to;
        if (!index.has(w)) {
          index.set(w, counter);
          low.set(w, counter++);
          stack.push(w);
          onStack.add(w);
          work.push({ p: w, i: 0 });
        } else if (onStack.has(w)) {
          low.set(frame.p, Math.min(low.get(frame.p)!, index.get(w)!));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent !== undefined) low.set(parent.p, Math.min(low.get(parent.p)!, low.get(frame.p)!));
      if (low.get(frame.p) === index.get(frame.p)) {
        const component: PredKey[] = [];
        let w: PredKey;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          componentOf.set(w, components.length);
          component.push(w);
        } while (w !== frame.p);
        components.push(component.sort());
      }
    }
  }

  const diagnostics: Diagnostic[] = [];
  for (const [from, out] of edges) {
    for (const e of out) {
      if (!e.negative || componentOf.get(from) !== componentOf.get(e.to)) continue;
      const cycle = pathWithin(edges, componentOf, e.to, from);
      const shown = [from, ...cycle].map((p) => `\`${p}\``).join(" → ");
      diagnostics.push(
        diagnostic(
          "E_NEGATION_CYCLE",
          `\`${from}\` depends on itself through \`not\`: ${shown}`,
          "recursion through negation has no stratified meaning; define the negated predicate without referring back to this one",
          e.span,
        ),
      );
    }
  }
  return { components, componentOf, diagnostics };
}

/** Shortest path from `start` to `goal` inside one component (breadth-first), inclusive of both ends. */
function pathWithin(edges: ReadonlyMap<PredKey, Edge[]>, componentOf: ReadonlyMap<PredKey, number>, start: PredKey, goal: PredKey): PredKey[] {
  const comp = componentOf.get(start);
  const prev = new Map<PredKey, PredKey | null>([[start, null]]);
  const queue = [start];
  while (queue.length > 0) {
    const p = queue.shift()!;
    if (p === goal) break;
    for (const e of edges.get(p) ?? []) {
      if (componentOf.get(e.to) === comp && !prev.has(e.to)) {
        prev.set(e.to, p);
        queue.push(e.to);
      }
    }
  }
  const path: PredKey[] = [];
  for (let p: PredKey | null | undefined = goal; p != null; p = prev.get(p)) path.unshift(p);
  return path;
}
