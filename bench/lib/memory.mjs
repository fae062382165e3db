// Memory probes: peak RSS (VmHWM), current RSS, JS heap, and every WebAssembly.Memory created in the process.
import { readFileSync } from "node:fs";

const memories = new Set();

function record(instance) {
  try {
    for (const v of Object.values(instance.exports)) if (v instanceof WebAssembly.Memory) memories.add(v);
  } catch { /* ignore */ }
}

function recordImports(imports) {
  if (!imports || typeof imports !== "object") return;
  for (const ns of Object.values(imports)) {
    if (!ns || typeof ns !== "object") continue;
    for (const v of Object.values(ns)) if (v instanceof WebAssembly.Memory) memories.add(v);
  }
}

let installed = false;
/** Wrap WebAssembly.Instance / instantiate so we can read every instance's linear memory size. */
export function installWasmMemoryHook() {
  if (installed) return;
  installed = true;
  const Orig = WebAssembly.Instance;
  WebAssembly.Instance = new Proxy(Orig, {
    construct(target, args, newTarget) {
      recordImports(args[1]);
      const inst = Reflect.construct(target, args, newTarget === WebAssembly.Instance ? target : newTarget);
      record(inst);
      return inst;
    },
  });
  const origInstantiate = WebAssembly.instantiate;
  WebAssembly.instantiate = async function (source, imports) {
    recordImports(imports);
    const res = await origInstantiate.call(WebAssembly, source, imports);
    if (res instanceof Orig) record(res);
    else if (res && res.instance) record(res.instance);
    return res;
  };
  if (typeof WebAssembly.instantiateStreaming === "function") {
    const origStreaming = WebAssembly.instantiateStreaming;
    WebAssembly.instantiateStreaming = async function (source, imports) {
      recordImports(imports);
      const res = await origStreaming.call(WebAssembly, source, imports);
      if (res && res.instance) record(res.instance);
      return res;
    };
  }
}

/** Total bytes of all Wasm linear memories seen so far (memories only grow, so this is also the peak). */
export function wasmBytes() {
  let total = 0;
  for (const m of memories) total += m.buffer.byteLength;
  return total;
}

function statusField(name) {
  try {
    const m = readFileSync("/proc/self/status", "utf8").match(new RegExp(`^${name}:\\s+(\\d+) kB`, "m"));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

export const peakRss = () => statusField("VmHWM") ?? process.memoryUsage().rss;

export function gc() {
  if (typeof globalThis.gc === "function") { globalThis.gc(); globalThis.gc(); }
}

export function snapshot() {
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers, wasm: wasmBytes() };
}
