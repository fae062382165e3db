// Peer registry. Every peer module exports: name, description, open(ctx) -> adapter, optionally available().
// Adapter: { sync (check/actions are synchronous), actionsSync?, listSync?, ingest(facts), check(actor, action, resource), actions(actor, resource)?,
//            list(actor, action, type)?, canList(type)?, memory()?, info()?, close()? }
export const PEERS = ["boreal", "js-floor", "casl", "cedar", "oso", "casbin", "boreal-ref"];

/** Peers that run 3× per scale (cheap), the others once (perf-anchors.md §1.3). */
export const FAST = new Set(["boreal", "js-floor", "casl"]);

export async function loadPeer(name) {
  if (!PEERS.includes(name)) throw new Error(`unknown peer ${name}`);
  return import(`./${name}.mjs`);
}
