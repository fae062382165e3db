/**
 * The state of an engine loaded from a slice: whose slice it is, the known values it carries
 * and the pinned time. Questions about another actor are refused (E_SLICE_ACTOR): the slice
 * cannot answer them, and a silent `false` would look like a real answer.
 */
import type { TypedValue } from "../api/types.js";
import { sliceActorError } from "./errors.js";

export class SliceGuard {
  private readonly knownByType = new Map<string, TypedValue[]>();

  constructor(
    readonly actor: TypedValue,
    /** the actor's value id in the engine */
    private readonly actorVid: number,
    known: readonly TypedValue[],
    /** `@current_unix_time` pinned to the slice's time (undefined: the engine's clock) */
    readonly now: bigint | undefined,
  ) {
    for (const v of known) {
      let list = this.knownByType.get(v.type);
      if (list === undefined) this.knownByType.set(v.type, (list = []));
      list.push(v);
    }
  }

  /** Throws E_SLICE_ACTOR unless `vid` is the slice's actor. */
  check(vid: number, asked: () => TypedValue): void {
    if (vid !== this.actorVid) throw sliceActorError(asked(), this.actor);
  }

  /** The slice's known values of exactly `type`. */
  known(type: string): readonly TypedValue[] {
    return this.knownByType.get(type) ?? [];
  }
}
