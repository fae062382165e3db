// `await loadEngine()` in a real browser: the page is bundled with esbuild (platform browser),
// served from loopback next to engine.wasm, and run in headless Chromium via playwright-core.
// Skipped (with the reason) where no Chromium is installed; .ci/run installs it and sets
// BOREAL_REQUIRE_BROWSER=1 so that CI fails instead of skipping.
import { copyFileSync, existsSync, mkdtempSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { extname, join } from "node:path";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromiumLabel, haveChromium, launchChromium } from "./chromium.js";

const root = new URL("../../", import.meta.url).pathname;

const TYPES: Record<string, string> = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm" };

describe.skipIf(!haveChromium)(`the engine in headless Chromium (${chromiumLabel})`, () => {
  let dir = "";
  let server: Server;
  let base = "";

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "boreal-browser-"));
    await build({
      entryPoints: [join(root, "test/browser/page.ts")],
      bundle: true,
      format: "esm",
      platform: "browser",
      target: "es2022",
      outfile: join(dir, "bundle.js"),
      logLevel: "silent",
    });
    copyFileSync(join(root, "build/engine.wasm"), join(dir, "engine.wasm"));
    server = createServer((req, res) => {
      const name = req.url === "/" ? "/index.html" : (req.url ?? "/");
      if (name === "/index.html") {
        res.writeHead(200, { "Content-Type": "text/html" }).end(`<!doctype html><script type="module" src="/bundle.js"></script>`);
        return;
      }
      const file = join(dir, name.replace(/^\/+/, ""));
      if (!file.startsWith(dir) || !existsSync(file)) return void res.writeHead(404).end();
      res.writeHead(200, { "Content-Type": TYPES[extname(file)] ?? "application/octet-stream" }).end(readFileSync(file));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
  });

  it("answers authorize, list and actions in the page exactly as expected", async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      await page.goto(base);
      await page.waitForFunction(() => (window as unknown as { __result?: unknown }).__result !== undefined, undefined, { timeout: 30_000 });
      const result = (await page.evaluate(() => (window as unknown as { __result: unknown }).__result)) as { checks?: number; mismatches?: string[]; engine?: string; error?: string };
      expect(errors).toEqual([]);
      expect(result.error).toBeUndefined();
      expect(result.engine).toBe("WasmEngine");
      expect(result.mismatches).toEqual([]);
      expect(result.checks).toBeGreaterThanOrEqual(25);
    } finally {
      await browser.close();
    }
  });
});
