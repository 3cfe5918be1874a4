import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type LogEntry, type Origin, startOrigin } from '../../../tools/origin/index.ts';
import { defined, entriesFor, request } from './helpers.ts';

/** Timing assertions are lower bounds only: a loaded machine may be slower, never faster. */
async function timedGet(origin: Origin, path: string): Promise<number> {
  const started = performance.now();
  const response = await request(origin, path);
  expect(response.status).toBe(200);
  return performance.now() - started;
}

function overlaps(a: LogEntry, b: LogEntry): boolean {
  return (
    a.start < (b.end ?? Number.POSITIVE_INFINITY) && b.start < (a.end ?? Number.POSITIVE_INFINITY)
  );
}

describe('rate limits and connection caps', () => {
  let origin: Origin;
  beforeAll(async () => {
    origin = await startOrigin();
  });
  afterEach(async () => {
    await origin.whenIdle();
    origin.resetKnobs();
    origin.clearLog();
  });
  afterAll(() => origin.close());

  it('rate caps one connection: 200 KB at 400 KB/s takes about 0.4 s', async () => {
    const elapsed = await timedGet(origin, '/synthetic/200000?rate=400000');
    // 0.4 s minus the initial burst (rate/10 = 40 KB → 0.1 s), with slack.
    expect(elapsed).toBeGreaterThanOrEqual(300);
    await origin.whenIdle();
    expect(defined(origin.log[0]).bytesSent).toBe(200_000);
  });

  it('rate from setKnobs applies to the matching prefix', async () => {
    origin.setKnobs('/synthetic/', { rate: 400_000 });
    expect(await timedGet(origin, '/synthetic/200000')).toBeGreaterThanOrEqual(300);
  });

  it('linkRate is shared: two parallel connections need total bytes / linkRate', async () => {
    origin.setKnobs('/synthetic/', { linkRate: 400_000 });
    const started = performance.now();
    const finished = await Promise.all(
      [1, 2].map(async (seed) => {
        await request(origin, `/synthetic/200000?seed=${seed}`);
        return performance.now() - started;
      }),
    );
    // 400 KB over a 400 KB/s link ≈ 0.9 s (1 s minus a 40 KB burst). Fair sharing means neither
    // connection finishes its 200 KB much before the other (≈ 0.8 s); a link handed to one
    // connection at a time would finish the first after ≈ 0.4 s. The slack below tolerates up
    // to 0.3 s between the two arrivals on a loaded machine.
    expect(Math.max(...finished)).toBeGreaterThanOrEqual(750);
    expect(Math.min(...finished)).toBeGreaterThanOrEqual(500);
    await origin.whenIdle();
    const [a, b] = origin.log;
    expect(defined(a).connId).not.toBe(defined(b).connId);
    expect(overlaps(defined(a), defined(b))).toBe(true);
  });

  it('maxConns=1 queues the second request instead of rejecting it; no overlap', async () => {
    origin.setKnobs('/synthetic/', { maxConns: 1, rate: 1_000_000 });
    const responses = await Promise.all([
      request(origin, '/synthetic/100000?seed=1'),
      request(origin, '/synthetic/100000?seed=2'),
    ]);
    expect(responses.map((r) => r.status)).toEqual([200, 200]);
    await origin.whenIdle();
    const [first, second] = origin.log.map((entry) => defined(entry));
    expect(overlaps(defined(first), defined(second))).toBe(false);
    expect(defined(second).start).toBeGreaterThanOrEqual(defined(first).end ?? Number.NaN);
    expect(defined(second).start).toBeGreaterThan(defined(second).arrived); // it waited
  });

  it('maxConns serves the queue in arrival order and never exceeds the cap', async () => {
    origin.setKnobs('/synthetic/', { maxConns: 2, rate: 2_000_000 });
    await Promise.all(
      [1, 2, 3, 4, 5].map((seed) => request(origin, `/synthetic/100000?seed=${seed}`)),
    );
    await origin.whenIdle();
    const entries = [...origin.log].sort((a, b) => a.arrived - b.arrived);
    // Concurrency only rises when a response starts, so checking at each start suffices.
    for (const { start } of entries) {
      const running = entries.filter((e) => e.start <= start && start < (e.end ?? Number.NaN));
      expect(running.length).toBeLessThanOrEqual(2);
    }
    const starts = entries.map((entry) => entry.start);
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
  });

  it('a client that leaves the maxConns queue frees its place', async () => {
    // The first response holds the only slot for ~10 s (it is cancelled long before): the second
    // waits for the slot however slow the machine, and leaves while it waits.
    origin.setKnobs('/synthetic/', { maxConns: 1, rate: 10_000 });
    const first = fetch(`${origin.url}/synthetic/100000?seed=1`);
    const leaving = new AbortController();
    const headersOfFirst = await first;
    const queued = origin.whenRequest((entry) => entry.url.endsWith('seed=2'));
    const second = fetch(`${origin.url}/synthetic/100000?seed=2`, { signal: leaving.signal });
    const secondFailed = expect(second).rejects.toThrow();
    await queued; // it reached the origin and waits for the slot
    leaving.abort();
    await secondFailed;
    // Once the origin has seen the second leave, the first leaves too: its slot is free.
    await vi.waitFor(
      () => expect(origin.log.find((e) => e.url.endsWith('seed=2'))?.aborted).toBe(true),
      { timeout: 30_000 },
    );
    await headersOfFirst.body?.cancel();
    origin.setKnobs('/synthetic/', { maxConns: 1 });
    const third = await request(origin, '/synthetic/100000?seed=3');
    expect(third.status).toBe(200);
    await origin.whenIdle();
    const left = defined(origin.log.find((entry) => entry.url.endsWith('seed=2')));
    expect(left.aborted).toBe(true);
    expect(left.status).toBe(0);
    expect(left.bytesSent).toBe(0);
  });

  it('stops writing as soon as the client goes away', async () => {
    const controller = new AbortController();
    const response = await fetch(`${origin.url}/synthetic/10000000?rate=100000`, {
      signal: controller.signal,
    });
    const reader = defined(response.body ?? undefined).getReader();
    await reader.read();
    controller.abort();
    await origin.whenIdle();
    const entry = defined(entriesFor(origin, '/synthetic/10000000')[0]);
    expect(entry.aborted).toBe(true);
    const sentAtClose = entry.bytesSent;
    expect(sentAtClose).toBeLessThan(10_000_000);
    // Give a stray writer time to show itself: a later throttled response on the same origin.
    await request(origin, '/synthetic/10?ttfb=100');
    expect(entry.bytesSent).toBe(sentAtClose);
  });
});
