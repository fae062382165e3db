/**
 * Loading the core: `loadEngine()` finds engine.wasm itself (Node: the file next to this
 * module or in build/; browsers: fetch next to the bundle), or takes bytes, a URL, a Response
 * or a compiled WebAssembly.Module. The compiled module is cached; every engine gets its own
 * instance. No top-level await.
 */
import { engineWasmUrl } from "../wasm-url.js";
import { WasmEngine, type EvalLimits } from "./wasm-engine.js";

export type WasmSource = WebAssembly.Module | BufferSource | URL | Response | string;

export interface LoadOptions {
  /** Where the core comes from (default: found next to this module). */
  readonly wasm?: WasmSource;
  /** The value of `@current_unix_time` in seconds (default: the wall clock). */
  readonly now?: () => bigint;
  /** Restore the engine from `WasmEngine.snapshot()` bytes (policy and facts included); E_BAD_SNAPSHOT when unusable. */
  readonly snapshot?: Uint8Array;
  /** Load a slice from `WasmEngine.slice(actor)` (after a snapshot, if both are given); see docs/slices.md. */
  readonly slice?: Uint8Array;
  /** Evaluation limits per question (see WasmEngine.setLimits). */
  readonly limits?: EvalLimits;
}

let defaultModule: Promise<WebAssembly.Module> | undefined;

const CANDIDATES = ["./engine.wasm", "../engine.wasm", "../../build/engine.wasm", "../../../build/engine.wasm", "../../dist/engine.wasm", "../build/engine.wasm"];

function isNode(): boolean {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof p?.versions?.node === "string";
}

async function readNodeFile(url: URL): Promise<Uint8Array> {
  const name = "node:fs/promises";
  const fs = (await import(/* @vite-ignore */ name)) as { readFile(u: URL): Promise<Uint8Array> };
  return fs.readFile(url);
}

async function fromResponse(res: Response): Promise<WebAssembly.Module> {
  if (!res.ok) throw new Error(`could not fetch engine.wasm: HTTP ${res.status}`);
  const type = res.headers.get("Content-Type") ?? "";
  if (typeof WebAssembly.compileStreaming === "function" && type.startsWith("application/wasm")) {
    return WebAssembly.compileStreaming(res);
  }
  return WebAssembly.compile(await res.arrayBuffer());
}

async function fromUrl(url: URL): Promise<WebAssembly.Module> {
  if (url.protocol === "file:" && isNode()) return WebAssembly.compile(await readNodeFile(url) as BufferSource);
  return fromResponse(await fetch(url));
}

async function findDefault(): Promise<WebAssembly.Module> {
  if (isNode()) {
    let last: unknown;
    for (const c of CANDIDATES) {
      try {
        return await WebAssembly.compile(await readNodeFile(new URL(c, import.meta.url)) as BufferSource);
      } catch (e) {
        last = e;
      }
    }
    throw new Error(`could not find engine.wasm next to ${import.meta.url} (run \`npm run build:wasm\`): ${String(last)}`);
  }
  return fromUrl(engineWasmUrl());
}

/** Compile (or reuse) the core module. */
export function loadModule(source?: WasmSource): Promise<WebAssembly.Module> {
  if (source === undefined) {
    defaultModule ??= findDefault().catch((e: unknown) => {
      defaultModule = undefined;
      throw e;
    });
    return defaultModule;
  }
  if (source instanceof WebAssembly.Module) return Promise.resolve(source);
  if (typeof source === "string") return fromUrl(new URL(source, import.meta.url));
  if (source instanceof URL) return fromUrl(source);
  if (typeof Response !== "undefined" && source instanceof Response) return fromResponse(source);
  return WebAssembly.compile(source as BufferSource);
}

/** Create an engine: `const oso = await loadEngine(); oso.policy(src); oso.authorize(...)`. */
export async function loadEngine(options: LoadOptions = {}): Promise<WasmEngine> {
  return createEngine(await loadModule(options.wasm), options);
}

function createEngine(module: WebAssembly.Module, options: LoadOptions): WasmEngine {
  const engineOptions = options.now === undefined ? {} : { now: options.now };
  const engine = options.snapshot !== undefined ? WasmEngine.restore(module, options.snapshot, engineOptions) : new WasmEngine(module, engineOptions);
  if (options.slice !== undefined) engine.loadSlice(options.slice);
  if (options.limits !== undefined) engine.setLimits(options.limits);
  return engine;
}

/**
 * Where a package entry finds the core when the caller passes no `wasm`: a function returning a
 * source (bytes, URL, Response, Module), or `{ missing }`: the error to raise when there is no default (slim).
 */
export type DefaultWasm = (() => WasmSource | Promise<WasmSource>) | { readonly missing: string };

/**
 * Build the `loadEngine` of one package entry (node, browser, inline, slim). Each entry caches its
 * own compiled default module; an explicit `wasm` always wins.
 */
export function makeLoadEngine(defaultWasm: DefaultWasm): (options?: LoadOptions) => Promise<WasmEngine> {
  let cached: Promise<WebAssembly.Module> | undefined;
  const fromDefault = (): Promise<WebAssembly.Module> => {
    if (typeof defaultWasm !== "function") return Promise.reject(new Error(defaultWasm.missing));
    cached ??= Promise.resolve()
      .then(defaultWasm)
      .then((source) => loadModule(source))
      .catch((e: unknown) => {
        cached = undefined;
        throw e;
      });
    return cached;
  };
  return async (options: LoadOptions = {}) => createEngine(await (options.wasm === undefined ? fromDefault() : loadModule(options.wasm)), options);
}

/** Node: the module compiled from the first readable file among `urls` (file: URLs). */
export async function compileFirstFile(urls: readonly URL[]): Promise<WebAssembly.Module> {
  let last: unknown;
  for (const url of urls) {
    try {
      return await WebAssembly.compile((await readNodeFile(url)) as BufferSource);
    } catch (e) {
      last = e;
    }
  }
  throw new Error(`could not find engine.wasm (tried ${urls.map(String).join(", ")}; run \`npm run build:wasm\`): ${String(last)}`);
}
