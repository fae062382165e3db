// Builds whatever is missing or older than its sources, so `npm test` and `npm run demo`
// work on a fresh clone without a separate build step.
import { execSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

function newest(dir) {
  let t = 0;
  if (!existsSync(dir)) return t;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== "__tests__") t = Math.max(t, newest(p));
    } else t = Math.max(t, statSync(p).mtimeMs);
  }
  return t;
}

function mtime(file) {
  return existsSync(file) ? statSync(file).mtimeMs : 0;
}

function run(script) {
  console.error(`[ensure-built] npm run ${script}`);
  execSync(`npm run ${script}`, { stdio: "inherit" });
}

const wasmInputs = Math.max(newest("assembly"), mtime("asconfig.json"));
if (existsSync("asconfig.json") && mtime("build/engine.wasm") < wasmInputs) run("build:wasm");
const tsInputs = Math.max(newest("bindings"), mtime("tsconfig.json"), mtime("tsconfig.build.json"));
if (mtime("dist/.built") < tsInputs) run("build:ts");
