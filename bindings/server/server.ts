/**
 * `boreal serve`: an Oso-Cloud-compatible HTTP API (paths under /api) on Node's own `http`
 * module, so that the official `oso-cloud` client can talk to boreal. See docs/server.md.
 */
import { timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { readFileSync } from "node:fs";
import { diagnostic, FactError, isBorealError } from "../api/errors.js";
import type { Fact } from "../api/types.js";
import { engineMaker } from "../cli/engine.js";
import { openStore } from "../cli/session.js";
import type { Store } from "../store/index.js";
import { EvalBudget, type Limitable } from "./budget.js";
import { checkContextCount, checkIdBytes, checkPageSize, DEFAULT_LIMITS, LIMIT_CODES, type Limits } from "./limits.js";
import { evaluateQuery } from "./query.js";
import { badRequest, type Change, ServerState, toWire, wireFact, wirePattern, wireValue } from "./state.js";

export const MAX_BODY_BYTES = 10 * 1024 * 1024;
export const DEFAULT_PAGE_SIZE = 10000;

export interface ServeOptions {
  readonly host: string;
  readonly port: number;
  readonly dir: string;
  readonly keys: readonly string[];
  /** Per-request limits (DEFAULT_LIMITS when omitted). */
  readonly limits?: Limits;
  readonly log?: (line: string) => void;
}

export function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || host === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Keys from a key file: one per line; blank lines and `#` comments are ignored. */
export function keysFromFile(file: string): string[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    const reason = (e as { code?: string }).code === "ENOENT" ? "no such file" : e instanceof Error ? e.message : String(e);
    throw new FactError(diagnostic("E_FILE", `cannot read the key file \`${file}\`: ${reason}`, "point --key-file at a file with one API key per line"));
  }
  return text.split(/\r?\n/).map((k) => k.trim()).filter((k) => k.length > 0 && !k.startsWith("#"));
}

/** Keys from `BOREAL_API_KEYS` (comma-separated; blanks ignored). */
export function keysFromEnv(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env["BOREAL_API_KEYS"] ?? "").split(",").map((k) => k.trim()).filter((k) => k.length > 0);
}

class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

function statusOf(e: unknown): number {
  if (e instanceof HttpError) return e.status;
  if (isBorealError(e)) {
    if (e.code === "E_STORE_BUSY") return 503;
    // over a limit: the same request would fail again, and the client does not retry a 422
    if (LIMIT_CODES.has(e.code)) return 422;
    if (/^E_STORE_/.test(e.code)) return 500;
    return 400;
  }
  return 500;
}

function keyMatches(given: string, keys: readonly string[]): boolean {
  const a = Buffer.from(given);
  let ok = false;
  for (const k of keys) {
    const b = Buffer.from(k);
    if (a.length === b.length && timingSafeEqual(a, b)) ok = true;
  }
  return ok;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(c);
    });
    req.on("end", () => (tooLarge ? reject(new HttpError(413, `the request body is larger than ${MAX_BODY_BYTES} bytes`)) : resolve(Buffer.concat(chunks).toString("utf8"))));
    req.on("error", reject);
  });
}

function parseJson(text: string): unknown {
  if (text.trim() === "") return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw badRequest("the request body is not valid JSON");
  }
}

function obj(x: unknown): Record<string, unknown> {
  if (typeof x !== "object" || x === null || Array.isArray(x)) throw badRequest("the request body must be a JSON object");
  return x as Record<string, unknown>;
}

function contextFacts(body: Record<string, unknown>, limits: Limits): Fact[] {
  const c = body["context_facts"];
  if (c === undefined || c === null) return [];
  if (!Array.isArray(c)) throw badRequest("`context_facts` must be an array of facts");
  checkContextCount(c.length, limits);
  return c.map((f) => wireFact(f, limits));
}

/** The `action` of a request: a String value, under the id limit. */
function action(body: Record<string, unknown>, limits: Limits): string {
  const a = str(body, "action");
  checkIdBytes("String", a, limits);
  return a;
}

function str(body: Record<string, unknown>, key: string): string {
  const v = body[key];
  if (typeof v !== "string") throw badRequest(`\`${key}\` must be a string`);
  return v;
}

interface Reply {
  readonly status: number;
  readonly body: unknown;
  /** A write: the response carries OsoOffset. */
  readonly write?: boolean;
}

