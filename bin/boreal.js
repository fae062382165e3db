#!/usr/bin/env node
// The `boreal` command. The CLI lives in dist/cli (built from bindings/cli).
// A closed pipe (`boreal export | head`) ends the command quietly.
process.stdout.on("error", (err) => {
  if (err && err.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw err;
});
import("../dist/cli/main.js")
  .then((cli) => cli.main(process.argv.slice(2)))
  .then((code) => {
    process.exitCode = code;
  })
  .catch((err) => {
    console.error(`boreal: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  });
