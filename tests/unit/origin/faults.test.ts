import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Origin, startOrigin, syntheticBytes } from '../../../tools/origin/index.ts';
import { bytesEqual, defined, entriesFor, rawGet, request } from './helpers.ts';

describe('fault knobs', () => {
  let origin: Origin;
  let root: string;
  const fileBytes = new Uint8Array(256).map((_, i) => i);

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'origin-faults-'));
    await writeFile(path.join(root, 'f.bin'), fileBytes);
    origin = await startOrigin({ root });
  });
  afterEach(() => origin.resetKnobs());
  afterAll(async () => {
    await origin.close();
    await rm(root, { recursive: true, force: true });
  });

  it('failNth fails exactly the listed request numbers of a path, all methods counted', async () => {
    origin.setKnobs('/synthetic/', { failNth: [2, 4] });
    const statuses = [];
    for (const method of ['GET', 'HEAD', 'GET', 'GET', 'GET']) {
      statuses.push((await request(origin, '/synthetic/100?fn=a', {}, method)).status);
    }
    expect(statuses).toEqual([200, 503, 200, 503, 200]);
    // Counted per path: another path starts at 1.
    expect((await request(origin, '/synthetic/101')).status).toBe(200);
  });

  it('failNth/failStatus from the query string, with CORS headers on the failure', async () => {
    const first = await request(origin, '/synthetic/102?failNth=1,3&failStatus=500');
    expect(first.status).toBe(500);
    expect(first.headers.get('access-control-allow-origin')).toBe('*');
    expect(first.headers.get('cache-control')).toBe('no-store');
    expect((await request(origin, '/synthetic/102?failNth=1,3&failStatus=500')).status).toBe(200);
    expect((await request(origin, '/synthetic/102?failNth=1,3&failStatus=500')).status).toBe(500);
  });

  it('resetAfter delivers exactly that many body bytes, then breaks the connection', async () => {
    const result = await rawGet(origin, '/synthetic/100000?resetAfter=1000');
    expect(result.status).toBe(200);
    expect(result.headers['content-length']).toBe('100000');
    expect(result.received).toBe(1000);
    expect(result.complete).toBe(false);
    await origin.whenIdle();
    const entry = defined(entriesFor(origin, '/synthetic/100000').at(-1));
    expect(entry.bytesSent).toBe(1000);
    expect(entry.aborted).toBe(true);
  });

  it('resetAfter 0 sends headers only; resetAfter >= body length changes nothing', async () => {
    const none = await rawGet(origin, '/synthetic/5000?resetAfter=0');
    expect(none.status).toBe(200);
    expect(none.received).toBe(0);
    expect(none.complete).toBe(false);
    const whole = await rawGet(origin, '/synthetic/5000?resetAfter=5000');
    expect(whole.received).toBe(5000);
    expect(whole.complete).toBe(true);
  });

  it('resetAfter counts bytes of the ranged body', async () => {
    origin.setKnobs('/synthetic/', { resetAfter: 70_000, rate: 10_000_000 });
    const result = await rawGet(origin, '/synthetic/200000');
    expect(result.received).toBe(70_000);
    expect(result.complete).toBe(false);
    await expect(
      fetch(`${origin.url}/synthetic/200000`).then((r) => r.arrayBuffer()),
    ).rejects.toThrow();
  });

  it('ignoreRange answers ranged requests with 200 and the full body', async () => {
    const response = await request(origin, '/synthetic/1000?ignoreRange=1', { Range: 'bytes=0-9' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-range')).toBeNull();
    expect(bytesEqual(response.body, syntheticBytes(0, 0, 1000))).toBe(true);
  });

  it('wrongContentRange shifts Content-Range by one but sends the requested bytes', async () => {
    const response = await request(origin, '/synthetic/1000?wrongContentRange=1', {
      Range: 'bytes=100-199',
    });
    expect(response.status).toBe(206);
    expect(response.headers.get('content-range')).toBe('bytes 101-200/1000');
    expect(bytesEqual(response.body, syntheticBytes(0, 100, 200))).toBe(true);
  });

  it('changeAfter changes synthetic content, ETag and Last-Modified after N requests', async () => {
    origin.setKnobs('/synthetic/', { changeAfter: 2 });
    const before = [
      await request(origin, '/synthetic/1000?seed=4'),
      await request(origin, '/synthetic/1000?seed=4'),
    ];
    const after = await request(origin, '/synthetic/1000?seed=4');
    for (const response of before) {
      expect(bytesEqual(response.body, syntheticBytes(4, 0, 1000))).toBe(true);
    }
    expect(bytesEqual(after.body, syntheticBytes(5, 0, 1000))).toBe(true);
    const [first] = before;
    expect(after.headers.get('etag')).not.toBe(first?.headers.get('etag'));
    expect(after.headers.get('last-modified')).not.toBe(first?.headers.get('last-modified'));
    // A resumed download with the old validator now gets the whole new representation.
    const resumed = await request(origin, '/synthetic/1000?seed=4', {
      Range: 'bytes=500-',
      'If-Range': first?.headers.get('etag') ?? '',
    });
    expect(resumed.status).toBe(200);
  });

  it('changeAfter on files XORs every byte with 0x5a and changes the ETag', async () => {
    const before = await request(origin, '/files/f.bin?changeAfter=1');
    const after = await request(origin, '/files/f.bin?changeAfter=1');
    expect(bytesEqual(before.body, fileBytes)).toBe(true);
    expect(
      bytesEqual(
        after.body,
        fileBytes.map((b) => b ^ 0x5a),
      ),
    ).toBe(true);
    expect(after.headers.get('etag')).not.toBe(before.headers.get('etag'));
    const ranged = await request(origin, '/files/f.bin?changeAfter=1', { Range: 'bytes=16-31' });
    expect(
      bytesEqual(
        ranged.body,
        fileBytes.subarray(16, 32).map((b) => b ^ 0x5a),
      ),
    ).toBe(true);
  });

  it('status forces a status with a short text body, for every request', async () => {
    origin.setKnobs('', { status: 404 });
    for (const file of ['/synthetic/10', '/files/f.bin', '/anything']) {
      const response = await request(origin, file);
      expect(response.status, file).toBe(404);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(response.body.length).toBeGreaterThan(0);
    }
    expect((await request(origin, '/synthetic/10?status=410')).status).toBe(410);
  });

  it('query knobs override path knobs; longer prefixes override shorter ones', async () => {
    origin.setKnobs('', { status: 500 });
    origin.setKnobs('/synthetic/', { status: 502 });
    expect((await request(origin, '/files/f.bin')).status).toBe(500);
    expect((await request(origin, '/synthetic/10')).status).toBe(502);
    expect((await request(origin, '/synthetic/10?status=418')).status).toBe(418);
    origin.setKnobs('/synthetic/', { ttfb: 0 }); // replaces the earlier knobs for this prefix
    expect((await request(origin, '/synthetic/10')).status).toBe(500);
  });

  it('resetKnobs clears knobs and request counters', async () => {
    origin.setKnobs('/synthetic/', { failNth: [1] });
    expect((await request(origin, '/synthetic/103')).status).toBe(503);
    expect((await request(origin, '/synthetic/103')).status).toBe(200);
    origin.resetKnobs();
    expect((await request(origin, '/synthetic/104?failNth=1')).status).toBe(503);
    origin.resetKnobs();
    expect((await request(origin, '/synthetic/104')).status).toBe(200); // knobs gone
    origin.setKnobs('/synthetic/', { failNth: [1] });
    expect((await request(origin, '/synthetic/103')).status).toBe(503); // counter restarted
  });

  it('ttfb delays the response headers', async () => {
    const started = performance.now();
    const response = await fetch(`${origin.url}/synthetic/10?ttfb=150`);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    await response.arrayBuffer();
  });

  it('ignores unknown and malformed query parameters', async () => {
    const response = await request(origin, '/synthetic/10?foo=bar&rate=fast&failNth=x&status=99');
    expect(response.status).toBe(200);
    expect(response.body.length).toBe(10);
  });
});

describe('startup knobs', () => {
  it('apply to all paths and survive resetKnobs', async () => {
    const origin = await startOrigin({ knobs: { status: 429 } });
    try {
      expect((await request(origin, '/synthetic/10')).status).toBe(429);
      origin.setKnobs('', { status: 500 });
      expect((await request(origin, '/synthetic/10')).status).toBe(500);
      origin.resetKnobs();
      expect((await request(origin, '/synthetic/10')).status).toBe(429);
    } finally {
      await origin.close();
    }
  });
});
