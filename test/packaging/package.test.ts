// The published package, as users get it: `npm pack`, then the tarball installed (offline) into
// throwaway projects that import it by name. Node ESM (`boreal`, `boreal/inline`, `boreal/slim`,
// types), an esbuild bundle, a Vite build and a plain import-map page in headless Chromium. The Chromium
// part is skipped (with the reason) where no Chromium is installed, unless BOREAL_REQUIRE_BROWSER=1.
// The CLI's native deps are not built (`--ignore-scripts`): the library entries must not need them.
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, dirname, extname, join } from "node:path";
import { build } from "esbuild";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromiumLabel, haveChromium, launchChromium } from "../browser/chromium.js";

const root = new URL("../../", import.meta.url).pathname;
const APP = join(root, "test/packaging/app.mjs");
const EXPECTED = { engine: "WasmEngine", aliceDelete: true, bobRead: true, bobDelete: false };
const ENTRIES = ["", "/inline", "/slim"] as const;

// The system npm, not the `npm` some dependency puts in node_modules/.bin (which vitest puts first on PATH).
const NPM_CLI = join(dirname(process.execPath), "../lib/node_modules/npm/bin/npm-cli.js");
const PATH = (process.env["PATH"] ?? "").split(delimiter).filter((d) => !d.includes("node_modules")).join(delimiter);
function npm(args: readonly string[], cwd: string): string {
  if (existsSync(NPM_CLI)) return execFileSync(process.execPath, [NPM_CLI, ...args], { cwd, encoding: "utf8", stdio: "pipe" });
  return execFileSync("npm", args, { cwd, encoding: "utf8", stdio: "pipe", env: { ...process.env, PATH } });
}

let work = "";
let tarball = "";

