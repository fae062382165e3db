// Shared adapter for engines implementing boreal's AuthorizationEngine contract
// (bindings/api/types.ts): policy / batch / authorize / actions / list.

export function engineAdapter(engine, { polar, ingestWith = "batch" }) {
  engine.policy(polar);
  const adapter = {
    sync: true,
    ingest(facts) {
      if (ingestWith === "insertMany" && typeof engine.insertMany === "function") {
        engine.insertMany(facts);
        return { api: "insertMany" };
      }
      engine.batch((tx) => {
        for (let i = 0; i < facts.length; i++) tx.insert(facts[i]);
      });
      return { api: "batch" };
    },
    check: (actor, action, resource) => engine.authorize(actor, action, resource),
    actions: (actor, resource) => engine.actions(actor, resource),
    list: (actor, action, type) => engine.list(actor, action, type),
    memory() {
      const out = {};
      for (const k of ["storeBytes", "factCount", "indexEntries"]) {
        try { if (typeof engine[k] === "number") out[k] = engine[k]; } catch { /* optional */ }
      }
      return out;
    },
  };
  // Optional handle API: engine.entity(type, id) -> a handle accepted wherever a value is.
  if (typeof engine.entity === "function") {
    adapter.prepareCheck = (actor, action, resource) => [engine.entity(actor.type, actor.id), action, engine.entity(resource.type, resource.id)];
    adapter.checkPrepared = (p) => engine.authorize(p[0], p[1], p[2]);
  }
  return adapter;
}
