/**
 * The URL of engine.wasm. This module sits next to engine.wasm in dist/, so the literal
 * `new URL("./engine.wasm", import.meta.url)` is right unbundled (Node, `<script type="module">`,
 * import maps), in bundlers that follow it as an asset (Vite, webpack 5), and in bundlers that leave
 * it verbatim (esbuild: copy `boreal/engine.wasm` next to the bundle).
 */
export function engineWasmUrl(): URL {
  return new URL("./engine.wasm", import.meta.url);
}
