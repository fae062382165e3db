import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Fact } from "../../bindings/api/types.js";
import { rows } from "./reference-helpers.js";
import { ENGINE_KINDS } from "./engine-kinds.js";

describe.each(ENGINE_KINDS)("$name engine", ({ engineFor }) => {
  /** The transitive closure by BFS, as `"x"|"y"` rows. */
  function closure(nodes: number, edges: readonly (readonly [number, number])[]): string[] {
    const out: string[] = [];
    for (let s = 0; s < nodes; s++) {
      const seen = new Set<number>();
      const todo = [s];
      while (todo.length > 0) {
        const x = todo.pop()!;
        for (const [a, b] of edges) if (a === x && !seen.has(b)) { seen.add(b); todo.push(b); }
      }
      for (const t of seen) out.push(`"n${s}"|"n${t}"`);
    }
    return out.sort();
  }

  const SPEC = {
    rules: `
    left(x, y) :- edge(x, y).
    left(x, z) :- left(x, y), edge(y, z).
    right(x, y) :- edge(x, y).
    right(x, z) :- edge(x, y), right(y, z).
    double(x, y) :- edge(x, y).
    double(x, z) :- double(x, y), double(y, z).
    unreach(x, y) :- node(x), node(y), not left(x, y).
  `,
    signatures: { "edge/2": "any", "node/1": "any" } as const,
  };

  describe("reference evaluator: properties", () => {
    it("computes the transitive closure (three formulations) and its complement on random graphs", () => {
      const graph = fc.integer({ min: 1, max: 7 }).chain((n) =>
        fc.tuple(fc.constant(n), fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: 20 })));
      fc.assert(fc.property(graph, ([n, edges]) => {
        const facts: Fact[] = [
          ...edges.map(([a, b]): Fact => ["edge", `n${a}`, `n${b}`]),
          ...Array.from({ length: n }, (_, i): Fact => ["node", `n${i}`]),
        ];
        const e = engineFor(SPEC, facts);
        const want = closure(n, edges);
        expect(rows(e.query("left", [null, null]))).toEqual(want);
        expect(rows(e.query("right", [null, null]))).toEqual(want);
        expect(rows(e.query("double", [null, null]))).toEqual(want);
        const all: string[] = [];
        for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) all.push(`"n${a}"|"n${b}"`);
        expect(rows(e.query("unreach", [null, null]))).toEqual(all.filter((r) => !want.includes(r)).sort());
      }), { numRuns: 200 });
    });

    it("gives the same answers whatever the insertion order, and after delete + re-insert", () => {
      const edges = fc.array(fc.tuple(fc.nat(5), fc.nat(5)), { maxLength: 15 });
      fc.assert(fc.property(edges, fc.nat(), (es, seed) => {
        const facts = es.map(([a, b]): Fact => ["edge", `n${a}`, `n${b}`]);
        const shuffled = [...facts].sort((x, y) => ((JSON.stringify(x).length * 31 + seed) % 7) - ((JSON.stringify(y).length * 17 + seed) % 5));
        const a = engineFor(SPEC, facts);
        const b = engineFor(SPEC, shuffled);
        expect(rows(b.query("double", [null, null]))).toEqual(rows(a.query("double", [null, null])));
        b.delete(["edge", null, null]);
        expect(b.query("double", [null, null])).toEqual([]);
        b.batch((tx) => facts.forEach((f) => tx.insert(f)));
        expect(rows(b.query("double", [null, null]))).toEqual(rows(a.query("double", [null, null])));
      }), { numRuns: 100 });
    });
  });
});