/** A throwaway ESM project with the packed tarball installed and app.mjs copied in. */
function project(name: string): string {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: `boreal-pack-${name}`, private: true, type: "module" }));
  npm(["install", "--offline", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error", tarball], dir);
  copyFileSync(APP, join(dir, "app.mjs"));
  return dir;
}

function node(dir: string, file: string, source: string): unknown {
  writeFileSync(join(dir, file), source);
  return JSON.parse(execFileSync(process.execPath, [file], { cwd: dir, encoding: "utf8" }));
}

beforeAll(() => {
  if (!existsSync(join(root, "dist/entry/node.js")) || !existsSync(join(root, "dist/entry/wasm-base64.js"))) throw new Error("dist/ is not built: run `npm run build` first");
  work = mkdtempSync(join(tmpdir(), "boreal-pack-"));
  const out = npm(["pack", "--json", "--loglevel=error", "--pack-destination", work], root);
  const [info] = JSON.parse(out) as { filename: string }[];
  tarball = join(work, info!.filename);
});

afterAll(() => {
  if (work !== "") rmSync(work, { recursive: true, force: true });
});

describe("the packed tarball in Node", () => {
  let dir = "";
  beforeAll(() => {
    dir = project("node");
  });

  it("ships the entries, the Wasm and the embedded core, and no top-level await", async () => {
    const pkg = join(dir, "node_modules/boreal");
    for (const f of ["dist/entry/node.js", "dist/entry/browser.js", "dist/entry/inline.js", "dist/entry/slim.js", "dist/entry/wasm-base64.js", "dist/entry/browser.d.ts", "dist/engine.wasm", "dist/wasm-url.js"]) {
      expect(existsSync(join(pkg, f)), f).toBe(true);
    }
    // esbuild refuses top-level await in CommonJS output, anywhere in an entry's module graph.
    for (const e of ["node", "browser", "inline", "slim"]) {
      await build({ entryPoints: [join(pkg, `dist/entry/${e}.js`)], bundle: true, format: "cjs", platform: "neutral", write: false, logLevel: "silent" });
    }
  });

  it("`import { loadEngine } from \"boreal\"` resolves to the Node entry and authorizes", () => {
    const got = node(dir, "main.mjs", `import * as boreal from "boreal";\nimport { run } from "./app.mjs";\nconsole.log(JSON.stringify({ entry: import.meta.resolve("boreal"), ...(await run(boreal)) }));\n`) as Record<string, unknown>;
    expect(String(got["entry"])).toMatch(/node_modules\/boreal\/dist\/entry\/node\.js$/);
    expect(got).toMatchObject(EXPECTED);
  });

  it("boreal/inline authorizes with no engine.wasm file at all", () => {
    const inline = project("inline");
    rmSync(join(inline, "node_modules/boreal/dist/engine.wasm"));
    rmSync(join(inline, "node_modules/boreal/dist/engine.debug.wasm"), { force: true });
    const got = node(inline, "main.mjs", `import * as boreal from "boreal/inline";\nimport { run } from "./app.mjs";\nconsole.log(JSON.stringify(await run(boreal)));\n`);
    expect(got).toEqual(EXPECTED);
  });

  it("boreal/slim takes the Wasm from the caller, and says so clearly without it", () => {
    const got = node(
      dir,
      "slim.mjs",
      `import * as boreal from "boreal/slim";
import { readFileSync } from "node:fs";
import { run } from "./app.mjs";
let error = "";
try { await boreal.loadEngine(); } catch (e) { error = e.message; }
const bytes = readFileSync(new URL(import.meta.resolve("boreal/engine.wasm")));
const module = await WebAssembly.compile(bytes);
console.log(JSON.stringify({ error, bytes: await run(boreal, { wasm: bytes }), module: await run(boreal, { wasm: module }) }));
`,
    ) as { error: string; bytes: unknown; module: unknown };
    expect(got.error).toMatch(/boreal\/slim .*loadEngine\(\{ wasm \}\)/);
    expect(got.bytes).toEqual(EXPECTED);
    expect(got.module).toEqual(EXPECTED);
  });

  it("has types for every entry (a consumer type-checks with nodenext and bundler resolution)", () => {
    const src = ENTRIES.map((e, i) => `import { loadEngine as l${i}, type WasmEngine as W${i}, type LoadOptions as O${i} } from "boreal${e}";\nconst o${i}: O${i} = {};\nexport const e${i}: Promise<W${i}> = l${i}(o${i});\n`).join("");
    writeFileSync(join(dir, "types.ts"), src);
    const tsc = join(root, "node_modules/typescript/bin/tsc");
    for (const resolution of [["--module", "nodenext", "--moduleResolution", "nodenext"], ["--module", "esnext", "--moduleResolution", "bundler"]]) {
      execFileSync(process.execPath, [tsc, "--noEmit", "--strict", "--target", "es2022", "--lib", "es2022,dom", "--types", "node", "--typeRoots", join(root, "node_modules/@types"), ...resolution, "types.ts"], { cwd: dir, stdio: "pipe" });
    }
  });
});

const TYPES: Record<string, string> = { ".html": "text/html", ".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm", ".json": "application/json" };

async function serve(dir: string, index: string): Promise<{ server: Server; base: string }> {
  const server = createServer((req, res) => {
    const name = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    if (name === "/") return void res.writeHead(200, { "Content-Type": "text/html" }).end(index);
    const file = join(dir, name.replace(/^\/+/, ""));
    if (!file.startsWith(dir) || !existsSync(file)) return void res.writeHead(404).end();
    res.writeHead(200, { "Content-Type": TYPES[extname(file)] ?? "application/octet-stream" }).end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
}

const REPORT = `.then((r) => (window.__result = r), (e) => (window.__result = { error: String(e && e.stack || e) }))`;

describe.skipIf(!haveChromium)(`the packed tarball in headless Chromium (${chromiumLabel})`, () => {
  let browser: Browser;
  const servers: Server[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  });

  async function resultOf(dir: string, index: string): Promise<unknown> {
    const { server, base } = await serve(dir, index);
    servers.push(server);
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("requestfailed", (r) => errors.push(`request failed: ${r.url()}`));
    await page.goto(base);
    await page.waitForFunction(() => (window as unknown as { __result?: unknown }).__result !== undefined, undefined, { timeout: 30_000 });
    const result = await page.evaluate(() => (window as unknown as { __result: unknown }).__result);
    await page.close();
    expect(errors).toEqual([]);
    return result;
  }

  it("an esbuild browser bundle of `import { loadEngine } from \"boreal\"` (engine.wasm copied next to it)", async () => {
    const dir = project("esbuild");
    writeFileSync(join(dir, "main.js"), `import * as boreal from "boreal";\nimport { run } from "./app.mjs";\nrun(boreal)${REPORT};\n`);
    const out = join(dir, "public");
    // In a subdirectory, so that a wrong relative URL for the Wasm cannot land on it by chance.
    const result = await build({ absWorkingDir: dir, entryPoints: ["main.js"], bundle: true, format: "esm", platform: "browser", outfile: join(out, "assets/bundle.js"), metafile: true, logLevel: "silent" });
    // The bundle took the browser entry, and nothing from Node.
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs).toContain("node_modules/boreal/dist/entry/browser.js");
    expect(inputs.filter((i) => i.startsWith("node:") || i.includes("entry/node.js"))).toEqual([]);
    copyFileSync(join(dir, "node_modules/boreal/dist/engine.wasm"), join(out, "assets/engine.wasm"));
    expect(await resultOf(out, `<!doctype html><script type="module" src="/assets/bundle.js"></script>`)).toEqual(EXPECTED);
  });

  it("a Vite build of `import { loadEngine } from \"boreal\"` (Vite emits engine.wasm as an asset itself)", async () => {
    const dir = project("vite");
    writeFileSync(join(dir, "index.html"), `<!doctype html><script type="module" src="/main.js"></script>`);
    writeFileSync(join(dir, "main.js"), `import * as boreal from "boreal";\nimport { run } from "./app.mjs";\nrun(boreal)${REPORT};\n`);
    const vite = await import("vite");
    await vite.build({ root: dir, configFile: false, logLevel: "silent", build: { outDir: "public", emptyOutDir: true } });
    // Vite minifies class names, so the engine's name is not checked here.
    expect(await resultOf(join(dir, "public"), readFileSync(join(dir, "public/index.html"), "utf8"))).toEqual({ ...EXPECTED, engine: expect.any(String) });
    expect(readdirSync(join(dir, "public/assets")).some((f) => f.endsWith(".wasm"))).toBe(true);
  });

  it("a plain page with an import map: `boreal`, `boreal/inline` and `boreal/slim` straight from node_modules, and in a module worker", async () => {
    const dir = project("importmap");
    const pkg = JSON.parse(readFileSync(join(dir, "node_modules/boreal/package.json"), "utf8")) as { exports: Record<string, string | Record<string, string>> };
    const target = (key: string): string => {
      const e = pkg.exports[key]!;
      return `/node_modules/boreal/${(typeof e === "string" ? e : (e["browser"] ?? e["default"])!).replace(/^\.\//, "")}`;
    };
    const imports = { boreal: target("."), "boreal/inline": target("./inline"), "boreal/slim": target("./slim") };
    const index = `<!doctype html>
<script type="importmap">${JSON.stringify({ imports })}</script>
<script type="module">
import * as boreal from "boreal";
import * as inline from "boreal/inline";
import * as slim from "boreal/slim";
import { run } from "/app.mjs";
(async () => ({
  main: await run(boreal),
  inline: await run(inline),
  slim: await run(slim, { wasm: await fetch("${target("./engine.wasm")}") }),
  worker: await new Promise((resolve) => {
    const w = new Worker("/worker.js", { type: "module" });
    w.onmessage = (e) => resolve(e.data);
    w.onerror = (e) => resolve({ error: e.message });
  }),
}))()${REPORT};
</script>`;
    // Import maps do not reach module workers: the worker imports the entries by path.
    writeFileSync(
      join(dir, "worker.js"),
      `import * as boreal from "${target(".")}";\nimport * as inline from "${target("./inline")}";\nimport { run } from "/app.mjs";\n` +
        `(async () => ({ main: await run(boreal), inline: await run(inline) }))().then((r) => postMessage(r), (e) => postMessage({ error: String(e) }));\n`,
    );
    expect(await resultOf(dir, index)).toEqual({ main: EXPECTED, inline: EXPECTED, slim: EXPECTED, worker: { main: EXPECTED, inline: EXPECTED } });
  });
});