/** The evaluation budget of one request on the state's engine. */
function budget(state: ServerState, limits: Limits): EvalBudget {
  return new EvalBudget(state.engine as unknown as Limitable, limits);
}

function route(state: ServerState, limits: Limits, method: string, path: string, query: URLSearchParams, body: unknown): Reply {
  const key = `${method} ${path}`;
  switch (key) {
    case "GET /api/policy": {
      const files = state.policyFiles;
      const policy = files === undefined ? null : files.length === 1 ? { filename: files[0]!.filename, src: files[0]!.src } : { filename: null, src: files.map((f) => f.src).join("\n") };
      return { status: 200, body: { policy } };
    }
    case "POST /api/policy": {
      const b = obj(body);
      const src = str(b, "src");
      const name = b["filename"];
      const filename = typeof name === "string" && name !== "" ? name : "policy.polar";
      const active = state.policyFiles;
      if (active !== undefined && active.length === 1 && active[0]!.filename === filename && active[0]!.src === src) {
        return { status: 202, body: { message: "Policy unchanged" }, write: true };
      }
      const warnings = state.savePolicy([{ filename, src }]);
      return { status: 200, body: { message: "Policy updated", warnings: warnings.map((w) => w.message) }, write: true };
    }
    case "GET /api/policy_metadata": {
      state.requirePolicy();
      return { status: 200, body: { metadata: { resources: state.metadata } } };
    }
    case "POST /api/batch": {
      if (!Array.isArray(body)) throw badRequest("the body of /batch must be an array of `{inserts}` or `{deletes}` changesets");
      const changes: Change[] = [];
      for (const set of body as unknown[]) {
        const s = obj(set);
        if (Array.isArray(s["inserts"])) for (const f of s["inserts"] as unknown[]) changes.push({ kind: "insert", fact: wireFact(f, limits) });
        else if (Array.isArray(s["deletes"])) for (const f of s["deletes"] as unknown[]) changes.push({ kind: "delete", pattern: wirePattern(f, limits) });
        else throw badRequest("each changeset must be `{inserts: [...]}` or `{deletes: [...]}`");
      }
      state.batch(changes);
      return { status: 200, body: { message: "Batch applied" }, write: true };
    }
    case "POST /api/clear_data": {
      state.clearData();
      return { status: 200, body: { message: "Data cleared" }, write: true };
    }
    case "GET /api/facts": {
      const pred = query.get("predicate");
      if (pred === null || pred === "") throw badRequest("`predicate` is required");
      const filters: { i: number; type: string | null; id: string | null }[] = [];
      for (const [k, v] of query) {
        const m = /^args\.(\d+)\.(type|id)$/.exec(k);
        if (m === null) continue;
        const i = Number(m[1]);
        let f = filters.find((x) => x.i === i);
        if (f === undefined) filters.push((f = { i, type: null, id: null }));
        if (m[2] === "type") f.type = v;
        else f.id = v;
      }
      const store: Store = state.store;
      const facts = store.read(() => store.match(pred, null)).filter((f) => filters.every((x) => {
        const a = f.args[x.i];
        return a !== undefined && (x.type === null || a.type === x.type) && (x.id === null || a.id === x.id);
      }));
      return { status: 200, body: facts.map((f) => toWire(f.pred, f.args)) };
    }
    case "POST /api/authorize": {
      state.requirePolicy();
      const b = obj(body);
      const [actor, act, resource, ctx] = [wireValue(b["actor_type"], b["actor_id"], "actor", limits), action(b, limits), wireValue(b["resource_type"], b["resource_id"], "resource", limits), contextFacts(b, limits)];
      const allowed = budget(state, limits).question(() => state.engine.authorize(actor, act, resource, ctx));
      return { status: 200, body: { allowed } };
    }
    case "POST /api/list": {
      state.requirePolicy();
      const b = obj(body);
      const size = b["page_size"] ?? DEFAULT_PAGE_SIZE;
      if (typeof size !== "number" || !Number.isSafeInteger(size) || size < 1) throw badRequest("`page_size` must be a positive integer");
      checkPageSize(size, limits);
      const token = b["page_token"];
      let start = 0;
      if (token !== undefined && token !== null) {
        if (typeof token !== "string" || !/^[0-9]+$/.test(token)) throw badRequest("`page_token` is not a token this server issued");
        start = Number(token);
      }
      const [actor, act, type, ctx] = [wireValue(b["actor_type"], b["actor_id"], "actor", limits), action(b, limits), str(b, "resource_type"), contextFacts(b, limits)];
      const all = [...budget(state, limits).question(() => state.engine.list(actor, act, type, ctx))].sort();
      const results = all.slice(start, start + size);
      const next = start + size < all.length ? String(start + size) : null;
      return { status: 200, body: { results, next_page_token: next } };
    }
    case "POST /api/actions": {
      state.requirePolicy();
      const b = obj(body);
      const [actor, resource, ctx] = [wireValue(b["actor_type"], b["actor_id"], "actor", limits), wireValue(b["resource_type"], b["resource_id"], "resource", limits), contextFacts(b, limits)];
      const results = [...budget(state, limits).question(() => state.engine.actions(actor, resource, ctx))].sort();
      return { status: 200, body: { results } };
    }
    case "POST /api/evaluate_query": {
      state.requirePolicy();
      const b = obj(body);
      const ctx = contextFacts(b, limits);
      const engine = state.engine;
      const within = budget(state, limits);
      const query: typeof engine.query = (pred, args, facts) => within.question(() => engine.query(pred, args, facts));
      return { status: 200, body: { results: evaluateQuery({ query }, b, ctx, limits) } };
    }
    default:
      throw new HttpError(404, `no such endpoint: ${method} ${path}`);
  }
}

