// Small statistics helpers (all inputs are plain arrays or typed arrays of numbers).

export function percentile(values, p) {
  const n = values.length;
  if (n === 0) return null;
  const sorted = Float64Array.from(values).sort();
  // nearest-rank on a sorted copy
  const idx = Math.min(n - 1, Math.max(0, Math.ceil((p / 100) * n) - 1));
  return sorted[idx];
}

export function median(values) {
  const xs = values.filter((v) => typeof v === "number" && Number.isFinite(v));
  if (xs.length === 0) return null;
  xs.sort((a, b) => a - b);
  const m = xs.length >> 1;
  return xs.length % 2 ? xs[m] : (xs[m - 1] + xs[m]) / 2;
}

export function mean(values) {
  if (values.length === 0) return null;
  let s = 0;
  for (const v of values) s += v;
  return s / values.length;
}

/** Summary of per-op latencies in ns -> µs figures. */
export function latencySummary(ns) {
  if (ns.length === 0) return { n: 0, p50: null, p99: null, mean: null, max: null };
  const sorted = Float64Array.from(ns).sort();
  const at = (p) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
  let s = 0;
  for (const v of sorted) s += v;
  return {
    n: sorted.length,
    p50: at(0.5) / 1000,
    p99: at(0.99) / 1000,
    mean: s / sorted.length / 1000,
    max: sorted[sorted.length - 1] / 1000,
  };
}
