import { within } from './UpstreamTimeouts.ts';

/**
 * One read of an upstream body (a reader, or one read of a BYOB reader) that must bring something
 * within `ms`: an upstream that stops
 * sending mid-body would otherwise hold its reader (and a chunk, and a concurrency slot)
 * forever. Rejects with a `TimeoutError` (see UpstreamTimeouts); the caller then aborts the
 * request. Only the time a read waits counts, so a body nobody reads never times out.
 */
export function readWithin(
  reader:
    | ReadableStreamDefaultReader<Uint8Array>
    | (() => Promise<ReadableStreamReadResult<Uint8Array>>),
  ms: number,
): Promise<ReadableStreamReadResult<Uint8Array>> {
  const read = typeof reader === 'function' ? reader() : reader.read();
  return within(read, ms, `no body bytes for ${ms / 1000} s`);
}
