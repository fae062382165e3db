// The page: loads this user's slice into an in-browser engine and shows each issue's controls
// only when the user may use them. The server authorizes every write again regardless.
import { gate, loadEngine } from "boreal";

const CONTROLS = [
  ["edit", "Edit"],
  ["close", "Close"],
  ["delete", "Delete"],
];
const status = document.getElementById("status");
const list = document.getElementById("issues");
const me = { type: "User", id: document.body.dataset.user ?? "" };
let g; // the gate over the engine that holds this user's slice

async function get(path) {
  const res = await fetch(path, { cache: "no-store" });
  if (!res.ok) throw new Error(`GET ${path}: HTTP ${res.status}`);
  return res;
}

/** This user's slice: the facts the server's answers for this user depend on, and the policy. */
async function fetchSlice() {
  return new Uint8Array(await (await get("/slice")).arrayBuffer());
}

/** A gate over a new engine holding the slice, or the same gate with the new slice loaded. */
async function load(slice) {
  if (g === undefined) g = gate(await loadEngine({ slice }), me);
  else g.loadSlice(slice); // also forgets the old answers
}

function row(issue) {
  const li = document.createElement("li");
  li.dataset.issue = issue.id;
  const title = document.createElement("span");
  title.className = "title";
  title.textContent = `${issue.id} ${issue.title}${issue.closed ? " (closed)" : ""}`;
  li.append(title);
  const resource = { type: "Issue", id: issue.id };
  for (const [action, label] of CONTROLS) {
    if (!g.can(action, resource)) continue; // hidden, not just disabled
    if (action === "close" && issue.closed) continue;
    const button = document.createElement("button");
    button.dataset.action = action;
    button.textContent = label;
    button.addEventListener("click", () => void act(issue, action));
    li.append(button);
  }
  return li;
}

async function refresh() {
  const [issues, slice] = await Promise.all([get("/api/issues").then((r) => r.json()), fetchSlice()]);
  await load(slice);
  list.replaceChildren(...issues.map(row));
  status.textContent = `${issues.length} issues`;
  document.body.dataset.renders = String(Number(document.body.dataset.renders ?? 0) + 1);
}

async function act(issue, action) {
  const body = action === "edit" ? JSON.stringify({ title: prompt("New title", issue.title) ?? issue.title }) : "{}";
  const res = await fetch(`/api/issues/${encodeURIComponent(issue.id)}/${action}`, { method: "POST", headers: { "Content-Type": "application/json" }, body });
  if (!res.ok) status.textContent = `${action} ${issue.id}: HTTP ${res.status}`;
  await refresh().catch(fail); // a write changes the facts: fetch a new slice
}

function fail(e) {
  status.textContent = `error: ${e instanceof Error ? e.message : String(e)}`;
  document.body.dataset.error = status.textContent;
}

if (me.id !== "") refresh().catch(fail);
