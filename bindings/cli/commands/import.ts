/**
 * `boreal import FILE|-`: add facts from JSON Lines (one `["pred", arg, …]` per line) in ONE
 * transaction: a bad line (bad JSON, a value, or a fact the policy rejects) aborts the whole
 * import, and the error names the line. Progress bar on a TTY; rate and total at the end.
 */
import { createReadStream, statSync } from "node:fs";
import { createInterface } from "node:readline";
import cliProgress from "cli-progress";
import { diagnostic, FactError, isBorealError } from "../../api/errors.js";
import { atLine, parseFactLine, type TypedFact } from "../../store/index.js";
import type { CommandSpec } from "../command.js";
import { createEngine } from "../engine.js";
import { EXIT } from "../exit-codes.js";
import { checkFacts, loadPolicyOnly, noPolicy, openStore } from "../session.js";

/** Lines validated per engine batch. */
const CHUNK = 10_000;

export const importFacts: CommandSpec = {
  name: "import",
  args: "<file>",
  summary: "add facts from a JSON Lines file (`-` = stdin), all or nothing",
  examples: ["boreal import facts.jsonl", "boreal export --data old | boreal import -"],
  async run({ out, dir }, [file]) {
    const fromStdin = file === "-";
    let total: number | undefined;
    if (!fromStdin) {
      const stat = statSync(file!, { throwIfNoEntry: false });
      if (stat === undefined || !stat.isFile()) {
        throw new FactError(diagnostic("E_FILE", `cannot read \`${file!}\`: ${stat === undefined ? "no such file" : "not a file"}`, "give a JSON Lines file, or `-` to read standard input"));
      }
      total = stat.size;
    }
    const engine = await createEngine();
    const store = openStore(dir, false);
    if (store === undefined) throw noPolicy(dir);

    const input = fromStdin ? process.stdin : createReadStream(file!);
    const bar = process.stderr.isTTY === true
      ? new cliProgress.SingleBar({
          stream: process.stderr,
          format: total === undefined ? "importing | {facts} facts | {rate} facts/s" : "importing [{bar}] {percentage}% | {facts} facts | {rate} facts/s | eta {eta_formatted}",
          hideCursor: false,
          gracefulExit: false,
        }, cliProgress.Presets.shades_classic)
      : undefined;
    const lines = createInterface({ input, crlfDelay: Infinity });
    let bytes = 0;
    if (bar !== undefined) input.on("data", (chunk: Buffer | string) => (bytes += chunk.length));

    const started = performance.now();
    let read = 0;
    let inserted = 0;
    let pending: { readonly line: number; readonly fact: TypedFact }[] = [];
    const flush = (): void => {
      const batch = pending;
      pending = [];
      const failed = checkFacts(engine, batch.map((p) => p.fact));
      if (failed !== undefined) {
        const line = batch[failed.index]?.line ?? 0;
        throw isBorealError(failed.error) ? atLine(failed.error, line) : failed.error;
      }
      for (const { fact } of batch) {
        const [pred, ...args] = fact;
        if (store.insertFact(pred, args)) inserted++;
      }
      const rate = Math.round(read / Math.max((performance.now() - started) / 1000, 1e-3));
      bar?.update(total === undefined ? 0 : bytes, { facts: read, rate });
    };

    store.begin();
    try {
      loadPolicyOnly(engine, store, dir);
      bar?.start(total ?? 0, 0, { facts: 0, rate: 0 });
      let line = 0;
      for await (const text of lines) {
        line++;
        if (text.trim() === "") continue;
        pending.push({ line, fact: parseFactLine(text, line) });
        read++;
        if (pending.length >= CHUNK) store.guard(flush);
      }
      store.guard(flush);
      store.commit();
    } catch (e) {
      store.rollback();
      throw e;
    } finally {
      lines.close();
      if (!fromStdin) input.destroy();
      if (total !== undefined) bar?.update(total);
      bar?.stop();
      store.close();
    }
    const seconds = (performance.now() - started) / 1000;
    const rate = Math.round(read / Math.max(seconds, 1e-3));
    out.message(`imported ${read} facts (${inserted} new) in ${seconds.toFixed(2)} s: ${rate} facts/s`);
    if (out.json) out.data({ read, inserted, seconds: Number(seconds.toFixed(3)), rate });
    return EXIT.OK;
  },
};
