// The UI-gating example's server: node:http, no framework. It holds the whole policy and every
// tenant's facts in one boreal engine, "logs in" a user from `/?user=alice` (a cookie; a demo,
// no passwords), and serves the page, its bundle, the user's issues and the user's slice.
// Every write is authorized here, whatever the page showed.
//
//   node examples/browser/server.mjs [--port 8080]      (after `npm run build`)
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { loadEngine } from "boreal";
import { issueFacts, seedFacts, seedIssues, USERS } from "./data.mjs";

const here = (file) => fileURLToPath(new URL(file, import.meta.url));
const WASM = here("../../dist/engine.wasm");

/** The browser bundle of app.js, with `boreal` resolved to the package's browser entry. */
async function bundle() {
  const out = await build({ entryPoints: [here("app.js")], bundle: true, format: "esm", platform: "browser", target: "es2022", write: false, logLevel: "error" });
  return out.outputFiles[0].contents;
}

function page(user) {
  const links = Object.keys(USERS).map((u) => `<a href="/?user=${u}">${u}</a>`).join(" · ");
  const who = user === undefined ? "Log in as:" : `Logged in as <b>${user}</b> (${USERS[user]}). Switch to:`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>boreal: UI gating</title>
<style>body{font:15px system-ui,sans-serif;margin:2em}li{margin:.4em 0}button{margin-left:.5em}.title{display:inline-block;min-width:24em}</style></head>
<body${user === undefined ? "" : ` data-user="${user}"`}>
<p>${who} ${links}</p>
<ul id="issues"></ul><p id="status"></p>
<script type="module" src="/app.js"></script>
</body></html>`;
}

function userOf(req) {
  const cookie = (req.headers.cookie ?? "").split(";").map((c) => c.trim().split("=")).find(([k]) => k === "user");
  const name = cookie === undefined ? undefined : decodeURIComponent(cookie[1] ?? "");
  return name !== undefined && Object.hasOwn(USERS, name) ? name : undefined;
}

async function readJson(req) {
  let text = "";
  for await (const chunk of req) text += chunk;
  return text === "" ? {} : JSON.parse(text);
}

export async function startServer({ port = 0, host = "127.0.0.1" } = {}) {
  if (!existsSync(WASM)) throw new Error("dist/ is not built: run `npm run build` first");
  const engine = await loadEngine();
  engine.policy(readFileSync(here("policy.polar"), "utf8"));
  const issues = seedIssues();
  engine.batch((tx) => seedFacts(issues).forEach((f) => tx.insert(f)));
  const [appJs, wasm] = [await bundle(), readFileSync(WASM)];

  const handle = async (req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const send = (status, type, body, headers = {}) => res.writeHead(status, { "Content-Type": type, "Cache-Control": "no-store", ...headers }).end(body);
    const json = (status, value) => send(status, "application/json", JSON.stringify(value));
    let user = userOf(req);

    if (req.method === "GET" && url.pathname === "/") {
      const login = url.searchParams.get("user");
      const headers = {};
      if (login !== null && Object.hasOwn(USERS, login)) {
        user = login;
        headers["Set-Cookie"] = `user=${encodeURIComponent(login)}; Path=/; HttpOnly; SameSite=Strict`;
      }
      return send(200, "text/html; charset=utf-8", page(user), headers);
    }
    if (req.method === "GET" && url.pathname === "/app.js") return send(200, "text/javascript", appJs);
    if (req.method === "GET" && url.pathname === "/engine.wasm") return send(200, "application/wasm", wasm);
    if (user === undefined) return json(401, { error: "log in first: /?user=alice" });
    const actor = { type: "User", id: user };

    if (req.method === "GET" && url.pathname === "/slice") {
      // Only the facts this user's own evaluations read (docs/browser.md), the policy included.
      return send(200, "application/octet-stream", engine.slice(actor));
    }
    if (req.method === "GET" && url.pathname === "/api/issues") {
      const readable = engine.list(actor, "read", "Issue");
      return json(200, readable.map((id) => ({ id, title: issues.get(id).title, closed: issues.get(id).closed })));
    }
    const write = /^\/api\/issues\/([^/]+)\/(edit|close|delete)$/.exec(url.pathname);
    if (req.method === "POST" && write !== null) {
      const id = decodeURIComponent(write[1]);
      const action = write[2];
      const issue = issues.get(id);
      // Not found and not allowed look the same to someone who may not read the issue.
      if (issue === undefined || !engine.authorize(actor, "read", { type: "Issue", id })) return json(404, { error: "no such issue" });
      if (!engine.authorize(actor, action, { type: "Issue", id })) return json(403, { error: `${user} may not ${action} ${id}` });
      if (action === "edit") issue.title = String((await readJson(req)).title ?? issue.title).slice(0, 200);
      if (action === "close") issue.closed = true;
      if (action === "delete") {
        engine.batch((tx) => issueFacts(id, issue).forEach((f) => tx.delete(f)));
        issues.delete(id);
      }
      return json(200, { ok: true });
    }
    return json(404, { error: "not found" });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e) => {
      if (!res.headersSent) res.writeHead(500, { "Content-Type": "text/plain" });
      res.end(`error: ${e instanceof Error ? e.message : String(e)}`);
    });
  });
  await new Promise((resolve) => server.listen(port, host, resolve));
  return { server, url: `http://${host}:${server.address().port}/` };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const at = process.argv.indexOf("--port");
  const port = Number(at >= 0 ? process.argv[at + 1] : (process.env.PORT ?? 8080));
  const { url } = await startServer({ port });
  console.log(`listening on ${url}  (open ${url}?user=alice)`);
}
