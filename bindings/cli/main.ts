/**
 * A first `boreal` CLI: `validate FILE…` and `compile FILE…`. Exit codes: 0 ok, 2 usage,
 * 4 validation failure (DESIGN §6). The full oso-cloud-compatible command set builds on this.
 */
import { readFileSync } from "node:fs";
import { renderDiagnostics } from "../api/render.js";
import { analyzePolicy } from "../compile/index.js";
import { printProgram } from "../compile/print-ir.js";

const USAGE = `usage: boreal <command> FILE…

commands:
  validate FILE…   check a policy (several files load together)
  compile FILE…    check a policy and print its compiled rules`;

export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...files] = argv;
  if (command !== "validate" && command !== "compile") {
    process.stderr.write(`${command === undefined ? "" : `boreal: unknown command \`${command}\`\n`}${USAGE}\n`);
    return 2;
  }
  if (files.length === 0) {
    process.stderr.write(`boreal ${command}: no policy files given\n${USAGE}\n`);
    return 2;
  }
  let sources;
  try {
    sources = files.map((filename) => ({ filename, src: readFileSync(filename, "utf8") }));
  } catch (e) {
    process.stderr.write(`boreal: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
  const analysis = analyzePolicy(sources);
  const color = process.stderr.isTTY === true && process.env["NO_COLOR"] === undefined;
  if (analysis.diagnostics.length > 0) {
    process.stderr.write(`${renderDiagnostics(analysis.diagnostics, { sources: new Map(sources.map((s) => [s.filename, s.src])), color })}\n`);
  }
  if (analysis.program === undefined) return 4;
  if (command === "compile") process.stdout.write(`${printProgram(analysis.program)}\n`);
  else process.stdout.write(`valid: ${files.join(" ")}\n`);
  return 0;
}
