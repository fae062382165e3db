/** The two radix sorts that rank a type's ids must give JS string order exactly. */
import { describe, expect, it } from "vitest";
import { type IdEntries, lsdSort, radixSort } from "../../bindings/engine/id-order.js";

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
