import { describe, expect, it } from 'vitest';
import { ConnLimiter, type Release } from '../../../tools/origin/conn-limiter.ts';
import { KnobTable } from '../../../tools/origin/knob-table.ts';
import { knobsFromJson, knobsFromQuery } from '../../../tools/origin/knobs.ts';
import { burstFor, pieceSizeFor, RateLimits } from '../../../tools/origin/rate-limits.ts';
import { TokenBucket } from '../../../tools/origin/token-bucket.ts';

describe('TokenBucket', () => {
  it('lets a full bucket through, then charges debt at the configured rate', () => {
    let now = 0;
    const bucket = new TokenBucket(1000, 100, () => now);
    expect(bucket.reserve(100)).toBe(0);
    expect(bucket.reserve(100)).toBe(100); // 100 bytes at 1000 B/s
    expect(bucket.reserve(50)).toBe(150); // queued behind the first reservation
    now = 150;
    expect(bucket.reserve(10)).toBe(10);
  });

  it('refills up to the burst only', () => {
    let now = 0;
    const bucket = new TokenBucket(1000, 100, () => now);
    bucket.reserve(100);
    now = 10_000;
    expect(bucket.reserve(100)).toBe(0);
    expect(bucket.reserve(1)).toBe(1);
  });

  it('keeps the earned tokens when reconfigured', () => {
    let now = 0;
    const bucket = new TokenBucket(1000, 100, () => now);
    bucket.reserve(100);
    now = 50; // earned 50 at the old rate
    bucket.configure(2000, 200);
    expect(bucket.reserve(100)).toBe(25); // 50 short at 2000 B/s
    expect(bucket.rate).toBe(2000);
  });

  it('sizes pieces and bursts from the rate', () => {
    expect(pieceSizeFor(400_000)).toBe(16 * 1024);
    expect(pieceSizeFor(2000)).toBe(512);
    expect(burstFor(400_000)).toBe(40_000);
    expect(burstFor(10_000_000)).toBe(65_536);
    expect(burstFor(100_000_000)).toBe(400_000);
    expect(burstFor(1000)).toBe(512);
  });
});

describe('RateLimits', () => {
  it('responseRate_newBucketPerResponse_burstOfOnePieceOnly', () => {
    const limits = new RateLimits();
    const a = limits.throttleFor(null, { responseRate: 2_000_000 });
    const b = limits.throttleFor(null, { responseRate: 2_000_000 });
    expect(a.response).not.toBeNull();
    expect(a.response).not.toBe(b.response);
    expect(a.conn).toBeNull();
    expect(a.pieceSize).toBe(pieceSizeFor(2_000_000));
    // Its first piece goes at once, the next waits its time: no burst beyond one piece.
    expect(a.response?.reserve(a.pieceSize)).toBe(0);
    expect(a.response?.reserve(a.pieceSize)).toBeGreaterThan(0);
  });

  it('noResponseRate_noResponseBucket', () => {
    expect(new RateLimits().throttleFor(null, { rate: 1000 }).response).toBeNull();
  });
});

describe('ConnLimiter', () => {
  const never = new AbortController().signal;

  it('grants up to the limit and then in FIFO order', async () => {
    const limiter = new ConnLimiter();
    const order: number[] = [];
    const releases: Release[] = [];
    const take = (n: number) =>
      limiter.acquire('k', 2, never).then((release) => {
        order.push(n);
        if (release) releases.push(release);
      });
    const all = [1, 2, 3, 4].map(take);
    await Promise.all(all.slice(0, 2));
    expect(order).toEqual([1, 2]);
    releases[0]?.();
    releases[0]?.(); // releasing twice is harmless
    await all[2];
    expect(order).toEqual([1, 2, 3]);
    releases[1]?.();
    await all[3];
    expect(order).toEqual([1, 2, 3, 4]);
  });

  it('drops an aborted waiter from the queue', async () => {
    const limiter = new ConnLimiter();
    const first = await limiter.acquire('k', 1, never);
    const leaving = new AbortController();
    const gone = limiter.acquire('k', 1, leaving.signal);
    const next = limiter.acquire('k', 1, never);
    leaving.abort();
    expect(await gone).toBeNull();
    first?.();
    expect(await next).toBeTypeOf('function');
  });
});

describe('knob parsing and resolution', () => {
  it('parses query knobs and ignores invalid or unknown ones', () => {
    const query = new URLSearchParams(
      'rate=2000000&linkRate=5e6&ttfb=50&maxConns=2&failNth=1,3&failStatus=500&resetAfter=1000' +
        '&ignoreRange=1&wrongContentRange=true&changeAfter=5&noExpose&noCors=0&status=404&x=1',
    );
    expect(knobsFromQuery(query)).toEqual({
      rate: 2_000_000,
      linkRate: 5_000_000,
      ttfb: 50,
      maxConns: 2,
      failNth: [1, 3],
      failStatus: 500,
      resetAfter: 1000,
      ignoreRange: true,
      wrongContentRange: true,
      changeAfter: 5,
      noExpose: true,
      noCors: false,
      status: 404,
    });
    const bad = new URLSearchParams(
      'rate=0&ttfb=-1&maxConns=1.5&failNth=0,a&status=99&noCors=maybe',
    );
    expect(knobsFromQuery(bad)).toEqual({});
  });

  it('validates JSON knobs and reports errors', () => {
    expect(knobsFromJson({ failNth: [2], ignoreRange: true, rate: null })).toEqual({
      knobs: { failNth: [2], ignoreRange: true },
      errors: [],
    });
    expect(knobsFromJson({ rate: 'x', nope: 1 }).errors).toHaveLength(2);
    expect(knobsFromJson([]).errors).toHaveLength(1);
  });

  it('merges prefixes from short to long, then the query', () => {
    const table = new KnobTable({ ttfb: 5 });
    table.set('', { rate: 1 });
    table.set('/synthetic/', { rate: 2, maxConns: 3 });
    table.set('/synthetic/big', { linkRate: 4, rate: undefined });
    expect(table.resolve('/synthetic/big/1', {})).toEqual({
      knobs: { rate: 2, maxConns: 3, linkRate: 4 },
      maxConnsKey: 'prefix:/synthetic/',
    });
    expect(table.resolve('/synthetic/1', { maxConns: 1, rate: 9 })).toEqual({
      knobs: { rate: 9, maxConns: 1 },
      maxConnsKey: 'path:/synthetic/1',
    });
    table.reset();
    expect(table.resolve('/files/a', {}).knobs).toEqual({ ttfb: 5 });
  });
});
