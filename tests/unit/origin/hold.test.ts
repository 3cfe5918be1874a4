import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Origin, startOrigin, syntheticBytes } from '../../../tools/origin/index.ts';
import { bytesEqual, entriesFor } from './helpers.ts';

/** Read `body` until at least `count` bytes arrived; resolves with what was read. */
async function readAtLeast(reader: ReadableStreamDefaultReader<Uint8Array>, count: number) {
  const parts: Uint8Array[] = [];
  let total = 0;
  while (total < count) {
    const { value, done } = await reader.read();
    if (done) break;
    parts.push(value);
    total += value.length;
  }
  return parts;
}

describe('holdAfter knob', () => {
  let origin: Origin;
  beforeAll(async () => {
    origin = await startOrigin();
  });
  afterAll(() => origin.close());

  it('sendsExactlyThatManyBytes_waitsUntilReleased_thenTheRest', async () => {
    const path = '/synthetic/50000';
    const response = await fetch(`${origin.url}${path}?seed=5&holdAfter=1000`);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const head = await readAtLeast(reader, 1000);
    const [entry] = entriesFor(origin, path);
    // Held: exactly 1000 bytes left the origin and the response has not ended.
    expect(head.reduce((n, p) => n + p.length, 0)).toBe(1000);
    expect(entry?.bytesSent).toBe(1000);
    expect(entry?.end).toBeNull();
    origin.releaseHeld();
    const rest = await readAtLeast(reader, 49_000);
    const all = new Uint8Array(50_000);
    let at = 0;
    for (const p of [...head, ...rest]) {
      all.set(p, at);
      at += p.length;
    }
    expect(bytesEqual(all, syntheticBytes(5, 0, 50_000))).toBe(true);
  });

  it('holdAfter0_headersOnly_untilReleased', async () => {
    const path = '/synthetic/3000';
    const response = await fetch(`${origin.url}${path}?holdAfter=0`);
    expect(response.status).toBe(200);
    expect(entriesFor(origin, path)[0]?.bytesSent).toBe(0);
    origin.releaseHeld();
    expect((await response.arrayBuffer()).byteLength).toBe(3000);
  });

  it('clientLeavesWhileHeld_responseEnds', async () => {
    const path = '/synthetic/40000';
    const controller = new AbortController();
    const response = await fetch(`${origin.url}${path}?holdAfter=10`, {
      signal: controller.signal,
    });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    await readAtLeast(reader, 10);
    controller.abort();
    await origin.whenIdle();
    expect(entriesFor(origin, path)[0]?.bytesSent).toBe(10);
  });
});
