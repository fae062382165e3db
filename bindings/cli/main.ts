/**
 * The `boreal` command line (DESIGN §6), mirroring `oso-cloud`: argument parsing with
 * commander, one module per command in ./commands, state in the SQLite store (../store).
 * Exit codes: exit-codes.ts.
 */
import { readFileSync } from "node:fs";
import { Command, CommanderError } from "commander";
import { isBorealError, PolarError } from "../api/errors.js";
import { didYouMean } from "../engine/shared/format.js";
import type { CommandSpec } from "./command.js";
import { actions } from "./commands/actions.js";
import { authorize } from "./commands/authorize.js";
import { clear } from "./commands/clear.js";
import { compile } from "./commands/compile.js";
import { del } from "./commands/delete.js";
import { exportFacts } from "./commands/export.js";
import { get } from "./commands/get.js";
import { importFacts } from "./commands/import.js";
import { list } from "./commands/list.js";
import { policy } from "./commands/policy.js";
import { query } from "./commands/query.js";
import { serve } from "./commands/serve.js";
import { tell } from "./commands/tell.js";
import { test } from "./commands/test.js";
import { validate } from "./commands/validate.js";
import { EXIT } from "./exit-codes.js";
import { Output } from "./output.js";
import { dataDir } from "./session.js";
import { UsageError } from "./usage.js";

export const COMMANDS: readonly CommandSpec[] = [
  policy, validate, test, compile,
  tell, del, get, clear,
  authorize, list, actions, query,
  importFacts, exportFacts, serve,
];

function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version?: string };
    return pkg.version ?? "unknown";
  } catch {
    return "unknown";
  }
}

const FOOTER = `
Values: \`Type:id\` (User:bob, Integer:10, Boolean:true, String:owner); a word without \`:\` is a
String. Patterns (delete, get, query): \`_\` = any value, \`Type:_\` = any value of Type.
Store: --data DIR, else $BOREAL_DATA, else ./.boreal (the database is DIR/boreal.db).
Exit codes: 0 ok/allowed, 1 error, 2 usage, 3 denied, 4 invalid policy or failed tests.`;

function usageJson(message: string, help: string): string {
  return JSON.stringify({ code: "E_USAGE", message, help, diagnostics: [{ code: "E_USAGE", severity: "error", message, help }] });
}

export async function main(argv: readonly string[]): Promise<number> {
  const dashdash = argv.indexOf("--");
  const json = (dashdash < 0 ? argv : argv.slice(0, dashdash)).includes("--json");
  const out = new Output(json);
  let code: number = EXIT.OK;

  const program = new Command("boreal")
    .description("boreal: an Oso-Cloud-compatible Polar authorization engine, on a local store")
    .version(version(), "-V, --version")
    .usage("<command> [arguments] [options]")
    .option("--data <dir>", "the store directory (default: $BOREAL_DATA or ./.boreal)")
    .option("--json", "print JSON (errors as the shared error shape, on stderr)")
    .configureHelp({ showGlobalOptions: true })
    .exitOverride()
    .showSuggestionAfterError(false)
    .showHelpAfterError(!json)
    .configureOutput({
      writeOut: (s) => process.stdout.write(s),
      writeErr: (s) => process.stderr.write(s),
      outputError: (s, write) => write(json ? `${usageJson(s.replace(/^error: /, "").trim(), "run `boreal <command> --help` for the usage")}\n` : s),
    })
    .addHelpText("after", FOOTER);

  for (const spec of COMMANDS) {
    const cmd = program.command(spec.args === "" ? spec.name : `${spec.name} ${spec.args}`).description(spec.summary);
    spec.options?.(cmd);
    if (spec.context === true) {
      cmd.option("-c, --context <fact>", "a context fact in CLI syntax, such as \"is_public Repo:x\" (repeatable)", (v: string, prev: string[]) => [...prev, v], [] as string[]);
    }
    cmd
      .addHelpText("after", `\nExamples:\n${spec.examples.map((e) => `  ${e}`).join("\n")}`)
      .action(async (...params: unknown[]) => {
        const self = params[params.length - 1] as Command;
        // --data and --json are global: accepted before or after the command name.
        const opts = self.optsWithGlobals<Record<string, unknown>>();
        const ctx = { out, dir: dataDir(opts as { data?: string }), opts };
        try {
          code = await spec.run(ctx, self.args);
        } catch (e) {
          if (e instanceof UsageError) {
            if (json) process.stderr.write(`${usageJson(e.message, `run \`boreal ${spec.name} --help\` for the usage`)}\n`);
            else process.stderr.write(`error: ${e.message}\n\n${self.helpInformation()}`);
            code = EXIT.USAGE;
            return;
          }
          out.error(e);
          code = isBorealError(e) && (e instanceof PolarError || e.code === "E_TESTS_FAILED") ? EXIT.INVALID : EXIT.ERROR;
        }
      });
  }

  const first = argv[0];
  if (first === undefined) {
    process.stderr.write(`${program.helpInformation()}${FOOTER.slice(1)}\n`);
    return EXIT.USAGE;
  }
  const names = COMMANDS.map((c) => c.name);
  if (!first.startsWith("-") && first !== "help" && !names.includes(first)) {
    const guess = didYouMean(first, names);
    const message = `unknown command \`${first}\`${guess === undefined ? "" : `; did you mean \`${guess}\`?`}`;
    if (json) process.stderr.write(`${usageJson(message, "run `boreal --help` for the list of commands")}\n`);
    else process.stderr.write(`error: ${message}\nrun \`boreal --help\` for the list of commands\n`);
    return EXIT.USAGE;
  }

  try {
    await program.parseAsync([...argv], { from: "user" });
  } catch (e) {
    // Help and --version end with exit code 0; every other commander error is a usage error.
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
    out.error(e);
    return EXIT.ERROR;
  }
  return code;
}
