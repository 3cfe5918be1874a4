/**
 * Shared helpers for the origin tests: plain fetch wrappers and a raw http client for cases
 * fetch hides (truncated bodies, exact byte counts before a reset).
 */
import http from 'node:http';
import type { LogEntry, Origin } from '../../../tools/origin/index.ts';

export interface Fetched {
  status: number;
  headers: Headers;
  body: Uint8Array;
}

export async function request(
  origin: Origin,
  path: string,
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<Fetched> {
  const response = await fetch(origin.url + path, { method, headers });
  const body = new Uint8Array(await response.arrayBuffer());
  return { status: response.status, headers: response.headers, body };
}

export interface RawResult {
  status: number;
  headers: http.IncomingHttpHeaders;
  received: number;
  /** True when the whole Content-Length arrived. */
  complete: boolean;
}

/** GET on a fresh connection, counting body bytes until the end or the socket error. */
export function rawGet(origin: Origin, path: string): Promise<RawResult> {
  return new Promise((resolve, reject) => {
    const req = http.get(origin.url + path, { agent: false }, (res) => {
      let received = 0;
      res.on('data', (chunk: Buffer) => {
        received += chunk.length;
      });
      res.on('error', () => {});
      res.on('close', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          received,
          complete: res.complete,
        }),
      );
    });
    req.on('error', reject);
  });
}

/** Log entries for `path` (exact path, no query), in arrival order. */
export function entriesFor(origin: Origin, path: string): LogEntry[] {
  return origin.log.filter((entry) => entry.path === path);
}

/** Fail the test with a readable message when `value` is undefined. */
export function defined<T>(value: T | undefined, what = 'value'): T {
  if (value === undefined) throw new Error(`expected ${what} to be defined`);
  return value;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(
    Buffer.from(b.buffer, b.byteOffset, b.byteLength),
  );
}
