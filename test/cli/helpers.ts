// Running the real `boreal` binary (bin/boreal.js, which loads dist/) in temporary directories.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const BIN = new URL("../../bin/boreal.js", import.meta.url).pathname;
export const ROOT = new URL("../../", import.meta.url).pathname;

export interface Result {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  readonly cwd?: string;
  readonly input?: string;
  readonly env?: Record<string, string | undefined>;
}

function environment(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1", BOREAL_DATA: undefined, ...extra };
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  return env;
}

/** Run `boreal ARGS…` synchronously. */
export function run(args: readonly string[], options: RunOptions = {}): Result {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: options.cwd ?? ROOT, input: options.input, encoding: "utf8", env: environment(options.env) });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Run `boreal ARGS…` without blocking (for concurrency). */
export function runAsync(args: readonly string[], options: RunOptions = {}): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd ?? ROOT, env: environment(options.env) });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (s: string) => (stdout += s));
    child.stderr.setEncoding("utf8").on("data", (s: string) => (stderr += s));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? "");
  });
}

/** Run the async jobs with at most `width` in flight; results in job order. */
export async function pool<T>(jobs: readonly (() => Promise<T>)[], width: number): Promise<T[]> {
  const out: T[] = new Array(jobs.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const i = next++;
      out[i] = await jobs[i]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, jobs.length) }, worker));
  return out;
}

/** A temporary directory with a store at `data` and helpers bound to it. */
export class Sandbox {
  readonly dir = mkdtempSync(join(tmpdir(), "boreal-cli-"));
  readonly data = join(this.dir, "store");

  /** `boreal ARGS… --data <this store>` */
  run(...args: string[]): Result {
    return run([...args, "--data", this.data], { cwd: this.dir });
  }

  runWith(options: RunOptions, ...args: string[]): Result {
    return run([...args, "--data", this.data], { cwd: this.dir, ...options });
  }

  runAsync(...args: string[]): Promise<Result> {
    return runAsync([...args, "--data", this.data], { cwd: this.dir });
  }

  file(name: string, text: string): string {
    const p = join(this.dir, name);
    writeFileSync(p, text);
    return p;
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A small policy used across the CLI tests: users, repos with roles, a test block. */
export const REPO_POLICY = `actor User {}

resource Repo {
  roles = ["reader", "maintainer", "owner"];
  permissions = ["read", "push", "delete"];
  relations = { parent: Org };
  "reader" if "maintainer";
  "maintainer" if "owner";
  "read" if "reader";
  "push" if "maintainer";
  "delete" if "owner";
  "reader" if "member" on "parent";
  "read" if is_public(resource);
}

resource Org {
  roles = ["member"];
}

declare score(User, Integer);

test "owners can delete" {
  setup {
    has_role(User{"alice"}, "owner", Repo{"anvil"});
  }
  assert allow(User{"alice"}, "delete", Repo{"anvil"});
  assert_not allow(User{"bob"}, "read", Repo{"anvil"});
}
`;
