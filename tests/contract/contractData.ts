import type { ChunkStore, MediaMeta, StoredChunk } from '../../src/sw/store/ChunkStore.ts';

/** A complete media's metadata under `key`, with `changes` applied. */
export function mediaMeta(key: string, changes: Partial<MediaMeta> = {}): MediaMeta {
  return {
    key,
    url: `https://upstream.test/${encodeURIComponent(key)}`,
    size: 100_000,
    contentType: 'video/mp4',
    etag: '"e1"',
    lastModified: 'Wed, 21 Oct 2015 07:28:00 GMT',
    chunkSize: 64 * 1024,
    validation: 'strong',
    version: 1,
    lastAccess: 1_700_000_000_000,
    pinned: false,
    ...changes,
  };
}

/** A deterministic pseudo-random generator in [0, 1) (xorshift32): same seed, same sequence. */
export function seededRandom(seed: number): () => number {
  let x = seed | 0 || 0x9e3779b9;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

/** `length` pseudo-random bytes from `seed`: chunks written with different seeds differ. */
export function bytesOf(seed: number, length: number): Uint8Array<ArrayBuffer> {
  const random = seededRandom(seed * 7919 + length);
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (random() * 256) | 0;
  return out;
}

/** `parts` back to back. */
export function joined(parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A Blob of `bytes` (a copy: later changes to `bytes` do not reach the store). */
export function blobOf(bytes: Uint8Array<ArrayBuffer>): Blob {
  return new Blob([bytes.slice()]);
}

/** `items` in an order drawn from `random` (Fisher–Yates). */
export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** `listChunks` in a fixed order (key, then index), so listings compare as plain data. */
export async function sortedChunks(store: ChunkStore, key?: string): Promise<StoredChunk[]> {
  const list = await store.listChunks(key);
  return list.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.index - b.index));
}

/** Let other tasks run: a macrotask turn, so concurrent work interleaves (never a timed wait). */
export function yieldTurn(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
