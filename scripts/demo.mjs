// The main job: every seed pattern in examples/ run through the real `boreal` CLI.
//
// For each examples/<pattern>/ (policy.polar + commands.sh): a fresh temporary store, the
// policy file printed, `boreal policy policy.polar`, then each `boreal …` line of commands.sh
// (BOREAL_DATA points at the temporary store). Every `tell` and every `authorize` is printed,
// with its answer. The demo fails when an authorize answer differs from the one the pattern's
// conformance case (test/conformance/cases/seed-<pattern>.json) expects.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { splitWords } from "../dist/cli/args.js";

const root = resolve(new URL("..", import.meta.url).pathname);
const bin = join(root, "bin", "boreal.js");
const tty = process.stdout.isTTY === true && !process.env.NO_COLOR;
const paint = (code, s) => (tty ? `\u001b[${code}m${s}\u001b[0m` : s);
const dim = (s) => paint("2", s);

/** Run one `boreal` command line (without the word `boreal`) in the example's directory. */
function boreal(words, cwd, data) {
  const r = spawnSync(process.execPath, [bin, ...words], { cwd, encoding: "utf8", env: { ...process.env, BOREAL_DATA: data } });
  return { code: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
}

function indent(text, prefix = "    ") {
  return text.trimEnd().split("\n").map((l) => prefix + l).join("\n");
}

/** The authorize answers the conformance case expects, keyed by "actor action resource". */
function expectations(pattern) {
  const file = join(root, "test", "conformance", "cases", `seed-${pattern}.json`);
  if (!existsSync(file)) return new Map();
  const c = JSON.parse(readFileSync(file, "utf8"));
  const out = new Map();
  for (const check of c.checks ?? []) {
    if (check.op !== "authorize" || (check.context_facts ?? []).length > 0) continue;
    const key = `${check.actor} ${check.action} ${check.resource}`;
    if (!out.has(key)) out.set(key, check.expect);
  }
  return out;
}

const problems = [];
let answers = 0;
const patterns = readdirSync(join(root, "examples"), { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(root, "examples", d.name, "commands.sh")))
  .map((d) => d.name)
  .sort();

for (const pattern of patterns) {
  const dir = join(root, "examples", pattern);
  const data = mkdtempSync(join(tmpdir(), `boreal-demo-${pattern}-`));
  const expected = expectations(pattern);
  try {
    console.log(`\n${paint("1", `=== examples/${pattern}`)}`);
    console.log(dim(`--- policy.polar`));
    console.log(indent(readFileSync(join(dir, "policy.polar"), "utf8")));
    console.log(dim("---"));

    const saved = boreal(["policy", "policy.polar"], dir, data);
    console.log(`$ boreal policy policy.polar`);
    console.log(dim(indent(saved.stderr.replace(/ in \S+boreal\.db$/m, ""), "  ")));
    if (saved.code !== 0) {
      console.log(indent(saved.stderr));
      problems.push(`${pattern}: \`boreal policy policy.polar\` failed (exit ${saved.code})`);
      continue;
    }

    const lines = readFileSync(join(dir, "commands.sh"), "utf8").split("\n");
    for (const line of lines) {
      if (!/^boreal\s/.test(line.trim())) continue; // comments, the shebang, `set -euo pipefail`
      const args = splitWords(line.trim()).slice(1);
      const r = boreal(args, dir, data);
      if (args[0] === "authorize") {
        const answer = r.code === 0 ? "allowed" : r.code === 3 ? "denied" : `error (exit ${r.code})`;
        const key = args.slice(1, 4).join(" ");
        const want = expected.get(key);
        const wantText = want === undefined ? undefined : want ? "allowed" : "denied";
        const ok = wantText === answer;
        answers++;
        console.log(`$ ${line.trim()}`);
        console.log(`  -> ${paint(ok ? "32" : "31", answer)}${ok ? "" : `   (expected ${wantText ?? "an answer from the conformance case, but it has none"})`}`);
        if (r.code !== 0 && r.code !== 3) console.log(indent(r.stderr));
        if (!ok) problems.push(`${pattern}: \`${line.trim()}\` answered ${answer}, expected ${wantText ?? "(no expectation found)"}`);
      } else {
        console.log(`$ ${line.trim()}`);
        if (r.stdout.trim() !== "") console.log(indent(r.stdout, "  "));
        if (r.code === 0 && r.stderr.trim() !== "") console.log(dim(indent(r.stderr, "  ")));
        if (r.code !== 0) {
          console.log(indent(r.stderr));
          problems.push(`${pattern}: \`${line.trim()}\` failed (exit ${r.code})`);
        }
      }
    }
  } finally {
    rmSync(data, { recursive: true, force: true });
  }
}

console.log("");
if (problems.length > 0) {
  console.error(paint("31", `${problems.length} problem${problems.length === 1 ? "" : "s"}:`));
  for (const p of problems) console.error(`  ${p}`);
  process.exit(1);
}
console.log(paint("32", `${patterns.length} seed patterns, ${answers} authorize answers, all as the conformance cases expect`));