export interface RunningServer {
  readonly server: Server;
  readonly port: number;
  /** Stop accepting, finish in-flight requests, close the store. */
  close(): Promise<void>;
}

export async function startServer(opts: ServeOptions): Promise<RunningServer> {
  if (!isLoopback(opts.host) && opts.keys.length === 0) {
    throw new FactError(diagnostic("E_NO_API_KEY", `refusing to listen on \`${opts.host}\` without an API key`, "set BOREAL_API_KEYS (or --key-file), or listen on a loopback host such as 127.0.0.1"));
  }
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const limits = opts.limits ?? DEFAULT_LIMITS;
  const maker = await engineMaker();
  const store = openStore(opts.dir, true)!;
  let state: ServerState;
  try {
    state = new ServerState(store, opts.dir, maker);
  } catch (e) {
    store.close();
    throw e;
  }

  let closing: Promise<void> | undefined;
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = process.hrtime.bigint();
    const method = req.method ?? "GET";
    const url = new URL(req.url ?? "/", "http://localhost");
    let reply: Reply;
    try {
      const auth = req.headers.authorization ?? "";
      const m = /^Bearer (.+)$/.exec(auth);
      if (opts.keys.length > 0 && (m === null || !keyMatches(m[1]!.trim(), opts.keys))) {
        req.resume();
        throw new HttpError(401, m === null ? "missing API key (send `Authorization: Bearer <key>`)" : "invalid API key");
      }
      const body = parseJson(await readBody(req));
      state.syncIfMoved();
      reply = route(state, limits, method, url.pathname, url.searchParams, body);
    } catch (e) {
      const status = statusOf(e);
      const message = e instanceof Error ? e.message : String(e);
      reply = { status, body: { message } };
    }
    const text = JSON.stringify(reply.body);
    const headers: Record<string, string> = { "Content-Type": "application/json", "Content-Length": String(Buffer.byteLength(text)) };
    const requestId = req.headers["x-request-id"];
    if (typeof requestId === "string") headers["X-Request-ID"] = requestId;
    if (reply.write === true) headers["OsoOffset"] = String(state.generation);
    if (closing !== undefined) headers["Connection"] = "close";
    res.writeHead(reply.status, headers);
    res.end(text);
    const us = (process.hrtime.bigint() - started) / 1000n;
    log(`${method} ${url.pathname} ${reply.status} ${us}µs`);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(500, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ message: e instanceof Error ? e.message : String(e) }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (e) => {
      store.close();
      reject(e);
    });
    server.listen(opts.port, opts.host, () => {
      server.removeAllListeners("error");
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : opts.port;
  return {
    server,
    port,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => {
          state.saveSnapshot();
          store.close();
          resolve();
        });
        server.closeIdleConnections();
      });
      return closing;
    },
  };
}
