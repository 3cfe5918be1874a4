/**
 * The set of stored chunks of one media, as a bitmap: 1 bit per chunk, so a 10 GiB media in
 * 1 MiB chunks costs 1.25 KiB in its metadata record. Immutable operations return a new bitmap
 * so a record read from IndexedDB is never changed in place.
 */
export class ChunkBitmap {
  private constructor(private readonly bits: Uint8Array) {}

  static empty(count: number): ChunkBitmap {
    return new ChunkBitmap(new Uint8Array(Math.ceil(count / 8)));
  }

  static from(bytes: Uint8Array): ChunkBitmap {
    return new ChunkBitmap(new Uint8Array(bytes));
  }

  has(index: number): boolean {
    return ((this.bits[index >> 3] ?? 0) & (1 << (index & 7))) !== 0;
  }

  with(index: number): ChunkBitmap {
    const bits = new Uint8Array(this.bits);
    bits[index >> 3] = (bits[index >> 3] ?? 0) | (1 << (index & 7));
    return new ChunkBitmap(bits);
  }

  without(index: number): ChunkBitmap {
    const bits = new Uint8Array(this.bits);
    bits[index >> 3] = (bits[index >> 3] ?? 0) & ~(1 << (index & 7));
    return new ChunkBitmap(bits);
  }

  /** Indexes of the stored chunks, ascending. */
  indexes(): number[] {
    const out: number[] = [];
    for (let byte = 0; byte < this.bits.length; byte++) {
      const b = this.bits[byte] as number;
      if (b === 0) continue;
      for (let bit = 0; bit < 8; bit++) if (b & (1 << bit)) out.push(byte * 8 + bit);
    }
    return out;
  }

  /** Stored indexes as inclusive runs `[first, last]`, ascending. */
  ranges(): [number, number][] {
    const out: [number, number][] = [];
    for (const i of this.indexes()) {
      const last = out.at(-1);
      if (last && last[1] === i - 1) last[1] = i;
      else out.push([i, i]);
    }
    return out;
  }

  get count(): number {
    let n = 0;
    for (const b of this.bits) {
      let v = b;
      while (v) {
        v &= v - 1;
        n++;
      }
    }
    return n;
  }

  toBytes(): Uint8Array {
    return new Uint8Array(this.bits);
  }
}
