/**
 * "Did you mean" suggestions: the nearest candidate by edit distance (Levenshtein with
 * adjacent transpositions), within a distance that grows with the length of the name.
 */

/** Optimal-string-alignment distance: insertions, deletions, substitutions and adjacent swaps cost 1. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let prev2: number[] = [];
  let prev: number[] = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur: number[] = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d = Math.min(d, (prev2[j - 2] ?? 0) + 1);
      }
      cur.push(d);
    }
    prev2 = prev;
    prev = cur;
  }
  return prev[b.length] ?? 0;
}

/** The largest distance at which a candidate still looks like a typo of a name of this length. */
export function maxTypoDistance(name: string): number {
  if (name.length <= 2) return 0;
  if (name.length <= 5) return 1;
  return 2;
}

/**
 * The candidate nearest to `name` (never `name` itself), or undefined when none is close
 * enough. A candidate that differs only in letter case always wins. Ties go to the first
 * candidate in iteration order.
 */
export function suggest(name: string, candidates: Iterable<string>, maxDistance: number = maxTypoDistance(name)): string | undefined {
  const lower = name.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    if (c === name) continue;
    if (c.toLowerCase() === lower) return c;
    // Cheap lower bound: the length difference.
    if (Math.abs(c.length - name.length) > maxDistance) continue;
    const d = editDistance(name, c);
    if (d <= maxDistance && d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

/** "did you mean `x`?" or the fallback help. */
export function didYouMean(name: string, candidates: Iterable<string>, fallback: string): string {
  const s = suggest(name, candidates);
  return s === undefined ? fallback : `did you mean \`${s}\`?`;
}
