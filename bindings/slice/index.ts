/** Per-user slices (docs/slices.md). */
export { applySlice } from "./apply.js";
export { decodeSlice, encodeSlice, SLICE_VERSION, type SliceData, type SliceFact } from "./codec.js";
export { SliceGuard } from "./guard.js";
export { policyHash } from "./hash.js";
export type { SliceHost } from "./host.js";
export { sliceData, takeSlice, type SliceOptions } from "./take.js";
