/**
 * The slice format (docs/slices.md): magic `BRSL`, a format version, flags, the policy hash,
 * a string table, a value table, relations, facts as varint-coded rows, the known values, and
 * a checksum. Decoding checks everything before anything uses the result.
 */
import type { PolicySource, TypedValue } from "../api/types.js";
import { toTypedValue } from "../api/values.js";
import { ByteReader, ByteWriter, fnv1a32, Truncated } from "./bytes.js";
import { badSliceFormat, badSliceVersion } from "./errors.js";

/** The format this build reads and writes. */
export const SLICE_VERSION = 1;
export const SLICE_MAGIC = [0x42, 0x52, 0x53, 0x4c]; // "BRSL"

const FLAG_POLICY = 1;
const FLAG_POLICY_FILES = 2;
const FLAG_NOW = 4;
const KNOWN_FLAGS = FLAG_POLICY | FLAG_POLICY_FILES | FLAG_NOW;

export type SliceFact = readonly [pred: string, ...args: TypedValue[]];

/** A slice's contents. */
export interface SliceData {
  /** FNV-1a 64 of the policy source (hash.ts), 16 hex digits. */
  readonly policyHash: string;
  /** The policy source, when the slice carries it. */
  readonly policy?: PolicySource;
  readonly actor: TypedValue;
  /** The `@current_unix_time` the slice was taken at (only for policies that read it). */
  readonly now?: bigint;
  readonly facts: readonly SliceFact[];
  /** Values that `list` may expand a wildcard answer to (docs/slices.md, "Known values"). */
  readonly known: readonly TypedValue[];
}

class Table<K> {
  readonly items: K[] = [];
  private readonly index = new Map<string, number>();
  constructor(private readonly key: (k: K) => string) {}
  id(k: K): number {
    const key = this.key(k);
    let i = this.index.get(key);
    if (i === undefined) {
      i = this.items.length;
      this.index.set(key, i);
      this.items.push(k);
    }
    return i;
  }
}

export function encodeSlice(d: SliceData): Uint8Array {
  const strings = new Table<string>((s) => s);
  const values = new Table<TypedValue>((v) => `${v.type.length}:${v.type}${v.id}`);
  const rels = new Table<readonly [string, number]>(([p, n]) => `${n}/${p}`);
  const policyText = d.policy === undefined ? undefined : typeof d.policy === "string" ? d.policy : JSON.stringify(d.policy.map((f) => ({ filename: f.filename, src: f.src })));
  // ids first (tables are written before their uses)
  const policyId = policyText === undefined ? 0 : strings.id(policyText);
  const nowId = d.now === undefined ? 0 : strings.id(d.now.toString());
  const val = (v: TypedValue): number => {
    strings.id(v.type);
    strings.id(v.id);
    return values.id(v);
  };
  const actorId = val(d.actor);
  const factRows = d.facts.map(([pred, ...args]) => [rels.id([pred, args.length]), ...args.map(val)]);
  for (const r of rels.items) strings.id(r[0]);
  const knownIds = d.known.map(val);

  const w = new ByteWriter();
  for (const b of SLICE_MAGIC) w.byte(b);
  w.varint(SLICE_VERSION);
  let flags = 0;
  if (policyText !== undefined) flags |= FLAG_POLICY;
  if (d.policy !== undefined && typeof d.policy !== "string") flags |= FLAG_POLICY_FILES;
  if (d.now !== undefined) flags |= FLAG_NOW;
  w.varint(flags);
  for (let i = 0; i < 16; i += 2) w.byte(parseInt(d.policyHash.slice(i, i + 2), 16));
  const enc = new TextEncoder();
  w.varint(strings.items.length);
  for (const s of strings.items) {
    const b = enc.encode(s);
    w.varint(b.length);
    w.bytes(b);
  }
  if (policyText !== undefined) w.varint(policyId);
  if (d.now !== undefined) w.varint(nowId);
  w.varint(values.items.length);
  for (const v of values.items) {
    w.varint(strings.id(v.type));
    w.varint(strings.id(v.id));
  }
  w.varint(actorId);
  w.varint(rels.items.length);
  for (const [pred, arity] of rels.items) {
    w.varint(strings.id(pred));
    w.varint(arity);
  }
  w.varint(factRows.length);
  for (const row of factRows) for (const x of row) w.varint(x);
  w.varint(knownIds.length);
  for (const k of knownIds) w.varint(k);
  const body = w.result();
  w.u32(fnv1a32(body));
  return w.result();
}

