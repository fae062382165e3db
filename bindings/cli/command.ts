/** What every command module exports. */
import type { Command } from "commander";
import type { Output } from "./output.js";

export interface CommandContext {
  readonly out: Output;
  /** The data directory (`--data`, `$BOREAL_DATA` or `./.boreal`). */
  readonly dir: string;
  /** The command's parsed options (`json`, `data`, `context`, …). */
  readonly opts: Readonly<Record<string, unknown>>;
}

export interface CommandSpec {
  readonly name: string;
  /** Commander argument syntax, such as `<predicate> [args...]`. */
  readonly args: string;
  readonly summary: string;
  /** Shown under "Examples:" in the command's help. */
  readonly examples: readonly string[];
  /** Takes `-c "PRED ARG…"` context facts. */
  readonly context?: boolean;
  /** Extra options. */
  readonly options?: (cmd: Command) => void;
  /** Returns the exit code. */
  run(ctx: CommandContext, args: readonly string[]): Promise<number>;
}

/** The context facts given with `-c`. */
export function contextOption(opts: Readonly<Record<string, unknown>>): string[] {
  const c = opts["context"];
  return Array.isArray(c) ? (c as string[]) : [];
}
