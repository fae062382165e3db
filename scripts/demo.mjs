// The main job: every seed pattern in examples/ validated and compiled by boreal's front end,
// printing the compiled rules. (The CLI end-to-end run of commands.sh arrives with the CLI.)
import { readdirSync, readFileSync } from "node:fs";
import { analyzePolicy } from "../dist/compile/index.js";
import { printProgram } from "../dist/compile/print-ir.js";
import { renderDiagnostics } from "../dist/api/render.js";

const color = process.stdout.isTTY === true && process.env.NO_COLOR === undefined;
let failed = 0;
for (const dir of readdirSync("examples", { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()) {
  const filename = `examples/${dir}/policy.polar`;
  let src;
  try {
    src = readFileSync(filename, "utf8");
  } catch {
    continue;
  }
  console.log(`\n=== ${filename}`);
  const analysis = analyzePolicy([{ filename, src }]);
  if (analysis.diagnostics.length > 0) console.log(renderDiagnostics(analysis.diagnostics, { sources: new Map([[filename, src]]), color }));
  if (analysis.program === undefined) {
    failed++;
    console.log("invalid policy");
    continue;
  }
  const p = analysis.program;
  console.log(`valid: ${p.rules.length} rules, ${p.strata.length} strata, ${p.signatures.size} fact predicates`);
  console.log(printProgram(p));
}
if (failed > 0) {
  console.error(`\n${failed} example polic${failed === 1 ? "y is" : "ies are"} invalid`);
  process.exit(1);
}
