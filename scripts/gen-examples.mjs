// Regenerates examples/<pattern>/{policy.polar,commands.sh} from the conformance cases:
// one directory per seed pattern, with the corrected policy and the seed's own CLI lines
// (`oso-cloud` replaced by `boreal`). test/unit/examples.test.ts keeps them in sync.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";

const dir = "test/conformance/cases";
for (const file of readdirSync(dir).filter((f) => /^seed-\d+-.*\.json$/.test(f)).sort()) {
  const c = JSON.parse(readFileSync(`${dir}/${file}`, "utf8"));
  if (!Array.isArray(c.seed_cli) || c.seed_cli.length === 0) continue; // not a seed CLI example
  const out = `examples/${c.name.replace(/^seed-/, "")}`;
  mkdirSync(out, { recursive: true });
  writeFileSync(`${out}/policy.polar`, c.policy);
  const lines = c.seed_cli.map((l) => l.replace(/^oso-cloud /, "boreal "));
  writeFileSync(`${out}/commands.sh`, `#!/usr/bin/env bash\n# ${c.seed_pattern}\n# The seed's CLI example, with \`oso-cloud\` replaced by \`boreal\`.\nset -euo pipefail\n${lines.join("\n")}\n`);
}
