/** Byte writer and bounds-checked reader with unsigned LEB128 varints. */

/** Thrown by ByteReader; the codec turns it into E_SLICE_FORMAT. */
export class Truncated extends Error {}

export class ByteWriter {
  private buf = new Uint8Array(256);
  length = 0;

  private room(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let c = this.buf.length * 2;
    while (c < this.length + n) c *= 2;
    const b = new Uint8Array(c);
    b.set(this.buf.subarray(0, this.length));
    this.buf = b;
  }

  byte(b: number): void {
    this.room(1);
    this.buf[this.length++] = b & 0xff;
  }

  bytes(b: Uint8Array): void {
    this.room(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }

  varint(n: number): void {
    if (!Number.isSafeInteger(n) || n < 0 || n > 0xffffffff) throw new Error(`varint out of range: ${n}`);
    while (n >= 0x80) {
      this.byte((n & 0x7f) | 0x80);
      n = Math.floor(n / 128);
    }
    this.byte(n);
  }

  u32(n: number): void {
    for (let i = 0; i < 4; i++) this.byte((n >>> (8 * i)) & 0xff);
  }

  result(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

export class ByteReader {
  pos = 0;
  constructor(private readonly buf: Uint8Array, private readonly end = buf.length) {}

  get atEnd(): boolean {
    return this.pos === this.end;
  }

  byte(): number {
    if (this.pos >= this.end) throw new Truncated("it ends in the middle of a section");
    return this.buf[this.pos++]!;
  }

  bytes(n: number): Uint8Array {
    if (n > this.end - this.pos) throw new Truncated("a section runs past its end");
    const b = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }

  varint(): number {
    let n = 0;
    let scale = 1;
    for (let i = 0; i < 5; i++) {
      const b = this.byte();
      n += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) {
        if (n > 0xffffffff) break;
        return n;
      }
      scale *= 128;
    }
    throw new Truncated("a number is malformed");
  }

  /** A varint that must be below `limit` (an index or a count bounded by the bytes left). */
  index(limit: number, what: string): number {
    const n = this.varint();
    if (n >= limit) throw new Truncated(`${what} ${n} is out of range`);
    return n;
  }

  u32(): number {
    const b = this.bytes(4);
    return (b[0]! | (b[1]! << 8) | (b[2]! << 16) | (b[3]! << 24)) >>> 0;
  }
}

/** FNV-1a 32 (the slice's checksum). */
export function fnv1a32(bytes: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return h >>> 0;
}
