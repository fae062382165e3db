/** The two radix sorts that rank a type's ids must give JS string order exactly. */
import { describe, expect, it } from "vitest";
import { type IdEntries, IdOrder, lsdSort, radixSort } from "../../bindings/engine/id-order.js";

function entries(texts: readonly string[]): IdEntries {
  const n = texts.length;
  const units = new Uint16Array(texts.reduce((a, t) => a + t.length, 0));
  const idx = new Int32Array(n);
  const off = new Int32Array(n);
  const len = new Int32Array(n);
  let at = 0;
  texts.forEach((t, p) => {
    idx[p] = p;
    off[p] = at;
    len[p] = t.length;
    for (let i = 0; i < t.length; i++) units[at++] = t.charCodeAt(i);
  });
  return { idx, off, len, units };
}

function sortedBy(sort: (pos: Int32Array, e: IdEntries) => void, texts: readonly string[]): string[] {
  const pos = Int32Array.from(texts.keys());
  sort(pos, entries(texts));
  return Array.from(pos, (p) => texts[p]!);
}

function random(seed: number): (m: number) => number {
  let s = seed >>> 0;
  return (m) => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return (s >>> 8) % m;
  };
}

const cases: Record<string, string[]> = {
  // numeric ids: narrow digit ranges, several positions a pass
  "prefixed numbers": Array.from({ length: 5000 }, (_, i) => `i${(i * 7919) % 5003}`).filter((t, i, a) => a.indexOf(t) === i),
  "bare numbers and prefixes of each other": ["1", "10", "100", "2", "20", "0", "01", "001", "9", "99", "990", "1000"],
  "wide code units": (() => {
    const next = random(5);
    const alphabet = ["a", "Z", "0", "\u0000", "é", "\u0100", "\uD83D\uDE00", "\uFFFF", "\uD800"];
    const out = new Set<string>();
    while (out.size < 3000) {
      let t = "";
      for (let i = 1 + next(10); i > 0; i--) t += alphabet[next(alphabet.length)];
      out.add(t);
    }
    return [...out];
  })(),
  "long shared prefixes": Array.from({ length: 400 }, (_, i) => `${"x".repeat(50)}${i % 7 === 0 ? "" : String(i)}`).filter((t, i, a) => a.indexOf(t) === i),
};

describe("id ranking sorts", () => {
  for (const [name, texts] of Object.entries(cases)) {
    const want = [...texts].sort();
    it(`lsdSort: ${name}`, () => {
      const maxLen = Math.max(...texts.map((t) => t.length));
      expect(sortedBy((pos, e) => lsdSort(pos, e, maxLen), texts)).toEqual(want);
    });
    it(`radixSort: ${name}`, () => {
      expect(sortedBy(radixSort, texts)).toEqual(want);
    });
  }
});

describe("sorting a result by ranks", () => {
  // 5,000 ids: the bitmap read spans several 1,024-rank groups; 20 ids or more are read from a bitmap
  const texts = Array.from({ length: 5000 }, (_, i) => `t${(i * 7919) % 5003}`).filter((t, i, a) => a.indexOf(t) === i);
  const n = texts.length;
  const order = new IdOrder();
  const ranks = new Int32Array(2 * n);
  const sortSubset = (picked: readonly number[]): string[] =>
    order.sort(Int32Array.from(picked), n, () => entries(texts), ranks, 1, (i) => texts[i]!);
  const subsets: Record<string, number[]> = {
    "dense, with the first and the last rank": (() => {
      const next = random(11);
      const s = new Set<number>();
      while (s.size < 900) s.add(next(n));
      const byText = texts.map((t, i) => [t, i] as const).sort((a, b) => (a[0] < b[0] ? -1 : 1));
      s.add(byText[0]![1]);
      s.add(byText[n - 1]![1]);
      return [...s];
    })(),
    "every id": texts.map((_, i) => i),
    // (after "every id": a bit left set by an earlier call would show here)
    "20 ids, the fewest that still use the bitmap": Array.from({ length: 20 }, (_, i) => (i * 97 + 5) % n),
    "one id": [1234],
    "sparse (a plain sort)": [17, 4000, 9, 2500],
  };
  for (const [name, picked] of Object.entries(subsets)) {
    it(name, () => {
      // twice: the first call ranks the type; each call must leave the scratch bitmaps clean
      for (let round = 0; round < 2; round++) expect(sortSubset(picked)).toEqual(picked.map((i) => texts[i]!).sort());
    });
  }
});
