// Correctness: compare every run's answers with an oracle, then aggregate figures (medians over
// repetitions). A run that disagrees anywhere (or errors on a measured call) is INVALID.
//
// Oracle per (workload, scale):
//   XS (validation scale): boreal-ref, boreal's reference evaluator, i.e. Polar semantics;
//   S / M / L:             boreal, or the JS floor while boreal is unavailable or failed.
// Cross-check: when boreal is the oracle, it must also agree with the JS floor (which XS validates
// against the reference evaluator); a disagreement there is a failure too.
import { median } from "./stats.mjs";

function compareSeq(a, b) {
  // a, b: strings (checks) or arrays (actions/list prints); compare the common prefix
  if (!a || !b) return null;
  const n = Math.min(a.length, b.length);
  let bad = 0, first = -1;
  for (let k = 0; k < n; k++) if (a[k] !== b[k]) { bad++; if (first < 0) first = k; }
  return { compared: n, mismatches: bad, first };
}

function errorsIn(ans) {
  if (!ans) return 0;
  let e = 0;
  for (const x of ans) if (x === "E" || x === "?") e++;
  return e;
}

function oracleFor(group, scale) {
  const ok = (p) => group.find((r) => r.peer === p && r.rep === 0 && r.status === "ok" && errorsIn(r.answers?.checks) === 0);
  if (scale === "XS") return ok("boreal-ref") ?? ok("js-floor") ?? null;
  return ok("boreal") ?? ok("js-floor") ?? null;
}

export function compareRuns(run, oracle) {
  const reasons = [];
  const detail = {};
  const A = run.answers ?? {};
  const O = oracle.answers ?? {};
  for (const [k, label] of [["checks", "checks"], ["checkHandles", "checks (handles)"], ["actions", "actions"], ["list", "lists"]]) {
    const oKey = k === "checkHandles" ? "checks" : k;
    if (!A[k] || !O[oKey]) continue;
    const c = compareSeq(A[k], O[oKey]);
    detail[k] = c;
    const errs = errorsIn(A[k]);
    if (c.mismatches > 0) reasons.push(`${c.mismatches}/${c.compared} ${label} disagree with ${oracle.peer}${errs ? ` (${errs} raised errors)` : ""}`);
  }
  if (run.list === null && oracle.list && run.peer !== oracle.peer) detail.list = "not supported";
  return { reasons, detail };
}

const key = (r) => `${r.peer}|${r.workload}|${r.scale}`;

