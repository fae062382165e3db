// gitclub: organizations -> repositories -> issues, users with org and repo roles.
// Deterministic: everything derives from the seed "gitclub/<scale>".
import { makeRng } from "../lib/prng.mjs";
import { readFileSync } from "node:fs";

export const SCALES = {
  // XS: a validation scale small enough for boreal's reference evaluator (the Polar oracle)
  XS: { O: 3, R: 4, I: 8, U: 60 },
  // O orgs, R repos per org, I issues per repo, U users  (≈ 10k / 100k / 1M facts, as in perf-anchors.md §1.2)
  S: { O: 10, R: 10, I: 40, U: 500 },
  M: { O: 50, R: 20, I: 40, U: 5_000 },
  L: { O: 200, R: 50, I: 40, U: 50_000 },
};

export const ACTIONS = { Org: [], Repo: ["read", "delete"], Issue: ["read", "close"] };

export const POLAR = readFileSync(new URL("./gitclub.polar", import.meta.url), "utf8");

/**
 * Generate the facts and the structure needed to draw requests.
 * Facts are Oso-Cloud-shaped tuples: ["has_role", {type,id}, "member", {type,id}].
 * Entity objects are shared between facts (one object per entity).
 */
export function generate(scale) {
  const p = SCALES[scale];
  if (!p) throw new Error(`unknown gitclub scale ${scale}`);
  const rng = makeRng(`gitclub/${scale}`);
  const { O, R, I, U } = p;
  const nRepos = O * R;
  const nIssues = nRepos * I;
  const users = new Array(U);
  const orgs = new Array(O);
  const repos = new Array(nRepos);
  for (let u = 0; u < U; u++) users[u] = { type: "User", id: `u${u}` };
  for (let o = 0; o < O; o++) orgs[o] = { type: "Org", id: `o${o}` };
  for (let r = 0; r < nRepos; r++) repos[r] = { type: "Repo", id: `r${r}` };

  const facts = [];
  for (let r = 0; r < nRepos; r++) facts.push(["has_relation", repos[r], "parent", orgs[Math.floor(r / R)]]);

  const issueCreator = new Int32Array(nIssues);
  const createdBy = Array.from({ length: U }, () => []);
  for (let i = 0; i < nIssues; i++) {
    const issue = { type: "Issue", id: `i${i}` };
    const creator = rng.int(U);
    issueCreator[i] = creator;
    createdBy[creator].push(i);
    facts.push(["has_relation", issue, "parent", repos[Math.floor(i / I)]]);
    facts.push(["has_relation", issue, "creator", users[creator]]);
  }

  // user roles: 1-3 orgs (10% admin, else member), 0-2 direct repo roles (30% maintainer, else reader)
  const userOrgs = new Array(U);
  const userRepos = new Array(U);
  for (let u = 0; u < U; u++) {
    const k = 1 + rng.int(3);
    const mine = [];
    while (mine.length < Math.min(k, O)) {
      const o = rng.int(O);
      if (!mine.some((m) => m.o === o)) mine.push({ o, role: rng.chance(0.1) ? "admin" : "member" });
    }
    for (const m of mine) facts.push(["has_role", users[u], m.role, orgs[m.o]]);
    userOrgs[u] = mine;
    const j = rng.int(3);
    const rr = [];
    while (rr.length < j) {
      const r = rng.int(nRepos);
      if (!rr.some((m) => m.r === r)) rr.push({ r, role: rng.chance(0.3) ? "maintainer" : "reader" });
    }
    for (const m of rr) facts.push(["has_role", users[u], m.role, repos[m.r]]);
    userRepos[u] = rr;
  }
  return {
    workload: "gitclub",
    family: "gitclub",
    scale,
    params: p,
    facts,
    listType: "Issue",
    listAction: "read",
    actions: ACTIONS,
    counts: { users: U, orgs: O, repos: nRepos, issues: nIssues },
    _gen: { p, nRepos, nIssues, userOrgs, userRepos, createdBy, issueCreator },
  };
}

/** Draw n requests with fresh strings (so per-op timings include first-touch hashing of ids). */
export function requests(w, n, seed) {
  const rng = makeRng(`gitclub/${w.scale}/requests/${seed}`);
  const { p, nRepos, nIssues, userOrgs, userRepos, createdBy } = w._gen;
  const out = new Array(n);
  for (let k = 0; k < n; k++) {
    const u = rng.int(p.U);
    let type, id;
    let targeted = rng.chance(0.6);
    if (targeted) {
      const mine = [...userOrgs[u].map((m) => ({ org: m.o })), ...userRepos[u].map((m) => ({ repo: m.r }))];
      if (createdBy[u].length > 0 && rng.chance(0.15)) {
        type = "Issue";
        id = rng.pick(createdBy[u]);
      } else {
        const m = rng.pick(mine);
        const repo = m.repo !== undefined ? m.repo : m.org * p.R + rng.int(p.R);
        if (rng.chance(0.3)) { type = "Repo"; id = repo; }
        else { type = "Issue"; id = repo * p.I + rng.int(p.I); }
      }
    } else if (rng.chance(0.3)) { type = "Repo"; id = rng.int(nRepos); }
    else { type = "Issue"; id = rng.int(nIssues); }
    const acts = ACTIONS[type];
    // targeted issue requests lean towards "read" (the costliest check: issue -> repo -> org)
    const action = type === "Issue" && targeted && rng.chance(0.5) ? "read" : rng.pick(acts);
    out[k] = {
      actor: { type: "User", id: "u" + String(u) },
      action: action.slice(0),
      resource: { type, id: (type === "Repo" ? "r" : "i") + String(id) },
    };
  }
  return out;
}

/** Users for list(): seeded. */
export function listUsers(w, n, seed) {
  const rng = makeRng(`gitclub/${w.scale}/list/${seed}`);
  return Array.from({ length: n }, () => ({ type: "User", id: "u" + String(rng.int(w._gen.p.U)) }));
}
