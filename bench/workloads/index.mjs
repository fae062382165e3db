// Workload registry: gitclub, deep10, deep50; each at scales S / M / L.
import * as gitclub from "./gitclub.mjs";
import * as deep from "./deep.mjs";

export const WORKLOADS = ["gitclub", "deep10", "deep50"];
export const SCALES = ["S", "M", "L"];

export function familyOf(workload) {
  return workload === "gitclub" ? "gitclub" : "deep";
}

export function polarFor(family) {
  return family === "gitclub" ? gitclub.POLAR : deep.POLAR;
}

/**
 * Build a workload: facts plus seeded request sets (fresh strings in every process).
 * sizes: { warmup, checks, actions, lists }
 */
export function buildWorkload(workload, scale, sizes) {
  const mod = workload === "gitclub" ? gitclub : deep;
  const w = workload === "gitclub" ? gitclub.generate(scale) : deep.generate(workload, scale);
  w.polar = polarFor(w.family);
  w.warmup = mod.requests(w, sizes.warmup, "warmup");
  w.checks = mod.requests(w, sizes.checks, "measured");
  // actions on (actor, resource) pairs drawn from a separate seeded request set
  w.actionPairs = mod.requests(w, sizes.actions, "actions").map((r) => ({ actor: r.actor, resource: r.resource }));
  w.actionWarmup = mod.requests(w, Math.min(200, sizes.actions), "actions-warmup").map((r) => ({ actor: r.actor, resource: r.resource }));
  w.listUsers = mod.listUsers(w, sizes.lists, "measured");
  w.listWarmup = mod.listUsers(w, Math.min(3, sizes.lists), "warmup");
  return w;
}
