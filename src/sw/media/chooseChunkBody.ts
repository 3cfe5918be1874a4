/**
 * How a chunk download reads its body:
 * - `bytes`: through the worker's JavaScript into one buffer, as the bytes arrive. Readers can
 *   be sent the bytes before the chunk is complete (PartialChunks), and a body that stops sending
 *   is caught within the stall timeout.
 * - `native`: `Response.blob()`, stored as that Blob. The bytes go from the network to the store
 *   inside the browser, never through the worker's JavaScript: no chunk buffer (no garbage
 *   waiting for a collection), no copy in the worker. Nobody sees its bytes before the chunk is
 *   complete, and only its whole time can be bounded.
 */
export type ChunkBody = 'bytes' | 'native';

/** A native body only where one connection is expected to bring the whole chunk this fast. */
export const NATIVE_MAX_EXPECTED_MS = 1000;

/**
 * Which body a chunk download reads. `bytes` when a reader waits on this chunk (it is sent
 * bytes as they arrive), when the upstream is not measured yet, or when one connection is
 * expected to need more than `NATIVE_MAX_EXPECTED_MS` or a quarter of the stall timeout for the
 * chunk: a native body is bounded by the stall timeout as a whole, so it is used only where that
 * bound is many times what the chunk needs. The expectation is the origin's record, unless the
 * media's own recent downloads were slower: a file slow where the origin's other files are fast
 * (a cold object behind a CDN) is not read natively again because those files refill the
 * origin's record. Pure.
 */
export function chooseChunkBody(c: {
  readerWaiting: boolean;
  /**
   * One connection's expected ms for this chunk from the origin's record (`UpstreamSpeeds`),
   * null when unmeasured.
   */
  expectedMs: number | null;
  /** The same from this media's own recent downloads (one is enough), null when none. */
  mediaExpectedMs?: number | null;
  stallTimeoutMs: number;
}): ChunkBody {
  if (c.readerWaiting || c.expectedMs === null) return 'bytes';
  const expected = Math.max(c.expectedMs, c.mediaExpectedMs ?? 0);
  const limit = Math.min(NATIVE_MAX_EXPECTED_MS, c.stallTimeoutMs / 4);
  return expected <= limit ? 'native' : 'bytes';
}
