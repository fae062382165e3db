/**
 * `boreal serve [--port 8080] [--host 127.0.0.1]`: the Oso-Cloud-compatible HTTP server
 * (bindings/server, docs/server.md) on the same store as the other commands.
 */
import { DEFAULT_LIMITS, type Limits, LIMIT_SETTINGS, parseLimits } from "../../server/limits.js";
import { keysFromEnv, keysFromFile, startServer } from "../../server/server.js";
import type { CommandSpec } from "../command.js";
import { EXIT } from "../exit-codes.js";
import { UsageError } from "../usage.js";

export const serve: CommandSpec = {
  name: "serve",
  args: "",
  summary: "serve the Oso Cloud HTTP API on the store (keys from BOREAL_API_KEYS)",
  examples: ["BOREAL_API_KEYS=secret boreal serve --port 8080", "boreal serve --host 127.0.0.1 --port 0 --data ./store"],
  options: (cmd) => {
    cmd.option("--port <port>", "the TCP port (0: any free port)", "8080").option("--host <host>", "the address to listen on", "127.0.0.1")
      .option("--key-file <file>", "a file of API keys, one per line (added to BOREAL_API_KEYS)");
    for (const s of LIMIT_SETTINGS) cmd.option(`${s.flag} <n>`, `${s.what} (default ${DEFAULT_LIMITS[s.key]}, or $${s.env})`);
  },
  async run({ dir, opts }) {
    const portText = String(opts["port"] ?? "8080");
    const port = Number(portText);
    if (!/^[0-9]+$/.test(portText) || port > 65535) throw new UsageError(`\`${portText}\` is not a TCP port`);
    const host = String(opts["host"] ?? "127.0.0.1");
    const keyFile = opts["keyFile"];
    const keys = [...keysFromEnv(), ...(typeof keyFile === "string" ? keysFromFile(keyFile) : [])];
    const running = await startServer({ host, port, dir, keys, limits: limitsFrom(opts) });
    process.stderr.write(`boreal: listening on http://${host.includes(":") ? `[${host}]` : host}:${running.port} (store ${dir})\n`);
    await new Promise<void>((resolve) => {
      let stopping = false;
      const stop = (): void => {
        // a repeated signal while shutting down changes nothing (in-flight requests still finish)
        if (stopping) return;
        stopping = true;
        process.stderr.write("boreal: shutting down\n");
        void running.close().then(resolve);
      };
      process.on("SIGTERM", stop);
      process.on("SIGINT", stop);
    });
    return EXIT.OK;
  },
};

function limitsFrom(opts: Readonly<Record<string, unknown>>): Limits {
  const flags: Partial<Record<keyof Limits, string>> = {};
  for (const s of LIMIT_SETTINGS) {
    const v = opts[s.key];
    if (typeof v === "string") flags[s.key] = v;
  }
  try {
    return parseLimits(flags);
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
}
