// A small bounded run of the load test (bench/load.mjs): concurrent authorize calls and a writer
// through one SIGTERM restart of the real server; no request may fail, no acknowledged write may be
// lost. No timing is asserted (the figures are for bench/results/load.json).
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, tempDir } from "./helpers.js";

describe("bench/load.mjs, small", () => {
  it("keeps every request and every acknowledged write across a restart", () => {
    const t = tempDir();
    try {
      const out = join(t.dir, "load.json");
      const r = spawnSync(process.execPath, [join(ROOT, "bench/load.mjs"), "--scale=XS", "--reads=400", "--concurrency=4", "--restarts=term", "--duration=60", `--out=${out}`], { cwd: ROOT, encoding: "utf8" });
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
      const doc = JSON.parse(readFileSync(out, "utf8")) as {
        ok: boolean;
        checks: Record<string, number>;
        reads: { total: number; firstTry: number; retried: number };
        writes: { batches: number; verified: { present: number } };
        restarts: { kind: string; exit: number | string; atRead: number }[];
      };
      expect(doc.checks).toEqual({
        failedReads: 0, wrongAnswers: 0, failedWrites: 0, readBackFailed: 0, offsetRegressions: 0,
        retriesOutsideRestartWindows: 0, lostWrites: 0, resurrectedDeletes: 0, unexpectedExits: 0,
      });
      expect(doc.ok).toBe(true);
      expect(doc.reads.total).toBe(400);
      expect(doc.reads.firstTry + doc.reads.retried).toBe(400);
      expect(doc.restarts).toMatchObject([{ kind: "term", exit: 0 }]);
      expect(doc.restarts[0]!.atRead).toBeLessThan(400); // midway: reads were still running
      expect(doc.writes.batches).toBeGreaterThan(0);
      expect(doc.writes.verified.present).toBeGreaterThan(0);
    } finally {
      t.cleanup();
    }
  }, 120_000);
});
