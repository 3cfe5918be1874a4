/**
 * Deterministic bytes of a synthetic media: byte `i` of the media made from `seed` is always the
 * same, and two seeds differ almost everywhere, so a test can compare exact bytes and tell old
 * content from new. (A 32-bit integer hash of seed and position, in the style of MurmurHash3's
 * finaliser: cheap, and no byte pattern repeats at chunk-sized periods.)
 */
export function syntheticBytes(seed: number, start: number, end: number): Uint8Array {
  const out = new Uint8Array(Math.max(0, end - start));
  for (let i = start; i < end; i++) {
    let h = Math.imul(i + 1, 0x9e3779b1) ^ Math.imul(seed + 1, 0x85ebca77);
    h ^= h >>> 16;
    h = Math.imul(h, 0x7feb352d);
    h ^= h >>> 15;
    out[i - start] = h & 0xff;
  }
  return out;
}
