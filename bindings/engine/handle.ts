/**
 * Interned entity handles (DESIGN §5: "let applications hold interned handles"). A handle is a
 * `{ type, id }` value that also carries its value id in the engine that made it, so checks
 * with handles skip hashing the id string. It is accepted anywhere a value is; another engine
 * (or one restored from a snapshot) simply reads its `type` and `id` like any other value.
 */
import type { TypedValue } from "../api/types.js";

export class EntityHandle implements TypedValue {
  readonly #owner: object;
  readonly #vid: number;
  readonly #typeId: number;

  constructor(readonly type: string, readonly id: string, owner: object, vid: number, typeId: number) {
    this.#owner = owner;
    this.#vid = vid;
    this.#typeId = typeId;
    Object.freeze(this);
  }

  /** The value id of `v` in `owner`, or -1 when `v` is not a handle made by `owner`. */
  static idIn(v: unknown, owner: object): number {
    return v instanceof EntityHandle && v.#owner === owner ? v.#vid : -1;
  }

  /** The type id of handle `v` of `owner` (checked with idIn first). */
  static typeIdOf(v: EntityHandle): number {
    return v.#typeId;
  }
}