export function verifyAll(runs) {
  const failures = [];
  const expected = [];
  const groups = new Map();
  for (const r of runs) {
    const g = `${r.workload}|${r.scale}`;
    if (!groups.has(g)) groups.set(g, []);
    groups.get(g).push(r);
  }
  const summary = { oracles: {}, crossChecks: {} };
  for (const [g, group] of groups) {
    const scale = g.split("|")[1];
    const oracle = oracleFor(group, scale);
    summary.oracles[g] = oracle ? oracle.peer : null;
    for (const r of group) {
      r.verdict = { status: r.status === "ok" ? "ok" : r.status, reasons: [] };
      if (r.status !== "ok") {
        if (r.status !== "unavailable") failures.push(`${r.peer} ${r.workload} ${r.scale} rep${r.rep}: ${r.status}: ${(r.error ?? "").split("\n")[0]}`);
        else r.verdict.reasons.push(r.reason);
        continue;
      }
      if (!oracle) {
        r.verdict.status = "unverified";
        r.verdict.reasons.push("no oracle run succeeded");
        failures.push(`${r.peer} ${r.workload} ${r.scale}: unverified (no oracle)`);
        continue;
      }
      if (r === oracle) { r.verdict.oracle = true; continue; }
      const c = compareRuns(r, oracle);
      r.verdict.detail = c.detail;
      if (c.reasons.length) {
        r.verdict.status = "INVALID";
        r.verdict.reasons.push(...c.reasons);
        if (r.check?.firstError) r.verdict.reasons.push(`first error: ${r.check.firstError}`);
        if (r.knownInvalid) {
          // a documented limitation of that peer on that workload: still INVALID, but expected
          r.verdict.expected = r.knownInvalid;
          expected.push(`${r.peer} ${r.workload} ${r.scale} rep${r.rep}: INVALID as expected (${r.knownInvalid})`);
          continue;
        }
        failures.push(`${r.peer} ${r.workload} ${r.scale} rep${r.rep}: INVALID: ${c.reasons.join("; ")}${r.check?.firstError ? ` (first error: ${r.check.firstError.split("\n")[0]})` : ""}`);
      }
    }
    // cross-check: boreal as oracle must agree with the JS floor
    if (oracle && oracle.peer === "boreal") {
      const floor = group.find((r) => r.peer === "js-floor" && r.rep === 0 && r.status === "ok");
      if (floor) {
        const c = compareRuns(floor, oracle);
        summary.crossChecks[g] = c.reasons.length ? c.reasons : "agree";
        if (c.reasons.length) {
          oracle.verdict.status = "DISPUTED";
          oracle.verdict.reasons.push(`js-floor disagrees: ${c.reasons.join("; ")}`);
          failures.push(`boreal ${g.replace("|", " ")}: boreal and js-floor disagree (${c.reasons.join("; ")})`);
        }
      }
    }
  }

  // ---- aggregate (medians over repetitions)
  const agg = new Map();
  for (const r of runs) {
    if (!agg.has(key(r))) agg.set(key(r), []);
    agg.get(key(r)).push(r);
  }
  const aggregate = [];
  const MB = 1024 * 1024;
  for (const [, rs] of agg) {
    const ok = rs.filter((r) => r.status === "ok");
    const first = rs[0];
    const statuses = rs.map((r) => r.verdict?.status ?? r.status);
    const status = statuses.find((s) => s === "INVALID" || s === "DISPUTED" || s === "crashed" || s === "error" || s === "timeout" || s === "unverified") ?? statuses[0];
    const reasons = [...new Set(rs.flatMap((r) => r.verdict?.reasons ?? []).concat(rs.filter((r) => r.error).map((r) => r.error.split("\n")[0])))];
    const m = (f) => median(ok.map(f).filter((x) => typeof x === "number" && Number.isFinite(x)));
    const a = {
      expected: ok.find((r) => r.verdict?.expected)?.verdict.expected ?? null,
      limitation: ok.find((r) => r.knownInvalid)?.knownInvalid ?? null,
      peer: first.peer, workload: first.workload, scale: first.scale, status, reasons, reps: ok.length,
      oracle: rs.some((r) => r.verdict?.oracle),
      facts: ok[0]?.facts ?? null,
      ingestFactsPerSec: m((r) => r.ingest?.factsPerSec),
      ingestMs: m((r) => r.ingest?.ms),
      restoreFactsPerSec: m((r) => (r.restore?.same === false ? null : r.restore?.factsPerSec)),
      restoreMs: m((r) => r.restore?.ms),
      restoreMB: m((r) => (r.restore ? r.restore.bytes / (1024 * 1024) : null)),
      restoreMismatch: rs.some((r) => r.restore?.same === false),
      openMs: m((r) => r.openMs),
      checkP50: m((r) => r.check?.p50),
      checkP99: m((r) => r.check?.p99),
      checkMean: m((r) => r.check?.mean),
      batchMean: m((r) => r.check?.batchMeanUs),
      checkN: ok.length ? Math.min(...ok.map((r) => r.check?.n ?? 0)) : null,
      checkRequested: ok[0]?.check?.requested ?? null,
      checkCapped: ok.some((r) => r.check?.capped),
      checkErrors: ok.reduce((s, r) => s + (r.check?.errors ?? 0), 0),
      allowedPct: m((r) => r.check?.allowedPct),
      handlesP50: m((r) => r.checkHandles?.p50),
      firstPassP50: m((r) => r.warmupCheckP50),
      actionsP50: m((r) => r.actions?.p50),
      actionsP99: m((r) => r.actions?.p99),
      actionsN: ok.length && ok[0].actions ? Math.min(...ok.map((r) => r.actions?.n ?? 0)) : null,
      actionsCapped: ok.some((r) => r.actions?.capped),
      listMs: m((r) => r.list?.ms),
      listMeanMs: m((r) => (r.list?.mean ?? null) === null ? null : r.list.mean / 1000),
      listNsPerId: m((r) => r.list?.nsPerId),
      listOverUsP50: m((r) => r.list?.overUsP50),
      listMeanIds: m((r) => r.list?.meanIds),
      listN: ok.length && ok[0].list ? Math.min(...ok.map((r) => r.list?.n ?? 0)) : null,
      listCapped: ok.some((r) => r.list?.capped),
      peakRssMB: m((r) => r.peakRss / MB),
      rssDeltaMB: m((r) => r.memory?.rssDeltaIngest / MB),
      heapDeltaMB: m((r) => r.memory?.heapDeltaIngest / MB),
      wasmMB: m((r) => r.memory?.wasmBytesEnd / MB),
      wasmDeltaMB: m((r) => r.memory?.wasmDeltaIngest / MB),
      bytesPerFact: m((r) => (r.facts ? Math.max(0, r.memory?.rssDeltaIngest) / r.facts : null)),
      wasmBytesPerFact: m((r) => (r.facts && r.memory?.wasmDeltaIngest ? r.memory.wasmDeltaIngest / r.facts : null)),
      storeBytesPerFact: m((r) => (r.facts && r.memory?.storeBytes ? r.memory.storeBytes / r.facts : null)),
      timerOverheadUs: m((r) => r.timerOverheadUs),
      wallSeconds: rs.reduce((s, r) => s + (r.wallMs ?? 0), 0) / 1000,
      ingestInfo: ok[0]?.ingest ? Object.fromEntries(Object.entries(ok[0].ingest).filter(([k]) => !["ms", "factsPerSec"].includes(k))) : null,
      extra: ok[0]?.extra ?? null,
      description: ok[0]?.description ?? null,
    };
    aggregate.push(a);
  }
  summary.expectedInvalid = expected;
  return { summary, aggregate, failures, expected };
}
