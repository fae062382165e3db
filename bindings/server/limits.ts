/**
 * The server's per-request limits (docs/server.md, "Limits"): their defaults, their parsing
 * from `boreal serve` flags and environment variables, and the errors a request over one gets.
 * Every limit error is a FactError whose code maps to 422 (see `statusOfCode` in server.ts).
 */
import { diagnostic, FactError } from "../api/errors.js";
import { MAX_ID_BYTES } from "../api/values.js";

export interface Limits {
  /** Context facts one request may carry. */
  readonly maxContextFacts: number;
  /** Bytes of UTF-8 in one id (fact argument, actor, resource, action); at most the library's 384. */
  readonly maxIdBytes: number;
  /** The largest `page_size` /list accepts; at least the 10000 the client's `list()` asks for. */
  readonly maxPageSize: number;
  /** Evaluation time per request in milliseconds (0: no budget). */
  readonly evalTimeMs: number;
  /** Evaluation steps per request (0: no budget). */
  readonly evalSteps: number;
}

/** The page size the official client's `list()` requests on every page. */
export const CLIENT_LIST_PAGE_SIZE = 10000;

export const DEFAULT_LIMITS: Limits = {
  maxContextFacts: 10000,
  maxIdBytes: MAX_ID_BYTES,
  maxPageSize: 100000,
  evalTimeMs: 1000,
  evalSteps: 0,
};

/** Each limit: its `boreal serve` flag, its environment variable, and its allowed range. */
export const LIMIT_SETTINGS: readonly { key: keyof Limits; flag: string; env: string; min: number; max: number; what: string }[] = [
  { key: "maxContextFacts", flag: "--max-context-facts", env: "BOREAL_MAX_CONTEXT_FACTS", min: 0, max: 1_000_000, what: "context facts per request" },
  { key: "maxIdBytes", flag: "--max-id-bytes", env: "BOREAL_MAX_ID_BYTES", min: 1, max: MAX_ID_BYTES, what: "bytes per id" },
  { key: "maxPageSize", flag: "--max-page-size", env: "BOREAL_MAX_PAGE_SIZE", min: CLIENT_LIST_PAGE_SIZE, max: 10_000_000, what: "the largest list page" },
  { key: "evalTimeMs", flag: "--eval-time-ms", env: "BOREAL_EVAL_TIME_MS", min: 0, max: 3_600_000, what: "evaluation milliseconds per request (0: none)" },
  { key: "evalSteps", flag: "--eval-steps", env: "BOREAL_EVAL_STEPS", min: 0, max: Number.MAX_SAFE_INTEGER, what: "evaluation steps per request (0: none)" },
];

/**
 * The limits from flag values (by limit key; a flag wins over its variable) and the
 * environment. Throws an Error naming the flag or variable when a value is out of range.
 */
export function parseLimits(flags: Partial<Record<keyof Limits, string>>, env: NodeJS.ProcessEnv = process.env): Limits {
  const out: Record<string, number> = { ...DEFAULT_LIMITS };
  for (const s of LIMIT_SETTINGS) {
    const fromFlag = flags[s.key];
    const text = fromFlag ?? env[s.env];
    if (text === undefined || text === "") continue;
    const n = Number(text);
    if (!/^[0-9]+$/.test(text) || n < s.min || n > s.max) {
      const source = fromFlag !== undefined ? s.flag : s.env;
      const floor = s.key === "maxPageSize" ? ` (oso.list() asks for pages of ${CLIENT_LIST_PAGE_SIZE})` : "";
      throw new Error(`${source} must be an integer from ${s.min} to ${s.max}${floor}, not \`${text}\``);
    }
    out[s.key] = n;
  }
  return out as unknown as Limits;
}

/** The codes of limit errors: a deterministic rejection, answered with 422. */
export const LIMIT_CODES: ReadonlySet<string> = new Set(["E_REQUEST_LIMIT", "E_ID_TOO_LONG", "E_EVAL_BUDGET"]);

export function limitError(message: string, help: string): FactError {
  return new FactError(diagnostic("E_REQUEST_LIMIT", message, help));
}

export function checkContextCount(count: number, limits: Limits): void {
  if (count > limits.maxContextFacts) {
    throw limitError(`a request may carry at most ${limits.maxContextFacts} context facts (this one has ${count})`, "send fewer context facts, or raise --max-context-facts");
  }
}

export function checkPageSize(size: number, limits: Limits): void {
  if (size > limits.maxPageSize) {
    throw limitError(`\`page_size\` is ${size}, more than the largest page this server gives (${limits.maxPageSize})`, "ask for smaller pages and follow `next_page_token`, or raise --max-page-size");
  }
}

/** The library's E_ID_TOO_LONG, at the server's (possibly lower) limit. */
export function checkIdBytes(type: string, id: string, limits: Limits): void {
  if (id.length * 3 > limits.maxIdBytes && Buffer.byteLength(id, "utf8") > limits.maxIdBytes) {
    throw new FactError(diagnostic("E_ID_TOO_LONG", `the id of a \`${type}\` value is longer than ${limits.maxIdBytes} bytes`, `keep each fact argument within ${limits.maxIdBytes} bytes of UTF-8 (this server's --max-id-bytes)`));
  }
}