/** Decode a slice; throws E_SLICE_FORMAT or E_SLICE_VERSION. */
export function decodeSlice(bytes: Uint8Array): SliceData {
  if (!(bytes instanceof Uint8Array)) throw badSliceFormat("it is not a Uint8Array");
  if (bytes.length < 4 || SLICE_MAGIC.some((b, i) => bytes[i] !== b)) throw badSliceFormat("it does not start with the slice magic `BRSL`");
  try {
    const head = new ByteReader(bytes);
    head.bytes(4);
    const version = head.varint();
    if (version !== SLICE_VERSION) throw badSliceVersion(version, SLICE_VERSION);
    if (bytes.length < head.pos + 4) throw new Truncated("it is truncated");
    const end = bytes.length - 4;
    if (fnv1a32(bytes.subarray(0, end)) !== new ByteReader(bytes.subarray(end)).u32()) throw new Truncated("its checksum does not match (it is truncated or damaged)");
    return readBody(new ByteReader(bytes, end), head.pos);
  } catch (e) {
    if (e instanceof Truncated) throw badSliceFormat(e.message);
    throw e;
  }
}

function readBody(r: ByteReader, start: number): SliceData {
  r.pos = start;
  const flags = r.varint();
  if ((flags & ~KNOWN_FLAGS) !== 0) throw new Truncated(`it has unknown flags ${flags}`);
  let policyHash = "";
  for (const b of r.bytes(8)) policyHash += b.toString(16).padStart(2, "0");
  const dec = new TextDecoder("utf-8", { fatal: true });
  const nStrings = r.varint();
  const strings: string[] = [];
  for (let i = 0; i < nStrings; i++) {
    const b = r.bytes(r.varint());
    try {
      strings.push(dec.decode(b));
    } catch {
      throw new Truncated("a string is not valid UTF-8");
    }
  }
  const str = (what: string): string => strings[r.index(strings.length, what)]!;
  let policy: PolicySource | undefined;
  if (flags & FLAG_POLICY) {
    const text = str("the policy string");
    policy = flags & FLAG_POLICY_FILES ? parseFiles(text) : text;
  }
  let now: bigint | undefined;
  if (flags & FLAG_NOW) {
    const text = str("the time string");
    if (!/^-?\d{1,19}$/.test(text)) throw new Truncated("its time is not an integer");
    now = BigInt(text);
  }
  const nValues = r.varint();
  const values: TypedValue[] = [];
  for (let i = 0; i < nValues; i++) {
    const type = str("a type string");
    const id = str("an id string");
    let v: TypedValue;
    try {
      v = toTypedValue({ type, id });
    } catch (e) {
      throw new Truncated(`it holds a malformed value (${e instanceof Error ? e.message : String(e)})`);
    }
    if (v.type !== type || v.id !== id) throw new Truncated(`it holds a value in a non-canonical form (\`${type}:${id}\`)`);
    values.push(v);
  }
  const value = (): TypedValue => values[r.index(values.length, "value")]!;
  const actor = value();
  const nRels = r.varint();
  const rels: [string, number][] = [];
  for (let i = 0; i < nRels; i++) rels.push([str("a predicate string"), r.varint()]);
  const nFacts = r.varint();
  const facts: SliceFact[] = [];
  for (let i = 0; i < nFacts; i++) {
    const [pred, arity] = rels[r.index(rels.length, "relation")]!;
    const args: TypedValue[] = [];
    for (let k = 0; k < arity; k++) args.push(value());
    facts.push([pred, ...args]);
  }
  const nKnown = r.varint();
  const known: TypedValue[] = [];
  for (let i = 0; i < nKnown; i++) known.push(value());
  if (!r.atEnd) throw new Truncated("it has bytes after its last section");
  const base = { policyHash, actor, facts, known };
  return { ...base, ...(policy === undefined ? {} : { policy }), ...(now === undefined ? {} : { now }) };
}

function parseFiles(text: string): PolicySource {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new Truncated("its policy files are not valid JSON");
  }
  if (!Array.isArray(v) || !v.every((f) => typeof f === "object" && f !== null && typeof (f as { filename?: unknown }).filename === "string" && typeof (f as { src?: unknown }).src === "string")) {
    throw new Truncated("its policy files are malformed");
  }
  return (v as { filename: string; src: string }[]).map((f) => ({ filename: f.filename, src: f.src }));
}
