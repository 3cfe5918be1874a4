import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Origin, startOrigin, syntheticBytes } from '../../../tools/origin/index.ts';
import { bytesEqual, request } from './helpers.ts';

const EXPOSED = 'Content-Range, Content-Length, ETag, Accept-Ranges, Last-Modified, Content-Type';

describe('representation headers, HEAD, If-Range and CORS', () => {
  let origin: Origin;
  beforeAll(async () => {
    origin = await startOrigin();
  });
  afterAll(() => origin.close());

  it('sends validators, range support and no-store on every resource response', async () => {
    for (const range of [undefined, 'bytes=0-9', 'bytes=5000-']) {
      const response = await request(origin, '/synthetic/1000', range ? { Range: range } : {});
      const h = response.headers;
      expect(h.get('accept-ranges')).toBe('bytes');
      expect(h.get('etag')).toMatch(/^"[^"]+"$/); // strong: no W/ prefix
      expect(Number.isNaN(Date.parse(h.get('last-modified') ?? ''))).toBe(false);
      expect(h.get('cache-control')).toBe('no-store');
      expect(h.get('content-encoding')).toBeNull();
      expect(h.get('access-control-allow-origin')).toBe('*');
      expect(h.get('access-control-expose-headers')).toBe(EXPOSED);
    }
  });

  it('answers HEAD with the GET header fields and no body, ranges included', async () => {
    const variants: Record<string, string>[] = [
      {},
      { Range: 'bytes=10-19' },
      { Range: 'bytes=2000-' },
    ];
    for (const headers of variants) {
      const get = await request(origin, '/synthetic/1000', headers);
      const head = await request(origin, '/synthetic/1000', headers, 'HEAD');
      expect(head.status).toBe(get.status);
      expect(head.body.length).toBe(0);
      for (const name of [
        'content-length',
        'content-range',
        'etag',
        'last-modified',
        'content-type',
      ]) {
        expect(head.headers.get(name), name).toBe(get.headers.get(name));
      }
    }
  });

  describe('If-Range (RFC 9110 §13.1.5)', () => {
    const path = '/synthetic/1000?seed=2';
    let etag: string;
    let lastModified: string;
    beforeAll(async () => {
      const response = await request(origin, path, {}, 'HEAD');
      etag = response.headers.get('etag') ?? '';
      lastModified = response.headers.get('last-modified') ?? '';
    });

    it('honours Range when the ETag matches strongly', async () => {
      const response = await request(origin, path, { Range: 'bytes=10-19', 'If-Range': etag });
      expect(response.status).toBe(206);
      expect(bytesEqual(response.body, syntheticBytes(2, 10, 20))).toBe(true);
    });

    it('ignores Range for another ETag or a weak one', async () => {
      for (const ifRange of ['"other"', `W/${etag}`]) {
        const response = await request(origin, path, { Range: 'bytes=10-19', 'If-Range': ifRange });
        expect(response.status, ifRange).toBe(200);
        expect(response.body.length).toBe(1000);
      }
    });

    it('honours Range when the date equals Last-Modified exactly', async () => {
      const response = await request(origin, path, {
        Range: 'bytes=10-19',
        'If-Range': lastModified,
      });
      expect(response.status).toBe(206);
    });

    it('ignores Range for any other date', async () => {
      const later = new Date(Date.parse(lastModified) + 1000).toUTCString();
      const response = await request(origin, path, { Range: 'bytes=10-19', 'If-Range': later });
      expect(response.status).toBe(200);
    });

    it('still answers 416 when it holds and the range is unsatisfiable', async () => {
      const response = await request(origin, path, { Range: 'bytes=5000-', 'If-Range': etag });
      expect(response.status).toBe(416);
    });
  });

  describe('If-Match, If-None-Match and their dates (RFC 9110 §13.1.1–§13.1.4)', () => {
    const path = '/synthetic/1000?seed=3';
    let etag: string;
    beforeAll(async () => {
      etag = (await request(origin, path, {}, 'HEAD')).headers.get('etag') ?? '';
    });
    const status = async (headers: Record<string, string>, method = 'GET') =>
      (await request(origin, path, headers, method)).status;

    it('If-Match: 412 unless a listed tag is the ETag by strong comparison, or *', async () => {
      expect(await status({ 'If-Match': '"other"' })).toBe(412);
      expect(await status({ 'If-Match': `W/${etag}` })).toBe(412);
      expect(await status({ 'If-Match': `"other", ${etag}` })).toBe(200);
      expect(await status({ 'If-Match': '*', Range: 'bytes=0-1' })).toBe(206);
      expect(await status({ 'If-Match': '"other"', Range: 'bytes=0-1' })).toBe(412);
    });

    it('If-None-Match: 304 when a listed tag is the ETag by weak comparison, or *', async () => {
      expect(await status({ 'If-None-Match': '*' })).toBe(304);
      expect(await status({ 'If-None-Match': `W/${etag}` })).toBe(304);
      expect(await status({ 'If-None-Match': '*' }, 'HEAD')).toBe(304);
      expect(await status({ 'If-None-Match': '"other"', Range: 'bytes=0-1' })).toBe(206);
      const notModified = await request(origin, path, { 'If-None-Match': etag });
      expect(notModified.status).toBe(304);
      expect(notModified.headers.get('etag')).toBe(etag);
      expect(notModified.body.length).toBe(0);
    });

    it('If-Match first, then If-None-Match, then the Range (§13.2.2, §14.2)', async () => {
      expect(await status({ 'If-Match': '"other"', 'If-None-Match': '*' })).toBe(412);
      expect(await status({ 'If-Match': '"other"', Range: 'bytes=5000-' })).toBe(412);
      expect(await status({ 'If-None-Match': '*', Range: 'bytes=5000-' })).toBe(304);
      expect(await status({ 'If-Match': '*', Range: 'bytes=5000-' })).toBe(416);
    });

    it('If-Unmodified-Since and If-Modified-Since against the Last-Modified (§13.1.3, §13.1.4)', async () => {
      const modified = (await request(origin, path, {}, 'HEAD')).headers.get('last-modified') ?? '';
      const before = new Date(Date.parse(modified) - 1000).toUTCString();
      expect(await status({ 'If-Unmodified-Since': modified, Range: 'bytes=0-1' })).toBe(206);
      expect(await status({ 'If-Unmodified-Since': before })).toBe(412);
      expect(await status({ 'If-Modified-Since': modified })).toBe(304);
      expect(await status({ 'If-Modified-Since': modified }, 'HEAD')).toBe(304);
      expect(await status({ 'If-Modified-Since': before, Range: 'bytes=0-1' })).toBe(206);
      // A value that is not an HTTP-date is ignored, even one Date.parse reads.
      expect(await status({ 'If-Modified-Since': 'yesterday' })).toBe(200);
      expect(await status({ 'If-Modified-Since': new Date().toISOString() })).toBe(200);
      expect(await status({ 'If-Unmodified-Since': '1' })).toBe(200);
      // The asctime form of the same instant, read as GMT.
      const [, day, month, year, time] =
        /^\w+, (\d{2}) (\w+) (\d{4}) ([\d:]+) GMT$/.exec(modified) ?? [];
      const asctime = `${modified.slice(0, 3)} ${month} ${String(Number(day)).padStart(2, ' ')} ${time} ${year}`;
      expect(await status({ 'If-Modified-Since': asctime })).toBe(304);
      expect(await status({ 'If-Unmodified-Since': asctime, Range: 'bytes=0-1' })).toBe(206);
      // Each is ignored beside its entity-tag counterpart (§13.2.2).
      expect(await status({ 'If-Match': '*', 'If-Unmodified-Since': before })).toBe(200);
      expect(await status({ 'If-None-Match': '"other"', 'If-Modified-Since': modified })).toBe(200);
    });

    it('ignorePreconditions: a server that does not evaluate them', async () => {
      const variants: Record<string, string>[] = [
        { 'If-None-Match': '*' },
        { 'If-Unmodified-Since': 'Thu, 01 Jan 1970 00:00:00 GMT' },
      ];
      for (const headers of variants) {
        const response = await request(origin, `${path}&ignorePreconditions=1`, headers);
        expect(response.status).toBe(200);
      }
    });
  });

  it('echoes the request Origin and varies on it', async () => {
    const response = await request(origin, '/synthetic/10', { Origin: 'http://app.test:5173' });
    expect(response.headers.get('access-control-allow-origin')).toBe('http://app.test:5173');
    expect(response.headers.get('vary')).toBe('Origin');
  });

  it('answers CORS preflights with 204', async () => {
    const response = await request(
      origin,
      '/synthetic/10',
      {
        Origin: 'http://app.test',
        'Access-Control-Request-Method': 'GET',
        'Access-Control-Request-Headers': 'range, if-range',
      },
      'OPTIONS',
    );
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('http://app.test');
    expect(response.headers.get('access-control-allow-methods')).toBe('GET, HEAD, OPTIONS');
    expect(response.headers.get('access-control-allow-headers')).toBe('range, if-range');
    expect(response.headers.get('access-control-max-age')).toBe('600');
  });

  it('omits Expose-Headers with noExpose and all CORS headers with noCors', async () => {
    const noExpose = await request(origin, '/synthetic/10?noExpose=1');
    expect(noExpose.headers.get('access-control-allow-origin')).toBe('*');
    expect(noExpose.headers.get('access-control-expose-headers')).toBeNull();
    const noCors = await request(origin, '/synthetic/10?noCors=1', { Origin: 'http://app.test' });
    expect(noCors.status).toBe(200);
    for (const [name] of noCors.headers) expect(name).not.toMatch(/^access-control-/);
    const preflight = await request(origin, '/synthetic/10?noCors=1', {}, 'OPTIONS');
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('404s unknown paths and 405s other methods on resources', async () => {
    expect((await request(origin, '/nothing/here')).status).toBe(404);
    expect((await request(origin, '/')).status).toBe(404);
    const post = await request(origin, '/synthetic/10', {}, 'POST');
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
  });
});
