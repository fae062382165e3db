// Marks a finished TypeScript build (ensure-built.mjs compares against this stamp) and
// copies the Wasm binaries next to the compiled library.
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from "node:fs";

mkdirSync("dist", { recursive: true });
for (const f of ["engine.wasm", "engine.debug.wasm"]) if (existsSync(`build/${f}`)) copyFileSync(`build/${f}`, `dist/${f}`);
writeFileSync("dist/.built", new Date().toISOString() + "\n");
