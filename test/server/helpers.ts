// Starting the real `boreal serve` (bin/boreal.js, which loads dist/) as a child process on loopback.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const BIN = new URL("../../bin/boreal.js", import.meta.url).pathname;
export const ROOT = new URL("../../", import.meta.url).pathname;

export interface Served {
  readonly url: string;
  readonly port: number;
  readonly dir: string;
  readonly child: ChildProcess;
  /** Everything the server wrote to stderr so far. */
  stderr(): string;
  /** SIGTERM, then wait for the exit code. */
  stop(): Promise<number | null>;
}

export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "boreal-serve-"));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function serve(args: readonly string[], env: Record<string, string | undefined>): Promise<Served> {
  const full: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1", BOREAL_DATA: undefined, BOREAL_API_KEYS: undefined, ...env };
  for (const k of Object.keys(full)) if (full[k] === undefined) delete full[k];
  const child = spawn(process.execPath, [BIN, "serve", "--port", "0", ...args], { cwd: ROOT, env: full, stdio: ["ignore", "pipe", "pipe"] });
  let err = "";
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start:\n${err}`)), 30_000);
    child.stderr!.setEncoding("utf8").on("data", (s: string) => {
      err += s;
      const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(err);
      if (m !== null) {
        clearTimeout(timer);
        const port = Number(m[1]);
        const dir = args[args.indexOf("--data") + 1] ?? "";
        resolve({
          url: `http://127.0.0.1:${port}`,
          port,
          dir,
          child,
          stderr: () => err,
          stop: async () => {
            if (child.exitCode === null) child.kill("SIGTERM");
            return exited;
          },
        });
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${code}):\n${err}`));
    });
  });
}

let marks = 0;

/**
 * How many times the server logged `METHOD PATH STATUS`, once every request so far is logged:
 * a request to a unique path marks the point (stderr keeps the order).
 */
export async function loggedTimes(s: Served, key: string, line: string): Promise<number> {
  const mark = `/api/mark-${++marks}`;
  await fetch(`${s.url}${mark}`, { headers: { Authorization: `Bearer ${key}` } });
  while (!s.stderr().includes(`GET ${mark} 404`)) await new Promise((r) => setTimeout(r, 5));
  return s.stderr().split("\n").filter((l) => l.startsWith(`${line} `)).length;
}
